//! The schema registry: embedded schemas compile, Stripe's own examples and Gr4vy's documented
//! example pass, loosened schemas are caught by negative cases, and loading from disk reports bad
//! files precisely.

use std::path::{Path, PathBuf};

use checkout_conformance::schema::{SchemaError, SchemaId, SchemaRegistry, Violation};
use checkout_conformance::vendor::gr4vy::schema::Gr4vySchema;
use checkout_conformance::vendor::stripe::schema::StripeSchema;
use checkout_conformance::vendor::Provider;
use rstest::rstest;
use serde_json::{json, Value};

const SCHEMA_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/schemas/stripe");

fn fixture(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/stripe")
        .join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn error_envelope() -> Value {
    json!({"error": {
        "type": "invalid_request_error",
        "code": "parameter_unknown",
        "param": "line_items[0][foo]",
        "message": "Received unknown parameter: line_items[0][foo]",
        "doc_url": "https://stripe.com/docs/error-codes/parameter-unknown"
    }})
}

fn item_list() -> Value {
    json!({
        "object": "list",
        "data": [fixture("fixture.item.json")],
        "has_more": false,
        "url": "/v1/checkout/sessions/cs_test_123/line_items"
    })
}

/// A session with every schema-bearing part filled in: expanded line items and an expanded
/// shipping rate, so the copied `$defs` (item, price, shipping_rate) are exercised too.
fn rich_session() -> Value {
    let mut session = fixture("fixture.checkout.session.json");
    session["line_items"] = item_list();
    session["shipping_options"] = json!([
        {"shipping_amount": 500, "shipping_rate": fixture("fixture.shipping_rate.json")},
        {"shipping_amount": 0, "shipping_rate": "shr_123"}
    ]);
    session["metadata"] = json!({"order_id": "6735"});
    session
}

fn base(id: impl Into<SchemaId>) -> Value {
    match StripeSchema::try_from(id.into()) {
        Ok(StripeSchema::CheckoutSession) => rich_session(),
        Ok(StripeSchema::ItemList) => item_list(),
        Ok(StripeSchema::Item) => fixture("fixture.item.json"),
        Ok(StripeSchema::Error) => error_envelope(),
        Ok(StripeSchema::Price) => fixture("fixture.price.json"),
        Ok(StripeSchema::ShippingRate) => fixture("fixture.shipping_rate.json"),
        Err(other) => panic!("{other} is not a Stripe schema"),
    }
}

fn explain(violations: &[Violation]) -> String {
    violations
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_embedded_schema_compiles() {
    let registry = SchemaRegistry::embedded(Provider::Stripe);
    for id in SchemaId::of(Provider::Stripe) {
        // Also forces the lazy compilation of every validator's subschemas.
        assert_eq!(registry.validate(id, &base(id)), Ok(()), "{id}");
    }
}

/// Panics unless `own` (`id` converted to its vendor's enum) is the value `id` is made from and
/// compares equal with (the other way round, `SchemaId == StripeSchema`, is checked below).
#[track_caller]
fn is_made_from<S>(id: SchemaId, own: Result<S, SchemaId>)
where
    S: Copy + std::fmt::Debug + PartialEq<SchemaId> + Into<SchemaId>,
{
    let schema = own.unwrap_or_else(|e| panic!("{e} is not a schema of its vendor's enum"));
    assert_eq!(schema.into(), id);
    assert_eq!(schema, id);
}

/// A `SchemaId` is its vendor's enum value and back: each vendor's ids convert to its own enum,
/// compare equal with it, and are refused by the other vendor's.
#[test]
fn every_schema_id_is_a_value_of_its_vendors_enum_and_of_no_other() {
    for id in SchemaId::all() {
        let (stripe, gr4vy) = (StripeSchema::try_from(id), Gr4vySchema::try_from(id));
        match id.provider() {
            Provider::Stripe => {
                is_made_from(id, stripe);
                assert_eq!(gr4vy, Err(id));
            }
            Provider::Gr4vy => {
                is_made_from(id, gr4vy);
                assert_eq!(stripe, Err(id));
            }
        }
    }
    assert_eq!(
        SchemaId::of(Provider::Stripe)[3],
        StripeSchema::Error,
        "a variant's slot is its place in the declaration"
    );
    assert_ne!(SchemaId::from(StripeSchema::Error), Gr4vySchema::Error);
}

#[test]
fn schema_ids_are_distinct_and_named_after_their_files() {
    for id in SchemaId::of(Provider::Stripe) {
        assert_eq!(id.file_name(), format!("{}.json", id.name()));
        assert_eq!(id.to_string(), id.name());
        assert!(Path::new(SCHEMA_DIR).join(id.file_name()).is_file(), "{id}");
    }
    let names: std::collections::HashSet<_> = SchemaId::all().iter().map(|id| id.name()).collect();
    assert_eq!(names.len(), SchemaId::all().len());
}

#[rstest]
#[case::fixture_session("fixture.checkout.session.json", StripeSchema::CheckoutSession)]
#[case::doc_example_update_response(
    "doc-example.update-response.json",
    StripeSchema::CheckoutSession
)]
#[case::fixture_item("fixture.item.json", StripeSchema::Item)]
#[case::fixture_price("fixture.price.json", StripeSchema::Price)]
#[case::fixture_shipping_rate("fixture.shipping_rate.json", StripeSchema::ShippingRate)]
fn stripe_examples_validate(#[case] file: &str, #[case] schema: StripeSchema) {
    let id = SchemaId::from(schema);
    let instance = fixture(file);
    let registry = SchemaRegistry::embedded(Provider::Stripe);
    assert_eq!(registry.for_object(&instance), Some(id));
    if let Err(violations) = registry.validate(id, &instance) {
        panic!("{file} fails {id}:\n{}", explain(&violations));
    }
}

#[test]
fn error_envelope_validates() {
    let registry = SchemaRegistry::embedded(Provider::Stripe);
    assert_eq!(
        registry.validate(StripeSchema::Error, &error_envelope()),
        Ok(())
    );
}

#[test]
fn expanded_session_validates() {
    let result = SchemaRegistry::embedded(Provider::Stripe)
        .validate(StripeSchema::CheckoutSession, &rich_session());
    assert_eq!(result, Ok(()));
}

/// Applies `edit` at JSON pointer `at`: `None` removes the key, `Some(v)` sets it.
fn edited(mut instance: Value, at: &str, edit: Option<Value>) -> Value {
    let (parent, key) = at.rsplit_once('/').expect("pointer starts with /");
    let parent = instance
        .pointer_mut(parent)
        .unwrap_or_else(|| panic!("no {parent} in the base instance"));
    match (parent, edit) {
        (Value::Object(map), None) => {
            assert!(map.remove(key).is_some(), "no {at} to remove");
        }
        (Value::Object(map), Some(value)) => {
            map.insert(key.to_owned(), value);
        }
        (Value::Array(items), Some(value)) => {
            items[key.parse::<usize>().expect("array index")] = value;
        }
        (other, _) => panic!("cannot edit {at} in {other}"),
    }
    instance
}

#[rstest]
// checkout.session
#[case::session_missing_id(StripeSchema::CheckoutSession, "/id", None, "", "/required")]
#[case::session_wrong_object(
    StripeSchema::CheckoutSession,
    "/object",
    Some(json!("checkout_session")),
    "/object",
    "/properties/object/enum"
)]
#[case::session_metadata_value_501_chars(
    StripeSchema::CheckoutSession,
    "/metadata/k",
    Some(json!("x".repeat(501))),
    "/metadata/k",
    "/properties/metadata/additionalProperties/maxLength"
)]
#[case::session_metadata_value_not_string(
    StripeSchema::CheckoutSession,
    "/metadata/k",
    Some(json!(1)),
    "/metadata/k",
    "/properties/metadata/additionalProperties/type"
)]
#[case::session_status_bogus(
    StripeSchema::CheckoutSession,
    "/status",
    Some(json!("bogus")),
    "/status",
    "/properties/status/enum"
)]
#[case::session_mode_bogus(
    StripeSchema::CheckoutSession,
    "/mode",
    Some(json!("bogus")),
    "/mode",
    "/properties/mode/enum"
)]
#[case::session_ui_mode_pre_dahlia_name(
    StripeSchema::CheckoutSession,
    "/ui_mode",
    Some(json!("custom")),
    "/ui_mode",
    "/properties/ui_mode/enum"
)]
#[case::session_livemode_null(
    StripeSchema::CheckoutSession,
    "/livemode",
    Some(Value::Null),
    "/livemode",
    "/properties/livemode/type"
)]
#[case::session_created_string(
    StripeSchema::CheckoutSession,
    "/created",
    Some(json!("1679600215")),
    "/created",
    "/properties/created/type"
)]
#[case::session_missing_shipping_options(
    StripeSchema::CheckoutSession,
    "/shipping_options",
    None,
    "",
    "/required"
)]
#[case::session_six_shipping_options(
    StripeSchema::CheckoutSession,
    "/shipping_options",
    Some(json!(vec![json!({"shipping_amount": 0, "shipping_rate": "shr_1"}); 6])),
    "/shipping_options",
    "/properties/shipping_options/maxItems"
)]
#[case::shipping_option_missing_shipping_amount(
    StripeSchema::CheckoutSession,
    "/shipping_options/1",
    Some(json!({"shipping_rate": "shr_123"})),
    "/shipping_options/1",
    "/$defs/payment_pages_checkout_session_shipping_option/required"
)]
#[case::shipping_option_rate_neither_id_nor_object(
    StripeSchema::CheckoutSession,
    "/shipping_options/1/shipping_rate",
    Some(json!(42)),
    "/shipping_options/1/shipping_rate",
    "/$defs/payment_pages_checkout_session_shipping_option/properties/shipping_rate/anyOf"
)]
#[case::expanded_shipping_rate_type_bogus(
    StripeSchema::CheckoutSession,
    "/shipping_options/0/shipping_rate/type",
    Some(json!("calculated")),
    "/shipping_options/0/shipping_rate/type",
    "/$defs/shipping_rate/properties/type/enum"
)]
#[case::session_line_item_missing_amount_total(
    StripeSchema::CheckoutSession,
    "/line_items/data/0/amount_total",
    None,
    "/line_items/data/0",
    "/$defs/item/required"
)]
// item.list and item
#[case::list_missing_has_more(StripeSchema::ItemList, "/has_more", None, "", "/required")]
#[case::list_wrong_object(
    StripeSchema::ItemList,
    "/object",
    Some(json!("search_result")),
    "/object",
    "/properties/object/enum"
)]
#[case::list_data_not_items(
    StripeSchema::ItemList,
    "/data/0/object",
    Some(json!("price")),
    "/data/0/object",
    "/$defs/item/properties/object/enum"
)]
#[case::item_missing_amount_total(StripeSchema::Item, "/amount_total", None, "", "/required")]
#[case::item_quantity_string(
    StripeSchema::Item,
    "/quantity",
    Some(json!("1")),
    "/quantity",
    "/properties/quantity/type"
)]
#[case::item_adjustable_quantity_without_enabled(
    StripeSchema::Item,
    "/adjustable_quantity/enabled",
    None,
    "/adjustable_quantity",
    "/$defs/line_items_adjustable_quantity/required"
)]
#[case::item_price_product_number(
    StripeSchema::Item,
    "/price/product",
    Some(json!(7)),
    "/price/product",
    "/$defs/price/properties/product/anyOf"
)]
// error
#[case::envelope_without_error(StripeSchema::Error, "/error", None, "", "/required")]
#[case::error_type_not_in_enum(
    StripeSchema::Error,
    "/error/type",
    Some(json!("validation_error")),
    "/error/type",
    "/$defs/api_errors/properties/type/enum"
)]
#[case::error_without_type(
    StripeSchema::Error,
    "/error/type",
    None,
    "/error",
    "/$defs/api_errors/required"
)]
#[case::error_param_not_string(
    StripeSchema::Error,
    "/error/param",
    Some(json!(["line_items", 0, "foo"])),
    "/error/param",
    "/$defs/api_errors/properties/param/type"
)]
// price
#[case::price_wrong_object(
    StripeSchema::Price,
    "/object",
    Some(json!("plan")),
    "/object",
    "/properties/object/const"
)]
#[case::price_missing_recurring(StripeSchema::Price, "/recurring", None, "", "/required")]
#[case::price_unit_amount_string(
    StripeSchema::Price,
    "/unit_amount",
    Some(json!("2000")),
    "/unit_amount",
    "/properties/unit_amount/type"
)]
#[case::price_recurring_interval_bogus(
    StripeSchema::Price,
    "/recurring/interval",
    Some(json!("fortnight")),
    "/recurring/interval",
    "/$defs/recurring/properties/interval/enum"
)]
// shipping_rate
#[case::shipping_rate_wrong_object(
    StripeSchema::ShippingRate,
    "/object",
    Some(json!("shipping_option")),
    "/object",
    "/properties/object/const"
)]
#[case::shipping_rate_missing_fixed_amount(
    StripeSchema::ShippingRate,
    "/fixed_amount",
    None,
    "",
    "/required"
)]
#[case::shipping_rate_fixed_amount_without_currency(
    StripeSchema::ShippingRate,
    "/fixed_amount/currency",
    None,
    "/fixed_amount",
    "/$defs/shipping_rate_fixed_amount/required"
)]
#[case::shipping_rate_delivery_unit_bogus(
    StripeSchema::ShippingRate,
    "/delivery_estimate/maximum/unit",
    Some(json!("year")),
    "/delivery_estimate/maximum/unit",
    "/$defs/shipping_rate_delivery_estimate_bound/properties/unit/enum"
)]
#[case::shipping_rate_type_bogus(
    StripeSchema::ShippingRate,
    "/type",
    Some(json!("calculated")),
    "/type",
    "/properties/type/enum"
)]
fn loosened_schema_is_caught(
    #[case] id: StripeSchema,
    #[case] at: &str,
    #[case] edit: Option<Value>,
    #[case] pointer: &str,
    #[case] schema_path: &str,
) {
    let instance = edited(base(id), at, edit);
    let violations = SchemaRegistry::embedded(Provider::Stripe)
        .validate(id, &instance)
        .expect_err("the edited instance must fail");
    assert!(
        violations
            .iter()
            .any(|v| v.pointer == pointer && v.schema_path == schema_path),
        "expected a violation at {pointer:?} by {schema_path:?}, got:\n{}",
        explain(&violations)
    );
}

#[test]
fn violation_display_names_pointer_and_rule() {
    let instance = edited(base(StripeSchema::Error), "/error", None);
    let violations = SchemaRegistry::embedded(Provider::Stripe)
        .validate(StripeSchema::Error, &instance)
        .expect_err("no error key");
    assert_eq!(
        violations[0].to_string(),
        r#"at (root): "error" is a required property (schema rule /required)"#
    );
}

#[test]
fn from_dir_gives_the_embedded_verdicts() {
    let on_disk = SchemaRegistry::from_provider_dir(Provider::Stripe, Path::new(SCHEMA_DIR))
        .expect("schemas/stripe loads");
    let embedded = SchemaRegistry::embedded(Provider::Stripe);
    for id in SchemaId::of(Provider::Stripe) {
        let good = base(id);
        let bad = json!({"object": 1, "error": {"type": 2}});
        for instance in [good, bad] {
            assert_eq!(
                on_disk.validate(id, &instance),
                embedded.validate(id, &instance),
                "{id}"
            );
        }
    }
}

/// A scratch copy of `schemas/stripe`, removed on drop.
struct ScratchDir(PathBuf);

impl ScratchDir {
    fn copy_of_stripe_schemas(tag: &str) -> Self {
        Self::copy_of(Provider::Stripe, SCHEMA_DIR, tag)
    }

    fn copy_of(provider: Provider, source: &str, tag: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "checkout-conformance-schemas-{provider}-{tag}-{}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).expect("create scratch dir");
        for id in SchemaId::of(provider) {
            std::fs::copy(
                Path::new(source).join(id.file_name()),
                dir.join(id.file_name()),
            )
            .expect("copy schema");
        }
        ScratchDir(dir)
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn from_dir_reports_malformed_json_with_path_and_line() {
    let scratch = ScratchDir::copy_of_stripe_schemas("malformed");
    let bad = scratch.0.join("item.json");
    std::fs::write(&bad, "{\n  \"type\": \"object\",\n  oops\n}\n").expect("write");

    let err = SchemaRegistry::from_provider_dir(Provider::Stripe, &scratch.0)
        .expect_err("malformed JSON");
    match &err {
        SchemaError::Parse {
            path, line, column, ..
        } => {
            assert_eq!(path, &bad);
            assert_eq!((*line, *column), (3, 3));
        }
        other => panic!("expected a parse error, got {other:?}"),
    }
    let message = err.to_string();
    assert!(
        message.starts_with(&format!("{}:3:3: invalid JSON", bad.display())),
        "{message}"
    );
}

#[test]
fn from_dir_reports_an_invalid_schema_with_its_path() {
    let scratch = ScratchDir::copy_of_stripe_schemas("invalid");
    let bad = scratch.0.join("price.json");
    std::fs::write(&bad, r#"{"properties": {"id": {"type": 5}}}"#).expect("write");

    let err = SchemaRegistry::from_provider_dir(Provider::Stripe, &scratch.0)
        .expect_err("invalid schema");
    assert!(
        matches!(&err, SchemaError::Compile { path, pointer, .. }
            if path == &bad && pointer == "/properties/id/type"),
        "{err:?}"
    );
    assert!(
        err.to_string().starts_with(&bad.display().to_string()),
        "{err}"
    );
}

#[test]
fn from_dir_reports_an_unresolvable_ref_without_network() {
    let scratch = ScratchDir::copy_of_stripe_schemas("remote-ref");
    let bad = scratch.0.join("error.json");
    std::fs::write(&bad, r#"{"$ref": "https://example.com/error.json"}"#).expect("write");

    let err = SchemaRegistry::from_provider_dir(Provider::Stripe, &scratch.0)
        .expect_err("remote refs are not fetched");
    assert!(
        matches!(&err, SchemaError::Compile { path, .. } if path == &bad),
        "{err:?}"
    );
}

#[test]
fn from_dir_reports_a_missing_file() {
    let scratch = ScratchDir::copy_of_stripe_schemas("missing");
    let gone = scratch.0.join("shipping_rate.json");
    std::fs::remove_file(&gone).expect("remove");

    let err =
        SchemaRegistry::from_provider_dir(Provider::Stripe, &scratch.0).expect_err("missing file");
    assert!(
        matches!(&err, SchemaError::Read { path, .. } if path == &gone),
        "{err:?}"
    );
}

#[rstest]
#[case::session(json!({"object": "checkout.session"}), Some(StripeSchema::CheckoutSession))]
#[case::list(json!({"object": "list", "data": []}), Some(StripeSchema::ItemList))]
#[case::item(json!({"object": "item"}), Some(StripeSchema::Item))]
#[case::price(json!({"object": "price"}), Some(StripeSchema::Price))]
#[case::shipping_rate(json!({"object": "shipping_rate"}), Some(StripeSchema::ShippingRate))]
#[case::error_envelope(error_envelope(), Some(StripeSchema::Error))]
#[case::unknown_object_with_error_key(json!({"object": "x", "error": {}}), Some(StripeSchema::Error))]
#[case::unknown_object(json!({"object": "customer"}), None)]
#[case::object_not_a_string(json!({"object": 1}), None)]
#[case::not_an_object(json!(["checkout.session"]), None)]
#[case::empty(json!({}), None)]
fn for_object_picks_the_schema(#[case] body: Value, #[case] expected: Option<StripeSchema>) {
    assert_eq!(
        SchemaRegistry::embedded(Provider::Stripe).for_object(&body),
        expected.map(SchemaId::from)
    );
}

// --- Gr4vy -------------------------------------------------------------------------------------

const GR4VY_SCHEMA_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/schemas/gr4vy");

fn gr4vy_fixture(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/gr4vy")
        .join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The documentation's example response, plus the spec's fields the page leaves out (a guest
/// buyer with billing and shipping details, amount, currency, payment service), so every copied
/// `$defs` entry is exercised.
fn gr4vy_rich_session() -> Value {
    let mut session = gr4vy_fixture("doc-example.update-response.json");
    let address = json!({
        "city": "London", "country": "GB", "postal_code": "789123", "state": "Greater London",
        "state_code": "GB-LND", "house_number_or_name": "10", "line1": "10 Oxford Street",
        "line2": null, "organization": "Gr4vy"
    });
    session["buyer"] = json!({
        "display_name": "John Doe",
        "external_identifier": "buyer-12345",
        "account_number": null,
        "billing_details": {
            "first_name": "John", "last_name": "Doe", "email_address": "john@example.com",
            "phone_number": "+1234567890", "address": address,
            "tax_id": {"value": "12345678931", "kind": "gb.vat"}
        },
        "shipping_details": {
            "first_name": "John", "last_name": "Doe", "email_address": null,
            "phone_number": null, "address": address
        }
    });
    session["amount"] = json!(37999);
    session["currency"] = json!("USD");
    session["payment_service_id"] = Value::Null;
    session["cart_items"][0]["upc"] = json!("012345678905");
    session["cart_items"][0]["tax_exempt"] = json!(false);
    session["cart_items"][0]["duty_amount"] = Value::Null;
    session
}

/// An error body as Gr4vy's spec describes it for `status` (its `code` and `message` defaults).
fn gr4vy_error(status: u16, code: &str) -> Value {
    json!({
        "type": "error",
        "code": code,
        "status": status,
        "message": "Request failed validation",
        "details": [{
            "location": "body",
            "pointer": "/metadata/order_id",
            "message": "Input should be a valid string",
            "type": "string_type"
        }]
    })
}

fn gr4vy_validation_error() -> Value {
    json!({"detail": [{
        "loc": ["body", "cart_items", 0, "quantity"],
        "msg": "Input should be greater than 0",
        "type": "greater_than",
        "input": 0,
        "ctx": {"gt": 0}
    }]})
}

/// A request body using every field the documentation lists.
fn gr4vy_update_request() -> Value {
    let doc = gr4vy_fixture("doc-example.update-response.json");
    json!({
        "cart_items": doc["cart_items"],
        "metadata": {"order_id": "6735", "cohort": "a"},
        "airline": doc["airline"]
    })
}

fn gr4vy_base(id: impl Into<SchemaId>) -> Value {
    match Gr4vySchema::try_from(id.into()) {
        Ok(Gr4vySchema::CheckoutSession) => gr4vy_rich_session(),
        Ok(Gr4vySchema::CheckoutSessionUpdate) => gr4vy_update_request(),
        Ok(Gr4vySchema::Error) => gr4vy_error(404, "not_found"),
        Ok(Gr4vySchema::ValidationError) => gr4vy_validation_error(),
        Err(other) => panic!("{other} is not a Gr4vy schema"),
    }
}

#[test]
fn every_embedded_gr4vy_schema_compiles_and_accepts_its_base() {
    let registry = SchemaRegistry::embedded(Provider::Gr4vy);
    assert_eq!(registry.provider(), Provider::Gr4vy);
    assert_eq!(registry.ids(), SchemaId::of(Provider::Gr4vy));
    for id in SchemaId::of(Provider::Gr4vy) {
        if let Err(violations) = registry.validate(id, &gr4vy_base(id)) {
            panic!("{id}:\n{}", explain(&violations));
        }
    }
}

#[test]
fn schema_ids_belong_to_one_provider_and_name_their_files() {
    let mut every: Vec<SchemaId> = SchemaId::of(Provider::Stripe).to_vec();
    every.extend(SchemaId::of(Provider::Gr4vy));
    assert_eq!(every, SchemaId::all());
    for &provider in &[Provider::Stripe, Provider::Gr4vy] {
        assert!(std::ptr::eq(
            SchemaRegistry::embedded(provider),
            match provider {
                Provider::Stripe => SchemaRegistry::embedded(Provider::Stripe),
                _ => SchemaRegistry::embedded(Provider::Gr4vy),
            }
        ));
        for id in SchemaId::of(provider) {
            assert_eq!(id.provider(), provider, "{id}");
        }
    }
    for id in SchemaId::of(Provider::Gr4vy) {
        let stem = id.file_name().strip_suffix(".json").expect(".json");
        assert_eq!(id.name(), format!("gr4vy.{stem}"));
        assert_eq!(id.to_string(), id.name());
        assert!(
            Path::new(GR4VY_SCHEMA_DIR).join(id.file_name()).is_file(),
            "{id}"
        );
    }
}

#[test]
fn gr4vy_doc_example_update_response_validates() {
    let example = gr4vy_fixture("doc-example.update-response.json");
    let registry = SchemaRegistry::embedded(Provider::Gr4vy);
    assert_eq!(
        registry.for_object(&example),
        Some(Gr4vySchema::CheckoutSession.into())
    );
    if let Err(violations) = registry.validate(Gr4vySchema::CheckoutSession, &example) {
        panic!(
            "the documentation's example fails:\n{}",
            explain(&violations)
        );
    }
}

/// The one place the documentation and the spec disagree on the response: the page's example
/// has `payment_method.type: "payment_method"`, the spec's const is `"payment-method"`. Both
/// pass (DERIVATION.md); anything else does not.
#[rstest]
#[case::documentation("payment_method", true)]
#[case::spec("payment-method", true)]
#[case::neither("payment method", false)]
fn gr4vy_payment_method_type_accepts_doc_and_spec(#[case] value: &str, #[case] ok: bool) {
    let session = edited(
        gr4vy_fixture("doc-example.update-response.json"),
        "/payment_method/type",
        Some(json!(value)),
    );
    let result =
        SchemaRegistry::embedded(Provider::Gr4vy).validate(Gr4vySchema::CheckoutSession, &session);
    assert_eq!(result.is_ok(), ok, "{result:?}");
}

#[rstest]
#[case(400, "bad_request")]
#[case(401, "unauthorized")]
#[case(403, "forbidden")]
#[case(404, "not_found")]
#[case(405, "method_not_allowed")]
#[case(409, "duplicate_record")]
#[case(425, "too_early")]
#[case(429, "too_many_requests")]
#[case(500, "server_error")]
#[case(502, "bad_gateway")]
#[case(504, "gateway_timeout")]
fn gr4vy_error_of_every_listed_status_validates(#[case] status: u16, #[case] code: &str) {
    let registry = SchemaRegistry::embedded(Provider::Gr4vy);
    for body in [
        gr4vy_error(status, code),
        edited(gr4vy_error(status, code), "/details", Some(json!([]))),
    ] {
        assert_eq!(registry.for_object(&body), Some(Gr4vySchema::Error.into()));
        if let Err(violations) = registry.validate(Gr4vySchema::Error, &body) {
            panic!("{status}:\n{}", explain(&violations));
        }
    }
}

#[rstest]
#[case::resource_id(json!("cdc70639-cb9c-4222-a73f-b8ce39f7821b"))]
#[case::resource_id_null(Value::Null)]
fn gr4vy_409_may_name_the_conflicting_resource(#[case] resource_id: Value) {
    let body = edited(
        gr4vy_error(409, "duplicate_record"),
        "/resource_id",
        Some(resource_id),
    );
    assert_eq!(
        SchemaRegistry::embedded(Provider::Gr4vy).validate(Gr4vySchema::Error, &body),
        Ok(())
    );
}

#[rstest]
#[case::empty(json!({}))]
#[case::documented_fields(gr4vy_update_request())]
#[case::nulls(json!({"cart_items": null, "metadata": null, "airline": null, "buyer": null}))]
#[case::empty_cart(json!({"cart_items": []}))]
// The legacy v1 spec capped metadata at 20 entries; the current spec has no cap.
#[case::metadata_21_entries(json!({"metadata": (0..21).map(|i| (format!("k{i}"), json!("v"))).collect::<serde_json::Map<_, _>>()}))]
#[case::undocumented_spec_fields(json!({
    "buyer": {"display_name": "John Doe", "billing_details": {"tax_id": {"value": "1", "kind": "gb.vat"}}},
    "amount": 1299, "currency": "USD", "expires_in": 3600, "country": "US",
    "is_subsequent_payment": false, "merchant_initiated": false,
    "payment_source": "ecommerce", "intent": "authorize"
}))]
fn gr4vy_request_body_validates(#[case] body: Value) {
    if let Err(violations) = SchemaRegistry::embedded(Provider::Gr4vy)
        .validate(Gr4vySchema::CheckoutSessionUpdate, &body)
    {
        panic!("{body}:\n{}", explain(&violations));
    }
}

#[rstest]
// checkout-session
#[case::session_missing_id(Gr4vySchema::CheckoutSession, "/id", None, "", "/required")]
#[case::session_missing_expires_at(
    Gr4vySchema::CheckoutSession,
    "/expires_at",
    None,
    "",
    "/required"
)]
#[case::session_missing_type(Gr4vySchema::CheckoutSession, "/type", None, "", "/required")]
#[case::session_type_not_checkout_session(
    Gr4vySchema::CheckoutSession,
    "/type",
    Some(json!("checkout_session")),
    "/type",
    "/properties/type/const"
)]
#[case::session_id_number(
    Gr4vySchema::CheckoutSession,
    "/id",
    Some(json!(42)),
    "/id",
    "/properties/id/type"
)]
#[case::session_unknown_field(
    Gr4vySchema::CheckoutSession,
    "/object",
    Some(json!("checkout.session")),
    "",
    "/additionalProperties"
)]
#[case::session_metadata_value_not_string(
    Gr4vySchema::CheckoutSession,
    "/metadata/key",
    Some(json!(1)),
    "/metadata/key",
    "/properties/metadata/anyOf/0/additionalProperties/type"
)]
#[case::session_metadata_array(
    Gr4vySchema::CheckoutSession,
    "/metadata",
    Some(json!(["key", "value"])),
    "/metadata",
    "/properties/metadata/anyOf"
)]
#[case::session_currency_lowercase(
    Gr4vySchema::CheckoutSession,
    "/currency",
    Some(json!("usd")),
    "/currency",
    "/properties/currency/anyOf/0/pattern"
)]
#[case::session_amount_negative(
    Gr4vySchema::CheckoutSession,
    "/amount",
    Some(json!(-1)),
    "/amount",
    "/properties/amount/anyOf/0/minimum"
)]
#[case::cart_item_quantity_0(
    Gr4vySchema::CheckoutSession,
    "/cart_items/0/quantity",
    Some(json!(0)),
    "/cart_items/0/quantity",
    "/$defs/CartItem/properties/quantity/exclusiveMinimum"
)]
#[case::cart_item_quantity_above_max(
    Gr4vySchema::CheckoutSession,
    "/cart_items/0/quantity",
    Some(json!(100_000_000)),
    "/cart_items/0/quantity",
    "/$defs/CartItem/properties/quantity/maximum"
)]
#[case::cart_item_unit_amount_fractional(
    Gr4vySchema::CheckoutSession,
    "/cart_items/0/unit_amount",
    Some(json!(12.5)),
    "/cart_items/0/unit_amount",
    "/$defs/CartItem/properties/unit_amount/type"
)]
#[case::cart_item_missing_name(
    Gr4vySchema::CheckoutSession,
    "/cart_items/0/name",
    None,
    "/cart_items/0",
    "/$defs/CartItem/required"
)]
#[case::cart_item_name_empty(
    Gr4vySchema::CheckoutSession,
    "/cart_items/0/name",
    Some(json!("")),
    "/cart_items/0/name",
    "/$defs/CartItem/properties/name/minLength"
)]
#[case::cart_item_product_type_bogus(
    Gr4vySchema::CheckoutSession,
    "/cart_items/0/product_type",
    Some(json!("service")),
    "/cart_items/0/product_type",
    "/$defs/ProductType/enum"
)]
#[case::cart_item_unknown_field(
    Gr4vySchema::CheckoutSession,
    "/cart_items/0/price",
    Some(json!(37999)),
    "/cart_items/0",
    "/$defs/CartItem/additionalProperties"
)]
#[case::payment_method_method_not_card(
    Gr4vySchema::CheckoutSession,
    "/payment_method/method",
    Some(json!("paypal")),
    "/payment_method/method",
    "/$defs/CheckoutSessionPaymentMethod/properties/method/const"
)]
#[case::payment_method_scheme_bogus(
    Gr4vySchema::CheckoutSession,
    "/payment_method/scheme",
    Some(json!("Visa")),
    "/payment_method/scheme",
    "/$defs/CardScheme/enum"
)]
#[case::payment_method_card_country_lowercase(
    Gr4vySchema::CheckoutSession,
    "/payment_method/details/card_country",
    Some(json!("us")),
    "/payment_method/details/card_country",
    "/$defs/CheckoutSessionPaymentMethodDetails/properties/card_country/anyOf/0/pattern"
)]
#[case::airline_21_legs(
    Gr4vySchema::CheckoutSession,
    "/airline/legs",
    Some(json!(vec![json!({}); 21])),
    "/airline/legs",
    "/$defs/Airline/properties/legs/anyOf/0/maxItems"
)]
#[case::airline_passenger_phone_not_e164(
    Gr4vySchema::CheckoutSession,
    "/airline/passengers/0/phone_number",
    Some(json!("01234 567890")),
    "/airline/passengers/0/phone_number",
    "/$defs/AirlinePassenger/properties/phone_number/anyOf/0/pattern"
)]
#[case::buyer_tax_id_without_kind(
    Gr4vySchema::CheckoutSession,
    "/buyer/billing_details/tax_id/kind",
    None,
    "/buyer/billing_details/tax_id",
    "/$defs/TaxId/required"
)]
// error
#[case::error_missing_status(Gr4vySchema::Error, "/status", None, "", "/required")]
#[case::error_missing_code(Gr4vySchema::Error, "/code", None, "", "/required")]
#[case::error_missing_message(Gr4vySchema::Error, "/message", None, "", "/required")]
#[case::error_missing_details(Gr4vySchema::Error, "/details", None, "", "/required")]
#[case::error_type_not_error(
    Gr4vySchema::Error,
    "/type",
    Some(json!("Error")),
    "/type",
    "/$defs/Error404/properties/type/const"
)]
#[case::error_status_not_listed(
    Gr4vySchema::Error,
    "/status",
    Some(json!(418)),
    "/status",
    "/properties/status/enum"
)]
#[case::error_status_string(
    Gr4vySchema::Error,
    "/status",
    Some(json!("404")),
    "/status",
    "/properties/status/enum"
)]
#[case::error_code_number(
    Gr4vySchema::Error,
    "/code",
    Some(json!(404)),
    "/code",
    "/$defs/Error404/properties/code/type"
)]
#[case::error_resource_id_outside_409(
    Gr4vySchema::Error,
    "/resource_id",
    Some(json!("cdc70639-cb9c-4222-a73f-b8ce39f7821b")),
    "",
    "/$defs/Error404/additionalProperties"
)]
#[case::error_details_not_array(
    Gr4vySchema::Error,
    "/details",
    Some(json!({})),
    "/details",
    "/$defs/Error404/properties/details/type"
)]
#[case::error_detail_missing_pointer(
    Gr4vySchema::Error,
    "/details/0/pointer",
    None,
    "/details/0",
    "/$defs/ErrorDetail/required"
)]
#[case::error_detail_location_bogus(
    Gr4vySchema::Error,
    "/details/0/location",
    Some(json!("cookie")),
    "/details/0/location",
    "/$defs/ErrorLocation/enum"
)]
// validation-error (422)
#[case::validation_error_missing_detail(
    Gr4vySchema::ValidationError,
    "/detail",
    None,
    "",
    "/required"
)]
#[case::validation_error_detail_string(
    Gr4vySchema::ValidationError,
    "/detail",
    Some(json!("Not Found")),
    "/detail",
    "/properties/detail/type"
)]
#[case::validation_error_item_missing_msg(
    Gr4vySchema::ValidationError,
    "/detail/0/msg",
    None,
    "/detail/0",
    "/$defs/ValidationError/required"
)]
#[case::validation_error_loc_boolean(
    Gr4vySchema::ValidationError,
    "/detail/0/loc/0",
    Some(json!(true)),
    "/detail/0/loc/0",
    "/$defs/ValidationError/properties/loc/items/anyOf"
)]
// checkout-session-update (the request body)
#[case::request_metadata_value_number(
    Gr4vySchema::CheckoutSessionUpdate,
    "/metadata/order_id",
    Some(json!(6735)),
    "/metadata/order_id",
    "/properties/metadata/anyOf/0/additionalProperties/type"
)]
#[case::request_cart_item_quantity_0(
    Gr4vySchema::CheckoutSessionUpdate,
    "/cart_items/0/quantity",
    Some(json!(0)),
    "/cart_items/0/quantity",
    "/$defs/CartItem/properties/quantity/exclusiveMinimum"
)]
#[case::request_cart_item_negative_discount(
    Gr4vySchema::CheckoutSessionUpdate,
    "/cart_items/0/discount_amount",
    Some(json!(-1)),
    "/cart_items/0/discount_amount",
    "/$defs/CartItem/properties/discount_amount/anyOf/0/minimum"
)]
#[case::request_unknown_field(
    Gr4vySchema::CheckoutSessionUpdate,
    "/foo",
    Some(json!("bar")),
    "",
    "/additionalProperties"
)]
#[case::request_session_fields_not_updatable(
    Gr4vySchema::CheckoutSessionUpdate,
    "/id",
    Some(json!("8d3fe99b-1422-42e6-bbb3-932d95ae5f79")),
    "",
    "/additionalProperties"
)]
#[case::request_cart_items_object(
    Gr4vySchema::CheckoutSessionUpdate,
    "/cart_items",
    Some(json!({"name": "x", "quantity": 1, "unit_amount": 1})),
    "/cart_items",
    "/properties/cart_items/anyOf"
)]
#[case::request_expires_in_below_an_hour(
    Gr4vySchema::CheckoutSessionUpdate,
    "/expires_in",
    Some(json!(60)),
    "/expires_in",
    "/properties/expires_in/minimum"
)]
#[case::request_intent_bogus(
    Gr4vySchema::CheckoutSessionUpdate,
    "/intent",
    Some(json!("refund")),
    "/intent",
    "/$defs/TransactionIntent/enum"
)]
fn gr4vy_loosened_schema_is_caught(
    #[case] id: Gr4vySchema,
    #[case] at: &str,
    #[case] edit: Option<Value>,
    #[case] pointer: &str,
    #[case] schema_path: &str,
) {
    let instance = edited(gr4vy_base(id), at, edit);
    let violations = SchemaRegistry::embedded(Provider::Gr4vy)
        .validate(id, &instance)
        .expect_err("the edited instance must fail");
    assert!(
        violations
            .iter()
            .any(|v| v.pointer == pointer && v.schema_path == schema_path),
        "expected a violation at {pointer:?} by {schema_path:?}, got:\n{}",
        explain(&violations)
    );
}

// --- `format` is asserted ------------------------------------------------------------------------

/// The instance a format case edits: the provider's valid base body for `id`.
fn base_of(id: SchemaId) -> Value {
    match id.provider() {
        Provider::Stripe => base(id),
        Provider::Gr4vy => gr4vy_base(id),
    }
}

/// Every `format` the schemas declare is asserted, not just annotated (DERIVATION.md of each
/// provider): `value` at `at` in a valid body fails by `rule` at `at`, or (`rule` `None`) stays
/// valid.
#[rstest]
// Gr4vy `uuid`
#[case::gr4vy_session_id_uuid(
    Gr4vySchema::CheckoutSession.into(),
    "/id",
    json!("4137b1cf-39ac-42a8-bad6-1c680d5dab6b"),
    None
)]
#[case::gr4vy_session_id_uuid_uppercase(
    Gr4vySchema::CheckoutSession.into(),
    "/id",
    json!("4137B1CF-39AC-42A8-BAD6-1C680D5DAB6B"),
    None
)]
#[case::gr4vy_session_id_stripe_style(
    Gr4vySchema::CheckoutSession.into(),
    "/id",
    json!("cs_test_a1b2c3"),
    Some("/properties/id/format")
)]
#[case::gr4vy_session_id_uuid_without_hyphens(
    Gr4vySchema::CheckoutSession.into(),
    "/id",
    json!("4137b1cf39ac42a8bad61c680d5dab6b"),
    Some("/properties/id/format")
)]
#[case::gr4vy_session_id_uuid_truncated(
    Gr4vySchema::CheckoutSession.into(),
    "/id",
    json!("4137b1cf-39ac-42a8-bad6-1c680d5dab6"),
    Some("/properties/id/format")
)]
#[case::gr4vy_payment_service_id_uuid(
    Gr4vySchema::CheckoutSession.into(),
    "/payment_service_id",
    json!("fffd152a-9532-4087-9a4f-de58754210f0"),
    None
)]
#[case::gr4vy_payment_service_id_not_uuid(
    Gr4vySchema::CheckoutSession.into(),
    "/payment_service_id",
    json!("stripe-card"),
    Some("/properties/payment_service_id/anyOf/0/format")
)]
#[case::gr4vy_request_payment_service_id_not_uuid(
    Gr4vySchema::CheckoutSessionUpdate.into(),
    "/payment_service_id",
    json!("stripe-card"),
    Some("/properties/payment_service_id/anyOf/0/format")
)]
// The documentation's example has payment_method.id "<string>": relaxed (DERIVATION.md).
#[case::gr4vy_payment_method_id_any_string(
    Gr4vySchema::CheckoutSession.into(),
    "/payment_method/id",
    json!("<string>"),
    None
)]
// Gr4vy `date-time`
#[case::gr4vy_expires_at_offset(
    Gr4vySchema::CheckoutSession.into(),
    "/expires_at",
    json!("2013-07-16T19:23:00.000+00:00"),
    None
)]
#[case::gr4vy_expires_at_zulu(
    Gr4vySchema::CheckoutSession.into(),
    "/expires_at",
    json!("2022-01-01T00:00:00Z"),
    None
)]
#[case::gr4vy_expires_at_tomorrow(
    Gr4vySchema::CheckoutSession.into(),
    "/expires_at",
    json!("tomorrow"),
    Some("/properties/expires_at/format")
)]
#[case::gr4vy_expires_at_without_offset(
    Gr4vySchema::CheckoutSession.into(),
    "/expires_at",
    json!("2022-01-01T00:00:00"),
    Some("/properties/expires_at/format")
)]
#[case::gr4vy_expires_at_date_only(
    Gr4vySchema::CheckoutSession.into(),
    "/expires_at",
    json!("2022-01-01"),
    Some("/properties/expires_at/format")
)]
#[case::gr4vy_expires_at_month_13(
    Gr4vySchema::CheckoutSession.into(),
    "/expires_at",
    json!("2022-13-01T00:00:00Z"),
    Some("/properties/expires_at/format")
)]
#[case::gr4vy_airline_issued_at_not_date_time(
    Gr4vySchema::CheckoutSession.into(),
    "/airline/issued_at",
    json!("16/07/2013 19:23"),
    Some("/$defs/Airline/properties/issued_at/anyOf/0/format")
)]
#[case::gr4vy_leg_departure_at_not_date_time(
    Gr4vySchema::CheckoutSession.into(),
    "/airline/legs/0/departure_at",
    json!("soon"),
    Some("/$defs/AirlineLeg/properties/departure_at/anyOf/0/format")
)]
#[case::gr4vy_request_leg_arrival_at_not_date_time(
    Gr4vySchema::CheckoutSessionUpdate.into(),
    "/airline/legs/0/arrival_at",
    json!("tomorrow"),
    Some("/$defs/AirlineLeg/properties/arrival_at/anyOf/0/format")
)]
// Gr4vy `date`
#[case::gr4vy_date_of_birth_not_date(
    Gr4vySchema::CheckoutSession.into(),
    "/airline/passengers/0/date_of_birth",
    json!("2013-07-32"),
    Some("/$defs/AirlinePassenger/properties/date_of_birth/anyOf/0/format")
)]
#[case::gr4vy_request_date_of_birth_date_time(
    Gr4vySchema::CheckoutSessionUpdate.into(),
    "/airline/passengers/0/date_of_birth",
    json!("2013-07-16T00:00:00Z"),
    Some("/$defs/AirlinePassenger/properties/date_of_birth/anyOf/0/format")
)]
// Gr4vy `json-pointer`: the spec's `ErrorDetail.pointer` is `anyOf [json-pointer, string]`, so
// any string passes; the format changes nothing there.
#[case::gr4vy_error_detail_pointer(Gr4vySchema::Error.into(), "/details/0/pointer", json!("/a~1b"), None)]
#[case::gr4vy_error_detail_pointer_any_string(
    Gr4vySchema::Error.into(),
    "/details/0/pointer",
    json!("metadata.order_id"),
    None
)]
// Stripe `currency`: three lowercase letters (the spec's description)
#[case::stripe_session_currency_lowercase(
    StripeSchema::CheckoutSession.into(),
    "/currency",
    json!("eur"),
    None
)]
#[case::stripe_session_currency_uppercase(
    StripeSchema::CheckoutSession.into(),
    "/currency",
    json!("EUR"),
    Some("/properties/currency/format")
)]
#[case::stripe_item_currency_symbol(
    StripeSchema::Item.into(),
    "/currency",
    json!("$"),
    Some("/properties/currency/format")
)]
#[case::stripe_price_currency_four_letters(
    StripeSchema::Price.into(),
    "/currency",
    json!("usdc"),
    Some("/properties/currency/format")
)]
#[case::stripe_shipping_rate_currency_uppercase(
    StripeSchema::ShippingRate.into(),
    "/fixed_amount/currency",
    json!("USD"),
    Some("/$defs/shipping_rate_fixed_amount/properties/currency/format")
)]
// Stripe `decimal`
#[case::stripe_unit_amount_decimal_fraction(
    StripeSchema::Price.into(),
    "/unit_amount_decimal",
    json!("1234.5678"),
    None
)]
#[case::stripe_unit_amount_decimal_exponent(
    StripeSchema::Price.into(),
    "/unit_amount_decimal",
    json!("2e3"),
    Some("/properties/unit_amount_decimal/format")
)]
#[case::stripe_unit_amount_decimal_empty(
    StripeSchema::Price.into(),
    "/unit_amount_decimal",
    json!(""),
    Some("/properties/unit_amount_decimal/format")
)]
#[case::stripe_unit_amount_decimal_trailing_dot(
    StripeSchema::Price.into(),
    "/unit_amount_decimal",
    json!("2000."),
    Some("/properties/unit_amount_decimal/format")
)]
// Stripe `unix-time` is on integers only: not a string format, never a format violation.
#[case::stripe_created_unix_time(StripeSchema::CheckoutSession.into(), "/created", json!(0), None)]
fn declared_format_is_asserted(
    #[case] id: SchemaId,
    #[case] at: &str,
    #[case] value: Value,
    #[case] rule: Option<&str>,
) {
    let instance = edited(base_of(id), at, Some(value));
    let result = SchemaRegistry::embedded(id.provider()).validate(id, &instance);
    assert_violation(at, rule, result);
}

/// Panics unless `result` is what `rule` says: valid (`None`), or a violation at `at` of the
/// schema rule `rule`.
#[track_caller]
fn assert_violation(at: &str, rule: Option<&str>, result: Result<(), Vec<Violation>>) {
    match (rule, result) {
        (None, Ok(())) => {}
        (None, Err(violations)) => panic!("expected valid, got:\n{}", explain(&violations)),
        (Some(rule), Ok(())) => panic!("expected a violation at {at:?} by {rule:?}, got none"),
        (Some(rule), Err(violations)) => assert!(
            violations
                .iter()
                .any(|v| v.pointer == at && v.schema_path == rule),
            "expected a violation at {at:?} by {rule:?}, got:\n{}",
            explain(&violations)
        ),
    }
}

/// A copy of `schemas/gr4vy` whose session schema also declares `format: uri` on
/// `cart_items[].product_url`, `format: email` on `buyer.billing_details.email_address`, and a
/// format nobody knows on `cart_items[].sku`: the vendors' schemas declare none of these, but a
/// user's copy loaded with `from_provider_dir` gets the same assertions.
fn gr4vy_with_more_formats() -> &'static SchemaRegistry {
    static REGISTRY: std::sync::OnceLock<SchemaRegistry> = std::sync::OnceLock::new();
    REGISTRY.get_or_init(|| {
        let scratch = ScratchDir::copy_of(Provider::Gr4vy, GR4VY_SCHEMA_DIR, "formats");
        let path = scratch
            .0
            .join(SchemaId::from(Gr4vySchema::CheckoutSession).file_name());
        let mut schema: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("JSON");
        for (at, format) in [
            ("/$defs/CartItem/properties/product_url/anyOf/0", "uri"),
            (
                "/$defs/BillingDetails/properties/email_address/anyOf/0",
                "email",
            ),
            ("/$defs/CartItem/properties/sku/anyOf/0", "x-no-such-format"),
        ] {
            schema.pointer_mut(at).expect(at)["format"] = json!(format);
        }
        std::fs::write(&path, schema.to_string()).expect("write");
        SchemaRegistry::from_provider_dir(Provider::Gr4vy, &scratch.0).expect("loads")
    })
}

#[rstest]
#[case::uri_https("/cart_items/0/product_url", json!("https://example.com/items/gopro"), None)]
#[case::uri_relative(
    "/cart_items/0/product_url",
    json!("/items/gopro"),
    Some("/$defs/CartItem/properties/product_url/anyOf/0/format")
)]
#[case::uri_not_a_uri(
    "/cart_items/0/product_url",
    json!("example dot com"),
    Some("/$defs/CartItem/properties/product_url/anyOf/0/format")
)]
#[case::email("/buyer/billing_details/email_address", json!("john@example.com"), None)]
#[case::email_without_at(
    "/buyer/billing_details/email_address",
    json!("john.example.com"),
    Some("/$defs/BillingDetails/properties/email_address/anyOf/0/format")
)]
#[case::unknown_format_is_an_annotation("/cart_items/0/sku", json!("anything at all"), None)]
#[case::session_id_still_a_uuid("/id", json!("not-a-uuid"), Some("/properties/id/format"))]
fn format_declared_in_a_loaded_schema_is_asserted(
    #[case] at: &str,
    #[case] value: Value,
    #[case] rule: Option<&str>,
) {
    let id = Gr4vySchema::CheckoutSession;
    let instance = edited(gr4vy_base(id), at, Some(value));
    let result = gr4vy_with_more_formats().validate(id, &instance);
    assert_violation(at, rule, result);
}

#[test]
fn gr4vy_error_violation_names_the_status_shape() {
    let body = edited(
        gr4vy_error(401, "unauthorized"),
        "/type",
        Some(json!("Error")),
    );
    let violations = SchemaRegistry::embedded(Provider::Gr4vy)
        .validate(Gr4vySchema::Error, &body)
        .expect_err("type is not error");
    assert_eq!(
        violations
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        [r#"at /type: "error" was expected (schema rule /$defs/Error401/properties/type/const)"#]
    );
}

#[test]
fn gr4vy_from_provider_dir_gives_the_embedded_verdicts() {
    let on_disk = SchemaRegistry::from_provider_dir(Provider::Gr4vy, Path::new(GR4VY_SCHEMA_DIR))
        .expect("schemas/gr4vy loads");
    assert_eq!(on_disk.provider(), Provider::Gr4vy);
    let embedded = SchemaRegistry::embedded(Provider::Gr4vy);
    for id in SchemaId::of(Provider::Gr4vy) {
        let good = gr4vy_base(id);
        let bad = json!({"type": 1, "status": "x", "detail": 2, "cart_items": [{}], "id": 3});
        for instance in [good, bad] {
            assert_eq!(
                on_disk.validate(id, &instance),
                embedded.validate(id, &instance),
                "{id}"
            );
        }
    }
}

#[test]
fn stripe_from_dir_is_from_provider_dir_stripe() {
    let legacy =
        SchemaRegistry::from_provider_dir(Provider::Stripe, Path::new(SCHEMA_DIR)).expect("loads");
    let general =
        SchemaRegistry::from_provider_dir(Provider::Stripe, Path::new(SCHEMA_DIR)).expect("loads");
    assert_eq!(legacy.provider(), Provider::Stripe);
    let bad = json!({"object": "checkout.session"});
    assert_eq!(
        legacy.validate(StripeSchema::CheckoutSession, &bad),
        general.validate(StripeSchema::CheckoutSession, &bad)
    );
}

#[test]
fn gr4vy_from_provider_dir_reports_a_missing_file() {
    let scratch = ScratchDir::copy_of(Provider::Gr4vy, GR4VY_SCHEMA_DIR, "missing");
    let gone = scratch.0.join("validation-error.json");
    std::fs::remove_file(&gone).expect("remove");

    let err =
        SchemaRegistry::from_provider_dir(Provider::Gr4vy, &scratch.0).expect_err("missing file");
    assert!(
        matches!(&err, SchemaError::Read { path, .. } if path == &gone),
        "{err:?}"
    );
}

#[test]
fn gr4vy_from_provider_dir_reports_malformed_json_with_path_and_line() {
    let scratch = ScratchDir::copy_of(Provider::Gr4vy, GR4VY_SCHEMA_DIR, "malformed");
    let bad = scratch.0.join("error.json");
    std::fs::write(&bad, "{\n  \"type\": \"object\",\n  \"allOf\": [,]\n}\n").expect("write");

    let err =
        SchemaRegistry::from_provider_dir(Provider::Gr4vy, &scratch.0).expect_err("malformed JSON");
    assert!(
        matches!(&err, SchemaError::Parse { path, line: 3, column: 13, .. } if path == &bad),
        "{err:?}"
    );
}

#[test]
fn a_stripe_directory_is_not_a_gr4vy_one() {
    let err = SchemaRegistry::from_provider_dir(Provider::Gr4vy, Path::new(SCHEMA_DIR))
        .expect_err("schemas/stripe has no checkout-session.json");
    assert!(
        matches!(&err, SchemaError::Read { path, .. }
            if path == &Path::new(SCHEMA_DIR).join("checkout-session.json")),
        "{err:?}"
    );
}

#[test]
#[should_panic(expected = "schema gr4vy.error is not in the stripe registry")]
fn validating_against_another_providers_schema_is_a_bug() {
    let _ = SchemaRegistry::embedded(Provider::Stripe).validate(Gr4vySchema::Error, &json!({}));
}

#[rstest]
#[case::session(json!({"type": "checkout-session"}), Some(Gr4vySchema::CheckoutSession))]
#[case::doc_example(
    gr4vy_fixture("doc-example.update-response.json"),
    Some(Gr4vySchema::CheckoutSession)
)]
#[case::error(gr4vy_error(404, "not_found"), Some(Gr4vySchema::Error))]
#[case::error_by_type_alone(json!({"type": "error"}), Some(Gr4vySchema::Error))]
#[case::validation_error(gr4vy_validation_error(), Some(Gr4vySchema::ValidationError))]
#[case::fastapi_detail_string(json!({"detail": "Not Found"}), Some(Gr4vySchema::ValidationError))]
#[case::type_wins_over_detail(json!({"type": "error", "detail": []}), Some(Gr4vySchema::Error))]
#[case::payment_method(json!({"type": "payment-method"}), None)]
#[case::type_not_a_string(json!({"type": 1}), None)]
#[case::request_body(gr4vy_update_request(), None)]
#[case::stripe_session(json!({"object": "checkout.session"}), None)]
#[case::stripe_error(error_envelope(), None)]
#[case::not_an_object(json!(["checkout-session"]), None)]
#[case::empty(json!({}), None)]
fn gr4vy_for_object_picks_the_schema(#[case] body: Value, #[case] expected: Option<Gr4vySchema>) {
    assert_eq!(
        SchemaRegistry::embedded(Provider::Gr4vy).for_object(&body),
        expected.map(SchemaId::from)
    );
}

#[rstest]
#[case::gr4vy_session(json!({"type": "checkout-session"}))]
#[case::gr4vy_error(gr4vy_error(400, "bad_request"))]
#[case::gr4vy_validation_error(gr4vy_validation_error())]
fn stripe_for_object_ignores_gr4vy_bodies(#[case] body: Value) {
    assert_eq!(
        SchemaRegistry::embedded(Provider::Stripe).for_object(&body),
        None
    );
}
