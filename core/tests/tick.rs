//! `Engine::tick`: nothing before due, breached at due, tier 2 at due + 15, tier 3 at
//! due + 60; deterministic and idempotent.

use ringback::model::crm::OpenFollowUp;
use ringback::model::decision::TickAction;
use ringback::{Engine, Timestamp};

fn engine() -> Engine {
    Engine::from_policy_text(include_str!("../../tests/corpus/policies/compliance.json")).unwrap()
}

fn followup(tier: u8) -> OpenFollowUp {
    serde_json::from_value(serde_json::json!({
        "id": "fu_1", "created_at": "2026-11-24T10:00:00-05:00", "due_at": "2026-11-24T10:30:00-05:00",
        "tier": tier, "attempts": 0, "location_id": "mia-01"
    }))
    .unwrap()
}

fn at(t: &str) -> Timestamp {
    Timestamp::parse(t).unwrap()
}

#[test]
fn ladder_over_time() {
    let e = engine();
    assert_eq!(
        e.tick(&followup(1), at("2026-11-24T10:29:00-05:00"))
            .unwrap(),
        TickAction::Nothing {
            next_at: Some(at("2026-11-24T15:30:00Z"))
        }
    );
    assert_eq!(
        e.tick(&followup(1), at("2026-11-24T10:30:00-05:00"))
            .unwrap(),
        TickAction::Breached {
            overdue_minutes: 0,
            tier: 1
        }
    );
    match e
        .tick(&followup(1), at("2026-11-24T10:45:00-05:00"))
        .unwrap()
    {
        TickAction::Escalate {
            tier: 2, handler, ..
        } => assert_eq!(handler, "corporate"),
        other => panic!("expected tier 2, got {other:?}"),
    }
    match e
        .tick(&followup(2), at("2026-11-24T11:30:00-05:00"))
        .unwrap()
    {
        TickAction::Escalate {
            tier: 3, handler, ..
        } => assert_eq!(handler, "vertical_specialist"),
        other => panic!("expected tier 3, got {other:?}"),
    }
    // A scheduler that was down jumps straight to the right tier, once.
    match e
        .tick(&followup(1), at("2026-11-24T13:00:00-05:00"))
        .unwrap()
    {
        TickAction::Escalate { tier: 3, .. } => {}
        other => panic!("expected tier 3, got {other:?}"),
    }
}

#[test]
fn idempotent_at_the_same_now() {
    let e = engine();
    let now = at("2026-11-24T10:50:00-05:00");
    let first = e.tick(&followup(1), now).unwrap();
    assert_eq!(
        first,
        e.tick(&followup(1), now).unwrap(),
        "same input, same answer"
    );
    let TickAction::Escalate { tier, .. } = first else {
        panic!("expected escalation")
    };
    // Once the integrator records the new tier, the same `now` escalates no further.
    assert_eq!(
        e.tick(&followup(tier), now).unwrap(),
        TickAction::Breached {
            overdue_minutes: 20,
            tier: 2
        }
    );
}

#[test]
fn unknown_location_and_missing_due() {
    let e = engine();
    let mut f = followup(1);
    f.location_id = Some("nowhere".into());
    assert_eq!(
        e.tick(&f, at("2026-11-24T12:00:00Z"))
            .unwrap_err()
            .code
            .as_str(),
        "unknown_location"
    );
    let mut f = followup(1);
    f.due_at = None;
    assert_eq!(
        e.tick(&f, at("2026-11-24T12:00:00Z")).unwrap(),
        TickAction::Nothing { next_at: None }
    );
}

#[test]
fn tick_json_shape() {
    let e = engine();
    let v = serde_json::to_value(
        e.tick(&followup(1), at("2026-11-24T10:46:00-05:00"))
            .unwrap(),
    )
    .unwrap();
    assert_eq!(v["action"], "escalate");
    assert_eq!(v["tier"], 2);
}
