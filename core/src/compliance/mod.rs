//! The compliance gate (SPEC §4.9), one module per rule family. Facts and sources are in the
//! project's compliance notes; each rule cites its law or policy in the decision trace.

pub mod calling_hours;
pub mod consent;
pub mod frequency;
pub mod gate;
pub mod holidays;
pub mod opt_out;
pub mod quiet_hours;
pub mod suppression;
pub mod vertical;
