//! What a run writes: each report its own writer.
//!
//! - `cucumber.json` ([`cucumber_json`]): the Cucumber JSON format, from the recorded results
//!   (with the run's Stripe-Version as a tag of Stripe features).
//! - `junit.xml` ([`junit`]): from the recorded results, so that an infrastructure error is an
//!   `<error>` and a broken contract a `<failure>`.
//! - `requests.ndjson`: [`RequestLog`], written by the steps as requests complete.
//! - `index.html` ([`html`]): the run as one self-contained page, from the same results.
//! - [`Recorder`]: a cucumber writer that collects each scenario's outcome, from which
//!   `summary.md` ([`summary`]) and `diffs/<feature>/<scenario>.diff` ([`write_diffs`]) are written.

mod cucumber_json;
mod curl;
pub mod html;
mod junit;
mod recorder;
mod requests;
mod summary;

pub use crate::verdict::{Outcome, Tally};
pub use cucumber_json::cucumber_json;
pub use curl::{curl, curl_as, reproduce_with, Authorization, CurlError};
pub use junit::junit;
pub use recorder::{Recorder, ScenarioResult, StepResult, StepStatus};
pub use requests::{timestamp, RequestLog};
pub use summary::{clause_verdict, summary, write_diffs};

/// What a run's exit code means, as the console and `index.html` say it.
///
/// ```
/// assert_eq!(checkout_conformance::report::exit_meaning(1), "a documented behaviour differs (see the diffs)");
/// ```
pub fn exit_meaning(code: u8) -> &'static str {
    match code {
        0 => "every scenario passed or was not applicable",
        1 => "a documented behaviour differs (see the diffs)",
        130 => "interrupted: unfinished scenarios are not run",
        _ => "nothing failed, but not every clause was verified (setup failures, infrastructure errors or scenarios not run), or the run could not be made",
    }
}

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
