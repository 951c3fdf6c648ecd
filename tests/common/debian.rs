//! Tools the tests need from Debian's packages (headless Chromium, xmllint), installed with
//! apt-get when missing and the tests run as root (as CI does on a fresh machine).

use std::path::{Path, PathBuf};
use std::process::Command;

/// `/usr/bin/<binary>`, installing `package` first when it is missing and we are root; `None`
/// when it cannot be had (the caller says so loudly).
pub fn tool(binary: &str, package: &str) -> Option<PathBuf> {
    let path = Path::new("/usr/bin").join(binary);
    if path.exists() {
        return Some(path);
    }
    let root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| o.stdout == b"0\n")
        .unwrap_or(false);
    if root {
        let _ = Command::new("apt-get").arg("update").status();
        let _ = Command::new("apt-get")
            .args(["install", "-y", "-q", package])
            .env("DEBIAN_FRONTEND", "noninteractive")
            .status();
    }
    path.exists().then_some(path)
}
