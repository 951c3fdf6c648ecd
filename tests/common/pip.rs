//! Python packages the tests run, installed from PyPI once into a virtual environment under
//! `CARGO_TARGET_TMPDIR` (tests/sdk.rs), as [`super::npm`] installs npm packages.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The file in a virtual environment naming the packages installed in it.
const MARKER: &str = "checkout-conformance-packages.txt";

/// The Python interpreter of a virtual environment holding exactly `specs` (`name==version`):
/// `CARGO_TARGET_TMPDIR/venv-<specs>`, made first unless it already holds them. It is built in a
/// directory of this process's own and renamed into place, so that concurrent test runs never
/// see half an install. `Err` says why there is none (no python3 with venv, no PyPI).
pub fn venv(specs: &[&str]) -> Result<PathBuf, String> {
    let wanted = specs.join("\n");
    let name: String = specs
        .join("+")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("venv-{name}"));
    if fs::read_to_string(dir.join(MARKER)).ok().as_deref() != Some(wanted.as_str()) {
        build(&dir, specs, &wanted)?;
    }
    Ok(dir.join("bin").join("python"))
}

fn run(command: &mut Command, what: &str) -> Result<(), String> {
    let output = command
        .output()
        .map_err(|e| format!("cannot run {what} ({e}): this test needs python3 with venv"))?;
    if output.status.success() {
        return Ok(());
    }
    Err(format!(
        "{what} failed ({}): it needs PyPI.\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    ))
}

fn build(dir: &Path, specs: &[&str], wanted: &str) -> Result<(), String> {
    let mut staging = dir.as_os_str().to_owned();
    static BUILDS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let build = BUILDS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    staging.push(format!(".staging-{}-{build}", std::process::id()));
    let staging = PathBuf::from(staging);
    let _ = fs::remove_dir_all(&staging);
    run(
        Command::new("python3").args(["-m", "venv"]).arg(&staging),
        "python3 -m venv",
    )?;
    run(
        Command::new(staging.join("bin").join("python"))
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
            ])
            .args(specs),
        &format!("pip install {}", specs.join(" ")),
    )?;
    fs::write(staging.join(MARKER), wanted).map_err(|e| format!("cannot write the marker: {e}"))?;
    // The interpreter finds its packages from its own location (pyvenv.cfg next to bin/), so
    // the environment works after the move (its console scripts would not: none is used).
    super::npm::move_into_place(&staging, dir, |dir| {
        fs::read_to_string(dir.join(MARKER)).ok().as_deref() == Some(wanted)
    })
}
