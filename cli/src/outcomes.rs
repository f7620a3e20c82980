//! `--outcomes`: record each outcome (JSON lines) against the replay's decisions, feeding
//! the report and collecting Google Ads offline-conversion rows. A bad line is reported on
//! stderr with its line number and error code; the rest go on.

use std::collections::BTreeMap;

use ringback::learning::LearningState;
use ringback::{Engine, GoogleAdsConversion, Outcome, OutcomeSubject, Report};

/// Counts over an outcomes file.
#[derive(Debug, Default)]
pub struct OutcomeStats {
    /// Outcome lines read.
    pub read: usize,
    /// Recorded.
    pub recorded: usize,
    /// Rejected (bad JSON, unknown event, before the call, negative value, ...).
    pub errors: usize,
}

/// Records every outcome of `text` against `subjects` (first decision per event id).
pub fn apply(
    engine: &Engine,
    subjects: &BTreeMap<String, OutcomeSubject>,
    text: &str,
    report: &mut Report,
    conversions: &mut Vec<GoogleAdsConversion>,
    quiet: bool,
) -> OutcomeStats {
    let mut stats = OutcomeStats::default();
    let mut learning = LearningState::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        stats.read += 1;
        let recorded = Outcome::from_json(line).and_then(|o| {
            let subject = subjects.get(&o.event_id).ok_or_else(|| {
                ringback::Error::new(
                    ringback::ErrorCode::InvalidEvent,
                    "event_id",
                    format!("no decision for event `{}` in this replay", o.event_id),
                )
            })?;
            engine.record_outcome_for(subject, &o, &mut learning)
        });
        match recorded {
            Ok(a) => {
                stats.recorded += 1;
                report.add_outcome(&a);
                if let Some(row) = a.google_ads {
                    conversions.push(row);
                }
            }
            Err(e) => {
                stats.errors += 1;
                if !quiet {
                    eprintln!("outcomes line {}: error {e}", i + 1);
                }
            }
        }
    }
    stats
}

/// Google Ads offline click-conversion import CSV: one header per click id type in use,
/// rows grouped under it (Google's template takes one id column per file; gclid first).
pub fn conversions_csv(rows: &[GoogleAdsConversion]) -> String {
    let mut out = String::new();
    for kind in ["gclid", "gbraid", "wbraid"] {
        let of_kind: Vec<&GoogleAdsConversion> =
            rows.iter().filter(|r| r.click_id_type == kind).collect();
        if let Some(first) = of_kind.first() {
            if !out.is_empty() {
                out.push('\n');
            }
            out.push_str(first.csv_header());
            out.push('\n');
            for r in of_kind {
                out.push_str(&r.csv_row());
                out.push('\n');
            }
        }
    }
    out
}
