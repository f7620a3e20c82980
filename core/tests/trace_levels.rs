//! The trace levels of `audit.trace` (`codes` default, `full`, `off`) and `Engine::explain`:
//! each level is byte-identical run to run; the levels differ in the trace alone (same
//! decision id, same everything else); a stored lean decision's words come back from its
//! inputs, and the decision id proves they are the same inputs.

use ringback::{CrmSnapshot, Engine, ErrorCode, MissedCallEvent, Policy, TraceLevel};
use serde_json::{json, Value};

fn engine(level: Option<&str>) -> Engine {
    let mut policy = json!({"version": "trace-1", "locations": [{"id": "phx-01",
        "name": "Phoenix Camelback", "vertical": "home_services", "time_zone": "America/Phoenix",
        "country": "US", "state": "AZ",
        "hours": {"mon": [["07:00", "18:00"]], "tue": [["07:00", "18:00"]]}}]});
    if let Some(l) = level {
        policy["defaults"] = json!({"audit": {"trace": l}});
    }
    Engine::new(&Policy::from_json(&policy.to_string()).expect("policy")).expect("engine")
}

fn inputs() -> (MissedCallEvent, CrmSnapshot) {
    let event = MissedCallEvent::from_json(
        r#"{"event_id": "CA-trace-1", "location_id": "phx-01",
            "occurred_at": "2026-11-24T09:15:00-07:00", "caller_number": "(602) 555-0143",
            "caller_name": "GARCIA,MARIA", "disposition": "voicemail",
            "voicemail": {"transcript": "water heater burst, water everywhere, call me back",
                          "duration_seconds": 21}}"#,
    )
    .expect("event");
    let crm = CrmSnapshot::from_json(
        r#"{"contacts": [{"id": "c_17", "kind": "customer", "phones": ["602-555-0143"],
            "location_id": "phx-01"}]}"#,
    )
    .expect("crm");
    (event, crm)
}

fn decide(level: Option<&str>) -> Value {
    let (event, crm) = inputs();
    let d = engine(level).process(&event, &crm).expect("decision");
    serde_json::to_value(&d).expect("json")
}

/// The decision without its words: the trace, the intent signals' details and the callee's
/// rule sources (kept at `full` only).
fn without_trace(mut v: Value) -> Value {
    v.as_object_mut().expect("object").remove("trace");
    if let Some(signals) = v["intent"]["signals"].as_array_mut() {
        for s in signals {
            s.as_object_mut().expect("signal").remove("detail");
        }
    }
    if let Some(callee) = v["callee"].as_object_mut() {
        callee.remove("rule_sources");
    }
    v
}

#[test]
fn levels_differ_in_the_trace_alone() {
    let codes = decide(None);
    let full = decide(Some("full"));
    let off = decide(Some("off"));
    assert_eq!(decide(Some("codes")), codes, "codes is the default");
    // Byte-identical per level, run to run.
    assert_eq!(codes.to_string(), decide(None).to_string());
    assert_eq!(full.to_string(), decide(Some("full")).to_string());
    // The decision (and its id) does not depend on the level.
    assert_eq!(codes["decision_id"], full["decision_id"]);
    assert_eq!(without_trace(codes.clone()), without_trace(full.clone()));
    assert_eq!(without_trace(codes.clone()), without_trace(off.clone()));

    let codes_trace = codes["trace"].as_array().expect("trace");
    let full_trace = full["trace"].as_array().expect("trace");
    assert!(codes_trace.len() > 10, "{}", codes_trace.len());
    // The same rules in the same order, as `stage/rule=result`, less those whose outcome a
    // decision field states (core/data/trace_rules.json); every full entry has words.
    let mut kept = Vec::new();
    let mut left_out = 0;
    for f in full_trace {
        assert!(f["detail"].is_string(), "{f}");
        let (stage, rule, result) = (
            f["stage"].as_str().expect("stage"),
            f["rule"].as_str().expect("rule"),
            f["result"].as_str().expect("result"),
        );
        if ringback::trace::stated(stage, rule, result) {
            left_out += 1;
        } else {
            kept.push(json!(format!("{stage}/{rule}={result}")));
        }
    }
    assert_eq!(codes_trace, &kept);
    assert!(left_out >= 5, "{left_out}");
    assert!(full["callee"]["rule_sources"].is_array());
    assert!(codes["callee"].get("rule_sources").is_none());
    assert!(full["intent"]["signals"][0]["detail"].is_string());
    assert!(codes["intent"]["signals"][0].get("detail").is_none());
    assert_eq!(off["trace"], json!([]));
    assert!(codes.to_string().len() < full.to_string().len());
    // Phone numbers stay masked in the words unless the policy allows PII.
    let words = full["trace"].to_string();
    assert!(!words.contains("5550143"), "masked");
}

#[test]
fn explain_regenerates_the_words_of_a_stored_decision() {
    let engine = engine(None);
    let (event, crm) = inputs();
    let stored = engine.process(&event, &crm).expect("decision");
    let explained = engine
        .explain(&event, &crm, None, Some(&stored.decision_id))
        .expect("explain");
    assert_eq!(explained.decision_id, stored.decision_id);
    let full = decide(Some("full"));
    assert_eq!(
        serde_json::to_value(&explained).expect("json")["trace"],
        full["trace"]
    );
    let text = ringback::trace::render(&explained.trace);
    assert!(text.lines().count() == explained.trace.len(), "{text}");
    assert!(text.contains("identity/crm_match = 1: "), "{text}");

    // Other inputs: another decision id, an error instead of another decision's words.
    let mut other = event.clone();
    other.caller_number = Some("+16025550199".into());
    let e = engine
        .explain(&other, &crm, None, Some(&stored.decision_id))
        .unwrap_err();
    assert_eq!(
        (e.code, e.path.as_str()),
        (ErrorCode::InvalidEvent, "decision_id")
    );
    assert!(e.message.contains(&stored.decision_id), "{}", e.message);

    // The JSON entry point, with and without an id.
    let event_json = serde_json::to_string(&event).expect("event json");
    let crm_json = r#"{"contacts": [{"id": "c_17", "kind": "customer",
        "phones": ["602-555-0143"], "location_id": "phx-01"}]}"#;
    let out: Value = serde_json::from_str(
        &engine
            .explain_json(&event_json, crm_json, &stored.decision_id)
            .expect("explain_json"),
    )
    .expect("json");
    assert_eq!(out["trace"], full["trace"]);
    assert!(engine.explain_json(&event_json, crm_json, "").is_ok());
    assert_eq!(
        engine
            .explain_json(&event_json, crm_json, "dec_0000")
            .unwrap_err()
            .code,
        ErrorCode::InvalidEvent
    );
    assert_eq!(TraceLevel::default(), TraceLevel::Codes);
}
