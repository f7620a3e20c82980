//! Demo outcomes: what happened after the demo week's follow-ups, generated
//! deterministically from the decisions the demo policy makes (replayed with CRM write-back,
//! exactly as `ringback replay` does), so the recovery report has something to recover.
//!
//! Plausible by construction, not by measurement: staff call back after the planned first
//! touch with a delay drawn from a skewed distribution (most within 15 minutes, a tail of
//! hours); the faster the callback, the likelier the caller engages (the speed-to-lead
//! effect); about half of engaged callers convert, for a value around the decision's value
//! at risk; a few opt out or turn out to be wrong numbers; about 6% of calls have no outcome
//! recorded. Seeds come from the event id, so the file is stable while decisions are.

use std::collections::BTreeSet;

use ringback::model::decision::Verdict;
use ringback::{CrmSnapshot, Engine, MissedCallEvent, Policy, Status};
use serde_json::{json, Value};

/// splitmix64 over a seed derived from the event id (FNV-1a).
struct Rng(u64);

impl Rng {
    fn for_event(id: &str) -> Self {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in id.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        Rng(h)
    }

    fn unit(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }

    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + ((hi - lo + 1) as f64 * self.unit()) as i64
    }
}

/// Callback delay after the planned first touch, in minutes.
fn callback_delay(rng: &mut Rng) -> i64 {
    let u = rng.unit();
    if u < 0.40 {
        rng.range(1, 5)
    } else if u < 0.65 {
        rng.range(6, 15)
    } else if u < 0.80 {
        rng.range(16, 30)
    } else if u < 0.92 {
        rng.range(31, 90)
    } else {
        rng.range(91, 360)
    }
}

/// Chance the caller engages, by minutes from the call to the callback.
fn engage_chance(minutes: i64) -> f64 {
    match minutes {
        m if m <= 5 => 0.62,
        m if m <= 15 => 0.52,
        m if m <= 30 => 0.42,
        m if m <= 60 => 0.33,
        _ => 0.22,
    }
}

/// Outcome lines (JSON objects) for the demo week.
pub fn generate(policy: &Value, crm: &Value, events: &[Value]) -> Vec<Value> {
    let (Ok(policy), Ok(crm)) = (
        serde_json::from_value::<Policy>(policy.clone()),
        serde_json::from_value::<CrmSnapshot>(crm.clone()),
    ) else {
        return Vec::new();
    };
    let Ok(engine) = Engine::new(&policy) else {
        return Vec::new();
    };
    let mut index = engine.index(crm);
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for v in events {
        let Ok(event) = serde_json::from_value::<MissedCallEvent>(v.clone()) else {
            continue;
        };
        let Ok(d) = engine.process(&event, &index) else {
            continue;
        };
        index.apply(&event, &d);
        if !matches!(
            d.status,
            Status::FollowUp | Status::Deferred | Status::ManualReview
        ) || !seen.insert(d.event_id.clone())
        {
            continue;
        }
        let Some(first) = d
            .follow_up
            .iter()
            .filter(|s| s.compliance.verdict != Verdict::Blocked)
            .min_by_key(|s| s.at.utc())
        else {
            continue;
        };
        let mut rng = Rng::for_event(&d.event_id);
        if rng.unit() < 0.06 {
            continue; // nobody recorded what happened
        }
        let call = d.occurred_at.utc();
        let responded = first.at.utc() + chrono::Duration::minutes(callback_delay(&mut rng));
        let minutes = (responded - call).num_minutes();
        let fmt = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%dT%H:%M:%SZ").to_string();
        let u = rng.unit();
        let engaged = u < engage_chance(minutes);
        let line = if engaged {
            let at = responded + chrono::Duration::minutes(rng.range(2, 20));
            if rng.unit() < 0.4 {
                let base = d.value_at_risk.unwrap_or(150.0);
                let value = (base * (0.6 + rng.unit()) / 5.0).round() * 5.0;
                json!({"event_id": d.event_id, "kind": "converted", "at": fmt(at + chrono::Duration::hours(rng.range(1, 48))),
                       "channel": "voice", "step": "callback", "responded_at": fmt(responded), "value": value})
            } else {
                json!({"event_id": d.event_id, "kind": "engaged", "at": fmt(at),
                       "channel": "voice", "step": "callback", "responded_at": fmt(responded)})
            }
        } else {
            let w = rng.unit();
            if w < 0.05 {
                json!({"event_id": d.event_id, "kind": "opted_out", "at": fmt(responded + chrono::Duration::minutes(rng.range(1, 30))),
                       "channel": "sms", "step": "first_touch", "responded_at": fmt(responded)})
            } else if w < 0.10 {
                json!({"event_id": d.event_id, "kind": "wrong_number", "at": fmt(responded),
                       "channel": "voice", "step": "callback", "responded_at": fmt(responded)})
            } else {
                json!({"event_id": d.event_id, "kind": "not_reached", "at": fmt(responded + chrono::Duration::hours(48)),
                       "channel": "voice", "step": "callback", "responded_at": fmt(responded)})
            }
        };
        out.push(line);
    }
    out
}
