//! Frequency caps (SPEC §4.9): at most N calls and texts to one person per rolling 24 hours,
//! counting what was already sent (the contact's `recent_events`) and what this plan
//! schedules earlier. State caps (FL, OK, MD, OR: 3) and a policy-wide cap; the lowest wins.

use chrono::{DateTime, Duration, Utc};

/// The first instant at or after `t` at which fewer than `cap` contacts fall in the 24 hours
/// before it. `sent` need not be sorted.
pub fn first_allowed(t: DateTime<Utc>, sent: &[DateTime<Utc>], cap: u32) -> DateTime<Utc> {
    if cap == 0 {
        return t;
    }
    let mut times: Vec<DateTime<Utc>> = sent.to_vec();
    times.sort_unstable();
    let day = Duration::hours(24);
    let mut at = t;
    // Each pass moves `at` past the oldest contact that keeps the window full; the number
    // of passes is bounded by the number of contacts.
    for _ in 0..=times.len() {
        let in_window: Vec<&DateTime<Utc>> = times
            .iter()
            .filter(|s| **s > at - day && **s <= at)
            .collect();
        if (in_window.len() as u32) < cap {
            return at;
        }
        let excess = in_window.len() - cap as usize;
        at = *in_window[excess] + day;
    }
    at
}

/// Contacts within the 24 hours before `t`.
pub fn count_in_window(t: DateTime<Utc>, sent: &[DateTime<Utc>]) -> usize {
    let day = Duration::hours(24);
    sent.iter().filter(|s| **s > t - day && **s <= t).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn third_contact_allowed_fourth_waits_for_the_oldest_to_age_out() {
        let h = |n: i64| Utc.with_ymd_and_hms(2026, 11, 24, 0, 0, 0).unwrap() + Duration::hours(n);
        let sent = [h(1), h(2)];
        assert_eq!(first_allowed(h(3), &sent, 3), h(3));
        let sent = [h(1), h(2), h(3)];
        assert_eq!(first_allowed(h(4), &sent, 3), h(25));
        assert_eq!(count_in_window(h(4), &sent), 3);
        assert_eq!(first_allowed(h(4), &sent, 0), h(4));
    }
}
