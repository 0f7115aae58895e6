//! Scoring the geoparser on annotated corpora: GeoWebNews (`GWN.xml`) and LGL-format files
//! (`lgl.xml` and the other corpora written the same way).
//!
//! Gold toponyms. GeoWebNews types every annotated phrase; the gold set is the toponym
//! types that the corpus gives a location for — Literal, Mixed, Coercion, Embedded_Literal,
//! Literal_Modifier, Metonymic, Non_Literal_Modifier, Embedded_Non_Lit. Demonyms, languages,
//! homonyms and the non-toponym types (Literal_Expression, Non_Lit_Expression, Non_Toponym)
//! are not gold. Demonyms the geoparser tags count as predictions when singular ("Russian
//! troops", annotated Non_Literal_Modifier; LGL annotates such adjectives too), not when
//! plural ("the Russians"). In LGL
//! every `<toponym>` is gold for recognition; those with a `<gaztag>` position also for
//! resolution.
//!
//! Recognition is scored on spans, a prediction matching a gold toponym when the two
//! overlap (each matched at most once); exact-span F1 is reported beside it. Resolution
//! errors are great-circle distances; a toponym left unresolved counts as the largest
//! possible error (20,039 km). AUC is the area under the sorted ln(1 + error km) curve,
//! normalised by ln(20,039): 0 is perfect, lower is better.

/// Progress and remarks on standard error: a closed or full one must not stop the scoring.
macro_rules! remark {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

use std::io::BufRead;
use std::ops::Range;
use std::path::{Path, PathBuf};

use quick_xml::Reader;
use quick_xml::events::Event;
use serde::Serialize;

use super::recognise::Found;
use super::resolve::{Strategy, distance_km};
use super::{MentionKind, normalise, recognise, resolve};
use crate::gazetteer::Gazetteer;

/// Half the Earth's circumference: the largest possible error.
pub const MAX_ERROR_KM: f64 = 20_039.0;
/// The usual threshold for a resolution to count as correct (100 miles).
pub const ACCURACY_KM: f64 = 161.0;

/// GeoWebNews toponym types counted as gold.
const GWN_GOLD_TYPES: [&str; 8] = [
    "Literal",
    "Mixed",
    "Coercion",
    "Embedded_Literal",
    "Literal_Modifier",
    "Metonymic",
    "Non_Literal_Modifier",
    "Embedded_Non_Lit",
];

/// Which annotation format a corpus uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CorpusFormat {
    GeoWebNews,
    Lgl,
}

/// One annotated toponym; `span` in bytes of the document's text.
#[derive(Debug, Clone)]
pub struct GoldToponym {
    pub span: Range<usize>,
    pub position: Option<(f64, f64)>,
    /// Whether it counts as a toponym for recognition.
    pub is_toponym: bool,
}

#[derive(Debug, Clone)]
pub struct GoldDocument {
    pub id: String,
    pub text: String,
    pub toponyms: Vec<GoldToponym>,
    /// Toponyms whose offsets did not cut their own name from the text and were moved to
    /// the nearest place where the name is written.
    pub realigned: usize,
    /// Toponyms whose offsets did not cut their name and whose name is nowhere in the text:
    /// scored at the corpus's offsets.
    pub misaligned: usize,
}

/// Why a corpus could not be read.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error("{path}: cannot read: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: byte {offset}: {message}")]
    Xml {
        path: PathBuf,
        offset: u64,
        message: String,
    },
    #[error("{path}: no <article> with a <text> found: not a GeoWebNews or LGL corpus")]
    Empty { path: PathBuf },
}

/// The toponym being read, field by field.
#[derive(Default)]
struct ToponymFields {
    start: Option<usize>,
    end: Option<usize>,
    kind: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
    has_gaztag: bool,
    /// The name as the corpus writes it (`<extractedName>`, `<phrase>`).
    name: Option<String>,
    /// The gazetteer's name of the gold place (`<gaztag><name>`): often the text's too.
    gazetteer_name: Option<String>,
}

/// Reads a GeoWebNews or LGL corpus, streaming; the format is told by its elements.
pub fn read_corpus(path: &Path) -> Result<(CorpusFormat, Vec<GoldDocument>), CorpusError> {
    let file = std::fs::File::open(path).map_err(|source| CorpusError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    read_corpus_from(path, std::io::BufReader::new(file))
}

fn read_corpus_from<R: BufRead>(
    path: &Path,
    source: R,
) -> Result<(CorpusFormat, Vec<GoldDocument>), CorpusError> {
    let mut reader = Reader::from_reader(source);
    let mut buffer = Vec::new();
    let mut stack: Vec<String> = Vec::new();
    let mut documents = Vec::new();
    let mut text = String::new();
    let mut field = String::new();
    let mut raw_toponyms: Vec<ToponymFields> = Vec::new();
    let mut toponym = ToponymFields::default();
    let mut article_id = String::new();
    let mut format = CorpusFormat::GeoWebNews;
    let xml_error = |reader: &Reader<R>, message: String| CorpusError::Xml {
        path: path.to_path_buf(),
        offset: reader.buffer_position(),
        message,
    };
    loop {
        let event = reader
            .read_event_into(&mut buffer)
            .map_err(|e| xml_error(&reader, e.to_string()))?;
        match event {
            Event::Start(start) => {
                let name = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
                match name.as_str() {
                    "article" => {
                        text.clear();
                        raw_toponyms.clear();
                        article_id = start
                            .attributes()
                            .flatten()
                            .find(|a| matches!(a.key.local_name().as_ref(), b"docid" | b"file"))
                            .map(|a| String::from_utf8_lossy(&a.value).into_owned())
                            .unwrap_or_else(|| documents.len().to_string());
                    }
                    "toponym" => toponym = ToponymFields::default(),
                    "gaztag" => {
                        toponym.has_gaztag = true;
                        format = CorpusFormat::Lgl;
                    }
                    _ => {}
                }
                field.clear();
                stack.push(name);
            }
            Event::Text(content) => {
                let decoded = content
                    .xml10_content()
                    .map_err(|e| xml_error(&reader, e.to_string()))?;
                append_content(&stack, &mut text, &mut field, &decoded);
            }
            Event::CData(content) => {
                let decoded = content
                    .decode()
                    .map_err(|e| xml_error(&reader, e.to_string()))?;
                append_content(&stack, &mut text, &mut field, &decoded);
            }
            Event::GeneralRef(reference) => {
                let resolved = match reference.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => {
                        let name = String::from_utf8_lossy(&reference).into_owned();
                        quick_xml::escape::resolve_predefined_entity(&name)
                            .map(str::to_string)
                            .unwrap_or_else(|| format!("&{name};"))
                    }
                };
                append_content(&stack, &mut text, &mut field, &resolved);
            }
            Event::End(_) => {
                let Some(name) = stack.pop() else { continue };
                let in_toponym = stack.iter().any(|s| s == "toponym");
                let value = field.trim();
                match name.as_str() {
                    "start" if in_toponym => toponym.start = value.parse().ok(),
                    "end" if in_toponym => toponym.end = value.parse().ok(),
                    "type" if in_toponym => toponym.kind = Some(value.to_string()),
                    "latitude" | "lat" if in_toponym => toponym.lat = value.parse().ok(),
                    "longitude" | "lon" if in_toponym => toponym.lon = value.parse().ok(),
                    // Not `<name>` inside `<gaztag>`: that is the gazetteer's name ("United
                    // States" for "U.S."), not the text's.
                    "extractedName" | "phrase" if in_toponym => {
                        toponym.name = Some(value.to_string());
                    }
                    "name" if stack.iter().any(|s| s == "gaztag") => {
                        toponym.gazetteer_name = Some(value.to_string());
                    }
                    "toponym" => raw_toponyms.push(std::mem::take(&mut toponym)),
                    "article" => {
                        let document =
                            gold_document(&article_id, std::mem::take(&mut text), &raw_toponyms);
                        documents.push(document);
                    }
                    _ => {}
                }
                field.clear();
            }
            Event::Eof => break,
            _ => {}
        }
        buffer.clear();
    }
    if documents.is_empty() {
        return Err(CorpusError::Empty {
            path: path.to_path_buf(),
        });
    }
    Ok((format, documents))
}

/// Article text goes to `text`; a leaf field's text to `field`.
fn append_content(stack: &[String], text: &mut String, field: &mut String, content: &str) {
    match stack.last().map(String::as_str) {
        Some("text") if !stack.iter().any(|s| s == "toponym") => text.push_str(content),
        Some(_) => field.push_str(content),
        None => {}
    }
}

/// Turns character offsets into byte offsets and applies the gold policy. Offsets that do
/// not cut the toponym's own name from the text (a corpus counted characters differently
/// for a while) are moved to the nearest place where the name is written, so that a garbled
/// span ("irkuk " for "Kirkuk") is not scored.
fn gold_document(id: &str, text: String, raw: &[ToponymFields]) -> GoldDocument {
    let mut char_to_byte: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
    char_to_byte.push(text.len());
    let byte = |c: usize| char_to_byte.get(c).copied();
    let mut realigned = 0;
    let mut misaligned = 0;
    let toponyms = raw
        .iter()
        .filter_map(|t| {
            let mut span = byte(t.start?)?..byte(t.end?)?;
            if span.start >= span.end {
                return None;
            }
            // The text's own name when the corpus gives it; else the gazetteer's, which may
            // be another spelling ("United States" for "U.S."), so only for a span that
            // cuts words ("irkuk ").
            let name = t.name.as_deref().or_else(|| {
                t.gazetteer_name
                    .as_deref()
                    .filter(|_| cuts_words(&text, &span))
            });
            if let Some(name) = name.filter(|n| !n.is_empty())
                && text.get(span.clone()) != Some(name)
            {
                match nearest_occurrence(&text, name, span.start) {
                    Some(found) => {
                        span = found;
                        realigned += 1;
                    }
                    None => misaligned += 1,
                }
            }
            let is_toponym = match &t.kind {
                Some(kind) => GWN_GOLD_TYPES.contains(&kind.as_str()),
                None => true,
            };
            let position = match (t.lat, t.lon) {
                (Some(lat), Some(lon)) if lat.abs() <= 90.0 && lon.abs() <= 180.0 => {
                    Some((lat, lon))
                }
                _ => None,
            };
            Some(GoldToponym {
                span,
                position,
                is_toponym,
            })
        })
        .collect();
    GoldDocument {
        id: id.to_string(),
        text,
        toponyms,
        realigned,
        misaligned,
    }
}

/// Whether a span starts or ends inside a word, or on a space: no name is cut that way.
fn cuts_words(text: &str, span: &Range<usize>) -> bool {
    let inside = text.get(span.clone()).unwrap_or("");
    let before = text.get(..span.start).and_then(|t| t.chars().next_back());
    let after = text.get(span.end..).and_then(|t| t.chars().next());
    let first = inside.chars().next();
    let last = inside.chars().next_back();
    let joined = |a: Option<char>, b: Option<char>| {
        a.is_some_and(char::is_alphanumeric) && b.is_some_and(char::is_alphanumeric)
    };
    joined(before, first)
        || joined(last, after)
        || first.is_some_and(char::is_whitespace)
        || last.is_some_and(char::is_whitespace)
}

/// The byte span of the occurrence of `name` in `text` that starts nearest to `near`.
fn nearest_occurrence(text: &str, name: &str, near: usize) -> Option<Range<usize>> {
    text.match_indices(name)
        .map(|(at, _)| at)
        .min_by_key(|&at| at.abs_diff(near))
        .map(|at| at..at + name.len())
}

/// Recognition and resolution scores of one resolver.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Scores {
    pub gold: usize,
    pub predicted: usize,
    pub matched: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub exact_f1: f64,
    /// Toponyms whose resolution was scored.
    pub resolution_scored: usize,
    pub acc161: f64,
    pub mean_km: f64,
    pub median_km: f64,
    pub auc: f64,
}

/// Counts kept while the documents are scored.
#[derive(Debug, Default)]
struct Tally {
    gold: usize,
    predicted: usize,
    matched: usize,
    exact: usize,
    errors: Vec<f64>,
}

impl Tally {
    fn scores(&self) -> Scores {
        let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
        let f1 = |p: f64, r: f64| {
            if p + r == 0.0 {
                0.0
            } else {
                2.0 * p * r / (p + r)
            }
        };
        let precision = ratio(self.matched, self.predicted);
        let recall = ratio(self.matched, self.gold);
        let exact_p = ratio(self.exact, self.predicted);
        let exact_r = ratio(self.exact, self.gold);
        let mut errors = self.errors.clone();
        errors.sort_by(f64::total_cmp);
        let n = errors.len();
        Scores {
            gold: self.gold,
            predicted: self.predicted,
            matched: self.matched,
            precision: round(precision),
            recall: round(recall),
            f1: round(f1(precision, recall)),
            exact_f1: round(f1(exact_p, exact_r)),
            resolution_scored: n,
            acc161: round(100.0 * ratio(errors.iter().filter(|&&e| e <= ACCURACY_KM).count(), n)),
            mean_km: round(if n == 0 {
                0.0
            } else {
                errors.iter().sum::<f64>() / n as f64
            }),
            median_km: round(median(&errors)),
            auc: round(log_error_auc(&errors)),
        }
    }
}

fn round(value: f64) -> f64 {
    (value * 10_000.0).round() / 10_000.0
}

fn median(sorted: &[f64]) -> f64 {
    match sorted.len() {
        0 => 0.0,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// Area under the curve of sorted ln(1 + error), trapezoids of unit width, normalised so
/// that every error at the maximum scores 1.
pub fn log_error_auc(sorted_errors: &[f64]) -> f64 {
    let logs: Vec<f64> = sorted_errors
        .iter()
        .map(|e| (1.0 + e.clamp(0.0, MAX_ERROR_KM)).ln())
        .collect();
    match logs.len() {
        0 => 0.0,
        1 => logs[0] / (1.0 + MAX_ERROR_KM).ln(),
        n => {
            let area: f64 = logs.windows(2).map(|w| (w[0] + w[1]) / 2.0).sum();
            area / ((n - 1) as f64 * (1.0 + MAX_ERROR_KM).ln())
        }
    }
}

/// Options of one evaluation run.
#[derive(Debug, Clone, Default)]
pub struct EvalOptions {
    /// Score resolution only, on the gold spans.
    pub given_toponyms: bool,
    /// Write one line per scored toponym here (tab-separated).
    pub report: Option<PathBuf>,
}

/// The result of one run: ours, the most-populous baseline, and the speed.
#[derive(Debug, Clone, Serialize)]
pub struct EvalResult {
    pub corpus: String,
    pub format: CorpusFormat,
    pub mode: &'static str,
    pub span_match: &'static str,
    pub documents: usize,
    #[serde(flatten)]
    pub ours: Scores,
    pub baseline: Scores,
    /// Gold toponyms moved onto their name because the corpus's offsets missed it, and
    /// those whose name is nowhere in the text (scored at the corpus's offsets).
    pub realigned: usize,
    pub misaligned: usize,
    /// Our scores on the documents with an even and an odd numeric id (the others by their
    /// place in the corpus): two halves to tune on one and check on the other.
    pub halves: Halves,
    pub text_bytes: usize,
    pub seconds: f64,
    pub mb_per_s: f64,
}

/// Our scores on each half of a corpus split by document id parity.
#[derive(Debug, Clone, Serialize)]
pub struct Halves {
    pub even: Scores,
    pub odd: Scores,
}

/// Which half a document falls in: the parity of its numeric id, else of its place.
fn half_of(id: &str, index: usize) -> usize {
    id.trim()
        .parse::<u64>()
        .map_or(index % 2, |n| (n % 2) as usize)
}

/// Scores the geoparser (and the baseline) on a corpus; progress goes to stderr.
pub fn evaluate(
    gaz: &Gazetteer,
    corpus: &Path,
    documents: &[GoldDocument],
    format: CorpusFormat,
    options: &EvalOptions,
) -> EvalResult {
    let mut ours = Tally::default();
    let mut baseline = Tally::default();
    let mut halves = [Tally::default(), Tally::default()];
    let mut report = Vec::new();
    let mut seconds = 0.0;
    let mut text_bytes = 0;
    for (index, doc) in documents.iter().enumerate() {
        if index % 50 == 0 {
            remark!("  document {}/{}", index + 1, documents.len());
        }
        text_bytes += doc.text.len();
        let half = &mut halves[half_of(&doc.id, index)];
        let started = std::time::Instant::now();
        if options.given_toponyms {
            let gold: Vec<&GoldToponym> = doc
                .toponyms
                .iter()
                .filter(|t| t.position.is_some())
                .collect();
            let spans: Vec<Range<usize>> = gold.iter().map(|t| t.span.clone()).collect();
            let norm = normalise::normalise_text(&doc.text);
            let found = recognise::found_for_spans(gaz, &doc.text, &norm, &spans);
            let ours_resolved = resolve::resolve(gaz, &doc.text, &norm, &found, Strategy::Context);
            seconds += started.elapsed().as_secs_f64();
            let base_resolved =
                resolve::resolve(gaz, &doc.text, &norm, &found, Strategy::MostPopulous);
            for (i, toponym) in gold.iter().enumerate() {
                let ours_error = error_km(gaz, toponym, ours_resolved.get(i));
                let base_error = error_km(gaz, toponym, base_resolved.get(i));
                for (tally, error) in [
                    (&mut ours, ours_error),
                    (&mut *half, ours_error),
                    (&mut baseline, base_error),
                ] {
                    tally.gold += 1;
                    if let Some(error) = error {
                        tally.predicted += 1;
                        if error <= ACCURACY_KM {
                            tally.matched += 1;
                            tally.exact += 1;
                        }
                    }
                    tally.errors.push(error.unwrap_or(MAX_ERROR_KM));
                }
                report_line(
                    &mut report,
                    gaz,
                    doc,
                    toponym,
                    &found[i],
                    &ours_resolved,
                    i,
                    ours_error,
                    base_error,
                );
            }
        } else {
            let norm = normalise::normalise_text(&doc.text);
            let found = recognise::recognise(gaz, &doc.text, &norm);
            let ours_resolved = resolve::resolve(gaz, &doc.text, &norm, &found, Strategy::Context);
            seconds += started.elapsed().as_secs_f64();
            let base_resolved =
                resolve::resolve(gaz, &doc.text, &norm, &found, Strategy::MostPopulous);
            let gold: Vec<&GoldToponym> = doc.toponyms.iter().filter(|t| t.is_toponym).collect();
            let predicted: Vec<usize> = (0..found.len())
                .filter(|&i| counts_as_toponym(&found[i], &doc.text))
                .collect();
            let span_of = |i: usize, resolved: &[Option<resolve::Outcome>]| {
                resolved
                    .get(i)
                    .and_then(|o| o.as_ref())
                    .and_then(|o| o.span.clone())
                    .unwrap_or_else(|| found[i].span.clone())
            };
            let mut gold_taken = vec![false; gold.len()];
            let mut matched = 0;
            let mut exact = 0;
            let mut pairs = Vec::new();
            for &i in &predicted {
                let span = span_of(i, &ours_resolved);
                let hit = gold
                    .iter()
                    .enumerate()
                    .find(|(g, t)| !gold_taken[*g] && overlaps(&t.span, &span))
                    .map(|(g, _)| g);
                if let Some(g) = hit {
                    gold_taken[g] = true;
                    matched += 1;
                    if gold[g].span == span || gold[g].span == found[i].span {
                        exact += 1;
                    }
                    pairs.push((g, i));
                }
            }
            for tally in [&mut ours, &mut *half, &mut baseline] {
                tally.gold += gold.len();
                tally.predicted += predicted.len();
                tally.matched += matched;
                tally.exact += exact;
            }
            for (g, i) in pairs {
                let toponym = gold[g];
                if toponym.position.is_none() {
                    continue;
                }
                let ours_error = error_km(gaz, toponym, ours_resolved.get(i));
                let base_error = error_km(gaz, toponym, base_resolved.get(i));
                ours.errors.push(ours_error.unwrap_or(MAX_ERROR_KM));
                half.errors.push(ours_error.unwrap_or(MAX_ERROR_KM));
                baseline.errors.push(base_error.unwrap_or(MAX_ERROR_KM));
                report_line(
                    &mut report,
                    gaz,
                    doc,
                    toponym,
                    &found[i],
                    &ours_resolved,
                    i,
                    ours_error,
                    base_error,
                );
            }
            if options.report.is_some() {
                for (g, toponym) in gold.iter().enumerate() {
                    if !gold_taken[g] {
                        report.push(format!(
                            "{}\tMISSED\t{}\t\t\t\t",
                            doc.id,
                            doc.text
                                .get(toponym.span.clone())
                                .unwrap_or("")
                                .replace(['\t', '\n'], " ")
                        ));
                    }
                }
                for &i in &predicted {
                    let span = span_of(i, &ours_resolved);
                    if !gold.iter().any(|t| overlaps(&t.span, &span)) {
                        let id = ours_resolved
                            .get(i)
                            .and_then(|o| o.as_ref())
                            .and_then(|o| o.place.as_ref())
                            .map_or("", |p| p.id.as_str());
                        report.push(format!(
                            "{}\tSPURIOUS\t{}\t{}\t\t\t",
                            doc.id,
                            doc.text.get(span).unwrap_or("").replace(['\t', '\n'], " "),
                            id
                        ));
                    }
                }
            }
        }
    }
    if let Some(path) = &options.report
        && let Err(e) = std::fs::write(path, report.join("\n") + "\n")
    {
        remark!(
            "incident-map: {}: cannot write the report: {e}",
            path.display()
        );
    }
    let realigned: usize = documents.iter().map(|d| d.realigned).sum();
    let misaligned: usize = documents.iter().map(|d| d.misaligned).sum();
    if realigned + misaligned > 0 {
        remark!(
            "  {realigned} gold toponyms moved onto their name (the corpus's offsets missed it); \
             {misaligned} whose name is not in the text, scored at the corpus's offsets"
        );
    }
    let mb_per_s = if seconds > 0.0 {
        text_bytes as f64 / 1e6 / seconds
    } else {
        0.0
    };
    EvalResult {
        corpus: corpus.display().to_string(),
        format,
        mode: if options.given_toponyms {
            "given_toponyms"
        } else {
            "end_to_end"
        },
        span_match: "overlap",
        documents: documents.len(),
        ours: ours.scores(),
        baseline: baseline.scores(),
        realigned,
        misaligned,
        halves: Halves {
            even: halves[0].scores(),
            odd: halves[1].scores(),
        },
        text_bytes,
        seconds: round(seconds),
        mb_per_s: round(mb_per_s),
    }
}

#[allow(clippy::too_many_arguments)]
fn report_line(
    report: &mut Vec<String>,
    gaz: &Gazetteer,
    doc: &GoldDocument,
    toponym: &GoldToponym,
    found: &Found,
    resolved: &[Option<resolve::Outcome>],
    i: usize,
    ours: Option<f64>,
    baseline: Option<f64>,
) {
    let place = resolved
        .get(i)
        .and_then(|o| o.as_ref())
        .and_then(|o| o.place.as_ref())
        .and_then(|p| gaz.get(&p.id));
    let km = |e: Option<f64>| e.map_or("-".to_string(), |e| format!("{e:.0}"));
    let gold = toponym
        .position
        .map_or(String::new(), |(lat, lon)| format!("{lat:.4},{lon:.4}"));
    report.push(format!(
        "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
        doc.id,
        if ours.is_some_and(|e| e <= ACCURACY_KM) {
            "OK"
        } else {
            "WRONG"
        },
        doc.text
            .get(toponym.span.clone())
            .unwrap_or("")
            .replace(['\t', '\n'], " "),
        place.map_or(format!("({})", found.key), |p| format!(
            "{} {} [{} {:?} {:?}]",
            p.id,
            p.name,
            p.kind.as_str(),
            p.country.as_deref().unwrap_or(""),
            p.admin1.as_deref().unwrap_or("")
        )),
        km(ours),
        km(baseline),
        found.candidates.len(),
        gold,
    ));
}

/// Place names count, and so do demonyms used as modifiers ("Russian troops"), which the
/// corpora annotate as toponyms; plural demonyms ("the Iraqis") are people, not places.
fn counts_as_toponym(found: &Found, text: &str) -> bool {
    match found.mention_kind() {
        MentionKind::Place => true,
        MentionKind::Demonym => !text.get(found.span.clone()).unwrap_or("").ends_with('s'),
    }
}

fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    a.start < b.end && b.start < a.end
}

/// The error of a resolution against the gold position; `None` when nothing was resolved.
fn error_km(
    gaz: &Gazetteer,
    gold: &GoldToponym,
    outcome: Option<&Option<resolve::Outcome>>,
) -> Option<f64> {
    let (lat, lon) = gold.position?;
    let resolved = outcome?.as_ref()?.place.as_ref()?;
    let place = gaz.get(&resolved.id)?;
    Some(distance_km(lat, lon, place.lat, place.lon))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_both_formats_with_character_offsets() {
        let gwn = r#"<?xml version="1.0" ?><articles><article file="0"><title>t</title>
<text>Café in Mosul &amp; Erbil</text><toponyms>
<toponym><extractedName>Mosul</extractedName><type>Literal</type><start>8</start><end>13</end>
<geonamesID>99072</geonamesID><latitude>36.33</latitude><longitude>43.12</longitude></toponym>
<toponym><extractedName>Erbil</extractedName><type>Demonym</type><start>16</start><end>21</end></toponym>
</toponyms></article></articles>"#;
        let (format, docs) = read_corpus_from(Path::new("gwn.xml"), gwn.as_bytes())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(format, CorpusFormat::GeoWebNews);
        let doc = &docs[0];
        assert_eq!(doc.text, "Café in Mosul & Erbil");
        assert_eq!(&doc.text[doc.toponyms[0].span.clone()], "Mosul");
        assert_eq!(doc.toponyms[0].position, Some((36.33, 43.12)));
        assert!(doc.toponyms[0].is_toponym);
        assert!(!doc.toponyms[1].is_toponym);

        let lgl = r#"<articles><article docid="1"><text><![CDATA[Alexandria, La.]]></text>
<toponyms count="1"><toponym><start>0</start><end>10</end><phrase>Alexandria</phrase>
<gaztag geonameid="4314550"><name>Alexandria</name><lat>31.3113</lat><lon>-92.4451</lon>
</gaztag></toponym></toponyms></article></articles>"#;
        let (format, docs) = read_corpus_from(Path::new("lgl.xml"), lgl.as_bytes())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(format, CorpusFormat::Lgl);
        assert_eq!(docs[0].toponyms[0].position, Some((31.3113, -92.4451)));
        assert_eq!(docs[0].id, "1");
    }

    #[test]
    fn offsets_that_miss_the_name_are_moved_onto_it() {
        // The offsets cut "irkuk " (one character late); the phrase says "Kirkuk".
        let lgl = r#"<articles><article docid="7"><text>Police in Kirkuk said. Kirkuk is calm.</text>
<toponyms><toponym><start>11</start><end>17</end><phrase>Kirkuk</phrase>
<gaztag geonameid="94787"><name>Kirkuk</name><lat>35.4681</lat><lon>44.3922</lon></gaztag>
</toponym><toponym><start>23</start><end>29</end><phrase>Kirkuk</phrase>
<gaztag geonameid="94787"><name>Kirkuk</name><lat>35.4681</lat><lon>44.3922</lon></gaztag>
</toponym><toponym><start>0</start><end>6</end><phrase>Basra</phrase>
<gaztag geonameid="99532"><name>Basra</name><lat>30.5</lat><lon>47.8</lon></gaztag>
</toponym></toponyms></article></articles>"#;
        let (_, docs) = read_corpus_from(Path::new("lgl.xml"), lgl.as_bytes())
            .unwrap_or_else(|e| panic!("{e}"));
        let doc = &docs[0];
        assert_eq!(
            doc.toponyms[0].span,
            10..16,
            "the nearest Kirkuk, not the second one"
        );
        assert_eq!(
            &doc.text[doc.toponyms[1].span.clone()],
            "Kirkuk",
            "already right"
        );
        assert_eq!(doc.toponyms[1].span, 23..29);
        assert_eq!(
            doc.toponyms[2].span,
            0..6,
            "no Basra in the text: left as it was"
        );
        assert_eq!((doc.realigned, doc.misaligned), (1, 1));

        // No <phrase>: the gazetteer's name moves only a span that cuts words.
        let names_only = r#"<articles><article docid="8"><text>In the U.S. and in Kirkuk.</text>
<toponyms><toponym><start>7</start><end>11</end>
<gaztag geonameid="6252001"><name>United States</name><lat>39.76</lat><lon>-98.5</lon></gaztag>
</toponym><toponym><start>20</start><end>26</end>
<gaztag geonameid="94787"><name>Kirkuk</name><lat>35.4681</lat><lon>44.3922</lon></gaztag>
</toponym></toponyms></article></articles>"#;
        let (_, docs) = read_corpus_from(Path::new("lgl.xml"), names_only.as_bytes())
            .unwrap_or_else(|e| panic!("{e}"));
        let doc = &docs[0];
        assert_eq!(&doc.text[doc.toponyms[0].span.clone()], "U.S.");
        assert_eq!(&doc.text[doc.toponyms[1].span.clone()], "Kirkuk");
        assert_eq!((doc.realigned, doc.misaligned), (1, 0));
    }

    #[test]
    fn broken_xml_names_the_file() {
        let error = read_corpus_from(Path::new("bad.xml"), "<articles><article>".as_bytes())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains("bad.xml"), "{error}");
    }

    #[test]
    fn halves_follow_the_parity_of_numeric_ids_else_the_place_in_the_corpus() {
        assert_eq!(half_of("40450848", 3), 0);
        assert_eq!(half_of("7", 0), 1);
        assert_eq!(half_of("story-b", 3), 1);
        assert_eq!(half_of("story-a", 4), 0);
    }

    #[test]
    fn auc_is_zero_for_perfect_and_one_for_worst() {
        assert_eq!(log_error_auc(&[0.0, 0.0, 0.0]), 0.0);
        assert!((log_error_auc(&[MAX_ERROR_KM, MAX_ERROR_KM]) - 1.0).abs() < 1e-9);
    }
}
