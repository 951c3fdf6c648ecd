//! Running the `checkout-conformance` binary: a clean environment, a features directory of
//! one's own, a target that only counts connections, and what the binary printed.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

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

/// Every file below `dir`, in no particular order.
pub fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// Runs `sh -c command` with the variable `name` set to `value` (a reproduction's credential):
/// what it printed (curl `-i`: the status line, the headers, the body). Fails unless sh does.
pub fn sh(command: &str, name: &str, value: &str) -> String {
    let output = Command::new("sh")
        .args(["-c", command])
        .env(name, value)
        .output()
        .expect("sh runs");
    assert!(output.status.success(), "{}", text(&output));
    String::from_utf8_lossy(&output.stdout).into_owned()
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

/// `checkout-conformance mock ARGS` on a free port of 127.0.0.1, killed and reaped when dropped;
/// `lines` are what it printed after its "listening on" line.
pub struct MockProcess {
    pub child: std::process::Child,
    pub url: String,
    pub lines: std::sync::mpsc::Receiver<String>,
}

impl MockProcess {
    pub fn start(args: &[&str]) -> MockProcess {
        use std::io::BufRead;
        let mut child = Command::new(BIN)
            .arg("mock")
            .args(args)
            .args(["--addr", "127.0.0.1:0"])
            .env_remove("CONFORMANCE_MOCK_ADDR")
            .env_remove("CONFORMANCE_MOCK_API_KEY")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .spawn()
            .expect("the mock starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut mock = MockProcess {
            child,
            url: String::new(),
            lines,
        };
        let first = mock
            .lines
            .recv_timeout(Duration::from_secs(20))
            .expect("a \"listening on\" line");
        mock.url = first
            .split_once("listening on ")
            .map(|(_, url)| url.trim().to_owned())
            .unwrap_or_else(|| panic!("not a \"listening on\" line: {first}"));
        assert!(mock.url.starts_with("http://127.0.0.1:"), "{first}");
        mock
    }

    /// `host:port`.
    pub fn addr(&self) -> &str {
        self.url.trim_start_matches("http://")
    }
}

impl Drop for MockProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
