//! `cucumber.json`: the Cucumber JSON format, written from the recorded results and the
//! features they ran from, so that it counts what every other report counts.
//!
//! Every scenario of the run is present whatever its outcome (an unreachable target, a run
//! interrupted before it started: its steps `skipped`, the outcome on the first). Background
//! steps lead each scenario's steps, as cucumber-js writes them, so a failed Background is a
//! failed step of every scenario it stopped (dashboards that ignore `background` elements when
//! counting still count it). A step carries its data table (`rows`) and
//! doc string (`doc_string`); the failed step's `error_message` is the outcome and its message
//! (no matcher or panic noise). Stripe features carry the run's `@stripe-version:…` tag.

use super::recorder::{StepResult, StepStatus};
use super::ScenarioResult;
use crate::provider::Provider;
use crate::verdict::Outcome;
use cucumber::gherkin;
use inflector::Inflector as _;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The `cucumber.json` document for `results`, which ran from `features`.
pub fn cucumber_json(
    features: &[gherkin::Feature],
    results: &[ScenarioResult],
    stripe_version: Option<&str>,
) -> Value {
    let by_path: HashMap<Option<&PathBuf>, &gherkin::Feature> =
        features.iter().map(|f| (f.path.as_ref(), f)).collect();
    let mut out: Vec<(Option<&PathBuf>, Value)> = Vec::new();
    for result in results {
        let Some(feature) = by_path.get(&result.path.as_ref()).copied() else {
            continue;
        };
        let Some((rule, scenario)) = find_scenario(feature, result.line) else {
            continue;
        };
        let index = match out.iter().position(|(p, _)| *p == result.path.as_ref()) {
            Some(i) => i,
            None => {
                out.push((result.path.as_ref(), new_feature(feature, stripe_version)));
                out.len() - 1
            }
        };
        let elements = out[index].1["elements"]
            .as_array_mut()
            .map(std::mem::take)
            .unwrap_or_default();
        let mut elements = elements;
        elements.extend(scenario_elements(feature, rule, scenario, result));
        out[index].1["elements"] = Value::Array(elements);
    }
    Value::Array(out.into_iter().map(|(_, f)| f).collect())
}

fn find_scenario(
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

fn tags(names: &[String], line: usize) -> Value {
    Value::Array(
        names
            .iter()
            .map(|t| {
                let name = if t.starts_with('@') {
                    t.clone()
                } else {
                    format!("@{t}")
                };
                json!({"name": name, "line": line})
            })
            .collect(),
    )
}

fn new_feature(feature: &gherkin::Feature, stripe_version: Option<&str>) -> Value {
    let mut names = feature.tags.clone();
    let stripe =
        Provider::from_tags(feature.tags.iter().map(String::as_str)) == Some(Provider::Stripe);
    if let Some(version) = stripe_version.filter(|_| stripe) {
        names.push(format!("@stripe-version:{version}"));
    }
    json!({
        "uri": feature.path.as_deref().map(relative_uri),
        "id": feature.name.to_kebab_case(),
        "keyword": feature.keyword,
        "name": feature.name,
        "description": feature.description.clone().unwrap_or_default(),
        "line": feature.position.line,
        "tags": tags(&names, feature.position.line),
        "elements": [],
    })
}

/// The background element (when the feature has one) and the scenario element of one result.
fn scenario_elements(
    feature: &gherkin::Feature,
    rule: Option<&gherkin::Rule>,
    scenario: &gherkin::Scenario,
    result: &ScenarioResult,
) -> Vec<Value> {
    let message = result
        .outcome
        .message()
        .map(|m| format!("{}: {m}", result.outcome.label()));
    let ran: HashMap<(bool, usize), &StepResult> = result
        .steps
        .iter()
        .map(|s| ((s.background, s.line), s))
        .collect();
    let step_json = |step: &gherkin::Step, background: bool| -> Value {
        let ran = ran.get(&(background, step.position.line));
        let (status, duration) = match ran {
            Some(s) => (
                match s.status {
                    StepStatus::Passed => "passed",
                    StepStatus::Failed => "failed",
                    StepStatus::Skipped => "skipped",
                },
                s.duration.as_nanos(),
            ),
            None => ("skipped", 0),
        };
        let mut result_json = json!({"status": status, "duration": duration});
        if status == "failed" {
            result_json["error_message"] = json!(message);
        }
        let mut out = json!({
            "keyword": step.keyword,
            "name": step.value,
            "line": step.position.line,
            "result": result_json,
        });
        if let Some(table) = &step.table {
            let rows: Vec<Value> = table
                .rows
                .iter()
                .map(|cells| json!({ "cells": cells }))
                .collect();
            // `rows` as Cucumber-JVM writes a table, `arguments` as cucumber-js does.
            out["arguments"] = json!([{ "rows": rows }]);
            out["rows"] = Value::Array(rows);
        }
        if let Some(doc) = &step.docstring {
            out["doc_string"] =
                json!({"value": doc, "content_type": "", "line": step.position.line + 1});
        }
        out
    };
    // Background steps (the feature's, then the rule's) lead the scenario's own steps, as
    // cucumber-js writes them: every consumer then counts a failed Background against the
    // scenario (some ignore `background` elements when counting).
    let mut steps: Vec<Value> = feature
        .background
        .iter()
        .chain(rule.and_then(|r| r.background.as_ref()))
        .flat_map(|b| b.steps.iter())
        .map(|s| step_json(s, true))
        .chain(scenario.steps.iter().map(|s| step_json(s, false)))
        .collect();
    let mut elements = Vec::new();
    // A scenario that never ran a step (unreachable target, not applicable, not run, a hook
    // that failed): its outcome still shows, on its first step.
    let decided_without_a_step = !matches!(result.outcome, Outcome::Passed)
        && !result.steps.iter().any(|s| s.status == StepStatus::Failed);
    if decided_without_a_step {
        let status = match result.outcome {
            Outcome::NotApplicable(_) | Outcome::NotRun(_) => "skipped",
            _ => "failed",
        };
        let target = steps
            .iter_mut()
            .find(|s| s["result"]["status"] == "skipped");
        if let Some(step) = target {
            step["result"]["status"] = json!(status);
            step["result"]["error_message"] = json!(message);
        }
    }
    let rule_id = rule
        .map(|r| format!(";{}", r.name.to_kebab_case()))
        .unwrap_or_default();
    let mut scenario_tags = rule.map(|r| r.tags.clone()).unwrap_or_default();
    scenario_tags.extend(scenario.tags.iter().cloned());
    elements.push(json!({
        "keyword": scenario.keyword,
        "type": "scenario",
        "id": format!(
            "{}{rule_id};{}",
            feature.name.to_kebab_case(),
            scenario.name.to_kebab_case()
        ),
        "name": match rule {
            Some(r) => format!("{} {}", r.name, scenario.name),
            None => scenario.name.clone(),
        },
        "description": scenario.description.clone().unwrap_or_default(),
        "line": scenario.position.line,
        "tags": tags(&scenario_tags, scenario.position.line),
        "steps": steps,
    }));
    elements
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
