//! Stripe's response schemas (`schemas/stripe/`, derived by `schemas/stripe/derive.py`; see its
//! `DERIVATION.md`): the table, how an answer picks its schema, and the `format`s of Stripe's own.

use crate::schema::{vendor_schemas, SchemaRegistry};
use crate::vendor::Provider;
use serde_json::Value;
use std::sync::OnceLock;

vendor_schemas! {
    /// Stripe's schemas: the enum Stripe's schemas are named with, and (declared with it) their
    /// table, in this order. An answer picks its schema by its `object` (`checkout.session`,
    /// `list` (taken as a list of line items), `item`, `price`, `shipping_rate`), else
    /// [`StripeSchema::Error`] when it has a top-level `error` key
    /// ([`SchemaRegistry::for_object`]). Each is named after the `object` it describes
    /// (`item.list` for the list, `error` for the envelope), its file after its name.
    ///
    /// # Example
    ///
    /// ```rust
    /// use checkout_conformance::schema::{SchemaId, SchemaRegistry};
    /// use checkout_conformance::vendor::stripe::schema::StripeSchema;
    /// use checkout_conformance::vendor::Provider;
    /// use serde_json::json;
    ///
    /// let id = SchemaId::from(StripeSchema::ShippingRate);
    /// assert_eq!((id.provider(), id.name(), id.file_name()),
    ///            (Provider::Stripe, "shipping_rate", "shipping_rate.json"));
    /// let registry = SchemaRegistry::embedded(Provider::Stripe);
    /// let body = json!({"error": {"type": "invalid_request_error"}});
    /// assert_eq!(registry.for_object(&body), Some(StripeSchema::Error.into()));
    /// assert!(registry.validate(StripeSchema::Error, &body).is_ok());
    /// ```
    pub enum StripeSchema for Provider::Stripe, files in "../../../schemas/stripe/" {
        /// A `checkout.session` object: what Stripe's "Update a Checkout Session" returns.
        CheckoutSession => "checkout.session", "checkout.session.json";
        /// A `list` of line `item`s (`GET /v1/checkout/sessions/{id}/line_items`, expanded
        /// `line_items`).
        ItemList => "item.list", "item.list.json";
        /// A line `item` of a Checkout Session.
        Item => "item", "item.json";
        /// Stripe's error envelope `{"error": {"type", "code", "param", "message", ...}}`.
        Error => "error", "error.json";
        /// A `price` object.
        Price => "price", "price.json";
        /// A `shipping_rate` object.
        ShippingRate => "shipping_rate", "shipping_rate.json";
    }
}

/// The embedded registry, compiled on first use.
pub(crate) fn registry() -> &'static SchemaRegistry {
    static REGISTRY: OnceLock<SchemaRegistry> = OnceLock::new();
    REGISTRY.get_or_init(|| SchemaRegistry::compile_embedded(Provider::Stripe))
}

/// By the answer's `object` (`checkout.session`, `list` (taken as a list of line items),
/// `item`, `price`, `shipping_rate`), else the error envelope when it has a top-level `error`.
pub(crate) fn pick(body: &Value) -> Option<StripeSchema> {
    match body.get("object").and_then(Value::as_str) {
        Some("checkout.session") => Some(StripeSchema::CheckoutSession),
        Some("list") => Some(StripeSchema::ItemList),
        Some("item") => Some(StripeSchema::Item),
        Some("price") => Some(StripeSchema::Price),
        Some("shipping_rate") => Some(StripeSchema::ShippingRate),
        _ if body.get("error").is_some() => Some(StripeSchema::Error),
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
