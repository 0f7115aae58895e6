//! GeoJSON (RFC 7946): a FeatureCollection with one Point feature per incident.
//!
//! Every incident field is a property (`location` is the place name; `country`, `admin1`,
//! `location_precision` and `gazetteer_id` sit beside it, the point is the geometry). `sources`
//! is an array of objects holding the evidence span and the article's title, publisher, date
//! and link. The cited articles themselves, texts included, travel in the collection's foreign
//! member `incident_map` (`{"schema": ..., "articles": [...]}`), which RFC 7946 §6.1 allows and
//! GIS tools ignore; so a file we write reads back into an equal store.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{ExchangeError, Exported, Imported, RowPlace, RowProblem};
use crate::store::{
    Article, Coded, DatePrecision, EventType, Incident, Location, LocationPrecision, Review,
    SCHEMA, Source, Store, SubEventType,
};

/// The foreign member holding the cited articles.
const ARTICLES_MEMBER: &str = "incident_map";

pub fn write(store: &Store, indices: &[usize]) -> Exported {
    let articles = store.article_index();
    let features: Vec<FeatureOut<'_>> = indices
        .iter()
        .filter_map(|&i| store.incidents.get(i))
        .map(|incident| feature(incident, &articles))
        .collect();
    let written = features.len();
    let collection = CollectionOut {
        kind: "FeatureCollection",
        carried: Carried {
            schema: SCHEMA,
            articles: super::cited_articles(store, indices),
        },
        features,
    };
    // Serialising plain structs into memory cannot fail.
    let mut bytes = serde_json::to_vec(&collection).unwrap_or_default();
    bytes.push(b'\n');
    Exported {
        bytes,
        written,
        left_out: None,
    }
}

// Typed rather than `serde_json::Value`: about seven times faster on ACLED-sized exports.
#[derive(Serialize)]
struct CollectionOut<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(rename = "incident_map")]
    carried: Carried<'a>,
    features: Vec<FeatureOut<'a>>,
}

#[derive(Serialize)]
struct Carried<'a> {
    schema: &'static str,
    articles: Vec<&'a Article>,
}

#[derive(Serialize)]
struct FeatureOut<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    id: &'a str,
    geometry: PointOut,
    properties: PropertiesOut<'a>,
}

#[derive(Serialize)]
struct PointOut {
    #[serde(rename = "type")]
    kind: &'static str,
    /// Longitude first (RFC 7946 §3.1.1).
    coordinates: [f64; 2],
}

#[derive(Serialize)]
struct PropertiesOut<'a> {
    id: &'a str,
    date: Option<Date>,
    date_precision: DatePrecision,
    event_type: EventType,
    sub_event_type: SubEventType,
    actors: &'a [String],
    fatalities: Option<u32>,
    counts: &'a BTreeMap<String, u32>,
    location: &'a str,
    country: Option<&'a str>,
    admin1: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    admin2: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    admin3: Option<&'a str>,
    location_precision: LocationPrecision,
    gazetteer_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    location_confidence: Option<f32>,
    summary: &'a str,
    sources: Vec<SourceOut<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    coded: Option<&'a Coded>,
    /// machine, edited, reviewed or rejected.
    status: &'static str,
    /// Which fields an analyst changed, what the machine had, why it was rejected.
    #[serde(skip_serializing_if = "Option::is_none")]
    review: Option<&'a Review>,
}

#[derive(Serialize)]
struct SourceOut<'a> {
    article: &'a str,
    start: usize,
    end: usize,
    title: Option<&'a str>,
    publisher: Option<&'a str>,
    published: Option<Date>,
    url: Option<&'a str>,
}

fn feature<'a>(incident: &'a Incident, articles: &HashMap<&str, &'a Article>) -> FeatureOut<'a> {
    let loc = &incident.location;
    let sources = incident
        .sources
        .iter()
        .map(|s| {
            let article = articles.get(s.article.as_str()).copied();
            SourceOut {
                article: &s.article,
                start: s.start,
                end: s.end,
                title: article.and_then(|a| a.title.as_deref()),
                publisher: article.and_then(|a| a.publisher.as_deref()),
                published: article.and_then(|a| a.published),
                url: article.and_then(|a| a.url.as_deref()),
            }
        })
        .collect();
    FeatureOut {
        kind: "Feature",
        id: &incident.id,
        geometry: PointOut {
            kind: "Point",
            coordinates: [loc.lon, loc.lat],
        },
        properties: PropertiesOut {
            id: &incident.id,
            date: incident.date,
            date_precision: incident.date_precision,
            event_type: incident.event_type,
            sub_event_type: incident.sub_event_type,
            actors: &incident.actors,
            fatalities: incident.fatalities,
            counts: &incident.counts,
            location: &loc.name,
            country: loc.country.as_deref(),
            admin1: loc.admin1.as_deref(),
            admin2: loc.admin2.as_deref(),
            admin3: loc.admin3.as_deref(),
            location_precision: loc.precision,
            gazetteer_id: loc.gazetteer_id.as_deref(),
            location_confidence: loc.confidence,
            summary: &incident.summary,
            coded: incident.coded.as_deref(),
            status: incident.review.status().as_str(),
            review: (!incident.review.is_machine()).then_some(&incident.review),
            sources,
        },
    }
}

/// Whether a JSON document is a GeoJSON object rather than an incident store.
pub fn looks_like_geojson(bytes: &[u8]) -> bool {
    #[derive(serde::Deserialize)]
    struct Head {
        #[serde(rename = "type")]
        kind: Option<Value>,
    }
    serde_json::from_slice::<Head>(bytes).is_ok_and(|head| {
        matches!(head.kind, Some(Value::String(ref t)) if t == "FeatureCollection" || t == "Feature")
    })
}

/// Whether a GeoJSON file is one of ours: it carries the articles member, or its first
/// feature has our properties (`event_type` with `sub_event_type`, `location_precision` or
/// `sources`, and not ACLED's `event_date`). Read in one
/// pass that keeps only the first feature's property names.
fn is_ours(bytes: &[u8]) -> bool {
    #[derive(Deserialize)]
    struct Head {
        #[serde(rename = "incident_map")]
        carried: Option<serde::de::IgnoredAny>,
        features: Option<FirstKeys>,
    }
    struct FirstKeys(Vec<String>);
    impl<'de> Deserialize<'de> for FirstKeys {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct Visit;
            impl<'de> serde::de::Visitor<'de> for Visit {
                type Value = FirstKeys;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("an array of features")
                }
                fn visit_seq<A: serde::de::SeqAccess<'de>>(
                    self,
                    mut seq: A,
                ) -> Result<FirstKeys, A::Error> {
                    let mut keys = Vec::new();
                    if let Some(first) = seq.next_element::<Value>()?
                        && let Some(Value::Object(props)) = first.get("properties")
                    {
                        keys = props.keys().cloned().collect();
                    }
                    while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                    Ok(FirstKeys(keys))
                }
            }
            d.deserialize_seq(Visit)
        }
    }
    match serde_json::from_slice::<Head>(bytes) {
        Ok(head) => {
            head.carried.is_some()
                || head.features.is_none_or(|keys| {
                    let has = |k: &str| keys.0.iter().any(|key| key == k);
                    keys.0.is_empty()
                        || (has("event_type")
                            && !has("event_date")
                            && (has("sub_event_type")
                                || has("location_precision")
                                || has("sources")))
                })
        }
        // Broken JSON is reported by the reader of our own, with its line and column.
        Err(_) => true,
    }
}

/// Reads a GeoJSON file: one of ours into the same incidents, any other point GeoJSON (a
/// conflict tracker's, ACLED or UCDP converted by `ogr2ogr`) as a table of its features'
/// properties, read in the layout those name (see [`super::read_table`]).
pub fn read(
    path: &Path,
    bytes: &[u8],
    mapping: &super::Mapping,
) -> Result<Imported, ExchangeError> {
    if !mapping.is_empty() || !is_ours(bytes) {
        return read_foreign(path, bytes, mapping);
    }
    read_ours(path, bytes)
}

/// A foreign GeoJSON's features as a table: every property a column (numbers as written,
/// lists joined by "; "), the Point's coordinates as `latitude` and `longitude`.
fn read_foreign(
    path: &Path,
    bytes: &[u8],
    mapping: &super::Mapping,
) -> Result<Imported, ExchangeError> {
    let malformed = |message: String| ExchangeError::Malformed {
        path: path.to_owned(),
        message,
    };
    #[derive(Deserialize)]
    struct Collection {
        #[serde(rename = "type")]
        kind: Option<String>,
        features: Option<FeatureRows>,
    }
    let doc: Collection = serde_json::from_slice(bytes)
        .map_err(|e| malformed(format!("line {}, column {}: {e}", e.line(), e.column())))?;
    let rows = match doc.kind.as_deref() {
        Some("FeatureCollection") => doc
            .features
            .ok_or_else(|| malformed("a FeatureCollection without a \"features\" array".into()))?,
        _ => return Err(malformed("not a GeoJSON FeatureCollection".into())),
    };
    let FeatureRows {
        names,
        rows,
        problems,
    } = rows;
    let rows: Vec<(RowPlace, ::csv::StringRecord)> = rows
        .into_iter()
        .map(|(n, cells)| {
            let mut record = ::csv::StringRecord::new();
            for i in 0..names.len() {
                let cell = cells
                    .iter()
                    .find(|(k, _)| *k == i)
                    .map_or("", |(_, v)| v.as_str());
                record.push_field(cell);
            }
            (RowPlace::Feature(n), record)
        })
        .collect();
    let table = super::Table::made(names, rows);
    let mut imported = super::read_table(path, table, mapping)?;
    imported.rows += problems.len();
    imported.problems.extend(problems);
    imported.problems.sort_by_key(|p| p.place);
    imported.unit = "features";
    imported.layout = format!("point GeoJSON, {}", imported.layout);
    Ok(imported)
}

/// A foreign collection's features, each as its cells by column number; the columns are the
/// property names in the order first seen.
struct FeatureRows {
    names: Vec<String>,
    rows: Vec<(usize, Vec<(usize, String)>)>,
    problems: Vec<RowProblem>,
}

impl<'de> Deserialize<'de> for FeatureRows {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = FeatureRows;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an array of features")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<FeatureRows, A::Error> {
                let mut out = FeatureRows {
                    names: Vec::new(),
                    rows: Vec::new(),
                    problems: Vec::new(),
                };
                let mut index: HashMap<String, usize> = HashMap::new();
                let mut column = |name: &str, names: &mut Vec<String>| -> usize {
                    let key = super::column_key(name);
                    *index.entry(key).or_insert_with(|| {
                        names.push(name.to_owned());
                        names.len() - 1
                    })
                };
                let mut n = 0;
                while let Some(feature) = seq.next_element::<Value>()? {
                    n += 1;
                    let mut cells = Vec::new();
                    if let Some(Value::Object(props)) = feature.get("properties") {
                        for (key, value) in props {
                            let text = match value {
                                Value::Null => continue,
                                Value::String(s) => s.clone(),
                                Value::Array(list) => list
                                    .iter()
                                    .map(|v| match v {
                                        Value::String(s) => s.clone(),
                                        other => other.to_string(),
                                    })
                                    .collect::<Vec<_>>()
                                    .join("; "),
                                other => other.to_string(),
                            };
                            cells.push((column(key, &mut out.names), text));
                        }
                    }
                    // A feature's own id stands for a missing `id` property.
                    let own_id = match feature.get("id") {
                        Some(Value::String(s)) => Some(s.clone()),
                        Some(Value::Number(n)) => Some(n.to_string()),
                        _ => None,
                    };
                    if let Some(id) = own_id {
                        let id_column = column("id", &mut out.names);
                        if !cells.iter().any(|(i, _)| *i == id_column) {
                            cells.push((id_column, id));
                        }
                    }
                    match feature.get("geometry") {
                        None | Some(Value::Null) => {}
                        Some(_) => match point(&feature) {
                            Ok((lon, lat)) => {
                                let lat_column = column("latitude", &mut out.names);
                                let lon_column = column("longitude", &mut out.names);
                                cells.retain(|(i, _)| *i != lat_column && *i != lon_column);
                                cells.push((lat_column, lat.to_string()));
                                cells.push((lon_column, lon.to_string()));
                            }
                            Err(message) => {
                                out.problems.push(RowProblem {
                                    place: RowPlace::Feature(n),
                                    message,
                                });
                                continue;
                            }
                        },
                    }
                    out.rows.push((n, cells));
                }
                Ok(out)
            }
        }
        deserializer.deserialize_seq(Visit)
    }
}

/// Reads one of our own GeoJSON files.
fn read_ours(path: &Path, bytes: &[u8]) -> Result<Imported, ExchangeError> {
    let malformed = |message: String| ExchangeError::Malformed {
        path: path.to_owned(),
        message,
    };
    let json_error =
        |e: serde_json::Error| malformed(format!("line {}, column {}: {e}", e.line(), e.column()));
    // The collection's members typed, the features read one at a time: each becomes an
    // incident (or a problem) as soon as it is parsed and its JSON tree is dropped, so a large
    // file never holds a tree of every feature at once. Sources are matched with the carried
    // articles afterwards, as the member may come before or after the features.
    #[derive(Deserialize)]
    struct CollectionIn {
        #[serde(rename = "type")]
        kind: Option<String>,
        features: Option<Features>,
        #[serde(rename = "incident_map")]
        carried: Option<CarriedIn>,
    }
    #[derive(Deserialize)]
    struct CarriedIn {
        #[serde(default)]
        articles: Vec<Article>,
    }
    let doc: CollectionIn = serde_json::from_slice(bytes).map_err(json_error)?;
    let features: Vec<Parsed> = match doc.kind.as_deref() {
        Some("FeatureCollection") => {
            doc.features
                .ok_or_else(|| {
                    malformed("a FeatureCollection without a \"features\" array".into())
                })?
                .0
        }
        Some("Feature") => {
            let value: Value = serde_json::from_slice(bytes).map_err(json_error)?;
            vec![parse_feature(&value, 1)]
        }
        _ => return Err(malformed("not a GeoJSON FeatureCollection".into())),
    };
    let mut articles: Vec<Article> = doc.carried.map(|c| c.articles).unwrap_or_default();
    let mut lengths: HashMap<String, usize> = HashMap::new();
    for article in &articles {
        if lengths
            .insert(article.id.clone(), article.text.chars().count())
            .is_some()
        {
            return Err(malformed(format!(
                "\"{ARTICLES_MEMBER}\".articles: article id {:?} appears twice",
                article.id
            )));
        }
    }
    let mut store = Store::default();
    let mut problems = Vec::new();
    let mut ids = HashSet::new();
    for (n, parsed) in features.into_iter().enumerate() {
        let place = RowPlace::Feature(n + 1);
        let incident = parsed.and_then(|(mut incident, sources)| {
            incident.sources = sources
                .into_iter()
                .map(|s| source(s, &mut articles, &mut lengths))
                .collect::<Result<_, _>>()?;
            Ok(incident)
        });
        match incident {
            Ok(incident) if !ids.insert(incident.id.clone()) => problems.push(RowProblem {
                place,
                message: format!("incident id {:?} appears twice", incident.id),
            }),
            Ok(incident) => store.incidents.push(incident),
            Err(message) => problems.push(RowProblem { place, message }),
        }
    }
    // Only the articles some loaded incident cites, in the order the file gave them.
    let cited: HashSet<&str> = store
        .incidents
        .iter()
        .flat_map(|i| i.sources.iter().map(|s| s.article.as_str()))
        .collect();
    store.articles = articles
        .iter()
        .filter(|a| cited.contains(a.id.as_str()))
        .cloned()
        .collect();
    store.validate().map_err(malformed)?;
    let mut imported = Imported::new(store, problems, "GeoJSON");
    imported.unit = "features";
    Ok(imported)
}

/// A feature read on its own: the incident without its sources, and the sources as written.
type Parsed = Result<(Incident, Vec<SourceIn>), String>;

/// The features array, each feature turned into [`Parsed`] as soon as it is read.
struct Features(Vec<Parsed>);

impl<'de> Deserialize<'de> for Features {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Features;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an array of features")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Features, A::Error> {
                let mut parsed = Vec::new();
                while let Some(feature) = seq.next_element::<Value>()? {
                    parsed.push(parse_feature(&feature, parsed.len() + 1));
                }
                Ok(Features(parsed))
            }
        }
        deserializer.deserialize_seq(Visit)
    }
}

/// A source as the file gives it, matched with the articles once all are read.
struct SourceIn {
    article: String,
    start: usize,
    end: usize,
    title: Option<String>,
    publisher: Option<String>,
    published: Option<String>,
    url: Option<String>,
}

/// One feature as an incident (its sources apart, see [`source`]).
fn parse_feature(feature: &Value, number: usize) -> Parsed {
    let field =
        |value: &Value, key: &str| value.get(key).and_then(Value::as_str).map(str::to_owned);
    let offset = |value: &Value, key: &str| {
        value
            .get(key)
            .and_then(Value::as_u64)
            .map_or(0, |n| n as usize)
    };
    let incident = incident(feature, number)?;
    let mut sources = Vec::new();
    if let Some(Value::Object(props)) = feature.get("properties")
        && let Some(Value::Array(list)) = props.get("sources")
    {
        for value in list {
            sources.push(SourceIn {
                article: field(value, "article").ok_or("a source without an \"article\" id")?,
                start: offset(value, "start"),
                end: offset(value, "end"),
                title: field(value, "title"),
                publisher: field(value, "publisher"),
                published: field(value, "published"),
                url: field(value, "url"),
            });
        }
    }
    Ok((incident, sources))
}

/// One feature as an incident, without its sources.
fn incident(feature: &Value, number: usize) -> Result<Incident, String> {
    let empty = Map::new();
    let props = match feature.get("properties") {
        Some(Value::Object(props)) => props,
        Some(Value::Null) | None => &empty,
        Some(_) => return Err("\"properties\" is not an object".to_owned()),
    };
    let text = |key: &str| -> Option<String> {
        match props.get(key) {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        }
    };
    let (lon, lat) = point(feature)?;
    let id = text("id")
        .or_else(|| match feature.get("id") {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        })
        .unwrap_or_else(|| format!("feature-{number}"));
    let date = text("date").map(|d| super::parse_date(&d)).transpose()?;
    let date_precision = match text("date_precision") {
        Some(p) => serde_json::from_value::<DatePrecision>(Value::String(p.to_ascii_lowercase()))
            .map_err(|_| {
            format!("date_precision {p:?} is not day, week, month, year or unknown")
        })?,
        None if date.is_some() => DatePrecision::Day,
        None => DatePrecision::Unknown,
    };
    let type_text = text("event_type").ok_or("no event_type")?;
    let (event_type, implied) = super::parse_event_type(&type_text)
        .ok_or_else(|| format!("unknown event_type {type_text:?}"))?;
    let sub_event_type = match (text("sub_event_type"), implied) {
        (Some(sub), _) => super::closest_sub_event_type(event_type, &sub)?,
        (None, Some(implied)) => implied,
        (None, None) => return Err(format!("no sub_event_type for {type_text:?}")),
    };
    let actors = match props.get("actors") {
        Some(Value::Array(list)) => list
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        Some(Value::String(joined)) => split_list(joined),
        _ => Vec::new(),
    };
    let fatalities = match props.get("fatalities") {
        None | Some(Value::Null) => None,
        Some(value) => Some(
            count(value)
                .ok_or_else(|| format!("fatalities {value} is not a whole number of people"))?,
        ),
    };
    let mut counts = BTreeMap::new();
    if let Some(Value::Object(map)) = props.get("counts") {
        for (key, value) in map {
            let n = count(value).ok_or_else(|| format!("count {key:?} is not a whole number"))?;
            counts.insert(key.clone(), n);
        }
    }
    let precision = match text("location_precision") {
        Some(p) => {
            serde_json::from_value::<LocationPrecision>(Value::String(p.to_ascii_lowercase()))
                .map_err(|_| format!("location_precision {p:?} is not one of ours"))?
        }
        None => LocationPrecision::Point,
    };
    Ok(Incident {
        id,
        date,
        date_precision,
        event_type,
        sub_event_type,
        actors,
        fatalities,
        counts,
        location: Location {
            name: text("location").unwrap_or_default(),
            country: text("country"),
            admin1: text("admin1"),
            admin2: text("admin2"),
            admin3: text("admin3"),
            precision,
            lat,
            lon,
            gazetteer_id: text("gazetteer_id"),
            // Out of 0..1 is not a confidence: left out rather than trusted.
            confidence: props
                .get("location_confidence")
                .and_then(Value::as_f64)
                .filter(|c| (0.0..=1.0).contains(c))
                .map(|c| c as f32),
        },
        sources: Vec::new(),
        summary: text("summary").unwrap_or_default(),
        // An analyst's marks travel with the incident; a malformed one is not trusted.
        review: props
            .get("review")
            .and_then(|v| serde_json::from_value(v.clone()).ok())
            .unwrap_or_default(),
        coded: props
            .get("coded")
            .and_then(|v| serde_json::from_value(v.clone()).ok()),
    })
}

/// The feature's point as (lon, lat), checked to lie on the globe.
fn point(feature: &Value) -> Result<(f64, f64), String> {
    let geometry = feature.get("geometry").ok_or("no geometry")?;
    if geometry.get("type").and_then(Value::as_str) != Some("Point") {
        return Err("the geometry is not a Point".to_owned());
    }
    let coords = geometry
        .get("coordinates")
        .and_then(Value::as_array)
        .ok_or("a Point without coordinates")?;
    let (Some(lon), Some(lat)) = (
        coords.first().and_then(Value::as_f64),
        coords.get(1).and_then(Value::as_f64),
    ) else {
        return Err("the Point's coordinates are not two numbers".to_owned());
    };
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        return Err(format!("coordinates [{lon}, {lat}] are outside the globe"));
    }
    Ok((lon, lat))
}

/// A source matched with the articles. One citing an article the file does not carry gets an
/// article made from the source's own metadata (no text), so the title and link still show.
fn source(
    given: SourceIn,
    articles: &mut Vec<Article>,
    lengths: &mut HashMap<String, usize>,
) -> Result<Source, String> {
    let SourceIn {
        article,
        mut start,
        mut end,
        ..
    } = given;
    match lengths.get(&article) {
        // An article without text (made from a source's metadata) holds no evidence to point at.
        Some(0) => (start, end) = (0, 0),
        Some(&len) => {
            if start > end || end > len {
                return Err(format!(
                    "evidence {start}..{end} lies outside article {article:?} ({len} characters)"
                ));
            }
        }
        None => {
            // Edited in a GIS tool that dropped the foreign member: keep what the source says.
            let published = given.published.map(|d| super::parse_date(&d)).transpose()?;
            articles.push(Article {
                id: article.clone(),
                title: given.title,
                publisher: given.publisher,
                published,
                url: given.url,
                text: String::new(),
            });
            lengths.insert(article.clone(), 0);
            (start, end) = (0, 0);
        }
    }
    Ok(Source {
        article,
        start,
        end,
    })
}

fn count(value: &Value) -> Option<u32> {
    match value {
        Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A list written as one text: "a; b; c".
pub(crate) fn split_list(joined: &str) -> Vec<String> {
    joined
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn bundled() -> Store {
        Store::load(&crate::data_dir().join("incidents.json")).unwrap()
    }

    fn all(store: &Store) -> Vec<usize> {
        (0..store.incidents.len()).collect()
    }

    #[test]
    fn the_bundled_store_reads_back_unchanged() {
        let store = bundled();
        let exported = write(&store, &all(&store));
        assert_eq!(exported.written, store.incidents.len());
        let back = read(Path::new("x.geojson"), &exported.bytes, &Default::default()).unwrap();
        assert!(back.problems.is_empty(), "{:?}", back.problems);
        assert_eq!(back.store.incidents, store.incidents);
        let cited: Vec<Article> = super::super::cited_articles(&store, &all(&store))
            .into_iter()
            .cloned()
            .collect();
        assert_eq!(back.store.articles, cited);
        assert_eq!(back.store.schema, SCHEMA);
    }

    #[test]
    fn features_follow_rfc_7946() {
        let store = bundled();
        let doc: Value = serde_json::from_slice(&write(&store, &[0, 1]).bytes).unwrap();
        assert_eq!(doc["type"], "FeatureCollection");
        let features = doc["features"].as_array().unwrap();
        assert_eq!(features.len(), 2);
        let f = &features[0];
        assert_eq!(f["type"], "Feature");
        assert_eq!(f["geometry"]["type"], "Point");
        // Longitude first.
        let loc = &store.incidents[0].location;
        assert_eq!(f["geometry"]["coordinates"], json!([loc.lon, loc.lat]));
        let props = &f["properties"];
        assert_eq!(props["event_type"], store.incidents[0].event_type.as_str());
        assert_eq!(props["location"], loc.name.as_str());
        let source = &props["sources"][0];
        let article = store
            .article(&store.incidents[0].sources[0].article)
            .unwrap();
        assert_eq!(source["title"], json!(article.title));
        assert_eq!(source["publisher"], json!(article.publisher));
        // Only the cited articles travel along.
        let carried = doc[ARTICLES_MEMBER]["articles"].as_array().unwrap().len();
        assert_eq!(carried, super::super::cited_articles(&store, &[0, 1]).len());
    }

    #[test]
    fn the_articles_may_come_after_the_features() {
        // Features are read one at a time, before the articles are known: sources are still
        // matched with the carried texts when the member comes last.
        let store = bundled();
        let doc: Value = serde_json::from_slice(&write(&store, &all(&store)).bytes).unwrap();
        let text = doc.to_string();
        let (features, member) = (text.find("\"features\""), text.find(ARTICLES_MEMBER));
        assert!(features < member, "features first");
        let back = read(Path::new("x.geojson"), text.as_bytes(), &Default::default()).unwrap();
        assert!(back.problems.is_empty(), "{:?}", back.problems);
        assert_eq!(back.store.incidents, store.incidents);
        assert!(back.store.articles.iter().all(|a| !a.text.is_empty()));
    }

    #[test]
    fn a_file_without_the_articles_keeps_titles_and_links() {
        let store = bundled();
        let mut doc: Value = serde_json::from_slice(&write(&store, &[0]).bytes).unwrap();
        doc.as_object_mut().unwrap().remove(ARTICLES_MEMBER);
        let back = read(
            Path::new("x.geojson"),
            doc.to_string().as_bytes(),
            &Default::default(),
        )
        .unwrap();
        assert!(back.problems.is_empty(), "{:?}", back.problems);
        let original = store
            .article(&store.incidents[0].sources[0].article)
            .unwrap();
        let article = back.store.article(&original.id).unwrap();
        assert_eq!(article.title, original.title);
        assert_eq!(article.url, original.url);
        assert!(article.text.is_empty());
        assert!(back.store.incidents[0].sources.iter().all(|s| s.end == 0));
    }

    #[test]
    fn bad_features_are_reported_by_number_and_the_rest_load() {
        let doc = json!({"type": "FeatureCollection", "features": [
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [40.0, 36.0]},
             "properties": {"id": "ok", "date": "2024-01-21", "event_type": "Battles",
                            "sub_event_type": "Armed clash", "location": "Somewhere"}},
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [40.0, 136.0]},
             "properties": {"event_type": "Battles", "sub_event_type": "Armed clash"}},
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [40.0, 36.0]},
             "properties": {"event_type": "Picnics"}},
            {"type": "Feature", "geometry": null, "properties": {}},
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [40.0, 36.0]},
             "properties": {"date": "soon", "event_type": "Riots", "sub_event_type": "Mob violence"}},
        ]});
        let back = read(
            Path::new("x.geojson"),
            doc.to_string().as_bytes(),
            &Default::default(),
        )
        .unwrap();
        assert_eq!(back.store.incidents.len(), 1);
        let incident = &back.store.incidents[0];
        assert_eq!(incident.sub_event_type, SubEventType::ArmedClash);
        assert_eq!(incident.event_type, EventType::Battles);
        assert_eq!(incident.date_precision, DatePrecision::Day);
        let places: Vec<RowPlace> = back.problems.iter().map(|p| p.place).collect();
        assert_eq!(
            places,
            [2, 3, 4, 5].map(RowPlace::Feature).to_vec(),
            "{:?}",
            back.problems
        );
        assert!(back.problems[0].message.contains("outside the globe"));
        assert!(back.problems[1].message.contains("Picnics"));
        assert!(back.problems[3].message.contains("soon"));
    }

    #[test]
    fn broken_json_names_the_line() {
        let err = read(
            Path::new("x.geojson"),
            b"{\"type\": \"FeatureCollection\",\n ]",
            &Default::default(),
        )
        .unwrap_err();
        assert!(err.to_string().starts_with("x.geojson: line 2"), "{err}");
    }
}
