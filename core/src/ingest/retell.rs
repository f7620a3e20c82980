//! Retell AI webhooks: `{event, call}`.
//!
//! `call_started`, `transcript_updated` and the mid-call `transfer_*` events are
//! incomplete. `call_ended` and `call_analyzed` decide; both carry the same `call_id`, so
//! the analysis is late data for the same event. When the outcome depends on the
//! post-call analysis (the caller or the agent hung up) and `call_ended` has none yet, it is
//! incomplete: `call_analyzed` decides.
//!
//! Inbound calls: the caller is `from_number`, the business line `to_number`. Outbound
//! calls the AI placed (a speed-to-lead or callback attempt that failed still needs a
//! person to follow up): the customer is `to_number`. Web calls are not phone calls.
//! A `from_number` that is a trunk or SIP name is a withheld caller.
//!
//! `call_analysis.call_successful`, `custom_analysis_data` flags (`booked`,
//! `wants_human`, ...) and its `intent` fill `ai_receptionist`; the summary is
//! `call_summary`, else the caller's lines of the transcript. Signatures:
//! [`crate::ingest::signature::retell`].

use super::ai::{self, Reason, Signals};
use super::fields::{self, id_key, number_key, parse_json_body, Draft, Node};
use super::options::{IngestOptions, Ingested};
use crate::error::{Error, ErrorCode, Result};
use crate::model::event::Disposition;

const VENDOR: &str = "retell";

/// Maps a Retell `disconnection_reason` (unknown values: an error follows up).
pub fn reason(value: &str) -> Reason {
    use Disposition as D;
    match value.trim().to_ascii_lowercase().as_str() {
        "user_hangup" => Reason::FollowUpUnlessSuccess(D::Abandoned),
        "agent_hangup" => Reason::HandledUnlessFailure,
        "call_transfer" | "transfer_bridged" => Reason::NotMissed("transferred to a person"),
        "call_take_over" => Reason::NotMissed("staff took over the call"),
        "manual_stopped" => Reason::NotMissed("stopped by staff"),
        "marked_as_spam" | "scam_detected" => Reason::NotMissed("spam or scam call"),
        "transfer_cancelled" => Reason::Missed(D::NoAnswer),
        "voicemail_reached" => Reason::Missed(D::Voicemail),
        "ivr_reached" => Reason::Missed(D::Failed),
        "inactivity" => Reason::Missed(D::Abandoned),
        "max_duration_reached" => Reason::FollowUpUnlessSuccess(D::Failed),
        "dial_no_answer" | "user_declined" => Reason::Missed(D::NoAnswer),
        "dial_busy" => Reason::Missed(D::Busy),
        "error_no_audio_received" | "error_user_not_joined" => Reason::Missed(D::ShortAbandoned),
        _ => Reason::Missed(D::Failed),
    }
}

/// Parses a Retell webhook.
pub fn parse(payload: &str, options: &IngestOptions) -> Result<Ingested> {
    let root = parse_json_body(payload, "Retell")?;
    let top = Node::root(&root);
    let expected = "a Retell webhook (`event` and `call` with `call_id`)";
    if !top.is_object() {
        return Err(fields::not_vendor("Retell", expected));
    }
    let call = match top.object("call")? {
        Some(c) if c.node().has("call_id") => c,
        _ => return Err(fields::not_vendor("Retell", expected)),
    };
    let node = call.node();
    let event = top.str("event")?.unwrap_or("call_analyzed");
    match event {
        "call_ended" | "call_analyzed" => {}
        "call_started" | "transcript_updated" | "transfer_started" | "transfer_bridged"
        | "transfer_cancelled" | "transfer_ended" => {
            return Ok(Ingested::incomplete(format!(
                "Retell `{event}`: the call is still going; call_ended / call_analyzed decide"
            )))
        }
        other => {
            return Err(Error::new(
                ErrorCode::UnsupportedPayload,
                "event",
                format!(
                    "unknown Retell event `{}`; expected call_started, call_ended, \
                     call_analyzed, transcript_updated or transfer_*",
                    fields::clip(other)
                ),
            ))
        }
    }
    if node
        .str("call_type")?
        .is_some_and(|t| t.eq_ignore_ascii_case("web_call"))
    {
        return Ok(Ingested::not_missed(
            "web call: no phone number to call back",
        ));
    }
    if let Some(status) = node.str("call_status")? {
        if matches!(status, "registered" | "ongoing") {
            return Ok(Ingested::incomplete(format!("call_status `{status}`")));
        }
    }
    let outbound = node
        .str("direction")?
        .is_some_and(|d| d.eq_ignore_ascii_case("outbound"));
    let raw = node.str("disconnection_reason")?;
    let analysis = node.object("call_analysis")?;
    let mut signals = Signals::default();
    let mut summary = None;
    if let Some(a) = &analysis {
        let a = a.node();
        signals.success = a.flag("call_successful")?;
        summary = a.text("call_summary")?;
        signals.read(a.get("custom_analysis_data"));
        if a.flag("in_voicemail")? == Some(true) && outbound {
            signals.success = Some(false);
        }
    }
    signals.read(node.get("collected_dynamic_variables"));
    let Some(raw) = raw else {
        return Err(Error::new(
            ErrorCode::InvalidEvent,
            node.path_of("disconnection_reason"),
            "missing field `disconnection_reason` (how the call ended)",
        ));
    };
    let verdict = signals.follow_up();
    let pending = (analysis.is_none() && event == "call_ended").then_some("call_analyzed");
    let disposition = match ai::settle(raw, reason(raw), verdict, pending) {
        Ok(d) => d,
        Err(outcome) => return Ok(outcome),
    };
    // Almost no audio: the caller hung up on the greeting.
    let duration = node.millis_as_seconds("duration_ms")?;
    let transcript = node.text("transcript")?;
    let disposition = if disposition == Disposition::Abandoned
        && duration.is_some_and(|s| s < 10)
        && transcript.as_deref().and_then(ai::caller_lines).is_none()
    {
        Disposition::ShortAbandoned
    } else {
        disposition
    };

    let id = node.text("call_id")?;
    let id = node.required("call_id", id, "the call id")?;
    let started = match node.time("start_timestamp", None)? {
        Some(t) => Some(t),
        None => top.time("event_timestamp", None)?,
    };
    let started = fields::time_or_received(
        started,
        options,
        &node.path_of("start_timestamp"),
        "missing field `start_timestamp` (when the call started)",
    )?;
    let mut d = Draft::new(VENDOR, id, started, disposition);
    d.raw_disposition = Some(raw.to_string());
    let (customer, business) = if outbound {
        ("to_number", "from_number")
    } else {
        ("from_number", "to_number")
    };
    d.caller = node.text(customer)?;
    d.tracking_number = node.text(business)?;
    d.duration_seconds = duration;
    if let Some(vars) = node.object("collected_dynamic_variables")? {
        d.caller_name = vars
            .node()
            .first_text(&["caller_name", "name", "customer_name"])?;
    }
    d.ai_receptionist = Some(ai::receptionist(
        false,
        summary,
        transcript.as_deref(),
        &signals,
    ));
    if let Some(m) = node.object("metadata")? {
        d.location_keys
            .extend(fields::location_key(m.node(), "location_id")?);
    }
    d.location_keys.extend(number_key(node, business)?);
    d.location_keys.extend(id_key(node, "agent_id")?);
    d.finish(options)
}
