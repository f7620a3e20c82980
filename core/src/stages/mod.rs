//! The pipeline stages, one module each, in SPEC §4 order.

pub mod audit;
pub mod caller_id;
pub mod category;
pub mod identity;
pub mod record;
