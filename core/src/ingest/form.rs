//! `application/x-www-form-urlencoded` bodies (Twilio, Invoca form posts), decoded by hand:
//! `&`-separated `key=value` pairs, `+` for space, `%XX` escapes, UTF-8.

use serde_json::{Map, Value};

use crate::error::{Error, ErrorCode, Result};

/// Decodes a form body into its pairs, in order. A malformed escape or bytes that are not
/// UTF-8 are `invalid_json` (the code for a body that cannot be read).
pub fn decode_pairs(body: &str) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for (i, part) in body.trim().split('&').enumerate() {
        if part.is_empty() {
            continue;
        }
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        let key = decode(k).map_err(|m| bad(i, &m))?;
        let value = decode(v).map_err(|m| bad(i, &m))?;
        out.push((key, value));
    }
    Ok(out)
}

fn bad(i: usize, m: &str) -> Error {
    Error::new(
        ErrorCode::InvalidJson,
        "",
        format!("form body pair {}: {m}", i + 1),
    )
}

/// Decodes a form body into a JSON object of strings (the first value of a repeated key
/// wins), so that vendor parsers read forms and JSON alike.
pub fn to_object(body: &str) -> Result<Value> {
    let mut map = Map::new();
    for (k, v) in decode_pairs(body)? {
        map.entry(k).or_insert(Value::String(v));
    }
    Ok(Value::Object(map))
}

/// Percent-decodes one component (`+` is a space).
pub fn decode(s: &str) -> std::result::Result<String, String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' => {
                let hex = bytes.get(i + 1..i + 3).ok_or("truncated %-escape")?;
                let hi = hex_val(hex[0]).ok_or("bad %-escape")?;
                let lo = hex_val(hex[1]).ok_or("bad %-escape")?;
                out.push(hi * 16 + lo);
                i += 3;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| "decoded bytes are not UTF-8".to_string())
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_twilio_bodies() {
        let pairs = decode_pairs("From=%2B12125550123&CallerCity=NEW+YORK&Empty=&Flag").unwrap();
        assert_eq!(
            pairs,
            vec![
                ("From".to_string(), "+12125550123".to_string()),
                ("CallerCity".to_string(), "NEW YORK".to_string()),
                ("Empty".to_string(), String::new()),
                ("Flag".to_string(), String::new()),
            ]
        );
        assert_eq!(decode("caf%C3%A9").unwrap(), "café");
    }

    #[test]
    fn bad_escapes_are_coded_errors() {
        for body in ["a=%2", "a=%zz", "a=%FF%FE"] {
            let e = decode_pairs(body).unwrap_err();
            assert_eq!(e.code, ErrorCode::InvalidJson, "{body}");
        }
    }
}
