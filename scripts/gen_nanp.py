#!/usr/bin/env python3
"""Generate core/data/nanp_area_codes.csv from libphonenumber metadata.

The table maps every geographic NANP (+1) area code (NPA) to the country
libphonenumber assigns to it, the US state / Canadian province or territory
(where one can be determined), and the IANA time zones libphonenumber can
return for numbers in it.  The data comes from the Python port of
libphonenumber, ``phonenumbers``, pinned to exactly 9.0.33 to match the Rust
``phonenumber`` crate (0.3.10+9.0.33) used by the project.

Usage:
    pip install phonenumbers==9.0.33
    python3 scripts/gen_nanp.py > core/data/nanp_area_codes.csv
    python3 scripts/gen_nanp.py --check core/data/nanp_area_codes.csv

Output columns: ``npa,country,region,time_zones,valid_nxx``; rows sorted by npa.

Inclusion rule
--------------
An NPA (200..999) is included when BOTH hold:

1. libphonenumber knows a geographic number in it: some number
   ``+1 NPA NXX XXXX`` (NXX 200..999, a few fixed line numbers tried per NXX,
   first hit wins) is valid and its number type is FIXED_LINE, MOBILE or
   FIXED_LINE_OR_MOBILE.  This drops toll-free (8XX), premium (900),
   personal/500-series, Canadian non-geographic (600, 622, 633) and
   unassigned codes.
2. The metadata places it somewhere: the English geocoder data yields a
   US state / Canadian province for it (see "region" below), or the time
   zone data yields at least one zone other than ``Etc/Unknown`` for it.
   Only prefixes starting with ``1NPA`` count (area-code level or more
   specific); the country-level ``1`` entries (country name, list of every
   NANP zone) are ignored.

Only NPAs that have some geocoder or time zone entry are examined at all.
With 9.0.33 every such NPA passes both tests, and no NPA outside them has a
valid geographic number, so the rule is not sensitive to the details.

Columns
-------
country
    ``region_code_for_number`` of the first valid geographic example number
    found for the NPA (the search order is fixed, so the output is stable).
region
    Only filled when country is US or CA.  Taken from the area-code level
    geocoder entry (``1NPA``) when it names exactly one state/province, either
    as a full name ("New Jersey") or as "City, ST".  When there is no
    area-code level entry, the most common state/province over the longer
    prefixes (``1NPA...``) is used (ties broken alphabetically).  When the
    area-code level entry names several provinces (e.g. "Nova Scotia/Prince
    Edward Island" for 902, "Northwest Territories/Nunavut/Yukon" for 867)
    the region is left empty rather than picking one of them.  US territories
    (PR, VI, GU, AS, MP) get their own country code from libphonenumber and an
    empty region.
time_zones
    Space-separated, sorted set of IANA zones that
    ``time_zones_for_geographical_number`` can return for a number in the NPA:
    for every NXX 200..999 the longest matching prefix of ``1NPANXX`` in the
    time zone data is looked up (exactly as libphonenumber does), plus any
    more specific prefixes below ``1NPANXX``.  So an area-code level default
    zone is only listed when some NXX actually falls back to it.
valid_nxx
    The central-office codes (NXX 200..999) for which every sampled subscriber
    number ``+1 NPA NXX XXXX`` (see ``NXX_PROBE_LINES``) is valid and belongs to
    ``country``, as space-separated inclusive ranges (``200-999``, or
    ``200-910 912-999``).  The engine decides such numbers without running the
    full parser; any other NXX goes through the parser.  libphonenumber's NANP
    patterns end in ``\\d{4}``, so validity never depends on the last four
    digits; the Rust test suite checks the fast path against the parser.
"""

from __future__ import annotations

import argparse
import collections
import csv
import difflib
import io
import sys

REQUIRED_VERSION = "9.0.33"

try:
    import phonenumbers
except ImportError:  # pragma: no cover - environment problem
    sys.exit(
        f"error: the 'phonenumbers' package is not installed; "
        f"run: pip install phonenumbers=={REQUIRED_VERSION}"
    )

if phonenumbers.__version__ != REQUIRED_VERSION:
    sys.exit(
        f"error: phonenumbers {phonenumbers.__version__} is installed, but "
        f"exactly {REQUIRED_VERSION} is required (it matches the Rust "
        f"phonenumber crate); run: pip install phonenumbers=={REQUIRED_VERSION}"
    )

from phonenumbers import PhoneNumberType  # noqa: E402
from phonenumbers.geodata import GEOCODE_DATA  # noqa: E402
from phonenumbers.timezone import UNKNOWN_TIMEZONE  # noqa: E402
from phonenumbers.tzdata import TIMEZONE_DATA, TIMEZONE_LONGEST_PREFIX  # noqa: E402

HEADER = ["npa", "country", "region", "time_zones", "valid_nxx"]

# Subscriber numbers probed for every NXX when listing the valid central-office codes.
NXX_PROBE_LINES = ("0000", "0143", "9999")

GEOGRAPHIC_TYPES = {
    PhoneNumberType.FIXED_LINE,
    PhoneNumberType.MOBILE,
    PhoneNumberType.FIXED_LINE_OR_MOBILE,
}

# Subscriber numbers tried for each NXX when looking for a valid example.
EXAMPLE_LINES = ("0000", "1234", "5678", "9999", "4567", "2000")

US_STATES = {
    "Alabama": "AL",
    "Alaska": "AK",
    "Arizona": "AZ",
    "Arkansas": "AR",
    "California": "CA",
    "Colorado": "CO",
    "Connecticut": "CT",
    "Delaware": "DE",
    "District of Columbia": "DC",
    "Washington D.C.": "DC",
    "Florida": "FL",
    "Georgia": "GA",
    "Hawaii": "HI",
    "Idaho": "ID",
    "Illinois": "IL",
    "Indiana": "IN",
    "Iowa": "IA",
    "Kansas": "KS",
    "Kentucky": "KY",
    "Louisiana": "LA",
    "Maine": "ME",
    "Maryland": "MD",
    "Massachusetts": "MA",
    "Michigan": "MI",
    "Minnesota": "MN",
    "Mississippi": "MS",
    "Missouri": "MO",
    "Montana": "MT",
    "Nebraska": "NE",
    "Nevada": "NV",
    "New Hampshire": "NH",
    "New Jersey": "NJ",
    "New Mexico": "NM",
    "New York": "NY",
    "North Carolina": "NC",
    "North Dakota": "ND",
    "Ohio": "OH",
    "Oklahoma": "OK",
    "Oregon": "OR",
    "Pennsylvania": "PA",
    "Rhode Island": "RI",
    "South Carolina": "SC",
    "South Dakota": "SD",
    "Tennessee": "TN",
    "Texas": "TX",
    "Utah": "UT",
    "Vermont": "VT",
    "Virginia": "VA",
    "Washington": "WA",
    "Washington State": "WA",
    "West Virginia": "WV",
    "Wisconsin": "WI",
    "Wyoming": "WY",
}

CA_PROVINCES = {
    "Alberta": "AB",
    "British Columbia": "BC",
    "British Colombia": "BC",  # misspelling used by the 9.0.33 data for 257
    "Manitoba": "MB",
    "New Brunswick": "NB",
    "Newfoundland and Labrador": "NL",
    "Northwest Territories": "NT",
    "Nova Scotia": "NS",
    "Nunavut": "NU",
    "Ontario": "ON",
    "Prince Edward Island": "PE",
    "Quebec": "QC",
    "Saskatchewan": "SK",
    "Yukon": "YT",
}

POSTAL_CODES = {
    "US": set(US_STATES.values()),
    "CA": set(CA_PROVINCES.values()),
}
NAME_TO_CODE = {"US": US_STATES, "CA": CA_PROVINCES}


def description_codes(description: str, country: str) -> set[str]:
    """Postal codes named by one geocoder description, for US or CA.

    Handles "State", "City, ST" and "Name/Name/..." forms.  Returns an empty
    set when nothing recognisable for ``country`` is found.
    """
    names = NAME_TO_CODE[country]
    codes = POSTAL_CODES[country]
    if description in names:
        return {names[description]}
    if ", " in description:
        suffix = description.rsplit(", ", 1)[1].strip()
        return {suffix} if suffix in codes else set()
    if "/" in description:
        found = set()
        for part in description.split("/"):
            found |= description_codes(part.strip(), country)
        return found
    return set()


def english(entry: dict) -> str | None:
    return entry.get("en")


def geocode_prefixes(
    npa: str, geo_keys_by_npa: dict[str, list[str]]
) -> tuple[str | None, list[str]]:
    """(area-code level English description, longer descriptions in key order)."""
    key = "1" + npa
    top = GEOCODE_DATA.get(key)
    top_desc = english(top) if top else None
    longer = []
    for prefix in geo_keys_by_npa.get(npa, []):
        if len(prefix) > len(key):
            desc = english(GEOCODE_DATA[prefix])
            if desc:
                longer.append(desc)
    return top_desc, longer


def region_for(npa: str, country: str, geo_top: str | None, geo_longer: list[str]) -> str:
    if country not in POSTAL_CODES:
        return ""
    if geo_top is not None:
        codes = description_codes(geo_top, country)
        if len(codes) == 1:
            return codes.pop()
        if len(codes) > 1:
            return ""  # shared between several provinces/states
    counts: collections.Counter[str] = collections.Counter()
    for desc in geo_longer:
        codes = description_codes(desc, country)
        if len(codes) == 1:
            counts[codes.pop()] += 1
    if not counts:
        return ""
    best = max(counts.values())
    return sorted(code for code, n in counts.items() if n == best)[0]


def tz_longest(prefix_digits: str) -> tuple[str, ...] | None:
    # Stop at 1NPA (4 digits): the country-level "1" entry lists every NANP
    # zone and says nothing about a particular area code.
    for length in range(min(TIMEZONE_LONGEST_PREFIX, len(prefix_digits)), 3, -1):
        zones = TIMEZONE_DATA.get(prefix_digits[:length])
        if zones is not None:
            return zones
    return None


def time_zones_for(npa: str, tz_keys_by_npa: dict[str, list[str]]) -> list[str]:
    zones: set[str] = set()
    deeper = tz_keys_by_npa.get(npa, [])
    for nxx in range(200, 1000):
        head = "1" + npa + str(nxx)
        found = tz_longest(head)
        if found:
            zones.update(found)
        for key in deeper:
            if len(key) > len(head) and key.startswith(head):
                zones.update(TIMEZONE_DATA[key])
    zones.discard(UNKNOWN_TIMEZONE)
    return sorted(zones)


def example_region(npa: str) -> str | None:
    """Region of the first valid geographic number in the NPA, or None."""
    for nxx in range(200, 1000):
        for line in EXAMPLE_LINES:
            num = phonenumbers.PhoneNumber(
                country_code=1, national_number=int(f"{npa}{nxx}{line}")
            )
            if not phonenumbers.is_valid_number(num):
                continue
            if phonenumbers.number_type(num) in GEOGRAPHIC_TYPES:
                return phonenumbers.region_code_for_number(num)
    return None


def valid_nxx(npa: str, country: str) -> str:
    """Inclusive ranges of the NXX codes whose probed numbers are all valid in country."""
    good = []
    for nxx in range(200, 1000):
        ok = True
        for line in NXX_PROBE_LINES:
            num = phonenumbers.PhoneNumber(
                country_code=1, national_number=int(f"{npa}{nxx}{line}")
            )
            if not (
                phonenumbers.is_valid_number(num)
                and phonenumbers.region_code_for_number(num) == country
            ):
                ok = False
                break
        if ok:
            good.append(nxx)
    ranges = []
    for nxx in good:
        if ranges and ranges[-1][1] == nxx - 1:
            ranges[-1][1] = nxx
        else:
            ranges.append([nxx, nxx])
    return " ".join(f"{a}-{b}" for a, b in ranges)


def build_rows() -> list[list[str]]:
    geo_keys_by_npa: dict[str, list[str]] = collections.defaultdict(list)
    for key in sorted(GEOCODE_DATA):
        if key.startswith("1") and len(key) >= 4:
            geo_keys_by_npa[key[1:4]].append(key)
    tz_keys_by_npa: dict[str, list[str]] = collections.defaultdict(list)
    for key in sorted(TIMEZONE_DATA):
        if key.startswith("1") and len(key) >= 4:
            tz_keys_by_npa[key[1:4]].append(key)

    rows = []
    for npa in sorted(set(geo_keys_by_npa) | set(tz_keys_by_npa)):
        if not (npa.isdigit() and len(npa) == 3 and npa[0] in "23456789"):
            continue
        country = example_region(npa)
        if country is None:
            continue
        zones = time_zones_for(npa, tz_keys_by_npa)
        geo_top, geo_longer = geocode_prefixes(npa, geo_keys_by_npa)
        region = region_for(npa, country, geo_top, geo_longer)
        if not zones and not region:
            continue
        rows.append([npa, country, region, " ".join(zones), valid_nxx(npa, country)])
    return rows


def render(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buf.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check",
        metavar="CSV",
        help="regenerate and compare with CSV; exit 1 if it differs",
    )
    args = parser.parse_args()

    rows = build_rows()
    text = render(rows)

    if args.check is None:
        sys.stdout.write(text)
        unresolved = [r[0] for r in rows if r[1] in POSTAL_CODES and not r[2]]
        if unresolved:
            print(
                "note: no single state/province for US/CA area codes: "
                + " ".join(unresolved),
                file=sys.stderr,
            )
        return 0

    try:
        with open(args.check, encoding="utf-8", newline="") as fh:
            current = fh.read()
    except OSError as exc:
        print(f"error: cannot read {args.check}: {exc}", file=sys.stderr)
        return 1
    if current == text:
        print(f"{args.check} is up to date ({len(rows)} area codes)", file=sys.stderr)
        return 0
    diff = list(
        difflib.unified_diff(
            current.splitlines(),
            text.splitlines(),
            fromfile=args.check,
            tofile="regenerated",
            lineterm="",
        )
    )
    print(f"error: {args.check} differs from generated output:", file=sys.stderr)
    for line in diff[:40]:
        print(line, file=sys.stderr)
    if len(diff) > 40:
        print(f"... ({len(diff) - 40} more diff lines)", file=sys.stderr)
    print(
        "regenerate with: python3 scripts/gen_nanp.py > " + args.check,
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
