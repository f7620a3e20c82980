//! `ringback replay`: decide every event of a JSON-lines file, print decisions and a summary.
//! The loop itself (order, CRM write-back, report) is the core's `Replayer`; this module
//! shows it. A bad line is reported with its line number and error code and the replay
//! goes on.

use std::collections::BTreeMap;
use std::io::Write;

use ringback::model::decision::{Decision, Verdict};
use ringback::replay::{Replayed, Replayer};
use ringback::{Category, Engine, Status};

/// Output format for decisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A readable table plus the summary.
    Table,
    /// One decision JSON per line (errors as `{"line", "error"}` objects), summary on stderr.
    Jsonl,
    /// Nothing written (decisions go to the callback only).
    Quiet,
}

/// Counts gathered over a replay.
#[derive(Debug, Default)]
pub struct Summary {
    pub events: usize,
    pub errors: usize,
    pub by_category: BTreeMap<&'static str, usize>,
    pub by_status: BTreeMap<&'static str, usize>,
    pub by_action: BTreeMap<&'static str, usize>,
    pub by_location: BTreeMap<String, usize>,
    pub error_codes: BTreeMap<&'static str, usize>,
    pub first_actions: BTreeMap<&'static str, usize>,
    pub compliance_rules: BTreeMap<&'static str, usize>,
    pub sla_rules: BTreeMap<&'static str, usize>,
    pub urgencies: BTreeMap<&'static str, usize>,
    pub value_at_risk: f64,
}

/// Replays `text` (JSON lines) through `replayer` (the core's loop: replay order, CRM
/// write-back, report) and writes decisions to `out`; `on_counted` sees each decision the
/// report counts for its call (`compare` collects its facts through it). A progress bar is
/// drawn on stderr when it is a terminal.
pub fn run(
    replayer: &mut Replayer<&Engine>,
    text: &str,
    format: Format,
    out: &mut dyn Write,
    on_counted: &mut dyn FnMut(&Decision),
) -> std::io::Result<Summary> {
    let mut s = Summary::default();
    let progress = crate::progress::Progress::new(text.lines().count() as u64, "deciding");
    let out = &mut progress.writer(out);
    if format == Format::Table {
        writeln!(
            out,
            "{:<20} {:<8} {:<20} {:<15} {:<13} {:<27} {:<15} {:<23} {:<10} FIRST STEP",
            "LOCAL TIME",
            "LOCATION",
            "EVENT",
            "CATEGORY",
            "CALLER",
            "INTENT",
            "STATUS",
            "RECORD",
            "CONTACT"
        )?;
    }
    let mut written: std::io::Result<()> = Ok(());
    let mut answered = 0u64;
    replayer.replay_jsonl_each(text, |r| {
        answered += 1;
        progress.set(answered);
        if written.is_ok() {
            written = show(&r, format, out, &mut s, on_counted);
        }
    });
    written?;
    progress.finish();
    let report = render_summary(&s, replayer.engine());
    match format {
        Format::Table => write!(out, "\n{report}")?,
        Format::Jsonl => eprint!("{report}"),
        Format::Quiet => {}
    }
    Ok(s)
}

/// Counts one answer into the summary and writes it in `format`.
fn show(
    r: &Replayed,
    format: Format,
    out: &mut dyn Write,
    s: &mut Summary,
    on_counted: &mut dyn FnMut(&Decision),
) -> std::io::Result<()> {
    s.events += 1;
    let d = match &r.result {
        Ok(d) => d,
        Err(e) => {
            s.errors += 1;
            *s.error_codes.entry(e.code.as_str()).or_default() += 1;
            match format {
                Format::Table => writeln!(out, "line {}: error {e}", r.input)?,
                Format::Jsonl => writeln!(out, "{}", r.to_json_line())?,
                Format::Quiet => {}
            }
            return Ok(());
        }
    };
    if r.counted {
        on_counted(d);
    }
    let missed = !matches!(d.status, Status::NotMissed | Status::DuplicateEvent);
    if missed {
        if let Some(c) = d.category {
            *s.by_category.entry(c.as_str()).or_default() += 1;
        }
        *s.by_location.entry(d.location_id.clone()).or_default() += 1;
    }
    *s.by_status.entry(d.status.as_str()).or_default() += 1;
    *s.by_action.entry(d.record.action.as_str()).or_default() += 1;
    if let Some(first) = d.follow_up.first() {
        *s.first_actions.entry(first.action.as_str()).or_default() += 1;
    }
    for step in &d.follow_up {
        for r in &step.compliance.reasons {
            *s.compliance_rules.entry(r.rule).or_default() += 1;
        }
    }
    if let Some(sla) = &d.sla {
        *s.sla_rules.entry(sla.rule).or_default() += 1;
    }
    if let Some(i) = &d.intent {
        *s.urgencies.entry(i.urgency.as_str()).or_default() += 1;
    }
    s.value_at_risk += d.value_at_risk.unwrap_or(0.0);
    match format {
        Format::Quiet => {}
        Format::Jsonl => writeln!(out, "{}", r.to_json_line())?,
        Format::Table => {
            let local = d
                .occurred_at_local
                .get(..16)
                .unwrap_or("")
                .replace('T', " ");
            writeln!(
                out,
                "{:<20} {:<8} {:<20} {:<15} {:<13} {:<27} {:<15} {:<23} {:<10} {}",
                local,
                d.location_id,
                truncate(&d.event_id, 20),
                d.category.map(Category::as_str).unwrap_or("-"),
                d.caller.e164.as_deref().unwrap_or(if d.caller.withheld {
                    "withheld"
                } else {
                    "-"
                }),
                d.intent
                    .as_ref()
                    .map(|i| truncate(&format!("{}/{}", i.inquiry_type, i.urgency.as_str()), 27))
                    .unwrap_or_else(|| "-".to_string()),
                d.status.as_str(),
                d.record.action.as_str(),
                d.record.contact_id.as_deref().unwrap_or("-"),
                first_step(d),
            )?;
        }
    }
    Ok(())
}

/// `send_sms now`, `call_task 08:00 (quiet_hours)`, `manual_task`, or `-`.
fn first_step(d: &Decision) -> String {
    let Some(step) = d.follow_up.first() else {
        return "-".to_string();
    };
    let action = step.action.as_str();
    match step.compliance.verdict {
        Verdict::Deferred => {
            // Shown at the location's offset of the call (display only).
            let local = chrono::DateTime::parse_from_rfc3339(&d.occurred_at_local)
                .map(|t| {
                    step.at
                        .0
                        .with_timezone(t.offset())
                        .format("%a %H:%M")
                        .to_string()
                })
                .unwrap_or_else(|_| step.at.to_rfc3339());
            let why: Vec<&str> = step.compliance.reasons.iter().map(|r| r.rule).collect();
            format!("{action} {local} ({})", why.join(","))
        }
        Verdict::Blocked => format!(
            "{action} ({})",
            step.compliance
                .reasons
                .first()
                .map(|r| r.rule)
                .unwrap_or("blocked")
        ),
        Verdict::Allowed => format!("{action} now"),
    }
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}

fn count(map: &BTreeMap<&'static str, usize>, key: &str) -> usize {
    map.get(key).copied().unwrap_or(0)
}

fn render_summary(s: &Summary, engine: &Engine) -> String {
    let missed: usize = s.by_category.values().sum();
    let mut r = String::new();
    r.push_str(&format!(
        "SUMMARY  policy {} · engine {} · {} events read\n",
        engine.policy_version(),
        ringback::ENGINE_VERSION,
        s.events
    ));
    r.push_str(&format!(
        "  missed calls        {missed:>5}   voicemail {} · after_hours {} · abandoned {} · ring_no_answer {}\n",
        count(&s.by_category, "voicemail"),
        count(&s.by_category, "after_hours"),
        count(&s.by_category, "abandoned"),
        count(&s.by_category, "ring_no_answer"),
    ));
    r.push_str(&format!(
        "  records appended    {:>5}   to customers {} · to leads {} · to open follow-ups {}\n",
        count(&s.by_action, "append_to_customer")
            + count(&s.by_action, "append_to_lead")
            + count(&s.by_action, "append_to_open_followup"),
        count(&s.by_action, "append_to_customer"),
        count(&s.by_action, "append_to_lead"),
        count(&s.by_action, "append_to_open_followup"),
    ));
    r.push_str(&format!(
        "  leads created       {:>5}\n",
        count(&s.by_action, "create_lead")
    ));
    r.push_str(&format!(
        "  needs resolution    {:>5}   (shared lines)\n",
        count(&s.by_action, "needs_resolution")
    ));
    r.push_str(&format!(
        "  manual review       {:>5}   (no callable number)\n",
        count(&s.by_status, "manual_review")
    ));
    r.push_str(&format!(
        "  duplicates          {:>5}   amended {}\n",
        count(&s.by_status, "duplicate_event"),
        count(&s.by_status, "amended")
    ));
    r.push_str(&format!(
        "  answered (not missed) {:>3}\n",
        count(&s.by_status, "not_missed")
    ));
    let errs: Vec<String> = s
        .error_codes
        .iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect();
    r.push_str(&format!(
        "  errors              {:>5}{}\n",
        s.errors,
        if errs.is_empty() {
            String::new()
        } else {
            format!("   {}", errs.join(" · "))
        }
    ));
    r.push_str(&format!(
        "  follow-up status    follow_up {} · deferred {} · suppressed {} · manual review {}\n",
        count(&s.by_status, "follow_up"),
        count(&s.by_status, "deferred"),
        count(&s.by_status, "suppressed"),
        count(&s.by_status, "manual_review"),
    ));
    let join = |m: &BTreeMap<&'static str, usize>| {
        m.iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(" · ")
    };
    r.push_str(&format!(
        "  first steps         {}\n",
        join(&s.first_actions)
    ));
    r.push_str(&format!("  urgency             {}\n", join(&s.urgencies)));
    r.push_str(&format!(
        "  value at risk       {:.0} (sum of avg inquiry value x intent multiplier)\n",
        s.value_at_risk
    ));
    r.push_str(&format!("  SLA rules           {}\n", join(&s.sla_rules)));
    r.push_str(&format!(
        "  compliance          {}\n",
        if s.compliance_rules.is_empty() {
            "nothing blocked or deferred".to_string()
        } else {
            join(&s.compliance_rules)
        }
    ));
    let mut top: Vec<(&String, &usize)> = s.by_location.iter().collect();
    top.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    let top: Vec<String> = top
        .iter()
        .take(5)
        .map(|(l, n)| format!("{l} {n}"))
        .collect();
    if !top.is_empty() {
        r.push_str(&format!("  most missed         {}\n", top.join(" · ")));
    }
    r
}
