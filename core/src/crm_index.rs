//! Where the engine finds contacts: a per-call [`CrmSnapshot`] (scanned) or a prebuilt
//! [`CrmIndex`] over a large export (hash lookups). Both give identical answers.

use phonenumber::country::Id;
use std::collections::{HashMap, HashSet};

use crate::compile::CompiledPolicy;
use crate::compliance::suppression::List;
use crate::model::crm::{
    Contact, ContactKind, CrmSnapshot, Phone, RecentEvent, RecentEventKind, Suppressions,
};
use crate::model::decision::{Decision, RecordAction, Status};
use crate::model::event::MissedCallEvent;
use crate::phone;

/// A source of CRM contacts for the identity stage.
pub trait CrmSource {
    /// Contacts with a phone whose matching key equals `key` (an E.164 number), each once,
    /// in source order.
    fn by_phone<'a>(&'a self, key: &str, policy: &CompiledPolicy) -> Vec<&'a Contact>;
    /// Contacts whose `recent_events` list a missed call with this event id.
    fn by_missed_call<'a>(&'a self, event_id: &str) -> Vec<&'a Contact>;
    /// Whether `key` (an E.164 number, or a lower-case email for the email list) is on a
    /// suppression list.
    fn is_suppressed(&self, list: List, key: &str, policy: &CompiledPolicy) -> bool;
}

fn list_of(s: &Suppressions, list: List) -> &[String] {
    match list {
        List::DoNotCall => &s.do_not_call,
        List::DoNotText => &s.do_not_text,
        List::DoNotEmail => &s.do_not_email,
    }
}

/// A cheap necessary condition for two phone strings being the same number: the same last
/// four digits. Entries with letters (extensions, vanity numbers) always pass, so the full
/// normalization decides them.
fn same_last_digits(entry: &str, key: &str) -> bool {
    if entry
        .bytes()
        .any(|b| b.is_ascii_alphabetic() || matches!(b, b'#' | b';' | b','))
    {
        return true;
    }
    let a = entry.bytes().rev().filter(u8::is_ascii_digit).take(4);
    let b = key.bytes().rev().filter(u8::is_ascii_digit).take(4);
    a.eq(b)
}

/// The comparison key of a suppression entry: E.164 for numbers, lower case for emails.
fn suppression_key(entry: &str, list: List, policy: &CompiledPolicy) -> Option<String> {
    match list {
        List::DoNotEmail => Some(entry.trim().to_ascii_lowercase()),
        _ => phone::match_key(entry, policy.default_region),
    }
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

    fn is_suppressed(&self, list: List, key: &str, policy: &CompiledPolicy) -> bool {
        list_of(&self.suppressions, list).iter().any(|e| {
            // Numbers that do not end in the same four digits cannot be the same number:
            // skip normalizing them.
            (list == List::DoNotEmail || same_last_digits(e, key))
                && suppression_key(e, list, policy).as_deref() == Some(key)
        })
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
    by_id: HashMap<String, usize>,
    suppressed: [HashSet<String>; 3],
}

impl CrmIndex {
    /// Indexes a snapshot, reading phone numbers with the policy's regions.
    pub fn new(snapshot: CrmSnapshot, policy: &CompiledPolicy) -> Self {
        let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_event: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_id: HashMap<String, usize> = HashMap::new();
        for (i, c) in snapshot.contacts.iter().enumerate() {
            by_id.entry(c.id.clone()).or_insert(i);
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
        let set = |list: List| -> HashSet<String> {
            list_of(&snapshot.suppressions, list)
                .iter()
                .filter_map(|e| suppression_key(e, list, policy))
                .collect()
        };
        let suppressed = [
            set(List::DoNotCall),
            set(List::DoNotText),
            set(List::DoNotEmail),
        ];
        CrmIndex {
            snapshot,
            by_key,
            by_event,
            by_id,
            suppressed,
        }
    }

    /// The indexed snapshot.
    pub fn snapshot(&self) -> &CrmSnapshot {
        &self.snapshot
    }

    /// Writes a decision back as an integrator would: the missed call is recorded on the
    /// contact it was appended to (or on a new lead, keyed by the decision's upsert key, so a
    /// second call from the same new number appends to that lead), and an amended replay
    /// marks the recorded call as having a transcript. Duplicates and answered calls change
    /// nothing. On a shared line the call is recorded on the top-ranked candidate, as if
    /// staff had picked it. Used by replays, so that retries, repeat callers and new leads
    /// that call twice are recognised exactly as they would be in production.
    pub fn apply(&mut self, event: &MissedCallEvent, decision: &Decision) {
        let had_transcript = event
            .voicemail
            .as_ref()
            .and_then(|v| v.transcript_text())
            .is_some();
        match decision.status {
            Status::DuplicateEvent | Status::NotMissed => return,
            Status::Amended => {
                for i in self
                    .by_event
                    .get(&event.event_id)
                    .cloned()
                    .unwrap_or_default()
                {
                    for r in &mut self.snapshot.contacts[i].recent_events {
                        if r.event_id == event.event_id && had_transcript {
                            r.had_transcript = Some(true);
                        }
                    }
                }
                return;
            }
            _ => {}
        }
        let recent = RecentEvent {
            event_id: event.event_id.clone(),
            occurred_at: event.occurred_at,
            kind: RecentEventKind::MissedCall,
            location_id: Some(decision.location_id.clone()),
            // ringback knows what this delivery carried, so the write-back is explicit.
            had_transcript: Some(had_transcript),
        };
        let target = match decision.record.action {
            RecordAction::AppendToCustomer
            | RecordAction::AppendToLead
            | RecordAction::AppendToOpenFollowup => decision.record.contact_id.clone(),
            RecordAction::NeedsResolution => decision
                .record
                .candidates
                .first()
                .map(|c| c.contact_id.clone()),
            RecordAction::CreateLead => {
                let key = decision.record.upsert_key.clone().unwrap_or_default();
                let id = format!("lead:{key}");
                if !self.by_id.contains_key(&id) {
                    let phones = decision
                        .caller
                        .e164
                        .iter()
                        .map(|e| Phone::Plain(e.clone()))
                        .collect();
                    // The id is the upsert key already; the CRM fields stay unset so
                    // that the written-back lead hashes as before.
                    self.snapshot.contacts.push(Contact {
                        phones,
                        first_name: decision
                            .record
                            .new_lead
                            .as_ref()
                            .and_then(|l| l.first_name.clone()),
                        last_name: decision
                            .record
                            .new_lead
                            .as_ref()
                            .and_then(|l| l.last_name.clone()),
                        location_id: Some(decision.location_id.clone()),
                        created_at: Some(event.occurred_at),
                        ..Contact::new(id.clone(), ContactKind::Lead)
                    });
                    let i = self.snapshot.contacts.len() - 1;
                    self.by_id.insert(id.clone(), i);
                    if let Some(e) = &decision.caller.e164 {
                        self.by_key.entry(e.clone()).or_default().push(i);
                    }
                }
                Some(id)
            }
            RecordAction::None => None,
        };
        let Some(target) = target else { return };
        let Some(&i) = self.by_id.get(&target) else {
            return;
        };
        let c = &mut self.snapshot.contacts[i];
        c.last_activity_at = Some(
            c.last_activity_at
                .map_or(event.occurred_at, |t| t.max(event.occurred_at)),
        );
        c.recent_events.push(recent);
        let list = self.by_event.entry(event.event_id.clone()).or_default();
        if !list.contains(&i) {
            list.push(i);
        }
    }

    /// Writes back a consent revocation a messaging provider or the CRM reported (a
    /// `consent_updates` entry): `number` goes on the channel's suppression list, so no
    /// later decision contacts it there (read with the policy's default region). Already
    /// listed: nothing changes.
    pub fn suppress(
        &mut self,
        channel: crate::model::policy::Channel,
        number: &str,
        policy: &CompiledPolicy,
    ) {
        use crate::model::policy::Channel;
        let (list, i) = match channel {
            Channel::Voice => (List::DoNotCall, 0),
            Channel::Sms => (List::DoNotText, 1),
            Channel::Email => (List::DoNotEmail, 2),
        };
        let Some(key) = suppression_key(number, list, policy) else {
            return;
        };
        if self.suppressed[i].insert(key) {
            let s = &mut self.snapshot.suppressions;
            let entries = match channel {
                Channel::Voice => &mut s.do_not_call,
                Channel::Sms => &mut s.do_not_text,
                Channel::Email => &mut s.do_not_email,
            };
            entries.push(number.to_string());
        }
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

    fn is_suppressed(&self, list: List, key: &str, _policy: &CompiledPolicy) -> bool {
        let i = match list {
            List::DoNotCall => 0,
            List::DoNotText => 1,
            List::DoNotEmail => 2,
        };
        self.suppressed[i].contains(key)
    }

    fn by_missed_call<'a>(&'a self, event_id: &str) -> Vec<&'a Contact> {
        self.by_event
            .get(event_id)
            .map(|ids| ids.iter().map(|i| &self.snapshot.contacts[*i]).collect())
            .unwrap_or_default()
    }
}
