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
    /// Zoho CRM (REST API v7).
    Zoho,
    /// Microsoft Dynamics 365 / Dataverse (Web API v9.2).
    Dynamics,
    /// Pipedrive (API v2, v1 where v2 has no endpoint).
    Pipedrive,
}

impl System {
    /// Every system.
    pub const ALL: [System; 5] = [
        System::Salesforce,
        System::Hubspot,
        System::Zoho,
        System::Dynamics,
        System::Pipedrive,
    ];

    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            System::Salesforce => "salesforce",
            System::Hubspot => "hubspot",
            System::Zoho => "zoho",
            System::Dynamics => "dynamics",
            System::Pipedrive => "pipedrive",
        }
    }

    /// Parses a system's name (any case; `dynamics365` and `dataverse` for Dynamics).
    pub fn parse(name: &str) -> Result<System> {
        match name.trim().to_ascii_lowercase().as_str() {
            "salesforce" => Ok(System::Salesforce),
            "hubspot" => Ok(System::Hubspot),
            "zoho" => Ok(System::Zoho),
            "dynamics" | "dynamics365" | "dataverse" => Ok(System::Dynamics),
            "pipedrive" => Ok(System::Pipedrive),
            other => Err(Error::new(
                ErrorCode::InvalidCrm,
                "system",
                format!(
                    "unknown CRM `{other}`; expected salesforce, hubspot, zoho, dynamics or pipedrive"
                ),
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

/// Zoho CRM settings. The key fields are custom fields marked "Do not allow duplicate
/// values" (Leads: the upsert's `duplicate_check_fields`; Calls and Tasks, which Zoho cannot
/// upsert: the backstop behind the find by key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ZohoConfig {
    /// API version (`v7`).
    pub api_version: String,
    /// Leads field holding the upsert key (single line, unique).
    pub lead_key_field: String,
    /// Calls field holding the event id (single line, unique).
    pub call_key_field: String,
    /// Tasks field holding `event:step` (single line, unique).
    pub task_key_field: String,
    /// Tasks DateTime field for the SLA due instant (`Due_Date` is a date only; the instant
    /// also goes into `Remind_At`); `null` for none.
    pub due_at_field: Option<String>,
    /// The API user's IANA time zone: times are written with its offset at each instant.
    /// `null`: the location's offset at that instant (the same instant either way).
    pub time_zone: Option<String>,
    /// `Company` of a new lead (mandatory in the standard layout).
    pub lead_company: String,
    /// `Lead_Source` of a new lead; `null` to leave it unset.
    pub lead_source: Option<String>,
    /// Workflow triggers the lead upsert runs (`[]` for none).
    pub trigger: Vec<String>,
    /// A Leads/Contacts boolean for do-not-call (Zoho has none); `null` to report voice
    /// opt-outs as not written.
    pub do_not_call_field: Option<String>,
    /// A Leads/Contacts boolean for an SMS opt-out; `null` to report them as not written.
    pub sms_opt_out_field: Option<String>,
}

impl Default for ZohoConfig {
    fn default() -> Self {
        ZohoConfig {
            api_version: "v7".to_string(),
            lead_key_field: "Ringback_Key".to_string(),
            call_key_field: "Ringback_Event_Id".to_string(),
            task_key_field: "Ringback_Task_Key".to_string(),
            due_at_field: Some("Ringback_Due_At".to_string()),
            time_zone: None,
            lead_company: "Unknown (missed call)".to_string(),
            lead_source: None,
            trigger: vec!["workflow".to_string()],
            do_not_call_field: None,
            sms_opt_out_field: None,
        }
    }
}

/// Dynamics 365 / Dataverse settings. The key columns carry alternate keys (status
/// `Active`) on lead, phonecall and task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct DynamicsConfig {
    /// Web API version (`v9.2`).
    pub api_version: String,
    /// Lead column (alternate key) holding the upsert key.
    pub lead_key: String,
    /// Phone call column (alternate key) holding the event id.
    pub phonecall_key: String,
    /// Task column (alternate key) holding `event:step`.
    pub task_key: String,
    /// `companyname` of a new lead; `null` to leave it unset.
    pub lead_company: Option<String>,
    /// A lead/contact boolean column for an SMS opt-out (none is standard); `null` to
    /// report SMS opt-outs as not written.
    pub sms_opt_out_field: Option<String>,
}

impl Default for DynamicsConfig {
    fn default() -> Self {
        DynamicsConfig {
            api_version: "v9.2".to_string(),
            lead_key: "ringback_key".to_string(),
            phonecall_key: "ringback_eventid".to_string(),
            task_key: "ringback_taskkey".to_string(),
            lead_company: Some("Unknown (missed call)".to_string()),
            sms_opt_out_field: None,
        }
    }
}

/// Pipedrive settings. Pipedrive has no upsert and no unique field: see the
/// [`crate::crm::pipedrive`] module for what the adapter guarantees.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct PipedriveConfig {
    /// The key of the person custom field (text, searchable) holding the upsert key:
    /// Pipedrive names custom fields by a 40-character hash.
    pub person_key_field: String,
    /// Also create a lead in the Leads Inbox for a new caller.
    pub create_lead: bool,
    /// Activity type key of the missed call (converted into the call log).
    pub call_activity_type: String,
    /// Activity type key of a call-back task.
    pub callback_activity_type: String,
    /// Activity type key of any other staff task.
    pub task_activity_type: String,
    /// A person custom field key for do-not-call; `null` to report voice opt-outs as not
    /// written.
    pub do_not_call_field: Option<String>,
    /// A person custom field key for an SMS opt-out; `null` to report them as not written.
    pub sms_opt_out_field: Option<String>,
}

impl Default for PipedriveConfig {
    fn default() -> Self {
        PipedriveConfig {
            person_key_field: "ringback_key".to_string(),
            create_lead: false,
            call_activity_type: "call".to_string(),
            callback_activity_type: "call".to_string(),
            task_activity_type: "task".to_string(),
            do_not_call_field: None,
            sms_opt_out_field: None,
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
    /// Zoho CRM settings.
    pub zoho: ZohoConfig,
    /// Dynamics 365 settings.
    pub dynamics: DynamicsConfig,
    /// Pipedrive settings.
    pub pipedrive: PipedriveConfig,
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
            zoho: ZohoConfig::default(),
            dynamics: DynamicsConfig::default(),
            pipedrive: PipedriveConfig::default(),
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
        for (path, v) in [
            ("zoho.api_version", &self.zoho.api_version),
            ("dynamics.api_version", &self.dynamics.api_version),
        ] {
            let ok = v.strip_prefix('v').is_some_and(|n| {
                !n.is_empty()
                    && n.split('.')
                        .all(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()))
            });
            if !ok {
                return bad(path, format!("`{v}` is not a version like v7 or v9.2"));
            }
        }
        if let Some(tz) = &self.zoho.time_zone {
            if tz.parse::<chrono_tz::Tz>().is_err() {
                return bad("zoho.time_zone", format!("`{tz}` is not an IANA time zone"));
            }
        }
        let names: [(&str, Option<&String>); 23] = [
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
            ("zoho.lead_key_field", Some(&self.zoho.lead_key_field)),
            ("zoho.call_key_field", Some(&self.zoho.call_key_field)),
            ("zoho.task_key_field", Some(&self.zoho.task_key_field)),
            ("zoho.due_at_field", self.zoho.due_at_field.as_ref()),
            (
                "zoho.do_not_call_field",
                self.zoho.do_not_call_field.as_ref(),
            ),
            (
                "zoho.sms_opt_out_field",
                self.zoho.sms_opt_out_field.as_ref(),
            ),
            ("dynamics.lead_key", Some(&self.dynamics.lead_key)),
            ("dynamics.phonecall_key", Some(&self.dynamics.phonecall_key)),
            ("dynamics.task_key", Some(&self.dynamics.task_key)),
            (
                "dynamics.sms_opt_out_field",
                self.dynamics.sms_opt_out_field.as_ref(),
            ),
            (
                "pipedrive.person_key_field",
                Some(&self.pipedrive.person_key_field),
            ),
            (
                "pipedrive.call_activity_type",
                Some(&self.pipedrive.call_activity_type),
            ),
            (
                "pipedrive.callback_activity_type",
                Some(&self.pipedrive.callback_activity_type),
            ),
            (
                "pipedrive.task_activity_type",
                Some(&self.pipedrive.task_activity_type),
            ),
        ];
        for (path, name) in names {
            if let Some(n) = name {
                // Pipedrive custom field keys are 40-character hashes (may start with a digit).
                let lead_ok = path.starts_with("pipedrive.")
                    || n.starts_with(|c: char| c.is_ascii_alphabetic());
                let ok = n.len() <= 80
                    && lead_ok
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
