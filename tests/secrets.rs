//! Secrets never leave the process: a failing run (faults injected, so there are diffs and
//! failure messages) with canary credentials writes them nowhere — not to stdout, stderr, any
//! report, the request log, a diff or a failure message. Every output byte is searched.

use checkout_conformance::vendor::gr4vy::jwt::{self, SigningKey};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_checkout-conformance");

/// Every file under `dir`, concatenated.
fn every_byte(dir: &Path) -> Vec<u8> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("reports dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(every_byte(&path));
        } else {
            out.extend(std::fs::read(&path).expect("a report file"));
        }
    }
    out
}

/// Runs a failing suite with `env` and asserts none of `canaries` appears in any output.
fn assert_nowhere(name: &str, args: &[&str], env: &[(&str, &str)], canaries: &[&str]) {
    let reports = std::env::temp_dir().join(format!("cc-secrets-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&reports);
    let mut command = Command::new(BIN);
    command.args(["run", "--reports"]).arg(&reports).args(args);
    for (key, _) in std::env::vars() {
        if key.starts_with("CONFORMANCE_")
            || key.starts_with("STRIPE_")
            || key.starts_with("GR4VY_")
        {
            command.env_remove(key);
        }
    }
    let output = command
        .envs(env.iter().copied())
        .output()
        .expect("the binary runs");
    assert_eq!(
        output.status.code(),
        Some(1),
        "the run must fail on contract grounds (faults injected)"
    );
    let mut bytes = output.stdout.clone();
    bytes.extend(&output.stderr);
    bytes.extend(every_byte(&reports));
    assert!(bytes.len() > 10_000, "the run wrote its reports");
    // Positive control: the same search finds what is there (a failure's diff header).
    let control = b"--- expected (documentation)";
    assert!(
        bytes.windows(control.len()).any(|w| w == control),
        "the search must be able to find text"
    );
    for canary in canaries {
        let found = bytes.windows(canary.len()).any(|w| w == canary.as_bytes());
        assert!(
            !found,
            "{name}: a secret was written out: {}…",
            &canary[..12]
        );
    }
    let _ = std::fs::remove_dir_all(&reports);
}

#[test]
fn stripe_key_is_written_nowhere() {
    let key = "sk_test_CANARY_4f9d2a7c1e8b6f3d5a0c9e2b7d4f1a8c";
    assert_nowhere(
        "stripe",
        &[
            "--provider",
            "stripe",
            "--mock-fault",
            "metadata-unset-ignored",
            "--mock-fault",
            "error-without-param",
        ],
        &[("STRIPE_API_KEY", key)],
        &[key, &key[8..]],
    );
}

#[test]
fn gr4vy_token_is_written_nowhere() {
    let key = SigningKey::generate();
    let token = jwt::mint(
        &key,
        "canary-kid",
        &[jwt::READ_SCOPE, jwt::WRITE_SCOPE],
        Duration::from_secs(3600),
    )
    .expect("a token");
    let token = token.expose().to_owned();
    let signature = token.rsplit('.').next().unwrap_or_default().to_owned();
    assert_nowhere(
        "gr4vy-token",
        &[
            "--provider",
            "gr4vy",
            "--mock-fault",
            "gr4vy-metadata-merged",
            "--mock-fault",
            "gr4vy-error-details-empty",
        ],
        &[("GR4VY_TOKEN", &token)],
        &[&token, &signature],
    );
}

#[test]
fn gr4vy_private_key_and_minted_tokens_are_written_nowhere() {
    let key = SigningKey::generate();
    let pem = key.to_pkcs8_pem();
    let pem = pem.expose().to_owned();
    // The key material: the PEM body lines, each long enough to be unmistakable.
    let lines: Vec<&str> = pem
        .lines()
        .filter(|l| !l.starts_with("-----") && l.len() >= 40)
        .collect();
    assert!(!lines.is_empty());
    assert_nowhere(
        "gr4vy-key",
        &[
            "--provider",
            "gr4vy",
            "--mock-fault",
            "gr4vy-cart-items-appended",
        ],
        &[("GR4VY_PRIVATE_KEY", &pem)],
        &lines,
    );
}
