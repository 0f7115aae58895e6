//! UCDP's Georeferenced Event Dataset (GED) as CSV: one row per event of organised violence
//! with at least one death. Read as first-class incidents:
//!
//! - `type_of_violence` 1 (state-based) and 2 (non-state) → Battles / Armed clash,
//!   3 (one-sided) → Violence against civilians / Attack (each incident notes the mapping);
//! - `date_start`, with `date_prec` 1 → day, 2 → week, 3 → month, 4–5 → year;
//! - `where_prec` 1–2 → point, 3 → admin2, 4 → admin1, 6 → country, 5 and 7 → region;
//! - `best` as the deaths, `deaths_a`, `deaths_b`, `deaths_civilians`, `deaths_unknown`,
//!   `low` and `high` as counts; `side_a` and `side_b` as the two sides;
//! - `where_coordinates` as the place, `adm_1`/`adm_2`, `country`; the source headline and
//!   office as the evidence. See `docs/mappings.md`.

use std::path::Path;

use super::{ExchangeError, Imported, Row, Table};
use crate::store::{
    Article, Coded, DatePrecision, EventType, Incident, Location, LocationPrecision, Source,
    SubEventType,
};

/// Whether a table is UCDP GED.
pub(crate) fn is_ucdp(table: &Table) -> bool {
    table.has("type_of_violence") && table.has("date_start") && table.has("latitude")
}

pub(crate) fn read(path: &Path, table: Table) -> Result<Imported, ExchangeError> {
    table.read_incidents(
        path,
        "UCDP GED CSV",
        "a UCDP GED file",
        &["type_of_violence", "date_start", "latitude", "longitude"],
        "id",
        incident,
    )
}

fn whole(row: &Row<'_>, column: &str) -> Result<Option<u32>, String> {
    match row.get(column) {
        "" => Ok(None),
        n => n
            .parse::<f64>()
            .ok()
            .filter(|f| f.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(f))
            .map(|f| Some(f as u32))
            .ok_or_else(|| format!("{column} {n:?} is not a whole number")),
    }
}

fn incident(row: &Row<'_>) -> Result<(Incident, Option<Article>), String> {
    let violence = row.get("type_of_violence");
    let (event_type, sub_event_type, kind) = match violence.trim_end_matches(".0") {
        "1" => (
            EventType::Battles,
            SubEventType::ArmedClash,
            "state-based conflict",
        ),
        "2" => (
            EventType::Battles,
            SubEventType::ArmedClash,
            "non-state conflict",
        ),
        "3" => (
            EventType::ViolenceAgainstCivilians,
            SubEventType::Attack,
            "one-sided violence",
        ),
        other => return Err(format!("type_of_violence {other:?} is not 1, 2 or 3")),
    };
    // UCDP writes `2015-01-02` or `2015-01-02 00:00:00.000`.
    let date = super::parse_date(row.get("date_start"))?;
    let date_precision = match row.get("date_prec").trim_end_matches(".0") {
        "" | "1" => DatePrecision::Day,
        "2" => DatePrecision::Week,
        "3" => DatePrecision::Month,
        "4" | "5" => DatePrecision::Year,
        other => return Err(format!("date_prec {other:?} is not 1 to 5")),
    };
    let precision = match row.get("where_prec").trim_end_matches(".0") {
        "" | "1" | "2" => LocationPrecision::Point,
        "3" => LocationPrecision::Admin2,
        "4" => LocationPrecision::Admin1,
        "6" => LocationPrecision::Country,
        "5" | "7" => LocationPrecision::Region,
        other => return Err(format!("where_prec {other:?} is not 1 to 7")),
    };
    let lat = super::generic::coordinate(row.get("latitude"), "latitude", 90.0)?;
    let lon = super::generic::coordinate(row.get("longitude"), "longitude", 180.0)?;
    let fatalities = whole(row, "best")?;
    let mut counts = std::collections::BTreeMap::new();
    for column in [
        "deaths_a",
        "deaths_b",
        "deaths_civilians",
        "deaths_unknown",
        "low",
        "high",
    ] {
        if let Some(n) = whole(row, column)?.filter(|&n| n > 0) {
            counts.insert(column.to_owned(), n);
        }
    }
    let side_a = row.get("side_a").to_owned();
    let side_b = row.get("side_b").to_owned();
    let actors: Vec<String> = super::distinct(
        [side_a.as_str(), side_b.as_str()]
            .into_iter()
            .filter(|a| !a.is_empty()),
    )
    .into_iter()
    .map(str::to_owned)
    .collect();
    let id = match row.get("id") {
        "" => format!("ucdp-line-{}", row.line),
        id => format!("ucdp-{}", id.trim_end_matches(".0")),
    };
    let headline = row.get("source_headline");
    let description = row.get("where_description");
    let dyad = row.get("dyad_name");
    let mut summary = String::new();
    for part in [dyad, headline, description] {
        if !part.is_empty() {
            if !summary.is_empty() {
                summary.push_str(". ");
            }
            summary.push_str(part);
        }
    }
    let article = (!summary.is_empty()).then(|| Article {
        id: format!("ucdp:{id}"),
        title: (!headline.is_empty()).then(|| headline.to_owned()),
        publisher: row.optional("source_office"),
        published: super::parse_date(row.get("source_date")).ok(),
        url: None,
        text: summary.clone(),
    });
    let sources = article
        .iter()
        .map(|a| Source {
            article: a.id.clone(),
            start: 0,
            end: a.text.chars().count(),
        })
        .collect();
    let name = row
        .optional("where_coordinates")
        .or_else(|| row.optional("adm_2"))
        .or_else(|| row.optional("adm_1"))
        .unwrap_or_default();
    let incident = Incident {
        id,
        date: Some(date),
        date_precision,
        event_type,
        sub_event_type,
        actors,
        fatalities,
        counts,
        location: Location {
            name,
            country: row
                .optional("country")
                .and_then(|c| super::country_code(&c)),
            admin1: row.optional("adm_1"),
            admin2: row.optional("adm_2"),
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
            dataset: "UCDP GED".to_owned(),
            actor1: side_a,
            actor2: side_b,
            inferred: vec![format!(
                "{} / {} from UCDP type_of_violence {violence} ({kind})",
                event_type.as_str(),
                sub_event_type.as_str()
            )],
            ..Coded::default()
        })),
    };
    Ok((incident, article))
}
