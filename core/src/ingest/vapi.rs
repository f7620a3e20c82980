//! Vapi server messages: `{"message": {"type": ..., "call": {...}, ...}}`.
//!
//! The message may also arrive unwrapped (its fields at the top level). Only
//! `end-of-call-report` decides; `status-update`, `hang`, transcripts, tool calls and
//! every other message type are incomplete. The `endedReason` enum is long and grows, so
//! it is matched by exact value and then by family (`pipeline-error-`,
//! `call.in-progress.error-`, `call.start.error-`, ...); an unknown value follows up as
//! `failed` with the raw value kept. The docs' own example value `hangup` (not in the
//! enum) is read as the customer ending the call.
//!
//! The AI's verdict comes from `analysis.successEvaluation` (a string: `true`, `false`, a
//! score or a grade) and `analysis.structuredData` (`intent`, `wants_human`, `booked`,
//! ...); integrators that moved them to the message level (`message.summary`,
//! `message.structuredData`) are read too. Inbound: the caller is `customer.number`, the
//! business line `phoneNumber.number`. Outbound calls the AI placed follow the same rules
//! (the customer is still `customer.number`). Web and websocket calls are not phone calls.

use super::ai::{self, Reason, Signals};
use super::fields::{self, id_key, number_key, parse_json_body, Child, Draft, Node};
use super::options::{IngestOptions, Ingested};
use crate::error::Result;
use crate::model::event::Disposition;

const VENDOR: &str = "vapi";

/// Maps a Vapi `endedReason`.
pub fn reason(value: &str) -> Reason {
    use Disposition as D;
    let v = value.trim().to_ascii_lowercase();
    match v.as_str() {
        "customer-did-not-answer" => return Reason::Missed(D::NoAnswer),
        "customer-busy" | "call.forwarding.operator-busy" => return Reason::Missed(D::Busy),
        "voicemail" => return Reason::Missed(D::Voicemail),
        "call.ringing.sip-inbound-caller-hungup-before-call-connect" => {
            return Reason::Missed(D::ShortAbandoned)
        }
        "customer-ended-call" | "hangup" => return Reason::FollowUpUnlessSuccess(D::Abandoned),
        "customer-ended-call-before-warm-transfer"
        | "customer-ended-call-during-transfer"
        | "customer-ended-call-after-warm-transfer-attempt" => return Reason::Missed(D::Abandoned),
        "call.forwarding.no-answer" | "call.in-progress.error-transfer-failed" => {
            return Reason::Missed(D::NoAnswer)
        }
        "assistant-forwarded-call" => return Reason::NotMissed("forwarded to a person"),
        "assistant-ended-call"
        | "assistant-ended-call-after-message-spoken"
        | "assistant-ended-call-with-hangup-task"
        | "assistant-said-end-call-phrase" => return Reason::HandledUnlessFailure,
        "silence-timed-out" | "call.in-progress.error-assistant-did-not-receive-customer-audio" => {
            return Reason::Missed(D::Abandoned)
        }
        "exceeded-max-duration" => return Reason::FollowUpUnlessSuccess(D::Failed),
        "manually-canceled" | "scheduled-call-deleted" | "call-deleted" => {
            return Reason::NotMissed("cancelled or deleted by the account")
        }
        "twilio-reported-customer-misdialed" => return Reason::NotMissed("the caller misdialled"),
        "customer-did-not-give-microphone-permission" => {
            return Reason::NotMissed("web call without a microphone")
        }
        "call.in-progress.twilio-completed-call"
        | "call.in-progress.sip-completed-call"
        | "vonage-completed" => return Reason::HandledUnlessFailure,
        "call.ringing.hook-executed-transfer" | "call.ending.hook-executed-transfer" => {
            return Reason::NotMissed("transferred by a hook")
        }
        "call.ringing.hook-executed-say" | "call.ending.hook-executed-say" => {
            return Reason::HandledUnlessFailure
        }
        _ => {}
    }
    if v.starts_with("call.in-progress.error-warm-transfer-") {
        return Reason::Missed(D::NoAnswer);
    }
    // Every error family (platform, provider, pipeline, start-up): the caller got nothing.
    Reason::Missed(D::Failed)
}

/// Parses a Vapi server message.
pub fn parse(payload: &str, options: &IngestOptions) -> Result<Ingested> {
    let root = parse_json_body(payload, "Vapi")?;
    let top = Node::root(&root);
    let expected = "a Vapi server message (`message` with `type`)";
    let msg: Child<'_> = match top.object("message")? {
        Some(m) if m.node().has("type") => m,
        // Some integrators forward the message itself, without the `message` wrapper.
        None if top.has("type") && (top.has("endedReason") || top.has("call")) => Child {
            value: &root,
            path: String::new(),
        },
        _ => return Err(fields::not_vendor("Vapi", expected)),
    };
    let m = msg.node();
    let kind = m.required("type", m.str("type")?, "the message type")?;
    if kind != "end-of-call-report" {
        return Ok(Ingested::incomplete(format!(
            "Vapi `{kind}` message: only end-of-call-report decides"
        )));
    }
    let call = m.object("call")?;
    let call_node = call.as_ref().map(Child::node);
    if let Some(c) = call_node {
        if let Some(t) = c.str("type")? {
            if t.eq_ignore_ascii_case("webCall") || t.to_ascii_lowercase().contains("websocket") {
                return Ok(Ingested::not_missed(format!(
                    "{t}: no phone number to call back"
                )));
            }
        }
    }
    let raw = match m.str("endedReason")? {
        Some(r) => Some(r),
        None => match call_node {
            Some(c) => c.str("endedReason")?,
            None => None,
        },
    };
    let raw = m.required("endedReason", raw, "why the call ended")?;

    let mut signals = Signals::default();
    let analysis = m.object("analysis")?;
    let mut summary = None;
    if let Some(a) = &analysis {
        let a = a.node();
        summary = a.text("summary")?;
        signals.success = a.get("successEvaluation").and_then(ai::success_text);
        signals.read(a.get("structuredData"));
    }
    if summary.is_none() {
        summary = m.text("summary")?;
    }
    if signals.success.is_none() {
        signals.success = m.get("successEvaluation").and_then(ai::success_text);
    }
    signals.read(m.get("structuredData"));
    let transcript = match m.object("artifact")? {
        Some(a) => a.node().text("transcript")?,
        None => None,
    }
    .or(m.text("transcript")?);
    let verdict = signals.follow_up();
    let disposition = match ai::settle(raw, reason(raw), verdict, None) {
        Ok(d) => d,
        Err(outcome) => return Ok(outcome),
    };

    let id = match call_node {
        Some(c) => c.text("id")?,
        None => None,
    }
    .or(m.text("callId")?);
    let id = m.required("call.id", id, "the call id")?;
    let started = match m.time("startedAt", None)? {
        Some(t) => Some(t),
        None => match call_node {
            Some(c) => c.first_time(&["startedAt", "createdAt"], None)?,
            None => None,
        },
    };
    let started = match started {
        Some(t) => Some(t),
        None => m.time("timestamp", None)?,
    };
    let started = fields::time_or_received(
        started,
        options,
        &m.path_of("startedAt"),
        "missing field `startedAt` (when the call started)",
    )?;
    let mut d = Draft::new(VENDOR, id, started, disposition);
    d.raw_disposition = Some(raw.to_string());
    let customer = match m.object("customer")? {
        Some(c) => Some(c),
        None => match call_node {
            Some(c) => c.object("customer")?,
            None => None,
        },
    };
    if let Some(c) = customer {
        let c = c.node();
        d.caller = c.first_text(&["number", "sipUri"])?;
        d.caller_name = c.text("name")?;
    }
    if let (Some(start), Some(end)) = (m.time("startedAt", None)?, m.time("endedAt", None)?) {
        let secs = (end.0 - start.0).num_seconds();
        d.duration_seconds = u32::try_from(secs).ok();
    } else if let Some(s) = m.seconds("durationSeconds")? {
        d.duration_seconds = Some(s);
    }
    d.ai_receptionist = Some(ai::receptionist(
        false,
        summary,
        transcript.as_deref(),
        &signals,
    ));
    if let Some(p) = m.object("phoneNumber")? {
        let p = p.node();
        d.tracking_number = p.text("number")?;
        d.location_keys.extend(number_key(p, "number")?);
        d.location_keys.extend(id_key(p, "id")?);
    }
    if let Some(c) = call_node {
        if let Some(meta) = c.object("metadata")? {
            if let Some(k) = fields::location_key(meta.node(), "location_id")? {
                d.location_keys.insert(0, k);
            }
        }
        d.location_keys.extend(id_key(c, "phoneNumberId")?);
        d.location_keys.extend(id_key(c, "assistantId")?);
    }
    if let Some(a) = m.object("assistant")? {
        d.location_keys.extend(id_key(a.node(), "id")?);
    }
    d.finish(options)
}
