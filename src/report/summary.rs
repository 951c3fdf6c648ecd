//! `summary.md` (per feature and per documentation clause) and the per-scenario diff files.

use super::{slug, ScenarioResult};
use crate::runner::clauses::Clause;
use crate::verdict::{Outcome, Tally};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// A table row of counts: `| 3 | 1 | 0 | 0 | 0 | 0 |` (the cells after the first).
fn row(tally: &Tally) -> String {
    tally
        .columns()
        .iter()
        .map(|(_, n)| n.to_string())
        .collect::<Vec<_>>()
        .join(" | ")
}

/// A table's header row — `leading` cells, the outcome columns, `trailing` cells — and its
/// separator row.
fn table_head(leading: &[&str], trailing: &[&str]) -> String {
    let cells: Vec<&str> = leading
        .iter()
        .copied()
        .chain(Tally::default().columns().iter().map(|(label, _)| *label))
        .chain(trailing.iter().copied())
        .collect();
    format!("| {} |\n|{}", cells.join(" | "), "---|".repeat(cells.len()))
}

/// What a run says of one documentation clause, from its scenarios' outcomes: `failed` when a
/// scenario failed, `verified` when every one that ran passed, `not verified` otherwise (a
/// setup failure, an infrastructure error, not applicable or not run: nothing was proved).
pub fn clause_verdict(tally: &Tally) -> &'static str {
    if tally.failed > 0 {
        "failed"
    } else if tally.total() == 0 {
        "not in this run"
    } else if tally.passed == tally.total() {
        "verified"
    } else if tally.passed + tally.not_applicable == tally.total() && tally.passed > 0 {
        "verified (some scenarios not applicable)"
    } else {
        "not verified"
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
        let Some(text) = result.outcome.message() else {
            continue;
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
                "# {} / {} ({})\n# {location}\n\n{text}\n",
                result.feature,
                result.scenario,
                result.outcome.label()
            ),
        )?;
        written.push(path);
    }
    Ok(written)
}

/// The durations section of `summary.md`: every scenario, slowest first, with its outcome and
/// the duration of each of its steps (in order, Background steps first).
fn durations(results: &[ScenarioResult]) -> String {
    let mut by_time: Vec<&ScenarioResult> = results.iter().collect();
    by_time.sort_by_key(|r| std::cmp::Reverse(r.duration));
    let total: std::time::Duration = results.iter().map(|r| r.duration).sum();
    let mut out = format!(
        "\n## Durations\n\n{:.3} s in all scenarios (they run concurrently: the run's wall time is in the header)\n\n| scenario | outcome | time (s) | steps (ms) |\n|---|---|---|---|\n",
        total.as_secs_f64()
    );
    for r in by_time {
        let steps: Vec<String> = r
            .steps
            .iter()
            .map(|s| format!("{:.1}", s.duration.as_secs_f64() * 1000.0))
            .collect();
        let _ = writeln!(
            out,
            "| {} / {} | {} | {:.3} | {} |",
            r.feature,
            r.scenario,
            r.outcome.label(),
            r.duration.as_secs_f64(),
            steps.join(", ")
        );
    }
    out
}

/// The run's `summary.md`: header lines, the counts (one column per outcome), then per feature
/// and per documentation clause, then each scenario that did not pass.
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
    let total = Tally::of(results.iter().map(|r| &r.outcome));
    let mut features: BTreeMap<&str, Vec<&Outcome>> = BTreeMap::new();
    let mut by_clause: BTreeMap<&str, Vec<&Outcome>> = BTreeMap::new();
    for r in results {
        features.entry(&r.feature).or_default().push(&r.outcome);
        for tag in &r.tags {
            if let Some(clause) = tag.strip_prefix("doc:") {
                by_clause.entry(clause).or_default().push(&r.outcome);
            }
        }
    }
    let flaky: Vec<&ScenarioResult> = results
        .iter()
        .filter(|r| r.outcome == Outcome::Passed && r.retries > 0)
        .collect();
    let _ = writeln!(
        out,
        "\n## Outcome\n\n{}\n| {} | {} |\n\nexit code {}; {} flaky (passed after retries)\n",
        table_head(&["scenarios"], &[]),
        total.total(),
        row(&total),
        total.exit_code(),
        flaky.len()
    );
    let _ = writeln!(out, "## Features\n\n{}", table_head(&["feature"], &[]));
    for (feature, outcomes) in &features {
        let _ = writeln!(
            out,
            "| {feature} | {} |",
            row(&Tally::of(outcomes.iter().copied()))
        );
    }
    let _ = writeln!(
        out,
        "\n## Documentation clauses\n\n{}",
        table_head(&["clause", "provider", "verdict"], &["documentation"])
    );
    for clause in clauses {
        let tally = Tally::of(
            by_clause
                .get(clause.id.as_str())
                .into_iter()
                .flatten()
                .copied(),
        );
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            clause.id,
            clause.provider,
            clause_verdict(&tally),
            row(&tally),
            clause.text
        );
    }
    let not_in_run: Vec<&str> = clauses
        .iter()
        .filter(|c| !by_clause.contains_key(c.id.as_str()))
        .map(|c| c.id.as_str())
        .collect();
    if !not_in_run.is_empty() {
        let _ = writeln!(
            out,
            "\nClauses with no scenario in this run (filtered out by tags or provider): {}",
            not_in_run.join(", ")
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
    out.push_str(&durations(results));
    let others: Vec<&ScenarioResult> = results
        .iter()
        .filter(|r| r.outcome != Outcome::Passed)
        .collect();
    if !others.is_empty() {
        out.push_str("\n## Scenarios that did not pass\n");
        for r in others {
            let text = r.outcome.message().unwrap_or_default();
            let location = r
                .path
                .as_ref()
                .map(|p| format!("{}:{}", p.display(), r.line))
                .unwrap_or_default();
            let diff = diff_path(reports, r);
            let _ = write!(
                out,
                "\n### {} / {} ({}, {:.3} s)\n\n{location} — `{}`\n\n```\n{}\n```\n",
                r.feature,
                r.scenario,
                r.outcome.label(),
                r.duration.as_secs_f64(),
                diff.display(),
                text
            );
        }
    }
    out
}
