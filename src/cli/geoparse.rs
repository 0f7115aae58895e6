//! The geoparser's subcommands: `geoparse FILE` and `eval geoparse CORPUS.xml`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use serde::Serialize;

use super::eval::{EvalOptions, evaluate, read_corpus};
use crate::cli::fail;
use crate::gazetteer::Gazetteer;

/// Options of `incident-map eval geoparse`.
#[derive(Debug, Clone, clap::Args)]
pub struct EvalArgs {
    /// A GeoWebNews (GWN.xml) or LGL-format (lgl.xml) corpus; the format is detected.
    pub corpus: PathBuf,
    /// Score resolution only, with the gold toponym spans given.
    #[arg(long)]
    pub given_toponyms: bool,
    /// Also print the most-populous-candidate baseline's scores on their own line (they are
    /// always in the final JSON object, under "baseline").
    #[arg(long)]
    pub baseline: bool,
    /// Gazetteer folder or table (default: the bundled one).
    #[arg(long, value_name = "PATH")]
    pub gazetteer: Option<PathBuf>,
    /// Write one tab-separated line per scored toponym to this file.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
}

/// One mention as `incident-map geoparse` prints it.
#[derive(Debug, Serialize)]
struct MentionOut<'a> {
    /// Byte offsets in the file.
    span: std::ops::Range<usize>,
    text: &'a str,
    kind: super::MentionKind,
    cue: Option<super::Cue>,
    place: Option<PlaceOut<'a>>,
}

#[derive(Debug, Serialize)]
struct PlaceOut<'a> {
    id: &'a str,
    name: &'a str,
    kind: &'static str,
    lat: f64,
    lon: f64,
    country: Option<&'a str>,
    admin1: Option<&'a str>,
    confidence: f32,
}

fn load_gazetteer(path: Option<&Path>) -> Result<(&'static Gazetteer, f64), String> {
    let started = Instant::now();
    let gaz = match path {
        Some(path) => Gazetteer::load(path)
            .map(|g| &*Box::leak(Box::new(g)))
            .map_err(|e| e.to_string())?,
        None => Gazetteer::bundled().map_err(|e| e.to_string())?,
    };
    Ok((gaz, started.elapsed().as_secs_f64() * 1000.0))
}

/// `incident-map geoparse FILE`: the mentions of a text file as JSON.
pub fn run_geoparse(path: &Path) -> ExitCode {
    let text = match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                return fail(format!(
                    "{}: not UTF-8 text (invalid byte at offset {})",
                    path.display(),
                    e.utf8_error().valid_up_to()
                ));
            }
        },
        Err(e) => return fail(format!("{}: cannot read: {e}", path.display())),
    };
    let gaz = match load_gazetteer(None) {
        Ok((gaz, _)) => gaz,
        Err(e) => return fail(e),
    };
    let mentions = super::geoparse(gaz, &text);
    let out: Vec<MentionOut> = mentions
        .iter()
        .map(|m| MentionOut {
            span: m.span.clone(),
            text: &m.text,
            kind: m.kind,
            cue: m.cue,
            place: m.place.as_ref().and_then(|r| {
                let place = gaz.get(&r.id)?;
                Some(PlaceOut {
                    id: &place.id,
                    name: &place.name,
                    kind: place.kind.as_str(),
                    lat: place.lat,
                    lon: place.lon,
                    country: place.country.as_deref(),
                    admin1: place.admin1.as_deref(),
                    confidence: r.confidence,
                })
            }),
        })
        .collect();
    match serde_json::to_string_pretty(&out) {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(e) => fail(format!("cannot write JSON: {e}")),
    }
}

/// `incident-map eval geoparse CORPUS.xml`: scores as JSON, the last line one object.
pub fn run_eval(args: &EvalArgs) -> ExitCode {
    eprintln!("loading the gazetteer…");
    let (gaz, load_ms) = match load_gazetteer(args.gazetteer.as_deref()) {
        Ok(loaded) => loaded,
        Err(e) => return fail(e),
    };
    let started = Instant::now();
    gaz.prepare_names();
    let index_ms = started.elapsed().as_secs_f64() * 1000.0;
    eprintln!(
        "gazetteer: {} places read in {load_ms:.0} ms; {} names indexed in {index_ms:.0} ms",
        gaz.len(),
        gaz.name_count()
    );
    eprintln!("reading {}…", args.corpus.display());
    let (format, documents) = match read_corpus(&args.corpus) {
        Ok(corpus) => corpus,
        Err(e) => return fail(e),
    };
    let options = EvalOptions {
        given_toponyms: args.given_toponyms,
        report: args.report.clone(),
    };
    let result = evaluate(gaz, &args.corpus, &documents, format, &options);
    if args.baseline {
        match serde_json::to_string(&result.baseline) {
            Ok(json) => println!("baseline (most populous candidate): {json}"),
            Err(e) => return fail(format!("cannot write JSON: {e}")),
        }
    }
    let mut value = match serde_json::to_value(&result) {
        Ok(value) => value,
        Err(e) => return fail(format!("cannot write JSON: {e}")),
    };
    if let Some(object) = value.as_object_mut() {
        object.insert("gazetteer_load_ms".into(), round1(load_ms).into());
        object.insert("name_index_ms".into(), round1(index_ms).into());
    }
    println!("{value}");
    ExitCode::SUCCESS
}

fn round1(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}
