//! `cucumber.json`: the standard Cucumber JSON report, in cucumber's own serializable types
//! (`cucumber::writer::json`), kept per scenario as events arrive.
//!
//! cucumber's `Json` writer finds a scenario's entry by scanning every feature and element on
//! each event, which needs its events normalized (buffered and replayed in order). This writer
//! indexes entries by feature file and line instead, so events may arrive interleaved as the
//! scenarios run concurrently, and it adds the run's Stripe-Version to Stripe features as a tag.
//! The result is written by [`CucumberJson::write`] once the run ends, also when it was
//! interrupted (with the scenarios that ran).

use super::recorder::panic_text;
use crate::provider::Provider;
use cucumber::event::{self, Cucumber, HookType, Metadata, StepError};
use cucumber::gherkin;
use cucumber::writer::json::{Element, Feature, HookResult, RunResult, Status, Step, Tag};
use cucumber::{parser, Event, Writer};
use inflector::Inflector as _;
use std::collections::HashMap;
use std::io::Write as _;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

/// A cucumber writer collecting `cucumber.json`. Clones share what was collected.
///
/// ```no_run
/// use checkout_conformance::report::CucumberJson;
/// let json = CucumberJson::new(Some("2026-07-29.dahlia".into()));
/// // … tee it with the run's other writers, run the features, then:
/// json.write(std::path::Path::new("reports/cucumber.json"))?;
/// # Ok::<(), std::io::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct CucumberJson {
    state: Arc<Mutex<State>>,
}

#[derive(Debug, Default)]
struct State {
    stripe_version: Option<String>,
    features: Vec<Feature>,
    /// Feature (its address: cucumber shares one `Arc` of each feature across all its
    /// events, for the whole run) → index in `features`.
    feature_index: HashMap<usize, usize>,
    /// (feature index, scenario line, element type) → its element, and the scenario's step
    /// or hook in progress.
    elements: HashMap<(usize, usize, &'static str), Slot>,
}

#[derive(Debug)]
struct Slot {
    feature: usize,
    element: usize,
    /// When the step or hook in progress started.
    started: Option<SystemTime>,
}

impl CucumberJson {
    /// A writer adding `@stripe-version:<version>` to every `@stripe` feature when `Some`.
    pub fn new(stripe_version: Option<String>) -> CucumberJson {
        let state = State {
            stripe_version,
            ..State::default()
        };
        CucumberJson {
            state: Arc::new(Mutex::new(state)),
        }
    }

    /// Writes the report: features by file, scenarios by line.
    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        let mut state = self.lock();
        state
            .features
            .sort_by(|a, b| a.uri.cmp(&b.uri).then_with(|| a.name.cmp(&b.name)));
        for feature in &mut state.features {
            feature
                .elements
                .sort_by(|a, b| (a.line, a.r#type).cmp(&(b.line, b.r#type)));
        }
        let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
        serde_json::to_writer(&mut out, &state.features)?;
        out.flush()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl State {
    /// The slot of the element `ty` of `scenario`, created on its first event.
    fn slot(
        &mut self,
        feature: &gherkin::Feature,
        rule: Option<&gherkin::Rule>,
        scenario: &gherkin::Scenario,
        ty: &'static str,
    ) -> &mut Slot {
        let f = *self
            .feature_index
            .entry(std::ptr::from_ref(feature) as usize)
            .or_insert_with(|| {
                self.features
                    .push(new_feature(feature, self.stripe_version.as_deref()));
                self.features.len() - 1
            });
        let elements = &mut self.features[f].elements;
        self.elements
            .entry((f, scenario.position.line, ty))
            .or_insert_with(|| {
                elements.push(new_element(feature, rule, scenario, ty));
                Slot {
                    feature: f,
                    element: elements.len() - 1,
                    started: None,
                }
            })
    }

    fn element(&mut self, feature: usize, element: usize) -> &mut Element {
        &mut self.features[feature].elements[element]
    }

    fn scenario<W>(
        &mut self,
        feature: &gherkin::Feature,
        rule: Option<&gherkin::Rule>,
        scenario: &gherkin::Scenario,
        event: event::Scenario<W>,
        meta: Metadata,
    ) {
        match event {
            // Logs (embeddings) come only with cucumber's `tracing` feature, not used here.
            event::Scenario::Started | event::Scenario::Finished | event::Scenario::Log(_) => {}
            event::Scenario::Hook(kind, hook) => {
                let slot = self.slot(feature, rule, scenario, "scenario");
                let (status, error_message) = match hook {
                    event::Hook::Started => {
                        slot.started = Some(meta.at);
                        return;
                    }
                    event::Hook::Passed => (Status::Passed, None),
                    event::Hook::Failed(_, info) => (Status::Failed, Some(panic_text(&info))),
                };
                let result = HookResult {
                    result: slot.ended(status, error_message, meta.at),
                    embeddings: Vec::new(),
                };
                let (f, e) = (slot.feature, slot.element);
                let element = self.element(f, e);
                match kind {
                    HookType::Before => element.before.push(result),
                    HookType::After => element.after.push(result),
                }
            }
            event::Scenario::Background(step, ev) => {
                self.step(feature, rule, scenario, "background", &step, ev, meta);
            }
            event::Scenario::Step(step, ev) => {
                self.step(feature, rule, scenario, "scenario", &step, ev, meta);
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn step<W>(
        &mut self,
        feature: &gherkin::Feature,
        rule: Option<&gherkin::Rule>,
        scenario: &gherkin::Scenario,
        ty: &'static str,
        step: &gherkin::Step,
        event: event::Step<W>,
        meta: Metadata,
    ) {
        let slot = self.slot(feature, rule, scenario, ty);
        let (status, error_message) = match event {
            event::Step::Started => {
                slot.started = Some(meta.at);
                return;
            }
            event::Step::Passed(..) => (Status::Passed, None),
            event::Step::Skipped => (Status::Skipped, None),
            event::Step::Failed(_, location, _, error) => {
                let status = match &error {
                    StepError::NotFound => Status::Undefined,
                    StepError::AmbiguousMatch(_) => Status::Ambiguous,
                    StepError::Panic(_) => Status::Failed,
                };
                let matched = location
                    .map(|l| format!("Matched: {}:{}:{}\n", l.path, l.line, l.column))
                    .unwrap_or_default();
                (status, Some(format!("{matched}{error}")))
            }
        };
        let step = Step {
            keyword: step.keyword.clone(),
            line: step.position.line,
            name: step.value.clone(),
            hidden: false,
            result: slot.ended(status, error_message, meta.at),
            embeddings: Vec::new(),
        };
        let (f, e) = (slot.feature, slot.element);
        self.element(f, e).steps.push(step);
    }
}

impl Slot {
    /// The result of the step or hook in progress, ended at `at`; its duration in nanoseconds
    /// (0 when unknown), as cucumber-jvm reports durations.
    fn ended(
        &mut self,
        status: Status,
        error_message: Option<String>,
        at: SystemTime,
    ) -> RunResult {
        let duration = self
            .started
            .take()
            .and_then(|s| at.duration_since(s).ok())
            .map_or(0, |d| d.as_nanos());
        RunResult {
            status,
            duration,
            error_message,
        }
    }
}

fn new_feature(feature: &gherkin::Feature, stripe_version: Option<&str>) -> Feature {
    let tag = |name: String| Tag {
        name,
        line: feature.position.line,
    };
    let mut tags: Vec<Tag> = feature.tags.iter().cloned().map(tag).collect();
    let stripe =
        Provider::from_tags(feature.tags.iter().map(String::as_str)) == Some(Provider::Stripe);
    if let Some(version) = stripe_version.filter(|_| stripe) {
        tags.push(tag(format!("@stripe-version:{version}")));
    }
    Feature {
        uri: feature.path.as_deref().map(relative_uri),
        keyword: feature.keyword.clone(),
        name: feature.name.clone(),
        tags,
        elements: Vec::new(),
    }
}

fn new_element(
    feature: &gherkin::Feature,
    rule: Option<&gherkin::Rule>,
    scenario: &gherkin::Scenario,
    ty: &'static str,
) -> Element {
    let keyword = match (ty, &feature.background) {
        ("background", Some(background)) => background.keyword.clone(),
        _ => scenario.keyword.clone(),
    };
    let rule_id = rule
        .map(|r| format!("/{}", r.name.to_kebab_case()))
        .unwrap_or_default();
    Element {
        after: Vec::new(),
        before: Vec::new(),
        keyword,
        r#type: ty,
        id: format!(
            "{}{rule_id}/{}",
            feature.name.to_kebab_case(),
            scenario.name.to_kebab_case()
        ),
        line: scenario.position.line,
        name: match rule {
            Some(r) => format!("{} {}", r.name, scenario.name),
            None => scenario.name.clone(),
        },
        tags: scenario
            .tags
            .iter()
            .map(|t| Tag {
                name: t.clone(),
                line: scenario.position.line,
            })
            .collect(),
        steps: Vec::new(),
    }
}

/// The feature's path relative to the working directory when under it (as cucumber's own
/// writer reports it), else as it is.
fn relative_uri(path: &Path) -> String {
    let relative = std::env::current_dir()
        .ok()
        .and_then(|dir| path.strip_prefix(dir).ok().map(Path::to_path_buf));
    relative.as_deref().unwrap_or(path).display().to_string()
}

impl<W: cucumber::World> Writer<W> for CucumberJson {
    type Cli = cucumber::cli::Empty;

    async fn handle_event(&mut self, event: parser::Result<Event<Cucumber<W>>>, _: &Self::Cli) {
        // Parse errors never reach here: the runner parses the features itself, first.
        let Ok(event) = event else { return };
        let (event, meta) = event.split();
        match event {
            Cucumber::Feature(feature, event::Feature::Scenario(scenario, retryable)) => {
                self.lock()
                    .scenario(&feature, None, &scenario, retryable.event, meta);
            }
            Cucumber::Feature(
                feature,
                event::Feature::Rule(rule, event::Rule::Scenario(scenario, retryable)),
            ) => {
                self.lock()
                    .scenario(&feature, Some(&rule), &scenario, retryable.event, meta);
            }
            _ => {}
        }
    }
}

impl cucumber::writer::NonTransforming for CucumberJson {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_is_relative_to_the_working_directory() {
        let here = std::env::current_dir().expect("a working directory");
        assert_eq!(
            relative_uri(&here.join("features/stripe/metadata.feature")),
            "features/stripe/metadata.feature"
        );
        assert_eq!(
            relative_uri(Path::new("/elsewhere/a.feature")),
            "/elsewhere/a.feature"
        );
    }
}
