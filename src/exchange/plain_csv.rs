//! A plain CSV for spreadsheets: one row per incident, every incident field in its own column,
//! lists joined by "; " and counts as `wounded=3; captured=2`. Sources are given by their
//! articles' titles, publishers and links; the article texts stay out (use GeoJSON for those).
//!
//! Reading one back restores every incident field; each row's sources become one article
//! holding those titles, publishers and the first link, without text.

use std::collections::BTreeMap;
use std::path::Path;

use super::geojson::split_list;
use super::{ExchangeError, Exported, Imported, Row, Table};
use crate::store::{Article, DatePrecision, Incident, Location, LocationPrecision, Source, Store};

/// The columns written, in order.
pub const COLUMNS: [&str; 22] = [
    "id",
    "date",
    "date_precision",
    "event_type",
    "sub_event_type",
    "actors",
    "fatalities",
    "counts",
    "location",
    "admin1",
    "country",
    "location_precision",
    "latitude",
    "longitude",
    "gazetteer_id",
    "location_confidence",
    "summary",
    "sources",
    "publishers",
    "urls",
    "status",
    "edited",
];

/// Prefix of the ids of articles made from a row's sources.
const ARTICLE_PREFIX: &str = "csv:";

pub fn write(store: &Store, indices: &[usize]) -> Exported {
    let articles = store.article_index();
    let records = indices
        .iter()
        .filter_map(|&i| store.incidents.get(i))
        .map(|incident| {
            let cited: Vec<&Article> =
                super::distinct(incident.sources.iter().map(|s| s.article.as_str()))
                    .into_iter()
                    .filter_map(|id| articles.get(id).copied())
                    .collect();
            let joined = |field: fn(&Article) -> Option<&str>| {
                super::distinct(cited.iter().filter_map(|a| field(a))).join("; ")
            };
            let loc = &incident.location;
            let text = super::spreadsheet_text;
            [
                text(incident.id.clone()),
                incident.date.map(|d| d.to_string()).unwrap_or_default(),
                incident.date_precision.as_str().to_owned(),
                incident.event_type.as_str().to_owned(),
                incident.sub_event_type.as_str().to_owned(),
                text(incident.actors.join("; ")),
                incident
                    .fatalities
                    .map(|n| n.to_string())
                    .unwrap_or_default(),
                incident
                    .counts
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join("; "),
                text(loc.name.clone()),
                text(loc.admin1.clone().unwrap_or_default()),
                text(loc.country.clone().unwrap_or_default()),
                loc.precision.as_str().to_owned(),
                loc.lat.to_string(),
                loc.lon.to_string(),
                text(loc.gazetteer_id.clone().unwrap_or_default()),
                loc.confidence.map(|c| c.to_string()).unwrap_or_default(),
                text(incident.summary.clone()),
                text(joined(|a| a.title.as_deref().or(Some(a.id.as_str())))),
                text(joined(|a| a.publisher.as_deref())),
                text(joined(|a| a.url.as_deref())),
                incident.review.status().as_str().to_owned(),
                incident.review.edited.join("; "),
            ]
        });
    let (bytes, written) = super::csv_bytes(&COLUMNS, records);
    Exported {
        bytes,
        written,
        left_out: None,
    }
}

pub(crate) fn read(path: &Path, table: Table) -> Result<Imported, ExchangeError> {
    table.read_incidents(
        path,
        "incident-map plain CSV",
        "an incident-map CSV",
        &["sub_event_type", "longitude"],
        "incident id",
        incident,
    )
}

fn incident(row: &Row<'_>) -> Result<(Incident, Option<Article>), String> {
    let id = row
        .optional("id")
        .unwrap_or_else(|| format!("csv-line-{}", row.line));
    // Undated incidents are ours to keep: the store allows them.
    let date = row
        .optional("date")
        .map(|d| super::parse_date(&d))
        .transpose()?;
    let date_precision = match row.get("date_precision") {
        "" if date.is_some() => DatePrecision::Day,
        "" => DatePrecision::Unknown,
        p => serde_json::from_value(serde_json::Value::String(p.to_ascii_lowercase())).map_err(
            |_| format!("date_precision {p:?} is not day, week, month, year or unknown"),
        )?,
    };
    let type_text = row.get("event_type");
    let (event_type, implied) = super::parse_event_type(type_text)
        .ok_or_else(|| format!("unknown event_type {type_text:?}"))?;
    let sub_event_type = match (row.get("sub_event_type"), implied) {
        ("", Some(implied)) => implied,
        (sub, _) => super::closest_sub_event_type(event_type, sub)?,
    };
    let number = |column: &str, limit: f64| -> Result<f64, String> {
        let text = row.get(column);
        let value: f64 = text
            .parse()
            .map_err(|_| format!("{column} {text:?} is not a number"))?;
        if !value.is_finite() || value.abs() > limit {
            return Err(format!("{column} {text} is outside -{limit}..{limit}"));
        }
        Ok(value)
    };
    let lat = number("latitude", 90.0)?;
    let lon = number("longitude", 180.0)?;
    let fatalities = match row.get("fatalities") {
        "" => None,
        n => Some(
            n.parse::<u32>()
                .map_err(|_| format!("fatalities {n:?} is not a whole number"))?,
        ),
    };
    let mut counts = BTreeMap::new();
    for pair in split_list(row.get("counts")) {
        let parsed = pair
            .split_once('=')
            .and_then(|(k, v)| Some((k.trim().to_owned(), v.trim().parse::<u32>().ok()?)));
        let Some((key, n)) = parsed else {
            return Err(format!("count {pair:?} is not like \"wounded=3\""));
        };
        counts.insert(key, n);
    }
    let precision = match row.get("location_precision") {
        "" => LocationPrecision::Point,
        p => serde_json::from_value(serde_json::Value::String(p.to_ascii_lowercase()))
            .map_err(|_| format!("location_precision {p:?} is not one of ours"))?,
    };
    let title = row.optional("sources");
    let publisher = row.optional("publishers");
    let url = split_list(row.get("urls")).into_iter().next();
    let article = (title.is_some() || publisher.is_some() || url.is_some()).then(|| Article {
        id: format!("{ARTICLE_PREFIX}{id}"),
        title,
        publisher,
        published: None,
        url,
        text: String::new(),
    });
    let sources = article
        .iter()
        .map(|a| Source {
            article: a.id.clone(),
            start: 0,
            end: 0,
        })
        .collect();
    let incident = Incident {
        id,
        date,
        date_precision,
        event_type,
        sub_event_type,
        actors: split_list(row.get("actors")),
        fatalities,
        counts,
        location: Location {
            name: row.get("location").to_owned(),
            country: row.optional("country"),
            admin1: row.optional("admin1"),
            admin2: None,
            admin3: None,
            precision,
            lat,
            lon,
            gazetteer_id: row.optional("gazetteer_id"),
            confidence: row
                .optional("location_confidence")
                .and_then(|c| c.parse::<f32>().ok())
                .filter(|c| (0.0..=1.0).contains(c)),
        },
        sources,
        summary: row.get("summary").to_owned(),
        review: Default::default(),
        coded: None,
    };
    Ok((incident, article))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exchange::RowPlace;

    fn bundled() -> Store {
        Store::load(&crate::data_dir().join("incidents.json")).unwrap()
    }

    #[test]
    fn round_trip_keeps_every_incident_field_and_the_source_titles() {
        let store = bundled();
        let all: Vec<usize> = (0..store.incidents.len()).collect();
        let exported = write(&store, &all);
        assert_eq!(exported.written, store.incidents.len());
        let back = super::super::import_bytes(Path::new("plain.csv"), &exported.bytes).unwrap();
        assert!(back.problems.is_empty(), "{:?}", back.problems);
        assert_eq!(back.store.incidents.len(), store.incidents.len());
        for (before, after) in store.incidents.iter().zip(&back.store.incidents) {
            // Everything but the evidence spans, which need the article texts.
            let mut expected = before.clone();
            expected.sources = after.sources.clone();
            assert_eq!(after, &expected);
            if before.sources.is_empty() {
                continue;
            }
            let titles: Vec<&str> = super::super::distinct(before.sources.iter().filter_map(|s| {
                let a = store.article(&s.article)?;
                a.title.as_deref().or(Some(a.id.as_str()))
            }));
            let article = back.store.article(&after.sources[0].article).unwrap();
            assert_eq!(article.title.as_deref(), Some(titles.join("; ").as_str()));
        }
        back.store.validate().unwrap();
    }

    #[test]
    fn cells_that_look_like_formulas_are_written_as_text_and_read_back() {
        let mut store = bundled();
        store.incidents[0].summary = "=HYPERLINK(\"http://x.example\",\"open\")".to_owned();
        store.incidents[0].actors = vec!["+Brigade".to_owned()];
        store.incidents[0].location.name = "-Hill 70".to_owned();
        store.incidents[0].location.lon = -3.5;
        let exported = write(&store, &[0]);
        let text = String::from_utf8(exported.bytes.clone()).unwrap();
        assert!(text.contains("\"'=HYPERLINK("), "{text}");
        assert!(text.contains(",'+Brigade,"), "{text}");
        assert!(text.contains(",'-Hill 70,"), "{text}");
        assert!(text.contains(",-3.5,"), "numbers stay numbers: {text}");
        let back = super::super::import_bytes(Path::new("plain.csv"), &exported.bytes).unwrap();
        let incident = &back.store.incidents[0];
        assert_eq!(incident.summary, store.incidents[0].summary);
        assert_eq!(incident.actors, ["+Brigade"]);
        assert_eq!(incident.location.name, "-Hill 70");
        assert_eq!(incident.location.lon, -3.5);
    }

    #[test]
    fn fields_holding_commas_quotes_and_newlines_survive() {
        let mut store = bundled();
        store.incidents[0].summary = "Two \"waves\", then\na third".to_owned();
        store.incidents[0].actors = vec!["A, B and C".to_owned(), "D".to_owned()];
        let exported = write(&store, &[0]);
        let back = super::super::import_bytes(Path::new("plain.csv"), &exported.bytes).unwrap();
        assert_eq!(back.store.incidents[0].summary, store.incidents[0].summary);
        assert_eq!(back.store.incidents[0].actors, store.incidents[0].actors);
    }

    #[test]
    fn bad_counts_and_precisions_are_reported_by_line() {
        let text = "id,date,event_type,sub_event_type,latitude,longitude,counts,date_precision\n\
a,2024-01-01,Battles,Armed clash,1,2,wounded=3,day\n\
b,2024-01-01,Battles,Armed clash,1,2,lots,day\n\
c,2024-01-01,Battles,Armed clash,1,2,,fortnight\n\
d,,Battles,Armed clash,1,2,,\n";
        let back = super::super::import_bytes(Path::new("p.csv"), text.as_bytes()).unwrap();
        let ids: Vec<&str> = back.store.incidents.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["a", "d"]);
        assert_eq!(
            back.store.incidents[1].date_precision,
            DatePrecision::Unknown
        );
        assert_eq!(back.problems[0].place, RowPlace::Line(3));
        assert!(back.problems[0].message.contains("\"lots\""));
        assert_eq!(back.problems[1].place, RowPlace::Line(4));
        assert!(back.problems[1].message.contains("fortnight"));
    }
}
