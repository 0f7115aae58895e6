//! `incident-map workspace`: the analyst's desk from the command line, for scripted bulk
//! fixes. Each command opens the workspace file, makes its change through the same
//! [`Workspace`] calls the window uses (one transaction per correction), and prints JSON lines.

use std::path::{Path, PathBuf};

use serde_json::json;

use super::{Failure, out, say, say_first};
use crate::articles::web;
use crate::store::{DatePrecision, Incident, SubEventType};
use crate::workspace::corrections::{ArticleMeta, Change, Patch};
use crate::workspace::desk::{Reingested, Target};
use crate::workspace::filter::{FilterArgs, visible_incidents};
use crate::workspace::{Source, Workspace, ingest, places};

/// How many problems are named one by one before the rest are counted.
const PROBLEMS_LISTED: usize = 10;

#[derive(Debug, clap::Subcommand)]
pub enum WorkspaceCommand {
    /// Create a workspace file (a GeoPackage), or a workspace in an empty PostgreSQL database
    /// with PostGIS (postgres://USER@HOST/DB), and ingest the given articles and incident
    /// files into it.
    New {
        /// The workspace file to create (.gpkg; it must not exist), or a postgres:// URL.
        file: PathBuf,
        /// Article files or folders, stores, GeoJSON or ACLED/plain CSV files.
        paths: Vec<PathBuf>,
    },
    /// Add articles (text files, saved web pages, folders, http(s) URLs) or incident files to a
    /// workspace and ingest them. A URL's page is fetched once and kept in the workspace.
    Add {
        file: PathBuf,
        #[arg(required = true, value_name = "PATH_OR_URL")]
        paths: Vec<PathBuf>,
    },
    /// Follow news feeds (RSS, Atom, JSON Feed) or list those followed.
    Feeds {
        #[command(subcommand)]
        command: FeedsCommand,
    },
    /// Fetch what is new in the followed feeds, fetch each new item's page, ingest them and
    /// say how many incidents are new.
    Update { file: PathBuf },
    /// Read every source again, extract anew, and apply every correction again; corrections
    /// whose incident is gone are listed as orphaned.
    Reingest { file: PathBuf },
    /// Print the incidents as JSON lines (id, date, type, place, status, what was edited).
    List {
        file: PathBuf,
        #[command(flatten)]
        filter: FilterArgs,
        /// Least certain first (the extraction's confidence in the place): the review order.
        #[arg(long)]
        to_review: bool,
    },
    /// Print the corrections as JSON lines, then those orphaned (whose incident is gone).
    Corrections { file: PathBuf },
    /// Correct fields of an incident.
    Edit(EditArgs),
    /// Reject an incident as false; it is kept, hidden, and can be restored.
    Reject {
        file: PathBuf,
        id: String,
        #[arg(long, required = true)]
        reason: String,
    },
    /// Bring back a rejected incident.
    Restore { file: PathBuf, id: String },
    /// Mark an incident as checked by an analyst.
    Review { file: PathBuf, id: String },
    /// Fold incident OTHER into incident ID: one event told twice.
    Merge {
        file: PathBuf,
        id: String,
        other: String,
    },
    /// Take the source from ARTICLE off incident ID into an incident of its own.
    Split {
        file: PathBuf,
        id: String,
        #[arg(long, value_name = "ARTICLE")]
        article: String,
    },
    /// Copy a workspace, with every correction and who made it: a file to a server
    /// (postgres://…, an empty database) or back to a new file.
    Copy {
        from: PathBuf,
        /// A new .gpkg file, or a postgres:// URL of a database with no workspace yet.
        to: PathBuf,
    },
    /// Let a database role use a server workspace: read and export only (--read-only), or
    /// also correct and ingest. Run as the workspace's owner; the role must exist.
    Grant {
        /// The postgres:// URL of the workspace.
        server: String,
        role: String,
        #[arg(long)]
        read_only: bool,
    },
    /// Set an article's metadata; a new date re-dates its relative dates ("on Monday").
    SetArticle {
        file: PathBuf,
        article: String,
        #[arg(long, value_parser = parse_date, value_name = "DATE")]
        published: Option<jiff::civil::Date>,
        #[arg(long)]
        publisher: Option<String>,
        #[arg(long)]
        title: Option<String>,
        #[arg(long, value_parser = parse_url)]
        url: Option<String>,
    },
}

#[derive(Debug, clap::Args)]
pub struct EditArgs {
    file: PathBuf,
    /// The incident's id, as `workspace list` prints it.
    id: String,
    /// The event's date (YYYY-MM-DD), or "unknown".
    #[arg(long, value_name = "DATE")]
    date: Option<String>,
    /// day, week, month or year.
    #[arg(long, value_parser = parse_precision, value_name = "PRECISION")]
    date_precision: Option<DatePrecision>,
    /// ACLED event type; checked against --sub-type.
    #[arg(long = "type", value_name = "TYPE")]
    event_type: Option<String>,
    /// ACLED sub-event type (it decides the event type).
    #[arg(long, value_name = "SUB_TYPE")]
    sub_type: Option<String>,
    /// A place name, looked up in the gazetteer (the largest place of that name near the
    /// incident).
    #[arg(long, value_name = "NAME", conflicts_with_all = ["lat", "lon"])]
    place: Option<String>,
    #[arg(long, requires = "lon", allow_negative_numbers = true)]
    lat: Option<f64>,
    #[arg(long, requires = "lat", allow_negative_numbers = true)]
    lon: Option<f64>,
    /// Deaths, or "unknown".
    #[arg(long, value_name = "N")]
    fatalities: Option<String>,
    /// Actors, separated by ";".
    #[arg(long, value_name = "NAMES")]
    actors: Option<String>,
    #[arg(long)]
    summary: Option<String>,
    /// Why, kept with the correction.
    #[arg(long)]
    why: Option<String>,
}

fn parse_date(text: &str) -> Result<jiff::civil::Date, String> {
    crate::exchange::parse_date(text).map_err(|_| format!("{text:?} is not a date (YYYY-MM-DD)"))
}

fn parse_precision(text: &str) -> Result<DatePrecision, String> {
    match text.to_ascii_lowercase().as_str() {
        "day" => Ok(DatePrecision::Day),
        "week" => Ok(DatePrecision::Week),
        "month" => Ok(DatePrecision::Month),
        "year" => Ok(DatePrecision::Year),
        _ => Err(format!("{text:?}: choose day, week, month or year")),
    }
}

fn parse_url(text: &str) -> Result<String, String> {
    let lower = text.to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        Ok(text.to_owned())
    } else {
        Err(format!("{text:?}: only http and https addresses are kept"))
    }
}

#[derive(Debug, clap::Subcommand)]
pub enum FeedsCommand {
    /// Follow a feed: `workspace update` then takes in its new items.
    Add { file: PathBuf, url: String },
    /// The feeds followed, as JSON lines (url, title, items taken in).
    List { file: PathBuf },
}

/// Runs `incident-map workspace ...`.
pub fn run(command: WorkspaceCommand) -> Result<(), Failure> {
    match command {
        WorkspaceCommand::New { file, paths } => {
            let mut workspace = Workspace::default();
            let to = Source::from_path(&file);
            workspace.save_to(&to)?;
            out(format_args!("Created {to}"))?;
            if !paths.is_empty() {
                add(&mut workspace, &paths)?;
            }
            Ok(())
        }
        WorkspaceCommand::Add { file, paths } => add(&mut open(&file)?, &paths),
        WorkspaceCommand::Feeds {
            command: FeedsCommand::Add { file, url },
        } => {
            open(&file)?.add_feed(&url)?;
            out(format_args!(
                "Following {url}; `incident-map workspace update {}` takes in its items",
                shown(&file)
            ))
        }
        WorkspaceCommand::Feeds {
            command: FeedsCommand::List { file },
        } => {
            for feed in open(&file)?.feeds()? {
                out(json!({
                    "url": feed.url,
                    "title": feed.title,
                    // Each item is kept by its key and its link.
                    "items_taken": feed.seen.len() / 2,
                }))?;
            }
            Ok(())
        }
        WorkspaceCommand::Update { file } => {
            let mut workspace = open(&file)?;
            let feeds = workspace.feeds()?;
            if feeds.is_empty() {
                return Err(Failure::from(format!(
                    "{}: follows no feed; add one with `incident-map workspace feeds add {} URL`",
                    shown(&file),
                    shown(&file)
                )));
            }
            let collected =
                crate::articles::feeds::collect(&feeds, &web::Limits::default(), &|what| {
                    let _ = say(what);
                });
            let update = workspace.take_feed_items(collected, &mut |_| {})?;
            say_first(update.problems.iter().cloned(), PROBLEMS_LISTED, |n| {
                format!("… and {n} more problems")
            })?;
            out(json!({
                "feeds": feeds.len(),
                "answered": update.feeds,
                "unchanged": update.unchanged,
                "new_articles": update.articles,
                "new_incidents": update.incidents,
            }))
        }
        WorkspaceCommand::Reingest { file } => {
            let mut workspace = open(&file)?;
            let report = workspace.reingest(&mut |_| {})?;
            summarise(&workspace, &report)
        }
        WorkspaceCommand::List {
            file,
            filter,
            to_review,
        } => {
            let workspace = open(&file)?;
            let filter = filter.filter()?;
            let mut shown = visible_incidents(&workspace.store, &filter);
            if to_review {
                let confidence = |i: usize| {
                    workspace.store.incidents[i]
                        .location
                        .confidence
                        .unwrap_or(0.0)
                };
                shown.sort_by(|&a, &b| confidence(a).total_cmp(&confidence(b)));
            }
            for index in shown {
                out(incident_line(&workspace.store.incidents[index]))?;
            }
            Ok(())
        }
        WorkspaceCommand::Corrections { file } => {
            let workspace = open(&file)?;
            for correction in workspace.corrections() {
                out(serde_json::to_string(correction).map_err(|e| e.to_string())?)?;
            }
            for orphan in workspace.orphans() {
                out(json!({
                    "orphaned": orphan.correction.seq,
                    "reason": orphan.reason,
                    "correction": orphan.correction,
                }))?;
            }
            Ok(())
        }
        WorkspaceCommand::Copy { from, to } => {
            let mut workspace = open(&from)?;
            let (incidents, articles, corrections) = (
                workspace.store.incidents.len(),
                workspace.store.articles.len(),
                workspace.corrections().len(),
            );
            let to = Source::from_path(&to);
            workspace.save_to(&to)?;
            out(json!({
                "from": shown(&from),
                "to": to.to_string(),
                "incidents": incidents,
                "articles": articles,
                "corrections": corrections,
            }))
        }
        WorkspaceCommand::Grant {
            server,
            role,
            read_only,
        } => {
            if !crate::workspace::server::is_server_url(&server) {
                return Err(Failure::from(format!(
                    "{}: roles are granted on a server workspace (postgres://…)",
                    shown(Path::new(&server))
                )));
            }
            let url = crate::workspace::server::ServerUrl::new(&server);
            crate::workspace::server::WorkspaceServer::open(&url)?.grant(&role, read_only)?;
            out(json!({
                "workspace": url.to_string(),
                "role": role,
                "may": if read_only { "read" } else { "read and correct" },
            }))
        }
        WorkspaceCommand::Edit(args) => edit(args),
        WorkspaceCommand::Reject { file, id, reason } => {
            correct(&file, &id, Change::Reject { reason }, None)
        }
        WorkspaceCommand::Restore { file, id } => correct(&file, &id, Change::Restore, None),
        WorkspaceCommand::Review { file, id } => correct(&file, &id, Change::Reviewed, None),
        WorkspaceCommand::Merge { file, id, other } => {
            let workspace = open(&file)?;
            let other_index = find(&workspace, &other)?;
            let other = crate::workspace::corrections::Anchor::of(
                &workspace.store,
                &workspace.store.incidents[other_index],
            )
            .ok_or_else(|| format!("incident {other} cites no article"))?;
            drop(workspace);
            correct(&file, &id, Change::Merge { other }, None)
        }
        WorkspaceCommand::Split { file, id, article } => {
            let workspace = open(&file)?;
            let index = find(&workspace, &id)?;
            let incident = &workspace.store.incidents[index];
            let source = incident
                .sources
                .iter()
                .find(|s| s.article == article)
                .ok_or_else(|| format!("incident {id} cites no article {article:?}"))?;
            let source =
                crate::workspace::corrections::Anchor::of_span(&workspace.store, source, &id);
            drop(workspace);
            correct(&file, &id, Change::Split { source }, None)
        }
        WorkspaceCommand::SetArticle {
            file,
            article,
            published,
            publisher,
            title,
            url,
        } => {
            let meta = ArticleMeta {
                title,
                publisher,
                published,
                url,
            };
            if meta == ArticleMeta::default() {
                return Err(
                    "nothing to set: give --published, --publisher, --title or --url"
                        .to_owned()
                        .into(),
                );
            }
            let mut workspace = open(&file)?;
            workspace.correct(
                Target::Article(article.clone()),
                Change::SetArticle { meta },
                None,
            )?;
            let article = workspace
                .store
                .article(&article)
                .ok_or_else(|| "the article went missing".to_owned())?;
            out(json!({
                "article": article.id,
                "title": article.title,
                "publisher": article.publisher,
                "published": article.published.map(|d| d.to_string()),
                "url": article.url,
                "incidents": workspace.store.incidents.iter()
                    .filter(|i| i.sources.iter().any(|s| s.article == article.id))
                    .map(|i| json!({"id": i.id, "date": i.date.map(|d| d.to_string())}))
                    .collect::<Vec<_>>(),
            }))
        }
    }
}

/// Opens a workspace file or a server's workspace (a postgres:// URL).
fn open(file: &Path) -> Result<Workspace, Failure> {
    Ok(Workspace::open_saved(&Source::from_path(file))?)
}

/// Where a workspace is, for messages: a server's URL without its password.
fn shown(file: &Path) -> String {
    Source::from_path(file).to_string()
}

fn add(workspace: &mut Workspace, paths: &[PathBuf]) -> Result<(), Failure> {
    let mut progress = |step: ingest::Step| {
        if let ingest::Step::LoadingGazetteer = step {
            let _ = say(step.describe());
        }
    };
    let (urls, files): (Vec<&PathBuf>, Vec<&PathBuf>) = paths
        .iter()
        .partition(|p| p.to_str().is_some_and(|s| s.contains("://")));
    let mut report = None;
    let mut failed = Vec::new();
    for url in urls.iter().filter_map(|u| u.to_str()) {
        // Each URL on its own: one that fails is said, and the rest still go in.
        let fetched = web::fetch_article(url, &web::url_id(url), &web::Limits::default())
            .map_err(|e| e.to_string())
            .and_then(|loaded| workspace.add_held(vec![(url.to_owned(), loaded)], &mut progress));
        match fetched {
            Ok((_, added)) => report = Some(added),
            Err(e) => {
                say(&e)?;
                failed.push(e);
            }
        }
    }
    if !files.is_empty() {
        let sources: Vec<Source> = files.into_iter().cloned().map(Source::from_path).collect();
        report = Some(workspace.add_sources(&sources, &mut progress)?);
    }
    match report {
        Some(report) => summarise(workspace, &report),
        None => Err(Failure::from(failed.join("; "))),
    }
}

fn summarise(workspace: &Workspace, report: &Reingested) -> Result<(), Failure> {
    say_first(
        report.problems.iter().map(|p| p.summary.clone()),
        PROBLEMS_LISTED,
        |n| format!("… and {n} more problems"),
    )?;
    let orphans = workspace.orphans();
    say_first(
        orphans
            .iter()
            .map(|o| format!("orphaned: {}", o.describe())),
        PROBLEMS_LISTED,
        |n| format!("… and {n} more orphaned corrections"),
    )?;
    out(json!({
        "workspace": workspace.location(),
        "articles": report.articles,
        "incidents": report.incidents,
        "corrections": workspace.corrections().len(),
        "orphaned": orphans.len(),
    }))
}

/// An incident as one JSON line.
fn incident_line(incident: &Incident) -> serde_json::Value {
    let loc = &incident.location;
    json!({
        "id": incident.id,
        "date": incident.date.map(|d| d.to_string()),
        "date_precision": incident.date_precision.as_str(),
        "event_type": incident.event_type.as_str(),
        "sub_event_type": incident.sub_event_type.as_str(),
        "place": loc.name,
        "admin1": loc.admin1,
        "country": loc.country,
        "lat": loc.lat,
        "lon": loc.lon,
        "confidence": loc.confidence,
        "fatalities": incident.fatalities,
        "actors": incident.actors,
        "status": incident.review.status().as_str(),
        "edited": incident.review.edited,
        "machine": incident.review.machine,
        "rejected": incident.review.rejected,
        "articles": incident.sources.iter().map(|s| s.article.as_str()).collect::<Vec<_>>(),
        "summary": incident.summary,
    })
}

fn find(workspace: &Workspace, id: &str) -> Result<usize, Failure> {
    workspace
        .store
        .incidents
        .iter()
        .position(|i| i.id == id)
        .ok_or_else(|| {
            Failure::from(format!(
                "no incident {id:?} in {} (see `incident-map workspace list`)",
                workspace.location().unwrap_or_default()
            ))
        })
}

fn correct(file: &Path, id: &str, change: Change, why: Option<String>) -> Result<(), Failure> {
    let mut workspace = open(file)?;
    let index = find(&workspace, id)?;
    let now = workspace.correct(Target::Incident(index), change, why)?;
    match now.and_then(|i| workspace.store.incidents.get(i)) {
        Some(incident) => out(incident_line(incident)),
        None => Ok(()),
    }
}

fn edit(args: EditArgs) -> Result<(), Failure> {
    let workspace = open(&args.file)?;
    let index = find(&workspace, &args.id)?;
    let incident = &workspace.store.incidents[index];
    let mut patch = Patch::default();
    if let Some(date) = &args.date {
        patch.date = Some(if date.eq_ignore_ascii_case("unknown") {
            None
        } else {
            Some(parse_date(date)?)
        });
    }
    patch.date_precision = args.date_precision;
    match (&args.event_type, &args.sub_type) {
        (_, Some(sub)) => {
            let sub = SubEventType::parse(sub).ok_or_else(|| {
                let names: Vec<&str> = SubEventType::ALL.iter().map(|s| s.as_str()).collect();
                format!(
                    "unknown sub-event type {sub:?}; ACLED's are {}",
                    names.join(", ")
                )
            })?;
            if let Some(event_type) = &args.event_type {
                let wanted = crate::store::EventType::parse(event_type)
                    .ok_or_else(|| format!("unknown event type {event_type:?}"))?;
                if wanted != sub.event_type() {
                    return Err(format!(
                        "{:?} is a sub-event type of {:?}, not of {:?}",
                        sub.as_str(),
                        sub.event_type().as_str(),
                        wanted.as_str()
                    )
                    .into());
                }
            }
            patch.sub_event_type = Some(sub);
        }
        (Some(event_type), None) => {
            let wanted = crate::store::EventType::parse(event_type)
                .ok_or_else(|| format!("unknown event type {event_type:?}"))?;
            if wanted != incident.event_type {
                return Err(format!(
                    "give --sub-type too: {:?} has several sub-event types",
                    wanted.as_str()
                )
                .into());
            }
        }
        (None, None) => {}
    }
    let near = Some((incident.location.lat, incident.location.lon));
    if let Some(name) = &args.place {
        let gazetteer = crate::gazetteer::Gazetteer::bundled()
            .map_err(|e| format!("cannot read the gazetteer: {e}"))?;
        let found = places::suggest(gazetteer, name, near, 1);
        let place = found
            .first()
            .ok_or_else(|| format!("no place {name:?} in the gazetteer; give --lat and --lon"))?;
        patch.location = Some(places::location_of(place));
    }
    if let (Some(lat), Some(lon)) = (args.lat, args.lon) {
        if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
            return Err(format!("{lat}, {lon} is not on the globe").into());
        }
        let gazetteer = crate::gazetteer::Gazetteer::bundled().ok();
        patch.location = Some(places::location_at(gazetteer, lat, lon));
    }
    if let Some(fatalities) = &args.fatalities {
        patch.fatalities = Some(if fatalities.eq_ignore_ascii_case("unknown") {
            None
        } else {
            Some(
                fatalities
                    .parse()
                    .map_err(|_| format!("--fatalities {fatalities:?}: a count or \"unknown\""))?,
            )
        });
    }
    if let Some(actors) = &args.actors {
        patch.actors = Some(
            actors
                .split(';')
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(str::to_owned)
                .collect(),
        );
    }
    patch.summary = args.summary.clone();
    // Only what differs from the incident as it stands is a change.
    let mut edited = incident.clone();
    patch.apply(&mut edited);
    let patch = Patch::between(incident, &edited);
    if patch.is_empty() {
        return Err("nothing to change: the incident already says that"
            .to_owned()
            .into());
    }
    drop(workspace);
    correct(&args.file, &args.id, Change::Edit { patch }, args.why)
}
