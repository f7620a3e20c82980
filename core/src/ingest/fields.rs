//! Shared plumbing for the vendor parsers: lenient, path-carrying reads of JSON values, and
//! the draft event every parser fills in.

use serde_json::Value;

use super::location::{self, Key};
use super::number::{self, Hint};
use super::options::{IngestOptions, Ingested};
pub(crate) use super::text::{clip, type_name};
use crate::error::{join_path, Error, ErrorCode, Result};
use crate::model::event::{AiReceptionist, Attribution, Disposition, MissedCallEvent, Voicemail};
use crate::model::time::{TimeZone, Timestamp};

/// Parses a JSON body; syntax errors are `invalid_json`.
pub(crate) fn parse_json_body(payload: &str, vendor: &str) -> Result<Value> {
    serde_json::from_str(payload).map_err(|e| {
        let text = e.to_string();
        let text = text.split(" at line ").next().unwrap_or(&text).to_string();
        Error::new(
            ErrorCode::InvalidJson,
            "",
            format!(
                "{vendor} payload is not valid JSON: {text} (line {}, column {})",
                e.line(),
                e.column()
            ),
        )
    })
}

/// The `unsupported_payload` error for a body that is not this vendor's.
pub(crate) fn not_vendor(vendor: &str, expected: &str) -> Error {
    Error::new(
        ErrorCode::UnsupportedPayload,
        "",
        format!("not a payload from {vendor}: expected {expected}"),
    )
}

fn wrong_type(path: &str, expected: &str, got: &Value) -> Error {
    Error::new(
        ErrorCode::InvalidEvent,
        path,
        format!("expected {expected}, got {}", type_name(got)),
    )
}

/// A JSON object with its path from the payload root.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Node<'a> {
    pub value: &'a Value,
    pub path: &'a str,
}

/// An owned path plus the value, for children.
#[derive(Debug, Clone)]
pub(crate) struct Child<'a> {
    pub value: &'a Value,
    pub path: String,
}

impl<'a> Child<'a> {
    /// Borrows as a node.
    pub fn node(&self) -> Node<'_> {
        Node {
            value: self.value,
            path: &self.path,
        }
    }
}

impl<'a> Node<'a> {
    /// The root node of a payload.
    pub fn root(value: &'a Value) -> Self {
        Node { value, path: "" }
    }

    /// The path of `key` under this node.
    pub fn path_of(&self, key: &str) -> String {
        join_path(self.path, key)
    }

    /// Whether the node is an object.
    pub fn is_object(&self) -> bool {
        self.value.is_object()
    }

    /// The raw value at `key` (null counts as missing).
    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.value.get(key).filter(|v| !v.is_null())
    }

    /// Whether `key` is present (even as null).
    pub fn has(&self, key: &str) -> bool {
        self.value.get(key).is_some()
    }

    /// A child object; `None` when missing or null, an error for any other type.
    pub fn object(&self, key: &str) -> Result<Option<Child<'a>>> {
        match self.get(key) {
            None => Ok(None),
            Some(v @ Value::Object(_)) => Ok(Some(Child {
                value: v,
                path: self.path_of(key),
            })),
            Some(v) => Err(wrong_type(&self.path_of(key), "an object", v)),
        }
    }

    /// A child array; `None` when missing or null.
    pub fn array(&self, key: &str) -> Result<Option<&'a Vec<Value>>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Array(a)) => Ok(Some(a)),
            Some(v) => Err(wrong_type(&self.path_of(key), "an array", v)),
        }
    }

    /// A string, trimmed; blank counts as missing. Numbers and booleans are errors.
    pub fn str(&self, key: &str) -> Result<Option<&'a str>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.trim()).filter(|s| !s.is_empty())),
            Some(v) => Err(wrong_type(&self.path_of(key), "a string", v)),
        }
    }

    /// A string, or a number rendered as text (ids and phone numbers arrive either way).
    pub fn text(&self, key: &str) -> Result<Option<String>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.trim().to_string()).filter(|s| !s.is_empty())),
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(v) => Err(wrong_type(&self.path_of(key), "a string or a number", v)),
        }
    }

    /// The first present text among `keys`.
    pub fn first_text(&self, keys: &[&str]) -> Result<Option<String>> {
        for k in keys {
            if let Some(t) = self.text(k)? {
                return Ok(Some(t));
            }
        }
        Ok(None)
    }

    /// A number, from a JSON number or a numeric string (`"13"`, `"0.0045"`).
    pub fn number(&self, key: &str) -> Result<Option<f64>> {
        let path = || self.path_of(key);
        match self.get(key) {
            None => Ok(None),
            Some(Value::Number(n)) => n
                .as_f64()
                .filter(|f| f.is_finite())
                .map(Some)
                .ok_or_else(|| wrong_type(&path(), "a finite number", &Value::Null)),
            Some(Value::String(s)) => {
                let t = s.trim();
                if t.is_empty() {
                    return Ok(None);
                }
                t.parse::<f64>()
                    .ok()
                    .filter(|f| f.is_finite())
                    .map(Some)
                    .ok_or_else(|| {
                        Error::new(
                            ErrorCode::InvalidEvent,
                            path(),
                            format!("expected a number, got the string `{}`", clip(t)),
                        )
                    })
            }
            Some(v) => Err(wrong_type(&path(), "a number or a numeric string", v)),
        }
    }

    /// A non-negative count of seconds (integer, float, or numeric string), rounded.
    pub fn seconds(&self, key: &str) -> Result<Option<u32>> {
        self.scaled_seconds(key, 1.0)
    }

    /// Milliseconds (any numeric form) as whole seconds, rounded.
    pub fn millis_as_seconds(&self, key: &str) -> Result<Option<u32>> {
        self.scaled_seconds(key, 1000.0)
    }

    fn scaled_seconds(&self, key: &str, per_second: f64) -> Result<Option<u32>> {
        match self.number(key)? {
            None => Ok(None),
            Some(f) if f < 0.0 => Err(Error::new(
                ErrorCode::InvalidEvent,
                self.path_of(key),
                format!("a duration cannot be negative ({f})"),
            )),
            Some(f) => Ok(Some((f / per_second).round().min(u32::MAX as f64) as u32)),
        }
    }

    /// A boolean from `true`/`false`, `"true"`/`"false"`, `1`/`0`.
    pub fn flag(&self, key: &str) -> Result<Option<bool>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(Value::Number(n)) if n.as_f64() == Some(0.0) => Ok(Some(false)),
            Some(Value::Number(n)) if n.as_f64() == Some(1.0) => Ok(Some(true)),
            Some(Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" => Ok(Some(true)),
                "false" | "0" | "no" => Ok(Some(false)),
                "" => Ok(None),
                other => Err(Error::new(
                    ErrorCode::InvalidEvent,
                    self.path_of(key),
                    format!("expected a boolean, got the string `{}`", clip(other)),
                )),
            },
            Some(v) => Err(wrong_type(&self.path_of(key), "a boolean", v)),
        }
    }

    /// A time in any vendor format (see [`super::time`]); `None` when missing.
    pub fn time(&self, key: &str, zone: Option<TimeZone>) -> Result<Option<Timestamp>> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
            Some(v) => super::time::from_value(v, zone)
                .map(Some)
                .map_err(|m| Error::new(ErrorCode::InvalidTimestamp, self.path_of(key), m)),
        }
    }

    /// The first present time among `keys`.
    pub fn first_time(&self, keys: &[&str], zone: Option<TimeZone>) -> Result<Option<Timestamp>> {
        for k in keys {
            if let Some(t) = self.time(k, zone)? {
                return Ok(Some(t));
            }
        }
        Ok(None)
    }

    /// Epoch milliseconds (number or numeric string) as a timestamp.
    pub fn epoch_millis(&self, key: &str) -> Result<Option<Timestamp>> {
        match self.number(key)? {
            None => Ok(None),
            Some(ms) => super::time::from_epoch_millis(ms)
                .map(Some)
                .map_err(|m| Error::new(ErrorCode::InvalidTimestamp, self.path_of(key), m)),
        }
    }

    /// Epoch seconds (number or numeric string) as a timestamp.
    pub fn epoch_seconds(&self, key: &str) -> Result<Option<Timestamp>> {
        match self.number(key)? {
            None => Ok(None),
            Some(s) => super::time::from_epoch_millis(s * 1000.0)
                .map(Some)
                .map_err(|m| Error::new(ErrorCode::InvalidTimestamp, self.path_of(key), m)),
        }
    }

    /// A required value: the error names the path.
    pub fn required<T>(&self, key: &str, value: Option<T>, what: &str) -> Result<T> {
        value.ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidEvent,
                self.path_of(key),
                format!("missing field `{key}` ({what})"),
            )
        })
    }
}

/// Keeps non-blank strings only.
pub(crate) fn non_blank(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// Reads a query parameter (`gclid`) from a URL, percent-decoded.
pub(crate) fn url_param(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    let query = query.split('#').next().unwrap_or(query);
    super::form::decode_pairs(query)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
        .filter(|v| !v.trim().is_empty())
}

/// Fills click ids missing from an attribution from a landing-page URL.
pub(crate) fn click_ids_from_url(a: &mut Attribution, url: Option<&str>) {
    let Some(url) = url else { return };
    let slots: [(&mut Option<String>, &str); 5] = [
        (&mut a.gclid, "gclid"),
        (&mut a.gbraid, "gbraid"),
        (&mut a.wbraid, "wbraid"),
        (&mut a.fbclid, "fbclid"),
        (&mut a.msclkid, "msclkid"),
    ];
    for (slot, name) in slots {
        if slot.is_none() {
            *slot = url_param(url, name);
        }
    }
}

/// Whether an attribution carries anything.
pub(crate) fn attribution_is_empty(a: &Attribution) -> bool {
    *a == Attribution::default()
}

/// The event a vendor parser has read, before numbers are normalized and the location is
/// resolved.
#[derive(Debug, Clone)]
pub(crate) struct Draft {
    pub vendor: &'static str,
    pub event_id: String,
    pub occurred_at: Timestamp,
    pub caller: Option<String>,
    pub caller_hint: Hint,
    pub caller_name: Option<String>,
    pub tracking_number: Option<String>,
    pub disposition: Disposition,
    pub raw_disposition: Option<String>,
    pub ring_seconds: Option<u32>,
    pub duration_seconds: Option<u32>,
    pub voicemail: Option<Voicemail>,
    pub attribution: Attribution,
    pub location_keys: Vec<Key>,
    /// What a voice-AI receptionist learned before the call was lost.
    pub ai_receptionist: Option<AiReceptionist>,
    /// Set when the caller is an internal party (an extension with no outside number):
    /// the call is then `NotMissed` with the reason [`INTERNAL_CALL`].
    pub internal: bool,
}

/// The reason given for a call between two internal parties.
pub const INTERNAL_CALL: &str = "internal_call";

impl Draft {
    /// A draft with the required parts.
    pub fn new(
        vendor: &'static str,
        event_id: String,
        occurred_at: Timestamp,
        disposition: Disposition,
    ) -> Self {
        Draft {
            vendor,
            event_id,
            occurred_at,
            caller: None,
            caller_hint: Hint::Any,
            caller_name: None,
            tracking_number: None,
            disposition,
            raw_disposition: None,
            ring_seconds: None,
            duration_seconds: None,
            voicemail: None,
            attribution: Attribution::default(),
            location_keys: Vec::new(),
            ai_receptionist: None,
            internal: false,
        }
    }

    /// Normalizes numbers, resolves the location and builds the event.
    pub fn finish(self, options: &IngestOptions) -> Result<Ingested> {
        if self.internal {
            return Ok(Ingested::not_missed(INTERNAL_CALL));
        }
        let region = options.region_id()?;
        let location_id = location::resolve(self.vendor, &self.location_keys, options)?;
        let caller_number = number::caller(self.caller.as_deref(), region, self.caller_hint);
        let tracking_number = self
            .tracking_number
            .as_deref()
            .and_then(|t| number::e164(t, region, self.caller_hint).or(Some(t.trim().to_string())))
            .filter(|t| !t.is_empty());
        let voicemail = self.voicemail.map(|mut v| {
            v.transcript = non_blank(v.transcript);
            v.recording_url = non_blank(v.recording_url);
            v
        });
        let attribution = (!attribution_is_empty(&self.attribution)).then_some(self.attribution);
        let event = MissedCallEvent {
            event_id: self.event_id,
            location_id,
            occurred_at: self.occurred_at,
            received_at: options.received_at,
            caller_number,
            caller_name: non_blank(self.caller_name),
            tracking_number,
            disposition: self.disposition,
            raw_disposition: non_blank(self.raw_disposition),
            ring_seconds: self.ring_seconds,
            duration_seconds: self.duration_seconds,
            voicemail,
            attribution,
            provider: Some(self.vendor.to_string()),
            ai_receptionist: self.ai_receptionist.map(|mut a| {
                a.summary = non_blank(a.summary);
                a.captured_intent = non_blank(a.captured_intent);
                a
            }),
            extra: Default::default(),
        };
        Ok(Ingested::Event(Box::new(event)))
    }
}

/// The start time, or the options' `received_at` when the payload has none.
pub(crate) fn time_or_received(
    found: Option<Timestamp>,
    options: &IngestOptions,
    path: &str,
    what: &str,
) -> Result<Timestamp> {
    found.or(options.received_at).ok_or_else(|| {
        Error::new(
            ErrorCode::InvalidEvent,
            path,
            format!("{what}; pass `received_at` (when the webhook arrived) in the ingest options"),
        )
    })
}

/// A location key from a phone-number field.
pub(crate) fn number_key(node: Node<'_>, key: &str) -> Result<Option<Key>> {
    Ok(node.text(key)?.map(|v| Key::Number {
        value: v,
        path: node.path_of(key),
    }))
}

/// A location key from a field that holds a ringback location id (integrator metadata).
pub(crate) fn location_key(node: Node<'_>, key: &str) -> Result<Option<Key>> {
    Ok(node.text(key)?.map(|v| Key::Location {
        value: v,
        path: node.path_of(key),
    }))
}

/// A location key from an id field.
pub(crate) fn id_key(node: Node<'_>, key: &str) -> Result<Option<Key>> {
    Ok(node.text(key)?.map(|v| Key::Id {
        value: v,
        path: node.path_of(key),
    }))
}

/// The zone for zoneless local times in this payload: the resolved location's zone from
/// [`IngestOptions::location_time_zones`], else the company `time_zone`. A payload whose
/// location cannot be resolved fails here with the same `unknown_location` error the
/// event would.
pub(crate) fn zone_for(
    vendor: &str,
    keys: &[Key],
    options: &IngestOptions,
) -> Result<Option<TimeZone>> {
    if options.location_time_zones.is_empty() {
        return Ok(options.time_zone);
    }
    let location = location::resolve(vendor, keys, options)?;
    Ok(options
        .location_time_zones
        .get(&location)
        .copied()
        .or(options.time_zone))
}

/// The first key of `node` equal to one of `wanted` when compared without case, `_`, `-`
/// and spaces, for vendors whose field names vary in case (`CallerNumber`,
/// `callerNumber`, `caller_number`). Null values are skipped.
pub(crate) fn loose_key<'a>(node: Node<'a>, wanted: &[&str]) -> Option<&'a str> {
    let map = node.value.as_object()?;
    for w in wanted {
        let w = squash(w);
        if let Some((k, _)) = map.iter().find(|(k, v)| !v.is_null() && squash(k) == w) {
            return Some(k.as_str());
        }
    }
    None
}

/// Lower case without `_`, `-`, `.` and spaces.
pub(crate) fn squash(k: &str) -> String {
    k.chars()
        .filter(|c| !matches!(c, '_' | '-' | ' ' | '.'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The `expected an object` error for a list item or call that is not one.
pub(crate) fn expect_object(node: Node<'_>, what: &str) -> Result<()> {
    if node.is_object() {
        return Ok(());
    }
    Err(Error::new(
        ErrorCode::InvalidEvent,
        node.path,
        format!("expected {what}, got {}", type_name(node.value)),
    ))
}

/// The one item of a body that may hold a list (a webhook versus an API page): a list of
/// several is a page for `parse_many`, an empty one is no call at all.
pub(crate) fn only_item<'a>(
    items: Vec<Child<'a>>,
    list_path: &str,
    vendor: &str,
    what: &str,
) -> Result<Child<'a>> {
    let n = items.len();
    match items.into_iter().next() {
        Some(one) if n == 1 => Ok(one),
        None => Err(Error::new(
            ErrorCode::UnsupportedPayload,
            list_path,
            format!("the {vendor} list holds no {what}"),
        )),
        Some(_) => Err(Error::new(
            ErrorCode::UnsupportedPayload,
            list_path,
            format!(
                "the {vendor} list holds {n} {what}; read it with parse_many (ringback \
                 ingest --many) to get one result per item"
            ),
        )),
    }
}
