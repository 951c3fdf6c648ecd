//! `explore` against the bundled mock: no mismatch without a fault, each relevant fault found
//! and shrunk, the shrunk scenario pasted into a feature file fails against the faulty mock and
//! passes against the clean one; setup and infrastructure trouble is never a mismatch.
//!
//! The full acceptance matrix (20 seeds × 500 cases, every fault × 20 seeds) is a
//! bench-style command: `cargo bench --bench explore`.

use checkout_conformance::explore::{explore_blocking, ExploreConfig, ExploreReport, Stop};
use checkout_conformance::mock::{Fault, Faults};
use checkout_conformance::report::ScenarioResult;
use checkout_conformance::runner::{self, ProviderChoice, RunConfig};
use checkout_conformance::vendor::gr4vy::mock::Gr4vyFault;
use checkout_conformance::vendor::stripe::mock::StripeFault;
use checkout_conformance::vendor::Provider;
use rstest::rstest;
use std::path::Path;

fn explore(provider: Provider, seed: u64, cases: u64, faults: Faults) -> ExploreReport {
    let config = ExploreConfig {
        seed,
        cases,
        mock_faults: faults,
        ..ExploreConfig::new(provider)
    };
    match explore_blocking(config) {
        Ok(report) => report,
        Err(e) => panic!("the exploration could not be made: {e}"),
    }
}

#[rstest]
fn no_mismatch_against_the_clean_mock(
    #[values(Provider::Stripe, Provider::Gr4vy)] provider: Provider,
    #[values(1, 2, 3)] seed: u64,
) {
    let report = explore(provider, seed, 100, Faults::NONE);
    assert!(
        report.finding.is_none(),
        "seed {seed}: {:#?}",
        report.finding
    );
    assert_eq!(report.stopped, None);
    assert_eq!(report.exit_code(), 0);
    assert_eq!(report.cases_run, 100);
    assert!(report.operations >= 100);
}

/// Every fault of the documented behaviour the Stripe model covers is found (default budget:
/// 100 cases) for each seed tried, and shrunk to at most four steps.
#[rstest]
#[case::metadata_unset_ignored(StripeFault::MetadataUnsetIgnored.fault())]
#[case::metadata_clear_ignored(StripeFault::MetadataClearIgnored.fault())]
#[case::metadata_replaced_not_merged(StripeFault::MetadataReplacedNotMerged.fault())]
#[case::metadata_limits_unchecked(StripeFault::MetadataLimitsUnchecked.fault())]
#[case::line_item_metadata_ignored(StripeFault::LineItemMetadataIgnored.fault())]
#[case::line_items_appended(StripeFault::LineItemsAppended.fault())]
#[case::line_items_order_ignored(StripeFault::LineItemsOrderIgnored.fault())]
#[case::line_item_update_ignored(StripeFault::LineItemUpdateIgnored.fault())]
#[case::unknown_line_item_accepted(StripeFault::UnknownLineItemAccepted.fault())]
#[case::new_line_item_quantity_optional(StripeFault::NewLineItemQuantityOptional.fault())]
#[case::totals_not_recomputed(StripeFault::TotalsNotRecomputed.fault())]
#[case::adjustable_maximum_unchecked(StripeFault::AdjustableMaximumUnchecked.fault())]
#[case::sixth_shipping_option_accepted(StripeFault::SixthShippingOptionAccepted.fault())]
#[case::shipping_options_clear_ignored(StripeFault::ShippingOptionsClearIgnored.fault())]
#[case::expand_ignored(StripeFault::ExpandIgnored.fault())]
#[case::idempotency_ignored(StripeFault::IdempotencyIgnored.fault())]
#[case::line_items_order_ignored_from_three(StripeFault::LineItemsOrderIgnoredFromThree.fault())]
#[case::line_item_metadata_ignored_after_first(StripeFault::LineItemMetadataIgnoredAfterFirst.fault())]
#[case::shipping_options_dropped_when_unmentioned(
    StripeFault::ShippingOptionsDroppedWhenUnmentioned.fault()
)]
#[case::rate_data_shipping_not_totalled(StripeFault::RateDataShippingNotTotalled.fault())]
#[case::gr4vy_cart_items_appended(Gr4vyFault::CartItemsAppended.fault())]
#[case::gr4vy_cart_items_null_ignored(Gr4vyFault::CartItemsNullIgnored.fault())]
#[case::shipping_details_on_hosted_accepted(StripeFault::ShippingDetailsOnHostedAccepted.fault())]
#[case::shipping_name_length_unchecked(StripeFault::ShippingNameLengthUnchecked.fault())]
#[case::line_items_on_hosted_accepted(StripeFault::LineItemsOnHostedAccepted.fault())]
#[case::gr4vy_cart_item_name_unchecked(Gr4vyFault::CartItemNameUnchecked.fault())]
#[case::gr4vy_cart_item_quantity_unchecked(Gr4vyFault::CartItemQuantityUnchecked.fault())]
#[case::gr4vy_cart_item_unit_amount_unchecked(Gr4vyFault::CartItemUnitAmountUnchecked.fault())]
#[case::gr4vy_metadata_ignored(Gr4vyFault::MetadataIgnored.fault())]
#[case::gr4vy_metadata_merged(Gr4vyFault::MetadataMerged.fault())]
#[case::gr4vy_metadata_values_unchecked(Gr4vyFault::MetadataValuesUnchecked.fault())]
fn each_fault_is_found_and_shrunk(#[case] fault: Fault) {
    for seed in [11, 12] {
        let report = explore(fault.provider(), seed, 100, Faults::from_iter([fault]));
        let Some(finding) = &report.finding else {
            panic!("{fault} not found with seed {seed}: {report:#?}");
        };
        assert_eq!(report.exit_code(), 1);
        assert!(finding.steps.1 <= 4, "{fault}: {}", finding.case_text);
        assert!(!finding.mismatch.diff().is_empty() || finding.mismatch.kind == "status");
    }
}

#[test]
fn the_same_seed_finds_the_same_shrunk_case() {
    let faults = Faults::from_iter([StripeFault::LineItemsOrderIgnored]);
    let a = explore(Provider::Stripe, 5, 100, faults);
    let b = explore(Provider::Stripe, 5, 100, faults);
    let (a, b) = (a.finding.expect("found"), b.finding.expect("found"));
    assert_eq!((a.case, &a.case_text), (b.case, &b.case_text));
    assert_eq!(a.scenario, b.scenario);
}

/// The features' clause list and one feature of `provider` holding a scenario, in a directory
/// of its own.
fn feature_dir(dir: &Path, provider: Provider, feature: &str) {
    let folder = dir.join(provider.tag());
    std::fs::create_dir_all(&folder).expect("temp dir");
    let clauses = Path::new(env!("CARGO_MANIFEST_DIR")).join("features/CLAUSES.md");
    std::fs::copy(clauses, dir.join("CLAUSES.md")).expect("CLAUSES.md");
    std::fs::write(folder.join("explore.feature"), feature).expect("feature");
}

fn suite_exit(provider: Provider, features: &Path, faults: Faults) -> u8 {
    let config = RunConfig {
        provider: ProviderChoice::One(provider),
        features: features.to_path_buf(),
        reports: features.join("reports"),
        mock_faults: faults,
        ..RunConfig::default()
    };
    runner::exit_code(&runner::run_blocking(config, |_: &ScenarioResult| {}))
}

/// The shrunk scenario, pasted into a feature file, parses, fails against the faulty mock and
/// passes against the clean one.
#[rstest]
#[case::metadata_unset_ignored(StripeFault::MetadataUnsetIgnored.fault())]
#[case::metadata_replaced_not_merged(StripeFault::MetadataReplacedNotMerged.fault())]
#[case::line_item_update_ignored(StripeFault::LineItemUpdateIgnored.fault())]
#[case::line_items_order_ignored(StripeFault::LineItemsOrderIgnored.fault())]
#[case::sixth_shipping_option_accepted(StripeFault::SixthShippingOptionAccepted.fault())]
#[case::totals_not_recomputed(StripeFault::TotalsNotRecomputed.fault())]
#[case::shipping_options_clear_ignored(StripeFault::ShippingOptionsClearIgnored.fault())]
#[case::line_items_order_ignored_from_three(StripeFault::LineItemsOrderIgnoredFromThree.fault())]
#[case::shipping_options_dropped_when_unmentioned(
    StripeFault::ShippingOptionsDroppedWhenUnmentioned.fault()
)]
#[case::rate_data_shipping_not_totalled(StripeFault::RateDataShippingNotTotalled.fault())]
#[case::shipping_details_on_hosted_accepted(StripeFault::ShippingDetailsOnHostedAccepted.fault())]
#[case::line_items_on_hosted_accepted(StripeFault::LineItemsOnHostedAccepted.fault())]
#[case::gr4vy_cart_items_appended(Gr4vyFault::CartItemsAppended.fault())]
#[case::gr4vy_cart_items_null_ignored(Gr4vyFault::CartItemsNullIgnored.fault())]
#[case::gr4vy_metadata_merged(Gr4vyFault::MetadataMerged.fault())]
#[case::gr4vy_cart_item_quantity_unchecked(Gr4vyFault::CartItemQuantityUnchecked.fault())]
fn the_shrunk_scenario_reproduces_the_finding(#[case] fault: Fault) {
    let faults = Faults::from_iter([fault]);
    let provider = fault.provider();
    let report = explore(provider, 22, 100, faults);
    let finding = report.finding.expect("found");
    assert_eq!(
        finding.scenario.not_expressible, None,
        "{}",
        finding.scenario.text
    );
    let dir = std::env::temp_dir().join(format!(
        "explore-scenario-{}-{}",
        fault.name(),
        std::process::id()
    ));
    feature_dir(&dir, provider, &finding.scenario.feature(provider.tag()));
    let text = &finding.scenario.text;
    let failing = suite_exit(provider, &dir, faults);
    assert_eq!(failing, 1, "not failing with {fault}:\n{text}");
    let passing = suite_exit(provider, &dir, Faults::NONE);
    assert_eq!(passing, 0, "not passing without a fault:\n{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_unreachable_target_is_infrastructure_not_a_mismatch() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("port");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    drop(listener);
    let mut config = ExploreConfig::new(Provider::Stripe);
    config.base_url = Some(url);
    config.options.credential = Some(checkout_conformance::client::Secret::new(
        "sk_test_explore_unreachable",
    ));
    config.max_retries = 0;
    let report = explore_blocking(config).expect("configured");
    assert!(report.finding.is_none());
    assert!(
        matches!(report.stopped, Some(Stop::Infrastructure(_))),
        "{:?}",
        report.stopped
    );
    assert_eq!(report.exit_code(), 2);
}

#[rstest]
#[case::live_key("sk_live_123456789")]
#[case::restricted_live_key("rk_live_123456789")]
fn a_live_key_is_refused_before_any_request(#[case] key: &str) {
    let mut config = ExploreConfig::new(Provider::Stripe);
    config.base_url = Some("https://api.stripe.com".into());
    config.options.credential = Some(checkout_conformance::client::Secret::new(key));
    let error = explore_blocking(config).expect_err("refused");
    assert!(error.to_string().contains("live"), "{error}");
    assert!(!error.to_string().contains("123456789"), "{error}");
}

#[test]
fn the_request_budget_bounds_the_cost() {
    let mut config = ExploreConfig::new(Provider::Stripe);
    config.max_requests = Some(40);
    config.cases = 1000;
    let report = explore_blocking(config).expect("configured");
    assert_eq!(report.stopped, Some(Stop::Budget));
    assert_eq!(report.exit_code(), 0);
    // The cleanup's requests are not counted against the budget; a batch in flight may finish
    // its current request.
    assert!(report.requests <= 40 + 8, "{}", report.requests);
}

#[test]
fn the_reports_hold_the_finding() {
    let dir = std::env::temp_dir().join(format!("explore-reports-{}", std::process::id()));
    let config = ExploreConfig {
        seed: 3,
        mock_faults: Faults::from_iter([StripeFault::MetadataReplacedNotMerged]),
        reports: Some(dir.clone()),
        ..ExploreConfig::new(Provider::Stripe)
    };
    let report = explore_blocking(config).expect("configured");
    assert_eq!(report.exit_code(), 1);
    let md = std::fs::read_to_string(dir.join("explore.md")).expect("explore.md");
    assert!(md.contains("Scenario: explore stripe seed 3"), "{md}");
    assert!(md.contains("--- expected"), "{md}");
    let junit = std::fs::read_to_string(dir.join("explore-junit.xml")).expect("junit");
    assert!(junit.contains("<failure"), "{junit}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The key appears in no report and no line the command prints.
#[test]
fn the_credential_is_written_nowhere() {
    const CANARY: &str = "sk_test_canary_explore_0123456789abcdef";
    let dir = std::env::temp_dir().join(format!("explore-secrets-{}", std::process::id()));
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_checkout-conformance"))
        .args(["explore", "--provider", "stripe", "--seed", "2"])
        .args(["--mock-fault", "metadata-unset-ignored", "--reports"])
        .arg(&dir)
        .env("STRIPE_API_KEY", CANARY)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let mut texts = vec![
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    ];
    for file in ["explore.md", "explore-junit.xml"] {
        texts.push(std::fs::read_to_string(dir.join(file)).expect("report"));
    }
    assert!(texts[0].contains("MISMATCH"), "{}", texts[0]);
    for text in &texts {
        assert!(!text.contains(CANARY), "{text}");
        assert!(!text.contains(&CANARY[8..]), "{text}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[rstest]
#[case::clean(&["--cases", "20"], 0, "exit 0")]
#[case::fault(&["--mock-fault", "line-items-appended"], 1, "MISMATCH")]
#[case::zero_cases(&["--cases", "0"], 2, "--cases must be at least 1")]
#[case::fault_of_the_other_provider(&["--mock-fault", "gr4vy-metadata-merged"], 2, "gr4vy-metadata-merged")]
fn the_command_exits_as_the_suite(#[case] extra: &[&str], #[case] code: i32, #[case] says: &str) {
    let dir = std::env::temp_dir().join(format!("explore-cli-{}-{code}", std::process::id()));
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_checkout-conformance"))
        .args(["explore", "--provider", "stripe"])
        .args(extra)
        .arg("--reports")
        .arg(&dir)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(code), "{output:?}");
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(printed.contains(says), "{printed}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_gr4vy_production_host_is_refused_before_any_request() {
    let mut config = ExploreConfig::new(Provider::Gr4vy);
    config.options.base_url = Some("https://api.acme.gr4vy.app".into());
    config.options.credential = Some(checkout_conformance::client::Secret::new("eyJ.x.y"));
    let error = explore_blocking(config).expect_err("refused");
    assert!(error.to_string().contains("production"), "{error}");
}
