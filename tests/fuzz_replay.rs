//! Replays the fuzz targets' saved inputs — the seeds and every input that once made a target
//! fail — through the same checks the fuzzers run (`fuzz/entries.rs`), on stable Rust, so a
//! finding fixed once stays fixed. The fuzzers themselves run with `scripts/fuzz`.

#[path = "../fuzz/entries.rs"]
mod entries;

use std::path::{Path, PathBuf};

type Entry = fn(&[u8]);

const TARGETS: &[(&str, Entry)] = &[
    ("article", entries::article),
    ("manifest", entries::manifest),
    ("geoparse", entries::geoparse),
    ("extract", entries::extract),
    ("store", entries::store),
    ("acled_csv", entries::acled_csv),
    ("geojson", entries::geojson),
    ("pmtiles", entries::pmtiles),
    ("spreadsheet", entries::spreadsheet),
    ("page", entries::page),
    ("feed", entries::feed),
    ("geopackage", entries::geopackage),
    ("mbtiles", entries::mbtiles),
];

fn inputs(kind: &str, target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz")
        .join(kind)
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.is_file());
    files.sort();
    files
}

#[test]
fn every_fuzz_target_has_seeds() {
    for (target, _) in TARGETS {
        assert!(
            !inputs("seeds", target).is_empty(),
            "fuzz/seeds/{target}/ is empty"
        );
    }
}

#[test]
fn saved_fuzz_inputs_replay_without_findings() {
    let mut failures = Vec::new();
    let mut replayed = 0;
    for (target, entry) in TARGETS {
        for kind in ["seeds", "regressions"] {
            for file in inputs(kind, target) {
                let bytes = std::fs::read(&file).expect("a saved fuzz input is readable");
                replayed += 1;
                if std::panic::catch_unwind(|| entry(&bytes)).is_err() {
                    failures.push(format!("{target}: {}", file.display()));
                }
            }
        }
    }
    assert!(replayed > 0);
    assert!(
        failures.is_empty(),
        "findings came back:\n{}",
        failures.join("\n")
    );
}

/// The archive seeds are whole archives the reader accepts, with tiles behind leaves and
/// runs, so the fuzzer starts from inputs that reach every part of it.
#[test]
fn the_archive_seeds_open_and_hold_tiles() {
    use incident_map::view::basemap::Archive;
    for name in ["leaves", "gzip-directories", "run"] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fuzz/seeds/pmtiles")
            .join(format!("{name}.pmtiles"));
        let bytes = std::fs::read(&path).expect("the seed is there");
        let mut archive = Archive::open(std::io::Cursor::new(&bytes), bytes.len() as u64)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut found = 0;
        for z in 0..=2u8 {
            for x in 0..1u32 << z {
                for y in 0..1u32 << z {
                    if let Ok(Some(tile)) = archive.tile(z, x, y) {
                        assert!(tile.starts_with(b"tile") || tile == b"same tile");
                        found += 1;
                    }
                }
            }
        }
        assert!(found >= 5, "{name}: {found} tiles");
    }
}
