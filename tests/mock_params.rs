//! The create calls' parameters, read from the generated table (`param_table.rs`, from
//! stripe-python's typed params): every parameter accepted, stored and rendered where the object
//! has the field; types, enums, unknown keys and required keys checked at every depth. And the
//! endpoints issue 12 adds: products, tax rates, the checkout sessions list.

use crate::common;

use checkout_conformance::vendor::stripe::mock::param_kinds::{Kind, Param};
use checkout_conformance::vendor::stripe::mock::param_table as table;
use common::Mock;
use rstest::rstest;
use serde_json::{json, Value};

/// A valid value of `kind`, every nested parameter given.
fn sample(kind: &Kind) -> Value {
    match kind {
        Kind::Str => json!("sample"),
        Kind::Bool => json!(true),
        Kind::Int => json!(1),
        Kind::Decimal => json!("1.5"),
        Kind::Enum(values) => json!(values[0]),
        // An object without parameters (`pay_by_bank: {}`) is left out: a form cannot spell
        // it but as `key=`, which unsets (and the SDKs send nothing for it).
        Kind::Object(params) => Value::Object(
            params
                .iter()
                .filter(|p| !matches!(p.kind, Kind::Object(inner) if inner.is_empty()))
                .map(|p| (p.name.to_owned(), sample(&p.kind)))
                .collect(),
        ),
        Kind::List(item) => json!([sample(item)]),
        Kind::Map => json!({"k": "v"}),
        Kind::AnyOf(kinds) => sample(&kinds[0]),
    }
}

/// The table's parameters but those with rules of their own (tested in tests/mock_rules.rs).
fn generic<'a>(params: &'a [Param], ruled: &[&str]) -> impl Iterator<Item = &'a Param> + 'a {
    let ruled: Vec<String> = ruled.iter().map(|s| s.to_string()).collect();
    params
        .iter()
        .filter(move |p| !ruled.contains(&p.name.to_owned()))
}

/// Whether `sent` is rendered in `got` (objects by key, scalars equal; decimals as numbers).
fn rendered(sent: &Value, got: &Value) -> bool {
    match (sent, got) {
        (Value::Object(s), Value::Object(g)) => s
            .iter()
            .all(|(k, v)| g.get(k).is_none_or(|gv| rendered(v, gv))),
        (Value::String(s), Value::Number(n)) => s.parse::<f64>().ok() == n.as_f64(),
        _ => sent == got,
    }
}

/// Sends each generic parameter of `params` alone on top of `base` and expects 200, with the
/// value rendered where the object has the field. Returns how many were tried.
async fn every_parameter(
    mock: &Mock,
    path: &str,
    base: Value,
    params: &[Param],
    ruled: &[&str],
) -> usize {
    let mut tried = 0;
    for param in generic(params, ruled) {
        let value = sample(&param.kind);
        let mut body = base.clone();
        body[param.name] = value.clone();
        let answer = mock.post(path, body).await;
        assert_eq!(
            answer.status, 200,
            "{path} {}={value}: {}",
            param.name, answer.body
        );
        if let Some(field) = answer.body.get(param.name) {
            assert!(
                rendered(&value, field),
                "{path} {}: sent {value}, rendered {field}",
                param.name
            );
        }
        tried += 1;
    }
    tried
}

/// Parameters with rules of their own in the mock (tested in tests/mock_rules.rs).
const SESSION_RULED: &[&str] = &[
    "cancel_url",
    "currency",
    "expand",
    "line_items",
    "metadata",
    "mode",
    "payment_method_types",
    "permissions",
    "redirect_on_completion",
    "return_url",
    "shipping_options",
    "success_url",
    "ui_mode",
];

#[tokio::test]
async fn every_session_create_parameter_is_accepted_stored_and_rendered() {
    let mock = Mock::start().await;
    let price = mock.price(1000).await;
    let base = json!({
        "mode": "payment",
        "success_url": "https://example.com/s",
        "line_items": [{"price": price, "quantity": 1}],
    });
    let tried = every_parameter(
        &mock,
        "/v1/checkout/sessions",
        base,
        table::SESSION_CREATE,
        SESSION_RULED,
    )
    .await;
    // Dahlia's create call has 51 parameters (issue 12); each is tried here or has rules.
    assert_eq!(table::SESSION_CREATE.len(), 51);
    assert_eq!(tried + SESSION_RULED.len(), 51);
}

#[tokio::test]
async fn every_price_product_shipping_rate_and_tax_rate_parameter_is_accepted() {
    let mock = Mock::start().await;
    let price_base = json!({"currency": "usd", "unit_amount": 100, "product_data": {"name": "T"}});
    let price_ruled = [
        "currency",
        "product",
        "product_data",
        "recurring",
        "tax_behavior",
        "unit_amount",
        "unit_amount_decimal",
        "expand",
        "metadata",
        "nickname",
    ];
    every_parameter(
        &mock,
        "/v1/prices",
        price_base,
        table::PRICE_CREATE,
        &price_ruled,
    )
    .await;
    // Products: `id` must be unique, so each request gets its own.
    for param in generic(table::PRODUCT_CREATE, &["expand", "id"]) {
        let value = sample(&param.kind);
        let mut body = json!({"name": "Shirt"});
        body[param.name] = value.clone();
        let answer = mock.post("/v1/products", body).await.expect(200);
        if let Some(field) = answer.body.get(param.name) {
            assert!(
                rendered(&value, field),
                "{}: {value} vs {field}",
                param.name
            );
        }
    }
    let rate_base = json!({"display_name": "Ground", "type": "fixed_amount", "fixed_amount": {"amount": 500, "currency": "usd"}});
    let rate_ruled = [
        "delivery_estimate",
        "display_name",
        "expand",
        "fixed_amount",
        "metadata",
        "tax_behavior",
        "tax_code",
        "type",
    ];
    every_parameter(
        &mock,
        "/v1/shipping_rates",
        rate_base,
        table::SHIPPING_RATE_CREATE,
        &rate_ruled,
    )
    .await;
    let tax_base = json!({"display_name": "VAT", "inclusive": false, "percentage": "19.5"});
    every_parameter(
        &mock,
        "/v1/tax_rates",
        tax_base,
        table::TAX_RATE_CREATE,
        &["expand"],
    )
    .await;
}

/// The parameters a team's first test sends (issue 12's list), rendered on the session, which
/// still conforms to the session schema.
#[tokio::test]
async fn the_common_create_parameters_are_rendered() {
    let mock = Mock::start().await;
    let price = mock.price(1000).await;
    let session = mock
        .post(
            "/v1/checkout/sessions",
            json!({
                "mode": "payment",
                "success_url": "https://example.com/s",
                "line_items": [{"price": price, "quantity": 1}],
                "customer_email": "a@example.com",
                "locale": "fr",
                "allow_promotion_codes": true,
                "billing_address_collection": "required",
                "automatic_tax": {"enabled": true},
                "client_reference_id": "cart_1",
                "submit_type": "pay",
                "phone_number_collection": {"enabled": true},
                "payment_intent_data": {"description": "d", "capture_method": "manual"},
                "expires_at": 1_900_000_000,
            }),
        )
        .await
        .expect(200)
        .assert_conforms();
    let s = &session.body;
    assert_eq!(s["locale"], "fr");
    assert_eq!(s["allow_promotion_codes"], true);
    assert_eq!(s["billing_address_collection"], "required");
    assert_eq!(s["automatic_tax"]["enabled"], true);
    assert_eq!(s["submit_type"], "pay");
    assert_eq!(s["phone_number_collection"]["enabled"], true);
    assert_eq!(s["expires_at"], 1_900_000_000);
    assert!(
        s.get("payment_intent_data").is_none(),
        "not a session field"
    );
    // Stored: retrieving shows the same.
    let id = s["id"].as_str().unwrap_or_default();
    let again = mock
        .get(&format!("/v1/checkout/sessions/{id}"))
        .await
        .expect(200);
    assert_eq!(again.body["locale"], "fr");
    assert_eq!(again.body["automatic_tax"]["enabled"], true);
}

/// Types, enums, unknown and required keys, at every depth, from the table.
#[rstest]
#[case::bool_type("allow_promotion_codes", json!("maybe"), None, "allow_promotion_codes")]
#[case::enum_value("billing_address_collection", json!("sometimes"), None, "billing_address_collection")]
#[case::integer("expires_at", json!("soon"), Some("parameter_invalid_integer"), "expires_at")]
#[case::nested_unknown("automatic_tax", json!({"enabled": true, "foo": 1}), Some("parameter_unknown"), "automatic_tax[foo]")]
#[case::nested_required("automatic_tax", json!({"liability": {"type": "self"}}), Some("parameter_missing"), "automatic_tax[enabled]")]
#[case::deep_required("automatic_tax", json!({"enabled": true, "liability": {"account": "acct_1"}}), Some("parameter_missing"), "automatic_tax[liability][type]")]
#[case::deep_enum("payment_intent_data", json!({"capture_method": "later"}), None, "payment_intent_data[capture_method]")]
#[case::object_as_string("consent_collection", json!("yes"), None, "consent_collection")]
#[case::object_posted_empty("automatic_tax", json!(""), Some("parameter_invalid_empty"), "automatic_tax")]
#[case::list_element_unknown("custom_fields", json!([{"key": "k", "label": {"type": "custom", "custom": "L"}, "type": "text", "bar": 1}]), Some("parameter_unknown"), "custom_fields[0][bar]")]
#[tokio::test]
async fn create_parameters_are_validated_from_the_table(
    #[case] name: &str,
    #[case] value: Value,
    #[case] code: Option<&str>,
    #[case] param: &str,
) {
    let mock = Mock::start().await;
    let price = mock.price(1000).await;
    let mut body = json!({
        "mode": "payment",
        "success_url": "https://example.com/s",
        "line_items": [{"price": price, "quantity": 1}],
    });
    body[name] = value;
    let answer = mock
        .post("/v1/checkout/sessions", body)
        .await
        .expect(400)
        .assert_conforms();
    assert_eq!(answer.param(), Some(param), "{}", answer.body);
    if let Some(code) = code {
        assert_eq!(answer.code(), Some(code), "{}", answer.body);
    }
}

/// Products: create (with `id` or without), retrieve, update (fields replaced, metadata merged),
/// list (newest first, paginated, `active` filter); a price's `product_data` creates one too.
#[tokio::test]
async fn products_are_created_retrieved_updated_and_listed() {
    let mock = Mock::start().await;
    let shirt = mock
        .post(
            "/v1/products",
            json!({"name": "Shirt", "id": "prod_shirt", "metadata": {"a": "1", "b": "2"}}),
        )
        .await
        .expect(200);
    assert_eq!(shirt.body["object"], "product");
    assert_eq!(shirt.body["id"], "prod_shirt");
    assert_eq!(shirt.body["active"], true);
    let duplicate = mock
        .post("/v1/products", json!({"name": "Again", "id": "prod_shirt"}))
        .await
        .expect(400);
    assert_eq!(duplicate.param(), Some("id"));
    let updated = mock
        .post(
            "/v1/products/prod_shirt",
            json!({"description": "Cotton", "active": false, "metadata": {"a": "", "c": "3"}}),
        )
        .await
        .expect(200);
    assert_eq!(updated.body["description"], "Cotton");
    assert_eq!(updated.body["metadata"], json!({"b": "2", "c": "3"}));
    let got = mock.get("/v1/products/prod_shirt").await.expect(200);
    assert_eq!(got.body, updated.body);
    mock.get("/v1/products/prod_nope").await.expect(404);
    mock.post("/v1/products/prod_nope", json!({"name": "x"}))
        .await
        .expect(404);

    let price = mock
        .post(
            "/v1/prices",
            json!({"currency": "usd", "unit_amount": 100, "product_data": {"name": "Mug"}}),
        )
        .await
        .expect(200);
    let mug = price.body["product"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(
        mock.get(&format!("/v1/products/{mug}"))
            .await
            .expect(200)
            .body["name"],
        "Mug"
    );

    let all = mock.get("/v1/products?limit=1").await.expect(200);
    assert_eq!(all.body["object"], "list");
    assert_eq!(all.body["url"], "/v1/products");
    assert_eq!(all.body["data"][0]["id"], mug.as_str(), "newest first");
    assert_eq!(all.body["has_more"], true);
    let next = mock
        .get(&format!("/v1/products?limit=1&starting_after={mug}"))
        .await
        .expect(200);
    assert_eq!(next.body["data"][0]["id"], "prod_shirt");
    assert_eq!(next.body["has_more"], false);
    let active = mock.get("/v1/products?active=true").await.expect(200);
    assert_eq!(active.body["data"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn tax_rates_are_created_and_retrieved() {
    let mock = Mock::start().await;
    let rate = mock
        .post(
            "/v1/tax_rates",
            json!({"display_name": "VAT", "inclusive": false, "percentage": "19", "country": "DE", "tax_type": "vat"}),
        )
        .await
        .expect(200);
    assert_eq!(rate.body["object"], "tax_rate");
    assert_eq!(rate.body["percentage"], 19.0);
    assert_eq!(rate.body["tax_type"], "vat");
    let id = rate.body["id"].as_str().unwrap_or_default();
    assert!(id.starts_with("txr_"));
    let got = mock.get(&format!("/v1/tax_rates/{id}")).await.expect(200);
    assert_eq!(got.body, rate.body);
    let missing = mock
        .post(
            "/v1/tax_rates",
            json!({"display_name": "VAT", "inclusive": false}),
        )
        .await
        .expect(400);
    assert_eq!(missing.code(), Some("parameter_missing"));
    assert_eq!(missing.param(), Some("percentage"));
    mock.get("/v1/tax_rates/txr_nope").await.expect(404);
}

/// `GET /v1/checkout/sessions`: newest first, Stripe's pagination, filters.
#[tokio::test]
async fn sessions_are_listed_with_stripes_pagination() {
    let mock = Mock::start().await;
    let mut ids = Vec::new();
    for _ in 0..3 {
        ids.push(mock.custom_session().await);
    }
    mock.post(
        &format!("/v1/checkout/sessions/{}/expire", ids[0]),
        json!({}),
    )
    .await
    .expect(200);
    let page = mock.get("/v1/checkout/sessions?limit=2").await.expect(200);
    assert_eq!(page.body["url"], "/v1/checkout/sessions");
    let listed: Vec<&str> = page.body["data"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["id"].as_str())
        .collect();
    assert_eq!(listed, [ids[2].as_str(), ids[1].as_str()]);
    assert_eq!(page.body["has_more"], true);
    let rest = mock
        .get(&format!("/v1/checkout/sessions?starting_after={}", ids[1]))
        .await
        .expect(200);
    assert_eq!(rest.body["data"][0]["id"], ids[0].as_str());
    assert_eq!(rest.body["has_more"], false);
    let before = mock
        .get(&format!(
            "/v1/checkout/sessions?ending_before={}&limit=1",
            ids[1]
        ))
        .await
        .expect(200);
    assert_eq!(before.body["data"][0]["id"], ids[2].as_str());
    assert_eq!(before.body["has_more"], false);
    let expired = mock
        .get("/v1/checkout/sessions?status=expired")
        .await
        .expect(200);
    assert_eq!(expired.body["data"].as_array().map(Vec::len), Some(1));
    let bad = mock
        .get("/v1/checkout/sessions?limit=101")
        .await
        .expect(400);
    assert_eq!(bad.param(), Some("limit"));
    let unknown = mock
        .get("/v1/checkout/sessions?starting_after=cs_nope")
        .await
        .expect(400);
    assert_eq!(unknown.code(), Some("resource_missing"));
    let bad_status = mock
        .get("/v1/checkout/sessions?status=gone")
        .await
        .expect(400);
    assert_eq!(bad_status.param(), Some("status"));
}

/// The tables were derived for the API version the mock answers in.
#[test]
fn the_tables_are_the_mocks_version() {
    assert_eq!(
        table::DERIVED_FOR,
        checkout_conformance::vendor::stripe::wire::API_VERSION
    );
}
