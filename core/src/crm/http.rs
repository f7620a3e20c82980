//! The bytes a CRM adapter asks its caller to move: an HTTP [`Request`] to send and the
//! [`Response`] it got back. Nothing here opens a socket; bindings and examples send the
//! request with any client and feed the response back.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{Error, ErrorCode, Result};

/// An HTTP request for the caller to send. `path` is relative to the CRM instance's base
/// URL (`https://yourorg.my.salesforce.com`, `https://api.hubapi.com`) and includes the
/// query string; authentication (`Authorization: Bearer …`) is the caller's to add.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Request {
    /// `GET`, `POST`, `PATCH` or `PUT`.
    pub method: String,
    /// Path and query, percent-encoded.
    pub path: String,
    /// Headers to send (`Content-Type` and any the CRM needs for this request).
    pub headers: Vec<(String, String)>,
    /// The JSON body, when the method has one.
    pub body: Option<String>,
    /// Wait this many seconds before sending (a retry after 429 or 5xx); 0 otherwise.
    #[serde(default)]
    pub delay_seconds: u32,
}

impl Request {
    pub(crate) fn get(path: String) -> Self {
        Request {
            method: "GET".to_string(),
            path,
            headers: vec![("Accept".to_string(), "application/json".to_string())],
            body: None,
            delay_seconds: 0,
        }
    }

    pub(crate) fn json(method: &str, path: String, body: &Value) -> Self {
        Request {
            method: method.to_string(),
            path,
            headers: vec![
                ("Accept".to_string(), "application/json".to_string()),
                ("Content-Type".to_string(), "application/json".to_string()),
            ],
            body: Some(body.to_string()),
            delay_seconds: 0,
        }
    }

    /// The body parsed as JSON (`Value::Null` without one).
    pub fn body_json(&self) -> Value {
        self.body
            .as_deref()
            .and_then(|b| serde_json::from_str(b).ok())
            .unwrap_or(Value::Null)
    }
}

/// What the CRM answered.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Response {
    /// The HTTP status.
    pub status: u16,
    /// Response headers (names compared case-insensitively).
    #[serde(default)]
    pub headers: Vec<(String, String)>,
    /// The body as text (empty for none).
    #[serde(default)]
    pub body: String,
}

impl Response {
    /// Parses a response from JSON text (`{"status", "headers", "body"}`; `body` may also
    /// be a JSON value, which is kept as its text).
    pub fn from_json(text: &str) -> Result<Self> {
        let v: Value = crate::error::from_json_str(text, ErrorCode::InvalidCrm)?;
        Self::from_value(&v)
    }

    /// [`Response::from_json`] for an already parsed value.
    pub fn from_value(v: &Value) -> Result<Self> {
        let mut v = v.clone();
        if let Some(obj) = v.as_object_mut() {
            if let Some(body) = obj.get("body") {
                if !body.is_string() {
                    let text = if body.is_null() {
                        String::new()
                    } else {
                        body.to_string()
                    };
                    obj.insert("body".to_string(), Value::String(text));
                }
            }
            if let Some(Value::Object(h)) = obj.get("headers") {
                // `{"Retry-After": "3"}` is accepted as well as `[["Retry-After", "3"]]`.
                let pairs: Vec<Value> = h
                    .iter()
                    .map(|(k, v)| {
                        let v = v.as_str().map_or_else(|| v.to_string(), str::to_string);
                        Value::Array(vec![Value::String(k.clone()), Value::String(v)])
                    })
                    .collect();
                obj.insert("headers".to_string(), Value::Array(pairs));
            }
        }
        crate::error::from_json_value(&v, ErrorCode::InvalidCrm)
    }

    /// A header's value (the first with that name, case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The body as JSON, or a coded error naming the response.
    pub(crate) fn json(&self, what: &str) -> Result<Value> {
        if self.body.trim().is_empty() {
            return Ok(Value::Null);
        }
        serde_json::from_str(&self.body).map_err(|e| {
            Error::new(
                ErrorCode::InvalidCrm,
                "body",
                format!(
                    "{what}: the CRM answered {} with a body that is not JSON ({e})",
                    self.status
                ),
            )
        })
    }

    /// Seconds to wait before a retry: `Retry-After` in seconds (an HTTP date is not read:
    /// the core has no clock), else `fallback`; at most an hour.
    pub(crate) fn retry_after(&self, fallback: u32) -> u32 {
        self.header("Retry-After")
            .and_then(|v| v.trim().parse::<f64>().ok())
            .filter(|s| s.is_finite() && *s >= 0.0)
            .map_or(fallback, |s| s.ceil().min(3600.0) as u32)
    }
}

/// A sans-I/O machine: what the CRM sync ([`crate::crm::Sync`]) and a messaging send
/// ([`crate::messaging::twilio::Send`]) share, so that bindings drive both the same way:
/// ask for the next request, send it, feed the answer, until there is none; then read the
/// outcome.
pub trait Machine {
    /// The next request to send, or `None` when the machine is done or stopped.
    fn next_request(&mut self) -> Option<Request>;
    /// Reads the answer to the last request.
    fn feed(&mut self, response: Response) -> Result<()>;
    /// The outcome so far, as JSON.
    fn outcome_json(&self) -> Result<String>;
    /// The most requests the machine can send.
    fn request_bound(&self) -> u32;
}

/// Percent-encodes a path segment or query value (RFC 3986 unreserved characters kept).
pub(crate) fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A coded error about a CRM response body, with its JSON path.
pub(crate) fn bad_body(path: &str, message: impl Into<String>) -> Error {
    Error::new(
        ErrorCode::InvalidCrm,
        crate::error::join_path("body", path),
        message,
    )
}

/// The string at `key` of `v`, or a coded error at `path.key`.
pub(crate) fn str_at<'a>(v: &'a Value, key: &str, path: &str) -> Result<&'a str> {
    v.get(key).and_then(Value::as_str).ok_or_else(|| {
        bad_body(
            &crate::error::join_path(path, key),
            format!("expected a string `{key}`"),
        )
    })
}

/// The non-empty string at `key` of a record.
pub(crate) fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::to_string)
        .filter(|s| !s.is_empty())
}

/// A revoked consent when the record's boolean `key` is true (`source` is `system:key`).
pub(crate) fn revoked_flag(
    v: &Value,
    key: Option<&str>,
    system: &str,
) -> Option<crate::model::crm::Consent> {
    let key = key?;
    (v.get(key).and_then(Value::as_bool) == Some(true)).then(|| crate::model::crm::Consent {
        status: crate::model::crm::ConsentStatus::Revoked,
        kind: None,
        at: None,
        source: Some(format!("{system}:{key}")),
    })
}

/// A JSON string or number as text (HubSpot ids arrive as either).
pub(crate) fn id_text(v: Option<&Value>) -> Option<String> {
    match v {
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_keeps_unreserved_and_escapes_the_rest() {
        assert_eq!(encode("phone:+14155550142"), "phone%3A%2B14155550142");
        assert_eq!(encode("a b/ü"), "a%20b%2F%C3%BC");
    }

    #[test]
    fn responses_read_headers_and_bodies_in_both_shapes() {
        let r = Response::from_json(
            r#"{"status": 429, "headers": {"Retry-After": "7"}, "body": {"x": 1}}"#,
        )
        .expect("response");
        assert_eq!(r.retry_after(1), 7);
        assert_eq!(r.body, r#"{"x":1}"#);
        let r = Response::from_json(
            r#"{"status": 503, "headers": [["retry-after", "Wed, 21 Oct 2026 07:28:00 GMT"]]}"#,
        )
        .expect("response");
        assert_eq!(r.retry_after(4), 4, "an HTTP date falls back");
        let e = Response::from_json(r#"{"status": "ok"}"#).expect_err("status must be a number");
        assert_eq!((e.code, e.path.as_str()), (ErrorCode::InvalidCrm, "status"));
    }
}
