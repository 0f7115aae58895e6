//! One incident, however many times it is told.
//!
//! Two drafts are the same incident when their kinds fit (an "attack on the prison" and a
//! "prisonbreak"; a generic "clash" and a specific one), their places fit (the same place, or
//! one inside the other: Ghuwayran prison in al-Hasakah; the Iraq–Syria border and
//! Nineveh province), their dates fit, and they do not name different actors.
//!
//! Within one article an undated or unplaced draft merges with the best-fitting one (the
//! article says "an attack on the Iraqi army in Diyala" in one paragraph and "attacked an
//! Iraqi army barracks … January 21" in another). Across articles both reports must be
//! placed, and at least one dated: an undated report counts as "within the month before
//! its publication", and an article without a publication date never merges by date
//! alone. Deaths are not added across reports of the same incident; the largest report
//! counts.

use std::collections::HashMap;

use jiff::ToSpan;
use jiff::civil::Date;

use super::article::{Draft, DraftDate, TOLL};
use super::dates::When;
use super::events::Domain;
use super::places::{self, PlaceSource};
use crate::store::DatePrecision;

/// How far back drafts of one article are compared (bounds the work on huge inputs).
const WITHIN_REACH: usize = 64;
/// How many earlier incidents of the same country and domain a report is compared with.
const ACROSS_REACH: usize = 512;
/// How long before publication an undated report is taken to have happened.
const UNDATED_DAYS: i32 = 31;

fn actors_clash(a: &Draft, b: &Draft) -> bool {
    let named = |d: &Draft| {
        d.actors
            .iter()
            .filter(|x| !x.is_generic())
            .copied()
            .collect::<Vec<_>>()
    };
    let (x, y) = (named(a), named(b));
    !x.is_empty() && !y.is_empty() && !x.iter().any(|a| y.iter().any(|b| a.allied(*b)))
}

fn places_fit(a: &Draft, b: &Draft, both_needed: bool) -> bool {
    match (&a.place, &b.place) {
        (Some(p), Some(q)) => places::compatible(p, q),
        (None, None) if a.unresolved_place.is_some() && b.unresolved_place.is_some() => {
            !both_needed && a.unresolved_place == b.unresolved_place
        }
        _ => !both_needed && a.unresolved_place.is_none() && b.unresolved_place.is_none(),
    }
}

fn dates_fit_within(a: &DraftDate, b: &DraftDate) -> bool {
    match (a, b) {
        (DraftDate::Unknown, _) | (_, DraftDate::Unknown) => true,
        (DraftDate::Known(x), DraftDate::Known(y)) => x.overlaps(y, 1),
        (DraftDate::Unanchored(x), DraftDate::Unanchored(y)) => x == y,
        _ => false,
    }
}

/// Score for merging `b` into `a`, or `None` when they are different incidents.
fn score(a: &Draft, b: &Draft) -> Option<i64> {
    if !a.kind.compatible(b.kind) || actors_clash(a, b) {
        return None;
    }
    let mut score = 0i64;
    if a.kind == b.kind {
        score += 4;
    }
    score +=
        2 * i64::try_from(a.actors.iter().filter(|x| b.actors.contains(x)).count()).unwrap_or(0);
    if let (Some(p), Some(q)) = (&a.place, &b.place)
        && p.id == q.id
    {
        score += 2;
    }
    Some(score)
}

/// A draft with neither place nor date: background, too vague to be matched with anything.
fn vague(draft: &Draft) -> bool {
    draft.place.is_none() && draft.unresolved_place.is_none() && draft.date == DraftDate::Unknown
}

/// Merges the drafts of one article that tell the same incident.
pub(crate) fn merge_within(drafts: Vec<Draft>, source: &dyn PlaceSource) -> Vec<Draft> {
    let mut kept: Vec<Draft> = Vec::with_capacity(drafts.len());
    for draft in drafts {
        // A vague draft is background, unless another event word of its own sentence tells
        // the same incident ("the two sides traded fire …, in clashes that killed three").
        let draft_vague = vague(&draft);
        let from = kept.len().saturating_sub(WITHIN_REACH);
        let best = kept[from..]
            .iter()
            .enumerate()
            .filter(|(_, k)| {
                let same_sentence = k.sentence == draft.sentence;
                ((!vague(k) && !draft_vague) || same_sentence)
                    && draft
                        .apart_from
                        .is_none_or(|focus| k.last_sentence < focus || k.sentence >= draft.sentence)
                    && places_fit(k, &draft, false)
                    && dates_fit_within(&k.date, &draft.date)
            })
            .filter_map(|(i, k)| {
                let distance =
                    i64::try_from(draft.sentence.abs_diff(k.sentence)).unwrap_or(i64::MAX);
                score(k, &draft).map(|s| (i + from, s * 100 - distance.min(99)))
            })
            .max_by_key(|&(i, s)| (s, i))
            .map(|(i, _)| i);
        match best {
            Some(i) => absorb_draft(&mut kept[i], draft, source),
            None => kept.push(draft),
        }
    }
    kept
}

/// Folds `other` into `into`, keeping the more precise of each field.
pub(crate) fn absorb_draft(into: &mut Draft, other: Draft, source: &dyn PlaceSource) {
    if into.kind.is_generic() && !other.kind.is_generic() {
        into.kind = other.kind;
    }
    for actor in &other.actors {
        into.add_actor(*actor);
    }
    if into.gainer.is_none() {
        into.gainer = other.gainer;
    }
    if into.article == other.article {
        // "Jets struck Idlib; rescuers report four dead" in a summary and "killing four
        // civilians" in the entry below it: a bare figure told in another sentence beside
        // figures by victim is the same dead told again, a toll of everyone, not more dead.
        let bare_only = |d: &Draft| d.deaths.len() == 1 && d.deaths.contains_key("");
        let named = |d: &Draft| !d.deaths.is_empty() && !d.deaths.contains_key("");
        let bare_as_toll = (bare_only(&other) && named(into)) || (bare_only(into) && named(&other));
        if bare_as_toll && let Some(n) = into.deaths.remove("") {
            into.deaths.insert(TOLL.to_owned(), n);
        }
        for (victims, n) in &other.deaths {
            let victims = if bare_as_toll && victims.is_empty() {
                TOLL
            } else {
                victims.as_str()
            };
            let entry = into.deaths.entry(victims.to_owned()).or_insert(0);
            *entry = (*entry).max(*n);
        }
    }
    for (kind, n) in &other.counts {
        let entry = into.counts.entry(*kind).or_insert(0);
        *entry = (*entry).max(*n);
    }
    into.place = match (into.place.take(), other.place) {
        (Some(a), Some(b)) => Some(places::refine(&a, &b, source)),
        (a, b) => a.or(b),
    };
    if into.unresolved_place.is_none() {
        into.unresolved_place = other.unresolved_place;
    }
    if other.date.rank() < into.date.rank() {
        into.date = other.date;
    }
    if into.article == other.article {
        for range in other.evidence {
            into.add_evidence(range);
        }
        into.anchor = into.anchor.min(other.anchor);
        into.sentence = into.sentence.min(other.sentence);
        into.last_sentence = into.last_sentence.max(other.last_sentence);
    }
}

/// A report as compared across articles: its draft and its article's publication date.
pub(crate) struct Report {
    pub draft: Draft,
    pub published: Option<Date>,
}

/// The window a report's incident can lie in, and whether it is only implied by the
/// publication date.
fn window(report: &Report) -> Option<(When, bool)> {
    match &report.draft.date {
        DraftDate::Known(when) => Some((*when, false)),
        _ => report.published.map(|p| {
            (
                When {
                    start: p.saturating_sub(UNDATED_DAYS.days()),
                    end: p,
                    precision: DatePrecision::Unknown,
                },
                true,
            )
        }),
    }
}

fn dates_fit_across(a: &Report, b: &Report) -> bool {
    match (window(a), window(b)) {
        (Some((x, implied_x)), Some((y, implied_y))) => {
            !(implied_x && implied_y) && x.overlaps(&y, 1)
        }
        _ => false,
    }
}

/// One incident: every report of it, and what they say together.
pub(crate) struct Group {
    /// All reports merged: the most precise place, date, kind; every actor.
    pub merged: Report,
    pub members: Vec<Draft>,
}

/// Groups the reports of all articles into incidents.
pub(crate) fn group_across(reports: Vec<Report>, source: &dyn PlaceSource) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    // Groups by (domain, country), so a report is only compared with likely matches.
    let mut buckets: HashMap<(Domain, Option<String>), Vec<usize>> = HashMap::new();
    for report in reports {
        let key = (
            report.draft.kind.domain(),
            report.draft.place.as_ref().and_then(|p| p.country.clone()),
        );
        let bucket = buckets.entry(key).or_default();
        let from = bucket.len().saturating_sub(ACROSS_REACH);
        let best = bucket[from..]
            .iter()
            .filter(|&&g| {
                let merged = &groups[g].merged;
                merged.draft.article != report.draft.article
                    && !groups[g]
                        .members
                        .iter()
                        .any(|m| m.article == report.draft.article)
                    && places_fit(&merged.draft, &report.draft, true)
                    && dates_fit_across(merged, &report)
            })
            .filter_map(|&g| score(&groups[g].merged.draft, &report.draft).map(|s| (g, s)))
            .max_by_key(|&(g, s)| (s, std::cmp::Reverse(g)))
            .map(|(g, _)| g);
        match best {
            Some(g) => {
                let group = &mut groups[g];
                absorb_draft(&mut group.merged.draft, report.draft.clone(), source);
                if group.merged.published.is_none() {
                    group.merged.published = report.published;
                }
                group.members.push(report.draft);
            }
            None => {
                bucket.push(groups.len());
                groups.push(Group {
                    members: vec![report.draft.clone()],
                    merged: report,
                });
            }
        }
    }
    groups
}
