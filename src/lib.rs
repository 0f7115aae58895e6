//! incident-map: read news articles, find the incidents in them, place them on an offline map.
//!
//! The modules follow the data's journey:
//! - [`articles`]: plain-text articles in, with their metadata and boilerplate marked;
//! - [`store`]: the versioned incident store (JSON), read and written atomically;
//! - [`gazetteer`]: the offline gazetteer (places, alternate names, region shapes);
//! - [`geoparse`]: place names found in text and resolved against the gazetteer;
//! - [`extract`]: incidents found in articles — what, where, when, who, how many;
//! - [`exchange`]: GeoJSON, ACLED-format CSV and plain CSV, exported and imported;
//! - [`workspace`]: what is open and where it came from — opening, ingesting, merging, area
//!   shapes, the filter, background jobs — the floor every face stands on;
//! - [`view`]: the map view — tile sources, what is shown ([`view::shown`]), how to draw it;
//! - [`briefing`]: briefing images, the map as a slide-ready PNG;
//! - [`app`]: the viewer window that puts it together;
//! - [`bench`]: the program's own benchmarks (map frames, ingest);
//! - [`cli`]: the command line, which opens the window or runs a subcommand;
//! - [`atomic`] and [`files`]: the atomic save every writer uses, the bounded read every reader
//!   of outside files uses.
//!
//! `ARCHITECTURE.md` gives the floors and which may import which.

// Input never panics the program: outside tests, a failure is handled or explained.
#![cfg_attr(not(test), deny(clippy::unwrap_used))]

pub mod app;
pub mod articles;
pub mod atomic;
pub mod bench;
pub mod briefing;
pub mod cli;
pub mod exchange;
pub mod extract;
pub mod files;
pub mod gazetteer;
pub mod geoparse;
pub mod store;
pub mod view;
pub mod workspace;

use std::path::{Path, PathBuf};
use std::time::Duration;

/// The folder holding the bundled data (`articles/`, `incidents.json`, the gazetteer).
///
/// Looked for beside the executable first (an installed copy), then in the source tree.
pub fn data_dir() -> PathBuf {
    bundled_path("data")
}

/// The folder holding bundled assets (the basemap, fonts).
pub fn assets_dir() -> PathBuf {
    bundled_path("assets")
}

fn bundled_path(name: &str) -> PathBuf {
    if let Some(beside_exe) = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(name)))
        .filter(|dir| dir.is_dir())
    {
        return beside_exe;
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join(name)
}

/// How long ago this process started, from the kernel's record of its start time, so the
/// figure includes loading the executable and everything before `main`.
pub fn process_age() -> Duration {
    process_age_from_proc().unwrap_or_else(|| {
        // Elsewhere: since the first call, which `main` makes early enough for a rough figure.
        static FIRST_CALL: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
        FIRST_CALL.get_or_init(std::time::Instant::now).elapsed()
    })
}

fn process_age_from_proc() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name may hold spaces and parentheses; fields resume after the last ')'.
    let fields: Vec<&str> = stat.get(stat.rfind(')')? + 2..)?.split(' ').collect();
    // Field 22 of the whole line (start time, in clock ticks after boot) is the 20th here.
    let started_ticks: f64 = fields.get(19)?.parse().ok()?;
    let uptime: f64 = std::fs::read_to_string("/proc/uptime")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    // Linux reports these ticks at USER_HZ, 100 per second on every mainstream platform.
    let age = uptime - started_ticks / 100.0;
    (age >= 0.0).then(|| Duration::from_secs_f64(age))
}
