//! incident-map: read news articles, find the incidents in them, place them on an offline map.
//!
//! The modules follow the data's journey:
//! - [`articles`]: plain-text articles in, with their metadata and boilerplate marked;
//! - [`store`]: the versioned incident store (JSON), read and written atomically;
//! - [`gazetteer`]: the offline gazetteer (places, alternate names, region shapes);
//! - [`geoparse`]: place names found in text and resolved against the gazetteer;
//! - [`extract`]: incidents found in articles — what, where, when, who, how many;
//! - [`view`]: the map view — tile sources, what to show ([`view::query`]), how to draw it;
//! - [`exchange`]: GeoJSON, ACLED-format CSV and plain CSV, exported and imported;
//! - [`app`]: the viewer window that puts it together;
//! - [`briefing`]: briefing images, the map as a slide-ready PNG (window and command line);
//! - [`cli`]: the command line;
//! - [`atomic`]: the atomic save every writer uses.
//! - [`bench`]: the program's own benchmarks (map frames, ingest).

pub mod app;
pub mod articles;
pub mod atomic;
pub mod bench;
pub mod briefing;
pub mod cli;
pub mod exchange;
pub mod extract;
pub mod gazetteer;
pub mod geoparse;
pub mod store;
pub mod view;

use std::path::{Path, PathBuf};

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
