//! Every time format the vendors send, to one [`Timestamp`]:
//!
//! * ISO 8601 / RFC 3339 with an offset (`2018-02-19T13:41:00.236-05:00`, `…Z`);
//! * `YYYY-MM-DD HH:MM:SS -07:00` (Invoca `start_time_local`);
//! * RFC 2822 (`Wed, 08 Oct 2025 13:54:12 +0000`, Twilio);
//! * epoch seconds (Aircall) and milliseconds (Dialpad, Invoca `start_time_utc`), as
//!   numbers or digit strings; values of 10^11 and more are milliseconds;
//! * zoneless local time (`2012-08-17 10:24 AM`, CTM; `2018-02-19 18:41:00`) read in the
//!   company zone passed by the integrator. A local time that a DST change skips is moved
//!   forward by the gap; one that occurs twice takes the earlier instant.
//!
//! Offsets that came in are kept; epoch values are given in UTC.

use chrono::{DateTime, Duration, LocalResult, NaiveDateTime, Offset, TimeZone as _, Utc};
use serde_json::Value;

use crate::model::time::{TimeZone, Timestamp};

/// Epoch values at or above this are milliseconds (10^11 s is the year 5138).
const MILLIS_THRESHOLD: f64 = 1e11;

/// Longest time text looked at.
const MAX_LEN: usize = 64;

/// Formats that carry their own offset.
const WITH_OFFSET: [&str; 9] = [
    "%Y-%m-%d %H:%M:%S%.f %:z",
    "%Y-%m-%d %H:%M:%S%.f %z",
    "%Y-%m-%d %H:%M:%S%.f%:z",
    "%Y-%m-%dT%H:%M:%S%.f%z",
    "%Y-%m-%d %H:%M %:z",
    "%Y-%m-%d %I:%M %p %:z",
    "%Y-%m-%d %I:%M:%S %p %:z",
    "%Y-%m-%d %I:%M %p %z",
    "%Y-%m-%d %H:%M:%S%.f%#z",
];

/// Formats without an offset.
const ZONELESS: [&str; 10] = [
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %I:%M %p",
    "%Y-%m-%d %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
];

/// Parses a JSON value: a string in any supported format, or an epoch number.
pub fn from_value(value: &Value, zone: Option<TimeZone>) -> Result<Timestamp, String> {
    match value {
        Value::String(s) => parse(s, zone),
        Value::Number(n) => match n.as_f64() {
            Some(f) => from_epoch(f),
            None => Err(format!("`{n}` is not a usable epoch time")),
        },
        other => Err(format!(
            "expected a time string or an epoch number, got {}",
            super::text::type_name(other)
        )),
    }
}

/// Parses time text in any supported format. `zone` reads zoneless times.
pub fn parse(text: &str, zone: Option<TimeZone>) -> Result<Timestamp, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("empty time".to_string());
    }
    if t.len() > MAX_LEN {
        return Err(format!("`{}` is not a time", super::text::clip(t)));
    }
    if t.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return match t.parse::<f64>() {
            Ok(f) => from_epoch(f),
            Err(_) => Err(format!("`{t}` is not an epoch time")),
        };
    }
    if let Ok(d) = DateTime::parse_from_rfc3339(t) {
        return Ok(Timestamp(d));
    }
    if let Ok(d) = DateTime::parse_from_rfc2822(t) {
        return Ok(Timestamp(d));
    }
    for f in WITH_OFFSET {
        if let Ok(d) = DateTime::parse_from_str(t, f) {
            return Ok(Timestamp(d));
        }
    }
    // A trailing `UTC`/`GMT`/`Z` names the zone.
    for suffix in [" UTC", " GMT", "Z", " Z"] {
        if let Some(rest) = t.strip_suffix(suffix) {
            if let Some(naive) = zoneless(rest) {
                return Ok(Timestamp::from_utc(naive.and_utc()));
            }
        }
    }
    let Some(naive) = zoneless(t) else {
        return Err(format!(
            "`{t}` is not a time in a known format (ISO 8601 with offset, RFC 2822, epoch \
             seconds or milliseconds, or local `YYYY-MM-DD HH:MM[:SS]` / `HH:MM AM`)"
        ));
    };
    match zone {
        Some(z) => Ok(local(naive, z)),
        None => Err(format!(
            "`{t}` has no offset; pass the company `time_zone` (or the location's zone in `location_time_zones`) in the ingest options"
        )),
    }
}

/// A wall-clock time without a zone, in any of the zoneless formats.
pub(crate) fn naive(t: &str) -> Option<NaiveDateTime> {
    zoneless(t.trim().trim_end_matches('Z'))
}

fn zoneless(t: &str) -> Option<NaiveDateTime> {
    let t = t.trim();
    ZONELESS
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(t, f).ok())
}

/// Reads a wall-clock time in `zone`.
pub fn local(naive: NaiveDateTime, zone: TimeZone) -> Timestamp {
    match resolve_local(naive, zone.0) {
        Some(d) => Timestamp(d.fixed_offset()),
        // Only at the very ends of the calendar; read as UTC rather than fail.
        None => Timestamp::from_utc(naive.and_utc()),
    }
}

fn resolve_local(naive: NaiveDateTime, tz: chrono_tz::Tz) -> Option<DateTime<chrono_tz::Tz>> {
    match tz.from_local_datetime(&naive) {
        LocalResult::Single(d) => Some(d),
        LocalResult::Ambiguous(a, b) => Some(a.min(b)),
        LocalResult::None => {
            // In a DST gap: read the wall clock with the offset in force before the gap,
            // which moves it forward by the gap's length.
            let before = naive.checked_sub_signed(Duration::hours(3))?;
            let before = tz.from_local_datetime(&before).earliest()?;
            let offset = before.offset().fix().local_minus_utc();
            let utc = naive.checked_sub_signed(Duration::seconds(i64::from(offset)))?;
            Some(tz.from_utc_datetime(&utc))
        }
    }
}

/// An epoch number: seconds, or milliseconds from 10^11 up.
pub fn from_epoch(value: f64) -> Result<Timestamp, String> {
    if value.abs() >= MILLIS_THRESHOLD {
        from_epoch_millis(value)
    } else {
        from_epoch_millis(value * 1000.0)
    }
}

/// Epoch milliseconds to a UTC timestamp.
pub fn from_epoch_millis(ms: f64) -> Result<Timestamp, String> {
    if !(0.0..=253_402_300_799_000.0).contains(&ms) {
        return Err(format!("`{ms}` is not an epoch time between 1970 and 9999"));
    }
    let ms = ms.round() as i64;
    Utc.timestamp_millis_opt(ms)
        .single()
        .map(Timestamp::from_utc)
        .ok_or_else(|| format!("`{ms}` is not an epoch time"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tz(name: &str) -> Option<TimeZone> {
        TimeZone::parse(name).ok()
    }

    fn rfc(t: Timestamp) -> String {
        t.to_rfc3339()
    }

    #[test]
    fn every_format() {
        let cases: [(&str, Option<&str>, &str); 12] = [
            (
                "2018-02-19T13:41:00.236-05:00",
                None,
                "2018-02-19T13:41:00.236-05:00",
            ),
            ("2017-06-04T13:36:24.000Z", None, "2017-06-04T13:36:24Z"),
            (
                "2019-01-24 06:43:15 -07:00",
                None,
                "2019-01-24T06:43:15-07:00",
            ),
            (
                "Wed, 08 Oct 2025 13:54:12 +0000",
                None,
                "2025-10-08T13:54:12Z",
            ),
            ("1646389739", None, "2022-03-04T10:28:59Z"),
            ("1731624039404", None, "2024-11-14T22:40:39.404Z"),
            (
                "2012-08-17 10:24 AM",
                Some("America/New_York"),
                "2012-08-17T10:24:00-04:00",
            ),
            (
                "2012-08-17 10:24 PM",
                Some("America/Phoenix"),
                "2012-08-17T22:24:00-07:00",
            ),
            ("2018-02-19 18:41:00 UTC", None, "2018-02-19T18:41:00Z"),
            (
                "2018-02-19 18:41:00",
                Some("America/Los_Angeles"),
                "2018-02-19T18:41:00-08:00",
            ),
            ("2025-01-14T17:02:00Z", None, "2025-01-14T17:02:00Z"),
            (
                "2025-01-14 17:02:00 +0100",
                None,
                "2025-01-14T17:02:00+01:00",
            ),
        ];
        for (input, zone, want) in cases {
            let got = parse(input, zone.and_then(tz)).map(rfc);
            assert_eq!(got.as_deref(), Ok(want), "{input}");
        }
        assert_eq!(
            from_value(&serde_json::json!(1548337395000u64), None).map(rfc),
            Ok("2019-01-24T13:43:15Z".to_string())
        );
        assert_eq!(
            from_value(&serde_json::json!(1646389739), None).map(rfc),
            Ok("2022-03-04T10:28:59Z".to_string())
        );
    }

    #[test]
    fn zoneless_needs_a_zone_and_bad_text_fails() {
        let e = parse("2012-08-17 10:24 AM", None).unwrap_err();
        assert!(e.contains("time_zone"), "{e}");
        assert!(parse("yesterday", None).is_err());
        assert!(parse("", None).is_err());
        assert!(from_value(&serde_json::json!(true), None).is_err());
        assert!(from_value(&serde_json::json!(-5), None).is_err());
        assert!(from_epoch(f64::NAN).is_err());
        assert!(from_epoch(1e300).is_err());
    }

    #[test]
    fn dst_gap_and_overlap() {
        // 02:30 does not exist on 2025-03-09 in New York: moved forward by the hour.
        assert_eq!(
            rfc(parse("2025-03-09 02:30", tz("America/New_York")).unwrap()),
            "2025-03-09T03:30:00-04:00"
        );
        // 01:30 happens twice on 2025-11-02: the earlier (EDT) instant.
        assert_eq!(
            rfc(parse("2025-11-02 01:30", tz("America/New_York")).unwrap()),
            "2025-11-02T01:30:00-04:00"
        );
    }
}
