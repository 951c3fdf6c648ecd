//! The Gr4vy half of the mock over HTTP: every rule of `CheckoutSessionUpdate` on its accepted and
//! its rejected side (status, envelope, the offending field in `details`), replace semantics,
//! auth and scopes, ids, routes, hostile bodies and concurrent updates.
//!
//! The rule tables run against ONE mock (started once, on its own runtime); every case uses a
//! session of its own.

use crate::common;

use checkout_conformance::mock::{MockConfig, MockServer};
use checkout_conformance::vendor::gr4vy::mock::Gr4vyFault;
use checkout_conformance::vendor::gr4vy::mock::AMOUNT_MAX;
use common::gr4vy::*;
use common::Mock;
use reqwest::Method;
use rstest::rstest;
use serde_json::{json, Map, Value};
use std::sync::OnceLock;

// ---------------------------------------------------------------------------------------------
// One mock for the tables
// ---------------------------------------------------------------------------------------------

fn shared() -> Gr4vy {
    static BASE: OnceLock<String> = OnceLock::new();
    let base = BASE.get_or_init(|| {
        common::in_background("shared-gr4vy-mock", || async {
            let server = MockServer::start(MockConfig::default())
                .await
                .expect("the shared mock starts");
            (server.url(), server)
        })
    });
    Gr4vy::at(base.clone())
}

// ---------------------------------------------------------------------------------------------
// Case builders
// ---------------------------------------------------------------------------------------------

type Expected = Option<(&'static str, &'static str)>;
const OK: Expected = None;

fn bad(pointer: &'static str, kind: &'static str) -> Expected {
    Some((pointer, kind))
}

/// A string of `n` characters.
fn s(n: usize) -> String {
    "x".repeat(n)
}

/// `{"cart_items": [a valid item merged with extra]}`.
fn item(extra: Value) -> Value {
    json!({ "cart_items": [cart_item(extra)] })
}

/// `{"airline": extra}` (a minimal airline addendum plus `extra`).
fn airline(extra: Value) -> Value {
    json!({ "airline": extra })
}

/// An airline addendum with one leg: the documentation's, merged with `extra`.
fn leg(extra: Value) -> Value {
    let mut leg = doc_leg();
    merge(&mut leg, extra);
    json!({ "airline": { "legs": [leg] } })
}

/// An airline addendum with one passenger: the documentation's, merged with `extra`.
fn passenger(extra: Value) -> Value {
    let mut passenger = doc_passenger();
    merge(&mut passenger, extra);
    json!({ "airline": { "passengers": [passenger] } })
}

/// `{"buyer": the full buyer merged with extra}`.
fn buyer(extra: Value) -> Value {
    let mut buyer = full_buyer();
    merge(&mut buyer, extra);
    json!({ "buyer": buyer })
}

/// Properties of `CheckoutSessionUpdate` that `CheckoutSession` does not render.
const NOT_RENDERED: &[&str] = &[
    "expires_in",
    "country",
    "is_subsequent_payment",
    "merchant_initiated",
    "payment_source",
    "intent",
];

/// Whether every value of `sent` is in `got` (objects by key, arrays by position, numbers by
/// value).
fn contains(got: &Value, sent: &Value) -> bool {
    match (got, sent) {
        (Value::Object(g), Value::Object(s)) => s
            .iter()
            .all(|(k, v)| g.get(k).is_some_and(|gv| contains(gv, v))),
        (Value::Array(g), Value::Array(s)) => {
            g.len() == s.len() && g.iter().zip(s).all(|(g, s)| contains(g, s))
        }
        (Value::Number(g), Value::Number(s)) => g.as_f64() == s.as_f64(),
        (g, s) => g == s,
    }
}

/// PUTs `body` to a new session and checks the answer: 200 echoing what was sent, or 400 naming
/// the field, and then the session unchanged.
async fn check(body: Value, expected: Expected) {
    let g = shared();
    let id = g.new_session().await;
    let reply = g.put(&id, body.clone()).await;
    assert_eq!(reply.content_type.as_deref(), Some("application/json"));
    reply.assert_conforms();
    request_schema_agrees(&body, expected);
    match expected {
        None => {
            let session = reply.session();
            for (key, value) in body.as_object().expect("an object body") {
                if !NOT_RENDERED.contains(&key.as_str()) {
                    assert!(
                        contains(&session[key], value),
                        "{key} not echoed: sent {value}, got {}",
                        session[key]
                    );
                }
            }
        }
        Some((pointer, kind)) => {
            reply.rejects(pointer, Some(kind));
            let after = g.get(&id).await;
            for key in ["cart_items", "metadata", "buyer", "airline", "amount"] {
                assert_eq!(
                    after.session()[key],
                    Value::Null,
                    "{key} changed by a rejected update"
                );
            }
        }
    }
}

/// The mock's rules are hand-written from the spec; `schemas/gr4vy/checkout-session-update.json`
/// is derived from it by a script. Both must agree on every case: a body the mock accepts is
/// valid against the schema, a body it rejects is not (`format`s included: the registry asserts
/// them).
fn request_schema_agrees(body: &Value, expected: Expected) {
    use checkout_conformance::schema::SchemaRegistry;
    use checkout_conformance::vendor::gr4vy::schema::Gr4vySchema;
    let verdict = SchemaRegistry::embedded(checkout_conformance::vendor::Provider::Gr4vy)
        .validate(Gr4vySchema::CheckoutSessionUpdate, body);
    match (expected, verdict) {
        (None, Err(violations)) => panic!(
            "the mock accepts what the request schema rejects: {}",
            violations
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        ),
        (Some((pointer, kind)), Ok(())) => {
            panic!("the mock rejects {pointer} ({kind}), the request schema accepts it")
        }
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------------
// CheckoutSessionUpdate: the top level
// ---------------------------------------------------------------------------------------------

#[rstest]
#[case::empty(json!({}), OK)]
#[case::doc_body(json!({"cart_items": [doc_cart_item()], "metadata": {"key": "value"}, "airline": doc_airline()}), OK)]
#[case::cart_items_null(json!({"cart_items": null}), OK)]
#[case::cart_items_empty(json!({"cart_items": []}), OK)]
#[case::cart_items_string(json!({"cart_items": "items"}), bad("/cart_items", "list_type"))]
#[case::cart_items_object(json!({"cart_items": {"name": "x"}}), bad("/cart_items", "list_type"))]
#[case::cart_item_not_object(json!({"cart_items": [1]}), bad("/cart_items/0", "model_attributes_type"))]
#[case::cart_item_null(json!({"cart_items": [null]}), bad("/cart_items/0", "model_attributes_type"))]
#[case::metadata(json!({"metadata": {"cohort": "cohort-a", "order_id": "order-12345"}}), OK)]
#[case::metadata_empty(json!({"metadata": {}}), OK)]
#[case::metadata_null(json!({"metadata": null}), OK)]
#[case::metadata_many_keys(json!({"metadata": ((0..100).map(|i| (format!("k{i}"), json!(s(500)))).collect::<Map<_, _>>())}), OK)]
#[case::metadata_odd_keys(json!({"metadata": {"": "empty key", "a/b~c": "x", "ключ": "значение"}}), OK)]
#[case::metadata_string(json!({"metadata": "key=value"}), bad("/metadata", "dict_type"))]
#[case::metadata_array(json!({"metadata": ["a"]}), bad("/metadata", "dict_type"))]
#[case::metadata_number_value(json!({"metadata": {"a": 1}}), bad("/metadata/a", "string_type"))]
#[case::metadata_null_value(json!({"metadata": {"a": null}}), bad("/metadata/a", "string_type"))]
#[case::metadata_object_value(json!({"metadata": {"a": {"b": "c"}}}), bad("/metadata/a", "string_type"))]
#[case::metadata_escaped_pointer(json!({"metadata": {"a/b~c": true}}), bad("/metadata/a~1b~0c", "string_type"))]
#[case::buyer(buyer(json!({})), OK)]
#[case::buyer_empty(json!({"buyer": {}}), OK)]
#[case::buyer_null(json!({"buyer": null}), OK)]
#[case::buyer_string(json!({"buyer": "John"}), bad("/buyer", "model_attributes_type"))]
#[case::airline(json!({"airline": doc_airline()}), OK)]
#[case::airline_empty(json!({"airline": {}}), OK)]
#[case::airline_null(json!({"airline": null}), OK)]
#[case::airline_array(json!({"airline": [doc_airline()]}), bad("/airline", "model_attributes_type"))]
#[case::amount_zero(json!({"amount": 0}), OK)]
#[case::amount_max(json!({"amount": AMOUNT_MAX}), OK)]
#[case::amount_null(json!({"amount": null}), OK)]
#[case::amount_negative(json!({"amount": -1}), bad("/amount", "greater_than_equal"))]
#[case::amount_over_max(json!({"amount": AMOUNT_MAX + 1}), bad("/amount", "less_than_equal"))]
#[case::amount_fraction(json!({"amount": 1.5}), bad("/amount", "int_from_float"))]
#[case::amount_string(json!({"amount": "100"}), bad("/amount", "int_type"))]
#[case::currency(json!({"currency": "USD"}), OK)]
#[case::currency_lowercase(json!({"currency": "usd"}), bad("/currency", "string_pattern_mismatch"))]
#[case::currency_two_letters(json!({"currency": "US"}), bad("/currency", "string_pattern_mismatch"))]
#[case::payment_service_id(json!({"payment_service_id": "4137b1cf-39ac-42a8-bad6-1c680d5dab6b"}), OK)]
#[case::payment_service_id_not_uuid(json!({"payment_service_id": "stripe"}), bad("/payment_service_id", "uuid_parsing"))]
#[case::expires_in_min(json!({"expires_in": 3600}), OK)]
#[case::expires_in_max(json!({"expires_in": 86400}), OK)]
#[case::expires_in_fraction(json!({"expires_in": 3600.5}), OK)]
#[case::expires_in_below(json!({"expires_in": 3599}), bad("/expires_in", "greater_than_equal"))]
#[case::expires_in_above(json!({"expires_in": 86401}), bad("/expires_in", "less_than_equal"))]
#[case::expires_in_null(json!({"expires_in": null}), bad("/expires_in", "float_type"))]
#[case::expires_in_string(json!({"expires_in": "3600"}), bad("/expires_in", "float_type"))]
#[case::country(json!({"country": "US"}), OK)]
#[case::country_three_letters(json!({"country": "USA"}), bad("/country", "string_pattern_mismatch"))]
#[case::is_subsequent_payment(json!({"is_subsequent_payment": true}), OK)]
#[case::is_subsequent_payment_string(json!({"is_subsequent_payment": "true"}), bad("/is_subsequent_payment", "bool_type"))]
#[case::merchant_initiated(json!({"merchant_initiated": false}), OK)]
#[case::merchant_initiated_number(json!({"merchant_initiated": 1}), bad("/merchant_initiated", "bool_type"))]
#[case::payment_source(json!({"payment_source": "card_on_file"}), OK)]
#[case::payment_source_unknown(json!({"payment_source": "web"}), bad("/payment_source", "enum"))]
#[case::intent(json!({"intent": "capture"}), OK)]
#[case::intent_unknown(json!({"intent": "sale"}), bad("/intent", "enum"))]
#[case::unknown_field(json!({"foo": "bar"}), bad("/foo", "extra_forbidden"))]
#[case::unknown_field_null(json!({"foo": null}), bad("/foo", "extra_forbidden"))]
#[case::unknown_field_with_valid(json!({"metadata": {"a": "1"}, "line_items": []}), bad("/line_items", "extra_forbidden"))]
#[case::stripe_style_metadata(json!({"metadata[a]": "1"}), bad("/metadata[a]", "extra_forbidden"))]
#[tokio::test]
async fn top_level(#[case] body: Value, #[case] expected: Expected) {
    check(body, expected).await;
}

// ---------------------------------------------------------------------------------------------
// CartItem
// ---------------------------------------------------------------------------------------------

#[rstest]
#[case::doc_item(json!({"cart_items": [doc_cart_item()]}), OK)]
#[case::minimal(item(json!({})), OK)]
#[case::every_field(item(json!({"discount_amount": 10, "tax_amount": 20, "external_identifier": "goprohd", "sku": "GPHD1078", "upc": "012345678905", "product_url": "https://example.com/catalog/go-pro-hd", "image_url": "https://example.com/images/go-pro-hd.jpg", "categories": ["camera", "travel", "gear"], "product_type": "physical", "seller_country": "US", "tax_exempt": false, "unit_of_measure": "kg", "commodity_code": "43211503", "description": "A brief description.", "duty_amount": 1299, "shipping_amount": 1299})), OK)]
#[case::every_optional_null(item(json!({})).tap(|v| { for k in ["discount_amount", "tax_amount", "external_identifier", "sku", "upc", "product_url", "image_url", "categories", "product_type", "seller_country", "tax_exempt", "unit_of_measure", "commodity_code", "description", "duty_amount", "shipping_amount"] { v["cart_items"][0][k] = Value::Null; } }), OK)]
// name: 1..=255 characters, required, not null
#[case::name_1(item(json!({"name": "x"})), OK)]
#[case::name_255(item(json!({"name": s(255)})), OK)]
#[case::name_255_multibyte(item(json!({"name": "é".repeat(255)})), OK)]
#[case::name_empty(item(json!({"name": ""})), bad("/cart_items/0/name", "string_too_short"))]
#[case::name_256(item(json!({"name": s(256)})), bad("/cart_items/0/name", "string_too_long"))]
#[case::name_256_multibyte(item(json!({"name": "é".repeat(256)})), bad("/cart_items/0/name", "string_too_long"))]
#[case::name_missing(json!({"cart_items": [{"quantity": 1, "unit_amount": 1}]}), bad("/cart_items/0/name", "missing"))]
#[case::name_null(json!({"cart_items": [{"name": null, "quantity": 1, "unit_amount": 1}]}), bad("/cart_items/0/name", "string_type"))]
#[case::name_number(item(json!({"name": 5})), bad("/cart_items/0/name", "string_type"))]
// quantity: integer, exclusiveMinimum 0, maximum 99999999
#[case::quantity_1(item(json!({"quantity": 1})), OK)]
#[case::quantity_max(item(json!({"quantity": AMOUNT_MAX})), OK)]
#[case::quantity_integral_float(item(json!({"quantity": 2.0})), OK)]
#[case::quantity_0(item(json!({"quantity": 0})), bad("/cart_items/0/quantity", "greater_than"))]
#[case::quantity_negative(item(json!({"quantity": -1})), bad("/cart_items/0/quantity", "greater_than"))]
#[case::quantity_over_max(item(json!({"quantity": AMOUNT_MAX + 1})), bad("/cart_items/0/quantity", "less_than_equal"))]
#[case::quantity_huge(item(json!({"quantity": 1e30})), bad("/cart_items/0/quantity", "less_than_equal"))]
#[case::quantity_u64_max(item(json!({"quantity": u64::MAX})), bad("/cart_items/0/quantity", "less_than_equal"))]
#[case::quantity_fraction(item(json!({"quantity": 1.5})), bad("/cart_items/0/quantity", "int_from_float"))]
#[case::quantity_string(item(json!({"quantity": "2"})), bad("/cart_items/0/quantity", "int_type"))]
#[case::quantity_bool(item(json!({"quantity": true})), bad("/cart_items/0/quantity", "int_type"))]
#[case::quantity_missing(json!({"cart_items": [{"name": "x", "unit_amount": 1}]}), bad("/cart_items/0/quantity", "missing"))]
#[case::quantity_null(item(json!({})).tap(|v| v["cart_items"][0]["quantity"] = Value::Null), bad("/cart_items/0/quantity", "int_type"))]
// unit_amount: integer 0..=99999999
#[case::unit_amount_0(item(json!({"unit_amount": 0})), OK)]
#[case::unit_amount_max(item(json!({"unit_amount": AMOUNT_MAX})), OK)]
#[case::unit_amount_negative(item(json!({"unit_amount": -1})), bad("/cart_items/0/unit_amount", "greater_than_equal"))]
#[case::unit_amount_over_max(item(json!({"unit_amount": AMOUNT_MAX + 1})), bad("/cart_items/0/unit_amount", "less_than_equal"))]
#[case::unit_amount_string(item(json!({"unit_amount": "1299"})), bad("/cart_items/0/unit_amount", "int_type"))]
#[case::unit_amount_missing(json!({"cart_items": [{"name": "x", "quantity": 1}]}), bad("/cart_items/0/unit_amount", "missing"))]
// the other amounts: integer 0..=99999999 or null
#[case::discount_amount_max(item(json!({"discount_amount": AMOUNT_MAX})), OK)]
#[case::discount_amount_negative(item(json!({"discount_amount": -1})), bad("/cart_items/0/discount_amount", "greater_than_equal"))]
#[case::discount_amount_over_max(item(json!({"discount_amount": AMOUNT_MAX + 1})), bad("/cart_items/0/discount_amount", "less_than_equal"))]
#[case::tax_amount_0(item(json!({"tax_amount": 0})), OK)]
#[case::tax_amount_negative(item(json!({"tax_amount": -5})), bad("/cart_items/0/tax_amount", "greater_than_equal"))]
#[case::tax_amount_string(item(json!({"tax_amount": "0"})), bad("/cart_items/0/tax_amount", "int_type"))]
#[case::duty_amount_over_max(item(json!({"duty_amount": AMOUNT_MAX + 1})), bad("/cart_items/0/duty_amount", "less_than_equal"))]
#[case::shipping_amount_negative(item(json!({"shipping_amount": -1})), bad("/cart_items/0/shipping_amount", "greater_than_equal"))]
// strings with lengths
#[case::external_identifier_200(item(json!({"external_identifier": s(200)})), OK)]
#[case::external_identifier_201(item(json!({"external_identifier": s(201)})), bad("/cart_items/0/external_identifier", "string_too_long"))]
#[case::external_identifier_empty(item(json!({"external_identifier": ""})), bad("/cart_items/0/external_identifier", "string_too_short"))]
#[case::sku_200(item(json!({"sku": s(200)})), OK)]
#[case::sku_201(item(json!({"sku": s(201)})), bad("/cart_items/0/sku", "string_too_long"))]
#[case::sku_empty(item(json!({"sku": ""})), bad("/cart_items/0/sku", "string_too_short"))]
#[case::upc_50(item(json!({"upc": s(50)})), OK)]
#[case::upc_51(item(json!({"upc": s(51)})), bad("/cart_items/0/upc", "string_too_long"))]
#[case::unit_of_measure_51(item(json!({"unit_of_measure": s(51)})), bad("/cart_items/0/unit_of_measure", "string_too_long"))]
#[case::commodity_code_empty(item(json!({"commodity_code": ""})), bad("/cart_items/0/commodity_code", "string_too_short"))]
#[case::description_255(item(json!({"description": s(255)})), OK)]
#[case::description_256(item(json!({"description": s(256)})), bad("/cart_items/0/description", "string_too_long"))]
// URLs: any string (the current spec has no format or length on them)
#[case::product_url_long(item(json!({"product_url": format!("https://example.com/{}", s(5000))})), OK)]
#[case::product_url_not_a_url(item(json!({"product_url": "not a url"})), OK)]
#[case::image_url_empty(item(json!({"image_url": ""})), OK)]
#[case::image_url_number(item(json!({"image_url": 5})), bad("/cart_items/0/image_url", "string_type"))]
// categories: strings of 1..=50 characters, no limit on their number
#[case::categories_50_chars(item(json!({"categories": [s(50)]})), OK)]
#[case::categories_many(item(json!({"categories": (0..500).map(|i| format!("c{i}")).collect::<Vec<_>>()})), OK)]
#[case::categories_empty_list(item(json!({"categories": []})), OK)]
#[case::category_51_chars(item(json!({"categories": ["ok", s(51)]})), bad("/cart_items/0/categories/1", "string_too_long"))]
#[case::category_empty(item(json!({"categories": [""]})), bad("/cart_items/0/categories/0", "string_too_short"))]
#[case::category_number(item(json!({"categories": [1]})), bad("/cart_items/0/categories/0", "string_type"))]
#[case::categories_string(item(json!({"categories": "camera"})), bad("/cart_items/0/categories", "list_type"))]
// product_type: the ProductType enum
#[case::product_type_physical(item(json!({"product_type": "physical"})), OK)]
#[case::product_type_discount(item(json!({"product_type": "discount"})), OK)]
#[case::product_type_shipping_fee(item(json!({"product_type": "shipping_fee"})), OK)]
#[case::product_type_sales_tax(item(json!({"product_type": "sales_tax"})), OK)]
#[case::product_type_digital(item(json!({"product_type": "digital"})), OK)]
#[case::product_type_gift_card(item(json!({"product_type": "gift_card"})), OK)]
#[case::product_type_store_credit(item(json!({"product_type": "store_credit"})), OK)]
#[case::product_type_surcharge(item(json!({"product_type": "surcharge"})), OK)]
#[case::product_type_unknown(item(json!({"product_type": "service"})), bad("/cart_items/0/product_type", "enum"))]
#[case::product_type_case(item(json!({"product_type": "Physical"})), bad("/cart_items/0/product_type", "enum"))]
// seller_country: ^[A-Z]{2}$
#[case::seller_country(item(json!({"seller_country": "GB"})), OK)]
#[case::seller_country_lowercase(item(json!({"seller_country": "gb"})), bad("/cart_items/0/seller_country", "string_pattern_mismatch"))]
#[case::seller_country_three(item(json!({"seller_country": "GBR"})), bad("/cart_items/0/seller_country", "string_pattern_mismatch"))]
#[case::tax_exempt_string(item(json!({"tax_exempt": "no"})), bad("/cart_items/0/tax_exempt", "bool_type"))]
// additionalProperties: false; every item is checked
#[case::unknown_field(item(json!({"foo": 1})), bad("/cart_items/0/foo", "extra_forbidden"))]
#[case::stripe_field(item(json!({"price": "price_123"})), bad("/cart_items/0/price", "extra_forbidden"))]
#[case::second_item(json!({"cart_items": [cart_item(json!({})), cart_item(json!({"name": ""}))]}), bad("/cart_items/1/name", "string_too_short"))]
#[tokio::test]
async fn cart_item_rules(#[case] body: Value, #[case] expected: Expected) {
    check(body, expected).await;
}

// ---------------------------------------------------------------------------------------------
// Airline addendum, legs and passengers
// ---------------------------------------------------------------------------------------------

fn legs(n: usize) -> Value {
    json!({"airline": {"legs": vec![doc_leg(); n]}})
}

fn passengers(n: usize) -> Value {
    json!({"airline": {"passengers": vec![doc_passenger(); n]}})
}

#[rstest]
#[case::legs_20(legs(20), OK)]
#[case::legs_21(legs(21), bad("/airline/legs", "too_long"))]
#[case::legs_empty(legs(0), OK)]
#[case::legs_null(airline(json!({"legs": null})), OK)]
#[case::legs_object(airline(json!({"legs": doc_leg()})), bad("/airline/legs", "list_type"))]
#[case::passengers_20(passengers(20), OK)]
#[case::passengers_21(passengers(21), bad("/airline/passengers", "too_long"))]
#[case::passengers_null(airline(json!({"passengers": null})), OK)]
#[case::passengers_string(airline(json!({"passengers": "John"})), bad("/airline/passengers", "list_type"))]
// strings with lengths
#[case::booking_code_50(airline(json!({"booking_code": s(50)})), OK)]
#[case::booking_code_51(airline(json!({"booking_code": s(51)})), bad("/airline/booking_code", "string_too_long"))]
#[case::booking_code_empty(airline(json!({"booking_code": ""})), bad("/airline/booking_code", "string_too_short"))]
#[case::passenger_name_record_51(airline(json!({"passenger_name_record": s(51)})), bad("/airline/passenger_name_record", "string_too_long"))]
#[case::ticket_number_51(airline(json!({"ticket_number": s(51)})), bad("/airline/ticket_number", "string_too_long"))]
#[case::issued_address_255(airline(json!({"issued_address": s(255)})), OK)]
#[case::issued_address_256(airline(json!({"issued_address": s(256)})), bad("/airline/issued_address", "string_too_long"))]
#[case::travel_agency_code_51(airline(json!({"travel_agency_code": s(51)})), bad("/airline/travel_agency_code", "string_too_long"))]
#[case::travel_agency_name_200(airline(json!({"travel_agency_name": s(200)})), OK)]
#[case::travel_agency_name_201(airline(json!({"travel_agency_name": s(201)})), bad("/airline/travel_agency_name", "string_too_long"))]
#[case::travel_agency_invoice_number_51(airline(json!({"travel_agency_invoice_number": s(51)})), bad("/airline/travel_agency_invoice_number", "string_too_long"))]
#[case::travel_agency_plan_name_201(airline(json!({"travel_agency_plan_name": s(201)})), bad("/airline/travel_agency_plan_name", "string_too_long"))]
#[case::issuing_carrier_code_2(airline(json!({"issuing_carrier_code": "A3"})), OK)]
#[case::issuing_carrier_code_3(airline(json!({"issuing_carrier_code": "A3X"})), OK)]
#[case::issuing_carrier_code_1(airline(json!({"issuing_carrier_code": "A"})), bad("/airline/issuing_carrier_code", "string_too_short"))]
#[case::issuing_carrier_code_4(airline(json!({"issuing_carrier_code": "A3XY"})), bad("/airline/issuing_carrier_code", "string_too_long"))]
#[case::issuing_carrier_name_long(airline(json!({"issuing_carrier_name": s(1000)})), OK)]
#[case::issuing_carrier_name_empty(airline(json!({"issuing_carrier_name": ""})), bad("/airline/issuing_carrier_name", "string_too_short"))]
#[case::issuing_iata_designator_1(airline(json!({"issuing_iata_designator": "A"})), bad("/airline/issuing_iata_designator", "string_too_short"))]
#[case::issuing_iata_designator_3(airline(json!({"issuing_iata_designator": "A3X"})), bad("/airline/issuing_iata_designator", "string_too_long"))]
#[case::issuing_icao_code_2(airline(json!({"issuing_icao_code": "AE"})), bad("/airline/issuing_icao_code", "string_too_short"))]
#[case::issuing_icao_code_4(airline(json!({"issuing_icao_code": "AEEE"})), bad("/airline/issuing_icao_code", "string_too_long"))]
#[case::reservation_system_201(airline(json!({"reservation_system": s(201)})), bad("/airline/reservation_system", "string_too_long"))]
// date-time, enum, booleans
#[case::issued_at_z(airline(json!({"issued_at": "2013-07-16T19:23:00Z"})), OK)]
#[case::issued_at_offset(airline(json!({"issued_at": "2013-07-16T19:23:00.000-05:00"})), OK)]
#[case::issued_at_date(airline(json!({"issued_at": "2013-07-16"})), bad("/airline/issued_at", "datetime_parsing"))]
#[case::issued_at_no_offset(airline(json!({"issued_at": "2013-07-16T19:23:00"})), bad("/airline/issued_at", "datetime_parsing"))]
#[case::issued_at_bad_month(airline(json!({"issued_at": "2013-13-16T19:23:00Z"})), bad("/airline/issued_at", "datetime_parsing"))]
// A leap second is the last second of a UTC day (RFC 3339 5.7, as JSON Schema's `date-time`).
#[case::issued_at_leap_second(airline(json!({"issued_at": "1998-12-31T23:59:60Z"})), OK)]
#[case::issued_at_leap_second_offset(airline(json!({"issued_at": "1998-12-31T15:59:60-08:00"})), OK)]
#[case::issued_at_leap_second_midday(airline(json!({"issued_at": "2013-07-16T19:23:60Z"})), bad("/airline/issued_at", "datetime_parsing"))]
#[case::issued_at_number(airline(json!({"issued_at": 1_373_999_000})), bad("/airline/issued_at", "string_type"))]
#[case::ticket_delivery_method_electronic(airline(json!({"ticket_delivery_method": "electronic"})), OK)]
#[case::ticket_delivery_method_other(airline(json!({"ticket_delivery_method": "other"})), OK)]
#[case::ticket_delivery_method_unknown(airline(json!({"ticket_delivery_method": "paper"})), bad("/airline/ticket_delivery_method", "enum"))]
#[case::restricted_ticket_string(airline(json!({"restricted_ticket": "no"})), bad("/airline/restricted_ticket", "bool_type"))]
#[case::is_cardholder_traveling_number(airline(json!({"is_cardholder_traveling": 0})), bad("/airline/is_cardholder_traveling", "bool_type"))]
#[case::airline_unknown(airline(json!({"pnr": "X"})), bad("/airline/pnr", "extra_forbidden"))]
// legs
#[case::leg_doc(leg(json!({})), OK)]
#[case::leg_empty(airline(json!({"legs": [{}]})), OK)]
#[case::leg_arrival_airport_2(leg(json!({"arrival_airport": "LH"})), bad("/airline/legs/0/arrival_airport", "string_too_short"))]
#[case::leg_arrival_airport_4(leg(json!({"arrival_airport": "LHRX"})), bad("/airline/legs/0/arrival_airport", "string_too_long"))]
#[case::leg_departure_airport_4(leg(json!({"departure_airport": "LHRX"})), bad("/airline/legs/0/departure_airport", "string_too_long"))]
#[case::leg_arrival_city_100(leg(json!({"arrival_city": s(100)})), OK)]
#[case::leg_arrival_city_101(leg(json!({"arrival_city": s(101)})), bad("/airline/legs/0/arrival_city", "string_too_long"))]
#[case::leg_departure_city_empty(leg(json!({"departure_city": ""})), bad("/airline/legs/0/departure_city", "string_too_short"))]
#[case::leg_carrier_code_1(leg(json!({"carrier_code": "L"})), bad("/airline/legs/0/carrier_code", "string_too_short"))]
#[case::leg_carrier_code_4(leg(json!({"carrier_code": "LYXX"})), bad("/airline/legs/0/carrier_code", "string_too_long"))]
#[case::leg_carrier_name_empty(leg(json!({"carrier_name": ""})), bad("/airline/legs/0/carrier_name", "string_too_short"))]
#[case::leg_iata_designator_3(leg(json!({"iata_designator": "LYX"})), bad("/airline/legs/0/iata_designator", "string_too_long"))]
#[case::leg_icao_code_2(leg(json!({"icao_code": "EL"})), bad("/airline/legs/0/icao_code", "string_too_short"))]
#[case::leg_coupon_number_51(leg(json!({"coupon_number": s(51)})), bad("/airline/legs/0/coupon_number", "string_too_long"))]
#[case::leg_fare_basis_code_8(leg(json!({"fare_basis_code": s(8)})), OK)]
#[case::leg_fare_basis_code_9(leg(json!({"fare_basis_code": s(9)})), bad("/airline/legs/0/fare_basis_code", "string_too_long"))]
#[case::leg_flight_class_5(leg(json!({"flight_class": s(5)})), OK)]
#[case::leg_flight_class_6(leg(json!({"flight_class": s(6)})), bad("/airline/legs/0/flight_class", "string_too_long"))]
#[case::leg_seat_class_6(leg(json!({"seat_class": s(6)})), bad("/airline/legs/0/seat_class", "string_too_long"))]
#[case::leg_flight_number_3(leg(json!({"flight_number": "BA9"})), OK)]
#[case::leg_flight_number_6(leg(json!({"flight_number": "BA9876"})), OK)]
#[case::leg_flight_number_2(leg(json!({"flight_number": "BA"})), bad("/airline/legs/0/flight_number", "string_too_short"))]
#[case::leg_flight_number_7(leg(json!({"flight_number": "BA98765"})), bad("/airline/legs/0/flight_number", "string_too_long"))]
#[case::leg_departure_at_no_offset(leg(json!({"departure_at": "2013-07-16T19:23:00"})), bad("/airline/legs/0/departure_at", "datetime_parsing"))]
#[case::leg_arrival_at_feb_30(leg(json!({"arrival_at": "2013-02-30T19:23:00Z"})), bad("/airline/legs/0/arrival_at", "datetime_parsing"))]
#[case::leg_arrival_country_lowercase(leg(json!({"arrival_country": "uk"})), bad("/airline/legs/0/arrival_country", "string_pattern_mismatch"))]
#[case::leg_departure_country_three(leg(json!({"departure_country": "GBR"})), bad("/airline/legs/0/departure_country", "string_pattern_mismatch"))]
#[case::leg_route_type_one_way(leg(json!({"route_type": "one_way"})), OK)]
#[case::leg_route_type_unknown(leg(json!({"route_type": "return"})), bad("/airline/legs/0/route_type", "enum"))]
#[case::leg_stop_over_string(leg(json!({"stop_over": "yes"})), bad("/airline/legs/0/stop_over", "bool_type"))]
#[case::leg_fare_amount_0(leg(json!({"fare_amount": 0})), OK)]
#[case::leg_fare_amount_max(leg(json!({"fare_amount": AMOUNT_MAX})), OK)]
#[case::leg_fare_amount_negative(leg(json!({"fare_amount": -1})), bad("/airline/legs/0/fare_amount", "greater_than_equal"))]
#[case::leg_fee_amount_over_max(leg(json!({"fee_amount": AMOUNT_MAX + 1})), bad("/airline/legs/0/fee_amount", "less_than_equal"))]
#[case::leg_tax_amount_negative(leg(json!({"tax_amount": -1})), bad("/airline/legs/0/tax_amount", "greater_than_equal"))]
#[case::leg_departure_tax_amount_over_max(leg(json!({"departure_tax_amount": AMOUNT_MAX + 1})), bad("/airline/legs/0/departure_tax_amount", "less_than_equal"))]
#[case::leg_fare_amount_string(leg(json!({"fare_amount": "100"})), bad("/airline/legs/0/fare_amount", "int_type"))]
#[case::leg_unknown(leg(json!({"gate": "A1"})), bad("/airline/legs/0/gate", "extra_forbidden"))]
#[case::leg_not_object(airline(json!({"legs": ["BA98"]})), bad("/airline/legs/0", "model_attributes_type"))]
// passengers
#[case::passenger_doc(passenger(json!({})), OK)]
#[case::passenger_country_code(passenger(json!({"country_code": "GB"})), OK)]
#[case::passenger_country_code_lowercase(passenger(json!({"country_code": "gb"})), bad("/airline/passengers/0/country_code", "string_pattern_mismatch"))]
#[case::passenger_age_group_infant(passenger(json!({"age_group": "infant"})), OK)]
#[case::passenger_age_group_unknown(passenger(json!({"age_group": "child"})), bad("/airline/passengers/0/age_group", "enum"))]
#[case::passenger_date_of_birth_datetime(passenger(json!({"date_of_birth": "2013-07-16T00:00:00Z"})), bad("/airline/passengers/0/date_of_birth", "date_parsing"))]
#[case::passenger_date_of_birth_feb_29_leap(passenger(json!({"date_of_birth": "2012-02-29"})), OK)]
#[case::passenger_date_of_birth_feb_29(passenger(json!({"date_of_birth": "2013-02-29"})), bad("/airline/passengers/0/date_of_birth", "date_parsing"))]
#[case::passenger_date_of_birth_slashes(passenger(json!({"date_of_birth": "16/07/2013"})), bad("/airline/passengers/0/date_of_birth", "date_parsing"))]
#[case::passenger_email_320(passenger(json!({"email_address": s(320)})), OK)]
#[case::passenger_email_321(passenger(json!({"email_address": s(321)})), bad("/airline/passengers/0/email_address", "string_too_long"))]
#[case::passenger_first_name_256(passenger(json!({"first_name": s(256)})), bad("/airline/passengers/0/first_name", "string_too_long"))]
#[case::passenger_last_name_empty(passenger(json!({"last_name": ""})), bad("/airline/passengers/0/last_name", "string_too_short"))]
#[case::passenger_frequent_flyer_5(passenger(json!({"frequent_flyer_number": "12345"})), OK)]
#[case::passenger_frequent_flyer_4(passenger(json!({"frequent_flyer_number": "1234"})), bad("/airline/passengers/0/frequent_flyer_number", "string_too_short"))]
#[case::passenger_frequent_flyer_51(passenger(json!({"frequent_flyer_number": s(51)})), bad("/airline/passengers/0/frequent_flyer_number", "string_too_long"))]
#[case::passenger_passport_51(passenger(json!({"passport_number": s(51)})), bad("/airline/passengers/0/passport_number", "string_too_long"))]
#[case::passenger_ticket_number_51(passenger(json!({"ticket_number": s(51)})), bad("/airline/passengers/0/ticket_number", "string_too_long"))]
#[case::passenger_title_51(passenger(json!({"title": s(51)})), bad("/airline/passengers/0/title", "string_too_long"))]
#[case::passenger_phone_15_digits(passenger(json!({"phone_number": "+123456789012345"})), OK)]
#[case::passenger_phone_no_plus(passenger(json!({"phone_number": "1234567890"})), bad("/airline/passengers/0/phone_number", "string_pattern_mismatch"))]
#[case::passenger_phone_16_digits(passenger(json!({"phone_number": "+1234567890123456"})), bad("/airline/passengers/0/phone_number", "string_pattern_mismatch"))]
#[case::passenger_phone_leading_zero(passenger(json!({"phone_number": "+0123456"})), bad("/airline/passengers/0/phone_number", "string_pattern_mismatch"))]
#[case::passenger_unknown(passenger(json!({"nationality": "GB"})), bad("/airline/passengers/0/nationality", "extra_forbidden"))]
#[tokio::test]
async fn airline_rules(#[case] body: Value, #[case] expected: Expected) {
    check(body, expected).await;
}

// ---------------------------------------------------------------------------------------------
// GuestBuyer, BillingDetails, ShippingDetailsCreate, Address, TaxId
// ---------------------------------------------------------------------------------------------

#[rstest]
#[case::full(buyer(json!({})), OK)]
#[case::display_name_200(buyer(json!({"display_name": s(200)})), OK)]
#[case::display_name_201(buyer(json!({"display_name": s(201)})), bad("/buyer/display_name", "string_too_long"))]
#[case::external_identifier_empty(buyer(json!({"external_identifier": ""})), bad("/buyer/external_identifier", "string_too_short"))]
#[case::account_number_201(buyer(json!({"account_number": s(201)})), bad("/buyer/account_number", "string_too_long"))]
#[case::billing_first_name_256(buyer(json!({"billing_details": {"first_name": s(256)}})), bad("/buyer/billing_details/first_name", "string_too_long"))]
#[case::billing_email_321(buyer(json!({"billing_details": {"email_address": s(321)}})), bad("/buyer/billing_details/email_address", "string_too_long"))]
#[case::billing_phone_pattern(buyer(json!({"billing_details": {"phone_number": "555-1234"}})), bad("/buyer/billing_details/phone_number", "string_pattern_mismatch"))]
#[case::address_country_lowercase(buyer(json!({"billing_details": {"address": {"country": "us"}}})), bad("/buyer/billing_details/address/country", "string_pattern_mismatch"))]
#[case::address_state_code(buyer(json!({"billing_details": {"address": {"state_code": "GB-LND"}}})), OK)]
#[case::address_state_code_pattern(buyer(json!({"billing_details": {"address": {"state_code": "CA"}}})), bad("/buyer/billing_details/address/state_code", "string_pattern_mismatch"))]
#[case::address_city_101(buyer(json!({"billing_details": {"address": {"city": s(101)}}})), bad("/buyer/billing_details/address/city", "string_too_long"))]
#[case::address_postal_code_51(buyer(json!({"billing_details": {"address": {"postal_code": s(51)}}})), bad("/buyer/billing_details/address/postal_code", "string_too_long"))]
#[case::address_line1_256(buyer(json!({"shipping_details": {"address": {"line1": s(256)}}})), bad("/buyer/shipping_details/address/line1", "string_too_long"))]
#[case::address_unknown(buyer(json!({"billing_details": {"address": {"street": "x"}}})), bad("/buyer/billing_details/address/street", "extra_forbidden"))]
#[case::shipping_phone_pattern(buyer(json!({"shipping_details": {"phone_number": "+1"}})), bad("/buyer/shipping_details/phone_number", "string_pattern_mismatch"))]
#[case::shipping_unknown(buyer(json!({"shipping_details": {"method": "ground"}})), bad("/buyer/shipping_details/method", "extra_forbidden"))]
#[case::tax_id_kind(buyer(json!({"billing_details": {"tax_id": {"kind": "eu.vat"}}})), OK)]
#[case::tax_id_kind_unknown(buyer(json!({"billing_details": {"tax_id": {"kind": "xx.tin"}}})), bad("/buyer/billing_details/tax_id/kind", "enum"))]
#[case::tax_id_value_51(buyer(json!({"billing_details": {"tax_id": {"value": s(51)}}})), bad("/buyer/billing_details/tax_id/value", "string_too_long"))]
#[case::tax_id_without_kind(json!({"buyer": {"billing_details": {"tax_id": {"value": "123"}}}}), bad("/buyer/billing_details/tax_id/kind", "missing"))]
#[case::tax_id_without_value(json!({"buyer": {"billing_details": {"tax_id": {"kind": "us.ein"}}}}), bad("/buyer/billing_details/tax_id/value", "missing"))]
#[case::tax_id_value_null(buyer(json!({})).tap(|v| v["buyer"]["billing_details"]["tax_id"]["value"] = Value::Null), bad("/buyer/billing_details/tax_id/value", "string_type"))]
#[case::buyer_unknown(buyer(json!({"email": "john@example.com"})), bad("/buyer/email", "extra_forbidden"))]
#[case::buyer_id(buyer(json!({"id": "b1"})), bad("/buyer/id", "extra_forbidden"))]
#[tokio::test]
async fn buyer_rules(#[case] body: Value, #[case] expected: Expected) {
    check(body, expected).await;
}

/// `Value::tap`: edit a built value in place (for `null`s that `merge` would read as "remove").
trait Tap {
    fn tap(self, f: impl FnOnce(&mut Value)) -> Value;
}

impl Tap for Value {
    fn tap(mut self, f: impl FnOnce(&mut Value)) -> Value {
        f(&mut self);
        self
    }
}

// ---------------------------------------------------------------------------------------------
// Semantics of an update
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_new_session_is_typed_and_expires_in_an_hour() {
    let g = shared();
    let before = now();
    let session = g.create(json!({})).await;
    assert_eq!(session["type"], "checkout-session");
    Reply {
        status: 201,
        body: session.clone(),
        content_type: None,
    }
    .assert_conforms();
    let id = session["id"].as_str().expect("id");
    assert!(
        checkout_conformance::vendor::gr4vy::mock::formats::is_uuid(id),
        "{id}"
    );
    assert_eq!(&id[14..15], "4", "a UUID v4: {id}");
    let expires_at = session["expires_at"].as_str().expect("expires_at");
    assert!(
        checkout_conformance::vendor::gr4vy::mock::formats::is_datetime(expires_at),
        "{expires_at}"
    );
    assert!(expires_at.ends_with("+00:00"), "{expires_at}");
    let expected = [before + 3600, before + 3601]
        .map(checkout_conformance::vendor::gr4vy::mock::formats::rfc3339);
    assert!(
        expected.iter().any(|e| e == expires_at),
        "{expires_at} not {expected:?}"
    );
    for key in [
        "cart_items",
        "metadata",
        "buyer",
        "airline",
        "payment_method",
    ] {
        assert_eq!(session[key], Value::Null, "{key}");
    }
    let other = g.create(json!({})).await;
    assert_ne!(other["id"], session["id"]);
}

#[tokio::test]
async fn create_takes_the_update_body_and_validates_it() {
    let g = shared();
    let session = g
        .create(json!({"cart_items": [doc_cart_item()], "metadata": {"a": "1"}}))
        .await;
    assert_eq!(session["metadata"], json!({"a": "1"}));
    assert_eq!(session["cart_items"][0]["name"], "GoPro HERO9 Camcorder");
    let rejected = g
        .send(
            Method::POST,
            "/checkout/sessions",
            Some(&item(json!({"quantity": 0}))),
        )
        .await;
    rejected.rejects("/cart_items/0/quantity", Some("greater_than"));
    let no_body = g
        .request(
            Method::POST,
            "/checkout/sessions",
            Some(&format!("Bearer {}", g.token)),
            &[],
            None,
        )
        .await
        .expect(201);
    assert_eq!(no_body.body["type"], "checkout-session");
}

#[tokio::test]
async fn cart_items_replace_the_whole_array_and_null_clears_them() {
    let g = shared();
    let id = g.new_session().await;
    let a = cart_item(json!({"name": "A"}));
    let b = cart_item(json!({"name": "B"}));
    let c = cart_item(json!({"name": "C", "quantity": 5}));
    let names = |v: &Value| -> Vec<String> {
        v["cart_items"]
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .map(|i| i["name"].as_str().unwrap_or("").to_owned())
                    .collect()
            })
            .unwrap_or_default()
    };
    let first = g.put(&id, json!({"cart_items": [a, b]})).await;
    assert_eq!(names(first.session()), ["A", "B"]);
    let second = g.put(&id, json!({"cart_items": [c]})).await;
    assert_eq!(names(second.session()), ["C"]);
    assert_eq!(second.body["cart_items"][0]["quantity"], 5);
    assert_eq!(names(g.get(&id).await.session()), ["C"]);
    // The spec's defaults are filled in.
    assert_eq!(second.body["cart_items"][0]["discount_amount"], 0);
    assert_eq!(second.body["cart_items"][0]["tax_amount"], 0);
    // Not sent: kept.
    let kept = g.put(&id, json!({"metadata": {"x": "1"}})).await;
    assert_eq!(names(kept.session()), ["C"]);
    // An empty array empties; null clears.
    assert_eq!(
        g.put(&id, json!({"cart_items": []})).await.session()["cart_items"],
        json!([])
    );
    g.put(&id, json!({"cart_items": [cart_item(json!({}))]}))
        .await
        .session();
    let cleared = g.put(&id, json!({"cart_items": null})).await;
    assert_eq!(cleared.session()["cart_items"], Value::Null);
    assert_eq!(g.get(&id).await.session()["cart_items"], Value::Null);
    assert_eq!(g.get(&id).await.session()["metadata"], json!({"x": "1"}));
}

#[tokio::test]
async fn metadata_replaces_the_stored_map_and_null_clears_it() {
    let g = shared();
    let id = g.new_session().await;
    let first = g.put(&id, json!({"metadata": {"a": "1", "b": "2"}})).await;
    assert_eq!(first.session()["metadata"], json!({"a": "1", "b": "2"}));
    let second = g.put(&id, json!({"metadata": {"c": "3"}})).await;
    assert_eq!(second.session()["metadata"], json!({"c": "3"}));
    g.put(&id, json!({"cart_items": [cart_item(json!({}))]}))
        .await
        .session();
    assert_eq!(g.get(&id).await.session()["metadata"], json!({"c": "3"}));
    assert_eq!(
        g.put(&id, json!({"metadata": {}})).await.session()["metadata"],
        json!({})
    );
    g.put(&id, json!({"metadata": {"d": "4"}})).await.session();
    assert_eq!(
        g.put(&id, json!({"metadata": null})).await.session()["metadata"],
        Value::Null
    );
}

#[tokio::test]
async fn airline_and_buyer_are_stored_and_replaced() {
    let g = shared();
    let id = g.new_session().await;
    let mut sent = doc_airline();
    sent.as_object_mut()
        .expect("object")
        .remove("ticket_delivery_method");
    let stored = g
        .put(&id, json!({"airline": sent, "buyer": full_buyer()}))
        .await;
    stored.assert_conforms();
    assert!(contains(&stored.session()["airline"], &sent));
    // The spec's default for ticket_delivery_method.
    assert_eq!(
        stored.body["airline"]["ticket_delivery_method"],
        "electronic"
    );
    assert!(contains(&stored.body["buyer"], &full_buyer()));
    let replaced = g
        .put(&id, json!({"airline": {"booking_code": "NEW"}}))
        .await;
    assert_eq!(
        replaced.session()["airline"],
        json!({"booking_code": "NEW", "ticket_delivery_method": "electronic"})
    );
    assert!(
        contains(&replaced.body["buyer"], &full_buyer()),
        "buyer kept"
    );
    let cleared = g.put(&id, json!({"airline": null, "buyer": null})).await;
    assert_eq!(cleared.session()["airline"], Value::Null);
    assert_eq!(cleared.body["buyer"], Value::Null);
}

#[tokio::test]
async fn expires_in_moves_expires_at() {
    let g = shared();
    let id = g.new_session().await;
    let before = now();
    let reply = g.put(&id, json!({"expires_in": 7200})).await;
    let expires_at = reply.session()["expires_at"]
        .as_str()
        .expect("expires_at")
        .to_owned();
    let expected = [before + 7200, before + 7201]
        .map(checkout_conformance::vendor::gr4vy::mock::formats::rfc3339);
    assert!(
        expected.contains(&expires_at),
        "{expires_at} not {expected:?}"
    );
    assert!(
        reply.body.get("expires_in").is_none(),
        "not a CheckoutSession property"
    );
}

#[tokio::test]
async fn a_rejected_update_changes_nothing_and_names_every_failure() {
    let g = shared();
    let id = g.new_session().await;
    g.put(
        &id,
        json!({"metadata": {"a": "1"}, "cart_items": [cart_item(json!({}))]}),
    )
    .await
    .session();
    let before = g.get(&id).await.body;
    let reply = g
        .put(
            &id,
            json!({
                "metadata": {"b": "2"},
                "cart_items": [cart_item(json!({"name": ""})), cart_item(json!({"quantity": 0}))],
                "airline": {"legs": vec![doc_leg(); 21]},
                "foo": 1,
            }),
        )
        .await;
    reply.rejects("/cart_items/0/name", Some("string_too_short"));
    let mut pointers = reply.pointers();
    pointers.sort();
    assert_eq!(
        pointers,
        [
            "/airline/legs",
            "/cart_items/0/name",
            "/cart_items/1/quantity",
            "/foo"
        ],
        "{}",
        reply.body
    );
    for detail in reply.envelope().details {
        assert_eq!(
            detail.location,
            checkout_conformance::vendor::gr4vy::wire::ErrorLocation::Body
        );
        assert!(!detail.message.is_empty());
    }
    assert_eq!(
        g.get(&id).await.body,
        before,
        "the valid metadata was not applied either"
    );
}

#[tokio::test]
async fn details_are_capped() {
    let g = shared();
    let id = g.new_session().await;
    let items: Vec<Value> = (0..1000).map(|_| json!({})).collect();
    let reply = g.put(&id, json!({"cart_items": items})).await;
    reply.rejects("/cart_items/0/name", Some("missing"));
    assert_eq!(reply.envelope().details.len(), 100);
}

// ---------------------------------------------------------------------------------------------
// Ids, routes, merchant accounts
// ---------------------------------------------------------------------------------------------

#[rstest]
#[case::get(Method::GET)]
#[case::put(Method::PUT)]
#[case::delete(Method::DELETE)]
#[tokio::test]
async fn a_non_uuid_id_is_400_naming_the_path_parameter(#[case] method: Method) {
    let g = shared();
    for id in [
        "not-a-uuid",
        "cs_test_123",
        "8d3fe99b142242e6bbb3932d95ae5f79",
        "8d3fe99b-1422-42e6-bbb3-932d95ae5f7z",
        "%7B8d3fe99b-1422-42e6-bbb3-932d95ae5f79%7D",
    ] {
        let reply = g
            .send(
                method.clone(),
                &format!("/checkout/sessions/{id}"),
                Some(&json!({})),
            )
            .await;
        assert_eq!(reply.status, 400, "{id}: {}", reply.body);
        reply.assert_conforms();
        let envelope = reply.envelope();
        assert_eq!(envelope.code, "bad_request");
        let detail = &envelope.details[0];
        assert_eq!(
            detail.location,
            checkout_conformance::vendor::gr4vy::wire::ErrorLocation::Path
        );
        assert_eq!(detail.pointer, "checkout_session_id");
        assert_eq!(detail.kind, "uuid_parsing");
    }
}

#[rstest]
#[case::get(Method::GET)]
#[case::put(Method::PUT)]
#[case::delete(Method::DELETE)]
#[tokio::test]
async fn an_unknown_id_is_404(#[case] method: Method) {
    let g = shared();
    let reply = g
        .send(
            method,
            "/checkout/sessions/8724fd24-5489-4a5d-90fd-0604df7d3b83",
            Some(&json!({"metadata": {"a": "1"}})),
        )
        .await;
    assert_eq!(reply.status, 404, "{}", reply.body);
    reply.assert_conforms();
    let envelope = reply.envelope();
    assert_eq!(
        (envelope.code.as_str(), envelope.status),
        ("not_found", 404)
    );
    assert_eq!(reply.content_type.as_deref(), Some("application/json"));
}

#[tokio::test]
async fn an_invalid_body_to_an_unknown_id_is_400_first() {
    let g = shared();
    let reply = g
        .put("8724fd24-5489-4a5d-90fd-0604df7d3b83", json!({"foo": 1}))
        .await;
    reply.rejects("/foo", Some("extra_forbidden"));
}

#[tokio::test]
async fn ids_are_read_in_either_case() {
    let g = shared();
    let id = g.new_session().await;
    let upper = id.to_uppercase();
    let reply = g.put(&upper, json!({"metadata": {"a": "1"}})).await;
    assert_eq!(reply.session()["id"], id.as_str());
    assert_eq!(g.get(&upper).await.session()["metadata"], json!({"a": "1"}));
}

#[tokio::test]
async fn delete_then_get_is_404() {
    let g = shared();
    let id = g.new_session().await;
    let deleted = g.delete(&id).await.expect(204);
    assert_eq!(deleted.body, Value::Null, "204 has no body");
    g.get(&id).await.expect(404).envelope();
    g.put(&id, json!({"metadata": {"a": "1"}}))
        .await
        .expect(404);
    g.delete(&id).await.expect(404);
}

#[tokio::test]
async fn sessions_belong_to_their_merchant_account() {
    let g = shared();
    let auth = format!("Bearer {}", g.token);
    let created = g
        .request(
            Method::POST,
            "/checkout/sessions",
            Some(&auth),
            &[("x-gr4vy-merchant-account-id", "acme")],
            Some(b"{}".to_vec()),
        )
        .await
        .expect(201);
    let path = format!(
        "/checkout/sessions/{}",
        created.body["id"].as_str().expect("id")
    );
    g.request(
        Method::GET,
        &path,
        Some(&auth),
        &[("x-gr4vy-merchant-account-id", "acme")],
        None,
    )
    .await
    .expect(200);
    g.request(Method::GET, &path, Some(&auth), &[], None)
        .await
        .expect(404);
    g.request(
        Method::GET,
        &path,
        Some(&auth),
        &[("x-gr4vy-merchant-account-id", "other")],
        None,
    )
    .await
    .expect(404);
}

#[rstest]
#[case::list(Method::GET, "/checkout/sessions", 405, "method_not_allowed")]
#[case::put_collection(Method::PUT, "/checkout/sessions", 405, "method_not_allowed")]
#[case::patch(
    Method::PATCH,
    "/checkout/sessions/8724fd24-5489-4a5d-90fd-0604df7d3b83",
    405,
    "method_not_allowed"
)]
#[case::post_session(
    Method::POST,
    "/checkout/sessions/8724fd24-5489-4a5d-90fd-0604df7d3b83",
    405,
    "method_not_allowed"
)]
#[case::unknown(Method::GET, "/checkout/nothing", 404, "not_found")]
#[case::trailing_slash(Method::GET, "/checkout/sessions/", 404, "not_found")]
#[case::sub_resource(
    Method::GET,
    "/checkout/sessions/8724fd24-5489-4a5d-90fd-0604df7d3b83/acquirer",
    404,
    "not_found"
)]
#[case::bare(Method::GET, "/checkout/", 404, "not_found")]
#[tokio::test]
async fn routes_answer_in_the_envelope(
    #[case] method: Method,
    #[case] path: &str,
    #[case] status: u16,
    #[case] code: &str,
) {
    let g = shared();
    let reply = g.send(method, path, Some(&json!({}))).await.expect(status);
    reply.assert_conforms();
    let envelope = reply.envelope();
    assert_eq!((envelope.code.as_str(), envelope.status), (code, status));
}

#[tokio::test]
async fn one_port_serves_both_vendors() {
    let mock = Mock::start().await;
    let g = Gr4vy::of(&mock);
    let id = g.new_session().await;
    g.get(&id).await.session();
    // Stripe's half answers everything else, in Stripe's envelope.
    let stripe = mock.get("/v1/checkout/sessions/cs_test_nope").await;
    assert_eq!(stripe.status, 404);
    assert_eq!(stripe.code(), Some("resource_missing"));
    let custom = mock.custom_session().await;
    assert!(custom.starts_with("cs_test_"));
    // A Stripe key is no Gr4vy token.
    let reply = g
        .put_as(&id, Some(&format!("Bearer {}", common::KEY)), json!({}))
        .await
        .expect(401);
    assert_eq!(reply.envelope().code, "unauthorized");
}

// ---------------------------------------------------------------------------------------------
// Bearer tokens and scopes
// ---------------------------------------------------------------------------------------------

fn header() -> Value {
    json!({"alg": "ES512", "typ": "JWT"})
}

fn with_claims(edit: impl FnOnce(&mut Value)) -> String {
    let mut c = claims(&[READ, WRITE], 3600);
    edit(&mut c);
    jwt(&header(), &c, 132)
}

fn bearer(token: String) -> Option<String> {
    Some(format!("Bearer {token}"))
}

#[rstest]
#[case::valid(bearer(full_token()), 200)]
#[case::lowercase_scheme(Some(format!("bearer {}", full_token())), 200)]
#[case::wildcard_write(bearer(token(&["*.write"])), 200)]
#[case::no_nbf(bearer(with_claims(|c| { c.as_object_mut().unwrap().remove("nbf"); })), 200)]
#[case::missing(None, 401)]
#[case::empty(Some(String::new()), 401)]
#[case::bearer_only(Some("Bearer".into()), 401)]
#[case::bearer_space(Some("Bearer ".into()), 401)]
#[case::basic(Some(format!("Basic {}", full_token())), 401)]
#[case::stripe_key(Some("Bearer sk_test_4242".into()), 401)]
#[case::two_parts(bearer(full_token().rsplit_once('.').unwrap().0.to_owned()), 401)]
#[case::four_parts(bearer(format!("{}.e30", full_token())), 401)]
#[case::empty_parts(bearer("..".into()), 401)]
#[case::not_base64(bearer("a$b.c$d.e$f".into()), 401)]
#[case::padded(bearer(format!("{}=", full_token())), 401)]
#[case::header_not_json(bearer(format!("{}.{}.{}", b64(b"nope"), b64(claims(&[WRITE], 3600).to_string().as_bytes()), b64(&[0; 132]))), 401)]
#[case::alg_hs256(bearer(jwt(&json!({"alg": "HS256"}), &claims(&[WRITE], 3600), 32)), 401)]
#[case::alg_none(bearer(jwt(&json!({"alg": "none"}), &claims(&[WRITE], 3600), 0)), 401)]
#[case::alg_es256(bearer(jwt(&json!({"alg": "ES256"}), &claims(&[WRITE], 3600), 64)), 401)]
#[case::no_alg(bearer(jwt(&json!({"typ": "JWT"}), &claims(&[WRITE], 3600), 132)), 401)]
#[case::claims_array(bearer(jwt(&header(), &json!([WRITE]), 132)), 401)]
#[case::no_scopes(bearer(with_claims(|c| { c.as_object_mut().unwrap().remove("scopes"); })), 401)]
#[case::scopes_string(bearer(with_claims(|c| c["scopes"] = json!(WRITE))), 401)]
#[case::scopes_numbers(bearer(with_claims(|c| c["scopes"] = json!([1, 2]))), 401)]
#[case::no_exp(bearer(with_claims(|c| { c.as_object_mut().unwrap().remove("exp"); })), 401)]
#[case::exp_string(bearer(with_claims(|c| c["exp"] = json!("tomorrow"))), 401)]
#[case::expired(bearer(jwt(&header(), &claims(&[READ, WRITE], -60), 132)), 401)]
#[case::not_yet_valid(bearer(with_claims(|c| c["nbf"] = json!(now() + 600))), 401)]
#[case::short_signature(bearer(jwt(&header(), &claims(&[WRITE], 3600), 64)), 401)]
#[case::no_signature(bearer(jwt(&header(), &claims(&[WRITE], 3600), 0)), 401)]
#[case::huge(Some(format!("Bearer {}", "A".repeat(8000))), 401)]
#[case::read_only(bearer(token(&[READ])), 403)]
#[case::no_scope(bearer(token(&[])), 403)]
#[case::other_resource(bearer(token(&["transactions.write", "buyers.write"])), 403)]
#[case::wildcard_read(bearer(token(&["*.read"])), 403)]
#[case::embed(bearer(token(&["embed"])), 403)]
#[tokio::test]
async fn put_needs_a_valid_token_with_the_write_scope(
    #[case] authorization: Option<String>,
    #[case] status: u16,
) {
    let g = shared();
    let id = g.new_session().await;
    let reply = g
        .put_as(
            &id,
            authorization.as_deref(),
            json!({"metadata": {"a": "1"}}),
        )
        .await
        .expect(status);
    assert_eq!(reply.content_type.as_deref(), Some("application/json"));
    reply.assert_conforms();
    match status {
        200 => assert_eq!(reply.session()["metadata"], json!({"a": "1"})),
        _ => {
            let envelope = reply.envelope();
            let code = if status == 401 {
                "unauthorized"
            } else {
                "forbidden"
            };
            assert_eq!((envelope.code.as_str(), envelope.status), (code, status));
            if let Some(auth) = &authorization {
                let token = auth.split_once(' ').map_or("", |(_, t)| t);
                if token.len() > 8 {
                    assert!(
                        !reply.body.to_string().contains(token),
                        "the token is echoed"
                    );
                }
            }
            assert_eq!(g.get(&id).await.session()["metadata"], Value::Null);
        }
    }
}

#[rstest]
#[case::get_read(Method::GET, &[READ], 200)]
#[case::get_wildcard_read(Method::GET, &["*.read"], 200)]
#[case::get_write_only(Method::GET, &[WRITE], 403)]
#[case::delete_write(Method::DELETE, &[WRITE], 204)]
#[case::delete_read_only(Method::DELETE, &[READ], 403)]
#[case::create_write(Method::POST, &[WRITE], 201)]
#[case::create_read_only(Method::POST, &[READ], 403)]
#[tokio::test]
async fn each_operation_needs_its_scope(
    #[case] method: Method,
    #[case] scopes: &[&str],
    #[case] status: u16,
) {
    let g = shared();
    let id = g.new_session().await;
    let path = if method == Method::POST {
        "/checkout/sessions".to_owned()
    } else {
        format!("/checkout/sessions/{id}")
    };
    let auth = format!("Bearer {}", token(scopes));
    let body = (method == Method::POST).then(|| b"{}".to_vec());
    let reply = g
        .request(method, &path, Some(&auth), &[], body)
        .await
        .expect(status);
    reply.assert_conforms();
    if status == 403 {
        assert_eq!(reply.envelope().code, "forbidden");
    }
}

#[tokio::test]
async fn auth_comes_before_validation_and_lookup() {
    let g = shared();
    let reply = g
        .put_as("not-a-uuid", None, json!({"foo": 1}))
        .await
        .expect(401);
    assert_eq!(reply.envelope().code, "unauthorized");
    let reply = g
        .put_as(
            "not-a-uuid",
            Some(&format!("Bearer {}", token(&[READ]))),
            json!({"foo": 1}),
        )
        .await
        .expect(403);
    assert_eq!(reply.envelope().code, "forbidden");
}

/// With a public key configured, signatures are verified too (with the client's `jwt` module).
#[tokio::test]
async fn with_a_public_key_signatures_are_verified() {
    use checkout_conformance::vendor::gr4vy::jwt::SigningKey;
    let key = SigningKey::generate();
    let other = SigningKey::generate();
    let config = MockConfig::default().with_trusted(
        checkout_conformance::vendor::Provider::Gr4vy,
        key.public_key_pem(),
    );
    let mock = Mock::with(config.clone()).await;
    let mut g = Gr4vy::of(&mock);
    g.token = signed(&key, &[READ, WRITE], 0, 3600);
    let id = g.new_session().await;
    g.put(&id, json!({"metadata": {"a": "1"}})).await.session();
    let put = |token: String| {
        let g = g.clone();
        let id = id.clone();
        async move {
            g.put_as(&id, Some(&format!("Bearer {token}")), json!({}))
                .await
        }
    };
    // Structurally valid but not signed with the key: 401.
    let unsigned = put(full_token()).await.expect(401);
    assert_eq!(unsigned.envelope().code, "unauthorized");
    put(signed(&other, &[WRITE], 0, 3600)).await.expect(401);
    // Signed, but expired, or without the scope.
    put(signed(&key, &[WRITE], 7200, 3600)).await.expect(401);
    put(signed(&key, &[READ], 0, 3600)).await.expect(403);
    // A tampered payload breaks the signature.
    let good = signed(&key, &[READ], 0, 3600);
    let parts: Vec<&str> = good.split('.').collect();
    let forged = format!(
        "{}.{}.{}",
        parts[0],
        b64(claims(&[WRITE], 3600).to_string().as_bytes()),
        parts[2]
    );
    put(forged).await.expect(401);

    // The expiry rule keeps its own fault with a key configured.
    let faulty = Mock::with(config.with_fault(Gr4vyFault::ExpiredTokenAccepted)).await;
    let mut f = Gr4vy::of(&faulty);
    f.token = signed(&key, &[READ, WRITE], 7200, 3600);
    f.new_session().await;
    // ... but its signature is still checked: unsigned, or expired and signed with another key.
    for token in [full_token(), signed(&other, &[READ, WRITE], 7200, 3600)] {
        f.token = token;
        f.send(Method::POST, "/checkout/sessions", Some(&json!({})))
            .await
            .expect(401);
    }

    // A key that is not a P-521 public key: nothing is accepted.
    let broken = Mock::with(
        MockConfig::default()
            .with_trusted(checkout_conformance::vendor::Provider::Gr4vy, "not a key"),
    )
    .await;
    let mut b = Gr4vy::of(&broken);
    b.token = signed(&key, &[READ, WRITE], 0, 3600);
    b.send(Method::POST, "/checkout/sessions", Some(&json!({})))
        .await
        .expect(401);
}

// ---------------------------------------------------------------------------------------------
// Hostile bodies: a 4xx in the envelope, never a 5xx
// ---------------------------------------------------------------------------------------------

fn nested(depth: usize) -> Vec<u8> {
    format!(
        "{{\"metadata\": {{\"a\": {}{}}}}}",
        "[".repeat(depth),
        "]".repeat(depth)
    )
    .into_bytes()
}

#[rstest]
#[case::empty(vec![], None, 400, Some(""))]
#[case::whitespace(b" \n ".to_vec(), None, 400, Some(""))]
#[case::truncated(b"{\"metadata\": {".to_vec(), None, 400, Some(""))]
#[case::trailing_garbage(b"{} x".to_vec(), None, 400, Some(""))]
#[case::single_quotes(b"{'metadata': {}}".to_vec(), None, 400, Some(""))]
#[case::trailing_comma(b"{\"metadata\": {},}".to_vec(), None, 400, Some(""))]
#[case::comment(b"{/* hi */}".to_vec(), None, 400, Some(""))]
#[case::nan(b"{\"amount\": NaN}".to_vec(), None, 400, Some(""))]
#[case::number_overflow(b"{\"amount\": 1e400}".to_vec(), None, 400, Some(""))]
#[case::null_body(b"null".to_vec(), None, 400, Some(""))]
#[case::array_body(b"[]".to_vec(), None, 400, Some(""))]
#[case::string_body(b"\"metadata\"".to_vec(), None, 400, Some(""))]
#[case::number_body(b"5".to_vec(), None, 400, Some(""))]
#[case::bom(b"\xef\xbb\xbf{}".to_vec(), None, 400, Some(""))]
#[case::invalid_utf8_in_string(b"{\"metadata\": {\"a\": \"\xff\xfe\"}}".to_vec(), None, 400, Some(""))]
#[case::invalid_utf8_in_key(b"{\"\xc0\xaf\": 1}".to_vec(), None, 400, Some(""))]
#[case::lone_surrogate(b"{\"metadata\": {\"a\": \"\\ud800\"}}".to_vec(), None, 400, Some(""))]
#[case::nul_in_key(b"{\"\\u0000\": 1}".to_vec(), None, 400, Some("/\u{0}"))]
#[case::nul_in_value(b"{\"metadata\": {\"a\": \"\\u0000\"}}".to_vec(), None, 200, None)]
#[case::raw_control_char(b"{\"metadata\": {\"a\": \"\x01\"}}".to_vec(), None, 400, Some(""))]
#[case::nesting_100(nested(100), None, 400, Some("/metadata/a"))]
#[case::nesting_1000(nested(1000), None, 400, Some(""))]
#[case::nesting_100000(nested(100_000), None, 400, Some(""))]
#[case::duplicate_keys(b"{\"metadata\": {\"a\": \"1\"}, \"metadata\": {\"a\": \"2\"}}".to_vec(), None, 200, None)]
#[case::value_900_kib(format!("{{\"metadata\": {{\"a\": \"{}\"}}}}", s(900 * 1024)).into_bytes(), None, 200, None)]
#[case::body_2_mib(format!("{{\"metadata\": {{\"a\": \"{}\"}}}}", s(2 * 1024 * 1024)).into_bytes(), None, 400, Some(""))]
#[case::many_cart_items(format!("{{\"cart_items\": [{}]}}", vec!["{}"; 100_000].join(",")).into_bytes(), None, 400, Some("/cart_items/0/name"))]
#[case::many_unknown_keys(format!("{{{}}}", (0..50_000).map(|i| format!("\"k{i}\": 1")).collect::<Vec<_>>().join(",")).into_bytes(), None, 400, Some("/k0"))]
#[case::form_encoded(b"metadata[a]=1".to_vec(), Some("application/x-www-form-urlencoded"), 400, Some("content-type"))]
#[case::text_plain(b"{}".to_vec(), Some("text/plain"), 400, Some("content-type"))]
#[case::json_with_charset(b"{}".to_vec(), Some("application/json; charset=utf-8"), 200, None)]
#[case::json_suffix(b"{}".to_vec(), Some("application/merge-patch+json"), 200, None)]
#[tokio::test]
async fn hostile_bodies(
    #[case] body: Vec<u8>,
    #[case] content_type: Option<&str>,
    #[case] status: u16,
    #[case] pointer: Option<&str>,
) {
    let g = shared();
    let id = g.new_session().await;
    let headers = [
        ("authorization", format!("Bearer {}", g.token)),
        (
            "content-type",
            content_type.unwrap_or("application/json").to_owned(),
        ),
    ];
    let reply = raw(
        &g,
        "PUT",
        &format!("/checkout/sessions/{id}"),
        &headers,
        &body,
    )
    .await;
    assert_eq!(reply.status, status, "{}", reply.body);
    reply.assert_conforms();
    assert_eq!(reply.content_type.as_deref(), Some("application/json"));
    if status >= 400 {
        let envelope = reply.envelope();
        assert_eq!(envelope.status, status);
        if let Some(pointer) = pointer {
            assert!(
                reply.pointers().iter().any(|p| p == pointer),
                "{pointer} not in {}",
                reply.body
            );
        }
    }
    // The mock still serves.
    g.get(&id).await.session();
}

/// Sends a request as raw bytes over TCP (`connection: close`) and reads the whole answer: the
/// mock may answer (and close) before reading an oversized body, which a client that insists on
/// writing it all would report as a broken pipe.
async fn raw(
    g: &Gr4vy,
    method: &str,
    path: &str,
    headers: &[(&str, String)],
    body: &[u8],
) -> Reply {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = g.base.trim_start_matches("http://").to_owned();
    let mut request = format!("{method} {path} HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str(&format!("content-length: {}\r\n\r\n", body.len()));
    let mut stream = tokio::net::TcpStream::connect(&addr)
        .await
        .expect("connects");
    let mut bytes = request.into_bytes();
    bytes.extend_from_slice(body);
    let _ = stream.write_all(&bytes).await;
    let mut answer = Vec::new();
    let read = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        stream.read_to_end(&mut answer),
    )
    .await;
    assert!(read.is_ok(), "no answer within 10 s");
    let end = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no response head: {:?}", String::from_utf8_lossy(&answer)));
    let head = String::from_utf8_lossy(&answer[..end]).into_owned();
    let header = |wanted: &str| {
        head.lines().find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.trim()
                .eq_ignore_ascii_case(wanted)
                .then(|| value.trim().to_owned())
        })
    };
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status");
    let mut payload = answer[end + 4..].to_vec();
    if let Some(length) = header("content-length").and_then(|l| l.parse().ok()) {
        payload.truncate(length);
    }
    let body = if payload.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&payload)
            .unwrap_or_else(|_| panic!("a JSON body, got {:?}", String::from_utf8_lossy(&payload)))
    };
    Reply {
        status,
        body,
        content_type: header("content-type"),
    }
}

#[tokio::test]
async fn hostile_paths_and_headers() {
    let g = shared();
    let auth = format!("Bearer {}", g.token);
    let long = format!("/checkout/sessions/{}", "a".repeat(10_000));
    g.request(Method::GET, &long, Some(&auth), &[], None)
        .await
        .expect(400)
        .envelope();
    let deep = format!("/checkout/{}", "x/".repeat(5_000));
    g.request(Method::GET, &deep, Some(&auth), &[], None)
        .await
        .expect(404)
        .envelope();
    let dots = "/checkout/sessions/../../v1/prices";
    let reply = g.request(Method::GET, dots, Some(&auth), &[], None).await;
    assert!(reply.status < 500, "{}", reply.body);
    // A merchant account header that is not ASCII is a 400 naming the header.
    let id = g.new_session().await;
    let reply = reply_raw_header(&g, &id, b"\xff\xfe").await;
    assert_eq!(reply.status, 400, "{}", reply.body);
    assert_eq!(reply.pointers(), ["x-gr4vy-merchant-account-id"]);
}

/// A GET with a non-UTF-8 `x-gr4vy-merchant-account-id`.
async fn reply_raw_header(g: &Gr4vy, id: &str, value: &[u8]) -> Reply {
    let value = reqwest::header::HeaderValue::from_bytes(value).expect("a header value");
    let request = g
        .http
        .get(g.url(&format!("/checkout/sessions/{id}")))
        .header("authorization", format!("Bearer {}", g.token))
        .header("x-gr4vy-merchant-account-id", value);
    reply(request).await
}

/// Thousands of random JSON-ish bodies: 200 or 4xx, never a 5xx.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn random_bodies_are_answered_200_or_4xx() {
    let g = shared();
    let id = g.new_session().await;
    let mut rng = fastrand::Rng::with_seed(0x6472_3476);
    let pieces: &[&str] = &[
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "\"cart_items\"",
        "\"metadata\"",
        "\"airline\"",
        "\"legs\"",
        "\"name\"",
        "\"quantity\"",
        "\"a\"",
        "null",
        "true",
        "1",
        "-1",
        "1e9",
        "0.5",
        "\"\"",
        "\"x\"",
        " ",
        "\\",
        "\u{e9}",
    ];
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let bodies: Vec<String> = (0..250)
            .map(|_| {
                (0..rng.usize(1..40))
                    .map(|_| pieces[rng.usize(..pieces.len())])
                    .collect()
            })
            .collect();
        let g = g.clone();
        let id = id.clone();
        tasks.push(tokio::spawn(async move {
            for body in bodies {
                let auth = format!("Bearer {}", g.token);
                let reply = g
                    .request(
                        Method::PUT,
                        &format!("/checkout/sessions/{id}"),
                        Some(&auth),
                        &[],
                        Some(body.clone().into_bytes()),
                    )
                    .await;
                assert!(
                    matches!(reply.status, 200 | 400),
                    "{body} -> {} {}",
                    reply.status,
                    reply.body
                );
                if reply.status == 400 {
                    reply.envelope();
                }
            }
        }));
    }
    for task in tasks {
        task.await.expect("no task panicked");
    }
}

// ---------------------------------------------------------------------------------------------
// Concurrency
// ---------------------------------------------------------------------------------------------

/// N parallel PUTs to one session: each is applied whole (its answer is exactly what it sent)
/// and the final session is exactly one of them, never a mix.
#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn parallel_updates_are_serialized_and_whole() {
    let mock = Mock::start().await;
    let g = Gr4vy::of(&mock);
    let id = g.new_session().await;
    let body = |i: usize| {
        let metadata: Map<String, Value> = (0..20)
            .map(|k| (format!("k{k}"), json!(format!("writer-{i}"))))
            .collect();
        json!({
            "metadata": metadata,
            "cart_items": [cart_item(json!({"name": format!("item-{i}"), "quantity": i + 1}))],
        })
    };
    let tasks: Vec<_> = (0..48)
        .map(|i| {
            let g = g.clone();
            let id = id.clone();
            let sent = body(i);
            tokio::spawn(async move {
                let reply = g.put(&id, sent.clone()).await;
                assert!(
                    contains(reply.session(), &sent),
                    "answer mixes writers: {}",
                    reply.body
                );
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("no update failed");
    }
    let last = g.get(&id).await;
    let session = last.session();
    let writer = session["metadata"]["k0"].as_str().expect("k0").to_owned();
    let i: usize = writer
        .trim_start_matches("writer-")
        .parse()
        .expect("a writer");
    assert!(
        contains(session, &body(i)),
        "final state mixes writers: {session}"
    );
}

/// Parallel creates, updates and deletes of many sessions: every answer is 2xx or 404.
#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn parallel_sessions_do_not_interfere() {
    let mock = Mock::start().await;
    let g = Gr4vy::of(&mock);
    let tasks: Vec<_> = (0..32)
        .map(|i| {
            let g = g.clone();
            tokio::spawn(async move {
                let id = g.new_session().await;
                let metadata = json!({"owner": format!("{i}")});
                g.put(&id, json!({"metadata": metadata})).await.session();
                assert_eq!(g.get(&id).await.session()["metadata"], metadata);
                if i % 2 == 0 {
                    g.delete(&id).await.expect(204);
                    g.get(&id).await.expect(404);
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("no task failed");
    }
}
