//! Revocations, `do_not_contact`, suppression lists and opt-out language (SPEC §4.9): any of
//! them blocks the channel. Numbers are compared in E.164, emails case-insensitively.

use std::borrow::Cow;

use super::opt_out::OptOut;
use crate::model::crm::{ConsentStatus, Contact};
use crate::model::decision::ComplianceReason;
use crate::model::policy::Channel;

/// Source cited for revocations.
pub const REVOCATION_SOURCE: &str =
    "47 CFR 64.1200(a)(10)-(12) (FCC 24-18): consent may be revoked by any reasonable means";

/// Which suppression list applies to a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum List {
    /// `suppressions.do_not_call`.
    DoNotCall,
    /// `suppressions.do_not_text`.
    DoNotText,
    /// `suppressions.do_not_email`.
    DoNotEmail,
}

impl List {
    /// The list for a channel.
    pub fn for_channel(channel: Channel) -> List {
        match channel {
            Channel::Voice => List::DoNotCall,
            Channel::Sms => List::DoNotText,
            Channel::Email => List::DoNotEmail,
        }
    }

    /// The list's field name.
    pub fn as_str(self) -> &'static str {
        match self {
            List::DoNotCall => "do_not_call",
            List::DoNotText => "do_not_text",
            List::DoNotEmail => "do_not_email",
        }
    }
}

fn consent_status(c: &Contact, channel: Channel) -> ConsentStatus {
    let consent = match channel {
        Channel::Sms => c.consent.sms.as_ref(),
        Channel::Voice => c.consent.voice.as_ref(),
        Channel::Email => c.consent.email.as_ref(),
    };
    consent.map(|x| x.status).unwrap_or_default()
}

/// Everything that blocks `channel`: `do_not_contact` or a revoked consent on any contact
/// holding the number, the channel's suppression list (`on_list`), and an opt-out heard in
/// the voicemail.
pub fn check(
    channel: Channel,
    contacts: &[&Contact],
    on_list: bool,
    opt_out: Option<&OptOut>,
) -> Vec<ComplianceReason> {
    let mut reasons = Vec::new();
    for c in contacts {
        if c.do_not_contact {
            reasons.push(ComplianceReason {
                rule: "do_not_contact",
                source: Cow::Borrowed("CRM contact flag do_not_contact (internal do-not-call list, 47 CFR 64.1200(d))"),
                detail: text!("contact {} is marked do_not_contact", c.id),
            });
        }
        if consent_status(c, channel) == ConsentStatus::Revoked {
            reasons.push(ComplianceReason {
                rule: "revoked_consent",
                source: Cow::Borrowed(REVOCATION_SOURCE),
                detail: text!("contact {} revoked {} consent", c.id, channel.as_str()),
            });
        }
    }
    if on_list {
        let list = List::for_channel(channel);
        reasons.push(ComplianceReason {
            rule: "suppression_list",
            source: Cow::Borrowed(match list {
                List::DoNotEmail => "CAN-SPAM 15 U.S.C. 7704(a)(4): opt-out requests honored",
                _ => "internal do-not-call list, 47 CFR 64.1200(d)",
            }),
            detail: text!("number or address is on suppressions.{}", list.as_str()),
        });
    }
    if let Some(o) = opt_out {
        reasons.push(ComplianceReason {
            rule: "opt_out_language",
            source: Cow::Borrowed(REVOCATION_SOURCE),
            detail: text!("voicemail says \"{}\" ({})", o.phrase, o.rule),
        });
    }
    reasons
}
