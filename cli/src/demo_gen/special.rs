//! The story and the special cases (the Phoenix Tuesday, shared line, repeat callers,
//! replays, compliance material) and the vendors' event ids.

use super::*;

impl Gen {
    /// The story's Phoenix Tuesday and the special identity cases. Returns how many missed
    /// calls they add.
    pub(super) fn special_events(&mut self) -> usize {
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
    pub(super) fn assign_ids(&mut self) {
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

    // CRM
}
