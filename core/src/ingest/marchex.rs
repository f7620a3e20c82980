//! Marchex (Marketing Edge; Telmetrics) standard call webhooks and Telmetrics calls-API
//! rows.
//!
//! A webhook is an envelope `{Id, Attempt, Properties, Notifications: [..]}`; each
//! notification is one call. [`parse`] takes an envelope with one call (several
//! notifications of the same `TelmetricsId` keep the last); [`crate::ingest::parse_many`]
//! takes every notification of an envelope, or every row of a calls-API page (`results`).
//!
//! | `Action` | outcome |
//! |---|---|
//! | `CallDetails.CallStart` | incomplete (sent when the call arrives) |
//! | `CallDetails.CallPreprocessed` (post-call) | classified by `AnswerStatus` |
//! | `CallDetails.CallProcessed` (call modified: caller data, recording, transcript) | classified again: late data with the same event id |
//! | `SalesRescue*` | classified by `AnswerStatus` |
//!
//! | `AnswerStatus` / legacy `status` / Call DNA class | disposition |
//! |---|---|
//! | `Answered`, `ANSWER`, `Conversation`, `Wrong Number` | not missed |
//! | `Unanswered`, `No Answer`, `NOANSWER`, `Missed` | no answer |
//! | `Busy`, `BUSY` | busy |
//! | `Voicemail`, `VOICEMAIL` | voicemail |
//! | `CANCEL`, `HANGUP`, `Abandoned`, `Ring Transfer Abandon` | abandoned |
//! | `Hold-Time Abandon` | abandoned in queue |
//! | `IVR/Voicemail Abandon` | abandoned in IVR |
//! | `NOFORWARDS` (no forwarding target) | no agent available |
//! | `CONGESTION`, `WINDDOWN`, `Failed` | failed |
//! | any other value | not missed when `AnswerTime` is set, else no answer (raw value kept) |
//!
//! `StartTime` carries no offset and is the call's local time: it is read in the
//! location's zone (`location_time_zones`, else `time_zone`). Sales Rescue's
//! `MonitorStartTime` is UTC and is preferred when present. With no zone configured, a
//! post-call (`CallPreprocessed`) webhook, sent right after the call, gives the offset
//! (`Properties.UTC` − `EndTime`, a whole or half hour plus under five minutes of delay);
//! otherwise the time is an `invalid_timestamp` error asking for the zone. Numbers are 10-digit NANP.
//! Test deliveries (`Properties.Scenario: TEST`, an `Organization` of `test:…`) are not
//! missed calls. Event id: `TelmetricsId` (API: `id`).

use chrono::{FixedOffset, NaiveDateTime};
use serde_json::Value;

use super::fields::{self, loose_key, parse_json_body, Child, Draft, Node};
use super::options::{IngestOptions, Ingested};
use super::time;
use crate::error::{Error, ErrorCode, Result};
use crate::model::event::{Disposition, Voicemail};
use crate::model::time::{TimeZone, Timestamp};

const VENDOR: &str = "marchex";

/// Maps an `AnswerStatus` (or legacy status, or Call DNA class): `Some(Some(d))` a missed
/// call, `Some(None)` answered, `None` a value outside the table (the answer time decides).
pub fn disposition(status: &str) -> Option<Option<Disposition>> {
    let s = super::mapping::normalize_value(status).replace(' ', "");
    Some(Some(match s.as_str() {
        "answered" | "answer" | "conversation" | "wrongnumber" => return Some(None),
        "unanswered" | "noanswer" | "notanswered" | "missed" => Disposition::NoAnswer,
        "busy" => Disposition::Busy,
        "voicemail" => Disposition::Voicemail,
        "cancel" | "hangup" | "abandoned" | "ringtransferabandon" => Disposition::Abandoned,
        "holdtimeabandon" => Disposition::AbandonedInQueue,
        "ivr/voicemailabandon" | "ivrabandon" => Disposition::AbandonedInIvr,
        "noforwards" | "noforward" => Disposition::NoAgentAvailable,
        "congestion" | "winddown" | "failed" => Disposition::Failed,
        _ => return None,
    }))
}

/// What the envelope says about all its notifications.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Envelope {
    /// A test delivery (`Scenario: TEST`, a `test:` organization).
    pub test: bool,
    /// When Marchex sent it (`Properties.UTC`, UTC without a `Z`).
    pub sent: Option<NaiveDateTime>,
}

/// The notifications (or API rows) of a body, with their paths, and the envelope.
pub(crate) fn calls(root: &Value) -> Result<(Vec<Child<'_>>, Envelope)> {
    let top = Node::root(root);
    let expected = "a Marchex webhook (`Notifications` with `TelmetricsId`) or a Telmetrics \
                    call (`id`, `answer_status`)";
    if !top.is_object() {
        return Err(fields::not_vendor("Marchex", expected));
    }
    let mut test = false;
    let mut sent = None;
    if let Some(p) = top.object("Properties")? {
        let p = p.node();
        sent = p.str("UTC")?.and_then(time::naive);
        test = p
            .text("Scenario")?
            .is_some_and(|s| s.eq_ignore_ascii_case("test"))
            || p.text("Organization")?
                .is_some_and(|o| o.to_ascii_lowercase().starts_with("test:"));
    }
    if let Some(list) = top.array("Notifications")? {
        let items = list
            .iter()
            .enumerate()
            .map(|(i, v)| Child {
                value: v,
                path: format!("Notifications[{i}]"),
            })
            .collect();
        return Ok((items, Envelope { test, sent }));
    }
    if let Some(list) = top.array("results")? {
        let items = list
            .iter()
            .enumerate()
            .map(|(i, v)| Child {
                value: v,
                path: format!("results[{i}]"),
            })
            .collect();
        return Ok((items, Envelope { test, sent }));
    }
    if top.has("TelmetricsId")
        || (top.has("id") && (top.has("answer_status") || top.has("answer_status_id")))
    {
        return Ok((
            vec![Child {
                value: root,
                path: String::new(),
            }],
            Envelope { test, sent },
        ));
    }
    Err(fields::not_vendor("Marchex", expected))
}

/// Parses a Marchex webhook (one call) or one Telmetrics call row.
pub fn parse(payload: &str, options: &IngestOptions) -> Result<Ingested> {
    let root = parse_json_body(payload, "Marchex")?;
    let (items, envelope) = calls(&root)?;
    let Some(last) = items.last() else {
        return Err(Error::new(
            ErrorCode::UnsupportedPayload,
            "Notifications",
            "the Marchex webhook has no notifications",
        ));
    };
    let id_of = |c: &Child<'_>| c.node().first_text(&["TelmetricsId", "id"]).ok().flatten();
    let first_id = items.first().and_then(id_of);
    if items.iter().any(|c| id_of(c) != first_id) {
        return Err(Error::new(
            ErrorCode::UnsupportedPayload,
            "Notifications",
            format!(
                "the Marchex webhook holds {} calls; read it with parse_many (ringback \
                 ingest --many) to get one result per call",
                items.len()
            ),
        ));
    }
    one(last.node(), envelope, options)
}

/// Parses one notification or API row.
pub(crate) fn one(node: Node<'_>, envelope: Envelope, options: &IngestOptions) -> Result<Ingested> {
    fields::expect_object(node, "a call object")?;
    if envelope.test {
        return Ok(Ingested::not_missed(
            "Marchex test delivery (Scenario TEST)",
        ));
    }
    if let Some(action) = node.str("Action")? {
        let a = action.to_ascii_lowercase();
        if a.contains("callstart") {
            return Ok(Ingested::incomplete(format!(
                "{action}: sent when the call arrives; the post-call webhook decides"
            )));
        }
        let known = a.contains("callpreprocessed")
            || a.contains("callprocessed")
            || a.contains("callmodified")
            || a.starts_with("salesrescue");
        if !known {
            return Err(Error::new(
                ErrorCode::UnsupportedPayload,
                node.path_of("Action"),
                format!(
                    "Marchex action `{}` is not a call event; expected CallDetails.CallStart, \
                     CallPreprocessed, CallProcessed or SalesRescue",
                    fields::clip(action)
                ),
            ));
        }
    }
    let status_key = loose_key(
        node,
        &["AnswerStatus", "answer_status", "status", "dna_class"],
    );
    let status = match status_key {
        Some(k) => node.text(k)?,
        None => None,
    };
    let answered_at = loose_key(node, &["AnswerTime", "answer_time"])
        .map(|k| node.text(k))
        .transpose()?
        .flatten();
    let status_id = node.number("answer_status_id")?;
    let disposition = match status.as_deref().map(disposition) {
        Some(Some(Some(d))) => d,
        Some(Some(None)) => {
            return Ok(Ingested::not_missed(format!(
                "answered ({})",
                status.unwrap_or_default()
            )))
        }
        // Unknown value, or no status at all: the answer time decides.
        _ if status_id == Some(1.0) => {
            return Ok(Ingested::not_missed("answer_status_id 1: answered"))
        }
        _ if answered_at.is_some() => {
            return Ok(Ingested::not_missed(format!(
                "AnswerTime set ({})",
                status.unwrap_or_else(|| "no AnswerStatus".to_string())
            )))
        }
        _ if status.is_none() && status_id.is_none() => {
            return Err(Error::new(
                ErrorCode::InvalidEvent,
                node.path_of("AnswerStatus"),
                "missing field `AnswerStatus` (how the call ended)",
            ))
        }
        _ => Disposition::NoAnswer,
    };

    let mut keys = Vec::new();
    for k in [
        "CalledNumber",
        "tracking_number",
        "TerminationNumber",
        "termination_number",
    ] {
        keys.extend(fields::number_key(node, k)?);
    }
    for k in [
        "OrganizationId",
        "organization_id",
        "group_id",
        "number_id",
        "TelmetricsStudyID",
    ] {
        keys.extend(fields::id_key(node, k)?);
    }
    let zone = fields::zone_for(VENDOR, &keys, options)?;
    let utc = Some(TimeZone(chrono_tz::UTC));
    let started = match node.time("MonitorStartTime", utc)? {
        Some(t) => Some(t),
        None => {
            let k = loose_key(
                node,
                &[
                    "StartTime",
                    "start_time",
                    "call_start_time",
                    "start_date",
                    "call_date",
                ],
            );
            match k {
                Some(k) if zone.is_none() => match sent_offset(node, envelope)? {
                    Some(offset) => local_with_offset(node, k, offset)?,
                    None => node.time(k, zone)?,
                },
                Some(k) => node.time(k, zone)?,
                None => None,
            }
        }
    };
    let started = fields::time_or_received(
        started,
        options,
        &node.path_of("StartTime"),
        "missing field `StartTime` (when the call started)",
    )?;
    let id = node.first_text(&["TelmetricsId", "id"])?;
    let id = node.required("TelmetricsId", id, "the call id")?;
    let mut d = Draft::new(VENDOR, id, started, disposition);
    d.raw_disposition = status.or_else(|| status_id.map(|i| format!("answer_status_id {i}")));
    let caller_key = loose_key(
        node,
        &[
            "CallerNumber",
            "CallerPhoneNumber",
            "CallingNumber",
            "CallerId",
            "Ani",
            "caller_number",
        ],
    );
    if let Some(k) = caller_key {
        d.caller = node.text(k)?;
    }
    if let Some(k) = loose_key(node, &["CallerName", "caller_name"]) {
        d.caller_name = node.text(k)?;
    }
    if d.caller_name.is_none() {
        if let Some(k) = loose_key(node, &["CallerDetails", "caller_details"]) {
            if let Some(c) = node.object(k)? {
                let c = c.node();
                if let Some(n) = loose_key(c, &["Name"]) {
                    d.caller_name = c.text(n)?;
                }
            }
        }
    }
    d.tracking_number = node.first_text(&["CalledNumber", "tracking_number"])?;
    if let Some(k) = loose_key(node, &["RingDuration", "ring_duration"]) {
        d.ring_seconds = node.seconds(k)?;
    }
    if let Some(k) = loose_key(node, &["CallDuration", "call_duration"]) {
        d.duration_seconds = node.seconds(k)?;
    }
    let recording = loose_key(node, &["RecordingUrl", "recording_url", "AudioUrl"])
        .map(|k| node.text(k))
        .transpose()?
        .flatten();
    let transcript = loose_key(node, &["Transcription", "Transcript", "transcription"])
        .and_then(|k| node.get(k))
        .and_then(Value::as_str)
        .map(str::to_string);
    if disposition == Disposition::Voicemail || transcript.is_some() && recording.is_some() {
        d.voicemail = Some(Voicemail {
            transcript,
            duration_seconds: None,
            recording_url: recording,
        });
    }
    d.location_keys = keys;
    d.finish(options)
}

/// With no zone configured: the call's UTC offset from the envelope of a post-call webhook
/// (`CallPreprocessed`, sent "immediately after the phone call has completed"):
/// `Properties.UTC` minus `EndTime` is the offset, a whole or half hour, plus the send
/// delay; it is trusted only when that delay is under five minutes. Other actions (a
/// modified-call webhook comes later) give none, and the zone must come from the options.
fn sent_offset(node: Node<'_>, envelope: Envelope) -> Result<Option<FixedOffset>> {
    let post_call = node
        .str("Action")?
        .is_some_and(|a| a.to_ascii_lowercase().contains("callpreprocessed"));
    let (true, Some(sent), Some(end)) = (
        post_call,
        envelope.sent,
        node.str("EndTime")?.and_then(time::naive),
    ) else {
        return Ok(None);
    };
    const HALF_HOUR: i64 = 1800;
    let diff = (sent - end).num_seconds();
    let halves = diff.div_euclid(HALF_HOUR);
    let delay = diff.rem_euclid(HALF_HOUR);
    if delay > 300 || halves.abs() > 14 * 2 {
        return Ok(None);
    }
    Ok(i32::try_from(-halves * HALF_HOUR)
        .ok()
        .and_then(FixedOffset::east_opt))
}

/// A zoneless local time read at a fixed offset.
fn local_with_offset(node: Node<'_>, key: &str, offset: FixedOffset) -> Result<Option<Timestamp>> {
    let Some(text) = node.str(key)? else {
        return Ok(None);
    };
    match time::naive(text).and_then(|n| n.and_local_timezone(offset).single()) {
        Some(t) => Ok(Some(Timestamp(t))),
        None => node.time(key, None),
    }
}
