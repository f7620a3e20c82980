//! Pipedrive (API v2; v1 for call logs, leads and merges, which have no v2 endpoint). Facts
//! from Pipedrive's official SDK (`pipedrive/client-nodejs`, generated from its OpenAPI
//! spec) as summarized in the CRM research.
//!
//! * **Lookup.** `GET /api/v2/persons/search` twice: by phone (`fields=phone`, the national
//!   digits without `exact_match`, since stored strings are free text; hits are then
//!   compared by E.164) and by the upsert key in the person custom field
//!   (`fields=custom_fields&exact_match=true`).
//! * **The missed call** is a `call` activity marked done, tagged `[ringback:<event>]` in
//!   its note, then turned into a call log (`POST /v1/callLogs` with its `activity_id`;
//!   `outcome` `no_answer`, or `left_voicemail`; UTC `YYYY-MM-DD HH:MM:SS` times). A retry
//!   finds the activity by its tag among the person's activities
//!   (`GET /api/v2/activities?person_id=`, every page: `additional_data.next_cursor`) and
//!   logs it again, which Pipedrive answers 409
//!   for an activity already converted: nothing is logged twice.
//! * **Tasks** are activities tagged `[ringback:<event>:<step>]`, with the SLA instant split
//!   into UTC `due_date` + `due_time`; found by their tag before they are created.
//!
//! # What is guaranteed without an upsert
//!
//! Pipedrive has no upsert, no unique field and no external-id addressing, so two syncs of
//! the same new caller can both find nobody and both create a person. The adapter makes
//! that harmless and temporary rather than impossible:
//!
//! 1. **Find before create.** A new caller's person is searched by the upsert key first;
//!    a found person is reused. A sync that runs after an earlier one has finished (and
//!    Pipedrive's search index shows its person) never creates a second person.
//! 2. **Confirm after create.** Right after creating, the sync searches by the key again.
//!    If it sees more than one person with the key, the one with the smallest id survives
//!    and every other is merged into it (`PUT /v1/persons/{id}/merge`, `merge_with_id` the
//!    survivor: its activities, call logs and leads move with it). Every sync writes its
//!    call and tasks on the survivor it chose.
//! 3. **Repair on the next sync.** When the index has not caught up with a racing create
//!    (so neither confirm saw the other), the next sync of that caller finds both by key
//!    and merges them the same way before writing anything.
//!
//! So: once the search index reflects every create of a key, **at most one person carries
//! it**, after at most one further sync of that caller; nothing any sync wrote is lost (a
//! merge moves it); and each activity, call log and task exists once (its tag is found
//! before it is written). What is not guaranteed: that no duplicate exists for the
//! seconds in which racing creates are invisible to search. To close that window as well,
//! run the syncs of one caller one at a time (for example a lock or queue keyed by the
//! upsert key in the host); the drivers' racing test shows the repair holds without one.

use serde_json::{json, Map, Value};

use crate::error::Result;
use crate::model::crm::{Consent, ConsentSet, ConsentStatus, Contact, ContactKind, Phone};
use crate::model::policy::Channel;
use crate::model::time::Timestamp;

use super::config::Config;
use super::http::{bad_body, encode, id_text, Request, Response};
use super::plan::{Person, Write};
use super::{national, Caller, Context, Mode, Read, Then, MAX_MERGES};

/// The Pipedrive adapter.
pub(crate) struct Pipedrive;

fn search_by_key(key: &str) -> Request {
    Request::get(format!(
        "/api/v2/persons/search?term={}&fields=custom_fields&exact_match=true&limit=100",
        encode(key)
    ))
}

fn lookup_requests(_config: &Config, caller: &Caller, key: &str) -> Vec<Request> {
    vec![
        Request::get(format!(
            "/api/v2/persons/search?term={}&fields=phone&limit=100",
            encode(&national(&caller.e164))
        )),
        search_by_key(key),
    ]
}

/// The items of a search answer (`data.items[].item`).
fn items(r: &Response) -> Result<Vec<Value>> {
    let v = r.json("persons")?;
    if v.get("success").and_then(Value::as_bool) == Some(false) {
        return Err(bad_body("success", "the search answered success: false"));
    }
    let list = v
        .get("data")
        .and_then(|d| d.get("items"))
        .and_then(Value::as_array)
        .ok_or_else(|| bad_body("data.items", "expected the search items"))?;
    list.iter()
        .enumerate()
        .map(|(i, it)| {
            it.get("item")
                .cloned()
                .ok_or_else(|| bad_body(&format!("data.items[{i}].item"), "expected the item"))
        })
        .collect()
}

fn strings(v: &Value, key: &str) -> Vec<String> {
    v.get(key)
        .and_then(Value::as_array)
        .map(|l| {
            l.iter()
                .filter_map(|x| match x {
                    Value::String(s) => Some(s.clone()),
                    other => other
                        .get("value")
                        .and_then(Value::as_str)
                        .map(str::to_string),
                })
                .collect()
        })
        .unwrap_or_default()
}

fn is_ringback_key(s: &str) -> bool {
    s.starts_with("phone:") || s.starts_with("event:")
}

fn contact_of(config: &Config, v: &Value, path: &str) -> Result<Option<Contact>> {
    if v.get("type")
        .and_then(Value::as_str)
        .is_some_and(|t| t != "person")
    {
        return Ok(None);
    }
    let id = id_text(v.get("id"))
        .ok_or_else(|| bad_body(&format!("{path}.id"), "expected the person id"))?;
    let custom = strings(v, "custom_fields");
    let key = custom.iter().find(|s| is_ringback_key(s)).cloned();
    let name = v.get("name").and_then(Value::as_str).map(str::to_string);
    let (first, last) = match name
        .as_deref()
        .map(str::trim)
        .and_then(|n| n.rsplit_once(' '))
    {
        Some((f, l)) if key.is_none() => (Some(f.to_string()), Some(l.to_string())),
        _ => (None, name.clone()),
    };
    let flag = |field: &Option<String>, source: &str| -> Option<Consent> {
        // A search item lists custom field values, not names: a flag field is read only
        // from a person record (`custom_fields` as an object).
        let f = field.as_ref()?;
        let on = v
            .get("custom_fields")
            .and_then(|c| c.get(f))
            .is_some_and(|x| x.as_bool() == Some(true) || x.as_str() == Some("true"));
        on.then(|| Consent {
            status: ConsentStatus::Revoked,
            kind: None,
            at: None,
            source: Some(format!("pipedrive:{source}")),
        })
    };
    let p = &config.pipedrive;
    Ok(Some(Contact {
        phones: strings(v, "phones").into_iter().map(Phone::Plain).collect(),
        emails: strings(v, "emails"),
        first_name: first,
        last_name: last,
        consent: ConsentSet {
            voice: flag(&p.do_not_call_field, "do_not_call"),
            sms: flag(&p.sms_opt_out_field, "sms_opt_out"),
            email: None,
        },
        owner_id: v.get("owner").and_then(|o| id_text(o.get("id"))),
        // A person ringback created carries its key; staff-made persons are customers.
        upsert_key: key.clone(),
        ..Contact::new(
            id,
            if key.is_some() {
                ContactKind::Lead
            } else {
                ContactKind::Customer
            },
        )
    }))
}

fn read_lookup(config: &Config, _index: usize, r: &Response) -> Result<Vec<Contact>> {
    if !r.is_success() {
        return Err(bad_body("", format!("the search answered {}", r.status)));
    }
    let mut out = Vec::new();
    for (i, it) in items(r)?.iter().enumerate() {
        if let Some(c) = contact_of(config, it, &format!("data.items[{i}].item"))? {
            out.push(c);
        }
    }
    Ok(out)
}

fn unwritable(config: &Config, channel: Channel) -> Option<String> {
    let p = &config.pipedrive;
    match channel {
        Channel::Voice if p.do_not_call_field.is_none() => Some(
            "Pipedrive has no do-not-call field: set pipedrive.do_not_call_field".to_string(),
        ),
        Channel::Sms if p.sms_opt_out_field.is_none() => Some(
            "Pipedrive has no SMS opt-out field: set pipedrive.sms_opt_out_field".to_string(),
        ),
        Channel::Email => Some(
            "Pipedrive's marketing_status is email-campaign consent on a person with an address, changeable once; a phone-only caller has none".to_string(),
        ),
        _ => None,
    }
}

/// A JSON id: the number when it is one (persons, users), else the text.
fn id_value(id: &str) -> Value {
    id.parse::<u64>().map_or_else(|_| json!(id), |n| json!(n))
}

fn utc_date_time(t: Timestamp) -> (String, String) {
    let u = t.utc();
    (
        u.format("%Y-%m-%d").to_string(),
        u.format("%H:%M").to_string(),
    )
}

fn tag(key: &str) -> String {
    format!("[ringback:{key}]")
}

fn note(body: &str, key: &str) -> String {
    format!("<p>{}</p><p>{}</p>", html_escape(body), tag(key))
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The key a write's record is tagged with.
fn write_key<'a>(write: &'a Write, ctx: &'a Context) -> &'a str {
    match write {
        Write::Task { key, .. } => key,
        _ => &ctx.event_id,
    }
}

/// The activities to look a tag up in: the person's, or (a shared line's task, linked to
/// nobody) the open ones changed since the call.
fn find_activities(write: &Write, ctx: &Context, cursor: Option<&str>) -> Request {
    let mut r = find_first_page(write, ctx);
    if let Some(c) = cursor {
        r.path.push_str(&format!("&cursor={}", encode(c)));
    }
    r
}

fn find_first_page(write: &Write, ctx: &Context) -> Request {
    let person = match write {
        Write::Call { person, .. } | Write::Task { person, .. } => ctx.person(person),
        _ => None,
    };
    match person {
        Some((id, _)) => Request::get(format!(
            "/api/v2/activities?person_id={}&limit=500",
            encode(&id)
        )),
        None => Request::get(format!(
            "/api/v2/activities?updated_since={}&limit=500",
            encode(
                &ctx.occurred_at
                    .utc()
                    .format("%Y-%m-%dT%H:%M:%SZ")
                    .to_string()
            )
        )),
    }
}

fn person_fields(b: &mut Map<String, Value>, person: &Person, ctx: &Context) {
    if let Some((id, _)) = ctx.person(person) {
        b.insert("person_id".into(), id_value(&id));
        b.insert(
            "participants".into(),
            json!([{ "person_id": id_value(&id), "primary": true }]),
        );
    }
}

fn activity_body(
    config: &Config,
    write: &Write,
    ctx: &Context,
    create: bool,
) -> Map<String, Value> {
    let p = &config.pipedrive;
    let mut b = Map::new();
    match write {
        Write::Call {
            person,
            subject,
            body,
            ..
        } => {
            b.insert("subject".into(), json!(subject));
            b.insert("note".into(), json!(note(body, &ctx.event_id)));
            if create {
                b.insert("type".into(), json!(p.call_activity_type));
                let (d, t) = utc_date_time(ctx.occurred_at);
                b.insert("due_date".into(), json!(d));
                b.insert("due_time".into(), json!(t));
                b.insert("done".into(), json!(true));
                person_fields(&mut b, person, ctx);
                if let Some(o) = config.owners.owner(&ctx.location_id, 1) {
                    b.insert("owner_id".into(), id_value(o));
                }
            }
        }
        Write::Task {
            key,
            person,
            subject,
            body,
            due_at,
            owner,
            call,
            ..
        } => {
            b.insert("subject".into(), json!(subject));
            b.insert("note".into(), json!(note(body, key)));
            let (d, t) = utc_date_time(*due_at);
            b.insert("due_date".into(), json!(d));
            b.insert("due_time".into(), json!(t));
            if create {
                let kind = if *call {
                    &p.callback_activity_type
                } else {
                    &p.task_activity_type
                };
                b.insert("type".into(), json!(kind));
                b.insert("done".into(), json!(false));
                person_fields(&mut b, person, ctx);
                if let Some(o) = owner {
                    b.insert("owner_id".into(), id_value(o));
                }
            }
        }
        _ => {}
    }
    b
}

fn call_log(config: &Config, write: &Write, ctx: &Context, activity: &str) -> Request {
    let mut b = Map::new();
    if let Write::Call {
        subject,
        body,
        voicemail,
        ..
    } = write
    {
        b.insert("activity_id".into(), id_value(activity));
        b.insert(
            "outcome".into(),
            json!(if *voicemail {
                "left_voicemail"
            } else {
                "no_answer"
            }),
        );
        let from = ctx
            .caller
            .clone()
            .unwrap_or_else(|| "anonymous".to_string());
        let to = ctx.tracking_number.clone().unwrap_or_else(|| from.clone());
        b.insert("to_phone_number".into(), json!(to));
        b.insert("from_phone_number".into(), json!(from));
        let at = ctx
            .occurred_at
            .utc()
            .format("%Y-%m-%d %H:%M:%S")
            .to_string();
        b.insert("start_time".into(), json!(at));
        b.insert("end_time".into(), json!(at));
        b.insert("duration".into(), json!("0"));
        b.insert("subject".into(), json!(subject));
        b.insert("note".into(), json!(note(body, &ctx.event_id)));
        if let Some(o) = config.owners.owner(&ctx.location_id, 1) {
            b.insert("user_id".into(), id_value(o));
        }
    }
    Request::json("POST", "/v1/callLogs".to_string(), &Value::Object(b))
}

fn request(config: &Config, write: &Write, mode: &Mode, ctx: &Context) -> Result<Request> {
    let p = &config.pipedrive;
    Ok(match write {
        Write::Lead {
            key,
            phone,
            first_name,
            last_name,
        } => match mode {
            Mode::Create => {
                let name = match first_name {
                    Some(f) => format!("{f} {last_name}"),
                    None => last_name.clone(),
                };
                let mut b = Map::new();
                b.insert("name".into(), json!(name));
                if let Some(ph) = phone {
                    b.insert(
                        "phones".into(),
                        json!([{ "value": ph, "primary": true, "label": "mobile" }]),
                    );
                }
                if let Some(o) = config.owners.owner(&ctx.location_id, 1) {
                    b.insert("owner_id".into(), id_value(o));
                }
                b.insert(
                    "custom_fields".into(),
                    json!({ p.person_key_field.clone(): key }),
                );
                Request::json("POST", "/api/v2/persons".to_string(), &Value::Object(b))
            }
            Mode::Then { id, then, .. } => match then {
                Then::Merge { into, from, .. } => Request::json(
                    "PUT",
                    format!("/v1/persons/{}/merge", encode(from)),
                    &json!({ "merge_with_id": id_value(into) }),
                ),
                Then::FindLead => {
                    Request::get(format!("/v1/leads?person_id={}&limit=100", encode(id)))
                }
                Then::CreateLead => {
                    let mut b = Map::new();
                    b.insert(
                        "title".into(),
                        json!(format!("Missed call {}", phone.as_deref().unwrap_or(key))),
                    );
                    b.insert("person_id".into(), id_value(id));
                    if let Some(o) = config.owners.owner(&ctx.location_id, 1) {
                        b.insert("owner_id".into(), id_value(o));
                    }
                    b.insert("origin_id".into(), json!(format!("ringback:{key}")));
                    b.insert("was_seen".into(), json!(false));
                    Request::json("POST", "/v1/leads".to_string(), &Value::Object(b))
                }
                _ => search_by_key(key),
            },
            _ => search_by_key(key),
        },
        Write::Call { .. } | Write::Task { .. } => match mode {
            Mode::Create => Request::json(
                "POST",
                "/api/v2/activities".to_string(),
                &Value::Object(activity_body(config, write, ctx, true)),
            ),
            Mode::Then {
                id,
                then: Then::LogCall,
                ..
            } => call_log(config, write, ctx, id),
            Mode::Then { id, .. } => Request::json(
                "PATCH",
                format!("/api/v2/activities/{}", encode(id)),
                &Value::Object(activity_body(config, write, ctx, false)),
            ),
            Mode::Page(cursor) => find_activities(write, ctx, Some(cursor)),
            _ => find_activities(write, ctx, None),
        },
        Write::MoveTask {
            task_id,
            due_at,
            body,
        } => {
            let (d, t) = utc_date_time(*due_at);
            Request::json(
                "PATCH",
                format!("/api/v2/activities/{}", encode(task_id)),
                &json!({ "due_date": d, "due_time": t, "note": note(body, &ctx.event_id) }),
            )
        }
        Write::OptOut { person, channels } => {
            let (id, _) = ctx.required_person(person)?;
            let mut f = Map::new();
            for c in channels {
                let field = match c {
                    Channel::Voice => p.do_not_call_field.as_ref(),
                    Channel::Sms => p.sms_opt_out_field.as_ref(),
                    Channel::Email => None,
                };
                if let Some(field) = field {
                    f.insert(field.clone(), json!("true"));
                }
            }
            Request::json(
                "PATCH",
                format!("/api/v2/persons/{}", encode(&id)),
                &json!({ "custom_fields": f }),
            )
        }
    })
}

/// The ids of the persons a key search found that carry `key`, smallest first.
fn keyed_ids(r: &Response, key: &str) -> Result<Vec<String>> {
    let mut ids: Vec<String> = items(r)?
        .iter()
        .filter(|it| strings(it, "custom_fields").iter().any(|v| v == key))
        .filter_map(|it| id_text(it.get("id")))
        .collect();
    sort_ids(&mut ids);
    Ok(ids)
}

fn sort_ids(ids: &mut Vec<String>) {
    ids.sort_by(|a, b| (a.len(), a.as_str()).cmp(&(b.len(), b.as_str())));
    ids.dedup();
}

/// The next step once the persons carrying the key are known: merge every other into the
/// smallest id, then (optionally) the lead, else done.
fn settle(config: &Config, mut ids: Vec<String>, ours: Option<&str>) -> Read {
    if let Some(o) = ours {
        ids.push(o.to_string());
    }
    sort_ids(&mut ids);
    let mut rest = ids.split_off(1.min(ids.len()));
    let Some(survivor) = ids.pop() else {
        return Read::Again(Mode::Create);
    };
    let created = Some(ours == Some(survivor.as_str()));
    rest.truncate(MAX_MERGES as usize);
    if !rest.is_empty() {
        let from = rest.remove(0);
        return Read::Again(Mode::Then {
            id: survivor.clone(),
            created,
            then: Then::Merge {
                into: survivor,
                from,
                rest,
            },
        });
    }
    after_person(config, survivor, created)
}

fn after_person(config: &Config, id: String, created: Option<bool>) -> Read {
    if config.pipedrive.create_lead {
        return Read::Again(Mode::Then {
            id,
            created,
            then: Then::FindLead,
        });
    }
    Read::Done {
        id: Some(id),
        created,
        object: "persons".to_string(),
    }
}

fn data(v: &Value) -> Option<&Value> {
    v.get("data").filter(|d| !d.is_null())
}

fn read_person(config: &Config, key: &str, mode: &Mode, r: &Response, v: &Value) -> Result<Read> {
    match mode {
        Mode::Create => {
            if !r.is_success() {
                return Ok(Read::Rejected(format!(
                    "creating the person answered {}: {}",
                    r.status,
                    error_text(v)
                )));
            }
            let id = data(v)
                .and_then(|d| id_text(d.get("id")))
                .ok_or_else(|| bad_body("data.id", "expected the new person's id"))?;
            Ok(Read::Again(Mode::Then {
                id,
                created: Some(true),
                then: Then::Confirm,
            }))
        }
        Mode::Then { id, created, then } => match then {
            Then::Confirm => {
                if !r.is_success() {
                    // The person exists; the check is a repair, not a condition.
                    return Ok(after_person(config, id.clone(), *created));
                }
                let ids = keyed_ids(r, key)?;
                Ok(settle(
                    config,
                    ids,
                    created.filter(|c| *c).map(|_| id.as_str()),
                ))
            }
            Then::Merge { into, rest, .. } => {
                let survivor = if r.is_success() {
                    data(v)
                        .and_then(|d| id_text(d.get("id")))
                        .unwrap_or_else(|| into.clone())
                } else if matches!(r.status, 404 | 410) {
                    // Merged already (by a racing sync): nothing to do for this one.
                    into.clone()
                } else {
                    return Ok(Read::Rejected(format!(
                        "merging persons answered {}: {}",
                        r.status,
                        error_text(v)
                    )));
                };
                let mut rest = rest.clone();
                if rest.is_empty() {
                    return Ok(after_person(config, survivor, *created));
                }
                let from = rest.remove(0);
                Ok(Read::Again(Mode::Then {
                    id: survivor.clone(),
                    created: *created,
                    then: Then::Merge {
                        into: survivor,
                        from,
                        rest,
                    },
                }))
            }
            Then::FindLead => {
                if !r.is_success() {
                    return Ok(Read::Rejected(format!(
                        "listing leads answered {}: {}",
                        r.status,
                        error_text(v)
                    )));
                }
                let origin = format!("ringback:{key}");
                let has = data(v).and_then(Value::as_array).is_some_and(|l| {
                    l.iter()
                        .any(|x| x.get("origin_id").and_then(Value::as_str) == Some(&origin))
                });
                Ok(if has {
                    Read::Done {
                        id: Some(id.clone()),
                        created: *created,
                        object: "persons".to_string(),
                    }
                } else {
                    Read::Again(Mode::Then {
                        id: id.clone(),
                        created: *created,
                        then: Then::CreateLead,
                    })
                })
            }
            _ => {
                if !r.is_success() {
                    return Ok(Read::Rejected(format!(
                        "creating the lead answered {}: {}",
                        r.status,
                        error_text(v)
                    )));
                }
                Ok(Read::Done {
                    id: Some(id.clone()),
                    created: *created,
                    object: "persons".to_string(),
                })
            }
        },
        _ => {
            if !r.is_success() {
                return Ok(Read::Rejected(format!(
                    "the person search answered {}: {}",
                    r.status,
                    error_text(v)
                )));
            }
            let ids = keyed_ids(r, key)?;
            Ok(settle(config, ids, None))
        }
    }
}

fn error_text(v: &Value) -> String {
    v.get("error")
        .and_then(Value::as_str)
        .or_else(|| v.get("message").and_then(Value::as_str))
        .unwrap_or("")
        .to_string()
}

fn read(config: &Config, write: &Write, mode: &Mode, ctx: &Context, r: &Response) -> Result<Read> {
    let v = r.json("pipedrive")?;
    let object = match write {
        Write::Lead { .. } | Write::OptOut { .. } => "persons",
        _ => "activities",
    };
    if let Write::Lead { key, .. } = write {
        return read_person(config, key, mode, r, &v);
    }
    let update = match write {
        Write::Call { update, .. } | Write::Task { update, .. } => *update,
        _ => false,
    };
    match (write, mode) {
        (Write::Call { .. } | Write::Task { .. }, Mode::Normal | Mode::Page(_)) => {
            if !r.is_success() {
                return Ok(Read::Rejected(format!(
                    "listing activities answered {}: {}",
                    r.status,
                    error_text(&v)
                )));
            }
            let list = data(&v)
                .map(|d| {
                    d.as_array()
                        .cloned()
                        .ok_or_else(|| bad_body("data", "expected the activities"))
                })
                .transpose()?
                .unwrap_or_default();
            let t = tag(write_key(write, ctx));
            let found = list
                .iter()
                .find(|a| {
                    a.get("note")
                        .and_then(Value::as_str)
                        .is_some_and(|n| n.contains(&t))
                })
                .and_then(|a| id_text(a.get("id")));
            let is_call = matches!(write, Write::Call { .. });
            Ok(match found {
                Some(id) if update => Read::Again(Mode::Then {
                    id,
                    created: Some(false),
                    then: Then::Amend,
                }),
                Some(id) if is_call => Read::Again(Mode::Then {
                    id,
                    created: Some(false),
                    then: Then::LogCall,
                }),
                Some(id) => Read::found(id, object),
                // Not on this page: the next one, until the list ends.
                None => match v
                    .get("additional_data")
                    .and_then(|a| a.get("next_cursor"))
                    .and_then(Value::as_str)
                    .filter(|c| !c.is_empty())
                {
                    Some(c) => Read::Again(Mode::Page(c.to_string())),
                    None => Read::Again(Mode::Create),
                },
            })
        }
        (_, Mode::Create) => {
            if !r.is_success() {
                return Ok(Read::Rejected(format!(
                    "creating the activity answered {}: {}",
                    r.status,
                    error_text(&v)
                )));
            }
            let id = data(&v)
                .and_then(|d| id_text(d.get("id")))
                .ok_or_else(|| bad_body("data.id", "expected the new activity's id"))?;
            Ok(if matches!(write, Write::Call { .. }) {
                Read::Again(Mode::Then {
                    id,
                    created: Some(true),
                    then: Then::LogCall,
                })
            } else {
                Read::Done {
                    id: Some(id),
                    created: Some(true),
                    object: object.to_string(),
                }
            })
        }
        (_, Mode::Then { id, created, then }) => {
            if *then == Then::LogCall && r.status == 409 {
                // The activity is a call log already: an earlier run logged it.
                return Ok(Read::Done {
                    id: Some(id.clone()),
                    created: Some(false),
                    object: "callLogs".to_string(),
                });
            }
            if !r.is_success() {
                return Ok(Read::Rejected(format!(
                    "{} answered {}: {}",
                    object,
                    r.status,
                    error_text(&v)
                )));
            }
            if *then == Then::LogCall {
                let log = data(&v).and_then(|d| id_text(d.get("id")));
                return Ok(Read::Done {
                    id: log.or_else(|| Some(id.clone())),
                    created: *created,
                    object: "callLogs".to_string(),
                });
            }
            if *then == Then::Amend && matches!(write, Write::Call { .. }) {
                return Ok(Read::Again(Mode::Then {
                    id: id.clone(),
                    created: *created,
                    then: Then::LogCall,
                }));
            }
            Ok(Read::Done {
                id: Some(id.clone()),
                created: *created,
                object: object.to_string(),
            })
        }
        (Write::MoveTask { .. } | Write::OptOut { .. }, _) if !r.is_success() => Ok(
            Read::Rejected(format!("{object}: {} {}", r.status, error_text(&v))),
        ),
        (Write::MoveTask { task_id, .. }, _) => Ok(Read::found(task_id.clone(), object)),
        (Write::OptOut { person, .. }, _) => Ok(Read::Done {
            id: ctx.person(person).map(|p| p.0),
            created: Some(false),
            object: object.to_string(),
        }),
        _ => Ok(Read::Rejected(format!("unexpected answer {}", r.status))),
    }
}

super::adapter::forward_to_functions!(Pipedrive);
