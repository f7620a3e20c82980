//! The configurable mapping for templated vendors: platforms whose webhook body the
//! customer designs (Ringostat Webhooks 2.0, DialogTech Post-Call Actions), that publish
//! no format at all (CallSource), or whose body is built from substitution parameters
//! (Invoca). One mechanism serves them all:
//!
//! * **field paths** → canonical fields (`event_id`, `start_time`, `caller`,
//!   `disposition`, ...; see [`CANONICAL`]). A path is a key (`caller`), a dotted path into
//!   nested objects (`call.from.number`) or with list indexes (`legs[0].status`). Each
//!   vendor has a documented starting mapping (`core/data/ingest_mappings.json`); the
//!   integrator's [`MappingOptions::fields`] replace single fields of it.
//! * **value tables** → dispositions: the vendor's value (compared without case, with
//!   `+`, `_` and `-` read as spaces, so `NO+ANSWER` = `no answer`) to a canonical
//!   disposition, or to `answered` / `not_missed` / `incomplete`. The integrator's table is
//!   read before the vendor's.
//! * **time format and zone**: automatic (every format [`super::time`] knows), a chrono
//!   format (`%d.%m.%Y %H:%M:%S`), or `epoch_seconds` / `epoch_millis`; zoneless times are
//!   read in [`MappingOptions::time_zone`], else the location's zone
//!   ([`IngestOptions::location_time_zones`]), else the company `time_zone`.
//! * **bodies**: a JSON object, a JSON-RPC request (its `params`), a form body, a query
//!   string, a whole URL or an HTTP request line (`GET /hook?caller=… HTTP/1.1`).
//!
//! A disposition value in neither table is an `unsupported_payload` error naming the
//! value and its path, unless a talk (connect) duration above zero says the call was
//! answered: an unknown value is never silently read as answered or as missed. A body with
//! no disposition at all classifies by its talk duration only when the integrator mapped
//! `talk_duration` (zero: no answer). A templated vendor has no fingerprint of its own: any
//! body with the mapped call id and disposition is read as that vendor's.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use chrono::{DateTime, NaiveDateTime};
use serde::Deserialize;
use serde_json::Value;

use super::fields::{self, click_ids_from_url, parse_json_body, Draft, Node};
use super::form;
use super::location::Key;
pub use super::options::{DurationUnit, MappingOptions, Outcome, Paths};
use super::options::{IngestOptions, Ingested};
use crate::error::{Error, ErrorCode, Result};
use crate::model::event::{Attribution, Disposition, Voicemail};
use crate::model::time::{TimeZone, Timestamp};

const PRESETS_JSON: &str = include_str!("../../data/ingest_mappings.json");

/// The canonical fields a mapping can fill, with what each means.
pub const CANONICAL: &[(&str, &str)] = &[
    ("event_id", "the vendor's call id (required)"),
    (
        "start_time",
        "when the call started (required unless `received_at` is passed)",
    ),
    ("caller", "the caller's number"),
    ("caller_name", "the caller's name (CNAM)"),
    ("tracking_number", "the number that was dialled"),
    ("destination", "where the call was sent (a location key)"),
    ("location", "a location id or key, tried first"),
    (
        "direction",
        "inbound or outbound (outbound calls are not missed calls)",
    ),
    (
        "disposition",
        "how the call ended, read through the value tables",
    ),
    ("duration", "length of the whole call"),
    (
        "talk_duration",
        "time connected to a person (above zero: answered)",
    ),
    ("ring_duration", "time spent ringing or waiting"),
    ("ivr_duration", "time spent in the IVR"),
    ("voicemail_url", "the voicemail recording"),
    ("voicemail_transcript", "the voicemail transcript"),
    ("voicemail_duration", "length of the voicemail"),
    ("transaction_type", "Invoca: the transaction type"),
    ("source", "traffic source"),
    ("medium", "traffic medium"),
    ("campaign", "campaign"),
    ("keywords", "search keywords"),
    ("landing_page", "landing page URL"),
    ("referrer", "referring URL"),
    ("gclid", "Google click id"),
    ("gbraid", "Google iOS app click id"),
    ("wbraid", "Google iOS web click id"),
    ("fbclid", "Meta click id"),
    ("msclkid", "Microsoft click id"),
];

/// A vendor's starting mapping, from `core/data/ingest_mappings.json`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Preset {
    /// What the vendor is and how its body is set up.
    pub about: String,
    /// Canonical field → paths.
    pub fields: BTreeMap<String, Paths>,
    /// Vendor value → outcome.
    pub dispositions: BTreeMap<String, Outcome>,
    /// Direction values that mean outbound.
    pub outbound_values: Vec<String>,
    /// Location paths.
    pub location_fields: Vec<String>,
    /// Duration units.
    pub duration_unit: DurationUnit,
    /// Time format.
    pub time_format: Option<String>,
}

fn presets() -> &'static BTreeMap<String, Preset> {
    static PRESETS: OnceLock<BTreeMap<String, Preset>> = OnceLock::new();
    PRESETS.get_or_init(|| {
        // The file is part of the crate and checked by a unit test; an error here is a
        // build defect, so the empty table only guards the host.
        serde_json::from_str(PRESETS_JSON).unwrap_or_default()
    })
}

/// The starting mapping of a templated vendor (`ringostat`, `dialogtech`, `callsource`,
/// `invoca`, `custom`).
pub fn preset(vendor: &str) -> Option<&'static Preset> {
    presets().get(vendor)
}

/// Normalizes a vendor value for the tables: lower case, `+ _ -` as spaces, single spaces.
pub fn normalize_value(v: &str) -> String {
    v.to_lowercase()
        .replace(['+', '_', '-'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Reads a body in any of the accepted encodings into a JSON value.
pub(crate) fn body(payload: &str, vendor: &str) -> Result<Value> {
    let t = payload.trim();
    if t.starts_with('{') || t.starts_with('[') {
        let v = parse_json_body(t, vendor)?;
        // A JSON-RPC request carries the call in `params`.
        if let Some(params) = v.get("params").filter(|p| p.is_object()) {
            if v.get("jsonrpc").is_some() || v.get("method").is_some() {
                return Ok(params.clone());
            }
        }
        return Ok(v);
    }
    let first = t.lines().next().unwrap_or("");
    let target = match first.split_whitespace().collect::<Vec<_>>().as_slice() {
        [method, target, version]
            if version.starts_with("HTTP/") && method.chars().all(|c| c.is_ascii_uppercase()) =>
        {
            *target
        }
        _ => t,
    };
    let query = match target.split_once('?') {
        Some((_, q)) => q,
        None => target,
    };
    let query = query.split('#').next().unwrap_or(query);
    form::to_object(query)
}

/// The value at `path` under `root`: an exact key first (keys may hold dots or spaces),
/// then dotted segments with `[n]` list indexes.
pub(crate) fn lookup<'a>(root: &'a Value, path: &str) -> Option<&'a Value> {
    if let Some(v) = root.get(path) {
        return Some(v).filter(|v| !v.is_null());
    }
    let mut cur = root;
    for seg in path.split('.') {
        let (name, rest) = match seg.find('[') {
            Some(i) => (&seg[..i], &seg[i..]),
            None => (seg, ""),
        };
        if !name.is_empty() {
            cur = cur.get(name)?;
        }
        let mut rest = rest;
        while let Some(r) = rest.strip_prefix('[') {
            let (idx, after) = r.split_once(']')?;
            cur = cur.get(idx.trim().parse::<usize>().ok()?)?;
            rest = after;
        }
    }
    Some(cur).filter(|v| !v.is_null())
}

/// A body read through a field table.
pub(crate) struct Template<'a> {
    root: &'a Value,
    fields: BTreeMap<String, Vec<String>>,
    unit: DurationUnit,
    time_format: Option<String>,
}

impl<'a> Template<'a> {
    /// A template over `root` with `defaults` (canonical → paths), overridden field by field
    /// by each of `overrides` in order.
    pub fn new(
        root: &'a Value,
        defaults: impl IntoIterator<Item = (String, Vec<String>)>,
        overrides: &[&BTreeMap<String, Paths>],
        unit: DurationUnit,
        time_format: Option<String>,
    ) -> Self {
        let mut fields: BTreeMap<String, Vec<String>> = defaults.into_iter().collect();
        for o in overrides {
            for (k, p) in *o {
                fields.insert(k.clone(), p.list());
            }
        }
        Template {
            root,
            fields,
            unit,
            time_format,
        }
    }

    /// The paths of a canonical field.
    pub fn paths(&self, canonical: &str) -> &[String] {
        self.fields.get(canonical).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The first present value of a field with its path.
    pub fn value(&self, canonical: &str) -> Option<(&'a Value, String)> {
        let root = self.root;
        self.paths(canonical)
            .iter()
            .find_map(|p| lookup(root, p).map(|v| (v, p.clone())))
    }

    /// Whether any path of the field is present.
    pub fn has(&self, canonical: &str) -> bool {
        self.value(canonical).is_some()
    }

    /// The path reported for a field: the present one, else the first configured.
    pub fn key(&self, canonical: &str) -> String {
        self.value(canonical)
            .map(|(_, p)| p)
            .or_else(|| self.paths(canonical).first().cloned())
            .unwrap_or_else(|| canonical.to_string())
    }

    /// Text (strings trimmed, numbers rendered); blank is missing.
    pub fn text(&self, canonical: &str) -> Result<Option<String>> {
        for p in self.paths(canonical) {
            let Some(v) = lookup(self.root, p) else {
                continue;
            };
            match v {
                Value::String(s) if s.trim().is_empty() => continue,
                Value::String(s) => return Ok(Some(s.trim().to_string())),
                Value::Number(n) => return Ok(Some(n.to_string())),
                Value::Bool(b) => return Ok(Some(b.to_string())),
                other => {
                    return Err(Error::new(
                        ErrorCode::InvalidEvent,
                        p.clone(),
                        format!(
                            "expected a string or a number, got {}",
                            fields::type_name(other)
                        ),
                    ))
                }
            }
        }
        Ok(None)
    }

    /// A duration in whole seconds, in the template's unit.
    pub fn seconds(&self, canonical: &str) -> Result<Option<u32>> {
        let Some((v, path)) = self.value(canonical) else {
            return Ok(None);
        };
        let wrapper = serde_json::json!({ "v": v });
        let node = Node::root(&wrapper);
        let f = node
            .number("v")
            .map_err(|e| Error::new(e.code, path.clone(), e.message))?;
        match f {
            None => Ok(None),
            Some(f) if f < 0.0 => Err(Error::new(
                ErrorCode::InvalidEvent,
                path,
                format!("a duration cannot be negative ({f})"),
            )),
            Some(f) => Ok(Some(
                (f / self.unit.per_second()).round().min(u32::MAX as f64) as u32,
            )),
        }
    }

    /// A time, read with the template's format; zoneless times in `zone`.
    pub fn time(&self, canonical: &str, zone: Option<TimeZone>) -> Result<Option<Timestamp>> {
        let Some((v, path)) = self.value(canonical) else {
            return Ok(None);
        };
        let err = |m: String| Error::new(ErrorCode::InvalidTimestamp, path.clone(), m);
        let format = self.time_format.as_deref().map(str::trim).unwrap_or("auto");
        let number = || -> Option<f64> {
            match v {
                Value::Number(n) => n.as_f64(),
                Value::String(s) => s.trim().parse().ok(),
                _ => None,
            }
        };
        match format {
            "" | "auto" => {
                if v.as_str().is_some_and(|s| s.trim().is_empty()) {
                    return Ok(None);
                }
                super::time::from_value(v, zone).map(Some).map_err(err)
            }
            "epoch_seconds" => match number() {
                Some(s) => super::time::from_epoch_millis(s * 1000.0)
                    .map(Some)
                    .map_err(err),
                None => Err(err("expected epoch seconds".to_string())),
            },
            "epoch_millis" => match number() {
                Some(ms) => super::time::from_epoch_millis(ms).map(Some).map_err(err),
                None => Err(err("expected epoch milliseconds".to_string())),
            },
            f => {
                let Some(s) = v.as_str().map(str::trim) else {
                    return Err(err(format!(
                        "expected a time string in the format `{}`",
                        fields::clip(f)
                    )));
                };
                if let Ok(d) = DateTime::parse_from_str(s, f) {
                    return Ok(Some(Timestamp(d)));
                }
                match NaiveDateTime::parse_from_str(s, f) {
                    Ok(naive) => match zone {
                        Some(z) => Ok(Some(super::time::local(naive, z))),
                        None => Err(err(format!(
                            "`{}` has no offset; set `mapping.time_zone`, \
                             `location_time_zones` or `time_zone` in the ingest options",
                            fields::clip(s)
                        ))),
                    },
                    Err(e) => Err(err(format!(
                        "`{}` does not match the time format `{}` ({e})",
                        fields::clip(s),
                        fields::clip(f)
                    ))),
                }
            }
        }
    }
}

/// Checks the integrator's mapping: every field name is canonical, the time format is
/// usable. Errors carry the path under `options.mapping`.
pub(crate) fn validate(m: &MappingOptions) -> Result<()> {
    for k in m.fields.keys() {
        if !CANONICAL.iter().any(|(c, _)| c == k) {
            return Err(Error::new(
                ErrorCode::InvalidEvent,
                format!("options.mapping.fields.{k}"),
                format!(
                    "unknown canonical field `{}`; expected one of {}",
                    fields::clip(k),
                    CANONICAL
                        .iter()
                        .map(|(c, _)| *c)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
    }
    Ok(())
}

/// The outcome of a vendor value through the integrator's table, then the preset's.
fn lookup_outcome(value: &str, user: &MappingOptions, preset: &Preset) -> Option<Outcome> {
    let n = normalize_value(value);
    let find = |t: &BTreeMap<String, Outcome>| {
        t.iter()
            .find(|(k, _)| normalize_value(k) == n)
            .map(|(_, o)| *o)
    };
    find(&user.dispositions).or_else(|| find(&preset.dispositions))
}

/// Parses the body of a templated vendor (`ringostat`, `dialogtech`, `callsource`,
/// `custom`) with its starting mapping and the integrator's `options.mapping`.
pub fn parse(vendor: &'static str, payload: &str, options: &IngestOptions) -> Result<Ingested> {
    let user = &options.mapping;
    validate(user)?;
    let empty = Preset::default();
    let preset = preset(vendor).unwrap_or(&empty);
    let root = body(payload, vendor)?;
    let unit = user.duration_unit.unwrap_or(preset.duration_unit);
    let format = user.time_format.clone().or(preset.time_format.clone());
    let defaults = preset.fields.iter().map(|(k, p)| (k.clone(), p.list()));
    let t = Template::new(&root, defaults, &[&user.fields], unit, format);
    let expected = if vendor == "custom" {
        "a body with the fields set in options.mapping.fields (at least `event_id` and \
         `disposition` or `talk_duration`)"
            .to_string()
    } else {
        format!(
            "a {vendor} call (`{}` with `{}` or `{}`; set options.mapping.fields for this \
             customer's own names)",
            t.key("event_id"),
            t.key("disposition"),
            t.key("talk_duration")
        )
    };
    // Without a disposition, a talk duration alone classifies only when the integrator
    // mapped it: the starting mappings' duration names are too common to identify a body.
    let talk_mapped = user.fields.contains_key("talk_duration") && t.has("talk_duration");
    if !root.is_object() || !t.has("event_id") || !(t.has("disposition") || talk_mapped) {
        return Err(fields::not_vendor(vendor, &expected));
    }

    if let Some(dir) = t.text("direction")? {
        let d = normalize_value(&dir);
        let outbound = preset
            .outbound_values
            .iter()
            .chain(&user.outbound_values)
            .any(|o| normalize_value(o) == d);
        if outbound {
            return Ok(Ingested::not_missed(format!("outbound call ({dir})")));
        }
    }
    let raw = t.text("disposition")?;
    let talk = t.seconds("talk_duration")?;
    let outcome = match raw.as_deref() {
        Some(v) => match lookup_outcome(v, user, preset) {
            Some(o) => o,
            None if talk.unwrap_or(0) > 0 => Outcome::Answered,
            None => {
                return Err(Error::new(
                    ErrorCode::UnsupportedPayload,
                    t.key("disposition"),
                    format!(
                        "`{}` is not a known {vendor} disposition; map it in \
                         options.mapping.dispositions (to no_answer, busy, voicemail, \
                         abandoned, failed, answered, not_missed, ...)",
                        fields::clip(v)
                    ),
                ))
            }
        },
        None => match talk {
            Some(s) if s > 0 => Outcome::Answered,
            _ => Outcome::NoAnswer,
        },
    };
    let raw_disposition = raw.clone().unwrap_or_else(|| "talk_duration=0".to_string());
    let disposition = match outcome {
        Outcome::Answered => {
            return Ok(Ingested::not_missed(format!(
                "answered ({raw_disposition})"
            )))
        }
        Outcome::NotMissed => {
            return Ok(Ingested::not_missed(format!(
                "not a missed call ({raw_disposition})"
            )))
        }
        Outcome::Incomplete => {
            return Ok(Ingested::incomplete(format!(
                "not the end of the call ({raw_disposition})"
            )))
        }
        o => o.disposition().unwrap_or(Disposition::NoAnswer),
    };

    let mut keys = Vec::new();
    if let Some(v) = t.text("location")? {
        keys.push(Key::Location {
            value: v,
            path: t.key("location"),
        });
    }
    let location_paths: Vec<String> = user
        .location_fields
        .iter()
        .chain(&preset.location_fields)
        .cloned()
        .collect();
    for canonical in ["tracking_number", "destination"] {
        if let Some(v) = t.text(canonical)? {
            keys.push(Key::Number {
                value: v,
                path: t.key(canonical),
            });
        }
    }
    for p in &location_paths {
        if let Some(v) = lookup(&root, p) {
            let value = match v {
                Value::String(s) => s.trim().to_string(),
                Value::Number(n) => n.to_string(),
                _ => continue,
            };
            keys.push(Key::Id {
                value,
                path: p.clone(),
            });
        }
    }
    let zone = match user.time_zone {
        Some(z) => Some(z),
        None => fields::zone_for(vendor, &keys, options)?,
    };
    let id = t.text("event_id")?;
    let id = Node::root(&root).required(&t.key("event_id"), id, "the call id")?;
    let started = t.time("start_time", zone)?;
    let started = fields::time_or_received(
        started,
        options,
        &t.key("start_time"),
        "the body has no start time",
    )?;
    let mut d = Draft::new(vendor, id, started, disposition);
    d.raw_disposition = Some(raw_disposition);
    d.caller = t.text("caller")?;
    d.caller_name = t.text("caller_name")?;
    d.tracking_number = t.text("tracking_number")?;
    d.duration_seconds = t.seconds("duration")?;
    d.ring_seconds = t.seconds("ring_duration")?;
    let vm_url = t.text("voicemail_url")?;
    let vm_text = t.text("voicemail_transcript")?;
    if vm_url.is_some() || vm_text.is_some() || disposition == Disposition::Voicemail {
        d.voicemail = Some(Voicemail {
            transcript: vm_text,
            duration_seconds: t.seconds("voicemail_duration")?,
            recording_url: vm_url,
        });
    }
    d.attribution = attribution(&t, &root)?;
    d.location_keys = keys;
    d.finish(options)
}

/// The attribution fields of a template, with `utm_*` keys of a flat body and click ids
/// from the landing page.
pub(crate) fn attribution(t: &Template<'_>, root: &Value) -> Result<Attribution> {
    let mut a = Attribution {
        source: t.text("source")?,
        medium: t.text("medium")?,
        campaign: t.text("campaign")?,
        keywords: t.text("keywords")?,
        landing_page: t.text("landing_page")?,
        referrer: t.text("referrer")?,
        gclid: t.text("gclid")?,
        gbraid: t.text("gbraid")?,
        wbraid: t.text("wbraid")?,
        fbclid: t.text("fbclid")?,
        msclkid: t.text("msclkid")?,
        utm: Default::default(),
    };
    if let Some(map) = root.as_object() {
        for (k, v) in map {
            if let (Some(name), Some(v)) = (k.strip_prefix("utm_"), v.as_str()) {
                if !v.trim().is_empty() {
                    a.utm.insert(name.to_string(), v.trim().to_string());
                }
            }
        }
    }
    let landing = a.landing_page.clone();
    click_ids_from_url(&mut a, landing.as_deref());
    Ok(a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_load_and_use_canonical_names() {
        let all: BTreeMap<String, Preset> =
            serde_json::from_str(PRESETS_JSON).expect("core/data/ingest_mappings.json");
        for vendor in ["ringostat", "dialogtech", "callsource", "custom"] {
            let p = all.get(vendor).unwrap_or_else(|| panic!("preset {vendor}"));
            assert!(!p.about.is_empty(), "{vendor}");
            for k in p.fields.keys() {
                assert!(
                    CANONICAL.iter().any(|(c, _)| c == k),
                    "{vendor}: unknown field {k}"
                );
            }
        }
        assert_eq!(presets().len(), all.len());
    }

    #[test]
    fn paths_and_values() {
        let v = serde_json::json!({"a": {"b": [{"c": 7}]}, "x.y": 1, "Lead Summary": "s"});
        assert_eq!(lookup(&v, "a.b[0].c"), Some(&serde_json::json!(7)));
        assert_eq!(lookup(&v, "x.y"), Some(&serde_json::json!(1)));
        assert_eq!(lookup(&v, "Lead Summary"), Some(&serde_json::json!("s")));
        assert_eq!(lookup(&v, "a.b[3].c"), None);
        assert_eq!(lookup(&v, "a.b[x]"), None);
        assert_eq!(normalize_value(" NO+ANSWER "), "no answer");
        assert_eq!(normalize_value("no_answer"), "no answer");
        assert_eq!(normalize_value("NO-FORWARD"), "no forward");
    }

    #[test]
    fn bodies() {
        let q = body("GET /hook?caller=3125550143&x=a%20b HTTP/1.1\nHost: h", "t").unwrap();
        assert_eq!(q["caller"], "3125550143");
        assert_eq!(q["x"], "a b");
        let u = body("https://h.example/p?id=1", "t").unwrap();
        assert_eq!(u["id"], "1");
        let rpc = body(
            r#"{"jsonrpc":"2.0","method":"call","params":{"id":2}}"#,
            "t",
        )
        .unwrap();
        assert_eq!(rpc["id"], 2);
    }
}
