//! `ringback ingest`: one vendor webhook body to the canonical event.
//!
//! ```text
//! ringback ingest --vendor NAME [--location-map MAP.json] [--default-location ID]
//!                 [--time-zone TZ] [--received-at RFC3339|now] [--region CC]
//!                 [--options OPTIONS.json] [--many] PAYLOAD
//! ```
//!
//! With `--many`, PAYLOAD is a page of the vendor's list API (RingCentral `records`,
//! CallRail `calls`, WhatConverts `leads`, ...) or a JSON array of webhook bodies: one JSON
//! line per item, in order (`{"ingested": "event", "event": ...}`, `not_missed`,
//! `incomplete`, or `{"ingested": "error", "error": {code, path, message}}`), a count on
//! stderr, and exit status 1 when some item was rejected (2 when the page itself cannot be
//! read).
//!
//! PAYLOAD is the raw body as the vendor sent it (JSON, or form-encoded for Twilio), read
//! from a file or from standard input with `-`. MAP.json maps tracking numbers (any format)
//! and vendor number / company / team ids to location ids. OPTIONS.json is a full
//! `IngestOptions` document (Invoca field mapping, CallRail webhook kind, Dialpad secret);
//! the flags override it. Prints the canonical event as JSON, or
//! `{"ingested": "not_missed"|"incomplete", "reason": ...}`; a bad payload is a coded error
//! on stderr and exit status 2.

use std::collections::BTreeMap;
use std::process::ExitCode;

use ringback::ingest::{self, IngestOptions, Ingested};
use ringback::{TimeZone, Timestamp};

use crate::input::read;

/// Shown at the end of `ringback ingest --help`.
pub const HELP: &str = "\
Examples:
  ringback ingest --vendor callrail --location-map map.json webhook.json
  curl -s ... | ringback ingest --vendor twilio --default-location phx-01 --received-at now -

  ringback ingest --vendor ringcentral --default-location hq --many call-log-page.json
  ringback ingest --vendor ringostat --options ringostat-mapping.json webhook.json

PAYLOAD is the raw webhook body as the vendor sent it (JSON, or form-encoded for Twilio).
With --many it is a page of the vendor's list API: one JSON line per item, exit status 1
when some item was rejected.
MAP.json: {\"+14045558514\": \"atl-01\", \"aircall:397375\": \"vie-01\", ...}.
OPTIONS.json is a whole IngestOptions document (location_time_zones, the `mapping` of
Ringostat / DialogTech / CallSource / custom bodies, Invoca fields, CallRail webhook kind,
Dialpad secret); the flags override it. A payload that is not the vendor's, or that maps to
no location, is a coded error on stderr and exit status 2.";

/// `ringback ingest` arguments.
#[derive(clap::Args)]
pub struct IngestArgs {
    /// The vendor that sent the payload.
    #[arg(long, value_name = "NAME", value_parser = clap::builder::PossibleValuesParser::new(ingest::VENDORS))]
    vendor: String,
    /// Tracking numbers (any format) and vendor number / company / team ids to location ids.
    #[arg(long, value_name = "MAP.json")]
    location_map: Option<String>,
    /// The location used when nothing in the payload is in the map.
    #[arg(long, value_name = "ID")]
    default_location: Option<String>,
    /// IANA zone for vendor times without an offset.
    #[arg(long, value_name = "TZ")]
    time_zone: Option<String>,
    /// When the webhook arrived (RFC 3339, or `now`); payloads without a time of their own
    /// (Twilio action requests) take it, and the current time without the flag.
    #[arg(long, value_name = "RFC3339|now")]
    received_at: Option<String>,
    /// ISO 3166 region for numbers without a country code.
    #[arg(long, value_name = "CC")]
    region: Option<String>,
    /// A whole IngestOptions JSON document; the flags above override it.
    #[arg(long, value_name = "OPTIONS.json")]
    options: Option<String>,
    /// PAYLOAD is a page of the vendor's list API: print one JSON line per item.
    #[arg(long)]
    many: bool,
    /// The raw webhook body (a file, or - for standard input).
    #[arg(value_name = "PAYLOAD")]
    payload: String,
}

/// The current time, for payloads that carry none.
fn now() -> Result<Timestamp, String> {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|e| format!("system clock before 1970: {e}"))?;
    ingest::time::from_epoch_millis((since.as_secs() as f64 * 1000.0).floor())
}

/// Runs `ringback ingest`.
pub fn run(a: IngestArgs) -> Result<ExitCode, String> {
    let vendor = &a.vendor;
    let payload_path = &a.payload;
    crate::input::one_stdin([
        a.options.as_deref(),
        a.location_map.as_deref(),
        Some(payload_path.as_str()),
    ])?;
    let mut options = match &a.options {
        Some(p) => IngestOptions::from_json(&read(p)?).map_err(|e| format!("{p}: {e}"))?,
        None => IngestOptions::default(),
    };
    if let Some(p) = &a.location_map {
        let map: BTreeMap<String, String> = serde_json::from_str(&read(p)?).map_err(|e| {
            format!("{p}: expected a JSON object of number or id → location id ({e})")
        })?;
        options.location_map.extend(map);
    }
    if let Some(d) = &a.default_location {
        options.default_location = Some(d.clone());
    }
    if let Some(tz) = &a.time_zone {
        options.time_zone = Some(TimeZone::parse(tz).map_err(|e| format!("--time-zone: {e}"))?);
    }
    if let Some(r) = &a.region {
        options.region = Some(r.clone());
    }
    let explicit_received = match a.received_at.as_deref() {
        Some("now") => Some(now()?),
        Some(t) => Some(Timestamp::parse(t).map_err(|e| format!("--received-at: {e}"))?),
        None => None,
    };
    if explicit_received.is_some() {
        options.received_at = explicit_received;
    }

    let payload = read(payload_path)?;
    if a.many {
        return many(vendor, payload_path, &payload, &options);
    }
    let mut result = ingest::parse(vendor, &payload, &options);
    // A payload without a time of its own (Twilio's action requests): it arrived now.
    if let Err(e) = &result {
        let needs_time = e.code == ringback::ErrorCode::InvalidEvent
            && e.path == "Timestamp"
            && options.received_at.is_none();
        if needs_time {
            options.received_at = Some(now()?);
            result = ingest::parse(vendor, &payload, &options);
        }
    }
    let ingested = result.map_err(|e| format!("{payload_path}: {e}"))?;
    let text = match &ingested {
        Ingested::Event(event) => serde_json::to_string_pretty(event),
        other => serde_json::to_string_pretty(other),
    }
    .map_err(|e| e.to_string())?;
    println!("{text}");
    Ok(ExitCode::SUCCESS)
}

/// `--many`: one JSON line per item of a list page.
fn many(
    vendor: &str,
    payload_path: &str,
    payload: &str,
    options: &IngestOptions,
) -> Result<ExitCode, String> {
    let items =
        ingest::parse_many(vendor, payload, options).map_err(|e| format!("{payload_path}: {e}"))?;
    let mut out = String::new();
    let (mut events, mut rejected) = (0usize, 0usize);
    for item in &items {
        let line = match item {
            Ok(ingested) => {
                if matches!(ingested, Ingested::Event(_)) {
                    events += 1;
                }
                serde_json::to_string(ingested)
            }
            Err(e) => {
                rejected += 1;
                serde_json::to_string(&serde_json::json!({
                    "ingested": "error",
                    "error": {"code": e.code.as_str(), "path": e.path, "message": e.message},
                }))
            }
        }
        .map_err(|e| e.to_string())?;
        out.push_str(&line);
        out.push('\n');
    }
    print!("{out}");
    eprintln!(
        "{payload_path}: {} items, {events} events, {rejected} rejected",
        items.len()
    );
    Ok(if rejected > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
