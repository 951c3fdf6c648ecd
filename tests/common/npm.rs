//! npm packages the tests run with node, installed from the npm registry once into
//! `CARGO_TARGET_TMPDIR` (tests/cucumber_consumer.rs, tests/workflows.rs).

use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The directory `spec` (`name@version`) is installed in (`npm install --prefix`):
/// `CARGO_TARGET_TMPDIR/<name>-<version>-npm`, installed first unless it already holds that
/// version. The install goes into a directory of this process's own and is renamed into place,
/// so that concurrent test runs never see half an install. `Err` says why there is none (no
/// node or npm, no registry).
pub fn install(spec: &str) -> Result<PathBuf, String> {
    let (name, version) = spec
        .rsplit_once('@')
        .filter(|(name, _)| !name.is_empty())
        .unwrap_or_else(|| panic!("`{spec}` is not name@version"));
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("{}-{version}-npm", name.replace('/', "+")));
    if installed_version(&dir, name).as_deref() != Some(version) {
        install_into(&dir, spec, name, version)?;
    }
    match installed_version(&dir, name) {
        Some(v) if v == version => Ok(dir),
        other => Err(format!(
            "{} holds {name} {other:?}, not {version}",
            dir.display()
        )),
    }
}

/// The version of `name` installed under `dir` (its package.json), if any.
fn installed_version(dir: &Path, name: &str) -> Option<String> {
    let package = dir.join("node_modules").join(name).join("package.json");
    let package: Value = serde_json::from_str(&fs::read_to_string(package).ok()?).ok()?;
    package["version"].as_str().map(str::to_owned)
}

/// `npm install --prefix <staging> <spec>`, then the staging directory renamed to `dir`.
fn install_into(dir: &Path, spec: &str, name: &str, version: &str) -> Result<(), String> {
    let mut staging = dir.as_os_str().to_owned();
    staging.push(format!(".staging-{}", std::process::id()));
    let staging = PathBuf::from(staging);
    let _ = fs::remove_dir_all(&staging);
    fs::create_dir_all(&staging)
        .map_err(|e| format!("cannot create {}: {e}", staging.display()))?;
    let output = Command::new("npm")
        .args(["install", "--silent", "--no-audit", "--no-fund", "--prefix"])
        .arg(&staging)
        .arg(spec)
        .output()
        .map_err(|e| {
            format!("cannot run npm to install {spec} ({e}): this test needs node and npm")
        })?;
    if !output.status.success() {
        return Err(format!(
            "`npm install --prefix {} {spec}` failed ({}): it needs the npm registry.\n{}",
            staging.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    move_into_place(&staging, dir, |dir| {
        installed_version(dir, name).as_deref() == Some(version)
    })
}

/// Renames a finished install `staging` to `dir`: a stale or half install already at `dir` (one
/// `done` rejects) is removed first; if another test process put a good one there meanwhile,
/// that one is kept.
pub fn move_into_place(
    staging: &Path,
    dir: &Path,
    done: impl Fn(&Path) -> bool,
) -> Result<(), String> {
    if dir.exists() && !done(dir) {
        let _ = fs::remove_dir_all(dir);
    }
    match fs::rename(staging, dir) {
        Ok(()) => Ok(()),
        Err(_) if done(dir) => {
            let _ = fs::remove_dir_all(staging);
            Ok(())
        }
        Err(e) => Err(format!(
            "cannot move {} to {}: {e}",
            staging.display(),
            dir.display()
        )),
    }
}
