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
                    window_above: None,
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
fn a_cluster_at_one_spot_lists_its_members() {
    let mut harness = bundled();
    // The incidents at Ghuwayran prison share one point: zooming never parts them.
    let store = harness.state().store().clone();
    let prison = store
        .incidents
        .iter()
        .find(|i| i.location.name == "Ghuwayran prison")
        .unwrap()
        .location
        .clone();
    harness.state_mut().set_view(prison.lat, prison.lon, 9.0);
    settle(&mut harness);
    let cluster = harness
        .query_all_by_label_contains("Cluster of ")
        .next()
        .expect("the prison's incidents are one cluster");
    let label = cluster.accesskit_node().label().unwrap_or_default();
    let count: usize = label
        .trim_start_matches("Cluster of ")
        .trim_end_matches(" incidents")
        .parse()
        .unwrap();
    let center = cluster.rect().center();
    click_at(&mut harness, center);
    settle(&mut harness);
    let (_, _, zoom) = harness.state().view();
    assert!((zoom - 9.0).abs() < 1e-6, "listed, not zoomed: {zoom}");
    let list = harness
        .get_by_label_contains(&format!("{count} incidents here"))
        .rect();
    // The list is not over the legend (top left).
    let legend = harness.get_by_label("Event types").rect();
    assert!(list.left() > legend.right(), "{list:?} over {legend:?}");
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
    // Something is open: the viewer asks whether to add or to replace.
    harness.run_steps(2);
    harness.get_by_label("Replace what is open").click();
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

/// The index of the bundled incident matching `pick`.
fn find(
    harness: &Harness<'_, ViewerApp>,
    pick: impl Fn(&incident_map::store::Incident) -> bool,
) -> usize {
    harness
        .state()
        .store()
        .incidents
        .iter()
        .position(pick)
        .expect("the bundled data has it")
}

/// Issue 21, fault 1: a click anywhere on a list row selects it, not only on its date.
#[test]
fn a_click_anywhere_on_a_list_row_selects_it() {
    let mut harness = bundled();
    let store = harness.state().store().clone();
    let index = find(&harness, |i| i.location.name == "Diyala");
    let label = format!(
        "Row: {}",
        incident_map::view::markers::marker_label(&store.incidents[index])
    );
    let row = harness.get_by_label(&label).rect();
    // The Source cell ("unknown": the article names no publisher), far from the date.
    let source = harness
        .get_all_by_label("unknown")
        .find(|n| (n.rect().center().y - row.center().y).abs() < 2.0)
        .expect("the row's source")
        .rect();
    click_at(&mut harness, source.center());
    settle(&mut harness);
    assert_eq!(harness.state().selected(), Some(index));
    // And the Place cell.
    harness.key_press(egui::Key::Escape);
    harness.run_steps(2);
    let place = harness
        .get_all_by_label("Diyala")
        .find(|n| n.rect().left() < 500.0)
        .expect("the place in the list")
        .rect();
    click_at(&mut harness, place.center());
    settle(&mut harness);
    assert_eq!(harness.state().selected(), Some(index));
}

/// Issue 21, fault 2: where the built-in map has no more detail it says so and offers other
/// tiles; zoomed right out, the world fills the map's height.
#[test]
fn the_map_says_where_the_built_in_detail_ends_and_never_shrinks_the_world() {
    let mut harness = bundled();
    let notice = "The built-in map has no more detail here.";
    assert!(harness.query_by_label(notice).is_none());
    harness.state_mut().set_view(36.5, 40.75, 12.4);
    settle(&mut harness);
    harness.get_by_label(notice);
    harness.get_by_label("Use OpenStreetMap");
    // Outside the region, past the world's zoom.
    harness.state_mut().set_view(48.85, 2.35, 8.0);
    settle(&mut harness);
    harness.get_by_label(notice);
    harness.state_mut().set_view(36.5, 40.75, 9.0);
    settle(&mut harness);
    assert!(harness.query_by_label(notice).is_none());
    // The world at zoom 0 is 256 points tall: the map never goes below filling its height.
    harness.state_mut().set_view(20.0, 0.0, 0.0);
    settle(&mut harness);
    let (_, _, zoom) = harness.state().view();
    assert!(zoom >= 1.5, "zoomed out to {zoom}");
}

/// Issue 21, fault 5: notices queue under one another inside the map, the rest folded.
#[test]
fn notices_queue_inside_the_map_and_fold() {
    let mut harness = bundled();
    harness.key_press(egui::Key::J);
    settle(&mut harness);
    for n in 1..=5 {
        harness.state_mut().notify(format!(
            "Notice {n}: a long notice that wraps over more than one line of the banner, as \
             a problem naming a file in a deep folder does"
        ));
    }
    settle(&mut harness);
    let rects: Vec<egui::Rect> = (1..=5)
        .filter_map(|n| {
            let label = format!("Notice {n}:");
            harness
                .query_by_label_contains(&label)
                .map(|node| node.rect())
        })
        .collect();
    assert_eq!(rects.len(), 2, "two notices open, the rest folded");
    assert!(rects[0].bottom() <= rects[1].top(), "{rects:?}");
    harness.get_by_label("3 more notices");
    // None reaches over the side panel with the article.
    let panel = harness.get_by_label("Copy with citation").rect();
    for rect in &rects {
        assert!(rect.right() < panel.left(), "{rect:?} over the side panel");
    }
    harness.get_by_label("3 more notices").click();
    settle(&mut harness);
    let open = (1..=5)
        .filter(|n| {
            harness
                .query_by_label_contains(&format!("Notice {n}:"))
                .is_some()
        })
        .count();
    assert_eq!(open, 5);
    harness.get_by_label("Dismiss all").click();
    settle(&mut harness);
    assert!(harness.state().problems().is_empty());
}

/// Issue 21, fault 6: the Open window keeps the typed path and says why it did not open;
/// "Add to the workspace" keeps what is open.
#[test]
fn the_open_window_keeps_the_path_and_adds_to_the_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("more.csv");
    std::fs::write(
        &csv,
        "event_date,event_type,sub_event_type,latitude,longitude,location,source,notes\n\
         2022-02-01,Battles,Armed clash,36.2,43.9,Erbil,Rudaw,a clash near Erbil\n",
    )
    .unwrap();
    let mut harness = bundled();
    let before = harness.state().store().incidents.len();
    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness.get_by_label("Open…").click();
    harness.run_steps(2);
    let missing = dir.path().join("missing.json").display().to_string();
    harness
        .get_by_role_and_label(egui::accesskit::Role::TextInput, "Path")
        .focus();
    harness.run_steps(1);
    harness
        .get_by_role_and_label(egui::accesskit::Role::TextInput, "Path")
        .type_text(&missing);
    harness.run_steps(1);
    harness.get_by_label("Add to the workspace").click();
    harness.run_steps(2);
    harness.get_by_label_contains("no such file or folder");
    let field = harness.get_by_role_and_label(egui::accesskit::Role::TextInput, "Path");
    assert_eq!(field.value().as_deref(), Some(missing.as_str()));

    field.focus();
    harness.run_steps(1);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_role_and_label(egui::accesskit::Role::TextInput, "Path")
        .type_text(&csv.display().to_string());
    harness.run_steps(1);
    harness.get_by_label("Add to the workspace").click();
    for _ in 0..600 {
        harness.step();
        if harness.state().store().incidents.len() > before {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    settle(&mut harness);
    let store = harness.state().store();
    assert_eq!(store.incidents.len(), before + 1, "added, not replaced");
    assert!(
        store
            .incidents
            .iter()
            .any(|i| i.summary.contains("near Erbil"))
    );
    // The next Open starts from the path used.
    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness.get_by_label("Open…").click();
    harness.run_steps(2);
    let field = harness.get_by_role_and_label(egui::accesskit::Role::TextInput, "Path");
    assert_eq!(
        field.value().as_deref(),
        Some(csv.display().to_string().as_str())
    );
    // Esc closes it.
    harness.key_press(egui::Key::Escape);
    harness.run_steps(1);
    harness.key_press(egui::Key::Escape);
    harness.run_steps(2);
    assert!(
        harness
            .query_by_role_and_label(egui::accesskit::Role::TextInput, "Path")
            .is_none()
    );
}

/// Issue 21, fault 7: sources are counted in articles; an article's sentences are stepped
/// through within it.
#[test]
fn sources_count_articles_and_step_through_sentences_within_one() {
    let mut harness = bundled();
    let store = harness.state().store().clone();
    // Diyala: two sentences of one article.
    let one_article = find(&harness, |i| {
        i.sources.len() == 2 && i.sources[0].article == i.sources[1].article
    });
    harness
        .state_mut()
        .act(incident_map::app::Action::Select(one_article));
    settle(&mut harness);
    assert!(harness.query_by_label_contains("Article 1 of").is_none());
    harness.get_by_label("Evidence 1 of 2");
    harness.get_by_label("›").click();
    settle(&mut harness);
    harness.get_by_label("Evidence 2 of 2");
    assert_eq!(harness.state().shown_source(), 1);
    // Ghuwayran: eight sentences in two articles.
    let two_articles = find(&harness, |i| {
        i.sources.len() == 8 && i.sources.iter().any(|s| s.article != i.sources[0].article)
    });
    harness
        .state_mut()
        .act(incident_map::app::Action::Select(two_articles));
    settle(&mut harness);
    harness.get_by_label("Article 1 of 2");
    harness.get_by_label("Evidence 1 of 3");
    harness.get_by_label("▶").click();
    settle(&mut harness);
    harness.get_by_label("Article 2 of 2");
    harness.get_by_label("Evidence 1 of 5");
    let shown = harness.state().shown_source();
    assert_ne!(
        store.incidents[two_articles].sources[shown].article,
        store.incidents[two_articles].sources[0].article
    );
}

/// Issue 21, fault 9: choosing another incident underlined in the article keeps the reader
/// in that article.
#[test]
fn choosing_an_incident_in_the_article_stays_in_the_article() {
    let mut harness = bundled();
    let store = harness.state().store().clone();
    let ghuwayran = find(&harness, |i| i.sources.len() == 8);
    // Diyala's evidence is in the second article of Ghuwayran's sources, not its first.
    let diyala = find(&harness, |i| i.location.name == "Diyala");
    let reading = store.incidents[diyala].sources[1].clone();
    assert_ne!(
        store.incidents[ghuwayran].sources[0].article,
        reading.article
    );
    harness
        .state_mut()
        .act(incident_map::app::Action::Select(ghuwayran));
    settle(&mut harness);
    let in_article = store.incidents[diyala]
        .sources
        .iter()
        .find(|s| s.article == reading.article)
        .unwrap()
        .clone();
    harness
        .state_mut()
        .act(incident_map::app::Action::SelectInArticle {
            incident: diyala,
            article: in_article.article.clone(),
            start: in_article.start,
        });
    settle(&mut harness);
    assert_eq!(harness.state().selected(), Some(diyala));
    let shown = &store.incidents[diyala].sources[harness.state().shown_source()];
    assert_eq!(shown, &in_article);
}

/// Issue 21, fault 10: the selected marker does not hide the incidents at its spot, and a
/// cluster click either zooms or lists, never both.
#[test]
fn the_selected_marker_leaves_its_neighbours_in_sight() {
    let mut harness = bundled();
    let store = harness.state().store().clone();
    let at_prison: Vec<usize> = (0..store.incidents.len())
        .filter(|&i| store.incidents[i].location.name == "Ghuwayran prison")
        .collect();
    assert!(at_prison.len() >= 2);
    let loc = &store.incidents[at_prison[0]].location;
    harness.state_mut().set_view(loc.lat, loc.lon, 10.0);
    harness
        .state_mut()
        .act(incident_map::app::Action::Select(at_prison[0]));
    settle(&mut harness);
    let positions = harness.state().marker_positions();
    let selected = positions[&at_prison[0]];
    for other in &at_prison[1..] {
        let pos = positions[other];
        assert!(
            pos.distance(selected) > 14.0,
            "incident {other} drawn under the selected one: {pos:?} vs {selected:?}"
        );
    }
}

#[test]
fn a_cluster_click_zooms_without_opening_a_list() {
    let mut harness = bundled();
    for _ in 0..3 {
        harness.key_press(egui::Key::Minus);
        harness.run_steps(2);
    }
    settle(&mut harness);
    let (_, _, zoom) = harness.state().view();
    let cluster = harness
        .query_all_by_label_contains("Cluster of ")
        .max_by_key(|c| c.accesskit_node().label().unwrap_or_default().len())
        .expect("markers cluster when zoomed out");
    let center = cluster.rect().center();
    click_at(&mut harness, center);
    settle(&mut harness);
    let (_, _, after) = harness.state().view();
    assert!(after > zoom, "{after} vs {zoom}");
    assert!(
        harness.query_by_label_contains("incidents here").is_none(),
        "zoomed and listed"
    );
}

/// Issue 21, fault 11: the legend and the actor menu count what the other filters show.
#[test]
fn legend_counts_follow_the_filters() {
    let mut harness = bundled();
    let store = harness.state().store().clone();
    let battles = |indices: &[usize]| {
        indices
            .iter()
            .filter(|&&i| store.incidents[i].event_type == incident_map::store::EventType::Battles)
            .count()
    };
    let all = battles(harness.state().visible());
    harness.get_by_label(&format!("Battles ({all})"));
    harness.state_mut().set_filter(Filter {
        actor: Some("Iraqi Security Forces".into()),
        ..Filter::default()
    });
    settle(&mut harness);
    let shown = battles(harness.state().visible());
    assert!(shown < all);
    harness.get_by_label(&format!("Battles ({shown})"));
}

/// Issue 21, fault 12: both export windows start in the same folder, not the working
/// directory, and then in the folder last exported into.
#[test]
fn both_export_windows_start_in_the_last_folder_used() {
    let mut harness = bundled();
    let folder_of = |harness: &Harness<'_, ViewerApp>, label: &str| {
        let value = harness
            .get_by_role_and_label(egui::accesskit::Role::TextInput, label)
            .value()
            .unwrap_or_default();
        std::path::PathBuf::from(value)
            .parent()
            .map(std::path::Path::to_path_buf)
    };
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::E);
    harness.run_steps(2);
    let briefing = folder_of(&harness, "Save as");
    harness.key_press(egui::Key::Escape);
    harness.run_steps(2);
    assert!(
        harness.query_by_label("Export briefing image").is_none(),
        "Esc closes"
    );
    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness.get_by_label("Export…").click();
    harness.run_steps(2);
    let export = folder_of(&harness, "Save as:");
    assert_eq!(briefing, export);
    assert_ne!(export, std::env::current_dir().ok());
}

/// Issue 21, fault 13: the Help menu lists every shortcut; the list does not show a date
/// known to the week as exact; the briefing window opens below the menu bar.
#[test]
fn help_lists_the_keys_and_dates_show_their_precision() {
    let mut harness = bundled();
    harness.get_by_label("Help").click();
    harness.run_steps(2);
    for keys in ["Ctrl+E", "Ctrl+G", "Ctrl+F", "Esc", "Ctrl+Z"] {
        harness.get_by_label(keys);
    }
    harness.key_press(egui::Key::Escape);
    harness.run_steps(2);
    let week = find(&harness, |i| {
        i.date_precision == incident_map::store::DatePrecision::Week
    });
    let date = harness.state().store().incidents[week].date.unwrap();
    harness.get_by_label(&format!("≈{date}"));
    // The Source column names publishers, not titles.
    assert!(
        harness
            .query_by_label_contains("Iraq's prime minister says")
            .is_none_or(|n| n.rect().left() > 500.0)
    );
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::E);
    harness.run_steps(3);
    let window = harness.get_by_label("Export briefing image").rect();
    let toolbar = harness.get_by_label("Export briefing…").rect();
    assert!(
        window.top() > toolbar.bottom(),
        "{window:?} over the menu bar and toolbar"
    );
}

/// Tool: place search flies the map to the place typed.
#[test]
fn going_to_a_place_flies_the_map_there() {
    let mut harness = bundled();
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::G);
    harness.run_steps(2);
    let field = harness.get_by_role_and_label(egui::accesskit::Role::TextInput, "Go to");
    assert!(field.is_focused(), "Ctrl+G puts the cursor in the field");
    field.type_text("Qamishli");
    harness.run_steps(1);
    // The gazetteer loads in the background; then the places of that name are offered.
    for _ in 0..600 {
        harness.step();
        if harness.query_by_label_contains(", SY").is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    harness.run_steps(2);
    harness
        .get_all_by_label_contains(", SY")
        .next()
        .expect("a suggestion in Syria")
        .click();
    settle(&mut harness);
    let (lat, lon, zoom) = harness.state().view();
    assert!(
        (lat - 37.05).abs() < 0.1 && (lon - 41.23).abs() < 0.1,
        "{lat} {lon}"
    );
    assert!(zoom >= 9.5, "{zoom}");
}

/// Tool: the scale bar, and a distance measured by two clicks.
#[test]
fn two_clicks_measure_a_great_circle_distance() {
    let mut harness = bundled();
    harness.state_mut().set_view(36.0, 42.0, 8.0);
    settle(&mut harness);
    harness.get_by_label("km").click();
    // The overlay appears a frame after its first, invisible, sizing frame.
    harness.run_steps(4);
    harness.get_by_label("Measuring: click the first point");
    // Two empty spots of the map, 200 points apart across the middle.
    let map = harness.get_by_label("Event types").rect();
    let y = map.bottom() + 200.0;
    let (a, b) = (
        Pos2::new(map.right() + 150.0, y),
        Pos2::new(map.right() + 350.0, y),
    );
    click_at(&mut harness, a);
    click_at(&mut harness, b);
    settle(&mut harness);
    let expected = 200.0 * incident_map::view::measure::metres_per_point(36.0, 8.0) / 1000.0;
    let label = harness
        .get_by_label_contains("Distance: ")
        .value()
        .unwrap_or_default();
    let km: f64 = label
        .trim_start_matches("Distance: ")
        .trim_end_matches(" km")
        .parse()
        .unwrap_or_else(|e| panic!("{label}: {e}"));
    assert!(
        (km - expected).abs() / expected < 0.05,
        "{km} vs {expected}"
    );
    harness.key_press(egui::Key::Escape);
    harness.run_steps(2);
    assert!(harness.query_by_label_contains("Distance: ").is_none());
}

/// Tool: timeline playback steps the date range forward, and Stop gives it back.
#[test]
fn timeline_playback_steps_through_the_days() {
    let mut harness = bundled();
    let dates: Vec<_> = harness
        .state()
        .store()
        .incidents
        .iter()
        .filter_map(|i| i.date)
        .collect();
    let first = *dates.iter().min().unwrap();
    harness.get_by_label("▶ Play").click();
    harness.run_steps(1);
    assert!(harness.state().playing());
    assert_eq!(harness.state().filter().from, Some(first));
    assert_eq!(harness.state().filter().to, Some(first));
    // Each frame of the harness is a quarter second: one step a second, the next one due
    // a second later.
    harness.run_steps(5);
    let next = first.tomorrow().unwrap();
    assert_eq!(harness.state().filter().from, Some(next));
    harness.get_by_label(&format!("Showing {next}"));
    harness.get_by_label("Stop").click();
    harness.run_steps(2);
    assert!(!harness.state().playing());
    assert_eq!(harness.state().filter().from, None);
}

/// Tool: the heat map replaces the markers and paints where incidents are.
#[test]
fn the_heat_map_shows_instead_of_markers() {
    let mut harness = bundled();
    assert!(!harness.state().marker_positions().is_empty());
    harness.get_by_label("Heat map").click();
    settle(&mut harness);
    assert!(harness.state().marker_positions().is_empty());
    harness.get_by_label("few → many incidents");
    harness.get_by_label("Heat map").click();
    settle(&mut harness);
    assert!(!harness.state().marker_positions().is_empty());
}

/// Tool: the evidence is copied with its citation in one click.
#[test]
fn evidence_is_copied_with_its_citation() {
    let mut harness = bundled();
    let store = harness.state().store().clone();
    let index = find(&harness, |i| {
        store
            .article(&i.sources[0].article)
            .is_some_and(|a| a.publisher.as_deref() == Some("The National"))
    });
    harness
        .state_mut()
        .act(incident_map::app::Action::Select(index));
    settle(&mut harness);
    harness.get_by_label("Copy with citation").click();
    harness.step();
    let copied: Vec<String> = harness
        .output()
        .platform_output
        .commands
        .iter()
        .filter_map(|c| match c {
            egui::OutputCommand::CopyText(text) => Some(text.clone()),
            _ => None,
        })
        .collect();
    let text = copied.first().expect("something copied");
    let source = &store.incidents[index].sources[0];
    let article = store.article(&source.article).unwrap();
    let quote: String = article.text.chars().skip(source.start).take(20).collect();
    assert!(text.starts_with(&format!("“{}", quote.trim())), "{text}");
    assert!(text.contains("The National"), "{text}");
    assert!(text.contains(article.title.as_deref().unwrap()), "{text}");
    harness.run_steps(1);
    harness.get_by_label("Copied to the clipboard");
}

/// Tool: Arabic article text reads right to left, word by word.
#[test]
fn arabic_articles_read_in_order() {
    let dir = tempfile::tempdir().unwrap();
    // "Islamic State attacks the prison in al-Hasakah": five words.
    let arabic = "تنظيم الدولة يهاجم السجن في الحسكة";
    let store = serde_json::json!({
        "schema": "incident-map/1",
        "articles": [{"id": "ar1", "title": "هجوم على السجن", "publisher": "Enab Baladi",
            "published": "2022-01-21", "url": null,
            "text": format!("Al-Hasakah.\n{arabic}\n")}],
        "incidents": [{"id": "i1", "date": "2022-01-20", "date_precision": "day",
            "event_type": "Battles", "sub_event_type": "Armed clash", "actors": [],
            "fatalities": null, "location": {"name": "Al-Hasakah", "lat": 36.5, "lon": 40.75,
            "precision": "point"},
            "sources": [{"article": "ar1", "start": 12, "end": 46}], "summary": arabic}]
    });
    let path = dir.path().join("arabic.json");
    std::fs::write(&path, store.to_string()).unwrap();
    let mut harness = viewer(vec![path]);
    assert!(
        harness.state().problems().is_empty(),
        "{:?}",
        harness.state().problems()
    );
    harness.key_press(egui::Key::J);
    settle(&mut harness);
    let mut reversed: Vec<&str> = arabic.split(' ').collect();
    reversed.reverse();
    let visual = reversed.join(" ");
    // The summary and the article's line, each in reading order.
    assert!(harness.query_all_by_label_contains(&visual).count() >= 2);
    assert!(harness.query_by_label_contains(arabic).is_none());
}

/// Tool: the desktop's file dialog from the Open window; where there is no portal and no
/// zenity (as on a bare test machine) its buttons say so and the typed path is the way.
#[test]
fn the_open_window_offers_the_desktop_file_dialog_or_says_why_not() {
    let mut harness = bundled();
    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness.get_by_label("Open…").click();
    harness.run_steps(2);
    let file = harness.get_by_label("Choose a file…");
    let folder = harness.get_by_label("Choose a folder…");
    let no_portal = std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none_or(|v| v.is_empty());
    let no_zenity = std::env::var_os("PATH")
        .is_none_or(|paths| !std::env::split_paths(&paths).any(|dir| dir.join("zenity").is_file()));
    if no_portal && no_zenity {
        assert!(file.accesskit_node().is_disabled());
        assert!(folder.accesskit_node().is_disabled());
    }
    // The typed path stays the way in, whatever the desktop.
    harness.get_by_role_and_label(egui::accesskit::Role::TextInput, "Path");
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
