//! Stage 13, audit: the trace every other stage writes into, phone masking, and the
//! decision id (a stable hash of the inputs and the policy).

use std::borrow::Cow;

use crate::hash::StableHasher;
use crate::model::crm::Contact;
use crate::model::decision::TraceEntry;
use crate::model::event::MissedCallEvent;
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

/// The decision id: `dec_` + 32 hex digits of a stable hash over the engine version, the
/// policy (version and content fingerprint), the event and every CRM contact the decision
/// looked at (sorted by id, so the order the CRM returned them in does not matter).
pub fn decision_id(
    engine_version: &str,
    policy_version: &str,
    policy_fingerprint: &str,
    event: &MissedCallEvent,
    contacts: &[&Contact],
) -> String {
    let mut h = StableHasher::new();
    h.field(engine_version);
    h.field(policy_version);
    h.field(policy_fingerprint);
    // Serializing plain data into the hasher cannot fail; a failure would only weaken the
    // hash, never the decision.
    let mut sorted: Vec<&Contact> = contacts.to_vec();
    sorted.sort_by(|a, b| a.id.cmp(&b.id));
    sorted.dedup_by(|a, b| a.id == b.id);
    {
        let mut w = crate::hash::BufferedHasher::new(&mut h);
        let _ = serde_json::to_writer(&mut w, event);
        for c in sorted {
            let _ = std::io::Write::write_all(&mut w, &[0xfe]);
            let _ = serde_json::to_writer(&mut w, c);
        }
    }
    format!("dec_{}", h.hex())
}
