//! The analyst's desk end to end: the `workspace` subcommands, a workspace file that GDAL
//! reads as a GeoPackage, a kill in the middle of a write, and the viewer's edit panel driven
//! as an analyst would (change a date, a type and a place, reject, add from a selection, undo,
//! restart).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use egui::{Event, Key, Modifiers, PointerButton, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use incident_map::app::{Startup, ViewerApp};
use incident_map::store::{Status, Store, SubEventType};
use incident_map::workspace::{Source, Workspace};
use serde_json::Value;

fn incident_map(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_incident-map"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn ok(args: &[&str]) -> String {
    let out = incident_map(args);
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

fn bundled_store() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/incidents.json")
}

/// A workspace over the bundled incidents at `dir/desk.gpkg`.
fn new_workspace(dir: &Path) -> PathBuf {
    let file = dir.join("desk.gpkg");
    let store = bundled_store();
    ok(&["workspace", "new", s(&file), s(&store)]);
    file
}

fn s(path: &Path) -> &str {
    path.to_str().expect("a UTF-8 temporary path")
}

#[test]
fn the_command_line_corrects_lists_and_exports_a_workspace() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = new_workspace(dir.path());
    let listed = lines(&ok(&["workspace", "list", s(&file)]));
    assert!(listed.len() >= 10, "{}", listed.len());
    assert!(listed.iter().all(|i| i["status"] == "machine"));
    let id = listed[0]["id"].as_str().expect("an id").to_owned();
    let other = listed[1]["id"].as_str().expect("an id").to_owned();

    let edited = lines(&ok(&[
        "workspace",
        "edit",
        s(&file),
        &id,
        "--date",
        "2022-01-21",
        "--sub-type",
        "Suicide bomb",
        "--lat",
        "36.51",
        "--lon",
        "40.74",
        "--fatalities",
        "90",
        "--why",
        "the later statement",
    ]));
    assert_eq!(edited[0]["date"], "2022-01-21");
    assert_eq!(edited[0]["event_type"], "Explosions/Remote violence");
    assert_eq!(edited[0]["fatalities"], 90);
    assert_eq!(edited[0]["status"], "edited");
    assert!(edited[0]["machine"]["fatalities"].is_string());

    let wrong = incident_map(&[
        "workspace",
        "edit",
        s(&file),
        &id,
        "--type",
        "Battles",
        "--sub-type",
        "Suicide bomb",
    ]);
    assert!(!wrong.status.success());
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("not of \"Battles\""));

    ok(&[
        "workspace",
        "reject",
        s(&file),
        &other,
        "--reason",
        "duplicate report",
    ]);
    let rejected = lines(&ok(&[
        "workspace",
        "list",
        s(&file),
        "--status",
        "rejected",
    ]));
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0]["rejected"], "duplicate report");
    let shown = lines(&ok(&["workspace", "list", s(&file)]));
    assert_eq!(
        shown.len(),
        listed.len() - 1,
        "rejected ones are hidden by default"
    );

    let article = listed[0]["articles"][0]
        .as_str()
        .expect("an article")
        .to_owned();
    let set = lines(&ok(&[
        "workspace",
        "set-article",
        s(&file),
        &article,
        "--publisher",
        "Desk Wire",
        "--url",
        "https://example.org/story",
    ]));
    assert_eq!(set[0]["publisher"], "Desk Wire");
    let refused = incident_map(&[
        "workspace",
        "set-article",
        s(&file),
        &article,
        "--url",
        "file:///etc/passwd",
    ]);
    assert!(!refused.status.success());

    let corrections = lines(&ok(&["workspace", "corrections", s(&file)]));
    assert_eq!(corrections.len(), 3);
    assert_eq!(corrections[0]["why"], "the later statement");
    assert!(
        corrections
            .iter()
            .all(|c| c["author"].is_string() && c["at"].is_string())
    );

    // export and render read a workspace; exports say what an analyst changed.
    let geojson = dir.path().join("out.geojson");
    ok(&[
        "export",
        "--data",
        s(&file),
        "--format",
        "geojson",
        "-o",
        s(&geojson),
    ]);
    let doc: Value =
        serde_json::from_slice(&std::fs::read(&geojson).expect("export")).expect("json");
    let features = doc["features"].as_array().expect("features");
    assert_eq!(features.len(), listed.len() - 1);
    let feature = features
        .iter()
        .find(|f| f["id"] == id.as_str())
        .expect("edited one");
    assert_eq!(feature["properties"]["status"], "edited");
    assert_eq!(feature["properties"]["review"]["edited"][0], "date");
    let acled = dir.path().join("out.csv");
    ok(&[
        "export",
        "--data",
        s(&file),
        "--format",
        "acled",
        "-o",
        s(&acled),
    ]);
    let csv = std::fs::read_to_string(&acled).expect("acled");
    assert!(csv.lines().next().is_some_and(|h| h.ends_with(",tags")));
    assert!(
        csv.contains("edited by analyst: date, type, place, fatalities"),
        "{csv}"
    );
}

#[test]
fn gdal_reads_the_workspace_as_a_point_layer_with_the_corrected_values() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = new_workspace(dir.path());
    let listed = lines(&ok(&["workspace", "list", s(&file)]));
    let id = listed[0]["id"].as_str().expect("an id");
    ok(&[
        "workspace",
        "edit",
        s(&file),
        id,
        "--fatalities",
        "77",
        "--lat",
        "36.4",
        "--lon",
        "40.9",
    ]);
    let out = Command::new("ogrinfo")
        .args([
            "-ro",
            "-al",
            s(&file),
            "-where",
            &format!("incident_id = '{id}'"),
        ])
        .output()
        .expect("ogrinfo runs (scripts/test installs gdal-bin)");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("Geometry: Point"), "{text}");
    assert!(text.contains("Feature Count: 1"), "{text}");
    assert!(text.contains("fatalities (Integer64) = 77"), "{text}");
    assert!(text.contains("status (String) = edited"), "{text}");
    assert!(text.contains("POINT (40.9 36.4)"), "{text}");
    let all = Command::new("ogrinfo")
        .args(["-ro", "-so", s(&file), "incidents"])
        .output()
        .expect("ogrinfo runs");
    let summary = String::from_utf8_lossy(&all.stdout);
    assert!(
        summary.contains(&format!("Feature Count: {}", listed.len())),
        "{summary}"
    );
}

#[test]
fn a_kill_during_a_write_loses_no_earlier_edit() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = new_workspace(dir.path());
    let listed = lines(&ok(&["workspace", "list", s(&file)]));
    let mut made = Vec::new();
    for incident in listed.iter().take(3) {
        let id = incident["id"].as_str().expect("an id");
        ok(&["workspace", "review", s(&file), id]);
        made.push(id.to_owned());
    }
    // A large incident file to add: its ingest is one long transaction.
    let mut big = Store::load(&bundled_store()).expect("bundled");
    let originals = std::mem::take(&mut big.incidents);
    for copy in 0..4000 {
        for incident in &originals {
            let mut incident = incident.clone();
            incident.id = format!("{}-{copy}", incident.id);
            big.incidents.push(incident);
        }
    }
    let big_path = dir.path().join("big.json");
    big.save(&big_path).expect("saved");
    let journal = PathBuf::from(format!("{}-journal", file.display()));
    let mut killed_inside = false;
    for _ in 0..3 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_incident-map"))
            .args(["workspace", "add", s(&file), s(&big_path)])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawned");
        // Killed the moment its transaction has begun writing.
        let start = Instant::now();
        while !journal.exists() && start.elapsed() < Duration::from_secs(120) {
            if child.try_wait().ok().flatten().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        killed_inside |= journal.exists();
        let _ = child.kill();
        let _ = child.wait();
        if killed_inside {
            break;
        }
    }
    assert!(killed_inside, "the add never began writing");
    let workspace = Workspace::open_file(&file).expect("the workspace opens after the kill");
    let reviewed: Vec<&str> = workspace
        .store
        .incidents
        .iter()
        .filter(|i| i.review.status() == Status::Reviewed)
        .map(|i| i.id.as_str())
        .collect();
    for id in &made {
        assert!(reviewed.contains(&id.as_str()), "{id} lost: {reviewed:?}");
    }
    assert_eq!(
        workspace.store.incidents.len(),
        listed.len(),
        "the killed add left nothing half-written"
    );
    let conn = rusqlite::Connection::open(&file).expect("sqlite");
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .expect("integrity check");
    assert_eq!(check, "ok");
    // And the next edit works.
    ok(&[
        "workspace",
        "review",
        s(&file),
        listed[5]["id"].as_str().expect("id"),
    ]);
}

// The viewer.

fn viewer_on(file: &Path) -> Harness<'static, ViewerApp> {
    let file = file.to_owned();
    let mut harness = Harness::builder()
        .with_size([1440.0, 900.0])
        .with_max_steps(400)
        .wgpu()
        .build_eframe(move |cc| {
            ViewerApp::new(
                cc,
                Startup {
                    sources: vec![Source::from_path(file.clone())],
                    tiles: None,
                    fresh: true,
                    window_above: None,
                },
            )
        });
    settle(&mut harness);
    harness
}

fn settle(harness: &mut Harness<'_, ViewerApp>) {
    for _ in 0..300 {
        harness.step();
        if !harness.state().busy() && harness.run_ok().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    harness.run_steps(3);
}

fn click_at(harness: &mut Harness<'_, ViewerApp>, pos: Pos2) {
    harness.hover_at(pos);
    harness.step();
    harness.drag_at(pos);
    harness.step();
    harness.event(Event::PointerButton {
        pos,
        button: PointerButton::Primary,
        pressed: false,
        modifiers: Modifiers::NONE,
    });
    harness.run_steps(2);
}

fn select_first(harness: &mut Harness<'_, ViewerApp>) -> usize {
    harness.key_press(Key::J);
    harness.run_steps(3);
    harness.state().selected().expect("j selects the first row")
}

/// Types into the side panel's text field now showing `value`, replacing it (the side panel
/// is the rightmost of the fields that show it: the timeline's date fields may too).
fn replace_field(harness: &mut Harness<'_, ViewerApp>, value: &str, with: &str) {
    let rightmost = |harness: &Harness<'_, ViewerApp>| {
        harness
            .query_all_by_value(value)
            .max_by(|a, b| a.rect().left().total_cmp(&b.rect().left()))
            .map(|node| node.rect().center())
            .expect("a field with that value")
    };
    let at = rightmost(harness);
    harness.hover_at(at);
    harness.drag_at(at);
    harness.drop_at(at);
    harness.run_steps(2);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::A);
    harness.event(Event::Text(with.to_owned()));
    harness.run_steps(2);
}

#[test]
fn an_analyst_corrects_rejects_adds_and_undoes_in_the_viewer_and_it_all_survives_a_restart() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("desk.gpkg");
    let mut workspace = Workspace::open(&[Source::bundled()], &|_, _| {}).expect("bundled");
    workspace.save_as(&file).expect("saved");
    drop(workspace);

    let mut harness = viewer_on(&file);
    let index = select_first(&mut harness);
    let before = harness.state().store().incidents[index].clone();
    let id = before.id.clone();

    // Change the date, the type and the place in the edit form.
    harness.get_by_label("Edit incident").click();
    harness.run_steps(3);
    let date = before.date.map(|d| d.to_string()).unwrap_or_default();
    replace_field(&mut harness, &date, "2022-02-02");
    // The form's type box, below the details that show the same words.
    let current = format!("{} / {}", before.event_type, before.sub_event_type);
    let type_box = harness
        .query_all_by_value(&current)
        .chain(harness.query_all_by_label(&current))
        .max_by(|a, b| a.rect().top().total_cmp(&b.rect().top()))
        .map(|node| node.rect().center())
        .expect("the type box");
    click_at(&mut harness, type_box);
    let item = harness
        .get_by_label("   Remote explosive/landmine/IED")
        .rect()
        .center();
    click_at(&mut harness, item);
    harness.run_steps(2);
    replace_field(&mut harness, &before.location.name, "Qamishli");
    for _ in 0..600 {
        harness.step();
        if harness.state().gazetteer_ready() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    harness.run_steps(3);
    harness.get_by_label_contains("Al Qāmishlī (").click();
    harness.run_steps(2);
    harness.get_by_label("Save correction").click();
    harness.run_steps(3);
    let app = harness.state();
    let now = app
        .selected()
        .map(|i| app.store().incidents[i].clone())
        .expect("still selected");
    assert_eq!(now.id, id);
    assert_eq!(now.date, Some(jiff::civil::date(2022, 2, 2)));
    assert_eq!(now.sub_event_type, SubEventType::RemoteExplosiveLandmineIed);
    assert_eq!(now.location.name, "Al Qāmishlī", "{:?}", now.location);
    assert_eq!(now.location.country.as_deref(), Some("SY"));
    assert_eq!(now.review.edited, ["date", "type", "place"]);
    harness.get_by_label_contains("Edited by an analyst: date, type, place");

    // Reject another incident, with a reason.
    harness.key_press(Key::Escape);
    harness.key_press(Key::J);
    harness.run_steps(2);
    harness.key_press(Key::J);
    harness.run_steps(3);
    let second = harness.state().selected().expect("another incident");
    let second_id = harness.state().store().incidents[second].id.clone();
    assert_ne!(second_id, id);
    harness.get_by_label("Reject…").click();
    harness.run_steps(3);
    // The reason field takes the keyboard as it opens.
    harness.event(Event::Text("a duplicate of the other report".into()));
    harness.run_steps(2);
    harness.get_by_label("Reject").click();
    harness.run_steps(3);
    let rejected = |h: &Harness<'_, ViewerApp>, id: &str| {
        h.state()
            .store()
            .incidents
            .iter()
            .find(|i| i.id == id)
            .and_then(|i| i.review.rejected.clone())
    };
    assert_eq!(
        rejected(&harness, &second_id).as_deref(),
        Some("a duplicate of the other report")
    );
    assert!(
        !harness
            .state()
            .visible()
            .iter()
            .any(|&i| harness.state().store().incidents[i].id == second_id),
        "rejected incidents leave the map and the list"
    );

    // Undo brings it back; redo rejects it again.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(3);
    assert_eq!(rejected(&harness, &second_id), None);
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    harness.run_steps(3);
    assert!(rejected(&harness, &second_id).is_some());

    // Add an incident from words selected in the article.
    let index = select_first(&mut harness);
    let count_before = harness.state().store().incidents.len();
    let article_id = harness.state().store().incidents[index].sources[0]
        .article
        .clone();
    let article = harness
        .state()
        .store()
        .article(&article_id)
        .expect("article")
        .clone();
    // The article's text is one label holding all of it; drag along a line of it that is in
    // view (the panel scrolled it to the evidence), near the bottom of the panel.
    let middle: String = article
        .text
        .chars()
        .skip(article.text.chars().count() / 2)
        .take(25)
        .collect();
    let text_rect = harness
        .query_all_by_label_contains(middle.trim())
        .max_by(|a, b| a.rect().height().total_cmp(&b.rect().height()))
        .map(|node| node.rect())
        .expect("the article's text");
    let y = text_rect.bottom().min(790.0) - 12.0;
    // Across lines, so that a paragraph gap under the pointer still selects words.
    let from = Pos2::new(text_rect.left() + 4.0, y - 60.0);
    let to = Pos2::new(text_rect.left() + 160.0, y);
    harness.hover_at(from);
    harness.run_steps(1);
    harness.drag_at(from);
    harness.run_steps(1);
    for step in 1..=8 {
        harness.event(Event::PointerMoved(
            from + (to - from) * (step as f32 / 8.0),
        ));
        harness.run_steps(1);
    }
    harness.event(Event::PointerButton {
        pos: to,
        button: PointerButton::Primary,
        pressed: false,
        modifiers: Modifiers::NONE,
    });
    harness.run_steps(3);
    harness.get_by_label("Add incident from selection").click();
    harness.run_steps(3);
    let app = harness.state();
    assert_eq!(app.store().incidents.len(), count_before + 1);
    let added = app
        .selected()
        .map(|i| app.store().incidents[i].clone())
        .expect("the new one is selected");
    assert!(added.review.added);
    assert_eq!(added.sources[0].article, article_id);
    let source = &added.sources[0];
    assert!(source.end > source.start + 3, "{:?}", added.sources);
    let words: String = article
        .text
        .chars()
        .skip(source.start)
        .take(source.end - source.start)
        .collect();
    assert_eq!(
        added.summary,
        words.split_whitespace().collect::<Vec<_>>().join(" ")
    );
    // Its form is open to say what happened.
    harness.get_by_label("Save correction");
    let added_id = added.id.clone();
    // Undo takes the addition back, and redo makes it again.
    harness.key_press(Key::Escape);
    harness.run_steps(2);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    harness.run_steps(3);
    assert_eq!(harness.state().store().incidents.len(), count_before);
    harness.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    harness.run_steps(3);
    assert_eq!(harness.state().store().incidents.len(), count_before + 1);
    drop(harness);

    // A restart on the same file: every correction is still there.
    let harness = viewer_on(&file);
    let store = harness.state().store();
    let edited = store
        .incidents
        .iter()
        .find(|i| i.id == id)
        .expect("edited one");
    assert_eq!(edited.date, Some(jiff::civil::date(2022, 2, 2)));
    assert_eq!(edited.location.name, "Al Qāmishlī");
    assert!(rejected(&harness, &second_id).is_some());
    assert!(
        store
            .incidents
            .iter()
            .any(|i| i.id == added_id && i.review.added)
    );
}

#[derive(Default)]
struct MemoryStorage(std::collections::HashMap<String, String>);

impl eframe::Storage for MemoryStorage {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }
    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.to_owned(), value);
    }
    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }
    fn flush(&mut self) {}
}

#[test]
fn the_first_correction_offers_a_workspace_and_the_next_start_reopens_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let wanted = dir.path().join("my desk.gpkg");
    let mut harness = Harness::builder()
        .with_size([1440.0, 900.0])
        .with_max_steps(400)
        .wgpu()
        .build_eframe(|cc| {
            ViewerApp::new(
                cc,
                Startup {
                    fresh: true,
                    ..Startup::default()
                },
            )
        });
    settle(&mut harness);
    assert!(
        harness.state().workspace().file_path().is_none(),
        "the bundled data"
    );
    let index = select_first(&mut harness);
    let id = harness.state().store().incidents[index].id.clone();
    harness.get_by_label("Mark reviewed").click();
    harness.run_steps(3);
    // The offer, with a path in the user's data directory to start from.
    harness.get_by_label("Save your corrections");
    let default_path = directories::ProjectDirs::from("", "", "incident-map")
        .map(|dirs| dirs.data_dir().join("workspace.gpkg"))
        .expect("a home directory")
        .display()
        .to_string();
    replace_field(&mut harness, &default_path, &wanted.display().to_string());
    harness.get_by_label("Save workspace").click();
    harness.run_steps(3);
    assert_eq!(
        harness.state().workspace().file_path(),
        Some(wanted.as_path())
    );
    let mut storage = MemoryStorage::default();
    eframe::App::save(harness.state_mut(), &mut storage);
    drop(harness);

    let ctx = egui::Context::default();
    let mut cc = eframe::CreationContext::_new_kittest(ctx.clone());
    cc.storage = Some(&storage);
    let next = ViewerApp::new(&cc, Startup::default());
    assert_eq!(next.workspace().file_path(), Some(wanted.as_path()));
    let reviewed = next
        .store()
        .incidents
        .iter()
        .find(|i| i.id == id)
        .expect("the incident");
    assert!(
        reviewed.review.reviewed,
        "the correction made before saving is in the file"
    );
}

/// The edit panel as the README shows it: an incident an analyst corrected, its form open on
/// a place being typed, with the gazetteer's suggestions.
#[test]
fn snapshot_edit_panel() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("desk.gpkg");
    let mut workspace = Workspace::open(&[Source::bundled()], &|_, _| {}).expect("bundled");
    workspace.save_as(&file).expect("saved");
    drop(workspace);
    let mut harness = viewer_on(&file);
    let index = select_first(&mut harness);
    let before = harness.state().store().incidents[index].clone();
    harness.get_by_label("Edit incident").click();
    harness.run_steps(3);
    replace_field(&mut harness, &before.location.name, "Hasak");
    for _ in 0..600 {
        harness.step();
        if harness.state().gazetteer_ready() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    settle(&mut harness);
    harness.remove_cursor();
    harness.run_steps(2);
    let options = egui_kittest::SnapshotOptions::new()
        .threshold(1.0)
        .max_failed_pixels(60);
    harness.snapshot_options("edit_panel", &options);
}

/// The analyst's marks are saved in the workspace file as they are made, changed and deleted,
/// and a workspace made before marks existed gains their table when opened.
#[test]
fn marks_are_saved_in_the_workspace_and_old_files_gain_their_table() {
    use incident_map::workspace::Workspace;
    use incident_map::workspace::annotations::{LatLon, Mark};
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("desk.gpkg");
    let mut workspace = Workspace::open(&[incident_map::workspace::Source::bundled()], &|_, _| {})
        .unwrap_or_else(|e| panic!("{e}"));
    // Made before the workspace is saved: kept, then written by save_as.
    let early = workspace
        .annotate(
            Mark::Text {
                at: LatLon::new(36.4, 40.7),
            },
            "ISIS remnants active here",
        )
        .unwrap_or_else(|e| panic!("{e}"));
    workspace.save_as(&path).unwrap_or_else(|e| panic!("{e}"));
    let circle = workspace
        .annotate(
            Mark::Circle {
                center: LatLon::new(35.0, 42.0),
                radius_km: 20.0,
            },
            "",
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        workspace
            .annotate(Mark::Area { ring: vec![] }, "x")
            .is_err()
    );
    let early_id = workspace.annotations()[0].id;
    assert_ne!(early_id, 0, "{early}");
    workspace
        .update_annotation(
            early_id,
            Mark::Text {
                at: LatLon::new(36.0, 41.0),
            },
            "moved",
        )
        .unwrap_or_else(|e| panic!("{e}"));
    drop(workspace);

    let mut again = Workspace::open_file(&path).unwrap_or_else(|e| panic!("{e}"));
    let marks = again.annotations().to_vec();
    assert_eq!(marks.len(), 2, "{marks:?}");
    assert_eq!(marks[0].text, "moved");
    assert_eq!(
        marks[0].mark,
        Mark::Text {
            at: LatLon::new(36.0, 41.0)
        }
    );
    assert_eq!(marks[1].id, circle);
    again
        .remove_annotation(circle)
        .unwrap_or_else(|e| panic!("{e}"));
    drop(again);
    assert_eq!(
        Workspace::open_file(&path)
            .unwrap_or_else(|e| panic!("{e}"))
            .annotations()
            .len(),
        1
    );

    // A file from before marks: no table. Opening it adds one, and marks are saved in it.
    {
        let conn = rusqlite::Connection::open(&path).unwrap_or_else(|e| panic!("{e}"));
        conn.execute_batch("DROP TABLE incident_map_annotations")
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let mut old = Workspace::open_file(&path).unwrap_or_else(|e| panic!("{e}"));
    assert!(old.annotations().is_empty());
    old.annotate(
        Mark::Text {
            at: LatLon::new(33.3, 44.4),
        },
        "Baghdad",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    drop(old);
    let reopened = Workspace::open_file(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(reopened.annotations()[0].text, "Baghdad");
}
