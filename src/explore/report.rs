//! The reports of an exploration: `explore.md` (the finding with its scenario, diff and
//! requests) and `explore-junit.xml` (one test case: the exploration, failed with the finding).

use super::run::ExploreReport;
use super::Stop;
use std::fmt::Write as _;
use std::path::Path;

/// `explore.md`: what ran, and the finding (scenario ready to paste, diff, requests).
///
/// ```
/// use checkout_conformance::explore::{report::markdown, ExploreReport};
/// use checkout_conformance::vendor::Provider;
/// let r = ExploreReport { provider: Provider::Stripe, target: "the bundled mock".into(), seed: 4, cases_run: 10,
///     operations: 50, requests: 160, finding: None, stopped: None, elapsed: Default::default(), cleaned: 10 };
/// let md = markdown(&r);
/// assert!(md.contains("seed 4"));
/// assert!(md.contains("no mismatch"));
/// ```
pub fn markdown(report: &ExploreReport) -> String {
    let mut out = format!(
        "# Exploration: {} against {}\n\n{}\n\n",
        report.provider.display_name(),
        report.target,
        headline(report)
    );
    match (&report.finding, &report.stopped) {
        (Some(f), _) => {
            let m = &f.mismatch;
            let _ = write!(
                out,
                "## Finding: {} ({})\n\nCase {} (case seed {}), found after {} requests; shrunk from {} to {} steps in {} reruns.\n\n",
                m.what, m.kind, f.case, f.case_seed, f.requests_to_find, f.steps.0, f.steps.1, f.shrink_runs
            );
            out.push_str("### Scenario (paste into a feature file)\n\n```gherkin\n");
            out.push_str(&f.scenario.text);
            out.push_str("```\n\n");
            if let Some(why) = &f.scenario.not_expressible {
                let _ = writeln!(out, "Note: {why}\n");
            }
            let _ = write!(
                out,
                "### Diff (expected: the model of the documentation)\n\n```diff\n{}```\n\n### Requests\n\n```text\n{}\n```\n\n### The shrunk case\n\n```text\n{}\n```\n",
                m.diff(),
                m.requests,
                f.case_text
            );
        }
        (None, Some(Stop::Budget)) => out.push_str(
            "The request budget (--max-requests) ended the run: no mismatch in what ran.\n",
        ),
        (None, Some(stop)) => {
            let _ = writeln!(out, "Stopped before any mismatch: {stop}\n\nNothing was judged a mismatch: a setup failure or an infrastructure error is not one.");
        }
        (None, None) => {
            out.push_str("no mismatch: every answer and read-back matched the model.\n")
        }
    }
    out
}

/// One line: seed, cases, operations, requests, time, cleanup, exit code.
pub fn headline(report: &ExploreReport) -> String {
    format!(
        "seed {} · {} cases · {} operations · {} requests · {:.1} s · {} sessions closed · exit {}",
        report.seed,
        report.cases_run,
        report.operations,
        report.requests,
        report.elapsed.as_secs_f64(),
        report.cleaned,
        report.exit_code(),
    )
}

fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `explore-junit.xml`: one test case, failed with the finding, an `<error>` when a setup
/// failure or an infrastructure error stopped the run.
///
/// ```
/// use checkout_conformance::explore::{report::junit, ExploreReport, Stop};
/// use checkout_conformance::vendor::Provider;
/// let r = ExploreReport { provider: Provider::Gr4vy, target: "x".into(), seed: 1, cases_run: 0, operations: 0,
///     requests: 1, finding: None, stopped: Some(Stop::Setup("a <price>".into())), elapsed: Default::default(), cleaned: 0 };
/// assert!(junit(&r).contains(r#"<error type="setup""#));
/// ```
pub fn junit(report: &ExploreReport) -> String {
    let name = format!("explore {} seed {}", report.provider, report.seed);
    let body = match (&report.finding, &report.stopped) {
        (Some(f), _) => format!(
            "<failure message=\"{}\">{}</failure>",
            xml(&f.mismatch.what),
            xml(&format!(
                "{}\n{}\n{}",
                f.scenario.text,
                f.mismatch.diff(),
                f.mismatch.requests
            ))
        ),
        (None, Some(stop @ Stop::Setup(_))) => {
            format!("<error type=\"setup\">{}</error>", xml(&stop.to_string()))
        }
        (None, Some(stop @ (Stop::Infrastructure(_) | Stop::Invalid(_)))) => format!(
            "<error type=\"infrastructure\">{}</error>",
            xml(&stop.to_string())
        ),
        _ => String::new(),
    };
    let failures = usize::from(report.finding.is_some());
    let errors = usize::from(report.finding.is_none() && report.exit_code() == 2);
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n<testsuite name=\"explore\" tests=\"1\" failures=\"{failures}\" errors=\"{errors}\" time=\"{:.3}\">\n<testcase classname=\"explore.{}\" name=\"{}\" time=\"{:.3}\">{body}</testcase>\n</testsuite>\n</testsuites>\n",
        report.elapsed.as_secs_f64(),
        report.provider,
        xml(&name),
        report.elapsed.as_secs_f64(),
    )
}

/// Writes `explore.md` and `explore-junit.xml` into `dir` (created when missing).
pub fn write(dir: &Path, report: &ExploreReport) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join("explore.md"), markdown(report))?;
    std::fs::write(dir.join("explore-junit.xml"), junit(report))
}
