//! `incident-map ingest`: articles in, incident store out, through the workspace's one ingest.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::{Failure, say, say_first};
use crate::workspace::ingest::{self, Step};

/// How many unresolved incidents the summary lists by name; the rest are counted.
const LISTED_UNRESOLVED: usize = 20;

/// Loads the articles under `paths`, extracts their incidents and writes the store to
/// `output` atomically. Per-file problems are reported and skipped; the command fails only
/// when no article loads or the store cannot be written.
pub fn run(paths: &[PathBuf], output: &Path) -> Result<(), Failure> {
    let inputs: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
    // Found out now, not after the work: an output that cannot or must not be written.
    crate::atomic::check_destination(output, &inputs)?;
    let started = Instant::now();
    let mut progress = Progress::new();
    let ingested = ingest::ingest(paths, &mut |step| {
        if let Step::Extracting { done, total } = step {
            progress.update(done, total);
        }
    })?;
    progress.finish();
    say_first(
        ingested
            .skipped
            .iter()
            .map(|p| format!("incident-map: skipped {p}")),
        LISTED_UNRESOLVED,
        |n| {
            format!(
                "incident-map: … and {} more files skipped",
                crate::files::thousands(n)
            )
        },
    )?;
    let extraction = ingested.extraction;
    extraction.store.save(output).map_err(|e| e.to_string())?;

    let stats = extraction.stats;
    say(format_args!(
        "ingest: {} ({} skipped), {} ({} merged), {} unresolved; \
         {} and {} left out; wrote {} in {:.1} s",
        counted(stats.articles, "article"),
        ingested.skipped.len(),
        counted(stats.incidents, "incident"),
        counted(stats.merged_reports, "duplicate report"),
        counted(stats.unresolved, "place"),
        counted(stats.aggregates, "aggregate mention"),
        counted(stats.background + stats.historic, "background mention"),
        output.display(),
        started.elapsed().as_secs_f64()
    ))?;
    say_first(
        extraction.unresolved.iter().map(|item| {
            format!(
                "  place unresolved: {} chars {}..{}: {} ({})",
                item.article, item.start, item.end, item.sub_event_type, item.reason
            )
        }),
        LISTED_UNRESOLVED,
        |n| format!("  … and {n} more"),
    )
}

/// "1 article", "5 articles".
fn counted(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

/// A progress line on stderr for long runs: redrawn in place on a terminal, a line every
/// few seconds otherwise.
struct Progress {
    started: Instant,
    last: Option<Instant>,
    terminal: bool,
}

impl Progress {
    fn new() -> Self {
        Self {
            started: Instant::now(),
            last: None,
            terminal: std::io::stderr().is_terminal(),
        }
    }

    fn update(&mut self, done: usize, total: usize) {
        let every = if self.terminal {
            Duration::from_millis(200)
        } else {
            Duration::from_secs(5)
        };
        let now = Instant::now();
        let due = match self.last {
            None => now.duration_since(self.started) >= Duration::from_secs(1),
            Some(last) => now.duration_since(last) >= every,
        };
        if !due || done >= total {
            return;
        }
        self.last = Some(now);
        let rate = done as f64 / now.duration_since(self.started).as_secs_f64().max(1e-3);
        let line = format!("extracting: {done}/{total} articles ({rate:.0}/s)");
        // Progress is a courtesy: a closed standard error must not stop the work.
        let mut stderr = std::io::stderr().lock();
        let _ = if self.terminal {
            write!(stderr, "\r{line}")
        } else {
            writeln!(stderr, "{line}")
        };
    }

    fn finish(&self) {
        if self.terminal && self.last.is_some() {
            let _ = writeln!(std::io::stderr());
        }
    }
}
