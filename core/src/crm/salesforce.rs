//! Salesforce (REST API): lookup by SOSL over the phone fields plus a SOQL read by the
//! upsert key, leads upserted by an External ID + Unique field, the missed call as a Task
//! (`TaskSubtype='Call'`, `CallType='Inbound'`) upserted by the event id, follow-up Tasks
//! with the SLA instant in `ReminderDateTime` (and the configured DateTime field), opt-outs
//! into `DoNotCall` / `HasOptedOutOfEmail`.

use serde_json::{json, Map, Value};

use crate::error::Result;
use crate::model::crm::{Consent, Contact, ContactKind, Phone};
use crate::model::policy::Channel;
use crate::model::time::Timestamp;

use super::config::Config;
use super::http::{bad_body, encode, revoked_flag, str_at, text, Request, Response};
use super::plan::{local_date, Priority, Write};
use super::{national, Caller, Context, Mode, Read};

const CONTACT_FIELDS: &str =
    "Id, FirstName, LastName, Phone, MobilePhone, HomePhone, OtherPhone, OwnerId, DoNotCall, HasOptedOutOfEmail";
const LEAD_FIELDS: &str =
    "Id, FirstName, LastName, Phone, MobilePhone, Status, IsConverted, OwnerId, DoNotCall, HasOptedOutOfEmail";

fn base(config: &Config) -> String {
    format!("/services/data/{}", config.salesforce.api_version)
}

fn extra_fields(config: &Config) -> String {
    let mut f = format!(", {}", config.salesforce.lead_key_field);
    if let Some(l) = &config.salesforce.location_field {
        f.push_str(&format!(", {l}"));
    }
    if let Some(s) = &config.salesforce.sms_opt_out_field {
        f.push_str(&format!(", {s}"));
    }
    f
}

fn soql_quote(s: &str) -> String {
    s.replace('\\', "\\\\").replace('\'', "\\'")
}

/// The lookup: one SOSL search over the phone fields (national digits and the quoted
/// E.164 form, which the index tokenizes differently) and one SOQL read of open leads by
/// the upsert key (no index lag).
fn lookup_requests(config: &Config, caller: &Caller, key: &str) -> Vec<Request> {
    let extra = extra_fields(config);
    let sms = config
        .salesforce
        .sms_opt_out_field
        .as_ref()
        .map(|s| format!(", {s}"))
        .unwrap_or_default();
    let sosl = format!(
        "FIND {{{} OR \"{}\"}} IN PHONE FIELDS RETURNING Contact({CONTACT_FIELDS}{sms}), Lead({LEAD_FIELDS}{extra} WHERE IsConverted = false) LIMIT 20",
        national(&caller.e164),
        caller.e164
    );
    let soql = format!(
        "SELECT {LEAD_FIELDS}{extra} FROM Lead WHERE {} = '{}' AND IsConverted = false LIMIT 5",
        config.salesforce.lead_key_field,
        soql_quote(key)
    );
    vec![
        Request::get(format!("{}/search/?q={}", base(config), encode(&sosl))),
        Request::get(format!("{}/query/?q={}", base(config), encode(&soql))),
    ]
}

fn revoked_if(v: &Value, key: &str) -> Option<Consent> {
    revoked_flag(v, Some(key), "salesforce")
}

fn contact_of(config: &Config, v: &Value, path: &str) -> Result<Option<Contact>> {
    let kind = match v
        .get("attributes")
        .and_then(|a| a.get("type"))
        .and_then(Value::as_str)
    {
        Some("Contact") => ContactKind::Customer,
        Some("Lead") => ContactKind::Lead,
        // Accounts and other objects a search may return are not people.
        Some(_) => return Ok(None),
        None => {
            return Err(bad_body(
                &format!("{path}.attributes.type"),
                "expected the record's type",
            ))
        }
    };
    if v.get("IsConverted").and_then(Value::as_bool) == Some(true) {
        return Ok(None);
    }
    let id = str_at(v, "Id", path)?.to_string();
    let phones = ["Phone", "MobilePhone", "HomePhone", "OtherPhone"]
        .iter()
        .filter_map(|k| text(v, k))
        .map(Phone::Plain)
        .collect();
    let mut consent = crate::model::crm::ConsentSet {
        voice: revoked_if(v, "DoNotCall"),
        email: revoked_if(v, "HasOptedOutOfEmail"),
        sms: None,
    };
    if let Some(f) = &config.salesforce.sms_opt_out_field {
        consent.sms = revoked_if(v, f);
    }
    Ok(Some(Contact {
        phones,
        first_name: text(v, "FirstName"),
        last_name: text(v, "LastName"),
        location_id: config
            .salesforce
            .location_field
            .as_ref()
            .and_then(|f| text(v, f)),
        consent,
        owner_id: text(v, "OwnerId"),
        upsert_key: text(v, &config.salesforce.lead_key_field),
        ..Contact::new(id, kind)
    }))
}

/// Reads one lookup answer: SOSL `searchRecords[]` or SOQL `records[]`.
fn read_lookup(config: &Config, _index: usize, r: &Response) -> Result<Vec<Contact>> {
    if !r.is_success() {
        return Err(bad_body("", format!("the search answered {}", r.status)));
    }
    let v = r.json("search")?;
    let (list, path) = match (v.get("searchRecords"), v.get("records")) {
        (Some(l), _) => (l, "searchRecords"),
        (None, Some(l)) => (l, "records"),
        // An empty search may come back as an empty array.
        _ if v.as_array().is_some_and(Vec::is_empty) => return Ok(Vec::new()),
        _ => {
            return Err(bad_body(
                "",
                "expected searchRecords (SOSL) or records (SOQL)",
            ))
        }
    };
    let list = list
        .as_array()
        .ok_or_else(|| bad_body(path, "expected an array"))?;
    let mut out = Vec::new();
    for (i, rec) in list.iter().enumerate() {
        if let Some(c) = contact_of(config, rec, &format!("{path}[{i}]"))? {
            out.push(c);
        }
    }
    Ok(out)
}

fn millis(t: Timestamp) -> String {
    t.utc().format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

fn priority(p: Priority) -> &'static str {
    match p {
        Priority::High => "High",
        Priority::Normal => "Normal",
        Priority::Low => "Low",
    }
}

fn sobject(kind: Option<ContactKind>, id: &str) -> &'static str {
    match kind {
        Some(ContactKind::Customer) => "Contact",
        Some(ContactKind::Lead) => "Lead",
        // Salesforce id prefixes: 003 Contact, 00Q Lead.
        None if id.starts_with("00Q") => "Lead",
        None => "Contact",
    }
}

fn with_dup_header(mut req: Request, mode: &Mode) -> Request {
    if *mode == Mode::AllowDuplicates {
        req.headers.push((
            "Sforce-Duplicate-Rule-Header".to_string(),
            "allowSave=true; includeRecordDetails=false; runAsCurrentUser=true".to_string(),
        ));
    }
    req
}

fn upsert_path(config: &Config, object: &str, field: &str, key: &str) -> String {
    format!("{}/sobjects/{object}/{field}/{}", base(config), encode(key))
}

/// A task's due time: `ActivityDate` is a date (the due day at the location), so the
/// instant goes into the reminder and the configured DateTime field.
fn due_fields(b: &mut Map<String, Value>, config: &Config, due_at: Timestamp) {
    b.insert(
        "ActivityDate".into(),
        json!(due_at.0.format("%Y-%m-%d").to_string()),
    );
    b.insert("IsReminderSet".into(), json!(true));
    b.insert("ReminderDateTime".into(), json!(millis(due_at)));
    if let Some(f) = &config.salesforce.due_at_field {
        b.insert(f.clone(), json!(millis(due_at)));
    }
}

/// Channels an opt-out cannot be written on in Salesforce with this config, and why.
fn unwritable(config: &Config, channel: Channel) -> Option<String> {
    match channel {
        Channel::Sms if config.salesforce.sms_opt_out_field.is_none() => Some(
            "Salesforce has no standard SMS opt-out field: set salesforce.sms_opt_out_field (e.g. et4ae5__HasOptedOutOfMobile__c) or record it as a ContactPointTypeConsent".to_string(),
        ),
        _ => None,
    }
}

/// The request for one write.
fn request(config: &Config, write: &Write, mode: &Mode, ctx: &Context) -> Result<Request> {
    let sf = &config.salesforce;
    let req = match write {
        Write::Lead {
            key,
            phone,
            first_name,
            last_name,
        } => {
            if *mode == Mode::Reread {
                return Ok(Request::get(upsert_path(
                    config,
                    "Lead",
                    &sf.lead_key_field,
                    key,
                )));
            }
            let mut body = Map::new();
            body.insert("LastName".into(), json!(last_name));
            if let Some(f) = first_name {
                body.insert("FirstName".into(), json!(f));
            }
            body.insert("Company".into(), json!(sf.lead_company));
            if let Some(p) = phone {
                body.insert("Phone".into(), json!(p));
            }
            if let Some(s) = &sf.lead_source {
                body.insert("LeadSource".into(), json!(s));
            }
            if let Some(f) = &sf.location_field {
                body.insert(f.clone(), json!(ctx.location_id));
            }
            if let Some(o) = config.owners.owner(&ctx.location_id, 1) {
                body.insert("OwnerId".into(), json!(o));
            }
            Request::json(
                "PATCH",
                upsert_path(config, "Lead", &sf.lead_key_field, key),
                &Value::Object(body),
            )
        }
        Write::Call {
            person,
            update,
            subject,
            body,
            disposition,
            ..
        } => {
            if *mode == Mode::Reread {
                return Ok(Request::get(upsert_path(
                    config,
                    "Task",
                    &sf.activity_key_field,
                    &ctx.event_id,
                )));
            }
            let mut b = Map::new();
            if let Some((id, _)) = ctx.person(person) {
                b.insert("WhoId".into(), json!(id));
            }
            b.insert("Subject".into(), json!(subject));
            // TaskSubtype is accepted on create only: an update (an amended redelivery, or
            // a retry that finds the task) leaves it out.
            if !*update && *mode != Mode::Update {
                b.insert("TaskSubtype".into(), json!("Call"));
            }
            b.insert("Type".into(), json!("Call"));
            b.insert("CallType".into(), json!("Inbound"));
            b.insert("CallDisposition".into(), json!(disposition));
            b.insert("CallDurationInSeconds".into(), json!(0));
            b.insert(
                "CallObject".into(),
                json!(format!("ringback:{}", ctx.event_id)),
            );
            b.insert("Status".into(), json!("Completed"));
            b.insert("Priority".into(), json!("Normal"));
            b.insert(
                "ActivityDate".into(),
                json!(local_date(&ctx.occurred_at_local, ctx.occurred_at)),
            );
            b.insert("Description".into(), json!(body));
            Request::json(
                "PATCH",
                upsert_path(config, "Task", &sf.activity_key_field, &ctx.event_id),
                &Value::Object(b),
            )
        }
        Write::Task {
            key,
            person,
            subject,
            body,
            due_at,
            priority: p,
            owner,
            call,
            ..
        } => {
            if *mode == Mode::Reread {
                return Ok(Request::get(upsert_path(
                    config,
                    "Task",
                    &sf.activity_key_field,
                    key,
                )));
            }
            let mut b = Map::new();
            if let Some((id, _)) = ctx.person(person) {
                b.insert("WhoId".into(), json!(id));
            }
            b.insert("Subject".into(), json!(subject));
            if *mode != Mode::Update {
                b.insert("TaskSubtype".into(), json!("Task"));
            }
            b.insert("Type".into(), json!(if *call { "Call" } else { "Other" }));
            b.insert("Status".into(), json!("Not Started"));
            b.insert("Priority".into(), json!(priority(*p)));
            due_fields(&mut b, config, *due_at);
            if let Some(o) = owner {
                b.insert("OwnerId".into(), json!(o));
            }
            b.insert("Description".into(), json!(body));
            Request::json(
                "PATCH",
                upsert_path(config, "Task", &sf.activity_key_field, key),
                &Value::Object(b),
            )
        }
        Write::MoveTask {
            task_id,
            due_at,
            body,
        } => {
            let mut b = Map::new();
            due_fields(&mut b, config, *due_at);
            b.insert("Description".into(), json!(body));
            Request::json(
                "PATCH",
                format!("{}/sobjects/Task/{}", base(config), encode(task_id)),
                &Value::Object(b),
            )
        }
        Write::OptOut { person, channels } => {
            let Some((id, kind)) = ctx.person(person) else {
                return Err(crate::error::Error::new(
                    crate::error::ErrorCode::Internal,
                    "",
                    "an opt-out without a record",
                ));
            };
            let mut b = Map::new();
            for c in channels {
                match c {
                    Channel::Voice => {
                        b.insert("DoNotCall".into(), json!(true));
                    }
                    Channel::Email => {
                        b.insert("HasOptedOutOfEmail".into(), json!(true));
                    }
                    Channel::Sms => {
                        if let Some(f) = &sf.sms_opt_out_field {
                            b.insert(f.clone(), json!(true));
                        }
                    }
                }
            }
            let object = sobject(kind, &id);
            Request::json(
                "PATCH",
                format!("{}/sobjects/{object}/{}", base(config), encode(&id)),
                &Value::Object(b),
            )
        }
    };
    Ok(with_dup_header(req, mode))
}

fn object_of(write: &Write, ctx: &Context) -> String {
    match write {
        Write::Lead { .. } => "Lead".to_string(),
        Write::Call { .. } | Write::Task { .. } | Write::MoveTask { .. } => "Task".to_string(),
        Write::OptOut { person, .. } => ctx
            .person(person)
            .map(|(id, kind)| sobject(kind, &id).to_string())
            .unwrap_or_default(),
    }
}

/// The first Salesforce error of an error body (`[{"errorCode", "message", ...}]`).
fn first_error(v: &Value) -> Option<(String, String)> {
    let mut e = v
        .as_array()?
        .iter()
        .find(|e| e.get("success").and_then(Value::as_bool) != Some(true))?;
    // sObject Collections nest the errors of a record: `[{"success": false, "errors": [..]}]`.
    if let Some(inner) = e
        .get("errors")
        .and_then(Value::as_array)
        .and_then(|l| l.first())
    {
        e = inner;
    }
    let code = e
        .get("errorCode")
        .or_else(|| e.get("statusCode"))?
        .as_str()?
        .to_string();
    let msg = e
        .get("message")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    Some((code, msg))
}

/// The record id after `id:` in a `DUPLICATE_VALUE` message.
fn id_in_message(msg: &str) -> Option<String> {
    let at = msg.rfind("id: ")?;
    let id: String = msg[at + 4..]
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    (id.len() == 15 || id.len() == 18).then_some(id)
}

/// Reads the answer to one write.
fn read(_config: &Config, write: &Write, mode: &Mode, ctx: &Context, r: &Response) -> Result<Read> {
    let object = object_of(write, ctx);
    let v = r.json(&object)?;
    match r.status {
        200 | 201 if *mode == Mode::Reread => {
            let id = str_at(&v, "Id", "")
                .or_else(|_| str_at(&v, "id", ""))?
                .to_string();
            Ok(Read::Done {
                id: Some(id),
                created: Some(false),
                object,
            })
        }
        200 | 201 => {
            let id = match v.get("id").and_then(Value::as_str) {
                Some(id) => Some(id.to_string()),
                None => match write {
                    Write::Lead { .. } | Write::Call { .. } | Write::Task { .. } => {
                        return Err(bad_body("id", "expected the record id"));
                    }
                    _ => None,
                },
            };
            if v.get("success").and_then(Value::as_bool) == Some(false) {
                return Err(bad_body("success", "a 2xx answer that says success: false"));
            }
            let created = v
                .get("created")
                .and_then(Value::as_bool)
                .or(Some(r.status == 201));
            Ok(Read::Done {
                id,
                created,
                object,
            })
        }
        // An update by id (PATCH on a record) answers 204 without a body.
        204 => Ok(Read::Done {
            id: match write {
                Write::MoveTask { task_id, .. } => Some(task_id.clone()),
                Write::OptOut { person, .. } => ctx.person(person).map(|(id, _)| id),
                _ => None,
            },
            created: Some(false),
            object,
        }),
        300 => {
            // Several records carry the key (the field is not Unique): reuse the first
            // (the smallest id, so every run picks the same one).
            let mut ids: Vec<String> = v
                .as_array()
                .ok_or_else(|| bad_body("", "a 300 answer lists the matching records"))?
                .iter()
                .filter_map(|m| match m {
                    Value::String(url) => url.rsplit('/').next().map(str::to_string),
                    other => other
                        .get("id")
                        .or_else(|| other.get("Id"))
                        .and_then(Value::as_str)
                        .map(str::to_string),
                })
                .collect();
            ids.sort();
            match ids.into_iter().next() {
                Some(id) => Ok(Read::Done {
                    id: Some(id),
                    created: Some(false),
                    object,
                }),
                None => Err(bad_body("", "a 300 answer without a record")),
            }
        }
        400 | 409 => match first_error(&v) {
            Some((code, msg)) if code == "DUPLICATE_VALUE" => match id_in_message(&msg) {
                Some(id) => Ok(Read::Done {
                    id: Some(id),
                    created: Some(false),
                    object,
                }),
                None => Ok(Read::Again(Mode::Reread)),
            },
            Some((code, _)) if code == "DUPLICATES_DETECTED" && *mode != Mode::AllowDuplicates => {
                Ok(Read::Again(Mode::AllowDuplicates))
            }
            Some((code, msg))
                if code == "INVALID_FIELD_FOR_INSERT_UPDATE" && msg.contains("TaskSubtype") =>
            {
                Ok(Read::Again(Mode::Update))
            }
            Some((code, msg)) => Ok(Read::Rejected(format!("{code}: {msg}"))),
            None => Err(bad_body(
                "",
                format!("a {} answer without Salesforce's error list", r.status),
            )),
        },
        404 => Ok(Read::Rejected(match first_error(&v) {
            Some((code, msg)) => format!("{code}: {msg} (is the external-id field set up?)"),
            None => "404: the object, field or record does not exist".to_string(),
        })),
        other => Ok(Read::Rejected(format!("unexpected status {other}"))),
    }
}

/// The Salesforce adapter.
pub(crate) struct Salesforce;

super::adapter::forward_to_functions!(Salesforce);
