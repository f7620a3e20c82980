//! Vonage Voice API event webhooks (JSON). Numbers come as digits without the `+`
//! (`447700900000`); times are ISO 8601 UTC; `duration` is a string of seconds.
//!
//! | `status` | outcome |
//! |---|---|
//! | `unanswered`, `timeout`, `rejected` | no answer |
//! | `busy` | busy |
//! | `failed` | failed |
//! | `cancelled` | abandoned (the caller gave up before an answer) |
//! | `machine` | voicemail (answering machine on the connected leg) |
//! | `human`, and `answered`/`completed` on an outbound (connect) leg | not missed |
//! | `completed` / `answered` on the inbound leg | incomplete: your NCCO answered it, so it says nothing about a person |
//! | `started`, `ringing` | incomplete |
//! | a `record` event (`recording_url`) | voicemail with the recording |
//!
//! The event id is `conversation_uuid` (shared by the inbound leg and the connect leg),
//! else `uuid`.

use super::fields::{self, parse_json_body, Draft, Node};
use super::location::Key;
use super::number::Hint;
use super::options::{IngestOptions, Ingested};
use crate::error::{Error, ErrorCode, Result};
use crate::model::event::{Disposition, Voicemail};

const VENDOR: &str = "vonage";

/// Parses a Vonage Voice API event webhook.
pub fn parse(payload: &str, options: &IngestOptions) -> Result<Ingested> {
    let root = parse_json_body(payload, "Vonage")?;
    let node = Node::root(&root);
    let expected = "a Vonage Voice API event (`uuid` / `conversation_uuid` with `status`, or a \
                    record event with `recording_url`)";
    if !node.is_object() || !(node.has("conversation_uuid") || node.has("uuid")) {
        return Err(fields::not_vendor("Vonage", expected));
    }
    let recording = node.str("recording_url")?;
    let status = node.str("status")?;
    if status.is_none() && recording.is_none() {
        return Err(fields::not_vendor("Vonage", expected));
    }
    let direction = node.str("direction")?.unwrap_or("").to_ascii_lowercase();
    let mut voicemail = None;
    let (disposition, raw) = match status {
        None => {
            voicemail = Some(Voicemail {
                transcript: None,
                duration_seconds: None,
                recording_url: recording.map(str::to_string),
            });
            (Disposition::Voicemail, "record".to_string())
        }
        Some(s) => {
            let d = match s.to_ascii_lowercase().as_str() {
                "unanswered" | "timeout" | "rejected" => Disposition::NoAnswer,
                "busy" => Disposition::Busy,
                "failed" => Disposition::Failed,
                "cancelled" | "canceled" => Disposition::Abandoned,
                "machine" => Disposition::Voicemail,
                "human" => return Ok(Ingested::not_missed("status human")),
                "answered" | "completed" if direction == "outbound" => {
                    if s.eq_ignore_ascii_case("completed")
                        && node.seconds("duration")?.unwrap_or(0) == 0
                    {
                        return Ok(Ingested::incomplete(
                            "outbound leg completed with duration 0",
                        ));
                    }
                    return Ok(Ingested::not_missed(format!("outbound leg {s}")));
                }
                "answered" | "completed" => {
                    return Ok(Ingested::incomplete(format!(
                        "inbound leg {s}: your NCCO answered it; whether a person answered \
                         comes from the connect leg's events"
                    )))
                }
                "started" | "ringing" => {
                    return Ok(Ingested::incomplete(format!("status {s}: not ended")))
                }
                other => {
                    return Err(Error::new(
                        ErrorCode::UnsupportedPayload,
                        "status",
                        format!(
                            "unknown Vonage status `{}`; expected started, ringing, answered, \
                             machine, human, completed, busy, cancelled, unanswered, rejected, \
                             failed, timeout",
                            fields::clip(other)
                        ),
                    ))
                }
            };
            (d, s.to_string())
        }
    };
    let id = node.first_text(&["conversation_uuid", "uuid"])?;
    let id = node.required("conversation_uuid", id, "the conversation id")?;
    let started = node.first_time(&["start_time", "timestamp", "end_time"], options.time_zone)?;
    let started = node.required("timestamp", started, "when the call started")?;
    let mut d = Draft::new(VENDOR, id, started, disposition);
    d.raw_disposition = Some(raw);
    d.caller_hint = Hint::International;
    d.caller = node.text("from")?;
    d.tracking_number = node.text("to")?;
    d.duration_seconds = node.seconds("duration")?;
    d.voicemail = voicemail;
    if let Some(to) = node.text("to")? {
        let digits_only = to.chars().all(|c| c.is_ascii_digit());
        d.location_keys.push(Key::Number {
            value: if digits_only { format!("+{to}") } else { to },
            path: node.path_of("to"),
        });
    }
    d.finish(options)
}
