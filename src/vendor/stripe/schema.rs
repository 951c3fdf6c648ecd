//! Stripe's response schemas (`schemas/stripe/`, derived by `schemas/stripe/derive.py`; see its
//! `DERIVATION.md`): the table, how an answer picks its schema, and the `format`s of Stripe's own.

use crate::schema::{SchemaDef, SchemaId, SchemaRegistry};
use crate::vendor::Provider;
use serde_json::Value;
use std::sync::OnceLock;

/// Stripe's schemas, in registry order.
pub(crate) const TABLE: &[SchemaDef] = &[
    SchemaDef {
        id: SchemaId::CheckoutSession,
        name: "checkout.session",
        file_name: "checkout.session.json",
        text: include_str!("../../../schemas/stripe/checkout.session.json"),
    },
    SchemaDef {
        id: SchemaId::ItemList,
        name: "item.list",
        file_name: "item.list.json",
        text: include_str!("../../../schemas/stripe/item.list.json"),
    },
    SchemaDef {
        id: SchemaId::Item,
        name: "item",
        file_name: "item.json",
        text: include_str!("../../../schemas/stripe/item.json"),
    },
    SchemaDef {
        id: SchemaId::Error,
        name: "error",
        file_name: "error.json",
        text: include_str!("../../../schemas/stripe/error.json"),
    },
    SchemaDef {
        id: SchemaId::Price,
        name: "price",
        file_name: "price.json",
        text: include_str!("../../../schemas/stripe/price.json"),
    },
    SchemaDef {
        id: SchemaId::ShippingRate,
        name: "shipping_rate",
        file_name: "shipping_rate.json",
        text: include_str!("../../../schemas/stripe/shipping_rate.json"),
    },
];

/// The embedded registry, compiled on first use.
pub(crate) fn registry() -> &'static SchemaRegistry {
    static REGISTRY: OnceLock<SchemaRegistry> = OnceLock::new();
    REGISTRY.get_or_init(|| SchemaRegistry::compile_embedded(Provider::Stripe))
}

/// By the answer's `object` (`checkout.session`, `list` (taken as a list of line items),
/// `item`, `price`, `shipping_rate`), else the error envelope when it has a top-level `error`.
pub(crate) fn pick(body: &Value) -> Option<SchemaId> {
    match body.get("object").and_then(Value::as_str) {
        Some("checkout.session") => Some(SchemaId::CheckoutSession),
        Some("list") => Some(SchemaId::ItemList),
        Some("item") => Some(SchemaId::Item),
        Some("price") => Some(SchemaId::Price),
        Some("shipping_rate") => Some(SchemaId::ShippingRate),
        _ if body.get("error").is_some() => Some(SchemaId::Error),
        _ => None,
    }
}

/// `currency` is [`is_stripe_currency`] and `decimal` is [`is_decimal_string`], the meanings
/// Stripe's descriptions give them; `unix-time` is left unknown: it is only ever on
/// `type: integer` fields, and a `format` check applies to strings only.
pub(crate) fn formats(
    options: jsonschema::ValidationOptions<'static>,
) -> jsonschema::ValidationOptions<'static> {
    options
        .with_format("currency", is_stripe_currency)
        .with_format("decimal", is_decimal_string)
}

/// Stripe's `format: currency`: "Three-letter ISO currency code, in lowercase" (the spec's
/// description of every such field). Whether Stripe supports the currency is not checked.
fn is_stripe_currency(s: &str) -> bool {
    s.len() == 3 && s.bytes().all(|b| b.is_ascii_lowercase())
}

/// Stripe's `format: decimal` (`price.unit_amount_decimal`, the amount in cents written as a
/// string, such as `"2000"` or `"1234.5"`): an optional `-`, digits, and an optional `.`
/// followed by digits. No exponent, no `+`, no leading or trailing `.`.
fn is_decimal_string(s: &str) -> bool {
    let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    let unsigned = s.strip_prefix('-').unwrap_or(s);
    match unsigned.split_once('.') {
        Some((whole, fraction)) => digits(whole) && digits(fraction),
        None => digits(unsigned),
    }
}
