//! MBTiles archives (an SQLite file of tiles, the format most tile tools write): raster tiles
//! (PNG, JPEG, WebP) or vector tiles (gzipped or not), read with the same size limits as a
//! PMTiles archive. Rows are numbered from the south (TMS), so the row asked for is flipped.

use std::path::Path;

use rusqlite::{Connection, OpenFlags, OptionalExtension};

use super::archive::{TILE_DECOMPRESSED_LIMIT, TILE_STORED_LIMIT, decompress};

/// An open MBTiles file.
pub struct MbTiles {
    conn: Connection,
    /// `format` from the metadata: `pbf` for vector tiles, else the image type.
    pub format: String,
    pub min_zoom: u8,
    pub max_zoom: u8,
    /// The credit the file gives, as plain text.
    pub attribution: Option<String>,
    /// West, south, east, north, when the metadata gives them.
    pub bounds: Option<[f64; 4]>,
}

impl std::fmt::Debug for MbTiles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "MbTiles({}, z{}–{})",
            self.format, self.min_zoom, self.max_zoom
        )
    }
}

/// Whether `path` ends as an MBTiles file does.
pub fn is_mbtiles_path(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("mbtiles"))
}

impl MbTiles {
    /// Opens a regular file read-only and checks it has the tables and a zoom range.
    pub fn open(path: &Path) -> Result<Self, String> {
        let metadata = std::fs::metadata(path).map_err(|e| format!("cannot open: {e}"))?;
        if !metadata.is_file() {
            return Err("not a regular file (a pipe, socket or device)".to_owned());
        }
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| format!("cannot open: {e}"))?;
        let not_mbtiles = |e: rusqlite::Error| format!("not an MBTiles file ({e})");
        let mut meta = std::collections::HashMap::new();
        {
            let mut statement = conn
                .prepare("SELECT name, value FROM metadata")
                .map_err(not_mbtiles)?;
            let rows = statement
                .query_map([], |row| {
                    Ok((row.get::<_, String>(0)?, row.get::<_, Option<String>>(1)?))
                })
                .map_err(not_mbtiles)?;
            for row in rows {
                let (name, value) = row.map_err(not_mbtiles)?;
                meta.insert(name.to_ascii_lowercase(), value.unwrap_or_default());
            }
        }
        let (low, high): (Option<i64>, Option<i64>) = conn
            .query_row(
                "SELECT min(zoom_level), max(zoom_level) FROM tiles",
                [],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .map_err(not_mbtiles)?;
        let zoom = |key: &str, found: Option<i64>| {
            meta.get(key)
                .and_then(|v| v.trim().parse::<i64>().ok())
                .or(found)
        };
        let (Some(min_zoom), Some(max_zoom)) = (zoom("minzoom", low), zoom("maxzoom", high)) else {
            return Err("the file holds no tiles".to_owned());
        };
        if !(0..=30).contains(&min_zoom) || !(min_zoom..=30).contains(&max_zoom) {
            return Err(format!("impossible zoom range {min_zoom}–{max_zoom}"));
        }
        let format = meta
            .get("format")
            .map(|f| f.trim().to_ascii_lowercase())
            .unwrap_or_else(|| "png".to_owned());
        let attribution = meta
            .get("attribution")
            .map(|a| plain_text(a))
            .filter(|a| !a.is_empty());
        let bounds = meta.get("bounds").and_then(|b| {
            let parts: Vec<f64> = b.split(',').filter_map(|v| v.trim().parse().ok()).collect();
            match parts[..] {
                [west, south, east, north] if west < east && south < north => {
                    Some([west, south, east, north])
                }
                _ => None,
            }
        });
        Ok(Self {
            conn,
            bounds,
            format,
            min_zoom: min_zoom as u8,
            max_zoom: max_zoom as u8,
            attribution,
        })
    }

    /// Whether the tiles are vector tiles (drawn with a style) rather than images.
    pub fn is_vector(&self) -> bool {
        matches!(self.format.as_str(), "pbf" | "mvt")
    }

    /// Tile z/x/y (rows counted from the north, as the map asks), decompressed; `Ok(None)`
    /// where the file has none.
    pub fn tile(&mut self, z: u8, x: u32, y: u32) -> Result<Option<Vec<u8>>, String> {
        let place = format!("tile {z}/{x}/{y}");
        let Some(rows) = 1u64.checked_shl(u32::from(z)) else {
            return Ok(None);
        };
        if u64::from(y) >= rows || u64::from(x) >= rows {
            return Ok(None);
        }
        let tms_row = rows - 1 - u64::from(y);
        let stored: Option<(i64, Option<Vec<u8>>)> = self
            .conn
            .query_row(
                "SELECT length(tile_data),
                        CASE WHEN length(tile_data) <= ?4 THEN tile_data END
                 FROM tiles WHERE zoom_level = ?1 AND tile_column = ?2 AND tile_row = ?3",
                rusqlite::params![z, x, tms_row as i64, TILE_STORED_LIMIT as i64],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()
            .map_err(|e| format!("{place}: {e}"))?;
        let Some((length, data)) = stored else {
            return Ok(None);
        };
        let Some(raw) = data else {
            return Err(format!(
                "{place}: {} KiB stored, over the {} KiB a tile may take",
                length >> 10,
                TILE_STORED_LIMIT >> 10
            ));
        };
        // Vector tiles are usually gzipped inside MBTiles; images never are.
        let gzipped = raw.starts_with(&[0x1f, 0x8b]);
        decompress(&raw, if gzipped { 2 } else { 1 }, TILE_DECOMPRESSED_LIMIT)
            .map(Some)
            .map_err(|e| format!("{place}: {e}"))
    }
}

/// Attribution as plain text: an HTML credit (`<a href=…>&copy; OpenStreetMap</a>`) read by
/// the same HTML parser as web pages, so every tag and entity goes (`© OpenStreetMap`).
pub fn plain_text(html: &str) -> String {
    let text = dom_query::Document::from(html).root().text();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// An MBTiles file with one PNG tile at 1/0/0 (north-west), written here.
    pub fn one_tile_file(path: &Path, attribution: &str) -> Vec<u8> {
        let mut png = Vec::new();
        image::RgbaImage::from_pixel(256, 256, image::Rgba([200, 30, 30, 255]))
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .expect("a PNG");
        let conn = Connection::open(path).expect("a new file");
        conn.execute_batch(
            "CREATE TABLE metadata (name text, value text);
             CREATE TABLE tiles (zoom_level integer, tile_column integer, tile_row integer,
                                 tile_data blob);",
        )
        .expect("tables");
        for (name, value) in [
            ("format", "png"),
            ("attribution", attribution),
            ("name", "test"),
        ] {
            conn.execute("INSERT INTO metadata VALUES (?1, ?2)", [name, value])
                .expect("metadata");
        }
        // TMS row 1 at zoom 1 is the northern row, y = 0 as the map counts.
        conn.execute(
            "INSERT INTO tiles VALUES (1, 0, 1, ?1)",
            rusqlite::params![png],
        )
        .expect("a tile");
        png
    }

    #[test]
    fn tiles_are_read_by_map_row_and_the_credit_is_plain_text() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("scan.mbtiles");
        let png = one_tile_file(
            &path,
            r#"<a href="https://www.openstreetmap.org/copyright">&copy; OpenStreetMap</a> contributors"#,
        );
        let mut tiles = MbTiles::open(&path).expect("opens");
        assert!(!tiles.is_vector());
        assert_eq!((tiles.min_zoom, tiles.max_zoom), (1, 1));
        assert_eq!(
            tiles.attribution.as_deref(),
            Some("© OpenStreetMap contributors")
        );
        assert_eq!(tiles.tile(1, 0, 0).expect("read"), Some(png));
        assert_eq!(
            tiles.tile(1, 0, 1).expect("read"),
            None,
            "the southern row is empty"
        );
        assert_eq!(tiles.tile(1, 5, 0).expect("read"), None, "outside the grid");
    }

    #[test]
    fn a_file_that_is_not_mbtiles_is_refused_with_the_reason() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let text = dir.path().join("notes.mbtiles");
        std::fs::write(&text, "just some text, not a database").expect("write");
        let error = MbTiles::open(&text).expect_err("not SQLite");
        assert!(error.contains("not an MBTiles file"), "{error}");
        let empty = dir.path().join("empty.mbtiles");
        Connection::open(&empty)
            .and_then(|c| {
                c.execute_batch(
                    "CREATE TABLE metadata (name text, value text);
                     CREATE TABLE tiles (zoom_level integer, tile_column integer,
                                         tile_row integer, tile_data blob);",
                )
            })
            .expect("an empty file");
        assert_eq!(
            MbTiles::open(&empty).expect_err("no tiles"),
            "the file holds no tiles"
        );
    }
}
