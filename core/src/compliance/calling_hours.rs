//! Calling-hour windows: federal (TCPA / TSR), per US state, and Canada (CRTC).
//!
//! The table is `core/data/state-calling-hours.csv`, a copy of the compliance research
//! table (`state-calling-hours.csv` next to the compliance README; see README sections 0
//! rule 1, 1.2, 2 "How to read the CSV" and 5). It is compiled into the library and parsed
//! once, on first use.
//!
//! * Times are wall-clock minutes after midnight at the **called party's local time**.
//! * A day column of `none` means no calls or solicitation texts that day (`None` here).
//! * `holidays_forbidden` states (AL, LA, PA, RI, UT) also have no window on their legal
//!   holidays; see [`holidays`] and [`CallingRule::window_on`].
//! * A state that is not in the table has no rule of its own: [`state`] returns `None`,
//!   and the caller applies [`federal`] only. For a listed state, the caller applies
//!   both: the state window [`intersect`]ed with the federal one.
//! * The windows in the sources cover **telephone solicitations**; the compliance README
//!   (section 1.2) recommends applying them to every automated outbound message anyway.
//!
//! The CSV reader is deliberately small: comma-separated fields, a field may be wrapped in
//! double quotes (so it can contain commas; `""` inside quotes is a literal quote), one
//! record per line (`\n` or `\r\n`). A row that does not parse (wrong column count, bad
//! time, unknown flag, ...) is skipped rather than causing a panic; a unit test checks that
//! every row of the shipped file parses.

use chrono::{Datelike, NaiveDate, Weekday};
use once_cell::sync::Lazy;
use std::borrow::Cow;

use super::holidays;

const TABLE_CSV: &str = include_str!("../../data/state-calling-hours.csv");

/// Number of columns in the table.
const COLUMNS: usize = 12;

/// A permitted calling window on one day: minutes after local midnight, `start` inclusive,
/// `end` exclusive (08:00–21:00 is `480..1260`; Canada's 21:30 end is `1290`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct DayWindow {
    /// First permitted minute after local midnight (0..1440).
    pub start: u16,
    /// First minute after the window (start < end <= 1440).
    pub end: u16,
}

/// One row of the calling-hours table: the federal rule, a US state's rule, or Canada's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallingRule {
    /// `"US-FEDERAL"`, `"CANADA"`, or a two-letter US state code such as `"FL"`.
    pub code: &'static str,
    /// Window Monday to Friday; `None` = no calls on weekdays.
    pub weekday: Option<DayWindow>,
    /// Window on Saturday; `None` = no calls on Saturday.
    pub saturday: Option<DayWindow>,
    /// Window on Sunday; `None` = no calls on Sunday.
    pub sunday: Option<DayWindow>,
    /// Whether solicitation is banned on the jurisdiction's legal holidays.
    pub holidays_forbidden: bool,
    /// Statutory cap on solicitation contacts on the same subject per 24 hours, if any.
    pub max_attempts_per_24h: Option<u32>,
    /// Whether the law expressly covers texts: `"y"`, `"n"` (Canada: CASL instead) or
    /// `"unclear"`.
    pub applies_to_sms: &'static str,
    /// The statute or regulation, with notes on how well the row is verified.
    pub law_name: &'static str,
    /// Where the row's facts come from.
    pub source_url: &'static str,
}

const FEDERAL_CODE: &str = "US-FEDERAL";
const CANADA_CODE: &str = "CANADA";

const fn hm(h: u16, m: u16) -> u16 {
    h * 60 + m
}

/// Used only if the shipped table lost its US-FEDERAL row (a test keeps the two equal).
static FEDERAL_FALLBACK: CallingRule = CallingRule {
    code: FEDERAL_CODE,
    weekday: Some(DayWindow {
        start: hm(8, 0),
        end: hm(21, 0),
    }),
    saturday: Some(DayWindow {
        start: hm(8, 0),
        end: hm(21, 0),
    }),
    sunday: Some(DayWindow {
        start: hm(8, 0),
        end: hm(21, 0),
    }),
    holidays_forbidden: false,
    max_attempts_per_24h: None,
    applies_to_sms: "unclear",
    law_name: "TCPA 47 U.S.C. 227(c); 47 CFR 64.1200(c)(1); FTC TSR 16 CFR 310.4(c) \
               (telephone solicitations only)",
    source_url: "https://www.ecfr.gov/current/title-47/chapter-I/subchapter-B/part-64/\
                 subpart-L/section-64.1200",
};

/// Used only if the shipped table lost its CANADA row (a test keeps the two equal).
static CANADA_FALLBACK: CallingRule = CallingRule {
    code: CANADA_CODE,
    weekday: Some(DayWindow {
        start: hm(9, 0),
        end: hm(21, 30),
    }),
    saturday: Some(DayWindow {
        start: hm(10, 0),
        end: hm(18, 0),
    }),
    sunday: Some(DayWindow {
        start: hm(10, 0),
        end: hm(18, 0),
    }),
    holidays_forbidden: false,
    max_attempts_per_24h: None,
    applies_to_sms: "n",
    law_name: "CRTC Unsolicited Telecommunications Rules (telemarketing calls; commercial texts \
               fall under CASL)",
    source_url: "https://crtc.gc.ca/eng/phone/telemarketing/tobligations/rules-regles.htm",
};

/// Every row of the shipped table that parses, in file order.
static RULES: Lazy<Vec<CallingRule>> = Lazy::new(|| parse_table(TABLE_CSV));

static FEDERAL: Lazy<&'static CallingRule> =
    Lazy::new(|| find(FEDERAL_CODE).unwrap_or(&FEDERAL_FALLBACK));

static CANADA: Lazy<&'static CallingRule> =
    Lazy::new(|| find(CANADA_CODE).unwrap_or(&CANADA_FALLBACK));

fn find(code: &str) -> Option<&'static CallingRule> {
    Lazy::force(&RULES)
        .iter()
        .find(|r| r.code.eq_ignore_ascii_case(code))
}

/// The federal rule (TCPA 47 CFR 64.1200(c)(1) and the FTC TSR): 08:00–21:00 every day at
/// the called party's local time. It applies to every US callee, on top of any state rule.
pub fn federal() -> &'static CallingRule {
    *FEDERAL
}

/// Canada's rule (CRTC Unsolicited Telecommunications Rules): 09:00–21:30 on weekdays,
/// 10:00–18:00 on weekends. Provincial rules may be stricter (not modelled).
pub fn canada() -> &'static CallingRule {
    *CANADA
}

/// The rule of a US state listed in the table (two-letter postal code, case-insensitive),
/// or `None` for a state the table does not list; callers then apply [`federal`] only.
///
/// Only state rows are returned: `"US-FEDERAL"` and `"CANADA"` give `None` here (use
/// [`federal`] and [`canada`]).
pub fn state(code: &str) -> Option<&'static CallingRule> {
    let code = code.trim();
    if code.eq_ignore_ascii_case(FEDERAL_CODE) || code.eq_ignore_ascii_case(CANADA_CODE) {
        return None;
    }
    find(code)
}

impl CallingRule {
    /// The permitted window on local date `date`: the weekday, Saturday or Sunday window,
    /// `None` when that day is forbidden, and `None` on a legal holiday when the rule
    /// forbids holidays ([`holidays::is_legal_holiday`] for this rule's code).
    pub fn window_on(&self, date: NaiveDate) -> Option<DayWindow> {
        let window = match date.weekday() {
            Weekday::Sat => self.saturday,
            Weekday::Sun => self.sunday,
            _ => self.weekday,
        }?;
        if self.holidays_forbidden && holidays::is_legal_holiday(self.code, date) {
            return None;
        }
        Some(window)
    }
}

/// The overlap of two windows on the same day, or `None` when they do not overlap.
pub fn intersect(a: DayWindow, b: DayWindow) -> Option<DayWindow> {
    let start = a.start.max(b.start);
    let end = a.end.min(b.end);
    (start < end).then_some(DayWindow { start, end })
}

// ---------------------------------------------------------------------------------------
// CSV reading
// ---------------------------------------------------------------------------------------

/// Parse every data row of `csv`, skipping the header, blank lines and malformed rows.
fn parse_table(csv: &'static str) -> Vec<CallingRule> {
    // The first line is the header.
    csv.lines()
        .enumerate()
        .filter(|(i, line)| *i > 0 && !line.trim().is_empty())
        .map(|(_, line)| line)
        .filter_map(parse_row)
        .collect()
}

/// Split one line into fields. `None` if a quoted field is not closed, is followed by
/// anything but a comma, or a quote appears inside an unquoted field.
fn split_fields(line: &'static str) -> Option<Vec<Cow<'static, str>>> {
    let mut fields = Vec::with_capacity(COLUMNS);
    let mut rest = line;
    loop {
        if let Some(mut body) = rest.strip_prefix('"') {
            // Quoted: owned only when it contains an escaped quote ("").
            let mut owned: Option<String> = None;
            let (field, after) = loop {
                let close = body.find('"')?;
                let chunk = body.get(..close)?;
                let after = body.get(close + 1..)?;
                if let Some(next) = after.strip_prefix('"') {
                    let s = owned.get_or_insert_with(String::new);
                    s.push_str(chunk);
                    s.push('"');
                    body = next;
                } else {
                    let field = match owned.take() {
                        Some(mut s) => {
                            s.push_str(chunk);
                            Cow::Owned(s)
                        }
                        None => Cow::Borrowed(chunk),
                    };
                    break (field, after);
                }
            };
            fields.push(field);
            if after.is_empty() {
                return Some(fields);
            }
            rest = after.strip_prefix(',')?;
        } else {
            let (field, next) = match rest.split_once(',') {
                Some((field, next)) => (field, Some(next)),
                None => (rest, None),
            };
            if field.contains('"') {
                return None;
            }
            fields.push(Cow::Borrowed(field));
            match next {
                Some(next) => rest = next,
                None => return Some(fields),
            }
        }
    }
}

/// A field as a `'static` string. Fields are borrowed from the embedded table; only a
/// quoted field with an escaped quote is owned, and it is leaked once (the table is parsed
/// once per process), which keeps `CallingRule` free of lifetimes and allocations.
fn into_static(field: Cow<'static, str>) -> &'static str {
    match field {
        Cow::Borrowed(s) => s,
        Cow::Owned(s) => Box::leak(s.into_boxed_str()),
    }
}

/// `HH:MM` → minutes after midnight; `24:00` is allowed as an end.
fn parse_time(s: &str) -> Option<u16> {
    let (h, m) = s.split_once(':')?;
    if h.len() != 2 || m.len() != 2 {
        return None;
    }
    if !h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let h: u16 = h.parse().ok()?;
    let m: u16 = m.parse().ok()?;
    let minutes = h.checked_mul(60)?.checked_add(m)?;
    (m < 60 && minutes <= 1440).then_some(minutes)
}

/// A start/end pair: `Some(None)` for `none`/`none`, `Some(Some(w))` for a non-empty
/// window, `None` (malformed) for anything else.
fn parse_window(start: &str, end: &str) -> Option<Option<DayWindow>> {
    let (start, end) = (start.trim(), end.trim());
    if start.eq_ignore_ascii_case("none") && end.eq_ignore_ascii_case("none") {
        return Some(None);
    }
    let start = parse_time(start)?;
    let end = parse_time(end)?;
    (start < end).then_some(Some(DayWindow { start, end }))
}

fn parse_row(line: &'static str) -> Option<CallingRule> {
    // Columns: state, weekday start/end, saturday start/end, sunday start/end,
    // holidays_forbidden, max_attempts_per_24h, applies_to_sms, law_name, source_url.
    let fields: [Cow<'static, str>; COLUMNS] = split_fields(line)?.try_into().ok()?;
    let [code, wd_s, wd_e, sat_s, sat_e, sun_s, sun_e, holidays, max, sms, law, url] = fields;

    let code = into_static(code).trim();
    let code_ok = !code.is_empty()
        && code
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-');
    if !code_ok {
        return None;
    }
    let holidays_forbidden = match holidays.trim() {
        "y" => true,
        "n" => false,
        _ => return None,
    };
    let max_attempts_per_24h = match max.trim() {
        "" => None,
        n => Some(n.parse::<u32>().ok()?),
    };
    let applies_to_sms = match sms.trim() {
        "y" => "y",
        "n" => "n",
        "unclear" => "unclear",
        _ => return None,
    };
    Some(CallingRule {
        code,
        weekday: parse_window(&wd_s, &wd_e)?,
        saturday: parse_window(&sat_s, &sat_e)?,
        sunday: parse_window(&sun_s, &sun_e)?,
        holidays_forbidden,
        max_attempts_per_24h,
        applies_to_sms,
        law_name: into_static(law).trim(),
        source_url: into_static(url).trim(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn w(start: u16, end: u16) -> Option<DayWindow> {
        Some(DayWindow { start, end })
    }

    // 2026-11-23 is a Monday.
    const MON: (i32, u32, u32) = (2026, 11, 23);
    const SAT: (i32, u32, u32) = (2026, 11, 28);
    const SUN: (i32, u32, u32) = (2026, 11, 29);

    fn on(rule: &CallingRule, (y, m, day): (i32, u32, u32)) -> Option<DayWindow> {
        rule.window_on(d(y, m, day))
    }

    #[test]
    fn every_shipped_row_parses() {
        let rows: Vec<&'static str> = TABLE_CSV
            .lines()
            .enumerate()
            .filter(|(i, l)| *i > 0 && !l.trim().is_empty())
            .map(|(_, l)| l)
            .collect();
        // 23 states + US-FEDERAL + CANADA (26 lines with the header).
        assert_eq!(rows.len(), 25);
        for line in &rows {
            assert!(parse_row(line).is_some(), "row does not parse: {line}");
        }
        assert_eq!(RULES.len(), 25);
        assert!(TABLE_CSV.starts_with(
            "state,weekday_start,weekday_end,saturday_start,saturday_end,sunday_start,\
             sunday_end,holidays_forbidden,max_attempts_per_24h,applies_to_sms,law_name,\
             source_url\n"
        ));
        let mut codes: Vec<&str> = RULES.iter().map(|r| r.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), 25, "duplicate codes");
    }

    #[test]
    fn quoted_law_name_keeps_its_commas() {
        let fl = state("FL").unwrap();
        assert_eq!(
            fl.law_name,
            "Fla. Stat. 501.616(6) (Florida Telemarketing Act as amended by SB 1120 of 2021) \
             with Fla. Stat. 501.059 (FTSA)"
        );
        assert_eq!(
            fl.source_url,
            "https://flsenate.gov/Session/Bill/2021/1120/BillText/Filed/HTML"
        );
        assert_eq!(fl.max_attempts_per_24h, Some(3));
        assert_eq!(fl.applies_to_sms, "y");
        assert!(federal().law_name.contains("227(c); 47 CFR"));
    }

    #[test]
    fn fallbacks_match_the_shipped_rows() {
        let fed = find(FEDERAL_CODE).unwrap();
        let can = find(CANADA_CODE).unwrap();
        assert_eq!(fed, &FEDERAL_FALLBACK);
        assert_eq!(can, &CANADA_FALLBACK);
        assert!(std::ptr::eq(federal(), fed));
        assert!(std::ptr::eq(canada(), can));
    }

    #[test]
    fn florida_weekday() {
        let fl = state("FL").unwrap();
        assert_eq!(fl.code, "FL");
        assert_eq!(on(fl, MON), w(480, 1200));
        assert_eq!(on(fl, SUN), w(480, 1200));
    }

    #[test]
    fn texas_sunday_starts_at_noon() {
        let tx = state("TX").unwrap();
        assert_eq!(on(tx, SUN), w(720, 1260));
        assert_eq!(on(tx, SAT), w(540, 1260));
        assert_eq!(on(tx, MON), w(540, 1260));
    }

    #[test]
    fn rhode_island_saturday_and_sunday() {
        let ri = state("RI").unwrap();
        assert_eq!(on(ri, MON), w(540, 1080));
        assert_eq!(on(ri, SAT), w(600, 1020));
        assert_eq!(on(ri, SUN), None);
        assert!(ri.holidays_forbidden);
        // Victory Day 2026 (Monday 2026-08-10).
        assert_eq!(ri.window_on(d(2026, 8, 10)), None);
        assert_eq!(ri.window_on(d(2026, 8, 11)), w(540, 1080));
    }

    #[test]
    fn alabama_sunday_and_thanksgiving() {
        let al = state("AL").unwrap();
        assert_eq!(on(al, SUN), None);
        assert_eq!(al.window_on(d(2026, 11, 26)), None);
        assert_eq!(al.window_on(d(2026, 11, 25)), w(480, 1200));
        assert_eq!(on(al, SAT), w(480, 1200));
    }

    #[test]
    fn canada_weekday_and_weekend() {
        let ca = canada();
        assert_eq!(ca.code, "CANADA");
        assert_eq!(on(ca, MON), w(540, 1290));
        assert_eq!(on(ca, SAT), w(600, 1080));
        assert_eq!(on(ca, SUN), w(600, 1080));
        // Canada has no holiday rule here: Christmas 2026 (a Friday) keeps its window.
        assert_eq!(ca.window_on(d(2026, 12, 25)), w(540, 1290));
    }

    #[test]
    fn federal_every_day() {
        let fed = federal();
        assert_eq!(fed.code, "US-FEDERAL");
        let mut date = d(2026, 11, 23);
        for _ in 0..7 {
            assert_eq!(fed.window_on(date), w(480, 1260), "{date}");
            date = date.succ_opt().unwrap();
        }
        // Thanksgiving: no federal holiday rule.
        assert_eq!(fed.window_on(d(2026, 11, 26)), w(480, 1260));
    }

    #[test]
    fn south_dakota_weekdays_only() {
        let sd = state("SD").unwrap();
        assert_eq!(on(sd, MON), w(540, 1260));
        assert_eq!(on(sd, SAT), None);
        assert_eq!(on(sd, SUN), None);
    }

    #[test]
    fn unlisted_states_and_non_state_codes() {
        assert!(state("ZZ").is_none());
        assert!(state("AZ").is_none());
        assert!(state("").is_none());
        assert!(state("US-FEDERAL").is_none());
        assert!(state("CANADA").is_none());
        assert_eq!(state("fl").map(|r| r.code), Some("FL"));
    }

    #[test]
    fn intersect_windows() {
        let a = DayWindow {
            start: 480,
            end: 1260,
        };
        let b = DayWindow {
            start: 540,
            end: 1200,
        };
        assert_eq!(intersect(a, b), w(540, 1200));
        assert_eq!(intersect(b, a), w(540, 1200));
        let c = DayWindow {
            start: 1260,
            end: 1290,
        };
        assert_eq!(intersect(a, c), None);
        let e = DayWindow {
            start: 1200,
            end: 1290,
        };
        assert_eq!(intersect(a, e), w(1200, 1260));
    }

    #[test]
    fn csv_reader_edge_cases() {
        assert_eq!(
            split_fields(r#"a,"b, c",d"#).unwrap(),
            vec!["a", "b, c", "d"]
        );
        assert_eq!(
            split_fields(r#""x ""y"" z",,"#).unwrap(),
            vec![r#"x "y" z"#, "", ""]
        );
        assert_eq!(split_fields(r#""""#).unwrap(), vec![""]);
        assert!(split_fields(r#"a,"unterminated"#).is_none());
        assert!(split_fields(r#"a,"b"c,d"#).is_none());
        assert!(split_fields(r#"a,b"c,d"#).is_none());
    }

    #[test]
    fn malformed_rows_are_skipped() {
        let csv = "header\n\
            XX,08:00,21:00,08:00,21:00,08:00,21:00,n,,y,law,url\n\
            BAD1,08:00,21:00,08:00,21:00,08:00,21:00,n,,y,law\n\
            BAD2,8:00,21:00,08:00,21:00,08:00,21:00,n,,y,law,url\n\
            BAD3,21:00,08:00,08:00,21:00,08:00,21:00,n,,y,law,url\n\
            BAD4,08:00,none,08:00,21:00,08:00,21:00,n,,y,law,url\n\
            BAD5,08:00,21:00,08:00,21:00,08:00,21:00,maybe,,y,law,url\n\
            BAD6,08:00,21:00,08:00,21:00,08:00,21:00,n,three,y,law,url\n\
            BAD7,08:00,21:00,08:00,21:00,08:00,21:00,n,,yes,law,url\n\
            BAD8,08:00,24:01,08:00,21:00,08:00,21:00,n,,y,law,url\n\
            ,08:00,21:00,08:00,21:00,08:00,21:00,n,,y,law,url\n\
            \n\
            \"YY\",00:00,24:00,none,none,none,none,y,2,unclear,\"a \"\"b\"\"\",url\r\n";
        let rules = parse_table(csv);
        let codes: Vec<&str> = rules.iter().map(|r| r.code).collect();
        assert_eq!(codes, ["XX", "YY"]);
        assert_eq!(rules[1].weekday, w(0, 1440));
        assert_eq!(rules[1].saturday, None);
        assert_eq!(rules[1].max_attempts_per_24h, Some(2));
        assert_eq!(rules[1].law_name, "a \"b\"");
        assert_eq!(rules[1].source_url, "url");
    }
}
