//! The analyst's own marks on the map: text callouts, arrows, circles and areas ("ISIS remnants
//! active here"). They belong to the workspace, not to any incident: saved in the workspace
//! file (one row each in `incident_map_annotations`, written in one statement, so a crash
//! leaves every mark whole or absent) and drawn in the viewer and in briefings alike.

use serde::{Deserialize, Serialize};

/// A point on the map, in degrees (WGS 84).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LatLon {
    pub lat: f64,
    pub lon: f64,
}

impl LatLon {
    pub const fn new(lat: f64, lon: f64) -> Self {
        Self { lat, lon }
    }

    fn check(self) -> Result<(), String> {
        let on_globe = (-90.0..=90.0).contains(&self.lat) && (-180.0..=180.0).contains(&self.lon);
        if !on_globe {
            return Err(format!(
                "({}, {}) is not a point on the globe",
                self.lat, self.lon
            ));
        }
        Ok(())
    }

    fn moved(self, by: LatLon) -> Self {
        Self {
            lat: (self.lat + by.lat).clamp(-85.0, 85.0),
            lon: (self.lon + by.lon).clamp(-180.0, 180.0),
        }
    }
}

/// What an annotation draws.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Mark {
    /// A callout: the text in a box, pointing at a place.
    Text { at: LatLon },
    /// An arrow from `from` to `to` (a movement, an advance), the text at its tail.
    Arrow { from: LatLon, to: LatLon },
    /// A circle around a place, its radius in kilometres.
    Circle { center: LatLon, radius_km: f64 },
    /// An area: a closed outline of three points or more.
    Area { ring: Vec<LatLon> },
}

impl Mark {
    /// The kind's name, as stored and printed.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Text { .. } => "text",
            Self::Arrow { .. } => "arrow",
            Self::Circle { .. } => "circle",
            Self::Area { .. } => "area",
        }
    }

    /// Where the text goes: the callout's point, the arrow's tail, the circle's centre, the
    /// area's first point.
    pub fn anchor(&self) -> LatLon {
        match self {
            Self::Text { at } => *at,
            Self::Arrow { from, .. } => *from,
            Self::Circle { center, .. } => *center,
            Self::Area { ring } => ring.first().copied().unwrap_or(LatLon::new(0.0, 0.0)),
        }
    }

    /// Every point of the mark (for fitting and hit tests).
    pub fn points(&self) -> Vec<LatLon> {
        match self {
            Self::Text { at } => vec![*at],
            Self::Arrow { from, to } => vec![*from, *to],
            Self::Circle { center, .. } => vec![*center],
            Self::Area { ring } => ring.clone(),
        }
    }

    /// The same mark shifted by `by` degrees.
    pub fn moved(&self, by: LatLon) -> Self {
        match self {
            Self::Text { at } => Self::Text { at: at.moved(by) },
            Self::Arrow { from, to } => Self::Arrow {
                from: from.moved(by),
                to: to.moved(by),
            },
            Self::Circle { center, radius_km } => Self::Circle {
                center: center.moved(by),
                radius_km: *radius_km,
            },
            Self::Area { ring } => Self::Area {
                ring: ring.iter().map(|p| p.moved(by)).collect(),
            },
        }
    }

    /// Refuses marks that cannot be drawn: points off the globe, a circle without a size, an
    /// area of fewer than three points.
    pub fn check(&self) -> Result<(), String> {
        for point in self.points() {
            point.check()?;
        }
        match self {
            Self::Circle { radius_km, .. }
                if !(radius_km.is_finite() && *radius_km > 0.0 && *radius_km <= 5_000.0) =>
            {
                Err(format!(
                    "a circle's radius must be above 0 and at most 5,000 km, not {radius_km}"
                ))
            }
            Self::Area { ring } if ring.len() < 3 => Err(format!(
                "an area needs three points or more, not {}",
                ring.len()
            )),
            Self::Area { ring } if ring.len() > 10_000 => {
                Err("an area has at most 10,000 points".to_owned())
            }
            _ => Ok(()),
        }
    }
}

/// The most characters an annotation's text keeps.
pub const MAX_TEXT: usize = 500;

/// One of the analyst's marks, with its text and who made it when.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Annotation {
    /// Unique in its workspace; 0 before it is saved.
    pub id: i64,
    pub mark: Mark,
    /// The callout's words; may be empty for an arrow, circle or area.
    pub text: String,
    pub author: String,
    pub at: jiff::Timestamp,
}

impl Annotation {
    /// A new annotation by the current author, checked; its text trimmed and kept to
    /// [`MAX_TEXT`] characters.
    pub fn new(mark: Mark, text: &str) -> Result<Self, String> {
        mark.check()?;
        let text: String = text.trim().chars().take(MAX_TEXT).collect();
        if matches!(mark, Mark::Text { .. }) && text.is_empty() {
            return Err("a text callout needs words".to_owned());
        }
        Ok(Self {
            id: 0,
            mark,
            text,
            author: super::desk::author(),
            at: jiff::Timestamp::now(),
        })
    }

    /// An annotation as a workspace stores it (the mark as JSON), checked as when it was made;
    /// the error says which part is wrong.
    pub fn from_stored(
        id: i64,
        body: &str,
        text: String,
        author: String,
        at: jiff::Timestamp,
    ) -> Result<Self, String> {
        let mark: Mark =
            serde_json::from_str(body).map_err(|e| format!("annotation {id}: body: {e}"))?;
        mark.check()
            .map_err(|e| format!("annotation {id}: mark: {e}"))?;
        Ok(Self {
            id,
            mark,
            text,
            author,
            at,
        })
    }

    /// The mark as a workspace stores it.
    pub fn body(&self) -> Result<String, String> {
        serde_json::to_string(&self.mark).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_are_checked_and_move_as_a_whole() {
        let area = Mark::Area {
            ring: vec![
                LatLon::new(35.0, 40.0),
                LatLon::new(35.5, 40.0),
                LatLon::new(35.5, 41.0),
            ],
        };
        assert!(area.check().is_ok());
        let moved = area.moved(LatLon::new(1.0, -1.0));
        assert_eq!(moved.points()[2], LatLon::new(36.5, 40.0));
        assert!(
            Mark::Area { ring: vec![] }
                .check()
                .is_err_and(|e| e.contains("three points"))
        );
        assert!(
            Mark::Circle {
                center: LatLon::new(35.0, 40.0),
                radius_km: f64::NAN
            }
            .check()
            .is_err()
        );
        assert!(
            Mark::Text {
                at: LatLon::new(95.0, 40.0)
            }
            .check()
            .is_err_and(|e| e.contains("not a point"))
        );
        assert!(
            Annotation::new(
                Mark::Text {
                    at: LatLon::new(35.0, 40.0)
                },
                "  "
            )
            .is_err()
        );
        let long = "x".repeat(MAX_TEXT + 10);
        let Ok(a) = Annotation::new(
            Mark::Text {
                at: LatLon::new(35.0, 40.0),
            },
            &long,
        ) else {
            panic!("refused");
        };
        assert_eq!(a.text.chars().count(), MAX_TEXT);
    }

    #[test]
    fn marks_are_stored_as_tagged_json() {
        let mark = Mark::Arrow {
            from: LatLon::new(35.0, 40.0),
            to: LatLon::new(36.0, 41.0),
        };
        let json = serde_json::to_string(&mark).unwrap_or_default();
        assert!(json.starts_with(r#"{"kind":"arrow""#), "{json}");
        let back: Mark = serde_json::from_str(&json).unwrap_or(Mark::Text {
            at: LatLon::new(0.0, 0.0),
        });
        assert_eq!(back, mark);
    }
}
