//! `ringback crm lookup | snapshot | plan` print the requests and read answers from files.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn ringback(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_ringback"))
        .current_dir(root())
        .args(args)
        .output()
        .expect("ringback runs")
}

fn temp(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("ringback-crm-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write");
    p.to_str().expect("utf-8").to_string()
}

fn lines(out: &std::process::Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

#[test]
fn lookup_prints_the_search_requests() {
    let out = ringback(&[
        "crm",
        "lookup",
        "--system",
        "salesforce",
        "--caller",
        "(415) 555-0142",
        "--location",
        "loc-042",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let l = lines(&out);
    assert_eq!(l.len(), 2);
    assert_eq!(l[0]["request"]["method"], "GET");
    assert!(l[0]["request"]["path"]
        .as_str()
        .unwrap_or("")
        .starts_with("/services/data/v62.0/search/?q=FIND"));
    let out = ringback(&[
        "crm",
        "lookup",
        "--system",
        "hubspot",
        "--caller",
        "not a number",
        "--location",
        "x",
    ]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn snapshot_reads_the_answers() {
    let sosl = std::fs::read_to_string(
        root().join("tests/crm/salesforce-sosl-phone-search-response-reconstructed.json"),
    )
    .expect("sample");
    let a = temp(
        "sosl.json",
        &format!(r#"{{"status": 200, "body": {sosl}}}"#),
    );
    let b = temp(
        "soql.json",
        r#"{"status": 200, "body": {"totalSize": 0, "done": true, "records": []}}"#,
    );
    let out = ringback(&[
        "crm",
        "snapshot",
        "--system",
        "salesforce",
        "--caller",
        "+14155550142",
        "--location",
        "loc-042",
        &a,
        &b,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let snap: serde_json::Value = serde_json::from_slice(&out.stdout).expect("snapshot JSON");
    assert_eq!(snap["contacts"].as_array().map(Vec::len), Some(2));
    assert_eq!(snap["contacts"][0]["kind"], "customer");
    let out = ringback(&[
        "crm",
        "snapshot",
        "--system",
        "salesforce",
        "--caller",
        "+14155550142",
        "--location",
        "loc-042",
        &a,
    ]);
    assert_eq!(out.status.code(), Some(2), "one answer per request");
}

#[test]
fn plan_prints_each_request_then_the_outcome_or_what_it_waits_for() {
    let event = temp(
        "event.json",
        r#"{"event_id": "CAL1", "location_id": "phx-01", "occurred_at": "2026-11-24T08:41:00-07:00",
            "caller_number": "+16025550199", "disposition": "no_answer"}"#,
    );
    let decided = ringback(&["decide", "--policy", "demo/policy.json", "--event", &event]);
    assert!(decided.status.success());
    let decision = temp("decision.json", &String::from_utf8_lossy(&decided.stdout));
    let waiting = ringback(&["crm", "plan", "--system", "salesforce", &decision]);
    assert!(waiting.status.success());
    let l = lines(&waiting);
    assert_eq!(l.len(), 2);
    assert_eq!(l[0]["request"]["method"], "PATCH");
    assert_eq!(l[1]["waiting"]["state"], "running");

    let ok = r#"{"status": 201, "body": {"id": "00Q5g00000LmNoPEA3", "success": true, "errors": [], "created": true}}"#;
    let answers = temp("answers.jsonl", &[ok; 8].join("\n"));
    let done = ringback(&[
        "crm",
        "plan",
        "--system",
        "salesforce",
        "--responses",
        &answers,
        &decision,
    ]);
    assert!(
        done.status.success(),
        "{}",
        String::from_utf8_lossy(&done.stderr)
    );
    let l = lines(&done);
    let last = l.last().expect("a line");
    assert_eq!(last["outcome"]["state"], "done");
    assert_eq!(
        l.len() as u64 - 1,
        last["outcome"]["requests"].as_u64().expect("requests")
    );

    let denied = temp(
        "denied.jsonl",
        r#"{"status": 401, "body": [{"errorCode": "INVALID_SESSION_ID", "message": "Session expired"}]}"#,
    );
    let failed = ringback(&[
        "crm",
        "plan",
        "--system",
        "hubspot",
        "--responses",
        &denied,
        &decision,
    ]);
    assert_eq!(failed.status.code(), Some(1));
    assert_eq!(
        lines(&failed).last().expect("line")["outcome"]["failure"]["code"],
        "crm_rejected"
    );
}
