//! `incident-map bench frames --synthetic N`: the real viewer, headless on a plain egui
//! context (no window, no GPU), over N synthetic incidents, driven through a scripted tour of
//! pans and zooms across the region, then through a script of filter changes (a search typed
//! letter by letter, a type hidden and shown, a date range set and cleared), then an incident
//! rejected and restored as an analyst would in the edit panel. Each frame is
//! timed from input to tessellated meshes: the UI thread's whole share of a frame except
//! handing the meshes to the GPU.

use std::time::Instant;

use clap::Args;

use crate::app::ViewerApp;
use crate::bench::synthetic::{self, TOWNS};
use crate::store::EventType;
use crate::view::panels::Action;
use crate::workspace::Workspace;
use crate::workspace::corrections::Change;
use crate::workspace::filter::Filter;

/// What a frame applies before it is drawn, as a panel's choice is applied in the window.
enum Ask {
    Filter(Filter),
    Act(Action),
}

#[derive(Debug, Args)]
pub struct FramesArgs {
    /// How many synthetic incidents to generate.
    #[arg(long, value_name = "N", required_unless_present = "data")]
    pub synthetic: Option<usize>,
    /// Instead: any file the viewer opens (a store, an ACLED, UCDP or GDELT export, a GeoJSON,
    /// a spreadsheet, a workspace, a folder of articles), held in memory as the viewer holds it;
    /// or a server workspace (postgres://…), read window by window as the viewer reads one too
    /// large to hold, its frames paced at 60 per second so the server's answers arrive during
    /// the tour, as they would on screen.
    #[arg(long, value_name = "PATH|URL", conflicts_with = "synthetic")]
    pub data: Option<String>,
    /// Frames to time (after the warm-up); the tour is spread over them.
    #[arg(long, default_value_t = 300)]
    pub frames: usize,
    /// Seed of the synthetic incidents.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

/// Window size the frames are laid out for.
const WINDOW: [f32; 2] = [1440.0, 900.0];

/// The tour: (town, zoom) stops; the view glides from each to the next.
const TOUR: [(&str, f64); 11] = [
    ("Baghdad", 5.0),
    ("Mosul", 7.0),
    ("Mosul", 10.5),
    ("Aleppo", 6.0),
    ("Idlib", 9.0),
    ("Damascus", 5.5),
    ("Deir ez-Zor", 8.0),
    ("Baghdad", 11.0),
    ("Ramadi", 4.5),
    ("Kirkuk", 8.5),
    ("Basra", 6.0),
];

/// The map's centre and zoom at a fraction (0..=1) of the way through the tour.
fn tour_view(fraction: f64) -> (f64, f64, f64) {
    let place = |name: &str| {
        TOWNS
            .iter()
            .find(|t| t.name == name)
            .map_or((34.5, 41.5), |t| (t.lat, t.lon))
    };
    let legs = (TOUR.len() - 1) as f64;
    let at = fraction.clamp(0.0, 1.0) * legs;
    let leg = (at.floor() as usize).min(TOUR.len() - 2);
    let t = at - leg as f64;
    let (from, to) = (TOUR[leg], TOUR[leg + 1]);
    let (a, b) = (place(from.0), place(to.0));
    (
        a.0 + (b.0 - a.0) * t,
        a.1 + (b.1 - a.1) * t,
        from.1 + (to.1 - from.1) * t,
    )
}

/// The scripted phase: each filter in turn, as the panels set it (the search box sets one per
/// keystroke), with what it stands for.
fn script_steps() -> Vec<(String, Filter)> {
    let mut steps = Vec::new();
    let typed = "Mosul";
    for end in 1..=typed.len() {
        let text = typed.get(..end).unwrap_or(typed).to_owned();
        steps.push((
            format!("type \"{text}\""),
            Filter {
                text,
                ..Filter::default()
            },
        ));
    }
    steps.push(("clear the search".to_owned(), Filter::default()));
    let mut no_battles = Filter::default();
    no_battles.hidden_types.insert(EventType::Battles);
    steps.push(("hide Battles".to_owned(), no_battles));
    steps.push(("show Battles".to_owned(), Filter::default()));
    steps.push((
        "2021-01-01 to 2022-06-30".to_owned(),
        Filter {
            from: Some(jiff::civil::date(2021, 1, 1)),
            to: Some(jiff::civil::date(2022, 6, 30)),
            ..Filter::default()
        },
    ));
    steps.push(("clear the dates".to_owned(), Filter::default()));
    steps
}

/// Frames paced at 60 per second in the scripted phase, as a window would draw them.
const FRAME_INTERVAL: std::time::Duration = std::time::Duration::from_micros(16_667);
/// A change whose result is not on screen by then is reported as taking this long.
const FILTER_PATIENCE_S: f64 = 30.0;
/// Frames drawn after each change's result is on screen, before the next change.
const FRAMES_AFTER_CHANGE: usize = 6;

/// What one run measured.
#[derive(Debug, Clone)]
pub struct FrameReport {
    pub incidents: usize,
    pub frames: usize,
    pub median_ms: f64,
    pub p99_ms: f64,
    /// The slowest frame of the tour and of the script.
    pub max_ms: f64,
    /// The slowest frame of the tour alone (the figure `max` was before the script).
    pub tour_max_ms: f64,
    /// The scripted phase: its frames (median, p99) and, per change, the time from the change
    /// to the end of the first frame showing its result.
    pub script: Option<ScriptReport>,
    pub setup_ms: f64,
    pub first_frame_ms: f64,
    /// Peak resident memory in MB, where the system tells.
    pub rss_mb: Option<f64>,
    /// Resident memory once the incidents are held, before the viewer builds its columns,
    /// clusters and panels: the share of the peak that the incidents themselves take.
    pub loaded_rss_mb: Option<f64>,
    /// Read window by window: the windows the server answered during the tour, and the time
    /// from the first frame to the first answer on screen.
    pub windows: Option<(usize, f64)>,
    /// Corrections (an incident rejected, then restored): per correction the time until the
    /// list shows it, and the longest frame meanwhile. Only for incidents held in memory.
    pub corrections: Option<(Vec<(String, f64)>, f64)>,
}

/// The scripted phase's figures.
#[derive(Debug, Clone)]
pub struct ScriptReport {
    pub frames: usize,
    pub median_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    /// (what changed, milliseconds until its result was on screen).
    pub changes: Vec<(String, f64)>,
}

impl ScriptReport {
    fn filter_ms(&self) -> (f64, f64) {
        let times: Vec<f64> = self.changes.iter().map(|c| c.1).collect();
        let (median, _) = crate::bench::median_and_p99(&times);
        (median, times.iter().copied().fold(0.0, f64::max))
    }
}

impl FrameReport {
    pub fn json(&self) -> serde_json::Value {
        use crate::bench::round3;
        let filter_ms = self.script.as_ref().map(ScriptReport::filter_ms);
        serde_json::json!({
            "incidents": self.incidents,
            "frames": self.frames,
            "frame_ms_median": round3(self.median_ms),
            "frame_ms_p99": round3(self.p99_ms),
            "rss_mb": self.rss_mb.map(|mb| mb.round()),
            "loaded_rss_mb": self.loaded_rss_mb.map(|mb| mb.round()),
            "frame_ms_max": round3(self.max_ms),
            "tour_frame_ms_max": round3(self.tour_max_ms),
            "filter_ms": filter_ms.map(|(_, max)| round3(max)),
            "filter_ms_median": filter_ms.map(|(median, _)| round3(median)),
            "script_frame_ms_median": self.script.as_ref().map(|s| round3(s.median_ms)),
            "script_frame_ms_p99": self.script.as_ref().map(|s| round3(s.p99_ms)),
            "script_frames": self.script.as_ref().map(|s| s.frames),
            "filter_changes_ms": self.script.as_ref().map(|s| {
                s.changes
                    .iter()
                    .map(|(what, ms)| serde_json::json!([what, round3(*ms)]))
                    .collect::<Vec<_>>()
            }),
            "first_frame_ms": round3(self.first_frame_ms),
            "setup_ms": round3(self.setup_ms),
            "basemap": "builtin",
            "windows_answered": self.windows.map(|(n, _)| n),
            "first_window_ms": self.windows.map(|(_, ms)| round3(ms)),
            "corrections_ms": self.corrections.as_ref().map(|(changes, _)| {
                changes
                    .iter()
                    .map(|(what, ms)| serde_json::json!([what, round3(*ms)]))
                    .collect::<Vec<_>>()
            }),
            "correction_frame_ms_max": self.corrections.as_ref().map(|(_, max)| round3(*max)),
        })
    }
}

/// Runs the benchmark and returns its figures.
pub fn measure(args: &FramesArgs) -> Result<FrameReport, String> {
    if args.frames == 0 {
        return Err("--frames must be at least 1".to_owned());
    }
    let started = Instant::now();
    let workspace = match (&args.data, args.synthetic) {
        (Some(data), _) => {
            use crate::workspace::Source;
            let source = Source::from_path(data.as_str());
            match source {
                // A server's workspace by windows (`0`: whatever its size), a file's whole.
                Source::Server(_) | Source::Workspace(_) => {
                    Workspace::open_for_viewing(&source, 0)?
                }
                _ => Workspace::open(std::slice::from_ref(&source), &|_, _| {})?,
            }
        }
        (None, Some(n)) => Workspace::new(synthetic::incidents(n, args.seed), Vec::new()),
        (None, None) => return Err("give --synthetic N or --data PATH|URL".to_owned()),
    };
    let windowed = workspace.windowed();
    let loaded_rss_mb = crate::bench::rss_mb().map(|(now, _)| now);
    let ctx = egui::Context::default();
    let mut app = ViewerApp::headless(&ctx, workspace, None);
    let setup_ms = started.elapsed().as_secs_f64() * 1000.0;

    let clock = Instant::now();
    // A frame, with the change the panels would make in it: the change is applied inside the
    // frame's timing, as a panel's action is in the window's update.
    let frame_with = |app: &mut ViewerApp, pointer: Option<egui::Pos2>, change: Option<Ask>| {
        let mut input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(
                egui::Pos2::ZERO,
                egui::Vec2::from(WINDOW),
            )),
            time: Some(clock.elapsed().as_secs_f64()),
            predicted_dt: 1.0 / 60.0,
            ..Default::default()
        };
        if let Some(pos) = pointer {
            input.events.push(egui::Event::PointerMoved(pos));
        }
        let begun = Instant::now();
        match change {
            Some(Ask::Filter(filter)) => app.set_filter(filter),
            Some(Ask::Act(action)) => app.act(action),
            None => {}
        }
        let mut output = ctx.run_ui(input, |ui| app.show(ui));
        let meshes = ctx.tessellate(output.shapes, output.pixels_per_point);
        // No GPU takes the font atlas's updates; they are not part of the frame's CPU work.
        output.textures_delta.clear();
        std::hint::black_box(meshes);
        begun.elapsed().as_secs_f64() * 1000.0
    };
    let frame = |app: &mut ViewerApp, pointer: Option<egui::Pos2>| frame_with(app, pointer, None);

    // The first frame fits the map to the data, as the window's first frame does.
    let first_frame_ms = frame(&mut app, None);
    for _ in 0..3 {
        frame(&mut app, None);
    }
    // Read by window: frames go on until the first answer is on screen.
    let answered =
        |app: &ViewerApp| !app.store().incidents.is_empty() || !app.window_cells().is_empty();
    let mut first_window_ms = 0.0;
    if windowed.is_some() {
        let waiting = Instant::now();
        while !answered(&app) && waiting.elapsed().as_secs() < 120 {
            std::thread::sleep(std::time::Duration::from_millis(16));
            frame(&mut app, None);
        }
        first_window_ms = waiting.elapsed().as_secs_f64() * 1000.0 + first_frame_ms;
    }
    let mut answers = 0;
    let mut last_answer = (app.store().incidents.len(), app.window_cells().len());

    let mut times = Vec::with_capacity(args.frames);
    for k in 0..args.frames {
        let fraction = k as f64 / (args.frames.max(2) - 1) as f64;
        let (lat, lon, zoom) = tour_view(fraction);
        app.set_view(lat, lon, zoom);
        // The pointer wanders over the map, so markers under it are hovered as in use.
        let angle = k as f32 * 0.2;
        let pointer = egui::pos2(900.0 + 120.0 * angle.cos(), 450.0 + 120.0 * angle.sin());
        times.push(frame(&mut app, Some(pointer)));
        if windowed.is_some() {
            let now = (app.store().incidents.len(), app.window_cells().len());
            if now != last_answer {
                answers += 1;
                last_answer = now;
            }
            std::thread::sleep(std::time::Duration::from_millis(16));
        }
    }
    let tour_max_ms = times.iter().copied().fold(0.0, f64::max);

    // The script, over the tour's last view; only for incidents held in memory (a server
    // workspace read by window filters on the server).
    let script = windowed.is_none().then(|| {
        let pointer = |k: usize| {
            let angle = k as f32 * 0.2;
            Some(egui::pos2(
                900.0 + 120.0 * angle.cos(),
                450.0 + 120.0 * angle.sin(),
            ))
        };
        let mut script_times = Vec::new();
        let mut changes = Vec::new();
        let pace = |begun: Instant| {
            if let Some(rest) = FRAME_INTERVAL.checked_sub(begun.elapsed()) {
                std::thread::sleep(rest);
            }
        };
        for (what, filter) in script_steps() {
            let changed = Instant::now();
            let mut change = Some(Ask::Filter(filter.clone()));
            // The result is on screen at the end of the first frame drawn from it.
            let on_screen_ms = loop {
                let begun = Instant::now();
                let at = pointer(script_times.len());
                script_times.push(frame_with(&mut app, at, change.take()));
                let drawn_ms = changed.elapsed().as_secs_f64() * 1000.0;
                let shown = app.filter_on_screen() == &filter;
                pace(begun);
                if shown || drawn_ms > FILTER_PATIENCE_S * 1000.0 {
                    break drawn_ms;
                }
            };
            changes.push((what, on_screen_ms));
            for _ in 0..FRAMES_AFTER_CHANGE {
                let begun = Instant::now();
                script_times.push(frame(&mut app, pointer(script_times.len())));
                pace(begun);
            }
        }
        let (median_ms, p99_ms) = crate::bench::median_and_p99(&script_times);
        ScriptReport {
            frames: script_times.len(),
            median_ms,
            p99_ms,
            max_ms: script_times.iter().copied().fold(0.0, f64::max),
            changes,
        }
    });

    // An incident rejected, then restored: each made in the frame that asks for it, as the
    // edit panel's buttons do; on screen once the list leaves it out, then holds it again.
    let corrections = (windowed.is_none() && !app.visible().is_empty()).then(|| {
        let target = app.visible()[app.visible().len() / 2];
        let steps = [
            (
                "reject an incident",
                Change::Reject {
                    reason: "told twice".into(),
                },
                false,
            ),
            ("restore it", Change::Restore, true),
        ];
        let mut longest = 0.0_f64;
        let mut changes = Vec::new();
        for (what, change, listed_after) in steps {
            let asked = Instant::now();
            let mut ask = Some(Ask::Act(Action::Correct {
                incident: target,
                change,
            }));
            let on_screen_ms = loop {
                let begun = Instant::now();
                longest = longest.max(frame_with(&mut app, None, ask.take()));
                let drawn_ms = asked.elapsed().as_secs_f64() * 1000.0;
                let shown = app.visible().binary_search(&target).is_ok() == listed_after;
                if let Some(rest) = FRAME_INTERVAL.checked_sub(begun.elapsed()) {
                    std::thread::sleep(rest);
                }
                if shown || drawn_ms > FILTER_PATIENCE_S * 1000.0 {
                    break drawn_ms;
                }
            };
            changes.push((what.to_owned(), on_screen_ms));
            for _ in 0..FRAMES_AFTER_CHANGE {
                longest = longest.max(frame(&mut app, None));
            }
        }
        (changes, longest)
    });

    let (median_ms, p99_ms) = crate::bench::median_and_p99(&times);
    Ok(FrameReport {
        incidents: windowed
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or(app.store().incidents.len()),
        frames: times.len(),
        median_ms,
        p99_ms,
        max_ms: script
            .as_ref()
            .map_or(tour_max_ms, |s| s.max_ms.max(tour_max_ms)),
        tour_max_ms,
        script,
        setup_ms,
        first_frame_ms,
        rss_mb: crate::bench::rss_mb().map(|(_, peak)| peak),
        loaded_rss_mb,
        windows: windowed.map(|_| (answers, first_window_ms)),
        corrections,
    })
}

/// `bench frames`: the figures as one JSON object.
pub fn run(args: &FramesArgs) -> Result<serde_json::Value, String> {
    measure(args)
        .map(|report| report.json())
        .map_err(|e| format!("bench frames: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tour_starts_and_ends_at_its_stops_and_stays_in_the_region() {
        let (lat, lon, zoom) = tour_view(0.0);
        assert!((lat - 33.315).abs() < 1e-9 && (lon - 44.366).abs() < 1e-9 && zoom == 5.0);
        let (_, _, zoom) = tour_view(1.0);
        assert_eq!(zoom, 6.0);
        for k in 0..=100 {
            let (lat, lon, zoom) = tour_view(f64::from(k) / 100.0);
            assert!((30.0..38.0).contains(&lat) && (35.0..49.0).contains(&lon));
            assert!((4.5..=11.0).contains(&zoom));
        }
    }

    /// A file as the viewer opens it: here an ACLED export, one source article per row.
    #[test]
    fn a_file_of_incidents_is_measured_as_the_viewer_holds_it() {
        let acled = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/exchange/acled-2024.csv");
        let imported = crate::exchange::import(&acled).expect("the fixture imports");
        let report = measure(&FramesArgs {
            synthetic: None,
            data: Some(acled.display().to_string()),
            frames: 6,
            seed: 1,
        })
        .expect("bench runs over the file");
        assert_eq!(report.incidents, imported.store.incidents.len());
        assert_eq!(report.frames, 6);
        assert!(
            report.script.is_some(),
            "a file held in memory runs the script too"
        );
    }

    #[test]
    fn a_short_run_draws_every_frame_and_reports_sane_figures() {
        let report = measure(&FramesArgs {
            synthetic: Some(500),
            data: None,
            frames: 12,
            seed: 3,
        })
        .expect("bench runs");
        assert_eq!(report.incidents, 500);
        assert_eq!(report.frames, 12);
        assert!(report.median_ms > 0.0 && report.p99_ms >= report.median_ms);
        let script = report.script.as_ref().expect("the script ran");
        assert_eq!(script.changes.len(), script_steps().len());
        assert!(script.changes.iter().all(|c| c.1 > 0.0 && c.1 < 30_000.0));
        assert!(report.max_ms >= report.tour_max_ms && report.max_ms >= script.max_ms);
        let json = report.json();
        for key in [
            "incidents",
            "frames",
            "frame_ms_median",
            "frame_ms_p99",
            "rss_mb",
            "loaded_rss_mb",
            "frame_ms_max",
            "filter_ms",
        ] {
            assert!(json.get(key).is_some(), "{key} missing from {json}");
        }
        // The incident rejected leaves the list, and is back once restored.
        let (corrections, _) = report.corrections.as_ref().expect("corrections made");
        assert_eq!(corrections.len(), 2);
        assert!(
            corrections.iter().all(|c| c.1 > 0.0 && c.1 < 30_000.0),
            "{corrections:?}"
        );
        assert!(json["corrections_ms"].is_array());
        // Where /proc tells: the incidents alone are part of the peak, never more.
        if let (Some(loaded), Some(peak)) = (report.loaded_rss_mb, report.rss_mb) {
            assert!(loaded > 0.0 && loaded <= peak, "{loaded} MB of {peak} MB");
        }
    }
}
