//! Recognition: which stretches of the text are place names.
//!
//! Every run of up to [`Gazetteer::max_name_words`] words of the normalised text is looked
//! up in the gazetteer's name index (and among the demonyms). This finds exactly what an
//! Aho–Corasick automaton over all names would — every name that starts and ends at a word
//! boundary, overlapping ones included — without building one: over the 470,000 names of
//! the bundled gazetteer the automaton took 2.4 s to build per process, while the lookups
//! need no build and run at tens of MB/s. Then, from left to right, the longest match at
//! each position that passes the context rules is kept (leftmost-longest).

use std::ops::Range;

use super::normalise::{ARTICLES, BREAK, Normalised};
use super::words::{
    cue_after, cue_before, is_common_plural, is_common_word, is_direction_word, is_function_word,
    is_given_name, is_institution_word, is_language_cue_after, is_language_cue_before,
    is_name_particle, is_personal_title, is_place_preposition, is_place_type_word, is_role_noun,
    is_speech_verb,
};
use super::{Cue, MentionKind};
use crate::gazetteer::{Gazetteer, NameRef, Place, PlaceIndex, PlaceKind};

/// What a match stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A gazetteer name (its slot in the name index).
    Name(u32),
    /// A demonym or adjective for a place.
    Demonym(PlaceIndex),
}

/// A name match that starts and ends at word boundaries (normalised offsets, name only).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawMatch {
    pub start: usize,
    pub end: usize,
    pub target: Target,
}

/// Every gazetteer name and demonym in the normalised text, overlapping matches included.
pub fn raw_matches(gaz: &Gazetteer, normalised: &str) -> Vec<RawMatch> {
    let bytes = normalised.as_bytes();
    let max_words = gaz.max_name_words().clamp(1, 12);
    let mut matches = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        // The start of the next word.
        if bytes[at] == b' ' || (at > 0 && bytes[at - 1] != b' ') {
            at += 1;
            continue;
        }
        let start = at;
        let mut end = start;
        for _ in 0..max_words {
            if end >= bytes.len() || bytes[end] == BREAK as u8 {
                break;
            }
            while end < bytes.len() && bytes[end] != b' ' {
                end += 1;
            }
            let key = &normalised[start..end];
            let longer_names = gaz.is_name_prefix(key);
            if let Some(slot) = gaz.name_slot(key) {
                matches.push(RawMatch {
                    start,
                    end,
                    target: Target::Name(slot),
                });
            }
            if let Some(place) = gaz.demonym(key) {
                matches.push(RawMatch {
                    start,
                    end,
                    target: Target::Demonym(place),
                });
            }
            if !longer_names {
                break;
            }
            // Past the space to the next word.
            end += 1;
        }
        at += 1;
    }
    matches
}

/// A place name found in the text, before resolution.
#[derive(Debug, Clone)]
pub struct Found {
    /// Range in the normalised text.
    pub norm: Range<usize>,
    /// Range in the original text.
    pub span: Range<usize>,
    /// The normalised name.
    pub key: String,
    pub candidates: Vec<NameRef>,
    pub demonym: Option<PlaceIndex>,
    pub cue: Option<Cue>,
    /// Places named right after a comma ("Alexandria, La."): candidates for where it lies.
    pub qualifiers: Vec<PlaceIndex>,
    /// "Syrian border", "the border with Syria": the country named, and the phrase's span.
    pub border_phrase: Option<(PlaceIndex, Range<usize>)>,
    /// A common English word accepted on evidence; resolved with less confidence.
    pub common_word: bool,
    /// A given span that is not a gazetteer name as a whole, only a name inside it
    /// ("Carnegie Library" → Carnegie): weaker evidence for that name's places.
    pub inner: bool,
}

impl Found {
    pub fn mention_kind(&self) -> MentionKind {
        if self.demonym.is_some() {
            MentionKind::Demonym
        } else {
            MentionKind::Place
        }
    }
}

/// Finds the place names of a text.
pub fn recognise(gaz: &Gazetteer, text: &str, norm: &Normalised) -> Vec<Found> {
    let mut raw = raw_matches(gaz, &norm.text);
    // Leftmost first, then longest; a demonym before a name of the same stretch.
    raw.sort_by_key(|m| {
        (
            m.start,
            std::cmp::Reverse(m.end),
            matches!(m.target, Target::Name(_)),
        )
    });
    let context = Context::new(gaz, text, norm);
    let mut found: Vec<Found> = Vec::new();
    let mut taken_until = 0;
    for m in &raw {
        if m.start < taken_until {
            continue;
        }
        if let Some(accepted) = context.accept(m) {
            taken_until = m.end;
            found.push(accepted);
        }
    }
    // A name once read as part of a person's name ("Mark Zuckerberg", "Mr. Allen") is that
    // person wherever it stands alone in the same text, unless a cue says otherwise.
    let persons = context.persons.into_inner();
    if !persons.is_empty() {
        found.retain(|f| {
            f.demonym.is_some()
                || f.cue.is_some()
                || !f.qualifiers.is_empty()
                || !persons.contains(&f.key)
        });
    }
    propagate_list_cues(text, &mut found);
    add_abbreviated_areas(gaz, text, norm, &mut found);
    found
}

/// "Alexandria, La.", "WINNIPEG, Man. —": the abbreviated state or province after a found
/// town is a place name too, its admin-1 area.
fn add_abbreviated_areas(gaz: &Gazetteer, text: &str, norm: &Normalised, found: &mut Vec<Found>) {
    let mut added = Vec::new();
    for (i, f) in found.iter().enumerate() {
        if f.demonym.is_some() {
            continue;
        }
        let Some((span, key, place)) = abbreviation_after(gaz, text, f.span.end) else {
            continue;
        };
        let next_start = found.get(i + 1).map_or(usize::MAX, |n| n.span.start);
        if span.end > next_start {
            continue;
        }
        added.push((
            i + 1,
            Found {
                norm: norm.normalised_offset(span.start)..norm.normalised_offset(span.end),
                span,
                key,
                candidates: vec![NameRef {
                    place,
                    primary: true,
                }],
                demonym: None,
                cue: None,
                qualifiers: Vec::new(),
                border_phrase: None,
                common_word: false,
                inner: false,
            },
        ));
    }
    for (at, f) in added.into_iter().rev() {
        found.insert(at, f);
    }
}

/// The abbreviated state or province right after ", " at `end` ("Calif.", "W. Va.",
/// "B.C."): its span, normalised key and admin-1 entry. It must end with a full stop and
/// not run on into a word.
fn abbreviation_after(
    gaz: &Gazetteer,
    text: &str,
    end: usize,
) -> Option<(Range<usize>, String, PlaceIndex)> {
    let after = text.get(end..)?;
    let comma = after.strip_prefix(',')?;
    let start = end + 1 + (comma.len() - comma.trim_start_matches(' ').len());
    let rest = text.get(start..)?;
    if !rest.starts_with(|c: char| c.is_ascii_uppercase()) {
        return None;
    }
    // Longest first: "W. Va." before "W.".
    let ends: Vec<usize> = rest
        .char_indices()
        .take_while(|&(_, c)| c.is_ascii_alphabetic() || c == '.' || c == ' ')
        .filter(|&(at, c)| c == '.' && at < 8)
        .map(|(at, _)| at + 1)
        .collect();
    ends.into_iter().rev().find_map(|len| {
        let surface = rest.get(..len)?;
        if rest[len..].starts_with(|c: char| c.is_alphanumeric()) {
            return None;
        }
        let key = super::normalise::normalise_name(surface);
        let (country, area) = area_abbreviation(&key)?;
        let place = gaz.admin1(country, area)?;
        Some((start..start + len, key, place))
    })
}

/// Found names for given spans (gold toponyms): each span is looked up as a whole, then
/// without its article or "the", then as the longest name inside it.
pub fn found_for_spans(
    gaz: &Gazetteer,
    text: &str,
    norm: &Normalised,
    spans: &[Range<usize>],
) -> Vec<Found> {
    let context = Context::new(gaz, text, norm);
    spans
        .iter()
        .map(|span| {
            let start = norm.normalised_offset(span.start);
            let end = norm.normalised_offset(span.end);
            let slice = norm.text.get(start..end).unwrap_or("");
            let key = slice
                .trim_matches(|c| c == ' ' || c == BREAK)
                .replace(" | ", " ");
            let name_start = start + slice.find(|c| c != ' ' && c != BREAK).unwrap_or(0);
            let mut found = Found {
                norm: name_start..name_start + key.len(),
                span: span.clone(),
                key: key.clone(),
                candidates: Vec::new(),
                demonym: None,
                cue: None,
                qualifiers: Vec::new(),
                border_phrase: None,
                common_word: false,
                inner: false,
            };
            for variant in key_variants(&key) {
                // A demonym first: "Canadian" is the adjective before it is a Texas town.
                if let Some(place) = gaz.demonym(&variant) {
                    found.demonym = Some(place);
                    found.key = variant;
                    break;
                }
                if let Some(place) = area_abbreviation(&variant)
                    .and_then(|(country, area)| gaz.admin1(country, area))
                {
                    found.candidates = vec![NameRef {
                        place,
                        primary: true,
                    }];
                    found.key = variant;
                    break;
                }
                let candidates = gaz.lookup(&variant);
                if !candidates.is_empty() {
                    found.candidates = candidates.to_vec();
                    found.key = variant;
                    break;
                }
            }
            if found.candidates.is_empty() && found.demonym.is_none() {
                leading_area(gaz, &key, &mut found);
            }
            if found.candidates.is_empty() && found.demonym.is_none() {
                // The longest name inside the span ("Rapides Parish Fire District" → Rapides Parish).
                let padded = format!(" {key} ");
                let inner = raw_matches(gaz, &padded)
                    .into_iter()
                    .filter_map(|m| match m.target {
                        Target::Name(slot) => Some((m.end - m.start, slot, m.start, m.end)),
                        Target::Demonym(_) => None,
                    })
                    .filter(|(_, slot, start, end)| {
                        let name = &padded[*start..*end];
                        // Short or common words alone are not enough ("Royal Street",
                        // "Convention Centre", "Central District Court"), unless they name a
                        // country ("Bank of Japan").
                        has_telling_word(name)
                            || gaz.name_postings(*slot).iter().any(|r| {
                                r.primary
                                    && (gaz.place(r.place).kind == PlaceKind::Country
                                        // A state or province leading the span ("Colorado
                                        // State", "Colorado" being also a word).
                                        || (*start == 1
                                            && gaz.place(r.place).kind == PlaceKind::Admin1))
                            })
                    })
                    .max_by_key(|(len, _, at, _)| (*len, std::cmp::Reverse(*at)));
                if let Some((_, slot, start, end)) = inner {
                    found.candidates = gaz.name_postings(slot).to_vec();
                    found.key = padded[start..end].to_string();
                    found.inner = true;
                    // "Bank of Japan", "University of Alberta", "Council of Europe": an
                    // institution of a country, province or continent stands for it.
                    if padded[..start].ends_with(" of ")
                        && padded[..start].split(' ').any(is_institution_word)
                    {
                        let areas: Vec<NameRef> = found
                            .candidates
                            .iter()
                            .copied()
                            .filter(|r| is_named_for_area(gaz.place(r.place)))
                            .collect();
                        if !areas.is_empty() {
                            found.candidates = areas;
                            found.inner = false;
                        }
                    }
                }
            }
            found.cue = context.cue_for(&found);
            found.qualifiers = context.qualifiers_after(found.norm.end, found.span.end);
            found
        })
        .collect()
}

/// Whether a name inside a longer span says something alone: a word that is not short,
/// common or a compass word.
fn has_telling_word(name: &str) -> bool {
    name.split(' ').any(|word| {
        word.len() > 3
            && !is_function_word(word)
            && !is_common_word(word)
            && !is_direction_word(word)
    })
}

/// A city this populous lends its name to institutions known beyond it ("London Guildhall
/// School", "New York Auto Show").
const INSTITUTION_CITY_POPULATION: u64 = 100_000;

/// Whether an institution named after this place stands for it: countries, provinces,
/// continents and regions that span countries.
fn is_named_for_area(place: &Place) -> bool {
    match place.kind {
        PlaceKind::Country | PlaceKind::Admin1 | PlaceKind::Continent => true,
        PlaceKind::Region | PlaceKind::Area => place.country.is_none(),
        _ => false,
    }
}

/// A span outside the gazetteer that begins with an area's name or a people's adjective
/// ("Arizona State University", "European Commission", "Iowa House") stands for that area; a
/// big city's name counts too ("London Guildhall School"), a small town's does not ("Carnegie
/// Library" is placed by the story's focus).
fn leading_area(gaz: &Gazetteer, key: &str, found: &mut Found) {
    let padded = format!(" {key} ");
    let body = if padded.starts_with(" the ") { 5 } else { 1 };
    let Some(lead) = raw_matches(gaz, &padded)
        .into_iter()
        .filter(|m| m.start == body && m.end + 1 < padded.len())
        .max_by_key(|m| (m.end, matches!(m.target, Target::Name(_))))
    else {
        return;
    };
    let name = padded[lead.start..lead.end].to_string();
    // A body's name, not a quarter, street or river's ("French Quarter", "Mississippi
    // River"), and led by a name that says something ("North State Street" is no body of the
    // North).
    let body_words = padded[lead.end..].split(' ').any(is_institution_word);
    if !body_words || !has_telling_word(&name) {
        return;
    }
    match lead.target {
        Target::Demonym(place) => {
            found.demonym = Some(place);
            found.key = name;
        }
        Target::Name(slot) => {
            let areas: Vec<NameRef> = gaz
                .name_postings(slot)
                .iter()
                .copied()
                .filter(|r| {
                    let place = gaz.place(r.place);
                    is_named_for_area(place)
                        || (place.kind.is_settlement()
                            && place.population >= INSTITUTION_CITY_POPULATION)
                })
                .collect();
            if !areas.is_empty() {
                found.candidates = areas;
                found.key = name;
            }
        }
    }
}

/// The ways a given span may be written in the gazetteer.
fn key_variants(key: &str) -> Vec<String> {
    let mut variants = vec![key.to_string()];
    let mut push = |v: &str| {
        if !v.is_empty() && !variants.iter().any(|x| x == v) {
            variants.push(v.to_string());
        }
    };
    let without_the = key.strip_prefix("the ").unwrap_or(key);
    push(without_the);
    let without_possessive = without_the.strip_suffix(" s").unwrap_or(without_the);
    push(without_possessive);
    if let Some(bare) = super::normalise::strip_article(without_possessive) {
        push(bare);
    }
    variants
}

/// After "the provinces of Kirkuk, Anbar, Nineveh, and Salahaddin", every name of the list
/// takes the cue of the first.
fn propagate_list_cues(text: &str, found: &mut [Found]) {
    for i in 1..found.len() {
        if found[i].cue.is_some() {
            continue;
        }
        let Some(previous_cue) = found[i - 1].cue else {
            continue;
        };
        let between = text
            .get(found[i - 1].span.end..found[i].span.start)
            .unwrap_or("")
            .trim();
        if matches!(between, "," | "and" | ", and" | "or" | ", or" | "&") {
            found[i].cue = Some(previous_cue);
        }
    }
}

/// A place this populous is spoken for by its government ("Beijing said"); a smaller one's
/// name before "said" is mostly a surname ("Johnson said").
const SPEAKING_PLACE_POPULATION: u64 = 100_000;

/// What the rules need to know about the text around a match.
struct Context<'a> {
    gaz: &'a Gazetteer,
    text: &'a str,
    norm: &'a Normalised,
    /// Names seen as part of a person's name in this text.
    persons: std::cell::RefCell<std::collections::HashSet<String>>,
    /// Each line's start and whether it reads as a headline.
    lines: Vec<(usize, bool)>,
}

impl<'a> Context<'a> {
    fn new(gaz: &'a Gazetteer, text: &'a str, norm: &'a Normalised) -> Self {
        let mut lines = Vec::new();
        let mut start = 0;
        for line in text.split_inclusive('\n') {
            lines.push((start, is_title_case(line)));
            start += line.len();
        }
        Context {
            gaz,
            text,
            norm,
            persons: Default::default(),
            lines,
        }
    }

    /// The line holding `offset`: its start and whether it is a headline.
    fn line_of(&self, offset: usize) -> (usize, bool) {
        let index = self.lines.partition_point(|(start, _)| *start <= offset);
        self.lines
            .get(index.wrapping_sub(1))
            .copied()
            .unwrap_or((0, false))
    }

    /// Checks a match against the context rules; the accepted name with its cue and
    /// qualifiers, or `None`.
    fn accept(&self, m: &RawMatch) -> Option<Found> {
        let key = self.norm.text.get(m.start..m.end)?;
        let span = self.norm.original_range(m.start..m.end);
        let surface = self.text.get(span.clone())?;
        let tokens: Vec<&str> = key.split(' ').collect();
        let words: Vec<&str> = surface
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        let headline = self.is_headline(span.start);
        let sentence_start = self.is_sentence_start(span.start);

        let (candidates, demonym) = match m.target {
            Target::Name(k) => (self.gaz.name_postings(k).to_vec(), None),
            Target::Demonym(place) => (Vec::new(), Some(place)),
        };
        if demonym.is_some() {
            if !starts_upper(surface) || self.is_language(m) {
                return None;
            }
            let mut found = Found {
                norm: m.start..m.end,
                span: span.clone(),
                key: key.to_string(),
                candidates: Vec::new(),
                demonym,
                cue: self.cue_after_name(m.end),
                qualifiers: Vec::new(),
                border_phrase: None,
                common_word: false,
                inner: false,
            };
            found.border_phrase = self.border_phrase(&found);
            return Some(found);
        }
        // A language ("in Spanish") is no town of its name either (Spanish, Ontario).
        if self.gaz.demonym(key).is_some() && self.is_language(m) {
            return None;
        }
        let kinds = |pred: &dyn Fn(PlaceKind) -> bool| {
            candidates
                .iter()
                .any(|r| pred(self.gaz.place(r.place).kind))
        };
        let is_regional = |k: PlaceKind| {
            matches!(
                k,
                PlaceKind::Region
                    | PlaceKind::Border
                    | PlaceKind::Area
                    | PlaceKind::Country
                    | PlaceKind::Continent
            )
        };
        // An area or a big city may be spoken of like a person ("Beijing said"); a small
        // town's name in a person's place is a surname ("Johnson said").
        let speaks_for_itself = || {
            candidates.iter().any(|r| {
                let place = self.gaz.place(r.place);
                is_regional(place.kind)
                    || place.kind == PlaceKind::Admin1
                    || place.population >= SPEAKING_PLACE_POPULATION
            })
        };

        // Capitalisation: the first word that is not an article or a compass word must be
        // capitalised; multi-word regions ("disputed territories") may be lower-case.
        let head_word = tokens
            .iter()
            .position(|t| !ARTICLES.contains(t) && !is_direction_word(t))
            .unwrap_or(0);
        let head_upper = if words.len() == tokens.len() {
            words.get(head_word).is_some_and(|w| starts_upper(w))
        } else {
            starts_upper(surface)
        };
        let regional_phrase = tokens.len() >= 2
            && candidates.iter().all(|r| {
                let place = self.gaz.place(r.place);
                is_regional(place.kind) && place.id.starts_with("local:")
            });
        if !head_upper && !regional_phrase {
            return None;
        }
        let all_caps =
            surface.chars().any(char::is_alphabetic) && !surface.chars().any(char::is_lowercase);
        // "US" is a country, "us" a pronoun.
        let country_acronym = all_caps && !headline && kinds(&|k| k == PlaceKind::Country);
        if tokens.len() == 1
            && !country_acronym
            && (is_function_word(key) || ARTICLES.contains(&key) || is_group_adjective(key))
        {
            return None;
        }
        // Some word of the name must be a capitalised name word, not only "The" and a cue
        // ("The camp"), and the lower-case words must be small words, compass words or cues
        // ("al-Hol camp", "northeast Syria"), not "The meeting".
        if !regional_phrase && words.len() == tokens.len() {
            // The article assimilated and written with "e" is small too ("Deir ez-Zor";
            // "Ras el-Ain" is already "el"), and so is the Persian "-e" ("Qasr-e Shirin").
            let small = |t: &str| {
                is_function_word(t)
                    || ARTICLES.contains(&t)
                    || matches!(
                        t,
                        "ez" | "es" | "esh" | "ed" | "er" | "et" | "eth" | "en" | "e"
                    )
                    || is_direction_word(t)
                    || t == "air"
            };
            let mut has_name_word = false;
            for (token, word) in tokens.iter().zip(&words) {
                if starts_upper(word) {
                    has_name_word |=
                        country_acronym || (!small(token) && cue_after(token).is_none());
                } else if !small(token) && cue_after(token).is_none() {
                    return None;
                }
            }
            if !has_name_word {
                return None;
            }
        }

        // "7 a.m. CT", "10:22 AM ET": a time zone, not Connecticut.
        if all_caps
            && matches!(key, "ct" | "et" | "pt" | "mt" | "ast")
            && previous_tokens(&self.norm.text, m.start, 1)
                .first()
                .is_some_and(|w| {
                    matches!(*w, "am" | "pm" | "m") || w.bytes().all(|b| b.is_ascii_digit())
                })
        {
            return None;
        }
        let dateline = self.is_dateline(&span);
        if tokens.len() == 1 && all_caps && key.len() <= 4 && !dateline && !headline {
            // An acronym ("ISIS", "SDF", "UAE"): only countries and regions are written so.
            if !kinds(&|k| is_regional(k) || k == PlaceKind::Admin1) {
                return None;
            }
        } else if tokens.len() == 1 && key.len() <= 3 && !all_caps {
            // Very short names ("Ur", "Hit") only as their place's own name.
            if !candidates.iter().any(|r| r.primary) {
                return None;
            }
        }

        let previous = self.previous_word(span.start);
        let next = self.next_word(span.end);
        // A personal title before the name: "Mr Jordan", "Coach Jordan said".
        if let Some(word) = previous.as_ref()
            && word.joined
            && word.capitalised
            && is_personal_title(&word.normalised)
        {
            return self.person(key);
        }
        // "his son James", "spokesman Stuart Green": a lower-case noun of kin or occupation.
        if let Some(word) = previous.as_ref()
            && word.joined
            && !word.capitalised
            && !word.across_article
            && is_role_noun(&word.normalised)
            && !kinds(&|k| is_regional(k) || k == PlaceKind::Admin1)
        {
            return self.person(key);
        }
        // "O’Leary", "D’Angelo": an Irish or Italian surname.
        if let Some(before) = self.text[..span.start]
            .strip_suffix(['’', '\''])
            .and_then(|b| b.strip_suffix(['O', 'D']))
            && !before.ends_with(char::is_alphanumeric)
        {
            return self.person(key);
        }

        let cue = self
            .cue_after_name(m.end)
            .or_else(|| self.cue_before_name(m.start));
        let qualifiers = self.qualifiers_after(m.end, span.end);
        // A qualifier is evidence only when it fits a candidate: "Estey's Bridge, N.B." says
        // nothing for a village called Bridge in England.
        // "in the desert north of Hit": a bearing from a name says the name is a place.
        let bearing = matches!(
            previous_tokens(&self.norm.text, m.start, 3).as_slice(),
            [.., dir, "of"] if is_direction_word(dir)
        );
        let evidence = cue.is_some()
            || bearing
            || candidates
                .iter()
                .any(|r| lies_in_qualifier(self.gaz, r.place, &qualifiers));

        // Part of a person's name: "Michael Jordan", "Fuad Hussein", "Mustafa Al Kadhimi".
        if !headline && !evidence {
            if let Some(word) = previous.as_ref()
                && (word.looks_like_given_name(self.gaz)
                    || (word.is_initial && word.joined && !word.across_article)
                    || (word.across_article
                        && word.capitalised
                        && !word.sentence_start
                        && !is_place_prefix(&word.normalised)))
            {
                return self.person(key);
            }
            // "Scott Roberts", "John F. Kennedy": a given name, then a name. A surname that
            // is also a word ("Helen Morris", "Adam Smith") counts after a small place's name
            // where the name ends there; after a city's it may be a team ("Charlotte
            // Hornets"), and before another capital a body ("Rhea Public Library").
            let word_surname = |word: &Word| {
                !is_personal_title(&word.normalised)
                    && !is_place_type_word(&word.normalised)
                    && !speaks_for_itself()
                    && !self
                        .next_word(span.end + 1 + word.length)
                        .is_some_and(|after| after.capitalised)
            };
            if tokens.len() == 1
                && is_given_name(key)
                && let Some(word) = next.as_ref()
                && word.joined
                && word.capitalised
                && (word.is_initial
                    || (!word.all_caps
                        && (!is_common_word(&word.normalised) || word_surname(word))
                        && !is_thoroughfare(&word.normalised)
                        && !is_function_word(&word.normalised)
                        && !is_direction_word(&word.normalised)
                        && cue_after(&word.normalised).is_none()
                        && self.gaz.demonym(&word.normalised).is_none()
                        && !is_big_area_name(self.gaz, &word.normalised)))
            {
                if !word.is_initial {
                    self.person(&word.normalised);
                }
                return self.person(key);
            }
            if tokens.len() == 1
                && let Some(word) = next.as_ref()
                && word.joined
                && (word.looks_like_surname(self.gaz) || word.is_name_particle_before_name)
            {
                // The surname stands for the person elsewhere, but a country's name stays a
                // country's ("Star India", "Michael Jordan").
                if word.looks_like_surname(self.gaz) {
                    self.person(&word.normalised);
                }
                return None;
            }
        }

        // "Johnson said", "Willis told reporters": a small place's name before a verb of
        // speech is a surname, unless a preposition places it ("a man from Dewsbury said").
        if !headline
            && !evidence
            && tokens.len() == 1
            && next
                .as_ref()
                .is_some_and(|w| w.joined && is_speech_verb(&w.normalised))
            && !previous_tokens(&self.norm.text, m.start, 1)
                .first()
                .is_some_and(|w| is_place_preposition(w))
            && !speaks_for_itself()
        {
            return self.person(key);
        }

        // A common English word ("Hope", "Mobile", "Of") needs evidence that it is a place.
        let common_word = tokens.len() == 1
            && (is_common_word(key)
                || (is_common_plural(key)
                    && !kinds(&|k| is_regional(k) || k == PlaceKind::Admin1)));
        // A story's dateline is where it was written: "MANILA —", "MOBILE, Ala. —".
        let opens_the_story = all_caps && super::resolve::is_dateline(self.text, &span);
        if common_word && !evidence && !opens_the_story {
            // Countries, continents, seas and groups of countries are names before they are
            // words ("the Atlantic", "the EU").
            let prominent = candidates.iter().any(|r| {
                let place = self.gaz.place(r.place);
                matches!(place.kind, PlaceKind::Country | PlaceKind::Continent)
                    || (place.kind.spans_countries() && place.country.is_none())
                    || (place.population >= 500_000 && !sentence_start && !headline)
            });
            if !prominent {
                return None;
            }
        }

        // "Rashid Street", "Haifa Street": a street named after a place lies in the town
        // around it, not in the place it is named after.
        let street_end = next
            .as_ref()
            .filter(|w| w.joined && w.capitalised && is_thoroughfare(&w.normalised))
            .map(|w| span.end + 1 + w.length);
        Some(Found {
            norm: m.start..m.end,
            span: span.start..street_end.unwrap_or(span.end),
            key: key.to_string(),
            candidates,
            demonym: None,
            cue: trailing_cue(&tokens).or(cue),
            qualifiers,
            border_phrase: None,
            common_word,
            inner: street_end.is_some(),
        })
        .map(|mut f| {
            f.border_phrase = self.border_phrase(&f);
            f
        })
    }

    /// Whether a people's adjective names a language here: "in English, it means",
    /// "speaks Spanish", "English language learners".
    fn is_language(&self, m: &RawMatch) -> bool {
        let next = next_tokens(&self.norm.text, m.end, 1);
        if next.first().is_some_and(|w| is_language_cue_after(w)) {
            return true;
        }
        // "in French" but not "in French territory": nothing of a noun phrase follows.
        let phrase_ends = next.first().is_none_or(|w| is_function_word(w));
        phrase_ends && is_language_cue_before(&previous_tokens(&self.norm.text, m.start, 2))
    }

    /// Notes a one-word name as a person's (for the rest of the text) and rejects it.
    fn person(&self, key: &str) -> Option<Found> {
        // Countries and provinces keep their standing: "DeSmog Canada" is a magazine, and
        // Canada elsewhere in the text is still the country.
        let area = self.gaz.lookup(key).iter().any(|r| {
            matches!(
                self.gaz.place(r.place).kind,
                PlaceKind::Continent | PlaceKind::Country | PlaceKind::Region | PlaceKind::Admin1
            )
        });
        if !key.contains(' ') && !area {
            self.persons.borrow_mut().insert(key.to_string());
        }
        None
    }

    /// The cue for a given span: its own last word, the word after, or the words before.
    fn cue_for(&self, found: &Found) -> Option<Cue> {
        let tokens: Vec<&str> = found.key.split(' ').collect();
        trailing_cue(&tokens)
            .or_else(|| self.cue_after_name(found.norm.end))
            .or_else(|| self.cue_before_name(found.norm.start))
    }

    fn cue_after_name(&self, end: usize) -> Option<Cue> {
        let next = next_tokens(&self.norm.text, end, 2);
        match next.as_slice() {
            [
                "refugee" | "displacement" | "detention" | "displaced" | "idp",
                "camp",
                ..,
            ] => Some(Cue::Camp),
            ["border", "crossing", ..] => Some(Cue::Crossing),
            ["central", "prison", ..] => Some(Cue::Prison),
            [first, ..] => cue_after(first),
            [] => None,
        }
    }

    fn cue_before_name(&self, start: usize) -> Option<Cue> {
        let previous = previous_tokens(&self.norm.text, start, 2);
        cue_before(&previous)
    }

    /// Countries and admin-1 areas named right after a comma: "Alexandria, La.".
    fn qualifiers_after(&self, norm_end: usize, span_end: usize) -> Vec<PlaceIndex> {
        let after = self.text.get(span_end..).unwrap_or("");
        let after = after.trim_start_matches([' ', '\t']);
        if !after.starts_with(',') {
            return Vec::new();
        }
        let rest = self.norm.text.get(norm_end..).unwrap_or("");
        let rest = rest.trim_start_matches([' ', BREAK]);
        let tokens: Vec<&str> = rest
            .split(' ')
            .take_while(|t| !t.is_empty() && *t != "|")
            .take(3)
            .collect();
        let mut places = Vec::new();
        for n in (1..=tokens.len()).rev() {
            let phrase = tokens[..n].join(" ");
            for r in self.gaz.lookup(&phrase) {
                let place = self.gaz.place(r.place);
                if matches!(place.kind, PlaceKind::Country | PlaceKind::Admin1) {
                    places.push(r.place);
                }
            }
            if let Some((country, area)) = area_abbreviation(&phrase)
                && let Some(place) = self.gaz.admin1(country, area)
            {
                places.push(place);
            }
            if !places.is_empty() {
                break;
            }
        }
        places
    }

    /// "Syrian border", "Syria border", "(the) border(s) with (neighbouring) Syria".
    fn border_phrase(&self, found: &Found) -> Option<(PlaceIndex, Range<usize>)> {
        let is_country = |p: PlaceIndex| self.gaz.place(p).kind == PlaceKind::Country;
        let country = found.demonym.filter(|&p| is_country(p)).or_else(|| {
            found
                .candidates
                .iter()
                .map(|r| r.place)
                .find(|&p| is_country(p))
        })?;
        if found.cue == Some(Cue::Border) && !found.key.ends_with(" border") {
            let next = next_tokens(&self.norm.text, found.norm.end, 1);
            let word_end = found.norm.end + 1 + next.first().map_or(0, |w| w.len());
            let end = self.norm.original_range(found.norm.end + 1..word_end).end;
            return Some((country, found.span.start..end.max(found.span.end)));
        }
        let previous = previous_tokens(&self.norm.text, found.norm.start, 3);
        let phrase_len = match previous.as_slice() {
            [.., "border" | "borders" | "frontier", "with"] => 2,
            [
                "border" | "borders" | "frontier",
                "with",
                "neighbouring" | "neighboring",
            ] => 3,
            _ => return None,
        };
        let mut start = found.norm.start;
        for word in previous.iter().rev().take(phrase_len) {
            start -= word.len() + 1;
        }
        let original_start = self.norm.original_offset(start);
        Some((country, original_start..found.span.end))
    }

    /// The original word just before `offset`, across spaces and an article ("Al", "al-").
    fn previous_word(&self, offset: usize) -> Option<Word> {
        let mut end = offset;
        for _ in 0..2 {
            let before = self.text.get(..end)?;
            let trimmed = before.trim_end_matches([' ', '-']);
            if trimmed.len() == before.len() && end == offset {
                return None;
            }
            let gap = &before[trimmed.len()..];
            if gap.contains('\n') || trimmed.is_empty() {
                return None;
            }
            let start = trimmed
                .rfind(|c: char| !c.is_alphanumeric() && c != '.')
                .map_or(0, |at| {
                    at + trimmed[at..].chars().next().map_or(1, char::len_utf8)
                });
            let raw = &trimmed[start..];
            let word = raw.trim_end_matches('.');
            if word.is_empty() {
                return None;
            }
            // "…Karabakh. Azerbaijan": a full stop after a word (not "Mr.", "St.") ends the
            // sentence, and the word is no part of a name.
            if word.len() < raw.len()
                && word.chars().count() > 3
                && !is_personal_title(&word.to_lowercase())
            {
                return None;
            }
            let normalised = word.to_lowercase();
            if ARTICLES.contains(&normalised.as_str()) {
                end = start;
                continue;
            }
            return Some(Word {
                length: word.len(),
                capitalised: starts_upper(word),
                all_caps: !word.chars().any(char::is_lowercase),
                sentence_start: self.is_sentence_start(start),
                normalised: super::normalise::normalise_name(word),
                joined: gap == " " || (end != offset && matches!(gap, " " | "-")),
                is_name_particle_before_name: false,
                across_article: end != offset,
                // "Jon R. Taylor": a middle initial, but not "W. Columbia", "N. Bedford".
                is_initial: raw.len() == 2
                    && word.len() == 1
                    && word.chars().all(char::is_uppercase)
                    && !matches!(word, "N" | "S" | "E" | "W"),
            });
        }
        None
    }

    /// The original word just after `offset` (one space between, or a hyphen).
    fn next_word(&self, offset: usize) -> Option<Word> {
        let after = self.text.get(offset..)?;
        let trimmed = after.trim_start_matches([' ', '-']);
        let gap = &after[..after.len() - trimmed.len()];
        if gap.is_empty() || gap.contains('\n') {
            return None;
        }
        let end = trimmed
            .find(|c: char| !c.is_alphanumeric())
            .unwrap_or(trimmed.len());
        let word = &trimmed[..end];
        if word.is_empty() {
            return None;
        }
        let normalised = super::normalise::normalise_name(word);
        // "Sabah al-Numan", "Osama bin Laden": an Arabic name particle, then a name.
        let particle = (ARTICLES.contains(&normalised.as_str()) || is_name_particle(&normalised))
            && trimmed[end..]
                .trim_start_matches([' ', '-'])
                .chars()
                .next()
                .is_some_and(char::is_uppercase);
        Some(Word {
            length: word.len(),
            capitalised: starts_upper(word),
            all_caps: !word.chars().any(char::is_lowercase),
            sentence_start: false,
            normalised,
            joined: gap == " ",
            is_name_particle_before_name: particle,
            across_article: false,
            // "John F. Kennedy"; "Michael O’Leary", "Robert D’Angelo" begin a surname too.
            is_initial: word.len() == 1
                && word.chars().all(char::is_uppercase)
                && (trimmed[end..].starts_with('.')
                    || (matches!(word, "O" | "D") && trimmed[end..].starts_with(['’', '\'']))),
        })
    }

    /// Whether the original offset starts a sentence (or a line).
    fn is_sentence_start(&self, offset: usize) -> bool {
        let before = self.text.get(..offset).unwrap_or("");
        for c in before.chars().rev() {
            match c {
                ' ' | '\t' | '"' | '\'' | '“' | '‘' | '(' | '[' | '*' | '-' | '–' | '—' => {
                    continue;
                }
                '.' => {
                    // "Rep. Jay Jordan", "St. Louis": the full stop of an abbreviation.
                    let Some(at) = before
                        .trim_end_matches([
                            ' ', '\t', '"', '\'', '“', '‘', '(', '[', '*', '-', '–', '—',
                        ])
                        .strip_suffix('.')
                    else {
                        return true;
                    };
                    let word = at.rsplit(|c: char| !c.is_alphabetic()).next().unwrap_or("");
                    return !(word.chars().count() <= 2 || is_personal_title(&word.to_lowercase()));
                }
                '!' | '?' | ':' | '\n' | '\r' | '|' => return true,
                _ => return false,
            }
        }
        true
    }

    /// Whether the line around `offset` is written in title case, like a headline, where
    /// capitals say nothing about names.
    fn is_headline(&self, offset: usize) -> bool {
        self.line_of(offset).1
    }

    /// "ERBIL, Kurdistan Region -": a capitalised place at the start of a line, then a comma.
    fn is_dateline(&self, span: &Range<usize>) -> bool {
        let line_start = self.line_of(span.start).0;
        self.text
            .get(line_start..span.start)
            .is_some_and(|before| before.trim().is_empty())
            && self.text[span.end..].starts_with(',')
    }
}

/// A word beside a match, as the person-name rules see it.
#[derive(Debug)]
struct Word {
    normalised: String,
    /// Its length in bytes in the original text.
    length: usize,
    capitalised: bool,
    all_caps: bool,
    sentence_start: bool,
    /// Separated from the match by exactly one space.
    joined: bool,
    is_name_particle_before_name: bool,
    /// An Arabic article stood between it and the match ("Sabah al-Numan").
    across_article: bool,
    /// A middle initial: one capital and a full stop ("John F. Kennedy").
    is_initial: bool,
}

impl Word {
    /// A capitalised word before the match that reads as a given name: not a place-ish
    /// word, not a function word, not the capital of a sentence's first common word.
    fn looks_like_given_name(&self, gaz: &Gazetteer) -> bool {
        self.joined
            && self.capitalised
            && !self.all_caps
            && !is_function_word(&self.normalised)
            && !is_direction_word(&self.normalised)
            && cue_after(&self.normalised).is_none()
            && !is_place_prefix(&self.normalised)
            && gaz.demonym(&self.normalised).is_none()
            && !is_big_area_name(gaz, &self.normalised)
            // "Jay Roberts": a given name even where it is also a word.
            && (!is_common_word(&self.normalised)
                || (is_given_name(&self.normalised) && !self.sentence_start))
    }

    /// A capitalised word after a one-word match that reads as a surname ("Jordan Peterson").
    fn looks_like_surname(&self, gaz: &Gazetteer) -> bool {
        self.capitalised
            && !self.all_caps
            && !is_function_word(&self.normalised)
            && cue_after(&self.normalised).is_none()
            && gaz.demonym(&self.normalised).is_none()
            // "Michael Jordan": a country's name right after a name, no comma between;
            // "Jordan Peterson": a word that is neither common nor a place. But "Chicago
            // Bulls", "Washington Post" are organisations named after the place.
            && (is_big_area_name(gaz, &self.normalised)
                || (!is_common_word(&self.normalised) && gaz.lookup(&self.normalised).is_empty()))
    }
}

/// Whether a line is written in title case (most of its longer words capitalised).
fn is_title_case(line: &str) -> bool {
    let mut long_words = 0;
    let mut capitalised = 0;
    for word in line.split(|c: char| !c.is_alphanumeric()) {
        if word.len() >= 4 && word.chars().all(char::is_alphabetic) {
            long_words += 1;
            if starts_upper(word) {
                capitalised += 1;
            }
        }
    }
    long_words >= 3 && capitalised * 10 >= long_words * 7
}

/// Adjectives of peoples and faiths that are also the names of a few villages ("Arab").
fn is_group_adjective(word: &str) -> bool {
    matches!(
        word,
        "arab"
            | "arabs"
            | "arabic"
            | "sunni"
            | "shia"
            | "shiite"
            | "shiites"
            | "yazidi"
            | "yezidi"
            | "christian"
            | "muslim"
            | "islamic"
            | "jewish"
            | "assyrian"
            | "druze"
            | "alawite"
            | "western"
            | "eastern"
            | "english"
            // Organisations and feasts, not the villages of the same name.
            | "hamas"
            | "hezbollah"
            | "taliban"
            | "daesh"
            | "isis"
            | "isil"
            | "nato"
            | "fatah"
            | "christmas"
            | "easter"
            | "passover"
            | "ramadan"
            | "thanksgiving"
            | "halloween"
            | "olympic"
            | "olympics"
            | "european"
            | "african"
            | "asian"
            | "latin"
            | "bedouin"
            | "chaldean"
    )
}

/// Words that begin place names rather than persons' names ("Fort", "Saint", "New").
fn is_place_prefix(word: &str) -> bool {
    matches!(
        word,
        "fort"
            | "ft"
            | "port"
            | "saint"
            | "st"
            | "san"
            | "santa"
            | "sao"
            | "new"
            | "old"
            | "little"
            | "great"
            | "mount"
            | "mt"
            | "lake"
            | "cape"
            | "tel"
            | "tal"
            | "tell"
            | "ras"
            | "ain"
            | "ayn"
            | "jabal"
            | "jebel"
            | "wadi"
            | "kafr"
            | "deir"
            | "bab"
            | "abu"
    )
}

/// Words that make a street or a road of the name before them.
fn is_thoroughfare(word: &str) -> bool {
    matches!(
        word,
        "street" | "road" | "avenue" | "boulevard" | "lane" | "highway" | "square" | "bridge"
    )
}

/// A country's or a region's name ("Iraq", "Kurdistan"): never part of a person's name.
fn is_big_area_name(gaz: &Gazetteer, normalised: &str) -> bool {
    gaz.lookup(normalised).iter().any(|r| {
        matches!(
            gaz.place(r.place).kind,
            PlaceKind::Continent | PlaceKind::Country | PlaceKind::Region
        )
    })
}

/// The cue carried by a name's own last word: "al-Hol camp", "Mosul Dam".
fn trailing_cue(tokens: &[&str]) -> Option<Cue> {
    if tokens.len() < 2 {
        return None;
    }
    tokens.last().and_then(|t| cue_after(t))
}

fn starts_upper(text: &str) -> bool {
    text.chars()
        .find(|c| c.is_alphanumeric())
        .is_some_and(|c| c.is_uppercase() || c.is_numeric())
}

/// Up to `n` normalised words after `end`, stopping at a phrase break.
fn next_tokens(text: &str, end: usize, n: usize) -> Vec<&str> {
    text.get(end..)
        .unwrap_or("")
        .split(' ')
        .filter(|t| !t.is_empty())
        .take_while(|t| *t != "|")
        .take(n)
        .collect()
}

/// Up to `n` normalised words before `start`, stopping at a phrase break, in text order.
fn previous_tokens(text: &str, start: usize, n: usize) -> Vec<&str> {
    let mut words: Vec<&str> = text
        .get(..start)
        .unwrap_or("")
        .rsplit(' ')
        .filter(|t| !t.is_empty())
        .take_while(|t| *t != "|")
        .take(n)
        .collect();
    words.reverse();
    words
}

/// Whether a place lies in one of the countries or admin-1 areas named after it.
pub(super) fn lies_in_qualifier(
    gaz: &Gazetteer,
    place: PlaceIndex,
    qualifiers: &[PlaceIndex],
) -> bool {
    let candidate = gaz.place(place);
    qualifiers.iter().any(|&q| {
        let area = gaz.place(q);
        match area.kind {
            PlaceKind::Country => area.country == candidate.country,
            PlaceKind::Admin1 => {
                area.country == candidate.country
                    && candidate.admin1.is_some()
                    && gaz.admin1_of(candidate) == Some(q)
            }
            _ => false,
        }
    })
}

/// US states and Canadian provinces as newspapers abbreviate them after a town ("Calif.",
/// "N.J.", "Ont.", "B.C."), normalised: (country, normalised admin-1 name).
fn area_abbreviation(normalised: &str) -> Option<(&'static str, &'static str)> {
    if let Some(province) = canadian_province_abbreviation(normalised) {
        return Some(("CA", province));
    }
    us_state_abbreviation(normalised).map(|state| ("US", state))
}

/// Canadian provinces and territories in the Canadian Press's abbreviations, normalised.
fn canadian_province_abbreviation(normalised: &str) -> Option<&'static str> {
    Some(match normalised {
        "alta" => "alberta",
        "b c" => "british columbia",
        "man" => "manitoba",
        "n b" => "new brunswick",
        "nfld" | "n l" => "newfoundland and labrador",
        "n s" => "nova scotia",
        "n w t" => "northwest territories",
        "nvt" => "nunavut",
        "ont" => "ontario",
        "p e i" => "prince edward island",
        "que" | "qc" => "quebec",
        "sask" => "saskatchewan",
        "y t" => "yukon",
        _ => return None,
    })
}

/// US state abbreviations as newspapers write them ("Calif.", "N.J."), normalised.
fn us_state_abbreviation(normalised: &str) -> Option<&'static str> {
    Some(match normalised {
        "ala" => "alabama",
        "ariz" => "arizona",
        "ark" => "arkansas",
        "calif" | "cal" => "california",
        "colo" => "colorado",
        "conn" => "connecticut",
        "del" => "delaware",
        "fla" => "florida",
        "ga" => "georgia",
        "ill" => "illinois",
        "ind" => "indiana",
        "kan" | "kans" => "kansas",
        "ky" => "kentucky",
        "la" => "louisiana",
        "md" => "maryland",
        "mass" => "massachusetts",
        "mich" => "michigan",
        "minn" => "minnesota",
        "miss" => "mississippi",
        "mo" => "missouri",
        "mont" => "montana",
        "neb" | "nebr" => "nebraska",
        "nev" => "nevada",
        "n h" => "new hampshire",
        "n j" => "new jersey",
        "n m" => "new mexico",
        "n y" => "new york",
        "n c" => "north carolina",
        "n d" => "north dakota",
        "okla" => "oklahoma",
        "ore" | "oreg" => "oregon",
        "pa" | "penn" => "pennsylvania",
        "r i" => "rhode island",
        "s c" => "south carolina",
        "s d" => "south dakota",
        "tenn" => "tennessee",
        "tex" => "texas",
        "vt" => "vermont",
        "va" => "virginia",
        "wash" => "washington",
        "w va" => "west virginia",
        "wis" | "wisc" => "wisconsin",
        "wyo" => "wyoming",
        _ => return None,
    })
}
