//! Vertical content rules (SPEC §4.9): cannabis is never texted on US carriers; alcohol
//! sellers text only age-verified contacts; med-spa and dental texts must not carry health
//! details (enforced on templates); financial messages are archived with a disclosure.

use std::borrow::Cow;

use crate::model::crm::Contact;
use crate::model::decision::ComplianceReason;
use crate::model::policy::{Channel, LocationConfig, Vertical};

/// The tag that marks a contact as verified 21+.
pub const AGE_VERIFIED_TAG: &str = "age_verified";

/// Blocks from the location's vertical for a channel.
pub fn check(
    vertical: Vertical,
    config: &LocationConfig,
    channel: Channel,
    contacts: &[&Contact],
) -> Vec<ComplianceReason> {
    let mut reasons = Vec::new();
    if channel != Channel::Sms {
        return reasons;
    }
    if vertical == Vertical::Cannabis {
        reasons.push(ComplianceReason {
            rule: "cannabis_no_sms",
            source: Cow::Borrowed(
                "CTIA Messaging Principles / carrier SHAFT policy: cannabis content is prohibited on US SMS",
            ),
            detail: "cannabis location: no texts".to_string(),
        });
    }
    if config.compliance.age_gate
        && !contacts.iter().any(|c| {
            c.tags
                .iter()
                .any(|t| t.eq_ignore_ascii_case(AGE_VERIFIED_TAG))
        })
    {
        reasons.push(ComplianceReason {
            rule: "alcohol_age_gate",
            source: Cow::Borrowed(
                "CTIA / carrier policy: alcohol messaging requires a 21+ age gate",
            ),
            detail: text!("no contact on this number is tagged {AGE_VERIFIED_TAG}"),
        });
    }
    reasons
}

/// Whether messages of this vertical must be archived (FINRA 2210 / SEA 17a-4).
pub fn archive_required(vertical: Vertical) -> bool {
    vertical == Vertical::Financial
}

/// Whether texts of this vertical must be free of health details (HIPAA minimum necessary).
pub fn phi_free_sms(vertical: Vertical) -> bool {
    matches!(vertical, Vertical::MedSpa | Vertical::Dental)
}
