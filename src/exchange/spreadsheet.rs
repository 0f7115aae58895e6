//! Spreadsheets (`.xlsx`, `.xlsm`, `.xls`, `.ods`, read by calamine): the first sheet with a
//! header row of known column names is read as a table, in whatever layout its columns name
//! (ACLED of any era, UCDP, GDELT, ours, or a generic table with a mapping). Title rows above
//! the header are skipped; dates stored as spreadsheet dates become ISO dates; each row is
//! named by its row number in messages.

use std::io::{Cursor, Read, Seek};
use std::path::Path;

use calamine::{Data, Reader};

use super::{ExchangeError, Imported, Mapping, RowPlace, Table};

/// The file endings read as spreadsheets.
pub const ENDINGS: &[&str] = &["xlsx", "xlsm", "xls", "ods"];

/// The most a workbook may unpack to: a small file that inflates beyond this is refused
/// before anything is read from it.
const MAX_UNPACKED_BYTES: u64 = 1 << 30;

/// Whether `path` ends as a spreadsheet does.
pub fn is_spreadsheet(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ENDINGS.iter().any(|s| e.eq_ignore_ascii_case(s)))
}

/// The most cells a sheet's table may span (rows under the header times its columns): two
/// million rows of ACLED's 31 columns, far short of what would not fit in memory. A sheet's
/// cells are gathered where they lie, so one cell written at the sheet's far corner costs
/// nothing; only the table under the header is laid out in full.
const MAX_TABLE_CELLS: u64 = 64_000_000;

/// The most columns a header is read to (Excel's own limit is 16,384).
const MAX_COLUMNS: u32 = 1_024;

/// A sheet's non-empty cells by row (counted from 0), each row's cells by column.
type SparseSheet = std::collections::BTreeMap<u32, Vec<(u32, String)>>;

pub fn read(path: &Path, bytes: &[u8], mapping: &Mapping) -> Result<Imported, ExchangeError> {
    let malformed = |message: String| ExchangeError::Malformed {
        path: path.to_owned(),
        message,
    };
    if bytes.starts_with(b"PK") {
        check_unpacked_size(Cursor::new(bytes)).map_err(malformed)?;
    }
    // The spreadsheet reader is another crate's code over hostile bytes: should it fail on
    // some workbook, that is this file's error, not the program's end.
    let sheets = std::panic::catch_unwind(|| sheets_of(bytes))
        .unwrap_or_else(|_| Err("the spreadsheet reader failed on this workbook".to_owned()))
        .map_err(malformed)?;
    let mut looked = Vec::new();
    for (name, sheet) in sheets {
        let header_row = sheet
            .iter()
            .find(|(_, cells)| is_header(&dense(cells, MAX_COLUMNS)))
            .map(|(row, _)| *row);
        let Some(header_row) = header_row else {
            looked.push(name);
            continue;
        };
        let names = dense(&sheet[&header_row], MAX_COLUMNS);
        let width = names.len() as u32;
        let rows_below = sheet.range(header_row + 1..).count() as u64;
        if rows_below.saturating_mul(u64::from(width)) > MAX_TABLE_CELLS {
            return Err(malformed(format!(
                "sheet {name:?}: {rows_below} rows of {width} columns, more than the {} cells \
                 read from a spreadsheet; save the sheet as CSV",
                MAX_TABLE_CELLS
            )));
        }
        let names: Vec<String> = names.iter().map(|c| c.trim().to_owned()).collect();
        let records = sheet
            .range(header_row + 1..)
            .filter_map(|(row, cells)| {
                let mut cells = dense(cells, width);
                if cells.iter().all(|c| c.trim().is_empty()) {
                    return None;
                }
                cells.resize(width as usize, String::new());
                // Rows counted from 1 as the spreadsheet shows them.
                Some((
                    RowPlace::Row(u64::from(*row) + 1),
                    ::csv::StringRecord::from(cells),
                ))
            })
            .collect();
        return super::read_table(path, Table::made(names, records), mapping);
    }
    Err(malformed(format!(
        "no sheet has a header row naming incidents' columns (looked at {}; a header holds \
         e.g. event_date, event_type, latitude, longitude, or date and lat/lon)",
        looked
            .iter()
            .map(|n| format!("{n:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    )))
}

/// Every sheet's non-empty cells, in the workbook's order. Excel workbooks are read cell by
/// cell as they are stored; the other kinds through the reader's whole-sheet ranges.
fn sheets_of(bytes: &[u8]) -> Result<Vec<(String, SparseSheet)>, String> {
    let mut workbook = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| format!("not a spreadsheet that can be read: {e}"))?;
    let names = workbook.sheet_names();
    if names.is_empty() {
        return Err("the workbook has no sheets".to_owned());
    }
    let mut sheets = Vec::with_capacity(names.len());
    for name in names {
        let mut sheet = SparseSheet::new();
        let mut keep = |(row, column): (u32, u32), text: String| {
            if !text.is_empty() && column < MAX_COLUMNS {
                sheet.entry(row).or_default().push((column, text));
            }
        };
        if let calamine::Sheets::Xlsx(xlsx) = &mut workbook {
            let mut cells = match xlsx.worksheet_cells_reader(&name) {
                Ok(cells) => cells,
                // A chart sheet holds no table.
                Err(calamine::XlsxError::NotAWorksheet(_)) => continue,
                Err(e) => return Err(format!("sheet {name:?}: {e}")),
            };
            while let Some(cell) = cells
                .next_cell()
                .map_err(|e| format!("sheet {name:?}: {e}"))?
            {
                keep(
                    cell.get_position(),
                    cell_text(&Data::from(cell.get_value().clone())),
                );
            }
        } else {
            let range = workbook
                .worksheet_range(&name)
                .map_err(|e| format!("sheet {name:?}: {e}"))?;
            for (row, column, cell) in range.used_cells() {
                let (top, left) = range.start().unwrap_or((0, 0));
                keep(
                    (
                        top.saturating_add(row as u32),
                        left.saturating_add(column as u32),
                    ),
                    cell_text(cell),
                );
            }
        }
        sheets.push((name, sheet));
    }
    Ok(sheets)
}

/// A row's cells laid out by column, up to its last cell or `width` columns, whichever is
/// fewer; cells further right are not read.
fn dense(cells: &[(u32, String)], width: u32) -> Vec<String> {
    let last = cells
        .iter()
        .filter(|(column, _)| *column < width)
        .map(|(column, _)| *column + 1)
        .max()
        .unwrap_or(0);
    let mut row = vec![String::new(); last as usize];
    for (column, text) in cells {
        if let Some(slot) = row.get_mut(*column as usize) {
            slot.clone_from(text);
        }
    }
    row
}

/// Refuses a workbook whose parts unpack to more than [`MAX_UNPACKED_BYTES`] (a zip bomb),
/// from the sizes its directory declares.
fn check_unpacked_size(reader: impl Read + Seek) -> Result<(), String> {
    let mut archive =
        zip::ZipArchive::new(reader).map_err(|e| format!("not a readable workbook: {e}"))?;
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive
            .by_index_raw(i)
            .map_err(|e| format!("not a readable workbook: {e}"))?;
        total = total.saturating_add(entry.size());
    }
    if total > MAX_UNPACKED_BYTES {
        return Err(format!(
            "the workbook unpacks to {} MB, more than the {} MB read",
            total >> 20,
            MAX_UNPACKED_BYTES >> 20
        ));
    }
    Ok(())
}

/// Whether a row is a table's header: it names one of the columns a known layout has.
fn is_header(row: &[String]) -> bool {
    let filled = row.iter().filter(|c| !c.trim().is_empty()).count();
    filled >= 2
        && row
            .iter()
            .any(|c| super::KNOWN_COLUMNS.contains(&super::column_key(c).as_str()))
}

/// A cell as the text a CSV of the same sheet would hold.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(text) | Data::DateTimeIso(text) | Data::DurationIso(text) => text.clone(),
        Data::Int(n) => n.to_string(),
        // Whole numbers as integers (an id, a year, a toll), not "12.0".
        Data::Float(x) if x.fract() == 0.0 && x.abs() < 1e15 => format!("{}", *x as i64),
        Data::Float(x) => x.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(when) if when.is_datetime() => {
            let (year, month, day, hour, minute, second, _) = when.to_ymd_hms_milli();
            if (hour, minute, second) == (0, 0, 0) {
                format!("{year:04}-{month:02}-{day:02}")
            } else {
                format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}")
            }
        }
        Data::DateTime(when) => when.as_f64().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_read_as_a_csv_of_the_sheet_would_hold_them() {
        assert_eq!(cell_text(&Data::Float(12.0)), "12");
        assert_eq!(cell_text(&Data::Float(36.34)), "36.34");
        assert_eq!(cell_text(&Data::Int(-3)), "-3");
        assert_eq!(cell_text(&Data::Empty), "");
        let date =
            calamine::ExcelDateTime::new(45_312.0, calamine::ExcelDateTimeType::DateTime, false);
        assert_eq!(cell_text(&Data::DateTime(date)), "2024-01-21");
        let with_time =
            calamine::ExcelDateTime::new(45_312.75, calamine::ExcelDateTimeType::DateTime, false);
        assert_eq!(cell_text(&Data::DateTime(with_time)), "2024-01-21T18:00:00");
    }

    /// A workbook of one sheet whose rows are `rows` (cells as `(reference, text)`), stored
    /// uncompressed.
    fn workbook(rows: &[&[(&str, &str)]]) -> Vec<u8> {
        use std::io::Write;
        let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
        let package = "http://schemas.openxmlformats.org/package/2006/relationships";
        let mut sheet = format!(r#"<worksheet xmlns="{main}"><sheetData>"#);
        for cells in rows {
            sheet.push_str("<row>");
            for (at, text) in *cells {
                sheet.push_str(&format!(
                    r#"<c r="{at}" t="inlineStr"><is><t>{text}</t></is></c>"#
                ));
            }
            sheet.push_str("</row>");
        }
        sheet.push_str("</sheetData></worksheet>");
        let parts = [
            (
                "[Content_Types].xml",
                r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_owned(),
            ),
            (
                "_rels/.rels",
                format!(r#"<Relationships xmlns="{package}"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#),
            ),
            (
                "xl/workbook.xml",
                format!(r#"<workbook xmlns="{main}" xmlns:r="{rel}"><sheets><sheet name="Events" sheetId="1" r:id="rId1"/></sheets></workbook>"#),
            ),
            (
                "xl/_rels/workbook.xml.rels",
                format!(r#"<Relationships xmlns="{package}"><Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#),
            ),
            ("xl/worksheets/sheet1.xml", sheet),
        ];
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for (name, xml) in parts {
            zip.start_file(name, stored).expect("a part");
            zip.write_all(xml.as_bytes()).expect("its XML");
        }
        zip.finish().expect("the workbook").into_inner()
    }

    const HEADER: &[(&str, &str)] = &[
        ("A1", "event_date"),
        ("B1", "event_type"),
        ("C1", "sub_event_type"),
        ("D1", "location"),
        ("E1", "latitude"),
        ("F1", "longitude"),
        ("G1", "fatalities"),
    ];
    const EVENT: &[(&str, &str)] = &[
        ("A2", "2024-05-03"),
        ("B2", "Battles"),
        ("C2", "Armed clash"),
        ("D2", "Baqubah"),
        ("E2", "33.75"),
        ("F2", "44.64"),
        ("G2", "2"),
    ];

    /// One cell at the sheet's far corner (row 1,048,576, column XFD) would make the whole
    /// sheet 17 billion cells if laid out in full; read cell by cell it costs nothing, and the
    /// cell, right of the header, is not part of the table.
    #[test]
    fn a_cell_at_the_far_corner_of_a_sheet_costs_nothing() {
        let bytes = workbook(&[HEADER, EVENT, &[("XFD1048576", "far away")]]);
        let imported = read(Path::new("far.xlsx"), &bytes, &Mapping::default())
            .expect("the table under the header is read");
        assert_eq!(imported.store.incidents.len(), 1, "{:?}", imported.problems);
        assert_eq!(imported.store.incidents[0].fatalities, Some(2));
    }

    /// Cells placed past the sheet's columns by references too long for any sheet are left
    /// unread; the table around them still is.
    #[test]
    fn cell_references_past_every_column_are_left_unread() {
        let bytes = workbook(&[HEADER, EVENT, &[("ZZZZZZZZZZZZ3", "nowhere")]]);
        let imported =
            read(Path::new("odd.xlsx"), &bytes, &Mapping::default()).expect("the table is read");
        assert_eq!(imported.store.incidents.len(), 1, "{:?}", imported.problems);
    }

    #[test]
    fn a_header_names_a_known_column() {
        let row = |cells: &[&str]| cells.iter().map(|c| (*c).to_owned()).collect::<Vec<_>>();
        assert!(is_header(&row(&["Event Date", "Event Type", "Latitude"])));
        assert!(!is_header(&row(&["Incidents exported 2024-02-01", ""])));
        assert!(!is_header(&row(&["date"])));
    }
}
