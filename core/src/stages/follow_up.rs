//! Stages 8–10, channel choice and the follow-up plan (SPEC §4.8, §4.10): the first touch on
//! the first channel the compliance gate allows (contact preference, then the policy order
//! for the vertical and category; no texts to landlines, email only with an address), a
//! staff callback due by the SLA, the policy's further steps, and a tier-1 manual task with
//! the reasons when nothing is allowed.

use chrono::{DateTime, Duration, Utc};

use super::audit::Trace;
use super::callee::CalleeCtx;
use crate::compile::{CompiledLocation, CompiledPolicy};
use crate::compliance::gate::{self, GateCtx, StepRequest};
use crate::compliance::opt_out::{self, OptOut};
use crate::compliance::suppression::List;
use crate::compliance::{calling_hours::CallingRule, vertical};
use crate::crm_index::CrmSource;
use crate::model::crm::{Contact, LineType, RecentEventKind};
use crate::model::decision::{
    Category, Compliance, ComplianceReason, ConsentUpdate, FollowUpStep, StepAction, Verdict,
};
use crate::model::event::MissedCallEvent;
use crate::model::policy::{Channel, Purpose};
use crate::model::time::Timestamp;

const STAGE: &str = "follow_up";

/// Everything the plan needs.
pub struct PlanInput<'a, S: CrmSource + ?Sized> {
    /// The event.
    pub event: &'a MissedCallEvent,
    /// "Now".
    pub now: DateTime<Utc>,
    /// The location.
    pub loc: &'a CompiledLocation,
    /// The policy (regions for suppression lists).
    pub policy: &'a CompiledPolicy,
    /// The missed-call category.
    pub category: Category,
    /// The caller's E.164 number (callable).
    pub e164: &'a str,
    /// Every contact on the number.
    pub contacts: &'a [&'a Contact],
    /// The primary contact.
    pub primary: Option<&'a Contact>,
    /// The callee's zones and rules.
    pub callee: &'a CalleeCtx,
    /// A first-touch cooldown from an earlier call, if active.
    pub cooldown_until: Option<DateTime<Utc>>,
    /// The CRM (suppression lists).
    pub crm: &'a S,
}

/// What the plan stage decided.
#[derive(Debug, Default)]
pub struct Plan {
    /// The steps in order.
    pub steps: Vec<FollowUpStep>,
    /// Consent changes to write back.
    pub consent_updates: Vec<ConsentUpdate>,
    /// Every channel is blocked because the person asked not to be contacted.
    pub suppressed: bool,
    /// Only a manual task could be planned (for reasons other than suppression).
    pub manual_only: bool,
}

fn action_for(c: Channel) -> StepAction {
    match c {
        Channel::Sms => StepAction::SendSms,
        Channel::Voice => StepAction::CallTask,
        Channel::Email => StepAction::SendEmail,
    }
}

/// Channel candidates in order, with the reasons some were left out.
fn candidates(input: &PlanInput<'_, impl CrmSource + ?Sized>, trace: &mut Trace) -> Vec<Channel> {
    let cfg = &input.loc.config.channels;
    let mut list: Vec<Channel> = Vec::new();
    if let Some(p) = input
        .primary
        .and_then(|c| c.preferred_channel.as_deref())
        .and_then(Channel::parse)
    {
        list.push(p);
    }
    let order = cfg
        .by_category
        .get(input.category.as_str())
        .unwrap_or(&cfg.order);
    for c in order {
        if !list.contains(c) {
            list.push(*c);
        }
    }
    let landline = input.callee.decision.line_type == LineType::Landline;
    let has_email = input
        .primary
        .is_some_and(|c| c.emails.iter().any(|e| e.contains('@')));
    let mut out = Vec::new();
    for c in list {
        match c {
            Channel::Sms if landline => trace.push(
                STAGE,
                "channel_candidate",
                "skip_sms",
                "landline: cannot receive texts",
            ),
            Channel::Email if !has_email => trace.push(
                STAGE,
                "channel_candidate",
                "skip_email",
                "no email address on record",
            ),
            _ => out.push(c),
        }
    }
    trace.push(
        STAGE,
        "channel_order",
        out.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(","),
        format!(
            "preference {}, policy order for {}",
            input
                .primary
                .and_then(|c| c.preferred_channel.as_deref())
                .unwrap_or("none"),
            input.category.as_str()
        ),
    );
    out
}

fn template_for(input: &PlanInput<'_, impl CrmSource + ?Sized>, c: Channel) -> Option<String> {
    let f = &input.loc.config.follow_up;
    match c {
        Channel::Sms => Some(f.first_touch_template.clone()),
        Channel::Email => Some(f.first_touch_email_template.clone()),
        Channel::Voice => None,
    }
}

/// Builds the plan.
pub fn run<S: CrmSource + ?Sized>(input: &PlanInput<'_, S>, trace: &mut Trace) -> Plan {
    let mut plan = Plan::default();
    let loc = input.loc;
    let cfg = &loc.config;

    // Opt-out language in the voicemail revokes every channel at once.
    let found: Option<OptOut> = input
        .event
        .voicemail
        .as_ref()
        .and_then(|v| v.transcript_text())
        .and_then(opt_out::detect);
    match &found {
        Some(o) => {
            trace.push(
                "compliance",
                "opt_out_language",
                "revoked",
                format!(
                    "voicemail says \"{}\" ({}) [{}]",
                    o.phrase,
                    o.rule,
                    crate::compliance::suppression::REVOCATION_SOURCE
                ),
            );
            for c in [Channel::Sms, Channel::Voice, Channel::Email] {
                plan.consent_updates.push(ConsentUpdate {
                    channel: c,
                    status: "revoked",
                    reason: format!(
                        "opt-out in voicemail of {}: \"{}\"",
                        input.event.event_id, o.phrase
                    ),
                });
            }
        }
        None => trace.push(
            "compliance",
            "opt_out_language",
            "none",
            "no opt-out language heard",
        ),
    }

    let email = input
        .primary
        .and_then(|c| c.emails.iter().find(|e| e.contains('@')))
        .map(|e| e.trim().to_ascii_lowercase());
    let on_list = |list: List, key: Option<&str>| {
        key.is_some_and(|k| input.crm.is_suppressed(list, k, input.policy))
    };
    let sent: Vec<DateTime<Utc>> = {
        let mut seen: Vec<(&str, DateTime<Utc>)> = input
            .contacts
            .iter()
            .flat_map(|c| c.recent_events.iter())
            .filter(|r| {
                matches!(
                    r.kind,
                    RecentEventKind::SmsSent | RecentEventKind::CallAttempt
                )
            })
            .map(|r| (r.event_id.as_str(), r.occurred_at.utc()))
            .collect();
        seen.sort_unstable();
        seen.dedup_by(|a, b| a.0 == b.0);
        seen.into_iter().map(|(_, t)| t).collect()
    };
    let cap = cap_for(&input.callee.rules, cfg.compliance.max_contacts_per_24h);
    let ctx = GateCtx {
        loc,
        contacts: input.contacts,
        zones: &input.callee.zones,
        rules: &input.callee.rules,
        canadian: input.callee.canadian,
        opt_out: found.as_ref(),
        on_list: [
            on_list(List::DoNotCall, Some(input.e164)),
            on_list(List::DoNotText, Some(input.e164)),
            on_list(List::DoNotEmail, email.as_deref()),
        ],
        sent,
        cap,
        inquiry_at: input.event.occurred_at.utc(),
    };

    let archive = vertical::archive_required(loc.vertical);
    let disclosure = archive.then(|| cfg.compliance.financial_disclosure.clone());
    if vertical::phi_free_sms(loc.vertical) {
        trace.push(
            "compliance",
            "phi_free_sms",
            "required",
            format!(
                "{}: texts carry no health details (HIPAA minimum necessary)",
                loc.vertical.as_str()
            ),
        );
    }
    let mut planned: Vec<DateTime<Utc>> = Vec::new();
    let mut all_blocks: Vec<ComplianceReason> = Vec::new();
    let push_step = |plan: &mut Plan,
                     id: &str,
                     channel: Channel,
                     purpose: Purpose,
                     template_id: Option<String>,
                     compliance: Compliance,
                     at: DateTime<Utc>,
                     planned: &mut Vec<DateTime<Utc>>| {
        if channel != Channel::Email {
            planned.push(at);
        }
        let step = plan.steps.len() as u32 + 1;
        plan.steps.push(FollowUpStep {
            step,
            id: id.to_string(),
            action: action_for(channel),
            channel: Some(channel),
            at: Timestamp::from_utc(at),
            template_id: if channel == Channel::Voice {
                None
            } else {
                template_for_id(template_id)
            },
            purpose,
            assignee_tier: 1,
            archive_required: archive && channel != Channel::Voice,
            disclosure: if channel != Channel::Voice {
                disclosure.clone()
            } else {
                None
            },
            compliance,
        });
    };

    let channels = candidates(input, trace);
    let mut first_channel: Option<Channel> = None;
    let cooldown = input.cooldown_until.filter(|u| *u > input.now);
    if !cfg.follow_up.first_touch {
        trace.push(
            STAGE,
            "first_touch",
            "disabled",
            "policy follow_up.first_touch is false",
        );
    } else if let Some(until) = cooldown {
        trace.push(
            STAGE,
            "first_touch",
            "cooldown",
            format!(
                "repeat caller: no second first touch before {}",
                Timestamp::from_utc(until).to_rfc3339()
            ),
        );
    } else {
        for c in &channels {
            let req = StepRequest {
                id: "first_touch",
                channel: *c,
                purpose: Purpose::Responsive,
                first_touch: true,
                at: input.now,
            };
            let (comp, at) = gate::evaluate(&ctx, req, &planned, trace);
            if comp.verdict == Verdict::Blocked {
                all_blocks.extend(comp.reasons);
                continue;
            }
            push_step(
                &mut plan,
                "first_touch",
                *c,
                Purpose::Responsive,
                template_for(input, *c),
                comp,
                at,
                &mut planned,
            );
            first_channel = Some(*c);
            break;
        }
    }

    if cfg.follow_up.callback
        && first_channel != Some(Channel::Voice)
        && channels.contains(&Channel::Voice)
    {
        let req = StepRequest {
            id: "callback",
            channel: Channel::Voice,
            purpose: Purpose::Responsive,
            first_touch: false,
            at: input.now,
        };
        let (comp, at) = gate::evaluate(&ctx, req, &planned, trace);
        if comp.verdict == Verdict::Blocked {
            all_blocks.extend(comp.reasons);
        } else {
            push_step(
                &mut plan,
                "callback",
                Channel::Voice,
                Purpose::Responsive,
                None,
                comp,
                at,
                &mut planned,
            );
        }
    }

    for extra in &cfg.follow_up.steps {
        let want =
            input.event.occurred_at.utc() + Duration::minutes(i64::from(extra.after_minutes));
        let req = StepRequest {
            id: &extra.id,
            channel: extra.channel,
            purpose: extra.purpose,
            first_touch: false,
            at: want.max(input.now),
        };
        if extra.channel == Channel::Sms && input.callee.decision.line_type == LineType::Landline {
            trace.push(
                STAGE,
                "extra_step",
                "skip",
                format!("{}: landline cannot receive texts", extra.id),
            );
            continue;
        }
        if extra.channel == Channel::Email && email.is_none() {
            trace.push(
                STAGE,
                "extra_step",
                "skip",
                format!("{}: no email address", extra.id),
            );
            continue;
        }
        let (comp, at) = gate::evaluate(&ctx, req, &planned, trace);
        if comp.verdict == Verdict::Blocked {
            trace.push(
                STAGE,
                "extra_step",
                "blocked",
                format!("{} not planned", extra.id),
            );
            continue;
        }
        push_step(
            &mut plan,
            &extra.id,
            extra.channel,
            extra.purpose,
            extra.template_id.clone(),
            comp,
            at,
            &mut planned,
        );
    }

    if plan.steps.is_empty() && cooldown.is_none() && cfg.follow_up.first_touch {
        all_blocks.sort_by(|a, b| (a.rule, &a.detail).cmp(&(b.rule, &b.detail)));
        all_blocks.dedup();
        plan.suppressed = !all_blocks.is_empty() && all_blocks.iter().all(gate::is_suppression);
        plan.manual_only = !plan.suppressed;
        trace.push(
            STAGE,
            "manual_task",
            if plan.suppressed {
                "suppressed"
            } else {
                "no_channel_allowed"
            },
            all_blocks
                .iter()
                .map(|r| r.rule)
                .collect::<Vec<_>>()
                .join(","),
        );
        plan.steps.push(FollowUpStep {
            step: 1,
            id: "manual_review".to_string(),
            action: StepAction::ManualTask,
            channel: None,
            at: Timestamp::from_utc(input.now),
            template_id: None,
            purpose: Purpose::Responsive,
            assignee_tier: 1,
            archive_required: false,
            disclosure: None,
            compliance: Compliance {
                verdict: Verdict::Blocked,
                until: None,
                reasons: all_blocks,
            },
        });
    }
    plan
}

fn template_for_id(t: Option<String>) -> Option<String> {
    t.filter(|s| !s.is_empty())
}

/// The lowest cap among the callee's state rules and the policy-wide cap.
fn cap_for(rules: &[&'static CallingRule], policy_cap: Option<u32>) -> Option<(u32, String)> {
    let mut best: Option<(u32, String)> =
        policy_cap.map(|c| (c, "policy compliance.max_contacts_per_24h".to_string()));
    for r in rules {
        if let Some(c) = r.max_attempts_per_24h {
            if best.as_ref().is_none_or(|(b, _)| c <= *b) {
                best = Some((c, format!("{}: {}", r.code, r.law_name)));
            }
        }
    }
    best
}
