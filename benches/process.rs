//! Criterion benchmark of `Engine::process` over the demo week, measured in the same run as
//! the JSON floor every JSON caller pays (parse the event + serialize the decision).
//! Target: a decision from typed input costs no more than 1.5× that floor.
//!
//! Each event gets the CRM contacts an integrator's search would return for its number
//! (0–5), as in production; the whole week is one iteration, so times are per ~470 events.
//! `benches/instructions.sh` counts instructions of the same workload.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use std::path::Path;

use ringback::MissedCallEvent;

#[path = "demo_week.rs"]
mod demo_week;

fn bench(c: &mut Criterion) {
    let w = demo_week::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../demo"))
        .expect("demo week loads");
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
            for (line, d) in w.lines.iter().zip(&w.decisions) {
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
