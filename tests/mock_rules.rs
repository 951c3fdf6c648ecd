//! Every documented rule of `POST /v1/checkout/sessions/{session}` (Update a Checkout Session),
//! valid side and invalid side, over real HTTP against the bundled mock on 127.0.0.1:0.
//!
//! The authority is `shared/docs/stripe-update-checkout-session.reference.txt`. Tests assert on
//! status, error type, code (where Stripe documents one) and param, never on message wording.
//! Every answer any test here receives goes through [`Api`], which checks that it carries a
//! `req_` Request-Id and that its body validates against the project's JSON Schemas.

use crate::common;

use base64::Engine as _;
use checkout_conformance::mock::{Fault, MockConfig};
use checkout_conformance::vendor::stripe::mock::StripeFault;
use checkout_conformance::vendor::stripe::wire::API_VERSION;
use common::{send_conforming, Answer, Mock, KEY};
use rstest::rstest;
use serde_json::{json, Map, Value};

// ---------------------------------------------------------------------------------------------
// Support: a mock whose every answer is checked, sessions with named objects, JSON builders.
// ---------------------------------------------------------------------------------------------

/// The mock, with every answer checked for a `req_` Request-Id and against the JSON Schemas.
struct Api(Mock);

impl Api {
    async fn start() -> Api {
        Api(Mock::start().await)
    }

    async fn with(config: MockConfig) -> Api {
        Api(Mock::with(config).await)
    }

    fn post_request(&self, path: &str) -> reqwest::RequestBuilder {
        self.0
            .http
            .post(self.0.url(path))
            .bearer_auth(KEY)
            .header("content-type", "application/x-www-form-urlencoded")
    }

    async fn post_raw(&self, path: &str, body: impl Into<reqwest::Body>) -> Answer {
        send_conforming(self.post_request(path).body(body)).await
    }

    async fn post(&self, path: &str, params: Value) -> Answer {
        self.post_raw(path, encode(&params)).await
    }

    async fn get(&self, path: &str) -> Answer {
        send_conforming(self.0.http.get(self.0.url(path)).bearer_auth(KEY)).await
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Answer {
        send_conforming(request).await
    }

    async fn update(&self, id: &str, params: Value) -> Answer {
        self.post(&format!("/v1/checkout/sessions/{id}"), params)
            .await
    }

    async fn expire(&self, id: &str) -> Answer {
        self.post(&format!("/v1/checkout/sessions/{id}/expire"), json!({}))
            .await
    }

    async fn session_json(&self, id: &str) -> Value {
        self.get(&format!("/v1/checkout/sessions/{id}?expand[]=line_items"))
            .await
            .expect(200)
            .body
    }

    /// A one-time usd price of `unit_amount`; returns its id.
    async fn price(&self, unit_amount: i64) -> String {
        let params = json!({"currency": "usd", "unit_amount": unit_amount, "product_data": {"name": "T-shirt"}});
        id_of(&self.post("/v1/prices", params).await.expect(200).body)
    }

    /// A fixed-amount usd shipping rate of `amount`; returns its id.
    async fn shipping_rate(&self, amount: i64) -> String {
        let rate = self.post("/v1/shipping_rates", rate_data(amount)).await;
        id_of(&rate.expect(200).body)
    }

    /// An open session of `kind` with one line item (2 x 1000 usd, or 2 x 1000 usd monthly for
    /// [`Kind::Subscription`]); returns its body.
    async fn session(&self, kind: Kind) -> Value {
        let price = match kind {
            Kind::Subscription => {
                let params = json!({"currency": "usd", "unit_amount": 1000, "product_data": {"name": "Plan"},
                                    "recurring": {"interval": "month"}});
                id_of(&self.post("/v1/prices", params).await.expect(200).body)
            }
            _ => self.price(1000).await,
        };
        let (mode, ui_mode) = match kind {
            Kind::Elements => ("payment", "elements"),
            Kind::Embedded => ("payment", "embedded_page"),
            Kind::Hosted => ("payment", "hosted_page"),
            Kind::Subscription => ("subscription", "elements"),
        };
        let mut params = json!({"mode": mode, "ui_mode": ui_mode, "line_items": [{"price": price, "quantity": 2}]});
        if kind == Kind::Hosted {
            params["success_url"] = json!("https://example.com/success");
        } else {
            params["return_url"] = json!("https://example.com/return");
        }
        self.post("/v1/checkout/sessions", params)
            .await
            .expect(200)
            .body
    }

    /// The session's line items (one page of up to 100).
    async fn line_items(&self, id: &str) -> Vec<Value> {
        let list = self
            .get(&format!("/v1/checkout/sessions/{id}/line_items?limit=100"))
            .await
            .expect(200);
        list.body["data"].as_array().cloned().unwrap_or_default()
    }
}

fn encode(params: &Value) -> String {
    checkout_conformance::vendor::stripe::form::encode_json(params)
}

fn id_of(body: &Value) -> String {
    body["id"]
        .as_str()
        .unwrap_or_else(|| panic!("an id in {body}"))
        .to_owned()
}

/// The kind of session a case runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `ui_mode=elements` (custom UI), mode payment.
    Elements,
    /// `ui_mode=embedded_page`, mode payment.
    Embedded,
    /// `ui_mode=hosted_page`, mode payment.
    Hosted,
    /// `ui_mode=elements`, mode subscription (for recurring prices).
    Subscription,
}
use checkout_conformance::vendor::stripe::mock::{ADJUSTABLE_MAXIMUM, METADATA_KEY_MAX};
use Kind::*;

/// A mock with one session and a few named objects, which case tables refer to as `$li` (the
/// session's line item), `$price2` (500 usd), `$product` (its product), `$rate` (500 usd) and
/// `$rate2` (700 usd).
struct Ctx {
    api: Api,
    id: String,
    vars: Vec<(&'static str, String)>,
}

impl Ctx {
    async fn new(kind: Kind) -> Ctx {
        let api = Api::start().await;
        let price2 = api.price(500).await;
        let product = api
            .get(&format!("/v1/prices/{price2}"))
            .await
            .expect(200)
            .body["product"]
            .as_str()
            .expect("a product id")
            .to_owned();
        let rate = api.shipping_rate(500).await;
        let rate2 = api.shipping_rate(700).await;
        let id = id_of(&api.session(kind).await);
        let li = id_of(&api.line_items(&id).await[0]);
        let vars = vec![
            ("$li", li),
            ("$price2", price2),
            ("$product", product),
            ("$rate", rate),
            ("$rate2", rate2),
        ];
        Ctx { api, id, vars }
    }

    /// `value` with every string naming a variable replaced by the variable.
    fn subst(&self, value: &Value) -> Value {
        match value {
            Value::String(s) => match self.vars.iter().find(|(name, _)| name == s) {
                Some((_, v)) => Value::String(v.clone()),
                None => value.clone(),
            },
            Value::Array(items) => Value::Array(items.iter().map(|v| self.subst(v)).collect()),
            Value::Object(fields) => Value::Object(
                fields
                    .iter()
                    .map(|(k, v)| (k.clone(), self.subst(v)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }

    fn var(&self, name: &str) -> String {
        self.subst(&json!(name))
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    async fn update(&self, params: &Value) -> Answer {
        self.api.update(&self.id, self.subst(params)).await
    }

    async fn snapshot(&self) -> Value {
        self.api.session_json(&self.id).await
    }
}

/// `n` characters.
fn s(n: usize) -> String {
    "x".repeat(n)
}

/// A metadata object with `n` keys `k0`..
fn keys(n: usize) -> Value {
    Value::Object((0..n).map(|i| (format!("k{i}"), json!("v"))).collect())
}

/// `{key: value}` for a computed key.
fn obj1(key: String, value: Value) -> Value {
    Value::Object(Map::from_iter([(key, value)]))
}

/// `base` with `patch` merged in depth; a `null` in the patch removes the key.
fn merged(base: Value, patch: Value) -> Value {
    match (base, patch) {
        (Value::Object(mut base), Value::Object(patch)) => {
            for (k, v) in patch {
                if v.is_null() {
                    base.remove(&k);
                } else {
                    let old = base.remove(&k).unwrap_or(Value::Null);
                    base.insert(k, merged(old, v));
                }
            }
            Value::Object(base)
        }
        (_, patch) => patch,
    }
}

/// Valid `shipping_rate_data` of `amount` usd.
fn rate_data(amount: i64) -> Value {
    json!({"display_name": "Ground", "type": "fixed_amount", "fixed_amount": {"amount": amount, "currency": "usd"}})
}

/// One shipping option with `shipping_rate_data` = valid data (500 usd) patched.
fn so(patch: Value) -> Value {
    json!({"shipping_options": [{"shipping_rate_data": merged(rate_data(500), patch)}]})
}

/// The session's item retained, plus a new item (1 x 250 usd, inline product "Socks") patched;
/// the new item is `line_items[1]`. Line items expanded in the answer.
fn li_new(patch: Value) -> Value {
    let new = json!({"price_data": {"currency": "usd", "unit_amount": 250, "product_data": {"name": "Socks"}}, "quantity": 1});
    json!({"line_items": [{"id": "$li"}, merged(new, patch)], "expand": ["line_items"]})
}

/// The session's item (`line_items[0]`) retransmitted with `patch`. Line items expanded.
fn li_existing(patch: Value) -> Value {
    json!({"line_items": [merged(json!({"id": "$li"}), patch)], "expand": ["line_items"]})
}

/// `collected_information[shipping_details]`: valid details patched.
fn details(patch: Value) -> Value {
    let valid = json!({"name": "Jenny Rosen", "address": {"country": "US", "line1": "1 Main St"}});
    json!({"collected_information": {"shipping_details": merged(valid, patch)}})
}

/// Follows a check's pointer: `rate:/x` reads the first shipping option's rate object (fetched),
/// anything else reads the answer.
async fn probe(ctx: &Ctx, body: &Value, pointer: &str) -> Value {
    match pointer.strip_prefix("rate:") {
        Some(pointer) => {
            let rate = body["shipping_options"][0]["shipping_rate"]
                .as_str()
                .expect("a shipping option");
            let rate = ctx.api.get(&format!("/v1/shipping_rates/{rate}")).await;
            rate.expect(200)
                .body
                .pointer(pointer)
                .cloned()
                .unwrap_or(Value::Null)
        }
        None => body.pointer(pointer).cloned().unwrap_or(Value::Null),
    }
}

/// Asserts a 400 `invalid_request_error` with exactly `code` and `param`.
#[track_caller]
fn assert_invalid(answer: &Answer, code: Option<&str>, param: Option<&str>) {
    assert_eq!(answer.status, 400, "body: {}", answer.body);
    assert_eq!(
        answer.error_type(),
        Some("invalid_request_error"),
        "body: {}",
        answer.body
    );
    assert_eq!(answer.param(), param, "body: {}", answer.body);
    assert_eq!(answer.code(), code, "body: {}", answer.body);
}

// ---------------------------------------------------------------------------------------------
// The valid side: accepted, applied, persisted.
// ---------------------------------------------------------------------------------------------

/// `params` (after the `before` update, if any) is accepted; each `(pointer, value)` holds in the
/// answer (`null`: absent or null); and the answer is what the session now is.
#[rstest]
// metadata
#[case::metadata_set(Elements, Value::Null, json!({"metadata": {"order_id": "6735"}}),
    vec![("/metadata", json!({"order_id": "6735"}))])]
#[case::metadata_merges(Elements, json!({"metadata": {"a": "1", "b": "2"}}), json!({"metadata": {"c": "3"}}),
    vec![("/metadata", json!({"a": "1", "b": "2", "c": "3"}))])]
#[case::metadata_overwrites_a_key(Elements, json!({"metadata": {"a": "1", "b": "2"}}), json!({"metadata": {"a": "9"}}),
    vec![("/metadata", json!({"a": "9", "b": "2"}))])]
#[case::metadata_key_unset_by_empty_value(Elements, json!({"metadata": {"a": "1", "b": "2"}}), json!({"metadata": {"a": ""}}),
    vec![("/metadata", json!({"b": "2"}))])]
#[case::metadata_all_unset_by_empty_metadata(Elements, json!({"metadata": {"a": "1", "b": "2"}}), json!({"metadata": ""}),
    vec![("/metadata", json!({}))])]
#[case::metadata_50_keys(Elements, Value::Null, json!({"metadata": keys(50)}), vec![("/metadata", keys(50))])]
#[case::metadata_50th_key_added(Elements, json!({"metadata": keys(49)}), json!({"metadata": {"last": "1"}}),
    vec![("/metadata/last", json!("1")), ("/metadata/k48", json!("v"))])]
#[case::metadata_unset_makes_room(Elements, json!({"metadata": keys(50)}), json!({"metadata": {"k0": "", "new": "1"}}),
    vec![("/metadata/new", json!("1")), ("/metadata/k0", Value::Null)])]
#[case::metadata_key_40(Elements, Value::Null, json!({"metadata": obj1("k".repeat(METADATA_KEY_MAX), json!("v"))}),
    vec![("/metadata", obj1("k".repeat(METADATA_KEY_MAX), json!("v")))])]
#[case::metadata_value_500(Elements, Value::Null, json!({"metadata": {"note": s(500)}}), vec![("/metadata/note", json!(s(500)))])]
#[case::metadata_on_embedded(Embedded, Value::Null, json!({"metadata": {"a": "1"}}), vec![("/metadata", json!({"a": "1"}))])]
#[case::metadata_on_hosted(Hosted, Value::Null, json!({"metadata": {"a": "1"}}), vec![("/metadata", json!({"a": "1"}))])]
#[case::empty_update_changes_nothing(Elements, Value::Null, json!({}),
    vec![("/metadata", json!({})), ("/amount_total", json!(2000)), ("/status", json!("open"))])]
// line-item metadata
#[case::line_item_metadata_set(Elements, Value::Null, li_existing(json!({"metadata": {"color": "red"}})),
    vec![("/line_items/data/0/metadata", json!({"color": "red"}))])]
#[case::line_item_metadata_merges_and_unsets(Elements, li_existing(json!({"metadata": {"color": "red", "size": "L"}})),
    li_existing(json!({"metadata": {"color": "", "fit": "slim"}})),
    vec![("/line_items/data/0/metadata", json!({"size": "L", "fit": "slim"}))])]
#[case::line_item_metadata_all_unset(Elements, li_existing(json!({"metadata": {"color": "red"}})), li_existing(json!({"metadata": ""})),
    vec![("/line_items/data/0/metadata", json!({}))])]
#[case::line_item_metadata_kept_when_retained(Elements, li_existing(json!({"metadata": {"color": "red"}})), li_existing(json!({})),
    vec![("/line_items/data/0/metadata", json!({"color": "red"}))])]
#[case::new_line_item_metadata(Elements, Value::Null, li_new(json!({"metadata": {"gift": "yes"}})),
    vec![("/line_items/data/1/metadata", json!({"gift": "yes"}))])]
// line items: retain, update, switch price, add, remove
#[case::line_item_retained_by_id(Elements, Value::Null, li_existing(json!({})),
    vec![("/line_items/data/0/id", json!("$li")), ("/line_items/data/0/quantity", json!(2)), ("/line_items/data/1", Value::Null),
         ("/amount_subtotal", json!(2000))])]
#[case::line_item_quantity_updated(Elements, Value::Null, li_existing(json!({"quantity": 5})),
    vec![("/line_items/data/0/id", json!("$li")), ("/line_items/data/0/quantity", json!(5)),
         ("/line_items/data/0/amount_subtotal", json!(5000)), ("/amount_subtotal", json!(5000)), ("/amount_total", json!(5000))])]
#[case::line_item_price_switched(Elements, Value::Null, li_existing(json!({"price": "$price2"})),
    vec![("/line_items/data/0/id", json!("$li")), ("/line_items/data/0/price/id", json!("$price2")),
         ("/line_items/data/0/quantity", json!(2)), ("/amount_subtotal", json!(1000))])]
#[case::line_item_price_data_switched(Elements, Value::Null,
    li_existing(json!({"price_data": {"currency": "usd", "unit_amount": 300, "product": "$product"}})),
    vec![("/line_items/data/0/id", json!("$li")), ("/line_items/data/0/price/unit_amount", json!(300)),
         ("/line_items/data/0/price/product", json!("$product")), ("/amount_subtotal", json!(600))])]
#[case::line_item_added_with_price(Elements, Value::Null, li_new(json!({"price_data": null, "price": "$price2", "quantity": 3})),
    vec![("/line_items/data/0/id", json!("$li")), ("/line_items/data/1/price/id", json!("$price2")),
         ("/line_items/data/1/quantity", json!(3)), ("/amount_subtotal", json!(3500)), ("/amount_total", json!(3500))])]
#[case::line_item_added_with_price_data_product_data(Elements, Value::Null, li_new(json!({"quantity": 2})),
    vec![("/line_items/data/1/description", json!("Socks")), ("/line_items/data/1/price/unit_amount", json!(250)),
         ("/line_items/data/1/price/currency", json!("usd")), ("/line_items/data/1/quantity", json!(2)), ("/amount_subtotal", json!(2500))])]
#[case::line_item_added_with_price_data_product(Elements, Value::Null,
    li_new(json!({"price_data": {"product_data": null, "product": "$product"}})),
    vec![("/line_items/data/1/price/product", json!("$product")), ("/line_items/data/1/description", json!("T-shirt")),
         ("/amount_subtotal", json!(2250))])]
#[case::line_item_added_with_full_product_data(Elements, Value::Null,
    li_new(json!({"price_data": {"product_data": {"description": "Wool", "tax_code": "txcd_99999999", "metadata": {"a": "1"}}}})),
    vec![("/line_items/data/1/description", json!("Socks"))])]
#[case::line_item_removed_by_omission(Elements, Value::Null, json!({"line_items": [{"price": "$price2", "quantity": 1}], "expand": ["line_items"]}),
    vec![("/line_items/data/0/price/id", json!("$price2")), ("/line_items/data/1", Value::Null),
         ("/amount_subtotal", json!(500)), ("/amount_total", json!(500))])]
#[case::line_item_tax_rates_cleared(Elements, Value::Null, li_existing(json!({"tax_rates": ""})),
    vec![("/line_items/data/0/id", json!("$li"))])]
// price_data
#[case::unit_amount_decimal_12_places(Elements, Value::Null,
    li_new(json!({"price_data": {"unit_amount": null, "unit_amount_decimal": "1.123456789012"}, "quantity": 100})),
    vec![("/line_items/data/1/price/unit_amount_decimal", json!("1.123456789012")), ("/line_items/data/1/price/unit_amount", Value::Null),
         ("/line_items/data/1/amount_subtotal", json!(112))])]
#[case::unit_amount_decimal_integer(Elements, Value::Null,
    li_new(json!({"price_data": {"unit_amount": null, "unit_amount_decimal": "250"}})),
    vec![("/line_items/data/1/price/unit_amount_decimal", json!("250")), ("/amount_subtotal", json!(2250))])]
// Accepted, and answered in the `decimal` format the schema asserts: no trailing `.`.
#[case::unit_amount_decimal_trailing_dot(Elements, Value::Null,
    li_new(json!({"price_data": {"unit_amount": null, "unit_amount_decimal": "250."}})),
    vec![("/line_items/data/1/price/unit_amount_decimal", json!("250")), ("/amount_subtotal", json!(2250))])]
#[case::unit_amount_zero(Elements, Value::Null, li_new(json!({"price_data": {"unit_amount": 0}})),
    vec![("/line_items/data/1/amount_subtotal", json!(0)), ("/amount_subtotal", json!(2000))])]
#[case::unit_label_12(Elements, Value::Null, li_new(json!({"price_data": {"product_data": {"unit_label": s(12)}}})),
    vec![("/line_items/data/1/quantity", json!(1))])]
#[case::images_8(Elements, Value::Null,
    li_new(json!({"price_data": {"product_data": {"images": vec!["https://example.com/i.png"; 8]}}})),
    vec![("/line_items/data/1/quantity", json!(1))])]
#[case::tax_behavior_inclusive(Elements, Value::Null, li_new(json!({"price_data": {"tax_behavior": "inclusive"}})),
    vec![("/line_items/data/1/price/tax_behavior", json!("inclusive"))])]
#[case::tax_behavior_exclusive(Elements, Value::Null, li_new(json!({"price_data": {"tax_behavior": "exclusive"}})),
    vec![("/line_items/data/1/price/tax_behavior", json!("exclusive"))])]
#[case::tax_behavior_unspecified(Elements, Value::Null, li_new(json!({"price_data": {"tax_behavior": "unspecified"}})),
    vec![("/line_items/data/1/price/tax_behavior", json!("unspecified"))])]
#[case::recurring_day(Subscription, Value::Null, li_new(json!({"price_data": {"recurring": {"interval": "day"}}})),
    vec![("/line_items/data/1/price/recurring/interval", json!("day")), ("/line_items/data/1/price/recurring/interval_count", json!(1)),
         ("/line_items/data/1/price/type", json!("recurring"))])]
#[case::recurring_week(Subscription, Value::Null, li_new(json!({"price_data": {"recurring": {"interval": "week"}}})),
    vec![("/line_items/data/1/price/recurring/interval", json!("week"))])]
#[case::recurring_month(Subscription, Value::Null, li_new(json!({"price_data": {"recurring": {"interval": "month"}}})),
    vec![("/line_items/data/1/price/recurring/interval", json!("month"))])]
#[case::recurring_year(Subscription, Value::Null, li_new(json!({"price_data": {"recurring": {"interval": "year"}}})),
    vec![("/line_items/data/1/price/recurring/interval", json!("year"))])]
#[case::recurring_3_years(Subscription, Value::Null, li_new(json!({"price_data": {"recurring": {"interval": "year", "interval_count": 3}}})),
    vec![("/line_items/data/1/price/recurring/interval_count", json!(3))])]
#[case::recurring_36_months(Subscription, Value::Null, li_new(json!({"price_data": {"recurring": {"interval": "month", "interval_count": 36}}})),
    vec![("/line_items/data/1/price/recurring/interval_count", json!(36))])]
#[case::recurring_156_weeks(Subscription, Value::Null, li_new(json!({"price_data": {"recurring": {"interval": "week", "interval_count": 156}}})),
    vec![("/line_items/data/1/price/recurring/interval_count", json!(156))])]
#[case::recurring_1095_days(Subscription, Value::Null, li_new(json!({"price_data": {"recurring": {"interval": "day", "interval_count": 1095}}})),
    vec![("/line_items/data/1/price/recurring/interval_count", json!(1095))])]
// adjustable_quantity
#[case::adjustable_maximum_999999(Elements, Value::Null, li_existing(json!({"adjustable_quantity": {"enabled": true, "maximum": ADJUSTABLE_MAXIMUM}})),
    vec![("/line_items/data/0/adjustable_quantity", json!({"enabled": true, "maximum": ADJUSTABLE_MAXIMUM, "minimum": null}))])]
#[case::adjustable_minimum_0(Elements, Value::Null, li_existing(json!({"adjustable_quantity": {"enabled": true, "minimum": 0}})),
    vec![("/line_items/data/0/adjustable_quantity/minimum", json!(0))])]
#[case::adjustable_enabled_only(Elements, Value::Null, li_existing(json!({"adjustable_quantity": {"enabled": true}})),
    vec![("/line_items/data/0/adjustable_quantity", json!({"enabled": true, "maximum": null, "minimum": null}))])]
#[case::adjustable_on_new_item(Elements, Value::Null, li_new(json!({"adjustable_quantity": {"enabled": true, "minimum": 1, "maximum": 10}})),
    vec![("/line_items/data/1/adjustable_quantity", json!({"enabled": true, "maximum": 10, "minimum": 1}))])]
#[case::adjustable_disabled_clears_constraints(Elements,
    li_existing(json!({"adjustable_quantity": {"enabled": true, "minimum": 1, "maximum": 10}})),
    li_existing(json!({"adjustable_quantity": {"enabled": false}})),
    vec![("/line_items/data/0/adjustable_quantity", json!({"enabled": false, "maximum": null, "minimum": null}))])]
#[case::adjustable_disabled_with_constraints_clears_them(Elements, Value::Null,
    li_existing(json!({"adjustable_quantity": {"enabled": false, "minimum": 1, "maximum": 10}})),
    vec![("/line_items/data/0/adjustable_quantity", json!({"enabled": false, "maximum": null, "minimum": null}))])]
#[case::adjustable_kept_when_retained(Elements, li_existing(json!({"adjustable_quantity": {"enabled": true, "maximum": 10}})),
    li_existing(json!({"quantity": 3})), vec![("/line_items/data/0/adjustable_quantity/maximum", json!(10))])]
// shipping options
#[case::shipping_rate_by_id(Elements, Value::Null, json!({"shipping_options": [{"shipping_rate": "$rate"}]}),
    vec![("/shipping_options", json!([{"shipping_amount": 500, "shipping_rate": "$rate"}])),
         ("/shipping_cost/shipping_rate", json!("$rate")), ("/total_details/amount_shipping", json!(500)), ("/amount_total", json!(2500)),
         ("/amount_subtotal", json!(2000))])]
#[case::shipping_rate_data(Elements, Value::Null, so(json!({})),
    vec![("/shipping_options/0/shipping_amount", json!(500)), ("/total_details/amount_shipping", json!(500)),
         ("rate:/display_name", json!("Ground")), ("rate:/fixed_amount", json!({"amount": 500, "currency": "usd"}))])]
#[case::shipping_options_on_hosted(Hosted, Value::Null, json!({"shipping_options": [{"shipping_rate": "$rate"}]}),
    vec![("/shipping_options/0/shipping_rate", json!("$rate")), ("/amount_total", json!(2500))])]
#[case::shipping_options_on_embedded(Embedded, Value::Null, json!({"shipping_options": [{"shipping_rate": "$rate2"}]}),
    vec![("/shipping_options/0/shipping_rate", json!("$rate2")), ("/amount_total", json!(2700))])]
#[case::shipping_display_name_100(Elements, Value::Null, so(json!({"display_name": s(100)})), vec![("rate:/display_name", json!(s(100)))])]
#[case::shipping_amount_0(Elements, Value::Null, so(json!({"fixed_amount": {"amount": 0}})),
    vec![("/shipping_options/0/shipping_amount", json!(0)), ("/total_details/amount_shipping", json!(0)), ("/amount_total", json!(2000))])]
#[case::shipping_currency_options(Elements, Value::Null,
    so(json!({"fixed_amount": {"currency_options": {"eur": {"amount": 450, "tax_behavior": "inclusive"}, "gbp": {"amount": 0}}}})),
    vec![("rate:/fixed_amount/currency_options/eur", json!({"amount": 450, "tax_behavior": "inclusive"})),
         ("rate:/fixed_amount/currency_options/gbp/amount", json!(0))])]
#[case::shipping_delivery_estimate_values_1(Elements, Value::Null,
    so(json!({"delivery_estimate": {"minimum": {"unit": "business_day", "value": 1}, "maximum": {"unit": "day", "value": 1}}})),
    vec![("rate:/delivery_estimate", json!({"minimum": {"unit": "business_day", "value": 1}, "maximum": {"unit": "day", "value": 1}}))])]
#[case::shipping_delivery_estimate_minimum_only(Elements, Value::Null,
    so(json!({"delivery_estimate": {"minimum": {"unit": "week", "value": 2}}})),
    vec![("rate:/delivery_estimate", json!({"minimum": {"unit": "week", "value": 2}, "maximum": null}))])]
#[case::shipping_rate_data_optional_fields(Elements, Value::Null,
    so(json!({"tax_behavior": "exclusive", "tax_code": "txcd_92010001", "metadata": {"carrier": "ups"}})),
    vec![("rate:/tax_behavior", json!("exclusive")), ("rate:/tax_code", json!("txcd_92010001")), ("rate:/metadata", json!({"carrier": "ups"}))])]
#[case::shipping_options_cleared_by_empty_value(Elements, json!({"shipping_options": [{"shipping_rate": "$rate"}, {"shipping_rate": "$rate2"}]}),
    json!({"shipping_options": ""}),
    vec![("/shipping_options", json!([])), ("/shipping_cost", Value::Null), ("/total_details/amount_shipping", json!(0)),
         ("/amount_total", json!(2000))])]
#[case::shipping_options_replaced_not_appended(Elements, json!({"shipping_options": [{"shipping_rate": "$rate"}, {"shipping_rate_data": rate_data(900)}]}),
    json!({"shipping_options": [{"shipping_rate": "$rate2"}]}),
    vec![("/shipping_options", json!([{"shipping_amount": 700, "shipping_rate": "$rate2"}])), ("/total_details/amount_shipping", json!(700)),
         ("/amount_total", json!(2700))])]
#[case::shipping_options_kept_when_not_sent(Elements, json!({"shipping_options": [{"shipping_rate": "$rate"}]}), json!({"metadata": {"a": "1"}}),
    vec![("/shipping_options/0/shipping_rate", json!("$rate")), ("/amount_total", json!(2500))])]
// collected_information
#[case::shipping_details_on_elements(Elements, Value::Null, details(json!({})),
    vec![("/collected_information/shipping_details", json!({"name": "Jenny Rosen", "address": {"country": "US", "line1": "1 Main St",
        "city": null, "line2": null, "postal_code": null, "state": null}}))])]
#[case::shipping_details_on_embedded(Embedded, Value::Null, details(json!({})),
    vec![("/collected_information/shipping_details/name", json!("Jenny Rosen"))])]
#[case::shipping_details_optional_fields(Elements, Value::Null,
    details(json!({"address": {"city": "San Francisco", "line2": "Apt 4", "postal_code": "94111", "state": "CA"}})),
    vec![("/collected_information/shipping_details/address", json!({"country": "US", "line1": "1 Main St",
        "city": "San Francisco", "line2": "Apt 4", "postal_code": "94111", "state": "CA"}))])]
#[case::shipping_details_name_255(Elements, Value::Null, details(json!({"name": s(255)})),
    vec![("/collected_information/shipping_details/name", json!(s(255)))])]
#[case::shipping_details_replaced(Elements, details(json!({"name": "First"})), details(json!({"name": "Second"})),
    vec![("/collected_information/shipping_details/name", json!("Second"))])]
// expand
#[case::expand_line_items(Elements, Value::Null, json!({"expand": ["line_items"]}),
    vec![("/line_items/object", json!("list")), ("/line_items/data/0/id", json!("$li")), ("/line_items/has_more", json!(false))])]
#[tokio::test]
async fn update_accepted(
    #[case] kind: Kind,
    #[case] before: Value,
    #[case] params: Value,
    #[case] checks: Vec<(&str, Value)>,
) {
    let ctx = Ctx::new(kind).await;
    if !before.is_null() {
        ctx.update(&before).await.expect(200);
    }
    let answer = ctx.update(&params).await.expect(200);
    assert_eq!(answer.body["object"], "checkout.session");
    assert_eq!(answer.body["id"], json!(ctx.id));
    for (pointer, expected) in checks {
        let expected = ctx.subst(&expected);
        let actual = probe(&ctx, &answer.body, pointer).await;
        assert_eq!(actual, expected, "at {pointer}; body: {}", answer.body);
    }
    // What the update answered is what the session now is.
    let path = format!("/v1/checkout/sessions/{}", ctx.id);
    let stored = if params.get("expand").is_some() {
        ctx.snapshot().await
    } else {
        ctx.api.get(&path).await.expect(200).body
    };
    assert_eq!(stored, answer.body);
}

// ---------------------------------------------------------------------------------------------
// The invalid side: 400, the exact param, nothing changed.
// ---------------------------------------------------------------------------------------------

/// `params` (after the `before` update, if any) is a 400 `invalid_request_error` with exactly
/// `code` and `param`, and the session is left as it was.
#[rstest]
// metadata
#[case::metadata_51_keys(Elements, Value::Null, json!({"metadata": keys(51)}), None, "metadata")]
#[case::metadata_51st_key_added(Elements, json!({"metadata": keys(50)}), json!({"metadata": {"extra": "1"}}), None, "metadata")]
#[case::metadata_key_41(Elements, Value::Null, json!({"metadata": obj1("k".repeat(METADATA_KEY_MAX + 1), json!("v"))}), None,
    format!("metadata[{}]", "k".repeat(METADATA_KEY_MAX + 1)))]
#[case::metadata_value_501(Elements, Value::Null, json!({"metadata": {"note": s(501)}}), None, "metadata[note]")]
#[case::metadata_non_empty_string(Elements, Value::Null, json!({"metadata": "abc"}), None, "metadata")]
#[case::metadata_nested_object(Elements, Value::Null, json!({"metadata": {"a": {"b": "c"}}}), None, "metadata[a]")]
#[case::line_item_metadata_key_41(Elements, Value::Null, li_existing(json!({"metadata": obj1("k".repeat(METADATA_KEY_MAX + 1), json!("v"))})), None,
    format!("line_items[0][metadata][{}]", "k".repeat(METADATA_KEY_MAX + 1)))]
#[case::line_item_metadata_value_501(Elements, Value::Null, li_new(json!({"metadata": {"note": s(501)}})), None,
    "line_items[1][metadata][note]")]
#[case::line_item_metadata_51_keys(Elements, Value::Null, li_existing(json!({"metadata": keys(51)})), None, "line_items[0][metadata]")]
// line items
#[case::line_item_unknown_id(Elements, Value::Null, json!({"line_items": [{"id": "li_doesnotexist"}]}), Some("resource_missing"),
    "line_items[0][id]")]
#[case::line_item_unknown_id_after_known(Elements, Value::Null, json!({"line_items": [{"id": "$li"}, {"id": "li_doesnotexist", "quantity": 1}]}),
    Some("resource_missing"), "line_items[1][id]")]
#[case::line_item_duplicate_id(Elements, Value::Null, json!({"line_items": [{"id": "$li"}, {"id": "$li"}]}), None, "line_items[1][id]")]
#[case::line_item_new_without_quantity(Elements, Value::Null, li_new(json!({"quantity": null})), Some("parameter_missing"),
    "line_items[1][quantity]")]
#[case::line_item_new_with_price_without_quantity(Elements, Value::Null, json!({"line_items": [{"id": "$li"}, {"price": "$price2"}]}),
    Some("parameter_missing"), "line_items[1][quantity]")]
#[case::line_item_new_without_price(Elements, Value::Null, li_new(json!({"price_data": null})), Some("parameter_missing"),
    "line_items[1][price]")]
#[case::line_item_new_empty(Elements, Value::Null, json!({"line_items": [{"id": "$li"}, {}]}), Some("parameter_missing"),
    "line_items[1][price]")]
#[case::line_item_price_and_price_data(Elements, Value::Null, li_new(json!({"price": "$price2"})), Some("parameters_exclusive"),
    "line_items[1][price]")]
#[case::line_item_existing_price_and_price_data(Elements, Value::Null,
    li_existing(json!({"price": "$price2", "price_data": {"currency": "usd", "unit_amount": 1, "product": "$product"}})),
    Some("parameters_exclusive"), "line_items[0][price]")]
#[case::line_item_unknown_price(Elements, Value::Null, li_new(json!({"price_data": null, "price": "price_doesnotexist"})),
    Some("resource_missing"), "line_items[1][price]")]
#[case::line_item_switch_to_unknown_price(Elements, Value::Null, li_existing(json!({"price": "price_doesnotexist"})),
    Some("resource_missing"), "line_items[0][price]")]
#[case::line_item_empty_price(Elements, Value::Null, li_new(json!({"price_data": null, "price": ""})), Some("parameter_invalid_empty"),
    "line_items[1][price]")]
#[case::line_items_empty(Elements, Value::Null, json!({"line_items": ""}), None, "line_items")]
#[case::line_items_not_a_list(Elements, Value::Null, json!({"line_items": "li_1"}), None, "line_items")]
#[case::line_item_not_an_object(Elements, Value::Null, json!({"line_items": [{"id": "$li"}, "li_1"]}), None, "line_items[1]")]
#[case::line_items_on_hosted(Hosted, Value::Null, json!({"line_items": [{"id": "$li"}]}), None, "line_items")]
#[case::line_items_on_embedded(Embedded, Value::Null, json!({"line_items": [{"id": "$li"}]}), None, "line_items")]
#[case::line_item_quantity_abc(Elements, Value::Null, li_existing(json!({"quantity": "abc"})), Some("parameter_invalid_integer"),
    "line_items[0][quantity]")]
#[case::line_item_quantity_decimal(Elements, Value::Null, li_new(json!({"quantity": "1.5"})), Some("parameter_invalid_integer"),
    "line_items[1][quantity]")]
#[case::unit_amount_abc(Elements, Value::Null, li_new(json!({"price_data": {"unit_amount": "abc"}})), Some("parameter_invalid_integer"),
    "line_items[1][price_data][unit_amount]")]
#[case::adjustable_minimum_abc(Elements, Value::Null, li_existing(json!({"adjustable_quantity": {"enabled": true, "minimum": "abc"}})),
    Some("parameter_invalid_integer"), "line_items[0][adjustable_quantity][minimum]")]
#[case::shipping_amount_abc(Elements, Value::Null, so(json!({"fixed_amount": {"amount": "abc"}})), Some("parameter_invalid_integer"),
    "shipping_options[0][shipping_rate_data][fixed_amount][amount]")]
#[case::interval_count_abc(Subscription, Value::Null, li_new(json!({"price_data": {"recurring": {"interval": "month", "interval_count": "1x"}}})),
    Some("parameter_invalid_integer"), "line_items[1][price_data][recurring][interval_count]")]
#[case::line_item_unknown_tax_rate(Elements, Value::Null, li_existing(json!({"tax_rates": ["txr_doesnotexist"]})), Some("resource_missing"),
    "line_items[0][tax_rates][0]")]
// price_data
#[case::unit_amount_and_decimal(Elements, Value::Null, li_new(json!({"price_data": {"unit_amount_decimal": "2.5"}})),
    Some("parameters_exclusive"), "line_items[1][price_data][unit_amount]")]
#[case::unit_amount_neither(Elements, Value::Null, li_new(json!({"price_data": {"unit_amount": null}})), Some("parameter_missing"),
    "line_items[1][price_data][unit_amount]")]
#[case::unit_amount_negative(Elements, Value::Null, li_new(json!({"price_data": {"unit_amount": -1}})), Some("parameter_invalid_integer"),
    "line_items[1][price_data][unit_amount]")]
#[case::unit_amount_decimal_13_places(Elements, Value::Null,
    li_new(json!({"price_data": {"unit_amount": null, "unit_amount_decimal": "1.1234567890123"}})), None,
    "line_items[1][price_data][unit_amount_decimal]")]
#[case::unit_amount_decimal_not_a_number(Elements, Value::Null,
    li_new(json!({"price_data": {"unit_amount": null, "unit_amount_decimal": "abc"}})), None,
    "line_items[1][price_data][unit_amount_decimal]")]
#[case::unit_amount_decimal_negative(Elements, Value::Null,
    li_new(json!({"price_data": {"unit_amount": null, "unit_amount_decimal": "-1.5"}})), None,
    "line_items[1][price_data][unit_amount_decimal]")]
#[case::currency_missing(Elements, Value::Null, li_new(json!({"price_data": {"currency": null}})), Some("parameter_missing"),
    "line_items[1][price_data][currency]")]
#[case::currency_uppercase(Elements, Value::Null, li_new(json!({"price_data": {"currency": "USD"}})), None,
    "line_items[1][price_data][currency]")]
#[case::currency_four_letters(Elements, Value::Null, li_new(json!({"price_data": {"currency": "usdx"}})), None,
    "line_items[1][price_data][currency]")]
#[case::product_and_product_data(Elements, Value::Null, li_new(json!({"price_data": {"product": "$product"}})),
    Some("parameters_exclusive"), "line_items[1][price_data][product]")]
#[case::product_neither(Elements, Value::Null, li_new(json!({"price_data": {"product_data": null}})), Some("parameter_missing"),
    "line_items[1][price_data][product_data]")]
#[case::product_unknown(Elements, Value::Null, li_new(json!({"price_data": {"product_data": null, "product": "prod_doesnotexist"}})),
    Some("resource_missing"), "line_items[1][price_data][product]")]
#[case::product_data_name_missing(Elements, Value::Null, li_new(json!({"price_data": {"product_data": {"name": null, "description": "d"}}})),
    Some("parameter_missing"), "line_items[1][price_data][product_data][name]")]
#[case::unit_label_13(Elements, Value::Null, li_new(json!({"price_data": {"product_data": {"unit_label": s(13)}}})), None,
    "line_items[1][price_data][product_data][unit_label]")]
#[case::images_9(Elements, Value::Null,
    li_new(json!({"price_data": {"product_data": {"images": vec!["https://example.com/i.png"; 9]}}})), None,
    "line_items[1][price_data][product_data][images]")]
#[case::tax_behavior_other(Elements, Value::Null, li_new(json!({"price_data": {"tax_behavior": "sometimes"}})), None,
    "line_items[1][price_data][tax_behavior]")]
#[case::recurring_fortnight(Subscription, Value::Null, li_new(json!({"price_data": {"recurring": {"interval": "fortnight"}}})), None,
    "line_items[1][price_data][recurring][interval]")]
#[case::recurring_interval_missing(Subscription, Value::Null, li_new(json!({"price_data": {"recurring": {"interval_count": 2}}})),
    Some("parameter_missing"), "line_items[1][price_data][recurring][interval]")]
#[case::recurring_4_years(Subscription, Value::Null, li_new(json!({"price_data": {"recurring": {"interval": "year", "interval_count": 4}}})),
    Some("parameter_invalid_integer"), "line_items[1][price_data][recurring][interval_count]")]
#[case::recurring_37_months(Subscription, Value::Null, li_new(json!({"price_data": {"recurring": {"interval": "month", "interval_count": 37}}})),
    Some("parameter_invalid_integer"), "line_items[1][price_data][recurring][interval_count]")]
#[case::recurring_157_weeks(Subscription, Value::Null, li_new(json!({"price_data": {"recurring": {"interval": "week", "interval_count": 157}}})),
    Some("parameter_invalid_integer"), "line_items[1][price_data][recurring][interval_count]")]
#[case::recurring_1096_days(Subscription, Value::Null, li_new(json!({"price_data": {"recurring": {"interval": "day", "interval_count": 1096}}})),
    Some("parameter_invalid_integer"), "line_items[1][price_data][recurring][interval_count]")]
#[case::recurring_usage_type_unknown(Subscription, Value::Null,
    li_new(json!({"price_data": {"recurring": {"interval": "month", "usage_type": "licensed"}}})),
    Some("parameter_unknown"), "line_items[1][price_data][recurring][usage_type]")]
#[case::recurring_0_intervals(Subscription, Value::Null, li_new(json!({"price_data": {"recurring": {"interval": "month", "interval_count": 0}}})),
    Some("parameter_invalid_integer"), "line_items[1][price_data][recurring][interval_count]")]
// adjustable_quantity
#[case::adjustable_without_enabled(Elements, Value::Null, li_existing(json!({"adjustable_quantity": {"maximum": 10}})),
    Some("parameter_missing"), "line_items[0][adjustable_quantity][enabled]")]
#[case::adjustable_maximum_1000000(Elements, Value::Null, li_existing(json!({"adjustable_quantity": {"enabled": true, "maximum": ADJUSTABLE_MAXIMUM + 1}})),
    Some("parameter_invalid_integer"), "line_items[0][adjustable_quantity][maximum]")]
#[case::adjustable_minimum_negative(Elements, Value::Null, li_existing(json!({"adjustable_quantity": {"enabled": true, "minimum": -1}})),
    Some("parameter_invalid_integer"), "line_items[0][adjustable_quantity][minimum]")]
#[case::adjustable_enabled_maybe(Elements, Value::Null, li_existing(json!({"adjustable_quantity": {"enabled": "maybe"}})), None,
    "line_items[0][adjustable_quantity][enabled]")]
#[case::adjustable_new_item_without_enabled(Elements, Value::Null, li_new(json!({"adjustable_quantity": {"minimum": 1}})),
    Some("parameter_missing"), "line_items[1][adjustable_quantity][enabled]")]
// shipping options
#[case::shipping_rate_and_data(Elements, Value::Null, json!({"shipping_options": [{"shipping_rate": "$rate", "shipping_rate_data": rate_data(500)}]}),
    Some("parameters_exclusive"), "shipping_options[0][shipping_rate]")]
#[case::shipping_rate_neither(Elements, Value::Null, json!({"shipping_options": [{}]}), Some("parameter_missing"),
    "shipping_options[0][shipping_rate]")]
#[case::shipping_rate_neither_in_second(Elements, Value::Null, json!({"shipping_options": [{"shipping_rate": "$rate"}, {}]}),
    Some("parameter_missing"), "shipping_options[1][shipping_rate]")]
#[case::shipping_rate_unknown(Elements, Value::Null, json!({"shipping_options": [{"shipping_rate": "shr_doesnotexist"}]}),
    Some("resource_missing"), "shipping_options[0][shipping_rate]")]
#[case::shipping_options_not_a_list(Elements, Value::Null, json!({"shipping_options": "shr_1"}), None, "shipping_options")]
#[case::shipping_option_not_an_object(Elements, Value::Null, json!({"shipping_options": ["shr_1"]}), None, "shipping_options[0]")]
#[case::shipping_display_name_101(Elements, Value::Null, so(json!({"display_name": s(101)})), None,
    "shipping_options[0][shipping_rate_data][display_name]")]
#[case::shipping_display_name_missing(Elements, Value::Null, so(json!({"display_name": null})), Some("parameter_missing"),
    "shipping_options[0][shipping_rate_data][display_name]")]
#[case::shipping_type_missing(Elements, Value::Null, so(json!({"type": null})), Some("parameter_missing"),
    "shipping_options[0][shipping_rate_data][type]")]
#[case::shipping_type_other(Elements, Value::Null, so(json!({"type": "calculated"})), None,
    "shipping_options[0][shipping_rate_data][type]")]
#[case::shipping_fixed_amount_missing(Elements, Value::Null, so(json!({"fixed_amount": null})), Some("parameter_missing"),
    "shipping_options[0][shipping_rate_data][fixed_amount]")]
#[case::shipping_amount_missing(Elements, Value::Null, so(json!({"fixed_amount": {"amount": null}})), Some("parameter_missing"),
    "shipping_options[0][shipping_rate_data][fixed_amount][amount]")]
#[case::shipping_amount_negative(Elements, Value::Null, so(json!({"fixed_amount": {"amount": -1}})), Some("parameter_invalid_integer"),
    "shipping_options[0][shipping_rate_data][fixed_amount][amount]")]
#[case::shipping_currency_missing(Elements, Value::Null, so(json!({"fixed_amount": {"currency": null}})), Some("parameter_missing"),
    "shipping_options[0][shipping_rate_data][fixed_amount][currency]")]
#[case::shipping_currency_uppercase(Elements, Value::Null, so(json!({"fixed_amount": {"currency": "USD"}})), None,
    "shipping_options[0][shipping_rate_data][fixed_amount][currency]")]
#[case::shipping_currency_option_negative(Elements, Value::Null, so(json!({"fixed_amount": {"currency_options": {"eur": {"amount": -1}}}})),
    Some("parameter_invalid_integer"), "shipping_options[0][shipping_rate_data][fixed_amount][currency_options][eur][amount]")]
#[case::shipping_currency_option_without_amount(Elements, Value::Null,
    so(json!({"fixed_amount": {"currency_options": {"eur": {"tax_behavior": "inclusive"}}}})),
    Some("parameter_missing"), "shipping_options[0][shipping_rate_data][fixed_amount][currency_options][eur][amount]")]
#[case::shipping_currency_option_uppercase(Elements, Value::Null, so(json!({"fixed_amount": {"currency_options": {"EUR": {"amount": 1}}}})),
    None, "shipping_options[0][shipping_rate_data][fixed_amount][currency_options][EUR]")]
#[case::shipping_currency_option_tax_behavior_other(Elements, Value::Null,
    so(json!({"fixed_amount": {"currency_options": {"eur": {"amount": 1, "tax_behavior": "sometimes"}}}})),
    None, "shipping_options[0][shipping_rate_data][fixed_amount][currency_options][eur][tax_behavior]")]
#[case::shipping_minimum_value_0(Elements, Value::Null, so(json!({"delivery_estimate": {"minimum": {"unit": "day", "value": 0}}})),
    Some("parameter_invalid_integer"), "shipping_options[0][shipping_rate_data][delivery_estimate][minimum][value]")]
#[case::shipping_maximum_value_0(Elements, Value::Null, so(json!({"delivery_estimate": {"maximum": {"unit": "day", "value": 0}}})),
    Some("parameter_invalid_integer"), "shipping_options[0][shipping_rate_data][delivery_estimate][maximum][value]")]
#[case::shipping_minimum_unit_year(Elements, Value::Null, so(json!({"delivery_estimate": {"minimum": {"unit": "year", "value": 1}}})),
    None, "shipping_options[0][shipping_rate_data][delivery_estimate][minimum][unit]")]
#[case::shipping_maximum_unit_year(Elements, Value::Null, so(json!({"delivery_estimate": {"maximum": {"unit": "year", "value": 1}}})),
    None, "shipping_options[0][shipping_rate_data][delivery_estimate][maximum][unit]")]
#[case::shipping_maximum_unit_missing(Elements, Value::Null, so(json!({"delivery_estimate": {"maximum": {"value": 1}}})),
    Some("parameter_missing"), "shipping_options[0][shipping_rate_data][delivery_estimate][maximum][unit]")]
#[case::shipping_minimum_value_missing(Elements, Value::Null, so(json!({"delivery_estimate": {"minimum": {"unit": "day"}}})),
    Some("parameter_missing"), "shipping_options[0][shipping_rate_data][delivery_estimate][minimum][value]")]
#[case::shipping_tax_behavior_other(Elements, Value::Null, so(json!({"tax_behavior": "sometimes"})), None,
    "shipping_options[0][shipping_rate_data][tax_behavior]")]
#[case::shipping_rate_data_metadata_key_41(Elements, Value::Null, so(json!({"metadata": obj1("k".repeat(METADATA_KEY_MAX + 1), json!("v"))})), None,
    format!("shipping_options[0][shipping_rate_data][metadata][{}]", "k".repeat(METADATA_KEY_MAX + 1)))]
// collected_information
#[case::shipping_details_on_hosted(Hosted, Value::Null, details(json!({})), None, "collected_information")]
#[case::shipping_details_name_missing(Elements, Value::Null, details(json!({"name": null})), Some("parameter_missing"),
    "collected_information[shipping_details][name]")]
#[case::shipping_details_name_empty(Elements, Value::Null, details(json!({"name": ""})), Some("parameter_invalid_empty"),
    "collected_information[shipping_details][name]")]
#[case::shipping_details_name_256(Embedded, Value::Null, details(json!({"name": s(256)})), None,
    "collected_information[shipping_details][name]")]
#[case::shipping_details_address_missing(Elements, Value::Null, details(json!({"address": null})), Some("parameter_missing"),
    "collected_information[shipping_details][address]")]
#[case::shipping_details_country_missing(Elements, Value::Null, details(json!({"address": {"country": null}})), Some("parameter_missing"),
    "collected_information[shipping_details][address][country]")]
#[case::shipping_details_country_not_alpha_2(Elements, Value::Null, details(json!({"address": {"country": "USA"}})), None,
    "collected_information[shipping_details][address][country]")]
#[case::shipping_details_line1_missing(Embedded, Value::Null, details(json!({"address": {"line1": null}})), Some("parameter_missing"),
    "collected_information[shipping_details][address][line1]")]
#[case::shipping_details_line1_empty(Elements, Value::Null, details(json!({"address": {"line1": ""}})), Some("parameter_invalid_empty"),
    "collected_information[shipping_details][address][line1]")]
// expand
#[case::expand_other(Elements, Value::Null, json!({"expand": ["not_a_field"]}), None, "expand[0]")]
#[case::expand_other_after_line_items(Elements, Value::Null, json!({"expand": ["line_items", "not_a_field"]}), None, "expand[1]")]
// unknown parameters, at every depth
#[case::unknown_top_level(Elements, Value::Null, json!({"foo": "bar"}), Some("parameter_unknown"), "foo")]
#[case::unknown_in_line_item(Elements, Value::Null, li_existing(json!({"foo": "bar"})), Some("parameter_unknown"), "line_items[0][foo]")]
#[case::unknown_in_price_data(Elements, Value::Null, li_new(json!({"price_data": {"foo": "1"}})), Some("parameter_unknown"),
    "line_items[1][price_data][foo]")]
#[case::unknown_in_product_data(Elements, Value::Null, li_new(json!({"price_data": {"product_data": {"foo": "1"}}})),
    Some("parameter_unknown"), "line_items[1][price_data][product_data][foo]")]
#[case::unknown_in_adjustable_quantity(Elements, Value::Null, li_existing(json!({"adjustable_quantity": {"enabled": true, "foo": "1"}})),
    Some("parameter_unknown"), "line_items[0][adjustable_quantity][foo]")]
#[case::unknown_in_shipping_option(Elements, Value::Null, json!({"shipping_options": [{"shipping_rate": "$rate", "foo": "1"}]}),
    Some("parameter_unknown"), "shipping_options[0][foo]")]
#[case::unknown_in_shipping_rate_data(Elements, Value::Null, so(json!({"foo": "bar"})), Some("parameter_unknown"),
    "shipping_options[0][shipping_rate_data][foo]")]
#[case::unknown_in_delivery_estimate(Elements, Value::Null, so(json!({"delivery_estimate": {"minimum": {"unit": "day", "value": 1, "foo": "1"}}})),
    Some("parameter_unknown"), "shipping_options[0][shipping_rate_data][delivery_estimate][minimum][foo]")]
#[case::unknown_in_collected_information(Elements, Value::Null, json!({"collected_information": {"foo": "1"}}), Some("parameter_unknown"),
    "collected_information[foo]")]
#[case::unknown_in_shipping_details(Elements, Value::Null, details(json!({"foo": "1"})), Some("parameter_unknown"),
    "collected_information[shipping_details][foo]")]
#[case::unknown_in_address(Elements, Value::Null, details(json!({"address": {"foo": "bar"}})), Some("parameter_unknown"),
    "collected_information[shipping_details][address][foo]")]
#[tokio::test]
async fn update_rejected(
    #[case] kind: Kind,
    #[case] before: Value,
    #[case] params: Value,
    #[case] code: Option<&str>,
    #[case] param: String,
) {
    let ctx = Ctx::new(kind).await;
    if !before.is_null() {
        ctx.update(&before).await.expect(200);
    }
    let snapshot = ctx.snapshot().await;
    let answer = ctx.update(&params).await;
    assert_invalid(&answer, code, Some(&param));
    assert_eq!(
        ctx.snapshot().await,
        snapshot,
        "a rejected update changed the session"
    );
}

/// Bodies the form codec cannot read are 400s naming the parameter.
#[rstest]
#[case::bad_escape("metadata[a]=%zz", "metadata[a]")]
#[case::array_with_gap("line_items[1][id]=li_1", "line_items[1]")]
#[case::value_and_object("metadata=1&metadata[a]=2", "metadata")]
#[case::duplicate_leaf("metadata[a]=1&metadata[a]=2", "metadata[a]")]
#[tokio::test]
async fn undecodable_body_rejected(#[case] body: &str, #[case] param: &str) {
    let ctx = Ctx::new(Elements).await;
    let snapshot = ctx.snapshot().await;
    let answer = ctx
        .api
        .post_raw(
            &format!("/v1/checkout/sessions/{}", ctx.id),
            body.to_owned(),
        )
        .await;
    assert_invalid(&answer, None, Some(param));
    assert_eq!(ctx.snapshot().await, snapshot);
}

#[tokio::test]
async fn json_body_rejected() {
    let ctx = Ctx::new(Elements).await;
    let request = ctx
        .api
        .0
        .http
        .post(ctx.api.0.url(&format!("/v1/checkout/sessions/{}", ctx.id)))
        .bearer_auth(KEY)
        .json(&json!({"metadata": {"a": "1"}}));
    let answer = ctx.api.send(request).await;
    assert_invalid(&answer, None, None);
    assert_eq!(ctx.snapshot().await["metadata"], json!({}));
}

// ---------------------------------------------------------------------------------------------
// Shipping options: count, units, tax behaviors.
// ---------------------------------------------------------------------------------------------

/// `n` shipping options, by id or inline; the first one's amount (100) is the shipping cost.
async fn shipping_options(ctx: &Ctx, n: usize, by_id: bool) -> Value {
    let mut options = Vec::new();
    for i in 0..n {
        let amount = 100 * (i as i64 + 1);
        options.push(if by_id {
            json!({"shipping_rate": ctx.api.shipping_rate(amount).await})
        } else {
            json!({"shipping_rate_data": rate_data(amount)})
        });
    }
    json!({"shipping_options": options})
}

#[rstest]
#[tokio::test]
async fn up_to_five_shipping_options_accepted(
    #[values(1, 2, 3, 4, 5)] n: usize,
    #[values(true, false)] by_id: bool,
) {
    let ctx = Ctx::new(Elements).await;
    let params = shipping_options(&ctx, n, by_id).await;
    let answer = ctx.update(&params).await.expect(200);
    let options = answer.body["shipping_options"].as_array().expect("a list");
    assert_eq!(options.len(), n);
    let amounts: Vec<i64> = options
        .iter()
        .map(|o| o["shipping_amount"].as_i64().unwrap())
        .collect();
    assert_eq!(amounts, (1..=n as i64).map(|i| 100 * i).collect::<Vec<_>>());
    if by_id {
        let sent: Vec<&Value> = params["shipping_options"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| &o["shipping_rate"])
            .collect();
        let got: Vec<&Value> = options.iter().map(|o| &o["shipping_rate"]).collect();
        assert_eq!(got, sent);
    }
    assert_eq!(answer.body["total_details"]["amount_shipping"], 100);
    assert_eq!(answer.body["shipping_cost"]["amount_total"], 100);
    assert_eq!(answer.body["amount_total"], 2100);
}

#[rstest]
#[tokio::test]
async fn sixth_shipping_option_rejected(#[values(true, false)] by_id: bool) {
    let ctx = Ctx::new(Elements).await;
    let params = shipping_options(&ctx, 6, by_id).await;
    let snapshot = ctx.snapshot().await;
    let answer = ctx.update(&params).await;
    assert_invalid(&answer, None, Some("shipping_options"));
    assert_eq!(ctx.snapshot().await, snapshot);
}

#[rstest]
#[tokio::test]
async fn delivery_estimate_units_accepted(
    #[values("business_day", "day", "hour", "month", "week")] unit: &str,
    #[values("minimum", "maximum")] bound: &str,
) {
    let ctx = Ctx::new(Elements).await;
    let params = so(json!({"delivery_estimate": {bound: {"unit": unit, "value": 3}}}));
    let answer = ctx.update(&params).await.expect(200);
    let estimate = probe(&ctx, &answer.body, "rate:/delivery_estimate").await;
    assert_eq!(estimate[bound], json!({"unit": unit, "value": 3}));
}

#[rstest]
#[tokio::test]
async fn shipping_tax_behaviors_accepted(
    #[values("inclusive", "exclusive", "unspecified")] tax_behavior: &str,
) {
    let ctx = Ctx::new(Elements).await;
    let params = so(
        json!({"tax_behavior": tax_behavior, "fixed_amount": {"currency_options": {"eur": {"amount": 1, "tax_behavior": tax_behavior}}}}),
    );
    let answer = ctx.update(&params).await.expect(200);
    assert_eq!(
        probe(&ctx, &answer.body, "rate:/tax_behavior").await,
        tax_behavior
    );
    assert_eq!(
        probe(
            &ctx,
            &answer.body,
            "rate:/fixed_amount/currency_options/eur/tax_behavior"
        )
        .await,
        tax_behavior
    );
}

// ---------------------------------------------------------------------------------------------
// Line items over several updates: order, removal, totals.
// ---------------------------------------------------------------------------------------------

fn ids(list: &[Value]) -> Vec<String> {
    list.iter().map(id_of).collect()
}

#[tokio::test]
async fn line_items_reordered_by_position() {
    let ctx = Ctx::new(Elements).await;
    let li = ctx.var("$li");
    let added = ctx
        .update(&json!({"line_items": [{"id": "$li"}, {"price": "$price2", "quantity": 1}]}))
        .await
        .expect(200);
    assert!(added.body.get("line_items").is_none(), "not expanded");
    let items = ids(&ctx.api.line_items(&ctx.id).await);
    assert_eq!(items.len(), 2);
    assert_eq!(items[0], li);
    let second = items[1].clone();

    let answer = ctx
        .update(&json!({"line_items": [{"id": second}, {"id": "$li"}], "expand": ["line_items"]}))
        .await
        .expect(200);
    let data = answer.body["line_items"]["data"].as_array().unwrap();
    assert_eq!(ids(data), vec![second.clone(), li.clone()]);
    assert_eq!(answer.body["amount_subtotal"], 2500);
    assert_eq!(ids(&ctx.api.line_items(&ctx.id).await), vec![second, li]);
}

#[tokio::test]
async fn omitted_line_items_removed_and_new_ones_get_ids() {
    let ctx = Ctx::new(Elements).await;
    let li = ctx.var("$li");
    ctx.update(&json!({"line_items": [{"id": "$li"}, {"price": "$price2", "quantity": 1}, {"price": "$price2", "quantity": 2}]}))
        .await
        .expect(200);
    let items = ids(&ctx.api.line_items(&ctx.id).await);
    assert_eq!(items.len(), 3);
    assert!(items.iter().all(|id| id.starts_with("li_")));
    assert_ne!(items[1], items[2]);

    // Keep the third, drop the first two.
    let answer = ctx
        .update(&json!({"line_items": [{"id": items[2]}], "expand": ["line_items"]}))
        .await
        .expect(200);
    assert_eq!(
        ids(answer.body["line_items"]["data"].as_array().unwrap()),
        vec![items[2].clone()]
    );
    assert_eq!(answer.body["amount_subtotal"], 1000);

    // A removed item cannot be referred to any more.
    let gone = ctx.update(&json!({"line_items": [{"id": li}]})).await;
    assert_invalid(&gone, Some("resource_missing"), Some("line_items[0][id]"));
}

#[tokio::test]
async fn totals_follow_line_items_and_the_first_shipping_option() {
    let ctx = Ctx::new(Elements).await;
    let totals = |body: &Value| {
        (
            body["amount_subtotal"].as_i64().unwrap(),
            body["total_details"]["amount_shipping"].as_i64().unwrap(),
            body["amount_total"].as_i64().unwrap(),
        )
    };
    let initial = ctx.snapshot().await;
    assert_eq!(totals(&initial), (2000, 0, 2000));
    assert_eq!(initial["total_details"]["amount_discount"], 0);
    assert_eq!(initial["total_details"]["amount_tax"], 0);

    // Shipping: the first option is the one charged.
    let answer = ctx
        .update(
            &json!({"shipping_options": [{"shipping_rate": "$rate2"}, {"shipping_rate": "$rate"}]}),
        )
        .await
        .expect(200);
    assert_eq!(totals(&answer.body), (2000, 700, 2700));
    assert_eq!(
        answer.body["shipping_cost"]["shipping_rate"],
        json!(ctx.var("$rate2"))
    );

    // Quantity change.
    let answer = ctx
        .update(&li_existing(json!({"quantity": 3})))
        .await
        .expect(200);
    assert_eq!(totals(&answer.body), (3000, 700, 3700));
    assert_eq!(answer.body["line_items"]["data"][0]["amount_total"], 3000);

    // Add.
    let answer = ctx
        .update(&li_new(json!({"quantity": 4})))
        .await
        .expect(200);
    assert_eq!(totals(&answer.body), (4000, 700, 4700));

    // Remove.
    let answer = ctx
        .update(&json!({"line_items": [{"price": "$price2", "quantity": 1}]}))
        .await
        .expect(200);
    assert_eq!(totals(&answer.body), (500, 700, 1200));

    // Shipping options reordered: the new first one is charged.
    let answer = ctx
        .update(
            &json!({"shipping_options": [{"shipping_rate": "$rate"}, {"shipping_rate": "$rate2"}]}),
        )
        .await
        .expect(200);
    assert_eq!(totals(&answer.body), (500, 500, 1000));

    // Cleared.
    let answer = ctx
        .update(&json!({"shipping_options": ""}))
        .await
        .expect(200);
    assert_eq!(totals(&answer.body), (500, 0, 500));
    assert_eq!(answer.body["shipping_cost"], Value::Null);
    assert_eq!(totals(&ctx.snapshot().await), (500, 0, 500));
}

// ---------------------------------------------------------------------------------------------
// expand, state, atomicity.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn line_items_only_in_the_answer_when_expanded() {
    let ctx = Ctx::new(Elements).await;
    let plain = ctx
        .update(&json!({"metadata": {"a": "1"}}))
        .await
        .expect(200);
    assert!(plain.body.get("line_items").is_none(), "{}", plain.body);
    let path = format!("/v1/checkout/sessions/{}", ctx.id);
    assert!(ctx
        .api
        .get(&path)
        .await
        .expect(200)
        .body
        .get("line_items")
        .is_none());

    let expanded = ctx
        .update(&json!({"expand": ["line_items"]}))
        .await
        .expect(200);
    let list = &expanded.body["line_items"];
    assert_eq!(list["object"], "list");
    assert_eq!(
        list["url"],
        format!("/v1/checkout/sessions/{}/line_items", ctx.id)
    );
    assert_eq!(list["data"][0]["object"], "item");
    assert_eq!(list["data"][0]["id"], json!(ctx.var("$li")));
    assert_eq!(ctx.snapshot().await["line_items"], *list);
}

#[tokio::test]
async fn expired_session_cannot_be_updated_or_expired_again() {
    let ctx = Ctx::new(Elements).await;
    let expired = ctx.api.expire(&ctx.id).await.expect(200);
    assert_eq!(expired.body["status"], "expired");
    assert_eq!(expired.body["client_secret"], Value::Null);

    for params in [
        json!({"metadata": {"a": "1"}}),
        json!({"shipping_options": [{"shipping_rate": "$rate"}]}),
        li_existing(json!({"quantity": 3})),
    ] {
        let answer = ctx.update(&params).await;
        assert_invalid(&answer, None, None);
    }
    let again = ctx.api.expire(&ctx.id).await;
    assert_invalid(&again, None, None);

    let session = ctx.snapshot().await;
    assert_eq!(session["status"], "expired");
    assert_eq!(session["metadata"], json!({}));
    assert_eq!(session["line_items"]["data"][0]["quantity"], 2);
}

#[rstest]
#[case::hosted(Hosted)]
#[case::embedded(Embedded)]
#[tokio::test]
async fn hosted_and_embedded_sessions_expire(#[case] kind: Kind) {
    let ctx = Ctx::new(kind).await;
    let expired = ctx.api.expire(&ctx.id).await.expect(200);
    assert_eq!(expired.body["status"], "expired");
    assert_eq!(expired.body["url"], Value::Null);
    assert_invalid(
        &ctx.update(&json!({"metadata": {"a": "1"}})).await,
        None,
        None,
    );
}

#[tokio::test]
async fn failed_update_changes_nothing() {
    let ctx = Ctx::new(Elements).await;
    ctx.update(
        &json!({"metadata": {"kept": "yes"}, "shipping_options": [{"shipping_rate": "$rate"}]}),
    )
    .await
    .expect(200);
    let before = ctx.snapshot().await;

    let answer = ctx
        .update(&json!({
            "metadata": {"kept": "", "order_id": "6735"},
            "line_items": [{"id": "$li", "quantity": 7}, {"price": "$price2", "quantity": 1}],
            "collected_information": {"shipping_details": {"name": "Jenny Rosen", "address": {"country": "US", "line1": "1 Main St"}}},
            "shipping_options": [{"shipping_rate_data": merged(rate_data(100), json!({"fixed_amount": {"amount": -1}}))}],
        }))
        .await;
    assert_invalid(
        &answer,
        Some("parameter_invalid_integer"),
        Some("shipping_options[0][shipping_rate_data][fixed_amount][amount]"),
    );

    let path = format!("/v1/checkout/sessions/{}", ctx.id);
    let after = ctx.api.get(&path).await.expect(200).body;
    assert_eq!(after["metadata"], json!({"kept": "yes"}));
    assert_eq!(
        after["collected_information"]["shipping_details"],
        Value::Null
    );
    assert_eq!(ctx.snapshot().await, before);
}

// ---------------------------------------------------------------------------------------------
// Cross-cutting: unknown session, auth, headers, idempotency.
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn unknown_session_is_404_resource_missing() {
    let api = Api::start().await;
    let unknown = "cs_test_doesnotexist";
    let answers = [
        api.update(unknown, json!({"metadata": {"a": "1"}})).await,
        api.get(&format!("/v1/checkout/sessions/{unknown}")).await,
        api.get(&format!("/v1/checkout/sessions/{unknown}/line_items"))
            .await,
        api.expire(unknown).await,
    ];
    for answer in answers {
        assert_eq!(answer.status, 404, "{}", answer.body);
        assert_eq!(answer.error_type(), Some("invalid_request_error"));
        assert_eq!(answer.code(), Some("resource_missing"));
        assert_eq!(answer.param(), Some("id"));
    }
}

#[tokio::test]
async fn unknown_path_is_404_in_the_error_envelope() {
    let api = Api::start().await;
    for answer in [
        api.get("/v1/nothing_here").await,
        api.post("/v1/checkout/sessions/cs_test_1/nothing", json!({}))
            .await,
    ] {
        assert_eq!(answer.status, 404, "{}", answer.body);
        assert_eq!(answer.error_type(), Some("invalid_request_error"));
        assert_eq!(answer.param(), None);
    }
}

fn basic(user: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:"))
    )
}

#[rstest]
#[case::no_key(None, 401)]
#[case::bearer_test_key(Some(format!("Bearer {KEY}")), 200)]
#[case::basic_test_key(Some(basic(KEY)), 200)]
#[case::bearer_restricted_test_key(Some("Bearer rk_test_restricted_1".to_owned()), 200)]
#[case::bearer_live_key(Some("Bearer sk_live_4242424242".to_owned()), 401)]
#[case::basic_live_key(Some(basic("sk_live_4242424242")), 401)]
#[case::publishable_key(Some("Bearer pk_test_4242424242".to_owned()), 401)]
#[case::bare_prefix(Some("Bearer sk_test_".to_owned()), 401)]
#[case::empty_bearer(Some("Bearer ".to_owned()), 401)]
#[case::unknown_scheme(Some(format!("Token {KEY}")), 401)]
#[tokio::test]
async fn authentication(#[case] authorization: Option<String>, #[case] status: u16) {
    let ctx = Ctx::new(Elements).await;
    let mut request = ctx
        .api
        .0
        .http
        .post(ctx.api.0.url(&format!("/v1/checkout/sessions/{}", ctx.id)))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(encode(&json!({"metadata": {"a": "1"}})));
    if let Some(value) = authorization {
        request = request.header("authorization", value);
    }
    let answer = ctx.api.send(request).await;
    assert_eq!(answer.status, status, "{}", answer.body);
    if status == 401 {
        assert_eq!(answer.error_type(), Some("invalid_request_error"));
        assert_eq!(answer.param(), None);
        assert_eq!(ctx.snapshot().await["metadata"], json!({}));
    } else {
        assert_eq!(answer.body["metadata"], json!({"a": "1"}));
    }
}

#[tokio::test]
async fn configured_api_key_is_the_only_one_accepted() {
    let only = "sk_test_only_this_one";
    let api = Api::with(
        MockConfig::default().with_trusted(checkout_conformance::vendor::Provider::Stripe, only),
    )
    .await;
    let get = |key: &str| {
        api.0
            .http
            .get(api.0.url("/v1/checkout/sessions/cs_test_doesnotexist"))
            .bearer_auth(key)
    };
    // The right key gets through authentication (to a 404); any other test key does not.
    assert_eq!(api.send(get(only)).await.status, 404);
    let other = api.send(get(KEY)).await;
    assert_eq!(other.status, 401);
    assert_eq!(other.error_type(), Some("invalid_request_error"));
    let price = api
        .send(
            api.0
                .http
                .post(api.0.url("/v1/prices"))
                .basic_auth(only, None::<&str>)
                .header("content-type", "application/x-www-form-urlencoded")
                .body("currency=usd&unit_amount=1&product_data[name]=x"),
        )
        .await;
    assert_eq!(price.status, 200, "{}", price.body);
}

#[tokio::test]
async fn every_answer_has_a_request_id_and_the_pinned_stripe_version() {
    let ctx = Ctx::new(Elements).await;
    let path = format!("/v1/checkout/sessions/{}", ctx.id);
    let mut seen = std::collections::HashSet::new();
    for (body, status) in [("metadata[a]=1", 200), ("foo=1", 400)] {
        let response = ctx.api.post_request(&path).body(body).send().await.unwrap();
        assert_eq!(response.status().as_u16(), status);
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        assert_eq!(header("stripe-version").as_deref(), Some(API_VERSION));
        assert_eq!(header("content-type").as_deref(), Some("application/json"));
        let id = header("request-id").expect("a Request-Id");
        assert!(id.starts_with("req_"), "{id}");
        assert!(seen.insert(id), "Request-Ids are unique");
    }
    // Also on a 401 and a 404.
    let unauthenticated = ctx
        .api
        .0
        .http
        .get(ctx.api.0.url(&path))
        .send()
        .await
        .unwrap();
    assert_eq!(unauthenticated.status().as_u16(), 401);
    assert!(unauthenticated.headers().contains_key("request-id"));
    assert_eq!(unauthenticated.headers()["stripe-version"], API_VERSION);
}

#[rstest]
#[case::earlier_dahlia("2026-03-25.dahlia", 200)]
#[case::pinned(API_VERSION, 200)]
#[case::date_only_not_a_version("2025-03-31", 400)]
#[case::unknown_name("2025-03-31.zinnia", 400)]
#[case::not_modelled("2026-11-18.endive", 400)]
#[case::garbage("garbage", 400)]
#[case::bad_date("2024-9-30.acacia", 400)]
#[case::uppercase_name("2024-09-30.Acacia", 400)]
#[case::empty("", 400)]
#[tokio::test]
async fn stripe_version_header(#[case] version: &str, #[case] status: u16) {
    let ctx = Ctx::new(Elements).await;
    let request = ctx
        .api
        .post_request(&format!("/v1/checkout/sessions/{}", ctx.id))
        .header("stripe-version", version)
        .body("metadata[a]=1");
    let answer = ctx.api.send(request).await;
    if status == 200 {
        answer.expect(200);
    } else {
        assert_invalid(&answer, None, None);
        assert_eq!(ctx.snapshot().await["metadata"], json!({}));
    }
}

fn with_key(request: reqwest::RequestBuilder, key: &str) -> reqwest::RequestBuilder {
    request.header("idempotency-key", key)
}

#[tokio::test]
async fn idempotent_update_is_replayed() {
    let ctx = Ctx::new(Elements).await;
    let path = format!("/v1/checkout/sessions/{}", ctx.id);
    let body = encode(&ctx.subst(&json!({"line_items": [{"id": "$li"}, {"price": "$price2", "quantity": 1}], "metadata": {"n": "1"}})));
    let first = ctx
        .api
        .send(with_key(
            ctx.api.post_request(&path).body(body.clone()),
            "update-1",
        ))
        .await
        .expect(200);
    assert!(!first.replayed);
    // Meanwhile the session changes; the replay still answers what the first request answered.
    ctx.update(&json!({"metadata": {"n": "2"}}))
        .await
        .expect(200);
    let second = ctx
        .api
        .send(with_key(ctx.api.post_request(&path).body(body), "update-1"))
        .await
        .expect(200);
    assert!(second.replayed);
    assert_eq!(second.body, first.body);
    assert_eq!(ctx.api.line_items(&ctx.id).await.len(), 2);
    assert_eq!(
        ctx.snapshot().await["metadata"],
        json!({"n": "2"}),
        "the replay was not executed again"
    );
}

#[rstest]
#[case::session("/v1/checkout/sessions")]
#[case::price("/v1/prices")]
#[case::shipping_rate("/v1/shipping_rates")]
#[tokio::test]
async fn idempotent_create_creates_once(#[case] path: &str) {
    let ctx = Ctx::new(Elements).await;
    let params = match path {
        "/v1/checkout/sessions" => {
            json!({"mode": "payment", "ui_mode": "elements", "return_url": "https://example.com/r",
                                          "line_items": [{"price": "$price2", "quantity": 1}]})
        }
        "/v1/prices" => json!({"currency": "usd", "unit_amount": 5, "product": "$product"}),
        _ => rate_data(5),
    };
    let body = encode(&ctx.subst(&params));
    let send = || {
        ctx.api.send(with_key(
            ctx.api.post_request(path).body(body.clone()),
            "create-1",
        ))
    };
    let first = send().await.expect(200);
    let second = send().await.expect(200);
    assert!(!first.replayed);
    assert!(second.replayed);
    assert_eq!(id_of(&second.body), id_of(&first.body));
    assert_eq!(second.body, first.body);
    // Without the key, the same request creates another object.
    let third = ctx.api.post_raw(path, body).await.expect(200);
    assert_ne!(id_of(&third.body), id_of(&first.body));
}

#[tokio::test]
async fn idempotency_key_reused_with_other_parameters_is_an_idempotency_error() {
    let ctx = Ctx::new(Elements).await;
    let path = format!("/v1/checkout/sessions/{}", ctx.id);
    let post = |body: &'static str, key: &str| {
        ctx.api
            .send(with_key(ctx.api.post_request(&path).body(body), key))
    };
    post("metadata[a]=1", "key-1").await.expect(200);
    let other = post("metadata[a]=2", "key-1").await;
    assert_eq!(other.status, 400, "{}", other.body);
    assert_eq!(other.error_type(), Some("idempotency_error"));
    assert_eq!(other.param(), None);
    assert!(!other.replayed);
    assert_eq!(ctx.snapshot().await["metadata"], json!({"a": "1"}));

    // The same key on another endpoint is also a mismatch.
    let elsewhere = ctx
        .api
        .send(with_key(
            ctx.api.post_request("/v1/prices").body("metadata[a]=1"),
            "key-1",
        ))
        .await;
    assert_eq!(elsewhere.error_type(), Some("idempotency_error"));

    // An error answer is replayed like any other.
    let failed = post("foo=1", "key-2").await;
    assert_invalid(&failed, Some("parameter_unknown"), Some("foo"));
    let replayed = post("foo=1", "key-2").await;
    assert!(replayed.replayed);
    assert_eq!(replayed.body, failed.body);
    assert_eq!(replayed.status, 400);
}

#[rstest]
#[case::max_255(255, 200)]
#[case::over_256(256, 400)]
#[tokio::test]
async fn idempotency_key_length(#[case] length: usize, #[case] status: u16) {
    let ctx = Ctx::new(Elements).await;
    let path = format!("/v1/checkout/sessions/{}", ctx.id);
    let key = "k".repeat(length);
    let answer = ctx
        .api
        .send(with_key(
            ctx.api.post_request(&path).body("metadata[a]=1"),
            &key,
        ))
        .await;
    if status == 200 {
        answer.expect(200);
    } else {
        assert_invalid(&answer, None, None);
        assert_eq!(ctx.snapshot().await["metadata"], json!({}));
    }
}

// ---------------------------------------------------------------------------------------------
// The endpoints the fixtures are made with: create price, shipping rate, session; list items.
// ---------------------------------------------------------------------------------------------

#[rstest]
// POST /v1/prices
#[case::price_currency_missing("/v1/prices", json!({"unit_amount": 1, "product_data": {"name": "x"}}), Some("parameter_missing"), "currency")]
#[case::price_currency_uppercase("/v1/prices", json!({"currency": "USD", "unit_amount": 1, "product_data": {"name": "x"}}), None, "currency")]
#[case::price_product_missing("/v1/prices", json!({"currency": "usd", "unit_amount": 1}), Some("parameter_missing"), "product_data")]
#[case::price_product_unknown("/v1/prices", json!({"currency": "usd", "unit_amount": 1, "product": "prod_doesnotexist"}),
    Some("resource_missing"), "product")]
#[case::price_unit_amount_missing("/v1/prices", json!({"currency": "usd", "product_data": {"name": "x"}}), Some("parameter_missing"),
    "unit_amount")]
#[case::price_unit_amount_negative("/v1/prices", json!({"currency": "usd", "unit_amount": -1, "product_data": {"name": "x"}}),
    Some("parameter_invalid_integer"), "unit_amount")]
#[case::price_interval_fortnight("/v1/prices",
    json!({"currency": "usd", "unit_amount": 1, "product_data": {"name": "x"}, "recurring": {"interval": "fortnight"}}), None,
    "recurring[interval]")]
#[case::price_unknown_parameter("/v1/prices", json!({"currency": "usd", "unit_amount": 1, "product_data": {"name": "x"}, "foo": "1"}),
    Some("parameter_unknown"), "foo")]
// POST /v1/shipping_rates
#[case::rate_display_name_missing("/v1/shipping_rates", merged(rate_data(1), json!({"display_name": null})), Some("parameter_missing"),
    "display_name")]
#[case::rate_display_name_101("/v1/shipping_rates", merged(rate_data(1), json!({"display_name": s(101)})), None, "display_name")]
#[case::rate_type_missing("/v1/shipping_rates", merged(rate_data(1), json!({"type": null})), Some("parameter_missing"), "type")]
#[case::rate_fixed_amount_missing("/v1/shipping_rates", merged(rate_data(1), json!({"fixed_amount": null})), Some("parameter_missing"),
    "fixed_amount")]
#[case::rate_amount_negative("/v1/shipping_rates", rate_data(-1), Some("parameter_invalid_integer"), "fixed_amount[amount]")]
#[case::rate_unknown_parameter("/v1/shipping_rates", merged(rate_data(1), json!({"foo": "1"})), Some("parameter_unknown"), "foo")]
// POST /v1/checkout/sessions
#[case::session_mode_missing("/v1/checkout/sessions", json!({"line_items": [{"price": "$price2", "quantity": 1}]}),
    Some("parameter_missing"), "mode")]
#[case::session_mode_other("/v1/checkout/sessions", json!({"mode": "donation", "line_items": [{"price": "$price2", "quantity": 1}]}),
    None, "mode")]
#[case::session_payment_without_line_items("/v1/checkout/sessions", json!({"mode": "payment", "ui_mode": "elements"}),
    Some("parameter_missing"), "line_items")]
#[case::session_subscription_without_line_items("/v1/checkout/sessions", json!({"mode": "subscription"}),
    Some("parameter_missing"), "line_items")]
#[case::session_ui_mode_other("/v1/checkout/sessions", json!({"mode": "setup", "ui_mode": "custom"}), None, "ui_mode")]
#[case::session_line_item_id("/v1/checkout/sessions", json!({"mode": "payment", "line_items": [{"id": "$li"}]}),
    Some("parameter_unknown"), "line_items[0][id]")]
#[case::session_line_item_without_quantity("/v1/checkout/sessions", json!({"mode": "payment", "line_items": [{"price": "$price2"}]}),
    Some("parameter_missing"), "line_items[0][quantity]")]
#[case::session_unknown_price("/v1/checkout/sessions", json!({"mode": "payment", "line_items": [{"price": "price_doesnotexist", "quantity": 1}]}),
    Some("resource_missing"), "line_items[0][price]")]
#[case::session_six_shipping_options("/v1/checkout/sessions",
    json!({"mode": "payment", "line_items": [{"price": "$price2", "quantity": 1}], "shipping_options": vec![json!({"shipping_rate": "$rate"}); 6]}),
    None, "shipping_options")]
#[case::session_unknown_parameter("/v1/checkout/sessions", json!({"mode": "setup", "foo": "1"}), Some("parameter_unknown"), "foo")]
#[tokio::test]
async fn create_rejected(
    #[case] path: &str,
    #[case] params: Value,
    #[case] code: Option<&str>,
    #[case] param: &str,
) {
    let ctx = Ctx::new(Elements).await;
    let answer = ctx.api.post(path, ctx.subst(&params)).await;
    assert_invalid(&answer, code, Some(param));
}

#[rstest]
#[case::price_product_data("/v1/prices", json!({"currency": "usd", "unit_amount": 1200, "product_data": {"name": "x"}}),
    vec![("/object", json!("price")), ("/unit_amount", json!(1200)), ("/type", json!("one_time"))])]
#[case::price_product("/v1/prices", json!({"currency": "usd", "unit_amount_decimal": "12.5", "product": "$product"}),
    vec![("/product", json!("$product")), ("/unit_amount_decimal", json!("12.5")), ("/unit_amount", Value::Null)])]
#[case::price_recurring("/v1/prices",
    json!({"currency": "usd", "unit_amount": 1, "product_data": {"name": "x"},
           "recurring": {"interval": "week", "interval_count": 2, "usage_type": "licensed"}}),
    vec![("/type", json!("recurring")), ("/recurring/interval", json!("week")), ("/recurring/interval_count", json!(2))])]
#[case::shipping_rate("/v1/shipping_rates",
    merged(rate_data(350), json!({"delivery_estimate": {"minimum": {"unit": "day", "value": 1}}})),
    vec![("/object", json!("shipping_rate")), ("/fixed_amount/amount", json!(350)), ("/type", json!("fixed_amount")),
         ("/delivery_estimate/minimum/unit", json!("day"))])]
#[case::session_setup_without_line_items("/v1/checkout/sessions", json!({"mode": "setup", "ui_mode": "elements", "return_url": "https://e.com"}),
    vec![("/mode", json!("setup")), ("/status", json!("open")), ("/payment_status", json!("no_payment_required")), ("/amount_total", json!(0))])]
#[case::session_hosted_by_default("/v1/checkout/sessions",
    json!({"mode": "payment", "success_url": "https://e.com", "line_items": [{"price": "$price2", "quantity": 3}]}),
    vec![("/ui_mode", json!("hosted_page")), ("/amount_subtotal", json!(1500)), ("/client_secret", Value::Null),
         ("/url", json!("https://checkout.stripe.com/c/pay/"))])]
#[case::session_with_shipping_and_metadata("/v1/checkout/sessions",
    json!({"mode": "payment", "ui_mode": "embedded_page", "return_url": "https://e.com", "metadata": {"a": "1"},
           "line_items": [{"price": "$price2", "quantity": 1}], "shipping_options": [{"shipping_rate": "$rate2"}]}),
    vec![("/metadata", json!({"a": "1"})), ("/amount_total", json!(1200)), ("/total_details/amount_shipping", json!(700))])]
#[tokio::test]
async fn create_accepted(
    #[case] path: &str,
    #[case] params: Value,
    #[case] checks: Vec<(&str, Value)>,
) {
    let ctx = Ctx::new(Elements).await;
    let answer = ctx.api.post(path, ctx.subst(&params)).await.expect(200);
    for (pointer, expected) in checks {
        let actual = answer.body.pointer(pointer).cloned().unwrap_or(Value::Null);
        let expected = ctx.subst(&expected);
        match (pointer, &actual) {
            // The hosted URL ends with the session id.
            ("/url", Value::String(url)) => {
                assert!(url.starts_with(expected.as_str().unwrap()), "{url}")
            }
            _ => assert_eq!(actual, expected, "at {pointer}; body: {}", answer.body),
        }
    }
    // What was created can be read back.
    let read = ctx
        .api
        .get(&format!("{path}/{}", id_of(&answer.body)))
        .await
        .expect(200);
    assert_eq!(read.body, answer.body);
}

#[tokio::test]
async fn line_items_list_paginates() {
    let api = Api::start().await;
    let mut line_items = Vec::new();
    for amount in [100, 200, 300, 400, 500] {
        line_items.push(json!({"price": api.price(amount).await, "quantity": 1}));
    }
    let session = api
        .post(
            "/v1/checkout/sessions",
            json!({"mode": "payment", "ui_mode": "elements", "return_url": "https://e.com", "line_items": line_items}),
        )
        .await
        .expect(200);
    let id = id_of(&session.body);
    let api = &api;
    let list = |query: String| {
        let path = format!("/v1/checkout/sessions/{id}/line_items{query}");
        async move { api.get(&path).await }
    };
    let all = list(String::new()).await.expect(200);
    assert_eq!(all.body["object"], "list");
    assert_eq!(all.body["has_more"], false);
    assert_eq!(
        all.body["url"],
        format!("/v1/checkout/sessions/{id}/line_items")
    );
    let ids = ids(all.body["data"].as_array().unwrap());
    assert_eq!(ids.len(), 5, "default limit 10 covers all five");
    let page = |answer: &Answer| -> (Vec<String>, bool) {
        (
            self::ids(answer.body["data"].as_array().unwrap()),
            answer.body["has_more"].as_bool().unwrap(),
        )
    };

    let first = list("?limit=2".into()).await.expect(200);
    assert_eq!(page(&first), (ids[0..2].to_vec(), true));
    let second = list(format!("?limit=2&starting_after={}", ids[1]))
        .await
        .expect(200);
    assert_eq!(page(&second), (ids[2..4].to_vec(), true));
    let last = list(format!("?limit=2&starting_after={}", ids[3]))
        .await
        .expect(200);
    assert_eq!(page(&last), (ids[4..5].to_vec(), false));
    let after_last = list(format!("?starting_after={}", ids[4]))
        .await
        .expect(200);
    assert_eq!(page(&after_last), (vec![], false));
    let before = list(format!("?limit=2&ending_before={}", ids[4]))
        .await
        .expect(200);
    assert_eq!(page(&before), (ids[2..4].to_vec(), true));
    let before_start = list(format!("?limit=3&ending_before={}", ids[2]))
        .await
        .expect(200);
    assert_eq!(page(&before_start), (ids[0..2].to_vec(), false));
    let max = list("?limit=100".into()).await.expect(200);
    assert_eq!(page(&max), (ids.clone(), false));
    let exact = list("?limit=5".into()).await.expect(200);
    assert_eq!(page(&exact), (ids.clone(), false));

    for (query, code, param) in [
        ("?limit=0", Some("parameter_invalid_integer"), "limit"),
        ("?limit=101", Some("parameter_invalid_integer"), "limit"),
        ("?limit=abc", Some("parameter_invalid_integer"), "limit"),
        (
            "?starting_after=li_doesnotexist",
            Some("resource_missing"),
            "starting_after",
        ),
        (
            "?ending_before=li_doesnotexist",
            Some("resource_missing"),
            "ending_before",
        ),
        ("?foo=1", Some("parameter_unknown"), "foo"),
    ] {
        let answer = list(query.to_owned()).await;
        assert_invalid(&answer, code, Some(param));
    }
}

// ---------------------------------------------------------------------------------------------
// The schema check every answer above went through is not vacuous.
// ---------------------------------------------------------------------------------------------

/// A mock with a fault that breaks the shape of its answers: the check every test here applies
/// to every answer ([`common::Answer::conformance_problems`]) notices.
#[rstest]
#[case::missing_object_field(StripeFault::MissingObjectField.fault(), "metadata[a]=1")]
#[case::error_without_type(StripeFault::ErrorWithoutType.fault(), "foo=1")]
#[case::request_id_missing(StripeFault::RequestIdMissing.fault(), "metadata[a]=1")]
#[tokio::test]
async fn conformance_check_catches_broken_answers(#[case] fault: Fault, #[case] body: &str) {
    let mock = Mock::with_faults(&[fault]).await;
    let session = mock
        .post(
            "/v1/checkout/sessions",
            json!({"mode": "setup", "ui_mode": "elements", "return_url": "https://e.com"}),
        )
        .await;
    let id = session.body["id"]
        .as_str()
        .expect("a session id")
        .to_owned();
    let answer = mock
        .post_raw(&format!("/v1/checkout/sessions/{id}"), body.to_owned())
        .await;
    assert!(
        !answer.conformance_problems().is_empty(),
        "{fault} went unnoticed: {}",
        answer.body
    );
}

/// One request of every kind this file sends, each answer validated: a session (plain and
/// expanded), a line item list, a price, a shipping rate, and an error of every status.
#[tokio::test]
async fn every_kind_of_answer_validates_against_the_schemas() {
    use checkout_conformance::schema::{SchemaId, SchemaRegistry};
    use checkout_conformance::vendor::stripe::schema::StripeSchema;
    let ctx = Ctx::new(Elements).await;
    let registry = SchemaRegistry::embedded(checkout_conformance::vendor::Provider::Stripe);
    let path = format!("/v1/checkout/sessions/{}", ctx.id);
    let answers = [
        (
            ctx.update(&details(json!({"address": {"city": "Paris"}})))
                .await,
            StripeSchema::CheckoutSession,
        ),
        (
            ctx.update(&so(
                json!({"delivery_estimate": {"minimum": {"unit": "day", "value": 1}}}),
            ))
            .await,
            StripeSchema::CheckoutSession,
        ),
        (
            ctx.update(&li_new(json!({"adjustable_quantity": {"enabled": true}})))
                .await,
            StripeSchema::CheckoutSession,
        ),
        (
            ctx.api.get(&format!("{path}/line_items")).await,
            StripeSchema::ItemList,
        ),
        (
            ctx.api
                .get(&format!("/v1/prices/{}", ctx.var("$price2")))
                .await,
            StripeSchema::Price,
        ),
        (
            ctx.api
                .get(&format!("/v1/shipping_rates/{}", ctx.var("$rate")))
                .await,
            StripeSchema::ShippingRate,
        ),
        (ctx.update(&json!({"foo": "1"})).await, StripeSchema::Error),
        (
            ctx.api
                .get("/v1/checkout/sessions/cs_test_doesnotexist")
                .await,
            StripeSchema::Error,
        ),
        (
            ctx.api.send(ctx.api.0.http.get(ctx.api.0.url(&path))).await,
            StripeSchema::Error,
        ),
        (ctx.api.expire(&ctx.id).await, StripeSchema::CheckoutSession),
        (
            ctx.update(&json!({"metadata": {"a": "1"}})).await,
            StripeSchema::Error,
        ),
    ];
    for (answer, expected) in answers {
        assert_eq!(
            registry.for_object(&answer.body),
            Some(SchemaId::from(expected)),
            "{}",
            answer.body
        );
        assert_eq!(registry.validate(expected, &answer.body), Ok(()));
    }
}
