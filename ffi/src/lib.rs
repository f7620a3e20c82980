//! The C ABI of ringback: `libringback.so` / `libringback.a` and `include/ringback.h`.
//!
//! A thin layer: every export converts its C arguments, calls one JSON entry point of the
//! core and converts the result back. The conventions, written on every declaration of the
//! header too:
//!
//! - inputs are `(const uint8_t *ptr, size_t len)` UTF-8 byte ranges, borrowed for the call;
//! - outputs are library-owned [`rb_string`]s and handles, freed only by the library
//!   (`rb_string_free`, `rb_engine_free`, ...; every free function is NULL-safe);
//! - every fallible function returns an [`rb_status`] and, when the caller passes a non-NULL
//!   `rb_error **err`, an [`rb_error`] with the stable code, the JSON path and a message;
//! - every function NULL-checks its pointers, validates UTF-8 and catches panics: nothing
//!   unwinds into or aborts the host;
//! - an [`rb_engine`] and an [`rb_crm_index`] are immutable and may be shared by any number
//!   of threads.
//!
//! `ffi/README.md` shows how to build, link (pkg-config, CMake) and use it.

#![deny(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]
#![allow(non_camel_case_types)]

mod guard;
mod machine;
mod messaging;
mod status;

pub use messaging::{
    rb_twilio_send, rb_twilio_send_feed, rb_twilio_send_free, rb_twilio_send_new,
    rb_twilio_send_next, rb_twilio_send_outcome,
};

pub use guard::{rb_string, rb_string_free};
pub use status::{
    rb_error, rb_error_code, rb_error_free, rb_error_message, rb_error_path, rb_status,
    rb_status_str,
};

use std::ffi::{c_char, CStr};
use std::sync::{Arc, Mutex};

use guard::{guard, handle, optional_text, reset_out, set_out, text, Failure};
use ringback_core::{CrmIndex, Engine, Error, ErrorCode, Replayer};

/// A compiled policy, ready to decide.
///
/// Ownership: created by `rb_engine_new`, owned by the caller, released with
/// `rb_engine_free` (exactly once, after every call using it has returned).
/// Thread-safety: immutable; one engine may be used by any number of threads at once
/// (share the pointer; no locking needed).
pub struct rb_engine {
    inner: Arc<Engine>,
    /// The CRM text of the last `rb_engine_process` call and its index, reused while the
    /// caller passes the same snapshot; a thread that finds it busy parses instead of
    /// waiting (decisions are the same either way).
    last_crm: Mutex<ringback_core::LastCrm>,
}

/// A CRM export indexed once for fast repeated lookups (hash lookups instead of scans).
///
/// Ownership: created by `rb_crm_index_new`, owned by the caller, released with
/// `rb_crm_index_free`. It does not borrow the engine that built it and may outlive it, but
/// its phone numbers were normalized with that engine's policy: use it with that engine
/// (or one compiled from the same policy).
/// Thread-safety: immutable; may be used by any number of threads at once.
pub struct rb_crm_index {
    inner: CrmIndex,
}

/// A replay of many calls through one engine (the core's `ringback::replay::Replayer`):
/// each call is decided against the CRM as every earlier decision left it, written back,
/// and added to the recovery report; outcomes are matched to the decisions. Ordering
/// contract: `occurred_at`, then `received_at`, then `event_id`.
///
/// Ownership: created by `rb_replayer_new` or `rb_replayer_new_indexed`, owned by the
/// caller, released with `rb_replayer_free`. It keeps its own reference to the engine and
/// its own copy of the CRM, so the engine and index it was made from may be freed first.
/// Thread-safety: mutable; calls from several threads on one replayer take turns (a lock
/// inside), so replay order is the order in which the calls acquire it.
pub struct rb_replayer {
    inner: Mutex<Replayer<Arc<Engine>>>,
}

impl rb_replayer {
    fn with<T>(
        &self,
        f: impl FnOnce(&mut Replayer<Arc<Engine>>) -> Result<T, Failure>,
    ) -> Result<T, Failure> {
        let mut r = self.inner.lock().map_err(|_| {
            Failure::from(Error::new(
                ErrorCode::Internal,
                "",
                "this replayer stopped at an internal error; free it and start a new one",
            ))
        })?;
        f(&mut r)
    }
}

/// The CRM sync machine of one decision (the core's `ringback::crm::Sync`): ask it for the
/// next request (`rb_crm_sync_next`), send it with any HTTP client, feed the answer
/// (`rb_crm_sync_feed`), until it has none; then read the outcome.
///
/// Ownership: created by `rb_crm_sync_new`, owned by the caller, released with
/// `rb_crm_sync_free`. Thread-safety: calls on one sync take turns (a lock inside); one
/// sync per decision.
pub struct rb_crm_sync {
    inner: Mutex<ringback_core::crm::Sync>,
}

impl machine::Handle for rb_crm_sync {
    type M = ringback_core::crm::Sync;
    fn machine(&self) -> &Mutex<Self::M> {
        &self.inner
    }
    const NAME: &'static str = "sync";
}

// The panic guard needs unwinding: building with `panic = "abort"` would turn every caught
// panic into an abort of the host, so refuse to build that way.
const _: () = assert!(
    cfg!(panic = "unwind"),
    "ringback-ffi must be built with panic = \"unwind\""
);

const VERSION: &CStr =
    match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
        Ok(v) => v,
        Err(_) => panic!("the version has no NUL byte"),
    };

/// The engine version (`"0.1.0"`), the same string every decision carries in
/// `engine_version`.
///
/// Ownership: static; never free it. Thread-safety: safe from any thread.
#[unsafe(no_mangle)]
pub extern "C" fn rb_version() -> *const c_char {
    VERSION.as_ptr()
}

/// The bucket of a key among `buckets`: FNV-1a (64-bit) of the `key_len` bytes at `key`
/// (the key's UTF-8 encoding) modulo `buckets`; 0 when `buckets` is 0, or when `key` is
/// NULL with a nonzero length. The same function in every language ringback runs in, for
/// partitioning a replay (calls by their caller's E.164, withheld callers by event id).
///
/// Thread-safety: safe from any thread.
///
/// # Safety
///
/// `key` is NULL or valid for reading `key_len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn rb_bucket(key: *const u8, key_len: usize, buckets: u32) -> u32 {
    if key.is_null() {
        return if key_len == 0 {
            ringback_core::partition::bucket_bytes(&[], buckets)
        } else {
            0
        };
    }
    // SAFETY: non-NULL and readable for `key_len` bytes, per the contract.
    let bytes = unsafe { std::slice::from_raw_parts(key, key_len) };
    ringback_core::partition::bucket_bytes(bytes, buckets)
}

/// The built-in default policy as JSON (what a policy that sets nothing gets; a starting
/// point to edit).
///
/// On `RB_OK`, `*out` holds the JSON; free it with `rb_string_free(out)`. On failure `*out`
/// is `{NULL, 0}` and, when `err` is not NULL, `*err` holds an error to free with
/// `rb_error_free`. Thread-safety: safe from any thread.
///
/// # Safety
///
/// `out` is valid for writing an `rb_string`; `err` is NULL or valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn rb_default_policy_json(
    out: *mut rb_string,
    err: *mut *mut rb_error,
) -> rb_status {
    let body = || -> Result<(), Failure> {
        // SAFETY: `out` is NULL (rejected) or writable, per the contract.
        unsafe { reset_out(out, rb_string::EMPTY, "out") }?;
        let json = rb_string::from_string(ringback_core::default_policy_json())?;
        // SAFETY: checked non-NULL and writable above.
        unsafe { set_out(out, json) };
        Ok(())
    };
    // SAFETY: `err` is NULL or writable, per the contract.
    unsafe { guard(err, body) }
}

/// Compiles a policy given as JSON or TOML text (applied on top of the built-in default).
///
/// `policy`/`policy_len`: the policy text, UTF-8, borrowed for the call.
/// On `RB_OK`, `*out` holds a new engine, owned by the caller (free it with
/// `rb_engine_free`). On failure `*out` is NULL and, when `err` is not NULL, `*err` holds
/// an error (`RB_INVALID_JSON`, `RB_INVALID_POLICY`, `RB_INVALID_TIME_ZONE`, ...) to free
/// with `rb_error_free`. Thread-safety: safe from any thread.
///
/// # Safety
///
/// `policy` is NULL or valid for reading `policy_len` bytes; `out` is valid for writing a
/// pointer; `err` is NULL or valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn rb_engine_new(
    policy: *const u8,
    policy_len: usize,
    out: *mut *mut rb_engine,
    err: *mut *mut rb_error,
) -> rb_status {
    let body = || -> Result<(), Failure> {
        // SAFETY: `out` is NULL (rejected) or writable, per the contract.
        unsafe { reset_out(out, std::ptr::null_mut(), "out") }?;
        // SAFETY: `policy` is NULL (rejected) or readable for `policy_len` bytes.
        let policy = unsafe { text(policy, policy_len, "policy") }?;
        let engine = Engine::from_policy_text(policy)?;
        let engine = Box::into_raw(Box::new(rb_engine {
            inner: Arc::new(engine),
            last_crm: Mutex::new(ringback_core::LastCrm::default()),
        }));
        // SAFETY: checked non-NULL and writable above; the caller now owns the engine.
        unsafe { set_out(out, engine) };
        Ok(())
    };
    // SAFETY: `err` is NULL or writable, per the contract.
    unsafe { guard(err, body) }
}

/// Frees an engine. NULL is a no-op.
///
/// Ownership: takes the engine back; it is invalid after. Indexes it built stay valid.
/// Thread-safety: call once, after every call using the engine (on any thread) returned.
///
/// # Safety
///
/// `engine` is NULL or an engine from `rb_engine_new` not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn rb_engine_free(engine: *mut rb_engine) {
    if !engine.is_null() {
        // SAFETY: `engine` came from `Box::into_raw` in `rb_engine_new` and is freed once.
        drop(unsafe { Box::from_raw(engine) });
    }
}

/// Decides one missed-call event against a CRM snapshot and returns the decision as JSON.
///
/// `event`/`event_len`: the event JSON, UTF-8, borrowed for the call.
/// `crm`/`crm_len`: the CRM snapshot JSON (the contacts a search by the caller's number
/// returned, and the suppression lists); `(NULL, 0)`, `""` or `"null"` for none.
/// On `RB_OK`, `*out` holds the decision JSON; free it with `rb_string_free(out)`. On
/// failure `*out` is `{NULL, 0}` and, when `err` is not NULL, `*err` holds an error
/// (`RB_INVALID_EVENT`, `RB_UNKNOWN_LOCATION`, `RB_INVALID_CRM`, ...; the path is inside
/// the input at fault) to free with `rb_error_free`.
/// Thread-safety: any number of threads may call this at once with the same engine.
///
/// # Safety
///
/// `engine` is NULL or a live engine; `event` and `crm` are NULL or valid for reading their
/// lengths in bytes; `out` is valid for writing an `rb_string`; `err` is NULL or valid for
/// writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn rb_engine_process(
    engine: *const rb_engine,
    event: *const u8,
    event_len: usize,
    crm: *const u8,
    crm_len: usize,
    out: *mut rb_string,
    err: *mut *mut rb_error,
) -> rb_status {
    let body = || -> Result<(), Failure> {
        // SAFETY: `out` is NULL (rejected) or writable, per the contract.
        unsafe { reset_out(out, rb_string::EMPTY, "out") }?;
        // SAFETY: `engine` is NULL (rejected) or live for the call, per the contract.
        let engine = unsafe { handle(engine, "engine") }?;
        // SAFETY: the inputs are NULL (handled) or readable for their lengths.
        let event = unsafe { text(event, event_len, "event") }?;
        // SAFETY: as above.
        let crm = unsafe { optional_text(crm, crm_len, "crm") }?;
        let decided = match engine.last_crm.try_lock() {
            Ok(mut last) if !crm.is_empty() => {
                engine.inner.process_json_reusing(event, crm, &mut last)
            }
            _ => engine.inner.process_json(event, crm),
        };
        let json = rb_string::from_string(decided?)?;
        // SAFETY: checked non-NULL and writable above.
        unsafe { set_out(out, json) };
        Ok(())
    };
    // SAFETY: `err` is NULL or writable, per the contract.
    unsafe { guard(err, body) }
}

/// Decides an event again with every rule's detail in words (`audit.trace: full`), for a
/// decision stored at the lean default level, and returns that decision as JSON.
///
/// `event`/`event_len` and `crm`/`crm_len`: the stored decision's event and CRM snapshot
/// JSON, as for `rb_engine_process`. `decision_id`/`decision_id_len`: the stored decision's
/// `decision_id`, or `(NULL, 0)` not to check; when given, other inputs (a different id)
/// fail with `RB_INVALID_EVENT` at path `decision_id` instead of explaining another
/// decision. On `RB_OK`, `*out` holds the decision with its full trace; free it with
/// `rb_string_free(out)`. On failure `*out` is `{NULL, 0}` and `*err` (when not NULL)
/// holds the error.
/// Thread-safety: any number of threads may call this at once with the same engine.
///
/// # Safety
///
/// `engine` is NULL or a live engine; each input is NULL or valid for reading its length in
/// bytes; `out` is valid for writing an `rb_string`; `err` is NULL or valid for writing a
/// pointer.
#[allow(clippy::too_many_arguments)] // (pointer, length) pairs: the C ABI's shape
#[unsafe(no_mangle)]
pub unsafe extern "C" fn rb_engine_explain(
    engine: *const rb_engine,
    event: *const u8,
    event_len: usize,
    crm: *const u8,
    crm_len: usize,
    decision_id: *const u8,
    decision_id_len: usize,
    out: *mut rb_string,
    err: *mut *mut rb_error,
) -> rb_status {
    let body = || -> Result<(), Failure> {
        // SAFETY: `out` is NULL (rejected) or writable, per the contract.
        unsafe { reset_out(out, rb_string::EMPTY, "out") }?;
        // SAFETY: `engine` is NULL (rejected) or live for the call, per the contract.
        let engine = unsafe { handle(engine, "engine") }?;
        // SAFETY: the inputs are NULL (handled) or readable for their lengths.
        let event = unsafe { text(event, event_len, "event") }?;
        // SAFETY: as above.
        let crm = unsafe { optional_text(crm, crm_len, "crm") }?;
        // SAFETY: as above.
        let id = unsafe { optional_text(decision_id, decision_id_len, "decision_id") }?;
        let json = rb_string::from_string(engine.inner.explain_json(event, crm, id)?)?;
        // SAFETY: checked non-NULL and writable above.
        unsafe { set_out(out, json) };
        Ok(())
    };
    // SAFETY: `err` is NULL or writable, per the contract.
    unsafe { guard(err, body) }
}

/// Indexes a CRM export (JSON, as for `rb_engine_process`) once, for many lookups with
/// `rb_engine_process_indexed`.
///
/// `crm`/`crm_len`: the CRM JSON, UTF-8, borrowed for the call; `(NULL, 0)`, `""` or
/// `"null"` index an empty CRM.
/// On `RB_OK`, `*out` holds a new index, owned by the caller (free it with
/// `rb_crm_index_free`). On failure `*out` is NULL and, when `err` is not NULL, `*err`
/// holds an error (`RB_INVALID_CRM`, `RB_INVALID_JSON`, ...) to free with `rb_error_free`.
/// Thread-safety: safe from any thread; the engine may be in use by other threads.
///
/// # Safety
///
/// `engine` is NULL or a live engine; `crm` is NULL or valid for reading `crm_len` bytes;
/// `out` is valid for writing a pointer; `err` is NULL or valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn rb_crm_index_new(
    engine: *const rb_engine,
    crm: *const u8,
    crm_len: usize,
    out: *mut *mut rb_crm_index,
    err: *mut *mut rb_error,
) -> rb_status {
    let body = || -> Result<(), Failure> {
        // SAFETY: `out` is NULL (rejected) or writable, per the contract.
        unsafe { reset_out(out, std::ptr::null_mut(), "out") }?;
        // SAFETY: `engine` is NULL (rejected) or live for the call, per the contract.
        let engine = unsafe { handle(engine, "engine") }?;
        // SAFETY: `crm` is NULL (handled) or readable for `crm_len` bytes.
        let crm = unsafe { optional_text(crm, crm_len, "crm") }?;
        let index = engine.inner.index_json(crm)?;
        let index = Box::into_raw(Box::new(rb_crm_index { inner: index }));
        // SAFETY: checked non-NULL and writable above; the caller now owns the index.
        unsafe { set_out(out, index) };
        Ok(())
    };
    // SAFETY: `err` is NULL or writable, per the contract.
    unsafe { guard(err, body) }
}

/// Frees a CRM index. NULL is a no-op.
///
/// Ownership: takes the index back; it is invalid after.
/// Thread-safety: call once, after every call using the index (on any thread) returned.
///
/// # Safety
///
/// `index` is NULL or an index from `rb_crm_index_new` not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn rb_crm_index_free(index: *mut rb_crm_index) {
    if !index.is_null() {
        // SAFETY: `index` came from `Box::into_raw` in `rb_crm_index_new`, freed once.
        drop(unsafe { Box::from_raw(index) });
    }
}

/// Decides one missed-call event against a CRM index and returns the decision as JSON
/// (the same decision `rb_engine_process` gives for the same contacts as a snapshot).
///
/// `event`/`event_len`: the event JSON, UTF-8, borrowed for the call. `index`: built by
/// `rb_crm_index_new` with this engine (or one compiled from the same policy).
/// On `RB_OK`, `*out` holds the decision JSON; free it with `rb_string_free(out)`. On
/// failure `*out` is `{NULL, 0}` and, when `err` is not NULL, `*err` holds an error to free
/// with `rb_error_free`.
/// Thread-safety: any number of threads may call this at once with the same engine and
/// index.
///
/// # Safety
///
/// `engine` and `index` are NULL or live; `event` is NULL or valid for reading `event_len`
/// bytes; `out` is valid for writing an `rb_string`; `err` is NULL or valid for writing a
/// pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn rb_engine_process_indexed(
    engine: *const rb_engine,
    index: *const rb_crm_index,
    event: *const u8,
    event_len: usize,
    out: *mut rb_string,
    err: *mut *mut rb_error,
) -> rb_status {
    let body = || -> Result<(), Failure> {
        // SAFETY: `out` is NULL (rejected) or writable, per the contract.
        unsafe { reset_out(out, rb_string::EMPTY, "out") }?;
        // SAFETY: `engine` and `index` are NULL (rejected) or live for the call.
        let engine = unsafe { handle(engine, "engine") }?;
        // SAFETY: as above.
        let index = unsafe { handle(index, "index") }?;
        // SAFETY: `event` is NULL (rejected) or readable for `event_len` bytes.
        let event = unsafe { text(event, event_len, "event") }?;
        let json = engine.inner.process_json_with(event, &index.inner)?;
        let json = rb_string::from_string(json)?;
        // SAFETY: checked non-NULL and writable above.
        unsafe { set_out(out, json) };
        Ok(())
    };
    // SAFETY: `err` is NULL or writable, per the contract.
    unsafe { guard(err, body) }
}

/// Turns a vendor's webhook payload, exactly as received, into a canonical event.
///
/// `vendor`/`vendor_len`: the vendor name (`"callrail"`, `"twilio"`, `"aircall"`, ...).
/// `payload`/`payload_len`: the raw request body (JSON, or form-encoded for Twilio).
/// `options`/`options_len`: ingest options as JSON; `(NULL, 0)`, `""` or `"null"` for
/// none. All UTF-8, borrowed for the call.
/// On `RB_OK`, `*out` holds `{"ingested":"event","event":{...}}`,
/// `{"ingested":"not_missed","reason":...}` or `{"ingested":"incomplete","reason":...}`;
/// free it with `rb_string_free(out)`. On failure (`RB_UNSUPPORTED_PAYLOAD` for an unknown
/// vendor or a payload that is not the vendor's, ...) `*out` is `{NULL, 0}` and, when `err`
/// is not NULL, `*err` holds an error to free with `rb_error_free`.
/// Thread-safety: needs no engine; safe from any number of threads at once.
///
/// # Safety
///
/// Each input is NULL or valid for reading its length in bytes; `out` is valid for writing
/// an `rb_string`; `err` is NULL or valid for writing a pointer.
#[allow(clippy::too_many_arguments)] // (pointer, length) pairs: the C ABI's shape
#[unsafe(no_mangle)]
pub unsafe extern "C" fn rb_ingest(
    vendor: *const u8,
    vendor_len: usize,
    payload: *const u8,
    payload_len: usize,
    options: *const u8,
    options_len: usize,
    out: *mut rb_string,
    err: *mut *mut rb_error,
) -> rb_status {
    // SAFETY: forwarded as received; `ingest_with` states the same contract.
    unsafe {
        ingest_with(
            ringback_core::ingest::parse_json,
            (vendor, vendor_len),
            (payload, payload_len),
            (options, options_len),
            out,
            err,
        )
    }
}

/// The body of `rb_ingest` and `rb_ingest_many`: reads the three texts, runs `f`, writes
/// its JSON to `out`.
///
/// # Safety
///
/// Each `(pointer, length)` is NULL or valid for reading its length in bytes; `out` is NULL
/// or valid for writing an `rb_string`; `err` is NULL or valid for writing a pointer.
unsafe fn ingest_with(
    f: fn(&str, &str, &str) -> ringback_core::Result<String>,
    vendor: (*const u8, usize),
    payload: (*const u8, usize),
    options: (*const u8, usize),
    out: *mut rb_string,
    err: *mut *mut rb_error,
) -> rb_status {
    let body = || -> Result<(), Failure> {
        // SAFETY: `out` is NULL (rejected) or writable, per the contract.
        unsafe { reset_out(out, rb_string::EMPTY, "out") }?;
        // SAFETY: the inputs are NULL (handled) or readable for their lengths.
        let vendor = unsafe { text(vendor.0, vendor.1, "vendor") }?;
        // SAFETY: as above.
        let payload = unsafe { text(payload.0, payload.1, "payload") }?;
        // SAFETY: as above.
        let options = unsafe { optional_text(options.0, options.1, "options") }?;
        let json = rb_string::from_string(f(vendor, payload, options)?)?;
        // SAFETY: checked non-NULL and writable above.
        unsafe { set_out(out, json) };
        Ok(())
    };
    // SAFETY: `err` is NULL or writable, per the contract.
    unsafe { guard(err, body) }
}

/// A page of a vendor's list API to one result per item.
///
/// `vendor`/`vendor_len`: the vendor name. `payload`/`payload_len`: the page as the list API
/// returned it (RingCentral `{"records": [...]}`, CallRail `{"calls": [...]}`, WhatConverts
/// `{"leads": [...]}`, Twilio `{"calls": [...]}`, ...) or a JSON array of webhook bodies.
/// `options`/`options_len`: ingest options as JSON, `(NULL, 0)` for none. All UTF-8,
/// borrowed for the call.
/// On `RB_OK`, `*out` holds a JSON array with one entry per item, in order: the item's
/// `{"ingested": "event" | "not_missed" | "incomplete", ...}`, or `{"ingested": "error",
/// "error": {"code", "path", "message"}}` for an item that could not be read (every other
/// item is still ingested); free it with `rb_string_free(out)`. A page that cannot be read
/// at all (not JSON, no list where the vendor keeps it) fails with its status, `*out` is
/// `{NULL, 0}` and `*err` (when not NULL) holds the error.
/// Thread-safety: needs no engine; safe from any number of threads at once.
///
/// # Safety
///
/// Each input is NULL or valid for reading its length in bytes; `out` is valid for writing
/// an `rb_string`; `err` is NULL or valid for writing a pointer.
#[allow(clippy::too_many_arguments)] // (pointer, length) pairs: the C ABI's shape
#[unsafe(no_mangle)]
pub unsafe extern "C" fn rb_ingest_many(
    vendor: *const u8,
    vendor_len: usize,
    payload: *const u8,
    payload_len: usize,
    options: *const u8,
    options_len: usize,
    out: *mut rb_string,
    err: *mut *mut rb_error,
) -> rb_status {
    // SAFETY: forwarded as received; `ingest_with` states the same contract.
    unsafe {
        ingest_with(
            ringback_core::ingest::parse_many_json,
            (vendor, vendor_len),
            (payload, payload_len),
            (options, options_len),
            out,
            err,
        )
    }
}

/// Records the outcome of a decision: validates it, attributes it and updates the learning
/// state.
///
/// `decision`/`decision_len`: the decision JSON as `rb_engine_process` returned it.
/// `outcome`/`outcome_len`: the outcome JSON. `learning`/`learning_len`: the learning
/// state JSON from the previous call; `(NULL, 0)`, `""` or `"null"` for a fresh one. All
/// UTF-8, borrowed for the call.
/// On `RB_OK`, `*out` holds `{"attribution": {...}, "learning": {...}}` (store `learning`
/// for the next call); free it with `rb_string_free(out)`. On failure `*out` is
/// `{NULL, 0}` and, when `err` is not NULL, `*err` holds an error (paths start with
/// `decision.` or `learning.` when those inputs are at fault) to free with
/// `rb_error_free`.
/// Thread-safety: any number of threads may call this at once with the same engine (the
/// learning state is passed in and out, never kept).
///
/// # Safety
///
/// `engine` is NULL or live; each input is NULL or valid for reading its length in bytes;
/// `out` is valid for writing an `rb_string`; `err` is NULL or valid for writing a pointer.
#[allow(clippy::too_many_arguments)] // (pointer, length) pairs: the C ABI's shape
#[unsafe(no_mangle)]
pub unsafe extern "C" fn rb_engine_record_outcome(
    engine: *const rb_engine,
    decision: *const u8,
    decision_len: usize,
    outcome: *const u8,
    outcome_len: usize,
    learning: *const u8,
    learning_len: usize,
    out: *mut rb_string,
    err: *mut *mut rb_error,
) -> rb_status {
    let body = || -> Result<(), Failure> {
        // SAFETY: `out` is NULL (rejected) or writable, per the contract.
        unsafe { reset_out(out, rb_string::EMPTY, "out") }?;
        // SAFETY: `engine` is NULL (rejected) or live for the call.
        let engine = unsafe { handle(engine, "engine") }?;
        // SAFETY: the inputs are NULL (handled) or readable for their lengths.
        let decision = unsafe { text(decision, decision_len, "decision") }?;
        // SAFETY: as above.
        let outcome = unsafe { text(outcome, outcome_len, "outcome") }?;
        // SAFETY: as above.
        let learning = unsafe { optional_text(learning, learning_len, "learning") }?;
        let json = engine
            .inner
            .record_outcome_json(decision, outcome, learning)?;
        let json = rb_string::from_string(json)?;
        // SAFETY: checked non-NULL and writable above.
        unsafe { set_out(out, json) };
        Ok(())
    };
    // SAFETY: `err` is NULL or writable, per the contract.
    unsafe { guard(err, body) }
}

/// The SLA check a scheduler runs for an open follow-up: nothing yet, escalate to a higher
/// tier, or breached. Deterministic and idempotent.
///
/// `followup`/`followup_len`: the open follow-up JSON. `now`/`now_len`: the current time,
/// RFC 3339 with an offset. Both UTF-8, borrowed for the call.
/// On `RB_OK`, `*out` holds the tick action JSON; free it with `rb_string_free(out)`. On
/// failure (`RB_INVALID_TIMESTAMP` with path `now`, `RB_UNKNOWN_LOCATION`, ...) `*out` is
/// `{NULL, 0}` and, when `err` is not NULL, `*err` holds an error to free with
/// `rb_error_free`.
/// Thread-safety: any number of threads may call this at once with the same engine.
///
/// # Safety
///
/// `engine` is NULL or live; each input is NULL or valid for reading its length in bytes;
/// `out` is valid for writing an `rb_string`; `err` is NULL or valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn rb_engine_tick(
    engine: *const rb_engine,
    followup: *const u8,
    followup_len: usize,
    now: *const u8,
    now_len: usize,
    out: *mut rb_string,
    err: *mut *mut rb_error,
) -> rb_status {
    let body = || -> Result<(), Failure> {
        // SAFETY: `out` is NULL (rejected) or writable, per the contract.
        unsafe { reset_out(out, rb_string::EMPTY, "out") }?;
        // SAFETY: `engine` is NULL (rejected) or live for the call.
        let engine = unsafe { handle(engine, "engine") }?;
        // SAFETY: the inputs are NULL (rejected) or readable for their lengths.
        let followup = unsafe { text(followup, followup_len, "followup") }?;
        // SAFETY: as above.
        let now = unsafe { text(now, now_len, "now") }?;
        let json = rb_string::from_string(engine.inner.tick_json(followup, now)?)?;
        // SAFETY: checked non-NULL and writable above.
        unsafe { set_out(out, json) };
        Ok(())
    };
    // SAFETY: `err` is NULL or writable, per the contract.
    unsafe { guard(err, body) }
}

/// Self-test hook, not part of the API (not in the header): panics inside the boundary
/// guard so the C test suite can prove that a panic comes back as `RB_PANIC` from the
/// shipped library instead of aborting the host.
///
/// # Safety
///
/// `err` is NULL or valid for writing a pointer.
#[doc(hidden)]
#[unsafe(no_mangle)]
pub unsafe extern "C" fn rb_selftest_panic(err: *mut *mut rb_error) -> rb_status {
    let body = || -> Result<(), Failure> { panic!("deliberate panic from rb_selftest_panic") };
    // SAFETY: `err` is NULL or writable, per the contract.
    unsafe { guard(err, body) }
}

#[cfg(test)]
mod tests;

/// Starts a replay for `engine` over a CRM snapshot given as JSON.
///
/// `crm`/`crm_len`: the CRM JSON, UTF-8, borrowed for the call; `(NULL, 0)`, `""` or
/// `"null"` for an empty CRM. On `RB_OK`, `*out` holds a new replayer, owned by the caller
/// (free it with `rb_replayer_free`). On failure `*out` is NULL and, when `err` is not
/// NULL, `*err` holds an error (`RB_INVALID_CRM`, `RB_INVALID_JSON`, ...) to free with
/// `rb_error_free`. Thread-safety: safe from any thread; the engine may be in use.
///
/// # Safety
///
/// `engine` is NULL or a live engine; `crm` is NULL or valid for reading `crm_len` bytes;
/// `out` is valid for writing a pointer; `err` is NULL or valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn rb_replayer_new(
    engine: *const rb_engine,
    crm: *const u8,
    crm_len: usize,
    out: *mut *mut rb_replayer,
    err: *mut *mut rb_error,
) -> rb_status {
    let body = || -> Result<(), Failure> {
        // SAFETY: `out` is NULL (rejected) or writable, per the contract.
        unsafe { reset_out(out, std::ptr::null_mut(), "out") }?;
        // SAFETY: `engine` is NULL (rejected) or live for the call, per the contract.
        let engine = unsafe { handle(engine, "engine") }?;
        // SAFETY: `crm` is NULL (handled) or readable for `crm_len` bytes.
        let crm = unsafe { optional_text(crm, crm_len, "crm") }?;
        let index = engine.inner.index_json(crm)?;
        let replayer = Box::into_raw(Box::new(rb_replayer {
            inner: Mutex::new(Replayer::new(engine.inner.clone(), index)),
        }));
        // SAFETY: checked non-NULL and writable above; the caller now owns the replayer.
        unsafe { set_out(out, replayer) };
        Ok(())
    };
    // SAFETY: `err` is NULL or writable, per the contract.
    unsafe { guard(err, body) }
}

/// Starts a replay for `engine` over a copy of `index` (the index itself is not changed
/// and may be freed, or used by other threads, while the replay runs).
///
/// On `RB_OK`, `*out` holds a new replayer, owned by the caller (free it with
/// `rb_replayer_free`). On failure `*out` is NULL and, when `err` is not NULL, `*err`
/// holds an error to free with `rb_error_free`. Thread-safety: safe from any thread.
///
/// # Safety
///
/// `engine` and `index` are NULL or live; `out` is valid for writing a pointer; `err` is
/// NULL or valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn rb_replayer_new_indexed(
    engine: *const rb_engine,
    index: *const rb_crm_index,
    out: *mut *mut rb_replayer,
    err: *mut *mut rb_error,
) -> rb_status {
    let body = || -> Result<(), Failure> {
        // SAFETY: `out` is NULL (rejected) or writable, per the contract.
        unsafe { reset_out(out, std::ptr::null_mut(), "out") }?;
        // SAFETY: `engine` and `index` are NULL (rejected) or live for the call.
        let engine = unsafe { handle(engine, "engine") }?;
        // SAFETY: as above.
        let index = unsafe { handle(index, "index") }?;
        let replayer = Box::into_raw(Box::new(rb_replayer {
            inner: Mutex::new(Replayer::new(engine.inner.clone(), index.inner.clone())),
        }));
        // SAFETY: checked non-NULL and writable above; the caller now owns the replayer.
        unsafe { set_out(out, replayer) };
        Ok(())
    };
    // SAFETY: `err` is NULL or writable, per the contract.
    unsafe { guard(err, body) }
}

/// Frees a replayer. NULL is a no-op.
///
/// Ownership: takes the replayer back; it is invalid after.
/// Thread-safety: call once, after every call using the replayer returned.
///
/// # Safety
///
/// `replayer` is NULL or a replayer from `rb_replayer_new*` not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn rb_replayer_free(replayer: *mut rb_replayer) {
    if !replayer.is_null() {
        // SAFETY: `replayer` came from `Box::into_raw` in `rb_replayer_new*`, freed once.
        drop(unsafe { Box::from_raw(replayer) });
    }
}

/// Runs one replayer call that reads a text input and answers with text.
///
/// # Safety
///
/// As for the exports that call it.
unsafe fn replayer_text_call(
    replayer: *const rb_replayer,
    input: *const u8,
    input_len: usize,
    name: &str,
    out: *mut rb_string,
    err: *mut *mut rb_error,
    call: impl FnOnce(&mut Replayer<Arc<Engine>>, &str) -> Result<String, Failure>,
) -> rb_status {
    let body = || -> Result<(), Failure> {
        // SAFETY: `out` is NULL (rejected) or writable, per the contract.
        unsafe { reset_out(out, rb_string::EMPTY, "out") }?;
        // SAFETY: `replayer` is NULL (rejected) or live for the call.
        let replayer = unsafe { handle(replayer, "replayer") }?;
        // SAFETY: `input` is NULL (rejected) or readable for `input_len` bytes.
        let input = unsafe { text(input, input_len, name) }?;
        let json = rb_string::from_string(replayer.with(|r| call(r, input))?)?;
        // SAFETY: checked non-NULL and writable above.
        unsafe { set_out(out, json) };
        Ok(())
    };
    // SAFETY: `err` is NULL or writable, per the contract.
    unsafe { guard(err, body) }
}

/// Decides one call (event JSON) in the order given, writes the decision back into the
/// replay's CRM and adds it to the report.
///
/// On `RB_OK`, `*out` holds the decision JSON; free it with `rb_string_free(out)`. On
/// failure (`RB_INVALID_EVENT`, `RB_UNKNOWN_LOCATION`, ...) `*out` is `{NULL, 0}`, nothing
/// in the replay changed, and, when `err` is not NULL, `*err` holds an error to free with
/// `rb_error_free`. Thread-safety: see `rb_replayer`.
///
/// # Safety
///
/// `replayer` is NULL or live; `event` is NULL or valid for reading `event_len` bytes;
/// `out` is valid for writing an `rb_string`; `err` is NULL or valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn rb_replayer_decide(
    replayer: *mut rb_replayer,
    event: *const u8,
    event_len: usize,
    out: *mut rb_string,
    err: *mut *mut rb_error,
) -> rb_status {
    // SAFETY: the contract of this function is the helper's.
    unsafe {
        replayer_text_call(replayer, event, event_len, "event", out, err, |r, t| {
            Ok(r.decide_json(t)?)
        })
    }
}

/// Replays JSON lines (one canonical event per line; blank lines skipped): orders them by
/// the replay key and decides each.
///
/// On `RB_OK`, `*out` holds the answers as JSON lines in replay order, each decision or
/// `{"error":{...},"line":N}` for a rejected line (a rejected line is not a failure of the
/// call): byte for byte what `ringback replay --format jsonl` prints. Free it with
/// `rb_string_free(out)`. Thread-safety: see `rb_replayer`.
///
/// # Safety
///
/// `replayer` is NULL or live; `jsonl` is NULL or valid for reading `jsonl_len` bytes;
/// `out` is valid for writing an `rb_string`; `err` is NULL or valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn rb_replayer_replay_jsonl(
    replayer: *mut rb_replayer,
    jsonl: *const u8,
    jsonl_len: usize,
    out: *mut rb_string,
    err: *mut *mut rb_error,
) -> rb_status {
    // SAFETY: the contract of this function is the helper's.
    unsafe {
        replayer_text_call(replayer, jsonl, jsonl_len, "jsonl", out, err, |r, t| {
            Ok(r.replay_jsonl_to_jsonl(t))
        })
    }
}

/// Records an outcome (outcome JSON) against the decision the report counts for its call.
///
/// On `RB_OK`, `*out` holds the attribution event JSON; free it with `rb_string_free`. On
/// failure (`RB_INVALID_EVENT` at `event_id` for a call this replay has not decided, ...)
/// `*out` is `{NULL, 0}` and, when `err` is not NULL, `*err` holds an error to free with
/// `rb_error_free`. Thread-safety: see `rb_replayer`.
///
/// # Safety
///
/// `replayer` is NULL or live; `outcome` is NULL or valid for reading `outcome_len` bytes;
/// `out` is valid for writing an `rb_string`; `err` is NULL or valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn rb_replayer_record_outcome(
    replayer: *mut rb_replayer,
    outcome: *const u8,
    outcome_len: usize,
    out: *mut rb_string,
    err: *mut *mut rb_error,
) -> rb_status {
    // SAFETY: the contract of this function is the helper's.
    unsafe {
        replayer_text_call(
            replayer,
            outcome,
            outcome_len,
            "outcome",
            out,
            err,
            |r, t| Ok(r.record_outcome_json(t)?),
        )
    }
}

/// The recovery report's figures so far, as JSON (`schema/report.schema.json`).
///
/// On `RB_OK`, `*out` holds the report JSON; free it with `rb_string_free(out)`.
/// Thread-safety: see `rb_replayer`.
///
/// # Safety
///
/// `replayer` is NULL or live; `out` is valid for writing an `rb_string`; `err` is NULL or
/// valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn rb_replayer_summary(
    replayer: *mut rb_replayer,
    out: *mut rb_string,
    err: *mut *mut rb_error,
) -> rb_status {
    let body = || -> Result<(), Failure> {
        // SAFETY: `out` is NULL (rejected) or writable, per the contract.
        unsafe { reset_out(out, rb_string::EMPTY, "out") }?;
        // SAFETY: `replayer` is NULL (rejected) or live for the call.
        let replayer = unsafe { handle(replayer, "replayer") }?;
        let json = rb_string::from_string(replayer.with(|r| Ok(r.summary_json()?))?)?;
        // SAFETY: checked non-NULL and writable above.
        unsafe { set_out(out, json) };
        Ok(())
    };
    // SAFETY: `err` is NULL or writable, per the contract.
    unsafe { guard(err, body) }
}

/// Starts the CRM sync of one decision.
///
/// `system`: `"salesforce"`, `"hubspot"`, `"zoho"`, `"dynamics"` or `"pipedrive"`. `decision`: the decision JSON as
/// `rb_engine_process` returned it. `config`: the adapter configuration as JSON; `(NULL, 0)`,
/// `""` or `"null"` for the documented defaults. All UTF-8, borrowed for the call.
/// On `RB_OK`, `*out` holds a new sync (free it with `rb_crm_sync_free`). On failure
/// (`RB_INVALID_CRM` for an unknown system or a bad config, `RB_INVALID_EVENT` for a decision
/// that is not one) `*out` is NULL and, when `err` is not NULL, `*err` holds an error.
/// Thread-safety: safe from any thread.
///
/// # Safety
///
/// Each input is NULL or valid for reading its length in bytes; `out` is valid for writing
/// a pointer; `err` is NULL or valid for writing a pointer.
#[allow(clippy::too_many_arguments)] // (pointer, length) pairs: the C ABI's shape
#[unsafe(no_mangle)]
pub unsafe extern "C" fn rb_crm_sync_new(
    system: *const u8,
    system_len: usize,
    decision: *const u8,
    decision_len: usize,
    config: *const u8,
    config_len: usize,
    out: *mut *mut rb_crm_sync,
    err: *mut *mut rb_error,
) -> rb_status {
    let body = || -> Result<(), Failure> {
        // SAFETY: `out` is NULL (rejected) or writable, per the contract.
        unsafe { reset_out(out, std::ptr::null_mut(), "out") }?;
        // SAFETY: the inputs are NULL (handled) or readable for their lengths.
        let system = unsafe { text(system, system_len, "system") }?;
        // SAFETY: as above.
        let decision = unsafe { text(decision, decision_len, "decision") }?;
        // SAFETY: as above.
        let config = unsafe { optional_text(config, config_len, "config") }?;
        let system = ringback_core::crm::System::parse(system)?;
        let config = ringback_core::crm::Config::parse(config)?;
        let subject = ringback_core::crm::SyncSubject::from_json(decision)?;
        let sync = Box::into_raw(Box::new(rb_crm_sync {
            inner: Mutex::new(ringback_core::crm::Sync::new(system, &subject, &config)),
        }));
        // SAFETY: checked non-NULL and writable above; the caller now owns the sync.
        unsafe { set_out(out, sync) };
        Ok(())
    };
    // SAFETY: `err` is NULL or writable, per the contract.
    unsafe { guard(err, body) }
}

/// The next request to send, as JSON `{"method", "path", "headers": [[name, value], ...],
/// "body", "delay_seconds"}` (wait `delay_seconds` first; `path` is relative to the CRM's
/// base URL; add your `Authorization`).
///
/// On `RB_OK`, `*out` holds the request JSON (free it with `rb_string_free`), or is
/// `{NULL, 0}` when the sync is done or failed (read `rb_crm_sync_outcome`).
/// Thread-safety: see `rb_crm_sync`.
///
/// # Safety
///
/// `sync` is NULL or live; `out` is valid for writing an `rb_string`; `err` is NULL or
/// valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn rb_crm_sync_next(
    sync: *mut rb_crm_sync,
    out: *mut rb_string,
    err: *mut *mut rb_error,
) -> rb_status {
    // SAFETY: the caller's contract above is the helper's.
    unsafe { machine::next(sync, out, err) }
}

/// Feeds the CRM's answer to the last request, as JSON `{"status": 201, "headers":
/// [[name, value], ...] or {name: value}, "body": "..."}`.
///
/// `RB_INVALID_CRM` when the answer's body is not what the CRM documents (the path names
/// the field; the sync stops, failed). A 429, 5xx or 401 is not a failure of this call: the
/// sync retries or stops as its outcome says. Thread-safety: see `rb_crm_sync`.
///
/// # Safety
///
/// `sync` is NULL or live; `response` is NULL or valid for reading `response_len` bytes;
/// `err` is NULL or valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn rb_crm_sync_feed(
    sync: *mut rb_crm_sync,
    response: *const u8,
    response_len: usize,
    err: *mut *mut rb_error,
) -> rb_status {
    // SAFETY: the caller's contract above is the helper's.
    unsafe { machine::feed(sync, response, response_len, err) }
}

/// What the sync did so far, as JSON (`state` `running`, `done` or `failed`; `written`,
/// `skipped`, `requests`, `retries`, `failure`). Free `*out` with `rb_string_free`.
/// Thread-safety: see `rb_crm_sync`.
///
/// # Safety
///
/// `sync` is NULL or live; `out` is valid for writing an `rb_string`; `err` is NULL or
/// valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn rb_crm_sync_outcome(
    sync: *mut rb_crm_sync,
    out: *mut rb_string,
    err: *mut *mut rb_error,
) -> rb_status {
    // SAFETY: the caller's contract above is the helper's.
    unsafe { machine::outcome(sync, out, err) }
}

/// Frees a sync. NULL is a no-op.
///
/// # Safety
///
/// `sync` is NULL or a sync from `rb_crm_sync_new` not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn rb_crm_sync_free(sync: *mut rb_crm_sync) {
    // SAFETY: the caller's contract above is the helper's (`rb_crm_sync_new` boxed it).
    unsafe { machine::free(sync) }
}
