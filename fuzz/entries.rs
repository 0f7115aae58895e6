//! What each fuzz target does with its input: read it the way the program reads outside
//! input, and check what must hold whatever the bytes are. Shared by the libFuzzer targets in
//! `fuzz_targets/` and by `tests/fuzz_replay.rs`, which replays the saved inputs on stable
//! Rust in `scripts/test`.
//!
//! A panic anywhere is a finding; so is a reader that accepts input and then hands on
//! something the rest of the program would trip over (a store that fails its own
//! validation, spans off character boundaries).
#![allow(dead_code)]

use std::io::Cursor;
use std::path::Path;
use std::sync::OnceLock;

use incident_map::articles::{decode_article, feeds, page, parse_article, parse_manifest};
use incident_map::exchange;
use incident_map::extract::{self, gazetteer::GazetteerPlaces};
use incident_map::gazetteer::Gazetteer;
use incident_map::geoparse;
use incident_map::store::Store;
use incident_map::view::basemap::mbtiles::MbTiles;
use incident_map::view::basemap::{Archive, archive, inspect_pmtiles_from};
use incident_map::workspace::{Source, Workspace};

/// The bundled gazetteer, loaded once per process (loading takes a few hundred ms).
fn gazetteer() -> &'static Gazetteer {
    static GAZETTEER: OnceLock<&'static Gazetteer> = OnceLock::new();
    GAZETTEER.get_or_init(|| match Gazetteer::bundled() {
        Ok(gazetteer) => gazetteer,
        Err(e) => panic!("the bundled gazetteer must load for fuzzing: {e}"),
    })
}

fn check_range(text: &str, start: usize, end: usize, what: &str) {
    assert!(
        start <= end && end <= text.len(),
        "{what} {start}..{end} out of bounds"
    );
    assert!(
        text.is_char_boundary(start) && text.is_char_boundary(end),
        "{what} {start}..{end} splits a character"
    );
}

/// An article file: size, binary and encoding checks, metadata, boilerplate.
pub fn article(data: &[u8]) {
    let Ok(loaded) = decode_article(Path::new("fuzz/article.txt"), data) else {
        return;
    };
    let text = &loaded.article.text;
    for range in loaded.story_ranges() {
        check_range(text, range.start, range.end, "story range");
    }
    for byte in (0..text.len()).step_by(97) {
        let _ = loaded.is_boilerplate(byte);
    }
}

/// A `manifest.toml` beside the articles.
pub fn manifest(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = parse_manifest(text);
    }
}

/// Place names found and resolved in any text.
pub fn geoparse(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    for mention in geoparse::geoparse(gazetteer(), &text) {
        check_range(&text, mention.span.start, mention.span.end, "mention");
    }
}

/// Incidents read from any article: whatever comes out is a valid store.
pub fn extract(data: &[u8]) {
    let text = String::from_utf8_lossy(data).into_owned();
    let loaded = parse_article("fuzz", text);
    let places = GazetteerPlaces::new(gazetteer());
    let extraction = extract::extract(std::slice::from_ref(&loaded), &places);
    if let Err(message) = extraction.store.validate() {
        panic!("extraction made an invalid store: {message}");
    }
}

/// An incident store file: accepted stores are valid and survive a save and reload.
pub fn store(data: &[u8]) {
    let path = Path::new("fuzz/incidents.json");
    let Ok(store) = Store::from_json(path, data) else {
        return;
    };
    let json = match serde_json::to_vec(&store) {
        Ok(json) => json,
        Err(e) => panic!("an accepted store cannot be written: {e}"),
    };
    match Store::from_json(path, &json) {
        Ok(again) => assert_eq!(again, store, "a store changed on save and reload"),
        Err(e) => panic!("a saved store does not load again: {e}"),
    }
}

/// Imports whatever was accepted must be valid stores, and export again.
fn import(path: &Path, data: &[u8]) {
    let Ok(imported) = exchange::import_bytes(path, data) else {
        return;
    };
    if let Err(message) = imported.store.validate() {
        panic!("{} imported an invalid store: {message}", path.display());
    }
    let all: Vec<usize> = (0..imported.store.incidents.len()).collect();
    // A GeoPackage's rows are the ACLED writer's, fuzzed here; building an SQLite file for
    // every input would slow the fuzzer a hundredfold.
    for format in exchange::Format::ALL {
        if format != exchange::Format::GeoPackage {
            let _ = exchange::export(&imported.store, &all, format);
        }
    }
}

/// An ACLED-format (or any) CSV file opened in the viewer.
pub fn acled_csv(data: &[u8]) {
    import(Path::new("fuzz/export.csv"), data);
}

/// A GeoJSON file opened in the viewer.
pub fn geojson(data: &[u8]) {
    import(Path::new("fuzz/incidents.geojson"), data);
}

/// A `.pmtiles` archive chosen as the tile source: checked as the viewer checks it when it
/// is chosen, then read tile by tile as the map reads it (every entry of the root and of the
/// leaves it reaches, and every tile of zooms 0 to 3). Whatever a tile holds, it comes back
/// within the size cap.
pub fn pmtiles(data: &[u8]) {
    let _ = inspect_pmtiles_from(&mut Cursor::new(data), data.len() as u64);
    let Ok(mut archive) = Archive::open(Cursor::new(data), data.len() as u64) else {
        return;
    };
    let check = |tile: Result<Option<Vec<u8>>, String>| {
        if let Ok(Some(bytes)) = tile {
            assert!(bytes.len() as u64 <= archive::TILE_DECOMPRESSED_LIMIT);
        }
    };
    let root = archive.root_entries();
    for entry in root.iter().take(64) {
        check(archive.tile_by_id(entry.tile_id));
        if entry.run_length == 0
            && let Ok(leaf) = archive.leaf(*entry)
        {
            for inner in leaf.iter().take(64) {
                check(archive.tile_by_id(inner.tile_id));
            }
        }
    }
    for z in 0..=3u8 {
        for x in 0..1u32 << z {
            for y in 0..1u32 << z {
                check(archive.tile(z, x, y));
            }
        }
    }
}

/// An `.xlsx` workbook opened in the viewer: the zip, the sheets, the header guess.
pub fn spreadsheet(data: &[u8]) {
    import(Path::new("fuzz/export.xlsx"), data);
}

/// A saved web page: its charset guessed, read by readability, captions and teasers marked.
/// Whatever it yields is an article whose ranges lie on the text.
pub fn page(data: &[u8]) {
    let html = page::decode_page(data, None);
    let Ok(loaded) = page::read_page("fuzz", &html, Some("https://example.org/news/1")) else {
        return;
    };
    let text = &loaded.article.text;
    for range in loaded.story_ranges() {
        check_range(text, range.start, range.end, "story range");
    }
    if let Some(range) = &loaded.title_range {
        check_range(text, range.start, range.end, "title range");
    }
}

/// A feed document (RSS, Atom or JSON Feed): every item kept has a web link.
pub fn feed(data: &[u8]) {
    let Ok((_, items, _)) = feeds::parse("https://example.org/feed", data) else {
        return;
    };
    for item in items {
        let lower = item.link.to_ascii_lowercase();
        assert!(
            (lower.starts_with("http://") || lower.starts_with("https://"))
                && !item
                    .link
                    .contains(|c: char| c.is_whitespace() || c.is_control()),
            "a feed item kept a link that is not a web address: {:?}",
            item.link
        );
    }
}

/// A file of the fuzzer's bytes with the given extension, in this process's own folder (the
/// SQLite readers open files, not memory). Rewritten for every input.
fn as_file(data: &[u8], extension: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("incident-map-fuzz-{}", std::process::id()));
    if let Err(e) = std::fs::create_dir_all(&dir) {
        panic!("cannot make the fuzz folder {}: {e}", dir.display());
    }
    let path = dir.join(format!("input.{extension}"));
    if let Err(e) = std::fs::write(&path, data) {
        panic!("cannot write the fuzz input {}: {e}", path.display());
    }
    path
}

/// A GeoPackage opened as the viewer opens it: a workspace file of ours, or another program's
/// layer of points to import. Whatever opens holds a valid store.
pub fn geopackage(data: &[u8]) {
    let path = as_file(data, "gpkg");
    let Ok(workspace) = Workspace::open(&[Source::from_path(&path)], &|_, _| {}) else {
        return;
    };
    if let Err(message) = workspace.store.validate() {
        panic!("an opened GeoPackage holds an invalid store: {message}");
    }
}

/// An MBTiles file chosen as the map's tiles: opened, then the tiles of zooms 0 to 3 read as
/// the map reads them, each within the size cap.
pub fn mbtiles(data: &[u8]) {
    let path = as_file(data, "mbtiles");
    let Ok(mut tiles) = MbTiles::open(&path) else {
        return;
    };
    for z in 0..=3u8 {
        for x in 0..1u32 << z {
            for y in 0..1u32 << z {
                if let Ok(Some(bytes)) = tiles.tile(z, x, y) {
                    assert!(bytes.len() as u64 <= archive::TILE_DECOMPRESSED_LIMIT);
                }
            }
        }
    }
}
