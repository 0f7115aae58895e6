//! Briefing images from the command line: `incident-map render` run as a user would, its PNGs
//! compared with the snapshots in tests/snapshots/ (`UPDATE_SNAPSHOTS=1 cargo test --test
//! briefing` rewrites them), and its refusals of bad arguments. Rendering is headless wgpu
//! (lavapipe on a machine without a GPU). The creation date is fixed so the images are stable.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use egui_kittest::SnapshotOptions;

fn render(args: &[&str], output: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_incident-map"))
        .arg("render")
        .args(args)
        .arg("-o")
        .arg(output)
        .output()
        .unwrap_or_else(|e| panic!("cannot run incident-map: {e}"))
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Renders at 960×540 and compares with the snapshot `name`.
fn snapshot(args: &[&str], name: &str) -> String {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join(format!("{name}.png"));
    let mut all = vec!["--size", "960x540", "--created", "2026-01-15"];
    all.extend_from_slice(args);
    let output = render(&all, &path);
    assert!(output.status.success(), "{}", stderr(&output));
    let image = image::open(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .to_rgba8();
    assert_eq!((image.width(), image.height()), (960, 540));
    // Software rasterisers differ a little between versions; the layout must not.
    let options = SnapshotOptions::new().threshold(2.0).max_failed_pixels(400);
    egui_kittest::try_image_snapshot_options(&image, name, &options)
        .unwrap_or_else(|e| panic!("{e}"));
    stderr(&output)
}

#[test]
fn the_bundled_incidents_light() {
    let log = snapshot(&["--fit"], "briefing_bundled_light");
    assert!(log.contains("incidents in the key"), "{log}");
}

#[test]
fn the_bundled_incidents_dark_with_a_title_and_filters() {
    snapshot(
        &[
            "--theme",
            "dark",
            "--title",
            "Battles around al-Hasakah",
            "--types",
            "Battles",
        ],
        "briefing_battles_dark",
    );
}

/// An explicit area with nothing in it is drawn, with the key saying so (with --fit it is an
/// error: there is nothing to fit).
#[test]
fn an_area_with_no_incidents() {
    let log = snapshot(&["--bbox", "35.0,29.0,38.5,31.5"], "briefing_empty_area");
    assert!(log.contains("0 incidents in the key"), "{log}");
}

#[test]
fn full_hd_by_default() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("briefing.png");
    let output = render(&[], &path);
    assert!(output.status.success(), "{}", stderr(&output));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    // IHDR: width and height, big-endian, right after the chunk header.
    let width = u32::from_be_bytes([bytes[16], bytes[17], bytes[18], bytes[19]]);
    let height = u32::from_be_bytes([bytes[20], bytes[21], bytes[22], bytes[23]]);
    assert_eq!((width, height), (1920, 1080));
    // Only the image is left in the folder: the write went through a temporary file.
    assert_eq!(
        std::fs::read_dir(dir.path()).map(|d| d.count()).ok(),
        Some(1)
    );
}

/// A refused command says why, fails, and leaves no file behind.
fn refused(args: &[&str], output_name: &str, expected: &str) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path: PathBuf = if output_name.starts_with('/') {
        PathBuf::from(output_name)
    } else {
        dir.path().join(output_name)
    };
    let output = render(args, &path);
    let log = stderr(&output);
    assert!(!output.status.success(), "{args:?} succeeded");
    assert!(
        log.contains(expected),
        "{args:?}: expected {expected:?} in {log}"
    );
    assert!(!path.exists(), "{args:?} left {}", path.display());
    assert_eq!(
        std::fs::read_dir(dir.path()).map(|d| d.count()).ok(),
        Some(0),
        "{args:?} left files behind"
    );
}

#[test]
fn bad_arguments_are_refused_with_a_reason() {
    refused(&["--size", "4000x2500"], "a.png", "too large");
    refused(&["--size", "0x0"], "a.png", "too small");
    refused(&["--size", "big"], "a.png", "bad size");
    refused(
        &["--bbox", "47,32,38,38"],
        "a.png",
        "west must be less than east",
    );
    refused(&["--bbox", "1,2,3"], "a.png", "bad --bbox");
    refused(
        &["--center", "36.4,40.7", "--zoom", "30"],
        "a.png",
        "--zoom",
    );
    refused(&["--from", "2022-02-30"], "a.png", "not a date");
    refused(&["--types", "Skirmishes"], "a.png", "unknown event type");
    refused(
        &["--data", "/nonexistent/store.json"],
        "a.png",
        "/nonexistent/store.json",
    );
    refused(&[], "a.jpg", "must be a .png");
}

#[test]
fn an_empty_selection_cannot_be_fitted() {
    refused(
        &["--from", "2030-01-01"],
        "a.png",
        "no incidents match the filters",
    );
}

#[test]
fn an_unwritable_path_is_refused_before_rendering() {
    refused(
        &[],
        "/nonexistent-folder-for-incident-map/a.png",
        "does not exist",
    );
}

#[cfg(unix)]
#[test]
fn a_read_only_folder_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).unwrap_or_else(|e| panic!("{e}"));
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555))
        .unwrap_or_else(|e| panic!("{e}"));
    let path = locked.join("a.png");
    let output = render(&[], &path);
    // Root may write anywhere; everyone else is refused.
    if !output.status.success() {
        assert!(
            stderr(&output).contains("cannot write"),
            "{}",
            stderr(&output)
        );
        assert!(!path.exists());
    }
}

#[test]
fn an_acled_csv_is_drawn_and_its_bad_rows_are_named() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let csv = dir.path().join("acled.csv");
    std::fs::write(
        &csv,
        "event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,actor2,country,admin1,admin2,location,latitude,longitude,geo_precision,source,notes,fatalities\n\
         SYR1,2022-01-20,2022,1,Battles,Armed clash,Islamic State (Syria),,Syria,Al-Hasakeh,,Ghuwayran,36.4722,40.7463,1,SOHR,Prison attacked,87\n\
         SYR2,not a date,2022,1,Battles,Armed clash,Islamic State (Syria),,Syria,Al-Hasakeh,,Ghuwayran,36.4722,40.7463,1,SOHR,,0\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("acled.png");
    let data = csv.to_str().unwrap_or_default();
    let output = render(&["--data", data, "--size", "960x540"], &path);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stderr(&output).contains("line 3"), "{}", stderr(&output));
    assert!(path.is_file());
}
