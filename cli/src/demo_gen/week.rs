//! The week's call volume: missed and answered calls spread over every location.

use super::*;

impl Gen {
    pub(super) fn build_events(&mut self) {
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
}
