//! Criterion benchmark of `Engine::process` over the demo week, measured in the same run as
//! the JSON floor every JSON caller pays (parse the event + serialize the decision).
//! Target (issue 2): a decision from typed input costs no more than 1.5× that floor.
//!
//! Each event gets the CRM contacts an integrator's search would return for its number
//! (0–5), as in production; the whole week is one iteration, so times are per ~470 events.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use std::path::Path;

use ringback::{CrmSnapshot, Engine, MissedCallEvent, Policy};

struct Week {
    engine: Engine,
    lines: Vec<String>,
    events: Vec<MissedCallEvent>,
    crms: Vec<CrmSnapshot>,
    crm_texts: Vec<String>,
}

fn load() -> Week {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../demo");
    let read = |n: &str| std::fs::read_to_string(dir.join(n)).expect("demo data present");
    let engine =
        Engine::new(&Policy::from_json(&read("policy.json")).expect("policy")).expect("engine");
    let all = ringback::parse_crm(&read("crm.json")).expect("crm");
    let index = engine.index(all.clone());
    let lines: Vec<String> = read("events.jsonl").lines().map(str::to_string).collect();
    let events: Vec<MissedCallEvent> = lines
        .iter()
        .map(|l| MissedCallEvent::from_json(l).expect("event"))
        .collect();
    // What a CRM search by the caller's number returns, per event.
    let crms: Vec<CrmSnapshot> = events
        .iter()
        .map(|e| {
            let d = engine.process(e, &index).expect("decides");
            let mut ids: Vec<&str> = d
                .record
                .candidates
                .iter()
                .map(|c| c.contact_id.as_str())
                .collect();
            if let Some(c) = d.record.contact_id.as_deref() {
                ids.push(c);
            }
            CrmSnapshot {
                contacts: all
                    .contacts
                    .iter()
                    .filter(|c| ids.contains(&c.id.as_str()))
                    .cloned()
                    .collect(),
                suppressions: all.suppressions.clone(),
            }
        })
        .collect();
    let crm_texts = crms
        .iter()
        .map(|c| serde_json::to_string(c).expect("crm json"))
        .collect();
    Week {
        engine,
        lines,
        events,
        crms,
        crm_texts,
    }
}

fn bench(c: &mut Criterion) {
    let w = load();
    let decisions: Vec<_> = w
        .events
        .iter()
        .zip(&w.crms)
        .map(|(e, crm)| w.engine.process(e, crm).expect("decides"))
        .collect();
    let mut g = c.benchmark_group("demo_week");
    g.throughput(Throughput::Elements(w.events.len() as u64));
    g.bench_function("process_typed", |b| {
        b.iter(|| {
            for (e, crm) in w.events.iter().zip(&w.crms) {
                black_box(w.engine.process(black_box(e), black_box(crm)).ok());
            }
        })
    });
    g.bench_function("json_floor_parse_event_and_serialize_decision", |b| {
        b.iter(|| {
            for (line, d) in w.lines.iter().zip(&decisions) {
                black_box(MissedCallEvent::from_json(black_box(line)).ok());
                black_box(serde_json::to_string(black_box(d)).ok());
            }
        })
    });
    g.bench_function("process_json_end_to_end", |b| {
        b.iter(|| {
            for (line, crm) in w.lines.iter().zip(&w.crm_texts) {
                black_box(w.engine.process_json(black_box(line), black_box(crm)).ok());
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
