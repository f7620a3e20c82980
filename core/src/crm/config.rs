//! The CRM adapter configuration: which CRM, the custom fields ringback writes its keys
//! into, and who owns the tasks. Every field has a documented default, so an empty
//! document (`{}`) is a working configuration for an org set up as the README describes.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode, Result};

/// The CRMs ringback writes to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum System {
    /// Salesforce (REST API).
    Salesforce,
    /// HubSpot (CRM v3 objects, v4 associations).
    Hubspot,
}

impl System {
    /// Every system.
    pub const ALL: [System; 2] = [System::Salesforce, System::Hubspot];

    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            System::Salesforce => "salesforce",
            System::Hubspot => "hubspot",
        }
    }

    /// Parses `salesforce` or `hubspot` (any case).
    pub fn parse(name: &str) -> Result<System> {
        match name.trim().to_ascii_lowercase().as_str() {
            "salesforce" => Ok(System::Salesforce),
            "hubspot" => Ok(System::Hubspot),
            other => Err(Error::new(
                ErrorCode::InvalidCrm,
                "system",
                format!("unknown CRM `{other}`; expected salesforce or hubspot"),
            )),
        }
    }
}

/// Who owns the tasks ringback creates: per location, one owner id per escalation tier
/// (index 0 is tier 1; a tier beyond the list takes the last entry), else `default`, else
/// nobody (the CRM makes the API user the owner). Ids are the CRM's (Salesforce users
/// `005…` or queues `00G…`; HubSpot owner ids).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Owners {
    /// The owner when a location has none.
    pub default: Option<String>,
    /// Location id → owner ids by tier.
    pub locations: BTreeMap<String, Vec<String>>,
}

impl Owners {
    /// The owner of a task at `location` for escalation `tier` (1 = location staff).
    pub fn owner(&self, location: &str, tier: u8) -> Option<&str> {
        if let Some(list) = self.locations.get(location).filter(|l| !l.is_empty()) {
            let i = usize::from(tier.max(1)) - 1;
            return list.get(i).or_else(|| list.last()).map(String::as_str);
        }
        self.default.as_deref()
    }
}

/// Salesforce settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct SalesforceConfig {
    /// REST API version (`v62.0`).
    pub api_version: String,
    /// Lead field holding the upsert key: Text, **External ID + Unique**.
    pub lead_key_field: String,
    /// Task field holding the activity key (event id, or `event:step` for tasks): Text,
    /// External ID + Unique, so a retried sync updates instead of logging twice.
    pub activity_key_field: String,
    /// Task DateTime field for the SLA due instant (`ActivityDate` is a date only); `null`
    /// to write the instant only into `ReminderDateTime`.
    pub due_at_field: Option<String>,
    /// Lead field for the location id; `null` for none.
    pub location_field: Option<String>,
    /// `Company` of a new lead (required by Salesforce).
    pub lead_company: String,
    /// `LeadSource` of a new lead; `null` to leave it unset.
    pub lead_source: Option<String>,
    /// A Contact/Lead boolean for an SMS opt-out (no standard field exists; Marketing Cloud
    /// Connect has `et4ae5__HasOptedOutOfMobile__c`); `null` to report SMS opt-outs as
    /// not written.
    pub sms_opt_out_field: Option<String>,
}

impl Default for SalesforceConfig {
    fn default() -> Self {
        SalesforceConfig {
            api_version: "v62.0".to_string(),
            lead_key_field: "Ringback_Key__c".to_string(),
            activity_key_field: "Ringback_Event_Id__c".to_string(),
            due_at_field: Some("Ringback_Due_At__c".to_string()),
            location_field: None,
            lead_company: "Unknown (missed call)".to_string(),
            lead_source: Some("Phone Inquiry".to_string()),
            sms_opt_out_field: None,
        }
    }
}

/// HubSpot settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct HubspotConfig {
    /// Contact property holding the upsert key (`hasUniqueValue: true`).
    pub contact_key_property: String,
    /// Call property holding the event id (`hasUniqueValue: true`).
    pub call_key_property: String,
    /// Task property holding `event:step` (`hasUniqueValue: true`).
    pub task_key_property: String,
    /// `lifecyclestage` of a new contact.
    pub new_contact_lifecycle_stage: String,
    /// A contact boolean property for do-not-call (HubSpot has no standard one); `null` to
    /// report voice opt-outs as not written.
    pub do_not_call_property: Option<String>,
    /// A contact boolean property for an SMS opt-out (not in HubSpot's documented consent
    /// API, which covers email only); `null` to report SMS opt-outs as not written.
    pub sms_opt_out_property: Option<String>,
}

impl Default for HubspotConfig {
    fn default() -> Self {
        HubspotConfig {
            contact_key_property: "ringback_key".to_string(),
            call_key_property: "ringback_event_id".to_string(),
            task_key_property: "ringback_task_key".to_string(),
            new_contact_lifecycle_stage: "lead".to_string(),
            do_not_call_property: None,
            sms_opt_out_property: None,
        }
    }
}

/// The CRM adapter configuration (JSON or TOML).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// ISO 3166 region for numbers stored without a country code (`US`).
    pub region: String,
    /// Attempts per request when the CRM answers 429 or 5xx (1–20).
    pub max_attempts: u32,
    /// Seconds to wait before the first retry when the CRM gives no `Retry-After`
    /// (doubled on each further 5xx, at most 300).
    pub retry_seconds: u32,
    /// Task owners.
    pub owners: Owners,
    /// Salesforce settings.
    pub salesforce: SalesforceConfig,
    /// HubSpot settings.
    pub hubspot: HubspotConfig,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            region: "US".to_string(),
            max_attempts: 5,
            retry_seconds: 2,
            owners: Owners::default(),
            salesforce: SalesforceConfig::default(),
            hubspot: HubspotConfig::default(),
        }
    }
}

impl Config {
    /// Parses and checks a configuration from JSON text (`""` or `null` for the defaults).
    pub fn from_json(text: &str) -> Result<Config> {
        let t = text.trim();
        if t.is_empty() || t == "null" {
            return Ok(Config::default());
        }
        let c: Config = crate::error::from_json_str(t, ErrorCode::InvalidCrm)?;
        c.check()?;
        Ok(c)
    }

    /// Parses and checks a configuration from TOML text.
    pub fn from_toml(text: &str) -> Result<Config> {
        let value: serde_json::Value = toml::from_str(text).map_err(|e| {
            Error::new(
                ErrorCode::InvalidJson,
                "",
                format!("not valid TOML: {}", e.message()),
            )
        })?;
        let c: Config = crate::error::from_json_value(&value, ErrorCode::InvalidCrm)?;
        c.check()?;
        Ok(c)
    }

    /// JSON (starting with `{`) or TOML.
    pub fn parse(text: &str) -> Result<Config> {
        if text.trim_start().starts_with('{') || text.trim().is_empty() || text.trim() == "null" {
            Self::from_json(text)
        } else {
            Self::from_toml(text)
        }
    }

    /// Checks values serde cannot: API names, the version, the region, the bounds.
    pub fn check(&self) -> Result<()> {
        let bad = |path: &str, msg: String| Err(Error::new(ErrorCode::InvalidCrm, path, msg));
        if crate::phone::region(&self.region).is_none() {
            return bad(
                "region",
                format!("`{}` is not an ISO 3166 region code", self.region),
            );
        }
        if !(1..=20).contains(&self.max_attempts) {
            return bad(
                "max_attempts",
                format!("{} is not between 1 and 20", self.max_attempts),
            );
        }
        if self.retry_seconds > 300 {
            return bad(
                "retry_seconds",
                format!("{} is over 300", self.retry_seconds),
            );
        }
        let v = &self.salesforce.api_version;
        let version_ok = v
            .strip_prefix('v')
            .and_then(|n| n.split_once('.'))
            .is_some_and(|(a, b)| {
                !a.is_empty()
                    && !b.is_empty()
                    && a.bytes().chain(b.bytes()).all(|c| c.is_ascii_digit())
            });
        if !version_ok {
            return bad("salesforce.api_version", format!("`{v}` is not like v62.0"));
        }
        let names: [(&str, Option<&String>); 9] = [
            (
                "salesforce.lead_key_field",
                Some(&self.salesforce.lead_key_field),
            ),
            (
                "salesforce.activity_key_field",
                Some(&self.salesforce.activity_key_field),
            ),
            (
                "salesforce.due_at_field",
                self.salesforce.due_at_field.as_ref(),
            ),
            (
                "salesforce.location_field",
                self.salesforce.location_field.as_ref(),
            ),
            (
                "salesforce.sms_opt_out_field",
                self.salesforce.sms_opt_out_field.as_ref(),
            ),
            (
                "hubspot.contact_key_property",
                Some(&self.hubspot.contact_key_property),
            ),
            (
                "hubspot.call_key_property",
                Some(&self.hubspot.call_key_property),
            ),
            (
                "hubspot.task_key_property",
                Some(&self.hubspot.task_key_property),
            ),
            (
                "hubspot.do_not_call_property",
                self.hubspot.do_not_call_property.as_ref(),
            ),
        ];
        for (path, name) in names {
            if let Some(n) = name {
                let ok = n.len() <= 80
                    && n.starts_with(|c: char| c.is_ascii_alphabetic())
                    && n.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_');
                if !ok {
                    return bad(path, format!("`{n}` is not an API field name"));
                }
            }
        }
        for (loc, list) in &self.owners.locations {
            if let Some(i) = list.iter().position(|o| o.trim().is_empty()) {
                return bad(
                    &format!("owners.locations.{loc}[{i}]"),
                    "an empty owner id".to_string(),
                );
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_document_is_the_documented_defaults() {
        let c = Config::from_json("{}").expect("defaults");
        assert_eq!(c, Config::default());
        assert_eq!(c.salesforce.lead_key_field, "Ringback_Key__c");
        assert_eq!(c.hubspot.contact_key_property, "ringback_key");
        assert_eq!(Config::from_json("").expect("none"), Config::default());
    }

    #[test]
    fn bad_values_are_named_by_path() {
        for (text, path) in [
            (
                r#"{"salesforce": {"lead_key_field": "Ringback Key"}}"#,
                "salesforce.lead_key_field",
            ),
            (
                r#"{"salesforce": {"api_version": "62"}}"#,
                "salesforce.api_version",
            ),
            (r#"{"max_attempts": 0}"#, "max_attempts"),
            (r#"{"region": "XX"}"#, "region"),
            (r#"{"hubspot": {"colour": "red"}}"#, "hubspot.colour"),
            (
                r#"{"owners": {"locations": {"phx-01": ["005A", " "]}}}"#,
                "owners.locations.phx-01[1]",
            ),
        ] {
            let e = Config::from_json(text).expect_err(text);
            assert_eq!(
                (e.code, e.path.as_str()),
                (ErrorCode::InvalidCrm, path),
                "{text}"
            );
        }
        let toml = Config::parse("max_attempts = 3\n[owners]\ndefault = \"005X\"\n").expect("toml");
        assert_eq!(
            (toml.max_attempts, toml.owners.default.as_deref()),
            (3, Some("005X"))
        );
    }

    #[test]
    fn owners_by_location_and_tier() {
        let c = Config::from_json(
            r#"{"owners": {"default": "005D", "locations": {"phx-01": ["005A", "00GQ"]}}}"#,
        )
        .expect("config");
        assert_eq!(c.owners.owner("phx-01", 1), Some("005A"));
        assert_eq!(c.owners.owner("phx-01", 2), Some("00GQ"));
        assert_eq!(
            c.owners.owner("phx-01", 3),
            Some("00GQ"),
            "past the list: the last"
        );
        assert_eq!(c.owners.owner("den-01", 1), Some("005D"));
        assert_eq!(Owners::default().owner("x", 1), None);
    }
}
