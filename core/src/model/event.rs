//! The canonical missed-call event (SPEC §3.1).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use super::time::Timestamp;

/// How the call ended, as the vendor (or the ingest layer) reported it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Disposition {
    /// Rang out with nobody picking up.
    NoAnswer,
    /// The line was busy.
    Busy,
    /// The caller left a voicemail.
    Voicemail,
    /// The caller hung up before being answered.
    Abandoned,
    /// The caller hung up inside the IVR menu.
    AbandonedInIvr,
    /// The caller hung up while waiting in a queue.
    AbandonedInQueue,
    /// The caller hung up within a few seconds.
    ShortAbandoned,
    /// No agent was available to take the call.
    NoAgentAvailable,
    /// The vendor says the call arrived outside opening hours.
    AfterHours,
    /// The call failed technically.
    Failed,
    /// Somebody answered: not a missed call.
    Answered,
}

impl Disposition {
    /// The snake_case name of the disposition.
    pub fn as_str(self) -> &'static str {
        match self {
            Disposition::NoAnswer => "no_answer",
            Disposition::Busy => "busy",
            Disposition::Voicemail => "voicemail",
            Disposition::Abandoned => "abandoned",
            Disposition::AbandonedInIvr => "abandoned_in_ivr",
            Disposition::AbandonedInQueue => "abandoned_in_queue",
            Disposition::ShortAbandoned => "short_abandoned",
            Disposition::NoAgentAvailable => "no_agent_available",
            Disposition::AfterHours => "after_hours",
            Disposition::Failed => "failed",
            Disposition::Answered => "answered",
        }
    }
}

/// A voicemail left by the caller.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Voicemail {
    /// Speech-to-text of the message, if the vendor produced one.
    #[serde(default)]
    pub transcript: Option<String>,
    /// Length of the recording in seconds.
    #[serde(default)]
    pub duration_seconds: Option<u32>,
    /// Where the recording can be fetched.
    #[serde(default)]
    pub recording_url: Option<String>,
}

impl Voicemail {
    /// The transcript, trimmed, when it has any text.
    pub fn transcript_text(&self) -> Option<&str> {
        self.transcript
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
    }

    /// Whether anything was actually recorded (a zero-length, empty voicemail is not a message).
    pub fn has_content(&self) -> bool {
        self.transcript_text().is_some()
            || self
                .recording_url
                .as_deref()
                .is_some_and(|u| !u.trim().is_empty())
            || self.duration_seconds.is_some_and(|d| d > 0)
    }
}

/// Marketing attribution of the call.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Attribution {
    /// Traffic source (`google`, `facebook`, `direct`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Medium (`cpc`, `organic`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub medium: Option<String>,
    /// Campaign name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign: Option<String>,
    /// Search keywords.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keywords: Option<String>,
    /// The page the caller came from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub landing_page: Option<String>,
    /// The referring URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referrer: Option<String>,
    /// Google Ads click id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gclid: Option<String>,
    /// Google Ads click id for iOS app-to-web conversions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gbraid: Option<String>,
    /// Google Ads click id for iOS web-to-app conversions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wbraid: Option<String>,
    /// Meta click id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fbclid: Option<String>,
    /// Microsoft Ads click id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub msclkid: Option<String>,
    /// Free-form UTM parameters (any keys).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub utm: BTreeMap<String, String>,
}

/// What a voice-AI receptionist captured, when one handled part of the call.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AiReceptionist {
    /// Whether the AI handled the call.
    #[serde(default)]
    pub handled: bool,
    /// The AI's summary of the conversation.
    #[serde(default)]
    pub summary: Option<String>,
    /// The intent the AI captured, free text or an inquiry type id.
    #[serde(default)]
    pub captured_intent: Option<String>,
}

/// One missed (or answered) call, in ringback's canonical shape.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MissedCallEvent {
    /// The idempotency key: the vendor's call id.
    pub event_id: String,
    /// The location that missed the call; must exist in the policy.
    pub location_id: String,
    /// When the call started ringing.
    pub occurred_at: Timestamp,
    /// When the integrator received the event ("now"); defaults to `occurred_at`.
    #[serde(default)]
    pub received_at: Option<Timestamp>,
    /// Caller number as delivered, any format; null or `anonymous` when withheld.
    #[serde(default)]
    pub caller_number: Option<String>,
    /// CNAM as delivered.
    #[serde(default)]
    pub caller_name: Option<String>,
    /// The number the caller dialled (campaign tracking number).
    #[serde(default)]
    pub tracking_number: Option<String>,
    /// How the call ended.
    pub disposition: Disposition,
    /// The vendor's own disposition value, verbatim.
    #[serde(default)]
    pub raw_disposition: Option<String>,
    /// Seconds the call rang.
    #[serde(default)]
    pub ring_seconds: Option<u32>,
    /// Total call duration in seconds.
    #[serde(default)]
    pub duration_seconds: Option<u32>,
    /// The voicemail, if one was left.
    #[serde(default)]
    pub voicemail: Option<Voicemail>,
    /// Marketing attribution.
    #[serde(default)]
    pub attribution: Option<Attribution>,
    /// The telephony vendor (`callrail`, `twilio`, ...).
    #[serde(default)]
    pub provider: Option<String>,
    /// Voice-AI receptionist details.
    #[serde(default)]
    pub ai_receptionist: Option<AiReceptionist>,
    /// Integrator-defined extra data, passed through untouched.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: BTreeMap<String, serde_json::Value>,
}

impl MissedCallEvent {
    /// "Now" for this event: `received_at`, else `occurred_at`.
    pub fn now(&self) -> Timestamp {
        self.received_at.unwrap_or(self.occurred_at)
    }

    /// Parses an event from JSON text, with coded, path-carrying errors.
    pub fn from_json(text: &str) -> crate::Result<Self> {
        crate::error::from_json_str(text, crate::ErrorCode::InvalidEvent)
    }
}
