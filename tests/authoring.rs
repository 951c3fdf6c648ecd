//! Mistakes in a feature file are found when the features load — before any request — and stop
//! the run with exit 2 and the mistake's file and line: never a contract failure at run time,
//! never a silent pass.

use rstest::rstest;
use std::path::PathBuf;
use std::sync::atomic::Ordering;

use crate::common;

/// A feature with `Background` and one scenario whose steps are `steps`.
fn feature(steps: &str) -> String {
    format!(
        "@stripe @metadata\nFeature: Authoring\n\n  Background:\n    Given an open custom UI checkout session\n\n  @doc:metadata.set\n  Scenario: S\n{steps}"
    )
}

/// Runs a feature of `steps` against a counting listener: the output and how many connections
/// the run made.
fn run_feature(steps: &str) -> (std::process::Output, String, usize) {
    let dir = std::env::temp_dir().join(format!(
        "cc-authoring-{}-{}",
        std::process::id(),
        fastrand::u64(..)
    ));
    let features = common::binary::features(&dir, "x.feature", &feature(steps));
    let (url, connections) = common::binary::counting_listener();
    let output = common::binary::command()
        .args(["run", "--provider", "stripe", "--base-url", &url])
        .args(["--api-key", "sk_test_authoring_0000000000"])
        .arg("--features")
        .arg(&features)
        .arg("--reports")
        .arg(dir.join("reports"))
        .output()
        .expect("the binary runs");
    let text = common::binary::text(&output);
    let _ = std::fs::remove_dir_all(PathBuf::from(&dir));
    (output, text, connections.load(Ordering::SeqCst))
}

#[rstest]
#[case::undefined_step(
    "    When I frobnicate the session\n",
    9,
    "no step definition matches `When I frobnicate the session`"
)]
#[case::unknown_placeholder(
    "    When I update the session with:\n      | metadata[price] | {prce default} |\n    Then the update succeeds\n",
    9,
    "unknown placeholder `{prce default}`"
)]
#[case::placeholder_without_fixture(
    "    When I update the session with:\n      | metadata[price] | {price Hat} |\n    Then the update succeeds\n",
    9,
    "names price `Hat`, but no Given step before it creates it"
)]
#[case::line_item_not_created(
    "    When I update the session with:\n      | line_items[0][id] | {line item 3} |\n    Then the update succeeds\n",
    9,
    "names line item `3`"
)]
#[case::doc_string_not_json(
    "    When I update the session with the parameters:\n      \"\"\"\n      {\"metadata\": {\"order_id\": 6735\n      \"\"\"\n    Then the update succeeds\n",
    9,
    "the doc string is not valid JSON"
)]
#[case::doc_string_not_a_form_body(
    "    When I update the session with the form body:\n      \"\"\"\n      metadata[order_id]=%zz\n      \"\"\"\n    Then the update succeeds\n",
    9,
    "the doc string is not a form body"
)]
#[case::table_of_the_wrong_shape(
    "    When I update the session with:\n      | metadata[order_id] | 6735 | extra |\n    Then the update succeeds\n",
    9,
    "a table of `| name | value |` rows (two cells)"
)]
#[case::table_missing_a_column(
    "    Given an open custom UI checkout session with line items:\n      | product | quantity |\n      | Hat     | 1        |\n",
    9,
    "needs a `price` column"
)]
#[case::then_without_when(
    "    Then the update succeeds\n",
    9,
    "no When step sends one before it"
)]
#[case::table_missing("    When I update the session with:\n", 9, "takes a data table")]
fn an_authoring_mistake_stops_the_run_before_any_request(
    #[case] steps: &str,
    #[case] line: usize,
    #[case] message: &str,
) {
    let (output, text, connections) = run_feature(steps);
    assert_eq!(output.status.code(), Some(2), "{text}");
    let location = format!("x.feature:{line}:");
    assert!(
        text.contains(&location) && text.contains(message),
        "expected `{location}` and `{message}` in:\n{text}"
    );
    assert_eq!(connections, 0, "no request before the mistake is reported");
}

#[rstest]
#[case::ragged_table(
    "    When I update the session with:\n      | metadata[order_id] | 6735 |\n      | metadata[channel] |\n    Then the update succeeds\n"
)]
#[case::gherkin_syntax(
    "    When I update the session with:\n      \"\"\"\n      unterminated doc string\n"
)]
fn a_gherkin_error_names_its_line(#[case] steps: &str) {
    let (output, text, connections) = run_feature(steps);

    assert_eq!(output.status.code(), Some(2), "{text}");
    let located = text.lines().any(|l| {
        l.contains("x.feature:")
            && l.split("x.feature:")
                .nth(1)
                .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
    });
    assert!(located, "the error names x.feature:LINE:\n{text}");
    assert_eq!(connections, 0);
}
