//! The integration tests, gathered into one test binary: each module is one topic (a real mock,
//! the binary, or a hand-written misbehaving server on 127.0.0.1:0), and the library is linked
//! once instead of once per file. Run one topic with a filter: `cargo test --test integration
//! mock_rules::`. The conformance suite (`tests/conformance.rs`, `harness = false`) and the
//! detection proof (`tests/detection.rs`, long and CPU-heavy) are binaries of their own.

#![recursion_limit = "256"]

mod common;

mod authoring;
mod cli;
mod client_resilience;
mod cucumber_consumer;
mod explore;
mod explore_reports;
mod junit_schemas;
mod jwt;
mod layout;
mod mock_envelope;
mod mock_faults;
mod mock_gr4vy;
mod mock_gr4vy_keys;
mod mock_hostile;
mod mock_params;
mod mock_rules;
mod mock_versions;
mod readme;
mod reports;
mod run_cli;
mod sandbox_grade;
mod schemas;
mod sdk;
mod secrets;
mod verdict;
mod workflows;
