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
