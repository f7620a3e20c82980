//! Splitting a replay into buckets that decide exactly as one replay does, for running it on
//! many workers (Spark, Dask, several processes).
//!
//! A call's decision depends on the contacts on its caller's number, on every other number of
//! those contacts (a decision written back lands on the contact, and the contact's next call
//! may come from another of its numbers), and on the suppression lists. So buckets follow
//! contacts, not single phones: contacts that share a number, and all the numbers of a
//! contact, form one *component*, and a component lives in one bucket. The suppression lists
//! go to every bucket whole.
//!
//! The bucket of a key is [`bucket`]: FNV-1a (64-bit) of the key's UTF-8 bytes, modulo the
//! number of buckets — a fixed function, the same in every language (never a salted or
//! engine-specific hash). Keys:
//! - a component: its smallest E.164 number (a contact without a readable number: its id);
//! - a call from a number in the CRM: that number's component;
//! - a call from a number the CRM does not know: its E.164 number (a new lead's later calls
//!   come from the same number, so they land in the same bucket);
//! - a withheld or unreadable caller: its event id (so retries and amendments stay together).
//!
//! What the plan cannot see: a contact whose `recent_events` record a call from a number that
//! is not one of its phones (staff attached the call by hand). A retry of that call is
//! recognised as a duplicate only if it lands in the contact's bucket.

use std::collections::HashMap;

use crate::engine::Engine;
use crate::model::crm::CrmSnapshot;
use crate::model::event::MissedCallEvent;

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// FNV-1a (64-bit) of `key`'s UTF-8 bytes.
pub fn fnv1a64(key: &str) -> u64 {
    fnv1a64_bytes(key.as_bytes())
}

/// FNV-1a (64-bit) of bytes.
pub fn fnv1a64_bytes(key: &[u8]) -> u64 {
    key.iter().fold(FNV_OFFSET, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(FNV_PRIME)
    })
}

/// The bucket of `key` among `buckets` (`fnv1a64(key) % buckets`; 0 when `buckets` is 0).
pub fn bucket(key: &str, buckets: u32) -> u32 {
    bucket_bytes(key.as_bytes(), buckets)
}

/// [`bucket`] of a key given as bytes (the key's UTF-8 encoding).
pub fn bucket_bytes(key: &[u8], buckets: u32) -> u32 {
    if buckets == 0 {
        return 0;
    }
    (fnv1a64_bytes(key) % u64::from(buckets)) as u32
}

/// Which bucket every contact, every CRM number and every call goes to.
#[derive(Debug, Clone)]
pub struct Plan {
    buckets: u32,
    /// CRM number (E.164) → its component's bucket.
    by_phone: HashMap<String, u32>,
    /// Contact (snapshot order) → bucket.
    contacts: Vec<u32>,
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

impl Plan {
    /// Plans `buckets` buckets (at least 1) for `snapshot`, reading numbers as `engine`'s
    /// CRM index does.
    pub fn new(engine: &Engine, snapshot: &CrmSnapshot, buckets: u32) -> Plan {
        let buckets = buckets.max(1);
        let keys: Vec<Vec<String>> = snapshot
            .contacts
            .iter()
            .map(|c| engine.contact_keys(c))
            .collect();
        // Union-find over contacts: two contacts sharing a number are one component.
        let mut parent: Vec<usize> = (0..keys.len()).collect();
        let mut first_owner: HashMap<&str, usize> = HashMap::new();
        for (i, ks) in keys.iter().enumerate() {
            for k in ks {
                match first_owner.get(k.as_str()) {
                    Some(&j) => {
                        let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                        if a != b {
                            parent[a.max(b)] = a.min(b);
                        }
                    }
                    None => {
                        first_owner.insert(k, i);
                    }
                }
            }
        }
        // Each component's key: its smallest number, else (no number) its root contact's id.
        let mut smallest: HashMap<usize, &str> = HashMap::new();
        for (i, ks) in keys.iter().enumerate() {
            let root = find(&mut parent, i);
            for k in ks {
                let slot = smallest.entry(root).or_insert(k.as_str());
                if k.as_str() < *slot {
                    *slot = k.as_str();
                }
            }
        }
        let mut contacts = Vec::with_capacity(keys.len());
        let mut by_phone = HashMap::new();
        for (i, ks) in keys.iter().enumerate() {
            let root = find(&mut parent, i);
            let b = match smallest.get(&root) {
                Some(k) => bucket(k, buckets),
                None => bucket(&snapshot.contacts[i].id, buckets),
            };
            contacts.push(b);
            for k in ks {
                by_phone.insert(k.clone(), b);
            }
        }
        Plan {
            buckets,
            by_phone,
            contacts,
        }
    }

    /// The number of buckets.
    pub fn buckets(&self) -> u32 {
        self.buckets
    }

    /// The bucket of contact `i` (snapshot order), if there is one.
    pub fn contact_bucket(&self, i: usize) -> Option<u32> {
        self.contacts.get(i).copied()
    }

    /// The bucket of a call from `e164`: its component's when the CRM has the number, else
    /// the number's own.
    pub fn phone_bucket(&self, e164: &str) -> u32 {
        self.by_phone
            .get(e164)
            .copied()
            .unwrap_or_else(|| bucket(e164, self.buckets))
    }

    /// The bucket of a call: by its caller's number ([`Plan::phone_bucket`]), or by its
    /// event id when the caller is withheld or not a phone number.
    pub fn event_bucket(&self, engine: &Engine, event: &MissedCallEvent) -> u32 {
        match engine.caller_key(event) {
            Some(e164) => self.phone_bucket(&e164),
            None => bucket(&event.event_id, self.buckets),
        }
    }

    /// The CRM numbers and their buckets, sorted by number (the plan as a table, for
    /// engines that join on it).
    pub fn phones(&self) -> Vec<(&str, u32)> {
        let mut out: Vec<(&str, u32)> = self
            .by_phone
            .iter()
            .map(|(k, b)| (k.as_str(), *b))
            .collect();
        out.sort_unstable();
        out
    }

    /// One snapshot per bucket: its contacts (in the snapshot's order) and every
    /// suppression list whole.
    pub fn split(&self, snapshot: &CrmSnapshot) -> Vec<CrmSnapshot> {
        let mut out: Vec<CrmSnapshot> = (0..self.buckets)
            .map(|_| CrmSnapshot {
                contacts: Vec::new(),
                suppressions: snapshot.suppressions.clone(),
            })
            .collect();
        for (i, c) in snapshot.contacts.iter().enumerate() {
            let b = self.contact_bucket(i).unwrap_or(0) as usize;
            if let Some(part) = out.get_mut(b) {
                part.contacts.push(c.clone());
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a64_is_the_published_function() {
        // Reference values of FNV-1a 64 (the FNV authors' test vectors).
        assert_eq!(fnv1a64(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64("foobar"), 0x8594_4171_f739_67e8);
        assert_eq!(bucket("a", 0), 0);
        assert_eq!(bucket("a", 1), 0);
        assert_eq!(bucket("a", 7), (0xaf63_dc4c_8601_ec8c_u64 % 7) as u32);
    }
}
