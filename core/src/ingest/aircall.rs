//! Aircall: `{resource, event, timestamp, token, data}` webhooks for the `call` resource.
//!
//! Only `call.ended` (and `call.voicemail_left`, `call.comm_assets_generated`) classify a
//! call. `call.hungup` of a missed inbound call is [`Ingested::Incomplete`]: the voicemail
//! URL only appears on `call.ended`, about 30 s later. Missed = inbound with
//! `answered_at: null`; `missed_call_reason` gives the disposition:
//!
//! | `missed_call_reason` | disposition |
//! |---|---|
//! | `short_abandoned` | short_abandoned |
//! | `abandoned_in_ivr` | abandoned_in_ivr |
//! | `abandoned_in_classic` (older name), `abandoned` (newer name) | abandoned |
//! | `no_available_agent` | no_agent_available |
//! | `agents_did_not_answer` | no_answer |
//! | `out_of_opening_hours` | after_hours |
//! | null or a value not listed | no_answer (raw value kept) |
//!
//! A voicemail is an overlay: `data.voicemail`, `voicemail_short_url` or an `asset`
//! ending in `/voicemail` adds a voicemail to the event and the disposition keeps the
//! reason. The recording URL prefers the stable `asset` page over the signed S3 link,
//! which expires after 10 minutes. Times are epoch seconds; `duration` includes ringing.
//! Outbound calls are not missed calls. The event id is `data.id`.

use super::fields::{self, id_key, number_key, parse_json_body, Draft, Node};
use super::options::{IngestOptions, Ingested};
use crate::error::{Error, ErrorCode, Result};
use crate::model::event::{Disposition, Voicemail};

const VENDOR: &str = "aircall";

/// Call events that carry no classification of their own.
const PASSIVE_EVENTS: [&str; 13] = [
    "call.created",
    "call.ringing_on_agent",
    "call.agent_declined",
    "call.transferred",
    "call.unsuccessful_transfer",
    "call.assigned",
    "call.archived",
    "call.tagged",
    "call.untagged",
    "call.commented",
    "call.ivr_option_selected",
    "call.external_transferred",
    "call.unsuccessful_transcription",
];

/// Maps a `missed_call_reason` to a disposition.
pub fn disposition(reason: Option<&str>) -> Disposition {
    match reason.map(str::to_ascii_lowercase).as_deref() {
        Some("short_abandoned") => Disposition::ShortAbandoned,
        Some("abandoned_in_ivr") => Disposition::AbandonedInIvr,
        Some("abandoned_in_classic" | "abandoned") => Disposition::Abandoned,
        Some("no_available_agent") => Disposition::NoAgentAvailable,
        Some("agents_did_not_answer") => Disposition::NoAnswer,
        Some("out_of_opening_hours") => Disposition::AfterHours,
        _ => Disposition::NoAnswer,
    }
}

/// Parses an Aircall webhook body.
pub fn parse(payload: &str, options: &IngestOptions) -> Result<Ingested> {
    let root = parse_json_body(payload, "Aircall")?;
    let top = Node::root(&root);
    let expected = "an Aircall webhook (`resource`, `event`, `data`)";
    if !top.is_object() || !top.has("event") || !top.has("data") {
        return Err(fields::not_vendor("Aircall", expected));
    }
    let event = top.required("event", top.str("event")?, "the webhook event name")?;
    let resource = top.str("resource")?.unwrap_or("call");
    if resource != "call" || !event.starts_with("call.") {
        return Err(Error::new(
            ErrorCode::UnsupportedPayload,
            "event",
            format!(
                "Aircall event `{}` is not a call event; expected call.ended, call.hungup, …",
                fields::clip(event)
            ),
        ));
    }
    let data = top.required("data", top.object("data")?, "the call object")?;
    let data = data.node();

    let direction = data
        .str("direction")?
        .unwrap_or("inbound")
        .to_ascii_lowercase();
    let answered = data.get("answered_at").is_some();
    let classifying = matches!(
        event,
        "call.ended" | "call.voicemail_left" | "call.comm_assets_generated" | "call.hungup"
    );
    if event == "call.answered" {
        return Ok(Ingested::not_missed("call.answered"));
    }
    if !classifying {
        if PASSIVE_EVENTS.contains(&event) {
            return Ok(Ingested::incomplete(format!(
                "{event} does not say how the call ended; wait for call.ended"
            )));
        }
        return Err(Error::new(
            ErrorCode::UnsupportedPayload,
            "event",
            format!(
                "unknown Aircall call event `{}`; expected call.ended, call.hungup, \
                 call.voicemail_left, …",
                fields::clip(event)
            ),
        ));
    }
    if direction == "outbound" {
        return Ok(Ingested::not_missed("outbound call"));
    }
    if answered {
        return Ok(Ingested::not_missed("answered (answered_at set)"));
    }
    if event == "call.hungup" {
        return Ok(Ingested::incomplete(
            "call.hungup of a missed call: the voicemail may still come; wait for call.ended",
        ));
    }

    let reason = data.str("missed_call_reason")?;
    let id = data.text("id")?;
    let id = data.required("id", id, "the call id")?;
    let started = data.time("started_at", None)?;
    let started = match started {
        Some(t) => t,
        None => {
            let t = top.time("timestamp", None)?;
            data.required("started_at", t, "when the call started")?
        }
    };
    let mut d = Draft::new(VENDOR, id, started, disposition(reason));
    d.raw_disposition = Some(reason.unwrap_or("missed").to_string());
    d.caller = data.text("raw_digits")?;
    if let Some(c) = data.object("contact")? {
        let c = c.node();
        let name = [c.str("first_name")?, c.str("last_name")?]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        d.caller_name = Some(name).filter(|n| !n.is_empty());
    }
    d.duration_seconds = data.seconds("duration")?;
    let voicemail_url = data.str("voicemail")?;
    let short_url = data.str("voicemail_short_url")?;
    let asset = data.str("asset")?;
    let asset_is_voicemail = asset.is_some_and(|a| a.trim_end_matches('/').ends_with("/voicemail"));
    if voicemail_url.is_some() || short_url.is_some() || asset_is_voicemail {
        let url = if asset_is_voicemail {
            asset
        } else {
            voicemail_url.or(short_url)
        };
        d.voicemail = Some(Voicemail {
            transcript: None,
            duration_seconds: None,
            recording_url: url.map(str::to_string),
        });
    }
    if let Some(n) = data.object("number")? {
        let n = n.node();
        d.tracking_number = n.text("digits")?;
        d.location_keys.extend(number_key(n, "digits")?);
        d.location_keys.extend(id_key(n, "id")?);
    }
    if let Some(teams) = data.array("teams")? {
        for (i, t) in teams.iter().enumerate() {
            let path = format!("{}[{i}]", data.path_of("teams"));
            let t = Node {
                value: t,
                path: &path,
            };
            if t.is_object() {
                d.location_keys.extend(id_key(t, "id")?);
            }
        }
    }
    d.finish(options)
}
