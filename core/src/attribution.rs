//! Stage 11: attribution. An outcome an integrator reports back (engaged, not reached,
//! converted, opted out, wrong number) becomes an [`AttributionEvent`], a Google Ads
//! offline click-conversion row where the call carried a click id, and consent updates for
//! an opt-out.
//!
//! The outcome is attributed against an [`OutcomeSubject`]: the part of a decision that
//! attribution needs. It is built from a [`crate::Decision`] in Rust, or deserialized from a
//! decision's JSON as the bindings return it (unknown fields ignored), so an integrator can
//! store the decision JSON and report its outcome days later.

use chrono::Timelike;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::compile::CompiledLocation;
use crate::error::{Error, ErrorCode, Result};
use crate::model::decision::{Category, ConsentUpdate};
use crate::model::event::Attribution;
use crate::model::outcome::{Outcome, OutcomeKind};
pub use crate::model::outcome::{
    OutcomeSubject, SubjectCaller, SubjectCompliance, SubjectIntent, SubjectRecord, SubjectSla,
    SubjectStep,
};
use crate::model::policy::Channel;
use crate::model::time::Timestamp;

/// A Google Ads offline click-conversion row (the columns of Google's offline conversion
/// import: click id, conversion name, conversion time with offset, value, currency).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct GoogleAdsConversion {
    /// Which click id column this row fills: `gclid`, `gbraid` or `wbraid`.
    pub click_id_type: String,
    /// The click id.
    pub click_id: String,
    /// The conversion action name (policy `attribution.conversion_name`).
    pub conversion_name: String,
    /// `yyyy-mm-dd hh:mm:ss±hh:mm` in the location's time zone.
    pub conversion_time: String,
    /// The conversion value.
    pub conversion_value: f64,
    /// ISO 4217 currency code.
    pub conversion_currency: String,
}

impl GoogleAdsConversion {
    /// The CSV header of Google's offline click-conversion import for this row's click id
    /// type.
    pub fn csv_header(&self) -> &'static str {
        match self.click_id_type.as_str() {
            "gbraid" => "GBRAID,Conversion Name,Conversion Time,Conversion Value,Conversion Currency",
            "wbraid" => "WBRAID,Conversion Name,Conversion Time,Conversion Value,Conversion Currency",
            _ => "Google Click ID,Conversion Name,Conversion Time,Conversion Value,Conversion Currency",
        }
    }

    /// The row as one CSV line (fields quoted where they need it).
    pub fn csv_row(&self) -> String {
        format!(
            "{},{},{},{},{}",
            csv_field(&self.click_id),
            csv_field(&self.conversion_name),
            csv_field(&self.conversion_time),
            format_money(self.conversion_value),
            csv_field(&self.conversion_currency)
        )
    }
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// Money with two decimals (`120.00`).
pub fn format_money(v: f64) -> String {
    format!("{v:.2}")
}

/// What an outcome means for reporting, CRM and ad platforms.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct AttributionEvent {
    /// The missed call's event id.
    pub event_id: String,
    /// The decision's id, when known.
    pub decision_id: Option<String>,
    /// What happened.
    pub outcome: OutcomeKind,
    /// When it happened.
    pub at: Timestamp,
    /// The CRM contact (none for a new lead without a CRM id yet).
    pub contact_id: Option<String>,
    /// The caller's E.164 number.
    pub caller: Option<String>,
    /// The location.
    pub location_id: String,
    /// The location's vertical.
    pub vertical: String,
    /// The missed-call category.
    pub category: Option<Category>,
    /// The inquiry type: staff-confirmed when the outcome gives one, else the decision's.
    pub inquiry_type: Option<String>,
    /// Whether `inquiry_type` was confirmed by the outcome.
    pub inquiry_type_confirmed: bool,
    /// The tracking number dialled.
    pub tracking_number: Option<String>,
    /// The campaign (attribution `campaign`, else `source/medium`, else the tracking number).
    pub campaign: Option<String>,
    /// The call's full attribution.
    pub attribution: Option<Attribution>,
    /// The channel that reached the caller.
    pub channel: Option<Channel>,
    /// The follow-up step.
    pub step: Option<String>,
    /// When the first response went out: the outcome's `responded_at`, else the first step
    /// the decision scheduled that compliance allowed.
    pub first_response_at: Option<Timestamp>,
    /// Whether `first_response_at` was reported by the outcome (else it is the plan's).
    pub first_response_reported: bool,
    /// Whole minutes from the call to the first response.
    pub first_response_minutes: Option<i64>,
    /// When the SLA was due.
    pub sla_due_at: Option<Timestamp>,
    /// Whether the first response met the SLA (none without an SLA or a response).
    pub sla_met: Option<bool>,
    /// The decision's value at risk.
    pub value_at_risk: Option<f64>,
    /// Revenue recovered: a converted outcome's value (0 otherwise).
    pub recovered_value: f64,
    /// Whether `recovered_value` is the value at risk standing in for a missing value.
    pub value_estimated: bool,
    /// ISO 4217 currency of the values.
    pub currency: String,
    /// The Google Ads offline click-conversion row, where the call had a click id and the
    /// outcome is a configured conversion.
    pub google_ads: Option<GoogleAdsConversion>,
    /// Consent changes the integrator must write to the CRM (an opt-out revokes every
    /// channel).
    pub consent_updates: Vec<ConsentUpdate>,
}

/// Validates an outcome against its subject and location.
pub fn validate(subject: &OutcomeSubject, outcome: &Outcome, loc: &CompiledLocation) -> Result<()> {
    if outcome.event_id != subject.event_id {
        return Err(Error::new(
            ErrorCode::InvalidEvent,
            "event_id",
            format!(
                "outcome is for `{}`, decision for `{}`",
                outcome.event_id, subject.event_id
            ),
        ));
    }
    if outcome.at.utc() < subject.occurred_at.utc() {
        return Err(Error::new(
            ErrorCode::InvalidTimestamp,
            "at",
            format!(
                "outcome at {} is before the call at {}",
                outcome.at.to_rfc3339(),
                subject.occurred_at.to_rfc3339()
            ),
        ));
    }
    if let Some(r) = outcome.responded_at {
        if r.utc() < subject.occurred_at.utc() {
            return Err(Error::new(
                ErrorCode::InvalidTimestamp,
                "responded_at",
                "first response before the call",
            ));
        }
    }
    if let Some(v) = outcome.value {
        if !v.is_finite() || v < 0.0 {
            return Err(Error::new(
                ErrorCode::InvalidEvent,
                "value",
                format!("value must be a finite amount ≥ 0, got {v}"),
            ));
        }
        if outcome.kind != OutcomeKind::Converted {
            return Err(Error::new(
                ErrorCode::InvalidEvent,
                "value",
                "only a `converted` outcome carries a value",
            ));
        }
    }
    if let Some(t) = &outcome.inquiry_type {
        if loc.intent.index(t).is_none() {
            return Err(Error::new(
                ErrorCode::InvalidEvent,
                "inquiry_type",
                format!("`{t}` is not an inquiry type of {}", loc.vertical.as_str()),
            ));
        }
    }
    Ok(())
}

/// Builds the attribution event of a validated outcome.
pub fn attribute(
    subject: &OutcomeSubject,
    outcome: &Outcome,
    loc: &CompiledLocation,
) -> AttributionEvent {
    let cfg = &loc.config;
    let first_response_at = outcome
        .responded_at
        .or_else(|| subject.first_touch().map(|s| s.at));
    let first_response_minutes =
        first_response_at.map(|r| (r.utc() - subject.occurred_at.utc()).num_minutes());
    let sla_met = match (&subject.sla, first_response_at) {
        (Some(sla), Some(r)) => Some(r.utc() <= sla.due_at.utc()),
        _ => None,
    };
    let (recovered_value, value_estimated) = match outcome.kind {
        OutcomeKind::Converted => match outcome.value {
            Some(v) => (v, false),
            None => (subject.value_at_risk.unwrap_or(0.0), true),
        },
        _ => (0.0, false),
    };
    let google_ads = google_ads_row(subject, outcome, loc, recovered_value);
    let consent_updates = if outcome.kind == OutcomeKind::OptedOut {
        let via = outcome
            .channel
            .map_or("an unspecified channel", |c| c.as_str());
        [Channel::Sms, Channel::Voice, Channel::Email]
            .into_iter()
            .map(|c| ConsentUpdate {
                channel: c,
                status: "revoked",
                reason: format!(
                    "opted out via {via} after missed call {} at {}",
                    subject.event_id,
                    outcome.at.to_rfc3339()
                ),
            })
            .collect()
    } else {
        Vec::new()
    };
    let (inquiry_type, inquiry_type_confirmed) = match &outcome.inquiry_type {
        Some(t) => (Some(t.clone()), true),
        None => (
            subject.intent.as_ref().map(|i| i.inquiry_type.clone()),
            false,
        ),
    };
    AttributionEvent {
        event_id: subject.event_id.clone(),
        decision_id: subject.decision_id.clone(),
        outcome: outcome.kind,
        at: outcome.at,
        contact_id: subject.record.contact_id.clone(),
        caller: subject.caller.e164.clone(),
        location_id: subject.location_id.clone(),
        vertical: loc.vertical.as_str().to_string(),
        category: subject.category,
        inquiry_type,
        inquiry_type_confirmed,
        tracking_number: subject.tracking_number.clone(),
        campaign: campaign_of(
            subject.attribution.as_ref(),
            subject.tracking_number.as_deref(),
        ),
        attribution: subject.attribution.clone(),
        channel: outcome.channel,
        step: outcome.step.clone(),
        first_response_at,
        first_response_reported: outcome.responded_at.is_some(),
        first_response_minutes,
        sla_due_at: subject.sla.as_ref().map(|s| s.due_at),
        sla_met,
        value_at_risk: subject.value_at_risk,
        recovered_value,
        value_estimated,
        currency: cfg.currency.clone(),
        google_ads,
        consent_updates,
    }
}

/// The campaign a call is credited to: attribution `campaign`, else `source / medium`,
/// else `source`, else the tracking number.
pub fn campaign_of(a: Option<&Attribution>, tracking_number: Option<&str>) -> Option<String> {
    if let Some(a) = a {
        if let Some(c) = non_empty(&a.campaign) {
            return Some(c.to_string());
        }
        match (non_empty(&a.source), non_empty(&a.medium)) {
            (Some(s), Some(m)) => return Some(format!("{s} / {m}")),
            (Some(s), None) => return Some(s.to_string()),
            _ => {}
        }
    }
    tracking_number
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|t| format!("tracking {t}"))
}

fn google_ads_row(
    subject: &OutcomeSubject,
    outcome: &Outcome,
    loc: &CompiledLocation,
    value: f64,
) -> Option<GoogleAdsConversion> {
    let a = subject.attribution.as_ref()?;
    let settings = &loc.config.attribution;
    let name = match outcome.kind {
        OutcomeKind::Converted => settings.conversion_name.clone(),
        OutcomeKind::Engaged => settings.engaged_conversion_name.clone()?,
        _ => return None,
    };
    let (kind, id) = if let Some(id) = non_empty(&a.gclid) {
        ("gclid", id)
    } else if let Some(id) = non_empty(&a.gbraid) {
        ("gbraid", id)
    } else {
        ("wbraid", non_empty(&a.wbraid)?)
    };
    let id = id.to_string();
    let local = outcome.at.utc().with_timezone(&loc.tz.0);
    let local = local.with_nanosecond(0).unwrap_or(local);
    Some(GoogleAdsConversion {
        click_id_type: kind.to_string(),
        click_id: id,
        conversion_name: name,
        conversion_time: local.format("%Y-%m-%d %H:%M:%S%:z").to_string(),
        conversion_value: value,
        conversion_currency: loc.config.currency.clone(),
    })
}

fn non_empty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}
