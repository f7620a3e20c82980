//! Texts of real decisions sent through the Twilio Messaging fake over loopback HTTP: sent
//! once however often the run is retried or repeated (a 500 after Twilio took the message
//! included), scheduled within Twilio's window or handed back outside it, a recipient who
//! replied STOP turned into a revocation that no later decision texts past, a landline
//! failing alone, wrong credentials stopping the run with nothing lost.

mod common;

use std::sync::{Arc, Mutex};

use common::phoenix_tuesday;
use ringback::crm::{Request, Response};
use ringback::messaging::twilio::{read_callback, Send, TwilioConfig};
use ringback::messaging::{SendOutcome, SendState, TextSubject};
use ringback::replay::Replayer;
use ringback::{CrmSnapshot, Decision, Engine, MissedCallEvent, Timestamp};
use ringback_crm_fake::{send, start, State};

const ACCOUNT: &str = "AC00000000000000000000000000000001";
const SERVICE: &str = "MG00000000000000000000000000000abc";

fn config(service: bool) -> TwilioConfig {
    let text = if service {
        format!(
            r#"{{"account_sid": "{ACCOUNT}", "messaging_service_sid": "{SERVICE}", "status_callback": "https://hooks.example.com/twilio?loc=phx-01"}}"#
        )
    } else {
        format!(r#"{{"account_sid": "{ACCOUNT}", "from": "+16025550100"}}"#)
    };
    TwilioConfig::from_json(&text).expect("config")
}

fn exchange(base: &str, r: &Request, token: &str) -> Response {
    assert!(r.delay_seconds <= 4, "no long waits against the fake");
    let mut headers = r.headers.clone();
    headers.push((
        "Authorization".into(),
        format!(
            "Basic {}",
            ringback_crm_fake::twilio::base64(&format!("{ACCOUNT}:{token}"))
        ),
    ));
    let resp = send(base, &r.method, &r.path, &headers, r.body.as_deref()).expect("loopback");
    Response {
        status: resp.status,
        headers: resp.headers,
        body: resp.body,
    }
}

fn run(base: &str, d: &Decision, config: &TwilioConfig, now: Timestamp) -> SendOutcome {
    run_with(base, &TextSubject::from(d), config, now, "fake-token")
}

fn run_with(
    base: &str,
    subject: &TextSubject,
    config: &TwilioConfig,
    now: Timestamp,
    token: &str,
) -> SendOutcome {
    let mut s = Send::new(subject, config, now);
    let bound = s.request_bound();
    let mut n = 0;
    while let Some(r) = s.next_request() {
        n += 1;
        assert!(n <= bound, "request bound");
        let resp = exchange(base, &r, token);
        s.feed(resp).expect("a documented answer");
    }
    s.outcome().clone()
}

/// The Phoenix Tuesday's decisions with an allowed text, and the instant of that text.
fn texting_decisions() -> (Engine, Vec<(MissedCallEvent, Decision, Timestamp)>) {
    let day = phoenix_tuesday();
    let out: Vec<(MissedCallEvent, Decision, Timestamp)> = day
        .events
        .iter()
        .filter_map(|e| {
            let d = day.engine.process(e, &CrmSnapshot::default()).ok()?;
            let at = d
                .follow_up
                .iter()
                .find(|s| {
                    s.action == ringback::model::decision::StepAction::SendSms
                        && s.compliance.verdict != ringback::model::decision::Verdict::Blocked
                })?
                .at;
            Some((e.clone(), d, at))
        })
        .collect();
    assert!(
        out.len() >= 4,
        "the story texts most new callers: {}",
        out.len()
    );
    (day.engine, out)
}

fn set_now(state: &Arc<Mutex<State>>, t: Timestamp) {
    state.lock().expect("state").twilio_now = t.utc().timestamp();
}

fn plus(t: Timestamp, secs: i64) -> Timestamp {
    Timestamp::from_utc(t.utc() + chrono::Duration::seconds(secs))
}

fn messages(state: &Arc<Mutex<State>>) -> usize {
    state.lock().expect("state").twilio_messages().len()
}

#[test]
fn each_text_is_sent_once_across_reruns_and_an_ambiguous_500() {
    let (_, decisions) = texting_decisions();
    let (base, state) = start();
    let cfg = config(false);
    let (_, d, at) = &decisions[0];
    set_now(&state, *at);
    // Twilio takes the message but the answer is lost (500): the run looks, finds it, and
    // does not send again.
    state.lock().expect("state").twilio_fail_after_send = 1;
    let o = run(&base, d, &cfg, *at);
    assert_eq!(o.state, SendState::Done, "{:?}", o.failure);
    assert_eq!(messages(&state), 1, "one text despite the 500");
    assert_eq!(o.sent.len(), 1);
    assert!(!o.sent[0].created, "found after the 500, not sent twice");
    assert_eq!(o.retries, 1);
    // The whole run again (a retried webhook, a replay): found, nothing sent.
    let again = run(&base, d, &cfg, plus(*at, 60));
    assert_eq!(messages(&state), 1);
    assert_eq!(again.sent.len(), 1);
    assert!(!again.sent[0].created);
    // Every other decision: one text each, keyed event:step.
    for (_, d, at) in &decisions[1..] {
        let o = run(&base, d, &cfg, *at);
        assert_eq!(o.sent.len(), 1, "{}", d.event_id);
        assert_eq!(
            o.sent[0].key,
            format!("{}:{}", d.event_id, o.sent[0].step_id)
        );
    }
    assert_eq!(messages(&state), decisions.len());
    let msgs = state.lock().expect("state").twilio_messages();
    assert!(msgs
        .iter()
        .all(|m| m["from"] == serde_json::json!("+16025550100")));
}

#[test]
fn later_texts_are_scheduled_within_twilios_window_or_handed_back() {
    let (_, decisions) = texting_decisions();
    let (base, state) = start();
    let (_, d, at) = &decisions[0];
    // An hour ahead, with a Messaging Service: Twilio schedules it.
    let now = plus(*at, -3600);
    set_now(&state, now);
    let o = run(&base, d, &config(true), now);
    assert_eq!(o.sent.len(), 1, "{o:?}");
    assert_eq!(o.sent[0].status, "scheduled");
    let m = &state.lock().expect("state").twilio_messages()[0];
    assert_eq!(
        m["send_at"],
        serde_json::json!(at.utc().format("%Y-%m-%dT%H:%M:%SZ").to_string())
    );
    assert!(m["_fake_status_callback"]
        .as_str()
        .is_some_and(|u| u.ends_with(&format!(
            "&ringback_key={}%3A{}",
            d.event_id, o.sent[0].step_id
        ))));
    // Five minutes ahead: inside Twilio's 15-minute minimum, handed back.
    let (_, d2, at2) = &decisions[1];
    let now = plus(*at2, -300);
    set_now(&state, now);
    let o = run(&base, d2, &config(true), now);
    assert!(o.sent.is_empty());
    assert_eq!(o.deferred.len(), 1);
    assert_eq!(
        o.deferred[0].send_at,
        at2.utc().format("%Y-%m-%dT%H:%M:%SZ").to_string()
    );
    // Without a Messaging Service nothing can be scheduled: handed back too.
    let o = run(&base, d2, &config(false), plus(*at2, -3600));
    assert_eq!((o.sent.len(), o.deferred.len()), (0, 1));
    // Long past its instant: decided again, not sent into what may be quiet hours now.
    let o = run(&base, d2, &config(false), plus(*at2, 4 * 3600));
    assert!(o.sent.is_empty() && o.skipped.iter().any(|s| s.reason.contains("decide again")));
    assert_eq!(messages(&state), 1);
}

/// A recipient who replied STOP: the send fails with 21610, the run reports the
/// revocation, and once it is written back no later decision texts that number.
#[test]
fn a_recipient_who_opted_out_at_twilio_is_never_texted_again() {
    let (engine, decisions) = texting_decisions();
    let (base, state) = start();
    let cfg = config(false);
    let (event, d, at) = &decisions[0];
    let number = d.caller.e164.clone().expect("caller");
    state
        .lock()
        .expect("state")
        .twilio_opted_out
        .insert(number.clone());
    let o = run(&base, d, &cfg, *at);
    assert_eq!(o.state, SendState::Done, "the decision stands");
    assert_eq!(o.failed.len(), 1);
    assert_eq!(
        (o.failed[0].code, o.failed[0].provider_code),
        ("recipient_opted_out", Some(21610))
    );
    assert_eq!(o.consent_updates.len(), 1);
    let r = &o.consent_updates[0];
    assert_eq!(
        (r.number.as_str(), r.channel.as_str(), r.status),
        (number.as_str(), "sms", "revoked")
    );
    assert_eq!(messages(&state), 0);

    // Written back into the replay's CRM: the same caller calls again the next day.
    let mut replayer = Replayer::new(&engine, engine.index(CrmSnapshot::default()));
    replayer.decide(event).expect("first call");
    replayer.suppress(r.channel, &r.number);
    let later = MissedCallEvent::from_json(&format!(
        r#"{{"event_id": "LATER-1", "location_id": "{}", "occurred_at": "{}",
             "caller_number": "{number}", "disposition": "no_answer"}}"#,
        event.location_id,
        plus(event.occurred_at, 86_400).to_rfc3339()
    ))
    .expect("event");
    let d2 = replayer.decide(&later).expect("decision");
    assert!(
        d2.follow_up
            .iter()
            .filter(|s| s.action == ringback::model::decision::StepAction::SendSms)
            .all(|s| s.compliance.verdict == ringback::model::decision::Verdict::Blocked),
        "no later text to a revoked number: {:?}",
        d2.follow_up
    );
    let o2 = run(&base, &d2, &cfg, plus(event.occurred_at, 86_400 + 60));
    assert!(o2.sent.is_empty() && o2.failed.is_empty());
    // Twilio's own webhooks say the same: an inbound STOP, a delivery refused with 21610.
    let stop = read_callback(&format!(
        "MessageSid=SM1&From={}&To=%2B16025550100&Body=STOP&OptOutType=STOP",
        number.replace('+', "%2B")
    ))
    .expect("form");
    assert_eq!(stop.revocation.map(|r| r.number), Some(number.clone()));
    let refused = read_callback(&format!(
        "MessageSid=SM2&MessageStatus=failed&ErrorCode=21610&To={}",
        number.replace('+', "%2B")
    ))
    .expect("form");
    assert_eq!(
        refused.revocation.map(|r| r.source),
        Some("twilio:21610".to_string())
    );
    let delivered =
        read_callback("MessageSid=SM3&MessageStatus=delivered&To=%2B16025550143").expect("form");
    assert!(delivered.revocation.is_none());
}

#[test]
fn a_landline_fails_alone_and_wrong_credentials_stop_the_run() {
    let (_, decisions) = texting_decisions();
    let (base, state) = start();
    let cfg = config(false);
    let (_, d, at) = &decisions[0];
    let number = d.caller.e164.clone().expect("caller");
    state.lock().expect("state").twilio_landlines.insert(number);
    let o = run(&base, d, &cfg, *at);
    assert_eq!(o.state, SendState::Done);
    assert_eq!(
        (o.failed[0].code, o.failed[0].provider_code),
        ("not_textable", Some(21614))
    );
    assert!(o.consent_updates.is_empty(), "a landline is not an opt-out");
    let (_, d2, at2) = &decisions[1];
    let o = run_with(&base, &TextSubject::from(d2), &cfg, *at2, "wrong");
    assert_eq!(o.state, SendState::Failed);
    assert_eq!(
        o.failure.as_ref().map(|f| (f.code, f.status)),
        Some(("crm_rejected", Some(401)))
    );
    assert_eq!(
        o.pending.len(),
        1,
        "the unsent text is listed, to send again"
    );
    assert_eq!(messages(&state), 0);
}
