//! Times importing a synthetic ACLED export of ACLED's size and exporting it again.
//!
//! `cargo run --release --example exchange_speed -- [ROWS] [--keep FILE]`
//!
//! ROWS defaults to 100,000. `--keep FILE` leaves the generated ACLED CSV there, to open with
//! `incident-map view FILE`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use incident_map::exchange::{self, Format};
use incident_map::workspace::filter::{Filter, visible_incidents};

fn main() -> ExitCode {
    let mut rows = 100_000;
    let mut keep: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--keep" => keep = args.next().map(PathBuf::from),
            n => match n.replace('_', "").parse() {
                Ok(n) => rows = n,
                Err(_) => {
                    eprintln!("usage: exchange_speed [ROWS] [--keep FILE]");
                    return ExitCode::FAILURE;
                }
            },
        }
    }
    let dir = match tempfile::tempdir() {
        Ok(dir) => dir,
        Err(e) => {
            eprintln!("cannot make a temporary directory: {e}");
            return ExitCode::FAILURE;
        }
    };
    let path = keep.unwrap_or_else(|| dir.path().join("acled.csv"));

    let started = Instant::now();
    let csv = exchange::acled::synthetic(rows);
    if let Err(e) = std::fs::write(&path, &csv) {
        eprintln!("{}: cannot write: {e}", path.display());
        return ExitCode::FAILURE;
    }
    println!(
        "generated {rows} ACLED rows, {:.1} MB, in {:.2} s: {}",
        csv.len() as f64 / 1e6,
        started.elapsed().as_secs_f64(),
        path.display()
    );

    let started = Instant::now();
    let imported = match exchange::import(&path) {
        Ok(imported) => imported,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let import_s = started.elapsed().as_secs_f64();
    println!(
        "import: {} incidents, {} problems in {import_s:.2} s ({:.0} rows/s)",
        imported.store.incidents.len(),
        imported.problems.len(),
        rows as f64 / import_s
    );

    let store = &imported.store;
    let year = |y| jiff::civil::date(y, 1, 1);
    for (what, filter) in [
        (
            "date filter (2020)",
            Filter {
                from: Some(year(2020)),
                to: Some(year(2020).last_of_year()),
                ..Filter::default()
            },
        ),
        (
            "publisher filter",
            Filter {
                publisher: Some("Shafaq News; Rudaw".to_owned()),
                ..Filter::default()
            },
        ),
        (
            "text search (\"mosul heavy\")",
            Filter {
                text: "mosul heavy".to_owned(),
                ..Filter::default()
            },
        ),
    ] {
        let started = Instant::now();
        let shown = visible_incidents(store, &filter);
        println!(
            "{what}: {} shown in {:.0} ms",
            shown.len(),
            started.elapsed().as_secs_f64() * 1000.0
        );
    }

    let all: Vec<usize> = (0..store.incidents.len()).collect();
    for format in Format::ALL {
        let out = dir.path().join(format!("out.{}", format.extension()));
        let started = Instant::now();
        let exported = match exchange::export(store, &all, format) {
            Ok(exported) => exported,
            Err(e) => {
                eprintln!("export {format}: {e}");
                return ExitCode::FAILURE;
            }
        };
        let encode_s = started.elapsed().as_secs_f64();
        let started = Instant::now();
        if let Err(e) = incident_map::atomic::write_atomically(&out, &exported.bytes) {
            eprintln!("{}: cannot write: {e}", out.display());
            return ExitCode::FAILURE;
        }
        println!(
            "export {format}: {} incidents, {:.1} MB: encoded in {encode_s:.2} s, \
             written and synced in {:.2} s",
            exported.written,
            exported.bytes.len() as f64 / 1e6,
            started.elapsed().as_secs_f64()
        );
    }
    let geojson = dir.path().join("out.geojson");
    let started = Instant::now();
    match exchange::import(&geojson) {
        Ok(back) => println!(
            "import geojson: {} incidents in {:.2} s",
            back.store.incidents.len(),
            started.elapsed().as_secs_f64()
        ),
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
