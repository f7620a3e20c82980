//! Tokenizing speech-to-text for phrase matching: lower case, apostrophes dropped
//! (`don't` → `dont`), anything else that is not a letter or digit separates tokens.

/// Normalized tokens, stored end to end in one buffer (two allocations per text, not one
/// per token).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tokens {
    buf: String,
    ends: Vec<usize>,
}

impl Tokens {
    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Token `i` (empty past the end).
    pub fn get(&self, i: usize) -> &str {
        let Some(&end) = self.ends.get(i) else {
            return "";
        };
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.buf.get(start..end).unwrap_or("")
    }

    /// The tokens in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }
}

/// Splits text into normalized tokens.
pub fn tokenize(text: &str) -> Tokens {
    let mut out = Tokens {
        buf: String::with_capacity(text.len()),
        ends: Vec::with_capacity(text.len() / 5 + 1),
    };
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.buf.push(c.to_ascii_lowercase());
        } else if c.is_alphanumeric() {
            out.buf.extend(c.to_lowercase());
        } else if matches!(c, '\'' | '\u{2019}') {
            // inside a word: drop it
        } else if out.buf.len() > out.ends.last().copied().unwrap_or(0) {
            out.ends.push(out.buf.len());
        }
    }
    if out.buf.len() > out.ends.last().copied().unwrap_or(0) {
        out.ends.push(out.buf.len());
    }
    out
}

/// Words that negate a phrase that follows within three tokens.
pub const NEGATORS: [&str; 12] = [
    "not", "no", "isnt", "wasnt", "dont", "doesnt", "didnt", "never", "without", "nothing", "aint",
    "arent",
];

/// Whether a negator stands within `window` tokens before position `start`.
pub fn negated(tokens: &Tokens, start: usize, window: usize) -> bool {
    let from = start.saturating_sub(window);
    (from..start.min(tokens.len())).any(|i| NEGATORS.contains(&tokens.get(i)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_negation() {
        let t = tokenize("It's NOT an emergency, don't worry… call me @ 5pm!");
        assert_eq!(
            t.iter().collect::<Vec<_>>(),
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
        assert!(tokenize(" ,; ").is_empty());
        assert_eq!(
            tokenize("Ünïcode  Straße").iter().collect::<Vec<_>>(),
            ["ünïcode", "straße"]
        );
        assert_eq!(t.get(99), "");
    }
}
