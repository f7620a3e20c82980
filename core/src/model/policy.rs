//! The policy document (SPEC §3.3): one per organization, with inheritance
//! `defaults` → `verticals.<name>` → `locations[i]`.

use schemars::JsonSchema;
use serde::{de, Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

use super::inquiry::InquiryType;
use super::template::TemplateDef;
use super::time::TimeZone;
pub use super::vocab::{Channel, Purpose, Vertical};

/// Opening intervals for each weekday; a missing day is closed. Each interval is
/// `["HH:MM", "HH:MM"]`; an end at or before the start runs past midnight, `24:00` ends at
/// midnight.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WeeklyHours {
    /// Monday.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mon: Vec<[String; 2]>,
    /// Tuesday.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tue: Vec<[String; 2]>,
    /// Wednesday.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub wed: Vec<[String; 2]>,
    /// Thursday.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub thu: Vec<[String; 2]>,
    /// Friday.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fri: Vec<[String; 2]>,
    /// Saturday.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sat: Vec<[String; 2]>,
    /// Sunday.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sun: Vec<[String; 2]>,
}

impl WeeklyHours {
    /// The days in Monday-first order with their names.
    pub fn days(&self) -> [(&'static str, &Vec<[String; 2]>); 7] {
        [
            ("mon", &self.mon),
            ("tue", &self.tue),
            ("wed", &self.wed),
            ("thu", &self.thu),
            ("fri", &self.fri),
            ("sat", &self.sat),
            ("sun", &self.sun),
        ]
    }

    /// Monday to Friday 09:00–17:00, the built-in default.
    pub fn office() -> Self {
        let day = || vec![["09:00".to_string(), "17:00".to_string()]];
        WeeklyHours {
            mon: day(),
            tue: day(),
            wed: day(),
            thu: day(),
            fri: day(),
            sat: vec![],
            sun: vec![],
        }
    }
}

/// A holiday: a date string (`"2026-11-26"`, closed all day) or an object with special
/// hours (`{"date": "2026-12-24", "name": "Christmas Eve", "hours": [["08:00","12:00"]]}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Holiday {
    /// Closed all day.
    Closed(String),
    /// Closed or open with special hours.
    Special(SpecialDay),
}

/// A date with special hours (empty `hours` = closed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SpecialDay {
    /// The local date, `YYYY-MM-DD`.
    pub date: String,
    /// A label for reports and traces.
    #[serde(default)]
    pub name: Option<String>,
    /// Opening intervals that replace the weekday's; empty or absent = closed.
    #[serde(default)]
    pub hours: Vec<[String; 2]>,
}

impl Holiday {
    /// The date text.
    pub fn date(&self) -> &str {
        match self {
            Holiday::Closed(d) => d,
            Holiday::Special(s) => &s.date,
        }
    }
}

impl<'de> Deserialize<'de> for Holiday {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> de::Visitor<'de> for V {
            type Value = Holiday;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a date \"YYYY-MM-DD\" or an object {date, name, hours}")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Holiday, E> {
                Ok(Holiday::Closed(v.to_string()))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Holiday, A::Error> {
                SpecialDay::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(Holiday::Special)
            }
        }
        d.deserialize_any(V)
    }
}

/// Identity and dedup rules (SPEC §4.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct DedupSettings {
    /// More distinct contacts than this on one number → `needs_resolution`.
    pub shared_line_threshold: u32,
    /// A missed call from the same contact within this many minutes is a repeat.
    pub repeat_window_minutes: u32,
    /// No second first-touch message within this many minutes.
    pub message_cooldown_minutes: u32,
    /// Two or more missed calls within this many minutes raise urgency one level.
    pub urgent_repeat_minutes: u32,
}

impl Default for DedupSettings {
    fn default() -> Self {
        DedupSettings {
            shared_line_threshold: 3,
            repeat_window_minutes: 1440,
            message_cooldown_minutes: 1440,
            urgent_repeat_minutes: 30,
        }
    }
}

/// Audit-trace settings (SPEC §4.13).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct AuditSettings {
    /// Show phone numbers unmasked in the trace.
    pub include_pii: bool,
    /// How much of the rule trace a decision carries: `codes` (default: stage, rule and
    /// result of every rule, no words), `full` (each with its detail in words, as
    /// `ringback explain` renders it) or `off` (no trace: bulk replays). Left out of the
    /// policy fingerprint: the level changes what a decision reports, not what it decides,
    /// so a decision's id is the same at every level.
    #[serde(skip_serializing_if = "TraceLevel::is_default")]
    pub trace: TraceLevel,
}

/// How much of the rule trace a decision carries (`audit.trace`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TraceLevel {
    /// No trace.
    Off,
    /// Stage, rule and result of every rule evaluated.
    #[default]
    Codes,
    /// Every rule with its detail in words.
    Full,
}

impl TraceLevel {
    /// Whether this is the default level (`codes`).
    pub fn is_default(&self) -> bool {
        *self == TraceLevel::Codes
    }
}

/// SLA rules (SPEC §4.7): who must respond by when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct SlaSettings {
    /// Count only open minutes of the location's calendar.
    pub business_time: bool,
    /// Critical or high urgency: respond within this many minutes.
    pub urgent_minutes: u32,
    /// New lead (or existing lead), routine: respond within this many minutes.
    pub new_lead_minutes: u32,
    /// Existing customer, routine: minutes, or null for "by the end of the business day".
    pub existing_customer_minutes: Option<u32>,
    /// After hours: respond within this many minutes of the next opening.
    pub after_hours_minutes_after_open: u32,
    /// Urgent after-hours call at a location with an on-call handler: minutes.
    pub on_call_minutes: u32,
    /// How far ahead to look for an opening, in days.
    pub horizon_days: u32,
}

impl Default for SlaSettings {
    fn default() -> Self {
        SlaSettings {
            business_time: false,
            urgent_minutes: 5,
            new_lead_minutes: 30,
            existing_customer_minutes: None,
            after_hours_minutes_after_open: 60,
            on_call_minutes: 15,
            horizon_days: 14,
        }
    }
}

/// Who handles each escalation tier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct EscalationSettings {
    /// Tier 2 takes over this many minutes after the SLA is due.
    pub tier2_after_due_minutes: u32,
    /// Tier 3 takes over this many minutes after the SLA is due.
    pub tier3_after_due_minutes: u32,
    /// Tier 1 handler (location staff).
    pub tier1_handler: String,
    /// Tier 2 handler (corporate).
    pub tier2_handler: String,
    /// Tier 3 handler (vertical specialist).
    pub tier3_handler: String,
    /// Handler of urgent after-hours calls where the location has one.
    pub on_call_handler: String,
    /// Inquiry types that go to tier 3 at once (compliance-sensitive).
    pub immediate_tier3_inquiry_types: Vec<String>,
}

impl Default for EscalationSettings {
    fn default() -> Self {
        EscalationSettings {
            tier2_after_due_minutes: 15,
            tier3_after_due_minutes: 60,
            tier1_handler: "location_staff".to_string(),
            tier2_handler: "corporate".to_string(),
            tier3_handler: "vertical_specialist".to_string(),
            on_call_handler: "on_call".to_string(),
            immediate_tier3_inquiry_types: Vec::new(),
        }
    }
}

/// Channel preference order (SPEC §4.8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ChannelSettings {
    /// Channels in order of preference.
    pub order: Vec<Channel>,
    /// Per-category override of `order` (`voicemail`, `after_hours`, `abandoned`,
    /// `ring_no_answer`).
    pub by_category: BTreeMap<String, Vec<Channel>>,
}

impl Default for ChannelSettings {
    fn default() -> Self {
        ChannelSettings {
            order: vec![Channel::Sms, Channel::Voice, Channel::Email],
            by_category: BTreeMap::new(),
        }
    }
}

/// An extra follow-up step after the first touch and the callback.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtraStep {
    /// Step id (`nudge`, `review_request`, ...).
    pub id: String,
    /// Channel.
    pub channel: Channel,
    /// Minutes after the missed call.
    pub after_minutes: u32,
    /// What the message is for.
    #[serde(default)]
    pub purpose: Purpose,
    /// Template to use.
    #[serde(default)]
    pub template_id: Option<String>,
}

/// The follow-up plan (SPEC §4.10).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct FollowUpSettings {
    /// Send a first-touch message (or call task) right away.
    pub first_touch: bool,
    /// Pin the first text to this template id (empty: the most specific template).
    pub first_touch_template: String,
    /// Pin the first email to this template id (empty: the most specific template).
    pub first_touch_email_template: String,
    /// Add a staff callback task due by the SLA.
    pub callback: bool,
    /// Further steps.
    pub steps: Vec<ExtraStep>,
}

impl Default for FollowUpSettings {
    fn default() -> Self {
        FollowUpSettings {
            first_touch: true,
            first_touch_template: String::new(),
            first_touch_email_template: String::new(),
            callback: true,
            steps: Vec::new(),
        }
    }
}

/// Compliance settings (SPEC §4.9) that a policy may tighten.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ComplianceSettings {
    /// Policy-wide cap on calls and texts to one person per rolling 24 hours.
    pub max_contacts_per_24h: Option<u32>,
    /// The location sells alcohol: texts need a 21+ age-verified contact (tag `age_verified`).
    pub age_gate: bool,
    /// Disclosure appended to every message of a financial-services location.
    pub financial_disclosure: String,
}

impl Default for ComplianceSettings {
    fn default() -> Self {
        ComplianceSettings {
            max_contacts_per_24h: Some(3),
            age_gate: false,
            financial_disclosure: "Messages may be monitored and archived. Not an offer or solicitation to buy or sell securities.".to_string(),
        }
    }
}

/// Intent scoring settings (SPEC §4.5).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct IntentSettings {
    /// Replace the vertical's built-in inquiry types (id, label, value_multiplier, urgency,
    /// prior, phrases).
    pub types: Option<Vec<InquiryType>>,
    /// Extra transcript phrases per inquiry type: `{"repair": [["garbage disposal", 1.5]]}`.
    pub phrases: BTreeMap<String, Vec<(String, f64)>>,
    /// Lifetime value at or above which a customer is a VIP (urgency at least high).
    pub vip_lifetime_value: f64,
    /// A customer with no activity for this many days is lapsed.
    pub lapsed_after_days: u32,
    /// Softmax temperature (calibrated on the evaluation set).
    pub temperature: f64,
    /// Weight of attribution text (campaign, keywords, landing page) relative to a transcript.
    pub attribution_weight: f64,
}

impl Default for IntentSettings {
    fn default() -> Self {
        IntentSettings {
            types: None,
            phrases: BTreeMap::new(),
            vip_lifetime_value: 5000.0,
            lapsed_after_days: 365,
            temperature: 0.7,
            attribution_weight: 0.5,
        }
    }
}

/// The learning loop and experiments (SPEC §4.12).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct LearningSettings {
    /// Choose template variants by Thompson sampling over learned outcomes (else sticky hash).
    pub thompson_sampling: bool,
    /// Learned counts halve every this many days.
    pub half_life_days: f64,
    /// Cohorts that never get experimental variants.
    pub excluded_cohorts: Vec<String>,
}

impl Default for LearningSettings {
    fn default() -> Self {
        LearningSettings {
            thompson_sampling: false,
            half_life_days: 90.0,
            excluded_cohorts: vec!["vip_customer".to_string()],
        }
    }
}

/// Offline-conversion settings for outcomes (SPEC §4.11).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct AttributionSettings {
    /// Google Ads conversion action name for a `converted` outcome.
    pub conversion_name: String,
    /// Google Ads conversion action name for an `engaged` outcome (none: no row).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub engaged_conversion_name: Option<String>,
}

impl Default for AttributionSettings {
    fn default() -> Self {
        AttributionSettings {
            conversion_name: "Missed call recovered".to_string(),
            engaged_conversion_name: None,
        }
    }
}

/// A location after inheritance; also the shape of `defaults` and `verticals.<name>`
/// (where every field is optional).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct LocationConfig {
    /// Unique location id (required on a location).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Display name (required on a location).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Business vertical (required on a location).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vertical: Option<Vertical>,
    /// IANA time zone of the location (required on a location).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<TimeZone>,
    /// ISO 3166 country code; the default region for phone numbers.
    pub country: String,
    /// US state / Canadian province code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// The location's main phone number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Weekly opening hours.
    pub hours: WeeklyHours,
    /// Closed dates and dates with special hours.
    pub holidays: Vec<Holiday>,
    /// Average value of an inquiry, in `currency`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub avg_inquiry_value: Option<f64>,
    /// ISO 4217 currency code.
    pub currency: String,
    /// Whether an after-hours on-call handler exists for urgent calls.
    pub on_call: bool,
    /// Identity and dedup rules.
    pub dedup: DedupSettings,
    /// Audit-trace settings.
    pub audit: AuditSettings,
    /// SLA rules.
    pub sla: SlaSettings,
    /// Escalation ladder.
    pub escalation: EscalationSettings,
    /// Channel order.
    pub channels: ChannelSettings,
    /// The follow-up plan.
    pub follow_up: FollowUpSettings,
    /// Compliance settings.
    pub compliance: ComplianceSettings,
    /// Intent scoring.
    pub intent: IntentSettings,
    /// Message locale (`en-US`, `es-US`).
    pub locale: String,
    /// Learning loop and experiments.
    pub learning: LearningSettings,
    /// Offline-conversion settings for outcomes.
    pub attribution: AttributionSettings,
}

impl Default for LocationConfig {
    fn default() -> Self {
        LocationConfig {
            id: None,
            name: None,
            vertical: None,
            time_zone: None,
            country: "US".to_string(),
            state: None,
            phone: None,
            hours: WeeklyHours::office(),
            holidays: Vec::new(),
            avg_inquiry_value: None,
            currency: "USD".to_string(),
            on_call: false,
            dedup: DedupSettings::default(),
            audit: AuditSettings::default(),
            sla: SlaSettings::default(),
            escalation: EscalationSettings::default(),
            channels: ChannelSettings::default(),
            follow_up: FollowUpSettings::default(),
            compliance: ComplianceSettings::default(),
            intent: IntentSettings::default(),
            locale: "en-US".to_string(),
            learning: LearningSettings::default(),
            attribution: AttributionSettings::default(),
        }
    }
}

/// The policy document. Each layer (`defaults`, `verticals.<name>`, `locations[i]`) has the
/// shape of [`LocationConfig`]; layers are deep-merged, later wins. A user document is
/// itself applied on top of the built-in [`Policy::default`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Echoed in every decision.
    pub version: String,
    /// Settings for every location.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    #[schemars(with = "LocationConfig")]
    pub defaults: Map<String, Value>,
    /// Settings per vertical.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(with = "BTreeMap<Vertical, LocationConfig>")]
    pub verticals: BTreeMap<Vertical, Map<String, Value>>,
    /// The locations.
    #[serde(default)]
    #[schemars(with = "Vec<LocationConfig>")]
    pub locations: Vec<Map<String, Value>>,
    /// Message templates, added to the built-in ones (the same id replaces a built-in).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub templates: Vec<TemplateDef>,
}

impl Default for Policy {
    /// The built-in default policy: every rule with its default value, no locations.
    fn default() -> Self {
        let defaults = match serde_json::to_value(LocationConfig::default()) {
            Ok(Value::Object(map)) => map,
            _ => Map::new(),
        };
        let mut verticals = BTreeMap::new();
        // Cannabis cannot be texted on US carriers: call first, email last.
        if let Value::Object(layer) = serde_json::json!({"channels": {"order": ["voice", "email"]}})
        {
            verticals.insert(Vertical::Cannabis, layer);
        }
        // Compliance-sensitive intents go straight to the specialist tier.
        if let Value::Object(layer) =
            serde_json::json!({"escalation": {"immediate_tier3_inquiry_types": ["complaint"]}})
        {
            verticals.insert(Vertical::Financial, layer);
        }
        if let Value::Object(layer) = serde_json::json!({"escalation": {"immediate_tier3_inquiry_types": ["adverse_reaction"]}})
        {
            verticals.insert(Vertical::MedSpa, layer);
        }
        Policy {
            version: "ringback-default".to_string(),
            defaults,
            verticals,
            locations: Vec::new(),
            templates: Vec::new(),
        }
    }
}

impl Policy {
    /// Parses a policy document from JSON text.
    pub fn from_json(text: &str) -> crate::Result<Self> {
        crate::error::from_json_str(text, crate::ErrorCode::InvalidPolicy)
    }

    /// Parses a policy document from TOML text.
    pub fn from_toml(text: &str) -> crate::Result<Self> {
        let value: Value = toml::from_str(text).map_err(|e| {
            crate::Error::new(
                crate::ErrorCode::InvalidJson,
                "",
                format!("invalid TOML: {e}"),
            )
        })?;
        crate::error::from_json_value(&value, crate::ErrorCode::InvalidPolicy)
    }

    /// Parses JSON or TOML, guessing from the first non-blank character (`{` = JSON).
    pub fn parse(text: &str) -> crate::Result<Self> {
        if text.trim_start().starts_with('{') {
            Self::from_json(text)
        } else {
            Self::from_toml(text)
        }
    }

    /// Applies `self` as a patch on top of `base`, returning the combined document.
    pub fn layered_on(&self, base: &Policy) -> Policy {
        let mut out = base.clone();
        out.version = self.version.clone();
        deep_merge_map(&mut out.defaults, &self.defaults);
        for (v, layer) in &self.verticals {
            deep_merge_map(out.verticals.entry(*v).or_default(), layer);
        }
        out.locations = self.locations.clone();
        out.templates = self.templates.clone();
        out
    }
}

/// Keys whose value a later layer replaces whole instead of merging into: a location's
/// `hours` must not inherit weekdays it left out from the defaults.
const ATOMIC_KEYS: [&str; 1] = ["hours"];

/// Deep-merges `patch` into `base`: objects merge key by key (except the atomic `hours`),
/// anything else replaces.
pub fn deep_merge_map(base: &mut Map<String, Value>, patch: &Map<String, Value>) {
    for (k, v) in patch {
        match (base.get_mut(k), v) {
            (Some(Value::Object(b)), Value::Object(p)) if !ATOMIC_KEYS.contains(&k.as_str()) => {
                deep_merge_map(b, p)
            }
            _ => {
                base.insert(k.clone(), v.clone());
            }
        }
    }
}
