//! Deterministic demo data: one realistic week of missed calls at a 120-location operator.
//!
//! The generator is split by what it builds: `locations`, `callers`, `events` (one call),
//! `week` (the volume), `special` (the story and special cases), `crm`, with the static
//! `tables`, `time` and `number` helpers, `rng` and `pretty` (the file format) beside them.
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

mod callers;
mod crm;
mod events;
mod locations;
mod number;
mod pretty;
mod rng;
mod special;
mod tables;
mod time;
mod week;

#[cfg(test)]
mod tests;

use number::*;
use pretty::*;
use rng::*;
use tables::*;
use time::*;

// Model of the generator

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

impl Gen {
    pub(super) fn finish(mut self) -> Demo {
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
