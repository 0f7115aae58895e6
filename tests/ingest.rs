//! `incident-map ingest` as a user runs it.

use std::path::Path;
use std::process::Command;

fn incident_map(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_incident-map"))
        .args(args)
        .output()
        .expect("the binary runs")
}

#[test]
fn ingesting_the_seeds_writes_the_bundled_store_and_a_summary() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("incidents.json");
    let articles = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/articles");
    let run = incident_map(&[
        "ingest",
        articles.to_str().expect("a UTF-8 path"),
        "-o",
        out.to_str().expect("a UTF-8 path"),
    ]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(stderr.contains("ingest: 5 articles"), "{stderr}");
    assert!(stderr.contains("16 incidents"), "{stderr}");
    assert!(stderr.contains("0 places unresolved"), "{stderr}");
    let written = std::fs::read_to_string(&out).expect("the store");
    let bundled =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("data/incidents.json"))
            .expect("the bundled store");
    assert_eq!(written, bundled, "re-ingesting gives the same file");
}

#[test]
fn bad_inputs_are_reported_and_the_rest_is_ingested() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("empty.txt"), "").expect("write");
    std::fs::write(
        dir.path().join("good.txt"),
        "Clashes in Diyala\n\nISIS militants attacked an army post in Diyala on Monday.",
    )
    .expect("write");
    let out = dir.path().join("out.json");
    let run = incident_map(&[
        "ingest",
        dir.path().to_str().expect("a UTF-8 path"),
        "/no/such/folder",
        "-o",
        out.to_str().expect("a UTF-8 path"),
    ]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(stderr.contains("empty.txt"), "{stderr}");
    assert!(stderr.contains("/no/such/folder"), "{stderr}");
    assert!(stderr.contains("1 article (2 skipped)"), "{stderr}");
    assert!(out.exists());

    // Nothing readable at all: a clear failure and no file.
    let none = dir.path().join("none.json");
    let run = incident_map(&[
        "ingest",
        "/no/such/folder",
        "-o",
        none.to_str().unwrap_or(""),
    ]);
    assert!(!run.status.success());
    assert!(String::from_utf8_lossy(&run.stderr).contains("no articles could be read"));
    assert!(!none.exists());
}

/// Ingests one article and returns the store written, as JSON.
fn ingest_article(text: &str) -> serde_json::Value {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("article.txt"), text).expect("write");
    let out = dir.path().join("out.json");
    let run = incident_map(&[
        "ingest",
        dir.path().to_str().expect("a UTF-8 path"),
        "-o",
        out.to_str().expect("a UTF-8 path"),
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    serde_json::from_str(&std::fs::read_to_string(&out).expect("the store")).expect("JSON")
}

#[test]
fn attacks_on_airports_and_air_bases_are_placed_at_them() {
    let store = ingest_article(
        "Drone attack hits Erbil airport\n\nAn explosive-laden drone struck Erbil airport on \
         Friday night, wounding two people, the Kurdistan Region's counter-terrorism service \
         said.\n\nTwo days earlier, three rockets hit Ain al-Asad air base in Anbar province, \
         the US-led coalition said.",
    );
    let mut places: Vec<&str> = store["incidents"]
        .as_array()
        .expect("incidents")
        .iter()
        .filter_map(|i| i["location"]["gazetteer_id"].as_str())
        .collect();
    places.sort();
    assert_eq!(places, ["local:airport-oraa", "local:airport-orer"]);
}

#[test]
fn a_dated_dateline_anchors_the_weekdays_of_an_undated_article() {
    let store = ingest_article(
        "Drone hits airport\n\nERBIL, Iraq, March 3, 2023 — An explosive-laden drone struck \
         Erbil airport on Friday night, killing one contractor and wounding two workers.\n",
    );
    let incident = &store["incidents"][0];
    assert_eq!(incident["date"], "2023-03-03", "{incident}");
    assert_eq!(incident["date_precision"], "day");
    assert_eq!(incident["fatalities"], 1, "{incident}");
    assert_eq!(incident["counts"]["wounded"], 2, "{incident}");
}
