//! Stage 5, intent (SPEC §4.5): additive log-odds per inquiry type from the vertical prior,
//! the location's learned hour-of-week prior, transcript and attribution lexicons (negation
//! aware), an AI receptionist's captured intent, category, cohort and repeat calls; softmax
//! for the confidence; urgency rules on top. Every signal is reported with its weight.

pub mod lexicon;
pub mod taxonomy;
pub mod tokens;

use chrono::{DateTime, Datelike, Timelike};
use chrono_tz::Tz;
use once_cell::sync::Lazy;
use serde_json::Value;
use std::collections::BTreeMap;

use crate::error::{Error, ErrorCode, Result};
use crate::model::crm::{Contact, ContactKind};
use crate::model::decision::{Category, Cohort, Intent, Signal, Urgency};
use crate::model::event::{AiReceptionist, Attribution};
use crate::model::policy::{IntentSettings, Vertical};
use crate::trace::Trace;
use lexicon::{Hit, Lexicon, Target};
use taxonomy::InquiryType;

const LEXICONS_JSON: &str = include_str!("../../data/intent_lexicons.json");

static LEXICONS: Lazy<BTreeMap<String, Value>> =
    Lazy::new(|| serde_json::from_str(LEXICONS_JSON).unwrap_or_default());

/// The inquiry types and lexicon of one location, compiled once.
#[derive(Debug, Clone)]
pub struct CompiledIntent {
    /// The inquiry types.
    pub types: Vec<InquiryType>,
    lexicon: Lexicon,
    general: usize,
}

fn phrase_list(v: &Value) -> Vec<(String, f64)> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|p| Some((p.get(0)?.as_str()?.to_string(), p.get(1)?.as_f64()?)))
                .collect()
        })
        .unwrap_or_default()
}

impl CompiledIntent {
    /// Compiles the taxonomy and lexicon for a vertical with a location's settings; `path`
    /// names the settings in errors.
    pub fn compile(vertical: Vertical, settings: &IntentSettings, path: &str) -> Result<Self> {
        let types = match &settings.types {
            Some(t) if t.is_empty() => {
                return Err(Error::new(
                    ErrorCode::InvalidPolicy,
                    text!("{path}.types"),
                    "at least one inquiry type is needed",
                ))
            }
            Some(t) => t.clone(),
            None => taxonomy::built_in(vertical),
        };
        let index = |id: &str| types.iter().position(|t| t.id == id);
        let mut lexicon = Lexicon::default();
        if let Some(Value::Object(by_type)) = LEXICONS.get(vertical.as_str()) {
            for (id, list) in by_type {
                if let Some(i) = index(id) {
                    for (p, w) in phrase_list(list) {
                        lexicon.add(&p, Target::Type(i), w);
                    }
                }
            }
        }
        if let Some(Value::Object(urgency)) = LEXICONS.get("_urgency") {
            for (class, target) in [
                ("raise_to_high", Target::RaiseHigh),
                ("raise_to_critical", Target::RaiseCritical),
                ("lower_to_low", Target::LowerLow),
            ] {
                for (p, w) in urgency.get(class).map(phrase_list).unwrap_or_default() {
                    lexicon.add(&p, target, w);
                }
            }
        }
        for (i, t) in types.iter().enumerate() {
            for (p, w) in &t.phrases {
                lexicon.add(p, Target::Type(i), *w);
            }
        }
        for (id, list) in &settings.phrases {
            let i = index(id).ok_or_else(|| {
                Error::new(
                    ErrorCode::InvalidPolicy,
                    text!("{path}.phrases.{id}"),
                    text!("`{id}` is not an inquiry type of {}", vertical.as_str()),
                )
            })?;
            for (p, w) in list {
                lexicon.add(p, Target::Type(i), *w);
            }
        }
        if !(settings.temperature.is_finite() && settings.temperature > 0.0) {
            return Err(Error::new(
                ErrorCode::InvalidPolicy,
                text!("{path}.temperature"),
                "must be a positive number",
            ));
        }
        let general = index("general_inquiry").unwrap_or(0);
        Ok(CompiledIntent {
            types,
            lexicon,
            general,
        })
    }

    /// Number of lexicon phrases.
    pub fn lexicon_len(&self) -> usize {
        self.lexicon.len()
    }

    /// Index of an inquiry type.
    pub fn index(&self, id: &str) -> Option<usize> {
        self.types.iter().position(|t| t.id == id)
    }
}

/// Everything intent scoring looks at.
#[derive(Debug, Clone, Copy)]
pub struct IntentInput<'a> {
    /// Voicemail transcript.
    pub transcript: Option<&'a str>,
    /// Marketing attribution.
    pub attribution: Option<&'a Attribution>,
    /// AI receptionist output.
    pub ai: Option<&'a AiReceptionist>,
    /// Missed-call category.
    pub category: Category,
    /// When the call happened, at the location.
    pub local: DateTime<Tz>,
    /// The primary contact.
    pub primary: Option<&'a Contact>,
    /// Two or more calls within the urgent-repeat window.
    pub repeat_raise: bool,
    /// Learned counts of inquiry types at this hour of the week, if any.
    pub learned: Option<&'a BTreeMap<String, f64>>,
}

/// Hour of the week, 0 = Monday 00:00–01:00 local.
pub fn hour_of_week(local: &DateTime<Tz>) -> u16 {
    (local.weekday().num_days_from_monday() * 24 + local.hour()) as u16
}

fn cohort(primary: Option<&Contact>, settings: &IntentSettings, now: &DateTime<Tz>) -> Cohort {
    let Some(c) = primary else {
        return Cohort::NewLead;
    };
    match c.kind {
        ContactKind::Lead => Cohort::ExistingLead,
        ContactKind::Customer => {
            let vip = c.tags.iter().any(|t| t.eq_ignore_ascii_case("vip"))
                || c.lifetime_value
                    .is_some_and(|v| v >= settings.vip_lifetime_value);
            let lapsed = c.last_activity_at.is_some_and(|t| {
                (now.with_timezone(&chrono::Utc) - t.utc()).num_days()
                    > i64::from(settings.lapsed_after_days)
            });
            if vip {
                Cohort::VipCustomer
            } else if lapsed {
                Cohort::LapsedCustomer
            } else {
                Cohort::ExistingCustomer
            }
        }
    }
}

fn urgency_rank(u: Urgency) -> u8 {
    match u {
        Urgency::Low => 0,
        Urgency::Normal => 1,
        Urgency::High => 2,
        Urgency::Critical => 3,
    }
}

fn at_least(u: Urgency, floor: Urgency) -> Urgency {
    if urgency_rank(u) < urgency_rank(floor) {
        floor
    } else {
        u
    }
}

/// Accumulates log-odds and the signals behind them.
struct Acc<'c> {
    ci: &'c CompiledIntent,
    logits: Vec<f64>,
    signals: Vec<Signal>,
    urgency_hits: Vec<Hit>,
    /// Whether signals keep their words.
    words: bool,
}

impl Acc<'_> {
    /// Adds `w` to type `i` and records the signal; its words are formatted only when the
    /// trace keeps words (`audit.trace: full`).
    fn add(&mut self, i: usize, w: f64, source: &'static str, detail: impl FnOnce() -> String) {
        if let Some(l) = self.logits.get_mut(i) {
            *l += w;
        }
        self.signals.push(Signal {
            source,
            inquiry_type: self.ci.types.get(i).map(|t| t.id.clone()),
            weight: (w * 1000.0).round() / 1000.0,
            detail: if self.words { detail() } else { String::new() },
        });
    }

    fn scan(&mut self, text: &str, scale: f64, source: &'static str) {
        let toks = tokens::tokenize(text);
        for h in self.ci.lexicon.scan(&toks) {
            match h.target {
                Target::Type(i) if !h.negated => {
                    self.add(i, h.weight * scale, source, || text!("\"{}\"", h.phrase))
                }
                Target::Type(_) => {}
                _ => self.urgency_hits.push(h),
            }
        }
    }
}

/// Scores the inquiry types and decides urgency and cohort.
pub fn score(
    ci: &CompiledIntent,
    settings: &IntentSettings,
    input: &IntentInput<'_>,
    trace: &mut Trace,
) -> Intent {
    let n = ci.types.len();
    let mut acc = Acc {
        ci,
        logits: ci.types.iter().map(|t| t.prior).collect(),
        signals: Vec::new(),
        urgency_hits: Vec::new(),
        words: trace.keeps_detail(),
    };

    // Learned hour-of-week prior: smoothed log share relative to uniform, bounded.
    if let Some(counts) = input.learned {
        let total: f64 = counts.values().sum();
        if total > 0.0 {
            let alpha = 1.0;
            for (i, t) in ci.types.iter().enumerate() {
                let c = counts.get(&t.id).copied().unwrap_or(0.0);
                let share = (c + alpha) / (total + alpha * n as f64);
                let w = ((share * n as f64).ln() * (total / (total + 5.0))).clamp(-1.5, 1.5);
                if w.abs() >= 0.05 {
                    acc.add(i, w, "learned_hour_prior", || {
                        text!("{c:.1} of {total:.1} outcomes at this hour of week")
                    });
                }
            }
        }
    }

    // Transcript, attribution text and the AI receptionist through the lexicon.
    if let Some(t) = input.transcript {
        acc.scan(t, 1.0, "transcript");
    }
    if let Some(a) = input.attribution {
        let text = [&a.campaign, &a.keywords, &a.landing_page]
            .iter()
            .filter_map(|x| x.as_deref())
            .collect::<Vec<_>>()
            .join(" ")
            .replace(['-', '_', '/', '+'], " ");
        if !text.is_empty() {
            acc.scan(&text, settings.attribution_weight, "attribution");
        }
    }
    if let Some(ai) = input.ai {
        if let Some(captured) = ai.captured_intent.as_deref() {
            match ci.index(captured.trim()) {
                Some(i) => acc.add(i, 3.0, "ai_receptionist", || {
                    text!("captured intent {captured}")
                }),
                None => acc.scan(captured, 1.5, "ai_receptionist"),
            }
        }
        if let Some(summary) = ai.summary.as_deref() {
            acc.scan(summary, 1.0, "ai_receptionist");
        }
    }
    let urgency_hits = std::mem::take(&mut acc.urgency_hits);
    let danger = urgency_hits
        .iter()
        .any(|h| h.target == Target::RaiseCritical && !h.negated);
    let pressing = urgency_hits
        .iter()
        .any(|h| h.target == Target::RaiseHigh && !h.negated);
    let calm = urgency_hits
        .iter()
        .any(|h| h.target == Target::LowerLow && !h.negated);

    // Category and time: after-hours callers skew to emergencies; danger words too.
    for (i, t) in ci.types.iter().enumerate() {
        if t.urgency == Urgency::Critical {
            if input.category == Category::AfterHours {
                acc.add(i, 0.3, "category", || "after-hours call".to_string());
            }
            if danger {
                acc.add(i, 1.5, "urgency", || "danger language".to_string());
            }
            if calm {
                acc.add(i, -1.0, "urgency", || {
                    "caller says it is not urgent".to_string()
                });
            }
            if input.repeat_raise {
                acc.add(i, 0.5, "repeat", || {
                    "second call within 30 minutes".to_string()
                });
            }
        }
    }

    // Cohort.
    let cohort = cohort(input.primary, settings, &input.local);
    for (i, t) in ci.types.iter().enumerate() {
        let existing = taxonomy::EXISTING_CUSTOMER_TYPES.contains(&t.id.as_str());
        let new = taxonomy::NEW_LEAD_TYPES.contains(&t.id.as_str());
        match cohort {
            Cohort::NewLead if new => acc.add(i, 0.4, "cohort", || "new caller".to_string()),
            Cohort::NewLead if existing => acc.add(i, -0.4, "cohort", || "new caller".to_string()),
            Cohort::ExistingCustomer | Cohort::VipCustomer | Cohort::LapsedCustomer if existing => {
                acc.add(i, 0.4, "cohort", || text!("{} calling", cohort.as_str()))
            }
            _ => {}
        }
    }

    let Acc {
        logits,
        mut signals,
        ..
    } = acc;
    // Softmax with the calibrated temperature.
    let temp = settings.temperature;
    let max = logits.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
    let exps: Vec<f64> = logits.iter().map(|l| ((l - max) / temp).exp()).collect();
    let sum: f64 = exps.iter().sum();
    let probs: Vec<f64> = exps.iter().map(|e| e / sum).collect();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|a, b| {
        probs[*b]
            .partial_cmp(&probs[*a])
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.cmp(b))
    });
    let best = order.first().copied().unwrap_or(ci.general);
    let t = &ci.types[best.min(n.saturating_sub(1))];
    let confidence = (probs.get(best).copied().unwrap_or(0.0) * 1000.0).round() / 1000.0;
    let runner_up = order.get(1).map(|i| {
        (
            ci.types[*i].id.clone(),
            (probs[*i] * 1000.0).round() / 1000.0,
        )
    });

    // Urgency rules.
    let mut urgency = t.urgency;
    let mut why = vec![text!("{} default {}", t.id, t.urgency.as_str())];
    if calm && !danger && !pressing && t.urgency != Urgency::Critical {
        urgency = Urgency::Low;
        why.push("caller says no rush".to_string());
    }
    if danger || pressing {
        urgency = at_least(urgency, Urgency::High);
        why.push("urgent words".to_string());
    }
    if input.repeat_raise {
        urgency = urgency.raised();
        why.push("repeat within 30 minutes: one level up".to_string());
    }
    if cohort == Cohort::VipCustomer {
        urgency = at_least(urgency, Urgency::High);
        why.push("VIP customer".to_string());
    }

    signals.sort_by(|a, b| {
        b.weight
            .abs()
            .partial_cmp(&a.weight.abs())
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    trace_push!(
        trace,
        "intent",
        "inquiry_type",
        t.id.clone(),
        "p={confidence:.3}{}; top signals: {}",
        runner_up
            .as_ref()
            .map(|(id, p)| text!(", runner-up {id} p={p:.3}"))
            .unwrap_or_default(),
        signals
            .iter()
            .take(4)
            .map(|s| text!(
                "{} {} {:+.2}{}",
                s.source,
                s.detail,
                s.weight,
                s.inquiry_type
                    .as_deref()
                    .map(|x| text!(" → {x}"))
                    .unwrap_or_default()
            ))
            .collect::<Vec<_>>()
            .join("; ")
    );
    trace_push!(trace, "intent", "urgency", urgency.as_str(); why.join("; "));
    trace.push(
        "intent",
        "cohort",
        cohort.as_str(),
        "from the primary contact",
    );
    Intent {
        inquiry_type: t.id.clone(),
        label: t.label.clone(),
        urgency,
        cohort,
        confidence,
        runner_up,
        value_multiplier: t.value_multiplier,
        hour_of_week: hour_of_week(&input.local),
        signals,
    }
}
