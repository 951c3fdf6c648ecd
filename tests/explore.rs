//! `explore` against the bundled mock: no mismatch without a fault, each relevant fault found
//! and shrunk, the shrunk scenario pasted into a feature file fails against the faulty mock and
//! passes against the clean one; setup and infrastructure trouble is never a mismatch.
//!
//! The full acceptance matrix (20 seeds × 500 cases, every fault × 20 seeds) is a
//! bench-style command: `cargo bench --bench explore`.

use crate::common;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use checkout_conformance::client::Secret;
use checkout_conformance::explore::{explore_blocking, ExploreConfig, ExploreReport, Origin, Stop};
use checkout_conformance::mock::{Fault, Faults};
use checkout_conformance::report::ScenarioResult;
use checkout_conformance::runner::{self, ProviderChoice, RunConfig};
use checkout_conformance::vendor::stripe::mock::StripeFault;
use checkout_conformance::vendor::Provider;
use common::proxy::{ProxiedMock, Upstream};
use rstest::rstest;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

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

/// Every fault of the catalogue is found with the default budget (100 cases) for each seed
/// tried, and shrunk to at most four steps.
#[rstest]
#[case::metadata_unset_ignored("metadata-unset-ignored")]
#[case::metadata_clear_ignored("metadata-clear-ignored")]
#[case::metadata_replaced_not_merged("metadata-replaced-not-merged")]
#[case::metadata_limits_unchecked("metadata-limits-unchecked")]
#[case::line_item_metadata_ignored("line-item-metadata-ignored")]
#[case::line_items_appended("line-items-appended")]
#[case::line_items_order_ignored("line-items-order-ignored")]
#[case::line_item_update_ignored("line-item-update-ignored")]
#[case::unknown_line_item_accepted("unknown-line-item-accepted")]
#[case::new_line_item_quantity_optional("new-line-item-quantity-optional")]
#[case::price_exclusivity_unchecked("price-exclusivity-unchecked")]
#[case::unit_amount_exclusivity_unchecked("unit-amount-exclusivity-unchecked")]
#[case::totals_not_recomputed("totals-not-recomputed")]
#[case::line_items_on_hosted_accepted("line-items-on-hosted-accepted")]
#[case::adjustable_enabled_optional("adjustable-enabled-optional")]
#[case::adjustable_maximum_unchecked("adjustable-maximum-unchecked")]
#[case::adjustable_minimum_unchecked("adjustable-minimum-unchecked")]
#[case::unit_label_length_unchecked("unit-label-length-unchecked")]
#[case::images_limit_unchecked("images-limit-unchecked")]
#[case::recurring_interval_unchecked("recurring-interval-unchecked")]
#[case::recurring_length_unchecked("recurring-length-unchecked")]
#[case::tax_behavior_unchecked("tax-behavior-unchecked")]
#[case::sixth_shipping_option_accepted("sixth-shipping-option-accepted")]
#[case::shipping_rate_exclusivity_unchecked("shipping-rate-exclusivity-unchecked")]
#[case::display_name_length_unchecked("display-name-length-unchecked")]
#[case::fixed_amount_optional("fixed-amount-optional")]
#[case::negative_shipping_amount_accepted("negative-shipping-amount-accepted")]
#[case::delivery_estimate_unchecked("delivery-estimate-unchecked")]
#[case::shipping_options_clear_ignored("shipping-options-clear-ignored")]
#[case::shipping_details_on_hosted_accepted("shipping-details-on-hosted-accepted")]
#[case::shipping_details_required_unchecked("shipping-details-required-unchecked")]
#[case::shipping_name_length_unchecked("shipping-name-length-unchecked")]
#[case::expand_ignored("expand-ignored")]
#[case::closed_session_updatable("closed-session-updatable")]
#[case::unknown_parameter_accepted("unknown-parameter-accepted")]
#[case::nested_unknown_parameter_accepted("nested-unknown-parameter-accepted")]
#[case::wrong_type_accepted("wrong-type-accepted")]
#[case::error_without_type("error-without-type")]
#[case::error_without_param("error-without-param")]
#[case::missing_object_field("missing-object-field")]
#[case::request_id_missing("request-id-missing")]
#[case::idempotency_ignored("idempotency-ignored")]
#[case::line_items_order_ignored_from_three("line-items-order-ignored-from-three")]
#[case::line_item_metadata_ignored_after_first("line-item-metadata-ignored-after-first")]
#[case::shipping_options_dropped_when_unmentioned("shipping-options-dropped-when-unmentioned")]
#[case::rate_data_shipping_not_totalled("rate-data-shipping-not-totalled")]
#[case::idempotency_replayed_once("idempotency-replayed-once")]
#[case::updated_line_item_id_changes("updated-line-item-id-changes")]
#[case::gr4vy_cart_items_appended("gr4vy-cart-items-appended")]
#[case::gr4vy_cart_items_null_ignored("gr4vy-cart-items-null-ignored")]
#[case::gr4vy_cart_item_required_unchecked("gr4vy-cart-item-required-unchecked")]
#[case::gr4vy_cart_item_name_unchecked("gr4vy-cart-item-name-unchecked")]
#[case::gr4vy_cart_item_quantity_unchecked("gr4vy-cart-item-quantity-unchecked")]
#[case::gr4vy_cart_item_unit_amount_unchecked("gr4vy-cart-item-unit-amount-unchecked")]
#[case::gr4vy_cart_item_amounts_unchecked("gr4vy-cart-item-amounts-unchecked")]
#[case::gr4vy_cart_item_strings_unchecked("gr4vy-cart-item-strings-unchecked")]
#[case::gr4vy_cart_item_categories_unchecked("gr4vy-cart-item-categories-unchecked")]
#[case::gr4vy_cart_item_product_type_unchecked("gr4vy-cart-item-product-type-unchecked")]
#[case::gr4vy_cart_item_seller_country_unchecked("gr4vy-cart-item-seller-country-unchecked")]
#[case::gr4vy_metadata_ignored("gr4vy-metadata-ignored")]
#[case::gr4vy_metadata_merged("gr4vy-metadata-merged")]
#[case::gr4vy_metadata_values_unchecked("gr4vy-metadata-values-unchecked")]
#[case::gr4vy_airline_legs_limit_unchecked("gr4vy-airline-legs-limit-unchecked")]
#[case::gr4vy_airline_passengers_limit_unchecked("gr4vy-airline-passengers-limit-unchecked")]
#[case::gr4vy_airline_lengths_unchecked("gr4vy-airline-lengths-unchecked")]
#[case::gr4vy_airline_types_unchecked("gr4vy-airline-types-unchecked")]
#[case::gr4vy_airline_enums_unchecked("gr4vy-airline-enums-unchecked")]
#[case::gr4vy_airline_dates_unchecked("gr4vy-airline-dates-unchecked")]
#[case::gr4vy_airline_amounts_unchecked("gr4vy-airline-amounts-unchecked")]
#[case::gr4vy_airline_patterns_unchecked("gr4vy-airline-patterns-unchecked")]
#[case::gr4vy_buyer_lengths_unchecked("gr4vy-buyer-lengths-unchecked")]
#[case::gr4vy_buyer_formats_unchecked("gr4vy-buyer-formats-unchecked")]
#[case::gr4vy_unknown_field_accepted("gr4vy-unknown-field-accepted")]
#[case::gr4vy_nested_unknown_field_accepted("gr4vy-nested-unknown-field-accepted")]
#[case::gr4vy_wrong_type_accepted("gr4vy-wrong-type-accepted")]
#[case::gr4vy_partial_update("gr4vy-partial-update")]
#[case::gr4vy_non_uuid_accepted("gr4vy-non-uuid-accepted")]
#[case::gr4vy_deleted_session_served("gr4vy-deleted-session-served")]
#[case::gr4vy_error_without_type("gr4vy-error-without-type")]
#[case::gr4vy_error_without_code("gr4vy-error-without-code")]
#[case::gr4vy_error_details_empty("gr4vy-error-details-empty")]
#[case::gr4vy_session_type_missing("gr4vy-session-type-missing")]
#[case::gr4vy_expiry_not_one_hour("gr4vy-expiry-not-one-hour")]
#[case::auth_unchecked("auth-unchecked")]
#[case::not_found_answered_500("not-found-answered-500")]
#[case::gr4vy_auth_unchecked("gr4vy-auth-unchecked")]
#[case::gr4vy_expired_token_accepted("gr4vy-expired-token-accepted")]
#[case::gr4vy_scope_unchecked("gr4vy-scope-unchecked")]
#[case::gr4vy_not_found_answered_500("gr4vy-not-found-answered-500")]
fn each_fault_is_found_and_shrunk(#[case] name: &str) {
    let fault: Fault = name.parse().expect("a fault of the catalogue");
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
    assert_eq!((a.origin, &a.case_text), (b.origin, &b.case_text));
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
/// passes against the clean one: state faults, and each area of the generators (price_data
/// details, adjustable quantity, shipping rate data, shipping details, unknown parameters and
/// wrong types, an expired or deleted session, envelopes and headers, the airline addendum, the
/// buyer, cart item fields, the session id, the expiry, and the probes: authentication, scopes,
/// a session that does not exist).
#[rstest]
#[case::metadata_unset_ignored("metadata-unset-ignored")]
#[case::metadata_replaced_not_merged("metadata-replaced-not-merged")]
#[case::line_item_update_ignored("line-item-update-ignored")]
#[case::line_items_order_ignored("line-items-order-ignored")]
#[case::sixth_shipping_option_accepted("sixth-shipping-option-accepted")]
#[case::totals_not_recomputed("totals-not-recomputed")]
#[case::shipping_options_clear_ignored("shipping-options-clear-ignored")]
#[case::line_items_order_ignored_from_three("line-items-order-ignored-from-three")]
#[case::shipping_options_dropped_when_unmentioned("shipping-options-dropped-when-unmentioned")]
#[case::rate_data_shipping_not_totalled("rate-data-shipping-not-totalled")]
#[case::shipping_details_on_hosted_accepted("shipping-details-on-hosted-accepted")]
#[case::line_items_on_hosted_accepted("line-items-on-hosted-accepted")]
#[case::gr4vy_cart_items_appended("gr4vy-cart-items-appended")]
#[case::gr4vy_cart_items_null_ignored("gr4vy-cart-items-null-ignored")]
#[case::gr4vy_metadata_merged("gr4vy-metadata-merged")]
#[case::gr4vy_cart_item_quantity_unchecked("gr4vy-cart-item-quantity-unchecked")]
#[case::images_limit_unchecked("images-limit-unchecked")]
#[case::unit_amount_exclusivity_unchecked("unit-amount-exclusivity-unchecked")]
#[case::tax_behavior_unchecked("tax-behavior-unchecked")]
#[case::recurring_length_unchecked("recurring-length-unchecked")]
#[case::adjustable_minimum_unchecked("adjustable-minimum-unchecked")]
#[case::adjustable_enabled_optional("adjustable-enabled-optional")]
#[case::display_name_length_unchecked("display-name-length-unchecked")]
#[case::delivery_estimate_unchecked("delivery-estimate-unchecked")]
#[case::shipping_rate_exclusivity_unchecked("shipping-rate-exclusivity-unchecked")]
#[case::shipping_details_required_unchecked("shipping-details-required-unchecked")]
#[case::unknown_parameter_accepted("unknown-parameter-accepted")]
#[case::nested_unknown_parameter_accepted("nested-unknown-parameter-accepted")]
#[case::wrong_type_accepted("wrong-type-accepted")]
#[case::closed_session_updatable("closed-session-updatable")]
#[case::missing_object_field("missing-object-field")]
#[case::request_id_missing("request-id-missing")]
#[case::updated_line_item_id_changes("updated-line-item-id-changes")]
#[case::gr4vy_airline_legs_limit_unchecked("gr4vy-airline-legs-limit-unchecked")]
#[case::gr4vy_airline_types_unchecked("gr4vy-airline-types-unchecked")]
#[case::gr4vy_airline_patterns_unchecked("gr4vy-airline-patterns-unchecked")]
#[case::gr4vy_buyer_lengths_unchecked("gr4vy-buyer-lengths-unchecked")]
#[case::gr4vy_buyer_formats_unchecked("gr4vy-buyer-formats-unchecked")]
#[case::gr4vy_cart_item_strings_unchecked("gr4vy-cart-item-strings-unchecked")]
#[case::gr4vy_nested_unknown_field_accepted("gr4vy-nested-unknown-field-accepted")]
#[case::gr4vy_deleted_session_served("gr4vy-deleted-session-served")]
#[case::gr4vy_non_uuid_accepted("gr4vy-non-uuid-accepted")]
#[case::gr4vy_session_type_missing("gr4vy-session-type-missing")]
#[case::gr4vy_expiry_not_one_hour("gr4vy-expiry-not-one-hour")]
#[case::auth_unchecked("auth-unchecked")]
#[case::not_found_answered_500("not-found-answered-500")]
#[case::gr4vy_auth_unchecked("gr4vy-auth-unchecked")]
#[case::gr4vy_expired_token_accepted("gr4vy-expired-token-accepted")]
#[case::gr4vy_scope_unchecked("gr4vy-scope-unchecked")]
#[case::gr4vy_not_found_answered_500("gr4vy-not-found-answered-500")]
fn the_shrunk_scenario_reproduces_the_finding(#[case] name: &str) {
    let fault: Fault = name.parse().expect("a fault of the catalogue");
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
    let md = std::fs::read_to_string(dir.join("summary.md")).expect("summary.md");
    assert!(md.contains("Scenario: explore stripe seed 3"), "{md}");
    assert!(md.contains("--- expected"), "{md}");
    let junit = std::fs::read_to_string(dir.join("junit.xml")).expect("junit");
    assert!(junit.contains("<failure"), "{junit}");
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

/// The probes: the faults they are for are found by them, whatever the seed, within a few
/// requests, as probe 1 — a deviation of authentication or of a missing session, never one of
/// the generated cases.
#[rstest]
#[case::auth_unchecked("auth-unchecked", "authentication")]
#[case::not_found_answered_500("not-found-answered-500", "not-found")]
#[case::gr4vy_auth_unchecked("gr4vy-auth-unchecked", "authentication")]
#[case::gr4vy_expired_token_accepted("gr4vy-expired-token-accepted", "authentication")]
#[case::gr4vy_scope_unchecked("gr4vy-scope-unchecked", "scope")]
#[case::gr4vy_not_found_answered_500("gr4vy-not-found-answered-500", "not-found")]
fn the_probes_find_what_generated_cases_never_send(#[case] name: &str, #[case] kind: &str) {
    let fault: Fault = name.parse().expect("a fault of the catalogue");
    let report = explore(fault.provider(), 31, 100, Faults::from_iter([fault]));
    let finding = report.finding.expect("found");
    assert_eq!(finding.origin, Origin::Probe(0));
    assert_eq!(finding.mismatch.kind, kind, "{}", finding.scenario.text);
    assert_eq!(finding.steps.1, 1, "{}", finding.case_text);
    assert_eq!(report.cases_run, 0);
    assert!(
        finding.requests_to_find <= 30,
        "{}",
        finding.requests_to_find
    );
}

/// A clean exploration runs the probes too, and they pass.
#[rstest]
fn the_probes_pass_against_the_clean_mock(
    #[values(Provider::Stripe, Provider::Gr4vy)] provider: Provider,
) {
    let report = explore(provider, 1, 1, Faults::NONE);
    assert_eq!(report.probes_run, 1);
    assert_eq!(report.exit_code(), 0, "{:#?}", report.finding);
}

const PROXY_KEY: &str = "sk_test_explore_proxy_0123456789";

/// An exploration of `url` (a proxy in front of the bundled mock) with the proxy's key.
async fn explore_proxy(url: String) -> ExploreReport {
    let mut config = ExploreConfig::new(Provider::Stripe);
    config.base_url = Some(url);
    config.options.credential = Some(Secret::new(PROXY_KEY));
    config.cases = 5;
    tokio::task::spawn_blocking(move || explore_blocking(config))
        .await
        .expect("the exploration does not panic")
        .expect("configured")
}

fn server_error() -> Response {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [
            ("content-type", "application/json"),
            ("request-id", "req_explore_proxy"),
        ],
        r#"{"error": {"type": "api_error", "message": "boom"}}"#,
    )
        .into_response()
}

/// A server this project did not shape (a proxy in front of the mock) answers 500 to every
/// attempt to update a session that does not exist, and the session of the case as it should:
/// a deviation found by the probe (the suite's rule for a steady 5xx), not infrastructure.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_500_only_for_a_missing_session_is_a_deviation() {
    let proxy = ProxiedMock::start(
        PROXY_KEY,
        |request: Request, upstream: Upstream| async move {
            if request.uri().path().contains("does_not_exist") {
                return server_error();
            }
            upstream.forward(request).await.into_response()
        },
    )
    .await;
    let report = explore_proxy(proxy.url.clone()).await;
    let finding = report.finding.as_ref().expect("found");
    assert_eq!(finding.origin, Origin::Probe(0));
    assert_eq!(finding.mismatch.kind, "not-found");
    assert_eq!(finding.mismatch.actual["status"], 500);
    assert_eq!(report.exit_code(), 1);
}

/// A server answering 500 to every attempt of one kind of update (those posting shipping
/// options) while it serves the session otherwise: the documentation promises an answer, so a
/// generated case finds it as a deviation of the status.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_steady_500_to_a_valid_update_is_a_deviation() {
    let proxy = ProxiedMock::start(
        PROXY_KEY,
        |request: Request, upstream: Upstream| async move {
            let (parts, body) = request.into_parts();
            let body = axum::body::to_bytes(body, 1 << 20)
                .await
                .unwrap_or_default();
            let update = parts.uri.path().starts_with("/v1/checkout/sessions/cs_");
            if update && String::from_utf8_lossy(&body).contains("shipping_options") {
                return server_error();
            }
            let request = Request::from_parts(parts, axum::body::Body::from(body));
            upstream.forward(request).await.into_response()
        },
    )
    .await;
    let mut config = ExploreConfig::new(Provider::Stripe);
    config.base_url = Some(proxy.url.clone());
    config.options.credential = Some(Secret::new(PROXY_KEY));
    let report = tokio::task::spawn_blocking(move || explore_blocking(config))
        .await
        .expect("the exploration does not panic")
        .expect("configured");
    let finding = report.finding.as_ref().expect("found");
    assert!(
        matches!(finding.origin, Origin::Case { .. }),
        "{:?}",
        finding.origin
    );
    assert_eq!(finding.mismatch.kind, "status", "{}", finding.scenario.text);
    assert_eq!(finding.mismatch.actual["status"], 500);
    assert_eq!(report.exit_code(), 1);
}

/// The same server, when it answers 500 to everything from the missing session on (it went
/// down, it did not deviate): an infrastructure error, never a mismatch.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_target_failing_from_then_on_is_infrastructure() {
    let down = Arc::new(AtomicBool::new(false));
    let policy = {
        let down = down.clone();
        move |request: Request, upstream: Upstream| {
            let down = down.clone();
            async move {
                if request.uri().path().contains("does_not_exist") {
                    down.store(true, Ordering::SeqCst);
                }
                if down.load(Ordering::SeqCst) {
                    return server_error();
                }
                upstream.forward(request).await.into_response()
            }
        }
    };
    let proxy = ProxiedMock::start(PROXY_KEY, policy).await;
    let report = explore_proxy(proxy.url.clone()).await;
    assert!(report.finding.is_none(), "{:#?}", report.finding);
    let Some(Stop::Infrastructure(why)) = &report.stopped else {
        panic!("not infrastructure: {:?}", report.stopped);
    };
    assert!(why.contains("a session it knows"), "{why}");
    assert_eq!(report.exit_code(), 2);
}

/// `each_fault_is_found_and_shrunk` lists every fault of the catalogue: a fault added to a
/// vendor's catalogue fails here until explore is shown to find it.
#[test]
fn the_fault_table_lists_the_whole_catalogue() {
    let source = include_str!("explore.rs");
    let table = source
        .split("fn each_fault_is_found_and_shrunk")
        .next()
        .and_then(|head| head.rsplit("#[rstest]").next())
        .expect("the table above each_fault_is_found_and_shrunk");
    let missing: Vec<&str> = Fault::all()
        .iter()
        .map(|f| f.name())
        .filter(|name| !table.contains(&format!("(\"{name}\")]")))
        .collect();
    assert!(missing.is_empty(), "not in the table: {missing:?}");
}
