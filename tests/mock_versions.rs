//! `Stripe-Version`: the mock answers in the request's version (acacia to its own dahlia), with
//! that version's `ui_mode` names and update parameters, and refuses a version it does not
//! model, saying so.

use crate::common;

use checkout_conformance::vendor::stripe::mock::versions::{
    FIRST_MODELLED, KNOWN, UPDATE_PARAMS_SINCE,
};
use checkout_conformance::vendor::stripe::wire::API_VERSION;
use common::{Mock, KEY};
use rstest::rstest;
use serde_json::{json, Value};

/// An answer with the `Stripe-Version` it carries.
struct Versioned {
    status: u16,
    body: Value,
    version: Option<String>,
}

async fn post(mock: &Mock, version: Option<&str>, path: &str, params: Value) -> Versioned {
    let mut request = mock
        .http
        .post(mock.url(path))
        .bearer_auth(KEY)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(checkout_conformance::vendor::stripe::form::encode_json(
            &params,
        ));
    if let Some(version) = version {
        request = request.header("stripe-version", version);
    }
    answer(request).await
}

async fn get(mock: &Mock, version: Option<&str>, path: &str) -> Versioned {
    let mut request = mock.http.get(mock.url(path)).bearer_auth(KEY);
    if let Some(version) = version {
        request = request.header("stripe-version", version);
    }
    answer(request).await
}

async fn answer(request: reqwest::RequestBuilder) -> Versioned {
    let response = request.send().await.expect("the mock answers");
    let status = response.status().as_u16();
    let version = response
        .headers()
        .get("stripe-version")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = response.json().await.expect("a JSON body");
    Versioned {
        status,
        body,
        version,
    }
}

fn session_params(ui_mode: &str, price: &str) -> Value {
    let mut params = json!({
        "mode": "payment",
        "ui_mode": ui_mode,
        "line_items": [{"price": price, "quantity": 1}],
    });
    if ui_mode.starts_with("hosted") {
        params["success_url"] = json!("https://example.com/s");
    } else {
        params["return_url"] = json!("https://example.com/r");
    }
    params
}

/// The `ui_mode` names each version takes, and shows back.
#[rstest]
#[case::dahlia_elements(Some(API_VERSION), "elements", true)]
#[case::dahlia_form(Some(API_VERSION), "form", true)]
#[case::dahlia_embedded_page(Some("2026-03-25.dahlia"), "embedded_page", true)]
#[case::dahlia_refuses_custom(Some(API_VERSION), "custom", false)]
#[case::dahlia_refuses_hosted(Some(API_VERSION), "hosted", false)]
#[case::default_is_dahlia(None, "hosted_page", true)]
#[case::clover_custom(Some("2025-12-15.clover"), "custom", true)]
#[case::basil_custom(Some("2025-03-31.basil"), "custom", true)]
#[case::basil_embedded(Some("2025-03-31.basil"), "embedded", true)]
#[case::basil_hosted(Some("2025-08-27.basil"), "hosted", true)]
#[case::basil_refuses_elements(Some("2025-03-31.basil"), "elements", false)]
#[case::basil_refuses_form(Some("2025-03-31.basil"), "form", false)]
#[case::acacia_embedded(Some(FIRST_MODELLED), "embedded", true)]
#[case::acacia_refuses_custom(Some("2025-02-24.acacia"), "custom", false)]
#[tokio::test]
async fn ui_mode_names_follow_the_version(
    #[case] version: Option<&str>,
    #[case] ui_mode: &str,
    #[case] accepted: bool,
) {
    let mock = Mock::start().await;
    let price = mock.price(1000).await;
    let created = post(
        &mock,
        version,
        "/v1/checkout/sessions",
        session_params(ui_mode, &price),
    )
    .await;
    assert_eq!(
        created.version.as_deref(),
        Some(version.unwrap_or(API_VERSION))
    );
    if accepted {
        assert_eq!(created.status, 200, "{}", created.body);
        assert_eq!(created.body["ui_mode"], ui_mode);
    } else {
        assert_eq!(created.status, 400, "{}", created.body);
        assert_eq!(created.body["error"]["param"], "ui_mode");
    }
}

/// A session shows the reader's names: created in dahlia, read in basil (also in a list).
#[tokio::test]
async fn a_session_is_rendered_in_the_readers_version() {
    let mock = Mock::start().await;
    let id = mock.custom_session().await;
    let basil = Some("2025-03-31.basil");
    let read = get(&mock, basil, &format!("/v1/checkout/sessions/{id}")).await;
    assert_eq!(read.body["ui_mode"], "custom");
    assert_eq!(read.version.as_deref(), basil);
    let listed = get(&mock, basil, "/v1/checkout/sessions").await;
    assert_eq!(listed.body["data"][0]["ui_mode"], "custom");
    let updated = post(
        &mock,
        basil,
        &format!("/v1/checkout/sessions/{id}"),
        json!({"metadata": {"a": "1"}}),
    )
    .await;
    assert_eq!(updated.body["ui_mode"], "custom");
    let now = get(&mock, None, &format!("/v1/checkout/sessions/{id}")).await;
    assert_eq!(now.body["ui_mode"], "elements");
    assert_eq!(now.version.as_deref(), Some(API_VERSION));
    // Errors carry the request's version too.
    let missing = get(&mock, basil, "/v1/checkout/sessions/cs_nope").await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.version.as_deref(), basil);
}

/// Each update parameter exists from its version on; before, it is `parameter_unknown`.
#[tokio::test]
async fn update_parameters_follow_the_version() {
    let mock = Mock::start().await;
    let id = mock.custom_session().await;
    let items = mock.line_items(&id).await;
    let item = items[0]["id"].as_str().unwrap_or_default().to_owned();
    let value = |param: &str| match param {
        "metadata" => json!({"a": "1"}),
        "collected_information" => {
            json!({"shipping_details": {"name": "A", "address": {"country": "US", "line1": "1 Main"}}})
        }
        "shipping_options" => json!(""),
        "line_items" => json!([{"id": item, "quantity": 2}]),
        other => panic!("no sample for {other}"),
    };
    for (param, since) in UPDATE_PARAMS_SINCE {
        let position = KNOWN
            .iter()
            .position(|v| v == since)
            .expect("a known version");
        let body = json!({ *param: value(param) });
        let path = format!("/v1/checkout/sessions/{id}");
        let at = post(&mock, Some(since), &path, body.clone()).await;
        assert_eq!(at.status, 200, "{param} in {since}: {}", at.body);
        if position > 0 && KNOWN[position - 1] >= FIRST_MODELLED {
            let before = KNOWN[position - 1];
            let refused = post(&mock, Some(before), &path, body).await;
            assert_eq!(refused.status, 400, "{param} in {before}: {}", refused.body);
            assert_eq!(refused.body["error"]["code"], "parameter_unknown");
            assert_eq!(refused.body["error"]["param"], *param);
        }
    }
}

/// Versions the mock does not answer in.
#[rstest]
#[case::after_the_mocks("2026-11-18.endive", "does not model")]
#[case::later_dahlia("2026-08-26.dahlia", "does not model")]
#[case::before_acacia("2024-06-20", "does not model")]
#[case::unknown_name("2025-03-31.zinnia", "Invalid Stripe API version")]
#[case::unknown_date("2025-03-30.basil", "Invalid Stripe API version")]
#[case::malformed("yesterday", "Invalid Stripe API version")]
#[tokio::test]
async fn other_versions_are_refused(#[case] version: &str, #[case] says: &str) {
    let mock = Mock::start().await;
    let answer = get(&mock, Some(version), "/v1/prices/price_nope").await;
    assert_eq!(answer.status, 400, "{}", answer.body);
    assert_eq!(answer.body["error"]["type"], "invalid_request_error");
    let message = answer.body["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains(says), "{message}");
    assert_eq!(answer.version.as_deref(), Some(API_VERSION));
}
