//! The recovery report (SPEC §2 `Report::add`, `add_outcome`, `finish`): what missed calls
//! cost and what follow-up won back, per location and for the portfolio, per category,
//! vertical and campaign.
//!
//! A [`Report`] keeps one compact row per missed call, so it is exact (medians and
//! percentiles are computed over every response time, not estimated) and mergeable: shards
//! built in different workers or processes (it serializes) combine with [`Report::merge`],
//! and two halves merged give the same [`ReportSummary`] as the whole.
//!
//! Definitions (each one is covered by a test with a hand-computed value):
//!
//! - **missed calls**: decisions with a category whose status is not `duplicate_event`,
//!   `amended` or `not_missed` (a webhook retry or a late transcript is the same call).
//! - **CRM record rate**: missed calls whose record action writes the CRM (append or create)
//!   ÷ missed calls; **new-lead rate**: `create_lead` ÷ missed calls.
//! - **follow-up rate**: missed calls with at least one step compliance did not block ÷
//!   missed calls.
//! - **first response**: minutes from the call to the first step compliance did not block
//!   (or the time an outcome reports in `responded_at`); median and p90 by the nearest-rank
//!   method (the ⌈p·n⌉-th smallest).
//! - **SLA met rate**: responses at or before the SLA due time ÷ missed calls with both an
//!   SLA and a response.
//! - **compliance**: steps blocked / deferred, counted once per (step, rule).
//! - **engaged / converted rate**: missed calls with an `engaged` or `converted` outcome
//!   (engaged counts both) / with a `converted` outcome, ÷ missed calls.
//! - **value at risk**: Σ decision `value_at_risk`; **recovered**: Σ converted values.
//! - **weekly lost-revenue estimate**: missed calls × the location's average inquiry value,
//!   scaled to 7 days over the report's period (whole local days from the first to the last
//!   call).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::attribution::{campaign_of, AttributionEvent};
use crate::engine::Engine;
use crate::model::decision::{Category, Decision, RecordAction, Status, Verdict};
use crate::model::outcome::OutcomeKind;

/// What the report knows of a location (from the engine's policy).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct LocationInfo {
    /// Display name.
    pub name: String,
    /// Vertical.
    pub vertical: String,
    /// Average inquiry value.
    pub avg_inquiry_value: Option<f64>,
    /// ISO 4217 currency.
    pub currency: String,
}

impl ReportRow {
    /// Minutes to first response: the reported one when an outcome gave it, else the plan's.
    pub fn response_minutes(&self) -> Option<i64> {
        self.outcome
            .reported_first_response_minutes
            .or(self.first_response_minutes)
    }

    /// Whether any outcome was recorded.
    pub fn has_outcome(&self) -> bool {
        let o = &self.outcome;
        o.engaged || o.converted || o.not_reached || o.opted_out || o.wrong_number
    }
}

/// One missed call, as the report needs it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ReportRow {
    /// Location.
    pub location_id: String,
    /// Category.
    pub category: Category,
    /// Status of the first decision.
    pub status: Status,
    /// Local date of the call (`YYYY-MM-DD`).
    pub local_date: String,
    /// Hour of the week in local time (0 = Monday 00:00).
    pub hour_of_week: u16,
    /// Campaign credited.
    pub campaign: Option<String>,
    /// Record action.
    pub record_action: RecordAction,
    /// At least one step not blocked.
    pub followed_up: bool,
    /// Minutes from the call to the first unblocked step.
    pub first_response_minutes: Option<i64>,
    /// Whether that response met the SLA (none without SLA or response).
    pub sla_met: Option<bool>,
    /// Minutes from the call to the SLA due time.
    pub sla_due_minutes: Option<i64>,
    /// (rule, verdict) of every blocked or deferred step reason.
    pub compliance: Vec<(String, Verdict)>,
    /// Value at risk.
    pub value_at_risk: Option<f64>,
    /// Outcome summary (filled by `add_outcome`).
    pub outcome: RowOutcome,
}

/// The outcomes recorded for one missed call.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RowOutcome {
    /// An engaged or converted outcome was recorded.
    pub engaged: bool,
    /// A converted outcome was recorded.
    pub converted: bool,
    /// A not-reached outcome was recorded.
    pub not_reached: bool,
    /// An opt-out was recorded.
    pub opted_out: bool,
    /// A wrong-number outcome was recorded.
    pub wrong_number: bool,
    /// Σ converted values.
    pub recovered_value: f64,
    /// First response reported by an outcome's `responded_at` (overrides the plan).
    pub reported_first_response_minutes: Option<i64>,
    /// SLA met according to the reported response.
    pub reported_sla_met: Option<bool>,
}

/// Accumulates decisions and outcomes; [`Report::finish`] computes the figures.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Report {
    /// Locations by id.
    pub locations: BTreeMap<String, LocationInfo>,
    /// Missed calls by event id.
    pub rows: BTreeMap<String, ReportRow>,
    /// Decisions seen by status (every decision, missed or not).
    pub statuses: BTreeMap<String, u64>,
    /// Outcomes for events the report has no missed call for.
    pub unmatched_outcomes: u64,
}

impl Report {
    /// An empty report for an engine's locations.
    pub fn new(engine: &Engine) -> Self {
        let mut locations = BTreeMap::new();
        for l in &engine.compiled().locations {
            locations.insert(
                l.id.clone(),
                LocationInfo {
                    name: l.name.clone(),
                    vertical: l.vertical.as_str().to_string(),
                    avg_inquiry_value: l.config.avg_inquiry_value,
                    currency: l.config.currency.clone(),
                },
            );
        }
        Report {
            locations,
            ..Report::default()
        }
    }

    /// Adds a decision. Retries, amendments and answered calls are counted by status only;
    /// a missed call already in the report keeps its first decision.
    pub fn add(&mut self, d: &Decision) {
        *self
            .statuses
            .entry(d.status.as_str().to_string())
            .or_default() += 1;
        let Some(category) = d.category else { return };
        if matches!(
            d.status,
            Status::DuplicateEvent | Status::Amended | Status::NotMissed
        ) || self.rows.contains_key(&d.event_id)
        {
            return;
        }
        let first = d
            .follow_up
            .iter()
            .filter(|s| s.compliance.verdict != Verdict::Blocked)
            .map(|s| s.at.utc())
            .min();
        let first_response_minutes = first.map(|t| (t - d.occurred_at.utc()).num_minutes());
        let sla_met = match (&d.sla, first) {
            (Some(sla), Some(t)) => Some(t <= sla.due_at.utc()),
            _ => None,
        };
        let mut compliance = Vec::new();
        for s in &d.follow_up {
            if s.compliance.verdict != Verdict::Allowed {
                let mut rules: Vec<&str> = s.compliance.reasons.iter().map(|r| r.rule).collect();
                rules.sort_unstable();
                rules.dedup();
                for r in rules {
                    compliance.push((r.to_string(), s.compliance.verdict));
                }
            }
        }
        let (local_date, hour_of_week) = local_parts(&d.occurred_at_local);
        self.rows.insert(
            d.event_id.clone(),
            ReportRow {
                location_id: d.location_id.clone(),
                category,
                status: d.status,
                local_date,
                hour_of_week: d
                    .intent
                    .as_ref()
                    .map(|i| i.hour_of_week)
                    .unwrap_or(hour_of_week),
                campaign: campaign_of(d.attribution.as_ref(), d.tracking_number.as_deref()),
                record_action: d.record.action,
                followed_up: first.is_some(),
                first_response_minutes,
                sla_met,
                sla_due_minutes: d
                    .sla
                    .as_ref()
                    .map(|s| (s.due_at.utc() - d.occurred_at.utc()).num_minutes()),
                compliance,
                value_at_risk: d.value_at_risk,
                outcome: RowOutcome::default(),
            },
        );
    }

    /// Adds an outcome's attribution event to its missed call.
    pub fn add_outcome(&mut self, a: &AttributionEvent) {
        let Some(row) = self.rows.get_mut(&a.event_id) else {
            self.unmatched_outcomes += 1;
            return;
        };
        let o = &mut row.outcome;
        match a.outcome {
            OutcomeKind::Engaged => o.engaged = true,
            OutcomeKind::Converted => {
                o.engaged = true;
                o.converted = true;
                o.recovered_value += a.recovered_value;
            }
            OutcomeKind::NotReached => o.not_reached = true,
            OutcomeKind::OptedOut => o.opted_out = true,
            OutcomeKind::WrongNumber => o.wrong_number = true,
        }
        if a.first_response_reported {
            if let Some(m) = a.first_response_minutes {
                if o.reported_first_response_minutes.is_none_or(|p| m < p) {
                    o.reported_first_response_minutes = Some(m);
                    o.reported_sla_met = a.sla_met;
                }
            }
        }
    }

    /// Combines another shard into this one (a missed call in both keeps this shard's
    /// decision and both shards' outcomes).
    pub fn merge(&mut self, other: Report) {
        for (k, v) in other.locations {
            self.locations.entry(k).or_insert(v);
        }
        for (k, v) in other.statuses {
            *self.statuses.entry(k).or_default() += v;
        }
        self.unmatched_outcomes += other.unmatched_outcomes;
        for (id, row) in other.rows {
            match self.rows.get_mut(&id) {
                None => {
                    self.rows.insert(id, row);
                }
                Some(mine) => {
                    let (a, b) = (&mut mine.outcome, row.outcome);
                    a.engaged |= b.engaged;
                    a.converted |= b.converted;
                    a.not_reached |= b.not_reached;
                    a.opted_out |= b.opted_out;
                    a.wrong_number |= b.wrong_number;
                    a.recovered_value += b.recovered_value;
                    if let Some(m) = b.reported_first_response_minutes {
                        if a.reported_first_response_minutes.is_none_or(|p| m < p) {
                            a.reported_first_response_minutes = Some(m);
                            a.reported_sla_met = b.reported_sla_met;
                        }
                    }
                }
            }
        }
    }

    /// Computes every figure.
    pub fn finish(&self) -> ReportSummary {
        let (from, to) = (
            self.rows.values().map(|r| r.local_date.as_str()).min(),
            self.rows.values().map(|r| r.local_date.as_str()).max(),
        );
        let period_days = match (from, to) {
            (Some(a), Some(b)) => days_between(a, b) + 1,
            _ => 0,
        };
        let all: Vec<&ReportRow> = self.rows.values().collect();
        let currencies: std::collections::BTreeSet<&str> = self
            .locations
            .values()
            .map(|l| l.currency.as_str())
            .collect();
        let portfolio_currency = match currencies.len() {
            0 => "USD".to_string(),
            1 => currencies.iter().next().map_or("USD", |c| c).to_string(),
            _ => "mixed".to_string(),
        };

        let mut by_location: BTreeMap<&str, Vec<&ReportRow>> = BTreeMap::new();
        let mut by_category: BTreeMap<Category, Vec<&ReportRow>> = BTreeMap::new();
        let mut by_vertical: BTreeMap<&str, Vec<&ReportRow>> = BTreeMap::new();
        let mut by_campaign: BTreeMap<&str, Vec<&ReportRow>> = BTreeMap::new();
        let mut hour_of_week: BTreeMap<Category, Vec<u64>> = BTreeMap::new();
        for r in &all {
            by_location.entry(&r.location_id).or_default().push(r);
            by_category.entry(r.category).or_default().push(r);
            let v = self
                .locations
                .get(&r.location_id)
                .map_or("unknown", |l| l.vertical.as_str());
            by_vertical.entry(v).or_default().push(r);
            by_campaign
                .entry(r.campaign.as_deref().unwrap_or("(none)"))
                .or_default()
                .push(r);
            let h = hour_of_week
                .entry(r.category)
                .or_insert_with(|| vec![0; 168]);
            if let Some(c) = h.get_mut(usize::from(r.hour_of_week)) {
                *c += 1;
            }
        }
        let m = |rows: &[&ReportRow]| self.metrics(rows, period_days);
        let mut locations: Vec<LocationMetrics> = self
            .locations
            .iter()
            .map(|(id, info)| {
                let rows = by_location.get(id.as_str()).map_or(&[][..], |v| v);
                LocationMetrics {
                    location_id: id.clone(),
                    name: info.name.clone(),
                    vertical: info.vertical.clone(),
                    currency: info.currency.clone(),
                    metrics: m(rows),
                }
            })
            .collect();
        for (id, rows) in &by_location {
            if !self.locations.contains_key(*id) {
                locations.push(LocationMetrics {
                    location_id: id.to_string(),
                    name: id.to_string(),
                    vertical: "unknown".to_string(),
                    currency: portfolio_currency.clone(),
                    metrics: m(rows),
                });
            }
        }
        ReportSummary {
            period: Period {
                from: from.map(str::to_string),
                to: to.map(str::to_string),
                days: period_days,
            },
            currency: portfolio_currency,
            decisions: self.statuses.clone(),
            unmatched_outcomes: self.unmatched_outcomes,
            portfolio: m(&all),
            locations,
            categories: by_category
                .iter()
                .map(|(c, rows)| Breakdown {
                    key: c.as_str().to_string(),
                    metrics: m(rows),
                })
                .collect(),
            verticals: by_vertical
                .iter()
                .map(|(v, rows)| Breakdown {
                    key: v.to_string(),
                    metrics: m(rows),
                })
                .collect(),
            campaigns: by_campaign
                .iter()
                .map(|(c, rows)| Breakdown {
                    key: c.to_string(),
                    metrics: m(rows),
                })
                .collect(),
            hour_of_week: hour_of_week
                .into_iter()
                .map(|(c, counts)| (c.as_str().to_string(), counts))
                .collect(),
        }
    }

    fn metrics(&self, rows: &[&ReportRow], period_days: i64) -> Metrics {
        let n = rows.len() as u64;
        let count = |f: &dyn Fn(&ReportRow) -> bool| rows.iter().filter(|r| f(r)).count() as u64;
        let records_written = count(&|r| {
            !matches!(
                r.record_action,
                RecordAction::None | RecordAction::NeedsResolution
            )
        });
        let new_leads = count(&|r| r.record_action == RecordAction::CreateLead);
        let followed_up = count(&|r| r.followed_up);
        let mut responses: Vec<i64> = rows
            .iter()
            .filter_map(|r| {
                r.outcome
                    .reported_first_response_minutes
                    .or(r.first_response_minutes)
            })
            .collect();
        responses.sort_unstable();
        let sla: Vec<bool> = rows
            .iter()
            .filter_map(|r| {
                if r.outcome.reported_first_response_minutes.is_some() {
                    r.outcome.reported_sla_met
                } else {
                    r.sla_met
                }
            })
            .collect();
        let sla_met = sla.iter().filter(|m| **m).count() as u64;
        let mut blocked = BTreeMap::new();
        let mut deferred = BTreeMap::new();
        for r in rows {
            for (rule, v) in &r.compliance {
                let map = if *v == Verdict::Blocked {
                    &mut blocked
                } else {
                    &mut deferred
                };
                *map.entry(rule.clone()).or_insert(0u64) += 1;
            }
        }
        let engaged = count(&|r| r.outcome.engaged);
        let converted = count(&|r| r.outcome.converted);
        let value_at_risk = round2(rows.iter().filter_map(|r| r.value_at_risk).sum());
        let recovered_value = round2(rows.iter().map(|r| r.outcome.recovered_value).sum());
        let lost: f64 = rows
            .iter()
            .filter_map(|r| {
                self.locations
                    .get(&r.location_id)
                    .and_then(|l| l.avg_inquiry_value)
            })
            .sum();
        let weekly = if period_days > 0 {
            round2(lost * 7.0 / period_days as f64)
        } else {
            0.0
        };
        Metrics {
            missed_calls: n,
            records_written,
            crm_record_rate: rate(records_written, n),
            new_leads,
            new_lead_rate: rate(new_leads, n),
            followed_up,
            follow_up_rate: rate(followed_up, n),
            first_response_median_minutes: nearest_rank(&responses, 0.5),
            first_response_p90_minutes: nearest_rank(&responses, 0.9),
            sla_measured: sla.len() as u64,
            sla_met,
            sla_met_rate: rate(sla_met, sla.len() as u64),
            compliance_blocked: blocked,
            compliance_deferred: deferred,
            engaged,
            engaged_rate: rate(engaged, n),
            converted,
            converted_rate: rate(converted, n),
            not_reached: count(&|r| r.outcome.not_reached),
            opted_out: count(&|r| r.outcome.opted_out),
            wrong_number: count(&|r| r.outcome.wrong_number),
            value_at_risk,
            recovered_value,
            recovery_rate: if value_at_risk > 0.0 {
                Some(round4(recovered_value / value_at_risk))
            } else {
                None
            },
            weekly_lost_revenue_estimate: weekly,
        }
    }
}

fn rate(num: u64, den: u64) -> Option<f64> {
    (den > 0).then(|| round4(num as f64 / den as f64))
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

fn round4(v: f64) -> f64 {
    (v * 10_000.0).round() / 10_000.0
}

/// The ⌈p·n⌉-th smallest value (nearest-rank percentile) of a sorted slice.
pub fn nearest_rank(sorted: &[i64], p: f64) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (p * sorted.len() as f64).ceil() as usize;
    sorted.get(rank.clamp(1, sorted.len()) - 1).copied()
}

fn local_parts(local: &str) -> (String, u16) {
    // `YYYY-MM-DDTHH:MM:SS[zone]`
    let date = local.get(..10).unwrap_or("").to_string();
    let hour = local
        .get(11..13)
        .and_then(|h| h.parse::<u16>().ok())
        .unwrap_or(0);
    let wd = chrono::NaiveDate::parse_from_str(&date, "%Y-%m-%d")
        .map(|d| {
            use chrono::Datelike;
            d.weekday().num_days_from_monday() as u16
        })
        .unwrap_or(0);
    (date, wd * 24 + hour)
}

fn days_between(a: &str, b: &str) -> i64 {
    match (
        chrono::NaiveDate::parse_from_str(a, "%Y-%m-%d"),
        chrono::NaiveDate::parse_from_str(b, "%Y-%m-%d"),
    ) {
        (Ok(a), Ok(b)) => (b - a).num_days(),
        _ => 0,
    }
}

/// The report's period (local dates of the first and last missed call).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Period {
    /// First local date.
    pub from: Option<String>,
    /// Last local date.
    pub to: Option<String>,
    /// Whole days from `from` to `to`, inclusive.
    pub days: i64,
}

/// The figures for one group of missed calls.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Metrics {
    /// Missed calls.
    pub missed_calls: u64,
    /// Missed calls that append to or create a CRM record.
    pub records_written: u64,
    /// `records_written / missed_calls`.
    pub crm_record_rate: Option<f64>,
    /// Missed calls that create a new lead.
    pub new_leads: u64,
    /// `new_leads / missed_calls`.
    pub new_lead_rate: Option<f64>,
    /// Missed calls with at least one step compliance did not block.
    pub followed_up: u64,
    /// `followed_up / missed_calls`.
    pub follow_up_rate: Option<f64>,
    /// Median minutes to first response (nearest rank).
    pub first_response_median_minutes: Option<i64>,
    /// 90th-percentile minutes to first response (nearest rank).
    pub first_response_p90_minutes: Option<i64>,
    /// Missed calls with an SLA and a response.
    pub sla_measured: u64,
    /// Of those, responses at or before the SLA due time.
    pub sla_met: u64,
    /// `sla_met / sla_measured`.
    pub sla_met_rate: Option<f64>,
    /// Blocked steps by rule.
    pub compliance_blocked: BTreeMap<String, u64>,
    /// Deferred steps by rule.
    pub compliance_deferred: BTreeMap<String, u64>,
    /// Missed calls with an engaged or converted outcome.
    pub engaged: u64,
    /// `engaged / missed_calls`.
    pub engaged_rate: Option<f64>,
    /// Missed calls with a converted outcome.
    pub converted: u64,
    /// `converted / missed_calls`.
    pub converted_rate: Option<f64>,
    /// Missed calls with a not-reached outcome.
    pub not_reached: u64,
    /// Missed calls with an opt-out.
    pub opted_out: u64,
    /// Missed calls with a wrong-number outcome.
    pub wrong_number: u64,
    /// Σ value at risk.
    pub value_at_risk: f64,
    /// Σ converted value.
    pub recovered_value: f64,
    /// `recovered_value / value_at_risk`.
    pub recovery_rate: Option<f64>,
    /// Missed calls × average inquiry value, per 7 days of the period.
    pub weekly_lost_revenue_estimate: f64,
}

/// Figures for one location.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct LocationMetrics {
    /// Location id.
    pub location_id: String,
    /// Display name.
    pub name: String,
    /// Vertical.
    pub vertical: String,
    /// Currency of the values.
    pub currency: String,
    /// The figures.
    #[serde(flatten)]
    pub metrics: Metrics,
}

/// Figures for one category, vertical or campaign.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Breakdown {
    /// The category, vertical or campaign.
    pub key: String,
    /// The figures.
    #[serde(flatten)]
    pub metrics: Metrics,
}

/// The finished report.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct ReportSummary {
    /// The period covered.
    pub period: Period,
    /// Portfolio currency (`mixed` when locations differ).
    pub currency: String,
    /// Every decision by status.
    pub decisions: BTreeMap<String, u64>,
    /// Outcomes for events without a missed call in the report.
    pub unmatched_outcomes: u64,
    /// The whole portfolio.
    pub portfolio: Metrics,
    /// Per location (by id).
    pub locations: Vec<LocationMetrics>,
    /// Per category.
    pub categories: Vec<Breakdown>,
    /// Per vertical.
    pub verticals: Vec<Breakdown>,
    /// Per campaign (`(none)` for calls without attribution or tracking number).
    pub campaigns: Vec<Breakdown>,
    /// Missed calls per category per hour of the week (168 counts, Monday 00:00 first).
    pub hour_of_week: BTreeMap<String, Vec<u64>>,
}
