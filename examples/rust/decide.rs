//! A webhook handler's view of ringback: compile the policy once at startup, then decide
//! each missed call with the contacts the CRM search returned, and act on the decision.
//!
//! Run: `cargo run -p ringback --example decide`

use ringback::{CrmSnapshot, Engine, MissedCallEvent, Policy, RecordAction, Status};

const POLICY: &str = r#"{"version": "example-1", "locations": [
  {"id": "phx-01", "name": "Phoenix Camelback", "vertical": "home_services",
   "time_zone": "America/Phoenix", "state": "AZ",
   "hours": {"mon": [["07:00","18:00"]], "tue": [["07:00","18:00"]], "wed": [["07:00","18:00"]],
             "thu": [["07:00","18:00"]], "fri": [["07:00","18:00"]], "sat": [["08:00","14:00"]]},
   "holidays": ["2026-11-26"]}]}"#;

const CRM: &str = r#"{"contacts": [
  {"id": "c_17", "kind": "customer", "phones": ["(602) 555-0143"], "location_id": "phx-01",
   "first_name": "Dana", "last_name": "Reyes"}]}"#;

const EVENTS: [&str; 3] = [
    r#"{"event_id": "CAL-1", "location_id": "phx-01", "occurred_at": "2026-11-24T08:41:00-07:00",
        "caller_number": "+16025550143", "disposition": "voicemail",
        "voicemail": {"transcript": "hi it's dana the ac is blowing warm air", "duration_seconds": 18}}"#,
    r#"{"event_id": "CAL-2", "location_id": "phx-01", "occurred_at": "2026-11-24T19:05:00-07:00",
        "caller_number": "480-555-0176", "caller_name": "GARCIA,MARIA", "disposition": "no_answer",
        "attribution": {"source": "google", "medium": "cpc", "campaign": "ac-repair-phx"}}"#,
    r#"{"event_id": "CAL-3", "location_id": "phx-01", "occurred_at": "2026-11-26T10:00:00-07:00",
        "caller_number": "anonymous", "disposition": "abandoned_in_ivr"}"#,
];

fn main() -> Result<(), ringback::Error> {
    let engine = Engine::new(&Policy::from_json(POLICY)?)?;
    let crm = CrmSnapshot::from_json(CRM)?;
    for text in EVENTS {
        let event = MissedCallEvent::from_json(text)?;
        let d = engine.process(&event, &crm)?;
        let what = match (d.status, d.record.action) {
            (Status::ManualReview, _) => {
                "no callable number: record it, a person reviews".to_string()
            }
            (_, RecordAction::AppendToCustomer) => format!(
                "append to customer {}",
                d.record.contact_id.as_deref().unwrap_or("?")
            ),
            (_, RecordAction::CreateLead) => format!(
                "create lead (upsert key {})",
                d.record.upsert_key.as_deref().unwrap_or("?")
            ),
            (_, other) => format!("{other:?}"),
        };
        println!(
            "{} {:<15} {:<22} → {what}",
            d.event_id,
            d.category.map(|c| c.as_str()).unwrap_or("-"),
            d.reason
        );
    }
    Ok(())
}
