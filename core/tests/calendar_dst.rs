//! Business-hours calendars across DST changes, split shifts, overnight intervals and
//! holidays.

use chrono::{NaiveDate, TimeZone, Utc};
use chrono_tz::America::{New_York, Phoenix};
use ringback::calendar::{resolve_local, Calendar, Openness};
use ringback::model::policy::{Holiday, SpecialDay, WeeklyHours};

fn hours(pairs: &[(&str, &[(&str, &str)])]) -> WeeklyHours {
    let mut w = WeeklyHours::default();
    for (day, list) in pairs {
        let v: Vec<[String; 2]> = list
            .iter()
            .map(|(a, b)| [a.to_string(), b.to_string()])
            .collect();
        match *day {
            "mon" => w.mon = v,
            "tue" => w.tue = v,
            "wed" => w.wed = v,
            "thu" => w.thu = v,
            "fri" => w.fri = v,
            "sat" => w.sat = v,
            _ => w.sun = v,
        }
    }
    w
}

#[test]
fn spring_forward_gap_moves_to_the_first_real_instant() {
    // 2026-03-08 02:30 does not exist in New York; it resolves to 03:00 EDT = 07:00Z.
    let local = NaiveDate::from_ymd_opt(2026, 3, 8)
        .unwrap()
        .and_hms_opt(2, 30, 0)
        .unwrap();
    assert_eq!(
        resolve_local(New_York, local),
        Utc.with_ymd_and_hms(2026, 3, 8, 7, 0, 0).unwrap()
    );
}

#[test]
fn fall_back_overlap_takes_the_earlier_instant() {
    // 2026-11-01 01:30 happens twice; the first is EDT (05:30Z).
    let local = NaiveDate::from_ymd_opt(2026, 11, 1)
        .unwrap()
        .and_hms_opt(1, 30, 0)
        .unwrap();
    assert_eq!(
        resolve_local(New_York, local),
        Utc.with_ymd_and_hms(2026, 11, 1, 5, 30, 0).unwrap()
    );
}

#[test]
fn next_open_across_a_gap_opening() {
    // A location opening at 02:00 on Sundays opens at 03:00 EDT on the spring-forward day.
    let cal =
        Calendar::compile(New_York, &hours(&[("sun", &[("02:00", "06:00")])]), &[], "").unwrap();
    let sat_night = Utc.with_ymd_and_hms(2026, 3, 8, 4, 0, 0).unwrap(); // 23:00 EST Sat
    assert_eq!(
        cal.next_open(sat_night, 14),
        Some(Utc.with_ymd_and_hms(2026, 3, 8, 7, 0, 0).unwrap())
    );
}

#[test]
fn overnight_interval_covers_after_midnight_and_honours_holidays_by_start_date() {
    let cal = Calendar::compile(
        Phoenix,
        &hours(&[
            ("wed", &[("18:00", "02:00")]),
            ("thu", &[("18:00", "02:00")]),
        ]),
        &[Holiday::Closed("2026-11-26".into())],
        "",
    )
    .unwrap();
    // Thursday 01:00 is the Wednesday interval's spill: open although Thursday is a holiday.
    let thu_1am = Utc.with_ymd_and_hms(2026, 11, 26, 8, 0, 0).unwrap();
    assert_eq!(cal.openness(thu_1am), Openness::Open);
    // Thursday 19:00 would be Thursday's own interval, which the holiday cancels.
    let thu_7pm = Utc.with_ymd_and_hms(2026, 11, 27, 2, 0, 0).unwrap();
    assert_eq!(cal.openness(thu_7pm), Openness::HolidayClosed);
    // The holiday's next opening is Friday? No Friday hours: next is the following Wednesday.
    assert_eq!(
        cal.next_open(thu_7pm, 14),
        Some(Utc.with_ymd_and_hms(2026, 12, 3, 1, 0, 0).unwrap())
    );
}

#[test]
fn split_shift_and_special_hours() {
    let cal = Calendar::compile(
        Phoenix,
        &hours(&[("fri", &[("08:00", "12:00"), ("13:00", "17:00")])]),
        &[Holiday::Special(SpecialDay {
            date: "2026-11-27".into(),
            name: Some("Black Friday".into()),
            hours: vec![["10:00".into(), "14:00".into()]],
        })],
        "",
    )
    .unwrap();
    let at = |d: u32, h: u32, m: u32| {
        chrono::DateTime::parse_from_rfc3339(&format!("2026-11-{d:02}T{h:02}:{m:02}:00-07:00"))
            .unwrap()
            .with_timezone(&Utc)
    };
    assert_eq!(cal.openness(at(20, 12, 30)), Openness::OutsideHours);
    assert_eq!(cal.openness(at(20, 12, 59)), Openness::OutsideHours);
    assert_eq!(cal.openness(at(20, 13, 0)), Openness::Open);
    assert_eq!(cal.openness(at(20, 16, 59)), Openness::Open);
    assert_eq!(cal.openness(at(20, 17, 0)), Openness::OutsideHours);
    assert_eq!(cal.openness(at(27, 9, 0)), Openness::OutsideSpecialHours);
    assert_eq!(cal.openness(at(27, 12, 30)), Openness::OpenSpecialHours);
    assert_eq!(cal.openness(at(21, 12, 0)), Openness::ClosedDay);
}

#[test]
fn whole_day_and_midnight_end() {
    let cal =
        Calendar::compile(Phoenix, &hours(&[("mon", &[("00:00", "24:00")])]), &[], "").unwrap();
    let mon_2359 = Utc.with_ymd_and_hms(2026, 11, 24, 6, 59, 0).unwrap(); // Mon 23:59 MST
    assert_eq!(cal.openness(mon_2359), Openness::Open);
    let tue_0000 = Utc.with_ymd_and_hms(2026, 11, 24, 7, 0, 0).unwrap();
    assert_eq!(cal.openness(tue_0000), Openness::ClosedDay);
}
