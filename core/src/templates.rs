//! Stage 6, templates (SPEC §4.6): the most specific template matching (channel, vertical,
//! inquiry type, cohort, category, urgency, locale), ties by id; `{{name|default}}`
//! variables checked at `Engine::new`; variants by sticky hash or Thompson sampling; SMS
//! encoding and segments; business identification and opt-out text on first contact.

use once_cell::sync::Lazy;

use std::collections::BTreeMap;

use crate::error::{Error, ErrorCode, Result};
use crate::hash::StableHasher;
use crate::learning::{LearningState, SeededRng};
use crate::model::decision::{Cohort, Urgency};
use crate::model::policy::{Channel, Purpose, Vertical};
pub use crate::model::template::{TemplateDef, VariantDef};
use crate::sms;

const DEFAULT_TEMPLATES_JSON: &str = include_str!("../data/default_templates.json");

/// Variables a template may use.
pub const VARIABLES: [&str; 6] = [
    "first_name",
    "business_name",
    "location_phone",
    "inquiry_label",
    "callback_window",
    "agent_name",
];

/// Variables that can carry health details (not allowed in med-spa or dental texts).
pub const PHI_VARIABLES: [&str; 1] = ["inquiry_label"];

/// Most SMS segments a rendered template may take (opt-out text included).
pub const MAX_SMS_SEGMENTS: usize = 3;

/// Appended to the first text to a person.
pub const OPT_OUT_TEXT: &str = "Reply STOP to opt out.";

/// The built-in templates.
pub fn built_in() -> &'static [TemplateDef] {
    static T: Lazy<Vec<TemplateDef>> =
        Lazy::new(|| serde_json::from_str(DEFAULT_TEMPLATES_JSON).unwrap_or_default());
    &T
}

#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Text(String),
    Var {
        name: String,
        default: Option<String>,
    },
}

/// Parses `{{name|default}}` placeholders; returns the pieces or the bad variable.
fn parse_body(body: &str) -> std::result::Result<Vec<Piece>, String> {
    let mut out = Vec::new();
    let mut rest = body;
    while let Some(start) = rest.find("{{") {
        if start > 0 {
            out.push(Piece::Text(rest[..start].to_string()));
        }
        let after = &rest[start + 2..];
        let end = after
            .find("}}")
            .ok_or_else(|| "unclosed `{{`".to_string())?;
        let inner = after[..end].trim();
        let (name, default) = match inner.split_once('|') {
            Some((n, d)) => (n.trim(), Some(d.to_string())),
            None => (inner, None),
        };
        if !VARIABLES.contains(&name) {
            return Err(format!(
                "unknown variable `{name}` (allowed: {})",
                VARIABLES.join(", ")
            ));
        }
        out.push(Piece::Var {
            name: name.to_string(),
            default,
        });
        rest = &after[end + 2..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest.to_string()));
    }
    Ok(out)
}

/// A compiled variant.
#[derive(Debug, Clone)]
struct Compiled {
    id: String,
    weight: f64,
    body: Vec<Piece>,
    subject: Option<Vec<Piece>>,
    /// The body names the business through `{{business_name}}`.
    names_business: bool,
    /// The body's own text already tells how to opt out ("STOP").
    has_opt_out: bool,
}

/// A compiled template.
#[derive(Debug, Clone)]
pub struct CompiledTemplate {
    /// The definition.
    pub def: TemplateDef,
    variants: Vec<Compiled>,
    uses_phi: bool,
    uses_callback_window: bool,
}

impl CompiledTemplate {
    /// Whether any variant uses `{{callback_window}}` (computing it costs a date format).
    pub fn uses_callback_window(&self) -> bool {
        self.uses_callback_window
    }
}

impl CompiledTemplate {
    fn specificity(&self) -> usize {
        let d = &self.def;
        [
            d.vertical.is_some(),
            d.inquiry_type.is_some(),
            d.cohort.is_some(),
            d.category.is_some(),
            d.urgency.is_some(),
            d.locale.is_some(),
        ]
        .iter()
        .filter(|x| **x)
        .count()
    }
}

/// All templates of a policy, compiled.
#[derive(Debug, Clone, Default)]
pub struct TemplateSet {
    templates: Vec<CompiledTemplate>,
    /// Indices of the templates per channel (sms, voice, email), so selection only looks at
    /// the channel's own templates.
    by_channel: [Vec<usize>; 3],
}

fn channel_slot(c: Channel) -> usize {
    match c {
        Channel::Sms => 0,
        Channel::Voice => 1,
        Channel::Email => 2,
    }
}

/// Values for the variables.
#[derive(Debug, Clone, Default)]
pub struct Vars<'a> {
    /// Caller's first name.
    pub first_name: Option<&'a str>,
    /// Location display name.
    pub business_name: &'a str,
    /// Location phone for display.
    pub location_phone: Option<String>,
    /// Inquiry label.
    pub inquiry_label: Option<&'a str>,
    /// When we will call.
    pub callback_window: Option<String>,
}

/// What to select a template for.
#[derive(Debug, Clone, Copy)]
pub struct Selector<'a> {
    /// Channel.
    pub channel: Channel,
    /// Vertical.
    pub vertical: Vertical,
    /// Inquiry type.
    pub inquiry_type: Option<&'a str>,
    /// Cohort.
    pub cohort: Option<Cohort>,
    /// Category.
    pub category: &'a str,
    /// Urgency.
    pub urgency: Option<Urgency>,
    /// Locale.
    pub locale: &'a str,
    /// Required purpose.
    pub purpose: Purpose,
}

/// A rendered message.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    /// Template id.
    pub template_id: String,
    /// Experiment id.
    pub experiment_id: String,
    /// Variant id.
    pub variant_id: String,
    /// Purpose.
    pub purpose: Purpose,
    /// Subject (email).
    pub subject: Option<String>,
    /// Body.
    pub body: String,
    /// SMS encoding and segments.
    pub sms: Option<sms::SmsInfo>,
}

fn render(pieces: &[Piece], vars: &Vars<'_>) -> String {
    let mut out = String::with_capacity(256);
    for p in pieces {
        match p {
            Piece::Text(t) => out.push_str(t),
            Piece::Var { name, default } => {
                let v: Option<&str> = match name.as_str() {
                    "first_name" => vars.first_name,
                    "business_name" => Some(vars.business_name),
                    "location_phone" => vars.location_phone.as_deref(),
                    "inquiry_label" => vars.inquiry_label,
                    "callback_window" => vars.callback_window.as_deref(),
                    _ => None,
                };
                let fallback = || {
                    default.as_deref().unwrap_or(match name.as_str() {
                        "first_name" => "there",
                        "agent_name" => "our team",
                        "callback_window" => "soon",
                        _ => "",
                    })
                };
                out.push_str(v.filter(|s| !s.trim().is_empty()).unwrap_or_else(fallback));
            }
        }
    }
    // Collapse doubled spaces left by empty variables (rare: only then rebuild).
    if out.contains("  ") {
        let mut clean = String::with_capacity(out.len());
        for c in out.chars() {
            if !(c == ' ' && clean.ends_with(' ')) {
                clean.push(c);
            }
        }
        out = clean;
    }
    let trimmed = out.trim();
    if trimmed.len() == out.len() {
        out
    } else {
        trimmed.to_string()
    }
}

impl TemplateSet {
    /// Compiles the built-in templates with the policy's on top (same id replaces);
    /// `business_names` are used to check the longest SMS stays within the segment limit.
    pub fn compile(policy_templates: &[TemplateDef], longest_business_name: &str) -> Result<Self> {
        let mut defs: BTreeMap<String, (TemplateDef, String)> = BTreeMap::new();
        for (i, t) in built_in().iter().enumerate() {
            defs.insert(
                t.id.clone(),
                (t.clone(), format!("built-in templates[{i}]")),
            );
        }
        let mut seen = std::collections::HashSet::new();
        for (i, t) in policy_templates.iter().enumerate() {
            if !seen.insert(t.id.clone()) {
                return Err(Error::new(
                    ErrorCode::InvalidPolicy,
                    format!("templates[{i}].id"),
                    format!("template id `{}` is used twice", t.id),
                ));
            }
            defs.insert(t.id.clone(), (t.clone(), format!("templates[{i}]")));
        }
        let mut templates = Vec::with_capacity(defs.len());
        for (_, (def, path)) in defs {
            let err = |field: &str, msg: String| {
                Error::new(ErrorCode::InvalidPolicy, format!("{path}.{field}"), msg)
            };
            let bodies: Vec<(String, &str, f64, Option<&str>, String)> = if def.variants.is_empty()
            {
                vec![(
                    def.id.clone(),
                    def.body.as_str(),
                    1.0,
                    def.subject.as_deref(),
                    "body".to_string(),
                )]
            } else {
                def.variants
                    .iter()
                    .enumerate()
                    .map(|(j, v)| {
                        (
                            v.id.clone(),
                            v.body.as_str(),
                            v.weight,
                            v.subject.as_deref().or(def.subject.as_deref()),
                            format!("variants[{j}].body"),
                        )
                    })
                    .collect()
            };
            let mut variants = Vec::with_capacity(bodies.len());
            let mut uses_phi = false;
            let mut uses_callback_window = false;
            for (id, body, weight, subject, field) in bodies {
                if !(weight.is_finite() && weight > 0.0) {
                    return Err(err(
                        &field.replace("body", "weight"),
                        "weight must be positive".to_string(),
                    ));
                }
                let pieces = parse_body(body).map_err(|m| err(&field, m))?;
                let subject = subject
                    .map(parse_body)
                    .transpose()
                    .map_err(|m| err("subject", m))?;
                let phi = pieces.iter().any(|p| matches!(p, Piece::Var { name, .. } if PHI_VARIABLES.contains(&name.as_str())));
                if phi
                    && def.channel == Channel::Sms
                    && matches!(def.vertical, Some(Vertical::MedSpa | Vertical::Dental))
                {
                    return Err(err(
                        &field,
                        "a med_spa or dental text may not carry health details (inquiry_label); HIPAA minimum necessary".to_string(),
                    ));
                }
                uses_phi |= phi;
                uses_callback_window |= pieces
                    .iter()
                    .chain(subject.iter().flatten())
                    .any(|p| matches!(p, Piece::Var { name, .. } if name == "callback_window"));
                if def.channel == Channel::Sms {
                    let sample = Vars {
                        first_name: Some("Alexandria"),
                        business_name: longest_business_name,
                        location_phone: Some("(000) 000-0000".to_string()),
                        inquiry_label: Some("post-treatment concern"),
                        callback_window: Some("first thing tomorrow morning".to_string()),
                    };
                    let text = format!("{} {OPT_OUT_TEXT}", render(&pieces, &sample));
                    let info = sms::analyze(&text);
                    if info.segments > MAX_SMS_SEGMENTS {
                        return Err(err(
                            &field,
                            format!(
                                "rendered text takes {} {} segments; the limit is {MAX_SMS_SEGMENTS}",
                                info.segments,
                                info.encoding.as_str()
                            ),
                        ));
                    }
                }
                let names_business = pieces
                    .iter()
                    .any(|p| matches!(p, Piece::Var { name, .. } if name == "business_name"));
                let has_opt_out = pieces.iter().any(
                    |p| matches!(p, Piece::Text(t) if t.to_ascii_lowercase().contains("stop")),
                );
                variants.push(Compiled {
                    id,
                    weight,
                    body: pieces,
                    subject,
                    names_business,
                    has_opt_out,
                });
            }
            templates.push(CompiledTemplate {
                def,
                variants,
                uses_phi,
                uses_callback_window,
            });
        }
        let mut by_channel: [Vec<usize>; 3] = Default::default();
        for (i, t) in templates.iter().enumerate() {
            by_channel[channel_slot(t.def.channel)].push(i);
        }
        Ok(TemplateSet {
            templates,
            by_channel,
        })
    }

    /// Number of templates.
    pub fn len(&self) -> usize {
        self.templates.len()
    }

    /// Whether there are no templates.
    pub fn is_empty(&self) -> bool {
        self.templates.is_empty()
    }

    /// A template by id.
    pub fn get(&self, id: &str) -> Option<&CompiledTemplate> {
        self.templates.iter().find(|t| t.def.id == id)
    }

    /// The template for `sel`: one in the location's locale first, then the most specific,
    /// ties by id.
    pub fn select(&self, sel: &Selector<'_>) -> Option<&CompiledTemplate> {
        let phi_free = matches!(sel.vertical, Vertical::MedSpa | Vertical::Dental)
            && sel.channel == Channel::Sms;
        self.by_channel[channel_slot(sel.channel)]
            .iter()
            .map(|i| &self.templates[*i])
            .filter(|t| {
                let d = &t.def;
                d.channel == sel.channel
                    && d.purpose == sel.purpose
                    && d.vertical.is_none_or(|v| v == sel.vertical)
                    && d.inquiry_type
                        .as_deref()
                        .is_none_or(|x| Some(x) == sel.inquiry_type)
                    && d.cohort.is_none_or(|c| Some(c) == sel.cohort)
                    && d.category.as_deref().is_none_or(|c| c == sel.category)
                    && d.urgency.is_none_or(|u| Some(u) == sel.urgency)
                    && d.locale
                        .as_deref()
                        .is_none_or(|l| l.eq_ignore_ascii_case(sel.locale))
                    && !(phi_free && t.uses_phi)
            })
            // A template in the location's own language beats a more specific one in any
            // language; then the most specific; ties by id.
            .max_by(|a, b| {
                let lang = |t: &CompiledTemplate| {
                    t.def
                        .locale
                        .as_deref()
                        .is_some_and(|l| l.eq_ignore_ascii_case(sel.locale))
                };
                lang(a)
                    .cmp(&lang(b))
                    .then_with(|| a.specificity().cmp(&b.specificity()))
                    .then_with(|| b.def.id.cmp(&a.def.id))
            })
    }
}

/// How to pick a variant.
#[derive(Debug, Clone, Copy)]
pub enum VariantChoice<'a> {
    /// No experiment: the first variant.
    Off,
    /// Sticky by (experiment, caller): the same caller always gets the same variant.
    Sticky {
        /// The caller's E.164 number.
        caller: &'a str,
    },
    /// Thompson sampling over the learned posteriors, seeded by the event id.
    Thompson {
        /// The event id (seed).
        event_id: &'a str,
        /// Learned posteriors.
        state: &'a LearningState,
        /// The location.
        location_id: &'a str,
    },
}

impl CompiledTemplate {
    /// Renders the template: picks the variant, fills the variables, and for a first text
    /// adds the business name (when absent) and the opt-out line.
    pub fn render(
        &self,
        vars: &Vars<'_>,
        choice: VariantChoice<'_>,
        first_text: bool,
        disclosure: Option<&str>,
    ) -> Rendered {
        let experiment = self
            .def
            .experiment_id
            .clone()
            .unwrap_or_else(|| self.def.id.clone());
        let idx = match choice {
            _ if self.variants.len() <= 1 => 0,
            VariantChoice::Off => 0,
            VariantChoice::Sticky { caller } => {
                let mut h = StableHasher::new();
                h.field(&experiment);
                h.field(caller);
                let total: f64 = self.variants.iter().map(|v| v.weight).sum();
                let u = (h.finish() >> 64) as f64 / 2f64.powi(64) * total;
                let mut acc = 0.0;
                self.variants
                    .iter()
                    .position(|v| {
                        acc += v.weight;
                        u < acc
                    })
                    .unwrap_or(self.variants.len() - 1)
            }
            VariantChoice::Thompson {
                event_id,
                state,
                location_id,
            } => {
                let mut h = StableHasher::new();
                h.field(&experiment);
                h.field(event_id);
                let mut rng = SeededRng::new(h.finish() as u64);
                let mut best = (0, f64::MIN);
                for (i, v) in self.variants.iter().enumerate() {
                    let b = state.variant(location_id, &v.id, self.def.channel.as_str());
                    let draw = rng.beta(b.successes + 1.0, b.failures + 1.0);
                    if draw > best.1 {
                        best = (i, draw);
                    }
                }
                best.0
            }
        };
        let v = &self.variants[idx.min(self.variants.len().saturating_sub(1))];
        let mut body = render(&v.body, vars);
        if self.def.channel == Channel::Sms {
            if first_text && !v.names_business {
                body.insert_str(0, ": ");
                body.insert_str(0, vars.business_name);
            }
            if let Some(d) = disclosure {
                body.push(' ');
                body.push_str(d);
            }
            if first_text && !v.has_opt_out {
                body.push(' ');
                body.push_str(OPT_OUT_TEXT);
            }
        } else if let Some(d) = disclosure {
            body = format!("{body}\n\n{d}");
        }
        let sms = (self.def.channel == Channel::Sms).then(|| sms::analyze(&body));
        Rendered {
            template_id: self.def.id.clone(),
            experiment_id: experiment,
            variant_id: v.id.clone(),
            purpose: self.def.purpose,
            subject: v.subject.as_ref().map(|s| render(s, vars)),
            body,
            sms,
        }
    }
}
