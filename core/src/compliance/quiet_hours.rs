//! Quiet hours at the callee's local time (SPEC §4.9): the federal 08:00–21:00 window
//! intersected with every applicable state's window (day-of-week and legal-holiday bans
//! included), or the CRTC window for Canada, in **every** zone the callee may be in.

use chrono::{DateTime, Duration, Timelike, Utc};
use chrono_tz::Tz;

use super::calling_hours::CallingRule;
use crate::calendar::resolve_local;

/// Whether every rule allows a call or text at `t` in every zone.
pub fn allowed_at(t: DateTime<Utc>, zones: &[Tz], rules: &[&CallingRule]) -> bool {
    zones.iter().all(|z| {
        let local = t.with_timezone(z).naive_local();
        let minute = (local.hour() * 60 + local.minute()) as u16;
        let date = local.date();
        rules.iter().all(|r| {
            r.window_on(date)
                .is_some_and(|w| w.start <= minute && minute < w.end)
        })
    })
}

/// The first instant at or after `t` that every rule allows in every zone, looking at most
/// `horizon_days` ahead. The intersection of the windows starts where one of them starts,
/// so only `t` and the window starts need checking.
pub fn first_allowed(
    t: DateTime<Utc>,
    zones: &[Tz],
    rules: &[&CallingRule],
    horizon_days: u32,
) -> Option<DateTime<Utc>> {
    if allowed_at(t, zones, rules) {
        return Some(t);
    }
    let mut candidates: Vec<DateTime<Utc>> = Vec::new();
    for z in zones {
        let first = t.with_timezone(z).date_naive();
        for offset in 0..=i64::from(horizon_days) {
            let date = first + Duration::days(offset);
            for r in rules {
                if let Some(w) = r.window_on(date) {
                    let local = date.and_time(chrono::NaiveTime::MIN)
                        + Duration::minutes(i64::from(w.start));
                    let at = resolve_local(*z, local);
                    if at > t {
                        candidates.push(at);
                    }
                }
            }
        }
    }
    candidates.sort_unstable();
    candidates.dedup();
    candidates
        .into_iter()
        .find(|c| allowed_at(*c, zones, rules))
}
