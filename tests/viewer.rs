//! The viewer driven as a user would, headless through egui_kittest on wgpu (lavapipe on a
//! machine without a GPU): click a marker and read the article, filter by date, click a row,
//! open a cluster; and snapshots of the main window, light and dark.

use egui::{Event, PointerButton, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use incident_map::app::{Startup, ViewerApp};
use incident_map::workspace::Source;
use incident_map::workspace::filter::{Filter, Undated};

fn viewer(paths: Vec<std::path::PathBuf>) -> Harness<'static, ViewerApp> {
    viewer_themed(paths, egui::Theme::Light)
}

/// The system theme the harness reports; the app's own theme choice still applies on top.
fn viewer_themed(
    paths: Vec<std::path::PathBuf>,
    theme: egui::Theme,
) -> Harness<'static, ViewerApp> {
    let mut harness = Harness::builder()
        .with_size([1440.0, 900.0])
        .with_theme(theme)
        .with_max_steps(400)
        .wgpu()
        .build_eframe(move |cc| {
            ViewerApp::new(
                cc,
                Startup {
                    sources: paths.into_iter().map(Source::from_path).collect(),
                    tiles: None,
                    fresh: true,
                },
            )
        });
    settle(&mut harness);
    harness
}

/// Runs frames until tiles and animations are done (or a generous bound is reached).
fn settle(harness: &mut Harness<'_, ViewerApp>) {
    for _ in 0..200 {
        harness.step();
        let app = harness.state();
        if !app.busy() && harness.run_ok().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    harness.run_steps(3);
}

fn bundled() -> Harness<'static, ViewerApp> {
    viewer(Vec::new())
}

fn click_at(harness: &mut Harness<'_, ViewerApp>, pos: Pos2) {
    harness.event(Event::PointerMoved(pos));
    harness.step();
    for pressed in [true, false] {
        harness.event(Event::PointerButton {
            pos,
            button: PointerButton::Primary,
            pressed,
            modifiers: Default::default(),
        });
        harness.step();
    }
    harness.run_steps(2);
}

#[test]
fn the_bundled_incidents_load_and_show_on_the_map() {
    let harness = bundled();
    let app = harness.state();
    assert!(app.problems().is_empty(), "{:?}", app.problems());
    assert!(app.store().incidents.len() >= 5);
    assert_eq!(app.visible().len(), app.store().incidents.len());
    // Every incident is drawn somewhere inside the window at the fitted first view.
    assert_eq!(app.marker_positions().len(), app.store().incidents.len());
    let (lat, lon, zoom) = app.view();
    assert!(
        (28.0..40.0).contains(&lat) && (34.0..50.0).contains(&lon),
        "{lat} {lon}"
    );
    assert!((3.0..=11.0).contains(&zoom), "{zoom}");
    harness.get_by_label_contains(&format!(
        "{} of {} incidents shown",
        app.store().incidents.len(),
        app.store().incidents.len()
    ));
}

#[test]
fn clicking_a_marker_shows_its_article_with_the_evidence() {
    let mut harness = bundled();
    let store = harness.state().store().clone();
    let (index, incident) = store
        .incidents
        .iter()
        .enumerate()
        .find(|(_, i)| i.sub_event_type.as_str() == "Armed clash")
        .expect("an armed clash in the bundled data");
    let label = incident_map::view::markers::marker_label(incident);
    // It may be inside a cluster at the first view: select it from the list first if so.
    if harness.query_by_label(&label).is_none() {
        harness.state_mut().set_filter(Filter {
            text: format!("{} {}", incident.sub_event_type, incident.location.name),
            from: incident.date,
            to: incident.date,
            ..Filter::default()
        });
        settle(&mut harness);
    }
    harness.get_by_label(&label).click();
    harness.run_steps(3);
    assert_eq!(harness.state().selected(), Some(index));

    let source = &incident.sources[0];
    let article = store.article(&source.article).unwrap();
    let evidence: String = article
        .text
        .chars()
        .skip(source.start)
        .take(source.end - source.start)
        .collect();
    harness.get_by_label_contains(&format!("Evidence: “{}", &evidence.trim()[..20]));
    if let Some(title) = &article.title {
        harness.get_by_label(title);
    }
}

#[test]
fn filtering_by_date_shrinks_the_markers_and_the_list() {
    let mut harness = bundled();
    let total = harness.state().store().incidents.len();
    let dated: Vec<_> = harness
        .state()
        .store()
        .incidents
        .iter()
        .filter_map(|i| i.date)
        .collect();
    let first = *dated.iter().min().unwrap();
    // Brush the first bar of the timeline, as a user drags across it.
    let timeline = harness.get_by_label("Timeline histogram").rect();
    let start = Pos2::new(timeline.left() + 2.0, timeline.center().y);
    let end = Pos2::new(timeline.left() + 4.0, timeline.center().y);
    harness.event(Event::PointerMoved(start));
    harness.step();
    harness.event(Event::PointerButton {
        pos: start,
        button: PointerButton::Primary,
        pressed: true,
        modifiers: Default::default(),
    });
    harness.step();
    for x in 0..6 {
        harness.event(Event::PointerMoved(Pos2::new(start.x + x as f32, start.y)));
        harness.step();
    }
    harness.event(Event::PointerMoved(end));
    harness.event(Event::PointerButton {
        pos: end,
        button: PointerButton::Primary,
        pressed: false,
        modifiers: Default::default(),
    });
    harness.step();
    settle(&mut harness);

    let app = harness.state();
    assert_eq!(app.filter().from, Some(first));
    let shown = app.visible().len();
    assert!(shown < total, "{shown} of {total} still shown");
    // A date range shows only what is dated inside it.
    assert!(
        app.visible()
            .iter()
            .all(|&i| app.store().incidents[i].date == Some(first))
    );
    assert!(app.marker_positions().len() <= app.visible().len());
    harness.get_by_label_contains(&format!("{shown} of {total} incidents shown"));
    // Ticking "Undated" brings the incidents of unknown date back beside the range.
    let undated = harness
        .state()
        .store()
        .incidents
        .iter()
        .filter(|i| i.date.is_none())
        .count();
    assert!(undated > 0, "the bundled data has undated incidents");
    harness.get_by_label_contains("Undated (").click();
    harness.run_steps(3);
    let app = harness.state();
    assert_eq!(app.visible().len(), shown + undated);
    assert_eq!(app.filter().undated, Undated::Shown);
}

#[test]
fn clicking_a_row_selects_the_incident_and_centres_the_map_on_it() {
    let mut harness = bundled();
    let store = harness.state().store().clone();
    // The last dated row: pick by its date button in the list.
    let (index, incident) = store
        .incidents
        .iter()
        .enumerate()
        .filter(|(_, i)| i.date.is_some())
        .max_by_key(|(_, i)| i.date)
        .unwrap();
    let date = incident.date.unwrap().to_string();
    // The list's row, not the date picker that may show the same date.
    let row = harness
        .get_all_by_label(&date)
        .min_by(|a, b| a.rect().left().total_cmp(&b.rect().left()))
        .unwrap();
    assert!(
        row.rect().left() < 300.0,
        "the row is in the list on the left"
    );
    row.click();
    settle(&mut harness);
    let selected = harness.state().selected().expect("a row click selects");
    let chosen = &store.incidents[selected];
    assert_eq!(chosen.date, incident.date);
    let (lat, lon, _) = harness.state().view();
    assert!(
        (lat - chosen.location.lat).abs() < 0.05,
        "{lat} vs {}",
        chosen.location.lat
    );
    assert!(
        (lon - chosen.location.lon).abs() < 0.05,
        "{lon} vs {}",
        chosen.location.lon
    );
    let _ = index;
}

#[test]
fn a_cluster_lists_its_members() {
    let mut harness = bundled();
    // Zoom far out until markers merge.
    for _ in 0..4 {
        harness.key_press(egui::Key::Minus);
        harness.run_steps(2);
    }
    settle(&mut harness);
    let cluster = harness
        .query_all_by_label_contains("Cluster of ")
        .next()
        .expect("markers cluster when zoomed out");
    let label = cluster.accesskit_node().label().unwrap_or_default();
    let count: usize = label
        .trim_start_matches("Cluster of ")
        .trim_end_matches(" incidents")
        .parse()
        .unwrap();
    let center = cluster.rect().center();
    click_at(&mut harness, center);
    settle(&mut harness);
    // Either the map zoomed in on the cluster, or its members are listed.
    let listed = harness
        .query_by_label_contains(&format!("{count} incidents here"))
        .is_some();
    assert!(listed, "clicking a cluster lists its {count} members");
}

#[test]
fn keyboard_steps_through_incidents_and_escape_clears() {
    let mut harness = bundled();
    harness.key_press(egui::Key::J);
    harness.run_steps(2);
    let first = harness
        .state()
        .selected()
        .expect("j selects the first incident");
    harness.key_press(egui::Key::J);
    harness.run_steps(2);
    let second = harness.state().selected().unwrap();
    assert_ne!(first, second);
    harness.key_press(egui::Key::K);
    harness.run_steps(2);
    assert_eq!(harness.state().selected(), Some(first));
    harness.key_press(egui::Key::Escape);
    harness.run_steps(2);
    assert_eq!(harness.state().selected(), None);
}

#[test]
fn a_broken_store_is_reported_by_name_and_the_app_keeps_working() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.json");
    std::fs::write(
        &broken,
        "{\"schema\": \"incident-map/1\",\n \"articles\": [,]}",
    )
    .unwrap();
    let mut harness = viewer(vec![broken]);
    for _ in 0..50 {
        if !harness.state().problems().is_empty() {
            break;
        }
        harness.step();
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let problems = harness.state().problems().join("\n");
    assert!(problems.contains("broken.json: line 2"), "{problems}");
    harness.run_steps(2);
    harness.get_by_label_contains("broken.json: line 2");
}

fn snapshot_main_window(dark: bool, name: &str) {
    let system = if dark {
        egui::Theme::Dark
    } else {
        egui::Theme::Light
    };
    let mut harness = viewer_themed(Vec::new(), system);
    if dark {
        harness
            .state_mut()
            .set_theme(incident_map::view::basemap::Theme::Dark);
    }
    settle(&mut harness);
    // Select the first incident so the side panel and article are in the picture.
    harness.key_press(egui::Key::J);
    settle(&mut harness);
    // Software rasterisers on other CPUs may shade a few edge pixels differently; a moved
    // marker or changed text differs in hundreds.
    let options = egui_kittest::SnapshotOptions::new()
        .threshold(1.0)
        .max_failed_pixels(60);
    harness.snapshot_options(name, &options);
}

#[test]
fn snapshot_main_window_light() {
    snapshot_main_window(false, "main_window_light");
}

#[test]
fn snapshot_main_window_dark() {
    snapshot_main_window(true, "main_window_dark");
}

/// In-memory settings, as eframe keeps them on disk between runs.
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
fn the_next_run_remembers_view_filters_and_theme() {
    let mut harness = bundled();
    harness.state_mut().set_filter(Filter {
        text: "Diyala".into(),
        undated: Undated::Hidden,
        ..Filter::default()
    });
    harness
        .state_mut()
        .set_theme(incident_map::view::basemap::Theme::Dark);
    harness.key_press(egui::Key::Plus);
    settle(&mut harness);
    let (lat, lon, zoom) = harness.state().view();
    let mut storage = MemoryStorage::default();
    eframe::App::save(harness.state_mut(), &mut storage);

    let ctx = egui::Context::default();
    let mut cc = eframe::CreationContext::_new_kittest(ctx.clone());
    cc.storage = Some(&storage);
    let next = ViewerApp::new(&cc, Startup::default());
    assert_eq!(next.filter().text, "Diyala");
    assert_eq!(next.filter().undated, Undated::Hidden);
    assert!(ctx.theme() == egui::Theme::Dark);
    let (lat2, lon2, zoom2) = next.view();
    assert!(
        (lat - lat2).abs() < 1e-6 && (lon - lon2).abs() < 1e-6,
        "{lat},{lon} vs {lat2},{lon2}"
    );
    assert!((zoom - zoom2).abs() < 1e-6);
    // A fresh start ignores what was remembered.
    let fresh = ViewerApp::new(
        &cc,
        Startup {
            fresh: true,
            ..Startup::default()
        },
    );
    assert!(fresh.filter().text.is_empty());
}

#[derive(Debug)]
struct DroppedPath(std::path::PathBuf);

impl egui::DroppedFile for DroppedPath {
    fn path(&self) -> &std::path::Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn dropping_a_folder_of_articles_ingests_it_in_the_background() {
    let dir = tempfile::tempdir().unwrap();
    let seed = "001_cd6de425e2b44c3d.txt";
    std::fs::copy(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("data/articles")
            .join(seed),
        dir.path().join(seed),
    )
    .unwrap();
    std::fs::write(dir.path().join("broken.txt"), [0u8, 159, 146, 150]).unwrap();
    let mut harness = bundled();
    harness
        .input_mut()
        .dropped_files
        .push(std::sync::Arc::new(DroppedPath(dir.path().to_owned())));
    harness.step();
    for _ in 0..600 {
        harness.step();
        let app = harness.state();
        if app.store().articles.len() == 1 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let app = harness.state();
    assert_eq!(
        app.store().articles.len(),
        1,
        "the dropped folder replaced the data"
    );
    assert_eq!(app.store().articles[0].id, "001_cd6de425e2b44c3d");
    assert!(
        app.store()
            .incidents
            .iter()
            .any(|i| i.location.name.contains("Ghuwayran"))
    );
    let problems = app.problems().join("\n");
    assert!(problems.contains("broken.txt"), "{problems}");
}

/// Ctrl+E opens the briefing export; Export renders the current view in the background and
/// saves a PNG of the chosen size where the user said.
#[test]
fn ctrl_e_exports_a_briefing_image_of_the_current_view() {
    let mut harness = bundled();
    harness.get_by_label("Export briefing…");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::E);
    harness.run_steps(2);
    harness.get_by_label("Export briefing image");

    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("view.png");
    let field = harness.get_by_role_and_label(egui::accesskit::Role::TextInput, "Save as");
    field.focus();
    harness.run_steps(1);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_role_and_label(egui::accesskit::Role::TextInput, "Save as")
        .type_text(&path.display().to_string());
    harness.run_steps(1);
    harness.get_by_label("Export").click();
    harness.run_steps(1);

    for _ in 0..600 {
        harness.step();
        if harness.state().briefing_outcome().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let saved = format!("Saved {}", path.display());
    match harness.state().briefing_outcome() {
        Some(Ok(message)) => assert!(message.starts_with(&saved), "{message}"),
        other => panic!("the export did not finish as expected: {other:?}"),
    }
    harness.run_steps(2);
    harness.get_by_label_contains(&saved);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{e}"));
    let width = u32::from_be_bytes([bytes[16], bytes[17], bytes[18], bytes[19]]);
    let height = u32::from_be_bytes([bytes[20], bytes[21], bytes[22], bytes[23]]);
    assert_eq!((width, height), (1920, 1080), "the default size");
}

fn drag(harness: &mut Harness<'_, ViewerApp>, from: Pos2, to: Pos2) {
    harness.event(Event::PointerMoved(from));
    harness.step();
    harness.event(Event::PointerButton {
        pos: from,
        button: PointerButton::Primary,
        pressed: true,
        modifiers: Default::default(),
    });
    harness.step();
    for k in 1..=8 {
        let t = k as f32 / 8.0;
        harness.event(Event::PointerMoved(from + (to - from) * t));
        harness.step();
    }
    harness.event(Event::PointerButton {
        pos: to,
        button: PointerButton::Primary,
        pressed: false,
        modifiers: Default::default(),
    });
    harness.step();
    harness.run_steps(2);
}

/// The analyst draws a callout on the map, moves it by dragging and deletes it with Delete;
/// then draws an arrow by dragging from its tail to its head.
#[test]
fn an_annotation_is_drawn_moved_and_deleted() {
    use incident_map::workspace::annotations::Mark;
    let mut harness = bundled();
    harness.get_by_label("Callout").click();
    harness.run_steps(2);
    let spot = Pos2::new(1000.0, 450.0);
    click_at(&mut harness, spot);
    harness.get_by_label("Annotation");
    harness
        .get_by_role_and_label(
            egui::accesskit::Role::MultilineTextInput,
            "Text of the callout",
        )
        .type_text("ISIS remnants active here");
    harness.run_steps(1);
    harness.get_by_label("Save").click();
    harness.run_steps(2);
    // The first mark offers to save a workspace; not now.
    if harness.query_by_label("Not now").is_some() {
        harness.get_by_label("Not now").click();
        harness.run_steps(2);
    }
    let marks = harness.state().annotations().to_vec();
    assert_eq!(marks.len(), 1, "{marks:?}");
    assert_eq!(marks[0].text, "ISIS remnants active here");
    let Mark::Text { at: before } = marks[0].mark.clone() else {
        panic!("not a callout: {:?}", marks[0].mark);
    };
    let (lat, lon, _) = harness.state().view();
    assert!((before.lat - lat).abs() < 5.0 && (before.lon - lon).abs() < 8.0);

    // Drag the callout's point 100 points right and 60 down: it moves east and south.
    drag(&mut harness, spot, spot + egui::vec2(100.0, 60.0));
    let marks = harness.state().annotations().to_vec();
    let Mark::Text { at: after } = marks[0].mark.clone() else {
        panic!("not a callout");
    };
    assert!(after.lon > before.lon + 0.01, "{before:?} → {after:?}");
    assert!(after.lat < before.lat - 0.01, "{before:?} → {after:?}");
    assert_eq!(harness.state().selected_annotation(), Some(marks[0].id));
    // The map did not pan under the drag.
    let (lat_now, lon_now, _) = harness.state().view();
    assert!((lat_now - lat).abs() < 1e-9 && (lon_now - lon).abs() < 1e-9);

    harness.key_press(egui::Key::Delete);
    harness.run_steps(2);
    assert!(harness.state().annotations().is_empty());

    // An arrow: drag from its tail to its head, then save it without words.
    harness.get_by_label("Arrow").click();
    harness.run_steps(2);
    drag(&mut harness, spot, spot + egui::vec2(-120.0, 80.0));
    harness.get_by_label("Save").click();
    harness.run_steps(2);
    let marks = harness.state().annotations().to_vec();
    assert_eq!(marks.len(), 1);
    let Mark::Arrow { from, to } = marks[0].mark.clone() else {
        panic!("not an arrow: {:?}", marks[0].mark);
    };
    assert!(to.lon < from.lon && to.lat < from.lat, "{from:?} → {to:?}");
}

/// Ctrl+Shift+C renders the briefing of the current view and puts it on the clipboard.
#[test]
fn ctrl_shift_c_copies_the_briefing_image() {
    let mut harness = bundled();
    harness.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::C,
    );
    let mut copied = None;
    for _ in 0..600 {
        harness.step();
        copied = harness
            .output()
            .platform_output
            .commands
            .iter()
            .find_map(|c| match c {
                egui::OutputCommand::CopyImage(image) => Some(image.size),
                _ => None,
            });
        if copied.is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert_eq!(copied, Some([1920, 1080]));
    match harness.state().briefing_outcome() {
        Some(Ok(message)) => assert!(message.contains("clipboard"), "{message}"),
        other => panic!("{other:?}"),
    }
}
