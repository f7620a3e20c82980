//! Policy inheritance: built-in default ⊕ document, then defaults → vertical → location.

use ringback::{Engine, Policy, Vertical};

#[test]
fn a_user_supplies_only_locations() {
    let p = Policy::from_json(
        r#"{"version": "v1", "locations": [{"id": "a", "name": "A", "vertical": "dental",
            "time_zone": "America/Chicago"}]}"#,
    )
    .unwrap();
    let e = Engine::new(&p).unwrap();
    let loc = e.compiled().location("a").unwrap();
    assert_eq!(loc.config.country, "US");
    assert_eq!(loc.config.currency, "USD");
    assert_eq!(loc.config.dedup.shared_line_threshold, 3);
    assert_eq!(loc.config.dedup.repeat_window_minutes, 1440);
    assert_eq!(
        loc.config.hours.mon,
        vec![["09:00".to_string(), "17:00".to_string()]]
    );
    assert_eq!(loc.vertical, Vertical::Dental);
}

#[test]
fn later_layers_win_and_hours_replace_whole() {
    let p = Policy::from_json(
        r#"{"version": "v2",
            "defaults": {"dedup": {"repeat_window_minutes": 60}, "on_call": true,
                         "hours": {"mon": [["08:00","16:00"]], "sat": [["09:00","12:00"]]}},
            "verticals": {"dental": {"dedup": {"shared_line_threshold": 5}, "on_call": false}},
            "locations": [
              {"id": "d", "name": "D", "vertical": "dental", "time_zone": "America/Chicago",
               "hours": {"tue": [["10:00","11:00"]]}},
              {"id": "h", "name": "H", "vertical": "home_services", "time_zone": "America/Chicago",
               "dedup": {"message_cooldown_minutes": 5}}]}"#,
    )
    .unwrap();
    let e = Engine::new(&p).unwrap();
    let d = &e.compiled().location("d").unwrap().config;
    assert_eq!(d.dedup.repeat_window_minutes, 60, "from defaults");
    assert_eq!(d.dedup.shared_line_threshold, 5, "from the vertical");
    assert!(!d.on_call, "vertical beats defaults");
    assert!(
        d.hours.mon.is_empty() && d.hours.sat.is_empty(),
        "hours replaced whole"
    );
    assert_eq!(d.hours.tue.len(), 1);
    let h = &e.compiled().location("h").unwrap().config;
    assert_eq!(h.dedup.shared_line_threshold, 3);
    assert_eq!(h.dedup.message_cooldown_minutes, 5);
    assert_eq!(h.dedup.repeat_window_minutes, 60);
    assert!(h.on_call);
    assert_eq!(
        h.hours.sat.len(),
        1,
        "defaults' hours inherited when the location has none"
    );
}

#[test]
fn toml_policies_are_accepted() {
    let toml = r#"
version = "toml-1"
[[locations]]
id = "phx-01"
name = "Phoenix Camelback"
vertical = "home_services"
time_zone = "America/Phoenix"
state = "AZ"
[locations.hours]
mon = [["07:00", "18:00"]]
"#;
    let e = Engine::from_policy_text(toml).unwrap();
    assert_eq!(e.policy_version(), "toml-1");
    assert!(e.compiled().location("phx-01").is_some());
}

#[test]
fn policy_fingerprint_changes_with_content_not_with_key_order() {
    let a = Engine::from_policy_text(r#"{"version": "v", "locations": [{"id": "a", "name": "A", "vertical": "auto", "time_zone": "America/Denver"}]}"#).unwrap();
    let b = Engine::from_policy_text(r#"{"locations": [{"time_zone": "America/Denver", "vertical": "auto", "name": "A", "id": "a"}], "version": "v"}"#).unwrap();
    let c = Engine::from_policy_text(r#"{"version": "v", "locations": [{"id": "a", "name": "A", "vertical": "auto", "time_zone": "America/Denver", "on_call": true}]}"#).unwrap();
    assert_eq!(a.compiled().fingerprint, b.compiled().fingerprint);
    assert_ne!(a.compiled().fingerprint, c.compiled().fingerprint);
}

#[test]
fn every_error_code_has_a_distinct_stable_name() {
    let names: Vec<&str> = ringback::ErrorCode::ALL
        .iter()
        .map(|c| c.as_str())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), names.len());
    assert_eq!(
        names,
        [
            "invalid_json",
            "invalid_event",
            "invalid_crm",
            "invalid_policy",
            "unknown_location",
            "invalid_timestamp",
            "invalid_time_zone",
            "unsupported_payload",
            "internal"
        ]
    );
}
