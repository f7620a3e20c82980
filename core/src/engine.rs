//! The compiled engine and the `process` entry points.

use std::borrow::Cow;

use crate::attribution::{self, AttributionEvent, OutcomeSubject};
use crate::compile::{compile, CompiledPolicy};
use crate::crm_index::{CrmIndex, CrmSource};
use crate::error::{Error, ErrorCode, Result};
use crate::learning::LearningState;
use crate::model::crm::CrmSnapshot;
use crate::model::crm::OpenFollowUp;
use crate::model::decision::{Compliance, FollowUpStep, StepAction, TickAction, Verdict};
use crate::model::decision::{Decision, Status};
use crate::model::event::MissedCallEvent;
use crate::model::outcome::Outcome;
use crate::model::policy::{Policy, TraceLevel};
use crate::model::time::Timestamp;
use crate::stages::{audit, callee, caller_id, category, follow_up, identity, record, sla};

/// The engine's version, echoed in every decision.
pub const ENGINE_VERSION: &str = env!("CARGO_PKG_VERSION");

/// A compiled policy, ready to decide. Immutable, `Send + Sync`, cheap to share across
/// threads (wrap it in an `Arc`).
#[derive(Debug, Clone)]
pub struct Engine {
    policy: CompiledPolicy,
}

/// Fails to compile if `Engine` ever stops being shareable across threads.
const _: fn() = || {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Engine>();
    assert_send_sync::<CrmIndex>();
};

impl Engine {
    /// Validates and compiles a policy (applied on top of the built-in default).
    pub fn new(policy: &Policy) -> Result<Self> {
        Ok(Engine {
            policy: compile(policy)?,
        })
    }

    /// Compiles a policy given as JSON or TOML text.
    pub fn from_policy_text(text: &str) -> Result<Self> {
        Self::new(&Policy::parse(text)?)
    }

    /// The policy's `version`.
    pub fn policy_version(&self) -> &str {
        &self.policy.version
    }

    /// The compiled policy.
    pub fn compiled(&self) -> &CompiledPolicy {
        &self.policy
    }

    /// Indexes a large CRM export once, for repeated lookups with this engine.
    pub fn index(&self, snapshot: CrmSnapshot) -> CrmIndex {
        CrmIndex::new(snapshot, &self.policy)
    }

    /// The E.164 number the identity stage matches contacts by for this event's caller:
    /// none when the number is withheld, not a phone number, or the location unknown.
    pub fn caller_key(&self, event: &MissedCallEvent) -> Option<String> {
        let loc = self.policy.location(&event.location_id)?;
        let mut trace = crate::trace::Trace::new(false, TraceLevel::Off);
        caller_id::run(event, loc, &mut trace).caller.e164
    }

    /// The matching keys (E.164) of a contact's phones, read as the CRM index reads them
    /// (the contact's location's country, else the policy's default).
    pub fn contact_keys(&self, contact: &crate::model::crm::Contact) -> Vec<String> {
        let region = crate::crm_index::contact_region(contact, &self.policy);
        let mut keys: Vec<String> = contact
            .phones
            .iter()
            .filter_map(|p| crate::phone::match_key(p.number(), region))
            .collect();
        keys.sort();
        keys.dedup();
        keys
    }

    /// Decides one event against a CRM snapshot or index.
    pub fn process<S: CrmSource + ?Sized>(
        &self,
        event: &MissedCallEvent,
        crm: &S,
    ) -> Result<Decision> {
        self.process_with(event, crm, None)
    }

    /// Decides one event, reading learned priors and variant posteriors from `learning`.
    pub fn process_with<S: CrmSource + ?Sized>(
        &self,
        event: &MissedCallEvent,
        crm: &S,
        learning: Option<&LearningState>,
    ) -> Result<Decision> {
        self.decide(event, crm, learning, None)
    }

    /// Decides `event` again with every rule's detail in words (`audit.trace: full`
    /// whatever the policy says), for a decision stored at the `codes` or `off` level. Give
    /// the same inputs (event, CRM contacts, learning state) as the stored decision; with
    /// `decision_id`, a different id (other inputs, policy or engine) is an `invalid_event`
    /// error at `decision_id` instead of an explanation of another decision.
    pub fn explain<S: CrmSource + ?Sized>(
        &self,
        event: &MissedCallEvent,
        crm: &S,
        learning: Option<&LearningState>,
        decision_id: Option<&str>,
    ) -> Result<Decision> {
        let d = self.decide(event, crm, learning, Some(TraceLevel::Full))?;
        if let Some(want) = decision_id {
            if want.trim() != d.decision_id {
                return Err(Error::new(
                    ErrorCode::InvalidEvent,
                    "decision_id",
                    text!(
                        "these inputs give decision {}, not {}: the event, CRM contacts, \
                         policy or engine version differ from the stored decision's",
                        d.decision_id,
                        crate::trace::clip(want.trim())
                    ),
                ));
            }
        }
        Ok(d)
    }

    /// [`Engine::explain`] from JSON (event, CRM snapshot; `decision_id` may be empty):
    /// the decision with its full trace, as JSON.
    pub fn explain_json(
        &self,
        event_json: &str,
        crm_json: &str,
        decision_id: &str,
    ) -> Result<String> {
        let crm = parse_crm(crm_json)?;
        self.explain_json_with(event_json, &crm, decision_id)
    }

    /// [`Engine::explain_json`] against a CRM index.
    pub fn explain_json_with<S: CrmSource + ?Sized>(
        &self,
        event_json: &str,
        crm: &S,
        decision_id: &str,
    ) -> Result<String> {
        let event = MissedCallEvent::from_json(event_json)?;
        let id = Some(decision_id.trim()).filter(|s| !s.is_empty());
        decision_to_json(&self.explain(&event, crm, None, id)?)
    }

    fn decide<S: CrmSource + ?Sized>(
        &self,
        event: &MissedCallEvent,
        crm: &S,
        learning: Option<&LearningState>,
        level: Option<TraceLevel>,
    ) -> Result<Decision> {
        if event.event_id.trim().is_empty() {
            return Err(Error::new(
                ErrorCode::InvalidEvent,
                "event_id",
                "must not be empty",
            ));
        }
        let loc = self.policy.location(&event.location_id).ok_or_else(|| {
            Error::new(
                ErrorCode::UnknownLocation,
                "location_id",
                text!(
                    "location `{}` is not defined in policy `{}`",
                    event.location_id,
                    self.policy.version
                ),
            )
        })?;
        let mut trace = crate::trace::Trace::new(
            loc.config.audit.include_pii,
            level.unwrap_or(loc.config.audit.trace),
        );
        let decided_at = match event.received_at {
            Some(r) if r.utc() >= event.occurred_at.utc() => r,
            Some(r) => {
                trace_push!(
                    trace,
                    "input",
                    "received_at",
                    "before_occurred_at",
                    "received_at {} precedes occurred_at; using occurred_at",
                    r.to_rfc3339()
                );
                event.occurred_at
            }
            None => event.occurred_at,
        };

        let cat = category::run(event, loc, &mut trace);
        let caller = caller_id::run(event, loc, &mut trace);
        let ident = identity::run(
            event,
            loc,
            &self.policy,
            caller.caller.e164.as_deref(),
            crm,
            &mut trace,
        );
        let record = record::run(event, loc, &cat, &caller, &ident, &mut trace);

        // Stages 7–10: SLA, escalation, callee, channel, compliance gate, plan.
        let replay = &ident.replay;
        let decided =
            cat.category.is_some() && !matches!(replay, identity::Replay::Duplicate { .. });
        let mut callee_out = None;
        let mut intent_out = None;
        let mut value_at_risk = None;
        let mut sla_out = None;
        let mut escalation = Vec::new();
        let mut steps = Vec::new();
        let mut consent_updates = Vec::new();
        let mut suppressed = false;
        let mut manual_only = false;
        if let (true, Some(category)) = (decided, cat.category) {
            // Stage 5: what the caller wants and how urgent it is.
            let hour = crate::intent::hour_of_week(&cat.local);
            let scored = crate::intent::score(
                &loc.intent,
                &loc.config.intent,
                &crate::intent::IntentInput {
                    transcript: event.voicemail.as_ref().and_then(|v| v.transcript_text()),
                    attribution: event.attribution.as_ref(),
                    ai: event.ai_receptionist.as_ref(),
                    category,
                    local: cat.local,
                    primary: ident.primary,
                    repeat_raise: ident.repeat.as_ref().is_some_and(|r| r.raise_urgency),
                    learned: learning.and_then(|l| l.hour_prior(&loc.id, hour)),
                },
                &mut trace,
            );
            let urgency = scored.urgency;
            value_at_risk = loc
                .config
                .avg_inquiry_value
                .map(|v| (v * scored.value_multiplier * 100.0).round() / 100.0);
            let callee = callee::run(loc, &self.policy, &caller.caller, ident.primary, &mut trace);
            let (mut sla, mut ladder) = sla::run(
                loc,
                sla::SlaInput {
                    occurred_at: event.occurred_at.utc(),
                    after_hours: cat.after_hours,
                    urgency,
                    contact_kind: ident.primary.map(|c| c.kind),
                    inquiry_type: Some(&scored.inquiry_type),
                },
                &mut trace,
            );
            if matches!(replay, identity::Replay::Amended { .. }) {
                trace.push(
                    "follow_up",
                    "amended",
                    "no_new_steps",
                    "amended replay: SLA re-decided, no second first touch",
                );
            } else if !caller.callable {
                manual_only = true;
                steps.push(FollowUpStep::new(
                    1,
                    "manual_review",
                    StepAction::ManualTask,
                    None,
                    decided_at,
                    Default::default(),
                    Compliance {
                        verdict: Verdict::Allowed,
                        until: None,
                        reasons: Vec::new(),
                    },
                ));
                trace.push(
                    "follow_up",
                    "manual_task",
                    "no_callable_number",
                    "withheld or invalid caller id",
                );
            } else if let Some(e164) = caller.caller.e164.as_deref() {
                let plan = follow_up::run(
                    &follow_up::PlanInput {
                        event,
                        now: decided_at.utc(),
                        loc,
                        policy: &self.policy,
                        category,
                        e164,
                        contacts: &ident.matches,
                        primary: ident.primary,
                        callee: &callee,
                        intent: &scored,
                        sla: &sla,
                        templates: &self.policy.templates,
                        learning,
                        cooldown_until: ident
                            .repeat
                            .as_ref()
                            .and_then(|r| r.first_touch_cooldown_until)
                            .map(|t| t.utc()),
                        crm,
                    },
                    &mut trace,
                );
                steps = plan.steps;
                consent_updates = plan.consent_updates;
                let first_contact = steps
                    .iter()
                    .filter(|s| matches!(s.action, StepAction::SendSms | StepAction::CallTask))
                    .map(|s| (s.at.utc(), &s.compliance))
                    .min_by_key(|(t, _)| *t);
                if let Some((at, comp)) = first_contact {
                    let why = if comp.reasons.iter().any(|r| r.rule == "quiet_hours") {
                        "quiet_hours"
                    } else {
                        "frequency_cap"
                    };
                    sla::adjust_for_first_contact(loc, &mut sla, &mut ladder, at, why, &mut trace);
                }
                suppressed = plan.suppressed;
                manual_only = plan.manual_only;
            }
            intent_out = Some(scored);
            callee_out = Some(callee.decision);
            sla_out = Some(sla);
            escalation = ladder;
        }

        let first_deferred = steps
            .first()
            .is_some_and(|s| s.compliance.verdict == Verdict::Deferred);
        let (status, status_reason): (Status, Option<Cow<'static, str>>) =
            match (cat.category, replay) {
                (None, _) => (Status::NotMissed, None),
                (_, identity::Replay::Duplicate { .. }) => (Status::DuplicateEvent, None),
                (_, identity::Replay::Amended { .. }) => (Status::Amended, None),
                _ if !caller.callable => (
                    Status::ManualReview,
                    Some(Cow::Borrowed("no_callable_number")),
                ),
                _ if suppressed => (Status::Suppressed, Some(Cow::Borrowed("contact_opted_out"))),
                _ if manual_only => (
                    Status::ManualReview,
                    Some(Cow::Borrowed("no_channel_allowed")),
                ),
                _ if first_deferred => {
                    (Status::Deferred, Some(Cow::Borrowed("first_step_deferred")))
                }
                _ => (Status::FollowUp, None),
            };
        trace.push(
            "decision",
            "status",
            status.as_str(),
            status_reason
                .clone()
                .unwrap_or(Cow::Borrowed(""))
                .into_owned(),
        );

        let mut looked_at = ident.matches.clone();
        looked_at.extend(ident.holders.iter().copied());
        let decision_id = audit::decision_id(
            ENGINE_VERSION,
            &self.policy.version,
            &self.policy.fingerprint,
            event,
            &looked_at,
        );
        Ok(Decision {
            decision_id,
            event_id: event.event_id.clone(),
            location_id: loc.id.clone(),
            policy_version: self.policy.version.clone(),
            engine_version: ENGINE_VERSION,
            status,
            status_reason,
            category: cat.category,
            reason: cat.reason,
            after_hours: cat.after_hours,
            left_voicemail: cat.left_voicemail,
            occurred_at: event.occurred_at,
            occurred_at_local: cat.local.to_rfc3339(),
            decided_at: Timestamp(decided_at.0),
            caller: caller.caller,
            record,
            intent: intent_out,
            value_at_risk,
            tracking_number: event.tracking_number.clone(),
            attribution: event.attribution.clone(),
            callee: callee_out,
            sla: sla_out,
            escalation,
            follow_up: steps,
            consent_updates,
            trace: trace.into_entries(),
        })
    }

    /// Records an outcome of a decision (SPEC §4.11–12): validates it (a coded error for an
    /// outcome of another event, before the call, with a negative value or an unknown inquiry
    /// type), feeds it into the learning state (hour-of-week inquiry counts, variant
    /// posteriors, with the location's half-life) and returns its [`AttributionEvent`]: first
    /// response and SLA, recovered value, the Google Ads offline-conversion row where the
    /// call had a click id, and an opt-out's consent updates. On error the state is
    /// unchanged.
    pub fn record_outcome(
        &self,
        decision: &Decision,
        outcome: &Outcome,
        state: &mut LearningState,
    ) -> Result<AttributionEvent> {
        self.record_outcome_for(&OutcomeSubject::from(decision), outcome, state)
    }

    /// [`Engine::record_outcome`] against an [`OutcomeSubject`] (for instance read back from
    /// a stored decision's JSON).
    pub fn record_outcome_for(
        &self,
        subject: &OutcomeSubject,
        outcome: &Outcome,
        state: &mut LearningState,
    ) -> Result<AttributionEvent> {
        let loc = self.policy.location(&subject.location_id).ok_or_else(|| {
            Error::new(
                ErrorCode::UnknownLocation,
                "location_id",
                text!("location `{}` is not in this policy", subject.location_id),
            )
        })?;
        attribution::validate(subject, outcome, loc)?;
        state.learn(subject, outcome, loc.config.learning.half_life_days);
        Ok(attribution::attribute(subject, outcome, loc))
    }

    /// [`Engine::record_outcome`] over JSON text, for the bindings: the decision as JSON (as
    /// `process_json` returned it), the outcome as JSON, the learning state as JSON (`""` or
    /// `"null"` for a fresh one). Returns `{"attribution": {..}, "learning": {..}}`.
    pub fn record_outcome_json(
        &self,
        decision_json: &str,
        outcome_json: &str,
        learning_json: &str,
    ) -> Result<String> {
        let subject = OutcomeSubject::from_json(decision_json).map_err(|e| e.within("decision"))?;
        let outcome = Outcome::from_json(outcome_json)?;
        let t = learning_json.trim();
        let mut state = if t.is_empty() || t == "null" {
            LearningState::new()
        } else {
            LearningState::from_json(t).map_err(|e| e.within("learning"))?
        };
        let attribution = self.record_outcome_for(&subject, &outcome, &mut state)?;
        #[derive(serde::Serialize)]
        struct Out<'a> {
            attribution: &'a AttributionEvent,
            learning: &'a LearningState,
        }
        to_json(&Out {
            attribution: &attribution,
            learning: &state,
        })
    }

    /// [`Engine::tick`] over JSON text: an open follow-up as JSON and `now` as RFC 3339.
    /// Returns the [`TickAction`] as JSON.
    pub fn tick_json(&self, followup_json: &str, now: &str) -> Result<String> {
        let followup: OpenFollowUp =
            crate::error::from_json_str(followup_json, ErrorCode::InvalidCrm)?;
        let now = Timestamp::parse(now.trim())
            .map_err(|m| Error::new(ErrorCode::InvalidTimestamp, "now", m))?;
        to_json(&self.tick(&followup, now)?)
    }

    /// Indexes a CRM snapshot given as JSON text (`""` or `"null"` for none).
    pub fn index_json(&self, crm_json: &str) -> Result<CrmIndex> {
        Ok(self.index(parse_crm(crm_json)?))
    }

    /// Decides an event given as JSON text against a CRM source (snapshot or index) and
    /// returns the decision as JSON text.
    pub fn process_json_with<S: CrmSource + ?Sized>(
        &self,
        event_json: &str,
        crm: &S,
    ) -> Result<String> {
        let event = MissedCallEvent::from_json(event_json)?;
        decision_to_json(&self.process(&event, crm)?)
    }

    /// The SLA check a scheduler runs every minute for an open follow-up: nothing yet,
    /// escalate to a higher tier, or breached. Deterministic and idempotent: the same
    /// follow-up at the same `now` gives the same answer, and once the integrator records
    /// the new tier the same `now` gives no second escalation.
    pub fn tick(&self, followup: &OpenFollowUp, now: Timestamp) -> Result<TickAction> {
        let esc = match followup.location_id.as_deref() {
            Some(id) => {
                &self
                    .policy
                    .location(id)
                    .ok_or_else(|| {
                        Error::new(
                            ErrorCode::UnknownLocation,
                            "location_id",
                            text!(
                                "location `{id}` is not defined in policy `{}`",
                                self.policy.version
                            ),
                        )
                    })?
                    .config
                    .escalation
            }
            None => &self.policy.defaults.escalation,
        };
        let Some(due) = followup.due_at.map(|d| d.utc()) else {
            return Ok(TickAction::Nothing { next_at: None });
        };
        let now = now.utc();
        let t2 = due + chrono::Duration::minutes(i64::from(esc.tier2_after_due_minutes));
        let t3 = due + chrono::Duration::minutes(i64::from(esc.tier3_after_due_minutes));
        let current = followup.tier.max(1);
        let target = if now >= t3 {
            3
        } else if now >= t2 {
            2
        } else {
            current
        };
        if target > current {
            let handler = if target == 3 {
                &esc.tier3_handler
            } else {
                &esc.tier2_handler
            };
            return Ok(TickAction::Escalate {
                tier: target,
                handler: handler.clone(),
                reason: text!(
                    "{} min past due {}",
                    (now - due).num_minutes(),
                    Timestamp::from_utc(due).to_rfc3339()
                ),
            });
        }
        if now >= due {
            return Ok(TickAction::Breached {
                overdue_minutes: (now - due).num_minutes(),
                tier: current,
            });
        }
        Ok(TickAction::Nothing {
            next_at: Some(Timestamp::from_utc(due)),
        })
    }

    /// Decides an event given as JSON text against a CRM snapshot given as JSON text
    /// (`""` or `"null"` for none) and returns the decision as JSON text.
    pub fn process_json(&self, event_json: &str, crm_json: &str) -> Result<String> {
        let event = MissedCallEvent::from_json(event_json)?;
        let crm = parse_crm(crm_json)?;
        let decision = self.process(&event, &crm)?;
        decision_to_json(&decision)
    }

    /// [`Engine::process_json`] for a caller that passes the same CRM snapshot call after
    /// call (a webhook handler with one location's contacts): when `crm_json` is the text
    /// `last` saw the call before, its index is reused instead of parsing and normalizing
    /// every contact again. Same decision, byte for byte, and same errors in the same order
    /// (the event is read first). An empty `crm_json` is the empty CRM.
    pub fn process_json_reusing(
        &self,
        event_json: &str,
        crm_json: &str,
        last: &mut LastCrm,
    ) -> Result<String> {
        let event = MissedCallEvent::from_json(event_json)?;
        let index = last.index(self, crm_json)?;
        decision_to_json(&self.process(&event, index.as_ref())?)
    }
}

/// The last CRM snapshot text a caller passed, and its index (see
/// [`Engine::process_json_reusing`]). Holds one snapshot: a different text (or an engine
/// with another policy) replaces it.
#[derive(Debug, Default)]
pub struct LastCrm {
    text: String,
    policy: String,
    index: Option<std::sync::Arc<CrmIndex>>,
}

impl LastCrm {
    /// The index of `crm_json` for `engine`: the one kept when the text and the engine's
    /// policy (its fingerprint) are the same as last time, else built and kept.
    pub fn index(&mut self, engine: &Engine, crm_json: &str) -> Result<std::sync::Arc<CrmIndex>> {
        if let Some(index) = &self.index {
            if self.text == crm_json && self.policy == engine.policy.fingerprint {
                return Ok(index.clone());
            }
        }
        self.index = None;
        let index = std::sync::Arc::new(engine.index_json(crm_json)?);
        self.text.clear();
        self.text.push_str(crm_json);
        self.policy.clear();
        self.policy.push_str(&engine.policy.fingerprint);
        self.index = Some(index.clone());
        Ok(index)
    }
}

/// The built-in default policy as JSON text.
pub fn default_policy_json() -> String {
    to_json(&Policy::default()).unwrap_or_else(|_| "{}".to_string())
}

/// Parses optional CRM JSON text: blank or `null` is an empty snapshot.
pub fn parse_crm(crm_json: &str) -> Result<CrmSnapshot> {
    let t = crm_json.trim();
    if t.is_empty() || t == "null" {
        Ok(CrmSnapshot::default())
    } else {
        CrmSnapshot::from_json(t)
    }
}

/// Serializes any output type to compact JSON.
pub fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| Error::new(ErrorCode::Internal, "", e.to_string()))
}

/// A decision as compact JSON, like [`to_json`], into a buffer sized for a whole decision
/// (2–12 KB, most of it the trace) instead of one grown from 128 bytes by doubling.
fn decision_to_json(decision: &Decision) -> Result<String> {
    let mut buf = Vec::with_capacity(16 * 1024);
    serde_json::to_writer(&mut buf, decision)
        .map_err(|e| Error::new(ErrorCode::Internal, "", e.to_string()))?;
    String::from_utf8(buf).map_err(|e| Error::new(ErrorCode::Internal, "", e.to_string()))
}

/// One-shot convenience: compiles `policy` and decides `event`. Production code should
/// build an [`Engine`] once and reuse it.
pub fn process(event: &MissedCallEvent, crm: &CrmSnapshot, policy: &Policy) -> Result<Decision> {
    Engine::new(policy)?.process(event, crm)
}
