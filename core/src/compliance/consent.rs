//! Consent basis per step (SPEC §4.9): a missed call supports exactly one prompt, purely
//! responsive text-back; later texts need `granted` SMS consent (in Canada, CASL implied
//! consent from the inquiry, 6 months); anything marketing needs express written consent.
//! A live staff callback about the caller's own inquiry needs no prior consent.

use chrono::{DateTime, Duration, Utc};
use std::borrow::Cow;

use crate::model::crm::{ConsentKind, ConsentStatus, Contact, RecentEventKind};
use crate::model::decision::ComplianceReason;
use crate::model::policy::{Channel, Purpose};

/// What the gate knows about consent for one step.
#[derive(Debug, Clone, Copy)]
pub struct Request {
    /// The channel.
    pub channel: Channel,
    /// What the message is for.
    pub purpose: Purpose,
    /// Whether this is the single first-touch reply to the missed call.
    pub first_touch: bool,
    /// Whether the callee is in Canada (CASL).
    pub canadian: bool,
    /// When the step runs.
    pub at: DateTime<Utc>,
    /// When the missed call happened (an inquiry for CASL).
    pub inquiry_at: DateTime<Utc>,
}

/// CASL implied consent from an inquiry lasts six months.
const CASL_INQUIRY_DAYS: i64 = 183;

fn granted(contacts: &[&Contact], channel: Channel, written_only: bool) -> bool {
    contacts.iter().any(|c| {
        let consent = match channel {
            Channel::Sms => c.consent.sms.as_ref(),
            Channel::Voice => c.consent.voice.as_ref(),
            Channel::Email => c.consent.email.as_ref(),
        };
        consent.is_some_and(|x| {
            x.status == ConsentStatus::Granted
                && (!written_only || x.kind == Some(ConsentKind::ExpressWritten))
        })
    })
}

/// The latest inquiry (a missed call) on record, this one included.
fn latest_inquiry(contacts: &[&Contact], this_call: DateTime<Utc>) -> DateTime<Utc> {
    contacts
        .iter()
        .flat_map(|c| c.recent_events.iter())
        .filter(|r| r.kind == RecentEventKind::MissedCall)
        .map(|r| r.occurred_at.utc())
        .fold(this_call, DateTime::max)
}

/// The basis for the step, or why there is none.
pub fn check(req: &Request, contacts: &[&Contact]) -> Result<&'static str, ComplianceReason> {
    if req.purpose == Purpose::Marketing {
        if req.channel == Channel::Email && !req.canadian {
            return Ok("can_spam_commercial_email");
        }
        if granted(contacts, req.channel, true) {
            return Ok("express_written_consent");
        }
        return Err(ComplianceReason {
            rule: "marketing_needs_written_consent",
            source: Cow::Borrowed(if req.canadian {
                "CASL s.6 (commercial electronic messages) and ringback policy: marketing requires express written consent"
            } else {
                "47 CFR 64.1200(a)(2)-(3): telemarketing by automated call or text requires prior express written consent"
            }),
            detail: text!(
                "no express_written {} consent on record",
                req.channel.as_str()
            ),
        });
    }
    if req.first_touch {
        return Ok("missed_call_response");
    }
    match req.channel {
        Channel::Voice => Ok("live_callback_to_inquiry"),
        Channel::Email if !req.canadian => Ok("transactional_email"),
        _ => {
            if granted(contacts, req.channel, false) {
                return Ok("express_consent");
            }
            if req.canadian {
                let inquiry = latest_inquiry(contacts, req.inquiry_at);
                if req.at - inquiry <= Duration::days(CASL_INQUIRY_DAYS) {
                    return Ok("casl_implied_consent_inquiry");
                }
            }
            Err(ComplianceReason {
                rule: "consent_required",
                source: Cow::Borrowed(if req.canadian {
                    "CASL s.10(9)(b): implied consent from an inquiry lasts 6 months"
                } else {
                    "FCC 2015 Omnibus (RILA on-demand text ruling) and CTIA Messaging Principles: only one responsive reply without consent"
                }),
                detail: text!(
                    "a {} message after the first reply needs granted consent",
                    req.channel.as_str()
                ),
            })
        }
    }
}
