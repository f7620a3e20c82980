//! The recovery report and outcome attribution, against hand-computed values.

use ringback::learning::LearningState;
use ringback::model::decision::{Category, RecordAction, Status, Verdict};
use ringback::report::{LocationInfo, ReportRow, RowOutcome};
use ringback::{
    CrmSnapshot, Engine, ErrorCode, MissedCallEvent, Outcome, OutcomeKind, OutcomeSubject, Policy,
    Report,
};

#[allow(clippy::too_many_arguments)]
fn row(
    loc: &str,
    category: Category,
    date: &str,
    record: RecordAction,
    resp: Option<i64>,
    sla_met: Option<bool>,
    compliance: &[(&str, Verdict)],
    var: f64,
    outcome: RowOutcome,
) -> ReportRow {
    ReportRow {
        location_id: loc.to_string(),
        category,
        status: Status::FollowUp,
        local_date: date.to_string(),
        hour_of_week: 10,
        campaign: Some("Fall Postcard".to_string()),
        record_action: record,
        followed_up: resp.is_some(),
        first_response_minutes: resp,
        sla_met,
        sla_due_minutes: Some(30),
        compliance: compliance
            .iter()
            .map(|(r, v)| (r.to_string(), *v))
            .collect(),
        value_at_risk: Some(var),
        outcome,
    }
}

/// Four missed calls at two locations, every figure computed by hand below.
fn fixture() -> Report {
    let mut r = Report::default();
    r.locations.insert(
        "l1".into(),
        LocationInfo {
            name: "One".into(),
            vertical: "home_services".into(),
            avg_inquiry_value: Some(400.0),
            currency: "USD".into(),
        },
    );
    r.locations.insert(
        "l2".into(),
        LocationInfo {
            name: "Two".into(),
            vertical: "dental".into(),
            avg_inquiry_value: Some(300.0),
            currency: "USD".into(),
        },
    );
    r.rows.insert(
        "e1".into(),
        row(
            "l1",
            Category::Voicemail,
            "2026-11-23",
            RecordAction::CreateLead,
            Some(0),
            Some(true),
            &[],
            400.0,
            RowOutcome {
                engaged: true,
                converted: true,
                recovered_value: 500.0,
                reported_first_response_minutes: Some(4),
                reported_sla_met: Some(true),
                ..RowOutcome::default()
            },
        ),
    );
    r.rows.insert(
        "e2".into(),
        row(
            "l1",
            Category::AfterHours,
            "2026-11-24",
            RecordAction::AppendToCustomer,
            Some(600),
            Some(true),
            &[("quiet_hours", Verdict::Deferred)],
            200.0,
            RowOutcome {
                not_reached: true,
                ..RowOutcome::default()
            },
        ),
    );
    r.rows.insert(
        "e3".into(),
        row(
            "l1",
            Category::RingNoAnswer,
            "2026-11-26",
            RecordAction::NeedsResolution,
            None,
            None,
            &[("do_not_contact", Verdict::Blocked)],
            400.0,
            RowOutcome::default(),
        ),
    );
    r.rows.insert(
        "e4".into(),
        row(
            "l2",
            Category::Voicemail,
            "2026-11-29",
            RecordAction::CreateLead,
            Some(2),
            Some(true),
            &[],
            300.0,
            RowOutcome {
                engaged: true,
                reported_first_response_minutes: Some(45),
                reported_sla_met: Some(false),
                ..RowOutcome::default()
            },
        ),
    );
    r
}

#[test]
fn every_portfolio_figure_matches_the_hand_computation() {
    let s = fixture().finish();
    let p = &s.portfolio;
    assert_eq!(s.period.from.as_deref(), Some("2026-11-23"));
    assert_eq!(s.period.to.as_deref(), Some("2026-11-29"));
    assert_eq!(s.period.days, 7);
    assert_eq!(s.currency, "USD");
    assert_eq!(p.missed_calls, 4);
    // e1 create, e2 append, e4 create are written; e3 needs a person.
    assert_eq!(p.records_written, 3);
    assert_eq!(p.crm_record_rate, Some(0.75));
    assert_eq!(p.new_leads, 2);
    assert_eq!(p.new_lead_rate, Some(0.5));
    assert_eq!(p.followed_up, 3);
    assert_eq!(p.follow_up_rate, Some(0.75));
    // Responses: e1 reported 4, e2 planned 600, e4 reported 45 → [4, 45, 600].
    // Median: rank ⌈0.5·3⌉ = 2 → 45; p90: rank ⌈0.9·3⌉ = 3 → 600.
    assert_eq!(p.first_response_median_minutes, Some(45));
    assert_eq!(p.first_response_p90_minutes, Some(600));
    // SLA: e1 reported met, e2 planned met, e4 reported missed → 2 of 3.
    assert_eq!(p.sla_measured, 3);
    assert_eq!(p.sla_met, 2);
    assert_eq!(p.sla_met_rate, Some(0.6667));
    assert_eq!(p.compliance_blocked.get("do_not_contact"), Some(&1));
    assert_eq!(p.compliance_deferred.get("quiet_hours"), Some(&1));
    assert_eq!(p.compliance_blocked.len() + p.compliance_deferred.len(), 2);
    assert_eq!(p.engaged, 2);
    assert_eq!(p.engaged_rate, Some(0.5));
    assert_eq!(p.converted, 1);
    assert_eq!(p.converted_rate, Some(0.25));
    assert_eq!((p.not_reached, p.opted_out, p.wrong_number), (1, 0, 0));
    assert_eq!(p.value_at_risk, 1300.0);
    assert_eq!(p.recovered_value, 500.0);
    // 500 / 1300 = 0.384615… → 0.3846.
    assert_eq!(p.recovery_rate, Some(0.3846));
    // (400 + 400 + 400 + 300) × 7 / 7 days.
    assert_eq!(p.weekly_lost_revenue_estimate, 1500.0);
}

#[test]
fn location_category_and_vertical_breakdowns_match() {
    let s = fixture().finish();
    let l1 = &s.locations[0];
    assert_eq!((l1.location_id.as_str(), l1.name.as_str()), ("l1", "One"));
    assert_eq!(l1.metrics.missed_calls, 3);
    assert_eq!(l1.metrics.value_at_risk, 1000.0);
    assert_eq!(l1.metrics.recovered_value, 500.0);
    assert_eq!(l1.metrics.weekly_lost_revenue_estimate, 1200.0);
    // [4, 600]: median rank 1 → 4, p90 rank 2 → 600.
    assert_eq!(l1.metrics.first_response_median_minutes, Some(4));
    assert_eq!(l1.metrics.first_response_p90_minutes, Some(600));
    assert_eq!(l1.metrics.sla_met_rate, Some(1.0));
    assert_eq!(l1.metrics.follow_up_rate, Some(0.6667));
    let l2 = &s.locations[1];
    assert_eq!(l2.metrics.missed_calls, 1);
    assert_eq!(l2.metrics.sla_met_rate, Some(0.0));
    assert_eq!(l2.metrics.weekly_lost_revenue_estimate, 300.0);
    assert_eq!(l2.metrics.engaged_rate, Some(1.0));

    let cat = |k: &str| {
        s.categories
            .iter()
            .find(|b| b.key == k)
            .map(|b| &b.metrics)
            .unwrap_or_else(|| panic!("no category {k}"))
    };
    assert_eq!(cat("voicemail").missed_calls, 2);
    assert_eq!(cat("voicemail").recovered_value, 500.0);
    assert_eq!(cat("voicemail").converted_rate, Some(0.5));
    assert_eq!(
        cat("after_hours").compliance_deferred.get("quiet_hours"),
        Some(&1)
    );
    assert_eq!(cat("ring_no_answer").follow_up_rate, Some(0.0));
    assert_eq!(s.categories.len(), 3);
    let vert: Vec<(&str, u64)> = s
        .verticals
        .iter()
        .map(|b| (b.key.as_str(), b.metrics.missed_calls))
        .collect();
    assert_eq!(vert, vec![("dental", 1), ("home_services", 3)]);
    assert_eq!(s.campaigns.len(), 1);
    assert_eq!(s.campaigns[0].metrics.value_at_risk, 1300.0);
    // Hour 10 of the week (Monday 10:00) holds both voicemails.
    assert_eq!(s.hour_of_week.get("voicemail").map(|v| v[10]), Some(2));
    assert_eq!(s.hour_of_week.get("voicemail").map(|v| v.len()), Some(168));
}

#[test]
fn the_text_rendering_is_stable_and_shows_the_figures() {
    let text = fixture().finish().to_text();
    assert_eq!(text, fixture().finish().to_text());
    for needle in [
        "RECOVERY REPORT  2026-11-23 to 2026-11-29 (7 days)",
        "Missed calls                     4",
        "Weekly lost-revenue estimate     $1,500.00",
        "Recovered                        $500.00 (38.5% of value at risk)",
        "SLA met                          66.7% (2 of 3)",
        "First response median / p90      45 min / 10.0 h",
        "Compliance blocked (steps)       do_not_contact 1",
    ] {
        assert!(text.contains(needle), "missing `{needle}` in\n{text}");
    }
}

#[test]
fn empty_report_has_no_rates() {
    let s = Report::default().finish();
    assert_eq!(s.portfolio.missed_calls, 0);
    assert_eq!(s.portfolio.sla_met_rate, None);
    assert_eq!(s.portfolio.first_response_median_minutes, None);
    assert_eq!(s.period.days, 0);
}

// ----------------------------------------------------------------------------------------
// End to end: a decision, its outcome, the attribution event and the Google Ads row.
// ----------------------------------------------------------------------------------------

const POLICY: &str = r#"{"version": "t-1", "locations": [
  {"id": "phx-01", "name": "Phoenix Camelback", "vertical": "home_services",
   "time_zone": "America/Phoenix", "country": "US", "state": "AZ",
   "avg_inquiry_value": 400, "hours": {"tue": [["07:00","18:00"]]}}]}"#;

const EVENT: &str = r#"{"event_id": "CAL123", "location_id": "phx-01",
  "occurred_at": "2026-11-24T09:15:00-07:00", "caller_number": "(602) 555-0143",
  "disposition": "no_answer", "tracking_number": "+16025550100",
  "attribution": {"source": "google", "medium": "cpc", "campaign": "PHX - AC Repair",
                  "gclid": "Cj0KCQiAtest_gclid-1"}}"#;

fn decide() -> (Engine, ringback::Decision) {
    let engine = Engine::new(&Policy::from_json(POLICY).expect("policy")).expect("engine");
    let event = MissedCallEvent::from_json(EVENT).expect("event");
    let d = engine
        .process(&event, &CrmSnapshot::default())
        .expect("decision");
    (engine, d)
}

fn outcome(json: &str) -> Outcome {
    Outcome::from_json(json).expect("outcome")
}

#[test]
fn converted_outcome_attributes_value_sla_and_google_ads_row() {
    let (engine, d) = decide();
    assert_eq!(d.status, Status::FollowUp);
    let sla = d.sla.as_ref().expect("sla");
    assert_eq!(sla.minutes, 30);
    let mut state = LearningState::new();
    let a = engine
        .record_outcome(
            &d,
            &outcome(
                r#"{"event_id": "CAL123", "kind": "converted", "at": "2026-11-24T10:00:00-07:00",
                    "channel": "voice", "step": "callback", "value": 650,
                    "responded_at": "2026-11-24T09:20:00-07:00"}"#,
            ),
            &mut state,
        )
        .expect("attribution");
    assert_eq!(a.outcome, OutcomeKind::Converted);
    assert_eq!(a.location_id, "phx-01");
    assert_eq!(a.vertical, "home_services");
    assert_eq!(a.category, Some(Category::RingNoAnswer));
    assert_eq!(a.caller.as_deref(), Some("+16025550143"));
    assert_eq!(a.campaign.as_deref(), Some("PHX - AC Repair"));
    assert_eq!(a.first_response_minutes, Some(5));
    assert!(a.first_response_reported);
    assert_eq!(a.sla_met, Some(true));
    assert_eq!(a.recovered_value, 650.0);
    assert!(!a.value_estimated);
    assert_eq!(a.currency, "USD");
    assert!(a.consent_updates.is_empty());
    let g = a.google_ads.as_ref().expect("google ads row");
    assert_eq!(g.click_id_type, "gclid");
    assert_eq!(g.click_id, "Cj0KCQiAtest_gclid-1");
    assert_eq!(g.conversion_name, "Missed call recovered");
    assert_eq!(g.conversion_time, "2026-11-24 10:00:00-07:00");
    assert_eq!(
        g.csv_header(),
        "Google Click ID,Conversion Name,Conversion Time,Conversion Value,Conversion Currency"
    );
    assert_eq!(
        g.csv_row(),
        "Cj0KCQiAtest_gclid-1,Missed call recovered,2026-11-24 10:00:00-07:00,650.00,USD"
    );

    // The report sees the outcome.
    let mut report = Report::new(&engine);
    report.add(&d);
    report.add_outcome(&a);
    let p = report.finish().portfolio;
    assert_eq!(p.recovered_value, 650.0);
    assert_eq!(p.first_response_median_minutes, Some(5));
    assert_eq!(p.converted, 1);
}

#[test]
fn late_response_misses_the_sla_and_engaged_gives_no_ads_row_by_default() {
    let (engine, d) = decide();
    let a = engine
        .record_outcome(
            &d,
            &outcome(
                r#"{"event_id": "CAL123", "kind": "engaged", "at": "2026-11-24T11:00:00-07:00",
                    "responded_at": "2026-11-24T10:15:00-07:00"}"#,
            ),
            &mut LearningState::new(),
        )
        .expect("attribution");
    assert_eq!(a.first_response_minutes, Some(60));
    assert_eq!(a.sla_met, Some(false));
    assert_eq!(a.recovered_value, 0.0);
    assert!(a.google_ads.is_none());
}

#[test]
fn gbraid_and_engaged_conversion_name_from_policy() {
    let policy = POLICY.replace(
        r#""avg_inquiry_value": 400,"#,
        r#""avg_inquiry_value": 400, "currency": "USD",
           "attribution": {"conversion_name": "Booked job", "engaged_conversion_name": "Reached caller"},"#,
    );
    let engine = Engine::new(&Policy::from_json(&policy).expect("policy")).expect("engine");
    let event = EVENT.replace(
        r#""gclid": "Cj0KCQiAtest_gclid-1""#,
        r#""gbraid": "0AAAAA-gb""#,
    );
    let d = engine
        .process(
            &MissedCallEvent::from_json(&event).expect("event"),
            &CrmSnapshot::default(),
        )
        .expect("decision");
    let a = engine
        .record_outcome(
            &d,
            &outcome(r#"{"event_id": "CAL123", "kind": "engaged", "at": "2026-11-24T16:30:05Z"}"#),
            &mut LearningState::new(),
        )
        .expect("attribution");
    let g = a.google_ads.expect("row");
    assert_eq!(g.click_id_type, "gbraid");
    assert_eq!(g.conversion_name, "Reached caller");
    assert_eq!(g.conversion_time, "2026-11-24 09:30:05-07:00");
    assert!(g.csv_header().starts_with("GBRAID,"));
    // Without `responded_at` the first response is the plan's first touch (sent at once).
    assert!(!a.first_response_reported);
    assert_eq!(a.first_response_minutes, Some(0));
}

#[test]
fn converted_without_value_uses_value_at_risk_and_says_so() {
    let (engine, d) = decide();
    let a = engine
        .record_outcome(
            &d,
            &outcome(
                r#"{"event_id": "CAL123", "kind": "converted", "at": "2026-11-25T09:00:00-07:00"}"#,
            ),
            &mut LearningState::new(),
        )
        .expect("attribution");
    assert_eq!(Some(a.recovered_value), d.value_at_risk);
    assert!(a.value_estimated);
}

#[test]
fn opt_out_revokes_every_channel() {
    let (engine, d) = decide();
    let a = engine
        .record_outcome(
            &d,
            &outcome(r#"{"event_id": "CAL123", "kind": "opted_out", "at": "2026-11-24T09:16:00-07:00", "channel": "sms"}"#),
            &mut LearningState::new(),
        )
        .expect("attribution");
    let got: Vec<(&str, &str)> = a
        .consent_updates
        .iter()
        .map(|c| (c.channel.as_str(), c.status))
        .collect();
    assert_eq!(
        got,
        vec![
            ("sms", "revoked"),
            ("voice", "revoked"),
            ("email", "revoked")
        ]
    );
    assert!(a.consent_updates[0].reason.contains("via sms"));
    assert!(a.google_ads.is_none());
}

#[test]
fn bad_outcomes_get_coded_errors_and_leave_learning_untouched() {
    let (engine, d) = decide();
    let mut state = LearningState::new();
    let before = serde_json::to_string(&state).expect("json");
    let cases = [
        (
            r#"{"event_id": "OTHER", "kind": "engaged", "at": "2026-11-24T10:00:00-07:00"}"#,
            ErrorCode::InvalidEvent,
            "event_id",
        ),
        (
            r#"{"event_id": "CAL123", "kind": "engaged", "at": "2026-11-24T09:00:00-07:00"}"#,
            ErrorCode::InvalidTimestamp,
            "at",
        ),
        (
            r#"{"event_id": "CAL123", "kind": "converted", "at": "2026-11-24T10:00:00-07:00", "value": -5}"#,
            ErrorCode::InvalidEvent,
            "value",
        ),
        (
            r#"{"event_id": "CAL123", "kind": "engaged", "at": "2026-11-24T10:00:00-07:00", "value": 5}"#,
            ErrorCode::InvalidEvent,
            "value",
        ),
        (
            r#"{"event_id": "CAL123", "kind": "engaged", "at": "2026-11-24T10:00:00-07:00", "responded_at": "2026-11-24T08:00:00-07:00"}"#,
            ErrorCode::InvalidTimestamp,
            "responded_at",
        ),
    ];
    for (json, code, path) in cases {
        let e = engine
            .record_outcome(&d, &outcome(json), &mut state)
            .expect_err(json);
        assert_eq!((e.code, e.path.as_str()), (code, path), "{json}");
    }
    assert_eq!(serde_json::to_string(&state).expect("json"), before);
    // Malformed outcome JSON names the field.
    let e = Outcome::from_json(
        r#"{"event_id": "CAL123", "kind": "sold", "at": "2026-11-24T10:00:00Z"}"#,
    )
    .expect_err("unknown kind");
    assert_eq!(e.path, "kind");
    // An unknown location in a stored decision.
    let mut subject = OutcomeSubject::from(&d);
    subject.location_id = "nowhere".into();
    let e = engine
        .record_outcome_for(
            &subject,
            &outcome(
                r#"{"event_id": "CAL123", "kind": "engaged", "at": "2026-11-24T10:00:00-07:00"}"#,
            ),
            &mut state,
        )
        .expect_err("unknown location");
    assert_eq!(e.code, ErrorCode::UnknownLocation);
}

#[test]
fn record_outcome_json_reads_a_stored_decision() {
    let (engine, d) = decide();
    let decision_json = ringback::to_json(&d).expect("json");
    let out = engine
        .record_outcome_json(
            &decision_json,
            r#"{"event_id": "CAL123", "kind": "converted", "at": "2026-11-24T10:00:00-07:00", "value": 120.5}"#,
            "",
        )
        .expect("recorded");
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["attribution"]["recovered_value"], 120.5);
    assert_eq!(v["attribution"]["google_ads"]["conversion_value"], 120.5);
    assert!(v["learning"].is_object());
    // The same through the typed API gives the same attribution.
    let typed = engine
        .record_outcome(
            &d,
            &outcome(r#"{"event_id": "CAL123", "kind": "converted", "at": "2026-11-24T10:00:00-07:00", "value": 120.5}"#),
            &mut LearningState::new(),
        )
        .expect("typed");
    assert_eq!(
        v["attribution"],
        serde_json::to_value(&typed).expect("value")
    );
    let e = engine
        .record_outcome_json("{\"event_id\": 5}", "{}", "")
        .expect_err("bad decision");
    assert!(e.path.starts_with("decision"), "{}", e.path);
}

// ----------------------------------------------------------------------------------------
// Merge: shards combine into the whole.
// ----------------------------------------------------------------------------------------

fn demo() -> (Engine, Vec<MissedCallEvent>, CrmSnapshot, Vec<Outcome>) {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../demo/");
    let read = |f: &str| std::fs::read_to_string(format!("{dir}{f}")).expect("demo file");
    let engine = Engine::from_policy_text(&read("policy.json")).expect("engine");
    let events = read("events.jsonl")
        .lines()
        .map(|l| MissedCallEvent::from_json(l).expect("event"))
        .collect();
    let crm = ringback::parse_crm(&read("crm.json")).expect("crm");
    let outcomes = read("outcomes.jsonl")
        .lines()
        .map(|l| Outcome::from_json(l).expect("outcome"))
        .collect();
    (engine, events, crm, outcomes)
}

#[test]
fn two_halves_merged_equal_the_whole() {
    let (engine, events, crm, outcomes) = demo();
    let mut index = engine.index(crm);
    let mut whole = Report::new(&engine);
    let mut halves = [Report::new(&engine), Report::new(&engine)];
    let mut subjects = std::collections::BTreeMap::new();
    let shard = |id: &str| id.bytes().map(usize::from).sum::<usize>() % 2;
    for e in &events {
        let d = engine.process(&e.clone(), &index).expect("decision");
        index.apply(e, &d);
        whole.add(&d);
        halves[shard(&d.event_id)].add(&d);
        subjects
            .entry(d.event_id.clone())
            .or_insert_with(|| OutcomeSubject::from(&d));
    }
    let mut state = LearningState::new();
    for o in &outcomes {
        let a = engine
            .record_outcome_for(&subjects[&o.event_id], o, &mut state)
            .expect("outcome");
        whole.add_outcome(&a);
        halves[shard(&o.event_id)].add_outcome(&a);
    }
    let [a, b] = halves;
    assert!(a.rows.len() > 100 && b.rows.len() > 100, "both shards used");
    let mut ab = a.clone();
    ab.merge(b.clone());
    let mut ba = b;
    ba.merge(a);
    let whole_summary = whole.finish();
    assert_eq!(ab.finish(), whole_summary);
    assert_eq!(ba.finish(), whole_summary);
    // A shard serialized and read back merges the same way.
    let text = serde_json::to_string(&whole).expect("json");
    let back: Report = serde_json::from_str(&text).expect("report");
    assert_eq!(back.finish(), whole_summary);
    assert!(whole_summary.portfolio.recovered_value > 0.0);
    assert_eq!(whole_summary.unmatched_outcomes, 0);
}

#[test]
fn add_takes_the_first_allowed_step_and_counts_deferrals_by_rule() {
    let (engine, _) = decide();
    // Tuesday 22:30 in Phoenix: closed, and texts wait for 08:00 (quiet hours).
    let event = EVENT.replace("2026-11-24T09:15:00-07:00", "2026-11-24T22:30:00-07:00");
    let d = engine
        .process(
            &MissedCallEvent::from_json(&event).expect("event"),
            &CrmSnapshot::default(),
        )
        .expect("decision");
    assert_eq!(d.category, Some(Category::AfterHours));
    let mut report = Report::new(&engine);
    report.add(&d);
    report.add(&d); // a second add of the same event changes nothing
    let row = &report.rows["CAL123"];
    // 22:30 → 08:00 the next morning = 9 h 30 min.
    assert_eq!(row.first_response_minutes, Some(570));
    assert!(row
        .compliance
        .iter()
        .any(|(r, v)| r == "quiet_hours" && *v == Verdict::Deferred));
    let p = report.finish().portfolio;
    assert_eq!(p.missed_calls, 1);
    assert_eq!(p.first_response_median_minutes, Some(570));
    assert!(
        p.compliance_deferred
            .get("quiet_hours")
            .copied()
            .unwrap_or(0)
            >= 1
    );
    assert_eq!(p.value_at_risk, d.value_at_risk.unwrap_or(0.0));
}
