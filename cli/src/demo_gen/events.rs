//! One call: when it happens, what the vendor reports, the transcript, attribution, and its
//! canonical event JSON.

use super::*;

impl Gen {
    /// A local call time with the week's demand curve: peaks mid-morning and after lunch,
    /// some evenings, a few nights; open or closed as asked when possible.
    pub(super) fn draw_time(
        &mut self,
        loc: usize,
        want_open: bool,
        skip_day: Option<u32>,
    ) -> (u32, u32) {
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
    pub(super) fn outcome(&mut self, open: bool, provider: &str) -> &'static str {
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
    pub(super) fn vendor_view(
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
    pub(super) fn set_outcome(
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

    pub(super) fn transcript(&mut self, loc: usize, day: u32, caller: Option<usize>) -> String {
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
    pub(super) fn make_event(&mut self, loc: usize, day: u32, minute: u32, ci: usize) -> Ev {
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
    pub(super) fn attribute(&mut self, ev: &mut Ev, kind: Option<&'static str>) {
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

    pub(super) fn push(&mut self, mut ev: Ev, tag: &'static str) -> usize {
        ev.tag = tag;
        self.events.push(ev);
        self.events.len() - 1
    }

    pub(super) fn event_json(&self, e: &Ev) -> Value {
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
}
