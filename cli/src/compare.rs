//! `ringback compare`: the what-if a leader runs before changing a policy. The same events
//! (and CRM, and outcomes) are replayed under policy A and policy B; the output lists the
//! decisions that differ and how, the SLA, response and compliance deltas, and the projected
//! recovery under each policy.
//!
//! Projection: recorded outcomes happened under A, so B's recovery cannot be observed,
//! only projected. From A's missed calls with an outcome, the share of value at risk
//! recovered is measured per first-response bucket (≤5, ≤10, ≤30, ≤60, >60 minutes: the
//! speed-to-lead curve). Each policy's projection assumes its SLA is kept: a response later
//! than the policy's due time is moved to it, and the bucket's share is applied. Both
//! columns use the same model, so the delta is the effect of the policy change.

use std::collections::BTreeMap;
use std::fmt::Write;

use ringback::model::decision::Decision;
use ringback::report_text::{money, pct};
use ringback::{Engine, Report};

/// The facts of one decision that a policy change can move.
#[derive(Debug, Clone, PartialEq)]
pub struct Facts {
    status: String,
    record: String,
    sla: Option<String>,
    first_step: Option<String>,
    steps: Vec<String>,
    escalation: Vec<String>,
}

impl Facts {
    /// Extracts the comparable facts.
    pub fn of(d: &Decision) -> Self {
        Facts {
            status: d.status.as_str().to_string(),
            record: d.record.action.as_str().to_string(),
            sla: d.sla.as_ref().map(|s| {
                format!(
                    "{} {} min due {}",
                    s.rule,
                    s.minutes,
                    s.due_at_local.get(11..16).unwrap_or("")
                )
            }),
            first_step: d.follow_up.first().map(step_text),
            steps: d.follow_up.iter().map(step_text).collect(),
            escalation: d
                .escalation
                .iter()
                .map(|e| format!("tier {} {} at {}", e.tier, e.handler, e.at.to_rfc3339()))
                .collect(),
        }
    }
}

fn step_text(s: &ringback::model::decision::FollowUpStep) -> String {
    format!(
        "{} {} {} {:?}",
        s.id,
        s.action.as_str(),
        s.at.to_rfc3339(),
        s.compliance.verdict
    )
    .to_lowercase()
}

/// One side of the comparison.
pub struct Side {
    /// Label (the policy path).
    pub label: String,
    /// The engine.
    pub engine: Engine,
    /// Facts per event id (first missed decision).
    pub facts: BTreeMap<String, Facts>,
    /// The report (outcomes applied).
    pub report: Report,
}

/// Renders the comparison.
pub fn render(a: &Side, b: &Side) -> String {
    let ra = a.report.finish();
    let rb = b.report.finish();
    let mut o = String::new();
    let _ = writeln!(
        o,
        "COMPARE  A = {} (policy {})  vs  B = {} (policy {})",
        a.label,
        a.engine.policy_version(),
        b.label,
        b.engine.policy_version()
    );
    let mut differ = 0usize;
    let mut fields: BTreeMap<&str, usize> = BTreeMap::new();
    let mut examples = Vec::new();
    for (id, fa) in &a.facts {
        let Some(fb) = b.facts.get(id) else {
            *fields.entry("only in A").or_default() += 1;
            differ += 1;
            continue;
        };
        let mut changed: Vec<(&str, String, String)> = Vec::new();
        let opt = |x: &Option<String>| x.clone().unwrap_or_else(|| "-".to_string());
        if fa.status != fb.status {
            changed.push(("status", fa.status.clone(), fb.status.clone()));
        }
        if fa.record != fb.record {
            changed.push(("record", fa.record.clone(), fb.record.clone()));
        }
        if fa.sla != fb.sla {
            changed.push(("sla", opt(&fa.sla), opt(&fb.sla)));
        }
        if fa.first_step != fb.first_step {
            changed.push(("first step", opt(&fa.first_step), opt(&fb.first_step)));
        } else if fa.steps != fb.steps {
            changed.push((
                "later steps",
                format!("{} steps", fa.steps.len()),
                format!("{} steps", fb.steps.len()),
            ));
        }
        if fa.escalation != fb.escalation {
            let i = fa
                .escalation
                .iter()
                .zip(&fb.escalation)
                .position(|(x, y)| x != y)
                .unwrap_or(fa.escalation.len().min(fb.escalation.len()));
            changed.push((
                "escalation",
                fa.escalation.get(i).cloned().unwrap_or_else(|| "-".into()),
                fb.escalation.get(i).cloned().unwrap_or_else(|| "-".into()),
            ));
        }
        if !changed.is_empty() {
            differ += 1;
            for (f, _, _) in &changed {
                *fields.entry(f).or_default() += 1;
            }
            if examples.len() < 12 {
                examples.push((id.clone(), changed));
            }
        }
    }
    for id in b.facts.keys() {
        if !a.facts.contains_key(id) {
            *fields.entry("only in B").or_default() += 1;
            differ += 1;
        }
    }
    let total = a.facts.len().max(b.facts.len());
    let _ = writeln!(
        o,
        "  missed calls compared {total} · decisions that differ {differ} ({})",
        pct((total > 0).then(|| differ as f64 / total as f64))
    );
    if !fields.is_empty() {
        let f: Vec<String> = fields.iter().map(|(k, v)| format!("{k} {v}")).collect();
        let _ = writeln!(o, "  changed: {}", f.join(" · "));
    }
    let _ = writeln!(o);
    let _ = writeln!(o, "  {:<34} {:>14} {:>14} {:>14}", "", "A", "B", "B − A");
    let (pa, pb) = (&ra.portfolio, &rb.portfolio);
    let cur = ra.currency.as_str();
    let row_pct = |o: &mut String, k: &str, x: Option<f64>, y: Option<f64>| {
        let d = match (x, y) {
            (Some(x), Some(y)) => format!("{:+.1} pts", (y - x) * 100.0),
            _ => "—".to_string(),
        };
        let _ = writeln!(o, "  {k:<34} {:>14} {:>14} {:>14}", pct(x), pct(y), d);
    };
    let row_n = |o: &mut String, k: &str, x: Option<i64>, y: Option<i64>, unit: &str| {
        let f = |v: Option<i64>| v.map_or("—".to_string(), |v| format!("{v}{unit}"));
        let d = match (x, y) {
            (Some(x), Some(y)) => format!("{:+}{unit}", y - x),
            _ => "—".to_string(),
        };
        let _ = writeln!(o, "  {k:<34} {:>14} {:>14} {:>14}", f(x), f(y), d);
    };
    let row_m = |o: &mut String, k: &str, x: f64, y: f64| {
        let d = money(y - x, cur);
        let d = if y >= x { format!("+{d}") } else { d };
        let _ = writeln!(
            o,
            "  {k:<34} {:>14} {:>14} {:>14}",
            money(x, cur),
            money(y, cur),
            d
        );
    };
    row_pct(&mut o, "SLA met rate", pa.sla_met_rate, pb.sla_met_rate);
    row_n(
        &mut o,
        "SLA met (calls)",
        Some(pa.sla_met as i64),
        Some(pb.sla_met as i64),
        "",
    );
    row_pct(
        &mut o,
        "follow-up rate",
        pa.follow_up_rate,
        pb.follow_up_rate,
    );
    row_n(
        &mut o,
        "first response median",
        pa.first_response_median_minutes,
        pb.first_response_median_minutes,
        " min",
    );
    row_n(
        &mut o,
        "first response p90",
        pa.first_response_p90_minutes,
        pb.first_response_p90_minutes,
        " min",
    );
    let mut rules: std::collections::BTreeSet<&String> = pa.compliance_blocked.keys().collect();
    rules.extend(pb.compliance_blocked.keys());
    for r in rules {
        row_n(
            &mut o,
            &format!("blocked: {r}"),
            Some(*pa.compliance_blocked.get(r).unwrap_or(&0) as i64),
            Some(*pb.compliance_blocked.get(r).unwrap_or(&0) as i64),
            "",
        );
    }
    let mut rules: std::collections::BTreeSet<&String> = pa.compliance_deferred.keys().collect();
    rules.extend(pb.compliance_deferred.keys());
    for r in rules {
        row_n(
            &mut o,
            &format!("deferred: {r}"),
            Some(*pa.compliance_deferred.get(r).unwrap_or(&0) as i64),
            Some(*pb.compliance_deferred.get(r).unwrap_or(&0) as i64),
            "",
        );
    }
    row_m(&mut o, "value at risk", pa.value_at_risk, pb.value_at_risk);
    row_m(
        &mut o,
        "recovered (recorded outcomes)",
        pa.recovered_value,
        pb.recovered_value,
    );
    let model = RecoveryModel::from(&a.report);
    let (ya, yb) = (model.project(&a.report), model.project(&b.report));
    row_m(&mut o, "projected recovery, SLA kept", ya, yb);
    let _ = writeln!(
        o,
        "  SLA met is measured on the responses recorded today (outcomes' responded_at, else the plan)."
    );
    let _ = writeln!(
        o,
        "  Projection: if every response meets the policy's SLA, with the share of value at risk"
    );
    let _ = writeln!(
        o,
        "  recovered by response time measured on A's {} outcomes (made non-increasing): {}.",
        model.sample,
        model.describe()
    );
    if !examples.is_empty() {
        let _ = writeln!(o);
        let _ = writeln!(o, "FIRST DIFFERING DECISIONS");
        for (id, changes) in examples {
            for (f, x, y) in changes {
                let _ = writeln!(o, "  {id:<22} {f:<11} {x}  →  {y}");
            }
        }
    }
    o
}

/// Response-time buckets (upper bounds in minutes) of the speed-to-lead model.
const BUCKETS: [i64; 5] = [5, 10, 30, 60, i64::MAX];

fn bucket(minutes: i64) -> usize {
    BUCKETS
        .iter()
        .position(|b| minutes <= *b)
        .unwrap_or(BUCKETS.len() - 1)
}

/// Recovered share of value at risk by first-response time, measured on A's missed calls
/// that have an outcome.
pub struct RecoveryModel {
    /// Share per bucket (`None` where A has no value at risk in the bucket).
    pub shares: [Option<f64>; 5],
    /// Share over every call with an outcome.
    pub overall: Option<f64>,
    /// Calls with an outcome.
    pub sample: usize,
}

impl From<&Report> for RecoveryModel {
    fn from(rep: &Report) -> Self {
        let mut var = [0.0f64; 5];
        let mut rec = [0.0f64; 5];
        let (mut tv, mut tr, mut sample) = (0.0, 0.0, 0);
        for r in rep.rows.values().filter(|r| r.has_outcome()) {
            sample += 1;
            let v = r.value_at_risk.unwrap_or(0.0);
            tv += v;
            tr += r.outcome.recovered_value;
            if let Some(m) = r.response_minutes() {
                var[bucket(m)] += v;
                rec[bucket(m)] += r.outcome.recovered_value;
            }
        }
        // Pool adjacent violators: a slower response never recovers a larger share
        // (isotonic, non-increasing in response time, weighted by value at risk), so noise
        // in a small week cannot make a faster SLA look worse.
        let mut blocks: Vec<(f64, f64, Vec<usize>)> = Vec::new(); // (rec, var, buckets)
        for i in 0..5 {
            if var[i] <= 0.0 {
                continue;
            }
            blocks.push((rec[i], var[i], vec![i]));
            while blocks.len() >= 2 {
                let n = blocks.len();
                let (r1, v1) = (blocks[n - 2].0, blocks[n - 2].1);
                let (r2, v2) = (blocks[n - 1].0, blocks[n - 1].1);
                if r2 / v2 > r1 / v1 {
                    if let Some(last) = blocks.pop() {
                        if let Some(prev) = blocks.last_mut() {
                            prev.0 += last.0;
                            prev.1 += last.1;
                            prev.2.extend(last.2);
                        }
                    }
                } else {
                    break;
                }
            }
        }
        let mut shares = [None; 5];
        for (r, v, members) in &blocks {
            for i in members {
                shares[*i] = Some(r / v);
            }
        }
        RecoveryModel {
            shares,
            overall: (tv > 0.0).then(|| tr / tv),
            sample,
        }
    }
}

impl RecoveryModel {
    /// Projected recovered value for a replay's missed calls if every first response
    /// meets the replay's SLA (a response later than the SLA due time is moved to it).
    pub fn project(&self, rep: &Report) -> f64 {
        let sum: f64 = rep
            .rows
            .values()
            .map(|r| {
                let m = match (r.response_minutes(), r.sla_due_minutes) {
                    (Some(m), Some(due)) => Some(m.min(due.max(0))),
                    (m, _) => m,
                };
                let share = m
                    .and_then(|m| self.shares[bucket(m)])
                    .or(self.overall)
                    .unwrap_or(0.0);
                r.value_at_risk.unwrap_or(0.0) * share
            })
            .sum();
        (sum * 100.0).round() / 100.0
    }

    /// `≤5 min 42% · ≤15 min 30% · ...`
    pub fn describe(&self) -> String {
        let names = ["≤5 min", "≤10 min", "≤30 min", "≤60 min", ">60 min"];
        names
            .iter()
            .zip(self.shares.iter())
            .map(|(n, s)| format!("{n} {}", pct(*s)))
            .collect::<Vec<_>>()
            .join(" · ")
    }
}
