//! The Twilio Programmable Messaging fake (`/2010-04-01/Accounts/{Sid}/Messages.json`).
//! What it enforces, as Twilio's Message resource reference and error dictionary document it:
//!
//! * HTTP Basic credentials (account SID : token); form-encoded parameters `To`, `From` or
//!   `MessagingServiceSid`, `Body`, `StatusCallback`, `ScheduleType`, `SendAt`.
//! * `21211` a `To` that is not a phone number; `21610` a recipient who replied STOP to
//!   this sender; `21614` a `To` that cannot take texts (a landline); `21602` no body;
//!   `21603` no sender; `35118` scheduling without a Messaging Service; `35114` a `SendAt`
//!   outside 900 seconds to 35 days from now (the fake's clock, `twilio_now`).
//! * Sending is not idempotent: the same request twice is two messages. With
//!   `twilio_fail_after_send = n` the next n sends are stored *and* answered 500 (the
//!   ambiguous failure a retry must not turn into a second text).
//! * `GET …/Messages.json?To=` lists the account's messages to that number, newest first.

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use crate::{answer, decode, HttpResponse, State};

/// Standard base64 (for the Basic credentials).
pub fn base64(text: &str) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let b = text.as_bytes();
    let mut out = String::new();
    for chunk in b.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(T[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn error(status: u16, code: u32, message: &str) -> HttpResponse {
    answer(
        status,
        json!({"code": code, "message": message,
               "more_info": format!("https://www.twilio.com/docs/errors/{code}"), "status": status}),
    )
}

fn rfc2822(unix: i64) -> String {
    DateTime::<Utc>::from_timestamp(unix, 0)
        .map(|t| t.format("%a, %d %b %Y %H:%M:%S +0000").to_string())
        .unwrap_or_default()
}

fn form(body: &str) -> Vec<(String, String)> {
    body.split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn e164(s: &str) -> bool {
    s.starts_with('+') && (8..=16).contains(&s.len()) && s[1..].bytes().all(|c| c.is_ascii_digit())
}

impl State {
    /// The messages Twilio accepted, oldest first.
    pub fn twilio_messages(&self) -> Vec<Value> {
        self.twilio_messages.clone()
    }

    pub(crate) fn twilio_api(
        &mut self,
        method: &str,
        parts: &[&str],
        full: &str,
        body: &str,
    ) -> HttpResponse {
        let ["2010-04-01", "Accounts", account, "Messages.json"] = parts else {
            return error(404, 20404, "The requested resource was not found");
        };
        if *account != self.twilio_account {
            return error(404, 20404, "The requested resource was not found");
        }
        match method {
            "GET" => {
                let to = crate::query_param(full, "To");
                let list: Vec<Value> = self
                    .twilio_messages
                    .iter()
                    .rev()
                    .filter(|m| {
                        to.is_none() || m.get("to").and_then(Value::as_str) == to.as_deref()
                    })
                    .cloned()
                    .collect();
                answer(
                    200,
                    json!({"messages": list, "page": 0, "page_size": 50, "next_page_uri": null, "start": 0}),
                )
            }
            "POST" => {
                let f = form(body);
                let get = |k: &str| f.iter().find(|(a, _)| a == k).map(|(_, v)| v.clone());
                let Some(to) = get("To") else {
                    return error(400, 21604, "A 'To' phone number is required.");
                };
                if !e164(&to) {
                    return error(400, 21211, &format!("Invalid 'To' Phone Number: {to}"));
                }
                let from = get("From");
                let service = get("MessagingServiceSid");
                if from.is_none() && service.is_none() {
                    return error(
                        400,
                        21603,
                        "A 'From' or 'MessagingServiceSid' parameter is required.",
                    );
                }
                let Some(text) = get("Body").filter(|b| !b.is_empty()) else {
                    return error(400, 21602, "Message body is required.");
                };
                if self.twilio_opted_out.contains(&to) {
                    return error(400, 21610, "Attempt to send to unsubscribed recipient");
                }
                if self.twilio_landlines.contains(&to) {
                    return error(
                        400,
                        21614,
                        &format!("'To' number {to} is not a valid mobile number"),
                    );
                }
                let mut status = "queued";
                let mut send_at = Value::Null;
                if let Some(kind) = get("ScheduleType") {
                    if kind != "fixed" {
                        return error(400, 35110, "ScheduleType must be 'fixed'.");
                    }
                    if service.is_none() {
                        return error(
                            400,
                            35118,
                            "MessagingServiceSid is required to schedule a message",
                        );
                    }
                    let Some(at) =
                        get("SendAt").and_then(|s| DateTime::parse_from_rfc3339(&s).ok())
                    else {
                        return error(400, 35111, "SendAt timestamp is missing");
                    };
                    let delta = at.timestamp() - self.twilio_now;
                    if !(900..=35 * 86_400).contains(&delta) {
                        return error(400, 35114, "SendAt time must be between 900 seconds and 35 days (3024000 seconds) in the future, inclusive.");
                    }
                    status = "scheduled";
                    send_at = json!(at
                        .with_timezone(&Utc)
                        .format("%Y-%m-%dT%H:%M:%SZ")
                        .to_string());
                } else if service.is_some() {
                    status = "accepted";
                }
                let n = self.twilio_messages.len() + 1;
                let msg = json!({
                    "sid": format!("SM{n:032x}"),
                    "account_sid": self.twilio_account,
                    "to": to,
                    "from": from,
                    "messaging_service_sid": service,
                    "body": text,
                    "status": status,
                    "send_at": send_at,
                    "num_segments": "1",
                    "direction": "outbound-api",
                    "date_created": rfc2822(self.twilio_now),
                    "date_sent": null,
                    "error_code": null,
                    "_fake_status_callback": get("StatusCallback"),
                    "uri": format!("/2010-04-01/Accounts/{}/Messages/SM{n:032x}.json", self.twilio_account),
                });
                self.twilio_messages.push(msg.clone());
                if self.twilio_fail_after_send > 0 {
                    self.twilio_fail_after_send -= 1;
                    return error(500, 20500, "Internal Server Error");
                }
                answer(201, msg)
            }
            _ => error(405, 20004, "Method not allowed"),
        }
    }
}
