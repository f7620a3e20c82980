//! `ringback`: replay a week of missed calls through a policy, decide one event, validate a
//! policy, regenerate the demo data and the JSON Schemas.

mod compare;
mod demo_gen;
mod demo_outcomes;
mod html;
mod ingest_cmd;
mod outcomes;
mod progress;
mod replay;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use ringback::{Engine, MissedCallEvent, Policy, Replayer};

const USAGE: &str = "\
ringback — missed-call recovery decisions

USAGE:
  ringback replay [--policy POLICY] [--crm CRM.json] [--format table|jsonl|quiet]
                  [--outcomes OUTCOMES.jsonl] [--report text|json|html] [--out FILE]
                  [--conversions GOOGLE_ADS.csv] EVENTS.jsonl
  ringback compare --policy A --policy B [--crm CRM.json] [--outcomes OUTCOMES.jsonl] EVENTS.jsonl
  ringback ingest --vendor NAME [--location-map MAP.json] [--default-location ID]
                  [--time-zone TZ] [--received-at RFC3339|now] PAYLOAD
  ringback decide [--policy POLICY] [--crm CRM.json] --event EVENT.json
  ringback validate POLICY
  ringback default-policy
  ringback gen-demo --out DIR
  ringback schema --out DIR

POLICY is a JSON or TOML file; without --policy the built-in default policy is used
(which defines no locations: add yours). EVENTS.jsonl holds one canonical event per line,
OUTCOMES.jsonl one outcome per line. With --outcomes, replay prints the recovery report
after the decisions (text unless --report says otherwise); --out writes the report to FILE.
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let args = args.get(1..).unwrap_or_default();
    match run(args) {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("ringback: {msg}");
            ExitCode::from(2)
        }
    }
}

/// Parsed `--flag value` options plus positional arguments.
struct Args {
    flags: Vec<(String, String)>,
    positional: Vec<String>,
}

impl Args {
    fn parse(args: &[String], known: &[&str]) -> Result<Args, String> {
        let mut flags = Vec::new();
        let mut positional = Vec::new();
        let mut it = args.iter();
        while let Some(a) = it.next() {
            if let Some(name) = a.strip_prefix("--") {
                if !known.contains(&name) {
                    return Err(format!("unknown option --{name}\n\n{USAGE}"));
                }
                let v = it
                    .next()
                    .ok_or_else(|| format!("option --{name} needs a value"))?;
                flags.push((name.to_string(), v.clone()));
            } else {
                positional.push(a.clone());
            }
        }
        Ok(Args { flags, positional })
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.flags
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

fn load_engine(path: Option<&str>) -> Result<Engine, String> {
    let policy = match path {
        None => Policy::default(),
        Some(p) => Policy::parse(&read(Path::new(p))?).map_err(|e| format!("{p}: {e}"))?,
    };
    Engine::new(&policy).map_err(|e| format!("{}: {e}", path.unwrap_or("default policy")))
}

fn run(args: &[String]) -> Result<ExitCode, String> {
    let Some((cmd, rest)) = args.split_first() else {
        print!("{USAGE}");
        return Ok(ExitCode::from(2));
    };
    match cmd.as_str() {
        "replay" => replay_cmd(rest),
        "compare" => compare_cmd(rest),
        "ingest" => ingest_cmd::run(rest),
        "decide" => {
            let a = Args::parse(rest, &["policy", "crm", "event"])?;
            let engine = load_engine(a.get("policy"))?;
            let crm = match a.get("crm") {
                Some(p) => {
                    ringback::parse_crm(&read(Path::new(p))?).map_err(|e| format!("{p}: {e}"))?
                }
                None => ringback::CrmSnapshot::default(),
            };
            let path = a.get("event").ok_or("decide needs --event EVENT.json")?;
            let event = MissedCallEvent::from_json(&read(Path::new(path))?)
                .map_err(|e| format!("{path}: {e}"))?;
            let decision = engine
                .process(&event, &crm)
                .map_err(|e| format!("{path}: {e}"))?;
            let text = serde_json::to_string_pretty(&decision).map_err(|e| e.to_string())?;
            println!("{text}");
            Ok(ExitCode::SUCCESS)
        }
        "validate" => validate_cmd(rest),
        "default-policy" => {
            let text =
                serde_json::to_string_pretty(&Policy::default()).map_err(|e| e.to_string())?;
            println!("{text}");
            Ok(ExitCode::SUCCESS)
        }
        "gen-demo" => {
            let a = Args::parse(rest, &["out"])?;
            let dir = PathBuf::from(a.get("out").ok_or("gen-demo needs --out DIR")?);
            demo_gen::write(&dir).map_err(|e| format!("cannot write {}: {e}", dir.display()))?;
            println!("demo data written to {}", dir.display());
            Ok(ExitCode::SUCCESS)
        }
        "schema" => {
            let a = Args::parse(rest, &["out"])?;
            let dir = PathBuf::from(a.get("out").ok_or("schema needs --out DIR")?);
            std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
            for (name, text) in ringback::schema::all() {
                let p = dir.join(name);
                std::fs::write(&p, text).map_err(|e| format!("{}: {e}", p.display()))?;
            }
            println!("schemas written to {}", dir.display());
            Ok(ExitCode::SUCCESS)
        }
        "help" | "--help" | "-h" => {
            print!("{USAGE}");
            Ok(ExitCode::SUCCESS)
        }
        other => Err(format!("unknown command `{other}`\n\n{USAGE}")),
    }
}

fn load_crm(path: Option<&str>) -> Result<ringback::CrmSnapshot, String> {
    match path {
        Some(p) => ringback::parse_crm(&read(Path::new(p))?).map_err(|e| format!("{p}: {e}")),
        None => Ok(ringback::CrmSnapshot::default()),
    }
}

#[derive(Clone, Copy, PartialEq)]
enum ReportKind {
    Text,
    Json,
    Html,
}

fn replay_cmd(rest: &[String]) -> Result<ExitCode, String> {
    let a = Args::parse(
        rest,
        &[
            "policy",
            "crm",
            "format",
            "outcomes",
            "report",
            "out",
            "conversions",
        ],
    )?;
    let [events] = a.positional.as_slice() else {
        return Err(format!("replay needs one EVENTS.jsonl file\n\n{USAGE}"));
    };
    let format = match a.get("format").unwrap_or("table") {
        "table" => replay::Format::Table,
        "jsonl" => replay::Format::Jsonl,
        "quiet" => replay::Format::Quiet,
        other => return Err(format!("unknown format `{other}` (table, jsonl or quiet)")),
    };
    let report_kind = match a.get("report") {
        None if a.get("outcomes").is_some() || a.get("out").is_some() => Some(ReportKind::Text),
        None => None,
        Some("text") => Some(ReportKind::Text),
        Some("json") => Some(ReportKind::Json),
        Some("html") => Some(ReportKind::Html),
        Some(other) => return Err(format!("unknown report `{other}` (text, json or html)")),
    };
    let engine = load_engine(a.get("policy"))?;
    let crm = load_crm(a.get("crm"))?;
    let outcomes_text = match a.get("outcomes") {
        Some(p) => Some(read(Path::new(p))?),
        None => None,
    };
    let text = read(Path::new(events))?;
    let mut replayer = Replayer::new(&engine, engine.index(crm));
    let mut out = std::io::stdout().lock();
    let summary = replay::run(&mut replayer, &text, format, &mut out, &mut |_| {})
        .map_err(|e| format!("cannot write output: {e}"))?;
    let mut conversions = Vec::new();
    let mut outcome_errors = 0;
    if let Some(t) = &outcomes_text {
        let stats = outcomes::apply(&mut replayer, t, &mut conversions, false);
        outcome_errors = stats.errors;
        eprintln!(
            "outcomes: {} read, {} recorded, {} rejected; {} Google Ads conversion rows",
            stats.read,
            stats.recorded,
            stats.errors,
            conversions.len()
        );
    }
    if let Some(p) = a.get("conversions") {
        std::fs::write(p, outcomes::conversions_csv(&conversions))
            .map_err(|e| format!("cannot write {p}: {e}"))?;
    }
    if let Some(kind) = report_kind {
        let summary = replayer.summary();
        let rendered = match kind {
            ReportKind::Text => summary.to_text(),
            ReportKind::Json => {
                let mut s = serde_json::to_string_pretty(&summary).map_err(|e| e.to_string())?;
                s.push('\n');
                s
            }
            ReportKind::Html => html::render(&summary, &engine_title(&engine, a.get("policy"))),
        };
        match a.get("out") {
            Some(p) => {
                std::fs::write(p, rendered).map_err(|e| format!("cannot write {p}: {e}"))?;
                eprintln!("report written to {p}");
            }
            None => {
                use std::io::Write;
                if format == replay::Format::Table {
                    let _ = writeln!(out);
                }
                out.write_all(rendered.as_bytes())
                    .map_err(|e| format!("cannot write output: {e}"))?;
            }
        }
    }
    Ok(if summary.errors > 0 || outcome_errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn engine_title(engine: &Engine, path: Option<&str>) -> String {
    format!(
        "policy {} ({})",
        engine.policy_version(),
        path.unwrap_or("built-in default")
    )
}

fn compare_cmd(rest: &[String]) -> Result<ExitCode, String> {
    let a = Args::parse(rest, &["policy", "crm", "outcomes"])?;
    let policies: Vec<&str> = a
        .flags
        .iter()
        .filter(|(n, _)| n == "policy")
        .map(|(_, v)| v.as_str())
        .collect();
    let [pa, pb] = policies.as_slice() else {
        return Err("compare needs exactly two --policy options (A, then B)".to_string());
    };
    let [events] = a.positional.as_slice() else {
        return Err(format!("compare needs one EVENTS.jsonl file\n\n{USAGE}"));
    };
    let crm = load_crm(a.get("crm"))?;
    let text = read(Path::new(events))?;
    let outcomes_text = match a.get("outcomes") {
        Some(p) => Some(read(Path::new(p))?),
        None => None,
    };
    let mut sides = Vec::new();
    for p in [pa, pb] {
        let engine = load_engine(Some(p))?;
        let mut facts = std::collections::BTreeMap::new();
        let mut replayer = Replayer::new(&engine, engine.index(crm.clone()));
        replay::run(
            &mut replayer,
            &text,
            replay::Format::Quiet,
            &mut std::io::sink(),
            &mut |d| {
                facts.insert(d.event_id.clone(), compare::Facts::of(d));
            },
        )
        .map_err(|e| e.to_string())?;
        if let Some(t) = &outcomes_text {
            outcomes::apply(&mut replayer, t, &mut Vec::new(), true);
        }
        let (_, report) = replayer.into_parts();
        sides.push(compare::Side {
            label: p.to_string(),
            engine,
            facts,
            report,
        });
    }
    let [sa, sb] = sides.as_slice() else {
        return Err("internal: two sides expected".to_string());
    };
    print!("{}", compare::render(sa, sb));
    Ok(ExitCode::SUCCESS)
}

fn validate_cmd(rest: &[String]) -> Result<ExitCode, String> {
    let [path] = rest else {
        return Err("validate needs one POLICY file".to_string());
    };
    let policy = Policy::parse(&read(Path::new(path))?).map_err(|e| format!("{path}: {e}"))?;
    let errors = ringback::compile::validate_all(&policy);
    if errors.is_empty() {
        let engine = Engine::new(&policy).map_err(|e| format!("{path}: {e}"))?;
        println!(
            "{path}: policy `{}` is valid ({} locations)",
            engine.policy_version(),
            engine.compiled().locations.len()
        );
        return Ok(ExitCode::SUCCESS);
    }
    println!("{path}: {} error(s)", errors.len());
    for e in &errors {
        println!(
            "  {} at {}: {}",
            e.code.as_str(),
            if e.path.is_empty() {
                "(document)"
            } else {
                &e.path
            },
            e.message
        );
    }
    Ok(ExitCode::from(1))
}
