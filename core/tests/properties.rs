//! Property tests: no input, however malformed, panics; equal inputs give byte-identical
//! output; the fast phone key agrees with the full parser; an index and a snapshot agree.

use proptest::prelude::*;
use serde_json::{json, Value};

use ringback::{CrmSnapshot, Engine, MissedCallEvent};

fn policy() -> &'static Engine {
    static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
    ENGINE.get_or_init(|| {
        Engine::from_policy_text(include_str!("../../tests/corpus/policies/multi.json"))
            .expect("corpus policy compiles")
    })
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| json!(f)),
        ".{0,24}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("event_id".to_string()),
                    Just("location_id".to_string()),
                    Just("occurred_at".to_string()),
                    Just("disposition".to_string()),
                    Just("contacts".to_string()),
                    Just("phones".to_string()),
                    "[a-z_]{1,12}",
                ],
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Strings people and vendors put where a phone number goes.
fn arb_phone() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\+?1?[ .-]?\\(?[2-9][0-9]{2}\\)?[ .-]?[2-9][0-9]{2}[ .-]?[0-9]{4}( ?(x|ext\\.?|#) ?[0-9]{1,5})?",
        "\\+[0-9 ]{1,20}",
        "[0-9()+ .x#-]{0,30}",
        "(anonymous|Restricted|UNAVAILABLE|\\+266696687|\\+7378742833|sip:[a-z]{1,8}@x\\.com|client:[a-z]{1,8})",
        ".{0,40}",
    ]
}

/// A few real numbers written the ways people write them, so that events and contacts match.
fn pool_phone() -> impl Strategy<Value = String> {
    (
        prop_oneof![
            Just(("212", "555", "0188")),
            Just(("416", "555", "0199")),
            Just(("312", "555", "0142"))
        ],
        0usize..6,
    )
        .prop_map(|((a, b, c), style)| match style {
            0 => format!("+1{a}{b}{c}"),
            1 => format!("({a}) {b}-{c}"),
            2 => format!("{a}.{b}.{c} x12"),
            3 => format!("1-{a}-{b}-{c}"),
            4 => format!("+1 {a} {b} {c}"),
            _ => format!("{a}{b}{c}"),
        })
}

fn arb_timestamp() -> impl Strategy<Value = String> {
    prop_oneof![
        // Around the 2026 DST changes and midnight, with assorted offsets.
        4 => (prop_oneof![Just("2026-03-08"), Just("2026-11-01"), Just("2026-11-26"), Just("2026-11-29"), Just("2026-12-31")],
         0u32..24, 0u32..60,
         prop_oneof![Just("Z"), Just("-05:00"), Just("-04:00"), Just("-07:00"), Just("+14:00"), Just("-12:00")])
            .prop_map(|(d, h, m, o)| format!("{d}T{h:02}:{m:02}:00{o}")),
        1 => ".{0,30}",
    ]
}

fn arb_event() -> impl Strategy<Value = Value> {
    (
        prop_oneof![
            Just("nyc-01"),
            Just("chi-dental"),
            Just("tor-01"),
            Just("pii-01"),
            Just("zz")
        ],
        arb_timestamp(),
        prop::option::of(arb_timestamp()),
        prop::option::of(prop_oneof![2 => pool_phone(), 1 => arb_phone()]),
        prop::option::of(".{0,20}"),
        prop_oneof![
            Just("no_answer"),
            Just("busy"),
            Just("voicemail"),
            Just("abandoned"),
            Just("abandoned_in_ivr"),
            Just("short_abandoned"),
            Just("after_hours"),
            Just("answered"),
            Just("failed"),
            Just("bogus")
        ],
        prop::option::of(".{0,60}"),
        prop::option::of(0u32..400),
    )
        .prop_map(|(loc, occ, rec, phone, cnam, disp, transcript, dur)| {
            let mut e = json!({
                "event_id": "E1", "location_id": loc, "occurred_at": occ,
                "caller_number": phone, "caller_name": cnam, "disposition": disp,
            });
            if let Some(r) = rec {
                e["received_at"] = json!(r);
            }
            if transcript.is_some() || dur.is_some() {
                e["voicemail"] = json!({"transcript": transcript, "duration_seconds": dur});
            }
            e
        })
}

fn arb_crm() -> impl Strategy<Value = Value> {
    prop::collection::vec(
        (
            prop::collection::vec(prop_oneof![2 => pool_phone(), 1 => arb_phone()], 0..3),
            prop_oneof![Just("customer"), Just("lead")],
            prop::option::of(prop_oneof![Just("nyc-01"), Just("tor-01"), Just("other")]),
            prop::option::of(arb_timestamp()),
            prop::bool::ANY,
        ),
        0..6,
    )
    .prop_map(|contacts| {
        let list: Vec<Value> = contacts
            .into_iter()
            .enumerate()
            .map(|(i, (phones, kind, loc, ts, replay))| {
                let mut c = json!({"id": format!("c{i}"), "kind": kind, "phones": phones, "location_id": loc});
                if let Some(t) = ts {
                    c["last_activity_at"] = json!(t.clone());
                    c["recent_events"] = json!([{"event_id": if replay {"E1"} else {"E0"}, "occurred_at": t, "kind": "missed_call"}]);
                }
                c
            })
            .collect();
        json!({"contacts": list})
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, .. ProptestConfig::default() })]

    #[test]
    fn arbitrary_json_never_panics(event in arb_json(), crm in arb_json()) {
        let engine = policy();
        match engine.process_json(&event.to_string(), &crm.to_string()) {
            Ok(out) => prop_assert!(out.starts_with('{'), "not an object: {}", out),
            Err(e) => prop_assert!(!e.code.as_str().is_empty() && e.code.is_bad_input(), "{e}"),
        }
    }

    #[test]
    fn arbitrary_text_never_panics(event in ".{0,200}", crm in ".{0,100}") {
        let engine = policy();
        if let Err(e) = engine.process_json(&event, &crm) {
            prop_assert!(e.code.is_bad_input(), "{e}");
        }
    }

    #[test]
    fn plausible_events_decide_or_fail_with_a_code(event in arb_event(), crm in arb_crm()) {
        let engine = policy();
        let text = event.to_string();
        let crm_text = crm.to_string();
        match engine.process_json(&text, &crm_text) {
            Ok(out) => {
                // Deterministic: the same input gives byte-identical output.
                let again = engine.process_json(&text, &crm_text).expect("second run");
                prop_assert_eq!(&out, &again);
                // A snapshot and an index of the same contacts decide identically.
                let ev = MissedCallEvent::from_json(&text).expect("event parsed before");
                let snap = CrmSnapshot::from_json(&crm_text).expect("crm parsed before");
                let by_snapshot = engine.process(&ev, &snap).expect("snapshot");
                let by_index = engine.process(&ev, &engine.index(snap)).expect("index");
                prop_assert_eq!(by_snapshot, by_index);
            }
            Err(e) => prop_assert!(e.code.is_bad_input(), "{e}"),
        }
    }

    #[test]
    fn fast_match_key_agrees_with_the_parser(raw in arb_phone()) {
        use phonenumber::country::Id;
        if let Some(fast) = ringback::phone::match_key(&raw, Id::US) {
            if let Some(full) = ringback::phone::parse_full(&raw, Id::US) {
                prop_assert_eq!(fast, full.e164, "input {:?}", raw);
            }
        }
    }

    /// The table-driven fast path for callers gives exactly what libphonenumber gives:
    /// e164, validity and country, for any area code and exchange, typed any way, read
    /// with any default region.
    #[test]
    fn fast_caller_parse_agrees_with_the_parser(
        npa in 200u16..1000, nxx in 200u16..1000, line in 0u16..10000, style in 0usize..5,
        region in prop_oneof![Just("US"), Just("CA"), Just("GB"), Just("JM")],
    ) {
        let raw = match style {
            0 => format!("+1{npa}{nxx}{line:04}"),
            1 => format!("({npa}) {nxx}-{line:04}"),
            2 => format!("1-{npa}-{nxx}-{line:04}"),
            3 => format!("+1 {npa} {nxx} {line:04} x7"),
            _ => format!("{npa}.{nxx}.{line:04}"),
        };
        let id = ringback::phone::region(region).expect("region");
        prop_assert_eq!(
            ringback::phone::parse(&raw, id),
            ringback::phone::parse_full(&raw, id),
            "input {:?} region {}", raw, region
        );
    }
}

/// Guards the property above against passing vacuously: most generated events must get
/// through to a decision, and the phone strategy must often hit both phone paths.
#[test]
fn generators_reach_the_pipeline() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{Config, TestRunner};
    let engine = policy();
    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        proptest::test_runner::TestRng::deterministic_rng(
            proptest::test_runner::RngAlgorithm::ChaCha,
        ),
    );
    let (mut ok, mut matched, mut both) = (0, 0, 0);
    for _ in 0..500 {
        let ev = arb_event().new_tree(&mut runner).expect("tree").current();
        let crm = arb_crm().new_tree(&mut runner).expect("tree").current();
        if let Ok(out) = engine.process_json(&ev.to_string(), &crm.to_string()) {
            ok += 1;
            if !out.contains("\"candidates\":[]") {
                matched += 1;
            }
        }
        let raw = arb_phone().new_tree(&mut runner).expect("tree").current();
        if ringback::phone::match_key(&raw, phonenumber::country::Id::US).is_some()
            && ringback::phone::parse(&raw, phonenumber::country::Id::US).is_some()
        {
            both += 1;
        }
    }
    assert!(ok >= 150, "only {ok}/500 generated events decided");
    assert!(matched >= 5, "only {matched} decisions matched a contact");
    assert!(
        both >= 100,
        "only {both}/500 phones went through both paths"
    );
}

/// Every area code in the table, a spread of exchanges each (including the ends of every
/// valid range): the fast path and libphonenumber agree.
#[test]
fn fast_caller_parse_agrees_on_every_area_code() {
    let us = phonenumber::country::Id::US;
    let mut fast_hits = 0;
    let mut checked = 0;
    for npa in 200u16..1000 {
        if ringback::nanp::area(npa).is_none() {
            continue;
        }
        for nxx in (200u16..1000).filter(|n| n % 7 == 0 || n % 100 == 0 || n % 100 == 99) {
            let raw = format!("({npa}) {nxx}-0143");
            let fast = ringback::phone::parse(&raw, us);
            let full = ringback::phone::parse_full(&raw, us);
            assert_eq!(fast, full, "{raw}");
            checked += 1;
            if full.is_some_and(|p| p.valid) {
                fast_hits += 1;
            }
        }
    }
    assert!(
        checked > 40_000 && fast_hits > 30_000,
        "{checked} checked, {fast_hits} valid"
    );
}

/// Suppression lists match numbers written any way, including vanity letters and
/// extensions, for a snapshot and an index alike.
#[test]
fn suppression_entries_in_any_format_match() {
    use ringback::compliance::suppression::List;
    use ringback::CrmSource;
    let engine = policy();
    let snap = CrmSnapshot::from_json(
        r#"{"suppressions": {"do_not_text": ["1-800-FLOWERS", "(212) 555-0188 x12", "416.555.0199"]}}"#,
    )
    .expect("crm");
    let index = engine.index(snap.clone());
    for key in ["+18003569377", "+12125550188", "+14165550199"] {
        assert!(
            snap.is_suppressed(List::DoNotText, key, engine.compiled()),
            "{key}"
        );
        assert!(
            index.is_suppressed(List::DoNotText, key, engine.compiled()),
            "{key}"
        );
    }
    assert!(!snap.is_suppressed(List::DoNotText, "+12125550189", engine.compiled()));
    assert!(!snap.is_suppressed(List::DoNotCall, "+12125550188", engine.compiled()));
}

proptest! {
    /// The timestamp writer's fast path (whole seconds, whole-minute offsets) gives exactly
    /// chrono's RFC 3339 text, and so does the fallback for sub-seconds, odd offsets and
    /// years outside 0000-9999.
    #[test]
    fn timestamp_text_is_chrono_s(
        secs in -62_000_000_000i64..253_402_300_799i64,
        nanos in prop_oneof![Just(0u32), 0u32..1_000_000_000],
        offset in prop_oneof![
            (-23 * 60..=23 * 60i32).prop_map(|m| m * 60),
            -86_399..86_399i32,
            Just(0),
        ],
    ) {
        use chrono::{DateTime, FixedOffset, SecondsFormat};
        let Some(zone) = FixedOffset::east_opt(offset) else { return Ok(()); };
        let Some(utc) = DateTime::from_timestamp(secs, nanos) else { return Ok(()); };
        let t = utc.with_timezone(&zone);
        let want = t.to_rfc3339_opts(SecondsFormat::AutoSi, true);
        let ts = ringback::Timestamp(t);
        prop_assert_eq!(ts.to_rfc3339(), want.clone());
        prop_assert_eq!(serde_json::to_string(&ts).expect("json"), format!("\"{want}\""));
    }
}
