//! `explore` measured against the bundled mock (a benchmark-style command, not a timed test):
//!
//! ```sh
//! cargo bench --bench explore                 # all three parts
//! cargo bench --bench explore -- clean        # 20 seeds × 500 cases, no fault: 0 mismatches
//! cargo bench --bench explore -- matrix       # every fault the model covers × 20 seeds:
//!                                             # found?, requests to the first finding (median)
//! cargo bench --bench explore -- throughput   # operations/s (an operation: an update and its read-back)
//! ```

use checkout_conformance::explore::{explore_blocking, ExploreConfig, ExploreReport};
use checkout_conformance::mock::{Fault, Faults};
use checkout_conformance::vendor::gr4vy::mock::Gr4vyFault;
use checkout_conformance::vendor::stripe::mock::StripeFault;
use checkout_conformance::vendor::Provider;
use std::process::ExitCode;

/// The faults the models cover (the others break behaviour explore does not generate:
/// price_data details, shipping address rules, airline, buyer, authentication,
/// envelopes).
const FAULTS: &[Fault] = &[
    StripeFault::MetadataUnsetIgnored.fault(),
    StripeFault::MetadataClearIgnored.fault(),
    StripeFault::MetadataReplacedNotMerged.fault(),
    StripeFault::MetadataLimitsUnchecked.fault(),
    StripeFault::LineItemMetadataIgnored.fault(),
    StripeFault::LineItemsAppended.fault(),
    StripeFault::LineItemsOrderIgnored.fault(),
    StripeFault::LineItemUpdateIgnored.fault(),
    StripeFault::UnknownLineItemAccepted.fault(),
    StripeFault::NewLineItemQuantityOptional.fault(),
    StripeFault::TotalsNotRecomputed.fault(),
    StripeFault::AdjustableMaximumUnchecked.fault(),
    StripeFault::SixthShippingOptionAccepted.fault(),
    StripeFault::ShippingOptionsClearIgnored.fault(),
    StripeFault::ExpandIgnored.fault(),
    StripeFault::IdempotencyIgnored.fault(),
    StripeFault::LineItemsOrderIgnoredFromThree.fault(),
    StripeFault::LineItemMetadataIgnoredAfterFirst.fault(),
    StripeFault::ShippingOptionsDroppedWhenUnmentioned.fault(),
    StripeFault::RateDataShippingNotTotalled.fault(),
    StripeFault::ShippingDetailsOnHostedAccepted.fault(),
    StripeFault::ShippingNameLengthUnchecked.fault(),
    StripeFault::LineItemsOnHostedAccepted.fault(),
    Gr4vyFault::CartItemsAppended.fault(),
    Gr4vyFault::CartItemsNullIgnored.fault(),
    Gr4vyFault::CartItemNameUnchecked.fault(),
    Gr4vyFault::CartItemQuantityUnchecked.fault(),
    Gr4vyFault::CartItemUnitAmountUnchecked.fault(),
    Gr4vyFault::MetadataIgnored.fault(),
    Gr4vyFault::MetadataMerged.fault(),
    Gr4vyFault::MetadataValuesUnchecked.fault(),
];

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

fn matrix() -> bool {
    let mut ok = true;
    println!("| fault | found (of {SEEDS} seeds) | median requests to the first finding | steps after shrinking (max) |");
    println!("|---|---|---|---|");
    for &fault in FAULTS {
        let mut found = 0;
        let mut requests = Vec::new();
        let mut steps = 0;
        for seed in 1..=SEEDS {
            let Some(r) = explore(fault.provider(), seed, 100, Faults::from_iter([fault])) else {
                return false;
            };
            if let Some(f) = &r.finding {
                found += 1;
                requests.push(f.requests_to_find);
                steps = steps.max(f.steps.1);
            }
        }
        requests.sort_unstable();
        let median = requests.get(requests.len() / 2).copied().unwrap_or(0);
        println!("| {fault} | {found} | {median} | {steps} |");
        ok &= found + 1 >= SEEDS;
    }
    ok
}

fn throughput() {
    let mut operations = 0;
    let mut seconds = 0.0;
    for seed in 1..=5 {
        if let Some(r) = explore(Provider::Stripe, seed, 1000, Faults::NONE) {
            operations += r.operations;
            seconds += r.elapsed.as_secs_f64();
        }
    }
    println!(
        "throughput (stripe): {operations} operations in {seconds:.2} s = {:.0} operations/s (each: an update and a read-back, checked against the model)",
        operations as f64 / seconds
    );
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
