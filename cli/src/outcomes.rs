//! `--outcomes`: record each outcome (JSON lines) against the replay's decisions (the core's
//! `Replayer` matches and reports them) and collecting Google Ads offline-conversion rows. A bad line is reported on
//! stderr with its line number and error code; the rest go on.

use ringback::replay::Replayer;
use ringback::{Engine, GoogleAdsConversion};

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

/// Records every outcome of `text` through the replay (each is matched to the decision the
/// report counts for its call).
pub fn apply(
    replayer: &mut Replayer<&Engine>,
    text: &str,
    conversions: &mut Vec<GoogleAdsConversion>,
    quiet: bool,
) -> OutcomeStats {
    let mut stats = OutcomeStats::default();
    for (line, answer) in replayer.record_outcomes_jsonl(text) {
        stats.read += 1;
        match answer {
            Ok(a) => {
                stats.recorded += 1;
                if let Some(row) = a.google_ads {
                    conversions.push(row);
                }
            }
            Err(e) => {
                stats.errors += 1;
                if !quiet {
                    eprintln!("outcomes line {line}: error {e}");
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
