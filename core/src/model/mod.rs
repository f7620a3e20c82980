//! The canonical data model, the ground floor of the crate: every document ringback reads
//! or writes (event, CRM snapshot, policy with its template and inquiry-type definitions,
//! decision, outcome) and the vocabulary they share. Nothing here imports from the
//! pipeline (stages, intent, templates, compliance, learning, attribution) or above.

pub mod crm;
pub mod decision;
pub mod event;
pub mod inquiry;
pub mod outcome;
pub mod policy;
pub mod template;
pub mod time;
pub mod vocab;
