//! The incidents' filterable fields as columns, built once per dataset, so that a new filter
//! or sort over a million incidents is a scan of a few small arrays instead of a walk through
//! every incident's fields and heap strings. Texts are interned: a search word is looked for
//! once in each distinct place name, actor and title, then by number per incident; only the
//! summaries, one per incident, are read from the store. [`Filter::matches`] stays the
//! definition of what passes; the tests hold the two to the same answers.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use jiff::civil::Date;

use crate::store::{EventType, Status, Store, SubEventType};
use crate::view::index::{self, type_slot};
use crate::view::query::{Bin, Histogram};
use crate::view::shown::{ArticleIndex, Sort, SortKey, review_order, source_label};
use crate::workspace::filter::{Filter, holds_lowercase};

/// Things with how many incidents each.
pub type Counted<T> = Vec<(T, usize)>;

/// No text, no area, no date.
const NONE: u32 = u32::MAX;
const UNDATED: i32 = i32::MIN;

/// Why an incident fails a filter, as bits: the legend counts what passes all but the type
/// filter, the actor menu what passes all but the actor filter.
const FAILS_TYPE: u8 = 1;
const FAILS_ACTOR: u8 = 2;
const FAILS_OTHER: u8 = 4;

/// Lists per incident, flattened: the items of incident `i` are `items[start[i]..start[i + 1]]`.
#[derive(Debug, Default)]
struct Lists {
    start: Vec<u32>,
    items: Vec<u32>,
}

impl Lists {
    fn push(&mut self, items: impl IntoIterator<Item = u32>) {
        if self.start.is_empty() {
            self.start.push(0);
        }
        self.items.extend(items);
        self.start.push(self.items.len() as u32);
    }

    fn of(&self, i: usize) -> &[u32] {
        match (self.start.get(i), self.start.get(i + 1)) {
            (Some(&a), Some(&b)) => self.items.get(a as usize..b as usize).unwrap_or_default(),
            _ => &[],
        }
    }
}

/// Distinct strings, numbered in the order first met.
#[derive(Debug, Default)]
struct Interner {
    ids: HashMap<String, u32>,
    strings: Vec<String>,
}

impl Interner {
    fn id(&mut self, text: &str) -> u32 {
        if let Some(&id) = self.ids.get(text) {
            return id;
        }
        let id = self.strings.len() as u32;
        self.ids.insert(text.to_owned(), id);
        self.strings.push(text.to_owned());
        id
    }
}

/// The columns of one dataset.
pub struct Columns {
    /// Web Mercator world position of every incident.
    world: Vec<[f64; 2]>,
    /// Days since 1970-01-01, [`UNDATED`] when unknown.
    days: Vec<i32>,
    /// Event type slot (see [`type_slot`]), shared with the map's clusters.
    types: Arc<Vec<u8>>,
    sub_types: Vec<u8>,
    statuses: Vec<u8>,
    /// The area an incident tints (a non-point place with a gazetteer id), or [`NONE`].
    areas: Vec<u32>,
    /// Interned place name and province.
    place: Vec<u32>,
    admin1: Vec<u32>,
    /// Interned actors, and positions in the store's articles of the articles cited.
    actors: Lists,
    articles: Lists,
    /// Per article: its interned title (or [`NONE`]) and its interned publishers.
    article_titles: Vec<u32>,
    article_publishers: Lists,
    /// Place names, provinces, actors and titles.
    texts: Interner,
    publishers: Interner,
    /// Incident order per sort, worked out on first use.
    orders: Mutex<HashMap<Sort, Arc<Vec<u32>>>>,
}

/// A filter's answer for every incident, kept so that a search a letter longer looks again
/// only at the incidents the shorter one let through.
pub struct Verdicts {
    filter: Filter,
    fails: Vec<u8>,
}

impl Verdicts {
    /// Whether `filter` lets through only incidents that this one's filter let through: the
    /// same filter but for a search that keeps every word and may lengthen them.
    fn narrows_to(&self, filter: &Filter) -> bool {
        let same_but_text = Filter {
            text: filter.text.clone(),
            ..self.filter.clone()
        };
        let (before, now) = (self.filter.search_words(), filter.search_words());
        same_but_text == *filter
            && before
                .iter()
                .all(|old| now.iter().any(|new| new.contains(old.as_str())))
    }
}

/// What a filter lets through, with the counts the legend and the actor menu show.
pub struct Evaluation {
    /// Store indices, ascending.
    pub visible: Vec<usize>,
    /// Per type slot: incidents passing every filter but the type filter.
    pub by_type_slot: [usize; 6],
    /// Actors of the incidents passing every filter but the actor filter, most frequent
    /// first, then by name.
    pub actors: Vec<(String, usize)>,
    pub verdicts: Arc<Verdicts>,
}

impl Columns {
    pub fn new(store: &Store, articles: &ArticleIndex) -> Self {
        let n = store.incidents.len();
        let mut texts = Interner::default();
        let mut publishers = Interner::default();
        let mut area_ids = Interner::default();
        let mut article_titles = Vec::with_capacity(store.articles.len());
        let mut article_publishers = Lists::default();
        for article in &store.articles {
            article_titles.push(article.title.as_deref().map_or(NONE, |t| texts.id(t)));
            let ids: Vec<u32> = article.publishers().map(|p| publishers.id(p)).collect();
            article_publishers.push(ids);
        }
        let mut columns = Self {
            world: Vec::with_capacity(n),
            days: Vec::with_capacity(n),
            types: Arc::new(Vec::with_capacity(n)),
            sub_types: Vec::with_capacity(n),
            statuses: Vec::with_capacity(n),
            areas: Vec::with_capacity(n),
            place: Vec::with_capacity(n),
            admin1: Vec::with_capacity(n),
            actors: Lists::default(),
            articles: Lists::default(),
            article_titles,
            article_publishers,
            texts,
            publishers,
            orders: Mutex::new(HashMap::new()),
        };
        let mut types = Vec::with_capacity(n);
        for incident in &store.incidents {
            let location = &incident.location;
            columns.world.push(index::world(location.lat, location.lon));
            columns
                .days
                .push(incident.date.map_or(UNDATED, days_since_epoch));
            types.push(type_slot(incident.event_type) as u8);
            columns
                .sub_types
                .push(sub_type_slot(incident.sub_event_type));
            columns.statuses.push(status_slot(incident.review.status()));
            let area = match (&location.gazetteer_id, location.precision) {
                (Some(id), precision) if precision != crate::store::LocationPrecision::Point => {
                    area_ids.id(id)
                }
                _ => NONE,
            };
            columns.areas.push(area);
            columns.place.push(columns.texts.id(&location.name));
            let admin1 = location
                .admin1
                .as_deref()
                .map_or(NONE, |a| columns.texts.id(a));
            columns.admin1.push(admin1);
            let actors: Vec<u32> = incident
                .actors
                .iter()
                .map(|a| columns.texts.id(a))
                .collect();
            columns.actors.push(actors);
            let cited = incident
                .sources
                .iter()
                .filter_map(|s| articles.position(&s.article))
                .map(|p| p as u32);
            columns.articles.push(cited);
        }
        columns.types = Arc::new(types);
        columns
    }

    pub fn len(&self) -> usize {
        self.days.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// World position of incident `i`.
    pub fn world(&self, i: usize) -> Option<[f64; 2]> {
        self.world.get(i).copied()
    }

    /// Event type slot of every incident, by store index.
    pub fn types(&self) -> &Arc<Vec<u8>> {
        &self.types
    }

    /// Which incidents pass `filter` and what the legend and the actor menu count; the work is
    /// shared between the machine's cores over many incidents. `None` when `stop` says the
    /// result is no longer wanted. `before` is an earlier answer: where the new filter only
    /// narrows it, the incidents it held back are not looked at again.
    pub fn evaluate(
        &self,
        store: &Store,
        filter: &Filter,
        before: Option<&Verdicts>,
        stop: &dyn Fn() -> bool,
    ) -> Option<Evaluation> {
        let held_back = before
            .filter(|b| b.fails.len() == self.len() && b.narrows_to(filter))
            .map(|b| b.fails.as_slice());
        let test = Test::new(self, filter, held_back);
        let n = self.len().min(store.incidents.len());
        let threads = if n >= 50_000 {
            std::thread::available_parallelism().map_or(1, |t| t.get().min(4))
        } else {
            1
        };
        let chunk = n.div_ceil(threads.max(1)).max(1);
        let fails: Vec<u8> = if threads > 1 {
            let parts: Vec<Vec<u8>> = std::thread::scope(|scope| {
                let handles: Vec<_> = (0..n)
                    .step_by(chunk)
                    .map(|from| {
                        let test = &test;
                        let to = (from + chunk).min(n);
                        scope.spawn(move || (from..to).map(|i| test.fails(store, i)).collect())
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().unwrap_or_default())
                    .collect()
            });
            parts.concat()
        } else {
            (0..n).map(|i| test.fails(store, i)).collect()
        };
        if fails.len() != n || stop() {
            return None;
        }
        let mut visible = Vec::new();
        let mut by_type_slot = [0usize; 6];
        let mut actor_counts = vec![0usize; self.texts.strings.len()];
        for (i, &failed) in fails.iter().enumerate() {
            if failed == 0 {
                visible.push(i);
            }
            if failed & !FAILS_TYPE == 0 {
                let slot = usize::from(self.types.get(i).copied().unwrap_or(0));
                by_type_slot[slot.min(5)] += 1;
            }
            if failed & !FAILS_ACTOR == 0 {
                for &actor in self.actors.of(i) {
                    if let Some(count) = actor_counts.get_mut(actor as usize) {
                        *count += 1;
                    }
                }
            }
        }
        Some(Evaluation {
            visible,
            by_type_slot,
            actors: self.ranked_actors(&actor_counts),
            verdicts: Arc::new(Verdicts {
                filter: filter.clone(),
                fails,
            }),
        })
    }

    /// Every incident's actors, most frequent first, and incidents per event type present,
    /// rejected ones included: what the data offers to filter by.
    pub fn tallies(&self) -> (Counted<String>, Counted<EventType>) {
        let mut actor_counts = vec![0usize; self.texts.strings.len()];
        for &actor in &self.actors.items {
            if let Some(count) = actor_counts.get_mut(actor as usize) {
                *count += 1;
            }
        }
        let mut by_type_slot = [0usize; 6];
        for &slot in self.types.iter() {
            by_type_slot[usize::from(slot).min(5)] += 1;
        }
        let type_counts = EventType::ALL
            .into_iter()
            .zip(by_type_slot)
            .filter(|&(_, n)| n > 0)
            .collect();
        (self.ranked_actors(&actor_counts), type_counts)
    }

    /// Actors with a count (by interned number), most frequent first, then by name.
    fn ranked_actors(&self, counts: &[usize]) -> Counted<String> {
        let mut actors: Vec<(String, usize)> = counts
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .filter_map(|(id, &n)| Some((self.texts.strings.get(id)?.clone(), n)))
            .collect();
        actors.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        actors
    }

    /// The timeline of the incidents at `visible`, as `query::histogram` counts it.
    pub fn histogram(&self, visible: &[usize]) -> Histogram {
        let dated = visible
            .iter()
            .filter_map(|&i| self.days.get(i).copied())
            .filter(|&d| d != UNDATED);
        let (mut first, mut last, mut count) = (i32::MAX, i32::MIN, 0usize);
        for day in dated.clone() {
            first = first.min(day);
            last = last.max(day);
            count += 1;
        }
        let undated = visible.len() - count;
        if count == 0 {
            return Histogram {
                bin: Bin::Day,
                bars: Vec::new(),
                undated,
            };
        }
        // Incidents per day first (a few thousand days), then per bin.
        let span = i64::from(last) - i64::from(first);
        let mut per_day: BTreeMap<i32, usize> = BTreeMap::new();
        if span < 4_000_000 {
            let mut counts = vec![0usize; span as usize + 1];
            for day in dated {
                counts[(day - first) as usize] += 1;
            }
            for (offset, &n) in counts.iter().enumerate() {
                if n > 0 {
                    per_day.insert(first + offset as i32, n);
                }
            }
        } else {
            for day in dated {
                *per_day.entry(day).or_default() += 1;
            }
        }
        let dates: Vec<(Date, usize)> = per_day
            .into_iter()
            .filter_map(|(day, n)| Some((date_of_days(day)?, n)))
            .collect();
        crate::view::query::histogram_of_days(&dates, undated)
    }

    /// The first incident of each area among `visible`, whose colour tints it (as
    /// `areas::area_incidents`).
    pub fn area_incidents(&self, visible: &[usize]) -> Vec<usize> {
        let mut seen = std::collections::HashSet::new();
        visible
            .iter()
            .copied()
            .filter(|&i| {
                self.areas
                    .get(i)
                    .is_some_and(|&area| area != NONE && seen.insert(area))
            })
            .collect()
    }

    /// The incidents at `visible` (ascending) in list order, as
    /// `shown::sort_incidents` orders them: each sort's order of all incidents
    /// is worked out once per dataset, then only walked.
    pub fn rows(
        &self,
        store: &Store,
        articles: &ArticleIndex,
        visible: &[usize],
        sort: Sort,
    ) -> Vec<usize> {
        let order = self.order(store, articles, sort);
        if visible.len() == self.len() {
            return order.iter().map(|&i| i as usize).collect();
        }
        let mut shown = vec![false; self.len()];
        for &i in visible {
            if let Some(slot) = shown.get_mut(i) {
                *slot = true;
            }
        }
        order
            .iter()
            .map(|&i| i as usize)
            .filter(|&i| shown[i])
            .collect()
    }

    /// Every incident in the order of `sort`, ties in store order.
    fn order(&self, store: &Store, articles: &ArticleIndex, sort: Sort) -> Arc<Vec<u32>> {
        if let Ok(orders) = self.orders.lock()
            && let Some(order) = orders.get(&sort)
        {
            return Arc::clone(order);
        }
        let keys = self.sort_keys(store, articles, sort.key);
        let mut keyed: Vec<(u64, u32)> = keys
            .into_iter()
            .enumerate()
            .map(|(i, key)| (if sort.descending { !key } else { key }, i as u32))
            .collect();
        keyed.sort_unstable();
        let order = Arc::new(keyed.into_iter().map(|(_, i)| i).collect::<Vec<u32>>());
        if let Ok(mut orders) = self.orders.lock() {
            orders.insert(sort, Arc::clone(&order));
        }
        order
    }

    /// A number per incident that orders as the sort's comparison does.
    fn sort_keys(&self, store: &Store, articles: &ArticleIndex, key: SortKey) -> Vec<u64> {
        let incidents = &store.incidents[..self.len().min(store.incidents.len())];
        // Ranks of strings in byte order, for sorts by text.
        fn ranks<'a>(texts: impl Iterator<Item = &'a str> + Clone) -> HashMap<&'a str, u64> {
            let mut distinct: Vec<&str> = texts.collect();
            distinct.sort_unstable();
            distinct.dedup();
            distinct
                .into_iter()
                .enumerate()
                .map(|(rank, text)| (text, rank as u64))
                .collect()
        }
        match key {
            SortKey::Date => self
                .days
                .iter()
                .map(|&d| {
                    if d == UNDATED {
                        u64::MAX
                    } else {
                        (i64::from(d) - i64::from(i32::MIN)) as u64
                    }
                })
                .collect(),
            SortKey::Type => incidents
                .iter()
                .map(|x| (x.event_type as u64) << 8 | x.sub_event_type as u64)
                .collect(),
            SortKey::Place => {
                let names = incidents.iter().map(|x| x.location.name.as_str());
                let rank = ranks(names.clone());
                names.map(|n| rank.get(n).copied().unwrap_or(0)).collect()
            }
            SortKey::Fatalities => incidents
                .iter()
                .map(|x| x.fatalities.map_or(0, |f| u64::from(f) + 1))
                .collect(),
            SortKey::Source => {
                let labels: Vec<String> = incidents
                    .iter()
                    .map(|x| source_label(store, articles, x))
                    .collect();
                let rank = ranks(labels.iter().map(String::as_str));
                labels
                    .iter()
                    .map(|l| rank.get(l.as_str()).copied().unwrap_or(0))
                    .collect()
            }
            SortKey::Confidence => incidents
                .iter()
                .map(|x| u64::from(ordered_f32(review_order(x))))
                .collect(),
        }
    }
}

/// One filter, resolved against the columns: dates as day numbers, the actor and publisher as
/// numbers, each search word as the set of texts that hold it.
struct Test<'a> {
    columns: &'a Columns,
    /// An earlier filter's answers that this one narrows: what it held back stays back.
    held_back: Option<&'a [u8]>,
    from: Option<i32>,
    to: Option<i32>,
    shows_undated: bool,
    hidden_type: [bool; 6],
    shown_status: [bool; 4],
    /// The actor asked for; `Some(NONE)` when no incident names it.
    actor: Option<u32>,
    publisher: Option<u32>,
    words: Vec<Word>,
}

/// A search word and which texts, types and sub-event types hold it.
struct Word {
    text: String,
    in_texts: Vec<bool>,
    in_types: [bool; 6],
    in_sub_types: [bool; 25],
}

impl<'a> Test<'a> {
    fn new(columns: &'a Columns, filter: &Filter, held_back: Option<&'a [u8]>) -> Self {
        let mut hidden_type = [false; 6];
        for (slot, t) in EventType::ALL.iter().enumerate() {
            hidden_type[slot] = filter.hidden_types.contains(t);
        }
        let mut shown_status = [false; 4];
        for (slot, s) in Status::ALL.iter().enumerate() {
            shown_status[slot] = filter.shows_status(*s);
        }
        let words = filter
            .search_words()
            .into_iter()
            .map(|word| {
                let in_texts = columns
                    .texts
                    .strings
                    .iter()
                    .map(|t| holds_lowercase(t, &word))
                    .collect();
                let mut in_types = [false; 6];
                for (slot, t) in EventType::ALL.iter().enumerate() {
                    in_types[slot] = holds_lowercase(t.as_str(), &word);
                }
                let mut in_sub_types = [false; 25];
                for (slot, s) in SubEventType::ALL.iter().enumerate() {
                    in_sub_types[slot] = holds_lowercase(s.as_str(), &word);
                }
                Word {
                    text: word,
                    in_texts,
                    in_types,
                    in_sub_types,
                }
            })
            .collect();
        Self {
            columns,
            held_back,
            from: filter.from.map(days_since_epoch),
            to: filter.to.map(days_since_epoch),
            shows_undated: filter.shows_undated(),
            hidden_type,
            shown_status,
            actor: filter
                .actor
                .as_deref()
                .map(|a| columns.texts.ids.get(a).copied().unwrap_or(NONE)),
            publisher: filter
                .publisher
                .as_deref()
                .map(|p| columns.publishers.ids.get(p).copied().unwrap_or(NONE)),
            words,
        }
    }

    /// Which filters incident `i` fails, as `FAILS_*` bits.
    fn fails(&self, store: &Store, i: usize) -> u8 {
        if self
            .held_back
            .and_then(|fails| fails.get(i))
            .is_some_and(|&failed| failed & FAILS_OTHER != 0)
        {
            return FAILS_OTHER;
        }
        let c = self.columns;
        let status = usize::from(c.statuses.get(i).copied().unwrap_or(0));
        if !self.shown_status.get(status).copied().unwrap_or(false) {
            return FAILS_OTHER;
        }
        let day = c.days.get(i).copied().unwrap_or(UNDATED);
        let in_range = if day == UNDATED {
            self.shows_undated
        } else {
            self.from.is_none_or(|from| day >= from) && self.to.is_none_or(|to| day <= to)
        };
        if !in_range {
            return FAILS_OTHER;
        }
        if let Some(publisher) = self.publisher {
            let cited = c
                .articles
                .of(i)
                .iter()
                .any(|&a| c.article_publishers.of(a as usize).contains(&publisher));
            if !cited {
                return FAILS_OTHER;
            }
        }
        let slot = usize::from(c.types.get(i).copied().unwrap_or(0));
        let mut fails = 0;
        if self.hidden_type.get(slot).copied().unwrap_or(false) {
            fails |= FAILS_TYPE;
        }
        if let Some(actor) = self.actor
            && !c.actors.of(i).contains(&actor)
        {
            fails |= FAILS_ACTOR;
        }
        // Failing both, it counts nowhere: the search need not be looked at.
        if fails == FAILS_TYPE | FAILS_ACTOR || self.words.is_empty() {
            return fails;
        }
        let sub = usize::from(c.sub_types.get(i).copied().unwrap_or(0));
        let texts = [
            c.place.get(i).copied().unwrap_or(NONE),
            c.admin1.get(i).copied().unwrap_or(NONE),
        ];
        let titles = c
            .articles
            .of(i)
            .iter()
            .filter_map(|&a| c.article_titles.get(a as usize).copied());
        let held = |word: &Word| {
            let in_text = |id: u32| word.in_texts.get(id as usize).copied().unwrap_or(false);
            word.in_types.get(slot).copied().unwrap_or(false)
                || word.in_sub_types.get(sub).copied().unwrap_or(false)
                || texts.iter().any(|&id| in_text(id))
                || c.actors.of(i).iter().any(|&id| in_text(id))
                || titles.clone().any(in_text)
                || store
                    .incidents
                    .get(i)
                    .is_some_and(|x| holds_lowercase(&x.summary, &word.text))
        };
        if !self.words.iter().all(held) {
            fails |= FAILS_OTHER;
        }
        fails
    }
}

fn sub_type_slot(sub: SubEventType) -> u8 {
    SubEventType::ALL
        .iter()
        .position(|&s| s == sub)
        .unwrap_or(0) as u8
}

fn status_slot(status: Status) -> u8 {
    Status::ALL.iter().position(|&s| s == status).unwrap_or(0) as u8
}

/// An f32's bits turned so that they order as `total_cmp` does.
fn ordered_f32(x: f32) -> u32 {
    let bits = x.to_bits();
    if bits >> 31 == 1 {
        !bits
    } else {
        bits | 1 << 31
    }
}

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar.
fn days_since_epoch(date: Date) -> i32 {
    // Howard Hinnant's days_from_civil.
    let (mut y, m, d) = (
        i32::from(date.year()),
        i32::from(date.month()),
        i32::from(date.day()),
    );
    if m <= 2 {
        y -= 1;
    }
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let month = (m + 9) % 12;
    let day_of_year = (153 * month + 2) / 5 + d - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date `days` after 1970-01-01.
fn date_of_days(days: i32) -> Option<Date> {
    jiff::civil::date(1970, 1, 1)
        .checked_add(jiff::Span::new().days(i64::from(days)))
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::query;
    use crate::workspace::filter::{Undated, visible_incidents};

    #[test]
    fn day_numbers_agree_with_the_calendar() {
        let epoch = jiff::civil::date(1970, 1, 1);
        for date in [
            jiff::civil::date(1970, 1, 1),
            jiff::civil::date(1969, 12, 31),
            jiff::civil::date(2000, 2, 29),
            jiff::civil::date(2024, 3, 1),
            jiff::civil::date(1, 1, 1),
            jiff::civil::date(9999, 12, 31),
        ] {
            let days = days_since_epoch(date);
            assert_eq!(days, (date - epoch).get_days(), "{date}");
            assert_eq!(date_of_days(days), Some(date));
        }
    }

    #[test]
    fn floats_order_as_total_cmp_does() {
        let mut xs = [0.5f32, -1.0, 2.0, 0.0, -0.0, 0.99, f32::INFINITY, -3.5];
        let mut by_bits = xs;
        xs.sort_by(f32::total_cmp);
        by_bits.sort_by_key(|&x| ordered_f32(x));
        assert_eq!(xs, by_bits);
    }

    /// A store with several of everything a filter looks at: dates, types, statuses,
    /// actors, publishers, titles, provinces, areas.
    fn varied() -> Store {
        let mut store = crate::workspace::filter::tests::store();
        let base = store.incidents.clone();
        for (k, (publisher, title)) in [
            (Some("AFP; Rudaw"), Some("Mosul roundup")),
            (Some("Kurdistan 24"), None),
            (None, Some("Clashes near Kirkuk")),
            (Some("SANA"), Some("Défense statement")),
        ]
        .into_iter()
        .enumerate()
        {
            store.articles.push(crate::store::Article {
                id: format!("a{k}"),
                title: title.map(str::to_owned),
                publisher: publisher.map(str::to_owned),
                published: None,
                url: None,
                text: String::new(),
            });
        }
        let source = |k: usize| crate::store::Source {
            article: format!("a{k}"),
            start: 0,
            end: 1,
        };
        let statuses = [
            crate::store::Review::default(),
            crate::store::Review {
                reviewed: true,
                ..Default::default()
            },
            crate::store::Review {
                rejected: Some("false".into()),
                ..Default::default()
            },
            crate::store::Review {
                edited: vec!["date".into()],
                ..Default::default()
            },
        ];
        store.incidents = (0..120)
            .map(|i| {
                let mut x = base[i % base.len()].clone();
                x.id = format!("v{i}");
                x.sub_event_type = SubEventType::ALL[i % 25];
                x.event_type = x.sub_event_type.event_type();
                x.date = (i % 7 != 0).then(|| {
                    jiff::civil::date(2020, 1, 1)
                        .checked_add(jiff::Span::new().days(i as i64 * 11))
                        .expect("a date")
                });
                x.review = statuses[i % 4].clone();
                x.location.admin1 = (i % 3 == 0).then(|| ["Nineveh", "Diyala"][i % 2].to_owned());
                x.location.gazetteer_id = Some(format!("g{}", i % 9));
                x.location.precision = if i % 2 == 0 {
                    crate::store::LocationPrecision::Point
                } else {
                    crate::store::LocationPrecision::Admin1
                };
                if i % 5 == 0 {
                    x.actors.push(format!("Tribe {}", i % 4));
                }
                // One to three articles each, one of them sometimes missing from the store.
                x.sources = vec![source(i % 4)];
                if i % 3 == 0 {
                    x.sources.push(source((i / 3) % 5));
                }
                if i % 11 == 0 {
                    x.summary = format!("Gunmen attacked a checkpoint near Mosul ({i}).");
                }
                if i % 13 == 0 {
                    x.summary = "Frappe aérienne près de la frontière.".to_owned();
                }
                x
            })
            .collect();
        store
    }

    fn filters() -> Vec<Filter> {
        let mut filters = vec![Filter::default()];
        for text in [
            "mosul",
            "Mo",
            "islamic  state",
            "drone",
            "roundup",
            "zzz",
            "é",
            "violence nineveh",
        ] {
            filters.push(Filter {
                text: text.into(),
                ..Filter::default()
            });
        }
        let mut hidden = Filter::default();
        hidden.hidden_types.insert(EventType::Battles);
        hidden.hidden_types.insert(EventType::Protests);
        filters.push(hidden.clone());
        filters.push(Filter {
            from: Some(jiff::civil::date(2020, 6, 1)),
            to: Some(jiff::civil::date(2021, 6, 1)),
            ..hidden.clone()
        });
        for undated in [Undated::Shown, Undated::Hidden] {
            filters.push(Filter {
                from: Some(jiff::civil::date(2021, 1, 1)),
                undated,
                ..Filter::default()
            });
        }
        for actor in ["Islamic State", "Tribe 1", "nobody"] {
            filters.push(Filter {
                actor: Some(actor.into()),
                text: "a".into(),
                ..hidden.clone()
            });
        }
        for publisher in ["AFP", "Rudaw", "SANA", "nobody"] {
            filters.push(Filter {
                publisher: Some(publisher.into()),
                ..Filter::default()
            });
        }
        for status in Status::ALL {
            let mut f = Filter::default();
            f.statuses.insert(status);
            filters.push(f);
        }
        filters
    }

    #[test]
    fn the_columns_let_through_what_the_filter_does() {
        let store = varied();
        let articles = ArticleIndex::new(&store);
        let columns = Columns::new(&store, &articles);
        let mut narrowing = 0;
        for filter in filters() {
            let got = columns
                .evaluate(&store, &filter, None, &|| false)
                .expect("a result");
            let expected = visible_incidents(&store, &filter);
            assert_eq!(got.visible, expected, "{filter:?}");
            if !expected.is_empty() && expected.len() < store.incidents.len() {
                narrowing += 1;
            }
            // The legend's and the actor menu's counts leave out their own filter.
            let typed = visible_incidents(
                &store,
                &Filter {
                    hidden_types: Default::default(),
                    ..filter.clone()
                },
            );
            let counted = query::type_counts_of(&store, &typed);
            for (t, n) in counted {
                assert_eq!(got.by_type_slot[type_slot(t)], n, "{filter:?}");
            }
            let acting = visible_incidents(
                &store,
                &Filter {
                    actor: None,
                    ..filter.clone()
                },
            );
            assert_eq!(got.actors, query::actors_of(&store, &acting), "{filter:?}");
            assert_eq!(
                columns.histogram(&got.visible),
                query::histogram(&store, &got.visible)
            );
            assert_eq!(
                columns.area_incidents(&got.visible),
                crate::view::areas::area_incidents(&store, &got.visible)
            );
        }
        let all: Vec<usize> = (0..store.incidents.len()).collect();
        assert_eq!(
            columns.tallies(),
            (
                query::actors_of(&store, &all),
                query::type_counts_of(&store, &all)
            )
        );
        // Most filters let some incidents through and hold others back.
        assert!(narrowing >= 20, "{narrowing} of {}", filters().len());
    }

    #[test]
    fn a_search_typed_letter_by_letter_narrows_the_answer_before() {
        let store = varied();
        let articles = ArticleIndex::new(&store);
        let columns = Columns::new(&store, &articles);
        let mut before: Option<Arc<Verdicts>> = None;
        let mut hidden = Filter::default();
        hidden.hidden_types.insert(EventType::Protests);
        // Letters added, a second word, letters taken away, another filter: each answer as
        // a fresh scan gives it.
        for (text, filter) in [
            ("m", &hidden),
            ("mo", &hidden),
            ("mos", &hidden),
            ("mosul", &hidden),
            ("mosul a", &hidden),
            ("mosul at", &hidden),
            ("mos", &hidden),
            ("mos", &Filter::default()),
            ("mosu", &Filter::default()),
        ] {
            let filter = Filter {
                text: text.into(),
                ..filter.clone()
            };
            let got = columns
                .evaluate(&store, &filter, before.as_deref(), &|| false)
                .expect("a result");
            let fresh = columns
                .evaluate(&store, &filter, None, &|| false)
                .expect("a result");
            assert_eq!(got.visible, visible_incidents(&store, &filter), "{text}");
            assert_eq!(got.by_type_slot, fresh.by_type_slot, "{text}");
            assert_eq!(got.actors, fresh.actors, "{text}");
            before = Some(got.verdicts);
        }
        let verdicts = |text: &str| Verdicts {
            filter: Filter {
                text: text.into(),
                ..Filter::default()
            },
            fails: Vec::new(),
        };
        let narrows = |from: &str, to: &str| {
            verdicts(from).narrows_to(&Filter {
                text: to.into(),
                ..Filter::default()
            })
        };
        assert!(narrows("mo", "mos"));
        assert!(narrows("mo", "al-mosul"));
        assert!(narrows("mosul", "mosul attack"));
        assert!(narrows("", "m"));
        assert!(!narrows("mos", "mo"));
        assert!(!narrows("mosul attack", "mosul"));
        assert!(!narrows("m", ""));
    }

    #[test]
    fn the_columns_sort_as_the_list_does() {
        let store = varied();
        let articles = ArticleIndex::new(&store);
        let columns = Columns::new(&store, &articles);
        let visible: Vec<usize> = (0..store.incidents.len()).filter(|i| i % 3 != 1).collect();
        let all: Vec<usize> = (0..store.incidents.len()).collect();
        for key in [
            SortKey::Date,
            SortKey::Type,
            SortKey::Place,
            SortKey::Fatalities,
            SortKey::Source,
            SortKey::Confidence,
        ] {
            for descending in [false, true] {
                let sort = Sort { key, descending };
                // Some incidents, and all of them (whose rows are the whole order).
                for shown in [&visible, &all] {
                    let mut expected = shown.clone();
                    crate::view::shown::sort_incidents(&store, &articles, &mut expected, sort);
                    assert_eq!(
                        columns.rows(&store, &articles, shown, sort),
                        expected,
                        "{sort:?}"
                    );
                }
            }
        }
    }
}
