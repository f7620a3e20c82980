//! The JSON Schemas in `schema/` are generated from the Rust types; this test fails when
//! they drift. Regenerate with `cargo run -p ringback-cli -- schema --out schema`.

use std::path::Path;

#[test]
fn committed_schemas_match_the_types() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema");
    let mut stale = Vec::new();
    for (name, text) in ringback::schema::all() {
        let committed = std::fs::read_to_string(dir.join(name)).unwrap_or_default();
        if committed != text {
            stale.push(name);
        }
    }
    assert!(
        stale.is_empty(),
        "schema files out of date: {stale:?}; run `cargo run -p ringback-cli -- schema --out schema`"
    );
}

#[test]
fn schemas_reject_unknown_fields_and_name_required_ones() {
    let all = ringback::schema::all();
    let event = &all[0].1;
    let v: serde_json::Value = serde_json::from_str(event).expect("schema is JSON");
    assert_eq!(v["additionalProperties"], serde_json::Value::Bool(false));
    let required: Vec<&str> = v["required"]
        .as_array()
        .expect("required list")
        .iter()
        .filter_map(|x| x.as_str())
        .collect();
    for f in ["event_id", "location_id", "occurred_at", "disposition"] {
        assert!(required.contains(&f), "{f} not required in {required:?}");
    }
}
