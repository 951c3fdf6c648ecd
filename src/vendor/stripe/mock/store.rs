//! The mock's state and its operations, one per endpoint. Each operation runs under one lock,
//! so concurrent updates to a session are serialized; an update is validated on a copy and
//! committed whole, so a rejected update changes nothing. Sessions are kept behind `Arc`s, so
//! that an update can render the session it committed after releasing the lock.

use super::error::MockError;
use super::model::*;
use super::param_kinds::{self, names};
use super::param_table as table;
use super::params::{Obj, Result};
use super::rules::{self, Catalog, PriceContext};
use super::versions;
use crate::mock::Faults;
use super::StripeFault;
use crate::vendor::stripe::form::FormValue;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

#[derive(Default)]
struct Data {
    sessions: HashMap<String, Arc<Session>>,
    /// Session ids, oldest first (lists show the newest first).
    session_order: Vec<String>,
    prices: HashMap<String, Price>,
    /// Product id -> name.
    products: HashMap<String, String>,
    /// Product id -> the product object (built from the parameters, see [`Store::create_product`]).
    product_objects: HashMap<String, Value>,
    /// Product ids, oldest first.
    product_order: Vec<String>,
    shipping_rates: HashMap<String, ShippingRate>,
    tax_rates: HashMap<String, Value>,
}

impl Data {
    fn catalog(&self) -> Catalog<'_> {
        Catalog {
            prices: &self.prices,
            products: &self.products,
            shipping_rates: &self.shipping_rates,
        }
    }

    /// Remembers a product (a price's `product_data` creates one too).
    fn add_product(&mut self, product: Value) {
        let id = product["id"].as_str().unwrap_or_default().to_owned();
        let name = product["name"].as_str().unwrap_or_default().to_owned();
        self.products.insert(id.clone(), name);
        if self.product_objects.insert(id.clone(), product).is_none() {
            self.product_order.push(id);
        }
    }

    fn remember_rates(&mut self, rates: &[ShippingRate]) {
        for rate in rates {
            self.shipping_rates
                .entry(rate.id.clone())
                .or_insert_with(|| rate.clone());
        }
    }
}

/// The objects of one mock server.
#[derive(Default)]
pub struct Store {
    data: Mutex<Data>,
}

const UPDATE_KEYS: &[&str] = &[
    "collected_information",
    "expand",
    "line_items",
    "metadata",
    "shipping_options",
];
const CREATE_KEYS: &[&str] = &[
    "cancel_url",
    "client_reference_id",
    "currency",
    "customer_email",
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

impl Store {
    fn lock(&self) -> MutexGuard<'_, Data> {
        // A poisoned lock means an operation panicked half-way; the data is still consistent
        // because updates are committed whole, so keep serving.
        self.data
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// `POST /v1/prices`: the parameters with rules of their own ([`rules::price`]), and every
    /// other parameter of the call ([`table::PRICE_CREATE`]) read from the table, stored and
    /// rendered.
    pub fn create_price(&self, body: &FormValue, faults: Faults) -> Result<Value> {
        let handled = [rules::PRICE_DATA_KEYS, &["expand", "metadata", "nickname"]].concat();
        let root = Obj::root(body, &names(table::PRICE_CREATE), faults)?;
        let extra = param_kinds::read(&root, table::PRICE_CREATE, &handled)?;
        let mut data = self.lock();
        let mut price = rules::price(&root, &data.catalog(), PriceContext::Create)?;
        price.extra = extra;
        if !data.products.contains_key(&price.product) {
            data.add_product(new_product(&price.product, &price.product_name));
        }
        let json = price.to_json();
        data.prices.insert(price.id.clone(), price);
        Ok(json)
    }

    /// `POST /v1/products` ([`table::PRODUCT_CREATE`]): a blank product (fixtures3.json's,
    /// [`table::PRODUCT_BLANK`]) with the parameters rendered on it.
    pub fn create_product(&self, body: &FormValue, faults: Faults) -> Result<Value> {
        let root = Obj::root(body, &names(table::PRODUCT_CREATE), faults)?;
        let params = param_kinds::read(&root, table::PRODUCT_CREATE, &["expand"])?;
        let mut data = self.lock();
        let id = match params.get("id").and_then(Value::as_str) {
            Some(id) if data.products.contains_key(id) => {
                return Err(MockError::invalid(
                    &root.path("id"),
                    format!("Product already exists: {}", super::echo(id)),
                ))
            }
            Some(id) => id.to_owned(),
            None => new_id("prod_", 14),
        };
        let mut product = new_product(&id, "");
        param_kinds::overlay(&mut product, &params);
        data.add_product(product.clone());
        Ok(product)
    }

    /// `GET /v1/products/{id}`.
    pub fn product(&self, id: &str) -> Result<Value> {
        self.lock()
            .product_objects
            .get(id)
            .cloned()
            .ok_or_else(|| MockError::not_found("product", id))
    }

    /// `POST /v1/products/{id}` ([`table::PRODUCT_UPDATE`]): each parameter given replaces the
    /// field; `metadata` is merged (a key posted empty is removed, `metadata=` clears it).
    pub fn update_product(&self, id: &str, body: &FormValue, faults: Faults) -> Result<Value> {
        let root = Obj::root(body, &names(table::PRODUCT_UPDATE), faults)?;
        let mut params = param_kinds::read(&root, table::PRODUCT_UPDATE, &["expand", "metadata"])?;
        let mut data = self.lock();
        let product = data
            .product_objects
            .get_mut(id)
            .ok_or_else(|| MockError::not_found("product", id))?;
        let mut metadata = Metadata::new();
        if let Some(old) = product["metadata"].as_object() {
            for (k, v) in old {
                metadata.insert(k.clone(), v.as_str().unwrap_or_default().to_owned());
            }
        }
        rules::apply_metadata(&root, "metadata", &mut metadata)?;
        params.insert("updated".into(), json!(now()));
        param_kinds::overlay(product, &params);
        product["metadata"] = json!(metadata);
        let product = product.clone();
        if let Some(name) = product["name"].as_str() {
            data.products.insert(id.to_owned(), name.to_owned());
        }
        Ok(product)
    }

    /// `GET /v1/products` ([`table::PRODUCT_LIST`]): newest first, paginated; `active` filters.
    pub fn products(&self, query: &FormValue, faults: Faults) -> Result<Value> {
        let root = Obj::root(query, &names(table::PRODUCT_LIST), faults)?;
        let params = param_kinds::read(&root, table::PRODUCT_LIST, &[])?;
        let data = self.lock();
        let items: Vec<&Value> = data
            .product_order
            .iter()
            .rev()
            .filter_map(|id| data.product_objects.get(id))
            .filter(|p| params.get("active").is_none_or(|a| &p["active"] == a))
            .collect();
        let page = paginate(
            &root,
            &items,
            |p| p["id"].as_str().unwrap_or_default(),
            "product",
        )?;
        Ok(list(
            page.0.into_iter().cloned().collect(),
            page.1,
            "/v1/products",
        ))
    }

    /// `POST /v1/tax_rates` ([`table::TAX_RATE_CREATE`]): a blank tax rate (fixtures3.json's)
    /// with the parameters rendered on it.
    pub fn create_tax_rate(&self, body: &FormValue, faults: Faults) -> Result<Value> {
        let root = Obj::root(body, &names(table::TAX_RATE_CREATE), faults)?;
        let params = param_kinds::read(&root, table::TAX_RATE_CREATE, &["expand"])?;
        let mut rate: Value = serde_json::from_str(table::TAX_RATE_BLANK).unwrap_or_default();
        rate["id"] = json!(new_id("txr_", 24));
        rate["created"] = json!(now());
        rate["rate_type"] = json!("percentage");
        param_kinds::overlay(&mut rate, &params);
        if let Some(p) = params.get("percentage").and_then(|p| p.as_str()) {
            rate["percentage"] = p.parse::<f64>().map_or(Value::Null, |f| json!(f));
        }
        if rate["effective_percentage"].is_null() {
            rate["effective_percentage"] = rate["percentage"].clone();
        }
        self.lock().tax_rates.insert(
            rate["id"].as_str().unwrap_or_default().to_owned(),
            rate.clone(),
        );
        Ok(rate)
    }

    /// `GET /v1/tax_rates/{id}`.
    pub fn tax_rate(&self, id: &str) -> Result<Value> {
        self.lock()
            .tax_rates
            .get(id)
            .cloned()
            .ok_or_else(|| MockError::not_found("tax_rate", id))
    }

    /// `POST /v1/shipping_rates`: the rules of [`rules::shipping_rate`], and every other
    /// parameter of the call ([`table::SHIPPING_RATE_CREATE`]) from the table.
    pub fn create_shipping_rate(&self, body: &FormValue, faults: Faults) -> Result<Value> {
        let handled = &[
            "delivery_estimate",
            "display_name",
            "expand",
            "fixed_amount",
            "metadata",
            "tax_behavior",
            "tax_code",
            "type",
        ];
        let root = Obj::root(body, &names(table::SHIPPING_RATE_CREATE), faults)?;
        let extra = param_kinds::read(&root, table::SHIPPING_RATE_CREATE, handled)?;
        let mut rate = rules::shipping_rate(&root)?;
        rate.extra = extra;
        let json = rate.to_json();
        self.lock().shipping_rates.insert(rate.id.clone(), rate);
        Ok(json)
    }

    /// `GET /v1/prices/{id}`.
    pub fn price(&self, id: &str) -> Result<Value> {
        self.lock()
            .prices
            .get(id)
            .map(Price::to_json)
            .ok_or_else(|| MockError::not_found("price", id))
    }

    /// `GET /v1/shipping_rates/{id}`.
    pub fn shipping_rate(&self, id: &str) -> Result<Value> {
        self.lock()
            .shipping_rates
            .get(id)
            .map(ShippingRate::to_json)
            .ok_or_else(|| MockError::not_found("shipping rate", id))
    }

    /// `POST /v1/checkout/sessions`.
    pub fn create_session(&self, body: &FormValue, faults: Faults, version: &str) -> Result<Value> {
        let root = Obj::root(body, &names(table::SESSION_CREATE), faults)?;
        let extra = param_kinds::read(&root, table::SESSION_CREATE, CREATE_KEYS)?;
        let mode = root.required_string("mode")?;
        root.one_of("mode", &["payment", "setup", "subscription"], None)?;
        let ui_mode = root
            .one_of("ui_mode", &versions::ui_mode_names(version), None)?
            .and_then(|name| UiMode::parse(versions::current_ui_mode(version, name)))
            .unwrap_or(UiMode::HostedPage);
        let update_shipping_details =
            match root.object("permissions", &["update_shipping_details"])? {
                Some(p) => p
                    .one_of(
                        "update_shipping_details",
                        &["client_only", "server_only"],
                        None,
                    )?
                    .map(str::to_owned),
                None => None,
            };
        let payment_method_types = match root.list("payment_method_types")? {
            Some(types) => types
                .into_iter()
                .map(|(param, v)| {
                    v.as_str()
                        .map(str::to_owned)
                        .ok_or_else(|| MockError::invalid(&param, "Invalid string."))
                })
                .collect::<Result<Vec<_>>>()?,
            None => vec!["card".to_owned()],
        };
        let optional = |key: &str| {
            root.string(key)
                .map(|s| s.filter(|s| !s.is_empty()).map(str::to_owned))
        };
        let expand = rules::expand(&root)?;
        let mut data = self.lock();
        let catalog = data.catalog();
        let line_items = rules::new_line_items(&root, &catalog)?;
        if mode != "setup" && line_items.is_empty() {
            return Err(MockError::missing(&root.path("line_items")));
        }
        let shipping_options = rules::shipping_options(&root, &catalog)?.unwrap_or_default();
        let created = now();
        let mut session = Session {
            id: new_id("cs_test_", 58),
            mode: mode.to_owned(),
            ui_mode,
            status: "open",
            currency: root.string("currency")?.map(str::to_owned),
            line_items,
            metadata: rules::new_metadata(&root, "metadata")?,
            shipping_options,
            shipping_details: None,
            success_url: optional("success_url")?,
            return_url: optional("return_url")?,
            cancel_url: optional("cancel_url")?,
            customer_email: optional("customer_email")?,
            client_reference_id: optional("client_reference_id")?,
            payment_method_types,
            update_shipping_details,
            redirect_on_completion: root
                .one_of(
                    "redirect_on_completion",
                    &["always", "if_required", "never"],
                    None,
                )?
                .map(str::to_owned),
            created,
            expires_at: created + 24 * 3600,
            totals: Totals::default(),
            secret: new_id("", 24),
            extra,
        };
        if let Some(at) = session.extra.get("expires_at").and_then(Value::as_i64) {
            session.expires_at = at;
        }
        session.recompute_totals();
        let json = session.to_json(expand);
        data.remember_rates(&session.shipping_options);
        data.session_order.push(session.id.clone());
        data.sessions.insert(session.id.clone(), Arc::new(session));
        Ok(json)
    }

    /// `GET /v1/checkout/sessions/{id}`.
    pub fn session(&self, id: &str, query: &FormValue, faults: Faults) -> Result<Value> {
        let root = Obj::root(query, &["expand"], faults)?;
        let data = self.lock();
        let session = data
            .sessions
            .get(id)
            .ok_or_else(|| MockError::not_found("checkout.session", id))?;
        Ok(session.to_json(rules::expand(&root)?))
    }

    /// `GET /v1/checkout/sessions` ([`table::SESSION_LIST`]): newest first, paginated; the
    /// filters the session renders (`status`, `customer`, `payment_intent`, `payment_link`,
    /// `subscription`, `customer_account`) compare with its field.
    pub fn sessions(&self, query: &FormValue, faults: Faults) -> Result<Value> {
        let root = Obj::root(query, &names(table::SESSION_LIST), faults)?;
        let params = param_kinds::read(&root, table::SESSION_LIST, &[])?;
        let expand = rules::expand(&root)?;
        let data = self.lock();
        let rendered: Vec<Value> = data
            .session_order
            .iter()
            .rev()
            .filter_map(|id| data.sessions.get(id))
            .map(|s| s.to_json(expand))
            .filter(|s| {
                params.iter().all(|(key, wanted)| match key.as_str() {
                    "status" | "customer" | "payment_intent" | "payment_link" | "subscription"
                    | "customer_account" => s.get(key).is_some_and(|v| v == wanted),
                    _ => true,
                })
            })
            .collect();
        let items: Vec<&Value> = rendered.iter().collect();
        let (page, has_more) = paginate(
            &root,
            &items,
            |s| s["id"].as_str().unwrap_or_default(),
            "checkout.session",
        )?;
        Ok(list(
            page.into_iter().cloned().collect(),
            has_more,
            "/v1/checkout/sessions",
        ))
    }

    /// `GET /v1/checkout/sessions/{id}/line_items`: a list, `limit` 1..=100 (default 10),
    /// `starting_after` / `ending_before` a line item id.
    pub fn line_items(&self, id: &str, query: &FormValue, faults: Faults) -> Result<Value> {
        let root = Obj::root(
            query,
            &["ending_before", "expand", "limit", "starting_after"],
            faults,
        )?;
        let data = self.lock();
        let session = data
            .sessions
            .get(id)
            .ok_or_else(|| MockError::not_found("checkout.session", id))?;
        let items: Vec<&LineItem> = session.line_items.iter().collect();
        let (page, has_more) = paginate(&root, &items, |li| li.id.as_str(), "line item")?;
        Ok(list(
            page.into_iter().map(LineItem::to_json).collect(),
            has_more,
            &format!("/v1/checkout/sessions/{id}/line_items"),
        ))
    }

    /// `POST /v1/checkout/sessions/{id}/expire`: only an open session can be expired.
    pub fn expire_session(&self, id: &str, body: &FormValue, faults: Faults) -> Result<Value> {
        let root = Obj::root(body, &["expand"], faults)?;
        let expand = rules::expand(&root)?;
        let mut data = self.lock();
        let session = data
            .sessions
            .get_mut(id)
            .ok_or_else(|| MockError::not_found("checkout.session", id))?;
        if session.status != "open" {
            return Err(MockError::state(format!(
                "Only Checkout Sessions with a status of `open` can be expired; this one is `{}`.",
                session.status
            )));
        }
        let session = Arc::make_mut(session);
        session.status = "expired";
        Ok(session.to_json(expand))
    }

    /// `POST /v1/checkout/sessions/{id}`: the contract under test.
    pub fn update_session(&self, id: &str, body: &FormValue, faults: Faults) -> Result<Value> {
        let root = Obj::root(body, UPDATE_KEYS, faults)?;
        let mut data = self.lock();
        let session = data
            .sessions
            .get(id)
            .ok_or_else(|| MockError::not_found("checkout.session", id))?;
        if session.status != "open" && !faults.has(StripeFault::ClosedSessionUpdatable) {
            return Err(MockError::state(format!(
                "This Checkout Session is no longer open (status `{}`) and cannot be updated.",
                session.status
            )));
        }
        let catalog = data.catalog();
        let mut updated = Session::clone(session);

        if let Some(info) = root.object("collected_information", &["shipping_details"])? {
            if session.ui_mode == UiMode::HostedPage
                && !faults.has(StripeFault::ShippingDetailsOnHostedAccepted)
            {
                return Err(MockError::invalid(
                    &root.path("collected_information"),
                    "collected_information can only be set when updating embedded or custom UI sessions.",
                ));
            }
            if let Some(details) = rules::shipping_details(&info)? {
                updated.shipping_details = Some(details);
            }
        }
        if root.has("line_items")
            && session.ui_mode != UiMode::Elements
            && !faults.has(StripeFault::LineItemsOnHostedAccepted)
        {
            return Err(MockError::invalid(
                &root.path("line_items"),
                "line_items can only be updated on custom UI (ui_mode=elements) sessions.",
            ));
        }
        updated.line_items = rules::retransmitted_line_items(&root, &session.line_items, &catalog)?;
        rules::apply_metadata(&root, "metadata", &mut updated.metadata)?;
        match rules::shipping_options(&root, &catalog)? {
            Some(options) => updated.shipping_options = options,
            None if faults.has(StripeFault::ShippingOptionsDroppedWhenUnmentioned) => {
                updated.shipping_options.clear()
            }
            None => {}
        }
        let expand = rules::expand(&root)?;
        if !faults.has(StripeFault::TotalsNotRecomputed) {
            updated.recompute_totals();
        }
        if faults.has(StripeFault::RateDataShippingNotTotalled)
            && updated
                .shipping_options
                .first()
                .is_some_and(|rate| !catalog.shipping_rates.contains_key(&rate.id))
        {
            updated.totals.amount_shipping = 0;
        }
        data.remember_rates(&updated.shipping_options);
        let updated = Arc::new(updated);
        let replaced = data
            .sessions
            .insert(updated.id.clone(), Arc::clone(&updated));
        // Rendering (the larger part of an update) needs no lock: `updated` is what was just
        // committed, and it is immutable now that it is shared. The replaced session is dropped
        // outside the lock too.
        drop(data);
        drop(replaced);
        Ok(updated.to_json(expand))
    }
}

/// A page of `items` (in list order) as Stripe paginates: `limit` 1..=100 (default 10),
/// `starting_after` / `ending_before` an item id (an unknown one is `resource_missing`); the
/// page and `has_more`.
fn paginate<'a, T>(
    root: &Obj<'_>,
    items: &[&'a T],
    id: impl Fn(&T) -> &str,
    what: &str,
) -> Result<(Vec<&'a T>, bool)> {
    let limit = root.integer_in("limit", 1, 100, None)?.unwrap_or(10) as usize;
    let position = |key: &str| -> Result<Option<usize>> {
        match root.string(key)? {
            None => Ok(None),
            Some(cursor) => items
                .iter()
                .position(|item| id(item) == cursor)
                .map(Some)
                .ok_or_else(|| MockError::no_such(&root.path(key), what, cursor)),
        }
    };
    let (start, end) = match (position("starting_after")?, position("ending_before")?) {
        (Some(after), _) => (after + 1, (after + 1 + limit).min(items.len())),
        (None, Some(before)) => (before.saturating_sub(limit), before),
        (None, None) => (0, limit.min(items.len())),
    };
    let has_more = if root.has("ending_before") && !root.has("starting_after") {
        start > 0
    } else {
        end < items.len()
    };
    Ok((items[start..end].to_vec(), has_more))
}

/// Stripe's list object.
fn list(data: Vec<Value>, has_more: bool, url: &str) -> Value {
    json!({"object": "list", "data": data, "has_more": has_more, "url": url})
}

/// A new product `id` named `name`: fixtures3.json's product, blank ([`table::PRODUCT_BLANK`]).
fn new_product(id: &str, name: &str) -> Value {
    let mut product: Value = serde_json::from_str(table::PRODUCT_BLANK).unwrap_or_default();
    let created = now();
    product["id"] = json!(id);
    product["name"] = json!(name);
    product["created"] = json!(created);
    product["updated"] = json!(created);
    product
}
