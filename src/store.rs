//! The incident store: a versioned JSON document holding articles and the incidents found in them.
//!
//! ```json
//! {"schema": "incident-map/1", "articles": [...], "incidents": [...]}
//! ```
//! Reading checks the schema version and that every incident's evidence points inside an
//! article it names; writing is atomic.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::atomic::save_atomically;

/// The schema this build reads and writes.
pub const SCHEMA: &str = "incident-map/1";

/// A whole store document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Store {
    pub schema: String,
    pub articles: Vec<Article>,
    pub incidents: Vec<Incident>,
}

impl Default for Store {
    fn default() -> Self {
        Self {
            schema: SCHEMA.to_owned(),
            articles: Vec::new(),
            incidents: Vec::new(),
        }
    }
}

/// A source article, its text kept whole for display.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    pub id: String,
    pub title: Option<String>,
    pub publisher: Option<String>,
    /// Publication date, `None` when the article does not say (never guessed).
    pub published: Option<Date>,
    pub url: Option<String>,
    pub text: String,
}

impl Article {
    /// The publishers it names: ACLED and spreadsheets list several in one cell, separated
    /// by ";" ("Pajhwok; Tolo News"), and each is a publisher of its own.
    pub fn publishers(&self) -> impl Iterator<Item = &str> {
        self.publisher
            .as_deref()
            .unwrap_or("")
            .split(';')
            .map(str::trim)
            .filter(|p| !p.is_empty())
    }
}

/// One incident, with the evidence it was read from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Incident {
    pub id: String,
    pub date: Option<Date>,
    pub date_precision: DatePrecision,
    pub event_type: EventType,
    pub sub_event_type: SubEventType,
    #[serde(default)]
    pub actors: Vec<String>,
    /// Reported deaths; `None` when the text gives no figure.
    pub fatalities: Option<u32>,
    /// Other reported counts, e.g. `wounded`, `captured`, `escaped`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub counts: BTreeMap<String, u32>,
    pub location: Location,
    pub sources: Vec<Source>,
    pub summary: String,
    /// What an analyst did to it; absent for an incident as the machine coded it.
    #[serde(default, skip_serializing_if = "Review::is_machine")]
    pub review: Review,
    /// What the dataset it was imported from (ACLED, UCDP, GDELT, a table) coded beyond the
    /// fields above; absent for incidents found in articles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coded: Option<Box<Coded>>,
}

/// What a coded dataset held beyond an incident's own fields, kept so that an export writes
/// it back as it was read and a briefing credits the dataset.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Coded {
    /// The dataset: `ACLED`, `UCDP GED`, `GDELT`, or a table's file name.
    pub dataset: String,
    /// ACLED's roles: the first side and the actors associated with it...
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub actor1: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assoc_actor_1: Vec<String>,
    /// ...and the second side (empty for a one-sided event) and its associates.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub actor2: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assoc_actor_2: Vec<String>,
    /// What the import inferred rather than read, e.g. a sub-event type an old taxonomy lacked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inferred: Vec<String>,
}

impl Coded {
    /// Whether it holds the sides as ACLED codes them.
    pub fn has_roles(&self) -> bool {
        !self.actor1.is_empty()
            || !self.actor2.is_empty()
            || !self.assoc_actor_1.is_empty()
            || !self.assoc_actor_2.is_empty()
    }

    /// Forgets the roles (after an analyst rewrote the actor list, they no longer hold).
    pub fn clear_roles(&mut self) {
        self.actor1.clear();
        self.assoc_actor_1.clear();
        self.actor2.clear();
        self.assoc_actor_2.clear();
    }
}

impl Incident {
    /// The date as shown to people: ISO, or "date unknown".
    pub fn date_label(&self) -> String {
        self.date
            .map_or_else(|| "date unknown".to_owned(), |d| d.to_string())
    }
}

/// An analyst's marks on an incident: which fields were changed (and what the machine had),
/// whether it was reviewed, rejected or added by hand.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Review {
    /// Fields an analyst changed, by name (`date`, `type`, `place`, `actors`, `fatalities`,
    /// `counts`, `summary`, `sources`), in the order first changed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub edited: Vec<String>,
    /// What the machine had coded in each changed field, as shown to people.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub machine: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reviewed: bool,
    /// Why an analyst rejected it as false; rejected incidents are hidden unless asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rejected: Option<String>,
    /// Added by an analyst from a selection in an article, not found by the machine.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub added: bool,
}

/// Where an incident stands with the analysts, for filters and exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// As the machine coded it.
    Machine,
    /// Changed or added by an analyst.
    Edited,
    /// Checked by an analyst (whether changed or not).
    Reviewed,
    /// Rejected as false.
    Rejected,
}

impl Status {
    pub const ALL: [Status; 4] = [Self::Machine, Self::Edited, Self::Reviewed, Self::Rejected];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Machine => "machine",
            Self::Edited => "edited",
            Self::Reviewed => "reviewed",
            Self::Rejected => "rejected",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|s| s.as_str().eq_ignore_ascii_case(text.trim()))
    }
}

impl Review {
    pub fn is_machine(&self) -> bool {
        self == &Self::default()
    }

    /// The one status that describes it: rejected over reviewed over edited.
    pub fn status(&self) -> Status {
        if self.rejected.is_some() {
            Status::Rejected
        } else if self.reviewed {
            Status::Reviewed
        } else if self.added || !self.edited.is_empty() {
            Status::Edited
        } else {
            Status::Machine
        }
    }
}

/// Where an incident happened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Location {
    pub name: String,
    /// ISO 3166-1 alpha-2 code.
    pub country: Option<String>,
    pub admin1: Option<String>,
    /// The district (ACLED's `admin2`) and sub-district (`admin3`), where the data gives them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin2: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin3: Option<String>,
    pub precision: LocationPrecision,
    /// Representative point for drawing; for areas and lines, a point inside or on them.
    pub lat: f64,
    pub lon: f64,
    pub gazetteer_id: Option<String>,
    /// How sure the geoparser was of the place (0 to 1), for incidents it placed: the
    /// doubtful placements are the ones worth an analyst's look.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f32>,
}

/// Evidence: a span of an article's text, in Unicode scalar values (chars), end exclusive.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Source {
    pub article: String,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DatePrecision {
    Day,
    Week,
    Month,
    Year,
    Unknown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LocationPrecision {
    Point,
    Admin2,
    Admin1,
    Border,
    Country,
    Region,
}

impl LocationPrecision {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Point => "point",
            Self::Admin2 => "admin2",
            Self::Admin1 => "admin1",
            Self::Border => "border",
            Self::Country => "country",
            Self::Region => "region",
        }
    }

    /// The precision [`Self::as_str`] names.
    pub fn parse(text: &str) -> Option<Self> {
        [
            Self::Point,
            Self::Admin2,
            Self::Admin1,
            Self::Border,
            Self::Country,
            Self::Region,
        ]
        .into_iter()
        .find(|p| p.as_str() == text)
    }
}

impl DatePrecision {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Day => "day",
            Self::Week => "week",
            Self::Month => "month",
            Self::Year => "year",
            Self::Unknown => "unknown",
        }
    }

    /// The precision [`Self::as_str`] names.
    pub fn parse(text: &str) -> Option<Self> {
        [
            Self::Day,
            Self::Week,
            Self::Month,
            Self::Year,
            Self::Unknown,
        ]
        .into_iter()
        .find(|p| p.as_str() == text)
    }
}

/// ACLED's six event types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum EventType {
    Battles,
    #[serde(rename = "Explosions/Remote violence")]
    ExplosionsRemoteViolence,
    #[serde(rename = "Violence against civilians")]
    ViolenceAgainstCivilians,
    Protests,
    Riots,
    #[serde(rename = "Strategic developments")]
    StrategicDevelopments,
}

impl EventType {
    pub const ALL: [EventType; 6] = [
        Self::Battles,
        Self::ExplosionsRemoteViolence,
        Self::ViolenceAgainstCivilians,
        Self::Protests,
        Self::Riots,
        Self::StrategicDevelopments,
    ];

    /// ACLED's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Battles => "Battles",
            Self::ExplosionsRemoteViolence => "Explosions/Remote violence",
            Self::ViolenceAgainstCivilians => "Violence against civilians",
            Self::Protests => "Protests",
            Self::Riots => "Riots",
            Self::StrategicDevelopments => "Strategic developments",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(text.trim()))
    }
}

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// ACLED's 25 sub-event types; each belongs to exactly one event type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SubEventType {
    #[serde(rename = "Armed clash")]
    ArmedClash,
    #[serde(rename = "Government regains territory")]
    GovernmentRegainsTerritory,
    #[serde(rename = "Non-state actor overtakes territory")]
    NonStateActorOvertakesTerritory,
    #[serde(rename = "Chemical weapon")]
    ChemicalWeapon,
    #[serde(rename = "Air/drone strike")]
    AirDroneStrike,
    #[serde(rename = "Suicide bomb")]
    SuicideBomb,
    #[serde(rename = "Shelling/artillery/missile attack")]
    ShellingArtilleryMissileAttack,
    #[serde(rename = "Remote explosive/landmine/IED")]
    RemoteExplosiveLandmineIed,
    Grenade,
    #[serde(rename = "Sexual violence")]
    SexualViolence,
    Attack,
    #[serde(rename = "Abduction/forced disappearance")]
    AbductionForcedDisappearance,
    #[serde(rename = "Peaceful protest")]
    PeacefulProtest,
    #[serde(rename = "Protest with intervention")]
    ProtestWithIntervention,
    #[serde(rename = "Excessive force against protesters")]
    ExcessiveForceAgainstProtesters,
    #[serde(rename = "Violent demonstration")]
    ViolentDemonstration,
    #[serde(rename = "Mob violence")]
    MobViolence,
    Agreement,
    Arrests,
    #[serde(rename = "Change to group/activity")]
    ChangeToGroupActivity,
    #[serde(rename = "Disrupted weapons use")]
    DisruptedWeaponsUse,
    #[serde(rename = "Headquarters or base established")]
    HeadquartersOrBaseEstablished,
    #[serde(rename = "Looting/property destruction")]
    LootingPropertyDestruction,
    #[serde(rename = "Non-violent transfer of territory")]
    NonViolentTransferOfTerritory,
    Other,
}

impl SubEventType {
    pub const ALL: [SubEventType; 25] = [
        Self::ArmedClash,
        Self::GovernmentRegainsTerritory,
        Self::NonStateActorOvertakesTerritory,
        Self::ChemicalWeapon,
        Self::AirDroneStrike,
        Self::SuicideBomb,
        Self::ShellingArtilleryMissileAttack,
        Self::RemoteExplosiveLandmineIed,
        Self::Grenade,
        Self::SexualViolence,
        Self::Attack,
        Self::AbductionForcedDisappearance,
        Self::PeacefulProtest,
        Self::ProtestWithIntervention,
        Self::ExcessiveForceAgainstProtesters,
        Self::ViolentDemonstration,
        Self::MobViolence,
        Self::Agreement,
        Self::Arrests,
        Self::ChangeToGroupActivity,
        Self::DisruptedWeaponsUse,
        Self::HeadquartersOrBaseEstablished,
        Self::LootingPropertyDestruction,
        Self::NonViolentTransferOfTerritory,
        Self::Other,
    ];

    /// The event type this sub-event type belongs to.
    pub fn event_type(self) -> EventType {
        use SubEventType::*;
        match self {
            ArmedClash | GovernmentRegainsTerritory | NonStateActorOvertakesTerritory => {
                EventType::Battles
            }
            ChemicalWeapon
            | AirDroneStrike
            | SuicideBomb
            | ShellingArtilleryMissileAttack
            | RemoteExplosiveLandmineIed
            | Grenade => EventType::ExplosionsRemoteViolence,
            SexualViolence | Attack | AbductionForcedDisappearance => {
                EventType::ViolenceAgainstCivilians
            }
            PeacefulProtest | ProtestWithIntervention | ExcessiveForceAgainstProtesters => {
                EventType::Protests
            }
            ViolentDemonstration | MobViolence => EventType::Riots,
            Agreement
            | Arrests
            | ChangeToGroupActivity
            | DisruptedWeaponsUse
            | HeadquartersOrBaseEstablished
            | LootingPropertyDestruction
            | NonViolentTransferOfTerritory
            | Other => EventType::StrategicDevelopments,
        }
    }

    /// ACLED's spelling.
    pub fn as_str(self) -> &'static str {
        use SubEventType::*;
        match self {
            ArmedClash => "Armed clash",
            GovernmentRegainsTerritory => "Government regains territory",
            NonStateActorOvertakesTerritory => "Non-state actor overtakes territory",
            ChemicalWeapon => "Chemical weapon",
            AirDroneStrike => "Air/drone strike",
            SuicideBomb => "Suicide bomb",
            ShellingArtilleryMissileAttack => "Shelling/artillery/missile attack",
            RemoteExplosiveLandmineIed => "Remote explosive/landmine/IED",
            Grenade => "Grenade",
            SexualViolence => "Sexual violence",
            Attack => "Attack",
            AbductionForcedDisappearance => "Abduction/forced disappearance",
            PeacefulProtest => "Peaceful protest",
            ProtestWithIntervention => "Protest with intervention",
            ExcessiveForceAgainstProtesters => "Excessive force against protesters",
            ViolentDemonstration => "Violent demonstration",
            MobViolence => "Mob violence",
            Agreement => "Agreement",
            Arrests => "Arrests",
            ChangeToGroupActivity => "Change to group/activity",
            DisruptedWeaponsUse => "Disrupted weapons use",
            HeadquartersOrBaseEstablished => "Headquarters or base established",
            LootingPropertyDestruction => "Looting/property destruction",
            NonViolentTransferOfTerritory => "Non-violent transfer of territory",
            Other => "Other",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(text.trim()))
    }
}

impl fmt::Display for SubEventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a store file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: cannot write: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: line {line}, column {column}: {message}")]
    Malformed {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{path}: schema {found:?} is not supported (this build reads {SCHEMA:?})")]
    Schema { path: PathBuf, found: String },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
}

impl Store {
    /// Reads and checks a store file.
    pub fn load(path: &Path) -> Result<Store, StoreError> {
        let bytes =
            crate::files::read_limited(path, crate::files::MAX_DATA_BYTES).map_err(|source| {
                StoreError::Read {
                    path: path.to_owned(),
                    source,
                }
            })?;
        Self::from_json(path, &bytes)
    }

    /// Parses and checks a store document; `path` only names it in errors.
    pub fn from_json(path: &Path, bytes: &[u8]) -> Result<Store, StoreError> {
        let malformed = |e: serde_json::Error| StoreError::Malformed {
            path: path.to_owned(),
            line: e.line(),
            column: e.column(),
            // serde's own text ends with the position, already given above.
            message: {
                let text = e.to_string();
                match text.rfind(" at line ") {
                    Some(at) => text[..at].to_owned(),
                    None => text,
                }
            },
        };
        // JSON is UTF-8; serde would skip over bad bytes in fields it ignores.
        if let Err(e) = std::str::from_utf8(bytes) {
            let at = e.valid_up_to();
            let before = &bytes[..at];
            let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
            let column = at
                - before
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |i| i + 1)
                + 1;
            return Err(StoreError::Malformed {
                path: path.to_owned(),
                line,
                column,
                message: "not UTF-8 text; JSON files must be saved as UTF-8".to_owned(),
            });
        }
        // Look at the schema first, so an old or foreign document gets the right message
        // instead of a complaint about a missing field.
        #[derive(Deserialize)]
        struct Head {
            schema: Option<serde_json::Value>,
        }
        let head: Head = serde_json::from_slice(bytes).map_err(malformed)?;
        match head.schema {
            Some(serde_json::Value::String(s)) if s == SCHEMA => {}
            Some(serde_json::Value::String(found)) => {
                return Err(StoreError::Schema {
                    path: path.to_owned(),
                    found,
                });
            }
            _ => {
                return Err(StoreError::Invalid {
                    path: path.to_owned(),
                    message: format!(
                        "not an incident store: no \"schema\": \"{SCHEMA}\" at the top"
                    ),
                });
            }
        }
        let store: Store = serde_json::from_slice(bytes).map_err(malformed)?;
        store.validate().map_err(|message| StoreError::Invalid {
            path: path.to_owned(),
            message,
        })?;
        Ok(store)
    }

    /// Checks what serde cannot: references, offsets, coordinates, taxonomy.
    pub fn validate(&self) -> Result<(), String> {
        let mut lengths: HashMap<&str, usize> = HashMap::new();
        for article in &self.articles {
            if lengths
                .insert(&article.id, article.text.chars().count())
                .is_some()
            {
                return Err(format!("article id {:?} appears twice", article.id));
            }
        }
        let mut ids = std::collections::HashSet::new();
        for incident in &self.incidents {
            let id = &incident.id;
            if !ids.insert(id.as_str()) {
                return Err(format!("incident id {id:?} appears twice"));
            }
            if incident.sub_event_type.event_type() != incident.event_type {
                return Err(format!(
                    "incident {id:?}: sub-event type {:?} does not belong to event type {:?}",
                    incident.sub_event_type.as_str(),
                    incident.event_type.as_str()
                ));
            }
            let loc = &incident.location;
            if !(-90.0..=90.0).contains(&loc.lat) || !(-180.0..=180.0).contains(&loc.lon) {
                return Err(format!(
                    "incident {id:?}: coordinates {}, {} are outside the globe",
                    loc.lat, loc.lon
                ));
            }
            for source in &incident.sources {
                let Some(&len) = lengths.get(source.article.as_str()) else {
                    return Err(format!(
                        "incident {id:?} cites article {:?}, which is not in the store",
                        source.article
                    ));
                };
                if source.start > source.end || source.end > len {
                    return Err(format!(
                        "incident {id:?}: evidence {}..{} lies outside article {:?} ({len} characters)",
                        source.start, source.end, source.article
                    ));
                }
            }
        }
        Ok(())
    }

    /// Writes the store atomically: the old file stays whole if anything fails.
    pub fn save(&self, path: &Path) -> Result<(), StoreError> {
        save_atomically(path, |w| {
            serde_json::to_writer_pretty(&mut *w, self).map_err(std::io::Error::other)?;
            w.write_all(b"\n")
        })
        .map_err(|source| StoreError::Write {
            path: path.to_owned(),
            source,
        })
    }

    /// One article by id. A scan: to look up many, build [`Store::article_index`] once.
    pub fn article(&self, id: &str) -> Option<&Article> {
        self.articles.iter().find(|a| a.id == id)
    }

    /// The articles by id, for lookups per incident (an imported ACLED file has an article per
    /// row, so a scan per lookup would be quadratic).
    pub fn article_index(&self) -> std::collections::HashMap<&str, &Article> {
        self.articles.iter().map(|a| (a.id.as_str(), a)).collect()
    }
}

/// Converts a byte offset in `text` to a char offset (the store's unit).
pub fn char_offset(text: &str, byte: usize) -> usize {
    let byte = byte.min(text.len());
    let mut boundary = byte;
    while !text.is_char_boundary(boundary) {
        boundary -= 1;
    }
    text[..boundary].chars().count()
}

/// Converts a char offset back to a byte offset, clamped to the text.
pub fn byte_offset(text: &str, chars: usize) -> usize {
    text.char_indices()
        .nth(chars)
        .map_or(text.len(), |(byte, _)| byte)
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn sample() -> Store {
        let text = "Clashes in Hassakeh killed 11. Nothing else happened.".to_owned();
        Store {
            schema: SCHEMA.into(),
            articles: vec![Article {
                id: "a1".into(),
                title: Some("Clashes".into()),
                publisher: None,
                published: Some(jiff::civil::date(2022, 1, 27)),
                url: None,
                text,
            }],
            incidents: vec![Incident {
                id: "a1-1".into(),
                date: Some(jiff::civil::date(2022, 1, 26)),
                date_precision: DatePrecision::Day,
                event_type: EventType::Battles,
                sub_event_type: SubEventType::ArmedClash,
                actors: vec!["Islamic State".into()],
                fatalities: Some(11),
                counts: BTreeMap::from([("wounded".to_owned(), 3)]),
                location: Location {
                    name: "Al-Hasakah".into(),
                    country: Some("SY".into()),
                    admin1: Some("Al-Hasakah".into()),
                    admin2: None,
                    admin3: None,
                    precision: LocationPrecision::Point,
                    lat: 36.5,
                    lon: 40.75,
                    gazetteer_id: Some("geonames:173813".into()),
                    confidence: None,
                },
                sources: vec![Source {
                    article: "a1".into(),
                    start: 0,
                    end: 30,
                }],
                summary: "Armed clash in Al-Hasakah".into(),
                review: Default::default(),
                coded: None,
            }],
        }
    }

    #[test]
    fn round_trips_through_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store.json");
        let store = sample();
        store.save(&path).unwrap();
        assert_eq!(Store::load(&path).unwrap(), store);
    }

    #[test]
    fn writes_the_documented_field_names() {
        let json = serde_json::to_value(sample()).unwrap();
        assert_eq!(json["schema"], "incident-map/1");
        let incident = &json["incidents"][0];
        assert_eq!(incident["date"], "2022-01-26");
        assert_eq!(incident["date_precision"], "day");
        assert_eq!(incident["event_type"], "Battles");
        assert_eq!(incident["sub_event_type"], "Armed clash");
        assert_eq!(incident["location"]["precision"], "point");
        assert_eq!(incident["sources"][0]["end"], 30);
        assert_eq!(json["articles"][0]["published"], "2022-01-27");
        assert!(json["articles"][0]["publisher"].is_null());
    }

    #[test]
    fn malformed_json_names_line_and_column() {
        let err = Store::from_json(
            Path::new("broken.json"),
            b"{\"schema\": \"incident-map/1\",\n \"articles\": [,]}",
        )
        .unwrap_err();
        let message = err.to_string();
        assert!(
            message.starts_with("broken.json: line 2, column"),
            "{message}"
        );
    }

    #[test]
    fn other_schema_versions_are_refused_by_name() {
        let err = Store::from_json(
            Path::new("s.json"),
            br#"{"schema": "incident-map/9", "articles": [], "incidents": []}"#,
        )
        .unwrap_err();
        assert!(matches!(err, StoreError::Schema { ref found, .. } if found == "incident-map/9"));
        let err = Store::from_json(Path::new("s.json"), b"[1, 2]").unwrap_err();
        assert!(err.to_string().contains("line 1"), "{err}");
        let err = Store::from_json(Path::new("s.json"), b"{}").unwrap_err();
        assert!(err.to_string().contains("not an incident store"), "{err}");
    }

    #[test]
    fn deeply_nested_json_is_an_error_not_a_crash() {
        let mut doc = String::from("{\"schema\": \"incident-map/1\", \"x\": ");
        doc.push_str(&"[".repeat(100_000));
        let err = Store::from_json(Path::new("deep.json"), doc.as_bytes()).unwrap_err();
        assert!(err.to_string().starts_with("deep.json: line 1"), "{err}");
    }

    #[test]
    fn evidence_outside_the_article_is_refused() {
        let mut store = sample();
        store.incidents[0].sources[0].end = 10_000;
        let err = store.validate().unwrap_err();
        assert!(err.contains("outside article \"a1\""), "{err}");
        let mut store = sample();
        store.incidents[0].sources[0].article = "missing".into();
        assert!(store.validate().unwrap_err().contains("not in the store"));
        let mut store = sample();
        store.incidents[0].sub_event_type = SubEventType::Arrests;
        assert!(store.validate().unwrap_err().contains("does not belong"));
        let mut store = sample();
        store.incidents[0].location.lat = 123.0;
        assert!(store.validate().unwrap_err().contains("outside the globe"));
    }

    #[test]
    fn an_interrupted_save_leaves_the_old_store_intact() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store.json");
        let old = sample();
        old.save(&path).unwrap();
        // The writer dies after half of the new document went out.
        let result = save_atomically(&path, |w| {
            w.write_all(b"{\"schema\": \"incident-map/1\", \"articles\": [")?;
            serde_json::to_writer(&mut *w, &old.articles[0]).map_err(std::io::Error::other)?;
            Err(std::io::Error::other("process killed"))
        });
        assert!(result.is_err());
        assert_eq!(Store::load(&path).unwrap(), old);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn taxonomy_strings_round_trip() {
        for sub in SubEventType::ALL {
            assert_eq!(SubEventType::parse(sub.as_str()), Some(sub));
            let json = serde_json::to_string(&sub).unwrap();
            assert_eq!(json, format!("\"{}\"", sub.as_str()));
        }
        for t in EventType::ALL {
            assert_eq!(EventType::parse(t.as_str()), Some(t));
            assert_eq!(serde_json::to_string(&t).unwrap(), format!("\"{t}\""));
        }
    }

    #[test]
    fn offsets_convert_between_bytes_and_chars() {
        let text = "Ḩasakah – al-Hol";
        let byte = text.find("al-Hol").unwrap();
        let chars = char_offset(text, byte);
        assert_eq!(chars, 10);
        assert_eq!(byte_offset(text, chars), byte);
        assert_eq!(byte_offset(text, 1_000), text.len());
    }
}
