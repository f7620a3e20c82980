//! Twilio Messaging from Node: the native class behind `messaging.js` (the logic is the
//! core's `messaging::twilio::Send`; this converts and calls it).

use std::sync::Mutex;

use napi::bindgen_prelude::Unknown;
use napi::Env;
use napi_derive::napi;
use ringback::ErrorCode;

use super::convert::{parse, required};
use super::errors;
use super::machine::{machine_feed, machine_next, machine_outcome, with_machine};

/// The send run of one decision's texts: `nextRequest()`, send it, `feed(answer)`, until
/// `nextRequest()` returns `null`; then `outcome()`.
#[napi]
pub struct TwilioSend {
    inner: Mutex<ringback::messaging::twilio::Send>,
}

#[napi]
impl TwilioSend {
    /// The texts of `decision` through Twilio with `config`, at `now` (RFC 3339).
    #[napi(
        constructor,
        catch_unwind,
        ts_args_type = "decision: Decision | string, config: TwilioConfig | string, now: string"
    )]
    pub fn new(
        env: Env,
        decision: Unknown<'_>,
        config: Unknown<'_>,
        now: String,
    ) -> napi::Result<Self> {
        errors::guard(&env, || {
            let decision = required(&env, decision, ErrorCode::InvalidEvent, "decision")?;
            let config = required(&env, config, ErrorCode::InvalidCrm, "config")?;
            let inner = ringback::messaging::twilio::Send::from_json(&decision, &config, &now)?;
            Ok(TwilioSend {
                inner: Mutex::new(inner),
            })
        })
    }

    /// The next request (wait `delay_seconds` first), or `null` when done or stopped.
    #[napi(catch_unwind, ts_return_type = "CrmRequest | null")]
    pub fn next_request<'e>(&self, env: &'e Env) -> napi::Result<Unknown<'e>> {
        machine_next(env, &self.inner, "send")
    }

    /// Reads Twilio's answer `{status, headers, body}` to the last request.
    #[napi(catch_unwind, ts_args_type = "response: CrmResponse")]
    pub fn feed(&self, env: Env, response: Unknown<'_>) -> napi::Result<()> {
        machine_feed(&env, &self.inner, "send", response)
    }

    /// What the run did so far.
    #[napi(catch_unwind, ts_return_type = "TwilioSendOutcome")]
    pub fn outcome<'e>(&self, env: &'e Env) -> napi::Result<Unknown<'e>> {
        machine_outcome(env, &self.inner, "send")
    }

    /// The most requests this run can send.
    #[napi(getter, catch_unwind)]
    pub fn request_bound(&self, env: Env) -> napi::Result<u32> {
        errors::guard(&env, || {
            with_machine(&self.inner, "send", |s| Ok(s.request_bound()))
        })
    }
}

/// What a Twilio webhook body (form-encoded) says about consent.
#[napi(catch_unwind, ts_return_type = "TwilioCallback")]
pub fn twilio_read_callback<'e>(env: &'e Env, form: String) -> napi::Result<Unknown<'e>> {
    errors::guard(env, || {
        let c = ringback::messaging::twilio::read_callback(&form)?;
        parse(env, &ringback::to_json(&c)?)
    })
}
