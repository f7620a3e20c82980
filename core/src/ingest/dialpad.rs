//! Dialpad call events: one event per state change per call leg, sent as plain JSON, or as
//! an HS256 JWT when the webhook has a secret (verified when
//! [`IngestOptions::dialpad_secret`] is set).
//!
//! Legs are grouped by `entry_point_call_id` / `master_call_id`; the event id is the entry
//! point's call id, so every leg and the later voicemail and transcription events share
//! it. A `hangup` / `missed` of a leg that is not the entry point is
//! [`Ingested::Incomplete`] (the entry-point leg decides); voicemail and transcription
//! events count from any leg.
//!
//! | `state` | outcome |
//! |---|---|
//! | `connected`, or a hang-up / missed / transcription without voicemail with `date_connected` set | not missed |
//! | `missed` | no answer |
//! | `hangup`, rang (`date_rang` / `date_first_rang`), not connected, 10 s or more | no answer |
//! | `hangup`, never rang, or shorter than 10 s in total | abandoned |
//! | `voicemail`, `voicemail_uploaded` | voicemail (`voicemail_link`) |
//! | `transcription` with `transcription_text` | voicemail with transcript (late data) |
//! | `target_availability_status` other than `open` on a missed/hangup | after hours |
//! | `calling`, `ringing`, `queued`, `hold`, ... and other known states | incomplete |
//!
//! Times are epoch milliseconds; `duration` and `total_duration` are milliseconds.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

use super::fields::{self, id_key, number_key, parse_json_body, Draft, Node};
use super::options::{IngestOptions, Ingested};
use super::signature;
use crate::error::{Error, ErrorCode, Result};
use crate::model::event::{Disposition, Voicemail};

const VENDOR: &str = "dialpad";

/// A hang-up shorter than this (total, in seconds) is an abandonment even if it rang.
const SHORT_ABANDON_SECONDS: u32 = 10;

/// States that carry no missed-call information of their own.
const PASSIVE_STATES: [&str; 21] = [
    "calling",
    "ringing",
    "merged",
    "hold",
    "queued",
    "eavesdrop",
    "monitor",
    "barge",
    "admin",
    "parked",
    "takeover",
    "recording",
    "dispositions",
    "csat",
    "pcsat",
    "recap_summary",
    "recap_outcome",
    "recap_purposes",
    "recap_action_items",
    "ai_playbook",
    "all",
];

/// Decodes a JWT body's claims (verifying the HS256 signature when a secret is given).
fn jwt_claims(token: &str, secret: Option<&str>) -> Result<String> {
    let parts: Vec<&str> = token.trim().split('.').collect();
    let [_, claims, _] = parts.as_slice() else {
        return Err(Error::new(
            ErrorCode::InvalidJson,
            "",
            "Dialpad payload is neither JSON nor a JWT (header.claims.signature)",
        ));
    };
    if let Some(secret) = secret {
        if !signature::dialpad_jwt(token, secret) {
            return Err(Error::new(
                ErrorCode::UnsupportedPayload,
                "",
                "Dialpad JWT signature does not verify with the configured dialpad_secret",
            ));
        }
    }
    let bytes = URL_SAFE_NO_PAD
        .decode(claims.trim_end_matches('='))
        .map_err(|_| {
            Error::new(
                ErrorCode::InvalidJson,
                "",
                "Dialpad JWT claims are not base64url",
            )
        })?;
    String::from_utf8(bytes).map_err(|_| {
        Error::new(
            ErrorCode::InvalidJson,
            "",
            "Dialpad JWT claims are not UTF-8",
        )
    })
}

/// Parses a Dialpad call event (plain JSON or JWT).
pub fn parse(payload: &str, options: &IngestOptions) -> Result<Ingested> {
    let trimmed = payload.trim();
    let text;
    let json = if trimmed.starts_with('{') || trimmed.starts_with('[') {
        if options.dialpad_secret.is_some() {
            return Err(Error::new(
                ErrorCode::UnsupportedPayload,
                "",
                "a dialpad_secret is configured but the body is plain JSON, not a signed JWT",
            ));
        }
        trimmed
    } else {
        text = jwt_claims(trimmed, options.dialpad_secret.as_deref())?;
        text.as_str()
    };
    let root = parse_json_body(json, "Dialpad")?;
    let node = Node::root(&root);
    let expected = "a Dialpad call event (`call_id`, `state`)";
    if !node.is_object() || !node.has("call_id") || !node.has("state") {
        return Err(fields::not_vendor("Dialpad", expected));
    }
    let state = node.required("state", node.str("state")?, "the call state")?;
    let state_lc = state.to_ascii_lowercase();
    let call_id = node.required("call_id", node.text("call_id")?, "the call id")?;
    let entry = node.first_text(&["entry_point_call_id", "master_call_id"])?;
    let is_entry = entry.as_deref().is_none_or(|e| e == call_id);
    let event_id = entry.clone().unwrap_or_else(|| call_id.clone());
    let connected = node.get("date_connected").is_some();
    let direction = node
        .str("direction")?
        .unwrap_or("inbound")
        .to_ascii_lowercase();

    if PASSIVE_STATES.contains(&state_lc.as_str()) {
        return Ok(Ingested::incomplete(format!(
            "Dialpad state `{state}` does not say how the call ended"
        )));
    }
    let known = matches!(
        state_lc.as_str(),
        "connected" | "missed" | "hangup" | "voicemail" | "voicemail_uploaded" | "transcription"
    );
    if !known {
        return Err(Error::new(
            ErrorCode::UnsupportedPayload,
            "state",
            format!(
                "unknown Dialpad state `{}`; expected hangup, missed, voicemail, \
                 voicemail_uploaded, transcription, …",
                fields::clip(state)
            ),
        ));
    }
    if direction == "outbound" {
        return Ok(Ingested::not_missed("outbound call"));
    }
    // A voicemail leg may count as connected (the voicemail system picked up): only
    // hang-ups and plain transcripts of connected calls are answered calls.
    let has_voicemail =
        node.get("voicemail_link").is_some() || node.get("voicemail_recording_id").is_some();
    let voicemail_state = matches!(state_lc.as_str(), "voicemail" | "voicemail_uploaded")
        || (state_lc == "transcription" && has_voicemail);
    if state_lc == "connected" || (connected && !voicemail_state) {
        return Ok(Ingested::not_missed("connected (date_connected set)"));
    }

    let after_hours = node
        .str("target_availability_status")?
        .is_some_and(|s| !s.eq_ignore_ascii_case("open"));
    let rang = node.get("date_rang").is_some() || node.get("date_first_rang").is_some();
    let total = node.millis_as_seconds("total_duration")?;
    let mut voicemail = None;
    let disposition = match state_lc.as_str() {
        "missed" | "hangup" if !is_entry => {
            return Ok(Ingested::incomplete(format!(
                "Dialpad {state} of leg {call_id}, not the entry point {event_id}"
            )))
        }
        "missed" | "hangup" if after_hours => Disposition::AfterHours,
        "missed" => Disposition::NoAnswer,
        "hangup" if rang && total.is_none_or(|t| t >= SHORT_ABANDON_SECONDS) => {
            Disposition::NoAnswer
        }
        "hangup" => Disposition::Abandoned,
        "transcription" => {
            let Some(text) = node.str("transcription_text")? else {
                return Ok(Ingested::incomplete(
                    "Dialpad transcription event without transcription_text",
                ));
            };
            voicemail = Some(Voicemail {
                transcript: Some(text.to_string()),
                duration_seconds: None,
                recording_url: node.text("voicemail_link")?,
            });
            Disposition::Voicemail
        }
        _ => {
            voicemail = Some(Voicemail {
                transcript: node.str("transcription_text")?.map(str::to_string),
                duration_seconds: None,
                recording_url: node.text("voicemail_link")?,
            });
            Disposition::Voicemail
        }
    };

    let started = node.epoch_millis("date_started")?;
    let started = match started {
        Some(t) => t,
        None => {
            let t = node.epoch_millis("event_timestamp")?;
            node.required("date_started", t, "when the call started")?
        }
    };
    let mut d = Draft::new(VENDOR, event_id, started, disposition);
    d.raw_disposition = Some(match node.str("target_availability_status")? {
        Some(s) if disposition == Disposition::AfterHours => format!("{state} ({s})"),
        _ => state.to_string(),
    });
    let contact = node.object("contact")?;
    d.caller = node.text("external_number")?;
    if let Some(c) = &contact {
        let c = c.node();
        if d.caller.is_none() {
            d.caller = c.text("phone")?;
        }
        d.caller_name = c.text("name")?;
    }
    d.tracking_number = node.text("internal_number")?;
    d.duration_seconds = total;
    if let (Some(rang_at), Some(end)) = (
        node.epoch_millis("date_rang")?,
        node.epoch_millis("date_ended")?,
    ) {
        let secs = (end.utc() - rang_at.utc()).num_seconds();
        d.ring_seconds = u32::try_from(secs).ok();
    }
    d.voicemail = voicemail;
    d.location_keys.extend(number_key(node, "internal_number")?);
    for key in ["entry_point_target", "target"] {
        if let Some(t) = node.object(key)? {
            let t = t.node();
            d.location_keys.extend(number_key(t, "phone")?);
            d.location_keys.extend(id_key(t, "id")?);
            d.location_keys.extend(id_key(t, "office_id")?);
        }
    }
    d.location_keys.extend(id_key(node, "group_id")?);
    d.finish(options)
}
