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

// ---------------------------------------------------------------------------------------------
// Every file the field exchanges: the fixtures in tests/fixtures/exchange/ are written for these
// tests in each layout (values invented).

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/exchange")
        .join(name)
}

fn by_id<'a>(store: &'a Store, id: &str) -> &'a incident_map::store::Incident {
    store
        .incidents
        .iter()
        .find(|i| i.id == id)
        .unwrap_or_else(|| panic!("no incident {id}"))
}

/// `ogrinfo`'s feature count for a file, or `None` when GDAL is not installed.
fn ogr_feature_count(path: &Path) -> Option<usize> {
    let run = Command::new("ogrinfo")
        .args(["-ro", "-al", "-so"])
        .arg(path)
        .output()
        .ok()?;
    assert!(run.status.success(), "ogrinfo: {}", text(&run.stderr));
    let out = text(&run.stdout);
    let line = out.lines().find(|l| l.starts_with("Feature Count:"))?;
    line["Feature Count:".len()..].trim().parse().ok()
}

#[test]
fn an_acled_export_of_2015_reads_with_old_types_mapped_and_crlf_lines_counted() {
    use incident_map::store::{DatePrecision, LocationPrecision, SubEventType as S};
    let path = fixture("acled-2015.csv");
    let imported = exchange::import(&path).unwrap();
    let store = &imported.store;
    assert_eq!((imported.rows, store.incidents.len()), (8, 7));
    // The bad row is named by the line it starts on: the quoted notes of IRQ9104 span lines
    // 5 and 6 with CRLF line ends.
    assert_eq!(imported.problems.len(), 1);
    assert_eq!(imported.problems[0].place.to_string(), "line 8");
    assert!(imported.problems[0].message.contains("Picnic"));
    assert_eq!(imported.inferred, 5);
    let report = imported.report(Path::new("acled-2015.csv"));
    assert_eq!(
        report,
        "acled-2015.csv: ACLED CSV (a release before 2019): 8 rows read, 7 kept, 1 skipped \
         (1 unknown event_type), 5 with a type inferred"
    );

    let battle = by_id(store, "IRQ9101");
    assert_eq!(battle.date, Some(jiff::civil::date(2015, 1, 1)));
    assert_eq!(
        (battle.event_type, battle.sub_event_type),
        (EventType::Battles, S::ArmedClash)
    );
    let coded = battle.coded.as_ref().unwrap();
    assert_eq!(coded.dataset, "ACLED");
    assert_eq!(coded.actor1, "Military Forces of Iraq (2014-)");
    assert_eq!(coded.assoc_actor_1, ["Popular Mobilization Forces"]);
    assert_eq!(coded.actor2, "Islamic State (Iraq)");
    assert!(coded.inferred.is_empty());
    assert_eq!(battle.location.admin2.as_deref(), Some("Al-Muqdadiya"));
    assert_eq!(battle.location.admin3.as_deref(), Some("Abu Saida"));
    assert_eq!(battle.fatalities, Some(4));

    let protest = by_id(store, "IRQ9102");
    assert_eq!(
        (protest.event_type, protest.sub_event_type),
        (EventType::Protests, S::PeacefulProtest)
    );
    let why = &protest.coded.as_ref().unwrap().inferred[0];
    assert!(why.contains("\"Riots/Protests\""), "{why}");
    let riot = by_id(store, "IRQ9103");
    assert_eq!(
        (riot.event_type, riot.sub_event_type),
        (EventType::Riots, S::ViolentDemonstration)
    );
    let taken = by_id(store, "IRQ9104");
    assert_eq!(taken.sub_event_type, S::NonStateActorOvertakesTerritory);
    assert_eq!(taken.date_precision, DatePrecision::Week);
    assert_eq!(taken.location.precision, LocationPrecision::Admin2);
    assert!(
        taken
            .summary
            .contains("villages south of Sinjar.\r\nThe army")
    );
    assert_eq!(
        by_id(store, "IRQ9105").sub_event_type,
        S::RemoteExplosiveLandmineIed
    );
    assert_eq!(by_id(store, "IRQ9107").sub_event_type, S::Arrests);
    assert_eq!(
        by_id(store, "IRQ9108").sub_event_type,
        S::AbductionForcedDisappearance
    );
    store.validate().unwrap();
}

#[test]
fn acled_sides_associated_actors_and_admin3_survive_export_and_reimport() {
    let dir = tempfile::tempdir().unwrap();
    // ACLED's CSV, and a GeoPackage point layer with ACLED's columns.
    let cases = ["acled-2015.csv", "acled-2024.csv"]
        .into_iter()
        .flat_map(|name| [(name, "acled", "csv"), (name, "gpkg", "gpkg")]);
    for (name, format, extension) in cases {
        let source = exchange::import(&fixture(name)).unwrap().store;
        let out = dir.path().join(format!("out-{name}.{extension}"));
        let run = incident_map(&[
            "export",
            "--format",
            format,
            "--data",
            fixture(name).to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ]);
        assert!(run.status.success(), "{}", text(&run.stderr));
        let back = exchange::import(&out).unwrap();
        assert!(back.problems.is_empty(), "{:?}", back.problems);
        assert_eq!(back.store.incidents.len(), source.incidents.len());
        for (before, after) in source.incidents.iter().zip(&back.store.incidents) {
            assert_eq!(after.id, before.id);
            assert_eq!(after.date, before.date);
            assert_eq!(
                (after.event_type, after.sub_event_type),
                (before.event_type, before.sub_event_type)
            );
            assert_eq!(after.actors, before.actors);
            let (a, b) = (
                after.coded.as_ref().unwrap(),
                before.coded.as_ref().unwrap(),
            );
            assert_eq!(
                (&a.actor1, &a.assoc_actor_1, &a.actor2, &a.assoc_actor_2),
                (&b.actor1, &b.assoc_actor_1, &b.actor2, &b.assoc_actor_2)
            );
            assert_eq!(after.location.admin1, before.location.admin1);
            assert_eq!(after.location.admin2, before.location.admin2);
            assert_eq!(after.location.admin3, before.location.admin3);
            assert_eq!(
                (after.location.lat, after.location.lon),
                (before.location.lat, before.location.lon)
            );
            assert_eq!(after.fatalities, before.fatalities);
        }
        // GDAL reads what we wrote, row for row.
        if let Some(n) = ogr_feature_count(&out) {
            assert_eq!(n, source.incidents.len(), "{name} as {format}");
        }
        if format == "gpkg" {
            assert_eq!(back.layout, "ACLED CSV", "read back by its columns");
            assert_eq!(back.unit, "features");
            // A layer of WGS 84 points, as GIS programs expect, with its extent.
            let info = Command::new("ogrinfo")
                .args(["-ro", "-al", "-so"])
                .arg(&out)
                .output()
                .expect("ogrinfo runs (Debian package gdal-bin)");
            let info = text(&info.stdout);
            assert!(info.contains("Geometry: Point"), "{info}");
            assert!(
                info.contains("EPSG\",4326") || info.contains("WGS 84"),
                "{info}"
            );
            assert!(info.contains("fatalities: Integer"), "{info}");
            assert!(info.contains("Extent: ("), "{info}");
        }
    }
    // actor1 equal to actor2 is written twice; an associated actor with no second side stays
    // an associate.
    let out = dir.path().join("out-acled-2024.csv.csv");
    let mut reader = csv::Reader::from_path(&out).unwrap();
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(&rows[0][col("actor1")], "Unidentified Armed Group (Iraq)");
    assert_eq!(&rows[0][col("actor2")], "Unidentified Armed Group (Iraq)");
    assert_eq!(&rows[0][col("admin3")], "Jalawla");
    assert_eq!(&rows[1][col("actor2")], "");
    assert_eq!(
        &rows[1][col("assoc_actor_1")],
        "Women (Syria); Teachers (Syria)"
    );
    assert_eq!(&rows[2][col("assoc_actor_2")], "Civilians (Syria)");
}

#[test]
fn a_line_above_the_acled_header_is_skipped_and_counted_in_line_numbers() {
    let path = fixture("acled-2024.csv");
    let imported = exchange::import(&path).unwrap();
    assert_eq!(imported.layout, "ACLED CSV");
    assert_eq!(imported.store.incidents.len(), 3);
    let protest = by_id(&imported.store, "SYR9202");
    assert_eq!(protest.date, Some(jiff::civil::date(2024, 3, 21)));
    assert_eq!(protest.event_type, EventType::Protests);
    assert_eq!(imported.inferred, 1);
    // A bad row in the same layout is named by its line in the file, preamble included.
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.csv");
    let mut body = std::fs::read_to_string(&path).unwrap();
    body.push_str(
        "SYR9204,2024-04-06,2024,1,x,Picnic,,a,,1,,,0,10,,760,x,Syria,x,x,x,x,36,37,1,x,x,x,0,,1\n",
    );
    std::fs::write(&broken, body).unwrap();
    let imported = exchange::import(&broken).unwrap();
    assert_eq!(imported.problems[0].place.to_string(), "line 6");
}

#[test]
fn the_publisher_filter_splits_acled_sources_and_a_briefing_credits_acled() {
    let imported = exchange::import(&fixture("acled-2024.csv")).unwrap();
    let store = &imported.store;
    let filter = Filter {
        publisher: Some("Rudaw".to_owned()),
        ..Filter::default()
    };
    let shown = incident_map::workspace::filter::visible_incidents(store, &filter);
    assert_eq!(shown.len(), 1);
    assert_eq!(store.incidents[shown[0]].id, "IRQ9201");
    let all: Vec<usize> = (0..store.incidents.len()).collect();
    assert_eq!(
        incident_map::briefing::layout::data_credit(store, &all),
        "ACLED (3 events)"
    );
    let bundled = bundled();
    let all: Vec<usize> = (0..bundled.incidents.len()).collect();
    assert!(incident_map::briefing::layout::data_credit(&bundled, &all).starts_with("coded from "));
}

#[test]
fn acled_converted_to_geojson_by_ogr2ogr_reads_as_the_csv_does() {
    let csv = exchange::import(&fixture("acled-2024.csv")).unwrap().store;
    let geojson = exchange::import(&fixture("acled-ogr.geojson")).unwrap();
    assert_eq!(geojson.unit, "features");
    assert!(geojson.layout.contains("ACLED"), "{}", geojson.layout);
    assert_eq!(geojson.store.incidents.len(), csv.incidents.len());
    for (a, b) in geojson.store.incidents.iter().zip(&csv.incidents) {
        assert_eq!(a.id, b.id);
        assert_eq!(a.date, b.date);
        assert_eq!(
            (a.event_type, a.sub_event_type),
            (b.event_type, b.sub_event_type)
        );
        assert_eq!(a.actors, b.actors);
        assert_eq!(a.fatalities, b.fatalities);
        assert_eq!(
            (a.location.lat, a.location.lon),
            (b.location.lat, b.location.lon)
        );
        assert_eq!(a.location.admin3, b.location.admin3);
    }
}

#[test]
fn acled_aggregated_weekly_rows_become_regional_incidents() {
    let imported = exchange::import(&fixture("acled-aggregated.csv")).unwrap();
    assert_eq!(imported.store.incidents.len(), 2);
    let first = &imported.store.incidents[0];
    assert_eq!(first.date, Some(jiff::civil::date(2024, 3, 2)));
    assert_eq!(
        first.date_precision,
        incident_map::store::DatePrecision::Week
    );
    assert_eq!(first.counts.get("events"), Some(&4));
    assert_eq!(first.fatalities, Some(6));
    assert_eq!(first.location.admin1.as_deref(), Some("Diyala"));
    assert_eq!(first.location.country.as_deref(), Some("IQ"));
}

#[test]
fn ucdp_ged_events_read_with_their_types_precisions_and_deaths() {
    use incident_map::store::{DatePrecision, LocationPrecision, SubEventType as S};
    let imported = exchange::import(&fixture("ucdp-ged.csv")).unwrap();
    assert_eq!(imported.layout, "UCDP GED CSV");
    let store = &imported.store;
    assert_eq!(store.incidents.len(), 3);
    let mosul = by_id(store, "ucdp-900001");
    assert_eq!(mosul.date, Some(jiff::civil::date(2017, 3, 4)));
    assert_eq!(
        (mosul.event_type, mosul.sub_event_type),
        (EventType::Battles, S::ArmedClash)
    );
    assert_eq!(mosul.fatalities, Some(12));
    assert_eq!(mosul.counts.get("deaths_b"), Some(&9));
    assert_eq!(mosul.counts.get("high"), Some(&15));
    assert_eq!(mosul.actors, ["Government of Iraq", "IS"]);
    assert_eq!(mosul.location.country.as_deref(), Some("IQ"));
    assert_eq!(mosul.location.admin2.as_deref(), Some("Mosul district"));
    let manbij = by_id(store, "ucdp-900002");
    assert_eq!(manbij.date_precision, DatePrecision::Week);
    assert_eq!(manbij.location.precision, LocationPrecision::Admin1);
    let executed = by_id(store, "ucdp-900003");
    assert_eq!(executed.event_type, EventType::ViolenceAgainstCivilians);
    assert_eq!(
        incident_map::briefing::layout::data_credit(store, &[0, 1, 2]),
        "UCDP GED (3 events)"
    );
    // Through ACLED's columns, the two sides stay the two sides.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ucdp-as-acled.csv");
    let run = incident_map(&[
        "export",
        "--format",
        "acled",
        "--data",
        fixture("ucdp-ged.csv").to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let err = text(&run.stderr);
    assert!(
        err.contains("ucdp-ged.csv: UCDP GED CSV: 3 rows read, 3 kept"),
        "{err}"
    );
    let back = exchange::import(&out).unwrap().store;
    assert_eq!(back.incidents[0].coded.as_ref().unwrap().actor2, "IS");
}

#[test]
fn gdelt_exports_read_with_and_without_a_header() {
    use incident_map::store::SubEventType as S;
    for name in ["gdelt-2.0.export.CSV", "gdelt-bigquery.csv"] {
        let imported = exchange::import(&fixture(name)).unwrap();
        assert!(imported.layout.starts_with("GDELT"), "{}", imported.layout);
        assert_eq!(
            (imported.rows, imported.store.incidents.len()),
            (6, 4),
            "{name}"
        );
        let reasons = imported.skipped_by_reason();
        assert_eq!(reasons.len(), 2, "{reasons:?}");
        assert!(
            reasons
                .iter()
                .any(|(r, n)| r == "CAMEO code is not a violent or protest event" && *n == 1)
        );
        assert!(
            reasons
                .iter()
                .any(|(r, n)| r == "no action geography" && *n == 1)
        );
        let store = &imported.store;
        let fight = by_id(store, "gdelt-1100000001");
        assert_eq!(fight.date, Some(jiff::civil::date(2024, 3, 2)));
        assert_eq!(
            (fight.event_type, fight.sub_event_type),
            (EventType::Battles, S::ArmedClash)
        );
        assert_eq!(fight.location.name, "Baqubah");
        assert_eq!(fight.location.country.as_deref(), Some("IQ"));
        assert_eq!(fight.location.admin1.as_deref(), Some("Diyala"));
        assert_eq!(fight.actors, ["IRAQ", "ISLAMIC STATE"]);
        let article = store.article(&fight.sources[0].article).unwrap();
        assert_eq!(
            article.url.as_deref(),
            Some("https://www.example.org/news/1")
        );
        assert_eq!(article.publisher.as_deref(), Some("example.org"));
        let strike = by_id(store, "gdelt-1100000002");
        assert_eq!(strike.sub_event_type, S::AirDroneStrike);
        assert_eq!(strike.location.country.as_deref(), Some("SY"));
        assert_eq!(
            by_id(store, "gdelt-1100000005").sub_event_type,
            S::SuicideBomb
        );
    }
}

#[test]
fn a_conflict_trackers_point_geojson_reads_with_its_fields_guessed() {
    use incident_map::store::SubEventType as S;
    let imported = exchange::import(&fixture("tracker-events.geojson")).unwrap();
    assert_eq!((imported.rows, imported.store.incidents.len()), (5, 3));
    assert!(
        imported.layout.contains("date=datetime"),
        "{}",
        imported.layout
    );
    assert!(
        imported.layout.contains("type=category"),
        "{}",
        imported.layout
    );
    let places: Vec<String> = imported.problems.iter().map(|p| p.to_string()).collect();
    assert_eq!(places.len(), 2);
    assert!(
        places[0].starts_with("feature 4: the geometry is not a Point"),
        "{places:?}"
    );
    assert!(
        places[1].contains("feature 5: category \"Weather\" matches no ACLED event type"),
        "{places:?}"
    );
    let store = &imported.store;
    let strike = by_id(store, "1");
    assert_eq!(strike.date, Some(jiff::civil::date(2024, 5, 1)));
    assert_eq!(
        (strike.event_type, strike.sub_event_type),
        (EventType::ExplosionsRemoteViolence, S::AirDroneStrike)
    );
    assert_eq!(strike.fatalities, Some(3));
    assert_eq!(strike.location.name, "Baghdad");
    assert_eq!(
        (strike.location.lat, strike.location.lon),
        (33.3152, 44.3661)
    );
    assert_eq!(strike.summary, "Air strike hits a depot near the airport");
    let kidnap = by_id(store, "2");
    assert_eq!(kidnap.date, Some(jiff::civil::date(2024, 5, 2)));
    assert_eq!(kidnap.sub_event_type, S::AbductionForcedDisappearance);
    assert_eq!(kidnap.fatalities, None);
    let clash = by_id(store, "3");
    assert_eq!(
        clash.date,
        Some(jiff::civil::date(2024, 5, 4)),
        "a Unix time"
    );
    assert_eq!(clash.fatalities, Some(5));
    // GDAL reads the same file, every feature.
    if let Some(n) = ogr_feature_count(&fixture("tracker-events.geojson")) {
        assert_eq!(n, 5);
    }
    // And our GeoJSON of it reads back the same, with the coded dataset kept.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ours.geojson");
    let all: Vec<usize> = (0..store.incidents.len()).collect();
    exchange::export_to_file(store, &all, exchange::Format::GeoJson, &out).unwrap();
    let back = exchange::import(&out).unwrap();
    assert_eq!(back.store.incidents, store.incidents);
    if let Some(n) = ogr_feature_count(&out) {
        assert_eq!(n, 3);
    }
}

#[test]
fn a_table_whose_fields_are_not_guessed_says_which_and_reads_with_map() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.geojson");
    let data = fixture("sheet-unnamed.csv");
    let run = incident_map(&[
        "export",
        "--format",
        "geojson",
        "--data",
        data.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(!run.status.success());
    let err = text(&run.stderr);
    // `when` is a name dates go by; the rest are not.
    for needed in [
        "no column for type",
        "lat (",
        "lon (",
        "--map type=COLUMN,lat=COLUMN",
    ] {
        assert!(err.contains(needed), "{needed}: {err}");
    }
    assert!(
        err.contains("its columns are: when, what, where_lat, where_lon, story"),
        "{err}"
    );
    assert!(!out.exists());
    let run = incident_map(&[
        "export",
        "--format",
        "geojson",
        "--data",
        data.to_str().unwrap(),
        "--map",
        "date=when,type=what,lat=where_lat,lon=where_lon,description=story",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(run.status.success(), "{}", text(&run.stderr));
    let err = text(&run.stderr);
    assert!(
        err.contains("sheet-unnamed.csv: a table of events, read with date=when"),
        "{err}"
    );
    assert!(err.contains("2 rows read, 2 kept"), "{err}");
    let written = features(&out);
    assert_eq!(written.len(), 2);
    assert_eq!(written[0]["properties"]["date"], "2025-10-26");
    assert_eq!(
        written[0]["properties"]["sub_event_type"],
        "Shelling/artillery/missile attack"
    );
    assert_eq!(written[1]["properties"]["event_type"], "Protests");
    let err = text(
        &incident_map(&[
            "export",
            "--format",
            "geojson",
            "--data",
            data.to_str().unwrap(),
            "--map",
            "date=nowhere",
            "-o",
            out.to_str().unwrap(),
        ])
        .stderr,
    );
    assert!(
        err.contains("--map date=nowhere: the file has no column \"nowhere\""),
        "{err}"
    );
}

#[test]
fn an_import_that_keeps_nothing_fails_with_the_counts() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("talk.CSV");
    let line = std::fs::read_to_string(fixture("gdelt-2.0.export.CSV")).unwrap();
    // Only the statement (CAMEO 042) of the fixture.
    let talk: String = line.lines().filter(|l| l.contains("\t042\t")).collect();
    std::fs::write(&data, format!("{talk}\n")).unwrap();
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
    assert!(!run.status.success());
    let err = text(&run.stderr);
    assert!(err.contains("talk.CSV: no incidents kept (GDELT event export (no header): 1 row read, 0 kept, 1 skipped"), "{err}");
    assert!(!out.exists());
}

/// A minimal workbook in the Office Open XML layout, written here: `sheets` are (name, rows),
/// each cell a number, a date (a spreadsheet date serial, styled as a date) or text.
enum Cell<'a> {
    Text(&'a str),
    Number(f64),
    Date(f64),
}

fn write_xlsx(path: &Path, sheets: &[(&str, Vec<Vec<Cell<'_>>>)]) {
    use std::io::Write;
    let escape = |t: &str| {
        t.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let package_rels = "http://schemas.openxmlformats.org/package/2006/relationships";
    let mut parts: Vec<(String, String)> = Vec::new();
    let mut overrides = String::new();
    let mut sheet_list = String::new();
    let mut sheet_rels = String::new();
    for (i, (name, rows)) in sheets.iter().enumerate() {
        let n = i + 1;
        let mut xml = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}"><sheetData>"#
        );
        for (r, row) in rows.iter().enumerate() {
            xml.push_str(&format!(r#"<row r="{}">"#, r + 1));
            for (c, cell) in row.iter().enumerate() {
                let at = format!("{}{}", (b'A' + c as u8) as char, r + 1);
                xml.push_str(&match cell {
                    Cell::Text(t) => format!(
                        r#"<c r="{at}" t="inlineStr"><is><t>{}</t></is></c>"#,
                        escape(t)
                    ),
                    Cell::Number(x) => format!(r#"<c r="{at}"><v>{x}</v></c>"#),
                    Cell::Date(x) => format!(r#"<c r="{at}" s="1"><v>{x}</v></c>"#),
                });
            }
            xml.push_str("</row>");
        }
        xml.push_str("</sheetData></worksheet>");
        parts.push((format!("xl/worksheets/sheet{n}.xml"), xml));
        overrides.push_str(&format!(
            r#"<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
        ));
        sheet_list.push_str(&format!(
            r#"<sheet name="{}" sheetId="{n}" r:id="rId{n}"/>"#,
            escape(name)
        ));
        sheet_rels.push_str(&format!(
            r#"<Relationship Id="rId{n}" Type="{rel}/worksheet" Target="worksheets/sheet{n}.xml"/>"#
        ));
    }
    let styles_id = sheets.len() + 1;
    parts.push((
        "[Content_Types].xml".to_owned(),
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>{overrides}</Types>"#
        ),
    ));
    parts.push((
        "_rels/.rels".to_owned(),
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{package_rels}"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
        ),
    ));
    parts.push((
        "xl/workbook.xml".to_owned(),
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}"><sheets>{sheet_list}</sheets></workbook>"#
        ),
    ));
    parts.push((
        "xl/_rels/workbook.xml.rels".to_owned(),
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{package_rels}">{sheet_rels}<Relationship Id="rId{styles_id}" Type="{rel}/styles" Target="styles.xml"/></Relationships>"#
        ),
    ));
    parts.push((
        "xl/styles.xml".to_owned(),
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{main}"><fonts count="1"><font/></fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>"#
        ),
    ));
    let file = std::fs::File::create(path).expect("create the workbook");
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, xml) in parts {
        zip.start_file(name, options).expect("a part");
        zip.write_all(xml.as_bytes()).expect("its XML");
    }
    zip.finish().expect("the workbook is written");
}

/// An ACLED table in a workbook: a sheet of notes first, then the events under a title row,
/// with dates as spreadsheet dates and as ACLED's words; a bad row is named by its row.
#[test]
fn an_acled_table_in_a_spreadsheet_is_read_from_its_sheet_of_events() {
    use Cell::{Date, Number, Text};
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("acled-export.xlsx");
    let header = [
        "event_id_cnty",
        "event_date",
        "year",
        "time_precision",
        "event_type",
        "sub_event_type",
        "actor1",
        "actor2",
        "country",
        "admin1",
        "admin2",
        "location",
        "latitude",
        "longitude",
        "geo_precision",
        "source",
        "notes",
        "fatalities",
    ];
    let row = |id, date, kind, sub, place, lat, lon, killed| {
        vec![
            Text(id),
            date,
            Number(2022.0),
            Number(1.0),
            Text(kind),
            Text(sub),
            Text("Islamic State (Iraq)"),
            Text("Military Forces of Iraq (2014-)"),
            Text("Iraq"),
            Text("Diyala"),
            Text("Al-Muqdadiyah"),
            Text(place),
            Number(lat),
            Number(lon),
            Number(1.0),
            Text("Shafaq News"),
            Text("An attack on an army post & its guards."),
            Number(killed),
        ]
    };
    write_xlsx(
        &path,
        &[
            (
                "About",
                vec![
                    vec![Text("Exported for the weekly brief")],
                    vec![Text("Do not edit")],
                ],
            ),
            (
                "Events",
                vec![
                    vec![Text("ACLED data export, Iraq, January 2022")],
                    header.iter().map(|h| Text(h)).collect(),
                    // 44581 is 20 January 2022 in the 1900 date system.
                    row(
                        "IRQ1",
                        Date(44_581.0),
                        "Battles",
                        "Armed clash",
                        "Al-Azim",
                        34.21,
                        44.52,
                        11.0,
                    ),
                    row(
                        "IRQ2",
                        Text("21 January 2022"),
                        "Explosions/Remote violence",
                        "Remote explosive/landmine/IED",
                        "Jalawla",
                        34.27,
                        45.16,
                        3.0,
                    ),
                    row(
                        "IRQ3",
                        Text("not a date"),
                        "Battles",
                        "Armed clash",
                        "Khanaqin",
                        34.35,
                        45.39,
                        0.0,
                    ),
                ],
            ),
        ],
    );
    let imported = exchange::import(&path).expect("the workbook is read");
    assert_eq!(
        imported.layout, "ACLED CSV",
        "read in the layout its columns name"
    );
    assert_eq!(imported.store.incidents.len(), 2);
    let first = &imported.store.incidents[0];
    assert_eq!(first.date, Some(jiff::civil::date(2022, 1, 20)));
    assert_eq!(first.fatalities, Some(11));
    assert_eq!(first.event_type, EventType::Battles);
    assert_eq!(first.location.admin2.as_deref(), Some("Al-Muqdadiyah"));
    assert!((first.location.lat - 34.21).abs() < 1e-9);
    let second = &imported.store.incidents[1];
    assert_eq!(second.date, Some(jiff::civil::date(2022, 1, 21)));
    assert_eq!(second.event_type, EventType::ExplosionsRemoteViolence);
    assert_eq!(imported.problems.len(), 1);
    assert!(
        imported.problems[0].to_string().starts_with("row 5:"),
        "{}",
        imported.problems[0]
    );

    // The same from the command line, and a workbook without a table is refused by name.
    let out = incident_map(&[
        "export",
        "--data",
        &path.display().to_string(),
        "--format",
        "csv",
        "-o",
        &dir.path().join("out.csv").display().to_string(),
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let empty = dir.path().join("notes.xlsx");
    write_xlsx(&empty, &[("Sheet1", vec![vec![Text("nothing here")]])]);
    let error = exchange::import(&empty).expect_err("no table of incidents");
    assert!(
        error.to_string().contains("no sheet has a header row"),
        "{error}"
    );
    assert!(error.to_string().contains("notes.xlsx"), "{error}");
}

/// A GeoPackage point layer made by GDAL from an ACLED table (as a GIS desk would hand one
/// over) imports as ACLED incidents; the same layer in Web Mercator is refused with the fix.
#[test]
fn a_geopackage_point_layer_made_by_ogr2ogr_is_imported() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let csv = dir.path().join("events.csv");
    std::fs::write(
        &csv,
        "event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,actor2,country,admin1,admin2,location,latitude,longitude,geo_precision,source,notes,fatalities\n\
         SYR1,2022-01-20,2022,1,Battles,Armed clash,Islamic State (Syria),Syrian Democratic Forces,Syria,Al-Hasakeh,Al-Hasakeh,Al-Hasakeh,36.5,40.74,1,Hawar,\"Fighting at the prison, \"\"heavy\"\"\",87\n\
         SYR2,2022-01-23,2022,1,Explosions/Remote violence,Air/drone strike,Coalition,Islamic State (Syria),Syria,Al-Hasakeh,Al-Hasakeh,Ghuwayran,36.48,40.75,1,Hawar,A strike near the prison,\n",
    )
    .expect("the table");
    let gpkg = dir.path().join("events.gpkg");
    let converted = Command::new("ogr2ogr")
        .args(["-f", "GPKG", "-nln", "acled_events", "-a_srs", "EPSG:4326"])
        .args([
            "-oo",
            "X_POSSIBLE_NAMES=longitude",
            "-oo",
            "Y_POSSIBLE_NAMES=latitude",
        ])
        .args(["-oo", "AUTODETECT_TYPE=YES"])
        .arg(&gpkg)
        .arg(&csv)
        .output()
        .expect("ogr2ogr runs (Debian package gdal-bin)");
    assert!(converted.status.success(), "{}", text(&converted.stderr));
    assert_eq!(Source::from_path(&gpkg), Source::Incidents(gpkg.clone()));

    let imported = exchange::import(&gpkg).expect("the layer is read");
    assert_eq!(imported.layout, "ACLED CSV");
    assert_eq!(imported.store.incidents.len(), 2, "{:?}", imported.problems);
    let prison = &imported.store.incidents[0];
    assert_eq!(prison.date, Some(jiff::civil::date(2022, 1, 20)));
    assert_eq!(prison.fatalities, Some(87));
    assert_eq!(prison.location.name, "Al-Hasakeh");
    assert!(
        (prison.location.lat - 36.5).abs() < 1e-9 && (prison.location.lon - 40.74).abs() < 1e-9
    );
    assert_eq!(
        imported.store.incidents[1].event_type,
        EventType::ExplosionsRemoteViolence
    );

    let mercator = dir.path().join("mercator.gpkg");
    let reprojected = Command::new("ogr2ogr")
        .args(["-f", "GPKG", "-t_srs", "EPSG:3857"])
        .arg(&mercator)
        .arg(&gpkg)
        .output()
        .expect("ogr2ogr runs");
    assert!(
        reprojected.status.success(),
        "{}",
        text(&reprojected.stderr)
    );
    let error = exchange::import(&mercator).expect_err("not longitude and latitude");
    assert!(error.to_string().contains("EPSG:3857"), "{error}");
    assert!(
        error.to_string().contains("ogr2ogr -t_srs EPSG:4326"),
        "{error}"
    );
}
