//! The dry run: every step of every scenario about to run is matched with its definition and
//! run with a World that sends nothing ([`ConformanceWorld::dry`]), before the first request.
//! It finds what would otherwise surface as a wrong verdict at run time: a step no definition
//! matches (or several do), a table of the wrong shape, a doc string that is not JSON or a
//! form body, a placeholder that is unknown or names a fixture no Given step created, a Then
//! step with no When step before it.

use super::ConformanceWorld;
use crate::vendor::Provider;
use crate::verdict::{FailureKind, StepFailure};
use cucumber::gherkin::{Feature, Rule, Scenario, Step, StepType};
use std::collections::HashMap;
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

/// One scenario to dry-run: its feature, rule and provider.
pub(crate) type Planned<'a> = (&'a Feature, Option<&'a Rule>, &'a Scenario, Provider);

/// Dry-runs `scenarios`; returns every mistake found. `collection` is the run's step
/// definitions (the same the run then hands cucumber: built once, its patterns compiled once).
pub(crate) fn dry_run(
    collection: &cucumber::step::Collection<ConformanceWorld>,
    scenarios: &[Planned<'_>],
) -> Vec<AuthoringError> {
    let mut errors = Vec::new();
    let mut matcher = Matcher {
        collection,
        found: HashMap::new(),
    };
    for &(feature, rule, scenario, provider) in scenarios {
        let mut world = ConformanceWorld::dry(provider);
        for (_, step) in crate::runner::scenario_steps(feature, rule, scenario) {
            if let Err(message) = run_step(&mut matcher, &mut world, step) {
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

/// A step function and the captures it reads.
type Found = (
    cucumber::step::Step<ConformanceWorld>,
    Vec<(cucumber::step::CaptureName, String)>,
);

/// Finds each distinct step sentence's definition once (Backgrounds and common sentences
/// recur in many scenarios; matching tries every definition's pattern).
struct Matcher<'c> {
    collection: &'c cucumber::step::Collection<ConformanceWorld>,
    found: HashMap<(StepType, String), Result<Found, String>>,
}

impl Matcher<'_> {
    /// The definition of `step` and its captures, or why there is none.
    fn find(&mut self, step: &Step) -> Result<Found, String> {
        let collection = self.collection;
        self.found
            .entry((step.ty, step.value.clone()))
            .or_insert_with(|| match collection.find(step) {
                Ok(Some((function, _, _, context))) => Ok((*function, context.matches)),
                Ok(None) => Err(format!(
                    "no step definition matches `{}{}`",
                    step.keyword, step.value
                )),
                Err(e) => Err(format!(
                    "`{}{}` matches more than one step definition: {e}",
                    step.keyword, step.value
                )),
            })
            .clone()
    }
}

/// Runs one step dry: `Err` holds the authoring mistake.
fn run_step(
    matcher: &mut Matcher<'_>,
    world: &mut ConformanceWorld,
    step: &Step,
) -> Result<(), String> {
    let (function, matches) = matcher.find(step)?;
    let context = cucumber::step::Context {
        step: step.clone(),
        matches,
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
        // Waiting: the step reached its first request (see `ConformanceWorld::dry_stop`).
        Ok(Poll::Pending) => Ok(()),
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
