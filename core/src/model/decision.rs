//! The decision the engine returns (SPEC §3.4).

use schemars::JsonSchema;
use serde::Serialize;
use std::borrow::Cow;

use super::crm::{ContactKind, LineType};
use super::event::Attribution;
use super::time::Timestamp;
use super::vocab::{Channel, Purpose};
pub use super::vocab::{Cohort, Encoding, Urgency};

/// One piece of evidence for an inquiry type or the urgency.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Signal {
    /// Where it came from (`prior`, `learned_hour_prior`, `transcript`, `attribution`,
    /// `ai_receptionist`, `category`, `cohort`, `repeat`, `urgency`).
    pub source: &'static str,
    /// The inquiry type it counts for (none for urgency signals).
    pub inquiry_type: Option<String>,
    /// Log-odds added.
    pub weight: f64,
    /// What matched, in words (at `audit.trace: full` only).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
}

/// What the caller most likely wants (SPEC §4.5).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Intent {
    /// The most likely inquiry type.
    pub inquiry_type: String,
    /// Its human label.
    pub label: String,
    /// How urgent.
    pub urgency: Urgency,
    /// Who the caller is.
    pub cohort: Cohort,
    /// Probability of `inquiry_type` (softmax over the vertical's types).
    pub confidence: f64,
    /// The runner-up and its probability.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub runner_up: Option<(String, f64)>,
    /// Value multiplier of the inquiry type.
    pub value_multiplier: f64,
    /// Hour of the week of the call at the location (0 = Monday 00:00), the learning key.
    pub hour_of_week: u16,
    /// The evidence, largest first.
    pub signals: Vec<Signal>,
}

/// Where the callee's local time comes from for quiet hours, and which rules apply.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Callee {
    /// IANA zones the callee may be in; a call or text must be allowed in every one.
    pub time_zones: Vec<String>,
    /// `contact_time_zone`, `contact_state`, `area_code` or `location`.
    pub zone_source: &'static str,
    /// Calling-hours rule sets applied (`US-FEDERAL`, `FL`, `CANADA`, ...).
    pub rules: Vec<String>,
    /// Why those rules: the states and where each came from, in words (at
    /// `audit.trace: full` only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rule_sources: Vec<String>,
    /// ISO country the callee is treated as being in.
    pub country: Option<String>,
    /// The line type of the number, when the CRM knows it.
    pub line_type: LineType,
}

/// The response-time commitment (SPEC §4.7).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Sla {
    /// Rule id (`urgent`, `new_lead`, `existing_customer_same_business_day`,
    /// `after_hours_next_open`, `after_hours_on_call`).
    pub rule: &'static str,
    /// The rule's minutes (after the start, or after the opening for after-hours).
    pub minutes: u32,
    /// Whether minutes count only open business time.
    pub business_time: bool,
    /// The urgency the rule was chosen for.
    pub urgency: Urgency,
    /// Due instant, UTC.
    pub due_at: Timestamp,
    /// Due instant at the location (RFC 3339 with local offset).
    pub due_at_local: String,
    /// Tier that owns it at creation.
    pub tier: u8,
    /// Handler that owns it at creation.
    pub handler: String,
    /// Set when the rule's due instant fell before the first moment the callee may legally
    /// be contacted and was moved after it (`quiet_hours`, `frequency_cap`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adjusted_for: Option<&'static str>,
}

/// One rung of the escalation ladder.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct EscalationStep {
    /// Tier (1 = location staff).
    pub tier: u8,
    /// Who handles it.
    pub handler: String,
    /// When this tier takes over.
    pub at: Timestamp,
}

/// A compliance verdict for one step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The step may run at its time.
    Allowed,
    /// The step was moved to the first allowed instant (`until`).
    Deferred,
    /// The step may not run.
    Blocked,
}

/// Why a step is blocked or deferred: the rule and its legal source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct ComplianceReason {
    /// Rule id (`quiet_hours`, `revoked_consent`, ...).
    pub rule: &'static str,
    /// Law, regulation or policy the rule comes from.
    pub source: Cow<'static, str>,
    /// What exactly applied.
    pub detail: String,
}

/// The compliance result of one step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Compliance {
    /// Allowed, deferred or blocked.
    pub verdict: Verdict,
    /// For deferred steps: the first instant every rule allows.
    pub until: Option<Timestamp>,
    /// The rules that deferred or blocked the step.
    pub reasons: Vec<ComplianceReason>,
}

/// What a follow-up step does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StepAction {
    /// Send a text.
    SendSms,
    /// Send an email.
    SendEmail,
    /// A person calls the customer back.
    CallTask,
    /// A person reviews the case (no channel is allowed).
    ManualTask,
}

impl StepAction {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            StepAction::SendSms => "send_sms",
            StepAction::SendEmail => "send_email",
            StepAction::CallTask => "call_task",
            StepAction::ManualTask => "manual_task",
        }
    }
}

/// One step of the follow-up plan (SPEC §4.10).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct FollowUpStep {
    /// Position, from 1.
    pub step: u32,
    /// Step id (`first_touch`, `callback`, `manual_review`, or a policy step id).
    pub id: String,
    /// What to do.
    pub action: StepAction,
    /// The channel, none for a manual task.
    pub channel: Option<Channel>,
    /// When to do it (after any deferral).
    pub at: Timestamp,
    /// The template rendered.
    pub template_id: Option<String>,
    /// The experiment the variant belongs to.
    pub experiment_id: Option<String>,
    /// The template variant used (the template id when it has no variants).
    pub variant_id: Option<String>,
    /// Email subject.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// The message (or, for a call task, the script), rendered.
    pub body: Option<String>,
    /// SMS encoding (`gsm7` or `ucs2`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoding: Option<Encoding>,
    /// SMS segments.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segments: Option<usize>,
    /// What the message is for.
    pub purpose: Purpose,
    /// Who owns the step.
    pub assignee_tier: u8,
    /// Financial services: the message must be archived.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub archive_required: bool,
    /// Text to append to the message (financial disclosure), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disclosure: Option<String>,
    /// The compliance gate's result.
    pub compliance: Compliance,
}

impl FollowUpStep {
    /// A step with no message yet (template fields empty).
    pub fn new(
        step: u32,
        id: &str,
        action: StepAction,
        channel: Option<Channel>,
        at: Timestamp,
        purpose: Purpose,
        compliance: Compliance,
    ) -> Self {
        FollowUpStep {
            step,
            id: id.to_string(),
            action,
            channel,
            at,
            template_id: None,
            experiment_id: None,
            variant_id: None,
            subject: None,
            body: None,
            encoding: None,
            segments: None,
            purpose,
            assignee_tier: 1,
            archive_required: false,
            disclosure: None,
            compliance,
        }
    }
}

/// A consent change for the integrator to write back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct ConsentUpdate {
    /// The channel.
    pub channel: Channel,
    /// The new status (`revoked`).
    pub status: &'static str,
    /// Why.
    pub reason: String,
}

/// What a scheduler should do with an open follow-up now (from `Engine::tick`).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum TickAction {
    /// Nothing to do yet.
    Nothing {
        /// When something will next happen (due or next escalation), if ever.
        next_at: Option<Timestamp>,
    },
    /// Hand the follow-up to a higher tier.
    Escalate {
        /// The tier to move to.
        tier: u8,
        /// Who handles it.
        handler: String,
        /// Why now.
        reason: String,
    },
    /// The SLA is missed and the follow-up already sits at the tier it should.
    Breached {
        /// Minutes past due.
        overdue_minutes: i64,
        /// The tier it sits at.
        tier: u8,
    },
}

/// What the integrator should do with the decision overall.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Follow up as planned.
    FollowUp,
    /// The first step is deferred (quiet hours).
    Deferred,
    /// A person must look at it (no callable number, ...).
    ManualReview,
    /// A webhook retry of an event already decided: do nothing.
    DuplicateEvent,
    /// A replay that adds a voicemail transcript: update, but send no second first touch.
    Amended,
    /// The call was answered: not a missed call.
    NotMissed,
    /// Nothing may be sent (spam, revoked, do-not-contact).
    Suppressed,
}

impl Status {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::FollowUp => "follow_up",
            Status::Deferred => "deferred",
            Status::ManualReview => "manual_review",
            Status::DuplicateEvent => "duplicate_event",
            Status::Amended => "amended",
            Status::NotMissed => "not_missed",
            Status::Suppressed => "suppressed",
        }
    }
}

/// The missed-call category (SPEC §4.1).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    serde::Deserialize,
    JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// The caller left a message.
    Voicemail,
    /// The location was closed.
    AfterHours,
    /// The caller gave up (IVR, queue, short ring).
    Abandoned,
    /// Rang out, busy, no agent, failed.
    RingNoAnswer,
}

impl Category {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Voicemail => "voicemail",
            Category::AfterHours => "after_hours",
            Category::Abandoned => "abandoned",
            Category::RingNoAnswer => "ring_no_answer",
        }
    }
}

/// The caller as identified (SPEC §4.2).
#[derive(Debug, Clone, Default, PartialEq, Serialize, JsonSchema)]
pub struct Caller {
    /// E.164 form of the number, when it could be parsed.
    pub e164: Option<String>,
    /// Whether the number is a valid, dialable number.
    pub valid: bool,
    /// Whether the caller withheld their number.
    pub withheld: bool,
    /// ISO 3166 country of the number.
    pub country: Option<String>,
    /// US state / Canadian province of the NANP area code.
    pub region: Option<String>,
    /// IANA zones of the NANP area code (several when it spans zones).
    pub time_zones: Vec<String>,
    /// CNAM name, when it looks like a person's name (title-cased); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// What to do with the CRM (SPEC §4.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RecordAction {
    /// Append the interaction to an existing customer.
    AppendToCustomer,
    /// Append the interaction to an existing lead.
    AppendToLead,
    /// Append to the follow-up already open for this contact.
    AppendToOpenFollowup,
    /// Create a new lead.
    CreateLead,
    /// Several contacts share the number: a person must choose.
    NeedsResolution,
    /// Nothing to write (duplicate, answered).
    None,
}

impl RecordAction {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordAction::AppendToCustomer => "append_to_customer",
            RecordAction::AppendToLead => "append_to_lead",
            RecordAction::AppendToOpenFollowup => "append_to_open_followup",
            RecordAction::CreateLead => "create_lead",
            RecordAction::NeedsResolution => "needs_resolution",
            RecordAction::None => "none",
        }
    }
}

/// A contact that matched the caller's number.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Candidate {
    /// CRM id.
    pub contact_id: String,
    /// Customer or lead.
    pub kind: ContactKind,
    /// The contact's location.
    pub location_id: Option<String>,
    /// Position in the primary-selection order (1 = primary).
    pub rank: u32,
}

/// Another contact on the same number that may be the same person.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct MergeCandidate {
    /// CRM id.
    pub contact_id: String,
    /// Why it is a candidate and why it ranked below the primary.
    pub reasons: Vec<String>,
}

/// The lead ringback proposes to create.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct NewLead {
    /// E.164 number, when there is one.
    pub phone: Option<String>,
    /// First name from CNAM, only when CNAM is a person's name in `LAST,FIRST` form.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Last name from CNAM, likewise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// Display name from CNAM when it looks like a person's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Owning location.
    pub location_id: String,
    /// Always `missed_call`.
    pub source: &'static str,
    /// Campaign attribution of the call.
    pub attribution: Option<Attribution>,
}

/// The interaction to append to the record.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Interaction {
    /// Always `missed_call`.
    pub kind: &'static str,
    /// The vendor call id.
    pub event_id: String,
    /// Category of the missed call.
    pub category: Category,
    /// Finer reason.
    pub reason: Cow<'static, str>,
    /// When the call started.
    pub occurred_at: Timestamp,
    /// Local time at the location, `YYYY-MM-DDTHH:MM:SS` with the zone id.
    pub occurred_at_local: String,
    /// The location.
    pub location_id: String,
    /// The number dialled.
    pub tracking_number: Option<String>,
    /// The vendor's raw disposition.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raw_disposition: Option<String>,
    /// Campaign attribution.
    pub attribution: Option<Attribution>,
    /// The voicemail transcript, shortened to 280 characters.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub voicemail_summary: Option<String>,
    /// The recording URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recording_url: Option<String>,
}

/// Facts about earlier calls from the same contact.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Repeat {
    /// The open follow-up this call is appended to, if any.
    pub open_followup_id: Option<String>,
    /// The previous missed call within the repeat window.
    pub previous_event_id: Option<String>,
    /// Minutes since that previous missed call.
    pub minutes_since_previous: Option<i64>,
    /// Missed calls (this one included) within the urgent-repeat window.
    pub calls_in_urgent_window: u32,
    /// Whether urgency must be raised one level (two or more calls in the window).
    pub raise_urgency: bool,
    /// No first-touch message may be sent before this instant (cooldown), if any.
    pub first_touch_cooldown_until: Option<Timestamp>,
}

/// The CRM part of the decision.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Record {
    /// What to do.
    pub action: RecordAction,
    /// The contact to append to (primary).
    pub contact_id: Option<String>,
    /// Every contact that matched the number, in primary-selection order.
    pub candidates: Vec<Candidate>,
    /// Matches other than the primary that may be the same person.
    pub merge_candidates: Vec<MergeCandidate>,
    /// Idempotent key for creating the record (`phone:+1...`).
    pub upsert_key: Option<String>,
    /// The lead to create, for `create_lead`.
    pub new_lead: Option<NewLead>,
    /// The interaction to append.
    pub interaction: Option<Interaction>,
    /// Repeat-caller facts, when the contact called before.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repeat: Option<Repeat>,
}

/// One rule evaluated, for the audit trace. Serialized as the string
/// `"stage/rule=result"` when it has no detail (`audit.trace: codes`), and as an object
/// `{stage, rule, result, detail}` with its words (`full`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceEntry {
    /// Pipeline stage (`category`, `caller_id`, `identity`, `record`, ...).
    pub stage: &'static str,
    /// Rule id within the stage.
    pub rule: &'static str,
    /// Outcome of the rule.
    pub result: Cow<'static, str>,
    /// Explanation in words, at `audit.trace: full` only (`ringback explain` regenerates
    /// it for a stored decision); phone numbers masked unless `audit.include_pii`.
    pub detail: Option<Cow<'static, str>>,
}

impl Serialize for TraceEntry {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        match &self.detail {
            None => s.collect_str(&format_args!(
                "{}/{}={}",
                self.stage, self.rule, self.result
            )),
            Some(detail) => {
                let mut o = s.serialize_struct("TraceEntry", 4)?;
                o.serialize_field("stage", self.stage)?;
                o.serialize_field("rule", self.rule)?;
                o.serialize_field("result", &self.result)?;
                o.serialize_field("detail", detail)?;
                o.end()
            }
        }
    }
}

impl JsonSchema for TraceEntry {
    fn schema_name() -> Cow<'static, str> {
        "TraceEntry".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "One rule evaluated: `\"stage/rule=result\"` at audit.trace `codes`, an object with the rule's words at `full`.",
            "oneOf": [
                {
                    "type": "string",
                    "description": "stage/rule=result",
                    "pattern": "^[a-z_]+/[a-z_0-9]+="
                },
                {
                    "type": "object",
                    "required": ["stage", "rule", "result", "detail"],
                    "properties": {
                        "stage": { "type": "string", "description": "Pipeline stage." },
                        "rule": { "type": "string", "description": "Rule id within the stage." },
                        "result": { "type": "string", "description": "Outcome of the rule." },
                        "detail": {
                            "type": "string",
                            "description": "Explanation in words; phone numbers masked unless audit.include_pii."
                        }
                    },
                    "additionalProperties": false
                }
            ]
        })
    }
}

/// The engine's answer for one event.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Decision {
    /// Stable hash of the inputs and policy.
    pub decision_id: String,
    /// The event's id.
    pub event_id: String,
    /// The location.
    pub location_id: String,
    /// The policy's `version`.
    pub policy_version: String,
    /// The engine's version.
    pub engine_version: &'static str,
    /// Overall status.
    pub status: Status,
    /// Why the status is what it is, when it is not plain (`no_callable_number`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<Cow<'static, str>>,
    /// Missed-call category; null for answered calls.
    pub category: Option<Category>,
    /// Finer reason (disposition, or why the location was closed).
    pub reason: Cow<'static, str>,
    /// Whether the location was closed (or the vendor said so).
    pub after_hours: bool,
    /// Whether the caller left a voicemail.
    pub left_voicemail: bool,
    /// When the call started.
    pub occurred_at: Timestamp,
    /// When the call started, in the location's zone (RFC 3339 with local offset).
    pub occurred_at_local: String,
    /// "Now" as used for the decision.
    pub decided_at: Timestamp,
    /// The caller.
    pub caller: Caller,
    /// What to write to the CRM.
    pub record: Record,
    /// What the caller wants and how urgent it is.
    pub intent: Option<Intent>,
    /// Location average inquiry value × the inquiry type's multiplier.
    pub value_at_risk: Option<f64>,
    /// The number the caller dialled (campaign tracking number), as the vendor sent it.
    pub tracking_number: Option<String>,
    /// The call's campaign attribution (click ids included), for outcome attribution.
    pub attribution: Option<Attribution>,
    /// The callee's zone and the calling-hours rules applied.
    pub callee: Option<Callee>,
    /// The response-time commitment.
    pub sla: Option<Sla>,
    /// The escalation ladder with timestamps.
    pub escalation: Vec<EscalationStep>,
    /// The follow-up plan.
    pub follow_up: Vec<FollowUpStep>,
    /// Consent changes to write back (e.g. an opt-out heard in the voicemail).
    pub consent_updates: Vec<ConsentUpdate>,
    /// One entry per rule evaluated.
    pub trace: Vec<TraceEntry>,
}
