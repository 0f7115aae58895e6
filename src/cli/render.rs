//! `incident-map render`: a briefing image from the command line, with no display at all.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use jiff::civil::Date;

use super::{BriefingSpec, ImageSize, MapView, Offscreen};
use crate::store::{EventType, Store};
use crate::view::basemap::{Theme, TileChoice};
use crate::view::query::{self, Filter};

/// Light or dark, on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ThemeArg {
    Light,
    Dark,
}

impl From<ThemeArg> for Theme {
    fn from(theme: ThemeArg) -> Self {
        match theme {
            ThemeArg::Light => Theme::Light,
            ThemeArg::Dark => Theme::Dark,
        }
    }
}

/// Arguments of `incident-map render`.
#[derive(Debug, Clone, Args)]
pub struct RenderArgs {
    /// Map tiles, as for the viewer: builtin (default), osm, opentopomap, or a .pmtiles file.
    #[arg(long, value_parser = TileChoice::parse, value_name = "SOURCE")]
    pub tiles: Option<TileChoice>,
    /// Incidents to draw: a store (.json), a GeoJSON or an ACLED-format CSV file; the bundled
    /// incidents when left out.
    #[arg(long, value_name = "FILE")]
    pub data: Option<PathBuf>,
    /// Fit the map to the incidents shown (the default when no area is given).
    #[arg(long, conflicts_with_all = ["bbox", "center", "zoom"])]
    pub fit: bool,
    /// The area to show: west,south,east,north in degrees, e.g. 38,32,47,38.
    #[arg(long, value_name = "W,S,E,N", conflicts_with_all = ["center", "zoom"], allow_hyphen_values = true)]
    pub bbox: Option<String>,
    /// The map's centre: latitude,longitude in degrees (with --zoom).
    #[arg(
        long,
        value_name = "LAT,LON",
        requires = "zoom",
        allow_hyphen_values = true
    )]
    pub center: Option<String>,
    /// Web Mercator zoom level, 1 to 18 (with --center).
    #[arg(long, value_name = "Z", requires = "center")]
    pub zoom: Option<f64>,
    /// First day shown (YYYY-MM-DD), inclusive; undated incidents are then left out.
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Last day shown (YYYY-MM-DD), inclusive; undated incidents are then left out.
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Event types shown (ACLED names, any case, e.g. Battles "Strategic developments");
    /// all when left out.
    #[arg(long, value_name = "TYPE", num_args = 1.., value_delimiter = ',')]
    pub types: Vec<String>,
    /// The image's title.
    #[arg(long, value_name = "TEXT", default_value = BriefingSpec::DEFAULT_TITLE)]
    pub title: String,
    /// Image size in pixels, up to 3840x2160.
    #[arg(long, value_name = "WxH", default_value = "1920x1080")]
    pub size: String,
    #[arg(long, value_enum, default_value = "light")]
    pub theme: ThemeArg,
    /// The date printed as "Created" (YYYY-MM-DD); today when left out.
    #[arg(long, value_name = "DATE")]
    pub created: Option<String>,
    /// The PNG file to write; replaced atomically, never left half-written.
    #[arg(short, long, value_name = "OUT.png")]
    pub output: PathBuf,
}

/// How the map's view is chosen.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ViewChoice {
    Fit,
    Bbox([f64; 4]),
    Center { lat: f64, lon: f64, zoom: f64 },
}

/// A render request, checked.
#[derive(Debug, Clone)]
pub struct RenderRequest {
    pub data: PathBuf,
    pub view: ViewChoice,
    pub filter: Filter,
    pub title: String,
    pub size: ImageSize,
    pub theme: Theme,
    pub created: Date,
    pub output: PathBuf,
}

fn parse_date(what: &str, text: &str) -> Result<Date, String> {
    text.trim()
        .parse::<Date>()
        .map_err(|_| format!("{what} {text:?} is not a date: expected YYYY-MM-DD"))
}

fn parse_numbers(what: &str, text: &str, count: usize, example: &str) -> Result<Vec<f64>, String> {
    let numbers: Vec<f64> = text
        .split(',')
        .map(|part| part.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| format!("bad {what} {text:?}: expected {example}"))?;
    if numbers.len() != count || numbers.iter().any(|n| !n.is_finite()) {
        return Err(format!("bad {what} {text:?}: expected {example}"));
    }
    Ok(numbers)
}

/// Parses `W,S,E,N`.
pub fn parse_bbox(text: &str) -> Result<[f64; 4], String> {
    let n = parse_numbers("--bbox", text, 4, "west,south,east,north in degrees")?;
    let [west, south, east, north] = [n[0], n[1], n[2], n[3]];
    if !(-180.0..=180.0).contains(&west) || !(-180.0..=180.0).contains(&east) {
        return Err(format!(
            "bad --bbox {text:?}: longitudes must be within -180 to 180"
        ));
    }
    if !(-85.0..=85.0).contains(&south) || !(-85.0..=85.0).contains(&north) {
        return Err(format!(
            "bad --bbox {text:?}: latitudes must be within -85 to 85 (Web Mercator)"
        ));
    }
    if west >= east || south >= north {
        return Err(format!(
            "bad --bbox {text:?}: west must be less than east and south less than north"
        ));
    }
    Ok([west, south, east, north])
}

/// Parses `LAT,LON` and checks the zoom.
pub fn parse_center(text: &str, zoom: f64) -> Result<ViewChoice, String> {
    let n = parse_numbers("--center", text, 2, "latitude,longitude in degrees")?;
    let (lat, lon) = (n[0], n[1]);
    if !(-85.0..=85.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        return Err(format!(
            "bad --center {text:?}: latitude must be within -85 to 85, longitude within -180 to 180"
        ));
    }
    if !(1.0..=18.0).contains(&zoom) {
        return Err(format!("bad --zoom {zoom}: must be from 1 to 18"));
    }
    Ok(ViewChoice::Center { lat, lon, zoom })
}

impl RenderArgs {
    /// Checks every argument, before anything slow happens.
    pub fn check(&self) -> Result<RenderRequest, String> {
        let size = ImageSize::parse(&self.size)?;
        let view = match (&self.bbox, &self.center, self.zoom) {
            (Some(bbox), _, _) => ViewChoice::Bbox(parse_bbox(bbox)?),
            (None, Some(center), Some(zoom)) => parse_center(center, zoom)?,
            _ => ViewChoice::Fit,
        };
        let mut filter = Filter::default();
        if let Some(from) = &self.from {
            filter.from = Some(parse_date("--from", from)?);
        }
        if let Some(to) = &self.to {
            filter.to = Some(parse_date("--to", to)?);
        }
        if let (Some(from), Some(to)) = (filter.from, filter.to)
            && from > to
        {
            return Err(format!("--from {from} is after --to {to}"));
        }
        // A date range says which days to show; an incident of unknown date is not in it.
        filter.show_undated = filter.from.is_none() && filter.to.is_none();
        if !self.types.is_empty() {
            let mut shown = Vec::new();
            for name in self.types.iter().filter(|t| !t.trim().is_empty()) {
                let event_type = EventType::parse(name).ok_or_else(|| {
                    let known: Vec<&str> = EventType::ALL.iter().map(|t| t.as_str()).collect();
                    format!(
                        "unknown event type {name:?}: use one of {}",
                        known.join(", ")
                    )
                })?;
                shown.push(event_type);
            }
            filter.hidden_types = EventType::ALL
                .into_iter()
                .filter(|t| !shown.contains(t))
                .collect();
        }
        let created = match &self.created {
            Some(text) => parse_date("--created", text)?,
            None => super::today(),
        };
        check_output(&self.output)?;
        Ok(RenderRequest {
            data: self.data.clone().unwrap_or_else(crate::app::bundled_store),
            view,
            filter,
            title: self.title.clone(),
            size,
            theme: self.theme.into(),
            created,
            output: self.output.clone(),
        })
    }
}

/// The output must be a `.png` in a folder that exists and can be written to; checked first,
/// so that a long render does not end in an error.
pub(crate) fn check_output(path: &Path) -> Result<(), String> {
    let is_png = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("png"));
    if !is_png {
        return Err(format!(
            "{}: the output must be a .png file",
            path.display()
        ));
    }
    if path.is_dir() {
        return Err(format!("{}: is a folder, not a file", path.display()));
    }
    let dir = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return Err(format!(
            "{}: the folder {} does not exist",
            path.display(),
            dir.display()
        ));
    }
    tempfile::tempfile_in(dir)
        .map(drop)
        .map_err(|e| format!("{}: cannot write in {}: {e}", path.display(), dir.display()))
}

/// The view for a request: fitted to the incidents shown, a bounding box, or a centre and
/// zoom. An empty selection cannot be fitted.
pub fn resolve_view(
    request: &RenderRequest,
    store: &Store,
    visible: &[usize],
) -> Result<MapView, String> {
    let map = super::layout::map_size(request.size.logical());
    match request.view {
        ViewChoice::Center { lat, lon, zoom } => Ok(MapView { lat, lon, zoom }),
        ViewChoice::Bbox(bbox) => {
            let (lat, lon, zoom) = query::fit_view(bbox, map / 0.8);
            Ok(MapView { lat, lon, zoom })
        }
        ViewChoice::Fit => {
            let bounds = query::bounds(store, visible).ok_or_else(|| {
                if store.incidents.is_empty() {
                    format!("{}: has no incidents to draw", request.data.display())
                } else {
                    format!(
                        "no incidents match the filters ({}); give --bbox or --center with \
                         --zoom to render an area anyway",
                        request.filter.describe()
                    )
                }
            })?;
            // A lone place is shown with its surroundings, not at street level.
            let pad = 0.25;
            let padded = [
                bounds[0] - pad,
                bounds[1] - pad,
                bounds[2] + pad,
                bounds[3] + pad,
            ];
            let (lat, lon, zoom) = query::fit_view(padded, map);
            Ok(MapView { lat, lon, zoom })
        }
    }
}

/// Loads, renders and writes; returns what to tell the user, or the error.
pub fn render_to_file(request: &RenderRequest, tiles: TileChoice) -> Result<Vec<String>, String> {
    // Stores, GeoJSON and ACLED CSV alike; rows that fail are left out, as in the viewer.
    let imported = crate::exchange::import(&request.data).map_err(|e| e.to_string())?;
    let skipped = imported.problem_summary(&request.data);
    let store = imported.store;
    let visible = query::visible_incidents(&store, &request.filter);
    let view = resolve_view(request, &store, &visible)?;
    // The area shapes load while the graphics device starts.
    let shapes_store = store.clone();
    let shapes = std::thread::spawn(move || super::area_shapes(&shapes_store));
    let started = std::time::Instant::now();
    let offscreen = Offscreen::new()?;
    log::debug!(
        "graphics device {} ready in {:?}",
        offscreen.adapter_name(),
        started.elapsed()
    );
    let mut messages = Vec::new();
    let shapes = match shapes.join() {
        Ok(Ok(shapes)) => shapes,
        Ok(Err(problem)) => {
            messages.push(format!("warning: {problem}"));
            Default::default()
        }
        Err(_) => Default::default(),
    };
    let spec = BriefingSpec {
        title: request.title.clone(),
        size: request.size,
        theme: request.theme,
        view,
        filter: request.filter.clone(),
        tiles,
        created: request.created,
    };
    log::debug!("area shapes ready after {:?}", started.elapsed());
    let briefing = super::render_briefing(&offscreen, &spec, &store, &shapes)?;
    log::debug!("image rendered after {:?}", started.elapsed());
    messages.extend(briefing.warnings.iter().map(|w| format!("warning: {w}")));
    messages.extend(skipped.map(|s| format!("warning: {s}")));
    super::save_png(&briefing.image, &request.output)?;
    messages.push(format!(
        "wrote {} ({}, {} incidents in the key)",
        request.output.display(),
        request.size,
        briefing.incidents_shown
    ));
    Ok(messages)
}

/// Runs `incident-map render`.
pub fn run_render(args: &RenderArgs, tiles: Option<TileChoice>) -> ExitCode {
    let request = match args.check() {
        Ok(request) => request,
        Err(e) => return crate::cli::fail(e),
    };
    match render_to_file(&request, tiles.unwrap_or_default()) {
        Ok(messages) => {
            for message in messages {
                eprintln!("incident-map: {message}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => crate::cli::fail(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounding_boxes_and_centres_are_checked() {
        assert_eq!(parse_bbox("38,32,47,38"), Ok([38.0, 32.0, 47.0, 38.0]));
        assert!(
            parse_bbox("38,32,47")
                .unwrap_err()
                .contains("west,south,east,north")
        );
        assert!(
            parse_bbox("47,32,38,38")
                .unwrap_err()
                .contains("west must be less")
        );
        assert!(parse_bbox("38,32,47,89").unwrap_err().contains("latitudes"));
        assert!(parse_bbox("a,b,c,d").is_err());
        assert!(parse_center("36.5,40.7", 9.0).is_ok());
        assert!(parse_center("36.5", 9.0).is_err());
        assert!(
            parse_center("36.5,40.7", 25.0)
                .unwrap_err()
                .contains("--zoom")
        );
    }

    fn args(extra: &[&str]) -> Result<RenderRequest, String> {
        use clap::Parser;
        #[derive(Parser)]
        struct Wrapper {
            #[command(flatten)]
            args: RenderArgs,
        }
        let dir = std::env::temp_dir();
        let out = dir.join("incident-map-args-test.png");
        let mut argv = vec!["render", "-o", out.to_str().unwrap_or("x.png")];
        argv.extend_from_slice(extra);
        let wrapper = Wrapper::try_parse_from(argv).map_err(|e| e.to_string())?;
        wrapper.args.check()
    }

    #[test]
    fn filters_come_from_dates_and_types() {
        let request =
            args(&["--types", "battles,Strategic developments"]).unwrap_or_else(|e| panic!("{e}"));
        assert!(request.filter.hidden_types.contains(&EventType::Protests));
        assert!(!request.filter.hidden_types.contains(&EventType::Battles));
        assert!(request.filter.show_undated);
        let request =
            args(&["--from", "2022-01-21", "--to", "2022-01-25"]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(request.filter.from, Some(jiff::civil::date(2022, 1, 21)));
        assert!(!request.filter.show_undated);
        assert_eq!(request.view, ViewChoice::Fit);
        assert!(
            args(&["--types", "Skirmish"])
                .unwrap_err()
                .contains("unknown event type")
        );
        assert!(
            args(&["--from", "2022-13-01"])
                .unwrap_err()
                .contains("not a date")
        );
        assert!(
            args(&["--from", "2022-02-01", "--to", "2022-01-01"])
                .unwrap_err()
                .contains("after")
        );
        assert!(
            args(&["--size", "4000x3000"])
                .unwrap_err()
                .contains("too large")
        );
        assert!(
            args(&["--center", "36,40"]).is_err(),
            "--center needs --zoom"
        );
        assert!(args(&["--fit", "--bbox", "1,2,3,4"]).is_err());
    }
}
