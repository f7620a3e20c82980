//! `ringback ingest`: vendor payloads from `tests/vendors/` to canonical events on stdout,
//! non-events as `{"ingested", "reason"}`, coded errors on stderr with exit status 2.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;

fn root() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn ringback(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_ringback"))
        .current_dir(root())
        .args(args)
        .output()
        .expect("ringback runs")
}

fn temp_file(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("ringback-ingest-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write temp file");
    p.to_str().expect("utf-8 path").to_string()
}

fn stdout_json(out: &std::process::Output) -> Value {
    assert!(
        out.status.success(),
        "exit {:?}, stderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

#[test]
fn prints_the_canonical_event() {
    let map = temp_file("map.json", r#"{"404-555-8514": "atl-01"}"#);
    let out = ringback(&[
        "ingest",
        "--vendor",
        "callrail",
        "--location-map",
        &map,
        "tests/vendors/callrail-post-call-voicemail-verbatim.json",
    ]);
    let v = stdout_json(&out);
    assert_eq!(v["event_id"], "766970532");
    assert_eq!(v["location_id"], "atl-01");
    assert_eq!(v["disposition"], "voicemail");
    assert_eq!(v["occurred_at"], "2018-02-19T13:41:00.236-05:00");
    assert_eq!(v["caller_number"], "+12148654559");
    assert_eq!(v["provider"], "callrail");
    assert!(v.get("ingested").is_none(), "an event prints bare");
}

#[test]
fn non_events_print_their_reason() {
    let out = ringback(&[
        "ingest",
        "--vendor",
        "aircall",
        "tests/vendors/aircall-call-hungup-inbound-missed-verbatim.json",
    ]);
    let v = stdout_json(&out);
    assert_eq!(v["ingested"], "incomplete");
    assert!(v["reason"]
        .as_str()
        .is_some_and(|r| r.contains("call.ended")));

    let out = ringback(&[
        "ingest",
        "--vendor",
        "aircall",
        "tests/vendors/aircall-call-ended-outbound-answered-verbatim.json",
    ]);
    assert_eq!(stdout_json(&out)["ingested"], "not_missed");
}

#[test]
fn twilio_form_body_from_stdin_with_received_at() {
    let body =
        std::fs::read(root().join("tests/vendors/twilio-dial-action-no-answer-verbatim.txt"))
            .expect("fixture");
    let mut child = Command::new(env!("CARGO_BIN_EXE_ringback"))
        .current_dir(root())
        .args([
            "ingest",
            "--vendor",
            "twilio",
            "--default-location",
            "fl-01",
            "--received-at",
            "2026-11-24T16:15:30Z",
            "-",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(&body)
        .expect("write body");
    let out = child.wait_with_output().expect("wait");
    let v = stdout_json(&out);
    assert_eq!(v["event_id"], "CA4b2c80691a3b7059f44c09530901f525");
    assert_eq!(v["location_id"], "fl-01");
    assert_eq!(v["disposition"], "no_answer");
    assert_eq!(v["occurred_at"], "2026-11-24T16:15:30Z");
    assert_eq!(v["received_at"], "2026-11-24T16:15:30Z");

    // Without --received-at the request takes the current time.
    let out = ringback(&[
        "ingest",
        "--vendor",
        "twilio",
        "--default-location",
        "fl-01",
        "tests/vendors/twilio-dial-action-no-answer-verbatim.txt",
    ]);
    let v = stdout_json(&out);
    assert!(
        v["occurred_at"].as_str().is_some_and(|t| t >= "2026"),
        "{v}"
    );
}

#[test]
fn zoneless_times_take_the_time_zone_flag() {
    let ctm = temp_file(
        "ctm.json",
        r#"{"id": 1, "caller_number": "(212) 555-0123", "tracking_number": "(404) 555-8514",
            "called_at": "2025-01-14 09:02 AM", "dial_status": "busy", "talk_time": 0}"#,
    );
    let out = ringback(&[
        "ingest",
        "--vendor",
        "ctm",
        "--default-location",
        "atl-01",
        "--time-zone",
        "America/New_York",
        &ctm,
    ]);
    let v = stdout_json(&out);
    assert_eq!(v["occurred_at"], "2025-01-14T09:02:00-05:00");
    assert_eq!(v["disposition"], "busy");
}

#[test]
fn errors_are_coded_on_stderr_with_exit_2() {
    // Another vendor's payload.
    let out = ringback(&[
        "ingest",
        "--vendor",
        "zoom",
        "--default-location",
        "x",
        "tests/vendors/callrail-post-call-voicemail-verbatim.json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unsupported_payload"), "{err}");
    assert!(out.stdout.is_empty());

    // No mapping for the location.
    let out = ringback(&[
        "ingest",
        "--vendor",
        "callrail",
        "tests/vendors/callrail-post-call-voicemail-verbatim.json",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unknown_location"), "{err}");
    assert!(err.contains("tracking_phone_number"), "{err}");

    // Truncated JSON.
    let cut = temp_file(
        "cut.json",
        r#"{"resource": "call", "event": "call.ended", "data": {"#,
    );
    let out = ringback(&["ingest", "--vendor", "aircall", &cut]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid_json"));

    // Bytes that are not UTF-8, an unknown vendor, a missing file, no arguments.
    let bad = std::env::temp_dir().join(format!("ringback-ingest-bad-{}", std::process::id()));
    std::fs::write(&bad, [0xff, 0xfe, 0x00]).expect("write");
    let out = ringback(&["ingest", "--vendor", "aircall", bad.to_str().expect("path")]);
    assert_eq!(out.status.code(), Some(2));
    for args in [
        vec!["ingest", "--vendor", "genesys", "x.json"],
        vec!["ingest", "--vendor", "aircall", "no/such/file.json"],
        vec![
            "ingest",
            "tests/vendors/zoom-phone-callee-missed-reconstructed.json",
        ],
        vec!["ingest", "--vendor", "zoom"],
        vec!["ingest", "--bogus", "1", "x.json"],
    ] {
        let out = ringback(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!out.stderr.is_empty(), "{args:?}");
    }
}

#[test]
fn many_prints_one_line_per_item_and_exits_1_when_one_is_bad() {
    let records: Vec<Value> = (0..5)
        .map(|i| {
            serde_json::json!({"telephonySessionId": format!("s-{i}"),
                "startTime": if i == 3 { "soon" } else { "2026-11-24T16:01:00Z" },
                "type": "Voice", "direction": "Inbound", "result": "Missed",
                "from": {"phoneNumber": "+16025551000"}})
        })
        .collect();
    let page = temp_file(
        "page.json",
        &serde_json::json!({"records": records}).to_string(),
    );
    let out = ringback(&[
        "ingest",
        "--vendor",
        "ringcentral",
        "--default-location",
        "phx-01",
        "--many",
        &page,
    ]);
    assert_eq!(out.status.code(), Some(1));
    let lines: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[3]["ingested"], "error");
    assert_eq!(lines[3]["error"]["path"], "records[3].startTime");
    assert_eq!(lines[4]["event"]["event_id"], "s-4");
    assert!(String::from_utf8_lossy(&out.stderr).contains("4 events, 1 rejected"));
    // A voice-AI vendor by name, and a page that is not one.
    let out = ringback(&[
        "ingest",
        "--vendor",
        "vapi",
        "--default-location",
        "bayside",
        "tests/vendors/vapi-end-of-call-report-inbound-forwarding-no-answer-reconstructed.json",
    ]);
    let v = stdout_json(&out);
    assert_eq!(v["ai_receptionist"]["captured_intent"], "billing_question");
    let not_page = temp_file("notpage.json", r#"{"records": 1}"#);
    let out = ringback(&["ingest", "--vendor", "ringcentral", "--many", &not_page]);
    assert_eq!(out.status.code(), Some(2));
}
