//! The bad-input matrix: every kind of broken file an analyst may hand the program, each opened
//! beside good data the way the viewer opens files (`Workspace::open`). Each must be reported
//! with its file name and what is wrong, the good data must still load, and nothing may panic.

use std::path::{Path, PathBuf};

use incident_map::view::basemap::{Basemap, Theme, TileChoice};
use incident_map::workspace::{Source, Workspace};

fn bundled_store() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/incidents.json")
}

fn bundled_count() -> usize {
    incident_map::store::Store::load(&bundled_store())
        .expect("the bundled store loads")
        .incidents
        .len()
}

/// Opens the bundled store together with `bad`, as the viewer does when both are dropped on it.
fn open_beside_good_data(bad: &Path) -> Workspace {
    let sources = vec![Source::bundled(), Source::from_path(bad)];
    match Workspace::open(&sources, &|_, _| {}) {
        Ok(dataset) => dataset,
        Err(e) => panic!(
            "the good store should still load beside {}: {e}",
            bad.display()
        ),
    }
}

/// Asserts that a problem names `file` and says `what` (lower case) about it.
fn assert_reported(dataset: &Workspace, file: &str, what: &[&str]) {
    let problem = dataset
        .problems
        .iter()
        .map(ToString::to_string)
        .find(|p| p.contains(file))
        .unwrap_or_else(|| panic!("nothing said about {file}: {:?}", dataset.problems));
    let lower = problem.to_lowercase();
    assert!(
        what.iter().any(|w| lower.contains(w)),
        "{file}: {problem:?} does not say any of {what:?}"
    );
}

/// JSON nested far deeper than any real document.
fn deeply_nested() -> Vec<u8> {
    let depth = 100_000;
    let mut json =
        br#"{"schema": "incident-map/1", "articles": [], "incidents": [{"id": "#.to_vec();
    json.extend(std::iter::repeat_n(b'[', depth));
    json.extend(std::iter::repeat_n(b']', depth));
    json.extend(b"}]}");
    json
}

#[test]
fn broken_store_files_are_named_and_the_good_data_still_loads() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let good = std::fs::read(bundled_store()).expect("the bundled store");
    let truncated = good[..good.len() / 2].to_vec();
    let mut wrong_version = String::from_utf8(good.clone()).expect("UTF-8");
    wrong_version = wrong_version.replacen("incident-map/1", "incident-map/9", 1);
    let mut latin1 =
        b"{\"schema\": \"incident-map/1\", \"articles\": [], \"incidents\": [], \"x\": \"".to_vec();
    latin1.extend([0xE9, 0x74, 0xE9, b'"', b'}']);
    let mut fifty_mb = vec![b' '; 50 * 1024 * 1024];
    fifty_mb.extend(b"{\"schema\": ");

    let cases: Vec<(&str, Vec<u8>, &[&str])> = vec![
        ("empty.json", Vec::new(), &["empty"]),
        (
            "binary.json",
            b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0".to_vec(),
            &["binary", "line 1", "expected value"],
        ),
        ("latin1.json", latin1, &["utf-8"]),
        ("fifty-mb.json", fifty_mb, &["line 1", "eof"]),
        (
            "nested.json",
            deeply_nested(),
            &["line 1, column 66: invalid type"],
        ),
        (
            "version-9.json",
            wrong_version.into_bytes(),
            &["incident-map/9"],
        ),
        ("truncated.json", truncated, &["eof", "line"]),
        (
            "not-a-store.json",
            br#"{"type": "Topology", "objects": {}}"#.to_vec(),
            &["not an incident store", "geojson"],
        ),
    ];
    let expected = bundled_count();
    for (name, bytes, what) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, &bytes).expect("write a test file");
        let dataset = open_beside_good_data(&path);
        assert_eq!(dataset.store.incidents.len(), expected, "{name}");
        assert_reported(&dataset, name, what);
    }
}

#[test]
fn a_csv_with_ragged_and_bad_rows_loads_its_good_rows_and_names_the_bad_lines() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("ragged.csv");
    let csv = "\
event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,actor2,country,admin1,admin2,location,latitude,longitude,geo_precision,source,notes,fatalities
IRQ1,2022-01-21,2022,1,Battles,Armed clash,Islamic State (Iraq),Military Forces of Iraq,Iraq,Diyala,,Al-Azim,34.298,44.519,2,Rudaw,Barracks attacked,11
IRQ2,2022-01-22,2022,1,Battles
IRQ3,not a date,2022,1,Battles,Armed clash,Islamic State (Iraq),,Iraq,Diyala,,Al-Azim,34.298,44.519,2,Rudaw,,0
IRQ4,2022-01-23,2022,1,Battles,Armed clash,Islamic State (Iraq),,Iraq,Diyala,,Al-Azim,134.298,44.519,2,Rudaw,,0
SYR5,2022-01-20,2022,1,Battles,Armed clash,Islamic State (Syria),,Syria,Al-Hasakeh,,Ghuwayran,36.4722,40.7463,1,SOHR,Prison attacked,87
";
    std::fs::write(&path, csv).expect("write the CSV");
    let dataset = open_beside_good_data(&path);
    assert_eq!(dataset.store.incidents.len(), bundled_count() + 2);
    let problem = dataset
        .problems
        .iter()
        .map(ToString::to_string)
        .find(|p| p.contains("ragged.csv"))
        .unwrap_or_else(|| panic!("nothing said about ragged.csv: {:?}", dataset.problems));
    for line in ["line 3", "line 4", "line 5"] {
        assert!(problem.contains(line), "{problem:?} does not name {line}");
    }
}

#[test]
fn a_stray_quote_that_merges_rows_is_reported_with_the_lines_and_rows_it_swallowed() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let header = "event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,actor2,country,admin1,admin2,location,latitude,longitude,geo_precision,source,notes,fatalities";
    let row = |id: &str, source: &str| {
        format!(
            "{id},2022-01-21,2022,1,Battles,Armed clash,Islamic State (Iraq),,Iraq,Diyala,,Al-Azim,34.298,44.519,2,{source},Barracks attacked,1"
        )
    };
    // A quote opens the source cell of line 3 and closes in line 5: the three lines read as
    // one row of the right width, which loaded as one incident of garbage before.
    let closed_later = [
        header.to_owned(),
        row("IRQ1", "Rudaw"),
        row("IRQ2", "\"Rudaw"),
        row("IRQ3", "Rudaw"),
        row("IRQ4", "Rudaw\""),
        row("SYR5", "SOHR"),
    ]
    .join("\n")
        + "\n";
    // A quote never closed: the rest of the file is one cell.
    let never_closed = [
        header.to_owned(),
        row("IRQ1", "Rudaw"),
        row("IRQ2", "\"Rudaw"),
        row("IRQ3", "Rudaw"),
        row("IRQ4", "Rudaw"),
        row("SYR5", "SOHR"),
    ]
    .join("\n")
        + "\n";
    for (name, csv, loaded, lines, swallowed) in [
        (
            "closed-later.csv",
            closed_later,
            2,
            "lines 3–5",
            "swallowing 2 rows",
        ),
        (
            "never-closed.csv",
            never_closed,
            1,
            "lines 3–6",
            "swallowing 3 rows",
        ),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, csv).expect("write the CSV");
        let dataset = open_beside_good_data(&path);
        assert_eq!(
            dataset.store.incidents.len(),
            bundled_count() + loaded,
            "{name}"
        );
        let said: Vec<String> = dataset
            .problems
            .iter()
            .map(|p| format!("{p} {}", p.details.join(" ")))
            .collect();
        let problem = said
            .iter()
            .find(|p| p.contains(name))
            .unwrap_or_else(|| panic!("nothing said about {name}: {said:?}"));
        for part in ["line 3", lines, swallowed, "quote"] {
            assert!(
                problem.contains(part),
                "{name}: {problem:?} does not say {part:?}"
            );
        }
    }
}

#[test]
fn utf16_blank_and_oddly_named_data_files_get_clear_messages() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let csv = "\
event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,actor2,country,admin1,admin2,location,latitude,longitude,geo_precision,source,notes,fatalities
IRQ1,2022-01-21,2022,1,Battles,Armed clash,Islamic State (Iraq),,Iraq,Diyala,,Al-Azim,34.298,44.519,2,Rudaw,Barracks attacked,11
";
    // A spreadsheet's "Unicode text": UTF-16 with its byte-order mark. It loads.
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(csv.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let path = dir.path().join("unicode.csv");
    std::fs::write(&path, utf16).expect("write");
    let dataset = open_beside_good_data(&path);
    assert_eq!(dataset.store.incidents.len(), bundled_count() + 1);
    assert!(dataset.problems.is_empty(), "{:?}", dataset.problems);

    // Sixty-four megabytes of blanks: "empty", with the size, read in pieces.
    let path = dir.path().join("blank.json");
    std::fs::write(&path, vec![b' '; 64 * 1024 * 1024]).expect("write");
    let dataset = open_beside_good_data(&path);
    assert_reported(
        &dataset,
        "blank.json",
        &["empty (only blank space, 67,108,864 bytes)"],
    );

    // A name holding a terminal escape: escaped in the message.
    let name = "evil\u{1b}[2J.json";
    std::fs::write(dir.path().join(name), b"\x89PNG\r\n\x1a\n\0\0").expect("write");
    let dataset = open_beside_good_data(&dir.path().join(name));
    let said: Vec<String> = dataset.problems.iter().map(ToString::to_string).collect();
    assert!(
        said.iter().any(|p| p.contains("evil\\u{1b}[2J.json")),
        "{said:?}"
    );
    assert!(said.iter().all(|p| !p.contains('\u{1b}')), "{said:?}");
}

#[test]
fn ten_thousand_bad_rows_are_summarised_not_listed() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut csv = String::from(
        "event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,actor2,country,admin1,admin2,location,latitude,longitude,geo_precision,source,notes,fatalities\n",
    );
    for i in 0..10_000 {
        csv.push_str(&format!("BAD{i},not a date,2022,1,Battles,Armed clash,X,,Iraq,Diyala,,Al-Azim,34.2,44.5,2,Rudaw,,0\n"));
    }
    let path = dir.path().join("many.csv");
    std::fs::write(&path, csv).expect("write");
    let dataset = open_beside_good_data(&path);
    let problem = dataset
        .problems
        .iter()
        .find(|p| p.summary.contains("many.csv"))
        .expect("a problem about many.csv");
    // Counted by reason, with the first row named: not ten thousand lines.
    assert!(
        problem
            .summary
            .contains("10,000 skipped (10,000 date is not a date"),
        "{}",
        problem.summary
    );
    assert!(problem.summary.contains("line 2:"), "{}", problem.summary);
    assert!(!problem.summary.contains("line 3:"), "{}", problem.summary);
    assert!(problem.summary.len() < 1000, "{}", problem.summary);
}

#[test]
fn ingest_says_the_first_skipped_files_escaped_and_counts_the_rest() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let articles = dir.path().join("articles");
    std::fs::create_dir(&articles).expect("mkdir");
    std::fs::write(
        articles.join("good.txt"),
        "Gunmen attacked a checkpoint in Kirkuk on Monday, killing two police officers.",
    )
    .expect("write");
    for i in 0..50 {
        std::fs::write(
            articles.join(format!("bad\u{1b}[31m{i:02}.txt")),
            [0u8, 1, 2, 3],
        )
        .expect("write");
    }
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_incident-map"))
        .arg("ingest")
        .arg(&articles)
        .arg("-o")
        .arg(dir.path().join("out.json"))
        .output()
        .expect("run incident-map ingest");
    assert!(output.status.success(), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains('\u{1b}'), "{stderr}");
    let skipped = stderr
        .lines()
        .filter(|l| l.starts_with("incident-map: skipped "))
        .count();
    assert_eq!(skipped, 20, "{stderr}");
    assert!(stderr.contains("bad\\u{1b}[31m00.txt"), "{stderr}");
    assert!(stderr.contains("… and 30 more files skipped"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn a_folder_with_unreadable_and_broken_articles_loads_the_rest() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let articles = dir.path().join("articles");
    std::fs::create_dir(&articles).expect("mkdir");
    let good = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/articles/001_cd6de425e2b44c3d.txt");
    std::fs::copy(&good, articles.join("good.txt")).expect("copy an article");
    std::fs::write(articles.join("empty.txt"), b"").expect("write");
    std::fs::write(
        articles.join("binary.txt"),
        b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0",
    )
    .expect("write");
    std::fs::write(
        articles.join("latin1.txt"),
        b"Attaque \xe0 Hassak\xe9 \n\nTexte.",
    )
    .expect("write");
    let mut huge = b"Headline\n\n".to_vec();
    huge.resize(50 * 1024 * 1024, b'a');
    std::fs::write(articles.join("fifty-mb.txt"), huge).expect("write");
    std::os::unix::fs::symlink(dir.path().join("gone.txt"), articles.join("dangling.txt"))
        .expect("symlink");
    // A pipe waits for ever for a writer; a link to the folder itself loops.
    let fifo = articles.join("pipe.txt");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    std::os::unix::fs::symlink(&articles, articles.join("loop")).expect("symlink");
    std::fs::write(articles.join("manifest.toml"), "[articles.good\ntitle = 1").expect("write");

    let dataset = match Workspace::open(&[Source::from_path(&articles)], &|_, _| {}) {
        Ok(dataset) => dataset,
        Err(e) => panic!("the good article should load: {e}"),
    };
    assert!(
        !dataset.store.incidents.is_empty(),
        "{:?}",
        dataset.problems
    );
    assert_eq!(
        dataset.store.articles.len(),
        1,
        "{:?}",
        dataset.store.articles
    );
    assert_reported(&dataset, "empty.txt", &["empty"]);
    assert_reported(&dataset, "binary.txt", &["binary"]);
    assert_reported(&dataset, "latin1.txt", &["utf-8"]);
    assert_reported(&dataset, "fifty-mb.txt", &["limit"]);
    assert_reported(&dataset, "dangling.txt", &["cannot read"]);
    assert_reported(&dataset, "manifest.toml", &["line 1"]);
    if made.is_ok_and(|s| s.success()) {
        assert_reported(&dataset, "pipe.txt", &["not a regular file"]);
    }
}

#[test]
fn truncated_and_corrupt_tile_archives_fall_back_to_the_built_in_map_with_the_reason() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let archive = std::fs::read(incident_map::view::basemap::built_in_path()).expect("basemap");
    let mut corrupt = archive.clone();
    // The metadata's offset pointing far past the end.
    corrupt[24..32].copy_from_slice(&u64::MAX.to_le_bytes());
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("truncated.pmtiles", archive[..archive.len() / 3].to_vec(), "truncated"),
        ("corrupt.pmtiles", corrupt, "corrupt"),
        ("empty.pmtiles", Vec::new(), "too short"),
        ("photo.pmtiles", b"\xff\xd8\xff\xe0 JFIF not tiles at all, just bytes and more bytes, long enough to hold a header of one hundred and twenty-seven bytes............".to_vec(), "not a pmtiles archive"),
    ];
    let ctx = egui::Context::default();
    for (name, bytes, what) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, &bytes).expect("write a test archive");
        let basemap = Basemap::open(TileChoice::File(path.clone()), Theme::Light, &ctx);
        assert_eq!(basemap.choice, TileChoice::BuiltIn, "{name}");
        let problem = basemap.problem.clone().unwrap_or_default();
        assert!(problem.contains(name), "{name}: {problem:?}");
        assert!(problem.to_lowercase().contains(what), "{name}: {problem:?}");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn pipes_and_endless_devices_are_refused_without_waiting_or_reading_for_ever() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let articles = dir.path().join("articles");
    std::fs::create_dir(&articles).expect("mkdir");
    std::fs::write(
        articles.join("good.txt"),
        "Clashes in Kirkuk\n\nKIRKUK - Two soldiers were killed in clashes with gunmen in Kirkuk on Monday.\n",
    )
    .expect("write");
    // A pipe in the manifest's place, and a link to a device that never ends as an article.
    let made = std::process::Command::new("mkfifo")
        .arg(articles.join("manifest.toml"))
        .status()
        .is_ok_and(|s| s.success());
    std::os::unix::fs::symlink("/dev/zero", articles.join("zero.txt")).expect("symlink");
    let workspace = match Workspace::open(&[Source::from_path(&articles)], &|_, _| {}) {
        Ok(workspace) => workspace,
        Err(e) => panic!("the good article should load: {e}"),
    };
    assert_eq!(workspace.store.articles.len(), 1);
    assert_reported(&workspace, "zero.txt", &["not a regular file"]);
    if made {
        assert_reported(&workspace, "manifest.toml", &["not a regular file"]);
    }

    // The same device as a data file, and a pipe as a tile archive.
    let zero = dir.path().join("zero.json");
    std::os::unix::fs::symlink("/dev/zero", &zero).expect("symlink");
    let workspace = open_beside_good_data(&zero);
    assert_eq!(workspace.store.incidents.len(), bundled_count());
    assert_reported(&workspace, "zero.json", &["not a regular file"]);
    let pipe = dir.path().join("tiles.pmtiles");
    if std::process::Command::new("mkfifo")
        .arg(&pipe)
        .status()
        .is_ok_and(|s| s.success())
    {
        let ctx = egui::Context::default();
        let basemap = Basemap::open(TileChoice::File(pipe), Theme::Light, &ctx);
        assert_eq!(basemap.choice, TileChoice::BuiltIn);
        let problem = basemap.problem.unwrap_or_default();
        assert!(problem.contains("not a regular file"), "{problem}");
    }
}
