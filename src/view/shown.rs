//! What the window shows, as one value computed from the workspace, the filter and the sort:
//! the incidents that pass, in store and in list order, the timeline's histograms, the map's
//! index and area tints, and the facets the toolbar and legend offer. The drawing code only
//! reads it; a change of data, filter or sort recomputes what depends on it and nothing more.

use std::collections::HashMap;

use crate::store::{Article, EventType, Incident, Store};
use crate::view::areas::{self, AreaShapes};
use crate::view::index::MapIndex;
use crate::view::markers;
use crate::view::query::{self, Histogram};
use crate::workspace::Workspace;
use crate::workspace::filter::{Filter, visible_incidents};

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
    pub articles: ArticleIndex,
}

impl Facets {
    fn new(workspace: &Workspace) -> Self {
        let store = &workspace.store;
        let all: Vec<usize> = (0..store.incidents.len()).collect();
        Self {
            actors: query::actors_by_frequency(store),
            publishers: query::publishers(store),
            type_counts: query::type_counts(store),
            histogram_all: query::histogram(store, &all),
            area_shapes: workspace.shapes().map(AreaShapes::new).unwrap_or_default(),
            articles: ArticleIndex::new(store),
        }
    }
}

/// Columns the incident list can be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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
fn review_order(incident: &Incident) -> f32 {
    match incident.review.status() {
        crate::store::Status::Machine => incident.location.confidence.unwrap_or(0.99),
        _ => 2.0,
    }
}

/// Sorts incident indices for the list.
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

/// What is shown, for one dataset, filter and sort.
pub struct Shown {
    pub filter: Filter,
    pub sort: Sort,
    pub facets: Facets,
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
}

impl Shown {
    pub fn new(workspace: &Workspace, filter: Filter, sort: Sort) -> Self {
        let mut shown = Self {
            filter,
            sort,
            facets: Facets::new(workspace),
            visible: Vec::new(),
            rows: Vec::new(),
            histogram: query::histogram(&Store::default(), &[]),
            index: MapIndex::empty(),
            area_incidents: Vec::new(),
            type_counts: Vec::new(),
            actors: Vec::new(),
        };
        shown.refilter(&workspace.store);
        shown
    }

    /// Applies a new filter.
    pub fn set_filter(&mut self, store: &Store, filter: Filter) {
        self.filter = filter;
        self.refilter(store);
    }

    /// Applies a new sort to the list; the map is unchanged.
    pub fn set_sort(&mut self, store: &Store, sort: Sort) {
        self.sort = sort;
        self.rows = self.visible.clone();
        sort_incidents(store, &self.facets.articles, &mut self.rows, sort);
    }

    fn refilter(&mut self, store: &Store) {
        self.visible = visible_incidents(store, &self.filter);
        self.histogram = query::histogram(store, &self.visible);
        self.index = MapIndex::new(store, &self.visible, markers::CLUSTER_CELL_PX);
        self.area_incidents = areas::area_incidents(store, &self.visible);
        self.count_facets(store);
        self.set_sort(store, self.sort);
    }

    /// The legend's and the actor menu's counts under the filter, each leaving out its own
    /// choice (a hidden type still says how many it would show).
    fn count_facets(&mut self, store: &Store) {
        let without = |change: &dyn Fn(&mut Filter)| {
            let mut filter = self.filter.clone();
            change(&mut filter);
            if filter == self.filter {
                self.visible.clone()
            } else {
                visible_incidents(store, &filter)
            }
        };
        let typed = without(&|f| f.hidden_types.clear());
        let acting = without(&|f| f.actor = None);
        let counted: HashMap<EventType, usize> =
            query::type_counts_of(store, &typed).into_iter().collect();
        self.type_counts = self
            .facets
            .type_counts
            .iter()
            .map(|&(t, _)| (t, counted.get(&t).copied().unwrap_or(0)))
            .collect();
        self.actors = query::actors_of(store, &acting);
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
        );
        assert_eq!(shown.rows, [3, 2, 1, 0]);
        shown.set_filter(
            store,
            Filter {
                actor: Some("Islamic State".into()),
                ..Filter::default()
            },
        );
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
}
