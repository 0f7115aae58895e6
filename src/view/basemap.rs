//! Tile sources for the map: the built-in offline vector basemap (the default, needing nothing),
//! OpenStreetMap and OpenTopoMap over HTTP with an on-disk cache, or a `.pmtiles` file of the
//! user's own. An online source that cannot be reached is reported and the built-in map is
//! shown instead, so the canvas is never an unexplained grey.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use walkers::sources::{Attribution, OpenStreetMap, OpenTopoMap, OpenTopoServer};
use walkers::{HttpOptions, HttpTiles, PmTiles, Style, Tiles};

use crate::workspace::job::{Job, Poll};

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
    /// Parses the `--tiles` argument: `builtin`, `osm`, `opentopomap` or a `.pmtiles` path.
    pub fn parse(arg: &str) -> Result<Self, String> {
        match arg.to_ascii_lowercase().as_str() {
            "builtin" | "built-in" | "offline" => Ok(Self::BuiltIn),
            "osm" | "openstreetmap" => Ok(Self::OpenStreetMap),
            "opentopomap" | "topo" => Ok(Self::OpenTopoMap),
            _ if arg.ends_with(".pmtiles") => Ok(Self::File(PathBuf::from(arg))),
            _ => Err(format!(
                "unknown tile source {arg:?}: use builtin, osm, opentopomap or a .pmtiles file"
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
}

impl Basemap {
    /// Opens the chosen tiles. Problems never fail: they fall back to the built-in map and say so.
    pub fn open(choice: TileChoice, theme: Theme, ctx: &egui::Context) -> Self {
        let mut basemap = Self::built_in(theme, ctx);
        basemap.switch(choice, theme, ctx);
        basemap
    }

    fn built_in(theme: Theme, ctx: &egui::Context) -> Self {
        let path = built_in_path();
        let info = inspect_pmtiles(&path);
        let max_zoom = info
            .as_ref()
            .map_or(11.0, |info| map_zoom_limit(info.max_zoom));
        let problem = info
            .err()
            .map(|e| format!("The built-in basemap cannot be read: {e}"));
        Self {
            max_zoom,
            choice: TileChoice::BuiltIn,
            theme,
            tiles: Box::new(PmTiles::with_style(&path, vector_style(theme), ctx.clone())),
            attribution: BUILT_IN_ATTRIBUTION.to_owned(),
            problem,
            probe: None,
        }
    }

    /// Switches tiles or theme; keeps the current tiles when the choice cannot be opened.
    pub fn switch(&mut self, choice: TileChoice, theme: Theme, ctx: &egui::Context) {
        if choice == self.choice && theme == self.theme && self.problem.is_none() {
            return;
        }
        match &choice {
            TileChoice::BuiltIn => *self = Self::built_in(theme, ctx),
            TileChoice::File(path) => match inspect_pmtiles(path) {
                Ok(info) => {
                    let name = path.file_name().unwrap_or_default().to_string_lossy();
                    // A user's archive is most likely a Protomaps extract with roads and land
                    // use, which walkers' Protomaps style draws in full.
                    self.tiles = Box::new(PmTiles::with_style(
                        path,
                        protomaps_style(theme),
                        ctx.clone(),
                    ));
                    self.attribution = match info.attribution {
                        Some(credit) => format!("{name}: {credit}"),
                        None => format!("{name} (no attribution in the file)"),
                    };
                    self.max_zoom = map_zoom_limit(info.max_zoom);
                    self.choice = choice;
                    self.theme = theme;
                    self.problem = None;
                    self.probe = None;
                }
                Err(e) => {
                    *self = Self::built_in(theme, ctx);
                    self.problem = Some(format!(
                        "{}: {e}. Showing the built-in map instead.",
                        path.display()
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
                self.choice = choice;
                self.theme = theme;
                self.problem = None;
            }
        }
    }

    /// Checks on the reachability probe; falls back to the built-in map when it failed.
    pub fn poll(&mut self, ctx: &egui::Context) {
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
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .ok()
        .map(|builder| builder.with_root_certificates(roots).with_no_client_auth());
    HttpOptions {
        cache: tile_cache_dir(),
        tls,
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
}

impl fmt::Display for TileType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

const PMTILES_HEADER_LEN: usize = 127;

/// Reads and checks a PMTiles v3 header and its metadata, so that a truncated or foreign file
/// is reported by name instead of leaving the map blank.
pub fn inspect_pmtiles(path: &Path) -> Result<PmTilesInfo, String> {
    // Opening a pipe for reading would wait for ever for a writer.
    let metadata = std::fs::metadata(path).map_err(|e| format!("cannot open: {e}"))?;
    if !metadata.is_file() {
        return Err("not a regular file (a pipe, socket or device)".to_owned());
    }
    let mut file = std::fs::File::open(path).map_err(|e| format!("cannot open: {e}"))?;
    let file_len = file
        .metadata()
        .map_err(|e| format!("cannot read: {e}"))?
        .len();
    inspect_pmtiles_from(&mut file, file_len)
}

/// [`inspect_pmtiles`] on any seekable reader of `file_len` bytes (a file, or bytes in memory).
pub fn inspect_pmtiles_from(
    file: &mut (impl Read + std::io::Seek),
    file_len: u64,
) -> Result<PmTilesInfo, String> {
    let mut header = [0u8; PMTILES_HEADER_LEN];
    file.read_exact(&mut header)
        .map_err(|_| "too short to be a PMTiles archive".to_owned())?;
    if &header[0..7] != b"PMTiles" {
        return Err("not a PMTiles archive (wrong magic bytes)".to_owned());
    }
    if header[7] != 3 {
        return Err(format!(
            "PMTiles version {} is not supported (only version 3)",
            header[7]
        ));
    }
    let u64_at = |at: usize| {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(&header[at..at + 8]);
        u64::from_le_bytes(bytes)
    };
    let i32_at = |at: usize| {
        let mut bytes = [0u8; 4];
        bytes.copy_from_slice(&header[at..at + 4]);
        i32::from_le_bytes(bytes)
    };
    let (root_offset, root_len) = (u64_at(8), u64_at(16));
    let (metadata_offset, metadata_len) = (u64_at(24), u64_at(32));
    let (leaves_offset, leaves_len) = (u64_at(40), u64_at(48));
    let (data_offset, data_len) = (u64_at(56), u64_at(64));
    for (what, offset, len) in [
        ("root directory", root_offset, root_len),
        ("metadata", metadata_offset, metadata_len),
        ("leaf directories", leaves_offset, leaves_len),
        ("tile data", data_offset, data_len),
    ] {
        if offset.checked_add(len).is_none_or(|end| end > file_len) {
            return Err(format!(
                "the {what} runs past the end of the file (truncated or corrupt archive)"
            ));
        }
        if len > 0 && offset < PMTILES_HEADER_LEN as u64 {
            return Err(format!(
                "the {what} starts inside the header (corrupt archive)"
            ));
        }
    }
    // The format keeps the header and root directory within the first 16 KiB; a reader trusts
    // that, so an archive that breaks it is refused before any tile is read.
    if root_offset + root_len > PMTILES_ROOT_LIMIT {
        return Err("the root directory lies beyond the first 16 KiB (corrupt archive)".to_owned());
    }
    let internal_compression = header[97];
    let mut root = vec![0u8; root_len as usize];
    file.seek(std::io::SeekFrom::Start(root_offset))
        .and_then(|_| file.read_exact(&mut root))
        .map_err(|e| format!("cannot read the root directory: {e}"))?;
    let root = decompress_internal(&root, internal_compression, PMTILES_DIRECTORY_LIMIT)
        .map_err(|e| format!("corrupt root directory: {e}"))?;
    check_directory(&root, data_len, leaves_len)
        .map_err(|e| format!("corrupt root directory: {e}"))?;
    let tile_type = match header[99] {
        1 => TileType::Mvt,
        2 => TileType::Png,
        3 => TileType::Jpeg,
        4 => TileType::Webp,
        5 => TileType::Avif,
        _ => TileType::Unknown,
    };
    let (min_zoom, max_zoom) = (header[100], header[101]);
    if min_zoom > max_zoom || max_zoom > 30 {
        return Err(format!("impossible zoom range {min_zoom}–{max_zoom}"));
    }
    let degrees = |at: usize| f64::from(i32_at(at)) / 10_000_000.0;
    let bounds = [degrees(102), degrees(106), degrees(110), degrees(114)];

    let metadata_len =
        usize::try_from(metadata_len).map_err(|_| "metadata too large".to_owned())?;
    if metadata_len > 64 * 1024 * 1024 {
        return Err("metadata too large".to_owned());
    }
    let mut raw = vec![0u8; metadata_len];
    file.seek(std::io::SeekFrom::Start(metadata_offset))
        .and_then(|_| file.read_exact(&mut raw))
        .map_err(|e| format!("cannot read metadata: {e}"))?;
    let json = decompress_internal(&raw, internal_compression, 64 * 1024 * 1024)
        .map_err(|e| format!("corrupt metadata: {e}"))?;
    let metadata: serde_json::Value = if json.is_empty() {
        serde_json::Value::Null
    } else {
        serde_json::from_slice(&json).map_err(|e| format!("corrupt metadata JSON: {e}"))?
    };
    let attribution = metadata["attribution"].as_str().map(str::to_owned);
    Ok(PmTilesInfo {
        tile_type,
        min_zoom,
        max_zoom,
        bounds,
        metadata,
        attribution,
    })
}

/// Where a PMTiles root directory must end: the format keeps it in the first 16 KiB.
const PMTILES_ROOT_LIMIT: u64 = 16 * 1024;

/// The most a decompressed directory may take.
const PMTILES_DIRECTORY_LIMIT: u64 = 16 * 1024 * 1024;

/// Decompresses a directory or the metadata (none or gzip), never past `limit` bytes.
fn decompress_internal(raw: &[u8], compression: u8, limit: u64) -> Result<Vec<u8>, String> {
    match compression {
        0 | 1 => Ok(raw.to_vec()),
        2 => {
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(raw)
                .take(limit + 1)
                .read_to_end(&mut out)
                .map_err(|e| e.to_string())?;
            if out.len() as u64 > limit {
                return Err(format!("decompresses to over {limit} bytes"));
            }
            Ok(out)
        }
        other => Err(format!("compression {other} is not supported")),
    }
}

/// Reads one unsigned LEB128 varint.
fn read_varint(bytes: &[u8], at: &mut usize) -> Result<u64, String> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *bytes.get(*at).ok_or("ends inside a number")?;
        *at += 1;
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Ok(value);
        }
    }
    Err("a number runs over 64 bits".to_owned())
}

/// Checks a decompressed directory (PMTiles v3: entry count, then tile ids, run lengths,
/// lengths and offsets as columns): an entry count the bytes can hold, and every entry inside
/// the tile data (a tile) or the leaf directories (a leaf, run length 0).
fn check_directory(bytes: &[u8], data_len: u64, leaves_len: u64) -> Result<(), String> {
    let mut at = 0;
    let entries = read_varint(bytes, &mut at)?;
    // Each entry takes at least four bytes, one per column.
    if entries.saturating_mul(4) > (bytes.len() - at) as u64 {
        return Err(format!("says {entries} entries in {} bytes", bytes.len()));
    }
    let entries = entries as usize;
    let mut column = || -> Result<Vec<u64>, String> {
        (0..entries).map(|_| read_varint(bytes, &mut at)).collect()
    };
    let _tile_ids = column()?;
    let run_lengths = column()?;
    let lengths = column()?;
    let mut offsets = Vec::with_capacity(entries);
    let mut end_of_last = 0u64;
    for (i, &length) in lengths.iter().enumerate() {
        let raw = read_varint(bytes, &mut at)?;
        // 0 means "right after the previous entry".
        let offset = if raw == 0 && i > 0 {
            end_of_last
        } else {
            raw.saturating_sub(1)
        };
        end_of_last = offset.saturating_add(length);
        offsets.push(offset);
    }
    for ((&run, &length), &offset) in run_lengths.iter().zip(&lengths).zip(&offsets) {
        let (section, limit) = if run == 0 {
            ("leaf directories", leaves_len)
        } else {
            ("tile data", data_len)
        };
        if length == 0 || offset.checked_add(length).is_none_or(|end| end > limit) {
            return Err(format!("an entry points outside the {section}"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let mut bytes = vec![0u8; PMTILES_HEADER_LEN];
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
    fn a_good_user_archive_is_used_and_credited_from_its_metadata() {
        let ctx = egui::Context::default();
        let basemap = Basemap::open(TileChoice::File(built_in_path()), Theme::Dark, &ctx);
        assert_eq!(basemap.choice, TileChoice::File(built_in_path()));
        assert!(basemap.problem.is_none());
        assert!(basemap.attribution().starts_with("basemap.pmtiles: "));
        assert!(basemap.attribution().contains("Natural Earth"));
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
}
