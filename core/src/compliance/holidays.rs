//! State legal-holiday calendars for the states that ban solicitation on legal holidays.
//!
//! The rows of `core/data/state-calling-hours.csv` with `holidays_forbidden = y` are AL, LA,
//! PA, RI and UT (compliance README, section 0 rule 1 and section 2 "How to read the CSV").
//! This module gives each of them a calendar; every other code has no holidays here (an
//! empty list, and `false` from [`is_legal_holiday`]).
//!
//! # Which holidays
//!
//! Sources: compliance README section 2.2 "Holidays" and section 2.1 (Pennsylvania).
//!
//! * **Base list, all five states:** New Year's Day (Jan 1), Martin Luther King Jr. Day
//!   (3rd Monday of January), Presidents' Day (3rd Monday of February), Memorial Day (last
//!   Monday of May), Independence Day (Jul 4), Labor Day (1st Monday of September), Veterans
//!   Day (Nov 11), Thanksgiving (4th Thursday of November) and Christmas Day (Dec 25).
//!   Section 2.2 lists these explicitly for AL, LA and RI. For **UT** the README names only
//!   Pioneer Day, so using the base list for UT is an **inference** (conservative).
//! * **AL and LA:** Mardi Gras, Easter Sunday − 47 days (Easter by the anonymous Gregorian
//!   algorithm). For AL the README says the holiday is only observed in Baldwin and Mobile
//!   counties; the engine does not know the county, so it applies it statewide.
//! * **RI:** Rhode Island Independence Day (May 4) and Victory Day (2nd Monday of August).
//! * **UT:** Pioneer Day (Jul 24).
//! * **PA:** section 2.1 gives Act 73 of 2019's own list, which is the base list plus Good
//!   Friday (Easter − 2 days), Flag Day (Jun 14), Columbus Day (2nd Monday of October) and
//!   Election Day (the Tuesday after the first Monday of November; applied **every** year,
//!   although general elections are held in odd and even years with different offices).
//!   Section 2.2 does not list PA, so the base list for PA is the same inference as for UT,
//!   backed by the explicit 2.1 list.
//!
//! # Observed dates
//!
//! For every **fixed-date** holiday (Jan 1, May 4, Jun 14, Jul 4, Jul 24, Nov 11, Dec 25):
//! when it falls on a Saturday the Friday before is **also** a holiday, and when it falls on
//! a Sunday the Monday after is **also** a holiday. The actual date stays a holiday too.
//! The README (2.1, Alabama) says weekend holidays are "observed on the adjacent weekday"
//! without saying whether the actual date still counts; forbidding both costs at most one
//! extra day and is the conservative reading the README asks for (its status notes).
//! An observed date may fall in the previous year: New Year's Day 2028 is a Saturday, so
//! 2027-12-31 is a holiday. Holidays defined by a weekday (MLK Day, Thanksgiving, ...) or
//! by Easter (Mardi Gras, Good Friday) always fall on a weekday, so they have no observed
//! date.

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// How a holiday's date is found in a given year.
#[derive(Debug, Clone, Copy)]
enum Rule {
    /// The same month and day every year; observed-date rule applies.
    Fixed { month: u32, day: u32 },
    /// The first `weekday` of `month` on or after day `from` (3rd Monday: from 15; last
    /// Monday of May: from 25; Election Day, the Tuesday after the first Monday: from 2).
    WeekdayFrom {
        month: u32,
        weekday: Weekday,
        from: u32,
    },
    /// Easter Sunday minus this many days.
    BeforeEaster(u64),
}

/// One named holiday.
#[derive(Debug, Clone, Copy)]
struct Holiday {
    name: &'static str,
    observed_name: &'static str,
    rule: Rule,
}

const fn fixed(name: &'static str, observed_name: &'static str, month: u32, day: u32) -> Holiday {
    Holiday {
        name,
        observed_name,
        rule: Rule::Fixed { month, day },
    }
}

/// The `n`th (1-based) `weekday` of `month`.
const fn nth(name: &'static str, month: u32, weekday: Weekday, n: u32) -> Holiday {
    Holiday {
        name,
        observed_name: name,
        rule: Rule::WeekdayFrom {
            month,
            weekday,
            from: (n - 1) * 7 + 1,
        },
    }
}

/// The first `weekday` of `month` on or after day `from`.
const fn weekday_from(name: &'static str, month: u32, weekday: Weekday, from: u32) -> Holiday {
    Holiday {
        name,
        observed_name: name,
        rule: Rule::WeekdayFrom {
            month,
            weekday,
            from,
        },
    }
}

const fn before_easter(name: &'static str, days: u64) -> Holiday {
    Holiday {
        name,
        observed_name: name,
        rule: Rule::BeforeEaster(days),
    }
}

/// Holidays shared by AL, LA, PA, RI and UT.
const BASE: [Holiday; 9] = [
    fixed("New Year's Day", "New Year's Day (observed)", 1, 1),
    nth("Martin Luther King Jr. Day", 1, Weekday::Mon, 3),
    nth("Presidents' Day", 2, Weekday::Mon, 3),
    // Last Monday of May: May has 31 days, so it is the first Monday from the 25th.
    weekday_from("Memorial Day", 5, Weekday::Mon, 25),
    fixed("Independence Day", "Independence Day (observed)", 7, 4),
    nth("Labor Day", 9, Weekday::Mon, 1),
    fixed("Veterans Day", "Veterans Day (observed)", 11, 11),
    nth("Thanksgiving", 11, Weekday::Thu, 4),
    fixed("Christmas Day", "Christmas Day (observed)", 12, 25),
];

/// Louisiana and Alabama: Mardi Gras.
const MARDI_GRAS: [Holiday; 1] = [before_easter("Mardi Gras", 47)];

/// Pennsylvania: the holidays Act 73 of 2019 lists beyond the base list.
const PA_EXTRA: [Holiday; 4] = [
    before_easter("Good Friday", 2),
    fixed("Flag Day", "Flag Day (observed)", 6, 14),
    nth("Columbus Day", 10, Weekday::Mon, 2),
    // The Tuesday after the first Monday of November: the first Tuesday from the 2nd.
    weekday_from("Election Day", 11, Weekday::Tue, 2),
];

/// Rhode Island: RI Independence Day and Victory Day.
const RI_EXTRA: [Holiday; 2] = [
    fixed(
        "Rhode Island Independence Day",
        "Rhode Island Independence Day (observed)",
        5,
        4,
    ),
    nth("Victory Day", 8, Weekday::Mon, 2),
];

/// Utah: Pioneer Day.
const UT_EXTRA: [Holiday; 1] = [fixed("Pioneer Day", "Pioneer Day (observed)", 7, 24)];

/// The state's holidays beyond [`BASE`], or `None` when the state has no calendar here.
fn extras(state_code: &str) -> Option<&'static [Holiday]> {
    let code = state_code.trim();
    if code.eq_ignore_ascii_case("AL") || code.eq_ignore_ascii_case("LA") {
        Some(&MARDI_GRAS)
    } else if code.eq_ignore_ascii_case("PA") {
        Some(&PA_EXTRA)
    } else if code.eq_ignore_ascii_case("RI") {
        Some(&RI_EXTRA)
    } else if code.eq_ignore_ascii_case("UT") {
        Some(&UT_EXTRA)
    } else {
        None
    }
}

/// Easter Sunday of `year` (Gregorian), by the anonymous Gregorian algorithm
/// (Meeus/Jones/Butcher). `None` only when the date is outside chrono's range.
fn easter(year: i32) -> Option<NaiveDate> {
    let y = i64::from(year);
    let a = y.rem_euclid(19);
    let b = y.div_euclid(100);
    let c = y.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c.div_euclid(4);
    let k = c.rem_euclid(4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l).div_euclid(451);
    let n = h + l - 7 * m + 114;
    let month = u32::try_from(n.div_euclid(31)).ok()?;
    let day = u32::try_from(n.rem_euclid(31) + 1).ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

impl Holiday {
    /// Whether `date` is this holiday or (for fixed dates) its observed Friday/Monday.
    fn matches(&self, date: NaiveDate) -> bool {
        match self.rule {
            Rule::Fixed { month, day } => {
                let is = |d: NaiveDate| d.month() == month && d.day() == day;
                is(date)
                    || (date.weekday() == Weekday::Fri && date.succ_opt().is_some_and(is))
                    || (date.weekday() == Weekday::Mon && date.pred_opt().is_some_and(is))
            }
            Rule::WeekdayFrom {
                month,
                weekday,
                from,
            } => {
                date.month() == month
                    && date.weekday() == weekday
                    && date.day() >= from
                    && date.day() < from + 7
            }
            Rule::BeforeEaster(days) => {
                // Easter − days lies in February–April for every offset used here.
                matches!(date.month(), 2..=4)
                    && easter(date.year())
                        .and_then(|e| e.checked_sub_days(Days::new(days)))
                        .is_some_and(|d| d == date)
            }
        }
    }

    /// Push this holiday's dates that fall in `year` (observed dates included).
    fn push_dates(&self, year: i32, out: &mut Vec<(NaiveDate, &'static str)>) {
        match self.rule {
            Rule::Fixed { month, day } => {
                // An observed date can cross a year boundary (Jan 1 on a Saturday → Dec 31),
                // so look at the neighbouring years too and keep what falls in `year`.
                for y in [year.checked_sub(1), Some(year), year.checked_add(1)]
                    .into_iter()
                    .flatten()
                {
                    let Some(actual) = NaiveDate::from_ymd_opt(y, month, day) else {
                        continue;
                    };
                    let observed = match actual.weekday() {
                        Weekday::Sat => actual.pred_opt(),
                        Weekday::Sun => actual.succ_opt(),
                        _ => None,
                    };
                    if actual.year() == year {
                        out.push((actual, self.name));
                    }
                    if let Some(obs) = observed.filter(|d| d.year() == year) {
                        out.push((obs, self.observed_name));
                    }
                }
            }
            Rule::WeekdayFrom {
                month,
                weekday,
                from,
            } => {
                if let Some(start) = NaiveDate::from_ymd_opt(year, month, from) {
                    let ahead = (7 + weekday.num_days_from_monday()
                        - start.weekday().num_days_from_monday())
                        % 7;
                    if let Some(d) = start.checked_add_days(Days::new(u64::from(ahead))) {
                        out.push((d, self.name));
                    }
                }
            }
            Rule::BeforeEaster(days) => {
                if let Some(d) = easter(year).and_then(|e| e.checked_sub_days(Days::new(days))) {
                    out.push((d, self.name));
                }
            }
        }
    }
}

/// Whether `date` (the callee's local date) is a legal holiday on which `state_code` bans
/// solicitation, observed Fridays/Mondays included (see the module docs).
///
/// `state_code` is a two-letter US postal code (case-insensitive). Only AL, LA, PA, RI and
/// UT have calendars; every other code returns `false`. Allocation-free: the date is checked
/// against each rule directly.
pub fn is_legal_holiday(state_code: &str, date: NaiveDate) -> bool {
    match extras(state_code) {
        Some(extra) => BASE.iter().chain(extra).any(|h| h.matches(date)),
        None => false,
    }
}

/// Every legal-holiday date of `state_code` that falls in `year`, with the holiday's name
/// (observed dates are named "… (observed)"), sorted by date then name.
///
/// Empty for states without a calendar here (anything but AL, LA, PA, RI and UT).
/// Consistent with [`is_legal_holiday`]: a date is in this list exactly when
/// `is_legal_holiday` returns `true` for it.
pub fn legal_holidays(state_code: &str, year: i32) -> Vec<(NaiveDate, &'static str)> {
    let Some(extra) = extras(state_code) else {
        return Vec::new();
    };
    let mut out = Vec::with_capacity(2 * (BASE.len() + extra.len()));
    for h in BASE.iter().chain(extra) {
        h.push_dates(year, &mut out);
    }
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn thanksgiving_2026_in_alabama() {
        assert!(is_legal_holiday("AL", d(2026, 11, 26)));
        assert!(!is_legal_holiday("AL", d(2026, 11, 19)));
        assert!(legal_holidays("AL", 2026).contains(&(d(2026, 11, 26), "Thanksgiving")));
    }

    #[test]
    fn easter_known_years() {
        assert_eq!(easter(2024), Some(d(2024, 3, 31)));
        assert_eq!(easter(2025), Some(d(2025, 4, 20)));
        assert_eq!(easter(2026), Some(d(2026, 4, 5)));
        assert_eq!(easter(2027), Some(d(2027, 3, 28)));
        assert_eq!(easter(2038), Some(d(2038, 4, 25)));
        assert_eq!(easter(2285), Some(d(2285, 3, 22)));
    }

    #[test]
    fn mardi_gras_in_louisiana_and_alabama() {
        // Easter 2026 is 2026-04-05; 47 days earlier is 2026-02-17.
        assert!(is_legal_holiday("LA", d(2026, 2, 17)));
        assert!(is_legal_holiday("AL", d(2026, 2, 17)));
        // (2026-02-16, the day before, is Presidents' Day.)
        assert!(!is_legal_holiday("LA", d(2026, 2, 18)));
        assert!(!is_legal_holiday("LA", d(2026, 2, 10)));
        assert!(is_legal_holiday("LA", d(2027, 2, 9)));
        assert!(!is_legal_holiday("LA", d(2026, 2, 9)));
        assert!(!is_legal_holiday("RI", d(2026, 2, 17)));
        assert!(!is_legal_holiday("UT", d(2026, 2, 17)));
        assert!(legal_holidays("LA", 2027).contains(&(d(2027, 2, 9), "Mardi Gras")));
    }

    #[test]
    fn victory_day_in_rhode_island() {
        assert!(is_legal_holiday("RI", d(2026, 8, 10)));
        assert!(!is_legal_holiday("RI", d(2026, 8, 3)));
        assert!(!is_legal_holiday("LA", d(2026, 8, 10)));
        // May 4 2026 is a Monday.
        assert!(is_legal_holiday("RI", d(2026, 5, 4)));
        assert!(!is_legal_holiday("AL", d(2026, 5, 4)));
    }

    #[test]
    fn saturday_holiday_adds_the_friday_before() {
        // July 4 2026 is a Saturday.
        assert!(is_legal_holiday("PA", d(2026, 7, 4)));
        assert!(is_legal_holiday("PA", d(2026, 7, 3)));
        assert!(!is_legal_holiday("PA", d(2026, 7, 6)));
        // Christmas 2027 is a Saturday.
        assert!(is_legal_holiday("AL", d(2027, 12, 25)));
        assert!(is_legal_holiday("AL", d(2027, 12, 24)));
        // New Year 2028 is a Saturday: the Friday before is in 2027.
        assert!(is_legal_holiday("UT", d(2028, 1, 1)));
        assert!(is_legal_holiday("UT", d(2027, 12, 31)));
        let y2027 = legal_holidays("UT", 2027);
        assert!(y2027.contains(&(d(2027, 12, 31), "New Year's Day (observed)")));
        assert!(!legal_holidays("UT", 2028)
            .iter()
            .any(|(x, _)| x.year() != 2028));
    }

    #[test]
    fn sunday_holiday_adds_the_monday_after() {
        // Jan 1 2023 and Dec 25 2022 were Sundays; Nov 11 2029 is a Sunday.
        assert!(is_legal_holiday("RI", d(2023, 1, 1)));
        assert!(is_legal_holiday("RI", d(2023, 1, 2)));
        assert!(is_legal_holiday("LA", d(2022, 12, 26)));
        assert!(is_legal_holiday("PA", d(2029, 11, 12)));
        assert!(!is_legal_holiday("PA", d(2029, 11, 9)));
    }

    #[test]
    fn pioneer_day_only_in_utah() {
        assert!(is_legal_holiday("UT", d(2026, 7, 24)));
        for code in ["AL", "LA", "PA", "RI", "FL", "TX"] {
            assert!(!is_legal_holiday(code, d(2026, 7, 24)), "{code}");
        }
    }

    #[test]
    fn states_without_a_calendar() {
        for code in ["FL", "TX", "MS", "US-FEDERAL", "CANADA", "", "ZZ"] {
            assert!(!is_legal_holiday(code, d(2026, 12, 25)), "{code}");
            assert!(!is_legal_holiday(code, d(2026, 11, 26)), "{code}");
            assert!(legal_holidays(code, 2026).is_empty(), "{code}");
        }
    }

    #[test]
    fn codes_are_case_insensitive() {
        assert!(is_legal_holiday("ut", d(2026, 7, 24)));
        assert_eq!(legal_holidays("ri", 2026), legal_holidays("RI", 2026));
    }

    #[test]
    fn weekday_rules_2026() {
        let al = legal_holidays("AL", 2026);
        for (date, name) in [
            (d(2026, 1, 19), "Martin Luther King Jr. Day"),
            (d(2026, 2, 16), "Presidents' Day"),
            (d(2026, 5, 25), "Memorial Day"),
            (d(2026, 9, 7), "Labor Day"),
        ] {
            assert!(al.contains(&(date, name)), "{name}");
        }
        // Memorial Day when May has five Mondays (2027: May 3, 10, 17, 24, 31).
        assert!(is_legal_holiday("LA", d(2027, 5, 31)));
        assert!(!is_legal_holiday("LA", d(2027, 5, 24)));
    }

    #[test]
    fn pennsylvania_act_73_extras() {
        let pa = legal_holidays("PA", 2026);
        for (date, name) in [
            (d(2026, 4, 3), "Good Friday"),
            (d(2026, 6, 14), "Flag Day"),
            (d(2026, 6, 15), "Flag Day (observed)"),
            (d(2026, 10, 12), "Columbus Day"),
            (d(2026, 11, 3), "Election Day"),
        ] {
            assert!(pa.contains(&(date, name)), "{name}");
        }
        // Nov 1 2022 was a Tuesday: Election Day was Nov 8, not Nov 1.
        assert!(is_legal_holiday("PA", d(2022, 11, 8)));
        assert!(!is_legal_holiday("PA", d(2022, 11, 1)));
        assert!(!is_legal_holiday("AL", d(2026, 11, 3)));
    }

    #[test]
    fn list_is_sorted_and_agrees_with_is_legal_holiday() {
        for code in ["AL", "LA", "PA", "RI", "UT"] {
            for year in 2020..=2040 {
                let list = legal_holidays(code, year);
                assert!(list.windows(2).all(|w| w[0] <= w[1]), "{code} {year}");
                let mut date = d(year, 1, 1);
                while date.year() == year {
                    let listed = list.iter().any(|(x, _)| *x == date);
                    assert_eq!(listed, is_legal_holiday(code, date), "{code} {date}");
                    date = date.succ_opt().unwrap();
                }
            }
        }
    }

    #[test]
    fn extreme_years_do_not_panic() {
        for year in [NaiveDate::MIN.year(), NaiveDate::MAX.year(), 0, -1] {
            let _ = legal_holidays("PA", year);
        }
        for date in [NaiveDate::MIN, NaiveDate::MAX] {
            let _ = is_legal_holiday("LA", date);
            let _ = is_legal_holiday("PA", date);
        }
    }
}
