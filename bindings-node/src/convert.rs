//! JavaScript values to and from JSON text.
//!
//! Objects cross the boundary as JSON text: `JSON.stringify` on the way in (so `Date`
//! values become RFC 3339 UTC strings through `Date.prototype.toJSON`) and `JSON.parse` on
//! the way out. Measured on this machine this is several times faster than napi's
//! value-by-value serde conversion of the same data (see `benches/node_bench.js`).

use napi::bindgen_prelude::{BufferSlice, Function, JsObjectValue, JsValue, Object, Unknown};
use napi::{Env, ValueType};
use ringback::{Error, ErrorCode};

use crate::errors::from_napi;

/// Result alias: conversions fail with a core error.
pub(crate) type Res<T> = Result<T, Error>;

fn napi_err(e: napi::Error) -> Error {
    from_napi(&e)
}

fn json_object(env: &Env) -> Res<Object<'_>> {
    env.get_global()
        .and_then(|g| g.get_named_property_unchecked::<Object>("JSON"))
        .map_err(napi_err)
}

/// `JSON.stringify(value)`; a throwing `toJSON`, a cycle or a `BigInt` is `invalid_json`.
pub(crate) fn stringify(env: &Env, value: Unknown<'_>) -> Res<String> {
    let json = json_object(env)?;
    let func: Function<Unknown, Unknown> = json
        .get_named_property_unchecked("stringify")
        .map_err(napi_err)?;
    let out = func.call(value).map_err(|e| {
        Error::new(
            ErrorCode::InvalidJson,
            "",
            format!("JSON.stringify failed: {}", e.reason),
        )
    })?;
    match out.get_type().map_err(napi_err)? {
        // SAFETY: the type was just checked.
        ValueType::String => unsafe { out.cast::<String>() }.map_err(napi_err),
        other => Err(Error::new(
            ErrorCode::InvalidJson,
            "",
            format!("value has no JSON form ({other})"),
        )),
    }
}

/// `JSON.parse(text)`: decisions and other outputs go back as plain objects.
pub(crate) fn parse<'e>(env: &'e Env, text: &str) -> Res<Unknown<'e>> {
    let json = json_object(env)?;
    let func: Function<&str, Unknown> = json
        .get_named_property_unchecked("parse")
        .map_err(napi_err)?;
    func.call(text).map_err(|e| {
        Error::new(
            ErrorCode::Internal,
            "",
            format!("JSON.parse of engine output failed: {}", e.reason),
        )
    })
}

/// What a JavaScript argument holds, as text for the core.
pub(crate) enum Text {
    /// `undefined` or `null`.
    Absent,
    /// JSON (or TOML, form-encoded, ...) text.
    Given(String),
}

/// Reads an argument that may be a string, a `Buffer`/`Uint8Array` (UTF-8), an object or
/// array (stringified), or `undefined`/`null`. Anything else is an error with `code`.
pub(crate) fn text_of(env: &Env, value: Unknown<'_>, code: ErrorCode, what: &str) -> Res<Text> {
    match value.get_type().map_err(napi_err)? {
        ValueType::Undefined | ValueType::Null => Ok(Text::Absent),
        // SAFETY: the type was just checked.
        ValueType::String => unsafe { value.cast::<String>() }
            .map(Text::Given)
            .map_err(napi_err),
        ValueType::Object => {
            if value.is_buffer().map_err(napi_err)? {
                // SAFETY: `is_buffer` holds (a Buffer or any Uint8Array).
                let bytes = unsafe { value.cast::<BufferSlice>() }.map_err(napi_err)?;
                return String::from_utf8(bytes.to_vec())
                    .map(Text::Given)
                    .map_err(|e| {
                        Error::new(
                            ErrorCode::InvalidJson,
                            "",
                            format!("{what} bytes are not UTF-8: {e}"),
                        )
                    });
            }
            stringify(env, value).map(Text::Given)
        }
        other => Err(Error::new(
            code,
            "",
            format!("{what} must be an object or a JSON string, got {other}"),
        )),
    }
}

/// [`text_of`] for an argument that must be given.
pub(crate) fn required(env: &Env, value: Unknown<'_>, code: ErrorCode, what: &str) -> Res<String> {
    match text_of(env, value, code, what)? {
        Text::Given(t) => Ok(t),
        Text::Absent => Err(Error::new(
            code,
            "",
            format!("{what} is required (got null or undefined)"),
        )),
    }
}

/// [`text_of`] for an optional argument: absent is `""` (the core's "none").
pub(crate) fn optional(
    env: &Env,
    value: Option<Unknown<'_>>,
    code: ErrorCode,
    what: &str,
) -> Res<String> {
    match value {
        None => Ok(String::new()),
        Some(v) => match text_of(env, v, code, what)? {
            Text::Given(t) => Ok(t),
            Text::Absent => Ok(String::new()),
        },
    }
}

/// A timestamp argument: an RFC 3339 string or a `Date` (its `toJSON()`, UTC).
pub(crate) fn timestamp(env: &Env, value: Unknown<'_>, what: &str) -> Res<String> {
    match value.get_type().map_err(napi_err)? {
        // SAFETY: the type was just checked.
        ValueType::String => unsafe { value.cast::<String>() }.map_err(napi_err),
        ValueType::Object if value.is_date().map_err(napi_err)? => {
            let json = stringify(env, value)?;
            match json.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
                Some(s) => Ok(s.to_string()),
                None => Err(Error::new(
                    ErrorCode::InvalidTimestamp,
                    what,
                    "the Date is invalid",
                )),
            }
        }
        other => Err(Error::new(
            ErrorCode::InvalidTimestamp,
            what,
            format!("must be an RFC 3339 string or a Date, got {other}"),
        )),
    }
}

/// A form-encoded body from a plain object (`new URLSearchParams(obj)`), for Twilio
/// payloads handed over already parsed by a body parser.
pub(crate) fn form_encode(env: &Env, value: Unknown<'_>) -> Res<String> {
    let ctor: Function<Unknown, Unknown> = env
        .get_global()
        .and_then(|g| g.get_named_property_unchecked("URLSearchParams"))
        .map_err(napi_err)?;
    let params = ctor.new_instance(value).map_err(|e| {
        Error::new(
            ErrorCode::UnsupportedPayload,
            "",
            format!("payload object cannot be form-encoded: {}", e.reason),
        )
    })?;
    params
        .coerce_to_string()
        .and_then(|s| s.into_utf8())
        .and_then(|s| s.into_owned())
        .map_err(napi_err)
}
