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

fn without_trace(mut v: Value) -> Value {
    v.as_object_mut().expect("object").remove("trace");
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
    assert!(codes_trace.len() > 20, "{}", codes_trace.len());
    assert_eq!(
        codes_trace.len(),
        full_trace.len(),
        "the same rules, fewer words"
    );
    for (c, f) in codes_trace.iter().zip(full_trace) {
        assert!(c.get("detail").is_none(), "{c}");
        assert_eq!(
            (&c["stage"], &c["rule"], &c["result"]),
            (&f["stage"], &f["rule"], &f["result"])
        );
        assert!(f["detail"].is_string(), "{f}");
    }
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
