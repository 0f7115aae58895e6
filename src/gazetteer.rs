//! The gazetteer: every place the geoparser can name, with its alternate names, and the
//! shapes of the areas that are more than a point (admin-1 areas, regions, borders).
//!
//! The data is built offline by `tools/gazetteer/` from GeoNames, Natural Earth and a curated
//! supplement, and read here once per process. See `tools/gazetteer/README.md` for its format.

use std::collections::HashMap;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use geo::{BoundingRect, Contains, Geometry, Point, Rect};

use crate::geoparse::normalise::{normalise_name, strip_article};

/// The gazetteer table's file name (gzip-compressed TSV), looked for in the data folder.
pub const GAZETTEER_FILE: &str = "gazetteer.tsv.gz";
/// The same table uncompressed, accepted too (handy while editing the data).
pub const GAZETTEER_FILE_PLAIN: &str = "gazetteer.tsv";
/// Shapes of admin-1 areas, regions and borders, keyed by place id.
pub const REGIONS_FILE: &str = "regions.geojson";

/// One named place.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// "geonames:N" for GeoNames entries, "local:slug" for curated ones.
    pub id: String,
    pub kind: PlaceKind,
    pub name: String,
    pub lat: f64,
    pub lon: f64,
    /// ISO 3166-1 alpha-2 code.
    pub country: Option<String>,
    /// Name of the admin-1 area (governorate, province, state) the place lies in.
    pub admin1: Option<String>,
    pub population: u64,
    /// GeoNames feature code (PPLA, ADM1, PCLI…) where the entry has one.
    pub feature_code: Option<String>,
}

/// What sort of place an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlaceKind {
    Country,
    Admin1,
    Admin2,
    City,
    Town,
    Village,
    Neighbourhood,
    Camp,
    Prison,
    BorderCrossing,
    Border,
    Mountain,
    Area,
    Region,
    Dam,
    River,
    Other,
}

impl PlaceKind {
    /// Reads the kind as the data writes it ("border_crossing", "admin1"…); unknown kinds are
    /// `Other` so that new kinds in the data never stop the load.
    pub fn parse(text: &str) -> PlaceKind {
        match text.trim().to_ascii_lowercase().replace(['-', ' '], "_").as_str() {
            "country" => PlaceKind::Country,
            "admin1" | "adm1" | "governorate" | "province" | "state" => PlaceKind::Admin1,
            "admin2" | "adm2" | "district" | "county" => PlaceKind::Admin2,
            "city" => PlaceKind::City,
            "town" => PlaceKind::Town,
            "village" => PlaceKind::Village,
            "neighbourhood" | "neighborhood" | "suburb" | "quarter" => PlaceKind::Neighbourhood,
            "camp" => PlaceKind::Camp,
            "prison" => PlaceKind::Prison,
            "border_crossing" | "crossing" => PlaceKind::BorderCrossing,
            "border" => PlaceKind::Border,
            "mountain" | "mountains" => PlaceKind::Mountain,
            "area" => PlaceKind::Area,
            "region" => PlaceKind::Region,
            "dam" => PlaceKind::Dam,
            "river" => PlaceKind::River,
            _ => PlaceKind::Other,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PlaceKind::Country => "country",
            PlaceKind::Admin1 => "admin1",
            PlaceKind::Admin2 => "admin2",
            PlaceKind::City => "city",
            PlaceKind::Town => "town",
            PlaceKind::Village => "village",
            PlaceKind::Neighbourhood => "neighbourhood",
            PlaceKind::Camp => "camp",
            PlaceKind::Prison => "prison",
            PlaceKind::BorderCrossing => "border_crossing",
            PlaceKind::Border => "border",
            PlaceKind::Mountain => "mountain",
            PlaceKind::Area => "area",
            PlaceKind::Region => "region",
            PlaceKind::Dam => "dam",
            PlaceKind::River => "river",
            PlaceKind::Other => "other",
        }
    }

    /// Populated places: cities, towns, villages and their quarters.
    pub fn is_settlement(self) -> bool {
        matches!(
            self,
            PlaceKind::City | PlaceKind::Town | PlaceKind::Village | PlaceKind::Neighbourhood
        )
    }
}

/// Why the gazetteer could not be read.
#[derive(Debug, thiserror::Error)]
pub enum GazetteerError {
    #[error("{path}: cannot read: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}:{line}: {message}")]
    Parse {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
    #[error("no gazetteer in {dir}: expected {GAZETTEER_FILE} there (built by tools/gazetteer)")]
    Missing { dir: PathBuf },
}

/// An index into the place table.
pub type PlaceIndex = u32;

/// How a name belongs to a place: its own name, or one of its alternate names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NameRef {
    pub place: PlaceIndex,
    /// The place's preferred name (or that name without its article), not an alternate.
    pub primary: bool,
}

/// All places and their names, ready for lookup.
#[derive(Debug, Default)]
pub struct Gazetteer {
    places: Vec<Place>,
    by_id: HashMap<String, PlaceIndex>,
    /// Normalised names, each with the places that carry it.
    name_keys: Vec<String>,
    name_postings: Vec<Vec<NameRef>>,
    name_by_key: HashMap<String, u32>,
    /// Normalised demonyms and adjectives ("iraqi", "kurdish") and the place they refer to.
    demonyms: HashMap<String, PlaceIndex>,
    countries: HashMap<String, PlaceIndex>,
    /// Admin-1 places by (country code, normalised admin-1 name).
    admin1_by_name: HashMap<(String, String), PlaceIndex>,
    geometries: HashMap<PlaceIndex, Geometry<f64>>,
    /// Admin-1 areas with a polygon, and its bounding box for a quick first test.
    admin1_areas: Vec<(PlaceIndex, Rect<f64>)>,
    /// Border entries by the two countries they separate (codes in alphabetical order).
    borders: HashMap<(String, String), PlaceIndex>,
    /// The geoparser's matcher, built on first use.
    pub(crate) matcher: OnceLock<crate::geoparse::recognise::Matcher>,
}

/// Builds a gazetteer from places, names and shapes; used by the loader and by tests.
#[derive(Debug, Default)]
pub struct GazetteerBuilder {
    places: Vec<Place>,
    alternate_names: Vec<Vec<String>>,
    demonyms: Vec<(String, String)>,
    geometries: Vec<(String, Geometry<f64>)>,
}

impl GazetteerBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a place with its alternate names (its own name is always indexed).
    pub fn place(&mut self, place: Place, alternate_names: Vec<String>) -> &mut Self {
        self.places.push(place);
        self.alternate_names.push(alternate_names);
        self
    }

    /// Adds a demonym or adjective ("Iraqi") for the place with id `target`.
    pub fn demonym(&mut self, word: &str, target: &str) -> &mut Self {
        self.demonyms.push((word.to_string(), target.to_string()));
        self
    }

    /// Adds the shape of the place with id `id`.
    pub fn geometry(&mut self, id: &str, geometry: Geometry<f64>) -> &mut Self {
        self.geometries.push((id.to_string(), geometry));
        self
    }

    pub fn build(self) -> Gazetteer {
        let mut gaz = Gazetteer::default();
        let mut alternate_names = self.alternate_names;
        for (index, place) in self.places.into_iter().enumerate() {
            let at = index as PlaceIndex;
            if gaz.by_id.contains_key(&place.id) {
                // A duplicate id keeps the first entry; the data's build checks for these.
                continue;
            }
            gaz.by_id.insert(place.id.clone(), gaz.places.len() as PlaceIndex);
            let stored = gaz.places.len() as PlaceIndex;
            let primary = normalise_name(&place.name);
            gaz.add_name(&primary, stored, true);
            for alternate in std::mem::take(&mut alternate_names[at as usize]) {
                let key = normalise_name(&alternate);
                gaz.add_name(&key, stored, key == primary);
            }
            match place.kind {
                PlaceKind::Country => {
                    if let Some(code) = &place.country {
                        gaz.countries.entry(code.to_ascii_uppercase()).or_insert(stored);
                    }
                }
                PlaceKind::Admin1 => {
                    if let Some(code) = &place.country {
                        let admin1 = place.admin1.as_deref().unwrap_or(&place.name);
                        for name in [admin1, place.name.as_str()] {
                            gaz.admin1_by_name
                                .entry((code.to_ascii_uppercase(), normalise_name(name)))
                                .or_insert(stored);
                        }
                    }
                }
                _ => {}
            }
            gaz.places.push(place);
        }
        for (word, target) in self.demonyms {
            if let Some(&place) = gaz.by_id.get(&target) {
                gaz.demonyms.insert(normalise_name(&word), place);
            }
        }
        gaz.index_borders();
        for (id, geometry) in self.geometries {
            let Some(&place) = gaz.by_id.get(&id) else {
                continue;
            };
            if gaz.places[place as usize].kind == PlaceKind::Admin1
                && matches!(geometry, Geometry::Polygon(_) | Geometry::MultiPolygon(_))
                && let Some(rect) = geometry.bounding_rect()
            {
                gaz.admin1_areas.push((place, rect));
            }
            gaz.geometries.insert(place, geometry);
        }
        gaz
    }
}

impl Gazetteer {
    /// Reads the gazetteer from a data folder (holding `gazetteer.tsv.gz` and optionally
    /// `regions.geojson`) or from one table file.
    pub fn load(dir_or_file: &Path) -> Result<Gazetteer, GazetteerError> {
        load_from(dir_or_file)
    }

    /// The gazetteer bundled with the program, read once on first use.
    pub fn bundled() -> Result<&'static Gazetteer, GazetteerError> {
        static BUNDLED: OnceLock<Result<Gazetteer, String>> = OnceLock::new();
        let data_dir = crate::data_dir();
        let loaded = BUNDLED.get_or_init(|| Gazetteer::load(&data_dir).map_err(|e| e.to_string()));
        match loaded {
            Ok(gaz) => Ok(gaz),
            Err(message) => Err(GazetteerError::Invalid {
                path: data_dir,
                message: message.clone(),
            }),
        }
    }

    pub fn len(&self) -> usize {
        self.places.len()
    }

    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }

    pub fn get(&self, id: &str) -> Option<&Place> {
        self.by_id.get(id).map(|&i| &self.places[i as usize])
    }

    pub fn index_of(&self, id: &str) -> Option<PlaceIndex> {
        self.by_id.get(id).copied()
    }

    pub fn place(&self, index: PlaceIndex) -> &Place {
        &self.places[index as usize]
    }

    pub fn places(&self) -> &[Place] {
        &self.places
    }

    /// The shape of an area, region or border, where the data has one.
    pub fn geometry(&self, id: &str) -> Option<&Geometry<f64>> {
        self.by_id.get(id).and_then(|i| self.geometries.get(i))
    }

    /// The admin-1 area (governorate, province, state) whose polygon holds the point.
    pub fn containing_admin1(&self, lat: f64, lon: f64) -> Option<&Place> {
        let point = Point::new(lon, lat);
        self.admin1_areas
            .iter()
            .filter(|(_, rect)| {
                let (min, max) = (rect.min(), rect.max());
                (min.x..=max.x).contains(&lon) && (min.y..=max.y).contains(&lat)
            })
            .find(|(place, _)| {
                self.geometries
                    .get(place)
                    .is_some_and(|shape| shape.contains(&point))
            })
            .map(|(place, _)| &self.places[*place as usize])
    }

    /// The country entry for an ISO 3166-1 alpha-2 code.
    pub fn country(&self, iso2: &str) -> Option<PlaceIndex> {
        self.countries.get(&iso2.to_ascii_uppercase()).copied()
    }

    /// The admin-1 entry of a country with this (normalised) name.
    pub fn admin1(&self, country: &str, normalised_name: &str) -> Option<PlaceIndex> {
        self.admin1_by_name
            .get(&(country.to_string(), normalised_name.to_string()))
            .copied()
    }

    /// The admin-1 entry a place lies in, by its country and admin-1 name.
    pub fn admin1_of(&self, place: &Place) -> Option<PlaceIndex> {
        let country = place.country.as_deref()?;
        let admin1 = place.admin1.as_deref()?;
        self.admin1(country, &normalise_name(admin1))
    }

    /// The places a normalised name may refer to.
    pub fn lookup(&self, normalised: &str) -> &[NameRef] {
        match self.name_by_key.get(normalised) {
            Some(&key) => &self.name_postings[key as usize],
            None => &[],
        }
    }

    /// The place a normalised demonym or adjective refers to ("iraqi" → Iraq).
    pub fn demonym(&self, normalised: &str) -> Option<PlaceIndex> {
        self.demonyms.get(normalised).copied()
    }

    pub(crate) fn name_keys(&self) -> &[String] {
        &self.name_keys
    }

    pub(crate) fn name_postings(&self, key: u32) -> &[NameRef] {
        &self.name_postings[key as usize]
    }

    pub(crate) fn demonym_words(&self) -> impl Iterator<Item = (&str, PlaceIndex)> {
        self.demonyms.iter().map(|(word, &place)| (word.as_str(), place))
    }

    /// The border entry between two countries (ISO codes, either order).
    pub fn border_between(&self, a: &str, b: &str) -> Option<PlaceIndex> {
        let (a, b) = (a.to_ascii_uppercase(), b.to_ascii_uppercase());
        let key = if a <= b { (a, b) } else { (b, a) };
        self.borders.get(&key).copied()
    }

    /// Finds which two countries each border entry separates from its names
    /// ("iraq syria border", "syrian iraqi border").
    fn index_borders(&mut self) {
        let country_of = |gaz: &Gazetteer, words: &[&str]| -> Option<String> {
            let phrase = words.join(" ");
            let by_name = gaz.lookup(&phrase).iter().find_map(|r| {
                let place = gaz.place(r.place);
                (place.kind == PlaceKind::Country).then(|| place.country.clone()).flatten()
            });
            by_name.or_else(|| {
                let place = gaz.place(gaz.demonym(&phrase)?);
                (place.kind == PlaceKind::Country).then(|| place.country.clone())?
            })
        };
        let mut found = Vec::new();
        for (slot, key) in self.name_keys.iter().enumerate() {
            let Some(pair) = key.strip_suffix(" border") else {
                continue;
            };
            let Some(border) = self.name_postings[slot]
                .iter()
                .find(|r| self.places[r.place as usize].kind == PlaceKind::Border)
            else {
                continue;
            };
            let words: Vec<&str> = pair.split(' ').collect();
            for split in 1..words.len() {
                if let (Some(a), Some(b)) = (
                    country_of(self, &words[..split]),
                    country_of(self, &words[split..]),
                ) && a != b
                {
                    found.push((a, b, border.place));
                    break;
                }
            }
        }
        for (a, b, place) in found {
            let key = if a <= b { (a, b) } else { (b, a) };
            self.borders.entry(key).or_insert(place);
        }
    }

    fn add_name(&mut self, key: &str, place: PlaceIndex, primary: bool) {
        if key.is_empty() || !key.bytes().any(|b| b.is_ascii_alphabetic()) {
            return;
        }
        self.add_key(key, place, primary);
        // "Al Ḩasakah" is also written "Hasakah"; index the bare form too.
        if let Some(bare) = strip_article(key)
            && bare.len() >= 3
        {
            self.add_key(bare, place, primary);
        }
    }

    fn add_key(&mut self, key: &str, place: PlaceIndex, primary: bool) {
        let slot = match self.name_by_key.get(key) {
            Some(&slot) => slot,
            None => {
                let slot = self.name_keys.len() as u32;
                self.name_keys.push(key.to_string());
                self.name_postings.push(Vec::new());
                self.name_by_key.insert(key.to_string(), slot);
                slot
            }
        };
        let postings = &mut self.name_postings[slot as usize];
        match postings.iter_mut().find(|r| r.place == place) {
            Some(existing) => existing.primary |= primary,
            None => postings.push(NameRef { place, primary }),
        }
    }
}

/// Reads the table (and the shapes beside it, when there are any).
fn load_from(dir_or_file: &Path) -> Result<Gazetteer, GazetteerError> {
    let (table, regions) = if dir_or_file.is_dir() {
        let gz = dir_or_file.join(GAZETTEER_FILE);
        let plain = dir_or_file.join(GAZETTEER_FILE_PLAIN);
        let table = if gz.is_file() {
            gz
        } else if plain.is_file() {
            plain
        } else {
            return Err(GazetteerError::Missing {
                dir: dir_or_file.to_path_buf(),
            });
        };
        (table, dir_or_file.join(REGIONS_FILE))
    } else {
        let dir = dir_or_file.parent().unwrap_or(Path::new("."));
        (dir_or_file.to_path_buf(), dir.join(REGIONS_FILE))
    };
    let text = read_text(&table)?;
    let mut builder = parse_table(&table, &text)?;
    if regions.is_file() {
        let json = read_text(&regions)?;
        parse_regions(&regions, &json, &mut builder)?;
    }
    Ok(builder.build())
}

/// The table's columns, found by name in its `# id\tkind\t…` header line.
struct Columns {
    id: usize,
    kind: usize,
    name: usize,
    lat: usize,
    lon: usize,
    country: Option<usize>,
    admin1_name: Option<usize>,
    population: Option<usize>,
    feature_code: Option<usize>,
    reference: Option<usize>,
    alt_names: Option<usize>,
}

impl Columns {
    fn from_header(header: &str) -> Option<Columns> {
        let names: Vec<&str> = header.split('\t').map(str::trim).collect();
        let find = |name: &str| names.iter().position(|n| *n == name);
        Some(Columns {
            id: find("id")?,
            kind: find("kind")?,
            name: find("name")?,
            lat: find("lat")?,
            lon: find("lon")?,
            country: find("country"),
            admin1_name: find("admin1_name"),
            population: find("population"),
            feature_code: find("feature_code"),
            reference: find("ref"),
            alt_names: find("alt_names"),
        })
    }
}

/// Parses the gazetteer table (format 1, see tools/gazetteer/README.md).
fn parse_table(path: &Path, text: &str) -> Result<GazetteerBuilder, GazetteerError> {
    let mut builder = GazetteerBuilder::new();
    let mut columns: Option<Columns> = None;
    let error = |line: usize, message: String| GazetteerError::Parse {
        path: path.to_path_buf(),
        line,
        message,
    };
    for (number, line) in numbered_lines(text) {
        if let Some(comment) = line.strip_prefix('#') {
            let comment = comment.trim_start();
            if comment.starts_with("id\t") {
                columns = Columns::from_header(comment);
                if columns.is_none() {
                    return Err(error(number, "header lacks id, kind, name, lat or lon".into()));
                }
            }
            continue;
        }
        if line.trim().is_empty() {
            continue;
        }
        let Some(cols) = columns.as_ref() else {
            return Err(error(number, "data before the '# id\tkind\t…' header line".into()));
        };
        let fields: Vec<&str> = line.split('\t').collect();
        let field = |i: usize| fields.get(i).copied().unwrap_or("").trim();
        let optional = |i: Option<usize>| i.map(field).filter(|s| !s.is_empty());
        let id = field(cols.id);
        if id.is_empty() {
            return Err(error(number, "empty id".into()));
        }
        let kind_text = field(cols.kind);
        let name = field(cols.name);
        let alternates: Vec<String> = optional(cols.alt_names)
            .map(|a| a.split('|').filter(|s| !s.is_empty()).map(String::from).collect())
            .unwrap_or_default();
        if kind_text == "demonym" {
            let Some(target) = optional(cols.reference) else {
                return Err(error(number, format!("demonym {id} has no ref")));
            };
            builder.demonym(name, target);
            for word in &alternates {
                builder.demonym(word, target);
            }
            continue;
        }
        let coordinate = |i: usize, what: &str, limit: f64| {
            field(i)
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite() && v.abs() <= limit)
                .ok_or_else(|| error(number, format!("{id}: bad {what} {:?}", field(i))))
        };
        let lat = coordinate(cols.lat, "latitude", 90.0)?;
        let lon = coordinate(cols.lon, "longitude", 180.0)?;
        let population = match optional(cols.population) {
            Some(p) => p
                .parse::<u64>()
                .map_err(|_| error(number, format!("{id}: bad population {p:?}")))?,
            None => 0,
        };
        builder.place(
            Place {
                id: id.to_string(),
                kind: PlaceKind::parse(kind_text),
                name: name.to_string(),
                lat,
                lon,
                country: optional(cols.country).map(str::to_ascii_uppercase),
                admin1: optional(cols.admin1_name).map(String::from),
                population,
                feature_code: optional(cols.feature_code).map(String::from),
            },
            alternates,
        );
    }
    if columns.is_none() {
        return Err(GazetteerError::Invalid {
            path: path.to_path_buf(),
            message: "not a gazetteer table: no '# id\tkind\t…' header line".into(),
        });
    }
    Ok(builder)
}

/// Reads the shapes of `regions.geojson`: features whose `id` (or `properties.id`) is a
/// gazetteer id. Features of other ids are skipped.
fn parse_regions(
    path: &Path,
    json: &str,
    builder: &mut GazetteerBuilder,
) -> Result<(), GazetteerError> {
    let invalid = |message: String| GazetteerError::Invalid {
        path: path.to_path_buf(),
        message,
    };
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|e| GazetteerError::Parse {
            path: path.to_path_buf(),
            line: e.line(),
            message: e.to_string(),
        })?;
    let features = value
        .get("features")
        .and_then(|f| f.as_array())
        .ok_or_else(|| invalid("not a GeoJSON FeatureCollection".into()))?;
    for (index, feature) in features.iter().enumerate() {
        let id = feature
            .get("id")
            .and_then(|v| v.as_str())
            .or_else(|| feature.pointer("/properties/id").and_then(|v| v.as_str()));
        let Some(id) = id else {
            continue;
        };
        let Some(geometry) = feature.get("geometry").filter(|g| !g.is_null()) else {
            continue;
        };
        let geometry = geojson_geometry(geometry)
            .ok_or_else(|| invalid(format!("feature {index} ({id}): unreadable geometry")))?;
        builder.geometry(id, geometry);
    }
    Ok(())
}

/// Converts a GeoJSON geometry object to a `geo` geometry.
fn geojson_geometry(value: &serde_json::Value) -> Option<Geometry<f64>> {
    use geo::{Coord, LineString, MultiLineString, MultiPolygon, Polygon};
    fn coord(v: &serde_json::Value) -> Option<Coord<f64>> {
        let pair = v.as_array()?;
        Some(Coord {
            x: pair.first()?.as_f64()?,
            y: pair.get(1)?.as_f64()?,
        })
    }
    fn line(v: &serde_json::Value) -> Option<LineString<f64>> {
        v.as_array()?.iter().map(coord).collect::<Option<Vec<_>>>().map(LineString::new)
    }
    fn polygon(v: &serde_json::Value) -> Option<Polygon<f64>> {
        let mut rings = v.as_array()?.iter().map(line);
        let exterior = rings.next()??;
        let interiors = rings.collect::<Option<Vec<_>>>()?;
        Some(Polygon::new(exterior, interiors))
    }
    let coordinates = value.get("coordinates");
    let array = |v: Option<&serde_json::Value>| v.and_then(|c| c.as_array()).cloned();
    match value.get("type")?.as_str()? {
        "Point" => coord(coordinates?).map(|c| Geometry::Point(Point(c))),
        "LineString" => line(coordinates?).map(Geometry::LineString),
        "MultiLineString" => array(coordinates)?
            .iter()
            .map(line)
            .collect::<Option<Vec<_>>>()
            .map(|l| Geometry::MultiLineString(MultiLineString::new(l))),
        "Polygon" => polygon(coordinates?).map(Geometry::Polygon),
        "MultiPolygon" => array(coordinates)?
            .iter()
            .map(polygon)
            .collect::<Option<Vec<_>>>()
            .map(|p| Geometry::MultiPolygon(MultiPolygon::new(p))),
        "GeometryCollection" => value
            .get("geometries")?
            .as_array()?
            .iter()
            .map(geojson_geometry)
            .collect::<Option<Vec<_>>>()
            .map(|g| Geometry::GeometryCollection(geo::GeometryCollection::new_from(g))),
        _ => None,
    }
}

/// Reads a possibly gzip-compressed file whole into a string, naming the file on error.
pub(crate) fn read_text(path: &Path) -> Result<String, GazetteerError> {
    let io = |source| GazetteerError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let mut text = String::new();
    if path.extension().is_some_and(|e| e == "gz") {
        flate2::read::MultiGzDecoder::new(BufReader::new(file))
            .read_to_string(&mut text)
            .map_err(io)?;
    } else {
        BufReader::new(file).read_to_string(&mut text).map_err(io)?;
    }
    Ok(text)
}

/// Iterates over the lines of a text with their 1-based numbers.
pub(crate) fn numbered_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines().enumerate().map(|(i, line)| (i + 1, line))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A place for tests: the name, kind, position and country, the rest empty.
    pub fn place(id: &str, kind: PlaceKind, name: &str, lat: f64, lon: f64, cc: &str) -> Place {
        Place {
            id: id.to_string(),
            kind,
            name: name.to_string(),
            lat,
            lon,
            country: Some(cc.to_string()),
            admin1: None,
            population: 0,
            feature_code: None,
        }
    }

    #[test]
    fn looks_up_names_with_and_without_article() {
        let mut builder = GazetteerBuilder::new();
        builder.place(
            place("geonames:173811", PlaceKind::City, "Al Ḩasakah", 36.5, 40.7, "SY"),
            vec!["Hassakeh".into(), "Al-Hasakah".into()],
        );
        let gaz = builder.build();
        for name in ["al hasakah", "hasakah", "hassakeh"] {
            assert_eq!(gaz.lookup(name).len(), 1, "{name}");
        }
        assert!(gaz.lookup("hasakah")[0].primary);
        assert!(!gaz.lookup("hassakeh")[0].primary);
        assert_eq!(gaz.get("geonames:173811").map(|p| p.lat), Some(36.5));
    }

    #[test]
    fn finds_the_admin1_area_of_a_point() {
        let square = geo::polygon![(x: 40.0, y: 36.0), (x: 41.0, y: 36.0), (x: 41.0, y: 37.0), (x: 40.0, y: 37.0)];
        let mut builder = GazetteerBuilder::new();
        builder.place(
            place("geonames:1", PlaceKind::Admin1, "Al-Hasakah", 36.5, 40.5, "SY"),
            vec![],
        );
        builder.geometry("geonames:1", Geometry::Polygon(square));
        let gaz = builder.build();
        assert_eq!(
            gaz.containing_admin1(36.5, 40.5).map(|p| p.name.as_str()),
            Some("Al-Hasakah")
        );
        assert!(gaz.containing_admin1(35.0, 40.5).is_none());
    }
}
