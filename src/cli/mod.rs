//! The command line. With no subcommand the viewer opens on the bundled data; every
//! subcommand is one variant here and one runner in a module beside this one. Runners return
//! a `Result`: only [`run`] prints the error and chooses the exit code.

pub mod eval;
pub mod export;
pub mod geoparse;
pub mod ingest;
pub mod render;
pub mod workspace;

use std::fmt::Display;
use std::io::Write;
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

    /// A server workspace with more incidents than this is not loaded: the map reads the
    /// window it shows from the server (default 500000).
    #[arg(long, value_name = "N")]
    pub window_above: Option<usize>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the viewer on a workspace (.gpkg), incident stores (.json), ACLED-format CSVs,
    /// GeoJSON files or folders of articles.
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
    Export(export::ExportArgs),
    /// Draw a briefing image: the map as a slide-ready PNG with title, legend, scale bar,
    /// north arrow and a numbered key of the incidents shown. Needs no display.
    Render(render::RenderArgs),
    /// The analyst's desk: create a workspace file, add articles and incident files, correct,
    /// reject and review incidents, re-ingest keeping every correction. Prints JSON lines.
    Workspace {
        #[command(subcommand)]
        command: workspace::WorkspaceCommand,
    },
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
    Geoparse(geoparse::EvalArgs),
    /// Incidents found in a folder of articles against hand-coded ones (a JSON list); the last
    /// line printed is one JSON object of scores.
    Incidents(eval::IncidentsArgs),
    /// The place found for each event word of the event-location sentences
    /// (labeled_text.jsonl.zip) against the labelled one; the last line is JSON.
    EventLocation(eval::EventLocationArgs),
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
    /// A team workspace at scale: N synthetic incidents loaded by COPY into an empty
    /// PostgreSQL + PostGIS database, then the map's window queries timed (incidents, or
    /// cells the database aggregates).
    Server(crate::bench::server::ServerArgs),
    /// Briefing images (1920×1080) of the bundled incidents and of N synthetic ones, in one
    /// run: seconds to render each, its style, and peak memory.
    Briefing(crate::bench::briefing::BriefingArgs),
}

/// Why a command stopped.
#[derive(Debug)]
pub enum Failure {
    /// What went wrong, for the user.
    Message(String),
    /// Standard output or error was closed or full (`| head`, `>/dev/full`): nothing more can
    /// be said, so the command ends quietly.
    OutputClosed,
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Self::Message(message)
    }
}

/// Writes a line of the command's result to standard output.
pub(crate) fn out(text: impl Display) -> Result<(), Failure> {
    writeln!(std::io::stdout().lock(), "{text}").map_err(|_| Failure::OutputClosed)
}

/// Writes a line about the command's progress or problems to standard error.
pub(crate) fn say(text: impl Display) -> Result<(), Failure> {
    // Names and cells from files may hold terminal escape sequences: never passed on.
    let text = crate::files::escape_for_terminal(&text.to_string());
    writeln!(std::io::stderr().lock(), "{text}").map_err(|_| Failure::OutputClosed)
}

/// Says the first `limit` of `lines` on standard error, then how many more there were (a bad
/// folder or file must not become thousands of lines).
pub(crate) fn say_first(
    lines: impl ExactSizeIterator<Item = String>,
    limit: usize,
    more: impl Fn(usize) -> String,
) -> Result<(), Failure> {
    let total = lines.len();
    for line in lines.take(limit) {
        say(line)?;
    }
    if total > limit {
        say(more(total - limit))?;
    }
    Ok(())
}

/// Runs the command line; returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    match dispatch(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Message(error)) => {
            let _ = say(format_args!("incident-map: {error}"));
            ExitCode::FAILURE
        }
        Err(Failure::OutputClosed) => ExitCode::FAILURE,
    }
}

/// Runs the subcommand asked for.
fn dispatch(cli: Cli) -> Result<(), Failure> {
    let top = cli.viewer;
    let viewer = |paths: Vec<PathBuf>, options: ViewerOptions| {
        crate::app::run_viewer(crate::app::Startup {
            sources: paths
                .into_iter()
                .map(crate::workspace::Source::from_path)
                .collect(),
            tiles: options.tiles.or(top.tiles.clone()),
            fresh: options.fresh || top.fresh,
            window_above: options.window_above.or(top.window_above),
        })
    };
    match cli.command {
        None => Ok(viewer(Vec::new(), ViewerOptions::default())?),
        Some(Command::View { paths, options }) => Ok(viewer(paths, options)?),
        Some(Command::Ingest { paths, output }) => ingest::run(&paths, &output),
        Some(Command::Geoparse { file }) => geoparse::run_geoparse(&file),
        Some(Command::Export(args)) => export::run(&args),
        Some(Command::Render(args)) => {
            let tiles = args.tiles.clone().or(top.tiles.clone());
            render::run(&args, tiles.unwrap_or_default())
        }
        Some(Command::Workspace { command }) => workspace::run(command),
        Some(Command::Eval {
            target: EvalTarget::Geoparse(args),
        }) => geoparse::run_eval(&args),
        Some(Command::Eval {
            target: EvalTarget::Incidents(args),
        }) => eval::run_incidents(&args),
        Some(Command::Eval {
            target: EvalTarget::EventLocation(args),
        }) => eval::run_event_location(&args),
        Some(Command::Bench {
            target: BenchTarget::Frames(args),
        }) => out(crate::bench::frames::run(&args)?),
        Some(Command::Bench {
            target: BenchTarget::Ingest(args),
        }) => out(crate::bench::ingest::run(&args)?),
        Some(Command::Bench {
            target: BenchTarget::Server(args),
        }) => out(crate::bench::server::run(&args)?),
        Some(Command::Bench {
            target: BenchTarget::Briefing(args),
        }) => out(crate::bench::briefing::run(&args)?),
    }
}
