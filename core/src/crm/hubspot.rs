//! HubSpot (CRM v3 objects, v4 associations): lookup by the calculated phone properties
//! (national digits) and the raw `phone`/`mobilephone` values plus a read by the unique key
//! property, contacts / calls / tasks upserted by unique properties (`batch/upsert` with
//! `idProperty`), then associated (call→contact 194, task→contact 204).

use serde_json::{json, Map, Value};

use crate::error::Result;
use crate::model::crm::{Consent, ConsentStatus, Contact, ContactKind, Phone};
use crate::model::policy::Channel;
use crate::model::time::Timestamp;

use super::config::Config;
use super::http::{bad_body, encode, id_text, str_at, Request, Response};
use super::plan::{Priority, Write};
use super::{national, Caller, Context, Mode, Read, Then};

/// Association type ids (HubSpot-defined, direction call/task → contact).
const CALL_TO_CONTACT: u32 = 194;
const TASK_TO_CONTACT: u32 = 204;
/// `hs_call_disposition` "No answer".
const NO_ANSWER: &str = "73a0d17f-1163-4015-bdd5-ec830791da20";

fn properties(config: &Config) -> Vec<String> {
    let h = &config.hubspot;
    let mut p: Vec<String> = [
        "firstname",
        "lastname",
        "email",
        "phone",
        "mobilephone",
        "hubspot_owner_id",
        "lifecyclestage",
        "hs_lead_status",
        "hs_email_optout",
        "createdate",
        "lastmodifieddate",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    p.push(h.contact_key_property.clone());
    p.extend(h.do_not_call_property.clone());
    p.extend(h.sms_opt_out_property.clone());
    p
}

/// The lookup: a search on the calculated phone properties (national digits, as HubSpot
/// documents) and on the raw properties (E.164 as stored by validated fields), and a read
/// by the unique key property (no search-index lag).
fn lookup_requests(config: &Config, caller: &Caller, key: &str) -> Vec<Request> {
    let nat = national(&caller.e164);
    let groups: Vec<Value> = [
        ("hs_searchable_calculated_phone_number", nat.as_str()),
        ("hs_searchable_calculated_mobile_number", nat.as_str()),
        ("phone", caller.e164.as_str()),
        ("mobilephone", caller.e164.as_str()),
    ]
    .iter()
    .map(|(p, v)| json!({"filters": [{"propertyName": p, "operator": "EQ", "value": v}]}))
    .collect();
    let props = properties(config);
    let search = json!({
        "filterGroups": groups,
        "properties": props,
        "sorts": [{"propertyName": "createdate", "direction": "ASCENDING"}],
        "limit": 10,
    });
    let by_key = format!(
        "/crm/v3/objects/contacts/{}?idProperty={}&properties={}",
        encode(key),
        encode(&config.hubspot.contact_key_property),
        encode(&props.join(","))
    );
    vec![
        Request::json(
            "POST",
            "/crm/v3/objects/contacts/search".to_string(),
            &search,
        ),
        Request::get(by_key),
    ]
}

fn prop(v: &Value, key: &str) -> Option<String> {
    v.get("properties")
        .and_then(|p| p.get(key))
        .and_then(Value::as_str)
        .map(str::to_string)
        .filter(|s| !s.is_empty())
}

fn revoked(v: &Value, key: Option<&String>, source: &str) -> Option<Consent> {
    let key = key?;
    (prop(v, key).as_deref() == Some("true")).then(|| Consent {
        status: ConsentStatus::Revoked,
        kind: None,
        at: None,
        source: Some(format!("hubspot:{source}")),
    })
}

fn contact_of(config: &Config, v: &Value, path: &str) -> Result<Contact> {
    let id = id_text(v.get("id"))
        .ok_or_else(|| bad_body(&format!("{path}.id"), "expected the record id"))?;
    if !v.get("properties").is_some_and(Value::is_object) {
        return Err(bad_body(
            &format!("{path}.properties"),
            "expected the properties object",
        ));
    }
    let kind = match prop(v, "lifecyclestage").as_deref() {
        Some("customer" | "evangelist") => ContactKind::Customer,
        _ => ContactKind::Lead,
    };
    let h = &config.hubspot;
    let email_key = "hs_email_optout".to_string();
    Ok(Contact {
        phones: ["phone", "mobilephone"]
            .iter()
            .filter_map(|k| prop(v, k))
            .map(Phone::Plain)
            .collect(),
        emails: prop(v, "email").into_iter().collect(),
        first_name: prop(v, "firstname"),
        last_name: prop(v, "lastname"),
        consent: crate::model::crm::ConsentSet {
            sms: revoked(v, h.sms_opt_out_property.as_ref(), "sms"),
            voice: revoked(v, h.do_not_call_property.as_ref(), "do_not_call"),
            email: revoked(v, Some(&email_key), "hs_email_optout"),
        },
        owner_id: prop(v, "hubspot_owner_id"),
        upsert_key: prop(v, &h.contact_key_property),
        ..Contact::new(id, kind)
    })
}

/// Reads one lookup answer: a search page (`results[]`) or the record read by key (404:
/// none).
fn read_lookup(config: &Config, index: usize, r: &Response) -> Result<Vec<Contact>> {
    if index == 1 && r.status == 404 {
        return Ok(Vec::new());
    }
    if !r.is_success() {
        return Err(bad_body("", format!("the lookup answered {}", r.status)));
    }
    let v = r.json("contacts")?;
    match v.get("results") {
        Some(list) => {
            let list = list
                .as_array()
                .ok_or_else(|| bad_body("results", "expected an array"))?;
            list.iter()
                .enumerate()
                .map(|(i, rec)| contact_of(config, rec, &format!("results[{i}]")))
                .collect()
        }
        None if v.get("id").is_some() => Ok(vec![contact_of(config, &v, "")?]),
        None => Err(bad_body(
            "",
            "expected results (search) or a contact (read by key)",
        )),
    }
}

fn iso(t: Timestamp) -> String {
    t.utc().format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

fn priority(p: Priority) -> &'static str {
    match p {
        Priority::High => "HIGH",
        Priority::Normal => "MEDIUM",
        Priority::Low => "LOW",
    }
}

fn upsert(object: &str, id_property: &str, id: &str, properties: Map<String, Value>) -> Request {
    Request::json(
        "POST",
        format!("/crm/v3/objects/{object}/batch/upsert"),
        &json!({"inputs": [{"idProperty": id_property, "id": id, "properties": properties}]}),
    )
}

fn associate(object: &str, id: &str, contact: &str, type_id: u32) -> Request {
    Request::json(
        "PUT",
        format!(
            "/crm/v4/objects/{object}/{}/associations/contacts/{}",
            encode(id),
            encode(contact)
        ),
        &json!([{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": type_id}]),
    )
}

/// Channels an opt-out cannot be written on in HubSpot with this config, and why.
fn unwritable(config: &Config, channel: Channel) -> Option<String> {
    match channel {
        Channel::Voice if config.hubspot.do_not_call_property.is_none() => Some(
            "HubSpot has no standard do-not-call property: set hubspot.do_not_call_property".to_string(),
        ),
        Channel::Sms if config.hubspot.sms_opt_out_property.is_none() => Some(
            "HubSpot's documented consent API covers email only: set hubspot.sms_opt_out_property".to_string(),
        ),
        Channel::Email => Some(
            "HubSpot keeps email consent by address (communication preferences v4); a phone-only caller has none to unsubscribe".to_string(),
        ),
        _ => None,
    }
}

/// The request for one write.
fn request(config: &Config, write: &Write, mode: &Mode, ctx: &Context) -> Result<Request> {
    let h = &config.hubspot;
    if let Mode::Then { id, .. } = mode {
        let contact = match write {
            Write::Call { person, .. } | Write::Task { person, .. } => {
                ctx.person(person).map(|(c, _)| c)
            }
            _ => None,
        };
        let Some(contact) = contact else {
            return Err(crate::error::Error::new(
                crate::error::ErrorCode::Internal,
                "",
                "an association without a contact",
            ));
        };
        let (object, type_id) = match write {
            Write::Call { .. } => ("calls", CALL_TO_CONTACT),
            _ => ("tasks", TASK_TO_CONTACT),
        };
        return Ok(associate(object, id, &contact, type_id));
    }
    Ok(match write {
        Write::Lead {
            key,
            phone,
            first_name,
            last_name,
        } => {
            let mut p = Map::new();
            if let Some(ph) = phone {
                p.insert("phone".into(), json!(ph));
            }
            if let Some(f) = first_name {
                p.insert("firstname".into(), json!(f));
            }
            p.insert("lastname".into(), json!(last_name));
            p.insert(
                "lifecyclestage".into(),
                json!(h.new_contact_lifecycle_stage),
            );
            if let Some(o) = config.owners.owner(&ctx.location_id, 1) {
                p.insert("hubspot_owner_id".into(), json!(o));
            }
            upsert("contacts", &h.contact_key_property, key, p)
        }
        Write::Call {
            subject,
            body,
            voicemail,
            recording,
            ..
        } => {
            let mut p = Map::new();
            p.insert("hs_timestamp".into(), json!(iso(ctx.occurred_at)));
            p.insert("hs_call_title".into(), json!(subject));
            p.insert("hs_call_body".into(), json!(body));
            p.insert("hs_call_direction".into(), json!("INBOUND"));
            p.insert("hs_call_status".into(), json!("NO_ANSWER"));
            p.insert("hs_call_disposition".into(), json!(NO_ANSWER));
            p.insert("hs_call_duration".into(), json!("0"));
            if *voicemail {
                p.insert("hs_call_has_voicemail".into(), json!("true"));
            }
            // HubSpot takes HTTPS recordings only (.mp3/.wav).
            if let Some(u) = recording.as_ref().filter(|u| u.starts_with("https://")) {
                p.insert("hs_call_recording_url".into(), json!(u));
            }
            if let Some(c) = &ctx.caller {
                p.insert("hs_call_from_number".into(), json!(c));
            }
            if let Some(t) = &ctx.tracking_number {
                p.insert("hs_call_to_number".into(), json!(t));
            }
            if let Some(o) = config.owners.owner(&ctx.location_id, 1) {
                p.insert("hubspot_owner_id".into(), json!(o));
            }
            upsert("calls", &h.call_key_property, &ctx.event_id, p)
        }
        Write::Task {
            key,
            subject,
            body,
            due_at,
            priority: pr,
            owner,
            call,
            ..
        } => {
            let mut p = Map::new();
            p.insert("hs_timestamp".into(), json!(iso(*due_at)));
            p.insert("hs_task_subject".into(), json!(subject));
            p.insert("hs_task_body".into(), json!(body));
            p.insert("hs_task_status".into(), json!("NOT_STARTED"));
            p.insert("hs_task_priority".into(), json!(priority(*pr)));
            p.insert(
                "hs_task_type".into(),
                json!(if *call { "CALL" } else { "TODO" }),
            );
            p.insert(
                "hs_task_reminders".into(),
                json!(due_at.utc().timestamp_millis().to_string()),
            );
            if let Some(o) = owner {
                p.insert("hubspot_owner_id".into(), json!(o));
            }
            upsert("tasks", &h.task_key_property, key, p)
        }
        Write::MoveTask {
            task_id,
            due_at,
            body,
        } => Request::json(
            "PATCH",
            format!("/crm/v3/objects/tasks/{}", encode(task_id)),
            &json!({"properties": {
                "hs_timestamp": iso(*due_at),
                "hs_task_reminders": due_at.utc().timestamp_millis().to_string(),
                "hs_task_body": body,
            }}),
        ),
        Write::OptOut { person, channels } => {
            let Some((id, _)) = ctx.person(person) else {
                return Err(crate::error::Error::new(
                    crate::error::ErrorCode::Internal,
                    "",
                    "an opt-out without a record",
                ));
            };
            let mut p = Map::new();
            for c in channels {
                let field = match c {
                    Channel::Voice => h.do_not_call_property.as_ref(),
                    Channel::Sms => h.sms_opt_out_property.as_ref(),
                    Channel::Email => None,
                };
                if let Some(f) = field {
                    p.insert(f.clone(), json!("true"));
                }
            }
            Request::json(
                "PATCH",
                format!("/crm/v3/objects/contacts/{}", encode(&id)),
                &json!({"properties": p}),
            )
        }
    })
}

fn object_of(write: &Write) -> &'static str {
    match write {
        Write::Lead { .. } | Write::OptOut { .. } => "contacts",
        Write::Call { .. } => "calls",
        Write::Task { .. } | Write::MoveTask { .. } => "tasks",
    }
}

/// The id after `Existing ID:` in a 409 message.
fn existing_id(msg: &str) -> Option<String> {
    let at = msg.find("Existing ID:")?;
    let id: String = msg[at + 12..]
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    (!id.is_empty()).then_some(id)
}

/// Reads the answer to one write.
fn read(_config: &Config, write: &Write, mode: &Mode, ctx: &Context, r: &Response) -> Result<Read> {
    let object = object_of(write).to_string();
    let v = r.json(&object)?;
    if let Mode::Then { id, created, .. } = mode {
        if r.is_success() {
            return Ok(Read::Done {
                id: Some(id.clone()),
                created: *created,
                object,
            });
        }
        return Ok(Read::Rejected(format!(
            "the association answered {}: {}",
            r.status,
            v.get("message").and_then(Value::as_str).unwrap_or("")
        )));
    }
    let needs_link = |person: &super::plan::Person| ctx.person(person).is_some();
    match r.status {
        200 | 201 | 207 => {
            let (id, created) = match write {
                Write::Lead { .. } | Write::Call { .. } | Write::Task { .. } => {
                    let results = v
                        .get("results")
                        .and_then(Value::as_array)
                        .ok_or_else(|| bad_body("results", "expected the upserted records"))?;
                    let first = results
                        .first()
                        .ok_or_else(|| bad_body("results", "no record in a batch upsert answer"))?;
                    let id = id_text(first.get("id"))
                        .ok_or_else(|| bad_body("results[0].id", "expected the record id"))?;
                    (Some(id), first.get("new").and_then(Value::as_bool))
                }
                Write::MoveTask { task_id, .. } => (Some(task_id.clone()), Some(false)),
                Write::OptOut { person, .. } => (ctx.person(person).map(|(id, _)| id), Some(false)),
            };
            if let (Write::Call { person, .. } | Write::Task { person, .. }, Some(id)) =
                (write, &id)
            {
                if needs_link(person) {
                    return Ok(Read::Again(Mode::Then {
                        id: id.clone(),
                        created,
                        then: Then::Link,
                    }));
                }
            }
            Ok(Read::Done {
                id,
                created,
                object,
            })
        }
        409 => {
            let msg = str_at(&v, "message", "")?;
            match existing_id(msg) {
                Some(id) => {
                    if let Write::Call { person, .. } | Write::Task { person, .. } = write {
                        if needs_link(person) {
                            return Ok(Read::Again(Mode::Then {
                                id,
                                created: Some(false),
                                then: Then::Link,
                            }));
                        }
                    }
                    Ok(Read::Done {
                        id: Some(id),
                        created: Some(false),
                        object,
                    })
                }
                None => Ok(Read::Rejected(format!("409: {msg}"))),
            }
        }
        400 | 404 => Ok(Read::Rejected(format!(
            "{}: {} {}",
            r.status,
            v.get("category").and_then(Value::as_str).unwrap_or(""),
            v.get("message").and_then(Value::as_str).unwrap_or("")
        ))),
        other => Ok(Read::Rejected(format!("unexpected status {other}"))),
    }
}

/// The Hubspot adapter.
pub(crate) struct Hubspot;

super::adapter::forward_to_functions!(Hubspot);
