//! The Zoho CRM v7 fake. What it enforces, as Zoho documents it:
//!
//! * `GET /{Leads,Contacts}/search?phone=` searches every phone field (a value of at least
//!   two characters; "equals behaves like contains", on the digits) and sees a record only
//!   after `index_lag` further requests; no hit is `204` with an empty body.
//! * `POST /coql` (`select … from M where F = 'v' limit n`) reads committed data at once;
//!   no row is `204`.
//! * `POST /Leads/upsert` with `duplicate_check_fields` (only unique fields allowed) updates
//!   the lead holding the value (`action: update`) or inserts one (`action: insert`);
//!   `Last_Name` is mandatory.
//! * `POST /{Calls,Tasks}` inserts; the key fields (`Ringback_Event_Id`, `Ringback_Task_Key`)
//!   are unique ("Do not allow duplicate values"): a taken value is `DUPLICATE_DATA` with
//!   the existing record. Calls: `Subject`, `Call_Type` ∈ Inbound/Outbound/Missed, an offset
//!   on `Call_Start_Time`, `Who_Id` a contact, `What_Id` with `$se_module`. Tasks: `Due_Date`
//!   a date, `Status` and `Priority` from the default picklists, a `Remind_At` alarm.
//! * `PUT /{module}/{id}` updates; an unknown id is `INVALID_DATA`.

use serde_json::{json, Map, Value};

use crate::{answer, digits, query_param, HttpResponse, State};

const UNIQUE: [(&str, &str); 3] = [
    ("Leads", "Ringback_Key"),
    ("Calls", "Ringback_Event_Id"),
    ("Tasks", "Ringback_Task_Key"),
];
const PHONES: [&str; 6] = [
    "Phone",
    "Mobile",
    "Other_Phone",
    "Home_Phone",
    "Asst_Phone",
    "Fax",
];

fn error(status: u16, code: &str, message: &str, details: Value) -> HttpResponse {
    answer(
        status,
        json!({"data": [{"code": code, "details": details, "message": message, "status": "error"}]}),
    )
}

fn success(status: u16, id: &str, action: Option<&str>, message: &str) -> HttpResponse {
    let mut e = json!({"code": "SUCCESS", "details": {"id": id, "Modified_Time": "2026-11-24T09:15:00-07:00"},
                       "message": message, "status": "success"});
    if let Some(a) = action {
        e["action"] = json!(a);
    }
    answer(status, json!({ "data": [e] }))
}

fn offset_time(s: &str) -> bool {
    chrono_like(s)
}

/// `yyyy-MM-ddTHH:mm:ss±HH:mm`.
fn chrono_like(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 25
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && (b[19] == b'+' || b[19] == b'-')
        && b[22] == b':'
}

fn date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && s.bytes().filter(u8::is_ascii_digit).count() == 8
}

impl State {
    fn zo_record(&self, id: &str) -> Option<&crate::Rec> {
        self.map("zoho").get(id)
    }

    fn zo_find(&self, module: &str, field: &str, value: &str) -> Option<String> {
        self.map("zoho")
            .values()
            .find(|r| {
                r.object == module && r.fields.get(field).and_then(Value::as_str) == Some(value)
            })
            .map(|r| r.id.clone())
    }

    fn zo_json(r: &crate::Rec) -> Value {
        let mut v = Value::Object(r.fields.clone());
        v["id"] = json!(r.id);
        v
    }

    fn zo_check(&self, module: &str, f: &Map<String, Value>) -> Option<HttpResponse> {
        let bad = |field: &str, msg: &str| {
            Some(error(
                400,
                "INVALID_DATA",
                msg,
                json!({"api_name": field, "json_path": format!("$.data[0].{field}")}),
            ))
        };
        let mandatory = |field: &str| {
            Some(error(
                400,
                "MANDATORY_NOT_FOUND",
                "required field not found",
                json!({"api_name": field}),
            ))
        };
        match module {
            "Leads" if !f.get("Last_Name").is_some_and(Value::is_string) => mandatory("Last_Name"),
            "Calls" => {
                if !f.get("Subject").is_some_and(Value::is_string) {
                    return mandatory("Subject");
                }
                match f.get("Call_Type").and_then(Value::as_str) {
                    Some("Inbound" | "Outbound" | "Missed") => {}
                    _ => return bad("Call_Type", "invalid data"),
                }
                if let Some(t) = f.get("Call_Start_Time") {
                    if !t.as_str().is_some_and(offset_time) {
                        return bad("Call_Start_Time", "invalid data");
                    }
                }
                self.zo_links(f)
            }
            "Tasks" => {
                if !f.get("Subject").is_some_and(Value::is_string) {
                    return mandatory("Subject");
                }
                if !f.get("Due_Date").and_then(Value::as_str).is_some_and(date) {
                    return bad("Due_Date", "invalid data");
                }
                if !matches!(
                    f.get("Status").and_then(Value::as_str),
                    None | Some(
                        "Not Started"
                            | "Deferred"
                            | "In Progress"
                            | "Completed"
                            | "Waiting for input"
                    )
                ) {
                    return bad("Status", "invalid data");
                }
                if !matches!(
                    f.get("Priority").and_then(Value::as_str),
                    None | Some("Highest" | "High" | "Normal" | "Low" | "Lowest")
                ) {
                    return bad("Priority", "invalid data");
                }
                if let Some(a) = f.get("Remind_At") {
                    let ok = a
                        .get("ALARM")
                        .and_then(Value::as_str)
                        .and_then(|s| {
                            s.strip_prefix("ACTION=POPUP;TRIGGER=DATE-TIME:")
                                .or_else(|| s.strip_prefix("ACTION=EMAIL;TRIGGER=DATE-TIME:"))
                        })
                        .is_some_and(offset_time);
                    if !ok {
                        return bad("Remind_At", "invalid data");
                    }
                }
                self.zo_links(f)
            }
            _ => None,
        }
    }

    /// `Who_Id` must be a contact; `What_Id` needs `$se_module` naming its module.
    fn zo_links(&self, f: &Map<String, Value>) -> Option<HttpResponse> {
        let id_of = |k: &str| {
            f.get(k)
                .and_then(|v| v.get("id"))
                .and_then(Value::as_str)
                .map(str::to_string)
        };
        if let Some(who) = id_of("Who_Id") {
            if self.zo_record(&who).map(|r| r.object.as_str()) != Some("Contacts") {
                return Some(error(
                    400,
                    "INVALID_DATA",
                    "invalid data",
                    json!({"api_name": "Who_Id"}),
                ));
            }
        }
        if let Some(what) = id_of("What_Id") {
            let module = f.get("$se_module").and_then(Value::as_str);
            let Some(module) = module else {
                return Some(error(
                    400,
                    "MANDATORY_NOT_FOUND",
                    "required field not found",
                    json!({"api_name": "$se_module"}),
                ));
            };
            if self.zo_record(&what).map(|r| r.object.as_str()) != Some(module) {
                return Some(error(
                    400,
                    "INVALID_DATA",
                    "invalid data",
                    json!({"api_name": "What_Id"}),
                ));
            }
        }
        None
    }

    fn zo_insert(&mut self, module: &str, f: Map<String, Value>) -> HttpResponse {
        if let Some(e) = self.zo_check(module, &f) {
            return e;
        }
        for (m, field) in UNIQUE {
            if m == module {
                if let Some(v) = f.get(field).and_then(Value::as_str) {
                    if let Some(existing) = self.zo_find(module, field, v) {
                        return error(
                            400,
                            "DUPLICATE_DATA",
                            "duplicate data",
                            json!({"api_name": field, "json_path": format!("$.data[0].{field}"),
                                   "duplicate_record": {"module": {"api_name": module}, "id": existing}}),
                        );
                    }
                }
            }
        }
        let id = format!("{}", 5_725_767_000_000_000u64 + self.bump());
        self.insert("zoho", module, id.clone(), f);
        success(201, &id, Some("insert"), "record added")
    }

    pub(crate) fn zoho_api(
        &mut self,
        method: &str,
        rest: &[&str],
        full: &str,
        body: &Value,
    ) -> HttpResponse {
        let first = |b: &Value| {
            b.get("data")
                .and_then(|d| d.get(0))
                .and_then(Value::as_object)
                .cloned()
        };
        match (method, rest) {
            ("GET", [module @ ("Leads" | "Contacts"), "search"]) => {
                let phone = query_param(full, "phone").unwrap_or_default();
                if phone.chars().count() < 2 {
                    return answer(
                        400,
                        json!({"code": "INVALID_DATA", "details": {}, "message": "the search value must contain at least two characters", "status": "error"}),
                    );
                }
                let want = digits(&phone);
                let now = self.now();
                let hits: Vec<Value> = self
                    .map("zoho")
                    .values()
                    .filter(|r| r.object == *module && r.visible_from <= now)
                    .filter(|r| r.fields.get("$converted").and_then(Value::as_bool) != Some(true))
                    .filter(|r| {
                        !want.is_empty()
                            && PHONES.iter().any(|k| {
                                r.fields
                                    .get(*k)
                                    .and_then(Value::as_str)
                                    .is_some_and(|v| digits(v).contains(&want))
                            })
                    })
                    .map(Self::zo_json)
                    .collect();
                if hits.is_empty() {
                    return answer(204, Value::Null);
                }
                let n = hits.len();
                answer(
                    200,
                    json!({"data": hits, "info": {"per_page": 200, "count": n, "page": 1, "more_records": false}}),
                )
            }
            ("POST", ["coql"]) => {
                let q = body
                    .get("select_query")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                let Some((module, field, value)) = parse_coql(q) else {
                    return answer(
                        400,
                        json!({"code": "SYNTAX_ERROR", "details": {}, "message": "error at the query", "status": "error"}),
                    );
                };
                let rows: Vec<Value> = self
                    .map("zoho")
                    .values()
                    .filter(|r| {
                        r.object == module
                            && r.fields.get(&field).and_then(Value::as_str) == Some(value.as_str())
                    })
                    .map(Self::zo_json)
                    .collect();
                if rows.is_empty() {
                    return answer(204, Value::Null);
                }
                let n = rows.len();
                answer(
                    200,
                    json!({"data": rows, "info": {"count": n, "more_records": false}}),
                )
            }
            ("POST", ["Leads", "upsert"]) => {
                let Some(f) = first(body) else {
                    return answer(
                        400,
                        json!({"code": "INVALID_DATA", "message": "data missing", "status": "error"}),
                    );
                };
                let checks: Vec<String> = body
                    .get("duplicate_check_fields")
                    .and_then(Value::as_array)
                    .map(|l| {
                        l.iter()
                            .filter_map(Value::as_str)
                            .map(str::to_string)
                            .collect()
                    })
                    .unwrap_or_else(|| vec!["Email".to_string()]);
                for c in &checks {
                    if c != "Email" && !UNIQUE.contains(&("Leads", c.as_str())) {
                        return error(
                            400,
                            "INVALID_DATA",
                            "the field is not a unique field",
                            json!({"api_name": c}),
                        );
                    }
                }
                for c in &checks {
                    if let Some(v) = f.get(c).and_then(Value::as_str) {
                        if let Some(id) = self.zo_find("Leads", c, v) {
                            let lag = self.now() + self.index_lag;
                            if let Some(r) = self.map_mut("zoho").get_mut(&id) {
                                for (k, v) in &f {
                                    r.fields.insert(k.clone(), v.clone());
                                }
                                r.visible_from = lag;
                            }
                            let mut resp = success(200, &id, Some("update"), "record updated");
                            resp.body = resp.body.replacen(
                                "\"action\"",
                                &format!("\"duplicate_field\":\"{c}\",\"action\""),
                                1,
                            );
                            return resp;
                        }
                    }
                }
                self.zo_insert("Leads", f)
            }
            ("POST", [module @ ("Calls" | "Tasks" | "Leads" | "Contacts")]) => match first(body) {
                Some(f) => self.zo_insert(module, f),
                None => answer(
                    400,
                    json!({"code": "INVALID_DATA", "message": "data missing", "status": "error"}),
                ),
            },
            ("PUT", [module, id]) => {
                let Some(f) = first(body) else {
                    return answer(
                        400,
                        json!({"code": "INVALID_DATA", "message": "data missing", "status": "error"}),
                    );
                };
                let lag = self.now() + self.index_lag;
                let id = (*id).to_string();
                let exists = self.zo_record(&id).is_some_and(|r| r.object == *module);
                if !exists {
                    return error(
                        400,
                        "INVALID_DATA",
                        "the id given seems to be invalid",
                        json!({"id": id}),
                    );
                }
                if let Some(r) = self.map_mut("zoho").get_mut(&id) {
                    for (k, v) in f {
                        r.fields.insert(k, v);
                    }
                    r.visible_from = lag;
                }
                success(200, &id, None, "record updated")
            }
            _ => answer(
                404,
                json!({"code": "INVALID_URL_PATTERN", "message": "Please check if the URL trying to access is a correct one", "status": "error"}),
            ),
        }
    }
}

/// `select … from M where F = 'v' [limit n]` → (M, F, v).
fn parse_coql(q: &str) -> Option<(String, String, String)> {
    let lower = q.to_ascii_lowercase();
    let from = lower.find(" from ")? + 6;
    let rest = &q[from..];
    let (module, rest) = rest.trim_start().split_once(' ')?;
    let rest = rest.trim_start();
    let rest = rest
        .strip_prefix("where ")
        .or_else(|| rest.strip_prefix("WHERE "))?;
    let (field, rest) = rest.split_once(" = ")?;
    let rest = rest.trim_start().strip_prefix('\'')?;
    let mut value = String::new();
    let mut chars = rest.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => value.extend(chars.next()),
            '\'' => return Some((module.to_string(), field.trim().to_string(), value)),
            c => value.push(c),
        }
    }
    None
}
