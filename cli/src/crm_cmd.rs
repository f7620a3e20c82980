//! `ringback crm lookup | snapshot | plan`: the CRM machines from the command line. They
//! print the requests ringback would send and read the answers from files; they never open
//! a connection.

use std::process::ExitCode;

use ringback::crm::{self, Config, Response, Sync, SyncState, SyncSubject, System};

use crate::input::{one_stdin, read};

/// Shown at the end of `ringback crm --help`.
pub const HELP: &str = "\
Examples:
  ringback crm lookup --system salesforce --caller '(602) 555-0143' --location phx-01
  ringback crm snapshot --system hubspot --caller +16025550143 --location phx-01 \\
      search.json by-key.json
  ringback crm plan --system salesforce --responses answers.jsonl decision.json

Nothing is sent: lookup and plan print one {\"request\": {...}} JSON line per request
(method, path relative to your instance, headers, body, delay_seconds); snapshot and plan
read the CRM's answers from files ({\"status\", \"headers\", \"body\"} each). Without
--config every setting takes its documented default (custom fields Ringback_Key__c and
Ringback_Event_Id__c in Salesforce; ringback_key, ringback_event_id, ringback_task_key in
HubSpot).";

/// `ringback crm` subcommands.
#[derive(clap::Subcommand)]
pub enum CrmCommand {
    /// Print the search requests for a caller.
    Lookup(LookupArgs),
    /// Read the search answers into a CRM snapshot.
    Snapshot(SnapshotArgs),
    /// Print the requests that write a decision, fed the answers in order.
    Plan(PlanArgs),
}

/// Which CRM.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum SystemArg {
    /// Salesforce (REST API).
    Salesforce,
    /// HubSpot (CRM v3/v4).
    Hubspot,
    /// Zoho CRM (v7).
    Zoho,
    /// Dynamics 365 / Dataverse (Web API v9.2).
    Dynamics,
    /// Pipedrive (API v2, v1).
    Pipedrive,
}

impl From<SystemArg> for System {
    fn from(s: SystemArg) -> System {
        match s {
            SystemArg::Salesforce => System::Salesforce,
            SystemArg::Hubspot => System::Hubspot,
            SystemArg::Zoho => System::Zoho,
            SystemArg::Dynamics => System::Dynamics,
            SystemArg::Pipedrive => System::Pipedrive,
        }
    }
}

/// Options every `crm` subcommand takes.
#[derive(clap::Args)]
pub struct Common {
    /// The CRM.
    #[arg(long, value_enum)]
    system: SystemArg,
    /// Adapter configuration (JSON or TOML); the documented defaults when absent.
    #[arg(long, value_name = "FILE")]
    config: Option<String>,
}

/// `crm lookup` arguments.
#[derive(clap::Args)]
pub struct LookupArgs {
    #[command(flatten)]
    common: Common,
    /// The caller's number, any format.
    #[arg(long, value_name = "NUMBER")]
    caller: String,
    /// The location the call came in at.
    #[arg(long, value_name = "ID")]
    location: String,
}

/// `crm snapshot` arguments.
#[derive(clap::Args)]
pub struct SnapshotArgs {
    #[command(flatten)]
    common: Common,
    /// The caller's number, any format.
    #[arg(long, value_name = "NUMBER")]
    caller: String,
    /// The location the call came in at.
    #[arg(long, value_name = "ID")]
    location: String,
    /// The answers to the lookup requests, in order.
    #[arg(value_name = "RESPONSE.json", required = true)]
    responses: Vec<String>,
}

/// `crm plan` arguments.
#[derive(clap::Args)]
pub struct PlanArgs {
    #[command(flatten)]
    common: Common,
    /// The CRM's answers, one {"status", "headers", "body"} per line, in order.
    #[arg(long, value_name = "R.jsonl")]
    responses: Option<String>,
    /// A decision as `ringback decide` prints it (or as the bindings return it).
    #[arg(value_name = "DECISION.json")]
    decision: String,
}

fn config(path: Option<&str>) -> Result<Config, String> {
    match path {
        Some(p) => Config::parse(&read(p)?).map_err(|e| format!("{p}: {e}")),
        None => Ok(Config::default()),
    }
}

fn line<T: serde::Serialize>(key: &str, value: &T) -> Result<String, String> {
    let v = serde_json::to_value(value).map_err(|e| e.to_string())?;
    Ok(serde_json::json!({ key: v }).to_string())
}

/// Runs a `crm` subcommand.
pub fn run(cmd: CrmCommand) -> Result<ExitCode, String> {
    match cmd {
        CrmCommand::Lookup(a) => {
            one_stdin([a.common.config.as_deref()])?;
            let config = config(a.common.config.as_deref())?;
            let caller = crm::Caller::parse(&a.caller, &a.location, &config)
                .map_err(|e| format!("--caller: {e}"))?;
            let lookup = crm::lookup(a.common.system.into(), &config, &caller);
            for r in lookup.requests() {
                println!("{}", line("request", r)?);
            }
            Ok(ExitCode::SUCCESS)
        }
        CrmCommand::Snapshot(a) => {
            one_stdin(
                a.responses
                    .iter()
                    .map(|s| Some(s.as_str()))
                    .chain([a.common.config.as_deref()]),
            )?;
            let config = config(a.common.config.as_deref())?;
            let caller = crm::Caller::parse(&a.caller, &a.location, &config)
                .map_err(|e| format!("--caller: {e}"))?;
            let lookup = crm::lookup(a.common.system.into(), &config, &caller);
            let mut responses = Vec::new();
            for p in &a.responses {
                responses.push(Response::from_json(&read(p)?).map_err(|e| format!("{p}: {e}"))?);
            }
            let snapshot = lookup
                .snapshot(&responses)
                .map_err(|e| format!("responses{e}"))?;
            let text = serde_json::to_string_pretty(&snapshot).map_err(|e| e.to_string())?;
            println!("{text}");
            Ok(ExitCode::SUCCESS)
        }
        CrmCommand::Plan(a) => {
            one_stdin([
                a.common.config.as_deref(),
                a.responses.as_deref(),
                Some(a.decision.as_str()),
            ])?;
            let config = config(a.common.config.as_deref())?;
            let subject = SyncSubject::from_json(&read(&a.decision)?)
                .map_err(|e| format!("{}: {e}", a.decision))?;
            let answers_text = match &a.responses {
                Some(p) => read(p)?,
                None => String::new(),
            };
            let mut answers = Vec::new();
            for (i, l) in answers_text
                .lines()
                .enumerate()
                .filter(|(_, l)| !l.trim().is_empty())
            {
                let r = Response::from_json(l).map_err(|e| {
                    format!(
                        "{} line {}: {e}",
                        a.responses.as_deref().unwrap_or(""),
                        i + 1
                    )
                })?;
                answers.push(r);
            }
            let mut answers = answers.into_iter();
            let mut sync = Sync::new(a.common.system.into(), &subject, &config);
            while let Some(r) = sync.next_request() {
                println!("{}", line("request", &r)?);
                let Some(answer) = answers.next() else {
                    println!("{}", line("waiting", sync.outcome())?);
                    return Ok(ExitCode::SUCCESS);
                };
                if let Err(e) = sync.feed(answer) {
                    eprintln!("ringback: the answer to {} {}: {e}", r.method, r.path);
                    break;
                }
            }
            println!("{}", line("outcome", sync.outcome())?);
            Ok(if sync.outcome().state == SyncState::Failed {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
    }
}
