//! The schema registry: embedded schemas compile, Stripe's own examples pass, loosened schemas
//! are caught by negative cases, and loading from disk reports bad files precisely.

use std::path::{Path, PathBuf};

use checkout_conformance::schema::{SchemaError, SchemaId, SchemaRegistry, Violation};
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

fn base(id: SchemaId) -> Value {
    match id {
        SchemaId::CheckoutSession => rich_session(),
        SchemaId::ItemList => item_list(),
        SchemaId::Item => fixture("fixture.item.json"),
        SchemaId::Error => error_envelope(),
        SchemaId::Price => fixture("fixture.price.json"),
        SchemaId::ShippingRate => fixture("fixture.shipping_rate.json"),
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
    let registry = SchemaRegistry::stripe();
    for &id in SchemaId::all() {
        // Also forces the lazy compilation of every validator's subschemas.
        assert_eq!(registry.validate(id, &base(id)), Ok(()), "{id}");
    }
}

#[test]
fn schema_ids_are_distinct_and_named_after_their_files() {
    for &id in SchemaId::all() {
        assert_eq!(id.file_name(), format!("{}.json", id.name()));
        assert_eq!(id.to_string(), id.name());
        assert!(Path::new(SCHEMA_DIR).join(id.file_name()).is_file(), "{id}");
    }
    let names: std::collections::HashSet<_> = SchemaId::all().iter().map(|id| id.name()).collect();
    assert_eq!(names.len(), SchemaId::all().len());
}

#[rstest]
#[case::fixture_session("fixture.checkout.session.json", SchemaId::CheckoutSession)]
#[case::doc_example_update_response("doc-example.update-response.json", SchemaId::CheckoutSession)]
#[case::fixture_item("fixture.item.json", SchemaId::Item)]
#[case::fixture_price("fixture.price.json", SchemaId::Price)]
#[case::fixture_shipping_rate("fixture.shipping_rate.json", SchemaId::ShippingRate)]
fn stripe_examples_validate(#[case] file: &str, #[case] id: SchemaId) {
    let instance = fixture(file);
    let registry = SchemaRegistry::stripe();
    assert_eq!(registry.for_object(&instance), Some(id));
    if let Err(violations) = registry.validate(id, &instance) {
        panic!("{file} fails {id}:\n{}", explain(&violations));
    }
}

#[test]
fn error_envelope_validates() {
    let registry = SchemaRegistry::stripe();
    assert_eq!(
        registry.validate(SchemaId::Error, &error_envelope()),
        Ok(())
    );
}

#[test]
fn expanded_session_validates() {
    let result = SchemaRegistry::stripe().validate(SchemaId::CheckoutSession, &rich_session());
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
#[case::session_missing_id(SchemaId::CheckoutSession, "/id", None, "", "/required")]
#[case::session_wrong_object(
    SchemaId::CheckoutSession,
    "/object",
    Some(json!("checkout_session")),
    "/object",
    "/properties/object/enum"
)]
#[case::session_metadata_value_501_chars(
    SchemaId::CheckoutSession,
    "/metadata/k",
    Some(json!("x".repeat(501))),
    "/metadata/k",
    "/properties/metadata/additionalProperties/maxLength"
)]
#[case::session_metadata_value_not_string(
    SchemaId::CheckoutSession,
    "/metadata/k",
    Some(json!(1)),
    "/metadata/k",
    "/properties/metadata/additionalProperties/type"
)]
#[case::session_status_bogus(
    SchemaId::CheckoutSession,
    "/status",
    Some(json!("bogus")),
    "/status",
    "/properties/status/enum"
)]
#[case::session_mode_bogus(
    SchemaId::CheckoutSession,
    "/mode",
    Some(json!("bogus")),
    "/mode",
    "/properties/mode/enum"
)]
#[case::session_ui_mode_pre_dahlia_name(
    SchemaId::CheckoutSession,
    "/ui_mode",
    Some(json!("custom")),
    "/ui_mode",
    "/properties/ui_mode/enum"
)]
#[case::session_livemode_null(
    SchemaId::CheckoutSession,
    "/livemode",
    Some(Value::Null),
    "/livemode",
    "/properties/livemode/type"
)]
#[case::session_created_string(
    SchemaId::CheckoutSession,
    "/created",
    Some(json!("1679600215")),
    "/created",
    "/properties/created/type"
)]
#[case::session_missing_shipping_options(
    SchemaId::CheckoutSession,
    "/shipping_options",
    None,
    "",
    "/required"
)]
#[case::session_six_shipping_options(
    SchemaId::CheckoutSession,
    "/shipping_options",
    Some(json!(vec![json!({"shipping_amount": 0, "shipping_rate": "shr_1"}); 6])),
    "/shipping_options",
    "/properties/shipping_options/maxItems"
)]
#[case::shipping_option_missing_shipping_amount(
    SchemaId::CheckoutSession,
    "/shipping_options/1",
    Some(json!({"shipping_rate": "shr_123"})),
    "/shipping_options/1",
    "/$defs/payment_pages_checkout_session_shipping_option/required"
)]
#[case::shipping_option_rate_neither_id_nor_object(
    SchemaId::CheckoutSession,
    "/shipping_options/1/shipping_rate",
    Some(json!(42)),
    "/shipping_options/1/shipping_rate",
    "/$defs/payment_pages_checkout_session_shipping_option/properties/shipping_rate/anyOf"
)]
#[case::expanded_shipping_rate_type_bogus(
    SchemaId::CheckoutSession,
    "/shipping_options/0/shipping_rate/type",
    Some(json!("calculated")),
    "/shipping_options/0/shipping_rate/type",
    "/$defs/shipping_rate/properties/type/enum"
)]
#[case::session_line_item_missing_amount_total(
    SchemaId::CheckoutSession,
    "/line_items/data/0/amount_total",
    None,
    "/line_items/data/0",
    "/$defs/item/required"
)]
// item.list and item
#[case::list_missing_has_more(SchemaId::ItemList, "/has_more", None, "", "/required")]
#[case::list_wrong_object(
    SchemaId::ItemList,
    "/object",
    Some(json!("search_result")),
    "/object",
    "/properties/object/enum"
)]
#[case::list_data_not_items(
    SchemaId::ItemList,
    "/data/0/object",
    Some(json!("price")),
    "/data/0/object",
    "/$defs/item/properties/object/enum"
)]
#[case::item_missing_amount_total(SchemaId::Item, "/amount_total", None, "", "/required")]
#[case::item_quantity_string(
    SchemaId::Item,
    "/quantity",
    Some(json!("1")),
    "/quantity",
    "/properties/quantity/type"
)]
#[case::item_adjustable_quantity_without_enabled(
    SchemaId::Item,
    "/adjustable_quantity/enabled",
    None,
    "/adjustable_quantity",
    "/$defs/line_items_adjustable_quantity/required"
)]
#[case::item_price_product_number(
    SchemaId::Item,
    "/price/product",
    Some(json!(7)),
    "/price/product",
    "/$defs/price/properties/product/anyOf"
)]
// error
#[case::envelope_without_error(SchemaId::Error, "/error", None, "", "/required")]
#[case::error_type_not_in_enum(
    SchemaId::Error,
    "/error/type",
    Some(json!("validation_error")),
    "/error/type",
    "/$defs/api_errors/properties/type/enum"
)]
#[case::error_without_type(
    SchemaId::Error,
    "/error/type",
    None,
    "/error",
    "/$defs/api_errors/required"
)]
#[case::error_param_not_string(
    SchemaId::Error,
    "/error/param",
    Some(json!(["line_items", 0, "foo"])),
    "/error/param",
    "/$defs/api_errors/properties/param/type"
)]
// price
#[case::price_wrong_object(
    SchemaId::Price,
    "/object",
    Some(json!("plan")),
    "/object",
    "/properties/object/const"
)]
#[case::price_missing_recurring(SchemaId::Price, "/recurring", None, "", "/required")]
#[case::price_unit_amount_string(
    SchemaId::Price,
    "/unit_amount",
    Some(json!("2000")),
    "/unit_amount",
    "/properties/unit_amount/type"
)]
#[case::price_recurring_interval_bogus(
    SchemaId::Price,
    "/recurring/interval",
    Some(json!("fortnight")),
    "/recurring/interval",
    "/$defs/recurring/properties/interval/enum"
)]
// shipping_rate
#[case::shipping_rate_wrong_object(
    SchemaId::ShippingRate,
    "/object",
    Some(json!("shipping_option")),
    "/object",
    "/properties/object/const"
)]
#[case::shipping_rate_missing_fixed_amount(
    SchemaId::ShippingRate,
    "/fixed_amount",
    None,
    "",
    "/required"
)]
#[case::shipping_rate_fixed_amount_without_currency(
    SchemaId::ShippingRate,
    "/fixed_amount/currency",
    None,
    "/fixed_amount",
    "/$defs/shipping_rate_fixed_amount/required"
)]
#[case::shipping_rate_delivery_unit_bogus(
    SchemaId::ShippingRate,
    "/delivery_estimate/maximum/unit",
    Some(json!("year")),
    "/delivery_estimate/maximum/unit",
    "/$defs/shipping_rate_delivery_estimate_bound/properties/unit/enum"
)]
#[case::shipping_rate_type_bogus(
    SchemaId::ShippingRate,
    "/type",
    Some(json!("calculated")),
    "/type",
    "/properties/type/enum"
)]
fn loosened_schema_is_caught(
    #[case] id: SchemaId,
    #[case] at: &str,
    #[case] edit: Option<Value>,
    #[case] pointer: &str,
    #[case] schema_path: &str,
) {
    let instance = edited(base(id), at, edit);
    let violations = SchemaRegistry::stripe()
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
    let instance = edited(base(SchemaId::Error), "/error", None);
    let violations = SchemaRegistry::stripe()
        .validate(SchemaId::Error, &instance)
        .expect_err("no error key");
    assert_eq!(
        violations[0].to_string(),
        r#"at (root): "error" is a required property (schema rule /required)"#
    );
}

#[test]
fn from_dir_gives_the_embedded_verdicts() {
    let on_disk = SchemaRegistry::from_dir(Path::new(SCHEMA_DIR)).expect("schemas/stripe loads");
    let embedded = SchemaRegistry::stripe();
    for &id in SchemaId::all() {
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
        let dir = std::env::temp_dir().join(format!(
            "checkout-conformance-schemas-{tag}-{}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).expect("create scratch dir");
        for &id in SchemaId::all() {
            std::fs::copy(
                Path::new(SCHEMA_DIR).join(id.file_name()),
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

    let err = SchemaRegistry::from_dir(&scratch.0).expect_err("malformed JSON");
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

    let err = SchemaRegistry::from_dir(&scratch.0).expect_err("invalid schema");
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

    let err = SchemaRegistry::from_dir(&scratch.0).expect_err("remote refs are not fetched");
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

    let err = SchemaRegistry::from_dir(&scratch.0).expect_err("missing file");
    assert!(
        matches!(&err, SchemaError::Read { path, .. } if path == &gone),
        "{err:?}"
    );
}

#[rstest]
#[case::session(json!({"object": "checkout.session"}), Some(SchemaId::CheckoutSession))]
#[case::list(json!({"object": "list", "data": []}), Some(SchemaId::ItemList))]
#[case::item(json!({"object": "item"}), Some(SchemaId::Item))]
#[case::price(json!({"object": "price"}), Some(SchemaId::Price))]
#[case::shipping_rate(json!({"object": "shipping_rate"}), Some(SchemaId::ShippingRate))]
#[case::error_envelope(error_envelope(), Some(SchemaId::Error))]
#[case::unknown_object_with_error_key(json!({"object": "x", "error": {}}), Some(SchemaId::Error))]
#[case::unknown_object(json!({"object": "customer"}), None)]
#[case::object_not_a_string(json!({"object": 1}), None)]
#[case::not_an_object(json!(["checkout.session"]), None)]
#[case::empty(json!({}), None)]
fn for_object_picks_the_schema(#[case] body: Value, #[case] expected: Option<SchemaId>) {
    assert_eq!(SchemaRegistry::stripe().for_object(&body), expected);
}
