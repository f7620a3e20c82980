//! Callers: fictional numbers per city, CNAM as carriers deliver it, number styles per vendor.

use super::*;

impl Gen {
    /// A fresh caller number. Only the fictional 555-0120..555-0199 lines are used, so no
    /// demo number can belong to a real person.
    pub(super) fn alloc_number(&mut self, areas: &[u16]) -> Num {
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

    pub(super) fn cnam_for(
        &mut self,
        first: &str,
        last: &str,
        place: &str,
        state: &str,
    ) -> Option<String> {
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
    pub(super) fn new_caller(&mut self, city: usize, far: bool) -> usize {
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
    pub(super) fn fixed_caller(
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

    pub(super) fn reserved_caller(&mut self, city: usize, far: bool) -> usize {
        let ci = self.new_caller(city, far);
        self.callers[ci].reserved = true;
        ci
    }

    /// How a vendor delivers the caller's number.
    pub(super) fn number_style(&mut self, provider: &str) -> Style {
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

    // Events
}
