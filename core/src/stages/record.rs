//! Stage 4, record action: append to the customer, lead or open follow-up, create a lead
//! (with an idempotent upsert key), or ask for resolution; always with the interaction.

use std::borrow::Cow;

use super::caller_id::CallerOutcome;
use super::category::CategoryOutcome;
use super::identity::{IdentityOutcome, Replay};
use crate::compile::CompiledLocation;
use crate::model::crm::ContactKind;
use crate::model::decision::{Category, Interaction, NewLead, Record, RecordAction};
use crate::model::event::MissedCallEvent;
use crate::trace::Trace;

const STAGE: &str = "record";
const SUMMARY_CHARS: usize = 280;

fn summary(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= SUMMARY_CHARS {
        return text;
    }
    let mut out: String = text.chars().take(SUMMARY_CHARS - 1).collect();
    out.push('…');
    out
}

/// Builds the interaction to append.
fn interaction(
    event: &MissedCallEvent,
    category: Category,
    reason: Cow<'static, str>,
    cat: &CategoryOutcome,
    loc: &CompiledLocation,
) -> Interaction {
    let vm = event.voicemail.as_ref();
    Interaction {
        kind: "missed_call",
        event_id: event.event_id.clone(),
        category,
        reason,
        occurred_at: event.occurred_at,
        occurred_at_local: cat.local.to_rfc3339(),
        location_id: loc.id.clone(),
        tracking_number: event.tracking_number.clone(),
        raw_disposition: event.raw_disposition.clone(),
        attribution: event.attribution.clone(),
        voicemail_summary: vm.and_then(|v| v.transcript_text()).map(summary),
        recording_url: vm.and_then(|v| v.recording_url.clone()),
    }
}

/// Runs stage 4.
pub fn run(
    event: &MissedCallEvent,
    loc: &CompiledLocation,
    cat: &CategoryOutcome,
    caller: &CallerOutcome,
    identity: &IdentityOutcome<'_>,
    trace: &mut Trace,
) -> Record {
    let base = |action| Record {
        action,
        contact_id: None,
        candidates: identity.candidates.clone(),
        merge_candidates: identity.merge_candidates.clone(),
        upsert_key: None,
        new_lead: None,
        interaction: None,
        repeat: identity.repeat.clone(),
    };
    let Some(category) = cat.category else {
        trace.push(
            STAGE,
            "record_action",
            "none",
            "answered call: nothing to record",
        );
        return base(RecordAction::None);
    };
    if let Replay::Duplicate { contact_id } = &identity.replay {
        trace_push!(
            trace,
            STAGE,
            "record_action",
            "none",
            "duplicate delivery; already on contact {contact_id}"
        );
        let mut r = base(RecordAction::None);
        r.contact_id = Some(contact_id.clone());
        return r;
    }
    let mut record = base(RecordAction::None);
    record.interaction = Some(interaction(event, category, cat.reason.clone(), cat, loc));

    if identity.shared_line {
        record.action = RecordAction::NeedsResolution;
        trace_push!(
            trace,
            STAGE,
            "record_action",
            "needs_resolution",
            "{} contacts share the number; a person must pick the record",
            identity.matches.len()
        );
        return record;
    }
    if let Some(p) = identity.primary {
        record.contact_id = Some(p.id.clone());
        let (action, why) = match (&identity.repeat, p.kind) {
            (Some(r), _) => (
                RecordAction::AppendToOpenFollowup,
                match &r.open_followup_id {
                    Some(f) => text!("contact {} has open follow-up {f}", p.id),
                    None => text!(
                        "contact {} missed-called within the repeat window; append to that follow-up",
                        p.id
                    ),
                },
            ),
            (None, ContactKind::Customer) => (
                RecordAction::AppendToCustomer,
                text!("existing customer {}", p.id),
            ),
            (None, ContactKind::Lead) => (
                RecordAction::AppendToLead,
                text!("existing lead {}", p.id),
            ),
        };
        record.action = action;
        trace.push(
            STAGE,
            "record_action",
            match action {
                RecordAction::AppendToOpenFollowup => "append_to_open_followup",
                RecordAction::AppendToCustomer => "append_to_customer",
                _ => "append_to_lead",
            },
            why,
        );
        return record;
    }

    // A new lead. The upsert key makes two racing webhooks converge on one record.
    let key = crate::model::crm::upsert_key(caller.caller.e164.as_deref(), &event.event_id);
    record.action = RecordAction::CreateLead;
    record.new_lead = Some(NewLead {
        phone: caller.caller.e164.clone(),
        first_name: caller.person.as_ref().and_then(|p| p.first.clone()),
        last_name: caller.person.as_ref().and_then(|p| p.last.clone()),
        name: caller.person.as_ref().map(|p| p.display.clone()),
        location_id: loc.id.clone(),
        source: "missed_call",
        attribution: event.attribution.clone(),
    });
    trace_push!(trace, STAGE, "record_action", "create_lead"; if caller.caller.e164.is_some() {
        "no contact on this number".to_string()
    } else {
        "no number to match; lead recorded without a phone".to_string()
    });
    trace_push!(trace, STAGE, "upsert_key", "set"; match caller.caller.e164.as_deref() {
        Some(e) => text!("phone:{}", trace.pii(e)),
        None => key.clone(),
    });
    record.upsert_key = Some(key);
    record
}
