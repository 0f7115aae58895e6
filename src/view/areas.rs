//! Area and border shapes for the map, triangulated and put in world coordinates once when
//! they arrive, so that drawing one in a frame is a scale and a shift of its points rather than
//! a projection and a triangulation of every vertex.

use std::collections::HashMap;

use egui::{Color32, Mesh, Painter, Pos2, Shape, Stroke};
use geo::{Geometry, TriangulateEarcut};
use rstar::{AABB, Envelope};

use crate::view::index::{View, world};

/// Every shape the map may tint, by gazetteer id.
#[derive(Default)]
pub struct AreaShapes {
    shapes: HashMap<String, WorldShape>,
}

/// One area or line in world coordinates.
struct WorldShape {
    bounds: AABB<[f64; 2]>,
    /// Fill triangles: vertices and the indices of their corners.
    fills: Vec<(Vec<[f64; 2]>, Vec<u32>)>,
    /// Polygon rings, drawn closed.
    rings: Vec<Vec<[f64; 2]>>,
    /// Lines (borders), drawn open and wider.
    lines: Vec<Vec<[f64; 2]>>,
}

impl AreaShapes {
    /// Converts gazetteer shapes (lon/lat) once; shapes of other kinds are left out.
    pub fn new(geometries: &HashMap<String, Geometry<f64>>) -> Self {
        let shapes = geometries
            .iter()
            .filter_map(|(id, geometry)| Some((id.clone(), WorldShape::new(geometry)?)))
            .collect();
        Self { shapes }
    }

    pub fn len(&self) -> usize {
        self.shapes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.shapes.is_empty()
    }

    /// Whether a shape is known for this gazetteer id.
    pub fn contains(&self, id: &str) -> bool {
        self.shapes.contains_key(id)
    }

    /// Paints one shape if any of it is inside `in_view` (world coordinates).
    pub fn paint(
        &self,
        painter: &Painter,
        view: &View,
        in_view: &AABB<[f64; 2]>,
        id: &str,
        fill: Color32,
        stroke: Stroke,
    ) {
        let Some(shape) = self.shapes.get(id) else {
            return;
        };
        if !shape.bounds.intersects(in_view) {
            return;
        }
        let screen = |points: &[[f64; 2]]| -> Vec<Pos2> {
            points.iter().map(|&p| view.to_screen(p)).collect()
        };
        for (vertices, indices) in &shape.fills {
            let mut mesh = Mesh::default();
            mesh.reserve_vertices(vertices.len());
            for &v in vertices {
                mesh.colored_vertex(view.to_screen(v), fill);
            }
            mesh.indices.extend_from_slice(indices);
            painter.add(Shape::mesh(mesh));
        }
        for ring in &shape.rings {
            painter.add(Shape::closed_line(screen(ring), stroke));
        }
        for line in &shape.lines {
            painter.add(Shape::line(
                screen(line),
                Stroke::new(stroke.width + 3.0, stroke.color),
            ));
        }
    }
}

impl WorldShape {
    fn new(geometry: &Geometry<f64>) -> Option<Self> {
        let convert = |line: &geo::LineString<f64>| -> Vec<[f64; 2]> {
            line.coords().map(|c| world(c.y, c.x)).collect()
        };
        let mut shape = Self {
            bounds: AABB::from_point([0.0, 0.0]),
            fills: Vec::new(),
            rings: Vec::new(),
            lines: Vec::new(),
        };
        let polygon = |p: &geo::Polygon<f64>, shape: &mut Self| {
            // egui fills convex paths only; concave shapes need their own triangles.
            let triangles = p.earcut_triangles_raw();
            if !triangles.triangle_indices.is_empty() {
                let vertices = triangles
                    .vertices
                    .iter()
                    .map(|xy| world(xy[1], xy[0]))
                    .collect();
                let indices = triangles
                    .triangle_indices
                    .iter()
                    .map(|&i| i as u32)
                    .collect();
                shape.fills.push((vertices, indices));
            }
            shape.rings.push(convert(p.exterior()));
        };
        match geometry {
            Geometry::Polygon(p) => polygon(p, &mut shape),
            Geometry::MultiPolygon(mp) => mp.iter().for_each(|p| polygon(p, &mut shape)),
            Geometry::LineString(line) => shape.lines.push(convert(line)),
            Geometry::MultiLineString(lines) => shape.lines.extend(lines.iter().map(convert)),
            _ => return None,
        }
        let all = shape.rings.iter().chain(&shape.lines).flatten().copied();
        shape.bounds = AABB::from_points(all.collect::<Vec<_>>().iter());
        Some(shape)
    }
}

/// The incidents whose areas are tinted: the first shown incident for each area or line
/// (it gives the tint's colour), in store order: the reference for
/// `Columns::area_incidents`, which the viewer computes when the filter changes.
#[cfg(test)]
pub fn area_incidents(store: &crate::store::Store, visible: &[usize]) -> Vec<usize> {
    use crate::store::LocationPrecision;
    let mut seen = std::collections::HashSet::new();
    visible
        .iter()
        .copied()
        .filter(|&i| {
            store.incidents.get(i).is_some_and(|incident| {
                incident.location.precision != LocationPrecision::Point
                    && incident
                        .location
                        .gazetteer_id
                        .as_deref()
                        .is_some_and(|id| seen.insert(id))
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{LineString, Polygon, polygon};

    #[test]
    fn shapes_are_converted_once_and_drawn_only_in_view() {
        let square: Polygon<f64> = polygon![
            (x: 40.0, y: 33.0), (x: 44.0, y: 33.0), (x: 44.0, y: 36.0),
            (x: 42.0, y: 34.0), (x: 40.0, y: 36.0),
        ];
        let border = LineString::from(vec![(41.0, 37.0), (42.0, 37.1)]);
        let geometries = HashMap::from([
            ("area".to_owned(), Geometry::Polygon(square)),
            ("line".to_owned(), Geometry::LineString(border)),
            (
                "point".to_owned(),
                Geometry::Point(geo::point!(x: 1.0, y: 2.0)),
            ),
        ]);
        let shapes = AreaShapes::new(&geometries);
        assert_eq!(shapes.len(), 2);
        assert!(shapes.contains("area") && shapes.contains("line"));
        let area = &shapes.shapes["area"];
        // A concave pentagon is three triangles.
        assert_eq!(area.fills[0].1.len(), 9);

        // Shapes painted in one frame seen from a view centred on (lat, lon).
        let painted = |center: (f64, f64)| {
            let ctx = egui::Context::default();
            let mut output = ctx.run_ui(egui::RawInput::default(), |ui| {
                let view = View::new(world(center.0, center.1), 6.0, egui::pos2(400.0, 300.0));
                let screen = egui::Rect::from_min_size(Pos2::ZERO, egui::vec2(800.0, 600.0));
                let stroke = Stroke::new(1.0, Color32::RED);
                shapes.paint(
                    ui.painter(),
                    &view,
                    &view.world_rect(screen),
                    "area",
                    Color32::RED,
                    stroke,
                );
            });
            // No renderer takes the font atlas here.
            output.textures_delta.clear();
            output.shapes.len()
        };
        let nothing = painted((0.0, 0.0));
        assert_eq!(painted((34.5, 42.0)), nothing + 2);
    }
}
