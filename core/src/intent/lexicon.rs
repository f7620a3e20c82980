//! Phrase lexicons compiled once per vertical at `Engine::new`: a map from each phrase's first
//! token to the phrases that start with it, so a transcript is matched in one pass over its
//! tokens (word-boundary exact by construction, case and punctuation tolerant).

use std::collections::HashMap;

use super::tokens::{negated, tokenize, Tokens};

/// What a phrase is evidence for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// An inquiry type (index into the vertical's taxonomy).
    Type(usize),
    /// Urgency at least high.
    RaiseHigh,
    /// Danger language: at least high, and evidence for emergency types.
    RaiseCritical,
    /// Explicit calm: low urgency unless something raises it.
    LowerLow,
}

#[derive(Debug, Clone)]
struct Phrase {
    rest: Vec<String>,
    text: String,
    target: Target,
    weight: f64,
}

/// A compiled lexicon.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    by_first: HashMap<String, Vec<Phrase>>,
    len: usize,
}

/// One phrase found in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// The phrase as written in the lexicon.
    pub phrase: String,
    /// What it is evidence for.
    pub target: Target,
    /// Its weight (log-odds).
    pub weight: f64,
    /// Whether a negator stood just before it (the weight then does not count).
    pub negated: bool,
}

impl Lexicon {
    /// Adds a phrase. Empty phrases are ignored.
    pub fn add(&mut self, phrase: &str, target: Target, weight: f64) {
        let toks = tokenize(phrase);
        let mut toks = toks.iter();
        let Some(first) = toks.next() else {
            return;
        };
        let rest = toks.map(str::to_string).collect();
        self.by_first
            .entry(first.to_string())
            .or_default()
            .push(Phrase {
                rest,
                text: phrase.to_string(),
                target,
                weight,
            });
        self.len += 1;
    }

    /// Number of phrases.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the lexicon is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Every phrase occurrence in the token list (each phrase counted once per text).
    pub fn scan(&self, tokens: &Tokens) -> Vec<Hit> {
        let mut hits: Vec<Hit> = Vec::new();
        for (i, tok) in tokens.iter().enumerate() {
            let Some(list) = self.by_first.get(tok) else {
                continue;
            };
            for p in list {
                let end = i + 1 + p.rest.len();
                if end > tokens.len()
                    || !p
                        .rest
                        .iter()
                        .enumerate()
                        .all(|(k, r)| tokens.get(i + 1 + k) == r)
                {
                    continue;
                }
                if hits
                    .iter()
                    .any(|h| h.phrase == p.text && h.target == p.target)
                {
                    continue;
                }
                hits.push(Hit {
                    phrase: p.text.clone(),
                    target: p.target,
                    weight: p.weight,
                    negated: negated(tokens, i, 3),
                });
            }
        }
        hits
    }
}
