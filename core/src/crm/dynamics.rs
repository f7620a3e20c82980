//! Microsoft Dynamics 365 / Dataverse (Web API v9.2). Facts from Microsoft Learn (phonecall,
//! activityparty and task references; upsert, conditional operations, API limits) as
//! summarized in the CRM research.
//!
//! * **Lookup.** Dataverse has no phone search; `$filter` is SQL-backed (no index lag) but
//!   compares stored strings exactly, so the contacts and open leads queries ask, in every
//!   phone column, for every format a number is commonly typed in (E.164, `1` + national,
//!   national digits, `(602) 555-0143`, `602-555-0143`, `602.555.0143`, `602 555 0143`,
//!   `+1 602 555 0143`, `+1 602-555-0143`, `1-602-555-0143`, `+1 (602) 555-0143`) with
//!   `startswith`, so that a stored extension still matches; the leads query also matches
//!   the upsert key. Hits are then compared by E.164.
//! * **Leads** are created by their alternate key, create-only:
//!   `PATCH leads(ringback_key='…')` with `If-None-Match: *`; `412` means the key exists
//!   (a racing create won, or an earlier run): the lead is read back by key and reused.
//! * **The missed call** is a `phonecall` with `directioncode: false` (the column defaults to
//!   outgoing), regarding the lead or contact, with activity parties (the caller as sender,
//!   the owning user as recipient), created open by its alternate key (create-only), then
//!   closed as *Received* with a second request (`statecode 1`, `statuscode 4`): Dataverse
//!   does not take a state on create. A retry finds it by key (`412`), closes it if it is
//!   still open, and leaves it if it is closed; an amended event reopens it, updates it and
//!   closes it again (closed activities are read-only).
//! * **Tasks** are upserted by their alternate key (`PATCH tasks(ringback_taskkey='…')`) with
//!   `scheduledend` (the SLA instant, UTC), `prioritycode` 0/1/2, regarding the person, the
//!   owner a user (`/systemusers(id)`) or a team (owner ids written `team:<id>`).
//! * **Opt-outs**: `donotphone`, `donotemail`, and a configured SMS column.
//! * 429 with `Retry-After` is the machine's retry; `Prefer: return=representation` makes
//!   writes answer with the record (201 created, 200 updated) instead of a bare 204.

use serde_json::{json, Map, Value};

use crate::error::Result;
use crate::model::crm::{ConsentSet, Contact, ContactKind, Phone};
use crate::model::policy::Channel;
use crate::model::time::Timestamp;

use super::config::Config;
use super::http::{bad_body, encode, revoked_flag, text, Request, Response};
use super::plan::{Priority, Write};
use super::{national, Caller, Context, Mode, Read, Then};

/// The Dynamics adapter.
pub(crate) struct Dynamics;

const PHONES: [&str; 4] = ["telephone1", "telephone2", "telephone3", "mobilephone"];

fn base(config: &Config) -> String {
    format!("/api/data/{}", config.dynamics.api_version)
}

fn odata_quote(s: &str) -> String {
    s.replace('\'', "''")
}

/// The formats a number may be stored in.
pub(crate) fn variants(e164: &str) -> Vec<String> {
    let nat = national(e164);
    let mut v = vec![e164.to_string(), nat.clone()];
    if e164.starts_with("+1") && nat.len() == 10 {
        let (a, b, c) = (&nat[..3], &nat[3..6], &nat[6..]);
        v.extend([
            format!("1{nat}"),
            format!("({a}) {b}-{c}"),
            format!("{a}-{b}-{c}"),
            format!("{a}.{b}.{c}"),
            format!("{a} {b} {c}"),
            format!("+1 {a} {b} {c}"),
            format!("+1 {a}-{b}-{c}"),
            format!("1-{a}-{b}-{c}"),
            format!("+1 ({a}) {b}-{c}"),
        ]);
    }
    v
}

fn with_odata(mut r: Request) -> Request {
    r.headers.push(("OData-MaxVersion".into(), "4.0".into()));
    r.headers.push(("OData-Version".into(), "4.0".into()));
    r
}

fn get(path: String) -> Request {
    let mut r = with_odata(Request::get(path));
    r.headers.push(("If-None-Match".into(), "null".into()));
    r
}

fn select(config: &Config, set: &str) -> String {
    let d = &config.dynamics;
    let id = if set == "leads" {
        "leadid"
    } else {
        "contactid"
    };
    let mut f = vec![
        id,
        "firstname",
        "lastname",
        "emailaddress1",
        "donotphone",
        "donotemail",
        "_ownerid_value",
        "statecode",
    ];
    f.extend(PHONES);
    if set == "leads" {
        f.push(&d.lead_key);
    }
    f.extend(d.sms_opt_out_field.as_deref());
    f.join(",")
}

fn lookup_requests(config: &Config, caller: &Caller, key: &str) -> Vec<Request> {
    let forms = variants(&caller.e164);
    let phone_terms = |set: &str| -> String {
        let mut t = Vec::new();
        for col in PHONES {
            for f in &forms {
                // startswith: a stored extension (`602-555-0143 x12`) still matches.
                t.push(format!("startswith({col},'{}')", odata_quote(f)));
            }
        }
        let _ = set;
        t.join(" or ")
    };
    let contacts = format!("({}) and statecode eq 0", phone_terms("contacts"));
    let leads = format!(
        "({} or {} eq '{}') and statecode eq 0",
        phone_terms("leads"),
        config.dynamics.lead_key,
        odata_quote(key)
    );
    ["contacts", "leads"]
        .iter()
        .zip([contacts, leads])
        .map(|(set, filter)| {
            let mut r = get(format!(
                "{}/{set}?$select={}&$filter={}&$top=50",
                base(config),
                select(config, set),
                encode(&filter)
            ));
            r.headers.push((
                "Prefer".into(),
                "odata.include-annotations=\"Microsoft.Dynamics.CRM.lookuplogicalname\"".into(),
            ));
            r
        })
        .collect()
}

fn read_lookup(config: &Config, index: usize, r: &Response) -> Result<Vec<Contact>> {
    if !r.is_success() {
        return Err(bad_body("", format!("the query answered {}", r.status)));
    }
    let (kind, id_col) = if index == 0 {
        (ContactKind::Customer, "contactid")
    } else {
        (ContactKind::Lead, "leadid")
    };
    let v = r.json("query")?;
    let list = v
        .get("value")
        .and_then(Value::as_array)
        .ok_or_else(|| bad_body("value", "expected the rows (value[])"))?;
    let d = &config.dynamics;
    let mut out = Vec::new();
    for (i, row) in list.iter().enumerate() {
        if row
            .get("statecode")
            .and_then(Value::as_i64)
            .is_some_and(|s| s != 0)
        {
            continue;
        }
        let id = text(row, id_col)
            .ok_or_else(|| bad_body(&format!("value[{i}].{id_col}"), "expected the record id"))?;
        out.push(Contact {
            phones: PHONES
                .iter()
                .filter_map(|k| text(row, k))
                .map(Phone::Plain)
                .collect(),
            emails: text(row, "emailaddress1").into_iter().collect(),
            first_name: text(row, "firstname"),
            last_name: text(row, "lastname"),
            consent: ConsentSet {
                voice: revoked_flag(row, Some("donotphone"), "dynamics"),
                email: revoked_flag(row, Some("donotemail"), "dynamics"),
                sms: revoked_flag(row, d.sms_opt_out_field.as_deref(), "dynamics"),
            },
            owner_id: text(row, "_ownerid_value").map(|o| {
                match row
                    .get("_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname")
                    .and_then(Value::as_str)
                {
                    Some("team") => format!("team:{o}"),
                    _ => o,
                }
            }),
            upsert_key: if index == 1 {
                text(row, &d.lead_key)
            } else {
                None
            },
            ..Contact::new(id, kind)
        });
    }
    Ok(out)
}

fn unwritable(config: &Config, channel: Channel) -> Option<String> {
    match channel {
        Channel::Sms if config.dynamics.sms_opt_out_field.is_none() => Some(
            "Dataverse has no standard SMS opt-out column: set dynamics.sms_opt_out_field"
                .to_string(),
        ),
        _ => None,
    }
}

fn utc(t: Timestamp) -> String {
    t.utc().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn priority(p: Priority) -> u8 {
    match p {
        Priority::Low => 0,
        Priority::Normal => 1,
        Priority::High => 2,
    }
}

/// The entity set and logical name of a person.
fn entity(kind: Option<ContactKind>) -> (&'static str, &'static str) {
    match kind {
        Some(ContactKind::Lead) => ("leads", "lead"),
        _ => ("contacts", "contact"),
    }
}

/// `ownerid@odata.bind` for an owner id (`team:<id>` a team, else a user).
fn owner_bind(owner: &str) -> String {
    match owner.strip_prefix("team:") {
        Some(t) => format!("/teams({t})"),
        None => format!("/systemusers({owner})"),
    }
}

fn keyed_path(config: &Config, set: &str, column: &str, key: &str) -> String {
    format!(
        "{}/{set}({column}='{}')",
        base(config),
        encode(&odata_quote(key))
    )
}

fn write_req(
    method: &str,
    path: String,
    body: &Map<String, Value>,
    extra: &[(&str, &str)],
) -> Request {
    let mut r = with_odata(Request::json(method, path, &Value::Object(body.clone())));
    r.headers
        .push(("Prefer".into(), "return=representation".into()));
    for (k, v) in extra {
        r.headers.push(((*k).to_string(), (*v).to_string()));
    }
    r
}

fn phonecall_body(config: &Config, write: &Write, ctx: &Context) -> Map<String, Value> {
    let mut b = Map::new();
    if let Write::Call {
        person,
        subject,
        body,
        voicemail,
        ..
    } = write
    {
        b.insert("subject".into(), json!(subject));
        b.insert("description".into(), json!(body));
        if let Some(c) = &ctx.caller {
            b.insert("phonenumber".into(), json!(c));
        }
        b.insert("directioncode".into(), json!(false));
        b.insert("actualstart".into(), json!(utc(ctx.occurred_at)));
        b.insert("actualend".into(), json!(utc(ctx.occurred_at)));
        b.insert("actualdurationminutes".into(), json!(0));
        b.insert("leftvoicemail".into(), json!(voicemail));
        b.insert("prioritycode".into(), json!(1));
        let owner = config.owners.owner(&ctx.location_id, 1);
        let mut parties = Vec::new();
        if let Some((id, kind)) = ctx.person(person) {
            let (set, logical) = entity(kind);
            b.insert(
                format!("regardingobjectid_{logical}_phonecall@odata.bind"),
                json!(format!("/{set}({id})")),
            );
            parties.push(json!({
                format!("partyid_{logical}@odata.bind"): format!("/{set}({id})"),
                "participationtypemask": 1,
            }));
        }
        if let Some(o) = owner.filter(|o| !o.starts_with("team:")) {
            parties.push(json!({
                "partyid_systemuser@odata.bind": format!("/systemusers({o})"),
                "participationtypemask": 2,
            }));
        }
        if !parties.is_empty() {
            b.insert("phonecall_activity_parties".into(), Value::Array(parties));
        }
        if let Some(o) = owner {
            b.insert("ownerid@odata.bind".into(), json!(owner_bind(o)));
        }
    }
    b
}

fn request(config: &Config, write: &Write, mode: &Mode, ctx: &Context) -> Result<Request> {
    let d = &config.dynamics;
    Ok(match write {
        Write::Lead {
            key,
            phone,
            first_name,
            last_name,
        } => {
            let path = keyed_path(config, "leads", &d.lead_key, key);
            if *mode == Mode::Reread {
                return Ok(get(format!("{path}?$select=leadid")));
            }
            let mut b = Map::new();
            b.insert(
                "subject".into(),
                json!(format!(
                    "Missed call from {}",
                    phone.as_deref().unwrap_or("a withheld number")
                )),
            );
            b.insert("lastname".into(), json!(last_name));
            if let Some(f) = first_name {
                b.insert("firstname".into(), json!(f));
            }
            if let Some(c) = &d.lead_company {
                b.insert("companyname".into(), json!(c));
            }
            if let Some(p) = phone {
                b.insert("mobilephone".into(), json!(p));
            }
            if let Some(o) = config.owners.owner(&ctx.location_id, 1) {
                b.insert("ownerid@odata.bind".into(), json!(owner_bind(o)));
            }
            // The key is in the URL, not the body (Dataverse's rule for alternate keys).
            write_req("PATCH", path, &b, &[("If-None-Match", "*")])
        }
        Write::Call { .. } => {
            let path = keyed_path(config, "phonecalls", &d.phonecall_key, &ctx.event_id);
            match mode {
                Mode::Reread => get(format!("{path}?$select=activityid,statecode")),
                Mode::Then { id, then, .. } => {
                    let by_id = format!("{}/phonecalls({id})", base(config));
                    let b = match then {
                        Then::Close => json!({"statecode": 1, "statuscode": 4}),
                        Then::Reopen => json!({"statecode": 0, "statuscode": 1}),
                        _ => {
                            let full = phonecall_body(config, write, ctx);
                            let mut b = Map::new();
                            for k in ["subject", "description", "leftvoicemail"] {
                                if let Some(v) = full.get(k) {
                                    b.insert(k.into(), v.clone());
                                }
                            }
                            Value::Object(b)
                        }
                    };
                    let mut r = with_odata(Request::json("PATCH", by_id, &b));
                    r.headers.push(("If-Match".into(), "*".into()));
                    r
                }
                _ => write_req(
                    "PATCH",
                    path,
                    &phonecall_body(config, write, ctx),
                    &[("If-None-Match", "*")],
                ),
            }
        }
        Write::Task {
            key,
            person,
            subject,
            body,
            due_at,
            priority: p,
            owner,
            ..
        } => {
            let mut b = Map::new();
            b.insert("subject".into(), json!(subject));
            b.insert("description".into(), json!(body));
            b.insert("scheduledend".into(), json!(utc(*due_at)));
            b.insert("prioritycode".into(), json!(priority(*p)));
            if let Some((id, kind)) = ctx.person(person) {
                let (set, logical) = entity(kind);
                b.insert(
                    format!("regardingobjectid_{logical}_task@odata.bind"),
                    json!(format!("/{set}({id})")),
                );
            }
            if let Some(o) = owner {
                b.insert("ownerid@odata.bind".into(), json!(owner_bind(o)));
            }
            write_req(
                "PATCH",
                keyed_path(config, "tasks", &d.task_key, key),
                &b,
                &[],
            )
        }
        Write::MoveTask {
            task_id,
            due_at,
            body,
        } => {
            let mut b = Map::new();
            b.insert("scheduledend".into(), json!(utc(*due_at)));
            b.insert("description".into(), json!(body));
            write_req(
                "PATCH",
                format!("{}/tasks({task_id})", base(config)),
                &b,
                &[("If-Match", "*")],
            )
        }
        Write::OptOut { person, channels } => {
            let (id, kind) = ctx.required_person(person)?;
            let mut b = Map::new();
            for c in channels {
                let col = match c {
                    Channel::Voice => Some("donotphone"),
                    Channel::Email => Some("donotemail"),
                    Channel::Sms => d.sms_opt_out_field.as_deref(),
                };
                if let Some(col) = col {
                    b.insert(col.into(), json!(true));
                }
            }
            let (set, _) = entity(kind);
            write_req(
                "PATCH",
                format!("{}/{set}({id})", base(config)),
                &b,
                &[("If-Match", "*")],
            )
        }
    })
}

/// The GUID in an `OData-EntityId` header (`…/leads(<guid>)`).
fn entity_id(r: &Response) -> Option<String> {
    let h = r.header("OData-EntityId")?;
    let open = h.rfind('(')?;
    let close = h.rfind(')')?;
    (close > open + 1).then(|| h[open + 1..close].to_string())
}

fn object_of(write: &Write, ctx: &Context) -> &'static str {
    match write {
        Write::Lead { .. } => "leads",
        Write::Call { .. } => "phonecalls",
        Write::Task { .. } | Write::MoveTask { .. } => "tasks",
        Write::OptOut { person, .. } => entity(ctx.person(person).and_then(|p| p.1)).0,
    }
}

fn error_text(v: &Value) -> String {
    let e = v.get("error");
    format!(
        "{} {}",
        e.and_then(|e| e.get("code"))
            .and_then(Value::as_str)
            .unwrap_or(""),
        e.and_then(|e| e.get("message"))
            .and_then(Value::as_str)
            .unwrap_or("")
    )
    .trim()
    .to_string()
}

fn read(_config: &Config, write: &Write, mode: &Mode, ctx: &Context, r: &Response) -> Result<Read> {
    let object = object_of(write, ctx);
    let v = r.json(object)?;
    let id_col = match write {
        Write::Lead { .. } => "leadid",
        _ => "activityid",
    };
    let record_id = || -> Option<String> {
        v.get(id_col)
            .and_then(Value::as_str)
            .map(str::to_string)
            .or_else(|| entity_id(r))
    };
    if let Mode::Then { id, created, then } = mode {
        if !r.is_success() {
            return Ok(Read::Rejected(format!(
                "{object}({id}): {} {}",
                r.status,
                error_text(&v)
            )));
        }
        return Ok(match then {
            Then::Reopen => Read::Again(Mode::Then {
                id: id.clone(),
                created: *created,
                then: Then::Amend,
            }),
            Then::Amend => Read::Again(Mode::Then {
                id: id.clone(),
                created: *created,
                then: Then::Close,
            }),
            _ => Read::Done {
                id: Some(id.clone()),
                created: *created,
                object: object.to_string(),
            },
        });
    }
    if *mode == Mode::Reread {
        if r.status == 404 {
            return Ok(Read::Rejected(format!(
                "{object}: the key exists (412) but does not read back (404): is the alternate key active?"
            )));
        }
        if !r.is_success() {
            return Ok(Read::Rejected(format!(
                "{object}: {} {}",
                r.status,
                error_text(&v)
            )));
        }
        let id = record_id().ok_or_else(|| bad_body(id_col, "expected the record id"))?;
        if let Write::Call { update, .. } = write {
            let open = v.get("statecode").and_then(Value::as_i64) == Some(0);
            let then = match (open, update) {
                (true, false) => Then::Close,
                (true, true) => Then::Amend,
                (false, true) => Then::Reopen,
                (false, false) => return Ok(Read::found(id, object)),
            };
            return Ok(Read::Again(Mode::Then {
                id,
                created: Some(false),
                then,
            }));
        }
        return Ok(Read::found(id, object));
    }
    match r.status {
        200 | 201 | 204 => {
            let id = record_id().or_else(|| match write {
                Write::MoveTask { task_id, .. } => Some(task_id.clone()),
                Write::OptOut { person, .. } => ctx.person(person).map(|p| p.0),
                _ => None,
            });
            let created = match r.status {
                201 => Some(true),
                200 => Some(false),
                _ => None,
            };
            if let Write::Call { .. } = write {
                let id = id.ok_or_else(|| bad_body(id_col, "expected the phone call's id"))?;
                return Ok(Read::Again(Mode::Then {
                    id,
                    created: created.or(Some(true)),
                    then: Then::Close,
                }));
            }
            let id = match (id, write) {
                (Some(id), _) => Some(id),
                (None, Write::Lead { .. } | Write::Task { .. }) => {
                    return Err(bad_body(
                        id_col,
                        "expected the record id (body or OData-EntityId)",
                    ))
                }
                (None, _) => None,
            };
            Ok(Read::Done {
                id,
                created,
                object: object.to_string(),
            })
        }
        // Create-only and the key exists.
        412 => Ok(Read::Again(Mode::Reread)),
        404 => Ok(Read::Rejected(format!(
            "{object}: 404 {} (is the alternate key defined and active?)",
            error_text(&v)
        ))),
        other => Ok(Read::Rejected(format!(
            "{object}: {other} {}",
            error_text(&v)
        ))),
    }
}

super::adapter::forward_to_functions!(Dynamics);
