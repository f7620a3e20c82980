//! Twilio Messaging over the C ABI: the core's `ringback::messaging::twilio::Send` behind an
//! opaque handle, the same shape as the CRM sync.

use std::sync::Mutex;

use crate::guard::{guard, optional_text, reset_out, set_out, text, Failure};
use crate::machine;
use crate::{rb_error, rb_status, rb_string};

/// The send run of one decision's texts through Twilio (the core's
/// `ringback::messaging::twilio::Send`): ask it for the next request
/// (`rb_twilio_send_next`), send it with any HTTP client (add your Basic credentials), feed
/// the answer (`rb_twilio_send_feed`) until it has none; then read the outcome.
///
/// Ownership: created by `rb_twilio_send_new`, owned by the caller, released with
/// `rb_twilio_send_free`. Thread-safety: calls on one run take turns (a lock inside).
pub struct rb_twilio_send {
    inner: Mutex<ringback_core::messaging::twilio::Send>,
}

impl machine::Handle for rb_twilio_send {
    type M = ringback_core::messaging::twilio::Send;
    fn machine(&self) -> &Mutex<Self::M> {
        &self.inner
    }
    const NAME: &'static str = "run";
}

/// Starts the send run of one decision's texts.
///
/// `decision`: the decision JSON as `rb_engine_process` returned it. `config`: the Twilio
/// configuration JSON (`account_sid`, `from` or `messaging_service_sid`, ...). `now`: the
/// current instant, RFC 3339 (what is due is sent, what is later scheduled or handed back).
/// All UTF-8, borrowed for the call. On `RB_OK`, `*out` holds a new run (free it with
/// `rb_twilio_send_free`). On failure (`RB_INVALID_CRM` a bad config, `RB_INVALID_EVENT` a
/// decision that is not one, `RB_INVALID_TIMESTAMP` a bad `now`) `*out` is NULL and, when
/// `err` is not NULL, `*err` holds an error. Thread-safety: safe from any thread.
///
/// # Safety
///
/// Each input is NULL or valid for reading its length in bytes; `out` is valid for writing
/// a pointer; `err` is NULL or valid for writing a pointer.
#[allow(clippy::too_many_arguments)] // (pointer, length) pairs: the C ABI's shape
#[unsafe(no_mangle)]
pub unsafe extern "C" fn rb_twilio_send_new(
    decision: *const u8,
    decision_len: usize,
    config: *const u8,
    config_len: usize,
    now: *const u8,
    now_len: usize,
    out: *mut *mut rb_twilio_send,
    err: *mut *mut rb_error,
) -> rb_status {
    let body = || -> Result<(), Failure> {
        // SAFETY: `out` is NULL (rejected) or writable, per the contract.
        unsafe { reset_out(out, std::ptr::null_mut(), "out") }?;
        // SAFETY: the inputs are NULL (handled) or readable for their lengths.
        let decision = unsafe { text(decision, decision_len, "decision") }?;
        // SAFETY: as above.
        let config = unsafe { optional_text(config, config_len, "config") }?;
        // SAFETY: as above.
        let now = unsafe { text(now, now_len, "now") }?;
        let inner = ringback_core::messaging::twilio::Send::from_json(decision, config, now)?;
        let run = Box::into_raw(Box::new(rb_twilio_send {
            inner: Mutex::new(inner),
        }));
        // SAFETY: checked non-NULL and writable above; the caller now owns the run.
        unsafe { set_out(out, run) };
        Ok(())
    };
    // SAFETY: `err` is NULL or writable, per the contract.
    unsafe { guard(err, body) }
}

/// The next request to send, as JSON `{"method", "path", "headers", "body",
/// "delay_seconds"}` (`path` is relative to `https://api.twilio.com`). On `RB_OK`, `*out`
/// holds the request (free it with `rb_string_free`), or is `{NULL, 0}` when the run is done
/// or stopped (read `rb_twilio_send_outcome`).
///
/// # Safety
///
/// `run` is NULL or live; `out` is valid for writing an `rb_string`; `err` is NULL or
/// valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn rb_twilio_send_next(
    run: *mut rb_twilio_send,
    out: *mut rb_string,
    err: *mut *mut rb_error,
) -> rb_status {
    // SAFETY: the caller's contract above is the helper's.
    unsafe { machine::next(run, out, err) }
}

/// Feeds Twilio's answer to the last request, as JSON `{"status", "headers", "body"}`.
/// `RB_INVALID_CRM` when the body is not what Twilio documents (the run stops); a refused
/// text (21610, 21614, ...) is not a failure of this call: the outcome lists it.
///
/// # Safety
///
/// `run` is NULL or live; `response` is NULL or valid for reading `response_len` bytes;
/// `err` is NULL or valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn rb_twilio_send_feed(
    run: *mut rb_twilio_send,
    response: *const u8,
    response_len: usize,
    err: *mut *mut rb_error,
) -> rb_status {
    // SAFETY: the caller's contract above is the helper's.
    unsafe { machine::feed(run, response, response_len, err) }
}

/// What the run did so far, as JSON (`state`; `sent`, `deferred`, `failed`, `skipped`,
/// `pending`, `consent_updates`, ...). Free `*out` with `rb_string_free`.
///
/// # Safety
///
/// `run` is NULL or live; `out` is valid for writing an `rb_string`; `err` is NULL or
/// valid for writing a pointer.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn rb_twilio_send_outcome(
    run: *mut rb_twilio_send,
    out: *mut rb_string,
    err: *mut *mut rb_error,
) -> rb_status {
    // SAFETY: the caller's contract above is the helper's.
    unsafe { machine::outcome(run, out, err) }
}

/// Frees a run. NULL is a no-op.
///
/// # Safety
///
/// `run` is NULL or a run from `rb_twilio_send_new` not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn rb_twilio_send_free(run: *mut rb_twilio_send) {
    // SAFETY: the caller's contract above is the helper's (`rb_twilio_send_new` boxed it).
    unsafe { machine::free(run) }
}
