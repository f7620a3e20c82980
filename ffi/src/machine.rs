//! The one way every sans-I/O machine (the CRM sync, the Twilio send) is driven over the C
//! ABI: next request, feed, outcome, free. The `extern "C"` functions of each handle call
//! these.

use std::sync::{Mutex, MutexGuard};

use ringback_core::crm::Machine;
use ringback_core::{Error, ErrorCode};

use crate::guard::{guard, handle, reset_out, set_out, text, Failure};
use crate::{rb_error, rb_status, rb_string};

/// An opaque handle around a machine.
pub(crate) trait Handle {
    /// The machine inside.
    type M: Machine;
    /// Its lock.
    fn machine(&self) -> &Mutex<Self::M>;
    /// What the C caller calls it (`sync`, `run`), for error paths and messages.
    const NAME: &'static str;
}

fn locked<H: Handle>(h: &H) -> Result<MutexGuard<'_, H::M>, Failure> {
    h.machine().lock().map_err(|_| {
        Failure::from(Error::new(
            ErrorCode::Internal,
            "",
            format!(
                "this {} stopped at an internal error; free it and start a new one",
                H::NAME
            ),
        ))
    })
}

/// The next request as JSON into `out` (`{NULL, 0}` when there is none).
///
/// # Safety
///
/// `h` is NULL or live; `out` is valid for writing an `rb_string`; `err` is NULL or valid
/// for writing a pointer.
pub(crate) unsafe fn next<H: Handle>(
    h: *mut H,
    out: *mut rb_string,
    err: *mut *mut rb_error,
) -> rb_status {
    let body = || -> Result<(), Failure> {
        // SAFETY: `out` is NULL (rejected) or writable, per the contract.
        unsafe { reset_out(out, rb_string::EMPTY, "out") }?;
        // SAFETY: `h` is NULL (rejected) or live for the call.
        let h = unsafe { handle(h, H::NAME) }?;
        let next = locked(h)?.next_request();
        if let Some(r) = next {
            let json = rb_string::from_string(ringback_core::to_json(&r)?)?;
            // SAFETY: checked non-NULL and writable above.
            unsafe { set_out(out, json) };
        }
        Ok(())
    };
    // SAFETY: `err` is NULL or writable, per the contract.
    unsafe { guard(err, body) }
}

/// Feeds the answer (JSON `{"status", "headers", "body"}`) to the last request.
///
/// # Safety
///
/// `h` is NULL or live; `response` is NULL or valid for reading `response_len` bytes;
/// `err` is NULL or valid for writing a pointer.
pub(crate) unsafe fn feed<H: Handle>(
    h: *mut H,
    response: *const u8,
    response_len: usize,
    err: *mut *mut rb_error,
) -> rb_status {
    let body = || -> Result<(), Failure> {
        // SAFETY: `h` is NULL (rejected) or live for the call.
        let h = unsafe { handle(h, H::NAME) }?;
        // SAFETY: `response` is NULL (rejected) or readable for `response_len` bytes.
        let response = unsafe { text(response, response_len, "response") }?;
        let r = ringback_core::crm::Response::from_json(response)?;
        locked(h)?.feed(r)?;
        Ok(())
    };
    // SAFETY: `err` is NULL or writable, per the contract.
    unsafe { guard(err, body) }
}

/// The outcome so far as JSON into `out`.
///
/// # Safety
///
/// `h` is NULL or live; `out` is valid for writing an `rb_string`; `err` is NULL or valid
/// for writing a pointer.
pub(crate) unsafe fn outcome<H: Handle>(
    h: *mut H,
    out: *mut rb_string,
    err: *mut *mut rb_error,
) -> rb_status {
    let body = || -> Result<(), Failure> {
        // SAFETY: `out` is NULL (rejected) or writable, per the contract.
        unsafe { reset_out(out, rb_string::EMPTY, "out") }?;
        // SAFETY: `h` is NULL (rejected) or live for the call.
        let h = unsafe { handle(h, H::NAME) }?;
        let json = rb_string::from_string(locked(h)?.outcome_json()?)?;
        // SAFETY: checked non-NULL and writable above.
        unsafe { set_out(out, json) };
        Ok(())
    };
    // SAFETY: `err` is NULL or writable, per the contract.
    unsafe { guard(err, body) }
}

/// Frees a handle made by `Box::into_raw`. NULL is a no-op.
///
/// # Safety
///
/// `h` is NULL or a handle from `Box::into_raw` not yet freed.
pub(crate) unsafe fn free<H>(h: *mut H) {
    if !h.is_null() {
        // SAFETY: `h` came from `Box::into_raw`, freed once, per the contract.
        drop(unsafe { Box::from_raw(h) });
    }
}
