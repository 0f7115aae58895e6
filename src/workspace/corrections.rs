//! The analyst's corrections, kept as their own records beside the machine's incidents and
//! applied over them. A correction names its incident by an [`Anchor`]: the article and the
//! evidence span it was read from (and the words there), never by the incident's id, which
//! changes when a better extractor re-types or re-dates the event. So re-running extraction
//! re-applies every correction to the incident it was made on; one whose incident no longer
//! appears comes back as an [`Orphan`], never dropped silently.

use std::collections::{BTreeMap, HashMap};

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::store::{
    Article, DatePrecision, Incident, Location, Source as Evidence, Store, SubEventType,
    byte_offset,
};

/// Which incident a correction is about: an evidence span of an article and the words in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Anchor {
    pub article: String,
    /// Char offsets, end exclusive, as in the store's evidence.
    pub start: usize,
    pub end: usize,
    /// The words at that span when the correction was made: if the article's text changes,
    /// the span is found again by them.
    pub text: String,
    /// The incident's id when the correction was made: preferred among incidents that share
    /// the span, not required.
    #[serde(default)]
    pub id: String,
}

impl Anchor {
    /// The anchor of an incident: its first evidence span.
    pub fn of(store: &Store, incident: &Incident) -> Option<Self> {
        let evidence = incident.sources.first()?;
        Some(Self::of_span(store, evidence, &incident.id))
    }

    /// The anchor of one evidence span.
    pub fn of_span(store: &Store, evidence: &Evidence, id: &str) -> Self {
        let text = store
            .article(&evidence.article)
            .map(|a| span_text(&a.text, evidence.start, evidence.end).to_owned())
            .unwrap_or_default();
        Self {
            article: evidence.article.clone(),
            start: evidence.start,
            end: evidence.end,
            text,
            id: id.to_owned(),
        }
    }

    /// Where the anchored words are in `article` now: the same span if the words are still
    /// there, else the occurrence of the words nearest to it.
    fn locate(&self, article: &Article) -> Option<(usize, usize)> {
        if self.text.is_empty() || span_text(&article.text, self.start, self.end) == self.text {
            return Some((self.start, self.end));
        }
        let len = self.text.chars().count();
        article
            .text
            .match_indices(self.text.as_str())
            .map(|(byte, _)| crate::store::char_offset(&article.text, byte))
            .min_by_key(|&start| start.abs_diff(self.start))
            .map(|start| (start, start + len))
    }
}

fn span_text(text: &str, start: usize, end: usize) -> &str {
    let from = byte_offset(text, start);
    let to = byte_offset(text, end).max(from);
    &text[from..to]
}

/// The fields an analyst can change, each `None` when left as it is.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Patch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Option<Date>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_precision: Option<DatePrecision>,
    /// The sub-event type; its event type follows (each belongs to exactly one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_event_type: Option<SubEventType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actors: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fatalities: Option<Option<u32>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counts: Option<BTreeMap<String, u32>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
}

impl Patch {
    pub fn is_empty(&self) -> bool {
        self == &Self::default()
    }

    /// The names of the fields it sets.
    pub fn fields(&self) -> Vec<&'static str> {
        [
            (self.date.is_some(), "date"),
            (self.date_precision.is_some(), "date precision"),
            (self.sub_event_type.is_some(), "type"),
            (self.location.is_some(), "place"),
            (self.actors.is_some(), "actors"),
            (self.fatalities.is_some(), "fatalities"),
            (self.counts.is_some(), "counts"),
            (self.summary.is_some(), "summary"),
        ]
        .into_iter()
        .filter_map(|(set, name)| set.then_some(name))
        .collect()
    }

    /// The patch that turns `from` into `to`, in the fields that differ.
    pub fn between(from: &Incident, to: &Incident) -> Self {
        let differs = |a: bool| a.then_some(());
        Self {
            date: differs(from.date != to.date).map(|_| to.date),
            date_precision: differs(from.date_precision != to.date_precision)
                .map(|_| to.date_precision),
            sub_event_type: differs(from.sub_event_type != to.sub_event_type)
                .map(|_| to.sub_event_type),
            location: differs(from.location != to.location).map(|_| to.location.clone()),
            actors: differs(from.actors != to.actors).map(|_| to.actors.clone()),
            fatalities: differs(from.fatalities != to.fatalities).map(|_| to.fatalities),
            counts: differs(from.counts != to.counts).map(|_| to.counts.clone()),
            summary: differs(from.summary != to.summary).map(|_| to.summary.clone()),
        }
    }

    /// Applies the patch; returns the names of the fields it changed and what they held.
    pub fn apply(&self, incident: &mut Incident) -> Vec<(&'static str, String)> {
        let mut changed = Vec::new();
        if self.date.is_some() || self.date_precision.is_some() {
            let before = date_text(incident);
            if let Some(date) = self.date {
                incident.date = date;
            }
            if let Some(precision) = self.date_precision {
                incident.date_precision = precision;
            }
            if incident.date.is_none() {
                incident.date_precision = DatePrecision::Unknown;
            } else if incident.date_precision == DatePrecision::Unknown {
                incident.date_precision = DatePrecision::Day;
            }
            changed.push(("date", before));
        }
        if let Some(sub) = self.sub_event_type {
            let before = format!(
                "{} / {}",
                incident.event_type.as_str(),
                incident.sub_event_type.as_str()
            );
            incident.sub_event_type = sub;
            incident.event_type = sub.event_type();
            changed.push(("type", before));
        }
        if let Some(location) = &self.location {
            let before = place_text(&incident.location);
            incident.location = location.clone();
            changed.push(("place", before));
        }
        if let Some(actors) = &self.actors {
            changed.push(("actors", incident.actors.join("; ")));
            incident.actors = actors.clone();
            // The dataset's sides no longer describe the analyst's list.
            if let Some(coded) = &mut incident.coded {
                coded.clear_roles();
            }
        }
        if let Some(fatalities) = self.fatalities {
            changed.push((
                "fatalities",
                incident
                    .fatalities
                    .map_or_else(|| "not stated".to_owned(), |n| n.to_string()),
            ));
            incident.fatalities = fatalities;
        }
        if let Some(counts) = &self.counts {
            changed.push((
                "counts",
                incident
                    .counts
                    .iter()
                    .map(|(k, v)| format!("{k} {v}"))
                    .collect::<Vec<_>>()
                    .join(", "),
            ));
            incident.counts = counts.clone();
        }
        if let Some(summary) = &self.summary {
            changed.push(("summary", incident.summary.clone()));
            incident.summary = summary.clone();
        }
        changed
    }
}

fn date_text(incident: &Incident) -> String {
    match incident.date {
        Some(date) => format!("{date} ({})", incident.date_precision.as_str()),
        None => "date unknown".to_owned(),
    }
}

fn place_text(location: &Location) -> String {
    format!(
        "{} ({:.4}, {:.4})",
        location.name, location.lat, location.lon
    )
}

/// What a correction does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Change {
    /// Changes fields of the incident.
    Edit {
        patch: Patch,
    },
    /// Marks it false; it stays, hidden, and can be restored.
    Reject {
        reason: String,
    },
    Restore,
    /// Marks it checked by an analyst.
    Reviewed,
    /// A new incident, its evidence the anchor (a selection in an article).
    Add {
        incident: Box<Incident>,
    },
    /// Another incident telling the same event is folded into this one.
    Merge {
        other: Anchor,
    },
    /// One source is taken off this incident into an incident of its own.
    Split {
        source: Anchor,
    },
    /// An article's metadata; a new date re-dates the article's relative dates on the next
    /// extraction.
    SetArticle {
        meta: ArticleMeta,
    },
}

impl Change {
    /// A short name, for lists and the file.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Edit { .. } => "edit",
            Self::Reject { .. } => "reject",
            Self::Restore => "restore",
            Self::Reviewed => "reviewed",
            Self::Add { .. } => "add",
            Self::Merge { .. } => "merge",
            Self::Split { .. } => "split",
            Self::SetArticle { .. } => "set_article",
        }
    }

    /// What it does, in a few words ("edited type, fatalities", "rejected: a duplicate").
    pub fn describe(&self) -> String {
        match self {
            Self::Edit { patch } => format!("edited {}", patch.fields().join(", ")),
            Self::Reject { reason } => format!("rejected: {reason}"),
            Self::Restore => "restored".to_owned(),
            Self::Reviewed => "marked reviewed".to_owned(),
            Self::Add { .. } => "added an incident".to_owned(),
            Self::Merge { .. } => "merged another incident into it".to_owned(),
            Self::Split { .. } => "split a source off".to_owned(),
            Self::SetArticle { .. } => "changed the article's details".to_owned(),
        }
    }
}

/// An article's metadata as an analyst sets it; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ArticleMeta {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<Date>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl ArticleMeta {
    /// Sets the fields it carries on `article`; true if the date changed.
    pub fn apply(&self, article: &mut Article) -> bool {
        if let Some(title) = &self.title {
            article.title = Some(title.clone());
        }
        if let Some(publisher) = &self.publisher {
            article.publisher = Some(publisher.clone());
        }
        if let Some(url) = &self.url {
            article.url = Some(url.clone());
        }
        match self.published {
            Some(date) if article.published != Some(date) => {
                article.published = Some(date);
                true
            }
            _ => false,
        }
    }
}

/// One correction: who made it, when, on what, what it does and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Correction {
    /// Its place in the order corrections are applied (the file's sequence number).
    pub seq: i64,
    pub author: String,
    pub at: jiff::Timestamp,
    /// The incident it is about; for [`Change::SetArticle`], the article (its id in
    /// `article`, no span).
    pub target: Anchor,
    pub change: Change,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why: Option<String>,
}

/// A correction whose incident (or article) is no longer there.
#[derive(Debug, Clone, PartialEq)]
pub struct Orphan {
    pub correction: Correction,
    pub reason: String,
}

impl Orphan {
    /// One line for the analyst.
    pub fn describe(&self) -> String {
        let c = &self.correction;
        format!(
            "correction {} ({} by {} on {}) on \"{}\" in article {}: {}",
            c.seq,
            c.change.kind(),
            c.author,
            c.at.strftime("%Y-%m-%d %H:%M"),
            shorten(&c.target.text, 60),
            c.target.article,
            self.reason
        )
    }
}

fn shorten(text: &str, chars: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= chars {
        text
    } else {
        let cut: String = text.chars().take(chars).collect();
        format!("{cut}…")
    }
}

/// Sets the article corrections on the articles of `store` (before extraction, so that a new
/// date re-dates relative dates); returns the ids of articles whose date changed and the
/// corrections whose article is gone.
pub fn apply_article_meta(
    articles: &mut [Article],
    corrections: &[Correction],
) -> (Vec<String>, Vec<Orphan>) {
    let positions: HashMap<String, usize> = articles
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.clone(), i))
        .collect();
    let mut redated = Vec::new();
    let mut orphans = Vec::new();
    for correction in corrections {
        let Change::SetArticle { meta } = &correction.change else {
            continue;
        };
        match positions.get(&correction.target.article) {
            Some(&i) => {
                if meta.apply(&mut articles[i]) {
                    redated.push(articles[i].id.clone());
                }
            }
            None => orphans.push(Orphan {
                correction: correction.clone(),
                reason: "the article is no longer in the workspace".to_owned(),
            }),
        }
    }
    (redated, orphans)
}

/// The machine's incidents with the analyst's corrections over them.
#[derive(Debug, Clone, Default)]
pub struct Applied {
    /// Every incident, rejected ones included (their review says so); merged-away ones gone.
    pub store: Store,
    pub orphans: Vec<Orphan>,
}

/// Applies `corrections`, in order, over `machine` (whose articles already carry their
/// metadata corrections, see [`apply_article_meta`]).
pub fn apply(machine: &Store, corrections: &[Correction]) -> Applied {
    let mut store = machine.clone();
    let orphans = apply_onto(&mut store, corrections);
    Applied { store, orphans }
}

/// Applies `corrections`, in order, onto `store` as it stands; returns those that found
/// nothing. Over the result of [`apply`] for the corrections before them, this gives what
/// [`apply`] of all of them would, for any change but [`Change::SetArticle`] (which acts on
/// the articles before extraction).
pub fn apply_onto(store: &mut Store, corrections: &[Correction]) -> Vec<Orphan> {
    let mut orphans = Vec::new();
    for correction in corrections {
        if let Err(reason) = apply_one(store, correction) {
            orphans.push(Orphan {
                correction: correction.clone(),
                reason,
            });
        }
    }
    orphans
}

fn apply_one(store: &mut Store, correction: &Correction) -> Result<(), String> {
    let change = &correction.change;
    if let Change::SetArticle { .. } = change {
        // Set on the articles before extraction.
        return Ok(());
    }
    if let Change::Add { incident } = change {
        let mut incident = (**incident).clone();
        let article = store
            .article(&correction.target.article)
            .ok_or("the article is no longer in the workspace")?;
        let (start, end) = correction
            .target
            .locate(article)
            .ok_or("the selected words are no longer in the article")?;
        incident.id = format!("added-{}", correction.seq);
        incident.sources = vec![Evidence {
            article: correction.target.article.clone(),
            start,
            end,
        }];
        incident.review.added = true;
        store.incidents.push(incident);
        return Ok(());
    }
    let target = find(store, &correction.target)?;
    match change {
        Change::Edit { patch } => {
            let incident = &mut store.incidents[target];
            for (field, before) in patch.apply(incident) {
                let review = &mut incident.review;
                if !review.edited.iter().any(|f| f == field) {
                    review.edited.push(field.to_owned());
                    if !review.added {
                        review.machine.insert(field.to_owned(), before);
                    }
                }
            }
        }
        Change::Reject { reason } => {
            store.incidents[target].review.rejected = Some(reason.clone());
        }
        Change::Restore => store.incidents[target].review.rejected = None,
        Change::Reviewed => store.incidents[target].review.reviewed = true,
        Change::Merge { other } => {
            let other = find(store, other).map_err(|e| format!("the incident merged in: {e}"))?;
            if other == target {
                return Ok(());
            }
            let merged = store.incidents.remove(other);
            let target = if other < target { target - 1 } else { target };
            let incident = &mut store.incidents[target];
            for source in merged.sources {
                if !incident.sources.contains(&source) {
                    incident.sources.push(source);
                }
            }
            mark_edited(incident, "sources");
        }
        Change::Split { source } => {
            let incident = &store.incidents[target];
            if incident.sources.len() < 2 {
                return Err("the incident has only one source left".to_owned());
            }
            let article = store
                .article(&source.article)
                .ok_or("the split source's article is gone")?;
            let (start, end) = source
                .locate(article)
                .ok_or("the split source's words are gone")?;
            let position = incident
                .sources
                .iter()
                .position(|s| s.article == source.article && overlap(s, start, end) > 0)
                .ok_or("the source is no longer cited by the incident")?;
            let incident = &mut store.incidents[target];
            let taken = incident.sources.remove(position);
            mark_edited(incident, "sources");
            let mut split = incident.clone();
            split.id = format!("{}-split-{}", incident.id, correction.seq);
            split.sources = vec![taken];
            store.incidents.push(split);
        }
        Change::Add { .. } | Change::SetArticle { .. } => {}
    }
    Ok(())
}

fn mark_edited(incident: &mut Incident, field: &str) {
    if !incident.review.edited.iter().any(|f| f == field) {
        incident.review.edited.push(field.to_owned());
    }
}

fn overlap(source: &Evidence, start: usize, end: usize) -> usize {
    source.end.min(end).saturating_sub(source.start.max(start))
}

/// The incident an anchor names now: among those citing the anchored words, the one with the
/// anchor's id if there is one, else the one whose evidence overlaps them most.
fn find(store: &Store, anchor: &Anchor) -> Result<usize, String> {
    let article = store
        .article(&anchor.article)
        .ok_or("its article is no longer in the workspace")?;
    let (start, end) = anchor
        .locate(article)
        .ok_or("its evidence is no longer in the article")?;
    let point = start == end;
    store
        .incidents
        .iter()
        .enumerate()
        .filter_map(|(i, incident)| {
            let best = incident
                .sources
                .iter()
                .filter(|s| s.article == anchor.article)
                .map(|s| {
                    if point {
                        usize::from(s.start <= start && start <= s.end)
                    } else {
                        overlap(s, start, end)
                    }
                })
                .max()?;
            (best > 0).then_some((i, incident.id == anchor.id, best))
        })
        .max_by(|a, b| (a.1, a.2).cmp(&(b.1, b.2)).then(b.0.cmp(&a.0)))
        .map(|(i, _, _)| i)
        .ok_or_else(|| "no incident is found at its evidence any more".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{EventType, LocationPrecision, Review, SCHEMA};

    fn incident(id: &str, article: &str, start: usize, end: usize) -> Incident {
        Incident {
            id: id.into(),
            date: None,
            date_precision: DatePrecision::Unknown,
            event_type: EventType::Battles,
            sub_event_type: SubEventType::ArmedClash,
            actors: vec![],
            fatalities: Some(3),
            counts: BTreeMap::new(),
            location: Location {
                name: "Hasakah".into(),
                country: Some("SY".into()),
                admin1: None,
                admin2: None,
                admin3: None,
                precision: LocationPrecision::Point,
                lat: 36.5,
                lon: 40.7,
                gazetteer_id: None,
                confidence: None,
            },
            sources: vec![Evidence {
                article: article.into(),
                start,
                end,
            }],
            summary: String::new(),
            review: Review::default(),
            coded: None,
        }
    }

    fn store(text: &str, incidents: Vec<Incident>) -> Store {
        Store {
            schema: SCHEMA.into(),
            articles: vec![Article {
                id: "a".into(),
                title: None,
                publisher: None,
                published: None,
                url: None,
                text: text.into(),
            }],
            incidents,
        }
    }

    fn correction(seq: i64, store: &Store, index: usize, change: Change) -> Correction {
        Correction {
            seq,
            author: "tester".into(),
            at: jiff::Timestamp::UNIX_EPOCH,
            target: Anchor::of(store, &store.incidents[index]).expect("anchor"),
            change,
            why: None,
        }
    }

    const TEXT: &str = "Gunmen attacked a checkpoint near Hasakah. A bomb hit Qamishli.";

    #[test]
    fn an_edit_follows_its_incident_when_the_machine_retypes_it_and_renames_it() {
        let machine = store(
            TEXT,
            vec![incident("one", "a", 0, 42), incident("two", "a", 43, 63)],
        );
        let patch = Patch {
            fatalities: Some(Some(5)),
            ..Patch::default()
        };
        let edit = correction(1, &machine, 0, Change::Edit { patch });
        // A better extractor re-types it (so a new id) and cuts the span a little shorter.
        let mut better = machine.clone();
        better.incidents[0].id = "one-retyped".into();
        better.incidents[0].sub_event_type = SubEventType::Attack;
        better.incidents[0].event_type = EventType::ViolenceAgainstCivilians;
        better.incidents[0].sources[0].end = 30;
        let applied = apply(&better, &[edit]);
        assert!(applied.orphans.is_empty(), "{:?}", applied.orphans);
        let fixed = &applied.store.incidents[0];
        assert_eq!(fixed.fatalities, Some(5));
        assert_eq!(fixed.review.edited, ["fatalities"]);
        assert_eq!(fixed.review.machine["fatalities"], "3");
        assert_eq!(applied.store.incidents[1].fatalities, Some(3));
    }

    #[test]
    fn a_correction_whose_words_moved_is_found_by_them() {
        let machine = store(TEXT, vec![incident("two", "a", 43, 63)]);
        let reject = correction(
            1,
            &machine,
            0,
            Change::Reject {
                reason: "duplicate".into(),
            },
        );
        let mut edited = machine.clone();
        edited.articles[0].text = format!("UPDATED: {TEXT}");
        edited.incidents[0].sources[0].start += 9;
        edited.incidents[0].sources[0].end += 9;
        let applied = apply(&edited, &[reject]);
        assert_eq!(
            applied.store.incidents[0].review.rejected.as_deref(),
            Some("duplicate")
        );
    }

    #[test]
    fn a_correction_without_its_incident_is_an_orphan_not_lost() {
        let machine = store(TEXT, vec![incident("two", "a", 43, 63)]);
        let reviewed = correction(7, &machine, 0, Change::Reviewed);
        let mut gone = machine.clone();
        gone.incidents.clear();
        let applied = apply(&gone, std::slice::from_ref(&reviewed));
        assert_eq!(applied.orphans.len(), 1);
        assert!(
            applied.orphans[0]
                .describe()
                .contains("A bomb hit Qamishli")
        );
        gone.articles.clear();
        let applied = apply(&gone, &[reviewed]);
        assert!(applied.orphans[0].reason.contains("article"));
    }

    #[test]
    fn add_merge_split_and_restore() {
        let machine = store(
            TEXT,
            vec![incident("one", "a", 0, 42), incident("two", "a", 43, 63)],
        );
        let mut added = incident("", "a", 0, 6);
        added.fatalities = None;
        let add = Correction {
            target: Anchor {
                article: "a".into(),
                start: 0,
                end: 6,
                text: "Gunmen".into(),
                id: String::new(),
            },
            ..correction(
                1,
                &machine,
                0,
                Change::Add {
                    incident: Box::new(added),
                },
            )
        };
        let second = Anchor::of(&machine, &machine.incidents[1]).expect("anchor");
        let merge = correction(
            2,
            &machine,
            0,
            Change::Merge {
                other: second.clone(),
            },
        );
        let applied = apply(&machine, &[add.clone(), merge.clone()]);
        assert!(applied.orphans.is_empty(), "{:?}", applied.orphans);
        assert_eq!(applied.store.incidents.len(), 2, "two merged, one added");
        let merged = &applied.store.incidents[0];
        assert_eq!(merged.sources.len(), 2);
        assert!(applied.store.incidents[1].review.added);
        assert_eq!(applied.store.incidents[1].id, "added-1");

        let split = Correction {
            seq: 3,
            change: Change::Split { source: second },
            ..merge.clone()
        };
        let reject = correction(4, &machine, 1, Change::Reject { reason: "x".into() });
        let restore = correction(5, &machine, 1, Change::Restore);
        let applied = apply(&machine, &[merge, split, reject.clone()]);
        assert_eq!(applied.store.incidents.len(), 2);
        assert_eq!(applied.store.incidents[0].sources.len(), 1);
        let split_off = &applied.store.incidents[1];
        assert_eq!(split_off.sources[0].start, 43);
        assert_eq!(split_off.review.rejected.as_deref(), Some("x"));
        let applied = apply(&machine, &[reject, restore]);
        assert_eq!(applied.store.incidents[1].review.rejected, None);
    }

    #[test]
    fn a_new_article_date_is_reported_for_re_dating() {
        let mut machine = store(TEXT, vec![]);
        let meta = ArticleMeta {
            published: Some(jiff::civil::date(2024, 3, 1)),
            url: Some("https://example.org/a".into()),
            ..ArticleMeta::default()
        };
        let set = Correction {
            seq: 1,
            author: "t".into(),
            at: jiff::Timestamp::UNIX_EPOCH,
            target: Anchor {
                article: "a".into(),
                start: 0,
                end: 0,
                text: String::new(),
                id: String::new(),
            },
            change: Change::SetArticle { meta },
            why: None,
        };
        let (redated, orphans) = apply_article_meta(&mut machine.articles, &[set]);
        assert_eq!(redated, ["a"]);
        assert!(orphans.is_empty());
        assert_eq!(
            machine.articles[0].url.as_deref(),
            Some("https://example.org/a")
        );
    }
}
