//! Stage 3, identity and dedup: webhook replays, shared lines, primary selection with
//! merge candidates, and repeat callers with the message cooldown.

use chrono::Duration;
use std::cmp::Ordering;

use crate::compile::{CompiledLocation, CompiledPolicy};
use crate::crm_index::CrmSource;
use crate::model::crm::{Contact, ContactKind, RecentEventKind};
use crate::model::decision::{Candidate, MergeCandidate, Repeat};
use crate::model::event::MissedCallEvent;
use crate::model::time::Timestamp;
use crate::trace::Trace;

/// A webhook delivered again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Replay {
    /// A first delivery.
    None,
    /// The same event again: do nothing.
    Duplicate {
        /// The contact that already holds the event.
        contact_id: String,
    },
    /// The same event again, now carrying a transcript the first lacked.
    Amended {
        /// The contact that already holds the event.
        contact_id: String,
    },
}

/// What stage 3 found.
#[derive(Debug)]
pub struct IdentityOutcome<'c> {
    /// Replay status.
    pub replay: Replay,
    /// Distinct contacts on the caller's number, in primary-selection order.
    pub matches: Vec<&'c Contact>,
    /// Contacts that hold this event id already (for the decision id).
    pub holders: Vec<&'c Contact>,
    /// More distinct contacts than the shared-line threshold.
    pub shared_line: bool,
    /// The primary contact (none on a shared line or without matches).
    pub primary: Option<&'c Contact>,
    /// Every match with its rank.
    pub candidates: Vec<Candidate>,
    /// Matches other than the primary, with reasons.
    pub merge_candidates: Vec<MergeCandidate>,
    /// Repeat-caller facts.
    pub repeat: Option<Repeat>,
}

const STAGE: &str = "identity";

/// Orders contacts for primary selection: customer over lead; the calling location over
/// others; latest `last_activity_at`; earliest `created_at`; smallest id.
fn primary_order(a: &Contact, b: &Contact, location_id: &str) -> Ordering {
    let kind = |c: &Contact| (c.kind != ContactKind::Customer) as u8;
    let here = |c: &Contact| (c.location_id.as_deref() != Some(location_id)) as u8;
    kind(a)
        .cmp(&kind(b))
        .then_with(|| here(a).cmp(&here(b)))
        .then_with(|| match (a.last_activity_at, b.last_activity_at) {
            (Some(x), Some(y)) => y.cmp(&x),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        })
        .then_with(|| match (a.created_at, b.created_at) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        })
        .then_with(|| a.id.cmp(&b.id))
}

/// Why `other` ranked below `primary`, plus signals that they are the same person.
fn merge_reasons(primary: &Contact, other: &Contact, location_id: &str) -> Vec<String> {
    let mut reasons = vec!["same phone number as the primary".to_string()];
    let lower = |s: &Option<String>| s.as_deref().map(|x| x.trim().to_lowercase());
    if lower(&primary.first_name).is_some()
        && lower(&primary.first_name) == lower(&other.first_name)
        && lower(&primary.last_name) == lower(&other.last_name)
    {
        reasons.push("same first and last name".to_string());
    }
    if primary
        .emails
        .iter()
        .any(|e| other.emails.iter().any(|o| o.eq_ignore_ascii_case(e)))
    {
        reasons.push("same email address".to_string());
    }
    let why = if primary.kind == ContactKind::Customer && other.kind == ContactKind::Lead {
        "ranked below: lead, primary is a customer".to_string()
    } else if primary.location_id.as_deref() == Some(location_id)
        && other.location_id.as_deref() != Some(location_id)
    {
        text!(
            "ranked below: belongs to location {}, not the calling location",
            other.location_id.as_deref().unwrap_or("(none)")
        )
    } else if primary.last_activity_at != other.last_activity_at {
        "ranked below: older last activity".to_string()
    } else if primary.created_at != other.created_at {
        "ranked below: created later".to_string()
    } else {
        "ranked below: larger id".to_string()
    };
    reasons.push(why);
    reasons
}

/// Runs stage 3.
pub fn run<'c, S: CrmSource + ?Sized>(
    event: &MissedCallEvent,
    loc: &CompiledLocation,
    policy: &CompiledPolicy,
    key: Option<&str>,
    crm: &'c S,
    trace: &mut Trace,
) -> IdentityOutcome<'c> {
    let dedup = &loc.config.dedup;

    // Replay: the event id is already recorded as a missed call on some contact.
    let holders = crm.by_missed_call(&event.event_id);
    let replay = match holders.first() {
        None => {
            trace.push(
                STAGE,
                "replay_check",
                "new",
                "event id not recorded on any contact",
            );
            Replay::None
        }
        Some(h) => {
            // Amended only when the record says explicitly that the first delivery had no
            // transcript; an unknown (absent) flag is a plain redelivery.
            let mut recorded = h
                .recent_events
                .iter()
                .filter(|r| r.event_id == event.event_id)
                .peekable();
            let known_without =
                recorded.peek().is_some() && recorded.all(|r| r.had_transcript == Some(false));
            let has_transcript = event
                .voicemail
                .as_ref()
                .and_then(|v| v.transcript_text())
                .is_some();
            if has_transcript && known_without {
                trace_push!(
                    trace,
                    STAGE,
                    "replay_check",
                    "amended",
                    "event already on contact {}; this delivery adds a voicemail transcript",
                    h.id
                );
                Replay::Amended {
                    contact_id: h.id.clone(),
                }
            } else {
                trace_push!(
                    trace,
                    STAGE,
                    "replay_check",
                    "duplicate",
                    "event already recorded on contact {}",
                    h.id
                );
                Replay::Duplicate {
                    contact_id: h.id.clone(),
                }
            }
        }
    };

    // Matches on the normalized number, each contact once.
    let mut matches: Vec<&Contact> = match key {
        Some(k) => crm.by_phone(k, policy),
        None => Vec::new(),
    };
    matches.sort_by(|a, b| primary_order(a, b, &loc.id));
    matches.dedup_by(|a, b| a.id == b.id);
    trace_push!(trace, STAGE, "crm_match", text!("{}", matches.len()); match key {
        Some(k) => text!("{} contact(s) with {}", matches.len(), trace.pii(k)),
        None => "no number to match on".to_string(),
    });

    let candidates: Vec<Candidate> = matches
        .iter()
        .enumerate()
        .map(|(i, c)| Candidate {
            contact_id: c.id.clone(),
            kind: c.kind,
            location_id: c.location_id.clone(),
            rank: i as u32 + 1,
        })
        .collect();

    let threshold = dedup.shared_line_threshold as usize;
    let shared_line = matches.len() > threshold;
    trace_push!(
        trace,
        STAGE,
        "shared_line",
        if shared_line { "shared" } else { "no" },
        "{} distinct contact(s), threshold {}",
        matches.len(),
        threshold
    );

    let primary = if shared_line {
        None
    } else {
        matches.first().copied()
    };
    let merge_candidates: Vec<MergeCandidate> = match primary {
        Some(p) => matches[1..]
            .iter()
            .map(|o| MergeCandidate {
                contact_id: o.id.clone(),
                reasons: merge_reasons(p, o, &loc.id),
            })
            .collect(),
        None => Vec::new(),
    };
    if let Some(p) = primary {
        trace_push!(
            trace,
            STAGE,
            "primary_selection",
            "selected",
            "{} ({}, location {}); {} merge candidate(s)",
            p.id,
            match p.kind {
                ContactKind::Customer => "customer",
                ContactKind::Lead => "lead",
            },
            p.location_id.as_deref().unwrap_or("-"),
            merge_candidates.len()
        );
    }

    let repeat = primary.and_then(|p| repeat_facts(event, p, &matches, loc, trace));
    IdentityOutcome {
        replay,
        matches,
        holders,
        shared_line,
        primary,
        candidates,
        merge_candidates,
        repeat,
    }
}

/// Repeat-caller facts from the matched contacts' recent events and the primary's open
/// follow-up. `None` when the caller has no earlier missed call in the window and no open
/// follow-up.
fn repeat_facts(
    event: &MissedCallEvent,
    primary: &Contact,
    matches: &[&Contact],
    loc: &CompiledLocation,
    trace: &mut Trace,
) -> Option<Repeat> {
    let dedup = &loc.config.dedup;
    let now = event.occurred_at.utc();
    let window = Duration::minutes(i64::from(dedup.repeat_window_minutes));
    let urgent = Duration::minutes(i64::from(dedup.urgent_repeat_minutes));
    let cooldown = Duration::minutes(i64::from(dedup.message_cooldown_minutes));

    let earlier = || {
        matches
            .iter()
            .flat_map(|c| c.recent_events.iter())
            .filter(|r| r.event_id != event.event_id && r.occurred_at.utc() <= now)
    };
    let previous = earlier()
        .filter(|r| r.kind == RecentEventKind::MissedCall && now - r.occurred_at.utc() <= window)
        .max_by(|a, b| {
            a.occurred_at
                .cmp(&b.occurred_at)
                .then_with(|| b.event_id.cmp(&a.event_id))
        });
    let mut in_urgent: Vec<&str> = earlier()
        .filter(|r| r.kind == RecentEventKind::MissedCall && now - r.occurred_at.utc() <= urgent)
        .map(|r| r.event_id.as_str())
        .collect();
    in_urgent.sort_unstable();
    in_urgent.dedup();
    let calls_in_urgent_window = in_urgent.len() as u32 + 1;
    let last_touch = earlier()
        .filter(|r| {
            matches!(
                r.kind,
                RecentEventKind::SmsSent | RecentEventKind::EmailSent | RecentEventKind::MissedCall
            )
        })
        .map(|r| r.occurred_at.utc())
        .max();
    let cooldown_until = last_touch
        .map(|t| t + cooldown)
        .filter(|until| *until > event.now().utc())
        .map(Timestamp::from_utc);

    let open = primary.open_followup.as_ref();
    if previous.is_none() && open.is_none() {
        trace_push!(
            trace,
            STAGE,
            "repeat_caller",
            "no",
            "no missed call in the last {} min and no open follow-up",
            dedup.repeat_window_minutes
        );
        return None;
    }
    let minutes_since = previous.map(|p| (now - p.occurred_at.utc()).num_minutes());
    trace_push!(trace, STAGE, "repeat_caller", "yes"; match (open, previous) {
        (Some(f), _) => text!("open follow-up {}", f.id),
        (None, Some(p)) => text!(
            "missed call {} {} min earlier",
            p.event_id,
            minutes_since.unwrap_or(0)
        ),
        (None, None) => String::new(),
    });
    let raise = calls_in_urgent_window >= 2;
    trace_push!(
        trace,
        STAGE,
        "urgent_repeat",
        if raise { "raise_urgency" } else { "no" },
        "{} missed call(s) within {} min",
        calls_in_urgent_window,
        dedup.urgent_repeat_minutes
    );
    trace_push!(trace, STAGE, "message_cooldown", if cooldown_until.is_some() {
        "active"
    } else {
        "clear"
    }; match cooldown_until {
        Some(u) => text!("no first-touch message before {}", u.to_rfc3339()),
        None => text!(
            "no touch in the last {} min",
            dedup.message_cooldown_minutes
        ),
    });
    Some(Repeat {
        open_followup_id: open.map(|f| f.id.clone()),
        previous_event_id: previous.map(|p| p.event_id.clone()),
        minutes_since_previous: minutes_since,
        calls_in_urgent_window,
        raise_urgency: raise,
        first_touch_cooldown_until: cooldown_until,
    })
}
