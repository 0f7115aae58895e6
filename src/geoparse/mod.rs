//! The geoparser: finds place names in text and decides which place each one means.
//!
//! Recognition ([`recognise`]) matches every gazetteer name at once with Aho–Corasick over a
//! normalised copy of the text ([`normalise`]), then keeps the leftmost-longest matches that
//! look like names in the original (capitalised, not a person's name, not a common word
//! without evidence) and notes the cue word beside each ("province", "camp", "border").
//! Resolution ([`resolve`]) scores each candidate place by its prior (kind, feature code,
//! population), the cue, a ", State" qualifier and the document's other places (countries
//! and admin-1 areas they share, distance to them), so that "Rabia" in a story about
//! Nineveh is the Iraqi border town and not the Syrian village of the same name.
//! [`eval`] scores the whole on annotated corpora; [`cli`] holds the two subcommands.

pub mod eval;
// The name key lives beside the gazetteer that indexes by it; the geoparser uses the same key.
pub use crate::gazetteer::normalise;
pub mod recognise;
pub mod resolve;
mod words;

use std::ops::Range;

use serde::Serialize;

use crate::gazetteer::Gazetteer;

/// One place name found in a text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mention {
    /// Byte offsets in the text.
    pub span: Range<usize>,
    pub text: String,
    pub kind: MentionKind,
    /// The place meant, when one could be decided.
    pub place: Option<Resolved>,
    /// The word beside the name that decided the kind of place.
    pub cue: Option<Cue>,
}

/// A proper place name, or an adjective or demonym that stands for a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MentionKind {
    Place,
    /// "Iraqi", "Syrian", "Kurdish": resolved to the country or region.
    Demonym,
}

/// The word beside a name that tells what kind of place it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cue {
    Province,
    City,
    Town,
    Village,
    Camp,
    Prison,
    Border,
    Crossing,
    District,
    Mountain,
    Region,
    River,
    Dam,
    Lake,
    Airport,
}

impl Cue {
    pub fn as_str(self) -> &'static str {
        match self {
            Cue::Province => "province",
            Cue::City => "city",
            Cue::Town => "town",
            Cue::Village => "village",
            Cue::Camp => "camp",
            Cue::Prison => "prison",
            Cue::Border => "border",
            Cue::Crossing => "crossing",
            Cue::District => "district",
            Cue::Mountain => "mountain",
            Cue::Region => "region",
            Cue::River => "river",
            Cue::Dam => "dam",
            Cue::Lake => "lake",
            Cue::Airport => "airport",
        }
    }
}

/// The place a mention was resolved to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Resolved {
    /// The gazetteer id ("geonames:N" or "local:slug").
    pub id: String,
    /// How sure the resolver is, from 0 to 1.
    pub confidence: f32,
}

/// Finds and resolves every place name in the text.
pub fn geoparse(gaz: &Gazetteer, text: &str) -> Vec<Mention> {
    let whole = 0..text.len();
    geoparse_in(gaz, text, std::slice::from_ref(&whole))
}

/// Finds and resolves the place names inside `ranges` (byte ranges, e.g. an article's story
/// without its boilerplate), using the whole text as context for the resolution.
pub fn geoparse_in(gaz: &Gazetteer, text: &str, ranges: &[Range<usize>]) -> Vec<Mention> {
    let analysis = Analysis::run(gaz, text, resolve::Strategy::Context);
    analysis
        .mentions
        .into_iter()
        .filter(|m| {
            ranges
                .iter()
                .any(|r| r.start <= m.span.start && m.span.end <= r.end)
        })
        .collect()
}

/// Resolves given spans (gold toponyms, or names a user marked) with the whole text as
/// context. Returns one result per span, `None` where no gazetteer entry matches.
pub fn resolve_spans(
    gaz: &Gazetteer,
    text: &str,
    spans: &[Range<usize>],
    strategy: resolve::Strategy,
) -> Vec<Option<Resolved>> {
    let norm = normalise::normalise_text(text);
    let found = recognise::found_for_spans(gaz, text, &norm, spans);
    let resolved = resolve::resolve(gaz, text, &norm, &found, strategy);
    resolved
        .into_iter()
        .take(spans.len())
        .map(|r| r.and_then(|r| r.place))
        .collect()
}

/// The mentions of a text, with the intermediate results the evaluation reads.
pub(crate) struct Analysis {
    pub mentions: Vec<Mention>,
}

impl Analysis {
    pub fn run(gaz: &Gazetteer, text: &str, strategy: resolve::Strategy) -> Analysis {
        let norm = normalise::normalise_text(text);
        let found = recognise::recognise(gaz, text, &norm);
        let resolved = resolve::resolve(gaz, text, &norm, &found, strategy);
        let mut mentions = Vec::with_capacity(found.len());
        for (found, outcome) in found.iter().zip(resolved) {
            let Some(outcome) = outcome else {
                mentions.push(Mention {
                    span: found.span.clone(),
                    text: text.get(found.span.clone()).unwrap_or("").to_string(),
                    kind: found.mention_kind(),
                    place: None,
                    cue: found.cue,
                });
                continue;
            };
            let span = outcome.span.unwrap_or_else(|| found.span.clone());
            mentions.push(Mention {
                text: text.get(span.clone()).unwrap_or("").to_string(),
                span,
                kind: found.mention_kind(),
                place: outcome.place,
                cue: outcome.cue.or(found.cue),
            });
        }
        Analysis { mentions }
    }
}

#[cfg(test)]
mod region;
#[cfg(test)]
mod tests;
