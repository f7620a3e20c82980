//! Where the engine finds contacts: a per-call [`CrmSnapshot`] (scanned) or a prebuilt
//! [`CrmIndex`] over a large export (hash lookups). Both give identical answers.

use phonenumber::country::Id;
use std::collections::HashMap;

use crate::compile::CompiledPolicy;
use crate::model::crm::{Contact, CrmSnapshot, RecentEventKind};
use crate::phone;

/// A source of CRM contacts for the identity stage.
pub trait CrmSource {
    /// Contacts with a phone whose matching key equals `key` (an E.164 number), each once,
    /// in source order.
    fn by_phone<'a>(&'a self, key: &str, policy: &CompiledPolicy) -> Vec<&'a Contact>;
    /// Contacts whose `recent_events` list a missed call with this event id.
    fn by_missed_call<'a>(&'a self, event_id: &str) -> Vec<&'a Contact>;
}

/// The phone region used to read a contact's numbers: its location's country, else the
/// policy's default country.
pub(crate) fn contact_region(c: &Contact, policy: &CompiledPolicy) -> Id {
    c.location_id
        .as_deref()
        .and_then(|l| policy.location(l))
        .map(|l| l.region)
        .unwrap_or(policy.default_region)
}

fn lists_missed_call(c: &Contact, event_id: &str) -> bool {
    c.recent_events
        .iter()
        .any(|r| r.kind == RecentEventKind::MissedCall && r.event_id == event_id)
}

impl CrmSource for CrmSnapshot {
    fn by_phone<'a>(&'a self, key: &str, policy: &CompiledPolicy) -> Vec<&'a Contact> {
        self.contacts
            .iter()
            .filter(|c| {
                let region = contact_region(c, policy);
                c.phones
                    .iter()
                    .any(|p| phone::match_key(p.number(), region).as_deref() == Some(key))
            })
            .collect()
    }

    fn by_missed_call<'a>(&'a self, event_id: &str) -> Vec<&'a Contact> {
        self.contacts
            .iter()
            .filter(|c| lists_missed_call(c, event_id))
            .collect()
    }
}

/// A CRM export indexed once by phone matching key and by recorded missed-call id, for
/// batch jobs and services that hold every contact in memory. Build it with
/// [`crate::Engine::index`]; it is immutable, `Send + Sync`, and can be shared.
#[derive(Debug, Clone)]
pub struct CrmIndex {
    snapshot: CrmSnapshot,
    by_key: HashMap<String, Vec<usize>>,
    by_event: HashMap<String, Vec<usize>>,
}

impl CrmIndex {
    /// Indexes a snapshot, reading phone numbers with the policy's regions.
    pub fn new(snapshot: CrmSnapshot, policy: &CompiledPolicy) -> Self {
        let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_event: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, c) in snapshot.contacts.iter().enumerate() {
            let region = contact_region(c, policy);
            for p in &c.phones {
                if let Some(key) = phone::match_key(p.number(), region) {
                    let list = by_key.entry(key).or_default();
                    if list.last() != Some(&i) {
                        list.push(i);
                    }
                }
            }
            for r in &c.recent_events {
                if r.kind == RecentEventKind::MissedCall {
                    let list = by_event.entry(r.event_id.clone()).or_default();
                    if list.last() != Some(&i) {
                        list.push(i);
                    }
                }
            }
        }
        CrmIndex {
            snapshot,
            by_key,
            by_event,
        }
    }

    /// The indexed snapshot.
    pub fn snapshot(&self) -> &CrmSnapshot {
        &self.snapshot
    }

    /// Number of contacts.
    pub fn len(&self) -> usize {
        self.snapshot.contacts.len()
    }

    /// Whether the index has no contacts.
    pub fn is_empty(&self) -> bool {
        self.snapshot.contacts.is_empty()
    }
}

impl CrmSource for CrmIndex {
    fn by_phone<'a>(&'a self, key: &str, _policy: &CompiledPolicy) -> Vec<&'a Contact> {
        self.by_key
            .get(key)
            .map(|ids| ids.iter().map(|i| &self.snapshot.contacts[*i]).collect())
            .unwrap_or_default()
    }

    fn by_missed_call<'a>(&'a self, event_id: &str) -> Vec<&'a Contact> {
        self.by_event
            .get(event_id)
            .map(|ids| ids.iter().map(|i| &self.snapshot.contacts[*i]).collect())
            .unwrap_or_default()
    }
}
