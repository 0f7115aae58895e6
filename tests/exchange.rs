//! Data in and out as a user meets it: `incident-map export` with filters, bad formats and
//! unwritable paths; files read back through `--data`; the viewer's File → Export… writing the
//! filtered incidents; an ACLED file with broken rows opened in the viewer.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use incident_map::app::{Startup, ViewerApp};
use incident_map::exchange;
use incident_map::store::{EventType, Store};
use incident_map::workspace::Source;
use incident_map::workspace::filter::{Filter, Undated};
use serde_json::Value;

fn incident_map(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_incident-map"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn bundled() -> Store {
    Store::load(&incident_map::workspace::bundled_store()).unwrap()
}

fn features(path: &Path) -> Vec<Value> {
    let doc: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    assert_eq!(doc["type"], "FeatureCollection");
    doc["features"].as_array().unwrap().clone()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn entries(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect()
}

#[test]
fn export_writes_every_bundled_incident_as_geojson() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("all.geojson");
    let run = incident_map(&["export", "--format", "geojson", "-o", out.to_str().unwrap()]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let store = bundled();
    assert_eq!(features(&out).len(), store.incidents.len());
    let n = store.incidents.len();
    assert!(
        text(&run.stdout).contains(&format!("Exported {n} of {n} incidents")),
        "{}",
        text(&run.stdout)
    );
}

#[test]
fn the_date_filter_changes_what_is_exported() {
    let store = bundled();
    let mut dates: Vec<_> = store.incidents.iter().filter_map(|i| i.date).collect();
    dates.sort();
    let (first, last) = (dates[0], dates[dates.len() - 1]);
    assert!(first < last, "the bundled data spans more than one day");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("first-day.csv");
    let day = first.to_string();
    let run = incident_map(&[
        "export",
        "--format",
        "csv",
        "--from",
        &day,
        "--to",
        &day,
        "--dated-only",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let mut reader = csv::Reader::from_path(&out).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let expected = dates.iter().filter(|&&d| d == first).count();
    assert_eq!(rows.len(), expected);
    assert!(rows.len() < store.incidents.len());
    assert!(rows.iter().all(|r| r[1] == *day), "{rows:?}");

    // A range alone leaves the undated incidents out too, as the viewer and `render` do.
    let day_only = dir.path().join("day.csv");
    let run = incident_map(&[
        "export",
        "--format",
        "csv",
        "--from",
        &day,
        "--to",
        &day,
        "-o",
        day_only.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert_eq!(
        csv::Reader::from_path(&day_only).unwrap().records().count(),
        expected
    );

    // --undated brings them in beside the range.
    let run = incident_map(&[
        "export",
        "--format",
        "geojson",
        "--from",
        &day,
        "--undated",
        "-o",
        dir.path().join("from.geojson").to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let filter = Filter {
        from: Some(first),
        undated: Undated::Shown,
        ..Filter::default()
    };
    let shown = incident_map::workspace::filter::visible_incidents(&store, &filter);
    let undated = store.incidents.iter().filter(|i| i.date.is_none()).count();
    assert!(undated > 0, "the bundled data has undated incidents");
    assert!(
        shown
            .iter()
            .filter(|&&i| store.incidents[i].date.is_none())
            .count()
            == undated
    );
    assert_eq!(
        features(&dir.path().join("from.geojson")).len(),
        shown.len()
    );
}

#[test]
fn event_types_filter_by_acled_name_case_insensitively() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("battles.geojson");
    let run = incident_map(&[
        "export",
        "--format",
        "geojson",
        "--types",
        "battles,Explosions/Remote violence",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let wanted = [EventType::Battles, EventType::ExplosionsRemoteViolence];
    let expected = bundled()
        .incidents
        .iter()
        .filter(|i| wanted.contains(&i.event_type))
        .count();
    let written = features(&out);
    assert_eq!(written.len(), expected);
    assert!(written.iter().all(|f| {
        let t = f["properties"]["event_type"].as_str().unwrap();
        t == "Battles" || t == "Explosions/Remote violence"
    }));

    let run = incident_map(&[
        "export", "--format", "csv", "--types", "Picnics", "-o", "x.csv",
    ]);
    assert!(!run.status.success());
    assert!(text(&run.stderr).contains("unknown event type \"Picnics\""));
}

#[test]
fn a_bad_format_name_fails_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.kml");
    let run = incident_map(&["export", "--format", "kml", "-o", out.to_str().unwrap()]);
    assert!(!run.status.success());
    let err = text(&run.stderr);
    assert!(err.contains("unknown format \"kml\""), "{err}");
    assert!(err.contains("geojson, acled, csv"), "{err}");
    assert!(entries(dir.path()).is_empty());
}

#[test]
fn an_unwritable_path_fails_and_leaves_no_file_behind() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-dir").join("out.geojson");
    let run = incident_map(&[
        "export",
        "--format",
        "geojson",
        "-o",
        missing.to_str().unwrap(),
    ]);
    assert!(!run.status.success());
    let err = text(&run.stderr);
    assert!(err.starts_with("incident-map: "), "{err}");
    assert!(err.contains("cannot write"), "{err}");
    assert!(entries(dir.path()).is_empty());

    // A directory in the way: the temporary file written beside it is removed again.
    let in_the_way = dir.path().join("taken.csv");
    std::fs::create_dir(&in_the_way).unwrap();
    let run = incident_map(&[
        "export",
        "--format",
        "acled",
        "-o",
        in_the_way.to_str().unwrap(),
    ]);
    assert!(!run.status.success());
    assert_eq!(entries(dir.path()), vec![in_the_way.clone()]);
    assert!(entries(&in_the_way).is_empty());
}

#[test]
fn an_exported_geojson_reads_back_unchanged_through_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first.geojson");
    let second = dir.path().join("second.geojson");
    let run = incident_map(&[
        "export",
        "--format",
        "geojson",
        "-o",
        first.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let run = incident_map(&[
        "export",
        "--format",
        "geojson",
        "--data",
        first.to_str().unwrap(),
        "-o",
        second.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert_eq!(
        std::fs::read(&first).unwrap(),
        std::fs::read(&second).unwrap()
    );
    let back = exchange::import(&first).unwrap();
    assert_eq!(back.store.incidents, bundled().incidents);
}

/// An ACLED export with one good row, one ragged row, a bad date and a bad latitude.
const BROKEN_ACLED: &str = "event_id_cnty,event_date,year,time_precision,event_type,\
sub_event_type,actor1,actor2,country,admin1,admin2,location,latitude,longitude,geo_precision,\
source,notes,fatalities\n\
IRQ1,2024-03-02,2024,1,Battles,Armed clash,Islamic State,Military Forces of Iraq,Iraq,Diyala,,\
Baqubah,33.75,44.64,1,Shafaq News,\"Clashes near Baqubah, two killed.\",2\n\
IRQ2,2024-03-03,2024,1,Battles\n\
IRQ3,someday,2024,1,Battles,Armed clash,,,Iraq,Diyala,,Baqubah,33.75,44.64,1,,,0\n\
IRQ4,2024-03-04,2024,1,Battles,Armed clash,,,Iraq,Diyala,,Baqubah,north,44.64,1,,,0\n";

#[test]
fn a_malformed_acled_file_exports_its_good_rows_and_names_the_bad_lines() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("acled.csv");
    std::fs::write(&data, BROKEN_ACLED).unwrap();
    let out = dir.path().join("out.csv");
    let run = incident_map(&[
        "export",
        "--format",
        "acled",
        "--data",
        data.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let err = text(&run.stderr);
    for line in ["line 3", "line 4", "line 5"] {
        assert!(
            err.contains(&format!("acled.csv: skipped {line}:")),
            "{err}"
        );
    }
    let written = std::fs::read_to_string(&out).unwrap();
    assert_eq!(written.lines().count(), 2, "{written}");
    assert!(written.contains("IRQ1,2024-03-02,2024,1,Battles,Armed clash,Islamic State"));
    assert!(written.contains("\"Clashes near Baqubah, two killed.\""));
}

fn viewer(paths: Vec<PathBuf>) -> Harness<'static, ViewerApp> {
    let mut harness = Harness::builder()
        .with_size([1440.0, 900.0])
        .with_max_steps(400)
        .wgpu()
        .build_eframe(move |cc| {
            ViewerApp::new(
                cc,
                Startup {
                    sources: paths.into_iter().map(Source::from_path).collect(),
                    tiles: None,
                    fresh: true,
                    window_above: None,
                },
            )
        });
    harness.run_steps(5);
    harness
}

#[test]
fn file_export_writes_the_filtered_incidents() {
    let store = bundled();
    let mut dates: Vec<_> = store.incidents.iter().filter_map(|i| i.date).collect();
    dates.sort();
    let mut harness = viewer(Vec::new());
    harness.state_mut().set_filter(Filter {
        from: Some(dates[dates.len() / 2]),
        undated: Undated::Hidden,
        ..Filter::default()
    });
    harness.run_steps(3);
    let shown = harness.state().visible().to_vec();
    assert!(!shown.is_empty() && shown.len() < store.incidents.len());

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("shown.geojson");
    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness.get_by_label("Export…").click();
    harness.run_steps(2);
    let field = harness.get_by_label("Save as:");
    field.focus();
    harness.run_steps(1);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_label("Save as:")
        .type_text(out.to_str().unwrap());
    harness.run_steps(2);
    harness.get_by_label("Export").click();
    // The export is written in the background; the window says when it is done.
    let message = format!("Exported {} incidents to {}", shown.len(), out.display());
    for _ in 0..500 {
        harness.step();
        if harness.query_by_label(&message).is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    harness.get_by_label(&message);
    let written = features(&out);
    let ids: Vec<&str> = written
        .iter()
        .map(|f| f["properties"]["id"].as_str().unwrap())
        .collect();
    let expected: Vec<&str> = shown
        .iter()
        .map(|&i| store.incidents[i].id.as_str())
        .collect();
    assert_eq!(ids, expected);
}

#[test]
fn an_acled_file_opens_in_the_viewer_with_its_bad_rows_named() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("acled.csv");
    std::fs::write(&data, BROKEN_ACLED).unwrap();
    let mut harness = viewer(vec![data]);
    for _ in 0..300 {
        harness.step();
        if !harness.state().store().incidents.is_empty() || !harness.state().problems().is_empty() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    harness.run_steps(3);
    let app = harness.state();
    assert_eq!(app.store().incidents.len(), 1);
    assert_eq!(app.store().incidents[0].id, "IRQ1");
    let problems = app.problems().join("\n");
    assert!(
        problems.contains("acled.csv: skipped 3 rows that could not be read: line 3:"),
        "{problems}"
    );
    assert!(problems.contains("line 4: date \"someday\""), "{problems}");
    assert!(
        problems.contains("line 5: latitude \"north\""),
        "{problems}"
    );
    harness.get_by_label_contains("skipped 3 rows");
}
