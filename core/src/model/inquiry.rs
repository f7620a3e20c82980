//! An inquiry type as a policy defines it (`intent.types`); the built-in taxonomy in
//! `core/data/intent_taxonomy.json` has the same shape.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::vocab::Urgency;

/// One inquiry type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InquiryType {
    /// Stable id (`emergency_repair`).
    pub id: String,
    /// Human label for messages (`emergency repair`).
    pub label: String,
    /// Multiplier on the location's average inquiry value.
    pub value_multiplier: f64,
    /// Urgency when nothing says otherwise.
    pub urgency: Urgency,
    /// What callers of this type want (documentation).
    #[serde(default)]
    pub description: String,
    /// Prior log-odds before any evidence (0 = neutral).
    #[serde(default)]
    pub prior: f64,
    /// Extra phrases for the transcript lexicon: `[["phrase", weight], ...]`.
    #[serde(default)]
    pub phrases: Vec<(String, f64)>,
}
