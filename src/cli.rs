//! The command line. With no subcommand the viewer opens on the bundled data; every
//! subcommand is one variant here and one function in the module that does the work.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::view::basemap::TileChoice;

#[derive(Debug, Parser)]
#[command(
    name = "incident-map",
    version,
    about = "Offline map viewer for security incidents reported in the news",
    long_about = "incident-map reads news articles, finds the incidents in them (what happened, \
                  where, when, who, how many killed), geocodes them offline and shows them on a \
                  map. Run without a subcommand to open the viewer on the bundled data."
)]
pub struct Cli {
    #[command(flatten)]
    pub viewer: ViewerOptions,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Options of the viewer, given before any subcommand or after `view`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct ViewerOptions {
    /// Map tiles: builtin (the offline basemap, default), osm, opentopomap, or a .pmtiles file.
    #[arg(long, value_parser = TileChoice::parse, value_name = "SOURCE")]
    pub tiles: Option<TileChoice>,

    /// Start as on a first run: ignore the view, filters and theme remembered from earlier runs.
    #[arg(long)]
    pub fresh: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the viewer on incident stores (.json), ACLED-format CSVs, GeoJSON files or folders
    /// of articles.
    View {
        /// Stores, ACLED or incident-map CSVs, GeoJSON files or article folders; none opens the
        /// bundled data.
        paths: Vec<PathBuf>,
        #[command(flatten)]
        options: ViewerOptions,
    },
    /// Find the incidents in articles and write them to an incident store (JSON).
    Ingest {
        /// Article files or folders of articles (read recursively).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// The store to write; replaced atomically.
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
    },
    /// Find the place names in a text file and print them, resolved, as JSON.
    Geoparse {
        /// A UTF-8 text file.
        file: PathBuf,
    },
    /// Write the incidents that pass the filters as GeoJSON, ACLED-format CSV or plain CSV.
    Export(crate::exchange::cli::ExportArgs),
    /// Draw a briefing image: the map as a slide-ready PNG with title, legend, scale bar,
    /// north arrow and a numbered key of the incidents shown. Needs no display.
    Render(crate::briefing::cli::RenderArgs),
    /// Measure the program: map frames over synthetic incidents, or ingest speed; prints one
    /// JSON line.
    Bench {
        #[command(subcommand)]
        target: BenchTarget,
    },
    /// Score a stage of the pipeline on an annotated corpus.
    Eval {
        #[command(subcommand)]
        target: EvalTarget,
    },
}

/// What `eval` scores.
#[derive(Debug, Subcommand)]
pub enum EvalTarget {
    /// Place-name recognition and resolution on a GeoWebNews or LGL-format XML corpus; the
    /// last line printed is one JSON object with ours and the baseline's scores.
    Geoparse(crate::geoparse::cli::EvalArgs),
    /// Incidents found in a folder of articles against hand-coded ones (JSON list); the last
    /// line printed is one JSON object of scores.
    Incidents {
        /// A folder of articles (with its manifest.toml).
        dir: PathBuf,
        /// The gold incidents.
        #[arg(long, value_name = "FILE")]
        gold: PathBuf,
        /// Also list misses, spurious incidents and disagreements.
        #[arg(short, long)]
        verbose: bool,
    },
    /// The place found for each event word of the event-location sentences
    /// (labeled_text.jsonl.zip) against the labelled one; the last line is JSON.
    EventLocation {
        /// The zip archive of labelled sentences.
        archive: PathBuf,
        /// Score every record, not only the gold-standard relabels.
        #[arg(long)]
        all: bool,
        /// Also list the records scored wrong.
        #[arg(short, long)]
        verbose: bool,
    },
}

/// What `bench` measures.
#[derive(Debug, Subcommand)]
pub enum BenchTarget {
    /// The map view, headless, over N synthetic incidents through a scripted tour of pans and
    /// zooms: median and 99th-percentile CPU time of a frame (layout and tessellation) and
    /// peak memory.
    Frames(crate::bench::frames::FramesArgs),
    /// Extraction over generated articles: articles and megabytes per second on one thread.
    Ingest(crate::bench::ingest::IngestArgs),
}

/// Runs the command line; returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    let top = cli.viewer.clone();
    let viewer = |paths: Vec<PathBuf>, options: &ViewerOptions| {
        crate::app::run_viewer(crate::app::Startup {
            paths,
            tiles: options.tiles.clone().or(top.tiles.clone()),
            fresh: options.fresh || top.fresh,
        })
    };
    match cli.command {
        None => viewer(Vec::new(), &ViewerOptions::default()),
        Some(Command::View {
            ref paths,
            ref options,
        }) => viewer(paths.clone(), options),
        Some(Command::Ingest {
            ref paths,
            ref output,
        }) => crate::extract::cli::run_ingest(paths, output),
        Some(Command::Geoparse { ref file }) => crate::geoparse::cli::run_geoparse(file),
        Some(Command::Export(ref args)) => crate::exchange::cli::run_export(args),
        Some(Command::Render(ref args)) => {
            crate::briefing::cli::run_render(args, args.tiles.clone().or(top.tiles.clone()))
        }
        Some(Command::Eval {
            target: EvalTarget::Geoparse(ref args),
        }) => crate::geoparse::cli::run_eval(args),
        Some(Command::Eval {
            target:
                EvalTarget::Incidents {
                    ref dir,
                    ref gold,
                    verbose,
                },
        }) => match crate::extract::eval::eval_incidents(dir, gold) {
            Ok(report) => {
                if verbose {
                    report.lines.iter().for_each(|line| println!("{line}"));
                }
                print_json(&report)
            }
            Err(error) => fail(error),
        },
        Some(Command::Eval {
            target:
                EvalTarget::EventLocation {
                    ref archive,
                    all,
                    verbose,
                },
        }) => match crate::extract::eval::event_location::eval_event_location(archive, all) {
            Ok(report) => {
                if verbose {
                    report.lines.iter().for_each(|line| println!("{line}"));
                }
                print_json(&report)
            }
            Err(error) => fail(error),
        },
        Some(Command::Bench {
            target: BenchTarget::Frames(ref args),
        }) => crate::bench::frames::run(args),
        Some(Command::Bench {
            target: BenchTarget::Ingest(ref args),
        }) => crate::bench::ingest::run(args),
    }
}

/// Prints a report as the one JSON line an `eval` ends with.
fn print_json(report: &impl serde::Serialize) -> ExitCode {
    match serde_json::to_string(report) {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(error) => fail(error),
    }
}

/// Prints an error the way every subcommand does and returns a failing exit code.
pub fn fail(error: impl std::fmt::Display) -> ExitCode {
    eprintln!("incident-map: {error}");
    ExitCode::FAILURE
}
