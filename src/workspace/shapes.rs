//! The shapes of the areas and lines that incidents refer to: an incident placed on a
//! governorate, a district or a border is drawn as that shape, not as a point. One lookup for
//! the viewer and the briefing alike, from the bundled regions file alone (the whole gazetteer
//! takes far longer to load and holds the same shapes).

use std::collections::{BTreeSet, HashMap};

use geo::Geometry;

use crate::store::{LocationPrecision, Store};

/// Area and line shapes by gazetteer id.
pub type Shapes = HashMap<String, Geometry<f64>>;

/// The gazetteer ids of the incidents placed on an area or a line rather than a point.
pub fn shaped_ids(store: &Store) -> BTreeSet<&str> {
    store
        .incidents
        .iter()
        .filter(|i| i.location.precision != LocationPrecision::Point)
        .filter_map(|i| i.location.gazetteer_id.as_deref())
        .collect()
}

/// The shapes of the store's area and border incidents.
pub fn area_shapes(store: &Store) -> Result<Shapes, String> {
    let wanted = shaped_ids(store);
    if wanted.is_empty() {
        return Ok(Shapes::new());
    }
    crate::gazetteer::bundled_region_shapes(&wanted)
        .map_err(|e| format!("area shapes are not drawn: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_areas_and_borders_have_shapes() -> Result<(), String> {
        let store = Store::load(&crate::workspace::bundled_store()).map_err(|e| e.to_string())?;
        let wanted = shaped_ids(&store);
        assert!(
            !wanted.is_empty(),
            "the bundled data places some incidents on areas"
        );
        let shapes = area_shapes(&store)?;
        assert_eq!(shapes.len(), wanted.len(), "every area has its shape");
        // Point incidents are drawn as points: their ids are not looked up.
        let points = store
            .incidents
            .iter()
            .filter(|i| i.location.precision == LocationPrecision::Point)
            .filter_map(|i| i.location.gazetteer_id.as_deref());
        for id in points {
            assert!(!shapes.contains_key(id) || wanted.contains(id), "{id}");
        }
        Ok(())
    }
}
