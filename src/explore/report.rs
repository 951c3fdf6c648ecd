//! The reports of an exploration: the suite's own report set, written by the suite's own
//! writers (`summary.md`, `junit.xml`, `cucumber.json`, `index.html`, `requests.ndjson`,
//! `diffs/`), from entries an exploration makes of what it did:
//!
//! - **the exploration**: the cases that ran, passed with their counts (cases, operations,
//!   requests) in its name and steps; a setup failure or an infrastructure error that stopped
//!   it is that entry's outcome (`<error type="setup|infrastructure">`), never a failure;
//! - **the finding**, when there is one: a failed entry whose scenario is the shrunk case as
//!   written with the suite's steps (its feature file is written beside the reports, ready to
//!   paste), whose message carries the scenario, the JSON diff, the request that differs with
//!   the target's Request-Id, and the `curl` command repeating each request of the shrunk case;
//!   its requests and answers are embedded as the suite's are.

use super::run::{ExploreReport, Finding, Origin};
use super::Stop;
use crate::report::{timestamp, Outcome, RequestLog, ScenarioResult, StepResult, StepStatus};
use crate::runner::clauses::{self, Clause};
use crate::runner::{RunConfig, RunError};
use cucumber::gherkin::{self, StepType};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// One line: seed, probes, cases, operations, requests, time, cleanup, exit code.
///
/// ```
/// use checkout_conformance::explore::{report::headline, ExploreReport};
/// use checkout_conformance::vendor::Provider;
/// let mut r = ExploreReport::new(Provider::Stripe, "http://127.0.0.1:12111");
/// r.seed = 4;
/// assert!(headline(&r).starts_with("seed 4 · 0 probe cases · 0 cases"));
/// r.probes_run = 1;
/// assert!(headline(&r).starts_with("seed 4 · 1 probe case · 0 cases"));
/// ```
pub fn headline(report: &ExploreReport) -> String {
    format!(
        "seed {} · {} probe {} · {} cases · {} operations · {} requests · {:.1} s · {} sessions closed · exit {}",
        report.seed,
        report.probes_run,
        if report.probes_run == 1 { "case" } else { "cases" },
        report.cases_run,
        report.operations,
        report.requests,
        report.elapsed.as_secs_f64(),
        report.cleaned,
        report.exit_code(),
    )
}

/// What a finding says, on the console and as its failed entry's message in every report: what
/// differs, the scenario to paste, the diff, the request that differs (with its Request-Id), the
/// curl commands repeating the shrunk case, and the case as generated.
pub fn finding_message(report: &ExploreReport, finding: &Finding) -> String {
    let m = &finding.mismatch;
    let mut out = format!(
        "{} ({}): {}, found after {} requests; shrunk from {} to {} steps in {} reruns\n\n",
        m.what,
        m.kind,
        match finding.origin {
            Origin::Probe(_) => format!("{} (run whatever the seed)", finding.origin),
            Origin::Case { .. } => format!("{} of seed {}", finding.origin, report.seed),
        },
        finding.requests_to_find,
        finding.steps.0,
        finding.steps.1,
        finding.shrink_runs
    );
    let _ = writeln!(
        out,
        "the scenario, written with the suite's steps (paste it into a feature tagged @{}):\n\n{}",
        report.provider.tag(),
        finding.scenario.text
    );
    if let Some(why) = &finding.scenario.not_expressible {
        let _ = writeln!(out, "note: {why}\n");
    }
    out.push_str(&m.diff());
    let _ = writeln!(out, "request:\n{}", m.requests);
    match finding.request_id() {
        Some(id) => {
            let _ = writeln!(
                out,
                "the target's Request-Id of the answer that differs: {id}"
            );
        }
        None if !finding.exchanges.is_empty() => {
            out.push_str("the answer that differs carried no Request-Id\n");
        }
        None => {}
    }
    if finding.reproduction.is_empty() {
        out.push_str(
            "\nno reproduction: the shrunk case, run once more, did not fail the same way\n",
        );
    } else {
        let _ = writeln!(
            out,
            "\n{}\n(each request of the shrunk case, in order; they name the objects this run created, so against a target where they are still open — --no-cleanup — the last one repeats the answer that differs)",
            crate::report::reproduce_with(report.provider.credential_env(), &finding.reproduction)
        );
    }
    let _ = write!(
        out,
        "\nthe shrunk case, as generated:\n{}",
        finding.case_text
    );
    out
}

/// The header lines of the reports (as summary.md and index.html show them).
fn header(report: &ExploreReport) -> Vec<(&'static str, String)> {
    let mut header = vec![
        (
            "targets",
            format!("{} {}", report.provider, report.base_url),
        ),
        ("started", timestamp(report.started_at)),
    ];
    if let (Some(name), Some(version)) = (
        report.provider.vendor().api_version_header(),
        &report.api_version,
    ) {
        header.push((name, version.clone()));
    }
    header.extend([
        (
            "explore",
            format!(
                "seed {}, {} cases of at most {} updates asked",
                report.seed, report.planned.0, report.planned.1
            ),
        ),
        ("ran", headline(report)),
        ("mock faults", report.mock_faults.to_string()),
        (
            "cleanup",
            if report.cleanup {
                format!("{} sessions closed", report.cleaned)
            } else {
                "off (--no-cleanup): the sessions created are left open".into()
            },
        ),
        ("duration", format!("{:.1} s", report.elapsed.as_secs_f64())),
    ]);
    if let Some(stop) = &report.stopped {
        header.push(("stopped", stop.to_string()));
    }
    header
}

/// The finding's feature file: `<provider>-seed-<seed>-case-<case>.feature` (or
/// `…-probe-<n>.feature`) in `dir`.
pub fn feature_path(dir: &Path, report: &ExploreReport, finding: &Finding) -> PathBuf {
    dir.join(format!(
        "{}-seed-{}-{}.feature",
        report.provider,
        report.seed,
        finding.origin.slug()
    ))
}

/// The exploration as a scenario (with a step per fact) and its outcome.
fn exploration(report: &ExploreReport) -> (String, Outcome) {
    let found_by = report.finding.as_ref().map(|f| f.origin);
    let probes = report.probes_run - u64::from(matches!(found_by, Some(Origin::Probe(_))));
    let matched = report.cases_run - u64::from(matches!(found_by, Some(Origin::Case { .. })));
    let name = format!(
        "{matched} generated cases match the model (seed {})",
        report.seed
    );
    let mut text = format!(
        "@{} @explore\nFeature: Exploration of {} (seed {})\n\n  Scenario: {name}\n    Given {} probe cases (requests without a valid credential, for a session that does not exist)\n    And {} cases generated from seed {}, of at most {} updates each\n    Then {probes} probe cases, {matched} cases, {} operations and their read-backs match the model\n",
        report.provider.tag(),
        report.provider.display_name(),
        report.seed,
        report.probes_run,
        report.planned.0,
        report.seed,
        report.planned.1,
        report.operations,
    );
    let outcome = match &report.stopped {
        Some(stop @ (Stop::Setup(_) | Stop::Invalid(_))) => {
            Outcome::SetupFailed(format!("{stop}\n(nothing was judged a mismatch)"))
        }
        Some(stop @ Stop::Infrastructure(_)) => Outcome::Infrastructure(format!(
            "{stop}\n({matched} cases had matched the model before; nothing was judged a mismatch)"
        )),
        Some(Stop::Budget) => {
            text.push_str(
                "    And the request budget (--max-requests) ended the exploration there\n",
            );
            Outcome::Passed
        }
        Some(Stop::Mismatch(_)) | None => Outcome::Passed,
    };
    (text, outcome)
}

/// A result for `scenario` of `feature`: tags, location, and its steps' statuses — the Given
/// and When steps passed, the first Then step carrying the outcome when it is not a pass (the
/// documented outcome is what differed, or what could not be checked), the others skipped.
fn result(
    feature: &gherkin::Feature,
    outcome: Outcome,
    duration: Duration,
    report: &ExploreReport,
) -> Option<ScenarioResult> {
    let scenario = feature.scenarios.first()?;
    let tags = crate::runner::scenario_tags(feature, None, scenario)
        .into_iter()
        .map(str::to_owned)
        .collect();
    let failing = outcome != Outcome::Passed;
    let mut result = ScenarioResult::planned(feature, scenario, tags, outcome);
    let mut decided = false;
    result.steps = scenario
        .steps
        .iter()
        .map(|step| {
            let status = if !failing || step.ty != StepType::Then {
                StepStatus::Passed
            } else if decided {
                StepStatus::Skipped
            } else {
                decided = true;
                StepStatus::Failed
            };
            StepResult {
                background: false,
                line: step.position.line,
                status,
                duration: Duration::ZERO,
                // Not run one by one: the requests are shown on the first step.
                started_at: None,
            }
        })
        .collect();
    result.duration = duration;
    result.started_at = Some(report.started_at);
    Some(result)
}

/// The features and the entries of an exploration, the finding's feature file being at
/// `feature_path` in `dir`.
fn entries(
    report: &ExploreReport,
    dir: &Path,
    log: &RequestLog,
) -> (Vec<gherkin::Feature>, Vec<ScenarioResult>) {
    let mut features = Vec::new();
    let mut results = Vec::new();
    let (text, outcome) = exploration(report);
    if let Ok(feature) = gherkin::Feature::parse(&text, gherkin::GherkinEnv::default()) {
        if let Some(r) = result(&feature, outcome, report.elapsed, report) {
            results.push(r);
        }
        features.push(feature);
    }
    if let Some(finding) = &report.finding {
        let path = feature_path(dir, report, finding);
        let text = finding.scenario.feature(report.provider.tag());
        if let Ok(mut feature) = gherkin::Feature::parse(&text, gherkin::GherkinEnv::default()) {
            feature.path = Some(path);
            let message = finding_message(report, finding);
            if let Some(mut r) = result(&feature, Outcome::Failed(message), finding.elapsed, report)
            {
                let key = r.key();
                for exchange in &finding.exchanges {
                    log.record(&key, exchange);
                }
                r.requests = log.take(&key);
                r.started_at = r.requests.first().map(|e| e.sent_at).or(r.started_at);
                r.reproduction = Some(finding.reproduction.join("\n")).filter(|c| !c.is_empty());
                results.push(r);
            }
            features.push(feature);
        }
    }
    (features, results)
}

/// The documentation clauses the entries are tagged with (`@doc:<id>`), from the features'
/// clause list (none when it cannot be read: the reports then list no clause).
fn clauses_of(results: &[ScenarioResult]) -> Vec<Clause> {
    let tagged: BTreeSet<&str> = results
        .iter()
        .flat_map(|r| r.tags.iter().filter_map(|t| t.strip_prefix("doc:")))
        .collect();
    let list = RunConfig::default().features.join("CLAUSES.md");
    clauses::load(&list)
        .unwrap_or_default()
        .into_iter()
        .filter(|c| tagged.contains(c.id.as_str()))
        .collect()
}

/// Writes the exploration's reports into `dir` (created when missing): the suite's report set
/// and, for a finding, its feature file. Returns where summary.md is.
pub fn write(dir: &Path, report: &ExploreReport) -> Result<PathBuf, RunError> {
    crate::runner::prepare_reports(dir)?;
    let log = crate::runner::request_log(dir, report.secrets.clone(), versions(report))?;
    let (features, results) = entries(report, dir, &log);
    log.flush();
    if let Some(finding) = &report.finding {
        let path = feature_path(dir, report, finding);
        let text = finding.scenario.feature(report.provider.tag());
        std::fs::write(&path, text).map_err(|source| RunError::Reports { path, source })?;
    }
    crate::runner::write_reports(
        dir,
        &header(report),
        &results,
        &clauses_of(&results),
        &features,
        &versions(report),
        report.exit_code(),
    )
}

fn versions(report: &ExploreReport) -> BTreeMap<crate::vendor::Provider, String> {
    report
        .api_version
        .iter()
        .map(|v| (report.provider, v.clone()))
        .collect()
}
