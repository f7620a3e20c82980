//! `ringback replay` and `ringback compare` on the demo week, byte for byte against the
//! committed output in `tests/golden/` (made by the CLI before its loop moved into the
//! core's `Replayer`) and the shared replay case `tests/replay/demo_week.json` that the
//! Python, Node and C `Replayer`s are held to as well.

use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn ringback(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_ringback"))
        .current_dir(root())
        .env("RINGBACK_NO_PROGRESS", "1")
        .args(args)
        .output()
        .expect("ringback runs")
}

fn golden(name: &str) -> String {
    std::fs::read_to_string(root().join("tests/golden").join(name)).expect("golden file")
}

#[test]
fn replay_prints_the_committed_demo_week() {
    let out = ringback(&[
        "replay",
        "--policy",
        "demo/policy.json",
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
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(
        text == golden("demo-replay.txt"),
        "replay output drifted from tests/golden/demo-replay.txt"
    );
}

#[test]
fn compare_prints_the_committed_what_if() {
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
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(
        text == golden("demo-compare.txt"),
        "compare output drifted from tests/golden/demo-compare.txt"
    );
}

#[test]
fn replay_jsonl_is_the_shared_case_digest() {
    let case: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/replay/demo_week.json")).expect("case"),
    )
    .expect("json");
    let out = ringback(&[
        "replay",
        "--policy",
        case["policy"].as_str().expect("policy"),
        "--crm",
        case["crm"].as_str().expect("crm"),
        "--format",
        "jsonl",
        case["events"].as_str().expect("events"),
    ]);
    assert!(out.status.success());
    let digest: String = Sha256::digest(&out.stdout)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(
        digest,
        case["expect"]["jsonl_sha256"].as_str().expect("digest")
    );
}
