//! Places an analyst picks when correcting an incident: gazetteer entries suggested for what
//! is typed, and a point dropped on the map.

use crate::gazetteer::normalise::normalise_name;
use crate::gazetteer::{Gazetteer, Place, PlaceKind};
use crate::store::{Location, LocationPrecision};

/// An incident's location at a gazetteer place.
pub fn location_of(place: &Place) -> Location {
    let precision = match place.kind {
        PlaceKind::Country => LocationPrecision::Country,
        PlaceKind::Admin1 => LocationPrecision::Admin1,
        PlaceKind::Admin2 => LocationPrecision::Admin2,
        PlaceKind::Border => LocationPrecision::Border,
        PlaceKind::Continent | PlaceKind::Region | PlaceKind::Area => LocationPrecision::Region,
        _ => LocationPrecision::Point,
    };
    Location {
        name: place.name.clone(),
        country: place.country.clone(),
        admin1: place.admin1.clone(),
        admin2: None,
        admin3: None,
        precision,
        lat: place.lat,
        lon: place.lon,
        gazetteer_id: Some(place.id.clone()),
        // Chosen by a person: as sure as the placement gets.
        confidence: Some(1.0),
    }
}

/// An incident's location at a point an analyst chose (dragged to, or typed), named after the
/// nearest settlement within reach and placed in its governorate where the gazetteer knows it.
pub fn location_at(gazetteer: Option<&Gazetteer>, lat: f64, lon: f64) -> Location {
    let admin1 = gazetteer.and_then(|g| g.containing_admin1(lat, lon));
    let nearest = gazetteer.and_then(|g| {
        g.places()
            .iter()
            .filter(|p| p.kind.is_settlement())
            .map(|p| (crate::gazetteer::distance_km(lat, lon, p.lat, p.lon), p))
            .filter(|(km, _)| *km <= 15.0)
            .min_by(|a, b| a.0.total_cmp(&b.0))
    });
    let name = match nearest {
        Some((km, place)) if km < 1.0 => place.name.clone(),
        Some((km, place)) => format!("{km:.0} km from {}", place.name),
        None => format!("{lat:.4}, {lon:.4}"),
    };
    Location {
        name,
        country: admin1
            .and_then(|a| a.country.clone())
            .or_else(|| nearest.and_then(|(_, p)| p.country.clone())),
        admin1: admin1.map(|a| a.name.clone()),
        admin2: None,
        admin3: None,
        precision: LocationPrecision::Point,
        lat,
        lon,
        gazetteer_id: None,
        confidence: Some(1.0),
    }
}

/// Gazetteer places for what an analyst typed: places with that name (or an alternate name)
/// first, then places whose name begins with it; the larger and the nearer to `near` first.
pub fn suggest<'g>(
    gazetteer: &'g Gazetteer,
    typed: &str,
    near: Option<(f64, f64)>,
    limit: usize,
) -> Vec<&'g Place> {
    let key = normalise_name(typed);
    if key.chars().count() < 2 {
        return Vec::new();
    }
    let rank = |place: &Place| {
        let distance = near.map_or(0.0, |(lat, lon)| {
            crate::gazetteer::distance_km(lat, lon, place.lat, place.lon)
        });
        // Within the story's region, distance matters more than size.
        (distance / 100.0).floor() as i64 * 1_000_000_000 - place.population.min(999_999_999) as i64
    };
    let mut exact: Vec<&Place> = gazetteer
        .lookup(&key)
        .iter()
        .map(|r| gazetteer.place(r.place))
        .collect();
    exact.sort_by_key(|p| rank(p));
    let mut found = exact;
    if found.len() < limit {
        // Names whose first word, or a later one ("Al Qamishli", "Tall Afar"), begins with it.
        let begins = |name: &str| {
            let name = normalise_name(name);
            name.starts_with(&key)
                || name
                    .match_indices([' ', '-'])
                    .any(|(at, _)| name[at + 1..].starts_with(&key))
        };
        let mut prefixed: Vec<&Place> = gazetteer
            .places()
            .iter()
            .filter(|p| {
                !matches!(p.kind, PlaceKind::Other)
                    && begins(&p.name)
                    && !found.iter().any(|f| f.id == p.id)
            })
            .collect();
        prefixed.sort_by_key(|p| rank(p));
        found.extend(prefixed);
    }
    found.truncate(limit);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_name_suggests_the_place_near_the_incident_first() -> Result<(), String> {
        let gazetteer = Gazetteer::bundled().map_err(|e| e.to_string())?;
        let near_hasakah = Some((36.5, 40.75));
        let found = suggest(gazetteer, "Qamishli", near_hasakah, 5);
        let first = found.first().ok_or("no suggestion")?;
        assert_eq!(first.country.as_deref(), Some("SY"), "{first:?}");
        // The beginning of a name finds it, the places near the incident first.
        let prefix = suggest(gazetteer, "Ghuwayr", near_hasakah, 10);
        assert!(prefix.len() >= 2, "{prefix:?}");
        assert!(
            prefix[..2]
                .iter()
                .all(|p| p.country.as_deref() == Some("SY")),
            "{prefix:?}"
        );
        // So does the beginning of a later word: the city is "Al-Hasakah" in the gazetteer.
        let inner = suggest(gazetteer, "Hasak", near_hasakah, 3);
        let nearest = inner.first().ok_or("no suggestion for Hasak")?;
        assert_eq!(nearest.country.as_deref(), Some("SY"), "{inner:?}");
        let location = location_of(first);
        assert_eq!(location.confidence, Some(1.0));
        assert!(location.gazetteer_id.is_some());
        Ok(())
    }

    #[test]
    fn a_dropped_point_is_named_after_the_nearest_settlement() -> Result<(), String> {
        let gazetteer = Gazetteer::bundled().map_err(|e| e.to_string())?;
        // A few km off the centre of al-Hasakah city.
        let location = location_at(Some(gazetteer), 36.52, 40.70);
        assert_eq!(location.country.as_deref(), Some("SY"), "{location:?}");
        assert!(location.admin1.is_some(), "{location:?}");
        assert!(location.name.contains("km from") || !location.name.contains(','));
        let nowhere = location_at(None, 10.0, 10.0);
        assert_eq!(nowhere.name, "10.0000, 10.0000");
        Ok(())
    }
}
