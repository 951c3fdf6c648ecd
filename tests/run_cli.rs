//! `checkout-conformance run`: its exit codes (0 passed, 1 conformance failure, 2 the run could
//! not be made), its reports, and its refusals — tested through the real binary.

use std::io::Read;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::Ordering;
use std::time::Duration;

use crate::common;

use common::binary::{counting_listener, features, text, MockProcess, BIN};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cc-run-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// Runs `checkout-conformance run ARGS` with a clean environment ([`common::binary::command`])
/// and then `envs`.
fn run(args: &[&str], envs: &[(&str, &str)]) -> Output {
    let mut command = common::binary::command();
    command.arg("run");
    // Remote targets are Stripe-shaped here unless a test says otherwise.
    if !args.contains(&"--provider") && args.contains(&"--base-url") {
        command.args(["--provider", "stripe"]);
    }
    command.args(args);
    command.envs(envs.iter().copied());
    command.output().expect("the binary runs")
}

#[track_caller]
fn assert_exit(output: &Output, code: i32) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "unexpected exit code; output:\n{}",
        text(output)
    );
}

#[test]
fn passing_run_exits_0_and_writes_every_report() {
    let dir = scratch("pass");
    let reports = dir.join("reports");
    let output = run(
        &[
            "--tags",
            "@metadata",
            "--reports",
            reports.to_str().unwrap(),
        ],
        &[],
    );
    assert_exit(&output, 0);
    for file in [
        "junit.xml",
        "cucumber.json",
        "requests.ndjson",
        "summary.md",
    ] {
        let path = reports.join(file);
        assert!(
            path.metadata().map(|m| m.len() > 0).unwrap_or(false),
            "{file} missing or empty"
        );
    }
    let cucumber: serde_json::Value =
        serde_json::from_slice(&std::fs::read(reports.join("cucumber.json")).unwrap())
            .expect("cucumber.json is JSON");
    assert!(cucumber
        .as_array()
        .is_some_and(|features| !features.is_empty()));
    for line in std::fs::read_to_string(reports.join("requests.ndjson"))
        .unwrap()
        .lines()
    {
        let entry: serde_json::Value =
            serde_json::from_str(line).expect("each request log line is JSON");
        assert!(
            entry["status"].is_u64() && entry["request_id"].is_string(),
            "{line}"
        );
    }
    let summary = std::fs::read_to_string(reports.join("summary.md")).unwrap();
    assert!(
        summary.contains("| metadata.unset-key | stripe | verified | 1 | 0 | 0 | 0 | 0 | 0 |"),
        "{summary}"
    );
    assert!(
        text(&output).contains("passed, 0 failed"),
        "{}",
        text(&output)
    );
}

/// `requests.ndjson` names the credential of each request (masked; null when the scenario sent
/// none) and logs a scenario's cleanup (the expiry of the sessions it created) under its name.
#[test]
fn request_log_names_credentials_and_each_scenarios_cleanup() {
    let dir = scratch("credentials");
    let reports = dir.join("reports");
    let key = "sk_test_run_cli_credentials_4321";
    let output = run(
        &[
            "--tags",
            "@stripe and @api",
            "--reports",
            reports.to_str().unwrap(),
        ],
        &[("STRIPE_API_KEY", key)],
    );
    assert_exit(&output, 0);
    let log = std::fs::read_to_string(reports.join("requests.ndjson")).unwrap();
    let lines: Vec<serde_json::Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert!(!log.contains(key), "the key itself is never logged");
    assert!(lines.iter().any(|l| l["credential"] == "sk_test_…4321"));
    assert!(
        lines
            .iter()
            .any(|l| l["credential"].is_null() && l["status"] == 401),
        "the request sent without a key is logged with no credential"
    );
    let expiries: Vec<&serde_json::Value> = lines
        .iter()
        .filter(|l| l["path"].as_str().is_some_and(|p| p.ends_with("/expire")))
        .collect();
    assert!(!expiries.is_empty());
    for expiry in expiries {
        let scenario = expiry["scenario"].as_str().unwrap();
        assert!(
            scenario.contains(" / ")
                && lines.iter().any(|l| l["scenario"] == scenario
                    && l["path"] == "/v1/checkout/sessions"
                    && l["method"] == "POST"),
            "a cleanup request is logged under the scenario that created the session: {expiry}"
        );
    }
}

#[test]
fn conformance_failure_exits_1_with_a_diff() {
    let dir = scratch("fail");
    let reports = dir.join("reports");
    let output = run(
        &[
            "--tags",
            "@metadata or @gr4vy_api",
            "--reports",
            reports.to_str().unwrap(),
            "--mock-fault",
            "metadata-unset-ignored",
        ],
        &[],
    );
    assert_exit(&output, 1);
    let diff = std::fs::read_to_string(reports.join(
        "diffs/metadata-on-a-checkout-session/a-key-posted-with-an-empty-value-is-unset.diff",
    ))
    .expect("the failing scenario's diff is written");
    assert!(diff.contains("+  \"channel\": \"web\""), "{diff}");
    assert!(
        diff.contains("body: metadata[channel]="),
        "the diff names the request: {diff}"
    );
    assert!(
        diff.contains("Request-Id req_"),
        "the diff names the Request-Id: {diff}"
    );
    let junit = std::fs::read_to_string(reports.join("junit.xml")).unwrap();
    assert!(junit.contains("failures=\"1\""), "{junit}");

    // cucumber.json: the standard format, the failing step with the diff as its message, the
    // Stripe-Version on Stripe features only.
    let cucumber: serde_json::Value =
        serde_json::from_slice(&std::fs::read(reports.join("cucumber.json")).unwrap()).unwrap();
    let features = cucumber.as_array().expect("an array of features");
    let steps: Vec<&serde_json::Value> = features
        .iter()
        .flat_map(|f| f["elements"].as_array().unwrap())
        .flat_map(|e| e["steps"].as_array().unwrap())
        .collect();
    let failed: Vec<_> = steps
        .iter()
        .filter(|s| s["result"]["status"] == "failed")
        .collect();
    assert_eq!(failed.len(), 1, "{failed:?}");
    let message = failed[0]["result"]["error_message"].as_str().unwrap();
    assert!(message.contains("+  \"channel\": \"web\""), "{message}");
    assert!(steps.iter().any(|s| s["result"]["status"] == "passed"
        && s["result"]["duration"].as_u64().is_some()
        && s["keyword"].is_string()
        && s["line"].is_u64()));
    for feature in features {
        let tags: Vec<&str> = feature["tags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap())
            .collect();
        let stripe = tags.contains(&"@stripe");
        assert_eq!(
            tags.iter()
                .any(|t| t.starts_with("@stripe-version:2026-07-29.dahlia")),
            stripe,
            "{tags:?}"
        );
        assert!(feature["uri"].as_str().unwrap().ends_with(".feature"));
    }
    assert!(features
        .iter()
        .any(|f| f["tags"].to_string().contains("gr4vy")));
}

#[test]
fn connection_refused_exits_2_every_scenario_an_infrastructure_error() {
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let dir = scratch("refused");
    let reports = dir.join("r");
    let output = run(
        &["--base-url", &url, "--reports", reports.to_str().unwrap()],
        &[("STRIPE_API_KEY", "sk_test_refused_123456789")],
    );
    assert_exit(&output, 2);
    assert!(
        text(&output).contains(&format!("127.0.0.1:{port}")),
        "{}",
        text(&output)
    );
    let junit = std::fs::read_to_string(reports.join("junit.xml")).expect("junit.xml is written");
    assert!(
        !junit.contains("<failure"),
        "no conformance failure: {junit}"
    );
    let errors: usize = junit.matches("<error ").count();
    let tests: usize = junit.matches("<testcase ").count();
    assert!(
        tests > 100 && errors == tests,
        "every scenario an infrastructure error: {errors} of {tests}"
    );
    let summary = std::fs::read_to_string(reports.join("summary.md")).unwrap();
    assert!(
        summary.contains(&format!("| {tests} | 0 | 0 | 0 | {tests} | 0 | 0 |")),
        "{summary}"
    );
}

#[test]
fn live_key_is_refused_before_any_request_and_never_printed() {
    let (url, connections) = counting_listener();
    let key = "sk_live_canary_do_not_print_9876";
    let output = run(&["--base-url", &url], &[("STRIPE_API_KEY", key)]);
    assert_exit(&output, 2);
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(
        connections.load(Ordering::SeqCst),
        0,
        "a request was sent with a live key"
    );
    assert!(
        !text(&output).contains(key),
        "the key was printed: {}",
        text(&output)
    );
    assert!(text(&output).contains("live-mode key"), "{}", text(&output));
}

#[test]
fn remote_target_without_key_exits_2() {
    let (url, connections) = counting_listener();
    let output = run(&["--base-url", &url], &[]);
    assert_exit(&output, 2);
    assert!(
        text(&output).contains("STRIPE_API_KEY"),
        "{}",
        text(&output)
    );
    assert_eq!(connections.load(Ordering::SeqCst), 0);
}

#[test]
fn invalid_base_url_exits_2() {
    let output = run(
        &["--base-url", "ftp:/nowhere"],
        &[("STRIPE_API_KEY", "sk_test_123456789")],
    );
    assert_exit(&output, 2);
    assert!(text(&output).contains("ftp:/nowhere"), "{}", text(&output));
}

#[test]
fn invalid_feature_file_exits_2_with_its_location() {
    let dir = scratch("bad-feature");
    let features = features(
        &dir,
        "x.feature",
        "@stripe\nFeature: Broken\n  Scenario: no steps\n    Given\n  This is not gherkin\n",
    );
    let output = run(
        &[
            "--features",
            features.to_str().unwrap(),
            "--reports",
            dir.join("r").to_str().unwrap(),
        ],
        &[],
    );
    assert_exit(&output, 2);
    assert!(text(&output).contains("x.feature"), "{}", text(&output));
}

#[test]
fn unknown_clause_exits_2_with_its_location() {
    let dir = scratch("bad-clause");
    let features = features(&dir, "x.feature", "@stripe\nFeature: F\n\n  @doc:no.such.clause\n  Scenario: S\n    Given an open custom UI checkout session\n");
    let output = run(
        &[
            "--features",
            features.to_str().unwrap(),
            "--reports",
            dir.join("r").to_str().unwrap(),
        ],
        &[],
    );
    assert_exit(&output, 2);
    assert!(
        text(&output).contains("x.feature:5: @doc:no.such.clause is not in CLAUSES.md"),
        "{}",
        text(&output)
    );
}

#[test]
fn malformed_clause_list_exits_2_with_its_line() {
    let dir = scratch("bad-clauses");
    let features = features(&dir, "x.feature", "@stripe\nFeature: F\n");
    std::fs::write(
        features.join("CLAUSES.md"),
        "| clause | provider | documentation |\n|---|---|---|\n| a | paypal | x |\n",
    )
    .unwrap();
    let output = run(&["--features", features.to_str().unwrap()], &[]);
    assert_exit(&output, 2);
    assert!(text(&output).contains("CLAUSES.md:3:"), "{}", text(&output));
}

#[test]
fn bad_tag_expression_and_empty_selection_exit_2() {
    let output = run(&["--tags", "@a and and"], &[]);
    assert_exit(&output, 2);
    assert!(text(&output).contains("@a and and"), "{}", text(&output));
    let output = run(&["--tags", "@no_such_tag"], &[]);
    assert_exit(&output, 2);
    assert!(
        text(&output).contains("no scenario matches"),
        "{}",
        text(&output)
    );
}

/// The suite against a second server process: the bundled mock started by
/// `checkout-conformance mock`, reached through --base-url like any remote target.
#[test]
fn remote_target_path_passes_against_a_separately_started_mock() {
    let mut mock = Command::new(BIN)
        .args([
            "mock",
            "--addr",
            "127.0.0.1:0",
            "--api-key",
            "sk_test_second_target_1234",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .expect("the mock starts");
    let mut stdout = mock.stdout.take().unwrap();
    let mut line = Vec::new();
    let mut byte = [0u8; 1];
    while stdout.read(&mut byte).map(|n| n == 1).unwrap_or(false) && byte[0] != b'\n' {
        line.push(byte[0]);
    }
    let line = String::from_utf8_lossy(&line).to_string();
    let url = line.rsplit(' ').next().unwrap_or_default().to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{line}");
    let dir = scratch("second");
    let output = run(
        &[
            "--base-url",
            &url,
            "--tags",
            "@metadata",
            "--reports",
            dir.join("r").to_str().unwrap(),
        ],
        &[("STRIPE_API_KEY", "sk_test_second_target_1234")],
    );
    let _ = mock.kill();
    let _ = mock.wait();
    assert_exit(&output, 0);
}

/// The `queued_ms` of every line of `requests.ndjson`: the time each request waited for the
/// rate limiter (exactly 0 when the run had none).
fn queued_ms(reports: &Path) -> Vec<f64> {
    std::fs::read_to_string(reports.join("requests.ndjson"))
        .expect("requests.ndjson")
        .lines()
        .map(|line| {
            let entry: serde_json::Value = serde_json::from_str(line).expect("JSON");
            entry["queued_ms"].as_f64().expect("queued_ms")
        })
        .collect()
}

/// Options out of range or contradicting each other: exit 2 with a message naming the option,
/// before the first request (a counting listener is the target) and before the reports
/// directory is created. `{url}` is the listener, `{file}` an existing file.
#[rstest::rstest]
#[case::concurrency_zero(&["--concurrency", "0"], &[], "error: --concurrency must be at least 1 (got 0)")]
#[case::rate_negative(&["--rate", "-1"], &[], "error: --rate (CONFORMANCE_RATE) must be a positive number of requests per second, or 0 for no limit (got -1)")]
#[case::rate_negative_attached(&["--rate=-0.5"], &[], "or 0 for no limit (got -0.5)")]
#[case::rate_nan(&["--rate", "NaN"], &[], "or 0 for no limit (got NaN)")]
#[case::rate_infinite(&["--rate", "inf"], &[], "or 0 for no limit (got inf)")]
#[case::rate_from_the_environment(&[], &[("CONFORMANCE_RATE", "-3")], "error: --rate (CONFORMANCE_RATE) must be a positive number of requests per second, or 0 for no limit (got -3)")]
#[case::mock_fault_with_base_url(&["--mock-fault", "metadata-unset-ignored"], &[],
    "error: --mock-fault metadata-unset-ignored breaks the bundled mock, but the stripe scenarios run against --base-url {url}: the fault would change nothing")]
#[case::gr4vy_mock_fault_with_stripe_only(&["--mock-fault", "gr4vy-metadata-ignored"], &[],
    "error: --mock-fault gr4vy-metadata-ignored breaks the bundled mock's gr4vy half, but --provider stripe runs no gr4vy scenario")]
#[case::reports_is_a_file(&["--reports", "{file}"], &[], "error: --reports (CONFORMANCE_REPORTS) {file} is a file: the reports path must be a directory")]
#[case::base_url_not_http(&["--base-url", "ftp://127.0.0.1:1/"], &[],
    "error: --base-url (CONFORMANCE_BASE_URL) `ftp://127.0.0.1:1/` is not an http:// or https:// URL with a host")]
#[case::base_url_without_scheme(&[], &[("CONFORMANCE_BASE_URL", "localhost:12111")],
    "error: --base-url (CONFORMANCE_BASE_URL) `localhost:12111` is not an http:// or https:// URL with a host")]
#[case::placeholder_key(&[], &[("STRIPE_API_KEY", "sk_test_…")],
    "error: --api-key (STRIPE_API_KEY) holds `…`, which no credential does")]
fn invalid_options_exit_2_naming_the_option_before_any_request(
    #[case] args: &[&str],
    #[case] envs: &[(&str, &str)],
    #[case] message: &str,
) {
    let (url, connections) = counting_listener();
    let dir = scratch(&format!("invalid-{}", case_dir(message)));
    let file = dir.join("a-file");
    std::fs::write(&file, "not a directory").unwrap();
    let reports = dir.join("reports");
    let fill = |s: &str| {
        s.replace("{url}", &url)
            .replace("{file}", file.to_str().unwrap())
    };
    let mut all: Vec<String> = vec!["--provider".into(), "stripe".into()];
    let base_url_given =
        args.contains(&"--base-url") || envs.iter().any(|(k, _)| *k == "CONFORMANCE_BASE_URL");
    if !base_url_given {
        all.extend(["--base-url".into(), url.clone()]);
    }
    if !args.contains(&"--reports") {
        all.extend(["--reports".into(), reports.to_str().unwrap().into()]);
    }
    all.extend(args.iter().map(|a| fill(a)));
    let mut env: Vec<(&str, &str)> = vec![("STRIPE_API_KEY", "sk_test_run_cli_options_1234")];
    env.extend_from_slice(envs);
    let output = run(&all.iter().map(String::as_str).collect::<Vec<_>>(), &env);
    assert_exit(&output, 2);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(&fill(message)), "{}", text(&output));
    assert!(
        !text(&output).contains("sk_test_run_cli_options_1234"),
        "{}",
        text(&output)
    );
    std::thread::sleep(Duration::from_millis(100));
    assert_eq!(
        connections.load(Ordering::SeqCst),
        0,
        "a request was sent: {}",
        text(&output)
    );
    assert!(!reports.exists(), "the reports directory was created");
    assert!(file.is_file());
}

/// A scratch directory name for a case: its message's letters.
fn case_dir(message: &str) -> String {
    message
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .take(60)
        .collect()
}

/// `cargo test --test conformance -- FLAGS` takes the same flags (`HarnessCli`) and refuses
/// the same way, before the run starts.
#[rstest::rstest]
#[case::concurrency_zero(&["--concurrency", "0"], "--concurrency must be at least 1 (got 0)")]
#[case::rate_nan(&["--rate", "NaN"], "or 0 for no limit (got NaN)")]
#[case::rate_negative(&["--rate", "-2"], "or 0 for no limit (got -2)")]
#[case::mock_fault_with_base_url(
    &["--base-url", "http://127.0.0.1:9", "--api-key", "sk_test_1234", "--mock-fault", "auth-unchecked"],
    "--mock-fault auth-unchecked breaks the bundled mock, but the stripe scenarios run against --base-url http://127.0.0.1:9"
)]
#[case::base_url(&["--base-url", "127.0.0.1:9", "--api-key", "sk_test_1234"], "--base-url (CONFORMANCE_BASE_URL) `127.0.0.1:9` is not")]
fn the_harness_flags_are_validated_the_same_way(#[case] args: &[&str], #[case] message: &str) {
    use checkout_conformance::cli::HarnessCli;
    use checkout_conformance::runner::{self, RunError};
    use clap::Parser;
    let cli = HarnessCli::try_parse_from(
        ["conformance", "--provider", "stripe"]
            .iter()
            .chain(args)
            .copied(),
    )
    .expect("the flags parse");
    match runner::run_blocking(
        cli.run.config(),
        |_: &checkout_conformance::report::ScenarioResult| {},
    ) {
        Err(RunError::Config(error)) => {
            assert!(error.to_string().contains(message), "{error}")
        }
        other => panic!("expected a configuration error, got {other:?}"),
    }
}

/// No default rate limit against a target on this machine (the README's standalone mock ran
/// at 20 requests/s, 35 s instead of half a second); `--rate` still applies when given.
#[rstest::rstest]
#[case::ipv4_loopback("127.0.0.1", &[], false)]
#[case::localhost("localhost", &[], false)]
#[case::explicit_rate("127.0.0.1", &["--rate", "40"], true)]
fn loopback_targets_get_no_default_rate(
    #[case] host: &str,
    #[case] rate: &[&str],
    #[case] limited: bool,
) {
    let mock = MockProcess::start(&["--api-key", "sk_test_run_cli_rate_1234"]);
    let port = mock.addr().rsplit(':').next().unwrap().to_owned();
    let url = format!("http://{host}:{port}");
    let dir = scratch(&format!("rate-{host}-{limited}"));
    let reports = dir.join("r");
    let mut args = vec![
        "--base-url",
        &url,
        "--tags",
        "@metadata",
        "--reports",
        reports.to_str().unwrap(),
    ];
    args.extend_from_slice(rate);
    let output = run(&args, &[("STRIPE_API_KEY", "sk_test_run_cli_rate_1234")]);
    assert_exit(&output, 0);
    let queued = queued_ms(&reports);
    assert!(queued.len() > 20, "{queued:?}");
    assert_eq!(
        queued.iter().any(|&q| q > 0.0),
        limited,
        "rate limiter waits: {queued:?}"
    );
}

/// The README's standalone-mock recipe, run as written (on a free port instead of 12111): the
/// mock in one process, each run command after it against that mock, every scenario passing.
/// `cargo run -- X` is the binary; `cargo test --test conformance [-- FLAGS]` is
/// `checkout-conformance run FLAGS` (both parse `RunArgs` and call the same engine).
#[test]
fn readme_standalone_mock_recipe_passes_as_written() {
    let readme = include_str!("../README.md");
    let start = readme
        .find("<!-- recipe:standalone-mock -->")
        .expect("the recipe marker in README.md");
    let block = readme[start..]
        .split("```sh\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("the recipe's code block");
    let commands: Vec<&str> = block.lines().filter(|l| !l.trim().is_empty()).collect();
    let (mock_line, runs) = commands.split_first().expect("the mock command");
    assert!(runs.len() >= 2, "{block}");
    let mock_args: Vec<&str> = mock_line
        .strip_prefix("cargo run -- mock")
        .expect("the recipe starts the mock")
        .split_whitespace()
        .collect();
    assert!(
        !mock_line.contains('#') && !mock_line.contains('"') && !mock_line.contains("--addr"),
        "{mock_line}"
    );
    let mock = MockProcess::start(&mock_args);
    for (n, line) in runs.iter().enumerate() {
        assert!(
            !line.contains('#') && !line.contains('"') && !line.contains('\''),
            "the recipe's lines are plain words: {line}"
        );
        let line = line.replace("127.0.0.1:12111", mock.addr());
        let words: Vec<&str> = line.split_whitespace().collect();
        let cargo = words
            .iter()
            .position(|w| *w == "cargo")
            .expect("a cargo command");
        let envs: Vec<(&str, &str)> = words[..cargo]
            .iter()
            .map(|w| w.split_once('=').expect("VAR=value before cargo"))
            .collect();
        let args: Vec<&str> = match &words[cargo..] {
            ["cargo", "run", "--", "run", rest @ ..] => rest.to_vec(),
            ["cargo", "test", "--test", "conformance"] => Vec::new(),
            ["cargo", "test", "--test", "conformance", "--", rest @ ..] => rest.to_vec(),
            other => panic!("not a run of the suite: {other:?}"),
        };
        let reports = scratch(&format!("readme-recipe-{n}")).join("r");
        let mut args = args;
        args.extend(["--reports", reports.to_str().unwrap()]);
        let output = run(&args, &envs);
        assert_exit(&output, 0);
        assert!(
            text(&output).contains("131 scenarios against stripe"),
            "{}",
            text(&output)
        );
    }
}

/// Why the recipe gives the mock a key: a mock accepting any test-mode key cannot reject an
/// invalid one, and says so when it starts; against it exactly that scenario fails.
#[test]
fn a_mock_accepting_any_key_says_so_and_fails_only_the_invalid_key_scenario() {
    let mock = MockProcess::start(&[]);
    let notice = mock
        .lines
        .recv_timeout(Duration::from_secs(20))
        .expect("the notice");
    assert_eq!(
        notice,
        checkout_conformance::vendor::stripe::mock::ANY_KEY_NOTICE
    );
    let dir = scratch("any-key");
    let output = run(
        &[
            "--base-url",
            &mock.url,
            "--tags",
            "@stripe and @api",
            "--reports",
            dir.join("r").to_str().unwrap(),
        ],
        &[("STRIPE_API_KEY", "sk_test_run_cli_any_key_1234")],
    );
    assert_exit(&output, 1);
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    // The closing list: each scenario that did not pass, with its outcome.
    let failed: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("FAIL") && l.ends_with("(failed)"))
        .collect();
    assert_eq!(
        failed,
        ["FAIL What every Stripe API request follows, applied to updating a Checkout Session / A request without a valid API key is rejected (an invalid test key) (failed)"],
        "{}",
        text(&output)
    );
}
