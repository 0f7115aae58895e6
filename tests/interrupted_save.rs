//! No data lost: the program is killed in the middle of a save, and the file it was replacing
//! is still whole. Saves write a temporary file beside the target and rename it over the target
//! only once it is complete (`src/atomic.rs`), so at any moment the target is either the old
//! file or the new one, never a mix.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use incident_map::store::Store;

/// A store with `copies` times the bundled incidents, so that writing it takes a while.
fn big_store(copies: usize) -> Store {
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/incidents.json");
    let mut store = Store::load(&bundled).expect("the bundled store loads");
    let originals = std::mem::take(&mut store.incidents);
    for copy in 0..copies {
        for incident in &originals {
            let mut incident = incident.clone();
            incident.id = format!("{}-{copy}", incident.id);
            store.incidents.push(incident);
        }
    }
    store
}

/// The hidden temporary file a save of `target` writes first, if one is there now.
fn temp_file_of(target: &Path) -> Option<PathBuf> {
    let dir = target.parent()?;
    let prefix = format!(".{}.", target.file_name()?.to_string_lossy());
    std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&prefix) && n.ends_with(".tmp"))
        })
}

/// Runs `incident-map ARGS`, kills it as soon as its save of `target` has begun, and returns
/// whether the kill came mid-save (false: the save had already finished).
fn kill_during_save(args: &[&str], target: &Path) -> bool {
    let mut child = Command::new(env!("CARGO_BIN_EXE_incident-map"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the program starts");
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut caught = false;
    while Instant::now() < deadline {
        if temp_file_of(target).is_some() {
            // SIGKILL: no destructor, no clean-up, as when the power goes.
            child.kill().expect("kill");
            caught = true;
            break;
        }
        if child.try_wait().expect("wait").is_some() {
            break;
        }
    }
    if !caught {
        let _ = child.kill();
    }
    let _ = child.wait();
    caught
}

#[test]
fn killing_an_export_mid_save_leaves_the_previous_file_whole() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let data = dir.path().join("big.json");
    let target = dir.path().join("briefing-data.geojson");
    let old = b"{\"type\": \"FeatureCollection\", \"features\": []}\n";
    let mut caught = 0;
    for copies in [4_000, 8_000, 16_000] {
        big_store(copies).save(&data).expect("save the test store");
        std::fs::write(&target, old).expect("write the previous export");
        let args = [
            "export",
            "--format",
            "geojson",
            "--data",
            data.to_str().expect("UTF-8 path"),
            "-o",
            target.to_str().expect("UTF-8 path"),
        ];
        if kill_during_save(&args, &target) {
            caught += 1;
            eprintln!("caught the export mid-save with {copies} copies");
            let now = std::fs::read(&target).expect("the target is still there");
            assert_eq!(
                now, old,
                "the previous export was damaged by an interrupted save"
            );
            assert!(
                temp_file_of(&target).is_some(),
                "the half-written save was a temp file"
            );
            // The next save of the same file clears what the killed one left.
            let finished = Command::new(env!("CARGO_BIN_EXE_incident-map"))
                .args(args)
                .output()
                .expect("the program runs");
            assert!(finished.status.success());
            assert!(
                temp_file_of(&target).is_none(),
                "the killed save's temporary file is gone"
            );
            break;
        }
    }
    assert!(
        caught > 0,
        "the save was never caught in progress; make the data bigger"
    );
}

#[cfg(unix)]
#[test]
fn stopping_an_export_mid_save_removes_its_temporary_file() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let data = dir.path().join("big.json");
    let target = dir.path().join("stopped.geojson");
    let old = b"{\"type\": \"FeatureCollection\", \"features\": []}\n";
    big_store(4_000).save(&data).expect("save the test store");
    std::fs::write(&target, old).expect("write the previous export");
    let mut child = Command::new(env!("CARGO_BIN_EXE_incident-map"))
        .args(["export", "--format", "geojson", "--data"])
        .arg(&data)
        .arg("-o")
        .arg(&target)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the program starts");
    let deadline = Instant::now() + Duration::from_secs(300);
    let mut caught = false;
    while Instant::now() < deadline && child.try_wait().expect("wait").is_none() {
        if temp_file_of(&target).is_some() {
            // SIGTERM, as a window manager or `kill` sends it.
            let sent = Command::new("kill")
                .args(["-TERM", &child.id().to_string()])
                .status();
            caught = sent.is_ok_and(|s| s.success());
            break;
        }
    }
    let status = child.wait().expect("it ends");
    if caught && !status.success() {
        assert!(
            temp_file_of(&target).is_none(),
            "the stopped save left its temporary file"
        );
        assert_eq!(std::fs::read(&target).expect("still there"), old);
    } else {
        eprintln!("the export finished before it could be stopped ({caught}, {status})");
    }
}

#[test]
fn killing_an_ingest_mid_save_leaves_the_previous_store_whole() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let articles = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/articles");
    let target = dir.path().join("incidents.json");
    let previous = big_store(2_000);
    let mut caught = false;
    for _ in 0..5 {
        previous.save(&target).expect("save the previous store");
        let args = [
            "ingest",
            articles.to_str().expect("UTF-8 path"),
            "-o",
            target.to_str().expect("UTF-8 path"),
        ];
        if kill_during_save(&args, &target) {
            eprintln!("caught the ingest mid-save");
            caught = true;
            break;
        }
    }
    // Whether or not the kill came mid-save, the store is one whole document: the previous
    // one, or (if the save finished first) the new one.
    let now = Store::load(&target).expect("the store still loads");
    if caught {
        assert_eq!(now, previous, "the previous store was damaged");
    } else {
        assert!(!now.incidents.is_empty());
    }
}
