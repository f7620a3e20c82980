//! The CRM snapshot: contacts (customers and leads, messy phones, consent, history) and the
//! suppression lists.

use super::*;

impl Gen {
    pub(super) fn history_id(&mut self, provider: &str) -> String {
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

    pub(super) fn contact_phone(&mut self, num: Num) -> Value {
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
    pub(super) fn base_contact(
        &mut self,
        ci: usize,
        loc: usize,
        kind: &'static str,
    ) -> Map<String, Value> {
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

    pub(super) fn add_contact(&mut self, caller: Option<usize>, map: Map<String, Value>) -> usize {
        self.contacts.push(ContactDraft { caller, map });
        self.contacts.len() - 1
    }

    pub(super) fn tagged(&self, tag: &str) -> Vec<usize> {
        (0..self.events.len())
            .filter(|&k| self.events[k].tag == tag)
            .collect()
    }

    pub(super) fn build_crm(&mut self) {
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

    // Output
}

pub(super) fn recent_event(
    id: &str,
    at: &str,
    kind: &str,
    loc: &str,
    had_transcript: bool,
) -> Value {
    let mut v = json!({"event_id": id, "occurred_at": at, "kind": kind, "location_id": loc});
    if kind == "missed_call" {
        v["had_transcript"] = json!(had_transcript);
    }
    v
}
