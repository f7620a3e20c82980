//! The pipeline stages, one module each, in SPEC §4 order.

pub mod audit;
pub mod callee;
pub mod caller_id;
pub mod category;
pub mod follow_up;
pub mod identity;
pub mod record;
pub mod sla;
