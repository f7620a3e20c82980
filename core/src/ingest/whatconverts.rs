//! WhatConverts lead webhooks (New Lead / Update Lead) and API leads (`GET /leads`: a page
//! of `leads` is read by [`crate::ingest::parse_many`]).
//!
//! | lead | outcome |
//! |---|---|
//! | `lead_type` other than `Phone Call` (web form, chat, email, ...) | not missed: not a call |
//! | `lead_state` / `call_status` `In Progress` (sent when the call begins) | incomplete |
//! | `answer_status` answered (`Answered`, `Yes`, `true`) | not missed |
//! | `answer_status` unanswered (`Unanswered`, `No Answer`, `Not Answered`, `Missed`, `No`, `false`) | no answer; a voicemail link or transcript makes it a voicemail |
//! | `answer_status` `Voicemail` / `Busy` / `Abandoned` | voicemail / busy / abandoned |
//! | completed, no `answer_status` (an update carrying only changed fields) | incomplete, unless a voicemail is attached |
//!
//! One record per `lead_id`: the completed webhook and every update after it carry the
//! same event id, so the engine reads an update as late data (`duplicate_event`, or
//! `amended` when it brings a voicemail transcript). `date_created` is UTC. Location keys:
//! `tracking_number`, then `profile_id` (one WhatConverts profile per location),
//! `account_id`, `destination_number`.

use serde_json::Value;

use super::fields::{self, id_key, loose_key, number_key, parse_json_body, Child, Draft, Node};
use super::options::{IngestOptions, Ingested};
use crate::error::{Error, ErrorCode, Result};
use crate::model::event::{Attribution, Disposition, Voicemail};

const VENDOR: &str = "whatconverts";

/// Maps an `answer_status`: `Ok(None)` for answered.
pub fn disposition(value: &str) -> Result<Option<Disposition>> {
    let v = super::mapping::normalize_value(value);
    Ok(Some(match v.as_str() {
        "answered" | "yes" | "true" | "1" => return Ok(None),
        "unanswered" | "no answer" | "not answered" | "missed" | "no" | "false" | "0" => {
            Disposition::NoAnswer
        }
        "voicemail" | "voice mail" => Disposition::Voicemail,
        "busy" => Disposition::Busy,
        "abandoned" | "hang up" | "hangup" => Disposition::Abandoned,
        _ => {
            return Err(Error::new(
                ErrorCode::UnsupportedPayload,
                "answer_status",
                format!(
                    "unknown WhatConverts answer_status `{}`; expected Answered, Unanswered, \
                     No Answer, Voicemail, Busy or Abandoned",
                    fields::clip(value)
                ),
            ))
        }
    }))
}

/// The leads of a body: one for a webhook, every item of a `leads` page.
pub(crate) fn leads(root: &Value) -> Result<Vec<Child<'_>>> {
    let top = Node::root(root);
    let expected = "a WhatConverts lead (`lead_id`, `lead_type`)";
    if !top.is_object() {
        return Err(fields::not_vendor("WhatConverts", expected));
    }
    if top.has("lead_id") && top.has("lead_type") {
        return Ok(vec![Child {
            value: root,
            path: String::new(),
        }]);
    }
    if let Some(list) = top.array("leads")? {
        return Ok(list
            .iter()
            .enumerate()
            .map(|(i, v)| Child {
                value: v,
                path: format!("leads[{i}]"),
            })
            .collect());
    }
    Err(fields::not_vendor("WhatConverts", expected))
}

/// Parses a WhatConverts webhook lead.
pub fn parse(payload: &str, options: &IngestOptions) -> Result<Ingested> {
    let root = parse_json_body(payload, "WhatConverts")?;
    let lead = fields::only_item(leads(&root)?, "leads", "WhatConverts", "leads")?;
    one(lead.node(), options)
}

fn voicemail(node: Node<'_>) -> Result<Option<Voicemail>> {
    let text_of = |keys: &[&str]| -> Result<Option<String>> {
        match loose_key(node, keys) {
            Some(k) => match node.get(k) {
                Some(Value::String(s)) => Ok(Some(s.trim().to_string()).filter(|s| !s.is_empty())),
                Some(Value::Bool(_)) | None => Ok(None),
                Some(_) => node.text(k),
            },
            None => Ok(None),
        }
    };
    let url = text_of(&[
        "voicemail_url",
        "voicemail_link",
        "voicemail_recording",
        "voicemail",
    ])?;
    let transcript = text_of(&[
        "voicemail_transcription",
        "voicemail_transcript",
        "voicemail_text",
    ])?;
    if url.is_none() && transcript.is_none() {
        return Ok(None);
    }
    Ok(Some(Voicemail {
        transcript,
        duration_seconds: None,
        recording_url: url,
    }))
}

/// Parses one lead object.
pub(crate) fn one(node: Node<'_>, options: &IngestOptions) -> Result<Ingested> {
    fields::expect_object(node, "a lead object")?;
    let lead_type = node.text("lead_type")?;
    let lead_type = node.required("lead_type", lead_type, "the lead type")?;
    let squashed = fields::squash(&lead_type);
    if squashed != "phonecall" && squashed != "call" {
        return Ok(Ingested::not_missed(format!(
            "{lead_type} lead, not a phone call"
        )));
    }
    for k in ["lead_state", "call_status"] {
        if let Some(s) = node.text(k)? {
            if fields::squash(&s) == "inprogress" {
                return Ok(Ingested::incomplete(format!(
                    "{k} `{s}`: sent when the call begins; the completed webhook decides"
                )));
            }
        }
    }
    let vm = voicemail(node)?;
    let status = node.text("answer_status")?;
    let disposition = match status.as_deref() {
        Some(s) => match disposition(s) {
            Ok(Some(d)) => d,
            Ok(None) => return Ok(Ingested::not_missed(format!("answer_status {s}"))),
            Err(e) => return Err(Error::new(e.code, node.path_of("answer_status"), e.message)),
        },
        None if vm.is_some() => Disposition::Voicemail,
        None => {
            return Ok(Ingested::incomplete(
                "no answer_status: the lead does not say yet whether the call was answered",
            ))
        }
    };
    let id = node.text("lead_id")?;
    let id = node.required("lead_id", id, "the lead id")?;
    let started = node.first_time(&["date_created", "created_at", "last_updated"], None)?;
    let started = fields::time_or_received(
        started,
        options,
        &node.path_of("date_created"),
        "missing field `date_created` (when the call came in)",
    )?;
    let mut d = Draft::new(VENDOR, id, started, disposition);
    d.raw_disposition = status.or(Some("voicemail".to_string()));
    d.caller = node.text("caller_number")?;
    d.caller_name = node.first_text(&["caller_name", "contact_name"])?;
    d.tracking_number = node.text("tracking_number")?;
    d.duration_seconds = node.seconds("call_duration_seconds")?;
    d.voicemail = vm;
    let mut a = Attribution {
        source: node.text("lead_source")?,
        medium: node.text("lead_medium")?,
        campaign: node.text("lead_campaign")?,
        keywords: node.text("lead_keyword")?,
        landing_page: node.first_text(&["landing_url", "lead_url"])?,
        referrer: node.first_text(&["referring_url", "referrer"])?,
        gclid: node.text("gclid")?,
        gbraid: node.text("gbraid")?,
        wbraid: node.text("wbraid")?,
        fbclid: node.text("fbclid")?,
        msclkid: node.text("msclkid")?,
        utm: Default::default(),
    };
    if let Some(c) = node.text("lead_content")? {
        a.utm.insert("content".to_string(), c);
    }
    let landing = a.landing_page.clone();
    fields::click_ids_from_url(&mut a, landing.as_deref());
    d.attribution = a;
    d.location_keys.extend(number_key(node, "tracking_number")?);
    d.location_keys.extend(id_key(node, "profile_id")?);
    d.location_keys.extend(id_key(node, "account_id")?);
    d.location_keys
        .extend(number_key(node, "destination_number")?);
    d.finish(options)
}
