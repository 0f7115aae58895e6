//! One article's incidents: how event words, dates, places, actors and counts found sentence
//! by sentence become incident drafts.
//!
//! News stories tell one incident over several sentences: "Kurdish forces regained control
//! of the last section of a prison … The attack in Hassakeh was the biggest … Dozens from
//! both sides have been killed". The rules here follow that thread:
//! - a sentence that refers back ("the attack", "the prison", "the deployment", "both
//!   sides") *elaborates* the incident it refers to: its place, date, actors and counts are
//!   added there instead of starting a new incident;
//! - a sentence with no place and no date of its own right after an incident, whose events
//!   fit that incident ("At least 70 ISIS fighters have been killed by the SDF"), elaborates
//!   it too;
//! - a new event told while elaborating (the coalition's air strikes during the prison
//!   battle) takes the episode's place, and its date only to within a week;
//! - "Separately", "Meanwhile" start a new episode.
//!
//! What is left are drafts; [`super::dedup`] merges those that report one incident twice.

use std::collections::BTreeMap;
use std::ops::Range;

use jiff::ToSpan;
use jiff::civil::Date;

use super::actors::{self, ActorContext, ActorMention, ActorRef};
use super::counts::{self, AMONG, CLAIMED, CountKind, CountMention};
use super::dates::{self, DateMention, DateRole, DateValue, When};
use super::events::{self, Domain, EventKind, Trigger};
use super::places::{self, BorderContext, PlaceHit, PlaceRef, PlaceScope, PlaceSource};
use super::sentences::{self, Sentence};
use super::words::Words;
use crate::articles::LoadedArticle;
use crate::store::DatePrecision;

/// How many sentences back "the attack" may reach.
const ANAPHOR_WINDOW: usize = 8;

/// When an incident happened, as far as the text tells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DraftDate {
    Unknown,
    Known(When),
    /// A relative date with no publication date to anchor it ("Sunday").
    Unanchored(String),
}

impl DraftDate {
    /// Lower is more precise.
    pub fn rank(&self) -> u8 {
        match self {
            Self::Known(when) => match when.precision {
                DatePrecision::Day => 0,
                DatePrecision::Week => 1,
                DatePrecision::Month => 2,
                DatePrecision::Year => 3,
                DatePrecision::Unknown => 5,
            },
            Self::Unanchored(_) => 4,
            Self::Unknown => 6,
        }
    }

    /// Precise enough to call the incident a specific one even without a place.
    pub fn is_specific(&self) -> bool {
        match self {
            Self::Known(when) => matches!(when.precision, DatePrecision::Day | DatePrecision::Week),
            Self::Unanchored(label) => !label.contains(' '),
            Self::Unknown => false,
        }
    }
}

/// The key in [`Draft::deaths`] of a toll: everyone killed, whoever they were.
pub(crate) const TOLL: &str = "\u{0}toll";

/// An incident as read from one article, before merging with other reports.
#[derive(Debug, Clone)]
pub(crate) struct Draft {
    /// Index of the article in the input.
    pub article: usize,
    pub kind: EventKind,
    pub actors: Vec<ActorRef>,
    /// For territory changes: who gained control.
    pub gainer: Option<ActorRef>,
    /// Deaths by who died ("Islamic State", "soldiers", "").
    pub deaths: BTreeMap<String, u32>,
    pub counts: BTreeMap<CountKind, u32>,
    pub date: DraftDate,
    pub place: Option<PlaceRef>,
    /// A place name the text gave but the gazetteer could not resolve.
    pub unresolved_place: Option<String>,
    /// Byte ranges of the sentences that tell of it.
    pub evidence: Vec<Range<usize>>,
    /// Byte offset of the first event word: the draft's identity in its article.
    pub anchor: usize,
    /// Sentence where it was first told, and where last.
    pub sentence: usize,
    pub last_sentence: usize,
    pub episode: usize,
    /// Told as "separately" or "in a separate incident": the sentence where the incident then
    /// in focus was first told. This one is a different incident from any told from there
    /// on, whatever its kind and place.
    pub apart_from: Option<usize>,
    touched: usize,
}

impl Draft {
    /// Deaths reported in this article, all victims together.
    pub fn total_deaths(&self) -> Option<u32> {
        // What the attackers claim counts only where no one else gives a figure.
        let accounted = self.deaths.keys().any(|v| !v.starts_with(CLAIMED));
        if !accounted {
            return self.deaths.values().copied().max();
        }
        let told = self
            .deaths
            .iter()
            .filter(|(victims, _)| !victims.starts_with(CLAIMED))
            .filter(|(victims, _)| victims.as_str() != TOLL && !victims.starts_with(AMONG))
            .fold(0u32, |a, (_, &b)| a.saturating_add(b));
        // "killed seven people … four SDF members and a tribal fighter were among the dead":
        // those among the dead are part of a figure of everyone, else more victims.
        let among = self
            .deaths
            .iter()
            .filter(|(victims, _)| victims.starts_with(AMONG))
            .fold(0u32, |a, (_, &b)| a.saturating_add(b));
        let everyone = self
            .deaths
            .keys()
            .any(|v| matches!(v.as_str(), "people" | "persons"));
        let told = if everyone {
            told.max(among)
        } else {
            told.saturating_add(among)
        };
        // A toll counts everyone, so it is not added to the figures told by victim.
        let toll = self.deaths.get(TOLL).copied().unwrap_or(0);
        (!self.deaths.is_empty()).then_some(told.max(toll))
    }

    pub fn add_actor(&mut self, actor: ActorRef) {
        if !self.actors.contains(&actor) {
            self.actors.push(actor);
        }
    }

    pub fn add_evidence(&mut self, range: Range<usize>) {
        if !self.evidence.contains(&range) {
            self.evidence.push(range);
            self.evidence.sort_by_key(|r| r.start);
        }
    }
}

/// Why drafts were left out, for the ingest summary.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ArticleStats {
    pub sentences: usize,
    /// Event words that describe many events or a trend.
    pub aggregates: usize,
    /// Events with neither place nor date: background, not incidents.
    pub background: usize,
    /// Events dated more than a year before the article.
    pub historic: usize,
}

/// The drafts of one article, and the date the article speaks from.
pub(crate) struct ArticleDrafts {
    pub drafts: Vec<Draft>,
    pub stats: ArticleStats,
    /// Publication date, or the start of the latest year the story names.
    pub reference: Option<Date>,
    /// The place the dateline names, finer than a country.
    pub dateline: Option<PlaceRef>,
    /// When the article was published (or filed, by its dateline), if known.
    pub published: Option<Date>,
    /// The first day the story tells an event on.
    pub lead_day: Option<When>,
}

/// Reads one article into incident drafts (not yet merged, not yet filtered).
pub(crate) fn read_article(
    article_index: usize,
    loaded: &LoadedArticle,
    source: &dyn PlaceSource,
) -> ArticleDrafts {
    let text = &loaded.article.text;
    let lower = text.to_ascii_lowercase();
    let story = story_ranges(loaded);
    let sentences = sentences::split(text, &story);
    let mut mentions = source.mentions(loaded);
    mentions.sort_by_key(|m| m.span.start);
    let countries = places::country_counts(text, &story);
    // The dateline says where the story was filed: its country is one the story is about,
    // whether or not the text names it ("ERBIL, Kurdistan Region —" names no country).
    let filed_in = dateline_place(text, &lower, &sentences, &mentions).and_then(|p| p.country);
    keep_home_places(text, &mut mentions, &countries, filed_in.as_deref());
    // Without a publication date, a dated dateline ("ERBIL, Iraq, March 3, 2023 —") is when
    // the story was filed: "on Friday" counts back from it.
    let published = loaded
        .article
        .published
        .or_else(|| dateline_date(text, &lower, &sentences));

    let mut builder = Builder {
        article: article_index,
        drafts: Vec::new(),
        focus: None,
        told_last: None,
        episodes: 0,
        clock: 0,
        stats: ArticleStats {
            sentences: sentences.len(),
            ..ArticleStats::default()
        },
        source,
    };
    let mut borders = BorderContext {
        source,
        countries: &countries,
        last_border: None,
    };
    let mut actor_context = ActorContext::default();
    let mut latest_year: Option<i16> = None;
    // The first day the story tells of, even in a roundup sentence that codes no incident.
    let mut lead_day: Option<When> = None;
    for (index, sentence) in sentences.iter().enumerate() {
        let words = Words::new(text, &lower, sentence.range.clone());
        if words.len() == 0 {
            continue;
        }
        let actors = actors::find(&words, &mut actor_context);
        let dates = dates::find(&words, published);
        for date in &dates {
            if let DateValue::Known(when) = &date.value {
                latest_year = latest_year.max(Some(when.end.year()));
                if date.role == DateRole::Event && when.precision == DatePrecision::Day {
                    lead_day.get_or_insert(*when);
                }
            }
        }
        let mut triggers = events::find(&words, &actors);
        events::mark_lists(&mut triggers);
        mark_toll_subjects(&words, &mut triggers);
        mark_volleys(&words, &mut triggers);
        mark_crowds(&words, &mut triggers);
        drop_raids_of_arrests(&words, &mut triggers);
        drop_verbs_repeating_their_noun(&mut triggers);
        drop_raids_told_by_looting(&words, &mut triggers);
        drop_arrests_at_protests(&mut triggers);
        drop_grievances_of_protests(&words, &mut triggers);
        mark_since_clauses(&words, &mut triggers);
        mark_totals_since(&words, &dates, &mut triggers);
        mark_chemical_attacks(&words, &mut triggers);
        mark_missiles_fired_from_the_air(&words, &mut triggers);
        drop_fires_told_as_no_event(&words, &mut triggers);
        mark_ordinal_comparisons(&words, &mut triggers);
        mark_origins_of_remnants(&words, &mut triggers);
        mark_handovers_without_fighting(&words, &mut triggers);
        mark_crowd_violence(&words, &actors, &mut triggers);
        drop_crowds_told_by_their_violence(&words, &mut triggers);
        drop_incursions_withdrawn_from(&words, &mut triggers);
        drop_weapons_kept_from_use(&words, &mut triggers);
        mark_interceptions_of_told_strikes(&words, &mut triggers);
        drop_killings_told_by_their_event(&words, &mut triggers);
        drop_relative_clause_events(&words, &mut triggers);
        drop_arrests_of_the_attacker(&words, &mut triggers);
        drop_protests_met_with_force(&words, &mut triggers);
        drop_withdrawals_told_with_a_gain(&mut triggers);
        let taken: Vec<Range<usize>> = dates.iter().map(|d| d.words.clone()).collect();
        let mut counts = counts::find(&words, &actors, &taken);
        drop_counts_of_a_period(&words, &dates, &mut counts);
        let first = mentions.partition_point(|m| m.span.start < sentence.range.start);
        let last = mentions.partition_point(|m| m.span.start < sentence.range.end);
        let hits = places::hits_in_sentence(&words, &mentions[first..last], &actors, &mut borders);
        builder.sentence(&Facts {
            index,
            sentence,
            words: &words,
            triggers: &triggers,
            dates: &dates,
            counts: &counts,
            actors: &actors,
            hits: &hits,
        });
    }
    let reference = published.or_else(|| latest_year.and_then(|y| Date::new(y, 1, 1).ok()));
    let dateline = dateline_place(text, &lower, &sentences, &mentions)
        .filter(|filed| lead_is_about(text, &lower, &sentences, &mentions, filed));
    ArticleDrafts {
        drafts: builder.drafts,
        stats: builder.stats,
        reference,
        dateline,
        published,
        lead_day,
    }
}

/// How far from the article's own places a place abroad must lie to be taken for a namesake.
const NAMESAKE_KM: f64 = 800.0;

/// Leaves out places that are namesakes far away: a town or province in a country the article
/// does not name, more than [`NAMESAKE_KM`] from every place it names in the countries it
/// does name. "The hamlet of Karama, east of Raqqa" is not the Karama in Australia, nor "the
/// Riyadh area south-west of Kirkuk" the Saudi province: an incident is placed abroad only
/// when the text names that country. The countries the article names include the
/// dateline's (`filed_in`) and those of the regions it names ("the Kurdistan Region"). A
/// neighbour's town near the story stays, and so does everything in an article that names no
/// country or no place in one.
fn keep_home_places(
    text: &str,
    mentions: &mut Vec<places::PlaceMention>,
    countries: &[(&str, usize)],
    filed_in: Option<&str>,
) {
    let mut home: Vec<String> = countries
        .iter()
        .map(|(code, _)| (*code).to_owned())
        .chain(filed_in.map(str::to_owned))
        .collect();
    // Countries named as such, not in a compound ("the US-led coalition").
    home.extend(
        mentions
            .iter()
            .filter(|m| {
                !m.demonym
                    && !text
                        .get(m.span.end..)
                        .is_some_and(|rest| rest.starts_with('-'))
            })
            .filter_map(|m| m.place.as_ref())
            // A named region lies in one country: "the Kurdistan Region" is in Iraq.
            .filter(|p| matches!(p.scope, PlaceScope::Country | PlaceScope::Region))
            .filter_map(|p| p.country.clone()),
    );
    let is_home = |p: &PlaceRef| p.country.as_ref().is_some_and(|c| home.contains(c));
    let fine = |p: &PlaceRef| p.scope < PlaceScope::Country && p.countries.is_empty();
    let anchors: Vec<PlaceRef> = mentions
        .iter()
        .filter_map(|m| m.place.as_ref())
        .filter(|p| fine(p) && is_home(p))
        .cloned()
        .collect();
    if anchors.is_empty() {
        return;
    }
    mentions.retain(|m| {
        m.place.as_ref().is_none_or(|p| {
            !fine(p)
                || is_home(p)
                || p.country.is_none()
                || anchors
                    .iter()
                    .any(|a| places::distance_km(a, p) <= NAMESAKE_KM)
        })
    });
}

/// The story proper: the loader's story without teasers and labels in the body.
fn story_ranges(loaded: &LoadedArticle) -> Vec<Range<usize>> {
    let skip = super::structure::non_story_lines(&loaded.article.text);
    super::structure::subtract(&loaded.story_ranges(), &skip)
}

/// Everything found in one sentence.
struct Facts<'a, 'w> {
    index: usize,
    sentence: &'a Sentence,
    words: &'a Words<'w>,
    triggers: &'a [Trigger],
    dates: &'a [DateMention],
    counts: &'a [CountMention],
    actors: &'a [ActorMention],
    hits: &'a [PlaceHit],
}

/// A phrase that refers back to an incident.
struct Anaphor {
    word: usize,
    domains: &'static [Domain],
    /// Refers to a place fought over ("the prison"): ground fighting or territory, not strikes.
    ground: bool,
}

/// What one event word brings.
#[derive(Clone)]
struct TriggerInfo {
    actors: Vec<ActorRef>,
    gainer: Option<ActorRef>,
    date: DraftDate,
    /// Dated by a period ("between April and June"): many events.
    spans_period: bool,
    place: Option<PlaceRef>,
    unresolved_place: Option<String>,
}

struct Builder<'s> {
    article: usize,
    drafts: Vec<Draft>,
    /// The incident the story is telling about now.
    focus: Option<usize>,
    /// The incident told last before this sentence, even across a break ("In a separate
    /// operation the same day"): what relative days count from.
    told_last: Option<usize>,
    episodes: usize,
    /// Counts touches, to find the most recently told incident.
    clock: usize,
    stats: ArticleStats,
    source: &'s dyn PlaceSource,
}

const EPISODE_BREAKS: &[&str] = &["separately", "meanwhile", "elsewhere"];

impl Builder<'_> {
    fn sentence(&mut self, facts: &Facts<'_, '_>) {
        let words = facts.words;
        let index = facts.index;
        let breaks = EPISODE_BREAKS.contains(&words.lower(0))
            || words.matches(0, "in another")
            || words.matches(0, "in a separate");
        self.told_last = self.focus;
        let told_apart = words.lower(0) == "separately"
            || words.matches(0, "in another")
            || words.matches(0, "in a separate");
        let apart_from = self
            .focus
            .filter(|_| told_apart)
            .and_then(|f| self.drafts.get(f))
            .map(|d| d.sentence);
        if breaks {
            self.focus = None;
        }
        let anaphor = find_anaphor(words, facts.triggers, facts.hits);
        let by_anaphor = anaphor.as_ref().and_then(|a| self.antecedent(a, index));
        let target = by_anaphor.or_else(|| self.continuation(facts));

        let trigger_segments: Vec<u16> = facts
            .triggers
            .iter()
            .map(|t| words.segment(t.words.start))
            .collect();
        let mut trigger_drafts: Vec<Option<usize>> = vec![None; facts.triggers.len()];
        let mut skipped: Vec<bool> = vec![false; facts.triggers.len()];
        let mut new_episode: Option<usize> = None;
        let mut touched: Vec<usize> = Vec::new();

        for (k, trigger) in facts.triggers.iter().enumerate() {
            let mut info = self.trigger_info(facts, k, &trigger_segments);
            if toll_subject(words, trigger) {
                // "The toll from the car bomb rose to nine on Tuesday": the day is the toll's.
                info.date = DraftDate::Unknown;
            }
            // "attacked a barracks …, killing 11 soldiers": the killing is that attack; after
            // "airstrikes last year that killed 80" it is part of a series and left out too.
            // "More than 550 people were killed in the protest movement … from October 2019":
            // the dead of a period are no incident's, not even the one the phrase names.
            if trigger.kind == EventKind::Killing && info.spans_period {
                self.stats.aggregates += 1;
                skipped[k] = true;
                continue;
            }
            if trigger.kind == EventKind::Killing {
                let previous_violence = (0..k).rev().find(|&p| {
                    facts.triggers[p].kind.domain() == Domain::Violence
                        && facts.triggers[p].kind != EventKind::Killing
                });
                if previous_violence.is_some_and(|p| skipped[p]) {
                    skipped[k] = true;
                    continue;
                }
                let previous = (0..k)
                    .rev()
                    .find_map(|p| trigger_drafts[p])
                    .filter(|&d| self.drafts[d].kind.domain() == Domain::Violence);
                // "A drone struck a car … Three people in the car were killed": the dead of
                // the incident just told, when the sentence places and dates nothing else.
                let told_just_before = self.focus.filter(|&f| {
                    let d = &self.drafts[f];
                    d.kind.domain() == Domain::Violence
                        && !d.kind.is_generic()
                        && d.deaths.is_empty()
                        && d.last_sentence + 1 >= index
                        && k == 0
                        && facts.triggers.iter().all(|t| t.kind == EventKind::Killing)
                        && facts.hits.iter().all(|h| h.demonym)
                        && !disjoint(&d.actors, &info.actors)
                        && info.place.is_none()
                        && info.unresolved_place.is_none()
                        && info.date == DraftDate::Unknown
                });
                // "16 people … were killed in the strikes", "one inmate was killed … in the
                // unrest": the dead of the incident the phrase refers back to.
                let referred = by_anaphor.filter(|_| {
                    trigger.passive
                        && anaphor.as_ref().is_some_and(|a| {
                            a.word > trigger.words.end
                                && a.word <= trigger.words.end + 12
                                && words.segment(a.word) == words.segment(trigger.words.start)
                                && (a.word.saturating_sub(3)..a.word)
                                    .any(|j| matches!(words.lower(j), "in" | "during" | "amid"))
                        })
                });
                if let Some(draft) = previous.or(told_just_before).or(referred) {
                    self.absorb(draft, trigger, info);
                    trigger_drafts[k] = Some(draft);
                    touched.push(draft);
                    continue;
                }
            }
            // "the attack", "the deployment": the incident already told.
            if trigger.definite {
                // "claimed the attack" after a rocket strike: any violent incident told.
                let generic_attack = trigger.kind == EventKind::Clash
                    && matches!(words.lower(trigger.words.start), "attack" | "assault");
                let antecedent = self
                    .antecedent_for(trigger.kind, index)
                    .or_else(|| {
                        generic_attack
                            .then(|| self.antecedent_in_domain(Domain::Violence, index))
                            .flatten()
                    })
                    .or_else(|| {
                        // "shot down most of the missiles": those of the strike told.
                        (trigger.kind == EventKind::ShotDown)
                            .then(|| {
                                self.antecedent_in_domain(Domain::Violence, index)
                                    .filter(|&d| {
                                        matches!(
                                            self.drafts[d].kind,
                                            EventKind::AirStrike | EventKind::Shelling
                                        )
                                    })
                            })
                            .flatten()
                    })
                    .filter(|&d| self.fits(d, &info));
                if let Some(draft) = antecedent {
                    self.absorb(draft, trigger, info);
                    trigger_drafts[k] = Some(draft);
                    touched.push(draft);
                    continue;
                }
            }
            if let Some(target) = target {
                let episode = self.drafts[target].episode;
                if let Some(draft) = self
                    .compatible_in_episode(episode, trigger.kind, &info.actors)
                    .filter(|&d| self.fits(d, &info))
                {
                    self.absorb(draft, trigger, info);
                    trigger_drafts[k] = Some(draft);
                    touched.push(draft);
                    continue;
                }
            }
            // "At least 12 protesters were detained" after a protest dispersed: part of it.
            if trigger.kind == EventKind::Arrest {
                let of_protesters = (trigger.words.start.saturating_sub(4)
                    ..words.len().min(trigger.words.end + 4))
                    .any(|j| matches!(words.lower(j), "protesters" | "demonstrators"));
                let protest = self
                    .focus
                    .filter(|&f| self.drafts[f].kind.domain() == Domain::Protest);
                if let (true, Some(draft)) = (of_protesters, protest) {
                    if self.drafts[draft].kind == EventKind::Protest {
                        self.drafts[draft].kind = EventKind::ProtestDispersed;
                    }
                    trigger_drafts[k] = Some(draft);
                    touched.push(draft);
                    continue;
                }
            }
            // "Reinforcements were sent to the area" after an attack: the response to it,
            // not an incident of its own.
            let to_the_scene = trigger.kind == EventKind::Deployment
                && (trigger.words.end..words.len().min(trigger.words.end + 6)).any(|j| {
                    words.lower(j) == "the"
                        && matches!(words.lower(j + 1), "area" | "scene" | "site")
                });
            let after_violence = self
                .focus
                .is_some_and(|f| self.drafts[f].kind.domain() == Domain::Violence);
            if to_the_scene && after_violence && info.date == DraftDate::Unknown {
                self.stats.background += 1;
                skipped[k] = true;
                continue;
            }
            if trigger.aggregate || info.spans_period {
                self.stats.aggregates += 1;
                skipped[k] = true;
                continue;
            }
            let inherit = target.filter(|&t| self.drafts[t].kind.domain() == trigger.kind.domain());
            let episode = match inherit {
                Some(t) => self.drafts[t].episode,
                None => *new_episode.get_or_insert_with(|| {
                    self.episodes += 1;
                    self.episodes
                }),
            };
            let mut draft = Draft {
                article: self.article,
                kind: trigger.kind,
                actors: Vec::new(),
                gainer: info.gainer,
                deaths: BTreeMap::new(),
                counts: BTreeMap::new(),
                date: info.date.clone(),
                place: info.place.clone(),
                unresolved_place: info.unresolved_place.clone(),
                evidence: Vec::new(),
                anchor: words.words[trigger.words.start].start,
                sentence: index,
                last_sentence: index,
                episode,
                apart_from,
                touched: 0,
            };
            for actor in &info.actors {
                draft.add_actor(*actor);
            }
            if let Some(t) = inherit {
                let parent = &self.drafts[t];
                if draft.place.is_none() && draft.unresolved_place.is_none() {
                    draft.place = parent.place.clone();
                }
                if draft.date == DraftDate::Unknown {
                    draft.date = match &parent.date {
                        DraftDate::Known(when) if when.precision <= DatePrecision::Week => {
                            DraftDate::Known(When::week_from(when.start))
                        }
                        DraftDate::Unanchored(label) => DraftDate::Unanchored(label.clone()),
                        _ => DraftDate::Unknown,
                    };
                }
            }
            self.drafts.push(draft);
            let id = self.drafts.len() - 1;
            trigger_drafts[k] = Some(id);
            touched.push(id);
        }

        // Counts go to the event they follow ("killing 11 soldiers"), else to the incident
        // the sentence elaborates.
        for count in facts.counts {
            let at = count.outcome_word;
            let preceding = facts.triggers.iter().rposition(|t| t.words.start <= at);
            if preceding.is_some_and(|k| skipped[k]) {
                continue;
            }
            // A toll with no event of its own is the toll of the incident in focus, whatever
            // day it was counted.
            let draft = preceding
                .and_then(|k| trigger_drafts[k])
                .or_else(|| trigger_drafts.iter().flatten().next().copied())
                .or(target)
                .or(self.focus.filter(|_| count.total));
            if let Some(draft) = draft {
                let d = &mut self.drafts[draft];
                if count.kind == CountKind::Killed && count.total {
                    let entry = d.deaths.entry(TOLL.to_owned()).or_insert(0);
                    *entry = (*entry).max(count.value);
                } else if count.kind == CountKind::Killed {
                    let entry = d.deaths.entry(count.victims.clone()).or_insert(0);
                    *entry = (*entry).max(count.value);
                } else {
                    let entry = d.counts.entry(count.kind).or_insert(0);
                    *entry = (*entry).max(count.value);
                }
                touched.push(draft);
            }
        }

        // What the referring phrase itself says: "The attack in Hassakeh".
        if let (Some(anaphor), Some(target)) = (&anaphor, by_anaphor) {
            let segment = words.segment(anaphor.word);
            let segment_has_event = facts
                .triggers
                .iter()
                .any(|t| words.segment(t.words.start) == segment && t.words.start != anaphor.word);
            if !segment_has_event {
                self.elaborate(facts, anaphor, target, &mut touched);
            }
        }

        // An official's words about a place, when the sentence tells no event of its own
        // and refers to none: the statement is the incident.
        // A sentence that counts dead reports events, even ones too many to code one by one.
        if touched.is_empty()
            && by_anaphor.is_none()
            && facts.counts.is_empty()
            && let Some(draft) = self.statement(facts)
        {
            touched.push(draft);
        }

        touched.sort_unstable();
        touched.dedup();
        for &draft in &touched {
            self.clock += 1;
            let d = &mut self.drafts[draft];
            d.add_evidence(facts.sentence.range.clone());
            d.last_sentence = index;
            d.touched = self.clock;
        }
        if let Some(&last) = touched.iter().max_by_key(|&&d| self.drafts[d].touched) {
            self.focus = Some(last);
        }
    }

    /// Drafts an official statement about a place, or adds to the one this article already
    /// told about that place (one statement is often quoted over several sentences, and what
    /// is said during a visit belongs to the visit).
    fn statement(&mut self, facts: &Facts<'_, '_>) -> Option<usize> {
        let speech = events::speech(facts.words, facts.actors)?;
        // "…, he said": the statement or visit just told goes on, wherever its words turn.
        let speaking = self.focus.filter(|&f| {
            let d = &self.drafts[f];
            d.kind.compatible(EventKind::Statement)
                && d.last_sentence + 2 >= facts.index
                && !disjoint(&d.actors, &speech.speakers)
        });
        let place = match statement_place(facts) {
            Some(place) => place,
            None => return speaking,
        };
        let date = facts
            .dates
            .iter()
            .filter(|d| d.role == DateRole::Event)
            .max_by_key(|d| d.rank)
            .map_or(DraftDate::Unknown, |d| draft_date(&d.value));
        let info = TriggerInfo {
            actors: speech.speakers,
            gainer: None,
            date,
            spans_period: false,
            place: Some(place),
            unresolved_place: None,
        };
        // The same speaker going on about another place is still the one statement.
        let placeless = TriggerInfo {
            place: None,
            ..info.clone()
        };
        let earlier = speaking.filter(|&f| self.fits(f, &placeless)).or_else(|| {
            self.drafts
                .iter()
                .enumerate()
                .filter(|(_, d)| d.kind.compatible(EventKind::Statement))
                .filter(|&(i, _)| self.fits(i, &info))
                .max_by_key(|(_, d)| d.touched)
                .map(|(i, _)| i)
        });
        if let Some(existing) = earlier {
            let d = &mut self.drafts[existing];
            for actor in info.actors {
                d.add_actor(actor);
            }
            if d.date == DraftDate::Unknown {
                d.date = info.date;
            }
            return Some(existing);
        }
        self.episodes += 1;
        let mut draft = Draft {
            article: self.article,
            kind: EventKind::Statement,
            actors: Vec::new(),
            gainer: None,
            deaths: BTreeMap::new(),
            counts: BTreeMap::new(),
            date: info.date,
            place: info.place,
            unresolved_place: None,
            evidence: Vec::new(),
            anchor: facts.words.words[speech.verb].start,
            sentence: facts.index,
            last_sentence: facts.index,
            episode: self.episodes,
            apart_from: None,
            touched: 0,
        };
        for actor in info.actors {
            draft.add_actor(actor);
        }
        self.drafts.push(draft);
        Some(self.drafts.len() - 1)
    }

    /// Adds what an anaphor's own clause says to the incident it refers to.
    fn elaborate(
        &mut self,
        facts: &Facts<'_, '_>,
        anaphor: &Anaphor,
        target: usize,
        touched: &mut Vec<usize>,
    ) {
        let words = facts.words;
        let segment = words.segment(anaphor.word);
        let place_hit = facts.hits.iter().find(|h| {
            !h.demonym && h.words.start > anaphor.word && words.segment(h.words.start) == segment
        });
        if let Some(place) = place_hit.and_then(|h| h.place.clone()) {
            let before = self.drafts[target].place.clone();
            let refined = match &before {
                Some(current) => places::refine(current, &place, self.source),
                None => place,
            };
            {
                // Incidents told in the same sentence as the target happened at the same
                // place when the text gave them none ("regained control of a prison …,
                // ending a week-long assault"; "The attack in Hassakeh").
                let sentence = self.drafts[target].sentence;
                for (i, draft) in self.drafts.iter_mut().enumerate() {
                    let same_scene = i == target || draft.sentence == sentence;
                    let open = match &draft.place {
                        None => draft.unresolved_place.is_none(),
                        Some(p) => refined.scope < p.scope && places::compatible(p, &refined),
                    };
                    if same_scene
                        && open
                        && matches!(draft.kind.domain(), Domain::Violence | Domain::Territory)
                    {
                        draft.place = Some(refined.clone());
                        touched.push(i);
                    }
                }
                touched.push(target);
            }
        }
        if self.drafts[target].date == DraftDate::Unknown {
            let date = facts
                .dates
                .iter()
                .filter(|d| d.role == DateRole::Event && words.segment(d.words.start) == segment)
                // "The attack was the third in the area this month": a month or a year
                // said of the referring phrase dates the series, not the incident.
                .filter(|d| {
                    !matches!(&d.value, DateValue::Known(when) if when.precision > DatePrecision::Week)
                })
                .max_by_key(|d| d.rank);
            if let Some(date) = date {
                self.drafts[target].date = draft_date(&date.value);
                touched.push(target);
            }
        }
        if facts.triggers.iter().all(|t| t.words.start == anaphor.word) {
            for mention in facts
                .actors
                .iter()
                .filter(|a| words.segment(a.words.start) == segment)
            {
                if mention.actor.kind().is_armed()
                    && !self.drafts[target].actors.contains(&mention.actor)
                {
                    self.drafts[target].actors.push(mention.actor);
                    touched.push(target);
                }
            }
        }
    }

    fn absorb(&mut self, draft: usize, trigger: &Trigger, info: TriggerInfo) {
        let d = &mut self.drafts[draft];
        if d.kind.is_generic() && !trigger.kind.is_generic() && d.kind.compatible(trigger.kind) {
            d.kind = trigger.kind;
        }
        for actor in info.actors {
            d.add_actor(actor);
        }
        if d.gainer.is_none() && d.kind.domain() == Domain::Territory {
            d.gainer = info.gainer;
        }
        match (&d.place, info.place) {
            (None, Some(place)) if d.unresolved_place.is_none() => d.place = Some(place),
            (Some(current), Some(place)) => {
                d.place = Some(places::refine(current, &place, self.source))
            }
            _ => {}
        }
        // "The attack was the third in the area this month": a reference back dates an
        // incident only to a day.
        let coarse =
            matches!(&info.date, DraftDate::Known(when) if when.precision > DatePrecision::Week);
        if d.date == DraftDate::Unknown && !(trigger.definite && coarse) {
            d.date = info.date;
        }
    }

    /// Whether an event word's own date and place allow it to be part of draft `d`.
    fn fits(&self, d: usize, info: &TriggerInfo) -> bool {
        let draft = &self.drafts[d];
        let dates = match (&draft.date, &info.date) {
            (DraftDate::Known(a), DraftDate::Known(b)) => a.overlaps(b, 1),
            (DraftDate::Unanchored(a), DraftDate::Unanchored(b)) => a == b,
            (DraftDate::Known(_), DraftDate::Unanchored(_))
            | (DraftDate::Unanchored(_), DraftDate::Known(_)) => false,
            _ => true,
        };
        let places = match (&draft.place, &info.place) {
            (Some(a), Some(b)) => places::compatible(a, b),
            _ => true,
        };
        dates && places
    }

    /// The incident an anaphor refers to: the most recently told one of its kind, in reach.
    fn antecedent(&self, anaphor: &Anaphor, index: usize) -> Option<usize> {
        let candidates: Vec<(usize, &Draft)> = self
            .drafts
            .iter()
            .enumerate()
            .filter(|(_, d)| d.last_sentence + ANAPHOR_WINDOW >= index)
            .filter(|(_, d)| anaphor.domains.contains(&d.kind.domain()))
            .filter(|(_, d)| {
                !anaphor.ground
                    || d.kind.is_ground_fighting()
                    || d.kind.domain() == Domain::Territory
            })
            .collect();
        // "US warplanes struck … in response to a drone attack … last week. 16 people were
        // killed in the strikes": a reference back is to the news, not to an event that had
        // ended before another candidate began.
        let latest_start = candidates
            .iter()
            .filter_map(|(_, d)| match &d.date {
                DraftDate::Known(when) => Some(when.start),
                _ => None,
            })
            .max();
        candidates
            .into_iter()
            .filter(|(_, d)| match (&d.date, latest_start) {
                (DraftDate::Known(when), Some(latest)) => when.end >= latest,
                _ => true,
            })
            .max_by_key(|(_, d)| d.touched)
            .map(|(i, _)| i)
    }

    fn antecedent_for(&self, kind: EventKind, index: usize) -> Option<usize> {
        self.drafts
            .iter()
            .enumerate()
            .filter(|(_, d)| d.last_sentence + ANAPHOR_WINDOW >= index)
            .filter(|(_, d)| d.kind.compatible(kind))
            .max_by_key(|(_, d)| d.touched)
            .map(|(i, _)| i)
    }

    fn antecedent_in_domain(&self, domain: Domain, index: usize) -> Option<usize> {
        self.drafts
            .iter()
            .enumerate()
            .filter(|(_, d)| d.last_sentence + ANAPHOR_WINDOW >= index)
            .filter(|(_, d)| d.kind.domain() == domain)
            .max_by_key(|(_, d)| d.touched)
            .map(|(i, _)| i)
    }

    /// The incident in `episode` an event word adds to, if one fits.
    fn compatible_in_episode(
        &self,
        episode: usize,
        kind: EventKind,
        actors: &[ActorRef],
    ) -> Option<usize> {
        self.drafts
            .iter()
            .enumerate()
            .filter(|(_, d)| d.episode == episode && d.kind.compatible(kind))
            .filter(|(_, d)| !disjoint(&d.actors, actors))
            .max_by_key(|(_, d)| d.touched)
            .map(|(i, _)| i)
    }

    /// A sentence with no place and no date of its own, right after an incident, whose
    /// events fit that incident's episode, continues it.
    fn continuation(&self, facts: &Facts<'_, '_>) -> Option<usize> {
        let focus = self.focus?;
        let current = &self.drafts[focus];
        if current.last_sentence + 2 < facts.index {
            return None;
        }
        let own_place = facts.hits.iter().any(|h| {
            !h.demonym
                && h.place
                    .as_ref()
                    .is_some_and(|p| p.scope < PlaceScope::Region)
        });
        let own_date = facts.dates.iter().any(|d| d.role == DateRole::Event);
        if own_place || own_date {
            return None;
        }
        let live: Vec<&Trigger> = facts.triggers.iter().filter(|t| !t.aggregate).collect();
        if live.is_empty() {
            return (!facts.counts.is_empty()).then_some(focus);
        }
        let episode: Vec<&Draft> = self
            .drafts
            .iter()
            .filter(|d| d.episode == current.episode)
            .collect();
        let fits = live
            .iter()
            .all(|t| episode.iter().any(|d| d.kind.compatible(t.kind)));
        let named: Vec<ActorRef> = facts
            .actors
            .iter()
            .map(|a| a.actor)
            .filter(|a| !a.is_generic())
            .collect();
        let episode_actors: Vec<ActorRef> = episode
            .iter()
            .flat_map(|d| d.actors.iter().copied())
            .collect();
        (fits && !disjoint(&episode_actors, &named)).then_some(focus)
    }

    /// "The next morning, villagers gathered …", "Police arrested eleven men the next day",
    /// "The previous day, a drone struck …", "In a separate operation the same day": a phrase
    /// that counts days from the incident just told dates the sentence's events from that
    /// incident's day, unless they have a day of their own (a day they were only reported on,
    /// "said in a statement on Wednesday", is none).
    fn relative_day(
        &self,
        facts: &Facts<'_, '_>,
        trigger: &Trigger,
        own: &DraftDate,
    ) -> Option<Date> {
        let words = facts.words;
        self.told_last?;
        // Decided first, so that most event words, dated by their own clause, scan nothing.
        let undated = *own == DraftDate::Unknown;
        let only_reported = || {
            facts
                .dates
                .iter()
                .filter(|d| d.role == DateRole::Event)
                .all(|d| reporting_date(words, d))
        };
        if !undated && !only_reported() {
            return None;
        }
        let offset = (0..words.len())
            .filter(|&i| {
                matches!(
                    words.lower(i),
                    "the" | "a" | "one" | "that" | "later" | "earlier"
                )
            })
            .find_map(|i| {
                RELATIVE_DAYS
                    .iter()
                    .find(|(phrase, _)| words.matches(i, phrase))
                    .map(|&(_, days)| days)
            });
        // "Hours earlier, a roadside bomb …": the same day, or the day before when the
        // incident it counts back from happened in the small hours (see below).
        let hours_back = offset.is_none()
            && (0..words.len()).any(|i| {
                // Not "in the 24 hours before the army entered it": a span, not a time.
                words.lower(i) == "hours"
                    && (words.lower(i + 1) == "earlier"
                        || (words.lower(i + 1) == "before"
                            && words.segment(i + 2) != words.segment(i + 1)))
            });
        let offset = offset.or(hours_back.then_some(0));
        // "The exchange came a day after the two sides traded fire": an event told after "a
        // day after" (a verb, not "the attack" it counts from) is the earlier one.
        let offset = offset.or_else(|| {
            (0..trigger.words.start).find_map(|i| {
                let days = if words.matches(i, "a day after") || words.matches(i, "one day after") {
                    -1
                } else if words.matches(i, "two days after") {
                    -2
                } else {
                    return None;
                };
                let after_phrase = i + 3 <= trigger.words.start
                    && words.segment(i) == words.segment(trigger.words.start);
                (after_phrase && !trigger.noun).then_some(days)
            })
        });
        // "Russian warplanes also struck …" right after a dated incident: the same day.
        let also = || {
            let start = trigger.words.start;
            let adjacent = self
                .told_last
                .is_some_and(|f| self.drafts[f].last_sentence + 1 >= facts.index);
            (adjacent
                && (start.saturating_sub(2)..trigger.words.end + 2)
                    .any(|j| words.lower(j) == "also" && words.segment(j) == words.segment(start)))
            .then_some(0)
        };
        let offset = if undated {
            offset.or_else(also)?
        } else {
            offset?
        };
        // The incident just told, or failing a day of its own, the last one told that has one
        // (a raid told after its arrests, without a day, does not break the count).
        let day_of = |d: &Draft| match &d.date {
            DraftDate::Known(when) if when.precision == DatePrecision::Day => Some(when.start),
            _ => None,
        };
        let last = &self.drafts[self.told_last?];
        let day = day_of(last).or_else(|| {
            self.drafts
                .iter()
                .filter(|d| d.touched <= last.touched)
                .max_by_key(|d| d.touched * usize::from(day_of(d).is_some()))
                .and_then(day_of)
        })?;
        let offset = if hours_back && told_in_small_hours(words.text, last) {
            -1
        } else {
            offset
        };
        day.checked_add(i64::from(offset).days()).ok()
    }

    /// "Jets later struck the hideouts, killing six more, the military said on Sunday": an
    /// event told as later than the incident just told, whose sentence gives only the day it
    /// was reported, happened on that incident's day.
    fn later_than_focus(&self, facts: &Facts<'_, '_>, trigger: &Trigger) -> Option<Date> {
        let words = facts.words;
        let start = trigger.words.start;
        if !(start.saturating_sub(3)..start).any(|j| words.lower(j) == "later") {
            return None;
        }
        if !facts
            .dates
            .iter()
            .filter(|d| d.role == DateRole::Event)
            .all(|d| reporting_date(words, d))
        {
            return None;
        }
        let focus = &self.drafts[self.focus?];
        match &focus.date {
            DraftDate::Known(when) if when.precision == DatePrecision::Day => Some(when.start),
            _ => None,
        }
    }

    fn trigger_info(
        &self,
        facts: &Facts<'_, '_>,
        k: usize,
        trigger_segments: &[u16],
    ) -> TriggerInfo {
        let words = facts.words;
        let trigger = &facts.triggers[k];
        let segment = words.segment(trigger.words.start);
        let next_in_segment = facts
            .triggers
            .get(k + 1)
            .filter(|n| words.segment(n.words.start) == segment)
            .map(|n| n.words.start);
        let previous_end = k.checked_sub(1).map(|p| facts.triggers[p].words.end);
        let (actors, gainer) = trigger_actors(facts, k);
        let (mut date, spans_period) = trigger_date(facts, k, trigger_segments);
        if let Some(day) = self.relative_day(facts, trigger, &date) {
            date = DraftDate::Known(When::day(day));
        }
        if let Some(day) = self.later_than_focus(facts, trigger) {
            date = DraftDate::Known(When::day(day));
        }
        let mut place = None;
        let mut unresolved_place = None;
        if let Some((hit, context)) = places::attach(
            words,
            facts.hits,
            trigger.words.clone(),
            (previous_end, next_in_segment),
            trigger.passive,
            trigger_segments,
        ) {
            // "The rockets were fired from a truck parked near al-Baghdadi": where they were
            // launched, not where they struck.
            let launch_site = matches!(trigger.kind, EventKind::Shelling | EventKind::AirStrike)
                && (trigger.words.end..facts.hits[hit].words.start).any(|j| {
                    words.lower(j) == "from"
                        && j > 0
                        && matches!(words.lower(j - 1), "fired" | "launched" | "shot")
                });
            match &facts.hits[hit].place {
                _ if launch_site => {}
                Some(found) => {
                    let context = context.and_then(|c| facts.hits[c].place.as_ref());
                    place = Some(match context {
                        Some(context) => places::refine(found, context, self.source),
                        None => found.clone(),
                    });
                }
                None => unresolved_place = Some(facts.hits[hit].name.clone()),
            }
        }
        TriggerInfo {
            actors,
            gainer,
            date,
            spans_period,
            place,
            unresolved_place,
        }
    }
}

/// Phrases that count days from the incident just told, and how many.
const RELATIVE_DAYS: &[(&str, i8)] = &[
    ("the next day", 1),
    ("the next morning", 1),
    ("the next evening", 1),
    ("the next night", 1),
    ("the following day", 1),
    ("the following morning", 1),
    ("the following evening", 1),
    ("the following night", 1),
    ("a day later", 1),
    ("one day later", 1),
    ("the day after", 1),
    ("the previous day", -1),
    ("the previous night", -1),
    ("the previous evening", -1),
    ("the preceding day", -1),
    ("the day before", -1),
    ("the night before", -1),
    ("a day earlier", -1),
    ("one day earlier", -1),
    ("the same day", 0),
    ("that same day", 0),
    ("later that day", 0),
    ("earlier that day", 0),
];

/// Whether a sentence telling `draft` puts it in the small hours ("shortly after midnight",
/// "at dawn", "at 2 a.m."): a few hours before it is the day before.
fn told_in_small_hours(text: &str, draft: &Draft) -> bool {
    draft
        .evidence
        .iter()
        .filter_map(|r| text.get(r.clone()))
        .any(sentence_in_small_hours)
}

fn sentence_in_small_hours(sentence: &str) -> bool {
    const SMALL_HOURS: &[&str] = &[
        "after midnight",
        "past midnight",
        "early hours",
        "before dawn",
        "at dawn",
        "pre-dawn",
    ];
    let lower = sentence.to_ascii_lowercase();
    if SMALL_HOURS.iter().any(|p| lower.contains(p)) {
        return true;
    }
    // "at 2 a.m.", "around 3:30 am": an hour before six in the morning.
    lower
        .match_indices(" a.m")
        .chain(lower.match_indices(" am "))
        .any(|(at, _)| {
            let clock = lower[..at].rsplit(' ').next().unwrap_or("");
            let hour = clock.split(':').next().unwrap_or("");
            hour.parse::<u32>().is_ok_and(|h| h < 6)
        })
}

/// A date the sentence gives only as when something was said: "…, police said on Wednesday".
fn reporting_date(words: &Words<'_>, date: &DateMention) -> bool {
    let at = date.words.start;
    let verb = if at > 0 && matches!(words.lower(at - 1), "on" | "late" | "early") {
        at.checked_sub(2)
    } else {
        at.checked_sub(1)
    };
    // "said in a statement on Wednesday"
    let verb = verb.map(|v| {
        if v >= 3 && words.matches(v - 2, "in a statement") {
            v - 3
        } else {
            v
        }
    });
    verb.is_some_and(|v| {
        matches!(
            words.lower(v),
            "said" | "told" | "announced" | "reported" | "added" | "stated"
        )
    })
}

/// Whether an event word names what a toll counts ("the toll from a car bomb …").
fn toll_subject(words: &Words<'_>, trigger: &Trigger) -> bool {
    let segment = words.segment(trigger.words.start);
    (trigger.words.start.saturating_sub(4)..trigger.words.start)
        .any(|j| words.segment(j) == segment && words.lower(j) == "toll")
}

/// Event words that name what a toll counts refer to an incident, as "the attack" does.
fn mark_toll_subjects(words: &Words<'_>, triggers: &mut [Trigger]) {
    for trigger in triggers.iter_mut() {
        if toll_subject(words, trigger) {
            trigger.definite = true;
            // "rose" after it is the toll rising, not a trend of attacks.
            trigger.aggregate = false;
        }
    }
}

/// "Hundreds of teachers protested": the size of a crowd, not a count of protests.
fn mark_crowds(words: &Words<'_>, triggers: &mut [Trigger]) {
    const CROWDS: &[&str] = &["hundreds", "thousands", "dozens", "scores", "tens"];
    for trigger in triggers.iter_mut() {
        let start = trigger.words.start;
        if matches!(trigger.kind, EventKind::Protest | EventKind::Riot)
            && (start.saturating_sub(4)..start).any(|j| CROWDS.contains(&words.lower(j)))
        {
            trigger.aggregate = false;
        }
    }
}

/// "arrested five suspects in a raid": the raid is how the arrest was made, not a fight of
/// its own.
fn drop_raids_of_arrests(words: &Words<'_>, triggers: &mut Vec<Trigger>) {
    let raid = |t: &Trigger| {
        t.kind.is_ground_fighting()
            && matches!(words.lower(t.words.start), "raid" | "raids" | "raided")
    };
    // "raided the village of X and arrested five": told where the raid names its place.
    let first_arrest = triggers.iter().position(|t| t.kind == EventKind::Arrest);
    if let Some(before) = first_arrest.and_then(|a| triggers[..a].iter().position(raid)) {
        arrests_at_the_incursion(before, triggers);
    }
    if triggers.iter().any(|t| t.kind == EventKind::Arrest) {
        triggers.retain(|t| {
            !(t.kind.is_ground_fighting()
                && matches!(words.lower(t.words.start), "raid" | "raids" | "raided"))
        });
    }
}

/// "Troops entered the village of X …, searched homes and detained three men": the arrests
/// are the incident, told where the incursion names its place. The incursion's word takes
/// the arrests' kind and the arrest words after it go, so the place, the day and the count
/// all come to one incident.
fn arrests_at_the_incursion(incursion: usize, triggers: &mut Vec<Trigger>) {
    let Some(arrest) = triggers
        .iter()
        .skip(incursion + 1)
        .position(|t| t.kind == EventKind::Arrest)
    else {
        return;
    };
    let arrest = incursion + 1 + arrest;
    let kind = triggers[arrest].kind;
    triggers[incursion].kind = kind;
    triggers.remove(arrest);
}

/// "An explosive device planted by the group went off": the verb tells the event the noun
/// just named, not another one.
fn drop_verbs_repeating_their_noun(triggers: &mut Vec<Trigger>) {
    let repeats = |triggers: &[Trigger], k: usize| {
        let t = &triggers[k];
        !t.noun
            && triggers[..k].iter().any(|p| {
                p.noun
                    && (p.kind == t.kind
                        || (p.kind == EventKind::SuicideBombing && t.kind == EventKind::Explosive))
                    && p.kind.domain() == Domain::Violence
                    && t.words.start <= p.words.end + 10
            })
    };
    drop_where(triggers, repeats);
}

/// "Gunmen stormed the village, looting homes and setting fire to fields": a raid that only
/// loots and burns is the looting, not a fight of its own — unless anyone is hurt.
fn drop_raids_told_by_looting(words: &Words<'_>, triggers: &mut Vec<Trigger>) {
    // A crowd of protesters storming and burning is rioting, not a raid told by its looting.
    let protest = triggers.iter().any(|t| t.kind == EventKind::Protest);
    let looting = !protest && triggers.iter().any(|t| t.kind == EventKind::Destruction);
    let harmed = (0..words.len()).any(|j| {
        matches!(
            words.lower(j),
            "killed" | "killing" | "dead" | "wounded" | "wounding" | "injured" | "injuring"
        )
    });
    if looting && !harmed {
        triggers.retain(|t| {
            !(t.kind.domain() == Domain::Violence
                && t.kind != EventKind::Destruction
                && matches!(
                    words.lower(t.words.start),
                    "raid" | "raids" | "raided" | "stormed" | "attacked"
                ))
        });
    }
    // "Inmates rioted …, setting fire to mattresses": burning told as the manner of another
    // event is part of it.
    let other = triggers.iter().any(|t| {
        t.kind != EventKind::Destruction
            && matches!(t.kind.domain(), Domain::Violence | Domain::Protest)
    });
    if other {
        triggers.retain(|t| {
            !(t.kind == EventKind::Destruction && words.lower(t.words.start).ends_with("ing"))
        });
    }
}

/// "Security forces fired tear gas and detained 20 people as teachers protested": those
/// detained at a protest are part of the protest with intervention, not an arrest of its own.
fn drop_arrests_at_protests(triggers: &mut Vec<Trigger>) {
    let protest = triggers.iter().any(|t| {
        matches!(
            t.kind,
            EventKind::ProtestDispersed | EventKind::ForceOnProtest
        )
    });
    if protest {
        triggers.retain(|t| t.kind != EventKind::Arrest);
    }
}

/// "marched to protest against the new post and Turkish shelling": what a protest is
/// against is its grievance, not an event told here.
fn drop_grievances_of_protests(words: &Words<'_>, triggers: &mut Vec<Trigger>) {
    let Some(first) = triggers
        .iter()
        .find(|t| t.kind.domain() == Domain::Protest)
        .map(|t| t.words.end)
    else {
        return;
    };
    let segment = words.segment(first.saturating_sub(1));
    let grievance = |t: &Trigger| {
        t.noun
            && t.kind.domain() != Domain::Protest
            && t.words.start >= first
            && words.segment(t.words.start) == segment
            && (first..t.words.start).any(|j| {
                matches!(
                    words.lower(j),
                    "against" | "over" | "denounce" | "condemn" | "denouncing" | "condemning"
                )
            })
    };
    triggers.retain(|t| !grievance(t));
}

/// "Since government forces retook Daraa in 2018, …": a clause opened by "since" tells the
/// background of what follows.
fn mark_since_clauses(words: &Words<'_>, triggers: &mut [Trigger]) {
    for trigger in triggers.iter_mut() {
        let opening = words.segment_range(trigger.words.start).start;
        if words.lower(opening) == "since" && opening + 6 >= trigger.words.start {
            trigger.aggregate = true;
        }
    }
}

/// "Such strikes have killed more than 130 civilians since 2015", "Since the ceasefire of
/// March 2020, bombardment has killed more than 400 civilians": an active perfect bounded by
/// "since" sums a period's events, not one incident. A bound of a day ("since Sunday") is a
/// running toll of the story's own events and stays.
fn mark_totals_since(words: &Words<'_>, dates: &[DateMention], triggers: &mut [Trigger]) {
    if !bounded_by_a_period(words, dates) {
        return;
    }
    for trigger in triggers.iter_mut() {
        let start = trigger.words.start;
        let segment = words.segment(start);
        // "has killed", "have so far killed"; not "have been killed".
        let perfect = (start.saturating_sub(3)..start)
            .any(|j| words.segment(j) == segment && matches!(words.lower(j), "has" | "have"))
            && !(start.saturating_sub(2)..start).any(|j| words.lower(j) == "been");
        // "UN agencies have recorded a dozen child deaths from explosive remnants since
        // January": an event noun counted by an active perfect earlier in its clause.
        let counted = trigger.noun && told_by_an_active_perfect(words, start);
        if (perfect && !trigger.noun) || counted {
            trigger.aggregate = true;
        }
    }
}

/// "A drone fired a missile at their car", "warplanes fired rockets": a projectile fired by
/// an aircraft is an air or drone strike, not artillery.
fn mark_missiles_fired_from_the_air(words: &Words<'_>, triggers: &mut [Trigger]) {
    const AIRCRAFT: &[&str] = &[
        "drone",
        "drones",
        "warplane",
        "warplanes",
        "jet",
        "jets",
        "aircraft",
        "helicopter",
        "helicopters",
        "plane",
        "planes",
    ];
    for trigger in triggers.iter_mut() {
        let start = trigger.words.start;
        let segment = words.segment(start);
        let from_the_air = trigger.kind == EventKind::Shelling
            && !trigger.noun
            && (start.saturating_sub(4)..start)
                .any(|j| words.segment(j) == segment && AIRCRAFT.contains(&words.lower(j)));
        if from_the_air {
            trigger.kind = EventKind::AirStrike;
        }
    }
}

/// "Civil defence crews fought the flames for hours": fighting a fire is no battle; and crops
/// burnt in a clause describing another event are that event's damage.
fn drop_fires_told_as_no_event(words: &Words<'_>, triggers: &mut Vec<Trigger>) {
    const FIRE: &[&str] = &[
        "fire",
        "fires",
        "flames",
        "blaze",
        "blazes",
        "wildfire",
        "wildfires",
    ];
    // "… against Turkish shelling that has burned orchards": damage told in a relative
    // clause describes what went before; it is no event of its own.
    triggers.retain(|t| {
        let start = t.words.start;
        !(t.kind == EventKind::Destruction
            && matches!(words.lower(start), "destroyed" | "burned" | "burnt")
            && (start.saturating_sub(3)..start).any(|j| matches!(words.lower(j), "that" | "which")))
    });
    triggers.retain(|t| {
        let end = t.words.end;
        !(t.kind == EventKind::Clash
            && (end..end + 3).any(|j| FIRE.contains(&words.lower(j)))
            && !(end..end + 3).any(|j| words.lower(j) == "exchange"))
    });
}

/// "The shell was left over from the battles against Islamic State": the war that left an
/// explosive behind is its origin, not an event told here.
fn mark_origins_of_remnants(words: &Words<'_>, triggers: &mut [Trigger]) {
    const ORIGIN: &[&str] = &[
        "left over from",
        "leftover from",
        "remnants of",
        "legacy of",
    ];
    for trigger in triggers.iter_mut() {
        let start = trigger.words.start;
        let origin = (start.saturating_sub(6)..start)
            .any(|j| ORIGIN.iter().any(|phrase| words.matches(j, phrase)));
        if trigger.noun && origin {
            trigger.aggregate = true;
        }
    }
}

/// "It was the second drone strike in the area this month": an event counted in a series is
/// told to compare, not as an incident of its own.
fn mark_ordinal_comparisons(words: &Words<'_>, triggers: &mut [Trigger]) {
    const ORDINALS: &[&str] = &[
        "second", "third", "fourth", "fifth", "sixth", "latest", "last", "first",
    ];
    for trigger in triggers.iter_mut() {
        let start = trigger.words.start;
        let ordinal = (start.saturating_sub(3)..start).find(|&j| {
            ORDINALS.contains(&words.lower(j))
                && j >= 2
                && words.lower(j - 1) == "the"
                && matches!(words.lower(j - 2), "was" | "is" | "marked" | "marks")
        });
        if trigger.noun && ordinal.is_some() {
            trigger.aggregate = true;
        }
    }
}

/// "UN agencies have recorded a dozen child deaths in the province since January": a figure
/// told by an active perfect bounded by "since" (not by a day) sums a period, whatever event
/// word the sentence has or lacks, so it is no incident's toll.
fn drop_counts_of_a_period(
    words: &Words<'_>,
    dates: &[DateMention],
    counts: &mut Vec<CountMention>,
) {
    if !bounded_by_a_period(words, dates) {
        return;
    }
    counts.retain(|c| !told_by_an_active_perfect(words, c.words.start));
}

/// Whether the sentence is bounded by "since" a period rather than a day ("since January",
/// "since 2015"; not "since Sunday", which bounds the story's own running toll).
fn bounded_by_a_period(words: &Words<'_>, dates: &[DateMention]) -> bool {
    let Some(since) = (0..words.len()).find(|&j| words.lower(j) == "since") else {
        return false;
    };
    !dates.iter().any(|d| {
        d.words.start > since
            && matches!(&d.value, DateValue::Known(when) if when.precision == DatePrecision::Day)
    })
}

/// Whether an active perfect ("have recorded", "has killed"; not "have been", "has not")
/// comes earlier in the clause of word `at`.
fn told_by_an_active_perfect(words: &Words<'_>, at: usize) -> bool {
    (words.segment_range(at).start..at).any(|j| {
        matches!(words.lower(j), "has" | "have") && !matches!(words.lower(j + 1), "been" | "not")
    })
}

/// "Dropping barrel bombs filled with chlorine gas on a town": a bombing or a strike told
/// with a toxic agent in its sentence is the use of a chemical weapon (ACLED's own
/// sub-event type), whatever carried the agent.
fn mark_chemical_attacks(words: &Words<'_>, triggers: &mut [Trigger]) {
    let agent_named = (0..words.len()).any(|j| {
        events::CHEMICAL_AGENTS
            .iter()
            .any(|agent| words.matches(j, agent))
    });
    if !agent_named {
        return;
    }
    for trigger in triggers.iter_mut() {
        if matches!(
            trigger.kind,
            EventKind::AirStrike | EventKind::Shelling | EventKind::Explosive
        ) {
            trigger.kind = EventKind::ChemicalWeapon;
        }
    }
}

/// "Troops entered the city without a fight, taking over positions vacated under an
/// agreement": control changed hands without fighting, a non-violent transfer of territory.
fn mark_handovers_without_fighting(words: &Words<'_>, triggers: &mut [Trigger]) {
    const PEACEFULLY: &[&str] = &[
        "without a fight",
        "without fighting",
        "without resistance",
        "without a shot",
        "under an agreement",
        "under a deal",
    ];
    let peaceful = (0..words.len()).any(|j| PEACEFULLY.iter().any(|p| words.matches(j, p)));
    if !peaceful {
        return;
    }
    for trigger in triggers.iter_mut() {
        if trigger.kind == EventKind::TerritoryGained {
            trigger.kind = EventKind::Handover;
        }
    }
}

/// "A crowd of relatives stormed a police station": a crowd is no armed group, and its
/// violence is mob violence (a riot), not a clash.
fn mark_crowd_violence(words: &Words<'_>, actors: &[ActorMention], triggers: &mut [Trigger]) {
    // Protesters who storm a building are rioting too: a violent demonstration.
    const CROWDS: &[&str] = &[
        "crowd",
        "crowds",
        "mob",
        "mobs",
        "mourners",
        "protesters",
        "protestors",
        "demonstrators",
    ];
    for trigger in triggers.iter_mut() {
        if trigger.noun || !matches!(trigger.kind, EventKind::Clash | EventKind::AttackOnForces) {
            continue;
        }
        let start = trigger.words.start;
        let clause_start = words.segment_range(start).start;
        // The subject: a crowd word opening the clause ("An angry crowd of relatives … stormed"),
        // or one just before the verb with no armed actor named in between.
        let opens_clause =
            (clause_start..start.min(clause_start + 3)).any(|j| CROWDS.contains(&words.lower(j)));
        let near = (start.saturating_sub(10).max(clause_start)..start)
            .rev()
            .find(|&j| CROWDS.contains(&words.lower(j)))
            .is_some_and(|c| {
                !actors.iter().any(|a| {
                    a.words.start > c && a.words.start < start && a.actor.kind().is_armed()
                })
            });
        if opens_clause || near {
            trigger.kind = EventKind::Riot;
        }
    }
}

/// "Protesters set fire to the offices of two parties": the crowd is who did the damage,
/// not a peaceful protest of its own; the damage done by protesters is a violent
/// demonstration (see `sub_event_type`).
fn drop_crowds_told_by_their_violence(words: &Words<'_>, triggers: &mut Vec<Trigger>) {
    let crowd_of = |k: usize, triggers: &[Trigger]| {
        let crowd = &triggers[k];
        crowd.kind == EventKind::Protest
            && crowd.plural
            && matches!(
                words.lower(crowd.words.start),
                "protesters" | "protestors" | "demonstrators"
            )
            && (triggers.get(k + 1).is_some_and(|next| {
                next.kind == EventKind::Destruction
                    && crowd.words.end + 2 >= next.words.start
                    && words.segment(crowd.words.start) == words.segment(next.words.start)
            })
            // "Scores of protesters angry over power cuts that have left homes without power …
            // stormed the directorate": the crowd is the subject of its riot however long the
            // words between.
            || triggers[k + 1..].iter().any(|next| {
                next.kind == EventKind::Riot
                    && !next.noun
                    && words.segment(crowd.words.start) == words.segment(next.words.start)
            }))
    };
    drop_where(triggers, |triggers, k| crowd_of(k, triggers));
}

/// "Troops entered the village …, searched homes and detained three men before
/// withdrawing": a raid, not a change of control; what was done there is the incident.
fn drop_incursions_withdrawn_from(words: &Words<'_>, triggers: &mut Vec<Trigger>) {
    const LEFT_AGAIN: &[&str] = &[
        "before withdrawing",
        "before pulling out",
        "before pulling back",
        "before leaving",
        "before returning",
        "and withdrew",
        "then withdrew",
        "and pulled out",
        "then pulled out",
    ];
    let raid = (0..words.len())
        .filter(|&i| matches!(words.lower(i), "before" | "and" | "then"))
        .any(|i| LEFT_AGAIN.iter().any(|p| words.matches(i, p)));
    if raid {
        if let Some(incursion) = triggers.iter().position(|t| {
            t.kind == EventKind::TerritoryGained && words.lower(t.words.start) == "entered"
        }) {
            arrests_at_the_incursion(incursion, triggers);
        }
        triggers.retain(|t| {
            !(matches!(t.kind, EventKind::TerritoryGained | EventKind::Withdrawal)
                && matches!(
                    words.lower(t.words.start),
                    "entered" | "withdrew" | "pulled"
                ))
        });
    }
}

/// "Police found and destroyed a cache of explosive devices", "defused a roadside bomb", "a
/// bomb was dismantled": the weapon kept from use is no explosion.
fn drop_weapons_kept_from_use(words: &Words<'_>, triggers: &mut Vec<Trigger>) {
    let kept: Vec<Range<usize>> = triggers
        .iter()
        .filter(|t| t.kind == EventKind::WeaponsSeized)
        .map(|t| {
            let segment = words.segment(t.words.start);
            let before = if t.passive {
                t.words.start.saturating_sub(5)
            } else {
                t.words.start
            };
            let mut end = t.words.end;
            while end < words.len() && end < t.words.end + 6 && words.segment(end) == segment {
                end += 1;
            }
            before..end
        })
        .collect();
    triggers.retain(|t| {
        !(matches!(t.kind, EventKind::Explosive | EventKind::Grenade)
            && kept.iter().any(|r| r.contains(&t.words.start)))
    });
}

/// "Air defences shot down most of the missiles", "one of the drones was intercepted": what
/// is brought down belongs to the strike already told, as "the attack" does.
fn mark_interceptions_of_told_strikes(words: &Words<'_>, triggers: &mut [Trigger]) {
    const QUANTIFIERS: &[&str] = &[
        "most", "some", "all", "several", "many", "one", "two", "three", "of", "both",
    ];
    const WEAPONS: &[&str] = &[
        "missiles",
        "missile",
        "rockets",
        "rocket",
        "drones",
        "drone",
        "projectiles",
    ];
    for trigger in triggers.iter_mut() {
        if trigger.kind != EventKind::ShotDown {
            continue;
        }
        let segment = words.segment(trigger.words.start);
        let mut j = trigger.words.end;
        while j < words.len() && QUANTIFIERS.contains(&words.lower(j)) {
            j += 1;
        }
        let object_told = matches!(words.lower(j), "the" | "these" | "those" | "them")
            && words.segment(j) == segment;
        // Passive: "most of the missiles were shot down".
        let subject_told = (trigger.words.start.saturating_sub(5)..trigger.words.start).any(|m| {
            words.lower(m) == "the"
                && words.segment(m) == segment
                && WEAPONS.contains(&words.lower(m + 1))
        });
        if object_told || subject_told {
            trigger.definite = true;
        }
    }
}

/// "Three people were killed … in clashes between two clans", "died in the attack": the dead
/// are the toll of the event named after them, not a killing of their own.
fn drop_killings_told_by_their_event(words: &Words<'_>, triggers: &mut Vec<Trigger>) {
    drop_where(triggers, |triggers, k| {
        told_by_event(words, triggers, k).is_some()
    });
}

/// Drops the triggers for which `drop(all, k)` holds, every one judged among all of them
/// as they were before any was dropped.
fn drop_where(triggers: &mut Vec<Trigger>, drop: impl Fn(&[Trigger], usize) -> bool) {
    let dropped: Vec<bool> = (0..triggers.len()).map(|k| drop(triggers, k)).collect();
    let mut k = 0;
    triggers.retain(|_| {
        k += 1;
        !dropped[k - 1]
    });
}

/// "stabbed four people … before police arrested him": catching the attacker is part of the
/// attack, not an incident of its own.
fn drop_arrests_of_the_attacker(words: &Words<'_>, triggers: &mut Vec<Trigger>) {
    let violence = triggers
        .iter()
        .any(|t| t.kind.domain() == Domain::Violence && t.kind != EventKind::Arrest);
    if !violence {
        return;
    }
    triggers.retain(|t| {
        let end = t.words.end;
        !(t.kind == EventKind::Arrest
            && (matches!(words.lower(end), "him" | "her" | "them")
                || (words.lower(end) == "the"
                    && matches!(
                        words.lower(end + 1),
                        "attacker" | "gunman" | "assailant" | "bomber" | "killer" | "suspect"
                    ))))
    });
}

/// "found the body of a man who had been kidnapped a week earlier": what a relative clause
/// tells of the victim is background to the event the sentence reports.
fn drop_relative_clause_events(words: &Words<'_>, triggers: &mut Vec<Trigger>) {
    let relative = |t: &Trigger| {
        let start = t.words.start;
        (start.saturating_sub(3)..start).any(|j| {
            matches!(words.lower(j), "who" | "whom")
                && (j + 1..start).all(|k| {
                    matches!(
                        words.lower(k),
                        "had" | "has" | "have" | "been" | "was" | "were" | "is" | "are"
                    )
                })
        })
    };
    if triggers.iter().any(|t| !relative(t)) {
        triggers.retain(|t| !relative(t));
    }
}

/// The index of the event whose toll killing `k` is ("were killed in clashes"), if it is one.
fn told_by_event(words: &Words<'_>, triggers: &[Trigger], k: usize) -> Option<usize> {
    let killing = &triggers[k];
    if killing.kind != EventKind::Killing {
        return None;
    }
    let segment = words.segment(killing.words.start);
    let next = triggers.get(k + 1)?;
    let start = next.words.start;
    // "the army said it had killed two militants in an air strike": an active killing told
    // "in" an event named by a noun is that event's toll too.
    let told_in_a_noun = next.noun
        && (start.saturating_sub(3)..start).any(|j| words.lower(j) == "in")
        && words.segment(start) == segment
        && start <= killing.words.end + 8;
    if !(killing.passive || told_in_a_noun) {
        return None;
    }
    // "were killed in clashes"; "were killed on Monday when government forces shelled the
    // village": the clause that tells how they died is the event.
    let told_in = (start.saturating_sub(3)..start)
        .any(|j| matches!(words.lower(j), "in" | "during" | "amid"));
    // Only a weapon's event: "killed when gunmen opened fire on them" keeps the killing,
    // which tells who the victims were.
    let remote = matches!(
        next.kind,
        EventKind::Explosive
            | EventKind::Shelling
            | EventKind::AirStrike
            | EventKind::SuicideBombing
            | EventKind::Grenade
    );
    // "were killed … when a dispute turned into an exchange of gunfire": fighting told as a
    // noun names the event too (a verb, "when gunmen opened fire", tells who was hit).
    let fighting = next.kind == EventKind::Clash && next.noun;
    let told_when = (remote || fighting)
        && (killing.words.end..start).any(|j| matches!(words.lower(j), "when" | "as"));
    // "were killed in the strikes": a definite plural refers back to one event told.
    let definite = start > 0
        && matches!(
            words.lower(start - 1),
            "the" | "these" | "those" | "this" | "that"
        );
    (next.kind.domain() == Domain::Violence
        && next.kind != EventKind::Killing
        && (!next.aggregate || definite)
        && words.segment(start) == segment
        && (told_in && start <= killing.words.end + 8
            // "were killed and a third was wounded late on Tuesday when a drone fired …"
            || (told_when && (remote || fighting) && start <= killing.words.end + 16)))
        .then_some(k + 1)
}

/// "Police opened fire on protesters", "fired tear gas to disperse teachers protesting": the
/// protest is told as the force used on it.
fn drop_protests_met_with_force(words: &Words<'_>, triggers: &mut Vec<Trigger>) {
    let forces: Vec<Range<usize>> = triggers
        .iter()
        .filter(|t| {
            matches!(
                t.kind,
                EventKind::ForceOnProtest | EventKind::ProtestDispersed
            )
        })
        .map(|t| t.words.clone())
        .collect();
    triggers.retain(|t| {
        t.kind != EventKind::Protest
            || !forces.iter().any(|f| {
                t.words.start >= f.end
                    && t.words.start <= f.end + 12
                    && words.segment(t.words.start) == words.segment(f.start)
            })
    });
}

/// "Troops entered the town after rebels pulled out": one change of territory told from
/// both sides; the gain, which says who holds the place now, is the incident.
fn drop_withdrawals_told_with_a_gain(triggers: &mut Vec<Trigger>) {
    let gained = triggers
        .iter()
        .any(|t| t.kind == EventKind::TerritoryGained && !t.aggregate);
    if gained {
        triggers.retain(|t| t.kind != EventKind::Withdrawal);
    }
}

/// "Several rockets struck the base", "two drones hit": a count of projectiles is one attack,
/// not many.
fn mark_volleys(words: &Words<'_>, triggers: &mut [Trigger]) {
    const PROJECTILES: &[&str] = &[
        "rockets", "mortars", "shells", "missiles", "drones", "rounds",
    ];
    const FEW: &[&str] = &[
        "several", "multiple", "two", "three", "four", "five", "a", "barrage", "volley",
    ];
    for trigger in triggers.iter_mut() {
        let start = trigger.words.start;
        let volley = matches!(trigger.kind, EventKind::Shelling | EventKind::AirStrike)
            && (start.saturating_sub(3)..=start).any(|j| {
                PROJECTILES.contains(&words.lower(j))
                    && j > 0
                    && (FEW.contains(&words.lower(j - 1))
                        || (j > 1
                            && words.lower(j - 1) == "of"
                            && FEW.contains(&words.lower(j - 2))))
            });
        if volley {
            trigger.aggregate = false;
        }
    }
}

/// Capitals stand for their governments in statements ("coordination between Baghdad and
/// Erbil"), so a statement is never placed at one.
const CAPITALS: &[&str] = &[
    "Baghdad",
    "Damascus",
    "Erbil",
    "Ankara",
    "Tehran",
    "Beirut",
    "Amman",
    "Washington",
    "Moscow",
];

/// The place an official statement is about: a border when it names one (what officials
/// speak of most), else the first place finer than a country, leaving out the dateline
/// ("ERBIL, Kurdistan Region - …") and capitals.
fn statement_place(facts: &Facts<'_, '_>) -> Option<PlaceRef> {
    let words = facts.words;
    let dateline_end = dateline_end(words);
    let is_capital = |h: &PlaceHit| {
        h.place
            .as_ref()
            .is_some_and(|p| CAPITALS.contains(&p.name.as_str()))
    };
    // "between Baghdad and Iraq's Kurdistan Region": two governments, not two places.
    let between_governments = |h: &PlaceHit| {
        facts.hits.iter().any(|other| {
            is_capital(other) && {
                let (a, b) = if other.words.start < h.words.start {
                    (other, h)
                } else {
                    (h, other)
                };
                a.words.start >= 1
                    && words.lower(a.words.start - 1) == "between"
                    && (a.words.end..b.words.start).any(|i| words.lower(i) == "and")
                    && b.words.start <= a.words.end + 3
            }
        })
    };
    let candidates: Vec<&PlaceRef> = facts
        .hits
        .iter()
        .filter(|h| !h.demonym && !is_capital(h) && !between_governments(h))
        .filter(|h| {
            words
                .words
                .get(h.words.start)
                .is_some_and(|w| w.start >= dateline_end && !w.quoted)
        })
        .filter_map(|h| h.place.as_ref())
        .filter(|p| !p.scope.is_coarse())
        .collect();
    candidates
        .iter()
        .find(|p| p.scope == PlaceScope::Border)
        .or_else(|| candidates.first())
        .map(|p| (*p).clone())
}

/// The day written in the first sentence's dateline, if it has one.
fn dateline_date(text: &str, lower: &str, sentences: &[sentences::Sentence]) -> Option<Date> {
    let (first, end) = dateline_sentence(text, lower, sentences)?;
    let words = Words::new(text, lower, first.range.clone());
    dates::find(&words, None)
        .into_iter()
        .find_map(|date| match date.value {
            DateValue::Known(when)
                if when.precision == DatePrecision::Day
                    && words.bytes(date.words.clone()).end <= end =>
            {
                Some(when.start)
            }
            _ => None,
        })
}

/// The sentence that opens with the story's dateline, and where the dateline ends: the first
/// sentence, or one of the next two after headline or byline lines the loader did not mark
/// ("Protest dispersed" above "SULAIMANI, Kurdistan Region — …").
fn dateline_sentence<'s>(
    text: &str,
    lower: &str,
    sentences: &'s [sentences::Sentence],
) -> Option<(&'s sentences::Sentence, usize)> {
    sentences
        .iter()
        .take(3)
        .enumerate()
        .find_map(|(n, sentence)| {
            let words = Words::new(text, lower, sentence.range.clone());
            // After the first sentence only a dateline in capitals ("SULAIMANI, …") counts.
            if n > 0 && !words.words.first().is_some_and(|w| w.all_caps) {
                return None;
            }
            let end = dateline_end(&words);
            (end > sentence.range.start).then_some((sentence, end))
        })
}

/// The place a leading dateline names ("KIRKUK, Iraq —", "QAMISHLI, Syria (AP) —"), when it
/// is finer than a country: where the story was filed, and so where its events happened when
/// a sentence names no place of its own.
fn dateline_place(
    text: &str,
    lower: &str,
    sentences: &[sentences::Sentence],
    mentions: &[places::PlaceMention],
) -> Option<PlaceRef> {
    let (first, end) = dateline_sentence(text, lower, sentences)?;
    mentions
        .iter()
        .filter(|m| m.span.start >= first.range.start && m.span.end <= end && !m.demonym)
        .filter_map(|m| m.place.as_ref())
        .find(|p| p.scope <= PlaceScope::Admin1)
        .cloned()
}

/// Whether the story's lead, after its dateline, is about the dateline's country: it names a
/// place there, or none at all. "ANKARA (AA) – Turkish forces neutralised four militants in
/// northern Iraq": the dateline is where the story was written, not where its events
/// happened, and it places none of them.
fn lead_is_about(
    text: &str,
    lower: &str,
    sentences: &[sentences::Sentence],
    mentions: &[places::PlaceMention],
    filed: &PlaceRef,
) -> bool {
    let Some((first, end)) = dateline_sentence(text, lower, sentences) else {
        return true;
    };
    let mut countries = mentions
        .iter()
        .filter(|m| m.span.start >= end && m.span.end <= first.range.end && !m.demonym)
        .filter_map(|m| m.place.as_ref())
        .filter_map(|p| p.country.as_ref())
        .peekable();
    countries.peek().is_none() || countries.any(|c| Some(c) == filed.country.as_ref())
}

/// Places the drafts of one article (merged) that name no place of their own where their
/// story is: at the place of the first placed incident of their episode, else at the
/// dateline's place; and dates those told with a toll but no day, by the incident told before
/// them or the first day the story tells of.
pub(crate) fn place_by_default(
    drafts: &mut [Draft],
    dateline: Option<&PlaceRef>,
    lead_day: Option<When>,
) {
    let leads: Vec<(usize, PlaceRef)> = {
        let mut ordered: Vec<&Draft> = drafts.iter().collect();
        ordered.sort_by_key(|d| d.sentence);
        let mut leads: Vec<(usize, PlaceRef)> = Vec::new();
        for draft in ordered {
            let placed = draft.place.as_ref().filter(|p| !p.scope.is_coarse());
            if let Some(place) = placed
                && !matches!(draft.kind.domain(), Domain::Visit | Domain::Agreement)
                && !leads.iter().any(|(episode, _)| *episode == draft.episode)
            {
                leads.push((draft.episode, place.clone()));
            }
        }
        leads
    };
    // "Hours later, gunmen ambushed …": an event told with a toll but no day of its own in a
    // news report happened on the day of the incident told before it.
    let mut ordered: Vec<usize> = (0..drafts.len()).collect();
    ordered.sort_by_key(|&i| drafts[i].sentence);
    let mut last_day: Option<When> = lead_day;
    for i in ordered {
        let draft = &mut drafts[i];
        match &draft.date {
            DraftDate::Known(when) if when.precision == DatePrecision::Day => {
                last_day = Some(*when);
            }
            DraftDate::Unknown
                if (!draft.deaths.is_empty() || !draft.counts.is_empty())
                    && matches!(draft.kind.domain(), Domain::Violence | Domain::Arrest) =>
            {
                if let Some(day) = last_day {
                    draft.date = DraftDate::Known(day);
                }
            }
            _ => {}
        }
    }
    for draft in drafts.iter_mut() {
        // The episode's lead, else the story's (the search of the camp after the killing in
        // it), else the dateline.
        let lead = leads
            .iter()
            .find(|(episode, _)| *episode == draft.episode)
            .or(leads.first())
            .map(|(_, place)| place);
        if let Some(default) = lead.or(dateline) {
            place_at_default(draft, default);
        }
        // "outside the Dhi Qar provincial building" under a NASIRIYAH dateline: the town.
        if let (Some(place), Some(town)) = (&draft.place, dateline)
            && place.scope == PlaceScope::Admin1
            && town.scope < PlaceScope::Admin2
            && places::contains(place, town)
        {
            draft.place = Some(town.clone());
        }
    }
}

/// One event told as two incidents: a generic fight or killing that carries a toll ("eight
/// militants and three soldiers were killed in the fighting"), told right after a specific
/// incident with no toll of its own (the recapture of the village, the bombing), at its place
/// and on its day, is that incident's toll.
pub(crate) fn fold_tolls_into_events(drafts: Vec<Draft>) -> Vec<Draft> {
    let mut drafts = drafts;
    let mut i = 0;
    while i < drafts.len() {
        let generic = &drafts[i];
        let carries_toll = generic.kind.is_generic() && !generic.deaths.is_empty();
        let host = carries_toll
            .then(|| {
                drafts.iter().position(|other| {
                    // Told as one thread: the same episode, right after it. A change of
                    // territory and the fighting for it are told in different episodes.
                    let territory = other.kind.domain() == Domain::Territory;
                    (other.episode == generic.episode || territory)
                        && generic.sentence <= other.last_sentence + if territory { 3 } else { 2 }
                        && !other.kind.is_generic()
                        && matches!(other.kind.domain(), Domain::Violence | Domain::Territory)
                        && other.deaths.is_empty()
                        && same_day(&other.date, &generic.date)
                        && match (&other.place, &generic.place) {
                            (Some(a), Some(b)) => places::compatible(a, b),
                            _ => false,
                        }
                })
            })
            .flatten();
        let Some(host) = host else {
            i += 1;
            continue;
        };
        let folded = drafts.remove(i);
        let host = if host > i { host - 1 } else { host };
        let target = &mut drafts[host];
        if target.date == DraftDate::Unknown {
            target.date = folded.date.clone();
        }
        target.deaths.extend(folded.deaths);
        for (kind, n) in folded.counts {
            let entry = target.counts.entry(kind).or_insert(0);
            *entry = (*entry).max(n);
        }
        for range in folded.evidence {
            target.add_evidence(range);
        }
        for actor in folded.actors {
            target.add_actor(actor);
        }
    }
    drafts
}

/// Whether a host incident's date allows a toll told on `toll`: the same day, or the host
/// undated (the toll's day is then the host's).
fn same_day(host: &DraftDate, toll: &DraftDate) -> bool {
    match (host, toll) {
        (DraftDate::Known(a), DraftDate::Known(b)) => {
            a.precision == DatePrecision::Day
                && b.precision == DatePrecision::Day
                && a.start == b.start
        }
        (DraftDate::Unknown, _) => true,
        _ => false,
    }
}

/// Gives a draft that has no place, or only a country that holds the default place, that
/// place. Statements and visits are left alone: officials speak from the capital
/// about elsewhere.
fn place_at_default(draft: &mut Draft, dateline: &PlaceRef) {
    // Only what is told as one event (a day, a toll): talk of attacks in general stays
    // background.
    let specific = draft.date.is_specific() || !draft.deaths.is_empty() || !draft.counts.is_empty();
    let fitting_kind =
        specific && !matches!(draft.kind.domain(), Domain::Visit | Domain::Agreement);
    let open = match &draft.place {
        None => draft.unresolved_place.is_none(),
        Some(place) => {
            place.scope == PlaceScope::Country
                && place.country.is_some()
                && place.country == dateline.country
        }
    };
    if fitting_kind && open {
        draft.place = Some(dateline.clone());
    }
}

/// Byte offset where a leading dateline ("ERBIL, Kurdistan Region - ", "ERBIL, Iraq, March
/// 3, 2023 —") ends, or the sentence start when there is none.
fn dateline_end(words: &Words<'_>) -> usize {
    let start = words.range.start;
    let head_end = words
        .text
        .floor_char_boundary((start + 60).min(words.range.end));
    let head = words.text.get(start..head_end).unwrap_or("");
    let dash = [" - ", " – ", " — "]
        .iter()
        .filter_map(|d| head.find(d).map(|at| (at, d.len())))
        .min();
    let Some((at, len)) = dash else {
        return start;
    };
    let before: Vec<&str> = head[..at].split_whitespace().collect();
    let is_dateline = !before.is_empty()
        && before.len() <= 6
        && before.iter().all(|w| {
            // "QAMISHLI, Syria (AP) —": the wire's credit is part of the dateline.
            w.trim_start_matches('(')
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
        });
    if is_dateline { start + at + len } else { start }
}

/// Whether two actor lists name only different groups (generic ones match anything).
fn disjoint(a: &[ActorRef], b: &[ActorRef]) -> bool {
    let named = |list: &[ActorRef]| {
        list.iter()
            .filter(|x| !x.is_generic())
            .copied()
            .collect::<Vec<_>>()
    };
    let (a, b) = (named(a), named(b));
    !a.is_empty() && !b.is_empty() && !a.iter().any(|x| b.iter().any(|y| x.allied(*y)))
}

fn draft_date(value: &DateValue) -> DraftDate {
    match value {
        DateValue::Known(when) => DraftDate::Known(*when),
        DateValue::Unanchored(label) => DraftDate::Unanchored(label.clone()),
    }
}

/// The date of event word `k`: one in its own clause, else one in a clause with no event of
/// its own (a fronted "On the night of January 20," or a closing "… said on Sunday").
fn trigger_date(facts: &Facts<'_, '_>, k: usize, trigger_segments: &[u16]) -> (DraftDate, bool) {
    let words = facts.words;
    let segment = words.segment(facts.triggers[k].words.start);
    let at = facts.triggers[k].words.start;
    let pick = |filter: &dyn Fn(&DateMention) -> bool| {
        facts
            .dates
            .iter()
            .filter(|d| d.role == DateRole::Event && filter(d))
            // "The group said on Wednesday that it had ambushed a patrol late on Tuesday":
            // the day it was said yields to the event's own.
            .max_by_key(|d| {
                (
                    d.rank,
                    !reporting_date(words, d),
                    std::cmp::Reverse(d.words.start.abs_diff(at)),
                )
            })
    };
    // "between April and June", and "from October 2019", "since 2015": a bound of a month or
    // a year on the event's own clause makes it a period's events, not one.
    let spans_period = facts.dates.iter().any(|d| {
        let coarse_bound = d.role == DateRole::Boundary
            && matches!(&d.value, DateValue::Known(when) if when.precision > DatePrecision::Day);
        (d.role == DateRole::Span || coarse_bound) && words.segment(d.words.start) == segment
    });
    let own = pick(&|d| words.segment(d.words.start) == segment);
    // "The attack in Hassakeh …": a phrase that refers back keeps its event's date.
    let definite = facts.triggers[k].definite;
    let borrowed =
        || pick(&|d| !definite && !trigger_segments.contains(&words.segment(d.words.start)));
    let date = own
        .or_else(borrowed)
        .map_or(DraftDate::Unknown, |d| draft_date(&d.value));
    (date, spans_period)
}

/// Verbs whose object noun is the event ("conducted airstrikes", "launched an attack").
const LIGHT_VERBS: &[&str] = &[
    "conducted",
    "carried",
    "launched",
    "staged",
    "mounted",
    "made",
    "waged",
    "executed",
    "performed",
    "undertook",
    "conduct",
    "carry",
    "launch",
    "stage",
    "mount",
];

/// Words after which the actors named belong to a description, not to the event
/// ("a prison holding ISIS militants").
const ACTOR_STOPS: &[&str] = &[
    "holding",
    "housing",
    "containing",
    "which",
    "who",
    "whose",
    "where",
    "that",
    "followed",
    "following",
    "after",
    "amid",
    "because",
    "since",
    "while",
    "as",
    "prevent",
    "ensure",
    "protect",
    "secure",
    "support",
    "help",
    "avoid",
    "deter",
    "counter",
    "combat",
    "confront",
    "fight",
    "tackle",
    "thwart",
    "face",
];

/// The actors of event word `k`, and for territory changes who gained control.
fn trigger_actors(facts: &Facts<'_, '_>, k: usize) -> (Vec<ActorRef>, Option<ActorRef>) {
    let words = facts.words;
    let trigger = &facts.triggers[k];
    let segment = words.segment(trigger.words.start);
    let segment_range = words.segment_range(trigger.words.start);
    let previous_end = facts.triggers[..k]
        .iter()
        .rev()
        .find(|t| words.segment(t.words.start) == segment)
        .map_or(segment_range.start, |t| t.words.end);
    let next_start = facts
        .triggers
        .get(k + 1)
        .filter(|t| words.segment(t.words.start) == segment)
        .map_or(segment_range.end, |t| t.words.start);
    let in_range =
        |m: &ActorMention, from: usize, to: usize| m.words.start >= from && m.words.start < to;

    let mut actors: Vec<ActorRef> = Vec::new();
    let push = |actor: ActorRef, list: &mut Vec<ActorRef>| {
        if !list.contains(&actor) {
            list.push(actor);
        }
    };
    // Before: the subject of a verb; for a noun only what is right before it ("ISIS attack").
    // "US forces have conducted airstrikes": a noun after a light verb has the verb's subject.
    let light_verb = (trigger.words.start.saturating_sub(3)..trigger.words.start)
        .any(|j| LIGHT_VERBS.contains(&words.lower(j)));
    // A crowd's riot has the crowd that opens its clause, however far ("Scores of protesters
    // angry over … stormed").
    let reach = if trigger.noun && !light_verb {
        3
    } else if trigger.kind == EventKind::Riot {
        30
    } else {
        12
    };
    let before_from = previous_end.max(trigger.words.start.saturating_sub(reach));
    for mention in facts
        .actors
        .iter()
        .filter(|m| in_range(m, before_from, trigger.words.start))
    {
        push(mention.actor, &mut actors);
    }
    // After: objects and agents, up to the next event word or a describing clause.
    let mut after_end = next_start.min(trigger.words.end + 12);
    if let Some(stop) =
        (trigger.words.end..after_end).find(|&j| ACTOR_STOPS.contains(&words.lower(j)))
    {
        after_end = stop;
    }
    for mention in facts
        .actors
        .iter()
        .filter(|m| in_range(m, trigger.words.start, after_end))
    {
        push(mention.actor, &mut actors);
    }
    // "…, which has carried out air strikes": the subject is in the clause before.
    let relative = matches!(words.lower(segment_range.start), "which" | "who");
    if relative
        && !facts
            .actors
            .iter()
            .any(|m| in_range(m, segment_range.start, trigger.words.start))
    {
        let subject = facts
            .actors
            .iter()
            .filter(|m| {
                m.words.start < segment_range.start && words.segment(m.words.start) + 1 == segment
            })
            .map(|m| m.actor)
            .next();
        if let Some(subject) = subject {
            actors.insert(0, subject);
        }
    }
    // A clash "with" someone: the other side is the sentence's subject.
    if matches!(trigger.kind, EventKind::Clash | EventKind::Killing) && actors.len() < 2 {
        let subject = facts
            .actors
            .iter()
            .map(|m| m.actor)
            .find(|a| a.kind().is_armed() && !actors.contains(a));
        if let Some(subject) = subject.filter(|_| trigger.kind == EventKind::Clash) {
            actors.insert(0, subject);
        }
    }
    let gainer = match trigger.kind {
        EventKind::TerritoryGained => actors.first().copied(),
        EventKind::TerritoryLost => {
            // Who took it: an armed actor elsewhere in the sentence, not the one that lost it.
            let kurdish_loser = actors
                .iter()
                .any(|a| matches!(a.name(Some("SY")), Some("Syrian Democratic Forces")));
            let winner = facts
                .actors
                .iter()
                .map(|m| m.actor)
                .filter(|a| a.kind().is_armed() && !actors.contains(a))
                .find(|a| !(kurdish_loser && *a == ActorRef::KurdishForces));
            if let Some(winner) = winner {
                actors.insert(0, winner);
            }
            winner
        }
        _ => None,
    };
    (actors, gainer)
}

/// Place nouns that refer back to where fighting is going on.
const SCENE_NOUNS: &[&str] = &[
    "prison",
    "facility",
    "camp",
    "barracks",
    "base",
    "jail",
    "compound",
    "detention",
];
/// Nouns that refer back to a riot or to violence just told ("killed in the unrest").
const UNREST_NOUNS: &[&str] = &["unrest", "violence", "chaos", "rioting"];
/// Nouns that refer back to strikes or raids just told ("killed in the strikes").
const STRIKE_NOUNS: &[&str] = &["strike", "strikes", "raid", "raids", "bombardment"];
const EFFORT_NOUNS: &[&str] = &[
    "effort",
    "operation",
    "offensive",
    "siege",
    "incident",
    // "The bomber detonated his vest on Monday": the agent of the incident told.
    "bomber",
    "attacker",
    "attackers",
    "assailant",
    "assailants",
];

/// The phrase in a sentence that refers back to an incident already told, if any.
fn find_anaphor(words: &Words<'_>, triggers: &[Trigger], hits: &[PlaceHit]) -> Option<Anaphor> {
    const VIOLENCE: &[Domain] = &[Domain::Violence];
    const SCENE: &[Domain] = &[Domain::Violence, Domain::Territory];
    const POSTURE: &[Domain] = &[Domain::Posture];
    let mut found: Vec<Anaphor> = triggers
        .iter()
        .filter(|t| t.definite)
        .map(|t| Anaphor {
            word: t.words.start,
            domains: match t.kind.domain() {
                Domain::Violence => VIOLENCE,
                Domain::Territory => SCENE,
                Domain::Posture => POSTURE,
                Domain::Visit => &[Domain::Visit],
                Domain::Arrest => &[Domain::Arrest],
                Domain::Agreement => &[Domain::Agreement],
                Domain::Protest => &[Domain::Protest],
            },
            ground: false,
        })
        .collect();
    for i in 0..words.len() {
        let word = words.lower(i);
        let determiner = |back: usize| {
            (1..=back).any(|b| {
                i >= b
                    && matches!(
                        words.lower(i - b),
                        "the" | "this" | "that" | "those" | "these"
                    )
                    && (1..b).all(|m| !words.words[i - m].capitalised)
            })
        };
        let in_place_name = hits.iter().any(|h| h.words.contains(&i));
        if SCENE_NOUNS.contains(&word) && determiner(3) && !in_place_name {
            found.push(Anaphor {
                word: i,
                domains: SCENE,
                ground: true,
            });
        } else if word == "advance" && determiner(2) {
            // "The advance followed heavy bombardment": the gain of ground just told.
            found.push(Anaphor {
                word: i,
                domains: SCENE,
                ground: false,
            });
        } else if UNREST_NOUNS.contains(&word) && determiner(2) {
            // "in the unrest": the riot or the violence just told.
            found.push(Anaphor {
                word: i,
                domains: &[Domain::Protest, Domain::Violence],
                ground: false,
            });
        } else if (EFFORT_NOUNS.contains(&word) && determiner(2))
            || (STRIKE_NOUNS.contains(&word) && determiner(2))
            || (word == "sides"
                && i > 0
                && matches!(words.lower(i - 1), "both" | "two")
                && words.lower(i + 1) != "of")
        {
            found.push(Anaphor {
                word: i,
                domains: VIOLENCE,
                ground: false,
            });
        } else if word == "forces"
            && (determiner(2)
                && matches!(words.lower(i + 1), "seen" | "moving" | "deployed" | "sent")
                || (i > 0 && words.lower(i - 1) == "those")
                || (i > 1 && words.lower(i - 2) == "those"))
        {
            found.push(Anaphor {
                word: i,
                domains: POSTURE,
                ground: false,
            });
        }
    }
    found.sort_by_key(|a| a.word);
    found.into_iter().next()
}

/// Drafts told with a span of years before the article ("in the summer of 2014") are
/// history, not news.
///
/// With a known publication date, an event told only by its month or year ("In August
/// 2023, 33 soldiers were killed …", "Last month, a similar blast killed three") that
/// ended before the article was published is background too: news tells its own events
/// by their day.
pub(crate) fn is_historic(draft: &Draft, reference: Option<Date>, published: Option<Date>) -> bool {
    let (DraftDate::Known(when), Some(reference)) = (&draft.date, reference) else {
        return false;
    };
    let background = published.is_some_and(|published| {
        matches!(when.precision, DatePrecision::Month | DatePrecision::Year) && when.end < published
    });
    background || when.end < reference.saturating_sub(365.days())
}

/// Words that introduce where something is.
const LOCATIVES: &[&str] = &[
    "in",
    "at",
    "near",
    "on",
    "outside",
    "inside",
    "into",
    "across",
    "around",
    "of",
    "across",
    "between",
    "towards",
    "toward",
    "to",
    "through",
    "along",
    "off",
    "west",
    "east",
    "north",
    "south",
    "throughout",
    "within",
];

/// Nouns after a possessive place name that still say where ("Grozny's streets").
pub(crate) const LOCATING_NOUNS: &[&str] = &[
    "streets",
    "outskirts",
    "centre",
    "center",
    "city",
    "district",
    "districts",
    "province",
    "border",
    "capital",
    "north",
    "south",
    "east",
    "west",
    "northern",
    "southern",
    "eastern",
    "western",
    "suburbs",
    "old",
    "main",
    "countryside",
    "airport",
    "port",
];

/// The place this article's extraction gives the event told by the word at `verb` (byte
/// range), and whether that word starts an incident. When it starts none (a verb the event
/// lexicon does not know, or one merged into another incident), or one without a place, the
/// place is the one the place rules attach to the word itself, as they would to an event
/// word there, or failing that the nearest place named after it, else before it.
pub(crate) fn place_for_event_word(
    loaded: &LoadedArticle,
    source: &dyn PlaceSource,
    verb: Range<usize>,
) -> (Option<PlaceRef>, bool) {
    let read = read_article(0, loaded, source);
    let text = &loaded.article.text;
    let lower = text.to_ascii_lowercase();
    let story = story_ranges(loaded);
    let sentences = sentences::split(text, &story);
    let sentence = sentences.iter().find(|s| s.range.contains(&verb.start));
    // "were killed in clashes": the killing is told as the toll of the clashes.
    let told_by = sentence.and_then(|sentence| {
        let words = Words::new(text, &lower, sentence.range.clone());
        let actors = actors::find(&words, &mut ActorContext::default());
        let triggers = events::find(&words, &actors);
        let k = triggers.iter().position(|t| {
            words.words[t.words.start].start < verb.end.max(verb.start + 1)
                && words.words[t.words.end - 1].end > verb.start
        })?;
        let host = told_by_event(&words, &triggers, k)?;
        Some(words.words[triggers[host].words.start].start)
    });
    let anchored = read.drafts.iter().find(|d| {
        (verb.start <= d.anchor && d.anchor < verb.end.max(verb.start + 1))
            || Some(d.anchor) == told_by
    });
    if let Some(place) = anchored.and_then(|d| d.place.clone()) {
        return (Some(place), true);
    }
    let verb_is_incident = anchored.is_some();
    let Some(sentence) = sentence else {
        return (None, verb_is_incident);
    };
    let mut mentions = source.mentions(loaded);
    mentions.sort_by_key(|m| m.span.start);
    let countries = places::country_counts(text, &story);
    let mut borders = BorderContext {
        source,
        countries: &countries,
        last_border: None,
    };
    let words = Words::new(text, &lower, sentence.range.clone());
    let Some(at) = (0..words.len()).find(|&i| words.words[i].end > verb.start) else {
        return (None, verb_is_incident);
    };
    let end = (at..words.len())
        .find(|&i| words.words[i].start >= verb.end)
        .unwrap_or(words.len())
        .max(at + 1);
    let actors = actors::find(&words, &mut ActorContext::default());
    let triggers = events::find(&words, &actors);
    let in_sentence: Vec<_> = mentions
        .iter()
        .filter(|m| sentence.range.contains(&m.span.start))
        .cloned()
        .collect();
    let hits = places::hits_in_sentence(&words, &in_sentence, &actors, &mut borders);
    let segment = words.segment(at);
    let previous_end = triggers
        .iter()
        .filter(|t| t.words.end <= at)
        .map(|t| t.words.end)
        .max();
    let next = triggers
        .iter()
        .map(|t| t.words.start)
        .filter(|&s| s >= end && words.segment(s) == segment)
        .min();
    let passive = at > 0
        && matches!(
            words.lower(at - 1),
            "was" | "were" | "been" | "be" | "is" | "are" | "being"
        );
    let segments: Vec<u16> = triggers
        .iter()
        .map(|t| words.segment(t.words.start))
        .collect();
    // Beyond the clause: the first place named after the word, else the last before it.
    // Countries only when no finer place is named; only a place named as a location ("in",
    // "near", "north of"), never one named as where someone comes from ("a driver from
    // Abidjan") or as a modifier ("US soldiers", "Caracas' newspaper").
    let nearest = || {
        let usable = |h: &PlaceHit, countries: bool| {
            let origin = h.words.start > 0 && words.lower(h.words.start - 1) == "from";
            // "Caracas' newspaper" qualifies; "Grozny's streets" still locates.
            let possessive = words
                .text
                .get(words.words.get(h.words.end - 1).map_or(0, |w| w.end)..)
                .is_some_and(|rest| rest.starts_with(['\'', '’']));
            let owned = (h.words.end..h.words.end + 3)
                .map(|j| words.lower(j))
                .find(|w| *w != "s")
                .unwrap_or("");
            let modifier =
                (possessive && !LOCATING_NOUNS.contains(&owned) && !places::owns_place(&words, h))
                    || places::MODIFIED_NOUNS.contains(&words.lower(h.words.end));
            // Named as a location: after "in", "at", "near", "of" … within a few words.
            let located = (h.words.start.saturating_sub(4)..h.words.start)
                .any(|j| LOCATIVES.contains(&words.lower(j)))
                || possessive;
            // A country stands for where only right after its preposition ("in Afghanistan",
            // "in the Philippines"); further off it is the topic ("against the Philippines'
            // participation"), a party or a source.
            let at_country = {
                let s = h.words.start;
                // "in northern Israel", "in the Philippines"
                let mut k = 1;
                while matches!(
                    s.checked_sub(k).map_or("", |j| words.lower(j)),
                    "the"
                        | "northern"
                        | "southern"
                        | "eastern"
                        | "western"
                        | "northeastern"
                        | "northwestern"
                        | "southeastern"
                        | "southwestern"
                        | "central"
                ) {
                    k += 1;
                }
                LOCATIVES.contains(&s.checked_sub(k).map_or("", |j| words.lower(j)))
            };
            !h.demonym
                && !origin
                && !modifier
                && located
                && !places::is_agent(&words, h)
                && h.place
                    .as_ref()
                    .is_some_and(|p| p.scope < PlaceScope::Country || (countries && at_country))
        };
        // "Dozens of Iraqis in Tikrit demonstrated …, while a protest took place outside the
        // Green Zone": a place told in the verb's own clause before it, the subject's, comes
        // before places in other clauses.
        let own_clause = words.segment_range(at).start;
        [false, true].into_iter().find_map(|countries| {
            hits.iter()
                .position(|h| {
                    h.words.start >= own_clause && h.words.end <= at && usable(h, countries)
                })
                .or_else(|| {
                    // Not in a clause that depends on the verb ("demonstrated … to protest the
                    // ratification of a law … in Bahrain").
                    hits.iter().position(|h| {
                        h.words.start >= end
                            && usable(h, countries)
                            && !places::dependent_clause_between(&words, end, h.words.start)
                    })
                })
                .or_else(|| {
                    hits.iter()
                        .rposition(|h| h.words.end <= at && usable(h, countries))
                })
                .map(|hit| (hit, None))
        })
    };
    let attached = places::attach(
        &words,
        &hits,
        at..end,
        (previous_end, next),
        passive,
        &segments,
    )
    .or_else(nearest);
    let place = attached.and_then(|(hit, context)| {
        let found = hits[hit].place.as_ref()?;
        Some(match context.and_then(|c| hits[c].place.as_ref()) {
            Some(context) => places::refine(found, context, source),
            None => found.clone(),
        })
    });
    (place, verb_is_incident)
}
