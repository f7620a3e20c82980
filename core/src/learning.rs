//! Stage 12, the learning loop (SPEC §4.12): per location, decayed counts of confirmed
//! inquiry types per hour of the week (read back as a prior by intent scoring) and
//! Beta(successes, failures) per (template variant, channel) (read by Thompson sampling).
//! Serializable, bounded in size, updated only by explicit outcomes — never by the clock.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::model::outcome::{Outcome, OutcomeKind, OutcomeSubject};
use crate::model::time::Timestamp;

/// Most inquiry types kept per hour of the week.
pub const MAX_TYPES_PER_HOUR: usize = 32;
/// Most (variant, channel) posteriors kept per location.
pub const MAX_VARIANTS: usize = 256;

/// Beta posterior counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BetaCounts {
    /// Decayed successes.
    pub successes: f64,
    /// Decayed failures.
    pub failures: f64,
}

/// What one location has learned.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LocationLearning {
    /// The latest outcome applied (the decay clock).
    #[serde(default)]
    pub updated_at: Option<Timestamp>,
    /// Hour of week (0 = Monday 00:00 local) → inquiry type → decayed count.
    #[serde(default)]
    pub hour_of_week: BTreeMap<u16, BTreeMap<String, f64>>,
    /// `variant_id|channel` → posterior counts.
    #[serde(default)]
    pub variants: BTreeMap<String, BetaCounts>,
}

/// Everything learned, per location id.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LearningState {
    /// Per location.
    #[serde(default)]
    pub locations: BTreeMap<String, LocationLearning>,
}

impl LearningState {
    /// An empty state.
    pub fn new() -> Self {
        Self::default()
    }

    /// Parses a state from JSON text.
    pub fn from_json(text: &str) -> crate::Result<Self> {
        crate::error::from_json_str(text, crate::ErrorCode::InvalidJson)
    }

    /// Learned counts for a location's hour of the week.
    pub fn hour_prior(&self, location_id: &str, hour: u16) -> Option<&BTreeMap<String, f64>> {
        self.locations.get(location_id)?.hour_of_week.get(&hour)
    }

    /// The posterior of a variant on a channel.
    pub fn variant(&self, location_id: &str, variant: &str, channel: &str) -> BetaCounts {
        self.locations
            .get(location_id)
            .and_then(|l| l.variants.get(&format!("{variant}|{channel}")))
            .copied()
            .unwrap_or_default()
    }

    /// Applies an outcome of a decision: decays the location's counts to the outcome's
    /// time (half-life `half_life_days`), counts the confirmed inquiry type at the call's
    /// hour of the week (engaged, converted, or staff-confirmed type), and updates the
    /// posterior of the template variant used on the outcome's step. Outcomes older than
    /// the location's latest are still counted, without decaying anything.
    pub fn learn(&mut self, decision: &OutcomeSubject, outcome: &Outcome, half_life_days: f64) {
        let loc = self
            .locations
            .entry(decision.location_id.clone())
            .or_default();
        let at = outcome.at.utc();
        if let Some(prev) = loc.updated_at.map(|t| t.utc()) {
            if at > prev && half_life_days > 0.0 {
                let days = (at - prev).num_seconds() as f64 / 86_400.0;
                let f = 0.5f64.powf(days / half_life_days);
                for counts in loc.hour_of_week.values_mut() {
                    for c in counts.values_mut() {
                        *c *= f;
                    }
                }
                for b in loc.variants.values_mut() {
                    b.successes *= f;
                    b.failures *= f;
                }
            }
        }
        if loc.updated_at.is_none_or(|p| p.utc() < at) {
            loc.updated_at = Some(Timestamp::from_utc(at));
        }
        if let Some(intent) = &decision.intent {
            let confirmed = outcome.inquiry_type.clone().or_else(|| {
                matches!(outcome.kind, OutcomeKind::Engaged | OutcomeKind::Converted)
                    .then(|| intent.inquiry_type.clone())
            });
            if let Some(t) = confirmed {
                let counts = loc.hour_of_week.entry(intent.hour_of_week).or_default();
                if counts.contains_key(&t) || counts.len() < MAX_TYPES_PER_HOUR {
                    *counts.entry(t).or_default() += 1.0;
                }
            }
        }
        let step = decision.follow_up.iter().find(|s| {
            outcome.step.as_deref().is_none_or(|id| s.id == id)
                && s.variant_id.is_some()
                && outcome.channel.is_none_or(|c| s.channel == Some(c))
        });
        if let (Some(step), Some(channel)) = (step, step.and_then(|s| s.channel)) {
            if let Some(v) = &step.variant_id {
                let key = format!("{v}|{}", channel.as_str());
                if !loc.variants.contains_key(&key) && loc.variants.len() >= MAX_VARIANTS {
                    // Keep the size bounded: forget the posterior with the least evidence.
                    if let Some(k) = loc
                        .variants
                        .iter()
                        .min_by(|a, b| {
                            (a.1.successes + a.1.failures)
                                .partial_cmp(&(b.1.successes + b.1.failures))
                                .unwrap_or(std::cmp::Ordering::Equal)
                        })
                        .map(|(k, _)| k.clone())
                    {
                        loc.variants.remove(&k);
                    }
                }
                let b = loc.variants.entry(key).or_default();
                match outcome.kind {
                    OutcomeKind::Engaged | OutcomeKind::Converted => b.successes += 1.0,
                    OutcomeKind::NotReached | OutcomeKind::OptedOut => b.failures += 1.0,
                    OutcomeKind::WrongNumber => {}
                }
            }
        }
    }
}

/// Deterministic pseudo-random numbers from a seed (SplitMix64), for Thompson sampling
/// seeded by the event id. Not a source of entropy: the same seed gives the same draws.
#[derive(Debug, Clone)]
pub struct SeededRng(u64);

impl SeededRng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        SeededRng(seed)
    }

    /// The next 64 bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in (0, 1).
    pub fn unit(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    fn normal(&mut self) -> f64 {
        let (u1, u2) = (self.unit(), self.unit());
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }

    /// Gamma(shape, 1) by Marsaglia–Tsang (shape < 1 boosted).
    fn gamma(&mut self, shape: f64) -> f64 {
        if shape < 1.0 {
            let u = self.unit();
            return self.gamma(shape + 1.0) * u.powf(1.0 / shape);
        }
        let d = shape - 1.0 / 3.0;
        let c = 1.0 / (9.0 * d).sqrt();
        for _ in 0..64 {
            let x = self.normal();
            let v = (1.0 + c * x).powi(3);
            if v <= 0.0 {
                continue;
            }
            let u = self.unit();
            if u.ln() < 0.5 * x * x + d - d * v + d * v.ln() {
                return d * v;
            }
        }
        d
    }

    /// A draw from Beta(a, b).
    pub fn beta(&mut self, a: f64, b: f64) -> f64 {
        let x = self.gamma(a.max(1e-3));
        let y = self.gamma(b.max(1e-3));
        if x + y > 0.0 {
            x / (x + y)
        } else {
            0.5
        }
    }
}
