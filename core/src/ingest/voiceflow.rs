//! Voiceflow session-lifecycle webhooks: `{type, data{userID, startTime, platform,
//! metadata{callSid, callType, userNumber, agentNumber}}, time}`.
//!
//! `runtime.call.start` and `runtime.session.start` are incomplete. `runtime.call.end`
//! (and `runtime.session.end` of a phone call) carries no transcript, summary or outcome,
//! so the call is judged by what it does carry:
//!
//! | condition | outcome |
//! |---|---|
//! | web voice / chat session (no phone number) | not missed |
//! | variables in `data.variables` / `data.metadata` say the caller wants a person or the task failed | follow up (abandoned) |
//! | variables say the task was done | handled |
//! | the call lasted less than 20 s (`endTime`, else the webhook `time`, minus `startTime`) | follow up: the caller hung up on the greeting (short abandoned) |
//! | otherwise | handled: the caller talked with the agent |
//!
//! The event id is `metadata.callSid` (the Twilio call, whose own status callbacks ringback
//! also reads), else `userID` + `startTime`. For a Twilio call `userID` is the caller's
//! number; `metadata.agentNumber` is the business line.

use super::ai::{self, Signals};
use super::fields::{self, number_key, parse_json_body, Draft, Node};
use super::options::{IngestOptions, Ingested};
use crate::error::{Error, ErrorCode, Result};
use crate::model::event::Disposition;

const VENDOR: &str = "voiceflow";

/// A phone call shorter than this (seconds) with no verdict was hung up on the greeting.
pub const SHORT_CALL_SECONDS: i64 = 20;

/// Parses a Voiceflow lifecycle webhook.
pub fn parse(payload: &str, options: &IngestOptions) -> Result<Ingested> {
    let root = parse_json_body(payload, "Voiceflow")?;
    let top = Node::root(&root);
    let expected = "a Voiceflow lifecycle webhook (`type` runtime.call.* / runtime.session.* \
                    with `data`)";
    let kind = match top.str("type") {
        Ok(Some(t)) if t.starts_with("runtime.") => t,
        _ => return Err(fields::not_vendor("Voiceflow", expected)),
    };
    let Some(data) = top.object("data")? else {
        return Err(fields::not_vendor("Voiceflow", expected));
    };
    let node = data.node();
    match kind {
        "runtime.call.start" | "runtime.session.start" => {
            return Ok(Ingested::incomplete(format!(
                "Voiceflow `{kind}`: the call has just begun"
            )))
        }
        "runtime.call.end" | "runtime.session.end" => {}
        other => {
            return Err(Error::new(
                ErrorCode::UnsupportedPayload,
                "type",
                format!(
                    "unknown Voiceflow event `{}`; expected runtime.call.start/end or \
                     runtime.session.start/end",
                    fields::clip(other)
                ),
            ))
        }
    }
    let platform = node.str("platform")?.map(str::to_ascii_lowercase);
    let meta = node.object("metadata")?;
    let meta_node = meta.as_ref().map(|m| m.node());
    let phone = match meta_node {
        Some(m) => m.text("userNumber")?.is_some() || m.text("callSid")?.is_some(),
        None => false,
    };
    if !phone && platform.as_deref() != Some("twilio") {
        return Ok(Ingested::not_missed(format!(
            "{} session: no phone number to call back",
            platform.unwrap_or_else(|| "web".to_string())
        )));
    }
    let started = node.time("startTime", None)?;
    let ended = match node.time("endTime", None)? {
        Some(t) => Some(t),
        None => top.time("time", None)?,
    };
    let seconds = match (started, ended) {
        (Some(s), Some(e)) => Some((e.0 - s.0).num_seconds().max(0)),
        _ => None,
    };
    let mut signals = Signals::default();
    signals.read(node.get("variables"));
    if let Some(m) = meta_node {
        signals.read(Some(m.value));
    }
    let (disposition, raw) = match signals.follow_up() {
        Some(true) => (
            Disposition::Abandoned,
            "the agent did not complete the task",
        ),
        Some(false) => return Ok(Ingested::not_missed("the agent handled the call")),
        None => match seconds {
            Some(s) if s < SHORT_CALL_SECONDS => (
                Disposition::ShortAbandoned,
                "hung up within seconds of the greeting",
            ),
            Some(s) => {
                return Ok(Ingested::not_missed(format!(
                    "a {s}-second conversation with the agent"
                )))
            }
            None => {
                return Err(Error::new(
                    ErrorCode::InvalidEvent,
                    "data.startTime",
                    "missing field `startTime` (needed to tell a hang-up from a conversation)",
                ))
            }
        },
    };
    let call_sid = match meta_node {
        Some(m) => m.text("callSid")?,
        None => None,
    };
    let user = node.text("userID")?;
    let id = match (call_sid, &user, started) {
        (Some(sid), _, _) => sid,
        (None, Some(u), Some(s)) => format!("{u}:{}", s.0.timestamp_millis()),
        _ => {
            return Err(Error::new(
                ErrorCode::InvalidEvent,
                "data.metadata.callSid",
                "missing field `callSid` (the call id)",
            ))
        }
    };
    let started = fields::time_or_received(
        started,
        options,
        "data.startTime",
        "missing field `startTime` (when the call started)",
    )?;
    let mut d = Draft::new(VENDOR, id, started, disposition);
    d.raw_disposition = Some(format!("{kind}: {raw}"));
    d.caller = match meta_node {
        Some(m) => m.text("userNumber")?,
        None => None,
    }
    .or(user);
    d.duration_seconds = seconds.and_then(|s| u32::try_from(s).ok());
    d.ai_receptionist = Some(ai::receptionist(false, None, None, &signals));
    if let Some(m) = meta_node {
        d.tracking_number = m.text("agentNumber")?;
        d.location_keys.extend(number_key(m, "agentNumber")?);
    }
    d.location_keys.extend(fields::id_key(node, "projectID")?);
    d.finish(options)
}
