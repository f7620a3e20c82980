//! `ringback`: replay a week of missed calls through a policy, decide one event, validate a
//! policy, regenerate the demo data and the JSON Schemas.

mod demo_gen;
mod replay;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use ringback::{Engine, MissedCallEvent, Policy};

const USAGE: &str = "\
ringback — missed-call recovery decisions

USAGE:
  ringback replay [--policy POLICY] [--crm CRM.json] [--format table|jsonl] EVENTS.jsonl
  ringback decide [--policy POLICY] [--crm CRM.json] --event EVENT.json
  ringback validate POLICY
  ringback default-policy
  ringback gen-demo --out DIR
  ringback schema --out DIR

POLICY is a JSON or TOML file; without --policy the built-in default policy is used
(which defines no locations: add yours). EVENTS.jsonl holds one canonical event per line.
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
        "replay" => {
            let a = Args::parse(rest, &["policy", "crm", "format"])?;
            let [events] = a.positional.as_slice() else {
                return Err(format!("replay needs one EVENTS.jsonl file\n\n{USAGE}"));
            };
            let format = match a.get("format").unwrap_or("table") {
                "table" => replay::Format::Table,
                "jsonl" => replay::Format::Jsonl,
                other => return Err(format!("unknown format `{other}` (table or jsonl)")),
            };
            let engine = load_engine(a.get("policy"))?;
            let crm = match a.get("crm") {
                Some(p) => {
                    ringback::parse_crm(&read(Path::new(p))?).map_err(|e| format!("{p}: {e}"))?
                }
                None => ringback::CrmSnapshot::default(),
            };
            let text = read(Path::new(events))?;
            let mut out = std::io::stdout().lock();
            let summary = replay::run(&engine, engine.index(crm), &text, format, &mut out)
                .map_err(|e| format!("cannot write output: {e}"))?;
            Ok(if summary.errors > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
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
        "validate" => {
            let [path] = rest else {
                return Err("validate needs one POLICY file".to_string());
            };
            let engine = load_engine(Some(path))?;
            println!(
                "{path}: policy `{}` is valid ({} locations)",
                engine.policy_version(),
                engine.compiled().locations.len()
            );
            Ok(ExitCode::SUCCESS)
        }
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
