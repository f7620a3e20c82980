//! # ringback-node
//!
//! The Node.js binding of the ringback decision engine (npm package `ringback`), built
//! with napi-rs. It only converts and calls the core: every decision, validation and error
//! comes from the `ringback` crate.
//!
//! * Values cross as JSON text (`JSON.stringify` in, `JSON.parse` out, both run by V8),
//!   which measured several times faster than napi's value-by-value conversion.
//! * Every entry point runs under `catch_unwind` (ours, mapping a panic to an `Error` with
//!   code `internal`, and napi's `catch_unwind` around the argument conversions); the
//!   async batch catches panics inside its worker-thread `compute`.
//! * Errors are JavaScript `Error`s with `.code` (the core's stable snake_case code) and
//!   `.path` (the JSON path of the offending value).
#![deny(missing_docs)]

mod convert;
mod errors;
pub mod ingest;
mod machine;
pub mod messaging;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex};

use napi::bindgen_prelude::{
    Array, AsyncTask, ClassInstance, FromNapiValue, JavaScriptClassExt, JsValue, Unknown,
};
use napi::{Env, Status, Task};
use napi_derive::napi;
use ringback::{Error, ErrorCode};

use convert::{optional, parse, required, timestamp, Res};
use machine::{machine_feed, machine_next, machine_outcome, with_machine};

/// The engine version, as echoed in every decision's `engine_version`.
// Lower-case on purpose: napi-rs exports a const under its Rust name (`js_name` is
// ignored for consts), and the JavaScript API is `ringback.version`.
#[allow(non_upper_case_globals)]
#[napi]
pub const version: &str = ringback::ENGINE_VERSION;

/// Every error code the engine can throw, in the core's order (`invalid_json`,
/// `invalid_event`, ..., `internal`). A thrown error's `code` is always one of these.
#[napi(catch_unwind, ts_return_type = "ErrorCode[]")]
pub fn error_codes() -> Vec<&'static str> {
    ErrorCode::ALL.iter().map(|c| c.as_str()).collect()
}

/// The bucket of `key` among `buckets`: FNV-1a (64-bit) of the key's UTF-8 bytes modulo
/// `buckets` (0 when `buckets` is 0) — the same function in every language ringback runs
/// in, for partitioning a replay so that each bucket decides exactly as one replay.
#[napi(catch_unwind)]
pub fn bucket(key: String, buckets: u32) -> u32 {
    ringback::partition::bucket(&key, buckets)
}

/// The built-in default policy (what every location inherits), as a plain object.
#[napi(catch_unwind, ts_return_type = "Policy")]
pub fn default_policy(env: &Env) -> napi::Result<Unknown<'_>> {
    errors::guard(env, || parse(env, &ringback::default_policy_json()))
}

/// A CRM source for [`Engine`]: an argument that is a [`CrmIndex`] or JSON text/object.
enum Crm {
    Text(String),
    Index(Arc<ringback::CrmIndex>),
}

fn crm_arg(env: &Env, value: Option<Unknown<'_>>) -> Res<Crm> {
    if let Some(v) = value {
        if CrmIndex::instance_of(env, &v).map_err(|e| errors::from_napi(&e))? {
            // SAFETY: `instance_of` just confirmed the class.
            let index = unsafe { v.cast::<ClassInstance<CrmIndex>>() }
                .map_err(|e| errors::from_napi(&e))?;
            return Ok(Crm::Index(index.inner.clone()));
        }
    }
    optional(env, value, ErrorCode::InvalidCrm, "crm").map(Crm::Text)
}

fn decide(engine: &ringback::Engine, event: &str, crm: &Crm) -> Res<String> {
    match crm {
        Crm::Text(t) => engine.process_json(event, t),
        Crm::Index(i) => engine.process_json_with(event, i.as_ref()),
    }
}

/// A compiled policy, ready to decide missed calls. Immutable and cheap to share; build it
/// once at start-up and reuse it for every call.
#[napi]
pub struct Engine {
    inner: Arc<ringback::Engine>,
    /// The CRM snapshot text of the last call and its index, reused while callers pass the
    /// same snapshot (`Engine::process_json_reusing`).
    last_crm: std::sync::Mutex<ringback::LastCrm>,
}

#[napi]
impl Engine {
    /// Validates and compiles a policy: a plain object, or JSON or TOML text (string or
    /// `Buffer`). Throws an `Error` with `code` `invalid_policy` (or `invalid_json`,
    /// `invalid_time_zone`, ...) and the `path` of the offending value.
    #[napi(
        constructor,
        catch_unwind,
        ts_args_type = "policy: Policy | string | Buffer"
    )]
    pub fn new(env: Env, policy: Unknown<'_>) -> napi::Result<Self> {
        errors::guard(&env, || {
            let text = required(&env, policy, ErrorCode::InvalidPolicy, "policy")?;
            let inner = ringback::Engine::from_policy_text(&text)?;
            Ok(Engine {
                inner: Arc::new(inner),
                last_crm: std::sync::Mutex::new(ringback::LastCrm::default()),
            })
        })
    }

    /// Decides one event: snapshot text through the last-snapshot index (a poisoned or busy
    /// lock falls back to parsing), an index as it is.
    fn decide(&self, event: &str, crm: &Crm) -> Res<String> {
        match (crm, self.last_crm.try_lock()) {
            (Crm::Text(t), Ok(mut last)) if !t.is_empty() => {
                self.inner.process_json_reusing(event, t, &mut last)
            }
            _ => decide(&self.inner, event, crm),
        }
    }

    /// The policy's `version`, echoed in every decision.
    #[napi(getter, catch_unwind)]
    pub fn policy_version(&self) -> String {
        self.inner.policy_version().to_string()
    }

    /// Decides one missed call. `event` is a plain object (`Date` values allowed) or JSON
    /// text; `crm` is what the CRM search returned for the caller (a snapshot object or
    /// JSON text) or a [`CrmIndex`]. Returns the decision as a plain object.
    #[napi(
        catch_unwind,
        ts_args_type = "event: MissedCallEvent | string, crm?: CrmSnapshot | CrmIndex | string | null",
        ts_return_type = "Decision"
    )]
    pub fn process<'e>(
        &self,
        env: &'e Env,
        event: Unknown<'_>,
        crm: Option<Unknown<'_>>,
    ) -> napi::Result<Unknown<'e>> {
        errors::guard(env, || {
            let event = required(env, event, ErrorCode::InvalidEvent, "event")?;
            let crm = crm_arg(env, crm)?;
            let out = self.decide(&event, &crm)?;
            parse(env, &out)
        })
    }

    /// Decides `event` again with every rule's detail in words (`audit.trace: full`), for a
    /// decision stored at the lean default level: give the same event and CRM contacts.
    /// With `decisionId` (the stored decision's), other inputs throw `invalid_event` at path
    /// `decision_id` instead of explaining another decision.
    #[napi(
        catch_unwind,
        ts_args_type = "event: MissedCallEvent | string, crm?: CrmSnapshot | CrmIndex | string | null, decisionId?: string | null",
        ts_return_type = "Decision"
    )]
    pub fn explain<'e>(
        &self,
        env: &'e Env,
        event: Unknown<'_>,
        crm: Option<Unknown<'_>>,
        decision_id: Option<String>,
    ) -> napi::Result<Unknown<'e>> {
        errors::guard(env, || {
            let event = required(env, event, ErrorCode::InvalidEvent, "event")?;
            let id = decision_id.unwrap_or_default();
            let out = match crm_arg(env, crm)? {
                Crm::Text(text) => self.inner.explain_json(&event, &text, &id)?,
                Crm::Index(index) => self.inner.explain_json_with(&event, index.as_ref(), &id)?,
            };
            parse(env, &out)
        })
    }

    /// Decides one missed call given as JSON text and returns the decision as JSON text
    /// (the fastest path when the event already is text, e.g. a raw webhook body).
    /// `crm` is CRM snapshot JSON text or a [`CrmIndex`].
    #[napi(
        catch_unwind,
        ts_args_type = "eventJson: string, crm?: string | CrmIndex | null"
    )]
    pub fn process_json(
        &self,
        env: Env,
        event_json: String,
        crm: Option<Unknown<'_>>,
    ) -> napi::Result<String> {
        errors::guard(&env, || {
            let crm = crm_arg(&env, crm)?;
            self.decide(&event_json, &crm)
        })
    }

    /// Decides a batch off the main thread (spread over the machine's cores) and resolves
    /// with the decisions in input order. The first invalid event rejects the promise with
    /// an `Error` whose `path` starts with the event's index (`[17].occurred_at`) and whose
    /// `index` is that index.
    #[napi(
        catch_unwind,
        ts_args_type = "events: Array<MissedCallEvent | string>, crm?: CrmSnapshot | CrmIndex | string | null",
        ts_return_type = "Promise<Decision[]>"
    )]
    pub fn process_many(
        &self,
        env: Env,
        events: Vec<Unknown<'_>>,
        crm: Option<Unknown<'_>>,
    ) -> napi::Result<AsyncTask<ProcessMany>> {
        Ok(AsyncTask::new(ProcessMany(Batch::new(
            &self.inner,
            batch_input(&env, events, crm),
        ))))
    }

    /// [`Engine::process_many`] that never rejects for a bad event: resolves with one entry
    /// per event in input order, the decision, or for an event that failed its `Error`
    /// (`.code`, `.path` starting with its index, `.index`), so one bad event in a batch
    /// loses none of the others. (A bad `crm` still rejects: it concerns every event.)
    #[napi(
        catch_unwind,
        ts_args_type = "events: Array<MissedCallEvent | string>, crm?: CrmSnapshot | CrmIndex | string | null",
        ts_return_type = "Promise<Array<Decision | RingbackError>>"
    )]
    pub fn process_many_settled(
        &self,
        env: Env,
        events: Vec<Unknown<'_>>,
        crm: Option<Unknown<'_>>,
    ) -> napi::Result<AsyncTask<ProcessManySettled>> {
        Ok(AsyncTask::new(ProcessManySettled {
            engine: self.inner.clone(),
            input: Some(settled_input(&env, events, crm)),
            failure: None,
        }))
    }

    /// [`Engine::process_many`] with JSON text in and out: resolves with one decision JSON
    /// string per event (no `JSON.parse` on the main thread; for batch jobs that store or
    /// forward the decisions as text).
    #[napi(
        catch_unwind,
        ts_args_type = "events: Array<MissedCallEvent | string>, crm?: CrmSnapshot | CrmIndex | string | null",
        ts_return_type = "Promise<string[]>"
    )]
    pub fn process_many_json(
        &self,
        env: Env,
        events: Vec<Unknown<'_>>,
        crm: Option<Unknown<'_>>,
    ) -> napi::Result<AsyncTask<ProcessManyJson>> {
        Ok(AsyncTask::new(ProcessManyJson(Batch::new(
            &self.inner,
            batch_input(&env, events, crm),
        ))))
    }

    /// Records an outcome of a decision (the decision object or its JSON, as `process`
    /// returned it) against the learning state (`null`/omitted for a fresh one). Returns
    /// `{ attribution, learning }`; store `learning` and pass it to the next call.
    #[napi(
        catch_unwind,
        ts_args_type = "decision: Decision | string, outcome: Outcome | string, learning?: LearningState | string | null",
        ts_return_type = "OutcomeResult"
    )]
    pub fn record_outcome<'e>(
        &self,
        env: &'e Env,
        decision: Unknown<'_>,
        outcome: Unknown<'_>,
        learning: Option<Unknown<'_>>,
    ) -> napi::Result<Unknown<'e>> {
        errors::guard(env, || {
            let decision = required(env, decision, ErrorCode::InvalidEvent, "decision")?;
            let outcome = required(env, outcome, ErrorCode::InvalidEvent, "outcome")?;
            let learning = optional(env, learning, ErrorCode::InvalidJson, "learning")?;
            let out = self
                .inner
                .record_outcome_json(&decision, &outcome, &learning)?;
            parse(env, &out)
        })
    }

    /// The SLA check a scheduler runs every minute for an open follow-up, at `now` (a `Date`
    /// or an RFC 3339 string): nothing yet, escalate, or breached.
    #[napi(
        catch_unwind,
        ts_args_type = "followup: OpenFollowUp | string, now: Date | string",
        ts_return_type = "TickAction"
    )]
    pub fn tick<'e>(
        &self,
        env: &'e Env,
        followup: Unknown<'_>,
        now: Unknown<'_>,
    ) -> napi::Result<Unknown<'e>> {
        errors::guard(env, || {
            let followup = required(env, followup, ErrorCode::InvalidCrm, "followup")?;
            let now = timestamp(env, now, "now")?;
            let out = self.inner.tick_json(&followup, &now)?;
            parse(env, &out)
        })
    }

    /// Indexes a large CRM export once (same as `new CrmIndex(engine, crm)`).
    #[napi(catch_unwind, ts_args_type = "crm: CrmSnapshot | string | Buffer")]
    pub fn index(&self, env: Env, crm: Unknown<'_>) -> napi::Result<CrmIndex> {
        CrmIndex::new(env, self, crm)
    }
}

/// A large CRM snapshot (100k+ contacts) indexed once and kept on the Rust side. Pass it as
/// the `crm` argument of `process`, `processJson` or `processMany` instead of converting
/// the snapshot on every call. Immutable; safe to share between concurrent batches.
#[napi]
pub struct CrmIndex {
    inner: Arc<ringback::CrmIndex>,
}

#[napi]
impl CrmIndex {
    /// Indexes `crm` (a snapshot object, or its JSON text as a string or `Buffer`) for use
    /// with `engine`. Throws `invalid_crm` / `invalid_json` with the path on bad input.
    #[napi(
        constructor,
        catch_unwind,
        ts_args_type = "engine: Engine, crm: CrmSnapshot | string | Buffer"
    )]
    pub fn new(env: Env, engine: &Engine, crm: Unknown<'_>) -> napi::Result<Self> {
        errors::guard(&env, || {
            let text = required(&env, crm, ErrorCode::InvalidCrm, "crm")?;
            let index = engine.inner.index_json(&text)?;
            Ok(CrmIndex {
                inner: Arc::new(index),
            })
        })
    }

    /// The number of contacts in the index.
    #[napi(getter, catch_unwind)]
    pub fn size(&self) -> u32 {
        u32::try_from(self.inner.len()).unwrap_or(u32::MAX)
    }
}

/// A replay of many calls through one engine: each call is decided against the CRM as
/// every earlier decision left it, written back, and added to the recovery report; outcomes
/// are matched to the decisions. The loop is the core's `ringback::replay::Replayer`
/// (ordering contract: `occurred_at`, `received_at`, `event_id`).
#[napi]
pub struct Replayer {
    inner: Mutex<ringback::Replayer<Arc<ringback::Engine>>>,
}

impl Replayer {
    /// Runs `f` on the replayer (a replayer stopped by an internal error stays stopped).
    fn with<T>(
        &self,
        f: impl FnOnce(&mut ringback::Replayer<Arc<ringback::Engine>>) -> Res<T>,
    ) -> Res<T> {
        let mut r = self.inner.lock().map_err(|_| {
            Error::new(
                ErrorCode::Internal,
                "",
                "this Replayer stopped at an internal error; start a new one",
            )
        })?;
        f(&mut r)
    }
}

#[napi]
impl Replayer {
    /// A replay for `engine` over `crm`: a [`CrmIndex`] (copied: the index passed in is not
    /// changed), a snapshot object, JSON text, or nothing for an empty CRM.
    #[napi(
        constructor,
        catch_unwind,
        ts_args_type = "engine: Engine, crm?: CrmSnapshot | CrmIndex | string | null"
    )]
    pub fn new(env: Env, engine: &Engine, crm: Option<Unknown<'_>>) -> napi::Result<Self> {
        errors::guard(&env, || {
            let index = match crm_arg(&env, crm)? {
                Crm::Index(i) => ringback::CrmIndex::clone(&i),
                Crm::Text(t) => engine.inner.index_json(&t)?,
            };
            Ok(Replayer {
                inner: Mutex::new(ringback::Replayer::new(engine.inner.clone(), index)),
            })
        })
    }

    /// Decides one call (an object or JSON text) in the order given, writes the decision
    /// back and adds it to the report. Returns the decision.
    #[napi(
        catch_unwind,
        ts_args_type = "event: MissedCallEvent | string",
        ts_return_type = "Decision"
    )]
    pub fn decide<'e>(&self, env: &'e Env, event: Unknown<'_>) -> napi::Result<Unknown<'e>> {
        errors::guard(env, || {
            let event = required(env, event, ErrorCode::InvalidEvent, "event")?;
            let out = self.with(|r| r.decide_json(&event))?;
            parse(env, &out)
        })
    }

    /// Orders `events` by the replay key and decides each. Returns one entry per event in
    /// replay order: the decision, or for a rejected event its `Error` (`.code`, `.path`
    /// starting with its input index, `.index`), so one bad event loses none of the others.
    #[napi(
        catch_unwind,
        ts_args_type = "events: Array<MissedCallEvent | string>",
        ts_return_type = "Array<Decision | RingbackError>"
    )]
    pub fn replay<'e>(&self, env: &'e Env, events: Vec<Unknown<'_>>) -> napi::Result<Array<'e>> {
        errors::guard(env, || {
            let napi = |e: napi::Error| errors::from_napi(&e);
            // An event that does not convert keeps its place: replayed as an empty text
            // (rejected in place by the core) and answered with its conversion error.
            let mut texts = Vec::with_capacity(events.len());
            let mut failed: Vec<Option<Error>> = Vec::with_capacity(events.len());
            for (i, ev) in events.into_iter().enumerate() {
                match required(env, ev, ErrorCode::InvalidEvent, "event") {
                    Ok(t) => {
                        texts.push(t);
                        failed.push(None);
                    }
                    Err(e) => {
                        texts.push(String::new());
                        failed.push(Some(e.within(&format!("[{i}]"))));
                    }
                }
            }
            let answers = self.with(|r| {
                let mut out = Vec::with_capacity(texts.len());
                r.replay_texts_each(texts.iter().map(String::as_str), |a| {
                    out.push((a.input, a.result.and_then(|d| ringback::to_json(&d))));
                });
                Ok(out)
            })?;
            let len = u32::try_from(answers.len()).map_err(|_| {
                Error::new(
                    ErrorCode::InvalidEvent,
                    "",
                    "more than 2^32 events in one replay",
                )
            })?;
            let mut arr = env.create_array(len).map_err(napi)?;
            for (k, (input, json)) in (0..len).zip(answers) {
                let i = input - 1;
                let index = u32::try_from(i).ok();
                let value = match (failed.get_mut(i).and_then(Option::take), json) {
                    (Some(e), _) => errors::error_value(env, &e, index).map_err(napi)?,
                    (None, Ok(text)) => parse(env, &text)?,
                    (None, Err(e)) => errors::error_value(env, &e.within(&format!("[{i}]")), index)
                        .map_err(napi)?,
                };
                arr.set(k, value).map_err(napi)?;
            }
            Ok(arr)
        })
    }

    /// Replays JSON lines (one event per line) and returns the answers as JSON lines in
    /// replay order: each decision, or `{"error":{...},"line":N}` for a rejected line. Byte
    /// for byte what `ringback replay --format jsonl` prints.
    #[napi(catch_unwind, ts_args_type = "text: string | Buffer")]
    pub fn replay_jsonl(&self, env: Env, text: Unknown<'_>) -> napi::Result<String> {
        errors::guard(&env, || {
            let is_text = match text.get_type().map_err(|e| errors::from_napi(&e))? {
                napi::ValueType::String => true,
                napi::ValueType::Object => text.is_buffer().map_err(|e| errors::from_napi(&e))?,
                _ => false,
            };
            if !is_text {
                return Err(Error::new(
                    ErrorCode::InvalidEvent,
                    "",
                    "replayJsonl takes JSON lines as a string or Buffer; use replay() for an array of events",
                ));
            }
            let text = required(&env, text, ErrorCode::InvalidEvent, "text")?;
            self.with(|r| Ok(r.replay_jsonl_to_jsonl(&text)))
        })
    }

    /// Records an outcome (an object or JSON text) against the decision the report counts
    /// for its call. Returns the attribution event.
    #[napi(
        catch_unwind,
        ts_args_type = "outcome: Outcome | string",
        ts_return_type = "AttributionEvent"
    )]
    pub fn record_outcome<'e>(
        &self,
        env: &'e Env,
        outcome: Unknown<'_>,
    ) -> napi::Result<Unknown<'e>> {
        errors::guard(env, || {
            let outcome = required(env, outcome, ErrorCode::InvalidEvent, "outcome")?;
            let out = self.with(|r| r.record_outcome_json(&outcome))?;
            parse(env, &out)
        })
    }

    /// Writes back a consent revocation (`channel` `sms`, `voice` or `email`): later
    /// decisions of this replay do not contact `number` there.
    #[napi(
        catch_unwind,
        ts_args_type = "channel: 'sms' | 'voice' | 'email', number: string"
    )]
    pub fn suppress(&self, env: Env, channel: String, number: String) -> napi::Result<()> {
        errors::guard(&env, || {
            let c = ringback::model::policy::Channel::parse(&channel).ok_or_else(|| {
                Error::new(
                    ErrorCode::InvalidJson,
                    "channel",
                    format!("`{channel}` is not sms, voice or email"),
                )
            })?;
            self.with(|r| {
                r.suppress(c, &number);
                Ok(())
            })
        })
    }

    /// The recovery report's figures so far.
    #[napi(catch_unwind, ts_return_type = "ReportSummary")]
    pub fn summary<'e>(&self, env: &'e Env) -> napi::Result<Unknown<'e>> {
        errors::guard(env, || {
            let out = self.with(|r| r.summary_json())?;
            parse(env, &out)
        })
    }

    /// Counts so far.
    #[napi(getter, catch_unwind)]
    pub fn stats(&self, env: Env) -> napi::Result<ReplayStats> {
        errors::guard(&env, || {
            self.with(|r| {
                let s = r.stats();
                Ok(ReplayStats {
                    events: s.events as f64,
                    rejected: s.rejected as f64,
                    outcomes: s.outcomes as f64,
                    outcomes_rejected: s.outcomes_rejected as f64,
                })
            })
        })
    }
}

/// What a [`Replayer`] has been given so far.
#[napi(object)]
pub struct ReplayStats {
    /// Calls given (decided or rejected).
    pub events: f64,
    /// Calls rejected with an error.
    pub rejected: f64,
    /// Outcomes given.
    pub outcomes: f64,
    /// Outcomes rejected with an error.
    pub outcomes_rejected: f64,
}

fn crm_config(env: &Env, config: Option<Unknown<'_>>) -> Res<ringback::crm::Config> {
    let text = optional(env, config, ErrorCode::InvalidCrm, "config")?;
    ringback::crm::Config::parse(&text)
}

/// The search requests for one caller (see `crmLookup`).
#[napi]
pub struct CrmLookup {
    inner: ringback::crm::Lookup,
}

#[napi]
impl CrmLookup {
    /// The requests to send, in order: `{method, path, headers, body, delay_seconds}`.
    #[napi(catch_unwind, ts_return_type = "CrmRequest[]")]
    pub fn requests<'e>(&self, env: &'e Env) -> napi::Result<Unknown<'e>> {
        errors::guard(env, || {
            parse(env, &ringback::to_json(&self.inner.requests())?)
        })
    }

    /// The upsert key a new lead for this caller would carry.
    #[napi(getter, catch_unwind)]
    pub fn key(&self) -> String {
        self.inner.key().to_string()
    }

    /// Seconds to wait before sending a request again after `response` (its `attempt`-th
    /// failure), or `null` to use the answer as it is (the core's retry policy).
    #[napi(catch_unwind, ts_args_type = "response: CrmResponse, attempt: number")]
    pub fn retry_delay(
        &self,
        env: Env,
        response: Unknown<'_>,
        attempt: u32,
    ) -> napi::Result<Option<u32>> {
        errors::guard(&env, || {
            let text = required(&env, response, ErrorCode::InvalidCrm, "response")?;
            let r = ringback::crm::Response::from_json(&text)?;
            Ok(self.inner.retry_delay(&r, attempt))
        })
    }

    /// Reads the answers (`{status, headers, body}`, one per request, in order) into a CRM
    /// snapshot.
    #[napi(
        catch_unwind,
        ts_args_type = "responses: CrmResponse[]",
        ts_return_type = "CrmSnapshot"
    )]
    pub fn snapshot<'e>(
        &self,
        env: &'e Env,
        responses: Vec<Unknown<'_>>,
    ) -> napi::Result<Unknown<'e>> {
        errors::guard(env, || {
            let mut list = Vec::with_capacity(responses.len());
            for (i, r) in responses.into_iter().enumerate() {
                let text = required(env, r, ErrorCode::InvalidCrm, "response")
                    .map_err(|e| e.within(&format!("[{i}]")))?;
                list.push(
                    ringback::crm::Response::from_json(&text)
                        .map_err(|e| e.within(&format!("[{i}]")))?,
                );
            }
            parse(env, &ringback::to_json(&self.inner.snapshot(&list)?)?)
        })
    }
}

/// The lookup for a caller number in any format at `location`.
#[napi(
    catch_unwind,
    ts_args_type = "system: 'salesforce' | 'hubspot' | 'zoho' | 'dynamics' | 'pipedrive', caller: string, location: string, config?: object | string | null"
)]
pub fn crm_lookup(
    env: Env,
    system: String,
    caller: String,
    location: String,
    config: Option<Unknown<'_>>,
) -> napi::Result<CrmLookup> {
    errors::guard(&env, || {
        let system = ringback::crm::System::parse(&system)?;
        let config = crm_config(&env, config)?;
        let caller = ringback::crm::Caller::parse(&caller, &location, &config)?;
        Ok(CrmLookup {
            inner: ringback::crm::lookup(system, &config, &caller),
        })
    })
}

/// The sync machine of one decision: `nextRequest()`, send it, `feed(answer)`, until
/// `nextRequest()` returns `null`; then `outcome()`.
#[napi]
pub struct CrmSync {
    inner: Mutex<ringback::crm::Sync>,
}

#[napi]
impl CrmSync {
    /// A sync of `decision` (the object or JSON `process` returned) into `system`.
    #[napi(
        constructor,
        catch_unwind,
        ts_args_type = "system: 'salesforce' | 'hubspot' | 'zoho' | 'dynamics' | 'pipedrive', decision: Decision | string, config?: object | string | null"
    )]
    pub fn new(
        env: Env,
        system: String,
        decision: Unknown<'_>,
        config: Option<Unknown<'_>>,
    ) -> napi::Result<Self> {
        errors::guard(&env, || {
            let system = ringback::crm::System::parse(&system)?;
            let config = crm_config(&env, config)?;
            let text = required(&env, decision, ErrorCode::InvalidEvent, "decision")?;
            let subject = ringback::crm::SyncSubject::from_json(&text)?;
            Ok(CrmSync {
                inner: Mutex::new(ringback::crm::Sync::new(system, &subject, &config)),
            })
        })
    }

    /// The next request (wait `delay_seconds` first), or `null` when done or failed.
    #[napi(catch_unwind, ts_return_type = "CrmRequest | null")]
    pub fn next_request<'e>(&self, env: &'e Env) -> napi::Result<Unknown<'e>> {
        machine_next(env, &self.inner, "sync")
    }

    /// Reads the CRM's answer `{status, headers, body}` to the last request.
    #[napi(catch_unwind, ts_args_type = "response: CrmResponse")]
    pub fn feed(&self, env: Env, response: Unknown<'_>) -> napi::Result<()> {
        machine_feed(&env, &self.inner, "sync", response)
    }

    /// What the sync did so far.
    #[napi(catch_unwind, ts_return_type = "CrmSyncOutcome")]
    pub fn outcome<'e>(&self, env: &'e Env) -> napi::Result<Unknown<'e>> {
        machine_outcome(env, &self.inner, "sync")
    }

    /// The most requests this sync can send.
    #[napi(getter, catch_unwind)]
    pub fn request_bound(&self, env: Env) -> napi::Result<u32> {
        errors::guard(&env, || {
            with_machine(&self.inner, "sync", |s| Ok(s.request_bound()))
        })
    }
}

/// Converts the arguments of a batch call on the main thread, keeping each event's own
/// conversion result (its error path prefixed with its index); a bad `crm` fails the batch.
fn settled_input(env: &Env, events: Vec<Unknown<'_>>, crm: Option<Unknown<'_>>) -> SettledInput {
    catch_unwind(AssertUnwindSafe(|| -> SettledInput {
        let texts = events
            .into_iter()
            .enumerate()
            .map(|(i, ev)| {
                required(env, ev, ErrorCode::InvalidEvent, "event")
                    .map_err(|e| e.within(&format!("[{i}]")))
            })
            .collect();
        Ok((texts, crm_arg(env, crm)?))
    }))
    .unwrap_or_else(|p| Err(errors::from_panic(p.as_ref())))
}

/// [`settled_input`] where the first bad event (in input order) fails the batch; the error
/// is kept and rejects the promise (rather than throwing synchronously).
fn batch_input(env: &Env, events: Vec<Unknown<'_>>, crm: Option<Unknown<'_>>) -> BatchInput {
    let (texts, crm) = settled_input(env, events, crm)?;
    Ok((texts.into_iter().collect::<Res<Vec<String>>>()?, crm))
}

type BatchInput = Res<(Vec<String>, Crm)>;

/// The state shared by the two batch tasks: the input, and the core error of a failed
/// `compute` (napi hands `reject` only a plain napi error).
struct Batch {
    engine: Arc<ringback::Engine>,
    input: Option<BatchInput>,
    failure: Option<Error>,
}

impl Batch {
    fn new(engine: &Arc<ringback::Engine>, input: BatchInput) -> Self {
        Batch {
            engine: engine.clone(),
            input: Some(input),
            failure: None,
        }
    }

    /// Runs on a libuv worker thread, under `catch_unwind` (napi does not guard `compute`).
    fn compute(&mut self) -> napi::Result<Vec<String>> {
        let result = catch_unwind(AssertUnwindSafe(|| match self.input.take() {
            Some(Ok((events, crm))) => decide_batch(&self.engine, &events, &crm),
            Some(Err(e)) => Err(e),
            None => Err(Error::new(ErrorCode::Internal, "", "batch computed twice")),
        }))
        .unwrap_or_else(|p| Err(errors::from_panic(p.as_ref())));
        result.map_err(|e| {
            let reason = e.to_string();
            self.failure = Some(e);
            napi::Error::new(Status::GenericFailure, reason)
        })
    }

    /// The rejection: the core error with `.code`, `.path` and the failing `.index`.
    fn reject(&mut self, env: &Env, err: &napi::Error) -> napi::Error {
        let core = self
            .failure
            .take()
            .unwrap_or_else(|| errors::from_napi(err));
        errors::to_js_at(env, &core, index_of(&core))
    }
}

/// Decides every event (see [`decide_batch_settled`]); the first error in input order
/// wins, its path prefixed with the index.
fn decide_batch(engine: &ringback::Engine, events: &[String], crm: &Crm) -> Res<Vec<String>> {
    decide_batch_settled(engine, events, crm)?
        .into_iter()
        .enumerate()
        .map(|(i, r)| r.map_err(|e| e.within(&format!("[{i}]"))))
        .collect()
}

fn index_of(err: &Error) -> Option<u32> {
    let rest = err.path.strip_prefix('[')?;
    rest[..rest.find(']')?].parse().ok()
}

/// The task behind `Engine.processMany`: decides on worker threads, then parses each
/// decision into an object on the main thread.
pub struct ProcessMany(Batch);

impl Task for ProcessMany {
    type Output = Vec<String>;
    type JsValue = Array<'static>;

    fn compute(&mut self) -> napi::Result<Vec<String>> {
        self.0.compute()
    }

    fn resolve(&mut self, env: Env, output: Vec<String>) -> napi::Result<Array<'static>> {
        errors::guard(&env, || {
            let napi = |e: napi::Error| errors::from_napi(&e);
            let len = u32::try_from(output.len()).map_err(|_| {
                Error::new(
                    ErrorCode::InvalidEvent,
                    "",
                    "more than 2^32 events in one batch",
                )
            })?;
            let mut arr = env.create_array(len).map_err(napi)?;
            for (i, text) in (0..len).zip(&output) {
                arr.set(i, parse(&env, text)?).map_err(napi)?;
            }
            // SAFETY: `arr` is a live array value of this env, returned to napi at once.
            unsafe { Array::from_napi_value(env.raw(), arr.raw()) }.map_err(napi)
        })
    }

    fn reject(&mut self, env: Env, err: napi::Error) -> napi::Result<Array<'static>> {
        Err(self.0.reject(&env, &err))
    }
}

/// The task behind `Engine.processManyJson`: decision JSON strings, no parsing.
pub struct ProcessManyJson(Batch);

impl Task for ProcessManyJson {
    type Output = Vec<String>;
    type JsValue = Vec<String>;

    fn compute(&mut self) -> napi::Result<Vec<String>> {
        self.0.compute()
    }

    fn resolve(&mut self, _env: Env, output: Vec<String>) -> napi::Result<Vec<String>> {
        Ok(output)
    }

    fn reject(&mut self, env: Env, err: napi::Error) -> napi::Result<Vec<String>> {
        Err(self.0.reject(&env, &err))
    }
}

type SettledInput = Res<(Vec<Res<String>>, Crm)>;

/// The task behind `Engine.processManySettled`: like `processMany`, but each event's
/// outcome (decision or error) keeps its place.
pub struct ProcessManySettled {
    engine: Arc<ringback::Engine>,
    input: Option<SettledInput>,
    failure: Option<Error>,
}

impl Task for ProcessManySettled {
    type Output = Vec<Res<String>>;
    type JsValue = Array<'static>;

    fn compute(&mut self) -> napi::Result<Vec<Res<String>>> {
        let engine = &self.engine;
        let input = self.input.take();
        let result = catch_unwind(AssertUnwindSafe(|| match input {
            Some(Ok((events, crm))) => {
                // Decide the events that converted; the others keep their error.
                let good: Vec<String> = events.iter().filter_map(|e| e.clone().ok()).collect();
                let mut decided = decide_batch_settled(engine, &good, &crm)?.into_iter();
                Ok(events
                    .into_iter()
                    .enumerate()
                    .map(|(i, e)| match e {
                        Ok(_) => decided
                            .next()
                            .unwrap_or_else(|| {
                                Err(Error::new(ErrorCode::Internal, "", "batch result missing"))
                            })
                            .map_err(|e| e.within(&format!("[{i}]"))),
                        Err(e) => Err(e),
                    })
                    .collect())
            }
            Some(Err(e)) => Err(e),
            None => Err(Error::new(ErrorCode::Internal, "", "batch computed twice")),
        }))
        .unwrap_or_else(|p| Err(errors::from_panic(p.as_ref())));
        result.map_err(|e| {
            let reason = e.to_string();
            self.failure = Some(e);
            napi::Error::new(Status::GenericFailure, reason)
        })
    }

    fn resolve(&mut self, env: Env, output: Vec<Res<String>>) -> napi::Result<Array<'static>> {
        errors::guard(&env, || {
            let napi = |e: napi::Error| errors::from_napi(&e);
            let len = u32::try_from(output.len()).map_err(|_| {
                Error::new(
                    ErrorCode::InvalidEvent,
                    "",
                    "more than 2^32 events in one batch",
                )
            })?;
            let mut arr = env.create_array(len).map_err(napi)?;
            for (i, item) in (0..len).zip(&output) {
                match item {
                    Ok(text) => arr.set(i, parse(&env, text)?).map_err(napi)?,
                    Err(e) => arr
                        .set(i, errors::error_value(&env, e, Some(i)).map_err(napi)?)
                        .map_err(napi)?,
                }
            }
            // SAFETY: `arr` is a live array value of this env, returned to napi at once.
            unsafe { Array::from_napi_value(env.raw(), arr.raw()) }.map_err(napi)
        })
    }

    fn reject(&mut self, env: Env, err: napi::Error) -> napi::Result<Array<'static>> {
        let core = self
            .failure
            .take()
            .unwrap_or_else(|| errors::from_napi(&err));
        Err(errors::to_js(&env, &core))
    }
}

/// Decides every event, spread over the cores with scoped threads (the core is pure and
/// `Sync`), keeping each event's own result; the index prefix of an error is added by the
/// caller, which knows the event's place in the input.
fn decide_batch_settled(
    engine: &ringback::Engine,
    events: &[String],
    crm: &Crm,
) -> Res<Vec<Res<String>>> {
    let snapshot;
    let index: &(dyn ringback::CrmSource + Sync) = match crm {
        Crm::Text(t) => {
            snapshot = ringback::parse_crm(t)?;
            &snapshot
        }
        Crm::Index(i) => i.as_ref(),
    };
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 8)
        .min(events.len().div_ceil(64).max(1));
    let chunk = events.len().div_ceil(threads).max(1);
    let parts: Vec<Vec<Res<String>>> = std::thread::scope(|s| {
        let handles: Vec<_> = events
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || -> Vec<Res<String>> {
                    part.iter()
                        .map(|ev| engine.process_json_with(ev, index))
                        .collect()
                })
            })
            .collect();
        handles
            .into_iter()
            .zip(events.chunks(chunk))
            .map(|(h, part)| {
                h.join().unwrap_or_else(|p| {
                    let e = errors::from_panic(p.as_ref());
                    part.iter().map(|_| Err(e.clone())).collect()
                })
            })
            .collect()
    });
    Ok(parts.into_iter().flatten().collect())
}

/// Test-only (hidden from the typings): panics inside a synchronous entry point, to prove
/// a panic becomes a thrown `Error` with code `internal` instead of aborting Node.
#[napi(js_name = "__panicForTests", catch_unwind, skip_typescript)]
pub fn panic_for_tests(env: Env) -> napi::Result<()> {
    errors::guard(&env, || -> Res<()> {
        panic!("forced panic (test-only export)");
    })
}

/// Test-only (hidden from the typings): panics inside an async task's `compute` on a
/// worker thread, to prove the promise rejects with code `internal` instead of aborting.
#[napi(js_name = "__panicAsyncForTests", catch_unwind, skip_typescript)]
pub fn panic_async_for_tests() -> AsyncTask<PanicTask> {
    AsyncTask::new(PanicTask { failure: None })
}

/// The task behind `__panicAsyncForTests`.
pub struct PanicTask {
    failure: Option<Error>,
}

impl Task for PanicTask {
    type Output = ();
    type JsValue = ();

    fn compute(&mut self) -> napi::Result<()> {
        let result = catch_unwind(|| -> Res<()> {
            panic!("forced panic in compute (test-only export)");
        })
        .unwrap_or_else(|p| Err(errors::from_panic(p.as_ref())));
        result.map_err(|e| {
            let reason = e.to_string();
            self.failure = Some(e);
            napi::Error::new(Status::GenericFailure, reason)
        })
    }

    fn resolve(&mut self, _env: Env, _output: ()) -> napi::Result<()> {
        Ok(())
    }

    fn reject(&mut self, env: Env, err: napi::Error) -> napi::Result<()> {
        let core = self
            .failure
            .take()
            .unwrap_or_else(|| errors::from_napi(&err));
        Err(errors::to_js(&env, &core))
    }
}
