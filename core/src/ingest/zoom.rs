//! Zoom Phone webhooks (`{event, event_ts, payload: {account_id, object}}`).
//!
//! A ring group or queue call sends one `phone.callee_missed` per extension that rang;
//! they all carry the same `call_id`, which is the event id, so the engine sees the first
//! as the missed call and the rest as replays.
//!
//! | event | outcome |
//! |---|---|
//! | `phone.callee_missed`, `phone.callee_rejected` | missed: `handup_result` (sic) `Call Cancel` → abandoned, `Voicemail` → voicemail, otherwise no answer |
//! | `phone.voicemail_received` | voicemail (`download_url`) |
//! | `phone.callee_answered`, `phone.caller_connected` | not missed |
//! | other `phone.*` events (ringing, ended, recordings, call logs) | incomplete |
//!
//! A caller with only an extension (or `caller_number_type` 1) is an internal call:
//! not missed, reason `internal_call`.
//!
//! There is no duration field; it is `call_end_time − ringing_start_time`.

use super::fields::{self, id_key, number_key, parse_json_body, Draft, Node};
use super::options::{IngestOptions, Ingested};
use crate::error::{Error, ErrorCode, Result};
use crate::model::event::{Disposition, Voicemail};

const VENDOR: &str = "zoom";

/// Parses a Zoom Phone webhook.
pub fn parse(payload: &str, options: &IngestOptions) -> Result<Ingested> {
    let root = parse_json_body(payload, "Zoom")?;
    let top = Node::root(&root);
    let expected = "a Zoom Phone webhook (`event` phone.*, `payload.object`)";
    if !top.is_object() || !top.has("event") || !top.has("payload") {
        return Err(fields::not_vendor("Zoom", expected));
    }
    let event = top.required("event", top.str("event")?, "the event name")?;
    if !event.starts_with("phone.") {
        return Err(Error::new(
            ErrorCode::UnsupportedPayload,
            "event",
            format!(
                "Zoom event `{}` is not a Zoom Phone event; expected phone.callee_missed, …",
                fields::clip(event)
            ),
        ));
    }
    let payload_node = top.required("payload", top.object("payload")?, "the event payload")?;
    let payload_node = payload_node.node();
    let object = payload_node.required("object", payload_node.object("object")?, "the call")?;
    let object = object.node();

    let (disposition, raw) = match event {
        "phone.callee_missed" | "phone.callee_rejected" => {
            let result = object.str("handup_result")?;
            let d = match result.map(str::to_ascii_lowercase).as_deref() {
                Some("call cancel") => Disposition::Abandoned,
                Some("voicemail") => Disposition::Voicemail,
                _ => Disposition::NoAnswer,
            };
            let raw = match result {
                Some(r) => format!("{event} ({r})"),
                None => event.to_string(),
            };
            (d, raw)
        }
        "phone.voicemail_received" => (Disposition::Voicemail, event.to_string()),
        "phone.callee_answered" | "phone.caller_connected" => {
            return Ok(Ingested::not_missed(event))
        }
        _ => {
            return Ok(Ingested::incomplete(format!(
                "{event} does not say that a call was missed"
            )))
        }
    };
    let id = object.first_text(&["call_id", "id"])?;
    let id = object.required("call_id", id, "the call id")?;
    let zone = options.time_zone;
    let rang = object.first_time(&["ringing_start_time", "date_time", "start_time"], zone)?;
    let ended = object.time("call_end_time", zone)?;
    let started = match rang.or(ended) {
        Some(t) => t,
        None => {
            let t = top.time("event_ts", None)?;
            object.required("ringing_start_time", t, "when the call started ringing")?
        }
    };
    let mut d = Draft::new(VENDOR, id, started, disposition);
    d.raw_disposition = Some(raw);
    if let (Some(a), Some(b)) = (rang, ended) {
        let secs = (b.utc() - a.utc()).num_seconds();
        d.ring_seconds = u32::try_from(secs).ok();
        d.duration_seconds = d.ring_seconds;
    }
    if let Some(caller) = object.object("caller")? {
        let c = caller.node();
        d.caller = c.text("phone_number")?;
        d.caller_name = c.first_text(&["name", "caller_name"])?;
        // An extension with no outside number (`caller_number_type` 1 = internal): a
        // colleague calling, not a customer.
        let internal_type =
            c.number("caller_number_type")? == Some(1.0) || c.number("number_type")? == Some(1.0);
        d.internal = internal_type || (d.caller.is_none() && c.text("extension_number")?.is_some());
    } else {
        d.caller = object.text("caller_number")?;
        d.caller_name = object.text("caller_name")?;
    }
    if let Some(callee) = object.object("callee")? {
        let c = callee.node();
        d.tracking_number = c.text("phone_number")?;
        d.location_keys.extend(number_key(c, "phone_number")?);
        d.location_keys.extend(id_key(c, "extension_number")?);
        d.location_keys.extend(id_key(c, "extension_id")?);
        d.location_keys.extend(id_key(c, "user_id")?);
    } else {
        d.tracking_number = object.text("callee_number")?;
        d.location_keys.extend(number_key(object, "callee_number")?);
        d.location_keys.extend(id_key(object, "callee_user_id")?);
        d.location_keys.extend(id_key(object, "callee_id")?);
    }
    if let Some(f) = object.object("forwarded_by")? {
        d.location_keys
            .extend(id_key(f.node(), "extension_number")?);
    }
    d.location_keys.extend(id_key(payload_node, "account_id")?);
    if event == "phone.voicemail_received" {
        d.voicemail = Some(Voicemail {
            transcript: None,
            duration_seconds: object.seconds("duration")?,
            recording_url: object.text("download_url")?,
        });
    }
    d.finish(options)
}
