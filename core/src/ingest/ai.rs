//! What every voice-AI receptionist parser shares: reading the AI's own verdict (success
//! flags, structured data, custom analysis) and deciding whether a call the AI took is
//! still a missed call the business must follow up.
//!
//! The rules, in order (the table in `README.md` lists each platform's end reasons):
//!
//! 1. The caller asked for a person or a call back (`wants_human`, `callback_requested`,
//!    ...), or the AI says it failed (`success: false`, `booked: false`): follow up.
//! 2. The AI says it succeeded (`success: true`, `booked: true`): handled, not missed.
//! 3. Otherwise the end reason decides (caller hung up on the AI: follow up; the AI ended
//!    the call politely: handled; a transfer that rang out: follow up; ...).
//!
//! Missing analysis is unknown, never success.

use serde_json::{Map, Value};

use super::fields::squash;
use super::options::Ingested;
use crate::model::event::{AiReceptionist, Disposition};

/// What a voice-AI platform's end reason means for the business.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// A missed call whatever the analysis says (never connected, failed, a transfer to a
    /// person that nobody answered).
    Missed(Disposition),
    /// The AI's verdict decides; without one, follow up with this disposition (the caller
    /// hung up on the AI).
    FollowUpUnlessSuccess(Disposition),
    /// The AI's verdict decides; without one, the call was handled (the AI ended it).
    HandledUnlessFailure,
    /// Not a missed call (a person took it, spam, cancelled), with why.
    NotMissed(&'static str),
}

/// Settles a call from its end reason `raw` (mapped to `reason`) and the AI's verdict
/// ([`Signals::follow_up`]): `Ok(disposition)` for a follow-up, `Err(outcome)` for a call
/// that is handled, or that waits for an analysis still to come (`analysis_pending`).
pub(crate) fn settle(
    raw: &str,
    reason: Reason,
    verdict: Option<bool>,
    analysis_pending: Option<&str>,
) -> Result<Disposition, Ingested> {
    let handled = || Ingested::not_missed(format!("{raw}: the AI handled the call"));
    let wait = |next: &str| {
        Ingested::incomplete(format!(
            "{raw}: {next} decides whether the AI handled the call"
        ))
    };
    match (reason, verdict, analysis_pending) {
        (Reason::Missed(d), _, _) => Ok(d),
        (Reason::NotMissed(why), _, _) => Err(Ingested::not_missed(format!("{raw}: {why}"))),
        (Reason::FollowUpUnlessSuccess(_), Some(false), _) => Err(handled()),
        (Reason::FollowUpUnlessSuccess(_) | Reason::HandledUnlessFailure, None, Some(next)) => {
            Err(wait(next))
        }
        (Reason::FollowUpUnlessSuccess(d), _, _) => Ok(d),
        (Reason::HandledUnlessFailure, Some(true), _) => Ok(Disposition::Abandoned),
        (Reason::HandledUnlessFailure, _, _) => Err(handled()),
    }
}

/// Keys (compared without case, `_`, `-`, spaces) that carry the caller's intent.
const INTENT_KEYS: &[&str] = &[
    "intent",
    "captured_intent",
    "inquiry_type",
    "call_intent",
    "call_reason",
    "reason_for_call",
    "caller_intent",
    "topic",
];
/// Flags that say the caller wanted a person or a call back.
const WANTS_HUMAN_KEYS: &[&str] = &[
    "wants_human",
    "human_requested",
    "requested_human",
    "transfer_requested",
    "speak_to_human",
    "callback_requested",
    "needs_callback",
    "wants_callback",
    "call_back",
    "escalate",
    "needs_follow_up",
    "follow_up_needed",
];
/// Flags that say the task was done (true) or not (false).
const DONE_KEYS: &[&str] = &[
    "booked",
    "appointment_booked",
    "booking_made",
    "scheduled",
    "appointment_scheduled",
    "resolved",
    "handled",
    "success",
    "successful",
    "call_successful",
    "goal_achieved",
    "qualified",
];

/// The AI's verdict on one call, from whatever it reported.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Signals {
    /// The platform's success flag, when it has one and reported it.
    pub success: Option<bool>,
    /// Whether the caller asked for a person or a call back.
    pub wants_human: bool,
    /// A task flag (`booked`, `resolved`, ...), when reported.
    pub done: Option<bool>,
    /// The intent the AI captured.
    pub intent: Option<String>,
}

fn as_flag(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_f64().map(|f| f != 0.0),
        Value::String(s) => match squash(s).as_str() {
            "true" | "yes" | "y" | "1" | "pass" | "passed" | "success" | "successful" => Some(true),
            "false" | "no" | "n" | "0" | "fail" | "failed" | "failure" | "unsuccessful" => {
                Some(false)
            }
            _ => None,
        },
        _ => None,
    }
}

fn find<'a>(map: &'a Map<String, Value>, keys: &[&str]) -> Vec<&'a Value> {
    keys.iter()
        .filter_map(|k| {
            let want = squash(k);
            map.iter()
                .find(|(key, v)| !v.is_null() && squash(key) == want)
                .map(|(_, v)| v)
        })
        .collect()
}

impl Signals {
    /// Adds what a structured-data / custom-analysis / variables object says.
    pub fn read(&mut self, data: Option<&Value>) {
        let Some(map) = data.and_then(Value::as_object) else {
            return;
        };
        if self.intent.is_none() {
            self.intent = find(map, INTENT_KEYS).into_iter().find_map(|v| match v {
                Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
                _ => None,
            });
        }
        if find(map, WANTS_HUMAN_KEYS)
            .into_iter()
            .any(|v| as_flag(v) == Some(true))
        {
            self.wants_human = true;
        }
        for v in find(map, DONE_KEYS) {
            if let Some(b) = as_flag(v) {
                // One failed task outweighs another that succeeded.
                self.done = Some(self.done.unwrap_or(true) && b);
            }
        }
    }

    /// Whether the AI's own verdict settles the call: `Some(true)` follow up,
    /// `Some(false)` handled, `None` the end reason decides.
    pub fn follow_up(&self) -> Option<bool> {
        if self.wants_human || self.success == Some(false) || self.done == Some(false) {
            return Some(true);
        }
        if self.success == Some(true) || self.done == Some(true) {
            return Some(false);
        }
        None
    }
}

/// Reads a success evaluation given as text: `true`/`false`, `pass`/`fail`, a score
/// (`8` of 10, `0.9`, `85` percent) or a letter grade; `None` when it says neither.
pub(crate) fn success_text(v: &Value) -> Option<bool> {
    if let Some(b) = as_flag(v) {
        if !matches!(v, Value::Number(_)) {
            return Some(b);
        }
    }
    let n = match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().trim_end_matches('%').trim().parse::<f64>().ok(),
        _ => None,
    };
    if let Some(n) = n.filter(|n| n.is_finite() && *n >= 0.0) {
        return Some(if n <= 1.0 {
            n >= 0.5
        } else if n <= 10.0 {
            n >= 7.0
        } else if n <= 100.0 {
            n >= 70.0
        } else {
            return None;
        });
    }
    match v.as_str().map(|s| s.trim().to_ascii_uppercase()) {
        Some(g) if ["A", "A+", "A-", "B", "B+", "B-"].contains(&g.as_str()) => Some(true),
        Some(g) if ["C", "C+", "C-", "D", "D+", "D-", "E", "F"].contains(&g.as_str()) => {
            Some(false)
        }
        _ => None,
    }
}

/// The caller's own turns of a transcript (`User:`, `Customer:`, `HUMAN:`, `Caller:`),
/// joined, as a stand-in summary when the AI wrote none; at most 1,000 characters. Turns
/// may be on lines of their own or run together on one line (`AI: Hi. User: Hello.`).
pub(crate) fn caller_lines(transcript: &str) -> Option<String> {
    const CALLER: [&str; 4] = ["user:", "customer:", "human:", "caller:"];
    const OTHER: [&str; 6] = ["ai:", "agent:", "assistant:", "bot:", "system:", "ivr:"];
    let lower = transcript.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    // (position, label length, is the caller) of every role label at a word start.
    let mut marks: Vec<(usize, usize, bool)> = Vec::new();
    for (i, _) in lower.char_indices() {
        if i > 0 && !bytes[i - 1].is_ascii_whitespace() {
            continue;
        }
        let rest = &lower[i..];
        if let Some(l) = CALLER.iter().find(|l| rest.starts_with(*l)) {
            marks.push((i, l.len(), true));
        } else if let Some(l) = OTHER.iter().find(|l| rest.starts_with(*l)) {
            marks.push((i, l.len(), false));
        }
    }
    let mut out = String::new();
    for (k, &(pos, len, caller)) in marks.iter().enumerate() {
        if !caller {
            continue;
        }
        let end = marks.get(k + 1).map_or(transcript.len(), |m| m.0);
        let said = transcript[pos + len..end].trim();
        if said.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(said);
        if out.len() >= 1000 {
            let mut cut = 1000;
            while !out.is_char_boundary(cut) {
                cut -= 1;
            }
            out.truncate(cut);
            break;
        }
    }
    (!out.is_empty()).then_some(out)
}

/// The `ai_receptionist` object of an event.
pub(crate) fn receptionist(
    handled: bool,
    summary: Option<String>,
    transcript: Option<&str>,
    signals: &Signals,
) -> AiReceptionist {
    let summary = summary
        .filter(|s| !s.trim().is_empty())
        .or_else(|| transcript.and_then(caller_lines));
    AiReceptionist {
        handled,
        summary,
        captured_intent: signals.intent.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn signals_from_structured_data() {
        let mut s = Signals::default();
        s.read(Some(
            &json!({"Intent": "billing_question", "wants_human": true}),
        ));
        assert_eq!(s.intent.as_deref(), Some("billing_question"));
        assert_eq!(s.follow_up(), Some(true));

        let mut s = Signals::default();
        s.read(Some(&json!({"booked": true, "qualified": "yes"})));
        assert_eq!(s.follow_up(), Some(false));

        let mut s = Signals::default();
        s.read(Some(&json!({"booked": false, "resolved": true})));
        assert_eq!(s.follow_up(), Some(true));

        let mut s = Signals::default();
        s.read(Some(&json!({"budget": "$50k"})));
        assert_eq!(s.follow_up(), None);
    }

    #[test]
    fn success_evaluations() {
        for (v, want) in [
            (json!("true"), Some(true)),
            (json!("false"), Some(false)),
            (json!("8"), Some(true)),
            (json!("3"), Some(false)),
            (json!("0.9"), Some(true)),
            (json!("85%"), Some(true)),
            (json!("40"), Some(false)),
            (json!("B"), Some(true)),
            (json!("F"), Some(false)),
            (json!(true), Some(true)),
            (json!("pass"), Some(true)),
            (json!("maybe"), None),
        ] {
            assert_eq!(success_text(&v), want, "{v}");
        }
    }

    #[test]
    fn transcript_lines() {
        let t = "Agent: Hello\nUser: I need to move my cleaning.\nAgent: Sure\nUser:  Friday?";
        assert_eq!(
            caller_lines(t).as_deref(),
            Some("I need to move my cleaning. Friday?")
        );
        assert_eq!(caller_lines("BOT: hi"), None);
        assert_eq!(
            caller_lines("AI: How can I help? User: What's the weather? ...").as_deref(),
            Some("What's the weather? ...")
        );
        assert_eq!(
            caller_lines("BOT: Hey!\nHUMAN:  yeah i do\nBOT: Great").as_deref(),
            Some("yeah i do")
        );
        let long = format!("User: {}", "é".repeat(900));
        assert!(caller_lines(&long).is_some_and(|s| s.len() <= 1000));
    }
}
