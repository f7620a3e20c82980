//! The one way a sans-I/O machine of the core (the CRM sync, the Twilio send) is driven
//! from Node: next request, feed, outcome, behind the machine's lock.

use std::sync::Mutex;

use napi::bindgen_prelude::Unknown;
use napi::Env;
use ringback::{Error, ErrorCode};

use crate::convert::{parse, required, Res};
use crate::errors;

/// Runs `f` on a sans-I/O machine behind its lock (one stopped by an internal error stays
/// stopped).
pub(crate) fn with_machine<M, T>(
    m: &Mutex<M>,
    what: &str,
    f: impl FnOnce(&mut M) -> Res<T>,
) -> Res<T> {
    let mut s = m.lock().map_err(|_| {
        Error::new(
            ErrorCode::Internal,
            "",
            format!("this {what} stopped at an internal error"),
        )
    })?;
    f(&mut s)
}

/// A machine's next request as a JS value (or `null`).
pub(crate) fn machine_next<'e, M: ringback::crm::Machine>(
    env: &'e Env,
    m: &Mutex<M>,
    what: &str,
) -> napi::Result<Unknown<'e>> {
    errors::guard(env, || {
        let text = with_machine(m, what, |s| ringback::to_json(&s.next_request()))?;
        parse(env, &text)
    })
}

/// Feeds a machine the answer `{status, headers, body}` to its last request.
pub(crate) fn machine_feed<M: ringback::crm::Machine>(
    env: &Env,
    m: &Mutex<M>,
    what: &str,
    response: Unknown<'_>,
) -> napi::Result<()> {
    errors::guard(env, || {
        let text = required(env, response, ErrorCode::InvalidCrm, "response")?;
        let r = ringback::crm::Response::from_json(&text)?;
        with_machine(m, what, |s| s.feed(r))
    })
}

/// A machine's outcome so far as a JS value.
pub(crate) fn machine_outcome<'e, M: ringback::crm::Machine>(
    env: &'e Env,
    m: &Mutex<M>,
    what: &str,
) -> napi::Result<Unknown<'e>> {
    errors::guard(env, || {
        let text = with_machine(m, what, |s| s.outcome_json())?;
        parse(env, &text)
    })
}
