//! Whose clock counts for quiet hours (SPEC §4.9): the contact's `time_zone`, else its
//! `state`'s zones, else every zone of the caller's area code (all must allow), else the
//! location's zone; and which calling-hours rules apply: the federal floor plus the states
//! known from the contact and the area code (CRTC for Canadian callees).

use chrono_tz::Tz;

use crate::compile::{CompiledLocation, CompiledPolicy};
use crate::compliance::calling_hours::{self, CallingRule};
use crate::crm_index::contact_region;
use crate::model::crm::{Contact, LineType};
use crate::model::decision::{Callee, Caller};
use crate::trace::Trace;
use crate::{nanp, phone};

/// The callee as the compliance gate needs it.
#[derive(Debug, Clone)]
pub struct CalleeCtx {
    /// Zones (every one must allow).
    pub zones: Vec<Tz>,
    /// Rule sets (every one must allow).
    pub rules: Vec<&'static CallingRule>,
    /// Whether the callee is treated as Canadian (CRTC, CASL).
    pub canadian: bool,
    /// What goes into the decision.
    pub decision: Callee,
}

const STAGE: &str = "callee";

/// The line type of the primary contact's phone that matches the caller.
fn line_type(primary: Option<&Contact>, e164: Option<&str>, policy: &CompiledPolicy) -> LineType {
    let (Some(c), Some(e)) = (primary, e164) else {
        return LineType::Unknown;
    };
    let region = contact_region(c, policy);
    c.phones
        .iter()
        .find(|p| phone::match_key(p.number(), region).as_deref() == Some(e))
        .map(|p| p.line_type())
        .unwrap_or_default()
}

/// Resolves the callee.
pub fn run(
    loc: &CompiledLocation,
    policy: &CompiledPolicy,
    caller: &Caller,
    primary: Option<&Contact>,
    trace: &mut Trace,
) -> CalleeCtx {
    let contact_state = primary
        .and_then(|c| c.state.as_deref())
        .map(|s| s.trim().to_ascii_uppercase())
        .filter(|s| !s.is_empty());

    let (zones, source): (Vec<Tz>, &'static str) =
        if let Some(tz) = primary.and_then(|c| c.time_zone) {
            (vec![tz.0], "contact_time_zone")
        } else if let Some(z) = contact_state
            .as_deref()
            .map(nanp::zones_of_region)
            .filter(|z| !z.is_empty())
        {
            (z.to_vec(), "contact_state")
        } else if let Some(area) = caller.e164.as_deref().and_then(nanp::lookup) {
            (area.time_zones.clone(), "area_code")
        } else {
            (vec![loc.tz.0], "location")
        };

    let area_country = caller
        .e164
        .as_deref()
        .and_then(nanp::lookup)
        .map(|a| a.country);
    let canadian = match contact_state.as_deref() {
        Some(s) => nanp::is_canadian_region(s),
        None => match area_country {
            Some(c) => c == "CA",
            None => {
                caller.country.as_deref() == Some("CA")
                    || (caller.country.is_none() && loc.config.country == "CA")
            }
        },
    };

    let mut rules: Vec<&'static CallingRule> = Vec::new();
    // The sources are words: built at `audit.trace: full` only.
    let words = trace.keeps_detail();
    let mut sources: Vec<String> = Vec::new();
    if canadian {
        rules.push(calling_hours::canada());
        if words {
            sources.push(
                "CANADA: callee in Canada (CRTC Unsolicited Telecommunications Rules)".to_string(),
            );
        }
    } else {
        rules.push(calling_hours::federal());
        if words {
            sources.push("US-FEDERAL: floor for every US callee".to_string());
        }
        let mut states: Vec<(String, &'static str)> = Vec::new();
        if let Some(s) = &contact_state {
            states.push((s.clone(), "contact state"));
        }
        if area_country == Some("US") {
            if let Some(r) = &caller.region {
                states.push((r.clone(), "area code"));
            }
        }
        if states.is_empty() {
            if let Some(s) = &loc.config.state {
                states.push((s.clone(), "location state (callee state unknown)"));
            }
        }
        for (s, why) in states {
            match calling_hours::state(&s) {
                Some(rule) if !rules.iter().any(|r| r.code == rule.code) => {
                    rules.push(rule);
                    if words {
                        sources.push(text!("{s}: {why}"));
                    }
                }
                Some(_) => {}
                None if words => sources.push(text!("{s}: {why}, no state rule beyond federal")),
                None => {}
            }
        }
    }
    let zone_names: Vec<String> = zones.iter().map(|z| z.name().to_string()).collect();
    trace_push!(
        trace,
        STAGE,
        "callee_zone",
        source,
        "[{}]",
        zone_names.join(", ")
    );
    trace_push!(trace, STAGE, "calling_rules", rules.iter().map(|r| r.code).collect::<Vec<_>>().join(","); sources.join("; "));
    let lt = line_type(primary, caller.e164.as_deref(), policy);
    CalleeCtx {
        canadian,
        decision: Callee {
            time_zones: zone_names,
            zone_source: source,
            rules: rules.iter().map(|r| r.code.to_string()).collect(),
            rule_sources: sources,
            country: Some(
                if canadian {
                    "CA"
                } else if area_country.is_some() || caller.country.as_deref() == Some("US") {
                    "US"
                } else {
                    caller.country.as_deref().unwrap_or(&loc.config.country)
                }
                .to_string(),
            ),
            line_type: lt,
        },
        zones,
        rules,
    }
}
