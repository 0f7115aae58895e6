//! Data in and out: GeoJSON (RFC 7946), ACLED-format CSV and a plain CSV for spreadsheets.
//!
//! Exports take the store and the indices of the incidents to write — the ones the filters let
//! through (`workspace::filter::visible_incidents`), so what is written is what is shown. Imports read
//! any of the three formats, or our own store, into a [`Store`]; rows that cannot be read are
//! reported with their line (or feature) number and the good rows load.
//!
//! What each format keeps:
//! - GeoJSON: everything. Each feature carries every incident field, its sources with the
//!   article metadata, and the collection carries the cited articles' texts as a foreign member,
//!   so a GeoJSON we write reads back into an equal store.
//! - ACLED CSV: ACLED's columns and meanings; our precisions folded onto ACLED's 1–3 scales,
//!   the first two actors, publishers as `source`, the summary as `notes`.
//! - Plain CSV: one row per incident with every incident field; sources as titles,
//!   publishers and links, not the article texts.

pub mod acled;
mod countries;
pub mod gdelt;
pub mod generic;
mod geojson;
pub mod geopackage;
pub mod spreadsheet;
pub mod taxonomy;
pub mod ucdp;

pub use generic::{Field, Mapping};
pub mod plain_csv;

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::store::{
    Article, DatePrecision, EventType, Incident, LocationPrecision, Store, StoreError, SubEventType,
};

/// The file formats incidents can be written in and read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    GeoJson,
    Acled,
    Csv,
    GeoPackage,
}

impl Format {
    pub const ALL: [Format; 4] = [
        Format::GeoJson,
        Format::Acled,
        Format::Csv,
        Format::GeoPackage,
    ];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Self::GeoJson => "geojson",
            Self::Acled => "acled",
            Self::Csv => "csv",
            Self::GeoPackage => "gpkg",
        }
    }

    /// What the viewer's export window calls it.
    pub fn label(self) -> &'static str {
        match self {
            Self::GeoJson => "GeoJSON (QGIS, web maps; keeps everything)",
            Self::Acled => "ACLED CSV (ACLED's columns)",
            Self::Csv => "Plain CSV (spreadsheets)",
            Self::GeoPackage => "GeoPackage (QGIS, ArcGIS; ACLED's columns)",
        }
    }

    /// The file name ending a file in this format usually has.
    pub fn extension(self) -> &'static str {
        match self {
            Self::GeoJson => "geojson",
            Self::Acled => "csv",
            Self::Csv => "csv",
            Self::GeoPackage => "gpkg",
        }
    }

    /// A default file name in the current directory.
    pub fn default_file_name(self) -> &'static str {
        match self {
            Self::GeoJson => "incidents.geojson",
            Self::Acled => "incidents-acled.csv",
            Self::Csv => "incidents.csv",
            Self::GeoPackage => "incidents.gpkg",
        }
    }

    /// Parses a command-line format name, case-insensitively.
    pub fn parse(text: &str) -> Result<Format, String> {
        let wanted = text.trim().to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|f| f.name() == wanted)
            .ok_or_else(|| {
                let names: Vec<&str> = Self::ALL.iter().map(|f| f.name()).collect();
                format!(
                    "unknown format {text:?}; choose one of {}",
                    names.join(", ")
                )
            })
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a file could not be imported or exported at all.
#[derive(Debug, thiserror::Error)]
pub enum ExchangeError {
    #[error("{}: cannot read: {source}", crate::files::display_path(.path))]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: cannot write: {source}", crate::files::display_path(.path))]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: {message}", crate::files::display_path(.path))]
    Malformed { path: PathBuf, message: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Where in a file a row that failed was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum RowPlace {
    /// A CSV line, counted from 1 with the header as line 1 (the line a record starts on).
    Line(u64),
    /// A GeoJSON feature, counted from 1 in the `features` array.
    Feature(usize),
    /// A spreadsheet row, numbered as the spreadsheet shows it.
    Row(u64),
}

impl fmt::Display for RowPlace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Line(line) => write!(f, "line {line}"),
            Self::Feature(n) => write!(f, "feature {n}"),
            Self::Row(n) => write!(f, "row {n}"),
        }
    }
}

/// A row that was skipped, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    pub place: RowPlace,
    pub message: String,
}

impl fmt::Display for RowProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place, self.message)
    }
}

impl RowProblem {
    /// The kind of problem, for counting skipped rows by reason: the message without the
    /// quoted values and numbers it names (`unknown event_type "Picnic"` → `unknown event_type`).
    pub fn reason(&self) -> String {
        if self.message.contains(" fields where the header has ") {
            return "a different number of fields than the header".to_owned();
        }
        let mut out = String::new();
        let mut quoted = false;
        for c in self.message.chars() {
            if c == '"' {
                quoted = !quoted;
            } else if !quoted {
                out.push(c);
            }
        }
        let words: Vec<&str> = out
            .split_whitespace()
            .filter(|w| {
                w.trim_matches(|c: char| !c.is_alphanumeric())
                    .parse::<f64>()
                    .is_err()
            })
            .collect();
        let reason = words.join(" ");
        match reason.split_once(';') {
            Some((head, _)) => head.trim().to_owned(),
            None => reason,
        }
    }
}

/// What an import produced: the incidents that could be read and the rows that could not.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub store: Store,
    pub problems: Vec<RowProblem>,
    /// What the file was read as ("ACLED CSV", "UCDP GED CSV", "GeoJSON", ...).
    pub layout: String,
    /// Rows (or features) read, kept or not.
    pub rows: usize,
    /// Rows kept with something inferred (a sub-event type an old layout lacks, a type from
    /// a CAMEO code, ...): each incident's `coded.inferred` says what.
    pub inferred: usize,
    /// What a row is called in messages: "rows" or "features".
    pub unit: &'static str,
}

impl Imported {
    /// An import of `store` read as `layout`, with the counts taken from it.
    pub fn new(store: Store, problems: Vec<RowProblem>, layout: impl Into<String>) -> Self {
        let rows = store.incidents.len() + problems.len();
        let inferred = store
            .incidents
            .iter()
            .filter(|i| i.coded.as_ref().is_some_and(|c| !c.inferred.is_empty()))
            .count();
        Self {
            store,
            problems,
            layout: layout.into(),
            rows,
            inferred,
            unit: "rows",
        }
    }

    /// The skipped rows counted by reason, most frequent first.
    pub fn skipped_by_reason(&self) -> Vec<(String, usize)> {
        let mut counts: HashMap<String, usize> = HashMap::new();
        for problem in &self.problems {
            *counts.entry(problem.reason()).or_default() += 1;
        }
        let mut counts: Vec<(String, usize)> = counts.into_iter().collect();
        counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        counts
    }

    /// One line with the honest counts: what the file was read as, rows read, kept, skipped
    /// by reason, and how many had something inferred.
    pub fn report(&self, path: &Path) -> String {
        let thousands = crate::files::thousands;
        let mut line = format!(
            "{}: {}: {} {} read, {} kept",
            crate::files::display_path(path),
            self.layout,
            thousands(self.rows),
            if self.rows == 1 {
                self.unit.trim_end_matches('s')
            } else {
                self.unit
            },
            thousands(self.store.incidents.len()),
        );
        if !self.problems.is_empty() {
            let reasons: Vec<String> = self
                .skipped_by_reason()
                .iter()
                .take(5)
                .map(|(reason, n)| format!("{} {reason}", thousands(*n)))
                .collect();
            let more = self.skipped_by_reason().len().saturating_sub(5);
            line.push_str(&format!(
                ", {} skipped ({}{})",
                thousands(self.problems.len()),
                reasons.join(", "),
                if more > 0 {
                    format!(", {more} other reasons")
                } else {
                    String::new()
                }
            ));
        }
        if self.inferred > 0 {
            line.push_str(&format!(
                ", {} with a type inferred",
                thousands(self.inferred)
            ));
        }
        line
    }

    /// One line naming the file and the skipped rows (the first few in full), or `None` when
    /// every row loaded. Thousands of bad rows must not become thousands of messages.
    pub fn problem_summary(&self, path: &Path) -> Option<String> {
        const SHOWN: usize = 3;
        if self.problems.is_empty() {
            return None;
        }
        let n = self.problems.len();
        Some(format!(
            "{}: skipped {} {} that could not be read: {}",
            crate::files::display_path(path),
            crate::files::thousands(n),
            if n == 1 { "row" } else { "rows" },
            crate::files::summarise(&self.problems, SHOWN, "; ")
        ))
    }
}

/// An export in memory, with what was left out and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Exported {
    pub bytes: Vec<u8>,
    /// Incidents written.
    pub written: usize,
    /// Why some incidents were not written (e.g. undated incidents in ACLED format).
    pub left_out: Option<String>,
}

/// A header and records as CSV bytes, with how many records were written. Writing into
/// memory does not fail, but it is checked all the same: on a failure the bytes are empty.
pub(crate) fn csv_bytes<R, F>(
    header: &[&str],
    records: impl IntoIterator<Item = R>,
) -> (Vec<u8>, usize)
where
    R: IntoIterator<Item = F>,
    F: AsRef<[u8]>,
{
    let mut writer = ::csv::Writer::from_writer(Vec::new());
    let mut ok = writer.write_record(header).is_ok();
    let mut written = 0;
    for record in records {
        ok &= writer.write_record(record).is_ok();
        written += 1;
    }
    let bytes = if ok {
        writer.into_inner().unwrap_or_default()
    } else {
        Vec::new()
    };
    (bytes, written)
}

/// Writes the incidents at `indices` (into `store.incidents`) in `format`. Only a GeoPackage,
/// which SQLite builds in a temporary file, can fail.
pub fn export(store: &Store, indices: &[usize], format: Format) -> std::io::Result<Exported> {
    Ok(match format {
        Format::GeoJson => geojson::write(store, indices),
        Format::Acled => acled::write(store, indices),
        Format::Csv => plain_csv::write(store, indices),
        Format::GeoPackage => return geopackage::write(store, indices),
    })
}

/// Exports to a file, atomically: an existing file is replaced whole or not at all.
pub fn export_to_file(
    store: &Store,
    indices: &[usize],
    format: Format,
    path: &Path,
) -> Result<Exported, ExchangeError> {
    let failed = |source| ExchangeError::Write {
        path: path.to_owned(),
        source,
    };
    let exported = export(store, indices, format).map_err(failed)?;
    crate::atomic::write_atomically(path, &exported.bytes).map_err(failed)?;
    Ok(exported)
}

/// Reads an incident store, a GeoJSON incident file, an ACLED-format CSV or one of our plain
/// CSVs, told apart by their contents (and the `.csv` ending).
pub fn import(path: &Path) -> Result<Imported, ExchangeError> {
    import_mapped(path, &Mapping::default())
}

/// [`import`] with columns named by hand (`--map date=when,type=category`).
pub fn import_mapped(path: &Path, mapping: &Mapping) -> Result<Imported, ExchangeError> {
    if geopackage::is_geopackage_path(path) {
        return kept_some(path, geopackage::read(path, mapping)?);
    }
    // A file of nothing but blank space is said to be so without holding it in memory.
    if let Some(size) = crate::files::only_blank(path).map_err(|source| ExchangeError::Read {
        path: path.to_owned(),
        source,
    })? {
        return Err(ExchangeError::Malformed {
            path: path.to_owned(),
            message: format!(
                "the file is empty (only blank space, {} bytes)",
                crate::files::thousands(usize::try_from(size).unwrap_or(usize::MAX))
            ),
        });
    }
    let bytes =
        crate::files::read_limited(path, crate::files::MAX_DATA_BYTES).map_err(|source| {
            ExchangeError::Read {
                path: path.to_owned(),
                source,
            }
        })?;
    import_bytes_mapped(path, &bytes, mapping)
}

/// [`import`] on bytes already read; `path` names the file in messages and picks CSV by ending.
pub fn import_bytes(path: &Path, bytes: &[u8]) -> Result<Imported, ExchangeError> {
    import_bytes_mapped(path, bytes, &Mapping::default())
}

/// [`import_bytes`] with columns named by hand for a table whose names are not guessed.
/// Never an empty result in silence: a file of incidents that keeps none is an error that
/// gives the counts and the reasons.
pub fn import_bytes_mapped(
    path: &Path,
    bytes: &[u8],
    mapping: &Mapping,
) -> Result<Imported, ExchangeError> {
    kept_some(path, import_decoded(path, bytes, mapping)?)
}

/// An import, or the error that says why it kept no incidents (with the counts and reasons).
fn kept_some(path: &Path, imported: Imported) -> Result<Imported, ExchangeError> {
    if imported.store.incidents.is_empty() && imported.unit != "incidents" {
        let report = imported.report(path);
        let first = imported
            .problems
            .first()
            .map(|p| format!("; the first: {p}"))
            .unwrap_or_default();
        return Err(ExchangeError::Malformed {
            path: path.to_owned(),
            message: format!(
                "no incidents kept ({}){first}",
                report
                    .split_once(": ")
                    .map_or(report.as_str(), |(_, rest)| rest)
            ),
        });
    }
    Ok(imported)
}

/// [`import_bytes_mapped`] without the check for an empty result.
fn import_decoded(path: &Path, bytes: &[u8], mapping: &Mapping) -> Result<Imported, ExchangeError> {
    if spreadsheet::is_spreadsheet(path) {
        return spreadsheet::read(path, bytes, mapping);
    }
    // Spreadsheets save "Unicode text" as UTF-16: read as the text it is.
    if let Some(big_endian) = crate::files::utf16_order(bytes) {
        return match crate::files::decode_utf16(bytes, big_endian) {
            Ok(text) => import_utf8(path, text.as_bytes(), mapping),
            Err(offset) => Err(ExchangeError::Malformed {
                path: path.to_owned(),
                message: format!(
                    "UTF-16 text that does not decode (at offset {offset}); save it as UTF-8"
                ),
            }),
        };
    }
    import_utf8(path, bytes, mapping)
}

/// [`import_bytes`] on bytes that are not UTF-16.
fn import_utf8(path: &Path, bytes: &[u8], mapping: &Mapping) -> Result<Imported, ExchangeError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let is_csv = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace()).copied();
    let malformed = |message: &str| ExchangeError::Malformed {
        path: path.to_owned(),
        message: message.to_owned(),
    };
    if first.is_none() {
        return Err(malformed("the file is empty"));
    }
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return Err(malformed(
            "this is a binary file, not incidents (a store, GeoJSON or CSV)",
        ));
    }
    if is_csv || !matches!(first, Some(b'{') | Some(b'[')) {
        return read_csv(path, bytes, mapping);
    }
    if geojson::looks_like_geojson(bytes) {
        return geojson::read(path, bytes, mapping);
    }
    let store = Store::from_json(path, bytes)?;
    let mut imported = Imported::new(store, Vec::new(), "incident store");
    imported.unit = "incidents";
    Ok(imported)
}

/// A delimited text file (comma, tab or semicolon): a dataset's layout when its columns say
/// which (or a header-less GDELT export), ours, or any table of events with its fields guessed
/// or mapped.
fn read_csv(path: &Path, bytes: &[u8], mapping: &Mapping) -> Result<Imported, ExchangeError> {
    let table = match gdelt::headerless_names(bytes) {
        Some(names) => Table::read_with(path, bytes, Some(names))?,
        None => Table::read(path, bytes)?,
    };
    read_table(path, table, mapping)
}

/// A table (from a CSV, a foreign GeoJSON's features, a spreadsheet) read in the layout its
/// columns name; with a mapping given, as a generic table.
pub(crate) fn read_table(
    path: &Path,
    table: Table,
    mapping: &Mapping,
) -> Result<Imported, ExchangeError> {
    if !mapping.is_empty() {
        return generic::read(path, table, mapping);
    }
    if acled::is_aggregated(&table) {
        acled::read_aggregated(path, table)
    } else if acled::is_acled(&table) {
        acled::read(path, table)
    } else if ucdp::is_ucdp(&table) {
        ucdp::read(path, table)
    } else if gdelt::is_gdelt(&table) {
        gdelt::read(path, table)
    } else if table.has("id")
        && table.has("event_type")
        && table.has("sub_event_type")
        && table.has("latitude")
    {
        plain_csv::read(path, table)
    } else {
        generic::read(path, table, mapping)
    }
}

/// A CSV file read into records, columns looked up by header name (any order, extra columns
/// ignored, names matched in any case, spaces read as underscores). Comma, tab and semicolon
/// separated files are told apart by their header line; lines above the header (a title, a
/// "downloaded on" note) are skipped and still counted in line numbers.
pub(crate) struct Table {
    columns: HashMap<String, usize>,
    /// The header's names as the file spells them, in order (for messages).
    pub names: Vec<String>,
    header_len: usize,
    /// Lines above the header that were skipped, added to every line number.
    line_offset: u64,
    /// Whether the file has no header line and `names` were supplied by a known layout.
    pub headerless: bool,
    records: Records,
}

/// Where a table's records come from: a CSV being read, or records made from another format
/// (GeoJSON features' properties, a spreadsheet's rows), each with its place in that file.
enum Records {
    Csv(::csv::Reader<std::io::Cursor<Vec<u8>>>),
    Made(std::vec::IntoIter<(RowPlace, ::csv::StringRecord)>),
}

/// One CSV record, with the line it starts on.
pub(crate) struct Row<'a> {
    /// The line (or feature, or sheet row) number, for ids made from it.
    pub line: u64,
    /// Where the record is, for messages.
    pub place: RowPlace,
    record: &'a ::csv::StringRecord,
    columns: &'a HashMap<String, usize>,
}

impl Row<'_> {
    /// The trimmed cell under `column`, or "" when the column or cell is missing.
    pub fn get(&self, column: &str) -> &str {
        let cell = self
            .columns
            .get(column)
            .and_then(|&i| self.record.get(i))
            .map_or("", str::trim);
        // The apostrophe a spreadsheet-safe export put before a formula character.
        match cell.strip_prefix('\'') {
            Some(rest) if rest.starts_with(FORMULA_STARTS) => rest,
            _ => cell,
        }
    }

    /// The cell, or `None` when empty.
    pub fn optional(&self, column: &str) -> Option<String> {
        let cell = self.get(column);
        (!cell.is_empty()).then(|| cell.to_owned())
    }
}

/// A column name as looked up: trimmed, lower case, spaces and dashes as underscores.
pub(crate) fn column_key(name: &str) -> String {
    name.trim()
        .trim_matches('"')
        .chars()
        .map(|c| match c {
            ' ' | '-' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// Column names any known layout has: a line holding one of them is a header, and lines
/// with fewer cells above it are a preamble.
const KNOWN_COLUMNS: &[&str] = &[
    "event_date",
    "event_type",
    "latitude",
    "longitude",
    "lat",
    "lon",
    "date",
    "id",
    "week",
    "date_start",
    "globaleventid",
    "type_of_violence",
    "fatalities",
];

/// The separator of a delimited text: the one of comma, tab and semicolon that one of its
/// first lines (outside quotes) holds most of, so that a title line above the header does not
/// decide; a comma when none.
fn sniff_delimiter(head: &str) -> u8 {
    let mut counts = [0usize; 3];
    for line in head.lines().filter(|l| !l.trim().is_empty()).take(5) {
        let mut here = [0usize; 3];
        let mut quoted = false;
        for c in line.chars() {
            match c {
                '"' => quoted = !quoted,
                ',' if !quoted => here[0] += 1,
                '\t' if !quoted => here[1] += 1,
                ';' if !quoted => here[2] += 1,
                _ => {}
            }
        }
        for i in 0..3 {
            counts[i] = counts[i].max(here[i]);
        }
    }
    let best = (0..3)
        .max_by_key(|&i| (counts[i], usize::from(i == 0)))
        .unwrap_or(0);
    if counts[best] == 0 {
        b','
    } else {
        [b',', b'\t', b';'][best]
    }
}

/// The cells of one line, split on `delimiter` with quotes honoured.
fn line_cells(line: &str, delimiter: u8) -> Vec<String> {
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(line.as_bytes());
    let mut record = ::csv::StringRecord::new();
    match reader.read_record(&mut record) {
        Ok(true) => record.iter().map(str::to_owned).collect(),
        _ => Vec::new(),
    }
}

/// How many lines at the top of `text` come before the header: lines that hold fewer cells
/// than the line after them, when that line names a known column (at most 10 are skipped).
fn preamble_lines(text: &str, delimiter: u8) -> usize {
    let lines: Vec<&str> = text.lines().take(12).collect();
    let names_known = |line: &str| {
        line_cells(line, delimiter)
            .iter()
            .any(|cell| KNOWN_COLUMNS.contains(&column_key(cell).as_str()))
    };
    let mut skipped = 0;
    while skipped < 10 && skipped + 1 < lines.len() {
        let line = lines[skipped];
        let next = lines[skipped + 1];
        let blank = line.trim().is_empty();
        let fewer = line_cells(line, delimiter).len() < line_cells(next, delimiter).len();
        if blank || (fewer && !names_known(line) && names_known(next)) {
            skipped += 1;
        } else {
            break;
        }
    }
    skipped
}

impl Table {
    /// Reads the header (found below any preamble) and readies the records.
    fn read(path: &Path, bytes: &[u8]) -> Result<Table, ExchangeError> {
        Self::read_with(path, bytes, None)
    }

    /// [`Table::read`], or with `names` given for a file that has no header line.
    pub(crate) fn read_with(
        path: &Path,
        bytes: &[u8],
        names: Option<&[&str]>,
    ) -> Result<Table, ExchangeError> {
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(64 * 1024)]);
        let delimiter = sniff_delimiter(&head);
        let names_given = names.is_some();
        let skipped = if names_given {
            0
        } else {
            preamble_lines(&head, delimiter)
        };
        let mut start = 0;
        for _ in 0..skipped {
            start = bytes[start..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(bytes.len(), |i| start + i + 1);
        }
        let mut reader = ::csv::ReaderBuilder::new()
            // Ragged rows are reported per row below, not refused for the whole file.
            .flexible(true)
            .delimiter(delimiter)
            .has_headers(names.is_none())
            .from_reader(std::io::Cursor::new(bytes[start..].to_vec()));
        let names: Vec<String> = match names {
            Some(names) => names.iter().map(|n| (*n).to_owned()).collect(),
            None => reader
                .headers()
                .map_err(|e| ExchangeError::Malformed {
                    path: path.to_owned(),
                    message: format!("cannot read the header line: {e}"),
                })?
                .iter()
                .map(|n| n.trim().to_owned())
                .collect(),
        };
        let headerless = names_given;
        let header_len = names.len();
        let mut columns = HashMap::new();
        for (i, name) in names.iter().enumerate() {
            // The first of two same-named columns wins.
            columns.entry(column_key(name)).or_insert(i);
        }
        Ok(Table {
            columns,
            header_len,
            line_offset: skipped as u64,
            headerless,
            names,
            records: Records::Csv(reader),
        })
    }

    /// A table of records made from another format: `names` its columns, each record with
    /// the place (feature, sheet row) it came from.
    pub(crate) fn made(names: Vec<String>, rows: Vec<(RowPlace, ::csv::StringRecord)>) -> Table {
        let mut columns = HashMap::new();
        for (i, name) in names.iter().enumerate() {
            columns.entry(column_key(name)).or_insert(i);
        }
        Table {
            columns,
            header_len: names.len(),
            line_offset: 0,
            headerless: false,
            names,
            records: Records::Made(rows.into_iter()),
        }
    }

    /// Lets `alias` stand for `column` when the file has no `column` (older spellings).
    pub fn alias(&mut self, aliases: &[(&str, &str)]) {
        for (alias, column) in aliases {
            if !self.columns.contains_key(*column)
                && let Some(&i) = self.columns.get(*alias)
            {
                self.columns.insert((*column).to_owned(), i);
            }
        }
    }

    /// The first of `names` the file has a column for.
    pub fn first_of(&self, names: &[&str]) -> Option<String> {
        names
            .iter()
            .find(|n| self.columns.contains_key(**n))
            .map(|n| (*n).to_owned())
    }

    pub fn has(&self, column: &str) -> bool {
        self.columns.contains_key(column)
    }

    /// Reads every row into an incident with `incident`, for a file of the kind `what` (in
    /// messages) that must have the `required` columns. Rows that fail, and rows repeating an
    /// id (called `id_name` in messages), are problems; the good rows load.
    pub fn read_incidents(
        self,
        path: &Path,
        what_layout: &str,
        what: &str,
        required: &[&str],
        id_name: &str,
        incident: impl Fn(&Row<'_>) -> Result<(Incident, Option<Article>), String>,
    ) -> Result<Imported, ExchangeError> {
        if let Some(column) = required.iter().find(|c| !self.has(c)) {
            return Err(ExchangeError::Malformed {
                path: path.to_owned(),
                message: format!("{what} needs a {column:?} column"),
            });
        }
        let mut store = Store::default();
        let mut problems = Vec::new();
        let mut ids = std::collections::HashSet::new();
        self.for_each_row(&mut problems, |row, problems| {
            let place = row.place;
            match incident(row) {
                Ok((incident, _)) if !ids.insert(incident.id.clone()) => {
                    problems.push(RowProblem {
                        place,
                        message: format!("{id_name} {:?} appears twice", incident.id),
                    })
                }
                Ok((incident, article)) => {
                    store.incidents.push(incident);
                    store.articles.extend(article);
                }
                Err(message) => problems.push(RowProblem { place, message }),
            }
        });
        Ok(Imported::new(store, problems, what_layout))
    }

    /// Calls `each` with every record; records that cannot be read (bad UTF-8, a different
    /// number of fields than the header) become problems instead.
    pub fn for_each_row(
        self,
        problems: &mut Vec<RowProblem>,
        mut each: impl FnMut(&Row<'_>, &mut Vec<RowProblem>),
    ) {
        let Table {
            columns,
            header_len,
            line_offset,
            records,
            ..
        } = self;
        let mut reader = match records {
            Records::Csv(reader) => reader,
            Records::Made(rows) => {
                for (place, record) in rows {
                    let line = match place {
                        RowPlace::Line(n) | RowPlace::Row(n) => n,
                        RowPlace::Feature(n) => n as u64,
                    };
                    let row = Row {
                        line,
                        place,
                        record: &record,
                        columns: &columns,
                    };
                    each(&row, problems);
                }
                return;
            }
        };
        let mut record = ::csv::StringRecord::new();
        // Lines are counted here from the record's byte offset: the CSV reader's own count
        // misses line breaks written as CRLF inside quoted cells.
        let mut counted = Lines::default();
        loop {
            match reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {
                    let byte = record.position().map_or(0, |p| p.byte());
                    let line = counted.line_at(reader.get_ref().get_ref(), byte) + line_offset;
                    // A blank line at the end of a hand-edited file is not a row.
                    if record.len() == 1 && record.get(0).is_some_and(|c| c.trim().is_empty()) {
                        continue;
                    }
                    if let Some(merged) = merged_rows(&record, header_len) {
                        problems.push(RowProblem {
                            place: RowPlace::Line(line),
                            message: format!(
                                "a quote opened on this line is not closed where the row \
                                 ends, so lines {line}–{} were read as one row, swallowing \
                                 {} {}; check the quotes (all of it is skipped)",
                                line + merged.extra_lines,
                                merged.rows,
                                if merged.rows == 1 { "row" } else { "rows" }
                            ),
                        });
                        continue;
                    }
                    if record.len() != header_len {
                        problems.push(RowProblem {
                            place: RowPlace::Line(line),
                            message: format!(
                                "{} fields where the header has {}",
                                record.len(),
                                header_len
                            ),
                        });
                        continue;
                    }
                    let row = Row {
                        line,
                        place: RowPlace::Line(line),
                        record: &record,
                        columns: &columns,
                    };
                    each(&row, problems);
                }
                Err(e) => {
                    let line = e
                        .position()
                        .map_or(0, |p| counted.line_at(reader.get_ref().get_ref(), p.byte()))
                        + line_offset;
                    let message = match e.kind() {
                        ::csv::ErrorKind::Utf8 { .. } => "not valid UTF-8 text".to_owned(),
                        _ => e.to_string(),
                    };
                    problems.push(RowProblem {
                        place: RowPlace::Line(line),
                        message,
                    });
                    // An I/O error cannot happen on memory; anything else is per record.
                    if matches!(e.kind(), ::csv::ErrorKind::Io(_)) {
                        break;
                    }
                }
            }
        }
    }
}

/// A running count of the lines before a byte offset, moved forward record by record.
#[derive(Default)]
struct Lines {
    byte: usize,
    breaks: u64,
}

impl Lines {
    /// The line (from 1) that the byte at `offset` is on; offsets only grow.
    fn line_at(&mut self, bytes: &[u8], offset: u64) -> u64 {
        let mut offset = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(bytes.len());
        // After a CR LF line end the reader stops at the LF, and the next record's position
        // is that LF: the record itself starts after it.
        if bytes.get(offset) == Some(&b'\n') {
            offset += 1;
        }
        if offset > self.byte {
            self.breaks += bytes[self.byte..offset]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64;
            self.byte = offset;
        }
        self.breaks + 1
    }
}

/// What a quote left open did to a record: how many lines it ran on past its first, and how
/// many of them hold a whole row's worth of separators.
struct Merged {
    extra_lines: u64,
    rows: usize,
}

/// A record whose cells run over line breaks, where some of the lines inside a cell hold at
/// least half a row's separators, is rows merged by a stray quote: a note written over several
/// lines has the odd comma, not a table's worth. `None` for ordinary records.
fn merged_rows(record: &::csv::StringRecord, header_len: usize) -> Option<Merged> {
    if header_len < 3 {
        return None;
    }
    let mut extra_lines = 0u64;
    let mut rows = 0;
    for cell in record.iter().filter(|cell| cell.contains('\n')) {
        // A quote left open to the end of the file takes its last line break too.
        for continued in cell.trim_end_matches(['\r', '\n']).split('\n').skip(1) {
            extra_lines += 1;
            if continued.matches(',').count() >= (header_len / 2).max(2) {
                rows += 1;
            }
        }
    }
    (rows > 0).then_some(Merged { extra_lines, rows })
}

/// Reads a date in the forms the field's files use: ISO (`2024-01-21`, or an ISO date and
/// time, whose day is taken), ACLED's `21 January 2024`, `01-January-2015` and `21 Jan 2024`,
/// `January 21, 2024`, `26/10/2025` or `26/10/25` (day first; month first only when the
/// second number cannot be a month, as in `10/26/2025`), GDELT's `20240121`, and a Unix time
/// in seconds or milliseconds (ten or thirteen digits).
pub fn parse_date(text: &str) -> Result<Date, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("no date".to_owned());
    }
    if let Ok(date) = text.parse::<Date>() {
        return Ok(date);
    }
    let bad = || {
        format!(
            "date {text:?} is not a date (YYYY-MM-DD, D Month YYYY, DD/MM/YYYY, YYYYMMDD or \
             a Unix time)"
        )
    };
    // An ISO date and time: the day it names, in its own offset.
    if text.len() > 10
        && text
            .as_bytes()
            .get(10)
            .is_some_and(|b| *b == b'T' || *b == b' ')
        && let Some(date) = text.get(..10).and_then(|d| d.parse::<Date>().ok())
    {
        return Ok(date);
    }
    if text.bytes().all(|b| b.is_ascii_digit()) {
        return match text.len() {
            8 => {
                let n = |r: std::ops::Range<usize>| text[r].parse::<i16>().map_err(|_| bad());
                let (y, m, d) = (n(0..4)?, n(4..6)?, n(6..8)?);
                Date::new(y, m as i8, d as i8).map_err(|_| bad())
            }
            10 | 13 => {
                let n: i64 = text.parse().map_err(|_| bad())?;
                let seconds = if text.len() == 13 { n / 1000 } else { n };
                jiff::Timestamp::from_second(seconds)
                    .map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).date())
                    .map_err(|_| bad())
            }
            _ => Err(bad()),
        };
    }
    if text.contains('/') || (text.contains('.') && !text.contains(' ')) {
        let parts: Vec<&str> = text
            .split(['/', '.'])
            .map(|p| p.split_whitespace().next().unwrap_or(""))
            .collect();
        let [a, b, c] = parts[..] else {
            return Err(bad());
        };
        let num = |p: &str| p.parse::<i16>().map_err(|_| bad());
        let (a, b, c) = (num(a)?, num(b)?, num(c)?);
        let (year, month, day) = if a > 31 {
            (a, b, c)
        } else {
            let year = if c < 100 { 2000 + c } else { c };
            if a <= 12 && b > 12 {
                (year, a, b)
            } else {
                (year, b, a)
            }
        };
        return Date::new(year, month as i8, day as i8).map_err(|_| bad());
    }
    let parts: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == '-' || c == ',')
        .filter(|p| !p.is_empty())
        .collect();
    let [first, second, year] = parts[..] else {
        return Err(bad());
    };
    // "21 January 2024" or "January 21, 2024".
    let (day, month) = match crate::articles::month_number(&first.to_lowercase()) {
        Some(month) => (second, month),
        None => (
            first,
            crate::articles::month_number(&second.to_lowercase()).ok_or_else(bad)?,
        ),
    };
    let day: i8 = day.parse().map_err(|_| bad())?;
    let year: i16 = year.parse().map_err(|_| bad())?;
    Date::new(year, month, day).map_err(|_| bad())
}

/// ACLED's `time_precision`: 1 the day is known, 2 the week or a few days, 3 the month or vaguer.
pub fn acled_time_precision(precision: DatePrecision) -> u8 {
    match precision {
        DatePrecision::Day => 1,
        DatePrecision::Week => 2,
        DatePrecision::Month | DatePrecision::Year | DatePrecision::Unknown => 3,
    }
}

/// Our date precision for ACLED's `time_precision`.
pub fn date_precision_from_acled(code: u8) -> Option<DatePrecision> {
    match code {
        1 => Some(DatePrecision::Day),
        2 => Some(DatePrecision::Week),
        3 => Some(DatePrecision::Month),
        _ => None,
    }
}

/// ACLED's `geo_precision`: 1 the town itself, 2 near a town or a part of a region, 3 only the
/// region (province) or wider.
pub fn acled_geo_precision(precision: LocationPrecision) -> u8 {
    match precision {
        LocationPrecision::Point => 1,
        LocationPrecision::Admin2 => 2,
        LocationPrecision::Admin1
        | LocationPrecision::Border
        | LocationPrecision::Country
        | LocationPrecision::Region => 3,
    }
}

/// Our location precision for ACLED's `geo_precision`.
pub fn location_precision_from_acled(code: u8) -> Option<LocationPrecision> {
    match code {
        1 => Some(LocationPrecision::Point),
        2 => Some(LocationPrecision::Admin2),
        3 => Some(LocationPrecision::Admin1),
        _ => None,
    }
}

/// Country name as ACLED writes it, for an ISO 3166-1 alpha-2 code (the code itself when the
/// table does not know it).
pub fn country_name(iso2: &str) -> String {
    countries::COUNTRIES
        .iter()
        .find(|(code, ..)| code.eq_ignore_ascii_case(iso2))
        .map_or_else(|| iso2.to_owned(), |(_, _, name, _)| (*name).to_owned())
}

/// The ISO 3166-1 alpha-2 code for a country name (ACLED's or ISO's spelling) or a code.
pub fn country_code(name: &str) -> Option<String> {
    let name = name.trim();
    countries::COUNTRIES
        .iter()
        .find(|(code, _, acled, iso)| {
            acled.eq_ignore_ascii_case(name)
                || iso.eq_ignore_ascii_case(name)
                || code.eq_ignore_ascii_case(name)
        })
        .map(|(code, ..)| (*code).to_owned())
}

/// The ISO 3166-1 alpha-2 code for ACLED's numeric `iso` column.
pub fn country_code_from_numeric(numeric: &str) -> Option<String> {
    let numeric: u16 = numeric.trim().parse().ok().filter(|&n| n != 0)?;
    countries::COUNTRIES
        .iter()
        .find(|(_, n, ..)| *n == numeric)
        .map(|(code, ..)| (*code).to_owned())
}

/// An event type by ACLED's current name or the names older ACLED data used, with the
/// sub-event type an old name implies.
pub fn parse_event_type(text: &str) -> Option<(EventType, Option<SubEventType>)> {
    if let Some(t) = EventType::parse(text) {
        return Some((t, None));
    }
    let legacy = text.trim().to_ascii_lowercase();
    Some(match legacy.as_str() {
        "battle-no change of territory" | "battle" => {
            (EventType::Battles, Some(SubEventType::ArmedClash))
        }
        "battle-government regains territory" => (
            EventType::Battles,
            Some(SubEventType::GovernmentRegainsTerritory),
        ),
        "battle-non-state actor overtakes territory"
        | "battle-non-state actors overtake territory"
        | "battle-non state actor overtakes territory" => (
            EventType::Battles,
            Some(SubEventType::NonStateActorOvertakesTerritory),
        ),
        "remote violence" | "explosions" | "explosions/remote violence" => {
            (EventType::ExplosionsRemoteViolence, None)
        }
        "violence against civilians" => (EventType::ViolenceAgainstCivilians, None),
        "protest" | "protests" => (EventType::Protests, None),
        "riot" | "riots" => (EventType::Riots, None),
        "riots/protests" => (EventType::Protests, None),
        "strategic development" | "strategic developments" => {
            (EventType::StrategicDevelopments, None)
        }
        "non-violent transfer of territory" => (
            EventType::StrategicDevelopments,
            Some(SubEventType::NonViolentTransferOfTerritory),
        ),
        "headquarters or base established" => (
            EventType::StrategicDevelopments,
            Some(SubEventType::HeadquartersOrBaseEstablished),
        ),
        _ => return None,
    })
}

/// The sub-event type of `event_type` that `text` names, or the closest one by its key words
/// (for older or hand-written spellings); an error when none fits.
pub fn closest_sub_event_type(event_type: EventType, text: &str) -> Result<SubEventType, String> {
    if let Some(sub) = SubEventType::parse(text) {
        if sub.event_type() == event_type {
            return Ok(sub);
        }
        return Err(format!(
            "sub_event_type {:?} belongs to {:?}, not {:?}",
            sub.as_str(),
            sub.event_type().as_str(),
            event_type.as_str()
        ));
    }
    let lower = text.trim().to_ascii_lowercase();
    if lower.is_empty() {
        return Err(format!("no sub_event_type for {:?}", event_type.as_str()));
    }
    use SubEventType::*;
    // Key words, most specific first; only sub-events of the row's event type count.
    const KEYS: &[(&str, SubEventType)] = &[
        ("chemical", ChemicalWeapon),
        ("suicide", SuicideBomb),
        ("drone", AirDroneStrike),
        ("air", AirDroneStrike),
        ("shell", ShellingArtilleryMissileAttack),
        ("artillery", ShellingArtilleryMissileAttack),
        ("missile", ShellingArtilleryMissileAttack),
        ("rocket", ShellingArtilleryMissileAttack),
        ("mortar", ShellingArtilleryMissileAttack),
        ("ied", RemoteExplosiveLandmineIed),
        ("landmine", RemoteExplosiveLandmineIed),
        ("mine", RemoteExplosiveLandmineIed),
        ("explosive", RemoteExplosiveLandmineIed),
        ("bomb", RemoteExplosiveLandmineIed),
        ("grenade", Grenade),
        ("sexual", SexualViolence),
        ("rape", SexualViolence),
        ("abduct", AbductionForcedDisappearance),
        ("kidnap", AbductionForcedDisappearance),
        ("disappear", AbductionForcedDisappearance),
        ("government regain", GovernmentRegainsTerritory),
        ("overtake", NonStateActorOvertakesTerritory),
        ("clash", ArmedClash),
        ("armed", ArmedClash),
        ("fight", ArmedClash),
        ("excessive force", ExcessiveForceAgainstProtesters),
        ("intervention", ProtestWithIntervention),
        ("peaceful", PeacefulProtest),
        ("protest", PeacefulProtest),
        ("demonstration", PeacefulProtest),
        ("violent demonstration", ViolentDemonstration),
        ("mob", MobViolence),
        ("riot", ViolentDemonstration),
        ("agreement", Agreement),
        ("ceasefire", Agreement),
        ("arrest", Arrests),
        ("detention", Arrests),
        ("change to group", ChangeToGroupActivity),
        ("disrupted", DisruptedWeaponsUse),
        ("defus", DisruptedWeaponsUse),
        ("seiz", DisruptedWeaponsUse),
        ("headquarter", HeadquartersOrBaseEstablished),
        ("base", HeadquartersOrBaseEstablished),
        ("loot", LootingPropertyDestruction),
        ("destruction", LootingPropertyDestruction),
        ("transfer of territory", NonViolentTransferOfTerritory),
        ("attack", Attack),
        ("other", Other),
    ];
    let mut best: Option<(usize, SubEventType)> = None;
    for &(key, sub) in KEYS {
        // The longest matching key word decides ("violent demonstration" over "demonstration").
        if sub.event_type() == event_type
            && lower.contains(key)
            && best.is_none_or(|(len, _)| key.len() > len)
        {
            best = Some((key.len(), sub));
        }
    }
    best.map(|(_, sub)| sub).ok_or_else(|| {
        format!(
            "sub_event_type {:?} is not one of {:?}'s",
            text.trim(),
            event_type.as_str()
        )
    })
}

/// A store of just the incidents at `indices` and the articles they cite, with the indices of
/// those incidents in it (all of them, in order): a copy to export from another thread.
pub fn subset(store: &Store, indices: &[usize]) -> (Store, Vec<usize>) {
    let incidents: Vec<Incident> = indices
        .iter()
        .filter_map(|&i| store.incidents.get(i).cloned())
        .collect();
    let articles = cited_articles(store, indices)
        .into_iter()
        .cloned()
        .collect();
    let all = (0..incidents.len()).collect();
    (
        Store {
            incidents,
            articles,
            ..Store::default()
        },
        all,
    )
}

/// Characters that make a spreadsheet read a cell as a formula (OWASP's list for CSV
/// injection).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A text cell that a spreadsheet shows as text: one starting like a formula gets an
/// apostrophe before it, which spreadsheets hide and [`Row::get`] removes on reading back.
pub(crate) fn spreadsheet_text(text: String) -> String {
    if text.starts_with(FORMULA_STARTS) {
        format!("'{text}")
    } else {
        text
    }
}

/// The articles the given incidents cite, in store order, each once.
pub(crate) fn cited_articles<'s>(store: &'s Store, indices: &[usize]) -> Vec<&'s Article> {
    let cited: std::collections::HashSet<&str> = indices
        .iter()
        .filter_map(|&i| store.incidents.get(i))
        .flat_map(|incident| incident.sources.iter().map(|s| s.article.as_str()))
        .collect();
    store
        .articles
        .iter()
        .filter(|a| cited.contains(a.id.as_str()))
        .collect()
}

/// Distinct values in first-seen order.
pub(crate) fn distinct<'a>(values: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    // A set, not a scan of what came before: a hostile row may list thousands of names.
    let mut seen = std::collections::HashSet::new();
    values.filter(|value| seen.insert(*value)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_in_both_acled_spellings() {
        let want = jiff::civil::date(2024, 1, 21);
        assert_eq!(parse_date("2024-01-21"), Ok(want));
        assert_eq!(parse_date("21 January 2024"), Ok(want));
        assert_eq!(parse_date(" 21 Jan 2024 "), Ok(want));
        assert_eq!(parse_date("21-January-2024"), Ok(want));
        assert!(parse_date("").is_err());
        assert!(parse_date("31 February 2024").is_err());
        assert!(parse_date("yesterday").is_err());
        assert!(parse_date("21 Smarch 2024").is_err());
    }

    #[test]
    fn precisions_map_onto_acled_scales_and_back() {
        for p in [
            DatePrecision::Day,
            DatePrecision::Week,
            DatePrecision::Month,
        ] {
            assert_eq!(date_precision_from_acled(acled_time_precision(p)), Some(p));
        }
        assert_eq!(acled_time_precision(DatePrecision::Year), 3);
        assert_eq!(acled_time_precision(DatePrecision::Unknown), 3);
        for p in [
            LocationPrecision::Point,
            LocationPrecision::Admin2,
            LocationPrecision::Admin1,
        ] {
            assert_eq!(
                location_precision_from_acled(acled_geo_precision(p)),
                Some(p)
            );
        }
        assert_eq!(acled_geo_precision(LocationPrecision::Border), 3);
        assert_eq!(acled_geo_precision(LocationPrecision::Country), 3);
        assert_eq!(date_precision_from_acled(4), None);
        assert_eq!(location_precision_from_acled(0), None);
    }

    #[test]
    fn countries_use_acled_names() {
        assert_eq!(country_name("SY"), "Syria");
        assert_eq!(country_name("IQ"), "Iraq");
        assert_eq!(country_name("CD"), "Democratic Republic of Congo");
        assert_eq!(country_code("Syria").as_deref(), Some("SY"));
        assert_eq!(country_code("syrian arab republic").as_deref(), Some("SY"));
        assert_eq!(country_code("Iraq").as_deref(), Some("IQ"));
        assert_eq!(country_code("Kosovo").as_deref(), Some("XK"));
        assert_eq!(country_code("Atlantis"), None);
        assert_eq!(country_code_from_numeric("760").as_deref(), Some("SY"));
        assert_eq!(country_code_from_numeric("0"), None);
        assert_eq!(country_name("ZZ"), "ZZ");
    }

    #[test]
    fn unknown_sub_event_spellings_map_to_the_closest_or_are_refused() {
        use SubEventType::*;
        let battles = EventType::Battles;
        let erv = EventType::ExplosionsRemoteViolence;
        assert_eq!(
            closest_sub_event_type(battles, "Armed clash"),
            Ok(ArmedClash)
        );
        assert_eq!(
            closest_sub_event_type(battles, "armed clashes"),
            Ok(ArmedClash)
        );
        assert_eq!(
            closest_sub_event_type(erv, "Drone strike"),
            Ok(AirDroneStrike)
        );
        assert_eq!(
            closest_sub_event_type(erv, "Shelling"),
            Ok(ShellingArtilleryMissileAttack)
        );
        assert_eq!(
            closest_sub_event_type(erv, "IED explosion"),
            Ok(RemoteExplosiveLandmineIed)
        );
        assert_eq!(
            closest_sub_event_type(EventType::Riots, "Violent demonstration (large)"),
            Ok(ViolentDemonstration)
        );
        // A real sub-event of another type is a contradiction, not a guess.
        let err = closest_sub_event_type(battles, "Grenade").unwrap_err();
        assert!(err.contains("belongs to"), "{err}");
        let err = closest_sub_event_type(battles, "Parade").unwrap_err();
        assert!(err.contains("not one of"), "{err}");
        assert!(closest_sub_event_type(battles, "").is_err());
    }

    #[test]
    fn old_acled_event_type_names_are_read() {
        assert_eq!(
            parse_event_type("explosions/remote violence"),
            Some((EventType::ExplosionsRemoteViolence, None))
        );
        assert_eq!(
            parse_event_type("Remote violence"),
            Some((EventType::ExplosionsRemoteViolence, None))
        );
        assert_eq!(
            parse_event_type("Battle-Government regains territory"),
            Some((
                EventType::Battles,
                Some(SubEventType::GovernmentRegainsTerritory)
            ))
        );
        assert_eq!(parse_event_type("Picnic"), None);
    }

    #[test]
    fn formats_parse_by_name() {
        assert_eq!(Format::parse("GeoJSON"), Ok(Format::GeoJson));
        assert_eq!(Format::parse("acled"), Ok(Format::Acled));
        assert_eq!(Format::parse("csv"), Ok(Format::Csv));
        let err = Format::parse("kml").unwrap_err();
        assert!(err.contains("geojson, acled, csv"), "{err}");
    }

    #[test]
    fn a_file_that_is_no_incident_file_is_refused_by_name() {
        let err = import_bytes(Path::new("x.csv"), b"a,b\n1,2\n").unwrap_err();
        assert!(
            err.to_string().starts_with("x.csv: not an incident file"),
            "{err}"
        );
        let err = import_bytes(Path::new("x.json"), b"{\"hello\": 1}").unwrap_err();
        assert!(err.to_string().contains("not an incident store"), "{err}");
    }
}
