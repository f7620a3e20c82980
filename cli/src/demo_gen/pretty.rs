//! The demo files as people read them: pretty JSON with the model's field order.

use super::*;

/// Field orders of the model's objects; an object uses the first list holding all its keys.
#[rustfmt::skip]
pub(super) const KEY_ORDERS: &[&[&str]] = &[
    &["version", "locations"],
    &["version", "defaults", "locations"],
    &["contacts", "suppressions"],
    &["id", "name", "vertical", "time_zone", "country", "state", "phone", "hours", "holidays",
      "avg_inquiry_value", "currency", "on_call"],
    &["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
    &["date", "name", "hours"],
    &["event_id", "location_id", "occurred_at", "received_at", "caller_number", "caller_name",
      "tracking_number", "disposition", "raw_disposition", "ring_seconds", "duration_seconds",
      "voicemail", "attribution", "provider", "ai_receptionist"],
    &["transcript", "duration_seconds", "recording_url"],
    &["source", "medium", "campaign", "keywords", "landing_page", "referrer", "gclid", "fbclid",
      "msclkid", "utm"],
    &["handled", "summary", "captured_intent"],
    &["id", "kind", "phones", "emails", "first_name", "last_name", "location_id", "created_at",
      "last_activity_at", "lifetime_value", "tags", "time_zone", "state", "preferred_channel",
      "do_not_contact", "consent", "recent_events", "open_followup"],
    &["number", "type"],
    &["sms", "voice", "email"],
    &["status", "kind", "at", "source"],
    &["event_id", "occurred_at", "kind", "location_id", "had_transcript"],
    &["id", "created_at", "due_at", "tier", "attempts", "last_event_id"],
    &["do_not_call", "do_not_text", "do_not_email"],
    &["event_id", "kind", "at", "channel", "step", "responded_at", "value"],
];

/// The entries of an object in model order (unknown keys, such as UTM parameters, last and
/// alphabetical).
pub(super) fn ordered(map: &Map<String, Value>) -> Vec<(&String, &Value)> {
    let order = KEY_ORDERS
        .iter()
        .find(|o| map.keys().all(|k| o.contains(&k.as_str())))
        .copied()
        .unwrap_or(&[]);
    let mut entries: Vec<(&String, &Value)> = map.iter().collect();
    entries.sort_by_key(|(k, _)| {
        let rank = order.iter().position(|o| o == k).unwrap_or(usize::MAX);
        (rank, k.as_str())
    });
    entries
}

pub(super) fn to_pretty(value: &Value) -> String {
    let mut out = String::new();
    render(value, Some(0), &mut out);
    out.push('\n');
    out
}

/// JSON text: compact when `indent` is `None`, else pretty with two-space indentation and
/// short arrays of scalars (such as `["07:00", "18:00"]`) kept on one line.
pub(super) fn render(value: &Value, indent: Option<usize>, out: &mut String) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push('{');
            for (i, (k, v)) in ordered(map).into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if let Some(n) = indent {
                    newline(out, n + 1);
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                if indent.is_some() {
                    out.push(' ');
                }
                render(v, indent.map(|n| n + 1), out);
            }
            if let Some(n) = indent {
                newline(out, n);
            }
            out.push('}');
        }
        Value::Array(items) if !items.is_empty() => {
            let Some(n) = indent else {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    render(v, None, out);
                }
                out.push(']');
                return;
            };
            let inline = inline_array(value);
            if inline.len() <= 72 && !inline.contains('{') {
                out.push_str(&inline);
                return;
            }
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, n + 1);
                render(v, Some(n + 1), out);
            }
            newline(out, n);
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// An array on one line with `", "` separators.
pub(super) fn inline_array(value: &Value) -> String {
    match value {
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().map(inline_array).collect();
            format!("[{}]", parts.join(", "))
        }
        Value::Object(_) => "{".to_string(),
        scalar => scalar.to_string(),
    }
}

pub(super) fn newline(out: &mut String, level: usize) {
    out.push('\n');
    for _ in 0..level {
        out.push_str("  ");
    }
}
