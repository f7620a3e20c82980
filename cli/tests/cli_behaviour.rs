//! The CLI behaves like the ones people know: `--help` with examples on every subcommand,
//! `--version`, `-` for standard input, documented exit codes, shell completions, and
//! `NO_COLOR`.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const SUBCOMMANDS: [&str; 11] = [
    "replay",
    "compare",
    "ingest",
    "decide",
    "explain",
    "validate",
    "default-policy",
    "gen-demo",
    "schema",
    "crm",
    "completions",
];

fn cmd(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_ringback"));
    c.current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
        .args(args)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env("RINGBACK_NO_PROGRESS", "1");
    c
}

fn run(args: &[&str]) -> Output {
    cmd(args).output().expect("ringback runs")
}

fn run_with_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = cmd(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ringback starts");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input)
        .expect("write stdin");
    child.wait_with_output().expect("ringback ends")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn every_subcommand_has_help_with_an_example() {
    for sub in SUBCOMMANDS {
        let out = run(&[sub, "--help"]);
        assert_eq!(out.status.code(), Some(0), "{sub} --help");
        let help = text(&out.stdout);
        assert!(help.contains("Usage: ringback"), "{sub}: {help}");
        assert!(
            help.contains("Example"),
            "{sub} --help shows an example: {help}"
        );
        let short = run(&["help", sub]);
        assert_eq!(short.status.code(), Some(0), "help {sub}");
    }
    let top = run(&["--help"]);
    assert_eq!(top.status.code(), Some(0));
    let help = text(&top.stdout);
    for sub in SUBCOMMANDS {
        assert!(help.contains(sub), "top help lists {sub}");
    }
    assert!(help.contains("Exit status:"), "{help}");
}

#[test]
fn version_and_usage_errors() {
    let v = run(&["--version"]);
    assert_eq!(v.status.code(), Some(0));
    assert_eq!(
        text(&v.stdout).trim(),
        format!("ringback {}", env!("CARGO_PKG_VERSION"))
    );
    let none = run(&[]);
    assert_eq!(none.status.code(), Some(2), "no command is a usage error");
    assert!(text(&none.stderr).contains("Usage:"));
    for args in [
        vec!["gen-demo", "--bogus"],
        vec!["frobnicate"],
        vec!["replay"],
        vec!["replay", "--format", "xml", "demo/events.jsonl"],
        vec!["completions", "tcsh"],
    ] {
        let out = run(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}: usage errors go to stderr");
        assert!(!out.stderr.is_empty(), "{args:?}");
    }
    // A file that cannot be read stops the command: 2, not 1.
    let missing = run(&["replay", "no/such/events.jsonl"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing.stderr).contains("cannot read no/such/events.jsonl"));
}

#[test]
fn a_repeated_option_takes_the_last_value() {
    let out = run(&[
        "replay",
        "--policy",
        "demo/policy.json",
        "--format",
        "table",
        "--format",
        "jsonl",
        "demo/events.jsonl",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let first = text(&out.stdout);
    let first = first.lines().next().expect("a line");
    assert!(first.starts_with('{'), "jsonl won: {first}");
}

#[test]
fn standard_input_stands_in_for_any_one_file() {
    let events = std::fs::read("demo/events.jsonl")
        .or_else(|_| {
            std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../demo/events.jsonl"))
        })
        .expect("demo events");
    let args = [
        "replay",
        "--policy",
        "demo/policy.json",
        "--crm",
        "demo/crm.json",
        "--format",
        "jsonl",
    ];
    let from_file = run(&[&args[..], &["demo/events.jsonl"]].concat());
    let from_stdin = run_with_stdin(&[&args[..], &["-"]].concat(), &events);
    assert_eq!(
        from_stdin.status.code(),
        Some(0),
        "{}",
        text(&from_stdin.stderr)
    );
    assert!(!from_file.stdout.is_empty());
    assert_eq!(
        from_stdin.stdout, from_file.stdout,
        "the same decisions from - as from the file"
    );

    let policy = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../demo/policy.json"))
        .expect("policy");
    let valid = run_with_stdin(&["validate", "-"], &policy);
    assert_eq!(valid.status.code(), Some(0));
    assert!(text(&valid.stdout).contains("120 locations"));

    let event = br#"{"event_id": "CAL1", "location_id": "phx-01", "occurred_at": "2026-11-24T08:41:00-07:00", "caller_number": "+16025550143", "disposition": "no_answer"}"#;
    let decided = run_with_stdin(
        &["decide", "--policy", "demo/policy.json", "--event", "-"],
        event,
    );
    assert_eq!(decided.status.code(), Some(0), "{}", text(&decided.stderr));
    assert!(text(&decided.stdout).contains("\"event_id\": \"CAL1\""));

    let twice = run_with_stdin(&["decide", "--policy", "-", "--event", "-"], event);
    assert_eq!(twice.status.code(), Some(2));
    assert!(
        text(&twice.stderr).contains("one file only"),
        "{}",
        text(&twice.stderr)
    );
}

#[test]
fn shell_completions_name_the_commands_and_options() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef ringback"),
        ("fish", "complete -c ringback"),
    ] {
        let out = run(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = text(&out.stdout);
        assert!(script.contains(marker), "{shell}: {marker}");
        for word in ["replay", "gen-demo", "--policy", "--outcomes"] {
            assert!(script.contains(word), "{shell} completes {word}");
        }
    }
}

#[test]
fn no_color_turns_colour_off_even_when_forced() {
    let forced = cmd(&["replay", "--help"])
        .env("CLICOLOR_FORCE", "1")
        .output()
        .expect("runs");
    assert!(
        text(&forced.stdout).contains("\u{1b}["),
        "CLICOLOR_FORCE colours the help (so the NO_COLOR check below can fail)"
    );
    let plain = cmd(&["replay", "--help"])
        .env("CLICOLOR_FORCE", "1")
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    assert!(!text(&plain.stdout).contains('\u{1b}'), "NO_COLOR wins");
    let piped = run(&["replay", "--help"]);
    assert!(
        !text(&piped.stdout).contains('\u{1b}'),
        "no colour when not a terminal"
    );
}
