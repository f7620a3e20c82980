//! Templates (selection, rendering, compile errors, SMS encoding), variants (sticky and
//! Thompson, both deterministic) and the learning loop moving a borderline call.

use ringback::learning::LearningState;
use ringback::model::decision::Decision;
use ringback::model::outcome::Outcome;
use ringback::sms::Encoding;
use ringback::{CrmSnapshot, Engine, MissedCallEvent, Policy};
use serde_json::json;

fn policy(extra: serde_json::Value) -> Policy {
    let mut p = json!({
        "version": "tpl-1",
        "defaults": {"hours": {"mon": [["00:00","24:00"]], "tue": [["00:00","24:00"]], "wed": [["00:00","24:00"]],
                               "thu": [["00:00","24:00"]], "fri": [["00:00","24:00"]], "sat": [["00:00","24:00"]], "sun": [["00:00","24:00"]]}},
        "locations": [
          {"id": "hs", "name": "Phoenix Plumbing Co", "vertical": "home_services", "time_zone": "America/Phoenix", "state": "AZ", "phone": "+16025550100"},
          {"id": "dn", "name": "Smile Dental", "vertical": "dental", "time_zone": "America/Phoenix", "state": "AZ"}
        ]
    });
    if let (Some(obj), Some(extra)) = (p.as_object_mut(), extra.as_object()) {
        for (k, v) in extra {
            obj.insert(k.clone(), v.clone());
        }
    }
    serde_json::from_value(p).expect("policy")
}

fn event(loc: &str, id: &str, caller: &str, transcript: Option<&str>) -> MissedCallEvent {
    let mut e = json!({"event_id": id, "location_id": loc, "occurred_at": "2026-11-24T10:00:00-07:00",
                       "caller_number": caller, "disposition": "no_answer"});
    if let Some(t) = transcript {
        e["disposition"] = json!("voicemail");
        e["voicemail"] = json!({"transcript": t, "duration_seconds": 10});
    }
    serde_json::from_value(e).expect("event")
}

fn first_sms(d: &Decision) -> &ringback::model::decision::FollowUpStep {
    d.follow_up
        .iter()
        .find(|s| s.id == "first_touch")
        .expect("first touch")
}

#[test]
fn unknown_variable_fails_engine_new_with_the_template_path() {
    let p = policy(json!({"templates": [
        {"id": "ok", "channel": "sms", "body": "Hi {{first_name|there}} from {{business_name}}"},
        {"id": "bad", "channel": "sms", "body": "Hi {{frist_name|there}}"}]}));
    let e = Engine::new(&p).unwrap_err();
    assert_eq!(e.code.as_str(), "invalid_policy");
    assert_eq!(e.path, "templates[1].body");
    assert!(e.message.contains("frist_name"), "{e}");
}

#[test]
fn phi_variable_in_dental_sms_is_rejected() {
    let p = policy(json!({"templates": [
        {"id": "dn_bad", "channel": "sms", "vertical": "dental", "body": "About your {{inquiry_label}}: call us"}]}));
    let e = Engine::new(&p).unwrap_err();
    assert_eq!(e.path, "templates[0].body");
    assert!(e.message.contains("health"), "{e}");
}

#[test]
fn too_long_sms_is_rejected() {
    let body = "x".repeat(500);
    let p = policy(json!({"templates": [{"id": "long", "channel": "sms", "body": body}]}));
    let e = Engine::new(&p).unwrap_err();
    assert!(e.message.contains("segments"), "{e}");
}

#[test]
fn most_specific_template_wins_and_renders_with_opt_out_and_encoding() {
    let p = policy(json!({"templates": [
        {"id": "zz_generic", "channel": "sms", "body": "Hi {{first_name|there}}, {{business_name}} missed your call."},
        {"id": "aa_hs", "channel": "sms", "vertical": "home_services", "body": "Hi {{first_name|there}}, {{business_name}} here about your call."},
        {"id": "hs_emoji", "channel": "sms", "vertical": "home_services", "inquiry_type": "emergency_repair",
         "body": "Hi {{first_name|there}} 🚨 {{business_name}} is on it. Call {{location_phone}} now."},
        {"id": "hs_euro", "channel": "sms", "vertical": "home_services", "inquiry_type": "billing",
         "body": "Hi {{first_name|there}}, {{business_name}} about your invoice {in €}."}]}));
    let engine = Engine::new(&p).unwrap();
    let crm = CrmSnapshot::default();
    // Routine call: the vertical template (2 fields beat the generic one).
    let d = engine
        .process(&event("hs", "e1", "+16025550143", None), &crm)
        .unwrap();
    let s = first_sms(&d);
    assert_eq!(s.template_id.as_deref(), Some("aa_hs"));
    let body = s.body.as_deref().unwrap();
    assert_eq!(
        body,
        "Hi there, Phoenix Plumbing Co here about your call. Reply STOP to opt out."
    );
    assert_eq!(s.encoding, Some(Encoding::Gsm7));
    assert_eq!(s.segments, Some(1));
    // An emergency: the most specific template, with an emoji → UCS-2.
    let d = engine
        .process(
            &event(
                "hs",
                "e2",
                "+16025550144",
                Some("water everywhere pipe burst in the kitchen its flooding"),
            ),
            &crm,
        )
        .unwrap();
    assert_eq!(d.intent.as_ref().unwrap().inquiry_type, "emergency_repair");
    let s = first_sms(&d);
    assert_eq!(s.template_id.as_deref(), Some("hs_emoji"));
    assert!(s.body.as_deref().unwrap().contains("(602) 555-0100"));
    assert_eq!(s.encoding, Some(Encoding::Ucs2));
    let units: usize = s.body.as_deref().unwrap().encode_utf16().count();
    assert_eq!(
        s.segments,
        Some(if units <= 70 { 1 } else { units.div_ceil(67) })
    );
    // Extended GSM characters count double but stay GSM-7.
    let d = engine
        .process(
            &event(
                "hs",
                "e3",
                "+16025550145",
                Some("question about my invoice i think i was charged twice on my bill"),
            ),
            &crm,
        )
        .unwrap();
    let s = first_sms(&d);
    assert_eq!(s.template_id.as_deref(), Some("hs_euro"));
    assert_eq!(s.encoding, Some(Encoding::Gsm7));
}

#[test]
fn same_event_same_variant_and_variants_split_callers() {
    let p = policy(json!({"templates": [
        {"id": "exp", "channel": "sms", "vertical": "home_services", "experiment_id": "textback-2026-11", "body": "unused",
         "variants": [{"id": "warm", "weight": 1, "body": "Hi {{first_name|there}}, sorry we missed you! {{business_name}}"},
                      {"id": "brief", "weight": 1, "body": "{{business_name}}: we missed your call. How can we help?"}]}]}));
    let engine = Engine::new(&p).unwrap();
    let crm = CrmSnapshot::default();
    let mut seen = std::collections::BTreeMap::new();
    for i in 0..200 {
        let caller = format!("+1602555{:04}", 1000 + i);
        let a = engine
            .process(&event("hs", &format!("a{i}"), &caller, None), &crm)
            .unwrap();
        let b = engine
            .process(&event("hs", &format!("b{i}"), &caller, None), &crm)
            .unwrap();
        let va = first_sms(&a).variant_id.clone().unwrap();
        assert_eq!(
            Some(&va),
            first_sms(&b).variant_id.as_ref(),
            "sticky per caller"
        );
        *seen.entry(va).or_insert(0) += 1;
    }
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert!(
        seen.values().all(|n| *n > 60),
        "weights roughly respected: {seen:?}"
    );
}

#[test]
fn thompson_sampling_is_deterministic_and_follows_the_evidence() {
    let p = policy(json!({
        "defaults": {"learning": {"thompson_sampling": true, "excluded_cohorts": []}},
        "templates": [{"id": "exp", "channel": "sms", "vertical": "home_services", "body": "unused",
          "variants": [{"id": "a", "body": "{{business_name}}: we missed you (a)"}, {"id": "b", "body": "{{business_name}}: we missed you (b)"}]}]}));
    let engine = Engine::new(&p).unwrap();
    let crm = CrmSnapshot::default();
    let mut state = LearningState::new();
    // Variant b converts, variant a does not.
    for i in 0..40 {
        let ev = event(
            "hs",
            &format!("t{i}"),
            &format!("+1602555{:04}", 2000 + i),
            None,
        );
        let d = engine.process_with(&ev, &crm, Some(&state)).unwrap();
        let v = first_sms(&d).variant_id.clone().unwrap();
        let kind = if v == "b" { "converted" } else { "not_reached" };
        let o: Outcome = serde_json::from_value(json!({"event_id": d.event_id, "kind": kind,
            "at": "2026-11-24T12:00:00-07:00", "channel": "sms", "step": "first_touch"}))
        .unwrap();
        engine.record_outcome(&d, &o, &mut state).unwrap();
    }
    let ev = event("hs", "final", "+16025559999", None);
    let d1 = engine.process_with(&ev, &crm, Some(&state)).unwrap();
    let d2 = engine.process_with(&ev, &crm, Some(&state)).unwrap();
    assert_eq!(
        first_sms(&d1).variant_id,
        first_sms(&d2).variant_id,
        "seeded by the event id"
    );
    let b_wins = (0..50)
        .filter(|i| {
            let ev = event("hs", &format!("q{i}"), "+16025559998", None);
            first_sms(&engine.process_with(&ev, &crm, Some(&state)).unwrap())
                .variant_id
                .as_deref()
                == Some("b")
        })
        .count();
    assert!(b_wins >= 40, "b chosen {b_wins}/50 after it converted");
    let st = state.variant("hs", "b", "sms");
    assert!(st.successes > 0.0);
}

#[test]
fn learned_hour_prior_moves_a_borderline_call() {
    let engine = Engine::new(&policy(json!({}))).unwrap();
    let crm = CrmSnapshot::default();
    // Ambiguous between a quote and a new installation.
    let transcript = "hi um calling about the water heater how much would it be";
    let ev = event("hs", "border", "+16025550150", Some(transcript));
    let before = engine.process(&ev, &crm).unwrap();
    let before_type = before.intent.clone().unwrap().inquiry_type;
    let target = if before_type == "new_installation" {
        "estimate"
    } else {
        "new_installation"
    };
    let mut state = LearningState::new();
    for i in 0..12 {
        let ev = event(
            "hs",
            &format!("h{i}"),
            &format!("+1602555{:04}", 3000 + i),
            Some(transcript),
        );
        let d = engine.process_with(&ev, &crm, Some(&state)).unwrap();
        let o: Outcome = serde_json::from_value(
            json!({"event_id": d.event_id, "kind": "converted", "value": 1800,
            "at": "2026-11-24T15:00:00-07:00", "inquiry_type": target}),
        )
        .unwrap();
        engine.record_outcome(&d, &o, &mut state).unwrap();
    }
    let after = engine.process_with(&ev, &crm, Some(&state)).unwrap();
    let intent = after.intent.unwrap();
    assert_ne!(before_type, intent.inquiry_type);
    assert_eq!(intent.inquiry_type, target);
    assert!(intent
        .signals
        .iter()
        .any(|s| s.source == "learned_hour_prior"));
    // The state is bounded and serializable.
    let text = serde_json::to_string(&state).unwrap();
    assert_eq!(LearningState::from_json(&text).unwrap(), state);
}

#[test]
fn bad_outcomes_are_coded_errors() {
    let engine = Engine::new(&policy(json!({}))).unwrap();
    let d = engine
        .process(
            &event("hs", "x1", "+16025550151", None),
            &CrmSnapshot::default(),
        )
        .unwrap();
    let mut state = LearningState::new();
    let early: Outcome = serde_json::from_value(
        json!({"event_id": "x1", "kind": "engaged", "at": "2026-11-24T09:00:00-07:00"}),
    )
    .unwrap();
    assert_eq!(
        engine
            .record_outcome(&d, &early, &mut state)
            .unwrap_err()
            .code
            .as_str(),
        "invalid_timestamp"
    );
    let other: Outcome = serde_json::from_value(
        json!({"event_id": "zzz", "kind": "engaged", "at": "2026-11-24T11:00:00-07:00"}),
    )
    .unwrap();
    assert_eq!(
        engine
            .record_outcome(&d, &other, &mut state)
            .unwrap_err()
            .code
            .as_str(),
        "invalid_event"
    );
    let bad_type: Outcome = serde_json::from_value(json!({"event_id": "x1", "kind": "engaged", "at": "2026-11-24T11:00:00-07:00", "inquiry_type": "teeth"})).unwrap();
    assert_eq!(
        engine
            .record_outcome(&d, &bad_type, &mut state)
            .unwrap_err()
            .code
            .as_str(),
        "invalid_event"
    );
    assert!(
        state.locations.is_empty(),
        "nothing learned from bad outcomes"
    );
}
