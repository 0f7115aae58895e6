//! The one way articles become incidents: read the articles, load the gazetteer, extract,
//! check the store. The viewer, `incident-map ingest` and `bench ingest` all go through here.

use std::path::PathBuf;

use crate::articles::{self, LoadedArticle};
use crate::extract::gazetteer::GazetteerPlaces;
use crate::extract::places::PlaceSource;
use crate::extract::{self, Extraction};
use crate::gazetteer::Gazetteer;

/// Where an ingest is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    ReadingArticles,
    LoadingGazetteer,
    /// `done` of `total` articles extracted.
    Extracting {
        done: usize,
        total: usize,
    },
}

impl Step {
    /// The fraction of the whole ingest done, for a progress bar.
    pub fn fraction(self) -> f32 {
        match self {
            Self::ReadingArticles => 0.0,
            Self::LoadingGazetteer => 0.05,
            Self::Extracting { done, total } => 0.1 + 0.9 * done as f32 / total.max(1) as f32,
        }
    }

    /// What is happening, for the user.
    pub fn describe(self) -> String {
        match self {
            Self::ReadingArticles => "Reading articles".to_owned(),
            Self::LoadingGazetteer => "Loading the gazetteer".to_owned(),
            Self::Extracting { done, total } => {
                format!("Finding incidents: article {done} of {total}")
            }
        }
    }
}

/// What an ingest produced.
pub struct Ingested {
    pub extraction: Extraction,
    /// Article files that could not be read, each named with what is wrong.
    pub skipped: Vec<String>,
}

/// The bundled gazetteer as a place source for extraction.
pub fn bundled_places() -> Result<GazetteerPlaces<'static>, String> {
    let gazetteer = Gazetteer::bundled().map_err(|e| format!("cannot read the gazetteer: {e}"))?;
    Ok(GazetteerPlaces::new(gazetteer))
}

/// Extracts the incidents of `articles` and checks the store they make.
pub fn extract_checked(
    articles: &[LoadedArticle],
    places: &dyn PlaceSource,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Extraction, String> {
    let extraction = extract::extract_with_progress(articles, places, progress);
    extraction
        .store
        .validate()
        .map_err(|e| format!("the extracted store is inconsistent: {e}"))?;
    Ok(extraction)
}

/// Reads the articles under `paths` (files, or folders read recursively), then extracts their
/// incidents with the bundled gazetteer. Files that cannot be read are skipped and named; it
/// fails only when no article could be read at all or the gazetteer is unreadable.
pub fn ingest(paths: &[PathBuf], progress: &mut dyn FnMut(Step)) -> Result<Ingested, String> {
    progress(Step::ReadingArticles);
    let loaded = articles::load_paths(paths);
    let skipped: Vec<String> = loaded.errors.iter().map(ToString::to_string).collect();
    if loaded.articles.is_empty() {
        let mut message = format!(
            "no articles could be read from {}",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
        for problem in &skipped {
            message.push_str(&format!("\n{problem}"));
        }
        return Err(message);
    }
    progress(Step::LoadingGazetteer);
    let places = bundled_places()?;
    let extraction = extract_checked(&loaded.articles, &places, &mut |done, total| {
        progress(Step::Extracting { done, total })
    })?;
    Ok(Ingested {
        extraction,
        skipped,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_articles_ingest_with_progress_in_order() -> Result<(), String> {
        let mut steps = Vec::new();
        let ingested = ingest(&[crate::data_dir().join("articles")], &mut |step| {
            steps.push(step)
        })?;
        assert!(ingested.skipped.is_empty(), "{:?}", ingested.skipped);
        assert!(!ingested.extraction.store.incidents.is_empty());
        assert_eq!(steps[0], Step::ReadingArticles);
        assert_eq!(steps[1], Step::LoadingGazetteer);
        let fractions: Vec<f32> = steps.iter().map(|s| s.fraction()).collect();
        assert!(fractions.windows(2).all(|w| w[0] <= w[1]), "{fractions:?}");
        assert!(matches!(steps.last(), Some(Step::Extracting { done, total }) if done == total));
        Ok(())
    }

    #[test]
    fn nothing_to_read_is_an_error_that_names_the_path() {
        let dir = std::env::temp_dir().join("incident-map-no-such-folder");
        let error = ingest(std::slice::from_ref(&dir), &mut |_| {})
            .err()
            .unwrap_or_default();
        assert!(error.contains("no articles could be read"), "{error}");
        assert!(error.contains(&dir.display().to_string()), "{error}");
    }
}
