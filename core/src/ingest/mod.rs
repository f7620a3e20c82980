//! Vendor ingest (SPEC §5): a vendor's webhook payload, exactly as sent, to a canonical
//! [`crate::MissedCallEvent`], or the reason it is not one.
//!
//! Each vendor has its own module with a `parse(payload, options)` function; [`parse`]
//! dispatches on the vendor name and [`parse_json`] is the JSON entry point the bindings
//! call. Everything here is pure: no clock, no I/O. A payload that carries no time of its
//! own (Twilio's `<Dial action>` request, for one) takes [`IngestOptions::received_at`].
//!
//! ```
//! use ringback::ingest::{self, Ingested, IngestOptions};
//!
//! let body = "CallSid=CA1&AccountSid=AC1&From=%2B16025550143&To=%2B16025550100\
//!             &Direction=inbound&CallStatus=in-progress&DialCallStatus=no-answer";
//! let options = IngestOptions::from_json(r#"{
//!     "location_map": {"(602) 555-0100": "phx-01"},
//!     "received_at": "2026-11-24T16:15:30Z"}"#)?;
//! let Ingested::Event(event) = ingest::parse("twilio", body, &options)? else {
//!     panic!("a Dial action with no-answer is a missed call");
//! };
//! assert_eq!(event.event_id, "CA1");
//! assert_eq!(event.location_id, "phx-01");
//! assert_eq!(event.caller_number.as_deref(), Some("+16025550143"));
//! assert_eq!(event.raw_disposition.as_deref(), Some("no-answer"));
//! # Ok::<(), ringback::Error>(())
//! ```

pub mod ai;
pub mod airai;
pub mod aircall;
pub mod bland;
pub mod callrail;
pub mod convirza;
pub mod ctm;
pub mod dialpad;
mod fields;
pub mod form;
pub mod invoca;
pub mod location;
pub mod mapping;
pub mod marchex;
pub mod number;
mod page;
pub mod retell;
pub mod ringcentral;
pub mod signature;
pub mod time;
pub mod twilio;
pub mod vapi;
pub mod voiceflow;
pub mod vonage;
pub mod whatconverts;
pub mod zoom;

mod options;
mod text;

pub use fields::INTERNAL_CALL;
pub use page::{parse_many, parse_many_json};

use crate::error::{Error, ErrorCode, Result};
pub use options::{CallRailWebhook, IngestOptions, Ingested, InvocaOptions};

/// Vendor names accepted by [`parse`] and [`parse_json`].
pub const VENDORS: &[&str] = &[
    "callrail",
    "twilio",
    "aircall",
    "dialpad",
    "vonage",
    "invoca",
    "ringcentral",
    "zoom",
    "ctm",
    "marchex",
    "convirza",
    "whatconverts",
    "ringostat",
    "dialogtech",
    "callsource",
    "custom",
    "retell",
    "vapi",
    "bland",
    "airai",
    "voiceflow",
];

/// The voice-AI receptionist vendors among [`VENDORS`]: their events carry
/// `ai_receptionist`.
pub const VOICE_AI_VENDORS: &[&str] = &["retell", "vapi", "bland", "airai", "voiceflow"];

/// The templated vendors among [`VENDORS`], read through [`mapping`] (`options.mapping`).
pub const MAPPED_VENDORS: &[&str] = &["ringostat", "dialogtech", "callsource", "custom", "invoca"];

/// Parses `payload` from `vendor` (one of [`VENDORS`]).
pub fn parse(vendor: &str, payload: &str, options: &IngestOptions) -> Result<Ingested> {
    let payload = payload.strip_prefix('\u{feff}').unwrap_or(payload);
    match vendor.trim().to_ascii_lowercase().as_str() {
        "callrail" => callrail::parse(payload, options),
        "twilio" => twilio::parse(payload, options),
        "aircall" => aircall::parse(payload, options),
        "dialpad" => dialpad::parse(payload, options),
        "vonage" => vonage::parse(payload, options),
        "invoca" => invoca::parse(payload, options),
        "ringcentral" => ringcentral::parse(payload, options),
        "zoom" => zoom::parse(payload, options),
        "ctm" => ctm::parse(payload, options),
        "marchex" => marchex::parse(payload, options),
        "convirza" => convirza::parse(payload, options),
        "whatconverts" => whatconverts::parse(payload, options),
        "ringostat" => mapping::parse("ringostat", payload, options),
        "dialogtech" => mapping::parse("dialogtech", payload, options),
        "callsource" => mapping::parse("callsource", payload, options),
        "custom" => mapping::parse("custom", payload, options),
        "retell" => retell::parse(payload, options),
        "vapi" => vapi::parse(payload, options),
        "bland" => bland::parse(payload, options),
        "airai" | "air_ai" | "air.ai" => airai::parse(payload, options),
        "voiceflow" => voiceflow::parse(payload, options),
        other => Err(unknown_vendor(other)),
    }
}

/// The `unsupported_payload` error for a vendor name not in [`VENDORS`].
pub(crate) fn unknown_vendor(name: &str) -> Error {
    Error::new(
        ErrorCode::UnsupportedPayload,
        "",
        format!(
            "unknown vendor `{name}`; expected one of {}",
            VENDORS.join(", ")
        ),
    )
}

/// Parses `payload` (raw body: JSON, or form-encoded for Twilio) from `vendor` with ingest
/// options given as JSON (`""`/`"null"` for none) and returns
/// `{"ingested":"event","event":{..}}`, `{"ingested":"not_missed","reason":..}` or
/// `{"ingested":"incomplete","reason":..}`.
pub fn parse_json(vendor: &str, payload: &str, options_json: &str) -> Result<String> {
    let options = IngestOptions::from_json(options_json)?;
    let ingested = parse(vendor, payload, &options)?;
    crate::engine::to_json(&ingested)
}

/// This module's README, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("README.md")]
pub struct ReadmeDoctests;
