//! # ringback
//!
//! A pure, deterministic decision engine for missed-call recovery. Each missed call becomes
//! a [`Decision`]: which CRM record to append or create, why, and (in later stages) what
//! follow-up goes out when, with every rule that fired in the decision's trace.
//!
//! ```
//! use ringback::{CrmSnapshot, Engine, MissedCallEvent, Policy, RecordAction, Status};
//!
//! let policy = Policy::from_json(r#"{"version": "2026-11-a", "locations": [
//!   {"id": "phx-01", "name": "Phoenix Camelback", "vertical": "home_services",
//!    "time_zone": "America/Phoenix", "country": "US", "state": "AZ",
//!    "hours": {"tue": [["07:00","18:00"]]}}]}"#)?;
//! let engine = Engine::new(&policy)?;
//!
//! let event = MissedCallEvent::from_json(r#"{"event_id": "CAL123",
//!   "location_id": "phx-01", "occurred_at": "2026-11-24T09:15:00-07:00",
//!   "caller_number": "(602) 555-0143", "disposition": "no_answer"}"#)?;
//! let crm = CrmSnapshot::default();
//!
//! let decision = engine.process(&event, &crm)?;
//! assert_eq!(decision.status, Status::FollowUp);
//! assert_eq!(decision.caller.e164.as_deref(), Some("+16025550143"));
//! assert_eq!(decision.record.action, RecordAction::CreateLead);
//! assert_eq!(decision.record.upsert_key.as_deref(), Some("phone:+16025550143"));
//! # Ok::<(), ringback::Error>(())
//! ```
//!
//! The core does no I/O and reads no clock: "now" is `event.received_at` (or
//! `occurred_at`). The same inputs give byte-identical JSON output everywhere.
//!
//! # Layers
//!
//! A module imports only from its own layer or below, and never in a circle
//! (`core/tests/layers.rs` holds the table and fails on an upward import or a circle):
//!
//! ```text
//! 10 execution    messaging/ (texts sent through Twilio; reads crm::http, ingest::form)
//! 9  edges        ingest/ (inbound vendor payloads), crm/ (outbound), schema
//! 8  loops        replay (the decide → write back → report loop), report, report_text,
//!                 partition (buckets that replay exactly as one replay)
//! 7  engine       engine (the pipeline in order), attribution (outcomes)
//! 6  stages       stages/: category, caller_id, identity, record, callee, sla, follow_up, audit
//! 5  gate         compliance::gate, crm_index (the indexed CRM snapshot)
//! 4  compiled     compile (the policy compiled per location)
//! 3  pieces       intent/, templates, learning, compliance rules (calling hours, holidays,
//!                 opt-out, consent, frequency, quiet hours, suppression, vertical)
//! 2  helpers      phone, nanp, name, sms, calendar, trace
//! 1  documents    model/: event, crm, policy (+ template and inquiry-type definitions),
//!                 decision, outcome, time, vocab
//! 0  foundation   error, hash
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

/// `format!` for the short texts of a decision (trace details, reasons): writes into a
/// buffer sized for a typical trace line at once instead of growing it piece by piece.
/// Same output as `format!`.
macro_rules! text {
    ($($arg:tt)*) => {
        $crate::trace::text(format_args!($($arg)*))
    };
}

/// Records one rule in a [`trace::Trace`]: stage, rule and result always (unless the trace
/// is off); the detail only when the policy keeps words (`audit.trace: full`), so that the
/// default trace of codes formats no English. `trace_push!(t, stage, rule, result, "fmt",
/// args...)` formats the detail; `trace_push!(t, stage, rule, result; expr)` evaluates
/// `expr` (anything `Into<Cow<'static, str>>`) only when it is kept.
macro_rules! trace_push {
    ($trace:expr, $stage:expr, $rule:expr, $result:expr; $detail:expr) => {{
        if $trace.keeps_detail() {
            let detail = $detail;
            $trace.push($stage, $rule, $result, detail);
        } else {
            $trace.push_code($stage, $rule, $result);
        }
    }};
    ($trace:expr, $stage:expr, $rule:expr, $result:expr, $($arg:tt)+) => {{
        if $trace.keeps_detail() {
            let detail = $crate::trace::text(format_args!($($arg)+));
            $trace.push($stage, $rule, $result, detail);
        } else {
            $trace.push_code($stage, $rule, $result);
        }
    }};
}

pub mod attribution;
pub mod calendar;
pub mod compile;
pub mod compliance;
pub mod crm;
pub mod crm_index;
pub mod engine;
pub mod error;
pub mod hash;
pub mod ingest;
pub mod intent;
pub mod learning;
pub mod messaging;
pub mod model;
pub mod name;
pub mod nanp;
pub mod partition;
pub mod phone;
pub mod replay;
pub mod report;
pub mod report_text;
pub mod schema;
pub mod sms;
pub mod stages;
pub mod templates;
pub mod trace;

pub use attribution::{AttributionEvent, GoogleAdsConversion, OutcomeSubject};
pub use crm_index::{CrmIndex, CrmSource};
pub use engine::{
    default_policy_json, parse_crm, process, to_json, Engine, LastCrm, ENGINE_VERSION,
};
pub use error::{Error, ErrorCode, Result};
pub use model::crm::{Contact, ContactKind, CrmSnapshot};
pub use model::decision::{Category, Decision, RecordAction, Status};
pub use model::event::{Attribution, Disposition, MissedCallEvent};
pub use model::outcome::{Outcome, OutcomeKind};
pub use model::policy::{LocationConfig, Policy, TraceLevel, Vertical};
pub use model::time::{TimeZone, Timestamp};
pub use replay::Replayer;
pub use report::{Report, ReportSummary};

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
