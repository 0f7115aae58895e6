//! The development corpus of invented articles (`tests/corpus/incidents/`): extraction is
//! scored against its hand-coded incidents, and a drop below the measured figures fails.

use std::path::Path;
use std::process::Command;

/// Floors just under the figures measured when they were last set (BENCHMARKS.md). Round 8
/// added 15 articles (c157–c171) written before the rules were changed for them: on all 171
/// articles F1 was 0.876, event type 0.976, fatalities 0.962 and date exact 0.962 before the
/// round's rules and is 0.889, 0.986, 0.986 and 0.967 after them (the first 156 alone stay at
/// 0.898, 0.990, 0.990 and 0.969).
const MIN_F1: f64 = 0.88;
const MIN_EVENT_TYPE: f64 = 0.98;
const MIN_FATALITIES: f64 = 0.98;
const MIN_DATE_EXACT: f64 = 0.96;

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
    assert!(score("gold") >= 230.0, "{scores}");
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

/// Ingests one article with a manifest date and returns the store's incidents.
fn incidents_of(text: &str) -> Vec<serde_json::Value> {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::write(dir.path().join("story.txt"), text).expect("write");
    std::fs::write(
        dir.path().join("manifest.toml"),
        "[articles.story]\npublished = 2024-03-08\n",
    )
    .expect("write");
    let out = dir.path().join("out.json");
    let run = Command::new(env!("CARGO_BIN_EXE_incident-map"))
        .arg("ingest")
        .arg(dir.path())
        .arg("-o")
        .arg(&out)
        .output()
        .expect("the binary runs");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let store: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).expect("the store")).expect("JSON");
    store["incidents"].as_array().cloned().unwrap_or_default()
}

#[test]
fn a_stated_distance_and_bearing_move_the_place() {
    let incidents = incidents_of(
        "Bomb kills soldiers\n\nA roadside bomb struck an army patrol about 40 km west of \
         Tikrit on Thursday, killing four soldiers.\n",
    );
    assert_eq!(incidents.len(), 1, "{incidents:?}");
    let location = &incidents[0]["location"];
    let (lat, lon) = (
        location["lat"].as_f64().expect("lat"),
        location["lon"].as_f64().expect("lon"),
    );
    // Tikrit is at 34.62 N, 43.68 E; 40 km west is about 0.44 degrees of longitude there.
    assert!((lat - 34.62).abs() < 0.05, "{location}");
    assert!((lon - 43.24).abs() < 0.05, "{location}");
    assert!(location["gazetteer_id"].is_null(), "{location}");
    assert_eq!(incidents[0]["date"], "2024-03-07");
    assert_eq!(incidents[0]["fatalities"], 4);
}

#[test]
fn a_village_is_not_placed_on_a_namesake_abroad() {
    let incidents = incidents_of(
        "ISIS kills three\n\nRAQQA, Syria — Islamic State gunmen killed three civilians in the \
         hamlet of Karama, east of Raqqa in northern Syria, on Tuesday.\n",
    );
    assert_eq!(incidents.len(), 1, "{incidents:?}");
    assert_eq!(
        incidents[0]["location"]["country"], "SY",
        "{:?}",
        incidents[0]
    );
}

#[test]
fn the_dateline_places_a_story_whose_sentence_names_no_place() {
    let incidents = incidents_of(
        "Blast in market\n\nKIRKUK, Iraq (Reuters) — An explosive device went off in a crowded \
         market on Tuesday, wounding two civilians, police said.\n",
    );
    assert_eq!(incidents.len(), 1, "{incidents:?}");
    assert_eq!(
        incidents[0]["location"]["name"], "Kirkuk",
        "{:?}",
        incidents[0]
    );
    assert_eq!(incidents[0]["date"], "2024-03-05");
}

#[test]
fn one_event_keeps_its_own_toll_and_teasers_are_not_news() {
    let incidents = incidents_of(
        "Army retakes village\n\nHOMS, Syria — Syrian government forces recaptured a village \
         near Palmyra from Islamic State militants on Wednesday after two days of fighting.\n\n\
         Eight militants and three soldiers were killed in the fighting, a monitor said.\n\n\
         Read more: Car bomb kills 12 in Raqqa\n",
    );
    assert_eq!(incidents.len(), 1, "{incidents:?}");
    assert_eq!(
        incidents[0]["sub_event_type"], "Government regains territory",
        "{:?}",
        incidents[0]
    );
    assert_eq!(incidents[0]["fatalities"], 11, "{:?}", incidents[0]);
}

#[test]
fn a_toll_update_replaces_the_first_figure() {
    let incidents = incidents_of(
        "Car bomb kills seven\n\nTUZ KHURMATU, Iraq — A car bomb exploded in the town's main \
         market on Monday, killing seven people.\n\nThe toll climbed to nine on Tuesday after two \
         of the wounded died, health officials said.\n",
    );
    assert_eq!(incidents.len(), 1, "{incidents:?}");
    assert_eq!(incidents[0]["fatalities"], 9, "{:?}", incidents[0]);
    assert_eq!(incidents[0]["date"], "2024-03-04", "{:?}", incidents[0]);
}

/// Latitude and longitude of an incident's location.
fn point(incident: &serde_json::Value) -> (f64, f64) {
    let location = &incident["location"];
    (
        location["lat"].as_f64().expect("lat"),
        location["lon"].as_f64().expect("lon"),
    )
}

#[test]
fn a_phrase_saying_where_an_unknown_village_lies_places_the_event() {
    let incidents = incidents_of(
        "Gunmen kill two shepherds\n\nDEIR EZ-ZOR, Syria — Gunmen killed two shepherds in the \
         village of Qasr Zaydan, south of Mayadin in eastern Syria, on Tuesday.\n",
    );
    assert_eq!(incidents.len(), 1, "{incidents:?}");
    // Al Mayadin is at 35.02 N, 40.45 E; the dateline's city, Deir ez-Zor, 40 km north-west.
    let (lat, lon) = point(&incidents[0]);
    assert!(
        (lat - 35.02).abs() < 0.05 && (lon - 40.45).abs() < 0.05,
        "{incidents:?}"
    );
    assert_eq!(incidents[0]["fatalities"], 2);
}

#[test]
fn roundup_labels_place_their_items_and_corrections_are_not_news() {
    let incidents = incidents_of(
        "Security roundup\n\nHere are the security incidents reported on Wednesday.\n\n\
         Kirkuk: Two policemen were wounded when a bomb exploded under their car.\n\n\
         Mosul: Gunmen shot dead a shopkeeper in the old city.\n\n\
         Correction: An earlier version of this story said three policemen were killed in Baiji.\n",
    );
    let mut names: Vec<String> = incidents
        .iter()
        .map(|i| i["location"]["name"].as_str().unwrap_or("").to_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["Kirkuk", "Mosul"], "{incidents:?}");
    assert!(
        incidents.iter().all(|i| i["date"] == "2024-03-06"),
        "{incidents:?}"
    );
}

#[test]
fn the_dead_told_after_a_strike_are_its_toll() {
    let incidents = incidents_of(
        "Drone strike near Qamishli\n\nQAMISHLI, Syria — A Turkish drone struck a car near \
         Qamishli on Monday afternoon.\n\nThree people in the car were killed, including a \
         woman, medical sources said.\n\nThe attack was the third in the area this month.\n",
    );
    assert_eq!(incidents.len(), 1, "{incidents:?}");
    assert_eq!(incidents[0]["sub_event_type"], "Air/drone strike");
    assert_eq!(incidents[0]["fatalities"], 3);
    assert_eq!(incidents[0]["date"], "2024-03-04");
}

#[test]
fn the_dead_of_clashes_and_force_on_protests_are_one_incident_each() {
    let incidents = incidents_of(
        "Clan clashes\n\nBASRA, Iraq — Three people were killed on Wednesday in clashes between \
         two clans armed with rocket-propelled grenades in the Zubair district.\n",
    );
    assert_eq!(incidents.len(), 1, "{incidents:?}");
    assert_eq!(incidents[0]["sub_event_type"], "Armed clash");
    assert_eq!(incidents[0]["fatalities"], 3);

    let incidents = incidents_of(
        "Protest dispersed\n\nSULAIMANI, Kurdistan Region — Police fired tear gas on Thursday to \
         disperse hundreds of teachers protesting over unpaid salaries.\n\nAt least 12 \
         protesters were detained.\n",
    );
    assert_eq!(incidents.len(), 1, "{incidents:?}");
    assert_eq!(incidents[0]["sub_event_type"], "Protest with intervention");

    let incidents = incidents_of(
        "Protesters killed\n\nNASIRIYAH, Iraq — Police opened fire on protesters outside the Dhi \
         Qar provincial building on Thursday, killing two of them.\n",
    );
    assert_eq!(incidents.len(), 1, "{incidents:?}");
    assert_eq!(
        incidents[0]["sub_event_type"],
        "Excessive force against protesters"
    );
    assert_eq!(incidents[0]["fatalities"], 2);
    // The province names the building; the dateline's town is where it stands.
    assert!(
        incidents[0]["location"]["name"]
            .as_str()
            .is_some_and(|n| n.contains("Nas")),
        "{incidents:?}"
    );
}
