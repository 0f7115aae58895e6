//! The bundled gazetteer and geoparser as a [`PlaceSource`].

use geo::{CoordsIter, Distance, Euclidean, Point};

use super::places::{PlaceMention, PlaceRef, PlaceScope, PlaceSource};
use crate::articles::LoadedArticle;
use crate::gazetteer::{Gazetteer, Place, PlaceKind};
use crate::geoparse::normalise::normalise_name;
use crate::geoparse::{self, MentionKind};

/// How close (in degrees, about 2 km) a border vertex must be to a province to count as
/// lying on that province's stretch of the border.
const ON_BOUNDARY_DEGREES: f64 = 0.02;

/// Places from the offline gazetteer, found in text by the geoparser.
pub struct GazetteerPlaces<'g> {
    gazetteer: &'g Gazetteer,
}

impl<'g> GazetteerPlaces<'g> {
    pub fn new(gazetteer: &'g Gazetteer) -> Self {
        Self { gazetteer }
    }

    /// The gazetteer the places come from.
    pub fn gazetteer(&self) -> &'g Gazetteer {
        self.gazetteer
    }

    fn place_ref(&self, place: &Place) -> PlaceRef {
        let scope = scope(place.kind);
        let countries = if scope == PlaceScope::Border {
            self.border_countries(place)
        } else {
            Vec::new()
        };
        PlaceRef {
            id: place.id.clone(),
            name: place.name.clone(),
            scope,
            lat: place.lat,
            lon: place.lon,
            country: place.country.clone(),
            admin1: match place.kind {
                PlaceKind::Admin1 => {
                    Some(place.admin1.clone().unwrap_or_else(|| place.name.clone()))
                }
                _ => place.admin1.clone(),
            },
            countries,
            confidence: None,
        }
    }

    /// The two countries a border separates, read from its name ("Iraq–Syria border").
    fn border_countries(&self, place: &Place) -> Vec<String> {
        let Some(pair) = place.name.strip_suffix(" border") else {
            return place.country.iter().cloned().collect();
        };
        let countries: Vec<String> = pair
            .split(['–', '-', '/'])
            .filter_map(|name| {
                let key = normalise_name(name);
                self.gazetteer.lookup(&key).iter().find_map(|r| {
                    let found = self.gazetteer.place(r.place);
                    (found.kind == PlaceKind::Country).then(|| found.country.clone())?
                })
            })
            .collect();
        if countries.len() == 2 {
            countries
        } else {
            place.country.iter().cloned().collect()
        }
    }
}

/// How much ground each kind of gazetteer entry covers.
fn scope(kind: PlaceKind) -> PlaceScope {
    match kind {
        PlaceKind::Camp
        | PlaceKind::Prison
        | PlaceKind::BorderCrossing
        | PlaceKind::Dam
        | PlaceKind::Landmark
        | PlaceKind::Airport
        | PlaceKind::Neighbourhood => PlaceScope::Site,
        PlaceKind::City | PlaceKind::Town | PlaceKind::Village => PlaceScope::Settlement,
        PlaceKind::Mountain | PlaceKind::Other => PlaceScope::Feature,
        PlaceKind::Admin2 => PlaceScope::Admin2,
        PlaceKind::Admin1 => PlaceScope::Admin1,
        PlaceKind::Border => PlaceScope::Border,
        PlaceKind::Area | PlaceKind::Region | PlaceKind::River => PlaceScope::Region,
        PlaceKind::Country | PlaceKind::Continent => PlaceScope::Country,
    }
}

impl PlaceSource for GazetteerPlaces<'_> {
    fn mentions(&self, article: &LoadedArticle) -> Vec<PlaceMention> {
        let text = &article.article.text;
        geoparse::geoparse_in(self.gazetteer, text, &article.story_ranges())
            .into_iter()
            .map(|mention| PlaceMention {
                place: mention.place.as_ref().and_then(|resolved| {
                    let place = self.gazetteer.get(&resolved.id)?;
                    Some(PlaceRef {
                        confidence: Some(resolved.confidence),
                        ..self.place_ref(place)
                    })
                }),
                demonym: mention.kind == MentionKind::Demonym,
                span: mention.span,
            })
            .collect()
    }

    fn border(&self, a: &str, b: &str) -> Option<PlaceRef> {
        let index = self.gazetteer.border_between(a, b)?;
        let mut place = self.place_ref(self.gazetteer.place(index));
        if place.countries.len() != 2 {
            place.countries = vec![a.to_owned(), b.to_owned()];
        }
        Some(place)
    }

    fn border_point_in(&self, border: &PlaceRef, area: &PlaceRef) -> Option<(f64, f64)> {
        let line = self.gazetteer.geometry(&border.id)?;
        if area.scope <= PlaceScope::Feature {
            // "the border west of al-Qaim": the point of the border nearest the town.
            let town = Point::new(area.lon, area.lat);
            let nearest = line.coords_iter().map(Point::from).min_by(|a, b| {
                Euclidean
                    .distance(a, &town)
                    .total_cmp(&Euclidean.distance(b, &town))
            })?;
            return Some((nearest.y(), nearest.x()));
        }
        let admin1 = match area.scope {
            PlaceScope::Admin1 => self.gazetteer.get(&area.id),
            _ => {
                let country = area.country.as_deref()?;
                let name = area.admin1.as_deref()?;
                let index = self.gazetteer.admin1(country, &normalise_name(name))?;
                Some(self.gazetteer.place(index))
            }
        }?;
        let shape = self.gazetteer.geometry(&admin1.id)?;
        let on_stretch: Vec<Point<f64>> = line
            .coords_iter()
            .map(Point::from)
            .filter(|point| Euclidean.distance(point, shape) <= ON_BOUNDARY_DEGREES)
            .collect();
        // The middle vertex of the stretch lies on the border, well inside the province's part.
        let middle = on_stretch.get(on_stretch.len() / 2)?;
        Some((middle.y(), middle.x()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundled() -> Option<&'static Gazetteer> {
        Gazetteer::bundled().ok()
    }

    #[test]
    fn borders_know_their_countries_and_their_provinces() {
        let Some(gazetteer) = bundled() else {
            return;
        };
        let source = GazetteerPlaces::new(gazetteer);
        let border = source.border("SY", "IQ").expect("the Iraq–Syria border");
        let mut countries = border.countries.clone();
        countries.sort();
        assert_eq!(countries, ["IQ", "SY"]);
        let nineveh = gazetteer
            .places()
            .iter()
            .find(|p| p.kind == PlaceKind::Admin1 && p.name == "Nineveh")
            .map(|p| source.place_ref(p))
            .expect("Nineveh");
        let (lat, lon) = source.border_point_in(&border, &nineveh).expect("a point");
        let inside = gazetteer
            .containing_admin1(lat, lon)
            .map(|p| p.name.as_str());
        // On the line itself the point may fall just across it, in Syria.
        assert!(
            matches!(inside, Some("Nineveh" | "Al-Hasakah")),
            "{lat},{lon} is in {inside:?}"
        );
        assert!(
            (35.5..37.2).contains(&lat) && (41.0..42.5).contains(&lon),
            "{lat},{lon}"
        );
    }
}
