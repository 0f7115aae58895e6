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

pub fn read(path: &Path, bytes: &[u8], mapping: &Mapping) -> Result<Imported, ExchangeError> {
    let malformed = |message: String| ExchangeError::Malformed {
        path: path.to_owned(),
        message,
    };
    if bytes.starts_with(b"PK") {
        check_unpacked_size(Cursor::new(bytes)).map_err(malformed)?;
    }
    let mut workbook = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| malformed(format!("not a spreadsheet that can be read: {e}")))?;
    let names = workbook.sheet_names();
    if names.is_empty() {
        return Err(malformed("the workbook has no sheets".to_owned()));
    }
    let mut looked = Vec::new();
    for name in names {
        let range = workbook
            .worksheet_range(&name)
            .map_err(|e| malformed(format!("sheet {name:?}: {e}")))?;
        let first_row = range.start().map_or(0, |(row, _)| u64::from(row));
        let rows: Vec<Vec<String>> = range
            .rows()
            .map(|row| row.iter().map(cell_text).collect())
            .collect();
        let Some(header) = rows.iter().position(|row| is_header(row)) else {
            looked.push(name);
            continue;
        };
        let names: Vec<String> = rows[header].iter().map(|c| c.trim().to_owned()).collect();
        let records = rows
            .iter()
            .enumerate()
            .skip(header + 1)
            .filter(|(_, row)| row.iter().any(|c| !c.trim().is_empty()))
            .map(|(i, row)| {
                // Rows counted from 1 as the spreadsheet shows them.
                let number = first_row + i as u64 + 1;
                (
                    RowPlace::Row(number),
                    ::csv::StringRecord::from(row.clone()),
                )
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

    #[test]
    fn a_header_names_a_known_column() {
        let row = |cells: &[&str]| cells.iter().map(|c| (*c).to_owned()).collect::<Vec<_>>();
        assert!(is_header(&row(&["Event Date", "Event Type", "Latitude"])));
        assert!(!is_header(&row(&["Incidents exported 2024-02-01", ""])));
        assert!(!is_header(&row(&["date"])));
    }
}
