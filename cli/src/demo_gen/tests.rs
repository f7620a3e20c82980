//! The demo data says what its module doc promises (counts, the story, the special cases).

use super::*;
use chrono::{DateTime, FixedOffset};

const EVENT_KEYS: [&str; 15] = [
    "event_id",
    "location_id",
    "occurred_at",
    "received_at",
    "caller_number",
    "caller_name",
    "tracking_number",
    "disposition",
    "raw_disposition",
    "ring_seconds",
    "duration_seconds",
    "voicemail",
    "attribution",
    "provider",
    "ai_receptionist",
];
const LOCATION_KEYS: [&str; 12] = [
    "id",
    "name",
    "vertical",
    "time_zone",
    "country",
    "state",
    "phone",
    "hours",
    "holidays",
    "avg_inquiry_value",
    "currency",
    "on_call",
];
const CONTACT_KEYS: [&str; 18] = [
    "id",
    "kind",
    "phones",
    "emails",
    "first_name",
    "last_name",
    "location_id",
    "created_at",
    "last_activity_at",
    "lifetime_value",
    "tags",
    "time_zone",
    "state",
    "preferred_channel",
    "do_not_contact",
    "consent",
    "recent_events",
    "open_followup",
];

fn demo() -> Demo {
    generate()
}

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v[k].as_str().unwrap_or("")
}

fn withheld(number: &Value) -> bool {
    matches!(
        number.as_str(),
        None | Some("anonymous") | Some("Restricted") | Some("+266696687") | Some("+7378742833")
    )
}

/// The 10-digit NANP key of a number in any of the demo's formats.
fn key(raw: &str) -> Option<String> {
    let main = raw.split('x').next().unwrap_or("");
    let digits: String = main.chars().filter(char::is_ascii_digit).collect();
    match digits.len() {
        10 => Some(digits),
        11 if digits.starts_with('1') => Some(digits[1..].to_string()),
        _ => None,
    }
}

fn caller_key(event: &Value) -> Option<String> {
    if withheld(&event["caller_number"]) {
        None
    } else {
        event["caller_number"].as_str().and_then(key)
    }
}

fn phone_keys(contact: &Value) -> Vec<String> {
    let mut keys = Vec::new();
    for p in contact["phones"].as_array().into_iter().flatten() {
        let text = p.as_str().or_else(|| p["number"].as_str()).unwrap_or("");
        keys.extend(key(text));
    }
    keys
}

fn contacts_by_key(crm: &Value) -> BTreeMap<String, Vec<&Value>> {
    let mut map: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    for c in crm["contacts"].as_array().into_iter().flatten() {
        let keys: BTreeSet<String> = phone_keys(c).into_iter().collect();
        for k in keys {
            map.entry(k).or_default().push(c);
        }
    }
    map
}

fn ts(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

/// Distinct (first delivery) events.
fn originals(events: &[Value]) -> Vec<&Value> {
    let mut seen = BTreeSet::new();
    events
        .iter()
        .filter(|e| seen.insert(s(e, "event_id").to_string()))
        .collect()
}

fn locations(policy: &Value) -> BTreeMap<String, &Value> {
    policy["locations"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|l| (s(l, "id").to_string(), l))
        .collect()
}

fn minutes(text: &str) -> u32 {
    let (h, m) = text.split_once(':').unwrap_or(("0", "0"));
    h.parse::<u32>().unwrap_or(0) * 60 + m.parse::<u32>().unwrap_or(0)
}

/// Whether a policy location is open at a local wall-clock time (holidays, split shifts,
/// intervals past midnight), independently of the generator's own code.
fn open_at(loc: &Value, local: NaiveDateTime) -> bool {
    const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    let day_intervals = |d: NaiveDate| -> Vec<(u32, u32)> {
        let text = d.format("%Y-%m-%d").to_string();
        for h in loc["holidays"].as_array().into_iter().flatten() {
            if h.as_str() == Some(text.as_str()) {
                return Vec::new();
            }
            if h["date"].as_str() == Some(text.as_str()) {
                return iv(&h["hours"]);
            }
        }
        iv(&loc["hours"][DAYS[d.weekday().num_days_from_monday() as usize]])
    };
    fn iv(v: &Value) -> Vec<(u32, u32)> {
        v.as_array()
            .into_iter()
            .flatten()
            .map(|p| (minutes(s_(p, 0)), minutes(s_(p, 1))))
            .collect()
    }
    fn s_(v: &Value, i: usize) -> &str {
        v[i].as_str().unwrap_or("")
    }
    let m = local.hour_min();
    let today =
        day_intervals(local.date()).into_iter().any(
            |(a, b)| {
                if b > a {
                    a <= m && m < b
                } else {
                    m >= a
                }
            },
        );
    let yesterday = day_intervals(local.date() - Duration::days(1))
        .into_iter()
        .any(|(a, b)| b <= a && m < b);
    today || yesterday
}

trait HourMin {
    fn hour_min(&self) -> u32;
}
impl HourMin for NaiveDateTime {
    fn hour_min(&self) -> u32 {
        use chrono::Timelike;
        self.hour() * 60 + self.minute()
    }
}

#[test]
fn policy_has_120_locations_with_the_expected_mix() {
    let d = demo();
    let keys: BTreeSet<&str> = d
        .policy
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, _)| k.as_str())
        .collect();
    assert_eq!(keys, BTreeSet::from(["version", "locations"]));
    assert_eq!(d.policy["version"], "demo-2026-11");
    let locs = locations(&d.policy);
    assert_eq!(locs.len(), 120, "ids must be unique");
    let mut verticals: BTreeMap<&str, usize> = BTreeMap::new();
    let mut zones: BTreeMap<&str, usize> = BTreeMap::new();
    for l in locs.values() {
        let keys: Vec<&str> = l
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, _)| k.as_str())
            .collect();
        let mut expected = LOCATION_KEYS.to_vec();
        expected.sort_unstable();
        let mut keys = keys;
        keys.sort_unstable();
        assert_eq!(keys, expected, "{}", l["id"]);
        *verticals.entry(s(l, "vertical")).or_default() += 1;
        *zones.entry(s(l, "time_zone")).or_default() += 1;
        let value = l["avg_inquiry_value"].as_f64().unwrap_or(0.0);
        assert!((100.0..=400.0).contains(&value), "{}", l["id"]);
        let phone = s(l, "phone");
        assert!(
            phone.starts_with("+1") && phone.contains("55501"),
            "{phone}"
        );
        let canadian = s(l, "country") == "CA";
        assert_eq!(s(l, "currency"), if canadian { "CAD" } else { "USD" });
        let thanksgiving = l["holidays"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|h| h.as_str() == Some("2026-11-26") || h["date"] == "2026-11-26");
        if canadian {
            assert!(!thanksgiving, "{}", l["id"]);
        }
        if s(l, "vertical") == "cannabis" {
            assert!(matches!(s(l, "state"), "CA" | "CO"));
        }
    }
    assert_eq!(
        verticals,
        BTreeMap::from([
            ("auto", 12),
            ("cannabis", 2),
            ("dental", 24),
            ("financial", 3),
            ("general", 3),
            ("home_services", 54),
            ("legal", 4),
            ("med_spa", 18),
        ])
    );
    assert_eq!(
        zones,
        BTreeMap::from([
            ("America/Chicago", 30),
            ("America/Denver", 13),
            ("America/Los_Angeles", 23),
            ("America/New_York", 38),
            ("America/Phoenix", 13),
            ("America/Toronto", 1),
            ("America/Vancouver", 1),
            ("Pacific/Honolulu", 1),
        ])
    );
    let all: Vec<&&Value> = locs.values().collect();
    let black_friday = all.iter().filter(|l| {
        l["holidays"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|h| h["name"] == "Black Friday")
    });
    assert!(black_friday.count() >= 5);
    let past_midnight = all.iter().filter(|l| {
        l["hours"]
            .as_object()
            .into_iter()
            .flatten()
            .any(|(_, day)| {
                day.as_array()
                    .into_iter()
                    .flatten()
                    .any(|p| minutes(s_str(p, 1)) <= minutes(s_str(p, 0)))
            })
    });
    assert!(past_midnight.count() >= 1);
    let split = all
        .iter()
        .filter(|l| l["hours"]["mon"].as_array().is_some_and(|a| a.len() == 2));
    assert!(split.count() >= 10, "dental split shifts");
}

fn s_str(v: &Value, i: usize) -> &str {
    v[i].as_str().unwrap_or("")
}

#[test]
fn phoenix_location_is_the_spec_example() {
    let d = demo();
    let expected = json!({"id": "phx-01", "name": "Phoenix Camelback", "vertical": "home_services",
      "time_zone": "America/Phoenix", "country": "US", "state": "AZ", "phone": "+16025550100",
      "hours": {"mon": [["07:00","18:00"]], "tue": [["07:00","18:00"]], "wed": [["07:00","18:00"]],
                "thu": [["07:00","18:00"]], "fri": [["07:00","18:00"]], "sat": [["08:00","14:00"]]},
      "holidays": ["2026-11-26"], "avg_inquiry_value": 250, "currency": "USD", "on_call": true});
    assert_eq!(d.policy["locations"][0], expected);
}

#[test]
fn events_have_the_canonical_fields_and_known_locations() {
    let d = demo();
    let locs = locations(&d.policy);
    let mut expected = EVENT_KEYS.to_vec();
    expected.sort_unstable();
    for e in &d.events {
        let mut keys: Vec<&str> = e
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, _)| k.as_str())
            .collect();
        keys.sort_unstable();
        assert_eq!(keys, expected);
        assert!(
            locs.contains_key(s(e, "location_id")),
            "{}",
            e["location_id"]
        );
        if let Some(vm) = e["voicemail"].as_object() {
            let mut k: Vec<&str> = vm.keys().map(String::as_str).collect();
            k.sort_unstable();
            assert_eq!(k, ["duration_seconds", "recording_url", "transcript"]);
            assert_eq!(e["disposition"], "voicemail");
        }
        let id = s(e, "event_id");
        let ok = match s(e, "provider") {
            "callrail" => id.starts_with("CAL") && id.len() == 35,
            "twilio" => id.starts_with("CA") && id.len() == 34,
            _ => id.chars().all(|c| c.is_ascii_digit()),
        };
        assert!(ok, "{id}");
    }
}

#[test]
fn counts_match_a_week_of_450_missed_calls() {
    let d = demo();
    let firsts = originals(&d.events);
    let missed: Vec<&&Value> = firsts
        .iter()
        .filter(|e| e["disposition"] != "answered")
        .collect();
    let answered = firsts.len() - missed.len();
    assert!((440..=470).contains(&missed.len()), "{}", missed.len());
    assert!((10..=20).contains(&answered), "{answered}");
    assert!(d.events.len() - firsts.len() >= 4, "replays");
    let n = missed.len() as f64;
    let share = |f: &dyn Fn(&Value) -> bool| missed.iter().filter(|e| f(e)).count() as f64 / n;
    let withheld_share = share(&|e| withheld(&e["caller_number"]));
    assert!((0.02..=0.04).contains(&withheld_share), "{withheld_share}");
    let attributed = share(&|e| !e["attribution"].is_null());
    assert!((0.55..=0.66).contains(&attributed), "{attributed}");
    let voicemail = share(&|e| e["disposition"] == "voicemail");
    assert!((0.25..=0.35).contains(&voicemail), "{voicemail}");
    let abandoned = share(&|e| s(e, "disposition").contains("abandoned"));
    assert!((0.10..=0.25).contains(&abandoned), "{abandoned}");
    assert!(missed.iter().any(|e| e["disposition"] == "after_hours"));
    assert!(missed.iter().any(|e| e["raw_disposition"] == "abandonded"));
    let null_transcripts = missed
        .iter()
        .filter(|e| e["voicemail"].is_object() && e["voicemail"]["transcript"].is_null());
    assert!(null_transcripts.count() >= 5);
    // About a quarter of the calls come while the location is closed.
    let locs = locations(&d.policy);
    let closed = share(&|e| {
        let at = ts(s(e, "occurred_at")).naive_local();
        !open_at(locs[s(e, "location_id")], at)
    });
    assert!((0.18..=0.32).contains(&closed), "{closed}");
}

#[test]
fn timestamps_use_standard_offsets_and_events_are_sorted() {
    let d = demo();
    let locs = locations(&d.policy);
    let offset = |tz: &str| match tz {
        "America/New_York" | "America/Toronto" => "-05:00",
        "America/Chicago" => "-06:00",
        "America/Denver" | "America/Phoenix" => "-07:00",
        "America/Los_Angeles" | "America/Vancouver" => "-08:00",
        _ => "-10:00",
    };
    let start = ts("2026-11-23T00:00:00-00:00");
    let mut previous: Option<(DateTime<FixedOffset>, String)> = None;
    for (i, e) in d.events.iter().enumerate() {
        let tz = s(locs[s(e, "location_id")], "time_zone");
        let (occurred, received) = (s(e, "occurred_at"), s(e, "received_at"));
        assert!(
            occurred.ends_with(offset(tz)) && received.ends_with(offset(tz)),
            "{occurred}"
        );
        let (o, r) = (ts(occurred), ts(received));
        assert!(
            r >= o && r - o <= Duration::minutes(30),
            "{occurred} {received}"
        );
        let local = o.naive_local();
        assert!(local >= start.naive_utc() && local < start.naive_utc() + Duration::days(7));
        let k = (o, s(e, "event_id").to_string());
        if let Some(p) = &previous {
            assert!(*p <= k, "line {i} out of order");
            if p.1 == k.1 {
                // A replay sits right after its original.
                assert_eq!(d.events[i - 1]["event_id"], e["event_id"]);
            }
        }
        previous = Some(k);
    }
}

#[test]
fn caller_numbers_are_valid_nanp_or_withheld() {
    let d = demo();
    let mut distinct = BTreeSet::new();
    for e in &d.events {
        if withheld(&e["caller_number"]) {
            assert!(e["caller_name"].is_null());
            continue;
        }
        let raw = s(e, "caller_number");
        let k = key(raw).unwrap_or_else(|| panic!("unparseable {raw}"));
        let b = k.as_bytes();
        assert!(
            (b'2'..=b'9').contains(&b[0]) && (b'2'..=b'9').contains(&b[3]),
            "{raw}"
        );
        assert!(&k[4..6] != "11" && &k[1..3] != "11", "{raw}");
        distinct.insert(k);
        if let Some(t) = e["tracking_number"].as_str() {
            assert!(t.starts_with("+1") && t.len() == 12);
        }
    }
    assert!(distinct.len() > 400, "{}", distinct.len());
    let styles = |p: &dyn Fn(&str) -> bool| {
        d.events
            .iter()
            .filter(|e| e["caller_number"].as_str().is_some_and(p))
            .count()
    };
    assert!(styles(&|n| n.starts_with("+1") && n.len() == 12) > 300);
    assert!(styles(&|n| n.starts_with('(')) > 5);
    assert!(styles(&|n| n.len() == 11 && n.starts_with('1')) > 5);
    assert!(styles(&|n| n.len() == 12 && n.chars().nth(3) == Some('-')) > 5);
    assert!(styles(&|n| n.starts_with("+1 ")) > 5);
}

#[test]
fn the_phoenix_tuesday_is_the_story() {
    let d = demo();
    let by_key = contacts_by_key(&d.crm);
    let day: Vec<&Value> = d
        .events
        .iter()
        .filter(|e| e["location_id"] == "phx-01" && s(e, "occurred_at").starts_with("2026-11-24"))
        .collect();
    assert_eq!(day.len(), 12);
    let ids: BTreeSet<&str> = day.iter().map(|e| s(e, "event_id")).collect();
    assert_eq!(ids.len(), 12, "no replays");
    let callers: BTreeSet<String> = day.iter().filter_map(|e| caller_key(e)).collect();
    assert_eq!(callers.len(), 12, "none withheld, no repeats");
    let mut voicemails = 0;
    let mut customers = 0;
    for e in &day {
        assert_ne!(e["disposition"], "answered");
        let local = ts(s(e, "occurred_at")).naive_local().hour_min();
        assert!((t(7, 0)..t(18, 30)).contains(&local));
        if e["disposition"] == "voicemail" {
            assert!(e["voicemail"]["transcript"].is_string());
            voicemails += 1;
        }
        let k = caller_key(e).unwrap_or_default();
        // The caller calls no other time in the week.
        let calls = d
            .events
            .iter()
            .filter(|o| caller_key(o).as_deref() == Some(k.as_str()))
            .count();
        assert_eq!(calls, 1);
        match by_key.get(&k) {
            None => {}
            Some(found) => {
                assert_eq!(found.len(), 1, "exactly one contact");
                let c = found[0];
                assert_eq!(c["kind"], "customer");
                assert_eq!(c["location_id"], "phx-01");
                assert!(c["open_followup"].is_null());
                let occurred = ts(s(e, "occurred_at"));
                for r in c["recent_events"].as_array().into_iter().flatten() {
                    if r["kind"] == "missed_call" {
                        assert!(occurred - ts(s(r, "occurred_at")) > Duration::hours(48));
                    }
                }
                customers += 1;
            }
        }
    }
    assert_eq!(voicemails, 4);
    assert_eq!(customers, 4);
}

#[test]
fn special_identity_cases_are_present() {
    let d = demo();
    let by_key = contacts_by_key(&d.crm);
    let callers: Vec<(String, &Value)> = d
        .events
        .iter()
        .filter_map(|e| caller_key(e).map(|k| (k, e)))
        .collect();

    // (a) A shared main line on 4 contacts that calls.
    assert!(by_key
        .iter()
        .any(|(k, cs)| cs.len() >= 4 && callers.iter().any(|(c, _)| c == k)));

    // (b) A contact who calls twice within 20 minutes, and an open follow-up calling again.
    let twice = callers.iter().any(|(k, e)| {
        by_key.contains_key(k)
            && callers.iter().any(|(k2, e2)| {
                k2 == k
                    && e2["event_id"] != e["event_id"]
                    && e2["location_id"] == e["location_id"]
                    && (ts(s(e2, "occurred_at")) - ts(s(e, "occurred_at")))
                        .num_minutes()
                        .abs()
                        <= 20
            })
    });
    assert!(twice);
    let open = callers.iter().any(|(k, _)| {
        by_key
            .get(k)
            .is_some_and(|cs| cs.iter().any(|c| c["open_followup"].is_object()))
    });
    assert!(open);

    // (c) Replays: exact duplicates and one amended with a transcript, each already
    // recorded on the caller's contact.
    let mut exact = 0;
    let mut amended = 0;
    for pair in d.events.windows(2) {
        if pair[0]["event_id"] != pair[1]["event_id"] {
            continue;
        }
        if pair[0] == pair[1] {
            exact += 1;
        } else {
            assert!(pair[0]["voicemail"]["transcript"].is_null());
            assert!(pair[1]["voicemail"]["transcript"].is_string());
            amended += 1;
        }
        // The CRM must not know the event yet: the first delivery is new, and only
        // the replay's write-back makes the second one a duplicate.
        let k = caller_key(&pair[0]).unwrap_or_default();
        let recorded = by_key
            .get(&k)
            .into_iter()
            .flatten()
            .flat_map(|c| c["recent_events"].as_array().into_iter().flatten())
            .any(|r| r["event_id"] == pair[0]["event_id"]);
        assert!(!recorded, "{} pre-recorded in the CRM", pair[0]["event_id"]);
    }
    assert!(exact >= 3, "{exact}");
    assert_eq!(amended, 1);

    // (d) Stored as "(602) 555-0143", calls as "+16025550143".
    let stored = d.crm["contacts"].as_array().into_iter().flatten().any(|c| {
        c["kind"] == "customer"
            && c["location_id"] == "phx-01"
            && c["phones"]
                .as_array()
                .is_some_and(|p| p.contains(&json!("(602) 555-0143")))
    });
    assert!(stored);
    assert!(d
        .events
        .iter()
        .any(|e| e["caller_number"] == "+16025550143"));

    // (e) A contact whose number is on the do-not-text list.
    let dnt = d.crm["suppressions"]["do_not_text"]
        .as_array()
        .into_iter()
        .flatten();
    assert!(dnt
        .filter_map(|n| n.as_str().and_then(key))
        .any(|k| by_key.contains_key(&k)));

    // Compliance material.
    let contacts = d.crm["contacts"].as_array().cloned().unwrap_or_default();
    assert!(contacts.iter().any(|c| c["do_not_contact"] == true));
    assert!(contacts
        .iter()
        .any(|c| c["consent"]["sms"]["status"] == "revoked"));
    assert!(
        contacts
            .iter()
            .filter(|c| c["tags"]
                .as_array()
                .is_some_and(|t| t.contains(&json!("vip"))))
            .count()
            >= 2
    );
    assert!(d
        .events
        .iter()
        .any(|e| s(&e["voicemail"], "transcript").contains("stop calling me")));
    assert!(
        d.events
            .iter()
            .filter(|e| e["ai_receptionist"].is_object())
            .count()
            >= 2
    );
    assert!(d.events.iter().any(|e| e["caller_number"] == "+266696687"));
    assert!(d.events.iter().any(|e| e["caller_number"] == "+7378742833"));
}

#[test]
fn crm_contacts_have_model_fields_and_cover_a_third_of_callers() {
    let d = demo();
    let top: BTreeSet<&str> = d
        .crm
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, _)| k.as_str())
        .collect();
    assert_eq!(top, BTreeSet::from(["contacts", "suppressions"]));
    let contacts = d.crm["contacts"].as_array().cloned().unwrap_or_default();
    let mut ids = BTreeSet::new();
    let locs = locations(&d.policy);
    for c in &contacts {
        for k in c.as_object().into_iter().flatten().map(|(k, _)| k.as_str()) {
            assert!(CONTACT_KEYS.contains(&k), "{k}");
        }
        let id = s(c, "id");
        assert!(
            id.len() == 8 && id.starts_with("c_") && id[2..].chars().all(|c| c.is_ascii_digit())
        );
        assert!(ids.insert(id.to_string()), "duplicate {id}");
        assert!(matches!(s(c, "kind"), "customer" | "lead"));
        assert!(locs.contains_key(s(c, "location_id")));
        assert!(!phone_keys(c).is_empty());
        let created = ts(s(c, "created_at"));
        assert!(ts(s(c, "last_activity_at")) >= created);
        for r in c["recent_events"].as_array().into_iter().flatten() {
            for k in r.as_object().into_iter().flatten().map(|(k, _)| k.as_str()) {
                assert!([
                    "event_id",
                    "occurred_at",
                    "kind",
                    "location_id",
                    "had_transcript"
                ]
                .contains(&k));
            }
            assert!(ts(s(r, "occurred_at")) < ts("2026-11-30T00:00:00-10:00"));
        }
    }
    let by_key = contacts_by_key(&d.crm);
    let callers: BTreeSet<String> = d.events.iter().filter_map(caller_key).collect();
    let known = callers.iter().filter(|k| by_key.contains_key(*k)).count() as f64;
    let share = known / callers.len() as f64;
    assert!((0.25..=0.42).contains(&share), "{share}");
    let typed = contacts.iter().filter(|c| {
        c["phones"]
            .as_array()
            .is_some_and(|p| p.iter().any(Value::is_object))
    });
    assert!(typed.count() >= 10);
}

#[test]
fn generation_is_deterministic() {
    let (a, b) = (demo(), demo());
    assert_eq!(a.policy, b.policy);
    assert_eq!(a.crm, b.crm);
    assert_eq!(a.events, b.events);
    assert_eq!(to_pretty(&a.crm), to_pretty(&b.crm));
}

#[test]
fn write_creates_the_three_files() -> io::Result<()> {
    let dir = std::env::temp_dir().join(format!("ringback-demo-gen-{}", std::process::id()));
    write(&dir)?;
    let d = demo();
    let policy = std::fs::read_to_string(dir.join("policy.json"))?;
    let crm = std::fs::read_to_string(dir.join("crm.json"))?;
    let events = std::fs::read_to_string(dir.join("events.jsonl"))?;
    std::fs::remove_dir_all(&dir)?;
    assert!(policy.ends_with("}\n") && crm.ends_with("}\n") && events.ends_with("}\n"));
    assert!(policy.starts_with("{\n  \"version\": \"demo-2026-11\","));
    assert_eq!(serde_json::from_str::<Value>(&policy)?, d.policy);
    assert_eq!(serde_json::from_str::<Value>(&crm)?, d.crm);
    let lines: Vec<&str> = events.lines().collect();
    assert_eq!(lines.len(), d.events.len());
    for (line, event) in lines.iter().zip(&d.events) {
        assert!(line.starts_with("{\"event_id\":"));
        assert_eq!(&serde_json::from_str::<Value>(line)?, event);
    }
    Ok(())
}
