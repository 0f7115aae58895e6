//! Drawing incidents on the map: markers coloured by event type and sized by fatalities,
//! clusters with counts where markers overlap, governorates tinted for area incidents and the
//! border line highlighted for border incidents. Every marker is an interactive widget with an
//! accessible label, so it can be hovered, clicked and found by tests and screen readers.

use std::collections::HashMap;

use egui::{Color32, Pos2, Response, Sense, Shape, Stroke, Ui, Vec2, epaint::PathShape};
use walkers::{Projector, lat_lon};

use crate::store::{EventType, Incident, LocationPrecision, Store};
use crate::view::areas::AreaShapes;
use crate::view::index::{MapIndex, View, world};

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
    /// What was drawn where: markers and clusters, the selected incident last.
    pub drawn: Vec<(Pos2, Drawn)>,
}

/// One marker or cluster drawn on the map.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Drawn {
    Marker(usize),
    /// A cluster of the index at a zoom step, by its id there, less the incident drawn apart
    /// because it is selected.
    Cluster {
        step: i32,
        id: u32,
        except: Option<usize>,
    },
}

impl MapOutcome {
    /// Screen positions of the markers drawn, by incident index (cluster centre for members).
    /// Built on request from the index's clusters: a frame never lists every member.
    pub fn positions(&self, index: &MapIndex) -> HashMap<usize, Pos2> {
        let mut positions = HashMap::new();
        for &(pos, drawn) in &self.drawn {
            match drawn {
                Drawn::Marker(i) => {
                    positions.insert(i, pos);
                }
                Drawn::Cluster { step, id, except } => {
                    let Some(level) = index.cached_level(step) else {
                        continue;
                    };
                    let Some(cluster) = level.cluster(id) else {
                        continue;
                    };
                    for &member in level.members(cluster) {
                        if Some(member as usize) != except {
                            positions.insert(member as usize, pos);
                        }
                    }
                }
            }
        }
        positions
    }
}

/// The shapes of area and border incidents, and which incidents tint them.
pub struct AreaLayer<'a> {
    pub shapes: &'a AreaShapes,
    /// The first shown incident of each area (see [`crate::view::columns::Columns::area_incidents`]).
    pub incidents: &'a [usize],
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

/// Draws the incidents of the index that are in view, clustered for the zoom, and reports
/// clicks and hovers. Only what is on screen is looked at: the index's clusters for this zoom
/// step are computed once and kept.
pub fn draw_incidents(
    ui: &mut Ui,
    projector: &Projector,
    store: &Store,
    index: &mut MapIndex,
    selected: Option<usize>,
    areas: &AreaLayer<'_>,
) -> MapOutcome {
    let mut outcome = MapOutcome::default();
    let view = View::from_projector(projector);
    let clip = projector.clip_rect();
    let in_view = view.world_rect(clip.expand(40.0));
    let dark = ui.visuals().dark_mode;

    draw_area_shapes(ui, &view, &in_view, store, areas, selected);

    let selected_at = selected
        .and_then(|s| store.incidents.get(s))
        .map(|i| world(i.location.lat, i.location.lon));
    index.level(view.zoom());
    if index.computing() {
        // The clusters of this zoom are on their way: draw again to show them.
        ui.ctx().request_repaint();
    }
    let level = index.level(view.zoom());
    let step = level.step();
    let selected_cluster = selected
        .zip(selected_at)
        .and_then(|(s, at)| level.cluster_of(s, at));

    // Markers and clusters that would sit under the selected marker are set beside it, so the
    // other incidents at its spot stay in sight and clickable.
    let selected_screen = selected_at.map(|at| view.to_screen(at));
    let selected_radius = selected
        .and_then(|s| store.incidents.get(s))
        .map_or(0.0, |i| marker_radius(i.fatalities) + 7.0);
    let beside_selected = |pos: Pos2, radius: f32| -> Pos2 {
        match selected_screen {
            Some(at) if pos.distance(at) < selected_radius + radius * 0.5 => {
                at + Vec2::angled(-std::f32::consts::FRAC_PI_4) * (selected_radius + radius + 2.0)
            }
            _ => pos,
        }
    };

    for (id, cluster) in level.in_view(&in_view) {
        let members = level.members(cluster);
        // The selected incident is never hidden in a cluster: it is drawn apart, on top.
        let except = selected.filter(|_| selected_cluster == Some(id));
        let mut count = members.len();
        let mut by_type = cluster.by_type;
        let mut center = cluster.center;
        if let (Some(s), Some(at)) = (except, selected_at) {
            let n = count as f64;
            count -= 1;
            if count == 0 {
                continue;
            }
            let slot = crate::view::index::type_slot(store.incidents[s].event_type);
            by_type[slot] = by_type[slot].saturating_sub(1);
            center = [
                (center[0] * n - at[0]) / (n - 1.0),
                (center[1] * n - at[1]) / (n - 1.0),
            ];
        }
        let mut shown = members
            .iter()
            .map(|&m| m as usize)
            .filter(|&m| Some(m) != except);
        let Some(first) = shown.next() else {
            continue;
        };
        if count == 1 {
            let Some(incident) = store.incidents.get(first) else {
                continue;
            };
            let pos = view.to_screen(world(incident.location.lat, incident.location.lon));
            let pos = if except.is_some() {
                beside_selected(pos, marker_radius(incident.fatalities))
            } else {
                pos
            };
            let response = draw_marker(ui, incident, pos, false, dark);
            note_response(&mut outcome, &response, first, incident);
            outcome.drawn.push((pos, Drawn::Marker(first)));
        } else {
            let pos = view.to_screen(center);
            let pos = if except.is_some() {
                beside_selected(pos, cluster_radius(count))
            } else {
                pos
            };
            let response = draw_cluster(ui, pos, first, count, &by_type, dark);
            if response.clicked() {
                outcome.clicked_cluster = Some(std::iter::once(first).chain(shown).collect());
            }
            outcome
                .drawn
                .push((pos, Drawn::Cluster { step, id, except }));
        }
    }

    // The selected incident is drawn last, on top.
    if let Some(index) = selected
        && let Some(incident) = store.incidents.get(index)
    {
        let loc = &incident.location;
        let pos = projector.project(lat_lon(loc.lat, loc.lon)).to_pos2();
        if clip.expand(40.0).contains(pos) {
            let response = draw_marker(ui, incident, pos, true, dark);
            note_response(&mut outcome, &response, index, incident);
            outcome.drawn.push((pos, Drawn::Marker(index)));
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
    // Labels are made only for markers drawn, and only when a screen reader or test asks.
    response.widget_info(|| {
        egui::WidgetInfo::labeled(egui::Role::Button, true, marker_label(incident))
    });

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

/// A cluster's radius in points: bigger for more incidents.
fn cluster_radius(count: usize) -> f32 {
    11.0 + 3.5 * (count as f32).ln()
}

fn draw_cluster(
    ui: &mut Ui,
    center: Pos2,
    first_member: usize,
    count: usize,
    counts_by_type: &[u32; 6],
    dark: bool,
) -> Response {
    let radius = cluster_radius(count);
    let rect = egui::Rect::from_center_size(center, Vec2::splat(2.0 * radius));
    let id = ui.scope_id().with(("cluster", first_member, count));
    let response = ui.interact(rect, id, Sense::click());
    response.widget_info(|| {
        egui::WidgetInfo::labeled(
            egui::Role::Button,
            true,
            format!("Cluster of {count} incidents"),
        )
    });

    // The ring shows the mix of event types, in proportion.
    let mut by_type: Vec<(EventType, usize)> = EventType::ALL
        .iter()
        .zip(counts_by_type)
        .map(|(&t, &n)| (t, n as usize))
        .filter(|(_, n)| *n > 0)
        .collect();
    by_type.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    let painter = ui.painter();
    let fill = if dark {
        Color32::from_gray(40)
    } else {
        Color32::WHITE
    };
    painter.circle_filled(center, radius, fill);
    let mut angle = -std::f32::consts::FRAC_PI_2;
    for (event_type, n) in &by_type {
        let sweep = std::f32::consts::TAU * (*n as f32 / count as f32);
        let steps = ((sweep / 0.15).ceil() as usize).max(2);
        let arc: Vec<Pos2> = (0..=steps)
            .map(|s| {
                let a = angle + sweep * s as f32 / steps as f32;
                center + Vec2::angled(a) * (radius - 2.5)
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
        center,
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

/// Draws the cells a server counted the incidents of the map's window in (when there are too
/// many to list): a disc sized by the count, labelled with it. Returns where a clicked cell is.
pub fn draw_cells(
    ui: &mut Ui,
    projector: &Projector,
    cells: &[crate::workspace::server::Cell],
) -> Option<(f64, f64)> {
    let dark = ui.visuals().dark_mode;
    let clip = projector.clip_rect().expand(40.0);
    let mut clicked = None;
    for cell in cells {
        let center = projector.project(lat_lon(cell.lat, cell.lon)).to_pos2();
        if !clip.contains(center) {
            continue;
        }
        let count = cell.count.max(1);
        let radius = 9.0 + 2.6 * (count as f32).ln();
        let rect = egui::Rect::from_center_size(center, Vec2::splat(2.0 * radius));
        let id = ui
            .scope_id()
            .with(("cell", cell.lat.to_bits(), cell.lon.to_bits()));
        let response = ui.interact(rect, id, Sense::click());
        response.widget_info(|| {
            egui::WidgetInfo::labeled(
                egui::Role::Button,
                true,
                format!("Area of {count} incidents"),
            )
        });
        let painter = ui.painter();
        let (fill, ring, text) = if dark {
            (
                Color32::from_rgba_unmultiplied(40, 44, 52, 220),
                Color32::from_gray(200),
                Color32::WHITE,
            )
        } else {
            (
                Color32::from_rgba_unmultiplied(255, 255, 255, 225),
                Color32::from_gray(60),
                Color32::BLACK,
            )
        };
        painter.circle_filled(center, radius, fill);
        painter.circle_stroke(center, radius, Stroke::new(2.0, ring));
        painter.text(
            center,
            egui::Align2::CENTER_CENTER,
            compact_count(count),
            egui::FontId::proportional(12.0),
            text,
        );
        if response.hovered() {
            response.clone().on_hover_ui(|ui| {
                ui.strong(format!("{count} incidents"));
                ui.label(format!("{} killed", cell.fatalities));
                ui.weak("Click to zoom in");
            });
        }
        if response.clicked() {
            clicked = Some((cell.lat, cell.lon));
        }
    }
    if !cells.is_empty() {
        // Say why there are no markers, and how to get them.
        let screen = projector.clip_rect();
        let total: i64 = cells
            .iter()
            .filter(|c| screen.contains(projector.project(lat_lon(c.lat, c.lon)).to_pos2()))
            .map(|c| c.count)
            .sum();
        let painter = ui.painter();
        let text = format!(
            "{} incidents in view, counted by area: zoom in to list them",
            crate::files::thousands(usize::try_from(total).unwrap_or(0))
        );
        let galley = painter.layout_no_wrap(
            text,
            egui::FontId::proportional(13.0),
            if dark { Color32::WHITE } else { Color32::BLACK },
        );
        let clip = projector.clip_rect();
        // At the top, clear of the tools along the bottom.
        let at = egui::pos2(clip.center().x - galley.size().x / 2.0, clip.top() + 14.0);
        let back = egui::Rect::from_min_size(at, galley.size()).expand(6.0);
        painter.rect_filled(
            back,
            4.0,
            if dark {
                Color32::from_rgba_unmultiplied(30, 30, 30, 230)
            } else {
                Color32::from_rgba_unmultiplied(255, 255, 255, 235)
            },
        );
        painter.galley(at, galley, Color32::PLACEHOLDER);
    }
    clicked
}

/// 950, 12k, 3.4M: counts short enough for a disc.
fn compact_count(count: i64) -> String {
    match count {
        ..=999 => count.to_string(),
        1_000..=9_999 => format!("{:.1}k", count as f64 / 1e3),
        10_000..=999_999 => format!("{}k", count / 1_000),
        _ => format!("{:.1}M", count as f64 / 1e6),
    }
}

/// Whether an incident only reports words (a statement, a claim: "Other" with no event on
/// the ground); its area is drawn quieter than an event's.
pub fn is_statement(incident: &Incident) -> bool {
    incident.sub_event_type == crate::store::SubEventType::Other
}

/// The fill and outline of an area or border incident's shape. The fill stays light, selected
/// or not, so the basemap's towns and rivers read through it at any zoom; a statement has only
/// a thin outline.
pub fn area_style(incident: &Incident, selected: bool) -> (Color32, Stroke) {
    let color = event_color(incident.event_type);
    match (is_statement(incident), selected) {
        (true, true) => (
            color.gamma_multiply(0.05),
            Stroke::new(2.0, color.gamma_multiply(0.8)),
        ),
        (true, false) => (
            Color32::TRANSPARENT,
            Stroke::new(1.0, color.gamma_multiply(0.5)),
        ),
        (false, true) => (color.gamma_multiply(0.12), Stroke::new(3.0, color)),
        (false, false) => (
            color.gamma_multiply(0.07),
            Stroke::new(1.6, color.gamma_multiply(0.8)),
        ),
    }
}

/// Tints the areas of area incidents and highlights the lines of border incidents from the
/// shapes cached in world coordinates; the selected incident's shape goes last, stronger.
fn draw_area_shapes(
    ui: &Ui,
    view: &View,
    in_view: &rstar::AABB<[f64; 2]>,
    store: &Store,
    areas: &AreaLayer<'_>,
    selected: Option<usize>,
) {
    if areas.shapes.is_empty() {
        return;
    }
    let painter = ui.painter();
    let selected_area = selected.filter(|&s| {
        store
            .incidents
            .get(s)
            .is_some_and(|i| i.location.precision != LocationPrecision::Point)
    });
    for &index in areas.incidents.iter().chain(&selected_area) {
        let Some(incident) = store.incidents.get(index) else {
            continue;
        };
        let Some(id) = incident.location.gazetteer_id.as_deref() else {
            continue;
        };
        let (fill, stroke) = area_style(incident, Some(index) == selected_area);
        areas.shapes.paint(painter, view, in_view, id, fill, stroke);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn incident(sub: crate::store::SubEventType) -> Incident {
        let mut incident = crate::workspace::filter::tests::store().incidents[0].clone();
        incident.event_type = crate::store::EventType::Battles;
        incident.sub_event_type = sub;
        incident
    }

    #[test]
    fn area_tints_stay_light_and_statements_quieter_than_events() {
        let event = incident(crate::store::SubEventType::ArmedClash);
        let statement = incident(crate::store::SubEventType::Other);
        for selected in [false, true] {
            let (fill, stroke) = area_style(&event, selected);
            // At most about an eighth opaque: the basemap reads through a selected governorate.
            assert!(fill.a() <= 32, "event fill alpha {}", fill.a());
            let (quiet_fill, quiet_stroke) = area_style(&statement, selected);
            assert!(quiet_fill.a() < fill.a());
            assert!(quiet_stroke.width < stroke.width);
        }
        // Unselected, a statement has no fill at all.
        assert_eq!(area_style(&statement, false).0.a(), 0);
    }
}
