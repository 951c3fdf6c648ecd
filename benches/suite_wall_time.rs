//! The suite's wall time against the bundled mock, against the same HTTP requests replayed bare.
//!
//! `cargo bench --bench suite_wall_time` runs every Stripe scenario against a mock started
//! here, then replays the requests of `requests.ndjson` against the same mock — each
//! scenario's requests in order, scenarios as concurrently as the suite ran them — with no
//! cucumber, no schema validation, no diffing, no reports. Harness overhead = suite time /
//! replay time. Targets: all Stripe scenarios in under 1 s; overhead under 1.5x. `BENCH_RUNS`
//! (default 5) repeats both and reports the median.
//!
//! The replay does the same HTTP work, not merely the same bytes: a request that names an
//! object an earlier request of its scenario created (a session, a price, a line item) names
//! the object the replay created instead, so that it is answered as in the suite (replaying
//! the suite's own ids would address sessions the suite already expired, and get cheap errors).
//! For that, and only for the responses whose ids a later request uses, the replay reads the
//! ids out of the answer. Every replayed request must get the status the suite got (the
//! bench fails otherwise, naming the request).

use checkout_conformance::client::Secret;
use checkout_conformance::mock::{MockConfig, MockServer};
use checkout_conformance::runner::{self, ProviderChoice, RunConfig};
use checkout_conformance::vendor::{Provider, TargetOptions};
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

const KEY: &str = "sk_test_bench_suite_wall_time";

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

/// One request to replay.
struct Request {
    get: bool,
    path: String,
    body: String,
    /// The suite's `Idempotency-Key` (the replay sends a fresh one for each, the same for the
    /// same), and `Stripe-Version`.
    idempotency_key: Option<String>,
    stripe_version: Option<String>,
    /// The credential the suite sent: its own key, another one, or none (a scenario about
    /// authentication).
    credential: Credential,
    /// The status the suite got.
    status: u16,
    /// Where the ids a later request of the scenario uses are in the answer (JSON pointer),
    /// with the id the suite got there.
    ids: Vec<(String, String)>,
}

#[derive(Clone, Copy, PartialEq)]
enum Credential {
    Key,
    Other,
    None,
}

/// The scenarios of `requests.ndjson`, each its requests in order.
fn scenarios_of(log: &str) -> Vec<Vec<Request>> {
    let mut scenarios: BTreeMap<String, Vec<(Request, Value)>> = BTreeMap::new();
    for line in log.lines() {
        let entry: Value = serde_json::from_str(line).expect("requests.ndjson lines are JSON");
        let text = |key: &str| entry[key].as_str().unwrap_or_default().to_owned();
        let request = Request {
            get: entry["method"] == "GET",
            path: text("path"),
            body: text("request_body"),
            idempotency_key: entry["idempotency_key"].as_str().map(str::to_owned),
            stripe_version: entry["stripe_version"].as_str().map(str::to_owned),
            credential: match entry["credential"].as_str() {
                None => Credential::None,
                Some(masked) if masked == Secret::new(KEY).masked() => Credential::Key,
                Some(_) => Credential::Other,
            },
            status: entry["status"]
                .as_u64()
                .and_then(|s| u16::try_from(s).ok())
                .unwrap_or(0),
            ids: Vec::new(),
        };
        scenarios
            .entry(text("scenario"))
            .or_default()
            .push((request, entry["response"].clone()));
    }
    scenarios
        .into_values()
        .map(|mut requests| {
            for i in 0..requests.len() {
                let mut ids = Vec::new();
                collect_ids(&requests[i].1, String::new(), &mut ids);
                let later = &requests[i + 1..];
                ids.retain(|(_, id)| {
                    later
                        .iter()
                        .any(|(r, _)| r.path.contains(id.as_str()) || r.body.contains(id.as_str()))
                });
                requests[i].0.ids = ids;
            }
            requests.into_iter().map(|(r, _)| r).collect()
        })
        .collect()
}

/// Every `id` string of `value`, with its JSON pointer.
fn collect_ids(value: &Value, pointer: String, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                let here = format!("{pointer}/{key}");
                match v {
                    Value::String(id) if key == "id" => out.push((here, id.clone())),
                    _ => collect_ids(v, here, out),
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                collect_ids(v, format!("{pointer}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// Status classes (1xx … 5xx) counted.
type Classes = [usize; 6];

fn class_of(status: u64) -> usize {
    usize::try_from(status / 100).unwrap_or(0).min(5)
}

async fn replay(
    run: usize,
    base: &str,
    scenarios: Arc<Vec<Vec<Request>>>,
    concurrency: usize,
) -> (Duration, Classes, usize) {
    let http = reqwest::Client::new();
    let permits = Arc::new(tokio::sync::Semaphore::new(concurrency));
    let started = Instant::now();
    let tasks: Vec<_> = (0..scenarios.len())
        .map(|s| {
            let (http, permits, base) = (http.clone(), permits.clone(), base.to_owned());
            let scenarios = scenarios.clone();
            tokio::spawn(async move {
                let _permit = permits.acquire_owned().await.expect("semaphore open");
                let (mut classes, mut mismatched) = (Classes::default(), 0);
                // The suite's ids → the replay's.
                let mut renamed: Vec<(String, String)> = Vec::new();
                for request in &scenarios[s] {
                    let rename = |text: &str| {
                        let mut text = text.to_owned();
                        for (old, new) in &renamed {
                            if text.contains(old.as_str()) {
                                text = text.replace(old.as_str(), new);
                            }
                        }
                        text
                    };
                    let url = format!("{base}{}", rename(&request.path));
                    let builder = if request.get {
                        http.get(url)
                    } else {
                        http.post(url)
                            .header("content-type", "application/x-www-form-urlencoded")
                            .body(rename(&request.body))
                    };
                    let mut builder = match request.credential {
                        Credential::Key => builder.bearer_auth(KEY),
                        Credential::Other => builder.bearer_auth("sk_test_not_the_key_of_the_mock"),
                        Credential::None => builder,
                    };
                    if let Some(key) = &request.idempotency_key {
                        builder = builder.header("idempotency-key", format!("{key}-replay-{run}"));
                    }
                    if let Some(version) = &request.stripe_version {
                        builder = builder.header("stripe-version", version);
                    }
                    let response = builder.send().await.expect("the mock answers");
                    let status = response.status().as_u16();
                    classes[class_of(u64::from(status))] += 1;
                    if status != request.status {
                        mismatched += 1;
                        eprintln!(
                            "replay: {} {} answered {status}, the suite got {}",
                            if request.get { "GET" } else { "POST" },
                            request.path,
                            request.status
                        );
                    }
                    let bytes = response.bytes().await.expect("the mock answers in full");
                    if !request.ids.is_empty() {
                        let answer: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
                        for (pointer, old) in &request.ids {
                            if let Some(new) = answer.pointer(pointer).and_then(Value::as_str) {
                                renamed.push((old.clone(), new.to_owned()));
                            }
                        }
                    }
                }
                (classes, mismatched)
            })
        })
        .collect();
    let (mut classes, mut mismatched) = (Classes::default(), 0);
    for task in tasks {
        let (counted, wrong) = task.await.expect("replay task");
        for (total, n) in classes.iter_mut().zip(counted) {
            *total += n;
        }
        mismatched += wrong;
    }
    (started.elapsed(), classes, mismatched)
}

fn main() {
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let mock = runtime
        .block_on(MockServer::start(MockConfig::default().with_trusted(
            checkout_conformance::vendor::Provider::Stripe,
            KEY,
        )))
        .expect("mock starts");
    let reports =
        std::env::temp_dir().join(format!("checkout-conformance-bench-{}", std::process::id()));
    let config = RunConfig {
        base_url: Some(mock.url()),
        vendors: BTreeMap::from([(
            Provider::Stripe,
            TargetOptions {
                credential: Some(Secret::new(KEY)),
                ..TargetOptions::default()
            },
        )]),
        reports: reports.clone(),
        provider: ProviderChoice::One(Provider::Stripe),
        // A local mock: no client-side rate limit.
        rate: Some(0.0),
        ..RunConfig::default()
    };
    let concurrency = config.concurrency;
    let (mut suite, mut bare) = (Vec::new(), Vec::new());
    let mut scenarios = 0;
    let mut requests = 0;
    let mut answers = Classes::default();
    for run in 0..runs {
        let started = Instant::now();
        let report = runtime
            .block_on(runner::run(
                config.clone(),
                runner::Interrupt::never(),
                |_: &checkout_conformance::report::ScenarioResult| {},
            ))
            .expect("the suite runs");
        suite.push(started.elapsed());
        assert_eq!(
            report.tally().exit_code(),
            0,
            "the suite must pass against the mock: {}",
            report.tally()
        );
        scenarios = report.results.len();
        let log =
            std::fs::read_to_string(reports.join("requests.ndjson")).expect("requests.ndjson");
        requests = log.lines().count();
        let (elapsed, classes, mismatched) = runtime.block_on(replay(
            run,
            &mock.url(),
            Arc::new(scenarios_of(&log)),
            concurrency,
        ));
        assert_eq!(
            mismatched, 0,
            "the replay must be answered as the suite was, request by request"
        );
        answers = classes;
        bare.push(elapsed);
    }
    let (suite, bare) = (median(suite), median(bare));
    let overhead = suite.as_secs_f64() / bare.as_secs_f64();
    println!("scenarios: {scenarios}, requests: {requests}, runs: {runs} (median)");
    println!(
        "answers (suite and replay alike): {} 2xx, {} 4xx",
        answers[2], answers[4]
    );
    println!(
        "suite wall time:   {:>8.1} ms  (target < 1000 ms: {})",
        suite.as_secs_f64() * 1e3,
        if suite < Duration::from_secs(1) {
            "met"
        } else {
            "MISSED"
        }
    );
    println!("bare replay:       {:>8.1} ms", bare.as_secs_f64() * 1e3);
    println!(
        "harness overhead:  {overhead:>8.2}x    (target < 1.5x: {})",
        if overhead < 1.5 { "met" } else { "MISSED" }
    );
    println!(
        "{}",
        serde_json::json!({"bench": "suite_wall_time", "scenarios": scenarios, "requests": requests, "suite_ms": suite.as_secs_f64() * 1e3, "replay_ms": bare.as_secs_f64() * 1e3, "overhead": overhead})
    );
    runtime.block_on(mock.shutdown());
    let _ = std::fs::remove_dir_all(reports);
}
