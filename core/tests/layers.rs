//! The core is built in layers (drawn in the module doc of `core/src/lib.rs`): a module
//! imports only modules of its own layer or below, and no two modules import each other,
//! directly or through others. This test reads `core/src`, finds every `crate::…`,
//! `super::…` and `self::…` path outside `#[cfg(test)]` modules, and checks both rules.
//! Every module must be placed in [`LAYERS`], so a new module cannot skip the check.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Layers from the bottom up: (layer, module path prefixes). The longest prefix wins.
const LAYERS: &[(u8, &[&str])] = &[
    (0, &["error", "hash"]),
    (1, &["model"]),
    (2, &["nanp", "phone", "name", "sms", "trace", "calendar"]),
    (
        3,
        &[
            "intent",
            "learning",
            "templates",
            "compliance::holidays",
            "compliance::calling_hours",
            "compliance::opt_out",
            "compliance::frequency",
            "compliance::consent",
            "compliance::vertical",
            "compliance::suppression",
            "compliance::quiet_hours",
        ],
    ),
    (4, &["compile"]),
    (5, &["crm_index", "compliance"]),
    (6, &["stages"]),
    (7, &["attribution", "engine"]),
    (8, &["report", "report_text", "replay", "partition"]),
    (9, &["ingest", "crm", "schema"]),
    (10, &["messaging"]),
];

fn layer_of(module: &str) -> Option<u8> {
    let mut best: Option<(usize, u8)> = None;
    for (layer, prefixes) in LAYERS {
        for p in *prefixes {
            let hit = module == *p || module.starts_with(&format!("{p}::"));
            if hit && best.is_none_or(|(len, _)| p.len() > len) {
                best = Some((p.len(), *layer));
            }
        }
    }
    best.map(|(_, l)| l)
}

fn rs_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("core/src is readable")
        .map(|e| e.expect("dir entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rs_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// `ingest/fields.rs` → `ingest::fields`; `ingest/mod.rs` → `ingest`; `lib.rs` → ``.
fn module_name(src: &Path, file: &Path) -> String {
    let rel = file
        .strip_prefix(src)
        .expect("under src")
        .with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts.join("::")
}

/// The text without comments and without the `#[cfg(test)]` module at the end.
fn code_of(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let code = match line.find("//") {
            // `//` inside a string literal is rare in this crate's import lines; a URL in a
            // string is cut too, which only drops text that holds no paths.
            Some(i) => &line[..i],
            None => line,
        };
        out.push_str(code);
        out.push('\n');
    }
    match out.find("#[cfg(test)]") {
        Some(i) => out[..i].to_string(),
        None => out,
    }
}

/// Every `word(::word)*` path that starts at `start` in `code`.
fn paths_after(code: &str, start: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = code[from..].find(start) {
        let at = from + i;
        from = at + start.len();
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let rest = &code[from..];
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
            .unwrap_or(rest.len());
        out.push(rest[..end].trim_end_matches(':').to_string());
        // Grouped imports: `crate::{a::X, b::{Y}}` and `crate::a::{b, c}`.
        if rest[end..].starts_with('{') {
            let prefix = rest[..end].trim_end_matches(':');
            if let Some(body) = braced(&rest[end..]) {
                expand_group(prefix, body, &mut out);
            }
        }
    }
    out
}

/// The text inside the braces that `text` starts with (nesting respected).
fn braced(text: &str) -> Option<&str> {
    let mut depth = 0usize;
    for (k, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(&text[1..k]);
                }
            }
            _ => {}
        }
    }
    None
}

/// The paths of a `use` group body (`a::X, b::{Y, z::W}`), each prefixed with `prefix`.
fn expand_group(prefix: &str, body: &str, out: &mut Vec<String>) {
    let join = |p: &str| {
        if prefix.is_empty() {
            p.to_string()
        } else {
            format!("{prefix}::{p}")
        }
    };
    let mut depth = 0usize;
    let mut start = 0;
    let mut items = Vec::new();
    for (k, c) in body.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                items.push(&body[start..k]);
                start = k + 1;
            }
            _ => {}
        }
    }
    items.push(&body[start..]);
    for item in items {
        let item = item.trim();
        if let Some(i) = item.find('{') {
            let head = item[..i].trim_end_matches(':');
            if let Some(inner) = braced(&item[i..]) {
                expand_group(&join(head), inner, out);
            }
        } else if item.starts_with(|c: char| c.is_ascii_lowercase()) {
            out.push(join(item.split_whitespace().next().unwrap_or("")));
        }
    }
}

/// The module of `modules` that `path` (relative to `root`) names, longest first.
fn resolve(path: &str, root: &str, modules: &BTreeSet<String>) -> Option<String> {
    let mut parts: Vec<&str> = path.split("::").filter(|p| !p.is_empty()).collect();
    while !parts.is_empty() {
        let cand = if root.is_empty() {
            parts.join("::")
        } else {
            format!("{root}::{}", parts.join("::"))
        };
        if modules.contains(&cand) {
            return Some(cand);
        }
        parts.pop();
    }
    None
}

fn import_graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    rs_files(src, &mut files);
    let modules: BTreeSet<String> = files.iter().map(|f| module_name(src, f)).collect();
    let mut graph = BTreeMap::new();
    for f in &files {
        let m = module_name(src, f);
        let code = code_of(&std::fs::read_to_string(f).expect("readable source"));
        let parent = m
            .rsplit_once("::")
            .map(|(p, _)| p)
            .unwrap_or("")
            .to_string();
        let mut targets = BTreeSet::new();
        for p in paths_after(&code, "crate::") {
            targets.extend(resolve(&p, "", &modules));
        }
        for p in paths_after(&code, "super::") {
            targets.extend(resolve(&p, &parent, &modules));
        }
        for p in paths_after(&code, "self::") {
            targets.extend(resolve(&p, &m, &modules));
        }
        // A module may name its own submodules (it declares them).
        targets.retain(|t: &String| {
            !t.is_empty() && *t != m && !(m.is_empty() || t.starts_with(&format!("{m}::")))
        });
        graph.insert(m, targets);
    }
    graph.remove("");
    graph
}

/// One import circle, if there is any (depth-first search for a back edge).
fn find_circle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        v: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(v.to_string(), 1);
        stack.push(v.to_string());
        for w in graph.get(v).into_iter().flatten() {
            match state.get(w.as_str()).copied().unwrap_or(0) {
                0 => {
                    if let Some(c) = visit(w, graph, state, stack) {
                        return Some(c);
                    }
                }
                1 => {
                    let i = stack.iter().position(|s| s == w).unwrap_or(0);
                    let mut c = stack[i..].to_vec();
                    c.push(w.clone());
                    return Some(c);
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(v.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for v in graph.keys() {
        if state.get(v.as_str()).copied().unwrap_or(0) == 0 {
            if let Some(c) = visit(v, graph, &mut state, &mut Vec::new()) {
                return Some(c);
            }
        }
    }
    None
}

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn every_module_has_a_layer() {
    let graph = import_graph(&src_dir());
    let missing: Vec<&String> = graph.keys().filter(|m| layer_of(m).is_none()).collect();
    assert!(
        missing.is_empty(),
        "place these modules in LAYERS: {missing:?}"
    );
    assert!(graph.len() > 60, "the source walk found the modules");
}

#[test]
fn imports_go_down_never_up() {
    let graph = import_graph(&src_dir());
    let mut upward = Vec::new();
    for (m, targets) in &graph {
        let lm = layer_of(m).unwrap_or(u8::MAX);
        for t in targets {
            let lt = layer_of(t).unwrap_or(u8::MAX);
            if lt > lm {
                upward.push(format!("{m} (layer {lm}) -> {t} (layer {lt})"));
            }
        }
    }
    assert!(
        upward.is_empty(),
        "imports reach up a layer:\n{}",
        upward.join("\n")
    );
}

#[test]
fn the_model_imports_only_itself_and_the_foundation() {
    let graph = import_graph(&src_dir());
    for (m, targets) in graph.iter().filter(|(m, _)| m.starts_with("model")) {
        for t in targets {
            assert!(
                t.starts_with("model") || t == "error" || t == "hash",
                "{m} imports {t}: the model is the ground floor"
            );
        }
    }
}

#[test]
fn no_import_circle() {
    let graph = import_graph(&src_dir());
    assert!(graph.contains_key("ingest::fields") && graph.contains_key("model::policy"));
    assert_eq!(find_circle(&graph), None);
}

#[test]
fn the_checker_sees_circles_and_grouped_imports() {
    // The checker itself can fail: a planted two-step circle is found ...
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    g.insert("a".into(), ["b".to_string()].into());
    g.insert("b".into(), ["c".to_string()].into());
    g.insert("c".into(), ["a".to_string()].into());
    let c = find_circle(&g).expect("a circle");
    assert_eq!(c.first(), c.last());
    assert_eq!(c.len(), 4);
    // ... and grouped, nested and relative imports are read.
    let code =
        "use crate::{model::policy::X, stages::{audit, sla::Y}};\nuse super::options::{A, B};";
    let crate_paths = paths_after(code, "crate::");
    let modules: BTreeSet<String> = [
        "model::policy",
        "stages::audit",
        "stages::sla",
        "ingest::options",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let resolved: BTreeSet<String> = crate_paths
        .iter()
        .filter_map(|p| resolve(p, "", &modules))
        .collect();
    assert!(resolved.contains("model::policy"), "{resolved:?}");
    assert!(resolved.contains("stages::audit"), "{resolved:?}");
    assert!(resolved.contains("stages::sla"), "{resolved:?}");
    let rel: Vec<String> = paths_after(code, "super::")
        .iter()
        .filter_map(|p| resolve(p, "ingest", &modules))
        .collect();
    assert_eq!(rel, vec!["ingest::options".to_string()]);
    assert_eq!(layer_of("compliance::gate"), Some(5));
    assert_eq!(layer_of("compliance::opt_out"), Some(3));
    assert_eq!(layer_of("model::vocab"), Some(1));
}
