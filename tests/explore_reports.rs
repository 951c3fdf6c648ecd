//! An exploration's reports are the suite's report set, written by the suite's writers: a
//! finding is a failed entry (in summary.md, junit.xml — valid against the JUnit schemas —,
//! cucumber.json, index.html, requests.ndjson and its diff file) carrying the shrunk scenario,
//! the diff, the target's Request-Id and the curl commands of the shrunk case, which repeat the
//! answer that differs against the same faulty mock; a clean exploration is a passed entry
//! with its counts; an unreachable target is an infrastructure error, never a mismatch; the
//! credential is in no report; what a target sent is text in index.html. The same exploration
//! runs from the cucumber harness (`cargo test --test conformance -- explore …`).

use crate::common;

use checkout_conformance::client::Secret;
use checkout_conformance::explore::{
    explore_blocking, report, ExploreConfig, ExploreReport, Finding, Mismatch, Origin, Scenario,
};
use checkout_conformance::mock::Faults;
use checkout_conformance::report::Tally;
use checkout_conformance::vendor::stripe::mock::StripeFault;
use checkout_conformance::vendor::Provider;
use common::binary::{command, sh, text, walk, MockProcess};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

const KEY: &str = "sk_test_canary_explore_reports_0123456789";
const SCHEMAS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/junit");
const REPORTS: [&str; 5] = [
    "summary.md",
    "junit.xml",
    "cucumber.json",
    "index.html",
    "requests.ndjson",
];

fn scratch(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("cc-explore-reports-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file))
        .unwrap_or_else(|e| panic!("{} not written: {e}", dir.join(file).display()))
}

/// `xmllint --schema` of `file` against each JUnit schema.
fn validate_junit(file: &Path) {
    let Some(xmllint) = common::debian::tool("xmllint", "libxml2-utils") else {
        eprintln!("\n*** SKIPPED (schemas): no xmllint and it cannot be installed ***\n");
        return;
    };
    for schema in ["jenkins-junit-10.xsd", "ant-junit.xsd"] {
        let output = Command::new(&xmllint)
            .args(["--noout", "--schema"])
            .arg(Path::new(SCHEMAS).join(schema))
            .arg(file)
            .output()
            .expect("xmllint runs");
        assert!(output.status.success(), "{schema}: {}", text(&output));
    }
}

/// `explore --mock-fault …` through the binary, with a canary key: every report is written,
/// the finding is a failure in each (never an error), junit.xml is valid JUnit, and the key is
/// nowhere.
#[test]
fn a_finding_is_in_every_report_and_the_key_in_none() {
    let dir = scratch("finding");
    let output = command()
        .args(["explore", "--provider", "stripe", "--seed", "2"])
        .args(["--mock-fault", "metadata-unset-ignored", "--reports"])
        .arg(&dir)
        .env("STRIPE_API_KEY", KEY)
        .output()
        .expect("the binary runs");
    let printed = text(&output);
    assert_eq!(output.status.code(), Some(1), "{printed}");
    assert!(printed.contains("MISMATCH"), "{printed}");
    for file in REPORTS {
        assert!(dir.join(file).is_file(), "{file} missing: {printed}");
    }
    let feature = walk(&dir)
        .into_iter()
        .find(|p| p.extension().is_some_and(|e| e == "feature"))
        .expect("the finding's feature file");
    let gherkin = std::fs::read_to_string(&feature).expect("feature");
    assert!(
        gherkin.starts_with("@stripe @explore\nFeature:"),
        "{gherkin}"
    );
    assert!(
        gherkin.contains("Scenario: explore stripe seed 2"),
        "{gherkin}"
    );

    let junit = read(&dir, "junit.xml");
    assert!(
        junit.contains("tests=\"1\" failures=\"1\" errors=\"0\""),
        "{junit}"
    );
    assert!(junit.contains("<failure type=\"deviation\""), "{junit}");
    assert!(!junit.contains("<error"), "{junit}");
    for needle in [
        "Scenario: explore stripe seed 2",
        "--- expected (documentation)",
        "Request-Id of the answer that differs: req_",
        "reproduce with ($STRIPE_API_KEY set to the run&apos;s credential):",
        "curl -sS -i -g -X POST",
    ] {
        assert!(junit.contains(needle), "{needle} not in {junit}");
    }
    validate_junit(&dir.join("junit.xml"));

    let summary = read(&dir, "summary.md");
    assert!(
        summary.contains("| 2 | 1 | 1 | 0 | 0 | 0 | 0 |"),
        "{summary}"
    );
    assert!(
        summary.contains("- mock faults: metadata-unset-ignored"),
        "{summary}"
    );
    assert!(summary.contains("Then the update succeeds"), "{summary}");

    let json: Value = serde_json::from_str(&read(&dir, "cucumber.json")).expect("JSON");
    let features = json.as_array().expect("features");
    assert_eq!(features.len(), 2, "the exploration and the finding");
    let finding = &features[1]["elements"][0];
    let statuses: Vec<&str> = finding["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .filter_map(|s| s["result"]["status"].as_str())
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == "failed").count(),
        1,
        "{statuses:?}"
    );
    assert!(finding["steps"][0]["embeddings"]
        .as_array()
        .is_some_and(|e| !e.is_empty()));

    let html = read(&dir, "index.html");
    assert!(html.contains("class=\"curl\""), "a copyable reproduction");
    assert!(html.contains("exit 1: "));
    let log = read(&dir, "requests.ndjson");
    assert!(
        log.lines().count() >= 3,
        "the shrunk case's requests: {log}"
    );

    let mut texts = vec![printed];
    texts.extend(
        walk(&dir)
            .iter()
            .map(|p| String::from_utf8_lossy(&std::fs::read(p).expect("a report")).into_owned()),
    );
    for text in &texts {
        assert!(!text.contains(KEY), "the key: {text}");
        assert!(!text.contains(&KEY[8..]), "the key's body: {text}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// The JSON body of curl's `-i` output.
fn body(answer: &str) -> Value {
    let (_, body) = answer
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("no body: {answer}"));
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

/// The curl commands of a finding, run in order with `sh` against the same faulty mock process
/// (the sessions left open, fresh Idempotency-Keys so that nothing is a replay), end with the
/// answer that differs: the metadata the target kept, not the model's.
#[test]
fn the_curl_commands_repeat_the_answer_that_differs() {
    let mock = MockProcess::start(&["--api-key", KEY, "--fault", "metadata-unset-ignored"]);
    let config = ExploreConfig {
        base_url: Some(mock.url.clone()),
        seed: 2,
        cleanup: false,
        mock_faults: Faults::NONE,
        ..ExploreConfig::new(Provider::Stripe)
    };
    let mut config = config;
    config.options.credential = Some(Secret::new(KEY));
    let report = explore_blocking(config).expect("configured");
    let finding = report.finding.as_ref().expect("found");
    assert!(
        finding.mismatch.kind.contains("metadata"),
        "{:?}",
        finding.mismatch
    );
    assert_eq!(finding.reproduction.len(), finding.exchanges.len());
    assert!(
        finding.reproduction.len() >= 3,
        "{:?}",
        finding.reproduction
    );
    let mut last = String::new();
    for (i, curl) in finding.reproduction.iter().enumerate() {
        assert!(curl.contains(&mock.url), "{curl}");
        assert!(
            curl.contains("\"Authorization: Bearer $STRIPE_API_KEY\""),
            "{curl}"
        );
        assert!(!curl.contains(KEY), "{curl}");
        let fresh = match curl.split_once("'Idempotency-Key: ") {
            Some((before, after)) => {
                let rest = after.split_once('\'').map_or("", |(_, rest)| rest);
                format!(
                    "{before}'Idempotency-Key: fresh-{i}-{}'{rest}",
                    std::process::id()
                )
            }
            None => curl.clone(),
        };
        last = sh(&fresh, "STRIPE_API_KEY", KEY);
    }
    assert!(last.starts_with("HTTP/1.1 200"), "{last}");
    let answer = body(&last);
    let m = &finding.mismatch;
    assert_eq!(answer["metadata"], m.actual["metadata"], "{last}");
    assert_ne!(answer["metadata"], m.expected["metadata"], "{last}");
    drop(mock);
}

/// A clean exploration is one passed entry with its counts; the exit code every report gives
/// is the exploration's.
#[test]
fn a_clean_exploration_is_a_passed_entry_with_its_counts() {
    let dir = scratch("clean");
    let config = ExploreConfig {
        seed: 1,
        cases: 30,
        reports: Some(dir.clone()),
        ..ExploreConfig::new(Provider::Gr4vy)
    };
    let report = explore_blocking(config).expect("configured");
    assert_eq!(report.exit_code(), 0);
    let junit = read(&dir, "junit.xml");
    assert!(
        junit.contains("tests=\"1\" failures=\"0\" errors=\"0\""),
        "{junit}"
    );
    assert!(
        junit.contains("30 generated cases match the model (seed 1)"),
        "{junit}"
    );
    validate_junit(&dir.join("junit.xml"));
    let summary = read(&dir, "summary.md");
    assert!(
        summary.contains(&format!("{} operations", report.operations)),
        "{summary}"
    );
    assert!(summary.contains("exit code 0"), "{summary}");
    let json: Value = serde_json::from_str(&read(&dir, "cucumber.json")).expect("JSON");
    assert_eq!(json.as_array().map(Vec::len), Some(1));
    assert!(!walk(&dir)
        .iter()
        .any(|p| p.extension().is_some_and(|e| e == "feature")));
    let _ = std::fs::remove_dir_all(&dir);
}

/// An unreachable target stops the exploration as an infrastructure error in every report:
/// an `<error type="infrastructure">`, no failure, exit 2 — as the tally of the entries says.
#[test]
fn an_unreachable_target_is_an_infrastructure_error_in_the_reports() {
    let (url, _) = common::binary::counting_listener();
    let dir = scratch("unreachable");
    let mut config = ExploreConfig::new(Provider::Stripe);
    config.base_url = Some(url);
    config.options.credential = Some(Secret::new(KEY));
    config.max_retries = 0;
    config.reports = Some(dir.clone());
    let report = explore_blocking(config).expect("configured");
    assert_eq!(report.exit_code(), 2);
    let junit = read(&dir, "junit.xml");
    assert!(junit.contains("<error type=\"infrastructure\""), "{junit}");
    assert!(!junit.contains("<failure"), "{junit}");
    validate_junit(&dir.join("junit.xml"));
    let summary = read(&dir, "summary.md");
    assert!(
        summary.contains("| 1 | 0 | 0 | 0 | 1 | 0 | 0 |"),
        "{summary}"
    );
    assert!(summary.contains("exit code 2"), "{summary}");
    let outcome = checkout_conformance::report::Outcome::Infrastructure(String::new());
    assert_eq!(Tally::of([&outcome]).exit_code(), report.exit_code());
    let _ = std::fs::remove_dir_all(&dir);
}

/// Markup a target sent (in the answer that differs, the request, the case) is text in
/// index.html: the page's own script is the only one.
#[test]
fn what_a_target_sent_is_text_in_the_page() {
    let dir = scratch("html");
    let markup = "<script>alert(1)</script><img src=x onerror=alert(2)>";
    let mut report = ExploreReport::new(Provider::Stripe, "http://127.0.0.1:9");
    report.cases_run = 1;
    report.finding = Some(Finding {
        origin: Origin::Case { case: 0, seed: 1 },
        steps: (1, 1),
        shrink_runs: 0,
        case_text: markup.into(),
        mismatch: Mismatch {
            step: 0,
            kind: "metadata".into(),
            what: "the answer to update 1".into(),
            expected: serde_json::json!({"metadata": {"a": "1"}}),
            actual: serde_json::json!({"metadata": {"a": markup}}),
            requests: format!("POST /v1/checkout/sessions/cs_1\n  -> 200 (Request-Id {markup})"),
        },
        scenario: Scenario {
            text: "  Scenario: explore stripe seed 0 case 0: x\n    Given a checkout session\n    Then the update succeeds\n".into(),
            not_expressible: None,
        },
        requests_to_find: 3,
        exchanges: Vec::new(),
        reproduction: Vec::new(),
        elapsed: Default::default(),
    });
    report::write(&dir, &report).expect("written");
    let html = read(&dir, "index.html");
    assert_eq!(
        html.matches("<script").count(),
        1,
        "only the page's own script"
    );
    assert!(!html.contains("<img"), "{html}");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// `cargo test --test conformance -- explore …`: the harness takes `explore` and its flags
/// (tests/conformance.rs is `harness()`, which is `HarnessCli::parse().execute()`), and exits
/// as the command does, its reports written.
#[test]
fn the_harness_explores() {
    use checkout_conformance::cli::{HarnessCli, HarnessCommand};
    use clap::Parser;
    let dir = scratch("harness");
    let dir_text = dir.to_str().expect("a UTF-8 path");
    let cli = HarnessCli::try_parse_from([
        "conformance",
        "explore",
        "--provider",
        "stripe",
        "--seed",
        "3",
        "--mock-fault",
        StripeFault::MetadataReplacedNotMerged.name(),
        "--reports",
        dir_text,
    ])
    .expect("the flags parse");
    assert!(matches!(cli.command, Some(HarnessCommand::Explore(_))));
    assert_eq!(cli.execute(), std::process::ExitCode::from(1));
    assert!(read(&dir, "junit.xml").contains("<failure type=\"deviation\""));
    let suite = HarnessCli::try_parse_from(["conformance", "--tags", "@metadata"])
        .expect("the suite's flags");
    assert!(suite.command.is_none());
    let _ = std::fs::remove_dir_all(&dir);
}
