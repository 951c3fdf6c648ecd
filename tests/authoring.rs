//! Mistakes in a feature file are found when the features load — before any request — and stop
//! the run with exit 2 and the mistake's file and line: never a contract failure at run time,
//! never a silent pass.

use rstest::rstest;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

const BIN: &str = env!("CARGO_BIN_EXE_checkout-conformance");

/// A feature with `Background` and one scenario whose steps are `steps`.
fn feature(steps: &str) -> String {
    format!(
        "@stripe @metadata\nFeature: Authoring\n\n  Background:\n    Given an open custom UI checkout session\n\n  @doc:metadata.set\n  Scenario: S\n{steps}"
    )
}

/// A listener on 127.0.0.1 counting the connections it is offered.
fn counting_listener() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            seen.fetch_add(1, Ordering::SeqCst);
            drop(stream);
        }
    });
    (url, count)
}

/// Runs a feature of `steps` against a counting listener: the output and how many connections
/// the run made.
fn run_feature(steps: &str) -> (std::process::Output, String, usize) {
    let dir = std::env::temp_dir().join(format!(
        "cc-authoring-{}-{}",
        std::process::id(),
        fastrand::u64(..)
    ));
    let features = dir.join("features");
    std::fs::create_dir_all(&features).expect("scratch");
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/features/CLAUSES.md"),
        features.join("CLAUSES.md"),
    )
    .expect("clauses");
    std::fs::write(features.join("x.feature"), feature(steps)).expect("feature");
    let (url, connections) = counting_listener();
    let output = Command::new(BIN)
        .args(["run", "--provider", "stripe", "--base-url", &url])
        .args(["--api-key", "sk_test_authoring_0000000000"])
        .arg("--features")
        .arg(&features)
        .arg("--reports")
        .arg(dir.join("reports"))
        .env_remove("CONFORMANCE_BASE_URL")
        .env_remove("STRIPE_API_KEY")
        .output()
        .expect("the binary runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
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
