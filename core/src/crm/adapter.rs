//! What the sync machine asks of a CRM module: the lookup requests and how to read them,
//! which opt-out channels it cannot write, and for each write the request to send in the
//! current [`Mode`] and what an answer means ([`Read`]). The machine (retries, bounds,
//! outcome) is the same for every CRM; a CRM whose primitives differ says so through the
//! modes: a find before a create where it has no upsert, a follow-up request on a written
//! record (link it, close it, confirm it, merge a duplicate into it).

use crate::error::Result;
use crate::model::crm::{Contact, ContactKind};
use crate::model::policy::Channel;

use super::config::Config;
use super::http::{Request, Response};
use super::plan::{Person, Write};
use super::Caller;

/// How the current write is being sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Mode {
    /// The first way (for a CRM without an upsert on this object: a find by its key).
    Normal,
    /// Again, telling an Alert duplicate rule to allow the save.
    AllowDuplicates,
    /// Again, without the fields the CRM accepts only on create (the record exists).
    Update,
    /// Read the record by its key (a racing insert won).
    Reread,
    /// The find by key goes on to the next page (the CRM's cursor).
    Page(String),
    /// The find by key came back empty: create the record.
    Create,
    /// The record is written or found; a further request about it.
    Then {
        /// The record's id.
        id: String,
        /// Whether this sync created it.
        created: Option<bool>,
        /// Which request.
        then: Then,
    },
}

/// The follow-up requests on a written record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Then {
    /// Associate it with the person (HubSpot).
    Link,
    /// Close it as received (a Dynamics phone call is created open).
    Close,
    /// Open it again to amend it (a closed Dynamics phone call is read-only).
    Reopen,
    /// Update the found record with the amended text.
    Amend,
    /// Search by key again after a create: did a racing create make a second one?
    Confirm,
    /// Merge the duplicate `from` into `into`, then the `rest`.
    Merge {
        into: String,
        from: String,
        rest: Vec<String>,
    },
    /// Turn the call activity into a call log (Pipedrive).
    LogCall,
    /// Look for the person's lead (Pipedrive Leads Inbox).
    FindLead,
    /// Create the person's lead.
    CreateLead,
}

/// What the adapter made of an answer.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Read {
    /// The write is done.
    Done {
        id: Option<String>,
        created: Option<bool>,
        object: String,
    },
    /// Send the write again another way.
    Again(Mode),
    /// The CRM refused it for good.
    Rejected(String),
}

impl Read {
    /// Done with a found (not created) record.
    pub(crate) fn found(id: String, object: &str) -> Read {
        Read::Done {
            id: Some(id),
            created: Some(false),
            object: object.to_string(),
        }
    }
}

/// The sync's state the adapters read: the person's id once known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Context {
    pub person_id: Option<String>,
    pub person_kind: Option<ContactKind>,
    pub event_id: String,
    pub location_id: String,
    pub occurred_at: crate::model::time::Timestamp,
    pub occurred_at_local: String,
    pub caller: Option<String>,
    pub tracking_number: Option<String>,
}

impl Context {
    /// The person a write links to, resolved.
    pub(crate) fn person(&self, p: &Person) -> Option<(String, Option<ContactKind>)> {
        match p {
            Person::Existing { id, kind } => Some((id.clone(), *kind)),
            Person::Created => self
                .person_id
                .clone()
                .map(|id| (id, self.person_kind.or(Some(ContactKind::Lead)))),
            Person::Nobody => None,
        }
    }

    /// The person of a write that has one (an opt-out), or an internal error.
    pub(crate) fn required_person(&self, p: &Person) -> Result<(String, Option<ContactKind>)> {
        self.person(p).ok_or_else(|| {
            crate::error::Error::new(
                crate::error::ErrorCode::Internal,
                "",
                "a write that needs a record has none",
            )
        })
    }
}

/// One CRM, as the lookup and the sync machine use it.
pub(crate) trait Adapter {
    /// The search requests for a caller (`key`: the upsert key a new lead would carry).
    fn lookup_requests(&self, config: &Config, caller: &Caller, key: &str) -> Vec<Request>;
    /// Reads the answer to lookup request `index`.
    fn read_lookup(&self, config: &Config, index: usize, r: &Response) -> Result<Vec<Contact>>;
    /// Why an opt-out on `channel` cannot be written with this config, if it cannot.
    fn unwritable(&self, config: &Config, channel: Channel) -> Option<String>;
    /// The request for `write` in `mode`.
    fn request(
        &self,
        config: &Config,
        write: &Write,
        mode: &Mode,
        ctx: &Context,
    ) -> Result<Request>;
    /// What the answer to that request means.
    fn read(
        &self,
        config: &Config,
        write: &Write,
        mode: &Mode,
        ctx: &Context,
        r: &Response,
    ) -> Result<Read>;
}

/// Implements [`Adapter`] for a CRM module's unit struct by calling the module's free
/// functions of the same names (`lookup_requests`, `read_lookup`, `unwritable`, `request`,
/// `read`), which each CRM module defines.
macro_rules! forward_to_functions {
    ($adapter:ident) => {
        impl $crate::crm::adapter::Adapter for $adapter {
            fn lookup_requests(
                &self,
                config: &Config,
                caller: &$crate::crm::Caller,
                key: &str,
            ) -> Vec<Request> {
                lookup_requests(config, caller, key)
            }
            fn read_lookup(
                &self,
                config: &Config,
                index: usize,
                r: &Response,
            ) -> $crate::error::Result<Vec<$crate::model::crm::Contact>> {
                read_lookup(config, index, r)
            }
            fn unwritable(
                &self,
                config: &Config,
                channel: $crate::model::policy::Channel,
            ) -> Option<String> {
                unwritable(config, channel)
            }
            fn request(
                &self,
                config: &Config,
                write: &Write,
                mode: &Mode,
                ctx: &Context,
            ) -> $crate::error::Result<Request> {
                request(config, write, mode, ctx)
            }
            fn read(
                &self,
                config: &Config,
                write: &Write,
                mode: &Mode,
                ctx: &Context,
                r: &Response,
            ) -> $crate::error::Result<Read> {
                read(config, write, mode, ctx, r)
            }
        }
    };
}
pub(crate) use forward_to_functions;
