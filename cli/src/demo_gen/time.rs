//! Time helpers of the demo week (local wall-clock times at whole-hour offsets, UTC).

use super::*;

// Time helpers

/// Minutes since midnight.
pub(super) const fn t(h: u32, m: u32) -> u32 {
    h * 60 + m
}

pub(super) fn week_start() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 23)
        .unwrap_or_default()
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default()
}

/// Local wall-clock time `minute` of `day` (0 = Monday 2026-11-23).
pub(super) fn local_at(day: u32, minute: u32, second: u32) -> NaiveDateTime {
    week_start() + Duration::seconds(i64::from(day) * 86_400 + i64::from(minute * 60 + second))
}

/// RFC 3339 with a fixed whole-hour offset.
pub(super) fn local_str(at: NaiveDateTime, offset: i32) -> String {
    let sign = if offset < 0 { '-' } else { '+' };
    format!(
        "{}{}{:02}:00",
        at.format("%Y-%m-%dT%H:%M:%S"),
        sign,
        offset.abs()
    )
}

pub(super) fn to_utc(at: NaiveDateTime, offset: i32) -> NaiveDateTime {
    at - Duration::hours(i64::from(offset))
}

pub(super) fn utc_str(at: NaiveDateTime) -> String {
    format!("{}Z", at.format("%Y-%m-%dT%H:%M:%S"))
}

/// A UTC instant `days` after `from` at a daytime hour (for CRM history).
pub(super) fn utc_day(from: NaiveDate, days: u32, second_of_day: u32) -> NaiveDateTime {
    (from + Duration::days(i64::from(days)))
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default()
        + Duration::seconds(i64::from(second_of_day))
}

pub(super) fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

pub(super) fn hm(minute: u32) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}
