//! The benchmark workload, shared by the criterion bench (`process.rs`) and the
//! instruction-count driver (`core/examples/bench_work.rs`): the demo week, each event with
//! the contacts a CRM search by its number would return, and its decision.

use std::error::Error;
use std::path::Path;

use ringback::{parse_crm, CrmSnapshot, Decision, Engine, MissedCallEvent, Policy};

/// The demo week, ready to decide.
pub struct Week {
    /// The demo policy, compiled.
    pub engine: Engine,
    /// The events as JSON lines.
    pub lines: Vec<String>,
    /// The events, parsed.
    pub events: Vec<MissedCallEvent>,
    /// Per event, the contacts on the caller's number (and the suppression lists).
    pub crms: Vec<CrmSnapshot>,
    /// The same snapshots as JSON text.
    pub crm_texts: Vec<String>,
    /// Per event, its decision (for the serialization half of the JSON floor).
    pub decisions: Vec<Decision>,
}

/// Loads the week from the `demo/` folder.
pub fn load(demo: &Path) -> Result<Week, Box<dyn Error>> {
    let read = |n: &str| std::fs::read_to_string(demo.join(n));
    let engine = Engine::new(&Policy::from_json(&read("policy.json")?)?)?;
    let all = parse_crm(&read("crm.json")?)?;
    let index = engine.index(all.clone());
    let lines: Vec<String> = read("events.jsonl")?.lines().map(str::to_string).collect();
    let events = lines
        .iter()
        .map(|l| MissedCallEvent::from_json(l))
        .collect::<Result<Vec<_>, _>>()?;
    let mut crms = Vec::with_capacity(events.len());
    for e in &events {
        let d = engine.process(e, &index)?;
        let ids: Vec<&str> = d
            .record
            .candidates
            .iter()
            .map(|c| c.contact_id.as_str())
            .chain(d.record.contact_id.as_deref())
            .collect();
        crms.push(CrmSnapshot {
            contacts: all
                .contacts
                .iter()
                .filter(|c| ids.contains(&c.id.as_str()))
                .cloned()
                .collect(),
            suppressions: all.suppressions.clone(),
        });
    }
    let crm_texts = crms
        .iter()
        .map(serde_json::to_string)
        .collect::<Result<Vec<_>, _>>()?;
    let decisions = events
        .iter()
        .zip(&crms)
        .map(|(e, crm)| engine.process(e, crm))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Week {
        engine,
        lines,
        events,
        crms,
        crm_texts,
        decisions,
    })
}
