//! A message template as a policy defines it (top-level `templates`); the built-in
//! templates in `core/data/default_templates.json` have the same shape.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::vocab::{Channel, Cohort, Purpose, Urgency, Vertical};

/// A variant of a template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VariantDef {
    /// Variant id (unique within the template).
    pub id: String,
    /// Relative weight for sticky assignment.
    #[serde(default = "one")]
    pub weight: f64,
    /// The variant's body.
    pub body: String,
    /// The variant's email subject.
    #[serde(default)]
    pub subject: Option<String>,
}

fn one() -> f64 {
    1.0
}

/// A message template.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TemplateDef {
    /// Unique id; a policy template with a built-in id replaces it.
    pub id: String,
    /// Channel.
    pub channel: Channel,
    /// Vertical, or any.
    #[serde(default)]
    pub vertical: Option<Vertical>,
    /// Inquiry type, or any.
    #[serde(default)]
    pub inquiry_type: Option<String>,
    /// Cohort, or any.
    #[serde(default)]
    pub cohort: Option<Cohort>,
    /// Category, or any.
    #[serde(default)]
    pub category: Option<String>,
    /// Urgency, or any.
    #[serde(default)]
    pub urgency: Option<Urgency>,
    /// Locale (`en-US`), or any.
    #[serde(default)]
    pub locale: Option<String>,
    /// Responsive or marketing (marketing needs written consent).
    #[serde(default)]
    pub purpose: Purpose,
    /// Email subject.
    #[serde(default)]
    pub subject: Option<String>,
    /// The body with `{{variable|default}}` placeholders.
    pub body: String,
    /// Experiment id for variant assignment (defaults to the template id).
    #[serde(default)]
    pub experiment_id: Option<String>,
    /// Variants; when present the body is not used.
    #[serde(default)]
    pub variants: Vec<VariantDef>,
}
