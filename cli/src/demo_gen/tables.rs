//! Static tables of the demo: metro areas and their locations, caller names and places,
//! CNAM business names, voicemail lines per vertical, ad services and brand domains.

// Static tables

/// A metro area with its locations (one per neighbourhood).
pub(super) struct City {
    pub(super) code: &'static str,
    pub(super) name: &'static str,
    pub(super) state: &'static str,
    pub(super) country: &'static str,
    pub(super) tz: &'static str,
    /// Standard-time UTC offset in hours (the whole week is after the DST change).
    pub(super) offset: i32,
    /// Real area codes of the metro; the first carries the locations' main lines.
    pub(super) areas: &'static [u16],
    pub(super) hoods: &'static [&'static str],
}

pub(super) const fn city(
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

pub(super) const NY: &str = "America/New_York";
pub(super) const CHI: &str = "America/Chicago";
pub(super) const DEN: &str = "America/Denver";
pub(super) const PHX: &str = "America/Phoenix";
pub(super) const LA: &str = "America/Los_Angeles";

#[rustfmt::skip]
pub(super) const CITIES: &[City] = &[
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
pub(super) const FAR: &[(u16, &str, &str, &str)] = &[
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
pub(super) const FIRST_NAMES: &[&str] = &[
    "Maria", "James", "Linda", "Robert", "Jennifer", "Michael", "Patricia", "David",
    "Elizabeth", "William", "Susan", "Jose", "Sarah", "Carlos", "Karen", "Daniel", "Nancy",
    "Anthony", "Lisa", "Kevin", "Angela", "Brian", "Michelle", "Jason", "Ashley", "Tyler",
    "Emily", "Marcus", "Priya", "Wei", "Aisha", "Olivia", "Ethan", "Sofia", "Andre", "Hannah",
    "Luis", "Grace", "Omar", "Rachel", "Derek", "Monique", "Samuel", "Keisha", "Ahmed",
    "Brittany", "Raj", "Claire", "Diego", "Tanya", "Gary", "Denise",
];

#[rustfmt::skip]
pub(super) const LAST_NAMES: &[&str] = &[
    "Garcia", "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis",
    "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas",
    "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris",
    "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King",
    "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson",
    "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Patel", "Kim",
    "Chen", "Okafor", "Shah", "Kowalski", "Fitzgerald", "Yamamoto", "Novak", "Delgado",
];

pub(super) const BUSINESS_CNAM: &[&str] = &[
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

pub(super) const HS_VM: &[&str] = &[
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

pub(super) const HS_THANKSGIVING_VM: &[&str] = &[
    "hi i know it's thanksgiving but our toilet is overflowing and we have twenty people here please call back",
    "hi this is {first} the oven circuit just tripped and we can't get it back on in the middle of cooking the turkey please call",
    "happy thanksgiving sorry to bother you the kitchen sink is completely clogged can anyone come out today",
];

pub(super) const DENTAL_VM: &[&str] = &[
    "hi this is {first} i have a really bad toothache on the lower left side and my face is starting to swell can i get in today",
    "hi i'm calling to schedule a cleaning for me and my two kids we have delta dental",
    "hello this is {first} {last} i need to reschedule my appointment on thursday please call me back",
    "hi i chipped my front tooth eating dinner last night not in pain but i'd like to get it looked at",
    "hi i'm a new patient and wanted to know if you take cigna and how much a cleaning costs",
    "hi it's {first} my crown came off can you call me back",
    "hi calling about invisalign pricing i saw your ad",
    "hi this is {first} returning your call about my treatment plan",
];

pub(super) const MEDSPA_VM: &[&str] = &[
    "hi i'm interested in botox for my forehead lines and wanted to know your pricing and availability",
    "hi this is {first} i had filler done on monday and my lip is really swollen and bruised is that normal please call me",
    "hi i wanted to book a hydrafacial for saturday if you have anything open",
    "hi calling about the black friday special on laser hair removal packages",
    "hi this is {first} i need to move my appointment tomorrow something came up",
    "hey i saw your coolsculpting ad on instagram can you tell me more",
];

pub(super) const AUTO_VM: &[&str] = &[
    "hi my check engine light came on and the car is shaking when i accelerate can i bring it in today",
    "hi this is {first} calling to see if my truck is ready it was in for the brakes",
    "hi i'm interested in the used tahoe you have listed online is it still available",
    "hi i need an oil change and tire rotation sometime this week",
    "hi my car won't start i think it's the battery it's in the grocery store parking lot can you help",
    "calling about the recall notice i got in the mail for my escape",
];

pub(super) const LEGAL_VM: &[&str] = &[
    "hi my name is {first} i was rear ended yesterday on the freeway and i need to talk to a lawyer",
    "hi i'm calling about a consultation for a divorce please call me back it's confidential so please don't leave a detailed message",
    "this is {first} i got served with papers and have to respond by friday please call",
    "hi calling about setting up a will and a trust for me and my husband",
];

pub(super) const FINANCIAL_VM: &[&str] = &[
    "hi this is {first} i'm calling about refinancing my mortgage i saw the rates on your website",
    "hi i have a question about a charge on my statement that i don't recognize please call back",
    "hi i'd like to talk to someone about rolling over my old 401k",
    "hi this is {first} i'm really unhappy with how my account was handled and i want to file a complaint",
];

pub(super) const GENERAL_VM: &[&str] = &[
    "hi i'm calling to see what your hours are over the holiday weekend",
    "hi this is {first} calling about the order i placed last week it still hasn't arrived",
    "hi i had a question about pricing please give me a call back",
];

pub(super) const CANNABIS_VM: &[&str] = &[
    "hi are you open on thanksgiving and do you have any deals for black friday",
    "hi this is {first} i placed an online order for pickup and wanted to check it's ready",
    "hey do you guys do delivery to lakewood",
];

pub(super) const SPAM_VM: &[&str] = &[
    "this is an important message regarding your google business listing press one now to verify your listing or it will be suspended",
    "hi this is the business funding department you've been pre approved for a line of credit up to two hundred fifty thousand dollars call us back",
];

/// Ad services per vertical: (campaign label, search keywords, landing-page slug).
pub(super) fn services(vertical: &str) -> &'static [(&'static str, &'static str, &'static str)] {
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
pub(super) fn brand_domain(vertical: &str) -> &'static str {
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

pub(super) fn voicemail_lines(vertical: &str) -> &'static [&'static str] {
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

pub(super) fn fill(template: &str, first: &str, last: &str) -> String {
    template
        .replace("{first}", &first.to_lowercase())
        .replace("{last}", &last.to_lowercase())
}

pub(super) fn slug(text: &str) -> String {
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
