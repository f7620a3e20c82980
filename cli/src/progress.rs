//! A progress bar for long replays: drawn on stderr only when stderr is a terminal and the
//! input is long, so piped and scripted runs stay quiet.

use std::io::{IsTerminal, Write};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Inputs shorter than this finish before a bar would be readable.
const MIN_LINES: u64 = 2_000;

/// An optional progress bar.
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    /// A bar over `total` lines, or none when stderr is not a terminal or the input is short.
    pub fn new(total: u64, label: &str) -> Self {
        let show = std::io::stderr().is_terminal()
            && total >= MIN_LINES
            && std::env::var_os("RINGBACK_NO_PROGRESS").is_none();
        let bar = show.then(|| {
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
            let style =
                ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} lines · eta {eta}")
                    .map(|s| s.progress_chars("=> "))
                    .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar.set_message(label.to_string());
            bar
        });
        Progress { bar }
    }

    /// Moves the bar to line `pos`.
    pub fn set(&self, pos: u64) {
        if let Some(b) = &self.bar {
            b.set_position(pos);
        }
    }

    /// Clears the bar.
    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }

    /// Wraps `out` so that writes to a terminal do not tear the bar.
    pub fn writer<'a>(&'a self, out: &'a mut dyn Write) -> SuspendWriter<'a> {
        SuspendWriter {
            bar: self.bar.as_ref(),
            inner: out,
        }
    }
}

/// A writer that hides the progress bar while it writes.
pub struct SuspendWriter<'a> {
    bar: Option<&'a ProgressBar>,
    inner: &'a mut dyn Write,
}

impl Write for SuspendWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self.bar {
            Some(b) => b.suspend(|| self.inner.write(buf)),
            None => self.inner.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}
