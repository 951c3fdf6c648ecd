//! Proof that the suite catches what it claims: the suite runs against the bundled mock once
//! with no fault (every provider's scenarios must pass) and once per fault (`mock --list-faults`,
//! with the fault's provider's scenarios), and every fault must make at least one scenario fail. The matrix fault -> catching scenarios is written
//! to `reports/detection.md`.
//!
//! The runs share the process-wide step context, so they run one after another in one test.

use checkout_conformance::mock::{Fault, Faults};
use checkout_conformance::report::{Outcome, ScenarioResult};
use checkout_conformance::runner::{self, ProviderChoice, RunConfig, RunReport};
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::PathBuf;

fn run(provider: ProviderChoice, faults: Faults, reports: PathBuf) -> RunReport {
    let config = RunConfig {
        provider,
        mock_faults: faults,
        reports,
        ..RunConfig::default()
    };
    match runner::run_blocking(
        config,
        |_: &checkout_conformance::report::ScenarioResult| {},
    ) {
        Ok(report) => report,
        Err(e) => panic!("the run could not be made: {e}"),
    }
}

fn name(r: &ScenarioResult) -> String {
    format!("{} / {}", r.feature, r.scenario)
}

/// Scenarios that did not pass, whatever the outcome.
fn not_passed(report: &RunReport) -> Vec<String> {
    report
        .results
        .iter()
        .filter(|r| !matches!(r.outcome, Outcome::Passed))
        .map(name)
        .collect()
}

/// Scenarios that failed: a documented behaviour differs (a setup failure proves nothing).
fn failed(report: &RunReport) -> Vec<String> {
    report
        .results
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Failed(_)))
        .map(name)
        .collect()
}

#[test]
fn every_fault_is_caught_and_the_clean_mock_passes() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("reports");
    let scratch = std::env::temp_dir().join(format!(
        "checkout-conformance-detection-{}",
        std::process::id()
    ));

    let clean = run(ProviderChoice::All, Faults::NONE, scratch.join("clean"));
    let clean_failures = not_passed(&clean);
    assert!(
        clean_failures.is_empty(),
        "the suite fails against the clean mock:\n{}",
        clean_failures.join("\n")
    );
    assert!(!clean.results.is_empty(), "the suite ran no scenario");

    let mut caught_by: Vec<(Fault, Vec<String>)> = Vec::new();
    for fault in Fault::ALL {
        let provider = match fault.provider() {
            "gr4vy" => ProviderChoice::Gr4vy,
            _ => ProviderChoice::Stripe,
        };
        let report = run(
            provider,
            Faults::from_iter([*fault]),
            scratch.join(fault.name()),
        );
        caught_by.push((*fault, failed(&report)));
    }
    let uncaught: Vec<&str> = caught_by
        .iter()
        .filter(|(_, c)| c.is_empty())
        .map(|(f, _)| f.name())
        .collect();
    // A fault that breaks most scenarios (a missing `object` field, a missing Request-Id) says
    // nothing about any one of them: only the targeted faults count when looking for gaps.
    let targeted = |caught: &[String]| caught.len() * 2 <= clean.results.len();
    let catching: BTreeSet<&String> = caught_by
        .iter()
        .filter(|(_, c)| targeted(c))
        .flat_map(|(_, c)| c)
        .collect();
    let mut matrix = String::from("# Detection matrix\n\nEach fault of the bundled mock (`checkout-conformance mock --list-faults`) and the scenarios that fail when it is injected. Written by `cargo test --test detection`.\n\n| fault | breaks | caught by |\n|---|---|---|\n");
    for (fault, caught) in &caught_by {
        let cell = match caught.len() {
            0 => "**NOT CAUGHT**".to_owned(),
            n if !targeted(caught) => format!("{n} scenarios (cross-cutting), e.g. {}", caught[0]),
            _ => caught.join("<br>"),
        };
        let _ = writeln!(
            matrix,
            "| `{}` | {} | {cell} |",
            fault.name(),
            fault.description()
        );
    }
    let idle: Vec<String> = clean
        .results
        .iter()
        .map(name)
        .filter(|n| !catching.contains(n))
        .collect();
    let _ = write!(
        matrix,
        "\n{} faults, {} caught. {} of {} scenarios catch at least one targeted fault.\n\n## Scenarios no targeted fault breaks\n\nMostly accepted-side scenarios (the documented value works): each is a gap to close with a fault.\n\n{}\n",
        Fault::ALL.len(),
        Fault::ALL.len() - uncaught.len(),
        clean.results.len() - idle.len(),
        clean.results.len(),
        idle.iter().map(|n| format!("- {n}")).collect::<Vec<_>>().join("\n"),
    );
    std::fs::create_dir_all(&root).expect("reports/ can be created");
    std::fs::write(root.join("detection.md"), matrix).expect("reports/detection.md can be written");
    let _ = std::fs::remove_dir_all(&scratch);
    assert!(
        uncaught.is_empty(),
        "faults no scenario catches: {}",
        uncaught.join(", ")
    );
}
