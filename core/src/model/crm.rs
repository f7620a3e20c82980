//! The CRM snapshot the integrator passes with each event (SPEC §3.2).

use schemars::JsonSchema;
use serde::{de, Deserialize, Deserializer, Serialize};

use super::time::{TimeZone, Timestamp};

/// Whether a contact is a paying customer or a lead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ContactKind {
    /// Has bought before.
    Customer,
    /// Has not bought yet.
    Lead,
}

/// The kind of line a phone number is on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LineType {
    /// A mobile phone: can receive texts.
    Mobile,
    /// A fixed line: cannot receive texts.
    Landline,
    /// A VoIP number.
    Voip,
    /// Not known.
    #[default]
    Unknown,
}

/// A phone number with its line type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TypedPhone {
    /// The number, any format.
    pub number: String,
    /// The line type.
    #[serde(rename = "type", default)]
    pub line_type: LineType,
}

/// A contact phone: a plain string in any format, or `{number, type}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum Phone {
    /// A number in any format, line type unknown.
    Plain(String),
    /// A number with its line type.
    Typed(TypedPhone),
}

impl Phone {
    /// The number as stored.
    pub fn number(&self) -> &str {
        match self {
            Phone::Plain(n) => n,
            Phone::Typed(t) => &t.number,
        }
    }

    /// The line type (unknown for plain strings).
    pub fn line_type(&self) -> LineType {
        match self {
            Phone::Plain(_) => LineType::Unknown,
            Phone::Typed(t) => t.line_type,
        }
    }
}

impl<'de> Deserialize<'de> for Phone {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> de::Visitor<'de> for V {
            type Value = Phone;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a phone number string or an object {number, type}")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Phone, E> {
                Ok(Phone::Plain(v.to_string()))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Phone, A::Error> {
                TypedPhone::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(Phone::Typed)
            }
        }
        d.deserialize_any(V)
    }
}

/// State of a consent on one channel.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConsentStatus {
    /// Consent was given.
    Granted,
    /// Consent was withdrawn.
    Revoked,
    /// No record either way.
    #[default]
    Unknown,
}

/// How consent was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConsentKind {
    /// Express consent (enough for informational messages).
    Express,
    /// Express written consent (needed for marketing).
    ExpressWritten,
}

/// A consent record for one channel.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Consent {
    /// Granted, revoked or unknown.
    #[serde(default)]
    pub status: ConsentStatus,
    /// Express or express written.
    #[serde(default)]
    pub kind: Option<ConsentKind>,
    /// When it was recorded.
    #[serde(default)]
    pub at: Option<Timestamp>,
    /// Where it came from (web form, keyword reply, ...).
    #[serde(default)]
    pub source: Option<String>,
}

/// Consent per channel.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentSet {
    /// Text messages.
    #[serde(default)]
    pub sms: Option<Consent>,
    /// Phone calls.
    #[serde(default)]
    pub voice: Option<Consent>,
    /// Email.
    #[serde(default)]
    pub email: Option<Consent>,
}

/// The kind of an already recorded interaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RecentEventKind {
    /// A missed call from this contact.
    MissedCall,
    /// A text we sent.
    SmsSent,
    /// A call we made.
    CallAttempt,
    /// An email we sent.
    EmailSent,
}

/// An interaction already recorded for the contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecentEvent {
    /// The event id (for missed calls: the vendor call id).
    pub event_id: String,
    /// When it happened.
    pub occurred_at: Timestamp,
    /// What it was.
    pub kind: RecentEventKind,
    /// Where it happened.
    #[serde(default)]
    pub location_id: Option<String>,
    /// For missed calls: whether the recorded event already carried a voicemail transcript.
    /// Three-valued: absent means unknown (most CRMs do not store it), and a redelivery of
    /// the event is then a `duplicate_event`; only an explicit `false` lets a redelivery
    /// that now carries a transcript be `amended`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub had_transcript: Option<bool>,
}

/// A follow-up that is still open for the contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenFollowUp {
    /// The follow-up's id in the integrator's system.
    pub id: String,
    /// When it was opened.
    pub created_at: Timestamp,
    /// When it is due.
    #[serde(default)]
    pub due_at: Option<Timestamp>,
    /// Current escalation tier (1 = location staff).
    #[serde(default = "one")]
    pub tier: u8,
    /// Attempts made so far.
    #[serde(default)]
    pub attempts: u32,
    /// The last missed call appended to it.
    #[serde(default)]
    pub last_event_id: Option<String>,
    /// The location that owns it (escalation settings for `Engine::tick`).
    #[serde(default)]
    pub location_id: Option<String>,
}

fn one() -> u8 {
    1
}

/// A CRM contact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    /// The CRM id.
    pub id: String,
    /// Customer or lead.
    pub kind: ContactKind,
    /// Phone numbers in any format.
    #[serde(default)]
    pub phones: Vec<Phone>,
    /// Email addresses.
    #[serde(default)]
    pub emails: Vec<String>,
    /// First name.
    #[serde(default)]
    pub first_name: Option<String>,
    /// Last name.
    #[serde(default)]
    pub last_name: Option<String>,
    /// The location that owns the contact.
    #[serde(default)]
    pub location_id: Option<String>,
    /// When the record was created.
    #[serde(default)]
    pub created_at: Option<Timestamp>,
    /// The last activity on the record.
    #[serde(default)]
    pub last_activity_at: Option<Timestamp>,
    /// Revenue from the contact so far, in the location's currency.
    #[serde(default)]
    pub lifetime_value: Option<f64>,
    /// Free tags (`vip`, ...).
    #[serde(default)]
    pub tags: Vec<String>,
    /// The contact's own IANA zone.
    #[serde(default)]
    pub time_zone: Option<TimeZone>,
    /// US state / Canadian province of residence.
    #[serde(default)]
    pub state: Option<String>,
    /// `sms`, `voice` or `email`.
    #[serde(default)]
    pub preferred_channel: Option<String>,
    /// Never contact this person.
    #[serde(default)]
    pub do_not_contact: bool,
    /// Consent per channel.
    #[serde(default)]
    pub consent: ConsentSet,
    /// Missed calls and follow-ups already recorded.
    #[serde(default)]
    pub recent_events: Vec<RecentEvent>,
    /// The open follow-up, if any.
    #[serde(default)]
    pub open_followup: Option<OpenFollowUp>,
    /// The record's owner in the CRM (a user or a queue id), when the CRM says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner_id: Option<String>,
    /// The upsert key stored on the record when ringback created it (see [`upsert_key`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upsert_key: Option<String>,
}

impl Contact {
    /// A contact with an id and a kind and nothing else known.
    pub fn new(id: impl Into<String>, kind: ContactKind) -> Contact {
        Contact {
            id: id.into(),
            kind,
            phones: Vec::new(),
            emails: Vec::new(),
            first_name: None,
            last_name: None,
            location_id: None,
            created_at: None,
            last_activity_at: None,
            lifetime_value: None,
            tags: Vec::new(),
            time_zone: None,
            state: None,
            preferred_channel: None,
            do_not_contact: false,
            consent: ConsentSet::default(),
            recent_events: Vec::new(),
            open_followup: None,
            owner_id: None,
            upsert_key: None,
        }
    }
}

/// The key a new lead is created under, so that racing webhooks for one new number converge
/// on one record: `phone:<E.164>` for a caller with a number, `event:<event id>` without one.
pub fn upsert_key(e164: Option<&str>, event_id: &str) -> String {
    match e164 {
        Some(e) => format!("phone:{e}"),
        None => format!("event:{event_id}"),
    }
}

/// Numbers or addresses that must not be contacted, per channel.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Suppressions {
    /// Numbers that must not be called.
    #[serde(default)]
    pub do_not_call: Vec<String>,
    /// Numbers that must not be texted.
    #[serde(default)]
    pub do_not_text: Vec<String>,
    /// Addresses that must not be emailed.
    #[serde(default)]
    pub do_not_email: Vec<String>,
}

/// The contacts the integrator's CRM search returned, plus suppression lists.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CrmSnapshot {
    /// Candidate contacts (usually 0–5).
    #[serde(default)]
    pub contacts: Vec<Contact>,
    /// Suppression lists.
    #[serde(default)]
    pub suppressions: Suppressions,
}

impl CrmSnapshot {
    /// Parses a snapshot from JSON text, with coded, path-carrying errors.
    pub fn from_json(text: &str) -> crate::Result<Self> {
        crate::error::from_json_str(text, crate::ErrorCode::InvalidCrm)
    }
}
