//! Stage 13, audit: the decision id (a stable hash of the inputs and the policy). The trace
//! every stage writes into is [`crate::trace`].

use crate::hash::StableHasher;
use crate::model::crm::Contact;
use crate::model::event::MissedCallEvent;
pub use crate::trace::Trace;

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
