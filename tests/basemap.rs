//! The built-in basemap: what its archive holds, and how our styles draw it. The snapshots are
//! rendered headless through egui_kittest on wgpu (lavapipe on a machine without a GPU) and
//! kept in tests/snapshots/; `UPDATE_SNAPSHOTS=1 cargo test --test basemap` rewrites them.

use std::time::Duration;

use egui_kittest::Harness;
use incident_map::view::basemap::{Theme, TileType, built_in_path, inspect_pmtiles};
use incident_map::view::style::{basemap_style, install_fonts};
use walkers::{Map, MapMemory, PmTiles, Position, Tiles, lat_lon};

#[test]
fn the_archive_covers_the_world_and_the_region_with_the_layers_the_styles_draw() {
    let info = inspect_pmtiles(&built_in_path()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(info.tile_type, TileType::Mvt);
    assert_eq!(info.min_zoom, 0);
    assert!(info.max_zoom >= 11, "max zoom {}", info.max_zoom);

    let [west, south, east, north] = info.bounds;
    assert!(west <= -179.9 && east >= 179.9, "bounds {:?}", info.bounds);
    assert!(south <= -85.0 && north >= 85.0, "bounds {:?}", info.bounds);
    // Iraq and Syria, where the detailed zooms are.
    assert!(west <= 35.5 && east >= 48.7 && south <= 29.0 && north >= 37.4);

    let layers = info.vector_layers();
    for layer in ["earth", "water", "boundaries", "places", "admin1"] {
        assert!(
            layers.iter().any(|l| l == layer),
            "no `{layer}` in {layers:?}"
        );
    }

    let attribution = info.attribution.unwrap_or_default();
    assert!(attribution.contains("Natural Earth"), "{attribution}");
    assert!(attribution.contains("GeoNames"), "{attribution}");
}

/// Just the map, with the built-in tiles in one of our styles.
struct MapView {
    tiles: PmTiles,
    memory: MapMemory,
}

impl eframe::App for MapView {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        egui::CentralPanel::default()
            .frame(egui::Frame::NONE)
            .show(ui, |ui| {
                let position = self.memory.detached().unwrap_or(lat_lon(0.0, 0.0));
                ui.add(Map::new(Some(&mut self.tiles), &mut self.memory, position));
            });
    }
}

fn map_at(theme: Theme, center: Position, zoom: f64) -> Harness<'static, MapView> {
    let mut harness = Harness::builder()
        .with_size([1024.0, 768.0])
        .with_context_setup(install_fonts)
        .wgpu()
        .build_eframe(move |cc| {
            walkers::install_renderer(cc.wgpu_render_state.as_ref());
            let style = basemap_style(theme).unwrap_or_else(|e| panic!("{e}"));
            let mut memory = MapMemory::default();
            memory.center_at(center);
            memory
                .set_zoom(zoom)
                .unwrap_or_else(|e| panic!("zoom {zoom}: {e:?}"));
            MapView {
                tiles: PmTiles::with_style(built_in_path(), style, cc.egui_ctx.clone()),
                memory,
            }
        });
    settle(&mut harness);
    harness
}

/// Runs frames until every tile in view has been read and decoded. Tiles load on walkers' own
/// threads, so this waits a little between frames, up to a bound.
fn settle(harness: &mut Harness<'_, MapView>) {
    let mut idle = 0;
    for _ in 0..600 {
        harness.step();
        if harness.state().tiles.stats().in_progress == 0 {
            idle += 1;
            // Twice in a row: a tile that finished may have led to another being asked for.
            if idle >= 2 {
                break;
            }
        } else {
            idle = 0;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        harness.state().tiles.stats().in_progress,
        0,
        "tiles still loading"
    );
    harness.run_steps(2);
}

fn snapshot(theme: Theme, center: Position, zoom: f64, name: &str) {
    let mut harness = map_at(theme, center, zoom);
    // Software rasterisers on other CPUs may shade a few edge pixels differently; a missing
    // tile or moved label differs in thousands.
    let options = egui_kittest::SnapshotOptions::new()
        .threshold(1.0)
        .max_failed_pixels(60);
    harness.snapshot_options(name, &options);
}

const IRAQ_AND_SYRIA: (f64, f64) = (34.2, 41.9);
const AL_HASAKAH: (f64, f64) = (36.50, 40.75);

#[test]
fn iraq_and_syria_at_zoom_5_light() {
    let (lat, lon) = IRAQ_AND_SYRIA;
    snapshot(
        Theme::Light,
        lat_lon(lat, lon),
        5.0,
        "basemap_iraq_syria_z5_light",
    );
}

#[test]
fn iraq_and_syria_at_zoom_5_dark() {
    let (lat, lon) = IRAQ_AND_SYRIA;
    snapshot(
        Theme::Dark,
        lat_lon(lat, lon),
        5.0,
        "basemap_iraq_syria_z5_dark",
    );
}

#[test]
fn al_hasakah_at_zoom_10_light() {
    let (lat, lon) = AL_HASAKAH;
    snapshot(
        Theme::Light,
        lat_lon(lat, lon),
        10.0,
        "basemap_hasakah_z10_light",
    );
}

#[test]
fn al_hasakah_at_zoom_10_dark() {
    let (lat, lon) = AL_HASAKAH;
    snapshot(
        Theme::Dark,
        lat_lon(lat, lon),
        10.0,
        "basemap_hasakah_z10_dark",
    );
}

/// The tile at `zoom` holding (lat, lon), decoded: its bytes carry the label strings.
fn tile_at(lat: f64, lon: f64, zoom: u8) -> Vec<u8> {
    let n = f64::from(1u32 << zoom);
    let x = ((lon + 180.0) / 360.0 * n).floor() as u32;
    let phi = lat.to_radians();
    let y = ((1.0 - (phi.tan() + 1.0 / phi.cos()).ln() / std::f64::consts::PI) / 2.0 * n).floor()
        as u32;
    let mut archive = incident_map::view::basemap::open_archive(&built_in_path())
        .unwrap_or_else(|e| panic!("{e}"));
    archive
        .tile(zoom, x, y)
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("no tile {zoom}/{x}/{y}"))
}

fn names(tile: &[u8], name: &str) -> bool {
    tile.windows(name.len()).any(|w| w == name.as_bytes())
}

/// Issue 21, fault 3: the Kurdistan Region's governorate seats are named at the region's
/// overview (zoom 6, where the bundled incidents' fit view starts), beside Mosul and Kirkuk.
#[test]
fn the_governorate_seats_of_the_north_are_labelled_at_the_overview() {
    for (name, lat, lon) in [
        ("Erbil", 36.19, 44.01),
        ("Mosul", 36.34, 43.13),
        ("Kirkuk", 35.47, 44.39),
        // GeoNames' spellings: As Sulaymānīyah, Dihok (Duhok).
        ("As Sulaym", 35.56, 45.43),
        ("Dihok", 36.87, 42.99),
    ] {
        let tile = tile_at(lat, lon, 6);
        assert!(names(&tile, name), "{name} is not in the zoom-6 tile");
    }
}

/// Issue 21, fault 2: close up over al-Hasakah the map names the villages and places the
/// gazetteer knows (Ghuwayran, al-Hol), not only the city.
#[test]
fn close_up_the_region_names_its_villages() {
    let tile = tile_at(36.48, 40.72, 11);
    assert!(names(&tile, "Ghuwayran"), "no Ghuwayran at zoom 11");
    let tile = tile_at(36.38, 41.15, 11);
    assert!(names(&tile, "Hol"), "no al-Hol at zoom 11");
}
