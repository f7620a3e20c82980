//! Caller and tracking numbers as vendors send them, to E.164 where possible:
//! E.164 (`+14045558514`), spaced E.164 (`+44 330 818 6690`, Aircall), digits without the
//! `+` (`447700900000`, Vonage), national dashed (`866-555-1234`, Invoca) or bracketed
//! (`(404) 555-8514`, CTM), withheld words (`anonymous`, `restricted`, ...) and Twilio's
//! magic withheld-ID numbers (`+266696687` = ANONYMOUS). Built on [`crate::phone`].

use phonenumber::country::Id;

use crate::phone;

/// How to read a number that has digits only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hint {
    /// National format in the region unless it only makes sense as international.
    Any,
    /// The vendor always sends full international numbers, without the `+` (Vonage).
    International,
}

/// What the canonical event carries for a withheld caller id.
pub const WITHHELD: &str = "anonymous";

/// The caller number for the canonical event: E.164 when it is a phone number,
/// `anonymous` when withheld (a withheld word or a vendor magic number), the trimmed raw
/// value otherwise (`sip:` / `client:` addresses), `None` when missing.
pub fn caller(raw: Option<&str>, region: Id, hint: Hint) -> Option<String> {
    let raw = raw.map(str::trim).filter(|r| !r.is_empty())?;
    if phone::withheld(Some(raw)).is_some() {
        return Some(WITHHELD.to_string());
    }
    Some(e164(raw, region, hint).unwrap_or_else(|| raw.to_string()))
}

/// E.164 form of a number in any of the vendor formats, or `None` when it is not one
/// (withheld, SIP address, garbage).
pub fn e164(raw: &str, region: Id, hint: Hint) -> Option<String> {
    let raw = raw.trim();
    if raw.is_empty() || raw.len() > 64 || phone::is_non_pstn(raw) {
        return None;
    }
    if phone::withheld(Some(raw)).is_some() {
        return None;
    }
    let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    let numeric = raw
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '(' | ')' | '.' | '/'));
    let has_plus = raw.starts_with('+') || raw.starts_with("00");
    if numeric && !has_plus && hint == Hint::International && digits.len() >= 8 {
        return international(&digits, region);
    }
    if let Some(p) = phone::parse(raw, region) {
        if p.valid || has_plus {
            return Some(p.e164);
        }
        // A national reading that is not valid: digits-only numbers of international
        // length are more likely missing their `+`.
        if numeric && digits.len() >= 11 {
            if let Some(i) = international(&digits, region) {
                return Some(i);
            }
        }
        return Some(p.e164);
    }
    if numeric && (8..=15).contains(&digits.len()) {
        if has_plus {
            return Some(format!("+{}", digits.trim_start_matches("00")));
        }
        if digits.len() >= 11 {
            return international(&digits, region);
        }
    }
    None
}

fn international(digits: &str, region: Id) -> Option<String> {
    let plus = format!("+{digits}");
    match phone::parse(&plus, region) {
        Some(p) => Some(p.e164),
        None if (8..=15).contains(&digits.len()) => Some(plus),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vendor_formats() {
        let us = Id::US;
        let cases: [(&str, Hint, Option<&str>); 12] = [
            ("+14045558514", Hint::Any, Some("+14045558514")),
            ("+44 330 818 6690", Hint::Any, Some("+443308186690")),
            ("+43 720 880079", Hint::Any, Some("+43720880079")),
            ("447700900000", Hint::International, Some("+447700900000")),
            ("442079460000", Hint::Any, Some("+442079460000")),
            ("866-555-1234", Hint::Any, Some("+18665551234")),
            ("(404) 555-8514", Hint::Any, Some("+14045558514")),
            ("14045558514", Hint::International, Some("+14045558514")),
            ("sip:alice@example.com", Hint::Any, None),
            ("anonymous", Hint::Any, None),
            ("+266696687", Hint::Any, None),
            ("not a number", Hint::Any, None),
        ];
        for (raw, hint, want) in cases {
            assert_eq!(e164(raw, us, hint).as_deref(), want, "{raw}");
        }
    }

    #[test]
    fn callers() {
        let us = Id::US;
        assert_eq!(caller(None, us, Hint::Any), None);
        assert_eq!(caller(Some("  "), us, Hint::Any), None);
        assert_eq!(
            caller(Some("Anonymous"), us, Hint::Any).as_deref(),
            Some(WITHHELD)
        );
        assert_eq!(
            caller(Some("+7378742833"), us, Hint::Any).as_deref(),
            Some(WITHHELD)
        );
        assert_eq!(
            caller(Some("client:alice"), us, Hint::Any).as_deref(),
            Some("client:alice")
        );
        assert_eq!(
            caller(Some("+1 (214) 865-4559"), us, Hint::Any).as_deref(),
            Some("+12148654559")
        );
    }
}
