//! The shared vocabulary of the documents: the enums that policies, decisions, templates
//! and inquiry types all use (verticals, channels, purposes, urgencies, cohorts, SMS
//! encodings). It imports nothing, so every other document can build on it.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The business verticals ringback has rules for.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Vertical {
    /// Plumbing, HVAC, electrical, roofing, ...
    HomeServices,
    /// Medical spas.
    MedSpa,
    /// Dental practices.
    Dental,
    /// Cannabis dispensaries.
    Cannabis,
    /// Financial services.
    Financial,
    /// Car dealerships and repair shops.
    Auto,
    /// Law firms.
    Legal,
    /// Anything else.
    General,
}

impl Vertical {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Vertical::HomeServices => "home_services",
            Vertical::MedSpa => "med_spa",
            Vertical::Dental => "dental",
            Vertical::Cannabis => "cannabis",
            Vertical::Financial => "financial",
            Vertical::Auto => "auto",
            Vertical::Legal => "legal",
            Vertical::General => "general",
        }
    }
}

/// A contact channel.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Text message.
    Sms,
    /// Phone call (a staff callback task).
    Voice,
    /// Email.
    Email,
}

impl Channel {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Sms => "sms",
            Channel::Voice => "voice",
            Channel::Email => "email",
        }
    }

    /// Parses `sms`, `voice` (or `call`, `phone`) and `email`, case-insensitively.
    pub fn parse(text: &str) -> Option<Channel> {
        match text.trim().to_ascii_lowercase().as_str() {
            "sms" | "text" => Some(Channel::Sms),
            "voice" | "call" | "phone" => Some(Channel::Voice),
            "email" => Some(Channel::Email),
            _ => None,
        }
    }
}

/// What a message is for; decides the consent it needs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// A purely responsive reply to the caller's own call (no offers).
    #[default]
    Responsive,
    /// Informational follow-up (needs consent on record beyond the first reply).
    Informational,
    /// Marketing (needs express written consent).
    Marketing,
}

impl Purpose {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Responsive => "responsive",
            Purpose::Informational => "informational",
            Purpose::Marketing => "marketing",
        }
    }
}

/// How fast the caller needs an answer.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Urgency {
    /// Not time-sensitive.
    Low,
    /// Routine.
    Normal,
    /// Respond within minutes.
    High,
    /// An emergency.
    Critical,
}

impl Urgency {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Urgency::Low => "low",
            Urgency::Normal => "normal",
            Urgency::High => "high",
            Urgency::Critical => "critical",
        }
    }

    /// One level up (critical stays critical).
    pub fn raised(self) -> Urgency {
        match self {
            Urgency::Low => Urgency::Normal,
            Urgency::Normal => Urgency::High,
            Urgency::High | Urgency::Critical => Urgency::Critical,
        }
    }

    /// Critical or high.
    pub fn is_urgent(self) -> bool {
        matches!(self, Urgency::High | Urgency::Critical)
    }
}

/// Who the caller is to the business.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Cohort {
    /// No record yet.
    NewLead,
    /// A lead already on record.
    ExistingLead,
    /// A customer.
    ExistingCustomer,
    /// A customer tagged `vip` or above the lifetime-value threshold.
    VipCustomer,
    /// A customer with no activity for longer than the lapse threshold.
    LapsedCustomer,
}

impl Cohort {
    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Cohort::NewLead => "new_lead",
            Cohort::ExistingLead => "existing_lead",
            Cohort::ExistingCustomer => "existing_customer",
            Cohort::VipCustomer => "vip_customer",
            Cohort::LapsedCustomer => "lapsed_customer",
        }
    }
}

/// The character encoding an SMS is sent with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Encoding {
    /// GSM 03.38 7-bit default alphabet (basic table plus extension table).
    Gsm7,
    /// UCS-2 (counted as UTF-16 code units).
    Ucs2,
}

impl Encoding {
    /// The wire name: `"gsm7"` or `"ucs2"` (same as the serde form).
    pub fn as_str(self) -> &'static str {
        match self {
            Encoding::Gsm7 => "gsm7",
            Encoding::Ucs2 => "ucs2",
        }
    }
}
