//! The README stays true: its fault table is the catalogue, and its two commands are the ones
//! CI and users run.

use checkout_conformance::mock::Fault;

const README: &str = include_str!("../README.md");

#[test]
fn fault_table_lists_exactly_the_catalogue() {
    let start = README
        .find("<!-- faults:start -->")
        .expect("fault table start marker");
    let end = README
        .find("<!-- faults:end -->")
        .expect("fault table end marker");
    let rows: Vec<String> = README[start..end]
        .lines()
        .filter(|l| l.starts_with("| `"))
        .map(str::to_owned)
        .collect();
    let expected: Vec<String> = Fault::all()
        .iter()
        .map(|f| {
            let clauses: Vec<String> = f.clauses().iter().map(|c| format!("`{c}`")).collect();
            format!(
                "| `{}` | {} | {} |",
                f.name(),
                clauses.join(", "),
                f.description()
            )
        })
        .collect();
    assert_eq!(
        rows, expected,
        "README's fault table differs from `checkout-conformance mock --list-faults`"
    );
}

#[test]
fn the_two_commands_are_documented_and_ci_runs_the_test_command() {
    assert!(README.contains("cargo run -- run "), "the run command");
    assert!(README.contains("cargo test  "), "the test command");
    let ci = include_str!("../.ci/run");
    assert!(
        ci.lines().any(|l| l.trim() == "exec cargo test"),
        ".ci/run runs the README's test command"
    );
}

/// The README shows the HTML report: the screenshot it names is in the repository.
#[test]
fn the_report_screenshot_is_shown_and_present() {
    assert!(
        README.contains("](docs/report.png)"),
        "the README shows docs/report.png"
    );
    let png = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/report.png"))
        .expect("docs/report.png");
    assert!(png.starts_with(b"\x89PNG"), "a PNG");
    for file in [
        "index.html",
        "summary.md",
        "junit.xml",
        "cucumber.json",
        "requests.ndjson",
    ] {
        assert!(
            README.contains(&format!("| `{file}` |")),
            "the reports table lists {file}"
        );
    }
}
