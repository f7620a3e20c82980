//! Twilio Programmable Messaging: the planned texts of a decision as Messages API requests.
//!
//! Facts, from Twilio's docs (Message resource reference, Message Scheduling, the error
//! dictionary):
//!
//! * `POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, form-encoded: `To`, `From` or
//!   `MessagingServiceSid`, `Body`, `StatusCallback`; HTTP Basic auth (the caller adds it).
//!   Answer `201` with the Message resource (`sid`, `status`, `date_created` in RFC 2822).
//! * Scheduling (`ScheduleType=fixed`, `SendAt` in UTC ISO 8601) works only through a
//!   Messaging Service (error 35118) and only for a `SendAt` between 15 minutes and 35 days
//!   ahead (35114/35115; a later page says 5 minutes: the adapter keeps the stricter 900 s).
//!   A step due sooner, later, or without a Messaging Service is handed back as "send at".
//! * Creating a message is **not idempotent** (Twilio error 20500: retrying a send after a
//!   500 may text the customer twice) and the API takes no idempotency key. So the adapter
//!   keys each step (`event_id:step_id`) itself: before sending it lists the recent messages
//!   to that number (`GET …/Messages.json?To=`) and treats one with the same body, created
//!   after the missed call (less [`CLOCK_MARGIN_SECONDS`]), as this step's; after a 5xx on the send it looks again instead of
//!   resending. The key is also appended to the status callback URL (`ringback_key=`).
//! * Errors: **21610** the recipient replied STOP to this sender (a revocation to write
//!   back; no later text to that number); 21211 / 21217 / 21401 not a valid number; 21614 /
//!   21635 / 21407 cannot take texts (a landline); 21612 / 21408 unreachable or not
//!   permitted; 21601 / 21603 / 21606 / 21212 / 21659 the sender is not usable; 20003
//!   credentials; 20429 / HTTP 429 too many requests (sent again after `Retry-After`).

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::crm::http::{encode, Request, Response};
use crate::crm::Failure;
use crate::error::{Error, ErrorCode, Result};
use crate::model::decision::{StepAction, Verdict};
use crate::model::policy::Channel;
use crate::model::time::Timestamp;

use super::{
    Deferred, Revocation, SendOutcome, SendState, Sent, Skipped, StepFailure, TextSubject,
};

/// How far before the missed call a found message may have been created and still count as
/// this step's (the vendor's clock and Twilio's may disagree): under-sending is the safe
/// side.
pub const CLOCK_MARGIN_SECONDS: i64 = 600;

/// The earliest a scheduled message may be sent, in seconds from now.
pub const SCHEDULE_MIN_SECONDS: i64 = 900;
/// The latest, in seconds from now (35 days).
pub const SCHEDULE_MAX_SECONDS: i64 = 35 * 86_400;

/// The Twilio adapter's configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct TwilioConfig {
    /// The account SID (`AC` + 32 hex digits).
    pub account_sid: String,
    /// The sender number (E.164); used when there is no Messaging Service.
    pub from: Option<String>,
    /// The Messaging Service SID (`MG…`): the sender, and what makes scheduling possible.
    pub messaging_service_sid: Option<String>,
    /// The status callback URL (`ringback_key=<event:step>` is appended to its query).
    pub status_callback: Option<String>,
    /// Schedule a later step with Twilio when it is within the scheduling window (else
    /// every later step is handed back).
    pub schedule: bool,
    /// A step this many seconds past its instant is handed back to be decided again.
    pub max_lateness_seconds: u32,
    /// Attempts per request on 429 or 5xx (1–20).
    pub max_attempts: u32,
    /// Seconds before the first retry when Twilio gives no `Retry-After` (doubled per 5xx).
    pub retry_seconds: u32,
    /// How many recent messages to a number the duplicate check reads (1–1000).
    pub page_size: u32,
}

impl Default for TwilioConfig {
    fn default() -> Self {
        TwilioConfig {
            account_sid: String::new(),
            from: None,
            messaging_service_sid: None,
            status_callback: None,
            schedule: true,
            max_lateness_seconds: 900,
            max_attempts: 5,
            retry_seconds: 2,
            page_size: 50,
        }
    }
}

fn sid_ok(s: &str, prefix: &str) -> bool {
    s.len() == 34 && s.starts_with(prefix) && s[2..].bytes().all(|c| c.is_ascii_hexdigit())
}

impl TwilioConfig {
    /// Parses and checks a configuration from JSON text.
    pub fn from_json(text: &str) -> Result<TwilioConfig> {
        let c: TwilioConfig = crate::error::from_json_str(text, ErrorCode::InvalidCrm)?;
        c.check()?;
        Ok(c)
    }

    /// Checks what serde cannot: the SIDs, a sender, the bounds.
    pub fn check(&self) -> Result<()> {
        let bad = |path: &str, msg: String| Err(Error::new(ErrorCode::InvalidCrm, path, msg));
        if !sid_ok(&self.account_sid, "AC") {
            return bad(
                "account_sid",
                format!(
                    "`{}` is not an account SID (AC + 32 hex digits)",
                    self.account_sid
                ),
            );
        }
        match (&self.from, &self.messaging_service_sid) {
            (None, None) => {
                return bad(
                    "from",
                    "a sender is needed: from or messaging_service_sid".to_string(),
                )
            }
            (_, Some(m)) if !sid_ok(m, "MG") => {
                return bad(
                    "messaging_service_sid",
                    format!("`{m}` is not a Messaging Service SID (MG + 32 hex digits)"),
                )
            }
            (Some(f), _)
                if !(f.starts_with('+')
                    && f.len() > 8
                    && f[1..].bytes().all(|c| c.is_ascii_digit())) =>
            {
                return bad("from", format!("`{f}` is not an E.164 number"))
            }
            _ => {}
        }
        if !(1..=20).contains(&self.max_attempts) {
            return bad(
                "max_attempts",
                format!("{} is not between 1 and 20", self.max_attempts),
            );
        }
        if !(1..=1000).contains(&self.page_size) {
            return bad(
                "page_size",
                format!("{} is not between 1 and 1000", self.page_size),
            );
        }
        if self.retry_seconds > 300 {
            return bad(
                "retry_seconds",
                format!("{} is over 300", self.retry_seconds),
            );
        }
        Ok(())
    }
}

/// One text to send.
#[derive(Debug, Clone, PartialEq)]
struct Item {
    key: String,
    step_id: String,
    to: String,
    body: String,
    /// Schedule with Twilio for this instant (else send now).
    schedule_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Look for this step's message among the recent ones to the number.
    Find,
    /// Send it.
    Post,
}

/// Sends the texts of one decision through Twilio, one request at a time.
#[derive(Debug, Clone)]
pub struct Send {
    config: TwilioConfig,
    items: Vec<Item>,
    index: usize,
    phase: Phase,
    attempts: u32,
    pending: Option<Request>,
    occurred_at: DateTime<Utc>,
    outcome: SendOutcome,
    bound: u32,
}

fn iso(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

impl Send {
    /// The send run of `subject`'s text steps at `now`. `config` must have passed
    /// [`TwilioConfig::check`] (a config that did not fails the run's first request).
    pub fn new(subject: &TextSubject, config: &TwilioConfig, now: Timestamp) -> Send {
        let now = now.utc();
        let mut items = Vec::new();
        let mut deferred = Vec::new();
        let mut skipped = Vec::new();
        for step in &subject.follow_up {
            if step.action != StepAction::SendSms {
                continue;
            }
            let key = format!("{}:{}", subject.event_id, step.id);
            let skip = |reason: String| Skipped {
                step_id: step.id.clone(),
                reason,
            };
            if step.compliance.verdict == Verdict::Blocked {
                skipped.push(skip("blocked by compliance".to_string()));
                continue;
            }
            let Some(to) = subject.caller.e164.clone() else {
                skipped.push(skip("the caller's number is withheld".to_string()));
                continue;
            };
            let Some(body) = step.body.clone().filter(|b| !b.trim().is_empty()) else {
                skipped.push(skip("the step has no text".to_string()));
                continue;
            };
            let at = step
                .compliance
                .until
                .map_or(step.at.utc(), |u| u.utc().max(step.at.utc()));
            let ahead = (at - now).num_seconds();
            if ahead > 0 {
                let window = (SCHEDULE_MIN_SECONDS..=SCHEDULE_MAX_SECONDS).contains(&ahead);
                if config.schedule && config.messaging_service_sid.is_some() && window {
                    items.push(Item {
                        key,
                        step_id: step.id.clone(),
                        to,
                        body,
                        schedule_at: Some(at),
                    });
                } else {
                    let reason = if !config.schedule || config.messaging_service_sid.is_none() {
                        "a later step: scheduling needs a Messaging Service (and schedule: true)"
                            .to_string()
                    } else {
                        format!(
                            "{ahead} s ahead: outside Twilio's scheduling window ({SCHEDULE_MIN_SECONDS} s to 35 days)"
                        )
                    };
                    deferred.push(Deferred {
                        key,
                        step_id: step.id.clone(),
                        send_at: iso(at),
                        reason,
                    });
                }
                continue;
            }
            if -ahead > i64::from(config.max_lateness_seconds) {
                skipped.push(skip(format!(
                    "{} s past its instant {}: decide again (the legal window may have closed)",
                    -ahead,
                    iso(at)
                )));
                continue;
            }
            items.push(Item {
                key,
                step_id: step.id.clone(),
                to,
                body,
                schedule_at: None,
            });
        }
        let bound = u32::try_from(items.len())
            .unwrap_or(u32::MAX)
            .saturating_mul(
                config
                    .max_attempts
                    .max(1)
                    .saturating_mul(2)
                    .saturating_add(2),
            );
        let outcome = SendOutcome {
            event_id: subject.event_id.clone(),
            state: if items.is_empty() {
                SendState::Done
            } else {
                SendState::Running
            },
            sent: Vec::new(),
            deferred,
            failed: Vec::new(),
            skipped,
            pending: Vec::new(),
            consent_updates: Vec::new(),
            requests: 0,
            retries: 0,
            failure: None,
        };
        Send {
            config: config.clone(),
            items,
            index: 0,
            phase: Phase::Find,
            attempts: 0,
            pending: None,
            occurred_at: subject.occurred_at.utc(),
            outcome,
            bound,
        }
    }

    /// The run for bindings: a decision's JSON, the config's JSON and "now" as RFC 3339,
    /// each checked with a coded error and its path.
    pub fn from_json(decision: &str, config: &str, now: &str) -> Result<Send> {
        let subject = TextSubject::from_json(decision)?;
        let config = TwilioConfig::from_json(config)?;
        let now = Timestamp::parse(now)
            .map_err(|m| Error::new(ErrorCode::InvalidTimestamp, "now", format!("now: {m}")))?;
        Ok(Send::new(&subject, &config, now))
    }

    /// The most requests this run can send.
    pub fn request_bound(&self) -> u32 {
        self.bound
    }

    /// What the run did so far.
    pub fn outcome(&self) -> &SendOutcome {
        &self.outcome
    }

    fn messages_path(&self) -> String {
        format!(
            "/2010-04-01/Accounts/{}/Messages.json",
            encode(&self.config.account_sid)
        )
    }

    fn build(&self, item: &Item) -> Request {
        match self.phase {
            Phase::Find => Request {
                method: "GET".to_string(),
                path: format!(
                    "{}?To={}&PageSize={}",
                    self.messages_path(),
                    encode(&item.to),
                    self.config.page_size
                ),
                headers: vec![("Accept".to_string(), "application/json".to_string())],
                body: None,
                delay_seconds: 0,
            },
            Phase::Post => {
                let mut form: Vec<(&str, String)> = vec![("To", item.to.clone())];
                match (&self.config.messaging_service_sid, &self.config.from) {
                    (Some(m), _) => form.push(("MessagingServiceSid", m.clone())),
                    (None, Some(f)) => form.push(("From", f.clone())),
                    (None, None) => {}
                }
                form.push(("Body", item.body.clone()));
                if let Some(cb) = &self.config.status_callback {
                    let sep = if cb.contains('?') { '&' } else { '?' };
                    form.push((
                        "StatusCallback",
                        format!("{cb}{sep}ringback_key={}", encode(&item.key)),
                    ));
                }
                if let Some(at) = item.schedule_at {
                    form.push(("ScheduleType", "fixed".to_string()));
                    form.push(("SendAt", iso(at)));
                }
                let body = form
                    .iter()
                    .map(|(k, v)| format!("{k}={}", encode(v)))
                    .collect::<Vec<_>>()
                    .join("&");
                Request {
                    method: "POST".to_string(),
                    path: self.messages_path(),
                    headers: vec![
                        ("Accept".to_string(), "application/json".to_string()),
                        (
                            "Content-Type".to_string(),
                            "application/x-www-form-urlencoded".to_string(),
                        ),
                    ],
                    body: Some(body),
                    delay_seconds: 0,
                }
            }
        }
    }

    /// The next request to send (the same one again after a 429 or 5xx, with its
    /// `delay_seconds` to wait first), or `None` when the run is done or stopped.
    pub fn next_request(&mut self) -> Option<Request> {
        if self.outcome.state != SendState::Running {
            return None;
        }
        if let Some(p) = &self.pending {
            return Some(p.clone());
        }
        if let Err(e) = self.config.check() {
            self.stop("invalid_crm", None, e.to_string());
            return None;
        }
        if self.outcome.requests >= self.bound {
            self.stop(
                "internal",
                None,
                format!("the run reached its bound of {} requests", self.bound),
            );
            return None;
        }
        let item = self.items.get(self.index)?.clone();
        let req = self.build(&item);
        self.outcome.requests += 1;
        self.pending = Some(req.clone());
        Some(req)
    }

    fn delay(&self, r: &Response) -> Option<u32> {
        if self.attempts >= self.config.max_attempts {
            return None;
        }
        let fallback = if r.status == 429 {
            self.config.retry_seconds
        } else {
            self.config
                .retry_seconds
                .saturating_mul(1 << self.attempts.saturating_sub(1).min(8))
                .min(300)
        };
        Some(r.retry_after(fallback))
    }

    /// Reads Twilio's answer to the request [`Send::next_request`] gave. A body that is not
    /// what Twilio documents is an `invalid_crm` error (with its path) and stops the run;
    /// a refused step fails alone.
    pub fn feed(&mut self, response: Response) -> Result<()> {
        let Some(sent) = self.pending.take() else {
            return Err(Error::new(
                ErrorCode::Internal,
                "",
                "feed() without a request from next_request()",
            ));
        };
        let status = response.status;
        if status == 429 || (500..600).contains(&status) {
            self.attempts += 1;
            let Some(delay) = self.delay(&response) else {
                self.stop(
                    "crm_unavailable",
                    Some(status),
                    format!("Twilio answered {status} {} times", self.attempts),
                );
                return Ok(());
            };
            self.outcome.retries += 1;
            // A 5xx to a send leaves it unknown whether Twilio took the message: look for
            // it again rather than send it again.
            if self.phase == Phase::Post && status != 429 {
                self.phase = Phase::Find;
            }
            let Some(item) = self.items.get(self.index).cloned() else {
                return Err(Error::new(
                    ErrorCode::Internal,
                    "",
                    "no text for this answer",
                ));
            };
            let mut again = if self.phase == Phase::Find {
                self.build(&item)
            } else {
                sent
            };
            again.delay_seconds = delay;
            self.outcome.requests += 1;
            self.pending = Some(again);
            return Ok(());
        }
        if status == 401 || status == 403 {
            self.stop(
                "crm_rejected",
                Some(status),
                format!("Twilio refused the credentials ({status})"),
            );
            return Ok(());
        }
        let Some(item) = self.items.get(self.index).cloned() else {
            return Err(Error::new(
                ErrorCode::Internal,
                "",
                "no text for this answer",
            ));
        };
        let v: Value = match response.body.trim() {
            "" => Value::Null,
            b => match serde_json::from_str(b) {
                Ok(v) => v,
                Err(e) => {
                    let err = Error::new(
                        ErrorCode::InvalidCrm,
                        "body",
                        format!("Twilio answered {status} with a body that is not JSON ({e})"),
                    );
                    self.stop("invalid_crm", Some(status), err.to_string());
                    return Err(err);
                }
            },
        };
        self.attempts = 0;
        let read = match self.phase {
            Phase::Find => self.read_find(&item, status, &v),
            Phase::Post => self.read_post(&item, status, &v),
        };
        if let Err(e) = read {
            self.stop("invalid_crm", Some(status), e.to_string());
            return Err(e);
        }
        Ok(())
    }

    fn read_find(&mut self, item: &Item, status: u16, v: &Value) -> Result<()> {
        if status != 200 {
            self.stop(
                "crm_rejected",
                Some(status),
                format!("listing messages answered {status}: {}", message(v)),
            );
            return Ok(());
        }
        let list = v
            .get("messages")
            .and_then(Value::as_array)
            .ok_or_else(|| bad("messages", "expected the message list"))?;
        for (i, m) in list.iter().enumerate() {
            let text = |k: &str| m.get(k).and_then(Value::as_str);
            if text("to") != Some(item.to.as_str()) || text("body") != Some(item.body.as_str()) {
                continue;
            }
            if matches!(text("status"), Some("failed" | "undelivered" | "canceled")) {
                continue;
            }
            let created = text("date_created")
                .and_then(|d| DateTime::parse_from_rfc2822(d).ok())
                .ok_or_else(|| {
                    bad(
                        &format!("messages[{i}].date_created"),
                        "expected an RFC 2822 date",
                    )
                })?;
            // Created after the call (less a margin for clocks that disagree): an identical
            // text from long before is an earlier decision's, not this step's.
            let since = self.occurred_at - chrono::Duration::seconds(CLOCK_MARGIN_SECONDS);
            if created.with_timezone(&Utc) < since {
                continue;
            }
            let sid = text("sid")
                .ok_or_else(|| bad(&format!("messages[{i}].sid"), "expected the message SID"))?;
            self.outcome.sent.push(Sent {
                key: item.key.clone(),
                step_id: item.step_id.clone(),
                to: item.to.clone(),
                sid: sid.to_string(),
                status: text("status").unwrap_or("").to_string(),
                send_at: text("send_at").map(str::to_string),
                created: false,
            });
            self.advance();
            return Ok(());
        }
        self.phase = Phase::Post;
        Ok(())
    }

    fn read_post(&mut self, item: &Item, status: u16, v: &Value) -> Result<()> {
        if (200..300).contains(&status) {
            let sid = v
                .get("sid")
                .and_then(Value::as_str)
                .ok_or_else(|| bad("sid", "expected the message SID"))?;
            self.outcome.sent.push(Sent {
                key: item.key.clone(),
                step_id: item.step_id.clone(),
                to: item.to.clone(),
                sid: sid.to_string(),
                status: v
                    .get("status")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                send_at: item.schedule_at.map(iso),
                created: true,
            });
            self.advance();
            return Ok(());
        }
        let code = v
            .get("code")
            .and_then(Value::as_u64)
            .and_then(|c| u32::try_from(c).ok());
        let msg = message(v);
        match code {
            Some(35114 | 35115) if item.schedule_at.is_some() => {
                self.outcome.deferred.push(Deferred {
                    key: item.key.clone(),
                    step_id: item.step_id.clone(),
                    send_at: item.schedule_at.map(iso).unwrap_or_default(),
                    reason: format!(
                        "Twilio would not schedule it ({}): {msg}",
                        code.unwrap_or(0)
                    ),
                });
            }
            _ => {
                let kind = classify(code);
                if kind == "recipient_opted_out" {
                    self.outcome.consent_updates.push(Revocation {
                        number: item.to.clone(),
                        channel: Channel::Sms,
                        status: "revoked",
                        source: "twilio:21610".to_string(),
                        reason: "the recipient replied STOP to this sender (Twilio 21610)"
                            .to_string(),
                    });
                }
                self.outcome.failed.push(StepFailure {
                    key: item.key.clone(),
                    step_id: item.step_id.clone(),
                    code: kind,
                    provider_code: code,
                    status,
                    message: msg,
                });
            }
        }
        self.advance();
        Ok(())
    }

    /// On to the next text; one to a number that opted out in this run is skipped.
    fn advance(&mut self) {
        self.index += 1;
        self.phase = Phase::Find;
        while let Some(next) = self.items.get(self.index) {
            if self
                .outcome
                .consent_updates
                .iter()
                .any(|r| r.number == next.to)
            {
                self.outcome.skipped.push(Skipped {
                    step_id: next.step_id.clone(),
                    reason: "the number opted out at Twilio earlier in this run".to_string(),
                });
                self.index += 1;
            } else {
                break;
            }
        }
        if self.index >= self.items.len() {
            self.outcome.state = SendState::Done;
        }
    }

    fn stop(&mut self, code: &'static str, status: Option<u16>, message: String) {
        self.pending = None;
        self.outcome.state = SendState::Failed;
        self.outcome.pending = self.items[self.index.min(self.items.len())..]
            .iter()
            .map(|i| i.key.clone())
            .collect();
        self.outcome.failure = Some(Failure {
            code,
            status,
            message,
        });
    }
}

fn message(v: &Value) -> String {
    v.get("message")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string()
}

fn bad(path: &str, msg: &str) -> Error {
    Error::new(
        ErrorCode::InvalidCrm,
        crate::error::join_path("body", path),
        msg,
    )
}

/// The step failure code of a Twilio error code.
fn classify(code: Option<u32>) -> &'static str {
    match code {
        Some(21610) => "recipient_opted_out",
        Some(21211 | 21217 | 21401 | 21604) => "invalid_number",
        Some(21614 | 21635 | 21407) => "not_textable",
        Some(21612 | 21408) => "unreachable",
        Some(21601 | 21603 | 21606 | 21212 | 21659) => "sender_rejected",
        _ => "rejected",
    }
}

/// What a Twilio webhook (a status callback, or an inbound message under Advanced
/// Opt-Out) says about consent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct Callback {
    /// The message SID.
    pub sid: Option<String>,
    /// `MessageStatus` (`delivered`, `undelivered`, `failed`, ...) or `received`.
    pub status: Option<String>,
    /// `ErrorCode`, when Twilio gave one.
    pub error_code: Option<u32>,
    /// The revocation to write back (a delivery refused with 21610, or an inbound STOP).
    pub revocation: Option<Revocation>,
}

/// Reads a Twilio webhook body (form-encoded): a status callback's `MessageStatus` and
/// `ErrorCode` (21610 at delivery is a revocation of `To`), or an inbound message with
/// `OptOutType=STOP` (a revocation of `From`).
/// A body that is not form-encoded is a coded error.
pub fn read_callback(form: &str) -> Result<Callback> {
    let fields = crate::ingest::form::decode_pairs(form)?;
    let get = |k: &str| fields.iter().find(|(a, _)| a == k).map(|(_, v)| v.clone());
    let error_code = get("ErrorCode").and_then(|c| c.trim().parse::<u32>().ok());
    let revocation = if get("OptOutType").is_some_and(|t| t.eq_ignore_ascii_case("STOP")) {
        get("From").map(|n| Revocation {
            number: n,
            channel: Channel::Sms,
            status: "revoked",
            source: "twilio:opt_out".to_string(),
            reason: "the recipient texted STOP (Twilio Advanced Opt-Out)".to_string(),
        })
    } else if error_code == Some(21610) {
        get("To").map(|n| Revocation {
            number: n,
            channel: Channel::Sms,
            status: "revoked",
            source: "twilio:21610".to_string(),
            reason: "delivery refused: the recipient replied STOP to this sender".to_string(),
        })
    } else {
        None
    };
    Ok(Callback {
        sid: get("MessageSid").or_else(|| get("SmsSid")),
        status: get("MessageStatus").or_else(|| get("SmsStatus")),
        error_code,
        revocation,
    })
}

impl crate::crm::Machine for Send {
    fn next_request(&mut self) -> Option<Request> {
        Send::next_request(self)
    }
    fn feed(&mut self, response: Response) -> Result<()> {
        Send::feed(self, response)
    }
    fn outcome_json(&self) -> Result<String> {
        crate::engine::to_json(self.outcome())
    }
    fn request_bound(&self) -> u32 {
        Send::request_bound(self)
    }
}
