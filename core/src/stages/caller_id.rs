//! Stage 2, caller id: withheld detection, E.164 normalization (default region = the
//! location's country), the NANP area code's state and zones, and CNAM screening.

use crate::compile::CompiledLocation;
use crate::model::decision::Caller;
use crate::model::event::MissedCallEvent;
use crate::trace::Trace;
use crate::{name, nanp, phone};

/// What stage 2 found.
#[derive(Debug, Clone)]
pub struct CallerOutcome {
    /// The caller as reported in the decision.
    pub caller: Caller,
    /// Whether an outbound follow-up to the number is possible.
    pub callable: bool,
    /// The CNAM person's name, when CNAM is one.
    pub person: Option<name::PersonName>,
}

const STAGE: &str = "caller_id";

/// Runs stage 2.
pub fn run(event: &MissedCallEvent, loc: &CompiledLocation, trace: &mut Trace) -> CallerOutcome {
    let mut caller = Caller::default();
    let raw = event.caller_number.as_deref();
    if let Some(why) = phone::withheld(raw) {
        caller.withheld = true;
        trace.push(STAGE, "withheld_check", "withheld", why.as_str());
    } else if let Some(raw) = raw {
        trace.push(STAGE, "withheld_check", "presented", "caller id presented");
        if phone::is_non_pstn(raw) {
            trace.push(
                STAGE,
                "normalize_e164",
                "not_a_phone_number",
                "SIP or client address",
            );
        } else {
            match phone::parse(raw, loc.region) {
                Some(p) => {
                    trace_push!(
                        trace,
                        STAGE,
                        "normalize_e164",
                        if p.valid { "valid" } else { "invalid" },
                        "{} → {} (default region {})",
                        trace.pii(raw),
                        trace.pii(&p.e164),
                        loc.config.country
                    );
                    caller.valid = p.valid;
                    caller.country = p.country;
                    caller.e164 = Some(p.e164);
                }
                None => trace_push!(
                    trace,
                    STAGE,
                    "normalize_e164",
                    "unparseable",
                    "{} is not a phone number",
                    trace.pii(raw)
                ),
            }
        }
    }
    if let Some(e164) = caller.e164.as_deref() {
        if let Some(area) = nanp::lookup(e164) {
            caller.region = area.region.map(str::to_string);
            caller.time_zones = area
                .time_zones
                .iter()
                .map(|z| z.name().to_string())
                .collect();
            trace_push!(
                trace,
                STAGE,
                "nanp_area_code",
                "found",
                "area code {} → {} {} [{}]",
                area.npa,
                area.country,
                area.region.unwrap_or("-"),
                caller.time_zones.join(", ")
            );
        } else if e164.starts_with("+1") {
            trace.push(STAGE, "nanp_area_code", "unknown", "area code not in table");
        }
    }
    let person = match name::screen(event.caller_name.as_deref()) {
        Ok(n) => {
            trace.push(
                STAGE,
                "cnam_screen",
                "person",
                "CNAM looks like a person's name",
            );
            caller.name = Some(n.display.clone());
            Some(n)
        }
        Err(why) => {
            trace.push(STAGE, "cnam_screen", "not_a_person", why.as_str());
            None
        }
    };
    let callable = caller.valid && !caller.withheld;
    trace.push(
        STAGE,
        "callable",
        if callable { "yes" } else { "no" },
        if callable {
            "a valid number to follow up on"
        } else {
            "no_callable_number"
        },
    );
    CallerOutcome {
        caller,
        callable,
        person,
    }
}
