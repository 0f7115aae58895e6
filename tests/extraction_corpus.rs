//! The development corpus of invented articles (`tests/corpus/incidents/`): extraction is
//! scored against its hand-coded incidents, and a drop below the measured figures fails.

use std::path::Path;
use std::process::Command;

/// Floors just under the figures measured when they were last raised (BENCHMARKS.md).
const MIN_F1: f64 = 0.73;
const MIN_EVENT_TYPE: f64 = 0.82;
const MIN_FATALITIES: f64 = 0.88;
const MIN_DATE_EXACT: f64 = 0.87;

#[test]
fn the_development_corpus_scores_at_least_its_floors() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/incidents");
    let run = Command::new(env!("CARGO_BIN_EXE_incident-map"))
        .args(["eval", "incidents"])
        .arg(corpus.join("articles"))
        .arg("--gold")
        .arg(corpus.join("incidents.gold.json"))
        .arg("--verbose")
        .output()
        .expect("the binary runs");
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let last = stdout.lines().last().expect("a JSON line");
    let scores: serde_json::Value = serde_json::from_str(last).expect("JSON");
    let score = |key: &str| scores[key].as_f64().expect("a number");
    assert!(score("gold") >= 60.0, "{scores}");
    assert!(score("f1") >= MIN_F1, "{stdout}");
    assert!(score("event_type_acc") >= MIN_EVENT_TYPE, "{stdout}");
    assert!(score("fatalities_acc") >= MIN_FATALITIES, "{stdout}");
    assert!(score("date_exact_acc") >= MIN_DATE_EXACT, "{stdout}");
}

#[test]
fn a_gold_file_naming_no_article_of_the_folder_scores_zero_recall() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let articles = dir.path().join("articles");
    std::fs::create_dir(&articles).expect("mkdir");
    std::fs::write(
        articles.join("one.txt"),
        "Clashes in Diyala\n\nISIS militants attacked an army post in Baquba on 3 March 2024, \
         killing two soldiers.\n",
    )
    .expect("write");
    let gold = dir.path().join("gold.json");
    std::fs::write(
        &gold,
        r#"[{"article": "other", "event_type": "Battles", "sub_event_type": "Armed clash",
            "date": "2024-03-03", "place": "Baquba", "lat": 33.75, "lon": 44.6,
            "radius_km": 20, "fatalities": 2, "actors": []}]"#,
    )
    .expect("write");
    let run = Command::new(env!("CARGO_BIN_EXE_incident-map"))
        .args(["eval", "incidents"])
        .arg(&articles)
        .arg("--gold")
        .arg(&gold)
        .output()
        .expect("the binary runs");
    assert!(run.status.success());
    let stdout = String::from_utf8_lossy(&run.stdout);
    let scores: serde_json::Value =
        serde_json::from_str(stdout.lines().last().expect("a line")).expect("JSON");
    assert_eq!(scores["gold"], 1);
    assert_eq!(scores["matched"], 0);
    assert_eq!(scores["recall"], 0.0);
    assert!(
        scores["predicted"].as_u64().expect("a count") >= 1,
        "{scores}"
    );

    // A gold file that is not a list of incidents is refused with a message.
    std::fs::write(&gold, r#"{"article": "one"}"#).expect("write");
    let run = Command::new(env!("CARGO_BIN_EXE_incident-map"))
        .args(["eval", "incidents"])
        .arg(&articles)
        .arg("--gold")
        .arg(&gold)
        .output()
        .expect("the binary runs");
    assert!(!run.status.success());
    assert!(String::from_utf8_lossy(&run.stderr).contains("gold.json"));
}
