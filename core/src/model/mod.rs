//! The canonical data model: inputs, policy and decision.

pub mod crm;
pub mod decision;
pub mod event;
pub mod outcome;
pub mod policy;
pub mod time;
