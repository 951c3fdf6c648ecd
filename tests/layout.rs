//! The layout holds: a vendor's knowledge lives in its folder (`src/vendor/<vendor>/`). Outside
//! it, engine code (runner, client, steps, report, diff, verdict, wire) names no vendor: it
//! reaches vendors through `Provider::vendor()`. The only other places that may name one are
//! the registrations ARCHITECTURE.md lists, checked here file by file. Comments and unit-test
//! modules may name vendors (examples, fixtures); code may not.

use std::path::{Path, PathBuf};

/// Files outside the vendor folders that register vendors, and why (ARCHITECTURE.md, "Adding
/// a vendor").
/// (None: a vendor is registered only by its line in `vendors!`, which
/// `a_vendor_is_registered_by_one_line_in_vendors` checks.)
const REGISTRATIONS: &[(&str, &str)] = &[];

const VENDOR_NAMES: &[&str] = &["stripe", "gr4vy"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code lines of a file that name a vendor: comments stripped, unit tests left out.
fn naming_lines(text: &str) -> Vec<(usize, String)> {
    text.lines()
        .enumerate()
        .take_while(|(_, line)| line.trim() != "#[cfg(test)]")
        .filter_map(|(i, line)| {
            let code = line
                .split("//")
                .next()
                .unwrap_or_default()
                .to_ascii_lowercase();
            VENDOR_NAMES
                .iter()
                .any(|name| code.contains(name))
                .then(|| (i + 1, line.trim().to_owned()))
        })
        .collect()
}

#[test]
fn no_vendor_is_named_outside_its_folder_and_the_registrations() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let mut offences = Vec::new();
    for path in &files {
        let relative = path.strip_prefix(root).unwrap_or(path);
        let name = relative.to_string_lossy().replace('\\', "/");
        if name.starts_with("src/vendor/") || REGISTRATIONS.iter().any(|(f, _)| *f == name) {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap_or_default();
        for (line, code) in naming_lines(&text) {
            offences.push(format!("{name}:{line}: {code}"));
        }
    }
    assert!(
        offences.is_empty(),
        "vendor knowledge outside src/vendor/ (move it behind the Vendor trait, or register it in ARCHITECTURE.md):\n{}",
        offences.join("\n")
    );
}

#[test]
fn every_registration_is_documented_and_still_needed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let architecture =
        std::fs::read_to_string(root.join("ARCHITECTURE.md")).expect("ARCHITECTURE.md is readable");
    for (file, why) in REGISTRATIONS {
        assert!(
            architecture.contains(&format!("`{file}`")),
            "ARCHITECTURE.md does not list the registration {file} ({why})"
        );
        let text = std::fs::read_to_string(root.join(file)).unwrap_or_default();
        assert!(
            !naming_lines(&text).is_empty(),
            "{file} names no vendor any more: drop it from the registrations"
        );
    }
}

#[test]
fn the_check_sees_a_vendor_in_code_but_not_in_comments_or_unit_tests() {
    let text = "use crate::vendor::Provider;\n// Stripe's answer\nlet p = Provider::Stripe;\n#[cfg(test)]\nmod tests { const K: &str = \"gr4vy\"; }\n";
    assert_eq!(
        naming_lines(text),
        vec![(3, "let p = Provider::Stripe;".to_owned())]
    );
}

/// `src/vendor/mod.rs` is the engine's side of the vendors: the only code there naming a vendor
/// is its one entry in `vendors!` (variant, module and `Vendor` implementation on one line).
#[test]
fn a_vendor_is_registered_by_one_line_in_vendors() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("src/vendor/mod.rs"))
        .expect("src/vendor/mod.rs is readable");
    let start = text
        .find("\nvendors! {")
        .expect("src/vendor/mod.rs registers the vendors with `vendors! { … }`");
    let first = text[..start].lines().count() + 1;
    let last = first
        + text[start..]
            .lines()
            .skip(1)
            .position(|l| l == "}")
            .unwrap_or(0);
    let outside: Vec<String> = naming_lines(&text)
        .into_iter()
        .filter(|(line, _)| !(first..=last).contains(line))
        .map(|(line, code)| format!("src/vendor/mod.rs:{line}: {code}"))
        .collect();
    assert!(
        outside.is_empty(),
        "vendor knowledge in src/vendor/mod.rs outside `vendors!` (move it behind the Vendor trait):\n{}",
        outside.join("\n")
    );
    for name in VENDOR_NAMES {
        let entries = naming_lines(&text)
            .into_iter()
            .filter(|(line, code)| {
                (first..=last).contains(line) && code.to_ascii_lowercase().contains(name)
            })
            .count();
        assert_eq!(
            entries, 1,
            "{name} is registered by {entries} lines in `vendors!`"
        );
    }
}
