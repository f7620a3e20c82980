//! Reading the files a command is given: a path, or `-` for standard input (once per run:
//! a second `-` is refused rather than read as empty).

use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};

static STDIN_TAKEN: AtomicBool = AtomicBool::new(false);

/// The bytes of `path`, or of standard input for `-`.
pub fn read_bytes(path: &str) -> Result<Vec<u8>, String> {
    if path == "-" {
        if STDIN_TAKEN.swap(true, Ordering::SeqCst) {
            return Err("standard input (-) can be given for one file only".to_string());
        }
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        Ok(buf)
    } else {
        std::fs::read(path).map_err(|e| format!("cannot read {path}: {e}"))
    }
}

/// The UTF-8 text of `path`, or of standard input for `-`.
pub fn read(path: &str) -> Result<String, String> {
    let shown = if path == "-" { "standard input" } else { path };
    String::from_utf8(read_bytes(path)?).map_err(|_| format!("{shown}: not UTF-8 text"))
}

/// Refuses `-` for more than one of a command's files before anything is read.
pub fn one_stdin<'a>(paths: impl IntoIterator<Item = Option<&'a str>>) -> Result<(), String> {
    if paths.into_iter().flatten().filter(|p| *p == "-").count() > 1 {
        return Err("standard input (-) can be given for one file only".to_string());
    }
    Ok(())
}
