//! Stage 1, category: voicemail, after hours, abandoned or ring-no-answer, from the event's
//! disposition and the location's hours in its own zone.

use chrono::{DateTime, Datelike};
use chrono_tz::Tz;
use std::borrow::Cow;

use crate::calendar::Openness;
use crate::compile::CompiledLocation;
use crate::model::decision::Category;
use crate::model::event::{Disposition, MissedCallEvent};
use crate::trace::Trace;

/// What stage 1 found.
#[derive(Debug, Clone)]
pub struct CategoryOutcome {
    /// The category; `None` for an answered call.
    pub category: Option<Category>,
    /// The finer reason.
    pub reason: Cow<'static, str>,
    /// Closed by the calendar, or flagged after-hours by the vendor.
    pub after_hours: bool,
    /// A message was left.
    pub left_voicemail: bool,
    /// The calendar's verdict at `occurred_at`.
    pub openness: Openness,
    /// `occurred_at` in the location's zone.
    pub local: DateTime<Tz>,
}

const STAGE: &str = "category";

/// Runs stage 1.
pub fn run(event: &MissedCallEvent, loc: &CompiledLocation, trace: &mut Trace) -> CategoryOutcome {
    let utc = event.occurred_at.utc();
    let local = utc.with_timezone(&loc.tz.0);
    let openness = loc.calendar.openness(utc);
    let holiday = loc
        .calendar
        .special_day(local.date_naive())
        .and_then(|d| d.name.clone());
    trace_push!(
        trace,
        STAGE,
        "business_hours",
        openness.as_str(),
        "{} {} in {}{}",
        local.weekday(),
        local.format("%Y-%m-%d %H:%M"),
        loc.tz.name(),
        holiday.map(|h| text!(" ({h})")).unwrap_or_default()
    );
    let vendor_after_hours = event.disposition == Disposition::AfterHours;
    if vendor_after_hours {
        trace_push!(
            trace,
            STAGE,
            "vendor_after_hours",
            "after_hours",
            "vendor disposition {}",
            event.raw_disposition.as_deref().unwrap_or("after_hours")
        );
    }
    let after_hours = vendor_after_hours || !openness.is_open();
    let left_voicemail = event.disposition == Disposition::Voicemail
        || event.voicemail.as_ref().is_some_and(|v| v.has_content());
    trace_push!(trace, STAGE, "voicemail_check", if left_voicemail { "left" } else { "none" }; match (&event.voicemail, event.disposition) {
        (Some(v), _) if v.has_content() => "voicemail object with content".to_string(),
        (_, Disposition::Voicemail) => "disposition voicemail".to_string(),
        (Some(_), _) => "voicemail object is empty".to_string(),
        (None, _) => "no voicemail".to_string(),
    });

    if event.disposition == Disposition::Answered {
        trace.push(
            STAGE,
            "answered_check",
            "not_missed",
            "disposition answered",
        );
        return CategoryOutcome {
            category: None,
            reason: Cow::Borrowed("answered"),
            after_hours,
            left_voicemail: false,
            openness,
            local,
        };
    }

    let (category, reason): (Category, Cow<'static, str>) = if left_voicemail {
        (
            Category::Voicemail,
            Cow::Borrowed(if after_hours {
                "voicemail_after_hours"
            } else {
                "voicemail"
            }),
        )
    } else if after_hours {
        (
            Category::AfterHours,
            Cow::Borrowed(if vendor_after_hours && openness.is_open() {
                "vendor_after_hours"
            } else {
                openness.as_str()
            }),
        )
    } else {
        match event.disposition {
            Disposition::Abandoned
            | Disposition::AbandonedInIvr
            | Disposition::AbandonedInQueue
            | Disposition::ShortAbandoned => (
                Category::Abandoned,
                Cow::Borrowed(event.disposition.as_str()),
            ),
            _ => (
                Category::RingNoAnswer,
                Cow::Borrowed(event.disposition.as_str()),
            ),
        }
    };
    trace_push!(
        trace,
        STAGE,
        "category_result",
        category.as_str(),
        "reason {reason}"
    );
    CategoryOutcome {
        category: Some(category),
        reason,
        after_hours,
        left_voicemail,
        openness,
        local,
    }
}
