//! The core replay loop (`ringback::replay::Replayer`): the demo week answered byte for byte
//! as the shared case `tests/replay/demo_week.json` says (the same case the CLI, Python,
//! Node and C suites run), the ordering contract, write-back, errors that change nothing,
//! and outcomes matched to the counted decision.

use std::path::{Path, PathBuf};

use serde_json::Value;
use sha2::{Digest, Sha256};

use ringback::replay::{OrderKey, Replayer};
use ringback::{CrmSnapshot, Engine, ErrorCode, MissedCallEvent, Status};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn case() -> Value {
    serde_json::from_str(&read("tests/replay/demo_week.json")).expect("case JSON")
}

fn demo_engine(case: &Value) -> Engine {
    Engine::from_policy_text(&read(case["policy"].as_str().expect("policy path"))).expect("policy")
}

fn demo_crm(case: &Value) -> CrmSnapshot {
    ringback::parse_crm(&read(case["crm"].as_str().expect("crm path"))).expect("crm")
}

fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn demo_week_matches_the_shared_case_byte_for_byte() {
    let case = case();
    let engine = demo_engine(&case);
    let mut replayer = Replayer::new(&engine, engine.index(demo_crm(&case)));
    let events = read(case["events"].as_str().expect("events path"));
    let out = replayer.replay_jsonl_to_jsonl(&events);
    let expect = &case["expect"];
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(lines.len() as u64, expect["lines"].as_u64().expect("lines"));
    assert_eq!(lines[0]["event_id"], expect["first_event_id"]);
    assert_eq!(lines[lines.len() - 1]["event_id"], expect["last_event_id"]);
    let mut statuses = serde_json::Map::new();
    for l in &lines {
        let s = l["status"]
            .as_str()
            .expect("a decision, not an error")
            .to_string();
        let n = statuses.get(&s).and_then(Value::as_u64).unwrap_or(0);
        statuses.insert(s, Value::from(n + 1));
    }
    assert_eq!(Value::Object(statuses), expect["statuses"]);
    assert_eq!(
        sha256_hex(&out),
        expect["jsonl_sha256"].as_str().expect("digest")
    );

    let outcomes = read(case["outcomes"].as_str().expect("outcomes path"));
    let recorded = replayer.record_outcomes_jsonl(&outcomes);
    assert!(recorded.iter().all(|(_, r)| r.is_ok()));
    assert_eq!(
        recorded.len() as u64,
        expect["outcomes_recorded"].as_u64().expect("count")
    );
    let summary = replayer.summary();
    assert_eq!(
        summary.portfolio.missed_calls,
        expect["missed_calls"].as_u64().expect("count")
    );
    assert_eq!(
        summary.portfolio.converted,
        expect["converted"].as_u64().expect("count")
    );
    assert_eq!(
        summary.portfolio.recovered_value,
        expect["recovered_value"].as_f64().expect("value")
    );
    let stats = replayer.stats();
    assert_eq!((stats.events, stats.rejected), (473, 0));
    assert_eq!((stats.outcomes, stats.outcomes_rejected), (432, 0));
}

/// The demo week's lines in another order give the same answers: the replay sorts by the
/// key, not by the file.
#[test]
fn any_input_order_gives_the_same_replay() {
    let case = case();
    let engine = demo_engine(&case);
    let events = read(case["events"].as_str().expect("events path"));
    let lines: Vec<&str> = events.lines().filter(|l| !l.trim().is_empty()).collect();
    let replay = |text: &str| {
        let mut r = Replayer::new(&engine, engine.index(demo_crm(&case)));
        r.replay_jsonl(text)
            .into_iter()
            .map(|a| a.result.expect("decided"))
            .map(|d| serde_json::to_string(&d).expect("json"))
            .collect::<Vec<_>>()
    };
    let sorted = replay(&events);
    let reversed: Vec<&str> = lines.iter().rev().copied().collect();
    assert_eq!(replay(&reversed.join("\n")), sorted);
    // A fixed shuffle (multiplicative step through the lines; 97 is prime to 473).
    let n = lines.len();
    let shuffled: Vec<&str> = (0..n).map(|i| lines[(i * 97) % n]).collect();
    assert_eq!(replay(&shuffled.join("\n")), sorted);
    // And the event objects through replay_events agree with the JSON lines path.
    let parsed: Vec<MissedCallEvent> = shuffled
        .iter()
        .map(|l| MissedCallEvent::from_json(l).expect("event"))
        .collect();
    let mut r = Replayer::new(&engine, engine.index(demo_crm(&case)));
    let via_events: Vec<String> = r
        .replay_events(&parsed)
        .into_iter()
        .map(|a| serde_json::to_string(&a.result.expect("decided")).expect("json"))
        .collect();
    assert_eq!(via_events, sorted);
}

const POLICY: &str = r#"{"version": "t1", "locations": [
  {"id": "phx-01", "name": "Phoenix", "vertical": "home_services",
   "time_zone": "America/Phoenix", "country": "US", "state": "AZ",
   "hours": {"mon": [["07:00","18:00"]], "tue": [["07:00","18:00"]]}}]}"#;

fn line(id: &str, at: &str, received: Option<&str>, number: &str, extra: &str) -> String {
    let received = received
        .map(|r| format!(r#", "received_at": "{r}""#))
        .unwrap_or_default();
    format!(
        r#"{{"event_id": "{id}", "location_id": "phx-01", "occurred_at": "{at}"{received}, "caller_number": "{number}", "disposition": "voicemail"{extra}}}"#
    )
}

#[test]
fn ordering_key_is_occurred_then_received_then_event_id() {
    let a = MissedCallEvent::from_json(&line(
        "b",
        "2026-11-24T09:00:00-07:00",
        None,
        "6025550101",
        "",
    ))
    .expect("a");
    // The same instant written with another offset is the same instant.
    let b = MissedCallEvent::from_json(&line("a", "2026-11-24T16:00:00Z", None, "6025550101", ""))
        .expect("b");
    let c = MissedCallEvent::from_json(&line(
        "a",
        "2026-11-24T16:00:00Z",
        Some("2026-11-24T16:05:00Z"),
        "6025550101",
        "",
    ))
    .expect("c");
    assert!(
        OrderKey::of(&b) < OrderKey::of(&a),
        "same instant: event id decides"
    );
    assert!(
        OrderKey::of(&b) < OrderKey::of(&c),
        "no received_at sorts before a later redelivery"
    );
    assert!(
        OrderKey::of(&a) < OrderKey::of(&c),
        "received_at before event id"
    );
}

#[test]
fn a_webhook_retry_without_the_transcript_flag_is_a_duplicate_and_bad_lines_change_nothing() {
    let engine = Engine::from_policy_text(POLICY).expect("policy");
    let vm = r#", "voicemail": {"transcript": "my water heater is leaking please call", "duration_seconds": 9}"#;
    let first = line(
        "CAL-1",
        "2026-11-24T09:15:00-07:00",
        None,
        "(602) 555-0143",
        vm,
    );
    let retry = line(
        "CAL-1",
        "2026-11-24T09:15:00-07:00",
        Some("2026-11-24T09:17:00-07:00"),
        "602.555.0143",
        vm,
    );
    let later = line(
        "CAL-2",
        "2026-11-24T11:00:00-07:00",
        None,
        "+1 602 555 0143",
        vm,
    );
    let unknown_location = later.replace("phx-01", "nowhere").replace("CAL-2", "CAL-X");
    let clean = format!("{first}\n{retry}\n{later}\n");
    let noisy = format!("{first}\nnot json at all\n{unknown_location}\n{retry}\n\n{later}\n");

    let decide = |text: &str| {
        let mut r = Replayer::new(&engine, engine.index(CrmSnapshot::default()));
        (
            r.replay_jsonl(text),
            r.crm().snapshot().clone(),
            r.report().clone(),
        )
    };
    let (answers, crm, report) = decide(&clean);
    let statuses: Vec<Status> = answers
        .iter()
        .map(|a| a.result.as_ref().expect("decided").status)
        .collect();
    assert_eq!(
        statuses[1],
        Status::DuplicateEvent,
        "the retry is idempotent"
    );
    assert_ne!(statuses[2], Status::DuplicateEvent);
    assert_eq!(
        answers.iter().map(|a| a.counted).collect::<Vec<_>>(),
        [true, false, true],
        "the report counts each call once"
    );
    let later = answers[2].result.as_ref().expect("decided");
    assert!(
        later.record.contact_id.is_some(),
        "the second call appends to the lead the first made"
    );

    let (noisy_answers, noisy_crm, noisy_report) = decide(&noisy);
    let inputs: Vec<usize> = noisy_answers.iter().map(|a| a.input).collect();
    assert_eq!(
        inputs,
        [1, 2, 4, 6, 3],
        "bad line in its place; the 11:00 event sorts last"
    );
    let codes: Vec<Option<ErrorCode>> = noisy_answers
        .iter()
        .map(|a| a.result.as_ref().err().map(|e| e.code))
        .collect();
    assert_eq!(
        codes,
        [
            None,
            Some(ErrorCode::InvalidJson),
            None,
            None,
            Some(ErrorCode::UnknownLocation)
        ]
    );
    let decided: Vec<String> = noisy_answers
        .iter()
        .filter_map(|a| a.result.as_ref().ok())
        .map(|d| serde_json::to_string(d).expect("json"))
        .collect();
    let clean_decided: Vec<String> = answers
        .iter()
        .map(|a| serde_json::to_string(a.result.as_ref().expect("decided")).expect("json"))
        .collect();
    assert_eq!(decided, clean_decided, "rejected lines change no decision");
    assert_eq!(noisy_crm, crm, "nor the CRM written back");
    assert_eq!(noisy_report, report, "nor the report");
}

#[test]
fn outcomes_are_matched_to_the_counted_decision() {
    let engine = Engine::from_policy_text(POLICY).expect("policy");
    let mut r = Replayer::new(&engine, engine.index(CrmSnapshot::default()));
    let first = line("CAL-1", "2026-11-24T09:15:00-07:00", None, "6025550143", "");
    let retry = line(
        "CAL-1",
        "2026-11-24T09:15:00-07:00",
        Some("2026-11-24T09:20:00-07:00"),
        "6025550143",
        "",
    );
    r.replay_jsonl(&format!("{first}\n{retry}"));
    let outcomes = [
        r#"{"event_id": "CAL-1", "kind": "converted", "value": 450, "at": "2026-11-24T10:00:00-07:00"}"#,
        r#"{"event_id": "CAL-404", "kind": "engaged", "at": "2026-11-24T10:00:00-07:00"}"#,
        r#"{"event_id": "#,
    ]
    .join("\n");
    let answers = r.record_outcomes_jsonl(&outcomes);
    assert_eq!(answers.len(), 3);
    let a = answers[0].1.as_ref().expect("recorded");
    assert_eq!(a.event_id, "CAL-1");
    assert_eq!(a.recovered_value, 450.0);
    let e = answers[1].1.as_ref().expect_err("unknown event");
    assert_eq!(
        (e.code, e.path.as_str()),
        (ErrorCode::InvalidEvent, "event_id")
    );
    assert_eq!(
        answers[2].1.as_ref().expect_err("bad json").code,
        ErrorCode::InvalidJson
    );
    assert_eq!(
        answers.iter().map(|(l, _)| *l).collect::<Vec<_>>(),
        [1, 2, 3]
    );
    let s = r.summary();
    assert_eq!((s.portfolio.missed_calls, s.portfolio.converted), (1, 1));
    assert_eq!(s.portfolio.recovered_value, 450.0);
    assert_eq!(r.stats().outcomes_rejected, 2);
    // The JSON entry points answer the same way.
    let json = r
        .record_outcome_json(
            r#"{"event_id": "CAL-1", "kind": "engaged", "at": "2026-11-24T10:05:00-07:00"}"#,
        )
        .expect("recorded");
    assert!(json.contains(r#""event_id":"CAL-1""#), "{json}");
    let summary: Value = serde_json::from_str(&r.summary_json().expect("summary")).expect("json");
    assert_eq!(summary["portfolio"]["missed_calls"], 1);
}

#[test]
fn separate_texts_replay_like_json_lines() {
    let engine = Engine::from_policy_text(POLICY).expect("policy");
    let late = line("CAL-2", "2026-11-24T11:00:00-07:00", None, "6025550143", "");
    // A pretty-printed event spans lines; it is one input here.
    let early: Value = serde_json::from_str(&line(
        "CAL-1",
        "2026-11-24T09:00:00-07:00",
        None,
        "6025550143",
        "",
    ))
    .expect("json");
    let early = serde_json::to_string_pretty(&early).expect("pretty");
    assert!(early.contains('\n'));
    let mut r = Replayer::new(&engine, engine.index(CrmSnapshot::default()));
    let mut answers = Vec::new();
    r.replay_texts_each([late.as_str(), "", early.as_str()], |a| answers.push(a));
    let order: Vec<(usize, Option<&str>)> = answers
        .iter()
        .map(|a| (a.input, a.result.as_ref().ok().map(|d| d.event_id.as_str())))
        .collect();
    assert_eq!(order, [(3, Some("CAL-1")), (1, Some("CAL-2")), (2, None)]);
    assert_eq!(
        answers[2].result.as_ref().expect_err("empty text").code,
        ErrorCode::InvalidJson
    );
}
