//! Vendor ingest, round two: Marchex, Convirza, WhatConverts, the configurable mapping
//! (Ringostat, DialogTech, CallSource, custom, and Invoca through it), the voice-AI
//! receptionists (Retell, Vapi, Bland, Air AI, Voiceflow), API pages (`parse_many`) and
//! internal / non-dialable callers. Samples are in `tests/vendors/` (see its SOURCES.md);
//! every documented value is also tried on its own.

use ringback::ingest::{self, IngestOptions, Ingested};
use ringback::{CrmSnapshot, Disposition, Engine, ErrorCode, MissedCallEvent, Policy, Status};
use serde_json::{json, Value};

fn fixture(name: &str) -> String {
    let path = format!("{}/../tests/vendors/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn fixture_json(name: &str) -> Value {
    serde_json::from_str(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// A `-fragment-verbatim.txt` sample made whole: the `#` header lines and the line the
/// stored copy was cut in are dropped, a trailing comma removed, and `closers` appended.
fn completed(name: &str, closers: &str) -> Value {
    let text = fixture(name);
    let mut lines: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
    while lines
        .last()
        .is_some_and(|l| l.contains("...") || l.trim().is_empty())
    {
        lines.pop();
    }
    let mut body = lines.join("\n");
    if body.ends_with(',') {
        body.pop();
    }
    body.push_str(closers);
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{name}: {e}\n{body}"))
}

fn options(extra: Value) -> IngestOptions {
    let mut base = json!({
        "location_map": {
            "8669592359": "mx-01",
            "+18015551234": "cv-01",
            "+17044486577": "clt-01",
            "380443334455": "kyiv-01",
            "8005550199": "dt-01",
            "+14155559876": "bayside",
            "+17782006110": "yvr-01",
            "+15559876543": "bland-01",
            "+17752432501": "reno-01"
        },
        "location_time_zones": {
            "mx-01": "America/New_York",
            "kyiv-01": "Europe/Kyiv",
            "dt-01": "America/Chicago"
        },
        "received_at": "2026-11-24T16:15:30Z"
    });
    if let (Some(b), Some(e)) = (base.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            b.insert(k.clone(), v.clone());
        }
    }
    IngestOptions::from_json(&base.to_string()).expect("options")
}

fn parse_with(vendor: &str, payload: &str, o: &IngestOptions) -> Ingested {
    ingest::parse(vendor, payload, o).unwrap_or_else(|e| panic!("{vendor}: unexpected {e}"))
}

fn parse(vendor: &str, payload: &str) -> Ingested {
    parse_with(vendor, payload, &options(json!({})))
}

fn event(vendor: &str, payload: &str) -> MissedCallEvent {
    match parse(vendor, payload) {
        Ingested::Event(e) => *e,
        other => panic!("{vendor}: expected an event, got {other:?}"),
    }
}

fn err(vendor: &str, payload: &str) -> ringback::Error {
    match ingest::parse(vendor, payload, &options(json!({}))) {
        Err(e) => e,
        Ok(ok) => panic!("{vendor}: expected an error, got {ok:?}"),
    }
}

fn set(mut v: Value, path: &[&str], value: Value) -> Value {
    let mut cur = &mut v;
    for (i, k) in path.iter().enumerate() {
        if i + 1 == path.len() {
            cur[*k] = value;
            break;
        }
        cur = match k.parse::<usize>() {
            Ok(n) => &mut cur[n],
            Err(_) => &mut cur[*k],
        };
    }
    v
}

// ---------------------------------------------------------------- Marchex

#[test]
fn marchex_unanswered_call_processed_is_a_missed_call_in_the_location_zone() {
    let e = event(
        "marchex",
        &fixture("marchex-webhook-call-processed-unanswered-reconstructed.json"),
    );
    assert_eq!(e.event_id, "2079590112");
    assert_eq!(e.location_id, "mx-01");
    assert_eq!(e.disposition, Disposition::NoAnswer);
    assert_eq!(e.raw_disposition.as_deref(), Some("Unanswered"));
    // Zoneless local time, read in New York two days after the spring change: EDT.
    assert_eq!(e.occurred_at.to_rfc3339(), "2024-03-12T14:46:58-04:00");
    assert_eq!(e.tracking_number.as_deref(), Some("+18669592359"));
    assert_eq!(e.ring_seconds, Some(31));
    assert_eq!(e.duration_seconds, Some(0));
    assert_eq!(e.provider.as_deref(), Some("marchex"));
}

#[test]
fn marchex_local_time_without_a_configured_zone() {
    let o = IngestOptions::from_json(r#"{"default_location": "x"}"#).unwrap();
    let body = fixture_json("marchex-webhook-call-processed-unanswered-reconstructed.json");
    // A modified-call webhook may come any time later: the zone must come from the
    // options, and the error says which field and how.
    let e = ingest::parse("marchex", &body.to_string(), &o).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidTimestamp);
    assert_eq!(e.path, "Notifications[0].StartTime");
    assert!(e.message.contains("location_time_zones"), "{}", e.message);
    // The post-call webhook, sent two seconds after the call ended: Properties.UTC −
    // EndTime gives UTC−4 (EDT).
    let post = set(
        body.clone(),
        &["Notifications", "0", "Action"],
        json!("CallDetails.CallPreprocessed"),
    );
    let Ingested::Event(ev) = parse_with("marchex", &post.to_string(), &o) else {
        panic!("event")
    };
    assert_eq!(ev.occurred_at.to_rfc3339(), "2024-03-12T14:46:58-04:00");
    // Sent 40 minutes late: no offset to trust.
    let late = set(
        post.clone(),
        &["Properties", "UTC"],
        json!("2024-03-12T19:27:31.118"),
    );
    let e = ingest::parse("marchex", &late.to_string(), &o).unwrap_err();
    assert_eq!(e.code, ErrorCode::InvalidTimestamp);
    // Newfoundland, half an hour off: UTC−2:30 in summer.
    let nl = set(
        post.clone(),
        &["Properties", "UTC"],
        json!("2024-07-12T17:17:31.118"),
    );
    let nl = set(
        nl,
        &["Notifications", "0", "StartTime"],
        json!("2024-07-12T14:46:58"),
    );
    let nl = set(
        nl,
        &["Notifications", "0", "EndTime"],
        json!("2024-07-12T14:47:29"),
    );
    let Ingested::Event(ev) = parse_with("marchex", &nl.to_string(), &o) else {
        panic!("event")
    };
    assert_eq!(ev.occurred_at.to_rfc3339(), "2024-07-12T14:46:58-02:30");
    // A configured zone wins over the envelope.
    let o =
        IngestOptions::from_json(r#"{"default_location": "x", "time_zone": "America/Chicago"}"#)
            .unwrap();
    let Ingested::Event(ev) = parse_with("marchex", &post.to_string(), &o) else {
        panic!("event")
    };
    assert_eq!(ev.occurred_at.to_rfc3339(), "2024-03-12T14:46:58-05:00");
}

#[test]
fn marchex_post_call_sample_answered_and_call_start_incomplete() {
    // The verbatim post-call sample (cut after EndTime): AnswerTime set, answered.
    let v = completed(
        "marchex-webhook-call-preprocessed-fragment-verbatim.txt",
        "}]}",
    );
    assert_eq!(parse("marchex", &v.to_string()).kind(), "not_missed");
    let start = set(
        v.clone(),
        &["Notifications", "0", "Action"],
        json!("CallDetails.CallStart"),
    );
    assert_eq!(parse("marchex", &start.to_string()).kind(), "incomplete");
    // The same post-call webhook, unanswered: a missed call, in the location's zone.
    let missed = set(
        v.clone(),
        &["Notifications", "0", "AnswerTime"],
        Value::Null,
    );
    let missed = set(
        missed,
        &["Notifications", "0", "AnswerStatus"],
        json!("No Answer"),
    );
    let e = event("marchex", &missed.to_string());
    assert_eq!(e.event_id, "2079571437");
    assert_eq!(e.occurred_at.to_rfc3339(), "2019-11-15T09:09:54-05:00");
    // With no zone at all, the envelope's send time gives the same instant.
    let bare = IngestOptions::from_json(r#"{"default_location": "x"}"#).unwrap();
    let Ingested::Event(e) = parse_with("marchex", &missed.to_string(), &bare) else {
        panic!("event")
    };
    assert_eq!(e.occurred_at.to_rfc3339(), "2019-11-15T09:09:54-05:00");
    let other = set(
        v,
        &["Notifications", "0", "Action"],
        json!("Billing.InvoiceCreated"),
    );
    assert_eq!(
        err("marchex", &other.to_string()).path,
        "Notifications[0].Action"
    );
}

#[test]
fn marchex_every_documented_status() {
    let base = fixture_json("marchex-webhook-call-processed-unanswered-reconstructed.json");
    let cases = [
        ("Answered", None),
        ("ANSWER", None),
        ("Conversation", None),
        ("Wrong Number", None),
        ("Unanswered", Some(Disposition::NoAnswer)),
        ("NOANSWER", Some(Disposition::NoAnswer)),
        ("BUSY", Some(Disposition::Busy)),
        ("VOICEMAIL", Some(Disposition::Voicemail)),
        ("CANCEL", Some(Disposition::Abandoned)),
        ("HANGUP", Some(Disposition::Abandoned)),
        ("Ring Transfer Abandon", Some(Disposition::Abandoned)),
        ("Hold-Time Abandon", Some(Disposition::AbandonedInQueue)),
        ("IVR/Voicemail Abandon", Some(Disposition::AbandonedInIvr)),
        ("NOFORWARDS", Some(Disposition::NoAgentAvailable)),
        ("CONGESTION", Some(Disposition::Failed)),
        ("WINDDOWN", Some(Disposition::Failed)),
        ("Something New", Some(Disposition::NoAnswer)),
    ];
    for (status, want) in cases {
        let body = set(
            base.clone(),
            &["Notifications", "0", "AnswerStatus"],
            json!(status),
        );
        match (parse("marchex", &body.to_string()), want) {
            (Ingested::Event(e), Some(d)) => {
                assert_eq!(e.disposition, d, "{status}");
                assert_eq!(e.raw_disposition.as_deref(), Some(status));
            }
            (Ingested::NotMissed { .. }, None) => {}
            (other, _) => panic!("{status}: {other:?}"),
        }
    }
    // An unknown value with an answer time is answered.
    let body = set(
        base.clone(),
        &["Notifications", "0", "AnswerStatus"],
        json!("Something New"),
    );
    let body = set(
        body,
        &["Notifications", "0", "AnswerTime"],
        json!("2024-03-12T14:47:01"),
    );
    assert_eq!(parse("marchex", &body.to_string()).kind(), "not_missed");
}

#[test]
fn marchex_sales_rescue_test_delivery_and_monitor_times() {
    let v = completed("marchex-webhook-sales-rescue-fragment-verbatim.txt", "}]}");
    assert_eq!(parse("marchex", &v.to_string()).kind(), "not_missed");
    // The same body from a real organization, unanswered: MonitorStartTime is UTC.
    let real = set(v.clone(), &["Properties", "Scenario"], json!("LIVE"));
    let real = set(real, &["Properties", "Organization"], json!("4062"));
    let real = set(
        real,
        &["Notifications", "0", "AnswerStatus"],
        json!("Unanswered"),
    );
    let real = set(
        real,
        &["Notifications", "0", "CalledNumber"],
        json!("8669592359"),
    );
    let e = event("marchex", &real.to_string());
    assert_eq!(
        e.occurred_at.utc().to_rfc3339(),
        "2021-04-30T17:31:38+00:00"
    );
    assert_eq!(e.event_id, "121212121212");
}

#[test]
fn marchex_envelope_of_two_calls_is_a_page() {
    let base = fixture_json("marchex-webhook-call-processed-unanswered-reconstructed.json");
    let mut second = base["Notifications"][0].clone();
    second["TelmetricsId"] = json!(2079590113);
    second["AnswerStatus"] = json!("Answered");
    let mut two = base.clone();
    two["Notifications"].as_array_mut().unwrap().push(second);
    let e = err("marchex", &two.to_string());
    assert_eq!(e.code, ErrorCode::UnsupportedPayload);
    let many = ingest::parse_many("marchex", &two.to_string(), &options(json!({}))).unwrap();
    assert_eq!(many.len(), 2);
    assert_eq!(many[0].as_ref().unwrap().kind(), "event");
    assert_eq!(many[1].as_ref().unwrap().kind(), "not_missed");
    // A retry of the same call (same TelmetricsId twice) keeps the last.
    let mut again = base.clone();
    let n = base["Notifications"][0].clone();
    again["Notifications"].as_array_mut().unwrap().push(n);
    assert_eq!(parse("marchex", &again.to_string()).kind(), "event");
}

#[test]
fn marchex_telmetrics_api_row() {
    let v = completed("marchex-telmetrics-calls-api-fragment-verbatim.txt", "}}]}");
    let many = ingest::parse_many("marchex", &v.to_string(), &options(json!({}))).unwrap();
    assert_eq!(many.len(), 1);
    assert_eq!(
        many[0].as_ref().unwrap().kind(),
        "not_missed",
        "answer_status answered"
    );
    let mut row = v["results"][0].clone();
    row["answer_status"] = json!("unanswered");
    row["answer_status_id"] = json!(2);
    row["start_time"] = json!("2024-03-12T10:00:00Z");
    let o = options(json!({"default_location": "mx-01"}));
    let Ingested::Event(e) = parse_with("marchex", &row.to_string(), &o) else {
        panic!("event")
    };
    assert_eq!(e.caller_number.as_deref(), Some("+16283335467"));
    assert_eq!(e.caller_name.as_deref(), Some("John Estrada"));
    assert_eq!(e.event_id, "1926683604");
}

// ---------------------------------------------------------------- Convirza

#[test]
fn convirza_call_list_of_one_is_a_missed_call() {
    let e = event(
        "convirza",
        &fixture("convirza-v3-call-no-answer-reconstructed.json"),
    );
    assert_eq!(e.event_id, "918273645");
    assert_eq!(e.location_id, "cv-01");
    assert_eq!(e.disposition, Disposition::NoAnswer);
    assert_eq!(e.raw_disposition.as_deref(), Some("NO ANSWER"));
    assert_eq!(e.occurred_at.to_rfc3339(), "2026-03-05T17:02:11Z");
    // +1 555 123-4567 has an exchange starting with 1: nobody can dial it back.
    assert_eq!(e.caller_number.as_deref(), Some("anonymous"));
    let a = e.attribution.expect("attribution");
    assert_eq!(a.source.as_deref(), Some("google"));
    assert_eq!(a.campaign.as_deref(), Some("spring-service"));
}

#[test]
fn convirza_every_documented_disposition_and_number_formats() {
    let base =
        fixture_json("convirza-v3-call-no-answer-reconstructed.json")["data"]["calls"][0].clone();
    let base = set(base, &["caller_id"], json!("18015557654"));
    for (value, want) in [
        ("ANSWERED", None),
        ("TRANSFERRED", None),
        ("NO ANSWER", Some(Disposition::NoAnswer)),
        ("NO_ANSWER", Some(Disposition::NoAnswer)),
        ("no+answer", Some(Disposition::NoAnswer)),
        ("BUSY", Some(Disposition::Busy)),
        ("FAILED", Some(Disposition::Failed)),
        ("VOICEMAIL", Some(Disposition::Voicemail)),
        ("ABANDONED", Some(Disposition::Abandoned)),
    ] {
        let body = set(base.clone(), &["disposition"], json!(value));
        match (parse("convirza", &body.to_string()), want) {
            (Ingested::Event(e), Some(d)) => {
                assert_eq!(e.disposition, d, "{value}");
                assert_eq!(e.caller_number.as_deref(), Some("+18015557654"));
            }
            (Ingested::NotMissed { .. }, None) => {}
            (other, _) => panic!("{value}: {other:?}"),
        }
    }
    let unknown = set(base.clone(), &["disposition"], json!("SOMETHING"));
    let e = err("convirza", &unknown.to_string());
    assert_eq!(
        (e.code, e.path.as_str()),
        (ErrorCode::UnsupportedPayload, "disposition")
    );
    // A pre-call webhook: no outcome yet.
    let mut pre = base.clone();
    pre.as_object_mut().unwrap().remove("disposition");
    pre.as_object_mut().unwrap().remove("duration");
    assert_eq!(parse("convirza", &pre.to_string()).kind(), "incomplete");
    // Voicemail keeps its recording and transcript.
    let vm = set(base.clone(), &["disposition"], json!("VOICEMAIL"));
    let vm = set(
        vm,
        &["recordings"],
        json!([{"url": "https://rec.example/1.mp3"}]),
    );
    let vm = set(
        vm,
        &["transcription"],
        json!({"text": "please call me back about the estimate"}),
    );
    let e = event("convirza", &vm.to_string());
    let v = e.voicemail.expect("voicemail");
    assert_eq!(
        v.recording_url.as_deref(),
        Some("https://rec.example/1.mp3")
    );
    assert!(v.transcript.unwrap().contains("estimate"));
}

// ---------------------------------------------------------------- WhatConverts

#[test]
fn whatconverts_completed_unanswered_call() {
    let e = event(
        "whatconverts",
        &fixture("whatconverts-webhook-phone-call-completed-unanswered-reconstructed.json"),
    );
    assert_eq!(e.event_id, "153929");
    assert_eq!(e.location_id, "clt-01");
    assert_eq!(e.disposition, Disposition::NoAnswer);
    assert_eq!(e.caller_number.as_deref(), Some("+18033861858"));
    assert_eq!(e.occurred_at.to_rfc3339(), "2024-06-03T22:40:12Z");
    let a = e.attribution.expect("attribution");
    assert_eq!(a.gclid.as_deref(), Some("EAIaIQobChMI0example"));
    assert_eq!(a.keywords.as_deref(), Some("emergency plumber"));
    assert_eq!(a.utm.get("content").map(String::as_str), Some("new ad"));
}

#[test]
fn whatconverts_in_progress_other_leads_and_updates() {
    let v = completed(
        "whatconverts-webhook-phone-call-in-progress-fragment-verbatim.txt",
        "}",
    );
    assert_eq!(parse("whatconverts", &v.to_string()).kind(), "incomplete");
    let base =
        fixture_json("whatconverts-webhook-phone-call-completed-unanswered-reconstructed.json");
    for t in ["Web Form", "Chat", "Email", "Transaction"] {
        let body = set(base.clone(), &["lead_type"], json!(t));
        match parse("whatconverts", &body.to_string()) {
            Ingested::NotMissed { reason } => assert!(reason.contains(t), "{reason}"),
            other => panic!("{t}: {other:?}"),
        }
    }
    for (value, want) in [
        ("Answered", None),
        ("Unanswered", Some(Disposition::NoAnswer)),
        ("No Answer", Some(Disposition::NoAnswer)),
        ("Missed", Some(Disposition::NoAnswer)),
        ("Voicemail", Some(Disposition::Voicemail)),
        ("Busy", Some(Disposition::Busy)),
    ] {
        let body = set(base.clone(), &["answer_status"], json!(value));
        match (parse("whatconverts", &body.to_string()), want) {
            (Ingested::Event(e), Some(d)) => assert_eq!(e.disposition, d, "{value}"),
            (Ingested::NotMissed { .. }, None) => {}
            (other, _) => panic!("{value}: {other:?}"),
        }
    }
    // An update that brings the voicemail: same event id, the voicemail attached.
    let upd = set(
        base.clone(),
        &["voicemail_url"],
        json!("https://wc.example/vm/1.mp3"),
    );
    let upd = set(
        upd,
        &["voicemail_transcription"],
        json!("my water heater is leaking"),
    );
    let e = event("whatconverts", &upd.to_string());
    assert_eq!(e.event_id, "153929");
    let vm = e.voicemail.expect("voicemail");
    assert_eq!(vm.transcript.as_deref(), Some("my water heater is leaking"));
    // An update with only changed fields and no answer status yet: not decidable.
    let mut partial = base.clone();
    partial.as_object_mut().unwrap().remove("answer_status");
    assert_eq!(
        parse("whatconverts", &partial.to_string()).kind(),
        "incomplete"
    );
}

// ---------------------------------------------------------------- mapping: Ringostat

#[test]
fn ringostat_after_call_webhook_with_the_starting_mapping() {
    let e = event(
        "ringostat",
        &fixture("ringostat-webhook-after-call-no-answer-reconstructed.json"),
    );
    assert_eq!(e.event_id, "1770745325.1234567");
    assert_eq!(e.location_id, "kyiv-01");
    assert_eq!(e.disposition, Disposition::NoAnswer);
    assert_eq!(e.caller_number.as_deref(), Some("+380671234567"));
    // 19:42 in Kyiv (UTC+2 in February).
    assert_eq!(e.occurred_at.to_rfc3339(), "2026-02-10T19:42:05+02:00");
    assert_eq!(e.ring_seconds, Some(27));
    let a = e.attribution.expect("attribution");
    assert_eq!(a.keywords.as_deref(), Some("plumber kyiv"));
    assert_eq!(a.referrer.as_deref(), Some("https://www.google.com/"));
}

#[test]
fn ringostat_every_documented_status_both_generations_and_encodings() {
    let base = fixture_json("ringostat-webhook-after-call-no-answer-reconstructed.json");
    let cases = [
        ("ANSWERED", None),
        ("PROPER", None),
        ("REPEATED", None),
        ("NO ANSWER", Some(Disposition::NoAnswer)),
        ("NO+ANSWER", Some(Disposition::NoAnswer)),
        ("NO_ANSWER", Some(Disposition::NoAnswer)),
        ("BUSY", Some(Disposition::Busy)),
        ("FAILED", Some(Disposition::Failed)),
        ("NO-FORWARD", Some(Disposition::NoAgentAvailable)),
        ("VOICEMAIL", Some(Disposition::Voicemail)),
        ("WRONG EXTENSION", Some(Disposition::AbandonedInIvr)),
        ("NO EXTENSION", Some(Disposition::AbandonedInIvr)),
        ("CLIENT NO ANSWER", Some(Disposition::NoAnswer)),
        ("FAILED FORBIDDEN DESTINATION", Some(Disposition::Failed)),
        ("DECLINE", Some(Disposition::NoAnswer)),
    ];
    for (value, want) in cases {
        let body = set(base.clone(), &["disposition"], json!(value));
        match (parse("ringostat", &body.to_string()), want) {
            (Ingested::Event(e), Some(d)) => assert_eq!(e.disposition, d, "{value}"),
            (Ingested::NotMissed { .. }, None) => {}
            (other, _) => panic!("{value}: {other:?}"),
        }
    }
    // Classic webhooks: callee / status / call_id.
    let classic = json!({"call_id": "c-77", "caller": "+380671234567", "callee": "380443334455",
        "status": "NO ANSWER", "calldate": "2026-02-10 19:42:05", "call_duration": 20});
    let e = event("ringostat", &classic.to_string());
    assert_eq!(
        (e.event_id.as_str(), e.location_id.as_str()),
        ("c-77", "kyiv-01")
    );
    // GET query string (the `http` submission type) and JSON-RPC.
    let query = "uniqueid=1.2&caller=380671234567&dst=380443334455&disposition=NO%2BANSWER\
                 &calldate=2026-02-10+19%3A42%3A05&call_type=in";
    assert_eq!(event("ringostat", query).disposition, Disposition::NoAnswer);
    let rpc = json!({"jsonrpc": "2.0", "method": "after_call", "id": 1, "params": base.clone()});
    assert_eq!(
        event("ringostat", &rpc.to_string()).event_id,
        "1770745325.1234567"
    );
    // Outbound calls are not missed calls; callbacks are inbound.
    let out = set(base.clone(), &["call_type"], json!("out"));
    assert_eq!(parse("ringostat", &out.to_string()).kind(), "not_missed");
    let cb = set(base.clone(), &["call_type"], json!("callback"));
    assert_eq!(parse("ringostat", &cb.to_string()).kind(), "event");
    // A value outside both tables: an error naming the value and where it was.
    let odd = set(base.clone(), &["disposition"], json!("TELEPORTED"));
    let e = err("ringostat", &odd.to_string());
    assert_eq!(
        (e.code, e.path.as_str()),
        (ErrorCode::UnsupportedPayload, "disposition")
    );
    assert!(e.message.contains("TELEPORTED"), "{}", e.message);
    // ... which the integrator maps, and a customer-chosen date format.
    let o = options(json!({"mapping": {
        "dispositions": {"teleported": "no_answer"},
        "time_format": "%d.%m.%Y %H:%M:%S"}}));
    let odd = set(odd, &["calldate"], json!("10.02.2026 19:42:05"));
    let Ingested::Event(e) = parse_with("ringostat", &odd.to_string(), &o) else {
        panic!("event")
    };
    assert_eq!(e.occurred_at.to_rfc3339(), "2026-02-10T19:42:05+02:00");
    // The wrong format is an invalid_timestamp at the field.
    let bad = set(base, &["calldate"], json!("2026-02-10 19:42:05"));
    let e = ingest::parse("ringostat", &bad.to_string(), &o).unwrap_err();
    assert_eq!(
        (e.code, e.path.as_str()),
        (ErrorCode::InvalidTimestamp, "calldate")
    );
}

// ---------------------------------------------------------------- mapping: DialogTech, CallSource, custom

#[test]
fn dialogtech_post_call_action_request() {
    let text: String = fixture("dialogtech-post-call-action-get-reconstructed.txt")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    // The sample names no call id: the customer's template maps one.
    let o = options(json!({"mapping": {"fields": {"event_id": "gclid"}}}));
    let Ingested::Event(e) = parse_with("dialogtech", &text, &o) else {
        panic!("event")
    };
    assert_eq!(e.disposition, Disposition::NoAnswer);
    assert_eq!(e.caller_number.as_deref(), Some("+13125550143"));
    assert_eq!(e.location_id, "dt-01");
    assert_eq!(e.occurred_at.to_rfc3339(), "2019-06-04T18:22:10-05:00");
    let a = e.attribution.expect("attribution");
    assert_eq!(a.keywords.as_deref(), Some("emergency plumber"));
    assert_eq!(a.gclid.as_deref(), Some("EAIaIQobChMIexample"));
    // Without a call id the error says where it looked and how to map it.
    let e = ingest::parse("dialogtech", &text, &options(json!({}))).unwrap_err();
    assert_eq!(e.code, ErrorCode::UnsupportedPayload);
    assert!(
        e.message.contains("options.mapping.fields"),
        "{}",
        e.message
    );
}

#[test]
fn callsource_and_custom_mappings() {
    let body = json!({"CallId": "cs-1", "CallStart": "2026-03-02T09:15:00-06:00",
        "CallerNumber": "(312) 555-0143", "TrackingNumber": "800-555-0199",
        "CallResult": "Missed", "Duration": "0"});
    let e = event("callsource", &body.to_string());
    assert_eq!(
        (e.event_id.as_str(), e.disposition),
        ("cs-1", Disposition::NoAnswer)
    );
    assert_eq!(e.location_id, "dt-01");
    // A fully custom source: nested paths, the integrator's values, durations in ms.
    let body = json!({"call": {"ref": 991, "at": 1767258000, "from": {"e164": "+13125550143"},
        "line": {"number": "+18005550199"}, "result": "NOBODY", "talk_ms": 0,
        "vm": {"text": "call me back about the quote", "url": "https://x.example/vm"}}});
    let o = options(json!({"mapping": {
        "fields": {"event_id": "call.ref", "start_time": "call.at", "caller": "call.from.e164",
                   "tracking_number": "call.line.number", "disposition": "call.result",
                   "talk_duration": "call.talk_ms", "voicemail_transcript": "call.vm.text",
                   "voicemail_url": "call.vm.url"},
        "dispositions": {"nobody": "no_answer", "spoke": "answered"},
        "time_format": "epoch_seconds", "duration_unit": "milliseconds"}}));
    let Ingested::Event(e) = parse_with("custom", &body.to_string(), &o) else {
        panic!("event")
    };
    assert_eq!(e.event_id, "991");
    assert_eq!(e.occurred_at.to_rfc3339(), "2026-01-01T09:00:00Z");
    assert_eq!(
        e.voicemail.unwrap().transcript.as_deref(),
        Some("call me back about the quote")
    );
    let spoke = set(body, &["call", "result"], json!("SPOKE"));
    assert_eq!(
        parse_with("custom", &spoke.to_string(), &o).kind(),
        "not_missed"
    );
    // A mapping naming a field that does not exist is an options error with its path.
    let bad = IngestOptions::from_json(r#"{"mapping": {"fields": {"phone": "x"}}}"#).unwrap();
    let e = ingest::parse("custom", "{}", &bad).unwrap_err();
    assert_eq!(e.path, "options.mapping.fields.phone");
}

#[test]
fn invoca_reads_through_the_general_mapping_too() {
    let body = json!({"id": "inv-9", "when": "2026-03-02 09:15:00 -06:00",
        "ani": "866-555-1234", "promo": "800-555-0199", "why": "Destination: Busy",
        "connected": 0});
    let o = options(
        json!({"mapping": {"fields": {"event_id": "id", "start_time": "when",
        "caller": "ani", "tracking_number": "promo", "disposition": "why",
        "talk_duration": "connected"}, "location_fields": ["promo"]}}),
    );
    let Ingested::Event(e) = parse_with("invoca", &body.to_string(), &o) else {
        panic!("event")
    };
    assert_eq!(
        (e.event_id.as_str(), e.disposition),
        ("inv-9", Disposition::Busy)
    );
    assert_eq!(e.location_id, "dt-01");
}

// ---------------------------------------------------------------- voice AI: Retell

fn retell_bodies() -> (Value, Value) {
    (
        fixture_json("retell-webhook-call-analyzed-inbound-user-hangup-reconstructed.json"),
        fixture_json("retell-webhook-call-ended-inbound-transfer-cancelled-reconstructed.json"),
    )
}

#[test]
fn retell_caller_hung_up_before_booking_carries_summary_and_intent() {
    let (analyzed, _) = retell_bodies();
    let e = event("retell", &analyzed.to_string());
    assert_eq!(e.event_id, "call_2d4f6a8c0e1b3d5f7a9c1e3b5d7");
    assert_eq!(e.location_id, "bayside");
    assert_eq!(e.disposition, Disposition::Abandoned);
    assert_eq!(e.raw_disposition.as_deref(), Some("user_hangup"));
    assert_eq!(e.caller_number.as_deref(), Some("+14155550123"));
    assert_eq!(e.caller_name.as_deref(), Some("Dana"));
    assert_eq!(e.occurred_at.to_rfc3339(), "2025-05-29T20:00:00Z");
    assert_eq!(e.duration_seconds, Some(74));
    let ai = e.ai_receptionist.expect("ai_receptionist");
    assert!(!ai.handled);
    assert!(ai.summary.unwrap().contains("reschedule a cleaning"));
    assert_eq!(
        ai.captured_intent.as_deref(),
        Some("reschedule_appointment")
    );
}

#[test]
fn retell_failed_transfer_is_a_missed_call_and_handled_calls_are_not() {
    let (analyzed, ended) = retell_bodies();
    let e = event("retell", &ended.to_string());
    assert_eq!(e.disposition, Disposition::NoAnswer);
    assert_eq!(e.raw_disposition.as_deref(), Some("transfer_cancelled"));
    // No summary from the platform: the caller's own words stand in.
    let ai = e.ai_receptionist.expect("ai");
    assert_eq!(ai.summary.as_deref(), Some("Can I talk to a person?"));
    // The AI booked it: handled.
    let ok = set(
        analyzed.clone(),
        &["call", "call_analysis", "call_successful"],
        json!(true),
    );
    let ok = set(
        ok,
        &["call", "call_analysis", "custom_analysis_data", "booked"],
        json!(true),
    );
    assert_eq!(parse("retell", &ok.to_string()).kind(), "not_missed");
    // Success claimed, but the caller asked for a person: follow up.
    let human = set(
        ok,
        &[
            "call",
            "call_analysis",
            "custom_analysis_data",
            "wants_human",
        ],
        json!(true),
    );
    assert_eq!(parse("retell", &human.to_string()).kind(), "event");
    // call_ended for a hang-up has no analysis yet: call_analyzed decides.
    let mut early = set(analyzed.clone(), &["event"], json!("call_ended"));
    early["call"]
        .as_object_mut()
        .unwrap()
        .remove("call_analysis");
    assert_eq!(parse("retell", &early.to_string()).kind(), "incomplete");
    for ev in [
        "call_started",
        "transcript_updated",
        "transfer_started",
        "transfer_bridged",
    ] {
        let b = set(analyzed.clone(), &["event"], json!(ev));
        assert_eq!(parse("retell", &b.to_string()).kind(), "incomplete", "{ev}");
    }
    let web = set(analyzed.clone(), &["call", "call_type"], json!("web_call"));
    assert_eq!(parse("retell", &web.to_string()).kind(), "not_missed");
    // A trunk name where the caller's number should be: withheld, never a made-up number.
    let trunk = set(
        analyzed.clone(),
        &["call", "from_number"],
        json!("iatizeia"),
    );
    assert_eq!(
        event("retell", &trunk.to_string()).caller_number.as_deref(),
        Some("anonymous")
    );
    // An outbound attempt the AI made that nobody answered: the customer is `to_number`.
    let out = set(ended, &["call", "direction"], json!("outbound"));
    let out = set(out, &["call", "from_number"], json!("+14155559876"));
    let out = set(out, &["call", "to_number"], json!("+14155550188"));
    let out = set(
        out,
        &["call", "disconnection_reason"],
        json!("dial_no_answer"),
    );
    let e = event("retell", &out.to_string());
    assert_eq!(e.caller_number.as_deref(), Some("+14155550188"));
    assert_eq!(e.disposition, Disposition::NoAnswer);
}

#[test]
fn retell_every_documented_disconnection_reason() {
    let (analyzed, _) = retell_bodies();
    let text = fixture("retell-disconnection-reason-enum-verbatim.txt");
    let reasons: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("## disconnection_reason"))
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .collect();
    assert_eq!(reasons.len(), 34, "the verbatim enum");
    let handled = [
        "call_transfer",
        "transfer_bridged",
        "manual_stopped",
        "call_take_over",
        "marked_as_spam",
        "scam_detected",
    ];
    for r in &reasons {
        // With the sample's failed analysis.
        let body = set(
            analyzed.clone(),
            &["call", "disconnection_reason"],
            json!(r),
        );
        let got = parse("retell", &body.to_string());
        if handled.contains(r) {
            assert_eq!(got.kind(), "not_missed", "{r}");
        } else {
            assert_eq!(got.kind(), "event", "{r}");
        }
    }
    // The AI ending the call with no failure flag is handled.
    let ok = set(
        analyzed.clone(),
        &["call", "disconnection_reason"],
        json!("agent_hangup"),
    );
    let ok = set(
        ok,
        &["call", "call_analysis", "call_successful"],
        Value::Null,
    );
    let ok = set(
        ok,
        &["call", "call_analysis", "custom_analysis_data"],
        json!({"intent": "hours"}),
    );
    assert_eq!(parse("retell", &ok.to_string()).kind(), "not_missed");
    for (r, d) in [
        ("dial_busy", Disposition::Busy),
        ("voicemail_reached", Disposition::Voicemail),
        ("inactivity", Disposition::Abandoned),
        ("error_llm_websocket_lost_connection", Disposition::Failed),
        ("a_reason_added_next_year", Disposition::Failed),
    ] {
        let body = set(
            analyzed.clone(),
            &["call", "disconnection_reason"],
            json!(r),
        );
        assert_eq!(event("retell", &body.to_string()).disposition, d, "{r}");
    }
}

#[test]
fn retell_signature() {
    use ringback::ingest::signature;
    let body = br#"{"event":"call_ended"}"#;
    let key = "key_test_webhook_badge";
    // Computed independently: HMAC-SHA256(key, body + "1748548800000"), hex.
    let mac = {
        use hmac::{Hmac, Mac};
        let mut m = Hmac::<sha2::Sha256>::new_from_slice(key.as_bytes()).unwrap();
        m.update(body);
        m.update(b"1748548800000");
        m.finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    let header = format!("v=1748548800000,d={mac}");
    assert!(signature::retell(
        body,
        key,
        &header,
        1_748_548_800_000 + 60_000
    ));
    assert!(!signature::retell(
        body,
        key,
        &header,
        1_748_548_800_000 + 301_000
    ));
    assert!(!signature::retell(
        br#"{"event":"call_analyzed"}"#,
        key,
        &header,
        1_748_548_800_000
    ));
    assert!(!signature::retell(
        body,
        "other",
        &header,
        1_748_548_800_000
    ));
    assert!(!signature::retell(body, key, "d=00,v=1", 1_748_548_800_000));
    assert!(!signature::retell(body, key, "v=abc,d=00", 0));
    let vapi = format!("sha256={}", {
        use hmac::{Hmac, Mac};
        let mut m = Hmac::<sha2::Sha256>::new_from_slice(b"vapi-secret").unwrap();
        m.update(body);
        m.finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    });
    assert!(signature::vapi_hmac(body, "vapi-secret", &vapi));
    assert!(!signature::vapi_hmac(body, "other", &vapi));
    assert!(signature::vapi_secret("Bearer s3cret", "s3cret"));
    assert!(!signature::vapi_secret("Bearer s3cre", "s3cret"));
}

// ---------------------------------------------------------------- voice AI: Vapi

#[test]
fn vapi_forward_rang_out_after_the_caller_asked_for_a_person() {
    let body = fixture("vapi-end-of-call-report-inbound-forwarding-no-answer-reconstructed.json");
    let e = event("vapi", &body);
    assert_eq!(e.event_id, "3f1e2d4c-5b6a-4978-8a1b-2c3d4e5f6a7b");
    assert_eq!(e.location_id, "bayside");
    assert_eq!(e.disposition, Disposition::NoAnswer);
    assert_eq!(e.caller_number.as_deref(), Some("+14155550188"));
    assert_eq!(e.caller_name.as_deref(), Some("DANA K"));
    assert_eq!(e.duration_seconds, Some(99));
    let ai = e.ai_receptionist.expect("ai");
    assert_eq!(ai.captured_intent.as_deref(), Some("billing_question"));
    assert!(ai.summary.unwrap().contains("front desk"));
}

#[test]
fn vapi_every_documented_ended_reason_and_other_messages() {
    let base =
        fixture_json("vapi-end-of-call-report-inbound-forwarding-no-answer-reconstructed.json");
    let reasons = fixture("vapi-ended-reason-enum-verbatim.txt");
    let reasons: Vec<&str> = reasons
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect();
    assert!(reasons.len() > 600, "{}", reasons.len());
    // A successful AI (success true, nothing asked) so that only the reason decides.
    let ok = set(
        base.clone(),
        &["message", "analysis", "successEvaluation"],
        json!("true"),
    );
    let ok = set(
        ok,
        &["message", "analysis", "structuredData"],
        json!({"intent": "hours"}),
    );
    let mut counts = std::collections::BTreeMap::new();
    for r in &reasons {
        let body = set(ok.clone(), &["message", "endedReason"], json!(r));
        let got = parse("vapi", &body.to_string());
        let key = match &got {
            Ingested::Event(e) => e.disposition.as_str(),
            other => other.kind(),
        };
        *counts.entry(key).or_insert(0) += 1;
        if r.starts_with("pipeline-error-") || r.starts_with("call.start.error-") {
            assert_eq!(key, "failed", "{r}");
        }
    }
    for (r, want) in [
        ("customer-did-not-answer", "no_answer"),
        ("customer-busy", "busy"),
        ("voicemail", "voicemail"),
        (
            "call.ringing.sip-inbound-caller-hungup-before-call-connect",
            "short_abandoned",
        ),
        ("customer-ended-call", "not_missed"),
        ("customer-ended-call-during-transfer", "abandoned"),
        ("call.forwarding.no-answer", "no_answer"),
        ("call.forwarding.operator-busy", "busy"),
        (
            "call.in-progress.error-warm-transfer-max-duration",
            "no_answer",
        ),
        ("assistant-forwarded-call", "not_missed"),
        ("assistant-ended-call", "not_missed"),
        ("silence-timed-out", "abandoned"),
        ("manually-canceled", "not_missed"),
        ("hangup", "not_missed"),
    ] {
        let body = set(ok.clone(), &["message", "endedReason"], json!(r));
        let got = parse("vapi", &body.to_string());
        let key = match &got {
            Ingested::Event(e) => e.disposition.as_str(),
            other => other.kind(),
        };
        assert_eq!(key, want, "{r}");
    }
    assert!(
        counts.get("failed").copied().unwrap_or(0) > 500,
        "{counts:?}"
    );
    // Without success, the caller ending the call is a follow-up; a failed evaluation too.
    let hung = set(
        base.clone(),
        &["message", "endedReason"],
        json!("customer-ended-call"),
    );
    let hung = set(hung, &["message", "analysis", "structuredData"], json!({}));
    assert_eq!(
        event("vapi", &hung.to_string()).disposition,
        Disposition::Abandoned
    );
    let polite = set(
        base.clone(),
        &["message", "endedReason"],
        json!("assistant-ended-call"),
    );
    assert_eq!(
        event("vapi", &polite.to_string()).disposition,
        Disposition::Abandoned
    );
    for t in [
        "status-update",
        "hang",
        "transcript",
        "tool-calls",
        "conversation-update",
    ] {
        let body = json!({"message": {"type": t, "status": "in-progress"}});
        assert_eq!(parse("vapi", &body.to_string()).kind(), "incomplete", "{t}");
    }
    let web = set(base.clone(), &["message", "call", "type"], json!("webCall"));
    assert_eq!(parse("vapi", &web.to_string()).kind(), "not_missed");
    // Forwarded without the `message` wrapper.
    let unwrapped = base["message"].clone();
    assert_eq!(
        event("vapi", &unwrapped.to_string()).disposition,
        Disposition::NoAnswer
    );
    // The docs' own example parses once its placeholders are filled.
    let doc: String = fixture("vapi-end-of-call-report-docs-verbatim.txt")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n")
        .replace("{ /* Call Object */ }", r#"{"id": "c1", "customer": {"number": "+14155550188"}, "startedAt": "2026-05-29T20:40:01Z"}"#)
        .replace("{ /* Recording object with URLs */ }", "{}");
    let o = options(json!({"default_location": "bayside"}));
    let Ingested::Event(e) = parse_with("vapi", &doc, &o) else {
        panic!("docs example")
    };
    assert_eq!(
        e.ai_receptionist.unwrap().summary.as_deref(),
        Some("What's the weather? ...")
    );
}

// ---------------------------------------------------------------- voice AI: Bland, Air AI, Voiceflow

#[test]
fn bland_outcomes() {
    let cookbook = fixture_json("bland-post-call-webhook-cookbook-verbatim.json");
    assert_eq!(
        parse("bland", &cookbook.to_string()).kind(),
        "not_missed",
        "qualified"
    );
    let e = event(
        "bland",
        &fixture("bland-post-call-webhook-no-answer-reconstructed.json"),
    );
    assert_eq!(e.disposition, Disposition::NoAnswer);
    assert_eq!(e.location_id, "bland-01");
    assert_eq!(e.occurred_at.to_rfc3339(), "2026-05-29T20:40:02Z");
    let base = fixture_json("bland-post-call-webhook-no-answer-reconstructed.json");
    let human = set(base.clone(), &["answered_by"], json!("human"));
    for (changes, want) in [
        (json!({"answered_by": "voicemail"}), "voicemail"),
        (json!({"error_message": "carrier rejected"}), "failed"),
        (json!({"queue_status": "error"}), "failed"),
        (
            json!({"call_ended_by": "USER", "call_length": 0.1}),
            "short_abandoned",
        ),
        (
            json!({"call_ended_by": "user", "call_length": 1.5}),
            "abandoned",
        ),
        (
            json!({"call_ended_by": "ASSISTANT", "call_length": 2.0}),
            "not_missed",
        ),
        (
            json!({"transferred_to": "+14155557777", "post_transfer_duration": 0}),
            "no_answer",
        ),
        (
            json!({"transferred_to": "+14155557777", "post_transfer_duration": 42}),
            "not_missed",
        ),
        (
            json!({"variables": {"booked": false}, "call_ended_by": "agent"}),
            "abandoned",
        ),
        (
            json!({"variables": {"appointment_booked": true}, "call_ended_by": "user"}),
            "not_missed",
        ),
        (
            json!({"status": "in-progress", "queue_status": "started"}),
            "incomplete",
        ),
    ] {
        let mut body = human.clone();
        for (k, v) in changes.as_object().unwrap() {
            body[k] = v.clone();
        }
        let got = parse("bland", &body.to_string());
        let key = match &got {
            Ingested::Event(e) => e.disposition.as_str(),
            other => other.kind(),
        };
        assert_eq!(key, want, "{changes}");
    }
    let delayed = json!({"call_id": "9d404c1b", "corrected_transcript": "...", "citations": []});
    assert_eq!(parse("bland", &delayed.to_string()).kind(), "incomplete");
    // Inbound: the caller is `from`.
    let inbound = set(
        set(human, &["inbound"], json!(true)),
        &["call_ended_by"],
        json!("user"),
    );
    let inbound = set(inbound, &["from"], json!("+14155550123"));
    let inbound = set(inbound, &["to"], json!("+15559876543"));
    let inbound = set(inbound, &["call_length"], json!(1.0));
    assert_eq!(
        event("bland", &inbound.to_string())
            .caller_number
            .as_deref(),
        Some("+14155550123")
    );
}

#[test]
fn airai_outcome_webhooks() {
    let data = completed("air-ai-post-call-data-docs-verbatim.txt", "}}");
    assert_eq!(
        parse("airai", &data.to_string()).kind(),
        "incomplete",
        "POST_CALL_DATA"
    );
    let mut failed = data.clone();
    failed["primaryOutcomeAchieved"] = json!(false);
    failed["outcome"] = json!("No booking");
    failed["notes"] = json!("Lead wanted a weekend slot");
    let e = event("airai", &failed.to_string());
    assert_eq!(e.event_id, "CAec7g2x30425ba039a83ffb4286754983");
    assert_eq!(e.location_id, "reno-01");
    assert_eq!(e.disposition, Disposition::Abandoned);
    // outbound-api: the customer is the number Air AI called.
    assert_eq!(e.caller_number.as_deref(), Some("+17752893647"));
    assert_eq!(e.caller_name.as_deref(), Some("Tyler"));
    assert_eq!(
        e.occurred_at.utc().to_rfc3339(),
        "2023-12-31T23:12:05.627050+00:00"
    );
    assert_eq!(
        e.ai_receptionist.unwrap().summary.as_deref(),
        Some("No booking. Lead wanted a weekend slot")
    );
    let mut ok = data;
    ok["primaryOutcomeAchieved"] = json!(true);
    assert_eq!(parse("airai", &ok.to_string()).kind(), "not_missed");
}

#[test]
fn voiceflow_lifecycle() {
    let start = completed(
        "voiceflow-webhook-runtime-call-start-fragment-verbatim.txt",
        r#", "resource": "project-6772da2e485189279fa5b9da"}"#,
    );
    assert_eq!(parse("voiceflow", &start.to_string()).kind(), "incomplete");
    let end = fixture_json("voiceflow-webhook-runtime-call-end-reconstructed.json");
    assert_eq!(
        parse("voiceflow", &end.to_string()).kind(),
        "not_missed",
        "a 61 s conversation"
    );
    let short = set(end.clone(), &["data", "endTime"], json!(1743563475788_i64));
    let e = event("voiceflow", &short.to_string());
    assert_eq!(e.event_id, "CA01ed76f14fee29c50f5de59400474006");
    assert_eq!(e.disposition, Disposition::ShortAbandoned);
    assert_eq!(e.location_id, "yvr-01");
    assert_eq!(e.caller_number.as_deref(), Some("+19876543210"));
    let wants = set(
        end.clone(),
        &["data", "variables"],
        json!({"wants_human": "yes", "intent": "billing"}),
    );
    let e = event("voiceflow", &wants.to_string());
    assert_eq!(e.disposition, Disposition::Abandoned);
    assert_eq!(
        e.ai_receptionist.unwrap().captured_intent.as_deref(),
        Some("billing")
    );
    let web = set(end, &["data", "platform"], json!("web-voice"));
    let mut web = web;
    web["data"].as_object_mut().unwrap().remove("metadata");
    assert_eq!(parse("voiceflow", &web.to_string()).kind(), "not_missed");
}

// ---------------------------------------------------------------- into the engine

#[test]
fn a_dropped_ai_call_feeds_the_intent_stage() {
    let hours = json!([["00:00", "23:59"]]);
    let week = json!({"mon": hours, "tue": hours, "wed": hours, "thu": hours, "fri": hours,
                      "sat": hours, "sun": hours});
    let policy = json!({"version": "ai-1", "locations": [{"id": "bayside", "name": "Bayside Dental",
        "vertical": "dental", "time_zone": "America/Los_Angeles", "country": "US", "state": "CA",
        "hours": week}]});
    let policy = Policy::from_json(&policy.to_string()).expect("policy");
    let engine = Engine::new(&policy).expect("engine");
    let (analyzed, _) = retell_bodies();
    let e = event("retell", &analyzed.to_string());
    let d = engine
        .process(&e, &engine.index(CrmSnapshot::default()))
        .expect("decision");
    assert_eq!(d.status, Status::FollowUp);
    let intent = d.intent.as_ref().expect("intent");
    let ai: Vec<_> = intent
        .signals
        .iter()
        .filter(|s| s.source == "ai_receptionist")
        .collect();
    assert!(!ai.is_empty(), "{:?}", intent.signals);
}

// ---------------------------------------------------------------- pages

fn ringcentral_record(i: usize) -> Value {
    json!({
        "id": format!("rec{i}"), "sessionId": format!("{}", 400_000 + i),
        "telephonySessionId": format!("s-{i}"),
        "startTime": "2026-11-24T16:01:00.000Z", "duration": 12, "type": "Voice",
        "direction": "Inbound", "action": "Phone Call", "result": "Missed",
        "from": {"phoneNumber": format!("+1602555{:04}", 1000 + i), "name": "CALLER"},
        "to": {"phoneNumber": "+14155550100"}
    })
}

#[test]
fn a_page_of_250_call_log_records_with_one_malformed_yields_249_events_and_one_error() {
    let mut records: Vec<Value> = (0..250).map(ringcentral_record).collect();
    records[117]["startTime"] = json!("yesterday-ish");
    let page = json!({"uri": "https://platform.example/call-log?page=1", "records": records,
        "paging": {"page": 1, "perPage": 250}, "navigation": {}});
    let o = options(json!({"default_location": "sf-01"}));
    let results = ingest::parse_many("ringcentral", &page.to_string(), &o).expect("page");
    assert_eq!(results.len(), 250);
    let events = results
        .iter()
        .filter(|r| matches!(r, Ok(Ingested::Event(_))))
        .count();
    let errors: Vec<_> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    assert_eq!((events, errors.len()), (249, 1));
    assert_eq!(errors[0].code, ErrorCode::InvalidTimestamp);
    assert_eq!(errors[0].path, "records[117].startTime");
    assert!(results[117].is_err());
    // The JSON form keeps the order and says which is which.
    let text = ingest::parse_many_json(
        "ringcentral",
        &page.to_string(),
        r#"{"default_location": "sf-01"}"#,
    )
    .expect("json");
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 250);
    assert_eq!(v[117]["ingested"], "error");
    assert_eq!(v[117]["error"]["path"], "records[117].startTime");
    assert_eq!(v[118]["ingested"], "event");
    // Not a page at all: one error for the whole call.
    let e = ingest::parse_many("ringcentral", r#"{"records": 3}"#, &o).unwrap_err();
    assert_eq!(e.code, ErrorCode::UnsupportedPayload);
    assert_eq!(
        ingest::parse_many("ringcentral", "[1", &o)
            .unwrap_err()
            .code,
        ErrorCode::InvalidJson
    );
}

#[test]
fn pages_of_other_vendors() {
    let o = options(json!({"default_location": "any"}));
    // CallRail `calls`.
    let call = fixture_json("callrail-post-call-missed-reconstructed.json");
    let page = json!({"page": 1, "per_page": 2, "total_records": 2, "calls": [call.clone(), call]});
    let r = ingest::parse_many("callrail", &page.to_string(), &o).unwrap();
    assert!(
        r.iter().all(|x| matches!(x, Ok(Ingested::Event(_)))),
        "{r:?}"
    );
    // WhatConverts `leads`.
    let lead =
        fixture_json("whatconverts-webhook-phone-call-completed-unanswered-reconstructed.json");
    let form = set(lead.clone(), &["lead_type"], json!("Web Form"));
    let page = json!({"page_number": 1, "leads_per_page": 2, "leads": [lead, form, 7]});
    let r = ingest::parse_many("whatconverts", &page.to_string(), &o).unwrap();
    assert_eq!(r[0].as_ref().unwrap().kind(), "event");
    assert_eq!(r[1].as_ref().unwrap().kind(), "not_missed");
    assert_eq!(r[2].as_ref().unwrap_err().path, "leads[2]");
    // Twilio's REST list: a parent leg and its unanswered child.
    let page = json!({"calls": [
        {"sid": "CA_parent", "direction": "inbound", "status": "completed",
         "from": "+16025550143", "to": "+14155550100", "start_time": "Tue, 24 Nov 2026 16:01:00 +0000",
         "duration": "31", "account_sid": "AC1"},
        {"sid": "CA_child", "parent_call_sid": "CA_parent", "direction": "outbound-dial",
         "status": "no-answer", "from": "+16025550143", "to": "+14155550199",
         "start_time": "Tue, 24 Nov 2026 16:01:01 +0000", "duration": "0", "account_sid": "AC1"}],
        "page": 0, "page_size": 50});
    let r = ingest::parse_many("twilio", &page.to_string(), &o).unwrap();
    assert_eq!(r[0].as_ref().unwrap().kind(), "incomplete");
    match r[1].as_ref().unwrap() {
        Ingested::Event(e) => {
            assert_eq!(e.event_id, "CA_parent");
            assert_eq!(e.disposition, Disposition::NoAnswer);
        }
        other => panic!("{other:?}"),
    }
    // Vonage `_embedded.calls`.
    let page = json!({"count": 1, "_embedded": {"calls": [{"uuid": "u1", "conversation_uuid": "CON-1",
        "status": "unanswered", "direction": "inbound", "from": {"type": "phone", "number": "447700900000"},
        "to": {"type": "phone", "number": "447700900001"}, "start_time": "2026-11-24T16:01:00.000Z"}]}});
    let r = ingest::parse_many("vonage", &page.to_string(), &o).unwrap();
    match r[0].as_ref().unwrap() {
        Ingested::Event(e) => assert_eq!(e.caller_number.as_deref(), Some("+447700900000")),
        other => panic!("{other:?}"),
    }
    // Retell and Vapi list-calls arrays.
    let (analyzed, _) = retell_bodies();
    let page = json!([analyzed["call"]]);
    let r = ingest::parse_many("retell", &page.to_string(), &o).unwrap();
    assert_eq!(r[0].as_ref().unwrap().kind(), "event");
    let vapi =
        fixture_json("vapi-end-of-call-report-inbound-forwarding-no-answer-reconstructed.json");
    let mut call = vapi["message"]["call"].clone();
    call["analysis"] = vapi["message"]["analysis"].clone();
    let r = ingest::parse_many("vapi", &json!([call]).to_string(), &o).unwrap();
    assert_eq!(r[0].as_ref().unwrap().kind(), "event");
    // Convirza `data.calls` and Ringostat's list (a JSON array).
    let cv = fixture("convirza-v3-call-no-answer-reconstructed.json");
    assert_eq!(ingest::parse_many("convirza", &cv, &o).unwrap().len(), 1);
    let rs = fixture_json("ringostat-webhook-after-call-no-answer-reconstructed.json");
    assert_eq!(
        ingest::parse_many("ringostat", &json!([rs, rs]).to_string(), &o)
            .unwrap()
            .len(),
        2
    );
}

// ---------------------------------------------------------------- internal and non-dialable callers

#[test]
fn internal_calls_are_not_missed_and_non_dialable_callers_are_withheld() {
    let o = options(json!({"default_location": "sf-01"}));
    let mut rec = ringcentral_record(1);
    rec["from"] = json!({"extensionNumber": "102", "name": "Front Desk"});
    match parse_with("ringcentral", &rec.to_string(), &o) {
        Ingested::NotMissed { reason } => assert_eq!(reason, ingest::INTERNAL_CALL),
        other => panic!("{other:?}"),
    }
    let zoom = json!({"event": "phone.callee_missed", "payload": {"account_id": "a", "object": {
        "call_id": "z1", "caller": {"extension_number": "1001", "name": "Bob"},
        "callee": {"phone_number": "+14155550100", "extension_number": "1002"},
        "ringing_start_time": "2026-11-24T16:01:00Z", "call_end_time": "2026-11-24T16:01:20Z"}}});
    match parse_with("zoom", &zoom.to_string(), &o) {
        Ingested::NotMissed { reason } => assert_eq!(reason, ingest::INTERNAL_CALL),
        other => panic!("{other:?}"),
    }
    // Outside callers without a number anyone could dial back.
    for raw in [
        "102",
        "72345",
        "sip:frontdesk@pbx.example.com",
        "client:alice",
        "TRUNK-07",
        "+1102",
    ] {
        let mut rec = ringcentral_record(2);
        rec["from"] = json!({"phoneNumber": raw});
        let Ingested::Event(e) = parse_with("ringcentral", &rec.to_string(), &o) else {
            panic!("{raw}")
        };
        assert_eq!(e.caller_number.as_deref(), Some("anonymous"), "{raw}");
    }
    let mut rec = ringcentral_record(3);
    rec["from"] = json!({"phoneNumber": "sip:+16025550143@sip.example.com;user=phone"});
    let Ingested::Event(e) = parse_with("ringcentral", &rec.to_string(), &o) else {
        panic!("sip")
    };
    assert_eq!(e.caller_number.as_deref(), Some("+16025550143"));
}
