//! Twilio Programmable Voice: form-encoded webhook requests (the JSON rendering of the same
//! parameters is accepted too). Which request it is follows from its parameters:
//!
//! | parameters | request | outcome |
//! |---|---|---|
//! | `TranscriptionSid` / `TranscriptionText` | `<Record transcribeCallback>` | voicemail with transcript (late data) |
//! | `RecordingStatus` | `recordingStatusCallback` | voicemail when `completed` and `RecordingDuration > 0` |
//! | `RecordingUrl` + `RecordingDuration` | `<Record action>` | voicemail when `RecordingDuration > 0` |
//! | `QueueResult` | `<Enqueue action>` | `hangup` → abandoned in queue; `bridged` → answered; `queue-full` → no agent; `error`/`system-error` → failed; `leave`/`redirected` → incomplete |
//! | `DialCallStatus` | `<Dial action>` | `completed`/`answered` → answered; `no-answer`, `busy`, `failed` → missed; `canceled` → abandoned |
//! | `CallStatus` only | status callback | child leg of a `<Dial>` (`ParentCallSid`, `outbound-dial`): `no-answer`, `busy`, `failed` → missed, `canceled` → abandoned, `completed` → answered unless `AnsweredBy=machine_*` (the agent's voicemail); the inbound parent's `completed` is incomplete (Twilio answered it to run your TwiML: it says nothing about a person); calls the business placed (`outbound-api`) are not missed calls |
//!
//! The event id is the parent call's SID (`ParentCallSid` on a child leg, else `CallSid`),
//! so the Dial action, the Record action and the transcription callback of one call share
//! it and the transcript arrives as an amendment. Only status callbacks carry a time
//! (`Timestamp`, RFC 2822); for the action requests the options' `received_at` is used.

use super::fields::{self, id_key, number_key, parse_json_body, time_or_received, Draft, Node};
use super::form;
use super::options::{IngestOptions, Ingested};
use crate::error::{Error, ErrorCode, Result};
use crate::model::event::{Disposition, Voicemail};

const VENDOR: &str = "twilio";

/// Parses a Twilio voice webhook body.
pub fn parse(payload: &str, options: &IngestOptions) -> Result<Ingested> {
    let trimmed = payload.trim_start();
    let root = if trimmed.starts_with('{') || trimmed.starts_with('[') {
        parse_json_body(payload, "Twilio")?
    } else {
        form::to_object(payload)?
    };
    let node = Node::root(&root);
    let expected = "a Twilio voice webhook (form parameters `CallSid` and `AccountSid`)";
    if !node.is_object() {
        return Err(fields::not_vendor("Twilio", expected));
    }
    let call_sid = node.str("CallSid")?;
    let account = node.str("AccountSid")?;
    let (Some(call_sid), Some(_)) = (call_sid, account) else {
        return Err(fields::not_vendor("Twilio", expected));
    };
    let parent = node.str("ParentCallSid")?;
    let direction = node.str("Direction")?.unwrap_or("").to_ascii_lowercase();

    // Transcription callback: late data for the voicemail.
    if node.has("TranscriptionSid") || node.has("TranscriptionText") {
        let status = node.str("TranscriptionStatus")?.unwrap_or("completed");
        let text = node.str("TranscriptionText")?;
        if !status.eq_ignore_ascii_case("completed") || text.is_none() {
            return Ok(Ingested::incomplete(format!(
                "transcription {status} without text: nothing to add"
            )));
        }
        let mut d = draft(
            node,
            options,
            parent.unwrap_or(call_sid),
            Disposition::Voicemail,
        )?;
        d.raw_disposition = Some("transcription".to_string());
        d.voicemail = Some(Voicemail {
            transcript: text.map(str::to_string),
            duration_seconds: node.seconds("RecordingDuration")?,
            recording_url: node.text("RecordingUrl")?,
        });
        return d.finish(options);
    }

    // Recording status callback.
    if let Some(status) = node.str("RecordingStatus")? {
        let source = node.str("RecordingSource")?.unwrap_or("RecordVerb");
        if !source.eq_ignore_ascii_case("RecordVerb") {
            return Ok(Ingested::incomplete(format!(
                "recording from {source}, not a <Record> voicemail"
            )));
        }
        if !status.eq_ignore_ascii_case("completed") {
            return Ok(Ingested::incomplete(format!("recording {status}")));
        }
        return voicemail(
            node,
            options,
            parent.unwrap_or(call_sid),
            "recording-completed",
        );
    }

    // <Record action>.
    if node.has("RecordingUrl") && node.has("RecordingDuration") {
        return voicemail(node, options, parent.unwrap_or(call_sid), "record-action");
    }

    // <Enqueue action>.
    if let Some(result) = node.str("QueueResult")? {
        let disposition = match result.to_ascii_lowercase().as_str() {
            "bridged" | "bridging-in-process" => {
                return Ok(Ingested::not_missed("QueueResult bridged: answered"))
            }
            "hangup" => Disposition::AbandonedInQueue,
            "queue-full" => Disposition::NoAgentAvailable,
            "error" | "system-error" => Disposition::Failed,
            "leave" | "redirected" => {
                return Ok(Ingested::incomplete(format!(
                    "QueueResult {result}: the caller left the queue for the rest of your flow"
                )))
            }
            other => {
                return Err(unknown(
                    "QueueResult",
                    other,
                    "bridged, hangup, queue-full, leave, redirected, error, system-error",
                ))
            }
        };
        let mut d = draft(node, options, call_sid, disposition)?;
        d.raw_disposition = Some(result.to_string());
        d.ring_seconds = node.seconds("QueueTime")?;
        return d.finish(options);
    }

    // <Dial action>.
    if let Some(status) = node.str("DialCallStatus")? {
        let disposition = match status.to_ascii_lowercase().as_str() {
            "completed" | "answered" => {
                return Ok(Ingested::not_missed(format!("DialCallStatus {status}")))
            }
            "no-answer" => Disposition::NoAnswer,
            "busy" => Disposition::Busy,
            "failed" => Disposition::Failed,
            "canceled" | "cancelled" => Disposition::Abandoned,
            other => {
                return Err(unknown(
                    "DialCallStatus",
                    other,
                    "completed, answered, busy, no-answer, failed, canceled",
                ))
            }
        };
        let mut d = draft(node, options, call_sid, disposition)?;
        d.raw_disposition = Some(status.to_string());
        return d.finish(options);
    }

    // Status callback.
    let Some(status) = node.str("CallStatus")? else {
        return Err(Error::new(
            ErrorCode::InvalidEvent,
            "CallStatus",
            "missing field `CallStatus` (no DialCallStatus, QueueResult or recording either)",
        ));
    };
    let inbound_parent = parent.is_none() && direction == "inbound";
    if direction == "outbound-api" {
        let s = status.to_ascii_lowercase();
        if matches!(
            s.as_str(),
            "queued" | "initiated" | "ringing" | "in-progress"
        ) {
            return Ok(Ingested::incomplete(format!(
                "CallStatus {status}: not ended"
            )));
        }
        return Ok(Ingested::not_missed(format!(
            "outbound call placed through the API (CallStatus {status}): not a missed inbound call"
        )));
    }
    let disposition = match status.to_ascii_lowercase().as_str() {
        "queued" | "initiated" | "ringing" | "in-progress" => {
            return Ok(Ingested::incomplete(format!(
                "CallStatus {status}: not ended"
            )))
        }
        "completed" => {
            if inbound_parent {
                return Ok(Ingested::incomplete(
                    "the inbound parent leg ends `completed` because Twilio answered it to run \
                     your TwiML; whether a person answered comes from the <Dial>/<Enqueue> \
                     action or the child leg",
                ));
            }
            let answered_by = node.str("AnsweredBy")?.unwrap_or("");
            if answered_by.to_ascii_lowercase().starts_with("machine") {
                Disposition::Voicemail
            } else {
                return Ok(Ingested::not_missed(format!(
                    "CallStatus completed ({direction})"
                )));
            }
        }
        "no-answer" => Disposition::NoAnswer,
        "busy" => Disposition::Busy,
        "failed" => Disposition::Failed,
        "canceled" | "cancelled" => Disposition::Abandoned,
        other => return Err(unknown(
            "CallStatus",
            other,
            "queued, initiated, ringing, in-progress, completed, busy, no-answer, failed, canceled",
        )),
    };
    let mut d = draft(node, options, parent.unwrap_or(call_sid), disposition)?;
    d.raw_disposition = Some(match node.str("AnsweredBy")? {
        Some(by) if disposition == Disposition::Voicemail => format!("{status} ({by})"),
        _ => status.to_string(),
    });
    d.duration_seconds = node.seconds("CallDuration")?.or(node.seconds("Duration")?);
    d.finish(options)
}

fn unknown(field: &str, value: &str, expected: &str) -> Error {
    Error::new(
        ErrorCode::UnsupportedPayload,
        field,
        format!(
            "unknown {field} `{}`; expected one of {expected}",
            fields::clip(value)
        ),
    )
}

fn voicemail(node: Node<'_>, options: &IngestOptions, id: &str, raw: &str) -> Result<Ingested> {
    let seconds = node.seconds("RecordingDuration")?;
    if seconds.unwrap_or(0) == 0 {
        return Ok(Ingested::incomplete(
            "empty recording (RecordingDuration 0): no voicemail was left",
        ));
    }
    let mut d = draft(node, options, id, Disposition::Voicemail)?;
    d.raw_disposition = Some(raw.to_string());
    d.voicemail = Some(Voicemail {
        transcript: None,
        duration_seconds: seconds,
        recording_url: node.text("RecordingUrl")?,
    });
    d.finish(options)
}

/// The common fields: caller, called number, start time, location keys.
fn draft(
    node: Node<'_>,
    options: &IngestOptions,
    id: &str,
    disposition: Disposition,
) -> Result<Draft> {
    let child = node.has("ParentCallSid");
    let ended = match node.time("Timestamp", None)? {
        Some(t) => Some(t),
        None => node.time("RecordingStartTime", None)?,
    };
    // Status callbacks are sent at the end: the call started CallDuration earlier.
    let secs = node.seconds("CallDuration")?.unwrap_or(0);
    let started = ended.map(|t| {
        t.0.checked_sub_signed(chrono::Duration::seconds(i64::from(secs)))
            .map_or(t, crate::model::time::Timestamp)
    });
    let occurred_at = time_or_received(
        started,
        options,
        "Timestamp",
        "Twilio sends no time with this request",
    )?;
    let mut d = Draft::new(VENDOR, id.to_string(), occurred_at, disposition);
    d.caller = node.first_text(&["From", "Caller"])?;
    d.caller_name = node.text("CallerName")?;
    if !child {
        d.tracking_number = node.first_text(&["To", "Called"])?;
    }
    d.location_keys.extend(number_key(node, "To")?);
    d.location_keys.extend(number_key(node, "Called")?);
    d.location_keys.extend(id_key(node, "AccountSid")?);
    Ok(d)
}
