//! RingCentral call-log records (`CallLogRecord`, JSON): a record at the top level, under
//! `body` (a webhook envelope) or `record`, or a one-record `records` list.
//!
//! | `result` | outcome |
//! |---|---|
//! | `Missed`, `No Answer`, `Rejected`, `Declined`, `Not Answered` | no answer |
//! | `Busy`, `Line Busy` | busy |
//! | `Voicemail`, `Sent to Voicemail` | voicemail (`recording.contentUri` / `message.uri`) |
//! | `Abandoned`, `Hang Up`, or any unanswered result with `reason` `Hang Up` | abandoned |
//! | `Call Failed`, `Call Failure`, `Failed`, `Internal Error`, `IP Phone Offline`, `Restricted Number`, `Wrong Number`, `No Calling Credit`, `Poor Line Quality`, `Suspended account` | failed |
//! | `Accepted`, `Call connected`, `Call Accepted`, `Stopped` (answered elsewhere), `Blocked`, `Unknown` | not missed |
//!
//! Outbound records and fax records are not missed calls, and neither is an internal
//! call (a `from` party with only `extensionNumber` / `extensionId`: reason
//! `internal_call`). The event id is
//! `telephonySessionId`, else `sessionId`, else `id`.

use super::fields::{self, id_key, number_key, parse_json_body, Child, Draft, Node};
use super::options::{IngestOptions, Ingested};
use crate::error::{Error, ErrorCode, Result};
use crate::model::event::{Disposition, Voicemail};

const VENDOR: &str = "ringcentral";

/// Maps a call-log `result` (and `reason`) to a disposition; `Ok(None)` for answered.
pub fn disposition(result: &str, reason: Option<&str>) -> Result<Option<Disposition>> {
    let r = result.trim().to_ascii_lowercase();
    let hang_up_reason = reason.is_some_and(|x| x.trim().eq_ignore_ascii_case("hang up"));
    let d = match r.as_str() {
        "accepted"
        | "call connected"
        | "call accepted"
        | "stopped"
        | "blocked"
        | "unknown"
        | "answered not accepted" => return Ok(None),
        "voicemail" | "sent to voicemail" => Disposition::Voicemail,
        "abandoned" | "hang up" => Disposition::Abandoned,
        _ if hang_up_reason => Disposition::Abandoned,
        "missed" | "no answer" | "not answered" | "rejected" | "declined" => Disposition::NoAnswer,
        "busy" | "line busy" => Disposition::Busy,
        "call failed" | "call failure" | "failed" | "internal error" | "ip phone offline"
        | "restricted number" | "wrong number" | "no calling credit" | "poor line quality"
        | "suspended account" => Disposition::Failed,
        other => {
            return Err(Error::new(
                ErrorCode::UnsupportedPayload,
                "result",
                format!(
                    "unknown RingCentral call result `{}`; expected Missed, Voicemail, \
                     Accepted, No Answer, Busy, Rejected, Hang Up, Abandoned, …",
                    fields::clip(other)
                ),
            ))
        }
    };
    Ok(Some(d))
}

fn record<'a>(top: Node<'a>) -> Result<Option<Child<'a>>> {
    if top.has("result") {
        return Ok(Some(Child {
            value: top.value,
            path: String::new(),
        }));
    }
    for key in ["body", "record"] {
        if let Some(c) = top.object(key)? {
            if c.node().has("result") {
                return Ok(Some(c));
            }
        }
    }
    if let Some(list) = top.array("records")? {
        if let [one] = list.as_slice() {
            if one.get("result").is_some() {
                return Ok(Some(Child {
                    value: one,
                    path: "records[0]".to_string(),
                }));
            }
        }
    }
    Ok(None)
}

/// Parses a RingCentral call-log record.
pub fn parse(payload: &str, options: &IngestOptions) -> Result<Ingested> {
    let root = parse_json_body(payload, "RingCentral")?;
    let top = Node::root(&root);
    let expected = "a RingCentral call-log record (`result`, `startTime`, `from`, `to`)";
    if !top.is_object() {
        return Err(fields::not_vendor("RingCentral", expected));
    }
    let Some(rec) = record(top)? else {
        return Err(fields::not_vendor("RingCentral", expected));
    };
    let node = rec.node();
    if !(node.has("startTime") || node.has("sessionId") || node.has("telephonySessionId")) {
        return Err(fields::not_vendor("RingCentral", expected));
    }
    let result = node.required("result", node.str("result")?, "the call result")?;
    let reason = node.str("reason")?;
    if let Some(t) = node.str("type")? {
        if !t.eq_ignore_ascii_case("voice") {
            return Ok(Ingested::not_missed(format!(
                "{t} record, not a voice call"
            )));
        }
    }
    if node
        .str("direction")?
        .is_some_and(|d| d.eq_ignore_ascii_case("outbound"))
    {
        return Ok(Ingested::not_missed("outbound call"));
    }
    let disposition = match disposition(result, reason)
        .map_err(|e| Error::new(e.code, node.path_of("result"), e.message))?
    {
        Some(d) => d,
        None => return Ok(Ingested::not_missed(format!("result {result}"))),
    };
    let id = node.first_text(&["telephonySessionId", "sessionId", "id"])?;
    let id = node.required("sessionId", id, "the call id")?;
    let started = node.time("startTime", options.time_zone)?;
    let started = node.required("startTime", started, "when the call started")?;
    let mut d = Draft::new(VENDOR, id, started, disposition);
    d.raw_disposition = Some(match reason {
        Some(r) => format!("{result} ({r})"),
        None => result.to_string(),
    });
    d.duration_seconds = match node.seconds("duration")? {
        Some(s) => Some(s),
        None => node.millis_as_seconds("durationMs")?,
    };
    if let Some(from) = node.object("from")? {
        let from = from.node();
        d.caller = from.text("phoneNumber")?;
        d.caller_name = from.text("name")?;
        // An extension with no outside number: a colleague calling, not a customer.
        d.internal = d.caller.is_none()
            && (from.text("extensionNumber")?.is_some() || from.text("extensionId")?.is_some());
    }
    if let Some(to) = node.object("to")? {
        let to = to.node();
        d.tracking_number = to.text("phoneNumber")?;
        d.location_keys.extend(number_key(to, "phoneNumber")?);
        d.location_keys.extend(id_key(to, "extensionId")?);
        d.location_keys.extend(id_key(to, "extensionNumber")?);
    }
    if let Some(ext) = node.object("extension")? {
        d.location_keys.extend(id_key(ext.node(), "id")?);
    }
    if disposition == Disposition::Voicemail {
        let mut url = None;
        if let Some(m) = node.object("message")? {
            url = m.node().text("uri")?;
        }
        if url.is_none() {
            if let Some(r) = node.object("recording")? {
                url = r.node().first_text(&["contentUri", "uri"])?;
            }
        }
        d.voicemail = Some(Voicemail {
            transcript: None,
            duration_seconds: None,
            recording_url: url,
        });
    }
    d.finish(options)
}
