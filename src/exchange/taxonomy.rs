//! Event types as other datasets and older ACLED releases wrote them, mapped onto today's ACLED
//! taxonomy (6 event types, 25 sub-event types). Where the source gives no sub-event type, one
//! is inferred from key words of the row's own text, or the type's default, and the incident
//! says so (`coded.inferred`). The tables are documented in `docs/mappings.md`.

use crate::store::{EventType, SubEventType};

/// A type and sub-event type read from a row, with what was inferred (for `coded.inferred`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Typed {
    pub event_type: EventType,
    pub sub_event_type: SubEventType,
    pub inferred: Option<String>,
}

/// The sub-event type a type falls back on when nothing in the text points elsewhere.
pub fn default_sub_event_type(event_type: EventType) -> SubEventType {
    use SubEventType::*;
    match event_type {
        EventType::Battles => ArmedClash,
        EventType::ExplosionsRemoteViolence => RemoteExplosiveLandmineIed,
        EventType::ViolenceAgainstCivilians => Attack,
        EventType::Protests => PeacefulProtest,
        EventType::Riots => ViolentDemonstration,
        EventType::StrategicDevelopments => Other,
    }
}

/// Key words in a row's text (notes, a description) and the sub-event type they point to;
/// the first that occurs at the start of a word wins, and only sub-event types of the row's
/// event type count.
const TEXT_KEYS: &[(&str, SubEventType)] = {
    use SubEventType::*;
    &[
        ("chemical", ChemicalWeapon),
        ("suicide", SuicideBomb),
        ("air strike", AirDroneStrike),
        ("airstrike", AirDroneStrike),
        ("air raid", AirDroneStrike),
        ("aircraft", AirDroneStrike),
        ("warplane", AirDroneStrike),
        ("drone", AirDroneStrike),
        ("shell", ShellingArtilleryMissileAttack),
        ("artillery", ShellingArtilleryMissileAttack),
        ("missile", ShellingArtilleryMissileAttack),
        ("rocket", ShellingArtilleryMissileAttack),
        ("mortar", ShellingArtilleryMissileAttack),
        ("grenade", Grenade),
        ("ied", RemoteExplosiveLandmineIed),
        ("landmine", RemoteExplosiveLandmineIed),
        ("explosive", RemoteExplosiveLandmineIed),
        ("bomb", RemoteExplosiveLandmineIed),
        ("rape", SexualViolence),
        ("sexual", SexualViolence),
        ("abduct", AbductionForcedDisappearance),
        ("kidnap", AbductionForcedDisappearance),
        ("disappear", AbductionForcedDisappearance),
        ("recaptur", GovernmentRegainsTerritory),
        ("regain", GovernmentRegainsTerritory),
        ("took control", NonStateActorOvertakesTerritory),
        ("seized control", NonStateActorOvertakesTerritory),
        ("overran", NonStateActorOvertakesTerritory),
        ("excessive force", ExcessiveForceAgainstProtesters),
        ("live fire", ExcessiveForceAgainstProtesters),
        ("dispersed", ProtestWithIntervention),
        ("tear gas", ProtestWithIntervention),
        ("mob", MobViolence),
        ("lynch", MobViolence),
        ("agreement", Agreement),
        ("ceasefire", Agreement),
        ("arrest", Arrests),
        ("detain", Arrests),
        ("headquarters", HeadquartersOrBaseEstablished),
        ("loot", LootingPropertyDestruction),
        ("burned", LootingPropertyDestruction),
        ("defus", DisruptedWeaponsUse),
        ("weapons cache", DisruptedWeaponsUse),
    ]
};

/// Whether `key` occurs in `lower` at the start of a word.
fn at_word_start(lower: &str, key: &str) -> bool {
    lower.match_indices(key).any(|(i, _)| {
        lower[..i]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric())
    })
}

/// The sub-event type of `event_type` that key words of `text` point to, if any.
pub fn sub_event_type_from_text(event_type: EventType, text: &str) -> Option<SubEventType> {
    let lower = text.to_lowercase();
    TEXT_KEYS
        .iter()
        .find(|(key, sub)| sub.event_type() == event_type && at_word_start(&lower, key))
        .map(|&(_, sub)| sub)
}

/// Whether a text tells of a riot rather than a protest (for ACLED's old `Riots/Protests`).
fn tells_of_riot(text: &str) -> bool {
    let lower = text.to_lowercase();
    [
        "riot", "mob", "violent", "loot", "vandal", "stone", "threw", "torched",
    ]
    .iter()
    .any(|key| at_word_start(&lower, key))
}

/// An ACLED row's type and sub-event type, from any release: today's names, the old
/// combined and battle types, and a missing sub-event type inferred from the notes.
pub fn acled_types(type_text: &str, sub_text: &str, notes: &str) -> Result<Typed, String> {
    let type_text = type_text.trim();
    let sub_text = sub_text.trim();
    if type_text.is_empty() {
        return Err("no event_type".to_owned());
    }
    let (mut event_type, implied) = super::parse_event_type(type_text)
        .ok_or_else(|| format!("unknown event_type {type_text:?}"))?;
    let combined = type_text.eq_ignore_ascii_case("riots/protests");
    if !sub_text.is_empty() {
        // The old combined type takes either half's sub-event types.
        if combined
            && let Some(sub) = SubEventType::parse(sub_text)
            && matches!(sub.event_type(), EventType::Riots | EventType::Protests)
        {
            return Ok(Typed {
                event_type: sub.event_type(),
                sub_event_type: sub,
                inferred: None,
            });
        }
        return Ok(Typed {
            event_type,
            sub_event_type: super::closest_sub_event_type(event_type, sub_text)?,
            inferred: None,
        });
    }
    if let Some(sub) = implied {
        return Ok(Typed {
            event_type,
            sub_event_type: sub,
            inferred: None,
        });
    }
    if combined && tells_of_riot(notes) {
        event_type = EventType::Riots;
    }
    Ok(infer_sub_event_type(event_type, notes, type_text))
}

/// `event_type` with a sub-event type inferred from `text` (or the type's default), saying
/// so: the source named the type `given` and no sub-event type.
pub fn infer_sub_event_type(event_type: EventType, text: &str, given: &str) -> Typed {
    let (sub, how) = match sub_event_type_from_text(event_type, text) {
        Some(sub) => (sub, "from the notes' key words"),
        None => (default_sub_event_type(event_type), "as the type's default"),
    };
    Typed {
        event_type,
        sub_event_type: sub,
        inferred: Some(format!(
            "{} / {} inferred {how}: the source gives {given:?} and no sub-event type",
            event_type.as_str(),
            sub.as_str()
        )),
    }
}

/// A free-text category (a conflict tracker's `category`, `type`) as an ACLED type: an
/// ACLED name is taken as it is; otherwise key words decide, and the sub-event type comes
/// from the category and the description. `None` when nothing fits.
pub fn category_types(category: &str, sub_text: &str, description: &str) -> Option<Typed> {
    if super::parse_event_type(category).is_some() {
        return acled_types(category, sub_text, description).ok();
    }
    let lower = category.to_lowercase();
    use EventType::*;
    const KEYS: &[(&str, EventType)] = &[
        ("suicide", ExplosionsRemoteViolence),
        ("airstrike", ExplosionsRemoteViolence),
        ("air strike", ExplosionsRemoteViolence),
        ("drone", ExplosionsRemoteViolence),
        ("shelling", ExplosionsRemoteViolence),
        ("artillery", ExplosionsRemoteViolence),
        ("missile", ExplosionsRemoteViolence),
        ("rocket", ExplosionsRemoteViolence),
        ("mortar", ExplosionsRemoteViolence),
        ("explosion", ExplosionsRemoteViolence),
        ("ied", ExplosionsRemoteViolence),
        ("bomb", ExplosionsRemoteViolence),
        ("blast", ExplosionsRemoteViolence),
        ("landmine", ExplosionsRemoteViolence),
        ("battle", Battles),
        ("clash", Battles),
        ("fighting", Battles),
        ("firefight", Battles),
        ("ambush", Battles),
        ("riot", Riots),
        ("protest", Protests),
        ("demonstration", Protests),
        ("rally", Protests),
        ("march", Protests),
        ("kidnap", ViolenceAgainstCivilians),
        ("abduct", ViolenceAgainstCivilians),
        ("execution", ViolenceAgainstCivilians),
        ("massacre", ViolenceAgainstCivilians),
        ("shooting", ViolenceAgainstCivilians),
        ("killing", ViolenceAgainstCivilians),
        ("murder", ViolenceAgainstCivilians),
        ("assassination", ViolenceAgainstCivilians),
        ("attack", ViolenceAgainstCivilians),
        ("arrest", StrategicDevelopments),
        ("raid", StrategicDevelopments),
        ("agreement", StrategicDevelopments),
        ("ceasefire", StrategicDevelopments),
        ("troop", StrategicDevelopments),
        ("military movement", StrategicDevelopments),
    ];
    let event_type = KEYS
        .iter()
        .find(|(key, _)| at_word_start(&lower, key))
        .map(|&(_, t)| t)?;
    let sub = if sub_text.trim().is_empty() {
        None
    } else {
        super::closest_sub_event_type(event_type, sub_text).ok()
    };
    let sub = sub
        .or_else(|| sub_event_type_from_text(event_type, category))
        .or_else(|| sub_event_type_from_text(event_type, description))
        .unwrap_or_else(|| default_sub_event_type(event_type));
    Some(Typed {
        event_type,
        sub_event_type: sub,
        inferred: Some(format!(
            "{} / {} inferred from the category {:?}",
            event_type.as_str(),
            sub.as_str(),
            category.trim()
        )),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use EventType::*;
    use SubEventType::*;

    #[test]
    fn old_acled_types_map_onto_todays() {
        let t = acled_types("Riots/Protests", "", "Teachers marched peacefully.").unwrap();
        assert_eq!(
            (t.event_type, t.sub_event_type),
            (Protests, PeacefulProtest)
        );
        assert!(t.inferred.unwrap().contains("Riots/Protests"));
        let t = acled_types("RIOTS/PROTESTS", "", "Rioters torched a police post.").unwrap();
        assert_eq!(
            (t.event_type, t.sub_event_type),
            (Riots, ViolentDemonstration)
        );
        let t = acled_types("Riots/Protests", "Mob violence", "").unwrap();
        assert_eq!(
            (t.event_type, t.sub_event_type, t.inferred),
            (Riots, MobViolence, None)
        );
        let t = acled_types("Battle-Non-state actors overtake territory", "", "").unwrap();
        assert_eq!(
            (t.event_type, t.sub_event_type, t.inferred),
            (Battles, NonStateActorOvertakesTerritory, None)
        );
        let t = acled_types("Remote violence", "", "A roadside IED struck a convoy.").unwrap();
        assert_eq!(t.sub_event_type, RemoteExplosiveLandmineIed);
        let t = acled_types("Remote violence", "", "Warplanes hit the market.").unwrap();
        assert_eq!(t.sub_event_type, AirDroneStrike);
        // "air" inside another word is no air strike.
        let t = acled_types(
            "Remote violence",
            "",
            "Shells hit near the airport repair yard.",
        )
        .unwrap();
        assert_eq!(t.sub_event_type, ShellingArtilleryMissileAttack);
        let t = acled_types(
            "Violence against civilians",
            "",
            "Gunmen kidnapped two men.",
        )
        .unwrap();
        assert_eq!(t.sub_event_type, AbductionForcedDisappearance);
        let t = acled_types("Strategic development", "", "Nothing of note.").unwrap();
        assert_eq!(
            (t.event_type, t.sub_event_type),
            (StrategicDevelopments, Other)
        );
        assert!(acled_types("Picnic", "", "").is_err());
        assert_eq!(acled_types("", "", "").unwrap_err(), "no event_type");
    }

    #[test]
    fn free_categories_map_by_key_words() {
        let t = category_types("Airstrike", "", "").unwrap();
        assert_eq!(
            (t.event_type, t.sub_event_type),
            (ExplosionsRemoteViolence, AirDroneStrike)
        );
        let t = category_types("Kidnapping", "", "").unwrap();
        assert_eq!(
            (t.event_type, t.sub_event_type),
            (ViolenceAgainstCivilians, AbductionForcedDisappearance)
        );
        let t = category_types("Protests", "", "").unwrap();
        assert_eq!((t.event_type, t.inferred.is_some()), (Protests, true));
        assert_eq!(category_types("Weather", "", ""), None);
    }
}
