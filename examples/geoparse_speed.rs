//! Times the gazetteer load and the geoparser's throughput on an annotated corpus's texts.
//!
//! `cargo run --release --example geoparse_speed -- CORPUS.xml [ROUNDS]`

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use incident_map::gazetteer::Gazetteer;
use incident_map::geoparse::{eval::read_corpus, geoparse};

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(corpus) = args.next().map(PathBuf::from) else {
        eprintln!("usage: geoparse_speed CORPUS.xml [ROUNDS]");
        return ExitCode::FAILURE;
    };
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5);
    let started = Instant::now();
    let gaz = match Gazetteer::load(&incident_map::data_dir()) {
        Ok(gaz) => gaz,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let load = started.elapsed();
    let started = Instant::now();
    gaz.prepare_names();
    let index = started.elapsed();
    let documents = match read_corpus(&corpus) {
        Ok((_, documents)) => documents,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let bytes: usize = documents.iter().map(|d| d.text.len()).sum();
    let started = Instant::now();
    let mut mentions = 0;
    for _ in 0..rounds {
        for document in &documents {
            mentions += geoparse(&gaz, &document.text).len();
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "gazetteer load {:.0} ms, name index {:.0} ms; {} rounds of {:.2} MB in {seconds:.2} s: \
         {:.1} MB/s on one thread ({} mentions per round)",
        load.as_secs_f64() * 1000.0,
        index.as_secs_f64() * 1000.0,
        rounds,
        bytes as f64 / 1e6,
        (bytes * rounds) as f64 / 1e6 / seconds,
        mentions / rounds.max(1)
    );
    ExitCode::SUCCESS
}
