//! The Pipedrive fake (API v2; v1 call logs, leads and merges). What it enforces, as
//! Pipedrive's SDK documents it, and what it deliberately does not:
//!
//! * **No uniqueness anywhere.** Two creates of the same person make two persons.
//! * `GET /api/v2/persons/search`: `term` of at least 2 characters (1 with `exact_match`);
//!   `fields=phone` matches on the digits, `fields=custom_fields` on the values (exactly,
//!   case-insensitively, with `exact_match`); the search index sees a person only after
//!   `index_lag` further requests. Items carry `phones` and `custom_fields` as bare strings.
//! * `POST /api/v2/persons` (`name` required), `PATCH /api/v2/persons/{id}`.
//! * `PUT /v1/persons/{id}/merge` with `merge_with_id`: the person `{id}` is merged into
//!   `merge_with_id` (which keeps its id and data); its activities, call logs and leads move
//!   to it; `{id}` is gone (a second merge of it is 404).
//! * `GET/POST/PATCH /api/v2/activities`: list by `person_id` (the primary participant) or
//!   `updated_since`, no index, in pages of `limit` (at most 500) with a `cursor`; `due_date` `YYYY-MM-DD`, `due_time` `HH:MM`.
//! * `POST /v1/callLogs`: `outcome` from the documented set, `to_phone_number`,
//!   `start_time`/`end_time` `YYYY-MM-DD HH:MM:SS`; an `activity_id` must be a `call`
//!   activity, and one already converted into a call log is a 409.
//! * `GET/POST /v1/leads` (`title` and `person_id` required; list by `person_id`, `data:
//!   null` when none).

use serde_json::{json, Map, Value};

use crate::{answer, digits, query_param, HttpResponse, State};

const OUTCOMES: [&str; 6] = [
    "connected",
    "no_answer",
    "left_message",
    "left_voicemail",
    "wrong_number",
    "busy",
];

fn fail(status: u16, error: &str) -> HttpResponse {
    answer(
        status,
        json!({"success": false, "error": error, "error_info": "Please check developers.pipedrive.com", "data": null, "additional_data": null}),
    )
}

fn ok(status: u16, data: Value) -> HttpResponse {
    answer(status, json!({"success": true, "data": data}))
}

fn pattern(s: &str, shape: &str) -> bool {
    s.len() == shape.len()
        && s.bytes().zip(shape.bytes()).all(|(c, p)| {
            if p == b'9' {
                c.is_ascii_digit()
            } else {
                c == p
            }
        })
}

fn num(v: Option<&Value>) -> Option<String> {
    match v {
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        _ => None,
    }
}

impl State {
    fn pd_get(&self, object: &str, id: &str) -> Option<&crate::Rec> {
        self.map("pipedrive").get(&format!("{object}/{id}"))
    }

    fn pd_new(&mut self, object: &str, id: String, mut f: Map<String, Value>) -> Value {
        f.insert(
            "id".into(),
            if object == "callLogs" || object == "leads" {
                json!(id)
            } else {
                json!(id.parse::<u64>().unwrap_or(0))
            },
        );
        f.insert(
            "update_time".into(),
            json!(self.twilio_now + i64::try_from(self.now()).unwrap_or(0)),
        );
        let v = Value::Object(f.clone());
        self.insert("pipedrive", object, format!("{object}/{id}"), f);
        v
    }

    fn pd_all(&self, object: &str) -> Vec<&crate::Rec> {
        self.map("pipedrive")
            .values()
            .filter(|r| r.object == object)
            .collect()
    }

    /// The persons the tests see: id → fields.
    pub fn pipedrive_persons(&self) -> Vec<(String, Map<String, Value>)> {
        self.records("pipedrive", "persons")
            .into_iter()
            .map(|(k, f)| (k.trim_start_matches("persons/").to_string(), f))
            .collect()
    }

    fn search_item(r: &crate::Rec) -> Value {
        let f = &r.fields;
        let phones: Vec<Value> = f
            .get("phones")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|p| {
                p.get("value")
                    .or(Some(p))
                    .and_then(Value::as_str)
                    .map(|s| json!(s))
            })
            .collect();
        let custom: Vec<Value> = f
            .get("custom_fields")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter_map(|(_, v)| v.as_str().map(|s| json!(s)))
            .collect();
        json!({"result_score": 1.0, "item": {
            "id": f.get("id"), "type": "person", "name": f.get("name"), "phones": phones, "emails": [],
            "visible_to": 3, "owner": {"id": f.get("owner_id")}, "organization": null,
            "custom_fields": custom, "notes": []}})
    }

    pub(crate) fn pipedrive_api(
        &mut self,
        method: &str,
        version: u8,
        rest: &[&str],
        full: &str,
        body: &Value,
    ) -> HttpResponse {
        let obj = body.as_object().cloned().unwrap_or_default();
        match (version, method, rest) {
            (2, "GET", ["persons", "search"]) => {
                let term = query_param(full, "term").unwrap_or_default();
                let exact = query_param(full, "exact_match").as_deref() == Some("true");
                if term.chars().count() < if exact { 1 } else { 2 } {
                    return fail(400, "term must be at least 2 characters long");
                }
                let fields = query_param(full, "fields")
                    .unwrap_or_else(|| "name,phone,email,custom_fields,notes".into());
                let now = self.now();
                let want = digits(&term);
                let items: Vec<Value> = self
                    .pd_all("persons")
                    .into_iter()
                    .filter(|r| r.visible_from <= now)
                    .filter(|r| {
                        let f = &r.fields;
                        let by_phone = fields.contains("phone")
                            && !want.is_empty()
                            && f.get("phones")
                                .and_then(Value::as_array)
                                .into_iter()
                                .flatten()
                                .any(|p| {
                                    let v = digits(
                                        p.get("value").and_then(Value::as_str).unwrap_or(""),
                                    );
                                    if exact {
                                        v == want
                                    } else {
                                        v.contains(&want)
                                    }
                                });
                        let by_custom = fields.contains("custom_fields")
                            && f.get("custom_fields")
                                .and_then(Value::as_object)
                                .into_iter()
                                .flatten()
                                .any(|(_, v)| {
                                    let v = v.as_str().unwrap_or("");
                                    if exact {
                                        v.eq_ignore_ascii_case(&term)
                                    } else {
                                        v.to_lowercase().contains(&term.to_lowercase())
                                    }
                                });
                        by_phone || by_custom
                    })
                    .map(Self::search_item)
                    .collect();
                answer(
                    200,
                    json!({"success": true, "data": {"items": items}, "additional_data": {"next_cursor": null}}),
                )
            }
            (2, "POST", ["persons"]) => {
                if obj
                    .get("name")
                    .and_then(Value::as_str)
                    .is_none_or(|s| s.trim().is_empty())
                {
                    return fail(400, "Name must be given.");
                }
                let id = self.bump().to_string();
                let v = self.pd_new("persons", id, obj);
                ok(200, v)
            }
            (2, "PATCH", [object @ ("persons" | "activities"), id]) => {
                let key = format!("{object}/{id}");
                let lag = self.now() + self.index_lag;
                let Some(r) = self.map_mut("pipedrive").get_mut(&key) else {
                    return fail(404, "Entity not found");
                };
                for (k, v) in obj {
                    if k == "custom_fields" {
                        let cf = r.fields.entry("custom_fields").or_insert(json!({}));
                        if let (Some(cf), Some(new)) = (cf.as_object_mut(), v.as_object()) {
                            for (a, b) in new {
                                cf.insert(a.clone(), b.clone());
                            }
                        }
                    } else {
                        r.fields.insert(k, v);
                    }
                }
                r.visible_from = lag;
                let v = Value::Object(r.fields.clone());
                ok(200, v)
            }
            (1, "PUT", ["persons", id, "merge"]) => {
                let Some(into) = num(obj.get("merge_with_id")) else {
                    return fail(400, "merge_with_id is required");
                };
                if *id == into {
                    return fail(400, "Cannot merge a person with itself");
                }
                if self.pd_get("persons", id).is_none() || self.pd_get("persons", &into).is_none() {
                    return fail(404, "Person not found");
                }
                let from_key = format!("persons/{id}");
                let gone = self.map_mut("pipedrive").remove(&from_key);
                // The merged person's phones join the survivor's; the survivor's data wins.
                let into_key = format!("persons/{into}");
                let into_num: u64 = into.parse().unwrap_or(0);
                let mut moved = Vec::new();
                for r in self.map_mut("pipedrive").values_mut() {
                    if num(r.fields.get("person_id")).as_deref() == Some(*id) {
                        r.fields.insert("person_id".into(), json!(into_num));
                        if let Some(p) = r
                            .fields
                            .get_mut("participants")
                            .and_then(Value::as_array_mut)
                        {
                            for x in p {
                                x["person_id"] = json!(into_num);
                            }
                        }
                        moved.push(r.id.clone());
                    }
                }
                if let (Some(gone), Some(survivor)) =
                    (gone, self.map_mut("pipedrive").get_mut(&into_key))
                {
                    let extra: Vec<Value> = gone
                        .fields
                        .get("phones")
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default();
                    if let Some(p) = survivor
                        .fields
                        .get_mut("phones")
                        .and_then(Value::as_array_mut)
                    {
                        for e in extra {
                            if !p.contains(&e) {
                                p.push(e);
                            }
                        }
                    }
                }
                let v = self
                    .pd_get("persons", &into)
                    .map(|r| Value::Object(r.fields.clone()))
                    .unwrap_or(Value::Null);
                ok(200, v)
            }
            (2, "GET", ["activities"]) => {
                let person = query_param(full, "person_id");
                let since = query_param(full, "updated_since");
                let limit: usize = query_param(full, "limit")
                    .and_then(|l| l.parse().ok())
                    .unwrap_or(100)
                    .clamp(1, 500);
                let start: usize = query_param(full, "cursor")
                    .and_then(|c| c.parse().ok())
                    .unwrap_or(0);
                let mut all: Vec<&crate::Rec> = self
                    .pd_all("activities")
                    .into_iter()
                    .filter(|r| person.is_none() || num(r.fields.get("person_id")) == person)
                    .filter(|r| since.is_none() || r.fields.get("update_time").is_some())
                    .collect();
                all.sort_by_key(|r| {
                    num(r.fields.get("id"))
                        .and_then(|i| i.parse::<u64>().ok())
                        .unwrap_or(0)
                });
                let end = (start + limit).min(all.len());
                let page: Vec<Value> = all
                    .get(start.min(end)..end)
                    .unwrap_or_default()
                    .iter()
                    .map(|r| Value::Object(r.fields.clone()))
                    .collect();
                // Cursor pagination: an opaque string while more remain, null at the end.
                let next = if start + limit < all.len() {
                    json!((start + limit).to_string())
                } else {
                    Value::Null
                };
                answer(
                    200,
                    json!({"success": true, "data": page, "additional_data": {"next_cursor": next}}),
                )
            }
            (2, "POST", ["activities"]) => {
                for (k, shape) in [("due_date", "9999-99-99"), ("due_time", "99:99")] {
                    if let Some(v) = obj.get(k) {
                        if !v.as_str().is_some_and(|s| pattern(s, shape)) {
                            return fail(400, &format!("{k} is not in the right format"));
                        }
                    }
                }
                if let Some(p) = num(obj.get("person_id")) {
                    if self.pd_get("persons", &p).is_none() {
                        return fail(400, "Person not found");
                    }
                }
                let id = self.bump().to_string();
                let v = self.pd_new("activities", id, obj);
                ok(200, v)
            }
            (1, "POST", ["callLogs"]) => {
                if !obj
                    .get("outcome")
                    .and_then(Value::as_str)
                    .is_some_and(|o| OUTCOMES.contains(&o))
                {
                    return fail(400, "outcome must be one of connected, no_answer, left_message, left_voicemail, wrong_number, busy");
                }
                if !obj.get("to_phone_number").is_some_and(Value::is_string) {
                    return fail(400, "to_phone_number is required");
                }
                for k in ["start_time", "end_time"] {
                    if !obj
                        .get(k)
                        .and_then(Value::as_str)
                        .is_some_and(|s| pattern(s, "9999-99-99 99:99:99"))
                    {
                        return fail(400, &format!("{k} must be YYYY-MM-DD HH:MM:SS"));
                    }
                }
                let mut f = obj.clone();
                if let Some(a) = num(obj.get("activity_id")) {
                    let Some(act) = self.pd_get("activities", &a) else {
                        return fail(404, "Activity not found");
                    };
                    if act.fields.get("type").and_then(Value::as_str) != Some("call") {
                        return fail(400, "The activity must be of type call");
                    }
                    let converted = self
                        .pd_all("callLogs")
                        .iter()
                        .any(|r| num(r.fields.get("activity_id")).as_deref() == Some(a.as_str()));
                    if converted {
                        return fail(409, "This activity is already converted into a call log");
                    }
                    if let Some(p) = act.fields.get("person_id").cloned() {
                        f.insert("person_id".into(), p);
                    }
                }
                let id = format!("{:032x}", self.bump());
                let v = self.pd_new("callLogs", id, f);
                ok(200, v)
            }
            (1, "GET", ["leads"]) => {
                let person = query_param(full, "person_id");
                let list: Vec<Value> = self
                    .pd_all("leads")
                    .into_iter()
                    .filter(|r| person.is_none() || num(r.fields.get("person_id")) == person)
                    .map(|r| Value::Object(r.fields.clone()))
                    .collect();
                ok(
                    200,
                    if list.is_empty() {
                        Value::Null
                    } else {
                        Value::Array(list)
                    },
                )
            }
            (1, "POST", ["leads"]) => {
                if !obj.get("title").is_some_and(Value::is_string) {
                    return fail(400, "title is required");
                }
                match num(obj.get("person_id")) {
                    Some(p) if self.pd_get("persons", &p).is_some() => {}
                    _ => return fail(400, "person_id or organization_id is required"),
                }
                let id = format!("{:08x}-0000-4000-8000-{:012x}", self.bump(), self.next_id);
                let v = self.pd_new("leads", id, obj);
                ok(201, v)
            }
            _ => fail(404, "Unknown method ."),
        }
    }
}
