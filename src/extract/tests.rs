//! Extraction on the bundled seed articles, read the way a careful human coder would.

use std::path::Path;

use super::places::tests::TablePlaces;
use super::*;
use crate::articles;
use crate::store::LocationPrecision;

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

fn bundled_places() -> gazetteer::GazetteerPlaces<'static> {
    let gazetteer = crate::gazetteer::Gazetteer::bundled().expect("the bundled gazetteer");
    gazetteer::GazetteerPlaces::new(gazetteer)
}

/// The seeds extracted with the bundled gazetteer.
fn seed_extraction() -> Option<Extraction> {
    Some(extract(&seeds(), &bundled_places()))
}

fn evidence<'a>(extraction: &'a Extraction, incident: &Incident) -> Vec<(&'a str, &'a str)> {
    incident
        .sources
        .iter()
        .map(|s| {
            let article = extraction.store.article(&s.article).expect("cited article");
            let text = &article.text;
            let start = crate::store::byte_offset(text, s.start);
            let end = crate::store::byte_offset(text, s.end);
            (&article.id[..3], &text[start..end])
        })
        .collect()
}

/// The one incident of this sub-event type whose evidence contains `phrase`.
fn find<'a>(extraction: &'a Extraction, sub: SubEventType, phrase: &str) -> &'a Incident {
    let found: Vec<&Incident> = extraction
        .store
        .incidents
        .iter()
        .filter(|i| i.sub_event_type == sub)
        .filter(|i| {
            evidence(extraction, i)
                .iter()
                .any(|(_, text)| text.contains(phrase))
        })
        .collect();
    assert_eq!(
        found.len(),
        1,
        "{sub} told by {phrase:?}:\n{}",
        describe(extraction)
    );
    found[0]
}

fn cites(extraction: &Extraction, incident: &Incident, article: &str, phrase: &str) -> bool {
    evidence(extraction, incident)
        .iter()
        .any(|(id, text)| *id == article && text.contains(phrase))
}

/// Asserts that the extraction found exactly one incident, of this sub-event type and toll.
fn assert_one(x: &Extraction, sub: SubEventType, fatalities: Option<u32>) {
    assert_eq!(x.store.incidents.len(), 1, "{}", describe(x));
    assert_eq!(
        (
            x.store.incidents[0].sub_event_type,
            x.store.incidents[0].fatalities
        ),
        (sub, fatalities),
        "{}",
        describe(x)
    );
}

fn day(y: i16, m: i8, d: i8) -> Option<jiff::civil::Date> {
    Some(jiff::civil::date(y, m, d))
}

#[test]
fn the_ghuwayran_prison_attack_is_one_incident_from_two_articles() {
    let Some(x) = seed_extraction() else { return };
    let attack = find(
        &x,
        SubEventType::ArmedClash,
        "attempted to free thousands of detainees",
    );
    assert_eq!(attack.event_type, EventType::Battles);
    assert_eq!(
        (attack.date, attack.date_precision),
        (day(2022, 1, 20), DatePrecision::Day)
    );
    assert_eq!(
        attack.location.gazetteer_id.as_deref(),
        Some("local:ghuwayran-prison")
    );
    assert_eq!(attack.location.admin1.as_deref(), Some("Al-Hasakah"));
    assert_eq!(attack.location.country.as_deref(), Some("SY"));
    assert_eq!(
        attack.actors[..2],
        ["Islamic State", "Syrian Democratic Forces"]
    );
    // 17 SDF fighters and 70 ISIS fighters; "dozens" in the other report adds nothing.
    assert_eq!(attack.fatalities, Some(87));
    assert_eq!(attack.counts.get("recaptured"), Some(&89));
    assert!(cites(
        &x,
        attack,
        "001",
        "at least 17 SDF fighters have been killed"
    ));
    assert!(cites(
        &x,
        attack,
        "001",
        "following a prisonbreak by ISIS militants in al-Hasakah"
    ));
    assert!(cites(&x, attack, "000", "ending a week-long assault"));
    assert!(cites(&x, attack, "000", "The attack in Hassakeh"));
    // The fighting on Sunday the 23rd is told apart from the attack of the 20th.
    let sunday = find(
        &x,
        SubEventType::ArmedClash,
        "our forces faced several terrorist groups",
    );
    assert_eq!(sunday.date, day(2022, 1, 23));
    assert_eq!(
        sunday.location.gazetteer_id.as_deref(),
        Some("local:ghuwayran-prison")
    );
    assert_ne!(sunday.id, attack.id);
}

#[test]
fn the_sdf_retaking_the_prison_and_the_air_strikes() {
    let Some(x) = seed_extraction() else { return };
    let retaken = find(
        &x,
        SubEventType::NonStateActorOvertakesTerritory,
        "regained control of the last section of a prison",
    );
    assert_eq!(
        (retaken.date, retaken.date_precision),
        (day(2022, 1, 26), DatePrecision::Day)
    );
    assert_eq!(retaken.location.admin1.as_deref(), Some("Al-Hasakah"));
    assert_eq!(
        retaken.actors.first().map(String::as_str),
        Some("Syrian Democratic Forces")
    );
    assert!(cites(
        &x,
        retaken,
        "000",
        "The whole prison is now under control"
    ));

    let strikes = find(
        &x,
        SubEventType::AirDroneStrike,
        "nearly a dozen air strikes",
    );
    assert_eq!(strikes.event_type, EventType::ExplosionsRemoteViolence);
    assert!(cites(
        &x,
        strikes,
        "001",
        "US forces have conducted airstrikes"
    ));
    assert!(strikes.actors.iter().any(|a| a == "US-led coalition"));
    assert!(strikes.actors.iter().any(|a| a == "US forces"));
    assert_eq!(strikes.location.admin1.as_deref(), Some("Al-Hasakah"));
    // Many strikes over the week of the battle: no single day and no deaths of their own.
    assert_eq!(strikes.date_precision, DatePrecision::Week);
    assert_eq!(strikes.fatalities, None);
}

#[test]
fn the_diyala_barracks_attack() {
    let Some(x) = seed_extraction() else { return };
    let attack = find(
        &x,
        SubEventType::ArmedClash,
        "attacked an Iraqi army barracks",
    );
    assert_eq!(
        (attack.date, attack.date_precision),
        (day(2022, 1, 21), DatePrecision::Day)
    );
    assert_eq!(attack.location.name, "Diyala");
    assert_eq!(attack.location.precision, LocationPrecision::Admin1);
    assert_eq!(attack.location.country.as_deref(), Some("IQ"));
    assert_eq!(attack.fatalities, Some(11));
    assert!(attack.actors.iter().any(|a| a == "Islamic State"));
    assert!(attack.actors.iter().any(|a| a == "Iraqi Security Forces"));
    assert!(cites(
        &x,
        attack,
        "001",
        "an attack on the Iraqi army in Diyala governorate"
    ));
}

#[test]
fn kadhimis_visit_is_placed_on_the_border_in_nineveh() {
    let Some(x) = seed_extraction() else { return };
    let visit = find(
        &x,
        SubEventType::Other,
        "visits the Iraq-Syria border on January 26",
    );
    assert_eq!(visit.event_type, EventType::StrategicDevelopments);
    assert_eq!(
        (visit.date, visit.date_precision),
        (day(2022, 1, 26), DatePrecision::Day)
    );
    assert_eq!(visit.location.precision, LocationPrecision::Border);
    assert_eq!(
        visit.location.gazetteer_id.as_deref(),
        Some("local:iraq-syria-border")
    );
    assert_eq!(visit.location.admin1.as_deref(), Some("Nineveh"));
    let (lat, lon) = (visit.location.lat, visit.location.lon);
    assert!(
        (35.5..37.2).contains(&lat) && (41.0..42.5).contains(&lon),
        "{lat},{lon}"
    );
    assert_eq!(visit.actors, ["Iraqi government"]);
    // Caption and body are one visit.
    assert!(cites(
        &x,
        visit,
        "000",
        "made a rare visit to the country’s border with Syria"
    ));
    assert!(cites(&x, visit, "000", "was visiting Nineveh province"));
}

#[test]
fn official_statements_about_a_place_are_coded_where_they_point() {
    let Some(x) = seed_extraction() else { return };
    // Barzani's concern for the Kurdistan Region's defences, dated by the article.
    let krg = find(&x, SubEventType::Other, "expressed concerns");
    assert_eq!(krg.event_type, EventType::StrategicDevelopments);
    assert_eq!(
        (krg.date, krg.date_precision),
        (day(2022, 1, 23), DatePrecision::Day)
    );
    assert_eq!(krg.location.name, "Kurdistan Region");
    assert_eq!(krg.actors, ["Kurdistan Regional Government"]);

    // The defence ministry's statement, quoted over five sentences and made in Erbil's
    // dateline, is about the border; an undated Rudaw report leaves its date unknown.
    let ministry = find(
        &x,
        SubEventType::Other,
        "Iraqi Ministry of Defense said on Monday",
    );
    assert_eq!(ministry.location.precision, LocationPrecision::Border);
    assert_eq!(
        ministry.location.gazetteer_id.as_deref(),
        Some("local:iraq-syria-border")
    );
    assert_eq!(ministry.date, None);
    assert_eq!(ministry.actors, ["Iraqi government"]);
    assert!(cites(&x, ministry, "002", "told Rudaw on Monday"));
    assert!(cites(
        &x,
        ministry,
        "002",
        "Addressing developments in Syria"
    ));

    // "Coordination between Baghdad and the Kurdistan Region has secured the country's
    // borders" and Sudani's "borders, particularly with Syria": the border, not Baghdad.
    let officials = find(
        &x,
        SubEventType::Other,
        "Top Iraqi officials on Tuesday warned",
    );
    assert_eq!(
        officials.location.gazetteer_id.as_deref(),
        Some("local:iraq-syria-border")
    );
    assert!(cites(&x, officials, "003", "Sudani said Iraq’s borders"));
    assert!(cites(&x, officials, "003", "The international borders"));

    // What Kadhimi said at the border belongs to his visit, not to a second incident.
    let visit = find(&x, SubEventType::Other, "made a rare visit");
    assert!(cites(
        &x,
        visit,
        "000",
        "assured the public that security is tight"
    ));
    assert!(cites(
        &x,
        visit,
        "000",
        "he said, addressing border officials"
    ));
    let others = x
        .store
        .incidents
        .iter()
        .filter(|i| i.sub_event_type == SubEventType::Other)
        .count();
    assert_eq!(others, 4, "{}", describe(&x));

    // What a statement reports is the incident; the statement is not coded again.
    let reinforced = find(
        &x,
        SubEventType::ChangeToGroupActivity,
        "Iraq has reinforced its border with Syria",
    );
    assert_eq!(reinforced.event_type, EventType::StrategicDevelopments);
}

#[test]
fn rudaw_reports_without_a_date_keep_their_dates_unknown() {
    let Some(x) = seed_extraction() else { return };
    let deployment = find(
        &x,
        SubEventType::ChangeToGroupActivity,
        "heading toward the Iraq-Syria border",
    );
    assert_eq!(
        (deployment.date, deployment.date_precision),
        (None, DatePrecision::Unknown)
    );
    assert_eq!(deployment.location.precision, LocationPrecision::Border);
    assert_eq!(deployment.location.admin1.as_deref(), Some("Nineveh"));
    assert!(cites(
        &x,
        deployment,
        "002",
        "Those were Popular Mobilization Forces who moved"
    ));
    assert!(
        deployment
            .actors
            .iter()
            .any(|a| a == "Iraqi Security Forces")
    );
    assert!(
        deployment
            .actors
            .iter()
            .any(|a| a == "Popular Mobilization Forces")
    );

    let withdrawal = find(
        &x,
        SubEventType::NonViolentTransferOfTerritory,
        "withdrawn from the notorious al-Hol camp",
    );
    assert_eq!(withdrawal.date, None);
    assert_eq!(
        withdrawal.location.gazetteer_id.as_deref(),
        Some("local:al-hol-camp")
    );
    assert_eq!(withdrawal.actors, ["Syrian Democratic Forces"]);
    let clashes = find(&x, SubEventType::ArmedClash, "fierce clashes");
    assert_eq!(
        clashes.location.gazetteer_id.as_deref(),
        Some("local:al-hol-camp")
    );
    let shaddadi = find(
        &x,
        SubEventType::GovernmentRegainsTerritory,
        "lost control of al-Shaddadi prison",
    );
    assert_eq!(
        shaddadi.location.gazetteer_id.as_deref(),
        Some("local:al-shaddadi-prison")
    );
    assert_eq!(
        shaddadi.actors,
        ["Syrian Arab Army", "Syrian Democratic Forces"]
    );

    let order = find(
        &x,
        SubEventType::ChangeToGroupActivity,
        "ordered the armed forces to tighten security",
    );
    assert_eq!(order.date, None);
    assert_eq!(
        order.location.gazetteer_id.as_deref(),
        Some("local:iraq-syria-border")
    );
    assert!(cites(&x, order, "004", "heavily fortifying them"));
    let bases = find(
        &x,
        SubEventType::HeadquartersOrBaseEstablished,
        "they even established bases",
    );
    assert_eq!(
        bases.location.gazetteer_id.as_deref(),
        Some("local:qarachogh")
    );
    assert_eq!(bases.actors, ["Islamic State"]);
}

#[test]
fn talk_aggregates_and_history_are_not_incidents() {
    let Some(x) = seed_extraction() else { return };
    for phrase in [
        "emergency security meeting",
        "more than 400 ISIS-claimed",
        "150 of the quarter",
        "increased its activities in 2018 and 2019",
        "regularly stage hit-and-run attacks",
        "overran vast swaths of northern Iraq",
        "ISIS is taking advantage of security gaps",
        "to arrest or kill anyone",
        "handed over control of eight military bases",
    ] {
        let citing: Vec<&Incident> = x
            .store
            .incidents
            .iter()
            .filter(|i| {
                evidence(&x, i)
                    .iter()
                    .any(|(_, text)| text.contains(phrase))
            })
            .collect();
        assert!(citing.is_empty(), "{phrase:?} became {citing:#?}");
    }
    assert_eq!(x.store.incidents.len(), 16, "{}", describe(&x));
}

#[test]
fn every_incident_is_in_the_region_with_valid_evidence_and_a_stable_id() {
    let Some(x) = seed_extraction() else { return };
    x.store.validate().expect("a valid store");
    for incident in &x.store.incidents {
        let l = &incident.location;
        assert!(
            (29.0..38.5).contains(&l.lat) && (35.0..49.0).contains(&l.lon),
            "{incident:?}"
        );
        assert!(matches!(l.country.as_deref(), Some("IQ" | "SY")));
        assert!(!incident.sources.is_empty());
        assert!(incident.id.starts_with("inc-"));
    }
    let again = seed_extraction().expect("the gazetteer loaded once");
    assert_eq!(again.store, x.store, "extraction is deterministic");
}

#[test]
fn the_story_rules_work_with_any_place_source() {
    // The same reading with a small place table instead of the gazetteer.
    let x = extract(&seeds(), &TablePlaces::seeds());
    let attack = find(
        &x,
        SubEventType::ArmedClash,
        "attempted to free thousands of detainees",
    );
    assert_eq!(
        attack.location.gazetteer_id.as_deref(),
        Some("local:ghuwayran-prison")
    );
    assert_eq!(attack.fatalities, Some(87));
    assert!(cites(&x, attack, "000", "The attack in Hassakeh"));
    let barracks = find(
        &x,
        SubEventType::ArmedClash,
        "attacked an Iraqi army barracks",
    );
    assert_eq!(barracks.location.name, "Diyala");
    let visit = find(
        &x,
        SubEventType::Other,
        "visits the Iraq-Syria border on January 26",
    );
    assert_eq!(visit.location.admin1.as_deref(), Some("Nineveh"));
    assert_eq!((visit.location.lat, visit.location.lon), (36.0, 41.5));
}

#[test]
fn without_places_nothing_is_guessed_and_dated_events_are_reported() {
    let x = extract(&seeds(), &places::NoPlaces);
    assert!(x.store.incidents.is_empty());
    assert!(x.stats.unresolved >= 3, "{:?}", x.unresolved);
    let barracks = x
        .unresolved
        .iter()
        .find(|u| u.article.starts_with("001") && u.sub_event_type == SubEventType::ArmedClash)
        .expect("the barracks attack is reported");
    assert_eq!(barracks.reason, "no place is named");
    x.store.validate().expect("a valid store");
}

#[test]
fn publication_dates_anchor_relative_dates_and_their_absence_leaves_them_unknown() {
    let text = "Clashes in Hassakeh\n\nISIS militants attacked an army post in Hassakeh on Monday, \
                killing three soldiers.";
    let mut dated = articles::parse_article("dated", text.to_owned());
    dated.article.published = Some(jiff::civil::date(2022, 1, 27));
    let undated = articles::parse_article("undated", text.to_owned());
    let x = extract(&[dated, undated], &TablePlaces::seeds());
    assert_eq!(x.store.incidents.len(), 2, "{}", describe(&x));
    let dated = x
        .store
        .incidents
        .iter()
        .find(|i| i.sources[0].article == "dated")
        .unwrap();
    assert_eq!(
        (dated.date, dated.date_precision),
        (day(2022, 1, 24), DatePrecision::Day)
    );
    assert_eq!(dated.fatalities, Some(3));
    let undated = x
        .store
        .incidents
        .iter()
        .find(|i| i.sources[0].article == "undated")
        .unwrap();
    assert_eq!(
        (undated.date, undated.date_precision),
        (None, DatePrecision::Unknown)
    );
}

#[test]
fn hostile_inputs_finish_without_panics() {
    let places = TablePlaces::seeds();
    let mut inputs: Vec<String> = Vec::new();
    // Random bytes read as lossy text.
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..20 {
        let bytes: Vec<u8> = (0..4096).map(|_| (next() & 0xff) as u8).collect();
        inputs.push(String::from_utf8_lossy(&bytes).into_owned());
    }
    // No sentences at all, only punctuation, only numbers.
    inputs.push("\u{feff}".to_owned());
    inputs.push("....!!!???,,,;;;––––".repeat(1000));
    inputs.push("1 2 3 2022 2023 January 31 Sunday ".repeat(500));
    // Thousands of place names, and of event words.
    inputs.push("Hassakeh, Diyala, Nineveh, Iraq-Syria border, ".repeat(3000));
    inputs
        .push("clashes attacks killed 5 soldiers air strikes in Hassakeh on Monday ".repeat(3000));
    // A 10 MB article of seed sentences with a few odd characters.
    let seed_text: String = seeds()
        .iter()
        .map(|a| a.article.text.clone())
        .collect::<Vec<_>>()
        .join("\n");
    let mut big = String::new();
    while big.len() < 10 * 1024 * 1024 {
        big.push_str(&seed_text);
        big.push_str(" Ḩ\u{0}\u{202e} ");
    }
    inputs.push(big);
    let loaded: Vec<LoadedArticle> = inputs
        .into_iter()
        .enumerate()
        .map(|(i, text)| articles::parse_article(&format!("hostile-{i}"), text))
        .collect();
    let started = std::time::Instant::now();
    let x = extract(&loaded, &places);
    x.store.validate().expect("a valid store");
    assert!(
        started.elapsed().as_secs() < 120,
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn bundled_incidents_json_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/incidents.json");
    let bundled = Store::load(&path).expect("data/incidents.json");
    let fresh = seed_extraction().expect("the seeds").store;
    assert!(
        bundled == fresh,
        "data/incidents.json is stale; regenerate it with \
         `cargo run --release -- ingest data/articles -o data/incidents.json`"
    );
}

/// Articles of about 5 KB made by recombining the seeds' sentences.
fn synthetic_articles(count: usize) -> Vec<LoadedArticle> {
    let seeds = seeds();
    let mut sentences: Vec<String> = Vec::new();
    for loaded in &seeds {
        let text = &loaded.article.text;
        for s in sentences::split(text, &loaded.story_ranges()) {
            sentences.push(text[s.range].to_owned());
        }
    }
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..count)
        .map(|i| {
            let mut text =
                String::from("A headline about the border\n\nUpdated: January 27, 2022\n\n");
            while text.len() < 5_000 {
                let pick = (next() % sentences.len() as u64) as usize;
                text.push_str(&sentences[pick]);
                text.push(if next() % 4 == 0 { '\n' } else { ' ' });
            }
            articles::parse_article(&format!("synthetic-{i:05}"), text)
        })
        .collect()
}

/// Throughput on one core: `cargo test --release --lib extraction_speed -- --ignored --nocapture`.
#[test]
#[ignore = "a timing, run by hand in release"]
fn extraction_speed() {
    let places = bundled_places();
    let articles = synthetic_articles(2_000);
    let bytes: usize = articles.iter().map(|a| a.article.text.len()).sum();
    // Warm up: the geoparser builds its name index on first use.
    let _ = extract(&articles[..10], &places);
    let started = std::time::Instant::now();
    let x = extract(&articles, &places);
    let seconds = started.elapsed().as_secs_f64();
    let geoparse_started = std::time::Instant::now();
    for loaded in &articles {
        let _ = places::PlaceSource::mentions(&places, loaded);
    }
    let geoparse_seconds = geoparse_started.elapsed().as_secs_f64();
    println!(
        "{} articles, {:.1} MB, {} incidents: {:.2} s, {:.0} articles/s, {:.1} MB/s \
         (of which the geoparser alone {:.2} s)",
        articles.len(),
        bytes as f64 / 1e6,
        x.store.incidents.len(),
        seconds,
        articles.len() as f64 / seconds,
        bytes as f64 / 1e6 / seconds,
        geoparse_seconds
    );
}

#[test]
fn typical_wire_reports_one_incident_each() {
    let text = "Security roundup\n\n\
        A roadside bomb killed two soldiers in Kirkuk on Tuesday, security sources said.\n\n\
        Turkish drones struck PKK positions near Sinjar on Monday.\n\n\
        Iraqi security forces arrested five ISIS suspects in Mosul yesterday.\n\n\
        Gunmen killed three shepherds near Tuz Khurmatu on Sunday, police said.\n\n\
        A suicide bomber blew himself up at a checkpoint in Tarmiyah, wounding four policemen.\n\n\
        Protesters rallied in Sulaymaniyah on Saturday to demand unpaid salaries.\n\n\
        The Peshmerga clashed with ISIS militants in the Qarachogh mountains on Wednesday, \
        killing six militants.\n\n\
        ISIS militants kidnapped two truffle hunters in Anbar desert last week.\n";
    let mut loaded = articles::parse_article("typical", text.to_owned());
    loaded.article.published = Some(jiff::civil::date(2022, 3, 10));
    let x = extract(&[loaded], &bundled_places());
    let one = |phrase: &str| {
        let found: Vec<&Incident> = x
            .store
            .incidents
            .iter()
            .filter(|i| {
                evidence(&x, i)
                    .iter()
                    .any(|(_, text)| text.contains(phrase))
            })
            .collect();
        assert_eq!(found.len(), 1, "{phrase}:\n{}", describe(&x));
        found[0]
    };
    let bomb = one("roadside bomb");
    assert_eq!(
        bomb.sub_event_type,
        SubEventType::RemoteExplosiveLandmineIed
    );
    assert_eq!((bomb.date, bomb.fatalities), (day(2022, 3, 8), Some(2)));
    assert_eq!(bomb.location.admin1.as_deref(), Some("Kirkuk"));
    let drones = one("Turkish drones struck");
    assert_eq!(drones.sub_event_type, SubEventType::AirDroneStrike);
    assert_eq!(
        drones.actors,
        ["Turkish Armed Forces", "Kurdistan Workers' Party"]
    );
    assert_eq!(drones.date, day(2022, 3, 7));
    let arrests = one("arrested five ISIS suspects");
    assert_eq!(arrests.sub_event_type, SubEventType::Arrests);
    assert_eq!(arrests.counts.get("captured"), Some(&5));
    assert_eq!(arrests.date, day(2022, 3, 9));
    let shepherds = one("Gunmen killed three shepherds");
    assert_eq!(shepherds.sub_event_type, SubEventType::Attack);
    assert_eq!(shepherds.fatalities, Some(3));
    assert_eq!(shepherds.location.admin1.as_deref(), Some("Salah ad Din"));
    let suicide = one("suicide bomber blew himself up");
    assert_eq!(suicide.sub_event_type, SubEventType::SuicideBomb);
    assert_eq!(suicide.counts.get("wounded"), Some(&4));
    assert_eq!(suicide.fatalities, None);
    let protest = one("Protesters rallied");
    assert_eq!(protest.sub_event_type, SubEventType::PeacefulProtest);
    assert_eq!(protest.actors, ["Protesters"]);
    let clash = one("The Peshmerga clashed with ISIS militants");
    assert_eq!(clash.actors, ["Peshmerga", "Islamic State"]);
    assert_eq!((clash.fatalities, clash.date), (Some(6), day(2022, 3, 9)));
    let kidnapping = one("kidnapped two truffle hunters");
    assert_eq!(
        kidnapping.sub_event_type,
        SubEventType::AbductionForcedDisappearance
    );
    assert_eq!(
        (kidnapping.date, kidnapping.date_precision),
        (day(2022, 2, 28), DatePrecision::Week)
    );
    assert_eq!(x.store.incidents.len(), 8);
}

#[test]
fn background_grievances_and_manner_are_not_incidents_of_their_own() {
    let text = "Tensions in the north\n\n\
        Gunmen raided the village of Tal Abyad on Friday night, looting shops and setting \
        fire to a warehouse, residents said.\n\n\
        The next day, hundreds of residents marched in Raqqa to protest against the raid \
        and the shelling of their farms.\n\n\
        Last month, a roadside bomb killed four soldiers near Hasakah.\n\n\
        Since government forces retook Palmyra in 2017, the desert has seen frequent \
        ambushes.\n";
    let mut loaded = articles::parse_article("background", text.to_owned());
    loaded.article.published = Some(jiff::civil::date(2023, 6, 12));
    let x = extract(&[loaded], &bundled_places());
    let kinds: Vec<SubEventType> = x.store.incidents.iter().map(|i| i.sub_event_type).collect();
    assert_eq!(
        kinds
            .iter()
            .filter(|k| **k == SubEventType::LootingPropertyDestruction)
            .count(),
        1,
        "{}",
        describe(&x)
    );
    assert_eq!(
        kinds
            .iter()
            .filter(|k| **k == SubEventType::PeacefulProtest)
            .count(),
        1,
        "{}",
        describe(&x)
    );
    // Not the raid as a fight, not the shelling protested against, not last month's bomb,
    // not the recapture of 2017.
    assert_eq!(x.store.incidents.len(), 2, "{}", describe(&x));
    // "The next day": the day after the raid of Friday 9 June.
    let protest = x
        .store
        .incidents
        .iter()
        .find(|i| i.sub_event_type == SubEventType::PeacefulProtest)
        .expect("the protest");
    assert_eq!(protest.date, day(2023, 6, 10), "{}", describe(&x));
}

#[test]
fn later_strikes_take_the_day_of_the_fight_and_explosion_verbs_repeat_their_noun() {
    let text = "Clash and strike\n\n\
        Iraqi troops clashed with Islamic State militants near Tuz Khurmatu on Saturday, \
        killing four militants.\n\n\
        Iraqi jets later struck the militants' hideouts, killing six more, the military \
        said on Sunday.\n\n\
        Separately, a bomb planted under a car went off in Kirkuk on Sunday, wounding two \
        people.\n";
    let mut loaded = articles::parse_article("later", text.to_owned());
    loaded.article.published = Some(jiff::civil::date(2022, 5, 2));
    let x = extract(&[loaded], &bundled_places());
    let strike = x
        .store
        .incidents
        .iter()
        .find(|i| i.sub_event_type == SubEventType::AirDroneStrike)
        .expect("the strike");
    assert_eq!(
        (strike.date, strike.fatalities),
        (day(2022, 4, 30), Some(6)),
        "{}",
        describe(&x)
    );
    let bombs = x
        .store
        .incidents
        .iter()
        .filter(|i| i.sub_event_type == SubEventType::RemoteExplosiveLandmineIed)
        .count();
    assert_eq!(bombs, 1, "{}", describe(&x));
}

#[test]
fn tear_gas_and_detentions_at_a_protest_are_one_incident() {
    let text = "Protest dispersed\n\n\
        Police fired tear gas and detained 15 people on Monday as hundreds of nurses \
        protesting unpaid wages gathered in Kirkuk.\n";
    let mut loaded = articles::parse_article("protest", text.to_owned());
    loaded.article.published = Some(jiff::civil::date(2023, 6, 13));
    let x = extract(&[loaded], &bundled_places());
    assert_eq!(x.store.incidents.len(), 1, "{}", describe(&x));
    assert_eq!(
        x.store.incidents[0].sub_event_type,
        SubEventType::ProtestWithIntervention
    );
}

/// Round 5: tolls told in asides, coordinated victims, superseded figures and "killed in the
/// strikes" go to the one incident they belong to.
#[test]
fn tolls_in_asides_and_superseded_figures() {
    let extract_one = |text: &str, published: jiff::civil::Date| {
        let mut loaded = articles::parse_article("toll", text.to_owned());
        loaded.article.published = Some(published);
        extract(&[loaded], &bundled_places())
    };
    // A figure the story itself withdraws is not added to the new one.
    let x = extract_one(
        "Bomb in Kirkuk\n\n\
         A car bomb exploded near a market in Kirkuk on Tuesday evening, killing nine people, \
         police said on Wednesday.\n\n\
         Police had earlier put the toll at five dead.\n",
        jiff::civil::date(2020, 3, 4),
    );
    assert_eq!(x.store.incidents.len(), 1, "{}", describe(&x));
    assert_eq!(x.store.incidents[0].fatalities, Some(9), "{}", describe(&x));
    // "a woman and her two children": three dead.
    let x = extract_one(
        "Strike in Idlib\n\n\
         An air strike on a house in Idlib on Thursday killed a woman and her two children, \
         rescue workers said.\n",
        jiff::civil::date(2019, 5, 10),
    );
    assert_eq!(x.store.incidents.len(), 1, "{}", describe(&x));
    assert_eq!(x.store.incidents[0].fatalities, Some(3), "{}", describe(&x));
    // "16 people, including civilians, were killed in the strikes": the strikes' toll.
    let x = extract_one(
        "Strikes near the border\n\n\
         US warplanes struck weapons depots near the town of al-Qaim early on Friday, \
         officials said.\n\n\
         A spokesman said 16 people, including civilians, were killed in the strikes.\n",
        jiff::civil::date(2024, 2, 3),
    );
    assert_one(&x, SubEventType::AirDroneStrike, Some(16));
}

/// Round 5: inmates rioting with no protest told is mob violence, and the dead "in the
/// unrest" are the riot's.
#[test]
fn a_prison_riot_is_mob_violence_with_its_toll() {
    let text = "Riot at prison\n\n\
        NASIRIYAH, Iraq (AP) — Inmates at the central prison in Nasiriyah rioted on Thursday \
        evening, setting fire to blankets, officials said.\n\n\
        One inmate was killed and 11 guards were injured in the unrest, a health official \
        said.\n";
    let mut loaded = articles::parse_article("riot", text.to_owned());
    loaded.article.published = Some(jiff::civil::date(2019, 12, 13));
    let x = extract(&[loaded], &bundled_places());
    assert_one(&x, SubEventType::MobViolence, Some(1));
}

/// Round 5: "in Khurmala, southwest of Erbil", with Khurmala unknown, is placed off Erbil
/// on the stated side, not in the city.
#[test]
fn an_unknown_place_southwest_of_a_town_lies_off_it() {
    let text = "Rockets near Erbil\n\n\
        Two rockets landed near a gas facility in Khurmala, southwest of Erbil, on Monday, \
        causing no injuries.\n";
    let mut loaded = articles::parse_article("rockets", text.to_owned());
    loaded.article.published = Some(jiff::civil::date(2023, 11, 22));
    let x = extract(&[loaded], &bundled_places());
    assert_eq!(x.store.incidents.len(), 1, "{}", describe(&x));
    let at = &x.store.incidents[0].location;
    // Erbil city is near 36.19 N, 44.01 E: south and west of it.
    assert!(at.lat < 36.1 && at.lon < 43.9, "{}", describe(&x));
}

fn one_article(id: &str, text: &str, published: (i16, i8, i8)) -> Extraction {
    let mut loaded = articles::parse_article(id, text.to_owned());
    loaded.article.published = Some(jiff::civil::date(published.0, published.1, published.2));
    extract(&[loaded], &bundled_places())
}

/// Round 6: a story filed from Erbil that names Ankara but never Iraq is still about Iraq:
/// its Iraqi places are not namesakes to drop.
#[test]
fn a_datelines_country_is_one_the_story_is_about() {
    let x = one_article(
        "filed",
        "Drone hits car in Sulaimani province\n\n\
         ERBIL, Kurdistan Region — A drone hit a car in the Mawat sub-district on Monday \
         morning, killing two men, the mayor said.\n\n\
         Officials in Ankara did not comment on the strike.\n",
        (2024, 9, 10),
    );
    assert_eq!(x.store.incidents.len(), 1, "{}", describe(&x));
    let strike = &x.store.incidents[0];
    assert_eq!(
        strike.location.country.as_deref(),
        Some("IQ"),
        "{}",
        describe(&x)
    );
    assert_eq!(
        (strike.sub_event_type, strike.fatalities),
        (SubEventType::AirDroneStrike, Some(2)),
        "{}",
        describe(&x)
    );
}

/// Round 6: "the next day" inside a sentence dated only by when it was said, and "the same
/// day" after a break ("In a separate operation") count from the incident told before; a
/// cache found is disrupted weapons use, not an explosion.
#[test]
fn relative_days_anywhere_count_from_the_incident_told_before() {
    let x = one_article(
        "days",
        "Arrests after killing in Diyala\n\n\
         Gunmen shot dead a farmer in Khalis on Monday afternoon, police said.\n\n\
         Police arrested two suspects in Baqubah the next day, the provincial police said in \
         a statement on Thursday.\n\n\
         In a separate operation the same day, police found a cache of explosive devices in \
         Tarmiyah.\n",
        (2021, 10, 28),
    );
    let of_type = |t: SubEventType| {
        x.store
            .incidents
            .iter()
            .find(|i| i.sub_event_type == t)
            .unwrap_or_else(|| panic!("{t:?} in {}", describe(&x)))
    };
    assert_eq!(of_type(SubEventType::Attack).date, day(2021, 10, 25));
    assert_eq!(of_type(SubEventType::Arrests).date, day(2021, 10, 26));
    let cache = of_type(SubEventType::DisruptedWeaponsUse);
    assert_eq!(cache.date, day(2021, 10, 26), "{}", describe(&x));
    assert!(
        x.store
            .incidents
            .iter()
            .all(|i| i.sub_event_type != SubEventType::RemoteExplosiveLandmineIed),
        "{}",
        describe(&x)
    );
}

/// Round 6: "The previous day, …" counts back from the incident told; "warplanes also struck"
/// right after a dated incident happened that day.
#[test]
fn the_previous_day_and_also_date_from_the_incident_told() {
    let x = one_article(
        "previous",
        "Shelling in Idlib\n\n\
         Government forces shelled the town of Ariha on Sunday, killing a woman, rescuers \
         said.\n\n\
         Russian warplanes also struck the outskirts of Jisr al-Shughur, causing damage.\n\n\
         The previous day, a drone struck a car near Saraqib, wounding its driver.\n",
        (2021, 6, 7),
    );
    let strikes: Vec<_> = x
        .store
        .incidents
        .iter()
        .filter(|i| i.sub_event_type == SubEventType::AirDroneStrike)
        .map(|i| i.date)
        .collect();
    assert!(strikes.contains(&day(2021, 6, 6)), "{}", describe(&x));
    assert!(strikes.contains(&day(2021, 6, 5)), "{}", describe(&x));
}

/// Round 6: totals of a period ("have killed more than 130 civilians since 2015", "killed in
/// the protest movement … from October 2019") are no incident and lend no toll.
#[test]
fn totals_since_a_year_or_month_are_not_incidents() {
    let x = one_article(
        "totals",
        "Drone strike in Duhok\n\n\
         A drone struck a vehicle near Amadiya on Tuesday, killing three people, officials \
         said.\n\n\
         A rights group says such strikes have killed more than 130 civilians in the region \
         since 2015.\n\n\
         More than 550 people were killed in the protest movement that swept Baghdad and the \
         south from October 2019.\n",
        (2024, 9, 11),
    );
    assert_eq!(x.store.incidents.len(), 1, "{}", describe(&x));
    assert_eq!(x.store.incidents[0].fatalities, Some(3), "{}", describe(&x));
}

/// Round 6: protesters setting fire to offices riot: one violent demonstration carrying the
/// toll of the fire opened on them, not a peaceful protest beside property destruction.
#[test]
fn protesters_setting_fire_is_a_violent_demonstration() {
    let x = one_article(
        "arson",
        "Protester killed in Samawa\n\n\
         SAMAWA, Iraq — Protesters set fire to the offices of a political party in Samawa on \
         Friday, and police fired live rounds to disperse them, killing one demonstrator, \
         medics said.\n",
        (2020, 11, 28),
    );
    assert_eq!(x.store.incidents.len(), 1, "{}", describe(&x));
    let riot = &x.store.incidents[0];
    assert_eq!(
        (riot.sub_event_type, riot.fatalities),
        (SubEventType::ViolentDemonstration, Some(1)),
        "{}",
        describe(&x)
    );
}

/// Round 6: "air defences shot down most of the missiles" is the strike told, not a second
/// incident; "a dispute turned into an exchange of gunfire" is the clash its dead died in.
#[test]
fn interceptions_and_exchanges_of_gunfire_belong_to_their_event() {
    let x = one_article(
        "intercept",
        "Strikes near Damascus\n\n\
         DAMASCUS, Syria (AP) — Missiles struck positions near Kisweh, south of Damascus, \
         shortly after midnight on Sunday, killing two soldiers, state media said.\n\n\
         The agency said air defences shot down most of the missiles.\n",
        (2023, 6, 11),
    );
    assert_eq!(x.store.incidents.len(), 1, "{}", describe(&x));
    assert_eq!(x.store.incidents[0].fatalities, Some(2), "{}", describe(&x));

    let x = one_article(
        "clans",
        "Clan fight in Maysan\n\n\
         Two people were killed and five wounded when a quarrel between two clans over land \
         turned into an exchange of gunfire near Amara on Monday, police said.\n",
        (2022, 3, 9),
    );
    assert_one(&x, SubEventType::ArmedClash, Some(2));
}

/// Round 6: troops who entered a village and withdrew again raided it (the detentions are
/// the incident); gunmen who "seized two employees" abducted them; gunmen firing on "a man"
/// attacked a civilian; smugglers are counted among the dead.
#[test]
fn raids_seizures_of_people_and_victims_by_kind() {
    let x = one_article(
        "incursion",
        "Troops raid village\n\n\
         Troops entered the village of Rafid near Quneitra late on Monday, searched homes and \
         detained three men before withdrawing, residents said.\n",
        (2025, 4, 15),
    );
    let kinds: Vec<SubEventType> = x.store.incidents.iter().map(|i| i.sub_event_type).collect();
    assert_eq!(kinds, vec![SubEventType::Arrests], "{}", describe(&x));

    let x = one_article(
        "seized",
        "Aid workers taken\n\n\
         Gunmen seized two employees of an aid group at a checkpoint near Raqqa on Monday, \
         relatives said.\n",
        (2024, 3, 19),
    );
    let kinds: Vec<SubEventType> = x.store.incidents.iter().map(|i| i.sub_event_type).collect();
    assert_eq!(
        kinds,
        vec![SubEventType::AbductionForcedDisappearance],
        "{}",
        describe(&x)
    );

    let x = one_article(
        "shot",
        "Man shot dead\n\n\
         Gunmen on a motorcycle opened fire on Wednesday evening on a man who works for an \
         oil company in Hajin, killing him.\n",
        (2022, 11, 23),
    );
    let kinds: Vec<SubEventType> = x.store.incidents.iter().map(|i| i.sub_event_type).collect();
    assert_eq!(kinds, vec![SubEventType::Attack], "{}", describe(&x));

    let x = one_article(
        "smugglers",
        "Border clash\n\n\
         A border guard was killed in a firefight with smugglers near al-Tanf on Tuesday. \
         Two smugglers were killed, an officer said.\n",
        (2023, 12, 6),
    );
    assert_eq!(x.store.incidents.len(), 1, "{}", describe(&x));
    assert_eq!(x.store.incidents[0].fatalities, Some(3), "{}", describe(&x));
}

/// Round 6: a village unknown to the gazetteer told only as in "northern Hama province" lies
/// toward the north of the province, still coded to the province.
#[test]
fn a_place_in_one_side_of_a_province_lies_toward_that_side() {
    let x = one_article(
        "side",
        "Shelling in Hama\n\n\
         Government forces shelled the village of Zor Mahruqa in northern Hama province on \
         Sunday, killing two farmers, a monitor said.\n",
        (2019, 5, 6),
    );
    assert_eq!(x.store.incidents.len(), 1, "{}", describe(&x));
    let at = &x.store.incidents[0].location;
    // Hama province's point lies near 35.22 N: the incident is north of it, in the province.
    assert!(at.lat > 35.35, "{}", describe(&x));
    assert_eq!(at.admin1.as_deref(), Some("Hama"), "{}", describe(&x));
}

/// Round 6: "the town of Abu Qasaib, west of Raqqa", with the village unknown and Raqqa read
/// as its province, is placed off the province's point on the stated side.
#[test]
fn an_unknown_place_west_of_a_province_named_town_lies_off_it() {
    let x = one_article(
        "west",
        "Shepherd killed near Raqqa\n\n\
         RAQQA, Syria — Gunmen shot dead a shepherd in the village of Abu Qasaib, west of \
         Raqqa, on Monday, relatives said.\n\n\
         Killings have risen in the countryside of Raqqa this year.\n",
        (2024, 3, 19),
    );
    assert_eq!(x.store.incidents.len(), 1, "{}", describe(&x));
    // Raqqa city lies near 39.01 E and its province's point near 38.94 E: west of both.
    assert!(
        x.store.incidents[0].location.lon < 38.84,
        "{}",
        describe(&x)
    );
}

/// Round 7: a roundup's items labelled with a dash ("• Basra – …") are placed at the label;
/// a dateline in capitals ("BAGHDAD —") is no such label.
#[test]
fn a_roundup_label_before_a_dash_places_its_item() {
    let x = one_article(
        "brief",
        "Southern security brief\n\n\
         • Basra – Unknown men threw a hand grenade into a house on Thursday night, wounding \
         two children.\n\n\
         • Samawah – Security forces detained three men suspected of planting bombs.\n",
        (2021, 9, 24),
    );
    let names: Vec<&str> = x
        .store
        .incidents
        .iter()
        .map(|i| i.location.name.as_str())
        .collect();
    assert!(
        names.iter().any(|n| n.contains("Basra")),
        "{}",
        describe(&x)
    );
    assert!(
        names.iter().any(|n| n.contains("Samawah")),
        "{}",
        describe(&x)
    );

    let x = one_article(
        "dateline",
        "Fighters killed\n\n\
         BAGHDAD — Three fighters were killed on Wednesday when militants attacked their post \
         in Tarmiyah, north of the capital, an official said.\n",
        (2024, 1, 11),
    );
    assert_eq!(x.store.incidents.len(), 1, "{}", describe(&x));
    // Tarmiyah lies near 33.67 N, about 40 km north of Baghdad (33.31 N).
    assert!(
        x.store.incidents[0].location.lat > 33.55,
        "{}",
        describe(&x)
    );
}

/// Round 7: a bombing told with a toxic agent is a chemical weapon's use; an attack told
/// "separately" is another incident even where its kind and place would fit the one before;
/// a sexual assault is sexual violence, not a clash.
#[test]
fn chemical_weapons_separate_incidents_and_sexual_violence() {
    let x = one_article(
        "chlorine",
        "Chlorine attack reported\n\n\
         BEIRUT — Activists accused government forces on Tuesday of dropping barrel bombs \
         filled with chlorine gas on a town in Idlib province, leaving dozens struggling to \
         breathe.\n\n\
         Separately, government warplanes carried out air raids on the town of Kafr Nabl in \
         Idlib province on Tuesday, killing six civilians, a monitor said.\n",
        (2015, 3, 17),
    );
    let kinds: Vec<SubEventType> = x.store.incidents.iter().map(|i| i.sub_event_type).collect();
    assert!(
        kinds.contains(&SubEventType::ChemicalWeapon),
        "{}",
        describe(&x)
    );
    let raids = find(&x, SubEventType::AirDroneStrike, "Kafr Nabl");
    assert_eq!(raids.fatalities, Some(6), "{}", describe(&x));

    let x = one_article(
        "assault",
        "Abuse at checkpoint\n\n\
         Members of an armed faction sexually assaulted a woman at a checkpoint near Afrin \
         on Sunday, a monitor said.\n",
        (2021, 8, 10),
    );
    assert_eq!(x.store.incidents.len(), 1, "{}", describe(&x));
    assert_eq!(
        x.store.incidents[0].sub_event_type,
        SubEventType::SexualViolence,
        "{}",
        describe(&x)
    );
}

/// Round 7: what some events are, whoever tells them: an exchange of detainees is an
/// agreement; a town entered "without a fight" changed hands peacefully; a crowd storming a
/// police station is mob violence; missiles fired at camps are a missile attack; rebels who
/// take a town are a non-state actor overtaking territory.
#[test]
fn exchanges_handovers_crowds_missiles_and_rebel_gains() {
    let cases: [(&str, SubEventType); 5] = [
        (
            "The two sides exchanged 48 detainees on Thursday at a crossing near Tabqa.",
            SubEventType::Agreement,
        ),
        (
            "Government troops entered the city of Manbij on Monday without a fight.",
            SubEventType::NonViolentTransferOfTerritory,
        ),
        (
            "A crowd of relatives of a man who died in police custody stormed a police station \
             in Nasiriyah on Friday morning.",
            SubEventType::MobViolence,
        ),
        (
            "The Revolutionary Guards fired missiles at camps near Koya on Wednesday, killing \
             13 people.",
            SubEventType::ShellingArtilleryMissileAttack,
        ),
        (
            "Rebels took control of Maarat al-Numan on Saturday after government troops fell \
             back.",
            SubEventType::NonStateActorOvertakesTerritory,
        ),
    ];
    for (sentence, expected) in cases {
        let x = one_article("kind", &format!("Report\n\n{sentence}\n"), (2024, 11, 30));
        assert!(
            x.store
                .incidents
                .iter()
                .any(|i| i.sub_event_type == expected),
            "{expected}: {}",
            describe(&x)
        );
    }
}

/// Round 7: "hours earlier" counts back from the incident just told: the day before when
/// that one happened shortly after midnight, else the same day; "in the 24 hours before the
/// army entered it" is a span, not a time.
#[test]
fn hours_earlier_crosses_midnight_from_the_small_hours() {
    let x = one_article(
        "hours",
        "Checkpoint attacked\n\n\
         Gunmen attacked a checkpoint at the entrance of Diban shortly after midnight on \
         Saturday, killing two fighters, sources said.\n\n\
         Hours earlier, a roadside bomb exploded near a vehicle on the road to al-Busayrah, \
         wounding three fighters.\n",
        (2024, 8, 10),
    );
    let bomb = find(
        &x,
        SubEventType::RemoteExplosiveLandmineIed,
        "roadside bomb",
    );
    assert_eq!(bomb.date, day(2024, 8, 9), "{}", describe(&x));

    let x = one_article(
        "hours",
        "Checkpoint attacked\n\n\
         Gunmen attacked a checkpoint at the entrance of Diban on Saturday evening, killing \
         two fighters, sources said.\n\n\
         Hours earlier, a roadside bomb exploded near a vehicle on the road to al-Busayrah, \
         wounding three fighters.\n",
        (2024, 8, 10),
    );
    let bomb = find(
        &x,
        SubEventType::RemoteExplosiveLandmineIed,
        "roadside bomb",
    );
    assert_eq!(bomb.date, day(2024, 8, 10), "{}", describe(&x));
}

/// Round 7: a dateline abroad ("ANKARA (AA) –") over a lead about another country places
/// none of the story's events at the dateline.
#[test]
fn a_dateline_abroad_places_no_event_of_a_lead_elsewhere() {
    let x = one_article(
        "abroad",
        "Operation in northern Iraq\n\n\
         ANKARA (AA) – Turkish forces hit militant positions in northern Iraq, the ministry \
         said on Saturday.\n\n\
         A Turkish soldier was killed on Friday in a clash with militants in the operation \
         zone, the ministry said.\n",
        (2023, 6, 17),
    );
    assert!(
        x.store
            .incidents
            .iter()
            .all(|i| i.location.country.as_deref() != Some("TR")),
        "{}",
        describe(&x)
    );
}

/// Round 7: a liveblog's summary ("rescuers report four dead") and its entry ("killing four
/// civilians") tell the same dead: four, not eight.
#[test]
fn a_bare_figure_beside_figures_by_victim_is_the_same_dead() {
    let x = one_article(
        "live",
        "Live: strikes in Idlib\n\n\
         Warplanes struck Idlib city on Saturday morning; rescuers report four dead.\n\n\
         11:45 GMT — Warplanes bombed a market area in Idlib city on Saturday morning, killing \
         four civilians and wounding 15, rescuers said.\n",
        (2024, 11, 30),
    );
    assert_eq!(x.store.incidents.len(), 1, "{}", describe(&x));
    assert_eq!(x.store.incidents[0].fatalities, Some(4), "{}", describe(&x));
}

/// Round 7: "The exchange came a day after the two sides traded fire …": the fighting told
/// after "a day after" happened the day before the exchange.
#[test]
fn an_event_told_after_a_day_after_is_the_day_before() {
    let x = one_article(
        "swap",
        "Detainees swapped\n\n\
         The two sides exchanged 48 detainees on Thursday at a crossing near Tabqa.\n\n\
         The exchange came a day after the two sides traded fire near Deir Hafer, east of \
         Aleppo, in clashes that killed three soldiers.\n",
        (2020, 2, 20),
    );
    let clash = find(&x, SubEventType::ArmedClash, "traded fire");
    assert_eq!(clash.date, day(2020, 2, 19), "{}", describe(&x));
}

/// Round 8: "Rescuers pulled two of the dead from the rubble" names some of the dead already
/// counted: five, not seven.
#[test]
fn some_of_the_dead_are_not_more_dead() {
    let x = one_article(
        "rubble",
        "Shelling kills five\n\n\
         Artillery shelled a village in southern Idlib late on Tuesday, killing five \
         civilians, a rescue group said.\n\n\
         Rescuers pulled two of the dead from the rubble of a house.\n",
        (2021, 6, 9),
    );
    assert_eq!(x.store.incidents.len(), 1, "{}", describe(&x));
    assert_eq!(x.store.incidents[0].fatalities, Some(5), "{}", describe(&x));
}

/// Round 8: "Agencies have recorded a dozen deaths … since January" sums a period, even in a
/// sentence with no event verb: the toll of the story's blast stays three.
#[test]
fn a_figure_counted_since_a_month_is_no_toll() {
    let x = one_article(
        "remnants",
        "Old shell kills three boys\n\n\
         RAMADI, Iraq — Three boys were killed on Thursday when an old shell exploded on a \
         farm near Ramadi, police said.\n\n\
         Aid agencies have recorded a dozen child deaths from war remnants in the province \
         since January.\n",
        (2024, 1, 18),
    );
    assert_eq!(x.store.incidents.len(), 1, "{}", describe(&x));
    assert_eq!(x.store.incidents[0].fatalities, Some(3), "{}", describe(&x));
}

/// Round 8: "Hit" is a common English word; a bearing before it ("north of Hit") is evidence
/// that it names the town.
#[test]
fn a_bearing_before_a_common_word_makes_it_a_place() {
    let x = one_article(
        "bearing",
        "Shell kills shepherd\n\n\
         A shepherd was killed on Monday when a shell exploded in the desert north of Hit, \
         a police officer said.\n",
        (2024, 1, 16),
    );
    assert_eq!(x.store.incidents.len(), 1, "{}", describe(&x));
    assert_eq!(
        x.store.incidents[0].location.name,
        "Hīt",
        "{}",
        describe(&x)
    );
}

/// Round 8: a drone that fires a missile makes a drone strike; its dead, named by the body
/// they served ("members of the Internal Security Forces (Asayish)") and told a dozen words
/// before "when", are its toll, not a clash of their own.
#[test]
fn a_missile_fired_by_a_drone_is_a_drone_strike_with_its_toll() {
    let x = one_article(
        "drone",
        "Drone kills two\n\n\
         QAMISHLI, Syria — Two members of the Internal Security Forces (Asayish) were killed \
         and a third was wounded late on Tuesday when a drone fired a missile at their car \
         near Qamishli, a source said.\n",
        (2022, 9, 14),
    );
    assert_one(&x, SubEventType::AirDroneStrike, Some(2));
}

/// Round 8: "It was the second drone strike in the area this month" compares; it is no
/// incident of its own.
#[test]
fn an_event_counted_in_a_series_is_no_incident() {
    let x = one_article(
        "series",
        "Drone strike\n\n\
         QAMISHLI, Syria — A drone struck a car near Qamishli on Tuesday, killing two men.\n\n\
         It was the second drone strike in the Qamishli countryside this month.\n",
        (2022, 9, 14),
    );
    assert_one(&x, SubEventType::AirDroneStrike, Some(2));
}

/// Round 8: a sentence telling a toll's revisions ends on the one that stands ("raised the
/// toll to 18, but … gave a final figure of 16"), and the bodies it explains are within it.
#[test]
fn a_toll_revised_twice_keeps_the_final_figure() {
    let x = one_article(
        "revised",
        "Bomb kills 16\n\n\
         HILLA, Iraq — A car bomb exploded at a market in Hilla on Friday morning, killing 16 \
         people, the health ministry said.\n\n\
         Local officials later raised the toll to 18, but a ministry spokesman said two bodies \
         had been counted twice and gave a final figure of 16.\n",
        (2018, 4, 6),
    );
    assert_one(&x, SubEventType::RemoteExplosiveLandmineIed, Some(16));
}

/// Round 8: the attackers' claim ("claimed to have killed more than 20") yields to the
/// officials' figure, and the day the claim was made to the day of the ambush.
#[test]
fn a_claimed_toll_yields_to_another_account_and_the_day_said_to_the_days_own() {
    let x = one_article(
        "claim",
        "Ambush claimed\n\n\
         ERBIL, Kurdistan Region — The militant group said on Wednesday that its fighters had \
         ambushed an army patrol near Baiji late on Tuesday, and claimed to have killed more \
         than 20 soldiers.\n\n\
         Security officials said three soldiers were killed in the ambush.\n",
        (2021, 8, 18),
    );
    assert_one(&x, SubEventType::ArmedClash, Some(3));
    assert_eq!(
        x.store.incidents[0].date,
        day(2021, 8, 17),
        "{}",
        describe(&x)
    );
}

/// Round 8: "shot dead the head of the civil council" kills one civilian official: an
/// attack on a civilian with one dead, not a clash with no toll.
#[test]
fn the_holder_of_an_office_shot_dead_is_one_civilian() {
    let x = one_article(
        "council",
        "Council head killed\n\n\
         HAJIN, Syria — Two gunmen on a motorbike shot dead the head of the local council of \
         Hajin on Thursday as he walked home from the mosque.\n",
        (2020, 7, 23),
    );
    assert_one(&x, SubEventType::Attack, Some(1));
}

/// Round 8: protesters who storm a building and set fire to it are rioting (a violent
/// demonstration), however long the words between the crowd and its verb.
#[test]
fn protesters_who_storm_and_burn_are_a_violent_demonstration() {
    let x = one_article(
        "storm",
        "Power protest\n\n\
         DIWANIYAH, Iraq — Scores of protesters angry over power cuts that have left homes \
         without electricity for most of the day stormed the electricity directorate in \
         Diwaniyah on Monday night, setting fire to a generator room, police said.\n",
        (2023, 7, 25),
    );
    assert_one(&x, SubEventType::ViolentDemonstration, None);
}

/// Round 8: crops burnt by arsonists are property destroyed, and the crews who "fought the
/// flames" fought no battle.
#[test]
fn burnt_crops_are_property_destroyed_and_fighting_a_fire_is_no_clash() {
    let x = one_article(
        "crops",
        "Fields burnt\n\n\
         KIRKUK, Iraq — Fires set by unknown men destroyed about 200 dunams of wheat in a \
         village south of Kirkuk late on Wednesday, the mayor said.\n\n\
         Civil defence crews fought the flames for several hours.\n",
        (2022, 6, 2),
    );
    assert_one(&x, SubEventType::LootingPropertyDestruction, None);
}

/// Round 8: "the army said it had killed two militants in an air strike": the dead are the
/// strike's, not a killing merged into another incident of the story.
#[test]
fn an_active_killing_told_in_an_event_is_its_toll() {
    let x = one_article(
        "active",
        "Strike in the Hamrin\n\n\
         BAGHDAD — The army said on Friday it had killed two militants in an air strike in the \
         Hamrin mountains.\n",
        (2022, 5, 28),
    );
    assert_one(&x, SubEventType::AirDroneStrike, Some(2));
}

/// Round 8: "The shell was left over from the battles against Islamic State": the war that
/// left it is its origin, no clash told here.
#[test]
fn the_war_a_remnant_was_left_from_is_no_incident() {
    let x = one_article(
        "origin",
        "Old shell kills boy\n\n\
         RAMADI, Iraq — A boy was killed on Thursday when an old shell exploded on a farm near \
         Ramadi, police said.\n\n\
         Police believe the shell was left over from the battles against Islamic State, which \
         held the area until 2016.\n",
        (2024, 1, 18),
    );
    assert_one(&x, SubEventType::RemoteExplosiveLandmineIed, Some(1));
}
