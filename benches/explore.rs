//! `explore` measured against the bundled mock (a benchmark-style command, not a timed test):
//!
//! ```sh
//! cargo bench --bench explore                 # all three parts
//! cargo bench --bench explore -- clean        # 20 seeds × 500 cases, no fault: 0 mismatches
//! cargo bench --bench explore -- matrix       # every fault of the catalogue × 20 seeds:
//!                                             # found?, requests to the first finding (median);
//!                                             # BENCH_FAULTS=a,b for some of them
//! cargo bench --bench explore -- throughput   # operations/s of each provider (an operation: an update and
//!                                             # its read-back); BENCH_PROVIDER=stripe|gr4vy for one
//! ```

use checkout_conformance::explore::{explore_blocking, ExploreConfig, ExploreReport};
use checkout_conformance::mock::{Fault, Faults};
use checkout_conformance::vendor::Provider;
use std::process::ExitCode;

const SEEDS: u64 = 20;

fn explore(provider: Provider, seed: u64, cases: u64, faults: Faults) -> Option<ExploreReport> {
    let config = ExploreConfig {
        seed,
        cases,
        mock_faults: faults,
        ..ExploreConfig::new(provider)
    };
    match explore_blocking(config) {
        Ok(report) => Some(report),
        Err(e) => {
            eprintln!("error: {e}");
            None
        }
    }
}

fn clean() -> bool {
    let mut ok = true;
    for provider in Provider::ALL.iter().copied() {
        for seed in 1..=SEEDS {
            let Some(r) = explore(provider, seed, 500, Faults::NONE) else {
                return false;
            };
            let verdict = if r.exit_code() == 0 { "ok" } else { "MISMATCH" };
            println!(
                "clean {provider} seed {seed:2}: {} cases, {} operations, {} requests, {verdict}",
                r.cases_run, r.operations, r.requests
            );
            ok &= r.exit_code() == 0;
        }
    }
    ok
}

/// Every fault of the catalogue (or those named with `BENCH_FAULTS=a,b`) × 20 seeds, 100 cases
/// each (the default budget).
fn matrix() -> bool {
    let only: Vec<String> = std::env::var("BENCH_FAULTS")
        .map(|v| v.split(',').map(str::to_owned).collect())
        .unwrap_or_default();
    let mut ok = true;
    let mut missed = Vec::new();
    println!("| fault | found (of {SEEDS} seeds) | median requests to the first finding | steps after shrinking (max) |");
    println!("|---|---|---|---|");
    for &fault in Fault::all() {
        if !only.is_empty() && !only.iter().any(|o| o == fault.name()) {
            continue;
        }
        let mut found = 0;
        let mut requests = Vec::new();
        let mut steps = 0;
        let mut stopped = None;
        for seed in 1..=SEEDS {
            let Some(r) = explore(fault.provider(), seed, 100, Faults::from_iter([fault])) else {
                return false;
            };
            if let Some(f) = &r.finding {
                found += 1;
                requests.push(f.requests_to_find);
                steps = steps.max(f.steps.1);
            } else if let Some(stop) = r.stopped {
                stopped = Some(
                    stop.to_string()
                        .lines()
                        .next()
                        .unwrap_or_default()
                        .to_owned(),
                );
            }
        }
        requests.sort_unstable();
        let median = requests.get(requests.len() / 2).copied().unwrap_or(0);
        println!("| {fault} | {found} | {median} | {steps} |");
        if found + 1 < SEEDS {
            ok = false;
            missed.push(format!(
                "{fault} ({found} of {SEEDS}{})",
                stopped
                    .map(|s| format!("; a run stopped: {s}"))
                    .unwrap_or_default()
            ));
        }
    }
    if !missed.is_empty() {
        println!(
            "found for fewer than {} seeds: {}",
            SEEDS - 1,
            missed.join(", ")
        );
    }
    ok
}

/// Operations per second of each provider: 5 seeds × 1000 cases against the bundled mock, no
/// fault (`BENCH_PROVIDER=stripe|gr4vy` for one).
fn throughput() {
    let only = std::env::var("BENCH_PROVIDER").ok();
    for provider in Provider::ALL.iter().copied() {
        if only.as_deref().is_some_and(|p| p != provider.tag()) {
            continue;
        }
        let mut operations = 0;
        let mut seconds = 0.0;
        for seed in 1..=5 {
            if let Some(r) = explore(provider, seed, 1000, Faults::NONE) {
                operations += r.operations;
                seconds += r.elapsed.as_secs_f64();
            }
        }
        println!(
            "throughput ({provider}): {operations} operations in {seconds:.2} s = {:.0} operations/s (each: an update and a read-back, checked against the model)",
            operations as f64 / seconds
        );
    }
}

fn main() -> ExitCode {
    let which: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let all = which.is_empty();
    let mut ok = true;
    if all || which.iter().any(|w| w == "throughput") {
        throughput();
    }
    if all || which.iter().any(|w| w == "clean") {
        ok &= clean();
    }
    if all || which.iter().any(|w| w == "matrix") {
        ok &= matrix();
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
