//! What a run writes: each report its own writer.
//!
//! - `cucumber.json` ([`cucumber_json`]): the Cucumber JSON format, from the recorded results
//!   (with the run's Stripe-Version as a tag of Stripe features).
//! - `junit.xml` ([`junit`]): from the recorded results, so that an infrastructure error is an
//!   `<error>` and a broken contract a `<failure>`.
//! - `requests.ndjson`: [`RequestLog`], written by the steps as requests complete.
//! - [`Recorder`]: a cucumber writer that collects each scenario's outcome, from which
//!   `summary.md` ([`summary`]) and `diffs/<feature>/<scenario>.diff` ([`write_diffs`]) are written.

mod cucumber_json;
mod junit;
mod recorder;
mod requests;
mod summary;

pub use crate::verdict::{Outcome, Tally};
pub use cucumber_json::cucumber_json;
pub use junit::junit;
pub use recorder::{Recorder, ScenarioResult, StepResult, StepStatus};
pub use requests::RequestLog;
pub use summary::{clause_verdict, summary, write_diffs};

/// A name made safe for a file name: lowercase letters, digits and `-`.
///
/// ```
/// assert_eq!(checkout_conformance::report::slug("A sixth shipping option is rejected!"), "a-sixth-shipping-option-is-rejected");
/// ```
pub fn slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').chars().take(120).collect()
}
