//! Business-hours calendars: weekly intervals (split shifts, intervals past midnight),
//! holidays closed or with special hours, evaluated in the location's IANA zone.
//!
//! Intervals are wall-clock: "open 07:00–18:00" means 07:00 to 18:00 on the local clock on
//! every day, whatever the UTC offset is that day. Converting a wall-clock instant back to
//! UTC handles the DST gap (a time that does not exist moves forward to the first instant
//! that does) and overlap (a time that exists twice takes the earlier instant).

use chrono::{DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use std::collections::BTreeMap;

use crate::error::{join_path, Error, ErrorCode, Result};
use crate::model::policy::{Holiday, WeeklyHours};

/// One opening interval in minutes after local midnight of the day it starts;
/// `end` may exceed 1440 when the interval runs past midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interval {
    /// Start, minutes after midnight (0..1440).
    pub start: u16,
    /// End, minutes after the same midnight (start < end <= 2880).
    pub end: u16,
}

/// A special day: a holiday closed all day (no intervals) or with special hours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecialDay {
    /// Label, when the policy gave one.
    pub name: Option<String>,
    /// Intervals that replace the weekday's; empty = closed.
    pub intervals: Vec<Interval>,
}

/// Why a location is open or closed at an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Openness {
    /// Open in a regular weekly interval.
    Open,
    /// Open in a holiday's special hours.
    OpenSpecialHours,
    /// Closed: the date is a holiday with no hours.
    HolidayClosed,
    /// Closed: the date has special hours but the instant is outside them.
    OutsideSpecialHours,
    /// Closed: no interval at all on this weekday.
    ClosedDay,
    /// Closed: outside the weekday's intervals.
    OutsideHours,
}

impl Openness {
    /// Whether the location is open.
    pub fn is_open(self) -> bool {
        matches!(self, Openness::Open | Openness::OpenSpecialHours)
    }

    /// The reason name used in decisions and traces.
    pub fn as_str(self) -> &'static str {
        match self {
            Openness::Open => "open",
            Openness::OpenSpecialHours => "open_special_hours",
            Openness::HolidayClosed => "holiday_closed",
            Openness::OutsideSpecialHours => "outside_special_hours",
            Openness::ClosedDay => "closed_day",
            Openness::OutsideHours => "outside_business_hours",
        }
    }
}

/// A compiled calendar for one location.
#[derive(Debug, Clone)]
pub struct Calendar {
    tz: Tz,
    weekly: [Vec<Interval>; 7],
    special: BTreeMap<NaiveDate, SpecialDay>,
}

const DAY: u16 = 1440;

/// Parses `HH:MM` (00:00–24:00) into minutes after midnight.
fn parse_hhmm(text: &str) -> Option<u16> {
    let (h, m) = text.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    let h: u16 = h.parse().ok()?;
    let m: u16 = m.parse().ok()?;
    if m >= 60 || h > 24 || (h == 24 && m != 0) {
        return None;
    }
    Some(h * 60 + m)
}

fn invalid(path: String, msg: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidPolicy, path, msg)
}

/// Compiles a list of `["HH:MM","HH:MM"]` intervals, checking each and their overlaps.
fn compile_day(list: &[[String; 2]], path: &str) -> Result<Vec<Interval>> {
    let mut out: Vec<(Interval, usize)> = Vec::with_capacity(list.len());
    for (i, [a, b]) in list.iter().enumerate() {
        let p = format!("{path}[{i}]");
        let start = parse_hhmm(a)
            .ok_or_else(|| invalid(format!("{p}[0]"), format!("`{a}` is not a time HH:MM")))?;
        let end = parse_hhmm(b)
            .ok_or_else(|| invalid(format!("{p}[1]"), format!("`{b}` is not a time HH:MM")))?;
        if start == DAY {
            return Err(invalid(
                format!("{p}[0]"),
                "an interval cannot start at 24:00",
            ));
        }
        if start == end {
            return Err(invalid(p, format!("empty interval {a}–{b}")));
        }
        let end = if end < start { end + DAY } else { end };
        out.push((Interval { start, end }, i));
    }
    out.sort_by_key(|(iv, _)| iv.start);
    for w in out.windows(2) {
        let (a, _) = w[0];
        let (b, bi) = w[1];
        if b.start < a.end {
            return Err(invalid(
                format!("{path}[{bi}]"),
                format!("interval {} overlaps {}", fmt_interval(b), fmt_interval(a)),
            ));
        }
    }
    Ok(out.into_iter().map(|(iv, _)| iv).collect())
}

fn fmt_min(m: u16) -> String {
    let m = m % DAY;
    format!("{:02}:{:02}", m / 60, m % 60)
}

fn fmt_interval(iv: Interval) -> String {
    format!("{}–{}", fmt_min(iv.start), fmt_min(iv.end))
}

/// Checks that the spill of one day's overnight intervals does not overlap the next day's.
fn check_spill(prev: &[Interval], next: &[Interval], path: &str) -> Result<()> {
    for p in prev.iter().filter(|p| p.end > DAY) {
        let spill_end = p.end - DAY;
        if let Some(n) = next.iter().find(|n| n.start < spill_end) {
            return Err(invalid(
                path.to_string(),
                format!(
                    "interval {} overlaps the previous day's {} that runs past midnight",
                    fmt_interval(*n),
                    fmt_interval(*p)
                ),
            ));
        }
    }
    Ok(())
}

impl Calendar {
    /// Compiles weekly hours and holidays; `path` is the JSON path of the location
    /// (errors name `path.hours.mon[1]`, `path.holidays[0].date`, ...).
    pub fn compile(tz: Tz, hours: &WeeklyHours, holidays: &[Holiday], path: &str) -> Result<Self> {
        let mut weekly: [Vec<Interval>; 7] = Default::default();
        for (i, (name, list)) in hours.days().iter().enumerate() {
            weekly[i] = compile_day(list, &join_path(path, &format!("hours.{name}")))?;
        }
        for i in 0..7 {
            let next = (i + 1) % 7;
            let name = hours.days()[next].0;
            check_spill(
                &weekly[i],
                &weekly[next],
                &join_path(path, &format!("hours.{name}")),
            )?;
        }
        let mut special = BTreeMap::new();
        for (i, h) in holidays.iter().enumerate() {
            let p = join_path(path, &format!("holidays[{i}]"));
            let date_path = match h {
                Holiday::Closed(_) => p.clone(),
                Holiday::Special(_) => format!("{p}.date"),
            };
            let date = NaiveDate::parse_from_str(h.date(), "%Y-%m-%d").map_err(|_| {
                invalid(
                    date_path.clone(),
                    format!("`{}` is not a date YYYY-MM-DD", h.date()),
                )
            })?;
            let day = match h {
                Holiday::Closed(_) => SpecialDay {
                    name: None,
                    intervals: Vec::new(),
                },
                Holiday::Special(s) => SpecialDay {
                    name: s.name.clone(),
                    intervals: compile_day(&s.hours, &format!("{p}.hours"))?,
                },
            };
            if special.insert(date, day).is_some() {
                return Err(invalid(date_path, format!("date {date} is listed twice")));
            }
        }
        Ok(Calendar {
            tz,
            weekly,
            special,
        })
    }

    /// The location's zone.
    pub fn tz(&self) -> Tz {
        self.tz
    }

    /// The intervals that start on a local date, and whether they come from a special day.
    fn intervals_on(&self, date: NaiveDate) -> (&[Interval], Option<&SpecialDay>) {
        match self.special.get(&date) {
            Some(s) => (&s.intervals, Some(s)),
            None => (
                &self.weekly[date.weekday().num_days_from_monday() as usize],
                None,
            ),
        }
    }

    /// The special day (holiday) on a local date, if any.
    pub fn special_day(&self, date: NaiveDate) -> Option<&SpecialDay> {
        self.special.get(&date)
    }

    /// Whether the location is open at a local wall-clock time, and why.
    pub fn openness_local(&self, local: NaiveDateTime) -> Openness {
        let date = local.date();
        let minute = (local
            .time()
            .signed_duration_since(chrono::NaiveTime::MIN)
            .num_minutes()) as u16;
        let (today, special) = self.intervals_on(date);
        if today.iter().any(|iv| iv.start <= minute && minute < iv.end) {
            return if special.is_some() {
                Openness::OpenSpecialHours
            } else {
                Openness::Open
            };
        }
        if let Some(prev_date) = date.pred_opt() {
            let (prev, prev_special) = self.intervals_on(prev_date);
            if prev.iter().any(|iv| iv.end > DAY && minute + DAY < iv.end) {
                return if prev_special.is_some() {
                    Openness::OpenSpecialHours
                } else {
                    Openness::Open
                };
            }
        }
        match special {
            Some(s) if s.intervals.is_empty() => Openness::HolidayClosed,
            Some(_) => Openness::OutsideSpecialHours,
            None if today.is_empty() => Openness::ClosedDay,
            None => Openness::OutsideHours,
        }
    }

    /// Whether the location is open at an instant, and why.
    pub fn openness(&self, at: DateTime<Utc>) -> Openness {
        self.openness_local(self.local(at))
    }

    /// The wall-clock time at the location.
    pub fn local(&self, at: DateTime<Utc>) -> NaiveDateTime {
        at.with_timezone(&self.tz).naive_local()
    }

    /// Maps a wall-clock time to an instant: earliest in an overlap, first existing instant
    /// after a gap.
    pub fn instant(&self, local: NaiveDateTime) -> DateTime<Utc> {
        resolve_local(self.tz, local)
    }

    /// The first instant at or after `at` when the location is open, looking at most
    /// `horizon_days` ahead. `None` when it never opens in that horizon.
    pub fn next_open(&self, at: DateTime<Utc>, horizon_days: u32) -> Option<DateTime<Utc>> {
        if self.openness(at).is_open() {
            return Some(at);
        }
        let start_date = self.local(at).date();
        for offset in 0..=horizon_days {
            let date = start_date + Duration::days(i64::from(offset));
            let (list, _) = self.intervals_on(date);
            for iv in list {
                let local =
                    date.and_time(chrono::NaiveTime::MIN) + Duration::minutes(i64::from(iv.start));
                let t = self.instant(local);
                if t >= at {
                    return Some(t);
                }
            }
        }
        None
    }
}

impl Calendar {
    /// Open spans as instants, in order, from `from` (a span already running is clipped to
    /// start at `from`) through `horizon_days` local days.
    pub fn open_spans(
        &self,
        from: DateTime<Utc>,
        horizon_days: u32,
    ) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        let start_date = self.local(from).date();
        let mut spans = Vec::new();
        for offset in -1..=i64::from(horizon_days) {
            let date = start_date + Duration::days(offset);
            let midnight = date.and_time(chrono::NaiveTime::MIN);
            let (list, _) = self.intervals_on(date);
            for iv in list {
                let s = self.instant(midnight + Duration::minutes(i64::from(iv.start)));
                let e = self.instant(midnight + Duration::minutes(i64::from(iv.end)));
                if e <= from || e <= s {
                    continue;
                }
                spans.push((s.max(from), e));
            }
        }
        spans.sort();
        spans
    }

    /// The instant `minutes` of open business time after `from` (time while closed does not
    /// count). `None` when the horizon does not hold that much open time.
    pub fn add_business_minutes(
        &self,
        from: DateTime<Utc>,
        minutes: u32,
        horizon_days: u32,
    ) -> Option<DateTime<Utc>> {
        let mut remaining = Duration::minutes(i64::from(minutes));
        for (s, e) in self.open_spans(from, horizon_days) {
            let len = e - s;
            if remaining <= len {
                return Some(s + remaining);
            }
            remaining -= len;
        }
        None
    }

    /// The close of the business day `at` falls in: the end of the last interval that
    /// starts on `at`'s local date, if it ends after `at`.
    pub fn business_day_end(&self, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let date = self.local(at).date();
        let midnight = date.and_time(chrono::NaiveTime::MIN);
        let (list, _) = self.intervals_on(date);
        list.iter()
            .map(|iv| self.instant(midnight + Duration::minutes(i64::from(iv.end))))
            .filter(|e| *e > at)
            .max()
    }
}

/// Maps a wall-clock time in `tz` to an instant (earliest in an overlap, forward past a gap).
pub fn resolve_local(tz: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(a, b) => a.min(b).with_timezone(&Utc),
        LocalResult::None => {
            // In a gap: step forward a minute at a time (gaps are at most a few hours).
            let mut probe = local;
            for _ in 0..(24 * 60) {
                probe += Duration::minutes(1);
                if let Some(t) = tz.from_local_datetime(&probe).earliest() {
                    return t.with_timezone(&Utc);
                }
            }
            // Unreachable for real zones; fall back to reading the wall clock as UTC.
            Utc.from_utc_datetime(&local)
        }
    }
}
