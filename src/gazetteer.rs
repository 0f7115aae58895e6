//! The gazetteer: every place the geoparser can name, with its alternate names, and the
//! shapes of the areas that are more than a point (admin-1 areas, regions, borders).
//!
//! The data is built offline by `tools/gazetteer/` from GeoNames, Natural Earth and a curated
//! supplement, and read here once per process. See `tools/gazetteer/README.md` for its format.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::io::{BufReader, Read};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use geo::{BoundingRect, Contains, Geometry, Point, Rect};

pub mod normalise;

use normalise::{normalise_name, normalise_name_into, strip_article};

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
    Continent,
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
    /// A building or site named for who sits there ("White House", "Kremlin").
    Landmark,
    /// An airport or air base ("Erbil International Airport", "Ain al-Asad").
    Airport,
    Other,
}

impl PlaceKind {
    /// Reads the kind as the data writes it ("border_crossing", "admin1"…); unknown kinds are
    /// `Other` so that new kinds in the data never stop the load.
    pub fn parse(text: &str) -> PlaceKind {
        // The data writes its kinds in lower case already; fold only when it does not.
        let folded;
        let text = if text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b == b'_' || b.is_ascii_digit())
        {
            text
        } else {
            folded = text.trim().to_ascii_lowercase().replace(['-', ' '], "_");
            folded.as_str()
        };
        match text {
            "continent" => PlaceKind::Continent,
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
            "landmark" => PlaceKind::Landmark,
            "airport" => PlaceKind::Airport,
            _ => PlaceKind::Other,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PlaceKind::Continent => "continent",
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
            PlaceKind::Landmark => "landmark",
            PlaceKind::Airport => "airport",
            PlaceKind::Other => "other",
        }
    }

    /// Places a point stands for well: not a continent, country, province, region or border.
    pub fn is_point_like(self) -> bool {
        !matches!(
            self,
            PlaceKind::Continent
                | PlaceKind::Country
                | PlaceKind::Admin1
                | PlaceKind::Region
                | PlaceKind::Border
                | PlaceKind::Area
        )
    }

    /// Kinds that may lie across several countries (the data gives them no country).
    pub fn spans_countries(self) -> bool {
        matches!(
            self,
            PlaceKind::Continent | PlaceKind::Region | PlaceKind::Area | PlaceKind::Border
        )
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
    /// All alternate names as the data writes them (`|`-separated), and each place's range
    /// in it: kept as read, normalised only when the name index is built.
    alternate_text: String,
    alternate_names: Vec<Range<u32>>,
    /// Places by the hash of their id; `next_same_id_hash` chains the rare collisions.
    by_id: FastMap<u64, PlaceIndex>,
    next_same_id_hash: Vec<PlaceIndex>,
    /// The name index, built on first use (it is most of the cost of loading).
    names: OnceLock<NameIndex>,
    /// Normalised demonyms and adjectives ("iraqi", "kurdish") and the place they refer to.
    demonyms: HashMap<String, PlaceIndex>,
    countries: HashMap<String, PlaceIndex>,
    /// Admin-1 places by (country code, normalised admin-1 name).
    admin1_by_name: HashMap<(String, String), PlaceIndex>,
    geometries: HashMap<PlaceIndex, Geometry<f64>>,
    /// Admin-1 areas with a polygon, and its bounding box for a quick first test.
    admin1_areas: Vec<(PlaceIndex, Rect<f64>)>,
}

/// Normalised names and the places that carry each, laid out flat: the names in one
/// string, the places of all names in one array (no allocation per name).
#[derive(Debug, Default)]
struct NameIndex {
    /// The text every name's range points into.
    arena: String,
    /// Each name's range in `arena` (its slot is its index here).
    keys: Vec<(u32, u32)>,
    /// The first slot whose name has this hash, and the next slot with the same hash.
    by_hash: FastMap<u64, u32>,
    next_same_hash: Vec<u32>,
    /// The places of slot `s` are `refs[offsets[s]..offsets[s + 1]]`.
    offsets: Vec<u32>,
    refs: Vec<NameRef>,
    /// The most words any name has: how far the matcher looks ahead.
    max_words: usize,
    /// Hashes of the word prefixes of longer names ("new" of "new york"): the matcher reads
    /// on past a word only where some name does.
    prefixes: FastMap<u64, ()>,
    /// Border entries by the two countries they separate (codes in alphabetical order).
    borders: HashMap<(String, String), PlaceIndex>,
}

/// Builds a gazetteer from places, names and shapes; used by the loader and by tests.
#[derive(Debug, Default)]
pub struct GazetteerBuilder {
    places: Vec<Place>,
    alternate_text: String,
    alternate_names: Vec<Range<u32>>,
    demonyms: Vec<(String, String)>,
    geometries: Vec<(String, Geometry<f64>)>,
}

impl GazetteerBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a place with its alternate names (its own name is always indexed).
    pub fn place(&mut self, place: Place, alternate_names: Vec<String>) -> &mut Self {
        self.place_with_joined_names(place, &alternate_names.join("|"))
    }

    /// Adds a place with its alternate names written `|`-separated, as the table has them.
    pub fn place_with_joined_names(&mut self, place: Place, alternate_names: &str) -> &mut Self {
        let start = self.alternate_text.len() as u32;
        self.alternate_text.push_str(alternate_names);
        self.alternate_text.push('\n');
        self.places.push(place);
        self.alternate_names
            .push(start..start + alternate_names.len() as u32);
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
        let mut gaz = Gazetteer {
            alternate_text: self.alternate_text,
            ..Gazetteer::default()
        };
        let (mut places, mut alternate_names) = (self.places, self.alternate_names);
        gaz.by_id.reserve(places.len());
        gaz.next_same_id_hash.reserve(places.len());
        // Index the ids where the places lie, without moving them; a duplicate id (the data's
        // build rules them out) keeps the first entry, and the rest is indexed again without it.
        let mut duplicates = Vec::new();
        for (index, place) in places.iter().enumerate() {
            let hash = hash_str(&place.id);
            let mut at = gaz.by_id.get(&hash).copied().unwrap_or(PlaceIndex::MAX);
            let first = at;
            while at != PlaceIndex::MAX && places[at as usize].id != place.id {
                at = gaz.next_same_id_hash[at as usize];
            }
            if at != PlaceIndex::MAX {
                duplicates.push(index);
            }
            gaz.by_id.insert(hash, index as PlaceIndex);
            gaz.next_same_id_hash.push(first);
        }
        if !duplicates.is_empty() {
            for index in duplicates.into_iter().rev() {
                places.remove(index);
                alternate_names.remove(index);
            }
            gaz.by_id.clear();
            gaz.next_same_id_hash.clear();
            for (index, place) in places.iter().enumerate() {
                let previous = gaz.by_id.insert(hash_str(&place.id), index as PlaceIndex);
                gaz.next_same_id_hash
                    .push(previous.unwrap_or(PlaceIndex::MAX));
            }
        }
        for (stored, place) in places.iter().enumerate() {
            let stored = stored as PlaceIndex;
            match place.kind {
                PlaceKind::Country => {
                    if let Some(code) = &place.country {
                        gaz.countries
                            .entry(code.to_ascii_uppercase())
                            .or_insert(stored);
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
        }
        gaz.places = places;
        gaz.alternate_names = alternate_names;
        for (word, target) in self.demonyms {
            let place = gaz.index_of(&target).or_else(|| {
                // "iso:IQ" names a country by its code.
                gaz.country(target.strip_prefix("iso:")?)
            });
            if let Some(place) = place {
                gaz.demonyms.insert(normalise_name(&word), place);
            }
        }
        for (id, geometry) in self.geometries {
            let Some(place) = gaz.index_of(&id) else {
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

/// A normalised name of a place: its range in the arena of names, its hash, the place,
/// and whether it is the place's own name.
#[derive(Debug, Clone, Copy)]
struct NameEntry {
    start: u32,
    len: u32,
    hash: u64,
    place: PlaceIndex,
    own: bool,
}

/// The normalised names of a range of places, written into one arena.
fn normalised_names(gaz: &Gazetteer, range: Range<usize>) -> (String, Vec<NameEntry>) {
    let mut arena = String::with_capacity(range.len() * 48);
    let mut entries = Vec::with_capacity(range.len() * 4);
    let mut primary = String::new();
    for index in range {
        let place = &gaz.places[index];
        let at = index as PlaceIndex;
        primary.clear();
        normalise_name_into(&place.name, &mut primary);
        let alternates = gaz.alternate_names[index].clone();
        let alternates = gaz
            .alternate_text
            .get(alternates.start as usize..alternates.end as usize)
            .unwrap_or("");
        for name in std::iter::once(place.name.as_str()).chain(alternates.split('|')) {
            let ascii = name.is_ascii();
            if name.is_empty() || !(ascii || is_matchable_script(name)) {
                continue;
            }
            let start = arena.len();
            normalise_name_into(name, &mut arena);
            let key = &arena[start..];
            if key.is_empty() || !key.bytes().any(|b| b.is_ascii_alphabetic() || b >= 0x80) {
                arena.truncate(start);
                continue;
            }
            let own = key == primary;
            entries.push(NameEntry {
                start: start as u32,
                len: key.len() as u32,
                hash: hash_str(key),
                place: at,
                own,
            });
            push_bare(&arena, start, at, own, &mut entries);
            // Transliterations mark the ayn and the hamza ("Ma‘dān", "Al Qā’im"); English
            // writes the word whole ("Madan", "al-Qaim"): the name without the marks too.
            if !ascii && name.contains(AYN_HAMZA) {
                let joined: String = name.chars().filter(|c| !AYN_HAMZA.contains(c)).collect();
                let joined_start = arena.len();
                normalise_name_into(&joined, &mut arena);
                if arena.len() == joined_start
                    || arena[joined_start..] == arena[start..joined_start]
                {
                    arena.truncate(joined_start);
                    continue;
                }
                let key = &arena[joined_start..];
                entries.push(NameEntry {
                    start: joined_start as u32,
                    len: key.len() as u32,
                    hash: hash_str(key),
                    place: at,
                    own,
                });
                push_bare(&arena, joined_start, at, own, &mut entries);
            }
        }
    }
    (arena, entries)
}

/// The marks of the ayn and the hamza in transliterated names.
const AYN_HAMZA: [char; 4] = ['\u{2018}', '\u{2019}', '\u{02BF}', '\u{02BE}'];

/// The name written at `arena[start..]` without its Arabic article ("Al Ḩasakah" is also
/// "Hasakah"), when it has one.
fn push_bare(arena: &str, start: usize, at: PlaceIndex, own: bool, entries: &mut Vec<NameEntry>) {
    if let Some(bare) = strip_article(&arena[start..])
        && bare.len() >= 3
    {
        let bare_start = arena.len() - bare.len();
        entries.push(NameEntry {
            start: bare_start as u32,
            len: bare.len() as u32,
            hash: hash_str(bare),
            place: at,
            own,
        });
    }
}

impl NameIndex {
    fn build(gaz: &Gazetteer) -> NameIndex {
        let started = std::time::Instant::now();
        // Normalising is most of the work: two threads, one for each half of the places.
        let half = gaz.places.len() / 2;
        let ((mut arena, mut entries), (second_arena, second_entries)) =
            std::thread::scope(|scope| {
                let second = scope.spawn(|| normalised_names(gaz, half..gaz.places.len()));
                let first = normalised_names(gaz, 0..half);
                let second = second
                    .join()
                    .unwrap_or_else(|_| normalised_names(gaz, half..gaz.places.len()));
                (first, second)
            });
        let shift = arena.len() as u32;
        arena.push_str(&second_arena);
        entries.extend(second_entries.into_iter().map(|mut e| {
            e.start += shift;
            e
        }));
        let mut index = NameIndex {
            arena,
            ..NameIndex::default()
        };
        // Give each distinct name a slot, then lay the places out slot by slot.
        let normalised = started.elapsed();
        index.by_hash.reserve(entries.len() / 2);
        let slots: Vec<u32> = entries.iter().map(|e| index.slot_for(e)).collect();
        let slotted = started.elapsed();
        let mut counts = vec![0u32; index.keys.len() + 1];
        for &slot in &slots {
            counts[slot as usize + 1] += 1;
        }
        for i in 1..counts.len() {
            counts[i] += counts[i - 1];
        }
        let mut fill = counts.clone();
        let mut refs = vec![
            NameRef {
                place: 0,
                primary: false
            };
            entries.len()
        ];
        for (entry, &slot) in entries.iter().zip(&slots) {
            let at = &mut fill[slot as usize];
            refs[*at as usize] = NameRef {
                place: entry.place,
                primary: entry.own,
            };
            *at += 1;
        }
        // One reference per place and name, own-name flags merged.
        let mut offsets = Vec::with_capacity(counts.len());
        let mut kept: Vec<NameRef> = Vec::with_capacity(refs.len());
        for slot in 0..index.keys.len() {
            offsets.push(kept.len() as u32);
            let first = kept.len();
            for r in &refs[counts[slot] as usize..counts[slot + 1] as usize] {
                match kept[first..].iter_mut().find(|k| k.place == r.place) {
                    Some(existing) => existing.primary |= r.primary,
                    None => kept.push(*r),
                }
            }
        }
        offsets.push(kept.len() as u32);
        index.offsets = offsets;
        index.refs = kept;
        index.index_borders(gaz);
        log::debug!(
            "name index: {} names, {} entries: normalised {:?}, slotted {:?}, laid out {:?}",
            index.keys.len(),
            entries.len(),
            normalised,
            slotted - normalised,
            started.elapsed() - slotted
        );
        index
    }

    fn key(&self, slot: u32) -> &str {
        let (start, len) = self.keys[slot as usize];
        self.arena
            .get(start as usize..(start + len) as usize)
            .unwrap_or("")
    }

    /// The slot of an entry's name, a new one if the name is new.
    fn slot_for(&mut self, entry: &NameEntry) -> u32 {
        let name = &self.arena[entry.start as usize..(entry.start + entry.len) as usize];
        let slot = self.keys.len() as u32;
        // One probe of the hash table: the chain of names with this hash, or a new one.
        let previous = match self.by_hash.entry(entry.hash) {
            std::collections::hash_map::Entry::Occupied(mut head) => {
                let mut at = *head.get();
                while at != u32::MAX {
                    let (start, len) = self.keys[at as usize];
                    if self.arena.get(start as usize..(start + len) as usize) == Some(name) {
                        return at;
                    }
                    at = self.next_same_hash[at as usize];
                }
                head.insert(slot)
            }
            std::collections::hash_map::Entry::Vacant(vacant) => {
                vacant.insert(slot);
                u32::MAX
            }
        };
        self.keys.push((entry.start, entry.len));
        self.next_same_hash.push(previous);
        let name = &self.arena[entry.start as usize..(entry.start + entry.len) as usize];
        let words = name.split(' ').count();
        self.max_words = self.max_words.max(words);
        let mut end = 0;
        let mut prefixes = Vec::new();
        for word in name.split(' ').take(words.saturating_sub(1)) {
            end += word.len();
            prefixes.push(hash_str(&name[..end]));
            end += 1;
        }
        for prefix in prefixes {
            self.prefixes.insert(prefix, ());
        }
        slot
    }

    fn find(&self, name: &str, hash: u64) -> Option<u32> {
        let mut slot = *self.by_hash.get(&hash)?;
        while slot != u32::MAX {
            if self.key(slot) == name {
                return Some(slot);
            }
            slot = self.next_same_hash[slot as usize];
        }
        None
    }

    fn postings(&self, slot: u32) -> &[NameRef] {
        let (Some(&start), Some(&end)) = (
            self.offsets.get(slot as usize),
            self.offsets.get(slot as usize + 1),
        ) else {
            return &[];
        };
        self.refs.get(start as usize..end as usize).unwrap_or(&[])
    }

    /// Finds which two countries each border entry separates from its names
    /// ("iraq syria border", "syrian iraqi border").
    fn index_borders(&mut self, gaz: &Gazetteer) {
        let country_of = |words: &[&str]| -> Option<String> {
            let phrase = words.join(" ");
            let by_name = self.find(&phrase, hash_str(&phrase)).and_then(|slot| {
                self.postings(slot).iter().find_map(|r| {
                    let place = &gaz.places[r.place as usize];
                    (place.kind == PlaceKind::Country)
                        .then(|| place.country.clone())
                        .flatten()
                })
            });
            by_name.or_else(|| {
                let place = &gaz.places[*gaz.demonyms.get(&phrase)? as usize];
                (place.kind == PlaceKind::Country).then(|| place.country.clone())?
            })
        };
        let mut found = Vec::new();
        for slot in 0..self.keys.len() as u32 {
            let Some(pair) = self.key(slot).strip_suffix(" border") else {
                continue;
            };
            let Some(border) = self
                .postings(slot)
                .iter()
                .find(|r| gaz.places[r.place as usize].kind == PlaceKind::Border)
            else {
                continue;
            };
            let words: Vec<&str> = pair.split(' ').collect();
            for split in 1..words.len() {
                if let (Some(a), Some(b)) =
                    (country_of(&words[..split]), country_of(&words[split..]))
                    && a != b
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
}

/// Great-circle distance in kilometres between two points given in degrees (haversine, on
/// the mean Earth radius): the one measure of distance every stage uses.
pub fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    const EARTH_RADIUS_KM: f64 = 6371.0088;
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * a.sqrt().clamp(0.0, 1.0).asin()
}

/// The hash the prefix set uses.
fn hash_str(text: &str) -> u64 {
    let mut hasher = FxHasher::default();
    hasher.write(text.as_bytes());
    hasher.finish()
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
        self.index_of(id).map(|i| &self.places[i as usize])
    }

    pub fn index_of(&self, id: &str) -> Option<PlaceIndex> {
        let mut at = *self.by_id.get(&hash_str(id))?;
        while at != PlaceIndex::MAX {
            if self.places.get(at as usize)?.id == id {
                return Some(at);
            }
            at = *self.next_same_id_hash.get(at as usize)?;
        }
        None
    }

    pub fn place(&self, index: PlaceIndex) -> &Place {
        &self.places[index as usize]
    }

    pub fn places(&self) -> &[Place] {
        &self.places
    }

    /// The shape of an area, region or border, where the data has one.
    pub fn geometry(&self, id: &str) -> Option<&Geometry<f64>> {
        self.index_of(id).and_then(|i| self.geometries.get(&i))
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
    /// The places a normalised name may refer to.
    pub fn lookup(&self, normalised: &str) -> &[NameRef] {
        let index = self.name_index();
        match index.find(normalised, hash_str(normalised)) {
            Some(slot) => index.postings(slot),
            None => &[],
        }
    }

    /// Builds the name index now rather than on the first lookup (e.g. on a background
    /// thread at start-up). Calling it again costs nothing.
    pub fn prepare_names(&self) {
        self.name_index();
    }

    fn name_index(&self) -> &NameIndex {
        self.names.get_or_init(|| NameIndex::build(self))
    }

    /// The slot of a normalised name, for [`Gazetteer::name_postings`].
    pub fn name_slot(&self, normalised: &str) -> Option<u32> {
        self.name_index().find(normalised, hash_str(normalised))
    }

    /// Whether some longer name starts with these (normalised) words.
    pub fn is_name_prefix(&self, normalised: &str) -> bool {
        self.name_index()
            .prefixes
            .contains_key(&hash_str(normalised))
    }

    /// How many distinct normalised names the gazetteer has.
    pub fn name_count(&self) -> usize {
        self.name_index().keys.len()
    }

    /// The most words a name has.
    pub fn max_name_words(&self) -> usize {
        self.name_index().max_words
    }

    pub fn name_postings(&self, slot: u32) -> &[NameRef] {
        self.name_index().postings(slot)
    }

    /// The border entry between two countries (ISO codes, either order).
    pub fn border_between(&self, a: &str, b: &str) -> Option<PlaceIndex> {
        let (a, b) = (a.to_ascii_uppercase(), b.to_ascii_uppercase());
        let key = if a <= b { (a, b) } else { (b, a) };
        self.name_index().borders.get(&key).copied()
    }

    /// The place a normalised demonym or adjective refers to ("iraqi" → Iraq).
    pub fn demonym(&self, normalised: &str) -> Option<PlaceIndex> {
        self.demonyms.get(normalised).copied()
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
    let started = std::time::Instant::now();
    let text = read_text(&table)?;
    let read = started.elapsed();
    let mut builder = parse_table(&table, text)?;
    let parsed = started.elapsed();
    if regions.is_file() {
        let json = read_text(&regions)?;
        parse_regions(&regions, &json, &mut builder)?;
    }
    let shaped = started.elapsed();
    let gaz = builder.build();
    log::debug!(
        "gazetteer {}: read {:?}, parsed {:?}, shapes {:?}, indexed {:?}",
        table.display(),
        read,
        parsed - read,
        shaped - parsed,
        started.elapsed() - shaped
    );
    Ok(gaz)
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

/// The data lines of one part of the table.
#[derive(Default)]
struct Rows {
    places: Vec<Place>,
    /// Each place's alternate names, as a range of the whole text.
    alternates: Vec<Range<u32>>,
    /// (words, target id) of each demonym line.
    demonyms: Vec<(Vec<String>, String)>,
}

/// Parses the gazetteer table (format 1, see tools/gazetteer/README.md): the header, then
/// the data lines in two halves on two threads.
fn parse_table(path: &Path, text: String) -> Result<GazetteerBuilder, GazetteerError> {
    let error = |line: usize, message: String| GazetteerError::Parse {
        path: path.to_path_buf(),
        line,
        message,
    };
    // The header: comment lines up to and including "# id\tkind\t…".
    let mut columns = None;
    let mut data_start = 0;
    let mut data_line = 1;
    for (number, line) in numbered_lines(&text) {
        let Some(comment) = line.strip_prefix('#') else {
            break;
        };
        let comment = comment.trim_start();
        if comment.starts_with("id\t") {
            columns = Columns::from_header(comment);
            if columns.is_none() {
                return Err(error(
                    number,
                    "header lacks id, kind, name, lat or lon".into(),
                ));
            }
        }
        data_start += line.len() + 1;
        data_line = number + 1;
    }
    let Some(columns) = columns else {
        return Err(GazetteerError::Invalid {
            path: path.to_path_buf(),
            message: "not a gazetteer table: no '# id\tkind\t…' header line".into(),
        });
    };
    let data = text.get(data_start.min(text.len())..).unwrap_or("");
    let middle = data.len() / 2;
    let split = data[middle..]
        .find('\n')
        .map_or(data.len(), |at| middle + at + 1);
    let (first, second) = data.split_at(split);
    let second_line = data_line + first.bytes().filter(|&b| b == b'\n').count();
    let base = text.as_ptr() as usize;
    let (first_rows, second_rows) = std::thread::scope(|scope| {
        let later = scope.spawn(|| parse_rows(path, &columns, second, second_line, base));
        let earlier = parse_rows(path, &columns, first, data_line, base);
        let later = later
            .join()
            .unwrap_or_else(|_| parse_rows(path, &columns, second, second_line, base));
        (earlier, later)
    });
    let (first_rows, second_rows) = (first_rows?, second_rows?);
    let mut builder = GazetteerBuilder::new();
    // The first half's vectors are kept and the second half's appended: one copy, not one
    // move per place.
    builder.places = first_rows.places;
    builder.places.extend(second_rows.places);
    builder.alternate_names = first_rows.alternates;
    builder.alternate_names.extend(second_rows.alternates);
    for (words, target) in first_rows.demonyms.into_iter().chain(second_rows.demonyms) {
        for word in words {
            builder.demonym(&word, &target);
        }
    }
    // The alternate names stay where they are, in the text as read.
    builder.alternate_text = text;
    Ok(builder)
}

/// Parses data lines; `first_line` numbers the first, `base` is the address of the whole
/// text (alternate names are kept as ranges into it).
fn parse_rows(
    path: &Path,
    cols: &Columns,
    lines: &str,
    first_line: usize,
    base: usize,
) -> Result<Rows, GazetteerError> {
    let error = |line: usize, message: String| GazetteerError::Parse {
        path: path.to_path_buf(),
        line,
        message,
    };
    let mut rows = Rows {
        places: Vec::with_capacity(lines.len() / 90),
        alternates: Vec::with_capacity(lines.len() / 90),
        demonyms: Vec::new(),
    };
    let mut fields: Vec<&str> = Vec::with_capacity(16);
    for (index, line) in lines.lines().enumerate() {
        let number = first_line + index;
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        fields.clear();
        fields.extend(line.split('\t'));
        let field = |i: usize| fields.get(i).copied().unwrap_or("").trim();
        let optional = |i: Option<usize>| i.map(field).filter(|s| !s.is_empty());
        let id = field(cols.id);
        if id.is_empty() {
            return Err(error(number, "empty id".into()));
        }
        let kind_text = field(cols.kind);
        let name = field(cols.name);
        let alternates = optional(cols.alt_names).unwrap_or("");
        if kind_text == "demonym" {
            let Some(target) = optional(cols.reference) else {
                return Err(error(number, format!("demonym {id} has no ref")));
            };
            let words = std::iter::once(name)
                .chain(alternates.split('|'))
                .filter(|w| !w.is_empty())
                .map(String::from)
                .collect();
            rows.demonyms.push((words, target.to_string()));
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
        let start = (alternates.as_ptr() as usize).saturating_sub(base) as u32;
        rows.places.push(Place {
            id: id.to_string(),
            kind: PlaceKind::parse(kind_text),
            name: name.to_string(),
            lat,
            lon,
            country: optional(cols.country).map(str::to_ascii_uppercase),
            admin1: optional(cols.admin1_name).map(String::from),
            population,
            feature_code: optional(cols.feature_code).map(String::from),
        });
        rows.alternates.push(start..start + alternates.len() as u32);
    }
    Ok(rows)
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

/// The shapes of these gazetteer ids from the bundled `regions.geojson` alone, without reading
/// the place table: a fraction of the time of [`Gazetteer::bundled`], for briefing images.
pub fn bundled_region_shapes(
    ids: &std::collections::BTreeSet<&str>,
) -> Result<HashMap<String, Geometry<f64>>, GazetteerError> {
    let path = crate::data_dir().join(REGIONS_FILE);
    let json = std::fs::read_to_string(&path).map_err(|source| GazetteerError::Io {
        path: path.clone(),
        source,
    })?;
    let mut builder = GazetteerBuilder::new();
    parse_regions(&path, &json, &mut builder)?;
    Ok(builder
        .geometries
        .into_iter()
        .filter(|(id, _)| ids.contains(id.as_str()))
        .collect())
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
        v.as_array()?
            .iter()
            .map(coord)
            .collect::<Option<Vec<_>>>()
            .map(LineString::new)
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

/// Whether a name is written in a script the geoparser reads (Latin, with its marks, or
/// Arabic); names in other scripts are not indexed, which keeps the index small.
fn is_matchable_script(name: &str) -> bool {
    name.chars().all(|c| {
        matches!(c as u32,
            0..=0x036F | 0x0600..=0x06FF | 0x0750..=0x077F | 0x1E00..=0x1EFF | 0x2000..=0x206F)
    })
}

/// A fast hash for the name index (FxHash: one multiply per word); the keys are not
/// attacker-chosen, so a keyed hash buys nothing here.
#[derive(Debug, Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

impl FxHasher {
    const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(Self::SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn finish(&self) -> u64 {
        // The multiply leaves its best bits at the top; the table indexes by the bottom.
        self.hash.rotate_left(26)
    }
}

/// A hash map with [`FxHasher`].
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// Reads a possibly gzip-compressed file whole into a string, naming the file on error.
pub fn read_text(path: &Path) -> Result<String, GazetteerError> {
    let io = |source| GazetteerError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut file = std::fs::File::open(path).map_err(io)?;
    let mut text = String::new();
    if path.extension().is_some_and(|e| e == "gz") {
        // The gzip trailer tells the uncompressed size (modulo 4 GiB): reserving it spares
        // the string's repeated doubling and copying.
        if let Some(size) = gzip_size_hint(&mut file) {
            text.reserve(size);
        }
        flate2::read::MultiGzDecoder::new(BufReader::new(file))
            .read_to_string(&mut text)
            .map_err(io)?;
    } else {
        BufReader::new(file).read_to_string(&mut text).map_err(io)?;
    }
    Ok(text)
}

/// The uncompressed size from a gzip file's trailer, leaving the file at its start.
fn gzip_size_hint(file: &mut std::fs::File) -> Option<usize> {
    use std::io::{Seek, SeekFrom};
    let length = file.metadata().ok()?.len();
    if length < 18 {
        return None;
    }
    file.seek(SeekFrom::End(-4)).ok()?;
    let mut trailer = [0u8; 4];
    let read = file.read_exact(&mut trailer);
    file.seek(SeekFrom::Start(0)).ok()?;
    read.ok()?;
    let size = u32::from_le_bytes(trailer) as usize;
    // A hint only: never more than a generous ratio of the compressed size.
    Some(size.min(length.saturating_mul(64) as usize))
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
            place(
                "geonames:173811",
                PlaceKind::City,
                "Al Ḩasakah",
                36.5,
                40.7,
                "SY",
            ),
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
        let square = geo::Polygon::new(
            geo::LineString::from(vec![(40.0, 36.0), (41.0, 36.0), (41.0, 37.0), (40.0, 37.0)]),
            vec![],
        );
        let mut builder = GazetteerBuilder::new();
        builder.place(
            place(
                "geonames:1",
                PlaceKind::Admin1,
                "Al-Hasakah",
                36.5,
                40.5,
                "SY",
            ),
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

    #[test]
    fn a_duplicate_id_keeps_the_first_entry_and_the_rest_stay_findable() {
        let mut builder = GazetteerBuilder::new();
        builder.place(
            place("local:a", PlaceKind::Town, "Alpha", 1.0, 1.0, "IQ"),
            vec![],
        );
        builder.place(
            place("local:b", PlaceKind::Town, "Beta", 2.0, 2.0, "IQ"),
            vec![],
        );
        builder.place(
            place("local:a", PlaceKind::Town, "Gamma", 3.0, 3.0, "IQ"),
            vec![],
        );
        builder.place(
            place("local:c", PlaceKind::Town, "Delta", 4.0, 4.0, "SY"),
            vec!["Dalta".to_string()],
        );
        let gaz = builder.build();
        assert_eq!(gaz.len(), 3);
        assert_eq!(gaz.get("local:a").map(|p| p.name.as_str()), Some("Alpha"));
        assert_eq!(gaz.get("local:b").map(|p| p.name.as_str()), Some("Beta"));
        let delta = gaz.get("local:c").map(|p| p.name.as_str());
        assert_eq!(delta, Some("Delta"));
        assert!(gaz.lookup("gamma").is_empty());
        // Alternate names stay with their own place after the duplicate is dropped.
        let dalta = gaz.lookup("dalta");
        assert_eq!(dalta.len(), 1);
        assert_eq!(gaz.place(dalta[0].place).id, "local:c");
    }
}
