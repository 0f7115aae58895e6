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

/// Prefix of the victims of a figure told as part of the dead ("two soldiers were among
/// the dead"): it adds to figures of other victims, not to a figure of everyone ("people").
pub(crate) const AMONG: &str = "\u{0}among:";

/// Prefix of the victims of a figure the attackers claim ("claimed to have killed more than
/// 20 soldiers"): it stands only when no other account gives a figure of the dead (ACLED
/// takes the more conservative report).
pub(crate) const CLAIMED: &str = "\u{0}claimed:";

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
    /// A toll: all the incident's dead together ("the toll climbed to 14"), replacing the
    /// figures told before rather than adding to them.
    pub total: bool,
}

fn outcome(word: &str) -> Option<CountKind> {
    Some(match word {
        "killed" | "killing" | "dead" | "died" | "deaths" | "fatalities" | "kill" | "kills"
        | "bodies" | "body" | "executed" | "executing" | "beheaded" | "murdered" => {
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
    "assailants",
    "smugglers",
    "smuggler",
    "tribesmen",
    "tribesman",
    "clansmen",
    "kidnappers",
    "bandits",
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
    "passengers",
    "passenger",
    "hunters",
    "pickers",
    "farmers",
    "farmer",
    "students",
    "pilgrims",
    "worshippers",
    "commander",
    "commanders",
    "leader",
    "leaders",
    "boy",
    "girl",
    "boys",
    "girls",
    "relatives",
    "brothers",
    "brother",
    "sons",
    "son",
    "father",
    "mother",
    "sisters",
    "sister",
    "wife",
    "husband",
    "protesters",
    "protester",
    "teacher",
    "teachers",
    "doctor",
    "doctors",
    "activist",
    "activists",
    "mukhtar",
    "shopkeeper",
    "shopkeepers",
    "driver",
    "drivers",
    "merchant",
    "trader",
    "vendor",
    "nurse",
    "student",
    "cleric",
    "imam",
    "lawyer",
    "judge",
    "pharmacist",
    "pharmacists",
    "engineer",
    "engineers",
    "baker",
    "bakers",
    "barber",
    "butcher",
    "mechanic",
    "jeweller",
    "goldsmith",
    "accountant",
    "demonstrators",
    "demonstrator",
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
        if let Some((value, _)) = pronoun_victims(words, i) {
            // "killing him", "killing both": those just named, however the sentence goes on.
            if let Some(kind) = outcome(words.lower(i - 1)) {
                found.push(CountMention {
                    words: i - 1..i + 1,
                    outcome_word: i - 1,
                    kind,
                    value,
                    victims: String::new(),
                    total: false,
                });
            }
            i += 1;
            continue;
        }
        if let Some(count) = office_holder(words, i) {
            i = count.words.end;
            found.push(count);
            continue;
        }
        let Some((value, used)) = number_at(words, i).or_else(|| one_victim(words, i)) else {
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
            && let Some(mut count) = count_before_number(words, actors, i, after, value)
        {
            i = after;
            // "killed a woman and her two children": one outcome for both.
            if let Some((more, end)) = coordinated_victims(words, count.words.end) {
                count.value = count.value.saturating_add(more);
                count.words.end = end;
                i = end;
            }
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
    if superseded(words) {
        found.clear();
    }
    // "The group claimed to have killed \"more than 20\" soldiers": a claim, told as such.
    for count in &mut found {
        let claimed = (count.words.start.saturating_sub(5)
            ..count.words.start.min(count.outcome_word))
            .chain(count.outcome_word.saturating_sub(4)..count.outcome_word)
            .any(|j| matches!(words.lower(j), "claimed" | "claiming" | "claims" | "claim"));
        if claimed && count.kind == CountKind::Killed {
            count.victims = format!("{CLAIMED}{}", count.victims);
            count.total = false;
        }
    }
    // "Officials later raised the toll to 18, but the ministry gave a final figure of 16": a
    // sentence telling a toll's revisions ends on the one that stands.
    if let Some(last) = found
        .iter()
        .rposition(|c| c.total && c.kind == CountKind::Killed)
    {
        let mut k = 0;
        found.retain(|c| {
            k += 1;
            // Other dead told beside a toll ("after two bodies were counted twice", "after
            // two of the wounded died") are within it.
            c.kind != CountKind::Killed || k - 1 == last
        });
    }
    found
}

/// "… and her two children", "… and a child" right after victims counted by the outcome
/// word before them: how many more, and the word index after them.
fn coordinated_victims(words: &Words<'_>, end: usize) -> Option<(u32, usize)> {
    if words.lower(end) != "and" {
        return None;
    }
    let mut m = end + 1;
    if matches!(words.lower(m), "her" | "his" | "their" | "its") {
        m += 1;
    }
    let (value, used) =
        number_at(words, m).or_else(|| matches!(words.lower(m), "a" | "an").then_some((1, 1)))?;
    // Up to three qualifying words may come between: "two young children", "a 12-year-old
    // boy", "one SDF fighter".
    let noun = (m + used..m + used + 4)
        .take_while(|&k| words.segment(k) == words.segment(end) && words.lower(k) != "and")
        .find(|&k| VICTIM_NOUNS.contains(&words.lower(k)))?;
    Some((value, noun + 1))
}

/// Whether the sentence tells a figure since replaced: "Police had earlier put the toll at
/// five dead", "an initial toll of five".
fn superseded(words: &Words<'_>) -> bool {
    (0..words.len()).any(|i| {
        let word = words.lower(i);
        let after = |w: &[&str]| (i + 1..i + 4).any(|k| w.contains(&words.lower(k)));
        match word {
            "earlier" | "initially" | "previously" => {
                (i > 0 && words.lower(i - 1) == "had")
                    || after(&["put", "toll", "figure", "reported", "gave"])
            }
            "initial" | "previous" => after(&["toll", "figure", "count"]),
            _ => false,
        }
    })
}

/// "shot dead the head of the civil council", "killing the mayor of the town": one holder of
/// an office, a civilian official unless the body named is an armed one.
fn office_holder(words: &Words<'_>, i: usize) -> Option<CountMention> {
    const OFFICES: &[&str] = &[
        "head", "mayor", "director", "chief", "governor", "mukhtar", "chairman", "deputy",
    ];
    const ARMED: &[&str] = &[
        "military",
        "police",
        "army",
        "brigade",
        "regiment",
        "battalion",
        "faction",
        "forces",
        "security",
        "intelligence",
        "operations",
    ];
    let kind = outcome(words.lower(i.checked_sub(1)?))?;
    if words.lower(i) != "the"
        || !OFFICES.contains(&words.lower(i + 1))
        || words.lower(i + 2) != "of"
    {
        return None;
    }
    let armed = (i + 3..i + 7).any(|k| ARMED.contains(&words.lower(k)));
    Some(CountMention {
        words: i - 1..i + 2,
        outcome_word: i - 1,
        kind,
        value: 1,
        victims: if armed { "commander" } else { "official" }.to_owned(),
        total: false,
    })
}

/// "a guard was shot dead", "killing a child": one victim, when an outcome word is right
/// before or a singular victim noun follows.
fn one_victim(words: &Words<'_>, i: usize) -> Option<(u32, usize)> {
    if !matches!(words.lower(i), "a" | "an") {
        return None;
    }
    let after_outcome = i > 0 && outcome(words.lower(i - 1)).is_some();
    let singular_victim = (i + 1..i + 4)
        .take_while(|&k| words.segment(k) == words.segment(i))
        .any(|k| VICTIM_NOUNS.contains(&words.lower(k)) && !words.lower(k).ends_with('s'));
    (after_outcome || singular_victim).then_some((1, 1))
}

/// "opened fire on a fighter …, killing him", "fired on a car carrying two soldiers, killing
/// both": the victims just named, told by a pronoun right after the outcome word.
fn pronoun_victims(words: &Words<'_>, i: usize) -> Option<(u32, usize)> {
    let after_outcome =
        i > 0 && words.segment(i - 1) == words.segment(i) && outcome(words.lower(i - 1)).is_some();
    if !after_outcome {
        return None;
    }
    match words.lower(i) {
        "him" | "her" => Some((1, 1)),
        "both" if !matches!(words.lower(i + 1), "of" | "sides") => Some((2, 1)),
        _ => None,
    }
}

/// "17 SDF fighters have been killed", "89 recaptured", "11 dead".
fn count_after_number(
    words: &Words<'_>,
    actors: &[ActorMention],
    number: usize,
    after: usize,
    value: u32,
) -> Option<CountMention> {
    // "Rescuers pulled two of the dead from the rubble": some of the dead already counted,
    // not a figure of their own.
    if words.lower(after) == "of"
        && words.lower(after + 1) == "the"
        && outcome(words.lower(after + 2)).is_some()
    {
        return None;
    }
    let mut segment = words.segment(number);
    let mut victims = String::new();
    let mut value = value;
    let mut j = after;
    let mut limit = after + 10;
    // "Two fighters of the Syrian Democratic Forces were killed": an actor's name is long.
    while j < words.len() && j < limit {
        if words.segment(j) != segment {
            // "16 people, including civilians, were killed": an aside on who they were.
            let aside = words.segment(j) == segment.saturating_add(1)
                && matches!(
                    words.lower(j),
                    "including" | "among" | "mostly" | "most" | "many" | "all"
                );
            let resume = words.segment_range(j).end;
            if !aside || resume >= words.len() {
                break;
            }
            limit += resume - j;
            j = resume;
            segment = words.segment(j);
            continue;
        }
        // "Two members of the Internal Security Forces (Asayish) were killed": a bracketed
        // name is an aside on who they were.
        let gap = |k: usize| {
            let (Some(a), Some(b)) = (words.words.get(k.wrapping_sub(1)), words.words.get(k))
            else {
                return "";
            };
            words.text.get(a.end..b.start).unwrap_or("")
        };
        if j > after
            && gap(j).contains('(')
            && !gap(j).contains(')')
            && let Some(close) = (j + 1..(j + 6).min(words.len())).find(|&k| gap(k).contains(')'))
        {
            j = close;
            continue;
        }
        let word = words.lower(j);
        if let Some(kind) = outcome(word) {
            // "Two gunmen on a motorbike shot dead the head of the council": an active verb
            // with its object after it; the figure counts those who did it.
            let passive = (after..j).any(|k| matches!(words.lower(k), "were" | "was" | "been"));
            let object_follows = words.segment(j + 1) == segment
                && (matches!(
                    words.lower(j + 1),
                    "the" | "a" | "an" | "his" | "her" | "their"
                ) || number_at(words, j + 1).is_some());
            if !passive
                && object_follows
                && matches!(word, "dead" | "killed" | "wounded" | "injured")
            {
                return None;
            }
            return Some(CountMention {
                words: number..j + 1,
                outcome_word: j,
                kind,
                value,
                victims,
                total: false,
            });
        }
        // "a man was found stabbed to death"
        if matches!(word, "stabbed" | "beaten" | "burned" | "shot" | "hacked")
            && words.lower(j + 1) == "to"
            && words.lower(j + 2) == "death"
        {
            return Some(CountMention {
                words: number..j + 3,
                outcome_word: j,
                kind: CountKind::Killed,
                value,
                victims,
                total: false,
            });
        }
        // "Eight militants and three soldiers were killed": one outcome for both figures.
        if word == "and"
            && let Some((more, used)) = number_at(words, j + 1)
        {
            value = value.saturating_add(more);
            j += 1 + used;
            continue;
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
        } else if victims.is_empty()
            && j + 1 < words.len()
            && words.segment(j + 1) == segment
            && VICTIM_NOUNS.contains(&words.lower(j + 1))
            && outcome(word).is_none()
            && !words.words[j].capitalised
        {
            // "Two young men", "nine rebel fighters": a word that qualifies who.
        } else if word == "among" && words.lower(j + 1) == "the" {
            // "An officer and two soldiers were among the dead": part of a toll, which
            // [`AMONG`] marks.
            if !victims.starts_with(AMONG) {
                victims = format!("{AMONG}{victims}");
            }
            j += 2;
            continue;
        } else if !victims.is_empty()
            && matches!(word, "in" | "inside" | "aboard" | "on")
            && matches!(words.lower(j + 1), "the" | "a" | "their" | "his" | "her")
            && !words.words.get(j + 2).is_some_and(|w| w.capitalised)
            && outcome(words.lower(j + 2)).is_none()
        {
            // "Three people in the car were killed": where they were, not who.
            j += 3;
            continue;
        } else if !victims.is_empty() && words.words[j].capitalised {
            // "Two members of the Internal Security Forces were killed": the name of the
            // body they belong to, whether or not it is a known actor.
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
                | "his"
                | "their"
                | "its"
                | "found"
                | "shot"
                | "stabbed"
                // "four members of one family"
                | "one"
                | "a"
                | "same"
                | "family"
                | "household"
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
            // "killing three of them": those just named.
            let of_them = words.lower(after) == "of"
                && matches!(words.lower(after + 1), "them" | "whom" | "those");
            let victim = actors
                .iter()
                .find(|a| a.words.start >= after && a.words.start <= after + 2)
                .and_then(|a| a.actor.name(None).map(str::to_owned))
                .or_else(|| {
                    (after..after + 4)
                        .find(|&k| VICTIM_NOUNS.contains(&words.lower(k)))
                        .map(|k| {
                            // "a local council member": an elected civilian.
                            let word = words.lower(k);
                            // "a former opposition commander": a demobilised fighter is a
                            // civilian (ACLED).
                            let former = (after..k)
                                .any(|m| matches!(words.lower(m), "former" | "retired" | "ex"));
                            if former {
                                "civilians".to_owned()
                            } else if word.starts_with("member") && words.lower(k - 1) == "council"
                            {
                                "council member".to_owned()
                            } else {
                                word.to_owned()
                            }
                        })
                })
                .or_else(|| of_them.then(String::new))
                // "killing six more": more of those already counted.
                .or_else(|| {
                    (words.lower(after) == "more"
                        && !matches!(words.lower(after + 1), "than" | "of"))
                    .then(String::new)
                })?;
            // The count runs to its victim noun when one follows ("killed three government
            // soldiers"), so that victims coordinated after it are found ("… and one SDF
            // fighter").
            let noun_end = (after..after + 4)
                .take_while(|&k| words.segment(k) == segment && words.lower(k) != "and")
                .find(|&k| VICTIM_NOUNS.contains(&words.lower(k)))
                .map_or(after + 1, |k| k + 1);
            return Some(CountMention {
                words: j..noun_end.max(after + 1),
                outcome_word: j,
                kind,
                value,
                victims: victim,
                total: false,
            });
        }
        // "the death toll rose to 20"; "the toll from the bombing climbed to nine".
        // "The death toll from a suicide bombing at a market in Khalis, north of Baqubah,
        // rose to 27": the toll's subject may run over several segments, with no other
        // figure or outcome between.
        let toll_verb = matches!(word, "rose" | "climbed" | "reached" | "risen" | "increased")
            && (0..j)
                .rev()
                .take(30)
                .find(|&k| {
                    let w = words.lower(k);
                    w == "toll" || w == "number" || outcome(w).is_some() || w.ends_with('.')
                })
                .is_some_and(|k| words.lower(k) == "toll");
        // "gave a final figure of 16", "a revised figure of nine": a figure named as the
        // latest is a toll.
        let revised_figure = word == "figure"
            && j > 0
            && matches!(
                words.lower(j - 1),
                "final" | "revised" | "new" | "updated" | "latest" | "official"
            );
        if word == "toll" || toll_verb || revised_figure {
            return Some(CountMention {
                words: j..after,
                outcome_word: j,
                kind: CountKind::Killed,
                value,
                victims: String::new(),
                total: true,
            });
        }
        // "killing the two men inside"
        let article = word == "the" && j + 1 == number;
        if !article
            && !matches!(
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
            )
        {
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
    fn victims_told_by_pronouns_qualifiers_and_lists() {
        assert_eq!(
            counts("gunmen opened fire on a fighter outside his house, killing him on the spot"),
            [(CountKind::Killed, 1, String::new())]
        );
        assert_eq!(
            counts("attackers fired on a car carrying two soldiers, killing both"),
            [(CountKind::Killed, 2, String::new())]
        );
        assert_eq!(
            counts("Two young men were killed when a bomb went off"),
            [(CountKind::Killed, 2, "men".to_owned())]
        );
        assert_eq!(
            counts("An army officer and two soldiers were among the dead, the military said"),
            [(CountKind::Killed, 3, format!("{AMONG}officer"))]
        );
        assert_eq!(
            counts("16 people, including civilians, were killed in the strikes"),
            [(CountKind::Killed, 16, "people".to_owned())]
        );
        assert_eq!(
            counts("the drone struck the car, killing the two men inside"),
            [(CountKind::Killed, 2, "men".to_owned())]
        );
        assert_eq!(
            counts("Police had earlier put the toll at five dead"),
            Vec::<(CountKind, u32, String)>::new()
        );
        assert_eq!(
            counts("jets later struck the hideouts, killing six more"),
            [(CountKind::Killed, 6, String::new())]
        );
        assert_eq!(
            counts(
                "The death toll from a bombing at a market in Khalis, north of Baqubah, rose to 27 on Tuesday"
            ),
            [(CountKind::Killed, 27, String::new())]
        );
        // Not a toll: the number of wounded rose.
        assert!(
            counts("The toll was not known, and the number of wounded rose to 40")
                .iter()
                .all(|(kind, _, _)| *kind != CountKind::Killed)
        );
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
    fn single_victims_coordinated_figures_and_bodies_are_counted() {
        let killed = |text: &str| -> Vec<(u32, bool)> {
            let lower = text.to_ascii_lowercase();
            let words = Words::new(text, &lower, 0..text.len());
            let actors = actors::find(&words, &mut ActorContext::default());
            find(&words, &actors, &[])
                .into_iter()
                .filter(|c| c.kind == CountKind::Killed)
                .map(|c| (c.value, c.total))
                .collect()
        };
        assert_eq!(killed("A guard was shot dead in the camp"), [(1, false)]);
        assert_eq!(killed("a man was found stabbed to death"), [(1, false)]);
        assert_eq!(
            killed("mortar shells hit the village, killing a child"),
            [(1, false)]
        );
        assert_eq!(
            killed("Eight militants and three soldiers were killed in the fighting"),
            [(11, false)]
        );
        assert_eq!(
            killed("Two fighters of the Syrian Democratic Forces were killed"),
            [(2, false)]
        );
        assert_eq!(
            killed("The bodies of four shepherds were recovered"),
            [(4, false)]
        );
        assert_eq!(
            killed("exploded under them, killing three of them"),
            [(3, false)]
        );
        assert_eq!(killed("leaving eight passengers dead"), [(8, false)]);
        assert_eq!(
            killed("a mortar round hit a checkpoint, killing a policeman and a 12-year-old boy"),
            [(2, false)]
        );
        assert_eq!(
            killed(
                "The death toll from a car bomb in the town's main market rose to nine on Tuesday"
            ),
            [(9, true)]
        );
        assert_eq!(killed("The toll climbed to 14 on Saturday"), [(14, true)]);
        assert_eq!(
            killed("in clashes that killed three government soldiers and one SDF fighter"),
            [(4, false)]
        );
        assert!(killed("five men were sentenced to death").is_empty());
        assert!(killed("a soldier was wounded").is_empty());
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
