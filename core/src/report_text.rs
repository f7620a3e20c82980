//! A stable plain-text rendering of a [`ReportSummary`]: fixed column widths, fixed order
//! (portfolio, locations by id, categories, verticals, campaigns by recovered value), so it
//! can be diffed between runs and pasted into an email.

use std::fmt::Write;

use crate::report::{Breakdown, Metrics, ReportSummary};

/// Formats money with thousands separators and two decimals: `$12,345.60`, `CAD 99.00`.
pub fn money(v: f64, currency: &str) -> String {
    let cents = (v * 100.0).round() as i128;
    let neg = cents < 0;
    let cents = cents.unsigned_abs();
    let whole = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, ch) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let sign = if neg { "-" } else { "" };
    let prefix = match currency {
        "USD" => "$".to_string(),
        "mixed" | "" => String::new(),
        c => format!("{c} "),
    };
    format!("{sign}{prefix}{grouped}.{:02}", cents % 100)
}

/// A rate as a percentage with one decimal, `—` when undefined.
pub fn pct(r: Option<f64>) -> String {
    r.map_or_else(|| "—".to_string(), |r| format!("{:.1}%", r * 100.0))
}

fn minutes(m: Option<i64>) -> String {
    match m {
        None => "—".to_string(),
        Some(m) if m < 120 => format!("{m} min"),
        Some(m) => format!("{:.1} h", m as f64 / 60.0),
    }
}

fn rules(map: &std::collections::BTreeMap<String, u64>) -> String {
    if map.is_empty() {
        return "none".to_string();
    }
    map.iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

impl ReportSummary {
    /// The plain-text report.
    pub fn to_text(&self) -> String {
        let mut o = String::new();
        let cur = self.currency.as_str();
        let p = &self.portfolio;
        let _ = writeln!(
            o,
            "RECOVERY REPORT  {} to {} ({} days)",
            self.period.from.as_deref().unwrap_or("—"),
            self.period.to.as_deref().unwrap_or("—"),
            self.period.days
        );
        if cur == "mixed" {
            let _ = writeln!(
                o,
                "Locations use more than one currency: portfolio, category, vertical and campaign sums add nominal amounts."
            );
        }
        let _ = writeln!(o);
        let _ = writeln!(o, "PORTFOLIO");
        let line = |o: &mut String, k: &str, v: String| {
            let _ = writeln!(o, "  {k:<32} {v}");
        };
        line(&mut o, "Missed calls", p.missed_calls.to_string());
        line(
            &mut o,
            "Weekly lost-revenue estimate",
            money(p.weekly_lost_revenue_estimate, cur),
        );
        line(&mut o, "Value at risk", money(p.value_at_risk, cur));
        line(
            &mut o,
            "Recovered",
            format!(
                "{} ({} of value at risk)",
                money(p.recovered_value, cur),
                pct(p.recovery_rate)
            ),
        );
        line(
            &mut o,
            "CRM record rate",
            format!(
                "{} ({} written, {} new leads)",
                pct(p.crm_record_rate),
                p.records_written,
                p.new_leads
            ),
        );
        line(
            &mut o,
            "Follow-up rate",
            format!("{} ({})", pct(p.follow_up_rate), p.followed_up),
        );
        line(
            &mut o,
            "First response median / p90",
            format!(
                "{} / {}",
                minutes(p.first_response_median_minutes),
                minutes(p.first_response_p90_minutes)
            ),
        );
        line(
            &mut o,
            "SLA met",
            format!(
                "{} ({} of {})",
                pct(p.sla_met_rate),
                p.sla_met,
                p.sla_measured
            ),
        );
        line(
            &mut o,
            "Engaged / converted",
            format!(
                "{} ({}) / {} ({})",
                pct(p.engaged_rate),
                p.engaged,
                pct(p.converted_rate),
                p.converted
            ),
        );
        line(
            &mut o,
            "Not reached / opted out / wrong #",
            format!("{} / {} / {}", p.not_reached, p.opted_out, p.wrong_number),
        );
        line(
            &mut o,
            "Compliance blocked (steps)",
            rules(&p.compliance_blocked),
        );
        line(
            &mut o,
            "Compliance deferred (steps)",
            rules(&p.compliance_deferred),
        );

        let _ = writeln!(o);
        let _ = writeln!(o, "BY LOCATION");
        let _ = writeln!(
            o,
            "  {:<24} {:>6} {:>7} {:>7} {:>15} {:>7} {:>7} {:>6} {:>13} {:>13} {:>13}",
            "location",
            "missed",
            "record",
            "follow",
            "resp med/p90",
            "SLA",
            "engaged",
            "conv",
            "at risk",
            "recovered",
            "lost/week"
        );
        for l in &self.locations {
            let m = &l.metrics;
            let _ = writeln!(
                o,
                "  {:<24} {:>6} {:>7} {:>7} {:>15} {:>7} {:>7} {:>6} {:>13} {:>13} {:>13}",
                truncate(&format!("{} {}", l.location_id, l.name), 24),
                m.missed_calls,
                pct(m.crm_record_rate),
                pct(m.follow_up_rate),
                format!(
                    "{}/{}",
                    minutes(m.first_response_median_minutes),
                    minutes(m.first_response_p90_minutes)
                ),
                pct(m.sla_met_rate),
                pct(m.engaged_rate),
                pct(m.converted_rate),
                money(m.value_at_risk, &l.currency),
                money(m.recovered_value, &l.currency),
                money(m.weekly_lost_revenue_estimate, &l.currency),
            );
        }
        breakdown(&mut o, "BY CATEGORY", &self.categories, cur);
        breakdown(&mut o, "BY VERTICAL", &self.verticals, cur);
        let mut campaigns: Vec<&Breakdown> = self.campaigns.iter().collect();
        campaigns.sort_by(|a, b| {
            b.metrics
                .recovered_value
                .total_cmp(&a.metrics.recovered_value)
                .then(b.metrics.missed_calls.cmp(&a.metrics.missed_calls))
                .then(a.key.cmp(&b.key))
        });
        let top: Vec<Breakdown> = campaigns.into_iter().take(10).cloned().collect();
        breakdown(&mut o, "TOP CAMPAIGNS (by recovered value)", &top, cur);
        if self.unmatched_outcomes > 0 {
            let _ = writeln!(o);
            let _ = writeln!(
                o,
                "{} outcome(s) matched no missed call in this report",
                self.unmatched_outcomes
            );
        }
        o
    }
}

fn breakdown(o: &mut String, title: &str, rows: &[Breakdown], cur: &str) {
    let _ = writeln!(o);
    let _ = writeln!(o, "{title}");
    let _ = writeln!(
        o,
        "  {:<34} {:>6} {:>7} {:>7} {:>7} {:>13} {:>13}",
        "", "missed", "follow", "SLA", "conv", "at risk", "recovered"
    );
    for b in rows {
        let m: &Metrics = &b.metrics;
        let _ = writeln!(
            o,
            "  {:<34} {:>6} {:>7} {:>7} {:>7} {:>13} {:>13}",
            truncate(&b.key, 34),
            m.missed_calls,
            pct(m.follow_up_rate),
            pct(m.sla_met_rate),
            pct(m.converted_rate),
            money(m.value_at_risk, cur),
            money(m.recovered_value, cur),
        );
    }
}
