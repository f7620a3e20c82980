//! One workload of the benchmark per run, for instruction counting under
//! `valgrind --tool=callgrind` (see `benches/instructions.sh`): `process` (typed decisions
//! over the demo week), `json` (the same from JSON text), `floor` (parse each event's JSON and
//! serialize its decision), `value` (parse each event's JSON into a `serde_json::Value` and
//! serialize it back: issue 17's floor, independent of the decision's size), or
//! `setup` (loading only, subtracted by the script). Instruction counts do not depend on
//! machine load, unlike wall-clock time.

use ringback::MissedCallEvent;

#[path = "../../benches/demo_week.rs"]
mod demo_week;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mode = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "process".to_string());
    let w = demo_week::load(std::path::Path::new("demo"))?;
    let mut n = 0usize;
    for _ in 0..3 {
        match mode.as_str() {
            "floor" => {
                for (line, d) in w.lines.iter().zip(&w.decisions) {
                    n += MissedCallEvent::from_json(line).is_ok() as usize;
                    n += serde_json::to_string(d)?.len() & 1;
                }
            }
            "value" => {
                for line in &w.lines {
                    let v: serde_json::Value = serde_json::from_str(line)?;
                    n += serde_json::to_string(&v)?.len() & 1;
                }
            }
            "json" => {
                for (line, crm) in w.lines.iter().zip(&w.crm_texts) {
                    n += w.engine.process_json(line, crm).is_ok() as usize;
                }
            }
            "process" => {
                for (e, crm) in w.events.iter().zip(&w.crms) {
                    n += w.engine.process(e, crm).is_ok() as usize;
                }
            }
            _ => {}
        }
    }
    println!("{mode} {n}");
    Ok(())
}
