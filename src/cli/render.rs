//! `incident-map render`: a briefing image from the command line, with no display at all.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use jiff::civil::Date;

use super::{Failure, say};
use crate::briefing::{BriefingSpec, ImageSize, MapView, Offscreen, Style, check_output};
use crate::store::Store;
use crate::view::basemap::{Theme, TileChoice};
use crate::view::query;
use crate::workspace::filter::{Filter, FilterArgs, visible_incidents};
use crate::workspace::{Source, Workspace};

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
    /// Incidents to draw: a store (.json), a GeoJSON or an ACLED-format CSV file, or a folder
    /// of articles (ingested first); the bundled incidents when left out.
    #[arg(long, value_name = "PATH")]
    pub data: Option<PathBuf>,
    /// Columns named by hand for a table whose fields are not found by their names
    /// (`--map date=when,type=category`), as for `export`.
    #[arg(long, value_parser = crate::exchange::Mapping::parse, value_name = "FIELD=COLUMN,...")]
    pub map: Option<crate::exchange::Mapping>,
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
    #[command(flatten)]
    pub filter: FilterArgs,
    /// The image's title.
    #[arg(long, value_name = "TEXT", default_value = BriefingSpec::DEFAULT_TITLE)]
    pub title: String,
    /// Image size in pixels, up to 3840x2160.
    #[arg(long, value_name = "WxH", default_value = "1920x1080")]
    pub size: String,
    #[arg(long, value_enum, default_value = "light")]
    pub theme: ThemeArg,
    /// How incidents are drawn: numbered markers keyed to a list, symbols per grid cell sized
    /// by count with the mix of types, or a density surface. Chosen by their number when left
    /// out (markers while the key can list them all: about 16 at 1920x1080).
    #[arg(long, value_enum, value_name = "STYLE")]
    pub style: Option<Style>,
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
    pub data: Source,
    pub view: ViewChoice,
    pub filter: Filter,
    pub title: String,
    pub size: ImageSize,
    pub theme: Theme,
    pub created: Date,
    pub style: Option<Style>,
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
        let filter = self.filter.filter()?;
        let created = match &self.created {
            Some(text) => parse_date("--created", text)?,
            None => crate::briefing::today(),
        };
        check_output(&self.output)?;
        Ok(RenderRequest {
            data: self
                .data
                .clone()
                .map_or_else(Source::bundled, Source::from_path),
            view,
            filter,
            title: self.title.clone(),
            size,
            theme: self.theme.into(),
            created,
            style: self.style,
            output: self.output.clone(),
        })
    }
}

/// The view for a request: fitted to the incidents shown (without far outliers, which are
/// returned), a bounding box, or a centre and zoom. An empty selection cannot be fitted.
pub fn resolve_view(
    request: &RenderRequest,
    store: &Store,
    visible: &[usize],
) -> Result<(MapView, Vec<usize>), String> {
    let map = crate::briefing::layout::map_size(request.size.logical());
    match request.view {
        ViewChoice::Center { lat, lon, zoom } => Ok((MapView { lat, lon, zoom }, Vec::new())),
        ViewChoice::Bbox(bbox) => {
            let (lat, lon, zoom) = query::fit_view(bbox, map / 0.8);
            Ok((MapView { lat, lon, zoom }, Vec::new()))
        }
        ViewChoice::Fit => {
            crate::briefing::fitted_view(store, visible, request.size).ok_or_else(|| {
                if store.incidents.is_empty() {
                    format!("{}: has no incidents to draw", request.data)
                } else {
                    format!(
                        "no incidents match the filters ({}); give --bbox or --center with \
                         --zoom to render an area anyway",
                        request.filter.describe()
                    )
                }
            })
        }
    }
}

/// "--fit left out 2 incidents far from the rest: Paris (48.85, 2.35), …".
fn outliers_warning(store: &Store, outliers: &[usize]) -> Option<String> {
    if outliers.is_empty() {
        return None;
    }
    let named: Vec<String> = outliers
        .iter()
        .take(5)
        .filter_map(|&i| store.incidents.get(i))
        .map(|i| {
            format!(
                "{} ({:.2}, {:.2})",
                i.location.name, i.location.lat, i.location.lon
            )
        })
        .collect();
    let more = match outliers.len().saturating_sub(named.len()) {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    let n = outliers.len();
    let noun = if n == 1 { "incident" } else { "incidents" };
    Some(format!(
        "--fit left {n} {noun} far from the rest outside the map: {}{more}; give --bbox to include them",
        named.join(", ")
    ))
}

/// Runs `incident-map render`: checks the arguments, opens the data, renders and writes.
pub fn run(args: &RenderArgs, tiles: TileChoice) -> Result<(), Failure> {
    let request = args.check()?;
    let workspace = Workspace::open_mapped(
        std::slice::from_ref(&request.data),
        &args.map.clone().unwrap_or_default(),
        &|_, _| {},
    )?;
    super::export::report_problems(&workspace)?;
    let store = &workspace.store;
    let visible = visible_incidents(store, &request.filter);
    let (visible, _) =
        crate::briefing::compose::briefing_incidents(store, &request.filter, visible);
    let (view, outliers) = resolve_view(&request, store, &visible)?;
    if let Some(warning) = outliers_warning(store, &outliers) {
        say(format_args!("incident-map: warning: {warning}"))?;
    }
    // The area shapes load while the graphics device starts.
    let started = std::time::Instant::now();
    let (offscreen, shapes) = std::thread::scope(|scope| {
        let shapes = scope.spawn(|| workspace.shapes().map_err(str::to_owned));
        (Offscreen::new(), shapes.join())
    });
    let offscreen = offscreen?;
    log::debug!(
        "graphics device {} ready in {:?}",
        offscreen.adapter_name(),
        started.elapsed()
    );
    let no_shapes = Default::default();
    let shapes = match shapes {
        Ok(Ok(shapes)) => shapes,
        Ok(Err(problem)) => {
            say(format_args!("incident-map: warning: {problem}"))?;
            &no_shapes
        }
        Err(_) => &no_shapes,
    };
    let spec = BriefingSpec {
        title: request.title.clone(),
        size: request.size,
        theme: request.theme,
        view,
        filter: request.filter.clone(),
        tiles,
        created: request.created,
        style: request.style,
        annotations: workspace.annotations().to_vec(),
    };
    let briefing = crate::briefing::render_briefing(&offscreen, &spec, store, shapes)?;
    log::debug!("image rendered after {:?}", started.elapsed());
    for warning in &briefing.warnings {
        say(format_args!("incident-map: warning: {warning}"))?;
    }
    crate::briefing::save_png(&briefing.image, &request.output)?;
    if briefing.undated_left_out > 0 {
        say(format_args!(
            "incident-map: left out {} undated incidents (--undated includes them)",
            briefing.undated_left_out
        ))?;
    }
    say(format_args!(
        "incident-map: wrote {} ({}, {} style, {} incidents on the map, {} in the key)",
        request.output.display(),
        request.size,
        briefing.style.as_str(),
        briefing.incidents_shown,
        briefing.incidents_listed
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::EventType;

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
    fn filters_come_from_the_shared_flags() {
        let request =
            args(&["--types", "battles,Strategic developments"]).unwrap_or_else(|e| panic!("{e}"));
        assert!(request.filter.hidden_types.contains(&EventType::Protests));
        assert!(!request.filter.hidden_types.contains(&EventType::Battles));
        assert!(request.filter.shows_undated());
        let request = args(&[
            "--from",
            "2022-01-21",
            "--to",
            "2022-01-25",
            "--actor",
            "ISIS",
        ])
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(request.filter.from, Some(jiff::civil::date(2022, 1, 21)));
        assert_eq!(request.filter.actor.as_deref(), Some("ISIS"));
        assert!(!request.filter.shows_undated());
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
