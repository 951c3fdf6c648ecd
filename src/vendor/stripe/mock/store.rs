//! The mock's state and its operations, one per endpoint. Each operation runs under one lock,
//! so concurrent updates to a session are serialized; an update is validated on a copy and
//! committed whole, so a rejected update changes nothing. Sessions are kept behind `Arc`s, so
//! that an update can render the session it committed after releasing the lock.

use super::error::MockError;
use super::model::*;
use super::params::{Obj, Result};
use super::rules::{self, Catalog, PriceContext};
use crate::mock::{Fault, Faults};
use crate::vendor::stripe::form::FormValue;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

#[derive(Default)]
struct Data {
    sessions: HashMap<String, Arc<Session>>,
    prices: HashMap<String, Price>,
    /// Product id -> name.
    products: HashMap<String, String>,
    shipping_rates: HashMap<String, ShippingRate>,
}

impl Data {
    fn catalog(&self) -> Catalog<'_> {
        Catalog {
            prices: &self.prices,
            products: &self.products,
            shipping_rates: &self.shipping_rates,
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

    /// `POST /v1/prices`.
    pub fn create_price(&self, body: &FormValue, faults: Faults) -> Result<Value> {
        let keys = [rules::PRICE_DATA_KEYS, &["expand", "metadata", "nickname"]].concat();
        let root = Obj::root(body, &keys, faults)?;
        let mut data = self.lock();
        let price = rules::price(&root, &data.catalog(), PriceContext::Create)?;
        data.products
            .entry(price.product.clone())
            .or_insert_with(|| price.product_name.clone());
        let json = price.to_json();
        data.prices.insert(price.id.clone(), price);
        Ok(json)
    }

    /// `POST /v1/shipping_rates`.
    pub fn create_shipping_rate(&self, body: &FormValue, faults: Faults) -> Result<Value> {
        let keys = &[
            "delivery_estimate",
            "display_name",
            "expand",
            "fixed_amount",
            "metadata",
            "tax_behavior",
            "tax_code",
            "type",
        ];
        let root = Obj::root(body, keys, faults)?;
        let rate = rules::shipping_rate(&root)?;
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
    pub fn create_session(&self, body: &FormValue, faults: Faults) -> Result<Value> {
        let root = Obj::root(body, CREATE_KEYS, faults)?;
        let mode = root.required_string("mode")?;
        root.one_of("mode", &["payment", "setup", "subscription"], None)?;
        let ui_mode = root
            .one_of("ui_mode", UiMode::NAMES, None)?
            .and_then(UiMode::parse)
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
        };
        session.recompute_totals();
        let json = session.to_json(expand);
        data.remember_rates(&session.shipping_options);
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

    /// `GET /v1/checkout/sessions/{id}/line_items`: a list, `limit` 1..=100 (default 10),
    /// `starting_after` / `ending_before` a line item id.
    pub fn line_items(&self, id: &str, query: &FormValue, faults: Faults) -> Result<Value> {
        let root = Obj::root(
            query,
            &["ending_before", "expand", "limit", "starting_after"],
            faults,
        )?;
        let limit = root.integer_in("limit", 1, 100, None)?.unwrap_or(10) as usize;
        let data = self.lock();
        let session = data
            .sessions
            .get(id)
            .ok_or_else(|| MockError::not_found("checkout.session", id))?;
        let items = &session.line_items;
        let position = |key: &str| -> Result<Option<usize>> {
            match root.string(key)? {
                None => Ok(None),
                Some(cursor) => items
                    .iter()
                    .position(|li| li.id == cursor)
                    .map(Some)
                    .ok_or_else(|| MockError::no_such(&root.path(key), "line item", cursor)),
            }
        };
        let (start, end) = match (position("starting_after")?, position("ending_before")?) {
            (Some(after), _) => (after + 1, (after + 1 + limit).min(items.len())),
            (None, Some(before)) => (before.saturating_sub(limit), before),
            (None, None) => (0, limit.min(items.len())),
        };
        let has_more = if root.has("ending_before") {
            start > 0
        } else {
            end < items.len()
        };
        Ok(json!({
            "object": "list",
            "data": items[start..end].iter().map(LineItem::to_json).collect::<Vec<_>>(),
            "has_more": has_more,
            "url": format!("/v1/checkout/sessions/{id}/line_items"),
        }))
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
        if session.status != "open" && !faults.has(Fault::ClosedSessionUpdatable) {
            return Err(MockError::state(format!(
                "This Checkout Session is no longer open (status `{}`) and cannot be updated.",
                session.status
            )));
        }
        let catalog = data.catalog();
        let mut updated = Session::clone(session);

        if let Some(info) = root.object("collected_information", &["shipping_details"])? {
            if session.ui_mode == UiMode::HostedPage
                && !faults.has(Fault::ShippingDetailsOnHostedAccepted)
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
            && !faults.has(Fault::LineItemsOnHostedAccepted)
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
            None if faults.has(Fault::ShippingOptionsDroppedWhenUnmentioned) => {
                updated.shipping_options.clear()
            }
            None => {}
        }
        let expand = rules::expand(&root)?;
        if !faults.has(Fault::TotalsNotRecomputed) {
            updated.recompute_totals();
        }
        if faults.has(Fault::RateDataShippingNotTotalled)
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
