//! `ringback ingest`: one vendor webhook body to the canonical event.
//!
//! ```text
//! ringback ingest --vendor NAME [--location-map MAP.json] [--default-location ID]
//!                 [--time-zone TZ] [--received-at RFC3339|now] [--region CC]
//!                 [--options OPTIONS.json] PAYLOAD
//! ```
//!
//! PAYLOAD is the raw body as the vendor sent it (JSON, or form-encoded for Twilio), read
//! from a file or from standard input with `-`. MAP.json maps tracking numbers (any format)
//! and vendor number / company / team ids to location ids. OPTIONS.json is a full
//! `IngestOptions` document (Invoca field mapping, CallRail webhook kind, Dialpad secret);
//! the flags override it. Prints the canonical event as JSON, or
//! `{"ingested": "not_missed"|"incomplete", "reason": ...}`; a bad payload is a coded error
//! on stderr and exit status 2.

use std::collections::BTreeMap;
use std::io::Read;
use std::process::ExitCode;

use ringback::ingest::{self, IngestOptions, Ingested};
use ringback::{TimeZone, Timestamp};

const USAGE: &str = "\
usage: ringback ingest --vendor NAME [--location-map MAP.json] [--default-location ID]
                       [--time-zone TZ] [--received-at RFC3339|now] [--region CC]
                       [--options OPTIONS.json] PAYLOAD

NAME is one of: callrail twilio aircall dialpad vonage invoca ringcentral zoom ctm.
PAYLOAD is the raw webhook body (a file, or - for standard input).
MAP.json: {\"+14045558514\": \"atl-01\", \"aircall:397375\": \"vie-01\", ...}.
--received-at: when the webhook arrived; payloads without a time of their own (Twilio
action requests) take it. Without the flag such payloads take the current time.
";

const FLAGS: [&str; 7] = [
    "vendor",
    "location-map",
    "default-location",
    "time-zone",
    "received-at",
    "region",
    "options",
];

fn read_bytes(path: &str) -> Result<Vec<u8>, String> {
    if path == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        Ok(buf)
    } else {
        std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))
    }
}

fn read_text(path: &str) -> Result<String, String> {
    String::from_utf8(read_bytes(path)?).map_err(|_| format!("{path}: not UTF-8 text"))
}

/// The current time, for payloads that carry none.
fn now() -> Result<Timestamp, String> {
    let since = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|e| format!("system clock before 1970: {e}"))?;
    ingest::time::from_epoch_millis((since.as_secs() as f64 * 1000.0).floor())
}

/// Runs `ringback ingest` with the arguments after the command name.
pub fn run(args: &[String]) -> Result<ExitCode, String> {
    let mut flags: BTreeMap<&str, String> = BTreeMap::new();
    let mut positional = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "-h" || a == "--help" {
            print!("{USAGE}");
            return Ok(ExitCode::SUCCESS);
        }
        match a.strip_prefix("--") {
            Some(name) => {
                let Some(known) = FLAGS.iter().find(|f| **f == name) else {
                    return Err(format!("unknown option --{name}\n\n{USAGE}"));
                };
                let v = it
                    .next()
                    .ok_or_else(|| format!("option --{name} needs a value"))?;
                flags.insert(known, v.clone());
            }
            None => positional.push(a.clone()),
        }
    }
    let [payload_path] = positional.as_slice() else {
        return Err(format!("ingest needs one PAYLOAD file (or -)\n\n{USAGE}"));
    };
    let vendor = flags
        .get("vendor")
        .ok_or_else(|| format!("ingest needs --vendor NAME\n\n{USAGE}"))?;
    if !ingest::VENDORS.contains(&vendor.as_str()) {
        return Err(format!(
            "unknown vendor `{vendor}`; expected one of {}",
            ingest::VENDORS.join(", ")
        ));
    }

    let mut options = match flags.get("options") {
        Some(p) => IngestOptions::from_json(&read_text(p)?).map_err(|e| format!("{p}: {e}"))?,
        None => IngestOptions::default(),
    };
    if let Some(p) = flags.get("location-map") {
        let map: BTreeMap<String, String> = serde_json::from_str(&read_text(p)?).map_err(|e| {
            format!("{p}: expected a JSON object of number or id → location id ({e})")
        })?;
        options.location_map.extend(map);
    }
    if let Some(d) = flags.get("default-location") {
        options.default_location = Some(d.clone());
    }
    if let Some(tz) = flags.get("time-zone") {
        options.time_zone = Some(TimeZone::parse(tz).map_err(|e| format!("--time-zone: {e}"))?);
    }
    if let Some(r) = flags.get("region") {
        options.region = Some(r.clone());
    }
    let explicit_received = match flags.get("received-at").map(String::as_str) {
        Some("now") => Some(now()?),
        Some(t) => Some(Timestamp::parse(t).map_err(|e| format!("--received-at: {e}"))?),
        None => None,
    };
    if explicit_received.is_some() {
        options.received_at = explicit_received;
    }

    let payload = read_text(payload_path)?;
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
