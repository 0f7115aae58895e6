//! `incident-map bench server URL --synthetic N`: a team workspace at scale. N synthetic
//! incidents are loaded by COPY into an empty database's workspace (in chunks, as an import
//! of millions of rows would be), then the queries a map view makes of a workspace too large
//! to hold are timed: the map's window with the filter's dates, answered by the incidents or,
//! when there are too many, by cells the database aggregates.

use std::time::Instant;

use clap::Args;

use crate::bench::synthetic;
use crate::workspace::server::{ServerUrl, WindowAnswer, WindowQuery, WorkspaceServer};

#[derive(Debug, Args)]
pub struct ServerArgs {
    /// An empty PostgreSQL database with PostGIS (postgres://USER@HOST/DB).
    pub url: String,
    /// How many synthetic incidents to load.
    #[arg(long, value_name = "N")]
    pub synthetic: usize,
    /// Incidents generated and loaded at a time.
    #[arg(long, default_value_t = 1_000_000)]
    pub chunk: usize,
    /// Timed runs of each view's query.
    #[arg(long, default_value_t = 5)]
    pub runs: usize,
    /// The database holds the workspace an earlier run loaded: time the views only.
    #[arg(long)]
    pub loaded: bool,
}

/// A day, as (year, month, day).
type Day = (i16, i8, i8);

/// One view timed: a name, the window (west, south, east, north), the grid cell, the dates.
struct View {
    name: &'static str,
    bbox: [f64; 4],
    cell_deg: f64,
    dates: Option<(Day, Day)>,
}

const VIEWS: [View; 4] = [
    View {
        name: "world, all dates",
        bbox: [-180.0, -85.0, 180.0, 85.0],
        cell_deg: 1.0,
        dates: None,
    },
    View {
        name: "Iraq and Syria, one year",
        bbox: [35.0, 29.0, 49.0, 38.0],
        cell_deg: 0.25,
        dates: Some(((2023, 1, 1), (2023, 12, 31))),
    },
    View {
        name: "Mosul, one month",
        bbox: [42.9, 36.2, 43.4, 36.5],
        cell_deg: 0.02,
        dates: Some(((2023, 3, 1), (2023, 3, 31))),
    },
    View {
        name: "Mosul city, one week",
        bbox: [43.08, 36.3, 43.2, 36.4],
        cell_deg: 0.005,
        dates: Some(((2023, 3, 1), (2023, 3, 7))),
    },
];

/// Most incidents a view lists before it asks for cells instead.
const LIMIT: usize = 20_000;

pub fn run(args: &ServerArgs) -> Result<serde_json::Value, String> {
    let url = ServerUrl::new(&args.url);
    let server = if args.loaded {
        WorkspaceServer::open(&url)?
    } else {
        WorkspaceServer::create(&url)?
    };
    let chunk = args.chunk.max(1);
    let mut loaded = 0u64;
    let mut load_seconds = 0.0;
    let mut k = 0;
    if args.loaded {
        loaded = u64::try_from(server.layer_count()?).unwrap_or(0);
    }
    while !args.loaded && (loaded as usize) < args.synthetic {
        let n = chunk.min(args.synthetic - loaded as usize);
        let mut store = synthetic::incidents(n, 1 + k as u64);
        for incident in &mut store.incidents {
            incident.id = format!("syn-{k}-{}", incident.id);
        }
        let start = Instant::now();
        loaded += server.load_layer(&store)?;
        load_seconds += start.elapsed().as_secs_f64();
        k += 1;
        eprintln!("loaded {loaded} incidents ({load_seconds:.1} s)");
    }
    let start = Instant::now();
    server.analyze()?;
    let analyze_seconds = start.elapsed().as_secs_f64();
    let mut views = Vec::new();
    for view in VIEWS {
        let date = |(y, m, d): Day| jiff::civil::date(y, m, d);
        let query = WindowQuery {
            bbox: view.bbox,
            from: view.dates.map(|(from, _)| date(from)),
            to: view.dates.map(|(_, to)| date(to)),
            event_types: Vec::new(),
            actor: None,
            text: None,
            publisher: None,
            limit: LIMIT,
            cell_deg: view.cell_deg,
        };
        let mut times = Vec::new();
        let mut answer = None;
        for _ in 0..args.runs.max(1) {
            let start = Instant::now();
            answer = Some(server.window(&query)?);
            times.push(start.elapsed().as_secs_f64() * 1000.0);
        }
        let (median, _) = super::median_and_p99(&times);
        let (kind, items, incidents) = match answer {
            Some(WindowAnswer::Incidents(list)) => ("incidents", list.len(), list.len() as i64),
            Some(WindowAnswer::Cells(cells)) => (
                "cells",
                cells.len(),
                cells.iter().map(|c| c.count).sum::<i64>(),
            ),
            None => ("none", 0, 0),
        };
        views.push(serde_json::json!({
            "view": view.name,
            "answer": kind,
            "items": items,
            "incidents": incidents,
            "median_ms": super::round3(median),
            "max_ms": super::round3(times.iter().copied().fold(0.0, f64::max)),
        }));
    }
    let (rss_now, rss_peak) = super::rss_mb().unwrap_or((0.0, 0.0));
    Ok(serde_json::json!({
        "incidents": loaded,
        "load_s": super::round3(load_seconds),
        "load_rows_per_s": (loaded as f64 / load_seconds.max(1e-9)).round(),
        "analyze_s": super::round3(analyze_seconds),
        "layer_mb": server.layer_size_mb()?,
        "counts_mb": server.counts_size_mb()?,
        "views": views,
        "client_rss_mb": rss_now.round(),
        "client_peak_rss_mb": rss_peak.round(),
    }))
}
