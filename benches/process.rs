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
    // Issue 17's floor: the event's JSON into a `serde_json::Value` and back to text, a cost
    // that does not depend on the decision's size.
    g.bench_function("event_value_parse_serialize", |b| {
        b.iter(|| {
            for line in &w.lines {
                let v: Option<serde_json::Value> = serde_json::from_str(black_box(line)).ok();
                black_box(v.map(|v| v.to_string()));
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

/// The demo week decided at each `audit.trace` level, in one run: `full` formats every
/// rule's detail in English (the pre-level behaviour), `codes` (the default) keeps stage,
/// rule and result, `off` keeps no trace.
fn bench_trace_levels(c: &mut Criterion) {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../demo");
    let w = demo_week::load(&demo).expect("demo week loads");
    let text = std::fs::read_to_string(demo.join("policy.json")).expect("demo policy");
    let mut g = c.benchmark_group("trace_levels");
    g.throughput(Throughput::Elements(w.events.len() as u64));
    for level in ["full", "codes", "off"] {
        let mut policy: serde_json::Value = serde_json::from_str(&text).expect("policy JSON");
        policy["defaults"]["audit"]["trace"] = serde_json::json!(level);
        let engine = ringback::Engine::from_policy_text(&policy.to_string()).expect("engine");
        g.bench_function(format!("process_typed_{level}"), |b| {
            b.iter(|| {
                for (e, crm) in w.events.iter().zip(&w.crms) {
                    black_box(engine.process(black_box(e), black_box(crm)).ok());
                }
            })
        });
        g.bench_function(format!("process_json_{level}"), |b| {
            b.iter(|| {
                for (line, crm) in w.lines.iter().zip(&w.crm_texts) {
                    black_box(engine.process_json(black_box(line), black_box(crm)).ok());
                }
            })
        });
    }
    g.finish();
}

/// A CRM sync of every demo decision against canned success answers, next to the decision
/// itself: the core's cost per sync (plan + every request built + every answer read).
fn bench_crm(c: &mut Criterion) {
    use ringback::crm::{Config, Response, Sync, SyncSubject, System};
    let w = demo_week::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../demo"))
        .expect("demo week loads");
    let config = Config::default();
    // A canned success for each kind of request: finds find nothing (so every record is
    // created: the most requests), creates and updates succeed.
    let answer = |system: System, r: &ringback::crm::Request| -> Response {
        let (status, body) = match system {
            System::Salesforce => (
                201,
                r#"{"id": "00Q5g00000LmNoPEA3", "success": true, "errors": [], "created": true}"#,
            ),
            System::Hubspot => (
                200,
                r#"{"status": "COMPLETE", "results": [{"id": "37765128953", "new": true, "properties": {}}]}"#,
            ),
            System::Zoho if r.path.ends_with("/coql") => (204, ""),
            System::Zoho => (
                201,
                r#"{"data": [{"code": "SUCCESS", "details": {"id": "5725767000000412001"}, "message": "record added", "status": "success", "action": "insert"}]}"#,
            ),
            System::Dynamics => (
                201,
                r#"{"leadid": "7d5f0b1a-2c3d-ef11-a72f-000d3a5a1b2c", "activityid": "9a1f0b1a-2c3d-ef11-a72f-000d3a5a1b2c"}"#,
            ),
            System::Pipedrive if r.path.contains("/search") => {
                (200, r#"{"success": true, "data": {"items": []}}"#)
            }
            System::Pipedrive if r.method == "GET" => (200, r#"{"success": true, "data": []}"#),
            System::Pipedrive => (200, r#"{"success": true, "data": {"id": 5}}"#),
        };
        Response {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    };
    let run = |system: System, subjects: &[SyncSubject]| -> u32 {
        let mut requests = 0;
        for s in subjects {
            let mut sync = Sync::new(system, s, &config);
            while let Some(r) = sync.next_request() {
                let _ = sync.feed(answer(system, &r));
            }
            requests += sync.outcome().requests;
        }
        requests
    };
    let subjects: Vec<SyncSubject> = w.decisions.iter().map(SyncSubject::from).collect();
    for system in System::ALL {
        // Requests per decision, by record action (printed once, for the README).
        let mut by: std::collections::BTreeMap<String, (u32, u32)> = Default::default();
        for s in &subjects {
            let key = if s.status == ringback::Status::DuplicateEvent
                || s.status == ringback::Status::NotMissed
            {
                s.status.as_str().to_string()
            } else {
                s.record.action.as_str().to_string()
            };
            let n = run(system, std::slice::from_ref(s));
            let e = by.entry(key).or_default();
            e.0 += 1;
            e.1 += n;
        }
        for (k, (count, reqs)) in by {
            eprintln!(
                "crm {} {k}: {count} decisions, {:.2} requests each",
                system.as_str(),
                f64::from(reqs) / f64::from(count)
            );
        }
    }
    let mut g = c.benchmark_group("crm_sync_demo_week");
    g.throughput(Throughput::Elements(subjects.len() as u64));
    g.bench_function("process_typed", |b| {
        b.iter(|| {
            for (e, crm) in w.events.iter().zip(&w.crms) {
                black_box(w.engine.process(black_box(e), black_box(crm)).ok());
            }
        })
    });
    g.bench_function("sync_salesforce", |b| {
        b.iter(|| black_box(run(System::Salesforce, black_box(&subjects))))
    });
    g.bench_function("sync_hubspot", |b| {
        b.iter(|| black_box(run(System::Hubspot, black_box(&subjects))))
    });
    g.bench_function("sync_zoho", |b| {
        b.iter(|| black_box(run(System::Zoho, black_box(&subjects))))
    });
    g.bench_function("sync_dynamics", |b| {
        b.iter(|| black_box(run(System::Dynamics, black_box(&subjects))))
    });
    g.bench_function("sync_pipedrive", |b| {
        b.iter(|| black_box(run(System::Pipedrive, black_box(&subjects))))
    });
    // Each decision's texts through Twilio at the first text's instant: the duplicate check
    // finds nothing, the send is accepted.
    use ringback::messaging::twilio::{Send, TwilioConfig};
    use ringback::messaging::TextSubject;
    let twilio = TwilioConfig::from_json(
        r#"{"account_sid": "AC00000000000000000000000000000001", "from": "+16025550100"}"#,
    )
    .expect("twilio config");
    let texts: Vec<(TextSubject, ringback::Timestamp)> = w
        .decisions
        .iter()
        .map(|d| {
            let at = d
                .follow_up
                .iter()
                .find(|s| s.action == ringback::model::decision::StepAction::SendSms)
                .map_or(d.occurred_at, |s| s.at);
            (TextSubject::from(d), at)
        })
        .collect();
    let listed = Response {
        status: 200,
        headers: Vec::new(),
        body: r#"{"messages": []}"#.into(),
    };
    let accepted = Response {
        status: 201,
        headers: Vec::new(),
        body: r#"{"sid": "SM00000000000000000000000000000001", "status": "queued"}"#.into(),
    };
    let sent: u32 = texts
        .iter()
        .map(|(t, at)| {
            let mut s = Send::new(t, &twilio, *at);
            while let Some(r) = s.next_request() {
                let _ = s.feed(if r.method == "GET" {
                    listed.clone()
                } else {
                    accepted.clone()
                });
            }
            s.outcome().requests
        })
        .sum();
    eprintln!("twilio: {sent} requests for {} decisions", texts.len());
    g.bench_function("send_twilio", |b| {
        b.iter(|| {
            for (t, at) in &texts {
                let mut s = Send::new(black_box(t), &twilio, *at);
                while let Some(r) = s.next_request() {
                    let _ = s.feed(if r.method == "GET" {
                        listed.clone()
                    } else {
                        accepted.clone()
                    });
                }
                black_box(s.outcome());
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench, bench_trace_levels, bench_crm);
criterion_main!(benches);
