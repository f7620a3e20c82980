//! The opt-out detector's vocabulary and word classes, loaded from
//! `core/data/opt_out_lexicon.json` (compiled in) into a hash table of spellings and the
//! class lists the phrase grammar asks about.

use once_cell::sync::Lazy;
use serde::Deserialize;
use std::collections::BTreeMap;

use super::END;

/// The vocabulary and word classes, from `core/data/opt_out_lexicon.json` (compiled in).
pub(super) const LEXICON_JSON: &str = include_str!("../../../data/opt_out_lexicon.json");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct LexiconFile {
    #[serde(rename = "about")]
    pub(super) _about: String,
    pub(super) vocabulary: Vec<VocabularyGroup>,
    pub(super) classes: BTreeMap<String, ClassFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct VocabularyGroup {
    #[serde(rename = "group")]
    pub(super) _group: String,
    /// `[canonical, other spellings...]`.
    pub(super) entries: Vec<Vec<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ClassFile {
    #[serde(default, rename = "about")]
    pub(super) _about: Option<String>,
    /// Classes whose words belong to this one too.
    #[serde(default)]
    pub(super) also: Vec<String>,
    pub(super) words: Vec<String>,
}

/// The word classes the phrase grammar asks about (the keys of `classes` in the data).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Class {
    Soft,
    Filler,
    BareFiller,
    Negator,
    Link,
    Reporting,
    FirstPerson,
    Gerund,
    Verb,
    Participle,
    ContactNoun,
    NounMod,
    Det,
    ListDet,
    ListMod,
    CourtesyOrEnd,
    TimeWord,
}

pub(super) const CLASSES: [(Class, &str); 17] = [
    (Class::Soft, "soft"),
    (Class::Filler, "filler"),
    (Class::BareFiller, "bare_filler"),
    (Class::Negator, "negator"),
    (Class::Link, "link"),
    (Class::Reporting, "reporting"),
    (Class::FirstPerson, "first_person"),
    (Class::Gerund, "gerund"),
    (Class::Verb, "verb"),
    (Class::Participle, "participle"),
    (Class::ContactNoun, "contact_noun"),
    (Class::NounMod, "noun_mod"),
    (Class::Det, "det"),
    (Class::ListDet, "list_det"),
    (Class::ListMod, "list_mod"),
    (Class::CourtesyOrEnd, "courtesy_or_end"),
    (Class::TimeWord, "time_word"),
];

/// The compiled lexicon: an open-addressing hash table from spelling to canonical form
/// (keyed by [`fnv`] over the normalized bytes) and each class's words, `also` expanded.
#[derive(Debug, Default)]
pub(super) struct Lexicon {
    pub(super) canons: Vec<String>,
    pub(super) table: Vec<Option<(Box<str>, u32)>>,
    pub(super) classes: Vec<Vec<String>>,
}

impl Lexicon {
    /// Compiles the data file; an error names what is wrong in it.
    pub(super) fn parse(text: &str) -> std::result::Result<Lexicon, String> {
        let file: LexiconFile = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let mut canons: Vec<String> = Vec::new();
        let mut forms: Vec<(String, u32)> = Vec::new();
        for g in &file.vocabulary {
            for entry in &g.entries {
                let Some(canon) = entry.first() else {
                    return Err("an empty vocabulary entry".to_string());
                };
                let index = u32::try_from(canons.len()).map_err(|e| e.to_string())?;
                if canons.contains(canon) {
                    return Err(format!("canonical form `{canon}` appears twice"));
                }
                canons.push(canon.clone());
                for form in entry {
                    if form.is_empty() || form.len() > MAX_WORD {
                        return Err(format!("spelling `{form}` is empty or too long"));
                    }
                    if forms.iter().any(|(f, _)| f == form) {
                        return Err(format!("spelling `{form}` appears twice"));
                    }
                    forms.push((form.clone(), index));
                }
            }
        }
        let slots = (forms.len() * 2 + 1).next_power_of_two();
        let mut table: Vec<Option<(Box<str>, u32)>> = vec![None; slots];
        for (form, index) in forms {
            let mut h = FNV_OFFSET;
            for &b in form.as_bytes() {
                h = fnv(h, b);
            }
            let mut i = slot(h, slots);
            while matches!(table.get(i), Some(Some(_))) {
                i = (i + 1) % slots;
            }
            if let Some(cell) = table.get_mut(i) {
                *cell = Some((form.into_boxed_str(), index));
            }
        }
        let mut classes = Vec::with_capacity(CLASSES.len());
        for (_, name) in CLASSES {
            let mut words = Vec::new();
            let mut todo = vec![name.to_string()];
            let mut seen: Vec<String> = Vec::new();
            while let Some(n) = todo.pop() {
                if seen.contains(&n) {
                    continue;
                }
                let class = file
                    .classes
                    .get(&n)
                    .ok_or_else(|| format!("class `{n}` is missing"))?;
                for w in &class.words {
                    if w != END && w != "#" && !canons.contains(w) {
                        return Err(format!("class `{n}`: `{w}` is no canonical form"));
                    }
                    if !words.contains(w) {
                        words.push(w.clone());
                    }
                }
                todo.extend(class.also.iter().cloned());
                seen.push(n);
            }
            classes.push(words);
        }
        if let Some(extra) = file
            .classes
            .keys()
            .find(|k| !CLASSES.iter().any(|(_, n)| n == k))
        {
            return Err(format!("class `{extra}` is not used by the grammar"));
        }
        Ok(Lexicon {
            canons,
            table,
            classes,
        })
    }
}

/// The lexicon, compiled on first use. The data is compiled into the crate and checked by
/// a test; were it ever unreadable, nothing would be in the vocabulary (no panic).
pub(super) static LEXICON: Lazy<Lexicon> =
    Lazy::new(|| Lexicon::parse(LEXICON_JSON).unwrap_or_default());

/// The longest spelling in the vocabulary, in bytes.
pub(super) const MAX_WORD: usize = 24;

pub(super) const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// One FNV-1a step.
pub(super) fn fnv(h: u64, b: u8) -> u64 {
    (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
}

pub(super) fn slot(h: u64, slots: usize) -> usize {
    // the low bits of the mixed hash; `slots` is a power of two
    usize::try_from(h ^ (h >> 32)).unwrap_or(0) % slots.max(1)
}

/// Canonical form of a normalized word with FNV-1a hash `h`, `""` outside the vocabulary.
pub(super) fn lookup(w: &[u8], h: u64) -> &'static str {
    let lex: &'static Lexicon = &LEXICON;
    let slots = lex.table.len();
    let mut i = slot(h, slots);
    for _ in 0..slots {
        match lex.table.get(i) {
            Some(Some((form, index))) if form.as_bytes() == w => {
                return usize::try_from(*index)
                    .ok()
                    .and_then(|k| lex.canons.get(k))
                    .map_or("", String::as_str);
            }
            Some(Some(_)) => i = (i + 1) % slots,
            _ => return "",
        }
    }
    ""
}

/// Whether canonical form `c` is in `class`.
pub(super) fn is(class: Class, c: &str) -> bool {
    LEXICON
        .classes
        .get(class as usize)
        .is_some_and(|words| words.iter().any(|w| w == c))
}
