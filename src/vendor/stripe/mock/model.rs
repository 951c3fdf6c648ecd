//! The objects the Stripe mock keeps, and how each is rendered as JSON.
//!
//! Rendering follows the shape of the documentation's example response and of Stripe's official
//! fixtures, so that every body validates against `schemas/stripe/`.

use super::param_kinds::overlay;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

pub type Metadata = BTreeMap<String, String>;

/// A random id with Stripe's prefix: `cs_test_…`, `li_…`, `price_…`.
pub fn new_id(prefix: &str, len: usize) -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut id = String::with_capacity(prefix.len() + len);
    id.push_str(prefix);
    id.extend((0..len).map(|_| ALPHABET[fastrand::usize(..ALPHABET.len())] as char));
    id
}

pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

#[derive(Debug, Clone, PartialEq)]
pub struct Recurring {
    pub interval: String,
    pub interval_count: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Price {
    pub id: String,
    pub product: String,
    pub currency: String,
    pub unit_amount: Option<i64>,
    pub unit_amount_decimal: String,
    pub recurring: Option<Recurring>,
    pub tax_behavior: String,
    pub metadata: Metadata,
    pub nickname: Option<String>,
    pub created: i64,
    /// The product's name, used as the line item's description.
    pub product_name: String,
    /// The create call's other parameters, typed ([`super::param_kinds::read`]), rendered where
    /// the object has the field.
    pub extra: Map<String, Value>,
}

impl Price {
    /// What one unit costs, in the smallest currency unit, rounded half away from zero.
    pub fn unit_cents(&self) -> f64 {
        match self.unit_amount {
            Some(n) => n as f64,
            None => self.unit_amount_decimal.parse().unwrap_or(0.0),
        }
    }

    pub fn to_json(&self) -> Value {
        let mut price = json!({
            "id": self.id,
            "object": "price",
            "active": true,
            "billing_scheme": "per_unit",
            "created": self.created,
            "currency": self.currency,
            "custom_unit_amount": null,
            "livemode": false,
            "lookup_key": null,
            "metadata": self.metadata,
            "nickname": self.nickname,
            "product": self.product,
            "recurring": self.recurring.as_ref().map(|r| json!({
                "interval": r.interval,
                "interval_count": r.interval_count,
                "meter": null,
                "trial_period_days": null,
                "usage_type": "licensed",
            })),
            "tax_behavior": self.tax_behavior,
            "tiers_mode": null,
            "transform_quantity": null,
            "type": if self.recurring.is_some() { "recurring" } else { "one_time" },
            "unit_amount": self.unit_amount,
            "unit_amount_decimal": self.unit_amount_decimal,
        });
        overlay(&mut price, &self.extra);
        price
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct AdjustableQuantity {
    pub enabled: bool,
    pub maximum: Option<i64>,
    pub minimum: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LineItem {
    pub id: String,
    pub price: Price,
    pub quantity: i64,
    pub adjustable_quantity: Option<AdjustableQuantity>,
    pub metadata: Metadata,
    pub tax_rates: Vec<String>,
}

impl LineItem {
    pub fn amount(&self) -> i64 {
        (self.price.unit_cents() * self.quantity as f64).round() as i64
    }

    pub fn to_json(&self) -> Value {
        let amount = self.amount();
        json!({
            "id": self.id,
            "object": "item",
            "adjustable_quantity": self.adjustable_quantity.as_ref().map(|a| json!({
                "enabled": a.enabled,
                "maximum": a.maximum,
                "minimum": a.minimum,
            })),
            "amount_discount": 0,
            "amount_subtotal": amount,
            "amount_tax": 0,
            "amount_total": amount,
            "currency": self.price.currency,
            "description": self.price.product_name,
            "metadata": self.metadata,
            "price": self.price.to_json(),
            "quantity": self.quantity,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct CurrencyOption {
    pub amount: i64,
    pub tax_behavior: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FixedAmount {
    pub amount: i64,
    pub currency: String,
    pub currency_options: BTreeMap<String, CurrencyOption>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Bound {
    pub unit: String,
    pub value: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ShippingRate {
    pub id: String,
    pub display_name: String,
    pub fixed_amount: Option<FixedAmount>,
    pub minimum: Option<Bound>,
    pub maximum: Option<Bound>,
    pub tax_behavior: String,
    pub tax_code: Option<String>,
    pub metadata: Metadata,
    pub created: i64,
    /// The create call's other parameters (see [`Price::extra`]).
    pub extra: Map<String, Value>,
}

impl ShippingRate {
    pub fn amount(&self) -> i64 {
        self.fixed_amount.as_ref().map_or(0, |f| f.amount)
    }

    pub fn to_json(&self) -> Value {
        let bound = |b: &Option<Bound>| {
            b.as_ref()
                .map(|b| json!({"unit": b.unit, "value": b.value}))
        };
        let estimate = (self.minimum.is_some() || self.maximum.is_some())
            .then(|| json!({"minimum": bound(&self.minimum), "maximum": bound(&self.maximum)}));
        let mut rate = json!({
            "id": self.id,
            "object": "shipping_rate",
            "active": true,
            "created": self.created,
            "delivery_estimate": estimate,
            "display_name": self.display_name,
            "fixed_amount": self.fixed_amount.as_ref().map(|f| {
                let mut fixed = json!({"amount": f.amount, "currency": f.currency});
                if !f.currency_options.is_empty() {
                    fixed["currency_options"] = f.currency_options.iter()
                        .map(|(c, o)| (c.clone(), json!({
                            "amount": o.amount,
                            "tax_behavior": o.tax_behavior.as_deref().unwrap_or("unspecified"),
                        })))
                        .collect::<Map<_, _>>()
                        .into();
                }
                fixed
            }),
            "livemode": false,
            "metadata": self.metadata,
            "tax_behavior": self.tax_behavior,
            "tax_code": self.tax_code,
            "type": "fixed_amount",
        });
        overlay(&mut rate, &self.extra);
        rate
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Address {
    pub city: Option<String>,
    pub country: String,
    pub line1: String,
    pub line2: Option<String>,
    pub postal_code: Option<String>,
    pub state: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ShippingDetails {
    pub name: String,
    pub address: Address,
}

/// Amounts as last computed. Stored rather than derived, so that a fault can leave them stale.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Totals {
    pub amount_subtotal: i64,
    pub amount_shipping: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UiMode {
    /// Custom UI (`custom` in older API versions).
    Elements,
    /// Embedded (`embedded` in older API versions).
    EmbeddedPage,
    /// Stripe-hosted page (`hosted` in older API versions).
    HostedPage,
    /// `form` (new in 2026-03-25.dahlia; no older name). The update documentation does not name
    /// it: the mock treats it as an embedded UI (a `client_secret`, no `url`; line items are
    /// updatable on `elements` sessions only).
    Form,
}

impl UiMode {
    pub fn parse(s: &str) -> Option<UiMode> {
        match s {
            "elements" => Some(UiMode::Elements),
            "embedded_page" => Some(UiMode::EmbeddedPage),
            "hosted_page" => Some(UiMode::HostedPage),
            "form" => Some(UiMode::Form),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            UiMode::Elements => "elements",
            UiMode::EmbeddedPage => "embedded_page",
            UiMode::HostedPage => "hosted_page",
            UiMode::Form => "form",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub id: String,
    pub mode: String,
    pub ui_mode: UiMode,
    pub status: &'static str,
    pub currency: Option<String>,
    pub line_items: Vec<LineItem>,
    pub metadata: Metadata,
    pub shipping_options: Vec<ShippingRate>,
    pub shipping_details: Option<ShippingDetails>,
    pub success_url: Option<String>,
    pub return_url: Option<String>,
    pub cancel_url: Option<String>,
    pub customer_email: Option<String>,
    pub client_reference_id: Option<String>,
    pub payment_method_types: Vec<String>,
    pub update_shipping_details: Option<String>,
    pub redirect_on_completion: Option<String>,
    pub created: i64,
    pub expires_at: i64,
    pub totals: Totals,
    pub secret: String,
    /// The create call's other parameters (see [`Price::extra`]).
    pub extra: Map<String, Value>,
}

impl Session {
    /// Recomputes the stored totals from the line items and the first (selected) shipping option.
    pub fn recompute_totals(&mut self) {
        self.totals = Totals {
            amount_subtotal: self.line_items.iter().map(LineItem::amount).sum(),
            amount_shipping: self
                .shipping_options
                .first()
                .map_or(0, ShippingRate::amount),
        };
    }

    /// The session's currency: the line items', else the one given at creation.
    pub fn currency(&self) -> Option<&str> {
        self.line_items
            .first()
            .map(|li| li.price.currency.as_str())
            .or(self.currency.as_deref())
    }

    pub fn line_items_json(&self) -> Value {
        json!({
            "object": "list",
            "data": self.line_items.iter().map(LineItem::to_json).collect::<Vec<_>>(),
            "has_more": false,
            "url": format!("/v1/checkout/sessions/{}/line_items", self.id),
        })
    }

    pub fn to_json(&self, expand_line_items: bool) -> Value {
        let Totals {
            amount_subtotal,
            amount_shipping,
        } = self.totals;
        let shipping_cost = self.shipping_options.first().map(|rate| {
            json!({
                "amount_subtotal": rate.amount(),
                "amount_tax": 0,
                "amount_total": rate.amount(),
                "shipping_rate": rate.id,
            })
        });
        let address = |a: &Address| {
            json!({
                "city": a.city, "country": a.country, "line1": a.line1,
                "line2": a.line2, "postal_code": a.postal_code, "state": a.state,
            })
        };
        let open = self.status == "open";
        let mut session = json!({
            "id": self.id,
            "object": "checkout.session",
            "adaptive_pricing": null,
            "after_expiration": null,
            "allow_promotion_codes": null,
            "amount_subtotal": amount_subtotal,
            "amount_total": amount_subtotal + amount_shipping,
            "automatic_tax": {"enabled": false, "liability": null, "provider": null, "status": null},
            "billing_address_collection": null,
            "cancel_url": self.cancel_url,
            "client_reference_id": self.client_reference_id,
            "client_secret": (open && self.ui_mode != UiMode::HostedPage).then(|| format!("{}_secret_{}", self.id, self.secret)),
            "collected_information": {
                "business_name": null,
                "individual_name": null,
                "shipping_details": self.shipping_details.as_ref().map(|d| json!({
                    "address": address(&d.address),
                    "name": d.name,
                })),
            },
            "consent": null,
            "consent_collection": null,
            "created": self.created,
            "currency": self.currency(),
            "custom_fields": [],
            "custom_text": {"after_submit": null, "shipping_address": null, "submit": null, "terms_of_service_acceptance": null},
            "customer": null,
            "customer_creation": "if_required",
            "customer_details": null,
            "customer_email": self.customer_email,
            "discounts": [],
            "expires_at": self.expires_at,
            "invoice": null,
            "invoice_creation": null,
            "livemode": false,
            "locale": null,
            "metadata": self.metadata,
            "mode": self.mode,
            "payment_intent": null,
            "payment_link": null,
            "payment_method_collection": "always",
            "payment_method_options": {},
            "payment_method_types": self.payment_method_types,
            "payment_status": if self.mode == "setup" { "no_payment_required" } else { "unpaid" },
            "permissions": {"update_shipping_details": self.update_shipping_details},
            "phone_number_collection": {"enabled": false},
            "recovered_from": null,
            "setup_intent": null,
            "shipping_address_collection": null,
            "shipping_cost": shipping_cost,
            "shipping_details": null,
            "shipping_options": self.shipping_options.iter().map(|rate| json!({
                "shipping_amount": rate.amount(),
                "shipping_rate": rate.id,
            })).collect::<Vec<_>>(),
            "status": self.status,
            "submit_type": null,
            "subscription": null,
            "success_url": self.success_url,
            "total_details": {"amount_discount": 0, "amount_shipping": amount_shipping, "amount_tax": 0},
            "ui_mode": self.ui_mode.name(),
            "url": (open && self.ui_mode == UiMode::HostedPage).then(|| format!("https://checkout.stripe.com/c/pay/{}", self.id)),
        });
        if let Some(return_url) = &self.return_url {
            // Not nullable in the spec: present only when the session has one.
            session["return_url"] = return_url.as_str().into();
        }
        if self.ui_mode != UiMode::HostedPage {
            // Not nullable in the spec: present on embedded and custom-UI sessions only.
            session["redirect_on_completion"] = self
                .redirect_on_completion
                .as_deref()
                .unwrap_or("always")
                .into();
        }
        overlay(&mut session, &self.extra);
        if expand_line_items {
            session["line_items"] = self.line_items_json();
        }
        session
    }
}
