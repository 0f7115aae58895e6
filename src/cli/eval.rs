//! `incident-map eval incidents` and `eval event-location`: extraction scored against
//! hand-coded incidents and against the event-location sentences. The articles are ingested
//! the one way the workspace ingests; the scoring is extraction's own.

use std::path::PathBuf;

use super::{Failure, out};
use crate::extract::eval::{event_location, read_gold, score_store};
use crate::workspace::ingest;

#[derive(Debug, Clone, clap::Args)]
pub struct IncidentsArgs {
    /// A folder of articles (with its manifest.toml).
    pub dir: PathBuf,
    /// The gold incidents.
    #[arg(long, value_name = "FILE")]
    pub gold: PathBuf,
    /// Also list misses, spurious incidents and disagreements.
    #[arg(short, long)]
    pub verbose: bool,
}

#[derive(Debug, Clone, clap::Args)]
pub struct EventLocationArgs {
    /// The zip archive of labelled sentences.
    pub archive: PathBuf,
    /// Score every record, not only the gold-standard relabels.
    #[arg(long)]
    pub all: bool,
    /// Also list the records scored wrong.
    #[arg(short, long)]
    pub verbose: bool,
}

/// Runs `eval incidents`: the last line is one JSON object of scores.
pub fn run_incidents(args: &IncidentsArgs) -> Result<(), Failure> {
    let gold = read_gold(&args.gold).map_err(|e| e.to_string())?;
    let ingested = ingest::ingest(std::slice::from_ref(&args.dir), &mut |_| {})?;
    let mut report = score_store(&ingested.extraction.store, &gold);
    for skipped in ingested.skipped.iter().rev() {
        report.lines.insert(0, format!("skipped   {skipped}"));
    }
    if args.verbose {
        for line in &report.lines {
            out(line)?;
        }
    }
    out(json(&report)?)
}

/// Runs `eval event-location`: the last line is one JSON object of scores.
pub fn run_event_location(args: &EventLocationArgs) -> Result<(), Failure> {
    let places = ingest::bundled_places()?;
    let report = event_location::eval_event_location(&args.archive, args.all, &places)
        .map_err(|e| e.to_string())?;
    if args.verbose {
        for line in &report.lines {
            out(line)?;
        }
    }
    out(json(&report)?)
}

fn json(report: &impl serde::Serialize) -> Result<String, String> {
    serde_json::to_string(report).map_err(|e| format!("cannot write JSON: {e}"))
}
