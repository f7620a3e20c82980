//! Deterministic demo data: one realistic week of missed calls at a 120-location operator.
//!
//! [`generate`] builds, from a fixed seed and without reading the clock, the three inputs of
//! a ringback replay; [`write`] stores them as `policy.json`, `crm.json` and `events.jsonl`.
//!
//! # The operator
//!
//! 120 locations of a multi-vertical service operator: 54 home services, 24 dental, 18 med spa,
//! 12 auto, 4 legal, 3 financial, 3 general and 2 cannabis dispensaries (Denver and Los
//! Angeles). They are spread over America/New_York (38), America/Chicago (30),
//! America/Los_Angeles (23), America/Denver (13, including El Paso), America/Phoenix (13), two
//! Canadian locations (Toronto and Vancouver, country `CA`, currency `CAD`) and one in
//! Honolulu. Every location has a real area code of its city and a fictional `555-01XX` main
//! line (`phx-01` is exactly the SPEC §3.3 example, `+16025550100`). Hours differ by vertical:
//! home services Mon–Fri 07:00–18:00 plus Saturday mornings (one location is 24/7, `hou-01`,
//! and one runs 06:00–02:00 every day, `las-01`), dental split shifts, med spas Tuesday to
//! Saturday, cannabis every day. The policy document carries only `version` and `locations`;
//! everything else comes from the built-in default policy.
//!
//! # The week
//!
//! Monday 2026-11-23 to Sunday 2026-11-29, all after the US DST change, so every timestamp
//! carries the zone's standard offset. Thanksgiving (Thursday 2026-11-26) is a closed holiday
//! for the US locations (except the two round-the-clock ones; the dispensaries open
//! 10:00–18:00) and some locations have shortened Black Friday hours (`09:00–13:00`); the
//! Canadian locations work normally. `events.jsonl` holds 455 missed calls, 14 answered calls
//! (disposition `answered`, which the engine must recognise as not missed) and 4 replayed
//! webhooks (3 exact duplicate lines, 1 CallRail `voicemail_transcription` re-delivery that
//! adds the transcript the first delivery lacked). About a quarter of the calls arrive while
//! the location is closed (evenings, Sundays, Thanksgiving), so after-hours categories come
//! from the hours; Aircall and some Twilio locations also flag `after_hours` themselves.
//! Caller numbers are as messy as vendors deliver them (`+16025550143`, `16025550143`,
//! `(602) 555-0143`, `602-555-0143`, `+1 602 555 0143`, withheld as null, `anonymous`,
//! `Restricted` or Twilio's magic `+266696687` / `+7378742833`), CNAM is often
//! `WIRELESS CALLER`, a city or a business, and about 60% of calls carry campaign attribution.
//!
//! # The story and the special cases
//!
//! * **The Phoenix Tuesday** (SPEC, "the story it must fix"): `phx-01` misses exactly 12 calls
//!   on Tuesday 2026-11-24 between 07:00 and 17:00: 4 leave a voicemail with a transcript,
//!   8 do not; 4 callers are existing customers of `phx-01` (one match each, no open
//!   follow-up, no missed call in the previous 48 hours), 8 are new numbers.
//! * One of those customers is stored as `(602) 555-0143` and calls as `+16025550143`.
//! * A shared main line: a property-management switchboard (`303-555-0188`, with extensions)
//!   is on 4 contacts of `den-01` and calls once.
//! * A lead of `chi-01` calls twice within 15 minutes; a lead of `nyc-01` with an open
//!   follow-up from Saturday calls again on Monday.
//! * Replays: a few webhooks are delivered twice; the CRM does not list them, so the replay
//!   recognises the second delivery through what it wrote back after the first (one
//!   re-delivery adds the voicemail transcript the first lacked: `amended`).
//! * Compliance material: a customer on `suppressions.do_not_text`, a `do_not_contact`
//!   customer, a revoked SMS consent, a voicemail asking to "stop calling me", a snowbird with
//!   a 212 number who lives in Phoenix for the winter, AI-receptionist summaries and a few
//!   robocall voicemails.
//!
//! About a third of the distinct callers are CRM contacts (customers and leads, phones in
//! messy formats, some typed `{number, type}`), plus a few contacts who do not call.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// Area codes used when a city's own run out of fictional lines.
const SPARE_AREAS: [u16; 6] = [213, 312, 415, 617, 702, 917];
use std::io;
use std::path::Path;

/// The three demo inputs, as JSON values.
pub struct Demo {
    /// The policy document (`version` + `locations`).
    pub policy: Value,
    /// The CRM snapshot (`contacts` + `suppressions`).
    pub crm: Value,
    /// The events, sorted by `occurred_at` then `event_id`, replays after their original.
    pub events: Vec<Value>,
}

/// The generator's fixed seed ("RINGBACK").
const SEED: u64 = 0x5249_4E47_4241_434B;
/// Missed calls in the week (replays and answered calls excluded).
const MISSED_TOTAL: usize = 455;
/// Answered calls mixed into the feed.
const ANSWERED_TOTAL: usize = 14;
/// Extra calls from callers who already called the same location this week.
const GENERAL_REPEATS: usize = 14;
/// Calls at `phx-01` on days other than the story's Tuesday.
const PHX_OTHER_DAYS: usize = 7;
/// Missed calls with a withheld caller id.
const WITHHELD_TOTAL: usize = 13;
/// Contacts in the CRM who do not call this week.
const NON_CALLER_CONTACTS: usize = 24;
/// A fictional Twilio account id for recording URLs.
const TWILIO_ACCOUNT: &str = "AC5f3e0c2b9a7d4e6f8a1b2c3d4e5f6a7b";

// ---------------------------------------------------------------------------------------------
// Deterministic randomness
// ---------------------------------------------------------------------------------------------

/// splitmix64: tiny, fast, and good enough for demo data.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next_u64() % n
        }
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.below(u64::from(hi.saturating_sub(lo)) + 1) as u32
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// One element of a non-empty slice.
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// One value of a non-empty weighted list.
    fn weighted<T: Copy>(&mut self, items: &[(T, f64)]) -> T {
        let total: f64 = items.iter().map(|i| i.1).sum();
        let mut x = self.unit() * total;
        for &(value, weight) in items {
            if x < weight {
                return value;
            }
            x -= weight;
        }
        items[items.len() - 1].0
    }

    fn hex(&mut self, len: usize) -> String {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        (0..len)
            .map(|_| char::from(DIGITS[self.below(16) as usize]))
            .collect()
    }

    fn token(&mut self, len: usize) -> String {
        const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
        (0..len).map(|_| char::from(*self.pick(CHARS))).collect()
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            items.swap(i, j);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Static tables
// ---------------------------------------------------------------------------------------------

/// A metro area with its locations (one per neighbourhood).
struct City {
    code: &'static str,
    name: &'static str,
    state: &'static str,
    country: &'static str,
    tz: &'static str,
    /// Standard-time UTC offset in hours (the whole week is after the DST change).
    offset: i32,
    /// Real area codes of the metro; the first carries the locations' main lines.
    areas: &'static [u16],
    hoods: &'static [&'static str],
}

const fn city(
    code: &'static str,
    name: &'static str,
    state: &'static str,
    tz: &'static str,
    offset: i32,
    areas: &'static [u16],
    hoods: &'static [&'static str],
) -> City {
    let country = if matches!(tz.as_bytes(), b"America/Toronto" | b"America/Vancouver") {
        "CA"
    } else {
        "US"
    };
    City {
        code,
        name,
        state,
        country,
        tz,
        offset,
        areas,
        hoods,
    }
}

const NY: &str = "America/New_York";
const CHI: &str = "America/Chicago";
const DEN: &str = "America/Denver";
const PHX: &str = "America/Phoenix";
const LA: &str = "America/Los_Angeles";

#[rustfmt::skip]
const CITIES: &[City] = &[
    // America/Phoenix (13)
    city("phx", "Phoenix", "AZ", PHX, -7, &[602, 480, 623], &["Camelback", "Arcadia", "Ahwatukee", "Deer Valley", "Biltmore"]),
    city("sco", "Scottsdale", "AZ", PHX, -7, &[480], &["Old Town", "Kierland"]),
    city("mes", "Mesa", "AZ", PHX, -7, &[480], &["Dobson Ranch", "Red Mountain"]),
    city("tus", "Tucson", "AZ", PHX, -7, &[520], &["Oracle", "Speedway", "Rita Ranch"]),
    city("cha", "Chandler", "AZ", PHX, -7, &[480], &["Ocotillo"]),
    // America/Denver (13)
    city("den", "Denver", "CO", DEN, -7, &[303, 720], &["Cherry Creek", "Highlands", "Stapleton", "Lakewood", "Aurora"]),
    city("cos", "Colorado Springs", "CO", DEN, -7, &[719], &["Briargate", "Broadmoor"]),
    city("slc", "Salt Lake City", "UT", DEN, -7, &[801, 385], &["Sugar House", "Draper", "Murray"]),
    city("abq", "Albuquerque", "NM", DEN, -7, &[505], &["Nob Hill", "Northeast Heights"]),
    city("elp", "El Paso", "TX", DEN, -7, &[915], &["Westside"]),
    // America/Chicago (30)
    city("dal", "Dallas", "TX", CHI, -6, &[214, 469, 972], &["Uptown", "Lake Highlands", "Preston Hollow", "Plano"]),
    city("hou", "Houston", "TX", CHI, -6, &[713, 281, 832], &["Heights", "Katy", "Sugar Land", "Memorial", "Pearland"]),
    city("aus", "Austin", "TX", CHI, -6, &[512, 737], &["Round Rock", "South Congress", "Cedar Park"]),
    city("sat", "San Antonio", "TX", CHI, -6, &[210], &["Alamo Heights", "Stone Oak"]),
    city("chi", "Chicago", "IL", CHI, -6, &[312, 773, 630, 847], &["Lincoln Park", "Wicker Park", "Naperville", "Evanston"]),
    city("msp", "Minneapolis", "MN", CHI, -6, &[612, 952, 763], &["Uptown", "Edina", "Maple Grove"]),
    city("stl", "St. Louis", "MO", CHI, -6, &[314, 636], &["Clayton", "Chesterfield"]),
    city("kcm", "Kansas City", "MO", CHI, -6, &[816], &["Plaza", "Lee's Summit"]),
    city("nsh", "Nashville", "TN", CHI, -6, &[615, 629], &["Germantown", "Franklin"]),
    city("okc", "Oklahoma City", "OK", CHI, -6, &[405], &["Edmond"]),
    city("nol", "New Orleans", "LA", CHI, -6, &[504], &["Metairie"]),
    city("mil", "Milwaukee", "WI", CHI, -6, &[414, 262], &["Wauwatosa"]),
    // America/New_York (38)
    city("nyc", "New York", "NY", NY, -5, &[212, 718, 917, 646, 347], &["Upper West Side", "Park Slope", "Astoria", "Tribeca", "Staten Island"]),
    city("bos", "Boston", "MA", NY, -5, &[617, 857, 781], &["Back Bay", "Cambridge", "Newton"]),
    city("phl", "Philadelphia", "PA", NY, -5, &[215, 267, 610], &["Fishtown", "Main Line", "Chestnut Hill"]),
    city("atl", "Atlanta", "GA", NY, -5, &[404, 678, 770], &["Buckhead", "Decatur", "Marietta"]),
    city("mia", "Miami", "FL", NY, -5, &[305, 786], &["Coral Gables", "Brickell", "Kendall"]),
    city("orl", "Orlando", "FL", NY, -5, &[407, 321], &["Winter Park", "Lake Nona"]),
    city("tpa", "Tampa", "FL", NY, -5, &[813], &["Hyde Park", "Brandon"]),
    city("clt", "Charlotte", "NC", NY, -5, &[704, 980], &["South End", "Ballantyne"]),
    city("ral", "Raleigh", "NC", NY, -5, &[919, 984], &["North Hills", "Cary"]),
    city("dca", "Washington", "DC", NY, -5, &[202], &["Capitol Hill", "Georgetown"]),
    city("bet", "Bethesda", "MD", NY, -5, &[301, 240], &["Woodmont"]),
    city("arl", "Arlington", "VA", NY, -5, &[703, 571], &["Clarendon"]),
    city("bal", "Baltimore", "MD", NY, -5, &[410, 443], &["Canton"]),
    city("pit", "Pittsburgh", "PA", NY, -5, &[412], &["Shadyside"]),
    city("cle", "Cleveland", "OH", NY, -5, &[216, 440], &["Ohio City"]),
    city("cmh", "Columbus", "OH", NY, -5, &[614, 380], &["German Village", "Dublin"]),
    city("jax", "Jacksonville", "FL", NY, -5, &[904], &["Riverside"]),
    city("ric", "Richmond", "VA", NY, -5, &[804], &["Carytown"]),
    city("nwk", "Montclair", "NJ", NY, -5, &[973, 862], &["Upper Montclair"]),
    city("hfd", "Hartford", "CT", NY, -5, &[860], &["West Hartford"]),
    // America/Los_Angeles (23)
    city("lax", "Los Angeles", "CA", LA, -8, &[213, 310, 323, 818], &["Santa Monica", "Silver Lake", "Pasadena", "Sherman Oaks", "Long Beach"]),
    city("sdg", "San Diego", "CA", LA, -8, &[619, 858, 760], &["La Jolla", "North Park", "Chula Vista"]),
    city("sfo", "San Francisco", "CA", LA, -8, &[415, 628], &["Mission", "Marina"]),
    city("sjc", "San Jose", "CA", LA, -8, &[408, 669], &["Willow Glen", "Santa Clara"]),
    city("oak", "Oakland", "CA", LA, -8, &[510, 341], &["Rockridge"]),
    city("sac", "Sacramento", "CA", LA, -8, &[916, 279], &["Midtown", "Roseville"]),
    city("sea", "Seattle", "WA", LA, -8, &[206, 425, 253], &["Capitol Hill", "Ballard", "Bellevue"]),
    city("pdx", "Portland", "OR", LA, -8, &[503, 971], &["Pearl District", "Beaverton"]),
    city("las", "Las Vegas", "NV", LA, -8, &[702, 725], &["Summerlin", "Henderson"]),
    city("irv", "Irvine", "CA", LA, -8, &[949, 714], &["Woodbridge"]),
    // Canada (2) and Hawaii (1)
    city("tor", "Toronto", "ON", "America/Toronto", -5, &[416, 647, 437], &["Yorkville"]),
    city("van", "Vancouver", "BC", "America/Vancouver", -8, &[604, 778, 236], &["Kitsilano"]),
    city("hnl", "Honolulu", "HI", "Pacific/Honolulu", -10, &[808], &["Kaimuki"]),
];

/// Area codes of callers from outside any location's metro: (area, CNAM city, state, zone).
const FAR: &[(u16, &str, &str, &str)] = &[
    (212, "NEW YORK", "NY", "America/New_York"),
    (201, "JERSEY CITY", "NJ", "America/New_York"),
    (248, "TROY", "MI", "America/Detroit"),
    (317, "INDIANAPOLIS", "IN", "America/Indiana/Indianapolis"),
    (502, "LOUISVILLE", "KY", "America/Kentucky/Louisville"),
    (406, "BILLINGS", "MT", "America/Denver"),
    (207, "PORTLAND", "ME", "America/New_York"),
    (319, "CEDAR RAPIDS", "IA", "America/Chicago"),
    (608, "MADISON", "WI", "America/Chicago"),
    (651, "ST PAUL", "MN", "America/Chicago"),
    (509, "SPOKANE", "WA", "America/Los_Angeles"),
    (208, "BOISE", "ID", "America/Boise"),
    (902, "HALIFAX", "NS", "America/Halifax"),
    (312, "CHICAGO", "IL", "America/Chicago"),
    (612, "MINNEAPOLIS", "MN", "America/Chicago"),
];

#[rustfmt::skip]
const FIRST_NAMES: &[&str] = &[
    "Maria", "James", "Linda", "Robert", "Jennifer", "Michael", "Patricia", "David",
    "Elizabeth", "William", "Susan", "Jose", "Sarah", "Carlos", "Karen", "Daniel", "Nancy",
    "Anthony", "Lisa", "Kevin", "Angela", "Brian", "Michelle", "Jason", "Ashley", "Tyler",
    "Emily", "Marcus", "Priya", "Wei", "Aisha", "Olivia", "Ethan", "Sofia", "Andre", "Hannah",
    "Luis", "Grace", "Omar", "Rachel", "Derek", "Monique", "Samuel", "Keisha", "Ahmed",
    "Brittany", "Raj", "Claire", "Diego", "Tanya", "Gary", "Denise",
];

#[rustfmt::skip]
const LAST_NAMES: &[&str] = &[
    "Garcia", "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis",
    "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas",
    "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris",
    "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King",
    "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson",
    "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Patel", "Kim",
    "Chen", "Okafor", "Shah", "Kowalski", "Fitzgerald", "Yamamoto", "Novak", "Delgado",
];

const BUSINESS_CNAM: &[&str] = &[
    "ACME PLUMBING LLC",
    "SUNRISE PROP MGMT",
    "BLUE SKY REALTY",
    "OAKWOOD APTS",
    "METRO TITLE CO",
    "CITYWIDE MOVERS",
    "SUMMIT DENTAL LAB",
    "RIVERSIDE SCHOOL",
    "HIGHLAND HOA",
    "PINNACLE INS AGCY",
];

const HS_VM: &[&str] = &[
    "hi this is {first} my water heater is leaking all over the garage floor can someone call me back asap",
    "yeah hi um my furnace isn't turning on and it's getting cold in here can you send someone today thanks",
    "hi this is {first} {last} calling about getting a quote on a new ac unit it's not urgent whenever you get a chance give me a call back",
    "hello we have a clogged kitchen sink and the dishwasher is backing up too please call me back",
    "hi i'm calling because i smell gas near the water heater not sure what to do please call back right away",
    "this is {first} i had you guys out last month for the tune up and the thermostat is blinking again can someone call me",
    "hi yes i need someone to look at my breaker it keeps tripping when we run the microwave call me back at this number",
    "hey it's {first} there's water coming through the ceiling in the upstairs bathroom please call me back as soon as possible",
    "hi i wanted to schedule the maintenance plan visit for next week mornings are best thanks",
    "hi this is {first} calling about the estimate you sent over for the water softener i had a couple of questions",
    "yes hello i'm a property manager we have a tenant with no hot water at the unit on main street please call",
    "hi it's {first} no heat at all the house is at fifty five degrees and i have a newborn please call back",
    "hi calling to get a price on replacing a garbage disposal it's not an emergency just whenever",
    "hey i was just calling to see what time the technician is coming today he was supposed to be here at ten",
    "hola hi sorry my english um the drain in the shower is not going down can you call me",
    "hi this is {first} the sewer line is backing up into the basement and it smells awful please call",
];

const HS_THANKSGIVING_VM: &[&str] = &[
    "hi i know it's thanksgiving but our toilet is overflowing and we have twenty people here please call back",
    "hi this is {first} the oven circuit just tripped and we can't get it back on in the middle of cooking the turkey please call",
    "happy thanksgiving sorry to bother you the kitchen sink is completely clogged can anyone come out today",
];

const DENTAL_VM: &[&str] = &[
    "hi this is {first} i have a really bad toothache on the lower left side and my face is starting to swell can i get in today",
    "hi i'm calling to schedule a cleaning for me and my two kids we have delta dental",
    "hello this is {first} {last} i need to reschedule my appointment on thursday please call me back",
    "hi i chipped my front tooth eating dinner last night not in pain but i'd like to get it looked at",
    "hi i'm a new patient and wanted to know if you take cigna and how much a cleaning costs",
    "hi it's {first} my crown came off can you call me back",
    "hi calling about invisalign pricing i saw your ad",
    "hi this is {first} returning your call about my treatment plan",
];

const MEDSPA_VM: &[&str] = &[
    "hi i'm interested in botox for my forehead lines and wanted to know your pricing and availability",
    "hi this is {first} i had filler done on monday and my lip is really swollen and bruised is that normal please call me",
    "hi i wanted to book a hydrafacial for saturday if you have anything open",
    "hi calling about the black friday special on laser hair removal packages",
    "hi this is {first} i need to move my appointment tomorrow something came up",
    "hey i saw your coolsculpting ad on instagram can you tell me more",
];

const AUTO_VM: &[&str] = &[
    "hi my check engine light came on and the car is shaking when i accelerate can i bring it in today",
    "hi this is {first} calling to see if my truck is ready it was in for the brakes",
    "hi i'm interested in the used tahoe you have listed online is it still available",
    "hi i need an oil change and tire rotation sometime this week",
    "hi my car won't start i think it's the battery it's in the grocery store parking lot can you help",
    "calling about the recall notice i got in the mail for my escape",
];

const LEGAL_VM: &[&str] = &[
    "hi my name is {first} i was rear ended yesterday on the freeway and i need to talk to a lawyer",
    "hi i'm calling about a consultation for a divorce please call me back it's confidential so please don't leave a detailed message",
    "this is {first} i got served with papers and have to respond by friday please call",
    "hi calling about setting up a will and a trust for me and my husband",
];

const FINANCIAL_VM: &[&str] = &[
    "hi this is {first} i'm calling about refinancing my mortgage i saw the rates on your website",
    "hi i have a question about a charge on my statement that i don't recognize please call back",
    "hi i'd like to talk to someone about rolling over my old 401k",
    "hi this is {first} i'm really unhappy with how my account was handled and i want to file a complaint",
];

const GENERAL_VM: &[&str] = &[
    "hi i'm calling to see what your hours are over the holiday weekend",
    "hi this is {first} calling about the order i placed last week it still hasn't arrived",
    "hi i had a question about pricing please give me a call back",
];

const CANNABIS_VM: &[&str] = &[
    "hi are you open on thanksgiving and do you have any deals for black friday",
    "hi this is {first} i placed an online order for pickup and wanted to check it's ready",
    "hey do you guys do delivery to lakewood",
];

const SPAM_VM: &[&str] = &[
    "this is an important message regarding your google business listing press one now to verify your listing or it will be suspended",
    "hi this is the business funding department you've been pre approved for a line of credit up to two hundred fifty thousand dollars call us back",
];

/// Ad services per vertical: (campaign label, search keywords, landing-page slug).
fn services(vertical: &str) -> &'static [(&'static str, &'static str, &'static str)] {
    match vertical {
        "home_services" => &[
            (
                "Water Heater",
                "water heater repair near me",
                "water-heater-repair",
            ),
            ("Furnace Repair", "furnace repair", "heating-repair"),
            (
                "Emergency Plumbing",
                "emergency plumber near me",
                "emergency-plumbing",
            ),
            ("Drain Cleaning", "drain cleaning service", "drain-cleaning"),
            ("AC Repair", "ac repair near me", "ac-repair"),
            ("Electrical", "electrician near me", "electrical"),
        ],
        "dental" => &[
            (
                "Emergency Dentist",
                "emergency dentist near me",
                "emergency-dentist",
            ),
            ("Invisalign", "invisalign cost", "invisalign"),
            (
                "New Patients",
                "dentist accepting new patients",
                "new-patients",
            ),
            ("Implants", "dental implants cost", "dental-implants"),
        ],
        "med_spa" => &[
            ("Botox", "botox near me", "botox"),
            ("Fillers", "lip filler", "dermal-fillers"),
            (
                "Laser Hair Removal",
                "laser hair removal deals",
                "laser-hair-removal",
            ),
            ("HydraFacial", "hydrafacial near me", "hydrafacial"),
        ],
        "auto" => &[
            ("Service", "oil change near me", "service"),
            ("Brakes", "brake repair", "brakes"),
            ("Used Inventory", "used trucks for sale", "used-inventory"),
            (
                "Check Engine",
                "check engine light diagnostic",
                "diagnostics",
            ),
        ],
        "legal" => &[
            ("Personal Injury", "car accident lawyer", "personal-injury"),
            ("Family Law", "divorce attorney near me", "family-law"),
            (
                "Estate Planning",
                "will and trust attorney",
                "estate-planning",
            ),
        ],
        "financial" => &[
            ("Mortgage Refi", "mortgage refinance rates", "refinance"),
            ("Retirement", "401k rollover", "retirement"),
            ("Tax Prep", "tax preparation near me", "tax-services"),
        ],
        "cannabis" => &[
            ("Deals", "dispensary deals", "deals"),
            ("Menu", "dispensary near me", "menu"),
        ],
        _ => &[
            ("Brand", "summit group near me", "contact"),
            ("Holiday Hours", "holiday hours", "hours"),
        ],
    }
}

/// The fictional web domain of each vertical's brand.
fn brand_domain(vertical: &str) -> &'static str {
    match vertical {
        "home_services" => "www.summithome.example.com",
        "dental" => "www.brightsmile.example.com",
        "med_spa" => "www.glowmedspa.example.com",
        "auto" => "www.metroauto.example.com",
        "legal" => "www.hartwelllaw.example.com",
        "financial" => "www.northstarfinancial.example.com",
        "cannabis" => "www.greenleaf.example.com",
        _ => "www.summitgroup.example.com",
    }
}

fn voicemail_lines(vertical: &str) -> &'static [&'static str] {
    match vertical {
        "home_services" => HS_VM,
        "dental" => DENTAL_VM,
        "med_spa" => MEDSPA_VM,
        "auto" => AUTO_VM,
        "legal" => LEGAL_VM,
        "financial" => FINANCIAL_VM,
        "cannabis" => CANNABIS_VM,
        _ => GENERAL_VM,
    }
}

// ---------------------------------------------------------------------------------------------
// Time helpers
// ---------------------------------------------------------------------------------------------

/// Minutes since midnight.
const fn t(h: u32, m: u32) -> u32 {
    h * 60 + m
}

fn week_start() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 23)
        .unwrap_or_default()
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default()
}

/// Local wall-clock time `minute` of `day` (0 = Monday 2026-11-23).
fn local_at(day: u32, minute: u32, second: u32) -> NaiveDateTime {
    week_start() + Duration::seconds(i64::from(day) * 86_400 + i64::from(minute * 60 + second))
}

/// RFC 3339 with a fixed whole-hour offset.
fn local_str(at: NaiveDateTime, offset: i32) -> String {
    let sign = if offset < 0 { '-' } else { '+' };
    format!(
        "{}{}{:02}:00",
        at.format("%Y-%m-%dT%H:%M:%S"),
        sign,
        offset.abs()
    )
}

fn to_utc(at: NaiveDateTime, offset: i32) -> NaiveDateTime {
    at - Duration::hours(i64::from(offset))
}

fn utc_str(at: NaiveDateTime) -> String {
    format!("{}Z", at.format("%Y-%m-%dT%H:%M:%S"))
}

/// A UTC instant `days` after `from` at a daytime hour (for CRM history).
fn utc_day(from: NaiveDate, days: u32, second_of_day: u32) -> NaiveDateTime {
    (from + Duration::days(i64::from(days)))
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default()
        + Duration::seconds(i64::from(second_of_day))
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn hm(minute: u32) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

// ---------------------------------------------------------------------------------------------
// Phone numbers
// ---------------------------------------------------------------------------------------------

/// A NANP number: area code, exchange, line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Num {
    area: u16,
    exch: u16,
    line: u16,
}

/// How a number is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    E164,
    Digits11,
    Bare10,
    Paren,
    Dash,
    Dotted,
    Spaced,
    Ext(u16),
}

impl Num {
    fn e164(self) -> String {
        self.styled(Style::E164)
    }

    fn styled(self, style: Style) -> String {
        let (a, e, l) = (self.area, self.exch, self.line);
        match style {
            Style::E164 => format!("+1{a}{e:03}{l:04}"),
            Style::Digits11 => format!("1{a}{e:03}{l:04}"),
            Style::Bare10 => format!("{a}{e:03}{l:04}"),
            Style::Paren => format!("({a}) {e:03}-{l:04}"),
            Style::Dash => format!("{a}-{e:03}-{l:04}"),
            Style::Dotted => format!("{a}.{e:03}.{l:04}"),
            Style::Spaced => format!("+1 {a} {e:03} {l:04}"),
            Style::Ext(x) => format!("{a}-{e:03}-{l:04} x{x}"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Model of the generator
// ---------------------------------------------------------------------------------------------

type Hours = [Vec<(u32, u32)>; 7];

enum Holiday {
    Closed(&'static str),
    Special(&'static str, &'static str, Vec<(u32, u32)>),
}

struct Loc {
    id: String,
    name: String,
    city: usize,
    vertical: &'static str,
    provider: &'static str,
    hours: Hours,
    holidays: Vec<Holiday>,
    phone: Num,
    tracking: [Num; 2],
    avg: u32,
    on_call: bool,
}

struct Caller {
    num: Num,
    first: &'static str,
    last: &'static str,
    cnam: Option<String>,
    state: &'static str,
    tz: &'static str,
    areas: &'static [u16],
    /// Calls only where the story puts it: never reused for repeats.
    reserved: bool,
}

#[derive(Clone)]
struct Voicemail {
    transcript: Option<String>,
    seconds: u32,
    recording: String,
}

#[derive(Clone)]
struct Ev {
    loc: usize,
    at: NaiveDateTime,
    caller: Option<usize>,
    number: Option<String>,
    name: Option<String>,
    disposition: &'static str,
    raw: &'static str,
    ring: Option<u32>,
    duration: Option<u32>,
    voicemail: Option<Voicemail>,
    attribution: Option<Value>,
    tracking: Option<String>,
    ai: Option<Value>,
    /// Seconds from the end of the call to the webhook.
    delay: u32,
    id: String,
    /// The special case this event belongs to ("" for ordinary calls).
    tag: &'static str,
    /// The transcript a later re-delivery adds (the amended replay).
    amended_transcript: Option<String>,
    replayed: bool,
}

struct ContactDraft {
    caller: Option<usize>,
    map: Map<String, Value>,
}

struct Gen {
    rng: Rng,
    locs: Vec<Loc>,
    callers: Vec<Caller>,
    used: BTreeSet<Num>,
    events: Vec<Ev>,
    contacts: Vec<ContactDraft>,
    do_not_call: Vec<String>,
    do_not_text: Vec<String>,
    do_not_email: Vec<String>,
    event_ids: BTreeSet<String>,
}

/// Builds the demo week. Deterministic: the same output on every call and platform.
pub fn generate() -> Demo {
    let mut g = Gen {
        rng: Rng(SEED),
        locs: Vec::new(),
        callers: Vec::new(),
        used: BTreeSet::new(),
        events: Vec::new(),
        contacts: Vec::new(),
        do_not_call: Vec::new(),
        do_not_text: Vec::new(),
        do_not_email: Vec::new(),
        event_ids: BTreeSet::new(),
    };
    g.build_locations();
    g.build_events();
    g.assign_ids();
    g.build_crm();
    g.finish()
}

/// Writes `policy.json`, `crm.json` (pretty, trailing newline) and `events.jsonl` (one
/// compact event per line) into `dir`, creating it if missing. Object keys are written in
/// the order of the model's fields rather than alphabetically, so the files read naturally.
pub fn write(dir: &Path) -> io::Result<()> {
    let demo = generate();
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("policy.json"), to_pretty(&demo.policy))?;
    // The what-if of the README: the same policy with a 10-minute new-lead SLA.
    let mut faster = demo.policy.clone();
    if let Some(obj) = faster.as_object_mut() {
        let version = obj
            .get("version")
            .and_then(Value::as_str)
            .unwrap_or("demo")
            .to_string();
        obj.insert("version".into(), Value::String(format!("{version}-sla10")));
        obj.insert(
            "defaults".into(),
            serde_json::json!({"sla": {"new_lead_minutes": 10}}),
        );
    }
    std::fs::write(dir.join("policy-sla10.json"), to_pretty(&faster))?;
    std::fs::write(dir.join("crm.json"), to_pretty(&demo.crm))?;
    let mut events = String::new();
    for event in &demo.events {
        render(event, None, &mut events);
        events.push('\n');
    }
    std::fs::write(dir.join("events.jsonl"), events)?;
    let mut outcomes = String::new();
    for o in crate::demo_outcomes::generate(&demo.policy, &demo.crm, &demo.events) {
        render(&o, None, &mut outcomes);
        outcomes.push('\n');
    }
    std::fs::write(dir.join("outcomes.jsonl"), outcomes)?;
    Ok(())
}

/// Field orders of the model's objects; an object uses the first list holding all its keys.
#[rustfmt::skip]
const KEY_ORDERS: &[&[&str]] = &[
    &["version", "locations"],
    &["version", "defaults", "locations"],
    &["contacts", "suppressions"],
    &["id", "name", "vertical", "time_zone", "country", "state", "phone", "hours", "holidays",
      "avg_inquiry_value", "currency", "on_call"],
    &["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
    &["date", "name", "hours"],
    &["event_id", "location_id", "occurred_at", "received_at", "caller_number", "caller_name",
      "tracking_number", "disposition", "raw_disposition", "ring_seconds", "duration_seconds",
      "voicemail", "attribution", "provider", "ai_receptionist"],
    &["transcript", "duration_seconds", "recording_url"],
    &["source", "medium", "campaign", "keywords", "landing_page", "referrer", "gclid", "fbclid",
      "msclkid", "utm"],
    &["handled", "summary", "captured_intent"],
    &["id", "kind", "phones", "emails", "first_name", "last_name", "location_id", "created_at",
      "last_activity_at", "lifetime_value", "tags", "time_zone", "state", "preferred_channel",
      "do_not_contact", "consent", "recent_events", "open_followup"],
    &["number", "type"],
    &["sms", "voice", "email"],
    &["status", "kind", "at", "source"],
    &["event_id", "occurred_at", "kind", "location_id", "had_transcript"],
    &["id", "created_at", "due_at", "tier", "attempts", "last_event_id"],
    &["do_not_call", "do_not_text", "do_not_email"],
    &["event_id", "kind", "at", "channel", "step", "responded_at", "value"],
];

/// The entries of an object in model order (unknown keys, such as UTM parameters, last and
/// alphabetical).
fn ordered(map: &Map<String, Value>) -> Vec<(&String, &Value)> {
    let order = KEY_ORDERS
        .iter()
        .find(|o| map.keys().all(|k| o.contains(&k.as_str())))
        .copied()
        .unwrap_or(&[]);
    let mut entries: Vec<(&String, &Value)> = map.iter().collect();
    entries.sort_by_key(|(k, _)| {
        let rank = order.iter().position(|o| o == k).unwrap_or(usize::MAX);
        (rank, k.as_str())
    });
    entries
}

fn to_pretty(value: &Value) -> String {
    let mut out = String::new();
    render(value, Some(0), &mut out);
    out.push('\n');
    out
}

/// JSON text: compact when `indent` is `None`, else pretty with two-space indentation and
/// short arrays of scalars (such as `["07:00", "18:00"]`) kept on one line.
fn render(value: &Value, indent: Option<usize>, out: &mut String) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push('{');
            for (i, (k, v)) in ordered(map).into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                if let Some(n) = indent {
                    newline(out, n + 1);
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                if indent.is_some() {
                    out.push(' ');
                }
                render(v, indent.map(|n| n + 1), out);
            }
            if let Some(n) = indent {
                newline(out, n);
            }
            out.push('}');
        }
        Value::Array(items) if !items.is_empty() => {
            let Some(n) = indent else {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    render(v, None, out);
                }
                out.push(']');
                return;
            };
            let inline = inline_array(value);
            if inline.len() <= 72 && !inline.contains('{') {
                out.push_str(&inline);
                return;
            }
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, n + 1);
                render(v, Some(n + 1), out);
            }
            newline(out, n);
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// An array on one line with `", "` separators.
fn inline_array(value: &Value) -> String {
    match value {
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().map(inline_array).collect();
            format!("[{}]", parts.join(", "))
        }
        Value::Object(_) => "{".to_string(),
        scalar => scalar.to_string(),
    }
}

fn newline(out: &mut String, level: usize) {
    out.push('\n');
    for _ in 0..level {
        out.push_str("  ");
    }
}

impl Gen {
    // -----------------------------------------------------------------------------------------
    // Locations
    // -----------------------------------------------------------------------------------------

    fn build_locations(&mut self) {
        const FIXED: &[(&str, &str, &str)] = &[
            ("phx-01", "home_services", "callrail"),
            ("hou-01", "home_services", "twilio"),
            ("las-01", "home_services", "aircall"),
            ("den-01", "home_services", "callrail"),
            ("chi-01", "home_services", "aircall"),
            ("dal-01", "home_services", "callrail"),
            ("nyc-01", "dental", "twilio"),
            ("den-02", "cannabis", "dialpad"),
            ("lax-02", "cannabis", "dialpad"),
        ];
        const COUNTS: &[(&str, usize)] = &[
            ("home_services", 54),
            ("dental", 24),
            ("med_spa", 18),
            ("auto", 12),
            ("legal", 4),
            ("financial", 3),
            ("general", 3),
            ("cannabis", 2),
        ];
        let mut pool: Vec<&'static str> = Vec::new();
        for &(vertical, count) in COUNTS {
            let fixed = FIXED.iter().filter(|f| f.1 == vertical).count();
            for _ in fixed..count {
                pool.push(vertical);
            }
        }
        self.rng.shuffle(&mut pool);
        let mut pool = pool.into_iter();

        for (ci, c) in CITIES.iter().enumerate() {
            for (k, hood) in c.hoods.iter().enumerate() {
                let id = format!("{}-{:02}", c.code, k + 1);
                let fixed = FIXED.iter().find(|f| f.0 == id);
                let vertical = match fixed {
                    Some(f) => f.1,
                    None => pool.next().unwrap_or("general"),
                };
                let provider = match fixed {
                    Some(f) => f.2,
                    None => self.rng.weighted(&[
                        ("callrail", 0.40),
                        ("twilio", 0.25),
                        ("aircall", 0.20),
                        ("dialpad", 0.15),
                    ]),
                };
                let line = 100 + k as u16;
                let phone = Num {
                    area: c.areas[0],
                    exch: 555,
                    line,
                };
                let tracking = [
                    Num {
                        area: c.areas[0],
                        exch: 555,
                        line: 110 + 2 * k as u16,
                    },
                    Num {
                        area: c.areas[0],
                        exch: 555,
                        line: 111 + 2 * k as u16,
                    },
                ];
                self.used.insert(phone);
                self.used.extend(tracking);
                let hours = self.hours_for(&id, vertical);
                let holidays = self.holidays_for(&id, vertical, c);
                let avg = match (id.as_str(), vertical) {
                    ("phx-01", _) => 250,
                    (_, "home_services") => *self.rng.pick(&[200, 225, 250, 275, 300, 325, 350]),
                    (_, "dental") => *self.rng.pick(&[250, 300, 350, 400]),
                    (_, "med_spa") => *self.rng.pick(&[300, 350, 400]),
                    (_, "auto") => *self.rng.pick(&[150, 200, 250, 300]),
                    (_, "legal") => 400,
                    (_, "financial") => *self.rng.pick(&[300, 350]),
                    (_, "cannabis") => 100,
                    _ => *self.rng.pick(&[100, 125, 150]),
                };
                let on_call = vertical == "home_services"
                    && (matches!(id.as_str(), "phx-01" | "hou-01" | "las-01")
                        || self.rng.chance(0.85));
                self.locs.push(Loc {
                    name: format!("{} {}", c.name, hood),
                    id,
                    city: ci,
                    vertical,
                    provider,
                    hours,
                    holidays,
                    phone,
                    tracking,
                    avg,
                    on_call,
                });
            }
        }
    }

    fn hours_for(&mut self, id: &str, vertical: &str) -> Hours {
        let same = |iv: &[(u32, u32)], days: &[usize]| -> Hours {
            let mut h: Hours = Default::default();
            for &d in days {
                h[d] = iv.to_vec();
            }
            h
        };
        const WEEKDAYS: &[usize] = &[0, 1, 2, 3, 4];
        const ALL: &[usize] = &[0, 1, 2, 3, 4, 5, 6];
        match id {
            "phx-01" => {
                let mut h = same(&[(t(7, 0), t(18, 0))], WEEKDAYS);
                h[5] = vec![(t(8, 0), t(14, 0))];
                return h;
            }
            "hou-01" => return same(&[(0, t(24, 0))], ALL),
            "las-01" => return same(&[(t(6, 0), t(2, 0))], ALL),
            _ => {}
        }
        let r = self.rng.unit();
        match vertical {
            "home_services" => {
                if r < 0.70 {
                    let mut h = same(&[(t(7, 0), t(18, 0))], WEEKDAYS);
                    h[5] = vec![(t(8, 0), t(14, 0))];
                    h
                } else if r < 0.90 {
                    let mut h = same(&[(t(8, 0), t(17, 0))], WEEKDAYS);
                    h[5] = vec![(t(8, 0), t(12, 0))];
                    h
                } else {
                    let mut h = same(&[(t(7, 0), t(19, 0))], &[0, 1, 2, 3, 4, 5]);
                    h[6] = vec![(t(9, 0), t(15, 0))];
                    h
                }
            }
            "dental" => {
                let split = [(t(8, 0), t(12, 0)), (t(13, 0), t(17, 0))];
                if r < 0.5 {
                    let mut h = same(&split, &[0, 1, 2, 3]);
                    h[4] = vec![(t(8, 0), t(13, 0))];
                    h
                } else if r < 0.8 {
                    same(&split, WEEKDAYS)
                } else {
                    let mut h = same(&[(t(7, 0), t(12, 0)), (t(13, 0), t(16, 0))], &[0, 2]);
                    h[1] = vec![(t(10, 0), t(13, 0)), (t(14, 0), t(19, 0))];
                    h[3] = h[1].clone();
                    h[4] = vec![(t(7, 0), t(13, 0))];
                    h[5] = vec![(t(8, 0), t(12, 0))];
                    h
                }
            }
            "med_spa" => {
                if r < 0.6 {
                    let mut h = same(&[(t(10, 0), t(19, 0))], &[1, 2, 3, 4]);
                    h[5] = vec![(t(9, 0), t(16, 0))];
                    h
                } else {
                    let mut h = same(&[(t(9, 0), t(18, 0))], WEEKDAYS);
                    h[5] = vec![(t(9, 0), t(15, 0))];
                    h
                }
            }
            "auto" => {
                if r < 0.7 {
                    let mut h = same(&[(t(7, 30), t(18, 0))], WEEKDAYS);
                    h[5] = vec![(t(8, 0), t(16, 0))];
                    h
                } else {
                    let mut h = same(&[(t(7, 0), t(19, 0))], WEEKDAYS);
                    h[5] = vec![(t(8, 0), t(17, 0))];
                    h[6] = vec![(t(11, 0), t(17, 0))];
                    h
                }
            }
            "legal" => same(&[(t(8, 30), t(17, 30))], WEEKDAYS),
            "financial" => {
                if r < 0.6 {
                    same(&[(t(9, 0), t(17, 0))], WEEKDAYS)
                } else {
                    let mut h = same(&[(t(8, 30), t(17, 0))], WEEKDAYS);
                    h[5] = vec![(t(9, 0), t(12, 0))];
                    h
                }
            }
            "cannabis" => {
                if id.starts_with("den") {
                    same(&[(t(8, 0), t(22, 0))], ALL)
                } else {
                    same(&[(t(9, 0), t(21, 0))], ALL)
                }
            }
            _ => {
                let mut h = same(&[(t(9, 0), t(17, 0))], WEEKDAYS);
                h[5] = vec![(t(10, 0), t(14, 0))];
                h
            }
        }
    }

    fn holidays_for(&mut self, id: &str, vertical: &str, c: &City) -> Vec<Holiday> {
        if c.country == "CA" || matches!(id, "hou-01" | "las-01") {
            return Vec::new();
        }
        if id == "phx-01" {
            return vec![Holiday::Closed("2026-11-26")];
        }
        if vertical == "cannabis" {
            return vec![Holiday::Special(
                "2026-11-26",
                "Thanksgiving",
                vec![(t(10, 0), t(18, 0))],
            )];
        }
        let black_friday = match vertical {
            "home_services" => 0.2,
            "med_spa" => 0.0,
            _ => 0.45,
        };
        let mut h = vec![Holiday::Closed("2026-11-26")];
        if self.rng.chance(black_friday) {
            h.push(Holiday::Special(
                "2026-11-27",
                "Black Friday",
                vec![(t(9, 0), t(13, 0))],
            ));
        }
        h
    }

    fn loc_index(&self, id: &str) -> usize {
        self.locs.iter().position(|l| l.id == id).unwrap_or(0)
    }

    /// Opening intervals of a location on `day` (0 = Monday of the demo week, -1 = the
    /// Sunday before), after holidays.
    fn intervals(&self, loc: usize, day: i64) -> &[(u32, u32)] {
        let l = &self.locs[loc];
        let date = week_start().date() + Duration::days(day);
        let text = date.format("%Y-%m-%d").to_string();
        for h in &l.holidays {
            match h {
                Holiday::Closed(d) if *d == text => return &[],
                Holiday::Special(d, _, hours) if *d == text => return hours,
                _ => {}
            }
        }
        &l.hours[date.weekday().num_days_from_monday() as usize]
    }

    fn is_open(&self, loc: usize, day: u32, minute: u32) -> bool {
        let day = i64::from(day);
        let today = self.intervals(loc, day).iter().any(|&(s, e)| {
            if e > s {
                (s..e).contains(&minute)
            } else {
                minute >= s
            }
        });
        today
            || self
                .intervals(loc, day - 1)
                .iter()
                .any(|&(s, e)| e <= s && minute < e)
    }

    // -----------------------------------------------------------------------------------------
    // Callers
    // -----------------------------------------------------------------------------------------

    /// A fresh caller number. Only the fictional 555-0120..555-0199 lines are used, so no
    /// demo number can belong to a real person.
    fn alloc_number(&mut self, areas: &[u16]) -> Num {
        for _ in 0..64 {
            let n = Num {
                area: *self.rng.pick(areas),
                exch: 555,
                line: 120 + self.rng.below(80) as u16,
            };
            if self.used.insert(n) {
                return n;
            }
        }
        // Crowded area codes: the first free fictional line in them, then in spare ones.
        for &area in areas.iter().chain(SPARE_AREAS.iter()) {
            for line in 120..200 {
                let n = Num {
                    area,
                    exch: 555,
                    line,
                };
                if self.used.insert(n) {
                    return n;
                }
            }
        }
        Num {
            area: 212,
            exch: 555,
            line: 199,
        }
    }

    fn cnam_for(&mut self, first: &str, last: &str, place: &str, state: &str) -> Option<String> {
        let r = self.rng.unit();
        let cnam = if r < 0.55 {
            let sep = if self.rng.chance(0.6) { " " } else { "," };
            format!("{}{}{}", last.to_uppercase(), sep, first.to_uppercase())
        } else if r < 0.80 {
            "WIRELESS CALLER".to_string()
        } else if r < 0.88 {
            let place: String = place.to_uppercase().chars().take(12).collect();
            format!("{} {}", place.trim_end(), state)
        } else if r < 0.93 {
            return Some((*self.rng.pick(BUSINESS_CNAM)).to_string());
        } else {
            return None;
        };
        Some(cnam.chars().take(15).collect())
    }

    /// A new caller from the metro of `city`, or from elsewhere when `far`.
    fn new_caller(&mut self, city: usize, far: bool) -> usize {
        let first = *self.rng.pick(FIRST_NAMES);
        let last = *self.rng.pick(LAST_NAMES);
        let (areas, place, state, tz): (&'static [u16], &str, &'static str, &'static str) = if far {
            if self.rng.chance(0.5) {
                let i = self.rng.below(FAR.len() as u64) as usize;
                let (_, place, state, tz) = FAR[i];
                (std::slice::from_ref(&FAR[i].0), place, state, tz)
            } else {
                let other = loop {
                    let o = self.rng.below(CITIES.len() as u64) as usize;
                    if o != city {
                        break o;
                    }
                };
                let c = &CITIES[other];
                (c.areas, c.name, c.state, c.tz)
            }
        } else {
            let c = &CITIES[city];
            (c.areas, c.name, c.state, c.tz)
        };
        let num = self.alloc_number(areas);
        let cnam = self.cnam_for(first, last, place, state);
        self.callers.push(Caller {
            num,
            first,
            last,
            cnam,
            state,
            tz,
            areas,
            reserved: false,
        });
        self.callers.len() - 1
    }

    /// A caller with a fixed number and name, reserved for one special case.
    fn fixed_caller(
        &mut self,
        num: Num,
        name: (&'static str, &'static str),
        cnam: Option<&str>,
        city: usize,
    ) -> usize {
        self.used.insert(num);
        let c = &CITIES[city];
        self.callers.push(Caller {
            num,
            first: name.0,
            last: name.1,
            cnam: cnam.map(str::to_string),
            state: c.state,
            tz: c.tz,
            areas: c.areas,
            reserved: true,
        });
        self.callers.len() - 1
    }

    fn reserved_caller(&mut self, city: usize, far: bool) -> usize {
        let ci = self.new_caller(city, far);
        self.callers[ci].reserved = true;
        ci
    }

    /// How a vendor delivers the caller's number.
    fn number_style(&mut self, provider: &str) -> Style {
        match provider {
            "twilio" => Style::E164,
            "callrail" => self.rng.weighted(&[
                (Style::E164, 0.80),
                (Style::Paren, 0.12),
                (Style::Dash, 0.08),
            ]),
            "aircall" => self.rng.weighted(&[
                (Style::E164, 0.60),
                (Style::Spaced, 0.25),
                (Style::Dash, 0.15),
            ]),
            _ => self.rng.weighted(&[
                (Style::E164, 0.50),
                (Style::Digits11, 0.40),
                (Style::Paren, 0.10),
            ]),
        }
    }

    // -----------------------------------------------------------------------------------------
    // Events
    // -----------------------------------------------------------------------------------------

    /// A local call time with the week's demand curve: peaks mid-morning and after lunch,
    /// some evenings, a few nights; open or closed as asked when possible.
    fn draw_time(&mut self, loc: usize, want_open: bool, skip_day: Option<u32>) -> (u32, u32) {
        const DAYS: &[(u32, f64)] = &[
            (0, 1.25),
            (1, 1.15),
            (2, 1.10),
            (3, 0.55),
            (4, 1.00),
            (5, 0.65),
            (6, 0.40),
        ];
        let mut last = (0, t(10, 0));
        for _ in 0..400 {
            let day = self.rng.weighted(DAYS);
            if skip_day == Some(day) {
                continue;
            }
            let r = self.rng.unit();
            let minute = if r < 0.33 {
                t(8, 30) + (self.rng.below(211) + self.rng.below(211)) as u32 / 2
            } else if r < 0.60 {
                t(13, 0) + self.rng.below(180) as u32
            } else if r < 0.82 {
                t(7, 0) + self.rng.below(720) as u32
            } else if r < 0.96 {
                t(18, 0) + self.rng.below(240) as u32
            } else {
                (t(22, 0) + self.rng.below(540) as u32) % t(24, 0)
            };
            last = (day, minute);
            if self.is_open(loc, day, minute) == want_open {
                break;
            }
        }
        last
    }

    /// The canonical outcome of a missed call.
    fn outcome(&mut self, open: bool, provider: &str) -> &'static str {
        if !open {
            if provider == "aircall" && self.rng.chance(0.55) {
                return "after_hours";
            }
            if provider == "twilio" && self.rng.chance(0.4) {
                return "after_hours";
            }
            return self.rng.weighted(&[
                ("voicemail", 0.45),
                ("no_answer", 0.35),
                ("abandoned_in_ivr", 0.10),
                ("short_abandoned", 0.10),
            ]);
        }
        self.rng.weighted(&[
            ("voicemail", 0.25),
            ("no_answer", 0.33),
            ("busy", 0.05),
            ("no_agent_available", 0.12),
            ("abandoned", 0.06),
            ("abandoned_in_ivr", 0.04),
            ("abandoned_in_queue", 0.04),
            ("short_abandoned", 0.07),
            ("failed", 0.02),
        ])
    }

    /// What the vendor can express of an outcome, and its verbatim value.
    fn vendor_view(
        &mut self,
        provider: &str,
        canonical: &'static str,
        open: bool,
        has_transcript: bool,
    ) -> (&'static str, &'static str) {
        let abandoned = matches!(
            canonical,
            "abandoned" | "abandoned_in_ivr" | "abandoned_in_queue" | "short_abandoned"
        );
        match provider {
            "callrail" => match canonical {
                "voicemail" if has_transcript => ("voicemail", "voicemail_transcription"),
                "voicemail" => ("voicemail", "voicemail"),
                "answered" => ("answered", "answered"),
                _ if abandoned => {
                    let raw = if self.rng.chance(0.75) {
                        "abandonded"
                    } else {
                        "abandoned"
                    };
                    ("abandoned", raw)
                }
                _ => ("no_answer", "missed"),
            },
            "twilio" => match canonical {
                "voicemail" => ("voicemail", "no-answer"),
                "answered" => ("answered", "completed"),
                "busy" => ("busy", "busy"),
                "failed" => ("failed", "failed"),
                "abandoned" => ("abandoned", "canceled"),
                "short_abandoned" => ("short_abandoned", "canceled"),
                "abandoned_in_queue" => ("abandoned_in_queue", "hangup"),
                "abandoned_in_ivr" => ("abandoned_in_ivr", "completed"),
                "after_hours" => ("after_hours", "completed"),
                _ => ("no_answer", "no-answer"),
            },
            "aircall" => match canonical {
                "voicemail" if open => ("voicemail", "agents_did_not_answer"),
                "voicemail" => ("voicemail", "out_of_opening_hours"),
                "answered" => ("answered", "answered"),
                "short_abandoned" => ("short_abandoned", "short_abandoned"),
                "abandoned_in_ivr" => ("abandoned_in_ivr", "abandoned_in_ivr"),
                _ if abandoned => {
                    let raw = if self.rng.chance(0.5) {
                        "abandoned_in_classic"
                    } else {
                        "abandoned"
                    };
                    ("abandoned", raw)
                }
                _ if !open => ("after_hours", "out_of_opening_hours"),
                "no_agent_available" => ("no_agent_available", "no_available_agent"),
                _ => ("no_answer", "agents_did_not_answer"),
            },
            _ => match canonical {
                "voicemail" => ("voicemail", "voicemail_uploaded"),
                "answered" => ("answered", "connected"),
                _ if abandoned => ("abandoned", "hangup"),
                _ => ("no_answer", "missed"),
            },
        }
    }

    /// Fills disposition, timings, voicemail and webhook delay for an outcome.
    fn set_outcome(
        &mut self,
        ev: &mut Ev,
        canonical: &'static str,
        open: bool,
        transcript: Option<String>,
    ) {
        let provider = self.locs[ev.loc].provider;
        let (disposition, raw) = self.vendor_view(provider, canonical, open, transcript.is_some());
        let rng = &mut self.rng;
        let mut vm_seconds = 0;
        let (ring, duration) = match disposition {
            "voicemail" => {
                // Without a transcript: often a hang-up at the beep, else a message the
                // vendor did not transcribe.
                vm_seconds = if transcript.is_some() {
                    rng.range(14, 75)
                } else if rng.chance(0.4) {
                    rng.range(2, 4)
                } else {
                    rng.range(9, 60)
                };
                let ring = rng.range(18, 30);
                (ring, ring + 9 + vm_seconds)
            }
            "no_answer" => {
                let ring = rng.range(20, 45);
                (ring, ring + rng.range(0, 3))
            }
            "busy" | "failed" => (0, rng.range(0, 2)),
            "no_agent_available" => {
                let ring = rng.range(25, 60);
                (ring, ring + rng.range(0, 5))
            }
            "abandoned" => {
                let ring = rng.range(6, 19);
                (ring, ring + rng.range(0, 2))
            }
            "short_abandoned" => {
                let ring = rng.range(1, 8);
                (ring, ring)
            }
            "abandoned_in_ivr" => (0, rng.range(6, 45)),
            "abandoned_in_queue" => {
                let ring = rng.range(30, 180);
                (ring, ring + 10)
            }
            "after_hours" => (0, rng.range(8, 30)),
            _ => (rng.range(4, 18), rng.range(45, 720)),
        };
        let mut delay = match provider {
            "callrail" => rng.range(5, 90),
            "twilio" => rng.range(1, 8),
            "aircall" => rng.range(2, 30),
            _ => rng.range(3, 45),
        };
        if rng.chance(0.03) {
            delay += rng.range(120, 600);
        }
        ev.disposition = disposition;
        ev.raw = raw;
        ev.ring = if provider == "twilio" {
            None
        } else {
            Some(ring)
        };
        ev.duration = Some(duration);
        ev.voicemail = if disposition == "voicemail" {
            if transcript.is_some() {
                delay += self.rng.range(30, 180);
            }
            Some(Voicemail {
                transcript,
                seconds: vm_seconds,
                recording: self.rng.hex(32),
            })
        } else {
            None
        };
        ev.delay = delay;
    }

    fn transcript(&mut self, loc: usize, day: u32, caller: Option<usize>) -> String {
        let vertical = self.locs[loc].vertical;
        let (first, last) = match caller {
            Some(ci) => (self.callers[ci].first, self.callers[ci].last),
            None => (*self.rng.pick(FIRST_NAMES), *self.rng.pick(LAST_NAMES)),
        };
        let template = if self.rng.chance(0.03) {
            *self.rng.pick(SPAM_VM)
        } else if day == 3 && vertical == "home_services" && self.rng.chance(0.6) {
            *self.rng.pick(HS_THANKSGIVING_VM)
        } else {
            *self.rng.pick(voicemail_lines(vertical))
        };
        fill(template, first, last)
    }

    /// One call at `loc` at the given local time, with a drawn outcome.
    fn make_event(&mut self, loc: usize, day: u32, minute: u32, ci: usize) -> Ev {
        let provider = self.locs[loc].provider;
        let open = self.is_open(loc, day, minute);
        let canonical = self.outcome(open, provider);
        let second = self.rng.range(0, 59);
        let style = self.number_style(provider);
        let hide_name = provider == "twilio" && self.rng.chance(0.4);
        let c = &self.callers[ci];
        let (caller, number) = (Some(ci), Some(c.num.styled(style)));
        let name = if hide_name { None } else { c.cnam.clone() };
        let mut ev = Ev {
            loc,
            at: local_at(day, minute, second),
            caller,
            number,
            name,
            disposition: "no_answer",
            raw: "",
            ring: None,
            duration: None,
            voicemail: None,
            attribution: None,
            tracking: None,
            ai: None,
            delay: 0,
            id: String::new(),
            tag: "",
            amended_transcript: None,
            replayed: false,
        };
        let transcribed = if provider == "twilio" { 0.75 } else { 0.85 };
        let transcript = if self.rng.chance(transcribed) {
            Some(self.transcript(loc, day, caller))
        } else {
            None
        };
        self.set_outcome(&mut ev, canonical, open, transcript);
        self.attribute(&mut ev, None);
        ev
    }

    /// Campaign attribution (about 60% of calls) and the tracking number dialled.
    fn attribute(&mut self, ev: &mut Ev, kind: Option<&'static str>) {
        let l = &self.locs[ev.loc];
        let (vertical, tracking, phone, city) = (l.vertical, l.tracking, l.phone, l.city);
        let kind = match kind {
            Some(k) => k,
            None if !self.rng.chance(0.6) => {
                ev.attribution = None;
                ev.tracking = if self.rng.chance(0.9) {
                    Some(phone.e164())
                } else {
                    None
                };
                return;
            }
            None if vertical == "cannabis" => {
                self.rng
                    .weighted(&[("gbp", 0.5), ("weedmaps", 0.35), ("yelp", 0.15)])
            }
            None => self.rng.weighted(&[
                ("google_cpc", 0.45),
                ("gbp", 0.25),
                ("facebook", 0.10),
                ("bing", 0.07),
                ("yelp", 0.08),
                ("mail", 0.05),
            ]),
        };
        let c = &CITIES[city];
        let city_slug = slug(c.name);
        let loc_slug = slug(&self.locs[ev.loc].name);
        let code = c.code.to_uppercase();
        let domain = brand_domain(vertical);
        let &(service, keywords, service_slug) = self.rng.pick(services(vertical));
        let mut a = Map::new();
        let mut utm = Map::new();
        let put = |m: &mut Map<String, Value>, k: &str, v: String| {
            m.insert(k.to_string(), Value::String(v));
        };
        let number = match kind {
            "google_cpc" => {
                put(&mut a, "source", "google".into());
                put(&mut a, "medium", "cpc".into());
                put(&mut a, "campaign", format!("{code} - {service} - Search"));
                put(&mut a, "keywords", keywords.into());
                put(
                    &mut a,
                    "landing_page",
                    format!("https://{domain}/{city_slug}/{service_slug}"),
                );
                if self.rng.chance(0.7) {
                    let token = self.rng.token(70);
                    put(&mut a, "gclid", format!("Cj0KCQiA{token}_BwE"));
                }
                if self.rng.chance(0.5) {
                    put(&mut utm, "utm_source", "google".into());
                    put(&mut utm, "utm_medium", "cpc".into());
                    put(
                        &mut utm,
                        "utm_campaign",
                        format!("{}_{}_search", c.code, service_slug.replace('-', "_")),
                    );
                    put(&mut utm, "utm_term", keywords.into());
                }
                tracking[0]
            }
            "gbp" => {
                put(&mut a, "source", "google".into());
                put(&mut a, "medium", "organic".into());
                put(&mut a, "campaign", "Google Business Profile".into());
                put(
                    &mut a,
                    "landing_page",
                    format!("https://{domain}/locations/{loc_slug}"),
                );
                if self.rng.chance(0.4) {
                    put(&mut utm, "utm_source", "google".into());
                    put(&mut utm, "utm_medium", "organic".into());
                    put(&mut utm, "utm_campaign", "gbp-listing".into());
                }
                tracking[1]
            }
            "facebook" => {
                put(&mut a, "source", "facebook".into());
                put(&mut a, "medium", "paid_social".into());
                put(
                    &mut a,
                    "campaign",
                    format!("FB - Black Friday - {}", c.name),
                );
                put(
                    &mut a,
                    "landing_page",
                    format!("https://{domain}/offers/black-friday"),
                );
                if self.rng.chance(0.6) {
                    let token = self.rng.token(52);
                    put(&mut a, "fbclid", format!("IwAR{token}"));
                }
                put(&mut utm, "utm_source", "facebook".into());
                put(&mut utm, "utm_medium", "paid_social".into());
                put(&mut utm, "utm_campaign", "black_friday_2026".into());
                put(&mut utm, "utm_content", "carousel_v2".into());
                tracking[1]
            }
            "bing" => {
                put(&mut a, "source", "bing".into());
                put(&mut a, "medium", "cpc".into());
                put(&mut a, "campaign", format!("Bing - {service}"));
                put(&mut a, "keywords", keywords.into());
                put(
                    &mut a,
                    "landing_page",
                    format!("https://{domain}/{city_slug}/{service_slug}"),
                );
                let token = self.rng.hex(32);
                put(&mut a, "msclkid", token);
                tracking[0]
            }
            "yelp" => {
                put(&mut a, "source", "yelp".into());
                put(&mut a, "medium", "referral".into());
                put(
                    &mut a,
                    "referrer",
                    format!("https://www.yelp.com/biz/{loc_slug}"),
                );
                tracking[1]
            }
            "weedmaps" => {
                put(&mut a, "source", "weedmaps".into());
                put(&mut a, "medium", "referral".into());
                put(
                    &mut a,
                    "referrer",
                    "https://weedmaps.com/dispensaries".into(),
                );
                put(&mut a, "landing_page", format!("https://{domain}/menu"));
                tracking[1]
            }
            _ => {
                put(&mut a, "source", "direct_mail".into());
                put(&mut a, "medium", "offline".into());
                put(&mut a, "campaign", "Fall Postcard 2026".into());
                tracking[1]
            }
        };
        if !utm.is_empty() {
            a.insert("utm".into(), Value::Object(utm));
        }
        ev.attribution = Some(Value::Object(a));
        ev.tracking = Some(number.e164());
    }

    fn push(&mut self, mut ev: Ev, tag: &'static str) -> usize {
        ev.tag = tag;
        self.events.push(ev);
        self.events.len() - 1
    }

    fn build_events(&mut self) {
        let special = self.special_events();
        let phx = self.loc_index("phx-01");
        let phx_city = self.locs[phx].city;

        // phx-01 on the other days of the week.
        for _ in 0..PHX_OTHER_DAYS {
            let want_open = self.rng.chance(0.75);
            let (day, minute) = self.draw_time(phx, want_open, Some(1));
            let far = self.rng.chance(0.2);
            let ci = self.new_caller(phx_city, far);
            let ev = self.make_event(phx, day, minute, ci);
            self.push(ev, "");
        }

        // Everyone else, weighted by vertical with some per-location spread.
        let general = MISSED_TOTAL - special - PHX_OTHER_DAYS - GENERAL_REPEATS;
        let mut weights = Vec::new();
        for (i, l) in self.locs.iter().enumerate() {
            if i == phx {
                continue;
            }
            let w = match l.vertical {
                "home_services" => 1.5,
                "auto" => 1.0,
                "dental" => 0.9,
                "med_spa" | "cannabis" => 0.8,
                "legal" => 0.7,
                _ => 0.6,
            };
            weights.push((i, w));
        }
        let mut shares: Vec<(usize, f64)> = weights
            .iter()
            .map(|&(i, w)| (i, w * (0.6 + 0.8 * self.rng.unit())))
            .collect();
        let total: f64 = shares.iter().map(|s| s.1).sum();
        for s in &mut shares {
            s.1 = s.1 / total * general as f64;
        }
        let mut counts: Vec<(usize, usize, f64)> = shares
            .iter()
            .map(|&(i, x)| (i, x.floor() as usize, x - x.floor()))
            .collect();
        let assigned: usize = counts.iter().map(|c| c.1).sum();
        let mut order: Vec<usize> = (0..counts.len()).collect();
        order.sort_by(|&a, &b| counts[b].2.total_cmp(&counts[a].2).then(a.cmp(&b)));
        for &k in order.iter().take(general.saturating_sub(assigned)) {
            counts[k].1 += 1;
        }
        for (loc, n, _) in counts {
            let city = self.locs[loc].city;
            let state = CITIES[city].state;
            let snowbird_state = matches!(state, "AZ" | "FL" | "NV" | "HI");
            for _ in 0..n {
                let want_open = self.rng.chance(0.75);
                let (day, minute) = self.draw_time(loc, want_open, None);
                let far = self.rng.chance(if snowbird_state { 0.22 } else { 0.1 });
                let ci = self.new_caller(city, far);
                let ev = self.make_event(loc, day, minute, ci);
                self.push(ev, "");
            }
        }

        // Withheld caller id: null, words, and Twilio's magic numbers (ANONYMOUS, RESTRICTED).
        const FORMS: [Option<&str>; WITHHELD_TOTAL] = [
            Some("+266696687"),
            Some("+7378742833"),
            None,
            Some("anonymous"),
            Some("Restricted"),
            None,
            Some("anonymous"),
            None,
            Some("Restricted"),
            Some("anonymous"),
            None,
            Some("anonymous"),
            Some("Restricted"),
        ];
        let mut form = 0;
        let mut guard = 0;
        while form < FORMS.len() && guard < 100_000 {
            guard += 1;
            let k = self.rng.below(self.events.len() as u64) as usize;
            let e = &self.events[k];
            let provider = self.locs[e.loc].provider;
            let magic = FORMS[form].is_some_and(|f| f.starts_with('+'));
            if !e.tag.is_empty()
                || e.caller.is_none()
                || e.loc == phx
                || magic != (provider == "twilio")
            {
                continue;
            }
            let e = &mut self.events[k];
            e.caller = None;
            e.number = FORMS[form].map(str::to_string);
            e.name = None;
            form += 1;
        }

        // Callers who try the same location again later in the week.
        let mut made = 0;
        let mut guard = 0;
        while made < GENERAL_REPEATS && guard < 10_000 {
            guard += 1;
            let k = self.rng.below(self.events.len() as u64) as usize;
            let first = &self.events[k];
            let Some(ci) = first.caller else { continue };
            if !first.tag.is_empty() || first.loc == phx || self.callers[ci].reserved {
                continue;
            }
            if self.events.iter().filter(|e| e.caller == Some(ci)).count() > 1 {
                continue;
            }
            let loc = first.loc;
            let gap = if self.rng.chance(0.4) {
                i64::from(self.rng.range(4, 90)) * 60
            } else {
                i64::from(self.rng.range(3, 52)) * 3600
            };
            let at = first.at + Duration::seconds(gap);
            let offset = at - week_start();
            let seconds = offset.num_seconds();
            if seconds >= 7 * 86_400 {
                continue;
            }
            let day = (seconds / 86_400) as u32;
            let minute = ((seconds % 86_400) / 60) as u32;
            let ev = self.make_event(loc, day, minute, ci);
            self.push(ev, "");
            made += 1;
        }

        // Answered calls: not missed, but delivered by the same webhooks.
        let mut answered = 0;
        while answered < ANSWERED_TOTAL {
            let loc = self.rng.below(self.locs.len() as u64) as usize;
            if loc == phx || self.locs[loc].id == "hou-01" {
                continue;
            }
            let (day, minute) = self.draw_time(loc, true, None);
            let city = self.locs[loc].city;
            let ci = self.new_caller(city, false);
            let mut ev = self.make_event(loc, day, minute, ci);
            self.set_outcome(&mut ev, "answered", true, None);
            self.push(ev, "answered");
            answered += 1;
        }

        // A few calls a voice-AI receptionist took a message for.
        let mut with_ai = 0;
        for k in 0..self.events.len() {
            if with_ai == 3 {
                break;
            }
            let e = &self.events[k];
            let l = &self.locs[e.loc];
            if e.tag.is_empty()
                && l.provider == "twilio"
                && matches!(e.disposition, "after_hours" | "no_answer")
                && e.caller.is_some()
            {
                let ai = match l.vertical {
                    "home_services" => json!({
                        "handled": true,
                        "summary": "Caller says the furnace stopped overnight and the house is cold; two small kids at home. Wants a technician first thing tomorrow.",
                        "captured_intent": "emergency_repair"
                    }),
                    "dental" => json!({
                        "handled": true,
                        "summary": "New patient asking whether the office takes Cigna PPO and what a cleaning costs.",
                        "captured_intent": "new_patient_inquiry"
                    }),
                    _ => json!({
                        "handled": true,
                        "summary": "Caller asked for a call back about pricing and availability this week; no other details.",
                        "captured_intent": "pricing"
                    }),
                };
                self.events[k].ai = Some(ai);
                with_ai += 1;
            }
        }
    }

    /// The story's Phoenix Tuesday and the special identity cases. Returns how many missed
    /// calls they add.
    fn special_events(&mut self) -> usize {
        let before = self.events.len();
        let phx = self.loc_index("phx-01");
        let phx_city = self.locs[phx].city;

        // --- The Phoenix Tuesday: 12 missed calls at phx-01 on 2026-11-24 -----------------
        // (minute, customer?, outcome, transcript)
        let tuesday: [(u32, bool, &'static str, Option<&str>); 12] = [
            (t(7, 12), false, "no_answer", None),
            (t(7, 58), false, "voicemail", Some("hi this is {first} my water heater is leaking all over the garage floor can someone call me back asap")),
            (t(8, 41), true, "voicemail", Some("hi it's {first} {last} you guys did our furnace tune up last winter and now it won't kick on the house is at fifty eight degrees can someone come out today")),
            (t(9, 17), false, "abandoned", None),
            (t(9, 52), false, "no_answer", None),
            (t(10, 26), true, "no_answer", None),
            (t(11, 3), false, "voicemail", Some("hello i'm calling to get a quote on replacing our ac unit it's about fifteen years old no rush just give me a call when you can thanks")),
            (t(12, 48), false, "abandoned", None),
            (t(13, 35), true, "voicemail", Some("hey this is {first} the kitchen sink is backed up again same as last time could you send somebody out this week thanks")),
            (t(14, 22), false, "no_answer", None),
            (t(15, 40), true, "no_answer", None),
            (t(16, 57), false, "no_answer", None),
        ];
        let mut customers = 0;
        let mut new_leads = 0;
        for (minute, customer, outcome, text) in tuesday {
            let ci = if customer && customers == 0 {
                // Stored as "(602) 555-0143" in the CRM, delivered as +16025550143.
                self.fixed_caller(
                    Num {
                        area: 602,
                        exch: 555,
                        line: 143,
                    },
                    ("Linda", "Alvarez"),
                    Some("ALVAREZ LINDA"),
                    phx_city,
                )
            } else {
                // One new lead calls from an out-of-area number.
                let far = !customer && new_leads == 5;
                self.reserved_caller(phx_city, far)
            };
            let mut ev = self.make_event(phx, 1, minute, ci);
            let transcript = text.map(|x| fill(x, self.callers[ci].first, self.callers[ci].last));
            self.set_outcome(&mut ev, outcome, true, transcript);
            if let Some(vm) = &mut ev.voicemail {
                vm.seconds = vm.seconds.max(18);
            }
            ev.ai = None;
            if customer {
                if customers == 0 {
                    ev.number = Some(self.callers[ci].num.e164());
                }
                customers += 1;
                let kind = if customers % 2 == 0 {
                    None
                } else {
                    Some("gbp")
                };
                self.attribute(&mut ev, kind);
                if kind.is_none() {
                    ev.attribution = None;
                    ev.tracking = Some(self.locs[phx].phone.e164());
                }
                self.push(ev, "phx_tuesday_customer");
            } else {
                new_leads += 1;
                let kind = if new_leads <= 6 { "google_cpc" } else { "gbp" };
                self.attribute(&mut ev, Some(kind));
                self.push(ev, "phx_tuesday_new");
            }
        }

        // --- Shared main line: a property manager's switchboard on 4 contacts at den-01 ----
        let den = self.loc_index("den-01");
        let den_city = self.locs[den].city;
        let ci = self.fixed_caller(
            Num {
                area: 303,
                exch: 555,
                line: 188,
            },
            ("Dana", "Whitfield"),
            Some("FRONT RANGE PM"),
            den_city,
        );
        let mut ev = self.make_event(den, 1, t(9, 5), ci);
        self.set_outcome(
            &mut ev,
            "voicemail",
            true,
            Some("hi this is dana with front range property management we have a tenant on south logan street with no heat can you call the office back to set up a visit".into()),
        );
        ev.number = Some("+13035550188".into());
        self.push(ev, "shared_line");

        // --- Repeat caller: a chi-01 lead calls twice within 15 minutes --------------------
        let chi = self.loc_index("chi-01");
        let chi_city = self.locs[chi].city;
        let ci = self.reserved_caller(chi_city, false);
        let ev = {
            let mut ev = self.make_event(chi, 2, t(10, 2), ci);
            self.set_outcome(&mut ev, "no_answer", true, None);
            ev
        };
        self.push(ev, "repeat_first");
        let mut ev = self.make_event(chi, 2, t(10, 17), ci);
        let text = fill(
            "hi it's {first} again i called a few minutes ago our basement is flooding the sump pump stopped working please call me back",
            self.callers[ci].first,
            self.callers[ci].last,
        );
        self.set_outcome(&mut ev, "voicemail", true, Some(text));
        self.push(ev, "repeat_second");

        // --- Open follow-up: a nyc-01 lead from Saturday calls again on Monday -------------
        let nyc = self.loc_index("nyc-01");
        let ci = self.reserved_caller(self.locs[nyc].city, false);
        let mut ev = self.make_event(nyc, 0, t(9, 12), ci);
        self.set_outcome(&mut ev, "no_answer", true, None);
        self.push(ev, "open_followup");

        // --- Amended replay: CallRail re-delivers a voicemail with its transcript ----------
        let dal = self.loc_index("dal-01");
        let ci = self.reserved_caller(self.locs[dal].city, false);
        let mut ev = self.make_event(dal, 0, t(16, 44), ci);
        self.set_outcome(&mut ev, "voicemail", true, None);
        if let Some(vm) = &mut ev.voicemail {
            vm.seconds = 41;
        }
        ev.amended_transcript = Some(fill(
            "hi this is {first} {last} i called about the estimate for the new water heater we decided to go ahead so please call me to schedule the install thanks",
            self.callers[ci].first,
            self.callers[ci].last,
        ));
        ev.raw = "voicemail";
        self.push(ev, "amended");

        // --- Compliance material ----------------------------------------------------------
        let mia = self.loc_index("mia-01");
        let ci = self.reserved_caller(self.locs[mia].city, false);
        let mut ev = self.make_event(mia, 1, t(14, 5), ci);
        self.set_outcome(&mut ev, "no_answer", true, None);
        self.push(ev, "do_not_text");

        let sea = self.loc_index("sea-01");
        let ci = self.reserved_caller(self.locs[sea].city, false);
        let (day, minute) = self.draw_time(sea, true, Some(3));
        let mut ev = self.make_event(sea, day, minute, ci);
        self.set_outcome(&mut ev, "abandoned", true, None);
        self.push(ev, "do_not_contact");

        let atl = self.loc_index("atl-01");
        let ci = self.reserved_caller(self.locs[atl].city, false);
        let (day, minute) = self.draw_time(atl, true, Some(3));
        let mut ev = self.make_event(atl, day, minute, ci);
        self.set_outcome(&mut ev, "no_answer", true, None);
        self.push(ev, "sms_revoked");

        let orl = self.loc_index("orl-01");
        let ci = self.reserved_caller(self.locs[orl].city, false);
        let mut ev = self.make_event(orl, 4, t(11, 15), ci);
        let text = fill(
            "yeah this is {first} {last} you guys keep calling me about the estimate i'm not interested anymore please stop calling me and take me off your list",
            self.callers[ci].first,
            self.callers[ci].last,
        );
        let open = self.is_open(orl, 4, t(11, 15));
        self.set_outcome(&mut ev, "voicemail", open, Some(text));
        self.push(ev, "opt_out");

        // A snowbird: New York mobile number, winters in Phoenix, customer of phx-02.
        let phx2 = self.loc_index("phx-02");
        let ci = self.fixed_caller(
            Num {
                area: 212,
                exch: 555,
                line: 161,
            },
            ("Gary", "Kowalski"),
            Some("WIRELESS CALLER"),
            phx_city,
        );
        let mut ev = self.make_event(phx2, 2, t(10, 20), ci);
        let text = "hi this is gary kowalski we just got back to town for the winter and the heat pump is making a loud rattling noise when it kicks on can somebody come take a look".to_string();
        self.set_outcome(&mut ev, "voicemail", true, Some(text));
        self.push(ev, "snowbird");

        self.events.len() - before
    }

    /// Vendor call ids, in call order (Aircall ids grow with time).
    fn assign_ids(&mut self) {
        let offsets: Vec<i32> = self.locs.iter().map(|l| CITIES[l.city].offset).collect();
        self.events.sort_by_key(|e| to_utc(e.at, offsets[e.loc]));
        let start = week_start();
        for k in 0..self.events.len() {
            let e = &self.events[k];
            let provider = self.locs[e.loc].provider;
            let seconds = (to_utc(e.at, offsets[e.loc]) - start).num_seconds().max(0) as u64;
            let id = loop {
                let id = match provider {
                    "callrail" => format!("CAL{}", self.rng.hex(32)),
                    "twilio" => format!("CA{}", self.rng.hex(32)),
                    "aircall" => format!("{}", 1_987_000_000 + seconds * 3 + self.rng.below(3)),
                    _ => format!(
                        "{}",
                        4_503_599_627_370_496 + self.rng.below(4_000_000_000_000_000)
                    ),
                };
                if self.event_ids.insert(id.clone()) {
                    break id;
                }
            };
            self.events[k].id = id;
        }
        self.events.sort_by(|a, b| {
            to_utc(a.at, offsets[a.loc])
                .cmp(&to_utc(b.at, offsets[b.loc]))
                .then_with(|| a.id.cmp(&b.id))
        });
    }

    // -----------------------------------------------------------------------------------------
    // CRM
    // -----------------------------------------------------------------------------------------

    fn history_id(&mut self, provider: &str) -> String {
        match provider {
            "callrail" => format!("CAL{}", self.rng.hex(32)),
            "twilio" => format!("CA{}", self.rng.hex(32)),
            "aircall" => format!("{}", 1_900_000_000 + self.rng.below(80_000_000)),
            _ => format!(
                "{}",
                4_503_599_627_370_496 + self.rng.below(4_000_000_000_000_000)
            ),
        }
    }

    fn contact_phone(&mut self, num: Num) -> Value {
        let style = self.rng.weighted(&[
            (Style::Paren, 0.30),
            (Style::Dash, 0.18),
            (Style::Dotted, 0.12),
            (Style::Spaced, 0.10),
            (Style::E164, 0.10),
            (Style::Bare10, 0.10),
            (Style::Digits11, 0.05),
            (Style::Ext(0), 0.05),
        ]);
        let style = match style {
            Style::Ext(_) => Style::Ext(self.rng.range(10, 40) as u16),
            s => s,
        };
        let text = num.styled(style);
        if matches!(style, Style::Ext(_)) {
            return json!({"number": text, "type": "landline"});
        }
        if self.rng.chance(0.15) {
            let kind = if self.rng.chance(0.8) {
                "mobile"
            } else {
                "landline"
            };
            json!({"number": text, "type": kind})
        } else {
            Value::String(text)
        }
    }

    /// An ordinary CRM record for a caller; special cases patch it.
    fn base_contact(&mut self, ci: usize, loc: usize, kind: &'static str) -> Map<String, Value> {
        let (num, first, last, state, tz, areas) = {
            let c = &self.callers[ci];
            (c.num, c.first, c.last, c.state, c.tz, c.areas)
        };
        let vertical = self.locs[loc].vertical;
        let provider = self.locs[loc].provider;
        let loc_id = self.locs[loc].id.clone();

        let mut phones = vec![self.contact_phone(num)];
        if self.rng.chance(0.2) {
            let second = self.alloc_number(areas);
            let p = if self.rng.chance(0.5) {
                json!({"number": second.styled(Style::Paren), "type": "landline"})
            } else {
                Value::String(second.styled(Style::Dash))
            };
            phones.push(p);
        }
        let mut emails = Vec::new();
        if self.rng.chance(0.7) {
            let domain = *self
                .rng
                .pick(&["example.com", "example.net", "example.org"]);
            let local = if self.rng.chance(0.5) {
                format!("{}.{}", first.to_lowercase(), last.to_lowercase())
            } else {
                format!(
                    "{}{}{}",
                    &first[..1].to_lowercase(),
                    last.to_lowercase(),
                    self.rng.range(1, 99)
                )
            };
            emails.push(Value::String(format!("{local}@{domain}")));
        }
        let customer = kind == "customer";
        let (from, span) = if customer {
            (date(2019, 3, 1), 2800)
        } else {
            (date(2026, 3, 1), 250)
        };
        let created_day = self.rng.below(span) as u32;
        let created = utc_day(from, created_day, self.rng.range(14 * 3600, 23 * 3600));
        let cutoff = date(2026, 11, 19);
        let days_left = (cutoff - created.date()).num_days().max(1) as u64;
        let activity_day = self.rng.below(days_left) as u32;
        let mut last_activity = utc_day(
            created.date(),
            activity_day,
            self.rng.range(14 * 3600, 23 * 3600),
        );
        last_activity = last_activity.max(created);

        let mut tags = Vec::new();
        let vip = customer && self.rng.chance(0.08);
        if vip {
            tags.push("vip");
        }
        let pool: &[&str] = match vertical {
            "home_services" => &["membership", "warranty", "financing", "referral"],
            "dental" => &["recall-due", "insurance-delta", "ortho", "new-patient"],
            "med_spa" => &["membership", "botox", "package"],
            "auto" => &["service-plan", "fleet", "lease-end"],
            _ => &["referral", "newsletter"],
        };
        if self.rng.chance(0.35) {
            tags.push(*self.rng.pick(pool));
        }
        let lifetime = if customer {
            let cents = 12_000 + (self.rng.unit().powi(2) * 600_000.0) as u64;
            let cents = if vip { cents + 800_000 } else { cents };
            json!(cents as f64 / 100.0)
        } else {
            Value::Null
        };
        let time_zone = if self.rng.chance(0.2) {
            json!(tz)
        } else {
            Value::Null
        };
        let state = if self.rng.chance(0.4) {
            json!(state)
        } else {
            Value::Null
        };
        let preferred = if self.rng.chance(0.2) {
            let mut choices = vec![("sms", 0.6), ("voice", 0.25)];
            if !emails.is_empty() {
                choices.push(("email", 0.15));
            }
            json!(self.rng.weighted(&choices))
        } else {
            Value::Null
        };
        let mut consent = Map::new();
        let r = self.rng.unit();
        if r < 0.35 {
            let written = self.rng.chance(0.15);
            consent.insert(
                "sms".into(),
                json!({
                    "status": "granted",
                    "kind": if written { "express_written" } else { "express" },
                    "at": utc_str(created),
                    "source": "web_form"
                }),
            );
        }
        if !emails.is_empty() && self.rng.chance(0.15) {
            consent.insert(
                "email".into(),
                json!({"status": "granted", "kind": "express", "at": utc_str(created), "source": "checkout"}),
            );
        }

        let mut recent = Vec::new();
        if self.rng.chance(0.3) {
            let n = self.rng.range(1, 3);
            let start = created.date().max(date(2026, 6, 1));
            let span = (cutoff - start).num_days().max(1) as u64;
            let mut days: Vec<u32> = (0..n).map(|_| self.rng.below(span) as u32).collect();
            days.sort_unstable();
            for d in days {
                let at = utc_day(start, d, self.rng.range(14 * 3600, 23 * 3600));
                let kind = self.rng.weighted(&[
                    ("missed_call", 0.4),
                    ("sms_sent", 0.3),
                    ("call_attempt", 0.2),
                    ("email_sent", 0.1),
                ]);
                let id = match kind {
                    "missed_call" => self.history_id(provider),
                    "sms_sent" => format!("SM{}", self.rng.hex(32)),
                    "call_attempt" => format!("call_{}", self.rng.hex(16)),
                    _ => format!("em_{}", self.rng.hex(16)),
                };
                recent.push(recent_event(
                    &id,
                    &utc_str(at),
                    kind,
                    &loc_id,
                    kind == "missed_call",
                ));
                last_activity = last_activity.max(at);
            }
        }

        let mut m = Map::new();
        m.insert("id".into(), Value::Null);
        m.insert("kind".into(), json!(kind));
        m.insert("phones".into(), Value::Array(phones));
        m.insert("emails".into(), Value::Array(emails));
        m.insert("first_name".into(), json!(first));
        m.insert("last_name".into(), json!(last));
        m.insert("location_id".into(), json!(loc_id));
        m.insert("created_at".into(), json!(utc_str(created)));
        m.insert("last_activity_at".into(), json!(utc_str(last_activity)));
        m.insert("lifetime_value".into(), lifetime);
        m.insert("tags".into(), json!(tags));
        m.insert("time_zone".into(), time_zone);
        m.insert("state".into(), state);
        m.insert("preferred_channel".into(), preferred);
        m.insert("do_not_contact".into(), json!(false));
        m.insert("consent".into(), Value::Object(consent));
        m.insert("recent_events".into(), Value::Array(recent));
        m.insert("open_followup".into(), Value::Null);
        m
    }

    fn add_contact(&mut self, caller: Option<usize>, map: Map<String, Value>) -> usize {
        self.contacts.push(ContactDraft { caller, map });
        self.contacts.len() - 1
    }

    fn tagged(&self, tag: &str) -> Vec<usize> {
        (0..self.events.len())
            .filter(|&k| self.events[k].tag == tag)
            .collect()
    }

    fn build_crm(&mut self) {
        // --- The four Phoenix customers -----------------------------------------------
        let phx = self.loc_index("phx-01");
        let stored: [Value; 4] = [
            json!("(602) 555-0143"),
            Value::Null,
            Value::Null,
            Value::Null,
        ];
        for (n, k) in self.tagged("phx_tuesday_customer").into_iter().enumerate() {
            let Some(ci) = self.events[k].caller else {
                continue;
            };
            let mut m = self.base_contact(ci, phx, "customer");
            let num = self.callers[ci].num;
            let phone = match n {
                0 => stored[0].clone(),
                1 => json!(num.styled(Style::Dotted)),
                2 => json!({"number": num.styled(Style::Spaced), "type": "mobile"}),
                _ => json!(num.styled(Style::Bare10)),
            };
            m.insert("phones".into(), json!([phone]));
            m.insert("state".into(), json!("AZ"));
            if n == 0 {
                m.insert("time_zone".into(), json!("America/Phoenix"));
                m.insert("tags".into(), json!(["membership"]));
                let sms = self.rng.hex(32);
                m.insert(
                    "recent_events".into(),
                    json!([
                        recent_event(
                            &format!("CAL{}", self.rng.hex(32)),
                            "2026-09-08T17:22:41Z",
                            "missed_call",
                            "phx-01",
                            false
                        ),
                        recent_event(
                            &format!("SM{sms}"),
                            "2026-09-08T17:24:03Z",
                            "sms_sent",
                            "phx-01",
                            false
                        )
                    ]),
                );
            }
            self.add_contact(Some(ci), m);
        }

        // --- Shared main line: four contacts on one switchboard ---------------------------
        let den = self.loc_index("den-01");
        if let Some(&k) = self.tagged("shared_line").first() {
            if let Some(ci) = self.events[k].caller {
                let num = self.callers[ci].num;
                let people: [(&str, &str, &str, Value); 4] = [
                    (
                        "Dana",
                        "Whitfield",
                        "customer",
                        json!(num.styled(Style::Paren)),
                    ),
                    (
                        "Marcus",
                        "Greer",
                        "customer",
                        json!({"number": num.styled(Style::Ext(12)), "type": "landline"}),
                    ),
                    ("Tanya", "Okafor", "lead", json!(num.styled(Style::Ext(15)))),
                    ("Keisha", "Bell", "lead", json!(num.styled(Style::Spaced))),
                ];
                for (first, last, kind, phone) in people {
                    let mut m = self.base_contact(ci, den, kind);
                    let mut phones = vec![phone];
                    if first == "Marcus" {
                        let mobile = self.alloc_number(&[303, 720]);
                        phones
                            .push(json!({"number": mobile.styled(Style::E164), "type": "mobile"}));
                    }
                    m.insert("phones".into(), Value::Array(phones));
                    m.insert("first_name".into(), json!(first));
                    m.insert("last_name".into(), json!(last));
                    m.insert(
                        "emails".into(),
                        json!([format!("{}@frontrangepm.example.com", first.to_lowercase())]),
                    );
                    m.insert("tags".into(), json!(["property-manager"]));
                    self.add_contact(Some(ci), m);
                }
            }
        }

        // --- Repeat caller (lead) ------------------------------------------------------------
        if let Some(&k) = self.tagged("repeat_first").first() {
            if let Some(ci) = self.events[k].caller {
                let loc = self.events[k].loc;
                let m = self.base_contact(ci, loc, "lead");
                self.add_contact(Some(ci), m);
            }
        }

        // --- Open follow-up from Saturday ----------------------------------------------------
        if let Some(&k) = self.tagged("open_followup").first() {
            if let Some(ci) = self.events[k].caller {
                let loc = self.events[k].loc;
                let provider = self.locs[loc].provider;
                let loc_id = self.locs[loc].id.clone();
                let mut m = self.base_contact(ci, loc, "lead");
                let prior = self.history_id(provider);
                let sms = format!("SM{}", self.rng.hex(32));
                m.insert("created_at".into(), json!("2026-11-21T21:40:30Z"));
                m.insert("consent".into(), json!({}));
                m.insert("last_activity_at".into(), json!("2026-11-21T21:43:12Z"));
                m.insert(
                    "recent_events".into(),
                    json!([
                        recent_event(
                            &prior,
                            "2026-11-21T21:40:30Z",
                            "missed_call",
                            &loc_id,
                            false
                        ),
                        recent_event(&sms, "2026-11-21T21:43:12Z", "sms_sent", &loc_id, false)
                    ]),
                );
                m.insert(
                    "open_followup".into(),
                    json!({
                        "id": format!("fu_{}", self.rng.hex(12)),
                        "created_at": "2026-11-21T21:40:30Z",
                        "due_at": "2026-11-23T15:00:00Z",
                        "tier": 1,
                        "attempts": 1,
                        "last_event_id": prior
                    }),
                );
                self.add_contact(Some(ci), m);
            }
        }

        // --- The amended voicemail's lead ------------------------------------------------------
        if let Some(&k) = self.tagged("amended").first() {
            if let Some(ci) = self.events[k].caller {
                let loc = self.events[k].loc;
                let m = self.base_contact(ci, loc, "lead");
                self.add_contact(Some(ci), m);
                self.events[k].replayed = true;
            }
        }

        // --- Compliance cases -------------------------------------------------------------
        if let Some(&k) = self.tagged("do_not_text").first() {
            if let Some(ci) = self.events[k].caller {
                let loc = self.events[k].loc;
                let num = self.callers[ci].num;
                let mut m = self.base_contact(ci, loc, "customer");
                m.insert("phones".into(), json!([num.styled(Style::Paren)]));
                self.do_not_text.push(num.e164());
                self.add_contact(Some(ci), m);
            }
        }
        if let Some(&k) = self.tagged("do_not_contact").first() {
            if let Some(ci) = self.events[k].caller {
                let loc = self.events[k].loc;
                let mut m = self.base_contact(ci, loc, "customer");
                m.insert("do_not_contact".into(), json!(true));
                m.insert("tags".into(), json!(["dispute"]));
                self.add_contact(Some(ci), m);
            }
        }
        if let Some(&k) = self.tagged("sms_revoked").first() {
            if let Some(ci) = self.events[k].caller {
                let loc = self.events[k].loc;
                let loc_id = self.locs[loc].id.clone();
                let mut m = self.base_contact(ci, loc, "customer");
                m.insert(
                    "consent".into(),
                    json!({"sms": {"status": "revoked", "kind": "express", "at": "2026-10-14T19:02:11Z", "source": "sms_reply_stop"}}),
                );
                let sms = format!("SM{}", self.rng.hex(32));
                m.insert(
                    "recent_events".into(),
                    json!([recent_event(
                        &sms,
                        "2026-10-14T19:01:40Z",
                        "sms_sent",
                        &loc_id,
                        false
                    )]),
                );
                m.insert("preferred_channel".into(), json!("voice"));
                self.add_contact(Some(ci), m);
            }
        }
        if let Some(&k) = self.tagged("opt_out").first() {
            if let Some(ci) = self.events[k].caller {
                let loc = self.events[k].loc;
                let loc_id = self.locs[loc].id.clone();
                let mut m = self.base_contact(ci, loc, "lead");
                let calls: Vec<Value> = [
                    "2026-11-10T15:12:00Z",
                    "2026-11-14T19:40:00Z",
                    "2026-11-18T16:05:00Z",
                ]
                .iter()
                .map(|at| {
                    recent_event(
                        &format!("call_{}", self.rng.hex(16)),
                        at,
                        "call_attempt",
                        &loc_id,
                        false,
                    )
                })
                .collect();
                m.insert("recent_events".into(), Value::Array(calls));
                m.insert("open_followup".into(), Value::Null);
                self.add_contact(Some(ci), m);
            }
        }
        if let Some(&k) = self.tagged("snowbird").first() {
            if let Some(ci) = self.events[k].caller {
                let loc = self.events[k].loc;
                let mut m = self.base_contact(ci, loc, "customer");
                m.insert(
                    "phones".into(),
                    json!([{"number": "212.555.0161", "type": "mobile"}]),
                );
                m.insert("time_zone".into(), json!("America/Phoenix"));
                m.insert("state".into(), json!("AZ"));
                m.insert("tags".into(), json!(["snowbird", "membership"]));
                self.add_contact(Some(ci), m);
            }
        }

        // --- About a third of the ordinary callers are already in the CRM ----------------
        let mut calls_per_caller: BTreeMap<usize, usize> = BTreeMap::new();
        for e in &self.events {
            if let Some(ci) = e.caller {
                *calls_per_caller.entry(ci).or_default() += 1;
            }
        }
        let mut seen = BTreeSet::new();
        let mut chosen: Vec<(usize, usize)> = Vec::new();
        for k in 0..self.events.len() {
            let e = &self.events[k];
            let Some(ci) = e.caller else { continue };
            if !e.tag.is_empty() && e.tag != "answered" || self.callers[ci].reserved {
                continue;
            }
            if !seen.insert(ci) {
                continue;
            }
            let repeat = calls_per_caller.get(&ci).copied().unwrap_or(0) > 1;
            let p = if repeat { 0.6 } else { 0.3 };
            if self.rng.chance(p) {
                chosen.push((ci, k));
            }
        }
        let mut ordinary = Vec::new();
        for (ci, k) in chosen {
            let mut loc = self.events[k].loc;
            if self.rng.chance(0.1) {
                let city = self.locs[loc].city;
                let siblings: Vec<usize> = (0..self.locs.len())
                    .filter(|&i| self.locs[i].city == city && i != loc)
                    .collect();
                if !siblings.is_empty() {
                    loc = *self.rng.pick(&siblings);
                }
            }
            let kind = if self.rng.chance(0.6) {
                "customer"
            } else {
                "lead"
            };
            let m = self.base_contact(ci, loc, kind);
            let idx = self.add_contact(Some(ci), m);
            ordinary.push((ci, k, idx));
        }

        // --- Exact webhook replays: delivered twice, recognised by the replay's write-back ---
        let mut providers_done: Vec<&str> = Vec::new();
        for &(ci, k, _) in &ordinary {
            if providers_done.len() == 3 {
                break;
            }
            let e = &self.events[k];
            let provider = self.locs[e.loc].provider;
            if e.disposition == "answered"
                || e.loc == phx
                || calls_per_caller.get(&ci).copied().unwrap_or(0) != 1
                || providers_done.contains(&provider)
                || self.rng.chance(0.5)
            {
                continue;
            }
            providers_done.push(provider);
            self.events[k].replayed = true;
        }

        // --- Contacts who do not call this week --------------------------------------------
        for _ in 0..NON_CALLER_CONTACTS {
            let loc = self.rng.below(self.locs.len() as u64) as usize;
            let ci = self.new_caller(self.locs[loc].city, false);
            let kind = if self.rng.chance(0.7) {
                "customer"
            } else {
                "lead"
            };
            let m = self.base_contact(ci, loc, kind);
            self.add_contact(None, m);
        }
        // One of them asked never to be contacted at all.
        if let Some(last) = self.contacts.last_mut() {
            last.map.insert("do_not_contact".into(), json!(true));
        }

        // --- Suppression lists --------------------------------------------------------------
        for _ in 0..2 {
            let loc = self.rng.below(self.locs.len() as u64) as usize;
            let areas = CITIES[self.locs[loc].city].areas;
            let n = self.alloc_number(areas);
            self.do_not_text.push(n.e164());
        }
        // A new caller (not in the CRM) who is on the company's do-not-call list.
        let dnc = (0..self.events.len()).find(|&k| {
            let e = &self.events[k];
            e.tag.is_empty()
                && e.loc != phx
                && e.caller.is_some_and(|ci| {
                    !self.callers[ci].reserved && self.contacts.iter().all(|c| c.caller != Some(ci))
                })
        });
        if let Some(ci) = dnc.and_then(|k| self.events[k].caller) {
            self.do_not_call.push(self.callers[ci].num.e164());
        }
        let n = self.alloc_number(&[212, 718]);
        self.do_not_call.push(n.styled(Style::Paren));
        // A contact who does not call this week unsubscribed from email.
        let unsubscribed = self
            .contacts
            .iter()
            .rev()
            .filter(|c| c.caller.is_none())
            .find_map(|c| {
                c.map
                    .get("emails")
                    .and_then(|e| e.get(0))
                    .and_then(Value::as_str)
            })
            .map(str::to_string);
        self.do_not_email.extend(unsubscribed);
        self.do_not_email.push("no-marketing@example.org".into());
    }

    // -----------------------------------------------------------------------------------------
    // Output
    // -----------------------------------------------------------------------------------------

    fn event_json(&self, e: &Ev) -> Value {
        let l = &self.locs[e.loc];
        let offset = CITIES[l.city].offset;
        let received =
            e.at + Duration::seconds(i64::from(e.duration.unwrap_or(0)) + i64::from(e.delay));
        let voicemail = e.voicemail.as_ref().map(|v| {
            let url = match l.provider {
                "callrail" => format!("https://app.callrail.com/calls/{}/recording/redirect", e.id),
                "twilio" => format!(
                    "https://api.twilio.com/2010-04-01/Accounts/{TWILIO_ACCOUNT}/Recordings/RE{}",
                    v.recording
                ),
                "aircall" => format!("https://assets.aircall.io/calls/{}/voicemail.mp3", e.id),
                _ => format!("https://dialpad.com/voicemail/{}", e.id),
            };
            json!({
                "transcript": v.transcript,
                "duration_seconds": v.seconds,
                "recording_url": url
            })
        });
        json!({
            "event_id": e.id,
            "location_id": l.id,
            "occurred_at": local_str(e.at, offset),
            "received_at": local_str(received, offset),
            "caller_number": e.number,
            "caller_name": e.name,
            "tracking_number": e.tracking,
            "disposition": e.disposition,
            "raw_disposition": e.raw,
            "ring_seconds": e.ring,
            "duration_seconds": e.duration,
            "voicemail": voicemail,
            "attribution": e.attribution,
            "provider": l.provider,
            "ai_receptionist": e.ai,
        })
    }

    fn location_json(&self, l: &Loc) -> Value {
        let c = &CITIES[l.city];
        const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
        let intervals = |iv: &[(u32, u32)]| -> Value {
            Value::Array(iv.iter().map(|&(s, e)| json!([hm(s), hm(e)])).collect())
        };
        let mut hours = Map::new();
        for (d, iv) in DAYS.iter().zip(&l.hours) {
            if !iv.is_empty() {
                hours.insert((*d).to_string(), intervals(iv));
            }
        }
        let holidays: Vec<Value> = l
            .holidays
            .iter()
            .map(|h| match h {
                Holiday::Closed(d) => json!(d),
                Holiday::Special(d, name, iv) => {
                    json!({"date": d, "name": name, "hours": intervals(iv)})
                }
            })
            .collect();
        json!({
            "id": l.id,
            "name": l.name,
            "vertical": l.vertical,
            "time_zone": c.tz,
            "country": c.country,
            "state": c.state,
            "phone": l.phone.e164(),
            "hours": hours,
            "holidays": holidays,
            "avg_inquiry_value": l.avg,
            "currency": if c.country == "CA" { "CAD" } else { "USD" },
            "on_call": l.on_call,
        })
    }

    fn finish(mut self) -> Demo {
        let locations: Vec<Value> = self.locs.iter().map(|l| self.location_json(l)).collect();
        let policy = json!({"version": "demo-2026-11", "locations": locations});

        let mut events = Vec::new();
        for e in &self.events {
            let original = self.event_json(e);
            events.push(original.clone());
            if !e.replayed {
                continue;
            }
            let mut replay = original;
            if let Some(text) = &e.amended_transcript {
                // CallRail's call-modified webhook once the transcription is done.
                replay["voicemail"]["transcript"] = json!(text);
                replay["raw_disposition"] = json!("voicemail_transcription");
                let offset = CITIES[self.locs[e.loc].city].offset;
                let later = e.at
                    + Duration::seconds(
                        i64::from(e.duration.unwrap_or(0)) + i64::from(e.delay) + 214,
                    );
                replay["received_at"] = json!(local_str(later, offset));
            }
            events.push(replay);
        }

        // Contact ids: shuffled so special cases do not cluster at the start.
        let mut drafts = std::mem::take(&mut self.contacts);
        self.rng.shuffle(&mut drafts);
        let mut next = 100u32;
        let mut contacts = Vec::new();
        for mut d in drafts {
            next += 1 + self.rng.below(9) as u32;
            d.map.insert("id".into(), json!(format!("c_{next:06}")));
            contacts.push(Value::Object(d.map));
        }
        self.do_not_text.sort();
        self.do_not_call.sort();
        self.do_not_email.sort();
        let crm = json!({
            "contacts": contacts,
            "suppressions": {
                "do_not_call": self.do_not_call,
                "do_not_text": self.do_not_text,
                "do_not_email": self.do_not_email,
            }
        });
        Demo {
            policy,
            crm,
            events,
        }
    }
}

fn recent_event(id: &str, at: &str, kind: &str, loc: &str, had_transcript: bool) -> Value {
    let mut v = json!({"event_id": id, "occurred_at": at, "kind": kind, "location_id": loc});
    if kind == "missed_call" {
        v["had_transcript"] = json!(had_transcript);
    }
    v
}

fn fill(template: &str, first: &str, last: &str) -> String {
    template
        .replace("{first}", &first.to_lowercase())
        .replace("{last}", &last.to_lowercase())
}

fn slug(text: &str) -> String {
    let mut out = String::new();
    for ch in text.chars() {
        if ch.is_ascii_alphanumeric() {
            out.push(ch.to_ascii_lowercase());
        } else if !out.ends_with('-') && ch != '\'' && ch != '.' {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, FixedOffset};

    const EVENT_KEYS: [&str; 15] = [
        "event_id",
        "location_id",
        "occurred_at",
        "received_at",
        "caller_number",
        "caller_name",
        "tracking_number",
        "disposition",
        "raw_disposition",
        "ring_seconds",
        "duration_seconds",
        "voicemail",
        "attribution",
        "provider",
        "ai_receptionist",
    ];
    const LOCATION_KEYS: [&str; 12] = [
        "id",
        "name",
        "vertical",
        "time_zone",
        "country",
        "state",
        "phone",
        "hours",
        "holidays",
        "avg_inquiry_value",
        "currency",
        "on_call",
    ];
    const CONTACT_KEYS: [&str; 18] = [
        "id",
        "kind",
        "phones",
        "emails",
        "first_name",
        "last_name",
        "location_id",
        "created_at",
        "last_activity_at",
        "lifetime_value",
        "tags",
        "time_zone",
        "state",
        "preferred_channel",
        "do_not_contact",
        "consent",
        "recent_events",
        "open_followup",
    ];

    fn demo() -> Demo {
        generate()
    }

    fn s<'a>(v: &'a Value, k: &str) -> &'a str {
        v[k].as_str().unwrap_or("")
    }

    fn withheld(number: &Value) -> bool {
        matches!(
            number.as_str(),
            None | Some("anonymous")
                | Some("Restricted")
                | Some("+266696687")
                | Some("+7378742833")
        )
    }

    /// The 10-digit NANP key of a number in any of the demo's formats.
    fn key(raw: &str) -> Option<String> {
        let main = raw.split('x').next().unwrap_or("");
        let digits: String = main.chars().filter(char::is_ascii_digit).collect();
        match digits.len() {
            10 => Some(digits),
            11 if digits.starts_with('1') => Some(digits[1..].to_string()),
            _ => None,
        }
    }

    fn caller_key(event: &Value) -> Option<String> {
        if withheld(&event["caller_number"]) {
            None
        } else {
            event["caller_number"].as_str().and_then(key)
        }
    }

    fn phone_keys(contact: &Value) -> Vec<String> {
        let mut keys = Vec::new();
        for p in contact["phones"].as_array().into_iter().flatten() {
            let text = p.as_str().or_else(|| p["number"].as_str()).unwrap_or("");
            keys.extend(key(text));
        }
        keys
    }

    fn contacts_by_key(crm: &Value) -> BTreeMap<String, Vec<&Value>> {
        let mut map: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
        for c in crm["contacts"].as_array().into_iter().flatten() {
            let keys: BTreeSet<String> = phone_keys(c).into_iter().collect();
            for k in keys {
                map.entry(k).or_default().push(c);
            }
        }
        map
    }

    fn ts(text: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    /// Distinct (first delivery) events.
    fn originals(events: &[Value]) -> Vec<&Value> {
        let mut seen = BTreeSet::new();
        events
            .iter()
            .filter(|e| seen.insert(s(e, "event_id").to_string()))
            .collect()
    }

    fn locations(policy: &Value) -> BTreeMap<String, &Value> {
        policy["locations"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|l| (s(l, "id").to_string(), l))
            .collect()
    }

    fn minutes(text: &str) -> u32 {
        let (h, m) = text.split_once(':').unwrap_or(("0", "0"));
        h.parse::<u32>().unwrap_or(0) * 60 + m.parse::<u32>().unwrap_or(0)
    }

    /// Whether a policy location is open at a local wall-clock time (holidays, split shifts,
    /// intervals past midnight), independently of the generator's own code.
    fn open_at(loc: &Value, local: NaiveDateTime) -> bool {
        const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
        let day_intervals = |d: NaiveDate| -> Vec<(u32, u32)> {
            let text = d.format("%Y-%m-%d").to_string();
            for h in loc["holidays"].as_array().into_iter().flatten() {
                if h.as_str() == Some(text.as_str()) {
                    return Vec::new();
                }
                if h["date"].as_str() == Some(text.as_str()) {
                    return iv(&h["hours"]);
                }
            }
            iv(&loc["hours"][DAYS[d.weekday().num_days_from_monday() as usize]])
        };
        fn iv(v: &Value) -> Vec<(u32, u32)> {
            v.as_array()
                .into_iter()
                .flatten()
                .map(|p| (minutes(s_(p, 0)), minutes(s_(p, 1))))
                .collect()
        }
        fn s_(v: &Value, i: usize) -> &str {
            v[i].as_str().unwrap_or("")
        }
        let m = local.hour_min();
        let today = day_intervals(local.date()).into_iter().any(|(a, b)| {
            if b > a {
                a <= m && m < b
            } else {
                m >= a
            }
        });
        let yesterday = day_intervals(local.date() - Duration::days(1))
            .into_iter()
            .any(|(a, b)| b <= a && m < b);
        today || yesterday
    }

    trait HourMin {
        fn hour_min(&self) -> u32;
    }
    impl HourMin for NaiveDateTime {
        fn hour_min(&self) -> u32 {
            use chrono::Timelike;
            self.hour() * 60 + self.minute()
        }
    }

    #[test]
    fn policy_has_120_locations_with_the_expected_mix() {
        let d = demo();
        let keys: BTreeSet<&str> = d
            .policy
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, _)| k.as_str())
            .collect();
        assert_eq!(keys, BTreeSet::from(["version", "locations"]));
        assert_eq!(d.policy["version"], "demo-2026-11");
        let locs = locations(&d.policy);
        assert_eq!(locs.len(), 120, "ids must be unique");
        let mut verticals: BTreeMap<&str, usize> = BTreeMap::new();
        let mut zones: BTreeMap<&str, usize> = BTreeMap::new();
        for l in locs.values() {
            let keys: Vec<&str> = l
                .as_object()
                .into_iter()
                .flatten()
                .map(|(k, _)| k.as_str())
                .collect();
            let mut expected = LOCATION_KEYS.to_vec();
            expected.sort_unstable();
            let mut keys = keys;
            keys.sort_unstable();
            assert_eq!(keys, expected, "{}", l["id"]);
            *verticals.entry(s(l, "vertical")).or_default() += 1;
            *zones.entry(s(l, "time_zone")).or_default() += 1;
            let value = l["avg_inquiry_value"].as_f64().unwrap_or(0.0);
            assert!((100.0..=400.0).contains(&value), "{}", l["id"]);
            let phone = s(l, "phone");
            assert!(
                phone.starts_with("+1") && phone.contains("55501"),
                "{phone}"
            );
            let canadian = s(l, "country") == "CA";
            assert_eq!(s(l, "currency"), if canadian { "CAD" } else { "USD" });
            let thanksgiving = l["holidays"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|h| h.as_str() == Some("2026-11-26") || h["date"] == "2026-11-26");
            if canadian {
                assert!(!thanksgiving, "{}", l["id"]);
            }
            if s(l, "vertical") == "cannabis" {
                assert!(matches!(s(l, "state"), "CA" | "CO"));
            }
        }
        assert_eq!(
            verticals,
            BTreeMap::from([
                ("auto", 12),
                ("cannabis", 2),
                ("dental", 24),
                ("financial", 3),
                ("general", 3),
                ("home_services", 54),
                ("legal", 4),
                ("med_spa", 18),
            ])
        );
        assert_eq!(
            zones,
            BTreeMap::from([
                ("America/Chicago", 30),
                ("America/Denver", 13),
                ("America/Los_Angeles", 23),
                ("America/New_York", 38),
                ("America/Phoenix", 13),
                ("America/Toronto", 1),
                ("America/Vancouver", 1),
                ("Pacific/Honolulu", 1),
            ])
        );
        let all: Vec<&&Value> = locs.values().collect();
        let black_friday = all.iter().filter(|l| {
            l["holidays"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|h| h["name"] == "Black Friday")
        });
        assert!(black_friday.count() >= 5);
        let past_midnight = all.iter().filter(|l| {
            l["hours"]
                .as_object()
                .into_iter()
                .flatten()
                .any(|(_, day)| {
                    day.as_array()
                        .into_iter()
                        .flatten()
                        .any(|p| minutes(s_str(p, 1)) <= minutes(s_str(p, 0)))
                })
        });
        assert!(past_midnight.count() >= 1);
        let split = all
            .iter()
            .filter(|l| l["hours"]["mon"].as_array().is_some_and(|a| a.len() == 2));
        assert!(split.count() >= 10, "dental split shifts");
    }

    fn s_str(v: &Value, i: usize) -> &str {
        v[i].as_str().unwrap_or("")
    }

    #[test]
    fn phoenix_location_is_the_spec_example() {
        let d = demo();
        let expected = json!({"id": "phx-01", "name": "Phoenix Camelback", "vertical": "home_services",
          "time_zone": "America/Phoenix", "country": "US", "state": "AZ", "phone": "+16025550100",
          "hours": {"mon": [["07:00","18:00"]], "tue": [["07:00","18:00"]], "wed": [["07:00","18:00"]],
                    "thu": [["07:00","18:00"]], "fri": [["07:00","18:00"]], "sat": [["08:00","14:00"]]},
          "holidays": ["2026-11-26"], "avg_inquiry_value": 250, "currency": "USD", "on_call": true});
        assert_eq!(d.policy["locations"][0], expected);
    }

    #[test]
    fn events_have_the_canonical_fields_and_known_locations() {
        let d = demo();
        let locs = locations(&d.policy);
        let mut expected = EVENT_KEYS.to_vec();
        expected.sort_unstable();
        for e in &d.events {
            let mut keys: Vec<&str> = e
                .as_object()
                .into_iter()
                .flatten()
                .map(|(k, _)| k.as_str())
                .collect();
            keys.sort_unstable();
            assert_eq!(keys, expected);
            assert!(
                locs.contains_key(s(e, "location_id")),
                "{}",
                e["location_id"]
            );
            if let Some(vm) = e["voicemail"].as_object() {
                let mut k: Vec<&str> = vm.keys().map(String::as_str).collect();
                k.sort_unstable();
                assert_eq!(k, ["duration_seconds", "recording_url", "transcript"]);
                assert_eq!(e["disposition"], "voicemail");
            }
            let id = s(e, "event_id");
            let ok = match s(e, "provider") {
                "callrail" => id.starts_with("CAL") && id.len() == 35,
                "twilio" => id.starts_with("CA") && id.len() == 34,
                _ => id.chars().all(|c| c.is_ascii_digit()),
            };
            assert!(ok, "{id}");
        }
    }

    #[test]
    fn counts_match_a_week_of_450_missed_calls() {
        let d = demo();
        let firsts = originals(&d.events);
        let missed: Vec<&&Value> = firsts
            .iter()
            .filter(|e| e["disposition"] != "answered")
            .collect();
        let answered = firsts.len() - missed.len();
        assert!((440..=470).contains(&missed.len()), "{}", missed.len());
        assert!((10..=20).contains(&answered), "{answered}");
        assert!(d.events.len() - firsts.len() >= 4, "replays");
        let n = missed.len() as f64;
        let share = |f: &dyn Fn(&Value) -> bool| missed.iter().filter(|e| f(e)).count() as f64 / n;
        let withheld_share = share(&|e| withheld(&e["caller_number"]));
        assert!((0.02..=0.04).contains(&withheld_share), "{withheld_share}");
        let attributed = share(&|e| !e["attribution"].is_null());
        assert!((0.55..=0.66).contains(&attributed), "{attributed}");
        let voicemail = share(&|e| e["disposition"] == "voicemail");
        assert!((0.25..=0.35).contains(&voicemail), "{voicemail}");
        let abandoned = share(&|e| s(e, "disposition").contains("abandoned"));
        assert!((0.10..=0.25).contains(&abandoned), "{abandoned}");
        assert!(missed.iter().any(|e| e["disposition"] == "after_hours"));
        assert!(missed.iter().any(|e| e["raw_disposition"] == "abandonded"));
        let null_transcripts = missed
            .iter()
            .filter(|e| e["voicemail"].is_object() && e["voicemail"]["transcript"].is_null());
        assert!(null_transcripts.count() >= 5);
        // About a quarter of the calls come while the location is closed.
        let locs = locations(&d.policy);
        let closed = share(&|e| {
            let at = ts(s(e, "occurred_at")).naive_local();
            !open_at(locs[s(e, "location_id")], at)
        });
        assert!((0.18..=0.32).contains(&closed), "{closed}");
    }

    #[test]
    fn timestamps_use_standard_offsets_and_events_are_sorted() {
        let d = demo();
        let locs = locations(&d.policy);
        let offset = |tz: &str| match tz {
            "America/New_York" | "America/Toronto" => "-05:00",
            "America/Chicago" => "-06:00",
            "America/Denver" | "America/Phoenix" => "-07:00",
            "America/Los_Angeles" | "America/Vancouver" => "-08:00",
            _ => "-10:00",
        };
        let start = ts("2026-11-23T00:00:00-00:00");
        let mut previous: Option<(DateTime<FixedOffset>, String)> = None;
        for (i, e) in d.events.iter().enumerate() {
            let tz = s(locs[s(e, "location_id")], "time_zone");
            let (occurred, received) = (s(e, "occurred_at"), s(e, "received_at"));
            assert!(
                occurred.ends_with(offset(tz)) && received.ends_with(offset(tz)),
                "{occurred}"
            );
            let (o, r) = (ts(occurred), ts(received));
            assert!(
                r >= o && r - o <= Duration::minutes(30),
                "{occurred} {received}"
            );
            let local = o.naive_local();
            assert!(local >= start.naive_utc() && local < start.naive_utc() + Duration::days(7));
            let k = (o, s(e, "event_id").to_string());
            if let Some(p) = &previous {
                assert!(*p <= k, "line {i} out of order");
                if p.1 == k.1 {
                    // A replay sits right after its original.
                    assert_eq!(d.events[i - 1]["event_id"], e["event_id"]);
                }
            }
            previous = Some(k);
        }
    }

    #[test]
    fn caller_numbers_are_valid_nanp_or_withheld() {
        let d = demo();
        let mut distinct = BTreeSet::new();
        for e in &d.events {
            if withheld(&e["caller_number"]) {
                assert!(e["caller_name"].is_null());
                continue;
            }
            let raw = s(e, "caller_number");
            let k = key(raw).unwrap_or_else(|| panic!("unparseable {raw}"));
            let b = k.as_bytes();
            assert!(
                (b'2'..=b'9').contains(&b[0]) && (b'2'..=b'9').contains(&b[3]),
                "{raw}"
            );
            assert!(&k[4..6] != "11" && &k[1..3] != "11", "{raw}");
            distinct.insert(k);
            if let Some(t) = e["tracking_number"].as_str() {
                assert!(t.starts_with("+1") && t.len() == 12);
            }
        }
        assert!(distinct.len() > 400, "{}", distinct.len());
        let styles = |p: &dyn Fn(&str) -> bool| {
            d.events
                .iter()
                .filter(|e| e["caller_number"].as_str().is_some_and(p))
                .count()
        };
        assert!(styles(&|n| n.starts_with("+1") && n.len() == 12) > 300);
        assert!(styles(&|n| n.starts_with('(')) > 5);
        assert!(styles(&|n| n.len() == 11 && n.starts_with('1')) > 5);
        assert!(styles(&|n| n.len() == 12 && n.chars().nth(3) == Some('-')) > 5);
        assert!(styles(&|n| n.starts_with("+1 ")) > 5);
    }

    #[test]
    fn the_phoenix_tuesday_is_the_story() {
        let d = demo();
        let by_key = contacts_by_key(&d.crm);
        let day: Vec<&Value> = d
            .events
            .iter()
            .filter(|e| {
                e["location_id"] == "phx-01" && s(e, "occurred_at").starts_with("2026-11-24")
            })
            .collect();
        assert_eq!(day.len(), 12);
        let ids: BTreeSet<&str> = day.iter().map(|e| s(e, "event_id")).collect();
        assert_eq!(ids.len(), 12, "no replays");
        let callers: BTreeSet<String> = day.iter().filter_map(|e| caller_key(e)).collect();
        assert_eq!(callers.len(), 12, "none withheld, no repeats");
        let mut voicemails = 0;
        let mut customers = 0;
        for e in &day {
            assert_ne!(e["disposition"], "answered");
            let local = ts(s(e, "occurred_at")).naive_local().hour_min();
            assert!((t(7, 0)..t(18, 30)).contains(&local));
            if e["disposition"] == "voicemail" {
                assert!(e["voicemail"]["transcript"].is_string());
                voicemails += 1;
            }
            let k = caller_key(e).unwrap_or_default();
            // The caller calls no other time in the week.
            let calls = d
                .events
                .iter()
                .filter(|o| caller_key(o).as_deref() == Some(k.as_str()))
                .count();
            assert_eq!(calls, 1);
            match by_key.get(&k) {
                None => {}
                Some(found) => {
                    assert_eq!(found.len(), 1, "exactly one contact");
                    let c = found[0];
                    assert_eq!(c["kind"], "customer");
                    assert_eq!(c["location_id"], "phx-01");
                    assert!(c["open_followup"].is_null());
                    let occurred = ts(s(e, "occurred_at"));
                    for r in c["recent_events"].as_array().into_iter().flatten() {
                        if r["kind"] == "missed_call" {
                            assert!(occurred - ts(s(r, "occurred_at")) > Duration::hours(48));
                        }
                    }
                    customers += 1;
                }
            }
        }
        assert_eq!(voicemails, 4);
        assert_eq!(customers, 4);
    }

    #[test]
    fn special_identity_cases_are_present() {
        let d = demo();
        let by_key = contacts_by_key(&d.crm);
        let callers: Vec<(String, &Value)> = d
            .events
            .iter()
            .filter_map(|e| caller_key(e).map(|k| (k, e)))
            .collect();

        // (a) A shared main line on 4 contacts that calls.
        assert!(by_key
            .iter()
            .any(|(k, cs)| cs.len() >= 4 && callers.iter().any(|(c, _)| c == k)));

        // (b) A contact who calls twice within 20 minutes, and an open follow-up calling again.
        let twice = callers.iter().any(|(k, e)| {
            by_key.contains_key(k)
                && callers.iter().any(|(k2, e2)| {
                    k2 == k
                        && e2["event_id"] != e["event_id"]
                        && e2["location_id"] == e["location_id"]
                        && (ts(s(e2, "occurred_at")) - ts(s(e, "occurred_at")))
                            .num_minutes()
                            .abs()
                            <= 20
                })
        });
        assert!(twice);
        let open = callers.iter().any(|(k, _)| {
            by_key
                .get(k)
                .is_some_and(|cs| cs.iter().any(|c| c["open_followup"].is_object()))
        });
        assert!(open);

        // (c) Replays: exact duplicates and one amended with a transcript, each already
        // recorded on the caller's contact.
        let mut exact = 0;
        let mut amended = 0;
        for pair in d.events.windows(2) {
            if pair[0]["event_id"] != pair[1]["event_id"] {
                continue;
            }
            if pair[0] == pair[1] {
                exact += 1;
            } else {
                assert!(pair[0]["voicemail"]["transcript"].is_null());
                assert!(pair[1]["voicemail"]["transcript"].is_string());
                amended += 1;
            }
            // The CRM must not know the event yet: the first delivery is new, and only
            // the replay's write-back makes the second one a duplicate.
            let k = caller_key(&pair[0]).unwrap_or_default();
            let recorded = by_key
                .get(&k)
                .into_iter()
                .flatten()
                .flat_map(|c| c["recent_events"].as_array().into_iter().flatten())
                .any(|r| r["event_id"] == pair[0]["event_id"]);
            assert!(!recorded, "{} pre-recorded in the CRM", pair[0]["event_id"]);
        }
        assert!(exact >= 3, "{exact}");
        assert_eq!(amended, 1);

        // (d) Stored as "(602) 555-0143", calls as "+16025550143".
        let stored = d.crm["contacts"].as_array().into_iter().flatten().any(|c| {
            c["kind"] == "customer"
                && c["location_id"] == "phx-01"
                && c["phones"]
                    .as_array()
                    .is_some_and(|p| p.contains(&json!("(602) 555-0143")))
        });
        assert!(stored);
        assert!(d
            .events
            .iter()
            .any(|e| e["caller_number"] == "+16025550143"));

        // (e) A contact whose number is on the do-not-text list.
        let dnt = d.crm["suppressions"]["do_not_text"]
            .as_array()
            .into_iter()
            .flatten();
        assert!(dnt
            .filter_map(|n| n.as_str().and_then(key))
            .any(|k| by_key.contains_key(&k)));

        // Compliance material.
        let contacts = d.crm["contacts"].as_array().cloned().unwrap_or_default();
        assert!(contacts.iter().any(|c| c["do_not_contact"] == true));
        assert!(contacts
            .iter()
            .any(|c| c["consent"]["sms"]["status"] == "revoked"));
        assert!(
            contacts
                .iter()
                .filter(|c| c["tags"]
                    .as_array()
                    .is_some_and(|t| t.contains(&json!("vip"))))
                .count()
                >= 2
        );
        assert!(d
            .events
            .iter()
            .any(|e| s(&e["voicemail"], "transcript").contains("stop calling me")));
        assert!(
            d.events
                .iter()
                .filter(|e| e["ai_receptionist"].is_object())
                .count()
                >= 2
        );
        assert!(d.events.iter().any(|e| e["caller_number"] == "+266696687"));
        assert!(d.events.iter().any(|e| e["caller_number"] == "+7378742833"));
    }

    #[test]
    fn crm_contacts_have_model_fields_and_cover_a_third_of_callers() {
        let d = demo();
        let top: BTreeSet<&str> = d
            .crm
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, _)| k.as_str())
            .collect();
        assert_eq!(top, BTreeSet::from(["contacts", "suppressions"]));
        let contacts = d.crm["contacts"].as_array().cloned().unwrap_or_default();
        let mut ids = BTreeSet::new();
        let locs = locations(&d.policy);
        for c in &contacts {
            for k in c.as_object().into_iter().flatten().map(|(k, _)| k.as_str()) {
                assert!(CONTACT_KEYS.contains(&k), "{k}");
            }
            let id = s(c, "id");
            assert!(
                id.len() == 8
                    && id.starts_with("c_")
                    && id[2..].chars().all(|c| c.is_ascii_digit())
            );
            assert!(ids.insert(id.to_string()), "duplicate {id}");
            assert!(matches!(s(c, "kind"), "customer" | "lead"));
            assert!(locs.contains_key(s(c, "location_id")));
            assert!(!phone_keys(c).is_empty());
            let created = ts(s(c, "created_at"));
            assert!(ts(s(c, "last_activity_at")) >= created);
            for r in c["recent_events"].as_array().into_iter().flatten() {
                for k in r.as_object().into_iter().flatten().map(|(k, _)| k.as_str()) {
                    assert!([
                        "event_id",
                        "occurred_at",
                        "kind",
                        "location_id",
                        "had_transcript"
                    ]
                    .contains(&k));
                }
                assert!(ts(s(r, "occurred_at")) < ts("2026-11-30T00:00:00-10:00"));
            }
        }
        let by_key = contacts_by_key(&d.crm);
        let callers: BTreeSet<String> = d.events.iter().filter_map(caller_key).collect();
        let known = callers.iter().filter(|k| by_key.contains_key(*k)).count() as f64;
        let share = known / callers.len() as f64;
        assert!((0.25..=0.42).contains(&share), "{share}");
        let typed = contacts.iter().filter(|c| {
            c["phones"]
                .as_array()
                .is_some_and(|p| p.iter().any(Value::is_object))
        });
        assert!(typed.count() >= 10);
    }

    #[test]
    fn generation_is_deterministic() {
        let (a, b) = (demo(), demo());
        assert_eq!(a.policy, b.policy);
        assert_eq!(a.crm, b.crm);
        assert_eq!(a.events, b.events);
        assert_eq!(to_pretty(&a.crm), to_pretty(&b.crm));
    }

    #[test]
    fn write_creates_the_three_files() -> io::Result<()> {
        let dir = std::env::temp_dir().join(format!("ringback-demo-gen-{}", std::process::id()));
        write(&dir)?;
        let d = demo();
        let policy = std::fs::read_to_string(dir.join("policy.json"))?;
        let crm = std::fs::read_to_string(dir.join("crm.json"))?;
        let events = std::fs::read_to_string(dir.join("events.jsonl"))?;
        std::fs::remove_dir_all(&dir)?;
        assert!(policy.ends_with("}\n") && crm.ends_with("}\n") && events.ends_with("}\n"));
        assert!(policy.starts_with("{\n  \"version\": \"demo-2026-11\","));
        assert_eq!(serde_json::from_str::<Value>(&policy)?, d.policy);
        assert_eq!(serde_json::from_str::<Value>(&crm)?, d.crm);
        let lines: Vec<&str> = events.lines().collect();
        assert_eq!(lines.len(), d.events.len());
        for (line, event) in lines.iter().zip(&d.events) {
            assert!(line.starts_with("{\"event_id\":"));
            assert_eq!(&serde_json::from_str::<Value>(line)?, event);
        }
        Ok(())
    }
}
