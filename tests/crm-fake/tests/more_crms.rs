//! Zoho CRM, Dynamics 365 and Pipedrive end to end over real HTTP on loopback, against their
//! faithful fakes: the Phoenix Tuesday (12 calls, 4 existing customers, 8 new numbers) with
//! each CRM's own records checked, and its replay writing nothing; the demo week in each,
//! twice; and Pipedrive's documented guarantee under 8 racing creates of one number.

mod common;

use std::collections::BTreeSet;

use serde_json::{json, Map, Value};

use common::*;
use ringback::crm::{Config, SyncState, SyncSubject, System};
use ringback::{CrmSnapshot, MissedCallEvent};
use ringback_crm_fake::start;

/// The fakes' state, shared with the server thread.
type Shared = std::sync::Arc<std::sync::Mutex<ringback_crm_fake::State>>;
/// Each call's decision and what its sync did.
type Runs = Vec<(ringback::Decision, ringback::crm::SyncOutcome)>;

fn utc(t: ringback::Timestamp) -> String {
    t.utc().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn id_of(v: Option<&Value>) -> String {
    match v {
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::String(s)) => s.clone(),
        _ => String::new(),
    }
}

/// The Phoenix Tuesday in `system`, then its replay: returns the first run's decisions and
/// the ids of the seeded customers.
fn tuesday_twice(system: System) -> (Shared, Runs, Vec<String>) {
    let day = phoenix_tuesday();
    let (base, state) = start();
    let customers = seed(&state, system, &day.customers);
    let config = Config::default();
    let first = run_day(&base, system, &day, &config);
    let c = counts(&state, system);
    assert_eq!(
        (c.created, c.people, c.calls),
        (8, 12, 12),
        "{system:?}: one person per new number, one call per missed call"
    );
    let second = run_day(&base, system, &day, &config);
    assert_eq!(
        counts(&state, system),
        c,
        "{system:?}: a replay of the 12 webhooks writes nothing new"
    );
    assert!(
        second
            .iter()
            .all(|(_, o)| o.written.iter().all(|w| w.created != Some(true))),
        "{system:?}: nothing created on the replay"
    );
    (state, first, customers)
}

#[test]
fn zoho_phoenix_tuesday_and_its_replay() {
    let (state, first, customers) = tuesday_twice(System::Zoho);
    let s = state.lock().expect("state");
    let leads = s.records("zoho", "Leads");
    let calls = s.records("zoho", "Calls");
    let tasks = s.records("zoho", "Tasks");
    assert!(calls
        .iter()
        .all(|(_, f)| str_of(f, "Call_Type") == "Missed"));
    assert!(
        calls
            .iter()
            .all(|(_, f)| str_of(f, "Call_Start_Time").ends_with("-07:00")),
        "Phoenix keeps -07:00 all year"
    );
    let who = |f: &Map<String, Value>, k: &str| id_of(f.get(k).and_then(|v| v.get("id")));
    let on_contacts = calls
        .iter()
        .filter(|(_, f)| customers.contains(&who(f, "Who_Id")))
        .count();
    assert_eq!(on_contacts, 4, "contacts are linked by Who_Id");
    for (lead_id, lead) in &leads {
        assert!(str_of(lead, "Ringback_Key").starts_with("phone:+1"));
        let mine: Vec<_> = calls
            .iter()
            .filter(|(_, f)| who(f, "What_Id") == *lead_id && str_of(f, "$se_module") == "Leads")
            .collect();
        assert_eq!(
            mine.len(),
            1,
            "lead {lead_id}: one call, by What_Id + $se_module"
        );
        let event = str_of(&mine[0].1, "Ringback_Event_Id");
        let (d, _) = first
            .iter()
            .find(|(d, _)| d.event_id == event)
            .expect("its decision");
        let due = d.sla.as_ref().expect("sla").due_at;
        let due_local = due.0.format("%Y-%m-%dT%H:%M:%S%:z").to_string();
        let task = tasks
            .iter()
            .find(|(_, f)| who(f, "What_Id") == *lead_id)
            .map(|(_, f)| f)
            .expect("a callback task");
        assert_eq!(str_of(task, "Due_Date"), &due_local[..10]);
        assert_eq!(str_of(task, "Ringback_Due_At"), due_local);
        assert_eq!(
            task["Remind_At"]["ALARM"],
            json!(format!("ACTION=POPUP;TRIGGER=DATE-TIME:{due_local}")),
            "the SLA instant rides on the reminder"
        );
    }
}

#[test]
fn dynamics_phoenix_tuesday_and_its_replay() {
    let (state, first, customers) = tuesday_twice(System::Dynamics);
    let s = state.lock().expect("state");
    let leads = s.records("dynamics", "leads");
    let calls = s.records("dynamics", "phonecalls");
    let tasks = s.records("dynamics", "tasks");
    for (id, f) in &calls {
        assert_eq!(
            f["directioncode"],
            json!(false),
            "{id}: inbound, not the default"
        );
        assert_eq!(
            (f["statecode"].clone(), f["statuscode"].clone()),
            (json!(1), json!(4)),
            "{id}: closed as received"
        );
    }
    let regarding = |f: &Map<String, Value>, e: &str| {
        str_of(f, &format!("regardingobjectid_{e}_phonecall@odata.bind")).to_string()
    };
    let on_contacts = calls
        .iter()
        .filter(|(_, f)| {
            customers
                .iter()
                .any(|c| regarding(f, "contact") == format!("/contacts({c})"))
        })
        .count();
    assert_eq!(on_contacts, 4);
    for (lead_id, _) in &leads {
        let bind = format!("/leads({lead_id})");
        let mine: Vec<_> = calls
            .iter()
            .filter(|(_, f)| regarding(f, "lead") == bind)
            .collect();
        assert_eq!(mine.len(), 1, "lead {lead_id}: one phone call");
        let parties = mine[0].1["phonecall_activity_parties"]
            .as_array()
            .expect("parties");
        assert!(parties
            .iter()
            .any(|p| p["partyid_lead@odata.bind"] == json!(bind)
                && p["participationtypemask"] == json!(1)));
        let event = str_of(&mine[0].1, "ringback_eventid");
        let (d, _) = first
            .iter()
            .find(|(d, _)| d.event_id == event)
            .expect("decision");
        let due = utc(d.sla.as_ref().expect("sla").due_at);
        assert!(
            tasks.iter().any(|(_, f)| {
                str_of(f, "regardingobjectid_lead_task@odata.bind") == bind
                    && str_of(f, "scheduledend") == due
            }),
            "lead {lead_id}: a task due at the SLA instant {due}"
        );
    }
}

#[test]
fn pipedrive_phoenix_tuesday_and_its_replay() {
    let (state, first, customers) = tuesday_twice(System::Pipedrive);
    let s = state.lock().expect("state");
    let persons = s.pipedrive_persons();
    let logs = s.records("pipedrive", "callLogs");
    let acts = s.records("pipedrive", "activities");
    assert!(logs.iter().all(|(_, f)| {
        matches!(str_of(f, "outcome"), "no_answer" | "left_voicemail")
            && f.contains_key("activity_id")
    }));
    let on_customers = logs
        .iter()
        .filter(|(_, f)| customers.contains(&id_of(f.get("person_id"))))
        .count();
    assert_eq!(on_customers, 4);
    for (pid, p) in persons.iter().filter(|(_, p)| {
        p.get("custom_fields")
            .and_then(Value::as_object)
            .is_some_and(|c| !c.is_empty())
    }) {
        let key = p["custom_fields"]["ringback_key"].as_str().unwrap_or("");
        assert!(key.starts_with("phone:+1"), "{p:?}");
        let mine: Vec<_> = logs
            .iter()
            .filter(|(_, f)| id_of(f.get("person_id")) == *pid)
            .collect();
        assert_eq!(mine.len(), 1, "person {pid}: one call log");
        let d = first
            .iter()
            .map(|(d, _)| d)
            .find(|d| d.record.upsert_key.as_deref() == Some(key))
            .expect("decision");
        let due = d.sla.as_ref().expect("sla").due_at.utc();
        let (date, time) = (
            due.format("%Y-%m-%d").to_string(),
            due.format("%H:%M").to_string(),
        );
        assert!(
            acts.iter().any(|(_, f)| id_of(f.get("person_id")) == *pid
                && f.get("done") == Some(&json!(false))
                && str_of(f, "due_date") == date
                && str_of(f, "due_time") == time),
            "person {pid}: a call-back activity due {date} {time} UTC"
        );
    }
}

/// The demo week through `system`, twice: one person per new caller, one call per call
/// logged on a person, one task per staff step; the second run adds nothing.
fn demo_week_twice(system: System) {
    let (engine, events, contacts) = demo_week();
    let (base, state) = start();
    for (kind, first, last, phones) in &contacts {
        seed_person(&state, system, kind == "customer", first, last, phones);
    }
    state.lock().expect("state").index_lag = 5;
    let config = Config::default();
    let before = counts(&state, system);
    let first = run_week(&base, system, &engine, &events, &config);
    let (new_people, logged, staff_steps) = reported(&first);
    let c = counts(&state, system);
    assert_eq!(
        c.created, new_people,
        "{system:?}: one person per new caller"
    );
    assert_eq!(c.people, before.people + new_people, "{system:?}");
    assert_eq!(
        c.calls, logged,
        "{system:?}: one call per call logged on a person"
    );
    assert!(c.calls > 400, "{system:?}: {} calls over the week", c.calls);
    assert_eq!(c.tasks, staff_steps, "{system:?}: one task per staff step");
    let second = run_week(&base, system, &engine, &events, &config);
    assert_eq!(
        counts(&state, system),
        c,
        "{system:?}: a second run adds nothing"
    );
    assert!(second
        .iter()
        .all(|(_, o)| o.written.iter().all(|w| w.created != Some(true))));
    let requests: u32 = first.iter().map(|(_, o)| o.requests).sum();
    eprintln!(
        "{system:?} demo week: {} people created, {} calls, {} tasks, {requests} requests on the first run",
        c.created, c.calls, c.tasks
    );
}

#[test]
fn zoho_demo_week_end_to_end_and_a_second_run_adds_nothing() {
    demo_week_twice(System::Zoho);
}

#[test]
fn dynamics_demo_week_end_to_end_and_a_second_run_adds_nothing() {
    demo_week_twice(System::Dynamics);
}

#[test]
fn pipedrive_demo_week_end_to_end_and_a_second_run_adds_nothing() {
    demo_week_twice(System::Pipedrive);
}

/// Eight webhooks for one new number, all decided before any is written, synced at once.
fn race_eight(
    lag: u64,
) -> (
    Shared,
    String,
    Vec<SyncSubject>,
    Vec<ringback::crm::SyncOutcome>,
) {
    let day = phoenix_tuesday();
    let (base, state) = start();
    state.lock().expect("state").index_lag = lag;
    let subjects: Vec<SyncSubject> = (0..8)
        .map(|i| {
            let e = MissedCallEvent::from_json(&format!(
                r#"{{"event_id": "RACE8-{i}", "location_id": "phx-01",
                     "occurred_at": "2026-11-24T10:0{i}:00-07:00",
                     "caller_number": "602.555.0177", "disposition": "no_answer"}}"#
            ))
            .expect("event");
            let d = day
                .engine
                .process(&e, &CrmSnapshot::default())
                .expect("decision");
            assert_eq!(d.record.action.as_str(), "create_lead");
            SyncSubject::from(&d)
        })
        .collect();
    let threads: Vec<_> = subjects
        .iter()
        .cloned()
        .map(|s| {
            let b = base.clone();
            std::thread::spawn(move || {
                sync_over_http(&b, System::Pipedrive, &s, &Config::default())
            })
        })
        .collect();
    let outcomes = threads
        .into_iter()
        .map(|t| t.join().expect("sync thread"))
        .collect();
    (state, base, subjects, outcomes)
}

fn keyed_persons(state: &Shared) -> Vec<String> {
    state
        .lock()
        .expect("state")
        .pipedrive_persons()
        .into_iter()
        .filter(|(_, p)| p["custom_fields"]["ringback_key"] == json!("phone:+16025550177"))
        .map(|(id, _)| id)
        .collect()
}

/// Pipedrive's guarantee (see `ringback::crm::pipedrive`): when search shows each create,
/// 8 racing creates of one number leave one person, and every call is logged on it.
#[test]
fn pipedrive_eight_racing_creates_leave_one_person_when_search_keeps_up() {
    let (state, _, _, outcomes) = race_eight(0);
    assert!(outcomes.iter().all(|o| o.state == SyncState::Done));
    let persons = keyed_persons(&state);
    assert_eq!(persons.len(), 1, "one person survives: {persons:?}");
    let s = state.lock().expect("state");
    let logs = s.records("pipedrive", "callLogs");
    assert_eq!(logs.len(), 8, "eight call logs");
    assert!(
        logs.iter()
            .all(|(_, f)| id_of(f.get("person_id")) == persons[0]),
        "every call log on the survivor (merged ones moved with it)"
    );
}

/// With a lagging index two racing creates can miss each other; the next sync of that
/// caller finds both by key and merges them: one person, nothing lost, nothing twice.
#[test]
fn pipedrive_racing_creates_under_index_lag_are_repaired_by_the_next_sync() {
    // The index lags far behind the race: no sync sees another's create.
    let (state, base, subjects, outcomes) = race_eight(10_000);
    assert!(outcomes.iter().all(|o| o.state == SyncState::Done));
    let after_race = keyed_persons(&state);
    assert_eq!(
        after_race.len(),
        8,
        "the window the guarantee does not cover"
    );
    // The index catches up; a retried webhook (the first event again) repairs.
    {
        let mut s = state.lock().expect("state");
        s.catch_up_index();
        s.index_lag = 0;
    }
    let o = sync_over_http(&base, System::Pipedrive, &subjects[0], &Config::default());
    assert_eq!(o.state, SyncState::Done, "{:?}", o.failure);
    let persons = keyed_persons(&state);
    assert_eq!(persons.len(), 1, "repaired: {after_race:?} → {persons:?}");
    let survivor = &persons[0];
    let s = state.lock().expect("state");
    let logs = s.records("pipedrive", "callLogs");
    assert_eq!(logs.len(), 8, "the retry logged nothing twice");
    assert!(logs
        .iter()
        .all(|(_, f)| id_of(f.get("person_id")) == *survivor));
    let events: BTreeSet<String> = s
        .records("pipedrive", "activities")
        .iter()
        .filter(|(_, f)| str_of(f, "type") == "call" && f.get("done") == Some(&json!(true)))
        .map(|(_, f)| str_of(f, "note").to_string())
        .collect();
    assert_eq!(events.len(), 8, "one call activity per webhook");
    assert_eq!(
        o.person.as_ref().and_then(|p| p.id.clone()).as_deref(),
        Some(survivor.as_str())
    );
}

/// A customer with a long history: the tags of this call's activities are on the second
/// page of the person's activities; a rerun still finds them and writes nothing twice.
#[test]
fn pipedrive_a_rerun_finds_its_activities_past_the_first_page() {
    let day = phoenix_tuesday();
    let (base, state) = start();
    let customer = seed_person(
        &state,
        System::Pipedrive,
        true,
        &json!("Dana"),
        &json!("Reyes"),
        &["(602) 555-0143".to_string()],
    );
    {
        let mut s = state.lock().expect("state");
        for i in 0..620 {
            s.seed(
                "pipedrive",
                "activities",
                json!({"person_id": customer.parse::<u64>().unwrap_or(0), "type": "call", "done": true,
                       "subject": format!("old call {i}"), "note": "<p>an old call</p>"}),
            );
        }
    }
    let e = MissedCallEvent::from_json(
        r#"{"event_id": "LONG-1", "location_id": "phx-01", "occurred_at": "2026-11-24T09:15:00-07:00",
            "caller_number": "602-555-0143", "disposition": "no_answer"}"#,
    )
    .expect("event");
    let config = Config::default();
    let snap = snapshot_over_http(
        &base,
        System::Pipedrive,
        &config,
        e.caller_number.as_deref(),
        "phx-01",
    );
    let d = day.engine.process(&e, &snap).expect("decision");
    assert_eq!(d.record.action.as_str(), "append_to_customer");
    let first = sync_over_http(&base, System::Pipedrive, &SyncSubject::from(&d), &config);
    assert_eq!(first.state, SyncState::Done, "{:?}", first.failure);
    let before = counts(&state, System::Pipedrive);
    let again = sync_over_http(&base, System::Pipedrive, &SyncSubject::from(&d), &config);
    assert_eq!(again.state, SyncState::Done, "{:?}", again.failure);
    assert_eq!(
        counts(&state, System::Pipedrive),
        before,
        "nothing written twice"
    );
    assert!(again.written.iter().all(|w| w.created != Some(true)));
    // The fake lists oldest first in pages of 500: this call's tags are past the first page.
    let s = state.lock().expect("state");
    let acts = s.records("pipedrive", "activities");
    let mine = acts
        .iter()
        .filter(|(_, f)| str_of(f, "note").contains("[ringback:LONG-1"))
        .count();
    assert!(
        acts.len() > 500 && mine >= 2,
        "{} activities, {mine} of this call",
        acts.len()
    );
}
