//! The region test: place names of Iraq, Syria and their neighbours as the news spells them
//! (`region_places.tsv`) must resolve near their published positions.

use crate::gazetteer::Gazetteer;
use crate::geoparse::geoparse;
use crate::geoparse::resolve::distance_km;

const PLACES: &str = include_str!("region_places.tsv");
/// A town counts as placed right within this distance of its published position.
const WITHIN_KM: f64 = 25.0;

fn country_name(code: &str) -> &'static str {
    match code {
        "IQ" => "Iraq",
        "SY" => "Syria",
        "JO" => "Jordan",
        "LB" => "Lebanon",
        "TR" => "Turkey",
        "IR" => "Iran",
        "KW" => "Kuwait",
        "SA" => "Saudi Arabia",
        _ => "the region",
    }
}

/// Each name in a sentence that names its country only as the speakers' (no ", Syria"
/// qualifier): the share placed within 25 km, and the misses.
fn score(gaz: &Gazetteer) -> (usize, usize, Vec<String>) {
    let (mut placed, mut total, mut misses) = (0, 0, Vec::new());
    for line in PLACES
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let fields: Vec<&str> = line.split('\t').collect();
        let [name, country, lat, lon] = fields[..] else {
            panic!("bad line in region_places.tsv: {line:?}");
        };
        let (Ok(lat), Ok(lon)) = (lat.parse::<f64>(), lon.parse::<f64>()) else {
            panic!("bad position in region_places.tsv: {line:?}");
        };
        let opening = "Clashes were reported in ";
        let text = format!(
            "{opening}{name} on Monday, security officials in {} said.",
            country_name(country)
        );
        let span = opening.len()..opening.len() + name.len();
        let mentions = geoparse(gaz, &text);
        let place = mentions
            .iter()
            .find(|m| m.span.start < span.end && span.start < m.span.end)
            .and_then(|m| m.place.as_ref())
            .and_then(|r| gaz.get(&r.id));
        total += 1;
        match place {
            Some(p) if distance_km(lat, lon, p.lat, p.lon) <= WITHIN_KM => placed += 1,
            Some(p) => misses.push(format!(
                "{name} ({country}): {} {} {:.0} km away",
                p.id,
                p.name,
                distance_km(lat, lon, p.lat, p.lon)
            )),
            None => misses.push(format!("{name} ({country}): not found")),
        }
    }
    (placed, total, misses)
}

#[test]
fn region_place_names_resolve_within_25_km() {
    let gaz = Gazetteer::bundled().unwrap_or_else(|e| panic!("the bundled gazetteer: {e}"));
    let (placed, total, misses) = score(gaz);
    let accuracy = placed as f64 / total as f64;
    eprintln!(
        "region acc@25: {placed}/{total} = {:.1} %; misses:\n{}",
        100.0 * accuracy,
        misses.join("\n")
    );
    assert!(total >= 300, "the test set holds {total} names");
    assert!(accuracy >= 0.95, "acc@25 {:.3}: {misses:#?}", accuracy);
}
