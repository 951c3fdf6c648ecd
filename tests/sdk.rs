//! The bundled mock as a drop-in fake for the vendors' official SDKs: stripe-python (pinned to
//! 2026-07-29.dahlia), stripe-node and gr4vy-python, installed by the test itself into
//! `target/tmp` (PyPI into a virtual environment, `common::pip`; npm, `common::npm`), each
//! running a table of calls (`tests/sdk/*`) against a mock on 127.0.0.1:0. Every call of every
//! table must pass: typed objects, typed exceptions with their status, code, param and request
//! id, idempotent replays, pagination, and Gr4vy tokens verified against the key the mock was
//! given (a token signed by another key is refused with 401).

use crate::common;

use checkout_conformance::mock::{MockConfig, MockServer};
use checkout_conformance::vendor::gr4vy::jwt::SigningKey;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const STRIPE_PYTHON: &str = "stripe==15.4.0";
const GR4VY_PYTHON: &str = "gr4vy==2.4.27";
const STRIPE_NODE: &str = "stripe@23.2.0";
const KEY: &str = "sk_test_sdk_4242";

fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/sdk")
        .join(name)
}

/// The Python of a virtual environment with both SDKs (installed once per process).
fn python() -> PathBuf {
    static PYTHON: std::sync::OnceLock<Result<PathBuf, String>> = std::sync::OnceLock::new();
    PYTHON
        .get_or_init(|| common::pip::venv(&[STRIPE_PYTHON, GR4VY_PYTHON]))
        .clone()
        .unwrap_or_else(|why| panic!("{why}"))
}

/// Runs a table script and checks its rows: `expected` calls, none failed.
fn check_table(what: &str, command: &mut Command, expected: usize) {
    let output = command.output().expect("the SDK script runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{what}: exit {}\n{stdout}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let rows: Vec<Value> = stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|_| panic!("{what}: {line}")))
        .collect();
    let failed: Vec<String> = rows
        .iter()
        .filter(|row| row["ok"] != true)
        .map(|row| format!("{}: {}", row["call"], row["detail"].as_str().unwrap_or("")))
        .collect();
    assert!(
        failed.is_empty(),
        "{what}: {} of {} calls failed:\n{}",
        failed.len(),
        rows.len(),
        failed.join("\n")
    );
    assert_eq!(rows.len(), expected, "{what}: {stdout}");
}

/// Starts a mock with `config`, runs the table `command(url)` builds against it, stops it.
async fn against_mock(
    config: MockConfig,
    what: &'static str,
    expected: usize,
    command: impl FnOnce(String) -> Command + Send + 'static,
) {
    let server = MockServer::start(config).await.expect("the mock starts");
    let url = server.url();
    tokio::task::spawn_blocking(move || check_table(what, &mut command(url), expected))
        .await
        .expect("the table ran");
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn stripe_python_pinned_to_dahlia() {
    let python = python();
    against_mock(
        MockConfig::default().with_trusted(checkout_conformance::vendor::Provider::Stripe, KEY),
        STRIPE_PYTHON,
        29,
        move |url| {
            let mut command = Command::new(python);
            command.arg(script("stripe_calls.py")).args([&url, KEY]);
            command
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn stripe_node() {
    let dir = common::npm::install(STRIPE_NODE).unwrap_or_else(|why| panic!("{why}"));
    against_mock(
        MockConfig::default().with_trusted(checkout_conformance::vendor::Provider::Stripe, KEY),
        STRIPE_NODE,
        28,
        move |url| {
            let mut command = Command::new("node");
            command
                .arg(script("stripe_calls.cjs"))
                .arg(dir.join("node_modules"))
                .args([&url, KEY]);
            command
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn gr4vy_python_with_the_merchants_key() {
    let python = python();
    let (key, stranger) = (SigningKey::generate(), SigningKey::generate());
    let dir =
        Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("sdk-keys-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a key directory");
    let (key_file, stranger_file) = (dir.join("merchant.pem"), dir.join("stranger.pem"));
    std::fs::write(&key_file, key.to_pkcs8_pem().expose()).expect("key written");
    std::fs::write(&stranger_file, stranger.to_pkcs8_pem().expose()).expect("key written");
    against_mock(
        MockConfig::default().with_trusted(
            checkout_conformance::vendor::Provider::Gr4vy,
            key.public_key_pem(),
        ),
        GR4VY_PYTHON,
        11,
        move |url| {
            let mut command = Command::new(python);
            command
                .arg(script("gr4vy_calls.py"))
                .arg(&url)
                .args([&key_file, &stranger_file]);
            command
        },
    )
    .await;
    let _ = std::fs::remove_dir_all(&dir);
}
