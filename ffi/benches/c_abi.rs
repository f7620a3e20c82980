//! The cost of the C boundary: `rb_engine_process` (pointer/length in, NULL checks, UTF-8
//! validation, panic guard, NUL-terminated library-owned string out, `rb_string_free`)
//! against `Engine::process_json` called directly, on the same inputs in the same run.
//! Target: the C call costs less than 10% more.
//!
//! The workload is the core benchmark's (`benches/demo_week.rs`): the demo week, each event
//! with the CRM contacts a search by its number returns, as JSON text. It is rebuilt here
//! because that module names the core `ringback`, which in this package is the C library.
//! After the criterion groups, an interleaved A/B run prints the median overhead ratio.
//!
//! Run: `make c-bench` (or `cargo bench -p ringback-ffi --bench c_abi`).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::error::Error;
use std::hint::black_box;
use std::path::Path;
use std::ptr;
use std::time::Instant;

use ringback::{
    rb_engine, rb_engine_free, rb_engine_new, rb_engine_process, rb_status, rb_string,
    rb_string_free,
};
use ringback_core::{parse_crm, CrmSnapshot, Engine, MissedCallEvent};

/// The demo week as JSON text: the policy, each event and its per-event CRM snapshot.
struct Week {
    policy: String,
    lines: Vec<String>,
    crm_texts: Vec<String>,
}

/// Loads the week like `benches/demo_week.rs`: each event gets the contacts its decision
/// against the full CRM names (primary and candidates) plus the suppression lists.
fn load(demo: &Path) -> Result<Week, Box<dyn Error>> {
    let read = |n: &str| std::fs::read_to_string(demo.join(n));
    let policy = read("policy.json")?;
    let engine = Engine::from_policy_text(&policy)?;
    let all = parse_crm(&read("crm.json")?)?;
    let index = engine.index(all.clone());
    let lines: Vec<String> = read("events.jsonl")?.lines().map(str::to_string).collect();
    let mut crm_texts = Vec::with_capacity(lines.len());
    for line in &lines {
        let d = engine.process(&MissedCallEvent::from_json(line)?, &index)?;
        let ids: Vec<&str> = d
            .record
            .candidates
            .iter()
            .map(|c| c.contact_id.as_str())
            .chain(d.record.contact_id.as_deref())
            .collect();
        let crm = CrmSnapshot {
            contacts: all
                .contacts
                .iter()
                .filter(|c| ids.contains(&c.id.as_str()))
                .cloned()
                .collect(),
            suppressions: all.suppressions.clone(),
        };
        crm_texts.push(serde_json::to_string(&crm)?);
    }
    Ok(Week {
        policy,
        lines,
        crm_texts,
    })
}

/// One event through the C ABI, the way a C caller does it.
fn via_c(engine: *const rb_engine, event: &str, crm: &str) -> usize {
    let mut out = rb_string {
        ptr: ptr::null(),
        len: 0,
    };
    // SAFETY: a live engine, valid buffers, a valid out-parameter; NULL `err` is allowed.
    let st = unsafe {
        rb_engine_process(
            engine,
            event.as_ptr(),
            event.len(),
            crm.as_ptr(),
            crm.len(),
            &mut out,
            ptr::null_mut(),
        )
    };
    let len = if st == rb_status::RB_OK { out.len } else { 0 };
    // SAFETY: `out` was filled in by the library (or is `{NULL, 0}`).
    unsafe { rb_string_free(&mut out) };
    len
}

fn week_via_c(w: &Week, engine: *const rb_engine) -> usize {
    w.lines
        .iter()
        .zip(&w.crm_texts)
        .map(|(e, c)| via_c(engine, black_box(e), black_box(c)))
        .sum()
}

fn week_direct(w: &Week, engine: &Engine) -> usize {
    w.lines
        .iter()
        .zip(&w.crm_texts)
        .map(|(e, c)| {
            engine
                .process_json(black_box(e), black_box(c))
                .map_or(0, |s| s.len())
        })
        .sum()
}

fn bench(c: &mut Criterion) {
    let w = match load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../demo")) {
        Ok(w) => w,
        Err(e) => panic!("the demo week does not load: {e}"),
    };
    let engine = match Engine::from_policy_text(&w.policy) {
        Ok(e) => e,
        Err(e) => panic!("the demo policy does not compile: {e}"),
    };
    let mut c_engine: *mut rb_engine = ptr::null_mut();
    // SAFETY: valid buffer and out-parameter.
    let st = unsafe {
        rb_engine_new(
            w.policy.as_ptr(),
            w.policy.len(),
            &mut c_engine,
            ptr::null_mut(),
        )
    };
    assert_eq!(st, rb_status::RB_OK);
    // Same inputs, same outputs: the C path returns exactly the direct path's bytes.
    let direct_bytes = week_direct(&w, &engine);
    assert!(direct_bytes > 0);
    assert_eq!(week_via_c(&w, c_engine), direct_bytes);

    let mut g = c.benchmark_group("c_abi_demo_week");
    g.throughput(Throughput::Elements(w.lines.len() as u64));
    g.bench_function("engine_process_json_direct", |b| {
        b.iter(|| black_box(week_direct(&w, &engine)))
    });
    g.bench_function("rb_engine_process_via_c_abi", |b| {
        b.iter(|| black_box(week_via_c(&w, c_engine)))
    });
    g.finish();

    // Interleaved A/B: the ratio of the medians of alternating whole-week runs.
    let rounds = 41;
    let (mut direct, mut via) = (Vec::new(), Vec::new());
    for _ in 0..rounds {
        let t = Instant::now();
        black_box(week_direct(&w, &engine));
        direct.push(t.elapsed().as_secs_f64());
        let t = Instant::now();
        black_box(week_via_c(&w, c_engine));
        via.push(t.elapsed().as_secs_f64());
    }
    direct.sort_by(f64::total_cmp);
    via.sort_by(f64::total_cmp);
    let (d, v) = (direct[rounds / 2], via[rounds / 2]);
    println!(
        "c_abi overhead: direct {:.2} ms/week, via C {:.2} ms/week, ratio {:.4} ({:+.2}%) over {} events",
        d * 1e3,
        v * 1e3,
        v / d,
        (v / d - 1.0) * 100.0,
        w.lines.len()
    );
    // SAFETY: freed once, after every use.
    unsafe { rb_engine_free(c_engine) };
}

criterion_group!(benches, bench);
criterion_main!(benches);
