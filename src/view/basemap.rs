//! Tile sources for the map: the built-in offline vector basemap (the default, needing nothing),
//! OpenStreetMap and OpenTopoMap over HTTP with an on-disk cache, or a `.pmtiles` file of the
//! user's own. An online source that cannot be reached is reported and the built-in map is
//! shown instead, so the canvas is never an unexplained grey.

pub mod archive;
pub mod mbtiles;
pub mod tiles;

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use walkers::sources::{Attribution, OpenStreetMap, OpenTopoMap, OpenTopoServer};
use walkers::{HttpOptions, HttpTiles, Style, Tiles};

use crate::workspace::job::{Job, Poll};
pub use archive::Archive;
use tiles::{ArchiveTiles, Failures};

/// Credit for the built-in basemap's data, shown on the map.
pub const BUILT_IN_ATTRIBUTION: &str =
    "Natural Earth (public domain) · GeoNames (CC BY 4.0) · GSHHG (LGPL)";

/// Which tiles the map shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum TileChoice {
    #[default]
    BuiltIn,
    OpenStreetMap,
    OpenTopoMap,
    File(PathBuf),
}

impl TileChoice {
    /// Parses the `--tiles` argument: `builtin`, `osm`, `opentopomap`, or a `.pmtiles` or
    /// `.mbtiles` path.
    pub fn parse(arg: &str) -> Result<Self, String> {
        match arg.to_ascii_lowercase().as_str() {
            "builtin" | "built-in" | "offline" => Ok(Self::BuiltIn),
            "osm" | "openstreetmap" => Ok(Self::OpenStreetMap),
            "opentopomap" | "topo" => Ok(Self::OpenTopoMap),
            _ if is_tile_archive_path(Path::new(arg)) => Ok(Self::File(PathBuf::from(arg))),
            _ => Err(format!(
                "unknown tile source {arg:?}: use builtin, osm, opentopomap, or a .pmtiles or \
                 .mbtiles file"
            )),
        }
    }

    pub fn label(&self) -> String {
        match self {
            Self::BuiltIn => "Built-in (offline)".to_owned(),
            Self::OpenStreetMap => "OpenStreetMap (online)".to_owned(),
            Self::OpenTopoMap => "OpenTopoMap (online)".to_owned(),
            Self::File(path) => format!(
                "File: {}",
                path.file_name()
                    .unwrap_or(path.as_os_str())
                    .to_string_lossy()
            ),
        }
    }

    fn probe_host(&self) -> Option<&'static str> {
        match self {
            Self::OpenStreetMap => Some("tile.openstreetmap.org:443"),
            Self::OpenTopoMap => Some("a.tile.opentopomap.org:443"),
            _ => None,
        }
    }
}

/// Whether a file is a tile archive the map can show, by its name.
pub fn is_tile_archive_path(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("pmtiles") || e.eq_ignore_ascii_case("mbtiles"))
}

/// A user's tile file, opened and checked: its tiles, how to draw them, its credit and zoom.
struct UserTiles {
    tiles: ArchiveTiles,
    attribution: Option<String>,
    max_zoom: u8,
    coverage: Coverage,
}

/// Where and at which zooms a user's tile file has tiles, to say so where it has none.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Coverage {
    /// West, south, east, north in degrees; `None` when the file does not say.
    bounds: Option<[f64; 4]>,
    min_zoom: u8,
}

fn open_user_tiles(path: &Path, theme: Theme, ctx: &egui::Context) -> Result<UserTiles, String> {
    if mbtiles::is_mbtiles_path(path) {
        let file = mbtiles::MbTiles::open(path)?;
        let (attribution, max_zoom) = (file.attribution.clone(), file.max_zoom);
        let coverage = Coverage {
            bounds: file.bounds,
            min_zoom: file.min_zoom,
        };
        let size = if file.is_vector() {
            tiles::VECTOR_TILE_SIZE
        } else {
            tiles::RASTER_TILE_SIZE
        };
        return Ok(UserTiles {
            tiles: ArchiveTiles::new(file, protomaps_style(theme), size, ctx),
            attribution,
            max_zoom,
            coverage,
        });
    }
    let mut archive = open_archive(path)?;
    let info = info(&mut archive)?;
    // Said once, when the file is chosen, rather than as a blank map of failed tiles.
    if matches!(info.tile_type, TileType::Avif | TileType::Mlt) {
        let kind = match info.tile_type {
            TileType::Avif => "AVIF images",
            _ => "MapLibre Tiles (MLT)",
        };
        return Err(format!(
            "its tiles are {kind}, which this build cannot draw; use an archive of vector \
             tiles (MVT) or of PNG, JPEG or WebP images"
        ));
    }
    let size = match info.tile_type {
        TileType::Mvt | TileType::Unknown => tiles::VECTOR_TILE_SIZE,
        _ => tiles::RASTER_TILE_SIZE,
    };
    Ok(UserTiles {
        // A user's vector archive is most likely a Protomaps extract with roads and land use,
        // which walkers' Protomaps style draws in full.
        tiles: ArchiveTiles::new(archive, protomaps_style(theme), size, ctx),
        attribution: info
            .attribution
            .map(|a| mbtiles::plain_text(&a))
            .filter(|a| !a.is_empty()),
        max_zoom: info.max_zoom,
        coverage: Coverage {
            // A header's bounds of all zeros or the whole world say nothing.
            bounds: Some(info.bounds).filter(|b| b[2] > b[0] && b[3] > b[1]),
            min_zoom: info.min_zoom,
        },
    })
}

/// Light or dark map and interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum Theme {
    #[default]
    Light,
    Dark,
}

/// The tiles in use, and what the user must be told about them.
pub struct Basemap {
    pub choice: TileChoice,
    pub theme: Theme,
    tiles: Box<dyn Tiles>,
    attribution: String,
    /// Deepest map zoom the tiles still have detail for.
    max_zoom: f64,
    /// A problem to show in the UI, e.g. an unreachable server or a corrupt file.
    pub problem: Option<String>,
    probe: Option<Job<Result<(), String>>>,
    /// Tiles of an archive that could not be read, and how many were already reported.
    tile_failures: Option<(Arc<Mutex<Failures>>, usize)>,
    /// Where a user's tile file has tiles.
    coverage: Option<Coverage>,
}

/// Where the built-in map has detail beyond the world's zoom 0–5: west, south, east, north
/// of its region tiles (`tools/basemap/README.md`), and the deepest zoom drawn sharp there.
pub const BUILT_IN_REGION: [f64; 4] = [28.125, 21.943, 56.25, 45.089];
const BUILT_IN_WORLD_MAX_ZOOM: f64 = 5.0;
const BUILT_IN_REGION_MAX_ZOOM: f64 = 11.0;

/// The colour of the sea in a theme's built-in style (its `background` layer), painted behind
/// the tiles so that no part of the map is ever bare.
pub fn sea_color(theme: Theme) -> egui::Color32 {
    match theme {
        Theme::Light => egui::Color32::from_rgb(0xc4, 0xd8, 0xea),
        Theme::Dark => egui::Color32::from_rgb(0x14, 0x20, 0x30),
    }
}

/// No tiles at all: what the map shows when even the built-in archive cannot be read.
struct NoTiles;

impl Tiles for NoTiles {
    fn at(&mut self, _: walkers::TileId) -> Option<walkers::TilePiece> {
        None
    }

    fn attribution(&self) -> Attribution {
        Attribution {
            text: "",
            url: "",
            logo_light: None,
            logo_dark: None,
        }
    }

    fn tile_size(&self) -> u32 {
        256
    }
}

impl Basemap {
    /// Opens the chosen tiles. Problems never fail: they fall back to the built-in map and say so.
    pub fn open(choice: TileChoice, theme: Theme, ctx: &egui::Context) -> Self {
        let mut basemap = Self::built_in(theme, ctx);
        basemap.switch(choice, theme, ctx);
        basemap
    }

    fn built_in(theme: Theme, ctx: &egui::Context) -> Self {
        let mut basemap = Self {
            max_zoom: 11.0,
            choice: TileChoice::BuiltIn,
            theme,
            tiles: Box::new(NoTiles),
            attribution: BUILT_IN_ATTRIBUTION.to_owned(),
            problem: None,
            probe: None,
            tile_failures: None,
            coverage: None,
        };
        let opened = open_archive(&built_in_path())
            .and_then(|mut archive| info(&mut archive).map(|info| (archive, info)));
        match opened {
            Ok((archive, info)) => {
                basemap.max_zoom = map_zoom_limit(info.max_zoom);
                basemap.use_archive(archive, vector_style(theme), ctx);
            }
            Err(e) => basemap.problem = Some(format!("The built-in basemap cannot be read: {e}")),
        }
        basemap
    }

    /// Shows the tiles of a checked archive, and keeps an eye on the ones that fail.
    fn use_archive(&mut self, archive: Archive<std::fs::File>, style: Style, ctx: &egui::Context) {
        self.use_tiles(ArchiveTiles::new(
            archive,
            style,
            tiles::VECTOR_TILE_SIZE,
            ctx,
        ));
    }

    fn use_tiles(&mut self, tiles: ArchiveTiles) {
        self.tile_failures = Some((tiles.failures(), 0));
        self.tiles = Box::new(tiles);
    }

    /// Switches tiles or theme; keeps the current tiles when the choice cannot be opened.
    pub fn switch(&mut self, choice: TileChoice, theme: Theme, ctx: &egui::Context) {
        if choice == self.choice && theme == self.theme && self.problem.is_none() {
            return;
        }
        match &choice {
            TileChoice::BuiltIn => *self = Self::built_in(theme, ctx),
            TileChoice::File(path) => match open_user_tiles(path, theme, ctx) {
                Ok(user) => {
                    let name = crate::files::display_name(path);
                    self.use_tiles(user.tiles);
                    self.coverage = Some(user.coverage);
                    self.attribution = match user.attribution {
                        Some(credit) => format!("{name}: {credit}"),
                        None => format!("{name} (no attribution in the file)"),
                    };
                    self.max_zoom = map_zoom_limit(user.max_zoom);
                    self.choice = choice;
                    self.theme = theme;
                    self.problem = None;
                    self.probe = None;
                }
                Err(e) => {
                    *self = Self::built_in(theme, ctx);
                    self.problem = Some(format!(
                        "{}: {e}. Showing the built-in map instead.",
                        crate::files::display_path(path)
                    ));
                }
            },
            TileChoice::OpenStreetMap | TileChoice::OpenTopoMap => {
                let options = http_options();
                self.tiles = match choice {
                    TileChoice::OpenStreetMap => {
                        Box::new(HttpTiles::with_options(OpenStreetMap, options, ctx.clone()))
                    }
                    _ => Box::new(HttpTiles::with_options(
                        OpenTopoMap(OpenTopoServer::A),
                        options,
                        ctx.clone(),
                    )),
                };
                self.attribution = attribution_text(&self.tiles.attribution());
                self.max_zoom = if choice == TileChoice::OpenTopoMap {
                    17.0
                } else {
                    19.0
                };
                self.probe = choice.probe_host().map(|host| probe_reachable(host, ctx));
                self.tile_failures = None;
                self.coverage = None;
                self.choice = choice;
                self.theme = theme;
                self.problem = None;
            }
        }
    }

    /// Checks on the reachability probe; falls back to the built-in map when it failed.
    /// Also turns tiles of an archive that could not be read into a warning on the map.
    pub fn poll(&mut self, ctx: &egui::Context) {
        self.report_tile_failures();
        let Some(probe) = &mut self.probe else { return };
        match probe.poll() {
            Poll::Running => {}
            Poll::Done(Ok(())) | Poll::Lost => self.probe = None,
            Poll::Done(Err(e)) => {
                let label = self.choice.label();
                *self = Self::built_in(self.theme, ctx);
                self.problem = Some(format!(
                    "{label} cannot be reached ({e}). Showing the built-in offline map."
                ));
            }
        }
    }

    fn report_tile_failures(&mut self) {
        let Some((failures, reported)) = &mut self.tile_failures else {
            return;
        };
        let Ok(failures) = failures.lock() else {
            return;
        };
        if failures.count <= *reported {
            return;
        }
        *reported = failures.count;
        let first = failures.first.first().cloned().unwrap_or_default();
        let count = failures.count;
        drop(failures);
        let source = match &self.choice {
            TileChoice::File(path) => crate::files::display_name(path),
            other => other.label(),
        };
        self.problem = Some(if count == 1 {
            format!("{source}: a map tile cannot be read and is left blank ({first})")
        } else {
            format!(
                "{source}: {count} map tiles cannot be read and are left blank (the first: {first})"
            )
        });
    }

    pub fn tiles(&mut self) -> &mut dyn Tiles {
        self.tiles.as_mut()
    }

    /// The credit line for the data in view.
    pub fn attribution(&self) -> &str {
        &self.attribution
    }

    /// The deepest zoom worth showing: past it a vector archive has no tiles, so the map
    /// would go blank.
    pub fn max_zoom(&self) -> f64 {
        self.max_zoom
    }

    /// What to say when the map has no tiles at this view (`lat`, `lon` its centre): a user's
    /// tile file that does not cover the place or zoom, or the built-in map out of detail.
    pub fn missing_here(&self, lat: f64, lon: f64, zoom: f64) -> Option<String> {
        match (&self.choice, self.coverage) {
            (TileChoice::BuiltIn, _) => self
                .out_of_detail(lat, lon, zoom)
                .then(|| "The built-in map has no more detail here.".to_owned()),
            (TileChoice::File(path), Some(coverage)) => {
                let name = crate::files::display_name(path);
                let outside = coverage.bounds.is_some_and(|[west, south, east, north]| {
                    !((west..=east).contains(&lon) && (south..=north).contains(&lat))
                });
                if outside {
                    Some(format!("{name} has no tiles here."))
                } else if zoom + 0.5 < f64::from(coverage.min_zoom) {
                    Some(format!(
                        "{name} has tiles from zoom {} in: zoom in.",
                        coverage.min_zoom
                    ))
                } else {
                    None
                }
            }
            _ => None,
        }
    }

    /// Whether the built-in map runs out of detail at this view: past its deepest zoom, or
    /// outside its region past the world's zoom (`lat`, `lon` the centre of the view).
    pub fn out_of_detail(&self, lat: f64, lon: f64, zoom: f64) -> bool {
        if self.choice != TileChoice::BuiltIn {
            return false;
        }
        let [west, south, east, north] = BUILT_IN_REGION;
        let inside = (west..=east).contains(&lon) && (south..=north).contains(&lat);
        let deepest = if inside {
            BUILT_IN_REGION_MAX_ZOOM
        } else {
            BUILT_IN_WORLD_MAX_ZOOM
        };
        // Half a zoom step over-zoomed still reads; beyond that the map is visibly empty.
        zoom > deepest + 0.5
    }

    /// Tiles still being fetched or decoded.
    pub fn loading(&self) -> usize {
        self.tiles.stats().in_progress
    }
}

/// Map zoom at which a PMTiles archive's deepest tiles are still drawn: walkers draws 512-pixel
/// vector tiles one zoom level below the map's rounded zoom.
fn map_zoom_limit(archive_max_zoom: u8) -> f64 {
    f64::from(archive_max_zoom) + 1.45
}

fn vector_style(theme: Theme) -> Style {
    // Our own styles draw governorates, rivers from zoom 6 and the extra layers; walkers'
    // Protomaps style is only a fallback should one of them not parse.
    super::style::basemap_style(theme).unwrap_or_else(|e| {
        log::warn!("basemap style: {e}; using walkers' Protomaps style");
        protomaps_style(theme)
    })
}

fn protomaps_style(theme: Theme) -> Style {
    match theme {
        Theme::Light => Style::protomaps_basemap_light(),
        Theme::Dark => Style::protomaps_basemap_dark(),
    }
}

fn attribution_text(attribution: &Attribution) -> String {
    let text = attribution.text;
    if text.starts_with("Map data") || text.starts_with('©') {
        text.to_owned()
    } else {
        format!("© {text}")
    }
}

/// The bundled basemap archive.
pub fn built_in_path() -> PathBuf {
    crate::assets_dir().join("basemap.pmtiles")
}

/// Where downloaded tiles are cached: the platform's cache directory.
pub fn tile_cache_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "incident-map").map(|d| d.cache_dir().join("tiles"))
}

fn http_options() -> HttpOptions {
    HttpOptions {
        cache: tile_cache_dir(),
        tls: crate::articles::web::tls_config(),
        ..HttpOptions::default()
    }
}

/// Tries a TCP connection to the tile server in the background.
fn probe_reachable(host: &'static str, ctx: &egui::Context) -> Job<Result<(), String>> {
    let ctx = ctx.clone();
    Job::spawn(
        format!("Reaching {host}"),
        move || ctx.request_repaint(),
        move |_| {
            use std::net::{TcpStream, ToSocketAddrs};
            host.to_socket_addrs()
                .map_err(|e| format!("cannot resolve {host}: {e}"))
                .and_then(|mut addrs| addrs.next().ok_or_else(|| format!("no address for {host}")))
                .and_then(|addr| {
                    TcpStream::connect_timeout(&addr, Duration::from_secs(4))
                        .map(drop)
                        .map_err(|e| format!("{host}: {e}"))
                })
        },
    )
}

/// What the header of a PMTiles archive says.
#[derive(Debug, Clone, PartialEq)]
pub struct PmTilesInfo {
    pub tile_type: TileType,
    pub min_zoom: u8,
    pub max_zoom: u8,
    /// West, south, east, north in degrees.
    pub bounds: [f64; 4],
    /// The metadata JSON (vector layers, attribution, …).
    pub metadata: serde_json::Value,
    pub attribution: Option<String>,
}

impl PmTilesInfo {
    /// Names of the vector layers the metadata declares.
    pub fn vector_layers(&self) -> Vec<String> {
        self.metadata["vector_layers"]
            .as_array()
            .map(|layers| {
                layers
                    .iter()
                    .filter_map(|l| l["id"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TileType {
    Unknown,
    Mvt,
    Png,
    Jpeg,
    Webp,
    Avif,
    /// MapLibre Tiles, the columnar successor of MVT.
    Mlt,
}

impl fmt::Display for TileType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// Reads and checks a PMTiles v3 header, root directory and metadata, so that a truncated,
/// foreign or crafted file is reported by name instead of leaving the map blank.
pub fn inspect_pmtiles(path: &Path) -> Result<PmTilesInfo, String> {
    open_archive(path).and_then(|mut archive| info(&mut archive))
}

/// Opens an archive file for reading tiles: a regular file only (opening a pipe for reading
/// would wait for ever for a writer), its header and root directory checked.
pub fn open_archive(path: &Path) -> Result<Archive<std::fs::File>, String> {
    let metadata = std::fs::metadata(path).map_err(|e| format!("cannot open: {e}"))?;
    if !metadata.is_file() {
        return Err("not a regular file (a pipe, socket or device)".to_owned());
    }
    let file = std::fs::File::open(path).map_err(|e| format!("cannot open: {e}"))?;
    let file_len = file
        .metadata()
        .map_err(|e| format!("cannot read: {e}"))?
        .len();
    Archive::open(file, file_len)
}

/// [`inspect_pmtiles`] on any seekable reader of `file_len` bytes (a file, or bytes in memory).
pub fn inspect_pmtiles_from(
    file: &mut (impl Read + std::io::Seek),
    file_len: u64,
) -> Result<PmTilesInfo, String> {
    info(&mut Archive::open(file, file_len)?)
}

fn info<R: Read + std::io::Seek>(archive: &mut Archive<R>) -> Result<PmTilesInfo, String> {
    let metadata = archive.metadata()?;
    let header = archive.header();
    let attribution = metadata["attribution"].as_str().map(str::to_owned);
    Ok(PmTilesInfo {
        tile_type: header.tile_type,
        min_zoom: header.min_zoom,
        max_zoom: header.max_zoom,
        bounds: header.bounds,
        metadata,
        attribution,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_map_knows_where_its_detail_ends() {
        let ctx = egui::Context::default();
        let basemap = Basemap::open(TileChoice::BuiltIn, Theme::Light, &ctx);
        // Over al-Hasakah: detail to zoom 11, none past it.
        assert!(!basemap.out_of_detail(36.5, 40.75, 11.0));
        assert!(basemap.out_of_detail(36.5, 40.75, 12.0));
        // Over Paris: the world's zoom 5 only.
        assert!(!basemap.out_of_detail(48.85, 2.35, 5.0));
        assert!(basemap.out_of_detail(48.85, 2.35, 8.0));
    }

    #[test]
    fn tile_arguments_parse() {
        assert_eq!(TileChoice::parse("osm"), Ok(TileChoice::OpenStreetMap));
        assert_eq!(TileChoice::parse("builtin"), Ok(TileChoice::BuiltIn));
        assert_eq!(
            TileChoice::parse("/tmp/x.pmtiles"),
            Ok(TileChoice::File("/tmp/x.pmtiles".into()))
        );
        assert!(TileChoice::parse("google").is_err());
    }

    #[test]
    fn the_built_in_archives_root_directory_checks_out() {
        let info = inspect_pmtiles(&built_in_path());
        assert!(info.is_ok(), "{info:?}");
    }

    /// A header that passes the plain checks, with a root directory of `root` bytes.
    fn crafted(root_offset: u64, root: &[u8], data_len: u64) -> Vec<u8> {
        let mut bytes = vec![0u8; archive::HEADER_LEN];
        bytes[..7].copy_from_slice(b"PMTiles");
        bytes[7] = 3;
        bytes[8..16].copy_from_slice(&root_offset.to_le_bytes());
        bytes[16..24].copy_from_slice(&(root.len() as u64).to_le_bytes());
        let data_offset = root_offset + root.len() as u64;
        bytes[56..64].copy_from_slice(&data_offset.to_le_bytes());
        bytes[64..72].copy_from_slice(&data_len.to_le_bytes());
        bytes[97] = 1;
        bytes[101] = 4;
        bytes.resize(root_offset as usize, 0);
        bytes.extend_from_slice(root);
        bytes.resize(bytes.len() + data_len as usize, 0);
        bytes
    }

    fn inspect(bytes: &[u8]) -> Result<PmTilesInfo, String> {
        inspect_pmtiles_from(&mut std::io::Cursor::new(bytes), bytes.len() as u64)
    }

    #[test]
    fn crafted_directories_are_refused_before_any_tile_is_read() {
        // One tile of 10 bytes at the start of the data: fine.
        let good = [1, 0, 1, 10, 1];
        assert!(inspect(&crafted(127, &good, 10)).is_ok());
        // An entry count of 2^36 in a few bytes.
        let huge = [0x80, 0x80, 0x80, 0x80, 0x80, 0x01, 0, 0, 0, 0];
        let error = inspect(&crafted(127, &huge, 10)).unwrap_err();
        assert!(error.contains("entries"), "{error}");
        // A tile past the end of the data.
        let outside = [1, 0, 1, 20, 1];
        let error = inspect(&crafted(127, &outside, 10)).unwrap_err();
        assert!(error.contains("outside the tile data"), "{error}");
        // The root directory inside the header, or beyond 16 KiB.
        let error = inspect(
            &crafted(127, &good, 10)
                .into_iter()
                .enumerate()
                .map(|(i, b)| if i == 8 { 20 } else { b })
                .collect::<Vec<_>>(),
        )
        .unwrap_err();
        assert!(error.contains("inside the header"), "{error}");
        let error = inspect(&crafted(20_000, &good, 10)).unwrap_err();
        assert!(error.contains("16 KiB"), "{error}");
        // A directory that ends inside a number.
        let error = inspect(&crafted(127, &[3, 0x80], 10)).unwrap_err();
        assert!(error.contains("corrupt root directory"), "{error}");
    }

    #[test]
    fn truncated_and_foreign_archives_are_refused_with_a_reason() {
        let dir = tempfile::tempdir().unwrap();
        let short = dir.path().join("short.pmtiles");
        std::fs::write(&short, b"PMTiles\x03").unwrap();
        assert!(inspect_pmtiles(&short).unwrap_err().contains("too short"));
        let foreign = dir.path().join("foreign.pmtiles");
        std::fs::write(&foreign, [7u8; 200]).unwrap();
        assert!(inspect_pmtiles(&foreign).unwrap_err().contains("magic"));
        let missing = dir.path().join("missing.pmtiles");
        assert!(
            inspect_pmtiles(&missing)
                .unwrap_err()
                .contains("cannot open")
        );
    }

    #[test]
    fn a_broken_user_archive_falls_back_to_the_built_in_map_and_says_why() {
        let dir = tempfile::tempdir().unwrap();
        let broken = dir.path().join("extract.pmtiles");
        std::fs::write(&broken, b"not a tile archive at all, just text").unwrap();
        let ctx = egui::Context::default();
        let basemap = Basemap::open(TileChoice::File(broken), Theme::Light, &ctx);
        assert_eq!(basemap.choice, TileChoice::BuiltIn);
        let problem = basemap.problem.as_deref().unwrap_or_default();
        assert!(problem.contains("extract.pmtiles"), "{problem}");
        assert!(problem.contains("Showing the built-in map"), "{problem}");
        assert_eq!(basemap.attribution(), BUILT_IN_ATTRIBUTION);
    }

    #[test]
    fn an_unreachable_online_source_falls_back_to_the_built_in_map_and_says_so() {
        let ctx = egui::Context::default();
        let mut basemap = Basemap::open(TileChoice::OpenStreetMap, Theme::Light, &ctx);
        assert_eq!(basemap.choice, TileChoice::OpenStreetMap);
        assert!(basemap.attribution().contains("OpenStreetMap contributors"));
        // Nothing listens on the discard port of this machine: the probe fails as offline would.
        basemap.probe = Some(probe_reachable("127.0.0.1:9", &ctx));
        for _ in 0..100 {
            basemap.poll(&ctx);
            if basemap.choice == TileChoice::BuiltIn {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        assert_eq!(basemap.choice, TileChoice::BuiltIn);
        let problem = basemap.problem.as_deref().unwrap_or_default();
        assert!(
            problem.contains("OpenStreetMap (online) cannot be reached"),
            "{problem}"
        );
        assert_eq!(basemap.attribution(), BUILT_IN_ATTRIBUTION);
    }

    #[test]
    fn an_mbtiles_file_of_images_is_used_and_credited_in_plain_text() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("scan.mbtiles");
        let png =
            mbtiles::tests::one_tile_file(&path, "<a href='https://example.org'>&copy; Survey</a>");
        assert_eq!(
            TileChoice::parse(&path.display().to_string()),
            Ok(TileChoice::File(path.clone()))
        );
        let ctx = egui::Context::default();
        let basemap = Basemap::open(TileChoice::File(path.clone()), Theme::Light, &ctx);
        assert_eq!(basemap.choice, TileChoice::File(path));
        assert!(basemap.problem.is_none(), "{:?}", basemap.problem);
        assert_eq!(basemap.attribution(), "scan.mbtiles: © Survey");
        assert!(
            matches!(
                decode_at(&png, 1, tiles::RASTER_TILE_SIZE),
                Ok(walkers::Tile::Raster(_))
            ),
            "an image tile"
        );
        // Not a tile file: the built-in map, and why.
        let broken = dir.path().join("broken.mbtiles");
        std::fs::write(&broken, "text").expect("write");
        let basemap = Basemap::open(TileChoice::File(broken), Theme::Light, &ctx);
        assert_eq!(basemap.choice, TileChoice::BuiltIn);
        let problem = basemap.problem.as_deref().unwrap_or_default();
        assert!(
            problem.contains("broken.mbtiles") && problem.contains("not an MBTiles file"),
            "{problem}"
        );
    }

    #[test]
    fn the_map_says_where_a_tile_file_has_no_tiles() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("mosul.mbtiles");
        mbtiles::tests::one_tile_file(&path, "");
        rusqlite::Connection::open(&path)
            .and_then(|c| {
                c.execute(
                    "INSERT INTO metadata VALUES ('bounds', '42.9,36.2,43.4,36.5')",
                    [],
                )
            })
            .expect("bounds");
        let ctx = egui::Context::default();
        let basemap = Basemap::open(TileChoice::File(path), Theme::Light, &ctx);
        assert_eq!(
            basemap.missing_here(36.34, 43.13, 3.0),
            None,
            "inside, at zoom"
        );
        assert_eq!(
            basemap.missing_here(33.3, 44.4, 3.0).as_deref(),
            Some("mosul.mbtiles has no tiles here.")
        );
        assert_eq!(
            basemap.missing_here(36.34, 43.13, 0.2).as_deref(),
            Some("mosul.mbtiles has tiles from zoom 1 in: zoom in.")
        );
        let built_in = Basemap::open(TileChoice::BuiltIn, Theme::Light, &ctx);
        assert_eq!(built_in.missing_here(36.5, 40.75, 11.0), None);
        assert_eq!(
            built_in.missing_here(36.5, 40.75, 12.0).as_deref(),
            Some("The built-in map has no more detail here.")
        );
    }

    #[test]
    fn a_good_user_archive_is_used_and_credited_from_its_metadata() {
        let ctx = egui::Context::default();
        let basemap = Basemap::open(TileChoice::File(built_in_path()), Theme::Dark, &ctx);
        assert_eq!(basemap.choice, TileChoice::File(built_in_path()));
        assert!(basemap.problem.is_none());
        assert!(basemap.attribution().starts_with("basemap.pmtiles: "));
        assert!(basemap.attribution().contains("Natural Earth"));
    }

    /// Raster archives in each image format PMTiles names (PNG, JPEG, WebP) are used as the
    /// map, and their tiles decode as images; AVIF and MLT archives are refused with the reason.
    #[test]
    fn raster_archives_of_png_jpeg_and_webp_tiles_are_drawn_and_others_refused() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let ctx = egui::Context::default();
        let picture = image::RgbImage::from_fn(256, 256, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
        });
        for (tile_type, format, name) in [
            (2u8, image::ImageFormat::Png, "png"),
            (3, image::ImageFormat::Jpeg, "jpeg"),
            (4, image::ImageFormat::WebP, "webp"),
        ] {
            let mut tile = Vec::new();
            image::DynamicImage::ImageRgb8(picture.clone())
                .write_to(&mut std::io::Cursor::new(&mut tile), format)
                .unwrap_or_else(|e| panic!("encode {name}: {e}"));
            let root = directory(&[(0, 1, tile.len() as u64, 0)]);
            let mut bytes = archive_with(&root, &[], &tile);
            bytes[98] = 1; // tiles stored as they are
            bytes[99] = tile_type;
            bytes[101] = 0; // one zoom
            let path = dir.path().join(format!("scan-{name}.pmtiles"));
            std::fs::write(&path, &bytes).expect("write the archive");

            let basemap = Basemap::open(TileChoice::File(path.clone()), Theme::Light, &ctx);
            assert_eq!(basemap.choice, TileChoice::File(path.clone()), "{name}");
            assert!(basemap.problem.is_none(), "{name}: {:?}", basemap.problem);
            let stored = open_archive(&path)
                .and_then(|mut archive| archive.tile(0, 0, 0))
                .unwrap_or_else(|e| panic!("{name}: {e}"))
                .unwrap_or_else(|| panic!("{name}: no tile 0/0/0"));
            assert!(
                matches!(
                    decode_at(&stored, 0, tiles::RASTER_TILE_SIZE),
                    Ok(walkers::Tile::Raster(_))
                ),
                "{name}: an image tile"
            );
        }
        // Tiles of a kind it cannot draw: the built-in map, and why, at once.
        for (tile_type, kind) in [(5u8, "AVIF"), (6, "MLT")] {
            let root = directory(&[(0, 1, 4, 0)]);
            let mut bytes = archive_with(&root, &[], b"tile");
            bytes[99] = tile_type;
            let path = dir.path().join(format!("other-{tile_type}.pmtiles"));
            std::fs::write(&path, &bytes).expect("write the archive");
            let basemap = Basemap::open(TileChoice::File(path), Theme::Light, &ctx);
            assert_eq!(basemap.choice, TileChoice::BuiltIn, "{kind}");
            let problem = basemap.problem.as_deref().unwrap_or_default();
            assert!(
                problem.contains(&format!("other-{tile_type}.pmtiles")) && problem.contains(kind),
                "{problem}"
            );
        }
    }

    #[test]
    fn a_cut_off_copy_of_the_basemap_is_refused() {
        let Ok(bytes) = std::fs::read(built_in_path()) else {
            panic!(
                "the built-in basemap is missing: {}",
                built_in_path().display()
            );
        };
        let dir = tempfile::tempdir().unwrap();
        let cut = dir.path().join("cut.pmtiles");
        std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
        let err = inspect_pmtiles(&cut).unwrap_err();
        assert!(err.contains("past the end"), "{err}");
    }

    fn varint(mut value: u64, out: &mut Vec<u8>) {
        while value >= 0x80 {
            out.push((value as u8) | 0x80);
            value >>= 7;
        }
        out.push(value as u8);
    }

    /// A directory of (tile id, run length, length, offset) entries, as the format writes it.
    fn directory(entries: &[(u64, u64, u64, u64)]) -> Vec<u8> {
        let mut out = Vec::new();
        varint(entries.len() as u64, &mut out);
        let mut last = 0;
        for &(id, ..) in entries {
            varint(id - last, &mut out);
            last = id;
        }
        for &(_, run, ..) in entries {
            varint(run, &mut out);
        }
        for &(_, _, length, _) in entries {
            varint(length, &mut out);
        }
        for &(.., offset) in entries {
            varint(offset + 1, &mut out);
        }
        out
    }

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        encoder.write_all(bytes).unwrap();
        encoder.finish().unwrap()
    }

    /// A whole archive: header, root, leaves, tile data (tiles gzipped).
    fn archive_with(root: &[u8], leaves: &[u8], data: &[u8]) -> Vec<u8> {
        let mut bytes = vec![0u8; archive::HEADER_LEN];
        bytes[..7].copy_from_slice(b"PMTiles");
        bytes[7] = 3;
        let root_offset = archive::HEADER_LEN as u64;
        let leaves_offset = root_offset + root.len() as u64;
        let data_offset = leaves_offset + leaves.len() as u64;
        for (at, value) in [
            (8, root_offset),
            (16, root.len() as u64),
            (24, data_offset + data.len() as u64),
            (32, 0),
            (40, leaves_offset),
            (48, leaves.len() as u64),
            (56, data_offset),
            (64, data.len() as u64),
        ] {
            bytes[at..at + 8].copy_from_slice(&value.to_le_bytes());
        }
        bytes[97] = 1;
        bytes[98] = 2;
        bytes[99] = 1;
        bytes[101] = 4;
        bytes.extend_from_slice(root);
        bytes.extend_from_slice(leaves);
        bytes.extend_from_slice(data);
        bytes
    }

    /// Tile x 0, y 0 of `zoom` decoded as the map decodes it, with the light style.
    fn decode_at(bytes: &[u8], zoom: u8, size: u32) -> Result<walkers::Tile, String> {
        let id = walkers::TileId { x: 0, y: 0, zoom };
        tiles::decode(
            bytes,
            id,
            &vector_style(Theme::Light),
            size,
            &egui::Context::default(),
        )
    }

    /// A vector tile with one layer, `places`, holding one city at its centre named `name`,
    /// encoded field by field as the Mapbox Vector Tile specification lays it out.
    fn one_city_tile(name: &str) -> Vec<u8> {
        fn varint(out: &mut Vec<u8>, mut value: u64) {
            while value >= 0x80 {
                out.push((value as u8) | 0x80);
                value >>= 7;
            }
            out.push(value as u8);
        }
        fn bytes_field(out: &mut Vec<u8>, field: u64, bytes: &[u8]) {
            varint(out, field << 3 | 2);
            varint(out, bytes.len() as u64);
            out.extend_from_slice(bytes);
        }
        fn varint_field(out: &mut Vec<u8>, field: u64, value: u64) {
            varint(out, field << 3);
            varint(out, value);
        }
        fn packed(values: &[u64]) -> Vec<u8> {
            let mut out = Vec::new();
            values.iter().for_each(|&v| varint(&mut out, v));
            out
        }
        let mut feature = Vec::new();
        varint_field(&mut feature, 1, 1);
        bytes_field(&mut feature, 2, &packed(&[0, 0, 1, 1, 2, 2]));
        varint_field(&mut feature, 3, 1); // a point
        // MoveTo once, to (2048, 2048) zigzag-encoded: the middle of a 4096 extent.
        bytes_field(&mut feature, 4, &packed(&[9, 4096, 4096]));
        let mut layer = Vec::new();
        varint_field(&mut layer, 15, 2);
        bytes_field(&mut layer, 1, b"places");
        bytes_field(&mut layer, 2, &feature);
        for key in ["kind", "name", "population_rank"] {
            bytes_field(&mut layer, 3, key.as_bytes());
        }
        let (mut kind, mut label, mut rank) = (Vec::new(), Vec::new(), Vec::new());
        bytes_field(&mut kind, 1, b"locality");
        bytes_field(&mut label, 1, name.as_bytes());
        varint_field(&mut rank, 4, 14); // int_value: walkers reads no uint_value
        for value in [kind, label, rank] {
            bytes_field(&mut layer, 4, &value);
        }
        varint_field(&mut layer, 5, 4096);
        let mut tile = Vec::new();
        bytes_field(&mut tile, 3, &layer);
        tile
    }

    fn labels_of(tile: walkers::Tile) -> Vec<String> {
        match tile {
            walkers::Tile::Vector { texts, .. } => texts.into_iter().map(|t| t.text).collect(),
            walkers::Tile::Raster(_) => panic!("a vector tile was decoded as an image"),
        }
    }

    #[test]
    fn a_place_name_of_several_arabic_words_is_labelled_in_reading_order() {
        // "Deir ez-Zor" in Arabic: two words, the first read rightmost.
        let tile = decode_at(&one_city_tile("دير الزور"), 6, tiles::VECTOR_TILE_SIZE);
        assert_eq!(labels_of(tile.expect("decodes")), ["الزور دير"]);
        // A Latin name is drawn as written.
        let tile = decode_at(&one_city_tile("Deir ez-Zor"), 6, tiles::VECTOR_TILE_SIZE);
        assert_eq!(labels_of(tile.expect("decodes")), ["Deir ez-Zor"]);
    }

    fn open_bytes(bytes: &[u8]) -> Result<Archive<std::io::Cursor<&[u8]>>, String> {
        Archive::open(std::io::Cursor::new(bytes), bytes.len() as u64)
    }

    #[test]
    fn the_built_in_archive_reads_tile_by_tile_through_its_leaves() {
        let mut archive = open_archive(&built_in_path()).unwrap();
        assert!(
            archive.header().leaves.len > 0,
            "the built-in map has leaf directories"
        );
        let mut found = 0;
        for z in 0..=5u8 {
            for x in 0..1u32 << z {
                for y in 0..1u32 << z {
                    match archive.tile(z, x, y) {
                        Ok(Some(tile)) => {
                            assert!(!tile.is_empty());
                            found += 1;
                        }
                        Ok(None) => {}
                        Err(e) => panic!("{e}"),
                    }
                }
            }
        }
        // Land and sea alike have tiles down to zoom 5 (1,365 in all).
        assert!(found > 1000, "{found}");
        let tile = archive.tile(0, 0, 0).unwrap().unwrap();
        assert!(matches!(
            decode_at(&tile, 0, tiles::VECTOR_TILE_SIZE),
            Ok(walkers::Tile::Vector { .. })
        ));
    }

    #[test]
    fn crafted_leaf_directories_and_tiles_are_errors_not_crashes() {
        let tile = gzip(b"not really a vector tile");
        let len = tile.len() as u64;
        // A root of one leaf for every tile, a leaf of one tile: fine.
        let leaf = directory(&[(0, 1, len, 0)]);
        let root = directory(&[(0, 0, leaf.len() as u64, 0)]);
        let bytes = archive_with(&root, &leaf, &tile);
        let mut archive = open_bytes(&bytes).unwrap();
        assert_eq!(
            archive.tile(0, 0, 0).unwrap().as_deref(),
            Some(&b"not really a vector tile"[..])
        );
        assert_eq!(archive.tile(1, 0, 0).unwrap(), None);

        // A leaf that says it holds 2^40 entries in a few bytes.
        let huge = [0x80, 0x80, 0x80, 0x80, 0x80, 0x20, 0, 0, 0, 0];
        let root = directory(&[(0, 0, huge.len() as u64, 0)]);
        let bytes = archive_with(&root, &huge, &tile);
        let error = open_bytes(&bytes).unwrap().tile(0, 0, 0).unwrap_err();
        assert!(
            error.contains("corrupt leaf directory") && error.contains("entries"),
            "{error}"
        );

        // A leaf entry pointing past the leaf section is refused when the root is read.
        let root = directory(&[(0, 0, 1000, 0)]);
        let error = open_bytes(&archive_with(&root, &leaf, &tile))
            .err()
            .unwrap_or_default();
        assert!(error.contains("outside the leaf directories"), "{error}");

        // A leaf whose tile lies past the data.
        let far = directory(&[(0, 1, 1_000_000, 0)]);
        let root = directory(&[(0, 0, far.len() as u64, 0)]);
        let bytes = archive_with(&root, &far, &tile);
        let error = open_bytes(&bytes).unwrap().tile(0, 0, 0).unwrap_err();
        assert!(error.contains("outside the tile data"), "{error}");

        // A leaf of five bytes that points to itself: followed a few levels, then refused.
        let looping = directory(&[(0, 0, 5, 0)]);
        assert_eq!(looping.len(), 5);
        let root = directory(&[(0, 0, 5, 0)]);
        let bytes = archive_with(&root, &looping, &tile);
        let error = open_bytes(&bytes).unwrap().tile(0, 0, 0).unwrap_err();
        assert!(error.contains("nest deeper"), "{error}");

        // Tile ids out of order.
        let unordered = [2, 5, 0, 1, 1, 1, 1, 1, 2];
        let root = directory(&[(0, 0, unordered.len() as u64, 0)]);
        let bytes = archive_with(&root, &unordered, &tile);
        let error = open_bytes(&bytes).unwrap().tile(0, 0, 0).unwrap_err();
        assert!(error.contains("twice"), "{error}");
    }

    #[test]
    fn a_gzip_bomb_in_one_tile_stops_at_the_cap() {
        // 1 GB of zeros would be 1 MB compressed; 64 MB of them (64 KB) makes the point.
        let bomb = gzip(&vec![0u8; 64 * 1024 * 1024]);
        assert!(bomb.len() < 100 * 1024);
        let root = directory(&[(0, 1, bomb.len() as u64, 0)]);
        let bytes = archive_with(&root, &[], &bomb);
        let error = open_bytes(&bytes).unwrap().tile(0, 0, 0).unwrap_err();
        assert!(
            error.contains("tile 0/0/0") && error.contains("compression bomb"),
            "{error}"
        );
    }

    #[test]
    fn a_bad_tile_in_a_user_archive_is_a_warning_on_the_map() {
        let bomb = gzip(&vec![0u8; 64 * 1024 * 1024]);
        let root = directory(&[(0, 1, bomb.len() as u64, 0)]);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bomb.pmtiles");
        std::fs::write(&path, archive_with(&root, &[], &bomb)).unwrap();
        let ctx = egui::Context::default();
        let mut basemap = Basemap::open(TileChoice::File(path.clone()), Theme::Light, &ctx);
        assert_eq!(basemap.choice, TileChoice::File(path));
        assert!(basemap.problem.is_none());
        let top = walkers::TileId {
            x: 0,
            y: 0,
            zoom: 0,
        };
        for _ in 0..200 {
            assert!(basemap.tiles().at(top).is_none());
            basemap.poll(&ctx);
            if basemap.problem.is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let problem = basemap.problem.clone().unwrap_or_default();
        assert!(
            problem.contains("bomb.pmtiles: a map tile cannot be read"),
            "{problem}"
        );
        assert!(problem.contains("compression bomb"), "{problem}");
        // The map goes on: the tile is not asked for again, nothing is loading.
        assert!(basemap.tiles().at(top).is_none());
        assert_eq!(basemap.loading(), 0);
    }

    #[test]
    fn the_built_in_map_draws_its_top_tile_through_the_checked_reader() {
        let ctx = egui::Context::default();
        let mut basemap = Basemap::open(TileChoice::BuiltIn, Theme::Light, &ctx);
        let top = walkers::TileId {
            x: 0,
            y: 0,
            zoom: 0,
        };
        let mut piece = None;
        for _ in 0..500 {
            piece = basemap.tiles().at(top);
            if piece.is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        assert!(piece.is_some());
        // A deeper tile than the archive has is drawn from its deepest ancestor.
        let deep = walkers::TileId {
            x: 1 << 13,
            y: 1 << 13,
            zoom: 14,
        };
        let mut piece = None;
        for _ in 0..500 {
            piece = basemap.tiles().at(deep);
            if piece.is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        assert!(piece.is_some());
        basemap.poll(&ctx);
        assert!(basemap.problem.is_none(), "{:?}", basemap.problem);
    }
}
