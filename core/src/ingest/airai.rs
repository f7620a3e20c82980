//! Air AI webhooks: `POST_CALL_DATA` and `POST_CALL_OUTCOME` (the same body plus
//! `notes`, `outcome` and `primaryOutcomeAchieved`).
//!
//! Air AI sends these only for calls a person spoke on; a no-answer or voicemail sends
//! nothing (the Twilio status callback on `call.sid`, which ringback's `twilio` parser
//! reads, is where those show up).
//!
//! | body | outcome |
//! |---|---|
//! | `primaryOutcomeAchieved: false` | follow up (abandoned: the caller left without the goal met) |
//! | `primaryOutcomeAchieved: true` | handled, not missed |
//! | no `primaryOutcomeAchieved` (`POST_CALL_DATA`) | incomplete: `POST_CALL_OUTCOME` decides |
//!
//! The flag is read at the top level or inside `call`. `createdAt` is Postgres text
//! (`2023-12-31 23:12:05.62705+00`). Outbound calls (`outbound-api`, Air AI's usual
//! direction): the customer is `toNumber`; inbound: `fromNumber`. The summary is the
//! `notes` and `outcome`, else the `HUMAN:` lines of the transcript.

use super::ai::{self, Signals};
use super::fields::{self, number_key, parse_json_body, Draft, Node};
use super::options::{IngestOptions, Ingested};
use crate::error::Result;
use crate::model::event::Disposition;

const VENDOR: &str = "airai";

/// Parses an Air AI post-call webhook.
pub fn parse(payload: &str, options: &IngestOptions) -> Result<Ingested> {
    let root = parse_json_body(payload, "Air AI")?;
    let top = Node::root(&root);
    let expected = "an Air AI post-call webhook (`call` with `sid`, `fromNumber`, `toNumber`)";
    let call = match top.object("call")? {
        Some(c)
            if c.node().has("sid") && (c.node().has("toNumber") || c.node().has("fromNumber")) =>
        {
            c
        }
        _ => return Err(fields::not_vendor("Air AI", expected)),
    };
    let node = call.node();
    let achieved = match top.flag("primaryOutcomeAchieved")? {
        Some(b) => Some(b),
        None => node.flag("primaryOutcomeAchieved")?,
    };
    let outcome = match top.text("outcome")? {
        Some(o) => Some(o),
        None => node.text("outcome")?,
    };
    let notes = match top.text("notes")? {
        Some(n) => Some(n),
        None => node.text("notes")?,
    };
    let Some(achieved) = achieved else {
        return Ok(Ingested::incomplete(
            "Air AI POST_CALL_DATA: no primaryOutcomeAchieved yet; POST_CALL_OUTCOME decides",
        ));
    };
    if achieved {
        return Ok(Ingested::not_missed(format!(
            "primary outcome achieved{}",
            outcome.map(|o| format!(" ({o})")).unwrap_or_default()
        )));
    }
    let id = node.text("sid")?;
    let id = node.required("sid", id, "the call id")?;
    let started = node.first_time(&["createdAt", "startedAt", "created_at"], None)?;
    let started = fields::time_or_received(
        started,
        options,
        &node.path_of("createdAt"),
        "missing field `createdAt` (when the call started)",
    )?;
    let mut d = Draft::new(VENDOR, id, started, Disposition::Abandoned);
    d.raw_disposition = Some(match &outcome {
        Some(o) => format!("primaryOutcomeAchieved=false ({o})"),
        None => "primaryOutcomeAchieved=false".to_string(),
    });
    let inbound = node
        .str("direction")?
        .is_some_and(|d| d.to_ascii_lowercase().starts_with("inbound"));
    let (customer, business) = if inbound {
        ("fromNumber", "toNumber")
    } else {
        ("toNumber", "fromNumber")
    };
    d.caller = node.text(customer)?;
    d.caller_name = node.text("cachedLeadName")?;
    d.tracking_number = node.text(business)?;
    d.duration_seconds = node.seconds("duration")?;
    let mut signals = Signals::default();
    signals.read(node.get("leadData"));
    signals.read(top.get("leadData"));
    let summary = match (notes, outcome) {
        (Some(n), Some(o)) => Some(format!("{o}. {n}")),
        (n, o) => n.or(o),
    };
    let transcript = node.text("transcript")?;
    d.ai_receptionist = Some(ai::receptionist(
        false,
        summary,
        transcript.as_deref(),
        &signals,
    ));
    d.location_keys.extend(number_key(node, business)?);
    d.location_keys.extend(fields::id_key(node, "campaignId")?);
    d.location_keys.extend(fields::id_key(node, "promptId")?);
    d.finish(options)
}
