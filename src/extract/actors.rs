//! Actors: who did what, under one canonical name per group.
//!
//! The lexicon maps every spelling a news story uses ("Daesh", "ISIS militants", "the
//! Iraqi army", "Hashd al-Shaabi") to one canonical name. Words that name a kind of force
//! without saying whose ("Kurdish forces", "security forces", "the army") are kept generic
//! and settled once the incident's country is known: Kurdish forces in Syria are the SDF,
//! in Iraq the Peshmerga. Anaphors ("the group", "the extremists", "they") take the most
//! recent armed group named before them, and "our forces" inside a quote takes the speaker.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

use super::words::Words;

/// What kind of actor a canonical name is; decides e.g. whether retaking a place is
/// "Government regains territory" or "Non-state actor overtakes territory".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActorKind {
    /// A state's own armed forces.
    StateForces,
    /// Armed groups fighting for or with a government.
    StateAffiliated,
    /// A foreign state's forces or a military coalition.
    ForeignForces,
    /// A government or its officials acting politically.
    Government,
    /// Rebels, jihadists and other armed groups outside the state.
    NonStateArmed,
    Civilians,
}

impl ActorKind {
    /// Whether the actor counts as the government side for territory changes.
    pub fn is_government_side(self) -> bool {
        matches!(
            self,
            Self::StateForces | Self::StateAffiliated | Self::ForeignForces | Self::Government
        )
    }

    pub fn is_armed(self) -> bool {
        !matches!(self, Self::Government | Self::Civilians)
    }
}

struct ActorDef {
    name: &'static str,
    kind: ActorKind,
    /// Actors on one side (a government and its forces, a coalition and its members): two
    /// reports naming them may still be telling one incident.
    side: Option<&'static str>,
    aliases: &'static [&'static str],
}

/// Canonical names and their spellings. Upper-case aliases of up to five letters are
/// acronyms and match only in upper case ("IS", never "is").
const ACTORS: &[ActorDef] = &[
    ActorDef {
        name: "Islamic State",
        kind: ActorKind::NonStateArmed,
        side: None,
        aliases: &[
            "Islamic State",
            "Islamic State group",
            "ISIS",
            "ISIL",
            "IS",
            "Daesh",
            "Daish",
            "Da'esh",
            "Islamic State of Iraq and Syria",
            "Islamic State of Iraq and the Levant",
            "Islamic State in Iraq and Syria",
            "Islamic State in Iraq and the Levant",
        ],
    },
    ActorDef {
        name: "Syrian Democratic Forces",
        kind: ActorKind::NonStateArmed,
        side: Some("sdf"),
        aliases: &[
            "Syrian Democratic Forces",
            "SDF",
            "SDFMedia",
            "SDF Media Center",
        ],
    },
    ActorDef {
        name: "Popular Mobilization Forces",
        kind: ActorKind::StateAffiliated,
        side: Some("iraq"),
        aliases: &[
            "Popular Mobilization Forces",
            "Popular Mobilisation Forces",
            "Popular Mobilization Units",
            "Popular Mobilisation Units",
            "PMF",
            "PMU",
            "Hashd al-Shaabi",
            "al-Hashd al-Shaabi",
            "Hashed al-Shaabi",
            "Hashd al-Shabi",
            "Hashd",
        ],
    },
    ActorDef {
        name: "Peshmerga",
        kind: ActorKind::StateForces,
        side: Some("krg"),
        aliases: &[
            "Peshmerga",
            "Kurdish Peshmerga",
            "Kurdistan Region's Peshmerga",
            "Zeravani",
        ],
    },
    ActorDef {
        name: "Iraqi Security Forces",
        kind: ActorKind::StateForces,
        side: Some("iraq"),
        aliases: &[
            "Iraqi Security Forces",
            "Iraq Security Forces",
            "ISF",
            "Iraqi army",
            "Iraqi forces",
            "Iraqi troops",
            "Iraqi military",
            "Iraqi soldiers",
            "Iraqi armed forces",
            "Iraqi security agencies",
            "federal forces",
            "Iraqi federal forces",
            "Border Guard Command",
            "Iraqi border guards",
            "Joint Operations Command",
            "Counter-Terrorism Service",
            "Counter Terrorism Service",
            "Iraqi police",
            "Federal Police",
            "Iraq's security forces",
            "Iraq's armed forces",
        ],
    },
    ActorDef {
        name: "Syrian Arab Army",
        kind: ActorKind::StateForces,
        side: Some("syria"),
        aliases: &[
            "Syrian Arab Army",
            "Syrian army",
            "Syrian government forces",
            "Syrian regime forces",
            "Syrian troops",
            "Syrian military",
            "Damascus forces",
        ],
    },
    ActorDef {
        name: "Syrian government",
        kind: ActorKind::Government,
        side: Some("syria"),
        aliases: &[
            "Syrian government",
            "Syrian authorities",
            "Syrian interim government",
            "Damascus government",
            "Syrian Interior Ministry",
            "Syrian Defense Ministry",
        ],
    },
    ActorDef {
        name: "Syrian government-affiliated armed groups",
        kind: ActorKind::StateAffiliated,
        side: Some("syria"),
        aliases: &[
            "Damascus-affiliated armed groups",
            "Damascus-affiliated groups",
            "Damascus-affiliated factions",
            "Damascus-affiliated forces",
            "government-affiliated armed groups",
        ],
    },
    ActorDef {
        name: "US-led coalition",
        kind: ActorKind::ForeignForces,
        side: Some("coalition"),
        aliases: &[
            "US-led coalition",
            "U.S.-led coalition",
            "Global Coalition",
            "Global Coalition against Daesh",
            "international coalition",
            "international anti-ISIS coalition",
            "anti-ISIS coalition",
            "anti-IS coalition",
            "anti-Daesh coalition",
            "coalition forces",
            "coalition troops",
            "coalition",
        ],
    },
    ActorDef {
        name: "US forces",
        kind: ActorKind::ForeignForces,
        side: Some("coalition"),
        aliases: &[
            "US forces",
            "U.S. forces",
            "US troops",
            "U.S. troops",
            "American forces",
            "American troops",
            "US military",
            "U.S. military",
            "United States military",
            "US Army",
            "CENTCOM",
            "US Central Command",
            "U.S. Central Command",
        ],
    },
    ActorDef {
        name: "Hay'at Tahrir al-Sham",
        kind: ActorKind::NonStateArmed,
        side: None,
        aliases: &[
            "Hay'at Tahrir al-Sham",
            "Hayat Tahrir al-Sham",
            "Hayat Tahrir al Sham",
            "HTS",
            "Tahrir al-Sham",
        ],
    },
    ActorDef {
        name: "Kurdistan Regional Government",
        kind: ActorKind::Government,
        side: Some("krg"),
        aliases: &[
            "Kurdistan Regional Government",
            "Kurdistan Region Government",
            "KRG",
            "Ministry of Peshmerga Affairs",
            "Minister for Peshmerga Affairs",
            "Minister of Peshmerga Affairs",
            "Masrour Barzani",
            "Nechirvan Barzani",
            "Barzani",
        ],
    },
    ActorDef {
        name: "Iraqi government",
        kind: ActorKind::Government,
        side: Some("iraq"),
        aliases: &[
            "Iraqi government",
            "Government of Iraq",
            "Iraqi Prime Minister",
            "Iraq's prime minister",
            "Mustafa Al Kadhimi",
            "Mustafa Al-Kadhimi",
            "Al Kadhimi",
            "Al-Kadhimi",
            "Kadhimi",
            "Mohammed Shia' al-Sudani",
            "Mohammed Shia al-Sudani",
            "al-Sudani",
            "Sudani",
            "Iraqi Ministry of Defense",
            "Iraqi Defense Ministry",
            "Iraq's defense ministry",
            "Iraqi Ministry of Defence",
            "Iraqi National Security Advisor",
            "Qasim al-Araji",
            "Araji",
            "Iraqi authorities",
            "Iraqi officials",
            "Tahsin al-Khafaji",
            "al-Khafaji",
            "Khafaji",
            "Baghdad government",
            "Iraqi Interior Ministry",
        ],
    },
    ActorDef {
        name: "Turkish Armed Forces",
        kind: ActorKind::ForeignForces,
        side: Some("turkey"),
        aliases: &[
            "Turkish Armed Forces",
            "Turkish army",
            "Turkish forces",
            "Turkish military",
            "Turkish troops",
            "Turkish warplanes",
            "Turkish drones",
            "Turkish drone",
        ],
    },
    ActorDef {
        name: "Kurdistan Workers' Party",
        kind: ActorKind::NonStateArmed,
        side: None,
        aliases: &["PKK", "Kurdistan Workers' Party", "Kurdistan Workers Party"],
    },
    ActorDef {
        name: "People's Protection Units",
        kind: ActorKind::NonStateArmed,
        side: Some("sdf"),
        aliases: &["YPG", "People's Protection Units"],
    },
    ActorDef {
        name: "Syrian National Army",
        kind: ActorKind::NonStateArmed,
        side: None,
        aliases: &[
            "Syrian National Army",
            "SNA",
            "Turkish-backed Syrian National Army",
        ],
    },
    ActorDef {
        name: "Iran-backed militias",
        kind: ActorKind::StateAffiliated,
        side: None,
        aliases: &[
            "Iran-backed militias",
            "Iran-backed groups",
            "Iranian-backed militias",
            "Iran-aligned militias",
            "Iran-backed factions",
        ],
    },
    ActorDef {
        name: "Protesters",
        kind: ActorKind::Civilians,
        side: None,
        aliases: &["protesters", "demonstrators", "protestors"],
    },
];

/// The name given to armed groups the text does not identify.
pub const UNIDENTIFIED: &str = "Unidentified armed group";
/// The name given to civilian victims.
pub const CIVILIANS: &str = "Civilians";

/// An actor as found: a canonical one, or a generic phrase settled later.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActorRef {
    /// Index into the lexicon.
    Known(u16),
    /// "Kurdish forces": the SDF in Syria, the Peshmerga in Iraq.
    KurdishForces,
    /// "security forces", "the army", "troops": the state forces of the incident's country.
    StateForces,
    Unidentified,
    Civilians,
}

impl ActorRef {
    /// The canonical name, for a known actor or a generic settled by `country` (ISO alpha-2).
    pub fn name(self, country: Option<&str>) -> Option<&'static str> {
        match self {
            Self::Known(index) => ACTORS.get(usize::from(index)).map(|a| a.name),
            Self::KurdishForces => match country {
                Some("SY") => Some("Syrian Democratic Forces"),
                Some("IQ") => Some("Peshmerga"),
                _ => None,
            },
            Self::StateForces => match country {
                Some("IQ") => Some("Iraqi Security Forces"),
                Some("SY") => Some("Syrian Arab Army"),
                Some("TR") => Some("Turkish Armed Forces"),
                _ => None,
            },
            Self::Unidentified => Some(UNIDENTIFIED),
            Self::Civilians => Some(CIVILIANS),
        }
    }

    pub fn kind(self) -> ActorKind {
        match self {
            Self::Known(index) => ACTORS
                .get(usize::from(index))
                .map_or(ActorKind::NonStateArmed, |a| a.kind),
            Self::KurdishForces => ActorKind::NonStateArmed,
            Self::StateForces => ActorKind::StateForces,
            Self::Unidentified => ActorKind::NonStateArmed,
            Self::Civilians => ActorKind::Civilians,
        }
    }

    /// Whether two actors are the same or on the same side.
    pub fn allied(self, other: ActorRef) -> bool {
        if self == other {
            return true;
        }
        let side = |a: ActorRef| match a {
            Self::Known(index) => ACTORS.get(usize::from(index)).and_then(|d| d.side),
            _ => None,
        };
        side(self).is_some() && side(self) == side(other)
    }

    pub fn is_generic(self) -> bool {
        !matches!(self, Self::Known(_))
    }
}

/// The canonical name for a spelling, e.g. "Daesh" → "Islamic State". Generic phrases
/// ("security forces") have none.
pub fn canonical_actor(spelling: &str) -> Option<&'static str> {
    let lower = spelling.to_ascii_lowercase();
    let words = Words::new(spelling, &lower, 0..spelling.len());
    let mut context = ActorContext::default();
    let found = find(&words, &mut context);
    match found.as_slice() {
        [only] if only.words == (0..words.len()) => only.actor.name(None),
        _ => None,
    }
}

/// Every canonical actor name with its kind.
pub fn known_actors() -> impl Iterator<Item = (&'static str, ActorKind)> {
    ACTORS.iter().map(|a| (a.name, a.kind))
}

/// One actor mention in a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActorMention {
    /// Word indices.
    pub words: Range<usize>,
    pub actor: ActorRef,
}

/// What earlier sentences tell about anaphors.
#[derive(Debug, Default, Clone)]
pub struct ActorContext {
    /// The most recent armed non-state group named.
    pub last_armed_group: Option<ActorRef>,
}

enum Pattern {
    Actor(ActorRef),
    /// "Syrian Defense Forces": the SDF only when "(SDF)" follows.
    SdfTypo,
    /// "the group", "the extremists", "they": the most recent armed group.
    GroupAnaphor,
    /// "they": the nearest actor before it in the sentence, else the last armed group.
    They,
    /// "our forces": whoever is speaking.
    Speaker,
}

struct Alias {
    /// Lower-case words after the first.
    rest: Vec<String>,
    /// For each word (first included): must it be upper case in the text?
    acronym: Vec<bool>,
    pattern: Pattern,
}

/// Words that follow a group's name without changing who it is ("ISIS militants").
const ROLE_NOUNS: &[&str] = &[
    "militants",
    "militant",
    "fighters",
    "fighter",
    "members",
    "member",
    "terrorists",
    "forces",
    "troops",
    "cells",
    "remnants",
    "elements",
    "jihadists",
    "units",
    "personnel",
    "gunmen",
    "insurgents",
    "group",
    "organization",
    "organisation",
    "operatives",
    "soldiers",
];

static LEXICON: LazyLock<HashMap<String, Vec<Alias>>> = LazyLock::new(|| {
    let mut map: HashMap<String, Vec<Alias>> = HashMap::new();
    let mut add = |spelling: &str, pattern: Pattern| {
        let words = split_words(spelling);
        let Some((first, rest)) = words.split_first() else {
            return;
        };
        let acronym = words
            .iter()
            .map(|(_, raw)| {
                raw.len() <= 5
                    && raw.chars().any(char::is_alphabetic)
                    && !raw.chars().any(char::is_lowercase)
            })
            .collect();
        map.entry(first.0.clone()).or_default().push(Alias {
            rest: rest.iter().map(|(w, _)| w.clone()).collect(),
            acronym,
            pattern,
        });
    };
    for (index, def) in ACTORS.iter().enumerate() {
        let index = u16::try_from(index).unwrap_or(u16::MAX);
        for alias in def.aliases {
            add(alias, Pattern::Actor(ActorRef::Known(index)));
        }
    }
    for spelling in ["Syrian Defense Forces", "Syrian Defence Forces"] {
        add(spelling, Pattern::SdfTypo);
    }
    for spelling in [
        "Kurdish forces",
        "Kurdish fighters",
        "Kurdish-led forces",
        "Kurdish troops",
        "Kurdish militia",
        "Kurdish militias",
        "Kurdish-led fighters",
    ] {
        add(spelling, Pattern::Actor(ActorRef::KurdishForces));
    }
    for spelling in [
        "security forces",
        "armed forces",
        "army",
        "troops",
        "soldiers",
        "military forces",
        "border guards",
        "police",
        "policemen",
        "the military",
        "border security units",
    ] {
        add(spelling, Pattern::Actor(ActorRef::StateForces));
    }
    for spelling in [
        "gunmen",
        "unidentified gunmen",
        "unknown gunmen",
        "armed men",
        "armed group",
        "armed groups",
        "terrorist group",
        "terrorist groups",
        "militants",
        "insurgents",
        "assailants",
        "attackers",
        "unidentified armed group",
        "terrorists",
        "terrorist gangs",
        "armed factions",
        // Rebels are armed and outside the state: their gains are a non-state actor's.
        "rebels",
        "rebel fighters",
        "opposition fighters",
    ] {
        add(spelling, Pattern::Actor(ActorRef::Unidentified));
    }
    for spelling in [
        "civilians",
        "villagers",
        "shepherds",
        "farmers",
        "residents",
        "worshippers",
        "passersby",
        "truffle hunters",
        "civilian",
    ] {
        add(spelling, Pattern::Actor(ActorRef::Civilians));
    }
    for spelling in [
        "the group",
        "the extremists",
        "the militants",
        "the terrorists",
        "the jihadists",
        "the insurgents",
        "the extremist group",
        "the terrorist group",
    ] {
        add(spelling, Pattern::GroupAnaphor);
    }
    add("they", Pattern::They);
    add("our forces", Pattern::Speaker);
    // Longest aliases first, so that "Iraqi army" wins over "army".
    for aliases in map.values_mut() {
        aliases.sort_by_key(|a| std::cmp::Reverse(a.rest.len()));
    }
    map
});

/// Lower-case words of a spelling, each with its original form.
fn split_words(spelling: &str) -> Vec<(String, String)> {
    spelling
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| (w.to_ascii_lowercase(), w.to_owned()))
        .collect()
}

/// Finds the actors named in a sentence, resolving anaphors with `context` (which it
/// updates for the next sentence).
pub(crate) fn find(words: &Words<'_>, context: &mut ActorContext) -> Vec<ActorMention> {
    let mut found: Vec<ActorMention> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let Some((pattern, len)) = match_at(words, i) else {
            i += 1;
            continue;
        };
        let mut end = i + len;
        // Role nouns belong to the name before them ("ISIS militants").
        while ROLE_NOUNS.contains(&words.lower(end)) && words.segment(end) == words.segment(i) {
            end += 1;
        }
        let actor = match pattern {
            // "killing six militants": a casualty figure, not another group.
            &Pattern::Actor(ActorRef::Unidentified)
                if i > 0 && super::words::number_at(words, i - 1).is_some() =>
            {
                None
            }
            &Pattern::Actor(actor) => {
                // "anti-ISIS" names the coalition's enemy, not an actor in the event.
                let negated = words.words.get(i).is_some_and(|w| w.after_hyphen)
                    && i > 0
                    && words.lower(i - 1) == "anti";
                (!negated).then_some(actor)
            }
            Pattern::SdfTypo => {
                let sdf_follows = (end..end + 3).any(|j| words.lower(j) == "sdf");
                sdf_follows.then(sdf_ref)
            }
            Pattern::GroupAnaphor => context.last_armed_group,
            Pattern::They => found
                .iter()
                .rev()
                .map(|m| m.actor)
                .find(|a| a.kind().is_armed() || a.kind() == ActorKind::Government)
                .or(context.last_armed_group),
            Pattern::Speaker => speaker(words, i),
        };
        if let Some(actor) = actor {
            if actor.kind() == ActorKind::NonStateArmed && actor != ActorRef::Unidentified {
                context.last_armed_group = Some(actor);
            }
            found.push(ActorMention {
                words: i..end,
                actor,
            });
        }
        i = end;
    }
    found
}

fn sdf_ref() -> ActorRef {
    let index = ACTORS
        .iter()
        .position(|a| a.name == "Syrian Democratic Forces")
        .and_then(|i| u16::try_from(i).ok())
        .unwrap_or(0);
    ActorRef::Known(index)
}

/// The actor speaking a quote: the first one named outside the quotes of the sentence.
fn speaker(words: &Words<'_>, quote_word: usize) -> Option<ActorRef> {
    (0..words.len())
        .filter(|&j| j != quote_word && !words.words[j].quoted)
        .find_map(|j| match match_at(words, j) {
            Some((Pattern::Actor(actor), _)) if !actor.is_generic() => Some(*actor),
            _ => None,
        })
}

fn match_at<'l>(words: &Words<'_>, i: usize) -> Option<(&'l Pattern, usize)> {
    let aliases = LEXICON.get(words.lower(i))?;
    'alias: for alias in aliases {
        for (k, part) in alias.rest.iter().enumerate() {
            if words.lower(i + 1 + k) != part {
                continue 'alias;
            }
        }
        for (k, &acronym) in alias.acronym.iter().enumerate() {
            let upper = words
                .words
                .get(i + k)
                .is_some_and(|w| w.all_caps || (word_len(words, i + k) == 1 && w.capitalised));
            if acronym && !upper {
                continue 'alias;
            }
        }
        return Some((&alias.pattern, alias.rest.len() + 1));
    }
    None
}

fn word_len(words: &Words<'_>, i: usize) -> usize {
    words.raw(i).chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str, country: Option<&str>) -> Vec<&'static str> {
        let lower = text.to_ascii_lowercase();
        let words = Words::new(text, &lower, 0..text.len());
        let mut context = ActorContext::default();
        find(&words, &mut context)
            .into_iter()
            .filter_map(|m| m.actor.name(country))
            .collect()
    }

    #[test]
    fn aliases_have_one_canonical_name() {
        for spelling in [
            "Islamic State",
            "ISIS",
            "IS",
            "Daesh",
            "ISIL",
            "ISIS militants",
        ] {
            assert_eq!(
                canonical_actor(spelling),
                Some("Islamic State"),
                "{spelling}"
            );
        }
        for spelling in ["SDF", "Syrian Democratic Forces"] {
            assert_eq!(canonical_actor(spelling), Some("Syrian Democratic Forces"));
        }
        for spelling in ["PMF", "Popular Mobilization Forces", "Hashd al-Shaabi"] {
            assert_eq!(
                canonical_actor(spelling),
                Some("Popular Mobilization Forces")
            );
        }
        for spelling in [
            "ISF",
            "Iraqi army",
            "Iraqi forces",
            "Iraqi troops",
            "Iraq Security Forces",
        ] {
            assert_eq!(
                canonical_actor(spelling),
                Some("Iraqi Security Forces"),
                "{spelling}"
            );
        }
        assert_eq!(canonical_actor("Syrian army"), Some("Syrian Arab Army"));
        for spelling in [
            "US-led coalition",
            "Global Coalition",
            "international anti-ISIS coalition",
        ] {
            assert_eq!(
                canonical_actor(spelling),
                Some("US-led coalition"),
                "{spelling}"
            );
        }
        assert_eq!(canonical_actor("HTS"), Some("Hay'at Tahrir al-Sham"));
        assert_eq!(
            canonical_actor("Hay’at Tahrir al-Sham"),
            Some("Hay'at Tahrir al-Sham")
        );
        assert_eq!(
            canonical_actor("KRG"),
            Some("Kurdistan Regional Government")
        );
        assert_eq!(
            canonical_actor("is"),
            None,
            "acronyms match in upper case only"
        );
        assert_eq!(
            canonical_actor("security forces"),
            None,
            "generic until placed"
        );
    }

    #[test]
    fn the_sdf_typo_counts_only_beside_sdf() {
        assert_eq!(
            names(
                "guarded by the Kurdish-led Syrian Defense Forces (SDF), a partner",
                None
            ),
            ["Syrian Democratic Forces", "Syrian Democratic Forces"]
        );
        assert!(names("the Syrian Defense Forces said", None).is_empty());
    }

    #[test]
    fn generic_forces_are_settled_by_country() {
        assert_eq!(
            names("Kurdish forces regained it", Some("SY")),
            ["Syrian Democratic Forces"]
        );
        assert_eq!(
            names("Kurdish forces regained it", Some("IQ")),
            ["Peshmerga"]
        );
        assert_eq!(
            names("security forces arrested", Some("IQ")),
            ["Iraqi Security Forces"]
        );
        assert!(names("security forces arrested", None).is_empty());
    }

    #[test]
    fn anti_isis_is_not_isis_and_role_nouns_are_absorbed() {
        assert_eq!(
            names(
                "the international anti-ISIS coalition and anti-ISIS efforts",
                None
            ),
            ["US-led coalition"]
        );
        assert_eq!(names("ISIS militants attacked", None), ["Islamic State"]);
    }

    #[test]
    fn anaphors_take_the_last_armed_group() {
        let mut context = ActorContext::default();
        for (text, expected) in [
            ("The group increased its activities.", vec![]),
            ("ISIS resurgence is real.", vec!["Islamic State"]),
            (
                "In Qarachogh, they even established bases",
                vec!["Islamic State"],
            ),
            ("the extremists attacked", vec!["Islamic State"]),
            (
                "Kurdish forces said they regained control",
                vec!["Syrian Democratic Forces"; 2],
            ),
        ] {
            let lower = text.to_ascii_lowercase();
            let words = Words::new(text, &lower, 0..text.len());
            let got: Vec<&str> = find(&words, &mut context)
                .into_iter()
                .filter_map(|m| m.actor.name(Some("SY")))
                .collect();
            assert_eq!(got, expected, "{text}");
        }
    }

    #[test]
    fn our_forces_is_the_speaker() {
        assert_eq!(
            names(
                "“Today, our forces faced several terrorist groups,” the SDFMedia Center said",
                None
            ),
            [
                "Syrian Democratic Forces",
                "Unidentified armed group",
                "Syrian Democratic Forces"
            ]
        );
    }
}
