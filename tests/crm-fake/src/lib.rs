//! Test-only fakes of Salesforce, HubSpot, Zoho CRM, Dynamics 365, Pipedrive and Twilio
//! Messaging, served over real HTTP on loopback (one server; the API paths tell them
//! apart). Not shipped. They enforce the documented semantics the adapters rely on (the
//! other CRMs' and Twilio's rules are in their modules: [`zoho`], [`dynamics`],
//! [`pipedrive`], [`twilio`]):
//!
//! * **Unique external ids.** Salesforce `PATCH /sobjects/{Lead|Task}/{field}/{value}`
//!   upserts by a unique field (201 created / 200 updated); `TaskSubtype` is create-only
//!   (400 `INVALID_FIELD_FOR_INSERT_UPDATE` on the update branch). HubSpot `batch/upsert`
//!   with `idProperty` upserts by a unique property (`new: true|false`); a plain create
//!   with a taken unique value answers 409 with `Existing ID: n` in the message.
//! * **Search lags behind writes.** A record becomes visible to SOSL / the HubSpot search
//!   only after `index_lag` further requests; reads by key (SOQL equality, `GET` by
//!   external id or `idProperty`) see it at once.
//! * **Rate limits.** With `throttle_every = n`, every n-th API request answers 429 with
//!   `Retry-After: 0` and changes nothing.
//! * **Credentials.** Every API request needs its CRM's documented scheme with the token
//!   (`Authorization: Bearer <token>`; Zoho `Zoho-oauthtoken <token>`; Pipedrive also
//!   `x-api-token`; Twilio HTTP Basic with the account SID), 401 else.
//!
//! Control endpoints (no auth): `POST /__fake/seed`, `POST /__fake/config`,
//! `GET /__fake/state`.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

use serde_json::{json, Map, Value};

pub mod dynamics;
pub mod pipedrive;
pub mod twilio;
pub mod zoho;

/// One HTTP exchange as the fake sees it.
#[derive(Debug, Clone, Default)]
pub struct HttpRequest {
    /// Method.
    pub method: String,
    /// Path and query.
    pub path: String,
    /// Headers.
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: String,
}

/// The fake's answer.
#[derive(Debug, Clone)]
pub struct HttpResponse {
    /// Status.
    pub status: u16,
    /// Headers.
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: String,
}

pub(crate) fn answer(status: u16, body: Value) -> HttpResponse {
    HttpResponse {
        status,
        headers: vec![("Content-Type".into(), "application/json".into())],
        body: if body.is_null() {
            String::new()
        } else {
            body.to_string()
        },
    }
}

/// A stored record.
#[derive(Debug, Clone)]
pub(crate) struct Rec {
    object: String,
    id: String,
    fields: Map<String, Value>,
    /// The request count from which searches see it.
    visible_from: u64,
}

/// The fakes' state: Salesforce records, HubSpot objects, associations, counters.
#[derive(Debug)]
pub struct State {
    /// The bearer token the API requires.
    pub token: String,
    /// Requests a new or changed record stays invisible to search.
    pub index_lag: u64,
    /// Every n-th API request answers 429 (0: never).
    pub throttle_every: u64,
    requests: u64,
    next_id: u64,
    sf: BTreeMap<String, Rec>,
    hs: BTreeMap<String, Rec>,
    associations: BTreeSet<(String, String, String, u64)>,
    /// Salesforce unique external-id fields, per object.
    sf_unique: Vec<(String, String)>,
    /// HubSpot unique properties, per object type.
    hs_unique: Vec<(String, String)>,
    /// API requests answered (429s included), for request-count assertions.
    pub api_requests: u64,
    zo: BTreeMap<String, Rec>,
    dy: BTreeMap<String, Rec>,
    pd: BTreeMap<String, Rec>,
    /// Twilio: the account SID the Basic credentials name.
    pub twilio_account: String,
    /// Twilio: "now" (Unix seconds) for the scheduling window.
    pub twilio_now: i64,
    /// Twilio: numbers that replied STOP (21610).
    pub twilio_opted_out: BTreeSet<String>,
    /// Twilio: numbers that cannot take texts (landlines: 21614).
    pub twilio_landlines: BTreeSet<String>,
    /// Twilio: the next n sends are accepted but answered 500 (an ambiguous failure).
    pub twilio_fail_after_send: u64,
    twilio_messages: Vec<Value>,
}

impl Default for State {
    fn default() -> Self {
        State {
            token: "fake-token".into(),
            index_lag: 3,
            throttle_every: 0,
            requests: 0,
            next_id: 1,
            sf: BTreeMap::new(),
            hs: BTreeMap::new(),
            associations: BTreeSet::new(),
            sf_unique: vec![
                ("Lead".into(), "Ringback_Key__c".into()),
                ("Task".into(), "Ringback_Event_Id__c".into()),
            ],
            hs_unique: vec![
                ("contacts".into(), "ringback_key".into()),
                ("calls".into(), "ringback_event_id".into()),
                ("tasks".into(), "ringback_task_key".into()),
            ],
            api_requests: 0,
            zo: BTreeMap::new(),
            dy: BTreeMap::new(),
            pd: BTreeMap::new(),
            twilio_account: "AC00000000000000000000000000000001".into(),
            twilio_now: 1_795_000_000,
            twilio_opted_out: BTreeSet::new(),
            twilio_landlines: BTreeSet::new(),
            twilio_fail_after_send: 0,
            twilio_messages: Vec::new(),
        }
    }
}

pub(crate) fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// National digits of a NANP number in any format (the ten after a leading 1).
fn national(s: &str) -> String {
    let d = digits(s);
    if d.len() == 11 && d.starts_with('1') {
        d[1..].to_string()
    } else {
        d
    }
}

pub(crate) fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' if i + 2 < b.len() => {
                match u8::from_str_radix(&s[i + 1..i + 3], 16) {
                    Ok(v) => out.push(v),
                    Err(_) => out.extend_from_slice(&b[i..i + 3]),
                }
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub(crate) fn query_param(path: &str, name: &str) -> Option<String> {
    let q = path.split_once('?')?.1;
    q.split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| decode(v))
}

impl State {
    /// The records of `object` in `system` (`salesforce`, `hubspot`, `zoho`, `dynamics`,
    /// `pipedrive`), id order.
    pub fn records(&self, system: &str, object: &str) -> Vec<(String, Map<String, Value>)> {
        let map = match system {
            "salesforce" => &self.sf,
            "hubspot" => &self.hs,
            "zoho" => &self.zo,
            "dynamics" => &self.dy,
            _ => &self.pd,
        };
        map.values()
            .filter(|r| r.object == object)
            .map(|r| (r.id.clone(), r.fields.clone()))
            .collect()
    }

    /// Seeds a record of `object` in `system` (visible to search at once); returns its id.
    pub fn seed(&mut self, system: &str, object: &str, fields: Value) -> String {
        match system {
            "salesforce" => self.seed_salesforce(object, fields),
            "hubspot" => self.seed_hubspot(object, fields),
            "pipedrive" => {
                let id = self.bump().to_string();
                let mut f = fields.as_object().cloned().unwrap_or_default();
                f.insert("id".into(), json!(id.parse::<u64>().unwrap_or(0)));
                let key = format!("{object}/{id}");
                let rec = Rec {
                    object: object.into(),
                    id: key.clone(),
                    fields: f,
                    visible_from: 0,
                };
                self.pd.insert(key, rec);
                id
            }
            _ => {
                let id = match system {
                    "zoho" => format!("{}", 5_725_767_000_000_000u64 + self.bump()),
                    "dynamics" => format!("00000000-0000-4000-8000-{:012x}", self.bump()),
                    _ => format!("{}", self.bump()),
                };
                let rec = Rec {
                    object: object.into(),
                    id: id.clone(),
                    fields: fields.as_object().cloned().unwrap_or_default(),
                    visible_from: 0,
                };
                self.map_mut(system).insert(id.clone(), rec);
                id
            }
        }
    }

    /// The search indexes catch up: every record becomes visible to search now.
    pub fn catch_up_index(&mut self) {
        for m in [
            &mut self.sf,
            &mut self.hs,
            &mut self.zo,
            &mut self.dy,
            &mut self.pd,
        ] {
            for r in m.values_mut() {
                r.visible_from = 0;
            }
        }
    }

    pub(crate) fn bump(&mut self) -> u64 {
        let n = self.next_id;
        self.next_id += 1;
        n
    }

    pub(crate) fn map_mut(&mut self, system: &str) -> &mut BTreeMap<String, Rec> {
        match system {
            "zoho" => &mut self.zo,
            "dynamics" => &mut self.dy,
            _ => &mut self.pd,
        }
    }

    pub(crate) fn map(&self, system: &str) -> &BTreeMap<String, Rec> {
        match system {
            "zoho" => &self.zo,
            "dynamics" => &self.dy,
            _ => &self.pd,
        }
    }

    /// Inserts a record created through the API (visible to search after `index_lag`).
    pub(crate) fn insert(
        &mut self,
        system: &str,
        object: &str,
        id: String,
        fields: Map<String, Value>,
    ) {
        let visible_from = self.requests + self.index_lag;
        let rec = Rec {
            object: object.into(),
            id: id.clone(),
            fields,
            visible_from,
        };
        self.map_mut(system).insert(id, rec);
    }

    pub(crate) fn now(&self) -> u64 {
        self.requests
    }

    fn new_id(&mut self, prefix: &str) -> String {
        let n = self.next_id;
        self.next_id += 1;
        if prefix.is_empty() {
            format!("{}", 50_000 + n)
        } else {
            format!("{prefix}{n:0>15}")
        }
    }

    /// All Salesforce records of an object, id order.
    pub fn salesforce(&self, object: &str) -> Vec<(String, Map<String, Value>)> {
        self.sf
            .values()
            .filter(|r| r.object == object)
            .map(|r| (r.id.clone(), r.fields.clone()))
            .collect()
    }

    /// All HubSpot objects of a type, id order.
    pub fn hubspot(&self, kind: &str) -> Vec<(String, Map<String, Value>)> {
        self.hs
            .values()
            .filter(|r| r.object == kind)
            .map(|r| (r.id.clone(), r.fields.clone()))
            .collect()
    }

    /// HubSpot associations `(from type, from id, to contact id, type id)`.
    pub fn associations(&self) -> Vec<(String, String, String, u64)> {
        self.associations.iter().cloned().collect()
    }

    /// Seeds a Salesforce record (visible to search at once); returns its id.
    pub fn seed_salesforce(&mut self, object: &str, fields: Value) -> String {
        let prefix = match object {
            "Contact" => "003",
            "Lead" => "00Q",
            _ => "00T",
        };
        let id = self.new_id(prefix);
        let fields = fields.as_object().cloned().unwrap_or_default();
        self.sf.insert(
            id.clone(),
            Rec {
                object: object.into(),
                id: id.clone(),
                fields,
                visible_from: 0,
            },
        );
        id
    }

    /// Seeds a HubSpot object (visible to search at once); returns its id.
    pub fn seed_hubspot(&mut self, kind: &str, properties: Value) -> String {
        let id = self.new_id("");
        let fields = properties.as_object().cloned().unwrap_or_default();
        self.hs.insert(
            id.clone(),
            Rec {
                object: kind.into(),
                id: id.clone(),
                fields,
                visible_from: 0,
            },
        );
        id
    }

    /// Answers one request.
    pub fn handle(&mut self, req: &HttpRequest) -> HttpResponse {
        if req.path.starts_with("/__fake/") {
            return self.control(req);
        }
        self.requests += 1;
        self.api_requests += 1;
        let header = |name: &str| {
            req.headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
        };
        let path0 = req.path.split('?').next().unwrap_or("").to_string();
        let parts0: Vec<&str> = path0.trim_matches('/').split('/').collect();
        let family = match parts0.as_slice() {
            ["services", ..] => "salesforce",
            ["crm", "v3" | "v4", "objects", ..] => "hubspot",
            ["crm", ..] => "zoho",
            ["api", "data", ..] => "dynamics",
            ["api", "v2", ..] | ["v1", ..] => "pipedrive",
            ["2010-04-01", ..] => "twilio",
            _ => "unknown",
        };
        let bearer = format!("Bearer {}", self.token);
        let authorized = match family {
            "zoho" => header("authorization") == Some(&format!("Zoho-oauthtoken {}", self.token)),
            "pipedrive" => {
                header("authorization") == Some(&bearer)
                    || header("x-api-token") == Some(&self.token)
            }
            "twilio" => {
                header("authorization")
                    == Some(&format!(
                        "Basic {}",
                        twilio::base64(&format!("{}:{}", self.twilio_account, self.token))
                    ))
            }
            _ => header("authorization") == Some(&bearer),
        };
        if !authorized {
            return match family {
                "zoho" => answer(
                    401,
                    json!({"code": "INVALID_TOKEN", "details": {}, "message": "invalid oauth token", "status": "error"}),
                ),
                "dynamics" => answer(
                    401,
                    json!({"error": {"code": "0x80072560", "message": "The user is not a member of the organization."}}),
                ),
                "pipedrive" => answer(
                    401,
                    json!({"success": false, "error": "unauthorized access", "errorCode": 401}),
                ),
                "twilio" => answer(
                    401,
                    json!({"code": 20003, "message": "Authenticate", "more_info": "https://www.twilio.com/docs/errors/20003", "status": 401}),
                ),
                _ => answer(
                    401,
                    json!([{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}]),
                ),
            };
        }
        if self.throttle_every > 0 && self.requests % self.throttle_every == 0 {
            let mut r = answer(
                429,
                json!({"status": "error", "message": "You have reached your secondly limit.", "category": "RATE_LIMITS"}),
            );
            r.headers.push(("Retry-After".into(), "0".into()));
            return r;
        }
        if family == "twilio" {
            return self.twilio_api(&req.method, &parts0, &req.path, &req.body);
        }
        let body: Value = if req.body.trim().is_empty() {
            Value::Null
        } else {
            match serde_json::from_str(&req.body) {
                Ok(v) => v,
                Err(_) => {
                    return answer(
                        400,
                        json!([{"message": "malformed JSON", "errorCode": "JSON_PARSER_ERROR"}]),
                    )
                }
            }
        };
        let path = req.path.split('?').next().unwrap_or("").to_string();
        let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
        match parts.as_slice() {
            ["services", "data", _v, rest @ ..] => {
                self.salesforce_api(&req.method, rest, &req.path, &body)
            }
            ["crm", "v3" | "v4", "objects", ..] => {
                self.hubspot_api(&req.method, &parts[1..], &req.path, &body)
            }
            ["crm", _v, rest @ ..] => self.zoho_api(&req.method, rest, &req.path, &body),
            ["api", "data", _v, rest @ ..] => {
                self.dynamics_api(&req.method, rest, &req.path, &req.headers, &body)
            }
            ["api", "v2", rest @ ..] => self.pipedrive_api(&req.method, 2, rest, &req.path, &body),
            ["v1", rest @ ..] => self.pipedrive_api(&req.method, 1, rest, &req.path, &body),
            _ => answer(404, json!({"message": "no such endpoint"})),
        }
    }

    fn control(&mut self, req: &HttpRequest) -> HttpResponse {
        let body: Value = serde_json::from_str(&req.body).unwrap_or(Value::Null);
        match (req.method.as_str(), req.path.as_str()) {
            ("POST", "/__fake/config") => {
                if let Some(n) = body.get("index_lag").and_then(Value::as_u64) {
                    self.index_lag = n;
                }
                if let Some(n) = body.get("throttle_every").and_then(Value::as_u64) {
                    self.throttle_every = n;
                }
                if let Some(n) = body.get("twilio_now").and_then(Value::as_i64) {
                    self.twilio_now = n;
                }
                if let Some(n) = body.get("twilio_fail_after_send").and_then(Value::as_u64) {
                    self.twilio_fail_after_send = n;
                }
                for (key, set) in [
                    ("twilio_opted_out", &mut self.twilio_opted_out),
                    ("twilio_landlines", &mut self.twilio_landlines),
                ] {
                    for n in body
                        .get(key)
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                    {
                        if let Some(n) = n.as_str() {
                            set.insert(n.to_string());
                        }
                    }
                }
                answer(200, json!({"ok": true}))
            }
            ("POST", "/__fake/seed") => {
                let mut ids = Vec::new();
                for r in body
                    .get("salesforce")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let object = r
                        .get("object")
                        .and_then(Value::as_str)
                        .unwrap_or("Contact")
                        .to_string();
                    ids.push(
                        self.seed_salesforce(
                            &object,
                            r.get("fields").cloned().unwrap_or(json!({})),
                        ),
                    );
                }
                for r in body
                    .get("hubspot")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let kind = r
                        .get("type")
                        .and_then(Value::as_str)
                        .unwrap_or("contacts")
                        .to_string();
                    ids.push(
                        self.seed_hubspot(&kind, r.get("properties").cloned().unwrap_or(json!({}))),
                    );
                }
                for system in ["zoho", "dynamics", "pipedrive"] {
                    for r in body
                        .get(system)
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                    {
                        let object = r
                            .get("object")
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .to_string();
                        ids.push(self.seed(
                            system,
                            &object,
                            r.get("fields").cloned().unwrap_or(json!({})),
                        ));
                    }
                }
                answer(200, json!({"ids": ids}))
            }
            ("GET", "/__fake/state") => {
                let dump = |m: &BTreeMap<String, Rec>| -> Value {
                    m.values()
                        .map(|r| json!({"object": r.object, "id": r.id, "fields": r.fields}))
                        .collect()
                };
                answer(
                    200,
                    json!({"salesforce": dump(&self.sf), "hubspot": dump(&self.hs),
                           "zoho": dump(&self.zo), "dynamics": dump(&self.dy), "pipedrive": dump(&self.pd),
                           "twilio": self.twilio_messages,
                           "associations": self.associations.iter().map(|a| json!([a.0, a.1, a.2, a.3])).collect::<Vec<_>>(),
                           "api_requests": self.api_requests}),
                )
            }
            _ => answer(404, json!({"message": "no such control endpoint"})),
        }
    }

    // -----------------------------------------------------------------------------------
    // Salesforce

    fn sf_find(&self, object: &str, field: &str, value: &str) -> Option<String> {
        self.sf
            .values()
            .find(|r| {
                r.object == object && r.fields.get(field).and_then(Value::as_str) == Some(value)
            })
            .map(|r| r.id.clone())
    }

    fn sf_record(r: &Rec) -> Value {
        let mut v = Value::Object(r.fields.clone());
        v["attributes"] = json!({"type": r.object, "url": format!("/services/data/v62.0/sobjects/{}/{}", r.object, r.id)});
        v["Id"] = json!(r.id);
        v
    }

    fn salesforce_api(
        &mut self,
        method: &str,
        rest: &[&str],
        full: &str,
        body: &Value,
    ) -> HttpResponse {
        match (method, rest) {
            ("GET", ["search"]) => {
                let q = query_param(full, "q").unwrap_or_default();
                let terms = q
                    .split_once("FIND {")
                    .and_then(|(_, r)| r.split_once('}'))
                    .map(|(t, _)| t.to_string())
                    .unwrap_or_default();
                let wanted: Vec<String> = terms
                    .split(" OR ")
                    .map(|t| national(t.trim().trim_matches('"')))
                    .filter(|t| !t.is_empty())
                    .collect();
                let now = self.requests;
                let hits: Vec<Value> = self
                    .sf
                    .values()
                    .filter(|r| r.visible_from <= now)
                    .filter(|r| {
                        r.object == "Contact"
                            || (r.object == "Lead"
                                && r.fields.get("IsConverted") != Some(&json!(true)))
                    })
                    .filter(|r| {
                        ["Phone", "MobilePhone", "HomePhone", "OtherPhone"]
                            .iter()
                            .any(|f| {
                                r.fields
                                    .get(*f)
                                    .and_then(Value::as_str)
                                    .is_some_and(|p| wanted.contains(&national(p)))
                            })
                    })
                    .map(Self::sf_record)
                    .collect();
                answer(200, json!({"searchRecords": hits}))
            }
            ("GET", ["query"]) => {
                let q = query_param(full, "q").unwrap_or_default();
                let object = q
                    .split_once(" FROM ")
                    .map(|(_, r)| r.split_whitespace().next().unwrap_or("").to_string())
                    .unwrap_or_default();
                let cond = q
                    .split_once(" WHERE ")
                    .map(|(_, c)| c.to_string())
                    .unwrap_or_default();
                let (field, value) = cond
                    .split_once(" = '")
                    .map(|(f, v)| {
                        (
                            f.trim().to_string(),
                            v.split('\'').next().unwrap_or("").to_string(),
                        )
                    })
                    .unwrap_or_default();
                let records: Vec<Value> = self
                    .sf
                    .values()
                    .filter(|r| {
                        r.object == object
                            && r.fields.get(&field).and_then(Value::as_str) == Some(value.as_str())
                    })
                    .map(Self::sf_record)
                    .collect();
                answer(
                    200,
                    json!({"totalSize": records.len(), "done": true, "records": records}),
                )
            }
            ("GET", ["sobjects", object, field, key]) => {
                let key = decode(key);
                match self.sf_find(object, field, &key) {
                    Some(id) => answer(200, Self::sf_record(&self.sf[&id])),
                    None => answer(
                        404,
                        json!([{"errorCode": "NOT_FOUND", "message": "The requested resource does not exist"}]),
                    ),
                }
            }
            ("PATCH", ["sobjects", object, field, key]) => {
                let key = decode(key);
                if !self
                    .sf_unique
                    .iter()
                    .any(|(o, f)| o == object && f == field)
                {
                    return answer(
                        404,
                        json!([{"errorCode": "NOT_FOUND", "message": format!("Provided external ID field does not exist or is not accessible: {field}")}]),
                    );
                }
                let Some(fields) = body.as_object() else {
                    return answer(
                        400,
                        json!([{"errorCode": "JSON_PARSER_ERROR", "message": "expected an object"}]),
                    );
                };
                let visible_from = self.requests + self.index_lag;
                match self.sf_find(object, field, &key) {
                    Some(id) => {
                        if fields.contains_key("TaskSubtype") {
                            return answer(
                                400,
                                json!([{"message": "Unable to create/update fields: TaskSubtype. Please check the security settings of this field and verify that it is read/write for your profile or permission set.", "errorCode": "INVALID_FIELD_FOR_INSERT_UPDATE", "fields": ["TaskSubtype"]}]),
                            );
                        }
                        if let Some(r) = self.sf.get_mut(&id) {
                            for (k, v) in fields {
                                r.fields.insert(k.clone(), v.clone());
                            }
                            r.visible_from = visible_from;
                        }
                        answer(
                            200,
                            json!({"id": id, "success": true, "errors": [], "created": false}),
                        )
                    }
                    None => {
                        let prefix = if *object == "Lead" { "00Q" } else { "00T" };
                        let id = self.new_id(prefix);
                        let mut f = fields.clone();
                        f.insert(field.to_string(), json!(key));
                        if *object == "Lead" {
                            f.entry("IsConverted").or_insert(json!(false));
                        }
                        self.sf.insert(
                            id.clone(),
                            Rec {
                                object: object.to_string(),
                                id: id.clone(),
                                fields: f,
                                visible_from,
                            },
                        );
                        answer(
                            201,
                            json!({"id": id, "success": true, "errors": [], "created": true}),
                        )
                    }
                }
            }
            ("PATCH", ["sobjects", object, id]) => {
                let id = decode(id);
                match self.sf.get_mut(&id) {
                    Some(r) if r.object == *object => {
                        for (k, v) in body.as_object().into_iter().flatten() {
                            r.fields.insert(k.clone(), v.clone());
                        }
                        answer(204, Value::Null)
                    }
                    _ => answer(
                        404,
                        json!([{"errorCode": "NOT_FOUND", "message": "The requested resource does not exist"}]),
                    ),
                }
            }
            _ => answer(
                404,
                json!([{"errorCode": "NOT_FOUND", "message": "The requested resource does not exist"}]),
            ),
        }
    }

    // -----------------------------------------------------------------------------------
    // HubSpot

    fn hs_find(&self, kind: &str, prop: &str, value: &str) -> Option<String> {
        self.hs
            .values()
            .find(|r| r.object == kind && r.fields.get(prop).and_then(Value::as_str) == Some(value))
            .map(|r| r.id.clone())
    }

    fn hs_object(r: &Rec) -> Value {
        let mut props = r.fields.clone();
        props.insert("hs_object_id".into(), json!(r.id));
        json!({"id": r.id, "properties": props, "archived": false})
    }

    fn hubspot_api(
        &mut self,
        method: &str,
        parts: &[&str],
        full: &str,
        body: &Value,
    ) -> HttpResponse {
        match (method, parts) {
            ("POST", ["v3", "objects", "contacts", "search"]) => {
                let now = self.requests;
                let groups = body
                    .get("filterGroups")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                let matches = |r: &Rec| {
                    groups.iter().any(|g| {
                        g.get("filters")
                            .and_then(Value::as_array)
                            .into_iter()
                            .flatten()
                            .all(|f| {
                                let prop =
                                    f.get("propertyName").and_then(Value::as_str).unwrap_or("");
                                let want = f.get("value").and_then(Value::as_str).unwrap_or("");
                                let stored = |p: &str| {
                                    r.fields
                                        .get(p)
                                        .and_then(Value::as_str)
                                        .unwrap_or("")
                                        .to_string()
                                };
                                match prop {
                                    "hs_searchable_calculated_phone_number" => {
                                        !want.is_empty() && national(&stored("phone")) == want
                                    }
                                    "hs_searchable_calculated_mobile_number" => {
                                        !want.is_empty() && national(&stored("mobilephone")) == want
                                    }
                                    p => stored(p).eq_ignore_ascii_case(want) && !want.is_empty(),
                                }
                            })
                    })
                };
                let results: Vec<Value> = self
                    .hs
                    .values()
                    .filter(|r| r.object == "contacts" && r.visible_from <= now && matches(r))
                    .map(Self::hs_object)
                    .collect();
                answer(200, json!({"total": results.len(), "results": results}))
            }
            ("POST", ["v3", "objects", kind, "batch", "upsert"]) => {
                let Some(inputs) = body.get("inputs").and_then(Value::as_array) else {
                    return answer(
                        400,
                        json!({"status": "error", "message": "inputs is required", "category": "VALIDATION_ERROR"}),
                    );
                };
                let visible_from = self.requests + self.index_lag;
                let mut results = Vec::new();
                for input in inputs {
                    let prop = input
                        .get("idProperty")
                        .and_then(Value::as_str)
                        .unwrap_or("");
                    let key = input.get("id").and_then(Value::as_str).unwrap_or("");
                    if !self.hs_unique.iter().any(|(k, p)| k == kind && p == prop) {
                        return answer(
                            400,
                            json!({"status": "error", "message": format!("{prop} is not a unique property of {kind}"), "category": "VALIDATION_ERROR"}),
                        );
                    }
                    let props = input
                        .get("properties")
                        .and_then(Value::as_object)
                        .cloned()
                        .unwrap_or_default();
                    let (id, new) = match self.hs_find(kind, prop, key) {
                        Some(id) => {
                            if let Some(r) = self.hs.get_mut(&id) {
                                for (k, v) in &props {
                                    r.fields.insert(k.clone(), v.clone());
                                }
                                r.visible_from = visible_from;
                            }
                            (id, false)
                        }
                        None => {
                            let id = self.new_id("");
                            let mut f = props.clone();
                            f.insert(prop.to_string(), json!(key));
                            self.hs.insert(
                                id.clone(),
                                Rec {
                                    object: kind.to_string(),
                                    id: id.clone(),
                                    fields: f,
                                    visible_from,
                                },
                            );
                            (id, true)
                        }
                    };
                    let mut o = Self::hs_object(&self.hs[&id]);
                    o["new"] = json!(new);
                    results.push(o);
                }
                answer(200, json!({"status": "COMPLETE", "results": results}))
            }
            ("POST", ["v3", "objects", kind]) => {
                let props = body
                    .get("properties")
                    .and_then(Value::as_object)
                    .cloned()
                    .unwrap_or_default();
                for (k, p) in self.hs_unique.clone() {
                    if k == *kind {
                        if let Some(v) = props.get(&p).and_then(Value::as_str) {
                            if let Some(existing) = self.hs_find(kind, &p, v) {
                                return answer(
                                    409,
                                    json!({"status": "error", "message": format!("Contact already exists. Existing ID: {existing}"), "correlationId": "fake", "category": "CONFLICT"}),
                                );
                            }
                        }
                    }
                }
                let id = self.seed_hubspot(kind, Value::Object(props));
                answer(201, Self::hs_object(&self.hs[&id]))
            }
            ("GET", ["v3", "objects", kind, key]) => {
                let key = decode(key);
                let found = match query_param(full, "idProperty") {
                    Some(p) => self.hs_find(kind, &p, &key),
                    None => self
                        .hs
                        .get(&key)
                        .filter(|r| r.object == *kind)
                        .map(|r| r.id.clone()),
                };
                match found {
                    Some(id) => answer(200, Self::hs_object(&self.hs[&id])),
                    None => answer(
                        404,
                        json!({"status": "error", "message": "resource not found", "category": "OBJECT_NOT_FOUND"}),
                    ),
                }
            }
            ("PATCH", ["v3", "objects", kind, id]) => {
                let id = decode(id);
                match self.hs.get_mut(&id) {
                    Some(r) if r.object == *kind => {
                        for (k, v) in body
                            .get("properties")
                            .and_then(Value::as_object)
                            .into_iter()
                            .flatten()
                        {
                            r.fields.insert(k.clone(), v.clone());
                        }
                        let o = Self::hs_object(r);
                        answer(200, o)
                    }
                    _ => answer(
                        404,
                        json!({"status": "error", "message": "resource not found", "category": "OBJECT_NOT_FOUND"}),
                    ),
                }
            }
            ("PUT", ["v4", "objects", from, from_id, "associations", "contacts", to_id]) => {
                let from_ok = self.hs.get(*from_id).is_some_and(|r| r.object == *from);
                let to_ok = self.hs.get(*to_id).is_some_and(|r| r.object == "contacts");
                let type_id = body
                    .as_array()
                    .and_then(|a| a.first())
                    .and_then(|t| t.get("associationTypeId"))
                    .and_then(Value::as_u64)
                    .unwrap_or(0);
                let expected = match *from {
                    "calls" => 194,
                    "tasks" => 204,
                    _ => 0,
                };
                if !from_ok || !to_ok {
                    return answer(
                        404,
                        json!({"status": "error", "message": "one of the records does not exist", "category": "OBJECT_NOT_FOUND"}),
                    );
                }
                if type_id != expected {
                    return answer(
                        400,
                        json!({"status": "error", "message": format!("association type {type_id} is not {from}→contact"), "category": "VALIDATION_ERROR"}),
                    );
                }
                self.associations.insert((
                    from.to_string(),
                    from_id.to_string(),
                    to_id.to_string(),
                    type_id,
                ));
                answer(
                    200,
                    json!({"fromObjectTypeId": from, "fromObjectId": from_id, "toObjectTypeId": "0-1", "toObjectId": to_id, "labels": []}),
                )
            }
            _ => answer(
                404,
                json!({"status": "error", "message": "no such endpoint", "category": "OBJECT_NOT_FOUND"}),
            ),
        }
    }
}

// ---------------------------------------------------------------------------------------
// HTTP on loopback

fn read_request(stream: &mut TcpStream) -> Option<HttpRequest> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut it = line.split_whitespace();
    let method = it.next()?.to_string();
    let path = it.next()?.to_string();
    let mut headers = Vec::new();
    let mut len = 0usize;
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).ok()? == 0 {
            break;
        }
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            let (k, v) = (k.trim().to_string(), v.trim().to_string());
            if k.eq_ignore_ascii_case("content-length") {
                len = v.parse().ok()?;
            }
            headers.push((k, v));
        }
    }
    let mut body = vec![0u8; len.min(16 * 1024 * 1024)];
    reader.read_exact(&mut body).ok()?;
    Some(HttpRequest {
        method,
        path,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        300 => "Multiple Choices",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        409 => "Conflict",
        410 => "Gone",
        412 => "Precondition Failed",
        500 => "Internal Server Error",
        429 => "Too Many Requests",
        _ => "Status",
    }
}

/// Serves `state` on `listener` until the process ends (one thread per connection, one
/// request per connection).
pub fn serve(listener: TcpListener, state: Arc<Mutex<State>>) {
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else { continue };
        let state = state.clone();
        std::thread::spawn(move || {
            let Some(req) = read_request(&mut stream) else {
                return;
            };
            let resp = match state.lock() {
                Ok(mut s) => s.handle(&req),
                Err(_) => answer(500, json!({"message": "fake state poisoned"})),
            };
            let mut head = format!(
                "HTTP/1.1 {} {}\r\nContent-Length: {}\r\nConnection: close\r\n",
                resp.status,
                reason(resp.status),
                resp.body.len()
            );
            for (k, v) in &resp.headers {
                head.push_str(&format!("{k}: {v}\r\n"));
            }
            head.push_str("\r\n");
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(resp.body.as_bytes());
        });
    }
}

/// Starts the fakes on `127.0.0.1` with a free port; returns the base URL and the state.
pub fn start() -> (String, Arc<Mutex<State>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let addr = listener.local_addr().expect("address");
    let state = Arc::new(Mutex::new(State::default()));
    let s = state.clone();
    std::thread::spawn(move || serve(listener, s));
    (format!("http://{addr}"), state)
}

/// A minimal HTTP/1.1 client for the tests: one request per connection.
pub fn send(
    base: &str,
    method: &str,
    path: &str,
    headers: &[(String, String)],
    body: Option<&str>,
) -> std::io::Result<HttpResponse> {
    let host = base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(host)?;
    stream.set_read_timeout(Some(std::time::Duration::from_secs(10)))?;
    let body = body.unwrap_or("");
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    stream.write_all(req.as_bytes())?;
    stream.write_all(body.as_bytes())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    Ok(HttpResponse {
        status,
        headers,
        body: body.to_string(),
    })
}
