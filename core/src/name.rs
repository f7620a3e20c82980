//! CNAM (caller name) screening: only a string that looks like a person's name may become
//! the name of a new lead. Carriers deliver `WIRELESS CALLER`, a city and state
//! (`PHOENIX AZ`), a business (`ACME PLUMBING LLC`) or a person (`SMITH,JOHN`, `SMITH JOHN`).

/// A person's name extracted from CNAM.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName {
    /// Title-cased display name in the order delivered (`Smith John`) or, for the
    /// unambiguous `LAST,FIRST` form, `First Last`.
    pub display: String,
    /// First name, only when the order is certain (`LAST,FIRST`).
    pub first: Option<String>,
    /// Last name, only when the order is certain.
    pub last: Option<String>,
}

/// Why a CNAM string was not taken as a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotAName {
    /// Empty.
    Empty,
    /// A generic carrier label (`WIRELESS CALLER`, `TOLL FREE`, ...).
    Generic,
    /// A place (`PHOENIX AZ`, `NEW YORK NY`, a state name).
    Place,
    /// A business (`LLC`, `PLUMBING`, `DENTAL`, ...).
    Business,
    /// Digits or symbols.
    NotLetters,
    /// One token, or too many.
    Shape,
}

impl NotAName {
    /// The reason name for traces.
    pub fn as_str(self) -> &'static str {
        match self {
            NotAName::Empty => "empty",
            NotAName::Generic => "generic_carrier_label",
            NotAName::Place => "place_name",
            NotAName::Business => "business_name",
            NotAName::NotLetters => "not_letters",
            NotAName::Shape => "not_a_name_shape",
        }
    }
}

const GENERIC: [&str; 24] = [
    "WIRELESS CALLER",
    "WIRELESS",
    "CELL PHONE",
    "CELLULAR CALLER",
    "MOBILE CALLER",
    "UNKNOWN",
    "UNKNOWN NAME",
    "UNKNOWN CALLER",
    "UNAVAILABLE",
    "PRIVATE",
    "PRIVATE CALLER",
    "PRIVATE NUMBER",
    "ANONYMOUS",
    "RESTRICTED",
    "BLOCKED",
    "TOLL FREE",
    "TOLL FREE CALL",
    "OUT OF AREA",
    "NO CALLER ID",
    "NAME NOT FOUND",
    "NOT AVAILABLE",
    "PAY PHONE",
    "SPAM RISK",
    "SCAM LIKELY",
];

const STATE_CODES: [&str; 64] = [
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "DC", "FL", "GA", "HI", "ID", "IL", "IN", "IA",
    "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM",
    "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA",
    "WV", "WI", "WY", "PR", "ON", "QC", "BC", "AB", "MB", "SK", "NS", "NB", "NL", "PE", "YT", "NT",
];

const STATE_NAMES: [&str; 26] = [
    "ALABAMA",
    "ALASKA",
    "ARIZONA",
    "ARKANSAS",
    "CALIFORNIA",
    "COLORADO",
    "CONNECTICUT",
    "DELAWARE",
    "FLORIDA",
    "GEORGIA",
    "HAWAII",
    "IDAHO",
    "ILLINOIS",
    "INDIANA",
    "IOWA",
    "KANSAS",
    "KENTUCKY",
    "LOUISIANA",
    "MAINE",
    "MARYLAND",
    "MASSACHUSETTS",
    "MICHIGAN",
    "MINNESOTA",
    "TEXAS",
    "ONTARIO",
    "QUEBEC",
];

const BUSINESS_WORDS: [&str; 52] = [
    "LLC",
    "L.L.C",
    "INC",
    "INC.",
    "CORP",
    "CORPORATION",
    "CO",
    "CO.",
    "COMPANY",
    "LTD",
    "LLP",
    "PLLC",
    "PC",
    "PA",
    "GROUP",
    "SERVICES",
    "SERVICE",
    "SVC",
    "SVCS",
    "PLUMBING",
    "HVAC",
    "DENTAL",
    "DENTISTRY",
    "CLINIC",
    "MEDICAL",
    "HOSPITAL",
    "PHARMACY",
    "LAW",
    "OFFICE",
    "OFFICES",
    "INSURANCE",
    "BANK",
    "REALTY",
    "MOTORS",
    "AUTO",
    "ROOFING",
    "ELECTRIC",
    "HEATING",
    "COOLING",
    "CONSTRUCTION",
    "SCHOOL",
    "CHURCH",
    "HOTEL",
    "RESTAURANT",
    "STORE",
    "SHOP",
    "SOLUTIONS",
    "SYSTEMS",
    "ASSOC",
    "ASSOCIATES",
    "PARTNERS",
    "CENTER",
];

const PLACE_WORDS: [&str; 6] = ["CITY", "COUNTY", "TOWNSHIP", "VILLAGE", "SPRINGS", "BEACH"];

fn title(word: &str) -> String {
    let lower = word.to_lowercase();
    let mut out = String::with_capacity(lower.len());
    let mut upper_next = true;
    for c in lower.chars() {
        if upper_next {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        upper_next = matches!(c, '-' | '\'');
    }
    out
}

/// Screens a CNAM string. Returns the person's name or why it is not one.
pub fn screen(cnam: Option<&str>) -> Result<PersonName, NotAName> {
    let raw = cnam.map(str::trim).unwrap_or("");
    if raw.is_empty() {
        return Err(NotAName::Empty);
    }
    let upper = raw.to_uppercase();
    let squashed = upper.split_whitespace().collect::<Vec<_>>().join(" ");
    if GENERIC.contains(&squashed.as_str()) {
        return Err(NotAName::Generic);
    }
    if raw
        .chars()
        .any(|c| !(c.is_alphabetic() || matches!(c, ' ' | ',' | '-' | '\'' | '.')))
    {
        return Err(NotAName::NotLetters);
    }
    let comma = squashed.split_once(',');
    let tokens: Vec<&str> = squashed
        .split([' ', ','])
        .filter(|t| !t.is_empty())
        .collect();
    if tokens.iter().any(|t| BUSINESS_WORDS.contains(t)) {
        return Err(NotAName::Business);
    }
    if STATE_NAMES.contains(&squashed.as_str())
        || tokens.iter().any(|t| PLACE_WORDS.contains(t))
        || (comma.is_none()
            && tokens.len() >= 2
            && tokens.last().is_some_and(|t| STATE_CODES.contains(t)))
    {
        return Err(NotAName::Place);
    }
    if tokens.len() < 2 || tokens.len() > 4 {
        return Err(NotAName::Shape);
    }
    if tokens
        .iter()
        .all(|t| t.trim_matches('.').chars().count() <= 1)
    {
        return Err(NotAName::Shape);
    }
    match comma {
        Some((last, first)) if !last.trim().is_empty() && !first.trim().is_empty() => {
            let last = last
                .split_whitespace()
                .map(title)
                .collect::<Vec<_>>()
                .join(" ");
            let first_tokens: Vec<String> = first.split_whitespace().map(title).collect();
            let first = first_tokens.first().cloned().unwrap_or_default();
            Ok(PersonName {
                display: format!("{} {}", first_tokens.join(" "), last),
                first: Some(first),
                last: Some(last),
            })
        }
        Some(_) => Err(NotAName::Shape),
        None => Ok(PersonName {
            display: tokens
                .iter()
                .map(|t| title(t))
                .collect::<Vec<_>>()
                .join(" "),
            first: None,
            last: None,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn carrier_labels_places_and_businesses_are_not_names() {
        assert_eq!(screen(Some("WIRELESS CALLER")), Err(NotAName::Generic));
        assert_eq!(screen(Some("wireless  caller ")), Err(NotAName::Generic));
        assert_eq!(screen(Some("PHOENIX      AZ")), Err(NotAName::Place));
        assert_eq!(screen(Some("NEW YORK NY")), Err(NotAName::Place));
        assert_eq!(screen(Some("ARIZONA")), Err(NotAName::Place));
        assert_eq!(screen(Some("ACME PLUMBING LLC")), Err(NotAName::Business));
        assert_eq!(screen(Some("V123456789")), Err(NotAName::NotLetters));
        assert_eq!(screen(Some("MARIA")), Err(NotAName::Shape));
        assert_eq!(screen(None), Err(NotAName::Empty));
    }

    #[test]
    fn people_are_names_and_only_comma_form_is_split() {
        let n = screen(Some("GARCIA,MARIA")).expect("name");
        assert_eq!(n.first.as_deref(), Some("Maria"));
        assert_eq!(n.last.as_deref(), Some("Garcia"));
        assert_eq!(n.display, "Maria Garcia");
        let n = screen(Some("O'BRIEN PATRICK")).expect("name");
        assert_eq!(n.display, "O'Brien Patrick");
        assert_eq!(n.first, None);
    }
}
