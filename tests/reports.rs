//! The reports people look at (issue 11), through the real binary: the curl reproduction of a
//! failure, run against the same faulty mock, repeats the wrong answer; `index.html` rendered
//! in headless Chromium counts what summary.md counts, shows a failure's diff and curl, fetches
//! nothing, and shows a target's markup as text; a rate-limited run streams its progress.

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common;

use common::binary::{command, text, walk, MockProcess};
use std::io::Read as _;
use std::sync::{Arc, Mutex};

const KEY: &str = "sk_test_reports_4242";

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cc-reports-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

/// The `reproduce with` command of the diff file of the scenario whose name contains `name`.
fn reproduction(reports: &Path, name: &str) -> String {
    let diffs = reports.join("diffs");
    let file = walk(&diffs)
        .into_iter()
        .find(|p| p.to_string_lossy().contains(name))
        .unwrap_or_else(|| panic!("no diff for {name} under {}", diffs.display()));
    let diff = std::fs::read_to_string(&file).expect("the diff");
    diff.lines()
        .map(str::trim)
        .find(|l| l.starts_with("curl "))
        .unwrap_or_else(|| panic!("no curl line in {diff}"))
        .to_owned()
}

/// `run --provider stripe --tags @metadata ARGS --reports REPORTS` with the test key, clean
/// environment otherwise.
fn metadata_run(args: &[&str], reports: &Path) -> Command {
    let mut run = command();
    run.args(["run", "--provider", "stripe", "--tags", "@metadata"])
        .args(args)
        .arg("--reports")
        .arg(reports)
        .env("STRIPE_API_KEY", KEY);
    run
}

/// Runs `sh -c command` with `$STRIPE_API_KEY` set to the test key.
fn sh(command: &str) -> String {
    common::binary::sh(command, "STRIPE_API_KEY", KEY)
}

/// The reproduction printed for a failed scenario, run as printed against the same faulty mock
/// (its own process, left running), answers as wrongly as it did during the run: the key posted
/// empty is still there. With a fresh Idempotency-Key too, so it is no replay of a stored answer.
#[test]
fn the_printed_curl_reproduces_the_wrong_answer() {
    let mock = MockProcess::start(&["--api-key", KEY, "--fault", "metadata-unset-ignored"]);
    let dir = scratch("curl");
    let reports = dir.join("r");
    let output = metadata_run(&["--base-url", &mock.url, "--no-cleanup"], &reports)
        .output()
        .expect("the binary runs");
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let printed = text(&output);
    let curl = reproduction(&reports, "a-key-posted-with-an-empty-value-is-unset");
    // The same command on the console, in summary.md and in index.html; never the key.
    assert!(printed.contains(&curl), "{printed}");
    let summary = std::fs::read_to_string(reports.join("summary.md")).expect("summary.md");
    assert!(summary.contains(&curl));
    assert!(
        curl.contains("\"Authorization: Bearer $STRIPE_API_KEY\""),
        "{curl}"
    );
    assert!(
        curl.contains("'Stripe-Version: ") && curl.contains("'Idempotency-Key: "),
        "{curl}"
    );
    assert!(
        curl.contains("--data-binary 'metadata[channel]='"),
        "{curl}"
    );
    for report in walk(&reports) {
        let bytes = std::fs::read(&report).expect("a report");
        assert!(
            !String::from_utf8_lossy(&bytes).contains(KEY),
            "{} holds the key",
            report.display()
        );
    }

    let answer = sh(&curl);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(
        answer.contains("\"channel\""),
        "the key posted empty is still there: {answer}"
    );
    let fresh = curl
        .split("'Idempotency-Key: ")
        .enumerate()
        .map(|(i, part)| {
            if i == 0 {
                part.to_owned()
            } else {
                format!("'Idempotency-Key: fresh-{}", &part[8..])
            }
        })
        .collect::<String>();
    assert_ne!(fresh, curl);
    let answer = sh(&fresh);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(
        !answer
            .to_ascii_lowercase()
            .contains("idempotent-replayed: true"),
        "{answer}"
    );
    assert!(answer.contains("\"channel\""), "{answer}");
    drop(mock);
}

/// Chromium, installed with apt-get when missing and running as root (as CI does); `None`
/// (the caller says so loudly) when it cannot be had.
fn chromium() -> Option<PathBuf> {
    common::debian::tool("chromium", "chromium")
}

/// A proxy on 127.0.0.1 that records the first line of each request it is sent (`GET
/// http://host/…`, `CONNECT host:443`) and answers none: its address and the lines.
fn recording_proxy() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("address").to_string();
    let lines = Arc::new(Mutex::new(Vec::new()));
    let seen = lines.clone();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(1)));
            let mut head = [0u8; 512];
            let n = stream.read(&mut head).unwrap_or(0);
            let line = String::from_utf8_lossy(&head[..n])
                .lines()
                .next()
                .unwrap_or("")
                .to_owned();
            seen.lock().unwrap_or_else(|p| p.into_inner()).push(line);
        }
    });
    (addr, lines)
}

/// Hosts Chromium itself talks to in the background (network time, component updates, sign-in):
/// not fetched by the page.
const BROWSER_HOSTS: [&str; 4] = ["google.com", "googleapis.com", "gvt1.com", "gstatic.com"];

/// The host a proxy request line names: `CONNECT host:443 …` or `GET http://host/… …`.
fn host(line: &str) -> String {
    let target = line.split(' ').nth(1).unwrap_or_default();
    let target = target.split("://").nth(1).unwrap_or(target);
    target
        .split(['/', ':'])
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// The DOM of `page` after its script ran, as headless Chromium builds it, and the requests it
/// sent anywhere but to the browser's own services (every connection goes through a recording
/// proxy, loopback included).
fn render(page: &Path) -> Option<(String, Vec<String>)> {
    let Some(browser) = chromium() else {
        eprintln!("\n*** SKIPPED: no Chromium and it cannot be installed (apt-get install chromium as root) ***\n");
        return None;
    };
    let (proxy, requests) = recording_proxy();
    let profile = page.with_extension("profile");
    let output = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
            "--virtual-time-budget=3000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!(
            "--proxy-server={}",
            proxy.trim_start_matches("http://")
        ))
        .arg("--proxy-bypass-list=<-loopback>")
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .stderr(Stdio::null())
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        dom.contains("data-ready=\"yes\""),
        "the page's script did not run: {}",
        &dom[..dom.len().min(2000)]
    );
    // The proxy reads each request's first line within a second.
    std::thread::sleep(Duration::from_millis(1200));
    let requests = requests.lock().unwrap_or_else(|p| p.into_inner()).clone();
    let page_requests = requests
        .into_iter()
        .filter(|line| {
            let host = host(line);
            !BROWSER_HOSTS
                .iter()
                .any(|b| host == *b || host.ends_with(&format!(".{b}")))
        })
        .collect();
    Some((dom, page_requests))
}

/// The `<article …>` elements of the DOM whose attributes contain `marker`, each up to its end.
fn articles<'a>(dom: &'a str, marker: &str) -> Vec<&'a str> {
    dom.split("<article ")
        .skip(1)
        .filter(|a| a.split('>').next().unwrap_or_default().contains(marker))
        .map(|a| a.split("</article>").next().unwrap_or_default())
        .collect()
}

/// A failing run's index.html in headless Chromium: as many failed scenarios as summary.md
/// counts, each showing its side-by-side diff and its curl command; no connection opened.
#[test]
fn index_html_in_chromium_counts_and_shows_failures() {
    let dir = scratch("html");
    let reports = dir.join("r");
    let output = metadata_run(
        &[
            "--mock-fault",
            "metadata-unset-ignored",
            "--mock-fault",
            "metadata-clear-ignored",
        ],
        &reports,
    )
    .output()
    .expect("the binary runs");
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let summary = std::fs::read_to_string(reports.join("summary.md")).expect("summary.md");
    // | scenarios | passed | failed | …: the totals row follows the header and separator.
    let totals = summary
        .lines()
        .skip_while(|l| !l.starts_with("| scenarios |"))
        .nth(2)
        .expect("the outcome table");
    let failed: usize = totals
        .split('|')
        .nth(3)
        .and_then(|c| c.trim().parse().ok())
        .expect("a failed count");
    assert!(failed >= 2, "{totals}");
    let Some((dom, requests)) = render(&reports.join("index.html")) else {
        return;
    };
    let shown = articles(&dom, "data-outcome=\"failed\"");
    assert_eq!(
        shown.len(),
        failed,
        "failed scenarios in the page vs summary.md"
    );
    assert!(
        dom.contains(&format!("data-count=\"failed\">{failed}<")),
        "the header's count"
    );
    for article in shown {
        assert!(article.contains("<table class=\"diff\">"), "{article}");
        assert!(
            article.contains("<td class=\"ins\">  \"channel\""),
            "the added key highlighted: {article}"
        );
        assert!(article.contains("curl -sS -i -g -X POST"), "{article}");
        assert!(article.contains("$STRIPE_API_KEY"), "{article}");
    }
    assert!(requests.is_empty(), "the page fetched: {requests:?}");
}

/// A target whose error messages are markup: the page shows them as text, and none of it runs
/// (the script would retitle the page, the image handler mark the body).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_targets_markup_is_text() {
    use axum::response::IntoResponse;
    use common::proxy::ProxiedMock;
    const PAYLOAD: &str = "<script>alert(1)</script><script>document.title='pwned'</script><img src=x onerror=\"document.body.dataset.pwned='yes'\">";
    let proxied = ProxiedMock::start(KEY, |request, upstream| async move {
        let update = request.method() == axum::http::Method::POST
            && request.uri().path().starts_with("/v1/checkout/sessions/")
            && !request.uri().path().ends_with("/expire");
        let forwarded = upstream.forward(request).await;
        if !update {
            return forwarded.into_response();
        }
        let body = serde_json::json!({"error": {"type": "invalid_request_error", "message": PAYLOAD, "param": PAYLOAD}});
        let mut response = (axum::http::StatusCode::BAD_REQUEST, forwarded.headers, axum::body::Body::from(body.to_string())).into_response();
        response.headers_mut().remove(axum::http::header::CONTENT_LENGTH);
        response
    })
    .await;
    let dir = scratch("xss");
    let reports = dir.join("r");
    let url = proxied.url.clone();
    let reports_arg = reports.clone();
    let output = tokio::task::spawn_blocking(move || {
        metadata_run(&["--base-url", &url], &reports_arg)
            .output()
            .expect("the binary runs")
    })
    .await
    .expect("joined");
    assert_eq!(output.status.code(), Some(1), "{}", text(&output));
    let page = std::fs::read_to_string(reports.join("index.html")).expect("index.html");
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "escaped in the file"
    );
    let Some((dom, _)) = render(&reports.join("index.html")) else {
        return;
    };
    assert!(
        dom.contains("<title>checkout-conformance report</title>"),
        "a script ran"
    );
    assert!(!dom.contains("data-pwned"), "an image handler ran");
    assert!(!dom.contains("<img"), "markup became an element");
    assert!(
        dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "the text is shown"
    );
}

/// With `--rate 5` a run takes seconds; piped (not a terminal), each scenario's line comes as
/// it finishes: the first arrives while the run is still going.
#[test]
fn a_slow_run_streams_its_progress() {
    let mock = MockProcess::start(&["--api-key", KEY]);
    let dir = scratch("progress");
    let mut child = metadata_run(
        &["--base-url", &mock.url, "--rate", "5", "--concurrency", "2"],
        &dir.join("r"),
    )
    .stdout(Stdio::piped())
    .stderr(Stdio::null())
    .spawn()
    .expect("the binary starts");
    let started = Instant::now();
    let stdout = child.stdout.take().expect("piped");
    let mut lines = std::io::BufReader::new(stdout).lines();
    let first = lines.next().expect("a line").expect("text");
    let first_at = started.elapsed();
    let running = child.try_wait().expect("status").is_none();
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    let status = child.wait().expect("exit");
    let total = started.elapsed();
    assert_eq!(status.code(), Some(0), "{first}\n{}", rest.join("\n"));
    assert!(first.starts_with("ok   "), "{first}");
    assert!(
        running,
        "the first line came only at the end ({first_at:?} of {total:?})"
    );
    assert!(
        total > first_at + Duration::from_secs(1),
        "{first_at:?} of {total:?}"
    );
    assert!(
        rest.iter().any(|l| l.starts_with("conformance: ")),
        "{rest:?}"
    );
    drop(mock);
}

/// `run` on a pseudo-terminal (util-linux `script`), stdout and stderr together as the
/// terminal got them; `env` set, NO_COLOR removed unless given.
fn on_a_terminal(args: &str, env: &[(&str, &str)]) -> String {
    let reports = scratch(&format!("tty-{}", env.len()));
    let line = format!(
        "{} run --provider stripe --tags @metadata --rate 20 --reports {} {args}",
        common::binary::BIN,
        reports.display()
    );
    let mut script = Command::new("script");
    script
        .args(["-qec", &line, "/dev/null"])
        .env_remove("NO_COLOR");
    for (key, _) in std::env::vars() {
        if key.starts_with("CONFORMANCE_") || key.starts_with("STRIPE_") {
            script.env_remove(key);
        }
    }
    let output = script
        .envs(env.iter().copied())
        .output()
        .expect("script runs");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// On a terminal: a live bar (done/total, passed, failed, other, elapsed, ETA), in colour
/// unless NO_COLOR or --color never; piped: lines, colourless unless --color always.
#[test]
fn a_terminal_gets_a_coloured_progress_bar() {
    const GREEN: &str = "\u{1b}[32m";
    let shown = on_a_terminal("", &[]);
    assert!(shown.contains("/10 "), "{shown}");
    assert!(
        shown.contains(" passed, 0 failed, 0 other (ETA "),
        "{shown}"
    );
    assert!(shown.contains("00:00:0"), "elapsed: {shown}");
    assert!(shown.contains(GREEN), "{shown}");
    assert!(shown.contains("conformance: 10 passed"), "{shown}");
    assert!(
        !shown.contains("ok   Metadata"),
        "passed scenarios stay in the bar: {shown}"
    );
    let no_color = on_a_terminal("", &[("NO_COLOR", "1")]);
    assert!(
        no_color.contains("/10 ") && !no_color.contains(GREEN),
        "{no_color}"
    );
    let never = on_a_terminal("--color never", &[]);
    assert!(never.contains("/10 ") && !never.contains(GREEN), "{never}");
    let piped = metadata_run(&["--color", "always"], &scratch("piped-colour"))
        .output()
        .expect("the binary runs");
    let piped = String::from_utf8_lossy(&piped.stdout).into_owned();
    assert!(piped.contains(&format!("{GREEN}ok   Metadata")), "{piped}");
    let plain = metadata_run(&[], &scratch("piped"))
        .output()
        .expect("the binary runs");
    let plain = String::from_utf8_lossy(&plain.stdout).into_owned();
    assert!(
        plain.contains("\nok   Metadata") && !plain.contains('\u{1b}'),
        "{plain}"
    );
}
