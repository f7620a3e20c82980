//! NANP area code → country, state/province and IANA time zone(s).
//!
//! The table `core/data/nanp_area_codes.csv` is generated from libphonenumber's geocoding
//! and time-zone metadata by `scripts/gen_nanp.py` (see `core/data/README.md`), and compiled
//! into the library.

use chrono_tz::Tz;
use once_cell::sync::Lazy;

const TABLE_CSV: &str = include_str!("../data/nanp_area_codes.csv");

/// What the metadata says about one area code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AreaCode {
    /// The three-digit area code.
    pub npa: u16,
    /// ISO 3166 country (US, CA, JM, ...).
    pub country: &'static str,
    /// US state / Canadian province code, when the area code lies in one.
    pub region: Option<&'static str>,
    /// IANA zones the area code spans (one or more).
    pub time_zones: Vec<Tz>,
    /// Bit `n - 200` set when every number with central-office code `n` is valid.
    valid_nxx: [u64; 13],
}

impl AreaCode {
    /// Whether libphonenumber's metadata says every number `+1 NPA NXX XXXX` is valid.
    pub fn nxx_is_valid(&self, nxx: u16) -> bool {
        if !(200..1000).contains(&nxx) {
            return false;
        }
        let bit = usize::from(nxx - 200);
        self.valid_nxx[bit / 64] & (1u64 << (bit % 64)) != 0
    }
}

fn parse_ranges(text: &str) -> [u64; 13] {
    let mut bits = [0u64; 13];
    for range in text.split(' ').filter(|r| !r.is_empty()) {
        let (a, b) = range.split_once('-').unwrap_or((range, range));
        let (Ok(a), Ok(b)) = (a.parse::<u16>(), b.parse::<u16>()) else {
            continue;
        };
        for n in a.max(200)..=b.min(999) {
            let bit = usize::from(n - 200);
            bits[bit / 64] |= 1u64 << (bit % 64);
        }
    }
    bits
}

static TABLE: Lazy<Vec<Option<AreaCode>>> = Lazy::new(|| {
    let mut table: Vec<Option<AreaCode>> = vec![None; 1000];
    // The first line is the header.
    for line in TABLE_CSV.lines().filter(|l| !l.starts_with("npa,")) {
        let mut cols = line.split(',');
        let (Some(npa), Some(country), Some(region), Some(zones), Some(nxx)) = (
            cols.next(),
            cols.next(),
            cols.next(),
            cols.next(),
            cols.next(),
        ) else {
            continue;
        };
        let Ok(npa) = npa.parse::<u16>() else {
            continue;
        };
        if npa >= 1000 {
            continue;
        }
        let time_zones = zones
            .split(' ')
            .filter_map(|z| z.parse::<Tz>().ok())
            .collect();
        table[npa as usize] = Some(AreaCode {
            npa,
            country,
            region: (!region.is_empty()).then_some(region),
            time_zones,
            valid_nxx: parse_ranges(nxx),
        });
    }
    table
});

/// Looks up the area code of a `+1` E.164 number.
pub fn lookup(e164: &str) -> Option<&'static AreaCode> {
    let rest = e164.strip_prefix("+1")?;
    if rest.len() != 10 {
        return None;
    }
    let npa: u16 = rest.get(..3)?.parse().ok()?;
    TABLE.get(npa as usize)?.as_ref()
}

/// Looks up an area code by number.
pub fn area(npa: u16) -> Option<&'static AreaCode> {
    TABLE.get(usize::from(npa))?.as_ref()
}

static REGION_ZONES: Lazy<Vec<(&'static str, Vec<Tz>)>> = Lazy::new(|| {
    let mut out: Vec<(&'static str, Vec<Tz>)> = Vec::new();
    for area in TABLE.iter().flatten() {
        let Some(region) = area.region else { continue };
        match out.iter_mut().find(|(r, _)| *r == region) {
            Some((_, zones)) => {
                for z in &area.time_zones {
                    if !zones.contains(z) {
                        zones.push(*z);
                    }
                }
            }
            None => out.push((region, area.time_zones.clone())),
        }
    }
    for (_, zones) in &mut out {
        zones.sort_by_key(|z| z.name());
    }
    out
});

/// Every IANA zone of the area codes of a US state or Canadian province (`FL` →
/// `America/Chicago`, `America/New_York`). Empty for an unknown code.
pub fn zones_of_region(region: &str) -> &'static [Tz] {
    REGION_ZONES
        .iter()
        .find(|(r, _)| r.eq_ignore_ascii_case(region))
        .map(|(_, z)| z.as_slice())
        .unwrap_or(&[])
}

/// Whether a region code is a Canadian province or territory in the table.
pub fn is_canadian_region(region: &str) -> bool {
    TABLE
        .iter()
        .flatten()
        .any(|a| a.country == "CA" && a.region.is_some_and(|r| r.eq_ignore_ascii_case(region)))
}

/// Number of area codes in the table.
pub fn len() -> usize {
    TABLE.iter().filter(|e| e.is_some()).count()
}
