//! SMS encoding and segment counting per 3GPP TS 23.038 / TS 23.040.
//!
//! A message that uses only characters from the GSM 03.38 default alphabet (the basic
//! table plus the extension table reached through the escape code) is sent as GSM-7;
//! anything else forces UCS-2 for the whole message.
//!
//! * **GSM-7**: a basic-table character costs 1 septet, an extension-table character
//!   costs 2 (escape + code). Up to 160 septets fit in one SMS; a concatenated message
//!   carries 153 septets per segment, and an escape pair is never split across segments.
//! * **UCS-2**: every UTF-16 code unit costs 1 (a character outside the Basic
//!   Multilingual Plane, such as most emoji, costs 2). Up to 70 units fit in one SMS; a
//!   concatenated message carries 67 units per segment, and a surrogate pair is never
//!   split across segments.
//!
//! Empty text is reported as GSM-7 with 0 units and **0 segments**: nothing is sent.
//!
//! ```
//! use ringback::sms::{analyze, Encoding};
//!
//! let info = analyze("Sorry we missed your call! Reply here to book.");
//! assert_eq!(info.encoding, Encoding::Gsm7);
//! assert_eq!(info.segments, 1);
//!
//! let info = analyze("Thanks 👍");
//! assert_eq!(info.encoding, Encoding::Ucs2);
//! assert_eq!(info.units, 9);
//! ```

pub use crate::model::vocab::Encoding;

/// The result of [`analyze`]: how a text would be encoded and how many SMS it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SmsInfo {
    /// The encoding the whole message needs.
    pub encoding: Encoding,
    /// Septets for GSM-7 (extension-table characters count 2), UTF-16 code units for UCS-2.
    pub units: usize,
    /// Number of SMS segments; 0 for empty text.
    pub segments: usize,
    /// Number of Unicode scalar values in the text.
    pub chars: usize,
}

/// Septets in a single-part GSM-7 message.
const GSM7_SINGLE: usize = 160;
/// Septets per segment of a concatenated GSM-7 message (7 septets go to the UDH).
const GSM7_MULTI: usize = 153;
/// UTF-16 code units in a single-part UCS-2 message.
const UCS2_SINGLE: usize = 70;
/// UTF-16 code units per segment of a concatenated UCS-2 message.
const UCS2_MULTI: usize = 67;

/// The escape code at position 0x1B of the basic table; it is not a character itself.
const ESC: char = '\u{1B}';

/// The GSM 03.38 default alphabet basic table, indexed by septet value (TS 23.038 §6.2.1).
/// Position 0x1B is the escape to the extension table, stored as U+001B and never
/// treated as a sendable character.
const GSM7_BASIC: [char; 128] = [
    // 0x00
    '@', '£', '$', '¥', 'è', 'é', 'ù', 'ì', 'ò', 'Ç', '\n', 'Ø', 'ø', '\r', 'Å', 'å',
    // 0x10
    'Δ', '_', 'Φ', 'Γ', 'Λ', 'Ω', 'Π', 'Ψ', 'Σ', 'Θ', 'Ξ', ESC, 'Æ', 'æ', 'ß', 'É',
    // 0x20
    ' ', '!', '"', '#', '¤', '%', '&', '\'', '(', ')', '*', '+', ',', '-', '.', '/',
    // 0x30
    '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', ':', ';', '<', '=', '>', '?',
    // 0x40
    '¡', 'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O',
    // 0x50
    'P', 'Q', 'R', 'S', 'T', 'U', 'V', 'W', 'X', 'Y', 'Z', 'Ä', 'Ö', 'Ñ', 'Ü', '§',
    // 0x60
    '¿', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o',
    // 0x70
    'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z', 'ä', 'ö', 'ñ', 'ü', 'à',
];

/// The GSM 03.38 extension table characters (TS 23.038 §6.2.1.1), each sent as
/// ESC + code and so costing 2 septets: form feed (0x0A), `^` (0x14), `{` (0x28),
/// `}` (0x29), `\` (0x2F), `[` (0x3C), `~` (0x3D), `]` (0x3E), `|` (0x40), `€` (0x65).
const GSM7_EXTENSION: [char; 10] = ['\u{0C}', '^', '{', '}', '\\', '[', '~', ']', '|', '€'];

/// Septet cost of `c` in GSM-7: `Some(1)` for the basic table, `Some(2)` for the
/// extension table, `None` if it cannot be sent as GSM-7.
/// GSM-7 cost of each ASCII character (0 = not in GSM-7), built from the tables once, so
/// the common case is an index instead of a table scan.
static ASCII_COST: once_cell::sync::Lazy<[u8; 128]> = once_cell::sync::Lazy::new(|| {
    let mut t = [0u8; 128];
    for (i, slot) in t.iter_mut().enumerate() {
        let c = char::from(i as u8);
        *slot = match slow_cost(c) {
            Some(n) => n as u8,
            None => 0,
        };
    }
    t
});

fn gsm7_cost(c: char) -> Option<usize> {
    if c.is_ascii() {
        return match ASCII_COST[c as usize] {
            0 => None,
            n => Some(usize::from(n)),
        };
    }
    slow_cost(c)
}

fn slow_cost(c: char) -> Option<usize> {
    if c == ESC {
        None
    } else if GSM7_BASIC.contains(&c) {
        Some(1)
    } else if GSM7_EXTENSION.contains(&c) {
        Some(2)
    } else {
        None
    }
}

/// Greedily packs characters of the given unit costs into segments.
///
/// Messages of at most `single` units take one segment (none if empty); longer ones are
/// filled `multi` units at a time, and a character that does not fit whole in the
/// remainder of a segment starts the next one.
fn count_segments(costs: impl Iterator<Item = usize>, single: usize, multi: usize) -> usize {
    let mut total = 0usize;
    let mut segments = 0usize;
    let mut used = 0usize;
    for cost in costs {
        total = total.saturating_add(cost);
        if segments == 0 || used.saturating_add(cost) > multi {
            segments = segments.saturating_add(1);
            used = 0;
        }
        used = used.saturating_add(cost);
    }
    if total == 0 {
        0
    } else if total <= single {
        1
    } else {
        segments
    }
}

/// Analyzes `text` as an SMS body: encoding, length in units, segment count and
/// character count, following 3GPP TS 23.038 / TS 23.040.
///
/// Empty text gives GSM-7, 0 units, 0 segments, 0 chars.
pub fn analyze(text: &str) -> SmsInfo {
    // GSM-7 (the common case) in one pass: costs, segments and characters together.
    let table = &*ASCII_COST;
    let (mut chars, mut units, mut segments, mut used) = (0usize, 0usize, 0usize, 0usize);
    let mut gsm7 = true;
    for c in text.chars() {
        let cost = if c.is_ascii() {
            usize::from(table[c as usize])
        } else {
            slow_cost(c).unwrap_or(0)
        };
        if cost == 0 {
            gsm7 = false;
            break;
        }
        chars += 1;
        units = units.saturating_add(cost);
        if segments == 0 || used.saturating_add(cost) > GSM7_MULTI {
            segments = segments.saturating_add(1);
            used = 0;
        }
        used = used.saturating_add(cost);
    }
    if gsm7 {
        return SmsInfo {
            encoding: Encoding::Gsm7,
            units,
            segments: match units {
                0 => 0,
                u if u <= GSM7_SINGLE => 1,
                _ => segments,
            },
            chars,
        };
    }
    analyze_slow(text)
}

/// [`analyze`] by separate passes (UCS-2 texts, or GSM-7 as a reference in tests).
fn analyze_slow(text: &str) -> SmsInfo {
    let chars = text.chars().count();
    if is_gsm7(text) {
        // Every character has a cost here; the fallback is unreachable.
        let costs = || text.chars().map(|c| gsm7_cost(c).unwrap_or(1));
        SmsInfo {
            encoding: Encoding::Gsm7,
            units: costs().fold(0usize, usize::saturating_add),
            segments: count_segments(costs(), GSM7_SINGLE, GSM7_MULTI),
            chars,
        }
    } else {
        let costs = || text.chars().map(char::len_utf16);
        SmsInfo {
            encoding: Encoding::Ucs2,
            units: costs().fold(0usize, usize::saturating_add),
            segments: count_segments(costs(), UCS2_SINGLE, UCS2_MULTI),
            chars,
        }
    }
}

/// True if every character of `text` is in the GSM 03.38 basic or extension table
/// (so the message can be sent as GSM-7). Empty text is GSM-7.
pub fn is_gsm7(text: &str) -> bool {
    text.chars().all(|c| gsm7_cost(c).is_some())
}

/// The GSM-7 replacement for a typographic character, if it is one.
fn typographic_replacement(c: char) -> Option<&'static str> {
    match c {
        '\u{201C}' | '\u{201D}' => Some("\""), // “ ”
        '\u{2018}' | '\u{2019}' => Some("'"),  // ‘ ’
        '\u{2013}' | '\u{2014}' => Some("-"),  // – —
        '\u{2026}' => Some("..."),             // …
        '\u{00A0}' => Some(" "),               // non-breaking space
        _ => None,
    }
}

/// If `text` needs UCS-2 only because of typographic characters (curly quotes “ ” ‘ ’,
/// en/em dashes – —, the ellipsis … and the non-breaking space), returns the text with
/// them replaced by GSM equivalents (`"` `"` `'` `'` `-` `-` `...` and a plain space).
///
/// Returns `None` if `text` is already GSM-7, or if characters outside the GSM alphabet
/// would remain after the replacement.
pub fn gsm_safe_suggestion(text: &str) -> Option<String> {
    if is_gsm7(text) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match typographic_replacement(c) {
            Some(rep) => out.push_str(rep),
            None if gsm7_cost(c).is_some() => out.push(c),
            None => return None,
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(n: usize) -> String {
        "a".repeat(n)
    }

    #[test]
    fn encoding_names_and_serde() {
        assert_eq!(Encoding::Gsm7.as_str(), "gsm7");
        assert_eq!(Encoding::Ucs2.as_str(), "ucs2");
        assert_eq!(serde_json::to_string(&Encoding::Gsm7).unwrap(), "\"gsm7\"");
        assert_eq!(serde_json::to_string(&Encoding::Ucs2).unwrap(), "\"ucs2\"");
    }

    #[test]
    fn one_pass_matches_separate_passes() {
        let mut texts: Vec<String> = vec![
            String::new(),
            "Hi {there} [x] ~ | € ^ \\ ok".to_string(),
            "Café über Ñandú — “quoted” 😀".to_string(),
        ];
        for n in [1, 159, 160, 161, 306, 307, 400] {
            texts.push(plain(n));
            texts.push(format!("{}{}", plain(n), "€"));
            texts.push(format!("{}{}", "{".repeat(n), "a"));
        }
        for t in &texts {
            assert_eq!(analyze(t), analyze_slow(t), "{t:?}");
        }
    }

    #[test]
    fn table_shape() {
        assert_eq!(GSM7_BASIC.len(), 128);
        for (i, a) in GSM7_BASIC.iter().enumerate() {
            for b in &GSM7_BASIC[i + 1..] {
                assert_ne!(a, b, "duplicate in basic table");
            }
            assert!(!GSM7_EXTENSION.contains(a), "{a:?} in both tables");
        }
        // Spot-check positions against TS 23.038.
        assert_eq!(GSM7_BASIC[0x00], '@');
        assert_eq!(GSM7_BASIC[0x09], 'Ç');
        assert_eq!(GSM7_BASIC[0x10], 'Δ');
        assert_eq!(GSM7_BASIC[0x1B], ESC);
        assert_eq!(GSM7_BASIC[0x24], '¤');
        assert_eq!(GSM7_BASIC[0x40], '¡');
        assert_eq!(GSM7_BASIC[0x5F], '§');
        assert_eq!(GSM7_BASIC[0x60], '¿');
        assert_eq!(GSM7_BASIC[0x7F], 'à');
        // Printable ASCII is in the basic table except the extension characters and the
        // backtick (which is in neither table).
        for c in ' '..='~' {
            let expected = !matches!(c, '`' | '^' | '{' | '}' | '\\' | '[' | ']' | '~' | '|');
            assert_eq!(GSM7_BASIC.contains(&c), expected, "{c:?}");
        }
    }

    #[test]
    fn odd_basic_table_characters_are_gsm7() {
        for s in [
            "@", "£", "$", "¥", "è", "é", "ù", "ì", "ò", "Ç", "Ø", "ø", "Å", "å", "_", "Æ", "æ",
            "ß", "É", "¤", "¡", "Ä", "Ö", "Ñ", "Ü", "§", "¿", "ä", "ö", "ñ", "ü", "à", "\n", "\r",
        ] {
            let info = analyze(s);
            assert_eq!(info.encoding, Encoding::Gsm7, "{s:?}");
            assert_eq!(info.units, 1, "{s:?}");
        }
    }

    #[test]
    fn extension_characters_cost_two() {
        for s in ["\u{0C}", "^", "{", "}", "\\", "[", "~", "]", "|", "€"] {
            let info = analyze(s);
            assert_eq!(info.encoding, Encoding::Gsm7, "{s:?}");
            assert_eq!(info.units, 2, "{s:?}");
            assert_eq!(info.chars, 1);
            assert_eq!(info.segments, 1);
        }
    }

    #[test]
    fn non_gsm_controls_and_backtick_force_ucs2() {
        // Tab, a literal ESC and the backtick are in neither table.
        for s in ["\t", "\u{1B}", "`"] {
            assert_eq!(analyze(s).encoding, Encoding::Ucs2, "{s:?}");
            assert!(!is_gsm7(s));
        }
    }

    #[test]
    fn ascii_160_is_one_segment() {
        let info = analyze(&plain(160));
        assert_eq!(
            info,
            SmsInfo {
                encoding: Encoding::Gsm7,
                units: 160,
                segments: 1,
                chars: 160
            }
        );
    }

    #[test]
    fn ascii_161_is_two_segments() {
        // 153 + 8
        let info = analyze(&plain(161));
        assert_eq!(info.units, 161);
        assert_eq!(info.segments, 2);
    }

    #[test]
    fn ascii_306_and_307() {
        assert_eq!(analyze(&plain(306)).segments, 2); // 153 + 153
        assert_eq!(analyze(&plain(307)).segments, 3); // 153 + 153 + 1
    }

    #[test]
    fn extension_chars_push_over_single_limit() {
        // 159 + 2 = 161 septets -> concatenated: 153 + 8.
        let info = analyze(&format!("{}€", plain(159)));
        assert_eq!(info.encoding, Encoding::Gsm7);
        assert_eq!(info.units, 161);
        assert_eq!(info.chars, 160);
        assert_eq!(info.segments, 2);

        let info = analyze(&format!("{}{{", plain(159)));
        assert_eq!(info.units, 161);
        assert_eq!(info.segments, 2);

        // 158 + 2 = 160 septets still fits one SMS.
        let info = analyze(&format!("{}€", plain(158)));
        assert_eq!(info.units, 160);
        assert_eq!(info.segments, 1);
    }

    #[test]
    fn escape_pair_not_split_152_euro_10() {
        // 152 + 2 + 10 = 164 septets -> concatenated.
        // Segment 1: 152 septets; the € needs 2 but only 1 is left, so ESC+€ moves:
        // segment 1 = 152, segment 2 = 2 + 10 = 12. Two segments.
        let info = analyze(&format!("{}€{}", plain(152), plain(10)));
        assert_eq!(info.units, 164);
        assert_eq!(info.segments, 2);
    }

    #[test]
    fn escape_pair_not_split_changes_count() {
        // 152 + 2 + 152 = 306 septets: ceil(306 / 153) would say 2, but the € can't
        // straddle: segment 1 = 152, segment 2 = 2 + 151 = 153, segment 3 = 1.
        let info = analyze(&format!("{}€{}", plain(152), plain(152)));
        assert_eq!(info.units, 306);
        assert_eq!(info.segments, 3);

        // Same length with the € at the boundary exactly filling segment 1: 151 + 2 = 153.
        let info = analyze(&format!("{}€{}", plain(151), plain(153)));
        assert_eq!(info.units, 306);
        assert_eq!(info.segments, 2);
    }

    #[test]
    fn cafe_is_gsm7_but_lowercase_c_cedilla_is_not() {
        let info = analyze("café");
        assert_eq!(info.encoding, Encoding::Gsm7);
        assert_eq!(info.units, 4);
        assert_eq!(info.chars, 4);

        assert!(is_gsm7("Ç"));
        assert!(!is_gsm7("ç"));
        let info = analyze("français");
        assert_eq!(info.encoding, Encoding::Ucs2);
        assert_eq!(info.units, 8);
    }

    #[test]
    fn greek_capitals_in_table_stay_gsm7() {
        let info = analyze("ΔΦΓΛΩΠΨΣΘΞ");
        assert_eq!(info.encoding, Encoding::Gsm7);
        assert_eq!(info.units, 10);
        // Greek capitals that look Latin (Alpha, Beta) are not in the table.
        assert!(!is_gsm7("Α"));
        assert!(!is_gsm7("Β"));
        // Lowercase Greek is not in the table either.
        assert!(!is_gsm7("δ"));
    }

    #[test]
    fn naive_with_diaeresis_is_ucs2() {
        let info = analyze("naïve");
        assert_eq!(info.encoding, Encoding::Ucs2);
        assert_eq!(info.units, 5);
        assert_eq!(info.segments, 1);
    }

    #[test]
    fn emoji_is_ucs2_two_units() {
        let info = analyze("👍");
        assert_eq!(
            info,
            SmsInfo {
                encoding: Encoding::Ucs2,
                units: 2,
                segments: 1,
                chars: 1
            }
        );
    }

    #[test]
    fn ucs2_70_and_71() {
        let info = analyze(&format!("ï{}", plain(69)));
        assert_eq!(info.encoding, Encoding::Ucs2);
        assert_eq!(info.units, 70);
        assert_eq!(info.segments, 1);

        let info = analyze(&format!("ï{}", plain(70)));
        assert_eq!(info.units, 71);
        assert_eq!(info.segments, 2); // 67 + 4
    }

    #[test]
    fn ucs2_134_and_135() {
        assert_eq!(analyze(&format!("ï{}", plain(133))).segments, 2); // 67 + 67
        assert_eq!(analyze(&format!("ï{}", plain(134))).segments, 3); // 67 + 67 + 1
    }

    #[test]
    fn emoji_at_67_boundary_moves_whole() {
        // 66 units + 👍 (2) + 66 units = 134 units: ceil(134 / 67) would say 2, but the
        // surrogate pair can't straddle: segment 1 = 66, segment 2 = 2 + 65 = 67,
        // segment 3 = 1.
        let info = analyze(&format!("ï{}👍{}", plain(65), plain(66)));
        assert_eq!(info.units, 134);
        assert_eq!(info.chars, 133);
        assert_eq!(info.segments, 3);

        // With 65 units before it, the emoji ends segment 1 exactly: 67 + 67.
        let info = analyze(&format!("ï{}👍{}", plain(64), plain(67)));
        assert_eq!(info.units, 134);
        assert_eq!(info.segments, 2);
    }

    #[test]
    fn smart_quotes_force_ucs2() {
        for s in [
            "\u{201C}Hi\u{201D}",
            "We\u{2019}ll call back",
            "\u{2018}ok\u{2019}",
        ] {
            let info = analyze(s);
            assert_eq!(info.encoding, Encoding::Ucs2, "{s:?}");
            assert!(!is_gsm7(s));
        }
        // A 100-char message that would be 1 GSM-7 segment becomes 2 UCS-2 segments.
        let s = format!("We\u{2019}{}", plain(97));
        assert_eq!(analyze(&s).segments, 2);
        assert_eq!(analyze(&s.replace('\u{2019}', "'")).segments, 1);
    }

    #[test]
    fn empty_string() {
        let info = analyze("");
        assert_eq!(
            info,
            SmsInfo {
                encoding: Encoding::Gsm7,
                units: 0,
                segments: 0,
                chars: 0
            }
        );
        assert!(is_gsm7(""));
        assert_eq!(gsm_safe_suggestion(""), None);
    }

    #[test]
    fn long_strings_do_not_panic() {
        let info = analyze(&plain(10_000));
        assert_eq!(info.units, 10_000);
        assert_eq!(info.segments, 10_000usize.div_ceil(153));

        let info = analyze(&"€".repeat(10_000));
        assert_eq!(info.units, 20_000);
        // 76 escape pairs (152 septets) per segment.
        assert_eq!(info.segments, 10_000usize.div_ceil(76));

        let info = analyze(&"👍".repeat(10_000));
        assert_eq!(info.encoding, Encoding::Ucs2);
        assert_eq!(info.units, 20_000);
        assert_eq!(info.chars, 10_000);
        // 33 pairs (66 units) per segment.
        assert_eq!(info.segments, 10_000usize.div_ceil(33));

        let mixed: String = "aé€👍ç\u{201C}".chars().cycle().take(10_000).collect();
        let info = analyze(&mixed);
        assert_eq!(info.chars, 10_000);
        assert!(info.segments > 0);
    }

    #[test]
    fn suggestion_replaces_typography() {
        assert_eq!(
            gsm_safe_suggestion(
                "\u{201C}Hi\u{201D} \u{2018}x\u{2019} a\u{2013}b\u{2014}c wait\u{2026}\u{00A0}ok"
            )
            .as_deref(),
            Some("\"Hi\" 'x' a-b-c wait... ok")
        );
        let s = gsm_safe_suggestion("We\u{2019}ll call you back \u{2014} café €5").unwrap();
        assert_eq!(s, "We'll call you back - café €5");
        assert!(is_gsm7(&s));
    }

    #[test]
    fn suggestion_none_when_already_gsm7() {
        assert_eq!(gsm_safe_suggestion("Plain text {ok} €"), None);
    }

    #[test]
    fn suggestion_none_when_other_non_gsm_remain() {
        assert_eq!(gsm_safe_suggestion("We\u{2019}ll call 👍"), None);
        assert_eq!(gsm_safe_suggestion("\u{201C}français\u{201D}"), None);
        assert_eq!(gsm_safe_suggestion("naïve"), None);
    }
}
