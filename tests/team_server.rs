//! The team workspace on a real PostgreSQL + PostGIS server (a throwaway cluster per test):
//! a file workspace copied up and back, two analysts editing the same incident, a third
//! hearing the edit, a read-only role, SQL and quotes in every text, credentials kept out of
//! everything written, and a server killed in the middle of a transaction.

mod support;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use incident_map::store::Status;
use incident_map::workspace::corrections::{Change, Patch};
use incident_map::workspace::desk::Target;
use incident_map::workspace::{Source, Workspace};
use support::postgres::Cluster;

fn incident_map(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_incident-map"))
        .args(args)
        .env_remove("PGPASSWORD")
        .output()
        .expect("the binary runs")
}

fn ok(args: &[&str]) -> String {
    let out = incident_map(args);
    assert!(
        out.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn bundled_store() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data/incidents.json")
        .display()
        .to_string()
}

fn open(url: &str) -> Workspace {
    Workspace::open_saved(&Source::from_path(url)).expect("the server workspace opens")
}

/// A cluster with a database `desk` holding a workspace over the bundled incidents, and two
/// analysts' roles allowed to correct it.
fn desk() -> (Cluster, String) {
    let cluster = Cluster::start();
    cluster.database("desk");
    let admin = cluster.url("im_admin", "admin-pw", "desk");
    ok(&["workspace", "new", &admin, &bundled_store()]);
    for analyst in ["ana", "bo", "cy"] {
        cluster.role(analyst, &format!("{analyst}-pw"));
        ok(&["workspace", "grant", &admin, analyst]);
    }
    (cluster, admin)
}

fn index_of(workspace: &Workspace, id: &str) -> usize {
    workspace
        .store
        .incidents
        .iter()
        .position(|i| i.id == id)
        .expect("the incident is there")
}

#[test]
fn a_file_workspace_copied_to_the_server_and_back_keeps_incidents_corrections_and_authors() {
    let cluster = Cluster::start();
    cluster.database("team");
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("desk.gpkg");
    let file = file.to_str().expect("UTF-8 path");
    ok(&["workspace", "new", file, &bundled_store()]);
    let listed = ok(&["workspace", "list", file]);
    let first: serde_json::Value =
        serde_json::from_str(listed.lines().next().expect("an incident")).expect("JSON");
    let id = first["id"].as_str().expect("an id").to_owned();
    ok(&["workspace", "reject", file, &id, "--reason", "told twice"]);

    let url = cluster.url("im_admin", "admin-pw", "team");
    let copied = ok(&["workspace", "copy", file, &url]);
    assert!(copied.contains("\"corrections\":1"), "{copied}");
    assert!(
        !copied.contains("admin-pw"),
        "the password is never printed: {copied}"
    );

    // The layer is PostGIS points in WGS 84 with a spatial index; the rejected incident is
    // there, marked.
    let mut admin = cluster.admin("team");
    let row = admin
        .query_one(
            "SELECT count(*), min(ST_SRID(geom)), bool_and(ST_GeometryType(geom) = 'ST_Point')
             FROM incidents",
            &[],
        )
        .expect("the layer");
    let file_workspace = Workspace::open_file(Path::new(file)).expect("file opens");
    assert_eq!(
        row.get::<_, i64>(0) as usize,
        file_workspace.store.incidents.len()
    );
    assert_eq!(row.get::<_, i32>(1), 4326);
    assert!(row.get::<_, bool>(2));
    let gist: i64 = admin
        .query_one(
            "SELECT count(*) FROM pg_indexes WHERE tablename = 'incidents'
             AND indexdef LIKE '%USING gist (geom)%'",
            &[],
        )
        .expect("indexes")
        .get(0);
    assert_eq!(gist, 1);
    let status: String = admin
        .query_one(
            "SELECT status FROM incidents WHERE incident_id = $1",
            &[&id],
        )
        .expect("the rejected incident")
        .get(0);
    assert_eq!(status, "rejected");
    // The author of the copied correction is kept, not replaced by the database role.
    let author: String = admin
        .query_one("SELECT author FROM incident_map_corrections", &[])
        .expect("the correction")
        .get(0);
    assert_eq!(author, file_workspace.corrections()[0].author);

    // And back to a new file: the same incidents, the same correction.
    let back = dir.path().join("back.gpkg");
    let back = back.to_str().expect("UTF-8 path");
    ok(&["workspace", "copy", &url, back]);
    let returned = Workspace::open_file(Path::new(back)).expect("the copy opens");
    assert_eq!(returned.store.incidents, file_workspace.store.incidents);
    assert_eq!(returned.corrections().len(), 1);

    // export and render read the server workspace like a file.
    let geojson = dir.path().join("out.geojson");
    ok(&[
        "export",
        "--data",
        &url,
        "--format",
        "geojson",
        "-o",
        geojson.to_str().expect("UTF-8"),
    ]);
    let exported = std::fs::read_to_string(&geojson).expect("the export");
    assert!(exported.contains("\"type\":\"FeatureCollection\"") || exported.contains("Feature"));
    assert!(!exported.contains("admin-pw"));
}

#[test]
fn two_analysts_edit_one_incident_the_later_is_refused_and_a_third_hears_the_first() {
    let (cluster, _admin) = desk();
    let mut ana = open(&cluster.url("ana", "ana-pw", "desk"));
    let mut bo = open(&cluster.url("bo", "bo-pw", "desk"));
    let cy = open(&cluster.url("cy", "cy-pw", "desk"));
    let mut listening = cy.listen().expect("a server workspace").expect("listens");
    let mut cy = cy;
    let id = ana.store.incidents[0].id.clone();
    let other = ana.store.incidents[1].id.clone();

    ana.correct(
        Target::Incident(index_of(&ana, &id)),
        Change::Reject {
            reason: "a duplicate".to_owned(),
        },
        None,
    )
    .expect("ana's rejection is saved");

    // Bo still sees the incident as it was and edits it: refused, and told whose change won.
    let patch = Patch {
        fatalities: Some(Some(99)),
        ..Patch::default()
    };
    let refused = bo
        .correct(
            Target::Incident(index_of(&bo, &id)),
            Change::Edit { patch },
            None,
        )
        .expect_err("a stale edit is refused");
    assert!(refused.contains("ana"), "{refused}");
    assert!(refused.contains("rejected: a duplicate"), "{refused}");
    // Bo's workspace now shows ana's change, and nothing of bo's.
    let seen = &bo.store.incidents[index_of(&bo, &id)];
    assert_eq!(seen.review.status(), Status::Rejected);
    assert_ne!(seen.fatalities, Some(99));

    // An edit of another incident goes through over ana's change, recorded as bo's.
    let patch = Patch {
        summary: Some("checked against the wire copy".to_owned()),
        ..Patch::default()
    };
    bo.correct(
        Target::Incident(index_of(&bo, &other)),
        Change::Edit { patch },
        None,
    )
    .expect("bo's edit of another incident is saved");
    assert_eq!(bo.corrections().len(), 2);
    assert_eq!(bo.corrections()[0].author, "ana");
    assert_eq!(bo.corrections()[1].author, "bo");

    // Cy hears the changes within two seconds and takes them in.
    assert!(
        listening
            .wait(Duration::from_secs(2))
            .expect("the listener waits"),
        "a change was announced"
    );
    assert!(cy.refresh().expect("cy takes in the news"));
    assert_eq!(
        cy.store.incidents[index_of(&cy, &id)].review.status(),
        Status::Rejected
    );
    assert_eq!(
        cy.store.incidents[index_of(&cy, &other)].summary,
        "checked against the wire copy"
    );
    // Nothing new: nothing to take in.
    assert!(!cy.refresh().expect("no news"));
}

#[test]
fn a_read_only_role_views_and_exports_but_the_server_refuses_its_edits() {
    let (cluster, admin) = desk();
    cluster.role("viewer", "viewer-pw");
    ok(&["workspace", "grant", &admin, "viewer", "--read-only"]);
    let url = cluster.url("viewer", "viewer-pw", "desk");
    let mut viewer = open(&url);
    assert!(viewer.read_only());
    assert!(!viewer.store.incidents.is_empty());
    let error = viewer
        .correct(Target::Incident(0), Change::Reviewed, None)
        .expect_err("a read-only role cannot correct");
    assert!(
        error.contains("may read this workspace but not change it"),
        "{error}"
    );
    // The server itself refuses, whatever the program does.
    let mut raw = postgres::Client::connect(&url, postgres::NoTls).expect("viewer connects");
    let denied = raw
        .execute("DELETE FROM incidents", &[])
        .expect_err("no write grant");
    assert_eq!(
        denied.code(),
        Some(&postgres::error::SqlState::INSUFFICIENT_PRIVILEGE)
    );
    let listed = ok(&["workspace", "list", &url]);
    assert_eq!(listed.lines().count(), viewer.store.incidents.len());
    let refused = incident_map(&["workspace", "review", &url, &viewer.store.incidents[0].id]);
    assert!(!refused.status.success());
    assert!(!String::from_utf8_lossy(&refused.stderr).contains("viewer-pw"));
}

#[test]
fn quotes_and_sql_in_texts_and_names_are_only_data() {
    let (cluster, admin) = desk();
    let hostile = "'); DROP TABLE incidents; -- \"quoted\" \\ back\\slash $1 $$";
    let mut ana = open(&cluster.url("ana", "ana-pw", "desk"));
    let id = ana.store.incidents[0].id.clone();
    ana.correct(
        Target::Incident(0),
        Change::Reject {
            reason: hostile.to_owned(),
        },
        Some(hostile.to_owned()),
    )
    .expect("saved");
    let patch = Patch {
        summary: Some(hostile.to_owned()),
        actors: Some(vec![hostile.to_owned(), "O'Brien's \"unit\"".to_owned()]),
        ..Patch::default()
    };
    let other = ana.store.incidents[1].id.clone();
    ana.correct(
        Target::Incident(index_of(&ana, &other)),
        Change::Edit { patch },
        None,
    )
    .expect("saved");
    // A role whose name is made of quotes is granted through the server's own quoting.
    let odd = "o'brien\"; DROP ROLE im_admin; --";
    cluster.role(odd, "odd-pw");
    ok(&["workspace", "grant", &admin, odd, "--read-only"]);

    let again = open(&admin);
    let rejected = &again.store.incidents[index_of(&again, &id)];
    assert_eq!(rejected.review.rejected.as_deref(), Some(hostile));
    let edited = &again.store.incidents[index_of(&again, &other)];
    assert_eq!(edited.summary, hostile);
    assert_eq!(edited.actors[1], "O'Brien's \"unit\"");
    let mut raw = cluster.admin("desk");
    let summary: String = raw
        .query_one(
            "SELECT summary FROM incidents WHERE incident_id = $1",
            &[&other],
        )
        .expect("the layer row")
        .get(0);
    assert_eq!(summary, hostile);
    let roles: i64 = raw
        .query_one(
            "SELECT count(*) FROM pg_roles WHERE rolname IN ('im_admin', $1)",
            &[&odd],
        )
        .expect("roles")
        .get(0);
    assert_eq!(
        roles, 2,
        "both roles are there: nothing was run from a name"
    );
}

#[test]
fn credentials_come_from_the_environment_and_are_never_written() {
    let (cluster, _admin) = desk();
    // The password from PGPASSWORD, the rest from the URL.
    let bare = format!(
        "postgres://ana@127.0.0.1:{}/desk?sslmode=disable",
        cluster.port
    );
    let out = Command::new(env!("CARGO_BIN_EXE_incident-map"))
        .args(["workspace", "list", &bare])
        .env("PGPASSWORD", "ana-pw")
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A wrong password is an error that names the server but not the password.
    let wrong = cluster.url("ana", "not-the-pw", "desk");
    let out = incident_map(&["workspace", "list", &wrong]);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("127.0.0.1"), "{said}");
    assert!(!said.contains("not-the-pw"), "{said}");
    // Nothing stored in the database holds a password.
    let mut raw = cluster.admin("desk");
    for row in raw
        .query(
            "SELECT table_name, column_name FROM information_schema.columns
             WHERE table_schema = 'public' AND table_name LIKE 'incident%'
             AND data_type = 'text'",
            &[],
        )
        .expect("columns")
    {
        let (table, column): (String, String) = (row.get(0), row.get(1));
        let statement = format!("SELECT count(*) FROM \"{table}\" WHERE \"{column}\" LIKE '%-pw%'");
        let found: i64 = raw.query_one(&statement, &[]).expect("scan").get(0);
        assert_eq!(found, 0, "{table}.{column} holds a password");
    }
    // sslmode is honoured: this throwaway server speaks no TLS, so `require` cannot connect.
    let tls = format!(
        "postgres://ana:ana-pw@127.0.0.1:{}/desk?sslmode=require",
        cluster.port
    );
    let out = incident_map(&["workspace", "list", &tls]);
    assert!(!out.status.success(), "sslmode=require without TLS refused");
}

#[test]
fn a_server_killed_mid_transaction_keeps_nothing_half_written_and_the_client_reconnects() {
    let (cluster, admin) = desk();
    let mut ana = open(&cluster.url("ana", "ana-pw", "desk"));
    let before: i64 = cluster
        .admin("desk")
        .query_one("SELECT count(*) FROM incidents", &[])
        .expect("count")
        .get(0);

    // A transaction that has written but not committed when the server dies.
    {
        let mut raw = cluster.admin("desk");
        let mut tx = raw.transaction().expect("begins");
        tx.execute("DELETE FROM incidents", &[]).expect("deletes");
        tx.execute(
            "INSERT INTO incident_map_corrections
                 (article, span_start, span_end, span_text, incident_id, kind, body, changed)
             VALUES ('a', 0, 1, 'x', 'y', 'reviewed', '\"Reviewed\"', 999)",
            &[],
        )
        .expect("inserts");
        cluster.kill_server();
        assert!(tx.commit().is_err(), "the commit cannot reach the server");
    }
    cluster.start_server();
    let mut raw = cluster.admin("desk");
    let after: i64 = raw
        .query_one("SELECT count(*) FROM incidents", &[])
        .expect("count")
        .get(0);
    assert_eq!(after, before, "the uncommitted delete left no trace");
    let corrections: i64 = raw
        .query_one("SELECT count(*) FROM incident_map_corrections", &[])
        .expect("count")
        .get(0);
    assert_eq!(corrections, 0);

    // Ana's connection died with the server: her next edit connects again and is saved.
    ana.correct(Target::Incident(0), Change::Reviewed, None)
        .expect("saved after reconnecting");

    // An edit made while the server is down waits for it to come back, within a few seconds.
    cluster.kill_server();
    let restart = std::thread::scope(|scope| {
        let restarting = scope.spawn(|| {
            std::thread::sleep(Duration::from_millis(800));
            cluster.start_server();
        });
        let saved = ana.correct(Target::Incident(1), Change::Reviewed, None);
        let _ = restarting.join();
        saved
    });
    restart.expect("the edit in flight is saved once the server is back");
    let reopened = open(&admin);
    assert_eq!(reopened.corrections().len(), 2);
    assert_eq!(
        reopened
            .store
            .incidents
            .iter()
            .filter(|i| i.review.status() == Status::Reviewed)
            .count(),
        2
    );
}

// The viewer on a server workspace.

fn viewer_on(url: &str) -> egui_kittest::Harness<'static, incident_map::app::ViewerApp> {
    let source = Source::from_path(url);
    let mut harness = egui_kittest::Harness::builder()
        .with_size([1440.0, 900.0])
        .with_max_steps(400)
        .wgpu()
        .build_eframe(move |cc| {
            incident_map::app::ViewerApp::new(
                cc,
                incident_map::app::Startup {
                    sources: vec![source.clone()],
                    tiles: None,
                    fresh: true,
                    window_above: None,
                },
            )
        });
    for _ in 0..500 {
        harness.step();
        if !harness.state().busy() && !harness.state().store().incidents.is_empty() {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    harness.run_steps(3);
    harness
}

#[test]
fn an_open_viewer_takes_in_another_analysts_edit_and_a_read_only_viewer_cannot_edit() {
    use egui_kittest::kittest::Queryable;
    let (cluster, admin) = desk();
    let mut harness = viewer_on(&cluster.url("ana", "ana-pw", "desk"));
    assert!(
        harness.state().workspace().server_url().is_some(),
        "{:?}",
        harness.state().problems()
    );
    let id = harness.state().store().incidents[2].id.clone();
    let mut bo = open(&cluster.url("bo", "bo-pw", "desk"));
    bo.correct(
        Target::Incident(index_of(&bo, &id)),
        Change::Reject {
            reason: "not an attack".to_owned(),
        },
        None,
    )
    .expect("bo's rejection is saved");
    // The viewer hears of it and shows it without being asked (a generous bound: the
    // listener wakes every half second).
    let start = std::time::Instant::now();
    let status = |harness: &egui_kittest::Harness<'_, incident_map::app::ViewerApp>| {
        let store = harness.state().store();
        store
            .incidents
            .iter()
            .find(|i| i.id == id)
            .map(|i| i.review.status())
    };
    while status(&harness) != Some(Status::Rejected) {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "the viewer never showed bo's change"
        );
        harness.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(harness);

    // A read-only role: the viewer opens, and a correction is refused with the reason.
    cluster.role("viewer", "viewer-pw");
    ok(&["workspace", "grant", &admin, "viewer", "--read-only"]);
    let mut harness = viewer_on(&cluster.url("viewer", "viewer-pw", "desk"));
    assert!(harness.state().workspace().read_only());
    harness.key_press(egui::Key::J);
    harness.run_steps(3);
    assert!(harness.state().selected().is_some());
    harness.get_by_label("Mark reviewed").click();
    harness.run_steps(3);
    assert!(
        harness
            .state()
            .problems()
            .iter()
            .any(|p| p.contains("may view and export this workspace, not change it")),
        "{:?}",
        harness.state().problems()
    );
    let reviewed = harness
        .state()
        .store()
        .incidents
        .iter()
        .filter(|i| i.review.status() == Status::Reviewed)
        .count();
    assert_eq!(reviewed, 0);
}

#[test]
fn a_view_window_lists_its_incidents_or_cells_the_database_counts() {
    use incident_map::workspace::server::{ServerUrl, WindowAnswer, WindowQuery, WorkspaceServer};
    let (cluster, admin) = desk();
    let workspace = open(&admin);
    let server = WorkspaceServer::open(&ServerUrl::new(&admin)).expect("opens");
    // Reject one, which no view shows.
    let mut ana = open(&cluster.url("ana", "ana-pw", "desk"));
    ana.correct(
        Target::Incident(0),
        Change::Reject {
            reason: "a duplicate".to_owned(),
        },
        None,
    )
    .expect("saved");
    let region = WindowQuery {
        bbox: [35.0, 29.0, 49.0, 38.0],
        from: None,
        to: None,
        event_types: Vec::new(),
        actor: None,
        text: None,
        publisher: None,
        limit: 10_000,
        cell_deg: 0.5,
    };
    let in_region = workspace
        .store
        .incidents
        .iter()
        .filter(|i| {
            let l = &i.location;
            (35.0..=49.0).contains(&l.lon) && (29.0..=38.0).contains(&l.lat)
        })
        .count();
    let WindowAnswer::Incidents(listed) = server.window(&region).expect("the window") else {
        panic!("few enough to list");
    };
    assert_eq!(listed.len(), in_region - 1, "all but the rejected one");
    let known = &workspace.store.incidents[5];
    let same = listed
        .iter()
        .find(|i| i.id == known.id)
        .expect("an incident of the window");
    assert_eq!(
        (
            same.date,
            same.sub_event_type,
            same.fatalities,
            &same.location.name
        ),
        (
            known.date,
            known.sub_event_type,
            known.fatalities,
            &known.location.name
        )
    );
    // Over the limit: cells, whose counts add up to the same incidents.
    let cells = server
        .window(&WindowQuery {
            limit: 2,
            ..region.clone()
        })
        .expect("the window");
    let WindowAnswer::Cells(cells) = cells else {
        panic!("too many to list");
    };
    assert!(cells.len() > 1);
    assert_eq!(
        cells.iter().map(|c| c.count).sum::<i64>() as usize,
        in_region - 1
    );
    // Dates and types filter in the database.
    let dated = server
        .window(&WindowQuery {
            from: Some(jiff::civil::date(2022, 1, 20)),
            to: Some(jiff::civil::date(2022, 1, 21)),
            event_types: vec!["Battles".to_owned()],
            ..region.clone()
        })
        .expect("the window");
    let WindowAnswer::Incidents(dated) = dated else {
        panic!("few enough to list");
    };
    assert!(dated.iter().all(|i| {
        i.event_type.as_str() == "Battles"
            && i.date.is_some_and(|d| {
                d >= jiff::civil::date(2022, 1, 20) && d <= jiff::civil::date(2022, 1, 21)
            })
    }));
    // So do an actor, words and a publisher: the same incidents as the filter over the whole
    // store picks (less the rejected one).
    use incident_map::workspace::filter::Filter;
    let actor = workspace.store.incidents[3].actors[0].clone();
    let publisher = workspace
        .store
        .articles
        .iter()
        .find_map(|a| a.publishers().next().map(str::to_owned))
        .expect("a publisher");
    for filter in [
        Filter {
            actor: Some(actor.clone()),
            ..Filter::default()
        },
        Filter {
            text: "GHUWAYRAN".to_owned(),
            ..Filter::default()
        },
        Filter {
            publisher: Some(publisher.clone()),
            ..Filter::default()
        },
    ] {
        let WindowAnswer::Incidents(listed) = server
            .window(&WindowQuery {
                actor: filter.actor.clone(),
                text: Some(filter.text.clone()).filter(|t| !t.is_empty()),
                publisher: filter.publisher.clone(),
                ..region.clone()
            })
            .expect("the window")
        else {
            panic!("few enough to list");
        };
        let mut got: Vec<String> = listed.into_iter().map(|i| i.id).collect();
        let mut want: Vec<String> = workspace
            .store
            .incidents
            .iter()
            .skip(1)
            .filter(|i| filter.matches(i, &workspace.store))
            .map(|i| i.id.clone())
            .collect();
        got.sort();
        want.sort();
        assert!(!want.is_empty(), "{filter:?} picks some");
        assert_eq!(got, want, "{filter:?}");
    }
}

#[test]
fn the_server_benchmark_loads_by_copy_and_times_the_views() {
    let cluster = Cluster::start();
    cluster.database("bench");
    let url = cluster.url("im_admin", "admin-pw", "bench");
    let out = ok(&[
        "bench",
        "server",
        &url,
        "--synthetic",
        "3000",
        "--chunk",
        "1000",
        "--runs",
        "1",
    ]);
    let report: serde_json::Value =
        serde_json::from_str(out.lines().last().expect("a line")).expect("JSON");
    assert_eq!(report["incidents"], 3000);
    let views = report["views"].as_array().expect("views");
    assert_eq!(views.len(), 4);
    // The whole world holds every dated and undated incident: counted by cells or listed.
    assert_eq!(views[0]["incidents"], 3000);
    // The viewer's frames over the same workspace read window by window.
    let out = ok(&["bench", "frames", "--data", &url, "--frames", "30"]);
    let report: serde_json::Value =
        serde_json::from_str(out.lines().last().expect("a line")).expect("JSON");
    assert_eq!(report["incidents"], 3000);
    assert!(
        report["first_window_ms"]
            .as_f64()
            .is_some_and(|ms| ms > 0.0)
    );
    assert!(
        report["frame_ms_median"]
            .as_f64()
            .is_some_and(|ms| ms > 0.0)
    );
}

#[test]
fn sslmode_is_honoured_against_a_server_that_speaks_tls() {
    let (cluster, ca) = Cluster::start_tls();
    cluster.database("desk");
    let other_ca =
        support::postgres::certificate_authority(ca.parent().expect("the CA's folder"), "other-ca");
    let url = |host: &str, mode: &str, root: Option<&Path>| {
        let mut url = format!(
            "postgres://im_admin:admin-pw@{host}:{}/desk?sslmode={mode}",
            cluster.port
        );
        if let Some(root) = root {
            url.push_str(&format!("&sslrootcert={}", root.display()));
        }
        url
    };
    let new = |url: &str| incident_map(&["workspace", "new", url]);
    let list = |url: &str| incident_map(&["workspace", "list", url]);
    // require: encrypted, the certificate not checked.
    let made = new(&url("127.0.0.1", "require", None));
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    // verify-ca: the chain must lead to the root given, the name is not compared.
    assert!(
        list(&url("127.0.0.1", "verify-ca", Some(&ca)))
            .status
            .success()
    );
    let wrong_root = list(&url("127.0.0.1", "verify-ca", Some(&other_ca)));
    assert!(
        !wrong_root.status.success(),
        "an unknown authority is refused"
    );
    let said = String::from_utf8_lossy(&wrong_root.stderr);
    assert!(said.contains("certificate"), "{said}");
    // verify-full: also the host name; the certificate names localhost, not 127.0.0.1.
    let wrong_name = list(&url("127.0.0.1", "verify-full", Some(&ca)));
    assert!(
        !wrong_name.status.success(),
        "a name the certificate lacks is refused"
    );
    let said = String::from_utf8_lossy(&wrong_name.stderr);
    assert!(said.contains("certificate"), "{said}");
    let right = list(&url("localhost", "verify-full", Some(&ca)));
    assert!(
        right.status.success(),
        "{}",
        String::from_utf8_lossy(&right.stderr)
    );
    // The sessions really are encrypted: prefer and require both use TLS when offered.
    use incident_map::workspace::server::connect::{ProcessEnvironment, Target};
    for mode in ["prefer", "require"] {
        let target = Target::resolve(
            &incident_map::workspace::server::ServerUrl::new(&url("127.0.0.1", mode, None)),
            &ProcessEnvironment,
        )
        .expect("the URL reads");
        let mut client = target.connect().expect("connects");
        let ssl: bool = client
            .query_one(
                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
                &[],
            )
            .expect("pg_stat_ssl")
            .get(0);
        assert!(ssl, "sslmode={mode} encrypts");
    }
}

#[test]
fn a_workspace_too_large_to_hold_is_read_window_by_window() {
    use egui_kittest::kittest::{NodeT, Queryable};
    let cluster = Cluster::start();
    cluster.database("big");
    let url = cluster.url("im_admin", "admin-pw", "big");
    ok(&[
        "bench",
        "server",
        &url,
        "--synthetic",
        "30000",
        "--chunk",
        "30000",
        "--runs",
        "1",
    ]);
    let source = Source::from_path(url.as_str());
    let mut harness = egui_kittest::Harness::builder()
        .with_size([1440.0, 900.0])
        .with_max_steps(400)
        .wgpu()
        .build_eframe(move |cc| {
            incident_map::app::ViewerApp::new(
                cc,
                incident_map::app::Startup {
                    sources: vec![source.clone()],
                    tiles: None,
                    fresh: true,
                    window_above: Some(10_000),
                },
            )
        });
    let wait_for_answer =
        |harness: &mut egui_kittest::Harness<'_, incident_map::app::ViewerApp>| {
            for _ in 0..500 {
                harness.step();
                let app = harness.state();
                if !app.busy()
                    && (!app.window_cells().is_empty() || !app.store().incidents.is_empty())
                {
                    break;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            harness.run_steps(3);
        };
    wait_for_answer(&mut harness);
    assert_eq!(harness.state().workspace().windowed(), Some(30_000));
    // The whole region holds more than the map lists: the server's cells count them all.
    let cells = harness.state().window_cells();
    assert!(!cells.is_empty(), "{:?}", harness.state().problems());
    assert!(harness.state().store().incidents.is_empty());
    let counted: i64 = cells.iter().map(|c| c.count).sum();
    assert!(counted > 20_000 && counted <= 30_000, "{counted}");
    assert!(harness.query_all_by_label_contains("Area of").count() > 1);
    // The header says how many the workspace holds, not "0 of 0 shown".
    harness.get_by_label("30,000 in the workspace, read by window");
    // The notice names the throwaway server's port, which differs each run: dismissed before
    // the picture is compared.
    harness.get_by_label("×").click();
    harness.run_steps(3);
    harness.snapshot("server_window_cells");

    // Clicking the busiest cell zooms in until the window's incidents are listed.
    for _ in 0..6 {
        if harness.state().window_cells().is_empty() {
            break;
        }
        // The busiest of the cells on screen (the window read is wider than the map).
        // (well inside the map: not under the legend, the zoom buttons or the edges)
        let busiest = harness
            .query_all_by_label_contains("Area of")
            .filter(|node| {
                let at = node.rect().center();
                (600.0..1300.0).contains(&at.x) && (200.0..800.0).contains(&at.y)
            })
            .filter_map(|node| node.accesskit_node().label())
            .filter_map(|label| {
                label
                    .trim_start_matches("Area of ")
                    .trim_end_matches(" incidents")
                    .parse::<i64>()
                    .ok()
            })
            .max()
            .expect("a cell on screen");
        harness
            .query_all_by_label(&format!("Area of {busiest} incidents"))
            .find(|node| {
                let at = node.rect().center();
                (600.0..1300.0).contains(&at.x) && (200.0..800.0).contains(&at.y)
            })
            .expect("the cell")
            .click();
        harness.run_steps(2);
        for _ in 0..200 {
            harness.step();
            if harness
                .state()
                .window_cells()
                .iter()
                .all(|c| c.count != busiest)
            {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        wait_for_answer(&mut harness);
    }
    let listed = harness.state().store().incidents.len();
    assert!(listed > 0 && listed <= 20_000, "{listed}");
    assert!(harness.state().window_cells().is_empty());

    // A date range is asked of the server.
    let mut filter = harness.state().filter().clone();
    filter.from = Some(jiff::civil::date(2021, 3, 1));
    filter.to = Some(jiff::civil::date(2021, 3, 31));
    harness.state_mut().set_filter(filter);
    for _ in 0..200 {
        harness.step();
        let store = harness.state().store();
        if !store.incidents.is_empty()
            && store
                .incidents
                .iter()
                .all(|i| i.date.is_some_and(|d| d.year() == 2021 && d.month() == 3))
        {
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let store = harness.state().store();
    assert!(!store.incidents.is_empty());
    assert!(
        store
            .incidents
            .iter()
            .all(|i| i.date.is_some_and(|d| d.year() == 2021 && d.month() == 3))
    );
    // Nothing is held to correct: the viewer says so.
    harness.key_press(egui::Key::J);
    harness.run_steps(3);
    harness.get_by_label("Mark reviewed").click();
    harness.run_steps(3);
    assert!(
        harness
            .state()
            .problems()
            .iter()
            .any(|p| p.contains("read window by window")),
        "{:?}",
        harness.state().problems()
    );
}

/// The analyst's marks live on the server: saved under the role that made them, heard by a
/// colleague's open workspace, changed and deleted, kept with their authors by a copy to a
/// file, and refused to a read-only role.
#[test]
fn marks_on_the_map_are_shared_through_the_server() {
    use incident_map::workspace::annotations::{LatLon, Mark};
    let (cluster, admin) = desk();
    let mut ana = open(&cluster.url("ana", "ana-pw", "desk"));
    let bo = open(&cluster.url("bo", "bo-pw", "desk"));
    let mut listening = bo.listen().expect("a server workspace").expect("listens");
    let mut bo = bo;
    assert!(bo.annotations().is_empty());

    let arrow = Mark::Arrow {
        from: LatLon::new(36.34, 43.13),
        to: LatLon::new(36.5, 42.3),
    };
    let id = ana
        .annotate(arrow.clone(), "Advance toward the border; it's 'reported'")
        .expect("ana's mark is saved");
    assert!(id > 0);
    assert_eq!(
        ana.annotations()[0].author,
        "ana",
        "the server names the role"
    );

    assert!(
        listening
            .wait(Duration::from_secs(2))
            .expect("the listener waits"),
        "the new mark was announced"
    );
    assert!(bo.refresh().expect("bo takes in the news"));
    assert_eq!(bo.annotations().len(), 1);
    assert_eq!(bo.annotations()[0].mark, arrow);
    assert_eq!(
        bo.annotations()[0].text,
        "Advance toward the border; it's 'reported'"
    );

    // Bo moves it into a circle with new words; then ana, opening again, sees bo's version.
    let circle = Mark::Circle {
        center: LatLon::new(36.36, 42.45),
        radius_km: 25.0,
    };
    bo.update_annotation(id, circle.clone(), "Sinjar")
        .expect("bo's change is saved");
    let again = open(&cluster.url("ana", "ana-pw", "desk"));
    assert_eq!(again.annotations().len(), 1);
    assert_eq!(again.annotations()[0].mark, circle);
    assert_eq!(again.annotations()[0].author, "bo");

    // A copy to a file keeps the mark and who made it.
    let dir = tempfile::tempdir().expect("a temporary folder");
    let file = dir.path().join("copy.gpkg");
    ok(&["workspace", "copy", &admin, &file.display().to_string()]);
    let copied = Workspace::open_file(&file).expect("the copy opens");
    assert_eq!(copied.annotations().len(), 1);
    assert_eq!(copied.annotations()[0].author, "bo");
    assert_eq!(copied.annotations()[0].mark, circle);

    // A read-only role sees the marks but cannot add one.
    cluster.role("viewer", "viewer-pw");
    ok(&["workspace", "grant", &admin, "viewer", "--read-only"]);
    let mut viewer = open(&cluster.url("viewer", "viewer-pw", "desk"));
    assert_eq!(viewer.annotations().len(), 1);
    let refused = viewer
        .annotate(arrow, "")
        .expect_err("a read-only role cannot mark the map");
    assert!(refused.contains("not change it"), "{refused}");

    // Deleted by ana: gone for everyone.
    ana.remove_annotation(id).expect("ana deletes it");
    assert!(bo.refresh().expect("bo takes in the deletion"));
    assert!(bo.annotations().is_empty());
    assert!(
        ana.remove_annotation(id).is_err(),
        "a deleted mark cannot be deleted again"
    );
}

/// Zoomed out, cells are added up from the counts the database keeps per grid cell, month and
/// type: whatever the dates (whole months, days at either end, open ends, undated), the types
/// and the edits since (a rejection, an incident moved, a re-ingest), each cell holds exactly
/// the incidents that fall in it.
#[test]
fn zoomed_out_cells_added_up_from_kept_counts_match_the_incidents() {
    use std::collections::BTreeMap;

    use incident_map::store::{Incident, Store};
    use incident_map::workspace::server::{ServerUrl, WindowAnswer, WindowQuery, WorkspaceServer};
    let (cluster, admin) = desk();
    let server = WorkspaceServer::open(&ServerUrl::new(&admin)).expect("opens");
    let synthetic = incident_map::bench::synthetic::incidents(3_000, 7);
    server.load_layer(&synthetic).expect("loaded by COPY");
    let bundled = Store::load(Path::new(&bundled_store())).expect("the bundled store");
    let mut all: Vec<Incident> = bundled
        .incidents
        .iter()
        .chain(&synthetic.incidents)
        .cloned()
        .collect();

    let d = |y, m, day| Some(jiff::civil::date(y, m, day));
    let check = |all: &[Incident], what: &str| {
        for (from, to) in [
            (None, None),
            (d(2020, 1, 15), d(2021, 4, 10)),
            (d(2022, 2, 1), d(2022, 2, 28)),
            (d(2022, 2, 3), d(2022, 2, 20)),
            (None, d(2020, 6, 30)),
            (d(2023, 7, 2), None),
        ] {
            for types in [vec![], vec!["Battles".to_owned(), "Riots".to_owned()]] {
                for cell_deg in [1.0, 0.5] {
                    let query = WindowQuery {
                        bbox: [-180.0, -85.0, 180.0, 85.0],
                        from,
                        to,
                        event_types: types.clone(),
                        actor: None,
                        text: None,
                        publisher: None,
                        limit: 1,
                        cell_deg,
                    };
                    let WindowAnswer::Cells(cells) = server.window(&query).expect("cells") else {
                        panic!("too many to list");
                    };
                    let got: BTreeMap<(i64, i64), (i64, i64)> = cells
                        .iter()
                        .map(|c| {
                            let key = (
                                (c.lon / cell_deg).floor() as i64,
                                (c.lat / cell_deg).floor() as i64,
                            );
                            (key, (c.count, c.fatalities))
                        })
                        .collect();
                    let mut want: BTreeMap<(i64, i64), (i64, i64)> = BTreeMap::new();
                    for i in all {
                        let dated_in = match i.date {
                            Some(day) => {
                                from.is_none_or(|f| day >= f) && to.is_none_or(|t| day <= t)
                            }
                            None => from.is_none() && to.is_none(),
                        };
                        let typed =
                            types.is_empty() || types.iter().any(|t| t == i.event_type.as_str());
                        if !dated_in
                            || !typed
                            || i.review.status() == incident_map::store::Status::Rejected
                        {
                            continue;
                        }
                        let key = (
                            (i.location.lon / cell_deg).floor() as i64,
                            (i.location.lat / cell_deg).floor() as i64,
                        );
                        let entry = want.entry(key).or_default();
                        entry.0 += 1;
                        entry.1 += i64::from(i.fatalities.unwrap_or(0));
                    }
                    assert_eq!(
                        got, want,
                        "{what}: {from:?}..{to:?} {types:?} at {cell_deg}°"
                    );
                }
            }
        }
    };
    check(&all, "as loaded");

    // An analyst rejects one incident and moves another across the map: the counts follow.
    let mut ana = open(&cluster.url("ana", "ana-pw", "desk"));
    let rejected = ana.store.incidents[0].id.clone();
    ana.correct(
        Target::Incident(0),
        Change::Reject {
            reason: "a duplicate".to_owned(),
        },
        None,
    )
    .expect("saved");
    let moved = ana.store.incidents[1].id.clone();
    let mut location = ana.store.incidents[1].location.clone();
    (location.lat, location.lon) = (33.3, 44.4);
    let new_date = jiff::civil::date(2021, 3, 17);
    ana.correct(
        Target::Incident(index_of(&ana, &moved)),
        Change::Edit {
            patch: Patch {
                location: Some(location),
                date: Some(Some(new_date)),
                ..Patch::default()
            },
        },
        None,
    )
    .expect("saved");
    for incident in &mut all {
        if incident.id == rejected {
            incident.review.rejected = Some("a duplicate".to_owned());
        }
        if incident.id == moved {
            (incident.location.lat, incident.location.lon) = (33.3, 44.4);
            incident.date = Some(new_date);
        }
    }
    check(&all, "after two corrections");
}
