//! Runs the language-neutral corpus in `tests/corpus/*.json` (the same files the C, Python
//! and Node test suites run). Each case holds a policy (inline or a name under
//! `tests/corpus/policies/`), an event (object, or raw text in `event_text`), an optional CRM
//! snapshot, and either `expect` (a partial decision: objects match on the keys given,
//! arrays element by element and in full length) plus optional `expect_trace` entries that
//! must appear in the trace, or `expect_error` (`code`, and `path` when given).

use serde_json::Value;
use std::path::{Path, PathBuf};

use ringback::Engine;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/corpus")
}

/// Whether `actual` matches the partial `expected` (see the module docs).
fn partial_match(expected: &Value, actual: &Value, path: &str, errors: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                match a.get(k) {
                    Some(av) => partial_match(ev, av, &format!("{path}.{k}"), errors),
                    // An optional field is left out when null, false or empty.
                    None if absent_default(ev) => {}
                    None => errors.push(format!("{path}.{k}: missing in decision")),
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                errors.push(format!(
                    "{path}: expected {} element(s), got {}: {}",
                    e.len(),
                    a.len(),
                    actual
                ));
                return;
            }
            for (i, (ev, av)) in e.iter().zip(a).enumerate() {
                partial_match(ev, av, &format!("{path}[{i}]"), errors);
            }
        }
        (e, a) => {
            if e != a {
                errors.push(format!("{path}: expected {e}, got {a}"));
            }
        }
    }
}

/// Whether an expected value is what a left-out optional decision field means.
fn absent_default(v: &Value) -> bool {
    match v {
        Value::Null | Value::Bool(false) => true,
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

/// A trace entry as an object: `"stage/rule=result"` (level `codes`) is read into its parts.
fn trace_entry(t: &Value) -> Value {
    let Some(s) = t.as_str() else {
        return t.clone();
    };
    let (stage, rest) = s.split_once('/').unwrap_or(("", s));
    let (rule, result) = rest.split_once('=').unwrap_or((rest, ""));
    serde_json::json!({"stage": stage, "rule": rule, "result": result})
}

fn load_policy(case: &Value) -> Result<String, String> {
    match case.get("policy") {
        Some(Value::String(name)) => {
            let p = corpus_dir().join("policies").join(format!("{name}.json"));
            std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))
        }
        Some(v) => Ok(v.to_string()),
        None => Err("case has no policy".to_string()),
    }
}

fn text_of(case: &Value, obj_key: &str, text_key: &str) -> String {
    if let Some(Value::String(t)) = case.get(text_key) {
        return t.clone();
    }
    match case.get(obj_key) {
        Some(v) if !v.is_null() => v.to_string(),
        _ => String::new(),
    }
}

fn run_case(path: &Path) -> Result<(), String> {
    let raw = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let case: Value = serde_json::from_str(&raw).map_err(|e| format!("case is not JSON: {e}"))?;
    let policy_text = load_policy(&case)?;
    let event_text = text_of(&case, "event", "event_text");
    let crm_text = text_of(&case, "crm", "crm_text");

    let result = Engine::from_policy_text(&policy_text)
        .and_then(|engine| engine.process_json(&event_text, &crm_text));

    match (case.get("expect_error"), result) {
        (Some(want), Err(err)) => {
            let code = want.get("code").and_then(Value::as_str).unwrap_or("");
            if err.code.as_str() != code {
                return Err(format!("expected error {code}, got {err}"));
            }
            if let Some(p) = want.get("path").and_then(Value::as_str) {
                if err.path != p {
                    return Err(format!(
                        "expected error path `{p}`, got `{}` ({err})",
                        err.path
                    ));
                }
            }
            Ok(())
        }
        (Some(want), Ok(out)) => Err(format!("expected error {want}, got decision {out}")),
        (None, Err(err)) => Err(format!("unexpected error {err}")),
        (None, Ok(out)) => {
            let decision: Value = serde_json::from_str(&out).map_err(|e| e.to_string())?;
            let mut errors = Vec::new();
            let expect = case
                .get("expect")
                .ok_or("case has neither expect nor expect_error")?;
            partial_match(expect, &decision, "decision", &mut errors);
            let trace = decision
                .get("trace")
                .and_then(Value::as_array)
                .map(|a| a.iter().map(trace_entry).collect::<Vec<_>>())
                .unwrap_or_default();
            for want in case
                .get("expect_trace")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let found = trace.iter().any(|t| {
                    ["stage", "rule", "result"]
                        .iter()
                        .all(|k| want.get(*k).is_none() || want.get(*k) == t.get(*k))
                        && want
                            .get("detail_contains")
                            .and_then(Value::as_str)
                            .is_none_or(|s| {
                                t.get("detail")
                                    .and_then(Value::as_str)
                                    .unwrap_or("")
                                    .contains(s)
                            })
                });
                if !found {
                    errors.push(format!("trace has no entry matching {want}"));
                }
            }
            if errors.is_empty() {
                Ok(())
            } else {
                Err(errors.join("\n  "))
            }
        }
    }
}

#[test]
fn corpus() {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .expect("tests/corpus exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 30, "corpus has only {} cases", files.len());
    let mut failures = Vec::new();
    for f in &files {
        if let Err(e) = run_case(f) {
            failures.push(format!(
                "{}:\n  {e}",
                f.file_name()
                    .map(|n| n.to_string_lossy())
                    .unwrap_or_default()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} corpus cases failed:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}
