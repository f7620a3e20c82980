//! CallTrackingMetrics (CTM) call webhooks: one call object (JSON), or a `calls` list
//! holding exactly one. Numbers arrive formatted (`(404) 555-8514`), with `_bare` /
//! `_complete` variants; `called_at` has no zone (the options' `time_zone` reads it) and
//! `unix_time` (epoch seconds) is preferred when present.
//!
//! CTM's status values are not documented; CTM runs on Twilio, so Twilio-like values are
//! read from `dial_status`, then `call_status`, then `status` (case and `-`/`_`/space
//! insensitive): `completed` / `answered` → not missed (also any `talk_time > 0`);
//! `no-answer` / `missed` / `unanswered` → no answer; `busy`; `failed`; `canceled` /
//! `abandoned` / `hangup` → abandoned; `voicemail` → voicemail (`audio`). No status at
//! all is incomplete (a call-start webhook).

use super::fields::{self, id_key, number_key, parse_json_body, Child, Draft, Node};
use super::options::{IngestOptions, Ingested};
use crate::error::{Error, ErrorCode, Result};
use crate::model::event::{Attribution, Disposition, Voicemail};

const VENDOR: &str = "ctm";

fn status_disposition(raw: &str) -> Option<Option<Disposition>> {
    let s: String = raw
        .trim()
        .to_ascii_lowercase()
        .chars()
        .map(|c| if c == '_' || c == ' ' { '-' } else { c })
        .collect();
    Some(match s.as_str() {
        "completed" | "answered" | "in-progress" => None,
        "no-answer" | "noanswer" | "missed" | "unanswered" => Some(Disposition::NoAnswer),
        "busy" => Some(Disposition::Busy),
        "failed" => Some(Disposition::Failed),
        "canceled" | "cancelled" | "abandoned" | "hangup" | "hung-up" => {
            Some(Disposition::Abandoned)
        }
        "voicemail" | "voice-mail" => Some(Disposition::Voicemail),
        _ => return None,
    })
}

/// Parses a CTM call webhook.
pub fn parse(payload: &str, options: &IngestOptions) -> Result<Ingested> {
    let root = parse_json_body(payload, "CTM")?;
    let top = Node::root(&root);
    let expected = "a CallTrackingMetrics call (`id`, `caller_number`, `called_at` / `unix_time`)";
    if !top.is_object() {
        return Err(fields::not_vendor("CTM", expected));
    }
    let call = match top.array("calls")? {
        Some(list) => match list.as_slice() {
            [one] => Child {
                value: one,
                path: "calls[0]".to_string(),
            },
            _ => {
                return Err(Error::new(
                    ErrorCode::UnsupportedPayload,
                    "calls",
                    format!("expected one call, got a list of {}", list.len()),
                ))
            }
        },
        None => Child {
            value: top.value,
            path: String::new(),
        },
    };
    let node = call.node();
    let is_ctm = node.is_object()
        && node.has("id")
        && (node.has("called_at") || node.has("unix_time"))
        && (node.has("caller_number")
            || node.has("caller_number_bare")
            || node.has("caller_number_complete")
            || node.has("tracking_number"));
    if !is_ctm {
        return Err(fields::not_vendor("CTM", expected));
    }
    if node
        .str("direction")?
        .is_some_and(|d| d.eq_ignore_ascii_case("outbound") || d.eq_ignore_ascii_case("outgoing"))
    {
        return Ok(Ingested::not_missed("outbound call"));
    }
    if node.seconds("talk_time")?.unwrap_or(0) > 0 {
        return Ok(Ingested::not_missed("talk_time > 0: answered"));
    }
    let mut found = None;
    for key in ["dial_status", "call_status", "status"] {
        if let Some(s) = node.str(key)? {
            match status_disposition(s) {
                Some(d) => {
                    found = Some((key, s, d));
                    break;
                }
                None => continue,
            }
        }
    }
    let Some((_, raw, disposition)) = found else {
        let any = ["dial_status", "call_status", "status"]
            .iter()
            .find_map(|k| node.str(k).ok().flatten().map(|s| (*k, s)));
        return match any {
            Some((k, s)) => Err(Error::new(
                ErrorCode::UnsupportedPayload,
                node.path_of(k),
                format!(
                    "unknown CTM {k} `{}`; expected completed, answered, no-answer, busy, \
                     failed, canceled, voicemail",
                    fields::clip(s)
                ),
            )),
            None => Ok(Ingested::incomplete(
                "CTM call without dial_status / call_status / status: not ended",
            )),
        };
    };
    let Some(disposition) = disposition else {
        return Ok(Ingested::not_missed(format!("status {raw}")));
    };
    let id = node.required("id", node.text("id")?, "the call id")?;
    let started = match node.epoch_seconds("unix_time")? {
        Some(t) => t,
        None => {
            let t = node.time("called_at", options.time_zone)?;
            node.required("called_at", t, "when the call started")?
        }
    };
    let mut d = Draft::new(VENDOR, id, started, disposition);
    d.raw_disposition = Some(raw.to_string());
    d.caller = node.first_text(&[
        "caller_number_complete",
        "caller_number",
        "caller_number_bare",
    ])?;
    d.caller_name = node.first_text(&["cnam", "name"])?;
    d.tracking_number = node.first_text(&["tracking_number", "tracking_number_bare"])?;
    d.duration_seconds = node.seconds("duration")?;
    d.ring_seconds = node.seconds("ring_time")?;
    if disposition == Disposition::Voicemail {
        d.voicemail = Some(Voicemail {
            transcript: node.str("transcription_text")?.map(str::to_string),
            duration_seconds: None,
            recording_url: node.text("audio")?,
        });
    }
    let mut a = Attribution {
        source: node.text("source")?,
        keywords: node.text("search")?,
        landing_page: node.text("location")?,
        referrer: node.text("referrer")?,
        ..Attribution::default()
    };
    if let Some(p) = node.object("paid")? {
        let p = p.node();
        a.campaign = p.text("campaign")?;
        a.medium = p.text("medium")?;
        if a.keywords.is_none() {
            a.keywords = p.text("keyword")?;
        }
    }
    if let Some(g) = node.object("ga")? {
        let g = g.node();
        a.gclid = g.text("gclid")?;
    }
    let landing = a.landing_page.clone();
    fields::click_ids_from_url(&mut a, landing.as_deref());
    d.attribution = a;
    for k in ["tracking_number", "tracking_number_bare", "business_number"] {
        d.location_keys.extend(number_key(node, k)?);
    }
    d.location_keys.extend(id_key(node, "account_id")?);
    d.finish(options)
}
