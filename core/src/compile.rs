//! Policy compilation: layering (`built-in` ⊕ user document, then `defaults` →
//! `verticals.<name>` → `locations[i]`), complete validation with the JSON path of every
//! problem, and the per-location data the pipeline needs (zone, phone region, calendar).

use phonenumber::country::Id;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::sync::Arc;

use crate::intent::CompiledIntent;
use crate::templates::TemplateSet;

use crate::calendar::Calendar;
use crate::error::{from_json_value, join_path, Error, ErrorCode, Result};
use crate::hash::StableHasher;
use crate::model::policy::{deep_merge_map, LocationConfig, Policy, Vertical};
use crate::model::time::TimeZone;
use crate::phone;

/// A location ready for the pipeline.
#[derive(Debug, Clone)]
pub struct CompiledLocation {
    /// The location id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Business vertical.
    pub vertical: Vertical,
    /// The location's zone.
    pub tz: TimeZone,
    /// Default region for phone numbers.
    pub region: Id,
    /// Opening hours and holidays.
    pub calendar: Calendar,
    /// Every setting after inheritance.
    pub config: LocationConfig,
    /// Inquiry types and lexicon (shared between locations with the same settings).
    pub intent: Arc<CompiledIntent>,
}

/// A validated, compiled policy.
#[derive(Debug, Clone)]
pub struct CompiledPolicy {
    /// The policy's `version`.
    pub version: String,
    /// Hash of the effective policy (built-in defaults applied), part of every decision id.
    pub fingerprint: String,
    /// The effective document (built-in defaults applied).
    pub effective: Policy,
    /// Locations in document order.
    pub locations: Vec<CompiledLocation>,
    /// Default phone region for contacts whose location is unknown.
    pub default_region: Id,
    /// Message templates (built-in and the policy's).
    pub templates: TemplateSet,
    /// The `defaults` layer after the built-in default (settings for data with no location).
    pub defaults: LocationConfig,
    by_id: HashMap<String, usize>,
}

impl CompiledPolicy {
    /// The compiled location with this id.
    pub fn location(&self, id: &str) -> Option<&CompiledLocation> {
        self.by_id.get(id).map(|i| &self.locations[*i])
    }
}

fn policy_err(path: impl Into<String>, msg: impl Into<String>) -> Error {
    Error::new(ErrorCode::InvalidPolicy, path, msg)
}

/// Walks a relative path (`hours.mon[1]`, `dedup.shared_line_threshold`) in a layer and says
/// whether the layer sets it (indices are ignored: arrays are set whole).
fn layer_sets(layer: &Map<String, Value>, rel: &str) -> bool {
    let mut current: Option<&Map<String, Value>> = Some(layer);
    let keys: Vec<&str> = rel
        .split('.')
        .map(|k| k.split('[').next().unwrap_or(k))
        .filter(|k| !k.is_empty())
        .collect();
    for (i, key) in keys.iter().enumerate() {
        let Some(map) = current else { return false };
        match map.get(*key) {
            None => return false,
            Some(Value::Object(inner)) if i + 1 < keys.len() => current = Some(inner),
            Some(_) => return true,
        }
    }
    !keys.is_empty()
}

struct Layers<'a> {
    user: &'a Policy,
}

impl Layers<'_> {
    /// The document path of a problem at `rel` inside location `index` of vertical `v`:
    /// the most specific user layer that sets the value.
    fn origin(&self, index: usize, vertical: Option<Vertical>, rel: &str) -> String {
        if let Some(loc) = self.user.locations.get(index) {
            if layer_sets(loc, rel) {
                return join_path(&format!("locations[{index}]"), rel);
            }
        }
        if let Some(v) = vertical {
            if let Some(layer) = self.user.verticals.get(&v) {
                if layer_sets(layer, rel) {
                    return join_path(&format!("verticals.{}", v.as_str()), rel);
                }
            }
        }
        if layer_sets(&self.user.defaults, rel) {
            return join_path("defaults", rel);
        }
        join_path(&format!("locations[{index}]"), rel)
    }
}

/// Strips a relative error path back to the part inside a location, rewrites it to its origin.
fn relocate(e: Error, layers: &Layers<'_>, index: usize, vertical: Option<Vertical>) -> Error {
    let rel = e.path.clone();
    let path = layers.origin(index, vertical, &rel);
    Error { path, ..e }
}

/// Validates one layer on its own, so that a mistake is reported where it was written.
fn check_layer(layer: &Map<String, Value>, prefix: &str) -> Result<LocationConfig> {
    let value = Value::Object(layer.clone());
    from_json_value::<LocationConfig>(&value, ErrorCode::InvalidPolicy)
        .map_err(|e| e.within(prefix))
}

/// Compiles and validates a policy document (applied on top of the built-in default).
pub fn compile(user: &Policy) -> Result<CompiledPolicy> {
    if user.version.trim().is_empty() {
        return Err(policy_err("version", "must not be empty"));
    }
    check_layer(&user.defaults, "defaults")?;
    for (v, layer) in &user.verticals {
        let cfg = check_layer(layer, &format!("verticals.{}", v.as_str()))?;
        if cfg.vertical.is_some_and(|x| x != *v) {
            return Err(policy_err(
                format!("verticals.{}.vertical", v.as_str()),
                "a vertical layer cannot change the vertical",
            ));
        }
    }
    let effective = user.layered_on(&Policy::default());
    let layers = Layers { user };

    let default_cfg = check_layer(&effective.defaults, "defaults")?;
    let default_region = phone::region(&default_cfg.country).ok_or_else(|| {
        policy_err(
            "defaults.country",
            format!("`{}` is not an ISO 3166 country code", default_cfg.country),
        )
    })?;

    let mut intents: Vec<(
        Vertical,
        crate::model::policy::IntentSettings,
        Arc<CompiledIntent>,
    )> = Vec::new();
    let mut locations = Vec::with_capacity(user.locations.len());
    let mut by_id = HashMap::with_capacity(user.locations.len());
    for (i, loc_layer) in effective.locations.iter().enumerate() {
        let prefix = format!("locations[{i}]");
        let own = check_layer(loc_layer, &prefix)?;
        let vertical = own.vertical.or(default_cfg.vertical);
        let mut merged = effective.defaults.clone();
        if let Some(v) = vertical {
            if let Some(vl) = effective.verticals.get(&v) {
                deep_merge_map(&mut merged, vl);
            }
        }
        deep_merge_map(&mut merged, loc_layer);
        let cfg: LocationConfig = from_json_value(&Value::Object(merged), ErrorCode::InvalidPolicy)
            .map_err(|e| relocate(e, &layers, i, vertical))?;
        let id = required(cfg.id.clone(), &prefix, "id")?;
        if id.trim().is_empty() {
            return Err(policy_err(format!("{prefix}.id"), "must not be empty"));
        }
        let name = required(cfg.name.clone(), &prefix, "name")?;
        let vertical = required(cfg.vertical, &prefix, "vertical")?;
        let tz = required(cfg.time_zone, &prefix, "time_zone")?;
        let region = phone::region(&cfg.country).ok_or_else(|| {
            policy_err(
                layers.origin(i, Some(vertical), "country"),
                format!("`{}` is not an ISO 3166 country code", cfg.country),
            )
        })?;
        if let Some(state) = &cfg.state {
            if state.len() != 2 || !state.chars().all(|c| c.is_ascii_uppercase()) {
                return Err(policy_err(
                    layers.origin(i, Some(vertical), "state"),
                    format!("`{state}` is not a two-letter state/province code (e.g. AZ, ON)"),
                ));
            }
        }
        if cfg.currency.len() != 3 || !cfg.currency.chars().all(|c| c.is_ascii_uppercase()) {
            return Err(policy_err(
                layers.origin(i, Some(vertical), "currency"),
                format!("`{}` is not an ISO 4217 currency code", cfg.currency),
            ));
        }
        if let Some(v) = cfg.avg_inquiry_value {
            if !v.is_finite() || v < 0.0 {
                return Err(policy_err(
                    layers.origin(i, Some(vertical), "avg_inquiry_value"),
                    "must be a non-negative number",
                ));
            }
        }
        if cfg.dedup.shared_line_threshold == 0 {
            return Err(policy_err(
                layers.origin(i, Some(vertical), "dedup.shared_line_threshold"),
                "must be at least 1",
            ));
        }
        let calendar = Calendar::compile(tz.0, &cfg.hours, &cfg.holidays, "")
            .map_err(|e| relocate(e, &layers, i, Some(vertical)))?;
        let intent = match intents
            .iter()
            .find(|(v, s, _)| *v == vertical && *s == cfg.intent)
        {
            Some((_, _, ci)) => ci.clone(),
            None => {
                let ci = Arc::new(
                    CompiledIntent::compile(vertical, &cfg.intent, "intent")
                        .map_err(|e| relocate(e, &layers, i, Some(vertical)))?,
                );
                intents.push((vertical, cfg.intent.clone(), ci.clone()));
                ci
            }
        };
        if by_id.insert(id.clone(), i).is_some() {
            return Err(policy_err(
                format!("{prefix}.id"),
                format!("duplicate location id `{id}`"),
            ));
        }
        locations.push(CompiledLocation {
            id,
            name,
            vertical,
            tz,
            region,
            calendar,
            config: cfg,
            intent,
        });
    }

    let longest = locations
        .iter()
        .map(|l| l.name.as_str())
        .max_by_key(|n| n.chars().count())
        .unwrap_or("Business");
    let templates = TemplateSet::compile(&user.templates, longest)?;
    for (i, loc) in locations.iter().enumerate() {
        let f = &loc.config.follow_up;
        for (field, id) in [
            ("follow_up.first_touch_template", &f.first_touch_template),
            (
                "follow_up.first_touch_email_template",
                &f.first_touch_email_template,
            ),
        ] {
            if !id.is_empty() && templates.get(id).is_none() {
                return Err(policy_err(
                    layers.origin(i, Some(loc.vertical), field),
                    format!("no template with id `{id}`"),
                ));
            }
        }
        for (j, step) in f.steps.iter().enumerate() {
            if let Some(id) = step.template_id.as_deref() {
                if templates.get(id).is_none() {
                    return Err(policy_err(
                        layers.origin(
                            i,
                            Some(loc.vertical),
                            &format!("follow_up.steps[{j}].template_id"),
                        ),
                        format!("no template with id `{id}`"),
                    ));
                }
            }
        }
    }
    let mut h = StableHasher::new();
    serde_json::to_writer(&mut h, &fingerprint_view(&effective))
        .map_err(|e| Error::new(ErrorCode::Internal, "", e.to_string()))?;
    Ok(CompiledPolicy {
        version: user.version.clone(),
        fingerprint: h.hex(),
        effective,
        locations,
        default_region,
        templates,
        defaults: default_cfg,
        by_id,
    })
}

fn required<T>(v: Option<T>, prefix: &str, field: &str) -> Result<T> {
    v.ok_or_else(|| {
        policy_err(
            format!("{prefix}.{field}"),
            format!("missing field `{field}`"),
        )
    })
}

/// Every error a policy has, each with its path, for `ringback validate`: layer errors
/// (one per offending top-level field of `defaults`, each vertical and each location), then
/// each location compiled on its own (inherited errors reported once), then duplicate ids.
/// Empty when [`compile`] succeeds.
pub fn validate_all(user: &Policy) -> Vec<Error> {
    let mut errs: Vec<Error> = Vec::new();
    if user.version.trim().is_empty() {
        errs.push(policy_err("version", "must not be empty"));
    }
    layer_errors(&user.defaults, "defaults", &mut errs);
    for (v, layer) in &user.verticals {
        layer_errors(layer, &format!("verticals.{}", v.as_str()), &mut errs);
    }
    for (i, layer) in user.locations.iter().enumerate() {
        layer_errors(layer, &format!("locations[{i}]"), &mut errs);
    }
    if !errs.is_empty() {
        return errs;
    }
    let mut seen = std::collections::BTreeSet::new();
    for (i, layer) in user.locations.iter().enumerate() {
        let mut one = user.clone();
        one.locations = vec![layer.clone()];
        if let Err(e) = compile(&one) {
            let path = match e.path.strip_prefix("locations[0]") {
                Some(rest) => format!("locations[{i}]{rest}"),
                None => e.path.clone(),
            };
            let e = Error::new(e.code, path, e.message.clone());
            if seen.insert((e.path.clone(), e.message.clone())) {
                errs.push(e);
            }
        }
    }
    if user.locations.is_empty() {
        if let Err(e) = compile(user) {
            errs.push(e);
        }
    }
    if errs.is_empty() {
        if let Err(e) = compile(user) {
            errs.push(e);
        }
    }
    errs
}

/// Collects one error per offending top-level field of a layer (up to 64).
fn layer_errors(layer: &Map<String, Value>, prefix: &str, errs: &mut Vec<Error>) {
    let mut layer = layer.clone();
    for _ in 0..64 {
        let Err(e) = check_layer(&layer, prefix) else {
            return;
        };
        let rest = e.path.strip_prefix(prefix).unwrap_or("");
        let key: String = rest
            .trim_start_matches('.')
            .chars()
            .take_while(|c| *c != '.' && *c != '[')
            .collect();
        errs.push(e);
        if key.is_empty() || layer.remove(&key).is_none() {
            return;
        }
    }
}

/// The effective policy as it enters the fingerprint (and so every decision id): without
/// `audit.trace`, which changes what a decision reports, not what it decides.
fn fingerprint_view(effective: &Policy) -> Policy {
    let mut p = effective.clone();
    let strip = |layer: &mut serde_json::Map<String, serde_json::Value>| {
        if let Some(serde_json::Value::Object(audit)) = layer.get_mut("audit") {
            audit.remove("trace");
        }
    };
    strip(&mut p.defaults);
    p.verticals.values_mut().for_each(strip);
    p.locations.iter_mut().for_each(strip);
    p
}
