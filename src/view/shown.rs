//! What the window shows, as one value computed from the workspace, the filter and the sort:
//! the incidents that pass, in store and in list order, the timeline's histograms, the map's
//! index and area tints, and the facets the toolbar and legend offer. The drawing code only
//! reads it; a change of data, filter or sort recomputes what depends on it and nothing more.
//!
//! Over many incidents a new filter or sort is worked out by a background job over the shared
//! store while the list and the map go on showing the result before; the newest request's
//! result replaces it when ready, and a result for a request since superseded is dropped.

use std::collections::HashMap;
use std::sync::Arc;

use crate::store::{Article, EventType, Incident, Store};
use crate::view::areas::AreaShapes;
use crate::view::columns::{Columns, Verdicts};
use crate::view::index::{IndexedPoint, MapIndex, type_slot};
use crate::view::markers;
use crate::view::query::{self, Histogram};
use crate::workspace::Workspace;
use crate::workspace::filter::Filter;
use crate::workspace::job::{Job, Poll};

/// From this many incidents on, a new filter or sort is worked out in the background; below
/// it at once, so the frame that asks shows the result.
pub const BACKGROUND_FROM: usize = 50_000;

/// The articles by id, built once per dataset so that each visible row finds its article
/// without a scan (an imported ACLED file has an article per incident).
#[derive(Debug, Default)]
pub struct ArticleIndex(HashMap<String, usize>);

impl ArticleIndex {
    pub fn new(store: &Store) -> Self {
        Self(
            store
                .articles
                .iter()
                .enumerate()
                .map(|(i, a)| (a.id.clone(), i))
                .collect(),
        )
    }

    pub fn get<'s>(&self, store: &'s Store, id: &str) -> Option<&'s Article> {
        self.0.get(id).and_then(|&i| store.articles.get(i))
    }

    /// Where the article `id` sits in the store's articles.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.0.get(id).copied()
    }
}

/// What a dataset offers to filter by, counted when the data changes rather than every frame.
pub struct Facets {
    /// Actors, most frequent first, with their incident counts.
    pub actors: Vec<(String, usize)>,
    pub publishers: Vec<String>,
    /// Incidents per event type present.
    pub type_counts: Vec<(EventType, usize)>,
    /// The timeline of every incident, filtered or not.
    pub histogram_all: Histogram,
    /// Area and border shapes in world coordinates, ready to draw.
    pub area_shapes: AreaShapes,
    /// Shared with the jobs that sort in the background.
    pub articles: Arc<ArticleIndex>,
    /// The fields filters and sorts look at, as columns (shared with the jobs too).
    pub columns: Arc<Columns>,
}

impl Facets {
    /// The event types present, in the legend's order.
    fn types_present(&self) -> Vec<EventType> {
        self.type_counts.iter().map(|t| t.0).collect()
    }

    /// The facets of `store`, whose area and border shapes are `shapes` (none drawn without).
    fn of(store: &Store, shapes: Option<&crate::workspace::shapes::Shapes>) -> Self {
        let all: Vec<usize> = (0..store.incidents.len()).collect();
        let articles = ArticleIndex::new(store);
        let columns = Columns::new(store, &articles);
        let (actors, type_counts) = columns.tallies();
        Self {
            actors,
            publishers: query::publishers(store),
            type_counts,
            histogram_all: columns.histogram(&all),
            area_shapes: shapes.map(AreaShapes::new).unwrap_or_default(),
            articles: Arc::new(articles),
            columns: Arc::new(columns),
        }
    }
}

/// Columns the incident list can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum SortKey {
    Date,
    Type,
    Place,
    Fatalities,
    Source,
    /// The review order: the least certain placements first, analysts' own ones last.
    Confidence,
}

/// How the incident list is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Sort {
    pub key: SortKey,
    pub descending: bool,
}

impl Default for Sort {
    fn default() -> Self {
        Self {
            key: SortKey::Date,
            descending: false,
        }
    }
}

/// The first source's publisher, as the list shows it: the publisher named, else the web
/// site the article came from, else "unknown"; "+N" counts the other articles (not the other
/// evidence sentences of the same article).
pub fn source_label(store: &Store, articles: &ArticleIndex, incident: &Incident) -> String {
    let Some(first) = incident.sources.first() else {
        return String::new();
    };
    let name = articles
        .get(store, &first.article)
        .and_then(|a| {
            a.publisher
                .clone()
                .filter(|p| !p.trim().is_empty())
                .or_else(|| a.url.as_deref().and_then(web_site))
        })
        .unwrap_or_else(|| "unknown".to_owned());
    let mut others: Vec<&str> = incident
        .sources
        .iter()
        .map(|s| s.article.as_str())
        .filter(|a| *a != first.article)
        .collect();
    others.sort_unstable();
    others.dedup();
    if others.is_empty() {
        name
    } else {
        format!("{name} +{}", others.len())
    }
}

/// The host of an http(s) link, without "www.": the publisher when none is named.
fn web_site(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?.split(':').next()?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    (!host.is_empty()).then(|| host.to_owned())
}

/// How sure an incident is, for the review order: reviewed and edited ones count as certain,
/// placements without a confidence (imported, hand-coded data) nearly so.
pub fn review_order(incident: &Incident) -> f32 {
    match incident.review.status() {
        crate::store::Status::Machine => incident.location.confidence.unwrap_or(0.99),
        _ => 2.0,
    }
}

/// Sorts incident indices for the list: the reference for `Columns::rows`, which gives the
/// list its order.
#[cfg(test)]
pub fn sort_incidents(store: &Store, articles: &ArticleIndex, indices: &mut [usize], sort: Sort) {
    // Source labels are worked out once each, not twice per comparison.
    let labels: std::collections::HashMap<usize, String> = if sort.key == SortKey::Source {
        indices
            .iter()
            .map(|&i| (i, source_label(store, articles, &store.incidents[i])))
            .collect()
    } else {
        Default::default()
    };
    indices.sort_by(|&a, &b| {
        let (x, y) = (&store.incidents[a], &store.incidents[b]);
        let order = match sort.key {
            // Undated incidents sort after every dated one.
            SortKey::Date => (x.date.is_none(), x.date).cmp(&(y.date.is_none(), y.date)),
            SortKey::Type => {
                (x.event_type, x.sub_event_type).cmp(&(y.event_type, y.sub_event_type))
            }
            SortKey::Place => x.location.name.cmp(&y.location.name),
            SortKey::Fatalities => x.fatalities.cmp(&y.fatalities),
            SortKey::Source => labels.get(&a).cmp(&labels.get(&b)),
            SortKey::Confidence => review_order(x).total_cmp(&review_order(y)),
        };
        let order = if sort.descending {
            order.reverse()
        } else {
            order
        };
        order.then(a.cmp(&b))
    });
}

/// What a filter and a sort let through: worked out together, in the frame that asks or in a
/// background job, then put in place in [`Shown`] at once.
struct Filtered {
    filter: Filter,
    sort: Sort,
    visible: Vec<usize>,
    rows: Vec<usize>,
    histogram: Histogram,
    index: MapIndex,
    area_incidents: Vec<usize>,
    type_counts: Vec<(EventType, usize)>,
    actors: Vec<(String, usize)>,
    verdicts: Arc<Verdicts>,
}

impl Filtered {
    /// Everything a filter decides; `None` when `stop` says the result is no longer wanted
    /// (looked at between the steps). `zoom` is the map's, whose clusters come ready with it.
    fn compute(
        store: &Store,
        facets: (&ArticleIndex, &Columns),
        types_present: &[EventType],
        (filter, sort): (Filter, Sort),
        (zoom, before): (Option<f64>, Option<&Verdicts>),
        stop: &dyn Fn() -> bool,
    ) -> Option<Self> {
        let (articles, columns) = facets;
        let evaluation = columns.evaluate(store, &filter, before, stop)?;
        let visible = evaluation.visible;
        // The map's clusters on a thread of their own beside the rest, when there is much to do.
        let build_index = || {
            let points = visible
                .iter()
                .filter_map(|&i| Some(IndexedPoint::new(columns.world(i)?, u32::try_from(i).ok()?)))
                .collect();
            let mut index = MapIndex::from_points(
                points,
                Arc::clone(columns.types()),
                markers::CLUSTER_CELL_PX,
            );
            index.prepare_like(zoom);
            index
        };
        let the_rest = || {
            let histogram = columns.histogram(&visible);
            let area_incidents = columns.area_incidents(&visible);
            let type_counts = types_present
                .iter()
                .map(|&t| (t, evaluation.by_type_slot[type_slot(t)]))
                .collect();
            let rows = if stop() {
                Vec::new()
            } else {
                columns.rows(store, articles, &visible, sort)
            };
            (histogram, area_incidents, type_counts, rows)
        };
        let (index, (histogram, area_incidents, type_counts, rows)) =
            if visible.len() >= BACKGROUND_FROM {
                std::thread::scope(|scope| {
                    let index = scope.spawn(build_index);
                    let rest = the_rest();
                    match index.join() {
                        Ok(index) => (index, rest),
                        Err(panic) => std::panic::resume_unwind(panic),
                    }
                })
            } else {
                (build_index(), the_rest())
            };
        if stop() {
            return None;
        }
        Some(Self {
            filter,
            sort,
            visible,
            rows,
            histogram,
            index,
            area_incidents,
            type_counts,
            actors: evaluation.actors,
            verdicts: evaluation.verdicts,
        })
    }
}

/// What a background job hands back.
enum Update {
    /// A new filter's whole result.
    Filtered(Box<Filtered>),
    /// The same incidents in a new order.
    Sorted {
        filter: Filter,
        sort: Sort,
        rows: Vec<usize>,
    },
    /// The facets of incidents changed in place, with the result of the filter asked for.
    Rebuilt {
        facets: Box<Facets>,
        filtered: Option<Box<Filtered>>,
    },
}

/// What is shown, for one dataset, filter and sort.
pub struct Shown {
    /// The filter asked for: the panels show it, and the result below follows once computed.
    pub filter: Filter,
    /// The sort asked for.
    pub sort: Sort,
    pub facets: Facets,
    /// The filter and sort of the result below (those asked for, unless a new result is being
    /// computed).
    on_screen: (Filter, Sort),
    /// Incidents passing the filter, in store order.
    pub visible: Vec<usize>,
    /// The same, in list order.
    pub rows: Vec<usize>,
    /// The timeline of the incidents shown.
    pub histogram: Histogram,
    /// The shown incidents by place, with their clusters per zoom.
    pub index: MapIndex,
    /// The first shown incident of each area, whose colour tints it.
    pub area_incidents: Vec<usize>,
    /// Per event type in the data, how many incidents the other filters let through: shown
    /// for a ticked type, what ticking it would show for a hidden one (the legend's counts).
    pub type_counts: Vec<(EventType, usize)>,
    /// The actors of the incidents the other filters let through, most frequent first (the
    /// actor menu's entries).
    pub actors: Vec<(String, usize)>,
    /// The answer of the filter on screen for every incident, which a narrower one builds on.
    verdicts: Option<Arc<Verdicts>>,
    /// The newest filter or sort being worked out in the background; replacing it drops the
    /// one before, whose result is then never shown.
    pending: Option<Job<Option<Update>>>,
    /// The incidents the facets are worked out for, or are being worked out for.
    dataset: Arc<Store>,
    /// Whether the facets are of the incidents before a change in place, their own being
    /// worked out in the background (a filter or sort asked meanwhile waits for them).
    stale: bool,
}

/// The facets of `store` and, over them, the result of `asked` worked out from scratch
/// (none when `stop` said to stop first).
fn facets_and_result(
    store: &Store,
    shapes: Option<&crate::workspace::shapes::Shapes>,
    asked: (Filter, Sort),
    zoom: Option<f64>,
    stop: &dyn Fn() -> bool,
) -> (Facets, Option<Filtered>) {
    let facets = Facets::of(store, shapes);
    let filtered = Filtered::compute(
        store,
        (&facets.articles, &facets.columns),
        &facets.types_present(),
        asked,
        (zoom, None),
        stop,
    );
    (facets, filtered)
}

impl Shown {
    pub fn new(workspace: &Workspace, filter: Filter, sort: Sort) -> Self {
        let store = &workspace.store;
        let (facets, filtered) = facets_and_result(
            store,
            workspace.shapes().ok(),
            (filter.clone(), sort),
            None,
            &|| false,
        );
        let mut shown = Self {
            on_screen: (filter.clone(), sort),
            filter,
            sort,
            facets,
            visible: Vec::new(),
            rows: Vec::new(),
            histogram: query::histogram_of_days(&[], 0),
            index: MapIndex::empty(),
            area_incidents: Vec::new(),
            type_counts: Vec::new(),
            actors: Vec::new(),
            verdicts: None,
            pending: None,
            dataset: Arc::clone(store),
            stale: false,
        };
        if let Some(filtered) = filtered {
            shown.put_in_place(filtered);
        }
        shown
    }

    /// Shows the workspace's incidents again after they changed. Over many incidents changed
    /// in place (the same ones in the same order: a field corrected, a rejection, a review),
    /// the facets and the result are worked out again in the background while the list and
    /// the map keep what they show, whose indices still hold; otherwise at once.
    pub fn refresh(&mut self, workspace: &Workspace, repaint: &egui::Context) {
        let store = &workspace.store;
        let in_place = store.incidents.len() >= BACKGROUND_FROM
            && store.incidents.len() == self.dataset.incidents.len()
            && store
                .incidents
                .iter()
                .zip(&self.dataset.incidents)
                .all(|(now, before)| now.id == before.id);
        if !in_place {
            *self = Self::new(workspace, self.filter.clone(), self.sort);
            return;
        }
        // The incidents before, if this held the last of them: freeing a million takes a
        // good part of a second, not for the frame to wait on.
        let before = std::mem::replace(&mut self.dataset, Arc::clone(store));
        let _freeing = Job::spawn("Freeing the incidents before", || {}, move |_| drop(before));
        self.stale = true;
        self.rebuild(repaint);
    }

    /// Works out the facets of the incidents and the result asked for in the background.
    fn rebuild(&mut self, repaint: &egui::Context) {
        let store = Arc::clone(&self.dataset);
        let asked = (self.filter.clone(), self.sort);
        let zoom = self.index.last_zoom();
        let repaint = repaint.clone();
        self.pending = Some(Job::spawn(
            "Showing the corrected incidents",
            move || repaint.request_repaint(),
            move |progress| {
                let shapes = crate::workspace::shapes::area_shapes(&store).ok();
                let (facets, filtered) =
                    facets_and_result(&store, shapes.as_ref(), asked, zoom, &|| {
                        progress.cancelled()
                    });
                Some(Update::Rebuilt {
                    facets: Box::new(facets),
                    filtered: filtered.map(Box::new),
                })
            },
        ));
    }

    /// Applies a new filter: at once over few incidents, else in the background (`repaint`
    /// wakes the window when the result is ready).
    pub fn set_filter(&mut self, store: &Arc<Store>, filter: Filter, repaint: &egui::Context) {
        self.filter = filter;
        self.refilter(store, repaint);
    }

    /// Applies a new sort to the list; the map is unchanged.
    pub fn set_sort(&mut self, store: &Arc<Store>, sort: Sort, repaint: &egui::Context) {
        self.sort = sort;
        if self.stale {
            self.rebuild(repaint);
            return;
        }
        if self.filter != self.on_screen.0 {
            // A new filter is on its way: it is sorted the new way too.
            self.refilter(store, repaint);
            return;
        }
        let columns = Arc::clone(&self.facets.columns);
        if store.incidents.len() < BACKGROUND_FROM {
            self.pending = None;
            self.rows = columns.rows(store, &self.facets.articles, &self.visible, sort);
            self.on_screen.1 = sort;
            return;
        }
        let (store, articles) = (Arc::clone(store), Arc::clone(&self.facets.articles));
        let (filter, visible) = (self.filter.clone(), self.visible.clone());
        let repaint = repaint.clone();
        self.pending = Some(Job::spawn(
            "Sorting the incidents",
            move || repaint.request_repaint(),
            move |_| {
                let rows = columns.rows(&store, &articles, &visible, sort);
                Some(Update::Sorted { filter, sort, rows })
            },
        ));
    }

    fn refilter(&mut self, store: &Arc<Store>, repaint: &egui::Context) {
        if self.stale {
            // The facets are being worked out: the new filter is worked out with them.
            self.rebuild(repaint);
            return;
        }
        let types_present = self.facets.types_present();
        let asked = (self.filter.clone(), self.sort);
        let zoom = self.index.last_zoom();
        if store.incidents.len() < BACKGROUND_FROM {
            self.pending = None;
            let filtered = Filtered::compute(
                store,
                (&self.facets.articles, &self.facets.columns),
                &types_present,
                asked,
                (zoom, self.verdicts.as_deref()),
                &|| false,
            );
            if let Some(filtered) = filtered {
                self.put_in_place(filtered);
            }
            return;
        }
        let (store, articles) = (Arc::clone(store), Arc::clone(&self.facets.articles));
        let columns = Arc::clone(&self.facets.columns);
        let before = self.verdicts.clone();
        let repaint = repaint.clone();
        // The job before is dropped here: it stops at its next step and its result is lost.
        self.pending = Some(Job::spawn(
            "Filtering the incidents",
            move || repaint.request_repaint(),
            move |progress| {
                let stop = || progress.cancelled();
                Filtered::compute(
                    &store,
                    (&articles, &columns),
                    &types_present,
                    asked,
                    (zoom, before.as_deref()),
                    &stop,
                )
                .map(|filtered| Update::Filtered(Box::new(filtered)))
            },
        ));
    }

    /// Puts in place a result computed in the background once it is ready, if it is still the
    /// one asked for; true when the list and the map changed.
    pub fn poll(&mut self) -> bool {
        let Some(job) = self.pending.as_mut() else {
            return false;
        };
        let update = match job.poll() {
            Poll::Running => return false,
            Poll::Done(update) => update,
            Poll::Lost => None,
        };
        self.pending = None;
        match update {
            Some(Update::Filtered(filtered))
                if filtered.filter == self.filter && filtered.sort == self.sort =>
            {
                self.put_in_place(*filtered);
                true
            }
            Some(Update::Sorted { filter, sort, rows })
                if filter == self.filter && filter == self.on_screen.0 && sort == self.sort =>
            {
                self.rows = rows;
                self.on_screen.1 = sort;
                true
            }
            Some(Update::Rebuilt { facets, filtered }) => {
                self.facets = *facets;
                self.stale = false;
                // A newer filter or sort would have replaced this job with its own.
                if let Some(filtered) = filtered {
                    self.put_in_place(*filtered);
                }
                true
            }
            // Lost, or for a request since superseded (which would have replaced the job).
            _ => false,
        }
    }

    /// Whether a new filter or sort is being worked out.
    pub fn pending(&self) -> bool {
        self.pending.is_some()
    }

    /// Whether the incidents are being shown again after they changed in place.
    pub fn rebuilding(&self) -> bool {
        self.stale
    }

    /// The filter whose result the list and the map show.
    pub fn filter_on_screen(&self) -> &Filter {
        &self.on_screen.0
    }

    fn put_in_place(&mut self, filtered: Filtered) {
        let Filtered {
            filter,
            sort,
            visible,
            rows,
            histogram,
            index,
            area_incidents,
            type_counts,
            actors,
            verdicts,
        } = filtered;
        self.on_screen = (filter, sort);
        self.verdicts = Some(verdicts);
        let before = (
            std::mem::replace(&mut self.visible, visible),
            std::mem::replace(&mut self.rows, rows),
            std::mem::replace(&mut self.index, index),
            std::mem::replace(&mut self.histogram, histogram),
            std::mem::replace(&mut self.area_incidents, area_incidents),
            std::mem::replace(&mut self.type_counts, type_counts),
            std::mem::replace(&mut self.actors, actors),
        );
        // Freeing a result over a million incidents (its clusters at several zooms) takes tens of
        // milliseconds: not in the frame that shows the new one.
        if before.0.len() >= BACKGROUND_FROM {
            let _freeing = Job::spawn("Freeing the result before", || {}, move |_| drop(before));
        }
    }

    /// West, south, east, north of the incidents shown, or of all when none pass.
    pub fn bounds(&self, store: &Store) -> Option<[f64; 4]> {
        if self.visible.is_empty() {
            let all: Vec<usize> = (0..store.incidents.len()).collect();
            query::bounds(store, &all)
        } else {
            query::bounds(store, &self.visible)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::filter::visible_incidents;

    #[test]
    fn sorting_by_source_orders_by_publisher_then_store_order() {
        let csv = "event_date,event_type,sub_event_type,latitude,longitude,source,notes\n\
2024-01-01,Battles,Armed clash,1,2,Rudaw,a\n\
2024-01-02,Battles,Armed clash,1,2,AFP,b\n\
2024-01-03,Battles,Armed clash,1,2,,\n\
2024-01-04,Battles,Armed clash,1,2,AFP,c\n";
        let store = crate::exchange::import_bytes(std::path::Path::new("a.csv"), csv.as_bytes())
            .unwrap()
            .store;
        let mut rows: Vec<usize> = (0..4).collect();
        let sort = Sort {
            key: SortKey::Source,
            descending: false,
        };
        let articles = ArticleIndex::new(&store);
        sort_incidents(&store, &articles, &mut rows, sort);
        // A row with no source sorts first.
        assert_eq!(rows, [2, 1, 3, 0]);
        assert_eq!(source_label(&store, &articles, &store.incidents[1]), "AFP");
        sort_incidents(
            &store,
            &articles,
            &mut rows,
            Sort {
                descending: true,
                ..sort
            },
        );
        assert_eq!(rows, [0, 1, 3, 2]);
    }

    #[test]
    fn the_source_column_names_publishers_and_counts_articles() {
        assert_eq!(
            web_site("https://www.rudaw.net/english/x").as_deref(),
            Some("rudaw.net")
        );
        assert_eq!(web_site("http://a.org:8080?q").as_deref(), Some("a.org"));
        assert_eq!(web_site("file:///etc/passwd"), None);
        let mut store = Store::default();
        for (id, publisher, url) in [
            ("a", None, Some("https://www.thenationalnews.com/x")),
            ("b", Some("Rudaw"), None),
        ] {
            store.articles.push(Article {
                id: id.into(),
                publisher: publisher.map(str::to_owned),
                url: url.map(str::to_owned),
                title: Some(format!("A long title of {id}")),
                published: None,
                text: String::new(),
            });
        }
        let source = |article: &str, start| crate::store::Source {
            article: article.into(),
            start,
            end: start + 5,
        };
        let mut incident = crate::workspace::filter::tests::store().incidents[0].clone();
        // Two sentences of one article: one article, no "+1".
        incident.sources = vec![source("a", 0), source("a", 10)];
        let articles = ArticleIndex::new(&store);
        assert_eq!(
            source_label(&store, &articles, &incident),
            "thenationalnews.com"
        );
        incident.sources.push(source("b", 3));
        assert_eq!(
            source_label(&store, &articles, &incident),
            "thenationalnews.com +1"
        );
    }

    #[test]
    fn filter_and_sort_recompute_what_depends_on_them() {
        let workspace = Workspace::new(crate::workspace::filter::tests::store(), Vec::new());
        let store = &workspace.store;
        let ctx = egui::Context::default();
        let mut shown = Shown::new(&workspace, Filter::default(), Sort::default());
        assert_eq!(shown.visible, [0, 1, 2, 3]);
        // By date, undated last.
        assert_eq!(shown.rows, [0, 1, 2, 3]);
        assert_eq!(shown.facets.actors[0], ("Islamic State".to_owned(), 2));
        shown.set_sort(
            store,
            Sort {
                descending: true,
                ..Sort::default()
            },
            &ctx,
        );
        assert_eq!(shown.rows, [3, 2, 1, 0]);
        shown.set_filter(
            store,
            Filter {
                actor: Some("Islamic State".into()),
                ..Filter::default()
            },
            &ctx,
        );
        assert!(!shown.pending(), "few incidents are filtered at once");
        assert_eq!(shown.filter_on_screen(), &shown.filter);
        assert_eq!(shown.visible, [0, 1]);
        assert_eq!(shown.rows, [1, 0], "the sort is kept");
        // The legend counts what the actor filter lets through.
        let shown_total: usize = shown.type_counts.iter().map(|t| t.1).sum();
        assert_eq!(shown_total, 2, "{:?}", shown.type_counts);
        assert_eq!(shown.histogram.bars.iter().map(|b| b.1).sum::<usize>(), 2);
        assert_eq!(
            shown.facets.histogram_all.undated, 1,
            "facets see everything"
        );
        assert!(shown.bounds(store).is_some());
    }

    /// Waits for the result being worked out in the background.
    fn settle(shown: &mut Shown) -> bool {
        let started = std::time::Instant::now();
        while started.elapsed().as_secs() < 60 {
            if shown.poll() {
                return true;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        false
    }

    /// The bundled incidents copied over and over: enough to be worked out in the background.
    fn many_incidents() -> Workspace {
        let bundled = crate::store::Store::load(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/data/incidents.json"
        )))
        .expect("the bundled store");
        let mut store = bundled.clone();
        store.incidents = (0..BACKGROUND_FROM + 2000)
            .map(|i| {
                let mut copy = bundled.incidents[i % bundled.incidents.len()].clone();
                copy.id = format!("copy-{i}");
                copy
            })
            .collect();
        Workspace::new(store, Vec::new())
    }

    #[test]
    fn over_many_incidents_a_correction_is_shown_once_worked_out_the_list_kept_meanwhile() {
        use crate::workspace::corrections::Change;
        use crate::workspace::desk::Target;
        let mut workspace = many_incidents();
        let ctx = egui::Context::default();
        let mut shown = Shown::new(&workspace, Filter::default(), Sort::default());
        let before = shown.visible.clone();
        let rejected = before[10];

        // Rejected incidents are hidden by default: once worked out, it is gone from the list.
        let reject = Change::Reject {
            reason: "told twice".into(),
        };
        workspace
            .correct(Target::Incident(rejected), reject, None)
            .expect("rejected");
        shown.refresh(&workspace, &ctx);
        assert!(
            shown.rebuilding() && shown.pending(),
            "worked out in the background"
        );
        assert_eq!(
            shown.visible, before,
            "the list and the map are kept meanwhile"
        );
        // A filter asked meanwhile waits for the new facets and is worked out with them.
        let mut no_protests = Filter::default();
        no_protests.hidden_types.insert(EventType::Protests);
        shown.set_filter(&workspace.store, no_protests.clone(), &ctx);
        assert!(settle(&mut shown), "no result within a minute");
        assert!(!shown.rebuilding() && !shown.pending());
        assert_eq!(shown.filter_on_screen(), &no_protests);
        assert_eq!(
            shown.visible,
            visible_incidents(&workspace.store, &no_protests)
        );
        assert!(!shown.visible.contains(&rejected));
        // The facets are those of the corrected incidents, as if worked out afresh.
        let afresh = Shown::new(&workspace, no_protests, Sort::default());
        assert_eq!(shown.facets.type_counts, afresh.facets.type_counts);
        assert_eq!(shown.facets.actors, afresh.facets.actors);
        assert_eq!(shown.type_counts, afresh.type_counts);
        assert_eq!(shown.rows, afresh.rows);

        // A change that adds an incident moves indices: shown again at once.
        let added = Change::Add {
            incident: Box::new(workspace.store.incidents[0].clone()),
        };
        let article = &workspace.store.articles[0];
        let words = crate::workspace::corrections::Anchor {
            article: article.id.clone(),
            start: 0,
            end: 4,
            text: article.text.chars().take(4).collect(),
            id: String::new(),
        };
        workspace
            .correct(Target::Span(words), added, None)
            .expect("added");
        shown.refresh(&workspace, &ctx);
        assert!(!shown.pending());
        assert_eq!(
            shown.visible,
            visible_incidents(&workspace.store, &shown.filter)
        );
    }

    #[test]
    fn over_many_incidents_the_result_before_stays_until_the_newest_is_ready() {
        let workspace = many_incidents();
        let store = &workspace.store;
        let ctx = egui::Context::default();
        let mut shown = Shown::new(&workspace, Filter::default(), Sort::default());
        let everything = shown.visible.clone();
        assert!(everything.len() > BACKGROUND_FROM);

        let mut no_battles = Filter::default();
        no_battles.hidden_types.insert(EventType::Battles);
        shown.set_filter(store, no_battles.clone(), &ctx);
        // The list and the map still show everything, under the filter asked for.
        assert_eq!(shown.visible, everything);
        assert_eq!(shown.filter, no_battles);
        assert_eq!(shown.filter_on_screen(), &Filter::default());
        // A newer filter asked before the first is done: only its result is shown.
        let mut no_protests = Filter::default();
        no_protests.hidden_types.insert(EventType::Protests);
        shown.set_filter(store, no_protests.clone(), &ctx);
        assert!(settle(&mut shown), "no result within a minute");
        assert!(!shown.pending());
        assert_eq!(shown.filter_on_screen(), &no_protests);
        assert_eq!(shown.visible, visible_incidents(store, &no_protests));
        assert_eq!(shown.index.len(), shown.visible.len());
        let all_but_protests: usize = shown.type_counts.iter().map(|t| t.1).sum();
        assert_eq!(
            all_but_protests,
            everything.len(),
            "{:?}",
            shown.type_counts
        );

        // A sort in the background: the same incidents, in the new order.
        let by_deaths = Sort {
            key: SortKey::Fatalities,
            descending: true,
        };
        shown.set_sort(store, by_deaths, &ctx);
        assert!(settle(&mut shown));
        let mut expected = shown.visible.clone();
        sort_incidents(store, &shown.facets.articles, &mut expected, by_deaths);
        assert_eq!(shown.rows, expected);
    }
}
