//! Distances on the map: the scale bar for the view, and the measure between two clicked
//! points along the great circle.

use egui::{Color32, Pos2, Stroke};
use walkers::{Projector, lat_lon};

/// Metres on the ground per point of a Web Mercator map at `lat` and `zoom` (256-point tiles).
pub fn metres_per_point(lat: f64, zoom: f64) -> f64 {
    const EQUATOR_M: f64 = 40_075_016.686;
    EQUATOR_M * lat.to_radians().cos() / (256.0 * 2f64.powf(zoom))
}

/// The scale bar for a view: a round length (1, 2 or 5 times a power of ten metres) whose
/// bar is at most `max_points` long; its label and its length in points.
pub fn scale_bar(lat: f64, zoom: f64, max_points: f32) -> (String, f32) {
    let per_point = metres_per_point(lat, zoom).max(1e-6);
    let most = per_point * f64::from(max_points);
    let power = 10f64.powf(most.log10().floor());
    let round = [5.0, 2.0, 1.0]
        .into_iter()
        .map(|f| f * power)
        .find(|&m| m <= most)
        .unwrap_or(power);
    let label = if round >= 1000.0 {
        format!("{} km", round / 1000.0)
    } else {
        format!("{round} m")
    };
    (label, (round / per_point) as f32)
}

/// A distance for people: metres under a kilometre, one decimal under a hundred km.
pub fn format_km(km: f64) -> String {
    if km < 1.0 {
        format!("{:.0} m", km * 1000.0)
    } else if km < 100.0 {
        format!("{km:.1} km")
    } else {
        format!("{km:.0} km")
    }
}

/// Points (lat, lon) along the great circle from `a` to `b`, both ends included.
pub fn great_circle(a: (f64, f64), b: (f64, f64), steps: usize) -> Vec<(f64, f64)> {
    let to_vec = |(lat, lon): (f64, f64)| {
        let (lat, lon) = (lat.to_radians(), lon.to_radians());
        [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
    };
    let (p, q) = (to_vec(a), to_vec(b));
    let dot = (p[0] * q[0] + p[1] * q[1] + p[2] * q[2]).clamp(-1.0, 1.0);
    let angle = dot.acos();
    let steps = steps.max(1);
    (0..=steps)
        .map(|i| {
            let t = i as f64 / steps as f64;
            if angle < 1e-9 {
                return a;
            }
            let (wa, wb) = (
                ((1.0 - t) * angle).sin() / angle.sin(),
                (t * angle).sin() / angle.sin(),
            );
            let v = [
                wa * p[0] + wb * q[0],
                wa * p[1] + wb * q[1],
                wa * p[2] + wb * q[2],
            ];
            let lat = v[2].atan2((v[0] * v[0] + v[1] * v[1]).sqrt()).to_degrees();
            let lon = v[1].atan2(v[0]).to_degrees();
            (lat, lon)
        })
        .collect()
}

/// Great-circle length, in km, of the path through `points` (lat, lon).
pub fn path_km(points: &[(f64, f64)]) -> f64 {
    points
        .windows(2)
        .map(|w| crate::gazetteer::distance_km(w[0].0, w[0].1, w[1].0, w[1].1))
        .sum()
}

/// Draws the measured points and the great-circle line between them.
pub fn draw(painter: &egui::Painter, projector: &Projector, points: &[(f64, f64)], dark: bool) {
    let color = if dark {
        Color32::from_rgb(255, 230, 120)
    } else {
        Color32::from_rgb(20, 20, 20)
    };
    let halo = if dark { Color32::BLACK } else { Color32::WHITE };
    let screen =
        |(lat, lon): (f64, f64)| -> Pos2 { projector.project(lat_lon(lat, lon)).to_pos2() };
    for pair in points.windows(2) {
        let line: Vec<Pos2> = great_circle(pair[0], pair[1], 32)
            .into_iter()
            .map(screen)
            .collect();
        painter.add(egui::Shape::line(line.clone(), Stroke::new(4.0, halo)));
        painter.add(egui::Shape::dashed_line(
            &line,
            Stroke::new(2.0, color),
            8.0,
            5.0,
        ));
    }
    for &point in points {
        let at = screen(point);
        painter.circle(at, 4.5, color, Stroke::new(1.5, halo));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scale_bar_is_a_round_length_that_fits() {
        // At the equator, zoom 0: about 156.5 km per point.
        assert!((metres_per_point(0.0, 0.0) - 156_543.0).abs() < 1.0);
        let (label, points) = scale_bar(36.5, 10.0, 120.0);
        assert!(points <= 120.0 && points > 40.0, "{points}");
        assert_eq!(label, "10 km");
        let (label, _) = scale_bar(36.5, 15.0, 120.0);
        assert!(label.ends_with(" m"), "{label}");
    }

    #[test]
    fn distances_follow_the_great_circle() {
        // Mosul to Baghdad: about 350 km as the crow flies.
        let mosul = (36.34, 43.13);
        let baghdad = (33.34, 44.40);
        let km = path_km(&[mosul, baghdad]);
        assert!((340.0..360.0).contains(&km), "{km}");
        let line = great_circle(mosul, baghdad, 16);
        assert_eq!(line.len(), 17);
        assert!((path_km(&line) - km).abs() < 0.01);
        assert_eq!(format_km(km), format!("{km:.0} km"));
        assert_eq!(format_km(0.25), "250 m");
        assert_eq!(format_km(12.345), "12.3 km");
    }
}
