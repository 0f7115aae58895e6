//! Drawing incidents on the map: markers coloured by event type and sized by fatalities,
//! clusters with counts where markers overlap, governorates tinted for area incidents and the
//! border line highlighted for border incidents. Every marker is an interactive widget with an
//! accessible label, so it can be hovered, clicked and found by tests and screen readers.

use std::collections::HashMap;

use egui::{Color32, Pos2, Response, Sense, Shape, Stroke, Ui, Vec2, epaint::PathShape};
use geo::Geometry;
use walkers::{Projector, lat_lon};

use crate::store::{EventType, Incident, LocationPrecision, Store};
use crate::view::query::{Cluster, cluster_points};

/// Pixels within which markers merge into a cluster.
pub const CLUSTER_CELL_PX: f32 = 26.0;

/// The colour of an event type, on the map, in the legend and in briefing images.
pub fn event_color(event_type: EventType) -> Color32 {
    match event_type {
        EventType::Battles => Color32::from_rgb(214, 39, 40),
        EventType::ExplosionsRemoteViolence => Color32::from_rgb(255, 127, 14),
        EventType::ViolenceAgainstCivilians => Color32::from_rgb(148, 52, 170),
        EventType::Protests => Color32::from_rgb(31, 119, 180),
        EventType::Riots => Color32::from_rgb(140, 86, 75),
        EventType::StrategicDevelopments => Color32::from_rgb(23, 140, 130),
    }
}

/// Marker radius in points: bigger for deadlier incidents.
pub fn marker_radius(fatalities: Option<u32>) -> f32 {
    7.0 + 2.5 * (fatalities.unwrap_or(0) as f32).ln_1p()
}

/// What the user did on the map this frame.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MapOutcome {
    pub clicked_incident: Option<usize>,
    /// Members of a clicked cluster.
    pub clicked_cluster: Option<Vec<usize>>,
    pub hovered_incident: Option<usize>,
    /// Screen positions of the markers drawn, by incident index (cluster centre for members).
    pub positions: HashMap<usize, Pos2>,
}

/// The text a marker is known by, to screen readers and tests.
pub fn marker_label(incident: &Incident) -> String {
    format!(
        "Incident: {} in {}, {}",
        incident.sub_event_type,
        incident.location.name,
        incident.date_label()
    )
}

/// Draws the visible incidents and reports clicks and hovers.
pub fn draw_incidents(
    ui: &mut Ui,
    projector: &Projector,
    store: &Store,
    visible: &[usize],
    selected: Option<usize>,
    geometries: &HashMap<String, Geometry<f64>>,
) -> MapOutcome {
    let mut outcome = MapOutcome::default();
    let clip = projector.clip_rect();
    let dark = ui.visuals().dark_mode;

    draw_areas(ui, projector, store, visible, selected, geometries);

    let points: Vec<(usize, Pos2)> = visible
        .iter()
        .filter(|&&i| Some(i) != selected)
        .filter_map(|&i| {
            let loc = &store.incidents.get(i)?.location;
            let pos = projector.project(lat_lon(loc.lat, loc.lon)).to_pos2();
            clip.expand(40.0).contains(pos).then_some((i, pos))
        })
        .collect();
    let clusters = cluster_points(&points, CLUSTER_CELL_PX);

    for cluster in &clusters {
        if let [only] = cluster.members.as_slice() {
            let incident = &store.incidents[*only];
            let response = draw_marker(ui, incident, cluster.center, false, dark);
            note_response(&mut outcome, &response, *only, incident);
            outcome.positions.insert(*only, cluster.center);
        } else {
            let response = draw_cluster(ui, store, cluster, dark);
            if response.clicked() {
                outcome.clicked_cluster = Some(cluster.members.clone());
            }
            for &member in &cluster.members {
                outcome.positions.insert(member, cluster.center);
            }
        }
    }

    // The selected incident is never hidden in a cluster and is drawn last, on top.
    if let Some(index) = selected
        && let Some(incident) = store.incidents.get(index)
    {
        let loc = &incident.location;
        let pos = projector.project(lat_lon(loc.lat, loc.lon)).to_pos2();
        if clip.expand(40.0).contains(pos) {
            let response = draw_marker(ui, incident, pos, true, dark);
            note_response(&mut outcome, &response, index, incident);
            outcome.positions.insert(index, pos);
        }
    }
    outcome
}

fn note_response(outcome: &mut MapOutcome, response: &Response, index: usize, incident: &Incident) {
    if response.clicked() {
        outcome.clicked_incident = Some(index);
    }
    if response.hovered() {
        outcome.hovered_incident = Some(index);
        response
            .clone()
            .on_hover_ui(|ui| incident_tooltip(ui, incident));
    }
}

fn incident_tooltip(ui: &mut Ui, incident: &Incident) {
    ui.strong(format!(
        "{} · {}",
        incident.date_label(),
        incident.sub_event_type
    ));
    ui.label(format!(
        "{} ({})",
        incident.location.name,
        incident.location.precision.as_str()
    ));
    ui.label(&incident.summary);
}

fn draw_marker(
    ui: &mut Ui,
    incident: &Incident,
    center: Pos2,
    selected: bool,
    dark: bool,
) -> Response {
    let radius = marker_radius(incident.fatalities);
    let rect = egui::Rect::from_center_size(center, Vec2::splat(2.0 * radius + 4.0));
    let id = ui.scope_id().with(("incident", &incident.id));
    let response = ui.interact(rect, id, Sense::click());
    let label = marker_label(incident);
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));

    let painter = ui.painter();
    let color = event_color(incident.event_type);
    let outline = if dark {
        Color32::from_gray(20)
    } else {
        Color32::WHITE
    };
    if selected {
        painter.circle_filled(center, radius + 7.0, color.gamma_multiply(0.25));
        painter.circle_stroke(
            center,
            radius + 5.0,
            Stroke::new(3.0, Color32::from_rgb(255, 215, 0)),
        );
    }
    let hover_grow = if response.hovered() { 2.0 } else { 0.0 };
    painter.circle(
        center,
        radius + hover_grow,
        color,
        Stroke::new(2.0, outline),
    );
    // Precision shows in the marker: a point is solid, an area or line incident is hollow.
    if incident.location.precision != LocationPrecision::Point {
        painter.circle_filled(center, (radius * 0.45).max(2.5), outline);
    }
    response
}

fn draw_cluster(ui: &mut Ui, store: &Store, cluster: &Cluster, dark: bool) -> Response {
    let count = cluster.members.len();
    let radius = 11.0 + 3.5 * (count as f32).ln();
    let rect = egui::Rect::from_center_size(cluster.center, Vec2::splat(2.0 * radius));
    let id = ui.scope_id().with(("cluster", cluster.members[0], count));
    let response = ui.interact(rect, id, Sense::click());
    let label = format!("Cluster of {count} incidents");
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));

    // The ring shows the mix of event types, in proportion.
    let mut by_type: Vec<(EventType, usize)> = EventType::ALL
        .iter()
        .map(|&t| {
            let n = cluster
                .members
                .iter()
                .filter(|&&i| store.incidents[i].event_type == t)
                .count();
            (t, n)
        })
        .filter(|(_, n)| *n > 0)
        .collect();
    by_type.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    let painter = ui.painter();
    let fill = if dark {
        Color32::from_gray(40)
    } else {
        Color32::WHITE
    };
    painter.circle_filled(cluster.center, radius, fill);
    let mut angle = -std::f32::consts::FRAC_PI_2;
    for (event_type, n) in &by_type {
        let sweep = std::f32::consts::TAU * (*n as f32 / count as f32);
        let steps = ((sweep / 0.15).ceil() as usize).max(2);
        let arc: Vec<Pos2> = (0..=steps)
            .map(|s| {
                let a = angle + sweep * s as f32 / steps as f32;
                cluster.center + Vec2::angled(a) * (radius - 2.5)
            })
            .collect();
        painter.add(Shape::Path(PathShape::line(
            arc,
            Stroke::new(5.0, event_color(*event_type)),
        )));
        angle += sweep;
    }
    let text_color = if dark { Color32::WHITE } else { Color32::BLACK };
    painter.text(
        cluster.center,
        egui::Align2::CENTER_CENTER,
        count.to_string(),
        egui::FontId::proportional(13.0),
        text_color,
    );
    if response.hovered() {
        response.clone().on_hover_ui(|ui| {
            ui.strong(format!("{count} incidents"));
            for (event_type, n) in &by_type {
                ui.label(format!("{n} × {event_type}"));
            }
            ui.weak("Click to zoom in or list them");
        });
    }
    response
}

/// Tints the governorates of area incidents and highlights the border line of border incidents.
fn draw_areas(
    ui: &mut Ui,
    projector: &Projector,
    store: &Store,
    visible: &[usize],
    selected: Option<usize>,
    geometries: &HashMap<String, Geometry<f64>>,
) {
    let mut drawn: HashMap<&str, bool> = HashMap::new();
    let mut order: Vec<usize> = visible.to_vec();
    // The selected incident's geometry goes last so its stronger colour is on top.
    if let Some(s) = selected {
        order.retain(|&i| i != s);
        order.push(s);
    }
    for index in order {
        let Some(incident) = store.incidents.get(index) else {
            continue;
        };
        if incident.location.precision == LocationPrecision::Point {
            continue;
        }
        let Some(id) = incident.location.gazetteer_id.as_deref() else {
            continue;
        };
        let Some(geometry) = geometries.get(id) else {
            continue;
        };
        let is_selected = Some(index) == selected;
        if drawn.get(id).copied().unwrap_or(false) && !is_selected {
            continue;
        }
        drawn.insert(id, is_selected || drawn.get(id).copied().unwrap_or(false));
        let color = event_color(incident.event_type);
        let (fill, stroke) = if is_selected {
            (color.gamma_multiply(0.30), Stroke::new(3.5, color))
        } else {
            (
                color.gamma_multiply(0.12),
                Stroke::new(1.8, color.gamma_multiply(0.8)),
            )
        };
        paint_geometry(ui, projector, geometry, fill, stroke);
    }
}

fn paint_geometry(
    ui: &Ui,
    projector: &Projector,
    geometry: &Geometry<f64>,
    fill: Color32,
    stroke: Stroke,
) {
    let project = |c: &geo::Coord<f64>| projector.project(lat_lon(c.y, c.x)).to_pos2();
    let painter = ui.painter();
    let ring = |ring: &geo::LineString<f64>| -> Vec<Pos2> { ring.coords().map(project).collect() };
    let mut polygon = |p: &geo::Polygon<f64>| {
        let outline = ring(p.exterior());
        // egui fills convex paths only; a fill mesh for concave shapes is tessellated here.
        if let Some(mesh) = fill_mesh(p, &project, fill) {
            painter.add(Shape::mesh(mesh));
        }
        painter.add(Shape::closed_line(outline, stroke));
    };
    match geometry {
        Geometry::Polygon(p) => polygon(p),
        Geometry::MultiPolygon(mp) => mp.iter().for_each(&mut polygon),
        Geometry::LineString(line) => {
            painter.add(Shape::line(
                ring(line),
                Stroke::new(stroke.width + 3.0, stroke.color),
            ));
        }
        Geometry::MultiLineString(lines) => {
            for line in lines {
                painter.add(Shape::line(
                    ring(line),
                    Stroke::new(stroke.width + 3.0, stroke.color),
                ));
            }
        }
        _ => {}
    }
}

/// Triangulates a polygon (with holes) into a mesh of one colour.
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
        let pos = project(&geo::coord! { x: xy[0], y: xy[1] });
        mesh.colored_vertex(pos, color);
    }
    for tri in triangles.triangle_indices.chunks_exact(3) {
        mesh.add_triangle(tri[0] as u32, tri[1] as u32, tri[2] as u32);
    }
    Some(mesh)
}
