//! The indexing progress bar (stderr, terminals only) and problem messages.

use crate::index::Progress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};

/// Draws an indicatif bar on a terminal; on a pipe it draws nothing and problems are
/// still printed, one line each, to stderr.
pub struct BarProgress {
    bar: ProgressBar,
    articles: AtomicU64,
}

impl BarProgress {
    pub fn new() -> Self {
        let target = if std::io::stderr().is_terminal() {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        let bar = ProgressBar::with_draw_target(None, target);
        // Reading starts while folders are still being walked; until the total is known
        // the bar shows what was read so far.
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {binary_bytes} ({binary_bytes_per_sec}) {msg}",
            )
            .expect("valid template"),
        );
        BarProgress {
            bar,
            articles: AtomicU64::new(0),
        }
    }
}

impl Default for BarProgress {
    fn default() -> Self {
        Self::new()
    }
}

impl Progress for BarProgress {
    fn start(&self, files: usize, bytes: u64) {
        self.bar.set_length(bytes);
        self.bar.set_style(
            ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {wide_bar} {binary_bytes}/{binary_total_bytes} ({binary_bytes_per_sec}, ETA {eta}) {msg}",
            )
            .expect("valid template"),
        );
        self.bar.set_message(format!("0 articles, {files} files"));
    }

    fn advance(&self, bytes: u64, articles: u64) {
        let n = self.articles.fetch_add(articles, Ordering::Relaxed) + articles;
        self.bar.inc(bytes);
        self.bar.set_message(format!("{n} articles"));
    }

    fn problem(&self, message: &str, is_warning: bool) {
        let label = if is_warning { "warning" } else { "skipped" };
        self.bar
            .suspend(|| eprintln!("newsdex: {label}: {message}"));
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
