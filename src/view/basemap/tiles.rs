//! The map's tiles from a PMTiles archive, read through [`Archive`] (every directory checked,
//! every tile size-capped) on one background thread, decoded by walkers there, and kept in a
//! small cache. A tile that cannot be read or decoded (a corrupt directory, a compression
//! bomb, a malformed vector tile, even a panic in the decoder) is left blank and recorded, so
//! the window can say so; it never takes the program down.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fs::File;
use std::panic::AssertUnwindSafe;
use std::sync::mpsc::{Receiver, SyncSender, TryRecvError, TrySendError, sync_channel};
use std::sync::{Arc, Mutex};

use walkers::sources::Attribution;
use walkers::{Stats, Style, Tile, TileId, TilePiece, Tiles};

use super::archive::Archive;
use super::mbtiles::MbTiles;
use crate::view::bidi;
use crate::workspace::job::Job;

/// Vector tiles are drawn at 512 pixels, as walkers' own PMTiles source does; raster tiles at
/// the 256 pixels they are made at.
pub const VECTOR_TILE_SIZE: u32 = 512;
pub const RASTER_TILE_SIZE: u32 = 256;

/// A file of tiles the reading thread owns: a PMTiles archive or an MBTiles file.
pub trait TileArchive: Send + 'static {
    fn max_zoom(&self) -> u8;
    /// Tile z/x/y, decompressed; `Ok(None)` where the file has none.
    fn tile(&mut self, z: u8, x: u32, y: u32) -> Result<Option<Vec<u8>>, String>;
}

impl TileArchive for Archive<File> {
    fn max_zoom(&self) -> u8 {
        self.header().max_zoom
    }

    fn tile(&mut self, z: u8, x: u32, y: u32) -> Result<Option<Vec<u8>>, String> {
        Archive::tile(self, z, x, y)
    }
}

impl TileArchive for MbTiles {
    fn max_zoom(&self) -> u8 {
        self.max_zoom
    }

    fn tile(&mut self, z: u8, x: u32, y: u32) -> Result<Option<Vec<u8>>, String> {
        MbTiles::tile(self, z, x, y)
    }
}

/// Requests waiting at once: as in walkers, a full queue leaves a tile to be asked for again on
/// the next frame, so the tiles in view come first.
const QUEUE: usize = 6;

/// Tiles (or known gaps) kept decoded.
const CACHE: usize = 256;

/// Raster tiles larger than this on a side are refused before decoding.
const RASTER_SIDE_LIMIT: u32 = 4096;

/// Tiles that failed, shared between the reading thread and the window.
#[derive(Debug, Default)]
pub struct Failures {
    /// How many tiles failed.
    pub count: usize,
    /// The first few reasons.
    pub first: Vec<String>,
}

impl Failures {
    fn add(&mut self, reason: String) {
        self.count += 1;
        if self.first.len() < 5 {
            self.first.push(reason);
        }
    }
}

/// A walkers tile source reading an archive of ours.
pub struct ArchiveTiles {
    requests: SyncSender<TileId>,
    results: Receiver<(TileId, Option<Tile>)>,
    cache: HashMap<TileId, (Option<Tile>, u64)>,
    clock: u64,
    in_progress: usize,
    max_zoom: u8,
    tile_size: u32,
    failures: Arc<Mutex<Failures>>,
    _reader: Job<()>,
}

impl ArchiveTiles {
    /// Serves the tiles of an opened archive, decoded with `style` (vector tiles) at
    /// `tile_size` pixels.
    pub fn new(
        archive: impl TileArchive,
        style: Style,
        tile_size: u32,
        ctx: &egui::Context,
    ) -> Self {
        let max_zoom = archive.max_zoom();
        let (requests, request_rx) = sync_channel::<TileId>(QUEUE);
        let (result_tx, results) = sync_channel(CACHE);
        let failures = Arc::new(Mutex::new(Failures::default()));
        let recorded = Arc::clone(&failures);
        let repaint_ctx = ctx.clone();
        let decode_ctx = ctx.clone();
        let mut archive = archive;
        let reader = Job::spawn(
            "Reading map tiles",
            move || repaint_ctx.request_repaint(),
            move |progress| {
                while let Ok(id) = request_rx.recv() {
                    if progress.cancelled() {
                        break;
                    }
                    let tile = match load(&mut archive, id, &style, tile_size, &decode_ctx) {
                        Ok(tile) => tile,
                        Err(reason) => {
                            if let Ok(mut failures) = recorded.lock() {
                                failures.add(reason);
                            }
                            None
                        }
                    };
                    if result_tx.send((id, tile)).is_err() {
                        break;
                    }
                    decode_ctx.request_repaint();
                }
            },
        );
        Self {
            requests,
            results,
            cache: HashMap::new(),
            clock: 0,
            in_progress: 0,
            max_zoom,
            tile_size,
            failures,
            _reader: reader,
        }
    }

    /// The tiles that failed so far, shared with the reading thread.
    pub fn failures(&self) -> Arc<Mutex<Failures>> {
        Arc::clone(&self.failures)
    }

    fn receive(&mut self) {
        loop {
            match self.results.try_recv() {
                Ok((id, tile)) => {
                    self.in_progress = self.in_progress.saturating_sub(1);
                    self.store(id, tile);
                }
                Err(TryRecvError::Empty) => return,
                Err(TryRecvError::Disconnected) => {
                    self.in_progress = 0;
                    return;
                }
            }
        }
    }

    fn store(&mut self, id: TileId, tile: Option<Tile>) {
        self.clock += 1;
        if self.cache.len() >= CACHE && !self.cache.contains_key(&id) {
            let oldest = self
                .cache
                .iter()
                .min_by_key(|(_, (_, used))| *used)
                .map(|(id, _)| *id);
            if let Some(oldest) = oldest {
                self.cache.remove(&oldest);
            }
        }
        self.cache.insert(id, (tile, self.clock));
    }

    /// Asks for a tile unless it is cached or already asked for.
    fn request(&mut self, id: TileId) {
        if self.cache.contains_key(&id) {
            return;
        }
        match self.requests.try_send(id) {
            Ok(()) => {
                self.in_progress += 1;
                // Marked as asked for; the tile replaces it when it comes.
                self.store(id, None);
            }
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => {}
        }
    }

    /// That tile if it is cached, otherwise the part of the nearest zoomed-out one covering
    /// the same ground.
    fn best_available(&mut self, id: TileId) -> Option<TilePiece> {
        for zoom in (0..=id.zoom.min(self.max_zoom)).rev() {
            let (donor, uv) = lower_zoom(id, zoom);
            self.clock += 1;
            let clock = self.clock;
            if let Some((Some(tile), used)) = self.cache.get_mut(&donor) {
                *used = clock;
                return Some(TilePiece::new(tile.clone(), uv));
            }
        }
        None
    }
}

/// The tile at `zoom` covering tile `id`, and the part of it that `id` is.
fn lower_zoom(id: TileId, zoom: u8) -> (TileId, egui::Rect) {
    let steps = u32::from(id.zoom.saturating_sub(zoom)).min(31);
    let scale = 1u32 << steps;
    let donor = TileId {
        x: id.x / scale,
        y: id.y / scale,
        zoom: id.zoom - steps as u8,
    };
    let z = 1.0 / scale as f32;
    let (u, v) = ((id.x % scale) as f32 * z, (id.y % scale) as f32 * z);
    (
        donor,
        egui::Rect::from_min_max(egui::pos2(u, v), egui::pos2(u + z, v + z)),
    )
}

/// Reads one tile and decodes it; `Ok(None)` where the archive has none.
fn load(
    archive: &mut impl TileArchive,
    id: TileId,
    style: &Style,
    tile_size: u32,
    ctx: &egui::Context,
) -> Result<Option<Tile>, String> {
    let Some(bytes) = archive.tile(id.zoom, id.x, id.y)? else {
        return Ok(None);
    };
    decode(&bytes, id, style, tile_size, ctx).map(Some)
}

/// Decodes a tile's bytes with walkers, refusing oversized images first and containing any
/// panic of the decoder.
pub fn decode(
    bytes: &[u8],
    id: TileId,
    style: &Style,
    tile_size: u32,
    ctx: &egui::Context,
) -> Result<Tile, String> {
    let place = format!("tile {}/{}/{}", id.zoom, id.x, id.y);
    if let Ok(reader) = image::ImageReader::new(std::io::Cursor::new(bytes)).with_guessed_format()
        && reader.format().is_some()
    {
        let (width, height) = reader
            .into_dimensions()
            .map_err(|e| format!("{place}: {e}"))?;
        if width > RASTER_SIDE_LIMIT || height > RASTER_SIDE_LIMIT {
            return Err(format!(
                "{place}: an image of {width}×{height} pixels is too large for a tile"
            ));
        }
    }
    match std::panic::catch_unwind(AssertUnwindSafe(|| {
        Tile::new(bytes, style, id.zoom, tile_size, ctx)
    })) {
        Ok(Ok(tile)) => Ok(labels_in_visual_order(tile)),
        Ok(Err(e)) => Err(format!("{place}: {e}")),
        Err(_) => Err(format!("{place}: the tile decoder failed on it")),
    }
}

/// A vector tile's labels put in visual order: walkers lays a label's words out left to
/// right, so a place name of several Arabic words would read backwards on the map.
fn labels_in_visual_order(tile: Tile) -> Tile {
    match tile {
        Tile::Vector {
            drawables,
            mut texts,
        } => {
            for label in &mut texts {
                if let Cow::Owned(visual) = bidi::display(&label.text) {
                    label.text = visual;
                }
            }
            Tile::Vector { drawables, texts }
        }
        raster => raster,
    }
}

impl Tiles for ArchiveTiles {
    fn at(&mut self, tile_id: TileId) -> Option<TilePiece> {
        self.receive();
        let last = (1u64 << tile_id.zoom.min(31)) - 1;
        if u64::from(tile_id.x) > last || u64::from(tile_id.y) > last {
            return None;
        }
        let wanted = if tile_id.zoom > self.max_zoom {
            lower_zoom(tile_id, self.max_zoom).0
        } else {
            tile_id
        };
        self.request(wanted);
        self.best_available(tile_id)
    }

    fn attribution(&self) -> Attribution {
        Attribution {
            text: "Tile archive",
            url: "",
            logo_light: None,
            logo_dark: None,
        }
    }

    fn tile_size(&self) -> u32 {
        self.tile_size
    }

    fn stats(&self) -> Stats {
        Stats {
            in_progress: self.in_progress,
        }
    }
}
