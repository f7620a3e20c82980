//! The options every vendor parser takes and the result it gives: the types below the
//! vendor modules, so that each vendor imports them without importing its siblings.

use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};
use std::collections::BTreeMap;

use crate::error::{Error, ErrorCode, Result};
use crate::model::event::{Disposition, MissedCallEvent};
use crate::model::time::{TimeZone, Timestamp};

/// What a vendor payload turned out to be.
#[derive(Debug, Clone, PartialEq)]
pub enum Ingested {
    /// A call to decide on (missed, or with late voicemail data for one).
    Event(Box<MissedCallEvent>),
    /// The call was answered (or is otherwise not a missed inbound call).
    NotMissed {
        /// Why, in words.
        reason: String,
    },
    /// An early or partial event that must not be decided on: a CallRail pre-call webhook,
    /// Aircall's `call.hungup` before `call.ended`, a Dialpad leg that is not the entry point.
    Incomplete {
        /// Why, in words.
        reason: String,
    },
}

impl Ingested {
    /// `event`, `not_missed` or `incomplete`.
    pub fn kind(&self) -> &'static str {
        match self {
            Ingested::Event(_) => "event",
            Ingested::NotMissed { .. } => "not_missed",
            Ingested::Incomplete { .. } => "incomplete",
        }
    }

    /// The event, when there is one.
    pub fn event(&self) -> Option<&MissedCallEvent> {
        match self {
            Ingested::Event(e) => Some(e),
            _ => None,
        }
    }

    /// The reason, for the non-event outcomes.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Ingested::Event(_) => None,
            Ingested::NotMissed { reason } | Ingested::Incomplete { reason } => Some(reason),
        }
    }

    pub(crate) fn not_missed(reason: impl Into<String>) -> Self {
        Ingested::NotMissed {
            reason: reason.into(),
        }
    }

    pub(crate) fn incomplete(reason: impl Into<String>) -> Self {
        Ingested::Incomplete {
            reason: reason.into(),
        }
    }
}

impl Serialize for Ingested {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(2))?;
        map.serialize_entry("ingested", self.kind())?;
        match self {
            Ingested::Event(e) => map.serialize_entry("event", e)?,
            Ingested::NotMissed { reason } | Ingested::Incomplete { reason } => {
                map.serialize_entry("reason", reason)?
            }
        }
        map.end()
    }
}

/// Which CallRail webhook delivered the payload. CallRail's bodies do not say; the
/// integrator knows from the endpoint it configured. Without it, the shape decides (a
/// pre-call body is `call_type=missed` with `duration=0`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CallRailWebhook {
    /// Sent when the call arrives: never a missed call.
    PreCall,
    /// Sent when routing ends, before the call does: never a missed call.
    CallRoutingComplete,
    /// Sent after the call ends.
    PostCall,
    /// Sent when a finished call changes (late recording, transcript, tags).
    CallModified,
}

/// Invoca settings: its webhook bodies are templates the integrator writes, so the field
/// names are configurable.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct InvocaOptions {
    /// Canonical field → the key the integrator's template uses for it. Canonical names:
    /// see [`invoca::FIELDS`] (`event_id`, `start_time`, `caller`, `hangup_cause`, ...).
    /// A field not listed here is read from its Transactions API column names.
    pub fields: BTreeMap<String, String>,
    /// Payload keys tried, in order, to find the location in
    /// [`IngestOptions::location_map`] (default: promo number, virtual line id, destination
    /// number, campaign id, advertiser id).
    pub location_fields: Vec<String>,
    /// Whether `IVR: Hang-up` means the campaign's hours-of-operation branch hung up
    /// (after hours). Off: it is an abandonment in the IVR.
    pub ivr_hangup_is_after_hours: bool,
}

/// What the integrator supplies next to a payload: how to find the location, the company
/// time zone for zoneless times, and when the webhook arrived.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct IngestOptions {
    /// Tracking numbers (any format: `+14045558514`, `404-555-8514`, `(404) 555-8514`) and
    /// vendor ids (number id, company id, team id, office id; optionally prefixed by the
    /// vendor, `aircall:397375`) → location id.
    pub location_map: BTreeMap<String, String>,
    /// The location used when nothing in the payload is in the map.
    pub default_location: Option<String>,
    /// The company's IANA zone, for vendor times without an offset (CTM `called_at`).
    pub time_zone: Option<TimeZone>,
    /// When the webhook arrived; copied to the event's `received_at`, and its start time
    /// when the payload carries none (Twilio action requests).
    pub received_at: Option<Timestamp>,
    /// ISO 3166 region for national-format numbers (default `US`).
    pub region: Option<String>,
    /// Which CallRail webhook this is, when the integrator knows it.
    pub callrail_webhook: Option<CallRailWebhook>,
    /// Dialpad webhook secret: when set, JWT bodies must carry a valid HS256 signature.
    pub dialpad_secret: Option<String>,
    /// Invoca template settings.
    pub invoca: InvocaOptions,
    /// Location id → its IANA zone, for vendor times without an offset (Marchex
    /// `StartTime`, Ringostat `calldate`): read in the zone of the location the call is
    /// for, falling back to `time_zone`.
    pub location_time_zones: BTreeMap<String, TimeZone>,
    /// The configurable field mapping of the templated vendors (Ringostat, DialogTech,
    /// CallSource, Invoca and `custom`): see [`crate::ingest::mapping`].
    pub mapping: MappingOptions,
}

impl IngestOptions {
    /// Parses options from JSON (`""` or `"null"` for the defaults). Errors carry the
    /// path under `options`.
    pub fn from_json(text: &str) -> Result<Self> {
        let t = text.trim();
        if t.is_empty() || t == "null" {
            return Ok(IngestOptions::default());
        }
        let options: IngestOptions = crate::error::from_json_str(t, ErrorCode::InvalidEvent)
            .map_err(|e| e.within("options"))?;
        options.region_id()?;
        Ok(options)
    }

    /// The phone region for national numbers.
    pub(crate) fn region_id(&self) -> Result<phonenumber::country::Id> {
        match self.region.as_deref() {
            None => Ok(phonenumber::country::Id::US),
            Some(code) => crate::phone::region(code).ok_or_else(|| {
                Error::new(
                    ErrorCode::InvalidEvent,
                    "options.region",
                    format!("`{code}` is not an ISO 3166 region code"),
                )
            }),
        }
    }
}

/// One field path, or several tried in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Paths {
    /// A single path.
    One(String),
    /// Paths tried in order; the first present wins.
    Many(Vec<String>),
}

impl Paths {
    pub(crate) fn list(&self) -> Vec<String> {
        match self {
            Paths::One(p) => vec![p.clone()],
            Paths::Many(v) => v.clone(),
        }
    }
}

/// What a vendor value means.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Rang out.
    NoAnswer,
    /// Busy.
    Busy,
    /// Voicemail left.
    Voicemail,
    /// Caller hung up before an answer.
    Abandoned,
    /// Caller hung up in the IVR.
    AbandonedInIvr,
    /// Caller hung up in a queue.
    AbandonedInQueue,
    /// Caller hung up within seconds.
    ShortAbandoned,
    /// Nobody was available.
    NoAgentAvailable,
    /// Outside opening hours.
    AfterHours,
    /// Technical failure.
    Failed,
    /// Answered: not a missed call.
    Answered,
    /// Not a missed call for another reason (test call, spam, blocked).
    NotMissed,
    /// Not the end of the call yet: a later webhook decides.
    Incomplete,
}

impl Outcome {
    pub(crate) fn disposition(self) -> Option<Disposition> {
        Some(match self {
            Outcome::NoAnswer => Disposition::NoAnswer,
            Outcome::Busy => Disposition::Busy,
            Outcome::Voicemail => Disposition::Voicemail,
            Outcome::Abandoned => Disposition::Abandoned,
            Outcome::AbandonedInIvr => Disposition::AbandonedInIvr,
            Outcome::AbandonedInQueue => Disposition::AbandonedInQueue,
            Outcome::ShortAbandoned => Disposition::ShortAbandoned,
            Outcome::NoAgentAvailable => Disposition::NoAgentAvailable,
            Outcome::AfterHours => Disposition::AfterHours,
            Outcome::Failed => Disposition::Failed,
            Outcome::Answered | Outcome::NotMissed | Outcome::Incomplete => return None,
        })
    }
}

/// Units of the duration fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DurationUnit {
    /// Seconds (the default).
    #[default]
    Seconds,
    /// Milliseconds.
    Milliseconds,
    /// Minutes, possibly fractional.
    Minutes,
}

impl DurationUnit {
    pub(crate) fn per_second(self) -> f64 {
        match self {
            DurationUnit::Seconds => 1.0,
            DurationUnit::Milliseconds => 1000.0,
            DurationUnit::Minutes => 1.0 / 60.0,
        }
    }
}

/// The integrator's mapping (`options.mapping`), laid over the vendor's starting mapping.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MappingOptions {
    /// Canonical field (see [`crate::ingest::mapping::CANONICAL`]) → the path, or paths, of the body that carry it.
    pub fields: BTreeMap<String, Paths>,
    /// Vendor value → outcome, read before the vendor's own table.
    pub dispositions: BTreeMap<String, Outcome>,
    /// Direction values that mean an outbound call (added to the vendor's).
    pub outbound_values: Vec<String>,
    /// `auto` (default), `epoch_seconds`, `epoch_millis`, or a chrono format.
    pub time_format: Option<String>,
    /// The zone of zoneless times, when it is the same for every location.
    pub time_zone: Option<TimeZone>,
    /// Paths tried for the location, after `location` and before the tracking number.
    pub location_fields: Vec<String>,
    /// Units of `duration`, `talk_duration`, `ring_duration`, `ivr_duration`.
    pub duration_unit: Option<DurationUnit>,
}
