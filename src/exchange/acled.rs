//! ACLED-format CSV: ACLED's column names and meanings, one row per event.
//!
//! Written: `event_id_cnty, event_date, year, time_precision, event_type, sub_event_type,
//! actor1, assoc_actor_1, actor2, assoc_actor_2, country, admin1, admin2, admin3, location,
//! latitude, longitude, geo_precision, source, notes, fatalities, tags` (`tags` says what an
//! analyst edited, added or reviewed); the sides and their associated actors as the dataset
//! coded them (an incident found in articles has its first two actors as the sides). Dates
//! are ISO; our date and location precisions are folded onto
//! ACLED's 1–3 scales (see [`super::acled_time_precision`], [`super::acled_geo_precision`]);
//! `source` is the cited articles' publishers joined by "; "; `notes` is our summary; an unknown
//! death toll is 0, as ACLED codes it. ACLED needs a date, so undated incidents are left out.
//!
//! Read: ACLED of every release: columns matched by name in any order and case, older names
//! (`ally_actor_1`, `geo_precis`) and old event types (`Riots/Protests`, `Battle-No change of
//! territory`, ...) mapped onto today's (see `taxonomy`), extra columns tolerated; the sides,
//! associated actors, `admin2` and `admin3` kept. ACLED's aggregated weekly files are read too. Each row becomes an incident whose source is
//! an article made from the row: publisher `source`, text `notes`, so the side panel shows the
//! notes as the evidence.

use std::path::Path;

use super::geojson::split_list;
use super::{ExchangeError, Exported, Imported, Row, Table};
use crate::store::{Article, Coded, Incident, Location, Source, Store};

/// The columns written, in ACLED's order.
pub const COLUMNS: [&str; 22] = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "actor2",
    "assoc_actor_2",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
    "tags",
];

/// Prefix of the ids of articles made from ACLED rows.
const ARTICLE_PREFIX: &str = "acled:";

pub fn write(store: &Store, indices: &[usize]) -> Exported {
    let (rows, undated) = rows(store, indices);
    let (bytes, written) = super::csv_bytes(&COLUMNS, &rows);
    Exported {
        bytes,
        written,
        left_out: undated_left_out(undated),
    }
}

/// The incidents at `indices` as rows of [`COLUMNS`], and how many were left out undated.
pub(super) fn rows(store: &Store, indices: &[usize]) -> (Vec<[String; COLUMNS.len()]>, usize) {
    let articles = store.article_index();
    let mut rows = Vec::with_capacity(indices.len());
    let mut undated = 0;
    for incident in indices.iter().filter_map(|&i| store.incidents.get(i)) {
        let Some(date) = incident.date else {
            undated += 1;
            continue;
        };
        let loc = &incident.location;
        let publishers = super::distinct(incident.sources.iter().filter_map(|s| {
            let article = articles.get(s.article.as_str())?;
            article.publisher.as_deref().or(article.title.as_deref())
        }));
        let actor = |n: usize| incident.actors.get(n).map_or("", String::as_str);
        // The sides as the dataset coded them; an incident found in articles (or whose actors
        // an analyst rewrote) has its first two actors as the sides.
        let (actor1, assoc1, actor2, assoc2) = match incident.coded.as_ref() {
            Some(c) if c.has_roles() => (
                c.actor1.clone(),
                c.assoc_actor_1.join("; "),
                c.actor2.clone(),
                c.assoc_actor_2.join("; "),
            ),
            _ => (
                actor(0).to_owned(),
                String::new(),
                actor(1).to_owned(),
                String::new(),
            ),
        };
        let record = [
            incident.id.clone(),
            date.to_string(),
            date.year().to_string(),
            super::acled_time_precision(incident.date_precision).to_string(),
            incident.event_type.as_str().to_owned(),
            incident.sub_event_type.as_str().to_owned(),
            actor1,
            assoc1,
            actor2,
            assoc2,
            loc.country
                .as_deref()
                .map(super::country_name)
                .unwrap_or_default(),
            loc.admin1.clone().unwrap_or_default(),
            loc.admin2.clone().unwrap_or_default(),
            loc.admin3.clone().unwrap_or_default(),
            loc.name.clone(),
            loc.lat.to_string(),
            loc.lon.to_string(),
            super::acled_geo_precision(loc.precision).to_string(),
            publishers.join("; "),
            incident.summary.clone(),
            incident.fatalities.unwrap_or(0).to_string(),
            analyst_tags(&incident.review),
        ];
        rows.push(record);
    }
    (rows, undated)
}

/// What an export says of the undated incidents it could not write.
pub(super) fn undated_left_out(undated: usize) -> Option<String> {
    (undated > 0).then(|| {
        format!(
            "{undated} undated {} left out: ACLED rows need a date",
            if undated == 1 {
                "incident"
            } else {
                "incidents"
            }
        )
    })
}

/// The `tags` cell: what an analyst did to the incident, for readers of the exported file.
fn analyst_tags(review: &crate::store::Review) -> String {
    let mut tags = Vec::new();
    if review.added {
        tags.push("added by analyst".to_owned());
    } else if !review.edited.is_empty() {
        tags.push(format!("edited by analyst: {}", review.edited.join(", ")));
    }
    if review.reviewed {
        tags.push("reviewed by analyst".to_owned());
    }
    if review.rejected.is_some() {
        tags.push("rejected by analyst".to_owned());
    }
    tags.join("; ")
}

/// Older spellings of ACLED's columns: the releases before 2019 called associated actors
/// "allies" and shortened `geo_precision`.
const ALIASES: &[(&str, &str)] = &[
    ("ally_actor_1", "assoc_actor_1"),
    ("ally_actor_2", "assoc_actor_2"),
    ("geo_precis", "geo_precision"),
    ("event_id", "event_id_cnty"),
];

/// Whether a table is ACLED's (of any release).
pub(crate) fn is_acled(table: &Table) -> bool {
    table.has("event_date") && table.has("event_type")
}

/// Whether a table is one of ACLED's aggregated files (events per week and region).
pub(crate) fn is_aggregated(table: &Table) -> bool {
    table.has("week") && table.has("event_type") && table.has("centroid_latitude")
}

pub(crate) fn read(path: &Path, mut table: Table) -> Result<Imported, ExchangeError> {
    let old = table.has("ally_actor_1") || table.has("gwno") || !table.has("sub_event_type");
    table.alias(ALIASES);
    let layout = if old {
        "ACLED CSV (a release before 2019)"
    } else {
        "ACLED CSV"
    };
    table.read_incidents(
        path,
        layout,
        "an ACLED file",
        &["event_type", "latitude", "longitude"],
        "event_id_cnty",
        incident,
    )
}

/// An ACLED aggregated file: each row the events of one type in one region over one week,
/// placed at the region's centroid, with the number of events as the count `events`.
pub(crate) fn read_aggregated(path: &Path, table: Table) -> Result<Imported, ExchangeError> {
    table.read_incidents(
        path,
        "ACLED aggregated CSV (events per week and region)",
        "an ACLED aggregated file",
        &[
            "week",
            "event_type",
            "centroid_latitude",
            "centroid_longitude",
        ],
        "id",
        |row| {
            let date = super::parse_date(row.get("week"))?;
            let typed =
                super::taxonomy::acled_types(row.get("event_type"), row.get("sub_event_type"), "")?;
            let lat = coordinate(row.get("centroid_latitude"), "centroid_latitude", 90.0)?;
            let lon = coordinate(row.get("centroid_longitude"), "centroid_longitude", 180.0)?;
            let events = match row.get("events") {
                "" => None,
                n => Some(
                    n.parse::<u32>()
                        .map_err(|_| format!("events {n:?} is not a whole number"))?,
                ),
            };
            let fatalities = whole(row.get("fatalities"), "fatalities")?;
            let admin1 = row.optional("admin1");
            let country = row.optional("country");
            let id = format!(
                "acled-week-{}-{}-{}-{}",
                date,
                row.optional("id").unwrap_or_else(|| row.line.to_string()),
                typed.event_type.as_str(),
                typed.sub_event_type.as_str()
            );
            let summary = format!(
                "{} {} ({}) in {} in the week of {date}",
                events.map_or_else(|| "Some".to_owned(), |n| n.to_string()),
                typed.sub_event_type.as_str().to_lowercase(),
                typed.event_type.as_str(),
                admin1
                    .as_deref()
                    .or(country.as_deref())
                    .unwrap_or("the region")
            );
            let incident = Incident {
                id,
                date: Some(date),
                date_precision: crate::store::DatePrecision::Week,
                event_type: typed.event_type,
                sub_event_type: typed.sub_event_type,
                actors: Vec::new(),
                fatalities,
                counts: events
                    .map(|n| ("events".to_owned(), n))
                    .into_iter()
                    .collect(),
                location: Location {
                    name: admin1.clone().or(country.clone()).unwrap_or_default(),
                    country: country.as_deref().and_then(super::country_code),
                    admin1,
                    admin2: None,
                    admin3: None,
                    precision: crate::store::LocationPrecision::Admin1,
                    lat,
                    lon,
                    gazetteer_id: None,
                    confidence: None,
                },
                sources: Vec::new(),
                summary,
                review: Default::default(),
                coded: Some(Box::new(Coded {
                    dataset: "ACLED".to_owned(),
                    inferred: typed.inferred.into_iter().collect(),
                    ..Coded::default()
                })),
            };
            Ok((incident, None))
        },
    )
}

/// A whole number of people, or `None` for an empty cell.
fn whole(text: &str, name: &str) -> Result<Option<u32>, String> {
    match text {
        "" => Ok(None),
        n => n
            .parse::<u32>()
            .or_else(|_| {
                // Spreadsheets and GDAL write whole numbers as "3.0".
                n.parse::<f64>()
                    .ok()
                    .filter(|f| f.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(f))
                    .map(|f| f as u32)
                    .ok_or(())
            })
            .map(Some)
            .map_err(|_| format!("{name} {n:?} is not a whole number")),
    }
}

/// A precision code (`1`, `2`, `3`, or `1.0` as a spreadsheet writes it).
fn code(text: &str) -> Option<u8> {
    text.parse::<u8>()
        .ok()
        .or_else(|| text.strip_suffix(".0").and_then(|t| t.parse().ok()))
}

/// One ACLED row as an incident, with the article made from its source and notes.
fn incident(row: &Row<'_>) -> Result<(Incident, Option<Article>), String> {
    let date = super::parse_date(row.get("event_date"))?;
    let date_precision = match row.get("time_precision") {
        "" => crate::store::DatePrecision::Day,
        text => code(text)
            .and_then(super::date_precision_from_acled)
            .ok_or_else(|| format!("time_precision {text:?} is not 1, 2 or 3"))?,
    };
    let notes = row.get("notes").to_owned();
    let typed =
        super::taxonomy::acled_types(row.get("event_type"), row.get("sub_event_type"), &notes)?;
    let lat = coordinate(row.get("latitude"), "latitude", 90.0)?;
    let lon = coordinate(row.get("longitude"), "longitude", 180.0)?;
    let precision = match row.get("geo_precision") {
        "" => crate::store::LocationPrecision::Point,
        text => code(text)
            .and_then(super::location_precision_from_acled)
            .ok_or_else(|| format!("geo_precision {text:?} is not 1, 2 or 3"))?,
    };
    let fatalities = whole(row.get("fatalities"), "fatalities")?;
    let actor1 = row.get("actor1").to_owned();
    let actor2 = row.get("actor2").to_owned();
    let assoc_actor_1 = split_list(row.get("assoc_actor_1"));
    let assoc_actor_2 = split_list(row.get("assoc_actor_2"));
    let mut actors: Vec<String> = Vec::new();
    // Looked up in a set: a hostile row may list hundreds of thousands of actors.
    let mut seen = std::collections::HashSet::new();
    let sides = [actor1.clone(), actor2.clone()];
    for actor in sides
        .iter()
        .filter(|a| !a.is_empty())
        .chain(&assoc_actor_1)
        .chain(&assoc_actor_2)
    {
        if seen.insert(actor.clone()) {
            actors.push(actor.clone());
        }
    }
    let country = row
        .optional("country")
        .and_then(|name| super::country_code(&name))
        .or_else(|| super::country_code_from_numeric(row.get("iso")));
    let id = row
        .optional("event_id_cnty")
        .unwrap_or_else(|| format!("acled-line-{}", row.line));
    let publisher = row.optional("source");
    let article = (publisher.is_some() || !notes.is_empty()).then(|| Article {
        id: format!("{ARTICLE_PREFIX}{id}"),
        title: None,
        publisher,
        published: None,
        url: None,
        text: notes.clone(),
    });
    let sources = article
        .iter()
        .map(|a| Source {
            article: a.id.clone(),
            start: 0,
            end: a.text.chars().count(),
        })
        .collect();
    let incident = Incident {
        id,
        date: Some(date),
        date_precision,
        event_type: typed.event_type,
        sub_event_type: typed.sub_event_type,
        actors,
        fatalities,
        counts: Default::default(),
        location: Location {
            name: row.get("location").to_owned(),
            country,
            admin1: row.optional("admin1"),
            admin2: row.optional("admin2"),
            admin3: row.optional("admin3"),
            precision,
            lat,
            lon,
            gazetteer_id: None,
            confidence: None,
        },
        sources,
        summary: notes,
        review: Default::default(),
        coded: Some(Box::new(Coded {
            dataset: "ACLED".to_owned(),
            actor1,
            assoc_actor_1,
            actor2,
            assoc_actor_2,
            inferred: typed.inferred.into_iter().collect(),
        })),
    };
    Ok((incident, article))
}

fn coordinate(text: &str, name: &str, limit: f64) -> Result<f64, String> {
    let value: f64 = text
        .parse()
        .map_err(|_| format!("{name} {text:?} is not a number"))?;
    if !value.is_finite() || value.abs() > limit {
        return Err(format!("{name} {text} is outside -{limit}..{limit}"));
    }
    Ok(value)
}

/// A synthetic ACLED export of `rows` rows with every column a real one has (31), quoted notes
/// holding commas, quotes and newlines, and a quarter of the dates spelt "21 January 2024": for
/// benchmarks and tests at ACLED's scale. Deterministic for the same `rows`.
pub fn synthetic(rows: usize) -> String {
    use crate::store::SubEventType;
    const HEADER: &str = "event_id_cnty,event_id_no_cnty,event_date,year,time_precision,\
disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,\
interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,\
longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp";
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    const PLACES: [(&str, &str, &str, u16, &str, f64, f64); 4] = [
        (
            "Syria",
            "Al-Hasakah",
            "Al-Hasakah",
            760,
            "Hasakah",
            36.5,
            40.75,
        ),
        (
            "Syria",
            "Deir ez Zor",
            "Deir ez Zor",
            760,
            "Al Mayadin",
            35.02,
            40.45,
        ),
        ("Iraq", "Diyala", "Baquba", 368, "Baqubah", 33.75, 44.64),
        ("Iraq", "Ninewa", "Mosul", 368, "Mosul", 36.34, 43.13),
    ];
    const ACTORS: [&str; 5] = [
        "Islamic State (Iraq and Syria)",
        "Military Forces of Iraq (2022-)",
        "SDF: Syrian Democratic Forces",
        "Civilians (Syria)",
        "Unidentified Armed Group (Iraq)",
    ];
    let mut out = String::with_capacity(rows * 420);
    out.push_str(HEADER);
    out.push('\n');
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for n in 0..rows {
        let r = next();
        let sub = SubEventType::ALL[(r % 25) as usize];
        let (country, admin1, admin2, iso, town, lat, lon) = PLACES[(r >> 8) as usize % 4];
        let year = 2017 + (r >> 12) % 8;
        let month = (r >> 16) % 12;
        let day = 1 + (r >> 20) % 28;
        let date = if n % 4 == 0 {
            format!("{day} {} {year}", MONTHS[month as usize])
        } else {
            format!("{year}-{:02}-{day:02}", month + 1)
        };
        let jitter = |shift: u64| ((r >> shift) % 2000) as f64 / 10_000.0 - 0.1;
        let fatalities = (r >> 40) % 12;
        let actor1 = ACTORS[(r >> 24) as usize % 5];
        let actor2 = ACTORS[(r >> 28) as usize % 5];
        out.push_str(&format!(
            "{code}{n},{n},{date},{year},{tp},Political violence,{etype},{sub},{actor1},,2,\
{actor2},,7,27,,{iso},Middle East,{country},{admin1},{admin2},,{town},{lat:.4},{lon:.4},{gp},\
\"Shafaq News; Rudaw\",National,\"On {date}, {actor1} and {actor2} clashed near {town}, \
\"\"heavy\"\" fighting reported.\n{fatalities} killed.\",{fatalities},,{stamp}\n",
            code = if iso == 760 { "SYR" } else { "IRQ" },
            tp = 1 + (r >> 32) % 3,
            etype = sub.event_type().as_str(),
            sub = sub.as_str(),
            lat = lat + jitter(44),
            lon = lon + jitter(52),
            gp = 1 + (r >> 36) % 3,
            stamp = 1_600_000_000 + n,
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{DatePrecision, EventType, LocationPrecision, SubEventType};

    fn bundled() -> Store {
        Store::load(&crate::data_dir().join("incidents.json")).unwrap()
    }

    fn import(text: &str) -> Imported {
        super::super::import_bytes(Path::new("acled.csv"), text.as_bytes()).unwrap()
    }

    #[test]
    fn writes_acled_columns_and_leaves_out_undated_incidents() {
        let store = bundled();
        let all: Vec<usize> = (0..store.incidents.len()).collect();
        let exported = write(&store, &all);
        let dated = store.incidents.iter().filter(|i| i.date.is_some()).count();
        assert_eq!(exported.written, dated);
        let undated = store.incidents.len() - dated;
        if undated > 0 {
            let note = exported.left_out.unwrap();
            assert!(note.starts_with(&format!("{undated} undated")), "{note}");
        }
        let text = String::from_utf8(exported.bytes).unwrap();
        assert_eq!(text.lines().next().unwrap(), COLUMNS.join(","));
        let mut reader = ::csv::Reader::from_reader(text.as_bytes());
        let first = reader.records().next().unwrap().unwrap();
        let incident = store.incidents.iter().find(|i| i.date.is_some()).unwrap();
        assert_eq!(&first[0], incident.id);
        assert_eq!(&first[1], incident.date.unwrap().to_string());
        assert_eq!(&first[2], incident.date.unwrap().year().to_string());
        assert_eq!(&first[10], "Syria");
    }

    #[test]
    fn round_trip_keeps_what_acled_can_hold() {
        let store = bundled();
        let all: Vec<usize> = (0..store.incidents.len()).collect();
        let back = import(&String::from_utf8(write(&store, &all).bytes).unwrap());
        assert!(back.problems.is_empty(), "{:?}", back.problems);
        let dated: Vec<&Incident> = store
            .incidents
            .iter()
            .filter(|i| i.date.is_some())
            .collect();
        assert_eq!(back.store.incidents.len(), dated.len());
        for (before, after) in dated.iter().zip(&back.store.incidents) {
            assert_eq!(after.id, before.id);
            assert_eq!(after.date, before.date);
            let folded = super::super::acled_time_precision(before.date_precision);
            assert_eq!(
                super::super::acled_time_precision(after.date_precision),
                folded
            );
            assert_eq!(after.event_type, before.event_type);
            assert_eq!(after.sub_event_type, before.sub_event_type);
            let first_two: Vec<String> = before.actors.iter().take(2).cloned().collect();
            assert_eq!(after.actors, first_two);
            assert_eq!(after.fatalities, Some(before.fatalities.unwrap_or(0)));
            assert_eq!(after.location.name, before.location.name);
            assert_eq!(after.location.country, before.location.country);
            assert_eq!(after.location.admin1, before.location.admin1);
            assert_eq!(after.location.lat, before.location.lat);
            assert_eq!(after.location.lon, before.location.lon);
            assert_eq!(
                super::super::acled_geo_precision(after.location.precision),
                super::super::acled_geo_precision(before.location.precision)
            );
            assert_eq!(after.summary, before.summary);
            // The publishers survive as the row's source.
            let publishers: Vec<&str> =
                super::super::distinct(before.sources.iter().filter_map(|s| {
                    let a = store.article(&s.article)?;
                    a.publisher.as_deref().or(a.title.as_deref())
                }));
            let article = back.store.article(&after.sources[0].article).unwrap();
            assert_eq!(
                article.publisher.as_deref(),
                Some(publishers.join("; ").as_str())
            );
        }
        back.store.validate().unwrap();
    }

    #[test]
    fn a_real_acled_layout_reads_with_extra_columns_any_order_bom_and_quotes() {
        let text = "\u{feff}event_id_cnty,event_id_no_cnty,event_date,year,time_precision,disorder_type,\
event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,\
civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,longitude,\
geo_precision,source,source_scale,notes,fatalities,tags,timestamp\n\
SYR123,123,21 January 2024,2024,2,Political violence,Explosions/Remote violence,\
Air/drone strike,Military Forces of Russia (2000-),Military Forces of Syria (2000-),8,\
Civilians (Syria),,7,78,Civilian targeting,760,Middle East,Syria,Idleb,Ariha,Ariha,\
Ariha,35.8129,36.6097,1,\"SOHR; Syrian Civil Defense\",National,\"On 21 January 2024, \
Russian aircraft struck Ariha, killing 2 civilians.\nA second raid followed.\",2,,1706000000\n";
        let back = import(text);
        assert!(back.problems.is_empty(), "{:?}", back.problems);
        let incident = &back.store.incidents[0];
        assert_eq!(incident.id, "SYR123");
        assert_eq!(incident.date, Some(jiff::civil::date(2024, 1, 21)));
        assert_eq!(incident.date_precision, DatePrecision::Week);
        assert_eq!(incident.event_type, EventType::ExplosionsRemoteViolence);
        assert_eq!(incident.sub_event_type, SubEventType::AirDroneStrike);
        assert_eq!(
            incident.actors,
            [
                "Military Forces of Russia (2000-)",
                "Civilians (Syria)",
                "Military Forces of Syria (2000-)"
            ]
        );
        assert_eq!(incident.location.country.as_deref(), Some("SY"));
        assert_eq!(incident.location.precision, LocationPrecision::Point);
        assert_eq!(
            (incident.location.lat, incident.location.lon),
            (35.8129, 36.6097)
        );
        assert_eq!(incident.fatalities, Some(2));
        assert!(incident.summary.contains("\nA second raid followed."));
        let article = back.store.article(&incident.sources[0].article).unwrap();
        assert_eq!(
            article.publisher.as_deref(),
            Some("SOHR; Syrian Civil Defense")
        );
        assert_eq!(article.text, incident.summary);
        back.store.validate().unwrap();
    }

    #[test]
    fn a_row_listing_tens_of_thousands_of_actors_keeps_each_once_in_order() {
        let names: Vec<String> = (0..40_000).map(|i| format!("Group {i}")).collect();
        // Every name twice: once in the list, once more as the second actor.
        let list = names.join("; ");
        let text = format!(
            "event_id_cnty,event_date,event_type,sub_event_type,actor1,assoc_actor_1,actor2,\
latitude,longitude\nX1,2024-01-01,Battles,Armed clash,Group 0,\"{list}\",Group 39999,33.3,44.4\n"
        );
        let back = import(&text);
        assert!(back.problems.is_empty(), "{:?}", back.problems);
        let actors = &back.store.incidents[0].actors;
        assert_eq!(actors.len(), names.len());
        assert_eq!(actors[0], "Group 0");
        assert_eq!(actors[1], "Group 39999", "actor2 comes second");
        assert_eq!(actors[2], "Group 1");
    }

    #[test]
    fn a_synthetic_export_at_scale_loads_every_row() {
        let text = synthetic(2_000);
        let back = import(&text);
        assert!(
            back.problems.is_empty(),
            "{:?}",
            &back.problems[..3.min(back.problems.len())]
        );
        assert_eq!(back.store.incidents.len(), 2_000);
        assert_eq!(back.store.articles.len(), 2_000);
        assert!(
            back.store
                .incidents
                .iter()
                .any(|i| i.summary.contains("\"heavy\" fighting"))
        );
        back.store.validate().unwrap();
    }

    #[test]
    fn a_malformed_file_reports_lines_and_loads_the_good_rows() {
        let text = "event_date,event_type,sub_event_type,latitude,longitude,location,notes\n\
2024-01-01,Battles,Armed clash,36.1,40.2,Good one,fine\n\
2024-01-02,Battles,Armed clash,36.1\n\
soon,Battles,Armed clash,36.1,40.2,Bad date,x\n\
2024-01-03,Battles,Armed clash,north,40.2,Bad latitude,x\n\
2024-01-04,Battles,Armed clash,95,40.2,Off the globe,x\n\
2024-01-05,Picnic,Armed clash,36.1,40.2,Unknown type,x\n\
,Battles,Armed clash,36.1,40.2,Undated,x\n\
2024-01-06,Riots,Mob violence,36.1,40.2,Quoted,\"over\ntwo lines, with a comma\"\n\
2024-01-07,Protests,Parade,36.1,40.2,Unknown sub-event,x\n\
2024-01-08,Battles,armed clashes,36.1,40.2,Close enough,x\n";
        let back = import(text);
        let names: Vec<&str> = back
            .store
            .incidents
            .iter()
            .map(|i| i.location.name.as_str())
            .collect();
        assert_eq!(names, ["Good one", "Quoted", "Close enough"]);
        let lines: Vec<String> = back.problems.iter().map(|p| p.place.to_string()).collect();
        assert_eq!(
            lines,
            [
                "line 3", "line 4", "line 5", "line 6", "line 7", "line 8", "line 11"
            ],
            "{:?}",
            back.problems
        );
        let messages: Vec<&str> = back.problems.iter().map(|p| p.message.as_str()).collect();
        assert!(
            messages[0].contains("4 fields where the header has 7"),
            "{messages:?}"
        );
        assert!(messages[1].contains("\"soon\""), "{messages:?}");
        assert!(messages[2].contains("latitude \"north\""), "{messages:?}");
        assert!(messages[3].contains("latitude 95"), "{messages:?}");
        assert!(messages[4].contains("Picnic"), "{messages:?}");
        assert!(messages[5].contains("no date"), "{messages:?}");
        // The quoted notes span lines 9 and 10: the next row starts on line 11.
        assert!(messages[6].contains("Parade"), "{messages:?}");
        let summary = back.problem_summary(Path::new("acled.csv")).unwrap();
        assert!(
            summary.starts_with("acled.csv: skipped 7 rows that could not be read: line 3:"),
            "{summary}"
        );
        assert!(summary.ends_with(" and 4 more"), "{summary}");
    }
}
