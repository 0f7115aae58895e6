//! Where: the places named in an article, and which of them an event happened at.
//!
//! Place names come from a [`PlaceSource`] (the bundled gazetteer and geoparser in the
//! application, a small table in tests). On top of them this module reads border phrases the
//! geoparser has no name for — "the country's border with Syria", "near the Iraqi border",
//! and a bare "the border" once an article has named one — and decides which place belongs
//! to an event word: the place named after it in the same clause ("attacked a barracks in
//! Diyala"), one fronted before it ("In Qarachogh, they established bases"), the subject of
//! a passive ("the town was shelled"), or an earlier place for "in the area". A statement
//! made in Baghdad about the border is placed at the border because the border is what the
//! clause names after the event word; the capital is only where someone spoke.

use std::ops::Range;

use super::actors::ActorMention;
use super::words::Words;
use crate::articles::LoadedArticle;
use crate::store::LocationPrecision;

/// How much ground a place covers, most specific first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PlaceScope {
    /// A prison, camp, crossing, dam, base or neighbourhood.
    Site,
    /// A village, town or city.
    Settlement,
    /// A mountain or other small named feature.
    Feature,
    Admin2,
    /// A stretch of an international border.
    Border,
    Admin1,
    /// A named area larger than a province or without borders of its own.
    Region,
    Country,
}

impl PlaceScope {
    pub fn precision(self) -> LocationPrecision {
        match self {
            Self::Site | Self::Settlement | Self::Feature => LocationPrecision::Point,
            Self::Admin2 => LocationPrecision::Admin2,
            Self::Border => LocationPrecision::Border,
            Self::Admin1 => LocationPrecision::Admin1,
            Self::Region => LocationPrecision::Region,
            Self::Country => LocationPrecision::Country,
        }
    }

    /// Too coarse to map an incident honestly.
    pub fn is_coarse(self) -> bool {
        self == Self::Country
    }
}

/// A resolved place, as the extractor needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceRef {
    pub id: String,
    pub name: String,
    pub scope: PlaceScope,
    /// Representative point (for areas and lines, one inside or on them).
    pub lat: f64,
    pub lon: f64,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    /// The admin-1 area's name.
    pub admin1: Option<String>,
    /// For borders: both countries.
    pub countries: Vec<String>,
    /// How sure the geoparser was of this reading of the name (0 to 1), where it decided.
    pub confidence: Option<f32>,
}

/// A place name in the text: byte span, and the place when it could be decided.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceMention {
    pub span: Range<usize>,
    pub place: Option<PlaceRef>,
    /// An adjective or demonym ("Iraqi"): names a country in passing, never an event's place.
    pub demonym: bool,
}

/// Where place names and places come from.
pub trait PlaceSource: Sync {
    /// The place names in an article's story, resolved where possible.
    fn mentions(&self, article: &LoadedArticle) -> Vec<PlaceMention>;
    /// The land border between two countries (ISO alpha-2), when known.
    fn border(&self, a: &str, b: &str) -> Option<PlaceRef>;
    /// A point on `border` inside the admin-1 area of `area`, for a border incident the text
    /// places in one province; for a town, village or site, the point of the border nearest it
    /// ("the border west of al-Qaim").
    fn border_point_in(&self, border: &PlaceRef, area: &PlaceRef) -> Option<(f64, f64)>;
}

/// No places at all: every incident is reported as unresolved.
pub struct NoPlaces;

impl PlaceSource for NoPlaces {
    fn mentions(&self, _: &LoadedArticle) -> Vec<PlaceMention> {
        Vec::new()
    }
    fn border(&self, _: &str, _: &str) -> Option<PlaceRef> {
        None
    }
    fn border_point_in(&self, _: &PlaceRef, _: &PlaceRef) -> Option<(f64, f64)> {
        None
    }
}

/// Great-circle distance in km.
pub fn distance_km(a: &PlaceRef, b: &PlaceRef) -> f64 {
    crate::gazetteer::distance_km(a.lat, a.lon, b.lat, b.lon)
}

/// Whether `outer` covers `inner`.
pub fn contains(outer: &PlaceRef, inner: &PlaceRef) -> bool {
    if outer.id == inner.id {
        return true;
    }
    if outer.scope <= inner.scope {
        return false;
    }
    match outer.scope {
        PlaceScope::Country => {
            inner.country == outer.country
                || inner
                    .countries
                    .iter()
                    .any(|c| Some(c) == outer.country.as_ref())
        }
        PlaceScope::Admin1 => inner.admin1.is_some() && inner.admin1 == outer.admin1,
        // Named regions have no outline here; the same country is the best evidence.
        PlaceScope::Region => inner.country == outer.country && inner.scope < PlaceScope::Region,
        PlaceScope::Settlement | PlaceScope::Admin2 => {
            inner.scope < outer.scope
                && inner.admin1 == outer.admin1
                && distance_km(outer, inner) <= 20.0
        }
        _ => false,
    }
}

/// Whether two places can be where one incident happened.
pub fn compatible(a: &PlaceRef, b: &PlaceRef) -> bool {
    if a.id == b.id || contains(a, b) || contains(b, a) {
        return true;
    }
    if let Some((border, area)) = border_and_area(a, b) {
        // A stretch of border already placed in a province fits only that province.
        if border.admin1.is_some() {
            return border.admin1 == area.admin1;
        }
        return area
            .country
            .as_ref()
            .is_some_and(|c| border.countries.contains(c));
    }
    a.scope <= PlaceScope::Feature && b.scope <= PlaceScope::Feature && distance_km(a, b) <= 20.0
}

fn border_and_area<'a>(a: &'a PlaceRef, b: &'a PlaceRef) -> Option<(&'a PlaceRef, &'a PlaceRef)> {
    let is_area = |p: &PlaceRef| matches!(p.scope, PlaceScope::Admin1 | PlaceScope::Admin2);
    match (a.scope, b.scope) {
        (PlaceScope::Border, _) if is_area(b) => Some((a, b)),
        (_, PlaceScope::Border) if is_area(a) => Some((b, a)),
        _ => None,
    }
}

/// The more specific of two compatible places; a border and a province combine into the
/// stretch of border in that province.
pub fn refine(current: &PlaceRef, new: &PlaceRef, source: &dyn PlaceSource) -> PlaceRef {
    if let Some(near) = border_near_town(current, new, source) {
        return near;
    }
    if !compatible(current, new) {
        return current.clone();
    }
    if let Some((border, area)) = border_and_area(current, new) {
        if border.admin1.is_some() {
            return border.clone();
        }
        let (lat, lon) = source
            .border_point_in(border, area)
            .unwrap_or((border.lat, border.lon));
        let admin1 = area.admin1.clone().or_else(|| Some(area.name.clone()));
        return PlaceRef {
            id: border.id.clone(),
            name: format!("{} ({})", border.name, admin1.as_deref().unwrap_or("")),
            scope: PlaceScope::Border,
            lat,
            lon,
            country: area.country.clone(),
            admin1,
            countries: border.countries.clone(),
            confidence: border.confidence,
        };
    }
    if new.scope < current.scope {
        new.clone()
    } else {
        current.clone()
    }
}

/// How far from a town the border may lie for "the border near the town" to be placed by it.
const BORDER_NEAR_TOWN_KM: f64 = 75.0;

/// "The Iraq–Syria border west of al-Qaim": the stretch of border nearest a town in one of
/// its countries.
fn border_near_town(
    current: &PlaceRef,
    new: &PlaceRef,
    source: &dyn PlaceSource,
) -> Option<PlaceRef> {
    let (border, town) = match (current.scope, new.scope) {
        (PlaceScope::Border, s) if s <= PlaceScope::Feature => (current, new),
        (s, PlaceScope::Border) if s <= PlaceScope::Feature => (new, current),
        _ => return None,
    };
    if border.admin1.is_some()
        || !town
            .country
            .as_ref()
            .is_some_and(|c| border.countries.contains(c))
    {
        return None;
    }
    let (lat, lon) = source.border_point_in(border, town)?;
    let point = PlaceRef {
        id: border.id.clone(),
        name: format!("{} (near {})", border.name, town.name),
        scope: PlaceScope::Border,
        lat,
        lon,
        country: town.country.clone(),
        admin1: town.admin1.clone(),
        countries: border.countries.clone(),
        confidence: border.confidence,
    };
    (distance_km(&point, town) <= BORDER_NEAR_TOWN_KM).then_some(point)
}

/// Countries the border phrases know, with their demonyms.
const COUNTRIES: &[(&str, &str, &str)] = &[
    ("iraq", "iraqi", "IQ"),
    ("syria", "syrian", "SY"),
    ("turkey", "turkish", "TR"),
    ("türkiye", "turkish", "TR"),
    ("iran", "iranian", "IR"),
    ("jordan", "jordanian", "JO"),
    ("kuwait", "kuwaiti", "KW"),
    ("lebanon", "lebanese", "LB"),
    ("israel", "israeli", "IL"),
    ("saudi", "saudi", "SA"),
];

/// The country a word names, as a name (`false`) or a demonym (`true`).
pub fn country_word(word: &str) -> Option<(&'static str, bool)> {
    COUNTRIES.iter().find_map(|&(name, demonym, code)| {
        if word == name {
            Some((code, false))
        } else if word == demonym {
            Some((code, true))
        } else {
            None
        }
    })
}

/// The article's own country: the one it names most, for "the country's border with Syria".
pub fn country_counts(text: &str, story: &[Range<usize>]) -> Vec<(&'static str, usize)> {
    let mut counts: Vec<(&'static str, usize)> = Vec::new();
    for range in story {
        let Some(part) = text.get(range.clone()) else {
            continue;
        };
        for word in part.split(|c: char| !c.is_alphanumeric()) {
            if word.len() < 4 || word.len() > 9 {
                continue;
            }
            if let Some((code, _)) = country_word(&word.to_lowercase()) {
                match counts.iter_mut().find(|(c, _)| *c == code) {
                    Some((_, n)) => *n += 1,
                    None => counts.push((code, 1)),
                }
            }
        }
    }
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    counts
}

/// A place found in one sentence, by word index.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceHit {
    pub words: Range<usize>,
    pub place: Option<PlaceRef>,
    /// The text as written, for reporting names that could not be resolved.
    pub name: String,
    pub demonym: bool,
}

/// What the border phrases need to know about the article.
pub struct BorderContext<'a> {
    pub source: &'a dyn PlaceSource,
    /// Countries by how often the article names them.
    pub countries: &'a [(&'static str, usize)],
    /// The last border the article named, for a bare "the border".
    pub last_border: Option<PlaceRef>,
}

impl BorderContext<'_> {
    fn home_other_than(&self, other: &str) -> Option<&'static str> {
        self.countries.iter().map(|(c, _)| *c).find(|c| *c != other)
    }
}

/// The sentence's place hits: the source's mentions plus border phrases, by word index.
/// Border phrases replace the mentions they cover ("Syria" in "border with Syria").
pub(crate) fn hits_in_sentence(
    words: &Words<'_>,
    mentions: &[PlaceMention],
    actors: &[ActorMention],
    context: &mut BorderContext<'_>,
) -> Vec<PlaceHit> {
    let mut hits: Vec<PlaceHit> = mentions
        .iter()
        .filter(|m| m.span.start >= words.range.start && m.span.end <= words.range.end)
        // "the U.S.-led coalition": a compound adjective, however the name is spelt.
        .filter(|m| {
            let rest = words
                .text
                .get(m.span.end..)
                .unwrap_or("")
                .trim_start_matches('.');
            !rest.strip_prefix('-').is_some_and(|after| {
                COMPOUND_ENDINGS
                    .iter()
                    .any(|ending| after.starts_with(ending))
            })
        })
        .filter_map(|m| {
            let start = words.index_at(m.span.start);
            let end = words.index_at(m.span.end).max(start + 1);
            (start < words.len()).then(|| PlaceHit {
                words: start..end.min(words.len()),
                place: m.place.clone(),
                name: words.text.get(m.span.clone()).unwrap_or("").to_owned(),
                demonym: m.demonym,
            })
        })
        .collect();
    // A name inside an actor ("Iraq Security Forces") or a compound adjective
    // ("Damascus-affiliated", "Kurdish-held") is not where anything happened.
    hits.retain(|h| {
        let in_actor = actors
            .iter()
            .any(|a| a.words.start < h.words.end && h.words.start < a.words.end);
        let adjective = words.words.get(h.words.end).is_some_and(|w| {
            w.after_hyphen
                && !w.capitalised
                && !matches!(words.lower(h.words.end), "border" | "frontier")
        });
        // "a US air strike", "a US convoy", "a US anti-narcotics adviser": a country that
        // qualifies forces or officials is who, not where.
        let country = h
            .place
            .as_ref()
            .is_some_and(|p| p.scope == PlaceScope::Country);
        let qualifies = country
            && (MODIFIED_NOUNS.contains(&words.lower(h.words.end))
                || ((h.words.end + 1..h.words.end + 3)
                    .find(|&j| MODIFIED_NOUNS.contains(&words.lower(j)))
                    .is_some_and(|j| {
                        (h.words.end..j).all(|m| {
                            words.words.get(m).is_some_and(|w| !w.capitalised)
                                && words.segment(m) == words.segment(h.words.start)
                                && !matches!(
                                    words.lower(m),
                                    "in" | "on" | "at" | "of" | "and" | "the" | "by" | "to"
                                )
                        })
                    })));
        // "a US-Kurdish operation": a country joined to another name by a hyphen, not a
        // border ("the Iraq-Syria border").
        let joined = country
            && words
                .words
                .get(h.words.end)
                .is_some_and(|w| w.after_hyphen && w.capitalised)
            && !(h.words.end..h.words.end + 3).any(|j| {
                matches!(
                    words.lower(j),
                    "border" | "frontier" | "boundary" | "borders"
                )
            });
        !in_actor && !adjective && !qualifies && !joined
    });
    for hit in &mut hits {
        offset_by_distance(words, hit);
    }
    offset_unknown_by_bearing(words, &mut hits, actors);
    for hit in &mut hits {
        offset_to_side_of_province(words, hit);
    }
    if let Some(border) = hits
        .iter()
        .filter_map(|h| h.place.as_ref())
        .rfind(|p| p.scope == PlaceScope::Border)
    {
        context.last_border = Some(border.clone());
    }
    for border in border_phrases(words, &hits, context) {
        hits.retain(|h| h.words.end <= border.words.start || h.words.start >= border.words.end);
        if let Some(place) = &border.place {
            context.last_border = Some(place.clone());
        }
        hits.push(border);
    }
    hits.sort_by_key(|h| h.words.start);
    hits
}

/// Second halves of compound adjectives made from a place name ("U.S.-led", "Iran-backed");
/// other hyphens belong to names ("Mazar-e-Sharif").
const COMPOUND_ENDINGS: &[&str] = &[
    "led",
    "backed",
    "held",
    "controlled",
    "based",
    "run",
    "allied",
    "affiliated",
    "born",
    "funded",
    "supported",
    "made",
    "bound",
    "owned",
    "aligned",
    "linked",
    "style",
    "brokered",
    "sponsored",
    "trained",
    "armed",
];

/// Nouns a place name qualifies rather than locates ("US soldiers", "Seville fans").
pub(crate) const MODIFIED_NOUNS: &[&str] = &[
    "soldiers",
    "soldier",
    "sailors",
    "sailor",
    "marines",
    "marine",
    "serviceman",
    "servicemen",
    "service",
    "special",
    "contractor",
    "contractors",
    "diplomat",
    "diplomats",
    "citizen",
    "national",
    "troops",
    "forces",
    "air",
    "airstrike",
    "airstrikes",
    "strike",
    "strikes",
    "convoy",
    "patrol",
    "base",
    "bases",
    "consulate",
    "officials",
    "official",
    "police",
    "army",
    "embassy",
    "newspaper",
    "fans",
    "warplanes",
    "jets",
    "drone",
    "drones",
    "military",
    "government",
    "authorities",
    "citizens",
    "nationals",
    "envoy",
    "president",
    "minister",
    "adviser",
];

/// Prefix of the ids of places moved from a gazetteer place by a stated distance; they are
/// not in the gazetteer.
pub const OFFSET_ID: &str = "offset:";

/// Compass words and their bearings in degrees.
const BEARINGS: &[(&str, f64)] = &[
    ("north", 0.0),
    ("northeast", 45.0),
    ("east", 90.0),
    ("southeast", 135.0),
    ("south", 180.0),
    ("southwest", 225.0),
    ("west", 270.0),
    ("northwest", 315.0),
];

/// "40 km west of Tikrit", "25 kilometres north-east of Baquba": the hit's place moved by
/// the stated distance and bearing, its words widened to the phrase. Without a distance
/// ("east of Raqqa") the place stays where it is: the nearest named place is the honest
/// answer.
fn offset_by_distance(words: &Words<'_>, hit: &mut PlaceHit) {
    let Some(base) = hit.place.as_ref().filter(|p| p.scope <= PlaceScope::Admin2) else {
        return;
    };
    let start = hit.words.start;
    if start < 4 || words.lower(start - 1) != "of" {
        return;
    }
    // The compass words: "west", "north-west", "north west".
    let mut at = start - 1;
    let mut compass = String::new();
    while at > 0 && compass.len() < 12 {
        let word = words.lower(at - 1);
        if BEARINGS.iter().any(|(name, _)| *name == word) {
            compass.insert_str(0, word);
            at -= 1;
        } else {
            break;
        }
    }
    let Some(&(_, bearing)) = BEARINGS.iter().find(|(name, _)| *name == compass) else {
        return;
    };
    let unit = words.lower(at.saturating_sub(1));
    let km_per_unit = match unit {
        "km" | "kms" | "kilometres" | "kilometers" | "kilometre" | "kilometer" => 1.0,
        "miles" | "mile" => 1.609,
        _ => return,
    };
    let Some(number_at) = at.checked_sub(2) else {
        return;
    };
    let Some((distance, _)) = super::words::number_at(words, number_at) else {
        return;
    };
    let km = f64::from(distance) * km_per_unit;
    if !(1.0..=300.0).contains(&km) {
        return;
    }
    hit.place = Some(PlaceRef {
        id: format!("{OFFSET_ID}{}/{distance}{unit}/{compass}", base.id),
        name: format!("{distance} {unit} {compass} of {}", base.name),
        scope: base.scope.max(PlaceScope::Feature),
        ..moved(base, km, bearing)
    });
    hit.words = number_at..hit.words.end;
}

fn border_phrases(
    words: &Words<'_>,
    hits: &[PlaceHit],
    context: &BorderContext<'_>,
) -> Vec<PlaceHit> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let word = words.lower(i);
        if !matches!(word, "border" | "borders" | "frontier") {
            i += 1;
            continue;
        }
        // Already a named border ("the Iraq-Syria border") from the source.
        if hits.iter().any(|h| {
            h.words.contains(&i)
                && h.place
                    .as_ref()
                    .is_some_and(|p| p.scope == PlaceScope::Border)
        }) {
            i += 1;
            continue;
        }
        let (mut start, mut end) = (i, i + 1);
        let mut place = None;
        // "border with Syria", "border areas with Syria"
        // "borders, particularly with neighbouring Syria"
        let mut with = i + 1;
        while matches!(
            words.lower(with),
            "areas" | "area" | "regions" | "region" | "particularly" | "especially" | "notably"
        ) {
            with += 1;
        }
        let mut other_at = with + 1;
        if matches!(words.lower(other_at), "neighboring" | "neighbouring") {
            other_at += 1;
        }
        let counterpart = (words.lower(with) == "with")
            .then(|| country_word(words.lower(other_at)).filter(|(_, demonym)| !demonym))
            .flatten();
        let owner_before = |i: usize| {
            i.checked_sub(2)
                .filter(|&j| words.lower(j + 1) == "s")
                .map(|j| words.lower(j))
        };
        if let Some((other, _)) = counterpart {
            end = other_at + 1;
            // "Iraq's border with Syria"; "its", "the country's" and "our" are the article's country.
            let owner = i
                .checked_sub(2)
                .filter(|&j| words.lower(j + 1) == "s")
                .and_then(|j| country_word(words.lower(j)))
                .map(|(code, _)| code);
            if owner.is_some() {
                start = i - 2;
            }
            let home = owner.or_else(|| context.home_other_than(other));
            place = home.and_then(|home| context.source.border(home, other));
        } else if let Some(j) = i.checked_sub(1) {
            if let Some((country, true)) = country_word(words.lower(j)) {
                // "the Iraqi border": between that country and the one the sentence is in.
                start = j;
                let before = hits
                    .iter()
                    .rev()
                    .filter(|h| h.words.end <= j)
                    .filter_map(|h| h.place.as_ref()?.country.clone())
                    .find(|c| c != country);
                let other = before.or_else(|| context.home_other_than(country).map(str::to_owned));
                place = other.and_then(|other| context.source.border(country, &other));
            } else if let Some(owner) =
                owner_before(i).filter(|o| *o == "country" || country_word(o).is_some())
            {
                // "the country's borders", "Iraq's borders": with the neighbour the article
                // is about, when it has not named a border yet.
                start = i - 2;
                let home = country_word(owner)
                    .map(|(code, _)| code)
                    .or_else(|| context.countries.first().map(|(c, _)| *c));
                place = context.last_border.clone().or_else(|| {
                    let home = home?;
                    let other = context.home_other_than(home)?;
                    context.source.border(home, other)
                });
            } else if matches!(words.lower(j), "the" | "along" | "our" | "its" | "shared")
                || words.lower(i + 1) == "areas"
            {
                // A bare "the border": the one the article last named.
                place = context.last_border.clone();
            }
        }
        if place.is_some() {
            found.push(PlaceHit {
                words: start..end,
                name: words
                    .text
                    .get(words.bytes(start..end))
                    .unwrap_or("")
                    .to_owned(),
                place,
                demonym: false,
            });
        }
        i = end;
    }
    found
}

/// Words that introduce a fronted place ("In Qarachogh, they established bases").
const LOCATIVE: &[&str] = &[
    "in",
    "at",
    "near",
    "outside",
    "inside",
    "across",
    "along",
    "around",
    "on",
    "north",
    "south",
    "east",
    "west",
    "northeast",
    "northwest",
    "southeast",
    "southwest",
];

/// Words after an event that point back to a place already named.
const THERE: &[&str] = &["there", "nearby", "area", "vicinity"];

/// Words that may follow a place name in a roundup's label ("Deir Ezzor province:").
const LABEL_AREAS: &[&str] = &[
    "province",
    "governorate",
    "countryside",
    "city",
    "district",
    "region",
    "desert",
    "area",
    "and",
    "its",
    "western",
    "eastern",
    "northern",
    "southern",
    "rural",
];

/// Whether the hit is a roundup's label: the sentence opens with the place, maybe an area
/// word, and a colon or a spaced dash ("Kirkuk: Two policemen were wounded …", "Deir Ezzor
/// province: …", "• Basra – Unknown men threw …").
fn is_label(words: &Words<'_>, hit: &PlaceHit) -> bool {
    if words.segment(hit.words.start) != 0 || hit.words.start > 1 {
        return false;
    }
    if hit.words.start == 1 && words.lower(0) != "in" {
        return false;
    }
    let clause = words.segment_range(hit.words.start);
    let rest_is_area = (hit.words.end..clause.end).all(|j| LABEL_AREAS.contains(&words.lower(j)));
    let Some(last) = clause.end.checked_sub(1).and_then(|j| words.words.get(j)) else {
        return false;
    };
    rest_is_area
        && words
            .text
            .get(last.end..words.range.end)
            .is_some_and(|after| {
                let after = after.trim_start_matches([' ', ')']);
                // A dash after a name in capitals is a dateline ("BAGHDAD —"), which places
                // events only when their sentence names no place.
                let dateline = words.words[hit.words.clone()].iter().any(|w| w.all_caps);
                after.starts_with(':')
                    || (!dateline && (after.starts_with(['–', '—']) || after.starts_with("- ")))
            })
}

/// Whether the segment starting at word `at` only says where a place lies: "south of
/// Mayadin", "some 80 km south of Baghdad", "near Fallujah", "a town 20 km east of Mosul".
pub(crate) fn relative_phrase(words: &Words<'_>, at: usize) -> bool {
    let mut i = at;
    if matches!(words.lower(i), "a" | "an" | "the") {
        i += 1;
        if !matches!(
            words.lower(i),
            "town" | "village" | "city" | "hamlet" | "district" | "suburb" | "area" | "small"
        ) {
            return false;
        }
        while matches!(
            words.lower(i),
            "town" | "village" | "city" | "hamlet" | "district" | "suburb" | "area" | "small"
        ) {
            i += 1;
        }
    }
    while matches!(
        words.lower(i),
        "some" | "about" | "around" | "roughly" | "nearly" | "approximately" | "just" | "almost"
    ) {
        i += 1;
    }
    if let Some((_, used)) = super::words::number_at(words, i) {
        i += used;
        if !matches!(
            words.lower(i),
            "km" | "kms"
                | "kilometres"
                | "kilometers"
                | "kilometre"
                | "kilometer"
                | "miles"
                | "mile"
        ) {
            return false;
        }
        i += 1;
        // "30 kilometres (18 miles)"
        if words.segment(i) != words.segment(at) {
            return false;
        }
    }
    let mut compass = false;
    while BEARINGS.iter().any(|(name, _)| *name == words.lower(i)) {
        compass = true;
        i += 1;
    }
    if compass {
        return words.lower(i) == "of";
    }
    matches!(words.lower(i), "near" | "outside")
        || words.matches(i, "close to")
        || words.matches(i, "on the outskirts of")
}

/// Whether a clause of its own opens between words `from` and `to`: a complement ("that
/// …", "which …") or a purpose ("to demand …", "to protest …"); "to" before a noun ("to the
/// border", "to Mosul") is a direction and opens none.
pub(crate) fn dependent_clause_between(words: &Words<'_>, from: usize, to: usize) -> bool {
    (from..to).any(|j| match words.lower(j) {
        "that" | "which" | "who" | "whose" | "what" => true,
        "to" => words.words.get(j + 1).is_some_and(|next| {
            let next_word = words.lower(j + 1);
            !next.capitalised
                && next_word.chars().all(|c| c.is_ascii_alphabetic())
                && !matches!(
                    next_word,
                    "the"
                        | "a"
                        | "an"
                        | "its"
                        | "their"
                        | "his"
                        | "her"
                        | "this"
                        | "that"
                        | "these"
                        | "those"
                        | "some"
                        | "several"
                        | "two"
                        | "three"
                        | "nearby"
                        | "where"
                        | "within"
                        | "near"
                        | "around"
                )
                && !super::article::LOCATING_NOUNS.contains(&next_word)
                && !next_word.ends_with('s')
        }),
        _ => false,
    })
}

/// "against Israel's threats", "Caracas' newspaper": a possessive place name that owns a noun
/// other than a part of it ("Grozny's streets") qualifies, it does not locate.
fn possessive_modifier(words: &Words<'_>, hit: &PlaceHit) -> bool {
    let possessive = words
        .text
        .get(words.words.get(hit.words.end - 1).map_or(0, |w| w.end)..)
        .is_some_and(|rest| rest.starts_with(['\'', '’']));
    let owned = (hit.words.end..hit.words.end + 3)
        .map(|j| words.lower(j))
        .find(|w| *w != "s")
        .unwrap_or("");
    possessive
        && !super::article::LOCATING_NOUNS.contains(&owned)
        && !matches!(
            owned,
            "neighbourhood" | "neighborhood" | "suburb" | "quarter" | "province" | "governorate"
        )
        && !owns_place(words, hit)
}

/// Nouns for a part of a place or a site in it: a possessive place that owns one, after
/// its modifiers ("Aleppo's densely populated residential areas", "the town's main
/// market"), says where.
const OWNED_SITES: &[&str] = &[
    "neighbourhood",
    "neighborhood",
    "neighbourhoods",
    "neighborhoods",
    "suburb",
    "quarter",
    "province",
    "governorate",
    "town",
    "village",
    "villages",
    "area",
    "areas",
    "region",
    "street",
    "avenue",
    "square",
    "station",
    "market",
    "slum",
    "belt",
    "camp",
    "base",
    "prison",
    "mosque",
    "installations",
    "terminal",
    "crossing",
    "streets",
    "outskirts",
    "centre",
    "center",
    "city",
    "district",
    "districts",
    "border",
    "capital",
    "suburbs",
    "countryside",
    "airport",
    "port",
];

/// Whether the noun phrase a possessive place owns ends in a part of the place or a site
/// in it: the lower-case words after the apostrophe, up to the first function word, name or
/// clause break, hold one of [`OWNED_SITES`], and no name of that site follows it.
pub(crate) fn owns_place(words: &Words<'_>, hit: &PlaceHit) -> bool {
    let segment = words.segment(hit.words.end.saturating_sub(1));
    (hit.words.end..(hit.words.end + 5).min(words.len()))
        .filter(|&j| words.lower(j) != "s")
        .take_while(|&j| {
            words.segment(j) == segment
                // "Mogadishu's Wadajir district": the site is a named place of its own.
                && !words.words[j].capitalised
                && !matches!(
                    words.lower(j),
                    "to" | "of"
                        | "in"
                        | "on"
                        | "at"
                        | "for"
                        | "with"
                        | "by"
                        | "from"
                        | "against"
                        | "over"
                        | "near"
                        | "into"
                        | "as"
                        | "while"
                        | "when"
                        | "after"
                        | "that"
                        | "which"
                        | "who"
                        | "the"
                        | "a"
                        | "an"
                )
        })
        .take(4)
        .find(|&j| OWNED_SITES.contains(&words.lower(j)))
        // "Baghdad's western district of Mansour", "the country's largest city, Basra": the
        // site is named after it, and that name says where.
        .is_some_and(|j| {
            let named = |k: usize| words.words.get(k).is_some_and(|w| w.capitalised);
            !((words.lower(j + 1) == "of" && named(j + 2))
                || (words.segment(j + 1) != words.segment(j) && named(j + 1)))
        })
}

/// Whether the hit is the agent of a passive ("patrolled by U.S. and British jets",
/// "captured by Amal"): who acted, not where.
pub(crate) fn is_agent(words: &Words<'_>, hit: &PlaceHit) -> bool {
    let start = hit.words.start;
    (start >= 1 && words.lower(start - 1) == "by")
        || (start >= 2 && words.lower(start - 2) == "by" && words.lower(start - 1) == "the")
}

/// How far an unknown place told as lying in a direction from a known one ("in Khurmala,
/// southwest of Erbil") is put from it: such phrases name places from a few to some forty
/// kilometres off, and the stated side is nearer the truth than the town itself.
const NOMINAL_OFFSET_KM: f64 = 20.0;

/// "a gas facility in Khurmala, southwest of Erbil", "the al-Dayr district north of Basra",
/// where the first name is unknown to the gazetteer: the known place moved a nominal
/// distance in the stated direction (with a stated distance, [`offset_by_distance`] did it).
fn offset_unknown_by_bearing(words: &Words<'_>, hits: &mut [PlaceHit], actors: &[ActorMention]) {
    for i in 0..hits.len() {
        let start = hits[i].words.start;
        if start < 2 || words.lower(start - 1) != "of" {
            continue;
        }
        let mut at = start - 1;
        let mut compass = String::new();
        while at > 0 && compass.len() < 12 {
            let word = words.lower(at - 1);
            if BEARINGS.iter().any(|(name, _)| *name == word) {
                compass.insert_str(0, word);
                at -= 1;
            } else {
                break;
            }
        }
        let Some(&(_, bearing)) = BEARINGS.iter().find(|(name, _)| *name == compass) else {
            continue;
        };
        // The unknown name: a capitalised word that no known place or actor covers, at most
        // two lower-case words before the compass ("Rumaila oil field, west of").
        let mut k = at;
        while k > 0 && at - k < 2 && !words.words[k - 1].capitalised {
            k -= 1;
        }
        let name = k.checked_sub(1).filter(|&n| n > 0);
        // Only names and the nouns of a site between ("in raids north of" is no name).
        let plain = (k..at).all(|m| {
            !matches!(
                words.lower(m),
                "in" | "on" | "at" | "of" | "and" | "or" | "the" | "a" | "an" | "to" | "from"
            ) && !words.lower(m).ends_with("ed")
        });
        let unknown_before = plain
            && name.is_some_and(|n| {
                words.words[n].capitalised
                    && !is_day_or_month(words.lower(n))
                    && !hits[..i]
                        .iter()
                        .any(|h| h.place.is_some() && h.words.contains(&n))
                    && !actors.iter().any(|a| a.words.contains(&n))
            });
        let Some(base) = hits[i]
            .place
            .as_ref()
            .filter(|p| p.scope <= PlaceScope::Admin1 && unknown_before)
        else {
            continue;
        };
        let place = PlaceRef {
            id: format!("{OFFSET_ID}{}/{compass}", base.id),
            name: format!("{compass} of {}", base.name),
            scope: base.scope.max(PlaceScope::Feature),
            ..moved(base, NOMINAL_OFFSET_KM, bearing)
        };
        hits[i].place = Some(place);
        hits[i].words = at..hits[i].words.end;
    }
}

/// `base` moved `km` toward a compass bearing (degrees clockwise from north), on a flat-earth
/// approximation good for the few hundred km a text states; other places it spanned are
/// dropped.
fn moved(base: &PlaceRef, km: f64, bearing: f64) -> PlaceRef {
    let radians = bearing.to_radians();
    PlaceRef {
        lat: base.lat + km * radians.cos() / 111.2,
        lon: base.lon + km * radians.sin() / (111.2 * base.lat.to_radians().cos().max(0.1)),
        countries: Vec::new(),
        ..base.clone()
    }
}

/// How far toward a province's stated side ("northern Hama province") its point is moved.
const PROVINCE_SIDE_KM: f64 = 25.0;

/// Compass adjectives and their bearings.
const SIDES: &[(&str, f64)] = &[
    ("northern", 0.0),
    ("northeastern", 45.0),
    ("eastern", 90.0),
    ("southeastern", 135.0),
    ("southern", 180.0),
    ("southwestern", 225.0),
    ("western", 270.0),
    ("northwestern", 315.0),
];

/// "in northern Hama province", "the northern Quneitra countryside", "the eastern countryside
/// of Deir Ezzor": a place told only as lying in one side of a province is nearer that side
/// than the province's middle; its point is moved a nominal distance toward it.
fn offset_to_side_of_province(words: &Words<'_>, hit: &mut PlaceHit) {
    let Some(base) = hit.place.as_ref().filter(|p| p.scope == PlaceScope::Admin1) else {
        return;
    };
    let start = hit.words.start;
    let side_at = |j: usize| SIDES.iter().find(|(name, _)| *name == words.lower(j));
    // "northern Hama province/countryside/governorate"
    let before = start
        .checked_sub(1)
        .and_then(|j| side_at(j).map(|side| (j, side)))
        .filter(|_| {
            matches!(
                words.lower(hit.words.end),
                "province" | "countryside" | "governorate" | "desert"
            )
        });
    // "the eastern countryside of Deir Ezzor", "the northern part of Raqqa"
    let of = start
        .checked_sub(3)
        .filter(|_| {
            words.lower(start - 1) == "of"
                && matches!(
                    words.lower(start - 2),
                    "countryside" | "part" | "outskirts" | "desert" | "region"
                )
        })
        .and_then(|j| side_at(j).map(|side| (j, side)));
    let Some((from, &(side, bearing))) = before.or(of) else {
        return;
    };
    // Still the province (the same gazetteer place, the same precision), at a point on the
    // side the text gives.
    hit.place = Some(PlaceRef {
        name: format!("{side} {}", base.name),
        ..moved(base, PROVINCE_SIDE_KM, bearing)
    });
    hit.words = from..hit.words.end;
}

fn is_day_or_month(word: &str) -> bool {
    matches!(
        word,
        "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "saturday"
            | "sunday"
            | "january"
            | "february"
            | "march"
            | "april"
            | "may"
            | "june"
            | "july"
            | "august"
            | "september"
            | "october"
            | "november"
            | "december"
    )
}

/// The place hit an event word at `trigger` belongs to, if the sentence names one, plus a
/// containing place named right after it ("the border in Nineveh province").
pub(crate) fn attach(
    words: &Words<'_>,
    hits: &[PlaceHit],
    trigger: Range<usize>,
    neighbours: (Option<usize>, Option<usize>),
    passive: bool,
    trigger_segments: &[u16],
) -> Option<(usize, Option<usize>)> {
    let (previous_trigger_end, next_trigger) = neighbours;
    let segment = words.segment(trigger.start);
    let usable = |h: &PlaceHit| !h.demonym && !is_agent(words, h) && !possessive_modifier(words, h);
    let limit = next_trigger.unwrap_or(usize::MAX);
    // After the event word, in its clause, before the next event word, and not in a clause
    // that depends on it ("demonstrated … to demand that the UN press the United States").
    let after = hits.iter().position(|h| {
        usable(h)
            && h.words.start >= trigger.end
            && h.words.start < limit
            && words.segment(h.words.start) == segment
            && !dependent_clause_between(words, trigger.end, h.words.start)
    });
    // "killed two brothers in the village of Mahkan, south of Mayadin": the clause's own
    // place is unknown to the gazetteer, and the phrase set off after it says where it lies.
    // "at Aathmail of Nuwakot district, some 50 km northwest of Kathmandu": a known place
    // finer than a province further on in the clause says where before the phrase set off.
    let known_in_clause = hits.iter().position(|h| {
        usable(h)
            && h.words.start >= trigger.end
            && h.words.start < limit
            && words.segment(h.words.start) == segment
            && h.place
                .as_ref()
                .is_some_and(|p| p.scope < PlaceScope::Admin1)
    });
    let after = after
        .filter(|&h| hits[h].place.is_some())
        .or(known_in_clause)
        .or_else(|| {
            let next = segment.checked_add(1)?;
            let opener =
                (trigger.end..words.len().min(limit)).find(|&j| words.segment(j) == next)?;
            if !relative_phrase(words, opener) {
                return None;
            }
            hits.iter().position(|h| {
                usable(h)
                    && h.place.is_some()
                    && h.words.start >= trigger.end
                    && h.words.start < limit
                    && words.segment(h.words.start) == next
            })
        })
        .or(after);
    let chosen = after
        .or_else(|| {
            // The subject of a passive: "the town was shelled"; "a policeman in Amara, south
            // of Baghdad, was killed": across phrases that only say where the place lies.
            passive
                .then(|| {
                    let before_in = |s: u16| {
                        hits.iter().rposition(|h| {
                            usable(h)
                                && h.words.end <= trigger.start
                                && words.segment(h.words.start) == s
                        })
                    };
                    before_in(segment).or_else(|| {
                        let start_of = |s: u16| (0..trigger.start).find(|&j| words.segment(j) == s);
                        let mut s = segment;
                        while let Some(previous) = s.checked_sub(1) {
                            let start = start_of(previous)?;
                            if relative_phrase(words, start) {
                                s = previous;
                                continue;
                            }
                            return (s != segment).then(|| before_in(previous)).flatten();
                        }
                        None
                    })
                })
                .flatten()
        })
        .or_else(|| {
            // "in the area", "there": where the event before it happened, else the last place
            // named before it.
            let points_back = (trigger.end..words.len().min(trigger.end + 8))
                .take_while(|&j| words.segment(j) == segment)
                .any(|j| THERE.contains(&words.lower(j)));
            points_back
                .then(|| {
                    let previous_place = previous_trigger_end.and_then(|from| {
                        hits.iter().position(|h| {
                            usable(h) && h.words.start >= from && h.words.end <= trigger.start
                        })
                    });
                    previous_place.or_else(|| {
                        hits.iter()
                            .rposition(|h| usable(h) && h.words.end <= trigger.start)
                    })
                })
                .flatten()
        })
        .or_else(|| {
            // A fronted place in an earlier clause with no event of its own.
            hits.iter().position(|h| {
                let s = words.segment(h.words.start);
                let mut clause_start = words.segment_range(h.words.start).start;
                // "Also in Baquba, north of Baghdad, …": the head, not the phrase after it.
                let after_head = s > 0 && relative_phrase(words, clause_start);
                while matches!(
                    words.lower(clause_start),
                    "also" | "meanwhile" | "elsewhere" | "and" | "but" | "separately"
                ) {
                    clause_start += 1;
                }
                usable(h)
                    && s < segment
                    && !trigger_segments.contains(&s)
                    && !after_head
                    && ((LOCATIVE.contains(&words.lower(clause_start))
                        && h.words.start <= clause_start + 3)
                        || is_label(words, h))
            })
        })?;
    // "in the Belarus capital Minsk", "in Syria's Aleppo province": a country named to say
    // where the finer place right after it lies.
    let chosen = match hits[chosen].place.as_ref() {
        Some(country) if country.scope == PlaceScope::Country => hits
            .iter()
            .position(|h| {
                usable(h)
                    && h.words.start >= hits[chosen].words.end
                    // "in Iraq's northern city of Mosul"
                    && h.words.start <= hits[chosen].words.end + 5
                    && words.segment(h.words.start) == words.segment(hits[chosen].words.start)
                    && h.place.as_ref().is_some_and(|p| {
                        p.scope < PlaceScope::Country && p.country == country.country
                    })
            })
            .unwrap_or(chosen),
        _ => chosen,
    };
    // "the south Baghdad neighbourhood of Al-Bayaa", "Baghdad's southern district of
    // Saiydiah": the finer place the phrase names.
    let chosen = {
        let end = hits[chosen].words.end;
        (end..words.len().min(end + 4))
            .take_while(|&j| words.segment(j) == words.segment(end.saturating_sub(1)))
            .take_while(|&j| {
                // Only a possessive or a compass adjective between: "Baghdad's southern".
                j == end
                    || matches!(
                        words.lower(j - 1),
                        "s" | "southern" | "northern" | "eastern" | "western" | "central"
                    )
            })
            .find(|&j| {
                matches!(
                    words.lower(j),
                    "neighbourhood" | "neighborhood" | "district" | "suburb" | "quarter"
                ) && words.lower(j + 1) == "of"
            })
            .and_then(|j| {
                hits.iter().position(|h| {
                    usable(h)
                        && h.words.start == j + 2
                        && h.place.as_ref().is_some_and(|p| {
                            hits[chosen].place.as_ref().is_some_and(|outer| {
                                p.scope < outer.scope
                                    || (p.scope == outer.scope && distance_km(p, outer) <= 30.0)
                            })
                        })
                })
            })
            .unwrap_or(chosen)
    };
    // "the Iraq-Syria border in Nineveh province", "al-Hasakah, northern Syria"
    let end = hits[chosen].words.end;
    let border = hits[chosen]
        .place
        .as_ref()
        .is_some_and(|p| p.scope == PlaceScope::Border);
    // "the border west of al-Qaim", "the border near Rabia"
    let mut link = end;
    if border {
        while BEARINGS.iter().any(|(name, _)| *name == words.lower(link)) {
            link += 1;
        }
        if (link > end && words.lower(link) == "of") || words.lower(link) == "near" {
            link += 1;
        } else {
            link = end;
        }
    }
    let context = hits.iter().position(|h| {
        usable(h)
            && h.words.start >= end
            && ((link > end && h.words.start == link && words.segment(link) == words.segment(end))
                || (h.words.start <= end + 2 && matches!(words.lower(end), "in" | "of")))
    });
    Some((chosen, context))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A small place table for tests: names matched case-sensitively in the text.
    pub(crate) struct TablePlaces {
        pub places: Vec<(&'static str, PlaceRef)>,
    }

    pub(crate) fn place(
        id: &str,
        name: &str,
        scope: PlaceScope,
        (lat, lon): (f64, f64),
        country: &str,
        admin1: Option<&str>,
    ) -> PlaceRef {
        PlaceRef {
            id: id.into(),
            name: name.into(),
            scope,
            lat,
            lon,
            country: Some(country.into()),
            admin1: admin1.map(str::to_owned),
            countries: Vec::new(),
            confidence: None,
        }
    }

    pub(crate) fn iraq_syria_border() -> PlaceRef {
        PlaceRef {
            countries: vec!["IQ".into(), "SY".into()],
            ..place(
                "local:iraq-syria-border",
                "Iraq–Syria border",
                PlaceScope::Border,
                (34.9, 41.1),
                "IQ",
                None,
            )
        }
    }

    impl TablePlaces {
        pub(crate) fn seeds() -> TablePlaces {
            use PlaceScope::*;
            let hasakah_city = place(
                "g:173811",
                "Al-Hasakah",
                Settlement,
                (36.502, 40.748),
                "SY",
                Some("Al-Hasakah"),
            );
            let nineveh = place(
                "g:nineveh",
                "Nineveh",
                Admin1,
                (36.0, 42.5),
                "IQ",
                Some("Nineveh"),
            );
            let diyala = place(
                "g:diyala",
                "Diyala",
                Admin1,
                (33.9, 45.0),
                "IQ",
                Some("Diyala"),
            );
            let prison = place(
                "local:ghuwayran-prison",
                "Ghuwayran prison",
                Site,
                (36.48, 40.72),
                "SY",
                Some("Al-Hasakah"),
            );
            let hol = place(
                "local:al-hol-camp",
                "al-Hol camp",
                Site,
                (36.38, 41.15),
                "SY",
                Some("Al-Hasakah"),
            );
            let shaddadi = place(
                "local:al-shaddadi-prison",
                "al-Shaddadi prison",
                Site,
                (36.06, 40.73),
                "SY",
                Some("Al-Hasakah"),
            );
            let qarachogh = place(
                "local:qarachogh",
                "Qarachogh",
                Feature,
                (35.9, 43.6),
                "IQ",
                Some("Erbil"),
            );
            let syria = place("iso:SY", "Syria", Country, (35.0, 38.5), "SY", None);
            let iraq = place("iso:IQ", "Iraq", Country, (33.0, 44.0), "IQ", None);
            let baghdad = place(
                "g:baghdad",
                "Baghdad",
                Settlement,
                (33.34, 44.4),
                "IQ",
                Some("Baghdad"),
            );
            let border = iraq_syria_border();
            TablePlaces {
                places: vec![
                    ("Ghuwayran Prison", prison.clone()),
                    ("Ghuwayran prison", prison),
                    ("al-Hasakah City", hasakah_city.clone()),
                    ("al-Hasakah", hasakah_city.clone()),
                    ("Hassakeh", hasakah_city.clone()),
                    ("Hasaka", hasakah_city),
                    ("Nineveh province", nineveh.clone()),
                    ("Nineveh", nineveh),
                    ("Diyala governorate", diyala.clone()),
                    ("Diyala", diyala),
                    ("Iraq-Syria border", border),
                    ("al-Hol camp", hol),
                    ("al-Shaddadi prison", shaddadi),
                    ("Qarachogh", qarachogh),
                    ("Syria", syria),
                    ("Iraq", iraq),
                    ("Baghdad", baghdad),
                ],
            }
        }
    }

    impl PlaceSource for TablePlaces {
        fn mentions(&self, article: &LoadedArticle) -> Vec<PlaceMention> {
            let text = &article.article.text;
            let mut found: Vec<PlaceMention> = Vec::new();
            for range in article.story_ranges() {
                let mut at = range.start;
                while at < range.end {
                    let rest = &text[at..range.end];
                    // Any space in a name matches any space in the text (news text has
                    // no-break spaces).
                    let hit = self
                        .places
                        .iter()
                        .filter_map(|(name, place)| Some((matched_len(rest, name)?, place)))
                        .max_by_key(|(len, _)| *len);
                    let boundary = text[..at]
                        .chars()
                        .next_back()
                        .is_none_or(|c| !c.is_alphanumeric())
                        && hit.is_some_and(|(len, _)| {
                            text[at + len..]
                                .chars()
                                .next()
                                .is_none_or(|c| !c.is_alphanumeric())
                        });
                    match hit {
                        Some((len, place)) if boundary => {
                            found.push(PlaceMention {
                                span: at..at + len,
                                place: Some(place.clone()),
                                demonym: false,
                            });
                            at += len;
                        }
                        _ => at += rest.chars().next().map_or(1, char::len_utf8),
                    }
                }
            }
            found
        }
        fn border(&self, a: &str, b: &str) -> Option<PlaceRef> {
            let mut pair = [a, b];
            pair.sort_unstable();
            (pair == ["IQ", "SY"]).then(iraq_syria_border)
        }
        fn border_point_in(&self, _: &PlaceRef, area: &PlaceRef) -> Option<(f64, f64)> {
            (area.name == "Nineveh").then_some((36.0, 41.5))
        }
    }

    /// Bytes of `text` that spell `name` at its start, spaces matching any space.
    fn matched_len(text: &str, name: &str) -> Option<usize> {
        let mut chars = text.char_indices();
        for expected in name.chars() {
            let (_, c) = chars.next()?;
            let same = c == expected || (expected == ' ' && c.is_whitespace());
            if !same {
                return None;
            }
        }
        Some(chars.next().map_or(text.len(), |(at, _)| at))
    }

    fn hits(text: &str, last_border: Option<PlaceRef>) -> Vec<(String, Option<String>)> {
        let source = TablePlaces::seeds();
        let loaded =
            crate::articles::parse_article("t", format!("Headline for the test\n\n{text}"));
        let mentions = source.mentions(&loaded);
        let full = &loaded.article.text;
        let lower = full.to_ascii_lowercase();
        let start = full.find(text).unwrap();
        let words = Words::new(full, &lower, start..start + text.len());
        let counts = [("IQ", 5), ("SY", 3)];
        let mut context = BorderContext {
            source: &source,
            countries: &counts,
            last_border,
        };
        hits_in_sentence(&words, &mentions, &[], &mut context)
            .into_iter()
            .map(|h| (h.name, h.place.map(|p| p.id)))
            .collect()
    }

    #[test]
    fn border_phrases_name_the_border() {
        let border = Some("local:iraq-syria-border".to_owned());
        assert_eq!(
            hits(
                "Kadhimi made a rare visit to the country’s border with Syria on Wednesday.",
                None
            ),
            [("border with Syria".to_owned(), border.clone())]
        );
        assert_eq!(
            hits("Iraq’s border with Syria is long.", None),
            [("Iraq’s border with Syria".to_owned(), border.clone())]
        );
        assert_eq!(
            hits(
                "withdrawn from the al-Hol camp near the Iraqi border.",
                None
            )[1],
            ("Iraqi border".to_owned(), border.clone())
        );
        assert_eq!(
            hits(
                "sent support to the border to ensure it.",
                Some(iraq_syria_border())
            ),
            [("border".to_owned(), border.clone())]
        );
        assert!(hits("sent support to the border to ensure it.", None).is_empty());
        assert_eq!(
            hits(
                "Sudani said Iraq’s borders, particularly with neighboring Syria, remain secure.",
                None
            ),
            [(
                "Iraq’s borders, particularly with neighboring Syria".to_owned(),
                border.clone()
            )]
        );
        // The article's country and the neighbour it names most.
        assert_eq!(
            hits(
                "coordination has secured the country’s borders amid instability.",
                None
            ),
            [("country’s borders".to_owned(), border.clone())]
        );
    }

    #[test]
    fn compatibility_and_refinement() {
        let source = TablePlaces::seeds();
        let find = |name: &str| {
            source
                .places
                .iter()
                .find(|(n, _)| *n == name)
                .unwrap()
                .1
                .clone()
        };
        let prison = find("Ghuwayran Prison");
        let city = find("Hassakeh");
        let syria = find("Syria");
        let nineveh = find("Nineveh");
        let border = iraq_syria_border();
        assert!(compatible(&city, &prison));
        assert!(compatible(&syria, &prison));
        assert!(!compatible(&find("Diyala"), &prison));
        assert_eq!(refine(&syria, &city, &source).id, city.id);
        assert_eq!(refine(&city, &prison, &source).id, prison.id);
        let combined = refine(&border, &nineveh, &source);
        assert_eq!(combined.scope, PlaceScope::Border);
        assert_eq!(combined.admin1.as_deref(), Some("Nineveh"));
        assert_eq!((combined.lat, combined.lon), (36.0, 41.5));
        assert_eq!(combined.country.as_deref(), Some("IQ"));
        assert!(compatible(&combined, &border));
    }

    /// The place an event word gets in a one-sentence article.
    fn event_place(text: &str, verb: &str) -> Option<String> {
        let loaded = LoadedArticle {
            article: crate::store::Article {
                id: "a".into(),
                title: None,
                publisher: None,
                published: None,
                url: None,
                text: text.into(),
            },
            path: None,
            boilerplate: Vec::new(),
            title_range: None,
        };
        let at = text.find(verb).expect("the verb is in the text");
        let (place, _) = super::super::article::place_for_event_word(
            &loaded,
            &TablePlaces::seeds(),
            at..at + verb.len(),
        );
        place.map(|p| p.name)
    }

    #[test]
    fn a_possessive_place_that_owns_a_site_locates() {
        // The owned noun comes after its modifiers.
        assert_eq!(
            event_place(
                "Gunmen stormed Diyala's crowded central market on Friday.",
                "stormed"
            )
            .as_deref(),
            Some("Diyala")
        );
        // A thing owned, not a site: no place.
        assert_eq!(
            event_place(
                "Gunmen stormed Diyala's crowded central committee on Friday.",
                "stormed"
            ),
            None
        );
        // The site is named after it: the owner is only its container.
        assert_eq!(
            event_place(
                "Gunmen stormed Diyala's largest town, Zabran, on Friday.",
                "stormed"
            ),
            None
        );
    }
}
