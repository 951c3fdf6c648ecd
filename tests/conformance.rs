//! The conformance suite as a cargo test: `cargo test --test conformance [-- --tags @metadata]`,
//! or an exploration: `cargo test --test conformance -- explore --provider stripe [--seed N …]`.
//! Runs every feature against the bundled mock, or against `CONFORMANCE_BASE_URL` when set.

fn main() -> std::process::ExitCode {
    checkout_conformance::cli::harness()
}
