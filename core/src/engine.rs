//! The compiled engine and the `process` entry points.

use std::borrow::Cow;

use crate::compile::{compile, CompiledPolicy};
use crate::crm_index::{CrmIndex, CrmSource};
use crate::error::{Error, ErrorCode, Result};
use crate::model::crm::CrmSnapshot;
use crate::model::decision::{Decision, Status};
use crate::model::event::MissedCallEvent;
use crate::model::policy::Policy;
use crate::model::time::Timestamp;
use crate::stages::{audit, caller_id, category, identity, record};

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

    /// Decides one event against a CRM snapshot or index.
    pub fn process<S: CrmSource + ?Sized>(
        &self,
        event: &MissedCallEvent,
        crm: &S,
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
                format!(
                    "location `{}` is not defined in policy `{}`",
                    event.location_id, self.policy.version
                ),
            )
        })?;
        let mut trace = audit::Trace::new(loc.config.audit.include_pii);
        let decided_at = match event.received_at {
            Some(r) if r.utc() >= event.occurred_at.utc() => r,
            Some(r) => {
                trace.push(
                    "input",
                    "received_at",
                    "before_occurred_at",
                    format!(
                        "received_at {} precedes occurred_at; using occurred_at",
                        r.to_rfc3339()
                    ),
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

        let (status, status_reason): (Status, Option<Cow<'static, str>>) = if cat.category.is_none()
        {
            (Status::NotMissed, None)
        } else {
            match &ident.replay {
                identity::Replay::Duplicate { .. } => (Status::DuplicateEvent, None),
                identity::Replay::Amended { .. } => (Status::Amended, None),
                identity::Replay::None if !caller.callable => (
                    Status::ManualReview,
                    Some(Cow::Borrowed("no_callable_number")),
                ),
                identity::Replay::None => (Status::FollowUp, None),
            }
        };
        trace.push(
            "decision",
            "status",
            status_name(status),
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
            trace: trace.into_entries(),
        })
    }

    /// Decides an event given as JSON text against a CRM snapshot given as JSON text
    /// (`""` or `"null"` for none) and returns the decision as JSON text.
    pub fn process_json(&self, event_json: &str, crm_json: &str) -> Result<String> {
        let event = MissedCallEvent::from_json(event_json)?;
        let crm = parse_crm(crm_json)?;
        let decision = self.process(&event, &crm)?;
        to_json(&decision)
    }
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

fn status_name(s: Status) -> &'static str {
    match s {
        Status::FollowUp => "follow_up",
        Status::Deferred => "deferred",
        Status::ManualReview => "manual_review",
        Status::DuplicateEvent => "duplicate_event",
        Status::Amended => "amended",
        Status::NotMissed => "not_missed",
        Status::Suppressed => "suppressed",
    }
}

/// One-shot convenience: compiles `policy` and decides `event`. Production code should
/// build an [`Engine`] once and reuse it.
pub fn process(event: &MissedCallEvent, crm: &CrmSnapshot, policy: &Policy) -> Result<Decision> {
    Engine::new(policy)?.process(event, crm)
}
