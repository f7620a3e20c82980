//! The trace every pipeline piece writes into (one entry per rule evaluated), with phone
//! masking, and the `text!` formatting helper. Below the pipeline: stages, intent,
//! compliance and templates all write here.

use std::borrow::Cow;

use crate::model::decision::TraceEntry;
use crate::phone;

/// Collects trace entries; masks phone numbers unless the policy allows PII.
#[derive(Debug)]
pub struct Trace {
    entries: Vec<TraceEntry>,
    include_pii: bool,
}

impl Trace {
    /// An empty trace.
    pub fn new(include_pii: bool) -> Self {
        Trace {
            entries: Vec::with_capacity(48),
            include_pii,
        }
    }

    /// Records one rule evaluation.
    pub fn push(
        &mut self,
        stage: &'static str,
        rule: &'static str,
        result: impl Into<Cow<'static, str>>,
        detail: impl Into<Cow<'static, str>>,
    ) {
        self.entries.push(TraceEntry {
            stage,
            rule,
            result: result.into(),
            detail: detail.into(),
        });
    }

    /// A phone number as it may appear in the trace.
    pub fn pii<'a>(&self, number: &'a str) -> Cow<'a, str> {
        if self.include_pii {
            Cow::Borrowed(number)
        } else {
            Cow::Owned(phone::mask(number))
        }
    }

    /// The entries, in evaluation order.
    pub fn into_entries(self) -> Vec<TraceEntry> {
        self.entries
    }
}

/// Formats `args` into a string with room for a typical trace line (see the `text!` macro).
pub(crate) fn text(args: std::fmt::Arguments<'_>) -> String {
    if let Some(s) = args.as_str() {
        return s.to_string();
    }
    let mut s = String::with_capacity(128);
    // Writing into a `String` cannot fail.
    let _ = std::fmt::Write::write_fmt(&mut s, args);
    s
}
