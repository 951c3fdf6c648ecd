//! The conformance suite as a cargo test: `cargo test --test conformance [-- --tags @metadata]`.
//! Runs every feature against the bundled mock, or against `CONFORMANCE_BASE_URL` when set.

fn main() -> std::process::ExitCode {
    checkout_conformance::cli::harness()
}
