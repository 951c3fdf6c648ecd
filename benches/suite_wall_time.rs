//! The suite's wall time against the bundled mock, against the same HTTP requests replayed bare.
//!
//! `cargo bench --bench suite_wall_time` runs every Stripe scenario against a mock started
//! here, then replays the exact requests of `requests.ndjson` against the same mock — each
//! scenario's requests in order, scenarios as concurrently as the suite ran them — with no
//! cucumber, no schema validation, no diffing. Harness overhead = suite time / replay time.
//! Targets: all Stripe scenarios in under 1 s; overhead under 1.5x. `BENCH_RUNS` (default 5)
//! repeats both and reports the median.

use checkout_conformance::client::Secret;
use checkout_conformance::mock::{MockConfig, MockServer};
use checkout_conformance::runner::{self, ProviderChoice, RunConfig};
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

const KEY: &str = "sk_test_bench_suite_wall_time";

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

async fn replay(base: &str, log: &str, concurrency: usize) -> Duration {
    // Only what is sent is kept (method, path, body): the logged responses are not held, nor
    // dropped, while the replay is timed.
    let mut scenarios: BTreeMap<String, Vec<(bool, String, String)>> = BTreeMap::new();
    for line in log.lines() {
        let entry: Value = serde_json::from_str(line).expect("requests.ndjson lines are JSON");
        let text = |key: &str| entry[key].as_str().unwrap_or_default().to_owned();
        scenarios.entry(text("scenario")).or_default().push((
            entry["method"] == "GET",
            text("path"),
            text("request_body"),
        ));
    }
    let http = reqwest::Client::new();
    let permits = Arc::new(tokio::sync::Semaphore::new(concurrency));
    let started = Instant::now();
    let tasks: Vec<_> = scenarios
        .into_values()
        .map(|requests| {
            let (http, permits, base) = (http.clone(), permits.clone(), base.to_owned());
            tokio::spawn(async move {
                let _permit = permits.acquire_owned().await.expect("semaphore open");
                for (get, path, body) in requests {
                    let url = format!("{base}{path}");
                    let request = if get {
                        http.get(url)
                    } else {
                        http.post(url)
                            .header("content-type", "application/x-www-form-urlencoded")
                            .body(body)
                    };
                    let response = request
                        .bearer_auth(KEY)
                        .send()
                        .await
                        .expect("the mock answers");
                    let _ = response.bytes().await;
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("replay task");
    }
    started.elapsed()
}

fn main() {
    let runs: usize = std::env::var("BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let mock = runtime
        .block_on(MockServer::start(MockConfig::default().with_api_key(KEY)))
        .expect("mock starts");
    let reports =
        std::env::temp_dir().join(format!("checkout-conformance-bench-{}", std::process::id()));
    let config = RunConfig {
        base_url: Some(mock.url()),
        api_key: Some(Secret::new(KEY)),
        reports: reports.clone(),
        provider: ProviderChoice::Stripe,
        // A local mock: no client-side rate limit.
        rate: Some(0.0),
        ..RunConfig::default()
    };
    let concurrency = config.concurrency;
    let (mut suite, mut bare) = (Vec::new(), Vec::new());
    let mut scenarios = 0;
    let mut requests = 0;
    for _ in 0..runs {
        let started = Instant::now();
        let report = runtime
            .block_on(runner::run(config.clone()))
            .expect("the suite runs");
        suite.push(started.elapsed());
        assert_eq!(
            report.failures() + report.infrastructure_errors(),
            0,
            "the suite must pass against the mock"
        );
        scenarios = report.results.len();
        let log =
            std::fs::read_to_string(reports.join("requests.ndjson")).expect("requests.ndjson");
        requests = log.lines().count();
        bare.push(runtime.block_on(replay(&mock.url(), &log, concurrency)));
    }
    let (suite, bare) = (median(suite), median(bare));
    let overhead = suite.as_secs_f64() / bare.as_secs_f64();
    println!("scenarios: {scenarios}, requests: {requests}, runs: {runs} (median)");
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
