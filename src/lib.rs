//! checkout-conformance: a contract/conformance harness for the "Update a Checkout Session"
//! APIs of Stripe and Gr4vy, with a bundled reference mock.
//!
//! - [`wire`]: wire formats shared by vendors (RFC 3339 timestamps).
//! - [`vendor`]: what each vendor owns, one folder per vendor (paths, wire format, credentials,
//!   error envelope, its steps and its half of the mock).
//! - [`mock`]: the bundled reference mock and its fault injection.
//! - [`schema`]: the JSON Schemas every response body is validated against.
//! - [`client`]: the HTTP client, with secrets that cannot leak.
//! - [`diff`]: canonical JSON and unified diffs.
//! - [`explore`]: generated, model-based runs that shrink a mismatch to a scenario.
//! - [`steps`]: the cucumber World and step definitions.
//! - [`runner`]: the engine behind `run` and the test harness; the clause list.
//! - [`report`]: JUnit, Cucumber JSON, request log, diffs, summary.
//! - [`cli`]: the `checkout-conformance` command line.

#![recursion_limit = "256"]

pub mod cli;
pub mod client;
pub mod diff;
pub mod explore;
pub mod mock;
pub mod report;
pub mod runner;
pub mod schema;
pub mod steps;
pub mod vendor;
pub mod verdict;
pub mod wire;
