//! CallRail: the call object of the post-call and call-modified webhooks (JSON). Pre-call
//! and call-routing-complete webhooks are [`Ingested::Incomplete`]: CallRail sends the
//! pre-call body with `answered=false, call_type=missed, duration=0`, which must never be
//! read as a missed call.
//!
//! Mapping: `answered=true` → not missed; `voicemail=true` or `call_type` `voicemail` /
//! `voicemail_transcription` → voicemail (recording, `recording_duration`,
//! `transcription`); `call_type` `missed` → no answer; `abandoned` (and the documented
//! spelling `abandonded`) → abandoned; `in_progress` → incomplete; `outbound` or
//! `direction=outbound` → not missed. Without a `call_type` (API objects), a call shorter
//! than CallRail's 15 s threshold is abandoned, a longer one unanswered. The event id is
//! `resource_id` (`CAL…`) when present, else `id` (legacy numeric in webhooks), so
//! post-call and call-modified deliveries share it. The start is `start_time` (with
//! offset), else the legacy `datetime` (UTC without offset). Legacy names (`callernum`,
//! `trackingnum`, `callername`) are read when the current ones are missing.

use super::fields::{self, click_ids_from_url, id_key, number_key, parse_json_body, Draft, Node};
use super::options::{CallRailWebhook, IngestOptions, Ingested};
use crate::error::Result;
use crate::model::event::{Attribution, Disposition, Voicemail};
use crate::model::time::TimeZone;

const VENDOR: &str = "callrail";

/// CallRail's threshold between abandoned and missed, in seconds.
const ABANDON_SECONDS: u32 = 15;

/// Parses a CallRail webhook body (or a v3 API call object).
pub fn parse(payload: &str, options: &IngestOptions) -> Result<Ingested> {
    let root = parse_json_body(payload, "CallRail")?;
    let expected = "a CallRail call object (JSON with `customer_phone_number`, `answered` / \
                    `call_type`, `id`)";
    let top = Node::root(&root);
    if !top.is_object() {
        return Err(fields::not_vendor("CallRail", expected));
    }
    // A call-modified body may wrap the call object.
    let wrapped = top.object("call")?;
    let node = match &wrapped {
        Some(c) if !top.has("customer_phone_number") && !top.has("callernum") => c.node(),
        _ => top,
    };
    let is_callrail = (node.has("customer_phone_number") || node.has("callernum"))
        && (node.has("answered") || node.has("call_type") || node.has("voicemail"))
        && (node.has("id") || node.has("resource_id"));
    if !is_callrail {
        return Err(fields::not_vendor("CallRail", expected));
    }
    let modified = top.has("changes") || node.has("changes");
    match options.callrail_webhook {
        Some(CallRailWebhook::PreCall) => {
            return Ok(Ingested::incomplete(
                "CallRail pre-call webhook: the call has not ended",
            ))
        }
        Some(CallRailWebhook::CallRoutingComplete) => {
            return Ok(Ingested::incomplete(
                "CallRail call-routing-complete webhook: the call has not ended",
            ))
        }
        _ => {}
    }

    let call_type = node.str("call_type")?.map(str::to_ascii_lowercase);
    let answered = node.flag("answered")?;
    let voicemail_flag = node.flag("voicemail")?.unwrap_or(false);
    let duration = node.seconds("duration")?;
    let direction = node.str("direction")?.map(str::to_ascii_lowercase);

    if direction.as_deref() == Some("outbound") || call_type.as_deref() == Some("outbound") {
        return Ok(Ingested::not_missed("outbound call"));
    }
    if answered == Some(true) || call_type.as_deref() == Some("answered") {
        return Ok(Ingested::not_missed("answered"));
    }
    if call_type.as_deref() == Some("in_progress") {
        return Ok(Ingested::incomplete("CallRail call_type in_progress"));
    }
    let has_recording = node.str("recording")?.is_some();
    let explicit_post = matches!(
        options.callrail_webhook,
        Some(CallRailWebhook::PostCall | CallRailWebhook::CallModified)
    );
    if !explicit_post
        && !modified
        && !voicemail_flag
        && !has_recording
        && matches!(call_type.as_deref(), None | Some("missed"))
        && duration.unwrap_or(0) == 0
        && node.has("call_type")
    {
        return Ok(Ingested::incomplete(
            "looks like a CallRail pre-call or call-routing-complete webhook \
             (call_type=missed, duration 0, no recording): only post-call and call-modified \
             webhooks describe a finished call",
        ));
    }

    let is_voicemail = voicemail_flag
        || matches!(
            call_type.as_deref(),
            Some("voicemail" | "voicemail_transcription")
        );
    let (disposition, raw) = if is_voicemail {
        (
            Disposition::Voicemail,
            call_type.clone().unwrap_or_else(|| "voicemail".to_string()),
        )
    } else {
        match call_type.as_deref() {
            Some("abandoned" | "abandonded") => (
                Disposition::Abandoned,
                call_type.clone().unwrap_or_default(),
            ),
            Some("missed") => (Disposition::NoAnswer, "missed".to_string()),
            Some(other) => (Disposition::NoAnswer, other.to_string()),
            None => match duration {
                Some(d) if d < ABANDON_SECONDS => {
                    (Disposition::Abandoned, "answered=false".to_string())
                }
                _ => (Disposition::NoAnswer, "answered=false".to_string()),
            },
        }
    };
    // Keep the vendor's spelling (`abandonded`) verbatim.
    let raw = node.str("call_type")?.map(str::to_string).unwrap_or(raw);

    let event_id = node.first_text(&["resource_id", "id"])?;
    let event_id = node.required("id", event_id, "the call id")?;
    let utc = TimeZone::parse("UTC").ok();
    let occurred_at = match node.time("start_time", options.time_zone)? {
        Some(t) => Some(t),
        None => match node.time("datetime", utc)? {
            Some(t) => Some(t),
            None => node.first_time(&["created_at", "timestamp"], options.time_zone)?,
        },
    };
    let occurred_at = node.required("start_time", occurred_at, "when the call started")?;

    let mut d = Draft::new(VENDOR, event_id, occurred_at, disposition);
    d.raw_disposition = Some(raw);
    d.caller = node.first_text(&["customer_phone_number", "callernum"])?;
    d.caller_name = node.first_text(&["customer_name", "callername"])?;
    d.tracking_number = node.first_text(&["tracking_phone_number", "trackingnum"])?;
    d.duration_seconds = duration;
    if is_voicemail {
        d.voicemail = Some(Voicemail {
            transcript: node.str("transcription")?.map(str::to_string),
            duration_seconds: node.seconds("recording_duration")?,
            recording_url: node.first_text(&["recording", "recording_player"])?,
        });
    }
    d.attribution = attribution(node)?;
    for k in [
        "tracking_phone_number",
        "trackingnum",
        "business_phone_number",
    ] {
        d.location_keys.extend(number_key(node, k)?);
    }
    for k in [
        "tracker_id",
        "tracker_resource_id",
        "company_id",
        "company_resource_id",
    ] {
        d.location_keys.extend(id_key(node, k)?);
    }
    d.finish(options)
}

fn attribution(node: Node<'_>) -> Result<Attribution> {
    let mut a = Attribution {
        source: node.first_text(&["source", "utm_source", "formatted_tracking_source"])?,
        medium: node.first_text(&["medium", "utm_medium"])?,
        campaign: node.first_text(&["campaign", "utm_campaign"])?,
        keywords: node.first_text(&["keywords", "utm_term"])?,
        landing_page: node.first_text(&["landing_page_url", "landingpage"])?,
        referrer: node.first_text(&["referring_url", "referrer"])?,
        gclid: node.text("gclid")?,
        gbraid: node.text("gbraid")?,
        wbraid: node.text("wbraid")?,
        fbclid: node.text("fbclid")?,
        msclkid: node.text("msclkid")?,
        utm: Default::default(),
    };
    for k in [
        "utm_source",
        "utm_medium",
        "utm_campaign",
        "utm_term",
        "utm_content",
    ] {
        if let Some(v) = node.text(k)? {
            a.utm.insert(k.trim_start_matches("utm_").to_string(), v);
        }
    }
    let landing = a.landing_page.clone();
    click_ids_from_url(&mut a, landing.as_deref());
    // Milestones (API `fields=milestones`): the descriptive fields come from one touch (the
    // last, else the lead-creating one, ...), click ids from any touch.
    if let Some(m) = node.object("milestones")? {
        let mut described = false;
        for touch in ["last_touch", "lead_created", "qualified", "first_touch"] {
            let Some(t) = m.node().object(touch)? else {
                continue;
            };
            let t = t.node();
            if !described && t.text("source")?.is_some() {
                described = true;
                fill(&mut a.source, t.text("source")?);
                fill(&mut a.medium, t.text("medium")?);
                fill(&mut a.campaign, t.text("campaign")?);
                fill(&mut a.keywords, t.text("keywords")?);
                fill(&mut a.landing_page, t.text("landing")?);
                fill(&mut a.referrer, t.text("referrer")?);
            }
            if let Some(p) = t.object("landing_page_url_params")? {
                let p = p.node();
                fill(&mut a.gclid, p.text("gclid")?);
                fill(&mut a.gbraid, p.text("gbraid")?);
                fill(&mut a.wbraid, p.text("wbraid")?);
                fill(&mut a.fbclid, p.text("fbclid")?);
                fill(&mut a.msclkid, p.text("msclkid")?);
            }
            let landing = t.text("landing")?;
            click_ids_from_url(&mut a, landing.as_deref());
        }
    }
    Ok(a)
}

fn fill(slot: &mut Option<String>, value: Option<String>) {
    if slot.is_none() {
        *slot = value;
    }
}
