//! Status codes and the error object (`rb_status`, `rb_error` and their accessors).

use std::ffi::{c_char, c_int, CStr, CString};

use ringback_core::ErrorCode;

/// The result of every fallible `rb_` function.
///
/// `RB_OK` is success. The values 1 to 99 mirror the core's stable error codes one to one
/// (`RB_INVALID_JSON` is `invalid_json`, and so on; `rb_status_str` gives the code string).
/// The values from 100 are failures the C boundary itself detects. The numbers are stable
/// across releases: new codes are only ever added.
#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum rb_status {
    /// Success: the out-parameter holds the result and `*err` is NULL.
    RB_OK = 0,
    /// `invalid_json`: an input is not syntactically valid JSON (or TOML for a policy).
    RB_INVALID_JSON = 1,
    /// `invalid_event`: a missed-call event is structurally wrong (missing, unknown or
    /// mistyped field).
    RB_INVALID_EVENT = 2,
    /// `invalid_crm`: a CRM snapshot, contact or open follow-up is structurally wrong.
    RB_INVALID_CRM = 3,
    /// `invalid_policy`: the policy is wrong (unknown field, bad hours, duplicate location).
    RB_INVALID_POLICY = 4,
    /// `unknown_location`: the input names a `location_id` the policy does not define.
    RB_UNKNOWN_LOCATION = 5,
    /// `invalid_timestamp`: a timestamp is not RFC 3339 with an offset.
    RB_INVALID_TIMESTAMP = 6,
    /// `invalid_time_zone`: a time zone is not a known IANA zone id.
    RB_INVALID_TIME_ZONE = 7,
    /// `unsupported_payload`: a vendor payload cannot be turned into an event (or the
    /// vendor name is unknown).
    RB_UNSUPPORTED_PAYLOAD = 8,
    /// `internal`: a bug in ringback. Please report it with the input.
    RB_INTERNAL = 9,
    /// `null_pointer`: a required pointer argument is NULL, or a (pointer, length) pair
    /// cannot describe a buffer (NULL with a non-zero length, or a length over
    /// `PTRDIFF_MAX`).
    RB_NULL_POINTER = 100,
    /// `invalid_utf8`: a text input is not valid UTF-8. The message names the argument
    /// and the byte offset.
    RB_INVALID_UTF8 = 101,
    /// `panic`: ringback panicked (a bug). The panic was caught at the boundary: the host
    /// process keeps running and every handle stays valid. Please report it.
    RB_PANIC = 102,
}

impl rb_status {
    /// Every status, in declaration order.
    pub(crate) const ALL: [rb_status; 13] = [
        rb_status::RB_OK,
        rb_status::RB_INVALID_JSON,
        rb_status::RB_INVALID_EVENT,
        rb_status::RB_INVALID_CRM,
        rb_status::RB_INVALID_POLICY,
        rb_status::RB_UNKNOWN_LOCATION,
        rb_status::RB_INVALID_TIMESTAMP,
        rb_status::RB_INVALID_TIME_ZONE,
        rb_status::RB_UNSUPPORTED_PAYLOAD,
        rb_status::RB_INTERNAL,
        rb_status::RB_NULL_POINTER,
        rb_status::RB_INVALID_UTF8,
        rb_status::RB_PANIC,
    ];

    /// The status that mirrors a core error code (exhaustive: a new core code does not
    /// compile until it has a status).
    pub fn from_code(code: ErrorCode) -> rb_status {
        match code {
            ErrorCode::InvalidJson => rb_status::RB_INVALID_JSON,
            ErrorCode::InvalidEvent => rb_status::RB_INVALID_EVENT,
            ErrorCode::InvalidCrm => rb_status::RB_INVALID_CRM,
            ErrorCode::InvalidPolicy => rb_status::RB_INVALID_POLICY,
            ErrorCode::UnknownLocation => rb_status::RB_UNKNOWN_LOCATION,
            ErrorCode::InvalidTimestamp => rb_status::RB_INVALID_TIMESTAMP,
            ErrorCode::InvalidTimeZone => rb_status::RB_INVALID_TIME_ZONE,
            ErrorCode::UnsupportedPayload => rb_status::RB_UNSUPPORTED_PAYLOAD,
            ErrorCode::Internal => rb_status::RB_INTERNAL,
        }
    }

    /// The status's stable snake_case code, NUL-terminated (the core's code string for the
    /// mirrored values).
    pub fn as_cstr(self) -> &'static CStr {
        match self {
            rb_status::RB_OK => c"ok",
            rb_status::RB_INVALID_JSON => c"invalid_json",
            rb_status::RB_INVALID_EVENT => c"invalid_event",
            rb_status::RB_INVALID_CRM => c"invalid_crm",
            rb_status::RB_INVALID_POLICY => c"invalid_policy",
            rb_status::RB_UNKNOWN_LOCATION => c"unknown_location",
            rb_status::RB_INVALID_TIMESTAMP => c"invalid_timestamp",
            rb_status::RB_INVALID_TIME_ZONE => c"invalid_time_zone",
            rb_status::RB_UNSUPPORTED_PAYLOAD => c"unsupported_payload",
            rb_status::RB_INTERNAL => c"internal",
            rb_status::RB_NULL_POINTER => c"null_pointer",
            rb_status::RB_INVALID_UTF8 => c"invalid_utf8",
            rb_status::RB_PANIC => c"panic",
        }
    }
}

/// An error: a status, the JSON path of the offending value and a message.
///
/// Ownership: created by the library and handed to the caller through an `rb_error **err`
/// out-parameter; the caller owns it and releases it with `rb_error_free` (exactly once).
/// The strings returned by its accessors are borrowed from it and valid until then.
/// Thread-safety: immutable; may be read from several threads at once and freed on any
/// thread (after the readers are done).
pub struct rb_error {
    pub(crate) status: rb_status,
    pub(crate) path: CString,
    pub(crate) message: CString,
}

impl rb_error {
    /// Builds an error, replacing any NUL byte in the texts (a C string cannot hold one).
    pub(crate) fn new(status: rb_status, path: &str, message: &str) -> rb_error {
        rb_error {
            status,
            path: c_string_lossy(path),
            message: c_string_lossy(message),
        }
    }
}

impl From<ringback_core::Error> for rb_error {
    fn from(e: ringback_core::Error) -> Self {
        rb_error::new(rb_status::from_code(e.code), &e.path, &e.message)
    }
}

/// `text` as a C string, each NUL byte written as the JSON escape `\u0000`.
pub(crate) fn c_string_lossy(text: &str) -> CString {
    CString::new(text).unwrap_or_else(|_| {
        let escaped = text.replace('\0', "\\u0000");
        // The escaped text has no NUL byte left, so this cannot fail; fall back to an
        // empty string rather than panic all the same.
        CString::new(escaped).unwrap_or_default()
    })
}

/// The stable snake_case name of a status: `"ok"`, the core's error code
/// (`"invalid_json"`, `"unknown_location"`, ...), `"null_pointer"`, `"invalid_utf8"` or
/// `"panic"`; `"unknown"` for a value that is not an `rb_status`.
///
/// Ownership: the returned string is static; never free it. Thread-safety: safe from any
/// thread.
#[unsafe(no_mangle)]
pub extern "C" fn rb_status_str(status: c_int) -> *const c_char {
    rb_status::ALL
        .iter()
        .find(|s| **s as c_int == status)
        .map_or(c"unknown", |s| s.as_cstr())
        .as_ptr()
}

/// The status of an error (`RB_NULL_POINTER` when `err` is NULL).
///
/// Thread-safety: safe from any thread while `err` is alive.
///
/// # Safety
///
/// `err` is NULL or an error from this library not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn rb_error_code(err: *const rb_error) -> rb_status {
    // SAFETY: the caller passes NULL or a live error created by this library.
    match unsafe { err.as_ref() } {
        Some(e) => e.status,
        None => rb_status::RB_NULL_POINTER,
    }
}

/// The error's message in words (UTF-8, NUL-terminated; `""` when `err` is NULL).
///
/// Ownership: borrowed from `err`; valid until `rb_error_free(err)`. Do not free it.
/// Thread-safety: safe from any thread while `err` is alive.
///
/// # Safety
///
/// `err` is NULL or an error from this library not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn rb_error_message(err: *const rb_error) -> *const c_char {
    // SAFETY: the caller passes NULL or a live error created by this library.
    match unsafe { err.as_ref() } {
        Some(e) => e.message.as_ptr(),
        None => c"".as_ptr(),
    }
}

/// The JSON path of the offending value inside the input that failed (`"caller_number"`,
/// `"locations[3].hours.mon[1]"`, `"decision.location_id"`), `""` when the whole input is
/// at fault or `err` is NULL. UTF-8, NUL-terminated.
///
/// Ownership: borrowed from `err`; valid until `rb_error_free(err)`. Do not free it.
/// Thread-safety: safe from any thread while `err` is alive.
///
/// # Safety
///
/// `err` is NULL or an error from this library not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn rb_error_path(err: *const rb_error) -> *const c_char {
    // SAFETY: the caller passes NULL or a live error created by this library.
    match unsafe { err.as_ref() } {
        Some(e) => e.path.as_ptr(),
        None => c"".as_ptr(),
    }
}

/// Frees an error. NULL is a no-op.
///
/// Ownership: takes `err` back; it and every string borrowed from it are invalid after.
/// Thread-safety: call once, when no other thread reads `err`.
///
/// # Safety
///
/// `err` is NULL or an error from this library not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn rb_error_free(err: *mut rb_error) {
    if !err.is_null() {
        // SAFETY: `err` came from `Box::into_raw` in this library and is freed once.
        drop(unsafe { Box::from_raw(err) });
    }
}
