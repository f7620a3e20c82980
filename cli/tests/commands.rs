//! `decide`, `validate` and error reporting of the CLI.

use std::path::Path;
use std::process::Command;

fn ringback(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_ringback"))
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
        .args(args)
        .output()
        .expect("ringback runs")
}

fn temp_file(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("ringback-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write temp file");
    p
}

#[test]
fn decide_prints_one_decision() {
    let event = temp_file(
        "event.json",
        r#"{"event_id": "CAL1", "location_id": "phx-01", "occurred_at": "2026-11-24T08:41:00-07:00",
            "caller_number": "+16025550143", "disposition": "voicemail",
            "voicemail": {"transcript": "my water heater is leaking", "duration_seconds": 20}}"#,
    );
    let out = ringback(&[
        "decide",
        "--policy",
        "demo/policy.json",
        "--crm",
        "demo/crm.json",
        "--event",
        event.to_str().expect("utf-8 path"),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let d: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON decision");
    assert_eq!(d["category"], "voicemail");
    assert_eq!(d["caller"]["e164"], "+16025550143");
    assert_eq!(d["record"]["action"], "append_to_customer");
}

#[test]
fn validate_names_the_path_of_a_policy_error() {
    let bad = temp_file(
        "bad.json",
        r#"{"version": "x", "locations": [{"id": "a", "name": "A", "vertical": "auto",
            "time_zone": "America/Denver", "hours": {"mon": [["09:00", "12:00"], ["11:00", "17:00"]]}}]}"#,
    );
    let out = ringback(&["validate", bad.to_str().expect("utf-8 path")]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("invalid_policy"), "{err}");
    assert!(err.contains("locations[0].hours.mon[1]"), "{err}");

    let ok = ringback(&["validate", "demo/policy.json"]);
    assert!(ok.status.success());
    assert!(String::from_utf8_lossy(&ok.stdout).contains("120 locations"));
}

#[test]
fn replay_reports_bad_lines_and_keeps_going() {
    let events = temp_file(
        "events.jsonl",
        "{\"event_id\": \"a\", \"location_id\": \"phx-01\", \"occurred_at\": \"2026-11-24T09:00:00-07:00\", \"caller_number\": \"6025550199\", \"disposition\": \"busy\"}\n\
         {\"event_id\": \"b\", \"location_id\": \"nowhere\", \"occurred_at\": \"2026-11-24T09:00:00-07:00\", \"disposition\": \"busy\"}\n\
         not json\n\
         {\"event_id\": \"c\", \"location_id\": \"phx-01\", \"occurred_at\": \"2026-11-24T09:05:00-07:00\", \"caller_number\": \"6025550198\", \"disposition\": \"busy\"}\n",
    );
    let out = ringback(&[
        "replay",
        "--policy",
        "demo/policy.json",
        "--format",
        "jsonl",
        events.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(out.status.code(), Some(1), "errors make the exit code 1");
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(lines.len(), 4, "every line answered");
    assert_eq!(lines[0]["event_id"], "a");
    assert_eq!(lines[1]["error"]["code"], "unknown_location");
    assert_eq!(lines[1]["line"], 2);
    assert_eq!(lines[2]["error"]["code"], "invalid_json");
    assert_eq!(lines[3]["event_id"], "c");
}
