//! Briefing images: the map as a slide-ready PNG that stands on its own — title, subtitle with
//! the dates and filters, legend, scale bar, north arrow, numbered markers keyed to a short
//! list of the incidents shown, the data attribution and the creation date.
//!
//! - [`layout`] draws the composition with egui onto a `Ui`;
//! - [`render`] renders it offscreen with egui's wgpu renderer (lavapipe on a machine without
//!   a GPU), so the command line and the viewer's export make the same image;
//!
//! The command line's `incident-map render` and the viewer's export window both call
//! [`render_briefing`].

pub mod compose;
pub mod layout;
pub mod render;

use std::fmt;
use std::path::Path;
use std::time::{Duration, Instant};

use image::RgbaImage;
use jiff::civil::Date;
use walkers::{MapMemory, Tiles, lat_lon};

use crate::store::Store;
use crate::view::basemap::{Basemap, Theme, TileChoice};
use crate::workspace::annotations::Annotation;
use crate::workspace::filter::Filter;
use crate::workspace::shapes::Shapes;

pub use compose::Style;
pub use render::Offscreen;

/// The largest image made: 4K UHD.
pub const MAX_SIZE: ImageSize = ImageSize {
    width: 3840,
    height: 2160,
};

/// The smallest image the composition still fits in.
pub const MIN_SIZE: ImageSize = ImageSize {
    width: 640,
    height: 360,
};

/// The sizes offered in the viewer's export window.
pub const PRESET_SIZES: [ImageSize; 4] = [
    ImageSize::new(1280, 720),
    ImageSize::new(1920, 1080),
    ImageSize::new(2560, 1440),
    ImageSize::new(3840, 2160),
];

/// Image size in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageSize {
    pub width: u32,
    pub height: u32,
}

impl Default for ImageSize {
    fn default() -> Self {
        Self::new(1920, 1080)
    }
}

impl ImageSize {
    pub const fn new(width: u32, height: u32) -> Self {
        Self { width, height }
    }

    /// Parses `WxH` (also `W×H`), checking it against [`MIN_SIZE`] and [`MAX_SIZE`].
    pub fn parse(text: &str) -> Result<Self, String> {
        let bad = || format!("bad size {text:?}: expected WIDTHxHEIGHT in pixels, e.g. 1920x1080");
        let (w, h) = text.trim().split_once(['x', 'X', '×']).ok_or_else(bad)?;
        let width: u32 = w.trim().parse().map_err(|_| bad())?;
        let height: u32 = h.trim().parse().map_err(|_| bad())?;
        let size = Self::new(width, height);
        if width > MAX_SIZE.width || height > MAX_SIZE.height {
            return Err(format!(
                "size {size} is too large: at most {MAX_SIZE} (either way round fits in it only as landscape)"
            ));
        }
        if width < MIN_SIZE.width || height < MIN_SIZE.height {
            return Err(format!("size {size} is too small: at least {MIN_SIZE}"));
        }
        Ok(size)
    }

    /// Pixels per logical point: 1920×1080 and 3840×2160 show the same composition at scale 1
    /// and 2; sizes below 1920×1080 keep scale 1 (readable text) and fit a tighter layout.
    pub fn pixels_per_point(self) -> f32 {
        let scale = (self.width as f32 / 1920.0).min(self.height as f32 / 1080.0);
        scale.max(1.0)
    }

    /// The composition's size in logical points.
    pub fn logical(self) -> egui::Vec2 {
        egui::vec2(self.width as f32, self.height as f32) / self.pixels_per_point()
    }
}

impl fmt::Display for ImageSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}×{}", self.width, self.height)
    }
}

/// Where the map looks: centre and Web Mercator zoom.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MapView {
    pub lat: f64,
    pub lon: f64,
    pub zoom: f64,
}

/// Everything that decides what a briefing image shows.
#[derive(Debug, Clone)]
pub struct BriefingSpec {
    pub title: String,
    pub size: ImageSize,
    pub theme: Theme,
    pub view: MapView,
    pub filter: Filter,
    pub tiles: TileChoice,
    /// The date printed as "Created …" (fixed in tests so that snapshots stay stable).
    pub created: Date,
    /// How the incidents are drawn; `None` chooses by their number.
    pub style: Option<Style>,
    /// The analyst's marks, drawn over the incidents.
    pub annotations: Vec<Annotation>,
}

impl BriefingSpec {
    /// The default title.
    pub const DEFAULT_TITLE: &str = "Incidents in Iraq and Syria";
}

/// Today in the local time zone, for "Created …".
pub fn today() -> Date {
    jiff::Zoned::now().date()
}

/// A finished image and what the user should know about it.
pub struct Briefing {
    pub image: RgbaImage,
    /// E.g. tiles that were still missing when the time ran out.
    pub warnings: Vec<String>,
    /// Incidents on the map.
    pub incidents_shown: usize,
    /// Incidents the key lists one by one (numbered, or named among the deadliest).
    pub incidents_listed: usize,
    /// The style drawn.
    pub style: Style,
    /// Undated incidents left out of a dated briefing.
    pub undated_left_out: usize,
}

/// How long to wait for basemap tiles before drawing without the missing ones.
pub const TILE_TIME_LIMIT: Duration = Duration::from_secs(20);

/// Tiles counted as they are drawn: a piece cut from a lower zoom means the tile itself is
/// not there yet.
struct CountingTiles<'a> {
    inner: &'a mut dyn Tiles,
    borrowed: usize,
}

impl Tiles for CountingTiles<'_> {
    fn at(&mut self, tile_id: walkers::TileId) -> Option<walkers::TilePiece> {
        let piece = self.inner.at(tile_id);
        let whole = piece.as_ref().is_some_and(|p| {
            p.uv.min.x == 0.0 && p.uv.min.y == 0.0 && p.uv.max.x == 1.0 && p.uv.max.y == 1.0
        });
        if !whole {
            self.borrowed += 1;
        }
        piece
    }

    fn attribution(&self) -> walkers::sources::Attribution {
        self.inner.attribution()
    }

    fn tile_size(&self) -> u32 {
        self.inner.tile_size()
    }

    fn stats(&self) -> walkers::Stats {
        self.inner.stats()
    }
}

/// Renders a briefing image of `store`'s incidents passing the spec's filter. Runs egui passes
/// until every basemap tile in view is drawn (or [`TILE_TIME_LIMIT`] passes, with a warning),
/// then renders the last one.
pub fn render_briefing(
    offscreen: &Offscreen,
    spec: &BriefingSpec,
    store: &Store,
    shapes: &Shapes,
) -> Result<Briefing, String> {
    render_briefing_within(offscreen, spec, store, shapes, TILE_TIME_LIMIT)
}

/// [`render_briefing`] with a chosen limit on waiting for tiles.
pub fn render_briefing_within(
    offscreen: &Offscreen,
    spec: &BriefingSpec,
    store: &Store,
    shapes: &Shapes,
    tile_limit: Duration,
) -> Result<Briefing, String> {
    let ctx = egui::Context::default();
    crate::view::style::install_fonts(&ctx);
    layout::install_fonts(&ctx);
    ctx.set_theme(match spec.theme {
        Theme::Light => egui::Theme::Light,
        Theme::Dark => egui::Theme::Dark,
    });
    let mut basemap = Basemap::open(spec.tiles.clone(), spec.theme, &ctx);
    let mut warnings: Vec<String> = basemap.problem.iter().cloned().collect();
    let mut memory = MapMemory::default();
    memory.center_at(lat_lon(spec.view.lat, spec.view.lon));
    memory
        .set_zoom(spec.view.zoom.min(basemap.max_zoom()))
        .map_err(|_| format!("zoom {} is out of range", spec.view.zoom))?;

    let visible = crate::workspace::filter::visible_incidents(store, &spec.filter);
    let (visible, undated_left_out) = compose::briefing_incidents(store, &spec.filter, visible);
    let composition = layout::Composition {
        title: &spec.title,
        filter: &spec.filter,
        store,
        visible: &visible,
        undated_left_out,
        style: spec.style,
        shapes,
        created: spec.created,
        annotations: &spec.annotations,
        plan: Default::default(),
    };
    let ppp = spec.size.pixels_per_point();
    let logical = spec.size.logical();
    let input = || {
        let mut raw = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, logical)),
            max_texture_side: Some(8192),
            ..Default::default()
        };
        raw.viewports
            .entry(egui::ViewportId::ROOT)
            .or_default()
            .native_pixels_per_point = Some(ppp);
        raw
    };

    let started = Instant::now();
    let mut settled_passes = 0;
    let mut passes = 0;
    let mut drawn = None;
    loop {
        basemap.poll(&ctx);
        let attribution = format!("Map: {}", basemap.attribution());
        let mut tiles = CountingTiles {
            inner: basemap.tiles(),
            borrowed: 0,
        };
        let mut output = ctx.run_ui(input(), |ui| {
            drawn = Some(layout::draw(
                ui,
                &composition,
                &mut tiles,
                &mut memory,
                &attribution,
            ));
        });
        offscreen.apply_textures(&mut output.textures_delta);
        let borrowed = tiles.borrowed;
        let loading = basemap.loading();
        // A tile that is absent from the archive never arrives: once nothing has been loading
        // for a few passes, what is drawn is all there is.
        if loading == 0 {
            settled_passes += 1;
        } else {
            settled_passes = 0;
        }
        let complete = loading == 0 && borrowed == 0 && settled_passes >= 2;
        let timed_out = started.elapsed() > tile_limit;
        log::debug!(
            "briefing pass {passes}: {loading} tiles loading, {borrowed} drawn from a lower zoom, {:?}",
            started.elapsed()
        );
        passes += 1;
        if complete || settled_passes >= 6 || timed_out {
            if timed_out && !complete {
                warnings.push(format!(
                    "basemap tiles were still loading after {} s; the image was drawn without them",
                    tile_limit.as_secs()
                ));
            }
            if let Some(problem) = &basemap.problem
                && !warnings.contains(problem)
            {
                warnings.push(problem.clone());
            }
            let image = offscreen.render(
                &ctx,
                output.shapes,
                ppp,
                [spec.size.width, spec.size.height],
            )?;
            let drawn = drawn.unwrap_or(layout::Drawn {
                style: Style::Markers,
                in_view: 0,
                listed: 0,
            });
            return Ok(Briefing {
                image,
                warnings,
                incidents_shown: drawn.in_view,
                incidents_listed: drawn.listed,
                style: drawn.style,
                undated_left_out,
            });
        }
        std::thread::sleep(Duration::from_millis(if loading > 0 { 8 } else { 2 }));
    }
}

/// The view that fits the incidents at `visible` in an image of `size`, leaving far outliers
/// outside (returned, for the caller to say so); `None` when there is nothing to fit.
pub fn fitted_view(
    store: &Store,
    visible: &[usize],
    size: ImageSize,
) -> Option<(MapView, Vec<usize>)> {
    let (bounds, outliers) = compose::fit_bounds(store, visible)?;
    // A lone place is shown with its surroundings, not at street level.
    let pad = 0.25;
    let padded = [
        bounds[0] - pad,
        bounds[1] - pad,
        bounds[2] + pad,
        bounds[3] + pad,
    ];
    let map = layout::map_size(size.logical());
    let (lat, lon, zoom) = crate::view::query::fit_view(padded, map);
    Some((MapView { lat, lon, zoom }, outliers))
}

/// The output must be a `.png` in a folder that exists and can be written to; checked first,
/// so that a long render does not end in an error.
pub fn check_output(path: &Path) -> Result<(), String> {
    let is_png = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("png"));
    if !is_png {
        return Err(format!(
            "{}: the output must be a .png file",
            path.display()
        ));
    }
    crate::atomic::check_destination(path, &[])
}

/// Encodes an image as PNG.
pub fn encode_png(image: &RgbaImage) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    image::codecs::png::PngEncoder::new_with_quality(
        &mut bytes,
        image::codecs::png::CompressionType::Fast,
        image::codecs::png::FilterType::Adaptive,
    )
    .write_image(
        image.as_raw(),
        image.width(),
        image.height(),
        image::ExtendedColorType::Rgba8,
    )
    .map_err(|e| format!("cannot encode the PNG: {e}"))?;
    Ok(bytes)
}

/// Writes the image as a PNG, atomically: the file appears whole or not at all.
pub fn save_png(image: &RgbaImage, path: &Path) -> Result<(), String> {
    let bytes = encode_png(image)?;
    crate::atomic::write_atomically(path, &bytes)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

use image::ImageEncoder as _;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_and_are_bounded() {
        assert_eq!(
            ImageSize::parse("1920x1080"),
            Ok(ImageSize::new(1920, 1080))
        );
        assert_eq!(
            ImageSize::parse(" 3840×2160 "),
            Ok(ImageSize::new(3840, 2160))
        );
        assert!(
            ImageSize::parse("3841x2160")
                .unwrap_err()
                .contains("too large")
        );
        assert!(
            ImageSize::parse("2160x3840")
                .unwrap_err()
                .contains("too large")
        );
        assert!(ImageSize::parse("0x0").unwrap_err().contains("too small"));
        assert!(ImageSize::parse("1920").unwrap_err().contains("bad size"));
        assert!(ImageSize::parse("axb").unwrap_err().contains("bad size"));
        assert!(ImageSize::parse("-5x100").unwrap_err().contains("bad size"));
    }

    #[test]
    fn full_hd_and_4k_draw_the_same_composition() {
        let hd = ImageSize::new(1920, 1080);
        let uhd = ImageSize::new(3840, 2160);
        assert_eq!(hd.pixels_per_point(), 1.0);
        assert_eq!(uhd.pixels_per_point(), 2.0);
        assert_eq!(hd.logical(), uhd.logical());
        // Smaller images keep readable text.
        assert_eq!(ImageSize::new(1280, 720).pixels_per_point(), 1.0);
    }
}
