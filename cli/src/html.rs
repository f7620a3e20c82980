//! `--report html`: the recovery report as one self-contained HTML page (inline CSS and SVG
//! charts, no scripts, no network): headline figures, missed calls by category and hour of
//! week, SLA met by location (worst first), recovered vs at risk by location and campaign,
//! and the per-location table.

use std::fmt::Write;

use ringback::report::{Breakdown, Metrics, ReportSummary};
use ringback::report_text::{money, pct};

const CATEGORY_COLORS: [(&str, &str, &str); 4] = [
    ("voicemail", "#4C78A8", "Voicemail"),
    ("after_hours", "#F58518", "After hours"),
    ("abandoned", "#E45756", "Abandoned"),
    ("ring_no_answer", "#72B7B2", "Ring, no answer"),
];

/// Escapes text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

/// Renders the page. `title` names the policy/run.
pub fn render(r: &ReportSummary, title: &str) -> String {
    let mut o = String::new();
    let p = &r.portfolio;
    let cur = r.currency.as_str();
    let _ = write!(
        o,
        r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Missed-call recovery report — {title}</title>
<style>
body{{font-family:-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;margin:0;background:#f6f7f9;color:#1d2330}}
main{{max-width:1180px;margin:0 auto;padding:28px 32px 48px}}
h1{{font-size:26px;margin:0 0 4px}} h2{{font-size:18px;margin:32px 0 10px}}
.sub{{color:#5b6475;margin:0 0 20px}}
.kpis{{display:grid;grid-template-columns:repeat(4,1fr);gap:12px}}
.kpi{{background:#fff;border:1px solid #e3e6ec;border-radius:8px;padding:14px 16px}}
.kpi .v{{font-size:24px;font-weight:650}} .kpi .l{{color:#5b6475;font-size:13px;margin-top:2px}}
.kpi.accent{{border-left:4px solid #2f855a}} .kpi.warn{{border-left:4px solid #c05621}}
.card{{background:#fff;border:1px solid #e3e6ec;border-radius:8px;padding:16px 18px;overflow-x:auto}}
.grid2{{display:grid;grid-template-columns:1fr 1fr;gap:16px}}
table{{border-collapse:collapse;width:100%;font-size:13px}}
th,td{{padding:6px 8px;border-bottom:1px solid #edf0f4;text-align:right;white-space:nowrap}}
th:first-child,td:first-child{{text-align:left}} th{{color:#5b6475;font-weight:600}}
.legend span{{display:inline-block;margin-right:16px;font-size:13px}}
.legend i{{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:5px;vertical-align:-1px}}
svg text{{font-family:inherit}}
.note{{color:#5b6475;font-size:12px;margin-top:8px}}
</style></head><body><main>
<h1>Missed-call recovery report</h1>
<p class="sub">{title} · {from} to {to} ({days} days) · {missed} missed calls across {nloc} locations</p>
"#,
        title = esc(title),
        from = esc(r.period.from.as_deref().unwrap_or("—")),
        to = esc(r.period.to.as_deref().unwrap_or("—")),
        days = r.period.days,
        missed = p.missed_calls,
        nloc = r.locations.len(),
    );

    // Headline figures.
    o.push_str("<div class=\"kpis\">\n");
    let kpi = |o: &mut String, class: &str, v: String, l: &str| {
        let _ = writeln!(
            o,
            "<div class=\"kpi {class}\"><div class=\"v\">{}</div><div class=\"l\">{}</div></div>",
            esc(&v),
            esc(l)
        );
    };
    kpi(
        &mut o,
        "warn",
        money(p.weekly_lost_revenue_estimate, cur),
        "weekly lost-revenue estimate (missed calls × avg inquiry value)",
    );
    kpi(
        &mut o,
        "",
        money(p.value_at_risk, cur),
        "value at risk (by caller intent)",
    );
    kpi(
        &mut o,
        "accent",
        money(p.recovered_value, cur),
        &format!("recovered ({} of value at risk)", pct(p.recovery_rate)),
    );
    kpi(
        &mut o,
        "",
        pct(p.sla_met_rate),
        &format!("SLA met ({} of {})", p.sla_met, p.sla_measured),
    );
    kpi(
        &mut o,
        "",
        p.missed_calls.to_string(),
        &format!("missed calls · {} CRM record rate", pct(p.crm_record_rate)),
    );
    kpi(
        &mut o,
        "",
        pct(p.follow_up_rate),
        "followed up (a step compliance allowed)",
    );
    kpi(
        &mut o,
        "",
        format!(
            "{} / {}",
            mins(p.first_response_median_minutes),
            mins(p.first_response_p90_minutes)
        ),
        "first response, median / p90",
    );
    kpi(
        &mut o,
        "",
        format!("{} / {}", pct(p.engaged_rate), pct(p.converted_rate)),
        "engaged / converted",
    );
    o.push_str("</div>\n");

    // Missed calls by category and hour of week.
    o.push_str("<h2>Missed calls by category and hour of week</h2>\n<div class=\"card\">\n");
    o.push_str(&hour_of_week_chart(r));
    o.push_str("<div class=\"legend\">");
    for (key, color, label) in CATEGORY_COLORS {
        let n: u64 = r.hour_of_week.get(key).map(|v| v.iter().sum()).unwrap_or(0);
        let _ = write!(
            o,
            "<span><i style=\"background:{color}\"></i>{} ({n})</span>",
            esc(label)
        );
    }
    o.push_str("</div><p class=\"note\">Local time of each location; one column per hour, Monday 00:00 first.</p></div>\n");

    // SLA by location, worst first.
    o.push_str("<h2>SLA met by location (worst first)</h2>\n<div class=\"card\">\n");
    let mut sla: Vec<(&str, f64, &Metrics)> = r
        .locations
        .iter()
        .filter_map(|l| {
            l.metrics
                .sla_met_rate
                .map(|x| (l.name.as_str(), x, &l.metrics))
        })
        .collect();
    sla.sort_by(|a, b| {
        a.1.total_cmp(&b.1)
            .then(b.2.sla_measured.cmp(&a.2.sla_measured))
            .then(a.0.cmp(b.0))
    });
    let shown = sla.len().min(20);
    o.push_str(&sla_chart(&sla[..shown]));
    if sla.len() > shown {
        let _ = write!(
            o,
            "<p class=\"note\">The {shown} worst of {} locations; the others met their SLA at least {} of the time (table below).</p>",
            sla.len(),
            pct(sla.get(shown).map(|x| x.1))
        );
    }
    o.push_str("</div>\n");

    // Recovered vs at risk.
    o.push_str("<h2>Recovered vs at risk</h2>\n<div class=\"grid2\">\n<div class=\"card\"><b>By location (top 12 by value at risk)</b>\n");
    let mut locs: Vec<(String, &Metrics)> = r
        .locations
        .iter()
        .map(|l| (l.name.clone(), &l.metrics))
        .collect();
    locs.sort_by(|a, b| {
        b.1.value_at_risk
            .total_cmp(&a.1.value_at_risk)
            .then(a.0.cmp(&b.0))
    });
    let shown = locs.len().min(12);
    o.push_str(&value_chart(&locs[..shown], cur));
    o.push_str("</div>\n<div class=\"card\"><b>By campaign (top 12 by value at risk)</b>\n");
    let mut camps: Vec<&Breakdown> = r.campaigns.iter().collect();
    camps.sort_by(|a, b| {
        b.metrics
            .value_at_risk
            .total_cmp(&a.metrics.value_at_risk)
            .then(a.key.cmp(&b.key))
    });
    let camps: Vec<(String, &Metrics)> = camps
        .into_iter()
        .take(12)
        .map(|b| (b.key.clone(), &b.metrics))
        .collect();
    o.push_str(&value_chart(&camps, cur));
    o.push_str("</div>\n</div>\n<div class=\"legend\" style=\"margin-top:8px\"><span><i style=\"background:#d5dbe5\"></i>value at risk</span><span><i style=\"background:#2f855a\"></i>recovered</span></div>\n");

    // Table by location.
    o.push_str("<h2>By location</h2>\n<div class=\"card\"><table>\n<tr><th>Location</th><th>Vertical</th><th>Missed</th><th>CRM record</th><th>Followed up</th><th>Resp. median / p90</th><th>SLA met</th><th>Engaged</th><th>Converted</th><th>At risk</th><th>Recovered</th><th>Lost / week</th></tr>\n");
    for l in &r.locations {
        let m = &l.metrics;
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{} / {}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&l.name),
            esc(&l.vertical),
            m.missed_calls,
            pct(m.crm_record_rate),
            pct(m.follow_up_rate),
            mins(m.first_response_median_minutes),
            mins(m.first_response_p90_minutes),
            pct(m.sla_met_rate),
            pct(m.engaged_rate),
            pct(m.converted_rate),
            esc(&money(m.value_at_risk, &l.currency)),
            esc(&money(m.recovered_value, &l.currency)),
            esc(&money(m.weekly_lost_revenue_estimate, &l.currency)),
        );
    }
    o.push_str("</table></div>\n");

    // Category and compliance.
    o.push_str("<div class=\"grid2\"><div><h2>By category</h2><div class=\"card\"><table>\n<tr><th>Category</th><th>Missed</th><th>Followed up</th><th>SLA met</th><th>Converted</th><th>Recovered</th></tr>\n");
    for b in &r.categories {
        let m = &b.metrics;
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(&b.key),
            m.missed_calls,
            pct(m.follow_up_rate),
            pct(m.sla_met_rate),
            pct(m.converted_rate),
            esc(&money(m.recovered_value, cur))
        );
    }
    o.push_str("</table></div></div>\n<div><h2>Compliance (steps)</h2><div class=\"card\"><table>\n<tr><th>Rule</th><th>Blocked</th><th>Deferred</th></tr>\n");
    let mut rules: std::collections::BTreeSet<&String> = p.compliance_blocked.keys().collect();
    rules.extend(p.compliance_deferred.keys());
    if rules.is_empty() {
        o.push_str("<tr><td colspan=\"3\">nothing blocked or deferred</td></tr>\n");
    }
    for rule in rules {
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(rule),
            p.compliance_blocked.get(rule).copied().unwrap_or(0),
            p.compliance_deferred.get(rule).copied().unwrap_or(0)
        );
    }
    o.push_str("</table></div></div></div>\n");
    let _ = write!(
        o,
        "<p class=\"note\">Generated by ringback {} from the replay's decisions and recorded outcomes. Rates are of missed calls; first response is the first follow-up step compliance allowed (or the reported response time); percentiles are nearest-rank.</p>\n</main></body></html>\n",
        esc(ringback::ENGINE_VERSION)
    );
    o
}

fn mins(m: Option<i64>) -> String {
    match m {
        None => "—".to_string(),
        Some(m) if m < 120 => format!("{m} min"),
        Some(m) => format!("{:.1} h", m as f64 / 60.0),
    }
}

fn hour_of_week_chart(r: &ReportSummary) -> String {
    let (w, h, left, top, bottom) = (1100.0, 220.0, 34.0, 10.0, 24.0);
    let col = (w - left) / 168.0;
    let totals: Vec<u64> = (0..168)
        .map(|i| {
            r.hour_of_week
                .values()
                .map(|v| v.get(i).copied().unwrap_or(0))
                .sum()
        })
        .collect();
    let max = totals.iter().copied().max().unwrap_or(0).max(1) as f64;
    let plot_h = h - top - bottom;
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg viewBox=\"0 0 {w} {h}\" width=\"100%\" role=\"img\" aria-label=\"Missed calls by hour of week\">"
    );
    // Grid and y labels.
    for frac in [0.0, 0.5, 1.0] {
        let y = top + plot_h * (1.0 - frac);
        let _ = write!(
            s,
            "<line x1=\"{left}\" x2=\"{w}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"#edf0f4\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\" fill=\"#5b6475\">{}</text>",
            left - 6.0,
            y + 4.0,
            (max * frac).round()
        );
    }
    for i in 0..168usize {
        let x = left + col * i as f64;
        let mut y = top + plot_h;
        for (key, color, _) in CATEGORY_COLORS {
            let n = r
                .hour_of_week
                .get(key)
                .and_then(|v| v.get(i))
                .copied()
                .unwrap_or(0);
            if n == 0 {
                continue;
            }
            let bh = plot_h * n as f64 / max;
            y -= bh;
            let _ = write!(
                s,
                "<rect x=\"{x:.2}\" y=\"{y:.2}\" width=\"{:.2}\" height=\"{bh:.2}\" fill=\"{color}\"><title>{} {:02}:00 · {key} {n}</title></rect>",
                (col - 0.8).max(0.5),
                ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][i / 24],
                i % 24
            );
        }
    }
    for (d, name) in ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        .iter()
        .enumerate()
    {
        let x = left + col * 24.0 * d as f64;
        let _ = write!(
            s,
            "<line x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{top}\" y2=\"{:.1}\" stroke=\"#c9cfd9\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"middle\" fill=\"#1d2330\">{name}</text>",
            top + plot_h + 4.0,
            x + col * 12.0,
            h - 6.0
        );
    }
    s.push_str("</svg>");
    s
}

fn sla_chart(rows: &[(&str, f64, &Metrics)]) -> String {
    if rows.is_empty() {
        return "<p class=\"note\">No SLA measured.</p>".to_string();
    }
    let (label_w, bar_w, row_h) = (230.0, 760.0, 24.0);
    let h = row_h * rows.len() as f64 + 8.0;
    let mut s = format!(
        "<svg viewBox=\"0 0 {} {h}\" width=\"100%\" role=\"img\" aria-label=\"SLA met by location\">",
        label_w + bar_w + 140.0
    );
    for (i, (name, rate, m)) in rows.iter().enumerate() {
        let y = 4.0 + row_h * i as f64;
        let color = if *rate >= 0.9 {
            "#2f855a"
        } else if *rate >= 0.75 {
            "#d69e2e"
        } else {
            "#c53030"
        };
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"13\" text-anchor=\"end\">{}</text><rect x=\"{label_w}\" y=\"{:.1}\" width=\"{bar_w}\" height=\"{:.1}\" fill=\"#edf0f4\"/><rect x=\"{label_w}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{color}\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" fill=\"#1d2330\">{} ({}/{})</text>",
            label_w - 8.0,
            y + 15.0,
            esc(name),
            y + 3.0,
            row_h - 8.0,
            y + 3.0,
            bar_w * rate,
            row_h - 8.0,
            label_w + bar_w + 8.0,
            y + 15.0,
            pct(Some(*rate)),
            m.sla_met,
            m.sla_measured
        );
    }
    s.push_str("</svg>");
    s
}

fn value_chart(rows: &[(String, &Metrics)], cur: &str) -> String {
    if rows.is_empty() {
        return "<p class=\"note\">Nothing to show.</p>".to_string();
    }
    let (label_w, bar_w, row_h) = (170.0, 230.0, 26.0);
    let max = rows
        .iter()
        .map(|(_, m)| m.value_at_risk.max(m.recovered_value))
        .fold(0.0f64, f64::max)
        .max(1.0);
    let h = row_h * rows.len() as f64 + 8.0;
    let mut s = format!(
        "<svg viewBox=\"0 0 {} {h}\" width=\"100%\" role=\"img\" aria-label=\"Recovered vs at risk\">",
        label_w + bar_w + 150.0
    );
    for (i, (name, m)) in rows.iter().enumerate() {
        let y = 4.0 + row_h * i as f64;
        let short: String = if name.chars().count() > 26 {
            let mut t: String = name.chars().take(25).collect();
            t.push('…');
            t
        } else {
            name.clone()
        };
        let _ = write!(
            s,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"end\"><title>{}</title>{}</text><rect x=\"{label_w}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#d5dbe5\"/><rect x=\"{label_w}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"#2f855a\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" fill=\"#1d2330\">{} of {}</text>",
            label_w - 8.0,
            y + 16.0,
            esc(name),
            esc(&short),
            y + 3.0,
            bar_w * m.value_at_risk / max,
            row_h - 8.0,
            y + 7.0,
            bar_w * m.recovered_value / max,
            row_h - 16.0,
            label_w + bar_w + 6.0,
            y + 16.0,
            esc(&money(m.recovered_value, cur)),
            esc(&money(m.value_at_risk, cur)),
        );
    }
    s.push_str("</svg>");
    s
}
