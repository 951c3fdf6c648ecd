//! `cucumber.json`: the Cucumber JSON format, written from the recorded results and the
//! features they ran from, so that it counts what every other report counts.
//!
//! Every scenario of the run is present whatever its outcome (an unreachable target, a run
//! interrupted before it started: its steps `skipped`, the outcome on the first). Background
//! steps are a `background` element before each scenario element, as Cucumber-JVM writes them;
//! when the Background stopped the scenario, the scenario's first step also carries the outcome
//! (`failed`), so that dashboards that ignore `background` elements when counting still count
//! the scenario as failed. A step carries its data table (`rows`) and doc string
//! (`doc_string`), and the requests it sent with their answers as `embeddings` (a
//! `text/plain` request, an `application/json` or `text/plain` answer, base64, secrets
//! redacted); the failed step's `error_message` is the outcome and its message (no matcher or
//! panic noise). Stripe features carry the run's `@stripe-version:…` tag.

use super::recorder::{StepResult, StepStatus};
use super::ScenarioResult;
use crate::client::Exchange;
use crate::vendor::Provider;
use crate::verdict::Outcome;
use base64::Engine as _;
use cucumber::gherkin;
use inflector::Inflector as _;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// The `cucumber.json` document for `results` (sorted by feature file, as the runner sorts
/// them), which ran from `features`, pretty-printed. A feature of a provider in `versions` is
/// tagged `@<provider>-version:<version>` (`@stripe-version:2026-07-29.dahlia`).
pub fn cucumber_json(
    features: &[gherkin::Feature],
    results: &[ScenarioResult],
    versions: &BTreeMap<Provider, String>,
) -> String {
    let by_path: HashMap<Option<&PathBuf>, &gherkin::Feature> =
        features.iter().map(|f| (f.path.as_ref(), f)).collect();
    let mut out: Vec<(Option<&PathBuf>, FeatureJson<'_>)> = Vec::new();
    for result in results {
        let Some(feature) = by_path.get(&result.path.as_ref()).copied() else {
            continue;
        };
        let Some((rule, scenario)) = find_scenario(feature, result.line) else {
            continue;
        };
        // Results come sorted by feature file: a feature's scenarios are consecutive.
        if out
            .last()
            .is_none_or(|(path, _)| *path != result.path.as_ref())
        {
            out.push((result.path.as_ref(), new_feature(feature, versions)));
        }
        if let Some((_, json)) = out.last_mut() {
            json.elements
                .extend(scenario_elements(feature, rule, scenario, result));
        }
    }
    let features: Vec<FeatureJson<'_>> = out.into_iter().map(|(_, f)| f).collect();
    serde_json::to_string_pretty(&features).unwrap_or_else(|_| "[]".into())
}

// The Cucumber JSON format, borrowing from the features and results (no tree of values built
// and dropped per run).

#[derive(Serialize)]
struct FeatureJson<'a> {
    uri: Option<String>,
    id: String,
    keyword: &'a str,
    name: &'a str,
    description: &'a str,
    line: usize,
    tags: Vec<TagJson>,
    elements: Vec<ElementJson<'a>>,
}

#[derive(Serialize)]
struct TagJson {
    name: String,
    line: usize,
}

#[derive(Serialize)]
struct ElementJson<'a> {
    keyword: &'a str,
    #[serde(rename = "type")]
    ty: &'static str,
    id: String,
    name: String,
    description: &'a str,
    line: usize,
    tags: Vec<TagJson>,
    steps: Vec<StepJson<'a>>,
}

#[derive(Serialize)]
struct StepJson<'a> {
    keyword: &'a str,
    name: &'a str,
    line: usize,
    result: ResultJson,
    /// A data table as cucumber-js writes it.
    #[serde(skip_serializing_if = "Option::is_none")]
    arguments: Option<[Rows<'a>; 1]>,
    /// A data table as Cucumber-JVM writes it.
    #[serde(skip_serializing_if = "Option::is_none")]
    rows: Option<Vec<Row<'a>>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    doc_string: Option<DocString<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    embeddings: Vec<Embedding>,
}

#[derive(Serialize)]
struct Embedding {
    mime_type: &'static str,
    /// Base64.
    data: String,
}

#[derive(Serialize)]
struct ResultJson {
    status: &'static str,
    /// Nanoseconds.
    duration: u128,
    #[serde(skip_serializing_if = "Option::is_none")]
    error_message: Option<String>,
}

#[derive(Serialize)]
struct Rows<'a> {
    rows: Vec<Row<'a>>,
}

#[derive(Serialize)]
struct Row<'a> {
    cells: &'a [String],
}

#[derive(Serialize)]
struct DocString<'a> {
    value: &'a str,
    content_type: &'static str,
    line: usize,
}

pub(super) fn find_scenario(
    feature: &gherkin::Feature,
    line: usize,
) -> Option<(Option<&gherkin::Rule>, &gherkin::Scenario)> {
    feature
        .scenarios
        .iter()
        .map(|s| (None, s))
        .chain(
            feature
                .rules
                .iter()
                .flat_map(|r| r.scenarios.iter().map(move |s| (Some(r), s))),
        )
        .find(|(_, s)| s.position.line == line)
}

fn tags(names: &[String], line: usize) -> Vec<TagJson> {
    names
        .iter()
        .map(|t| TagJson {
            name: if t.starts_with('@') {
                t.clone()
            } else {
                format!("@{t}")
            },
            line,
        })
        .collect()
}

fn new_feature<'a>(
    feature: &'a gherkin::Feature,
    versions: &BTreeMap<Provider, String>,
) -> FeatureJson<'a> {
    let mut names = feature.tags.clone();
    let provider = Provider::from_tags(feature.tags.iter().map(String::as_str));
    if let Some((provider, version)) = provider.and_then(|p| Some((p, versions.get(&p)?))) {
        names.push(format!("@{provider}-version:{version}"));
    }
    FeatureJson {
        uri: feature.path.as_deref().map(relative_uri),
        id: feature.name.to_kebab_case(),
        keyword: &feature.keyword,
        name: &feature.name,
        description: feature.description.as_deref().unwrap_or_default(),
        line: feature.position.line,
        tags: tags(&names, feature.position.line),
        elements: Vec::new(),
    }
}

/// The elements of one scenario's result: a `background` element with the Background steps
/// (the feature's, then the rule's) when there are any, then the scenario's. The step that
/// decided the outcome — the one that stopped the scenario, or else the scenario's first step
/// that did not run — carries it: `failed` for failed, setup failed and infrastructure,
/// `skipped` for not applicable and not run, with the outcome as its `error_message`.
fn scenario_elements<'a>(
    feature: &'a gherkin::Feature,
    rule: Option<&'a gherkin::Rule>,
    scenario: &'a gherkin::Scenario,
    result: &ScenarioResult,
) -> Vec<ElementJson<'a>> {
    let decided = match result.outcome {
        Outcome::Passed => None,
        Outcome::NotApplicable(_) | Outcome::NotRun(_) => Some("skipped"),
        _ => Some("failed"),
    };
    let message = result
        .outcome
        .message()
        .map(|m| format!("{}: {m}", result.outcome.label()));
    let ran: HashMap<(bool, usize), &StepResult> = result
        .steps
        .iter()
        .map(|s| ((s.background, s.line), s))
        .collect();
    let embeddings = embeddings_by_step(result);
    // With no scenario step that stopped it, the outcome goes on its first step that did not run.
    let mut undecided = decided.filter(|_| {
        !result
            .steps
            .iter()
            .any(|s| !s.background && s.status == StepStatus::Failed)
    });
    let mut step_json = |step: &'a gherkin::Step, background: bool| -> StepJson<'a> {
        let key = (background, step.position.line);
        let ran = ran.get(&key);
        let deciding = match ran {
            Some(s) => s.status == StepStatus::Failed,
            None => !background && undecided.take().is_some(),
        };
        let status = match (ran.map(|s| s.status), deciding) {
            (_, true) => decided.unwrap_or("failed"),
            (Some(StepStatus::Passed), _) => "passed",
            _ => "skipped",
        };
        let rows = || {
            step.table
                .as_ref()
                .map(|t| t.rows.iter().map(|cells| Row { cells }).collect::<Vec<_>>())
        };
        StepJson {
            keyword: &step.keyword,
            name: &step.value,
            line: step.position.line,
            result: ResultJson {
                status,
                duration: ran.map_or(0, |s| s.duration.as_nanos()),
                error_message: message.clone().filter(|_| deciding),
            },
            arguments: rows().map(|rows| [Rows { rows }]),
            rows: rows(),
            doc_string: step.docstring.as_deref().map(|value| DocString {
                value,
                content_type: "",
                line: step.position.line + 1,
            }),
            embeddings: embeddings
                .get(&key)
                .map(|e| e.iter().flat_map(|x| attachments(x)).collect())
                .unwrap_or_default(),
        }
    };
    let (background_steps, own_steps): (Vec<_>, Vec<_>) =
        crate::runner::scenario_steps(feature, rule, scenario)
            .partition(|(background, _)| *background);
    let background_steps: Vec<StepJson<'a>> = background_steps
        .into_iter()
        .map(|(_, s)| step_json(s, true))
        .collect();
    let steps: Vec<StepJson<'a>> = own_steps
        .into_iter()
        .map(|(_, s)| step_json(s, false))
        .collect();
    let rule_id = rule
        .map(|r| format!(";{}", r.name.to_kebab_case()))
        .unwrap_or_default();
    let mut scenario_tags = rule.map(|r| r.tags.clone()).unwrap_or_default();
    scenario_tags.extend(scenario.tags.iter().cloned());
    let mut elements = Vec::with_capacity(2);
    if !background_steps.is_empty() {
        let background = feature.background.as_ref();
        elements.push(ElementJson {
            keyword: background.map_or("Background", |b| b.keyword.as_str()),
            ty: "background",
            id: format!("{};background", feature.name.to_kebab_case()),
            name: background.map(|b| b.name.clone()).unwrap_or_default(),
            description: background
                .and_then(|b| b.description.as_deref())
                .unwrap_or_default(),
            line: background.map_or(scenario.position.line, |b| b.position.line),
            tags: Vec::new(),
            steps: background_steps,
        });
    }
    elements.push(ElementJson {
        keyword: &scenario.keyword,
        ty: "scenario",
        id: format!(
            "{}{rule_id};{}",
            feature.name.to_kebab_case(),
            scenario.name.to_kebab_case()
        ),
        name: match rule {
            Some(r) => format!("{} {}", r.name, scenario.name),
            None => scenario.name.clone(),
        },
        description: scenario.description.as_deref().unwrap_or_default(),
        line: scenario.position.line,
        tags: tags(&scenario_tags, scenario.position.line),
        steps,
    });
    elements
}

/// The scenario's requests by the step that sent them: the last step that had started when
/// the request was sent (the first step before any had).
fn embeddings_by_step(result: &ScenarioResult) -> HashMap<(bool, usize), Vec<&Exchange>> {
    let mut by_step: HashMap<(bool, usize), Vec<&Exchange>> = HashMap::new();
    for exchange in &result.requests {
        let step = result
            .steps
            .iter()
            .rfind(|s| s.started_at.is_some_and(|at| at <= exchange.sent_at))
            .or(result.steps.first());
        if let Some(step) = step {
            by_step
                .entry((step.background, step.line))
                .or_default()
                .push(exchange);
        }
    }
    by_step
}

/// A request and its answer as two attachments: the request as text (method, path, headers,
/// body), the answer as JSON (or text, when it was not JSON). Secrets were redacted when the
/// exchange was recorded.
fn attachments(exchange: &Exchange) -> [Embedding; 2] {
    let encode = |text: &str| base64::engine::general_purpose::STANDARD.encode(text);
    let mut request = format!("{} {}\n", exchange.method, exchange.path);
    for (name, value) in &exchange.request_headers {
        request.push_str(&format!("{name}: {value}\n"));
    }
    if !exchange.request_body.is_empty() {
        request.push_str(&format!("\n{}\n", exchange.request_body));
    }
    request.push_str(&format!(
        "\n-> {} (Request-Id {})\n",
        exchange.status,
        exchange.request_id.as_deref().unwrap_or("none")
    ));
    [
        Embedding {
            mime_type: "text/plain",
            data: encode(&request),
        },
        Embedding {
            mime_type: if exchange.body_is_json {
                "application/json"
            } else {
                "text/plain"
            },
            data: encode(&exchange.body_text),
        },
    ]
}

/// The feature's path relative to the working directory when under it, else as it is.
fn relative_uri(path: &Path) -> String {
    let relative = std::env::current_dir()
        .ok()
        .and_then(|dir| path.strip_prefix(dir).ok().map(Path::to_path_buf));
    relative.as_deref().unwrap_or(path).display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{StepResult, StepStatus};
    use rstest::rstest;
    use std::time::Duration;

    const FEATURE: &str = "@stripe\nFeature: F\n\n  Background:\n    Given a background step\n\n  Scenario: S\n    When a step\n    Then another step\n";

    fn step(background: bool, line: usize, status: StepStatus) -> StepResult {
        StepResult {
            background,
            line,
            status,
            duration: Duration::from_millis(2),
            started_at: Some(std::time::UNIX_EPOCH + Duration::from_secs(line as u64)),
        }
    }

    /// The cucumber.json elements of one scenario of [`FEATURE`].
    fn elements(
        outcome: Outcome,
        steps: Vec<StepResult>,
        requests: Vec<Exchange>,
    ) -> serde_json::Value {
        let feature = gherkin::Feature::parse(FEATURE, Default::default()).expect("a feature");
        let result = ScenarioResult {
            feature: "F".into(),
            path: None,
            scenario: "S".into(),
            line: 7,
            tags: vec!["stripe".into()],
            retries: 0,
            outcome,
            duration: Duration::ZERO,
            steps,
            started_at: None,
            requests,
            reproduction: None,
        };
        let text = cucumber_json(std::slice::from_ref(&feature), &[result], &BTreeMap::new());
        let json: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        json[0]["elements"].clone()
    }

    /// The statuses of the scenario's steps (background first) and the error on the deciding one.
    fn statuses(outcome: Outcome, steps: Vec<StepResult>) -> (Vec<String>, Option<String>) {
        let elements = elements(outcome, steps, vec![]);
        assert_eq!(elements[0]["type"], "background");
        assert_eq!(elements[1]["type"], "scenario");
        let steps: Vec<serde_json::Value> = elements
            .as_array()
            .expect("elements")
            .iter()
            .flat_map(|e| e["steps"].as_array().cloned().unwrap_or_default())
            .collect();
        let error = steps
            .iter()
            .find_map(|s| s["result"]["error_message"].as_str().map(str::to_owned));
        (
            steps
                .iter()
                .map(|s| {
                    s["result"]["status"]
                        .as_str()
                        .unwrap_or_default()
                        .to_owned()
                })
                .collect(),
            error,
        )
    }

    #[rstest]
    #[case::passed(Outcome::Passed, vec![step(true, 5, StepStatus::Passed), step(false, 8, StepStatus::Passed), step(false, 9, StepStatus::Passed)], ["passed", "passed", "passed"], None)]
    #[case::failed_then(Outcome::Failed("differs".into()), vec![step(true, 5, StepStatus::Passed), step(false, 8, StepStatus::Passed), step(false, 9, StepStatus::Failed)], ["passed", "passed", "failed"], Some("failed: differs"))]
    #[case::failed_background(Outcome::SetupFailed("no price".into()), vec![step(true, 5, StepStatus::Failed)], ["failed", "failed", "skipped"], Some("setup failed: no price"))]
    #[case::not_applicable(Outcome::NotApplicable("needs a key".into()), vec![step(true, 5, StepStatus::Passed), step(false, 8, StepStatus::Failed)], ["passed", "skipped", "skipped"], Some("not applicable: needs a key"))]
    #[case::unreachable(Outcome::Infrastructure("refused".into()), vec![], ["skipped", "failed", "skipped"], Some("infrastructure: refused"))]
    #[case::not_run(Outcome::NotRun("Ctrl-C".into()), vec![], ["skipped", "skipped", "skipped"], Some("not run: Ctrl-C"))]
    fn the_deciding_step_carries_the_outcome(
        #[case] outcome: Outcome,
        #[case] steps: Vec<StepResult>,
        #[case] expected: [&str; 3],
        #[case] error: Option<&str>,
    ) {
        let (statuses, message) = statuses(outcome, steps);
        assert_eq!(statuses, expected);
        assert_eq!(message.as_deref(), error);
    }

    #[test]
    fn requests_are_embedded_on_the_step_that_sent_them() {
        let exchange = Exchange {
            method: "POST".into(),
            path: "/v1/checkout/sessions/cs_1".into(),
            request_body: "metadata[a]=".into(),
            status: 200,
            body_is_json: true,
            body_text: "{\"id\":\"cs_1\"}".into(),
            request_headers: vec![("authorization".into(), "Bearer sk_test_…4242".into())],
            // During step 8 (started at 8 s), before step 9 (9 s).
            sent_at: std::time::UNIX_EPOCH + Duration::from_millis(8_500),
            ..Default::default()
        };
        let steps = vec![
            step(true, 5, StepStatus::Passed),
            step(false, 8, StepStatus::Passed),
            step(false, 9, StepStatus::Passed),
        ];
        let elements = elements(Outcome::Passed, steps, vec![exchange]);
        let when = &elements[1]["steps"][0];
        assert_eq!(when["line"], 8);
        let decode = |e: &serde_json::Value| {
            let data = e["data"].as_str().expect("data");
            String::from_utf8(
                base64::engine::general_purpose::STANDARD
                    .decode(data)
                    .expect("base64"),
            )
            .expect("UTF-8")
        };
        let embeddings = when["embeddings"].as_array().expect("embeddings");
        assert_eq!(embeddings.len(), 2);
        assert_eq!(embeddings[0]["mime_type"], "text/plain");
        let request = decode(&embeddings[0]);
        assert!(
            request.starts_with("POST /v1/checkout/sessions/cs_1\n"),
            "{request}"
        );
        assert!(
            request.contains("authorization: Bearer sk_test_…4242\nmetadata")
                || request.contains("\nmetadata[a]=\n"),
            "{request}"
        );
        assert!(request.contains("-> 200"), "{request}");
        assert_eq!(embeddings[1]["mime_type"], "application/json");
        assert_eq!(decode(&embeddings[1]), "{\"id\":\"cs_1\"}");
        assert!(elements[0]["steps"][0].get("embeddings").is_none());
        assert!(elements[1]["steps"][1].get("embeddings").is_none());
    }

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
