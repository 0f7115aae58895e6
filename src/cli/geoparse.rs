//! The geoparser's subcommands: `geoparse FILE` and `eval geoparse CORPUS.xml`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Serialize;

use super::{Failure, out, say};
use crate::gazetteer::Gazetteer;
use crate::geoparse::eval::{EvalOptions, evaluate, read_corpus};
use crate::geoparse::{Cue, MentionKind};

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
    kind: MentionKind,
    cue: Option<Cue>,
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
pub fn run_geoparse(path: &Path) -> Result<(), Failure> {
    let text = crate::files::read_text_limited(path, crate::articles::MAX_ARTICLE_BYTES)
        .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
    let (gaz, _) = load_gazetteer(None)?;
    let mentions = crate::geoparse::geoparse(gaz, &text);
    let found: Vec<MentionOut> = mentions
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
    let json =
        serde_json::to_string_pretty(&found).map_err(|e| format!("cannot write JSON: {e}"))?;
    out(json)
}

/// `incident-map eval geoparse CORPUS.xml`: scores as JSON, the last line one object.
pub fn run_eval(args: &EvalArgs) -> Result<(), Failure> {
    say("loading the gazetteer…")?;
    let (gaz, load_ms) = load_gazetteer(args.gazetteer.as_deref())?;
    let started = Instant::now();
    gaz.prepare_names();
    let index_ms = started.elapsed().as_secs_f64() * 1000.0;
    say(format_args!(
        "gazetteer: {} places read in {load_ms:.0} ms; {} names indexed in {index_ms:.0} ms",
        gaz.len(),
        gaz.name_count()
    ))?;
    say(format_args!("reading {}…", args.corpus.display()))?;
    let (format, documents) = read_corpus(&args.corpus).map_err(|e| e.to_string())?;
    let options = EvalOptions {
        given_toponyms: args.given_toponyms,
        report: args.report.clone(),
    };
    let result = evaluate(gaz, &args.corpus, &documents, format, &options);
    let json_error = |e: serde_json::Error| format!("cannot write JSON: {e}");
    if args.baseline {
        let json = serde_json::to_string(&result.baseline).map_err(json_error)?;
        out(format_args!("baseline (most populous candidate): {json}"))?;
    }
    let mut value = serde_json::to_value(&result).map_err(json_error)?;
    if let Some(object) = value.as_object_mut() {
        object.insert("gazetteer_load_ms".into(), round1(load_ms).into());
        object.insert("name_index_ms".into(), round1(index_ms).into());
    }
    out(value)
}

fn round1(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}
