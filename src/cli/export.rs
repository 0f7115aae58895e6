//! `incident-map export`: the incidents that pass the filters, written in one of the exchange
//! formats. The options build the same [`Filter`] the viewer uses, so "what is exported" and
//! "what is shown" are one notion.

use std::path::PathBuf;
use std::process::ExitCode;

use jiff::civil::Date;

use super::Format;
use crate::cli::fail;
use crate::store::EventType;
use crate::view::query::{Filter, visible_incidents};

/// How many skipped rows are named one by one before the rest are counted.
const PROBLEMS_LISTED: usize = 10;

#[derive(Debug, Clone, clap::Args)]
pub struct ExportArgs {
    /// geojson (everything, RFC 7946), acled (ACLED's CSV columns) or csv (plain, for
    /// spreadsheets).
    #[arg(long, value_parser = Format::parse, value_name = "FORMAT")]
    pub format: Format,
    /// The incidents to export: a store (.json), an ACLED-format CSV or a GeoJSON file.
    /// Default: the bundled data.
    #[arg(long, value_name = "FILE")]
    pub data: Option<PathBuf>,
    /// First day exported, inclusive (YYYY-MM-DD).
    #[arg(long, value_parser = parse_date_arg, value_name = "DATE")]
    pub from: Option<Date>,
    /// Last day exported, inclusive (YYYY-MM-DD).
    #[arg(long, value_parser = parse_date_arg, value_name = "DATE")]
    pub to: Option<Date>,
    /// Only these ACLED event types, comma-separated or repeated, case-insensitive
    /// (e.g. "Battles,Explosions/Remote violence").
    #[arg(long, value_delimiter = ',', value_parser = parse_event_type_arg, value_name = "TYPES")]
    pub types: Vec<EventType>,
    /// Leave out incidents whose date is unknown (the viewer's "Undated" switch turned off).
    #[arg(long)]
    pub dated_only: bool,
    /// Only incidents naming this actor (exactly as the data spells it).
    #[arg(long, value_name = "NAME")]
    pub actor: Option<String>,
    /// Only incidents from this publisher's articles.
    #[arg(long, value_name = "NAME")]
    pub publisher: Option<String>,
    /// Only incidents whose summary, place, actors, type or source titles hold these words.
    #[arg(long, value_name = "WORDS")]
    pub search: Option<String>,
    /// The file to write; replaced atomically.
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,
}

impl ExportArgs {
    /// The viewer's filter these options describe.
    pub fn filter(&self) -> Filter {
        let hidden_types = if self.types.is_empty() {
            Default::default()
        } else {
            EventType::ALL
                .into_iter()
                .filter(|t| !self.types.contains(t))
                .collect()
        };
        Filter {
            from: self.from,
            to: self.to,
            show_undated: !self.dated_only,
            hidden_types,
            actor: self.actor.clone(),
            publisher: self.publisher.clone(),
            text: self.search.clone().unwrap_or_default(),
        }
    }
}

fn parse_date_arg(text: &str) -> Result<Date, String> {
    super::parse_date(text)
}

fn parse_event_type_arg(text: &str) -> Result<EventType, String> {
    super::parse_event_type(text)
        .map(|(t, _)| t)
        .ok_or_else(|| {
            let names: Vec<&str> = EventType::ALL.iter().map(|t| t.as_str()).collect();
            format!(
                "unknown event type {text:?}; ACLED's are {}",
                names.join(", ")
            )
        })
}

pub fn run_export(args: &ExportArgs) -> ExitCode {
    if let (Some(from), Some(to)) = (args.from, args.to)
        && from > to
    {
        return fail(format!("--from {from} is after --to {to}"));
    }
    let data = args.data.clone().unwrap_or_else(crate::app::bundled_store);
    let imported = match super::import(&data) {
        Ok(imported) => imported,
        Err(e) => return fail(e),
    };
    for problem in imported.problems.iter().take(PROBLEMS_LISTED) {
        eprintln!("incident-map: {}: skipped {problem}", data.display());
    }
    if imported.problems.len() > PROBLEMS_LISTED {
        eprintln!(
            "incident-map: {}: skipped {} more rows",
            data.display(),
            imported.problems.len() - PROBLEMS_LISTED
        );
    }
    let filter = args.filter();
    let shown = visible_incidents(&imported.store, &filter);
    match super::export_to_file(&imported.store, &shown, args.format, &args.output) {
        Ok(exported) => {
            println!(
                "Exported {} of {} incidents ({}) to {} as {}",
                exported.written,
                imported.store.incidents.len(),
                filter.describe(),
                args.output.display(),
                args.format
            );
            if let Some(note) = exported.left_out {
                eprintln!("incident-map: {note}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(e),
    }
}
