//! Counts: people killed, wounded, captured, escaped, recaptured.
//!
//! Only figures the text states are read: "at least 17 SDF fighters have been killed",
//! "killing 11 soldiers", "another 89 recaptured". A lower bound ("at least", "more than")
//! is kept as the figure, as ACLED does. Vague quantities ("dozens", "scores", "several")
//! and approximations ("nearly a dozen", "about 20") give no figure at all: the incident's
//! fatalities stay unknown rather than invented.

use std::ops::Range;

use super::actors::ActorMention;
use super::words::{Words, number_at};

/// What a count counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CountKind {
    Killed,
    Wounded,
    Captured,
    Abducted,
    Escaped,
    Recaptured,
    Freed,
}

impl CountKind {
    /// The key in `Incident::counts` (fatalities have their own field).
    pub fn key(self) -> &'static str {
        match self {
            Self::Killed => "killed",
            Self::Wounded => "wounded",
            Self::Captured => "captured",
            Self::Abducted => "abducted",
            Self::Escaped => "escaped",
            Self::Recaptured => "recaptured",
            Self::Freed => "freed",
        }
    }
}

/// One stated figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CountMention {
    /// Word indices of the whole phrase.
    pub words: Range<usize>,
    /// Word index of the outcome word ("killed"), to tie the count to the nearest event.
    pub outcome_word: usize,
    pub kind: CountKind,
    pub value: u32,
    /// Who: a canonical actor name, or the noun counted ("soldiers"), or empty.
    pub victims: String,
}

fn outcome(word: &str) -> Option<CountKind> {
    Some(match word {
        "killed" | "killing" | "dead" | "died" | "deaths" | "fatalities" | "kill" | "kills" => {
            CountKind::Killed
        }
        "wounded" | "wounding" | "injured" | "injuring" | "hurt" | "injuries" => CountKind::Wounded,
        "captured" | "capturing" | "arrested" | "arresting" | "detained" | "detaining" => {
            CountKind::Captured
        }
        "abducted" | "abducting" | "kidnapped" | "kidnapping" => CountKind::Abducted,
        "escaped" | "fled" => CountKind::Escaped,
        "recaptured" => CountKind::Recaptured,
        "freed" | "released" => CountKind::Freed,
        _ => return None,
    })
}

/// Words before a figure that make it approximate: no figure is kept.
const APPROXIMATE: &[&str] = &[
    "nearly",
    "about",
    "around",
    "some",
    "approximately",
    "roughly",
    "almost",
    "up",
    "estimated",
    "perhaps",
    "possibly",
];

/// Nouns that name who is counted.
const VICTIM_NOUNS: &[&str] = &[
    "soldiers",
    "soldier",
    "people",
    "civilians",
    "civilian",
    "fighters",
    "militants",
    "members",
    "troops",
    "policemen",
    "officers",
    "guards",
    "prisoners",
    "detainees",
    "inmates",
    "children",
    "women",
    "men",
    "persons",
    "personnel",
    "insurgents",
    "terrorists",
    "villagers",
    "shepherds",
    "others",
    "suspects",
    "jihadists",
    "gunmen",
    "attackers",
    // One of them: "killing one contractor", "a guard was wounded".
    "person",
    "man",
    "woman",
    "child",
    "fighter",
    "militant",
    "member",
    "officer",
    "guard",
    "policeman",
    "prisoner",
    "detainee",
    "inmate",
    "villager",
    "shepherd",
    "suspect",
    "gunman",
    "attacker",
    "insurgent",
    "terrorist",
    "contractor",
    "contractors",
    "worker",
    "workers",
    "employee",
    "employees",
    "journalist",
    "journalists",
    "servicemen",
    "serviceman",
];

/// Finds the stated figures in a sentence. Numbers that are dates are skipped via `taken`.
pub(crate) fn find(
    words: &Words<'_>,
    actors: &[ActorMention],
    taken: &[Range<usize>],
) -> Vec<CountMention> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < words.len() {
        if taken.iter().any(|r| r.contains(&i)) {
            i += 1;
            continue;
        }
        let Some((value, used)) = number_at(words, i) else {
            i += 1;
            continue;
        };
        let approximate = (i > 0 && APPROXIMATE.contains(&words.lower(i - 1)))
            || (i > 1 && words.lower(i - 2) == "up" && words.lower(i - 1) == "to");
        let exact = !approximate;
        let after = i + used;
        // "killing one contractor and wounding two": the word just before says what befell them.
        if exact
            && i > 0
            && outcome(words.lower(i - 1)).is_some()
            && let Some(count) = count_before_number(words, actors, i, after, value)
        {
            i = after;
            found.push(count);
            continue;
        }
        if exact && let Some(count) = count_after_number(words, actors, i, after, value) {
            i = count.words.end;
            found.push(count);
            continue;
        }
        if exact && let Some(count) = count_before_number(words, actors, i, after, value) {
            found.push(count);
        }
        i = after;
    }
    found
}

/// "17 SDF fighters have been killed", "89 recaptured", "11 dead".
fn count_after_number(
    words: &Words<'_>,
    actors: &[ActorMention],
    number: usize,
    after: usize,
    value: u32,
) -> Option<CountMention> {
    let segment = words.segment(number);
    let mut victims = String::new();
    let mut j = after;
    while j < words.len() && j < after + 7 && words.segment(j) == segment {
        let word = words.lower(j);
        if let Some(kind) = outcome(word) {
            return Some(CountMention {
                words: number..j + 1,
                outcome_word: j,
                kind,
                value,
                victims,
            });
        }
        if let Some(actor) = actors.iter().find(|a| a.words.start == j) {
            if victims.is_empty() {
                victims = actor.actor.name(None).unwrap_or("").to_owned();
            }
            j = actor.words.end;
            continue;
        }
        if VICTIM_NOUNS.contains(&word) {
            if victims.is_empty() {
                victims = word.to_owned();
            }
        } else if !matches!(
            word,
            "have"
                | "has"
                | "had"
                | "been"
                | "were"
                | "was"
                | "are"
                | "more"
                | "other"
                | "of"
                | "the"
                | "them"
                | "whom"
                | "iraqi"
                | "syrian"
                | "kurdish"
                | "security"
                | "army"
                | "border"
                | "also"
                | "reportedly"
                | "later"
                | "and"
                | "another"
        ) {
            return None;
        }
        j += 1;
    }
    None
}

/// "killing 11 soldiers", "left 5 dead", "death toll rose to 20".
fn count_before_number(
    words: &Words<'_>,
    actors: &[ActorMention],
    number: usize,
    after: usize,
    value: u32,
) -> Option<CountMention> {
    let segment = words.segment(number);
    // The outcome word sits just before the number, maybe with "at least"/"more than" between.
    let mut j = number;
    let mut steps = 0;
    while j > 0 && steps < 4 && words.segment(j - 1) == segment {
        j -= 1;
        steps += 1;
        let word = words.lower(j);
        if let Some(kind) = outcome(word) {
            // The count needs a noun for who ("killing 11 soldiers"), not a bare number.
            let victim = actors
                .iter()
                .find(|a| a.words.start == after)
                .and_then(|a| a.actor.name(None).map(str::to_owned))
                .or_else(|| {
                    (after..after + 3)
                        .map(|k| words.lower(k))
                        .find(|w| VICTIM_NOUNS.contains(w))
                        .map(str::to_owned)
                })?;
            return Some(CountMention {
                words: j..after + 1,
                outcome_word: j,
                kind,
                value,
                victims: victim,
            });
        }
        if word == "toll" {
            return Some(CountMention {
                words: j..after,
                outcome_word: j,
                kind: CountKind::Killed,
                value,
                victims: String::new(),
            });
        }
        if !matches!(
            word,
            "at" | "least"
                | "more"
                | "than"
                | "over"
                | "another"
                | "rose"
                | "to"
                | "of"
                | "reached"
                | "climbed"
        ) {
            return None;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::actors::{self, ActorContext};
    use super::*;

    fn counts(text: &str) -> Vec<(CountKind, u32, String)> {
        let lower = text.to_ascii_lowercase();
        let words = Words::new(text, &lower, 0..text.len());
        let actors = actors::find(&words, &mut ActorContext::default());
        find(&words, &actors, &[])
            .into_iter()
            .map(|c| (c.kind, c.value, c.victims))
            .collect()
    }

    #[test]
    fn stated_figures_are_read_with_their_victims() {
        assert_eq!(
            counts("at least 17 SDF fighters have been killed while trying to retake it"),
            [(CountKind::Killed, 17, "Syrian Democratic Forces".to_owned())]
        );
        assert_eq!(
            counts(
                "At least 70 ISIS fighters have been killed by the SDF and another 89 recaptured after escaping"
            ),
            [
                (CountKind::Killed, 70, "Islamic State".to_owned()),
                (CountKind::Recaptured, 89, String::new())
            ]
        );
        assert_eq!(
            counts("ISIS militants attacked an Iraqi army barracks, killing 11 soldiers."),
            [(CountKind::Killed, 11, "soldiers".to_owned())]
        );
        assert_eq!(
            counts("the death toll rose to 20"),
            [(CountKind::Killed, 20, String::new())]
        );
        assert_eq!(
            counts("three civilians were wounded"),
            [(CountKind::Wounded, 3, "Civilians".to_owned())]
        );
        assert_eq!(
            counts("Three rockets hit the base, killing one contractor and wounding two workers."),
            [
                (CountKind::Killed, 1, "contractor".to_owned()),
                (CountKind::Wounded, 2, "workers".to_owned())
            ]
        );
    }

    #[test]
    fn vague_and_approximate_figures_give_nothing() {
        for text in [
            "Dozens from both sides have been killed",
            "which has carried out nearly a dozen air strikes",
            "about 20 people were killed",
            "up to 30 people were killed",
            "holds an estimated 25,000 people, nearly all of whom",
            "a 599-kilometer border",
            "ISIS has 3,500 to 4,000 active and 8,000 inactive militants",
            "thousands of civilians living near by have been displaced",
            "killed 2 in",
        ] {
            assert!(counts(text).is_empty(), "{text}: {:?}", counts(text));
        }
    }
}
