//! Helpers shared by integration tests (`mod common;`).

/// A file of the demo week (`demo/<name>`), as text.
pub fn demo(name: &str) -> String {
    std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../demo")
            .join(name),
    )
    .expect("demo file")
}
