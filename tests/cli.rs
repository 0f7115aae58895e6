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
