//! The dry run: every step of every scenario about to run is matched with its definition and
//! run with a World that sends nothing ([`ConformanceWorld::dry`]), before the first request.
//! It finds what would otherwise surface as a wrong verdict at run time: a step no definition
//! matches (or several do), a table of the wrong shape, a doc string that is not JSON or a
//! form body, a placeholder that is unknown or names a fixture no Given step created, a Then
//! step with no When step before it.

use super::{ConformanceWorld, DryRunStop};
use crate::provider::Provider;
use crate::verdict::{FailureKind, StepFailure};
use cucumber::gherkin::{Feature, Rule, Scenario, Step};
use cucumber::World as _;
use std::panic::AssertUnwindSafe;
use std::task::{Context, Poll, Waker};

/// An authoring mistake, located.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct AuthoringError {
    /// The feature file.
    pub file: String,
    /// The step's line.
    pub line: usize,
    /// The step's column.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

/// Dry-runs `scenarios` (each with its feature and provider); returns every mistake found.
pub(crate) fn dry_run<'a>(
    scenarios: impl IntoIterator<Item = (&'a Feature, Option<&'a Rule>, &'a Scenario, Provider)>,
) -> Vec<AuthoringError> {
    let collection = ConformanceWorld::collection();
    let mut errors = Vec::new();
    for (feature, rule, scenario, provider) in scenarios {
        let mut world = ConformanceWorld::dry(provider);
        for (_, step) in crate::runner::scenario_steps(feature, rule, scenario) {
            if let Err(message) = run_step(&collection, &mut world, step) {
                errors.push(AuthoringError {
                    file: feature
                        .path
                        .as_ref()
                        .map(|p| p.display().to_string())
                        .unwrap_or_else(|| feature.name.clone()),
                    line: step.position.line,
                    column: step.position.col,
                    message,
                });
                // Later steps build on this one: one mistake per scenario.
                break;
            }
        }
    }
    // A Background's mistake is found once per scenario: report it once.
    errors.sort();
    errors.dedup();
    errors
}

/// Runs one step dry: `Err` holds the authoring mistake.
fn run_step(
    collection: &cucumber::step::Collection<ConformanceWorld>,
    world: &mut ConformanceWorld,
    step: &Step,
) -> Result<(), String> {
    let found = collection.find(step).map_err(|e| {
        format!(
            "`{}{}` matches more than one step definition: {e}",
            step.keyword, step.value
        )
    })?;
    let Some((function, _, _, context)) = found else {
        return Err(format!(
            "no step definition matches `{}{}`",
            step.keyword, step.value
        ));
    };
    let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| {
        let mut future = function(world, context);
        // A dry step never waits: it ends before anything it would send.
        future
            .as_mut()
            .poll(&mut Context::from_waker(Waker::noop()))
    }));
    match outcome {
        Ok(Poll::Ready(())) => Ok(()),
        Ok(Poll::Pending) => Err(format!(
            "internal error: the step `{}` waited for I/O in a dry run",
            step.value
        )),
        Err(payload) if payload.is::<DryRunStop>() => Ok(()),
        Err(payload) => {
            let failure = StepFailure::from_payload(payload.as_ref());
            match failure.kind {
                FailureKind::Authoring => Err(failure.message),
                // Cannot run with this configuration: the run itself says so.
                FailureKind::NotApplicable => Ok(()),
                // A capture the step definition cannot read (`{int}` out of range, …).
                _ => Err(failure.message),
            }
        }
    }
}
