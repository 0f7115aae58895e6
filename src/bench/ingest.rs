//! `incident-map bench ingest`: generates typical news articles and times the real extraction
//! on them, as `ingest` runs it (bundled gazetteer, one thread), leaving out the one-off
//! gazetteer load, which is reported apart.

use std::time::Instant;

use clap::Args;

use crate::articles::{LoadedArticle, parse_article};
use crate::workspace::ingest;

#[derive(Debug, Args)]
pub struct IngestArgs {
    /// How many articles to generate.
    #[arg(long, default_value_t = 2000)]
    pub articles: usize,
    /// Size of each article in bytes (about).
    #[arg(long, default_value_t = 5000)]
    pub bytes: usize,
    /// Seed of the generated articles.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

/// `bench ingest`: the figures as one JSON object.
pub fn run(args: &IngestArgs) -> Result<serde_json::Value, String> {
    if args.articles == 0 {
        return Err("bench ingest: --articles must be at least 1".to_owned());
    }
    let articles: Vec<LoadedArticle> =
        crate::bench::synthetic::articles(args.articles, args.bytes, args.seed)
            .into_iter()
            .map(|(id, text)| parse_article(&id, text))
            .collect();
    let bytes: usize = articles.iter().map(|a| a.article.text.len()).sum();

    let started = Instant::now();
    let places = ingest::bundled_places()?;
    places.gazetteer().prepare_names();
    let gazetteer_ms = started.elapsed().as_secs_f64() * 1000.0;

    let started = Instant::now();
    let extraction = ingest::extract_checked(&articles, &places, &mut |_, _| {})?;
    let seconds = started.elapsed().as_secs_f64().max(1e-9);
    if extraction.stats.incidents == 0 {
        return Err("bench ingest: no incidents were found in the generated articles".to_owned());
    }
    let round = |x: f64| (x * 10.0).round() / 10.0;
    let line = serde_json::json!({
        "articles": articles.len(),
        "articles_per_s": round(articles.len() as f64 / seconds),
        "mb_per_s": round(bytes as f64 / 1e6 / seconds),
        "threads": 1,
        "mb": round(bytes as f64 / 1e6),
        "incidents": extraction.stats.incidents,
        "seconds": crate::bench::round3(seconds),
        "gazetteer_load_ms": round(gazetteer_ms),
    });
    Ok(line)
}
