//! The compliance gate for one follow-up step: blocks first (suppression and revocation,
//! consent, vertical content), then the timing rules (quiet hours at the callee, frequency
//! caps), which defer the step to the first instant every rule allows. Every rule family
//! writes a trace entry; every block or deferral names its rule and legal source.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use std::borrow::Cow;

use super::calling_hours::CallingRule;
use super::opt_out::OptOut;
use super::{consent, frequency, quiet_hours, suppression, vertical};
use crate::compile::CompiledLocation;
use crate::model::crm::Contact;
use crate::model::decision::{Compliance, ComplianceReason, Verdict};
use crate::model::policy::{Channel, Purpose};
use crate::model::time::Timestamp;
use crate::trace::Trace;

const STAGE: &str = "compliance";

/// What the gate knows about the callee and the history, shared by every step.
#[derive(Debug)]
pub struct GateCtx<'a> {
    /// The location.
    pub loc: &'a CompiledLocation,
    /// Every contact holding the caller's number.
    pub contacts: &'a [&'a Contact],
    /// The callee's candidate zones.
    pub zones: &'a [Tz],
    /// Calling-hours rule sets that apply.
    pub rules: &'a [&'static CallingRule],
    /// Whether the callee is in Canada.
    pub canadian: bool,
    /// Opt-out heard in the voicemail.
    pub opt_out: Option<&'a OptOut>,
    /// Whether the number / address is on the do_not_call, do_not_text, do_not_email list.
    pub on_list: [bool; 3],
    /// Calls and texts already sent to this person (from `recent_events`).
    pub sent: Vec<DateTime<Utc>>,
    /// The lowest applicable cap per 24 hours and where it comes from.
    pub cap: Option<(u32, String)>,
    /// When the missed call happened.
    pub inquiry_at: DateTime<Utc>,
}

/// One step to check.
#[derive(Debug, Clone, Copy)]
pub struct StepRequest<'s> {
    /// Step id, for the trace.
    pub id: &'s str,
    /// The channel.
    pub channel: Channel,
    /// What the message is for.
    pub purpose: Purpose,
    /// The single first-touch reply to the missed call.
    pub first_touch: bool,
    /// When the step wants to run.
    pub at: DateTime<Utc>,
}

fn list_index(c: Channel) -> usize {
    match c {
        Channel::Voice => 0,
        Channel::Sms => 1,
        Channel::Email => 2,
    }
}

/// Whether a block reason is of the suppression family (the person asked not to be
/// contacted), as opposed to a consent or content rule.
pub fn is_suppression(reason: &ComplianceReason) -> bool {
    matches!(
        reason.rule,
        "do_not_contact" | "revoked_consent" | "suppression_list" | "opt_out_language"
    )
}

/// Evaluates one step. Returns the verdict and the instant the step runs at.
/// `planned` are the calls and texts this plan already scheduled.
pub fn evaluate(
    ctx: &GateCtx<'_>,
    req: StepRequest<'_>,
    planned: &[DateTime<Utc>],
    trace: &mut Trace,
) -> (Compliance, DateTime<Utc>) {
    let ch = req.channel.as_str();
    let mut blocks: Vec<ComplianceReason> = Vec::new();

    let sup = suppression::check(
        req.channel,
        ctx.contacts,
        ctx.on_list[list_index(req.channel)],
        ctx.opt_out,
    );
    trace_push!(trace, STAGE, "suppression", if sup.is_empty() { "pass" } else { "block" }; if sup.is_empty() {
        text!(
            "{}/{ch}: no revocation, do-not-contact or suppression",
            req.id
        )
    } else {
        text!("{}/{ch}: {}", req.id, describe(&sup))
    });
    blocks.extend(sup);

    let consent_req = consent::Request {
        channel: req.channel,
        purpose: req.purpose,
        first_touch: req.first_touch,
        canadian: ctx.canadian,
        at: req.at,
        inquiry_at: ctx.inquiry_at,
    };
    match consent::check(&consent_req, ctx.contacts) {
        Ok(basis) => trace_push!(
            trace,
            STAGE,
            "consent",
            "pass",
            "{}/{ch} {}: basis {basis}",
            req.id,
            req.purpose.as_str()
        ),
        Err(r) => {
            trace_push!(
                trace,
                STAGE,
                "consent",
                "block",
                "{}/{ch}: {}",
                req.id,
                describe(std::slice::from_ref(&r))
            );
            blocks.push(r);
        }
    }

    let vert = vertical::check(ctx.loc.vertical, &ctx.loc.config, req.channel, ctx.contacts);
    trace_push!(trace, STAGE, "vertical", if vert.is_empty() { "pass" } else { "block" }; if vert.is_empty() {
        text!("{}/{ch}: {} rules pass", req.id, ctx.loc.vertical.as_str())
    } else {
        text!("{}/{ch}: {}", req.id, describe(&vert))
    });
    blocks.extend(vert);

    if !blocks.is_empty() {
        return (
            Compliance {
                verdict: Verdict::Blocked,
                until: None,
                reasons: blocks,
            },
            req.at,
        );
    }

    if req.channel == Channel::Email {
        trace_push!(
            trace,
            STAGE,
            "quiet_hours",
            "exempt",
            "{}/email: email is exempt from calling hours",
            req.id
        );
        return (allowed(), req.at);
    }

    // Timing: quiet hours and frequency caps, until both agree on one instant.
    let mut sent: Vec<DateTime<Utc>> = ctx.sent.clone();
    sent.extend_from_slice(planned);
    let horizon = ctx.loc.config.sla.horizon_days;
    let mut at = req.at;
    let mut quiet_moved = false;
    let mut cap_moved = false;
    for _ in 0..32 {
        let Some(q) = quiet_hours::first_allowed(at, ctx.zones, ctx.rules, horizon) else {
            let r = ComplianceReason {
                rule: "quiet_hours",
                source: Cow::Owned(rule_sources(ctx.rules)),
                detail: text!("no allowed window within {horizon} days"),
            };
            trace_push!(
                trace,
                STAGE,
                "quiet_hours",
                "block",
                "{}/{ch}: {}",
                req.id,
                r.detail
            );
            return (
                Compliance {
                    verdict: Verdict::Blocked,
                    until: None,
                    reasons: vec![r],
                },
                req.at,
            );
        };
        quiet_moved |= q > at;
        let f = match &ctx.cap {
            Some((cap, _)) => frequency::first_allowed(q, &sent, *cap),
            None => q,
        };
        cap_moved |= f > q;
        if f == q {
            at = q;
            break;
        }
        at = f;
    }

    let zones: Vec<&str> = ctx.zones.iter().map(|z| z.name()).collect();
    let rules: Vec<&str> = ctx.rules.iter().map(|r| r.code).collect();
    trace_push!(
        trace,
        STAGE,
        "quiet_hours",
        if quiet_moved { "defer" } else { "pass" },
        "{}/{ch}: rules [{}] in [{}]{}",
        req.id,
        rules.join(", "),
        zones.join(", "),
        if quiet_moved {
            text!(" → first allowed {}", Timestamp::from_utc(at).to_rfc3339())
        } else {
            String::new()
        }
    );
    if let Some((cap, source)) = &ctx.cap {
        trace_push!(
            trace,
            STAGE,
            "frequency_cap",
            if cap_moved { "defer" } else { "pass" },
            "{}/{ch}: {} of {cap} calls/texts in the 24 h before ({source})",
            req.id,
            frequency::count_in_window(req.at, &sent)
        );
    }
    if at == req.at {
        return (allowed(), at);
    }
    let mut reasons = Vec::new();
    if quiet_moved {
        reasons.push(ComplianceReason {
            rule: "quiet_hours",
            source: Cow::Owned(rule_sources(ctx.rules)),
            detail: text!(
                "outside the allowed window of [{}] in [{}]",
                rules.join(", "),
                zones.join(", ")
            ),
        });
    }
    if cap_moved {
        let (cap, source) = ctx.cap.clone().unwrap_or((0, String::new()));
        reasons.push(ComplianceReason {
            rule: "frequency_cap",
            source: Cow::Owned(source),
            detail: text!("{cap} calls/texts in 24 h reached"),
        });
    }
    (
        Compliance {
            verdict: Verdict::Deferred,
            until: Some(Timestamp::from_utc(at)),
            reasons,
        },
        at,
    )
}

fn allowed() -> Compliance {
    Compliance {
        verdict: Verdict::Allowed,
        until: None,
        reasons: Vec::new(),
    }
}

fn describe(reasons: &[ComplianceReason]) -> String {
    reasons
        .iter()
        .map(|r| text!("{} — {} [{}]", r.rule, r.detail, r.source))
        .collect::<Vec<_>>()
        .join("; ")
}

fn rule_sources(rules: &[&CallingRule]) -> String {
    rules
        .iter()
        .map(|r| text!("{}: {}", r.code, r.law_name))
        .collect::<Vec<_>>()
        .join("; ")
}
