//! The 120 locations: cities, verticals, hours (split shifts, round-the-clock), holidays,
//! and their policy JSON.

use super::*;

impl Gen {
    pub(super) fn build_locations(&mut self) {
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

    pub(super) fn hours_for(&mut self, id: &str, vertical: &str) -> Hours {
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

    pub(super) fn holidays_for(&mut self, id: &str, vertical: &str, c: &City) -> Vec<Holiday> {
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

    pub(super) fn loc_index(&self, id: &str) -> usize {
        self.locs.iter().position(|l| l.id == id).unwrap_or(0)
    }

    /// Opening intervals of a location on `day` (0 = Monday of the demo week, -1 = the
    /// Sunday before), after holidays.
    pub(super) fn intervals(&self, loc: usize, day: i64) -> &[(u32, u32)] {
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

    pub(super) fn is_open(&self, loc: usize, day: u32, minute: u32) -> bool {
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

    // Callers

    pub(super) fn location_json(&self, l: &Loc) -> Value {
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
}
