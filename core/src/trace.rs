//! The trace every pipeline piece writes into (one entry per rule evaluated), with phone
//! masking, and the `text!` formatting helper. Below the pipeline: stages, intent,
//! compliance and templates all write here.

use std::borrow::Cow;

use once_cell::sync::Lazy;
use serde::Deserialize;

use crate::model::decision::TraceEntry;
use crate::model::policy::TraceLevel;
use crate::phone;

/// Collects trace entries at the policy's level; masks phone numbers unless the policy
/// allows PII.
#[derive(Debug)]
pub struct Trace {
    entries: Vec<TraceEntry>,
    include_pii: bool,
    level: TraceLevel,
}

impl Trace {
    /// An empty trace keeping what `level` asks for.
    pub fn new(include_pii: bool, level: TraceLevel) -> Self {
        Trace {
            entries: Vec::with_capacity(if level == TraceLevel::Off { 0 } else { 48 }),
            include_pii,
            level,
        }
    }

    /// Whether entries keep their detail in words (`full`). Callers with a costly detail
    /// use the `trace_push!` macro, which formats only then.
    pub fn keeps_detail(&self) -> bool {
        self.level == TraceLevel::Full
    }

    /// Records one rule evaluation; the detail is kept at level `full` only.
    pub fn push(
        &mut self,
        stage: &'static str,
        rule: &'static str,
        result: impl Into<Cow<'static, str>>,
        detail: impl Into<Cow<'static, str>>,
    ) {
        match self.level {
            TraceLevel::Off => {}
            TraceLevel::Codes => self.push_code(stage, rule, result),
            TraceLevel::Full => self.entries.push(TraceEntry {
                stage,
                rule,
                result: result.into(),
                detail: Some(detail.into()),
            }),
        }
    }

    /// Records one rule evaluation without its detail: nothing at level `off`, and at
    /// `codes` nothing for a rule whose outcome the decision states in a field of its own
    /// (`core/data/trace_rules.json`).
    pub fn push_code(
        &mut self,
        stage: &'static str,
        rule: &'static str,
        result: impl Into<Cow<'static, str>>,
    ) {
        if self.level != TraceLevel::Off {
            let result = result.into();
            if self.level == TraceLevel::Codes && stated(stage, rule, &result) {
                return;
            }
            self.entries.push(TraceEntry {
                stage,
                rule,
                result,
                detail: None,
            });
        }
    }

    /// A phone number as it may appear in the trace.
    pub fn pii<'a>(&self, number: &'a str) -> Cow<'a, str> {
        if self.include_pii {
            Cow::Borrowed(number)
        } else {
            Cow::Owned(phone::mask(number))
        }
    }

    /// The entries, in evaluation order.
    pub fn into_entries(self) -> Vec<TraceEntry> {
        self.entries
    }
}

const TRACE_RULES_JSON: &str = include_str!("../data/trace_rules.json");

/// One rule whose outcome a decision field states.
#[derive(Deserialize)]
struct Stated {
    stage: String,
    rule: String,
    #[serde(default)]
    result: Option<String>,
}

#[derive(Deserialize)]
struct TraceRules {
    stated: Vec<Stated>,
}

/// The table, and a mask of its rule ids' lengths (most traced rules are ruled out by
/// their length alone: every traced rule asks).
static STATED: Lazy<(Vec<Stated>, u64)> = Lazy::new(|| {
    let stated = serde_json::from_str::<TraceRules>(TRACE_RULES_JSON)
        .map(|t| t.stated)
        .unwrap_or_default();
    let lengths = stated
        .iter()
        .fold(0u64, |m, s| m | (1u64 << s.rule.len().min(63)));
    (stated, lengths)
});

/// Whether the decision states this rule's outcome in a field of its own, so the `codes`
/// trace leaves the entry out.
pub fn stated(stage: &str, rule: &str, result: &str) -> bool {
    let (table, lengths) = &*STATED;
    lengths & (1u64 << rule.len().min(63)) != 0
        && table.iter().any(|s| {
            s.rule == rule && s.stage == stage && s.result.as_deref().is_none_or(|r| r == result)
        })
}

/// Formats `args` into a string with room for a typical trace line (see the `text!` macro).
pub(crate) fn text(args: std::fmt::Arguments<'_>) -> String {
    if let Some(s) = args.as_str() {
        return s.to_string();
    }
    let mut s = String::with_capacity(128);
    // Writing into a `String` cannot fail.
    let _ = std::fmt::Write::write_fmt(&mut s, args);
    s
}

/// At most 80 characters of `s`, for error messages.
pub(crate) fn clip(s: &str) -> String {
    match s.char_indices().nth(80) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// The trace in words, one line per rule: `stage/rule = result: detail`.
pub fn render(entries: &[TraceEntry]) -> String {
    let mut out = String::with_capacity(entries.len() * 80);
    for e in entries {
        out.push_str(e.stage);
        out.push('/');
        out.push_str(e.rule);
        out.push_str(" = ");
        out.push_str(&e.result);
        if let Some(d) = e.detail.as_deref().filter(|d| !d.is_empty()) {
            out.push_str(": ");
            out.push_str(d);
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stated_table_loads_and_filters_codes_only() {
        assert!(STATED.0.len() >= 10, "core/data/trace_rules.json parses");
        assert!(stated("decision", "status", "follow_up"));
        assert!(stated("compliance", "consent", "pass"));
        assert!(
            !stated("compliance", "consent", "block"),
            "a failed check stays"
        );
        assert!(!stated("identity", "crm_match", "0"));
        let mut codes = Trace::new(false, TraceLevel::Codes);
        codes.push_code("decision", "status", "follow_up");
        codes.push_code("identity", "crm_match", "0");
        let mut full = Trace::new(false, TraceLevel::Full);
        full.push("decision", "status", "follow_up", "why");
        full.push("identity", "crm_match", "0", "none");
        assert_eq!(codes.into_entries().len(), 1);
        assert_eq!(full.into_entries().len(), 2);
    }
}
