//! The integrator's mapping from what a vendor payload says (the tracking number that was
//! dialled, the vendor's number / company / team / office id) to a ringback location id.
//!
//! [`IngestOptions::location_map`](crate::ingest::IngestOptions::location_map) keys are tracking
//! numbers in any format (matched on their E.164 form) or vendor ids (matched exactly,
//! either bare or prefixed with the vendor: `aircall:397375`). The payload's keys are
//! tried in the vendor's order (tracking number first); when none is in the map the
//! `default_location` applies; otherwise the payload is `unknown_location`.

use super::options::IngestOptions;
use crate::error::{Error, ErrorCode, Result};
use crate::phone;

/// One thing from the payload that may identify the location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Key {
    /// A phone number (tracking number, called number).
    Number {
        /// The value as sent.
        value: String,
        /// Its JSON path in the payload.
        path: String,
    },
    /// A vendor id (number id, company id, team id, office id).
    Id {
        /// The value as sent.
        value: String,
        /// Its JSON path in the payload.
        path: String,
    },
    /// A ringback location id the payload names itself (metadata the integrator set on
    /// the call or the AI agent: Retell `metadata.location_id`, the mapping's `location`
    /// field): mapped when the map has it, else used as it is.
    Location {
        /// The value as sent.
        value: String,
        /// Its JSON path in the payload.
        path: String,
    },
}

impl Key {
    fn path(&self) -> &str {
        match self {
            Key::Number { path, .. } | Key::Id { path, .. } | Key::Location { path, .. } => path,
        }
    }

    fn value(&self) -> &str {
        match self {
            Key::Number { value, .. } | Key::Id { value, .. } | Key::Location { value, .. } => {
                value
            }
        }
    }
}

/// The last four digits, for a cheap pre-filter before normalizing a map key.
fn last_digits(s: &str) -> impl Iterator<Item = u8> + '_ {
    s.bytes().rev().filter(u8::is_ascii_digit).take(4)
}

/// The E.164 comparison form of a number.
fn normalize(raw: &str, region: phonenumber::country::Id) -> Option<String> {
    super::number::e164(raw, region, super::number::Hint::Any)
        .or_else(|| phone::match_key(raw, region))
}

/// Finds the location for `keys` (in order) in the options' map, else the default.
pub fn resolve(vendor: &str, keys: &[Key], options: &IngestOptions) -> Result<String> {
    let map = &options.location_map;
    let region = options.region_id()?;
    for key in keys {
        let value = key.value().trim();
        if value.is_empty() {
            continue;
        }
        if let Some(loc) = map
            .get(&format!("{vendor}:{value}"))
            .or_else(|| map.get(value))
        {
            return Ok(loc.clone());
        }
        if let Key::Location { .. } = key {
            return Ok(value.to_string());
        }
        if let Key::Number { .. } = key {
            let Some(want) = normalize(value, region) else {
                continue;
            };
            let found = map.iter().find(|(k, _)| {
                last_digits(k).eq(last_digits(&want))
                    && normalize(k, region).as_deref() == Some(want.as_str())
            });
            if let Some((_, loc)) = found {
                return Ok(loc.clone());
            }
        }
    }
    if let Some(d) = options.default_location.as_deref() {
        if !d.trim().is_empty() {
            return Ok(d.to_string());
        }
    }
    let tried: Vec<String> = keys
        .iter()
        .filter(|k| !k.value().trim().is_empty())
        .map(|k| format!("{} `{}`", k.path(), super::text::clip(k.value())))
        .collect();
    Err(Error::new(
        ErrorCode::UnknownLocation,
        keys.first().map(Key::path).unwrap_or(""),
        if tried.is_empty() {
            format!(
                "the {vendor} payload names no number or id to map, and no default_location is set"
            )
        } else {
            format!(
                "none of {} is in location_map, and no default_location is set",
                tried.join(", ")
            )
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(json: &str) -> IngestOptions {
        IngestOptions::from_json(json).unwrap()
    }

    fn number(v: &str) -> Key {
        Key::Number {
            value: v.to_string(),
            path: "to".to_string(),
        }
    }

    fn id(v: &str) -> Key {
        Key::Id {
            value: v.to_string(),
            path: "number.id".to_string(),
        }
    }

    #[test]
    fn numbers_in_any_format_and_ids() {
        let o = options(
            r#"{"location_map": {"(404) 555-8514": "atl", "aircall:397375": "vie",
                 "155920786": "boost", "+44 330 818 6690": "lon"}}"#,
        );
        assert_eq!(
            resolve("callrail", &[number("+14045558514")], &o).unwrap(),
            "atl"
        );
        assert_eq!(
            resolve("invoca", &[number("404-555-8514")], &o).unwrap(),
            "atl"
        );
        assert_eq!(
            resolve("vonage", &[number("443308186690")], &o).unwrap(),
            "lon"
        );
        assert_eq!(resolve("aircall", &[id("397375")], &o).unwrap(), "vie");
        assert_eq!(
            resolve("dialpad", &[id("397375")], &o).unwrap_err().code,
            ErrorCode::UnknownLocation
        );
        assert_eq!(
            resolve("callrail", &[number("+19995550000"), id("155920786")], &o).unwrap(),
            "boost"
        );
    }

    #[test]
    fn default_and_unknown() {
        let o = options(r#"{"default_location": "hq"}"#);
        assert_eq!(
            resolve("zoom", &[number("+14155550100")], &o).unwrap(),
            "hq"
        );
        let e = resolve("zoom", &[number("+14155550100")], &IngestOptions::default()).unwrap_err();
        assert_eq!(e.code, ErrorCode::UnknownLocation);
        assert_eq!(e.path, "to");
        assert!(e.message.contains("+14155550100"), "{}", e.message);
    }
}
