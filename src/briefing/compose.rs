//! What a briefing shows, worked out before anything is drawn: which incidents (a dated
//! briefing leaves the undated out), the view that fits them without far outliers, the style
//! that reads at their number (numbered markers, aggregated symbols or a density surface), the
//! summary of the key (totals by type, fatalities, the deadliest) and the trend by date.
//!
//! Every step is linear in the incidents (or a sort), so a million incidents compose in a
//! fraction of a second: no step compares incidents with each other.

use std::collections::HashMap;

use egui::{Pos2, Rect, Vec2};
use jiff::civil::Date;

use crate::store::{EventType, Store};
use crate::view::query::Bin;
use crate::workspace::filter::{Filter, Undated};

/// How the incidents are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Style {
    /// A numbered marker per incident, keyed to a list: while they stay readable.
    Markers,
    /// A symbol per grid cell: its size the number of incidents, its slices their types.
    Aggregate,
    /// A density surface: how many incidents per small square, shaded.
    Density,
}

impl Style {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Markers => "markers",
            Self::Aggregate => "aggregate",
            Self::Density => "density",
        }
    }
}

/// Aggregated symbols beyond this many would crowd the map: a density surface reads better.
pub const MAX_SYMBOLS: usize = 160;

/// The style chosen for `in_view` incidents when none was asked for: numbered markers while
/// the key can list every one of them, then symbols per cell, then a density surface once the
/// symbols would be too many to tell apart.
pub fn choose_style(in_view: usize, key_capacity: usize, occupied_cells: usize) -> Style {
    if in_view <= key_capacity {
        Style::Markers
    } else if occupied_cells <= MAX_SYMBOLS {
        Style::Aggregate
    } else {
        Style::Density
    }
}

/// The incidents a briefing shows, and how many undated ones it left out. A filter that shows
/// undated incidents only by default (no `--undated`, "Undated" not ticked) leaves them out of
/// a briefing whose other incidents are dated: a dated subtitle must not cover them. When every
/// incident is undated they stay (the subtitle says "dates unknown").
pub fn briefing_incidents(
    store: &Store,
    filter: &Filter,
    visible: Vec<usize>,
) -> (Vec<usize>, usize) {
    if filter.undated != Undated::UnlessRange || filter.has_date_range() {
        return (visible, 0);
    }
    let dated = |i: &usize| {
        store
            .incidents
            .get(*i)
            .is_some_and(|inc| inc.date.is_some())
    };
    if !visible.iter().any(dated) {
        return (visible, 0);
    }
    let before = visible.len();
    let kept: Vec<usize> = visible.into_iter().filter(dated).collect();
    let left_out = before - kept.len();
    (kept, left_out)
}

/// The incidents' bounds (west, south, east, north) without far outliers, and the outliers
/// left outside. An incident is an outlier when it lies further from the middle half of the
/// incidents than three times that half's spread (at least a degree) on either axis; they are
/// left out only while they are few (at most 5 % of the incidents), so that a scattered
/// selection is fitted whole.
pub fn fit_bounds(store: &Store, indices: &[usize]) -> Option<([f64; 4], Vec<usize>)> {
    let points: Vec<(usize, f64, f64)> = indices
        .iter()
        .filter_map(|&i| {
            let loc = &store.incidents.get(i)?.location;
            Some((i, loc.lon, loc.lat))
        })
        .collect();
    if points.is_empty() {
        return None;
    }
    let fences = |mut values: Vec<f64>| -> (f64, f64) {
        let n = values.len();
        let mut at = |q: f64| {
            let k = ((n - 1) as f64 * q).round() as usize;
            *values.select_nth_unstable_by(k, |a, b| a.total_cmp(b)).1
        };
        let (q1, q3) = (at(0.25), at(0.75));
        let spread = (q3 - q1).max(1.0);
        (q1 - 3.0 * spread, q3 + 3.0 * spread)
    };
    let (west, east) = fences(points.iter().map(|p| p.1).collect());
    let (south, north) = fences(points.iter().map(|p| p.2).collect());
    let inside =
        |p: &&(usize, f64, f64)| (west..=east).contains(&p.1) && (south..=north).contains(&p.2);
    let outliers: Vec<usize> = points.iter().filter(|p| !inside(p)).map(|p| p.0).collect();
    let keep_all = outliers.len() * 20 > points.len();
    let mut bounds: Option<[f64; 4]> = None;
    for p in points.iter().filter(|p| keep_all || inside(p)) {
        let b = bounds.get_or_insert([p.1, p.2, p.1, p.2]);
        *b = [b[0].min(p.1), b[1].min(p.2), b[2].max(p.1), b[3].max(p.2)];
    }
    let outliers = if keep_all { Vec::new() } else { outliers };
    bounds.map(|b| (b, outliers))
}

/// The slot of an event type in per-type arrays (the order of [`EventType::ALL`]).
pub fn slot(event_type: EventType) -> usize {
    EventType::ALL
        .iter()
        .position(|t| *t == event_type)
        .unwrap_or(0)
}

/// The key's summary of many incidents.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Summary {
    pub total: usize,
    /// Incidents per type, in the order of [`EventType::ALL`].
    pub by_type: [usize; 6],
    /// Fatalities reported per type.
    pub killed_by_type: [u64; 6],
    pub killed: u64,
    /// Incidents that give no figure for fatalities.
    pub toll_unknown: usize,
    /// The deadliest incidents (with at least one death), deadliest first.
    pub deadliest: Vec<usize>,
}

/// Totals by type, fatalities and the `top` deadliest of `indices`, in one pass.
pub fn summarise(store: &Store, indices: &[usize], top: usize) -> Summary {
    let mut summary = Summary::default();
    // (fatalities, newest first, index): kept sorted, at most `top` long.
    let mut best: Vec<(u32, Option<Date>, usize)> = Vec::with_capacity(top + 1);
    for &i in indices {
        let Some(incident) = store.incidents.get(i) else {
            continue;
        };
        summary.total += 1;
        let s = slot(incident.event_type);
        summary.by_type[s] += 1;
        match incident.fatalities {
            Some(n) => {
                summary.killed += u64::from(n);
                summary.killed_by_type[s] += u64::from(n);
                let better = |b: &(u32, Option<Date>, usize)| (n, incident.date) > (b.0, b.1);
                if n > 0 && (best.len() < top || best.last().is_some_and(better)) {
                    let at = best.iter().position(better).unwrap_or(best.len());
                    best.insert(at, (n, incident.date, i));
                    best.truncate(top);
                }
            }
            None => summary.toll_unknown += 1,
        }
    }
    summary.deadliest = best.into_iter().map(|b| b.2).collect();
    summary
}

/// Incidents per bar, by type: the trend inset.
#[derive(Debug, Clone, PartialEq)]
pub struct Trend {
    pub bin: Bin,
    /// (first day of the bar, incidents per type), without gaps.
    pub bars: Vec<(Date, [u32; 6])>,
}

impl Trend {
    /// The tallest bar.
    pub fn peak(&self) -> u32 {
        self.bars
            .iter()
            .map(|(_, c)| c.iter().sum::<u32>())
            .max()
            .unwrap_or(0)
    }
}

/// A trend is drawn when the dated incidents span more than this many days.
pub const TREND_MIN_DAYS: i64 = 28;

/// The trend of the dated incidents at `indices` by day, week or month, or `None` when they
/// span a few weeks or less (a trend of one month says nothing a key does not).
pub fn trend(store: &Store, indices: &[usize]) -> Option<Trend> {
    let mut first: Option<Date> = None;
    let mut last: Option<Date> = None;
    for date in indices
        .iter()
        .filter_map(|&i| store.incidents.get(i).and_then(|inc| inc.date))
    {
        first = Some(first.map_or(date, |f| f.min(date)));
        last = Some(last.map_or(date, |l| l.max(date)));
    }
    let (first, last) = (first?, last?);
    let span = i64::from((last - first).get_days());
    if span <= TREND_MIN_DAYS {
        return None;
    }
    let bin = Bin::for_span(span);
    let mut bars: Vec<(Date, [u32; 6])> = Vec::new();
    let mut start = bin.start(first);
    let end = bin.start(last);
    while start <= end && bars.len() < 2_000 {
        bars.push((start, [0; 6]));
        let next = bin.next(start);
        if next == start {
            break;
        }
        start = next;
    }
    let at: HashMap<Date, usize> = bars.iter().enumerate().map(|(k, b)| (b.0, k)).collect();
    for &i in indices {
        let Some(incident) = store.incidents.get(i) else {
            continue;
        };
        let Some(date) = incident.date else { continue };
        if let Some(&k) = at.get(&bin.start(date)) {
            bars[k].1[slot(incident.event_type)] += 1;
        }
    }
    Some(Trend { bin, bars })
}

/// Incidents gathered in one square of the map.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// The square, in screen points.
    pub rect: Rect,
    /// The mean position of its incidents.
    pub centroid: Pos2,
    /// Incidents per type.
    pub counts: [u32; 6],
    pub total: u32,
    pub killed: u64,
}

/// Gathers `points` (incident, screen position) into squares of `size` points from `origin`,
/// in one pass; the cells come out in row order.
pub fn aggregate(store: &Store, points: &[(usize, Pos2)], origin: Pos2, size: f32) -> Vec<Cell> {
    struct Acc {
        sum: Vec2,
        counts: [u32; 6],
        total: u32,
        killed: u64,
    }
    let size = size.max(1.0);
    let mut cells: HashMap<(i32, i32), Acc> = HashMap::new();
    for &(i, pos) in points {
        let Some(incident) = store.incidents.get(i) else {
            continue;
        };
        let key = (
            ((pos.x - origin.x) / size).floor() as i32,
            ((pos.y - origin.y) / size).floor() as i32,
        );
        let acc = cells.entry(key).or_insert(Acc {
            sum: Vec2::ZERO,
            counts: [0; 6],
            total: 0,
            killed: 0,
        });
        acc.sum += pos.to_vec2();
        acc.counts[slot(incident.event_type)] += 1;
        acc.total += 1;
        acc.killed += u64::from(incident.fatalities.unwrap_or(0));
    }
    let mut keyed: Vec<((i32, i32), Acc)> = cells.into_iter().collect();
    keyed.sort_by_key(|(k, _)| (k.1, k.0));
    keyed
        .into_iter()
        .map(|((cx, cy), acc)| {
            let min = origin + Vec2::new(cx as f32 * size, cy as f32 * size);
            Cell {
                rect: Rect::from_min_size(min, Vec2::splat(size)),
                centroid: (acc.sum / acc.total.max(1) as f32).to_pos2(),
                counts: acc.counts,
                total: acc.total,
                killed: acc.killed,
            }
        })
        .collect()
}

/// How many squares of `size` points the points fall in.
pub fn occupied_cells(points: &[(usize, Pos2)], origin: Pos2, size: f32) -> usize {
    let size = size.max(1.0);
    let cells: std::collections::HashSet<(i32, i32)> = points
        .iter()
        .map(|(_, pos)| {
            (
                ((pos.x - origin.x) / size).floor() as i32,
                ((pos.y - origin.y) / size).floor() as i32,
            )
        })
        .collect();
    cells.len()
}

/// A density surface: incidents per square of a fine grid over the map, smoothed a little.
#[derive(Debug, Clone, PartialEq)]
pub struct Density {
    pub rect: Rect,
    pub cell: f32,
    pub columns: usize,
    pub rows: usize,
    /// Smoothed incidents per square, row by row (each square's value is drawn at its
    /// centre; the colours blend between them).
    pub values: Vec<f32>,
    /// Incidents per square before smoothing: the largest.
    pub peak: u32,
}

/// Counts `points` on a grid of `cell`-point squares over `rect` and smooths it with a
/// Gaussian kernel (separable, three cells either way), so that a lone incident shows as a
/// soft spot, not a speck. Linear in the points and in the squares.
pub fn density(points: &[(usize, Pos2)], rect: Rect, cell: f32) -> Density {
    let cell = cell.max(1.0);
    let columns = (rect.width() / cell).ceil().max(1.0) as usize;
    let rows = (rect.height() / cell).ceil().max(1.0) as usize;
    let mut counts = vec![0f32; columns * rows];
    for (_, pos) in points {
        let x = ((pos.x - rect.min.x) / cell).floor();
        let y = ((pos.y - rect.min.y) / cell).floor();
        if x >= 0.0 && y >= 0.0 && (x as usize) < columns && (y as usize) < rows {
            counts[y as usize * columns + x as usize] += 1.0;
        }
    }
    let peak = counts.iter().copied().fold(0.0f32, f32::max) as u32;
    const RADIUS: usize = 3;
    let weights: Vec<f32> = (0..=2 * RADIUS)
        .map(|k| {
            let d = k as f32 - RADIUS as f32;
            (-d * d / 4.0).exp()
        })
        .collect();
    let blur = |source: &[f32], along_rows: bool| -> Vec<f32> {
        let mut out = vec![0f32; source.len()];
        for y in 0..rows {
            for x in 0..columns {
                let n = source[y * columns + x];
                if n == 0.0 {
                    continue;
                }
                for (k, w) in weights.iter().enumerate() {
                    let (tx, ty) = if along_rows {
                        ((x + k).checked_sub(RADIUS), Some(y))
                    } else {
                        (Some(x), (y + k).checked_sub(RADIUS))
                    };
                    if let (Some(tx), Some(ty)) = (tx, ty)
                        && tx < columns
                        && ty < rows
                    {
                        out[ty * columns + tx] += n * w;
                    }
                }
            }
        }
        out
    };
    let values = blur(&blur(&counts, true), false);
    Density {
        rect,
        cell,
        columns,
        rows,
        values,
        peak,
    }
}

/// "1,013": thousands separated, as a slide reads them.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "87", "1.2k", "34k", "1.1M": a count short enough for a symbol.
pub fn short_count(n: u32) -> String {
    match n {
        0..=999 => n.to_string(),
        1_000..=9_999 => format!("{:.1}k", f64::from(n) / 1000.0),
        10_000..=999_999 => format!("{}k", (f64::from(n) / 1000.0).round()),
        _ => format!("{:.1}M", f64::from(n) / 1_000_000.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Incident, Location, LocationPrecision, SubEventType};

    fn incident(id: &str, date: Option<Date>, lat: f64, lon: f64, killed: Option<u32>) -> Incident {
        Incident {
            id: id.to_owned(),
            date,
            date_precision: crate::store::DatePrecision::Day,
            event_type: EventType::Battles,
            sub_event_type: SubEventType::ArmedClash,
            actors: Vec::new(),
            fatalities: killed,
            counts: Default::default(),
            location: Location {
                name: id.to_owned(),
                country: None,
                admin1: None,
                admin2: None,
                admin3: None,
                precision: LocationPrecision::Point,
                lat,
                lon,
                gazetteer_id: None,
                confidence: None,
            },
            sources: Vec::new(),
            summary: String::new(),
            review: Default::default(),
            coded: None,
        }
    }

    fn store(incidents: Vec<Incident>) -> Store {
        Store {
            incidents,
            ..Store::default()
        }
    }

    #[test]
    fn the_style_follows_the_count() {
        assert_eq!(choose_style(16, 18, 5), Style::Markers);
        assert_eq!(choose_style(1_000, 18, 90), Style::Aggregate);
        assert_eq!(choose_style(100_000, 18, 400), Style::Density);
    }

    #[test]
    fn a_dated_briefing_leaves_the_undated_out_unless_asked() {
        let d = jiff::civil::date(2022, 1, 20);
        let s = store(vec![
            incident("a", Some(d), 36.0, 40.0, None),
            incident("b", None, 36.0, 40.0, None),
        ]);
        let (kept, left_out) = briefing_incidents(&s, &Filter::default(), vec![0, 1]);
        assert_eq!((kept, left_out), (vec![0], 1));
        let asked = Filter {
            undated: Undated::Shown,
            ..Filter::default()
        };
        assert_eq!(briefing_incidents(&s, &asked, vec![0, 1]), (vec![0, 1], 0));
        // All undated: nothing to date the briefing by, so they stay.
        assert_eq!(
            briefing_incidents(&s, &Filter::default(), vec![1]),
            (vec![1], 0)
        );
    }

    #[test]
    fn fitting_leaves_far_outliers_out_and_names_them() {
        let mut incidents: Vec<Incident> = (0..40)
            .map(|k| {
                incident(
                    &format!("n{k}"),
                    None,
                    36.0 + f64::from(k % 5) * 0.2,
                    40.0 + f64::from(k % 7) * 0.2,
                    None,
                )
            })
            .collect();
        incidents.push(incident("paris", None, 48.85, 2.35, None));
        let s = store(incidents);
        let all: Vec<usize> = (0..s.incidents.len()).collect();
        let Some((bounds, outliers)) = fit_bounds(&s, &all) else {
            panic!("no bounds");
        };
        assert_eq!(outliers, vec![40]);
        assert!(bounds[0] >= 40.0 && bounds[3] <= 37.0, "{bounds:?}");
        // A scattered selection is fitted whole.
        let s = store(vec![
            incident("a", None, 36.0, 40.0, None),
            incident("b", None, 48.85, 2.35, None),
        ]);
        let Some((bounds, outliers)) = fit_bounds(&s, &[0, 1]) else {
            panic!("no bounds");
        };
        assert!(outliers.is_empty());
        assert_eq!(bounds, [2.35, 36.0, 40.0, 48.85]);
    }

    #[test]
    fn the_summary_counts_and_ranks_the_deadliest() {
        let d = jiff::civil::date(2022, 1, 20);
        let s = store(vec![
            incident("a", Some(d), 36.0, 40.0, Some(5)),
            incident("b", Some(d), 36.0, 40.0, Some(87)),
            incident("c", Some(d), 36.0, 40.0, None),
            incident("d", Some(d), 36.0, 40.0, Some(0)),
            incident("e", Some(d), 36.0, 40.0, Some(11)),
        ]);
        let summary = summarise(&s, &[0, 1, 2, 3, 4], 2);
        assert_eq!(summary.total, 5);
        assert_eq!(summary.killed, 103);
        assert_eq!(summary.toll_unknown, 1);
        assert_eq!(summary.deadliest, vec![1, 4]);
        assert_eq!(summary.by_type[slot(EventType::Battles)], 5);
    }

    #[test]
    fn a_trend_needs_more_than_a_few_weeks() {
        let day = |m, d| Some(jiff::civil::date(2022, m, d));
        let s = store(vec![
            incident("a", day(1, 1), 36.0, 40.0, None),
            incident("b", day(1, 20), 36.0, 40.0, None),
            incident("c", day(4, 30), 36.0, 40.0, None),
        ]);
        assert!(trend(&s, &[0, 1]).is_none());
        let Some(t) = trend(&s, &[0, 1, 2]) else {
            panic!("no trend over four months");
        };
        assert_eq!(t.bin, Bin::Day);
        assert_eq!(t.bars.len(), 120);
        assert_eq!(t.peak(), 1);
        let total: u32 = t.bars.iter().map(|b| b.1.iter().sum::<u32>()).sum();
        assert_eq!(total, 3);
    }

    #[test]
    fn cells_gather_points_and_density_counts_them() {
        let s = store(vec![
            incident("a", None, 0.0, 0.0, Some(2)),
            incident("b", None, 0.0, 0.0, Some(3)),
            incident("c", None, 0.0, 0.0, None),
        ]);
        let points = [
            (0, Pos2::new(10.0, 10.0)),
            (1, Pos2::new(20.0, 20.0)),
            (2, Pos2::new(100.0, 10.0)),
        ];
        let cells = aggregate(&s, &points, Pos2::ZERO, 64.0);
        assert_eq!(cells.len(), 2);
        assert_eq!(cells[0].total, 2);
        assert_eq!(cells[0].killed, 5);
        assert_eq!(cells[0].centroid, Pos2::new(15.0, 15.0));
        assert_eq!(occupied_cells(&points, Pos2::ZERO, 64.0), 2);
        let grid = density(
            &points,
            Rect::from_min_size(Pos2::ZERO, Vec2::splat(128.0)),
            8.0,
        );
        assert_eq!((grid.columns, grid.rows, grid.peak), (16, 16, 1));
        let sum: f32 = grid.values.iter().sum();
        assert!(sum > 2.0, "{sum}");
    }

    #[test]
    fn numbers_read_on_a_slide() {
        assert_eq!(thousands(1_013), "1,013");
        assert_eq!(thousands(100_000), "100,000");
        assert_eq!(thousands(87), "87");
        assert_eq!(short_count(87), "87");
        assert_eq!(short_count(1_234), "1.2k");
        assert_eq!(short_count(34_400), "34k");
    }
}
