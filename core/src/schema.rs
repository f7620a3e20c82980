//! JSON Schemas for every input and output type, generated from the Rust types. The
//! committed copies live in `schema/`; a test fails when they drift.

use schemars::schema_for;

use crate::attribution::AttributionEvent;
use crate::model::crm::CrmSnapshot;
use crate::model::decision::Decision;
use crate::model::event::MissedCallEvent;
use crate::model::outcome::Outcome;
use crate::model::policy::Policy;
use crate::report::ReportSummary;

/// `(file name, pretty JSON)` for each schema, in a fixed order.
pub fn all() -> Vec<(&'static str, String)> {
    let pretty = |s: schemars::Schema| {
        let mut text = serde_json::to_string_pretty(&s).unwrap_or_default();
        text.push('\n');
        text
    };
    vec![
        (
            "missed_call_event.schema.json",
            pretty(schema_for!(MissedCallEvent)),
        ),
        ("crm_snapshot.schema.json", pretty(schema_for!(CrmSnapshot))),
        ("policy.schema.json", pretty(schema_for!(Policy))),
        ("decision.schema.json", pretty(schema_for!(Decision))),
        ("outcome.schema.json", pretty(schema_for!(Outcome))),
        (
            "attribution_event.schema.json",
            pretty(schema_for!(AttributionEvent)),
        ),
        ("report.schema.json", pretty(schema_for!(ReportSummary))),
    ]
}
