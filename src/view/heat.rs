//! The heat map: where the shown incidents crowd, as a smooth colour field over the map
//! instead of markers. It is built from the index's clusters for the view (their centres
//! weighted by their counts), so it costs the same for a hundred incidents or a million.

use egui::{Color32, Mesh, Pos2, Rect, Ui};

use crate::view::index::{MapIndex, View};

/// Side of a heat cell, in points.
const CELL: f32 = 6.0;
/// Reach of one incident's warmth, in points (three standard deviations).
const REACH: f32 = 36.0;

/// Warmth per cell of a grid over `clip`, from weighted points, normalised to 0–1.
pub fn field(clip: Rect, points: &[(Pos2, f32)]) -> (usize, usize, Vec<f32>) {
    let columns = (clip.width() / CELL).ceil().max(1.0) as usize;
    let rows = (clip.height() / CELL).ceil().max(1.0) as usize;
    let mut heat = vec![0.0f32; columns * rows];
    let sigma = REACH / 3.0;
    let reach_cells = (REACH / CELL).ceil() as i64;
    for &(pos, weight) in points {
        let cx = ((pos.x - clip.left()) / CELL).floor() as i64;
        let cy = ((pos.y - clip.top()) / CELL).floor() as i64;
        for y in (cy - reach_cells).max(0)..=(cy + reach_cells).min(rows as i64 - 1) {
            for x in (cx - reach_cells).max(0)..=(cx + reach_cells).min(columns as i64 - 1) {
                let centre = egui::pos2(
                    clip.left() + (x as f32 + 0.5) * CELL,
                    clip.top() + (y as f32 + 0.5) * CELL,
                );
                let d2 = centre.distance_sq(pos);
                if d2 > REACH * REACH {
                    continue;
                }
                heat[y as usize * columns + x as usize] +=
                    weight * (-d2 / (2.0 * sigma * sigma)).exp();
            }
        }
    }
    let max = heat.iter().copied().fold(0.0f32, f32::max);
    if max > 0.0 {
        // A square root keeps a lone incident visible beside a crowd.
        for h in &mut heat {
            *h = (*h / max).sqrt();
        }
    }
    (columns, rows, heat)
}

/// The colour of warmth `h` (0–1): transparent yellow through orange to opaque dark red.
pub fn ramp(h: f32) -> Color32 {
    let h = h.clamp(0.0, 1.0);
    let (r, g, b) = if h < 0.5 {
        let t = h / 0.5;
        (255.0, 235.0 - 95.0 * t, 90.0 - 60.0 * t)
    } else {
        let t = (h - 0.5) / 0.5;
        (255.0 - 75.0 * t, 140.0 - 120.0 * t, 30.0 - 10.0 * t)
    };
    let alpha = (40.0 + 170.0 * h) as u8;
    Color32::from_rgba_unmultiplied(r as u8, g as u8, b as u8, alpha)
}

/// Draws the heat of the index's incidents in view.
pub fn draw(ui: &Ui, view: &View, index: &mut MapIndex, clip: Rect) {
    let in_view = view.world_rect(clip.expand(REACH));
    index.level(view.zoom());
    if index.computing() {
        // The clusters of this zoom are on their way: draw again to show them.
        ui.ctx().request_repaint();
    }
    let level = index.level(view.zoom());
    let points: Vec<(Pos2, f32)> = level
        .in_view(&in_view)
        .map(|(_, cluster)| {
            (
                view.to_screen(cluster.center),
                level.members(cluster).len() as f32,
            )
        })
        .collect();
    if points.is_empty() {
        return;
    }
    let (columns, _rows, heat) = field(clip, &points);
    let mut mesh = Mesh::default();
    for (i, &h) in heat.iter().enumerate() {
        if h < 0.04 {
            continue;
        }
        let (x, y) = ((i % columns) as f32, (i / columns) as f32);
        let cell = Rect::from_min_size(
            egui::pos2(clip.left() + x * CELL, clip.top() + y * CELL),
            egui::vec2(CELL, CELL),
        );
        mesh.add_colored_rect(cell, ramp(h));
    }
    ui.painter().add(mesh);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_heat_is_hottest_where_incidents_crowd() {
        let clip = Rect::from_min_size(Pos2::ZERO, egui::vec2(300.0, 200.0));
        let crowd = egui::pos2(60.0, 60.0);
        let lone = egui::pos2(240.0, 150.0);
        let (columns, _, heat) = field(clip, &[(crowd, 9.0), (lone, 1.0)]);
        let at = |p: Pos2| heat[(p.y / CELL) as usize * columns + (p.x / CELL) as usize];
        assert!((at(crowd) - 1.0).abs() < 0.05, "{}", at(crowd));
        assert!(at(lone) > 0.2 && at(lone) < at(crowd), "{}", at(lone));
        // Far from both: cold.
        assert_eq!(at(egui::pos2(150.0, 190.0)), 0.0);
        assert!(ramp(1.0).a() > ramp(0.1).a());
    }
}
