//! Stages 8–10, channel choice and the follow-up plan (SPEC §4.8, §4.10): the first touch on
//! the first channel the compliance gate allows (contact preference, then the policy order
//! for the vertical and category; no texts to landlines, email only with an address), a
//! staff callback due by the SLA, the policy's further steps, and a tier-1 manual task with
//! the reasons when nothing is allowed.

use chrono::{DateTime, Duration, Utc};

use super::callee::CalleeCtx;
use crate::compile::{CompiledLocation, CompiledPolicy};
use crate::compliance::gate::{self, GateCtx, StepRequest};
use crate::compliance::opt_out::{self, OptOut};
use crate::compliance::suppression::List;
use crate::compliance::{calling_hours::CallingRule, vertical};
use crate::crm_index::CrmSource;
use crate::learning::LearningState;
use crate::model::crm::{Contact, LineType, RecentEventKind};
use crate::model::decision::{
    Category, Compliance, ComplianceReason, ConsentUpdate, FollowUpStep, Intent, Sla, StepAction,
    Verdict,
};
use crate::model::event::MissedCallEvent;
use crate::model::policy::{Channel, Purpose};
use crate::model::time::Timestamp;
use crate::templates::{CompiledTemplate, Rendered, Selector, TemplateSet, VariantChoice, Vars};
use crate::trace::Trace;

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
    /// What the caller wants.
    pub intent: &'a Intent,
    /// The SLA (the callback window in messages).
    pub sla: &'a Sla,
    /// Message templates.
    pub templates: &'a TemplateSet,
    /// Learned posteriors for Thompson sampling, when given.
    pub learning: Option<&'a LearningState>,
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
    trace_push!(
        trace,
        STAGE,
        "channel_order",
        out.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(","),
        "preference {}, policy order for {}",
        input
            .primary
            .and_then(|c| c.preferred_channel.as_deref())
            .unwrap_or("none"),
        input.category.as_str()
    );
    out
}

/// `(602) 555-0100` for NANP numbers, else as given.
fn display_phone(raw: &str) -> String {
    let d: String = raw.chars().filter(char::is_ascii_digit).collect();
    let d = d.strip_prefix('1').filter(|x| x.len() == 10).unwrap_or(&d);
    if d.len() == 10 {
        text!("({}) {}-{}", &d[..3], &d[3..6], &d[6..])
    } else {
        raw.to_string()
    }
}

/// "within 30 minutes", "by 6:00 PM", or "Wed by 9:25 AM", from the SLA due at the location.
fn callback_window(input: &PlanInput<'_, impl CrmSource + ?Sized>) -> String {
    let due = input.sla.due_at.utc();
    let minutes = (due - input.now).num_minutes();
    let tz = input.loc.tz.0;
    let local_due = due.with_timezone(&tz);
    if minutes <= 90 {
        text!("within {} minutes", minutes.max(5))
    } else if local_due.date_naive() == input.now.with_timezone(&tz).date_naive() {
        text!("by {}", local_due.format("%-I:%M %p"))
    } else {
        text!(
            "{} by {}",
            local_due.format("%A"),
            local_due.format("%-I:%M %p")
        )
    }
}

/// The template of a step: the pinned one, or the most specific one for the step's purpose
/// (informational steps fall back to responsive templates).
fn pick<'t>(
    input: &PlanInput<'t, impl CrmSource + ?Sized>,
    channel: Channel,
    purpose: Purpose,
    pinned: Option<&str>,
) -> Option<&'t CompiledTemplate> {
    let loc = input.loc;
    let select = |p: Purpose| {
        input.templates.select(&Selector {
            channel,
            vertical: loc.vertical,
            inquiry_type: Some(&input.intent.inquiry_type),
            cohort: Some(input.intent.cohort),
            category: input.category.as_str(),
            urgency: Some(input.intent.urgency),
            locale: &loc.config.locale,
            purpose: p,
        })
    };
    match pinned.filter(|p| !p.is_empty()) {
        Some(id) => input.templates.get(id),
        None => select(purpose).or_else(|| {
            (purpose == Purpose::Informational)
                .then(|| select(Purpose::Responsive))
                .flatten()
        }),
    }
}

/// Renders a step's message (only for steps that are planned).
fn render(
    input: &PlanInput<'_, impl CrmSource + ?Sized>,
    template: Option<&CompiledTemplate>,
    channel: Channel,
    first_text: bool,
    trace: &mut Trace,
) -> Option<Rendered> {
    let template = template?;
    let loc = input.loc;
    let first_name = input
        .primary
        .and_then(|c| c.first_name.as_deref())
        .filter(|n| !n.trim().is_empty());
    let vars = Vars {
        first_name,
        business_name: &loc.name,
        location_phone: loc.config.phone.as_deref().map(display_phone),
        inquiry_label: Some(&input.intent.label),
        callback_window: template
            .uses_callback_window()
            .then(|| callback_window(input)),
    };
    let learn = &loc.config.learning;
    let sensitive = matches!(
        loc.vertical,
        crate::model::policy::Vertical::Financial
            | crate::model::policy::Vertical::MedSpa
            | crate::model::policy::Vertical::Dental
    ) || learn
        .excluded_cohorts
        .iter()
        .any(|c| c == input.intent.cohort.as_str());
    let choice = match (sensitive, learn.thompson_sampling, input.learning) {
        (true, _, _) => VariantChoice::Off,
        (false, true, Some(state)) => VariantChoice::Thompson {
            event_id: &input.event.event_id,
            state,
            location_id: &loc.id,
        },
        _ => VariantChoice::Sticky { caller: input.e164 },
    };
    let disclosure = vertical::archive_required(loc.vertical)
        .then_some(loc.config.compliance.financial_disclosure.as_str());
    let r = template.render(&vars, choice, first_text, disclosure);
    trace_push!(
        trace,
        "template",
        "selected",
        r.template_id.clone(),
        "{} {} variant {}{}",
        channel.as_str(),
        r.purpose.as_str(),
        r.variant_id,
        r.sms
            .map(|i| text!(", {} {} segment(s)", i.encoding.as_str(), i.segments))
            .unwrap_or_default()
    );
    Some(r)
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
            trace_push!(
                trace,
                "compliance",
                "opt_out_language",
                "revoked",
                "voicemail says \"{}\" ({}) [{}]",
                o.phrase,
                o.rule,
                crate::compliance::suppression::REVOCATION_SOURCE
            );
            for c in [Channel::Sms, Channel::Voice, Channel::Email] {
                plan.consent_updates.push(ConsentUpdate {
                    channel: c,
                    status: "revoked",
                    reason: text!(
                        "opt-out in voicemail of {}: \"{}\"",
                        input.event.event_id,
                        o.phrase
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
        trace_push!(
            trace,
            "compliance",
            "phi_free_sms",
            "required",
            "{}: texts carry no health details (HIPAA minimum necessary)",
            loc.vertical.as_str()
        );
    }
    let mut planned: Vec<DateTime<Utc>> = Vec::new();
    let mut all_blocks: Vec<ComplianceReason> = Vec::new();
    let push_step = |plan: &mut Plan,
                     id: &str,
                     channel: Channel,
                     purpose: Purpose,
                     rendered: Option<Rendered>,
                     compliance: Compliance,
                     at: DateTime<Utc>,
                     planned: &mut Vec<DateTime<Utc>>| {
        if channel != Channel::Email {
            planned.push(at);
        }
        let mut step = FollowUpStep::new(
            plan.steps.len() as u32 + 1,
            id,
            action_for(channel),
            Some(channel),
            Timestamp::from_utc(at),
            purpose,
            compliance,
        );
        step.archive_required = archive && channel != Channel::Voice;
        step.disclosure = if channel != Channel::Voice {
            disclosure.clone()
        } else {
            None
        };
        if let Some(r) = rendered {
            step.template_id = Some(r.template_id);
            step.experiment_id = Some(r.experiment_id);
            step.variant_id = Some(r.variant_id);
            step.subject = r.subject;
            step.body = Some(r.body);
            step.encoding = r.sms.map(|i| i.encoding);
            step.segments = r.sms.map(|i| i.segments);
        }
        plan.steps.push(step);
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
        trace_push!(
            trace,
            STAGE,
            "first_touch",
            "cooldown",
            "repeat caller: no second first touch before {}",
            Timestamp::from_utc(until).to_rfc3339()
        );
    } else {
        for c in &channels {
            let pinned = match c {
                Channel::Sms => Some(cfg.follow_up.first_touch_template.as_str()),
                Channel::Email => Some(cfg.follow_up.first_touch_email_template.as_str()),
                Channel::Voice => None,
            };
            let template = pick(input, *c, Purpose::Responsive, pinned);
            let purpose = template
                .map(|t| t.def.purpose)
                .unwrap_or(Purpose::Responsive);
            let req = StepRequest {
                id: "first_touch",
                channel: *c,
                purpose,
                first_touch: true,
                at: input.now,
            };
            let (comp, at) = gate::evaluate(&ctx, req, &planned, trace);
            if comp.verdict == Verdict::Blocked {
                all_blocks.extend(comp.reasons);
                continue;
            }
            let rendered = render(input, template, *c, *c == Channel::Sms, trace);
            push_step(
                &mut plan,
                "first_touch",
                *c,
                purpose,
                rendered,
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
            let template = pick(input, Channel::Voice, Purpose::Responsive, None);
            let script = render(input, template, Channel::Voice, false, trace);
            push_step(
                &mut plan,
                "callback",
                Channel::Voice,
                Purpose::Responsive,
                script,
                comp,
                at,
                &mut planned,
            );
        }
    }

    for extra in &cfg.follow_up.steps {
        let want =
            input.event.occurred_at.utc() + Duration::minutes(i64::from(extra.after_minutes));
        let first_text = extra.channel == Channel::Sms && !planned_sms(&plan);
        let template = pick(
            input,
            extra.channel,
            extra.purpose,
            extra.template_id.as_deref(),
        );
        // A marketing template makes the step marketing, whatever the step says.
        let purpose = match template.map(|t| t.def.purpose) {
            Some(Purpose::Marketing) => Purpose::Marketing,
            _ => extra.purpose,
        };
        let req = StepRequest {
            id: &extra.id,
            channel: extra.channel,
            purpose,
            first_touch: false,
            at: want.max(input.now),
        };
        if extra.channel == Channel::Sms && input.callee.decision.line_type == LineType::Landline {
            trace_push!(
                trace,
                STAGE,
                "extra_step",
                "skip",
                "{}: landline cannot receive texts",
                extra.id
            );
            continue;
        }
        if extra.channel == Channel::Email && email.is_none() {
            trace_push!(
                trace,
                STAGE,
                "extra_step",
                "skip",
                "{}: no email address",
                extra.id
            );
            continue;
        }
        let (comp, at) = gate::evaluate(&ctx, req, &planned, trace);
        if comp.verdict == Verdict::Blocked {
            trace_push!(
                trace,
                STAGE,
                "extra_step",
                "blocked",
                "{} not planned",
                extra.id
            );
            continue;
        }
        let rendered = render(input, template, extra.channel, first_text, trace);
        push_step(
            &mut plan,
            &extra.id,
            extra.channel,
            purpose,
            rendered,
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
        trace_push!(trace, STAGE, "manual_task", if plan.suppressed {
                "suppressed"
            } else {
                "no_channel_allowed"
            }; all_blocks
                .iter()
                .map(|r| r.rule)
                .collect::<Vec<_>>()
                .join(","));
        plan.steps.push(FollowUpStep::new(
            1,
            "manual_review",
            StepAction::ManualTask,
            None,
            Timestamp::from_utc(input.now),
            Purpose::Responsive,
            Compliance {
                verdict: Verdict::Blocked,
                until: None,
                reasons: all_blocks,
            },
        ));
    }
    plan
}

/// Whether the plan already holds a text (the opt-out line goes on the first one only).
fn planned_sms(plan: &Plan) -> bool {
    plan.steps.iter().any(|s| s.channel == Some(Channel::Sms))
}

/// The lowest cap among the callee's state rules and the policy-wide cap.
fn cap_for(rules: &[&'static CallingRule], policy_cap: Option<u32>) -> Option<(u32, String)> {
    let mut best: Option<(u32, String)> =
        policy_cap.map(|c| (c, "policy compliance.max_contacts_per_24h".to_string()));
    for r in rules {
        if let Some(c) = r.max_attempts_per_24h {
            if best.as_ref().is_none_or(|(b, _)| c <= *b) {
                best = Some((c, text!("{}: {}", r.code, r.law_name)));
            }
        }
    }
    best
}
