//! Turning core errors and panics into JavaScript `Error`s with `.code` and `.path`.

use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};

use napi::bindgen_prelude::{JsObjectValue, JsValue};
use napi::{Env, JsError, Status};
use ringback::{Error, ErrorCode};

/// Builds the JavaScript `Error` for a core error: `message` is the core's display text
/// (`code: at path: message`), `code` the stable snake_case code, `path` the JSON path
/// (`""` for the whole document). Falls back to a plain napi error (same code, same text)
/// if the JavaScript engine cannot build the object.
pub(crate) fn to_js(env: &Env, err: &Error) -> napi::Error {
    to_js_at(env, err, None)
}

/// [`to_js`] with an `index` property (the failing element of a batch).
pub(crate) fn to_js_at(env: &Env, err: &Error, index: Option<u32>) -> napi::Error {
    build(env, err, index)
        .unwrap_or_else(|_| napi::Error::new(Status::GenericFailure, err.to_string()))
}

fn build(env: &Env, err: &Error, index: Option<u32>) -> napi::Result<napi::Error> {
    Ok(napi::Error::from(error_value(env, err, index)?))
}

/// The JavaScript `Error` object for a core error (`.code`, `.path`, and `.index` for a
/// batch), as a value: what `processManySettled` puts in a failed event's place.
pub(crate) fn error_value<'e>(
    env: &'e Env,
    err: &Error,
    index: Option<u32>,
) -> napi::Result<napi::bindgen_prelude::Unknown<'e>> {
    let js = JsError::from(napi::Error::new(err.code.as_str(), err.to_string())).into_unknown(*env);
    let mut obj = js.coerce_to_object()?;
    obj.set_named_property("path", err.path.as_str())?;
    if let Some(i) = index {
        obj.set_named_property("index", i)?;
    }
    Ok(obj.to_unknown())
}

/// The core error for a panic payload (code `internal`).
pub(crate) fn from_panic(payload: &(dyn Any + Send)) -> Error {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".to_string());
    Error::new(
        ErrorCode::Internal,
        "",
        format!("ringback panicked: {what} (a bug in ringback; please report it)"),
    )
}

/// The core error for a failed napi operation (code `internal`).
pub(crate) fn from_napi(err: &napi::Error) -> Error {
    Error::new(
        ErrorCode::Internal,
        "",
        format!("napi call failed ({}): {}", err.status, err.reason),
    )
}

/// Runs `f`, turning a core error into a thrown JavaScript error and a panic into a thrown
/// `internal` error, so nothing unwinds across the napi boundary.
pub(crate) fn guard<T>(env: &Env, f: impl FnOnce() -> Result<T, Error>) -> napi::Result<T> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(to_js(env, &e)),
        Err(payload) => Err(to_js(env, &from_panic(payload.as_ref()))),
    }
}
