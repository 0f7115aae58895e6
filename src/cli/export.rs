//! `incident-map export`: the incidents that pass the filters, written in one of the exchange
//! formats. The flags build the same [`Filter`](crate::workspace::filter::Filter) the viewer
//! uses, so "what is exported" and "what is shown" are one notion.

use std::path::PathBuf;

use super::{Failure, out, say, say_first};
use crate::exchange::{Format, Mapping};
use crate::workspace::filter::{FilterArgs, visible_incidents};
use crate::workspace::{Source, Workspace};

/// How many skipped rows are named one by one before the rest are counted.
const PROBLEMS_LISTED: usize = 10;

#[derive(Debug, Clone, clap::Args)]
pub struct ExportArgs {
    /// geojson (everything, RFC 7946), acled (ACLED's CSV columns) or csv (plain, for
    /// spreadsheets).
    #[arg(long, value_parser = Format::parse, value_name = "FORMAT")]
    pub format: Format,
    /// The incidents to export: a store (.json), an ACLED-format CSV, a GeoJSON file, or a
    /// folder of articles (ingested first). Default: the bundled data.
    #[arg(long, value_name = "PATH")]
    pub data: Option<PathBuf>,
    /// Columns named by hand for a table whose fields are not found by their names, as
    /// FIELD=COLUMN pairs: `--map date=when,type=category,lat=y,lon=x` (fields: date, type,
    /// sub_type, description, fatalities, lat, lon, location, actors, id, country, admin1,
    /// source).
    #[arg(long, value_parser = Mapping::parse, value_name = "FIELD=COLUMN,...")]
    pub map: Option<Mapping>,
    #[command(flatten)]
    pub filter: FilterArgs,
    /// The file to write; replaced atomically.
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
}

/// Runs `incident-map export`.
pub fn run(args: &ExportArgs) -> Result<(), Failure> {
    let filter = args.filter.filter()?;
    let source = args
        .data
        .clone()
        .map_or_else(Source::bundled, Source::from_path);
    // Found out now, not after the work: an output that cannot or must not be written.
    crate::atomic::check_destination(&args.output, &[source.path()])?;
    let workspace = Workspace::open_mapped(
        std::slice::from_ref(&source),
        &args.map.clone().unwrap_or_default(),
        &|_, _| {},
    )?;
    report_problems(&workspace)?;
    let store = &workspace.store;
    let shown = visible_incidents(store, &filter);
    let exported = crate::exchange::export_to_file(store, &shown, args.format, &args.output)
        .map_err(|e| e.to_string())?;
    out(format_args!(
        "Exported {} of {} incidents ({}) to {} as {}",
        exported.written,
        store.incidents.len(),
        filter.describe(),
        args.output.display(),
        args.format
    ))?;
    if let Some(note) = exported.left_out {
        say(format_args!("incident-map: {note}"))?;
    }
    Ok(())
}

/// Tells what each imported file was read as, with its counts, and what was skipped while
/// opening: each skipped row by its line, up to a point.
pub(super) fn report_problems(workspace: &Workspace) -> Result<(), Failure> {
    for line in &workspace.imports {
        say(format_args!("incident-map: {line}"))?;
    }
    for problem in &workspace.problems {
        if problem.details.is_empty() {
            say(format_args!("incident-map: {problem}"))?;
            continue;
        }
        say_first(
            problem
                .details
                .iter()
                .map(|detail| format!("incident-map: {detail}")),
            PROBLEMS_LISTED,
            |n| format!("incident-map: … and {n} more rows skipped"),
        )?;
    }
    Ok(())
}
