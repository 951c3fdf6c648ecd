//! Honest verdicts against targets nobody on the project wrote: small misbehaving servers on
//! 127.0.0.1, the real binary, and each scenario's outcome read back from `junit.xml`.
//!
//! The outcomes, and how `junit.xml` shows them:
//!
//! | outcome        | meaning                                                        | junit.xml                                  |
//! |----------------|----------------------------------------------------------------|--------------------------------------------|
//! | passed         |                                                                | no child (but maybe `<system-out>`)        |
//! | failed         | the answer to the request under test breaks a documented rule  | `<failure message=…>`                      |
//! | setup failed   | a Given could not establish its precondition                   | `<error type="setup" message=…>`           |
//! | infrastructure | unreachable, timeouts, transient 5xx/429 after the retries      | `<error type="infrastructure" message=…>`  |
//! | not applicable | cannot run with this configuration                             | `<skipped message="not applicable: …">`    |
//! | not run        | interrupted                                                    | `<skipped message="not run: …">`           |
//!
//! Exit codes: 0 all passed or not applicable; 1 something failed; 2 the run could not be made,
//! or nothing failed but something was setup failed / infrastructure; 130 SIGINT or SIGTERM.

use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use checkout_conformance::mock::MockServer;
use common::proxy::{ProxiedMock, Upstream};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::AsyncReadExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::runtime::Runtime;

use crate::common;

const KEY: &str = "sk_test_verdict_harness_key_9876";
const MASKED_KEY: &str = "sk_test_…9876";
/// No run is allowed longer than this: the child is killed and the test fails.
const BOUND: Duration = Duration::from_secs(120);

const API: &str = "What every Stripe API request follows, applied to updating a Checkout Session";
const METADATA: &str = "Metadata on a Checkout Session";
const LINE_ITEMS: &str = "Line items of a Checkout Session";

// ---------------------------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------------------------

/// A target that answers 401 (Stripe's error envelope) to every key: the key is wrong, not the
/// target. Preflight says so — with the key masked — and no scenario is judged.
#[test]
fn rejected_key_stops_the_run_before_any_scenario() {
    let rt = Runtime::new().unwrap();
    let hits = Hits::default();
    let url = rt.block_on(serve(
        Router::new()
            .fallback(unauthorized)
            .with_state(hits.clone()),
    ));
    let run = stripe(&url, "key-rejected", &["--tags", "@metadata or @api"]);

    run.assert_exit(2);
    assert!(
        run.stderr.contains("the target rejected the API key"),
        "{run}"
    );
    assert!(run.stderr.contains(MASKED_KEY), "the key, masked: {run}");
    assert!(!run.all().contains(KEY), "the whole key never shows: {run}");
    run.assert_nothing_judged();
    assert_eq!(
        hits.count("POST /v1/prices"),
        0,
        "no scenario started (each begins by creating a price): {:?}",
        hits.all()
    );
}

/// A web server that is not Stripe at all: an HTML 404 page on every path.
#[test]
fn html_server_does_not_speak_stripes_api() {
    let rt = Runtime::new().unwrap();
    let hits = Hits::default();
    let url = rt.block_on(serve(
        Router::new()
            .fallback(html_not_found)
            .with_state(hits.clone()),
    ));
    let run = stripe(&url, "html", &["--tags", "@metadata or @api"]);

    run.assert_exit(2);
    assert!(run.stderr.contains("does not speak Stripe's API"), "{run}");
    run.assert_nothing_judged();
    assert_eq!(hits.count("POST /v1/prices"), 0, "{:?}", hits.all());
}

/// The bundled mock behind a proxy that has no fixture endpoints: `POST /v1/prices` and
/// `POST /v1/shipping_rates` answer Stripe's 404 envelope. Every Stripe Background creates a
/// price, so the scenarios cannot be set up; that says nothing about the update under test.
#[test]
fn refused_fixtures_are_setup_failures_not_deviations() {
    let rt = Runtime::new().unwrap();
    let proxy = rt.block_on(proxy_to_mock(Twist::NoFixtures));
    let run = stripe(
        &proxy.url,
        "no-fixtures",
        &["--tags", "@metadata or @line_items or @expand"],
    );

    let cases = run.cases();
    for (feature, scenario) in [
        (
            METADATA,
            "Metadata posted on an update is attached to the session",
        ),
        (
            LINE_ITEMS,
            "Line items retransmitted by id are retained as they were",
        ),
    ] {
        assert_eq!(
            verdict(&cases, feature, scenario),
            Verdict::SetupFailed,
            "{run}"
        );
    }
    assert_none(&cases, Verdict::Failed, &run);
    run.assert_console(&cases);
    run.assert_exit(2);
}

/// A stateless target: every create, update and retrieve answers one fixed session (fixed id,
/// no metadata, open forever), and no answer carries a Request-Id.
#[test]
fn stateless_server_passes_nothing_it_does_not_do() {
    let rt = Runtime::new().unwrap();
    let url = rt.block_on(serve(Router::new().fallback(stateless)));
    let run = stripe(&url, "stateless", &["--tags", "@metadata or @api"]);

    let cases = run.cases();
    // Setup failed: the scenario's Given ("the session has metadata: order_id, channel") posts
    // two keys and the target answers — and reads back — a session without them. That is the
    // contract's "the state read back is not what was set up". The update under test (metadata=)
    // is never judged: on this server its Then ("no metadata", "the change persists") would even
    // hold, so only the setup check can keep the scenario from passing.
    assert_eq!(
        verdict(
            &cases,
            METADATA,
            "Posting an empty value to metadata unsets all keys"
        ),
        Verdict::SetupFailed,
        "{run}"
    );
    // Failed: the Background's session is created (open, custom UI, the line item asked for:
    // the fixed session is all of that), and the answer to the update under test has no
    // Request-Id — the documented behaviour the scenario checks. A missing Request-Id on a
    // fixture's answer is neither a refused fixture nor a wrong state read back.
    for case in ["a successful update", "a rejected update"] {
        assert_eq!(
            verdict(
                &cases,
                API,
                &format!("Every response carries a Request-Id ({case})")
            ),
            Verdict::Failed,
            "{run}"
        );
    }
    run.assert_console(&cases);
    // At least one scenario failed.
    run.assert_exit(1);
}

/// The mock behind a proxy that answers a steady 500 (Stripe's envelope) wherever the mock
/// answers 404 for an unknown session. The target otherwise answers; the documentation
/// promises a 404; every retry gets the same 500: a deviation, not an outage.
#[test]
fn consistent_500_where_a_404_is_documented_is_a_deviation() {
    let rt = Runtime::new().unwrap();
    let proxy = rt.block_on(proxy_to_mock(Twist::UnknownSession500));
    let run = stripe(
        &proxy.url,
        "steady-500",
        &["--tags", "@api", "--max-retries", "2"],
    );

    let cases = run.cases();
    let unknown = case(
        &cases,
        API,
        "Updating a session that does not exist is a 404",
    );
    assert_eq!(unknown.verdict, Verdict::Failed, "{run}");
    assert!(
        unknown.message.contains("consistently"),
        "the message says the 500 was consistent: {:?}",
        unknown.message
    );
    assert_eq!(
        verdict(
            &cases,
            API,
            "An open session can be updated and the answer is the Checkout Session"
        ),
        Verdict::Passed,
        "the target otherwise answers: {run}"
    );
    assert_none(&cases, Verdict::Infrastructure, &run);
    run.assert_console(&cases);
    run.assert_exit(1);
}

/// The mock behind a proxy that hangs up without an answer on every request after the first
/// 40 (each answer closes its connection, so a request is a connection). What ran after that is
/// an outage: infrastructure, never a deviation.
#[test]
fn dropped_connections_are_infrastructure_not_deviations() {
    let rt = Runtime::new().unwrap();
    let proxy = rt.block_on(proxy_to_mock(Twist::HangUpAfter(40)));
    let run = stripe(
        &proxy.url,
        "hang-up",
        &[
            "--tags",
            "@metadata or @api",
            "--max-retries",
            "1",
            "--concurrency",
            "2",
        ],
    );

    let cases = run.cases();
    for case in &cases {
        assert!(
            matches!(case.verdict, Verdict::Passed | Verdict::Infrastructure),
            "{} / {}: {:?} {}\n{run}",
            case.feature,
            case.scenario,
            case.verdict,
            case.message
        );
    }
    let infrastructure = tally(&cases, &Verdict::Infrastructure);
    assert!(
        infrastructure * 2 > cases.len(),
        "most scenarios ran after the hang-ups: {infrastructure} of {}\n{run}",
        cases.len()
    );
    run.assert_console(&cases);
    run.assert_exit(2);
}

/// Gr4vy with a token and no private key: the scenarios that need tokens of their own (an
/// expired one, one without the write scope) cannot run with this configuration.
#[test]
fn gr4vy_scenarios_needing_minted_tokens_are_not_applicable_with_only_a_token() {
    let mock = MockProcess::start();
    let reports = scratch("gr4vy-token-only");
    let token = common::gr4vy::full_token();
    let mut command = run_command();
    command
        .args(["--provider", "gr4vy", "--base-url", &mock.url])
        .args(["--gr4vy-token", &token, "--rate", "0", "--reports"])
        .arg(&reports);
    let run = bounded(command, reports, |_| {});

    let cases = run.cases();
    let feature = "What every Gr4vy API request follows, applied to updating a checkout session";
    for scenario in [
        "A request with an expired token is rejected as unauthenticated",
        "A token without the checkout-sessions.write scope is forbidden",
    ] {
        let case = case(&cases, feature, scenario);
        assert_eq!(case.verdict, Verdict::NotApplicable, "{run}");
        let reason = case.message.trim_start_matches("not applicable:").trim();
        assert!(!reason.is_empty(), "{scenario}: a reason is given");
    }
    assert_eq!(
        tally(&cases, &Verdict::Passed) + tally(&cases, &Verdict::NotApplicable),
        cases.len(),
        "everything else passes against the mock: {run}"
    );
    run.assert_console(&cases);
    run.assert_exit(0);
}

/// Ctrl-C in the middle of a slow run: exit 130, and the reports still list every planned
/// scenario, those that did not finish as not run (never passed).
#[test]
fn ctrl_c_exits_130_and_reports_unfinished_scenarios_as_not_run() {
    interrupted_run("INT", "sigint");
}

/// The same for SIGTERM (what a CI runner or `timeout` sends).
#[test]
fn sigterm_exits_130_and_reports_unfinished_scenarios_as_not_run() {
    interrupted_run("TERM", "sigterm");
}

fn interrupted_run(signal: &str, name: &str) {
    let rt = Runtime::new().unwrap();
    let proxy = rt.block_on(proxy_to_mock(Twist::Slow(Duration::from_millis(50))));
    let reports = scratch(name);
    let mut command = run_command();
    command
        .args(["--provider", "stripe", "--base-url", &proxy.url])
        .args(["--api-key", KEY, "--rate", "0", "--concurrency", "2"])
        .arg("--reports")
        .arg(&reports);
    let mut created_before_signal = 0;
    let run = bounded(command, reports, |child| {
        std::thread::sleep(Duration::from_millis(1500));
        created_before_signal = proxy.created.load(Ordering::SeqCst);
        let sent = Command::new("kill")
            .args([&format!("-{signal}"), &child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(sent.success());
    });
    run.assert_exit(130);

    let cases = run.cases();
    let planned = planned_scenarios(&features().join("stripe"));
    assert_eq!(
        cases.len(),
        planned,
        "junit.xml lists every planned scenario: {run}"
    );
    let passed = tally(&cases, &Verdict::Passed);
    let not_run = tally(&cases, &Verdict::NotRun);
    let others = [
        Verdict::Failed,
        Verdict::SetupFailed,
        Verdict::Infrastructure,
        Verdict::NotApplicable,
    ]
    .iter()
    .map(|v| tally(&cases, v))
    .sum::<usize>();
    assert_eq!(
        passed + not_run + others,
        cases.len(),
        "every scenario has one of the outcomes: {run}"
    );
    assert!(not_run > 0, "the run was stopped half-way: {run}");
    // A scenario creates its session first: one that passed had created it when the signal
    // was sent (the proxy counts what it saw).
    let created = proxy.created.load(Ordering::SeqCst);
    assert!(
        passed <= created,
        "{passed} passed, but only {created} sessions were ever created \
         ({created_before_signal} before the signal){run}"
    );
    run.assert_console(&cases);
}

// ---------------------------------------------------------------------------------------------
// Servers
// ---------------------------------------------------------------------------------------------

/// Serves `app` on 127.0.0.1:0; the URL.
async fn serve(app: Router) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}

/// The requests a server saw, as `METHOD /path`.
#[derive(Clone, Default)]
struct Hits(Arc<Mutex<Vec<String>>>);

impl Hits {
    fn record(&self, request: &Request) {
        let line = format!("{} {}", request.method(), request.uri().path());
        self.0.lock().unwrap().push(line);
    }
    fn count(&self, line: &str) -> usize {
        self.0.lock().unwrap().iter().filter(|l| *l == line).count()
    }
    fn all(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }
}

/// 401 with Stripe's envelope, whatever the key.
async fn unauthorized(State(hits): State<Hits>, request: Request) -> Response {
    hits.record(&request);
    let body = json!({"error": {
        "type": "invalid_request_error",
        "message": "Invalid API Key provided: sk_test_****9876",
    }});
    (
        StatusCode::UNAUTHORIZED,
        [
            ("content-type", "application/json"),
            ("request-id", "req_verdict401"),
            ("www-authenticate", "Basic realm=\"Stripe\""),
        ],
        body.to_string(),
    )
        .into_response()
}

/// A web server's 404 page.
async fn html_not_found(State(hits): State<Hits>, request: Request) -> Response {
    hits.record(&request);
    let page = "<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>\n\
                <body><h1>Not Found</h1><p>The requested URL was not found on this server.</p>\
                </body></html>\n";
    (
        StatusCode::NOT_FOUND,
        [("content-type", "text/html; charset=utf-8")],
        page,
    )
        .into_response()
}

const FIXED_SESSION_ID: &str = "cs_test_a1VerdictFixedSessionAnsweredToEveryRequest0001";
const FIXED_PRICE_ID: &str = "price_1VerdictFixedPrice0001";

/// A target that keeps nothing: every request about a session answers the same open custom-UI
/// session with one line item and no metadata; a price is always the same price. Stripe-shaped
/// JSON, and never a Request-Id.
async fn stateless(request: Request) -> Response {
    let path = request.uri().path().to_owned();
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let body = match (request.method().clone(), segments.as_slice()) {
        (Method::POST, ["v1", "prices"]) => fixed_price(),
        (Method::GET, ["v1", "checkout", "sessions", _, "line_items"]) => json!({
            "object": "list",
            "data": [fixed_line_item()],
            "has_more": false,
            "url": format!("/v1/checkout/sessions/{FIXED_SESSION_ID}/line_items"),
        }),
        (_, ["v1", "checkout", "sessions", ..]) => fixed_session(),
        (method, _) => {
            let body = json!({"error": {
                "type": "invalid_request_error",
                "message": format!("Unrecognized request URL ({method}: {path})."),
            }});
            return (
                StatusCode::NOT_FOUND,
                [("content-type", "application/json")],
                body.to_string(),
            )
                .into_response();
        }
    };
    (
        StatusCode::OK,
        [("content-type", "application/json")],
        body.to_string(),
    )
        .into_response()
}

fn fixed_price() -> Value {
    json!({
        "id": FIXED_PRICE_ID, "object": "price", "active": true, "billing_scheme": "per_unit",
        "created": 1_796_000_000, "currency": "usd", "custom_unit_amount": null,
        "livemode": false, "lookup_key": null, "metadata": {}, "nickname": null,
        "product": "prod_VerdictFixed01", "recurring": null, "tax_behavior": "unspecified",
        "tiers_mode": null, "transform_quantity": null, "type": "one_time",
        "unit_amount": 1000, "unit_amount_decimal": "1000",
    })
}

fn fixed_line_item() -> Value {
    json!({
        "id": "li_VerdictFixedLineItem01", "object": "item", "adjustable_quantity": null,
        "amount_discount": 0, "amount_subtotal": 1000, "amount_tax": 0, "amount_total": 1000,
        "currency": "usd", "description": "default", "metadata": {}, "price": fixed_price(),
        "quantity": 1,
    })
}

fn fixed_session() -> Value {
    json!({
        "id": FIXED_SESSION_ID, "object": "checkout.session", "adaptive_pricing": null,
        "after_expiration": null, "allow_promotion_codes": null, "amount_subtotal": 1000,
        "amount_total": 1000,
        "automatic_tax": {"enabled": false, "liability": null, "provider": null, "status": null},
        "billing_address_collection": null, "cancel_url": null, "client_reference_id": null,
        "client_secret": format!("{FIXED_SESSION_ID}_secret_VerdictFixed"),
        "collected_information": {"business_name": null, "individual_name": null, "shipping_details": null},
        "consent": null, "consent_collection": null, "created": 1_796_000_000, "currency": "usd",
        "custom_fields": [],
        "custom_text": {"after_submit": null, "shipping_address": null, "submit": null, "terms_of_service_acceptance": null},
        "customer": null, "customer_creation": "if_required", "customer_details": null,
        "customer_email": null, "discounts": [], "expires_at": 4_102_444_800u64, "invoice": null,
        "invoice_creation": null, "livemode": false, "locale": null, "metadata": {},
        "mode": "payment", "payment_intent": null, "payment_link": null,
        "payment_method_collection": "always", "payment_method_options": {},
        "payment_method_types": ["card"], "payment_status": "unpaid",
        "permissions": {"update_shipping_details": null},
        "phone_number_collection": {"enabled": false}, "recovered_from": null,
        "setup_intent": null, "shipping_address_collection": null, "shipping_cost": null,
        "shipping_details": null, "shipping_options": [], "status": "open",
        "submit_type": null, "subscription": null, "success_url": null,
        "total_details": {"amount_discount": 0, "amount_shipping": 0, "amount_tax": 0},
        "ui_mode": "elements", "url": null, "return_url": "https://example.com/return",
        "redirect_on_completion": "always",
    })
}

/// How a proxy in front of the bundled mock misbehaves.
#[derive(Clone, Copy)]
enum Twist {
    /// `POST /v1/prices` and `POST /v1/shipping_rates` answer Stripe's 404 envelope.
    NoFixtures,
    /// What the mock answers 404 `resource_missing` for, on a session path, becomes a 500.
    UnknownSession500,
    /// Every answer closes its connection; after this many connections, each is closed
    /// without an answer.
    HangUpAfter(usize),
    /// Every answer is this much late; the proxy counts the sessions created.
    Slow(Duration),
}

/// A proxy's [`Twist`], and the sessions created through it.
#[derive(Clone)]
struct Proxy {
    twist: Twist,
    /// Sessions created through the proxy (`POST /v1/checkout/sessions` answered 200).
    created: Arc<AtomicUsize>,
}

/// A proxy in front of the bundled mock, both running.
struct Proxied {
    url: String,
    created: Arc<AtomicUsize>,
    _mock: MockServer,
}

/// The bundled mock (accepting [`KEY`]) and a proxy with `twist` in front of it.
async fn proxy_to_mock(twist: Twist) -> Proxied {
    let created = Arc::new(AtomicUsize::new(0));
    let proxy = Proxy {
        twist,
        created: created.clone(),
    };
    let policy = move |request, upstream| proxy.clone().answer(request, upstream);
    let ProxiedMock { url, mock } = match twist {
        Twist::HangUpAfter(limit) => {
            let listener = HangUp {
                inner: TcpListener::bind("127.0.0.1:0").await.unwrap(),
                accepted: 0,
                limit,
            };
            ProxiedMock::start_on(KEY, listener, policy).await
        }
        _ => ProxiedMock::start(KEY, policy).await,
    };
    Proxied {
        url,
        created,
        _mock: mock,
    }
}

impl Proxy {
    async fn answer(self, request: Request, upstream: Upstream) -> Response {
        let (method, path) = (request.method().clone(), request.uri().path().to_owned());
        let session_path = path.starts_with("/v1/checkout/sessions/");
        match self.twist {
            Twist::NoFixtures
                if method == Method::POST
                    && (path == "/v1/prices" || path == "/v1/shipping_rates") =>
            {
                return stripe_error(
                    StatusCode::NOT_FOUND,
                    json!({"error": {
                        "type": "invalid_request_error",
                        "message": format!("Unrecognized request URL (POST: {path})."),
                    }}),
                );
            }
            Twist::Slow(delay) => tokio::time::sleep(delay).await,
            _ => {}
        }
        let answer = upstream.forward(request).await;
        match self.twist {
            Twist::UnknownSession500 if session_path && answer.status == StatusCode::NOT_FOUND => {
                let error: Value = serde_json::from_slice(&answer.body).unwrap_or_default();
                if error["error"]["code"] == "resource_missing" {
                    return stripe_error(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        json!({"error": {
                            "type": "api_error",
                            "message": "An unknown error occurred.",
                        }}),
                    );
                }
            }
            Twist::Slow(_)
                if method == Method::POST
                    && path == "/v1/checkout/sessions"
                    && answer.status == StatusCode::OK =>
            {
                self.created.fetch_add(1, Ordering::SeqCst);
            }
            Twist::HangUpAfter(_) => {
                let mut response = answer.into_response();
                response
                    .headers_mut()
                    .insert("connection", "close".parse().unwrap());
                return response;
            }
            _ => {}
        }
        answer.into_response()
    }
}

fn stripe_error(status: StatusCode, body: Value) -> Response {
    (
        status,
        [
            ("content-type", "application/json"),
            ("request-id", "req_verdictproxy"),
        ],
        body.to_string(),
    )
        .into_response()
}

/// A listener that hands the first `limit` connections to the server and, after that, reads
/// what the client sends and closes the connection without an answer.
struct HangUp {
    inner: TcpListener,
    accepted: usize,
    limit: usize,
}

impl axum::serve::Listener for HangUp {
    type Io = TcpStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (TcpStream, SocketAddr) {
        loop {
            let (stream, address) = axum::serve::Listener::accept(&mut self.inner).await;
            self.accepted += 1;
            if self.accepted <= self.limit {
                return (stream, address);
            }
            tokio::spawn(async move {
                let mut stream = stream;
                let mut buffer = [0u8; 8192];
                let read = stream.read(&mut buffer);
                let _ = tokio::time::timeout(Duration::from_millis(500), read).await;
                // Dropped: closed, no answer.
            });
        }
    }

    fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.inner.local_addr()
    }
}

/// `checkout-conformance mock --addr 127.0.0.1:0` as a process of its own; killed on drop.
struct MockProcess {
    child: Child,
    url: String,
}

impl MockProcess {
    fn start() -> MockProcess {
        let mut child = common::binary::command()
            .args(["mock", "--addr", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the mock runs");
        let stdout = child.stdout.take().unwrap();
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some((_, url)) = line.split_once("listening on ") {
                    let _ = sender.send(url.trim().to_owned());
                }
            }
        });
        let url = receiver.recv_timeout(Duration::from_secs(30));
        let mut mock = MockProcess {
            child,
            url: String::new(),
        };
        mock.url = url.expect("the mock prints `listening on http://…`");
        mock
    }
}

impl Drop for MockProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------------------------------------
// Running the binary
// ---------------------------------------------------------------------------------------------

fn features() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/features"))
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cc-verdict-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// `run --features DIR` (this checkout's features, whatever the binary was built with).
fn run_command() -> Command {
    let mut command = common::binary::command();
    command.arg("run").arg("--features").arg(features());
    command
}

/// `run --provider stripe --base-url URL --api-key KEY --rate 0 --reports DIR ARGS`.
fn stripe(url: &str, name: &str, args: &[&str]) -> RunOutput {
    let reports = scratch(name);
    let mut command = run_command();
    command
        .args(["--provider", "stripe", "--base-url", url])
        .args(["--api-key", KEY, "--rate", "0", "--reports"])
        .arg(&reports)
        .args(args);
    bounded(command, reports, |_| {})
}

/// Runs `command`, calls `meanwhile` with the child, and waits at most [`BOUND`] for it (then
/// kills it and fails).
fn bounded(mut command: Command, reports: PathBuf, meanwhile: impl FnOnce(&Child)) -> RunOutput {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = pipe.read_to_string(&mut text);
            text
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let started = Instant::now();
    meanwhile(&child);
    let status: ExitStatus = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > BOUND {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "the run took more than {BOUND:?}; stderr:\n{}",
                stderr.join().unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    RunOutput {
        status,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
        reports,
    }
}

struct RunOutput {
    status: ExitStatus,
    stdout: String,
    stderr: String,
    reports: PathBuf,
}

impl std::fmt::Display for RunOutput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let tail = |text: &str| {
            let lines: Vec<&str> = text.lines().collect();
            lines[lines.len().saturating_sub(60)..].join("\n")
        };
        write!(
            f,
            "\n--- exit: {:?}\n--- stdout (tail):\n{}\n--- stderr (tail):\n{}",
            self.status.code(),
            tail(&self.stdout),
            tail(&self.stderr)
        )
    }
}

impl RunOutput {
    fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }

    #[track_caller]
    fn assert_exit(&self, code: i32) {
        assert_eq!(self.status.code(), Some(code), "exit code{self}");
    }

    /// Every scenario in junit.xml.
    #[track_caller]
    fn cases(&self) -> Vec<Case> {
        let path = self.reports.join("junit.xml");
        let xml = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{} cannot be read: {e}{self}", path.display()));
        parse_junit(&xml)
    }

    /// No scenario was judged: junit.xml, if written, has none passed, failed, setup failed or
    /// infrastructure.
    #[track_caller]
    fn assert_nothing_judged(&self) {
        let Ok(xml) = std::fs::read_to_string(self.reports.join("junit.xml")) else {
            return;
        };
        for case in parse_junit(&xml) {
            assert!(
                matches!(case.verdict, Verdict::NotRun | Verdict::NotApplicable),
                "{} / {} was judged {:?}{self}",
                case.feature,
                case.scenario,
                case.verdict
            );
        }
    }

    /// The console's closing line counts what junit.xml holds.
    #[track_caller]
    fn assert_console(&self, cases: &[Case]) {
        let expected = format!(
            "conformance: {} passed, {} failed, {} setup failed, {} infrastructure, {} not applicable, {} not run",
            tally(cases, &Verdict::Passed),
            tally(cases, &Verdict::Failed),
            tally(cases, &Verdict::SetupFailed),
            tally(cases, &Verdict::Infrastructure),
            tally(cases, &Verdict::NotApplicable),
            tally(cases, &Verdict::NotRun),
        );
        let closing = self
            .stdout
            .lines()
            .rfind(|l| l.starts_with("conformance:"))
            .unwrap_or_default();
        assert_eq!(closing, expected, "the console's closing line{self}");
    }
}

// ---------------------------------------------------------------------------------------------
// junit.xml
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq)]
enum Verdict {
    Passed,
    Failed,
    SetupFailed,
    Infrastructure,
    NotApplicable,
    NotRun,
    /// A shape the contract does not name.
    Other(String),
}

#[derive(Debug, Clone)]
struct Case {
    feature: String,
    scenario: String,
    verdict: Verdict,
    message: String,
}

fn parse_junit(xml: &str) -> Vec<Case> {
    let document = roxmltree::Document::parse(xml).expect("junit.xml is XML");
    document
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .map(|testcase| {
            let (verdict, message) = judge(testcase);
            Case {
                feature: testcase.attribute("classname").unwrap_or_default().into(),
                scenario: testcase.attribute("name").unwrap_or_default().into(),
                verdict,
                message,
            }
        })
        .collect()
}

/// A `<testcase>`'s outcome and message.
fn judge(testcase: roxmltree::Node) -> (Verdict, String) {
    for child in testcase.children().filter(|n| n.is_element()) {
        let message = child
            .attribute("message")
            .map(str::to_owned)
            .unwrap_or_else(|| child.text().unwrap_or_default().to_owned());
        let verdict = match (child.tag_name().name(), child.attribute("type")) {
            ("system-out" | "system-err", _) => continue,
            ("failure", _) => Verdict::Failed,
            ("error", Some("setup")) => Verdict::SetupFailed,
            ("error", Some("infrastructure")) => Verdict::Infrastructure,
            ("skipped", _) if message.starts_with("not applicable:") => Verdict::NotApplicable,
            ("skipped", _) if message.starts_with("not run:") => Verdict::NotRun,
            (element, kind) => Verdict::Other(format!("<{element} type={kind:?}>")),
        };
        return (verdict, message);
    }
    (Verdict::Passed, String::new())
}

#[track_caller]
fn case<'a>(cases: &'a [Case], feature: &str, scenario: &str) -> &'a Case {
    cases
        .iter()
        .find(|c| c.feature == feature && c.scenario == scenario)
        .unwrap_or_else(|| {
            let names: Vec<String> = cases
                .iter()
                .map(|c| format!("{} / {}", c.feature, c.scenario))
                .collect();
            panic!(
                "no scenario `{feature} / {scenario}` in junit.xml; it has:\n{}",
                names.join("\n")
            )
        })
}

#[track_caller]
fn verdict(cases: &[Case], feature: &str, scenario: &str) -> Verdict {
    case(cases, feature, scenario).verdict.clone()
}

fn tally(cases: &[Case], verdict: &Verdict) -> usize {
    cases.iter().filter(|c| &c.verdict == verdict).count()
}

#[track_caller]
fn assert_none(cases: &[Case], verdict: Verdict, run: &RunOutput) {
    let found: Vec<String> = cases
        .iter()
        .filter(|c| c.verdict == verdict)
        .map(|c| format!("{} / {}: {}", c.feature, c.scenario, c.message))
        .collect();
    assert!(found.is_empty(), "{verdict:?}:\n{}{run}", found.join("\n"));
}

/// How many scenarios the feature files in `dir` plan: each `Scenario:`, and each example row of
/// a `Scenario Outline:`.
fn planned_scenarios(dir: &Path) -> usize {
    let mut count = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "feature") {
            continue;
        }
        let (mut in_examples, mut header_seen) = (false, false);
        for line in std::fs::read_to_string(&path).unwrap().lines() {
            let line = line.trim();
            if line.starts_with("Scenario:") || line.starts_with("Example:") {
                count += 1;
                in_examples = false;
            } else if line.starts_with("Examples:") || line.starts_with("Scenarios:") {
                (in_examples, header_seen) = (true, false);
            } else if in_examples && line.starts_with('|') {
                if header_seen {
                    count += 1;
                }
                header_seen = true;
            } else if !line.is_empty() && !line.starts_with('#') {
                in_examples = false;
            }
        }
    }
    count
}

/// The counter above against a full Stripe run on the bundled mock: the Ctrl-C tests count on it.
#[test]
fn planned_scenarios_are_what_a_full_run_lists() {
    let reports = scratch("planned");
    let mut command = run_command();
    command
        .args(["--provider", "stripe", "--reports"])
        .arg(&reports);
    let run = bounded(command, reports, |_| {});
    assert_eq!(
        run.cases().len(),
        planned_scenarios(&features().join("stripe")),
        "{run}"
    );
}

/// The junit.xml reader itself, on the contract's shapes: a test above that fails must fail
/// because of the run, not because of the reader.
#[test]
fn junit_reader_knows_every_outcome() {
    let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<testsuites>
  <testsuite name="F" tests="7">
    <properties><property name="targets" value="x"/></properties>
    <testcase name="passed" classname="F" file="" line="1"/>
    <testcase name="flaky" classname="F"><system-out>flaky</system-out></testcase>
    <testcase name="failed" classname="F"><failure message="500 consistently">…</failure></testcase>
    <testcase name="setup" classname="F"><error type="setup" message="price refused"/></testcase>
    <testcase name="infra" classname="F"><error type="infrastructure" message="cannot reach"/></testcase>
    <testcase name="n/a" classname="F"><skipped message="not applicable: needs a key"/></testcase>
    <testcase name="not run" classname="F"><skipped message="not run: interrupted"/></testcase>
    <testcase name="odd" classname="F"><error message="untyped"/></testcase>
  </testsuite>
</testsuites>"#;
    let cases = parse_junit(xml);
    let verdicts: Vec<(&str, Verdict)> = cases
        .iter()
        .map(|c| (c.scenario.as_str(), c.verdict.clone()))
        .collect();
    assert_eq!(
        verdicts,
        [
            ("passed", Verdict::Passed),
            ("flaky", Verdict::Passed),
            ("failed", Verdict::Failed),
            ("setup", Verdict::SetupFailed),
            ("infra", Verdict::Infrastructure),
            ("n/a", Verdict::NotApplicable),
            ("not run", Verdict::NotRun),
            ("odd", Verdict::Other("<error type=None>".into())),
        ]
    );
    assert_eq!(case(&cases, "F", "failed").message, "500 consistently");
    assert!(cases.iter().all(|c| c.feature == "F"));
}
