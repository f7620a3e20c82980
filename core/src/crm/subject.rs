//! The part of a decision a CRM sync needs. Built from a [`Decision`] in Rust, or read from a
//! decision's JSON (other fields ignored), so a stored decision can be synced later or
//! synced again.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{ErrorCode, Result};
use crate::model::crm::ContactKind;
use crate::model::decision::{
    Category, Decision, RecordAction, Status, StepAction, Urgency, Verdict,
};
use crate::model::policy::Channel;
use crate::model::time::Timestamp;

/// The caller.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SyncCaller {
    /// E.164 number (none when withheld).
    #[serde(default)]
    pub e164: Option<String>,
    /// The caller's name as the carrier delivered it, when it looked like a person.
    #[serde(default)]
    pub name: Option<String>,
}

/// A contact the decision names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SyncCandidate {
    /// The CRM id.
    pub contact_id: String,
    /// Customer or lead.
    pub kind: ContactKind,
}

/// The new lead to create.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SyncNewLead {
    /// E.164 phone.
    #[serde(default)]
    pub phone: Option<String>,
    /// First name (from caller id), when known.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Last name, when known.
    #[serde(default)]
    pub last_name: Option<String>,
}

/// The interaction to log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SyncInteraction {
    /// Why the call counts as missed.
    #[serde(default)]
    pub reason: String,
    /// The tracking number dialled.
    #[serde(default)]
    pub tracking_number: Option<String>,
    /// The vendor's own disposition.
    #[serde(default)]
    pub raw_disposition: Option<String>,
    /// The voicemail transcript (or its summary).
    #[serde(default)]
    pub voicemail_summary: Option<String>,
    /// The recording.
    #[serde(default)]
    pub recording_url: Option<String>,
}

/// A repeat call's open follow-up.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SyncRepeat {
    /// The open follow-up (the CRM task id) this call was appended to.
    #[serde(default)]
    pub open_followup_id: Option<String>,
}

/// The record decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SyncRecord {
    /// What to do with the CRM record.
    pub action: RecordAction,
    /// The contact appended to.
    #[serde(default)]
    pub contact_id: Option<String>,
    /// Candidates (shared line).
    #[serde(default)]
    pub candidates: Vec<SyncCandidate>,
    /// The race-safe key of a new lead.
    #[serde(default)]
    pub upsert_key: Option<String>,
    /// The new lead.
    #[serde(default)]
    pub new_lead: Option<SyncNewLead>,
    /// The interaction to log.
    #[serde(default)]
    pub interaction: Option<SyncInteraction>,
    /// The repeat-call facts.
    #[serde(default)]
    pub repeat: Option<SyncRepeat>,
}

/// The intent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SyncIntent {
    /// Inquiry type id.
    pub inquiry_type: String,
    /// Its label.
    #[serde(default)]
    pub label: String,
    /// Urgency.
    pub urgency: Urgency,
}

/// The SLA.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SyncSla {
    /// Minutes allowed.
    pub minutes: u32,
    /// When the first response is due.
    pub due_at: Timestamp,
    /// The tier that owns it first.
    #[serde(default = "one")]
    pub tier: u8,
}

fn one() -> u8 {
    1
}

/// A step's compliance verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SyncCompliance {
    /// Allowed, deferred or blocked.
    pub verdict: Verdict,
    /// The rules behind a deferral or block.
    #[serde(default)]
    pub reasons: Vec<SyncReason>,
}

/// A compliance rule behind a verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SyncReason {
    /// The rule id.
    pub rule: String,
}

/// A follow-up step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SyncStep {
    /// Step id (`first_touch`, `callback`, ...).
    pub id: String,
    /// What the step does.
    pub action: StepAction,
    /// Channel.
    #[serde(default)]
    pub channel: Option<Channel>,
    /// When it is scheduled.
    pub at: Timestamp,
    /// The escalation tier that owns it.
    #[serde(default = "one")]
    pub assignee_tier: u8,
    /// The compliance verdict.
    pub compliance: SyncCompliance,
}

/// A consent change to write.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SyncConsent {
    /// The channel.
    pub channel: Channel,
    /// `revoked` (or `granted`).
    pub status: String,
    /// Why.
    #[serde(default)]
    pub reason: String,
}

/// The part of a decision a CRM sync reads. Deserializes from a whole decision's JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SyncSubject {
    /// The decision id.
    #[serde(default)]
    pub decision_id: Option<String>,
    /// The event id (the call's id at the vendor).
    pub event_id: String,
    /// The location.
    pub location_id: String,
    /// The decision's status.
    pub status: Status,
    /// The missed-call category.
    #[serde(default)]
    pub category: Option<Category>,
    /// Whether a voicemail was left.
    #[serde(default)]
    pub left_voicemail: bool,
    /// When the call started.
    pub occurred_at: Timestamp,
    /// The same, local to the location.
    #[serde(default)]
    pub occurred_at_local: String,
    /// The caller.
    #[serde(default)]
    pub caller: SyncCaller,
    /// The record decision.
    pub record: SyncRecord,
    /// The intent.
    #[serde(default)]
    pub intent: Option<SyncIntent>,
    /// The SLA.
    #[serde(default)]
    pub sla: Option<SyncSla>,
    /// The follow-up plan.
    #[serde(default)]
    pub follow_up: Vec<SyncStep>,
    /// Consent changes to write.
    #[serde(default)]
    pub consent_updates: Vec<SyncConsent>,
}

impl SyncSubject {
    /// Reads the subject from a decision's JSON text.
    pub fn from_json(text: &str) -> Result<Self> {
        crate::error::from_json_str(text, ErrorCode::InvalidEvent)
    }

    /// The kind of the contact the decision appends to, when the decision says.
    pub fn contact_kind(&self) -> Option<ContactKind> {
        let id = self.record.contact_id.as_deref()?;
        self.record
            .candidates
            .iter()
            .find(|c| c.contact_id == id)
            .map(|c| c.kind)
            .or(match self.record.action {
                RecordAction::AppendToCustomer => Some(ContactKind::Customer),
                RecordAction::AppendToLead => Some(ContactKind::Lead),
                _ => None,
            })
    }
}

impl From<&Decision> for SyncSubject {
    fn from(d: &Decision) -> Self {
        let r = &d.record;
        SyncSubject {
            decision_id: Some(d.decision_id.clone()),
            event_id: d.event_id.clone(),
            location_id: d.location_id.clone(),
            status: d.status,
            category: d.category,
            left_voicemail: d.left_voicemail,
            occurred_at: d.occurred_at,
            occurred_at_local: d.occurred_at_local.clone(),
            caller: SyncCaller {
                e164: d.caller.e164.clone(),
                name: d.caller.name.clone(),
            },
            record: SyncRecord {
                action: r.action,
                contact_id: r.contact_id.clone(),
                candidates: r
                    .candidates
                    .iter()
                    .map(|c| SyncCandidate {
                        contact_id: c.contact_id.clone(),
                        kind: c.kind,
                    })
                    .collect(),
                upsert_key: r.upsert_key.clone(),
                new_lead: r.new_lead.as_ref().map(|l| SyncNewLead {
                    phone: l.phone.clone(),
                    first_name: l.first_name.clone(),
                    last_name: l.last_name.clone(),
                }),
                interaction: r.interaction.as_ref().map(|i| SyncInteraction {
                    reason: i.reason.to_string(),
                    tracking_number: i.tracking_number.clone(),
                    raw_disposition: i.raw_disposition.clone(),
                    voicemail_summary: i.voicemail_summary.clone(),
                    recording_url: i.recording_url.clone(),
                }),
                repeat: r.repeat.as_ref().map(|p| SyncRepeat {
                    open_followup_id: p.open_followup_id.clone(),
                }),
            },
            intent: d.intent.as_ref().map(|i| SyncIntent {
                inquiry_type: i.inquiry_type.clone(),
                label: i.label.clone(),
                urgency: i.urgency,
            }),
            sla: d.sla.as_ref().map(|s| SyncSla {
                minutes: s.minutes,
                due_at: s.due_at,
                tier: s.tier,
            }),
            follow_up: d
                .follow_up
                .iter()
                .map(|s| SyncStep {
                    id: s.id.clone(),
                    action: s.action,
                    channel: s.channel,
                    at: s.at,
                    assignee_tier: s.assignee_tier,
                    compliance: SyncCompliance {
                        verdict: s.compliance.verdict,
                        reasons: s
                            .compliance
                            .reasons
                            .iter()
                            .map(|r| SyncReason {
                                rule: r.rule.to_string(),
                            })
                            .collect(),
                    },
                })
                .collect(),
            consent_updates: d
                .consent_updates
                .iter()
                .map(|c| SyncConsent {
                    channel: c.channel,
                    status: c.status.to_string(),
                    reason: c.reason.clone(),
                })
                .collect(),
        }
    }
}
