//! Invoca post-call webhooks. Invoca has no fixed payload: the integrator builds the body
//! (JSON Post, Form Post or HTTP GET query) from "substitution parameters" named like the
//! Transactions API columns. Each canonical field is read from the keys in [`FIELDS`]
//! unless [`InvocaOptions::fields`](crate::ingest::InvocaOptions::fields) names the template's own
//! key for it.
//!
//! Only `transaction_type` `Call` (or none) classifies; `Post Call Event`, `Reported
//! Conversion` and `Signal` transactions are incomplete. The event id is
//! `complete_call_id` (corrections, `corrects_transaction_id`, share it), else
//! `transaction_id`.
//!
//! | condition | disposition |
//! |---|---|
//! | `connect_duration > 0` | not missed |
//! | `Destination: No Answer`, `Destination: Hang-up` | no answer |
//! | `Destination: Busy` | busy |
//! | `Caller: Hang-up` | abandoned; in the IVR when `ivr_duration` ≈ `duration` |
//! | `IVR: Hang-up` | abandoned in IVR, or after hours with `ivr_hangup_is_after_hours` |
//! | `Destination: Number Not in Service`, `Destination: Error (503 or Fast Busy)`, `Invoca: Max Call Duration`, `Unknown: Unknown Cause` | failed |
//! | `Invoca: Hang-up` (unknown promo number, blacklisted caller, call confidence blocked) | not missed |
//! | any other value with `connect_duration = 0` | no answer (raw value kept) |

use std::collections::BTreeMap;

use super::fields::{self, Draft, Node};
use super::location::Key;
use super::mapping::{self, DurationUnit, Paths, Template};
use super::options::{IngestOptions, Ingested};
use crate::error::{Error, ErrorCode, Result};
use crate::model::event::Disposition;

const VENDOR: &str = "invoca";

/// Canonical field → the payload keys tried by default, in order.
pub const FIELDS: &[(&str, &[&str])] = &[
    ("event_id", &["complete_call_id", "transaction_id"]),
    ("transaction_type", &["transaction_type"]),
    (
        "start_time",
        &[
            "start_time_utc",
            "start_time_local",
            "start_time_network_timezone",
            "start_time",
        ],
    ),
    ("caller", &["calling_phone_number", "caller_id"]),
    ("caller_name", &["caller_name", "name"]),
    ("tracking_number", &["promo_number", "dialed_phone_number"]),
    ("duration", &["duration"]),
    ("connect_duration", &["connect_duration"]),
    ("ivr_duration", &["ivr_duration"]),
    ("hangup_cause", &["hangup_cause", "end_of_call_reason"]),
    ("source", &["utm_source"]),
    ("medium", &["utm_medium", "media_type"]),
    ("campaign", &["utm_campaign", "advertiser_campaign_name"]),
    (
        "keywords",
        &["dynamic_number_pool_referrer_search_keywords", "utm_term"],
    ),
    ("landing_page", &["landing_page", "landing_page_url"]),
    (
        "referrer",
        &["dynamic_number_pool_referrer_referrer_url", "referrer"],
    ),
    ("gclid", &["gclid"]),
    ("gbraid", &["gbraid"]),
    ("wbraid", &["wbraid"]),
    ("fbclid", &["fbclid"]),
    ("msclkid", &["msclkid"]),
];

/// Payload keys tried for the location, in order, unless the options list their own.
pub const LOCATION_FIELDS: &[&str] = &[
    "promo_number",
    "virtual_line_id",
    "destination_phone_number",
    "advertiser_campaign_id",
    "advertiser_id",
];

/// Transaction types that are not the call itself.
const OTHER_TRANSACTIONS: [&str; 3] = ["post call event", "reported conversion", "signal"];

/// Maps an End of Call Reason (with `connect_duration = 0`) to a disposition; `None` for
/// a call Invoca itself ended (blocked or unknown promo number).
pub fn disposition(
    cause: Option<&str>,
    ivr_seconds: Option<u32>,
    duration: Option<u32>,
    ivr_hangup_is_after_hours: bool,
) -> Option<Disposition> {
    let cause = cause
        .map(|c| c.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let in_ivr = match (ivr_seconds, duration) {
        (Some(i), Some(d)) => i > 0 && i + 1 >= d,
        _ => false,
    };
    Some(
        if cause.starts_with("destination: no answer") || cause.starts_with("destination: hang") {
            Disposition::NoAnswer
        } else if cause.starts_with("destination: busy") {
            Disposition::Busy
        } else if cause.starts_with("caller: hang") {
            if in_ivr {
                Disposition::AbandonedInIvr
            } else {
                Disposition::Abandoned
            }
        } else if cause.starts_with("ivr: hang") {
            if ivr_hangup_is_after_hours {
                Disposition::AfterHours
            } else {
                Disposition::AbandonedInIvr
            }
        } else if cause.starts_with("invoca: hang") {
            return None;
        } else if cause.starts_with("destination: number not in service")
            || cause.starts_with("destination: error")
            || cause.starts_with("invoca: max call duration")
            || cause.starts_with("unknown")
        {
            Disposition::Failed
        } else {
            Disposition::NoAnswer
        },
    )
}

/// Parses an Invoca webhook body (JSON object, or form / query string).
pub fn parse(payload: &str, options: &IngestOptions) -> Result<Ingested> {
    for k in options.invoca.fields.keys() {
        if !FIELDS.iter().any(|(c, _)| c == k) {
            return Err(Error::new(
                ErrorCode::InvalidEvent,
                format!("options.invoca.fields.{k}"),
                format!(
                    "unknown Invoca field `{}`; expected one of {}",
                    fields::clip(k),
                    FIELDS
                        .iter()
                        .map(|(c, _)| *c)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
    }
    mapping::validate(&options.mapping)?;
    let root = mapping::body(payload, "Invoca")?;
    let node = Node::root(&root);
    let legacy: BTreeMap<String, Paths> = options
        .invoca
        .fields
        .iter()
        .map(|(k, v)| (k.clone(), Paths::One(v.clone())))
        .collect();
    let defaults = FIELDS.iter().map(|(c, keys)| {
        (
            c.to_string(),
            keys.iter().map(|k| k.to_string()).collect::<Vec<_>>(),
        )
    });
    // The general mapping's names for Invoca's two classifying fields.
    let general: BTreeMap<String, Paths> = options
        .mapping
        .fields
        .iter()
        .map(|(k, v)| {
            let k = match k.as_str() {
                "disposition" => "hangup_cause",
                "talk_duration" => "connect_duration",
                other => other,
            };
            (k.to_string(), v.clone())
        })
        .collect();
    let f = Template::new(
        &root,
        defaults,
        &[&legacy, &general],
        options
            .mapping
            .duration_unit
            .unwrap_or(DurationUnit::Seconds),
        options.mapping.time_format.clone(),
    );
    let expected = "one Invoca call transaction (`transaction_id` / `complete_call_id` with \
                    `hangup_cause` or `connect_duration`, or the keys set in options.invoca.fields)";
    if !node.is_object()
        || !f.has("event_id")
        || !(f.has("hangup_cause") || f.has("connect_duration"))
    {
        return Err(fields::not_vendor("Invoca", expected));
    }
    if let Some(t) = f.text("transaction_type")? {
        let lower = t.to_ascii_lowercase();
        if OTHER_TRANSACTIONS.contains(&lower.as_str()) {
            return Ok(Ingested::incomplete(format!(
                "Invoca `{t}` transaction, not the call"
            )));
        }
        if lower != "call" {
            return Err(Error::new(
                ErrorCode::UnsupportedPayload,
                f.key("transaction_type"),
                format!(
                    "unknown Invoca transaction_type `{}`; expected Call, Post Call Event, \
                     Reported Conversion or Signal",
                    fields::clip(&t)
                ),
            ));
        }
    }
    if f.seconds("connect_duration")?.unwrap_or(0) > 0 {
        return Ok(Ingested::not_missed("connect_duration > 0: answered"));
    }
    let cause = f.text("hangup_cause")?;
    let duration = f.seconds("duration")?;
    let Some(disposition) = disposition(
        cause.as_deref(),
        f.seconds("ivr_duration")?,
        duration,
        options.invoca.ivr_hangup_is_after_hours,
    ) else {
        return Ok(Ingested::not_missed(format!(
            "{}: Invoca ended the call (blocked caller or unknown promo number)",
            cause.unwrap_or_default()
        )));
    };

    let id = f.text("event_id")?;
    let id = node.required(&f.key("event_id"), id, "the call id")?;
    let mut location_fields: Vec<&str> = if options.invoca.location_fields.is_empty() {
        LOCATION_FIELDS.to_vec()
    } else {
        options
            .invoca
            .location_fields
            .iter()
            .map(String::as_str)
            .collect()
    };
    location_fields.extend(options.mapping.location_fields.iter().map(String::as_str));
    let mut keys = Vec::new();
    for k in location_fields {
        if let Some(v) = mapping::lookup(&root, k) {
            let value = match v {
                serde_json::Value::String(s) => s.trim().to_string(),
                serde_json::Value::Number(n) => n.to_string(),
                _ => continue,
            };
            keys.push(Key::Number {
                value,
                path: node.path_of(k),
            });
        }
    }
    let zone = match options.mapping.time_zone {
        Some(z) => Some(z),
        None => fields::zone_for(VENDOR, &keys, options)?,
    };
    let started = f.time("start_time", zone)?;
    let started = node.required(&f.key("start_time"), started, "when the call started")?;
    let mut d = Draft::new(VENDOR, id, started, disposition);
    d.raw_disposition = Some(cause.unwrap_or_else(|| "connect_duration=0".to_string()));
    d.caller = f.text("caller")?;
    d.caller_name = f.text("caller_name")?;
    d.tracking_number = f.text("tracking_number")?;
    d.duration_seconds = duration;
    d.attribution = mapping::attribution(&f, &root)?;
    d.location_keys = keys;
    d.finish(options)
}
