//! Bland AI post-call webhooks. Two arrive per call with the same `call_id`: the
//! immediate one (outcome, summary, variables) decides; the delayed one (30–60 s later,
//! only a corrected transcript and citations) is incomplete.
//!
//! | condition | outcome |
//! |---|---|
//! | `status` `queued` / `in-progress`, `queue_status` before `complete` | incomplete |
//! | `error_message` set, or `queue_status: error` | failed |
//! | `answered_by: no-answer` | no answer |
//! | `answered_by: voicemail` | voicemail |
//! | `answered_by: busy` | busy |
//! | `transferred_to` set with no time after the transfer | no answer (the person never picked up) |
//! | `transferred_to` set with time after the transfer | not missed (a person took the call) |
//! | a variable says the caller wants a person or a call back, or the task failed | follow up (abandoned) |
//! | a variable says the task was done (`booked`, `qualified`, ...), or a transfer connected | handled |
//! | `call_ended_by` the user without either | abandoned (short when under 10 s) |
//! | `call_ended_by` the agent without either | handled |
//!
//! `call_length` is in minutes. `call_ended_by` is compared without case (`USER` / `user`).
//! Inbound (`inbound: true`): the caller is `from`; outbound calls the AI placed: `to`.

use super::ai::{self, Signals};
use super::fields::{self, number_key, parse_json_body, Draft, Node};
use super::options::{IngestOptions, Ingested};
use crate::error::Result;
use crate::model::event::Disposition;

const VENDOR: &str = "bland";

/// Parses a Bland post-call webhook.
pub fn parse(payload: &str, options: &IngestOptions) -> Result<Ingested> {
    let root = parse_json_body(payload, "Bland")?;
    let node = Node::root(&root);
    let expected = "a Bland post-call webhook (`call_id` with `answered_by`, `status` or \
                    `call_length`)";
    let is_bland = node.is_object()
        && (node.has("call_id") || node.has("c_id"))
        && (node.has("answered_by")
            || node.has("call_length")
            || node.has("queue_status")
            || node.has("corrected_transcript"));
    if !is_bland {
        return Err(fields::not_vendor("Bland", expected));
    }
    if node.has("corrected_transcript") && !node.has("answered_by") && !node.has("call_length") {
        return Ok(Ingested::incomplete(
            "Bland delayed webhook (corrected transcript): the immediate post-call webhook decides",
        ));
    }
    let status = node.str("status")?.map(str::to_ascii_lowercase);
    let queue = node.str("queue_status")?.map(str::to_ascii_lowercase);
    if matches!(
        status.as_deref(),
        Some("queued" | "in-progress" | "in_progress" | "started")
    ) || matches!(
        queue.as_deref(),
        Some("new" | "queued" | "allocated" | "started")
    ) {
        return Ok(Ingested::incomplete(format!(
            "Bland call still {}",
            status.or(queue).unwrap_or_default()
        )));
    }
    let answered_by = node.str("answered_by")?.map(str::to_ascii_lowercase);
    let ended_by = node.str("call_ended_by")?.map(str::to_ascii_lowercase);
    let error = node.text("error_message")?;
    let seconds = node
        .number("call_length")?
        .map(|m| (m * 60.0).max(0.0).round() as u32);
    let transferred = node.text("transferred_to")?;
    let post_transfer = node.number("post_transfer_duration")?;

    let mut signals = Signals::default();
    signals.read(node.get("variables"));
    if let Some(a) = node.object("analysis")? {
        signals.read(Some(a.value));
    }
    let verdict = signals.follow_up();
    let (disposition, raw): (Disposition, String) = if error.is_some()
        || queue.as_deref() == Some("error")
    {
        (
            Disposition::Failed,
            format!(
                "error: {}",
                error.unwrap_or_else(|| "queue_status error".to_string())
            ),
        )
    } else {
        match answered_by.as_deref() {
            Some("no-answer" | "no_answer" | "no answer") => {
                (Disposition::NoAnswer, "answered_by no-answer".to_string())
            }
            Some("voicemail") => (Disposition::Voicemail, "answered_by voicemail".to_string()),
            Some("busy") => (Disposition::Busy, "answered_by busy".to_string()),
            _ => {
                // A transfer with no time after it rang out; with time after it, a
                // person took the call; without the figure, the rules below decide.
                let transfer = transferred.as_ref().and(post_transfer);
                if transfer.is_some_and(|s| s < 1.0) {
                    (
                        Disposition::NoAnswer,
                        "transfer got no answer (post_transfer_duration 0)".to_string(),
                    )
                } else if transfer.is_some() {
                    return Ok(Ingested::not_missed("transferred to a person"));
                } else {
                    match verdict {
                        Some(true) => (
                            Disposition::Abandoned,
                            "the AI did not complete the task".to_string(),
                        ),
                        Some(false) => return Ok(Ingested::not_missed("the AI handled the call")),
                        None => match ended_by.as_deref() {
                            Some("user") => {
                                let short = seconds.is_some_and(|s| s < 10);
                                let d = if short {
                                    Disposition::ShortAbandoned
                                } else {
                                    Disposition::Abandoned
                                };
                                (d, "call_ended_by user".to_string())
                            }
                            _ => {
                                return Ok(Ingested::not_missed(format!(
                                    "the AI ended the call ({})",
                                    ended_by.unwrap_or_else(|| "no call_ended_by".to_string())
                                )))
                            }
                        },
                    }
                }
            }
        }
    };
    let id = node.first_text(&["call_id", "c_id"])?;
    let id = node.required("call_id", id, "the call id")?;
    let started = node.first_time(&["started_at", "created_at", "start_time"], None)?;
    let started = fields::time_or_received(
        started,
        options,
        &node.path_of("started_at"),
        "missing field `started_at` (when the call started)",
    )?;
    let mut d = Draft::new(VENDOR, id, started, disposition);
    d.raw_disposition = Some(raw);
    let inbound = node.flag("inbound")?.unwrap_or(false);
    let (customer, business) = if inbound {
        ("from", "to")
    } else {
        ("to", "from")
    };
    d.caller = node.text(customer)?;
    d.tracking_number = node.text(business)?;
    d.duration_seconds = seconds;
    let transcript = node.text("concatenated_transcript")?;
    d.ai_receptionist = Some(ai::receptionist(
        false,
        node.text("summary")?,
        transcript.as_deref(),
        &signals,
    ));
    if let Some(m) = node.object("metadata")? {
        d.location_keys
            .extend(fields::location_key(m.node(), "location_id")?);
    }
    d.location_keys.extend(number_key(node, business)?);
    d.location_keys.extend(fields::id_key(node, "pathway_id")?);
    d.finish(options)
}
