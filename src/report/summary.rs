//! `summary.md` (per feature and per documentation clause) and the per-scenario diff files.

use super::{slug, Outcome, ScenarioResult};
use crate::runner::clauses::Clause;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[derive(Default, Clone, Copy)]
struct Counts {
    passed: usize,
    failed: usize,
    skipped: usize,
    infrastructure: usize,
}

impl Counts {
    fn add(&mut self, outcome: &Outcome) {
        match outcome {
            Outcome::Passed => self.passed += 1,
            Outcome::Failed(_) => self.failed += 1,
            Outcome::Skipped(_) => self.skipped += 1,
            Outcome::Infrastructure(_) => self.infrastructure += 1,
        }
    }

    fn row(&self) -> String {
        format!(
            "{} | {} | {} | {}",
            self.passed, self.failed, self.skipped, self.infrastructure
        )
    }
}

/// Where a scenario's diff file goes: `diffs/<feature>/<scenario>.diff`.
pub fn diff_path(dir: &Path, result: &ScenarioResult) -> PathBuf {
    dir.join("diffs")
        .join(slug(&result.feature))
        .join(format!("{}.diff", slug(&result.scenario)))
}

/// Writes the failure message (diff, request, Request-Id) of every scenario that did not pass.
pub fn write_diffs(dir: &Path, results: &[ScenarioResult]) -> std::io::Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for result in results {
        let text = match &result.outcome {
            Outcome::Passed => continue,
            Outcome::Failed(t) | Outcome::Skipped(t) | Outcome::Infrastructure(t) => t,
        };
        let path = diff_path(dir, result);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let location = result
            .path
            .as_ref()
            .map(|p| format!("{}:{}", p.display(), result.line))
            .unwrap_or_default();
        std::fs::write(
            &path,
            format!(
                "# {} / {}\n# {location}\n\n{text}\n",
                result.feature, result.scenario
            ),
        )?;
        written.push(path);
    }
    Ok(written)
}

/// The run's `summary.md`: header lines, then per feature and per clause the passed, failed,
/// skipped and infrastructure counts, then each scenario that did not pass.
pub fn summary(
    header: &[(&str, String)],
    results: &[ScenarioResult],
    clauses: &[Clause],
    reports: &Path,
) -> String {
    let mut out = String::from("# checkout-conformance summary\n\n");
    for (key, value) in header {
        let _ = writeln!(out, "- {key}: {value}");
    }
    let mut total = Counts::default();
    let mut features: BTreeMap<&str, Counts> = BTreeMap::new();
    let mut by_clause: BTreeMap<&str, Counts> = BTreeMap::new();
    for r in results {
        total.add(&r.outcome);
        features.entry(&r.feature).or_default().add(&r.outcome);
        for tag in &r.tags {
            if let Some(clause) = tag.strip_prefix("doc:") {
                by_clause.entry(clause).or_default().add(&r.outcome);
            }
        }
    }
    let flaky: Vec<&ScenarioResult> = results
        .iter()
        .filter(|r| r.outcome == Outcome::Passed && r.retries > 0)
        .collect();
    let _ = writeln!(
        out,
        "\n**{} scenarios: {} passed ({} flaky), {} failed, {} skipped, {} infrastructure errors**\n",
        results.len(),
        total.passed,
        flaky.len(),
        total.failed,
        total.skipped,
        total.infrastructure
    );
    out.push_str("## Features\n\n| feature | passed | failed | skipped | infrastructure |\n|---|---|---|---|---|\n");
    for (feature, counts) in &features {
        let _ = writeln!(out, "| {feature} | {} |", counts.row());
    }
    out.push_str("\n## Documentation clauses\n\n| clause | provider | passed | failed | skipped | infrastructure | documentation |\n|---|---|---|---|---|---|---|\n");
    for clause in clauses {
        let counts = by_clause
            .get(clause.id.as_str())
            .copied()
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            clause.id,
            clause.provider,
            counts.row(),
            clause.text
        );
    }
    let not_run: Vec<&str> = clauses
        .iter()
        .filter(|c| !by_clause.contains_key(c.id.as_str()))
        .map(|c| c.id.as_str())
        .collect();
    if !not_run.is_empty() {
        let _ = writeln!(
            out,
            "\nClauses with no scenario in this run (filtered out by tags or provider): {}",
            not_run.join(", ")
        );
    }
    if !flaky.is_empty() {
        out.push_str("\n## Flaky: passed only after the client retried requests\n\n");
        for r in &flaky {
            let _ = writeln!(
                out,
                "- {} / {} ({} retried request(s); see requests.ndjson)",
                r.feature, r.scenario, r.retries
            );
        }
    }
    let failures: Vec<&ScenarioResult> = results
        .iter()
        .filter(|r| r.outcome != Outcome::Passed)
        .collect();
    if !failures.is_empty() {
        out.push_str("\n## Scenarios that did not pass\n");
        for r in failures {
            let (kind, text) = match &r.outcome {
                Outcome::Failed(t) => ("failed", t),
                Outcome::Skipped(t) => ("skipped", t),
                Outcome::Infrastructure(t) => ("infrastructure error", t),
                Outcome::Passed => continue,
            };
            let location = r
                .path
                .as_ref()
                .map(|p| format!("{}:{}", p.display(), r.line))
                .unwrap_or_default();
            let diff = diff_path(reports, r);
            let _ = write!(
                out,
                "\n### {} / {} ({kind})\n\n{location} — `{}`\n\n```\n{}\n```\n",
                r.feature,
                r.scenario,
                diff.display(),
                text
            );
        }
    }
    out
}
