//! Late vendor data end to end: ingest → `Engine::process` → the CRM write-back
//! (`CrmIndex::apply`, as a replay or an integrator's sync does) → the next delivery. The
//! same missed call arriving twice gives one follow-up and one duplicate; once more with its
//! transcript it is an amendment, never a second follow-up.

use ringback::ingest::{self, IngestOptions, Ingested};
use ringback::{CrmIndex, CrmSnapshot, Engine, Policy, Status};
use serde_json::{json, Value};

fn fixture(name: &str) -> String {
    let path = format!("{}/../tests/vendors/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn fixture_json(name: &str) -> Value {
    serde_json::from_str(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn engine() -> Engine {
    let hours = json!([["00:00", "23:59"]]);
    let all_week = json!({"mon": hours, "tue": hours, "wed": hours, "thu": hours,
                          "fri": hours, "sat": hours, "sun": hours});
    let location = |id: &str, tz: &str, country: &str| {
        json!({"id": id, "name": id, "vertical": "home_services", "time_zone": tz,
               "country": country, "hours": all_week})
    };
    let policy = json!({"version": "ingest-replay-1", "locations": [
        location("atl-01", "America/New_York", "US"),
        location("sf-01", "America/Los_Angeles", "US"),
        location("vie-01", "Europe/Vienna", "AT"),
        location("oak-01", "America/Los_Angeles", "US"),
        location("bayside", "America/Los_Angeles", "US"),
    ]});
    let policy = Policy::from_json(&policy.to_string()).expect("policy");
    Engine::new(&policy).expect("engine")
}

fn options() -> IngestOptions {
    IngestOptions::from_json(
        r#"{"location_map": {"+14045558514": "atl-01", "+14155550100": "sf-01",
            "aircall:397375": "vie-01", "Office:5527348325810176": "oak-01",
            "twilio:ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx": "sf-01",
            "+17044486577": "atl-01", "8669592359": "atl-01"},
            "location_time_zones": {"atl-01": "America/New_York"},
            "received_at": "2025-01-14T17:05:00Z"}"#,
    )
    .expect("options")
}

/// Ingests and decides each delivery in order, writing every decision back; returns the
/// statuses (`None` for a delivery that is not an event) and the follow-up step counts.
fn run(deliveries: &[(&str, String)]) -> Vec<(Option<Status>, usize)> {
    let engine = engine();
    let mut crm: CrmIndex = engine.index(CrmSnapshot::default());
    let options = options();
    deliveries
        .iter()
        .map(
            |(vendor, body)| match ingest::parse(vendor, body, &options).expect("ingest") {
                Ingested::Event(event) => {
                    let d = engine.process(&event, &crm).expect("decision");
                    crm.apply(&event, &d);
                    (Some(d.status), d.follow_up.len())
                }
                _ => (None, 0),
            },
        )
        .collect()
}

fn is_first_delivery(s: Option<Status>) -> bool {
    matches!(
        s,
        Some(Status::FollowUp | Status::Deferred | Status::ManualReview)
    )
}

#[test]
fn callrail_post_call_then_call_modified_with_transcript() {
    let post = fixture("callrail-post-call-voicemail-verbatim.json");
    let mut modified = fixture_json("callrail-post-call-voicemail-verbatim.json");
    modified["transcription"] = json!("Hi, this is Kaylah, my water heater is leaking.");
    modified["changes"] = json!(["transcription"]);
    let out = run(&[
        ("callrail", post.clone()),
        ("callrail", post),
        ("callrail", modified.to_string()),
    ]);
    assert!(is_first_delivery(out[0].0), "{out:?}");
    assert!(
        out[0].1 > 0,
        "the first delivery plans a follow-up: {out:?}"
    );
    assert_eq!(out[1], (Some(Status::DuplicateEvent), 0));
    assert_eq!(out[2], (Some(Status::Amended), 0));
}

#[test]
fn twilio_dial_action_record_action_then_transcription() {
    // The Dial action of the call whose voicemail the reconstructed samples describe.
    let dial =
        "AccountSid=ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx&CallSid=CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\
                &CallStatus=in-progress&Direction=inbound&From=%2B12125550123&To=%2B14155550100\
                &DialCallStatus=no-answer&DialCallSid=CAbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
            .to_string();
    let out = run(&[
        ("twilio", dial),
        (
            "twilio",
            fixture("twilio-status-callback-no-answer-reconstructed.txt"),
        ),
        (
            "twilio",
            fixture("twilio-record-action-voicemail-reconstructed.txt"),
        ),
        (
            "twilio",
            fixture("twilio-transcribe-callback-reconstructed.txt"),
        ),
    ]);
    assert!(is_first_delivery(out[0].0), "{out:?}");
    assert_eq!(out[1], (Some(Status::DuplicateEvent), 0), "child leg");
    assert_eq!(out[2], (Some(Status::DuplicateEvent), 0), "recording");
    assert_eq!(out[3], (Some(Status::Amended), 0), "transcript");
}

#[test]
fn aircall_hungup_then_ended_twice() {
    let ended = fixture("aircall-call-ended-inbound-missed-with-voicemail-verbatim.json");
    let out = run(&[
        (
            "aircall",
            fixture("aircall-call-hungup-inbound-missed-verbatim.json"),
        ),
        ("aircall", ended.clone()),
        ("aircall", ended),
    ]);
    assert_eq!(out[0], (None, 0), "call.hungup waits for call.ended");
    assert!(is_first_delivery(out[1].0), "{out:?}");
    assert_eq!(out[2], (Some(Status::DuplicateEvent), 0));
}

#[test]
fn dialpad_legs_voicemail_then_transcription() {
    let base = fixture_json("dialpad-call-hangup-inbound-unanswered-verbatim.json");
    let mut leg = base.clone();
    leg["call_id"] = json!(5000000000000001u64);
    leg["entry_point_call_id"] = json!(6421977457180672u64);
    let mut vm = leg.clone();
    vm["state"] = json!("voicemail_uploaded");
    vm["voicemail_link"] = json!("https://dialpad.com/r/vm/123");
    let mut tr = vm.clone();
    tr["state"] = json!("transcription");
    tr["transcription_text"] = json!("Please call me back about my appointment.");
    let out = run(&[
        ("dialpad", leg.to_string()),
        ("dialpad", base.to_string()),
        ("dialpad", vm.to_string()),
        ("dialpad", tr.to_string()),
    ]);
    assert_eq!(out[0], (None, 0), "not the entry-point leg");
    assert!(is_first_delivery(out[1].0), "{out:?}");
    assert_eq!(out[2], (Some(Status::DuplicateEvent), 0));
    assert_eq!(out[3], (Some(Status::Amended), 0));
}

#[test]
fn zoom_one_event_per_call_id() {
    let first = fixture_json("zoom-phone-callee-missed-reconstructed.json");
    let mut second = first.clone();
    second["payload"]["object"]["callee"]["extension_number"] = json!(1002);
    second["payload"]["object"]["callee"]["extension_id"] = json!("EXAMPLEextId2");
    let out = run(&[("zoom", first.to_string()), ("zoom", second.to_string())]);
    assert!(is_first_delivery(out[0].0), "{out:?}");
    assert_eq!(
        out[1],
        (Some(Status::DuplicateEvent), 0),
        "second rung extension"
    );
}

#[test]
fn whatconverts_in_progress_completed_update_then_voicemail() {
    let completed =
        fixture_json("whatconverts-webhook-phone-call-completed-unanswered-reconstructed.json");
    let mut in_progress = completed.clone();
    in_progress["trigger"] = json!("new");
    in_progress["lead_state"] = json!("In Progress");
    in_progress["call_status"] = json!("In Progress");
    in_progress
        .as_object_mut()
        .expect("lead")
        .remove("answer_status");
    let mut vm = completed.clone();
    vm["voicemail_url"] = json!("https://app.whatconverts.example/vm/153929.mp3");
    vm["voicemail_transcription"] = json!("Hi, my basement is flooding, please call back.");
    let out = run(&[
        ("whatconverts", in_progress.to_string()),
        ("whatconverts", completed.to_string()),
        ("whatconverts", completed.to_string()),
        ("whatconverts", vm.to_string()),
    ]);
    assert_eq!(out[0], (None, 0), "in progress: not decided");
    assert!(is_first_delivery(out[1].0), "{out:?}");
    assert!(out[1].1 > 0, "{out:?}");
    assert_eq!(out[2], (Some(Status::DuplicateEvent), 0), "the update");
    assert_eq!(
        out[3],
        (Some(Status::Amended), 0),
        "the voicemail transcript"
    );
}

#[test]
fn marchex_call_start_post_call_then_call_processed() {
    let processed = fixture_json("marchex-webhook-call-processed-unanswered-reconstructed.json");
    let mut start = processed.clone();
    start["Notifications"][0]["Action"] = json!("CallDetails.CallStart");
    let mut pre = processed.clone();
    pre["Notifications"][0]["Action"] = json!("CallDetails.CallPreprocessed");
    pre["Notifications"][0]["Incomplete"] = json!(true);
    let out = run(&[
        ("marchex", start.to_string()),
        ("marchex", pre.to_string()),
        ("marchex", processed.to_string()),
    ]);
    assert_eq!(out[0], (None, 0), "call start");
    assert!(is_first_delivery(out[1].0), "{out:?}");
    assert_eq!(
        out[2],
        (Some(Status::DuplicateEvent), 0),
        "the modified call"
    );
}

#[test]
fn retell_call_ended_then_call_analyzed_is_one_follow_up() {
    let ended =
        fixture_json("retell-webhook-call-ended-inbound-transfer-cancelled-reconstructed.json");
    let mut analyzed = ended.clone();
    analyzed["event"] = json!("call_analyzed");
    analyzed["call"]["call_analysis"] = json!({"call_summary": "Wanted the front desk.",
        "call_successful": false, "custom_analysis_data": {"wants_human": true}});
    let out = run(&[
        ("retell", ended.to_string()),
        ("retell", analyzed.to_string()),
    ]);
    assert!(is_first_delivery(out[0].0), "{out:?}");
    assert_eq!(out[1], (Some(Status::DuplicateEvent), 0));
}
