//! `eval event-location`: for each sentence of Halterman's event-location data, the place our
//! extraction gives the event its VERB span names, against the LOCATION span.
//!
//! The data is one JSON array in a zip archive; the archive is read here with the deflate
//! decoder already in the tree rather than a zip crate, since one stored or deflated member
//! is all it takes.

use std::io::Read;
use std::ops::Range;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::EvalError;
use crate::articles::LoadedArticle;
use crate::extract::article;
use crate::extract::places::{PlaceRef, PlaceSource};
use crate::store::Article;

/// The member of the archive that holds the records.
const MEMBER_SUFFIX: &str = ".jsonl";
/// The gold-standard relabels, scored by default.
const GOLD_SOURCE: &str = "RELABEL";
/// A place this close to the gold one is the same place (a refined point of it).
const SAME_PLACE_KM: f64 = 1.0;

#[derive(Debug, Deserialize)]
struct Record {
    text: String,
    #[serde(default)]
    spans: Vec<Span>,
    #[serde(default)]
    tokens: Vec<Token>,
    #[serde(default)]
    source: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Span {
    start: usize,
    end: usize,
    label: String,
    #[serde(default)]
    token_start: Option<usize>,
    #[serde(default)]
    token_end: Option<usize>,
    /// The span's text; the relabels carry it, and some of their offsets are token indices.
    #[serde(default)]
    text: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Token {
    start: usize,
    end: usize,
}

impl Record {
    /// The character range a span covers, or `None` for "no place". Most offsets are
    /// characters; in some relabels `start`/`end` repeat the token indices (inclusive) and
    /// only the span's text says which: the reading that gives that text wins.
    fn char_range(&self, span: &Span) -> Option<Range<usize>> {
        let chars = span.start..span.end;
        let written =
            |r: &Range<usize>| byte_range(&self.text, r.clone()).and_then(|b| self.text.get(b));
        let by_tokens = match (span.token_start, span.token_end) {
            (Some(first), Some(last)) => self
                .tokens
                .get(first)
                .zip(self.tokens.get(last))
                .map(|(a, b)| a.start..b.end),
            _ => None,
        };
        match &span.text {
            Some(expected) if written(&chars) == Some(expected.as_str()) => Some(chars),
            Some(expected) => by_tokens
                .filter(|r| written(r).is_some_and(|w| w.trim() == expected.trim()))
                .filter(|r| !r.is_empty()),
            None => (!chars.is_empty()).then_some(chars),
        }
    }
}

/// The scores of `eval event-location`.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct EventLocationReport {
    /// Records scored (with one VERB span).
    pub records: usize,
    /// Records whose gold names a place for the event.
    pub gold_places: usize,
    /// Records for which we name a place.
    pub predicted_places: usize,
    /// Records where our place is the gold one.
    pub correct: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Records whose verb starts an incident of ours; for the rest the place is the one the
    /// place rules attach to the verb itself.
    pub verb_is_incident: usize,
    /// Gold place spans the geoparser resolved at all (an upper bound on recall).
    pub gold_resolved: usize,
    /// One line per record that is not right, for reading.
    #[serde(skip)]
    pub lines: Vec<String>,
}

/// Scores the records of the archive at `path`: the gold relabels, or all with `all`.
pub fn eval_event_location(
    path: &Path,
    all: bool,
    source: &dyn PlaceSource,
) -> Result<EventLocationReport, EvalError> {
    let json = read_zip_member(path)?;
    let records: Vec<Record> = serde_json::from_slice(&json).map_err(|e| EvalError::Format {
        path: path.to_owned(),
        message: e.to_string(),
    })?;
    let chosen = records
        .iter()
        .filter(|r| all || r.source.as_deref() == Some(GOLD_SOURCE));
    Ok(score_records(chosen, source))
}

fn score_records<'r>(
    records: impl Iterator<Item = &'r Record>,
    source: &dyn PlaceSource,
) -> EventLocationReport {
    let mut report = EventLocationReport::default();
    for (n, record) in records.enumerate() {
        let Some(outcome) = score_record(n, record, source) else {
            continue;
        };
        report.records += 1;
        report.gold_places += usize::from(outcome.gold_place);
        report.gold_resolved += usize::from(outcome.gold_resolved);
        report.predicted_places += usize::from(outcome.predicted_place);
        report.correct += usize::from(outcome.correct);
        report.verb_is_incident += usize::from(outcome.verb_is_incident);
        if let Some(line) = outcome.line {
            report.lines.push(line);
        }
    }
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let (p, r) = (
        ratio(report.correct, report.predicted_places),
        ratio(report.correct, report.gold_places),
    );
    report.precision = round3(p);
    report.recall = round3(r);
    report.f1 = round3(if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    });
    report
}

struct Outcome {
    gold_place: bool,
    gold_resolved: bool,
    predicted_place: bool,
    correct: bool,
    verb_is_incident: bool,
    line: Option<String>,
}

fn score_record(n: usize, record: &Record, source: &dyn PlaceSource) -> Option<Outcome> {
    let text = &record.text;
    let verb = record.spans.iter().find(|s| s.label == "VERB")?;
    let verb = byte_range(text, record.char_range(verb)?)?;
    // Several spans may name the one place ("Sadr City in eastern Baghdad"): any is right.
    let golds: Vec<Range<usize>> = record
        .spans
        .iter()
        .filter(|s| s.label == "LOCATION")
        .filter_map(|s| record.char_range(s))
        .filter_map(|r| byte_range(text, r))
        .filter(|r| !r.is_empty())
        .collect();
    let gold = golds.first().cloned();
    let loaded = LoadedArticle {
        article: Article {
            id: format!("record-{n}"),
            title: None,
            publisher: None,
            published: None,
            url: None,
            text: text.clone(),
        },
        path: None,
        boilerplate: Vec::new(),
        title_range: None,
    };
    let (predicted, verb_is_incident) =
        article::place_for_event_word(&loaded, source, verb.clone());
    let predicted = predicted.filter(|p| !p.id.is_empty());
    let gold_places: Vec<PlaceRef> = source
        .mentions(&loaded)
        .into_iter()
        .filter(|m| {
            golds
                .iter()
                .any(|span| m.span.start < span.end && span.start < m.span.end)
        })
        .filter_map(|m| m.place)
        .collect();
    let correct = match (&predicted, &gold) {
        (Some(ours), Some(_)) => gold_places.iter().any(|g| {
            g.id == ours.id || crate::extract::places::distance_km(g, ours) <= SAME_PLACE_KM
        }),
        _ => false,
    };
    let line = (!correct && (gold.is_some() || predicted.is_some())).then(|| {
        let span = |r: &Option<Range<usize>>| {
            r.as_ref()
                .and_then(|r| text.get(r.clone()))
                .unwrap_or("-")
                .to_owned()
        };
        format!(
            "{:<8} verb {:?} gold {:?}{} ours {:?}: {}",
            match (&predicted, &gold) {
                (Some(_), Some(_)) => "wrong",
                (None, Some(_)) => "missed",
                _ => "spurious",
            },
            span(&Some(verb.clone())),
            span(&gold),
            // A gold place the geoparser does not resolve cannot be named right.
            if gold.is_some() && gold_places.is_empty() {
                " (unresolved)"
            } else {
                ""
            },
            predicted.as_ref().map_or("-", |p| p.name.as_str()),
            text
        )
    });
    Some(Outcome {
        line,
        gold_place: gold.is_some(),
        gold_resolved: !gold_places.is_empty(),
        predicted_place: predicted.is_some(),
        correct,
        verb_is_incident,
    })
}

/// Byte range of a range of chars (Unicode scalar values), if it lies inside the text.
fn byte_range(text: &str, chars: Range<usize>) -> Option<Range<usize>> {
    if chars.start > chars.end {
        return None;
    }
    let mut offsets = text.char_indices().map(|(i, _)| i).chain([text.len()]);
    let start = offsets.nth(chars.start)?;
    let end = if chars.end == chars.start {
        start
    } else {
        text.char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .nth(chars.end)?
    };
    Some(start..end)
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// The bytes of the archive's `.jsonl` member (stored or deflated), found through the
/// central directory so that members written with data descriptors read too.
fn read_zip_member(path: &Path) -> Result<Vec<u8>, EvalError> {
    let bytes = std::fs::read(path).map_err(|source| EvalError::Io {
        path: path.to_owned(),
        source,
    })?;
    let bad = |message: &str| EvalError::Format {
        path: path.to_owned(),
        message: format!("not a readable zip archive: {message}"),
    };
    let u16_at = |at: usize| -> Option<usize> {
        bytes
            .get(at..at + 2)
            .map(|b| usize::from(u16::from_le_bytes([b[0], b[1]])))
    };
    let u32_at = |at: usize| -> Option<usize> {
        bytes
            .get(at..at + 4)
            .and_then(|b| usize::try_from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])).ok())
    };
    // The end-of-central-directory record: its signature, searched from the end (a comment
    // may follow it).
    let eocd = (0..bytes.len().saturating_sub(21))
        .rev()
        .find(|&i| bytes.get(i..i + 4) == Some(b"PK\x05\x06"))
        .ok_or_else(|| bad("no end of central directory"))?;
    let entries = u16_at(eocd + 10).ok_or_else(|| bad("truncated"))?;
    let mut at = u32_at(eocd + 16).ok_or_else(|| bad("truncated"))?;
    for _ in 0..entries {
        if bytes.get(at..at + 4) != Some(b"PK\x01\x02") {
            return Err(bad("broken central directory"));
        }
        let field = |offset: usize| u16_at(at + offset).ok_or_else(|| bad("truncated"));
        let method = field(10)?;
        let compressed = u32_at(at + 20).ok_or_else(|| bad("truncated"))?;
        let (name_len, extra_len, comment_len) = (field(28)?, field(30)?, field(32)?);
        let local = u32_at(at + 42).ok_or_else(|| bad("truncated"))?;
        let name = bytes
            .get(at + 46..at + 46 + name_len)
            .map(String::from_utf8_lossy)
            .ok_or_else(|| bad("truncated"))?;
        at += 46 + name_len + extra_len + comment_len;
        if !name.ends_with(MEMBER_SUFFIX) || name.starts_with("__MACOSX") {
            continue;
        }
        if bytes.get(local..local + 4) != Some(b"PK\x03\x04") {
            return Err(bad("broken local header"));
        }
        let data = local
            + 30
            + u16_at(local + 26).ok_or_else(|| bad("truncated"))?
            + u16_at(local + 28).ok_or_else(|| bad("truncated"))?;
        let member = bytes
            .get(data..data + compressed)
            .ok_or_else(|| bad("member runs past the end"))?;
        return match method {
            0 => Ok(member.to_vec()),
            8 => {
                let mut out = Vec::new();
                flate2::read::DeflateDecoder::new(member)
                    .read_to_end(&mut out)
                    .map_err(|e| bad(&e.to_string()))?;
                Ok(out)
            }
            other => Err(bad(&format!("compression method {other} is not supported"))),
        };
    }
    Err(bad(&format!("no {MEMBER_SUFFIX} member")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_offsets_become_byte_offsets() {
        let text = "Raqqa’s east was hit";
        assert_eq!(byte_range(text, 0..5), Some(0..5));
        assert_eq!(byte_range(text, 8..12), Some(10..14));
        assert_eq!(byte_range(text, 20..20), Some(22..22));
        assert_eq!(byte_range(text, 19..25), None);
    }

    /// A zip archive with one deflated member, written by hand as zip tools do.
    fn zip_with(name: &str, content: &[u8]) -> Vec<u8> {
        let mut encoder =
            flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut encoder, content).expect("deflate");
        let data = encoder.finish().expect("deflate");
        let mut zip = Vec::new();
        let le16 = |v: usize| (v as u16).to_le_bytes();
        let le32 = |v: usize| (v as u32).to_le_bytes();
        zip.extend(b"PK\x03\x04");
        zip.extend([20, 0, 0, 0]);
        zip.extend(le16(8));
        zip.extend([0; 8]);
        zip.extend(le32(data.len()));
        zip.extend(le32(content.len()));
        zip.extend(le16(name.len()));
        zip.extend(le16(0));
        zip.extend(name.as_bytes());
        zip.extend(&data);
        let central = zip.len();
        zip.extend(b"PK\x01\x02");
        zip.extend([20, 0, 20, 0, 0, 0]);
        zip.extend(le16(8));
        zip.extend([0; 8]);
        zip.extend(le32(data.len()));
        zip.extend(le32(content.len()));
        zip.extend(le16(name.len()));
        zip.extend([0; 12]);
        zip.extend(le32(0));
        zip.extend(name.as_bytes());
        let central_len = zip.len() - central;
        zip.extend(b"PK\x05\x06");
        zip.extend([0; 4]);
        zip.extend(le16(1));
        zip.extend(le16(1));
        zip.extend(le32(central_len));
        zip.extend(le32(central));
        zip.extend(le16(0));
        zip
    }

    #[test]
    fn the_member_of_an_archive_is_read() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("records.zip");
        std::fs::write(&path, zip_with("records.jsonl", b"[1, 2, 3]")).expect("write");
        assert_eq!(read_zip_member(&path).expect("readable"), b"[1, 2, 3]");

        std::fs::write(&path, zip_with("other.txt", b"x")).expect("write");
        assert!(read_zip_member(&path).is_err());
        std::fs::write(&path, b"not a zip at all, just some text").expect("write");
        assert!(read_zip_member(&path).is_err());
    }
}
