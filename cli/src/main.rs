//! `ringback`: replay a week of missed calls through a policy, compare two policies, turn a
//! vendor webhook into a canonical event, decide one event, validate a policy, regenerate
//! the demo data and the JSON Schemas, and print shell completions.

mod compare;
mod crm_cmd;
mod demo_gen;
mod demo_outcomes;
mod html;
mod ingest_cmd;
mod input;
mod outcomes;
mod progress;
mod replay;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use ringback::{Engine, MissedCallEvent, Policy, Replayer};

use input::{one_stdin, read};

/// Exit codes, shown at the end of `ringback --help`.
const EXIT_CODES: &str = "\
Exit status:
  0  done: every input was accepted
  1  done, but some inputs were rejected (bad event or outcome lines, each reported with
     its line number and error code), or `validate` found errors in the policy
  2  usage error (unknown option, missing argument), or the command could not do its job
     (a file that cannot be read, an invalid policy or CRM, the one event or payload given
     was rejected)

A FILE argument may be `-` for standard input (at most one per command).
Colours: help is coloured on a terminal unless NO_COLOR is set.";

/// ringback — missed-call recovery decisions, replayed, compared and explained.
#[derive(Parser)]
#[command(
    name = "ringback",
    version,
    about = "ringback — missed-call recovery decisions",
    long_about = "ringback — missed-call recovery decisions.\n\nEach missed call becomes a \
                  decision: which CRM record to append or create, what the caller wants, \
                  which follow-up goes out when, who owns it by when, and whether every step \
                  passes consent, quiet-hours and vertical rules.",
    after_help = EXIT_CODES,
    arg_required_else_help = true,
    args_override_self = true,
    propagate_version = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Replay JSON-lines events through a policy: decisions, summary and recovery report.
    #[command(after_help = REPLAY_HELP)]
    Replay(ReplayArgs),
    /// Replay the same events under policy A and policy B and show what changes.
    #[command(after_help = COMPARE_HELP)]
    Compare(CompareArgs),
    /// Turn one vendor webhook body into the canonical event (or say why it is none).
    #[command(after_help = ingest_cmd::HELP)]
    Ingest(ingest_cmd::IngestArgs),
    /// Decide one event and print the whole decision as JSON.
    #[command(after_help = DECIDE_HELP)]
    Decide(DecideArgs),
    /// Explain a decision in words: decide its event again with the whole trace, checked
    /// against the stored decision's id.
    #[command(after_help = EXPLAIN_HELP)]
    Explain(ExplainArgs),
    /// Check a policy and list every error with its JSON path.
    #[command(after_help = VALIDATE_HELP)]
    Validate(ValidateArgs),
    /// Print the built-in default policy (what every location inherits).
    #[command(after_help = "Example:\n  ringback default-policy > policy.json")]
    DefaultPolicy,
    /// Regenerate the demo week (policy, CRM, events, outcomes, the what-if policy).
    #[command(after_help = "Example:\n  ringback gen-demo --out demo")]
    GenDemo(OutDir),
    /// Write the JSON Schemas of every document.
    #[command(after_help = "Example:\n  ringback schema --out schema")]
    Schema(OutDir),
    /// Search a CRM for a caller, read the answers, or plan the writes of a decision.
    #[command(subcommand, after_help = crm_cmd::HELP)]
    Crm(crm_cmd::CrmCommand),
    /// Print a shell completion script.
    #[command(after_help = COMPLETIONS_HELP)]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
}

const REPLAY_HELP: &str = "\
Examples:
  ringback replay --policy demo/policy.json --crm demo/crm.json demo/events.jsonl
  ringback replay --policy demo/policy.json --crm demo/crm.json \\
      --outcomes demo/outcomes.jsonl --report html --out report.html demo/events.jsonl
  cat events.jsonl | ringback replay --policy policy.toml --format jsonl -

Events are decided in the order (occurred_at, received_at, event_id), each decision written
back into the CRM before the next, so retries and repeat callers are recognised. A bad line
is reported with its line number and error code, and the replay goes on (exit status 1).";

const COMPARE_HELP: &str = "\
Example:
  ringback compare --policy demo/policy.json --policy demo/policy-sla10.json \\
      --crm demo/crm.json --outcomes demo/outcomes.jsonl demo/events.jsonl";

const EXPLAIN_HELP: &str = "\
Examples:
  ringback explain --policy policy.json --crm crm.json --event event.json --decision decision.json
  ringback explain --policy policy.json --event event.json --format json

Decisions carry a trace of rule codes by default (audit.trace: codes). explain decides the same
event with the same policy and CRM contacts again, at level full, and prints every rule with its
detail in words (--format json: the whole decision). With --decision, the stored decision's id
must match the one these inputs give; a mismatch (other inputs, policy or engine) is exit 2.";

const DECIDE_HELP: &str = "\
Example:
  ringback decide --policy demo/policy.json --crm demo/crm.json --event event.json";

const VALIDATE_HELP: &str = "\
Example:
  ringback validate demo/policy.json

Exit status 1 when the policy has errors; each is listed with its code and JSON path.";

const COMPLETIONS_HELP: &str = "\
Examples:
  ringback completions bash > /etc/bash_completion.d/ringback
  ringback completions zsh > \"${fpath[1]}/_ringback\"
  ringback completions fish > ~/.config/fish/completions/ringback.fish";

/// How `replay` prints decisions.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FormatArg {
    /// A readable table plus the summary.
    Table,
    /// One decision JSON per line (errors as {"line", "error"} objects), summary on stderr.
    Jsonl,
    /// No decisions (with --report, only the report).
    Quiet,
}

/// Which recovery report `replay` prints.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ReportKind {
    /// Plain text.
    Text,
    /// JSON (schema/report.schema.json).
    Json,
    /// One self-contained HTML page.
    Html,
}

#[derive(clap::Args)]
struct ReplayArgs {
    /// Policy (JSON or TOML); the built-in default policy when absent (it has no locations).
    #[arg(long, value_name = "FILE")]
    policy: Option<String>,
    /// CRM snapshot JSON (contacts and suppression lists); an empty CRM when absent.
    #[arg(long, value_name = "FILE")]
    crm: Option<String>,
    /// How to print decisions.
    #[arg(long, value_enum, default_value = "table", value_name = "FORMAT")]
    format: FormatArg,
    /// Outcomes (JSON lines) to record against the decisions; implies a text report.
    #[arg(long, value_name = "FILE")]
    outcomes: Option<String>,
    /// The recovery report to print (text when --outcomes or --out is given).
    #[arg(long, value_enum, value_name = "KIND")]
    report: Option<ReportKind>,
    /// Write the report to FILE instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<String>,
    /// Write Google Ads offline click-conversion rows (CSV) to FILE.
    #[arg(long, value_name = "FILE")]
    conversions: Option<String>,
    /// Events, one canonical event JSON per line.
    #[arg(value_name = "EVENTS")]
    events: String,
}

#[derive(clap::Args)]
struct CompareArgs {
    /// Policy A, then policy B (give --policy twice).
    #[arg(long, value_name = "FILE", required = true, action = clap::ArgAction::Append)]
    policy: Vec<String>,
    /// CRM snapshot JSON; an empty CRM when absent.
    #[arg(long, value_name = "FILE")]
    crm: Option<String>,
    /// Outcomes recorded under policy A (JSON lines), for the projected recovery.
    #[arg(long, value_name = "FILE")]
    outcomes: Option<String>,
    /// Events, one canonical event JSON per line.
    #[arg(value_name = "EVENTS")]
    events: String,
}

#[derive(clap::Args)]
struct DecideArgs {
    /// Policy (JSON or TOML); the built-in default policy when absent.
    #[arg(long, value_name = "FILE")]
    policy: Option<String>,
    /// CRM snapshot JSON (what a search by the caller's number returned).
    #[arg(long, value_name = "FILE")]
    crm: Option<String>,
    /// The event (canonical JSON).
    #[arg(long, value_name = "FILE")]
    event: String,
}

#[derive(clap::Args)]
struct ExplainArgs {
    /// Policy (JSON or TOML); the built-in default policy when absent.
    #[arg(long, value_name = "FILE")]
    policy: Option<String>,
    /// CRM snapshot JSON the decision was made with.
    #[arg(long, value_name = "FILE")]
    crm: Option<String>,
    /// The event (canonical JSON).
    #[arg(long, value_name = "FILE")]
    event: String,
    /// The stored decision (JSON): its `decision_id` must match.
    #[arg(long, value_name = "FILE")]
    decision: Option<String>,
    /// `text` (one line per rule) or `json` (the decision with its full trace).
    #[arg(long, value_name = "FORMAT", default_value = "text",
          value_parser = clap::builder::PossibleValuesParser::new(["text", "json"]))]
    format: String,
}

#[derive(clap::Args)]
struct ValidateArgs {
    /// The policy (JSON or TOML).
    #[arg(value_name = "POLICY")]
    policy: String,
}

#[derive(clap::Args)]
struct OutDir {
    /// The directory to write into (created when missing).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // Help and version go to stdout with status 0; usage errors to stderr with 2.
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2));
        }
    };
    match run(cli.command) {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("ringback: {msg}");
            ExitCode::from(2)
        }
    }
}

fn load_engine(path: Option<&str>) -> Result<Engine, String> {
    let policy = match path {
        None => Policy::default(),
        Some(p) => Policy::parse(&read(p)?).map_err(|e| format!("{p}: {e}"))?,
    };
    Engine::new(&policy).map_err(|e| format!("{}: {e}", path.unwrap_or("default policy")))
}

fn load_crm(path: Option<&str>) -> Result<ringback::CrmSnapshot, String> {
    match path {
        Some(p) => ringback::parse_crm(&read(p)?).map_err(|e| format!("{p}: {e}")),
        None => Ok(ringback::CrmSnapshot::default()),
    }
}

fn run(command: Command) -> Result<ExitCode, String> {
    match command {
        Command::Replay(a) => replay_cmd(a),
        Command::Compare(a) => compare_cmd(a),
        Command::Ingest(a) => ingest_cmd::run(a),
        Command::Crm(c) => crm_cmd::run(c),
        Command::Decide(a) => {
            one_stdin([
                a.policy.as_deref(),
                a.crm.as_deref(),
                Some(a.event.as_str()),
            ])?;
            let engine = load_engine(a.policy.as_deref())?;
            let crm = load_crm(a.crm.as_deref())?;
            let event = MissedCallEvent::from_json(&read(&a.event)?)
                .map_err(|e| format!("{}: {e}", a.event))?;
            let decision = engine
                .process(&event, &crm)
                .map_err(|e| format!("{}: {e}", a.event))?;
            let text = serde_json::to_string_pretty(&decision).map_err(|e| e.to_string())?;
            println!("{text}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Explain(a) => explain_cmd(a),
        Command::Validate(a) => validate_cmd(&a.policy),
        Command::DefaultPolicy => {
            let text =
                serde_json::to_string_pretty(&Policy::default()).map_err(|e| e.to_string())?;
            println!("{text}");
            Ok(ExitCode::SUCCESS)
        }
        Command::GenDemo(OutDir { out: dir }) => {
            demo_gen::write(&dir).map_err(|e| format!("cannot write {}: {e}", dir.display()))?;
            println!("demo data written to {}", dir.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Schema(OutDir { out: dir }) => {
            std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
            for (name, text) in ringback::schema::all() {
                let p = dir.join(name);
                std::fs::write(&p, text).map_err(|e| format!("{}: {e}", p.display()))?;
            }
            println!("schemas written to {}", dir.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Completions { shell } => {
            let mut cmd = Cli::command();
            clap_complete::generate(shell, &mut cmd, "ringback", &mut std::io::stdout());
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn replay_cmd(a: ReplayArgs) -> Result<ExitCode, String> {
    one_stdin([
        a.policy.as_deref(),
        a.crm.as_deref(),
        a.outcomes.as_deref(),
        Some(a.events.as_str()),
    ])?;
    let format = match a.format {
        FormatArg::Table => replay::Format::Table,
        FormatArg::Jsonl => replay::Format::Jsonl,
        FormatArg::Quiet => replay::Format::Quiet,
    };
    let report_kind = match a.report {
        None if a.outcomes.is_some() || a.out.is_some() => Some(ReportKind::Text),
        other => other,
    };
    let engine = load_engine(a.policy.as_deref())?;
    let crm = load_crm(a.crm.as_deref())?;
    let outcomes_text = match &a.outcomes {
        Some(p) => Some(read(p)?),
        None => None,
    };
    let text = read(&a.events)?;
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
    if let Some(p) = &a.conversions {
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
            ReportKind::Html => html::render(&summary, &engine_title(&engine, a.policy.as_deref())),
        };
        match &a.out {
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

fn compare_cmd(a: CompareArgs) -> Result<ExitCode, String> {
    let [pa, pb] = a.policy.as_slice() else {
        return Err("compare needs exactly two --policy options (A, then B)".to_string());
    };
    one_stdin([
        Some(pa.as_str()),
        Some(pb.as_str()),
        a.crm.as_deref(),
        a.outcomes.as_deref(),
        Some(a.events.as_str()),
    ])?;
    let crm = load_crm(a.crm.as_deref())?;
    let text = read(&a.events)?;
    let outcomes_text = match &a.outcomes {
        Some(p) => Some(read(p)?),
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

fn validate_cmd(path: &str) -> Result<ExitCode, String> {
    let policy = Policy::parse(&read(path)?).map_err(|e| format!("{path}: {e}"))?;
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

/// `ringback explain`.
fn explain_cmd(a: ExplainArgs) -> Result<ExitCode, String> {
    one_stdin([
        a.policy.as_deref(),
        a.crm.as_deref(),
        Some(a.event.as_str()),
        a.decision.as_deref(),
    ])?;
    let engine = load_engine(a.policy.as_deref())?;
    let crm = load_crm(a.crm.as_deref())?;
    let event =
        MissedCallEvent::from_json(&read(&a.event)?).map_err(|e| format!("{}: {e}", a.event))?;
    let stored_id = match &a.decision {
        Some(p) => {
            let v: serde_json::Value =
                serde_json::from_str(&read(p)?).map_err(|e| format!("{p}: not JSON ({e})"))?;
            let id = v
                .get("decision_id")
                .and_then(serde_json::Value::as_str)
                .ok_or_else(|| format!("{p}: no `decision_id` string"))?;
            Some(id.to_string())
        }
        None => None,
    };
    let decision = engine
        .explain(&event, &crm, None, stored_id.as_deref())
        .map_err(|e| format!("{}: {e}", a.decision.as_deref().unwrap_or(&a.event)))?;
    if a.format == "json" {
        let text = serde_json::to_string_pretty(&decision).map_err(|e| e.to_string())?;
        println!("{text}");
    } else {
        println!(
            "{} {} ({})",
            decision.decision_id,
            decision.status.as_str(),
            decision.event_id
        );
        print!("{}", ringback::trace::render(&decision.trace));
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
