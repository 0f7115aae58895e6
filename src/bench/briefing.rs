//! `incident-map bench briefing --synthetic N`: briefing images of the bundled incidents and of
//! N synthetic ones, 1920×1080, in one run on one graphics device (lavapipe on a machine
//! without a GPU), each fitted to its incidents and rendered the way `render` does, with the
//! built-in basemap. Times the render (composition, egui passes until the tiles are in,
//! rasterising and reading back) and the PNG encoding; the synthetic incidents' generation and
//! the device's start are timed apart.

use std::time::Instant;

use clap::Args;

use crate::bench::synthetic;
use crate::briefing::{BriefingSpec, ImageSize, Offscreen};
use crate::store::Store;
use crate::view::basemap::{Theme, TileChoice};
use crate::workspace::filter::{Filter, visible_incidents};
use crate::workspace::shapes::Shapes;

#[derive(Debug, Args)]
pub struct BriefingArgs {
    /// How many synthetic incidents to draw after the bundled ones.
    #[arg(long, value_name = "N")]
    pub synthetic: usize,
    /// Seed of the synthetic incidents.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

fn seconds(started: Instant) -> f64 {
    super::round3(started.elapsed().as_secs_f64())
}

/// CPU seconds this process has used so far, all threads (user and system): on a machine
/// shared with other work, what a run costs whatever the wait for a core.
#[cfg(unix)]
fn cpu_seconds() -> f64 {
    // SAFETY: getrusage only writes the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return 0.0;
    }
    let time = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    time(usage.ru_utime) + time(usage.ru_stime)
}

#[cfg(not(unix))]
fn cpu_seconds() -> f64 {
    0.0
}

/// Renders one briefing: its style, the seconds to render it (wall and CPU) and to encode
/// the PNG.
fn one(offscreen: &Offscreen, store: &Store, shapes: &Shapes) -> Result<serde_json::Value, String> {
    let started = Instant::now();
    let cpu = cpu_seconds();
    let size = ImageSize::default();
    let filter = Filter::default();
    let visible = visible_incidents(store, &filter);
    let (visible, _) = crate::briefing::compose::briefing_incidents(store, &filter, visible);
    let (view, _) =
        crate::briefing::fitted_view(store, &visible, size).ok_or("no incidents to fit")?;
    let spec = BriefingSpec {
        title: "bench".to_owned(),
        size,
        theme: Theme::Light,
        view,
        filter,
        tiles: TileChoice::BuiltIn,
        created: jiff::civil::date(2026, 1, 1),
        style: None,
        annotations: Vec::new(),
    };
    let briefing = crate::briefing::render_briefing(offscreen, &spec, store, shapes)?;
    let render_s = seconds(started);
    let render_cpu_s = super::round3(cpu_seconds() - cpu);
    let encoding = Instant::now();
    let png = crate::briefing::encode_png(&briefing.image)?;
    Ok(serde_json::json!({
        "incidents": store.incidents.len(),
        "style": briefing.style.as_str(),
        "render_s": render_s,
        "render_cpu_s": render_cpu_s,
        "png_s": seconds(encoding),
        "total_s": seconds(started),
        "png_mb": super::round3(png.len() as f64 / 1e6),
    }))
}

pub fn run(args: &BriefingArgs) -> Result<serde_json::Value, String> {
    let started = Instant::now();
    let offscreen = Offscreen::new()?;
    let device_s = seconds(started);
    let bundled = Store::load(&crate::workspace::bundled_store()).map_err(|e| e.to_string())?;
    let shapes = Shapes::default();
    let small = one(&offscreen, &bundled, &shapes)?;
    let generating = Instant::now();
    let store = synthetic::incidents(args.synthetic, args.seed);
    let generate_s = seconds(generating);
    let large = one(&offscreen, &store, &shapes)?;
    Ok(serde_json::json!({
        "device_s": device_s,
        "bundled": small,
        "synthetic": large,
        "synthetic_generate_s": generate_s,
        "rss_mb": super::rss_mb().map(|m| m.1),
    }))
}
