//! Proof that the suite catches what it claims: the suite runs against the bundled mock once
//! with no fault (every provider's scenarios must pass) and once per fault (`mock
//! --list-faults`, with the fault's provider's scenarios). Every fault names the documentation
//! clauses it breaks ([`Fault::clauses`]); a scenario tagged with one of those clauses must
//! fail — a fault caught only by an unrelated scenario is not covered. The matrix fault → clause
//! → catching scenarios is written to `reports/detection.md`.

use checkout_conformance::mock::{Fault, Faults};
use checkout_conformance::report::{Outcome, ScenarioResult};
use checkout_conformance::runner::{self, clauses, ProviderChoice, RunConfig, RunReport};
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

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

/// The clauses a scenario checks (its `@doc:` tags).
fn clauses_of(r: &ScenarioResult) -> impl Iterator<Item = &str> {
    r.tags.iter().filter_map(|t| t.strip_prefix("doc:"))
}

/// What injecting one fault did: the scenarios that failed (a setup failure proves nothing),
/// those among them that check a clause the fault names.
struct Detection {
    fault: Fault,
    failed: Vec<String>,
    on_clause: Vec<String>,
}

fn detect(fault: Fault, report: &RunReport) -> Detection {
    let failed: Vec<&ScenarioResult> = report
        .results
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Failed(_)))
        .collect();
    let on_clause = failed
        .iter()
        .filter(|r| clauses_of(r).any(|c| fault.clauses().contains(&c)))
        .map(|r| name(r))
        .collect();
    Detection {
        fault,
        failed: failed.iter().map(|r| name(r)).collect(),
        on_clause,
    }
}

fn clause_list() -> Vec<clauses::Clause> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("features/CLAUSES.md");
    clauses::load(&path).expect("features/CLAUSES.md reads")
}

#[test]
fn every_fault_names_clauses_of_its_own_provider() {
    let clauses = clause_list();
    for fault in Fault::all() {
        assert!(!fault.clauses().is_empty(), "{fault} names no clause");
        for id in fault.clauses() {
            let clause = clauses
                .iter()
                .find(|c| c.id == *id)
                .unwrap_or_else(|| panic!("{fault} names {id}, which CLAUSES.md does not list"));
            assert_eq!(
                clause.provider,
                fault.provider(),
                "{fault} breaks the {} mock but names the {} clause {id}",
                fault.provider(),
                clause.provider
            );
        }
    }
}

#[test]
fn every_fault_is_caught_on_its_clause_and_the_clean_mock_passes() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("reports");
    let scratch = std::env::temp_dir().join(format!(
        "checkout-conformance-detection-{}",
        std::process::id()
    ));

    let clean = run(ProviderChoice::All, Faults::NONE, scratch.join("clean"));
    let clean_failures: Vec<String> = clean
        .results
        .iter()
        .filter(|r| !matches!(r.outcome, Outcome::Passed))
        .map(name)
        .collect();
    assert!(
        clean_failures.is_empty(),
        "the suite fails against the clean mock:\n{}",
        clean_failures.join("\n")
    );
    assert!(!clean.results.is_empty(), "the suite ran no scenario");

    let detections: Vec<Detection> = Fault::all()
        .iter()
        .map(|&fault| {
            let report = run(
                ProviderChoice::One(fault.provider()),
                Faults::from_iter([fault]),
                scratch.join(fault.name()),
            );
            detect(fault, &report)
        })
        .collect();
    std::fs::create_dir_all(&root).expect("reports/ can be created");
    std::fs::write(root.join("detection.md"), matrix(&detections, &clean))
        .expect("reports/detection.md can be written");
    let _ = std::fs::remove_dir_all(&scratch);

    let uncovered: Vec<String> = detections
        .iter()
        .filter(|d| d.on_clause.is_empty())
        .map(|d| {
            format!(
                "{} (clauses {}; failed instead: {})",
                d.fault,
                d.fault.clauses().join(", "),
                if d.failed.is_empty() {
                    "nothing".to_owned()
                } else {
                    d.failed.join("; ")
                }
            )
        })
        .collect();
    assert!(
        uncovered.is_empty(),
        "faults no scenario of their clauses catches (see reports/detection.md):\n{}",
        uncovered.join("\n")
    );
}

/// `reports/detection.md`: fault → clauses → the scenarios of those clauses that caught it, and
/// how many other scenarios failed with it; then the scenarios no fault's clause check catches.
fn matrix(detections: &[Detection], clean: &RunReport) -> String {
    let mut out = String::from(
        "# Detection matrix\n\nEach fault of the bundled mock (`checkout-conformance mock --list-faults`), the documentation clauses it breaks, and the scenarios checking those clauses that fail when it is injected. A fault counts as caught only by a scenario of its own clauses. Written by `cargo test --test detection`.\n\n| fault | breaks | clauses | caught by | other failing scenarios |\n|---|---|---|---|---|\n",
    );
    for d in detections {
        let caught = if d.on_clause.is_empty() {
            "**NOT CAUGHT**".to_owned()
        } else {
            d.on_clause.join("<br>")
        };
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {caught} | {} |",
            d.fault.name(),
            d.fault.description(),
            d.fault
                .clauses()
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", "),
            d.failed.len() - d.on_clause.len(),
        );
    }
    let catching: BTreeSet<&String> = detections.iter().flat_map(|d| &d.on_clause).collect();
    let idle: Vec<String> = clean
        .results
        .iter()
        .map(name)
        .filter(|n| !catching.contains(n))
        .collect();
    let caught = detections
        .iter()
        .filter(|d| !d.on_clause.is_empty())
        .count();
    let _ = write!(
        out,
        "\n{} faults, {caught} caught on their clauses. {} of {} scenarios catch at least one fault on its clauses.\n\n## Scenarios that catch no fault on its clauses\n\nMostly accepted-side scenarios (the documented value works): each is a gap to close with a fault.\n\n{}\n",
        detections.len(),
        clean.results.len() - idle.len(),
        clean.results.len(),
        idle.iter().map(|n| format!("- {n}")).collect::<Vec<_>>().join("\n"),
    );
    out
}
