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

/// Renders at 960×540 (unless `args` give a size) and compares with the snapshot `name`.
fn snapshot(args: &[&str], name: &str) -> String {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join(format!("{name}.png"));
    let mut all = vec!["--created", "2026-01-15"];
    if !args.contains(&"--size") {
        all.extend(["--size", "960x540"]);
    }
    all.extend_from_slice(args);
    let output = render(&all, &path);
    assert!(output.status.success(), "{}", stderr(&output));
    let image = image::open(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .to_rgba8();
    if !args.contains(&"--size") {
        assert_eq!((image.width(), image.height()), (960, 540));
    }
    // Software rasterisers differ a little between versions; the layout must not.
    let options = SnapshotOptions::new().threshold(2.0).max_failed_pixels(400);
    egui_kittest::try_image_snapshot_options(&image, name, &options)
        .unwrap_or_else(|e| panic!("{e}"));
    stderr(&output)
}

#[test]
fn the_bundled_incidents_light() {
    let log = snapshot(&["--fit"], "briefing_bundled_light");
    assert!(log.contains("in the key"), "{log}");
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
    assert!(
        log.contains("0 incidents on the map, 0 in the key"),
        "{log}"
    );
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

/// The first line of a briefing's log that says what was written.
fn wrote_line(log: &str) -> &str {
    log.lines()
        .find(|l| l.contains("incident-map: wrote"))
        .unwrap_or_default()
}

#[test]
fn a_dated_briefing_leaves_undated_incidents_out_unless_asked() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("a.png");
    let output = render(&["--size", "960x540"], &path);
    let log = stderr(&output);
    assert!(output.status.success(), "{log}");
    assert!(log.contains("left out 9 undated incidents"), "{log}");
    assert!(wrote_line(&log).contains("7 incidents on the map"), "{log}");
    let output = render(&["--size", "960x540", "--undated"], &path);
    let log = stderr(&output);
    assert!(output.status.success(), "{log}");
    assert!(!log.contains("undated incidents"), "{log}");
    assert!(
        wrote_line(&log).contains("16 incidents on the map"),
        "{log}"
    );
}

#[test]
fn the_style_is_chosen_by_count_or_by_flag() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("a.png");
    let output = render(&["--size", "1280x720"], &path);
    assert!(
        wrote_line(&stderr(&output)).contains("markers style"),
        "{}",
        stderr(&output)
    );
    let output = render(&["--size", "960x540", "--style", "density"], &path);
    assert!(
        wrote_line(&stderr(&output)).contains("density style"),
        "{}",
        stderr(&output)
    );
    refused(&["--style", "heatmap"], "a.png", "invalid value");
}

#[test]
fn fit_leaves_a_far_outlier_outside_and_says_so() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let csv = dir.path().join("acled.csv");
    let mut rows = String::from(
        "event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,actor2,country,admin1,admin2,location,latitude,longitude,geo_precision,source,notes,fatalities\n",
    );
    for k in 0..30 {
        rows.push_str(&format!(
            "SYR{k},2022-01-{:02},2022,1,Battles,Armed clash,Islamic State (Syria),,Syria,Al-Hasakeh,,Ghuwayran,{},{},1,SOHR,Clash,1\n",
            k % 28 + 1,
            36.3 + f64::from(k % 6) * 0.1,
            40.6 + f64::from(k % 5) * 0.1,
        ));
    }
    rows.push_str("FRA1,2022-01-10,2022,1,Protests,Peaceful protest,Protesters (France),,France,Ile-de-France,,Paris,48.85,2.35,1,AFP,Rally,0\n");
    std::fs::write(&csv, rows).unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("fit.png");
    let data = csv.to_str().unwrap_or_default();
    let output = render(&["--data", data, "--size", "960x540"], &path);
    let log = stderr(&output);
    assert!(output.status.success(), "{log}");
    assert!(
        log.contains(
            "--fit left 1 incident far from the rest outside the map: Paris (48.85, 2.35)"
        ),
        "{log}"
    );
    assert!(
        wrote_line(&log).contains("30 incidents on the map"),
        "{log}"
    );
}

mod in_process {
    //! Briefings rendered in this process over synthetic incidents (the generator `bench`
    //! uses): no store file to write and read back, so a debug build draws 100,000 incidents
    //! in seconds.

    use egui_kittest::SnapshotOptions;
    use incident_map::bench::synthetic;
    use incident_map::briefing::{self, BriefingSpec, ImageSize, Offscreen, Style};
    use incident_map::store::Store;
    use incident_map::view::basemap::{Theme, TileChoice};
    use incident_map::workspace::annotations::Annotation;
    use incident_map::workspace::filter::{Filter, Undated, visible_incidents};

    pub fn render(
        store: &Store,
        style: Option<Style>,
        size: ImageSize,
        title: &str,
        filter: Filter,
        annotations: Vec<Annotation>,
    ) -> briefing::Briefing {
        let visible = visible_incidents(store, &filter);
        let (visible, _) = briefing::compose::briefing_incidents(store, &filter, visible);
        let Some((view, _)) = briefing::fitted_view(store, &visible, size) else {
            panic!("nothing to fit");
        };
        let spec = BriefingSpec {
            title: title.to_owned(),
            size,
            theme: Theme::Light,
            view,
            filter,
            tiles: TileChoice::BuiltIn,
            created: jiff::civil::date(2026, 1, 15),
            style,
            annotations,
        };
        let offscreen = Offscreen::new().unwrap_or_else(|e| panic!("{e}"));
        briefing::render_briefing(&offscreen, &spec, store, &Default::default())
            .unwrap_or_else(|e| panic!("{e}"))
    }

    pub fn compare(briefing: &briefing::Briefing, name: &str) {
        let options = SnapshotOptions::new().threshold(2.0).max_failed_pixels(600);
        egui_kittest::try_image_snapshot_options(&briefing.image, name, &options)
            .unwrap_or_else(|e| panic!("{e}"));
    }

    #[test]
    fn sixteen_incidents_as_numbered_markers() {
        let store = Store::load(&incident_map::workspace::bundled_store())
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(store.incidents.len(), 16);
        // Every incident, undated ones included (as `--undated` asks).
        let filter = Filter {
            undated: Undated::Shown,
            ..Filter::default()
        };
        let b = render(
            &store,
            None,
            ImageSize::new(1920, 1080),
            "16 incidents: numbered markers",
            filter,
            Vec::new(),
        );
        assert_eq!(b.style, Style::Markers);
        assert_eq!((b.incidents_shown, b.incidents_listed), (16, 16));
        compare(&b, "briefing_style_markers_16");
    }

    #[test]
    fn a_thousand_incidents_as_symbols_with_a_summary_and_trend() {
        let store = synthetic::incidents(1_000, 7);
        let b = render(
            &store,
            None,
            ImageSize::new(1280, 720),
            "1,000 incidents: symbols per area",
            Filter::default(),
            Vec::new(),
        );
        compare(&b, "briefing_style_aggregate_1000");
        assert_eq!(b.style, Style::Aggregate);
        assert!(b.incidents_shown >= 990, "{}", b.incidents_shown);
        assert!(b.incidents_listed >= 2, "the deadliest are named");
    }

    /// A 100,000-incident render finishes (its time is measured with `bench briefing` and
    /// written in BENCHMARKS.md, not here).
    #[test]
    fn a_hundred_thousand_incidents_as_a_density_surface() {
        let store = synthetic::incidents(100_000, 7);
        // Chosen by hand: these synthetic incidents gather around 57 towns, few enough
        // squares for symbols (the style chosen by count is asserted on its own below).
        let b = render(
            &store,
            Some(Style::Density),
            ImageSize::new(1280, 720),
            "100,000 incidents: density",
            Filter::default(),
            Vec::new(),
        );
        compare(&b, "briefing_style_density_100000");
        assert_eq!(b.style, Style::Density);
        assert!(b.incidents_shown >= 98_000, "{}", b.incidents_shown);
    }
}

/// The analyst's marks, saved in a workspace file, drawn by `render` from it.
#[test]
fn a_briefing_with_the_analysts_marks_from_a_workspace() {
    use incident_map::workspace::Workspace;
    use incident_map::workspace::annotations::{LatLon, Mark};
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let desk = dir.path().join("desk.gpkg");
    let mut workspace = Workspace::open(&[incident_map::workspace::Source::bundled()], &|_, _| {})
        .unwrap_or_else(|e| panic!("{e}"));
    workspace.save_as(&desk).unwrap_or_else(|e| panic!("{e}"));
    let marks = [
        (
            Mark::Text {
                at: LatLon::new(35.3, 40.9),
            },
            "ISIS remnants active here",
        ),
        (
            Mark::Arrow {
                from: LatLon::new(34.3, 42.6),
                to: LatLon::new(35.6, 41.4),
            },
            "Troops moving to the border",
        ),
        (
            Mark::Circle {
                center: LatLon::new(36.49, 40.73),
                radius_km: 25.0,
            },
            "Prison break",
        ),
        (
            Mark::Area {
                ring: vec![
                    LatLon::new(33.6, 44.6),
                    LatLon::new(34.3, 44.9),
                    LatLon::new(34.1, 45.6),
                    LatLon::new(33.5, 45.3),
                ],
            },
            "Hamrin mountains",
        ),
    ];
    for (mark, text) in marks {
        workspace
            .annotate(mark, text)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    drop(workspace);
    let log = snapshot(
        &[
            "--data",
            desk.to_str().unwrap_or_default(),
            "--size",
            "1280x720",
            "--title",
            "With the analyst's marks",
        ],
        "briefing_annotations",
    );
    assert!(wrote_line(&log).contains("markers style"), "{log}");
}
