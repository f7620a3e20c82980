//! Opt-out language in a voicemail transcript (compliance notes §1.5 and §3).
//!
//! Under the FCC's revocation rule (47 CFR 64.1200(a)(10), FCC 24-18) consent may be revoked
//! by any reasonable means. A reply containing *stop, quit, end, revoke, opt out, cancel* or
//! *unsubscribe* is per se a revocation, and so is any wording a reasonable person would read
//! as one. A voicemail is not a one-word SMS reply, though: "i need to cancel my appointment",
//! "the water won't stop running" and "at the end of the day" are ordinary requests. So
//! [`detect`] looks for whole opt-out *phrases* (`stop calling me`, `take me off your list`,
//! `don't call this number`, ...), and takes a keyword alone only when it is the whole
//! transcript (`STOP`, `stop please`, `Unsubscribe.`).
//!
//! The transcript is tokenized once, without regular expressions: lower case, any character
//! that is not a letter or digit separates words (an apostrophe inside a word is kept, so
//! `don't`, `don’t`, `dont`, `don t` and `do not` are the same word), and every word
//! remembers whether it was inside double quotes. Each word is mapped to a canonical
//! vocabulary entry and the phrase families match on those.
//!
//! Two rules cancel a match:
//! * **Negation.** A negator (`not`, `never`, `no`, `don't`, `won't`, `can't`, `didn't`,
//!   `isn't`, ...) within the 3 words before the phrase (filler such as `please`, `um`, `you`,
//!   `to` not counted) cancels it, when only filler or linking words (`asking`, `want`,
//!   `need`, `saying`, `the`, ...) stand between the two: "please don't stop calling me",
//!   "i'm not asking you to stop calling", "no need to take me off the list". A word that
//!   closes the clause ("i'm not interested stop calling me", "i don't care stop calling")
//!   ends the search. `no` directly before the phrase is an interjection ("no, stop calling
//!   me"), a negator followed by `you` is a question ("why don't you stop calling me"), and a
//!   negator right after `you` / `you people` / `you guys` is a complaint to the business
//!   ("you people won't stop calling me"): none of these cancel. The `do not ...` family is never cancelled this way: its negation is the request.
//! * **Reported speech.** A phrase entirely inside double quotes (straight or curly) with a
//!   reporting verb (`said`, `says`, `told`, `tells`, `asked`, `wrote`, `texted`, `saying`,
//!   ...) in the 4 words before the opening quote is someone else's words: `my wife said
//!   "stop calling" but i do want the quote`. When the reporting verb's subject is the
//!   caller (`i said "stop calling me"`) it still counts. Quotes alone do not cancel.
//!
//! A time restriction right after a `stop ...` or `do not ...` phrase makes it a scheduling
//! instruction, not a revocation: "please don't call me before nine", "don't call me at
//! work", "in the morning", "until after five". A `do not ...` phrase is also not taken
//! after `if`, `unless`, `why`, `when` ("if you don't call me back by friday", "why don't you
//! call me"), nor as a complaint ("you guys never call me back", "they don't call me").
//!
//! The function is pure and total: no I/O, no clock, and no input can make it panic. Per
//! call it allocates only the token vector and the result; the vocabulary hash table is
//! built once, on first use.

mod lexicon;
#[cfg(test)]
mod tests;

use serde::Serialize;

use lexicon::*;

/// An opt-out request found in a transcript.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OptOut {
    /// The matched words as they appear in the transcript, in lower case, separated by
    /// single spaces, with apostrophes kept (`don't call this number again`).
    pub phrase: String,
    /// The pattern family that matched: one of [`RULES`].
    pub rule: &'static str,
}

/// Every value [`OptOut::rule`] can take.
///
/// * `bare_keyword`: the whole transcript, ignoring filler and punctuation, is `stop`,
///   `stopall`, `quit`, `end`, `cancel`, `unsubscribe`, `revoke`, `optout`, `opt out`,
///   `remove` or `arret`.
/// * `stop_contacting`: `stop|quit|cease calling|texting|... (me|this number)`, `stop the
///   calls`, `stop sending me texts`, `cancel these text messages`, `these calls need to
///   stop`, `cease and desist`.
/// * `do_not_contact`: `don't|do not|never call|text|contact|... me|us|this number|here|
///   again|anymore|back`, `please don't call` (at the end, or before `thanks`, `bye`, `i`),
///   `don't bother calling`, `i don't want any more calls`, `i don't want to be contacted`,
///   `can you not call me`.
/// * `remove_from_list`: `take|remove|get|delete me|my number off|from your (calling)
///   list|database|system`, `take me off`, `remove me`, `put|add me on|to your do not call
///   list`, `i'm on the do not call list`, `be removed from your list`, `i want off your
///   list`, `how do i get off your list`.
/// * `unsubscribe`: any form of the word (`un subscribe`, `unsubscribed`), unless followed
///   by `from` and something that is not a form of contact (`from the maintenance plan`).
/// * `opt_out`: `opt out`, `opt-out`, `optout`, `opted out`, `opt me out`, unless followed by
///   `of` and something that is not a form of contact (`opt out of the extended warranty`).
/// * `revoke_consent`: `revoke|withdraw|rescind (my) consent|permission`, `i do not
///   consent`, `i no longer consent`, `i don't give you permission`.
/// * `leave_alone`: `leave me|us alone|be`.
/// * `no_more_contact`: `no more|further calls|texts|messages|contact|...`.
/// * `lose_number`: `lose|forget|delete my|this number|info`.
pub const RULES: [&str; 10] = [
    "bare_keyword",
    "stop_contacting",
    "do_not_contact",
    "remove_from_list",
    "unsubscribe",
    "opt_out",
    "revoke_consent",
    "leave_alone",
    "no_more_contact",
    "lose_number",
];

/// The first opt-out request in `text` (a voicemail transcript), or `None`.
///
/// ```
/// use ringback::compliance::opt_out::detect;
///
/// let found = detect("hi um this is dave please take me off your list thanks").unwrap();
/// assert_eq!(found.rule, "remove_from_list");
/// assert_eq!(found.phrase, "take me off your list");
///
/// assert!(detect("i need to cancel my appointment for tuesday").is_none());
/// assert!(detect("please don't stop calling me").is_none());
/// assert_eq!(detect("STOP").map(|o| o.rule), Some("bare_keyword"));
/// ```
pub fn detect(text: &str) -> Option<OptOut> {
    let t = tokenize(text);
    if let Some((a, b)) = bare(&t) {
        return Some(build(text, &t, a, b, "bare_keyword"));
    }
    for i in 0..t.len() {
        if let Some(m) = match_at(&t, i) {
            if reported(&t, i, m.end) {
                continue;
            }
            if !m.inherent_negation && negated(&t, i) {
                continue;
            }
            return Some(build(text, &t, i, m.end, m.rule));
        }
    }
    None
}

// ---------------------------------------------------------------------------------------------
// Tokens

/// One word: its byte range in the transcript, its canonical form (`""` when outside the
/// vocabulary) and its quote span (0 = not quoted, else 1 + the index of the span's first
/// token).
#[derive(Debug, Clone, Copy)]
struct Tok {
    s: usize,
    e: usize,
    c: &'static str,
    q: usize,
}

/// Canonical form past the last token.
const END: &str = "<end>";

fn is_apostrophe(ch: char) -> bool {
    matches!(
        ch,
        '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}' | '`' | '\u{00B4}'
    )
}

fn tokenize(text: &str) -> Vec<Tok> {
    let mut toks: Vec<Tok> = Vec::with_capacity(text.len() / 5 + 1);
    let mut in_q = false;
    let mut q_first = 0usize;
    let mut start: Option<usize> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, ch)) = chars.next() {
        if ch.is_alphanumeric() {
            if start.is_none() {
                start = Some(i);
            }
            continue;
        }
        if is_apostrophe(ch)
            && start.is_some()
            && chars.peek().is_some_and(|&(_, n)| n.is_alphanumeric())
        {
            continue;
        }
        if let Some(s) = start.take() {
            push(&mut toks, text, s, i, if in_q { q_first } else { 0 });
        }
        let opens = match ch {
            '"' | '\u{201D}' | '\u{00BB}' => Some(!in_q),
            '\u{201C}' | '\u{201E}' | '\u{00AB}' => Some(true),
            _ => None,
        };
        if let Some(open) = opens {
            in_q = open;
            if open {
                q_first = toks.len() + 1;
            }
        }
    }
    if let Some(s) = start {
        push(
            &mut toks,
            text,
            s,
            text.len(),
            if in_q { q_first } else { 0 },
        );
    }
    toks
}

/// Appends a word, merging split negations (`do not`, `don t`, `can not`), `any more` and
/// `un subscribe` into one token.
fn push(toks: &mut Vec<Tok>, text: &str, s: usize, e: usize, q: usize) {
    let c = canon(text.get(s..e).unwrap_or(""));
    let mergeable =
        matches!(c.len(), 1 | 3 | 4 | 9) && matches!(c, "not" | "t" | "more" | "subscribe");
    if let Some(last) = toks.last_mut().filter(|_| mergeable) {
        let merged = match (last.c, c) {
            ("do", "not") | ("don", "t") => Some("do_not"),
            ("can", "not") => Some("neg"),
            (
                "won" | "can" | "didn" | "doesn" | "isn" | "wouldn" | "couldn" | "shouldn" | "aren"
                | "wasn" | "weren" | "ain" | "haven" | "hasn" | "hadn",
                "t",
            ) => Some("neg"),
            ("any", "more") => Some("anymore"),
            ("un", "subscribe") => Some("unsubscribe"),
            _ => None,
        };
        if let Some(m) = merged {
            last.c = m;
            last.e = e;
            return;
        }
    }
    toks.push(Tok { s, e, c, q });
}

/// Canonical form of one word: lower case, apostrophes dropped, common Latin accents
/// folded; `#` for numbers; `""` outside the vocabulary.
fn canon(word: &str) -> &'static str {
    let mut buf = [0u8; MAX_WORD];
    let mut n = 0usize;
    let mut h = FNV_OFFSET;
    for ch in word.chars() {
        if is_apostrophe(ch) {
            continue;
        }
        if ch.is_ascii() {
            // alphanumeric: the tokenizer keeps nothing else but apostrophes
            let Ok(b) = u8::try_from(ch.to_ascii_lowercase()) else {
                return "";
            };
            if !push_byte(&mut buf, &mut n, &mut h, b) {
                return "";
            }
            continue;
        }
        for lc in ch.to_lowercase() {
            let b = if lc.is_ascii_alphanumeric() {
                u8::try_from(lc).ok()
            } else {
                fold(lc)
            };
            match b {
                Some(b) if push_byte(&mut buf, &mut n, &mut h, b) => {}
                _ => return "",
            }
        }
    }
    let Some(word) = buf.get(..n) else { return "" };
    if word.is_empty() {
        return "";
    }
    if word.iter().all(u8::is_ascii_digit) {
        return "#";
    }
    lookup(word, h)
}

/// Appends `b` to the word buffer; false when the word is too long to be in the vocabulary.
fn push_byte(buf: &mut [u8; MAX_WORD], n: &mut usize, h: &mut u64, b: u8) -> bool {
    *h = fnv(*h, b);
    match buf.get_mut(*n) {
        Some(slot) => {
            *slot = b;
            *n += 1;
            true
        }
        None => false,
    }
}

fn fold(c: char) -> Option<u8> {
    Some(match c {
        'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => b'a',
        'ç' => b'c',
        'è' | 'é' | 'ê' | 'ë' => b'e',
        'ì' | 'í' | 'î' | 'ï' => b'i',
        'ñ' => b'n',
        'ò' | 'ó' | 'ô' | 'ö' | 'õ' => b'o',
        'ù' | 'ú' | 'û' | 'ü' => b'u',
        _ => return None,
    })
}

// ---------------------------------------------------------------------------------------------
// Word classes

/// Canonical form at `i`, or [`END`].
fn at(t: &[Tok], i: usize) -> &'static str {
    t.get(i).map_or(END, |k| k.c)
}

/// Canonical form before `i`, or [`END`].
fn before(t: &[Tok], i: usize) -> &'static str {
    i.checked_sub(1).map_or(END, |j| at(t, j))
}

/// First index at or after `i` whose word is not in the class.
fn skip(t: &[Tok], mut i: usize, class: fn(&str) -> bool) -> usize {
    while i < t.len() && class(at(t, i)) {
        i += 1;
    }
    i
}

/// Words that may sit inside a phrase without changing it.
fn soft(c: &str) -> bool {
    is(Class::Soft, c)
}

/// Words that do not count toward the negation window.
fn filler(c: &str) -> bool {
    is(Class::Filler, c)
}

/// Words a transcript may add to a bare keyword.
fn bare_filler(c: &str) -> bool {
    is(Class::BareFiller, c)
}

fn negator(c: &str) -> bool {
    is(Class::Negator, c)
}

/// Words that carry a negation on to what follows ("not *asking you to* stop").
fn link(c: &str) -> bool {
    is(Class::Link, c)
}

fn reporting(c: &str) -> bool {
    is(Class::Reporting, c)
}

fn first_person(c: &str) -> bool {
    is(Class::FirstPerson, c)
}

fn gerund(c: &str) -> bool {
    is(Class::Gerund, c)
}

fn verb(c: &str) -> bool {
    is(Class::Verb, c)
}

fn participle(c: &str) -> bool {
    is(Class::Participle, c)
}

fn contact_noun(c: &str) -> bool {
    is(Class::ContactNoun, c)
}

fn noun_mod(c: &str) -> bool {
    is(Class::NounMod, c)
}

fn det(c: &str) -> bool {
    is(Class::Det, c)
}

fn list_det(c: &str) -> bool {
    is(Class::ListDet, c)
}

fn list_mod(c: &str) -> bool {
    is(Class::ListMod, c)
}

fn courtesy_or_end(c: &str) -> bool {
    is(Class::CourtesyOrEnd, c)
}

fn time_word(c: &str) -> bool {
    is(Class::TimeWord, c)
}

// ---------------------------------------------------------------------------------------------
// Phrase families

struct Match {
    end: usize,
    rule: &'static str,
    /// The phrase is itself a negation (`don't call me`): the negation rule does not apply.
    inherent_negation: bool,
}

fn match_at(t: &[Tok], i: usize) -> Option<Match> {
    let plain = |rule: &'static str| {
        move |end: usize| Match {
            end,
            rule,
            inherent_negation: false,
        }
    };
    if let Some(m) = do_not(t, i) {
        return Some(m);
    }
    stop_contacting(t, i)
        .or_else(|| nouns_must_stop(t, i))
        .map(plain("stop_contacting"))
        .or_else(|| {
            do_not_call_list(t, i)
                .or_else(|| put_on_list(t, i))
                .or_else(|| remove_from_list(t, i))
                .map(plain("remove_from_list"))
        })
        .or_else(|| unsubscribe(t, i).map(plain("unsubscribe")))
        .or_else(|| opt_out(t, i).map(plain("opt_out")))
        .or_else(|| revoke(t, i).map(plain("revoke_consent")))
        .or_else(|| leave_alone(t, i).map(plain("leave_alone")))
        .or_else(|| no_more(t, i).map(plain("no_more_contact")))
        .or_else(|| lose_number(t, i).map(plain("lose_number")))
}

/// `me`, `us`, `this number`, `my cell phone`, `at this number`; with `loose`, also `here`,
/// `again`, `anymore`, `back`.
fn object(t: &[Tok], i: usize, loose: bool) -> Option<usize> {
    match at(t, i) {
        "me" | "us" => Some(i + 1),
        "here" | "again" | "anymore" | "back" if loose => Some(i + 1),
        "at" | "on" => number_ref(t, i + 1),
        _ => number_ref(t, i),
    }
}

/// `this|my|our|the (phone|cell|home|work|contact|mobile)* number|line|phone|cell`.
fn number_ref(t: &[Tok], i: usize) -> Option<usize> {
    if !matches!(at(t, i), "this" | "my" | "our" | "the") {
        return None;
    }
    let mut end = None;
    let mut k = i + 1;
    while k < i + 4 {
        match at(t, k) {
            "number" | "line" | "phone" | "cell" => end = Some(k + 1),
            "home" | "work" | "contact" => {}
            _ => break,
        }
        k += 1;
    }
    end
}

/// `back`, `again`, `anymore`, `ever`, `please`, `at all` after an object; the flag says
/// whether `back` was among them.
fn continuation(t: &[Tok], mut k: usize) -> (usize, bool) {
    let mut back = false;
    loop {
        match at(t, k) {
            "back" => {
                back = true;
                k += 1;
            }
            "again" | "anymore" | "ever" | "please" => k += 1,
            "at" if at(t, k + 1) == "all" => k += 2,
            _ => return (k, back),
        }
    }
}

/// A time restriction after the phrase ("don't call me before nine", "at work", "in the
/// morning"): a scheduling instruction, not a revocation. `strict` also counts `now`,
/// `today`, `later`, ... (for `don't call me right now`; `stop calling me now` is emphasis).
fn time_restricted(t: &[Tok], k: usize, strict: bool) -> bool {
    let k = skip(t, k, |c| matches!(c, "um" | "just"));
    match at(t, k) {
        "before" | "after" | "until" | "during" | "between" | "while" | "when" | "if"
        | "unless" | "early" | "late" => true,
        "now" | "right" | "today" | "tomorrow" | "tonight" | "later" | "yet" => strict,
        "at" | "in" | "on" | "this" | "next" | "so" | "too" => {
            let n = if at(t, k + 1) == "the" { k + 2 } else { k + 1 };
            time_word(at(t, n))
        }
        _ => false,
    }
}

/// `don't|do not|never|no longer ...`: `call|text|... me|this number|again`, `bother
/// calling`, `want (you to call me|calls|to be contacted)`, `consent`, `give you permission`.
fn do_not(t: &[Tok], i: usize) -> Option<Match> {
    let opener = at(t, i);
    let j = match opener {
        "do_not" | "never" => i + 1,
        "not" if matches!(before(t, i), "you" | "please") => i + 1,
        "no" if at(t, i + 1) == "longer" => i + 2,
        _ => return None,
    };
    // "if you don't call me back", "why don't you call me"
    if (i.saturating_sub(4)..i)
        .any(|k| matches!(at(t, k), "if" | "unless" | "why" | "whether" | "when"))
    {
        return None;
    }
    let subject = subject_before(t, i);
    if matches!(
        subject,
        Some("they" | "he" | "she" | "it" | "people" | "nobody" | "someone" | "company")
    ) {
        return None;
    }
    let j = skip(t, j, |c| {
        soft(c)
            || matches!(
                c,
                "you" | "guys" | "yall" | "ever" | "even" | "all" | "dare"
            )
    });
    let found = |end: usize, rule: &'static str| Match {
        end,
        rule,
        inherent_negation: true,
    };
    match at(t, j) {
        "consent" => return Some(found(j + 1, "revoke_consent")),
        "give" => {
            let k = skip(t, j + 1, |c| {
                soft(c) || matches!(c, "you" | "guys" | "yall" | "your" | "my" | "any" | "the")
            });
            return (at(t, k) == "consent").then(|| found(k + 1, "revoke_consent"));
        }
        "want" => return want(t, j + 1).map(|end| found(end, "do_not_contact")),
        _ => {}
    }
    // "i don't call", "we never text": the caller describing themself
    if subject.is_some_and(first_person) {
        return None;
    }
    let (end, back) = match verb_object(t, j, true) {
        Some(found) => found,
        // "please don't call", "don't text thanks", "don't call i'll call you"
        None if verb(at(t, j)) && at(t, j) != "reach" => {
            let (end, _) = continuation(t, j + 1);
            let next = at(t, end);
            if !(courtesy_or_end(next) || first_person(next)) {
                return None;
            }
            (end, false)
        }
        None => return None,
    };
    // "you never call me back", "you guys don't call me back": a complaint
    if subject.is_some() && (opener == "never" || back) {
        return None;
    }
    if time_restricted(t, end, true) {
        return None;
    }
    Some(found(end, "do_not_contact"))
}

/// The subject right before `i`, if it is a pronoun or similar.
fn subject_before(t: &[Tok], i: usize) -> Option<&'static str> {
    let mut k = i;
    while k > 0 && i - k < 4 {
        k -= 1;
        let c = at(t, k);
        match c {
            "um" | "just" | "so" | "and" | "even" => {}
            "i" | "im" | "we" | "you" | "guys" | "yall" | "they" | "he" | "she" | "it"
            | "people" | "nobody" | "someone" | "company" => return Some(c),
            _ => return None,
        }
    }
    None
}

/// `call (or text) me|this number (again|back)`, `bother calling`, `reach out to me`.
fn verb_object(t: &[Tok], j: usize, loose: bool) -> Option<(usize, bool)> {
    let v = at(t, j);
    if !verb(v) {
        return None;
    }
    let mut k = j + 1;
    if v == "bother" && gerund(at(t, k)) {
        k += 1;
    }
    while matches!(at(t, k), "or" | "and") && (verb(at(t, k + 1)) || gerund(at(t, k + 1))) {
        k += 2;
    }
    if v == "reach" {
        if at(t, k) != "out" {
            return None;
        }
        k += 1;
        if at(t, k) == "to" {
            k += 1;
        }
    }
    let k = skip(t, k, soft);
    let end = object(t, k, loose)?;
    let (end, back) = continuation(t, end);
    Some((end, back || at(t, k) == "back"))
}

/// After `don't want`: `(you) (to) call me`, `(to) be contacted`, `(to get) any more calls`.
fn want(t: &[Tok], j: usize) -> Option<usize> {
    let k = skip(t, j, |c| {
        soft(c) || matches!(c, "you" | "guys" | "yall" | "to" | "anyone")
    });
    if matches!(at(t, k), "be" | "get") && participle(at(t, k + 1)) {
        let (end, _) = continuation(t, k + 2);
        return (!time_restricted(t, end, true)).then_some(end);
    }
    let n = skip(t, k, |c| {
        matches!(c, "get" | "receive" | "more" | "no") || det(c) || noun_mod(c)
    });
    if n > k || contact_noun(at(t, n)) {
        // "i don't want the calls to stop" wants the calls
        let ok = contact_noun(at(t, n)) && at(t, n + 1) != "to" && !time_restricted(t, n + 1, true);
        return ok.then_some(n + 1);
    }
    let end = if gerund(at(t, k)) {
        let end = object(t, k + 1, false)?;
        continuation(t, end).0
    } else {
        verb_object(t, k, false)?.0
    };
    (!time_restricted(t, end, true)).then_some(end)
}

/// `(det)* (mod)* calls|texts|...` starting at `k`.
fn noun_phrase(t: &[Tok], k: usize) -> Option<usize> {
    head_phrase(t, k, (3, det), (3, noun_mod), contact_noun)
}

/// Up to `dets.0` determiners, up to `mods.0` modifiers, then a head word, from `k`:
/// the end of the phrase when the head matches.
fn head_phrase(
    t: &[Tok],
    k: usize,
    dets: (usize, fn(&str) -> bool),
    mods: (usize, fn(&str) -> bool),
    head: fn(&str) -> bool,
) -> Option<usize> {
    let mut m = k;
    while m < k + dets.0 && (dets.1)(at(t, m)) {
        m += 1;
    }
    let d = m;
    while m < d + mods.0 && (mods.1)(at(t, m)) {
        m += 1;
    }
    head(at(t, m)).then_some(m + 1)
}

/// `stop|quit|cease calling (me)`, `stop (with) the calls`, `stop sending me texts`,
/// `cancel these text messages`, `cease and desist`.
fn stop_contacting(t: &[Tok], i: usize) -> Option<usize> {
    let opener = at(t, i);
    if opener == "cease" && at(t, i + 1) == "and" && at(t, i + 2) == "desist" {
        return Some(i + 3);
    }
    let is_stop = matches!(opener, "stop" | "quit" | "cease");
    if !is_stop && opener != "cancel" {
        return None;
    }
    let j = skip(t, i + 1, |c| {
        soft(c) || matches!(c, "all" | "you" | "guys" | "yall")
    });
    let n = if at(t, j) == "with" { j + 1 } else { j };
    if let Some(end) = noun_phrase(t, n) {
        // "cancel the reminders (for my old appointment)" is about the appointment
        if is_stop || before(t, end) != "reminders" {
            return Some(end);
        }
    }
    if !is_stop {
        return None;
    }
    let g = at(t, j);
    let mut k = match g {
        "sending" => return noun_phrase(t, skip(t, j + 1, |c| matches!(c, "me" | "us"))),
        "reaching" if at(t, j + 1) == "out" => {
            if at(t, j + 2) == "to" {
                j + 3
            } else {
                j + 2
            }
        }
        _ if gerund(g) => j + 1,
        _ => return None,
    };
    while matches!(at(t, k), "or" | "and") && gerund(at(t, k + 1)) {
        k += 2;
    }
    if matches!(
        at(t, k),
        "him" | "her" | "them" | "it" | "his" | "their" | "around" | "people" | "everyone"
    ) {
        return None;
    }
    let (end, has_object) = match object(t, k, true) {
        Some(e) => (e, true),
        None => (k, false),
    };
    if !has_object {
        // "the phone won't stop ringing" needs an object; "i'll stop calling (you)" is the
        // caller talking about themself.
        if matches!(g, "ringing" | "phoning") || first_person_subject(t, i) {
            return None;
        }
    }
    let (end, _) = continuation(t, end);
    (!time_restricted(t, end, false)).then_some(end)
}

/// Whether the caller is the subject of the verb at `i` ("i'll stop calling", "i'm gonna
/// quit calling").
fn first_person_subject(t: &[Tok], i: usize) -> bool {
    let mut k = i;
    while k > 0 && i - k < 5 {
        k -= 1;
        let c = at(t, k);
        if first_person(c) {
            return true;
        }
        if !matches!(
            c,
            "would"
                | "can"
                | "just"
                | "going"
                | "to"
                | "have"
                | "got"
                | "need"
                | "want"
                | "am"
                | "um"
                | "ever"
                | "even"
        ) {
            return false;
        }
    }
    false
}

/// `these calls need to stop`, `i want the texts to stop`.
fn nouns_must_stop(t: &[Tok], i: usize) -> Option<usize> {
    if !contact_noun(at(t, i)) {
        return None;
    }
    let k = skip(t, i + 1, |c| {
        matches!(c, "to" | "need" | "have" | "got" | "would" | "just" | "um")
    });
    (k > i + 1 && matches!(at(t, k), "stop" | "end" | "cease")).then_some(k + 1)
}

/// `do not call list`, `no call list`, `dnc (list)`.
fn do_not_call_list(t: &[Tok], i: usize) -> Option<usize> {
    match at(t, i) {
        "do_not" | "no" => (matches!(at(t, i + 1), "call" | "contact" | "text" | "calling")
            && at(t, i + 2) == "list")
            .then_some(i + 3),
        "dnc" => Some(if at(t, i + 1) == "list" { i + 2 } else { i + 1 }),
        _ => None,
    }
}

/// `put|add me|my number on|to your do not call list`.
fn put_on_list(t: &[Tok], i: usize) -> Option<usize> {
    if at(t, i) != "put" {
        return None;
    }
    let k = caller_ref(t, skip(t, i + 1, soft))?;
    if !matches!(at(t, k), "on" | "to" | "in") {
        return None;
    }
    let end = list_target(t, k + 1)?;
    (k + 1..end)
        .any(|m| matches!(at(t, m), "do_not" | "dnc" | "no"))
        .then_some(end)
}

/// `me`, `us`, or `my|this|our|the (phone|cell|...)* number|name|info|...`.
fn caller_ref(t: &[Tok], i: usize) -> Option<usize> {
    if matches!(at(t, i), "me" | "us") {
        return Some(i + 1);
    }
    if !matches!(at(t, i), "this" | "my" | "our" | "the") {
        return None;
    }
    let mut end = None;
    let mut k = i + 1;
    while k < i + 4 {
        match at(t, k) {
            "number" | "line" | "phone" | "cell" | "name" | "info" | "email" | "contact" => {
                end = Some(k + 1)
            }
            "home" | "work" => {}
            _ => break,
        }
        k += 1;
    }
    end
}

/// `(your|the|...)* (calling|contact|...)* list|database|system|...`.
fn list_target(t: &[Tok], k: usize) -> Option<usize> {
    head_phrase(t, k, (4, list_det), (3, list_mod), |w| w == "list")
}

/// `take|remove|get|delete me|my number off|from|out of (the) list`, `take me off`,
/// `remove me`, `(be) removed from your list`.
fn remove_from_list(t: &[Tok], i: usize) -> Option<usize> {
    let opener = at(t, i);
    if opener == "removed" {
        let k = skip(t, i + 1, soft);
        let p = preposition(t, k)?;
        return list_target(t, p);
    }
    // "i want off your list", "how do i get off your list"
    if matches!(opener, "get" | "want" | "be") {
        if let Some(end) = preposition(t, i + 1).and_then(|p| list_target(t, p)) {
            return Some(end);
        }
    }
    if !matches!(opener, "remove" | "take" | "get" | "delete") {
        return None;
    }
    let k = caller_ref(t, skip(t, i + 1, soft))?;
    let k = skip(t, k, soft);
    let Some(p) = preposition(t, k) else {
        return (opener == "remove" && courtesy_or_end(at(t, k))).then_some(k);
    };
    if let Some(end) = list_target(t, p) {
        return Some(end);
    }
    (at(t, k) == "off" && opener != "delete" && courtesy_or_end(at(t, p))).then_some(p)
}

/// `off (of)`, `from`, `out of`: the index after it.
fn preposition(t: &[Tok], k: usize) -> Option<usize> {
    match at(t, k) {
        "off" if at(t, k + 1) == "of" => Some(k + 2),
        "off" | "from" => Some(k + 1),
        "out" if at(t, k + 1) == "of" => Some(k + 2),
        _ => None,
    }
}

/// `opt out`, `optout`, `opted out`, `opt me out`, not `opt out of <something else>`.
fn opt_out(t: &[Tok], i: usize) -> Option<usize> {
    let end = match at(t, i) {
        "optout" => i + 1,
        "opt" if at(t, i + 1) == "out" => i + 2,
        "opt" if matches!(at(t, i + 1), "me" | "us") && at(t, i + 2) == "out" => i + 3,
        _ => return None,
    };
    about_contact(t, end, "of").then_some(end)
}

/// `unsubscribe (me)`, not `unsubscribe from <something else>`.
fn unsubscribe(t: &[Tok], i: usize) -> Option<usize> {
    if at(t, i) != "unsubscribe" {
        return None;
    }
    let end = if matches!(at(t, i + 1), "me" | "us") {
        i + 2
    } else {
        i + 1
    };
    about_contact(t, end, "from").then_some(end)
}

/// Unless `end` is `prep` (`of`, `from`) followed by something other than a form of contact
/// (`opt out of the extended warranty`, `unsubscribe from the maintenance plan`).
fn about_contact(t: &[Tok], end: usize, prep: &str) -> bool {
    if at(t, end) != prep {
        return true;
    }
    let mut k = end + 1;
    while k < end + 4 && (det(at(t, k)) || at(t, k) == "of") {
        k += 1;
    }
    let what = at(t, k);
    what == END
        || contact_noun(what)
        || gerund(what)
        || matches!(
            what,
            "list"
                | "contact"
                | "marketing"
                | "text"
                | "it"
                | "them"
                | "everything"
                | "messaging"
                | "email"
                | "phone"
                | "sales"
                | "automated"
                | "robo"
                | "telemarketing"
                | "promotional"
                | "solicitation"
                | "newsletter"
                | "you"
                | "guys"
                | "company"
        )
}

/// `revoke|withdraw|rescind (my|all|any) consent|permission`.
fn revoke(t: &[Tok], i: usize) -> Option<usize> {
    if at(t, i) != "revoke" {
        return None;
    }
    let k = skip(t, i + 1, |c| {
        soft(c)
            || matches!(
                c,
                "my" | "all" | "any" | "our" | "the" | "your" | "this" | "that"
            )
    });
    (at(t, k) == "consent").then_some(k + 1)
}

/// `leave me|us alone|be`.
fn leave_alone(t: &[Tok], i: usize) -> Option<usize> {
    if at(t, i) != "leave" {
        return None;
    }
    let k = skip(t, i + 1, soft);
    if !matches!(at(t, k), "me" | "us") {
        return None;
    }
    let k = skip(t, k + 1, soft);
    matches!(at(t, k), "alone" | "be").then_some(k + 1)
}

/// `no more|further calls|texts|contact|calling ...`.
fn no_more(t: &[Tok], i: usize) -> Option<usize> {
    if at(t, i) != "no" || !matches!(at(t, i + 1), "more" | "further") {
        return None;
    }
    let k = skip(t, i + 2, soft);
    if matches!(
        at(t, k),
        "contact" | "calling" | "texting" | "messaging" | "contacting"
    ) {
        return Some(k + 1);
    }
    noun_phrase(t, k)
}

/// `lose|forget|delete my|this number|info`.
fn lose_number(t: &[Tok], i: usize) -> Option<usize> {
    if !matches!(at(t, i), "lose" | "delete") || !matches!(at(t, i + 1), "my" | "this" | "our") {
        return None;
    }
    let mut k = i + 2;
    while k < i + 5 {
        match at(t, k) {
            "number" | "info" | "contact" => return Some(k + 1),
            "phone" | "cell" | "home" | "work" => k += 1,
            _ => return None,
        }
    }
    None
}

/// The whole transcript is an opt-out keyword (plus filler): `STOP`, `stop please`,
/// `Unsubscribe.`, `opt out`.
fn bare(t: &[Tok]) -> Option<(usize, usize)> {
    let mut first = None;
    let mut last = 0;
    let mut i = 0;
    while i < t.len() {
        let c = at(t, i);
        if bare_filler(c) {
            i += 1;
            continue;
        }
        let n = match c {
            "stop" | "stopall" | "quit" | "end" | "cancel" | "unsubscribe" | "revoke"
            | "optout" | "remove" | "arret" => 1,
            "opt" if at(t, i + 1) == "out" => 2,
            _ => return None,
        };
        first.get_or_insert(i);
        i += n;
        last = i;
    }
    first.map(|f| (f, last))
}

// ---------------------------------------------------------------------------------------------
// Cancelling rules

/// A negator in the 3 words before `p` (filler not counted) that governs the phrase.
fn negated(t: &[Tok], p: usize) -> bool {
    let mut counted = 0;
    let mut linked = false;
    let mut k = p;
    while k > 0 && counted < 3 && p - k < 12 {
        k -= 1;
        let c = at(t, k);
        if negator(c) {
            // "why won't you stop calling me" is a request
            if matches!(at(t, k + 1), "you" | "yall") && k + 1 < p {
                return false;
            }
            // "you people won't stop calling me" is a complaint addressed to the business:
            // the caller wants it to end, so the negation does not cancel the opt-out.
            if !linked && addressed_to_business(t, k) {
                return false;
            }
            // "no, stop calling me" is an interjection
            return c != "no" || linked;
        }
        if filler(c) {
            continue;
        }
        if !link(c) {
            return false;
        }
        counted += 1;
        linked = true;
    }
    false
}

/// The negator at `k` has the business as its subject: `you`, `y'all`, `u`, or `you
/// people` / `you guys` / `you all` right before it.
fn addressed_to_business(t: &[Tok], k: usize) -> bool {
    let Some(prev) = k.checked_sub(1).map(|j| at(t, j)) else {
        return false;
    };
    match prev {
        "you" | "yall" | "u" => true,
        "people" | "guys" | "all" => k >= 2 && matches!(at(t, k - 2), "you" | "yall"),
        _ => false,
    }
}

/// The phrase `a..b` is inside one quoted span opened right after a reporting verb whose
/// subject is not the caller.
fn reported(t: &[Tok], a: usize, b: usize) -> bool {
    let Some(q) = t.get(a).map(|k| k.q) else {
        return false;
    };
    if q == 0 || !t.get(a..b).is_some_and(|s| s.iter().all(|k| k.q == q)) {
        return false;
    }
    let open = q - 1;
    (open.saturating_sub(4)..open)
        .any(|k| reporting(at(t, k)) && !(k.saturating_sub(2)..k).any(|j| first_person(at(t, j))))
}

/// The result: tokens `a..b` as written, lower case, single spaces.
fn build(text: &str, t: &[Tok], a: usize, b: usize, rule: &'static str) -> OptOut {
    let s = t.get(a).map_or(0, |k| k.s);
    let e = b.checked_sub(1).and_then(|l| t.get(l)).map_or(s, |k| k.e);
    let slice = text.get(s..e).unwrap_or("");
    let mut phrase = String::with_capacity(slice.len());
    let mut gap = false;
    let mut chars = slice.chars().peekable();
    while let Some(ch) = chars.next() {
        if ch.is_alphanumeric() {
            if gap && !phrase.is_empty() {
                phrase.push(' ');
            }
            gap = false;
            phrase.extend(ch.to_lowercase());
        } else if is_apostrophe(ch)
            && !gap
            && !phrase.is_empty()
            && chars.peek().is_some_and(|n| n.is_alphanumeric())
        {
            phrase.push('\'');
        } else {
            gap = true;
        }
    }
    OptOut { phrase, rule }
}
