//! Stage 7, SLA and escalation (SPEC §4.7): which response-time rule applies, its due
//! instant on the location's calendar (business time when the policy says so), and the
//! escalation ladder with timestamps.

use chrono::{DateTime, Duration, Utc};

use crate::compile::CompiledLocation;
use crate::model::crm::ContactKind;
use crate::model::decision::{EscalationStep, Sla, Urgency};
use crate::model::time::Timestamp;
use crate::trace::Trace;

const STAGE: &str = "sla";

/// What the SLA stage needs to know about the call.
#[derive(Debug, Clone, Copy)]
pub struct SlaInput<'a> {
    /// When the call happened (the clock starts here).
    pub occurred_at: DateTime<Utc>,
    /// Location closed (or vendor said after hours).
    pub after_hours: bool,
    /// Urgency of the inquiry.
    pub urgency: Urgency,
    /// The primary contact's kind, if any.
    pub contact_kind: Option<ContactKind>,
    /// Inquiry type, when known (for immediate tier-3 escalation).
    pub inquiry_type: Option<&'a str>,
}

/// Computes the SLA and the escalation ladder. Never due before `occurred_at`.
pub fn run(
    loc: &CompiledLocation,
    input: SlaInput<'_>,
    trace: &mut Trace,
) -> (Sla, Vec<EscalationStep>) {
    let cfg = &loc.config.sla;
    let esc = &loc.config.escalation;
    let cal = &loc.calendar;
    let start = input.occurred_at;
    let horizon = cfg.horizon_days;
    let biz = cfg.business_time;
    // Adds minutes of wall-clock or business time; falls back to wall-clock when the
    // calendar has no open time within the horizon (a location closed for weeks).
    let add = |from: DateTime<Utc>, minutes: u32| -> DateTime<Utc> {
        if biz {
            cal.add_business_minutes(from, minutes, horizon)
                .unwrap_or(from + Duration::minutes(i64::from(minutes)))
        } else {
            from + Duration::minutes(i64::from(minutes))
        }
    };

    let mut handler = esc.tier1_handler.clone();
    let (rule, minutes, due, why): (&'static str, u32, DateTime<Utc>, String) = if input.after_hours
    {
        if input.urgency.is_urgent() && loc.config.on_call {
            handler = esc.on_call_handler.clone();
            let m = cfg.on_call_minutes;
            (
                "after_hours_on_call",
                m,
                start + Duration::minutes(i64::from(m)),
                text!("urgent after-hours call, location has an on-call handler: {m} min"),
            )
        } else {
            let m = cfg.after_hours_minutes_after_open;
            let opening = cal.next_open(start, horizon);
            let due = match opening {
                Some(o) if biz => add(o, m),
                Some(o) => o + Duration::minutes(i64::from(m)),
                None => start + Duration::minutes(i64::from(m)),
            };
            (
                "after_hours_next_open",
                m,
                due,
                match opening {
                    Some(o) => text!(
                        "after hours: next opening {} + {m} min",
                        o.with_timezone(&loc.tz.0).to_rfc3339()
                    ),
                    None => text!("after hours, no opening within {horizon} days: {m} min"),
                },
            )
        }
    } else if input.urgency.is_urgent() {
        let m = cfg.urgent_minutes;
        (
            "urgent",
            m,
            add(start, m),
            text!("{} urgency: {m} min", input.urgency.as_str()),
        )
    } else if input.contact_kind == Some(ContactKind::Customer) {
        match cfg.existing_customer_minutes {
            Some(m) => (
                "existing_customer",
                m,
                add(start, m),
                text!("existing customer, routine: {m} min"),
            ),
            None => {
                let end = cal
                    .business_day_end(start)
                    .unwrap_or(start + Duration::minutes(i64::from(cfg.new_lead_minutes)));
                let m = (end - start).num_minutes().max(0) as u32;
                (
                    "existing_customer_same_business_day",
                    m,
                    end,
                    "existing customer, routine: by the end of the business day".to_string(),
                )
            }
        }
    } else {
        let m = cfg.new_lead_minutes;
        (
            "new_lead",
            m,
            add(start, m),
            text!(
                "{}, routine: {m} min",
                if input.contact_kind == Some(ContactKind::Lead) {
                    "existing lead"
                } else {
                    "new lead"
                }
            ),
        )
    };
    let due = due.max(start);
    trace_push!(
        trace,
        STAGE,
        rule,
        if biz { "business_time" } else { "wall_clock" },
        "{why}; due {}",
        due.with_timezone(&loc.tz.0).to_rfc3339()
    );

    let created = Timestamp::from_utc(start);
    let immediate = input
        .inquiry_type
        .is_some_and(|t| esc.immediate_tier3_inquiry_types.iter().any(|x| x == t));
    let mut ladder = vec![EscalationStep {
        tier: 1,
        handler: handler.clone(),
        at: created,
    }];
    if immediate {
        ladder.push(EscalationStep {
            tier: 3,
            handler: esc.tier3_handler.clone(),
            at: created,
        });
        trace_push!(
            trace,
            STAGE,
            "escalation",
            "immediate_tier3",
            "compliance-sensitive inquiry {}",
            input.inquiry_type.unwrap_or("")
        );
    } else {
        ladder.push(EscalationStep {
            tier: 2,
            handler: esc.tier2_handler.clone(),
            at: Timestamp::from_utc(
                due + Duration::minutes(i64::from(esc.tier2_after_due_minutes)),
            ),
        });
        ladder.push(EscalationStep {
            tier: 3,
            handler: esc.tier3_handler.clone(),
            at: Timestamp::from_utc(
                due + Duration::minutes(i64::from(esc.tier3_after_due_minutes)),
            ),
        });
        trace_push!(
            trace,
            STAGE,
            "escalation",
            "ladder",
            "tier 2 at due + {} min, tier 3 at due + {} min",
            esc.tier2_after_due_minutes,
            esc.tier3_after_due_minutes
        );
    }
    (
        Sla {
            rule,
            minutes,
            business_time: biz,
            urgency: input.urgency,
            due_at: Timestamp::from_utc(due),
            due_at_local: due.with_timezone(&loc.tz.0).to_rfc3339(),
            tier: 1,
            handler,
            adjusted_for: None,
        },
        ladder,
    )
}

/// Moves the SLA when the first allowed contact comes after the rule's due instant: a
/// commitment the law forbids meeting would only page corporate at midnight. The new due is
/// the first allowed contact plus the rule's minutes (capped at one hour for the
/// same-business-day rule); the ladder moves with it.
pub fn adjust_for_first_contact(
    loc: &CompiledLocation,
    sla: &mut Sla,
    ladder: &mut [EscalationStep],
    first_contact: DateTime<Utc>,
    why: &'static str,
    trace: &mut Trace,
) {
    let due = sla.due_at.utc();
    if first_contact <= due {
        return;
    }
    let minutes = if sla.rule == "existing_customer_same_business_day" {
        sla.minutes.min(60)
    } else {
        sla.minutes
    };
    let new_due = first_contact + Duration::minutes(i64::from(minutes));
    let shift = new_due - due;
    trace_push!(
        trace,
        STAGE,
        "sla_adjusted",
        why,
        "first allowed contact {} is after due {}; due moved to {}",
        Timestamp::from_utc(first_contact).to_rfc3339(),
        sla.due_at.to_rfc3339(),
        new_due.with_timezone(&loc.tz.0).to_rfc3339()
    );
    sla.due_at = Timestamp::from_utc(new_due);
    sla.due_at_local = new_due.with_timezone(&loc.tz.0).to_rfc3339();
    sla.adjusted_for = Some(why);
    for step in ladder
        .iter_mut()
        .filter(|s| s.tier > 1 && s.at.utc() > first_contact.min(due))
    {
        step.at = Timestamp::from_utc(step.at.utc() + shift);
    }
}
