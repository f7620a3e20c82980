//! The CRM sync end to end over real HTTP on loopback, against the faithful fakes: every call
//! of the Phoenix Tuesday (SPEC: 12 missed calls at `phx-01`, 4 existing customers, 8 new
//! numbers) goes lookup → snapshot → decision → sync, in Salesforce and in HubSpot; then the
//! 12 webhooks are replayed and nothing new appears. Also: racing webhooks for one new
//! number, a 429 storm, and a shared line.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde_json::{json, Map, Value};

use ringback::crm::{
    self, Config, Request, Response, Sync, SyncOutcome, SyncState, SyncSubject, System,
};
use ringback::{CrmSnapshot, Engine, MissedCallEvent};
use ringback_crm_fake::{send, start, State};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn auth() -> Vec<(String, String)> {
    vec![("Authorization".to_string(), "Bearer fake-token".to_string())]
}

fn exchange(base: &str, r: &Request) -> Response {
    // The fakes answer Retry-After: 0; a real driver sleeps `delay_seconds` here.
    assert!(r.delay_seconds <= 2, "no long waits against the fake");
    let mut headers = r.headers.clone();
    headers.extend(auth());
    let resp = send(base, &r.method, &r.path, &headers, r.body.as_deref()).expect("loopback HTTP");
    Response {
        status: resp.status,
        headers: resp.headers,
        body: resp.body,
    }
}

fn snapshot_over_http(
    base: &str,
    system: System,
    config: &Config,
    number: Option<&str>,
    location: &str,
) -> CrmSnapshot {
    let Some(number) = number else {
        return CrmSnapshot::default();
    };
    let Ok(caller) = crm::Caller::parse(number, location, config) else {
        return CrmSnapshot::default();
    };
    let lookup = crm::lookup(system, config, &caller);
    let responses: Vec<Response> = lookup
        .requests()
        .iter()
        .map(|r| {
            // A throttled search is sent again, as a driver would.
            loop {
                let resp = exchange(base, r);
                if resp.status != 429 {
                    return resp;
                }
            }
        })
        .collect();
    lookup.snapshot(&responses).expect("snapshot")
}

fn sync_over_http(
    base: &str,
    system: System,
    subject: &SyncSubject,
    config: &Config,
) -> SyncOutcome {
    let mut sync = Sync::new(system, subject, config);
    let bound = sync.request_bound();
    let mut n = 0;
    while let Some(r) = sync.next_request() {
        n += 1;
        assert!(n <= bound, "request bound");
        let resp = exchange(base, &r);
        sync.feed(resp)
            .unwrap_or_else(|e| panic!("{} {}: {e}", r.method, r.path));
    }
    sync.outcome().clone()
}

struct Day {
    engine: Engine,
    events: Vec<MissedCallEvent>,
    customers: Vec<Value>,
}

/// The Phoenix Tuesday: the 12 calls at phx-01 on 2026-11-24, and the demo CRM's records
/// for those callers.
fn phoenix_tuesday() -> Day {
    let engine = Engine::from_policy_text(&read("demo/policy.json")).expect("policy");
    let events: Vec<MissedCallEvent> = read("demo/events.jsonl")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| MissedCallEvent::from_json(l).expect("event"))
        .filter(|e| {
            e.location_id == "phx-01" && e.occurred_at.to_rfc3339().starts_with("2026-11-24")
        })
        .collect();
    assert_eq!(events.len(), 12, "the story's 12 calls");
    let crm: Value = serde_json::from_str(&read("demo/crm.json")).expect("crm");
    let config = Config::default();
    let keys: Vec<String> = events
        .iter()
        .filter_map(|e| e.caller_number.as_deref())
        .filter_map(|n| crm::Caller::parse(n, "phx-01", &config).ok())
        .map(|c| c.e164)
        .collect();
    let customers: Vec<Value> = crm["contacts"]
        .as_array()
        .expect("contacts")
        .iter()
        .filter(|c| {
            c["phones"].as_array().into_iter().flatten().any(|p| {
                let n = p.as_str().or_else(|| p["number"].as_str()).unwrap_or("");
                crm::Caller::parse(n, "phx-01", &config).is_ok_and(|k| keys.contains(&k.e164))
            })
        })
        .cloned()
        .collect();
    assert_eq!(
        customers.len(),
        4,
        "4 of the callers are existing customers"
    );
    Day {
        engine,
        events,
        customers,
    }
}

fn phone_of(c: &Value) -> String {
    let p = &c["phones"][0];
    p.as_str()
        .or_else(|| p["number"].as_str())
        .unwrap_or("")
        .to_string()
}

fn seed(state: &Arc<Mutex<State>>, system: System, customers: &[Value]) -> Vec<String> {
    let mut s = state.lock().expect("state");
    customers
        .iter()
        .map(|c| match system {
            System::Salesforce => s.seed_salesforce(
                "Contact",
                json!({"FirstName": c["first_name"], "LastName": c["last_name"], "Phone": phone_of(c), "DoNotCall": false}),
            ),
            System::Hubspot => s.seed_hubspot(
                "contacts",
                json!({"firstname": c["first_name"], "lastname": c["last_name"], "phone": phone_of(c), "lifecyclestage": "customer"}),
            ),
        })
        .collect()
}

/// Runs every call of the day through lookup → decision → sync; returns the decisions.
fn run_day(
    base: &str,
    system: System,
    day: &Day,
    config: &Config,
) -> Vec<(ringback::Decision, SyncOutcome)> {
    day.events
        .iter()
        .map(|e| {
            let snap = snapshot_over_http(
                base,
                system,
                config,
                e.caller_number.as_deref(),
                &e.location_id,
            );
            let d = day.engine.process(e, &snap).expect("decision");
            let o = sync_over_http(base, system, &SyncSubject::from(&d), config);
            assert_eq!(o.state, SyncState::Done, "{}: {:?}", e.event_id, o.failure);
            (d, o)
        })
        .collect()
}

fn str_of<'a>(m: &'a Map<String, Value>, k: &str) -> &'a str {
    m.get(k).and_then(Value::as_str).unwrap_or("")
}

fn millis(t: ringback::Timestamp) -> String {
    t.utc().format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

#[test]
fn salesforce_phoenix_tuesday_and_its_replay() {
    let day = phoenix_tuesday();
    let (base, state) = start();
    let contacts = seed(&state, System::Salesforce, &day.customers);
    let config = Config::default();
    let first = run_day(&base, System::Salesforce, &day, &config);

    let s = state.lock().expect("state");
    let leads = s.salesforce("Lead");
    let tasks = s.salesforce("Task");
    let calls: Vec<&(String, Map<String, Value>)> = tasks
        .iter()
        .filter(|(_, f)| str_of(f, "TaskSubtype") == "Call")
        .collect();
    assert_eq!(leads.len(), 8, "one lead per new number");
    assert_eq!(calls.len(), 12, "one activity per missed call");
    let on_contacts = calls
        .iter()
        .filter(|(_, f)| contacts.contains(&str_of(f, "WhoId").to_string()))
        .count();
    assert_eq!(on_contacts, 4, "4 activities on the existing contacts");
    for (lead_id, lead) in &leads {
        assert!(
            str_of(lead, "Ringback_Key__c").starts_with("phone:+1"),
            "{lead:?}"
        );
        let mine: Vec<_> = calls
            .iter()
            .filter(|(_, f)| str_of(f, "WhoId") == lead_id)
            .collect();
        assert_eq!(mine.len(), 1, "lead {lead_id}: one activity");
        let event = str_of(&mine[0].1, "Ringback_Event_Id__c").to_string();
        let (d, _) = first
            .iter()
            .find(|(d, _)| d.event_id == event)
            .expect("its decision");
        let due = millis(d.sla.as_ref().expect("sla").due_at);
        let callbacks: Vec<_> = tasks
            .iter()
            .filter(|(_, f)| str_of(f, "WhoId") == lead_id && str_of(f, "Status") == "Not Started")
            .collect();
        assert!(!callbacks.is_empty(), "lead {lead_id}: a callback task");
        assert!(
            callbacks
                .iter()
                .any(|(_, f)| str_of(f, "ReminderDateTime") == due
                    && str_of(f, "Ringback_Due_At__c") == due),
            "lead {lead_id}: the callback is due at the SLA instant {due}: {callbacks:?}"
        );
    }
    let counts = (leads.len(), tasks.len(), s.salesforce("Contact").len());
    drop(s);

    // The 12 webhooks again: found by key or search, upserted by the same keys.
    let second = run_day(&base, System::Salesforce, &day, &config);
    let s = state.lock().expect("state");
    assert_eq!(
        (
            s.salesforce("Lead").len(),
            s.salesforce("Task").len(),
            s.salesforce("Contact").len()
        ),
        counts,
        "a replay of all 12 webhooks writes nothing new"
    );
    assert!(
        second
            .iter()
            .all(|(_, o)| o.written.iter().all(|w| w.created != Some(true))),
        "nothing created"
    );
    let per_decision: Vec<u32> = first.iter().map(|(_, o)| o.requests).collect();
    assert!(
        per_decision.iter().all(|n| (2..=6).contains(n)),
        "{per_decision:?}"
    );
}

#[test]
fn hubspot_phoenix_tuesday_and_its_replay() {
    let day = phoenix_tuesday();
    let (base, state) = start();
    let contacts = seed(&state, System::Hubspot, &day.customers);
    let config = Config::default();
    let first = run_day(&base, System::Hubspot, &day, &config);

    let s = state.lock().expect("state");
    let all = s.hubspot("contacts");
    let leads: Vec<_> = all
        .iter()
        .filter(|(_, p)| !str_of(p, "ringback_key").is_empty())
        .collect();
    assert_eq!(leads.len(), 8, "one contact per new number");
    assert_eq!(s.hubspot("calls").len(), 12, "one call per missed call");
    let assoc = s.associations();
    let call_links: Vec<_> = assoc.iter().filter(|a| a.0 == "calls").collect();
    assert_eq!(call_links.len(), 12, "every call associated (194)");
    assert!(call_links.iter().all(|a| a.3 == 194));
    assert_eq!(
        call_links
            .iter()
            .filter(|a| contacts.contains(&a.2))
            .count(),
        4
    );
    for (lead_id, _) in &leads {
        let call = call_links
            .iter()
            .find(|a| &a.2 == lead_id)
            .expect("its call");
        let event = s
            .hubspot("calls")
            .into_iter()
            .find(|(id, _)| *id == call.1)
            .map(|(_, p)| str_of(&p, "ringback_event_id").to_string())
            .expect("call");
        let (d, _) = first
            .iter()
            .find(|(d, _)| d.event_id == event)
            .expect("decision");
        let due = millis(d.sla.as_ref().expect("sla").due_at);
        let tasks: Vec<_> = assoc
            .iter()
            .filter(|a| a.0 == "tasks" && &a.2 == lead_id && a.3 == 204)
            .collect();
        assert!(!tasks.is_empty(), "lead {lead_id}: a callback task");
        let due_ok = s
            .hubspot("tasks")
            .iter()
            .any(|(id, p)| tasks.iter().any(|t| &t.1 == id) && str_of(p, "hs_timestamp") == due);
        assert!(
            due_ok,
            "lead {lead_id}: a task due at the SLA instant {due}"
        );
    }
    let counts = (
        all.len(),
        s.hubspot("calls").len(),
        s.hubspot("tasks").len(),
        assoc.len(),
    );
    drop(s);

    run_day(&base, System::Hubspot, &day, &config);
    let s = state.lock().expect("state");
    assert_eq!(
        (
            s.hubspot("contacts").len(),
            s.hubspot("calls").len(),
            s.hubspot("tasks").len(),
            s.associations().len()
        ),
        counts,
        "a replay of all 12 webhooks writes nothing new"
    );
}

#[test]
fn racing_webhooks_for_one_new_number_make_one_lead_and_two_activities() {
    for system in System::ALL {
        let day = phoenix_tuesday();
        let (base, state) = start();
        let config = Config::default();
        // Two calls from one new number, both decided before either is written (the
        // search shows nothing yet): both say create_lead.
        let make = |id: &str, at: &str| {
            MissedCallEvent::from_json(&format!(
                r#"{{"event_id": "{id}", "location_id": "phx-01", "occurred_at": "{at}",
                     "caller_number": "(602) 555-0199", "disposition": "no_answer"}}"#
            ))
            .expect("event")
        };
        let a = make("RACE-1", "2026-11-24T10:00:00-07:00");
        let b = make("RACE-2", "2026-11-24T10:03:00-07:00");
        let empty = CrmSnapshot::default();
        let da = day.engine.process(&a, &empty).expect("a");
        let db = day.engine.process(&b, &empty).expect("b");
        assert_eq!(
            (da.record.action.as_str(), db.record.action.as_str()),
            ("create_lead", "create_lead")
        );
        let (sa, sb) = (SyncSubject::from(&da), SyncSubject::from(&db));
        let (ba, bb) = (base.clone(), base.clone());
        let (ca, cb) = (config.clone(), config.clone());
        let ta = std::thread::spawn(move || sync_over_http(&ba, system, &sa, &ca));
        let tb = std::thread::spawn(move || sync_over_http(&bb, system, &sb, &cb));
        let (oa, ob) = (ta.join().expect("a"), tb.join().expect("b"));
        assert_eq!(
            oa.person.as_ref().and_then(|p| p.id.clone()),
            ob.person.as_ref().and_then(|p| p.id.clone())
        );
        let s = state.lock().expect("state");
        match system {
            System::Salesforce => {
                assert_eq!(s.salesforce("Lead").len(), 1, "one lead");
                let calls = s
                    .salesforce("Task")
                    .into_iter()
                    .filter(|(_, f)| str_of(f, "TaskSubtype") == "Call")
                    .count();
                assert_eq!(calls, 2, "two activities");
            }
            System::Hubspot => {
                assert_eq!(s.hubspot("contacts").len(), 1, "one contact");
                assert_eq!(s.hubspot("calls").len(), 2, "two calls");
            }
        }
    }
}

#[test]
fn a_429_storm_still_writes_everything_exactly_once() {
    for system in System::ALL {
        let day = phoenix_tuesday();
        let (base, state) = start();
        seed(&state, system, &day.customers);
        state.lock().expect("state").throttle_every = 3;
        let config =
            Config::from_json(r#"{"max_attempts": 10, "retry_seconds": 0}"#).expect("config");
        let outcomes = run_day(&base, system, &day, &config);
        assert!(
            outcomes.iter().map(|(_, o)| o.retries).sum::<u32>() > 10,
            "the storm was felt"
        );
        let s = state.lock().expect("state");
        match system {
            System::Salesforce => {
                assert_eq!(s.salesforce("Lead").len(), 8);
                let calls = s
                    .salesforce("Task")
                    .into_iter()
                    .filter(|(_, f)| str_of(f, "TaskSubtype") == "Call")
                    .count();
                assert_eq!(calls, 12);
            }
            System::Hubspot => {
                assert_eq!(s.hubspot("contacts").len(), 12, "4 seeded + 8 new");
                assert_eq!(s.hubspot("calls").len(), 12);
                assert_eq!(
                    s.associations().iter().filter(|a| a.0 == "calls").count(),
                    12
                );
            }
        }
    }
}

#[test]
fn wrong_credentials_stop_the_sync_as_rejected() {
    let day = phoenix_tuesday();
    let (base, state) = start();
    state.lock().expect("state").token = "another".into();
    let d = day
        .engine
        .process(&day.events[0], &CrmSnapshot::default())
        .expect("decision");
    let o = sync_over_http(
        &base,
        System::Salesforce,
        &SyncSubject::from(&d),
        &Config::default(),
    );
    assert_eq!(o.state, SyncState::Failed);
    assert_eq!(
        o.failure.as_ref().map(|f| (f.code, f.status)),
        Some(("crm_rejected", Some(401)))
    );
    assert_eq!(o.requests, 1, "no retry on 401");
}

/// A demo CRM contact: kind, first name, last name, phones as stored.
type DemoContact = (String, Value, Value, Vec<String>);

/// The demo week in replay order, and the demo CRM's contacts.
fn demo_week() -> (Engine, Vec<MissedCallEvent>, Vec<DemoContact>) {
    let engine = Engine::from_policy_text(&read("demo/policy.json")).expect("policy");
    let mut events: Vec<MissedCallEvent> = read("demo/events.jsonl")
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| MissedCallEvent::from_json(l).expect("event"))
        .collect();
    events
        .sort_by(|a, b| ringback::replay::OrderKey::of(a).cmp(&ringback::replay::OrderKey::of(b)));
    let crm_doc: Value = serde_json::from_str(&read("demo/crm.json")).expect("crm");
    let contacts = crm_doc["contacts"]
        .as_array()
        .expect("contacts")
        .iter()
        .map(|c| {
            let phones = c["phones"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| {
                    p.as_str()
                        .or_else(|| p["number"].as_str())
                        .unwrap_or("")
                        .to_string()
                })
                .collect();
            (
                c["kind"].as_str().unwrap_or("").to_string(),
                c["first_name"].clone(),
                c["last_name"].clone(),
                phones,
            )
        })
        .collect();
    (engine, events, contacts)
}

/// Every call through lookup → decision → sync.
fn run_week(
    base: &str,
    system: System,
    engine: &Engine,
    events: &[MissedCallEvent],
    config: &Config,
) -> Vec<(ringback::Decision, SyncOutcome)> {
    events
        .iter()
        .map(|e| {
            let snap = snapshot_over_http(
                base,
                system,
                config,
                e.caller_number.as_deref(),
                &e.location_id,
            );
            let d = engine.process(e, &snap).expect("decision");
            let o = sync_over_http(base, system, &SyncSubject::from(&d), config);
            assert_eq!(o.state, SyncState::Done, "{}: {:?}", e.event_id, o.failure);
            (d, o)
        })
        .collect()
}

/// How many distinct values.
fn distinct<T: Ord>(items: impl IntoIterator<Item = T>) -> usize {
    items
        .into_iter()
        .collect::<std::collections::BTreeSet<T>>()
        .len()
}

/// The new-lead keys, logged events and task keys the syncs reported.
fn reported(runs: &[(ringback::Decision, SyncOutcome)]) -> (usize, usize, usize) {
    let leads = distinct(
        runs.iter()
            .filter(|(_, o)| {
                o.written
                    .iter()
                    .any(|w| w.what == "lead" && w.created == Some(true))
            })
            .filter_map(|(d, _)| d.record.upsert_key.clone()),
    );
    let calls = distinct(
        runs.iter()
            .filter(|(_, o)| o.written.iter().any(|w| w.what == "call"))
            .map(|(d, _)| d.event_id.clone()),
    );
    let tasks = distinct(runs.iter().flat_map(|(_, o)| {
        o.written
            .iter()
            .filter(|w| w.what == "task")
            .filter_map(|w| w.key.clone())
    }));
    (leads, calls, tasks)
}

/// The whole demo week through the fake Salesforce: every call in replay order goes lookup
/// → decision → sync; then the fake holds one person per caller (the seeded contacts and one
/// lead per new caller), one activity per call logged on a person, and one task per staff
/// step; a second full run adds nothing.
#[test]
fn salesforce_demo_week_end_to_end_and_a_second_run_adds_nothing() {
    let (engine, events, contacts) = demo_week();
    let (base, state) = start();
    let config = Config::default();
    {
        let mut s = state.lock().expect("state");
        for (kind, first, last, phones) in &contacts {
            let object = if kind == "customer" {
                "Contact"
            } else {
                "Lead"
            };
            s.seed_salesforce(
                object,
                json!({"FirstName": first, "LastName": last, "Phone": phones.first(),
                       "MobilePhone": phones.get(1), "IsConverted": false}),
            );
        }
        // The search index has caught up with the seeded records; new writes lag.
        s.index_lag = 5;
    }
    let seeded = state.lock().expect("state").salesforce("Lead").len();
    let first = run_week(&base, System::Salesforce, &engine, &events, &config);
    let (new_leads, logged, staff_steps) = reported(&first);
    let s = state.lock().expect("state");
    let leads = s.salesforce("Lead");
    let tasks = s.salesforce("Task");
    let created = leads
        .iter()
        .filter(|(_, f)| f.contains_key("Ringback_Key__c"))
        .count();
    assert_eq!(created, new_leads, "one lead per new caller");
    assert_eq!(leads.len(), seeded + created);
    let calls = tasks
        .iter()
        .filter(|(_, f)| str_of(f, "TaskSubtype") == "Call")
        .count();
    assert_eq!(calls, logged, "one activity per call logged on a person");
    assert!(calls > 400, "{calls} activities over the week");
    let staff = tasks
        .iter()
        .filter(|(_, f)| str_of(f, "Status") == "Not Started")
        .count();
    assert_eq!(staff, staff_steps, "one task per staff step");
    let counts = (leads.len(), tasks.len(), s.salesforce("Contact").len());
    drop(s);

    let second = run_week(&base, System::Salesforce, &engine, &events, &config);
    let s = state.lock().expect("state");
    assert_eq!(
        (
            s.salesforce("Lead").len(),
            s.salesforce("Task").len(),
            s.salesforce("Contact").len()
        ),
        counts
    );
    assert!(second
        .iter()
        .all(|(_, o)| o.written.iter().all(|w| w.created != Some(true))));
    eprintln!("demo week: {created} leads created, {calls} activities, {staff} staff tasks, {} API requests over two runs", s.api_requests);
}

/// The whole demo week through the fake HubSpot: one contact per new caller, one call per
/// missed call (each associated), one task per staff step; a second full run adds nothing.
#[test]
fn hubspot_demo_week_end_to_end_and_a_second_run_adds_nothing() {
    let (engine, events, contacts) = demo_week();
    let (base, state) = start();
    let config = Config::default();
    {
        let mut s = state.lock().expect("state");
        for (kind, first, last, phones) in &contacts {
            let stage = if kind == "customer" {
                "customer"
            } else {
                "lead"
            };
            s.seed_hubspot(
                "contacts",
                json!({"firstname": first, "lastname": last, "phone": phones.first(),
                       "mobilephone": phones.get(1), "lifecyclestage": stage}),
            );
        }
        s.index_lag = 5;
    }
    let seeded = state.lock().expect("state").hubspot("contacts").len();
    let first = run_week(&base, System::Hubspot, &engine, &events, &config);
    let (new_leads, logged, staff_steps) = reported(&first);
    let s = state.lock().expect("state");
    assert_eq!(
        s.hubspot("contacts").len(),
        seeded + new_leads,
        "one contact per new caller"
    );
    assert_eq!(
        s.hubspot("calls").len(),
        logged,
        "one call per missed call on a person"
    );
    let assoc = s.associations();
    assert_eq!(
        assoc.iter().filter(|a| a.0 == "calls").count(),
        logged,
        "each call associated"
    );
    assert_eq!(
        s.hubspot("tasks").len(),
        staff_steps,
        "one task per staff step"
    );
    let counts = (
        s.hubspot("contacts").len(),
        s.hubspot("calls").len(),
        s.hubspot("tasks").len(),
        assoc.len(),
    );
    drop(s);
    let second = run_week(&base, System::Hubspot, &engine, &events, &config);
    let s = state.lock().expect("state");
    assert_eq!(
        (
            s.hubspot("contacts").len(),
            s.hubspot("calls").len(),
            s.hubspot("tasks").len(),
            s.associations().len()
        ),
        counts
    );
    assert!(second
        .iter()
        .all(|(_, o)| o.written.iter().all(|w| w.created != Some(true))));
}

/// Over HTTP: a shared line is attached to no one (one resolution task, no activity on any
/// of its contacts), and a "stop calling me" voicemail sets DoNotCall on the caller's record.
#[test]
fn a_shared_line_attaches_to_no_one_and_an_opt_out_sets_the_field() {
    let day = phoenix_tuesday();
    let (base, state) = start();
    let config = Config::default();
    let shared: Vec<String> = {
        let mut s = state.lock().expect("state");
        let ids = ["A", "B", "C", "D"]
            .iter()
            .map(|n| {
                s.seed_salesforce(
                    "Contact",
                    json!({"LastName": format!("Tenant {n}"), "Phone": "303-555-0188"}),
                )
            })
            .collect();
        s.seed_salesforce(
            "Contact",
            json!({"FirstName": "Maria", "LastName": "Lopez", "Phone": "(602) 555-0131"}),
        );
        ids
    };
    let call = |id: &str, number: &str, extra: &str| {
        MissedCallEvent::from_json(&format!(
            r#"{{"event_id": "{id}", "location_id": "phx-01", "occurred_at": "2026-11-24T10:00:00-07:00",
                 "caller_number": "{number}", "disposition": "voicemail"{extra}}}"#
        ))
        .expect("event")
    };
    let e = call("SHARED-1", "+13035550188", "");
    let snap = snapshot_over_http(
        &base,
        System::Salesforce,
        &config,
        e.caller_number.as_deref(),
        "phx-01",
    );
    assert_eq!(snap.contacts.len(), 4);
    let d = day.engine.process(&e, &snap).expect("decision");
    assert_eq!(d.record.action.as_str(), "needs_resolution");
    let o = sync_over_http(&base, System::Salesforce, &SyncSubject::from(&d), &config);
    assert_eq!(o.state, SyncState::Done);
    {
        let s = state.lock().expect("state");
        let tasks = s.salesforce("Task");
        assert_eq!(tasks.len(), 1, "one resolution task");
        assert!(tasks[0].1.get("WhoId").is_none(), "linked to no one");
        assert!(shared
            .iter()
            .all(|id| str_of(&tasks[0].1, "Description").contains(id.as_str())));
    }

    let e = call(
        "STOP-1",
        "(602) 555-0131",
        r#", "voicemail": {"transcript": "this is maria lopez, stop calling me, take me off your list"}"#,
    );
    let snap = snapshot_over_http(
        &base,
        System::Salesforce,
        &config,
        e.caller_number.as_deref(),
        "phx-01",
    );
    let d = day.engine.process(&e, &snap).expect("decision");
    assert!(!d.consent_updates.is_empty());
    let o = sync_over_http(&base, System::Salesforce, &SyncSubject::from(&d), &config);
    assert_eq!(o.state, SyncState::Done);
    let s = state.lock().expect("state");
    let maria = s
        .salesforce("Contact")
        .into_iter()
        .find(|(_, f)| str_of(f, "LastName") == "Lopez")
        .expect("Maria");
    assert_eq!(
        maria.1.get("DoNotCall"),
        Some(&json!(true)),
        "DoNotCall set"
    );
    // The next lookup reads it back as a revoked voice consent.
    drop(s);
    let snap = snapshot_over_http(
        &base,
        System::Salesforce,
        &config,
        Some("+16025550131"),
        "phx-01",
    );
    let c = snap
        .contacts
        .iter()
        .find(|c| c.id == maria.0)
        .expect("found");
    assert_eq!(
        c.consent.voice.as_ref().map(|v| v.status),
        Some(ringback::model::crm::ConsentStatus::Revoked)
    );
}
