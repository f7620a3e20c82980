//! What happened after a decision: the outcome an integrator reports back.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::decision::{Category, Decision, Status, Urgency, Verdict};
use super::event::Attribution;
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

/// The caller, as attribution needs it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SubjectCaller {
    /// E.164 number.
    #[serde(default)]
    pub e164: Option<String>,
}

/// The CRM record, as attribution needs it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SubjectRecord {
    /// The contact appended to (none for a new lead until the CRM assigns an id).
    #[serde(default)]
    pub contact_id: Option<String>,
}

/// The intent, as attribution and learning need it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SubjectIntent {
    /// The inquiry type the decision guessed.
    pub inquiry_type: String,
    /// Hour of the week (0 = Monday 00:00 local) of the call.
    pub hour_of_week: u16,
    /// The urgency.
    #[serde(default)]
    pub urgency: Option<Urgency>,
}

/// The SLA, as attribution needs it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SubjectSla {
    /// Minutes allowed.
    pub minutes: u32,
    /// When the first response is due.
    pub due_at: Timestamp,
}

/// A step's compliance verdict, as attribution needs it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SubjectCompliance {
    /// Allowed, deferred or blocked.
    pub verdict: Verdict,
}

/// A follow-up step, as attribution and learning need it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SubjectStep {
    /// Step id (`first_touch`, `callback`, ...).
    pub id: String,
    /// Channel.
    #[serde(default)]
    pub channel: Option<Channel>,
    /// When it is scheduled.
    pub at: Timestamp,
    /// Template variant, when an experiment chose one.
    #[serde(default)]
    pub variant_id: Option<String>,
    /// The step's compliance verdict.
    pub compliance: SubjectCompliance,
}

/// The part of a decision an outcome is attributed against. Deserializes from a whole
/// decision's JSON (other fields are ignored).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct OutcomeSubject {
    /// The decision's id.
    #[serde(default)]
    pub decision_id: Option<String>,
    /// The missed call's event id.
    pub event_id: String,
    /// The location.
    pub location_id: String,
    /// The decision's status.
    pub status: Status,
    /// The missed-call category.
    #[serde(default)]
    pub category: Option<Category>,
    /// When the call started.
    pub occurred_at: Timestamp,
    /// The caller.
    #[serde(default)]
    pub caller: SubjectCaller,
    /// The CRM record.
    #[serde(default)]
    pub record: SubjectRecord,
    /// The intent.
    #[serde(default)]
    pub intent: Option<SubjectIntent>,
    /// Value at risk.
    #[serde(default)]
    pub value_at_risk: Option<f64>,
    /// The tracking number dialled.
    #[serde(default)]
    pub tracking_number: Option<String>,
    /// Campaign attribution.
    #[serde(default)]
    pub attribution: Option<Attribution>,
    /// The SLA.
    #[serde(default)]
    pub sla: Option<SubjectSla>,
    /// The follow-up plan.
    #[serde(default)]
    pub follow_up: Vec<SubjectStep>,
}

impl OutcomeSubject {
    /// Reads a subject from a decision's JSON text.
    pub fn from_json(text: &str) -> crate::Result<Self> {
        crate::error::from_json_str(text, crate::ErrorCode::InvalidEvent)
    }

    /// The first step that may run (allowed or deferred), if any.
    pub fn first_touch(&self) -> Option<&SubjectStep> {
        self.follow_up
            .iter()
            .filter(|s| s.compliance.verdict != Verdict::Blocked)
            .min_by_key(|s| s.at.utc())
    }
}

impl From<&Decision> for OutcomeSubject {
    fn from(d: &Decision) -> Self {
        OutcomeSubject {
            decision_id: Some(d.decision_id.clone()),
            event_id: d.event_id.clone(),
            location_id: d.location_id.clone(),
            status: d.status,
            category: d.category,
            occurred_at: d.occurred_at,
            caller: SubjectCaller {
                e164: d.caller.e164.clone(),
            },
            record: SubjectRecord {
                contact_id: d.record.contact_id.clone(),
            },
            intent: d.intent.as_ref().map(|i| SubjectIntent {
                inquiry_type: i.inquiry_type.clone(),
                hour_of_week: i.hour_of_week,
                urgency: Some(i.urgency),
            }),
            value_at_risk: d.value_at_risk,
            tracking_number: d.tracking_number.clone(),
            attribution: d.attribution.clone(),
            sla: d.sla.as_ref().map(|s| SubjectSla {
                minutes: s.minutes,
                due_at: s.due_at,
            }),
            follow_up: d
                .follow_up
                .iter()
                .map(|s| SubjectStep {
                    id: s.id.clone(),
                    channel: s.channel,
                    at: s.at,
                    variant_id: s.variant_id.clone(),
                    compliance: SubjectCompliance {
                        verdict: s.compliance.verdict,
                    },
                })
                .collect(),
        }
    }
}
