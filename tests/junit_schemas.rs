//! `junit.xml` against two real JUnit schemas with a real XML Schema validator (`xmllint`,
//! Debian's libxml2-utils, installed by the test when missing and running as root): the
//! Jenkins/Surefire schema for every run, Ant's for a run without skipped scenarios (Ant's has
//! no `<skipped>`). See tests/fixtures/junit/LICENSES.md for where the schemas come from.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common;

use common::binary::{command, text};

const SCHEMAS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/junit");

fn xmllint() -> Option<PathBuf> {
    common::debian::tool("xmllint", "libxml2-utils")
}

/// `xmllint --schema SCHEMA FILE`: `Ok` or what it said.
fn validate(xmllint: &Path, schema: &str, file: &Path) -> Result<(), String> {
    let output = Command::new(xmllint)
        .args(["--noout", "--schema"])
        .arg(Path::new(SCHEMAS).join(schema))
        .arg(file)
        .output()
        .expect("xmllint runs");
    if output.status.success() {
        Ok(())
    } else {
        Err(text(&output))
    }
}

fn run(name: &str, args: &[&str]) -> PathBuf {
    let reports = std::env::temp_dir().join(format!("cc-junit-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&reports);
    let output = command()
        .arg("run")
        .args(args)
        .arg("--reports")
        .arg(&reports)
        .output()
        .expect("the binary runs");
    assert!(output.status.code().is_some(), "{}", text(&output));
    reports.join("junit.xml")
}

/// A failing run (passed and failed scenarios, durations, timestamps, hostnames) validates
/// against both schemas.
#[test]
fn a_failing_run_is_valid_jenkins_and_ant_junit() {
    let Some(xmllint) = xmllint() else {
        eprintln!("\n*** SKIPPED: no xmllint and it cannot be installed (apt-get install libxml2-utils as root) ***\n");
        return;
    };
    let junit = run(
        "failing",
        &[
            "--provider",
            "stripe",
            "--mock-fault",
            "metadata-unset-ignored",
        ],
    );
    let xml = std::fs::read_to_string(&junit).expect("junit.xml");
    assert!(
        xml.contains("<failure type=\"deviation\""),
        "a failure in it"
    );
    assert!(xml.contains(" timestamp=\"") && xml.contains(" hostname=\""));
    validate(&xmllint, "jenkins-junit-10.xsd", &junit).expect("valid Jenkins/Surefire JUnit");
    validate(&xmllint, "ant-junit.xsd", &junit).expect("valid Ant JUnit");
}

/// Skipped scenarios (not applicable: Gr4vy with a token only cannot mint its own) and
/// infrastructure errors (an unreachable Stripe target) validate against Jenkins/Surefire's.
#[test]
fn skipped_and_errors_are_valid_jenkins_junit() {
    let Some(xmllint) = xmllint() else {
        eprintln!("\n*** SKIPPED: no xmllint and it cannot be installed ***\n");
        return;
    };
    let (url, _) = common::binary::counting_listener();
    let junit = run(
        "errors",
        &[
            "--provider",
            "stripe",
            "--base-url",
            &url,
            "--api-key",
            "sk_test_junit_schemas_1234",
        ],
    );
    let xml = std::fs::read_to_string(&junit).expect("junit.xml");
    assert!(xml.contains("<error type=\"infrastructure\""), "{xml}");
    validate(&xmllint, "jenkins-junit-10.xsd", &junit).expect("valid Jenkins/Surefire JUnit");
    validate(&xmllint, "ant-junit.xsd", &junit).expect("errors are valid Ant JUnit too");
}

/// Not applicable scenarios (Gr4vy with a token only cannot mint the tokens two scenarios need)
/// are `<skipped>`: valid Jenkins/Surefire JUnit.
#[test]
fn skipped_scenarios_are_valid_jenkins_junit() {
    let Some(xmllint) = xmllint() else {
        eprintln!("\n*** SKIPPED: no xmllint and it cannot be installed ***\n");
        return;
    };
    let mock = common::binary::MockProcess::start(&[]);
    let token = common::gr4vy::full_token();
    let junit = run(
        "skipped",
        &[
            "--provider",
            "gr4vy",
            "--base-url",
            &mock.url,
            "--gr4vy-token",
            &token,
            "--tags",
            "@gr4vy_api",
        ],
    );
    let xml = std::fs::read_to_string(&junit).expect("junit.xml");
    assert!(xml.contains("<skipped message=\"not applicable: "), "{xml}");
    validate(&xmllint, "jenkins-junit-10.xsd", &junit).expect("valid Jenkins/Surefire JUnit");
    // Ant's schema knows no skipped test: the one thing it refuses.
    let ant = validate(&xmllint, "ant-junit.xsd", &junit).expect_err("Ant has no <skipped>");
    assert!(ant.contains("skipped"), "{ant}");
    drop(mock);
}

/// `junit2html` (PyPI, installed by the test into a virtualenv of its own) is a JUnit consumer
/// people open: it shows each case's real duration, not `0.0 sec`.
#[test]
fn junit2html_shows_real_durations() {
    let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join("junit2html-31.1.4");
    let tool = venv.join("bin/junit2html");
    if !tool.exists() {
        let made = Command::new("python3")
            .args(["-m", "venv"])
            .arg(&venv)
            .status()
            .is_ok_and(|s| s.success())
            && Command::new(venv.join("bin/pip"))
                .args(["install", "-q", "junit2html==31.1.4"])
                .status()
                .is_ok_and(|s| s.success());
        if !made {
            eprintln!("\n*** SKIPPED: junit2html cannot be installed (python3 -m venv, pip) ***\n");
            return;
        }
    }
    let junit = run(
        "junit2html",
        &[
            "--provider",
            "stripe",
            "--tags",
            "@metadata",
            "--rate",
            "20",
        ],
    );
    let page = junit.with_extension("html");
    let output = Command::new(&tool)
        .arg(&junit)
        .arg(&page)
        .output()
        .expect("junit2html runs");
    assert!(output.status.success(), "{}", text(&output));
    let html = std::fs::read_to_string(&page).expect("junit2html's page");
    // "Duration:</th><td>0.104 sec</td>" per case.
    let durations: Vec<f64> = html
        .split("Duration:</th><td>")
        .skip(1)
        .filter_map(|rest| rest.split(" sec").next()?.trim().parse().ok())
        .collect();
    assert_eq!(durations.len(), 10, "one per scenario: {durations:?}");
    // At 20 requests/s every scenario takes a while: no case shows 0.
    assert!(durations.iter().all(|d| *d > 0.0), "{durations:?}");
}
