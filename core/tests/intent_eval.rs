//! Intent accuracy on the labeled evaluation set in `tests/intent_eval/` (voicemail
//! transcripts written for this purpose, in speech-to-text style, labeled with inquiry type
//! and urgency; the lexicons were written without looking at them). Reports accuracy per
//! vertical and calibration, and fails below the floors measured when the set was built.

use chrono::TimeZone;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

use ringback::intent::{score, CompiledIntent, IntentInput};
use ringback::model::crm::Contact;
use ringback::model::decision::{Category, Urgency};
use ringback::model::policy::{IntentSettings, Vertical};
use ringback::stages::audit::Trace;

/// Floors, set from the measurement reported in the issue note (a few points under it).
const MIN_TYPE_ACCURACY: f64 = 0.80;
const MIN_URGENCY_WITHIN_ONE: f64 = 0.93;
const MIN_VERTICAL_TYPE_ACCURACY: f64 = 0.75;

fn rank(u: Urgency) -> i32 {
    match u {
        Urgency::Low => 0,
        Urgency::Normal => 1,
        Urgency::High => 2,
        Urgency::Critical => 3,
    }
}

struct Case {
    vertical: Vertical,
    transcript: String,
    inquiry_type: String,
    urgency: Urgency,
}

fn load() -> Vec<Case> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/intent_eval");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/intent_eval exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        for line in std::fs::read_to_string(&f).expect("readable").lines() {
            if line.trim().is_empty() {
                continue;
            }
            let v: Value = serde_json::from_str(line).expect("valid JSON line");
            out.push(Case {
                vertical: serde_json::from_value(v["vertical"].clone()).expect("vertical"),
                transcript: v["transcript"].as_str().expect("transcript").to_string(),
                inquiry_type: v["inquiry_type"].as_str().expect("type").to_string(),
                urgency: serde_json::from_value(v["urgency"].clone()).expect("urgency"),
            });
        }
    }
    out
}

/// A neutral caller (an existing lead: no new-caller or customer bias) at a fixed time.
fn neutral() -> (Contact, chrono::DateTime<chrono_tz::Tz>) {
    let contact: Contact =
        serde_json::from_value(serde_json::json!({"id": "x", "kind": "lead"})).expect("contact");
    let local = chrono_tz::America::Chicago
        .with_ymd_and_hms(2026, 11, 24, 10, 30, 0)
        .single()
        .expect("time");
    (contact, local)
}

/// Scores one transcript as a voicemail from the neutral caller.
fn score_case(
    ci: &CompiledIntent,
    settings: &IntentSettings,
    c: &Case,
) -> ringback::model::decision::Intent {
    let (contact, local) = neutral();
    score(
        ci,
        settings,
        &IntentInput {
            transcript: Some(&c.transcript),
            attribution: None,
            ai: None,
            category: Category::Voicemail,
            local,
            primary: Some(&contact),
            repeat_raise: false,
            learned: None,
        },
        &mut Trace::new(false, ringback::TraceLevel::Off),
    )
}

/// Runs the set with a temperature; returns per-vertical (n, type ok, urgency within one,
/// urgency exact) and (confidence, correct) pairs.
#[allow(clippy::type_complexity)]
fn run(cases: &[Case], temperature: f64) -> (BTreeMap<&'static str, [usize; 4]>, Vec<(f64, bool)>) {
    let settings = IntentSettings {
        temperature,
        ..IntentSettings::default()
    };
    let mut compiled: BTreeMap<&'static str, CompiledIntent> = BTreeMap::new();
    let mut per: BTreeMap<&'static str, [usize; 4]> = BTreeMap::new();
    let mut calib = Vec::new();
    for c in cases {
        let ci = compiled.entry(c.vertical.as_str()).or_insert_with(|| {
            CompiledIntent::compile(c.vertical, &settings, "intent").expect("compiles")
        });
        let got = score_case(ci, &settings, c);
        let e = per.entry(c.vertical.as_str()).or_default();
        e[0] += 1;
        let ok = got.inquiry_type == c.inquiry_type;
        e[1] += ok as usize;
        e[2] += ((rank(got.urgency) - rank(c.urgency)).abs() <= 1) as usize;
        e[3] += (got.urgency == c.urgency) as usize;
        calib.push((got.confidence, ok));
    }
    (per, calib)
}

/// Expected calibration error over 10 confidence bins.
fn ece(calib: &[(f64, bool)]) -> f64 {
    let mut bins = [(0.0f64, 0.0f64, 0usize); 10];
    for (p, ok) in calib {
        let b = ((p * 10.0) as usize).min(9);
        bins[b].0 += p;
        bins[b].1 += *ok as u8 as f64;
        bins[b].2 += 1;
    }
    let n = calib.len() as f64;
    bins.iter()
        .filter(|b| b.2 > 0)
        .map(|(sp, sok, k)| (*k as f64 / n) * ((sp - sok) / *k as f64).abs())
        .sum()
}

#[test]
fn intent_accuracy_per_vertical() {
    let cases = load();
    assert!(
        cases.len() >= 300,
        "evaluation set has {} transcripts",
        cases.len()
    );
    let t = IntentSettings::default().temperature;
    let (per, calib) = run(&cases, t);
    let (mut n, mut ok_t, mut ok_u1, mut ok_u) = (0, 0, 0, 0);
    println!("vertical        n   type   urgency±1 urgency");
    for (v, [k, t_ok, u1, u]) in &per {
        println!(
            "{v:<14} {k:>3}  {:>5.1}%  {:>5.1}%   {:>5.1}%",
            100.0 * *t_ok as f64 / *k as f64,
            100.0 * *u1 as f64 / *k as f64,
            100.0 * *u as f64 / *k as f64
        );
        n += k;
        ok_t += t_ok;
        ok_u1 += u1;
        ok_u += u;
    }
    let type_acc = ok_t as f64 / n as f64;
    let urg1 = ok_u1 as f64 / n as f64;
    println!(
        "all            {n:>3}  {:>5.1}%  {:>5.1}%   {:>5.1}%   ECE {:.3} (temperature {t})",
        100.0 * type_acc,
        100.0 * urg1,
        100.0 * ok_u as f64 / n as f64,
        ece(&calib)
    );
    for (v, [k, t_ok, ..]) in &per {
        let acc = *t_ok as f64 / *k as f64;
        assert!(
            acc >= MIN_VERTICAL_TYPE_ACCURACY,
            "{v}: inquiry type accuracy {acc:.3}"
        );
    }
    assert!(
        type_acc >= MIN_TYPE_ACCURACY,
        "inquiry type accuracy {type_acc:.3}"
    );
    assert!(
        urg1 >= MIN_URGENCY_WITHIN_ONE,
        "urgency within one level {urg1:.3}"
    );
    assert!(
        ece(&calib) <= 0.10,
        "confidence badly calibrated: ECE {:.3}",
        ece(&calib)
    );
}

/// The temperature in the default policy is the one that calibrates best on this set.
#[test]
fn temperature_is_calibrated() {
    let cases = load();
    let default_t = IntentSettings::default().temperature;
    let calib_error = |t: f64| {
        let (_, calib) = run(&cases, t);
        ece(&calib)
    };
    let best = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1.0, 1.25, 1.5]
        .into_iter()
        .map(|t| (t, calib_error(t)))
        .fold((0.0, f64::MAX), |a, b| if b.1 < a.1 { b } else { a });
    println!(
        "best temperature {} (ECE {:.3}); default {default_t} (ECE {:.3})",
        best.0,
        best.1,
        calib_error(default_t)
    );
    assert!(
        calib_error(default_t) <= best.1 + 0.03,
        "default temperature {default_t} is not calibrated; best {}",
        best.0
    );
}

/// Prints the misclassified transcripts (run with `--nocapture` when tuning the model; the
/// test itself asserts nothing beyond the set loading).
#[test]
fn list_misclassified() {
    let cases = load();
    let settings = IntentSettings::default();
    let mut wrong = 0;
    for c in &cases {
        let ci = CompiledIntent::compile(c.vertical, &settings, "intent").expect("compiles");
        let got = score_case(&ci, &settings, c);
        if std::env::var_os("RINGBACK_SHOW_MISSES").is_some()
            && (got.inquiry_type != c.inquiry_type || got.urgency != c.urgency)
        {
            println!(
                "{} want {}/{:?} got {}/{:?} p={} | {}",
                c.vertical.as_str(),
                c.inquiry_type,
                c.urgency,
                got.inquiry_type,
                got.urgency,
                got.confidence,
                c.transcript
            );
        }
        wrong += (got.inquiry_type != c.inquiry_type) as usize;
    }
    assert!(wrong < cases.len());
}
