//! Rust-side tests of the boundary: status/code drift, the panic guard, NULL and UTF-8
//! handling, ownership resets. The C suite (`tests/c/`) exercises the same API from C.

use std::collections::BTreeMap;
use std::ffi::{c_int, CStr};
use std::ptr;

use ringback_core::{Engine, ErrorCode};

use super::*;

const POLICY: &str = r#"{"version": "t-1", "locations": [
  {"id": "phx-01", "name": "Phoenix Camelback", "vertical": "home_services",
   "time_zone": "America/Phoenix", "country": "US", "state": "AZ",
   "hours": {"tue": [["07:00","18:00"]]}}]}"#;

const EVENT: &str = r#"{"event_id": "CAL1", "location_id": "phx-01",
  "occurred_at": "2026-11-24T09:15:00-07:00", "caller_number": "(602) 555-0143",
  "disposition": "no_answer"}"#;

const CRM: &str = r#"{"contacts": [{"id": "c_17", "kind": "customer",
  "phones": ["602.555.0143"], "location_id": "phx-01", "first_name": "Dana"}]}"#;

fn cstr(p: *const c_char) -> String {
    assert!(!p.is_null());
    // SAFETY: the library returns NUL-terminated strings that outlive this read.
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

/// Takes an error out of an out-parameter: (status, path, message), then frees it.
fn take_error(err: *mut rb_error) -> (rb_status, String, String) {
    assert!(!err.is_null(), "a failure fills in *err");
    // SAFETY: `err` is a live error from the library, freed once below.
    let out = unsafe {
        (
            rb_error_code(err),
            cstr(rb_error_path(err)),
            cstr(rb_error_message(err)),
        )
    };
    // SAFETY: as above.
    unsafe { rb_error_free(err) };
    out
}

/// Takes the text out of a filled string, then frees it (and checks the reset).
fn take_string(s: &mut rb_string) -> String {
    let text = cstr(s.ptr);
    assert_eq!(text.len(), s.len, "len is the text length without the NUL");
    // SAFETY: `s` was filled in by the library and not changed.
    unsafe { rb_string_free(s) };
    assert!(s.ptr.is_null() && s.len == 0, "free resets the string");
    text
}

fn engine() -> *mut rb_engine {
    let mut e = ptr::null_mut();
    let mut err = ptr::null_mut();
    // SAFETY: valid buffers and out-parameters.
    let st = unsafe { rb_engine_new(POLICY.as_ptr(), POLICY.len(), &mut e, &mut err) };
    assert_eq!(st, rb_status::RB_OK);
    assert!(err.is_null() && !e.is_null());
    e
}

#[test]
fn every_core_error_code_has_its_status_with_the_same_name() {
    let mut seen = Vec::new();
    for code in ErrorCode::ALL {
        let st = rb_status::from_code(code);
        assert_eq!(st.as_cstr().to_str(), Ok(code.as_str()));
        assert!(
            (1..100).contains(&(st as c_int)),
            "{code}: core codes are 1..=99"
        );
        assert!(
            !seen.contains(&st),
            "{code} maps onto a status already used"
        );
        seen.push(st);
    }
    // ... and every status is either a mirrored code or one of the boundary's own.
    let boundary = [
        rb_status::RB_OK,
        rb_status::RB_NULL_POINTER,
        rb_status::RB_INVALID_UTF8,
        rb_status::RB_PANIC,
    ];
    for st in rb_status::ALL {
        assert!(
            seen.contains(&st) || boundary.contains(&st),
            "{st:?} mirrors no core code"
        );
    }
    assert_eq!(rb_status::ALL.len(), ErrorCode::ALL.len() + boundary.len());
}

/// The committed header's `rb_status` enum: name -> value.
fn header_statuses() -> BTreeMap<String, i64> {
    let header = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../include/ringback.h"),
    )
    .unwrap_or_default();
    let body = header
        .split("typedef enum rb_status {")
        .nth(1)
        .and_then(|rest| rest.split("} rb_status;").next())
        .unwrap_or("");
    body.lines()
        .filter_map(|l| {
            let (name, value) = l.trim().trim_end_matches(',').split_once(" = ")?;
            Some((name.to_string(), value.parse().ok()?))
        })
        .collect()
}

#[test]
fn header_enum_matches_the_core_error_codes() {
    let header = header_statuses();
    let mut want: BTreeMap<String, i64> = rb_status::ALL
        .iter()
        .map(|s| {
            let name = s.as_cstr().to_string_lossy().to_ascii_uppercase();
            (format!("RB_{name}"), *s as i64)
        })
        .collect();
    assert_eq!(header, want, "include/ringback.h is stale: regenerate it");
    // Names derived from the core's own codes are all there.
    for code in ErrorCode::ALL {
        let name = format!("RB_{}", code.as_str().to_ascii_uppercase());
        assert!(want.remove(&name).is_some(), "{name} missing");
    }
}

#[test]
fn status_str_names_every_status_and_rejects_others() {
    for st in rb_status::ALL {
        assert_eq!(
            cstr(rb_status_str(st as c_int)),
            cstr(st.as_cstr().as_ptr())
        );
    }
    assert_eq!(cstr(rb_status_str(0)), "ok");
    assert_eq!(cstr(rb_status_str(5)), "unknown_location");
    assert_eq!(cstr(rb_status_str(102)), "panic");
    for bad in [-1, 10, 99, 103, c_int::MAX] {
        assert_eq!(cstr(rb_status_str(bad)), "unknown");
    }
}

#[test]
fn a_panic_comes_back_as_rb_panic() {
    let mut err = ptr::null_mut();
    // SAFETY: valid out-parameter.
    let st = unsafe { rb_selftest_panic(&mut err) };
    assert_eq!(st, rb_status::RB_PANIC);
    let (code, path, msg) = take_error(err);
    assert_eq!(code, rb_status::RB_PANIC);
    assert_eq!(path, "");
    assert!(msg.contains("deliberate panic"), "{msg}");
    // Without an error out-parameter the status alone comes back.
    // SAFETY: NULL `err` is allowed.
    assert_eq!(
        unsafe { rb_selftest_panic(ptr::null_mut()) },
        rb_status::RB_PANIC
    );
    // A formatted panic message is kept too.
    let mut err = ptr::null_mut();
    // SAFETY: valid out-parameter.
    let st = unsafe {
        guard::guard(&mut err, || -> Result<(), Failure> {
            panic!("index {} out of range", 7)
        })
    };
    assert_eq!(st, rb_status::RB_PANIC);
    assert!(take_error(err).2.contains("index 7 out of range"));
}

#[test]
fn process_gives_the_core_decision_byte_for_byte() {
    let e = engine();
    let mut out = rb_string::EMPTY;
    let mut err = ptr::null_mut();
    // SAFETY: live engine, valid buffers and out-parameters.
    let st = unsafe {
        rb_engine_process(
            e,
            EVENT.as_ptr(),
            EVENT.len(),
            CRM.as_ptr(),
            CRM.len(),
            &mut out,
            &mut err,
        )
    };
    assert_eq!(st, rb_status::RB_OK);
    assert!(err.is_null());
    let got = take_string(&mut out);
    let want = Engine::from_policy_text(POLICY)
        .and_then(|core| core.process_json(EVENT, CRM))
        .unwrap_or_default();
    assert!(got.contains("\"append_to_customer\""), "{got}");
    assert_eq!(got, want);

    // The same through an index.
    let mut index = ptr::null_mut();
    // SAFETY: as above.
    let st = unsafe { rb_crm_index_new(e, CRM.as_ptr(), CRM.len(), &mut index, &mut err) };
    assert_eq!(st, rb_status::RB_OK);
    // SAFETY: as above.
    let st = unsafe {
        rb_engine_process_indexed(e, index, EVENT.as_ptr(), EVENT.len(), &mut out, &mut err)
    };
    assert_eq!(st, rb_status::RB_OK);
    assert_eq!(take_string(&mut out), want);
    // SAFETY: freed once each; the second string free is a no-op on the reset struct.
    unsafe {
        rb_crm_index_free(index);
        rb_engine_free(e);
        rb_string_free(&mut out);
        rb_string_free(ptr::null_mut());
    }
}

/// Checks a `RB_NULL_POINTER` failure whose message names `arg`.
fn expect_null(st: rb_status, err: *mut rb_error, arg: &str) {
    assert_eq!(st, rb_status::RB_NULL_POINTER, "{arg}");
    let (code, path, msg) = take_error(err);
    assert_eq!((code, path.as_str()), (rb_status::RB_NULL_POINTER, ""));
    assert!(msg.contains(&format!("`{arg}`")), "{msg}");
}

#[test]
fn null_pointers_are_reported_with_the_argument_name() {
    let e = engine();
    let mut out = rb_string::EMPTY;
    let mut err = ptr::null_mut();
    let (ev, n) = (EVENT.as_ptr(), EVENT.len());
    let null = ptr::null::<u8>();
    // SAFETY (all calls below): NULL is what is being tested; everything else is valid.
    let st = unsafe { rb_engine_process(ptr::null(), ev, n, null, 0, &mut out, &mut err) };
    expect_null(st, err, "engine");
    let st = unsafe { rb_engine_process(e, null, 0, null, 0, &mut out, &mut err) };
    expect_null(st, err, "event");
    let st = unsafe { rb_engine_process(e, ev, n, null, 3, &mut out, &mut err) };
    expect_null(st, err, "crm");
    let st = unsafe { rb_engine_process(e, ev, n, null, 0, ptr::null_mut(), &mut err) };
    expect_null(st, err, "out");
    let st = unsafe { rb_engine_new(null, 0, ptr::null_mut(), &mut err) };
    expect_null(st, err, "out");
    let mut engine_out = ptr::null_mut();
    let st = unsafe { rb_engine_new(null, 0, &mut engine_out, &mut err) };
    expect_null(st, err, "policy");
    let st = unsafe { rb_crm_index_new(ptr::null(), null, 0, ptr::null_mut(), &mut err) };
    expect_null(st, err, "out");
    let st = unsafe { rb_engine_process_indexed(e, ptr::null(), ev, n, &mut out, &mut err) };
    expect_null(st, err, "index");
    let st = unsafe { rb_ingest(null, 0, ev, n, null, 0, &mut out, &mut err) };
    expect_null(st, err, "vendor");
    let st = unsafe { rb_engine_record_outcome(e, ev, n, null, 0, null, 0, &mut out, &mut err) };
    expect_null(st, err, "outcome");
    let st = unsafe { rb_engine_tick(e, ev, n, null, 0, &mut out, &mut err) };
    expect_null(st, err, "now");
    let st = unsafe { rb_default_policy_json(ptr::null_mut(), &mut err) };
    expect_null(st, err, "out");
    assert!(out.ptr.is_null() && out.len == 0);
    // Error accessors and frees are NULL-safe.
    // SAFETY: NULL is allowed everywhere below; `e` is freed once.
    unsafe {
        assert_eq!(rb_error_code(ptr::null()), rb_status::RB_NULL_POINTER);
        assert_eq!(cstr(rb_error_message(ptr::null())), "");
        assert_eq!(cstr(rb_error_path(ptr::null())), "");
        rb_error_free(ptr::null_mut());
        rb_engine_free(ptr::null_mut());
        rb_crm_index_free(ptr::null_mut());
        rb_engine_free(e);
    }
}

#[test]
fn invalid_utf8_and_impossible_lengths_are_rejected() {
    let e = engine();
    let mut out = rb_string::EMPTY;
    let mut err = ptr::null_mut();
    let bad = b"{\"event_id\": \"\xff\xfe\"}";
    // SAFETY: valid buffers and out-parameters.
    let st = unsafe {
        rb_engine_process(
            e,
            bad.as_ptr(),
            bad.len(),
            ptr::null(),
            0,
            &mut out,
            &mut err,
        )
    };
    assert_eq!(st, rb_status::RB_INVALID_UTF8);
    assert!(out.ptr.is_null());
    let (_, _, msg) = take_error(err);
    assert!(
        msg.contains("`event`") && msg.contains("offset 14"),
        "{msg}"
    );

    let huge = usize::MAX;
    // SAFETY: the length check fails before the pointer is read.
    let st =
        unsafe { rb_engine_process(e, EVENT.as_ptr(), huge, ptr::null(), 0, &mut out, &mut err) };
    assert_eq!(st, rb_status::RB_NULL_POINTER);
    assert!(take_error(err).2.contains("more than any buffer"));
    // SAFETY: freed once.
    unsafe { rb_engine_free(e) };
}

#[test]
fn core_errors_keep_code_and_path() {
    let e = engine();
    let mut out = rb_string::EMPTY;
    let mut err = ptr::null_mut();
    let ev = EVENT.replace("phx-01", "nowhere");
    // SAFETY: valid buffers and out-parameters.
    let st =
        unsafe { rb_engine_process(e, ev.as_ptr(), ev.len(), ptr::null(), 0, &mut out, &mut err) };
    assert_eq!(st, rb_status::RB_UNKNOWN_LOCATION);
    let (code, path, msg) = take_error(err);
    assert_eq!(
        (code, path.as_str()),
        (rb_status::RB_UNKNOWN_LOCATION, "location_id")
    );
    assert!(msg.contains("nowhere"), "{msg}");

    let now = "yesterday";
    let followup = r#"{"id": "f1", "created_at": "2026-11-24T09:20:00-07:00",
        "location_id": "phx-01", "due_at": "2026-11-24T10:00:00-07:00"}"#;
    // SAFETY: as above.
    let st = unsafe {
        rb_engine_tick(
            e,
            followup.as_ptr(),
            followup.len(),
            now.as_ptr(),
            now.len(),
            &mut out,
            &mut err,
        )
    };
    assert_eq!(st, rb_status::RB_INVALID_TIMESTAMP);
    assert_eq!(take_error(err).1, "now");
    // SAFETY: freed once.
    unsafe { rb_engine_free(e) };
}

#[test]
fn messages_with_nul_bytes_are_escaped() {
    let e = rb_error::new(rb_status::RB_INVALID_EVENT, "a\0b", "unknown field `x\0y`");
    assert_eq!(e.path.to_str(), Ok("a\\u0000b"));
    assert_eq!(e.message.to_str(), Ok("unknown field `x\\u0000y`"));
}

#[test]
fn version_and_default_policy() {
    assert_eq!(cstr(rb_version()), ringback_core::ENGINE_VERSION);
    let mut out = rb_string::EMPTY;
    // SAFETY: valid out-parameter; NULL `err` is allowed.
    let st = unsafe { rb_default_policy_json(&mut out, ptr::null_mut()) };
    assert_eq!(st, rb_status::RB_OK);
    assert_eq!(take_string(&mut out), ringback_core::default_policy_json());
}
