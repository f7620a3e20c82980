//! The boundary guard every export runs in, and the helpers that read inputs and write
//! outputs. All `unsafe` pointer handling of inputs and outputs lives here.

use std::any::Any;
use std::ffi::{c_char, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::status::{rb_error, rb_status};

/// A failure on the way through an export: becomes the status and the `rb_error`.
pub(crate) type Failure = rb_error;

/// Runs `body` behind the boundary: clears `*err`, catches panics and turns a failure or a
/// panic into its status and (when `err` is not NULL) a new `rb_error` in `*err`.
///
/// # Safety
///
/// `err` is NULL or valid for writing one pointer.
pub(crate) unsafe fn guard<F>(err: *mut *mut rb_error, body: F) -> rb_status
where
    F: FnOnce() -> Result<(), Failure>,
{
    if !err.is_null() {
        // SAFETY: `err` is non-NULL and, per the contract, valid for writing.
        unsafe { err.write(std::ptr::null_mut()) };
    }
    let failure = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => return rb_status::RB_OK,
        Ok(Err(f)) => f,
        Err(payload) => rb_error::new(
            rb_status::RB_PANIC,
            "",
            &format!("ringback panicked (a bug): {}", panic_text(&*payload)),
        ),
    };
    let status = failure.status;
    if !err.is_null() {
        let boxed = Box::into_raw(Box::new(failure));
        // SAFETY: as above; the caller now owns the error and frees it with `rb_error_free`.
        unsafe { err.write(boxed) };
    }
    status
}

/// The text of a panic payload (`panic!` with a literal or a formatted message).
fn panic_text(payload: &(dyn Any + Send)) -> &str {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s
    } else {
        "non-text panic payload"
    }
}

/// A `NULL` argument failure naming the argument.
pub(crate) fn null_arg(name: &str) -> Failure {
    rb_error::new(
        rb_status::RB_NULL_POINTER,
        "",
        &format!("argument `{name}` is NULL"),
    )
}

/// Borrows a handle argument, failing with `RB_NULL_POINTER` when it is NULL.
///
/// # Safety
///
/// `ptr` is NULL or points to a live `T` for the duration of the call.
pub(crate) unsafe fn handle<'a, T>(ptr: *const T, name: &str) -> Result<&'a T, Failure> {
    // SAFETY: per the contract, a non-NULL `ptr` points to a live `T`.
    unsafe { ptr.as_ref() }.ok_or_else(|| null_arg(name))
}

/// Reads a required text input given as `(ptr, len)`: NULL is `RB_NULL_POINTER`, bytes that
/// are not UTF-8 are `RB_INVALID_UTF8`.
///
/// # Safety
///
/// A non-NULL `ptr` is valid for reading `len` bytes for the duration of the call.
pub(crate) unsafe fn text<'a>(ptr: *const u8, len: usize, name: &str) -> Result<&'a str, Failure> {
    if ptr.is_null() {
        return Err(null_arg(name));
    }
    // SAFETY: non-NULL, and the caller guarantees `len` readable bytes.
    unsafe { bytes_to_str(ptr, len, name) }
}

/// Reads an optional text input: `(NULL, 0)` is the empty text (the core reads it as
/// "none"); NULL with a non-zero length is `RB_NULL_POINTER`.
///
/// # Safety
///
/// A non-NULL `ptr` is valid for reading `len` bytes for the duration of the call.
pub(crate) unsafe fn optional_text<'a>(
    ptr: *const u8,
    len: usize,
    name: &str,
) -> Result<&'a str, Failure> {
    if ptr.is_null() {
        return if len == 0 {
            Ok("")
        } else {
            Err(rb_error::new(
                rb_status::RB_NULL_POINTER,
                "",
                &format!("argument `{name}` is NULL with length {len}"),
            ))
        };
    }
    // SAFETY: non-NULL, and the caller guarantees `len` readable bytes.
    unsafe { bytes_to_str(ptr, len, name) }
}

/// # Safety
///
/// `ptr` is non-NULL and valid for reading `len` bytes for the duration of the call.
unsafe fn bytes_to_str<'a>(ptr: *const u8, len: usize, name: &str) -> Result<&'a str, Failure> {
    if len > isize::MAX as usize {
        return Err(rb_error::new(
            rb_status::RB_NULL_POINTER,
            "",
            &format!("argument `{name}` has length {len}, more than any buffer can hold"),
        ));
    }
    // SAFETY: `ptr` is non-NULL (checked by the callers), `len` bytes are readable per the
    // contract, `len <= isize::MAX`, and `u8` has no alignment requirement.
    let bytes = unsafe { std::slice::from_raw_parts(ptr, len) };
    std::str::from_utf8(bytes).map_err(|e| {
        rb_error::new(
            rb_status::RB_INVALID_UTF8,
            "",
            &format!(
                "argument `{name}` is not valid UTF-8 (invalid byte at offset {})",
                e.valid_up_to()
            ),
        )
    })
}

/// Checks an out-parameter and resets what it points to, so that the caller sees the
/// "nothing" value on every failure.
///
/// # Safety
///
/// `out` is NULL or valid for writing one `T`.
pub(crate) unsafe fn reset_out<T>(out: *mut T, empty: T, name: &str) -> Result<(), Failure> {
    if out.is_null() {
        return Err(null_arg(name));
    }
    // SAFETY: non-NULL and, per the contract, valid for writing a `T` (possibly
    // uninitialized, so `write` rather than assignment).
    unsafe { out.write(empty) };
    Ok(())
}

/// Moves `value` into the (already checked and reset) out-parameter.
///
/// # Safety
///
/// `out` is non-NULL and valid for writing one `T`.
pub(crate) unsafe fn set_out<T>(out: *mut T, value: T) {
    // SAFETY: per the contract.
    unsafe { out.write(value) };
}

/// A library-owned string: UTF-8 bytes at `ptr`, `len` of them, followed by a NUL byte (so
/// `ptr` is also a C string; the text never contains a NUL of its own).
///
/// Ownership: filled in by an `rb_` function through an `rb_string *out` parameter; the
/// caller owns it and releases it with `rb_string_free(&s)` only, never with `free()`.
/// Read-only: do not write through `ptr` or change either field before freeing.
/// Thread-safety: plain immutable memory; may be read from any thread and freed on any
/// thread.
#[repr(C)]
#[derive(Debug)]
pub struct rb_string {
    /// The UTF-8 text, NUL-terminated; NULL in an empty (freed or never filled) string.
    pub ptr: *const c_char,
    /// The length of the text in bytes, not counting the terminating NUL.
    pub len: usize,
}

impl rb_string {
    /// The value out-parameters are reset to: `{NULL, 0}`.
    pub(crate) const EMPTY: rb_string = rb_string {
        ptr: std::ptr::null(),
        len: 0,
    };

    /// Hands `text` over as a library-owned string.
    pub(crate) fn from_string(text: String) -> Result<rb_string, Failure> {
        let len = text.len();
        let c = CString::new(text).map_err(|_| {
            rb_error::new(
                rb_status::RB_INTERNAL,
                "",
                "the output contains a NUL byte (a bug)",
            )
        })?;
        Ok(rb_string {
            ptr: c.into_raw(),
            len,
        })
    }
}

/// Frees a string filled in by this library and resets it to `{NULL, 0}`. NULL `s`, and a
/// string whose `ptr` is NULL (never filled, or already freed through this same struct),
/// are no-ops.
///
/// Ownership: takes back the buffer at `s->ptr`; it is invalid after.
/// Thread-safety: call once per string, when no other thread reads it.
///
/// # Safety
///
/// `s` is NULL or points to an `rb_string` that is `{NULL, 0}` or was filled in by this
/// library and not changed since.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn rb_string_free(s: *mut rb_string) {
    // SAFETY: per the contract, a non-NULL `s` points to a valid `rb_string`.
    let Some(s) = (unsafe { s.as_mut() }) else {
        return;
    };
    if !s.ptr.is_null() {
        // SAFETY: `ptr` came from `CString::into_raw` in `rb_string::from_string` and has
        // not been freed (the struct is reset below, so a second call is a no-op).
        drop(unsafe { CString::from_raw(s.ptr.cast_mut()) });
    }
    *s = rb_string::EMPTY;
}
