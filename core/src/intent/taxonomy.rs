//! The inquiry types of each vertical (the built-in taxonomy ships as data, a policy may
//! override a vertical's list), with value multipliers and default urgencies.

use once_cell::sync::Lazy;
use std::collections::BTreeMap;

pub use crate::model::inquiry::InquiryType;
use crate::model::vocab::Urgency;
use crate::model::vocab::Vertical;

const TAXONOMY_JSON: &str = include_str!("../../data/intent_taxonomy.json");

static BUILT_IN: Lazy<BTreeMap<String, Vec<InquiryType>>> =
    Lazy::new(|| serde_json::from_str(TAXONOMY_JSON).unwrap_or_default());

/// The built-in inquiry types of a vertical.
pub fn built_in(vertical: Vertical) -> Vec<InquiryType> {
    let mut types = BUILT_IN.get(vertical.as_str()).cloned().unwrap_or_default();
    for t in &mut types {
        if t.prior == 0.0 {
            t.prior = default_prior(&t.id, t.urgency);
        }
    }
    types
}

/// Rare types start lower, the catch-all a little higher, so that with no evidence the
/// engine says "general question" rather than guessing an emergency.
fn default_prior(id: &str, urgency: Urgency) -> f64 {
    if id == "general_inquiry" {
        0.4
    } else if urgency == Urgency::Critical || id == "complaint" {
        -0.6
    } else {
        0.0
    }
}

/// Types an existing customer typically calls about.
pub const EXISTING_CUSTOMER_TYPES: [&str; 12] = [
    "appointment_change",
    "billing",
    "insurance_billing",
    "account_service",
    "repair_status",
    "existing_case",
    "book_treatment",
    "cleaning_checkup",
    "order_pickup",
    "support",
    "maintenance",
    "complaint",
];

/// Types a new lead typically calls about.
pub const NEW_LEAD_TYPES: [&str; 9] = [
    "new_patient",
    "new_case",
    "sales_inquiry",
    "new_account",
    "loan_inquiry",
    "book_consultation",
    "estimate",
    "new_installation",
    "pricing",
];
