//! Helpers the CRM end-to-end tests share: HTTP to the fakes with each CRM's credentials,
//! lookup and sync drivers, the Phoenix Tuesday and the demo week, seeding and counting
//! the same way for every CRM.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde_json::{json, Map, Value};

use ringback::crm::{
    self, Config, Request, Response, Sync, SyncOutcome, SyncState, SyncSubject, System,
};
use ringback::{CrmSnapshot, Engine, MissedCallEvent};
use ringback_crm_fake::{send, State};

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The credentials header of a CRM, in its documented scheme.
pub fn auth(system: System) -> Vec<(String, String)> {
    let value = match system {
        System::Zoho => "Zoho-oauthtoken fake-token",
        _ => "Bearer fake-token",
    };
    vec![("Authorization".to_string(), value.to_string())]
}

pub fn exchange(base: &str, system: System, r: &Request) -> Response {
    // The fakes answer Retry-After: 0; a real driver sleeps `delay_seconds` here.
    assert!(r.delay_seconds <= 2, "no long waits against the fake");
    let mut headers = r.headers.clone();
    headers.extend(auth(system));
    let resp = send(base, &r.method, &r.path, &headers, r.body.as_deref()).expect("loopback HTTP");
    Response {
        status: resp.status,
        headers: resp.headers,
        body: resp.body,
    }
}

pub fn snapshot_over_http(
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
                let resp = exchange(base, system, r);
                if resp.status != 429 {
                    return resp;
                }
            }
        })
        .collect();
    lookup.snapshot(&responses).expect("snapshot")
}

pub fn sync_over_http(
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
        let resp = exchange(base, system, &r);
        sync.feed(resp)
            .unwrap_or_else(|e| panic!("{} {}: {e}", r.method, r.path));
    }
    sync.outcome().clone()
}

pub struct Day {
    pub engine: Engine,
    pub events: Vec<MissedCallEvent>,
    pub customers: Vec<Value>,
}

/// The Phoenix Tuesday: the 12 calls at phx-01 on 2026-11-24, and the demo CRM's records
/// for those callers.
pub fn phoenix_tuesday() -> Day {
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

pub fn phone_of(c: &Value) -> String {
    let p = &c["phones"][0];
    p.as_str()
        .or_else(|| p["number"].as_str())
        .unwrap_or("")
        .to_string()
}

pub fn seed(state: &Arc<Mutex<State>>, system: System, customers: &[Value]) -> Vec<String> {
    customers
        .iter()
        .map(|c| {
            let phones = vec![phone_of(c)];
            seed_person(
                state,
                system,
                true,
                &c["first_name"],
                &c["last_name"],
                &phones,
            )
        })
        .collect()
}

/// Seeds one person as the CRM stores it (a customer, or a lead staff entered); returns its id.
pub fn seed_person(
    state: &Arc<Mutex<State>>,
    system: System,
    customer: bool,
    first: &Value,
    last: &Value,
    phones: &[String],
) -> String {
    let mut s = state.lock().expect("state");
    let (p0, p1) = (phones.first(), phones.get(1));
    match system {
        System::Salesforce => s.seed_salesforce(
            if customer { "Contact" } else { "Lead" },
            json!({"FirstName": first, "LastName": last, "Phone": p0, "MobilePhone": p1,
                   "DoNotCall": false, "IsConverted": false}),
        ),
        System::Hubspot => s.seed_hubspot(
            "contacts",
            json!({"firstname": first, "lastname": last, "phone": p0, "mobilephone": p1,
                   "lifecyclestage": if customer { "customer" } else { "lead" }}),
        ),
        System::Zoho => s.seed(
            "zoho",
            if customer { "Contacts" } else { "Leads" },
            json!({"First_Name": first, "Last_Name": last, "Phone": p0, "Mobile": p1, "Email_Opt_Out": false}),
        ),
        System::Dynamics => s.seed(
            "dynamics",
            if customer { "contacts" } else { "leads" },
            json!({"firstname": first, "lastname": last, "telephone1": p0, "mobilephone": p1,
                   "donotphone": false, "donotemail": false, "statecode": 0}),
        ),
        System::Pipedrive => {
            let list: Vec<Value> = phones
                .iter()
                .enumerate()
                .map(|(i, p)| json!({"value": p, "primary": i == 0, "label": "work"}))
                .collect();
            let name = format!(
                "{} {}",
                first.as_str().unwrap_or(""),
                last.as_str().unwrap_or("")
            );
            s.seed("pipedrive", "persons", json!({"name": name.trim(), "phones": list}))
        }
    }
}

/// What a CRM holds, the same way for every CRM.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    /// People ringback created (they carry its key).
    pub created: usize,
    /// People in all (seeded and created).
    pub people: usize,
    /// Missed calls logged (Salesforce call tasks, HubSpot calls, Zoho Calls, Dynamics
    /// phone calls, Pipedrive call logs).
    pub calls: usize,
    /// Open staff tasks.
    pub tasks: usize,
    /// Every record (and association) of every kind.
    pub total: usize,
}

pub fn counts(state: &Arc<Mutex<State>>, system: System) -> Counts {
    let s = state.lock().expect("state");
    let has = |f: &Map<String, Value>, k: &str| !str_of(f, k).is_empty();
    match system {
        System::Salesforce => {
            let leads = s.salesforce("Lead");
            let tasks = s.salesforce("Task");
            let contacts = s.salesforce("Contact").len();
            Counts {
                created: leads
                    .iter()
                    .filter(|(_, f)| has(f, "Ringback_Key__c"))
                    .count(),
                people: leads.len() + contacts,
                calls: tasks
                    .iter()
                    .filter(|(_, f)| str_of(f, "TaskSubtype") == "Call")
                    .count(),
                tasks: tasks
                    .iter()
                    .filter(|(_, f)| str_of(f, "Status") == "Not Started")
                    .count(),
                total: leads.len() + tasks.len() + contacts,
            }
        }
        System::Hubspot => {
            let c = s.hubspot("contacts");
            let (calls, tasks) = (s.hubspot("calls").len(), s.hubspot("tasks").len());
            Counts {
                created: c.iter().filter(|(_, f)| has(f, "ringback_key")).count(),
                people: c.len(),
                calls,
                tasks,
                total: c.len() + calls + tasks + s.associations().len(),
            }
        }
        System::Zoho => {
            let leads = s.records("zoho", "Leads");
            let contacts = s.records("zoho", "Contacts").len();
            let (calls, tasks) = (
                s.records("zoho", "Calls").len(),
                s.records("zoho", "Tasks").len(),
            );
            Counts {
                created: leads.iter().filter(|(_, f)| has(f, "Ringback_Key")).count(),
                people: leads.len() + contacts,
                calls,
                tasks,
                total: leads.len() + contacts + calls + tasks,
            }
        }
        System::Dynamics => {
            let leads = s.records("dynamics", "leads");
            let contacts = s.records("dynamics", "contacts").len();
            let (calls, tasks) = (
                s.records("dynamics", "phonecalls").len(),
                s.records("dynamics", "tasks").len(),
            );
            Counts {
                created: leads.iter().filter(|(_, f)| has(f, "ringback_key")).count(),
                people: leads.len() + contacts,
                calls,
                tasks,
                total: leads.len() + contacts + calls + tasks,
            }
        }
        System::Pipedrive => {
            let persons = s.records("pipedrive", "persons");
            let acts = s.records("pipedrive", "activities");
            let logs = s.records("pipedrive", "callLogs").len();
            let leads = s.records("pipedrive", "leads").len();
            Counts {
                created: persons
                    .iter()
                    .filter(|(_, f)| {
                        f.get("custom_fields")
                            .is_some_and(|c| c.as_object().is_some_and(|m| !m.is_empty()))
                    })
                    .count(),
                people: persons.len(),
                calls: logs,
                tasks: acts
                    .iter()
                    .filter(|(_, f)| f.get("done") == Some(&json!(false)))
                    .count(),
                total: persons.len() + acts.len() + logs + leads,
            }
        }
    }
}

/// Runs every call of the day through lookup → decision → sync; returns the decisions.
pub fn run_day(
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

pub fn str_of<'a>(m: &'a Map<String, Value>, k: &str) -> &'a str {
    m.get(k).and_then(Value::as_str).unwrap_or("")
}

pub fn millis(t: ringback::Timestamp) -> String {
    t.utc().format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// A demo CRM contact: kind, first name, last name, phones as stored.
pub type DemoContact = (String, Value, Value, Vec<String>);

/// The demo week in replay order, and the demo CRM's contacts.
pub fn demo_week() -> (Engine, Vec<MissedCallEvent>, Vec<DemoContact>) {
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
pub fn run_week(
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
pub fn distinct<T: Ord>(items: impl IntoIterator<Item = T>) -> usize {
    items
        .into_iter()
        .collect::<std::collections::BTreeSet<T>>()
        .len()
}

/// The new-lead keys, logged events and task keys the syncs reported.
pub fn reported(runs: &[(ringback::Decision, SyncOutcome)]) -> (usize, usize, usize) {
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
