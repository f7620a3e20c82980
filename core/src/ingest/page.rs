//! API pages: a vendor's list response (`GET /call-log` and friends) to one result per
//! item, for integrators who poll instead of (or besides) taking webhooks.
//!
//! | vendor | items |
//! |---|---|
//! | `ringcentral` | `records` (call-log page) |
//! | `callrail` | `calls` |
//! | `whatconverts` | `leads` |
//! | `twilio` | `calls` (REST call resources, read like status callbacks) |
//! | `vonage` | `_embedded.calls` (REST call resources) |
//! | `marchex` | `Notifications` (one webhook, several calls), Telmetrics `results` |
//! | `convirza` | `data.calls` |
//! | `aircall` | `calls` |
//! | `ctm` | `calls` |
//! | `zoom` | `call_logs` |
//! | `dialpad` | `items` |
//! | `bland` | `calls` |
//! | `retell`, `vapi` | a JSON array of call objects (list-calls) |
//! | any vendor | a JSON array of what its webhook sends; `items`, `data`, `calls`, `records` |
//!
//! The page itself must be JSON with a list where the vendor keeps it; otherwise the whole
//! call fails. Each item is parsed on its own: a bad item is an error in its place (its
//! path prefixed with the item's, `records[17].startTime`), and every other item is still
//! ingested.

use serde_json::{json, Map, Value};

use super::fields::{self, parse_json_body, Node};
use super::options::{IngestOptions, Ingested};
use crate::error::{Error, ErrorCode, Result};

/// Where a vendor's list API keeps its items, tried in order.
fn list_keys(vendor: &str) -> &'static [&'static str] {
    match vendor {
        "ringcentral" => &["records"],
        "callrail" | "twilio" | "aircall" | "ctm" | "bland" => &["calls"],
        "whatconverts" => &["leads"],
        "vonage" => &["_embedded.calls", "calls"],
        "marchex" => &["Notifications", "results"],
        "convirza" => &["data.calls", "calls"],
        "zoom" => &["call_logs"],
        "dialpad" => &["items"],
        _ => &["items", "data", "calls", "records", "results"],
    }
}

fn at<'a>(root: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(root, |v, k| v.get(k))
}

/// A Twilio REST call resource in the shape of a status callback.
fn twilio_item(item: &Value) -> Value {
    let Some(map) = item.as_object() else {
        return item.clone();
    };
    if map.contains_key("CallSid") {
        return item.clone();
    }
    let renames = [
        ("sid", "CallSid"),
        ("parent_call_sid", "ParentCallSid"),
        ("account_sid", "AccountSid"),
        ("from", "From"),
        ("to", "To"),
        ("status", "CallStatus"),
        ("direction", "Direction"),
        ("start_time", "Timestamp"),
        ("duration", "CallDuration"),
        ("caller_name", "CallerName"),
        ("answered_by", "AnsweredBy"),
    ];
    let mut out = Map::new();
    for (from, to) in renames {
        match map.get(from) {
            Some(Value::Null) | None => {}
            Some(Value::Number(n)) => {
                out.insert(to.to_string(), Value::String(n.to_string()));
            }
            Some(v) => {
                out.insert(to.to_string(), v.clone());
            }
        }
    }
    Value::Object(out)
}

/// A Vonage REST call resource in the shape of an event webhook (`from`/`to` numbers).
fn vonage_item(item: &Value) -> Value {
    let mut v = item.clone();
    if let Some(map) = v.as_object_mut() {
        for key in ["from", "to"] {
            let number = map
                .get(key)
                .and_then(|p| p.get("number").or_else(|| p.get("uri")))
                .cloned();
            if let Some(n) = number {
                map.insert(key.to_string(), n);
            }
        }
    }
    v
}

/// The webhook body a list item stands for.
fn as_webhook(vendor: &str, item: &Value) -> Value {
    match vendor {
        "twilio" => twilio_item(item),
        "vonage" => vonage_item(item),
        "retell" if item.get("call").is_none() => {
            json!({"event": "call_analyzed", "call": item})
        }
        "vapi" if item.get("message").is_none() => {
            let mut msg = Map::new();
            msg.insert("type".into(), json!("end-of-call-report"));
            for k in [
                "endedReason",
                "analysis",
                "artifact",
                "customer",
                "startedAt",
                "endedAt",
                "phoneNumber",
            ] {
                if let Some(v) = item.get(k) {
                    msg.insert(k.into(), v.clone());
                }
            }
            msg.insert("call".into(), item.clone());
            json!({ "message": msg })
        }
        _ => item.clone(),
    }
}

/// Parses a page of `vendor`'s list API (or a JSON array of its webhook bodies): one
/// result per item, in order. The outer error is for a page that cannot be read at all.
pub fn parse_many(
    vendor: &str,
    payload: &str,
    options: &IngestOptions,
) -> Result<Vec<Result<Ingested>>> {
    let vendor = vendor.trim().to_ascii_lowercase();
    if !super::VENDORS.contains(&vendor.as_str()) {
        return Err(super::unknown_vendor(&vendor));
    }
    let payload = payload.strip_prefix('\u{feff}').unwrap_or(payload);
    let root = parse_json_body(payload, &vendor)?;
    if vendor == "marchex" {
        let (items, envelope) = super::marchex::calls(&root)?;
        return Ok(items
            .iter()
            .map(|c| {
                super::marchex::one(c.node(), envelope, options).map_err(|e| in_item(e, &c.path))
            })
            .collect());
    }
    let (items, base): (&Vec<Value>, String) = match &root {
        Value::Array(a) => (a, String::new()),
        Value::Object(_) => {
            let found = list_keys(&vendor).iter().find_map(|k| {
                at(&root, k)
                    .and_then(Value::as_array)
                    .map(|a| (a, k.to_string()))
            });
            match found {
                Some(f) => f,
                None => {
                    return Err(Error::new(
                        ErrorCode::UnsupportedPayload,
                        "",
                        format!(
                            "not a {vendor} list page: expected a JSON array or a list under {}",
                            list_keys(&vendor)
                                .iter()
                                .map(|k| format!("`{k}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    ))
                }
            }
        }
        other => {
            return Err(Error::new(
                ErrorCode::UnsupportedPayload,
                "",
                format!("expected a list page, got {}", fields::type_name(other)),
            ))
        }
    };
    Ok(items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let path = format!("{base}[{i}]");
            if !item.is_object() {
                let node = Node::root(item);
                return Err(Error::new(
                    ErrorCode::InvalidEvent,
                    path,
                    format!("expected an object, got {}", fields::type_name(node.value)),
                ));
            }
            let body = as_webhook(&vendor, item).to_string();
            super::parse(&vendor, &body, options).map_err(|e| in_item(e, &path))
        })
        .collect())
}

fn in_item(e: Error, path: &str) -> Error {
    if e.path.starts_with(path) && !path.is_empty() {
        e
    } else {
        e.within(path)
    }
}

/// [`parse_many`] with JSON options, giving a JSON array: each item
/// `{"ingested": "event" | "not_missed" | "incomplete", ...}` or
/// `{"ingested": "error", "error": {"code", "path", "message"}}`.
pub fn parse_many_json(vendor: &str, payload: &str, options_json: &str) -> Result<String> {
    let options = IngestOptions::from_json(options_json)?;
    let results = parse_many(vendor, payload, &options)?;
    let mut out = String::from("[");
    for (i, r) in results.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        match r {
            Ok(ingested) => out.push_str(&crate::engine::to_json(ingested)?),
            Err(e) => out.push_str(&crate::engine::to_json(&json!({
                "ingested": "error",
                "error": {"code": e.code.as_str(), "path": e.path, "message": e.message},
            }))?),
        }
    }
    out.push(']');
    Ok(out)
}
