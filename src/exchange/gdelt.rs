//! GDELT event files: the 2.0 export (61 tab-separated columns, no header), the 1.0 daily
//! files (58 columns) and tables with GDELT's column names (a BigQuery export, with a
//! header). Each event is placed at its action geography (`ActionGeo_*`) and typed from its
//! CAMEO code (table below and in `docs/mappings.md`); events of the cooperative and verbal
//! root codes (01–13, 16) are no security incidents and are skipped, counted by reason.

use std::path::Path;

use super::{ExchangeError, Imported, Row, Table};
use crate::store::{
    Article, Coded, DatePrecision, EventType, Incident, Location, LocationPrecision, Source,
    SubEventType,
};

/// GDELT 2.0's event columns, in order.
pub const COLUMNS_2: [&str; 61] = [
    "GLOBALEVENTID",
    "SQLDATE",
    "MonthYear",
    "Year",
    "FractionDate",
    "Actor1Code",
    "Actor1Name",
    "Actor1CountryCode",
    "Actor1KnownGroupCode",
    "Actor1EthnicCode",
    "Actor1Religion1Code",
    "Actor1Religion2Code",
    "Actor1Type1Code",
    "Actor1Type2Code",
    "Actor1Type3Code",
    "Actor2Code",
    "Actor2Name",
    "Actor2CountryCode",
    "Actor2KnownGroupCode",
    "Actor2EthnicCode",
    "Actor2Religion1Code",
    "Actor2Religion2Code",
    "Actor2Type1Code",
    "Actor2Type2Code",
    "Actor2Type3Code",
    "IsRootEvent",
    "EventCode",
    "EventBaseCode",
    "EventRootCode",
    "QuadClass",
    "GoldsteinScale",
    "NumMentions",
    "NumSources",
    "NumArticles",
    "AvgTone",
    "Actor1Geo_Type",
    "Actor1Geo_FullName",
    "Actor1Geo_CountryCode",
    "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code",
    "Actor1Geo_Lat",
    "Actor1Geo_Long",
    "Actor1Geo_FeatureID",
    "Actor2Geo_Type",
    "Actor2Geo_FullName",
    "Actor2Geo_CountryCode",
    "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code",
    "Actor2Geo_Lat",
    "Actor2Geo_Long",
    "Actor2Geo_FeatureID",
    "ActionGeo_Type",
    "ActionGeo_FullName",
    "ActionGeo_CountryCode",
    "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code",
    "ActionGeo_Lat",
    "ActionGeo_Long",
    "ActionGeo_FeatureID",
    "DATEADDED",
    "SOURCEURL",
];

/// GDELT 1.0's daily files: the same without the three `ADM2Code` columns.
fn columns_1() -> Vec<&'static str> {
    COLUMNS_2
        .iter()
        .copied()
        .filter(|c| !c.ends_with("ADM2Code"))
        .collect()
}

/// The column names of a header-less GDELT file, told by its first line: tab-separated, 61
/// (2.0) or 58 (1.0) fields, a numeric event id and an eight-digit date.
pub(crate) fn headerless_names(bytes: &[u8]) -> Option<&'static [&'static str]> {
    static COLUMNS_1: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    let end = bytes
        .iter()
        .position(|&b| b == b'\n')
        .unwrap_or(bytes.len());
    let line = std::str::from_utf8(&bytes[..end]).ok()?;
    let fields: Vec<&str> = line.trim_end_matches('\r').split('\t').collect();
    let numeric = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !(numeric(fields[0]) && fields.get(1).is_some_and(|d| d.len() == 8 && numeric(d))) {
        return None;
    }
    match fields.len() {
        61 => Some(COLUMNS_2.as_slice()),
        58 => Some(COLUMNS_1.get_or_init(columns_1).as_slice()),
        _ => None,
    }
}

/// Whether a table has GDELT's columns.
pub(crate) fn is_gdelt(table: &Table) -> bool {
    table.has("globaleventid") && table.has("actiongeo_lat")
}

pub(crate) fn read(path: &Path, table: Table) -> Result<Imported, ExchangeError> {
    let layout = if table.headerless {
        "GDELT event export (no header)"
    } else {
        "GDELT events"
    };
    table.read_incidents(
        path,
        layout,
        "a GDELT file",
        &["sqldate", "eventcode", "actiongeo_lat", "actiongeo_long"],
        "GLOBALEVENTID",
        incident,
    )
}

/// A CAMEO event code as an ACLED type and sub-event type, with what the code means; `None`
/// for codes that are not a violent or protest event.
pub fn cameo_types(code: &str) -> Option<(EventType, SubEventType, &'static str)> {
    use EventType::*;
    use SubEventType::*;
    let code = code.trim();
    let root = code.get(..2)?;
    let three = code.get(..3).unwrap_or(root);
    Some(match (root, three, code) {
        ("14", "145", _) => (Riots, ViolentDemonstration, "protest violently, riot"),
        ("14", _, _) => (Protests, PeacefulProtest, "protest"),
        ("15", _, _) => (StrategicDevelopments, Other, "exhibit force posture"),
        ("17", "171", _) => (
            StrategicDevelopments,
            LootingPropertyDestruction,
            "seize or damage property",
        ),
        ("17", "173", _) => (StrategicDevelopments, Arrests, "arrest, detain"),
        ("17", "175", _) => (
            ViolenceAgainstCivilians,
            Attack,
            "use tactics of violent repression",
        ),
        ("17", _, _) => (StrategicDevelopments, Other, "coerce"),
        ("18", "181", _) => (
            ViolenceAgainstCivilians,
            AbductionForcedDisappearance,
            "abduct, hijack, take hostage",
        ),
        ("18", "182", "1821") => (ViolenceAgainstCivilians, SexualViolence, "sexually assault"),
        ("18", "183", "1831") => (ExplosionsRemoteViolence, SuicideBomb, "suicide bombing"),
        ("18", "183", _) => (
            ExplosionsRemoteViolence,
            RemoteExplosiveLandmineIed,
            "car, roadside or other bombing",
        ),
        ("18", _, _) => (ViolenceAgainstCivilians, Attack, "assault"),
        ("19", "192", _) => (Battles, NonStateActorOvertakesTerritory, "occupy territory"),
        ("19", "194", _) => (
            ExplosionsRemoteViolence,
            ShellingArtilleryMissileAttack,
            "fight with artillery and tanks",
        ),
        ("19", "195", _) => (
            ExplosionsRemoteViolence,
            AirDroneStrike,
            "employ aerial weapons",
        ),
        ("19", _, _) => (Battles, ArmedClash, "fight"),
        ("20", "204", _) => (
            ExplosionsRemoteViolence,
            ChemicalWeapon,
            "use weapons of mass destruction",
        ),
        ("20", _, _) => (
            ViolenceAgainstCivilians,
            Attack,
            "unconventional mass violence",
        ),
        _ => return None,
    })
}

fn incident(row: &Row<'_>) -> Result<(Incident, Option<Article>), String> {
    let code = row.get("eventcode");
    let (event_type, sub_event_type, meaning) = cameo_types(code)
        .ok_or_else(|| format!("CAMEO code {code:?} is not a violent or protest event"))?;
    let date = super::parse_date(row.get("sqldate"))?;
    if row.get("actiongeo_lat").is_empty() {
        return Err("no action geography".to_owned());
    }
    let lat = super::generic::coordinate(row.get("actiongeo_lat"), "ActionGeo_Lat", 90.0)?;
    let lon = super::generic::coordinate(row.get("actiongeo_long"), "ActionGeo_Long", 180.0)?;
    let precision = match row.get("actiongeo_type") {
        "1" => LocationPrecision::Country,
        "2" | "5" => LocationPrecision::Admin1,
        _ => LocationPrecision::Point,
    };
    let full_name = row.get("actiongeo_fullname").to_owned();
    let parts: Vec<&str> = full_name.split(',').map(str::trim).collect();
    let country = parts.last().and_then(|c| super::country_code(c));
    let admin1 = (parts.len() >= 2)
        .then(|| parts[parts.len() - 2].to_owned())
        .filter(|a| !a.is_empty() && parts.len() >= 3);
    let actor1 = row.get("actor1name").to_owned();
    let actor2 = row.get("actor2name").to_owned();
    let actors: Vec<String> = super::distinct(
        [actor1.as_str(), actor2.as_str()]
            .into_iter()
            .filter(|a| !a.is_empty()),
    )
    .into_iter()
    .map(str::to_owned)
    .collect();
    let id = format!("gdelt-{}", row.get("globaleventid"));
    let summary = format!(
        "{} — {meaning} (CAMEO {code}){} in {}",
        if actor1.is_empty() {
            "Someone"
        } else {
            &actor1
        },
        if actor2.is_empty() {
            String::new()
        } else {
            format!(" — {actor2}")
        },
        if full_name.is_empty() {
            "an unnamed place"
        } else {
            &full_name
        }
    );
    let url = row.optional("sourceurl");
    let publisher = url.as_deref().and_then(host);
    let article = Article {
        id: format!("gdelt:{id}"),
        title: None,
        publisher,
        published: None,
        url,
        text: summary.clone(),
    };
    let sources = vec![Source {
        article: article.id.clone(),
        start: 0,
        end: article.text.chars().count(),
    }];
    let incident = Incident {
        id,
        date: Some(date),
        date_precision: DatePrecision::Day,
        event_type,
        sub_event_type,
        actors,
        fatalities: None,
        counts: Default::default(),
        location: Location {
            name: parts.first().map_or_else(String::new, |p| (*p).to_owned()),
            country,
            admin1,
            admin2: None,
            admin3: None,
            precision,
            lat,
            lon,
            gazetteer_id: None,
            confidence: None,
        },
        sources,
        summary,
        review: Default::default(),
        coded: Some(Box::new(Coded {
            dataset: "GDELT".to_owned(),
            actor1,
            actor2,
            inferred: vec![format!(
                "{} / {} from CAMEO code {code} ({meaning})",
                event_type.as_str(),
                sub_event_type.as_str()
            )],
            ..Coded::default()
        })),
    };
    Ok((incident, Some(article)))
}

/// A URL's host without `www.`, as the publisher.
fn host(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#', ':']).next()?;
    let host = host.strip_prefix("www.").unwrap_or(host);
    (!host.is_empty()).then(|| host.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cameo_codes_map_onto_acled_types() {
        use EventType::*;
        use SubEventType::*;
        let t = |code| cameo_types(code).map(|(t, s, _)| (t, s));
        assert_eq!(t("190"), Some((Battles, ArmedClash)));
        assert_eq!(t("193"), Some((Battles, ArmedClash)));
        assert_eq!(t("195"), Some((ExplosionsRemoteViolence, AirDroneStrike)));
        assert_eq!(t("1951"), Some((ExplosionsRemoteViolence, AirDroneStrike)));
        assert_eq!(t("1831"), Some((ExplosionsRemoteViolence, SuicideBomb)));
        assert_eq!(
            t("181"),
            Some((ViolenceAgainstCivilians, AbductionForcedDisappearance))
        );
        assert_eq!(t("145"), Some((Riots, ViolentDemonstration)));
        assert_eq!(t("141"), Some((Protests, PeacefulProtest)));
        assert_eq!(t("173"), Some((StrategicDevelopments, Arrests)));
        assert_eq!(t("042"), None);
        assert_eq!(t("1"), None);
        assert_eq!(
            host("https://www.example.org/a/b"),
            Some("example.org".into())
        );
    }
}
