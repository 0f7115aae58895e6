//! Articles in from where analysts find them: saved web pages, URLs fetched from a local
//! HTTP server on 127.0.0.1 (pages, redirects, a 50 MB body, a server that never answers, a
//! page in windows-1256, a body that is not a page), added to a workspace from the command
//! line and from the viewer's "New article" window.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use egui::{Event, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use incident_map::app::{Startup, ViewerApp};
use incident_map::articles::web::{self, FetchError, Limits};
use incident_map::articles::{self, page};
use incident_map::workspace::{Source, Workspace};
use serde_json::Value;

fn pages_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pages")
}

/// A small HTTP/1.1 server on 127.0.0.1, one thread per connection, for as long as the test
/// runs. Returns its base URL.
fn serve() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a local port");
    let base = format!("http://{}", listener.local_addr().expect("an address"));
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || answer(stream));
        }
    });
    base
}

fn answer(mut stream: TcpStream) {
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    });
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    let mut headers = Vec::new();
    loop {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(0) | Err(_) => return,
            Ok(_) if header.trim().is_empty() => break,
            Ok(_) => headers.push(header.trim().to_ascii_lowercase()),
        }
    }
    let path = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .to_owned();
    let here = stream
        .local_addr()
        .map(|a| format!("http://{a}"))
        .unwrap_or_default();
    let respond = |stream: &mut TcpStream, status: &str, headers: &str, body: &[u8]| {
        let head = format!(
            "HTTP/1.1 {status}\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        let _ = stream.write_all(head.as_bytes());
        let _ = stream.write_all(body);
    };
    match path.as_str() {
        "/story" => {
            let body = std::fs::read(pages_dir().join("wire_story.html")).unwrap_or_default();
            respond(
                &mut stream,
                "200 OK",
                "Content-Type: text/html; charset=utf-8\r\n",
                &body,
            );
        }
        "/moved" => respond(&mut stream, "301 Moved Permanently", "Location: /story\r\n", b""),
        "/loop" => respond(&mut stream, "302 Found", "Location: /loop\r\n", b""),
        "/to-file" => respond(
            &mut stream,
            "302 Found",
            "Location: file:///etc/passwd\r\n",
            b"",
        ),
        "/huge" => {
            // Says its size: refused before the body is read.
            let head = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 52428800\r\nConnection: close\r\n\r\n";
            let _ = stream.write_all(head.as_bytes());
            let chunk = vec![b'a'; 64 * 1024];
            for _ in 0..800 {
                if stream.write_all(&chunk).is_err() {
                    return;
                }
            }
        }
        "/huge-unsized" => {
            // Does not say its size: read no further than the limit.
            let head = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n";
            let _ = stream.write_all(head.as_bytes());
            let chunk = vec![b'a'; 64 * 1024];
            for _ in 0..800 {
                if stream.write_all(&chunk).is_err() {
                    return;
                }
            }
        }
        "/silent" => std::thread::sleep(Duration::from_secs(30)),
        "/arabic" => {
            let text = "<html><head><title>هجوم على نقطة تفتيش</title></head><body><article><p>بغداد — قتل أربعة جنود في هجوم مسلح على نقطة تفتيش للجيش في قضاء الطارمية شمالي بغداد مساء الثلاثاء، وأصيب ثلاثة آخرون، بحسب مصادر أمنية.</p><p>وقالت المصادر إن المهاجمين انسحبوا باتجاه البساتين القريبة من نهر دجلة قبل وصول التعزيزات إلى المكان.</p></article></body></html>";
            let (bytes, _, _) = encoding_rs::WINDOWS_1256.encode(text);
            respond(
                &mut stream,
                "200 OK",
                "Content-Type: text/html; charset=windows-1256\r\n",
                &bytes,
            );
        }
        "/report.pdf" => {
            let body = std::fs::read(pages_dir().join("monthly_report.pdf")).unwrap_or_default();
            respond(&mut stream, "200 OK", "Content-Type: application/pdf\r\n", &body);
        }
        "/broken.pdf" => respond(
            &mut stream,
            "200 OK",
            "Content-Type: application/pdf\r\n",
            b"%PDF-1.4\n%binary",
        ),
        "/photo.jpg" => respond(
            &mut stream,
            "200 OK",
            "Content-Type: image/jpeg\r\n",
            b"\xff\xd8\xff\xe0",
        ),
        "/plain" => respond(
            &mut stream,
            "200 OK",
            "Content-Type: text/plain; charset=utf-8\r\n",
            b"Mortar fire hits village\n\nDUHOK - Mortar rounds landed near a village in Amedi district on Monday, wounding two farmers, officials said.\n",
        ),
        "/feed.xml" => {
            if headers.iter().any(|h| h == "if-none-match: \"v1\"") {
                respond(&mut stream, "304 Not Modified", "ETag: \"v1\"\r\n", b"");
            } else {
                respond(
                    &mut stream,
                    "200 OK",
                    "Content-Type: application/rss+xml\r\nETag: \"v1\"\r\n",
                    FEED.replace("LINK", &here).as_bytes(),
                );
            }
        }
        _ => respond(&mut stream, "404 Not Found", "Content-Type: text/plain\r\n", b"no"),
    }
}

/// An outlet's RSS feed: two stories, one of them listed twice, an item with no link, and one
/// whose link is a photo.
const FEED: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel>
<title>Tigris Wire: Iraq</title><link>https://tigriswire.example/iraq</link>
<description>Latest from Iraq</description>
<item><title>Four soldiers killed in attack on checkpoint north of Baghdad</title>
  <link>LINK/story</link><guid isPermaLink="false">tw-1001</guid>
  <pubDate>Wed, 02 Apr 2025 04:40:00 GMT</pubDate></item>
<item><title>Mortar fire hits village</title><link>LINK/plain</link><guid>tw-1002</guid></item>
<item><title>Mortar fire hits village (repeated)</title><link>LINK/plain</link><guid>tw-1002-b</guid></item>
<item><title>Item with no link</title><guid>tw-1003</guid></item>
<item><title>Photo of the day</title><link>LINK/photo.jpg</link><guid>tw-1004</guid></item>
</channel></rss>"#;

fn quick() -> Limits {
    Limits {
        timeout: Duration::from_secs(3),
        connect_timeout: Duration::from_secs(2),
        ..Limits::default()
    }
}

#[test]
fn saved_pages_give_their_story_and_metadata_without_menus_captions_or_teasers() {
    let wire = articles::load_file(&pages_dir().join("wire_story.html")).expect("a story");
    let article = &wire.article;
    assert_eq!(article.id, "wire_story");
    assert_eq!(
        article.title.as_deref(),
        Some("Four soldiers killed in attack on checkpoint north of Baghdad")
    );
    assert_eq!(article.publisher.as_deref(), Some("Tigris Wire"));
    assert_eq!(article.published, Some(jiff::civil::date(2025, 4, 2)));
    assert_eq!(
        article.url.as_deref(),
        Some("https://tigriswire.example/iraq/2025/04/02/tarmiyah-checkpoint-attack")
    );
    let text = &article.text;
    assert!(text.contains("Gunmen attacked an army checkpoint in Tarmiyah"));
    assert!(text.contains("began a search operation"));
    for chrome in [
        "Business",
        "Most read",
        "All rights reserved",
        "Privacy policy",
        "Sign up",
        "analytics",
    ] {
        assert!(!text.contains(chrome), "{chrome:?} kept in: {text}");
    }
    // A caption is shown but is not story; the related-links box is gone (or not story).
    let caption = text
        .find("near Rutba in 2019")
        .expect("the caption is shown");
    assert!(
        wire.is_boilerplate(caption),
        "the caption read as story: {text}"
    );
    if let Some(at) = text.find("Car bomb kills six") {
        assert!(wire.is_boilerplate(at), "a teaser read as story: {text}");
    }

    // A PDF report saved to disk: its text, with the page each part is on.
    let report = articles::load_file(&pages_dir().join("monthly_report.pdf")).expect("a report");
    let text = &report.article.text;
    assert!(text.starts_with("[Page 1]"), "{text}");
    let at = text
        .find("near Khanaqin in Diyala")
        .expect("page two's text");
    assert_eq!(articles::pdf::page_at(text, at), Some(2));

    let regional = articles::load_file(&pages_dir().join("regional_story.htm")).expect("a story");
    let article = &regional.article;
    assert_eq!(
        article.title.as_deref(),
        Some("Drone strike kills two men near Qamishli")
    );
    assert_eq!(article.publisher.as_deref(), Some("Khabur Post"));
    assert_eq!(article.published, Some(jiff::civil::date(2024, 11, 20)));
    assert_eq!(
        article.url.as_deref(),
        Some("https://khaburpost.example/en/2024/11/drone-strike-qamishli/")
    );
    let text = &article.text;
    assert!(text.contains("a drone struck their car"));
    for chrome in ["Leave a Reply", "Latest news", "Interviews", "Telegram"] {
        assert!(!text.contains(chrome), "{chrome:?} kept in: {text}");
    }
    for aside in [
        "Shelling hits villages west of Amuda",
        "killed five people in 2021",
    ] {
        let at = text.find(aside).expect("shown");
        assert!(
            regional.is_boilerplate(at),
            "{aside:?} read as story: {text}"
        );
    }
}

#[test]
fn every_kind_of_server_gives_its_article_or_a_clear_error() {
    let base = serve();
    let limits = quick();

    // A redirect is followed; the article keeps the page's own canonical address.
    let fetched = web::fetch(&format!("{base}/moved"), &limits, None).expect("fetched");
    assert_eq!(fetched.url, format!("{base}/story"));
    let story = web::fetch_article(&format!("{base}/moved"), "story", &limits).expect("an article");
    assert_eq!(
        story.article.url.as_deref(),
        Some("https://tigriswire.example/iraq/2025/04/02/tarmiyah-checkpoint-attack")
    );

    let arabic = web::fetch_article(&format!("{base}/arabic"), "ar", &limits).expect("decoded");
    assert!(
        arabic.article.text.contains("نقطة تفتيش"),
        "{}",
        arabic.article.text
    );
    assert_eq!(
        arabic.article.url.as_deref(),
        Some(&*format!("{base}/arabic"))
    );

    let plain = web::fetch_article(&format!("{base}/plain"), "plain", &limits).expect("text");
    assert!(plain.article.text.contains("Amedi district"));

    let error = |path: &str| match web::fetch_article(&format!("{base}{path}"), "x", &limits) {
        Ok(_) => panic!("{path} gave an article"),
        Err(e) => e,
    };
    assert!(matches!(
        error("/loop"),
        FetchError::TooManyRedirects { .. }
    ));
    let to_file = error("/to-file");
    assert!(
        matches!(to_file, FetchError::RedirectNotWeb { .. }),
        "{to_file}"
    );
    assert!(matches!(error("/huge"), FetchError::TooLarge { .. }));
    assert!(matches!(
        error("/huge-unsized"),
        FetchError::TooLarge { .. }
    ));
    let photo = error("/photo.jpg");
    assert!(matches!(photo, FetchError::NotText { .. }), "{photo}");
    assert!(photo.to_string().contains("image/jpeg"));
    let broken = error("/broken.pdf");
    assert!(matches!(broken, FetchError::Pdf { .. }), "{broken}");

    // A PDF report: its text layer, each page marked so evidence can cite it.
    let report =
        web::fetch_article(&format!("{base}/report.pdf"), "report", &limits).expect("a report");
    let text = &report.article.text;
    let at = text
        .find("gunmen attacked a police patrol")
        .expect("page two's text");
    assert_eq!(articles::pdf::page_at(text, at), Some(2));
    assert!(report.is_boilerplate(text.find("[Page 2]").expect("a page line")));
    assert!(matches!(
        error("/nothing"),
        FetchError::Status { status: 404, .. }
    ));

    let started = Instant::now();
    let silent = error("/silent");
    assert!(matches!(silent, FetchError::TimedOut { .. }), "{silent}");
    assert!(started.elapsed() < Duration::from_secs(10));

    // Nothing listening: said as a connection failure, with the address.
    let closed = TcpListener::bind("127.0.0.1:0").expect("a port");
    let port = closed.local_addr().expect("address").port();
    drop(closed);
    let offline = web::fetch_article(&format!("http://127.0.0.1:{port}/"), "x", &limits)
        .expect_err("no server");
    assert!(matches!(offline, FetchError::Offline { .. }), "{offline}");
    assert!(offline.to_string().contains(&format!("127.0.0.1:{port}")));
}

fn incident_map(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_incident-map"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn lines(text: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(text)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

#[test]
fn a_url_added_from_the_command_line_is_kept_through_a_reingest() {
    let base = serve();
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("web.gpkg");
    let file_arg = file.to_str().expect("UTF-8 path");
    let created = incident_map(&["workspace", "new", file_arg]);
    assert!(created.status.success());

    let story = format!("{base}/story");
    let photo = format!("{base}/photo.jpg");
    let added = incident_map(&["workspace", "add", file_arg, &story, &photo]);
    let stderr = String::from_utf8_lossy(&added.stderr);
    assert!(added.status.success(), "{stderr}");
    assert!(
        stderr.contains("photo.jpg") && stderr.contains("not a web page"),
        "{stderr}"
    );

    let check = |when: &str| {
        let listed = incident_map(&["workspace", "list", file_arg]);
        let incidents = lines(&listed.stdout);
        assert!(!incidents.is_empty(), "{when}: no incident from the page");
        // The checkpoint attack, placed near Tarmiyah with its toll; no incident from the
        // caption (nine killed, 2019) or the teaser (six killed).
        assert!(
            incidents
                .iter()
                .any(|i| i["fatalities"] == 4 && i["place"].as_str().is_some()),
            "{when}: {incidents:?}"
        );
        for toll in [6, 9] {
            assert!(
                incidents.iter().all(|i| i["fatalities"] != toll),
                "{when}: an incident from a caption or teaser: {incidents:?}"
            );
        }
    };
    check("after adding");
    let reingested = incident_map(&["workspace", "reingest", file_arg]);
    assert!(
        reingested.status.success(),
        "{}",
        String::from_utf8_lossy(&reingested.stderr)
    );
    check("after a re-ingest");

    // A saved PDF report goes in as an article (not as an incident file).
    let report = pages_dir().join("monthly_report.pdf");
    let added = incident_map(&[
        "workspace",
        "add",
        file_arg,
        report.to_str().expect("UTF-8"),
    ]);
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let incidents = lines(&incident_map(&["workspace", "list", file_arg]).stdout);
    assert!(
        incidents
            .iter()
            .any(|i| i["date"] == "2025-03-14" && i["articles"][0] == "monthly_report"),
        "{incidents:?}"
    );

    let workspace = Workspace::open(&[Source::from_path(file.clone())], &|_, _| {})
        .expect("the workspace opens");
    let article = workspace
        .store
        .articles
        .iter()
        .find(|a| a.url.is_some())
        .expect("the fetched article");
    assert_eq!(
        article.url.as_deref(),
        Some("https://tigriswire.example/iraq/2025/04/02/tarmiyah-checkpoint-attack")
    );
    assert!(page::is_web_url(article.url.as_deref().unwrap_or_default()));

    // A URL that fails alone fails the command, and says why.
    let refused = incident_map(&["workspace", "add", file_arg, &format!("{base}/loop")]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("redirects"));
}

// The viewer.

fn viewer_on(file: &Path) -> Harness<'static, ViewerApp> {
    let file = file.to_owned();
    let mut harness = Harness::builder()
        .with_size([1440.0, 900.0])
        .with_max_steps(400)
        .wgpu()
        .build_eframe(move |cc| {
            ViewerApp::new(
                cc,
                Startup {
                    sources: vec![Source::from_path(file.clone())],
                    tiles: None,
                    fresh: true,
                    window_above: None,
                },
            )
        });
    settle(&mut harness);
    harness
}

fn settle(harness: &mut Harness<'_, ViewerApp>) {
    for _ in 0..500 {
        harness.step();
        if !harness.state().busy() && harness.run_ok().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    harness.run_steps(3);
}

#[test]
fn an_analyst_pastes_an_article_and_adds_one_from_a_url_in_the_viewer() {
    let base = serve();
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("desk.gpkg");
    let mut workspace = Workspace::open(&[Source::bundled()], &|_, _| {}).expect("bundled");
    workspace.save_as(&file).expect("saved");
    let before = workspace.store.incidents.len();
    drop(workspace);
    let mut harness = viewer_on(&file);

    // Ctrl+N: the text field takes the paste; title and date are read from it.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::N);
    harness.run_steps(3);
    harness.event(Event::Paste(
        "Roadside bomb kills three soldiers near Tuz Khurmatu\nMarch 3, 2025\n\nKIRKUK — A roadside bomb struck an army vehicle near Tuz Khurmatu on Monday, killing three soldiers and wounding two, a security source said.\n"
            .to_owned(),
    ));
    harness.run_steps(3);
    assert!(
        harness
            .query_all_by_value("Roadside bomb kills three soldiers near Tuz Khurmatu")
            .next()
            .is_some(),
        "the title is filled in from the text"
    );
    assert!(harness.query_all_by_value("2025-03-03").next().is_some());
    harness.get_by_label("Add article").click();
    settle(&mut harness);
    let app = harness.state();
    let pasted = app
        .store()
        .articles
        .iter()
        .find(|a| a.id.starts_with("pasted-"))
        .expect("the pasted article");
    assert_eq!(pasted.published, Some(jiff::civil::date(2025, 3, 3)));
    let selected = app.selected().expect("its incident is selected");
    let incident = &app.store().incidents[selected];
    assert_eq!(incident.sources[0].article, pasted.id);
    assert_eq!(incident.fatalities, Some(3));
    assert!(app.store().incidents.len() > before);
    assert!(
        app.visible().contains(&selected),
        "the new incident is shown on the map and in the list"
    );

    // File → Add article from URL…: fetched in the background, then shown with its link.
    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness.get_by_label("Add article from URL…").click();
    harness.run_steps(3);
    harness.event(Event::Text(format!("{base}/story")));
    harness.run_steps(2);
    harness.key_press(Key::Enter);
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline
        && !harness
            .state()
            .store()
            .articles
            .iter()
            .any(|a| a.url.as_deref().is_some_and(|u| u.contains("tigriswire")))
    {
        harness.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    settle(&mut harness);
    let app = harness.state();
    let fetched = app
        .store()
        .articles
        .iter()
        .find(|a| a.url.as_deref().is_some_and(|u| u.contains("tigriswire")))
        .expect("the fetched article");
    let selected = app.selected().expect("its incident is selected");
    assert_eq!(
        app.store().incidents[selected].sources[0].article,
        fetched.id
    );
    harness.get_by_label("Open in browser");

    // Follow a feed, then File → Update feeds: its new items come in, the count is said.
    let articles_before = harness.state().store().articles.len();
    harness.key_press_modifiers(Modifiers::COMMAND, Key::N);
    harness.run_steps(2);
    harness.get_by_label("Follow a feed").click();
    harness.run_steps(3);
    harness.event(Event::Text(format!("{base}/feed.xml")));
    harness.run_steps(2);
    harness.get_by_label("Follow").click();
    harness.run_steps(3);
    harness.get_by_label("File").click();
    harness.run_steps(2);
    harness.get_by_label("Update feeds").click();
    harness.run_steps(2);
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline && harness.state().busy() {
        harness.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    settle(&mut harness);
    let app = harness.state();
    // The feed's story page was added above by URL: only the plain-text item is new.
    assert_eq!(app.store().articles.len(), articles_before + 1);
    assert!(
        app.problems()
            .iter()
            .any(|p| p.starts_with("Feeds updated: 1 new article")),
        "{:?}",
        app.problems()
    );

    // Both are kept in the workspace file.
    drop(harness);
    let reopened =
        Workspace::open(&[Source::from_path(file.clone())], &|_, _| {}).expect("reopened");
    assert!(
        reopened
            .store
            .articles
            .iter()
            .any(|a| a.id.starts_with("pasted-"))
    );
    assert!(reopened.store.articles.iter().any(|a| a.url.is_some()));
}

#[test]
fn a_followed_feed_brings_its_new_items_once_and_asks_only_for_changes() {
    let base = serve();
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("feeds.gpkg");
    let file_arg = file.to_str().expect("UTF-8 path");
    assert!(
        incident_map(&["workspace", "new", file_arg])
            .status
            .success()
    );
    let feed = format!("{base}/feed.xml");
    let not_a_feed = format!("{base}/story");
    for url in [&feed, &not_a_feed] {
        let added = incident_map(&["workspace", "feeds", "add", file_arg, url]);
        assert!(added.status.success());
    }
    let twice = incident_map(&["workspace", "feeds", "add", file_arg, &feed]);
    assert!(!twice.status.success(), "following a feed twice is said");
    let no_web = incident_map(&["workspace", "feeds", "add", file_arg, "file:///etc/passwd"]);
    assert!(!no_web.status.success());

    let first = incident_map(&["workspace", "update", file_arg]);
    let stderr = String::from_utf8_lossy(&first.stderr);
    assert!(first.status.success(), "{stderr}");
    let summary = lines(&first.stdout).pop().expect("a summary line");
    assert_eq!(summary["new_articles"], 2, "{summary} {stderr}");
    assert!(summary["new_incidents"].as_u64() >= Some(2), "{summary}");
    // Each bad part is said, and the rest went in.
    assert!(stderr.contains("no web link"), "{stderr}");
    assert!(stderr.contains("photo.jpg"), "{stderr}");
    assert!(stderr.contains("not a feed"), "{stderr}");

    // The feed answers "not modified" to its ETag; nothing is fetched or added twice.
    let second = incident_map(&["workspace", "update", file_arg]);
    let summary = lines(&second.stdout).pop().expect("a summary line");
    assert_eq!(summary["new_articles"], 0, "{summary}");
    assert_eq!(summary["new_incidents"], 0, "{summary}");
    assert_eq!(summary["unchanged"], 1, "{summary}");

    let listed = lines(&incident_map(&["workspace", "feeds", "list", file_arg]).stdout);
    assert_eq!(listed[0]["title"], "Tigris Wire: Iraq");
    let workspace = Workspace::open(&[Source::from_path(file.clone())], &|_, _| {})
        .expect("the workspace opens");
    assert_eq!(workspace.store.articles.len(), 2);
}

#[test]
fn snapshot_new_article_window() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("desk.gpkg");
    let mut workspace = Workspace::open(&[Source::bundled()], &|_, _| {}).expect("bundled");
    workspace.save_as(&file).expect("saved");
    drop(workspace);
    let mut harness = viewer_on(&file);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::N);
    harness.run_steps(3);
    harness.event(Event::Paste(
        "Roadside bomb kills three soldiers near Tuz Khurmatu\nMarch 3, 2025\n\nKIRKUK — A roadside bomb struck an army vehicle near Tuz Khurmatu on Monday, killing three soldiers and wounding two, a security source said.\n"
            .to_owned(),
    ));
    settle(&mut harness);
    harness.remove_cursor();
    harness.run_steps(2);
    let options = egui_kittest::SnapshotOptions::new()
        .threshold(1.0)
        .max_failed_pixels(60);
    harness.snapshot_options("new_article", &options);
}

#[test]
fn the_evidence_of_a_pdf_report_cites_its_page() {
    let mut harness = viewer_on(&pages_dir().join("monthly_report.pdf"));
    assert_eq!(harness.state().store().articles.len(), 1);
    harness.key_press(Key::J);
    harness.run_steps(3);
    assert!(harness.state().selected().is_some());
    harness.get_by_label_contains("Evidence (page 2): “");
}
