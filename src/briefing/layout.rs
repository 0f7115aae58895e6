//! The briefing composition, drawn with egui in logical points: a title band, the map, a scale
//! bar and a north arrow, a key and a footer with the data attribution and creation date.
//!
//! What the map shows follows the number of incidents ([`compose::Style`]): numbered markers
//! keyed to a list while the key can list them all; beyond that a symbol per grid cell (its
//! area the number of incidents, its slices their types) or a density surface, with a summary
//! for a key — totals by type, fatalities, the deadliest incidents — and a trend inset when the
//! dates span more than a few weeks. Markers use the viewer's colours and sizes
//! ([`event_color`], [`marker_radius`]); markers that would overlap, or cover a place label of
//! the basemap, are drawn as a dot with numbered badges beside it, clear of the labels.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashSet};

use egui::{
    Align2, Color32, CornerRadius, FontFamily, FontId, Pos2, Rect, Shape, Stroke, Ui, Vec2,
    layers::ShapeIdx,
    text::{LayoutJob, TextFormat, TextWrapping},
};
use jiff::civil::Date;
use walkers::{Map, MapMemory, Projector, Tiles, lat_lon};

use super::compose::{self, Cell, Density, Style, Summary, Trend};
use crate::store::{EventType, Incident, LocationPrecision, Store};
use crate::view::annotations::{self, Ink};
use crate::view::markers::{event_color, is_statement, marker_radius};
use crate::view::query::{Bin, cluster_points};
use crate::workspace::annotations::Annotation;
use crate::workspace::filter::Filter;
use crate::workspace::shapes::Shapes;

/// The most incidents listed in the key, and so drawn as numbered markers.
pub const KEY_CAP: usize = 20;
/// The deadliest incidents named in a summary key, at most.
pub const DEADLIEST_CAP: usize = 8;

const MARGIN: f32 = 28.0;
const GAP: f32 = 20.0;
const HEADER_HEIGHT: f32 = 84.0;
const FOOTER_HEIGHT: f32 = 34.0;
const BADGE_RADIUS: f32 = 11.0;
const KEY_ROW_HEIGHT: f32 = 44.0;
const DEADLIEST_ROW_HEIGHT: f32 = 41.0;
const LEGEND_ROW_HEIGHT: f32 = 24.0;
const TREND_HEIGHT: f32 = 124.0;
/// Markers closer than this merge into one dot with a row of badges.
const OVERLAP_PX: f32 = 24.0;
/// The grid of aggregated symbols, in points.
const CELL: f32 = 64.0;
/// The grid of the density surface, in points.
const DENSITY_CELL: f32 = 4.0;

const FONT_NAME: &str = "briefing-NotoSans";

/// What the composition shows.
pub struct Composition<'a> {
    pub title: &'a str,
    pub filter: &'a Filter,
    pub store: &'a Store,
    /// Incidents the briefing shows (passing the filter, undated ones left out of a dated
    /// briefing), in store order.
    pub visible: &'a [usize],
    /// Undated incidents that passed the filter but were left out (the subtitle says so).
    pub undated_left_out: usize,
    /// The style asked for; `None` chooses by the number of incidents.
    pub style: Option<Style>,
    /// Area and line shapes for area and border incidents.
    pub shapes: &'a Shapes,
    pub created: Date,
    /// The analyst's marks, drawn over the incidents.
    pub annotations: &'a [Annotation],
    /// What the map shows, worked out on the first pass and kept for the next ones (the view
    /// does not change between passes; only tiles arrive).
    pub plan: RefCell<Option<Plan>>,
}

/// What the map shows for one view: the style, the incidents in view and what is drawn of
/// them.
pub struct Plan {
    clip: Rect,
    zoom: f64,
    pub style: Style,
    /// Incidents in view; in key order (by date) when they are numbered.
    pub in_view: Vec<usize>,
    /// Their positions on the screen, in the same order.
    points: Vec<(usize, Pos2)>,
    /// How many the key lists (markers).
    pub capacity: usize,
    pub summary: Summary,
    pub trend: Option<Trend>,
    cells: Vec<Cell>,
    density: Option<Density>,
    /// The subtitle, and where the incidents come from (worked out once, not at every pass).
    subtitle: String,
    credit: String,
}

/// The briefing's text face: Noto Sans, sturdier on a projected slide than egui's light
/// default, with Hack for the few symbols it lacks. The map keeps the viewer's fonts.
pub fn install_fonts(ctx: &egui::Context) {
    ctx.add_font(egui::FontInsert::new(
        FONT_NAME,
        egui::FontData::from_static(crate::view::style::NOTO_SANS),
        vec![egui::InsertFontFamily {
            family: family(),
            priority: egui::FontPriority::Highest,
        }],
    ));
    ctx.add_font(egui::FontInsert::new(
        "briefing-Hack",
        egui::FontData::from_static(epaint_default_fonts::HACK_REGULAR),
        vec![egui::InsertFontFamily {
            family: family(),
            priority: egui::FontPriority::Lowest,
        }],
    ));
}

fn family() -> FontFamily {
    FontFamily::Name("briefing".into())
}

fn font(size: f32) -> FontId {
    FontId::new(size, family())
}

/// Colours of the composition, from the egui theme in use.
struct Palette {
    background: Color32,
    panel: Color32,
    text: Color32,
    strong: Color32,
    weak: Color32,
    line: Color32,
    /// Around markers, so they stand out from the map.
    outline: Color32,
}

impl Palette {
    fn of(ui: &Ui) -> Self {
        let v = ui.visuals();
        if v.dark_mode {
            Self {
                background: Color32::from_rgb(22, 25, 30),
                panel: Color32::from_rgb(32, 36, 42),
                text: Color32::from_gray(215),
                strong: Color32::WHITE,
                weak: Color32::from_gray(150),
                line: Color32::from_gray(70),
                outline: Color32::from_gray(20),
            }
        } else {
            Self {
                background: Color32::WHITE,
                panel: Color32::from_rgb(244, 245, 247),
                text: Color32::from_gray(45),
                strong: Color32::from_gray(10),
                weak: Color32::from_gray(105),
                line: Color32::from_gray(200),
                outline: Color32::WHITE,
            }
        }
    }
}

/// What one drawing of the composition showed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Drawn {
    pub style: Style,
    /// Incidents on the map.
    pub in_view: usize,
    /// Incidents the key lists one by one.
    pub listed: usize,
}

/// Draws the whole composition into the `ui`'s rectangle.
pub fn draw(
    ui: &mut Ui,
    c: &Composition<'_>,
    tiles: &mut dyn Tiles,
    memory: &mut MapMemory,
    attribution: &str,
) -> Drawn {
    let full = ui.max_rect();
    let palette = Palette::of(ui);
    let painter = ui.painter().clone();
    painter.rect_filled(full, CornerRadius::ZERO, palette.background);

    let (map_rect, key_rect) = regions(full);

    let center = memory.detached().unwrap_or(lat_lon(0.0, 0.0));
    let mut map_ui = ui.new_child(egui::UiBuilder::new().max_rect(map_rect));
    // Area shapes reach far beyond the view; nothing drawn for the map leaves its frame.
    map_ui.set_clip_rect(map_rect);
    Map::new(Some(tiles), memory, center)
        .zoom_with_ctrl(false)
        .show(&mut map_ui, |ui, _response, projector, _memory| {
            let mut plan = c.plan.borrow_mut();
            let stale = plan
                .as_ref()
                .is_none_or(|p| p.clip != projector.clip_rect() || p.zoom != projector.zoom());
            if stale {
                *plan = Some(make_plan(projector, c, key_rect));
            }
            if let Some(plan) = plan.as_ref() {
                draw_map_contents(ui, projector, c, plan, &palette);
            }
        });
    painter.rect_stroke(
        map_rect,
        CornerRadius::ZERO,
        Stroke::new(1.0, palette.line),
        egui::StrokeKind::Outside,
    );

    let plan = c.plan.borrow();
    let Some(plan) = plan.as_ref() else {
        return Drawn {
            style: Style::Markers,
            in_view: 0,
            listed: 0,
        };
    };
    let listed = match plan.style {
        Style::Markers => draw_key_markers(&painter, key_rect, c.store, plan, &palette),
        Style::Aggregate | Style::Density => {
            draw_key_summary(&painter, key_rect, c.store, plan, &palette)
        }
    };
    draw_header(&painter, full, c, plan, &palette);
    draw_footer(
        &painter,
        full,
        &plan.credit,
        attribution,
        c.created,
        &palette,
    );
    Drawn {
        style: plan.style,
        in_view: plan.in_view.len(),
        listed,
    }
}

/// Where the map and the key go in the whole image.
fn regions(full: Rect) -> (Rect, Rect) {
    let body = Rect::from_min_max(
        full.min + Vec2::new(MARGIN, HEADER_HEIGHT),
        full.max - Vec2::new(MARGIN, FOOTER_HEIGHT),
    );
    let key_width = (full.width() * 0.25).clamp(250.0, 440.0);
    let map_rect = Rect::from_min_max(
        body.min,
        Pos2::new(body.max.x - key_width - GAP, body.max.y),
    );
    let key_rect = Rect::from_min_max(Pos2::new(map_rect.max.x + GAP, body.min.y), body.max);
    (map_rect, key_rect)
}

/// The map's size in points in a composition of `logical` points, for fitting views to it.
pub fn map_size(logical: Vec2) -> Vec2 {
    regions(Rect::from_min_size(Pos2::ZERO, logical)).0.size()
}

/// How many incidents a markers key lists in `key_rect`: the rows left under the legend of
/// `types` event types (and the trend inset, when there is one), at most [`KEY_CAP`].
fn key_capacity(key_rect: Rect, types: usize, trend: bool) -> usize {
    let trend = if trend { TREND_HEIGHT + 16.0 } else { 0.0 };
    let rows = ((key_rect.height() - legend_height(types) - 80.0 - trend) / KEY_ROW_HEIGHT).floor();
    (rows.max(1.0) as usize).min(KEY_CAP)
}

/// Works out what the map shows in this view: the incidents in view, the style, the key's
/// summary and trend, and the symbols or the surface. Linear in the incidents, plus one sort
/// of those in view when they are numbered.
fn make_plan(projector: &Projector, c: &Composition<'_>, key_rect: Rect) -> Plan {
    let clip = projector.clip_rect();
    let inner = clip.shrink(4.0);
    let mut points: Vec<(usize, Pos2)> = c
        .visible
        .iter()
        .filter_map(|&i| {
            let loc = &c.store.incidents.get(i)?.location;
            let pos = projector.project(lat_lon(loc.lat, loc.lon)).to_pos2();
            inner.contains(pos).then_some((i, pos))
        })
        .collect();
    let in_view: Vec<usize> = points.iter().map(|p| p.0).collect();
    let summary = compose::summarise(c.store, &in_view, DEADLIEST_CAP);
    let trend = compose::trend(c.store, &in_view);
    let types = summary.by_type.iter().filter(|&&n| n > 0).count();
    let capacity = key_capacity(key_rect, types, trend.is_some());
    let style = c.style.unwrap_or_else(|| {
        if in_view.len() <= capacity {
            Style::Markers
        } else {
            let occupied = compose::occupied_cells(&points, clip.min, CELL);
            log::debug!("{} incidents in view in {occupied} squares", in_view.len());
            compose::choose_style(in_view.len(), capacity, occupied)
        }
    });
    let mut cells = Vec::new();
    let mut density = None;
    match style {
        Style::Markers => {
            // Key order: by date, undated last, then as stored.
            points.sort_by_key(|&(i, _)| {
                let date = c.store.incidents.get(i).and_then(|inc| inc.date);
                (date.is_none(), date, i)
            });
        }
        Style::Aggregate => cells = compose::aggregate(c.store, &points, clip.min, CELL),
        Style::Density => density = Some(compose::density(&points, clip, DENSITY_CELL)),
    }
    let in_view: Vec<usize> = points.iter().map(|p| p.0).collect();
    let subtitle = subtitle(
        c.filter,
        c.store,
        &in_view,
        LeftOut {
            undated: c.undated_left_out,
            outside: c.visible.len().saturating_sub(in_view.len()),
        },
    );
    let credit = data_credit(c.store, &in_view);
    Plan {
        clip,
        zoom: projector.zoom(),
        style,
        in_view,
        subtitle,
        credit,
        points,
        capacity,
        summary,
        trend,
        cells,
        density,
    }
}

/// The place labels the basemap drew in `clip` (level ones: names of places and areas, not
/// those along rivers), by where they are in the layer's paint list.
fn basemap_labels(ui: &Ui, clip: Rect) -> Vec<(ShapeIdx, Rect)> {
    let level = |shape: &Shape| match shape {
        Shape::Text(text) => text.angle == 0.0,
        Shape::Vec(shapes) => {
            matches!(shapes.last(), Some(Shape::Text(text)) if text.angle == 0.0)
        }
        _ => false,
    };
    ui.ctx().graphics(|layers| {
        layers
            .get(ui.layer_id())
            .map(|list| {
                list.all_entries()
                    .enumerate()
                    .filter(|(_, clipped)| level(&clipped.shape))
                    .map(|(k, clipped)| (ShapeIdx(k), clipped.shape.visual_bounding_rect()))
                    .filter(|(_, rect)| rect.is_positive() && clip.intersects(*rect))
                    .collect()
            })
            .unwrap_or_default()
    })
}

/// Moves basemap labels to the top of the layer: painted again after what was drawn over them,
/// and removed from under it.
fn lift_labels(ui: &Ui, labels: &[(ShapeIdx, Rect)]) {
    let layer = ui.layer_id();
    ui.ctx().graphics_mut(|layers| {
        let Some(list) = layers.get_mut(layer) else {
            return;
        };
        let mut lifted = Vec::new();
        for (idx, _) in labels {
            list.mutate_shape(*idx, |clipped| {
                lifted.push((
                    clipped.clip_rect,
                    std::mem::replace(&mut clipped.shape, Shape::Noop),
                ));
            });
        }
        for (clip, shape) in lifted {
            list.add(clip, shape);
        }
    });
}

/// Removes basemap labels (a symbol that could not move off them takes their place).
fn hide_labels(ui: &Ui, labels: &[ShapeIdx]) {
    let layer = ui.layer_id();
    ui.ctx().graphics_mut(|layers| {
        if let Some(list) = layers.get_mut(layer) {
            for idx in labels {
                list.reset_shape(*idx);
            }
        }
    });
}

/// Draws the map's contents in layers: area tints, the analyst's lines and fills and the
/// density surface under the basemap's place names (lifted over them); the markers or symbols
/// over the names but clear of them; the analyst's words on top.
fn draw_map_contents(
    ui: &mut Ui,
    projector: &Projector,
    c: &Composition<'_>,
    plan: &Plan,
    palette: &Palette,
) {
    let clip = projector.clip_rect();
    let painter = ui.painter().with_clip_rect(clip);
    let north = north_arrow_rect(clip);
    let scale = scale_bar_rect(clip);
    let note_font = font(14.0);
    let ink = Ink::for_theme(ui.visuals().dark_mode);
    let numbered = &plan.in_view[..plan.in_view.len().min(plan.capacity)];
    match (plan.style, &plan.density) {
        (Style::Markers, _) => draw_areas(ui, projector, c.store, numbered, c.shapes),
        (Style::Density, Some(density)) => draw_density(&painter, density),
        _ => {}
    }
    annotations::draw_shapes(&painter, projector, c.annotations, None, ink);
    lift_labels(ui, &basemap_labels(ui, clip));
    let labels = basemap_labels(ui, clip);
    match plan.style {
        Style::Markers => {
            let mut taken: Vec<Rect> = vec![north, scale];
            taken.extend(labels.iter().map(|(_, r)| r.expand(1.0)));
            for a in c.annotations {
                taken.extend(annotations::footprint(&painter, projector, a, &note_font));
            }
            draw_markers(&painter, c.store, plan, &mut taken, clip, palette);
        }
        Style::Aggregate => {
            let mut hidden = Vec::new();
            draw_symbols(&painter, plan, &labels, &mut hidden, palette);
            hide_labels(ui, &hidden);
        }
        Style::Density => {}
    }
    annotations::draw_words(&painter, projector, c.annotations, None, ink, &note_font);
    draw_north_arrow(&painter, north, palette);
    draw_scale_bar(&painter, projector, scale, palette);
}

/// Numbered markers for the first `capacity` incidents in key order; the rest (a style asked
/// for beyond what the key lists) as small plain dots, one per pixel spot.
fn draw_markers(
    painter: &egui::Painter,
    store: &Store,
    plan: &Plan,
    taken: &mut Vec<Rect>,
    clip: Rect,
    palette: &Palette,
) {
    let count = plan.points.len().min(plan.capacity);
    let (numbered_points, rest) = plan.points.split_at(count);
    let mut spots = HashSet::new();
    for &(i, pos) in rest {
        if spots.insert((pos.x as i32 / 3, pos.y as i32 / 3))
            && let Some(incident) = store.incidents.get(i)
        {
            painter.circle(
                pos,
                3.5,
                event_color(incident.event_type),
                Stroke::new(1.0, palette.outline),
            );
        }
    }
    let number: BTreeMap<usize, usize> = numbered_points
        .iter()
        .enumerate()
        .map(|(n, &(i, _))| (i, n + 1))
        .collect();
    let clusters = cluster_points(numbered_points, OVERLAP_PX);
    // A marker that would cover a place label becomes a dot with its badge beside it.
    let covers_label = |cluster: &crate::view::query::Cluster| {
        let [only] = cluster.members.as_slice() else {
            return false;
        };
        let radius = single_radius(&store.incidents[*only]);
        let rect = Rect::from_center_size(cluster.center, Vec2::splat(2.0 * radius));
        taken.iter().any(|t| t.intersects(rect))
    };
    let (singles, groups): (Vec<_>, Vec<_>) = clusters
        .iter()
        .partition(|c| c.members.len() == 1 && !covers_label(c));
    for cluster in &clusters {
        let radius = match cluster.members.as_slice() {
            [only] if singles.iter().any(|s| s.members == cluster.members) => {
                single_radius(&store.incidents[*only])
            }
            _ => 5.0,
        };
        taken.push(Rect::from_center_size(
            cluster.center,
            Vec2::splat(2.0 * radius + 4.0),
        ));
    }
    for single in &singles {
        let only = single.members[0];
        let incident = &store.incidents[only];
        draw_badge(
            painter,
            single.center,
            single_radius(incident),
            incident,
            number.get(&only).copied(),
            palette,
        );
    }
    let mut groups = groups;
    groups.sort_by_key(|g| {
        g.members
            .iter()
            .filter_map(|m| number.get(m))
            .min()
            .copied()
            .unwrap_or(usize::MAX)
    });
    for group in groups {
        let mut members = group.members.clone();
        members.sort_by_key(|m| number.get(m).copied().unwrap_or(usize::MAX));
        draw_group(
            painter,
            group.center,
            &members,
            store,
            &number,
            taken,
            clip,
            palette,
        );
    }
}

/// The largest symbol's radius: it fits in its cell.
const SYMBOL_MAX_RADIUS: f32 = CELL / 2.0 - 3.0;
const SYMBOL_MIN_RADIUS: f32 = 6.0;

/// A symbol's radius: its area grows with the number of incidents, the largest filling its cell.
fn symbol_radius(total: u32, largest: u32) -> f32 {
    let share = (total as f32 / largest.max(1) as f32).sqrt();
    SYMBOL_MIN_RADIUS + (SYMBOL_MAX_RADIUS - SYMBOL_MIN_RADIUS) * share
}

/// A symbol per cell, inside its cell, moved within it off the basemap's labels where it can;
/// where it cannot, the labels under it are hidden (`hidden`) rather than covered.
fn draw_symbols(
    painter: &egui::Painter,
    plan: &Plan,
    labels: &[(ShapeIdx, Rect)],
    hidden: &mut Vec<ShapeIdx>,
    palette: &Palette,
) {
    let largest = plan.cells.iter().map(|c| c.total).max().unwrap_or(1);
    // The smaller symbols last, so that none hides under a larger one.
    let mut order: Vec<&Cell> = plan.cells.iter().collect();
    order.sort_by_key(|c| std::cmp::Reverse(c.total));
    for cell in order {
        let radius = symbol_radius(cell.total, largest);
        let room = cell.rect.shrink(radius + 1.0);
        let place = |p: Pos2| {
            if room.is_positive() {
                room.clamp(p)
            } else {
                cell.rect.center()
            }
        };
        let home = place(cell.centroid);
        let covered = |at: Pos2| -> Vec<ShapeIdx> {
            let rect = Rect::from_center_size(at, Vec2::splat(2.0 * radius + 2.0));
            labels
                .iter()
                .filter(|(_, r)| r.intersects(rect))
                .map(|(k, _)| *k)
                .collect()
        };
        let mut at = home;
        let mut under = covered(home);
        if !under.is_empty() {
            let candidates = [
                room.left_top(),
                room.right_top(),
                room.left_bottom(),
                room.right_bottom(),
                room.center_top(),
                room.center_bottom(),
                room.left_center(),
                room.right_center(),
            ];
            if let Some(free) = candidates
                .into_iter()
                .map(place)
                .filter(|p| covered(*p).is_empty())
                .min_by(|a, b| a.distance(home).total_cmp(&b.distance(home)))
            {
                at = free;
                under.clear();
            }
        }
        hidden.extend(under);
        draw_pie(painter, at, radius, &cell.counts, cell.total, palette);
    }
}

/// A circle cut into slices by event type, with the count inside when it fits.
fn draw_pie(
    painter: &egui::Painter,
    center: Pos2,
    radius: f32,
    counts: &[u32; 6],
    total: u32,
    palette: &Palette,
) {
    painter.circle_filled(center, radius + 2.0, palette.outline);
    let mut angle = -std::f32::consts::FRAC_PI_2;
    for (k, &n) in counts.iter().enumerate() {
        if n == 0 {
            continue;
        }
        let color = event_color(EventType::ALL[k]);
        if n == total {
            painter.circle_filled(center, radius, color);
            break;
        }
        let sweep = std::f32::consts::TAU * n as f32 / total.max(1) as f32;
        let steps = ((sweep / 0.12).ceil() as usize).max(2);
        let mut mesh = egui::Mesh::default();
        mesh.colored_vertex(center, color);
        for s in 0..=steps {
            let a = angle + sweep * s as f32 / steps as f32;
            mesh.colored_vertex(center + radius * Vec2::angled(a), color);
        }
        for s in 0..steps as u32 {
            mesh.add_triangle(0, s + 1, s + 2);
        }
        painter.add(Shape::mesh(mesh));
        angle += sweep;
    }
    if radius >= 11.0 {
        let label = compose::short_count(total);
        let size = if label.len() > 3 { 11.0 } else { 12.5 };
        // A disc in the middle keeps the number legible on any slice.
        painter.circle_filled(center, (radius * 0.6).max(9.5), palette.background);
        painter.text(
            center + Vec2::new(0.0, 0.5),
            Align2::CENTER_CENTER,
            label,
            font(size),
            palette.strong,
        );
    }
}

/// The density ramp: pale yellow to deep red, more opaque where denser.
fn density_color(share: f32) -> Color32 {
    let t = share.clamp(0.0, 1.0);
    let stops = [
        (255.0, 237.0, 160.0),
        (254.0, 178.0, 76.0),
        (240.0, 59.0, 32.0),
        (128.0, 0.0, 38.0),
    ];
    let x = t * (stops.len() - 1) as f32;
    let k = (x.floor() as usize).min(stops.len() - 2);
    let f = x - k as f32;
    let (a, b) = (stops[k], stops[k + 1]);
    let mix = |p: f32, q: f32| (p + (q - p) * f).round() as u8;
    let alpha = (0.45 + 0.45 * t) * 255.0;
    Color32::from_rgba_unmultiplied(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2), alpha as u8)
}

/// Where a smoothed value falls on the ramp: on a log scale, so that a few hot spots do not
/// wash out the rest.
fn density_share(value: f32, peak: f32) -> f32 {
    (value.ln_1p() / peak.max(1.0).ln_1p()).clamp(0.0, 1.0)
}

/// The surface as one mesh of the squares' centres, each coloured by its value, so that the
/// colours blend smoothly between them.
fn draw_density(painter: &egui::Painter, density: &Density) {
    let peak = density.values.iter().copied().fold(0.0f32, f32::max);
    let (columns, rows) = (density.columns, density.rows);
    let faint = 0.02 * peak.clamp(1.0, 50.0);
    let color = |x: usize, y: usize| {
        let value = density.values[y * columns + x];
        if value < faint {
            Color32::TRANSPARENT
        } else {
            density_color(density_share(value, peak))
        }
    };
    let centre = |x: usize, y: usize| {
        density.rect.min + (Vec2::new(x as f32, y as f32) + Vec2::splat(0.5)) * density.cell
    };
    let mut mesh = egui::Mesh::default();
    for y in 0..rows.saturating_sub(1) {
        for x in 0..columns.saturating_sub(1) {
            let corners = [(x, y), (x + 1, y), (x + 1, y + 1), (x, y + 1)];
            let colors = corners.map(|(cx, cy)| color(cx, cy));
            if colors.iter().all(|c| *c == Color32::TRANSPARENT) {
                continue;
            }
            let base = mesh.vertices.len() as u32;
            for ((cx, cy), c) in corners.into_iter().zip(colors) {
                mesh.colored_vertex(centre(cx, cy), c);
            }
            mesh.add_triangle(base, base + 1, base + 2);
            mesh.add_triangle(base, base + 2, base + 3);
        }
    }
    painter.add(Shape::mesh(mesh));
}

/// Tints the governorates of area incidents and draws the border line of border incidents,
/// in the viewer's colours, each shape once.
/// The area and border shapes a briefing draws, each with the incident that styles it: an
/// event on the ground before a statement about the area, so that a region is tinted only
/// where something happened in it.
fn areas_to_draw<'s>(store: &'s Store, shown: &[usize]) -> BTreeMap<&'s str, &'s Incident> {
    let mut by_area: BTreeMap<&str, &Incident> = BTreeMap::new();
    for incident in shown.iter().filter_map(|&i| store.incidents.get(i)) {
        if incident.location.precision == LocationPrecision::Point {
            continue;
        }
        let Some(id) = incident.location.gazetteer_id.as_deref() else {
            continue;
        };
        let kept = by_area.entry(id).or_insert(incident);
        if is_statement(kept) && !is_statement(incident) {
            *kept = incident;
        }
    }
    by_area
}

fn draw_areas(ui: &Ui, projector: &Projector, store: &Store, shown: &[usize], shapes: &Shapes) {
    let painter = ui.painter();
    for (id, incident) in areas_to_draw(store, shown) {
        let Some(geometry) = shapes.get(id) else {
            continue;
        };
        let color = event_color(incident.event_type);
        // A statement gets an outline only, as in the viewer.
        let (fill, stroke) = if is_statement(incident) {
            (
                Color32::TRANSPARENT,
                Stroke::new(1.2, color.gamma_multiply(0.6)),
            )
        } else {
            (
                color.gamma_multiply(0.12),
                Stroke::new(1.8, color.gamma_multiply(0.8)),
            )
        };
        let project = |c: &geo::Coord<f64>| projector.project(lat_lon(c.y, c.x)).to_pos2();
        let ring =
            |ring: &geo::LineString<f64>| -> Vec<Pos2> { ring.coords().map(project).collect() };
        let polygon = |p: &geo::Polygon<f64>| {
            if let Some(mesh) = fill_mesh(p, &project, fill) {
                painter.add(Shape::mesh(mesh));
            }
            painter.add(Shape::closed_line(ring(p.exterior()), stroke));
        };
        let line = |l: &geo::LineString<f64>| {
            painter.add(Shape::line(
                ring(l),
                Stroke::new(stroke.width + 3.0, stroke.color),
            ));
        };
        match geometry {
            geo::Geometry::Polygon(p) => polygon(p),
            geo::Geometry::MultiPolygon(mp) => mp.iter().for_each(polygon),
            geo::Geometry::LineString(l) => line(l),
            geo::Geometry::MultiLineString(ls) => ls.iter().for_each(line),
            _ => {}
        }
    }
}

/// Triangulates a polygon (with holes) into a mesh of one colour: egui fills convex paths only.
fn fill_mesh(
    polygon: &geo::Polygon<f64>,
    project: &dyn Fn(&geo::Coord<f64>) -> Pos2,
    color: Color32,
) -> Option<egui::Mesh> {
    use geo::TriangulateEarcut;
    let triangles = polygon.earcut_triangles_raw();
    if triangles.triangle_indices.is_empty() {
        return None;
    }
    let mut mesh = egui::Mesh::default();
    for xy in &triangles.vertices {
        mesh.colored_vertex(project(&geo::coord! { x: xy[0], y: xy[1] }), color);
    }
    for tri in triangles.triangle_indices.chunks_exact(3) {
        mesh.add_triangle(tri[0] as u32, tri[1] as u32, tri[2] as u32);
    }
    Some(mesh)
}

fn single_radius(incident: &Incident) -> f32 {
    marker_radius(incident.fatalities).max(BADGE_RADIUS)
}

/// One marker: solid for an exact place, a ring for an area or border (as in the viewer),
/// with its key number inside.
fn draw_badge(
    painter: &egui::Painter,
    center: Pos2,
    radius: f32,
    incident: &Incident,
    number: Option<usize>,
    palette: &Palette,
) {
    let color = event_color(incident.event_type);
    let point = incident.location.precision == LocationPrecision::Point;
    let Some(number) = number else {
        // Past the key's capacity: a small plain marker.
        painter.circle(center, 5.0, color, Stroke::new(1.5, palette.outline));
        return;
    };
    if point {
        painter.circle(center, radius, color, Stroke::new(2.0, palette.outline));
    } else {
        painter.circle_filled(center, radius + 1.5, palette.outline);
        painter.circle(
            center,
            radius - 1.5,
            palette.background,
            Stroke::new(3.5, color),
        );
    }
    let text_color = if point {
        Color32::WHITE
    } else {
        palette.strong
    };
    painter.text(
        center + Vec2::new(0.0, 0.5),
        Align2::CENTER_CENTER,
        number.to_string(),
        font(if number >= 10 { 11.5 } else { 13.0 }),
        text_color,
    );
}

/// Markers at one spot: a dot on the place and a row of numbered badges beside it, joined by
/// a leader line, where it covers nothing else.
#[allow(clippy::too_many_arguments)]
fn draw_group(
    painter: &egui::Painter,
    at: Pos2,
    members: &[usize],
    store: &Store,
    number: &BTreeMap<usize, usize>,
    taken: &mut Vec<Rect>,
    clip: Rect,
    palette: &Palette,
) {
    const PER_ROW: usize = 6;
    const PAD: f32 = 4.0;
    const STEP: f32 = 2.0 * BADGE_RADIUS + 3.0;
    let columns = members.len().min(PER_ROW);
    let rows = members.len().div_ceil(PER_ROW);
    let size = Vec2::new(
        columns as f32 * STEP - 3.0 + 2.0 * PAD,
        rows as f32 * STEP - 3.0 + 2.0 * PAD,
    );
    // Around the spot, nearest first: right, left, above, below and the corners, then the
    // same further out, so that a crowded spot still finds room clear of labels.
    let mut candidates = Vec::new();
    for offset in [16.0, 40.0, 72.0, 110.0] {
        candidates.extend([
            Pos2::new(at.x + offset, at.y - size.y / 2.0),
            Pos2::new(at.x - offset - size.x, at.y - size.y / 2.0),
            Pos2::new(at.x - size.x / 2.0, at.y - offset - size.y),
            Pos2::new(at.x - size.x / 2.0, at.y + offset),
            Pos2::new(at.x + offset, at.y - offset - size.y),
            Pos2::new(at.x + offset, at.y + offset),
            Pos2::new(at.x - offset - size.x, at.y - offset - size.y),
            Pos2::new(at.x - offset - size.x, at.y + offset),
        ]);
    }
    let inside = |rect: &Rect| clip.shrink(2.0).contains_rect(*rect);
    // The first free place; failing that, the one covering the least.
    let covered = |rect: &Rect| -> f32 {
        taken
            .iter()
            .map(|t| t.intersect(*rect))
            .filter(|r| r.is_positive())
            .map(|r| r.area())
            .sum()
    };
    let rect = candidates
        .iter()
        .map(|min| Rect::from_min_size(*min, size))
        .filter(inside)
        .min_by(|a, b| covered(a).total_cmp(&covered(b)))
        .unwrap_or_else(|| Rect::from_min_size(candidates[0], size));
    taken.push(rect.expand(2.0));

    let joint = Pos2::new(
        at.x.clamp(rect.left(), rect.right()),
        at.y.clamp(rect.top(), rect.bottom()),
    );
    painter.line_segment([at, joint], Stroke::new(3.5, palette.outline));
    painter.line_segment([at, joint], Stroke::new(1.5, palette.strong));
    painter.rect(
        rect,
        CornerRadius::same(13),
        palette.background.gamma_multiply(0.94),
        Stroke::new(1.0, palette.line),
        egui::StrokeKind::Inside,
    );
    painter.circle(at, 4.5, palette.strong, Stroke::new(2.0, palette.outline));
    for (k, &member) in members.iter().enumerate() {
        let (row, column) = (k / PER_ROW, k % PER_ROW);
        let center = rect.min
            + Vec2::new(
                PAD + BADGE_RADIUS + column as f32 * STEP,
                PAD + BADGE_RADIUS + row as f32 * STEP,
            );
        draw_badge(
            painter,
            center,
            BADGE_RADIUS,
            &store.incidents[member],
            number.get(&member).copied(),
            palette,
        );
    }
}

fn north_arrow_rect(map: Rect) -> Rect {
    Rect::from_min_size(
        Pos2::new(map.right() - 14.0 - 40.0, map.top() + 14.0),
        Vec2::new(40.0, 60.0),
    )
}

fn draw_north_arrow(painter: &egui::Painter, rect: Rect, palette: &Palette) {
    painter.rect_filled(
        rect,
        CornerRadius::same(6),
        palette.background.gamma_multiply(0.88),
    );
    let cx = rect.center().x;
    painter.text(
        Pos2::new(cx, rect.top() + 13.0),
        Align2::CENTER_CENTER,
        "N",
        font(15.0),
        palette.strong,
    );
    let tip = Pos2::new(cx, rect.top() + 25.0);
    let notch = Pos2::new(cx, rect.bottom() - 15.0);
    let left = Pos2::new(cx - 10.0, rect.bottom() - 7.0);
    let right = Pos2::new(cx + 10.0, rect.bottom() - 7.0);
    painter.add(Shape::convex_polygon(
        vec![tip, notch, left],
        palette.strong,
        Stroke::NONE,
    ));
    painter.add(Shape::convex_polygon(
        vec![tip, right, notch],
        palette.weak,
        Stroke::NONE,
    ));
}

fn scale_bar_rect(map: Rect) -> Rect {
    Rect::from_min_size(
        Pos2::new(map.left() + 14.0, map.bottom() - 14.0 - 44.0),
        Vec2::new(190.0, 44.0),
    )
}

/// The longest "nice" distance (1, 2 or 5 × 10ⁿ metres) not over `max_metres`.
pub fn nice_distance(max_metres: f64) -> f64 {
    if !(max_metres.is_finite() && max_metres > 0.0) {
        return 0.0;
    }
    let power = 10f64.powf(max_metres.log10().floor());
    [5.0, 2.0, 1.0]
        .into_iter()
        .map(|m| m * power)
        .find(|d| *d <= max_metres * (1.0 + 1e-9))
        .unwrap_or(power)
}

/// "50 km", "2 km", "500 m".
pub fn distance_label(metres: f64) -> String {
    if metres >= 1000.0 {
        format!("{} km", (metres / 1000.0).round())
    } else {
        format!("{} m", metres.round())
    }
}

/// Web Mercator scale at a latitude and zoom, in metres per logical point (walkers draws the
/// world 256 points wide at zoom 0).
pub fn metres_per_point(lat: f64, zoom: f64) -> f64 {
    const EARTH_CIRCUMFERENCE: f64 = 40_075_016.686;
    EARTH_CIRCUMFERENCE * lat.to_radians().cos() / (256.0 * 2f64.powf(zoom))
}

fn draw_scale_bar(painter: &egui::Painter, projector: &Projector, rect: Rect, palette: &Palette) {
    let center = projector.unproject(projector.clip_rect().center().to_vec2());
    let per_point = metres_per_point(center.y(), projector.zoom());
    let max_length = rect.width() - 24.0;
    let metres = nice_distance(per_point * f64::from(max_length));
    if metres <= 0.0 {
        return;
    }
    let length = (metres / per_point) as f32;
    painter.rect_filled(
        Rect::from_min_size(rect.min, Vec2::new(length + 24.0, rect.height())),
        CornerRadius::same(6),
        palette.background.gamma_multiply(0.88),
    );
    let left = rect.left() + 12.0;
    let y = rect.bottom() - 12.0;
    painter.text(
        Pos2::new(left, rect.top() + 8.0),
        Align2::LEFT_TOP,
        distance_label(metres),
        font(14.0),
        palette.strong,
    );
    let half = length / 2.0;
    painter.rect_filled(
        Rect::from_min_size(Pos2::new(left, y - 3.0), Vec2::new(half, 6.0)),
        CornerRadius::ZERO,
        palette.strong,
    );
    painter.rect_filled(
        Rect::from_min_size(Pos2::new(left + half, y - 3.0), Vec2::new(half, 6.0)),
        CornerRadius::ZERO,
        palette.background,
    );
    painter.rect_stroke(
        Rect::from_min_size(Pos2::new(left, y - 3.0), Vec2::new(length, 6.0)),
        CornerRadius::ZERO,
        Stroke::new(1.0, palette.strong),
        egui::StrokeKind::Middle,
    );
}

fn legend_height(types: usize) -> f32 {
    30.0 + types.max(1) as f32 * LEGEND_ROW_HEIGHT + 34.0
}

/// A heading in the key; returns the height it took.
fn key_heading(painter: &egui::Painter, at: Pos2, text: &str, palette: &Palette) -> f32 {
    painter.text(at, Align2::LEFT_TOP, text, font(16.0), palette.strong);
    30.0
}

fn key_rule(painter: &egui::Painter, inner: Rect, y: f32, palette: &Palette) {
    painter.line_segment(
        [Pos2::new(inner.left(), y), Pos2::new(inner.right(), y)],
        Stroke::new(1.0, palette.line),
    );
}

/// One incident in the key, two lines: "date · place", then what happened. The date, the place
/// and the toll stay whole; the actors are cut first when the line is too long.
fn first_line(incident: &Incident) -> String {
    format!("{} · {}", incident.date_label(), incident.location.name)
}

/// The size of the key's first lines: the largest at which every one of them fits, so that a
/// long place name takes a smaller size (the same in every row) before it is ever cut.
fn first_line_size<'a>(
    painter: &egui::Painter,
    incidents: impl Iterator<Item = &'a Incident>,
    width: f32,
) -> f32 {
    let widest = incidents
        .map(|i| {
            painter
                .layout_no_wrap(first_line(i), font(14.5), Color32::WHITE)
                .size()
                .x
        })
        .fold(0.0f32, f32::max);
    [14.5f32, 13.5, 12.5]
        .into_iter()
        .find(|size| widest * size / 14.5 <= width)
        .unwrap_or(12.5)
}

fn draw_key_lines(
    painter: &egui::Painter,
    at: Pos2,
    width: f32,
    size: f32,
    incident: &Incident,
    palette: &Palette,
) {
    let first = first_line(incident);
    let galley = painter.layout_job(one_line(&first, font(size), palette.strong, width));
    painter.galley(at, galley, palette.strong);
    let (what, toll) = what_and_toll(incident);
    let y = at.y + 20.0;
    let toll_width = match &toll {
        Some(toll) => {
            let galley = painter.layout_no_wrap(toll.clone(), font(13.5), palette.text);
            galley.size().x
        }
        None => 0.0,
    };
    let galley = painter.layout_job(one_line(
        &what,
        font(13.5),
        palette.text,
        (width - toll_width).max(40.0),
    ));
    let what_width = galley.size().x;
    painter.galley(Pos2::new(at.x, y), galley, palette.text);
    if let Some(toll) = toll {
        painter.text(
            Pos2::new(at.x + what_width, y),
            Align2::LEFT_TOP,
            toll,
            font(13.5),
            palette.text,
        );
    }
}

/// How to read a marker: solid, ring, size.
fn marker_sample_row(painter: &egui::Painter, inner: Rect, y: f32, palette: &Palette) {
    let x = inner.left();
    let sample = Color32::from_gray(120);
    painter.circle(Pos2::new(x + 6.0, y + 12.0), 6.0, sample, Stroke::NONE);
    let after = painter.text(
        Pos2::new(x + 17.0, y + 4.0),
        Align2::LEFT_TOP,
        "exact place",
        font(13.0),
        palette.weak,
    );
    let ring_x = after.right() + 18.0;
    painter.circle_stroke(Pos2::new(ring_x, y + 12.0), 5.0, Stroke::new(2.5, sample));
    let after = painter.text(
        Pos2::new(ring_x + 11.0, y + 4.0),
        Align2::LEFT_TOP,
        "area or border",
        font(13.0),
        palette.weak,
    );
    if after.right() + 120.0 < inner.right() {
        painter.text(
            Pos2::new(after.right() + 18.0, y + 4.0),
            Align2::LEFT_TOP,
            "size: fatalities",
            font(13.0),
            palette.weak,
        );
    }
}

/// The key of numbered markers: event types shown, then the numbered incidents, then the
/// trend. Returns how many incidents it lists.
fn draw_key_markers(
    painter: &egui::Painter,
    rect: Rect,
    store: &Store,
    plan: &Plan,
    palette: &Palette,
) -> usize {
    painter.rect_filled(rect, CornerRadius::same(8), palette.panel);
    let inner = rect.shrink2(Vec2::new(16.0, 14.0));
    let width = inner.width();
    let mut y = inner.top();
    y += key_heading(painter, Pos2::new(inner.left(), y), "Event types", palette);
    if plan.summary.total == 0 {
        painter.text(
            Pos2::new(inner.left(), y),
            Align2::LEFT_TOP,
            "none in view",
            font(14.0),
            palette.weak,
        );
        y += LEGEND_ROW_HEIGHT;
    }
    for (k, event_type) in EventType::ALL.into_iter().enumerate() {
        let n = plan.summary.by_type[k];
        if n == 0 {
            continue;
        }
        painter.circle(
            Pos2::new(inner.left() + 8.0, y + 9.0),
            7.0,
            event_color(event_type),
            Stroke::new(1.5, palette.outline),
        );
        painter.text(
            Pos2::new(inner.left() + 24.0, y),
            Align2::LEFT_TOP,
            format!("{event_type} ({n})"),
            font(14.5),
            palette.text,
        );
        y += LEGEND_ROW_HEIGHT;
    }
    marker_sample_row(painter, inner, y, palette);
    y += 34.0;
    key_rule(painter, inner, y - 6.0, palette);
    y += 8.0;
    y += key_heading(painter, Pos2::new(inner.left(), y), "Incidents", palette) + 2.0;
    if plan.in_view.is_empty() {
        let galley = painter.layout(
            "No incidents match the filters in this area.".to_owned(),
            font(14.5),
            palette.weak,
            width,
        );
        painter.galley(Pos2::new(inner.left(), y), galley, palette.weak);
        return 0;
    }
    let text_left = inner.left() + 2.0 * BADGE_RADIUS + 10.0;
    let text_width = inner.right() - text_left;
    let listed = plan.in_view.len().min(plan.capacity);
    let size = first_line_size(
        painter,
        plan.in_view
            .iter()
            .take(listed)
            .map(|&i| &store.incidents[i]),
        text_width,
    );
    for (k, &i) in plan.in_view.iter().take(listed).enumerate() {
        let incident = &store.incidents[i];
        draw_badge(
            painter,
            Pos2::new(inner.left() + BADGE_RADIUS, y + BADGE_RADIUS + 2.0),
            BADGE_RADIUS,
            incident,
            Some(k + 1),
            palette,
        );
        draw_key_lines(
            painter,
            Pos2::new(text_left, y),
            text_width,
            size,
            incident,
            palette,
        );
        y += KEY_ROW_HEIGHT;
    }
    if plan.in_view.len() > listed {
        painter.text(
            Pos2::new(inner.left(), y + 2.0),
            Align2::LEFT_TOP,
            format!(
                "+{} more on the map, not listed",
                compose::thousands((plan.in_view.len() - listed) as u64)
            ),
            font(14.0),
            palette.weak,
        );
    }
    if let Some(trend) = &plan.trend {
        let area = Rect::from_min_max(
            Pos2::new(inner.left(), inner.bottom() - TREND_HEIGHT),
            inner.max,
        );
        draw_trend(painter, area, trend, palette);
    }
    listed
}

/// The key of many incidents: totals by type with their fatalities, how to read the map, the
/// deadliest incidents by name and the trend. Returns how many incidents it names.
fn draw_key_summary(
    painter: &egui::Painter,
    rect: Rect,
    store: &Store,
    plan: &Plan,
    palette: &Palette,
) -> usize {
    painter.rect_filled(rect, CornerRadius::same(8), palette.panel);
    let inner = rect.shrink2(Vec2::new(16.0, 14.0));
    let width = inner.width();
    let summary = &plan.summary;
    let mut y = inner.top();
    y += key_heading(painter, Pos2::new(inner.left(), y), "Summary", palette);
    let mut totals = format!("{} incidents", compose::thousands(summary.total as u64));
    totals.push_str(&format!(" · {} killed", compose::thousands(summary.killed)));
    painter.text(
        Pos2::new(inner.left(), y),
        Align2::LEFT_TOP,
        totals,
        font(15.0),
        palette.strong,
    );
    y += 22.0;
    if summary.toll_unknown > 0 {
        painter.text(
            Pos2::new(inner.left(), y),
            Align2::LEFT_TOP,
            format!(
                "no death toll reported for {}",
                compose::thousands(summary.toll_unknown as u64)
            ),
            font(13.0),
            palette.weak,
        );
        y += 20.0;
    }
    y += 6.0;
    // By type: the count and the killed, in columns on the right (on a line of their own
    // under a name too long to share one with them).
    // A narrow key gives the killed by type no column of their own: the total says them.
    let with_killed = width >= 360.0;
    let killed_right = inner.right();
    let count_right = if with_killed {
        inner.right() - 78.0
    } else {
        inner.right()
    };
    painter.text(
        Pos2::new(count_right, y),
        Align2::RIGHT_TOP,
        "incidents",
        font(12.5),
        palette.weak,
    );
    if with_killed {
        painter.text(
            Pos2::new(killed_right, y),
            Align2::RIGHT_TOP,
            "killed",
            font(12.5),
            palette.weak,
        );
    }
    y += 20.0;
    for (k, event_type) in EventType::ALL.into_iter().enumerate() {
        let n = summary.by_type[k];
        if n == 0 {
            continue;
        }
        painter.circle(
            Pos2::new(inner.left() + 8.0, y + 9.0),
            7.0,
            event_color(event_type),
            Stroke::new(1.5, palette.outline),
        );
        let galley = painter.layout_job(one_line(
            event_type.as_str(),
            font(14.0),
            palette.text,
            width - 24.0,
        ));
        let name_right = inner.left() + 24.0 + galley.size().x;
        painter.galley(Pos2::new(inner.left() + 24.0, y), galley, palette.text);
        let count = compose::thousands(n as u64);
        let count_width = painter
            .layout_no_wrap(count.clone(), font(14.0), palette.text)
            .size()
            .x;
        if name_right + 12.0 > count_right - count_width {
            y += 19.0;
        }
        painter.text(
            Pos2::new(count_right, y),
            Align2::RIGHT_TOP,
            count,
            font(14.0),
            palette.text,
        );
        if with_killed {
            painter.text(
                Pos2::new(killed_right, y),
                Align2::RIGHT_TOP,
                compose::thousands(summary.killed_by_type[k]),
                font(14.0),
                palette.text,
            );
        }
        y += LEGEND_ROW_HEIGHT;
    }
    y += 4.0;
    // How to read the map.
    match (plan.style, &plan.density) {
        (Style::Density, Some(density)) => {
            let bar = Rect::from_min_size(Pos2::new(inner.left(), y + 4.0), Vec2::new(150.0, 12.0));
            let steps = 30;
            for s in 0..steps {
                let t = s as f32 / (steps - 1) as f32;
                let x = bar.left() + bar.width() * s as f32 / steps as f32;
                painter.rect_filled(
                    Rect::from_min_size(
                        Pos2::new(x, bar.top()),
                        Vec2::new(bar.width() / steps as f32 + 0.5, bar.height()),
                    ),
                    CornerRadius::ZERO,
                    density_color(t),
                );
            }
            let galley = painter.layout(
                format!(
                    "incidents nearby, from a few to {} per {DENSITY_CELL:.0}-point spot (log scale)",
                    compose::thousands(u64::from(density.peak))
                ),
                font(12.5),
                palette.weak,
                width,
            );
            let height = galley.size().y;
            painter.galley(Pos2::new(inner.left(), y + 22.0), galley, palette.weak);
            y += 30.0 + height;
        }
        _ => {
            let largest = plan.cells.iter().map(|c| c.total).max().unwrap_or(1);
            let sample = Pos2::new(inner.left() + 12.0, y + 12.0);
            painter.circle(
                sample,
                11.0,
                Color32::from_gray(140),
                Stroke::new(1.5, palette.outline),
            );
            let galley = painter.layout(
                format!(
                    "incidents nearby: area by number (largest {}), slices by type",
                    compose::thousands(u64::from(largest))
                ),
                font(12.5),
                palette.weak,
                width - 30.0,
            );
            let height = galley.size().y;
            painter.galley(
                Pos2::new(inner.left() + 30.0, y + 3.0),
                galley,
                palette.weak,
            );
            y += (height + 10.0).max(30.0);
        }
    }
    key_rule(painter, inner, y, palette);
    y += 10.0;
    let trend_top = if plan.trend.is_some() {
        inner.bottom() - TREND_HEIGHT
    } else {
        inner.bottom()
    };
    let mut named = 0;
    if !summary.deadliest.is_empty() {
        y += key_heading(painter, Pos2::new(inner.left(), y), "Deadliest", palette) - 4.0;
        let text_left = inner.left() + 20.0;
        let size = first_line_size(
            painter,
            summary.deadliest.iter().map(|&i| &store.incidents[i]),
            width - 20.0,
        );
        for &i in &summary.deadliest {
            if y + DEADLIEST_ROW_HEIGHT > trend_top - 4.0 {
                break;
            }
            let incident = &store.incidents[i];
            painter.circle(
                Pos2::new(inner.left() + 6.0, y + 10.0),
                6.0,
                event_color(incident.event_type),
                Stroke::new(1.5, palette.outline),
            );
            draw_key_lines(
                painter,
                Pos2::new(text_left, y),
                width - 20.0,
                size,
                incident,
                palette,
            );
            y += DEADLIEST_ROW_HEIGHT;
            named += 1;
        }
    }
    if let Some(trend) = &plan.trend {
        let area = Rect::from_min_max(Pos2::new(inner.left(), trend_top), inner.max);
        draw_trend(painter, area, trend, palette);
    }
    named
}

/// Incidents per day, week or month, stacked by type, with the peak and the first and last
/// dates.
fn draw_trend(painter: &egui::Painter, area: Rect, trend: &Trend, palette: &Palette) {
    let per = match trend.bin {
        Bin::Day => "day",
        Bin::Week => "week",
        Bin::Month => "month",
    };
    painter.line_segment(
        [area.left_top(), area.right_top()],
        Stroke::new(1.0, palette.line),
    );
    painter.text(
        area.left_top() + Vec2::new(0.0, 8.0),
        Align2::LEFT_TOP,
        format!("Incidents per {per}"),
        font(14.5),
        palette.strong,
    );
    let peak = trend.peak().max(1);
    let chart = Rect::from_min_max(
        area.left_top() + Vec2::new(0.0, 34.0),
        area.right_bottom() - Vec2::new(0.0, 20.0),
    );
    painter.text(
        area.right_top() + Vec2::new(0.0, 10.0),
        Align2::RIGHT_TOP,
        format!("peak {}", compose::thousands(u64::from(peak))),
        font(12.5),
        palette.weak,
    );
    let n = trend.bars.len().max(1) as f32;
    let step = chart.width() / n;
    let gap = if step >= 4.0 { 1.0 } else { 0.0 };
    let mut mesh = egui::Mesh::default();
    for (k, (_, counts)) in trend.bars.iter().enumerate() {
        let x = chart.left() + k as f32 * step;
        let mut base = chart.bottom();
        for (t, &count) in counts.iter().enumerate() {
            if count == 0 {
                continue;
            }
            let h = chart.height() * count as f32 / peak as f32;
            let bar = Rect::from_min_max(
                Pos2::new(x, base - h),
                Pos2::new(x + (step - gap).max(0.6), base),
            );
            mesh.add_colored_rect(bar, event_color(EventType::ALL[t]));
            base -= h;
        }
    }
    painter.add(Shape::mesh(mesh));
    painter.line_segment(
        [chart.left_bottom(), chart.right_bottom()],
        Stroke::new(1.0, palette.weak),
    );
    if let (Some(first), Some(last)) = (trend.bars.first(), trend.bars.last()) {
        painter.text(
            chart.left_bottom() + Vec2::new(0.0, 4.0),
            Align2::LEFT_TOP,
            first.0.to_string(),
            font(12.0),
            palette.weak,
        );
        painter.text(
            chart.right_bottom() + Vec2::new(0.0, 4.0),
            Align2::RIGHT_TOP,
            last.0.to_string(),
            font(12.0),
            palette.weak,
        );
    }
}

/// Text cut to one line with an ellipsis.
fn one_line(text: &str, font: FontId, color: Color32, width: f32) -> LayoutJob {
    let mut job = LayoutJob::single_section(text.to_owned(), TextFormat::simple(font, color));
    job.wrap = TextWrapping {
        max_width: width,
        max_rows: 1,
        break_anywhere: true,
        overflow_character: Some('…'),
    };
    job
}

/// What happened, for the key: the sub-event type and who, and apart (so that it is never
/// cut) how many were killed.
pub fn what_and_toll(incident: &Incident) -> (String, Option<String>) {
    let mut text = incident.sub_event_type.to_string();
    if !incident.actors.is_empty() {
        text.push_str(": ");
        text.push_str(&incident.actors.join(", "));
    }
    let toll = incident
        .fatalities
        .filter(|&n| n > 0)
        .map(|killed| format!(" · {} killed", compose::thousands(u64::from(killed))));
    (text, toll)
}

/// What passed the filters but is not in the image.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LeftOut {
    /// Undated incidents left out of a dated briefing.
    pub undated: usize,
    /// Incidents outside the map's view (far outliers of a fitted view, or beyond an area).
    pub outside: usize,
}

/// The subtitle: date range, filters, how many incidents are shown and what was left out.
pub fn subtitle(filter: &Filter, store: &Store, shown: &[usize], left_out: LeftOut) -> String {
    let dates: Vec<Date> = shown
        .iter()
        .filter_map(|&i| store.incidents.get(i).and_then(|inc| inc.date))
        .collect();
    let first = filter.from.or_else(|| dates.iter().min().copied());
    let last = filter.to.or_else(|| dates.iter().max().copied());
    let range = match (first, last) {
        (Some(a), Some(b)) if a == b => a.to_string(),
        (Some(a), Some(b)) => format!("{a} to {b}"),
        (Some(a), None) => format!("from {a}"),
        (None, Some(b)) => format!("until {b}"),
        (None, None) => "dates unknown".to_owned(),
    };
    // The dates are said before, and how many are undated after.
    let others = Filter {
        from: None,
        to: None,
        undated: Default::default(),
        ..filter.clone()
    };
    let filters = if others.is_default() {
        "no filters".to_owned()
    } else {
        format!("filters: {}", others.describe())
    };
    if shown.is_empty() {
        let when = match (filter.from, filter.to) {
            (None, None) => String::new(),
            _ => format!("{range} · "),
        };
        return format!("{when}{filters} · no incidents in this area");
    }
    let undated = shown.len() - dates.len();
    let count = match (shown.len(), undated) {
        (1, _) => "1 incident".to_owned(),
        (n, 0) => format!("{} incidents", compose::thousands(n as u64)),
        (n, u) if u == n => format!("{} incidents, all undated", compose::thousands(n as u64)),
        (n, u) => format!(
            "{} incidents, {} of them undated",
            compose::thousands(n as u64),
            compose::thousands(u as u64)
        ),
    };
    let mut text = format!("{range} · {filters} · {count}");
    if left_out.undated > 0 {
        text.push_str(&format!(
            " · {} undated left out",
            compose::thousands(left_out.undated as u64)
        ));
    }
    if left_out.outside > 0 {
        text.push_str(&format!(
            " · {} outside the map",
            compose::thousands(left_out.outside as u64)
        ));
    }
    text
}

fn draw_header(
    painter: &egui::Painter,
    full: Rect,
    c: &Composition<'_>,
    plan: &Plan,
    palette: &Palette,
) {
    let width = full.width() - 2.0 * MARGIN;
    let title = if c.title.trim().is_empty() {
        super::BriefingSpec::DEFAULT_TITLE
    } else {
        c.title.trim()
    };
    let galley = painter.layout_job(one_line(title, font(30.0), palette.strong, width));
    painter.galley(Pos2::new(MARGIN, 14.0), galley, palette.strong);
    let galley = painter.layout_job(one_line(&plan.subtitle, font(16.0), palette.weak, width));
    painter.galley(Pos2::new(MARGIN, 54.0), galley, palette.weak);
}

/// Where the incidents shown come from, as a briefing credits it: each dataset they were
/// imported from with its count of events ("ACLED (496 events)"), and the news reports the
/// others were coded from. Empty when nothing is shown.
pub fn data_credit(store: &Store, shown: &[usize]) -> String {
    let mut datasets: std::collections::BTreeMap<&str, usize> = Default::default();
    let mut articles: BTreeSet<&str> = BTreeSet::new();
    for incident in shown.iter().filter_map(|&i| store.incidents.get(i)) {
        match &incident.coded {
            Some(coded) if !coded.dataset.is_empty() => {
                *datasets.entry(coded.dataset.as_str()).or_default() += 1;
            }
            _ => articles.extend(incident.sources.iter().map(|s| s.article.as_str())),
        }
    }
    let mut parts: Vec<String> = datasets
        .iter()
        .map(|(name, n)| {
            format!(
                "{name} ({} {})",
                crate::files::thousands(*n),
                if *n == 1 { "event" } else { "events" }
            )
        })
        .collect();
    match articles.len() {
        0 => {}
        1 => parts.push("coded from 1 news report".to_owned()),
        n => parts.push(format!(
            "coded from {} news reports",
            crate::files::thousands(n)
        )),
    }
    parts.join("; ")
}

fn draw_footer(
    painter: &egui::Painter,
    full: Rect,
    credit: &str,
    attribution: &str,
    created: Date,
    palette: &Palette,
) {
    let y = full.bottom() - FOOTER_HEIGHT / 2.0;
    let created = format!("Created {created} with incident-map");
    let right = painter.text(
        Pos2::new(full.right() - MARGIN, y),
        Align2::RIGHT_CENTER,
        &created,
        font(13.0),
        palette.weak,
    );
    let reports = match credit {
        "" => String::new(),
        credit => format!(" · Incidents: {credit}"),
    };
    let width = right.left() - MARGIN - 24.0 - full.left();
    let galley = painter.layout_job(one_line(
        &format!("{attribution}{reports}"),
        font(13.0),
        palette.weak,
        width.max(50.0),
    ));
    let height = galley.size().y;
    painter.galley(
        Pos2::new(full.left() + MARGIN, y - height / 2.0),
        galley,
        palette.weak,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_area_is_styled_by_an_event_in_it_before_a_statement_about_it() {
        let store = Store::load(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/data/incidents.json"
        )))
        .expect("the bundled store");
        let areas: Vec<usize> = (0..store.incidents.len())
            .filter(|&i| {
                let l = &store.incidents[i].location;
                l.precision != LocationPrecision::Point && l.gazetteer_id.is_some()
            })
            .collect();
        let statement = areas
            .iter()
            .copied()
            .find(|&i| is_statement(&store.incidents[i]))
            .expect("an area statement among the bundled incidents");
        // Alone, the statement styles its area (an outline only).
        let drawn = areas_to_draw(&store, &[statement]);
        assert!(drawn.values().all(|i| is_statement(i)));
        // With an event coded to the same area, the event does, whichever comes first.
        let mut with_event = store.clone();
        let mut event = with_event.incidents[statement].clone();
        event.id = "event-in-the-same-area".to_owned();
        event.sub_event_type = crate::store::SubEventType::ArmedClash;
        event.event_type = EventType::Battles;
        with_event.incidents.push(event);
        let last = with_event.incidents.len() - 1;
        for order in [[statement, last], [last, statement]] {
            let drawn = areas_to_draw(&with_event, &order);
            let id = with_event.incidents[statement]
                .location
                .gazetteer_id
                .as_deref()
                .expect("an area");
            assert_eq!(drawn[id].id, "event-in-the-same-area", "{order:?}");
        }
    }

    #[test]
    fn scale_bar_distances_are_round() {
        assert_eq!(nice_distance(73_000.0), 50_000.0);
        assert_eq!(nice_distance(199_999.0), 100_000.0);
        assert_eq!(nice_distance(200_000.0), 200_000.0);
        assert_eq!(nice_distance(4_900.0), 2_000.0);
        assert_eq!(nice_distance(0.0), 0.0);
        assert_eq!(distance_label(50_000.0), "50 km");
        assert_eq!(distance_label(500.0), "500 m");
    }

    #[test]
    fn web_mercator_scale_halves_per_zoom_and_shrinks_with_latitude() {
        // About 156 km per point at the equator at zoom 0.
        assert!((metres_per_point(0.0, 0.0) - 156_543.0).abs() < 1.0);
        let at_5 = metres_per_point(0.0, 5.0);
        assert!((metres_per_point(0.0, 6.0) * 2.0 - at_5).abs() < 1e-6);
        assert!((metres_per_point(60.0, 5.0) - at_5 / 2.0).abs() < 1e-6);
    }

    #[test]
    fn the_subtitle_states_dates_filters_and_count() {
        let store = Store::load(&crate::workspace::bundled_store()).unwrap_or_default();
        let all: Vec<usize> = (0..store.incidents.len()).collect();
        let dates: Vec<Date> = store.incidents.iter().filter_map(|i| i.date).collect();
        let (Some(first), Some(last)) = (dates.iter().min(), dates.iter().max()) else {
            panic!("the bundled incidents have no dates");
        };
        let undated = all.len() - dates.len();
        let text = subtitle(&Filter::default(), &store, &all, LeftOut::default());
        assert!(text.starts_with(&format!("{first} to {last}")), "{text}");
        assert!(text.contains("no filters"), "{text}");
        assert!(
            text.ends_with(&format!(
                "{} incidents, {undated} of them undated",
                all.len()
            )),
            "{text}"
        );
        let mut filter = Filter::default();
        filter.hidden_types.insert(EventType::Battles);
        filter.from = Some(jiff::civil::date(2022, 1, 1));
        let text = subtitle(&filter, &store, &all, LeftOut::default());
        assert!(text.starts_with(&format!("2022-01-01 to {last}")), "{text}");
        let text = subtitle(&filter, &store, &[], LeftOut::default());
        assert!(text.ends_with("no incidents in this area"), "{text}");
        assert!(
            text.contains("filters: types: Explosions/Remote violence"),
            "{text}"
        );
    }
}
