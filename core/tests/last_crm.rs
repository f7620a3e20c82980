//! `Engine::process_json_reusing`: a caller passing the same CRM snapshot call after call
//! gets the decisions `process_json` gives, byte for byte, and the same errors in the same
//! order; a changed snapshot (or another engine) is indexed again, never served stale.

use ringback::{Engine, ErrorCode, LastCrm, Policy};

mod common;
use common::demo;

fn engine(policy: &str) -> Engine {
    Engine::new(&Policy::from_json(policy).expect("policy")).expect("engine")
}

#[test]
fn reused_snapshot_decides_byte_for_byte_like_process_json() {
    let engine = engine(&demo("policy.json"));
    let crm: serde_json::Value = serde_json::from_str(&demo("crm.json")).expect("crm");
    // Two snapshots an integrator might alternate between: the whole CRM, and half of it.
    let whole = crm.to_string();
    let mut half = crm.clone();
    let contacts = half["contacts"].as_array_mut().expect("contacts");
    contacts.truncate(contacts.len() / 2);
    let half = half.to_string();
    let mut last = LastCrm::default();
    let events = demo("events.jsonl");
    let mut compared = 0;
    for (i, line) in events.lines().enumerate() {
        // Runs of the same snapshot, then a switch: both the hit and the miss paths.
        let snapshot = if (i / 7) % 2 == 0 { &whole } else { &half };
        let reused = engine.process_json_reusing(line, snapshot, &mut last);
        let fresh = engine.process_json(line, snapshot);
        assert_eq!(reused.as_ref().ok(), fresh.as_ref().ok(), "event {i}");
        assert_eq!(reused.err().map(|e| e.code), fresh.err().map(|e| e.code));
        compared += 1;
    }
    assert!(compared > 400);
    // The empty CRM.
    let line = events.lines().next().expect("an event");
    assert_eq!(
        engine.process_json_reusing(line, "", &mut last).ok(),
        engine.process_json(line, "").ok()
    );
}

#[test]
fn errors_keep_their_order_and_a_bad_snapshot_is_not_kept() {
    let engine = engine(&demo("policy.json"));
    let line = demo("events.jsonl")
        .lines()
        .next()
        .expect("an event")
        .to_string();
    let mut last = LastCrm::default();
    // A bad event with a bad CRM: the event's error, as process_json says.
    let both = engine
        .process_json_reusing("{\"event_id\": 5}", "{\"contacts\": 3}", &mut last)
        .expect_err("bad event");
    assert_eq!(both.code, ErrorCode::InvalidEvent);
    let bad_crm = engine
        .process_json_reusing(&line, "{\"contacts\": 3}", &mut last)
        .expect_err("bad crm");
    let plain = engine
        .process_json(&line, "{\"contacts\": 3}")
        .expect_err("bad crm");
    assert_eq!(
        (bad_crm.code, bad_crm.path.clone()),
        (plain.code, plain.path)
    );
    // After the bad snapshot, a good one decides as usual.
    let crm = demo("crm.json");
    assert_eq!(
        engine.process_json_reusing(&line, &crm, &mut last).ok(),
        engine.process_json(&line, &crm).ok()
    );
}

#[test]
fn another_policy_does_not_reuse_the_index() {
    // The index normalizes numbers with the policy's locations; an engine with another
    // policy must not be served the first one's index.
    let a = engine(&demo("policy.json"));
    let b = engine(&demo("policy-sla10.json"));
    let crm = demo("crm.json");
    let mut last = LastCrm::default();
    for line in demo("events.jsonl").lines().take(40) {
        assert_eq!(
            a.process_json_reusing(line, &crm, &mut last).ok(),
            a.process_json(line, &crm).ok()
        );
        assert_eq!(
            b.process_json_reusing(line, &crm, &mut last).ok(),
            b.process_json(line, &crm).ok()
        );
    }
}
