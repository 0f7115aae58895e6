//! Point layers of a GeoPackage made elsewhere (ACLED or UCDP converted by `ogr2ogr`, a GIS
//! analyst's layer of events): the first point layer's attributes are read as a table, in the
//! layout its columns name, each feature's point as its place. An incident-map workspace is a
//! GeoPackage too, and is opened as one, not through here.

use std::path::Path;

use rusqlite::{Connection, OpenFlags, types::ValueRef};

use super::{ExchangeError, Imported, Mapping, RowPlace, Table};

/// Whether `path` ends as a GeoPackage does.
pub fn is_geopackage_path(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gpkg"))
}

/// Whether `path` is a GeoPackage that holds feature layers but is not an incident-map
/// workspace (a file that cannot be opened is not: the workspace reader says why).
pub fn is_foreign(path: &Path) -> bool {
    if !is_geopackage_path(path) || !path.is_file() {
        return false;
    }
    let Ok(conn) = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY) else {
        return false;
    };
    let has = |table: &str| {
        conn.query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
            [table],
            |row| row.get::<_, i64>(0),
        )
        .is_ok_and(|n| n > 0)
    };
    has("gpkg_contents") && !has("incident_map_meta")
}

pub fn read(path: &Path, mapping: &Mapping) -> Result<Imported, ExchangeError> {
    let malformed = |message: String| ExchangeError::Malformed {
        path: path.to_owned(),
        message,
    };
    let sql = |e: rusqlite::Error| malformed(format!("not a GeoPackage that can be read: {e}"));
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(sql)?;
    // The first layer of points, with the EPSG code of its coordinates.
    let layer: Option<(String, String, Option<i64>, String)> = conn
        .query_row(
            "SELECT c.table_name, g.column_name, s.organization_coordsys_id, s.organization
             FROM gpkg_contents c
             JOIN gpkg_geometry_columns g ON g.table_name = c.table_name
             LEFT JOIN gpkg_spatial_ref_sys s ON s.srs_id = g.srs_id
             WHERE c.data_type = 'features'
               AND upper(g.geometry_type_name) IN ('POINT', 'MULTIPOINT', 'GEOMETRY')
             ORDER BY c.rowid LIMIT 1",
            [],
            |row| {
                Ok((
                    row.get(0)?,
                    row.get(1)?,
                    row.get(2)?,
                    row.get::<_, Option<String>>(3)?.unwrap_or_default(),
                ))
            },
        )
        .map(Some)
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(None),
            e => Err(sql(e)),
        })?;
    let Some((table, geometry, epsg, organization)) = layer else {
        return Err(malformed(
            "the GeoPackage has no layer of points (incidents are points)".to_owned(),
        ));
    };
    // Only longitude and latitude are read; other coordinates would need reprojecting.
    let geographic = epsg.is_none_or(|code| code == 4326 || code == 0 || code == -1)
        || !organization.eq_ignore_ascii_case("EPSG");
    if !geographic {
        return Err(malformed(format!(
            "layer {table:?} is in EPSG:{}; incident-map reads longitude and latitude \
             (EPSG:4326): convert it with `ogr2ogr -t_srs EPSG:4326 out.gpkg {}`",
            epsg.unwrap_or_default(),
            path.display()
        )));
    }
    let quoted = |name: &str| format!("\"{}\"", name.replace('"', "\"\""));
    let mut statement = conn
        .prepare(&format!("SELECT * FROM {}", quoted(&table)))
        .map_err(sql)?;
    let columns: Vec<String> = statement.column_names().map(str::to_owned).collect();
    let geometry_at = columns
        .iter()
        .position(|c| c.eq_ignore_ascii_case(&geometry));
    let mut names: Vec<String> = columns
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != geometry_at)
        .map(|(_, c)| c.clone())
        .collect();
    names.push("longitude".to_owned());
    names.push("latitude".to_owned());
    let mut records = Vec::new();
    let mut rows = statement.query([]).map_err(sql)?;
    let mut feature = 0usize;
    while let Some(row) = rows.next().map_err(sql)? {
        feature += 1;
        let mut cells = Vec::with_capacity(names.len());
        let mut point = None;
        for i in 0..columns.len() {
            let value = row.get_ref(i).map_err(sql)?;
            if Some(i) == geometry_at {
                if let ValueRef::Blob(blob) = value {
                    point = point_of(blob);
                }
                continue;
            }
            cells.push(match value {
                ValueRef::Null => String::new(),
                ValueRef::Integer(n) => n.to_string(),
                ValueRef::Real(x) => x.to_string(),
                ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
                ValueRef::Blob(_) => String::new(),
            });
        }
        // A feature without a point keeps empty coordinates: the table reader names it.
        let (lon, lat) = point.map_or((String::new(), String::new()), |(x, y)| {
            (x.to_string(), y.to_string())
        });
        cells.push(lon);
        cells.push(lat);
        records.push((RowPlace::Feature(feature), ::csv::StringRecord::from(cells)));
    }
    super::read_table(path, Table::made(names, records), mapping)
}

/// The point of a GeoPackage geometry: the "GP" header, its envelope skipped, then a WKB
/// point (or the first point of a multipoint), in either byte order, with or without Z/M.
fn point_of(blob: &[u8]) -> Option<(f64, f64)> {
    if blob.get(..2)? != b"GP" {
        return None;
    }
    let flags = *blob.get(3)?;
    if flags & 0b1_0000 != 0 {
        // An empty geometry.
        return None;
    }
    let envelope = match (flags >> 1) & 0b111 {
        0 => 0,
        1 => 32,
        2 | 3 => 48,
        4 => 64,
        _ => return None,
    };
    wkb_point(blob.get(8 + envelope..)?)
}

fn wkb_point(wkb: &[u8]) -> Option<(f64, f64)> {
    let little = match wkb.first()? {
        0 => false,
        1 => true,
        _ => return None,
    };
    let u32_at = |at: usize| -> Option<u32> {
        let bytes: [u8; 4] = wkb.get(at..at + 4)?.try_into().ok()?;
        Some(if little {
            u32::from_le_bytes(bytes)
        } else {
            u32::from_be_bytes(bytes)
        })
    };
    let f64_at = |at: usize| -> Option<f64> {
        let bytes: [u8; 8] = wkb.get(at..at + 8)?.try_into().ok()?;
        Some(if little {
            f64::from_le_bytes(bytes)
        } else {
            f64::from_be_bytes(bytes)
        })
    };
    // ISO codes (1001, 2001, 3001) and EWKB's high flag bits both mark Z and M.
    let kind = u32_at(1)? & 0x0fff_ffff;
    match kind % 1000 {
        1 => {
            let (x, y) = (f64_at(5)?, f64_at(13)?);
            (x.is_finite() && y.is_finite()).then_some((x, y))
        }
        4 if u32_at(5)? > 0 => wkb_point(wkb.get(9..)?),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gp_point(x: f64, y: f64, envelope: bool, little: bool) -> Vec<u8> {
        let mut blob = b"GP\0".to_vec();
        blob.push(if envelope { 0b0000_0011 } else { 0b0000_0001 });
        blob.extend_from_slice(&4326i32.to_le_bytes());
        if envelope {
            for v in [x, x, y, y] {
                blob.extend_from_slice(&v.to_le_bytes());
            }
        }
        if little {
            blob.push(1);
            blob.extend_from_slice(&1u32.to_le_bytes());
            blob.extend_from_slice(&x.to_le_bytes());
            blob.extend_from_slice(&y.to_le_bytes());
        } else {
            blob.push(0);
            blob.extend_from_slice(&1u32.to_be_bytes());
            blob.extend_from_slice(&x.to_be_bytes());
            blob.extend_from_slice(&y.to_be_bytes());
        }
        blob
    }

    #[test]
    fn points_are_read_in_either_byte_order_with_or_without_an_envelope() {
        assert_eq!(
            point_of(&gp_point(44.4, 33.3, false, true)),
            Some((44.4, 33.3))
        );
        assert_eq!(
            point_of(&gp_point(44.4, 33.3, true, false)),
            Some((44.4, 33.3))
        );
        assert_eq!(point_of(b"GP\0"), None);
        assert_eq!(point_of(b"XX\0\x01\0\0\0\0"), None);
        // A linestring is not a place.
        let mut line = gp_point(1.0, 2.0, false, true);
        line[9..13].copy_from_slice(&2u32.to_le_bytes());
        assert_eq!(point_of(&line), None);
    }
}
