//! Extraction on the bundled seed articles, read the way a careful human coder would.

use std::path::Path;

use super::places::tests::TablePlaces;
use super::*;
use crate::articles;

fn seeds() -> Vec<LoadedArticle> {
    let report =
        articles::load_paths(&[Path::new(env!("CARGO_MANIFEST_DIR")).join("data/articles")]);
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    report.articles
}

fn describe(extraction: &Extraction) -> String {
    let mut out = String::new();
    for i in &extraction.store.incidents {
        let evidence: Vec<String> = i
            .sources
            .iter()
            .map(|s| {
                let text = &extraction.store.article(&s.article).unwrap().text;
                let a = crate::store::byte_offset(text, s.start);
                let b = crate::store::byte_offset(text, s.end);
                format!("    [{}] {}", &s.article[..3], &text[a..b])
            })
            .collect();
        out.push_str(&format!(
            "{} {:?}/{} | {} / {} | {} ({:?}, {:?}) | {:?} | fat {:?} {:?}\n{}\n",
            i.id,
            i.date,
            i.date_precision.as_str(),
            i.event_type,
            i.sub_event_type,
            i.location.name,
            i.location.precision,
            i.location.admin1,
            i.actors,
            i.fatalities,
            i.counts,
            evidence.join("\n")
        ));
    }
    for u in &extraction.unresolved {
        out.push_str(&format!(
            "UNRESOLVED {} {}..{} {} {}\n",
            u.article, u.start, u.end, u.sub_event_type, u.reason
        ));
    }
    out.push_str(&format!("{:?}\n", extraction.stats));
    out
}

#[test]
fn print_seed_incidents_with_the_table() {
    let extraction = extract(&seeds(), &TablePlaces::seeds());
    println!("{}", describe(&extraction));
}

#[test]
fn print_seed_incidents_with_the_gazetteer() {
    let Ok(gazetteer) = crate::gazetteer::Gazetteer::bundled() else {
        return;
    };
    let extraction = extract(&seeds(), &gazetteer::GazetteerPlaces::new(gazetteer));
    println!("{}", describe(&extraction));
}

#[test]
fn print_seed_drafts() {
    let Ok(gazetteer) = crate::gazetteer::Gazetteer::bundled() else {
        return;
    };
    let source = gazetteer::GazetteerPlaces::new(gazetteer);
    for loaded in seeds() {
        println!(
            "=== {}\n{}",
            loaded.article.id,
            article::debug_drafts(&loaded, &source)
        );
    }
}
