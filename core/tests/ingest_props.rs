//! Property tests: no input, however broken, panics a vendor parser, and whatever comes
//! out is either a coded error or a well-formed result.

use proptest::prelude::*;
use ringback::ingest::{self, IngestOptions, Ingested};
use ringback::MissedCallEvent;

fn fixture(name: &str) -> String {
    let path = format!("{}/../tests/vendors/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

const FILES: &[&str] = &[
    "callrail-post-call-voicemail-verbatim.json",
    "callrail-post-call-missed-reconstructed.json",
    "callrail-api-single-call-milestones-verbatim.json",
    "twilio-dial-action-no-answer-verbatim.txt",
    "twilio-status-callback-busy-verbatim.json",
    "twilio-transcribe-callback-reconstructed.txt",
    "aircall-call-ended-inbound-missed-with-voicemail-verbatim.json",
    "dialpad-call-hangup-inbound-unanswered-verbatim.json",
    "vonage-event-completed-reconstructed.json",
    "invoca-post-call-webhook-no-answer-reconstructed.json",
    "zoom-phone-callee-missed-reconstructed.json",
    "ctm-calls-api-sample-verbatim.txt",
    "marchex-webhook-call-processed-unanswered-reconstructed.json",
    "convirza-v3-call-no-answer-reconstructed.json",
    "whatconverts-webhook-phone-call-completed-unanswered-reconstructed.json",
    "ringostat-webhook-after-call-no-answer-reconstructed.json",
    "dialogtech-post-call-action-get-reconstructed.txt",
    "retell-webhook-call-analyzed-inbound-user-hangup-reconstructed.json",
    "retell-webhook-call-ended-inbound-transfer-cancelled-reconstructed.json",
    "vapi-end-of-call-report-inbound-forwarding-no-answer-reconstructed.json",
    "bland-post-call-webhook-no-answer-reconstructed.json",
    "bland-post-call-webhook-cookbook-verbatim.json",
    "voiceflow-webhook-runtime-call-end-reconstructed.json",
];

fn options() -> IngestOptions {
    IngestOptions::from_json(
        r#"{"default_location": "loc-1", "time_zone": "America/Chicago",
            "received_at": "2026-01-05T10:00:00Z"}"#,
    )
    .expect("options")
}

fn phonenumber_us() -> phonenumber::country::Id {
    phonenumber::country::Id::US
}

/// Runs every parser on `payload` and checks the outcome is well formed.
fn check_all(payload: &str, options: &IngestOptions) -> Result<(), TestCaseError> {
    for vendor in ingest::VENDORS {
        match ingest::parse(vendor, payload, options) {
            Ok(Ingested::Event(e)) => {
                prop_assert!(!e.event_id.is_empty(), "{vendor}: empty event id");
                // Never a caller number nobody can dial back (an extension turned `+1102`).
                if let Some(c) = e.caller_number.as_deref() {
                    let dialable =
                        ingest::number::dialable(c, phonenumber_us(), ingest::number::Hint::Any);
                    prop_assert!(
                        c == ingest::number::WITHHELD || dialable.as_deref() == Some(c),
                        "{vendor}: caller `{c}` is not a dialable E.164 number"
                    );
                }
                let text = serde_json::to_string(&*e).expect("serialize");
                let back = MissedCallEvent::from_json(&text);
                prop_assert!(back.is_ok(), "{vendor}: event does not round-trip: {text}");
            }
            Ok(Ingested::NotMissed { reason }) | Ok(Ingested::Incomplete { reason }) => {
                prop_assert!(!reason.is_empty(), "{vendor}: empty reason");
            }
            Err(e) => {
                prop_assert!(e.code.is_bad_input(), "{vendor}: internal error {e}");
                prop_assert!(!e.message.is_empty());
            }
        }
        let json = ingest::parse_json(vendor, payload, "");
        if let Ok(text) = json {
            prop_assert!(serde_json::from_str::<serde_json::Value>(&text).is_ok());
        }
        // A page: either one error for the whole call, or one result per item.
        match ingest::parse_many(vendor, payload, options) {
            Ok(items) => {
                for item in items {
                    if let Err(e) = item {
                        prop_assert!(e.code.is_bad_input(), "{vendor} page item: {e}");
                    }
                }
            }
            Err(e) => prop_assert!(e.code.is_bad_input(), "{vendor} page: {e}"),
        }
    }
    Ok(())
}

/// Scalar values that stress the lenient readers.
fn scalar() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::json;
    prop_oneof![
        Just(json!(null)),
        any::<bool>().prop_map(|b| json!(b)),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| json!(f)),
        ".{0,12}".prop_map(|s| json!(s)),
        Just(json!("")),
        Just(json!("anonymous")),
        Just(json!("+44 330 818 6690")),
        Just(json!("1731624039404")),
        Just(json!("2019-01-24 06:43:15 -07:00")),
        Just(json!("Wed, 08 Oct 2025 13:54:12 +0000")),
        Just(json!([])),
        Just(json!({})),
    ]
}

/// Keys the parsers look at.
const KEYS: &[&str] = &[
    "id",
    "resource_id",
    "call_type",
    "answered",
    "voicemail",
    "duration",
    "start_time",
    "customer_phone_number",
    "tracking_phone_number",
    "CallSid",
    "AccountSid",
    "CallStatus",
    "DialCallStatus",
    "event",
    "data",
    "resource",
    "started_at",
    "answered_at",
    "missed_call_reason",
    "call_id",
    "state",
    "date_started",
    "date_rang",
    "uuid",
    "conversation_uuid",
    "status",
    "from",
    "to",
    "transaction_id",
    "complete_call_id",
    "hangup_cause",
    "connect_duration",
    "start_time_utc",
    "result",
    "startTime",
    "payload",
    "object",
    "called_at",
    "unix_time",
    "caller_number",
    "dial_status",
    "number",
    "digits",
    "Notifications",
    "TelmetricsId",
    "AnswerStatus",
    "Action",
    "StartTime",
    "disposition",
    "caller_id",
    "lead_id",
    "lead_type",
    "answer_status",
    "lead_state",
    "uniqueid",
    "calldate",
    "caller",
    "dst",
    "call",
    "disconnection_reason",
    "from_number",
    "call_analysis",
    "message",
    "type",
    "endedReason",
    "analysis",
    "customer",
    "answered_by",
    "call_length",
    "sid",
    "primaryOutcomeAchieved",
    "records",
    "leads",
    "calls",
    "extensionNumber",
    "phoneNumber",
];

fn object() -> impl Strategy<Value = serde_json::Value> {
    let leaf = scalar();
    let value = leaf.prop_recursive(3, 24, 6, |inner| {
        prop::collection::vec((prop::sample::select(KEYS), inner), 0..6).prop_map(|kv| {
            serde_json::Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
        })
    });
    prop::collection::vec((prop::sample::select(KEYS), value), 0..12).prop_map(|kv| {
        serde_json::Value::Object(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_text_never_panics(s in ".{0,200}") {
        check_all(&s, &options())?;
        check_all(&s, &IngestOptions::default())?;
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        check_all(&String::from_utf8_lossy(&bytes), &options())?;
    }

    #[test]
    fn mutated_samples_never_panic(
        file in prop::sample::select(FILES),
        cut in any::<prop::sample::Index>(),
        at in any::<prop::sample::Index>(),
        insert in ".{0,8}",
    ) {
        let body = fixture(file);
        let chars: Vec<char> = body.chars().collect();
        let cut_at = cut.index(chars.len() + 1);
        let truncated: String = chars[..cut_at].iter().collect();
        check_all(&truncated, &options())?;
        let pos = at.index(chars.len() + 1);
        let mut spliced: String = chars[..pos].iter().collect();
        spliced.push_str(&insert);
        spliced.extend(chars[pos..].iter());
        check_all(&spliced, &options())?;
    }

    #[test]
    fn structured_garbage_never_panics(v in object()) {
        check_all(&v.to_string(), &options())?;
        // The same keys as a form body.
        if let Some(map) = v.as_object() {
            let form: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{k}={}", v.to_string().replace('&', "%26")))
                .collect();
            check_all(&form.join("&"), &options())?;
        }
    }

    #[test]
    fn sample_fields_replaced_by_anything(
        file in prop::sample::select(FILES),
        key in prop::sample::select(KEYS),
        value in scalar(),
    ) {
        let body = fixture(file);
        if let Ok(mut v) = serde_json::from_str::<serde_json::Value>(&body) {
            if let Some(obj) = v.as_object_mut() {
                obj.insert(key.to_string(), value.clone());
            }
            if let Some(data) = v.get_mut("data").and_then(|d| d.as_object_mut()) {
                data.insert(key.to_string(), value.clone());
            }
            check_all(&v.to_string(), &options())?;
        }
    }
}
