//! The command line as a user meets it: help on everything, clear errors for bad arguments.

use std::process::Command;

fn incident_map(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_incident-map"))
        .args(args)
        .output()
        .expect("the binary runs")
}

#[test]
fn help_lists_every_subcommand_and_each_has_its_own_help() {
    let out = incident_map(&["--help"]);
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    for command in ["view", "ingest", "geoparse", "eval"] {
        assert!(
            help.contains(command),
            "--help does not list {command}:\n{help}"
        );
        let sub = incident_map(&[command, "--help"]);
        assert!(sub.status.success(), "{command} --help failed");
    }
    assert!(help.contains("--tiles"));
}

#[test]
fn viewer_options_belong_to_the_viewer_and_render_only() {
    let eval =
        String::from_utf8_lossy(&incident_map(&["eval", "geoparse", "--help"]).stdout).to_string();
    assert!(
        !eval.contains("--tiles") && !eval.contains("--fresh"),
        "{eval}"
    );
    let view = String::from_utf8_lossy(&incident_map(&["view", "--help"]).stdout).to_string();
    assert!(
        view.contains("--tiles") && view.contains("--fresh"),
        "{view}"
    );
    let render = String::from_utf8_lossy(&incident_map(&["render", "--help"]).stdout).to_string();
    assert!(render.contains("--tiles"), "{render}");
    let out = incident_map(&["view", "--tiles", "google"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown tile source"));
}

#[test]
fn an_unknown_tile_source_is_refused_with_the_choices() {
    let out = incident_map(&["--tiles", "google", "view"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unknown tile source \"google\""), "{err}");
    assert!(err.contains("builtin, osm, opentopomap"), "{err}");
}

/// What a run ended with: a panic exits 101, a closed output should end it quietly with 1.
fn assert_quiet_failure(output: &std::process::Output, what: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{what}: {stderr}");
    assert_eq!(output.status.code(), Some(1), "{what}: {stderr}");
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_or_closed_output_ends_the_command_quietly() {
    use std::io::Read;
    use std::process::Stdio;

    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("out.geojson");
    let full = || std::fs::File::create("/dev/full").expect("/dev/full");
    // The export's summary line meets a full standard output.
    let export = Command::new(env!("CARGO_BIN_EXE_incident-map"))
        .args(["export", "--format", "geojson", "-o"])
        .arg(&out)
        .stdout(full())
        .output()
        .expect("the binary runs");
    assert_quiet_failure(&export, "export >/dev/full");
    assert!(out.exists(), "the export itself was written");

    // Ingest reports on standard error; a full one must not lose the work either.
    let store = dir.path().join("store.json");
    let articles = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/articles");
    let ingest = Command::new(env!("CARGO_BIN_EXE_incident-map"))
        .arg("ingest")
        .arg(&articles)
        .arg("-o")
        .arg(&store)
        .stderr(full())
        .output()
        .expect("the binary runs");
    assert_eq!(ingest.status.code(), Some(1));
    assert!(store.exists(), "the store was written before the summary");

    // A reader that stops early (`| head -c 10`): geoparse's JSON, far larger than a pipe
    // holds, meets a closed pipe.
    let text = dir.path().join("long.txt");
    std::fs::write(
        &text,
        "Clashes near Mosul and Kirkuk were reported. ".repeat(4000),
    )
    .expect("write");
    let mut child = Command::new(env!("CARGO_BIN_EXE_incident-map"))
        .arg("geoparse")
        .arg(&text)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut first = [0u8; 10];
    if let Some(stdout) = child.stdout.as_mut() {
        stdout
            .read_exact(&mut first)
            .expect("the start of the JSON");
    }
    drop(child.stdout.take());
    let geoparse = child.wait_with_output().expect("it ends");
    assert_eq!(first[0], b'[');
    assert_quiet_failure(&geoparse, "geoparse | head -c 10");
}

#[cfg(unix)]
#[test]
fn outputs_that_would_destroy_data_are_refused_before_any_work() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let store = dir.path().join("store.json");
    let bundled = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/incidents.json");
    std::fs::copy(&bundled, &store).expect("copy the bundled store");
    let before = std::fs::read(&store).expect("read");

    // Exporting a store onto itself.
    let same = incident_map(&[
        "export",
        "--format",
        "geojson",
        "--data",
        store.to_str().unwrap_or_default(),
        "-o",
        store.to_str().unwrap_or_default(),
    ]);
    assert!(!same.status.success());
    assert!(String::from_utf8_lossy(&same.stderr).contains("also the input"));
    assert_eq!(std::fs::read(&store).expect("read"), before);

    // Through a symbolic link: the link stays a link and its target is untouched.
    let link = dir.path().join("link.json");
    std::os::unix::fs::symlink(&store, &link).expect("symlink");
    let linked = incident_map(&[
        "export",
        "--format",
        "csv",
        "-o",
        link.to_str().unwrap_or_default(),
    ]);
    assert!(!linked.status.success());
    assert!(String::from_utf8_lossy(&linked.stderr).contains("symbolic link"));
    assert_eq!(std::fs::read(&store).expect("read"), before);

    // A pipe is not a file to replace.
    let fifo = dir.path().join("pipe.json");
    if Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success())
    {
        let piped = incident_map(&[
            "export",
            "--format",
            "csv",
            "-o",
            fifo.to_str().unwrap_or_default(),
        ]);
        assert!(String::from_utf8_lossy(&piped.stderr).contains("not a regular file"));
    }

    // Ingest into a folder that does not exist is refused at once, before the articles are read.
    let articles = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/articles");
    let missing = dir.path().join("no-such-folder/store.json");
    let ingest = incident_map(&[
        "ingest",
        articles.to_str().unwrap_or_default(),
        "-o",
        missing.to_str().unwrap_or_default(),
    ]);
    assert!(!ingest.status.success());
    let stderr = String::from_utf8_lossy(&ingest.stderr);
    assert!(stderr.contains("does not exist"), "{stderr}");
    assert!(!stderr.contains("ingest:"), "no work was done: {stderr}");
}
