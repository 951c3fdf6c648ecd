//! Running the `checkout-conformance` binary: a clean environment, a features directory of
//! one's own, a target that only counts connections, and what the binary printed.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

pub const BIN: &str = env!("CARGO_BIN_EXE_checkout-conformance");

/// The binary with a clean environment: none of the variables it takes its configuration from
/// (CONFORMANCE_*, STRIPE_*, GR4VY_*, CUCUMBER_FILTER_TAGS).
pub fn command() -> Command {
    let mut command = Command::new(BIN);
    for (key, _) in std::env::vars() {
        if key.starts_with("CONFORMANCE_")
            || key.starts_with("STRIPE_")
            || key.starts_with("GR4VY_")
            || key == "CUCUMBER_FILTER_TAGS"
        {
            command.env_remove(key);
        }
    }
    command
}

/// What the binary printed: stdout, then stderr.
pub fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// `dir/features`, created: the real `CLAUSES.md` and one feature file `name` holding `feature`.
pub fn features(dir: &Path, name: &str, feature: &str) -> PathBuf {
    let features = dir.join("features");
    std::fs::create_dir_all(&features).expect("a scratch features directory");
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/features/CLAUSES.md"),
        features.join("CLAUSES.md"),
    )
    .expect("CLAUSES.md copied");
    std::fs::write(features.join(name), feature).expect("the feature file written");
    features
}

/// A listener on 127.0.0.1 that counts the connections it is offered (and closes each): its
/// URL and the count.
pub fn counting_listener() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            seen.fetch_add(1, Ordering::SeqCst);
            drop(stream);
        }
    });
    (url, count)
}
