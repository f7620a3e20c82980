//! What a `CrmIndex` costs in memory per contact, and how fast it builds: synthetic
//! contacts (one or two NANP phones each, a name, a location) indexed for the demo policy.
//! Resident memory is read from `/proc/self/statm` (Linux) before and after, with the
//! snapshot's own size measured the same way, so the figure is the index's whole cost.
//!
//! `cargo run --release -p ringback --example index_memory -- 1000000`

use std::time::Instant;

use ringback::model::crm::Phone;
use ringback::{Contact, ContactKind, CrmSnapshot, Engine, Policy};

fn rss_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap_or_default();
    let pages: u64 = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    pages * 4096
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let policy = std::fs::read_to_string("demo/policy.json")?;
    let engine = Engine::new(&Policy::from_json(&policy)?)?;
    let areas = ["602", "480", "212", "415", "512", "303", "617", "305"];
    let before = rss_bytes();
    let mut contacts = Vec::with_capacity(n);
    for i in 0..n {
        let area = areas[i % areas.len()];
        let mut phones = vec![Phone::Plain(format!(
            "({area}) {:03}-{:04}",
            200 + (i / 10_000) % 800,
            i % 10_000
        ))];
        if i % 3 == 0 {
            phones.push(Phone::Plain(format!("+1 {area} 555 {:04}", i % 10_000)));
        }
        contacts.push(Contact {
            phones,
            first_name: Some("Dana".to_string()),
            last_name: Some(format!("Smith{i}")),
            location_id: Some("phx-01".to_string()),
            ..Contact::new(format!("c_{i:08}"), ContactKind::Customer)
        });
    }
    let snapshot = CrmSnapshot {
        contacts,
        suppressions: Default::default(),
    };
    let with_snapshot = rss_bytes();
    let started = Instant::now();
    let index = engine.index(snapshot);
    let took = started.elapsed();
    let with_index = rss_bytes();
    println!(
        "{n} contacts: snapshot {:.0} B/contact, index on top {:.0} B/contact, total {:.0} B/contact; built in {:.2} s ({:.0} contacts/s, one core)",
        (with_snapshot - before) as f64 / n as f64,
        with_index.saturating_sub(with_snapshot) as f64 / n as f64,
        with_index.saturating_sub(before) as f64 / n as f64,
        took.as_secs_f64(),
        n as f64 / took.as_secs_f64()
    );
    std::hint::black_box(index.len());
    Ok(())
}
