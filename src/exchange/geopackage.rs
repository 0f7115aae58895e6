//! GeoPackage point layers. In: a layer made elsewhere (ACLED or UCDP converted by `ogr2ogr`, a
//! GIS analyst's layer of events): the first point layer's attributes are read as a table, in
//! the layout its columns name, each feature's point as its place. Out: incidents as a point
//! layer with ACLED's columns, which GIS programs open and this reader reads back. An
//! incident-map workspace is a GeoPackage too (built on the core written here), and is opened
//! as one, not through here.

use std::path::Path;

use rusqlite::{Connection, OpenFlags, params, types::ValueRef};

use super::{ExchangeError, Exported, Imported, Mapping, RowPlace, Table, acled};
use crate::store::Store;

/// GeoPackage's `application_id`: "GPKG".
const APPLICATION_ID: i32 = 0x4750_4B47;
/// GeoPackage 1.3 (what GDAL and QGIS read without a warning).
const VERSION: i32 = 10300;

/// EPSG:4326 as the GeoPackage specification writes it.
const WGS84_WKT: &str = "GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563,AUTHORITY[\"EPSG\",\"7030\"]],AUTHORITY[\"EPSG\",\"6326\"]],PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]],UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],AUTHORITY[\"EPSG\",\"4326\"]]";

/// The tables every GeoPackage has: coordinate systems, contents and geometry columns.
const CORE: &str = r#"
CREATE TABLE gpkg_spatial_ref_sys (
    srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY,
    organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL,
    definition TEXT NOT NULL, description TEXT);
CREATE TABLE gpkg_contents (
    table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
    description TEXT DEFAULT '',
    last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
    CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE gpkg_geometry_columns (
    table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
    srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
    CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
    CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
    CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
"#;

/// Makes an empty database a GeoPackage and registers `layer` (a table the caller creates,
/// with a `geom` point column) as its layer of WGS 84 points.
pub(crate) fn initialise(
    conn: &Connection,
    layer: &str,
    description: &str,
) -> rusqlite::Result<()> {
    conn.pragma_update(None, "application_id", APPLICATION_ID)?;
    conn.pragma_update(None, "user_version", VERSION)?;
    conn.execute_batch(CORE)?;
    conn.execute(
        "INSERT INTO gpkg_spatial_ref_sys VALUES
           ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
           ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
           ('WGS 84 geodetic', 4326, 'EPSG', 4326, ?1, 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid')",
        params![WGS84_WKT],
    )?;
    conn.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id)
         VALUES (?1, 'features', ?1, ?2, 4326)",
        params![layer, description],
    )?;
    conn.execute(
        "INSERT INTO gpkg_geometry_columns VALUES (?1, 'geom', 'POINT', 4326, 0, 0)",
        params![layer],
    )?;
    Ok(())
}

/// Records when `layer` last changed and its extent (what GIS programs zoom to) over
/// `points` (longitude, latitude).
pub(crate) fn record_change(
    conn: &Connection,
    layer: &str,
    points: impl Iterator<Item = (f64, f64)>,
) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now')
         WHERE table_name = ?1",
        params![layer],
    )?;
    let mut extent: Option<[f64; 4]> = None;
    for (lon, lat) in points {
        let e = extent.get_or_insert([lon, lat, lon, lat]);
        *e = [e[0].min(lon), e[1].min(lat), e[2].max(lon), e[3].max(lat)];
    }
    if let Some([min_x, min_y, max_x, max_y]) = extent {
        conn.execute(
            "UPDATE gpkg_contents SET min_x = ?2, min_y = ?3, max_x = ?4, max_y = ?5
             WHERE table_name = ?1",
            params![layer, min_x, min_y, max_x, max_y],
        )?;
    }
    Ok(())
}

/// A point in GeoPackage's binary geometry: the "GP" header (version 0, little-endian, no
/// envelope, SRS 4326) and a WKB point.
pub(crate) fn point_blob(lon: f64, lat: f64) -> Vec<u8> {
    let mut blob = Vec::with_capacity(29);
    blob.extend_from_slice(b"GP");
    blob.push(0);
    blob.push(0b0000_0001);
    blob.extend_from_slice(&4326i32.to_le_bytes());
    blob.push(1);
    blob.extend_from_slice(&1u32.to_le_bytes());
    blob.extend_from_slice(&lon.to_le_bytes());
    blob.extend_from_slice(&lat.to_le_bytes());
    blob
}

/// The layer an export writes.
const EXPORT_LAYER: &str = "incidents";

/// ACLED's columns that hold whole numbers; the rest are text. The coordinates are the
/// point itself, not columns.
const INTEGER_COLUMNS: [&str; 4] = ["year", "time_precision", "geo_precision", "fatalities"];

/// The incidents at `indices` as a GeoPackage of one point layer, `incidents`, with ACLED's
/// columns (undated incidents are left out, as from an ACLED export). SQLite writes files, so
/// the package is built in a temporary file and its bytes returned.
pub fn write(store: &Store, indices: &[usize]) -> std::io::Result<Exported> {
    let (rows, undated) = acled::rows(store, indices);
    let temp = tempfile::Builder::new()
        .prefix("incident-map-export.")
        .suffix(".gpkg")
        .tempfile()?;
    let sql = |e: rusqlite::Error| std::io::Error::other(format!("writing the GeoPackage: {e}"));
    {
        let mut conn = Connection::open(temp.path()).map_err(sql)?;
        let latitude = column_at("latitude");
        let longitude = column_at("longitude");
        let attributes: Vec<(usize, &str)> = acled::COLUMNS
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != latitude && *i != longitude)
            .map(|(i, name)| (i, *name))
            .collect();
        let declared: Vec<String> = attributes
            .iter()
            .map(|(_, name)| {
                let kind = if INTEGER_COLUMNS.contains(name) {
                    "INTEGER"
                } else {
                    "TEXT"
                };
                format!("{name} {kind}")
            })
            .collect();
        conn.execute_batch(&format!(
            "CREATE TABLE {EXPORT_LAYER} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
                 geom POINT, {});",
            declared.join(", ")
        ))
        .map_err(sql)?;
        initialise(&conn, EXPORT_LAYER, "Incidents exported by incident-map").map_err(sql)?;
        let tx = conn.transaction().map_err(sql)?;
        {
            let names: Vec<&str> = attributes.iter().map(|(_, name)| *name).collect();
            let slots: Vec<String> = (2..=names.len() + 1).map(|n| format!("?{n}")).collect();
            let mut insert = tx
                .prepare(&format!(
                    "INSERT INTO {EXPORT_LAYER} (geom, {}) VALUES (?1, {})",
                    names.join(", "),
                    slots.join(", ")
                ))
                .map_err(sql)?;
            for row in &rows {
                let lon: f64 = row[longitude].parse().unwrap_or(f64::NAN);
                let lat: f64 = row[latitude].parse().unwrap_or(f64::NAN);
                let mut values: Vec<rusqlite::types::Value> = Vec::with_capacity(names.len() + 1);
                values.push(point_blob(lon, lat).into());
                for (i, name) in &attributes {
                    let cell = &row[*i];
                    values.push(match cell.parse::<i64>() {
                        Ok(n) if INTEGER_COLUMNS.contains(name) => n.into(),
                        _ if cell.is_empty() => rusqlite::types::Value::Null,
                        _ => cell.clone().into(),
                    });
                }
                insert
                    .execute(rusqlite::params_from_iter(values))
                    .map_err(sql)?;
            }
        }
        record_change(
            &tx,
            EXPORT_LAYER,
            rows.iter().filter_map(|row| {
                Some((row[longitude].parse().ok()?, row[latitude].parse().ok()?))
            }),
        )
        .map_err(sql)?;
        tx.commit().map_err(sql)?;
    }
    Ok(Exported {
        bytes: std::fs::read(temp.path())?,
        written: rows.len(),
        left_out: acled::undated_left_out(undated),
    })
}

/// Where ACLED's column `name` lies in a row.
fn column_at(name: &str) -> usize {
    acled::COLUMNS
        .iter()
        .position(|c| *c == name)
        .unwrap_or(usize::MAX)
}

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
    let mut imported = super::read_table(path, Table::made(names, records), mapping)?;
    imported.unit = "features";
    Ok(imported)
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

    #[test]
    fn a_point_blob_is_geopackage_binary() {
        let blob = point_blob(40.5, 36.25);
        assert_eq!(&blob[..4], b"GP\0\x01");
        assert_eq!(
            i32::from_le_bytes([blob[4], blob[5], blob[6], blob[7]]),
            4326
        );
        assert_eq!(blob[8], 1, "little-endian WKB");
        assert_eq!(
            u32::from_le_bytes([blob[9], blob[10], blob[11], blob[12]]),
            1
        );
        assert_eq!(blob.len(), 29);
        assert_eq!(point_of(&blob), Some((40.5, 36.25)), "read back as written");
    }

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
