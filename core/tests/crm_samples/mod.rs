//! What the CRM adapter tests share: the samples copied into `tests/crm/` and the
//! research's scenario policy.
#![allow(dead_code)]

use std::path::Path;

use ringback::crm::Response;
use serde_json::Value;

pub fn sample(name: &str) -> String {
    std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/crm")
            .join(name),
    )
    .unwrap_or_else(|e| panic!("{name}: {e}"))
}

pub fn sample_json(name: &str) -> Value {
    serde_json::from_str(&sample(name)).expect("sample JSON")
}

pub fn ok(status: u16, body: &str) -> Response {
    Response {
        status,
        headers: Vec::new(),
        body: body.to_string(),
    }
}

/// The research's scenario: `+14155550142` misses the Downtown clinic (`loc-042`) at
/// 2026-03-09T16:04:11Z (09:04 PDT).
pub const POLICY: &str = r#"{"version": "crm-test", "locations": [
  {"id": "loc-042", "name": "Downtown clinic", "vertical": "dental", "time_zone": "America/Los_Angeles",
   "country": "US", "state": "CA", "phone": "+14155550100",
   "hours": {"mon": [["08:00", "18:00"]], "tue": [["08:00", "18:00"]]}}]}"#;
