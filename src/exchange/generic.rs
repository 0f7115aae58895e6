//! Any table of events (a CSV, a point GeoJSON's properties, a spreadsheet) that is not in one
//! of the datasets' own layouts: the fields are found under common names (`date`,
//! `event_date`, `datetime`, `type`, `category`, `description`, `title`, `notes`,
//! `fatalities`, `deaths`, ...) or named by hand (`--map date=when,type=category`). A free
//! category becomes an ACLED type by key words (see `taxonomy::category_types`); a row whose
//! category matches none is skipped and counted. When a required field is not found the import
//! says which, lists the file's columns and shows the `--map` that would name it.

use std::fmt;
use std::path::Path;

use super::{ExchangeError, Imported, Row, Table};
use crate::store::{Article, Coded, DatePrecision, Incident, Location, LocationPrecision, Source};

/// A field of an incident that a column can be mapped to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Date,
    Type,
    SubType,
    Description,
    Fatalities,
    Latitude,
    Longitude,
    Location,
    Actors,
    Id,
    Country,
    Admin1,
    Source,
}

impl Field {
    pub const ALL: [Field; 13] = [
        Field::Date,
        Field::Type,
        Field::SubType,
        Field::Description,
        Field::Fatalities,
        Field::Latitude,
        Field::Longitude,
        Field::Location,
        Field::Actors,
        Field::Id,
        Field::Country,
        Field::Admin1,
        Field::Source,
    ];

    /// The name in `--map` and in messages.
    pub fn name(self) -> &'static str {
        match self {
            Field::Date => "date",
            Field::Type => "type",
            Field::SubType => "sub_type",
            Field::Description => "description",
            Field::Fatalities => "fatalities",
            Field::Latitude => "lat",
            Field::Longitude => "lon",
            Field::Location => "location",
            Field::Actors => "actors",
            Field::Id => "id",
            Field::Country => "country",
            Field::Admin1 => "admin1",
            Field::Source => "source",
        }
    }

    /// What it is, in messages.
    pub fn meaning(self) -> &'static str {
        match self {
            Field::Date => "the event's date",
            Field::Type => "the event's type or category",
            Field::SubType => "the sub-event type",
            Field::Description => "a description",
            Field::Fatalities => "the deaths",
            Field::Latitude => "the latitude",
            Field::Longitude => "the longitude",
            Field::Location => "the place name",
            Field::Actors => "the actors",
            Field::Id => "an id",
            Field::Country => "the country",
            Field::Admin1 => "the province",
            Field::Source => "the source",
        }
    }

    /// Column names that usually hold it (as [`super::column_key`] writes them), best first.
    pub fn guesses(self) -> &'static [&'static str] {
        match self {
            Field::Date => &[
                "event_date",
                "date",
                "datetime",
                "date_time",
                "event_time",
                "timestamp",
                "time",
                "when",
                "day",
                "date_start",
                "start_date",
                "occurred",
                "occurred_at",
                "created_at",
            ],
            Field::Type => &[
                "event_type",
                "type",
                "category",
                "incident_type",
                "event_category",
                "kind",
                "class",
            ],
            Field::SubType => &["sub_event_type", "subtype", "sub_type", "subcategory"],
            Field::Description => &[
                "description",
                "notes",
                "summary",
                "title",
                "text",
                "details",
                "headline",
                "comment",
            ],
            Field::Fatalities => &[
                "fatalities",
                "deaths",
                "killed",
                "dead",
                "death_toll",
                "casualties",
            ],
            Field::Latitude => &["latitude", "lat", "y"],
            Field::Longitude => &["longitude", "lon", "lng", "long", "x"],
            Field::Location => &[
                "location",
                "place",
                "place_name",
                "city",
                "town",
                "locality",
                "village",
                "address",
            ],
            Field::Actors => &[
                "actors",
                "actor",
                "actor1",
                "perpetrator",
                "group",
                "groups",
            ],
            Field::Id => &["id", "event_id", "uid", "uuid", "fid"],
            Field::Country => &["country", "country_name", "iso", "iso2"],
            Field::Admin1 => &["admin1", "province", "governorate", "region", "state"],
            Field::Source => &["source", "sources", "publisher", "url", "link"],
        }
    }

    fn parse(name: &str) -> Option<Field> {
        let key = super::column_key(name);
        let key = match key.as_str() {
            "latitude" => "lat",
            "longitude" | "lng" => "lon",
            "category" | "event_type" => "type",
            "sub_event_type" | "subtype" => "sub_type",
            "notes" | "summary" | "title" => "description",
            "deaths" => "fatalities",
            other => other,
        };
        Field::ALL.into_iter().find(|f| f.name() == key)
    }

    /// Fields an incident cannot be made without.
    const REQUIRED: [Field; 4] = [Field::Date, Field::Type, Field::Latitude, Field::Longitude];
}

/// Columns named by hand for fields whose names are not guessed (`date=when,type=category`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mapping {
    pub fields: Vec<(Field, String)>,
}

impl Mapping {
    /// Parses `field=column,field=column`; an unknown field is refused with the list.
    pub fn parse(text: &str) -> Result<Mapping, String> {
        let mut fields = Vec::new();
        for pair in text.split(',').filter(|p| !p.trim().is_empty()) {
            let (field, column) = pair
                .split_once('=')
                .ok_or_else(|| format!("{pair:?} is not FIELD=COLUMN"))?;
            let field = Field::parse(field).ok_or_else(|| {
                format!(
                    "unknown field {:?}; the fields are {}",
                    field.trim(),
                    Field::ALL.map(Field::name).join(", ")
                )
            })?;
            let column = column.trim();
            if column.is_empty() {
                return Err(format!("no column named for {}", field.name()));
            }
            fields.retain(|(f, _)| *f != field);
            fields.push((field, column.to_owned()));
        }
        Ok(Mapping { fields })
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    fn column(&self, field: Field) -> Option<&str> {
        self.fields
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, c)| c.as_str())
    }
}

impl fmt::Display for Mapping {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pairs: Vec<String> = self
            .fields
            .iter()
            .map(|(field, column)| format!("{}={column}", field.name()))
            .collect();
        f.write_str(&pairs.join(","))
    }
}

/// The columns found for each field: named by hand, or guessed.
struct Found {
    columns: Vec<(Field, String)>,
}

impl Found {
    fn get(&self, field: Field) -> Option<&str> {
        self.columns
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, c)| c.as_str())
    }
}

/// Finds each field's column; an error names the fields still missing and the way to map them.
fn find_columns(path: &Path, table: &Table, mapping: &Mapping) -> Result<Found, ExchangeError> {
    let malformed = |message: String| ExchangeError::Malformed {
        path: path.to_owned(),
        message,
    };
    let listed = || {
        let names: Vec<&str> = table.names.iter().map(String::as_str).take(40).collect();
        names.join(", ")
    };
    let mut columns = Vec::new();
    for field in Field::ALL {
        if let Some(column) = mapping.column(field) {
            let key = super::column_key(column);
            if !table.has(&key) {
                return Err(malformed(format!(
                    "--map {}={column}: the file has no column {column:?}; its columns are: {}",
                    field.name(),
                    listed()
                )));
            }
            columns.push((field, key));
        } else if let Some(guess) = table.first_of(field.guesses()) {
            // A column already named by hand for another field is not guessed again.
            if !columns.iter().any(|(_, c)| *c == guess) {
                columns.push((field, guess));
            }
        }
    }
    let found = Found { columns };
    let missing: Vec<Field> = Field::REQUIRED
        .into_iter()
        .filter(|f| found.get(*f).is_none())
        .collect();
    if !missing.is_empty() {
        let which: Vec<String> = missing
            .iter()
            .map(|f| {
                format!(
                    "{} ({}: looked for {})",
                    f.name(),
                    f.meaning(),
                    f.guesses()[..f.guesses().len().min(4)].join(", ")
                )
            })
            .collect();
        let example: Vec<String> = missing
            .iter()
            .map(|f| format!("{}=COLUMN", f.name()))
            .collect();
        return Err(malformed(format!(
            "not an incident file that can be read as it is: no column for {}; its columns are: \
             {}. Name them with --map {} (in the viewer: File → Open…, \
             column mapping)",
            which.join(", "),
            listed(),
            example.join(",")
        )));
    }
    Ok(found)
}

/// Reads a table whose layout is no dataset's own, with the fields found or mapped.
pub(crate) fn read(
    path: &Path,
    table: Table,
    mapping: &Mapping,
) -> Result<Imported, ExchangeError> {
    let found = find_columns(path, &table, mapping)?;
    let file = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "table".to_owned());
    let stem = path
        .file_stem()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "row".to_owned());
    let shown: Vec<String> = found
        .columns
        .iter()
        .map(|(f, c)| format!("{}={c}", f.name()))
        .collect();
    let layout = format!("a table of events, read with {}", shown.join(","));
    let col = |field: Field| found.get(field).unwrap_or("");
    let columns: Vec<(Field, String)> = found.columns.clone();
    let get = move |row: &Row<'_>, field: Field| -> String {
        columns
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, c)| row.get(c).to_owned())
            .unwrap_or_default()
    };
    let type_column = col(Field::Type).to_owned();
    table.read_incidents(path, &layout, "a table", &[], "id", |row| {
        let date = super::parse_date(&get(row, Field::Date))?;
        let description = get(row, Field::Description);
        let category = get(row, Field::Type);
        if category.is_empty() {
            return Err(format!("no {type_column}"));
        }
        let typed =
            super::taxonomy::category_types(&category, &get(row, Field::SubType), &description)
                .ok_or_else(|| format!("{type_column} {category:?} matches no ACLED event type"))?;
        let lat = coordinate(&get(row, Field::Latitude), "latitude", 90.0)?;
        let lon = coordinate(&get(row, Field::Longitude), "longitude", 180.0)?;
        let fatalities = match get(row, Field::Fatalities).as_str() {
            "" => None,
            n => Some(
                n.parse::<f64>()
                    .ok()
                    .filter(|f| f.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(f))
                    .map(|f| f as u32)
                    .ok_or_else(|| format!("fatalities {n:?} is not a whole number"))?,
            ),
        };
        let id = match get(row, Field::Id) {
            id if id.is_empty() => format!("{stem}-{}", row.line),
            id => id,
        };
        let source = get(row, Field::Source);
        let article = (!description.is_empty() || !source.is_empty()).then(|| {
            let url = source
                .starts_with("http")
                .then(|| source.split(';').next().unwrap_or("").trim().to_owned());
            Article {
                id: format!("table:{stem}:{id}"),
                title: None,
                publisher: if url.is_some() || source.is_empty() {
                    None
                } else {
                    Some(source.clone())
                },
                published: None,
                url,
                text: description.clone(),
            }
        });
        let sources = article
            .iter()
            .map(|a| Source {
                article: a.id.clone(),
                start: 0,
                end: a.text.chars().count(),
            })
            .collect();
        let country = get(row, Field::Country);
        let admin1 = get(row, Field::Admin1);
        let incident = Incident {
            id,
            date: Some(date),
            date_precision: DatePrecision::Day,
            event_type: typed.event_type,
            sub_event_type: typed.sub_event_type,
            actors: super::geojson::split_list(&get(row, Field::Actors)),
            fatalities,
            counts: Default::default(),
            location: Location {
                name: get(row, Field::Location),
                country: (!country.is_empty())
                    .then(|| super::country_code(&country))
                    .flatten(),
                admin1: (!admin1.is_empty()).then_some(admin1),
                admin2: None,
                admin3: None,
                precision: LocationPrecision::Point,
                lat,
                lon,
                gazetteer_id: None,
                confidence: None,
            },
            sources,
            summary: description,
            review: Default::default(),
            coded: Some(Box::new(Coded {
                dataset: file.clone(),
                inferred: typed.inferred.into_iter().collect(),
                ..Coded::default()
            })),
        };
        Ok((incident, article))
    })
}

/// A coordinate, checked to be a number on the globe.
pub(crate) fn coordinate(text: &str, name: &str, limit: f64) -> Result<f64, String> {
    let value: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("{name} {text:?} is not a number"))?;
    if !value.is_finite() || value.abs() > limit {
        return Err(format!("{name} {text} is outside -{limit}..{limit}"));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mappings_parse_and_refuse_unknown_fields() {
        let m = Mapping::parse("date=when, type=Category,lat=y").unwrap();
        assert_eq!(
            m.fields,
            [
                (Field::Date, "when".to_owned()),
                (Field::Type, "Category".to_owned()),
                (Field::Latitude, "y".to_owned())
            ]
        );
        assert_eq!(m.to_string(), "date=when,type=Category,lat=y");
        let err = Mapping::parse("colour=red").unwrap_err();
        assert!(err.contains("unknown field \"colour\""), "{err}");
        assert!(Mapping::parse("date").is_err());
        assert!(Mapping::parse("date=").is_err());
    }
}
