//! Scoring extraction: incidents against hand-coded gold ones, and the place chosen for an
//! event word against the event-location sentences.
//!
//! Both return a [`Serialize`] report; ingesting the corpus (the workspace's one ingest) and
//! printing are the command line's business.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::store::{Article, Incident, Store};

pub mod event_location;

/// Why an evaluation could not run.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("{path}: cannot read: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Format { path: PathBuf, message: String },
}

/// One hand-coded incident.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoldIncident {
    /// The article id (file name without extension).
    pub article: String,
    pub event_type: String,
    pub sub_event_type: String,
    pub date: Option<Date>,
    /// The place as written, for people reading the report.
    pub place: String,
    pub lat: f64,
    pub lon: f64,
    /// How far from the point a prediction may lie and still be this incident.
    pub radius_km: f64,
    pub fatalities: Option<u32>,
    #[serde(default)]
    pub actors: Vec<String>,
    /// Told too vaguely to demand: matching it is neither rewarded nor punished.
    #[serde(default)]
    pub optional: bool,
    /// Why it is coded so, for people.
    #[serde(default)]
    pub note: Option<String>,
}

/// One predicted incident as scored: an incident of the store, seen from one article it cites.
#[derive(Debug, Clone)]
pub struct Predicted {
    pub article: String,
    pub event_type: String,
    pub sub_event_type: String,
    pub date: Option<Date>,
    pub place: String,
    pub lat: f64,
    pub lon: f64,
    pub fatalities: Option<u32>,
}

impl Predicted {
    /// An incident that several articles report is predicted once for each of them.
    pub fn from_incident(incident: &Incident) -> Vec<Predicted> {
        let cited: BTreeSet<&str> = incident
            .sources
            .iter()
            .map(|s| s.article.as_str())
            .collect();
        cited
            .into_iter()
            .map(|article| Predicted {
                article: article.to_owned(),
                event_type: incident.event_type.as_str().to_owned(),
                sub_event_type: incident.sub_event_type.as_str().to_owned(),
                date: incident.date,
                place: incident.location.name.clone(),
                lat: incident.location.lat,
                lon: incident.location.lon,
                fatalities: incident.fatalities,
            })
            .collect()
    }
}

/// The scores of `eval incidents`.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct IncidentReport {
    /// Gold incidents that count (optional ones left out).
    pub gold: usize,
    /// Predictions that count (those matched to an optional gold incident left out).
    pub predicted: usize,
    pub matched: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Of the matched pairs: same event type, same sub-event type, same fatalities (no
    /// figure and zero agree), same day (both undated agree).
    pub event_type_acc: f64,
    pub sub_event_type_acc: f64,
    pub fatalities_acc: f64,
    pub date_exact_acc: f64,
    /// Median distance of matched pairs.
    pub median_km: f64,
    /// One line per miss, spurious prediction and disagreement, for reading.
    #[serde(skip)]
    pub lines: Vec<String>,
}

/// Scores predictions against gold incidents.
///
/// A prediction can be a gold incident of the same article when its point lies within the
/// gold radius and, when both are dated, the days differ by at most one. Pairs are taken
/// greedily one to one: same sub-event type first, then same event type, then the rest,
/// nearest first within each tier. Optional gold incidents are matched last; predictions
/// matched to them count neither way.
pub fn score_incidents(predicted: &[Predicted], gold: &[GoldIncident]) -> IncidentReport {
    let mut candidates: Vec<(u8, bool, f64, usize, usize)> = Vec::new();
    for (p, pred) in predicted.iter().enumerate() {
        for (g, want) in gold.iter().enumerate() {
            if pred.article != want.article {
                continue;
            }
            let km = crate::gazetteer::distance_km(pred.lat, pred.lon, want.lat, want.lon);
            if km > want.radius_km {
                continue;
            }
            if let (Some(a), Some(b)) = (pred.date, want.date)
                && days_apart(a, b) > 1
            {
                continue;
            }
            let tier = if pred.sub_event_type == want.sub_event_type {
                0
            } else if pred.event_type == want.event_type {
                1
            } else {
                2
            };
            candidates.push((tier, want.optional, km, p, g));
        }
    }
    candidates.sort_by(|a, b| (a.1, a.0).cmp(&(b.1, b.0)).then(a.2.total_cmp(&b.2)));
    let mut pred_taken = vec![false; predicted.len()];
    let mut gold_taken = vec![false; gold.len()];
    let mut pairs: Vec<(usize, usize, f64)> = Vec::new();
    let mut optional_hits = 0;
    for (_, optional, km, p, g) in candidates {
        if pred_taken[p] || gold_taken[g] {
            continue;
        }
        pred_taken[p] = true;
        gold_taken[g] = true;
        if optional {
            optional_hits += 1;
        } else {
            pairs.push((p, g, km));
        }
    }

    let gold_count = gold.iter().filter(|g| !g.optional).count();
    let predicted_count = predicted.len() - optional_hits;
    let matched = pairs.len();
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    let precision = ratio(matched, predicted_count);
    let recall = ratio(matched, gold_count);
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    let agree = |test: &dyn Fn(&Predicted, &GoldIncident) -> bool| {
        ratio(
            pairs
                .iter()
                .filter(|(p, g, _)| test(&predicted[*p], &gold[*g]))
                .count(),
            matched,
        )
    };
    let same_fatalities =
        |p: &Predicted, g: &GoldIncident| p.fatalities.unwrap_or(0) == g.fatalities.unwrap_or(0);
    let mut distances: Vec<f64> = pairs.iter().map(|(_, _, km)| *km).collect();
    distances.sort_by(f64::total_cmp);

    let mut lines = Vec::new();
    for (g, want) in gold.iter().enumerate() {
        if !gold_taken[g] && !want.optional {
            lines.push(format!(
                "missed    {} {} at {} on {} ({} killed)",
                want.article,
                want.sub_event_type,
                want.place,
                show_date(want.date),
                show_count(want.fatalities)
            ));
        }
    }
    for (p, pred) in predicted.iter().enumerate() {
        if !pred_taken[p] {
            lines.push(format!(
                "spurious  {} {} at {} on {} ({} killed)",
                pred.article,
                pred.sub_event_type,
                pred.place,
                show_date(pred.date),
                show_count(pred.fatalities)
            ));
        }
    }
    for (p, g, km) in &pairs {
        let (pred, want) = (&predicted[*p], &gold[*g]);
        let mut wrong = Vec::new();
        if pred.sub_event_type != want.sub_event_type {
            wrong.push(format!(
                "type {} not {}",
                pred.sub_event_type, want.sub_event_type
            ));
        }
        if !same_fatalities(pred, want) {
            wrong.push(format!(
                "killed {} not {}",
                show_count(pred.fatalities),
                show_count(want.fatalities)
            ));
        }
        if pred.date != want.date {
            wrong.push(format!(
                "date {} not {}",
                show_date(pred.date),
                show_date(want.date)
            ));
        }
        if !wrong.is_empty() {
            lines.push(format!(
                "disagrees {} {} at {} ({km:.0} km): {}",
                want.article,
                want.sub_event_type,
                want.place,
                wrong.join("; ")
            ));
        }
    }
    lines.sort();

    IncidentReport {
        gold: gold_count,
        predicted: predicted_count,
        matched,
        precision: round3(precision),
        recall: round3(recall),
        f1: round3(f1),
        event_type_acc: round3(agree(&|p, g| p.event_type == g.event_type)),
        sub_event_type_acc: round3(agree(&|p, g| p.sub_event_type == g.sub_event_type)),
        fatalities_acc: round3(agree(&same_fatalities)),
        date_exact_acc: round3(agree(&|p, g| p.date == g.date)),
        median_km: round3(median(&distances)),
        lines,
    }
}

/// Scores the incidents of a store made by ingesting a corpus against its gold incidents; a
/// gold article missing from the store is said first.
pub fn score_store(store: &Store, gold: &[GoldIncident]) -> IncidentReport {
    let predicted: Vec<Predicted> = store
        .incidents
        .iter()
        .flat_map(Predicted::from_incident)
        .collect();
    let mut report = score_incidents(&predicted, gold);
    let known: BTreeSet<&str> = store
        .articles
        .iter()
        .map(|a: &Article| a.id.as_str())
        .collect();
    for want in gold {
        if !known.contains(want.article.as_str()) {
            report.lines.insert(
                0,
                format!(
                    "unknown   gold article {:?} is not in the corpus",
                    want.article
                ),
            );
        }
    }
    report
}

/// Reads a gold file: a JSON list of incidents.
pub fn read_gold(path: &Path) -> Result<Vec<GoldIncident>, EvalError> {
    let text = std::fs::read_to_string(path).map_err(|source| EvalError::Io {
        path: path.to_owned(),
        source,
    })?;
    let gold: Vec<GoldIncident> = serde_json::from_str(&text).map_err(|e| EvalError::Format {
        path: path.to_owned(),
        message: e.to_string(),
    })?;
    for (i, want) in gold.iter().enumerate() {
        let valid = want.lat.is_finite()
            && want.lon.is_finite()
            && (-90.0..=90.0).contains(&want.lat)
            && (-180.0..=180.0).contains(&want.lon)
            && want.radius_km.is_finite()
            && want.radius_km > 0.0;
        if !valid {
            return Err(EvalError::Format {
                path: path.to_owned(),
                message: format!("item {i} ({}): bad coordinates or radius", want.article),
            });
        }
    }
    Ok(gold)
}

fn days_apart(a: Date, b: Date) -> i64 {
    let (a, b) = if a <= b { (a, b) } else { (b, a) };
    a.until(b)
        .map_or(i64::MAX, |span| i64::from(span.get_days()))
}

fn median(sorted: &[f64]) -> f64 {
    match sorted.len() {
        0 => 0.0,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn show_date(date: Option<Date>) -> String {
    date.map_or_else(|| "no date".to_owned(), |d| d.to_string())
}

fn show_count(n: Option<u32>) -> String {
    n.map_or_else(|| "-".to_owned(), |n| n.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gold(article: &str, sub: &str, day: Option<&str>, lat: f64, lon: f64) -> GoldIncident {
        GoldIncident {
            article: article.to_owned(),
            event_type: event_type_of(sub).to_owned(),
            sub_event_type: sub.to_owned(),
            date: day.map(|d| d.parse().expect("a date")),
            place: "somewhere".to_owned(),
            lat,
            lon,
            radius_km: 20.0,
            fatalities: Some(3),
            actors: Vec::new(),
            optional: false,
            note: None,
        }
    }

    fn predicted(article: &str, sub: &str, day: Option<&str>, lat: f64, lon: f64) -> Predicted {
        Predicted {
            article: article.to_owned(),
            event_type: event_type_of(sub).to_owned(),
            sub_event_type: sub.to_owned(),
            date: day.map(|d| d.parse().expect("a date")),
            place: "there".to_owned(),
            lat,
            lon,
            fatalities: Some(3),
        }
    }

    fn event_type_of(sub: &str) -> &'static str {
        match sub {
            "Armed clash" => "Battles",
            "Attack" => "Violence against civilians",
            _ => "Explosions/Remote violence",
        }
    }

    #[test]
    fn a_prediction_matches_within_the_radius_and_a_day() {
        let want = [gold("a", "Attack", Some("2024-03-02"), 34.0, 43.0)];
        // 0.1 degree of latitude is about 11 km: inside a 20 km radius.
        let near = [predicted("a", "Attack", Some("2024-03-03"), 34.1, 43.0)];
        let report = score_incidents(&near, &want);
        assert_eq!((report.matched, report.f1), (1, 1.0));
        assert_eq!(
            report.date_exact_acc, 0.0,
            "a day off matches but is not exact"
        );

        let far = [predicted("a", "Attack", Some("2024-03-02"), 34.3, 43.0)];
        assert_eq!(score_incidents(&far, &want).matched, 0);
        let late = [predicted("a", "Attack", Some("2024-03-04"), 34.0, 43.0)];
        assert_eq!(score_incidents(&late, &want).matched, 0);
        let other_article = [predicted("b", "Attack", Some("2024-03-02"), 34.0, 43.0)];
        assert_eq!(score_incidents(&other_article, &want).matched, 0);
        let undated = [predicted("a", "Attack", None, 34.0, 43.0)];
        assert_eq!(score_incidents(&undated, &want).matched, 1);
    }

    #[test]
    fn pairs_of_the_same_type_are_taken_first_and_one_to_one() {
        let want = [
            gold("a", "Armed clash", None, 34.0, 43.0),
            gold("a", "Suicide bomb", None, 34.0, 43.0),
        ];
        // The clash is nearer the bombing's point, but the types decide.
        let found = [
            predicted("a", "Suicide bomb", None, 34.05, 43.0),
            predicted("a", "Armed clash", None, 34.0, 43.0),
            predicted("a", "Armed clash", None, 34.0, 43.0),
        ];
        let report = score_incidents(&found, &want);
        assert_eq!(report.matched, 2);
        assert_eq!(report.predicted, 3);
        assert_eq!(report.sub_event_type_acc, 1.0);
        assert!((report.precision - 0.667).abs() < 1e-9, "{report:?}");
        assert_eq!(report.recall, 1.0);
    }

    #[test]
    fn optional_gold_counts_neither_way() {
        let mut vague = gold("a", "Attack", None, 35.0, 44.0);
        vague.optional = true;
        let want = [gold("a", "Attack", None, 34.0, 43.0), vague];
        let only_main = [predicted("a", "Attack", None, 34.0, 43.0)];
        let report = score_incidents(&only_main, &want);
        assert_eq!((report.gold, report.predicted, report.f1), (1, 1, 1.0));
        let both = [
            predicted("a", "Attack", None, 34.0, 43.0),
            predicted("a", "Attack", None, 35.0, 44.0),
        ];
        let report = score_incidents(&both, &want);
        assert_eq!((report.gold, report.predicted, report.f1), (1, 1, 1.0));
    }

    #[test]
    fn fatalities_and_types_are_judged_on_matched_pairs() {
        let want = [gold("a", "Attack", None, 34.0, 43.0)];
        let mut found = predicted("a", "Armed clash", None, 34.0, 43.0);
        found.fatalities = None;
        let report = score_incidents(&[found], &want);
        assert_eq!(report.matched, 1);
        assert_eq!(report.event_type_acc, 0.0);
        assert_eq!(report.fatalities_acc, 0.0);
        assert!(report.lines.iter().any(|l| l.contains("killed - not 3")));
    }

    #[test]
    fn nothing_predicted_scores_zero_without_dividing_by_zero() {
        let want = [gold("a", "Attack", None, 34.0, 43.0)];
        let report = score_incidents(&[], &want);
        assert_eq!(
            (report.precision, report.recall, report.f1),
            (0.0, 0.0, 0.0)
        );
        assert_eq!(report.median_km, 0.0);
    }
}
