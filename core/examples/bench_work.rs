//! One workload of the benchmark per run, for instruction counting under
//! `valgrind --tool=callgrind` (see `benches/instructions.sh`): `process` (typed decisions
//! over the demo week) or `floor` (parse each event's JSON and serialize its decision).
//! Instruction counts do not depend on machine load, unlike wall-clock time.

use ringback::{parse_crm, CrmSnapshot, Engine, MissedCallEvent, Policy};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mode = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "process".to_string());
    let read = |n: &str| std::fs::read_to_string(format!("demo/{n}"));
    let engine = Engine::new(&Policy::from_json(&read("policy.json")?)?)?;
    let all = parse_crm(&read("crm.json")?)?;
    let index = engine.index(all.clone());
    let lines: Vec<String> = read("events.jsonl")?.lines().map(str::to_string).collect();
    let events: Vec<MissedCallEvent> = lines
        .iter()
        .map(|l| MissedCallEvent::from_json(l))
        .collect::<Result<_, _>>()?;
    // Per event, the contacts a CRM search by number returns (as the criterion bench does).
    let mut crms = Vec::new();
    let mut decisions = Vec::new();
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
        decisions.push(d);
    }
    let rounds = 3;
    let mut n = 0usize;
    for _ in 0..rounds {
        if mode == "floor" {
            for (line, d) in lines.iter().zip(&decisions) {
                n += MissedCallEvent::from_json(line).is_ok() as usize;
                n += serde_json::to_string(d)?.len() & 1;
            }
        } else if mode == "process" {
            for (e, crm) in events.iter().zip(&crms) {
                n += engine.process(e, crm).is_ok() as usize;
            }
        }
    }
    println!("{mode} {n}");
    Ok(())
}
