//! Querying what the map shows, kept apart from drawing it: the facets a dataset offers (actors,
//! publishers, event types), how markers group into clusters on screen, the timeline's histogram,
//! and the map extent that fits a set of incidents. Which incidents pass the filters is the
//! workspace's [`Filter`](crate::workspace::filter::Filter).

use std::collections::{BTreeMap, BTreeSet};

use egui::{Pos2, Vec2};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

#[cfg(test)]
use crate::store::EventType;
use crate::store::{Article, Store};

/// The actors named by the incidents at `indices`, most frequent first: the reference the
/// viewer's columns are tested against (`Columns::evaluate`).
#[cfg(test)]
pub fn actors_of(store: &Store, indices: &[usize]) -> Vec<(String, usize)> {
    let mut counts: std::collections::HashMap<&str, usize> = Default::default();
    for incident in indices.iter().filter_map(|&i| store.incidents.get(i)) {
        for actor in &incident.actors {
            *counts.entry(actor).or_default() += 1;
        }
    }
    let mut actors: Vec<(String, usize)> =
        counts.into_iter().map(|(a, n)| (a.to_owned(), n)).collect();
    actors.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    actors
}

/// Incidents at `indices` per event type, for the types present among them (the reference
/// for `Columns::evaluate` and `Columns::tallies`).
#[cfg(test)]
pub fn type_counts_of(store: &Store, indices: &[usize]) -> Vec<(EventType, usize)> {
    let mut counts = [0usize; EventType::ALL.len()];
    for incident in indices.iter().filter_map(|&i| store.incidents.get(i)) {
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
    let set: BTreeSet<&str> = store
        .articles
        .iter()
        .flat_map(Article::publishers)
        .collect();
    set.into_iter().map(str::to_owned).collect()
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

/// Builds the timeline histogram of the incidents at `indices` (the reference for
/// `Columns::histogram`).
#[cfg(test)]
pub fn histogram(store: &Store, indices: &[usize]) -> Histogram {
    let mut per_day: BTreeMap<Date, usize> = BTreeMap::new();
    let mut dated = 0;
    for date in indices
        .iter()
        .filter_map(|&i| store.incidents.get(i).and_then(|inc| inc.date))
    {
        *per_day.entry(date).or_default() += 1;
        dated += 1;
    }
    let days: Vec<(Date, usize)> = per_day.into_iter().collect();
    histogram_of_days(&days, indices.len() - dated)
}

/// The timeline of incidents counted per day (`days` ascending, each day once), with
/// `undated` more of unknown date.
pub fn histogram_of_days(days: &[(Date, usize)], undated: usize) -> Histogram {
    let (Some(&(first, _)), Some(&(last, _))) = (days.first(), days.last()) else {
        return Histogram {
            bin: Bin::Day,
            bars: Vec::new(),
            undated,
        };
    };
    let span_days = (last - first).get_days().into();
    let bin = Bin::for_span(span_days);
    let mut counts: BTreeMap<Date, usize> = BTreeMap::new();
    for &(date, n) in days {
        *counts.entry(bin.start(date)).or_default() += n;
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
    use crate::workspace::filter::tests::store;

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
