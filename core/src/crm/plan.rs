//! What a decision writes into a CRM, whatever the CRM: the person (a new lead, upserted by
//! its key), the missed call as an activity, one task per staff step, the open follow-up's
//! task moved, a resolution task for a shared line, and opt-outs. Each CRM module renders
//! these writes into its own requests. Every write carries a key of its own (the upsert key,
//! the event id, `event:step`), so replaying a sync writes nothing twice.

use crate::model::crm::ContactKind;
use crate::model::decision::{Category, RecordAction, Status, StepAction, Urgency, Verdict};
use crate::model::policy::Channel;
use crate::model::time::Timestamp;

use super::config::Config;
use super::subject::{SyncStep, SyncSubject};

/// The person a write links to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Person {
    /// A record the decision names.
    Existing {
        /// Its id.
        id: String,
        /// Its kind, when known.
        kind: Option<ContactKind>,
    },
    /// The lead the first write of this sync upserts.
    Created,
    /// Nobody (a shared line: staff pick the contact).
    Nobody,
}

/// How urgent a task is, for the CRM's priority field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Priority {
    High,
    Normal,
    Low,
}

/// One write.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Write {
    /// Upsert the new lead by its key.
    Lead {
        key: String,
        phone: Option<String>,
        first_name: Option<String>,
        last_name: String,
    },
    /// The missed call as an activity, upserted by the event id.
    Call {
        person: Person,
        /// An amended redelivery: the activity exists, update it.
        update: bool,
        subject: String,
        body: String,
        disposition: &'static str,
        voicemail: bool,
        recording: Option<String>,
    },
    /// A staff task, upserted by `event:step`.
    Task {
        key: String,
        person: Person,
        subject: String,
        body: String,
        due_at: Timestamp,
        priority: Priority,
        owner: Option<String>,
        call: bool,
        /// An amended redelivery: a found task is updated (CRMs without an upsert).
        update: bool,
    },
    /// The open follow-up's task: its due time moves (not a second task).
    MoveTask {
        task_id: String,
        due_at: Timestamp,
        body: String,
    },
    /// Opt-outs heard in the call.
    OptOut {
        person: Person,
        channels: Vec<Channel>,
    },
}

/// Something the decision asked for that the sync does not write, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Skip {
    pub what: String,
    pub reason: String,
}

/// The local date `yyyy-mm-dd` of a local RFC 3339 time, or the UTC date.
pub(crate) fn local_date(local: &str, at: Timestamp) -> String {
    match local.get(..10) {
        Some(d) if d.as_bytes().get(4) == Some(&b'-') => d.to_string(),
        _ => at.utc().format("%Y-%m-%d").to_string(),
    }
}

fn disposition(subject: &SyncSubject) -> &'static str {
    if subject.left_voicemail {
        return "Missed - voicemail";
    }
    match subject.category {
        Some(Category::Abandoned) => "Missed - abandoned",
        Some(Category::AfterHours) => "Missed - after hours",
        _ => "Missed - no answer",
    }
}

fn caller_text(subject: &SyncSubject) -> String {
    subject
        .caller
        .e164
        .clone()
        .unwrap_or_else(|| "a withheld number".to_string())
}

fn call_body(subject: &SyncSubject) -> String {
    let mut b = String::new();
    let to = subject
        .record
        .interaction
        .as_ref()
        .and_then(|i| i.tracking_number.clone())
        .map(|t| format!(" to {t}"))
        .unwrap_or_default();
    b.push_str(&format!(
        "Inbound call{to} at {} was not answered",
        if subject.occurred_at_local.is_empty() {
            subject.occurred_at.to_rfc3339()
        } else {
            subject.occurred_at_local.clone()
        }
    ));
    if let Some(i) = &subject.record.interaction {
        if !i.reason.is_empty() {
            b.push_str(&format!(" ({})", i.reason));
        }
    }
    b.push('.');
    if let Some(intent) = &subject.intent {
        b.push_str(&format!(
            " Likely: {} ({} urgency).",
            if intent.label.is_empty() {
                &intent.inquiry_type
            } else {
                &intent.label
            },
            intent.urgency.as_str()
        ));
    }
    if let Some(i) = &subject.record.interaction {
        if let Some(v) = &i.voicemail_summary {
            b.push_str(&format!(" Voicemail: {v}"));
            if !v.ends_with(['.', '!', '?']) {
                b.push('.');
            }
        }
        if let Some(u) = &i.recording_url {
            b.push_str(&format!(" Recording: {u}."));
        }
    }
    b.push_str(&format!(" Ringback event {}.", subject.event_id));
    b
}

fn priority(subject: &SyncSubject, tier: u8) -> Priority {
    let urgency = subject.intent.as_ref().map(|i| i.urgency);
    match urgency {
        Some(Urgency::Critical | Urgency::High) => Priority::High,
        _ if tier >= 2 => Priority::High,
        Some(Urgency::Low) => Priority::Low,
        _ => Priority::Normal,
    }
}

fn is_staff(step: &SyncStep) -> bool {
    matches!(step.action, StepAction::CallTask | StepAction::ManualTask)
}

/// The writes of a decision, and what it asked for that is not written.
pub(crate) fn plan(subject: &SyncSubject, config: &Config) -> (Vec<Write>, Vec<Skip>) {
    let mut writes = Vec::new();
    let mut skips = Vec::new();
    match subject.status {
        Status::DuplicateEvent => {
            skips.push(Skip {
                what: "everything".to_string(),
                reason: "duplicate_event: the call is already in the CRM".to_string(),
            });
            return (writes, skips);
        }
        Status::NotMissed => {
            skips.push(Skip {
                what: "everything".to_string(),
                reason: "not_missed: the call was answered".to_string(),
            });
            return (writes, skips);
        }
        _ => {}
    }
    let r = &subject.record;
    let amended = subject.status == Status::Amended;
    let person = match r.action {
        RecordAction::CreateLead => {
            let key = r.upsert_key.clone().unwrap_or_else(|| {
                crate::model::crm::upsert_key(subject.caller.e164.as_deref(), &subject.event_id)
            });
            let lead = r.new_lead.clone().unwrap_or_default();
            let phone = lead.phone.or_else(|| subject.caller.e164.clone());
            let last_name = lead
                .last_name
                .clone()
                .unwrap_or_else(|| format!("Caller {}", phone.as_deref().unwrap_or("(withheld)")));
            writes.push(Write::Lead {
                key,
                phone,
                first_name: lead.first_name,
                last_name,
            });
            Person::Created
        }
        RecordAction::NeedsResolution => Person::Nobody,
        RecordAction::None => {
            skips.push(Skip {
                what: "everything".to_string(),
                reason: "the decision writes no record".to_string(),
            });
            return (writes, skips);
        }
        _ => match &r.contact_id {
            Some(id) => Person::Existing {
                id: id.clone(),
                kind: subject.contact_kind(),
            },
            None => Person::Nobody,
        },
    };

    // The missed call itself. A shared line's call is not logged on any of its contacts
    // (it would appear on each); the resolution task carries it.
    if person != Person::Nobody {
        writes.push(Write::Call {
            person: person.clone(),
            update: amended,
            subject: format!("Missed call from {}", caller_text(subject)),
            body: call_body(subject),
            disposition: disposition(subject),
            voicemail: subject.left_voicemail,
            recording: r.interaction.as_ref().and_then(|i| i.recording_url.clone()),
        });
    }

    // A shared line: one task listing the candidates, linked to no one.
    if person == Person::Nobody {
        let due_at = subject
            .sla
            .as_ref()
            .map(|s| s.due_at)
            .or_else(|| subject.follow_up.first().map(|s| s.at))
            .unwrap_or(subject.occurred_at);
        let ids: Vec<String> = r
            .candidates
            .iter()
            .map(|c| {
                let kind = if c.kind == ContactKind::Customer {
                    "customer"
                } else {
                    "lead"
                };
                format!("{} ({kind})", c.contact_id)
            })
            .collect();
        let tier = subject.sla.as_ref().map_or(1, |s| s.tier.max(1));
        writes.push(Write::Task {
            key: format!("{}:resolve", subject.event_id),
            person: Person::Nobody,
            subject: format!("Resolve: missed call from {} on a shared line", caller_text(subject)),
            body: format!(
                "{} The number is on {} records: {}. Pick the caller, log the call there and follow up.",
                call_body(subject),
                ids.len(),
                ids.join(", ")
            ),
            due_at,
            priority: priority(subject, tier),
            owner: config.owners.owner(&subject.location_id, tier).map(str::to_string),
            call: false,
            update: amended,
        });
        for step in &subject.follow_up {
            skips.push(Skip {
                what: format!("step {}", step.id),
                reason: "a shared line: the resolution task stands for the follow-up".to_string(),
            });
        }
        if !subject.consent_updates.is_empty() {
            skips.push(Skip {
                what: "opt-out".to_string(),
                reason: "a shared line: no single record to mark".to_string(),
            });
        }
        return (writes, skips);
    }

    // Staff tasks. The first one is due when the SLA is (the commitment), unless a
    // compliance deferral puts the step later.
    let open_task = match r.action {
        RecordAction::AppendToOpenFollowup => {
            r.repeat.as_ref().and_then(|p| p.open_followup_id.clone())
        }
        _ => None,
    };
    let mut first = true;
    let mut moved = false;
    for step in &subject.follow_up {
        if !is_staff(step) {
            skips.push(Skip {
                what: format!("step {}", step.id),
                reason: format!(
                    "{}: sent by the messaging adapter, not a CRM task",
                    step.action.as_str()
                ),
            });
            continue;
        }
        if step.compliance.verdict == Verdict::Blocked {
            let rules: Vec<&str> = step
                .compliance
                .reasons
                .iter()
                .map(|r| r.rule.as_str())
                .collect();
            skips.push(Skip {
                what: format!("step {}", step.id),
                reason: format!("blocked by compliance ({})", rules.join(", ")),
            });
            continue;
        }
        let due_at = match (&subject.sla, first) {
            (Some(sla), true) if sla.due_at.utc() > step.at.utc() => sla.due_at,
            _ => step.at,
        };
        let was_first = first;
        first = false;
        if let (Some(task_id), true) = (&open_task, was_first) {
            writes.push(Write::MoveTask {
                task_id: task_id.clone(),
                due_at,
                body: format!(
                    "{} called again ({}). {}",
                    caller_text(subject),
                    subject.event_id,
                    call_body(subject)
                ),
            });
            moved = true;
            continue;
        }
        if moved {
            // The open follow-up covers the case; its later steps are staff's to plan.
            skips.push(Skip {
                what: format!("step {}", step.id),
                reason: "the open follow-up task covers this call".to_string(),
            });
            continue;
        }
        let tier = step.assignee_tier.max(1);
        let sla_text = subject
            .sla
            .as_ref()
            .map(|s| format!(" (SLA {} min, tier {tier})", s.minutes))
            .unwrap_or_default();
        let (subject_line, call) = match step.action {
            StepAction::CallTask => (
                format!("Call back {}{sla_text}", caller_text(subject)),
                true,
            ),
            _ => (
                format!("Review missed call from {}{sla_text}", caller_text(subject)),
                false,
            ),
        };
        let body = call_body(subject);
        writes.push(Write::Task {
            key: format!("{}:{}", subject.event_id, step.id),
            person: person.clone(),
            subject: subject_line,
            body,
            due_at,
            priority: priority(subject, tier),
            owner: config
                .owners
                .owner(&subject.location_id, tier)
                .map(str::to_string),
            call,
            update: amended,
        });
    }

    let revoked: Vec<Channel> = subject
        .consent_updates
        .iter()
        .filter(|c| c.status == "revoked")
        .map(|c| c.channel)
        .collect();
    if !revoked.is_empty() {
        writes.push(Write::OptOut {
            person,
            channels: revoked,
        });
    }
    (writes, skips)
}
