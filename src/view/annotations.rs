//! Drawing the analyst's marks (text callouts, arrows, circles, areas) on a map, the same way
//! in the viewer and in briefing images, and finding the mark under the pointer.

use egui::{Align2, Color32, CornerRadius, FontId, Painter, Pos2, Rect, Shape, Stroke, Vec2};
use walkers::{Projector, lat_lon};

use crate::workspace::annotations::{Annotation, LatLon, Mark};

/// Colours of the marks: an ink that is none of the event types' colours, with a halo.
#[derive(Debug, Clone, Copy)]
pub struct Ink {
    pub ink: Color32,
    pub halo: Color32,
    /// Behind callout text.
    pub paper: Color32,
    /// The selected mark, in the viewer.
    pub selected: Color32,
}

impl Ink {
    pub fn for_theme(dark: bool) -> Self {
        if dark {
            Self {
                ink: Color32::from_rgb(245, 245, 250),
                halo: Color32::from_rgb(20, 20, 28),
                paper: Color32::from_rgba_unmultiplied(28, 30, 38, 235),
                selected: Color32::from_rgb(80, 170, 255),
            }
        } else {
            Self {
                ink: Color32::from_rgb(28, 28, 40),
                halo: Color32::WHITE,
                paper: Color32::from_rgba_unmultiplied(255, 255, 255, 240),
                selected: Color32::from_rgb(0, 110, 220),
            }
        }
    }
}

pub fn to_screen(projector: &Projector, p: LatLon) -> Pos2 {
    projector.project(lat_lon(p.lat, p.lon)).to_pos2()
}

pub fn to_map(projector: &Projector, pos: Pos2) -> LatLon {
    let p = projector.unproject(pos.to_vec2());
    LatLon::new(p.y(), p.x())
}

/// A circle's radius on the screen: the distance to the point `radius_km` north of its centre.
fn circle_radius(projector: &Projector, center: LatLon, radius_km: f64) -> f32 {
    let north = LatLon::new((center.lat + radius_km / 111.32).min(85.0), center.lon);
    (to_screen(projector, center) - to_screen(projector, north))
        .length()
        .max(2.0)
}

/// Where a mark's text box goes, and how big it is.
fn label_rect(
    painter: &Painter,
    projector: &Projector,
    a: &Annotation,
    font: &FontId,
) -> Option<Rect> {
    if a.text.is_empty() {
        return None;
    }
    let galley = painter.layout(a.text.clone(), font.clone(), Color32::WHITE, 260.0);
    let size = galley.size() + Vec2::new(14.0, 8.0);
    let anchor = match &a.mark {
        Mark::Text { at } => to_screen(projector, *at) + Vec2::new(10.0, -10.0 - size.y),
        Mark::Arrow { from, to } => {
            let (f, t) = (to_screen(projector, *from), to_screen(projector, *to));
            // Behind the tail, away from the head.
            let away = (f - t).normalized();
            let center = f + away * (size.length() / 2.0 + 6.0);
            center - size / 2.0
        }
        Mark::Circle { center, radius_km } => {
            let c = to_screen(projector, *center);
            let r = circle_radius(projector, *center, *radius_km);
            Pos2::new(c.x - size.x / 2.0, c.y - r - 6.0 - size.y)
        }
        Mark::Area { ring } => {
            let points: Vec<Pos2> = ring.iter().map(|p| to_screen(projector, *p)).collect();
            let top = points
                .iter()
                .copied()
                .min_by(|a, b| a.y.total_cmp(&b.y))
                .unwrap_or(Pos2::ZERO);
            Pos2::new(top.x - size.x / 2.0, top.y - 6.0 - size.y)
        }
    };
    Some(Rect::from_min_size(anchor, size))
}

/// Draws every mark; `selected` is outlined in the selection colour.
pub fn draw(
    painter: &Painter,
    projector: &Projector,
    annotations: &[Annotation],
    selected: Option<i64>,
    ink: Ink,
    font: &FontId,
) {
    draw_shapes(painter, projector, annotations, selected, ink);
    draw_words(painter, projector, annotations, selected, ink, font);
}

fn color_of(a: &Annotation, selected: Option<i64>, ink: Ink) -> Color32 {
    if selected == Some(a.id) {
        ink.selected
    } else {
        ink.ink
    }
}

/// The marks' lines and fills: arrows, circles, areas (a briefing draws them under the
/// basemap's place names).
pub fn draw_shapes(
    painter: &Painter,
    projector: &Projector,
    annotations: &[Annotation],
    selected: Option<i64>,
    ink: Ink,
) {
    for a in annotations {
        draw_mark(painter, projector, &a.mark, color_of(a, selected, ink), ink);
    }
}

/// The marks' words in their boxes, and the callouts' pointers (drawn over everything).
pub fn draw_words(
    painter: &Painter,
    projector: &Projector,
    annotations: &[Annotation],
    selected: Option<i64>,
    ink: Ink,
    font: &FontId,
) {
    for a in annotations {
        let color = color_of(a, selected, ink);
        if let Some(rect) = label_rect(painter, projector, a, font) {
            if let Mark::Text { at } = &a.mark {
                let p = to_screen(projector, *at);
                let corner = Pos2::new(rect.left() + 4.0, rect.bottom());
                painter.line_segment([p, corner], Stroke::new(4.0, ink.halo));
                painter.line_segment([p, corner], Stroke::new(1.8, color));
                painter.circle(p, 4.0, color, Stroke::new(1.5, ink.halo));
            }
            painter.rect(
                rect,
                CornerRadius::same(4),
                ink.paper,
                Stroke::new(1.5, color),
                egui::StrokeKind::Inside,
            );
            let galley = painter.layout(a.text.clone(), font.clone(), ink.ink, 260.0);
            painter.galley(rect.min + Vec2::new(7.0, 4.0), galley, ink.ink);
        }
    }
}

fn halo_line(painter: &Painter, points: Vec<Pos2>, closed: bool, color: Color32, ink: Ink) {
    let (halo, line) = (Stroke::new(6.0, ink.halo), Stroke::new(3.0, color));
    if closed {
        painter.add(Shape::closed_line(points.clone(), halo));
        painter.add(Shape::closed_line(points, line));
    } else {
        painter.add(Shape::line(points.clone(), halo));
        painter.add(Shape::line(points, line));
    }
}

fn draw_mark(painter: &Painter, projector: &Projector, mark: &Mark, color: Color32, ink: Ink) {
    match mark {
        Mark::Text { .. } => {}
        Mark::Arrow { from, to } => {
            let (f, t) = (to_screen(projector, *from), to_screen(projector, *to));
            let dir = (t - f).normalized();
            if !dir.is_finite() || (t - f).length() < 2.0 {
                painter.circle(t, 4.0, color, Stroke::new(1.5, ink.halo));
                return;
            }
            let normal = Vec2::new(-dir.y, dir.x);
            let head = 16.0;
            let base = t - dir * head;
            halo_line(painter, vec![f, base], false, color, ink);
            let tip = vec![t, base + normal * head * 0.55, base - normal * head * 0.55];
            painter.add(Shape::convex_polygon(
                tip,
                color,
                Stroke::new(2.0, ink.halo),
            ));
        }
        Mark::Circle { center, radius_km } => {
            let c = to_screen(projector, *center);
            let r = circle_radius(projector, *center, *radius_km);
            painter.circle_filled(c, r, color.gamma_multiply(0.07));
            painter.circle_stroke(c, r, Stroke::new(6.0, ink.halo));
            painter.circle_stroke(c, r, Stroke::new(3.0, color));
        }
        Mark::Area { ring } => {
            let points: Vec<Pos2> = ring.iter().map(|p| to_screen(projector, *p)).collect();
            if let Some(mesh) = fill(&points, color.gamma_multiply(0.08)) {
                painter.add(Shape::mesh(mesh));
            }
            halo_line(painter, points, true, color, ink);
        }
    }
}

/// A polygon's fill, triangulated (egui fills convex paths only).
fn fill(points: &[Pos2], color: Color32) -> Option<egui::Mesh> {
    use geo::TriangulateEarcut;
    if points.len() < 3 {
        return None;
    }
    let ring: Vec<geo::Coord<f64>> = points
        .iter()
        .map(|p| geo::coord! { x: f64::from(p.x), y: f64::from(p.y) })
        .collect();
    let polygon = geo::Polygon::new(geo::LineString::new(ring), Vec::new());
    let triangles = polygon.earcut_triangles_raw();
    if triangles.triangle_indices.is_empty() {
        return None;
    }
    let mut mesh = egui::Mesh::default();
    for xy in &triangles.vertices {
        mesh.colored_vertex(Pos2::new(xy[0] as f32, xy[1] as f32), color);
    }
    for tri in triangles.triangle_indices.chunks_exact(3) {
        mesh.add_triangle(tri[0] as u32, tri[1] as u32, tri[2] as u32);
    }
    Some(mesh)
}

fn distance_to_segment(p: Pos2, a: Pos2, b: Pos2) -> f32 {
    let ab = b - a;
    let t = if ab.length_sq() > 0.0 {
        ((p - a).dot(ab) / ab.length_sq()).clamp(0.0, 1.0)
    } else {
        0.0
    };
    p.distance(a + ab * t)
}

/// The mark under `pointer` (within a few points of its line, point or text; inside an area or
/// circle), the one drawn last first.
pub fn hit(
    painter: &Painter,
    projector: &Projector,
    annotations: &[Annotation],
    pointer: Pos2,
    font: &FontId,
) -> Option<i64> {
    const NEAR: f32 = 8.0;
    annotations.iter().rev().find_map(|a| {
        let on_label = label_rect(painter, projector, a, font).is_some_and(|r| r.contains(pointer));
        let on_mark = match &a.mark {
            Mark::Text { at } => to_screen(projector, *at).distance(pointer) < NEAR,
            Mark::Arrow { from, to } => {
                distance_to_segment(
                    pointer,
                    to_screen(projector, *from),
                    to_screen(projector, *to),
                ) < NEAR
            }
            Mark::Circle { center, radius_km } => {
                to_screen(projector, *center).distance(pointer)
                    < circle_radius(projector, *center, *radius_km) + NEAR
            }
            Mark::Area { ring } => {
                let points: Vec<Pos2> = ring.iter().map(|p| to_screen(projector, *p)).collect();
                contains(&points, pointer)
                    || points
                        .iter()
                        .zip(points.iter().cycle().skip(1))
                        .any(|(a, b)| distance_to_segment(pointer, *a, *b) < NEAR)
            }
        };
        (on_label || on_mark).then_some(a.id)
    })
}

/// Whether `p` is inside the polygon (even-odd rule).
fn contains(polygon: &[Pos2], p: Pos2) -> bool {
    let mut inside = false;
    let n = polygon.len();
    for i in 0..n {
        let (a, b) = (polygon[i], polygon[(i + n - 1) % n]);
        if (a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x {
            inside = !inside;
        }
    }
    inside
}

/// Screen rectangles a mark's drawing takes (its text and its points), for others to keep
/// clear of.
pub fn footprint(
    painter: &Painter,
    projector: &Projector,
    a: &Annotation,
    font: &FontId,
) -> Vec<Rect> {
    let mut rects: Vec<Rect> = label_rect(painter, projector, a, font)
        .into_iter()
        .collect();
    if let Mark::Text { at } = &a.mark {
        rects.push(Rect::from_center_size(
            to_screen(projector, *at),
            Vec2::splat(10.0),
        ));
    }
    rects
}

/// Draws a mark being made (dashed, in the selection colour), for the viewer's tools.
pub fn draw_draft(painter: &Painter, projector: &Projector, mark: &Mark, ink: Ink) {
    draw_mark(painter, projector, mark, ink.selected, ink);
    if let Mark::Area { ring } = mark {
        for p in ring {
            painter.circle(
                to_screen(projector, *p),
                4.0,
                ink.selected,
                Stroke::new(1.5, ink.halo),
            );
        }
    }
    if let Mark::Text { at } = mark {
        painter.circle(
            to_screen(projector, *at),
            4.0,
            ink.selected,
            Stroke::new(1.5, ink.halo),
        );
        painter.text(
            to_screen(projector, *at) + Vec2::new(8.0, -8.0),
            Align2::LEFT_BOTTOM,
            "…",
            FontId::proportional(14.0),
            ink.selected,
        );
    }
}
