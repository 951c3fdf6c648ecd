//! A cucumber writer that records each scenario as it runs — its steps, their durations and the
//! typed outcome — for every report: the console, `summary.md`, `junit.xml`, `cucumber.json`
//! and the diff files are all written from these results, so they agree.

use crate::client::Exchange;
use crate::verdict::{Outcome, StepFailure};
use cucumber::event::{self, Cucumber, Feature, Rule, Scenario, Step, StepError};
use cucumber::gherkin::StepType;
use cucumber::{parser, Event, Writer};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

/// How one step ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepStatus {
    /// It passed.
    Passed,
    /// It stopped the scenario.
    Failed,
    /// It did not run (an earlier step stopped the scenario, or the scenario never started).
    Skipped,
}

/// One step of a scenario as it ran.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepResult {
    /// Whether it is a step of the feature's Background.
    pub background: bool,
    /// Its line in the feature file.
    pub line: usize,
    /// How it ended.
    pub status: StepStatus,
    /// How long it took.
    pub duration: Duration,
    /// When it started.
    pub started_at: Option<SystemTime>,
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
    /// How long it took, hooks included.
    pub duration: Duration,
    /// The steps that ran, in order (Background steps first).
    pub steps: Vec<StepResult>,
    /// When it started (`None`: it never did).
    pub started_at: Option<SystemTime>,
    /// Its requests and their answers, in order, secrets redacted (its cleanup's included).
    pub requests: Vec<Exchange>,
    /// The command repeating the request under test (or, when no When step sent one, the last
    /// request before the scenario stopped), for a scenario that did not pass.
    pub reproduction: Option<String>,
}

impl ScenarioResult {
    /// A scenario that has not run (yet): its outcome is `outcome`.
    pub fn planned(
        feature: &cucumber::gherkin::Feature,
        scenario: &cucumber::gherkin::Scenario,
        tags: Vec<String>,
        outcome: Outcome,
    ) -> ScenarioResult {
        ScenarioResult {
            feature: feature.name.clone(),
            path: feature.path.clone(),
            scenario: scenario.name.clone(),
            line: scenario.position.line,
            tags,
            retries: 0,
            outcome,
            duration: Duration::ZERO,
            steps: Vec::new(),
            started_at: None,
            requests: Vec::new(),
            reproduction: None,
        }
    }

    /// `Feature / Scenario`: how the request log and the retry counts name the scenario.
    pub fn key(&self) -> String {
        Self::key_of(&self.feature, &self.scenario)
    }

    /// [`Self::key`] of a feature and scenario name.
    pub fn key_of(feature: &str, scenario: &str) -> String {
        format!("{feature} / {scenario}")
    }

    /// The provider's tag among the scenario's tags.
    pub fn provider(&self) -> Option<crate::vendor::Provider> {
        crate::vendor::Provider::from_tags(self.tags.iter().map(String::as_str))
    }
}

/// Collects [`ScenarioResult`]s while cucumber runs, and hands each scenario as it finishes to
/// a callback (the console's live lines). Clones share what was collected.
#[derive(Clone, Default)]
pub struct Recorder {
    state: Arc<Mutex<State>>,
    on_finish: Option<OnFinish>,
}

type OnFinish = Arc<dyn Fn(&ScenarioResult) + Send + Sync>;

impl std::fmt::Debug for Recorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recorder")
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Default)]
struct State {
    results: Vec<Running>,
    /// (feature, scenario line) → index in `results`. A feature is keyed by its address:
    /// cucumber shares one `Arc` of each feature across all its events, for the whole run.
    index: HashMap<(usize, usize), usize>,
    /// Each scenario's request under test ([`ScenarioResult::key`] → exchange).
    under_test: HashMap<String, Exchange>,
}

#[derive(Debug)]
struct Running {
    result: ScenarioResult,
    started: Instant,
    step_started: Option<(Instant, SystemTime)>,
    finished: bool,
    decided: Option<Outcome>,
}

impl Recorder {
    /// The scenarios recorded so far: finished ones with their outcome, the others (started,
    /// not finished: the run was interrupted) as not run.
    pub fn results(&self) -> Vec<ScenarioResult> {
        let state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        state
            .results
            .iter()
            .map(|r| {
                let mut result = r.result.clone();
                if !r.finished {
                    result.outcome = Outcome::NotRun(
                        "interrupted: the run was stopped before this scenario finished".into(),
                    );
                }
                result
            })
            .collect()
    }

    /// Notes the request under test of the scenario `key` (see [`ScenarioResult::key`]).
    pub fn note_request_under_test(&self, key: String, exchange: Exchange) {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        state.under_test.insert(key, exchange);
    }

    /// The request under test noted for the scenario `key`, handed out once.
    pub fn take_request_under_test(&self, key: &str) -> Option<Exchange> {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        state.under_test.remove(key)
    }

    /// A recorder that calls `report` with each scenario as it finishes.
    pub fn watching(report: impl Fn(&ScenarioResult) + Send + Sync + 'static) -> Recorder {
        Recorder {
            on_finish: Some(Arc::new(report)),
            ..Recorder::default()
        }
    }

    fn scenario<W>(
        &self,
        feature: &cucumber::gherkin::Feature,
        rule: Option<&cucumber::gherkin::Rule>,
        scenario: &cucumber::gherkin::Scenario,
        event: &Scenario<W>,
    ) -> Option<ScenarioResult> {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        let key = (std::ptr::from_ref(feature) as usize, scenario.position.line);
        if let Scenario::Started = event {
            let tags = crate::runner::scenario_tags(feature, rule, scenario)
                .into_iter()
                .map(str::to_owned)
                .collect();
            let index = state.results.len();
            let mut result = ScenarioResult::planned(feature, scenario, tags, Outcome::Passed);
            result.started_at = Some(SystemTime::now());
            state.results.push(Running {
                result,
                started: Instant::now(),
                step_started: None,
                finished: false,
                decided: None,
            });
            state.index.insert(key, index);
            return None;
        }
        let index = *state.index.get(&key)?;
        let running = state.results.get_mut(index)?;
        match event {
            Scenario::Step(step, ev) => running.step(step, ev, false),
            Scenario::Background(step, ev) => running.step(step, ev, true),
            Scenario::Hook(_, event::Hook::Failed(_, info)) if running.decided.is_none() => {
                let failure = StepFailure::from_payload(info.as_ref());
                running.decided = Some(Outcome::Infrastructure(format!(
                    "a hook failed: {}",
                    failure.message
                )));
            }
            Scenario::Finished => {
                running.finished = true;
                running.result.duration = running.started.elapsed();
                running.result.outcome = running.decided.take().unwrap_or(Outcome::Passed);
                return self.on_finish.is_some().then(|| running.result.clone());
            }
            _ => {}
        }
        None
    }
}

impl Running {
    fn step<W>(&mut self, step: &cucumber::gherkin::Step, event: &Step<W>, background: bool) {
        let status = match event {
            Step::Started => {
                self.step_started = Some((Instant::now(), SystemTime::now()));
                return;
            }
            Step::Passed(..) => StepStatus::Passed,
            Step::Skipped => {
                if self.decided.is_none() {
                    // The dry run matches every step before the run: this cannot happen.
                    self.decided = Some(Outcome::SetupFailed(format!(
                        "no step definition matches `{}{}`",
                        step.keyword, step.value
                    )));
                }
                StepStatus::Skipped
            }
            Step::Failed(_, _, _, error) => {
                if self.decided.is_none() {
                    let failure = match error {
                        StepError::Panic(payload) => StepFailure::from_payload(payload.as_ref()),
                        other => StepFailure::new(
                            crate::verdict::FailureKind::Authoring,
                            other.to_string(),
                        ),
                    };
                    let mut failure = failure;
                    failure.message = format!(
                        "{}\nstep: {}{} (line {})",
                        failure.message, step.keyword, step.value, step.position.line
                    );
                    self.decided = Some(Outcome::from_failure(failure, step.ty == StepType::Given));
                }
                StepStatus::Failed
            }
        };
        let started = self.step_started.take();
        self.result.steps.push(StepResult {
            background,
            line: step.position.line,
            status,
            duration: started.map(|(t, _)| t.elapsed()).unwrap_or_default(),
            started_at: started.map(|(_, at)| at),
        });
    }
}

impl<W: cucumber::World> Writer<W> for Recorder {
    type Cli = cucumber::cli::Empty;

    async fn handle_event(&mut self, event: parser::Result<Event<Cucumber<W>>>, _: &Self::Cli) {
        // Outside the lock: the callback may take its time (a terminal, a pipe).
        if let (Some(finished), Some(report)) = (handle(self, event), &self.on_finish) {
            report(&finished);
        }
    }
}

/// Records one event; returns the scenario it finished, if any (when someone watches).
fn handle<W>(
    recorder: &Recorder,
    event: parser::Result<Event<Cucumber<W>>>,
) -> Option<ScenarioResult> {
    match event.map(Event::into_inner) {
        // Parse errors never reach here: the runner parses the features itself, first.
        Err(_) => None,
        Ok(Cucumber::Feature(feature, Feature::Scenario(scenario, retryable))) => {
            recorder.scenario(&feature, None, &scenario, &retryable.event)
        }
        Ok(Cucumber::Feature(
            feature,
            Feature::Rule(rule, Rule::Scenario(scenario, retryable)),
        )) => recorder.scenario(&feature, Some(&rule), &scenario, &retryable.event),
        Ok(_) => None,
    }
}

impl cucumber::writer::NonTransforming for Recorder {}
