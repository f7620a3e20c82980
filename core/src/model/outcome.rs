//! What happened after a decision: the outcome an integrator reports back.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::policy::Channel;
use super::time::Timestamp;

/// The kind of outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeKind {
    /// The caller replied or picked up.
    Engaged,
    /// Every attempt went unanswered.
    NotReached,
    /// The inquiry became business (`value` says how much).
    Converted,
    /// The caller asked not to be contacted.
    OptedOut,
    /// The number did not belong to the caller.
    WrongNumber,
}

impl Outcome {
    /// Reads an outcome from JSON text.
    pub fn from_json(text: &str) -> crate::Result<Self> {
        crate::error::from_json_str(text, crate::ErrorCode::InvalidEvent)
    }
}

/// An outcome of a follow-up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    /// The missed call's event id.
    pub event_id: String,
    /// What happened.
    pub kind: OutcomeKind,
    /// When it happened.
    pub at: Timestamp,
    /// The channel that reached the caller.
    #[serde(default)]
    pub channel: Option<Channel>,
    /// The follow-up step id (`first_touch`, `callback`, ...).
    #[serde(default)]
    pub step: Option<String>,
    /// When the first response actually went out (default: the first step the decision
    /// scheduled that compliance allowed).
    #[serde(default)]
    pub responded_at: Option<Timestamp>,
    /// Revenue, for `converted` (≥ 0; default: the decision's value at risk).
    #[serde(default)]
    pub value: Option<f64>,
    /// The inquiry type staff confirmed, when it differs from the decision's guess.
    #[serde(default)]
    pub inquiry_type: Option<String>,
}
