//! Timestamp and time-zone newtypes whose deserialization errors carry their own codes.

use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};
use chrono_tz::Tz;
use schemars::JsonSchema;
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;

use crate::error::{TIMESTAMP_MARK, TIME_ZONE_MARK};

/// An RFC 3339 timestamp with an explicit offset (`2026-11-24T09:15:00-07:00`).
/// The offset is kept so that outputs echo what came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub DateTime<FixedOffset>);

impl Timestamp {
    /// Parses RFC 3339 text; a missing offset is an error.
    pub fn parse(text: &str) -> Result<Self, String> {
        DateTime::parse_from_rfc3339(text.trim())
            .map(Timestamp)
            .map_err(|e| format!("`{text}` is not an RFC 3339 timestamp with offset ({e})"))
    }

    /// The instant in UTC.
    pub fn utc(&self) -> DateTime<Utc> {
        self.0.with_timezone(&Utc)
    }

    /// Builds a timestamp from a UTC instant (offset `Z`).
    pub fn from_utc(t: DateTime<Utc>) -> Self {
        Timestamp(t.fixed_offset())
    }

    /// RFC 3339 text, seconds precision unless the value has sub-seconds.
    pub fn to_rfc3339(&self) -> String {
        let mut buf = [0u8; 25];
        match self.whole_seconds_text(&mut buf) {
            Some(text) => text.to_string(),
            None => self.0.to_rfc3339_opts(SecondsFormat::AutoSi, true),
        }
    }

    /// The common case written without chrono's formatter (a decision has about ten
    /// timestamps): whole seconds, a four-digit year and an offset of whole minutes. The
    /// same text `to_rfc3339_opts(AutoSi, true)` gives (a property test checks); `None`
    /// for anything else.
    fn whole_seconds_text<'b>(&self, buf: &'b mut [u8; 25]) -> Option<&'b str> {
        use chrono::{Datelike, Timelike};
        let offset = self.0.offset().local_minus_utc();
        // The local date and time, computed once (each accessor on the zoned value would
        // add the offset again).
        let t = self.0.naive_local();
        if t.nanosecond() != 0 || !(0..=9999).contains(&t.year()) || offset % 60 != 0 {
            return None;
        }
        fn two(out: &mut [u8], v: u32) {
            out[0] = b'0' + (v / 10 % 10) as u8;
            out[1] = b'0' + (v % 10) as u8;
        }
        let year = t.year() as u32;
        two(&mut buf[0..2], year / 100);
        two(&mut buf[2..4], year % 100);
        buf[4] = b'-';
        two(&mut buf[5..7], t.month());
        buf[7] = b'-';
        two(&mut buf[8..10], t.day());
        buf[10] = b'T';
        two(&mut buf[11..13], t.hour());
        buf[13] = b':';
        two(&mut buf[14..16], t.minute());
        buf[16] = b':';
        two(&mut buf[17..19], t.second());
        let len = if offset == 0 {
            buf[19] = b'Z';
            20
        } else {
            let minutes = offset.unsigned_abs() / 60;
            buf[19] = if offset < 0 { b'-' } else { b'+' };
            two(&mut buf[20..22], minutes / 60);
            buf[22] = b':';
            two(&mut buf[23..25], minutes % 60);
            25
        };
        std::str::from_utf8(&buf[..len]).ok()
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut buf = [0u8; 25];
        match self.whole_seconds_text(&mut buf) {
            Some(text) => s.serialize_str(text),
            None => s.serialize_str(&self.0.to_rfc3339_opts(SecondsFormat::AutoSi, true)),
        }
    }
}

/// Visits a string and parses it with `parse`; any other JSON type is an error carrying
/// `mark`, so that it maps to the specific error code. Syntax errors pass through untouched.
struct MarkedStr<T> {
    mark: &'static str,
    what: &'static str,
    parse: fn(&str) -> Result<T, String>,
}

impl<'de, T> de::Visitor<'de> for MarkedStr<T> {
    type Value = T;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(self.what)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        (self.parse)(v).map_err(|m| E::custom(format!("{}{m}", self.mark)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        Err(E::custom(format!(
            "{}expected {}, got the number {v}",
            self.mark, self.what
        )))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        Err(E::custom(format!(
            "{}expected {}, got the number {v}",
            self.mark, self.what
        )))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        Err(E::custom(format!(
            "{}expected {}, got the number {v}",
            self.mark, self.what
        )))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<T, E> {
        Err(E::custom(format!(
            "{}expected {}, got {v}",
            self.mark, self.what
        )))
    }
    fn visit_unit<E: de::Error>(self) -> Result<T, E> {
        Err(E::custom(format!(
            "{}expected {}, got null",
            self.mark, self.what
        )))
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, _: A) -> Result<T, A::Error> {
        Err(de::Error::custom(format!(
            "{}expected {}, got an array",
            self.mark, self.what
        )))
    }
    fn visit_map<A: de::MapAccess<'de>>(self, _: A) -> Result<T, A::Error> {
        Err(de::Error::custom(format!(
            "{}expected {}, got an object",
            self.mark, self.what
        )))
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(MarkedStr {
            mark: TIMESTAMP_MARK,
            what: "an RFC 3339 timestamp string",
            parse: Timestamp::parse,
        })
    }
}

impl JsonSchema for Timestamp {
    fn schema_name() -> Cow<'static, str> {
        "Timestamp".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "format": "date-time",
            "description": "RFC 3339 timestamp with offset"
        })
    }
}

/// An IANA time-zone id (`America/Phoenix`), validated against the tz database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TimeZone(pub Tz);

impl TimeZone {
    /// Parses an IANA zone id.
    pub fn parse(text: &str) -> Result<Self, String> {
        text.parse::<Tz>()
            .map(TimeZone)
            .map_err(|_| format!("`{text}` is not an IANA time zone id"))
    }

    /// The zone id.
    pub fn name(&self) -> &'static str {
        self.0.name()
    }
}

impl Serialize for TimeZone {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0.name())
    }
}

impl<'de> Deserialize<'de> for TimeZone {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(MarkedStr {
            mark: TIME_ZONE_MARK,
            what: "an IANA time zone id string",
            parse: TimeZone::parse,
        })
    }
}

impl JsonSchema for TimeZone {
    fn schema_name() -> Cow<'static, str> {
        "TimeZone".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "IANA time zone id, e.g. America/Phoenix"
        })
    }
}
