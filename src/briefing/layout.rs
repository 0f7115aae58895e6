//! The briefing composition, drawn with egui in logical points: a title band, the map with
//! numbered markers, a scale bar and a north arrow, a key (event types, then the numbered
//! incidents: date, place, what) and a footer with the data attribution and creation date.
//!
//! Markers use the viewer's colours and sizes ([`event_color`], [`marker_radius`]); markers
//! that would overlap are drawn as one dot with a row of numbered badges beside it.

use std::collections::{BTreeMap, BTreeSet};

use egui::{
    Align2, Color32, CornerRadius, FontFamily, FontId, Pos2, Rect, Shape, Stroke, Ui, Vec2,
    text::{LayoutJob, TextFormat, TextWrapping},
};
use jiff::civil::Date;
use walkers::{Map, MapMemory, Projector, Tiles, lat_lon};

use crate::store::{EventType, Incident, LocationPrecision, Store};
use crate::view::markers::{event_color, marker_radius};
use crate::view::query::cluster_points;
use crate::workspace::filter::Filter;
use crate::workspace::shapes::Shapes;

/// The most incidents listed in the key; the rest are counted as "+N more".
pub const KEY_CAP: usize = 15;

const MARGIN: f32 = 28.0;
const GAP: f32 = 20.0;
const HEADER_HEIGHT: f32 = 84.0;
const FOOTER_HEIGHT: f32 = 34.0;
const BADGE_RADIUS: f32 = 11.0;
const KEY_ROW_HEIGHT: f32 = 44.0;
const LEGEND_ROW_HEIGHT: f32 = 24.0;
/// Markers closer than this merge into one dot with a row of badges.
const OVERLAP_PX: f32 = 24.0;

const FONT_NAME: &str = "briefing-NotoSans";

/// What the composition shows.
pub struct Composition<'a> {
    pub title: &'a str,
    pub filter: &'a Filter,
    pub store: &'a Store,
    /// Incidents passing the filter, in store order.
    pub visible: &'a [usize],
    /// Area and line shapes for area and border incidents.
    pub shapes: &'a Shapes,
    pub created: Date,
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

/// Draws the whole composition into the `ui`'s rectangle. Returns how many incidents the
/// key lists.
pub fn draw(
    ui: &mut Ui,
    c: &Composition<'_>,
    tiles: &mut dyn Tiles,
    memory: &mut MapMemory,
    attribution: &str,
) -> usize {
    let full = ui.max_rect();
    let palette = Palette::of(ui);
    let painter = ui.painter().clone();
    painter.rect_filled(full, CornerRadius::ZERO, palette.background);

    let (map_rect, key_rect) = regions(full);

    // How many incidents the key has room for, known before the map numbers them.
    let types_possible: BTreeSet<EventType> = c
        .visible
        .iter()
        .filter_map(|&i| c.store.incidents.get(i))
        .map(|i| i.event_type)
        .collect();
    let legend_height = legend_height(types_possible.len());
    let rows_fit = ((key_rect.height() - legend_height - 80.0) / KEY_ROW_HEIGHT).floor();
    let capacity = (rows_fit.max(1.0) as usize).min(KEY_CAP);

    let center = memory.detached().unwrap_or(lat_lon(0.0, 0.0));
    let mut map_ui = ui.new_child(egui::UiBuilder::new().max_rect(map_rect));
    // Area shapes reach far beyond the view; nothing drawn for the map leaves its frame.
    map_ui.set_clip_rect(map_rect);
    let in_view = Map::new(Some(tiles), memory, center)
        .zoom_with_ctrl(false)
        .show(&mut map_ui, |ui, _response, projector, _memory| {
            draw_map_contents(ui, projector, c, capacity, &palette)
        })
        .inner;
    painter.rect_stroke(
        map_rect,
        CornerRadius::ZERO,
        Stroke::new(1.0, palette.line),
        egui::StrokeKind::Outside,
    );

    draw_key(&painter, key_rect, c.store, &in_view, capacity, &palette);
    draw_header(&painter, full, c, &in_view, &palette);
    draw_footer(
        &painter,
        full,
        c.store,
        &in_view,
        attribution,
        c.created,
        &palette,
    );
    in_view.len().min(capacity)
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

/// The incidents in view, in key order: by date, undated last, then as stored.
fn key_order(store: &Store, indices: &mut [usize]) {
    indices.sort_by_key(|&i| {
        let date = store.incidents.get(i).and_then(|inc| inc.date);
        (date.is_none(), date, i)
    });
}

/// Draws the area tints and the markers; returns the incidents in view, in key order.
fn draw_map_contents(
    ui: &mut Ui,
    projector: &Projector,
    c: &Composition<'_>,
    capacity: usize,
    palette: &Palette,
) -> Vec<usize> {
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
    let mut order: Vec<usize> = points.iter().map(|(i, _)| *i).collect();
    key_order(c.store, &mut order);
    let number: BTreeMap<usize, usize> = order
        .iter()
        .take(capacity)
        .enumerate()
        .map(|(n, &i)| (i, n + 1))
        .collect();
    points.sort_by_key(|(i, _)| order.iter().position(|o| o == i));

    draw_areas(ui, projector, c.store, &order, c.shapes);

    let painter = ui.painter().with_clip_rect(clip);
    // Places taken by the overlays and the markers, which badge rows must not cover.
    let north = north_arrow_rect(clip);
    let scale = scale_bar_rect(clip);
    let mut taken: Vec<Rect> = vec![north, scale];
    let clusters = cluster_points(&points, OVERLAP_PX);
    for cluster in &clusters {
        let radius = match cluster.members.as_slice() {
            [only] => single_radius(&c.store.incidents[*only]),
            _ => 5.0,
        };
        taken.push(Rect::from_center_size(
            cluster.center,
            Vec2::splat(2.0 * radius + 4.0),
        ));
    }
    // Singles first, so that badge rows are placed around all of them.
    for cluster in &clusters {
        if let [only] = cluster.members.as_slice() {
            let incident = &c.store.incidents[*only];
            let radius = single_radius(incident);
            draw_badge(
                &painter,
                cluster.center,
                radius,
                incident,
                number.get(only).copied(),
                palette,
            );
        }
    }
    let mut groups: Vec<&crate::view::query::Cluster> =
        clusters.iter().filter(|c| c.members.len() > 1).collect();
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
            &painter,
            group.center,
            &members,
            c.store,
            &number,
            &mut taken,
            clip,
            palette,
        );
    }

    draw_north_arrow(&painter, north, palette);
    draw_scale_bar(&painter, projector, scale, palette);
    order
}

/// Tints the governorates of area incidents and draws the border line of border incidents,
/// in the viewer's colours, each shape once.
fn draw_areas(ui: &Ui, projector: &Projector, store: &Store, shown: &[usize], shapes: &Shapes) {
    let painter = ui.painter();
    let mut drawn = BTreeSet::new();
    for &index in shown {
        let Some(incident) = store.incidents.get(index) else {
            continue;
        };
        if incident.location.precision == LocationPrecision::Point {
            continue;
        }
        let Some(id) = incident.location.gazetteer_id.as_deref() else {
            continue;
        };
        let Some(geometry) = shapes.get(id) else {
            continue;
        };
        if !drawn.insert(id) {
            continue;
        }
        let color = event_color(incident.event_type);
        let fill = color.gamma_multiply(0.12);
        let stroke = Stroke::new(1.8, color.gamma_multiply(0.8));
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
    let offset = 16.0;
    let candidates = [
        Pos2::new(at.x + offset, at.y - size.y / 2.0),
        Pos2::new(at.x - offset - size.x, at.y - size.y / 2.0),
        Pos2::new(at.x - size.x / 2.0, at.y - offset - size.y),
        Pos2::new(at.x - size.x / 2.0, at.y + offset),
        Pos2::new(at.x + offset, at.y - offset - size.y),
        Pos2::new(at.x + offset, at.y + offset),
        Pos2::new(at.x - offset - size.x, at.y - offset - size.y),
        Pos2::new(at.x - offset - size.x, at.y + offset),
        Pos2::new(at.x + 2.5 * offset, at.y - size.y / 2.0),
        Pos2::new(at.x - 2.5 * offset - size.x, at.y - size.y / 2.0),
    ];
    let fits = |rect: &Rect| {
        clip.shrink(2.0).contains_rect(*rect) && !taken.iter().any(|t| t.intersects(*rect))
    };
    let inside = |rect: &Rect| clip.shrink(2.0).contains_rect(*rect);
    let rect = candidates
        .iter()
        .map(|min| Rect::from_min_size(*min, size))
        .find(fits)
        .or_else(|| {
            candidates
                .iter()
                .map(|min| Rect::from_min_size(*min, size))
                .find(inside)
        })
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

/// The key: event types shown, then the numbered incidents.
fn draw_key(
    painter: &egui::Painter,
    rect: Rect,
    store: &Store,
    in_view: &[usize],
    capacity: usize,
    palette: &Palette,
) {
    painter.rect_filled(rect, CornerRadius::same(8), palette.panel);
    let inner = rect.shrink2(Vec2::new(16.0, 14.0));
    let width = inner.width();
    let mut y = inner.top();

    painter.text(
        Pos2::new(inner.left(), y),
        Align2::LEFT_TOP,
        "Event types",
        font(16.0),
        palette.strong,
    );
    y += 30.0;
    let mut counts: BTreeMap<EventType, usize> = BTreeMap::new();
    for &i in in_view {
        *counts.entry(store.incidents[i].event_type).or_default() += 1;
    }
    if counts.is_empty() {
        painter.text(
            Pos2::new(inner.left(), y),
            Align2::LEFT_TOP,
            "none in view",
            font(14.0),
            palette.weak,
        );
        y += LEGEND_ROW_HEIGHT;
    }
    for event_type in EventType::ALL {
        let Some(n) = counts.get(&event_type) else {
            continue;
        };
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
    // How to read a marker.
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
    y += 34.0;

    painter.line_segment(
        [
            Pos2::new(inner.left(), y - 6.0),
            Pos2::new(inner.right(), y - 6.0),
        ],
        Stroke::new(1.0, palette.line),
    );
    y += 8.0;
    painter.text(
        Pos2::new(inner.left(), y),
        Align2::LEFT_TOP,
        "Incidents",
        font(16.0),
        palette.strong,
    );
    y += 32.0;
    if in_view.is_empty() {
        let galley = painter.layout(
            "No incidents match the filters in this area.".to_owned(),
            font(14.5),
            palette.weak,
            width,
        );
        painter.galley(Pos2::new(inner.left(), y), galley, palette.weak);
        return;
    }
    let text_left = inner.left() + 2.0 * BADGE_RADIUS + 10.0;
    let text_width = inner.right() - text_left;
    for (k, &i) in in_view.iter().take(capacity).enumerate() {
        let incident = &store.incidents[i];
        draw_badge(
            painter,
            Pos2::new(inner.left() + BADGE_RADIUS, y + BADGE_RADIUS + 2.0),
            BADGE_RADIUS,
            incident,
            Some(k + 1),
            palette,
        );
        let first = format!("{} · {}", incident.date_label(), incident.location.name);
        let galley = painter.layout_job(one_line(&first, font(14.5), palette.strong, text_width));
        painter.galley(Pos2::new(text_left, y), galley, palette.strong);
        let galley = painter.layout_job(one_line(
            &what(incident),
            font(13.5),
            palette.text,
            text_width,
        ));
        painter.galley(Pos2::new(text_left, y + 20.0), galley, palette.text);
        y += KEY_ROW_HEIGHT;
    }
    if in_view.len() > capacity {
        painter.text(
            Pos2::new(inner.left(), y + 2.0),
            Align2::LEFT_TOP,
            format!("+{} more on the map, not listed", in_view.len() - capacity),
            font(14.0),
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

/// What happened, for the key: the sub-event type, who, and how many were killed.
pub fn what(incident: &Incident) -> String {
    let mut text = incident.sub_event_type.to_string();
    if !incident.actors.is_empty() {
        text.push_str(": ");
        text.push_str(&incident.actors.join(", "));
    }
    if let Some(killed) = incident.fatalities.filter(|&n| n > 0) {
        text.push_str(&format!(" · {killed} killed"));
    }
    text
}

/// The subtitle: date range, filters and how many incidents are shown.
pub fn subtitle(filter: &Filter, store: &Store, shown: &[usize]) -> String {
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
    let others = Filter {
        from: None,
        to: None,
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
        (n, 0) => format!("{n} incidents"),
        (n, u) if u == n => format!("{n} incidents, all undated"),
        (n, u) => format!("{n} incidents, {u} of them undated"),
    };
    format!("{range} · {filters} · {count}")
}

fn draw_header(
    painter: &egui::Painter,
    full: Rect,
    c: &Composition<'_>,
    shown: &[usize],
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
    let galley = painter.layout_job(one_line(
        &subtitle(c.filter, c.store, shown),
        font(16.0),
        palette.weak,
        width,
    ));
    painter.galley(Pos2::new(MARGIN, 54.0), galley, palette.weak);
    let _ = full;
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
    store: &Store,
    shown: &[usize],
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
    let reports = match data_credit(store, shown) {
        credit if credit.is_empty() => String::new(),
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
        let text = subtitle(&Filter::default(), &store, &all);
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
        let text = subtitle(&filter, &store, &all);
        assert!(text.starts_with(&format!("2022-01-01 to {last}")), "{text}");
        let text = subtitle(&filter, &store, &[]);
        assert!(text.ends_with("no incidents in this area"), "{text}");
        assert!(
            text.contains("filters: types: Explosions/Remote violence"),
            "{text}"
        );
    }
}
