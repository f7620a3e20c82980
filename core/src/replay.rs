//! Replay: the loop that turns a batch of missed calls into decisions exactly as production
//! would have made them, one call after another, each decision written back into the CRM
//! before the next call is decided. `ringback replay`, `ringback compare`, the Python, Node
//! and C `Replayer`s and any distributed runner all use this one loop.
//!
//! ```
//! use ringback::replay::Replayer;
//! use ringback::{CrmSnapshot, Engine, Policy, Status};
//!
//! let policy = Policy::from_json(r#"{"version": "v1", "locations": [
//!   {"id": "phx-01", "name": "Phoenix", "vertical": "home_services",
//!    "time_zone": "America/Phoenix", "country": "US", "state": "AZ",
//!    "hours": {"tue": [["07:00","18:00"]]}}]}"#)?;
//! let engine = Engine::new(&policy)?;
//! let mut replayer = Replayer::new(&engine, engine.index(CrmSnapshot::default()));
//! // The second line is a webhook retry of the first; the third line is a later call
//! // listed first. Replay orders the calls, so the retry is recognised.
//! let week = r#"{"event_id": "B", "location_id": "phx-01", "occurred_at": "2026-11-24T11:00:00-07:00", "caller_number": "602 555 0143", "disposition": "no_answer"}
//! {"event_id": "A", "location_id": "phx-01", "occurred_at": "2026-11-24T09:15:00-07:00", "caller_number": "602 555 0143", "disposition": "no_answer"}
//! {"event_id": "A", "location_id": "phx-01", "occurred_at": "2026-11-24T09:15:00-07:00", "received_at": "2026-11-24T09:16:00-07:00", "caller_number": "602 555 0143", "disposition": "no_answer"}"#;
//! let answers = replayer.replay_jsonl(week);
//! let order: Vec<(usize, Status)> = answers
//!     .iter()
//!     .map(|a| (a.input, a.result.as_ref().map(|d| d.status).unwrap()))
//!     .collect();
//! assert_eq!(order, [(2, Status::FollowUp), (3, Status::DuplicateEvent), (1, Status::FollowUp)]);
//! // The later call appends to the follow-up the first call opened on its new lead.
//! let later = answers[2].result.as_ref().unwrap();
//! assert_eq!(later.record.action.as_str(), "append_to_open_followup");
//! assert_eq!(replayer.summary().portfolio.missed_calls, 2);
//! # Ok::<(), ringback::Error>(())
//! ```
//!
//! # The ordering contract
//!
//! Calls are decided in the order of the key **(`occurred_at`, `received_at`, `event_id`)**:
//! the instant the call started (compared as instants, whatever the offset), then the
//! instant the delivery was received (`occurred_at` when the event has no `received_at`, so
//! a delivery without it comes before a later redelivery of the same call), then the event
//! id (byte order). Inputs with equal keys keep their input order (the sort is stable), so
//! the same batch gives the same decisions in any binding and on any machine.
//!
//! [`Replayer::replay_jsonl`] and [`Replayer::replay_events`] sort their batch by that key.
//! A JSON line that is not an event at all has no key: it is answered in its place in the
//! file, right after the line before it (it takes that line's key, and its own line number
//! breaks the tie), so a file that is already in order is answered line by line.
//! [`Replayer::decide`] takes one call at a time in the order it is called, for callers that
//! already stream calls in key order (a sorted partition, a queue); it does not reorder.
//!
//! # What one step does
//!
//! 1. [`Engine::process`] against the CRM index as it stands after every earlier step.
//! 2. [`CrmIndex::apply`]: the decision is written back as the integrator's CRM sync would
//!    (the missed call recorded on the contact appended to, or on a new lead keyed by the
//!    decision's upsert key), so retries, repeat callers and a new lead calling twice are
//!    recognised as they would be in production.
//! 3. [`Report::add`]: the first missed decision of each event id is the one the report,
//!    and later the outcomes, count for that call ([`Replayed::counted`]).
//!
//! A call the engine rejects (an unknown location, a bad field) is answered with its error
//! and changes nothing: the CRM index, the report and every other decision are as if the
//! line were absent.
//!
//! # Outcomes
//!
//! [`Replayer::record_outcome`] attributes an outcome to the counted decision of its event
//! id (an event this replay has not decided, or decided as a duplicate only, is an
//! `invalid_event` error at `event_id`) and adds it to the report.

use std::borrow::Borrow;
use std::collections::BTreeMap;

use crate::attribution::AttributionEvent;
use crate::crm_index::CrmIndex;
use crate::engine::{to_json, Engine};
use crate::error::{Error, ErrorCode, Result};
use crate::learning::LearningState;
use crate::model::decision::Decision;
use crate::model::event::MissedCallEvent;
use crate::model::outcome::{Outcome, OutcomeSubject};
use crate::model::time::Timestamp;
use crate::report::{Report, ReportSummary};

/// The replay order of one call: `(occurred_at, received_at or occurred_at, event_id)`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct OrderKey {
    /// When the call started.
    pub occurred_at: Timestamp,
    /// When this delivery was received (`occurred_at` when the event does not say).
    pub received_at: Timestamp,
    /// The event id.
    pub event_id: String,
}

impl OrderKey {
    /// The key of an event.
    pub fn of(event: &MissedCallEvent) -> Self {
        OrderKey {
            occurred_at: event.occurred_at,
            received_at: event.received_at.unwrap_or(event.occurred_at),
            event_id: event.event_id.clone(),
        }
    }
}

/// The answer for one input of a batch.
#[derive(Debug, Clone, PartialEq)]
pub struct Replayed {
    /// Where the input was: the 1-based line number for JSON lines, the 1-based position
    /// in the slice for [`Replayer::replay_events`].
    pub input: usize,
    /// The decision, or why the input was rejected.
    pub result: Result<Decision>,
    /// Whether this decision is the one the report and outcomes count for its call (the
    /// first missed decision of its event id); false for duplicates, amendments, answered
    /// calls, later decisions of the same id and errors.
    pub counted: bool,
}

/// Counts over everything a replayer has been given.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReplayStats {
    /// Calls given (decided or rejected).
    pub events: u64,
    /// Calls rejected with an error.
    pub rejected: u64,
    /// Outcomes given.
    pub outcomes: u64,
    /// Outcomes rejected with an error.
    pub outcomes_rejected: u64,
}

/// Owns a replay: the CRM index it writes back into, the report, the decisions outcomes
/// are matched to, and the learning state outcomes update. `E` is anything that lends an
/// [`Engine`]: `&Engine` in Rust, an `Arc<Engine>` in the bindings.
#[derive(Debug)]
pub struct Replayer<E: Borrow<Engine>> {
    engine: E,
    crm: CrmIndex,
    report: Report,
    subjects: BTreeMap<String, OutcomeSubject>,
    learning: LearningState,
    stats: ReplayStats,
}

impl<E: Borrow<Engine>> Replayer<E> {
    /// A replay over `crm` (usually `engine.index(snapshot)`; an empty index for none).
    pub fn new(engine: E, crm: CrmIndex) -> Self {
        let report = Report::new(engine.borrow());
        Replayer {
            engine,
            crm,
            report,
            subjects: BTreeMap::new(),
            learning: LearningState::new(),
            stats: ReplayStats::default(),
        }
    }

    /// The engine.
    pub fn engine(&self) -> &Engine {
        self.engine.borrow()
    }

    /// Writes back a consent revocation (see [`CrmIndex::suppress`]): later decisions of
    /// this replay do not contact `number` on `channel`.
    pub fn suppress(&mut self, channel: crate::model::policy::Channel, number: &str) {
        let policy = self.engine.borrow().compiled();
        self.crm.suppress(channel, number, policy);
    }

    /// The CRM index with every decision so far written back.
    pub fn crm(&self) -> &CrmIndex {
        &self.crm
    }

    /// The report so far.
    pub fn report(&self) -> &Report {
        &self.report
    }

    /// The report's figures so far.
    pub fn summary(&self) -> ReportSummary {
        self.report.finish()
    }

    /// The learning state the outcomes so far have built.
    pub fn learning(&self) -> &LearningState {
        &self.learning
    }

    /// Counts so far.
    pub fn stats(&self) -> ReplayStats {
        self.stats
    }

    /// The CRM index and the report, for a caller that is done replaying.
    pub fn into_parts(self) -> (CrmIndex, Report) {
        (self.crm, self.report)
    }

    /// Decides one call against the CRM as it stands, writes the decision back and adds it
    /// to the report. Calls are taken in the order given (see the module doc).
    pub fn decide(&mut self, event: &MissedCallEvent) -> Result<Decision> {
        self.step(event).map(|(d, _)| d)
    }

    fn step(&mut self, event: &MissedCallEvent) -> Result<(Decision, bool)> {
        self.stats.events += 1;
        let decided = self.engine.borrow().process(event, &self.crm);
        let decision = match decided {
            Ok(d) => d,
            Err(e) => {
                self.stats.rejected += 1;
                return Err(e);
            }
        };
        self.crm.apply(event, &decision);
        let had_row = self.report.rows.contains_key(&decision.event_id);
        self.report.add(&decision);
        let counted = !had_row && self.report.rows.contains_key(&decision.event_id);
        if counted {
            self.subjects
                .insert(decision.event_id.clone(), OutcomeSubject::from(&decision));
        }
        Ok((decision, counted))
    }

    /// Orders `events` by the replay key and decides each; the answers come in replay
    /// order, each naming its 1-based position in `events`.
    pub fn replay_events(&mut self, events: &[MissedCallEvent]) -> Vec<Replayed> {
        let mut out = Vec::with_capacity(events.len());
        self.replay_events_each(events, |r| out.push(r));
        out
    }

    /// [`Replayer::replay_events`], handing each answer to `each` as it is decided instead
    /// of collecting them.
    pub fn replay_events_each(
        &mut self,
        events: &[MissedCallEvent],
        mut each: impl FnMut(Replayed),
    ) {
        let mut order: Vec<(OrderKey, usize)> = events
            .iter()
            .enumerate()
            .map(|(i, e)| (OrderKey::of(e), i))
            .collect();
        order.sort();
        for (_, i) in order {
            let (result, counted) = split(self.step(&events[i]));
            each(Replayed {
                input: i + 1,
                result,
                counted,
            });
        }
    }

    /// Parses every line of `text` (one canonical event per line; blank lines are skipped),
    /// orders the events by the replay key and decides each. Answers come in replay order,
    /// each naming its line; a line that is not an event is answered with its error in its
    /// place (see the module doc).
    pub fn replay_jsonl(&mut self, text: &str) -> Vec<Replayed> {
        let mut out = Vec::new();
        self.replay_jsonl_each(text, |r| out.push(r));
        out
    }

    /// [`Replayer::replay_jsonl`], handing each answer to `each` as it is decided instead of
    /// collecting them (for long replays: progress, streaming output).
    pub fn replay_jsonl_each(&mut self, text: &str, each: impl FnMut(Replayed)) {
        let lines = text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| (i + 1, l));
        self.replay_texts_in(lines, each);
    }

    /// Like [`Replayer::replay_jsonl`] for events given as separate JSON texts (each may
    /// span lines; none is skipped): ordered by the replay key, a text that is not an event
    /// answered in its place. Each answer names its 1-based position in `texts`.
    pub fn replay_texts_each<'t>(
        &mut self,
        texts: impl IntoIterator<Item = &'t str>,
        each: impl FnMut(Replayed),
    ) {
        let texts = texts.into_iter().enumerate().map(|(i, t)| (i + 1, t));
        self.replay_texts_in(texts, each);
    }

    fn replay_texts_in<'t>(
        &mut self,
        texts: impl Iterator<Item = (usize, &'t str)>,
        mut each: impl FnMut(Replayed),
    ) {
        enum Input {
            Event(Box<MissedCallEvent>),
            Bad(Error),
        }
        let mut inputs: Vec<(Option<OrderKey>, usize, Input)> = Vec::new();
        let mut last_key: Option<OrderKey> = None;
        for (input, text) in texts {
            match MissedCallEvent::from_json(text) {
                Ok(e) => {
                    let key = OrderKey::of(&e);
                    last_key = Some(key.clone());
                    inputs.push((Some(key), input, Input::Event(Box::new(e))));
                }
                Err(e) => inputs.push((last_key.clone(), input, Input::Bad(e))),
            }
        }
        // `None` (a bad input before any event) sorts first, as it stood.
        inputs.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
        for (_, input, item) in inputs {
            let (result, counted) = match item {
                Input::Event(e) => split(self.step(&e)),
                Input::Bad(err) => {
                    self.stats.events += 1;
                    self.stats.rejected += 1;
                    (Err(err), false)
                }
            };
            each(Replayed {
                input,
                result,
                counted,
            });
        }
    }

    /// Attributes an outcome to the counted decision of its call and adds it to the report.
    pub fn record_outcome(&mut self, outcome: &Outcome) -> Result<AttributionEvent> {
        self.stats.outcomes += 1;
        let recorded = match self.subjects.get(&outcome.event_id) {
            None => Err(Error::new(
                ErrorCode::InvalidEvent,
                "event_id",
                format!(
                    "no decision for event `{}` in this replay",
                    outcome.event_id
                ),
            )),
            Some(subject) => {
                self.engine
                    .borrow()
                    .record_outcome_for(subject, outcome, &mut self.learning)
            }
        };
        match recorded {
            Ok(a) => {
                self.report.add_outcome(&a);
                Ok(a)
            }
            Err(e) => {
                self.stats.outcomes_rejected += 1;
                Err(e)
            }
        }
    }

    /// Records every outcome of `text` (one per line, blank lines skipped) in file order;
    /// each answer names its 1-based line.
    pub fn record_outcomes_jsonl(&mut self, text: &str) -> Vec<(usize, Result<AttributionEvent>)> {
        let mut out = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let answer = match Outcome::from_json(line) {
                Ok(o) => self.record_outcome(&o),
                Err(e) => {
                    self.stats.outcomes += 1;
                    self.stats.outcomes_rejected += 1;
                    Err(e)
                }
            };
            out.push((i + 1, answer));
        }
        out
    }

    /// JSON entry point (bindings): decides one event given as JSON text and returns the
    /// decision as JSON text.
    pub fn decide_json(&mut self, event_json: &str) -> Result<String> {
        let event = MissedCallEvent::from_json(event_json)?;
        let decision = self.decide(&event)?;
        to_json(&decision)
    }

    /// JSON entry point (bindings): [`Replayer::replay_jsonl`] answered as JSON lines, one
    /// per input in replay order: the decision, or `{"error": {..}, "line": N}` for a
    /// rejected input. Byte for byte what `ringback replay --format jsonl` prints.
    pub fn replay_jsonl_to_jsonl(&mut self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() * 8);
        self.replay_jsonl_each(text, |r| {
            out.push_str(&r.to_json_line());
            out.push('\n');
        });
        out
    }

    /// JSON entry point (bindings): records one outcome given as JSON text and returns its
    /// attribution event as JSON text.
    pub fn record_outcome_json(&mut self, outcome_json: &str) -> Result<String> {
        let outcome = Outcome::from_json(outcome_json)?;
        let a = self.record_outcome(&outcome)?;
        to_json(&a)
    }

    /// JSON entry point (bindings): the report's figures so far as JSON text.
    pub fn summary_json(&self) -> Result<String> {
        to_json(&self.summary())
    }
}

impl Replayed {
    /// The answer as one JSON line (no newline): the decision, or
    /// `{"error": {"code", "path", "message"}, "line": N}`.
    pub fn to_json_line(&self) -> String {
        match &self.result {
            Ok(d) => to_json(d).unwrap_or_else(|e| error_line(self.input, &e)),
            Err(e) => error_line(self.input, e),
        }
    }
}

fn error_line(line: usize, e: &Error) -> String {
    serde_json::json!({"line": line, "error": e}).to_string()
}

fn split(r: Result<(Decision, bool)>) -> (Result<Decision>, bool) {
    match r {
        Ok((d, counted)) => (Ok(d), counted),
        Err(e) => (Err(e), false),
    }
}
