//! Messaging adapters, the outbound edge that *executes* follow-up steps: each allowed
//! `send_sms` step of a decision becomes a request to a messaging API. Like the CRM sync
//! they are **sans-I/O state machines**: they say which HTTP request to send and read the
//! answer they are fed; the caller owns the socket, the credentials and the clock ("now"
//! is an input, so the machine decides between sending, scheduling and handing a step
//! back without reading a clock).
//!
//! [`twilio`] is the first adapter (Twilio Programmable Messaging).
//!
//! What every adapter guarantees:
//!
//! * Only steps the decision allowed (or deferred to a legal instant) are sent, never before
//!   that instant, and never long after it (a step more than `max_lateness_seconds` late is
//!   handed back to be decided again: the caller's legal window may have closed).
//! * A step is sent at most once per key (`event_id:step_id`), also across retries and
//!   reruns: before sending, the machine looks for the message it would send among the
//!   provider's recent messages to that number, and a send whose answer was lost is looked
//!   up, not repeated.
//! * A recipient the provider reports as opted out becomes a `consent_updates` revocation
//!   (write it back: `CrmIndex::suppress`, or the CRM's opt-out field), and no later step of
//!   the same run texts that number.

pub mod twilio;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{ErrorCode, Result};
use crate::model::decision::{Decision, StepAction, Verdict};
use crate::model::policy::Channel;
use crate::model::time::Timestamp;

/// A text step of a decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TextStep {
    /// The step id.
    pub id: String,
    /// What the step does (only `send_sms` is sent).
    pub action: StepAction,
    /// When it runs.
    pub at: Timestamp,
    /// The text.
    #[serde(default)]
    pub body: Option<String>,
    /// The compliance verdict.
    pub compliance: TextCompliance,
}

/// A step's compliance, as far as sending needs it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TextCompliance {
    /// Allowed, deferred or blocked.
    pub verdict: Verdict,
    /// For a deferred step: the first instant every rule allows.
    #[serde(default)]
    pub until: Option<Timestamp>,
}

/// The caller of a decision.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TextCaller {
    /// E.164 number (none when withheld).
    #[serde(default)]
    pub e164: Option<String>,
}

/// The part of a decision a messaging adapter needs; built from a [`Decision`] or read from
/// a decision's JSON (other fields ignored).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TextSubject {
    /// The event.
    pub event_id: String,
    /// When the call was missed (a message found from before it is not this step's).
    pub occurred_at: Timestamp,
    /// The caller.
    #[serde(default)]
    pub caller: TextCaller,
    /// The steps.
    #[serde(default)]
    pub follow_up: Vec<TextStep>,
}

impl TextSubject {
    /// Reads the subject from a decision's JSON.
    pub fn from_json(text: &str) -> Result<Self> {
        crate::error::from_json_str(text, ErrorCode::InvalidEvent)
    }
}

impl From<&Decision> for TextSubject {
    fn from(d: &Decision) -> Self {
        TextSubject {
            event_id: d.event_id.clone(),
            occurred_at: d.occurred_at,
            caller: TextCaller {
                e164: d.caller.e164.clone(),
            },
            follow_up: d
                .follow_up
                .iter()
                .map(|s| TextStep {
                    id: s.id.clone(),
                    action: s.action,
                    at: s.at,
                    body: s.body.clone(),
                    compliance: TextCompliance {
                        verdict: s.compliance.verdict,
                        until: s.compliance.until,
                    },
                })
                .collect(),
        }
    }
}

/// A text the provider accepted (or had accepted on an earlier run).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Sent {
    /// `event_id:step_id`.
    pub key: String,
    /// The step.
    pub step_id: String,
    /// The recipient.
    pub to: String,
    /// The provider's message id.
    pub sid: String,
    /// The provider's status (`queued`, `accepted`, `scheduled`, ...).
    pub status: String,
    /// For a scheduled message: when the provider sends it.
    pub send_at: Option<String>,
    /// Whether this run sent it (`false`: found from an earlier run).
    pub created: bool,
}

/// A step handed back: send it at `send_at` (call the machine again then).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Deferred {
    /// `event_id:step_id`.
    pub key: String,
    /// The step.
    pub step_id: String,
    /// The instant to send it (RFC 3339).
    pub send_at: String,
    /// Why it was not sent or scheduled now.
    pub reason: String,
}

/// A step the provider refused; the decision and the other steps stand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct StepFailure {
    /// `event_id:step_id`.
    pub key: String,
    /// The step.
    pub step_id: String,
    /// `recipient_opted_out`, `invalid_number`, `not_textable`, `unreachable`,
    /// `sender_rejected` or `rejected`.
    pub code: &'static str,
    /// The provider's own error code (Twilio `21610`, ...).
    pub provider_code: Option<u32>,
    /// The HTTP status.
    pub status: u16,
    /// The provider's message.
    pub message: String,
}

/// A consent change the provider reported: write it back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Revocation {
    /// The number.
    pub number: String,
    /// The channel (`sms`).
    pub channel: Channel,
    /// `revoked`.
    pub status: &'static str,
    /// Where it came from (`twilio:21610`).
    pub source: String,
    /// Why.
    pub reason: String,
}

/// A step not sent, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Skipped {
    /// The step.
    pub step_id: String,
    /// Why.
    pub reason: String,
}

/// Where a send run stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SendState {
    /// More requests to send.
    Running,
    /// Every step sent, scheduled, handed back, skipped or failed on its own.
    Done,
    /// Stopped (credentials refused, the provider unavailable): steps not yet sent are in
    /// `pending`; running again is safe.
    Failed,
}

/// What a send run did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct SendOutcome {
    /// The event.
    pub event_id: String,
    /// Where it stands.
    pub state: SendState,
    /// Texts sent or scheduled.
    pub sent: Vec<Sent>,
    /// Texts handed back with the instant to send them.
    pub deferred: Vec<Deferred>,
    /// Texts the provider refused.
    pub failed: Vec<StepFailure>,
    /// Steps not sent, and why.
    pub skipped: Vec<Skipped>,
    /// Keys of the steps not reached when the run stopped.
    pub pending: Vec<String>,
    /// Consent changes to write back.
    pub consent_updates: Vec<Revocation>,
    /// Requests sent (retries included).
    pub requests: u32,
    /// Of those, retries after 429 or 5xx.
    pub retries: u32,
    /// Why the run stopped, when it failed.
    pub failure: Option<crate::crm::Failure>,
}
