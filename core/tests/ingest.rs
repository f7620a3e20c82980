//! Vendor ingest: every sample payload in `tests/vendors/` (copied from the shared vendor
//! research) to the expected outcome and fields, variants for every documented value,
//! malformed and foreign payloads to coded errors, and signature test vectors.

use ringback::ingest::{self, signature, IngestOptions, Ingested};
use ringback::{Disposition, ErrorCode, MissedCallEvent};
use serde_json::{json, Value};

fn fixture(name: &str) -> String {
    let path = format!("{}/../tests/vendors/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn fixture_json(name: &str) -> Value {
    serde_json::from_str(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Options mapping every sample's tracking number or vendor id to a location.
fn options() -> IngestOptions {
    IngestOptions::from_json(
        r#"{
        "location_map": {
            "404-555-8514": "atl-01",
            "+13038163491": "den-01",
            "(404) 555-5466": "atl-02",
            "+1 772 247 6154": "fl-01",
            "+14155550100": "sf-01",
            "aircall:397375": "vie-01",
            "+441111111111": "uk-01",
            "+15558675310": "agent-desk",
            "Office:5527348325810176": "oak-01",
            "447700900000": "lon-01",
            "800-555-0199": "brand-800",
            "twilio:ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx": "sf-01"
        },
        "received_at": "2026-11-24T16:15:30Z"
    }"#,
    )
    .expect("test options")
}

fn parse(vendor: &str, payload: &str) -> Ingested {
    ingest::parse(vendor, payload, &options())
        .unwrap_or_else(|e| panic!("{vendor}: unexpected error {e}"))
}

fn event(vendor: &str, payload: &str) -> MissedCallEvent {
    match parse(vendor, payload) {
        Ingested::Event(e) => *e,
        other => panic!("{vendor}: expected an event, got {other:?}"),
    }
}

fn kind(vendor: &str, payload: &str) -> &'static str {
    parse(vendor, payload).kind()
}

fn err(vendor: &str, payload: &str) -> ringback::Error {
    match ingest::parse(vendor, payload, &options()) {
        Err(e) => e,
        Ok(ok) => panic!("{vendor}: expected an error, got {ok:?}"),
    }
}

fn ts(e: &MissedCallEvent) -> String {
    e.occurred_at.to_rfc3339()
}

fn with(mut v: Value, changes: Value) -> String {
    if let (Some(obj), Some(ch)) = (v.as_object_mut(), changes.as_object()) {
        for (k, val) in ch {
            obj.insert(k.clone(), val.clone());
        }
    }
    v.to_string()
}

fn with_data(mut v: Value, changes: Value) -> String {
    if let (Some(obj), Some(ch)) = (v["data"].as_object_mut(), changes.as_object()) {
        for (k, val) in ch {
            obj.insert(k.clone(), val.clone());
        }
    }
    v.to_string()
}

/// Replaces one form parameter (or appends it).
fn form_set(body: &str, key: &str, value: &str) -> String {
    let enc = value
        .replace('%', "%25")
        .replace('+', "%2B")
        .replace(' ', "+");
    let mut found = false;
    let mut parts: Vec<String> = body
        .trim()
        .split('&')
        .map(|p| {
            if p.split('=').next() == Some(key) {
                found = true;
                format!("{key}={enc}")
            } else {
                p.to_string()
            }
        })
        .collect();
    if !found {
        parts.push(format!("{key}={enc}"));
    }
    parts.join("&")
}

fn form_remove(body: &str, key: &str) -> String {
    body.trim()
        .split('&')
        .filter(|p| p.split('=').next() != Some(key))
        .collect::<Vec<_>>()
        .join("&")
}

// ---------------------------------------------------------------- CallRail

#[test]
fn callrail_post_call_voicemail_sample() {
    let e = event(
        "callrail",
        &fixture("callrail-post-call-voicemail-verbatim.json"),
    );
    assert_eq!(e.event_id, "766970532");
    assert_eq!(e.location_id, "atl-01");
    assert_eq!(e.disposition, Disposition::Voicemail);
    assert_eq!(e.raw_disposition.as_deref(), Some("voicemail"));
    assert_eq!(ts(&e), "2018-02-19T13:41:00.236-05:00");
    assert_eq!(
        e.received_at.map(|t| t.to_rfc3339()).as_deref(),
        Some("2026-11-24T16:15:30Z")
    );
    assert_eq!(e.caller_number.as_deref(), Some("+12148654559"));
    assert_eq!(e.caller_name.as_deref(), Some("Kaylah Mills"));
    assert_eq!(e.tracking_number.as_deref(), Some("+14045558514"));
    assert_eq!(e.duration_seconds, Some(13), "string duration \"13\"");
    assert_eq!(e.provider.as_deref(), Some("callrail"));
    let vm = e.voicemail.as_ref().expect("voicemail");
    assert_eq!(vm.duration_seconds, Some(8));
    assert_eq!(vm.transcript, None, "empty transcription is no transcript");
    assert_eq!(
        vm.recording_url.as_deref(),
        Some("https://app.callrail.com/calls/766970532/recording/redirect?access_key=aaaaccccddddeeee")
    );
    let a = e.attribution.as_ref().expect("attribution");
    assert_eq!(a.source.as_deref(), Some("google"));
    assert_eq!(a.medium.as_deref(), Some("cpc"));
    assert_eq!(a.campaign.as_deref(), Some("Google AdWords"));
    assert_eq!(a.gclid, None);
    assert_eq!(a.utm.get("source").map(String::as_str), Some("google"));
}

#[test]
fn callrail_post_call_missed_sample_with_gclid() {
    let e = event(
        "callrail",
        &fixture("callrail-post-call-missed-reconstructed.json"),
    );
    assert_eq!(e.event_id, "766970532");
    assert_eq!(e.disposition, Disposition::NoAnswer);
    assert_eq!(e.raw_disposition.as_deref(), Some("missed"));
    assert_eq!(e.duration_seconds, Some(24));
    assert_eq!(e.voicemail, None);
    let a = e.attribution.as_ref().expect("attribution");
    assert_eq!(a.gclid.as_deref(), Some("EAIaIQobChMI-example-gclid"));
    assert_eq!(a.keywords.as_deref(), Some("emergency plumber"));
    assert_eq!(a.medium.as_deref(), Some("PPC"));
    assert_eq!(a.campaign.as_deref(), Some("Brand - Search"));
    assert_eq!(
        a.landing_page.as_deref(),
        Some("https://www.example.com/plumbing?gclid=EAIaIQobChMI-example-gclid")
    );
}

#[test]
fn callrail_api_objects() {
    let e = event(
        "callrail",
        &fixture("callrail-api-field-selection-verbatim.json"),
    );
    assert_eq!(e.event_id, "444941612", "numeric id");
    assert_eq!(e.location_id, "atl-02");
    assert_eq!(ts(&e), "2017-06-04T13:36:24Z");
    assert_eq!(e.disposition, Disposition::Voicemail);
    assert_eq!(
        e.voicemail.and_then(|v| v.recording_url).as_deref(),
        Some("http://cdn.callrail.com/v3/a/297251749/calls/444941612/recording")
    );

    let e = event(
        "callrail",
        &fixture("callrail-api-single-call-milestones-verbatim.json"),
    );
    assert_eq!(e.event_id, "CAL8154748ae6bd4e278a7cddd38a662f4f");
    assert_eq!(e.location_id, "den-01");
    assert_eq!(ts(&e), "2017-01-24T11:27:48.119-05:00");
    // No call_type: 4 s is under CallRail's 15 s abandonment threshold.
    assert_eq!(e.disposition, Disposition::Abandoned);
    assert_eq!(e.duration_seconds, Some(4), "integer duration");
    let a = e.attribution.expect("attribution");
    assert_eq!(a.gclid.as_deref(), Some("12345abgdef"), "from milestones");
    assert_eq!(a.source.as_deref(), Some("Google Organic"), "last touch");
    assert_eq!(a.medium.as_deref(), Some("organic"));
}

#[test]
fn callrail_every_call_type() {
    let base = fixture_json("callrail-post-call-missed-reconstructed.json");
    let cases = [
        ("missed", false, Disposition::NoAnswer),
        ("abandoned", false, Disposition::Abandoned),
        ("abandonded", false, Disposition::Abandoned),
        ("voicemail", false, Disposition::Voicemail),
        ("voicemail_transcription", false, Disposition::Voicemail),
        ("missed", true, Disposition::Voicemail),
    ];
    for (call_type, vm, want) in cases {
        let e = event(
            "callrail",
            &with(
                base.clone(),
                json!({"call_type": call_type, "voicemail": vm, "duration": "9"}),
            ),
        );
        assert_eq!(e.disposition, want, "{call_type} voicemail={vm}");
        assert_eq!(
            e.raw_disposition.as_deref(),
            Some(call_type),
            "kept verbatim"
        );
    }
    for (changes, want) in [
        (
            json!({"answered": true, "call_type": "answered"}),
            "not_missed",
        ),
        (json!({"answered": "true"}), "not_missed"),
        (
            json!({"call_type": "outbound", "direction": "outbound"}),
            "not_missed",
        ),
        (json!({"call_type": "in_progress"}), "incomplete"),
    ] {
        assert_eq!(
            kind("callrail", &with(base.clone(), changes.clone())),
            want,
            "{changes}"
        );
    }
}

#[test]
fn callrail_pre_call_is_never_a_missed_call() {
    // The pre-call body as CallRail documents it.
    let pre = json!({
        "answered": false, "call_type": "missed", "formatted_call_type": "Missed",
        "customer_city": "Rochester", "customer_country": "US", "customer_name": "Kaylah Mills",
        "customer_phone_number": "+12148654559", "customer_state": "PA",
        "company_id": 155920786, "company_name": "Boost Marketing",
        "company_resource_id": "COM8154748ae6bd4e278a7cddd38a662f4f",
        "company_time_zone": "America/Los_Angeles",
        "created_at": "2018-02-19T13:41:00.252-05:00", "direction": "inbound",
        "duration": 0, "formatted_duration": "0s", "first_call": false,
        "formatted_tracking_phone_number": "404-555-8514",
        "person_resource_id": "PER8154748ae6bd4e278a7cddd38a662f4f", "prior_calls": 16,
        "resource_id": "CAL8154748ae6bd4e278a7cddd38a662f4f", "id": 766970532,
        "source_name": "Google AdWords", "start_time": "2018-02-19T13:41:00.236-05:00",
        "total_calls": 17, "tracker_resource_id": "TRK8154748ae6bd4e278a7cddd38a662f4f",
        "tracking_phone_number": "+14045558514", "voicemail": false
    });
    assert_eq!(kind("callrail", &pre.to_string()), "incomplete");
    // Routing complete adds the business number: still not a finished call.
    let routed = with(
        pre.clone(),
        json!({"business_phone_number": "+14045550000"}),
    );
    assert_eq!(kind("callrail", &routed), "incomplete");
    // The reconstructed missed body reduced to a pre-call shape.
    let base = fixture_json("callrail-post-call-missed-reconstructed.json");
    assert_eq!(
        kind("callrail", &with(base.clone(), json!({"duration": "0"}))),
        "incomplete"
    );
    // Told explicitly which webhook it is.
    for hook in ["pre_call", "call_routing_complete"] {
        let mut o = options();
        o.callrail_webhook = serde_json::from_value(json!(hook)).expect("callrail webhook name");
        let out = ingest::parse(
            "callrail",
            &fixture("callrail-post-call-voicemail-verbatim.json"),
            &o,
        )
        .expect("parse");
        assert_eq!(out.kind(), "incomplete", "{hook}");
    }
}

#[test]
fn callrail_legacy_fields() {
    let base = fixture_json("callrail-post-call-missed-reconstructed.json");
    let mut v = base.clone();
    let obj = v.as_object_mut().expect("object");
    for k in [
        "customer_phone_number",
        "tracking_phone_number",
        "customer_name",
        "start_time",
        "created_at",
        "timestamp",
    ] {
        obj.remove(k);
    }
    obj.insert("callernum".into(), json!("+12148654559"));
    let e = event("callrail", &v.to_string());
    assert_eq!(e.caller_number.as_deref(), Some("+12148654559"));
    assert_eq!(e.caller_name.as_deref(), Some("Kaylah Mills"), "callername");
    assert_eq!(
        e.tracking_number.as_deref(),
        Some("+14045558514"),
        "trackingnum"
    );
    assert_eq!(ts(&e), "2018-02-19T18:41:00Z", "legacy datetime is UTC");
}

// ---------------------------------------------------------------- Twilio

#[test]
fn twilio_dial_action_sample() {
    let e = event(
        "twilio",
        &fixture("twilio-dial-action-no-answer-verbatim.txt"),
    );
    assert_eq!(e.event_id, "CA4b2c80691a3b7059f44c09530901f525");
    assert_eq!(e.location_id, "fl-01");
    assert_eq!(e.disposition, Disposition::NoAnswer);
    assert_eq!(e.raw_disposition.as_deref(), Some("no-answer"));
    assert_eq!(e.caller_number.as_deref(), Some("+17722065315"));
    assert_eq!(e.tracking_number.as_deref(), Some("+17722476154"));
    assert_eq!(
        ts(&e),
        "2026-11-24T16:15:30Z",
        "no time in the body: received_at"
    );

    // Without received_at there is no time at all: a coded error naming the field.
    let e = ingest::parse(
        "twilio",
        &fixture("twilio-dial-action-no-answer-verbatim.txt"),
        &IngestOptions::from_json(r#"{"default_location": "x"}"#).expect("options"),
    )
    .expect_err("no time");
    assert_eq!(e.code, ErrorCode::InvalidEvent);
    assert_eq!(e.path, "Timestamp");
    assert!(e.message.contains("received_at"), "{}", e.message);
}

#[test]
fn twilio_every_dial_call_status() {
    let base = fixture("twilio-dial-action-no-answer-verbatim.txt");
    for (status, want) in [
        ("no-answer", Some(Disposition::NoAnswer)),
        ("busy", Some(Disposition::Busy)),
        ("failed", Some(Disposition::Failed)),
        ("canceled", Some(Disposition::Abandoned)),
        ("completed", None),
        ("answered", None),
    ] {
        let out = parse("twilio", &form_set(&base, "DialCallStatus", status));
        match want {
            Some(d) => {
                let e = out.event().unwrap_or_else(|| panic!("{status}: {out:?}"));
                assert_eq!(e.disposition, d, "{status}");
                assert_eq!(e.raw_disposition.as_deref(), Some(status));
            }
            None => assert_eq!(out.kind(), "not_missed", "{status}"),
        }
    }
    let e = err("twilio", &form_set(&base, "DialCallStatus", "exploded"));
    assert_eq!(e.code, ErrorCode::UnsupportedPayload);
    assert_eq!(e.path, "DialCallStatus");
}

#[test]
fn twilio_status_callbacks() {
    // The verbatim JSON rendering and its form-encoded twin read the same: an outbound
    // call the business placed through the API (a failed call initiation) is not a
    // missed inbound call, whatever its status.
    let a = parse(
        "twilio",
        &fixture("twilio-status-callback-busy-verbatim.json"),
    );
    let b = parse(
        "twilio",
        &fixture("twilio-status-callback-busy-derived.txt"),
    );
    assert_eq!(a, b);
    assert_eq!(a.kind(), "not_missed");
    assert!(a.reason().is_some_and(|r| r.contains("outbound")));
    let busy = fixture("twilio-status-callback-busy-derived.txt");
    assert_eq!(
        kind("twilio", &form_set(&busy, "CallStatus", "ringing")),
        "incomplete"
    );
    // The same body as the inbound parent leg that Twilio could not answer: busy.
    let inbound = form_set(&busy, "Direction", "inbound");
    let e = event("twilio", &inbound);
    assert_eq!(e.event_id, "CA8367245817625617832576245724");
    assert_eq!(e.disposition, Disposition::Busy);
    assert_eq!(e.location_id, "uk-01");
    assert_eq!(ts(&e), "2025-10-08T13:54:12Z", "RFC 2822 Timestamp");
    assert_eq!(e.duration_seconds, Some(0));

    // Child leg of a <Dial>: the event belongs to the parent call.
    let e = event(
        "twilio",
        &fixture("twilio-status-callback-no-answer-reconstructed.txt"),
    );
    assert_eq!(e.event_id, "CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    assert_eq!(e.disposition, Disposition::NoAnswer);
    assert_eq!(e.caller_number.as_deref(), Some("+12125550123"));
    assert_eq!(e.location_id, "agent-desk");
    assert_eq!(ts(&e), "2025-01-14T17:02:31Z");

    let child = fixture("twilio-status-callback-no-answer-reconstructed.txt");
    for (status, want) in [
        ("busy", "event"),
        ("failed", "event"),
        ("canceled", "event"),
        ("ringing", "incomplete"),
        ("in-progress", "incomplete"),
        ("queued", "incomplete"),
        ("initiated", "incomplete"),
        ("completed", "not_missed"),
    ] {
        assert_eq!(
            kind("twilio", &form_set(&child, "CallStatus", status)),
            want,
            "{status}"
        );
    }
    // Outbound leg answered by a machine: the callee's voicemail.
    let machine = form_set(
        &form_set(&child, "CallStatus", "completed"),
        "AnsweredBy",
        "machine_end_beep",
    );
    assert_eq!(
        event("twilio", &machine).disposition,
        Disposition::Voicemail
    );
    let human = form_set(&machine, "AnsweredBy", "human");
    assert_eq!(kind("twilio", &human), "not_missed");
}

#[test]
fn twilio_inbound_parent_completed_is_not_proof_of_anything() {
    let body = form_remove(
        &form_set(
            &fixture("twilio-status-callback-no-answer-reconstructed.txt"),
            "CallStatus",
            "completed",
        ),
        "ParentCallSid",
    );
    let body = form_set(&body, "Direction", "inbound");
    let out = parse("twilio", &body);
    assert_eq!(out.kind(), "incomplete");
    assert!(out.reason().is_some_and(|r| r.contains("TwiML")));
}

#[test]
fn twilio_record_recording_and_transcription() {
    let rec = event(
        "twilio",
        &fixture("twilio-record-action-voicemail-reconstructed.txt"),
    );
    assert_eq!(rec.event_id, "CAaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    assert_eq!(rec.disposition, Disposition::Voicemail);
    assert_eq!(rec.location_id, "sf-01");
    let vm = rec.voicemail.as_ref().expect("voicemail");
    assert_eq!(vm.duration_seconds, Some(17));
    assert!(vm
        .recording_url
        .as_deref()
        .is_some_and(|u| u.ends_with("/Recordings/REcccccccccccccccccccccccccccccccc")));

    let status = event(
        "twilio",
        &fixture("twilio-recording-status-callback-reconstructed.txt"),
    );
    assert_eq!(status.event_id, rec.event_id);
    assert_eq!(ts(&status), "2025-01-14T17:03:02Z", "RecordingStartTime");
    assert_eq!(status.voicemail.and_then(|v| v.duration_seconds), Some(17));

    let tr = event(
        "twilio",
        &fixture("twilio-transcribe-callback-reconstructed.txt"),
    );
    assert_eq!(
        tr.event_id, rec.event_id,
        "the transcript amends the same call"
    );
    assert_eq!(
        tr.voicemail.and_then(|v| v.transcript).as_deref(),
        Some("Hi this is Dana calling about a leaking water heater please call me back")
    );

    // An empty recording, a failed one, a failed transcription: nothing to add.
    let empty = form_set(
        &fixture("twilio-record-action-voicemail-reconstructed.txt"),
        "RecordingDuration",
        "0",
    );
    assert_eq!(kind("twilio", &empty), "incomplete");
    let failed = form_set(
        &fixture("twilio-recording-status-callback-reconstructed.txt"),
        "RecordingStatus",
        "failed",
    );
    assert_eq!(kind("twilio", &failed), "incomplete");
    let dial_rec = form_set(
        &fixture("twilio-recording-status-callback-reconstructed.txt"),
        "RecordingSource",
        "DialVerb",
    );
    assert_eq!(kind("twilio", &dial_rec), "incomplete");
    let no_text = form_set(
        &fixture("twilio-transcribe-callback-reconstructed.txt"),
        "TranscriptionStatus",
        "failed",
    );
    assert_eq!(kind("twilio", &no_text), "incomplete");
}

#[test]
fn twilio_enqueue_action_every_queue_result() {
    let body = "AccountSid=ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx&ApiVersion=2010-04-01\
        &CallSid=CAeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee&CallStatus=in-progress&Called=%2B14155550100\
        &Caller=%2B12125550123&Direction=inbound&From=%2B12125550123&To=%2B14155550100\
        &QueueResult=hangup&QueueSid=QUffffffffffffffffffffffffffffffff&QueueTime=47";
    let e = event("twilio", body);
    assert_eq!(e.event_id, "CAeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee");
    assert_eq!(e.disposition, Disposition::AbandonedInQueue);
    assert_eq!(e.raw_disposition.as_deref(), Some("hangup"));
    assert_eq!(e.ring_seconds, Some(47));
    for (result, want) in [
        ("bridged", "not_missed"),
        ("queue-full", "event"),
        ("error", "event"),
        ("system-error", "event"),
        ("leave", "incomplete"),
        ("redirected", "incomplete"),
    ] {
        assert_eq!(
            kind("twilio", &form_set(body, "QueueResult", result)),
            want,
            "{result}"
        );
    }
    assert_eq!(
        event("twilio", &form_set(body, "QueueResult", "queue-full")).disposition,
        Disposition::NoAgentAvailable
    );
}

#[test]
fn twilio_withheld_and_magic_numbers() {
    let base = fixture("twilio-dial-action-no-answer-verbatim.txt");
    for from in [
        "+266696687",
        "+7378742833",
        "+2562533",
        "+8656696",
        "anonymous",
        "Restricted",
    ] {
        let e = event("twilio", &form_set(&base, "From", from));
        assert_eq!(e.caller_number.as_deref(), Some("anonymous"), "{from}");
    }
    // A Twilio Client or SIP user with no number: nobody can dial it back.
    let e = event("twilio", &form_set(&base, "From", "client:alice"));
    assert_eq!(e.caller_number.as_deref(), Some("anonymous"));
}

// ---------------------------------------------------------------- Aircall

#[test]
fn aircall_samples() {
    let hungup = parse(
        "aircall",
        &fixture("aircall-call-hungup-inbound-missed-verbatim.json"),
    );
    assert_eq!(hungup.kind(), "incomplete", "the voicemail may still come");

    let e = event(
        "aircall",
        &fixture("aircall-call-ended-inbound-missed-with-voicemail-verbatim.json"),
    );
    assert_eq!(e.event_id, "780836754");
    assert_eq!(e.location_id, "vie-01", "by number id");
    assert_eq!(
        e.disposition,
        Disposition::NoAnswer,
        "voicemail is an overlay"
    );
    assert_eq!(e.raw_disposition.as_deref(), Some("agents_did_not_answer"));
    assert_eq!(ts(&e), "2022-03-04T10:28:59Z", "epoch seconds");
    assert_eq!(
        e.caller_number.as_deref(),
        Some("+443308186690"),
        "spaced E.164"
    );
    assert_eq!(e.tracking_number.as_deref(), Some("+43720880079"));
    assert_eq!(e.duration_seconds, Some(17));
    assert_eq!(
        e.voicemail.and_then(|v| v.recording_url).as_deref(),
        Some("https://assets.aircall.io/calls/780836754/voicemail"),
        "the stable asset, not the expiring S3 link"
    );

    assert_eq!(
        kind(
            "aircall",
            &fixture("aircall-call-ended-outbound-answered-verbatim.json")
        ),
        "not_missed"
    );
}

#[test]
fn aircall_every_missed_call_reason() {
    let base = fixture_json("aircall-call-hungup-inbound-missed-verbatim.json");
    let mut ended = base.clone();
    ended["event"] = json!("call.ended");
    for (reason, want) in [
        (json!("short_abandoned"), Disposition::ShortAbandoned),
        (json!("abandoned_in_ivr"), Disposition::AbandonedInIvr),
        (json!("abandoned_in_classic"), Disposition::Abandoned),
        (json!("abandoned"), Disposition::Abandoned),
        (json!("no_available_agent"), Disposition::NoAgentAvailable),
        (json!("agents_did_not_answer"), Disposition::NoAnswer),
        (json!("out_of_opening_hours"), Disposition::AfterHours),
        (json!(null), Disposition::NoAnswer),
        (json!("some_future_reason"), Disposition::NoAnswer),
    ] {
        let e = event(
            "aircall",
            &with_data(ended.clone(), json!({"missed_call_reason": reason})),
        );
        assert_eq!(e.disposition, want, "{reason}");
        assert_eq!(e.voicemail, None);
        if let Some(r) = reason.as_str() {
            assert_eq!(e.raw_disposition.as_deref(), Some(r));
        }
    }
    // Voicemail overlay from the short URL or the asset alone.
    let e = event(
        "aircall",
        &with_data(
            ended.clone(),
            json!({"voicemail_short_url": "https://short.example/vm1"}),
        ),
    );
    assert_eq!(
        e.voicemail.and_then(|v| v.recording_url).as_deref(),
        Some("https://short.example/vm1")
    );
    // Answered inbound, other events.
    assert_eq!(
        kind(
            "aircall",
            &with_data(ended.clone(), json!({"answered_at": 1646389745}))
        ),
        "not_missed"
    );
    for (ev, want) in [
        ("call.created", "incomplete"),
        ("call.ringing_on_agent", "incomplete"),
        ("call.agent_declined", "incomplete"),
        ("call.answered", "not_missed"),
        ("call.voicemail_left", "event"),
        ("call.comm_assets_generated", "event"),
    ] {
        let mut v = base.clone();
        v["event"] = json!(ev);
        assert_eq!(kind("aircall", &v.to_string()), want, "{ev}");
    }
    let mut v = base.clone();
    v["event"] = json!("call.teleported");
    assert_eq!(
        err("aircall", &v.to_string()).code,
        ErrorCode::UnsupportedPayload
    );
    let mut v = base;
    v["resource"] = json!("user");
    v["event"] = json!("user.created");
    assert_eq!(
        err("aircall", &v.to_string()).code,
        ErrorCode::UnsupportedPayload
    );
}

#[test]
fn aircall_anonymous_caller_and_teams() {
    let mut v = fixture_json("aircall-call-ended-inbound-missed-with-voicemail-verbatim.json");
    v["data"]["raw_digits"] = json!("anonymous");
    v["data"]["number"]["id"] = json!(1);
    v["data"]["number"]["digits"] = json!("+43 1 000000");
    v["data"]["teams"] = json!([{"id": 77, "name": "Front desk"}]);
    let mut o = options();
    o.location_map.insert("77".into(), "team-77".into());
    let out = ingest::parse("aircall", &v.to_string(), &o).expect("parse");
    let e = out.event().expect("event");
    assert_eq!(e.caller_number.as_deref(), Some("anonymous"));
    assert_eq!(e.location_id, "team-77");
}

// ---------------------------------------------------------------- Dialpad

fn dialpad() -> Value {
    fixture_json("dialpad-call-hangup-inbound-unanswered-verbatim.json")
}

#[test]
fn dialpad_sample_hangup_never_rang_is_abandoned() {
    let e = event("dialpad", &dialpad().to_string());
    assert_eq!(e.event_id, "6421977457180672");
    assert_eq!(e.location_id, "oak-01", "by group_id");
    assert_eq!(e.disposition, Disposition::Abandoned);
    assert_eq!(e.raw_disposition.as_deref(), Some("hangup"));
    assert_eq!(ts(&e), "2024-11-14T22:40:39.404Z", "epoch ms");
    assert_eq!(e.caller_number.as_deref(), Some("+15102609745"));
    assert_eq!(e.caller_name.as_deref(), Some("Alameda, CA"));
    assert_eq!(e.tracking_number.as_deref(), Some("+15106666687"));
    assert_eq!(e.duration_seconds, Some(9), "8951.03 ms");
}

#[test]
fn dialpad_every_state() {
    let rang = json!({"date_rang": 1731624040000u64, "total_duration": 30000.0});
    let e = event("dialpad", &with(dialpad(), rang.clone()));
    assert_eq!(e.disposition, Disposition::NoAnswer);
    assert_eq!(e.ring_seconds, Some(8));
    let e = event("dialpad", &with(dialpad(), json!({"state": "missed"})));
    assert_eq!(e.disposition, Disposition::NoAnswer);
    let e = event(
        "dialpad",
        &with(
            dialpad(),
            json!({"state": "missed", "target_availability_status": "closed"}),
        ),
    );
    assert_eq!(e.disposition, Disposition::AfterHours);
    assert_eq!(e.raw_disposition.as_deref(), Some("missed (closed)"));
    // Other legs of the same call: incomplete; the entry point decides.
    let leg = json!({"call_id": 5000000000000001u64, "entry_point_call_id": 6421977457180672u64});
    assert_eq!(kind("dialpad", &with(dialpad(), leg.clone())), "incomplete");
    // ... but their voicemail counts, under the entry point's id.
    let vm = with(
        dialpad(),
        json!({"call_id": 5000000000000001u64, "entry_point_call_id": 6421977457180672u64,
               "state": "voicemail_uploaded",
               "voicemail_link": "https://dialpad.com/r/vm/123"}),
    );
    let e = event("dialpad", &vm);
    assert_eq!(e.event_id, "6421977457180672");
    assert_eq!(e.disposition, Disposition::Voicemail);
    assert_eq!(
        e.voicemail.and_then(|v| v.recording_url).as_deref(),
        Some("https://dialpad.com/r/vm/123")
    );
    assert_eq!(
        event("dialpad", &with(dialpad(), json!({"state": "voicemail"}))).disposition,
        Disposition::Voicemail
    );
    let tr = event(
        "dialpad",
        &with(
            dialpad(),
            json!({"state": "transcription", "transcription_text": "call me back"}),
        ),
    );
    assert_eq!(
        tr.voicemail.and_then(|v| v.transcript).as_deref(),
        Some("call me back")
    );
    for (changes, want) in [
        (json!({"state": "transcription"}), "incomplete"),
        (json!({"state": "connected"}), "not_missed"),
        (json!({"date_connected": 1731624041000u64}), "not_missed"),
        (
            json!({"state": "voicemail_uploaded", "date_connected": 1731624041000u64,
                   "voicemail_link": "https://dialpad.com/r/vm/1"}),
            "event",
        ),
        (
            json!({"state": "transcription", "date_connected": 1731624041000u64,
                   "transcription_text": "thanks, bye"}),
            "not_missed",
        ),
        (json!({"state": "ringing"}), "incomplete"),
        (json!({"state": "calling"}), "incomplete"),
        (json!({"state": "recap_summary"}), "incomplete"),
        (json!({"direction": "outbound"}), "not_missed"),
    ] {
        assert_eq!(
            kind("dialpad", &with(dialpad(), changes.clone())),
            want,
            "{changes}"
        );
    }
    let e = err("dialpad", &with(dialpad(), json!({"state": "levitating"})));
    assert_eq!(
        (e.code, e.path.as_str()),
        (ErrorCode::UnsupportedPayload, "state")
    );
}

fn jwt(claims: &str, secret: &str) -> String {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine as _;
    use hmac::{Hmac, Mac};
    let head = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let body = URL_SAFE_NO_PAD.encode(claims.as_bytes());
    let signed = format!("{head}.{body}");
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("hmac key");
    mac.update(signed.as_bytes());
    let sig = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    format!("{signed}.{sig}")
}

#[test]
fn dialpad_jwt_bodies() {
    let token = jwt(&dialpad().to_string(), "s3cret");
    let plain = event("dialpad", &dialpad().to_string());
    assert_eq!(
        event("dialpad", &token),
        plain,
        "JWT without a configured secret"
    );
    let mut o = options();
    o.dialpad_secret = Some("s3cret".into());
    let out = ingest::parse("dialpad", &token, &o).expect("verified");
    assert_eq!(out.event(), Some(&plain));
    o.dialpad_secret = Some("wrong".into());
    let e = ingest::parse("dialpad", &token, &o).expect_err("bad signature");
    assert_eq!(e.code, ErrorCode::UnsupportedPayload);
    o.dialpad_secret = Some("s3cret".into());
    let e = ingest::parse("dialpad", &dialpad().to_string(), &o).expect_err("unsigned");
    assert_eq!(e.code, ErrorCode::UnsupportedPayload);
    assert!(signature::dialpad_jwt(&token, "s3cret"));
    assert!(!signature::dialpad_jwt(&token, "s3cret2"));
    assert_eq!(err("dialpad", "abc.%%%.def").code, ErrorCode::InvalidJson);
}

// ---------------------------------------------------------------- Vonage

#[test]
fn vonage_sample_and_every_status() {
    let base = fixture_json("vonage-event-completed-reconstructed.json");
    assert_eq!(
        kind("vonage", &base.to_string()),
        "incomplete",
        "the inbound leg completes because the NCCO answered it"
    );
    let e = event(
        "vonage",
        &with(base.clone(), json!({"status": "unanswered"})),
    );
    assert_eq!(e.event_id, "CON-aaaaaaaa-bbbb-cccc-dddd-0123456789ab");
    assert_eq!(e.location_id, "lon-01");
    assert_eq!(e.disposition, Disposition::NoAnswer);
    assert_eq!(
        e.caller_number.as_deref(),
        Some("+442079460000"),
        "digits without +"
    );
    assert_eq!(e.tracking_number.as_deref(), Some("+447700900000"));
    assert_eq!(ts(&e), "2020-01-01T12:00:00Z");
    assert_eq!(e.duration_seconds, Some(2), "string duration");
    for (status, want) in [
        ("timeout", Some(Disposition::NoAnswer)),
        ("rejected", Some(Disposition::NoAnswer)),
        ("busy", Some(Disposition::Busy)),
        ("failed", Some(Disposition::Failed)),
        ("cancelled", Some(Disposition::Abandoned)),
        ("machine", Some(Disposition::Voicemail)),
    ] {
        let e = event("vonage", &with(base.clone(), json!({"status": status})));
        assert_eq!(Some(e.disposition), want, "{status}");
        assert_eq!(e.raw_disposition.as_deref(), Some(status));
    }
    for (changes, want) in [
        (json!({"status": "human"}), "not_missed"),
        (json!({"status": "started"}), "incomplete"),
        (json!({"status": "ringing"}), "incomplete"),
        (json!({"status": "answered"}), "incomplete"),
        (
            json!({"status": "completed", "direction": "outbound"}),
            "not_missed",
        ),
        (
            json!({"status": "answered", "direction": "outbound"}),
            "not_missed",
        ),
    ] {
        assert_eq!(
            kind("vonage", &with(base.clone(), changes.clone())),
            want,
            "{changes}"
        );
    }
    let record = json!({
        "start_time": "2020-01-01T12:00:00Z", "end_time": "2020-01-01T12:00:20Z",
        "recording_url": "https://api.nexmo.com/v1/files/aaaaaaaa-bbbb-cccc-dddd-0123456789ab",
        "recording_uuid": "aaaaaaaa-bbbb-cccc-dddd-0123456789ab", "size": 12222,
        "conversation_uuid": "CON-aaaaaaaa-bbbb-cccc-dddd-0123456789ab",
        "timestamp": "2020-01-01T12:00:20Z"
    });
    let mut o = options();
    o.default_location = Some("lon-01".into());
    let out = ingest::parse("vonage", &record.to_string(), &o).expect("record event");
    let e = out.event().expect("event");
    assert_eq!(e.event_id, "CON-aaaaaaaa-bbbb-cccc-dddd-0123456789ab");
    assert_eq!(e.disposition, Disposition::Voicemail);
    let e = err("vonage", &with(base, json!({"status": "teleported"})));
    assert_eq!(
        (e.code, e.path.as_str()),
        (ErrorCode::UnsupportedPayload, "status")
    );
}

// ---------------------------------------------------------------- Invoca

#[test]
fn invoca_sample() {
    let e = event(
        "invoca",
        &fixture("invoca-post-call-webhook-no-answer-reconstructed.json"),
    );
    assert_eq!(
        e.event_id, "A1B2C3D4-11112222",
        "grouped by complete_call_id"
    );
    assert_eq!(e.location_id, "brand-800", "by virtual_line_id");
    assert_eq!(e.disposition, Disposition::NoAnswer);
    assert_eq!(e.raw_disposition.as_deref(), Some("Destination: No Answer"));
    assert_eq!(ts(&e), "2019-01-24T13:43:15Z", "start_time_utc in ms");
    assert_eq!(
        e.caller_number.as_deref(),
        Some("+18665551234"),
        "national dashed"
    );
    assert_eq!(e.duration_seconds, Some(41));
    let a = e.attribution.expect("attribution");
    assert_eq!(a.gclid.as_deref(), Some("198ab9a93f8c7348"));
    assert_eq!(a.source.as_deref(), Some("google"));
    assert_eq!(a.medium.as_deref(), Some("Search"));
    assert_eq!(a.campaign.as_deref(), Some("brand"));
    assert_eq!(a.keywords.as_deref(), Some("emergency plumber"));
    assert_eq!(
        a.landing_page.as_deref(),
        Some("https://www.example.com/plumbing")
    );
}

#[test]
fn invoca_every_end_of_call_reason() {
    let base = fixture_json("invoca-post-call-webhook-no-answer-reconstructed.json");
    for (cause, changes, want) in [
        (
            "Destination: No Answer",
            json!({}),
            Some(Disposition::NoAnswer),
        ),
        ("Destination: Busy", json!({}), Some(Disposition::Busy)),
        (
            "Destination: Hang-up",
            json!({}),
            Some(Disposition::NoAnswer),
        ),
        ("Caller: Hang-up", json!({}), Some(Disposition::Abandoned)),
        (
            "Caller: Hang-up",
            json!({"ivr_duration": 41}),
            Some(Disposition::AbandonedInIvr),
        ),
        ("IVR: Hang-up", json!({}), Some(Disposition::AbandonedInIvr)),
        (
            "Destination: Number Not in Service",
            json!({}),
            Some(Disposition::Failed),
        ),
        (
            "Destination: Error (503 or Fast Busy)",
            json!({}),
            Some(Disposition::Failed),
        ),
        (
            "Invoca: Max Call Duration",
            json!({}),
            Some(Disposition::Failed),
        ),
        (
            "Unknown: Unknown Cause",
            json!({}),
            Some(Disposition::Failed),
        ),
        ("Invoca: Hang-up", json!({}), None),
        ("Invoca: Hang-up (Blacklisted Caller)", json!({}), None),
    ] {
        let mut changes = changes;
        changes["hangup_cause"] = json!(cause);
        let out = parse("invoca", &with(base.clone(), changes));
        match want {
            Some(d) => {
                let e = out.event().unwrap_or_else(|| panic!("{cause}: {out:?}"));
                assert_eq!(e.disposition, d, "{cause}");
                assert_eq!(e.raw_disposition.as_deref(), Some(cause));
            }
            None => assert_eq!(out.kind(), "not_missed", "{cause}"),
        }
    }
    assert_eq!(
        kind(
            "invoca",
            &with(base.clone(), json!({"connect_duration": 35}))
        ),
        "not_missed"
    );
    for t in ["Signal", "Post Call Event", "Reported Conversion"] {
        assert_eq!(
            kind(
                "invoca",
                &with(base.clone(), json!({"transaction_type": t}))
            ),
            "incomplete",
            "{t}"
        );
    }
    // IVR hang-up by the hours branch, when the integrator says so.
    let mut o = options();
    o.invoca.ivr_hangup_is_after_hours = true;
    let out = ingest::parse(
        "invoca",
        &with(base, json!({"hangup_cause": "IVR: Hang-up"})),
        &o,
    )
    .expect("parse");
    assert_eq!(
        out.event().map(|e| e.disposition),
        Some(Disposition::AfterHours)
    );
}

#[test]
fn invoca_templates_form_posts_and_custom_fields() {
    // A Form Post template with the Transactions API names.
    let form =
        "transaction_id=T1&complete_call_id=C1&start_time_local=2019-01-24+06%3A43%3A15+-07%3A00\
                &calling_phone_number=866-555-1234&virtual_line_id=8005550199&duration=20\
                &connect_duration=0&hangup_cause=Caller%3A+Hang-up";
    let e = event("invoca", form);
    assert_eq!(e.event_id, "C1");
    assert_eq!(ts(&e), "2019-01-24T06:43:15-07:00", "local with offset");
    assert_eq!(e.disposition, Disposition::Abandoned);

    // The integrator's own template keys, configured.
    let body = json!({
        "callId": "X-9", "when": "2019-01-24 06:43:15 -07:00", "from": "866-555-1234",
        "line": "800-555-0199", "why": "Destination: Busy", "talk": "0", "click": "G-1"
    });
    let o = IngestOptions::from_json(
        r#"{"location_map": {"8005550199": "brand-800"},
            "invoca": {"fields": {"event_id": "callId", "start_time": "when",
              "caller": "from", "hangup_cause": "why", "connect_duration": "talk",
              "gclid": "click"}, "location_fields": ["line"]}}"#,
    )
    .expect("options");
    let out = ingest::parse("invoca", &body.to_string(), &o).expect("parse");
    let e = out.event().expect("event");
    assert_eq!(e.event_id, "X-9");
    assert_eq!(e.location_id, "brand-800");
    assert_eq!(e.disposition, Disposition::Busy);
    assert_eq!(
        e.attribution.as_ref().and_then(|a| a.gclid.as_deref()),
        Some("G-1")
    );
    // A misspelt canonical field name is an error naming it.
    let o =
        IngestOptions::from_json(r#"{"invoca": {"fields": {"caler": "from"}}}"#).expect("options");
    let e = ingest::parse("invoca", &body.to_string(), &o).expect_err("typo");
    assert_eq!(e.path, "options.invoca.fields.caler");

    // The Transactions API listing is not one webhook.
    let e = err(
        "invoca",
        &fixture("invoca-transactions-api-marketing-data-verbatim.json"),
    );
    assert_eq!(e.code, ErrorCode::UnsupportedPayload);
}

// ---------------------------------------------------------------- RingCentral

fn ringcentral(result: &str, reason: Option<&str>) -> Value {
    json!({
        "uri": "https://platform.ringcentral.com/restapi/v1.0/account/1/call-log/X1",
        "id": "X1", "sessionId": "4053542004", "telephonySessionId": "s-a0d7a1b2",
        "startTime": "2025-01-14T17:02:00.000Z", "duration": 31, "durationMs": 31234,
        "type": "Voice", "direction": "Inbound", "action": "Phone Call",
        "result": result, "reason": reason,
        "from": {"phoneNumber": "+12125550123", "name": "DANA SMITH"},
        "to": {"phoneNumber": "+14155550100", "extensionNumber": "101"}
    })
}

#[test]
fn ringcentral_every_result() {
    for (result, reason, want) in [
        ("Missed", None, Some(Disposition::NoAnswer)),
        ("No Answer", None, Some(Disposition::NoAnswer)),
        ("Rejected", None, Some(Disposition::NoAnswer)),
        ("Declined", None, Some(Disposition::NoAnswer)),
        ("Busy", None, Some(Disposition::Busy)),
        ("Voicemail", None, Some(Disposition::Voicemail)),
        ("Sent to Voicemail", None, Some(Disposition::Voicemail)),
        ("Abandoned", None, Some(Disposition::Abandoned)),
        ("Hang Up", None, Some(Disposition::Abandoned)),
        ("Missed", Some("Hang Up"), Some(Disposition::Abandoned)),
        ("Call Failed", None, Some(Disposition::Failed)),
        ("Accepted", None, None),
        ("Call connected", None, None),
        ("Stopped", Some("Stopped"), None),
        ("Blocked", None, None),
    ] {
        let out = parse("ringcentral", &ringcentral(result, reason).to_string());
        match want {
            Some(d) => {
                let e = out.event().unwrap_or_else(|| panic!("{result}: {out:?}"));
                assert_eq!(e.disposition, d, "{result} {reason:?}");
                assert_eq!(e.event_id, "s-a0d7a1b2");
                assert_eq!(e.location_id, "sf-01");
                assert_eq!(e.caller_name.as_deref(), Some("DANA SMITH"));
                assert_eq!(e.duration_seconds, Some(31));
                assert_eq!(ts(e), "2025-01-14T17:02:00Z");
            }
            None => assert_eq!(out.kind(), "not_missed", "{result}"),
        }
    }
    // Wrapped in a webhook envelope; a fax; an outbound call; an unknown result.
    let wrapped = json!({"uuid": "u", "event": "/restapi/v1.0/account/~/call-log",
                         "body": ringcentral("Missed", None)});
    assert_eq!(kind("ringcentral", &wrapped.to_string()), "event");
    assert_eq!(
        kind(
            "ringcentral",
            &with(ringcentral("Missed", None), json!({"type": "Fax"}))
        ),
        "not_missed"
    );
    assert_eq!(
        kind(
            "ringcentral",
            &with(
                ringcentral("Missed", None),
                json!({"direction": "Outbound"})
            )
        ),
        "not_missed"
    );
    let e = err("ringcentral", &ringcentral("Teleported", None).to_string());
    assert_eq!(
        (e.code, e.path.as_str()),
        (ErrorCode::UnsupportedPayload, "result")
    );
    let e = err(
        "ringcentral",
        &with(ringcentral("Missed", None), json!({"duration": "long"})),
    );
    assert_eq!(
        (e.code, e.path.as_str()),
        (ErrorCode::InvalidEvent, "duration")
    );
}

// ---------------------------------------------------------------- Zoom

#[test]
fn zoom_sample_and_events() {
    let base = fixture_json("zoom-phone-callee-missed-reconstructed.json");
    let e = event("zoom", &base.to_string());
    assert_eq!(e.event_id, "7459000000000000001");
    assert_eq!(e.location_id, "sf-01");
    assert_eq!(
        e.disposition,
        Disposition::Abandoned,
        "handup_result Call Cancel"
    );
    assert_eq!(
        e.raw_disposition.as_deref(),
        Some("phone.callee_missed (Call Cancel)")
    );
    assert_eq!(ts(&e), "2025-01-14T17:02:00Z");
    assert_eq!(e.ring_seconds, Some(31), "computed: no duration field");
    assert_eq!(e.caller_number.as_deref(), Some("+12125550123"));

    let mut v = base.clone();
    v["payload"]["object"]["handup_result"] = json!("Voicemail");
    assert_eq!(
        event("zoom", &v.to_string()).disposition,
        Disposition::Voicemail
    );
    let mut v = base.clone();
    v["payload"]["object"]
        .as_object_mut()
        .expect("object")
        .remove("handup_result");
    assert_eq!(
        event("zoom", &v.to_string()).disposition,
        Disposition::NoAnswer
    );
    for (ev, want) in [
        ("phone.callee_rejected", "event"),
        ("phone.callee_answered", "not_missed"),
        ("phone.callee_ringing", "incomplete"),
        ("phone.caller_ended", "incomplete"),
    ] {
        let mut v = base.clone();
        v["event"] = json!(ev);
        assert_eq!(kind("zoom", &v.to_string()), want, "{ev}");
    }
    let mut v = base.clone();
    v["event"] = json!("meeting.started");
    assert_eq!(
        err("zoom", &v.to_string()).code,
        ErrorCode::UnsupportedPayload
    );

    let vm = json!({"event": "phone.voicemail_received", "event_ts": 1736874200000u64,
        "payload": {"account_id": "EXAMPLEaccountId", "object": {
            "id": "vm-1", "call_id": "7459000000000000001", "caller_number": "+12125550123",
            "callee_number": "+14155550100", "date_time": "2025-01-14T17:02:40Z",
            "download_url": "https://zoom.us/v2/phone/recording/download/vm-1", "duration": 21}}});
    let e = event("zoom", &vm.to_string());
    assert_eq!(
        e.event_id, "7459000000000000001",
        "same call as the missed events"
    );
    assert_eq!(e.voicemail.and_then(|v| v.duration_seconds), Some(21));
}

// ---------------------------------------------------------------- CTM

fn ctm() -> Value {
    json!({
        "id": 1234567, "account_id": 4242, "name": "DANA SMITH", "cnam": "DANA SMITH",
        "caller_number": "(212) 555-0123", "caller_number_bare": "2125550123",
        "caller_number_complete": "+12125550123",
        "tracking_number": "(404) 555-8514", "tracking_number_bare": "4045558514",
        "business_number": "(404) 555-0000", "called_at": "2025-01-14 09:02 AM",
        "duration": 22, "talk_time": 0, "ring_time": 22, "dial_status": "no-answer",
        "direction": "inbound", "source": "Google Ads", "search": "emergency plumber",
        "referrer": "https://www.google.com/", "location": "https://www.example.com/?gclid=abc",
        "paid": {"campaign": "Brand", "medium": "cpc"}, "audio": null
    })
}

#[test]
fn ctm_calls() {
    // The REST sample is JS-object notation, truncated: not JSON.
    let e = err("ctm", &fixture("ctm-calls-api-sample-verbatim.txt"));
    assert_eq!(e.code, ErrorCode::InvalidJson);

    // called_at has no zone: without a company zone it is an error naming the field.
    let e = err("ctm", &ctm().to_string());
    assert_eq!(
        (e.code, e.path.as_str()),
        (ErrorCode::InvalidTimestamp, "called_at")
    );
    let mut o = options();
    o.time_zone = serde_json::from_value(json!("America/New_York")).expect("zone");
    let out = ingest::parse("ctm", &ctm().to_string(), &o).expect("parse");
    let e = out.event().expect("event");
    assert_eq!(e.event_id, "1234567");
    assert_eq!(e.location_id, "atl-01");
    assert_eq!(ts(e), "2025-01-14T09:02:00-05:00");
    assert_eq!(e.caller_number.as_deref(), Some("+12125550123"));
    assert_eq!(e.tracking_number.as_deref(), Some("+14045558514"));
    assert_eq!(e.ring_seconds, Some(22));
    let a = e.attribution.as_ref().expect("attribution");
    assert_eq!(a.gclid.as_deref(), Some("abc"));
    assert_eq!(a.campaign.as_deref(), Some("Brand"));

    // unix_time wins over called_at and needs no zone.
    let e = event("ctm", &with(ctm(), json!({"unix_time": 1736863320})));
    assert_eq!(ts(&e), "2025-01-14T14:02:00Z");
    for (status, want) in [
        ("no-answer", Some(Disposition::NoAnswer)),
        ("no answer", Some(Disposition::NoAnswer)),
        ("busy", Some(Disposition::Busy)),
        ("failed", Some(Disposition::Failed)),
        ("canceled", Some(Disposition::Abandoned)),
        ("voicemail", Some(Disposition::Voicemail)),
        ("completed", None),
        ("answered", None),
    ] {
        let out = parse(
            "ctm",
            &with(
                ctm(),
                json!({"unix_time": 1736863320, "dial_status": status}),
            ),
        );
        assert_eq!(out.event().map(|e| e.disposition), want, "{status}");
    }
    assert_eq!(
        kind(
            "ctm",
            &with(ctm(), json!({"unix_time": 1, "talk_time": 12}))
        ),
        "not_missed"
    );
    let mut v = ctm();
    v.as_object_mut().expect("object").remove("dial_status");
    assert_eq!(kind("ctm", &v.to_string()), "incomplete");
}

// ---------------------------------------------------------------- errors

/// Every sample payload with the vendor that sent it.
const SAMPLES: &[(&str, &str)] = &[
    ("callrail", "callrail-post-call-voicemail-verbatim.json"),
    ("callrail", "callrail-post-call-missed-reconstructed.json"),
    ("callrail", "callrail-api-field-selection-verbatim.json"),
    (
        "callrail",
        "callrail-api-single-call-milestones-verbatim.json",
    ),
    ("twilio", "twilio-dial-action-no-answer-verbatim.txt"),
    ("twilio", "twilio-record-action-voicemail-reconstructed.txt"),
    (
        "twilio",
        "twilio-recording-status-callback-reconstructed.txt",
    ),
    ("twilio", "twilio-status-callback-busy-derived.txt"),
    ("twilio", "twilio-status-callback-busy-verbatim.json"),
    (
        "twilio",
        "twilio-status-callback-no-answer-reconstructed.txt",
    ),
    ("twilio", "twilio-transcribe-callback-reconstructed.txt"),
    (
        "aircall",
        "aircall-call-ended-inbound-missed-with-voicemail-verbatim.json",
    ),
    (
        "aircall",
        "aircall-call-ended-outbound-answered-verbatim.json",
    ),
    (
        "aircall",
        "aircall-call-hungup-inbound-missed-verbatim.json",
    ),
    (
        "dialpad",
        "dialpad-call-hangup-inbound-unanswered-verbatim.json",
    ),
    ("vonage", "vonage-event-completed-reconstructed.json"),
    (
        "invoca",
        "invoca-post-call-webhook-no-answer-reconstructed.json",
    ),
    (
        "invoca",
        "invoca-transactions-api-marketing-data-verbatim.json",
    ),
    ("zoom", "zoom-phone-callee-missed-reconstructed.json"),
    ("ctm", "ctm-calls-api-sample-verbatim.txt"),
    // Round two (core/tests/ingest_more.rs reads them in depth; fragments are completed there).
    (
        "marchex",
        "marchex-webhook-call-processed-unanswered-reconstructed.json",
    ),
    (
        "marchex",
        "marchex-webhook-call-preprocessed-fragment-verbatim.txt",
    ),
    (
        "marchex",
        "marchex-webhook-sales-rescue-fragment-verbatim.txt",
    ),
    (
        "marchex",
        "marchex-telmetrics-calls-api-fragment-verbatim.txt",
    ),
    ("convirza", "convirza-v3-call-no-answer-reconstructed.json"),
    (
        "whatconverts",
        "whatconverts-webhook-phone-call-completed-unanswered-reconstructed.json",
    ),
    (
        "whatconverts",
        "whatconverts-webhook-phone-call-in-progress-fragment-verbatim.txt",
    ),
    (
        "ringostat",
        "ringostat-webhook-after-call-no-answer-reconstructed.json",
    ),
    (
        "dialogtech",
        "dialogtech-post-call-action-get-reconstructed.txt",
    ),
    (
        "retell",
        "retell-webhook-call-analyzed-inbound-user-hangup-reconstructed.json",
    ),
    (
        "retell",
        "retell-webhook-call-ended-inbound-transfer-cancelled-reconstructed.json",
    ),
    ("retell", "retell-disconnection-reason-enum-verbatim.txt"),
    (
        "vapi",
        "vapi-end-of-call-report-inbound-forwarding-no-answer-reconstructed.json",
    ),
    ("vapi", "vapi-end-of-call-report-docs-verbatim.txt"),
    ("vapi", "vapi-ended-reason-enum-verbatim.txt"),
    ("bland", "bland-post-call-webhook-cookbook-verbatim.json"),
    (
        "bland",
        "bland-post-call-webhook-no-answer-reconstructed.json",
    ),
    ("airai", "air-ai-post-call-data-docs-verbatim.txt"),
    (
        "voiceflow",
        "voiceflow-webhook-runtime-call-end-reconstructed.json",
    ),
    (
        "voiceflow",
        "voiceflow-webhook-runtime-call-start-fragment-verbatim.txt",
    ),
];

/// Templated vendors read any body that has their mapped fields: they have no fingerprint
/// to reject another vendor's payload by (see `ingest::mapping`).
const NO_FINGERPRINT: &[&str] = &["ringostat", "dialogtech", "callsource", "custom"];

#[test]
fn every_sample_file_is_covered() {
    let dir = format!("{}/../tests/vendors", env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("fixtures dir")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|f| !f.ends_with(".md"))
        .collect();
    files.sort();
    let mut listed: Vec<String> = SAMPLES.iter().map(|(_, f)| f.to_string()).collect();
    listed.sort();
    assert_eq!(files, listed);
}

#[test]
fn a_payload_of_another_vendor_is_never_a_missed_call() {
    for (owner, file) in SAMPLES {
        let body = fixture(file);
        for vendor in ingest::VENDORS {
            if vendor == owner || NO_FINGERPRINT.contains(vendor) {
                continue;
            }
            match ingest::parse(vendor, &body, &options()) {
                Err(e) => {
                    assert!(
                        matches!(
                            e.code,
                            ErrorCode::UnsupportedPayload
                                | ErrorCode::InvalidJson
                                | ErrorCode::InvalidEvent
                        ),
                        "{file} as {vendor}: {e}"
                    );
                    if e.code == ErrorCode::UnsupportedPayload {
                        assert!(!e.message.is_empty());
                    }
                }
                Ok(Ingested::Event(ev)) => {
                    panic!("{file} ({owner}) mis-ingested as a {vendor} missed call: {ev:?}")
                }
                Ok(_) => {}
            }
        }
    }
    // The common case names what was expected.
    let e = err(
        "aircall",
        &fixture("callrail-post-call-voicemail-verbatim.json"),
    );
    assert_eq!(e.code, ErrorCode::UnsupportedPayload);
    assert!(e.message.contains("Aircall"), "{}", e.message);
}

#[test]
fn truncated_payloads_are_invalid_json() {
    for (vendor, file) in SAMPLES {
        let body = fixture(file);
        if !body.trim_start().starts_with('{') || body.contains("...") {
            continue;
        }
        let cut = &body[..body.len() / 2];
        let e = ingest::parse(vendor, cut, &options()).expect_err("truncated");
        assert_eq!(e.code, ErrorCode::InvalidJson, "{file}: {e}");
    }
    let e = err("twilio", "CallSid=CA1&AccountSid=AC1&From=%2");
    assert_eq!(e.code, ErrorCode::InvalidJson);
}

#[test]
fn missing_and_mistyped_fields_name_their_path() {
    let aircall = fixture_json("aircall-call-ended-inbound-missed-with-voicemail-verbatim.json");
    let mut v = aircall.clone();
    v["data"].as_object_mut().expect("data").remove("id");
    let e = err("aircall", &v.to_string());
    assert_eq!(
        (e.code, e.path.as_str()),
        (ErrorCode::InvalidEvent, "data.id")
    );
    let e = err(
        "aircall",
        &with_data(aircall.clone(), json!({"duration": "long"})),
    );
    assert_eq!(
        (e.code, e.path.as_str()),
        (ErrorCode::InvalidEvent, "data.duration")
    );
    let e = err(
        "aircall",
        &with_data(aircall.clone(), json!({"duration": -3})),
    );
    assert_eq!(
        (e.code, e.path.as_str()),
        (ErrorCode::InvalidEvent, "data.duration")
    );
    let e = err(
        "aircall",
        &with_data(aircall.clone(), json!({"number": "397375"})),
    );
    assert_eq!(
        (e.code, e.path.as_str()),
        (ErrorCode::InvalidEvent, "data.number")
    );
    let e = err(
        "aircall",
        &with_data(aircall, json!({"started_at": "yesterday"})),
    );
    assert_eq!(
        (e.code, e.path.as_str()),
        (ErrorCode::InvalidTimestamp, "data.started_at")
    );

    let callrail = fixture_json("callrail-post-call-voicemail-verbatim.json");
    let e = err(
        "callrail",
        &with(callrail.clone(), json!({"duration": {"s": 1}})),
    );
    assert_eq!(
        (e.code, e.path.as_str()),
        (ErrorCode::InvalidEvent, "duration")
    );
    let e = err(
        "callrail",
        &with(callrail.clone(), json!({"answered": "maybe"})),
    );
    assert_eq!(
        (e.code, e.path.as_str()),
        (ErrorCode::InvalidEvent, "answered")
    );
    let e = err(
        "callrail",
        &with(callrail.clone(), json!({"start_time": "19/02/2018"})),
    );
    assert_eq!(
        (e.code, e.path.as_str()),
        (ErrorCode::InvalidTimestamp, "start_time")
    );
    let mut v = callrail.clone();
    for k in ["start_time", "datetime", "created_at", "timestamp"] {
        v.as_object_mut().expect("object").remove(k);
    }
    let e = err("callrail", &v.to_string());
    assert_eq!(
        (e.code, e.path.as_str()),
        (ErrorCode::InvalidEvent, "start_time")
    );

    let zoom = fixture_json("zoom-phone-callee-missed-reconstructed.json");
    let mut v = zoom.clone();
    v["payload"]["object"]
        .as_object_mut()
        .expect("object")
        .remove("call_id");
    let e = err("zoom", &v.to_string());
    assert_eq!(
        (e.code, e.path.as_str()),
        (ErrorCode::InvalidEvent, "payload.object.call_id")
    );
    let mut v = zoom;
    v["payload"]["object"]["caller"] = json!(["+1"]);
    let e = err("zoom", &v.to_string());
    assert_eq!(
        (e.code, e.path.as_str()),
        (ErrorCode::InvalidEvent, "payload.object.caller")
    );

    let e = err(
        "dialpad",
        &with(
            dialpad(),
            json!({"date_started": "soon", "event_timestamp": null}),
        ),
    );
    assert_eq!(
        (e.code, e.path.as_str()),
        (ErrorCode::InvalidEvent, "date_started")
    );
}

#[test]
fn unmappable_location_and_bad_options() {
    let e = ingest::parse(
        "callrail",
        &fixture("callrail-post-call-voicemail-verbatim.json"),
        &IngestOptions::default(),
    )
    .expect_err("no mapping");
    assert_eq!(e.code, ErrorCode::UnknownLocation);
    assert_eq!(e.path, "tracking_phone_number");
    assert!(e.message.contains("+14045558514"), "{}", e.message);
    // A non-event needs no location.
    let out = ingest::parse(
        "aircall",
        &fixture("aircall-call-hungup-inbound-missed-verbatim.json"),
        &IngestOptions::default(),
    )
    .expect("incomplete");
    assert_eq!(out.kind(), "incomplete");
    // Company id as a fallback key.
    let o = IngestOptions::from_json(r#"{"location_map": {"callrail:155920786": "boost"}}"#)
        .expect("options");
    let out = ingest::parse(
        "callrail",
        &fixture("callrail-post-call-voicemail-verbatim.json"),
        &o,
    )
    .expect("by company id");
    assert_eq!(out.event().map(|e| e.location_id.as_str()), Some("boost"));

    for (json, code, path) in [
        ("{", ErrorCode::InvalidJson, "options"),
        (r#"{"locaton_map": {}}"#, ErrorCode::InvalidEvent, "options"),
        (
            r#"{"time_zone": "Mars/Olympus"}"#,
            ErrorCode::InvalidTimeZone,
            "options.time_zone",
        ),
        (
            r#"{"received_at": "noon"}"#,
            ErrorCode::InvalidTimestamp,
            "options.received_at",
        ),
        (
            r#"{"region": "ZZZ"}"#,
            ErrorCode::InvalidEvent,
            "options.region",
        ),
    ] {
        let e = IngestOptions::from_json(json).expect_err(json);
        assert_eq!(e.code, code, "{json}: {e}");
        assert!(e.path.starts_with(path), "{json}: {}", e.path);
    }
    let e = ingest::parse("genesys", "{}", &IngestOptions::default()).expect_err("vendor");
    assert_eq!(e.code, ErrorCode::UnsupportedPayload);
    assert!(e.message.contains("callrail"), "{}", e.message);
}

#[test]
fn json_entry_point_shapes() {
    let out = ingest::parse_json(
        "aircall",
        &fixture("aircall-call-hungup-inbound-missed-verbatim.json"),
        "",
    )
    .expect("json");
    let v: Value = serde_json::from_str(&out).expect("output json");
    assert_eq!(v["ingested"], "incomplete");
    assert!(v["reason"]
        .as_str()
        .is_some_and(|r| r.contains("call.ended")));

    let out = ingest::parse_json(
        "aircall",
        &fixture("aircall-call-ended-outbound-answered-verbatim.json"),
        "null",
    )
    .expect("json");
    let v: Value = serde_json::from_str(&out).expect("output json");
    assert_eq!(v["ingested"], "not_missed");

    let out = ingest::parse_json(
        "vonage",
        &with(
            fixture_json("vonage-event-completed-reconstructed.json"),
            json!({"status": "unanswered"}),
        ),
        r#"{"default_location": "lon-01"}"#,
    )
    .expect("json");
    let v: Value = serde_json::from_str(&out).expect("output json");
    assert_eq!(v["ingested"], "event");
    assert_eq!(v["event"]["disposition"], "no_answer");
    assert_eq!(v["event"]["location_id"], "lon-01");
    // The event in the envelope is a valid canonical event.
    let event = MissedCallEvent::from_json(&v["event"].to_string()).expect("canonical");
    assert_eq!(event.event_id, "CON-aaaaaaaa-bbbb-cccc-dddd-0123456789ab");
}

// ---------------------------------------------------------------- signatures

#[test]
fn callrail_signature_documented_vector() {
    let body = fixture("callrail-post-call-voicemail-verbatim.json");
    let key = "072e77e426f92738a72fe23c4d1953b4";
    assert!(signature::callrail(
        body.as_bytes(),
        key,
        "UZAHbUdfm3GqL7qzilGozGzWV64="
    ));
    assert!(!signature::callrail(
        body.as_bytes(),
        key,
        "UZAHbUdfm3GqL7qzilGozGzWV65="
    ));
    let mut tampered = body.clone();
    tampered.push('\n');
    assert!(!signature::callrail(
        tampered.as_bytes(),
        key,
        "UZAHbUdfm3GqL7qzilGozGzWV64="
    ));
    assert!(!signature::callrail(
        body.as_bytes(),
        "other-key",
        "UZAHbUdfm3GqL7qzilGozGzWV64="
    ));
    assert!(!signature::callrail(body.as_bytes(), key, "not base64!"));
}

#[test]
fn twilio_signature_documented_vector() {
    // Twilio's request-validation example.
    let url = "https://mycompany.com/myapp.php?foo=1&bar=2";
    let params: Vec<(String, String)> = [
        ("Digits", "1234"),
        ("To", "+18005551212"),
        ("From", "+14158675309"),
        ("Caller", "+14158675309"),
        ("CallSid", "CA1234567890ABCDE"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    assert!(signature::twilio(
        url,
        &params,
        "12345",
        "RSOYDt4T1cUTdK1PDd93/VVr8B8="
    ));
    assert!(!signature::twilio(
        url,
        &params,
        "12346",
        "RSOYDt4T1cUTdK1PDd93/VVr8B8="
    ));
    assert!(!signature::twilio(
        "https://mycompany.com/myapp.php?foo=1&bar=3",
        &params,
        "12345",
        "RSOYDt4T1cUTdK1PDd93/VVr8B8="
    ));
    let body = "CallSid=CA1234567890ABCDE&Caller=%2B14158675309&Digits=1234\
                &From=%2B14158675309&To=%2B18005551212";
    assert_eq!(
        signature::twilio_form(url, body, "12345", "RSOYDt4T1cUTdK1PDd93/VVr8B8="),
        Ok(true)
    );
    assert!(signature::twilio_form(url, "a=%zz", "12345", "x").is_err());
}

#[test]
fn zoom_signature_vector() {
    // Computed outside Rust (Python's hmac module):
    // hex(HMAC-SHA256("zoom-secret", "v0:1736874151:" + body)).
    let body = r#"{"event":"phone.callee_missed","event_ts":1736874151000}"#;
    let sig = "v0=b218f4db5a56f548948541db032ecdc1cb27f65c05731413aff36fd51e7826cd";
    assert!(signature::zoom(
        body.as_bytes(),
        "1736874151",
        "zoom-secret",
        sig
    ));
    assert!(!signature::zoom(
        body.as_bytes(),
        "1736874152",
        "zoom-secret",
        sig
    ));
    assert!(!signature::zoom(
        body.as_bytes(),
        "1736874151",
        "zoom-secret2",
        sig
    ));
    let mut flipped = sig.to_string();
    flipped.replace_range(sig.len() - 1.., "e");
    assert!(!signature::zoom(
        body.as_bytes(),
        "1736874151",
        "zoom-secret",
        &flipped
    ));
    assert!(!signature::zoom(
        body.as_bytes(),
        "1736874151",
        "zoom-secret",
        "v1=00"
    ));
    assert!(!signature::zoom(
        body.as_bytes(),
        "1736874151",
        "zoom-secret",
        "v0=zz"
    ));
}

#[test]
fn aircall_token_compare() {
    let body = fixture_json("aircall-call-hungup-inbound-missed-verbatim.json");
    let token = body["token"].as_str().expect("token");
    assert!(signature::aircall_token(token, "<redacted-webhook-token>"));
    assert!(!signature::aircall_token(token, "<redacted-webhook-tokem>"));
    assert!(!signature::aircall_token(token, ""));
}
