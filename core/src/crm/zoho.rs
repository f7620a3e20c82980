//! Zoho CRM (REST API v7). Facts from Zoho's v7 reference (search-records, upsert-records,
//! insert-records, COQL) as summarized in the CRM research.
//!
//! * **Lookup.** `GET /crm/v7/{Leads,Contacts}/search?phone=` (every phone field of the
//!   module; `204 No Content` without a body is "no match"), and a COQL read of open leads
//!   by the upsert key: Zoho documents that search misses a record created moments ago
//!   (indexing delay) and that the Query API does not.
//! * **Leads** are upserted (`POST /Leads/upsert`) with `duplicate_check_fields` on the key
//!   field, marked unique: `action: insert|update` says which happened; a racing insert's
//!   `DUPLICATE_DATA` is answered by a COQL re-read of the key.
//! * **Calls and Tasks cannot be upserted** (not in the upsert's supported modules). A retry
//!   stays idempotent in two layers: every write first finds its record by its key field
//!   through COQL (no index lag, so a record written a second ago is found) and creates only
//!   when none exists; the key field is marked unique, so a create racing another create of
//!   the same key fails with `DUPLICATE_DATA`, which is read as "found" after a re-read.
//!   A second run of the same sync finds every record and writes nothing (an amended event
//!   updates the found call and tasks).
//! * **The missed call** is a `Calls` record with `Call_Type: Missed`, linked by `Who_Id`
//!   to a contact, or by `What_Id` + `$se_module: Leads` to a lead.
//! * **Times** are ISO 8601 with an explicit offset, computed for each instant (DST) in the
//!   configured API user's zone, else the location's. `Due_Date` is a date: the SLA instant
//!   goes into `Remind_At` (a popup alarm at that instant) and the configured DateTime field.

use chrono::TimeZone;
use serde_json::{json, Map, Value};

use crate::error::Result;
use crate::model::crm::{ConsentSet, Contact, ContactKind, Phone};
use crate::model::policy::Channel;
use crate::model::time::Timestamp;

use super::config::Config;
use super::http::{bad_body, encode, id_text, revoked_flag, text, Request, Response};
use super::plan::{Priority, Write};
use super::{national, Caller, Context, Mode, Read, Then};

/// The Zoho adapter.
pub(crate) struct Zoho;

const LEAD_PHONES: [&str; 2] = ["Phone", "Mobile"];
const CONTACT_PHONES: [&str; 5] = ["Phone", "Mobile", "Other_Phone", "Home_Phone", "Asst_Phone"];

fn base(config: &Config) -> String {
    format!("/crm/{}", config.zoho.api_version)
}

fn coql_quote(s: &str) -> String {
    s.replace('\\', "\\\\").replace('\'', "\\'")
}

fn coql(config: &Config, query: String) -> Request {
    Request::json(
        "POST",
        format!("{}/coql", base(config)),
        &json!({ "select_query": query }),
    )
}

/// The fields a COQL read of leads selects.
fn lead_fields(config: &Config) -> String {
    let z = &config.zoho;
    let mut f = vec![
        "id",
        "First_Name",
        "Last_Name",
        "Phone",
        "Mobile",
        "Owner",
        "Email_Opt_Out",
        z.lead_key_field.as_str(),
    ];
    f.extend(z.do_not_call_field.as_deref());
    f.extend(z.sms_opt_out_field.as_deref());
    f.join(", ")
}

fn lookup_requests(config: &Config, caller: &Caller, key: &str) -> Vec<Request> {
    let nat = encode(&national(&caller.e164));
    vec![
        Request::get(format!("{}/Leads/search?phone={nat}", base(config))),
        Request::get(format!("{}/Contacts/search?phone={nat}", base(config))),
        coql(
            config,
            format!(
                "select {} from Leads where {} = '{}' limit 5",
                lead_fields(config),
                config.zoho.lead_key_field,
                coql_quote(key)
            ),
        ),
    ]
}

fn contact_of(
    config: &Config,
    kind: ContactKind,
    v: &Value,
    path: &str,
) -> Result<Option<Contact>> {
    if v.get("$converted").and_then(Value::as_bool) == Some(true) {
        return Ok(None);
    }
    let id = id_text(v.get("id"))
        .ok_or_else(|| bad_body(&format!("{path}.id"), "expected the record id"))?;
    let fields: &[&str] = if kind == ContactKind::Lead {
        &LEAD_PHONES
    } else {
        &CONTACT_PHONES
    };
    let z = &config.zoho;
    Ok(Some(Contact {
        phones: fields
            .iter()
            .filter_map(|k| text(v, k))
            .map(Phone::Plain)
            .collect(),
        emails: text(v, "Email").into_iter().collect(),
        first_name: text(v, "First_Name"),
        last_name: text(v, "Last_Name"),
        consent: ConsentSet {
            email: revoked_flag(v, Some("Email_Opt_Out"), "zoho"),
            voice: revoked_flag(v, z.do_not_call_field.as_deref(), "zoho"),
            sms: revoked_flag(v, z.sms_opt_out_field.as_deref(), "zoho"),
        },
        owner_id: v.get("Owner").and_then(|o| id_text(o.get("id"))),
        upsert_key: text(v, &z.lead_key_field),
        ..Contact::new(id, kind)
    }))
}

/// The records of a search or COQL answer (`data[]`); `204` is none.
fn records(r: &Response, what: &str) -> Result<Vec<Value>> {
    if r.status == 204 {
        return Ok(Vec::new());
    }
    let v = r.json(what)?;
    if v.is_null() {
        return Ok(Vec::new());
    }
    v.get("data")
        .and_then(Value::as_array)
        .cloned()
        .ok_or_else(|| bad_body("data", "expected the records (data[])"))
}

fn read_lookup(config: &Config, index: usize, r: &Response) -> Result<Vec<Contact>> {
    if !r.is_success() {
        return Err(bad_body("", format!("the search answered {}", r.status)));
    }
    let kind = if index == 1 {
        ContactKind::Customer
    } else {
        ContactKind::Lead
    };
    let mut out = Vec::new();
    for (i, rec) in records(r, "search")?.iter().enumerate() {
        if let Some(c) = contact_of(config, kind, rec, &format!("data[{i}]"))? {
            out.push(c);
        }
    }
    Ok(out)
}

fn unwritable(config: &Config, channel: Channel) -> Option<String> {
    match channel {
        Channel::Voice if config.zoho.do_not_call_field.is_none() => {
            Some("Zoho has no standard do-not-call field: set zoho.do_not_call_field".to_string())
        }
        Channel::Sms if config.zoho.sms_opt_out_field.is_none() => {
            Some("Zoho has no standard SMS opt-out field: set zoho.sms_opt_out_field".to_string())
        }
        _ => None,
    }
}

/// An instant as Zoho writes it: ISO 8601 with the offset of the configured zone (else the
/// location's) at that instant.
pub(crate) fn zoned(config: &Config, t: Timestamp) -> String {
    const FORMAT: &str = "%Y-%m-%dT%H:%M:%S%:z";
    match config
        .zoho
        .time_zone
        .as_deref()
        .and_then(|z| z.parse::<chrono_tz::Tz>().ok())
    {
        Some(tz) => tz
            .from_utc_datetime(&t.utc().naive_utc())
            .format(FORMAT)
            .to_string(),
        None => t.0.format(FORMAT).to_string(),
    }
}

fn zoned_date(config: &Config, t: Timestamp) -> String {
    zoned(config, t).get(..10).unwrap_or_default().to_string()
}

fn priority(p: Priority) -> &'static str {
    match p {
        Priority::High => "High",
        Priority::Normal => "Normal",
        Priority::Low => "Low",
    }
}

/// `Who_Id` for a contact, `What_Id` + `$se_module` for a lead.
fn link(b: &mut Map<String, Value>, person: Option<(String, Option<ContactKind>)>) {
    match person {
        Some((id, Some(ContactKind::Lead))) => {
            b.insert("What_Id".into(), json!({ "id": id }));
            b.insert("$se_module".into(), json!("Leads"));
        }
        Some((id, _)) => {
            b.insert("Who_Id".into(), json!({ "id": id }));
        }
        None => {}
    }
}

fn module(kind: Option<ContactKind>) -> &'static str {
    match kind {
        Some(ContactKind::Lead) => "Leads",
        _ => "Contacts",
    }
}

fn owner(b: &mut Map<String, Value>, id: Option<&str>) {
    if let Some(o) = id {
        b.insert("Owner".into(), json!({ "id": o }));
    }
}

fn data(record: Map<String, Value>, trigger: &[String]) -> Value {
    json!({ "data": [Value::Object(record)], "trigger": trigger })
}

/// The module and key (field, value) of a keyed write.
fn keyed<'a>(
    config: &'a Config,
    write: &'a Write,
    ctx: &'a Context,
) -> Option<(&'static str, &'a str, &'a str)> {
    let z = &config.zoho;
    match write {
        Write::Call { .. } => Some(("Calls", z.call_key_field.as_str(), ctx.event_id.as_str())),
        Write::Task { key, .. } => Some(("Tasks", z.task_key_field.as_str(), key.as_str())),
        _ => None,
    }
}

fn record_body(config: &Config, write: &Write, ctx: &Context, create: bool) -> Map<String, Value> {
    let z = &config.zoho;
    let mut b = Map::new();
    match write {
        Write::Call {
            person,
            subject,
            body,
            ..
        } => {
            b.insert("Subject".into(), json!(subject));
            b.insert("Description".into(), json!(body));
            if create {
                b.insert("Call_Type".into(), json!("Missed"));
                // The decision's local time carries the location's offset at that instant.
                let at = Timestamp::parse(&ctx.occurred_at_local).unwrap_or(ctx.occurred_at);
                b.insert("Call_Start_Time".into(), json!(zoned(config, at)));
                link(&mut b, ctx.person(person));
                owner(&mut b, config.owners.owner(&ctx.location_id, 1));
                b.insert(z.call_key_field.clone(), json!(ctx.event_id));
            }
        }
        Write::Task {
            key,
            person,
            subject,
            body,
            due_at,
            priority: p,
            owner: o,
            ..
        } => {
            b.insert("Subject".into(), json!(subject));
            b.insert("Description".into(), json!(body));
            due_fields(&mut b, config, *due_at);
            b.insert("Priority".into(), json!(priority(*p)));
            if create {
                b.insert("Status".into(), json!("Not Started"));
                link(&mut b, ctx.person(person));
                owner(&mut b, o.as_deref());
                b.insert(z.task_key_field.clone(), json!(key));
            }
        }
        _ => {}
    }
    b
}

fn due_fields(b: &mut Map<String, Value>, config: &Config, due_at: Timestamp) {
    b.insert("Due_Date".into(), json!(zoned_date(config, due_at)));
    b.insert(
        "Remind_At".into(),
        json!({ "ALARM": format!("ACTION=POPUP;TRIGGER=DATE-TIME:{}", zoned(config, due_at)) }),
    );
    if let Some(f) = &config.zoho.due_at_field {
        b.insert(f.clone(), json!(zoned(config, due_at)));
    }
}

fn request(config: &Config, write: &Write, mode: &Mode, ctx: &Context) -> Result<Request> {
    let z = &config.zoho;
    let put = |module: &str, id: &str, b: Map<String, Value>| {
        Request::json(
            "PUT",
            format!("{}/{module}/{}", base(config), encode(id)),
            &data(b, &[]),
        )
    };
    Ok(match write {
        Write::Lead {
            key,
            phone,
            first_name,
            last_name,
        } => {
            if *mode == Mode::Reread {
                return Ok(coql(
                    config,
                    format!(
                        "select id from Leads where {} = '{}' limit 2",
                        z.lead_key_field,
                        coql_quote(key)
                    ),
                ));
            }
            let mut b = Map::new();
            b.insert("Last_Name".into(), json!(last_name));
            if let Some(f) = first_name {
                b.insert("First_Name".into(), json!(f));
            }
            b.insert("Company".into(), json!(z.lead_company));
            if let Some(p) = phone {
                b.insert("Phone".into(), json!(p));
            }
            if let Some(s) = &z.lead_source {
                b.insert("Lead_Source".into(), json!(s));
            }
            b.insert(z.lead_key_field.clone(), json!(key));
            owner(&mut b, config.owners.owner(&ctx.location_id, 1));
            Request::json(
                "POST",
                format!("{}/Leads/upsert", base(config)),
                &json!({
                    "data": [Value::Object(b)],
                    "duplicate_check_fields": [z.lead_key_field],
                    "trigger": z.trigger,
                }),
            )
        }
        Write::Call { .. } | Write::Task { .. } => {
            let Some((module, field, key)) = keyed(config, write, ctx) else {
                return Err(crate::error::Error::new(
                    crate::error::ErrorCode::Internal,
                    "",
                    "a keyed write without a key",
                ));
            };
            match mode {
                Mode::Create => Request::json(
                    "POST",
                    format!("{}/{module}", base(config)),
                    &data(record_body(config, write, ctx, true), &[]),
                ),
                Mode::Then { id, .. } => put(module, id, record_body(config, write, ctx, false)),
                _ => coql(
                    config,
                    format!(
                        "select id from {module} where {field} = '{}' limit 2",
                        coql_quote(key)
                    ),
                ),
            }
        }
        Write::MoveTask {
            task_id,
            due_at,
            body,
        } => {
            let mut b = Map::new();
            due_fields(&mut b, config, *due_at);
            b.insert("Description".into(), json!(body));
            put("Tasks", task_id, b)
        }
        Write::OptOut { person, channels } => {
            let (id, kind) = ctx.required_person(person)?;
            let mut b = Map::new();
            for c in channels {
                let field = match c {
                    Channel::Email => Some("Email_Opt_Out"),
                    Channel::Voice => z.do_not_call_field.as_deref(),
                    Channel::Sms => z.sms_opt_out_field.as_deref(),
                };
                if let Some(f) = field {
                    b.insert(f.to_string(), json!(true));
                }
            }
            put(module(kind), &id, b)
        }
    })
}

/// The first entry of a write answer's `data[]`: `Ok((id, action))` on success, else the
/// error's code, message and the duplicate record's id when Zoho names it.
/// A write's result: the id and action, or the error's code, message and duplicate id.
type Entry =
    std::result::Result<(Option<String>, Option<String>), (String, String, Option<String>)>;

fn entry(v: &Value) -> Result<Entry> {
    let e = v
        .get("data")
        .and_then(Value::as_array)
        .and_then(|l| l.first())
        .ok_or_else(|| bad_body("data", "expected the write's result (data[0])"))?;
    let details = e.get("details");
    let id = details.and_then(|d| id_text(d.get("id")));
    let action = e.get("action").and_then(Value::as_str).map(str::to_string);
    match e.get("status").and_then(Value::as_str) {
        Some("success") => Ok(Ok((id, action))),
        Some(_) => {
            let code = e
                .get("code")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let msg = e
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let dup = details
                .and_then(|d| d.get("duplicate_record"))
                .and_then(|d| id_text(d.get("id")))
                .or(id);
            Ok(Err((code, msg, dup)))
        }
        None => Err(bad_body("data[0].status", "expected success or error")),
    }
}

fn object_of(write: &Write, ctx: &Context) -> &'static str {
    match write {
        Write::Lead { .. } => "Leads",
        Write::Call { .. } => "Calls",
        Write::Task { .. } | Write::MoveTask { .. } => "Tasks",
        Write::OptOut { person, .. } => module(ctx.person(person).and_then(|p| p.1)),
    }
}

fn read(_config: &Config, write: &Write, mode: &Mode, ctx: &Context, r: &Response) -> Result<Read> {
    let object = object_of(write, ctx);
    let is_find = matches!(mode, Mode::Normal | Mode::Reread)
        && matches!(write, Write::Call { .. } | Write::Task { .. })
        || (*mode == Mode::Reread && matches!(write, Write::Lead { .. }));
    if is_find {
        if !(r.is_success()) {
            return Ok(Read::Rejected(format!(
                "the COQL query answered {}",
                r.status
            )));
        }
        let found = records(r, object)?;
        let id = match found.first() {
            Some(rec) => Some(
                id_text(rec.get("id"))
                    .ok_or_else(|| bad_body("data[0].id", "expected the record id"))?,
            ),
            None => None,
        };
        let update = match write {
            Write::Call { update, .. } | Write::Task { update, .. } => *update,
            _ => false,
        };
        return Ok(match (id, mode) {
            (Some(id), _) if update => Read::Again(Mode::Then {
                id,
                created: Some(false),
                then: Then::Amend,
            }),
            (Some(id), _) => Read::found(id, object),
            (None, Mode::Normal) => Read::Again(Mode::Create),
            (None, _) => Read::Rejected(format!(
                "{object}: the key is taken but no record reads back by it"
            )),
        });
    }
    let v = r.json(object)?;
    match r.status {
        200..=202 | 207 | 400 => match entry(&v) {
            Ok(Ok((id, action))) => {
                let created = match (mode, action.as_deref()) {
                    (_, Some("insert")) => Some(true),
                    (_, Some("update")) => Some(false),
                    (Mode::Create, _) => Some(true),
                    (Mode::Then { created, .. }, _) => *created,
                    _ => Some(false),
                };
                let id = match (id, mode, write) {
                    (Some(id), _, _) => Some(id),
                    (None, Mode::Then { id, .. }, _) => Some(id.clone()),
                    (None, _, Write::MoveTask { task_id, .. }) => Some(task_id.clone()),
                    (None, _, Write::OptOut { person, .. }) => ctx.person(person).map(|p| p.0),
                    (None, _, _) => {
                        return Err(bad_body("data[0].details.id", "expected the record id"))
                    }
                };
                Ok(Read::Done {
                    id,
                    created,
                    object: object.to_string(),
                })
            }
            Ok(Err((code, _, Some(dup)))) if code == "DUPLICATE_DATA" => {
                Ok(Read::found(dup, object))
            }
            Ok(Err((code, _, None))) if code == "DUPLICATE_DATA" => Ok(Read::Again(Mode::Reread)),
            Ok(Err((code, msg, _))) => Ok(Read::Rejected(format!("{code}: {msg}"))),
            Err(e) if r.status == 400 => Ok(Read::Rejected(format!(
                "400: {} ({})",
                v.get("message").and_then(Value::as_str).unwrap_or(""),
                e.message
            ))),
            Err(e) => Err(e),
        },
        204 => Ok(Read::Rejected(format!(
            "{object}: the write answered 204 without a result"
        ))),
        other => Ok(Read::Rejected(format!(
            "{other}: {} {}",
            v.get("code").and_then(Value::as_str).unwrap_or(""),
            v.get("message").and_then(Value::as_str).unwrap_or("")
        ))),
    }
}

super::adapter::forward_to_functions!(Zoho);
