//! Incident extraction: from news articles to ACLED-style incidents.
//!
//! For each article the story is split into sentences ([`sentences`]); each sentence is read
//! for event words ([`events`]), actors ([`actors`]), dates ([`dates`]), figures
//! ([`counts`]) and places ([`places`]); [`article`] follows the story from sentence to
//! sentence and drafts incidents; [`dedup`] merges drafts that tell the same incident,
//! within an article and across articles. What comes out is a [`Store`].
//!
//! Decisions, in one place:
//! - An incident is something that happened at a place: violence, a change of territory, a
//!   deployment or fortification, a base set up, an official's visit, an official's
//!   statement about a place. What a statement reports (a withdrawal, an order to fortify the
//!   border) is the incident when it reports one; only a statement that reports no event is
//!   coded as a statement (Strategic developments / Other), at the place it is about — a
//!   statement from Baghdad about the border is at the border — and quoting it over several
//!   sentences, or during a visit, adds to the one incident. Statements about a whole country
//!   and meetings are not coded: the emergency security meeting in Baghdad on Syria is not.
//! - Aggregates ("more than 400 attacks between April and June", "increased its activities
//!   in 2018 and 2019") are skipped: they would otherwise become one fake incident.
//!   Several strikes told as part of one battle at one place are kept as one incident,
//!   dated only to the week, with no fatalities of their own.
//! - Dates without a publication date to anchor them stay unknown (`date: None`). Precision
//!   `week` means "within the seven days from `date`" (an event told only as part of an
//!   episode that began that day, or "last week"); `month` and `year` give the first day.
//! - Kurdish forces are the SDF in Syria and the Peshmerga in Iraq; "security forces" are the
//!   state forces of the incident's country. Visits and orders are `Other` and `Change to
//!   group/activity`; a non-state group retaking a place is `Non-state actor overtakes
//!   territory`, a withdrawal `Non-violent transfer of territory`.
//! - Fatalities are the figures the text states; "dozens" gives none.
//! - Events told without a usable place (none, or only a country) are not guessed: those
//!   with a specific date or figures are reported as *unresolved*, the rest are background.
//! - Events more than a year older than the article are history and are skipped.
//!
//! Incident ids are a hash of the first report's article id, the character offset of its
//! event word and its sub-event type, so re-extracting the same articles gives the same ids.

pub mod actors;
mod article;
pub mod counts;
pub mod dates;
mod dedup;
pub mod eval;
pub mod events;
pub mod gazetteer;
pub mod places;
pub mod sentences;
mod structure;
mod words;

use std::collections::BTreeMap;

use article::{ArticleStats, Draft, DraftDate};
use events::EventKind;
use places::{PlaceRef, PlaceSource};

use crate::articles::LoadedArticle;
use crate::store::{
    DatePrecision, EventType, Incident, Location, SCHEMA, Source, Store, SubEventType,
};

pub use article::ArticleStats as Stats;

/// An event the text tells but whose place could not be resolved: reported, not guessed.
#[derive(Debug, Clone, PartialEq)]
pub struct Unresolved {
    pub article: String,
    /// Character offsets of the sentence that tells it.
    pub start: usize,
    pub end: usize,
    pub sub_event_type: SubEventType,
    /// The place name given, when the gazetteer did not know it.
    pub place_name: Option<String>,
    pub reason: String,
}

/// What extraction produced.
#[derive(Debug, Clone)]
pub struct Extraction {
    pub store: Store,
    pub unresolved: Vec<Unresolved>,
    pub stats: Totals,
}

/// Counts for the ingest summary.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    pub articles: usize,
    pub sentences: usize,
    pub incidents: usize,
    /// Reports merged into an incident another article already told.
    pub merged_reports: usize,
    pub unresolved: usize,
    pub aggregates: usize,
    pub background: usize,
    pub historic: usize,
}

impl Totals {
    fn add(&mut self, stats: &ArticleStats) {
        self.sentences += stats.sentences;
        self.aggregates += stats.aggregates;
        self.background += stats.background;
        self.historic += stats.historic;
    }
}

/// Extracts the incidents of `articles` into a store holding the articles and incidents.
pub fn extract(articles: &[LoadedArticle], source: &dyn PlaceSource) -> Extraction {
    extract_with_progress(articles, source, &mut |_, _| {})
}

/// As [`extract`], calling `progress(done, total)` after each article.
pub fn extract_with_progress(
    articles: &[LoadedArticle],
    source: &dyn PlaceSource,
    progress: &mut dyn FnMut(usize, usize),
) -> Extraction {
    let mut totals = Totals {
        articles: articles.len(),
        ..Totals::default()
    };
    let mut reports: Vec<dedup::Report> = Vec::new();
    let mut unresolved: Vec<Unresolved> = Vec::new();
    for (index, loaded) in articles.iter().enumerate() {
        let read = article::read_article(index, loaded, source);
        let mut stats = read.stats;
        // History is left out before merging, so that it cannot lend its date to news.
        let (historic, current): (Vec<Draft>, Vec<Draft>) = read
            .drafts
            .into_iter()
            .partition(|d| article::is_historic(d, read.reference, read.published));
        stats.historic += historic.len();
        let mut merged = dedup::merge_within(current, source);
        article::place_by_default(&mut merged, read.dateline.as_ref(), read.lead_day);
        let merged = article::fold_tolls_into_events(merged);
        for draft in merged {
            let coarse = draft.place.as_ref().is_some_and(|p| p.scope.is_coarse());
            if draft.place.is_some() && !coarse {
                reports.push(dedup::Report {
                    draft,
                    published: loaded.article.published,
                });
                continue;
            }
            let told_specifically = draft.date.is_specific()
                || !draft.deaths.is_empty()
                || !draft.counts.is_empty()
                || draft.unresolved_place.is_some();
            if told_specifically {
                unresolved.push(unresolved_report(loaded, &draft));
            } else {
                stats.background += 1;
            }
        }
        totals.add(&stats);
        progress(index + 1, articles.len());
    }
    let report_count = reports.len();
    let groups = dedup::group_across(reports, source);
    totals.merged_reports = report_count - groups.len();

    let mut incidents: Vec<Incident> = groups
        .into_iter()
        .map(|group| build_incident(group, articles))
        .collect();
    make_ids_unique(&mut incidents);
    incidents
        .sort_by(|a, b| (a.date.is_none(), a.date, &a.id).cmp(&(b.date.is_none(), b.date, &b.id)));
    totals.incidents = incidents.len();
    totals.unresolved = unresolved.len();
    Extraction {
        store: Store {
            schema: SCHEMA.to_owned(),
            articles: articles.iter().map(|a| a.article.clone()).collect(),
            incidents,
        },
        unresolved,
        stats: totals,
    }
}

fn unresolved_report(loaded: &LoadedArticle, draft: &Draft) -> Unresolved {
    let text = &loaded.article.text;
    let evidence = draft
        .evidence
        .first()
        .cloned()
        .unwrap_or(draft.anchor..draft.anchor);
    let reason = match (&draft.place, &draft.unresolved_place) {
        (Some(place), _) => format!("only the country is named ({})", place.name),
        (None, Some(name)) => format!("the place {name:?} is not in the gazetteer"),
        (None, None) => "no place is named".to_owned(),
    };
    Unresolved {
        article: loaded.article.id.clone(),
        start: crate::store::char_offset(text, evidence.start),
        end: crate::store::char_offset(text, evidence.end),
        sub_event_type: sub_event_type(draft),
        place_name: draft.unresolved_place.clone(),
        reason,
    }
}

/// ACLED's sub-event type for a draft.
fn sub_event_type(draft: &Draft) -> SubEventType {
    use EventKind::*;
    let civilian_victims = draft
        .actors
        .iter()
        .any(|a| a.kind() == actors::ActorKind::Civilians)
        || draft.deaths.keys().any(|k| {
            matches!(
                k.strip_prefix(counts::AMONG).unwrap_or(k),
                "civilians"
                    | "Civilians"
                    | "people"
                    | "villagers"
                    | "villager"
                    | "shepherds"
                    | "shepherd"
                    | "farmers"
                    | "farmer"
                    | "children"
                    | "child"
                    | "boy"
                    | "girl"
                    | "women"
                    | "woman"
                    | "man"
                    | "men"
                    | "passengers"
                    | "hunters"
                    | "pickers"
                    | "students"
                    | "pilgrims"
                    | "worshippers"
                    | "relatives"
                    | "brothers"
                    | "brother"
                    | "sons"
                    | "son"
                    | "father"
                    | "mother"
                    | "sisters"
                    | "sister"
                    | "wife"
                    | "husband"
                    | "council member"
                    | "official"
                    | "teacher"
                    | "teachers"
                    | "doctor"
                    | "doctors"
                    | "activist"
                    | "activists"
                    | "mukhtar"
                    | "shopkeeper"
                    | "shopkeepers"
                    | "driver"
                    | "drivers"
                    | "merchant"
                    | "trader"
                    | "vendor"
                    | "nurse"
                    | "student"
                    | "cleric"
                    | "imam"
                    | "lawyer"
                    | "judge"
                    | "pharmacist"
                    | "pharmacists"
                    | "engineer"
                    | "engineers"
                    | "baker"
                    | "bakers"
                    | "barber"
                    | "butcher"
                    | "mechanic"
                    | "jeweller"
                    | "goldsmith"
                    | "accountant"
                    | "protesters"
                    | "demonstrators"
            )
        });
    match draft.kind {
        Clash | AttackOnForces | PrisonAttack => SubEventType::ArmedClash,
        Killing if civilian_victims => SubEventType::Attack,
        Killing => SubEventType::ArmedClash,
        CivilianAttack => SubEventType::Attack,
        AirStrike => SubEventType::AirDroneStrike,
        Shelling => SubEventType::ShellingArtilleryMissileAttack,
        Explosive => SubEventType::RemoteExplosiveLandmineIed,
        SuicideBombing => SubEventType::SuicideBomb,
        Grenade => SubEventType::Grenade,
        ChemicalWeapon => SubEventType::ChemicalWeapon,
        SexualViolence => SubEventType::SexualViolence,
        // Abductees found dead were killed: the killing is the incident.
        Abduction if !draft.deaths.is_empty() => SubEventType::Attack,
        Abduction => SubEventType::AbductionForcedDisappearance,
        Arrest => SubEventType::Arrests,
        TerritoryGained | TerritoryLost => match draft.gainer {
            Some(gainer) if gainer.kind().is_government_side() => {
                SubEventType::GovernmentRegainsTerritory
            }
            Some(_) => SubEventType::NonStateActorOvertakesTerritory,
            None => SubEventType::NonViolentTransferOfTerritory,
        },
        Withdrawal | Handover => SubEventType::NonViolentTransferOfTerritory,
        Deployment | Fortification => SubEventType::ChangeToGroupActivity,
        BaseEstablished => SubEventType::HeadquartersOrBaseEstablished,
        Visit | Statement => SubEventType::Other,
        Agreement => SubEventType::Agreement,
        Protest => SubEventType::PeacefulProtest,
        // Rioting by demonstrators is a violent demonstration; by anyone else (inmates,
        // a crowd, rival fans) with no protest told, mob violence.
        Riot if draft
            .actors
            .iter()
            .any(|a| a.name(None) == Some("Protesters")) =>
        {
            SubEventType::ViolentDemonstration
        }
        Riot => SubEventType::MobViolence,
        ShotDown | WeaponsSeized => SubEventType::DisruptedWeaponsUse,
        // Protesters setting fire to offices are rioting: a violent demonstration.
        Destruction
            if draft
                .actors
                .iter()
                .any(|a| a.name(None) == Some("Protesters")) =>
        {
            SubEventType::ViolentDemonstration
        }
        Destruction => SubEventType::LootingPropertyDestruction,
        MassGrave => SubEventType::Other,
        ForceOnProtest => SubEventType::ExcessiveForceAgainstProtesters,
        ProtestDispersed => SubEventType::ProtestWithIntervention,
    }
}

fn build_incident(group: dedup::Group, articles: &[LoadedArticle]) -> Incident {
    let merged = &group.merged.draft;
    let place = merged.place.clone().unwrap_or_else(|| PlaceRef {
        id: String::new(),
        name: String::new(),
        scope: places::PlaceScope::Country,
        lat: 0.0,
        lon: 0.0,
        country: None,
        admin1: None,
        countries: Vec::new(),
        confidence: None,
    });
    let country = place.country.as_deref();
    let sub_event_type = sub_event_type(merged);
    let event_type: EventType = sub_event_type.event_type();

    let mut actor_names: Vec<String> = Vec::new();
    for actor in &merged.actors {
        if let Some(name) = actor.name(country)
            && !actor_names.iter().any(|n| n == name)
        {
            actor_names.push(name.to_owned());
        }
    }
    let fatalities = group.members.iter().filter_map(Draft::total_deaths).max();
    let counts: BTreeMap<String, u32> = merged
        .counts
        .iter()
        .filter(|(kind, _)| **kind != counts::CountKind::Killed)
        .map(|(kind, n)| (kind.key().to_owned(), *n))
        .collect();
    let (date, date_precision) = match &merged.date {
        DraftDate::Known(when) if when.precision != DatePrecision::Unknown => {
            (Some(when.start), when.precision)
        }
        _ => (None, DatePrecision::Unknown),
    };

    let mut members: Vec<&Draft> = group.members.iter().collect();
    members.sort_by_key(|d| (d.article, d.anchor));
    let mut sources: Vec<Source> = Vec::new();
    for member in &members {
        let Some(loaded) = articles.get(member.article) else {
            continue;
        };
        let text = &loaded.article.text;
        let mut offsets: Vec<usize> = member
            .evidence
            .iter()
            .flat_map(|r| [r.start, r.end])
            .collect();
        char_offsets(text, &mut offsets);
        for pair in offsets.chunks(2) {
            if let [start, end] = pair {
                let source = Source {
                    article: loaded.article.id.clone(),
                    start: *start,
                    end: *end,
                };
                if !sources.contains(&source) {
                    sources.push(source);
                }
            }
        }
    }
    let first = members.first().copied().unwrap_or(merged);
    let anchor_article = articles.get(first.article);
    let anchor_chars = anchor_article.map_or(0, |a| {
        crate::store::char_offset(&a.article.text, first.anchor)
    });
    let id = incident_id(
        anchor_article.map_or("", |a| a.article.id.as_str()),
        anchor_chars,
        sub_event_type,
    );
    let summary = summarise(sub_event_type, &actor_names, &place.name, fatalities);
    Incident {
        id,
        date,
        date_precision,
        event_type,
        sub_event_type,
        actors: actor_names,
        fatalities,
        counts,
        location: Location {
            name: place.name.clone(),
            country: place.country.clone(),
            admin1: place.admin1.clone(),
            admin2: None,
            admin3: None,
            precision: place.scope.precision(),
            lat: place.lat,
            lon: place.lon,
            // A place moved by a stated distance is no gazetteer entry.
            gazetteer_id: (!place.id.is_empty() && !place.id.starts_with(places::OFFSET_ID))
                .then(|| place.id.clone()),
            // Two decimals say enough, and keep the stored figure stable.
            confidence: place.confidence.map(|c| (c * 100.0).round() / 100.0),
        },
        sources,
        summary,
        review: Default::default(),
        coded: None,
    }
}

/// Converts sorted-or-not byte offsets of `text` to char offsets in one pass.
fn char_offsets(text: &str, offsets: &mut [usize]) {
    let mut order: Vec<usize> = (0..offsets.len()).collect();
    order.sort_by_key(|&i| offsets[i]);
    let mut chars = 0;
    let mut iter = text.char_indices().peekable();
    for i in order {
        let target = offsets[i].min(text.len());
        while let Some(&(at, c)) = iter.peek() {
            if at + c.len_utf8() > target {
                break;
            }
            chars += 1;
            iter.next();
        }
        offsets[i] = chars;
    }
}

/// A stable id: FNV-1a over the first report's article id, event offset and type.
fn incident_id(article: &str, anchor: usize, sub_event_type: SubEventType) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let key = format!("{article}\u{1f}{anchor}\u{1f}{}", sub_event_type.as_str());
    for byte in key.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("inc-{hash:016x}")
}

fn make_ids_unique(incidents: &mut [Incident]) {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for incident in incidents.iter_mut() {
        let n = seen.entry(incident.id.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            incident.id = format!("{}-{}", incident.id, n);
        }
    }
}

fn summarise(sub: SubEventType, actors: &[String], place: &str, fatalities: Option<u32>) -> String {
    let mut summary = sub.as_str().to_owned();
    if !actors.is_empty() {
        summary.push_str(": ");
        summary.push_str(&actors.join(", "));
    }
    if !place.is_empty() {
        summary.push_str(" at ");
        summary.push_str(place);
    }
    if let Some(n) = fatalities {
        summary.push_str(&format!(" ({n} killed)"));
    }
    summary
}

#[cfg(test)]
mod tests;
