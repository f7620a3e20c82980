//! The Dataverse Web API v9.2 fake. What it enforces, as Microsoft documents it:
//!
//! * `GET {set}?$select&$filter`: `eq` and `startswith` compare the stored string as it is
//!   (no normalizing);
//!   committed data is read at once (no index). Rows come back in `value[]`.
//! * Alternate keys (`leads(ringback_key='…')`, `phonecalls(ringback_eventid='…')`,
//!   `tasks(ringback_taskkey='…')`): `PATCH` is an upsert; with `If-None-Match: *` it is
//!   create-only and an existing key is `412`; with `If-Match: *` update-only and a missing
//!   record is `404`; the key column must not be in the body. `Prefer:
//!   return=representation` answers `201`/`200` with the record, else `204` with
//!   `OData-EntityId`.
//! * `phonecall`: `statecode` cannot be set on create; a closed (completed or canceled) call
//!   is read-only except for its state; `directioncode` defaults to `true` (outgoing);
//!   state/status pairs are the documented ones. Bindings (`…@odata.bind`) must name
//!   existing records.

use serde_json::{json, Map, Value};

use crate::{answer, decode, HttpResponse, State};

const KEYS: [(&str, &str); 3] = [
    ("leads", "ringback_key"),
    ("phonecalls", "ringback_eventid"),
    ("tasks", "ringback_taskkey"),
];

fn id_column(set: &str) -> &'static str {
    match set {
        "leads" => "leadid",
        "contacts" => "contactid",
        _ => "activityid",
    }
}

fn err(status: u16, code: &str, message: &str) -> HttpResponse {
    answer(status, json!({"error": {"code": code, "message": message}}))
}

/// An addressed record: the entity set, and its alternate key or its id.
type Target = (String, Option<(String, String)>, Option<String>);

/// `name(key='value')` or `name(guid)`.
fn split_target(seg: &str) -> Option<Target> {
    let seg = decode(seg);
    let open = seg.find('(')?;
    let set = seg[..open].to_string();
    let inner = seg[open + 1..].strip_suffix(')')?;
    match inner.split_once('=') {
        Some((k, v)) => {
            let v = v.strip_prefix('\'')?.strip_suffix('\'')?.replace("''", "'");
            Some((set, Some((k.to_string(), v)), None))
        }
        None => Some((set, None, Some(inner.to_string()))),
    }
}

/// A quoted OData string at the start of `tail` (after its opening quote), and the rest.
fn quoted(tail: &str) -> (String, &str) {
    let mut value = String::new();
    let mut chars = tail.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\'' {
            if chars.peek().map(|p| p.1) == Some('\'') {
                value.push('\'');
                chars.next();
            } else {
                return (value, &tail[i + 1..]);
            }
        } else {
            value.push(c);
        }
    }
    (value, "")
}

/// The `startswith(col,'prefix')` terms of a filter.
fn prefix_terms(filter: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = filter;
    while let Some(at) = rest.find("startswith(") {
        let tail = &rest[at + 11..];
        let Some((col, tail)) = tail.split_once(",'") else {
            break;
        };
        let (value, tail) = quoted(tail);
        out.push((col.trim().to_string(), value));
        rest = tail;
    }
    out
}

/// The `col eq 'value'` terms of a filter.
fn eq_terms(filter: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = filter;
    while let Some(at) = rest.find(" eq '") {
        let col = rest[..at]
            .rsplit([' ', '('])
            .next()
            .unwrap_or("")
            .to_string();
        let mut value = String::new();
        let tail = &rest[at + 5..];
        let mut chars = tail.char_indices().peekable();
        let mut end = tail.len();
        while let Some((i, c)) = chars.next() {
            if c == '\'' {
                if chars.peek().map(|p| p.1) == Some('\'') {
                    value.push('\'');
                    chars.next();
                } else {
                    end = i + 1;
                    break;
                }
            } else {
                value.push(c);
            }
        }
        out.push((col, value));
        rest = &tail[end.min(tail.len())..];
    }
    out
}

impl State {
    fn dy_row(set: &str, r: &crate::Rec) -> Value {
        let mut v = Value::Object(r.fields.clone());
        v[id_column(set)] = json!(r.id);
        v["@odata.etag"] = json!(format!("W/\"{}\"", r.visible_from + 1000));
        v
    }

    fn dy_find(&self, set: &str, col: &str, value: &str) -> Option<String> {
        self.map("dynamics")
            .values()
            .find(|r| r.object == set && r.fields.get(col).and_then(Value::as_str) == Some(value))
            .map(|r| r.id.clone())
    }

    /// Every `…@odata.bind` names an existing record; the binding is stored as its id.
    fn dy_bind(&self, body: &Map<String, Value>) -> Result<Map<String, Value>, HttpResponse> {
        let mut out = Map::new();
        for (k, v) in body {
            if k.ends_with("@odata.bind") {
                let target = v.as_str().unwrap_or("").trim_start_matches('/');
                let ok = match split_target(target) {
                    Some((set, None, Some(id))) if set == "systemusers" || set == "teams" => {
                        !id.is_empty()
                    }
                    Some((set, None, Some(id))) => self
                        .map("dynamics")
                        .get(&id)
                        .is_some_and(|r| r.object == set),
                    _ => false,
                };
                if !ok {
                    return Err(err(
                        400,
                        "0x80040217",
                        &format!("The bound record {target} does not exist."),
                    ));
                }
            }
            if k == "phonecall_activity_parties" {
                for p in v.as_array().into_iter().flatten() {
                    let mask = p
                        .get("participationtypemask")
                        .and_then(Value::as_i64)
                        .unwrap_or(0);
                    if !(1..=12).contains(&mask) {
                        return Err(err(400, "0x80040203", "participationtypemask is not valid"));
                    }
                }
            }
            out.insert(k.clone(), v.clone());
        }
        Ok(out)
    }

    fn dy_write(
        &mut self,
        set: &str,
        existing: Option<String>,
        key: Option<(String, String)>,
        body: &Map<String, Value>,
        represent: bool,
    ) -> HttpResponse {
        let fields = match self.dy_bind(body) {
            Ok(f) => f,
            Err(e) => return e,
        };
        let (id, created) = match existing {
            Some(id) => {
                let state = self
                    .map("dynamics")
                    .get(&id)
                    .and_then(|r| r.fields.get("statecode"))
                    .and_then(Value::as_i64)
                    .unwrap_or(0);
                let is_state_change = fields.keys().all(|k| k == "statecode" || k == "statuscode");
                if set == "phonecalls" && state != 0 && !is_state_change {
                    return err(400, "0x80043b09", "This phone call is read-only: completed and canceled activities cannot be edited.");
                }
                if is_state_change {
                    let pair = (
                        fields.get("statecode").and_then(Value::as_i64),
                        fields.get("statuscode").and_then(Value::as_i64),
                    );
                    let ok = matches!(
                        pair,
                        (Some(0), Some(1))
                            | (Some(1), Some(2))
                            | (Some(1), Some(4))
                            | (Some(2), Some(3))
                    );
                    if set == "phonecalls" && !ok {
                        return err(400, "0x80040203", "statuscode is not valid for statecode");
                    }
                }
                let lag = self.now() + self.index_lag;
                if let Some(r) = self.map_mut("dynamics").get_mut(&id) {
                    for (k, v) in fields {
                        r.fields.insert(k, v);
                    }
                    r.visible_from = lag;
                }
                (id, false)
            }
            None => {
                if fields.contains_key("statecode") {
                    return err(400, "0x80040203", "statecode is not valid for create");
                }
                let id = format!("00000000-0000-4000-8000-{:012x}", self.bump());
                let mut f = fields;
                if let Some((k, v)) = key {
                    f.insert(k, json!(v));
                }
                f.entry("statecode").or_insert(json!(0));
                if set == "phonecalls" {
                    f.entry("directioncode").or_insert(json!(true));
                    f.entry("statuscode").or_insert(json!(1));
                }
                self.insert("dynamics", set, id.clone(), f);
                (id, true)
            }
        };
        let entity = format!("https://fake.crm.dynamics.com/api/data/v9.2/{set}({id})");
        let mut resp = if represent {
            let row = self
                .map("dynamics")
                .get(&id)
                .map(|r| Self::dy_row(set, r))
                .unwrap_or(Value::Null);
            answer(if created { 201 } else { 200 }, row)
        } else {
            answer(204, Value::Null)
        };
        resp.headers.push(("OData-EntityId".into(), entity));
        resp
    }

    pub(crate) fn dynamics_api(
        &mut self,
        method: &str,
        rest: &[&str],
        full: &str,
        headers: &[(String, String)],
        body: &Value,
    ) -> HttpResponse {
        let header = |name: &str| {
            headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
        };
        if header("OData-Version") != Some("4.0") {
            return err(400, "0x80048d19", "OData-Version 4.0 is required");
        }
        let represent = header("Prefer").is_some_and(|p| p.contains("return=representation"));
        let [seg] = rest else {
            return err(404, "0x8006088a", "Resource not found for the segment.");
        };
        let seg_path = seg.split('?').next().unwrap_or("");
        if method == "GET" && !seg_path.contains('(') {
            // A collection query.
            let filter = crate::query_param(full, "$filter").unwrap_or_default();
            let terms = eq_terms(&filter);
            let prefixes = prefix_terms(&filter);
            let state_open = filter.contains("statecode eq 0");
            let rows: Vec<Value> = self
                .map("dynamics")
                .values()
                .filter(|r| r.object == seg_path)
                .filter(|r| {
                    !state_open
                        || r.fields
                            .get("statecode")
                            .and_then(Value::as_i64)
                            .unwrap_or(0)
                            == 0
                })
                .filter(|r| {
                    let text = |c: &str| r.fields.get(c).and_then(Value::as_str);
                    (terms.is_empty() && prefixes.is_empty())
                        || terms.iter().any(|(c, v)| text(c) == Some(v.as_str()))
                        || prefixes
                            .iter()
                            .any(|(c, v)| text(c).is_some_and(|t| t.starts_with(v.as_str())))
                })
                .map(|r| Self::dy_row(seg_path, r))
                .collect();
            return answer(
                200,
                json!({"@odata.context": format!("https://fake.crm.dynamics.com/api/data/v9.2/$metadata#{seg_path}"), "value": rows}),
            );
        }
        let Some((set, key, guid)) = split_target(seg_path) else {
            return err(400, "0x80060888", "Bad Request - Error in query syntax.");
        };
        if let Some((col, _)) = &key {
            if !KEYS.contains(&(set.as_str(), col.as_str())) {
                return err(
                    400,
                    "0x80060888",
                    &format!("The key {col} is not an alternate key of {set}."),
                );
            }
        }
        let existing = match (&key, &guid) {
            (Some((c, v)), _) => self.dy_find(&set, c, v),
            (None, Some(g)) => self
                .map("dynamics")
                .get(g)
                .filter(|r| r.object == set)
                .map(|r| r.id.clone()),
            _ => None,
        };
        match method {
            "GET" => match existing
                .and_then(|id| self.map("dynamics").get(&id).map(|r| Self::dy_row(&set, r)))
            {
                Some(row) => answer(200, row),
                None => err(
                    404,
                    "0x80040217",
                    &format!("{set} with the given key does not exist"),
                ),
            },
            "PATCH" => {
                let Some(fields) = body.as_object() else {
                    return err(400, "0x80048d19", "expected an object");
                };
                if let Some((col, _)) = &key {
                    if fields.contains_key(col) {
                        return err(
                            400,
                            "0x80048d19",
                            "Alternate key data must not be in the body.",
                        );
                    }
                }
                if header("If-None-Match") == Some("*") && existing.is_some() {
                    return err(412, "", "A record with matching key values already exists.");
                }
                if header("If-Match") == Some("*") && existing.is_none() {
                    return err(
                        404,
                        "0x80040217",
                        &format!("{set} with the given key does not exist"),
                    );
                }
                if guid.is_some() && existing.is_none() {
                    return err(
                        404,
                        "0x80040217",
                        &format!("{set} with the given id does not exist"),
                    );
                }
                self.dy_write(&set, existing, key, fields, represent)
            }
            _ => err(405, "0x8006088a", "method not allowed"),
        }
    }
}
