//! Convirza post-call webhooks and v3 call objects (`/v3/conversations/calls`): a call at
//! the top level, under `call` or `data`, or a one-call `data.calls` list (a whole list
//! is a page for [`crate::ingest::parse_many`]).
//!
//! | `disposition` | outcome |
//! |---|---|
//! | `ANSWERED`, `TRANSFERRED` | not missed |
//! | `NO ANSWER` | no answer |
//! | `BUSY` | busy |
//! | `VOICEMAIL` | voicemail (`recordings`, `transcription`) |
//! | `ABANDONED` | abandoned |
//! | `FAILED` | failed |
//!
//! Values are compared without case, with `_` and `+` read as spaces. A pre-call webhook
//! (no disposition and no duration yet) is incomplete. Numbers arrive as E.164 or as 11
//! digits without the `+`. Event id: `call_id`. Location keys: the tracking number
//! (`phone_number`), then `provisioned_route_id`, `campaign_id`, `org_unit_id`.

use serde_json::Value;

use super::fields::{self, id_key, number_key, parse_json_body, Child, Draft, Node};
use super::options::{IngestOptions, Ingested};
use crate::error::{Error, ErrorCode, Result};
use crate::model::event::{Attribution, Disposition, Voicemail};

const VENDOR: &str = "convirza";

/// Maps a Convirza disposition; `Ok(None)` for answered (or transferred).
pub fn disposition(value: &str) -> Result<Option<Disposition>> {
    let v = super::mapping::normalize_value(value);
    Ok(Some(match v.as_str() {
        "answered" | "transferred" => return Ok(None),
        "no answer" | "noanswer" => Disposition::NoAnswer,
        "busy" => Disposition::Busy,
        "voicemail" | "voice mail" => Disposition::Voicemail,
        "abandoned" => Disposition::Abandoned,
        "failed" => Disposition::Failed,
        _ => {
            return Err(Error::new(
                ErrorCode::UnsupportedPayload,
                "disposition",
                format!(
                    "unknown Convirza disposition `{}`; expected ANSWERED, NO ANSWER, BUSY, \
                     FAILED, VOICEMAIL, ABANDONED or TRANSFERRED",
                    fields::clip(value)
                ),
            ))
        }
    }))
}

fn is_call(v: &Value) -> bool {
    v.get("call_id").is_some() && (v.get("caller_id").is_some() || v.get("disposition").is_some())
}

/// The call objects of a body (one for a webhook, several for an API page).
pub(crate) fn calls(root: &Value) -> Result<Vec<Child<'_>>> {
    let top = Node::root(root);
    let expected = "a Convirza call (`call_id`, `caller_id`, `disposition`)";
    if !top.is_object() {
        return Err(fields::not_vendor("Convirza", expected));
    }
    if is_call(root) {
        return Ok(vec![Child {
            value: root,
            path: String::new(),
        }]);
    }
    for key in ["call", "data"] {
        if let Some(c) = top.object(key)? {
            if is_call(c.value) {
                return Ok(vec![c]);
            }
            let calls_list = match c.value.get("calls") {
                Some(Value::Array(a)) => Some(a),
                Some(Value::Null) | None => None,
                Some(v) => {
                    return Err(Error::new(
                        ErrorCode::InvalidEvent,
                        format!("{key}.calls"),
                        format!("expected an array, got {}", fields::type_name(v)),
                    ))
                }
            };
            if let Some(list) = calls_list {
                let base = c.path.clone();
                return Ok(list
                    .iter()
                    .enumerate()
                    .map(|(i, v)| Child {
                        value: v,
                        path: format!("{base}.calls[{i}]"),
                    })
                    .collect());
            }
        }
    }
    Err(fields::not_vendor("Convirza", expected))
}

/// Parses a Convirza post-call webhook or one call object.
pub fn parse(payload: &str, options: &IngestOptions) -> Result<Ingested> {
    let root = parse_json_body(payload, "Convirza")?;
    let item = fields::only_item(calls(&root)?, "data.calls", "Convirza", "calls")?;
    one(item.node(), options)
}

/// Parses one call object.
pub(crate) fn one(node: Node<'_>, options: &IngestOptions) -> Result<Ingested> {
    fields::expect_object(node, "a call object")?;
    let raw = node.str("disposition")?;
    let duration = node.seconds("duration")?;
    let Some(raw) = raw else {
        if duration.is_none() {
            return Ok(Ingested::incomplete(
                "Convirza pre-call webhook: no disposition yet; the post-call webhook decides",
            ));
        }
        return Err(Error::new(
            ErrorCode::InvalidEvent,
            node.path_of("disposition"),
            "missing field `disposition` (how the call ended)",
        ));
    };
    let disposition = match disposition(raw) {
        Ok(Some(d)) => d,
        Ok(None) => return Ok(Ingested::not_missed(format!("disposition {raw}"))),
        Err(e) => return Err(Error::new(e.code, node.path_of("disposition"), e.message)),
    };
    let id = node.text("call_id")?;
    let id = node.required("call_id", id, "the call id")?;
    let mut keys = Vec::new();
    for k in ["phone_number", "tracking_number", "dnis"] {
        keys.extend(number_key(node, k)?);
    }
    for k in ["provisioned_route_id", "campaign_id", "org_unit_id"] {
        keys.extend(id_key(node, k)?);
    }
    keys.extend(number_key(node, "ring_to")?);
    let zone = fields::zone_for(VENDOR, &keys, options)?;
    let started = node.first_time(
        &[
            "call_started",
            "call_start",
            "start_time",
            "call_date",
            "started_at",
        ],
        zone,
    )?;
    let started = fields::time_or_received(
        started,
        options,
        &node.path_of("call_started"),
        "missing field `call_started` (when the call started)",
    )?;
    let mut d = Draft::new(VENDOR, id, started, disposition);
    d.raw_disposition = Some(raw.to_string());
    d.caller = node.first_text(&["caller_id", "caller_number", "ani"])?;
    d.caller_name = node.first_text(&["caller_name", "cnam"])?;
    d.tracking_number = node.first_text(&["phone_number", "tracking_number", "dnis"])?;
    d.duration_seconds = duration;
    let mut a = Attribution::default();
    if let Some(c) = node.object("custom_sources")? {
        let c = c.node();
        a.source = c.text("utm_source")?;
        a.medium = c.text("utm_medium")?;
        a.campaign = c.text("utm_campaign")?;
        a.keywords = c.text("utm_term")?;
        a.gclid = c.text("gclid")?;
        if let Some(map) = c.value.as_object() {
            for (k, v) in map {
                if let (Some(name), Some(v)) = (k.strip_prefix("utm_"), v.as_str()) {
                    if !v.trim().is_empty() {
                        a.utm.insert(name.to_string(), v.trim().to_string());
                    }
                }
            }
        }
    }
    d.attribution = a;
    let mut recording = None;
    if let Some(list) = node.array("recordings")? {
        for (i, r) in list.iter().enumerate() {
            match r {
                Value::String(s) if !s.trim().is_empty() => {
                    recording = Some(s.trim().to_string());
                }
                Value::Object(_) => {
                    let path = format!("{}[{i}]", node.path_of("recordings"));
                    let n = Node {
                        value: r,
                        path: &path,
                    };
                    recording =
                        n.first_text(&["url", "recording_url", "signed_url", "file_url"])?;
                }
                _ => {}
            }
            if recording.is_some() {
                break;
            }
        }
    }
    let transcript = match node.get("transcription") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Object(_)) => node
            .object("transcription")?
            .map(|c| {
                c.node()
                    .first_text(&["text", "transcript", "transcription"])
            })
            .transpose()?
            .flatten(),
        _ => None,
    };
    if disposition == Disposition::Voicemail {
        d.voicemail = Some(Voicemail {
            transcript,
            duration_seconds: None,
            recording_url: recording,
        });
    }
    d.location_keys = keys;
    d.finish(options)
}
