//! The floors of `ARCHITECTURE.md` hold: no module of `src/` imports from a floor above its own
//! or beside it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Module name → floor, from the `floors` block of ARCHITECTURE.md.
fn floors() -> HashMap<String, usize> {
    let text =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("ARCHITECTURE.md"))
            .expect("ARCHITECTURE.md");
    let block = text
        .split("```floors")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a ```floors block");
    let mut floors = HashMap::new();
    for line in block.lines().filter(|l| !l.trim().is_empty()) {
        let mut words = line.split_whitespace();
        let floor: usize = words
            .next()
            .and_then(|w| w.parse().ok())
            .expect("a floor number");
        for module in words {
            floors.insert(module.to_owned(), floor);
        }
    }
    floors
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file of `src/` belongs to.
fn module_of(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).expect("under src/");
    let first = relative
        .components()
        .next()
        .and_then(|c| c.as_os_str().to_str())
        .unwrap_or_default();
    first.trim_end_matches(".rs").to_owned()
}

/// Every `crate::NAME` in a file's text, with its line number.
fn crate_paths(text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            let before = rest[..at].chars().last();
            rest = &rest[at + "crate::".len()..];
            // `incident_map::` from tests, or a longer identifier ending in "crate".
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                found.push((n + 1, name));
            }
        }
    }
    found
}

#[test]
fn no_module_imports_from_a_floor_above_or_beside_it() {
    let floors = floors();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    let mut wrong = Vec::new();
    for file in &files {
        let module = module_of(&src, file);
        if module == "main" {
            // The binary is the crate's user, not part of it.
            continue;
        }
        let Some(&own) = floors.get(&module) else {
            wrong.push(format!(
                "{}: module {module} has no floor in ARCHITECTURE.md",
                file.display()
            ));
            continue;
        };
        let text = std::fs::read_to_string(file).expect("readable source");
        for (line, name) in crate_paths(&text) {
            // Items of lib.rs (data_dir, assets_dir, …) are on floor 0 with it.
            let target = floors.get(&name).copied().unwrap_or(0);
            if name != module && target >= own {
                wrong.push(format!(
                    "{}:{line}: {module} (floor {own}) uses crate::{name} (floor {target})",
                    file.display()
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the floors:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn every_module_of_lib_rs_has_a_floor() {
    let floors = floors();
    let lib = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs"))
        .expect("src/lib.rs");
    for line in lib.lines() {
        if let Some(name) = line
            .strip_prefix("pub mod ")
            .and_then(|r| r.strip_suffix(';'))
        {
            assert!(
                floors.contains_key(name),
                "{name} has no floor in ARCHITECTURE.md"
            );
        }
    }
}

#[test]
fn the_checker_sees_an_upward_import() {
    let paths = crate_paths(
        "use crate::app::ViewerApp; // see also incident_map::cli\nlet x = crate::workspace::bundled_store();",
    );
    assert_eq!(paths, [(1, "app".to_owned()), (2, "workspace".to_owned())]);
}
