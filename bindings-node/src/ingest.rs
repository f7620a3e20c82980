//! `ringback.ingest`: vendor payloads to canonical events (one per webhook, or one
//! result per item of an API page). Thin: every rule is in `ringback::ingest`.

use napi::bindgen_prelude::{JsValue, Unknown};
use napi::Env;
use napi_derive::napi;
use ringback::ErrorCode;

use crate::convert::{self, optional, parse, required, Res};
use crate::errors;

fn run_ingest<'e>(
    env: &'e Env,
    vendor: &str,
    payload: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> napi::Result<Unknown<'e>> {
    errors::guard(env, || {
        let body = if vendor == "twilio" && is_plain_object(payload)? {
            convert::form_encode(env, payload)?
        } else {
            required(env, payload, ErrorCode::UnsupportedPayload, "payload")?
        };
        let options = optional(env, options, ErrorCode::InvalidJson, "options")?;
        let out = ringback::ingest::parse_json(vendor, &body, &options)?;
        parse(env, &out)
    })
}

fn is_plain_object(v: Unknown<'_>) -> Res<bool> {
    let e = |e: napi::Error| errors::from_napi(&e);
    Ok(v.get_type().map_err(e)? == napi::ValueType::Object && !v.is_buffer().map_err(e)?)
}

/// The vendors `ingest.parse` accepts, in SPEC order.
#[napi(namespace = "ingest", catch_unwind, ts_return_type = "Vendor[]")]
pub fn vendors() -> Vec<&'static str> {
    ringback::ingest::VENDORS.to_vec()
}

/// Turns `vendor`'s webhook payload (raw body as a string or `Buffer`, or the parsed
/// object) into `{ingested: "event", event}`, `{ingested: "not_missed", reason}` or
/// `{ingested: "incomplete", reason}`. Throws `unsupported_payload` for an unknown vendor
/// or a payload that cannot be read.
#[napi(
    namespace = "ingest",
    js_name = "parse",
    catch_unwind,
    ts_args_type = "vendor: Vendor, payload: string | Buffer | Record<string, unknown>, options?: IngestOptions | string | null",
    ts_return_type = "IngestResult"
)]
pub fn ingest_parse<'e>(
    env: &'e Env,
    vendor: String,
    payload: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> napi::Result<Unknown<'e>> {
    run_ingest(env, &vendor, payload, options)
}

/// CallRail post-call / call-modified webhook (JSON) to a canonical event; see `ingest.parse`.
#[napi(
    namespace = "ingest",
    catch_unwind,
    ts_args_type = "payload: string | Buffer | Record<string, unknown>, options?: IngestOptions | string | null",
    ts_return_type = "IngestResult"
)]
pub fn callrail<'e>(
    env: &'e Env,
    payload: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> napi::Result<Unknown<'e>> {
    run_ingest(env, "callrail", payload, options)
}

/// Twilio Dial action, status, Record or transcription callback (form-encoded body, or the object a body parser made of it) to a canonical event; see `ingest.parse`.
#[napi(
    namespace = "ingest",
    catch_unwind,
    ts_args_type = "payload: string | Buffer | Record<string, unknown>, options?: IngestOptions | string | null",
    ts_return_type = "IngestResult"
)]
pub fn twilio<'e>(
    env: &'e Env,
    payload: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> napi::Result<Unknown<'e>> {
    run_ingest(env, "twilio", payload, options)
}

/// Aircall `call.*` webhook (JSON) to a canonical event; see `ingest.parse`.
#[napi(
    namespace = "ingest",
    catch_unwind,
    ts_args_type = "payload: string | Buffer | Record<string, unknown>, options?: IngestOptions | string | null",
    ts_return_type = "IngestResult"
)]
pub fn aircall<'e>(
    env: &'e Env,
    payload: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> napi::Result<Unknown<'e>> {
    run_ingest(env, "aircall", payload, options)
}

/// Dialpad call event (JSON) to a canonical event; see `ingest.parse`.
#[napi(
    namespace = "ingest",
    catch_unwind,
    ts_args_type = "payload: string | Buffer | Record<string, unknown>, options?: IngestOptions | string | null",
    ts_return_type = "IngestResult"
)]
pub fn dialpad<'e>(
    env: &'e Env,
    payload: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> napi::Result<Unknown<'e>> {
    run_ingest(env, "dialpad", payload, options)
}

/// Vonage Voice API event (JSON) to a canonical event; see `ingest.parse`.
#[napi(
    namespace = "ingest",
    catch_unwind,
    ts_args_type = "payload: string | Buffer | Record<string, unknown>, options?: IngestOptions | string | null",
    ts_return_type = "IngestResult"
)]
pub fn vonage<'e>(
    env: &'e Env,
    payload: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> napi::Result<Unknown<'e>> {
    run_ingest(env, "vonage", payload, options)
}

/// Invoca post-call webhook (JSON) to a canonical event; see `ingest.parse`.
#[napi(
    namespace = "ingest",
    catch_unwind,
    ts_args_type = "payload: string | Buffer | Record<string, unknown>, options?: IngestOptions | string | null",
    ts_return_type = "IngestResult"
)]
pub fn invoca<'e>(
    env: &'e Env,
    payload: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> napi::Result<Unknown<'e>> {
    run_ingest(env, "invoca", payload, options)
}

/// RingCentral call-log / telephony event (JSON) to a canonical event; see `ingest.parse`.
#[napi(
    namespace = "ingest",
    catch_unwind,
    ts_args_type = "payload: string | Buffer | Record<string, unknown>, options?: IngestOptions | string | null",
    ts_return_type = "IngestResult"
)]
pub fn ringcentral<'e>(
    env: &'e Env,
    payload: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> napi::Result<Unknown<'e>> {
    run_ingest(env, "ringcentral", payload, options)
}

/// Zoom Phone webhook (JSON) to a canonical event; see `ingest.parse`.
#[napi(
    namespace = "ingest",
    catch_unwind,
    ts_args_type = "payload: string | Buffer | Record<string, unknown>, options?: IngestOptions | string | null",
    ts_return_type = "IngestResult"
)]
pub fn zoom<'e>(
    env: &'e Env,
    payload: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> napi::Result<Unknown<'e>> {
    run_ingest(env, "zoom", payload, options)
}

/// CallTrackingMetrics call webhook (JSON) to a canonical event; see `ingest.parse`.
#[napi(
    namespace = "ingest",
    catch_unwind,
    ts_args_type = "payload: string | Buffer | Record<string, unknown>, options?: IngestOptions | string | null",
    ts_return_type = "IngestResult"
)]
pub fn ctm<'e>(
    env: &'e Env,
    payload: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> napi::Result<Unknown<'e>> {
    run_ingest(env, "ctm", payload, options)
}

/// Marchex standard call webhook (JSON envelope of one call) or a Telmetrics call row to a canonical event; see `ingest.parse`.
#[napi(
    namespace = "ingest",
    catch_unwind,
    ts_args_type = "payload: string | Buffer | Record<string, unknown>, options?: IngestOptions | string | null",
    ts_return_type = "IngestResult"
)]
pub fn marchex<'e>(
    env: &'e Env,
    payload: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> napi::Result<Unknown<'e>> {
    run_ingest(env, "marchex", payload, options)
}

/// Convirza post-call webhook or v3 call object (JSON) to a canonical event; see `ingest.parse`.
#[napi(
    namespace = "ingest",
    catch_unwind,
    ts_args_type = "payload: string | Buffer | Record<string, unknown>, options?: IngestOptions | string | null",
    ts_return_type = "IngestResult"
)]
pub fn convirza<'e>(
    env: &'e Env,
    payload: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> napi::Result<Unknown<'e>> {
    run_ingest(env, "convirza", payload, options)
}

/// WhatConverts lead webhook (JSON); other lead types are `not_missed` to a canonical event; see `ingest.parse`.
#[napi(
    namespace = "ingest",
    catch_unwind,
    ts_args_type = "payload: string | Buffer | Record<string, unknown>, options?: IngestOptions | string | null",
    ts_return_type = "IngestResult"
)]
pub fn whatconverts<'e>(
    env: &'e Env,
    payload: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> napi::Result<Unknown<'e>> {
    run_ingest(env, "whatconverts", payload, options)
}

/// Ringostat webhook (JSON, JSON-RPC or query string) through the configurable mapping (`options.mapping`) to a canonical event; see `ingest.parse`.
#[napi(
    namespace = "ingest",
    catch_unwind,
    ts_args_type = "payload: string | Buffer | Record<string, unknown>, options?: IngestOptions | string | null",
    ts_return_type = "IngestResult"
)]
pub fn ringostat<'e>(
    env: &'e Env,
    payload: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> napi::Result<Unknown<'e>> {
    run_ingest(env, "ringostat", payload, options)
}

/// DialogTech Post-Call Action (query string or URL) through the configurable mapping (`options.mapping`) to a canonical event; see `ingest.parse`.
#[napi(
    namespace = "ingest",
    catch_unwind,
    ts_args_type = "payload: string | Buffer | Record<string, unknown>, options?: IngestOptions | string | null",
    ts_return_type = "IngestResult"
)]
pub fn dialogtech<'e>(
    env: &'e Env,
    payload: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> napi::Result<Unknown<'e>> {
    run_ingest(env, "dialogtech", payload, options)
}

/// CallSource call feed through the configurable mapping (`options.mapping`) to a canonical event; see `ingest.parse`.
#[napi(
    namespace = "ingest",
    catch_unwind,
    ts_args_type = "payload: string | Buffer | Record<string, unknown>, options?: IngestOptions | string | null",
    ts_return_type = "IngestResult"
)]
pub fn callsource<'e>(
    env: &'e Env,
    payload: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> napi::Result<Unknown<'e>> {
    run_ingest(env, "callsource", payload, options)
}

/// Any templated body through the integrator's own mapping (`options.mapping`) to a canonical event; see `ingest.parse`.
#[napi(
    namespace = "ingest",
    catch_unwind,
    ts_args_type = "payload: string | Buffer | Record<string, unknown>, options?: IngestOptions | string | null",
    ts_return_type = "IngestResult"
)]
pub fn custom<'e>(
    env: &'e Env,
    payload: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> napi::Result<Unknown<'e>> {
    run_ingest(env, "custom", payload, options)
}

/// Retell AI webhook (`call_ended` / `call_analyzed`; JSON) to a canonical event; see `ingest.parse`.
#[napi(
    namespace = "ingest",
    catch_unwind,
    ts_args_type = "payload: string | Buffer | Record<string, unknown>, options?: IngestOptions | string | null",
    ts_return_type = "IngestResult"
)]
pub fn retell<'e>(
    env: &'e Env,
    payload: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> napi::Result<Unknown<'e>> {
    run_ingest(env, "retell", payload, options)
}

/// Vapi server message (`end-of-call-report` decides; JSON) to a canonical event; see `ingest.parse`.
#[napi(
    namespace = "ingest",
    catch_unwind,
    ts_args_type = "payload: string | Buffer | Record<string, unknown>, options?: IngestOptions | string | null",
    ts_return_type = "IngestResult"
)]
pub fn vapi<'e>(
    env: &'e Env,
    payload: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> napi::Result<Unknown<'e>> {
    run_ingest(env, "vapi", payload, options)
}

/// Bland AI post-call webhook (JSON) to a canonical event; see `ingest.parse`.
#[napi(
    namespace = "ingest",
    catch_unwind,
    ts_args_type = "payload: string | Buffer | Record<string, unknown>, options?: IngestOptions | string | null",
    ts_return_type = "IngestResult"
)]
pub fn bland<'e>(
    env: &'e Env,
    payload: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> napi::Result<Unknown<'e>> {
    run_ingest(env, "bland", payload, options)
}

/// Air AI `POST_CALL_OUTCOME` / `POST_CALL_DATA` webhook (JSON) to a canonical event; see `ingest.parse`.
#[napi(
    namespace = "ingest",
    catch_unwind,
    ts_args_type = "payload: string | Buffer | Record<string, unknown>, options?: IngestOptions | string | null",
    ts_return_type = "IngestResult"
)]
pub fn airai<'e>(
    env: &'e Env,
    payload: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> napi::Result<Unknown<'e>> {
    run_ingest(env, "airai", payload, options)
}

/// Voiceflow session-lifecycle webhook (`runtime.call.*`; JSON) to a canonical event; see `ingest.parse`.
#[napi(
    namespace = "ingest",
    catch_unwind,
    ts_args_type = "payload: string | Buffer | Record<string, unknown>, options?: IngestOptions | string | null",
    ts_return_type = "IngestResult"
)]
pub fn voiceflow<'e>(
    env: &'e Env,
    payload: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> napi::Result<Unknown<'e>> {
    run_ingest(env, "voiceflow", payload, options)
}

/// A page of a vendor's list API (RingCentral `records`, CallRail `calls`, WhatConverts
/// `leads`, Twilio `calls`, Vonage `_embedded.calls`, ..., or a JSON array of webhook
/// bodies) to one result per item, in order: `{ingested: "event" | "not_missed" |
/// "incomplete", ...}` or `{ingested: "error", error: {code, path, message}}` for a bad
/// item. Throws only when the page itself cannot be read.
#[napi(
    namespace = "ingest",
    js_name = "parseMany",
    catch_unwind,
    ts_args_type = "vendor: Vendor, payload: string | Buffer | Record<string, unknown> | unknown[], options?: IngestOptions | string | null",
    ts_return_type = "IngestItem[]"
)]
pub fn ingest_parse_many<'e>(
    env: &'e Env,
    vendor: String,
    payload: Unknown<'_>,
    options: Option<Unknown<'_>>,
) -> napi::Result<Unknown<'e>> {
    errors::guard(env, || {
        let body = required(env, payload, ErrorCode::UnsupportedPayload, "payload")?;
        let options = optional(env, options, ErrorCode::InvalidJson, "options")?;
        let out = ringback::ingest::parse_many_json(&vendor, &body, &options)?;
        parse(env, &out)
    })
}
