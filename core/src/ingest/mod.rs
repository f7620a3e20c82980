//! Vendor ingest (SPEC §5): a vendor's webhook payload, exactly as sent, to a canonical
//! [`MissedCallEvent`](crate::MissedCallEvent), or the reason it is not one.
//!
//! Placeholder: the vendor parsers land with issue 6. The JSON entry point below is the
//! contract the bindings call.

use crate::error::{Error, ErrorCode, Result};

/// Vendor names accepted by [`parse_json`].
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
];

/// Parses `payload` (raw body: JSON, or form-encoded for Twilio) from `vendor` with ingest
/// options given as JSON (`""`/`"null"` for none) and returns
/// `{"ingested":"event","event":{..}}`, `{"ingested":"not_missed","reason":..}` or
/// `{"ingested":"incomplete","reason":..}`.
pub fn parse_json(vendor: &str, _payload: &str, _options_json: &str) -> Result<String> {
    Err(Error::new(
        ErrorCode::UnsupportedPayload,
        "",
        format!("vendor `{vendor}` is not supported yet"),
    ))
}
