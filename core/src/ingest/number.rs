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

/// The caller number for the canonical event: a dialable E.164 number, or `anonymous`
/// for anything else that names a caller (a withheld word, a vendor magic number, a SIP
/// user name or `client:` address without a number in it, a short code, an extension, a
/// trunk name), `None` when missing. A `sip:+14155550100@host` address gives its number.
/// Never a number that cannot be dialled back (`102` never becomes `+1102`).
pub fn caller(raw: Option<&str>, region: Id, hint: Hint) -> Option<String> {
    let raw = raw.map(str::trim).filter(|r| !r.is_empty())?;
    if phone::withheld(Some(raw)).is_some() {
        return Some(WITHHELD.to_string());
    }
    let candidate = sip_user(raw).unwrap_or(raw);
    Some(dialable(candidate, region, hint).unwrap_or_else(|| WITHHELD.to_string()))
}

/// The user part of a `sip:` / `sips:` / `tel:` address when it is written as a number
/// (`sip:+14155550100@pbx.example.com;user=phone`), else `None`.
fn sip_user(raw: &str) -> Option<&str> {
    let lower = raw
        .get(..5)
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let rest = if lower.starts_with("sips:") {
        &raw[5..]
    } else if lower.starts_with("sip:") || lower.starts_with("tel:") {
        &raw[4..]
    } else {
        return None;
    };
    let user = rest.split(['@', ';']).next().unwrap_or("");
    let numeric = !user.is_empty()
        && user
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | '.' | '(' | ')' | ' '));
    numeric.then_some(user)
}

/// E.164 form of `raw` when it is a number a person can dial back: in the NANP, ten digits
/// whose area and exchange codes both start with 2–9 (the shape of every dialable North
/// American number, including the 555 numbers of test data); elsewhere, valid for its
/// country per libphonenumber's metadata, or of a length the country's numbering plan
/// allows (libphonenumber's "possible number", which keeps reserved drama ranges such as
/// `+44 7700 900000`). Extensions (`102`), short codes (`72345`), service codes, trunk and
/// SIP user names are not.
pub fn dialable(raw: &str, region: Id, hint: Hint) -> Option<String> {
    let e = e164(raw, region, hint)?;
    if let Some(national) = e.strip_prefix("+1") {
        let b = national.as_bytes();
        let shape = b.len() == 10
            && b.iter().all(u8::is_ascii_digit)
            && (b'2'..=b'9').contains(&b[0])
            && (b'2'..=b'9').contains(&b[3]);
        return shape.then_some(e);
    }
    match phone::parse(&e, region) {
        Some(p) if p.valid || possible_length(&p.e164) => Some(p.e164),
        _ => None,
    }
}

/// Whether the national part of an E.164 number has a length its country code allows.
fn possible_length(e164: &str) -> bool {
    let Some(digits) = e164.strip_prefix('+') else {
        return false;
    };
    let database = &*phonenumber::metadata::DATABASE;
    for cc_len in 1..=3.min(digits.len()) {
        let (cc, national) = digits.split_at(cc_len);
        let Ok(code) = cc.parse::<u16>() else {
            return false;
        };
        if let Some(metas) = database.by_code(&code) {
            // Country calling codes are prefix-free: the first that exists is the one.
            let len = national.len() as u16;
            return !national.is_empty()
                && metas.iter().any(|m| {
                    let d = m.descriptors();
                    [
                        Some(d.general()),
                        d.fixed_line(),
                        d.mobile(),
                        d.toll_free(),
                        d.voip(),
                        d.personal_number(),
                        d.uan(),
                    ]
                    .into_iter()
                    .flatten()
                    .any(|x| x.possible_length().contains(&len))
                });
        }
    }
    false
}

/// Whether a caller party given only as an extension (digits, at most 6) is an internal
/// extension rather than an outside number.
pub fn is_extension(raw: &str) -> bool {
    let t = raw.trim();
    !t.is_empty() && t.len() <= 6 && t.bytes().all(|b| b.is_ascii_digit())
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
        for not_dialable in [
            "client:alice",
            "sip:frontdesk@pbx.example.com",
            "102",
            "72345",
            "iatizeia",
            "+1102",
            "911",
            "+15551234567",
        ] {
            assert_eq!(
                caller(Some(not_dialable), us, Hint::Any).as_deref(),
                Some(WITHHELD),
                "{not_dialable}"
            );
        }
        assert_eq!(
            caller(
                Some("sip:+14155550100@pbx.example.com;user=phone"),
                us,
                Hint::Any
            )
            .as_deref(),
            Some("+14155550100")
        );
        assert_eq!(
            caller(Some("380671234567"), us, Hint::Any).as_deref(),
            Some("+380671234567")
        );
        assert_eq!(
            caller(Some("+15558675310"), us, Hint::Any).as_deref(),
            Some("+15558675310")
        );
        assert_eq!(
            caller(Some("+1 (214) 865-4559"), us, Hint::Any).as_deref(),
            Some("+12148654559")
        );
    }
}
