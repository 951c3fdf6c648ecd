//! A cucumber writer that records each scenario's outcome, for the summary, the diff files and
//! the exit code.

use crate::steps::INFRASTRUCTURE;
use cucumber::event::{self, Cucumber, Feature, Rule, Scenario, Step, StepError};
use cucumber::{parser, Event, Writer};
use std::any::Any;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// How a scenario ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Every step passed.
    Passed,
    /// A step failed: the target breaks the documented contract. Holds the failure message
    /// (diff, request, Request-Id).
    Failed(String),
    /// A step had no definition: the feature cannot be checked as written.
    Skipped(String),
    /// The target could not be reached or did not answer: not a contract failure.
    Infrastructure(String),
}

/// One scenario's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScenarioResult {
    /// The feature's name.
    pub feature: String,
    /// The feature file.
    pub path: Option<PathBuf>,
    /// The scenario's name.
    pub scenario: String,
    /// The scenario's line in the feature file.
    pub line: usize,
    /// Tags of the feature, rule and scenario, without `@`.
    pub tags: Vec<String>,
    /// Requests of the scenario that the client had to retry: a scenario that passed with
    /// retries is flaky.
    pub retries: usize,
    /// How it ended.
    pub outcome: Outcome,
}

/// Collects [`ScenarioResult`]s while cucumber runs.
#[derive(Debug, Clone, Default)]
pub struct Recorder {
    results: Arc<Mutex<Vec<ScenarioResult>>>,
}

impl Recorder {
    /// The results recorded so far, in the order scenarios started.
    pub fn results(&self) -> Vec<ScenarioResult> {
        self.results
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn scenario<W>(
        &self,
        feature: &cucumber::gherkin::Feature,
        rule: Option<&cucumber::gherkin::Rule>,
        scenario: &cucumber::gherkin::Scenario,
        event: &Scenario<W>,
    ) {
        let mut results = self.results.lock().unwrap_or_else(|p| p.into_inner());
        let is_this =
            |r: &ScenarioResult| r.path == feature.path && r.line == scenario.position.line;
        let outcome = match event {
            Scenario::Started => {
                let tags = crate::runner::scenario_tags(feature, rule, scenario)
                    .into_iter()
                    .map(str::to_owned)
                    .collect();
                results.push(ScenarioResult {
                    feature: feature.name.clone(),
                    path: feature.path.clone(),
                    scenario: scenario.name.clone(),
                    line: scenario.position.line,
                    tags,
                    retries: 0,
                    outcome: Outcome::Passed,
                });
                return;
            }
            Scenario::Step(step, Step::Failed(_, _, _, error))
            | Scenario::Background(step, Step::Failed(_, _, _, error)) => {
                failure(&step.keyword, &step.value, error)
            }
            Scenario::Step(step, Step::Skipped) | Scenario::Background(step, Step::Skipped) => {
                Outcome::Skipped(format!(
                    "no step definition matches `{}{}`",
                    step.keyword, step.value
                ))
            }
            Scenario::Hook(_, event::Hook::Failed(_, info)) => {
                Outcome::Failed(format!("a hook failed: {}", panic_text(info)))
            }
            _ => return,
        };
        if let Some(result) = results.iter_mut().rev().find(|r| is_this(r)) {
            if result.outcome == Outcome::Passed {
                result.outcome = outcome;
            }
        }
    }
}

fn failure(keyword: &str, text: &str, error: &StepError) -> Outcome {
    let message = match error {
        StepError::Panic(info) => panic_text(info),
        other => other.to_string(),
    };
    match message.strip_prefix(INFRASTRUCTURE) {
        Some(rest) => Outcome::Infrastructure(format!("{keyword}{text}\n{INFRASTRUCTURE}{rest}")),
        None => Outcome::Failed(format!("{keyword}{text}\n{message}")),
    }
}

pub(crate) fn panic_text(info: &Arc<dyn Any + Send + 'static>) -> String {
    if let Some(s) = info.downcast_ref::<String>() {
        s.clone()
    } else if let Some(s) = info.downcast_ref::<&str>() {
        (*s).to_owned()
    } else {
        "the step panicked with a non-text payload".to_owned()
    }
}

impl<W: cucumber::World> Writer<W> for Recorder {
    type Cli = cucumber::cli::Empty;

    async fn handle_event(&mut self, event: parser::Result<Event<Cucumber<W>>>, _: &Self::Cli) {
        match event.map(Event::into_inner) {
            // Parse errors never reach here: the runner parses the features itself, first.
            Err(_) => {}
            Ok(Cucumber::Feature(feature, Feature::Scenario(scenario, retryable))) => {
                self.scenario(&feature, None, &scenario, &retryable.event);
            }
            Ok(Cucumber::Feature(
                feature,
                Feature::Rule(rule, Rule::Scenario(scenario, retryable)),
            )) => {
                self.scenario(&feature, Some(&rule), &scenario, &retryable.event);
            }
            Ok(_) => {}
        }
    }
}

impl cucumber::writer::NonTransforming for Recorder {}
