//! CRM adapters, the outbound edge: search a CRM by the caller's number and turn the hits
//! into a [`CrmSnapshot`] ([`lookup`]), and write a decision into the CRM without creating
//! anything twice ([`Sync`]). Both are **sans-I/O state machines**: they say which HTTP
//! [`Request`] to send next and read the [`Response`] they are fed; the caller owns the
//! socket, the credentials and the clock (a retry says how long to wait, the caller waits).
//!
//! ```
//! use ringback::crm::{Config, Response, Sync, SyncSubject, System};
//! use ringback::{CrmSnapshot, Engine, MissedCallEvent, Policy};
//!
//! let engine = Engine::new(&Policy::from_json(r#"{"version": "v1", "locations": [
//!   {"id": "phx-01", "name": "Phoenix", "vertical": "home_services",
//!    "time_zone": "America/Phoenix", "state": "AZ", "hours": {"tue": [["07:00","18:00"]]}}]}"#)?)?;
//! let event = MissedCallEvent::from_json(r#"{"event_id": "CAL1", "location_id": "phx-01",
//!   "occurred_at": "2026-11-24T09:15:00-07:00", "caller_number": "602-555-0143",
//!   "disposition": "no_answer"}"#)?;
//! let decision = engine.process(&event, &CrmSnapshot::default())?;
//!
//! let mut sync = Sync::new(System::Salesforce, &SyncSubject::from(&decision), &Config::default());
//! // First the race-safe upsert of the new lead by its key ...
//! let req = sync.next_request().expect("a request");
//! assert_eq!(req.method, "PATCH");
//! assert_eq!(req.path, "/services/data/v62.0/sobjects/Lead/Ringback_Key__c/phone%3A%2B16025550143");
//! sync.feed(Response { status: 201, headers: vec![],
//!     body: r#"{"id": "00Q5g00000LmNoPEA3", "success": true, "errors": [], "created": true}"#.into() })?;
//! // ... then the missed call, keyed by the event id, linked to that lead.
//! let req = sync.next_request().expect("a request");
//! assert!(req.path.ends_with("/sobjects/Task/Ringback_Event_Id__c/CAL1"));
//! assert!(req.body.as_deref().unwrap_or("").contains(r#""WhoId":"00Q5g00000LmNoPEA3""#));
//! # Ok::<(), ringback::Error>(())
//! ```
//!
//! # The CRMs
//!
//! One module per CRM renders the writes into its primitives ([`salesforce`], [`hubspot`],
//! [`zoho`], [`dynamics`], [`pipedrive`]; each module's doc cites the facts). The machine
//! is the same for all five; what differs is said through its modes: where a CRM has no
//! upsert for an object, the write first finds its record by key (Zoho Calls and Tasks
//! through COQL, Pipedrive through search and activity lists); where one write takes more
//! than one request, the follow-ups are chained on the written record (a HubSpot
//! association, a Dynamics phone call closed as received, a Pipedrive person confirmed and
//! its racing duplicates merged, an activity turned into a call log).
//!
//! # What a decision writes
//!
//! * `create_lead`: the person, created race-safely by the decision's `upsert_key` (a
//!   unique external-id field or property, Zoho's `duplicate_check_fields`, a Dynamics
//!   alternate key with `If-None-Match: *`; Pipedrive, which has no uniqueness: find,
//!   create, confirm, merge, see [`pipedrive`]), then the activity and tasks linked to it.
//! * `append_to_customer` / `append_to_lead`: the activity and tasks on that record.
//! * `append_to_open_followup`: the activity, and the open task's due time moves (no
//!   second task).
//! * `needs_resolution`: one task listing the candidates, linked to no one.
//! * `duplicate_event`, `not_missed`: no request at all.
//! * `amended`: the activity is updated (same key) with the transcript, the tasks' due
//!   times move (same keys).
//! * consent updates: the CRM's opt-out fields where it has them; the outcome names what
//!   could not be written and why.
//!
//! Every activity and task carries its own key (the event id; `event:step`) in a unique
//! field or a tag, so running the same decision's sync twice creates nothing new. Text and
//! email steps are the messaging adapter's ([`crate::messaging`]), not CRM tasks (listed as
//! skipped).
//!
//! # Answers the machine reads
//!
//! 2xx: the write is done (its id is read from the body or a header). 429: wait
//! `Retry-After` (or the configured seconds) and send the same request again. 5xx: the
//! same, the wait doubling. After `max_attempts` either way the sync stops as
//! `unavailable`. 401/403 stop it as `rejected`. The documented conflict answers resolve to
//! "reuse that record": Salesforce 300, `DUPLICATE_VALUE`, an Alert duplicate rule
//! (`DUPLICATES_DETECTED`: sent again with `allowSave=true`); HubSpot 409 (`Existing ID: n`);
//! Zoho `DUPLICATE_DATA` (the duplicate record, else a re-read by key); Dataverse 412 on a
//! create-only upsert (a re-read by key); Pipedrive 409 on a call log already made. A body
//! that is not what the CRM documents is an `invalid_crm` error with its JSON path. A sync
//! sends at most `writes × (max_attempts + 6) + 16` requests ([`Sync::request_bound`]).

mod adapter;
pub mod config;
pub mod dynamics;
pub mod http;
pub mod hubspot;
pub mod pipedrive;
mod plan;
pub mod salesforce;
pub mod subject;
pub mod zoho;

use schemars::JsonSchema;
use serde::Serialize;

use crate::error::{Error, ErrorCode, Result};
use crate::model::crm::{ContactKind, CrmSnapshot};

pub use config::{Config, System};
pub use http::{Machine, Request, Response};
pub use subject::SyncSubject;

pub(crate) use adapter::{Adapter, Context, Mode, Read, Then};
use plan::{Person, Write};

/// The adapter of a CRM.
pub(crate) fn adapter(system: System) -> &'static dyn Adapter {
    match system {
        System::Salesforce => &salesforce::Salesforce,
        System::Hubspot => &hubspot::Hubspot,
        System::Zoho => &zoho::Zoho,
        System::Dynamics => &dynamics::Dynamics,
        System::Pipedrive => &pipedrive::Pipedrive,
    }
}

/// The most duplicates one sync merges (Pipedrive); more wait for the next sync.
pub(crate) const MAX_MERGES: u32 = 16;

/// Whether an answer is worth sending the request again for (429, 5xx).
fn retryable(status: u16) -> bool {
    status == 429 || (500..600).contains(&status)
}

/// Seconds to wait before sending a request again after `response`, its `attempt`-th
/// failure (1 = the first): `Retry-After`, else `retry_seconds` (for a 5xx doubled on each
/// attempt, at most 300). `None` when the answer is no 429 or 5xx, or `max_attempts` is
/// spent. The one retry policy of the sync and the lookup drivers.
pub fn retry_delay(config: &Config, response: &Response, attempt: u32) -> Option<u32> {
    if !retryable(response.status) || attempt >= config.max_attempts {
        return None;
    }
    let fallback = if response.status == 429 {
        config.retry_seconds
    } else {
        config
            .retry_seconds
            .saturating_mul(1 << attempt.saturating_sub(1).min(8))
            .min(300)
    };
    Some(response.retry_after(fallback))
}

/// The national digits of an E.164 number (NANP: the ten digits after `+1`), as CRMs store
/// and search them.
pub(crate) fn national(e164: &str) -> String {
    let digits: String = e164.chars().filter(char::is_ascii_digit).collect();
    match digits.strip_prefix('1') {
        Some(rest) if e164.starts_with("+1") && rest.len() == 10 => rest.to_string(),
        _ => phonenumber::parse(None, e164)
            .map(|n| n.national().value().to_string())
            .unwrap_or(digits),
    }
}

/// The caller a [`lookup`] searches for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The number in E.164.
    pub e164: String,
    /// The location the call came in at.
    pub location_id: String,
}

impl Caller {
    /// A caller from a number in any format (read with the config's region).
    pub fn parse(number: &str, location_id: &str, config: &Config) -> Result<Caller> {
        let region = crate::phone::region(&config.region).ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidCrm,
                "region",
                "not an ISO 3166 region code",
            )
        })?;
        let e164 = crate::phone::match_key(number, region).ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidEvent,
                "caller_number",
                format!("`{}` is not a phone number", http_clip(number)),
            )
        })?;
        Ok(Caller {
            e164,
            location_id: location_id.to_string(),
        })
    }
}

fn http_clip(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    out
}

/// The search requests for one caller, and how to read their answers.
#[derive(Debug, Clone, PartialEq)]
pub struct Lookup {
    system: System,
    caller: Caller,
    key: String,
    requests: Vec<Request>,
    config: Config,
}

/// The search requests for `caller` in `system`: a phone search in every format that CRM
/// needs to match, and a read by the upsert key (which a search index may not show yet
/// right after a create).
pub fn lookup(system: System, config: &Config, caller: &Caller) -> Lookup {
    let key = crate::model::crm::upsert_key(Some(&caller.e164), "");
    let requests = adapter(system).lookup_requests(config, caller, &key);
    Lookup {
        system,
        caller: caller.clone(),
        key,
        requests,
        config: config.clone(),
    }
}

impl Lookup {
    /// The requests to send, in order.
    pub fn requests(&self) -> &[Request] {
        &self.requests
    }

    /// The upsert key a new lead for this caller would carry.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// Seconds to wait before sending a lookup request again after `response` (its
    /// `attempt`-th failure), or `None` to use the answer as it is: [`retry_delay`] with
    /// this lookup's configuration.
    pub fn retry_delay(&self, response: &Response, attempt: u32) -> Option<u32> {
        retry_delay(&self.config, response, attempt)
    }

    /// Reads the answers (one per request, in order) into a snapshot: every hit whose
    /// stored phone is the caller's number once normalized to E.164 (a search also returns
    /// near misses), or whose stored upsert key is the caller's; each record once. An
    /// answer that is not a success (nor "none found") is a coded error.
    pub fn snapshot(&self, responses: &[Response]) -> Result<CrmSnapshot> {
        if responses.len() != self.requests.len() {
            return Err(Error::new(
                ErrorCode::InvalidCrm,
                "",
                format!(
                    "{} responses for {} lookup requests",
                    responses.len(),
                    self.requests.len()
                ),
            ));
        }
        let region =
            crate::phone::region(&self.config.region).unwrap_or(phonenumber::country::Id::US);
        let mut contacts: Vec<crate::model::crm::Contact> = Vec::new();
        for (i, r) in responses.iter().enumerate() {
            let found = adapter(self.system)
                .read_lookup(&self.config, i, r)
                .map_err(|e| e.within(&format!("[{i}]")))?;
            for c in found {
                let matches_phone = c.phones.iter().any(|p| {
                    crate::phone::match_key(p.number(), region).as_deref()
                        == Some(&self.caller.e164)
                });
                let matches_key = c.upsert_key.as_deref() == Some(self.key.as_str());
                if (matches_phone || matches_key) && !contacts.iter().any(|k| k.id == c.id) {
                    contacts.push(c);
                }
            }
        }
        Ok(CrmSnapshot {
            contacts,
            suppressions: Default::default(),
        })
    }
}

/// A record the sync wrote or reused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Written {
    /// `lead`, `call`, `task`, `task_moved` or `opt_out`.
    pub what: &'static str,
    /// The CRM object (`Lead`, `Task`, `contacts`, `calls`, `tasks`, ...).
    pub object: String,
    /// Its id in the CRM.
    pub id: Option<String>,
    /// The key it was written under (upsert key, event id, `event:step`), when any.
    pub key: Option<String>,
    /// Whether the CRM created it (`false`: an existing record was reused or updated;
    /// `null`: the CRM does not say).
    pub created: Option<bool>,
}

/// Something the decision asked for that the sync did not write, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Skipped {
    /// What (`step callback`, `sms opt-out`, `everything`).
    pub what: String,
    /// Why.
    pub reason: String,
}

/// Why a sync stopped before it was done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Failure {
    /// `crm_rejected` (401, 403, a request the CRM calls invalid, a blocking duplicate
    /// rule), `crm_unavailable` (429 or 5xx through every attempt), `invalid_crm` (a body
    /// that is not what the CRM documents) or `internal` (the request bound was reached).
    pub code: &'static str,
    /// The HTTP status of the last answer.
    pub status: Option<u16>,
    /// What happened.
    pub message: String,
}

/// Where a sync stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SyncState {
    /// More requests to send.
    Running,
    /// Everything written.
    Done,
    /// Stopped (see `failure`); what was written stays written, and running the sync
    /// again is safe.
    Failed,
}

/// What a sync did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct SyncOutcome {
    /// The CRM.
    pub system: System,
    /// The event synced.
    pub event_id: String,
    /// Where it stands.
    pub state: SyncState,
    /// The person the call was logged on (the lead created or reused, or the contact).
    pub person: Option<Written>,
    /// Everything written, in order.
    pub written: Vec<Written>,
    /// What was not written, and why.
    pub skipped: Vec<Skipped>,
    /// Requests sent so far (retries included).
    pub requests: u32,
    /// Of those, retries after 429 or 5xx.
    pub retries: u32,
    /// Why it stopped, when it failed.
    pub failure: Option<Failure>,
}

/// Writes one decision into a CRM, one request at a time (see the module doc).
#[derive(Debug, Clone)]
pub struct Sync {
    system: System,
    config: Config,
    writes: Vec<Write>,
    index: usize,
    mode: Mode,
    attempts: u32,
    pending: Option<Request>,
    context: Context,
    outcome: SyncOutcome,
    bound: u32,
}

impl Sync {
    /// A sync of `subject` into `system`.
    pub fn new(system: System, subject: &SyncSubject, config: &Config) -> Sync {
        let (mut writes, mut skips) = plan::plan(subject, config);
        // Opt-out channels this CRM (as configured) has no field for are reported, not
        // silently dropped.
        for w in &mut writes {
            if let Write::OptOut { channels, .. } = w {
                channels.retain(|c| match adapter(system).unwritable(config, *c) {
                    Some(reason) => {
                        skips.push(plan::Skip {
                            what: format!("{} opt-out", c.as_str()),
                            reason,
                        });
                        false
                    }
                    None => true,
                });
            }
        }
        writes.retain(|w| !matches!(w, Write::OptOut { channels, .. } if channels.is_empty()));
        // Per write: its retries and up to six further requests (a find, a reread, a
        // follow-up chain); per sync: the merges of a Pipedrive repair.
        let bound = u32::try_from(writes.len())
            .unwrap_or(u32::MAX)
            .saturating_mul(config.max_attempts.saturating_add(6))
            .saturating_add(if writes.is_empty() { 0 } else { MAX_MERGES });
        let outcome = SyncOutcome {
            system,
            event_id: subject.event_id.clone(),
            state: if writes.is_empty() {
                SyncState::Done
            } else {
                SyncState::Running
            },
            person: None,
            written: Vec::new(),
            skipped: skips
                .into_iter()
                .map(|s| Skipped {
                    what: s.what,
                    reason: s.reason,
                })
                .collect(),
            requests: 0,
            retries: 0,
            failure: None,
        };
        let context = Context {
            person_id: None,
            person_kind: None,
            event_id: subject.event_id.clone(),
            location_id: subject.location_id.clone(),
            occurred_at: subject.occurred_at,
            occurred_at_local: subject.occurred_at_local.clone(),
            caller: subject.caller.e164.clone(),
            tracking_number: subject
                .record
                .interaction
                .as_ref()
                .and_then(|i| i.tracking_number.clone()),
        };
        Sync {
            system,
            config: config.clone(),
            writes,
            index: 0,
            mode: Mode::Normal,
            attempts: 0,
            pending: None,
            context,
            outcome,
            bound,
        }
    }

    /// The most requests this sync can send (every write's retries included).
    pub fn request_bound(&self) -> u32 {
        self.bound
    }

    /// The next request to send (the same one again after a 429 or 5xx, with its
    /// `delay_seconds` to wait first), or `None` when the sync is done or failed.
    pub fn next_request(&mut self) -> Option<Request> {
        if self.outcome.state != SyncState::Running {
            return None;
        }
        if let Some(p) = &self.pending {
            return Some(p.clone());
        }
        if self.outcome.requests >= self.bound {
            self.fail(
                "internal",
                None,
                format!("the sync reached its bound of {} requests", self.bound),
            );
            return None;
        }
        let write = self.writes.get(self.index)?;
        let built = adapter(self.system).request(&self.config, write, &self.mode, &self.context);
        match built {
            Ok(req) => {
                self.outcome.requests += 1;
                self.pending = Some(req.clone());
                Some(req)
            }
            Err(e) => {
                self.fail("internal", None, e.message);
                None
            }
        }
    }

    /// Reads the answer to the request [`Sync::next_request`] gave. An answer the CRM does
    /// not document is an `invalid_crm` error (with the JSON path) and stops the sync.
    pub fn feed(&mut self, response: Response) -> Result<()> {
        let Some(sent) = self.pending.take() else {
            return Err(Error::new(
                ErrorCode::Internal,
                "",
                "feed() without a request from next_request()",
            ));
        };
        let status = response.status;
        if retryable(status) {
            self.attempts += 1;
            let Some(delay) = retry_delay(&self.config, &response, self.attempts) else {
                self.fail(
                    "crm_unavailable",
                    Some(status),
                    format!("the CRM answered {status} {} times", self.attempts),
                );
                return Ok(());
            };
            self.outcome.retries += 1;
            self.outcome.requests += 1;
            let mut again = sent;
            again.delay_seconds = delay;
            self.pending = Some(again);
            return Ok(());
        }
        if status == 401 || status == 403 {
            self.fail(
                "crm_rejected",
                Some(status),
                format!(
                    "the CRM refused the credentials or the permission ({status}): {}",
                    http_clip(&response.body)
                ),
            );
            return Ok(());
        }
        let Some(write) = self.writes.get(self.index).cloned() else {
            return Err(Error::new(
                ErrorCode::Internal,
                "",
                "no write for this answer",
            ));
        };
        let read =
            adapter(self.system).read(&self.config, &write, &self.mode, &self.context, &response);
        let read = match read {
            Ok(r) => r,
            Err(e) => {
                self.fail("invalid_crm", Some(status), e.to_string());
                return Err(e);
            }
        };
        self.attempts = 0;
        match read {
            Read::Again(mode) => {
                if self.mode == mode && !matches!(mode, Mode::Then { .. }) {
                    self.fail(
                        "crm_rejected",
                        Some(status),
                        "the CRM gave the same answer twice".to_string(),
                    );
                } else {
                    self.mode = mode;
                }
            }
            Read::Rejected(msg) => self.fail("crm_rejected", Some(status), msg),
            Read::Done {
                id,
                created,
                object,
            } => {
                self.record(&write, object, id, created);
                self.index += 1;
                self.mode = Mode::Normal;
                if self.index >= self.writes.len() {
                    self.outcome.state = SyncState::Done;
                }
            }
        }
        Ok(())
    }

    /// What the sync did so far.
    pub fn outcome(&self) -> &SyncOutcome {
        &self.outcome
    }

    fn record(&mut self, write: &Write, object: String, id: Option<String>, created: Option<bool>) {
        let (what, key) = match write {
            Write::Lead { key, .. } => ("lead", Some(key.clone())),
            Write::Call { .. } => ("call", Some(self.context.event_id.clone())),
            Write::Task { key, .. } => ("task", Some(key.clone())),
            Write::MoveTask { .. } => ("task_moved", None),
            Write::OptOut { .. } => ("opt_out", None),
        };
        let w = Written {
            what,
            object,
            id: id.clone(),
            key,
            created,
        };
        if let Write::Lead { .. } = write {
            self.context.person_id = id;
            self.context.person_kind = Some(ContactKind::Lead);
            self.outcome.person = Some(w.clone());
        } else if self.outcome.person.is_none() {
            if let Some(Person::Existing { id, kind }) = match write {
                Write::Call { person, .. }
                | Write::Task { person, .. }
                | Write::OptOut { person, .. } => Some(person),
                _ => None,
            } {
                self.outcome.person = Some(Written {
                    what: "person",
                    object: match kind {
                        Some(ContactKind::Customer) => "customer",
                        Some(ContactKind::Lead) => "lead",
                        None => "contact",
                    }
                    .to_string(),
                    id: Some(id.clone()),
                    key: None,
                    created: Some(false),
                });
            }
        }
        self.outcome.written.push(w);
    }

    fn fail(&mut self, code: &'static str, status: Option<u16>, message: String) {
        self.pending = None;
        self.outcome.state = SyncState::Failed;
        self.outcome.failure = Some(Failure {
            code,
            status,
            message,
        });
    }
}

impl Machine for Sync {
    fn next_request(&mut self) -> Option<Request> {
        Sync::next_request(self)
    }
    fn feed(&mut self, response: Response) -> Result<()> {
        Sync::feed(self, response)
    }
    fn outcome_json(&self) -> Result<String> {
        crate::engine::to_json(self.outcome())
    }
    fn request_bound(&self) -> u32 {
        Sync::request_bound(self)
    }
}
