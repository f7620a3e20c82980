//! The README's first command on the committed demo week: the SPEC's Phoenix Tuesday and the
//! special cases decide as the story says, and the replay is deterministic.

use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn replay(format: &str) -> (String, String) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let out = Command::new(env!("CARGO_BIN_EXE_ringback"))
        .current_dir(&root)
        .args([
            "replay",
            "--policy",
            "demo/policy.json",
            "--crm",
            "demo/crm.json",
            "--format",
            format,
            "demo/events.jsonl",
        ])
        .output()
        .expect("ringback runs");
    assert!(
        out.status.success(),
        "replay failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8(out.stdout).expect("utf-8"),
        String::from_utf8(out.stderr).expect("utf-8"),
    )
}

#[test]
fn demo_week_tells_the_story() {
    let (jsonl, summary) = replay("jsonl");
    let decisions: Vec<Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).expect("decision JSON"))
        .collect();
    assert!(
        decisions.iter().all(|d| d.get("error").is_none()),
        "no errors"
    );
    let count = |f: &dyn Fn(&Value) -> bool| decisions.iter().filter(|d| f(d)).count();

    // The Phoenix Tuesday: 12 missed calls, 4 existing customers appended, 8 new leads.
    let phx: Vec<&Value> = decisions
        .iter()
        .filter(|d| {
            d["location_id"] == "phx-01"
                && d["occurred_at_local"]
                    .as_str()
                    .unwrap_or("")
                    .starts_with("2026-11-24")
        })
        .collect();
    assert_eq!(phx.len(), 12);
    let action = |a: &str| phx.iter().filter(|d| d["record"]["action"] == a).count();
    assert_eq!(action("append_to_customer"), 4);
    assert_eq!(action("create_lead"), 8);
    assert_eq!(
        phx.iter().filter(|d| d["left_voicemail"] == true).count(),
        4
    );

    // About 450 missed calls across the four categories.
    let missed =
        count(&|d| !matches!(d["status"].as_str(), Some("not_missed" | "duplicate_event")));
    assert!((430..=480).contains(&missed), "{missed} missed calls");
    for c in ["voicemail", "after_hours", "abandoned", "ring_no_answer"] {
        assert!(count(&|d| d["category"] == c) >= 30, "too few {c}");
    }
    // The special cases.
    assert!(count(&|d| d["status"] == "duplicate_event") >= 3);
    assert_eq!(count(&|d| d["status"] == "amended"), 1);
    assert!(count(&|d| d["record"]["action"] == "needs_resolution") >= 1);
    assert!(count(&|d| d["record"]["action"] == "append_to_open_followup") >= 2);
    assert!(count(&|d| d["record"]["repeat"]["raise_urgency"] == true) >= 1);
    assert!(count(&|d| d["status"] == "manual_review") >= 5);
    assert!(count(&|d| d["status"] == "not_missed") >= 5);
    // Several verticals' locations and zones.
    let zones: std::collections::BTreeSet<&str> = decisions
        .iter()
        .filter_map(|d| d["occurred_at_local"].as_str().and_then(|s| s.get(19..)))
        .collect();
    assert!(zones.len() >= 5, "offsets seen: {zones:?}");
    assert!(
        summary.contains("missed calls"),
        "summary on stderr: {summary}"
    );
}

#[test]
fn replay_is_deterministic_and_table_has_summary() {
    let (a, _) = replay("table");
    let (b, _) = replay("table");
    assert_eq!(a, b);
    assert!(a.contains("SUMMARY"));
    assert!(a.contains("leads created"));
}
