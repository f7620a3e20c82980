//! Phone numbers: withheld-ID detection, E.164 normalization with the `phonenumber` crate,
//! a fast matching key for CRM lookups, and masking for the audit trace.

use phonenumber::country::Id;
use phonenumber::Mode;

/// Longest raw input handed to the phone parser (vendors never send longer numbers; this
/// bounds the work on hostile input).
const MAX_RAW_LEN: usize = 64;

/// Words vendors and carriers use for a withheld or missing caller id.
const WITHHELD_WORDS: [&str; 14] = [
    "anonymous",
    "restricted",
    "unavailable",
    "private",
    "private number",
    "unknown",
    "unknown caller",
    "blocked",
    "withheld",
    "no caller id",
    "out of area",
    "o",
    "p",
    "none",
];

/// Twilio's placeholder `From` values for withheld caller id (digits only):
/// ANONYMOUS, RESTRICTED, BLOCKED, UNAVAILABLE spelled on a keypad.
const MAGIC_WITHHELD: [&str; 4] = ["266696687", "7378742833", "2562533", "8656696"];

/// Why a caller number is not usable as a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Withheld {
    /// No number at all (null or blank).
    Missing,
    /// A withheld-ID word such as `anonymous` or `RESTRICTED`.
    Word,
    /// One of Twilio's magic withheld-ID numbers.
    VendorMagicNumber,
}

impl Withheld {
    /// The reason name for traces.
    pub fn as_str(self) -> &'static str {
        match self {
            Withheld::Missing => "missing",
            Withheld::Word => "withheld_word",
            Withheld::VendorMagicNumber => "vendor_magic_number",
        }
    }
}

/// Detects a withheld caller id.
pub fn withheld(raw: Option<&str>) -> Option<Withheld> {
    let raw = match raw.map(str::trim) {
        None => return Some(Withheld::Missing),
        Some("") => return Some(Withheld::Missing),
        Some(r) => r,
    };
    let lower = raw.to_ascii_lowercase();
    if WITHHELD_WORDS.contains(&lower.as_str()) {
        return Some(Withheld::Word);
    }
    let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    let only_number_chars = raw
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '(' | ')' | '.'));
    if only_number_chars && MAGIC_WITHHELD.contains(&digits.as_str()) {
        return Some(Withheld::VendorMagicNumber);
    }
    None
}

/// A parsed caller number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    /// E.164 form.
    pub e164: String,
    /// Whether libphonenumber's metadata says the number is valid.
    pub valid: bool,
    /// ISO 3166 region of the number, when known.
    pub country: Option<String>,
}

/// Whether a raw value is a SIP/client address rather than a phone number.
pub fn is_non_pstn(raw: &str) -> bool {
    let lower = raw.trim_start().to_ascii_lowercase();
    lower.starts_with("sip:") || lower.starts_with("client:") || lower.contains('@')
}

/// Parses a number with the `phonenumber` crate, `region` being the default region for
/// national formats. `None` when it is not a phone number at all.
pub fn parse(raw: &str, region: Id) -> Option<Parsed> {
    let raw = raw.trim();
    if raw.is_empty() || raw.len() > MAX_RAW_LEN || is_non_pstn(raw) {
        return None;
    }
    if let Some(p) = fast_parse(raw, region) {
        return Some(p);
    }
    parse_with_library(raw, region)
}

fn parse_with_library(raw: &str, region: Id) -> Option<Parsed> {
    // The parser is third-party code; a bug in it must never take the host down.
    let parsed = std::panic::catch_unwind(|| {
        let number = phonenumber::parse(Some(region), raw).ok()?;
        let valid = phonenumber::is_valid(&number);
        let e164 = number.format().mode(Mode::E164).to_string();
        let country = number.country().id().map(|id| id.as_ref().to_string());
        Some(Parsed {
            e164,
            valid,
            country,
        })
    })
    .ok()
    .flatten()?;
    // E.164 is '+' and 2..=15 digits; anything else is not a usable number.
    let digits = parsed.e164.len().saturating_sub(1);
    if !parsed.e164.starts_with('+') || !(2..=15).contains(&digits) {
        return None;
    }
    Some(parsed)
}

/// The common case without the full parser: a NANP number typed in a usual way whose area
/// code and central-office code libphonenumber's metadata (via the generated NANP table)
/// marks valid as a whole. Gives exactly what the parser would; anything else is `None`.
fn fast_parse(raw: &str, region: Id) -> Option<Parsed> {
    let e164 = fast_key(raw, region)?;
    let digits = e164.strip_prefix("+1")?;
    let npa: u16 = digits.get(..3)?.parse().ok()?;
    let nxx: u16 = digits.get(3..6)?.parse().ok()?;
    let area = crate::nanp::area(npa)?;
    if !area.nxx_is_valid(nxx) {
        return None;
    }
    Some(Parsed {
        country: Some(area.country.to_string()),
        valid: true,
        e164,
    })
}

/// The full parser, bypassing the fast path (tests compare the two).
pub fn parse_full(raw: &str, region: Id) -> Option<Parsed> {
    let raw = raw.trim();
    if raw.is_empty() || raw.len() > MAX_RAW_LEN || is_non_pstn(raw) {
        return None;
    }
    parse_with_library(raw, region)
}

/// Parses an ISO 3166 alpha-2 code into a phone region id.
pub fn region(code: &str) -> Option<Id> {
    code.trim().to_ascii_uppercase().parse().ok()
}

/// Whether a region dials with country code 1 (NANP), where the fast matching key applies.
fn is_nanp_region(id: Id) -> bool {
    matches!(
        id,
        Id::US | Id::CA | Id::PR | Id::VI | Id::GU | Id::AS | Id::MP
    )
}

/// A key for matching numbers across records: the E.164 form, computed without the full
/// parser for the shapes people actually type in NANP regions (`(602) 555-0143`,
/// `602.555.0143 x12`, `1-602-555-0143`, `+1 602 555 0143`) and with it otherwise. Validity is
/// not required: a number stored badly must still match the same bad number.
pub fn match_key(raw: &str, region: Id) -> Option<String> {
    let raw = raw.trim();
    if raw.is_empty() || raw.len() > MAX_RAW_LEN {
        return None;
    }
    if let Some(key) = fast_key(raw, region) {
        return Some(key);
    }
    parse(raw, region).map(|p| p.e164)
}

fn fast_key(raw: &str, region: Id) -> Option<String> {
    // Cut an extension ("x12", "ext. 12", "#12", ";ext=12"); any other letter (vanity
    // numbers such as 1-800-FLOWERS) goes to the full parser.
    let body = match raw.find(|c: char| c.is_ascii_alphabetic() || matches!(c, '#' | ';' | ',')) {
        Some(i) => {
            let rest = raw[i..].to_ascii_lowercase();
            let is_ext = ["x", "ext", "#", ";ext", ","]
                .iter()
                .any(|m| rest.starts_with(m));
            if !is_ext {
                return None;
            }
            &raw[..i]
        }
        None => raw,
    };
    let mut digits = String::with_capacity(16);
    let mut plus = false;
    for (i, c) in body.char_indices() {
        match c {
            '0'..='9' => digits.push(c),
            '+' if body[..i].trim().is_empty() => plus = true,
            ' ' | '-' | '.' | '(' | ')' | '/' | '\u{a0}' => {}
            _ => return None, // anything else: let the parser decide
        }
    }
    if body.contains("(0)") {
        return None;
    }
    let b = digits.as_bytes();
    let nanp =
        |d: &[u8]| d.len() == 10 && (b'2'..=b'9').contains(&d[0]) && (b'2'..=b'9').contains(&d[3]);
    if plus {
        if b.first() == Some(&b'1') && nanp(&b[1..]) {
            return Some(format!("+{digits}"));
        }
        return None;
    }
    if !is_nanp_region(region) {
        return None;
    }
    if nanp(b) {
        return Some(format!("+1{digits}"));
    }
    if b.len() == 11 && b[0] == b'1' && nanp(&b[1..]) {
        return Some(format!("+{digits}"));
    }
    None
}

/// Masks a phone number for the audit trace: keeps the `+` and country code digit and the
/// last four digits (`+1******0143`).
pub fn mask(number: &str) -> String {
    let total = number.chars().filter(char::is_ascii_digit).count();
    let mut seen = 0;
    number
        .chars()
        .map(|c| {
            if c.is_ascii_digit() {
                seen += 1;
                if (seen == 1 && number.starts_with('+')) || seen + 4 > total {
                    c
                } else {
                    '*'
                }
            } else {
                c
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_people_type_them() {
        let us = Id::US;
        for raw in [
            "(602) 555-0143",
            "602.555.0143",
            "602-555-0143 x12",
            "602-555-0143 ext. 12",
            "602 555 0143 EXT 9",
            "1-602-555-0143",
            "+1 602 555 0143",
            "+1 (602) 555-0143",
            "16025550143",
            "6025550143",
            "\u{a0}+1 602 555 0143",
            " 602/555-0143 ",
        ] {
            assert_eq!(
                match_key(raw, us).as_deref(),
                Some("+16025550143"),
                "{raw:?}"
            );
        }
        // Vanity numbers go through the full parser.
        assert_eq!(
            match_key("1-800-FLOWERS", us).as_deref(),
            Some("+18003569377")
        );
        // Non-NANP numbers too.
        assert_eq!(
            match_key("+44 330 818 6690", us).as_deref(),
            Some("+443308186690")
        );
        assert_eq!(match_key("", us), None);
    }

    #[test]
    fn withheld_forms() {
        assert_eq!(withheld(None), Some(Withheld::Missing));
        assert_eq!(withheld(Some("  ")), Some(Withheld::Missing));
        assert_eq!(withheld(Some("Anonymous")), Some(Withheld::Word));
        assert_eq!(
            withheld(Some("+7378742833")),
            Some(Withheld::VendorMagicNumber)
        );
        assert_eq!(
            withheld(Some("+2562533")),
            Some(Withheld::VendorMagicNumber)
        );
        assert_eq!(
            withheld(Some("+8656696")),
            Some(Withheld::VendorMagicNumber)
        );
        assert_eq!(withheld(Some("+16025550143")), None);
    }

    #[test]
    fn masking_keeps_country_digit_and_last_four() {
        assert_eq!(mask("+16025550143"), "+1******0143");
        assert_eq!(mask("(602) 555-0143"), "(***) ***-0143");
    }
}
