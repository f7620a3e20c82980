//! Tokenizing speech-to-text for phrase matching: lower case, apostrophes dropped
//! (`don't` → `dont`), anything else that is not a letter or digit separates tokens.

/// Splits text into normalized tokens.
pub fn tokenize(text: &str) -> Vec<String> {
    let mut out = Vec::with_capacity(text.len() / 5 + 1);
    let mut cur = String::with_capacity(16);
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            cur.push(c.to_ascii_lowercase());
        } else if c.is_alphanumeric() {
            cur.extend(c.to_lowercase());
        } else if matches!(c, '\'' | '\u{2019}') {
            // inside a word: drop it
        } else if !cur.is_empty() {
            out.push(cur.clone());
            cur.clear();
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Words that negate a phrase that follows within three tokens.
pub const NEGATORS: [&str; 12] = [
    "not", "no", "isnt", "wasnt", "dont", "doesnt", "didnt", "never", "without", "nothing", "aint",
    "arent",
];

/// Whether a negator stands within `window` tokens before position `start`.
pub fn negated(tokens: &[String], start: usize, window: usize) -> bool {
    let from = start.saturating_sub(window);
    tokens[from..start.min(tokens.len())]
        .iter()
        .any(|t| NEGATORS.contains(&t.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_negation() {
        let t = tokenize("It's NOT an emergency, don't worry… call me @ 5pm!");
        assert_eq!(
            t,
            [
                "its",
                "not",
                "an",
                "emergency",
                "dont",
                "worry",
                "call",
                "me",
                "5pm"
            ]
        );
        assert!(negated(&t, 3, 3));
        assert!(!negated(&t, 6, 1));
        assert!(tokenize("").is_empty());
    }
}
