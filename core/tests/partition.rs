//! Sharded replays decide exactly as one replay (issue 18): the demo week replayed whole and
//! replayed as 1, 2, 7 and 64 buckets (and, by proptest, any count up to 100) gives the same
//! decision lines, byte for byte; every number of a contact, and every contact sharing a
//! number, lands in one bucket.

use proptest::prelude::*;
use ringback::partition::{bucket, Plan};
use ringback::{parse_crm, CrmSnapshot, Engine, MissedCallEvent, Policy, Replayer};

mod common;
use common::demo;

struct Week {
    engine: Engine,
    crm: CrmSnapshot,
    lines: Vec<String>,
    events: Vec<MissedCallEvent>,
}

fn week() -> Week {
    let engine =
        Engine::new(&Policy::from_json(&demo("policy.json")).expect("policy")).expect("engine");
    let crm = parse_crm(&demo("crm.json")).expect("crm");
    let lines: Vec<String> = demo("events.jsonl").lines().map(str::to_string).collect();
    let events = lines
        .iter()
        .map(|l| MissedCallEvent::from_json(l).expect("event"))
        .collect();
    Week {
        engine,
        crm,
        lines,
        events,
    }
}

/// Every decision line of one replay, sorted (replay order differs between shards).
fn whole(w: &Week) -> Vec<String> {
    let mut r = Replayer::new(&w.engine, w.engine.index(w.crm.clone()));
    let mut out: Vec<String> = r
        .replay_jsonl_to_jsonl(&w.lines.join("\n"))
        .lines()
        .map(str::to_string)
        .collect();
    out.sort();
    out
}

fn sharded(w: &Week, buckets: u32) -> Vec<String> {
    let plan = Plan::new(&w.engine, &w.crm, buckets);
    let parts = plan.split(&w.crm);
    assert_eq!(parts.len(), plan.buckets() as usize);
    assert_eq!(
        parts.iter().map(|p| p.contacts.len()).sum::<usize>(),
        w.crm.contacts.len(),
        "every contact in exactly one bucket"
    );
    let mut lines: Vec<Vec<&str>> = vec![Vec::new(); parts.len()];
    for (line, e) in w.lines.iter().zip(&w.events) {
        lines[plan.event_bucket(&w.engine, e) as usize].push(line);
    }
    let mut out = Vec::new();
    for (part, ls) in parts.into_iter().zip(lines) {
        let mut r = Replayer::new(&w.engine, w.engine.index(part));
        out.extend(
            r.replay_jsonl_to_jsonl(&ls.join("\n"))
                .lines()
                .map(str::to_string),
        );
    }
    out.sort();
    out
}

#[test]
fn sharded_replays_decide_byte_for_byte_as_one() {
    let w = week();
    let one = whole(&w);
    assert_eq!(one.len(), w.lines.len());
    for buckets in [1, 2, 7, 64] {
        assert_eq!(sharded(&w, buckets), one, "{buckets} buckets");
    }
}

#[test]
fn a_contact_and_everyone_sharing_its_numbers_stay_together() {
    let w = week();
    let plan = Plan::new(&w.engine, &w.crm, 64);
    let mut owners: std::collections::HashMap<String, u32> = Default::default();
    let mut multi = 0;
    for (i, c) in w.crm.contacts.iter().enumerate() {
        let b = plan.contact_bucket(i).expect("bucket");
        let keys = w.engine.contact_keys(c);
        multi += usize::from(keys.len() > 1);
        for k in keys {
            assert_eq!(plan.phone_bucket(&k), b, "{k} of {}", c.id);
            if let Some(prev) = owners.insert(k.clone(), b) {
                assert_eq!(prev, b, "{k} shared across buckets");
            }
        }
    }
    assert!(multi > 0, "the demo CRM has contacts with several numbers");
    // A number the CRM does not know buckets by itself; a withheld caller by event id.
    assert_eq!(
        plan.phone_bucket("+15555550100"),
        bucket("+15555550100", 64)
    );
    let withheld = w
        .events
        .iter()
        .find(|e| w.engine.caller_key(e).is_none())
        .expect("the demo week has a withheld caller");
    assert_eq!(
        plan.event_bucket(&w.engine, withheld),
        bucket(&withheld.event_id, 64)
    );
    assert!(plan.phones().windows(2).all(|p| p[0].0 < p[1].0));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]
    #[test]
    fn any_bucket_count_replays_as_one(buckets in 1u32..100) {
        let w = week();
        prop_assert_eq!(sharded(&w, buckets), whole(&w));
    }
}
