//! Event words: what happened, typed with ACLED's taxonomy.
//!
//! A lexicon of trigger phrases ("attacked", "air strikes", "regained control", "deployed")
//! finds candidate events in a sentence. Each candidate is then read in its context:
//! - *modality*: "to kill", "could launch attacks", "prevent infiltration", "not" — talk
//!   about what might happen is not an incident, and is dropped here;
//! - *aggregates*: "more than 400 attacks", "a wave of attacks", "regularly stage bombings",
//!   "renewed clashes" describe many events or a trend, and are marked so that they never
//!   become one incident on one day;
//! - *definiteness*: "the attack", "the visit" usually refer back to an event already told;
//! - the object, for words whose type depends on it: an attack on a prison, on soldiers, on
//!   civilians; "captured" a town or captured people.
//!
//! Speech has no trigger of its own: what a statement reports (a withdrawal, an order to
//! fortify the border) is the incident. Only when an official says something about a place
//! and reports no event there is the statement itself an incident; [`speech`] finds the
//! speech verb and the speaker for that.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

use super::actors::{ActorKind, ActorMention, ActorRef};
use super::words::{Words, number_at};

/// The kind of event a trigger names, finer than ACLED's sub-event types where the rules
/// need it (an attack on a prison and an attack on an army post are both armed clashes, but
/// two reports of them are not the same incident).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EventKind {
    Clash,
    AttackOnForces,
    PrisonAttack,
    /// "killed": an armed clash, or an attack when the victims are civilians.
    Killing,
    CivilianAttack,
    AirStrike,
    Shelling,
    Explosive,
    SuicideBombing,
    Grenade,
    /// A toxic agent used as a weapon: chlorine, sarin, "poison gas".
    ChemicalWeapon,
    Abduction,
    /// Rape and sexual assault.
    SexualViolence,
    Arrest,
    TerritoryGained,
    TerritoryLost,
    Withdrawal,
    Handover,
    Deployment,
    Fortification,
    BaseEstablished,
    Visit,
    /// An official statement about a place that reports no event of its own.
    Statement,
    Agreement,
    Protest,
    Riot,
    /// A drone or missile brought down before it struck.
    ShotDown,
    /// Weapons kept from use: a cache found, a bomb defused.
    WeaponsSeized,
    /// Crops, homes or property set on fire or destroyed, nobody hurt.
    Destruction,
    /// A mass grave found: the discovery is the incident.
    MassGrave,
    /// Police or troops opening fire on, or attacking, protesters.
    ForceOnProtest,
    /// A protest dispersed with tear gas, water cannon or arrests.
    ProtestDispersed,
}

/// Families of events that can be told about one another ("the attack" after an assault).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Domain {
    Violence,
    Territory,
    Posture,
    Visit,
    Arrest,
    Agreement,
    Protest,
}

impl EventKind {
    pub fn domain(self) -> Domain {
        use EventKind::*;
        match self {
            Clash | AttackOnForces | PrisonAttack | Killing | CivilianAttack | AirStrike
            | Shelling | Explosive | SuicideBombing | Grenade | ChemicalWeapon | Abduction
            | SexualViolence => Domain::Violence,
            TerritoryGained | TerritoryLost | Withdrawal | Handover => Domain::Territory,
            Deployment | Fortification | BaseEstablished => Domain::Posture,
            Arrest => Domain::Arrest,
            // Both are officials acting politically at or about a place: "the visit" may
            // be told with what was said there.
            Visit | Statement => Domain::Visit,
            Agreement => Domain::Agreement,
            Protest | Riot | ProtestDispersed => Domain::Protest,
            ShotDown | Destruction | ForceOnProtest => Domain::Violence,
            MassGrave | WeaponsSeized => Domain::Posture,
        }
    }

    /// Ground fighting, to which reports of people killed belong.
    pub fn is_ground_fighting(self) -> bool {
        matches!(
            self,
            Self::Clash | Self::AttackOnForces | Self::PrisonAttack | Self::Killing
        )
    }

    /// Kinds that say little of their own and take the type of a more specific report.
    pub fn is_generic(self) -> bool {
        matches!(self, Self::Killing | Self::Clash)
    }

    /// Whether two triggers can describe the same incident.
    pub fn compatible(self, other: EventKind) -> bool {
        if self == other {
            return true;
        }
        let ground = |k: EventKind| k.is_ground_fighting();
        if (self.is_generic() && ground(other)) || (other.is_generic() && ground(self)) {
            return true;
        }
        matches!(
            (self, other),
            (Self::Deployment, Self::Fortification)
                | (Self::Fortification, Self::Deployment)
                // "A suicide bomber blew himself up … The bombing was claimed by …"
                | (Self::SuicideBombing, Self::Explosive)
                | (Self::Explosive, Self::SuicideBombing)
                // "dropped barrels filled with chlorine … the helicopters dropped two barrels"
                | (Self::ChemicalWeapon, Self::AirStrike | Self::Shelling | Self::Explosive)
                | (Self::AirStrike | Self::Shelling | Self::Explosive, Self::ChemicalWeapon)
                | (Self::Visit, Self::Statement)
                | (Self::Statement, Self::Visit)
                // "Police fired on protesters … The demonstrators were unarmed"
                | (Self::ProtestDispersed, Self::Protest)
                | (Self::Protest, Self::ProtestDispersed)
                | (Self::ForceOnProtest, Self::Protest)
                | (Self::Protest, Self::ForceOnProtest)
                | (Self::ForceOnProtest, Self::Killing)
                | (Self::Killing, Self::ForceOnProtest)
        )
    }
}

/// One event word in a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trigger {
    pub kind: EventKind,
    /// Word indices.
    pub words: Range<usize>,
    /// A noun ("attack", "air strikes") rather than a verb ("attacked").
    pub noun: bool,
    pub plural: bool,
    /// "the attack": refers back to an event already told.
    pub definite: bool,
    /// "was attacked", "fell to": the place named before it is where it happened.
    pub passive: bool,
    /// Many events or a trend, not one incident.
    pub aggregate: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    Noun,
    Plural,
    Verb,
}

/// What the words after a trigger must contain for it to count, or decide its kind.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Object {
    Any,
    /// Typed by what is attacked: a prison, civilians, forces.
    Target,
    /// Must name one of these within a few words.
    Needs(&'static [&'static str]),
    /// A place ("captured the town") or people ("captured five militants").
    PlaceOrPeople,
    /// Typed by what struck: drones and aircraft, or rockets and artillery.
    Striker,
    /// A crowd's gathering, an event only when its purpose follows ("gathered outside the
    /// governorate building to demand …").
    Purpose,
}

struct Entry {
    phrase: &'static str,
    kind: EventKind,
    form: Form,
    object: Object,
}

/// Who is at a protest: an attack on them is force against protesters.
const PROTEST_WORDS: &[&str] = &[
    "protesters",
    "protestors",
    "demonstrators",
    "protest",
    "demonstration",
    "marchers",
    "sit",
];

const PRISON_WORDS: &[&str] = &[
    "prison",
    "prisons",
    "prisoners",
    "detainees",
    "inmates",
    "jail",
    "jails",
    "detention",
    "facility",
];
const FORCE_WORDS: &[&str] = &[
    "army",
    "forces",
    "soldiers",
    "troops",
    "barracks",
    "base",
    "bases",
    "checkpoint",
    "checkpoints",
    "post",
    "posts",
    "convoy",
    "patrol",
    "military",
    "police",
    "position",
    "positions",
    "outpost",
    "headquarters",
    "fighters",
    "personnel",
    "guards",
    "peshmerga",
    "militia",
    "militias",
];
const CIVILIAN_WORDS: &[&str] = &[
    // People by their trade: "shot a pharmacist", "wounded a lawyer".
    "lawyer",
    "teacher",
    "doctor",
    "nurse",
    "pharmacist",
    "engineer",
    "journalist",
    "shopkeeper",
    "merchant",
    "trader",
    "judge",
    "activist",
    "imam",
    "cleric",
    "pickers",
    "hunters",
    "passengers",
    "bus",
    "students",
    "pilgrims",
    "civilians",
    "civilian",
    "villagers",
    "village",
    "shepherds",
    "farmers",
    "residents",
    "worshippers",
    "market",
    "mosque",
    "church",
    "school",
    "hospital",
    "wedding",
    "funeral",
    "people",
    "family",
    "families",
    "children",
    "women",
];
/// People named by sex, age or work rather than by a side.
const PERSON_WORDS: &[&str] = &[
    "man",
    "men",
    "woman",
    "boy",
    "girl",
    "child",
    "worker",
    "workers",
    "employee",
    "employees",
];
const ARMED_WORDS: &[&str] = &[
    "groups",
    "group",
    "militants",
    "fighters",
    "gunmen",
    "attack",
    "attacks",
    "assault",
    "insurgents",
    "terrorists",
];
const SENT_WORDS: &[&str] = &[
    "troops",
    "forces",
    "reinforcements",
    "support",
    "units",
    "soldiers",
    "battalion",
    "battalions",
    "brigade",
    "brigades",
    "tanks",
];
const BASE_WORDS: &[&str] = &[
    "base",
    "bases",
    "headquarters",
    "hideout",
    "hideouts",
    "camp",
    "camps",
    "outposts",
    "outpost",
    "post",
    "observation",
];
/// Who is taken when armed men "seize" people: not suspects, whom forces arrest.
const CAPTIVE_NOUNS: &[&str] = &[
    "employees",
    "employee",
    "workers",
    "worker",
    "civilians",
    "villagers",
    "shepherds",
    "farmers",
    "traders",
    "trader",
    "merchant",
    "journalist",
    "journalists",
    "engineers",
    "engineer",
    "doctor",
    "teacher",
    "women",
    "children",
    "hostages",
];
/// What is dismantled when a weapon is kept from use.
const BOMB_WORDS: &[&str] = &[
    "bomb",
    "bombs",
    "device",
    "devices",
    "explosives",
    "ied",
    "ieds",
    "mine",
    "mines",
];
const DEFENCE_WORDS: &[&str] = &[
    "border", "borders", "defenses", "defences", "security", "frontier",
];
/// What forces "entered" when they took it: a settlement, not a building or a camp searched.
const SETTLEMENT_NOUNS: &[&str] = &["town", "city", "village", "villages", "neighbourhood"];

const PLACE_NOUNS: &[&str] = &[
    "town",
    "city",
    "village",
    "villages",
    "area",
    "areas",
    "district",
    "neighbourhood",
    "neighborhood",
    "prison",
    "camp",
    "base",
    "bases",
    "airport",
    "dam",
    "crossing",
    "road",
    "highway",
    "hill",
    "mountain",
    "territory",
    "control",
    "region",
    "province",
    "field",
    "oilfield",
    "bridge",
    "positions",
    "facility",
    "section",
];
const PEOPLE_NOUNS: &[&str] = &[
    "members",
    "militants",
    "fighters",
    "suspects",
    "leader",
    "leaders",
    "commander",
    "people",
    "men",
    "prisoners",
    "detainees",
    "terrorists",
    "individuals",
    "soldiers",
    "civilians",
    "operatives",
    "emir",
];
const DIRECTIONS: &[&str] = &["to", "toward", "towards", "into"];
const AIR_WEAPONS: &[&str] = &[
    "drone",
    "drones",
    "warplane",
    "warplanes",
    "jets",
    "jet",
    "aircraft",
    "helicopter",
    "helicopters",
    "airstrike",
    "airstrikes",
    "planes",
];
const ARTILLERY_WEAPONS: &[&str] = &[
    "rocket",
    "rockets",
    "mortar",
    "mortars",
    "shells",
    "artillery",
    "missile",
    "missiles",
    "katyusha",
];

macro_rules! entries {
    ($( $phrase:literal => $kind:ident, $form:ident $(, $object:expr)? ;)*) => {
        &[$( Entry {
            phrase: $phrase,
            kind: EventKind::$kind,
            form: Form::$form,
            object: entries!(@object $($object)?),
        }, )*]
    };
    (@object) => { Object::Any };
    (@object $object:expr) => { $object };
}

const TRIGGERS: &[Entry] = entries! {
    // Battles
    "clash" => Clash, Noun;
    "clashes" => Clash, Plural;
    "clashed" => Clash, Verb;
    "fighting" => Clash, Noun;
    "fought" => Clash, Verb;
    "firefight" => Clash, Noun;
    "firefights" => Clash, Plural;
    "gunfight" => Clash, Noun;
    "gun battle" => Clash, Noun;
    "gunbattle" => Clash, Noun;
    "gun battles" => Clash, Plural;
    "battle" => Clash, Noun;
    "battles" => Clash, Plural;
    "battled" => Clash, Verb;
    "skirmish" => Clash, Noun;
    "skirmishes" => Clash, Plural;
    "exchange of fire" => Clash, Noun;
    "exchanged fire" => Clash, Verb;
    "exchange of gunfire" => Clash, Noun;
    "exchanged gunfire" => Clash, Verb;
    "traded fire" => Clash, Verb;
    "traded gunfire" => Clash, Verb;
    "ambush" => AttackOnForces, Noun;
    "ambushes" => AttackOnForces, Plural;
    "ambushed" => AttackOnForces, Verb;
    "assault" => Clash, Noun, Object::Target;
    "assaults" => Clash, Plural, Object::Target;
    "assaulted" => Clash, Verb, Object::Target;
    "attack" => Clash, Noun, Object::Target;
    "attacks" => Clash, Plural, Object::Target;
    "attacked" => Clash, Verb, Object::Target;
    "attacking" => Clash, Verb, Object::Target;
    "under attack" => Clash, Noun, Object::Target;
    "raid" => Clash, Noun, Object::Target;
    "raids" => Clash, Plural, Object::Target;
    "raided" => Clash, Verb, Object::Target;
    "stormed" => Clash, Verb, Object::Target;
    "faced" => Clash, Verb, Object::Needs(ARMED_WORDS);
    "prisonbreak" => PrisonAttack, Noun;
    "prison break" => PrisonAttack, Noun;
    "prison breakout" => PrisonAttack, Noun;
    "jailbreak" => PrisonAttack, Noun;
    "jail break" => PrisonAttack, Noun;
    "attempted to free" => PrisonAttack, Verb, Object::Needs(PRISON_WORDS);
    "tried to free" => PrisonAttack, Verb, Object::Needs(PRISON_WORDS);
    "freed" => PrisonAttack, Verb, Object::Needs(PRISON_WORDS);
    "killed" => Killing, Verb;
    "killing" => Killing, Verb;
    "kills" => Killing, Verb;
    "kill" => Killing, Verb;
    "gunned down" => Killing, Verb;
    "shot dead" => Killing, Verb;
    "stabbed to death" => Killing, Verb;
    "stabbed" => Clash, Verb, Object::Target;
    "stabbing" => Clash, Noun, Object::Target;
    "stabbing attack" => Clash, Noun, Object::Target;
    "bodies of" => Killing, Noun;
    "body of" => Killing, Noun;
    "beaten to death" => Killing, Verb;
    "found dead" => Killing, Verb;
    "shot and killed" => Killing, Verb;
    "executed" => CivilianAttack, Verb;
    "beheaded" => CivilianAttack, Verb;
    "massacre" => CivilianAttack, Noun;
    "massacred" => CivilianAttack, Verb;
    // Explosions/Remote violence
    "air strike" => AirStrike, Noun;
    "air strikes" => AirStrike, Plural;
    "airstrike" => AirStrike, Noun;
    "airstrikes" => AirStrike, Plural;
    "air raid" => AirStrike, Noun;
    "air raids" => AirStrike, Plural;
    "air attack" => AirStrike, Noun;
    "drone strike" => AirStrike, Noun;
    "drone strikes" => AirStrike, Plural;
    "drone attack" => AirStrike, Noun;
    "drone attacks" => AirStrike, Plural;
    "warplanes" => AirStrike, Plural;
    "struck" => AirStrike, Verb, Object::Striker;
    "bombed" => AirStrike, Verb, Object::Striker;
    "pounded" => AirStrike, Verb, Object::Striker;
    "targeted" => AirStrike, Verb, Object::Striker;
    "hit" => AirStrike, Verb, Object::Striker;
    "shelling" => Shelling, Noun;
    "shelled" => Shelling, Verb;
    "artillery fire" => Shelling, Noun;
    "mortar" => Shelling, Noun;
    "mortars" => Shelling, Plural;
    "rocket attack" => Shelling, Noun;
    "rocket attacks" => Shelling, Plural;
    "rockets" => Shelling, Plural;
    // "fired missiles at the camps": launched from the ground, not dropped from the air.
    "fired" => Shelling, Verb, Object::Needs(ARTILLERY_WEAPONS);
    "missile strike" => Shelling, Noun;
    "missile attack" => Shelling, Noun;
    "roadside bomb" => Explosive, Noun;
    "roadside bombs" => Explosive, Plural;
    "ied" => Explosive, Noun;
    "ieds" => Explosive, Plural;
    "improvised explosive device" => Explosive, Noun;
    "improvised explosive devices" => Explosive, Plural;
    "explosive device" => Explosive, Noun;
    "landmine" => Explosive, Noun;
    "landmines" => Explosive, Plural;
    "land mine" => Explosive, Noun;
    "car bomb" => Explosive, Noun;
    "truck bomb" => Explosive, Noun;
    "truck bombs" => Explosive, Plural;
    "packed with explosives" => Explosive, Noun;
    "laden with explosives" => Explosive, Noun;
    "rigged with explosives" => Explosive, Noun;
    "booby trapped" => Explosive, Noun;
    "car bombs" => Explosive, Plural;
    "bomb" => Explosive, Noun;
    "bombs" => Explosive, Plural;
    "bombing" => Explosive, Noun;
    "bombings" => Explosive, Plural;
    "exploded" => Explosive, Verb;
    "blew up" => Explosive, Verb;
    "went off" => Explosive, Verb;
    "detonated" => Explosive, Verb;
    "explosion" => Explosive, Noun;
    "explosions" => Explosive, Plural;
    "blast" => Explosive, Noun;
    "suicide bomber" => SuicideBombing, Noun;
    "suicide bombers" => SuicideBombing, Plural;
    "suicide bombing" => SuicideBombing, Noun;
    "suicide bombings" => SuicideBombing, Plural;
    "suicide attack" => SuicideBombing, Noun;
    "suicide attacks" => SuicideBombing, Plural;
    "suicide car bomb" => SuicideBombing, Noun;
    "suicide vest" => SuicideBombing, Noun;
    "blew himself up" => SuicideBombing, Verb;
    "blew themselves up" => SuicideBombing, Verb;
    "grenade" => Grenade, Noun;
    "grenades" => Grenade, Plural;
    "chemical attack" => ChemicalWeapon, Noun;
    "chemical attacks" => ChemicalWeapon, Plural;
    "gas attack" => ChemicalWeapon, Noun;
    "gas attacks" => ChemicalWeapon, Plural;
    // "helicopters dropped two barrels on the town": what falls from aircraft.
    "dropped" => AirStrike, Verb, Object::Needs(DROPPED_WEAPONS);
    // Violence against civilians
    "kidnapped" => Abduction, Verb;
    "abducted" => Abduction, Verb;
    "kidnap" => Abduction, Verb;
    "kidnaps" => Abduction, Verb;
    "abduct" => Abduction, Verb;
    "abducts" => Abduction, Verb;
    "kidnapping" => Abduction, Noun;
    "kidnappings" => Abduction, Plural;
    "abduction" => Abduction, Noun;
    "abductions" => Abduction, Plural;
    "taken hostage" => Abduction, Verb;
    "took hostage" => Abduction, Verb;
    "raped" => SexualViolence, Verb;
    "sexually assaulted" => SexualViolence, Verb;
    "sexually abused" => SexualViolence, Verb;
    "sexual assault" => SexualViolence, Noun;
    "sexual violence" => SexualViolence, Noun;
    // Strategic developments
    "arrested" => Arrest, Verb;
    "arrest" => Arrest, Noun;
    "arrests" => Arrest, Plural;
    "detained" => Arrest, Verb;
    "apprehended" => Arrest, Verb;
    "rounded up" => Arrest, Verb;
    "captured" => TerritoryGained, Verb, Object::PlaceOrPeople;
    "capture" => TerritoryGained, Noun, Object::PlaceOrPeople;
    "recaptured" => TerritoryGained, Verb, Object::PlaceOrPeople;
    "regained control" => TerritoryGained, Verb;
    "regain control" => TerritoryGained, Verb;
    "retook" => TerritoryGained, Verb;
    "retaken" => TerritoryGained, Verb;
    "took control" => TerritoryGained, Verb;
    "taken control" => TerritoryGained, Verb;
    "seized control" => TerritoryGained, Verb;
    "seized" => TerritoryGained, Verb, Object::Needs(PLACE_NOUNS);
    // "Gunmen seized two employees of an aid group": people taken, not ground.
    "seized" => Abduction, Verb, Object::Needs(CAPTIVE_NOUNS);
    // "Government troops entered the town of Kafr Nabudah": forces taking a settlement.
    "entered" => TerritoryGained, Verb, Object::Needs(SETTLEMENT_NOUNS);
    "took over" => TerritoryGained, Verb;
    "taken over" => TerritoryGained, Verb;
    "takeover" => TerritoryGained, Noun;
    "overran" => TerritoryGained, Verb;
    "overrun" => TerritoryGained, Verb;
    "liberated" => TerritoryGained, Verb;
    "now under control" => TerritoryGained, Verb;
    "fell to" => TerritoryGained, Verb;
    "lost control" => TerritoryLost, Verb;
    "withdrew" => Withdrawal, Verb;
    "withdrawn" => Withdrawal, Verb;
    "withdrawal" => Withdrawal, Noun;
    "pulled out" => Withdrawal, Verb;
    "pulled back" => Withdrawal, Verb;
    "retreated" => Withdrawal, Verb;
    "draw down" => Withdrawal, Verb;
    "drew down" => Withdrawal, Verb;
    "handed over" => Handover, Verb;
    "hand over" => Handover, Verb;
    "handover" => Handover, Noun;
    "deployed" => Deployment, Verb;
    "deployment" => Deployment, Noun;
    "deployments" => Deployment, Plural;
    "redeployed" => Deployment, Verb;
    "dispatched" => Deployment, Verb;
    "dispatch" => Deployment, Noun;
    "sent" => Deployment, Verb, Object::Needs(SENT_WORDS);
    "reinforcements" => Deployment, Plural;
    "heading" => Deployment, Verb, Object::Needs(DIRECTIONS);
    "headed" => Deployment, Verb, Object::Needs(DIRECTIONS);
    "moved" => Deployment, Verb, Object::Needs(DIRECTIONS);
    "moving" => Deployment, Verb, Object::Needs(DIRECTIONS);
    "mobilized" => Deployment, Verb;
    "mobilised" => Deployment, Verb;
    "amassed" => Deployment, Verb;
    "fortify" => Fortification, Verb;
    "fortified" => Fortification, Verb;
    "fortifying" => Fortification, Verb;
    "fortification" => Fortification, Noun;
    "fortifications" => Fortification, Plural;
    "tighten security" => Fortification, Verb;
    "tightened security" => Fortification, Verb;
    "stepped up security" => Fortification, Verb;
    "reinforced" => Fortification, Verb, Object::Needs(DEFENCE_WORDS);
    "reinforce" => Fortification, Verb, Object::Needs(DEFENCE_WORDS);
    "bolster" => Fortification, Verb, Object::Needs(DEFENCE_WORDS);
    "bolstered" => Fortification, Verb, Object::Needs(DEFENCE_WORDS);
    "strengthened" => Fortification, Verb, Object::Needs(DEFENCE_WORDS);
    "beefed up" => Fortification, Verb;
    "established" => BaseEstablished, Verb, Object::Needs(BASE_WORDS);
    "set up" => BaseEstablished, Verb, Object::Needs(BASE_WORDS);
    "visit" => Visit, Noun;
    "visits" => Visit, Verb;
    "visited" => Visit, Verb;
    "visiting" => Visit, Verb;
    "toured" => Visit, Verb;
    "ceasefire" => Agreement, Noun;
    "cease fire" => Agreement, Noun;
    "truce" => Agreement, Noun;
    "peace deal" => Agreement, Noun;
    "prisoner exchange" => Agreement, Noun;
    "prisoner swap" => Agreement, Noun;
    // "exchanged 48 detainees", "swapped prisoners": an exchange agreed between sides.
    "exchanged" => Agreement, Verb, Object::Needs(EXCHANGED_PEOPLE);
    "swapped" => Agreement, Verb, Object::Needs(EXCHANGED_PEOPLE);
    // Protests and riots
    "protest" => Protest, Noun;
    "protests" => Protest, Plural;
    "protested" => Protest, Verb;
    "protesting" => Protest, Verb;
    "tear gas" => ProtestDispersed, Noun;
    "teargas" => ProtestDispersed, Noun;
    "water cannon" => ProtestDispersed, Noun;
    "dispersed" => ProtestDispersed, Verb, Object::Needs(PROTEST_WORDS);
    "demonstration" => Protest, Noun;
    "demonstrations" => Protest, Plural;
    "protesters" => Protest, Plural;
    "demonstrators" => Protest, Plural;
    "riot" => Riot, Noun;
    "riots" => Riot, Plural;
    "rioters" => Riot, Plural;
    "rioted" => Riot, Verb;
    "rioting" => Riot, Noun;
    "gathered" => Protest, Verb, Object::Purpose;
    "marched" => Protest, Verb, Object::Purpose;
    "rallied" => Protest, Verb, Object::Purpose;
    "assembled" => Protest, Verb, Object::Purpose;
    "took to the streets" => Protest, Verb;
    // Strategic developments with no victims
    "shot down" => ShotDown, Verb;
    "downed" => ShotDown, Verb, Object::Needs(AIR_WEAPONS);
    "intercepted" => ShotDown, Verb, Object::Needs(INTERCEPTED);
    "set fire to" => Destruction, Verb;
    "set ablaze" => Destruction, Verb;
    "torched" => Destruction, Verb;
    "setting fire to" => Destruction, Verb;
    "sets fire to" => Destruction, Verb;
    "looted" => Destruction, Verb;
    "looting" => Destruction, Verb;
    "plundered" => Destruction, Verb;
    "ransacked" => Destruction, Verb;
    "pillaged" => Destruction, Verb;
    // "broke into the grain silos and carried away sacks of wheat": a break-in at property.
    // "Fires set by unknown people destroyed 300 dunams of wheat", "burned crops": crops
    // burnt or destroyed are property destroyed.
    "destroyed" => Destruction, Verb, Object::Needs(CROP_WORDS);
    "burned" => Destruction, Verb, Object::Needs(CROP_WORDS);
    "burnt" => Destruction, Verb, Object::Needs(CROP_WORDS);
    "broke into" => Destruction, Verb, Object::Needs(PROPERTY_WORDS);
    "broken into" => Destruction, Verb, Object::Needs(PROPERTY_WORDS);
    "mass grave" => MassGrave, Noun;
    "mass graves" => MassGrave, Plural;
    // Weapons kept from use ("found a cache of explosives", "defused a roadside bomb").
    "cache" => WeaponsSeized, Noun;
    "caches" => WeaponsSeized, Plural;
    "defused" => WeaponsSeized, Verb;
    "dismantled" => WeaponsSeized, Verb, Object::Needs(BOMB_WORDS);
    // Battles: shooting at people
    "opened fire" => Clash, Verb, Object::Target;
    // Only with an armed agent right before it: "Gunmen wounded a lawyer".
    "wounded" => Clash, Verb, Object::Target;
    "injured" => Clash, Verb, Object::Target;
};

/// Crops and the land they grow on, whose burning or destruction is property destroyed.
const CROP_WORDS: &[&str] = &[
    "wheat", "barley", "crops", "crop", "harvest", "fields", "farmland", "orchards", "dunams",
    "donums", "hectares", "acres",
];
/// Buildings and stores whose break-in is looting.
const PROPERTY_WORDS: &[&str] = &[
    "homes",
    "houses",
    "shops",
    "stores",
    "warehouse",
    "warehouses",
    "silos",
    "silo",
    "offices",
    "depot",
    "depots",
    "bank",
    "banks",
    "storehouse",
    "storehouses",
    "mill",
    "mills",
];

/// People handed over in an exchange between sides.
const EXCHANGED_PEOPLE: &[&str] = &["detainees", "prisoners", "captives", "hostages", "bodies"];

/// What aircraft drop on a place.
const DROPPED_WEAPONS: &[&str] = &["barrel", "barrels", "bomb", "bombs", "explosives"];

/// Toxic agents: an attack told with one of them is a chemical weapon's use.
pub const CHEMICAL_AGENTS: &[&str] = &[
    "chlorine",
    "sarin",
    "toxic gas",
    "poison gas",
    "poisonous gas",
    "mustard gas",
    "nerve agent",
    "chemical agent",
];

/// What is intercepted in the air.
const INTERCEPTED: &[&str] = &[
    "drone", "drones", "rocket", "rockets", "missile", "missiles",
];

/// Trigger entries by their first word, longest phrases first.
/// The words after a phrase's first, and its entry.
type Continuations = Vec<(Vec<&'static str>, &'static Entry)>;

static INDEX: LazyLock<HashMap<&'static str, Continuations>> = LazyLock::new(|| {
    let mut index: HashMap<&'static str, Continuations> = HashMap::new();
    for entry in TRIGGERS {
        let words: Vec<&'static str> = entry.phrase.split(' ').collect();
        if let Some((&first, rest)) = words.split_first() {
            index.entry(first).or_default().push((rest.to_vec(), entry));
        }
    }
    for entries in index.values_mut() {
        entries.sort_by_key(|(rest, _)| std::cmp::Reverse(rest.len()));
    }
    index
});

/// Words before a trigger that make it talk of what might, should or did not happen.
const MODAL: &[&str] = &[
    "will",
    "would",
    "could",
    "can",
    "may",
    "might",
    "must",
    "should",
    "shall",
    "cannot",
    "plan",
    "plans",
    "planned",
    "planning",
    "intend",
    "intends",
    "threat",
    "threats",
    "threaten",
    "threatens",
    "threatened",
    "prevent",
    "preventing",
    "prevents",
    "any",
    "possible",
    "potential",
    "potentially",
    "risk",
    "risks",
    "fear",
    "fears",
    "feared",
    "if",
    "unless",
    "whether",
    "ensure",
    "capacity",
    "able",
    "capable",
    "ability",
    "ready",
    "readiness",
    "attempts",
    "attempting",
    "trying",
    "try",
    "urge",
    "urged",
    "urging",
    "called",
    "calls",
    "demanded",
    "not",
    "no",
    "never",
    "nothing",
    "without",
    "ahead",
    "avoid",
    "deter",
    "foil",
    "foiled",
    "thwart",
    "thwarted",
    "confront",
    "expected",
    "likely",
    "allegedly",
    "opportunity",
    "chance",
];

/// Verbs that make "to <trigger>" a thing that was done ("ordered the forces to fortify").
const CAUSATIVE: &[&str] = &[
    "ordered",
    "directed",
    "prompted",
    "forced",
    "led",
    "caused",
    "compelled",
    "instructed",
];

/// Words before a trigger that make it a series or a trend.
const AGGREGATE: &[&str] = &[
    // "after weeks of fighting": a long stretch, not one incident.
    "weeks",
    "months",
    "years",
    "numerous",
    "several",
    "many",
    "multiple",
    "series",
    "wave",
    "spate",
    "string",
    "number",
    "uptick",
    "surge",
    "increase",
    "increased",
    "increasing",
    "rise",
    "rising",
    "resurgence",
    "intensified",
    "intensify",
    "escalated",
    "escalating",
    "renewed",
    "continued",
    "continuing",
    "ongoing",
    "regularly",
    "repeatedly",
    "frequently",
    "often",
    "routinely",
    "daily",
    "weekly",
    "recurring",
    "dozens",
    "hundreds",
    "scores",
    "frequent",
    "record",
    "recorded",
];

/// Words before a plural trigger that make it a summary ("other attacks", "recent bombings").
// "two separate attacks": a roundup of several incidents told one by one after it.
const AGGREGATE_PLURAL: &[&str] = &[
    "recent",
    "past",
    "other",
    "most",
    "including",
    "such",
    "separate",
];

/// Words after a trigger, in its segment, that make it a trend ("clashes … intensified").
const TREND_AFTER: &[&str] = &[
    "risen",
    "grown",
    "soared",
    "doubled",
    "intensified",
    "escalated",
    "increased",
    "continued",
    "continue",
    "rose",
    "surged",
    "persisted",
];

/// Words after a plural trigger, in its segment, that make it a period or a spread
/// ("attacks … over the last several days", "bombings across the country").
const SPREAD_AFTER: &[&str] = &[
    "several",
    "numerous",
    "recent",
    "past",
    "across",
    "various",
    "throughout",
];

/// Trigger words that are also the base form of a verb: after "to" they are an intention.
const BASE_VERBS: &[&str] = &[
    "attack",
    "arrest",
    "visit",
    "raid",
    "capture",
    "fortify",
    "bolster",
    "reinforce",
    "kill",
    "dispatch",
    "regain",
    "hand",
    "draw",
    "protest",
    "assault",
    "ambush",
    "bomb",
    "clash",
    "withdrawal",
    "takeover",
    "kidnap",
    "abduct",
];

/// Determiners that make a noun refer back.
const DEFINITE: &[&str] = &["the", "this", "that", "these", "those"];

/// Finds the event triggers of a sentence.
pub(crate) fn find(words: &Words<'_>, actors: &[ActorMention]) -> Vec<Trigger> {
    let mut found: Vec<Trigger> = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let Some((kind, len, entry)) = match_at(words, i, actors) else {
            i += 1;
            continue;
        };
        let trigger = read_context(words, i..i + len, kind, entry, actors, &found);
        i += len;
        if let Some(trigger) = trigger {
            found.push(trigger);
        }
    }
    found
}

fn match_at(
    words: &Words<'_>,
    i: usize,
    actors: &[ActorMention],
) -> Option<(EventKind, usize, &'static Entry)> {
    let candidates = INDEX.get(words.lower(i))?;
    for (rest, entry) in candidates {
        if !rest
            .iter()
            .enumerate()
            .all(|(k, part)| words.lower(i + 1 + k) == *part)
        {
            continue;
        }
        let len = rest.len() + 1;
        let after = object_window(words, i + len);
        let kind = match entry.object {
            Object::Any => entry.kind,
            Object::Needs(set) => {
                if !after.clone().any(|j| set.contains(&words.lower(j))) {
                    continue;
                }
                entry.kind
            }
            Object::Target => target_kind(words, i + len, actors),
            Object::Purpose => {
                if !told_with_purpose(words, i + len) {
                    continue;
                }
                entry.kind
            }
            Object::Striker => {
                // "Turkish drones struck", "rockets hit": the weapon before the verb.
                let before = i.saturating_sub(4)..i;
                let weapon = |set: &[&str]| before.clone().any(|j| set.contains(&words.lower(j)));
                if weapon(AIR_WEAPONS) {
                    EventKind::AirStrike
                } else if weapon(ARTILLERY_WEAPONS) {
                    EventKind::Shelling
                } else {
                    continue;
                }
            }
            Object::PlaceOrPeople => {
                // "89 recaptured": a count, not an event word.
                if i > 0 && number_at(words, i - 1).is_some() {
                    continue;
                }
                let place = after.clone().any(|j| PLACE_NOUNS.contains(&words.lower(j)));
                let people = after
                    .clone()
                    .any(|j| PEOPLE_NOUNS.contains(&words.lower(j)))
                    || actors.iter().any(|a| after.contains(&a.words.start));
                if place {
                    entry.kind
                } else if people {
                    EventKind::Arrest
                } else {
                    continue;
                }
            }
        };
        return Some((kind, len, entry));
    }
    None
}

/// Whether a crowd verb's segment goes on to say what the crowd wanted: "to demand", "to
/// protest", "demanding", "in protest".
fn told_with_purpose(words: &Words<'_>, from: usize) -> bool {
    let segment = words.segment(from.saturating_sub(1));
    (from..words.len().min(from + 14))
        .take_while(|&j| words.segment(j) == segment)
        .any(|j| {
            let next = words.lower(j + 1);
            match words.lower(j) {
                "to" => matches!(
                    next,
                    "demand" | "protest" | "denounce" | "condemn" | "reject" | "call"
                ),
                "in" => next == "protest",
                w => matches!(
                    w,
                    "demanding" | "protesting" | "denouncing" | "condemning" | "chanting"
                ),
            }
        })
}

/// The words a trigger's object can be in: the rest of its segment, up to eight words.
fn object_window(words: &Words<'_>, from: usize) -> Range<usize> {
    let segment = words.segment(from.saturating_sub(1));
    let mut end = from;
    while end < words.len() && end < from + 8 && words.segment(end) == segment {
        end += 1;
    }
    from..end
}

/// The kind of an attack, from what it was on. The agent ("by the extremists") is skipped.
fn target_kind(words: &Words<'_>, from: usize, actors: &[ActorMention]) -> EventKind {
    let segment = words.segment(from.saturating_sub(1));
    let mut j = from;
    let end = (from + 12).min(words.len());
    while j < end && words.segment(j) == segment {
        let word = words.lower(j);
        if word == "by" {
            // Skip the agent and what directly follows it.
            match actors.iter().find(|a| a.words.start == j + 1) {
                Some(agent) => j = agent.words.end,
                None => j += 2,
            }
            continue;
        }
        if PROTEST_WORDS.contains(&word) {
            return EventKind::ForceOnProtest;
        }
        if PRISON_WORDS.contains(&word) || word == "centres" || word == "centers" {
            return EventKind::PrisonAttack;
        }
        if CIVILIAN_WORDS.contains(&word) {
            return EventKind::CivilianAttack;
        }
        // "opened fire on a man who works for an oil company": a person told by sex, age or
        // job is a civilian, unless the words right after make them a fighter ("a man in
        // the SDF's ranks").
        if PERSON_WORDS.contains(&word) {
            let armed_after = (j + 1..words.len().min(j + 7))
                .take_while(|&m| words.segment(m) == segment)
                .any(|m| {
                    FORCE_WORDS.contains(&words.lower(m))
                        || actors
                            .iter()
                            .any(|a| a.words.start == m && a.actor.kind() != ActorKind::Civilians)
                });
            if !armed_after {
                return EventKind::CivilianAttack;
            }
        }
        if FORCE_WORDS.contains(&word) {
            return EventKind::AttackOnForces;
        }
        if let Some(actor) = actors.iter().find(|a| a.words.start == j) {
            return match actor.actor.kind() {
                ActorKind::Civilians => EventKind::CivilianAttack,
                ActorKind::Government => EventKind::Clash,
                _ => EventKind::AttackOnForces,
            };
        }
        j += 1;
    }
    EventKind::Clash
}

fn read_context(
    words: &Words<'_>,
    span: Range<usize>,
    kind: EventKind,
    entry: &Entry,
    actors: &[ActorMention],
    earlier: &[Trigger],
) -> Option<Trigger> {
    let start = span.start;
    let segment = words.segment(start);
    // Look back to the previous trigger or the segment start, at most six words.
    let floor = earlier
        .last()
        .map_or(0, |t| t.words.end)
        .max(start.saturating_sub(6));
    let before: Vec<usize> = (floor..start)
        .filter(|&j| words.segment(j) == segment)
        .collect();
    let word = |j: usize| words.lower(j);
    let negated_contraction =
        |j: usize| word(j) == "t" && words.words.get(j).is_some_and(|w| w.after_apostrophe);
    // "reports of possible escapes prompted Iraq to bolster": the modal word belongs to
    // what came before the causative verb, not to the trigger.
    let after_causative = before
        .iter()
        .rposition(|&j| CAUSATIVE.contains(&word(j)))
        .map_or(0, |p| p + 1);
    if before[after_causative..]
        .iter()
        .any(|&j| MODAL.contains(&word(j)) || negated_contraction(j))
    {
        return None;
    }
    // "to attack", unless someone was ordered or prompted to do it.
    let base_verb = entry.form == Form::Verb || BASE_VERBS.contains(&word(start));
    // "to arrest or kill": the second verb shares the first one's "to".
    let shared_to =
        start >= 3 && matches!(word(start - 1), "or" | "and") && word(start - 3) == "to";
    if base_verb && start > 0 && (word(start - 1) == "to" || shared_to) {
        let ordered = (start.saturating_sub(7)..start).any(|j| CAUSATIVE.contains(&word(j)));
        if !ordered {
            return None;
        }
    }
    // "Gunmen wounded a lawyer": wounding is an event word only with an armed agent as its
    // subject; "were wounded", "killing two and wounded five" are figures.
    if matches!(word(start), "wounded" | "injured") {
        let agent = start > 0
            && words.segment(start - 1) == segment
            && (matches!(
                word(start - 1),
                "gunmen" | "gunman" | "militants" | "attackers" | "assailants" | "sniper"
            ) || actors
                .iter()
                .any(|a| a.words.end == start && a.actor.kind().is_armed()));
        if !agent {
            return None;
        }
    }
    // "Baghdad's heavily fortified Green Zone": a participle describing a place, not the
    // work of fortifying it.
    if kind == EventKind::Fortification
        && word(start) == "fortified"
        && start > 0
        && matches!(
            word(start - 1),
            "heavily" | "highly" | "well" | "strongly" | "the" | "a" | "its"
        )
    {
        return None;
    }
    // "rocket-propelled grenades": a weapon of the fighting, not a grenade attack.
    if kind == EventKind::Grenade && start > 0 && word(start - 1) == "propelled" {
        return None;
    }
    // "the attackers used sniper rifles and hand grenades", "armed with grenades": a weapon
    // told as what was used or carried, not an attack of its own.
    let wielded = before.iter().any(|&j| {
        matches!(
            word(j),
            "used" | "using" | "carrying" | "carried" | "seized" | "confiscated" | "found"
        ) || (word(j) == "with" && j > 0 && word(j - 1) == "armed")
    });
    if kind == EventKind::Grenade && wielded {
        return None;
    }
    // "a prison taken over by": a participle describing a thing, not an event told here.
    if matches!(word(start), "taken" | "retaken" | "overrun")
        && !before.iter().any(|&j| {
            matches!(
                word(j),
                "was" | "were" | "been" | "has" | "have" | "had" | "is" | "are"
            )
        })
    {
        return None;
    }
    let passive = entry.form == Form::Verb
        && (before
            .iter()
            .rev()
            .take(2)
            .any(|&j| matches!(word(j), "was" | "were" | "been" | "being" | "is" | "are"))
            || words.matches(start, "fell to"));
    let noun = entry.form != Form::Verb;
    let plural = entry.form == Form::Plural;

    // "the attack", "the initial attack on the prison" — but not "the Syrian army's takeover".
    let definite = noun && {
        let mut j = start;
        let mut skipped = 0;
        loop {
            if j == 0 || words.segment(j - 1) != segment {
                break false;
            }
            j -= 1;
            let w = word(j);
            if DEFINITE.contains(&w) {
                break true;
            }
            let is_actor = actors.iter().any(|a| a.words.contains(&j));
            let is_number = number_at(words, j).is_some();
            skipped += 1;
            if skipped > 2 || is_actor || is_number || words.words[j].capitalised && j > 0 {
                break false;
            }
        }
    };

    let mut aggregate = before
        .iter()
        .any(|&j| AGGREGATE.contains(&word(j)) || (plural && AGGREGATE_PLURAL.contains(&word(j))));
    let rest_of_segment = (span.end..words.len()).take_while(|&j| words.segment(j) == segment);
    aggregate |= rest_of_segment.take(25).any(|j| {
        (TREND_AFTER.contains(&word(j)) && (plural || j < span.end + 8))
            || (plural && SPREAD_AFTER.contains(&word(j)))
    });
    // "Other SDF-controlled prisons … were coming under attack": many places at once.
    let segment_start = words.segment_range(start).start;
    aggregate |= matches!(
        word(segment_start),
        "other" | "several" | "many" | "numerous" | "multiple"
    );
    // "more than 400 attacks", "150 of the quarter's attacks": many events at once.
    if plural {
        let counted = (start.saturating_sub(5)..start)
            .filter(|&j| words.segment(j) == segment)
            .filter_map(|j| number_at(words, j))
            .any(|(n, _)| n >= 20);
        aggregate |= counted;
    }
    // "had seized around a dozen villages": many places taken at once, a summary.
    if kind.domain() == Domain::Territory {
        let object = object_window(words, span.end);
        aggregate |= object.clone().any(|j| {
            matches!(
                words.lower(j),
                "villages" | "towns" | "areas" | "positions" | "neighbourhoods" | "neighborhoods"
            ) && (object.start..j).any(|m| {
                number_at(words, m).is_some_and(|(n, _)| n >= 5)
                    || matches!(words.lower(m), "several" | "dozens" | "many" | "numerous")
            })
        });
    }
    // "bombings, ambushes, kidnappings": a list of kinds is a summary. Only commas and
    // conjunctions lie between listed items; "warplanes carried out air raids" is one event.
    if plural
        && earlier.last().is_some_and(|t| {
            t.plural
                && t.words.end + 2 >= start
                && (t.words.end..start).all(|j| matches!(word(j), "and" | "or"))
        })
    {
        aggregate = true;
    }
    Some(Trigger {
        kind,
        words: span,
        noun,
        plural,
        definite,
        passive,
        aggregate,
    })
}

/// Marks the earlier of two listed plural triggers as an aggregate too.
pub fn mark_lists(triggers: &mut [Trigger]) {
    for k in 1..triggers.len() {
        if triggers[k].aggregate
            && triggers[k].plural
            && triggers[k - 1].plural
            && triggers[k - 1].words.end + 2 >= triggers[k].words.start
        {
            triggers[k - 1].aggregate = true;
        }
    }
}

/// A statement in a sentence: the speech verb and who spoke.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Speech {
    /// Word index of the speech verb.
    pub verb: usize,
    /// Actors named in the sentence who can speak for a side (not civilians).
    pub speakers: Vec<ActorRef>,
}

/// Verbs that report what someone said.
const SPEECH_VERBS: &[&str] = &[
    "said",
    "says",
    "stated",
    "announced",
    "added",
    "warned",
    "stressed",
    "asserted",
    "affirmed",
    "assured",
    "pledged",
    "declared",
    "insisted",
    "told",
];

/// Words that make the speaker an official, even when the lexicon does not know them.
const OFFICIAL_TITLES: &[&str] = &[
    "minister",
    "ministry",
    "spokesman",
    "spokesperson",
    "spokeswoman",
    "official",
    "officials",
    "adviser",
    "advisor",
    "commander",
    "governor",
    "president",
    "command",
    "government",
];

/// Speakers whose words are reporting, not an official act.
const UNOFFICIAL_SPEAKERS: &[&str] = &[
    "witnesses",
    "residents",
    "sources",
    "source",
    "reports",
    "activists",
    "observers",
    "analysts",
    "experts",
    "monitor",
];

/// Finds an official's statement in a sentence: a speech verb ("said", "warned",
/// "expressed concern", "in a statement") with an official speaker. Speech by witnesses,
/// sources or analysts, and speech inside a quotation, is not an official statement.
pub(crate) fn speech(words: &Words<'_>, actors: &[ActorMention]) -> Option<Speech> {
    let verb = (0..words.len()).find(|&i| {
        if words.words[i].quoted {
            return false;
        }
        let word = words.lower(i);
        SPEECH_VERBS.contains(&word)
            || (word == "expressed" && (1..=3).any(|k| words.lower(i + k).starts_with("concern")))
            || (word == "statement"
                && i >= 2
                && matches!(words.lower(i - 1), "a" | "the")
                && matches!(words.lower(i - 2), "in" | "to"))
    })?;
    let unofficial = (verb.saturating_sub(3)..verb + 3)
        .filter(|&i| i < words.len())
        .any(|i| UNOFFICIAL_SPEAKERS.contains(&words.lower(i)));
    if unofficial {
        return None;
    }
    // The speaker is the government or official named; failing that, the actor nearest the
    // verb ("said Farhad Shami, a spokesman for the SDF"). Groups spoken about are not.
    let mut speakers: Vec<ActorRef> = actors
        .iter()
        .map(|m| m.actor)
        .filter(|a| a.kind() == ActorKind::Government)
        .collect();
    speakers.dedup();
    if speakers.is_empty() {
        let distance = |m: &ActorMention| {
            if m.words.start > verb {
                m.words.start - verb
            } else {
                verb - m.words.end.min(verb)
            }
        };
        speakers.extend(
            actors
                .iter()
                .filter(|m| m.actor.kind() != ActorKind::Civilians)
                .min_by_key(|m| distance(m))
                .map(|m| m.actor),
        );
    }
    let titled = (0..words.len())
        .any(|i| !words.words[i].quoted && OFFICIAL_TITLES.contains(&words.lower(i)));
    (titled || !speakers.is_empty()).then_some(Speech { verb, speakers })
}

/// Whether an actor mention names civilians (victims of an attack rather than fighters).
pub fn is_civilian(actor: ActorRef) -> bool {
    actor.kind() == ActorKind::Civilians
}

#[cfg(test)]
mod tests {
    use super::super::actors::{self, ActorContext};
    use super::*;

    fn triggers(text: &str) -> Vec<Trigger> {
        let lower = text.to_ascii_lowercase();
        let words = Words::new(text, &lower, 0..text.len());
        let actors = actors::find(&words, &mut ActorContext::default());
        let mut found = find(&words, &actors);
        mark_lists(&mut found);
        found
    }

    fn kinds(text: &str) -> Vec<EventKind> {
        triggers(text).into_iter().map(|t| t.kind).collect()
    }

    #[test]
    fn attacks_are_typed_by_their_target() {
        use EventKind::*;
        assert_eq!(
            kinds("ISIS militants attacked an Iraqi army barracks in the early hours"),
            [AttackOnForces]
        );
        assert_eq!(kinds("an attack on the prison"), [PrisonAttack]);
        assert_eq!(
            kinds("a week-long assault by the extremists on one of the largest detention centres"),
            [PrisonAttack]
        );
        assert_eq!(
            kinds("gunmen attacked shepherds near Kirkuk"),
            [CivilianAttack]
        );
        assert_eq!(
            kinds("ISIS militants attempted to free thousands of detainees from the group"),
            [PrisonAttack]
        );
        assert_eq!(kinds("our forces faced several terrorist groups"), [Clash]);
        assert!(kinds("the challenges it faces").is_empty());
    }

    fn speaker(text: &str) -> Option<Vec<Option<&'static str>>> {
        let lower = text.to_ascii_lowercase();
        let words = Words::new(text, &lower, 0..text.len());
        let actors = actors::find(&words, &mut ActorContext::default());
        speech(&words, &actors).map(|s| s.speakers.iter().map(|a| a.name(None)).collect())
    }

    #[test]
    fn official_statements_name_their_speaker() {
        assert_eq!(
            speaker("Sudani said Iraq's borders, particularly with Syria, remain fully secure."),
            Some(vec![Some("Iraqi government")])
        );
        // The group spoken about is not the speaker.
        assert_eq!(
            speaker("Top Iraqi officials on Tuesday warned that ISIS remains a serious threat."),
            Some(vec![Some("Iraqi government")])
        );
        assert_eq!(
            speaker("Barzani on Sunday expressed concerns with the number of ISIS attacks."),
            Some(vec![Some("Kurdistan Regional Government")])
        );
        assert_eq!(
            speaker("“The whole prison is now under control,” said a spokesman for the SDF."),
            Some(vec![Some("Syrian Democratic Forces")])
        );
        // An unnamed official still speaks officially; witnesses and quotes do not.
        assert_eq!(
            speaker("The provincial governor said the road to Sinjar is closed."),
            Some(vec![])
        );
        assert_eq!(
            speaker("Witnesses said the road to Sinjar is closed."),
            None
        );
        assert_eq!(
            speaker("“We said we would come back,” the video ends."),
            None
        );
        assert_eq!(speaker("The road to Sinjar is closed."), None);
    }

    #[test]
    fn talk_of_what_might_happen_is_not_an_event() {
        for text in [
            "to arrest or kill anyone attempting to enter the country",
            "could present ISIS with an opportunity to launch more frequent attacks",
            "to prevent infiltration ahead of planned military operations",
            "while trying to retake the facility",
            "nothing untoward has occurred",
            "they didn't attack",
            "Iraqi forces are very capable of preventing any attempts",
        ] {
            assert!(triggers(text).is_empty(), "{text}: {:?}", triggers(text));
        }
        // Ordered or prompted to do it: it was done.
        assert_eq!(
            kinds(
                "Iraq's prime minister has ordered the armed forces to tighten security on the border"
            ),
            [EventKind::Fortification]
        );
        assert_eq!(
            kinds("reports of possible escapes prompted Iraq to bolster its border defenses"),
            [EventKind::Fortification]
        );
    }

    #[test]
    fn aggregates_and_trends_are_marked() {
        for text in [
            "There were more than 400 ISIS-claimed or suspected attacks in Iraq",
            "remnants still regularly stage hit-and-run attacks or bombings across the country",
            "a recent uptick in ISIS activities, including bombings, ambushes, kidnappings",
            "renewed clashes between the Syrian Arab Army and the Kurdish forces",
            "as clashes between ISIS and Kurdish fighters intensified",
            "Other attacks were reported in the provinces of Kirkuk",
            "the site of numerous ISIS attacks over the past several years",
        ] {
            let found = triggers(text);
            assert!(
                !found.is_empty() && found.iter().all(|t| t.aggregate),
                "{text}: {found:?}"
            );
        }
        // A striker and its strikes are one event, not a list of kinds.
        let raids = triggers("government warplanes carried out air raids on the town");
        assert!(
            !raids.is_empty() && raids.iter().all(|t| !t.aggregate),
            "{raids:?}"
        );
        let strikes = triggers("which has carried out nearly a dozen air strikes");
        assert_eq!(strikes.len(), 1);
        assert!(!strikes[0].aggregate && strikes[0].plural);
    }

    #[test]
    fn places_described_as_fortified_are_no_fortification() {
        assert!(
            kinds("rockets fell inside Baghdad's heavily fortified Green Zone")
                .iter()
                .all(|k| *k != EventKind::Fortification)
        );
        assert!(
            kinds("the army fortified its positions along the border")
                .contains(&EventKind::Fortification)
        );
        assert!(
            kinds("troops were sent to the border posts, heavily fortifying them")
                .contains(&EventKind::Fortification)
        );
    }

    #[test]
    fn definite_nouns_refer_back() {
        let t = triggers("The attack in Hassakeh was the biggest");
        assert!(t[0].definite);
        let t = triggers("Since the initial attack on the prison, at least 17 were killed");
        assert!(t[0].definite);
        assert!(!t[1].definite);
        let t = triggers("following the Syrian army's takeover of some areas");
        assert!(!t[0].definite);
        let t = triggers("following a prisonbreak by ISIS militants");
        assert!(!t[0].definite);
    }

    #[test]
    fn crowds_with_a_purpose_and_looting() {
        assert_eq!(
            kinds(
                "dozens of villagers gathered outside the governorate building to demand justice"
            ),
            [EventKind::Protest]
        );
        assert_eq!(
            kinds("some 200 villagers marched to the district centre to protest against the post"),
            [EventKind::Protest]
        );
        assert_eq!(
            kinds("Gunmen wounded a lawyer in the Ghazaliya district"),
            [EventKind::CivilianAttack]
        );
        assert!(kinds("Five people were wounded in the blast").len() == 1);
        // Gathered with no purpose told is no protest.
        assert!(kinds("investigators gathered evidence at the scene").is_empty());
        // Gunmen storming a village with no armed side named there attack its people; the
        // looting and burning are told apart as destruction.
        assert_eq!(
            kinds("gunmen stormed the village, looting homes and setting fire to fields"),
            [
                EventKind::CivilianAttack,
                EventKind::Destruction,
                EventKind::Destruction
            ]
        );
        // A break-in at property is looting; breaking into other things is not.
        assert_eq!(
            kinds("men broke into the grain silos and carried away sacks of wheat"),
            [EventKind::Destruction]
        );
        assert!(kinds("the crowd broke into song").is_empty());
    }

    #[test]
    fn territory_and_posture() {
        use EventKind::*;
        assert_eq!(
            kinds("Kurdish forces said they have regained control of the prison"),
            [TerritoryGained]
        );
        assert!(kinds("a prison taken over by ISIS militants").is_empty());
        assert_eq!(
            kinds("the SDF also said it lost control of al-Shaddadi prison"),
            [TerritoryLost]
        );
        assert_eq!(
            kinds("the SDF announced they had withdrawn from the camp"),
            [Withdrawal]
        );
        assert_eq!(
            kinds("security forces heading toward the Iraq-Syria border"),
            [Deployment]
        );
        assert_eq!(
            kinds("Those were PMF who moved to secure the borders"),
            [Deployment]
        );
        assert_eq!(
            kinds("the Iraqi government sent additional military support to the border"),
            [Deployment]
        );
        assert_eq!(
            kinds("In Qarachogh, they even established bases"),
            [BaseEstablished]
        );
        assert_eq!(kinds("captured five ISIS members"), [Arrest]);
        assert_eq!(kinds("captured the town of Sinjar"), [TerritoryGained]);
        assert!(kinds("another 89 recaptured after escaping").is_empty());
        assert_eq!(kinds("made a rare visit to the country's border"), [Visit]);
    }
}
