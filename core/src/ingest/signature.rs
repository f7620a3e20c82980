//! Webhook signature checks, as pure functions over the raw request parts. Every secret
//! comparison runs in constant time (the MAC crate's `verify_slice`, or a byte fold for
//! plain tokens), so that timing does not leak how much of a forged signature was right.
//!
//! * CallRail: header `Signature` = base64(HMAC-SHA1(company signing key, raw body)).
//! * Twilio: header `X-Twilio-Signature` = base64(HMAC-SHA1(auth token, URL + every form
//!   parameter's name and value, sorted by name)).
//! * Zoom: header `x-zm-signature` = `v0=` + hex(HMAC-SHA256(secret token,
//!   `v0:{x-zm-request-timestamp}:{raw body}`)).
//! * Aircall: the body's `token` equals the webhook's token.
//! * Dialpad: an HS256 JWT body signed with the webhook secret.
//! * Retell: header `x-retell-signature` = `v={unix ms},d=` + hex(HMAC-SHA256(API key,
//!   raw body + the same ms digits)), refused more than five minutes from "now" (an input).
//! * Vapi: header `x-vapi-signature` = `sha256=` + hex(HMAC-SHA256(secret, raw body)), or
//!   the shared secret itself in `X-Vapi-Secret` / `Authorization: Bearer`.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::Sha256;

use crate::error::Result;

type HmacSha1 = Hmac<Sha1>;
type HmacSha256 = Hmac<Sha256>;

/// Compares two byte strings in time independent of where they differ (the length is
/// not secret).
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn verify_sha1(key: &[u8], message: &[&[u8]], expected: &[u8]) -> bool {
    let Ok(mut mac) = HmacSha1::new_from_slice(key) else {
        return false;
    };
    for part in message {
        mac.update(part);
    }
    mac.verify_slice(expected).is_ok()
}

fn verify_sha256(key: &[u8], message: &[&[u8]], expected: &[u8]) -> bool {
    let Ok(mut mac) = HmacSha256::new_from_slice(key) else {
        return false;
    };
    for part in message {
        mac.update(part);
    }
    mac.verify_slice(expected).is_ok()
}

/// CallRail: whether `signature` (the `Signature` header, base64) is the HMAC-SHA1 of the
/// raw `body` under the company's signing key.
pub fn callrail(body: &[u8], signing_key: &str, signature: &str) -> bool {
    match STANDARD.decode(signature.trim()) {
        Ok(sig) => verify_sha1(signing_key.as_bytes(), &[body], &sig),
        Err(_) => false,
    }
}

/// Twilio: whether `signature` (`X-Twilio-Signature`) signs `url` (exactly as configured
/// in Twilio, query string included) and the form `params`.
pub fn twilio(url: &str, params: &[(String, String)], auth_token: &str, signature: &str) -> bool {
    let Ok(sig) = STANDARD.decode(signature.trim()) else {
        return false;
    };
    let mut sorted: Vec<&(String, String)> = params.iter().collect();
    sorted.sort();
    let mut message: Vec<&[u8]> = vec![url.as_bytes()];
    for (k, v) in sorted {
        message.push(k.as_bytes());
        message.push(v.as_bytes());
    }
    verify_sha1(auth_token.as_bytes(), &message, &sig)
}

/// Twilio, from the raw form body (decoded with [`super::form`]); a body that is not a
/// form is an `invalid_json` error.
pub fn twilio_form(url: &str, body: &str, auth_token: &str, signature: &str) -> Result<bool> {
    let params = super::form::decode_pairs(body)?;
    Ok(twilio(url, &params, auth_token, signature))
}

/// Zoom: whether `signature` (`x-zm-signature`, `v0=<hex>`) signs `v0:{timestamp}:{body}`
/// with the app's secret token, `timestamp` being the `x-zm-request-timestamp` header.
pub fn zoom(body: &[u8], timestamp: &str, secret_token: &str, signature: &str) -> bool {
    let Some(hex) = signature.trim().strip_prefix("v0=") else {
        return false;
    };
    let Some(sig) = decode_hex(hex) else {
        return false;
    };
    verify_sha256(
        secret_token.as_bytes(),
        &[b"v0:", timestamp.trim().as_bytes(), b":", body],
        &sig,
    )
}

/// How far a Retell signature's time may be from "now", in milliseconds.
pub const RETELL_TOLERANCE_MS: i64 = 5 * 60 * 1000;

/// Retell: whether `signature` (`x-retell-signature`, `v=<unix ms>,d=<hex>`) signs the raw
/// `body` followed by those ms digits with the API key, and was made within
/// [`RETELL_TOLERANCE_MS`] of `now_ms` (the host's clock, passed in).
pub fn retell(body: &[u8], api_key: &str, signature: &str, now_ms: i64) -> bool {
    let sig = signature.trim();
    let Some(rest) = sig.strip_prefix("v=") else {
        return false;
    };
    let Some((stamp, digest)) = rest.split_once(",d=") else {
        return false;
    };
    if stamp.is_empty() || stamp.len() > 16 || !stamp.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let Ok(ms) = stamp.parse::<i64>() else {
        return false;
    };
    if (now_ms.saturating_sub(ms)).abs() > RETELL_TOLERANCE_MS {
        return false;
    }
    let Some(expected) = decode_hex(digest.trim()) else {
        return false;
    };
    verify_sha256(api_key.as_bytes(), &[body, stamp.as_bytes()], &expected)
}

/// Vapi HMAC credential: whether `signature` (`x-vapi-signature`, `sha256=<hex>` or bare
/// hex) is the HMAC-SHA256 of the raw `body` under `secret`.
pub fn vapi_hmac(body: &[u8], secret: &str, signature: &str) -> bool {
    let s = signature.trim();
    let hex = s.strip_prefix("sha256=").unwrap_or(s);
    match decode_hex(hex) {
        Some(sig) => verify_sha256(secret.as_bytes(), &[body], &sig),
        None => false,
    }
}

/// Vapi bearer / legacy secret: whether the `X-Vapi-Secret` header, or an
/// `Authorization: Bearer …` value, carries the configured secret.
pub fn vapi_secret(received: &str, expected: &str) -> bool {
    let r = received.trim();
    let r = r
        .strip_prefix("Bearer ")
        .or_else(|| r.strip_prefix("bearer "))
        .unwrap_or(r)
        .trim();
    !expected.is_empty() && constant_time_eq(r.as_bytes(), expected.as_bytes())
}

/// Aircall: whether the payload's `token` equals the webhook's token.
pub fn aircall_token(received: &str, expected: &str) -> bool {
    !expected.is_empty() && constant_time_eq(received.as_bytes(), expected.as_bytes())
}

/// Dialpad: whether a JWT (`header.payload.signature`) is HS256-signed with `secret`.
pub fn dialpad_jwt(token: &str, secret: &str) -> bool {
    let token = token.trim();
    let Some((signed, sig)) = token.rsplit_once('.') else {
        return false;
    };
    if signed.split('.').count() != 2 {
        return false;
    }
    let Some(header) = signed
        .split('.')
        .next()
        .and_then(|h| URL_SAFE_NO_PAD.decode(h.trim_end_matches('=')).ok())
        .and_then(|h| serde_json::from_slice::<serde_json::Value>(&h).ok())
    else {
        return false;
    };
    if header.get("alg").and_then(|a| a.as_str()) != Some("HS256") {
        return false;
    }
    match URL_SAFE_NO_PAD.decode(sig.trim_end_matches('=')) {
        Ok(sig) => verify_sha256(secret.as_bytes(), &[signed.as_bytes()], &sig),
        Err(_) => false,
    }
}

fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    if hex.len() % 2 != 0 {
        return None;
    }
    let bytes = hex.as_bytes();
    (0..bytes.len())
        .step_by(2)
        .map(|i| {
            let s = std::str::from_utf8(bytes.get(i..i + 2)?).ok()?;
            u8::from_str_radix(s, 16).ok()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_time_eq_basics() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
        assert!(!aircall_token("", ""));
        assert!(aircall_token("t0k", "t0k"));
    }

    #[test]
    fn hex() {
        assert_eq!(decode_hex("00ff10"), Some(vec![0, 255, 16]));
        assert_eq!(decode_hex("0"), None);
        assert_eq!(decode_hex("zz"), None);
        assert_eq!(decode_hex("é1"), None);
    }
}
