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
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stdout);
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

#[test]
fn validate_lists_every_error_with_its_path() {
    let bad = temp_file(
        "many-errors.json",
        r#"{"version": "x",
            "defaults": {"currency": "dollars", "sla": {"new_lead_minutes": "soon"}},
            "locations": [
              {"id": "a", "name": "A", "vertical": "auto", "time_zone": "Mars/Olympus"},
              {"id": "b", "name": "B", "vertical": "dental", "time_zone": "America/Denver",
               "state": "Colorado"},
              {"id": "c", "name": "C", "vertical": "legal", "time_zone": "America/Denver",
               "hours": {"mon": [["09:00", "12:00"], ["11:00", "17:00"]]}}]}"#,
    );
    let out = ringback(&["validate", bad.to_str().expect("utf-8 path")]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    for path in ["defaults.sla", "locations[0].time_zone"] {
        assert!(text.contains(path), "missing {path} in\n{text}");
    }
    // Layer errors are reported first; once they are fixed, location-level ones follow.
    let bad2 = temp_file(
        "many-errors-2.json",
        r#"{"version": "x",
            "locations": [
              {"id": "b", "name": "B", "vertical": "dental", "time_zone": "America/Denver",
               "state": "Colorado"},
              {"id": "c", "name": "C", "vertical": "legal", "time_zone": "America/Denver",
               "hours": {"mon": [["09:00", "12:00"], ["11:00", "17:00"]]}},
              {"id": "d", "name": "D", "vertical": "auto", "time_zone": "America/Denver",
               "currency": "dollars"}]}"#,
    );
    let out = ringback(&["validate", bad2.to_str().expect("utf-8 path")]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("3 error(s)"), "{text}");
    for path in [
        "locations[0].state",
        "locations[1].hours.mon[1]",
        "locations[2].currency",
    ] {
        assert!(text.contains(path), "missing {path} in\n{text}");
    }
}

const DEMO: [&str; 4] = ["--policy", "demo/policy.json", "--crm", "demo/crm.json"];

#[test]
fn replay_with_outcomes_prints_the_recovery_report() {
    let mut args = vec!["replay"];
    args.extend(DEMO);
    args.extend(["--outcomes", "demo/outcomes.jsonl", "demo/events.jsonl"]);
    let out = ringback(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("RECOVERY REPORT  2026-11-23 to 2026-11-29 (7 days)"),
        "{text}"
    );
    assert!(text.contains("Recovered"));
    assert!(text.contains("BY LOCATION"));
    assert!(String::from_utf8_lossy(&out.stderr).contains("0 rejected"));
}

#[test]
fn replay_writes_json_and_html_reports_and_conversions() {
    let json_path = temp_file("report.json", "");
    let html_path = temp_file("report.html", "");
    let csv_path = temp_file("conversions.csv", "");
    let mut args = vec!["replay"];
    args.extend(DEMO);
    let (jp, hp, cp) = (
        json_path.to_str().expect("utf-8"),
        html_path.to_str().expect("utf-8"),
        csv_path.to_str().expect("utf-8"),
    );
    let mut json_args = args.clone();
    json_args.extend([
        "--outcomes",
        "demo/outcomes.jsonl",
        "--format",
        "quiet",
        "--report",
        "json",
        "--out",
        jp,
        "--conversions",
        cp,
        "demo/events.jsonl",
    ]);
    let out = ringback(&json_args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty(), "quiet format prints nothing");
    let r: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json_path).expect("json")).expect("json");
    assert_eq!(r["period"]["days"], 7);
    assert!(r["portfolio"]["missed_calls"].as_u64().unwrap_or(0) > 400);
    assert!(r["portfolio"]["recovered_value"].as_f64().unwrap_or(0.0) > 0.0);
    assert_eq!(r["locations"].as_array().map(Vec::len), Some(120));
    let csv = std::fs::read_to_string(&csv_path).expect("csv");
    assert!(csv.starts_with("Google Click ID,Conversion Name,Conversion Time,Conversion Value,Conversion Currency\n"), "{csv}");
    assert!(csv.lines().count() > 5);

    let mut html_args = args;
    html_args.extend([
        "--outcomes",
        "demo/outcomes.jsonl",
        "--format",
        "quiet",
        "--report",
        "html",
        "--out",
        hp,
        "demo/events.jsonl",
    ]);
    let out = ringback(&html_args);
    assert!(out.status.success());
    let html = std::fs::read_to_string(&html_path).expect("html");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert_eq!(
        html.matches("<svg").count(),
        4,
        "hour-of-week, SLA, two value charts"
    );
    assert!(
        !html.contains("http://") && !html.contains("https://") && !html.contains("<script"),
        "self-contained, no network, no script"
    );
    assert!(html.contains("SLA met by location (worst first)"));
}

#[test]
fn compare_shows_the_effect_of_a_ten_minute_new_lead_sla() {
    let out = ringback(&[
        "compare",
        "--policy",
        "demo/policy.json",
        "--policy",
        "demo/policy-sla10.json",
        "--crm",
        "demo/crm.json",
        "--outcomes",
        "demo/outcomes.jsonl",
        "demo/events.jsonl",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("new_lead 30 min"), "{text}");
    assert!(text.contains("new_lead 10 min"), "{text}");
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("SLA met rate"))
        .expect("SLA row");
    let nums: Vec<f64> = line
        .split_whitespace()
        .filter_map(|w| w.trim_end_matches('%').parse().ok())
        .collect();
    assert!(
        nums.len() >= 2 && nums[1] < nums[0],
        "a tighter SLA is met less often: {line}"
    );
    assert!(text.contains("projected recovery"));
    // The same policy twice: nothing differs.
    let same = ringback(&[
        "compare",
        "--policy",
        "demo/policy.json",
        "--policy",
        "demo/policy.json",
        "--crm",
        "demo/crm.json",
        "demo/events.jsonl",
    ]);
    let text = String::from_utf8_lossy(&same.stdout);
    assert!(text.contains("decisions that differ 0 (0.0%)"), "{text}");
    let bad = ringback(&[
        "compare",
        "--policy",
        "demo/policy.json",
        "demo/events.jsonl",
    ]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn bad_outcome_lines_are_reported_and_the_report_still_prints() {
    let outcomes = temp_file(
        "bad-outcomes.jsonl",
        "{\"event_id\": \"nope\", \"kind\": \"engaged\", \"at\": \"2026-11-24T10:00:00Z\"}\n{truncated\n",
    );
    let mut args = vec!["replay"];
    args.extend(DEMO);
    args.extend([
        "--outcomes",
        outcomes.to_str().expect("utf-8"),
        "--format",
        "quiet",
        "demo/events.jsonl",
    ]);
    let out = ringback(&args);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("outcomes line 1: error invalid_event"),
        "{err}"
    );
    assert!(err.contains("outcomes line 2: error invalid_json"), "{err}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("RECOVERY REPORT"));
}

#[test]
fn explain_puts_a_stored_lean_decision_into_words() {
    let event = temp_file(
        "explain-event.json",
        r#"{"event_id": "CAL2", "location_id": "phx-01", "occurred_at": "2026-11-24T08:41:00-07:00",
            "caller_number": "+16025550143", "disposition": "voicemail",
            "voicemail": {"transcript": "my water heater is leaking", "duration_seconds": 20}}"#,
    );
    let event = event.to_str().expect("utf-8 path");
    let base = [
        "--policy",
        "demo/policy.json",
        "--crm",
        "demo/crm.json",
        "--event",
        event,
    ];
    let decided = ringback(&[&["decide"], &base[..]].concat());
    assert!(decided.status.success());
    let d: serde_json::Value = serde_json::from_slice(&decided.stdout).expect("JSON decision");
    // The stored decision carries codes only: `stage/rule=result` strings.
    let trace = d["trace"].as_array().expect("trace");
    assert!(
        !trace.is_empty()
            && trace
                .iter()
                .all(|t| t.as_str().is_some_and(|s| s.contains('/')))
    );
    let stored = temp_file("explain-decision.json", &d.to_string());
    let stored = stored.to_str().expect("utf-8 path");

    let out = ringback(&[&["explain"], &base[..], &["--decision", stored]].concat());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let mut lines = text.lines();
    let head = lines.next().expect("a header line");
    assert!(
        head.starts_with(d["decision_id"].as_str().expect("id")),
        "{head}"
    );
    // One line per rule: every code of the stored decision, plus the rules whose outcome a
    // field of the decision states.
    let lines: Vec<&str> = lines.collect();
    assert!(lines.len() > trace.len(), "{text}");
    for code in trace {
        let code = code.as_str().expect("code");
        let (head, result) = code.split_once('=').expect("stage/rule=result");
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with(&format!("{head} = {result}"))),
            "{code} in {text}"
        );
    }
    assert!(text.contains("category/voicemail_check = left: "), "{text}");

    let json = ringback(&[&["explain"], &base[..], &["--format", "json"]].concat());
    let full: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert_eq!(full["decision_id"], d["decision_id"]);
    assert!(full["trace"][0]["detail"].is_string());

    // Another CRM than the stored decision saw: its id does not match, exit 2.
    let other = ringback(&[
        "explain",
        "--policy",
        "demo/policy.json",
        "--event",
        event,
        "--decision",
        stored,
    ]);
    assert_eq!(other.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&other.stderr).contains("decision_id"));
}
