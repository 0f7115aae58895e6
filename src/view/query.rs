//! Querying what the map shows, kept apart from drawing it: which incidents pass the filters,
//! how markers group into clusters on screen, the timeline's histogram, and the map extent that
//! fits a set of incidents.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use egui::{Pos2, Vec2};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::store::{Article, EventType, Incident, Store};

/// What the user narrowed the incidents down to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Filter {
    /// First day shown, inclusive.
    pub from: Option<Date>,
    /// Last day shown, inclusive.
    pub to: Option<Date>,
    /// Whether incidents with no known date are shown.
    pub show_undated: bool,
    pub hidden_types: BTreeSet<EventType>,
    /// Only incidents naming this actor.
    pub actor: Option<String>,
    /// Only incidents from this publisher's articles.
    pub publisher: Option<String>,
    /// Words to look for in summary, place, actors, type and source titles.
    pub text: String,
}

impl Default for Filter {
    fn default() -> Self {
        Self {
            from: None,
            to: None,
            show_undated: true,
            hidden_types: BTreeSet::new(),
            actor: None,
            publisher: None,
            text: String::new(),
        }
    }
}

impl Filter {
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }

    /// Whether one incident passes every filter.
    pub fn matches(&self, incident: &Incident, store: &Store) -> bool {
        self.matches_with(incident, &|id| store.article(id))
    }

    /// [`Filter::matches`] with articles looked up by `article`: a map when many incidents are
    /// tested (an imported ACLED file has an article per row).
    fn matches_with<'s>(
        &self,
        incident: &Incident,
        article: &dyn Fn(&str) -> Option<&'s Article>,
    ) -> bool {
        if self.hidden_types.contains(&incident.event_type) {
            return false;
        }
        match incident.date {
            None if !self.show_undated => return false,
            None => {}
            Some(date)
                if self.from.is_some_and(|from| date < from)
                    || self.to.is_some_and(|to| date > to) =>
            {
                return false;
            }
            Some(_) => {}
        }
        if let Some(actor) = &self.actor
            && !incident.actors.iter().any(|a| a == actor)
        {
            return false;
        }
        if let Some(publisher) = &self.publisher {
            let from_publisher = incident.sources.iter().any(|s| {
                article(&s.article)
                    .and_then(|a| a.publisher.as_ref())
                    .is_some_and(|p| p == publisher)
            });
            if !from_publisher {
                return false;
            }
        }
        let needle = self.text.trim().to_lowercase();
        if !needle.is_empty() {
            let titles = incident
                .sources
                .iter()
                .filter_map(|s| article(&s.article).and_then(|a| a.title.clone()));
            let haystack = [
                incident.summary.clone(),
                incident.location.name.clone(),
                incident.location.admin1.clone().unwrap_or_default(),
                incident.event_type.to_string(),
                incident.sub_event_type.to_string(),
            ]
            .into_iter()
            .chain(incident.actors.iter().cloned())
            .chain(titles)
            .collect::<Vec<_>>()
            .join("\n")
            .to_lowercase();
            if !needle
                .split_whitespace()
                .all(|word| haystack.contains(word))
            {
                return false;
            }
        }
        true
    }

    /// A one-line description of the active filters, for subtitles and status lines.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        match (self.from, self.to) {
            (Some(from), Some(to)) => parts.push(format!("{from} to {to}")),
            (Some(from), None) => parts.push(format!("from {from}")),
            (None, Some(to)) => parts.push(format!("until {to}")),
            (None, None) => {}
        }
        if !self.show_undated {
            parts.push("dated only".to_owned());
        }
        if !self.hidden_types.is_empty() {
            let shown: Vec<&str> = EventType::ALL
                .iter()
                .filter(|t| !self.hidden_types.contains(t))
                .map(|t| t.as_str())
                .collect();
            parts.push(format!("types: {}", shown.join(", ")));
        }
        if let Some(actor) = &self.actor {
            parts.push(format!("actor: {actor}"));
        }
        if let Some(publisher) = &self.publisher {
            parts.push(format!("publisher: {publisher}"));
        }
        if !self.text.trim().is_empty() {
            parts.push(format!("search: \"{}\"", self.text.trim()));
        }
        if parts.is_empty() {
            "all incidents".to_owned()
        } else {
            parts.join(" · ")
        }
    }
}

/// Indices of the incidents that pass the filter, in store order.
pub fn visible_incidents(store: &Store, filter: &Filter) -> Vec<usize> {
    // Only the publisher and text filters look at articles; index them once, not per incident.
    let by_id: HashMap<&str, &Article> =
        if filter.publisher.is_some() || !filter.text.trim().is_empty() {
            store.articles.iter().map(|a| (a.id.as_str(), a)).collect()
        } else {
            HashMap::new()
        };
    let article = |id: &str| by_id.get(id).copied();
    store
        .incidents
        .iter()
        .enumerate()
        .filter(|(_, incident)| filter.matches_with(incident, &article))
        .map(|(index, _)| index)
        .collect()
}

/// Every actor named in the store, most frequent first.
pub fn actors_by_frequency(store: &Store) -> Vec<(String, usize)> {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for incident in &store.incidents {
        for actor in &incident.actors {
            *counts.entry(actor).or_default() += 1;
        }
    }
    let mut actors: Vec<(String, usize)> =
        counts.into_iter().map(|(a, n)| (a.to_owned(), n)).collect();
    actors.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    actors
}

/// Incidents per event type, for the types present, in the order of [`EventType::ALL`].
pub fn type_counts(store: &Store) -> Vec<(EventType, usize)> {
    let mut counts = [0usize; EventType::ALL.len()];
    for incident in &store.incidents {
        if let Some(slot) = EventType::ALL
            .iter()
            .position(|&t| t == incident.event_type)
        {
            counts[slot] += 1;
        }
    }
    EventType::ALL
        .into_iter()
        .zip(counts)
        .filter(|&(_, n)| n > 0)
        .collect()
}

/// Every publisher named by the store's articles, in name order.
pub fn publishers(store: &Store) -> Vec<String> {
    let set: BTreeSet<&String> = store
        .articles
        .iter()
        .filter_map(|a| a.publisher.as_ref())
        .collect();
    set.into_iter().cloned().collect()
}

/// Markers that overlap on screen, drawn as one.
#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    /// Incident indices, in the order given.
    pub members: Vec<usize>,
    /// Mean screen position of the members.
    pub center: Pos2,
}

/// Groups screen points into clusters: points whose grid cell of `cell` pixels is shared, then
/// neighbouring cells whose centres are closer than `cell`. Deterministic for the same input.
pub fn cluster_points(points: &[(usize, Pos2)], cell: f32) -> Vec<Cluster> {
    let cell = cell.max(1.0);
    let mut cells: BTreeMap<(i64, i64), Vec<(usize, Pos2)>> = BTreeMap::new();
    for &(index, pos) in points {
        let key = ((pos.x / cell).floor() as i64, (pos.y / cell).floor() as i64);
        cells.entry(key).or_default().push((index, pos));
    }
    let mut clusters: Vec<Cluster> = cells
        .into_values()
        .map(|members| {
            let sum = members
                .iter()
                .fold(Vec2::ZERO, |acc, (_, p)| acc + p.to_vec2());
            Cluster {
                center: (sum / members.len() as f32).to_pos2(),
                members: members.into_iter().map(|(i, _)| i).collect(),
            }
        })
        .collect();
    // Merge neighbours that ended up on either side of a cell edge.
    let mut merged = true;
    while merged {
        merged = false;
        'outer: for i in 0..clusters.len() {
            for j in i + 1..clusters.len() {
                if clusters[i].center.distance(clusters[j].center) < cell {
                    let other = clusters.swap_remove(j);
                    let a = clusters[i].members.len() as f32;
                    let b = other.members.len() as f32;
                    clusters[i].center =
                        ((clusters[i].center.to_vec2() * a + other.center.to_vec2() * b) / (a + b))
                            .to_pos2();
                    clusters[i].members.extend(other.members);
                    merged = true;
                    break 'outer;
                }
            }
        }
    }
    for cluster in &mut clusters {
        cluster.members.sort_unstable();
    }
    clusters.sort_by_key(|c| c.members[0]);
    clusters
}

/// Width of a timeline bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Bin {
    Day,
    Week,
    Month,
}

impl Bin {
    /// The bar width that keeps a span of `days` readable.
    pub fn for_span(days: i64) -> Self {
        match days {
            ..=120 => Self::Day,
            121..=1000 => Self::Week,
            _ => Self::Month,
        }
    }

    /// First day of the bar holding `date`.
    pub fn start(self, date: Date) -> Date {
        match self {
            Self::Day => date,
            Self::Week => {
                let back = i64::from(date.weekday().to_monday_zero_offset());
                date.checked_sub(jiff::Span::new().days(back))
                    .unwrap_or(date)
            }
            Self::Month => date.first_of_month(),
        }
    }

    /// First day of the next bar.
    pub fn next(self, start: Date) -> Date {
        let step = match self {
            Self::Day => jiff::Span::new().days(1),
            Self::Week => jiff::Span::new().weeks(1),
            Self::Month => jiff::Span::new().months(1),
        };
        start.checked_add(step).unwrap_or(start)
    }
}

/// Incidents per bar over the dated incidents given.
#[derive(Debug, Clone, PartialEq)]
pub struct Histogram {
    pub bin: Bin,
    /// (first day of the bar, incidents in it), without gaps.
    pub bars: Vec<(Date, usize)>,
    pub undated: usize,
}

/// Builds the timeline histogram of the incidents at `indices`.
pub fn histogram(store: &Store, indices: &[usize]) -> Histogram {
    let dates: Vec<Date> = indices
        .iter()
        .filter_map(|&i| store.incidents.get(i).and_then(|inc| inc.date))
        .collect();
    let undated = indices.len() - dates.len();
    let (Some(&first), Some(&last)) = (dates.iter().min(), dates.iter().max()) else {
        return Histogram {
            bin: Bin::Day,
            bars: Vec::new(),
            undated,
        };
    };
    let span_days = (last - first).get_days().into();
    let bin = Bin::for_span(span_days);
    let mut counts: BTreeMap<Date, usize> = BTreeMap::new();
    for date in dates {
        *counts.entry(bin.start(date)).or_default() += 1;
    }
    let mut bars = Vec::new();
    let mut start = bin.start(first);
    let end = bin.start(last);
    while start <= end && bars.len() < 10_000 {
        bars.push((start, counts.get(&start).copied().unwrap_or(0)));
        let next = bin.next(start);
        if next == start {
            break;
        }
        start = next;
    }
    Histogram { bin, bars, undated }
}

/// West, south, east, north of the incidents' points, or `None` when there are none.
pub fn bounds(store: &Store, indices: &[usize]) -> Option<[f64; 4]> {
    let mut iter = indices.iter().filter_map(|&i| store.incidents.get(i));
    let first = iter.next()?;
    let mut b = [
        first.location.lon,
        first.location.lat,
        first.location.lon,
        first.location.lat,
    ];
    for incident in iter {
        let (lon, lat) = (incident.location.lon, incident.location.lat);
        b = [b[0].min(lon), b[1].min(lat), b[2].max(lon), b[3].max(lat)];
    }
    Some(b)
}

/// The Web Mercator zoom at which `bounds` fits into a view of `size` pixels with a margin,
/// clamped to a sensible range, and the centre (lat, lon) to show.
pub fn fit_view(bounds: [f64; 4], size: Vec2) -> (f64, f64, f64) {
    let [west, south, east, north] = bounds;
    let x = |lon: f64| (lon + 180.0) / 360.0;
    let y = |lat: f64| {
        let lat = lat.clamp(-85.0, 85.0).to_radians();
        (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0
    };
    let width = (x(east) - x(west)).abs().max(1e-9);
    let height = (y(south) - y(north)).abs().max(1e-9);
    // Walkers draws the world 256 pixels wide at zoom 0.
    let usable = (f64::from(size.x) * 0.8, f64::from(size.y) * 0.8);
    let zoom_x = (usable.0 / (256.0 * width)).log2();
    let zoom_y = (usable.1 / (256.0 * height)).log2();
    let zoom = zoom_x.min(zoom_y).clamp(2.0, 11.0);
    let center_y = (y(south) + y(north)) / 2.0;
    let center_lat = (std::f64::consts::PI * (1.0 - 2.0 * center_y))
        .sinh()
        .atan()
        .to_degrees();
    (center_lat, (west + east) / 2.0, zoom)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{DatePrecision, Location, LocationPrecision, SubEventType};

    fn incident(id: &str, date: Option<Date>, sub: SubEventType, actor: &str) -> Incident {
        Incident {
            id: id.into(),
            date,
            date_precision: if date.is_some() {
                DatePrecision::Day
            } else {
                DatePrecision::Unknown
            },
            event_type: sub.event_type(),
            sub_event_type: sub,
            actors: vec![actor.into()],
            fatalities: None,
            counts: Default::default(),
            location: Location {
                name: "Al-Hasakah".into(),
                country: Some("SY".into()),
                admin1: None,
                precision: LocationPrecision::Point,
                lat: 36.5,
                lon: 40.7,
                gazetteer_id: None,
            },
            sources: vec![],
            summary: format!("{id} summary"),
        }
    }

    fn store() -> Store {
        let d = |day| Some(jiff::civil::date(2022, 1, day));
        Store {
            incidents: vec![
                incident("a", d(20), SubEventType::ArmedClash, "Islamic State"),
                incident("b", d(21), SubEventType::Attack, "Islamic State"),
                incident("c", d(26), SubEventType::Other, "Iraqi government"),
                incident("d", None, SubEventType::ChangeToGroupActivity, "Peshmerga"),
            ],
            ..Store::default()
        }
    }

    #[test]
    fn date_range_type_actor_and_text_filters() {
        let store = store();
        let mut filter = Filter::default();
        assert_eq!(visible_incidents(&store, &filter), [0, 1, 2, 3]);
        filter.from = Some(jiff::civil::date(2022, 1, 21));
        filter.to = Some(jiff::civil::date(2022, 1, 25));
        assert_eq!(visible_incidents(&store, &filter), [1, 3]);
        filter.show_undated = false;
        assert_eq!(visible_incidents(&store, &filter), [1]);
        let mut filter = Filter::default();
        filter.hidden_types.insert(EventType::StrategicDevelopments);
        assert_eq!(visible_incidents(&store, &filter), [0, 1]);
        let filter = Filter {
            actor: Some("Islamic State".into()),
            ..Filter::default()
        };
        assert_eq!(visible_incidents(&store, &filter), [0, 1]);
        let filter = Filter {
            text: "  IRAQI government ".into(),
            ..Filter::default()
        };
        assert_eq!(visible_incidents(&store, &filter), [2]);
        assert!(filter.describe().contains("search: \"IRAQI government\""));
    }

    #[test]
    fn nearby_points_cluster_and_distant_ones_do_not() {
        let points = [
            (0, Pos2::new(10.0, 10.0)),
            (1, Pos2::new(14.0, 12.0)),
            (2, Pos2::new(300.0, 300.0)),
            (3, Pos2::new(31.0, 10.0)),
        ];
        let clusters = cluster_points(&points, 30.0);
        assert_eq!(clusters.len(), 2);
        assert_eq!(clusters[0].members, [0, 1, 3]);
        assert_eq!(clusters[1].members, [2]);
    }

    #[test]
    fn histogram_has_no_gaps_and_counts_undated() {
        let store = store();
        let h = histogram(&store, &[0, 1, 2, 3]);
        assert_eq!(h.bin, Bin::Day);
        assert_eq!(h.bars.len(), 7);
        assert_eq!(h.bars[0], (jiff::civil::date(2022, 1, 20), 1));
        assert_eq!(h.bars[6], (jiff::civil::date(2022, 1, 26), 1));
        assert_eq!(h.undated, 1);
        assert_eq!(
            Bin::Week.start(jiff::civil::date(2022, 1, 27)),
            jiff::civil::date(2022, 1, 24)
        );
    }

    #[test]
    fn fitting_iraq_and_syria_gives_a_regional_zoom() {
        let (lat, lon, zoom) = fit_view([38.0, 30.0, 48.0, 37.0], Vec2::new(1000.0, 700.0));
        assert!((33.0..34.5).contains(&lat), "{lat}");
        assert!((lon - 43.0).abs() < 1e-9);
        assert!((4.5..7.0).contains(&zoom), "{zoom}");
    }
}
