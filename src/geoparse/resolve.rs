//! Resolution: which place each found name means.
//!
//! Each candidate gets a prior (its kind, GeoNames feature code, population, whether the name
//! is its own or an alternate), a bonus when the cue word fits its kind ("province" → an
//! admin-1 area) and when a ", State" qualifier names its admin-1 area or country. Then the
//! document votes: candidates in the countries and admin-1 areas that the *other* names of
//! the document can be in gain (twice: the second time a name the first vote made sure of
//! counts as that place alone); for names that only small places bear, the countries and
//! admin-1 areas of the document's *sure* places (its dateline counting double) weigh more
//! than the namesakes' size; and candidates near the places already resolved with confidence
//! gain. The winner's share of the softmax over the final scores is its confidence.

use std::collections::HashMap;
use std::ops::Range;

use super::normalise::Normalised;
use super::recognise::Found;
use super::{Cue, Resolved};
use crate::gazetteer::{Gazetteer, Place, PlaceIndex, PlaceKind};

/// How to choose among the candidates of a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// Priors, cues and the document's context (the geoparser).
    Context,
    /// The most populous candidate, nothing else (the baseline it is compared with).
    MostPopulous,
}

/// The decision for one found name.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub place: Option<Resolved>,
    /// A changed span, when the name became part of a longer phrase ("border with Syria").
    pub span: Option<Range<usize>>,
    pub cue: Option<Cue>,
}

/// Weights of the evidence, in the units of the prior (about one unit per e-fold of
/// population).
const COUNTRY_SUPPORT: f32 = 5.0;
const ADMIN1_SUPPORT: f32 = 8.0;
const CUE_FITS: f32 = 5.0;
const CUE_CONTRADICTS: f32 = -3.0;
const QUALIFIER_FITS: f32 = 8.0;
/// Per e-fold of population: weak, because local news names small places.
const POPULATION_WEIGHT: f32 = 0.3;
/// An alternate name when another candidate bears the name as its own ("Manchester" is
/// also an old name of part of Richmond, Virginia).
const ALTERNATE_OF_ANOTHER: f32 = -1.0;
/// A town named after a country ("China, Texas") only on strong evidence (a qualifier):
/// nearby places of the town's state must not outvote the country.
const COUNTRY_NAMESAKE: f32 = -10.0;
const NAMESAKE_NEIGHBOURS_KM: f64 = 50.0;
/// A city of a million people is what its bare name means before the province of the same
/// name ("New York", "Baghdad"); a cue ("province") still decides the other way.
const CITY_BEFORE_PROVINCE: f32 = 4.0;
const BIG_CITY_POPULATION: u64 = 1_000_000;
/// How sure a name must be resolved to place the unknown names written near it.
const SURE: f32 = 0.5;
/// How far in the text (bytes) a place still tells where an unknown name beside it is.
const NEARBY_TEXT_BYTES: usize = 40;
/// How sure a name placed by the document's focus is.
const FOCUS_CONFIDENCE: f32 = 0.2;
/// A name found inside a longer one counts when one of its places lies this near the focus.
const INNER_NEAR_FOCUS_KM: f64 = 100.0;
const NAMED_COUNTRY: f32 = 1.5;
/// A name listed beside a sure country or province ("England and Wales") leans to that kind.
const LISTED_KIND_FITS: f32 = 5.0;
const LISTED_SURE: f32 = 0.8;
/// How much farther a place counts as near a sea or a region that spans countries.
const SPANNING_NEARNESS_SCALE: f64 = 3.0;
const NAMED_ADMIN1: f32 = 2.0;
/// The document's sure places: how sure, and how much their countries and admin-1 areas
/// weigh for names only small places bear (at full agreement), against about 0.3 a unit per
/// e-fold of population.
const SURE_AREA: f32 = 0.8;
const SURE_COUNTRY: f32 = 4.0;
const SURE_ADMIN1: f32 = 3.0;
const DATELINE_WEIGHT: f32 = 2.0;
/// How many sure places (the dateline counting double) make a vote.
const MIN_SURE_VOTES: f32 = 1.0;
/// How many, all in other countries, overrule a small name's every candidate.
const FOREIGN_SURE_VOTES: f32 = 2.0;
const FOREIGN_SMALL_POPULATION: u64 = 100_000;

/// Resolves every found name; one outcome per name, in order.
pub fn resolve(
    gaz: &Gazetteer,
    text: &str,
    _norm: &Normalised,
    found: &[Found],
    strategy: Strategy,
) -> Vec<Option<Outcome>> {
    match strategy {
        Strategy::MostPopulous => found.iter().map(|f| most_populous(gaz, f)).collect(),
        // The document's votes compare names with names; past a few hundred names (no news
        // story has so many, a hostile or machine-made text may) the document is read in
        // windows of that many, so that the work grows with its length, not its square.
        Strategy::Context => found
            .chunks(CONTEXT_WINDOW_NAMES)
            .flat_map(|window| Resolver::new(gaz, window).run(text))
            .collect(),
    }
}

/// The most place names whose context is weighed together.
const CONTEXT_WINDOW_NAMES: usize = 400;

fn most_populous(gaz: &Gazetteer, found: &Found) -> Option<Outcome> {
    if let Some(place) = found.demonym {
        return Some(outcome(gaz, place, 1.0, None, None));
    }
    let best = found.candidates.iter().max_by_key(|r| {
        let place = gaz.place(r.place);
        (
            place.population,
            kind_rank(place.kind),
            std::cmp::Reverse(r.place),
        )
    })?;
    let share = 1.0 / found.candidates.len() as f32;
    Some(outcome(gaz, best.place, share, None, None))
}

/// Breaks population ties: a country before a province before a town.
fn kind_rank(kind: PlaceKind) -> u8 {
    match kind {
        PlaceKind::Continent => 6,
        PlaceKind::Country => 5,
        PlaceKind::Admin1 => 4,
        PlaceKind::Admin2 => 3,
        PlaceKind::City => 2,
        PlaceKind::Town => 1,
        _ => 0,
    }
}

fn outcome(
    gaz: &Gazetteer,
    place: PlaceIndex,
    confidence: f32,
    span: Option<Range<usize>>,
    cue: Option<Cue>,
) -> Outcome {
    Outcome {
        place: Some(Resolved {
            id: gaz.place(place).id.clone(),
            confidence: confidence.clamp(0.0, 1.0),
        }),
        span,
        cue,
    }
}

/// One candidate of one name, with its running score.
#[derive(Debug, Clone)]
struct Candidate {
    place: PlaceIndex,
    score: f32,
    /// A town that bears a country's name ("Palestine, Texas").
    namesake: bool,
    /// Whether the name is the place's own, not an alternate.
    own_name: bool,
}

/// The admin-1 area of a place as (country, normalised admin-1 name).
type Admin1Key = (String, String);

struct Resolver<'a> {
    gaz: &'a Gazetteer,
    found: &'a [Found],
    /// Candidates of each found name (demonyms have their one target).
    candidates: Vec<Vec<Candidate>>,
    /// The group of each found name: names written the same share one vote.
    group: Vec<usize>,
    groups: usize,
}

impl<'a> Resolver<'a> {
    fn new(gaz: &'a Gazetteer, found: &'a [Found]) -> Self {
        let mut group_of_key: HashMap<(bool, &str), usize> = HashMap::new();
        let mut group = Vec::with_capacity(found.len());
        let mut candidates = Vec::with_capacity(found.len());
        for f in found {
            let next = group_of_key.len();
            let g = *group_of_key
                .entry((f.demonym.is_some(), f.key.as_str()))
                .or_insert(next);
            group.push(g);
            let list = match f.demonym {
                Some(place) => vec![Candidate {
                    place,
                    score: 0.0,
                    namesake: false,
                    own_name: true,
                }],
                None => {
                    f.candidates
                        .iter()
                        .map(|r| {
                            let someone_owns_it = f.candidates.iter().any(|o| o.primary);
                            let a_country_owns_it = f.candidates.iter().any(|o| {
                                o.primary && gaz.place(o.place).kind == PlaceKind::Country
                            });
                            // A province keeps a country's name only as its own ("Georgia"),
                            // not as an alternate ("Mexico" for Mexico City).
                            let namesake = a_country_owns_it
                                && gaz.place(r.place).kind != PlaceKind::Country
                                && !(gaz.place(r.place).kind == PlaceKind::Admin1 && r.primary);
                            // A big city, or the seat of the province named after it
                            // ("Homs", "Najaf", "Raqqa" for Ar Raqqah), before that province.
                            let big_city_of_a_province = !a_country_owns_it
                                && f.candidates.iter().any(|o| {
                                    o.primary
                                        && gaz.place(o.place).kind == PlaceKind::Admin1
                                        && (is_big_city(gaz.place(r.place))
                                            || is_seat_of(gaz, gaz.place(r.place), o.place))
                                });
                            Candidate {
                                place: r.place,
                                namesake,
                                own_name: r.primary,
                                score: prior(gaz.place(r.place), r.primary)
                                    + cue_fit(f.cue, gaz.place(r.place).kind, &f.candidates, gaz)
                                    + qualifier_fit(gaz, r.place, &f.qualifiers)
                                    + if !r.primary && someone_owns_it {
                                        ALTERNATE_OF_ANOTHER
                                    } else {
                                        0.0
                                    }
                                    + if namesake { COUNTRY_NAMESAKE } else { 0.0 }
                                    + if big_city_of_a_province {
                                        CITY_BEFORE_PROVINCE
                                    } else {
                                        0.0
                                    },
                            }
                        })
                        .collect()
                }
            };
            candidates.push(list);
        }
        let groups = group_of_key.len();
        Resolver {
            gaz,
            found,
            candidates,
            group,
            groups,
        }
    }

    fn run(mut self, text: &str) -> Vec<Option<Outcome>> {
        // Pass 1: what each group could be, by country and admin-1 area, from the priors.
        let priors: Vec<Vec<f32>> = self
            .candidates
            .iter()
            .map(|list| list.iter().map(|c| c.score).collect())
            .collect();
        let (mut country_mass, mut admin1_mass) = self.masses();
        self.area_votes(&country_mass, &admin1_mass, &self.named_areas());
        // Pass 2 again, the groups now sure of their place counting as that place alone:
        // "Georgia" beside Atlanta, resolved as the state, no longer lends most of its weight
        // to the country; names still in doubt keep their spread-out guesses, so a few
        // ambiguous namesakes cannot talk each other into one far state.
        let (sharp_country, sharp_admin1) = self.masses();
        for (g, sure) in self.sure_groups().into_iter().enumerate() {
            if sure {
                country_mass[g] = sharp_country[g].clone();
                admin1_mass[g] = sharp_admin1[g].clone();
            }
        }
        let named = self.named_areas();
        for (list, prior) in self.candidates.iter_mut().zip(&priors) {
            for (c, p) in list.iter_mut().zip(prior) {
                c.score = *p;
            }
        }
        self.area_votes(&country_mass, &admin1_mass, &named);
        self.match_listed_kinds(text);
        let sure = self.confident_areas_vote(text);
        // Pass 3: nearness to the places now resolved with confidence.
        let anchors = self.anchors();
        for (i, list) in self.candidates.iter_mut().enumerate() {
            if self.found[i].demonym.is_some() || list.len() < 2 {
                continue;
            }
            let g = self.group[i];
            for c in list.iter_mut() {
                let place = self.gaz.place(c.place);
                let nearest = |same_place_counts: bool| {
                    anchors
                        .iter()
                        .filter(|(group, anchor)| {
                            *group != g && (same_place_counts || *anchor != c.place)
                        })
                        .map(|(_, anchor)| {
                            let a = self.gaz.place(*anchor);
                            distance_km(place.lat, place.lon, a.lat, a.lon)
                        })
                        .fold(f64::INFINITY, f64::min)
                };
                // A sea or a region without a country is large: its point is far from the
                // towns on its shores (Dubai lies 360 km from the Persian Gulf's middle).
                let scale = if place.country.is_none() && place.kind.spans_countries() {
                    SPANNING_NEARNESS_SCALE
                } else {
                    1.0
                };
                c.score += nearness(nearest(true) / scale);
                // A country's namesake with other places of the story around it is the town:
                // "Palestine" beside Anderson County and the Neches River is in Texas. The
                // town itself under another name does not count, nor does a place that bears
                // the country's name only as an alternate ("Mexico City … Mexico").
                if c.namesake && c.own_name && nearest(false) <= NAMESAKE_NEIGHBOURS_KM {
                    c.score -= COUNTRY_NAMESAKE;
                }
            }
        }
        let top_countries = self.document_countries();
        let focus = self.focus(&top_countries);
        let points = self.sure_points();
        (0..self.found.len())
            .map(|i| {
                if let Some(town) = self.foreign_namesake_beside(i, &sure, &points) {
                    return Some(outcome(self.gaz, town, FOCUS_CONFIDENCE, None, None));
                }
                let focus = self.nearby_point(i, &points).or(focus);
                self.decide(i, &top_countries, focus)
            })
            .collect()
    }

    /// Whether each group's most likely reading is sure (as sure as a sure place's vote).
    fn sure_groups(&self) -> Vec<bool> {
        let mut sure = vec![false; self.groups];
        for (i, list) in self.candidates.iter().enumerate() {
            if let Some((_, p)) = most_likely(list) {
                sure[self.group[i]] |= p >= SURE_AREA;
            }
        }
        sure
    }

    /// Pass 2: the document's votes, from what each other group could be.
    fn area_votes(
        &mut self,
        country_mass: &[HashMap<String, f32>],
        admin1_mass: &[HashMap<Admin1Key, f32>],
        named: &NamedAreas,
    ) {
        for (i, list) in self.candidates.iter_mut().enumerate() {
            if self.found[i].demonym.is_some() {
                continue;
            }
            let g = self.group[i];
            let country_vote = |place: &Place| {
                let cc = place.country.as_deref()?;
                let mut vote =
                    COUNTRY_SUPPORT * support(country_mass, g, &cc.to_string(), self.groups);
                if named
                    .countries
                    .iter()
                    .any(|(n, group)| n == cc && *group != g)
                {
                    vote += NAMED_COUNTRY;
                }
                Some(vote)
            };
            // A region or sea that spans countries ("the Atlantic") lies in whichever country
            // the story is about as much as any of its rivals does.
            let spans = list
                .iter()
                .any(|c| self.gaz.place(c.place).kind.spans_countries());
            let spanning_vote = if spans {
                list.iter()
                    .filter_map(|c| country_vote(self.gaz.place(c.place)))
                    .fold(0.0f32, f32::max)
            } else {
                0.0
            };
            for c in list.iter_mut() {
                let place = self.gaz.place(c.place);
                c.score += country_vote(place).unwrap_or(if place.kind.spans_countries() {
                    spanning_vote
                } else {
                    0.0
                });
                if let Some(key) = admin1_key(self.gaz, place) {
                    c.score += ADMIN1_SUPPORT * support(admin1_mass, g, &key, self.groups);
                    if named
                        .admin1
                        .iter()
                        .any(|(n, group)| *n == key && *group != g)
                    {
                        c.score += NAMED_ADMIN1;
                    }
                }
            }
        }
    }

    /// The countries and admin-1 areas where the document's sure places lie (its dateline
    /// counting double) decide names that only small places bear: "Rabia" in a story whose
    /// every sure place is in Nineveh is the Nineveh town before a bigger namesake elsewhere.
    /// Pass 2 weighs every name's spread-out guesses; here only sure places vote, so a few
    /// ambiguous names cannot dilute them.
    fn confident_areas_vote(&mut self, text: &str) -> SureVotes<'a> {
        let gaz = self.gaz;
        let mut countries: HashMap<&'a str, f32> = HashMap::new();
        let mut admin1: HashMap<Admin1Key, f32> = HashMap::new();
        // Each group once: (its weight, its country, its admin-1 area).
        let mut votes: Vec<Option<(f32, &'a str, Option<Admin1Key>)>> = vec![None; self.groups];
        for (i, list) in self.candidates.iter().enumerate() {
            let g = self.group[i];
            if votes[g].is_some() || self.found[i].inner {
                continue;
            }
            let Some((best, p)) = most_likely(list) else {
                continue;
            };
            if p < SURE_AREA {
                continue;
            }
            let place = gaz.place(best.place);
            let Some(cc) = place.country.as_deref() else {
                continue;
            };
            let weight = if is_dateline(text, &self.found[i].span) {
                DATELINE_WEIGHT
            } else {
                1.0
            };
            let key = admin1_key(self.gaz, place);
            *countries.entry(cc).or_insert(0.0) += weight;
            if let Some(key) = &key {
                *admin1.entry(key.clone()).or_insert(0.0) += weight;
            }
            votes[g] = Some((weight, cc, key));
        }
        let total: f32 = votes.iter().flatten().map(|v| v.0).sum();
        let mut bonuses = Vec::new();
        for (i, list) in self.candidates.iter().enumerate() {
            if self.found[i].demonym.is_some() || list.len() < 2 {
                continue;
            }
            // Only names that no big place bears: a capital or a country keeps its prior.
            if !only_small_places(self.gaz, list) {
                continue;
            }
            let own = votes[self.group[i]].clone();
            let others = total - own.as_ref().map_or(0.0, |v| v.0);
            if others < MIN_SURE_VOTES {
                continue;
            }
            for (k, c) in list.iter().enumerate() {
                let place = self.gaz.place(c.place);
                let Some(cc) = place.country.as_deref() else {
                    continue;
                };
                let own_cc = own.as_ref().filter(|v| v.1 == cc).map_or(0.0, |v| v.0);
                let mut bonus =
                    SURE_COUNTRY * (countries.get(cc).copied().unwrap_or(0.0) - own_cc) / others;
                if let Some(key) = admin1_key(self.gaz, place) {
                    let own_a1 = own
                        .as_ref()
                        .filter(|v| v.2.as_ref() == Some(&key))
                        .map_or(0.0, |v| v.0);
                    bonus +=
                        SURE_ADMIN1 * (admin1.get(&key).copied().unwrap_or(0.0) - own_a1) / others;
                }
                bonuses.push((i, k, bonus));
            }
        }
        for (i, k, bonus) in bonuses {
            self.candidates[i][k].score += bonus;
        }
        SureVotes { countries, votes }
    }

    /// For a name that only small places bear, none of them in a country where any other sure
    /// place of the story lies, written right beside a sure town: that town ("a village
    /// south-west of Qamishli" in a story about Hasakah is not its namesake in Indonesia).
    fn foreign_namesake_beside(
        &self,
        i: usize,
        sure: &SureVotes,
        points: &[Option<PlaceIndex>],
    ) -> Option<PlaceIndex> {
        let found = &self.found[i];
        let list = &self.candidates[i];
        if found.demonym.is_some() || found.inner || list.is_empty() {
            return None;
        }
        // Villages and small towns only: a known city (Nice) or site (Heathrow, the Kremlin)
        // in a story about elsewhere is still itself.
        if list.iter().any(|c| {
            let place = self.gaz.place(c.place);
            !place.kind.is_settlement() || place.population >= FOREIGN_SMALL_POPULATION
        }) {
            return None;
        }
        let own = sure.votes[self.group[i]].as_ref();
        let others: f32 =
            sure.votes.iter().flatten().map(|v| v.0).sum::<f32>() - own.map_or(0.0, |v| v.0);
        if others < FOREIGN_SURE_VOTES {
            return None;
        }
        let in_story_country = list.iter().any(|c| {
            self.gaz
                .place(c.place)
                .country
                .as_deref()
                .is_some_and(|cc| {
                    let own_cc = own.filter(|v| v.1 == cc).map_or(0.0, |v| v.0);
                    sure.countries.get(cc).copied().unwrap_or(0.0) - own_cc > 0.0
                })
        });
        if in_story_country {
            return None;
        }
        self.closest_point(i, points)
    }

    /// Names listed together are of one kind: in "England and Wales" Wales is the other
    /// country of the UK, not a village in England; in "Diyala and Kirkuk" Kirkuk is the
    /// other province.
    fn match_listed_kinds(&mut self, text: &str) {
        let sure_area_kind = |list: &[Candidate], gaz: &Gazetteer| {
            let (best, p) = most_likely(list)?;
            let kind = gaz.place(best.place).kind;
            (p >= LISTED_SURE
                && matches!(
                    kind,
                    PlaceKind::Country | PlaceKind::Admin1 | PlaceKind::Admin2
                ))
            .then_some(kind)
        };
        let listed = |a: &Found, b: &Found| {
            let between = text.get(a.span.end..b.span.start).unwrap_or("").trim();
            matches!(between, "and" | "," | "or" | ", and" | ", or" | "&")
        };
        let mut bonuses = Vec::new();
        for i in 0..self.found.len() {
            let neighbours = [i.checked_sub(1), Some(i + 1)];
            for j in neighbours.into_iter().flatten() {
                if j >= self.found.len() || self.found[j].demonym.is_some() {
                    continue;
                }
                let (first, second) = if j < i { (j, i) } else { (i, j) };
                if !listed(&self.found[first], &self.found[second]) {
                    continue;
                }
                if let Some(kind) = sure_area_kind(&self.candidates[j], self.gaz) {
                    bonuses.push((i, kind));
                }
            }
        }
        for (i, kind) in bonuses {
            for c in self.candidates[i].iter_mut() {
                if self.gaz.place(c.place).kind == kind {
                    c.score += LISTED_KIND_FITS;
                }
            }
        }
    }

    /// For each name, the town or site it surely means (nothing for areas, demonyms, inner
    /// names and names in doubt).
    fn sure_points(&self) -> Vec<Option<PlaceIndex>> {
        self.candidates
            .iter()
            .zip(self.found)
            .map(|(list, found)| {
                if found.demonym.is_some() || found.inner || found.common_word {
                    return None;
                }
                let (best, p) = most_likely(list)?;
                let kind = self.gaz.place(best.place).kind;
                (p >= SURE && kind.is_point_like()).then_some(best.place)
            })
            .collect()
    }

    /// For a name outside the gazetteer or found inside a longer one: the sure town or site
    /// written closest to it in the text ("a fire on Bourbon Street in New Orleans").
    fn nearby_point(&self, i: usize, points: &[Option<PlaceIndex>]) -> Option<PlaceIndex> {
        let found = &self.found[i];
        if found.demonym.is_some() || !(found.inner || self.candidates[i].is_empty()) {
            return None;
        }
        self.closest_point(i, points)
    }

    /// The sure town or site written closest to name `i`, within a few words of it.
    fn closest_point(&self, i: usize, points: &[Option<PlaceIndex>]) -> Option<PlaceIndex> {
        let found = &self.found[i];
        let gap = |j: usize| {
            let other = &self.found[j].span;
            if other.end <= found.span.start {
                found.span.start - other.end
            } else {
                other.start.saturating_sub(found.span.end)
            }
        };
        points
            .iter()
            .enumerate()
            .filter(|&(j, point)| j != i && point.is_some() && gap(j) <= NEARBY_TEXT_BYTES)
            .min_by_key(|&(j, _)| gap(j))
            .and_then(|(_, point)| *point)
    }

    /// For each group, how much of its probability lies in each country and admin-1 area.
    #[allow(clippy::type_complexity)]
    fn masses(&self) -> (Vec<HashMap<String, f32>>, Vec<HashMap<Admin1Key, f32>>) {
        let mut country = vec![HashMap::new(); self.groups];
        let mut admin1 = vec![HashMap::new(); self.groups];
        let mut counted = vec![false; self.groups];
        for (i, list) in self.candidates.iter().enumerate() {
            let g = self.group[i];
            if counted[g] || list.is_empty() {
                continue;
            }
            counted[g] = true;
            let weight = if self.found[i].demonym.is_some() {
                0.5
            } else {
                1.0
            };
            let probabilities = softmax(list.iter().map(|c| c.score));
            for (c, p) in list.iter().zip(probabilities) {
                let place = self.gaz.place(c.place);
                if let Some(cc) = place.country.as_deref() {
                    *country[g].entry(cc.to_string()).or_insert(0.0) += p * weight;
                }
                if let Some(key) = admin1_key(self.gaz, place) {
                    *admin1[g].entry(key).or_insert(0.0) += p * weight;
                }
            }
        }
        (country, admin1)
    }

    /// Countries and admin-1 areas named outright (a name whose only or best reading is the
    /// area itself), with the group that named them.
    fn named_areas(&self) -> NamedAreas {
        let mut named = NamedAreas::default();
        for (i, list) in self.candidates.iter().enumerate() {
            let Some(best) = best_of(list) else { continue };
            let place = self.gaz.place(best.place);
            let probability = softmax(list.iter().map(|c| c.score))
                .into_iter()
                .fold(0.0f32, f32::max);
            if probability < 0.6 {
                continue;
            }
            match place.kind {
                PlaceKind::Country => {
                    if let Some(cc) = &place.country {
                        named.countries.push((cc.clone(), self.group[i]));
                    }
                }
                PlaceKind::Admin1 => {
                    if let Some(key) = admin1_key(self.gaz, place) {
                        named.admin1.push((key, self.group[i]));
                    }
                }
                _ => {}
            }
        }
        named
    }

    /// Point-like places resolved with confidence: the anchors for the nearness vote.
    fn anchors(&self) -> Vec<(usize, PlaceIndex)> {
        let mut anchors = Vec::new();
        for (i, list) in self.candidates.iter().enumerate() {
            if self.found[i].demonym.is_some() {
                continue;
            }
            let Some((best, p)) = most_likely(list) else {
                continue;
            };
            let kind = self.gaz.place(best.place).kind;
            let point_like = !matches!(
                kind,
                PlaceKind::Continent
                    | PlaceKind::Country
                    | PlaceKind::Admin1
                    | PlaceKind::Region
                    | PlaceKind::Border
            );
            if p >= 0.6 && point_like {
                anchors.push((self.group[i], best.place));
            }
        }
        anchors
    }

    /// The countries the document is about, most weight first.
    fn document_countries(&self) -> Vec<(String, f32)> {
        let mut weight: HashMap<String, f32> = HashMap::new();
        for (i, list) in self.candidates.iter().enumerate() {
            let Some(best) = best_of(list) else { continue };
            let place = self.gaz.place(best.place);
            if let Some(cc) = &place.country {
                let w = if place.kind == PlaceKind::Country {
                    1.0
                } else if self.found[i].demonym.is_some() {
                    0.7
                } else {
                    0.5
                };
                *weight.entry(cc.clone()).or_insert(0.0) += w;
            }
        }
        let mut ranked: Vec<(String, f32)> = weight.into_iter().collect();
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        ranked
    }

    /// The place the document is about: the town or site its names point to most surely
    /// (in the country it names most), else its most named province, else its most named
    /// country.
    fn focus(&self, top_countries: &[(String, f32)]) -> Option<PlaceIndex> {
        let main_country = top_countries.first().map(|(cc, _)| cc.as_str());
        let mut votes: HashMap<PlaceIndex, (f32, usize)> = HashMap::new();
        for (i, list) in self.candidates.iter().enumerate() {
            let found = &self.found[i];
            if found.demonym.is_some() || found.inner || found.common_word {
                continue;
            }
            let Some((best, p)) = most_likely(list) else {
                continue;
            };
            let entry = votes.entry(best.place).or_insert((0.0, i));
            entry.0 += p;
        }
        let tier = |place: &Place| match place.kind {
            PlaceKind::Continent | PlaceKind::Region | PlaceKind::Border => 0,
            PlaceKind::Country => 1,
            PlaceKind::Admin1 => 2,
            // A town outside the country the story is about is no focus.
            _ if main_country.is_some() && place.country.as_deref() != main_country => 0,
            _ => 3,
        };
        votes
            .into_iter()
            .max_by(|(a, (weight_a, first_a)), (b, (weight_b, first_b))| {
                tier(self.gaz.place(*a))
                    .cmp(&tier(self.gaz.place(*b)))
                    .then(weight_a.total_cmp(weight_b))
                    .then(first_b.cmp(first_a))
            })
            .map(|(place, _)| place)
    }

    fn decide(
        &self,
        i: usize,
        top_countries: &[(String, f32)],
        focus: Option<PlaceIndex>,
    ) -> Option<Outcome> {
        let found = &self.found[i];
        let list = &self.candidates[i];
        if found.demonym.is_none()
            && let Some(focus) = focus
        {
            // A name that is not in the gazetteer (a street, a building) is somewhere in the
            // place the document is about; a name found inside a longer one ("Carnegie
            // Library") counts only near that place.
            if list.is_empty() {
                return Some(outcome(self.gaz, focus, FOCUS_CONFIDENCE, None, None));
            }
            if found.inner && self.gaz.place(focus).kind.is_point_like() {
                let centre = self.gaz.place(focus);
                let near = list
                    .iter()
                    .map(|c| {
                        let p = self.gaz.place(c.place);
                        (distance_km(p.lat, p.lon, centre.lat, centre.lon), c.place)
                    })
                    .filter(|(km, _)| *km <= INNER_NEAR_FOCUS_KM)
                    .min_by(|a, b| a.0.total_cmp(&b.0));
                let place = near.map_or(focus, |(_, place)| place);
                return Some(outcome(self.gaz, place, FOCUS_CONFIDENCE, None, None));
            }
            if found.inner {
                // The story is about a country or province: the name's places inside it,
                // else the area itself ("Rashid Street" in a story about Iraq is not in Egypt).
                let area = self.gaz.place(focus);
                let inside = |place: &Place| {
                    place.country == area.country
                        && (area.kind != PlaceKind::Admin1 || place.admin1 == area.admin1)
                };
                let best_inside = list
                    .iter()
                    .filter(|c| inside(self.gaz.place(c.place)))
                    .max_by(|a, b| a.score.total_cmp(&b.score));
                let place = best_inside.map_or(focus, |c| c.place);
                return Some(outcome(self.gaz, place, FOCUS_CONFIDENCE, None, None));
            }
        }
        let probabilities = softmax(list.iter().map(|c| c.score));
        let (best, probability) = list
            .iter()
            .zip(probabilities)
            .max_by(|a, b| a.1.total_cmp(&b.1).then_with(|| b.0.place.cmp(&a.0.place)))?;
        let mut confidence = probability;
        if found.common_word {
            confidence *= 0.8;
        }
        if let Some((country, span)) = &found.border_phrase
            && let Some(border) = self.border_for(*country, top_countries)
        {
            return Some(outcome(
                self.gaz,
                border,
                0.8,
                Some(span.clone()),
                Some(Cue::Border),
            ));
        }
        Some(outcome(self.gaz, best.place, confidence, None, None))
    }

    /// The border between `country` and the country the document is most about besides it.
    fn border_for(
        &self,
        country: PlaceIndex,
        top_countries: &[(String, f32)],
    ) -> Option<PlaceIndex> {
        let cc = self.gaz.place(country).country.as_deref()?;
        top_countries
            .iter()
            .filter(|(other, _)| other != cc)
            .find_map(|(other, _)| self.gaz.border_between(cc, other))
    }
}

/// The document's sure places: each group's vote (weight, country, admin-1 area) and the
/// weight of each country.
struct SureVotes<'a> {
    countries: HashMap<&'a str, f32>,
    votes: Vec<Option<(f32, &'a str, Option<Admin1Key>)>>,
}

/// Whether no big place bears the name: no country, continent, province, region across
/// countries or city of a million.
fn only_small_places(gaz: &Gazetteer, list: &[Candidate]) -> bool {
    !list.iter().any(|c| {
        let place = gaz.place(c.place);
        is_big_city(place)
            || matches!(
                place.kind,
                PlaceKind::Country | PlaceKind::Continent | PlaceKind::Admin1
            )
            || place.kind.spans_countries()
    })
}

#[derive(Default)]
struct NamedAreas {
    countries: Vec<(String, usize)>,
    admin1: Vec<(Admin1Key, usize)>,
}

/// "BEIRUT (AP) —", "WINNIPEG, Man. —": a name in capitals that opens a line, then a comma,
/// a bracket or a dash.
pub(super) fn is_dateline(text: &str, span: &Range<usize>) -> bool {
    let before = text.get(..span.start).unwrap_or("");
    let line_start = before.rfind('\n').map_or(0, |at| at + 1);
    let name = text.get(span.clone()).unwrap_or("");
    let after = text.get(span.end..).unwrap_or("");
    before[line_start..].trim().is_empty()
        && name.chars().any(char::is_alphabetic)
        && !name.chars().any(char::is_lowercase)
        && (after.starts_with(',') || after.trim_start().starts_with(['(', '-', '—', '–']))
}

/// The share of the other groups that could lie in `area` (0 to 1).
fn support<K: std::hash::Hash + Eq>(
    masses: &[HashMap<K, f32>],
    group: usize,
    area: &K,
    groups: usize,
) -> f32 {
    if groups < 2 {
        return 0.0;
    }
    // Only the names that could be somewhere count: one with no candidate says nothing.
    let mut others = 0;
    let mut total = 0.0;
    for (g, mass) in masses.iter().enumerate() {
        if g != group && !mass.is_empty() {
            others += 1;
            total += mass.get(area).map_or(0.0, |w| w.min(1.0));
        }
    }
    if others == 0 {
        0.0
    } else {
        total / others as f32
    }
}

fn admin1_key(gaz: &Gazetteer, place: &Place) -> Option<Admin1Key> {
    let _ = gaz;
    let cc = place.country.as_deref()?;
    let name = match place.kind {
        PlaceKind::Admin1 => place.admin1.as_deref().unwrap_or(&place.name),
        PlaceKind::Country | PlaceKind::Continent => return None,
        _ => place.admin1.as_deref()?,
    };
    Some((cc.to_string(), super::normalise::normalise_name(name)))
}

/// The most likely candidate and its share of the softmax over the scores.
fn most_likely(list: &[Candidate]) -> Option<(&Candidate, f32)> {
    list.iter()
        .zip(softmax(list.iter().map(|c| c.score)))
        .max_by(|a, b| a.1.total_cmp(&b.1))
}

fn best_of(list: &[Candidate]) -> Option<&Candidate> {
    list.iter().max_by(|a, b| a.score.total_cmp(&b.score))
}

/// Whether a town is the seat (PPLA) of the admin-1 area `area`.
fn is_seat_of(gaz: &Gazetteer, place: &Place, area: PlaceIndex) -> bool {
    place.kind.is_settlement()
        && place.feature_code.as_deref() == Some("PPLA")
        && gaz.admin1_of(place) == Some(area)
}

fn is_big_city(place: &Place) -> bool {
    place.kind.is_settlement()
        && (place.population >= BIG_CITY_POPULATION
            || place.feature_code.as_deref() == Some("PPLC"))
}

/// How likely a place is to be meant before anything else is known.
fn prior(place: &Place, primary: bool) -> f32 {
    // Countries and provinces by their rank alone: the data gives admin-1 areas no
    // population, and a country's millions would drown every context.
    let population = match place.kind {
        PlaceKind::Continent | PlaceKind::Country | PlaceKind::Admin1 => 0.0,
        _ => (place.population as f32 + 1.0).ln() * POPULATION_WEIGHT,
    };
    let kind = match place.kind {
        // Regions, seas and oceans that span countries ("Middle East", "Atlantic") are what
        // their names mean before any town named after them.
        PlaceKind::Region | PlaceKind::Area if place.country.is_none() => 10.0,
        PlaceKind::Continent => 12.0,
        PlaceKind::Country => 12.0,
        PlaceKind::Admin1 => 8.0,
        PlaceKind::Admin2 => 4.0,
        PlaceKind::Region => 6.5,
        PlaceKind::Border => 6.0,
        PlaceKind::Camp
        | PlaceKind::Prison
        | PlaceKind::Dam
        | PlaceKind::Mountain
        | PlaceKind::BorderCrossing
        | PlaceKind::Landmark
        | PlaceKind::Airport
        | PlaceKind::Area => 5.0,
        PlaceKind::River => 4.0,
        PlaceKind::Neighbourhood => 0.5,
        PlaceKind::City | PlaceKind::Town | PlaceKind::Village | PlaceKind::Other => 1.5,
    };
    let feature = match place.feature_code.as_deref() {
        Some("PPLC") => 3.0,
        Some("PPLA") => 2.0,
        Some("PPLA2") => 1.2,
        Some("PPLA3") => 0.6,
        Some("PPLA4") | Some("PPLA5") => 0.3,
        Some("PPLG") => 1.0,
        Some("PPLX") => -1.0,
        Some("PPLL") | Some("PPLF") => -0.5,
        Some("PPLH") | Some("PPLQ") | Some("PPLW") => -2.5,
        _ => 0.0,
    };
    let curated = if place.id.starts_with("local:") {
        1.5
    } else {
        0.0
    };
    let own_name = if primary { 1.0 } else { 0.0 };
    population + kind + feature + curated + own_name
}

/// Whether the cue fits the kind of place; no penalty when no candidate fits at all.
fn cue_fit(
    cue: Option<Cue>,
    kind: PlaceKind,
    all: &[crate::gazetteer::NameRef],
    gaz: &Gazetteer,
) -> f32 {
    let Some(cue) = cue else { return 0.0 };
    let fits = |k: PlaceKind| match cue {
        Cue::Province => matches!(k, PlaceKind::Admin1),
        Cue::District => matches!(k, PlaceKind::Admin2),
        Cue::City | Cue::Town | Cue::Village => k.is_settlement(),
        Cue::Camp => k == PlaceKind::Camp,
        Cue::Prison => k == PlaceKind::Prison,
        Cue::Border => k == PlaceKind::Border,
        Cue::Crossing => k == PlaceKind::BorderCrossing,
        Cue::Mountain => k == PlaceKind::Mountain,
        Cue::Region => matches!(k, PlaceKind::Region | PlaceKind::Area | PlaceKind::Admin1),
        Cue::River => k == PlaceKind::River,
        Cue::Dam => k == PlaceKind::Dam,
        Cue::Lake => matches!(k, PlaceKind::Other | PlaceKind::Dam),
        Cue::Airport => k == PlaceKind::Airport,
    };
    if fits(kind) {
        CUE_FITS
    } else if all.iter().any(|r| fits(gaz.place(r.place).kind)) {
        CUE_CONTRADICTS
    } else {
        0.0
    }
}

/// A bonus when "Name, Qualifier" names the candidate's admin-1 area or country.
fn qualifier_fit(gaz: &Gazetteer, place: PlaceIndex, qualifiers: &[PlaceIndex]) -> f32 {
    let fits = super::recognise::lies_in_qualifier(gaz, place, qualifiers);
    if fits { QUALIFIER_FITS } else { 0.0 }
}

/// The bonus for lying near a place already resolved.
fn nearness(km: f64) -> f32 {
    if km < 25.0 {
        2.5
    } else if km < 100.0 {
        1.5
    } else if km < 300.0 {
        0.7
    } else {
        0.0
    }
}

fn softmax(scores: impl Iterator<Item = f32>) -> Vec<f32> {
    let scores: Vec<f32> = scores.collect();
    let max = scores.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let exps: Vec<f32> = scores.iter().map(|s| (s - max).exp()).collect();
    let sum: f32 = exps.iter().sum();
    if sum > 0.0 && sum.is_finite() {
        exps.into_iter().map(|e| e / sum).collect()
    } else {
        vec![0.0; scores.len()]
    }
}

pub use crate::gazetteer::distance_km;

#[cfg(test)]
mod tests {
    use std::ops::Range;

    use crate::gazetteer::Gazetteer;
    use crate::geoparse::{Resolved, geoparse, resolve_spans};

    use super::Strategy;

    fn gazetteer() -> &'static Gazetteer {
        Gazetteer::bundled().unwrap_or_else(|e| panic!("the bundled gazetteer must load: {e}"))
    }

    /// The byte span of the first `needle` in `text`.
    fn span(text: &str, needle: &str) -> Range<usize> {
        let start = text
            .find(needle)
            .unwrap_or_else(|| panic!("{needle:?} not in the text"));
        start..start + needle.len()
    }

    fn resolve_given(text: &str, names: &[&str]) -> Vec<Option<Resolved>> {
        let spans: Vec<Range<usize>> = names.iter().map(|n| span(text, n)).collect();
        resolve_spans(gazetteer(), text, &spans, Strategy::Context)
    }

    fn id_of(mentions: &[crate::geoparse::Mention], surface: &str) -> String {
        mentions
            .iter()
            .find(|m| m.text == surface)
            .and_then(|m| m.place.as_ref())
            .map(|p| p.id.clone())
            .unwrap_or_else(|| panic!("{surface:?} not resolved in {mentions:?}"))
    }

    #[test]
    fn a_text_of_thousands_of_names_is_read_in_windows_and_each_name_still_resolves() {
        // A machine-made list: far more names than any story, each one resolvable alone.
        let sentence = "Fighting was reported in Mosul, Kirkuk, Tikrit, Baiji and Ramadi. ";
        let text = sentence.repeat(super::CONTEXT_WINDOW_NAMES / 5 * 3);
        let mentions = geoparse(gazetteer(), &text);
        assert!(
            mentions.len() > 2 * super::CONTEXT_WINDOW_NAMES,
            "{}",
            mentions.len()
        );
        let mosul: Vec<_> = mentions.iter().filter(|m| m.text == "Mosul").collect();
        assert!(mosul.len() > 2);
        let first = mosul[0].place.as_ref().map(|p| p.id.clone());
        assert!(first.is_some());
        // Every window reads the same story alike.
        assert!(
            mosul
                .iter()
                .all(|m| m.place.as_ref().map(|p| p.id.clone()) == first)
        );
    }

    #[test]
    fn the_sure_places_of_a_story_decide_names_only_small_places_bear() {
        // Montgomery and Le Center are sure to be in Minnesota; Springfield is in many states,
        // and its bigger namesake in Illinois must not win.
        let text = "Montgomery firefighters, helped by crews from Springfield, Salem, Franklin \
                    and Le Center, put out the fire.";
        let mentions = geoparse(gazetteer(), text);
        assert_eq!(id_of(&mentions, "Montgomery"), "geonames:5038035");
        assert_eq!(id_of(&mentions, "Springfield"), "geonames:5048394");
    }

    #[test]
    fn an_area_the_story_is_sure_of_counts_as_itself_in_the_second_vote() {
        // "Georgia" could be the country, so on the priors alone it lent the US state little
        // weight, and Texas, named once, drew Atlanta to its village of that name. Once
        // Georgia is sure to be the state, it votes as the state.
        let text = "ATLANTA — Georgia lawmakers approved the budget on Tuesday after a long \
                    debate. The Georgia plan copies one that Texas adopted two years ago, \
                    officials said. Several Georgia counties still wait for the money, and \
                    Atlanta schools expect a share.";
        let mentions = geoparse(gazetteer(), text);
        assert_eq!(id_of(&mentions, "ATLANTA"), "geonames:4180439");
        assert_eq!(id_of(&mentions, "Atlanta"), "geonames:4180439");
        assert_eq!(id_of(&mentions, "Texas"), "geonames:4736286");
    }

    #[test]
    fn a_village_whose_namesakes_all_lie_abroad_is_placed_at_the_town_beside_it() {
        // Every sure place of the story is in Syria; the only places called Oas are in the
        // Philippines: the village is somewhere by Qamishli, not there.
        let text = "QAMISHLI, Syria — A drone struck Oas, south-west of Qamishli, on Monday. \
                    Officials in Hasakah and Amuda said two people died.";
        let mentions = geoparse(gazetteer(), text);
        let oas = mentions
            .iter()
            .find(|m| m.text == "Oas")
            .and_then(|m| m.place.clone())
            .unwrap_or_else(|| panic!("Oas not placed: {mentions:?}"));
        assert_eq!(oas.id, id_of(&mentions, "Qamishli"));
        assert!(oas.confidence <= 0.25, "{oas:?}");
    }

    #[test]
    fn a_street_outside_the_gazetteer_is_placed_in_the_town_the_story_is_about() {
        let text = "Police closed Frenchmen Street in New Orleans on Saturday. Crowds in \
                    New Orleans, Louisiana, moved to Frenchmen Street after the parade.";
        let resolved = resolve_given(text, &["Frenchmen Street", "New Orleans"]);
        let street = resolved[0].as_ref().expect("the street gets the focus");
        assert_eq!(street.id, "geonames:4335045");
        assert!(street.confidence <= 0.25, "{street:?}");
        assert_eq!(
            resolved[1].as_ref().map(|r| r.id.as_str()),
            Some("geonames:4335045")
        );
    }

    #[test]
    fn an_unknown_name_is_placed_at_the_town_written_beside_it() {
        let text = "Houston, Texas police said. Houston officers and Houston firefighters \
                    helped. Later a parade on Frenchmen Street in New Orleans ended.";
        let resolved = resolve_given(text, &["Frenchmen Street", "Houston", "New Orleans"]);
        assert_eq!(
            resolved[0].as_ref().map(|r| r.id.as_str()),
            Some("geonames:4335045"),
            "New Orleans, written beside it, not Houston, the story's focus"
        );
    }

    #[test]
    fn a_name_inside_a_longer_one_counts_only_near_the_focus() {
        let text = "Pittsburgh, Pennsylvania: the Carnegie Library reopened in Pittsburgh.";
        let resolved = resolve_given(text, &["Carnegie Library", "Pittsburgh"]);
        // Carnegie, Pennsylvania lies 7 km from Pittsburgh; Carnegie, Oklahoma is not chosen.
        assert_eq!(
            resolved[0].as_ref().map(|r| r.id.as_str()),
            Some("geonames:4833478")
        );
        let text = "Pittsburgh, Pennsylvania: the Marigny Plantation tour left Pittsburgh.";
        let resolved = resolve_given(text, &["Marigny Plantation", "Pittsburgh"]);
        assert_eq!(
            resolved[0].as_ref().map(|r| r.id.as_str()),
            Some("geonames:5206379"),
            "no Marigny near Pittsburgh: the focus"
        );
    }

    #[test]
    fn a_country_beats_its_namesake_town_unless_the_story_is_around_the_town() {
        let story = "Exports from Houston, Texas to China rose, Dallas traders said.";
        assert_eq!(id_of(&geoparse(gazetteer(), story), "China"), "iso:CN");
        let dateline = "MEXICO CITY (AP) - A candidate said Mexico should send more troops.";
        let mentions = geoparse(gazetteer(), dateline);
        assert_eq!(
            mentions
                .iter()
                .filter_map(|m| m.place.as_ref())
                .map(|p| p.id.as_str())
                .collect::<Vec<_>>(),
            ["geonames:3530597", "iso:MX"],
            "the capital under the country's name is no neighbour of the country's namesake"
        );
        let local = "Palestine firefighters were called to Anderson County. The fire near \
                     Palestine spread toward Tennessee Colony and Elkhart, Texas.";
        assert_eq!(
            id_of(&geoparse(gazetteer(), local), "Palestine"),
            "geonames:4717232"
        );
    }

    #[test]
    fn a_big_city_is_its_bare_name_and_its_province_needs_a_cue() {
        let city = resolve_given("Flights to New York were cancelled.", &["New York"]);
        assert_eq!(
            city[0].as_ref().map(|r| r.id.as_str()),
            Some("geonames:5128581")
        );
        let state = "Voters across New York state went to the polls.";
        assert_eq!(
            resolve_given(state, &["New York"])[0]
                .as_ref()
                .map(|r| r.id.as_str()),
            Some("geonames:5128638")
        );
    }

    #[test]
    fn a_provinces_seat_known_by_an_alternate_name_is_the_bare_name() {
        // "Raqqa" is the province's own name and an alternate of its seat, Ar Raqqah.
        let text = "Gunmen abducted two men on the road about 25 km west of Raqqa on Monday.";
        assert_eq!(
            resolve_given(text, &["Raqqa"])[0]
                .as_ref()
                .map(|r| r.id.as_str()),
            Some("geonames:172955")
        );
        let province = "Fighting spread across Raqqa province on Monday.";
        assert_eq!(
            resolve_given(province, &["Raqqa"])[0]
                .as_ref()
                .map(|r| r.id.as_str()),
            Some("geonames:172957")
        );
    }

    #[test]
    fn a_sea_is_not_a_town_of_the_country_the_story_is_about() {
        let text = "Forecasters in Fort Collins, Colorado expect storms in the Atlantic, \
                    and the US coast from Florida to Maine is on alert.";
        let resolved = resolve_given(text, &["Atlantic"]);
        assert_eq!(
            resolved[0].as_ref().map(|r| r.id.as_str()),
            Some("local:atlantic-ocean"),
            "not Atlantic, Iowa"
        );
    }

    #[test]
    fn an_institution_of_a_country_stands_for_the_country() {
        let text = "The Bank of Japan kept rates unchanged; the University of Alberta agreed.";
        let resolved = resolve_given(text, &["Bank of Japan", "University of Alberta"]);
        assert_eq!(resolved[0].as_ref().map(|r| r.id.as_str()), Some("iso:JP"));
        assert_eq!(
            resolved[1].as_ref().map(|r| r.id.as_str()),
            Some("geonames:5883102")
        );
    }

    #[test]
    fn a_body_named_after_an_area_stands_for_it_but_a_quarter_or_street_does_not() {
        let text = "Arizona State University and the Iowa House agreed with the European \
                    Commission. In New Orleans, the French Quarter and North State Street were \
                    closed.";
        let names = [
            "Arizona State University",
            "Iowa House",
            "European Commission",
            "French Quarter",
            "North State Street",
            "New Orleans",
        ];
        let resolved = resolve_given(text, &names);
        let ids: Vec<&str> = resolved
            .iter()
            .map(|r| r.as_ref().map_or("", |r| r.id.as_str()))
            .collect();
        assert_eq!(ids[0], "geonames:5551752", "Arizona");
        assert_eq!(ids[1], "geonames:4862182", "Iowa");
        assert_eq!(ids[2], "geonames:6255148", "Europe");
        // Not France, not the North region of Cameroon: the town the story is about.
        assert_eq!(ids[3], "geonames:4335045");
        assert_eq!(ids[4], "geonames:4335045");
    }

    #[test]
    fn a_state_that_is_also_a_word_leads_a_body_named_after_it() {
        let text = "Researchers at Colorado State said the season starts in June.";
        let resolved = resolve_given(text, &["Colorado State"]);
        assert_eq!(
            resolved[0].as_ref().map(|r| r.id.as_str()),
            Some("geonames:5417618"),
            "the state of Colorado, though \"colorado\" is also a word"
        );
    }

    #[test]
    fn a_name_listed_beside_a_province_is_a_province() {
        let text = "Attacks rose in Diyala and Kirkuk this year. Police in Kirkuk said.";
        let mentions = geoparse(gazetteer(), text);
        let ids: Vec<&str> = mentions
            .iter()
            .filter_map(|m| m.place.as_ref())
            .map(|p| p.id.as_str())
            .collect();
        assert_eq!(
            ids,
            ["geonames:96965", "geonames:98410", "geonames:94787"],
            "Diyala and Kirkuk governorates, then Kirkuk city"
        );
    }

    #[test]
    fn the_gulf_is_the_one_by_the_storys_towns() {
        let gulf = |text: &str, town: &str| {
            resolve_given(text, &["Gulf", town])[0]
                .clone()
                .map(|r| r.id)
        };
        assert_eq!(
            gulf("Ships left Dubai for ports in the Gulf.", "Dubai").as_deref(),
            Some("local:persian-gulf")
        );
        assert_eq!(
            gulf("Fishermen from Biloxi returned to the Gulf.", "Biloxi").as_deref(),
            Some("local:gulf-of-mexico")
        );
    }

    #[test]
    fn airports_and_air_bases_resolve() {
        let text = "Rockets hit Ain al-Asad air base in Anbar, and a drone fell near Erbil \
                    airport. Flights from Heathrow to Baghdad International Airport resumed.";
        let mentions = geoparse(gazetteer(), text);
        assert_eq!(
            id_of(&mentions, "Ain al-Asad air base"),
            "local:airport-oraa"
        );
        assert_eq!(id_of(&mentions, "Erbil airport"), "local:airport-orer");
        assert_eq!(id_of(&mentions, "Heathrow"), "local:airport-egll");
        assert_eq!(
            id_of(&mentions, "Baghdad International Airport"),
            "local:airport-orbi"
        );
    }

    #[test]
    fn korea_the_ghouta_and_al_tanf_resolve() {
        let text = "Korean exporters gained as Korea cut rates. In Syria, shelling hit Eastern \
                    Ghouta near Damascus, and the garrison at al-Tanf was attacked.";
        let mentions = geoparse(gazetteer(), text);
        assert_eq!(id_of(&mentions, "Korean"), "iso:KR");
        assert_eq!(id_of(&mentions, "Korea"), "iso:KR");
        assert_eq!(id_of(&mentions, "Eastern Ghouta"), "local:eastern-ghouta");
        assert_eq!(id_of(&mentions, "al-Tanf"), "local:al-tanf");
    }

    #[test]
    fn continents_regions_seas_landmarks_and_counties_resolve() {
        let text = "European ministers met in Europe about the Middle East. A tanker in the \
                    Mediterranean Sea was seized. The Kremlin denied it. In Orange County, \
                    California, the sheriff said the Atlantic crossing ended in Miami.";
        let mentions = geoparse(gazetteer(), text);
        assert_eq!(id_of(&mentions, "Europe"), "geonames:6255148");
        assert_eq!(id_of(&mentions, "European"), "geonames:6255148");
        assert_eq!(id_of(&mentions, "Middle East"), "local:middle-east");
        assert_eq!(
            id_of(&mentions, "Mediterranean Sea"),
            "local:mediterranean-sea"
        );
        assert_eq!(id_of(&mentions, "The Kremlin"), "local:kremlin");
        assert_eq!(id_of(&mentions, "Orange County"), "geonames:5379524");
        assert_eq!(id_of(&mentions, "Atlantic"), "local:atlantic-ocean");
    }
}
