//! Fixtures, created through the target's public API. Every Given step checks, on the answer or
//! a read-back, that the state it sets up holds; when it does not, the scenario is *setup
//! failed* (the clause under test is not verified), never a contract failure.

use super::args::{self, records};
use super::{ConformanceWorld, Creation};
use crate::client::Exchange;
use crate::verdict;
use cucumber::gherkin::Step;
use cucumber::given;
use serde_json::{json, Map, Value};

/// The id a dry run gives a fixture it declares.
fn dry_id(kind: &str, name: &str) -> String {
    format!("{kind}_dry_run_{name}")
}

impl ConformanceWorld {
    /// Creates a checkout session and makes it the session under test; checks that the target
    /// created it with the line items (Stripe) or cart items (Gr4vy) it was given.
    pub(crate) async fn create_session(&mut self, params: Value) {
        if self.dry_run {
            let id = self.provider.vendor().dry_run_session_id();
            let items = params["line_items"].as_array().map_or(0, Vec::len);
            self.created_items = (1..=items).map(|i| format!("li_dry_run_{i}")).collect();
            self.session = Some(json!({ "id": id }));
            return;
        }
        let body = self.provider.update_body(&params);
        let before = crate::wire::datetime::now();
        let mut created = self
            .fixture("POST", self.provider.sessions_path(), body)
            .await;
        let id = created.body["id"]
            .as_str()
            .filter(|_| (200..300).contains(&created.status))
            .map(str::to_owned);
        let Some(id) = id else {
            self.setup_refused("creating the checkout session under test", &created);
        };
        self.context.note_created(self.provider, &id);
        self.own_sessions.push(id.clone());
        // The body becomes the session under test; the exchange is kept (for its request and
        // Request-Id) with the one field checked against the time of creation.
        let session = std::mem::take(&mut created.body);
        let creation = Creation {
            at: before,
            expires_at: session["expires_at"].as_str().map(str::to_owned),
            exchange: created,
        };
        if !self.provider.vendor().verifies_created_line_items() {
            let count = |v: &Value| v["cart_items"].as_array().map_or(0, Vec::len);
            self.setup_not_held(
                "the created session's cart items",
                &json!({ "cart items": count(&params) }),
                &json!({ "cart items": count(&session) }),
                &creation.exchange,
            );
            self.created = Some(creation);
            self.session = Some(session);
            return;
        }
        self.session = Some(session);
        let items = self
            .fixture_line_items("reading back the created session's line items")
            .await;
        let data = super::then::array(&items.body["data"]);
        let given: Vec<Value> = super::then::array(&params["line_items"])
            .iter()
            .map(|li| json!({ "quantity": li["quantity"] }))
            .collect();
        let held: Vec<Value> = data
            .iter()
            .map(|li| json!({ "quantity": li["quantity"] }))
            .collect();
        self.setup_not_held(
            "the created session's line items, read back",
            &Value::Array(given),
            &Value::Array(held),
            &items,
        );
        self.created_items = data
            .iter()
            .filter_map(|li| li["id"].as_str().map(str::to_owned))
            .collect();
        self.created = Some(creation);
    }

    /// Reads back the line items of the session under test for a Given step (a fixture
    /// request); a refusal is a setup failure named `what`.
    pub(crate) async fn fixture_line_items(&self, what: &str) -> Exchange {
        let list = self
            .fixture("GET", &self.line_items_path(), crate::client::Body::Empty)
            .await;
        if list.status != 200 {
            self.setup_refused(what, &list);
        }
        list
    }

    /// A session with `ui_mode` and the given line items (`[{price, quantity}]`).
    async fn open_session(&mut self, ui: &str, line_items: Value) {
        let ui_mode = match ui {
            "custom UI" => "elements",
            "embedded" => "embedded_page",
            _ => "hosted_page",
        };
        let mut params = json!({"mode": "payment", "ui_mode": ui_mode, "line_items": line_items});
        if ui_mode == "hosted_page" {
            params["success_url"] = json!("https://example.com/success");
        } else {
            params["return_url"] = json!("https://example.com/return");
        }
        self.create_session(params).await;
    }

    /// Creates the price fixture `name` (once per scenario) and checks it was created as asked.
    pub(crate) async fn ensure_price(&mut self, name: &str, amount: i64, currency: &str) {
        if self.prices.contains_key(name) {
            return;
        }
        if self.dry_run {
            self.prices.insert(name.to_owned(), dry_id("price", name));
            return;
        }
        let params =
            json!({"currency": currency, "unit_amount": amount, "product_data": {"name": name}});
        let price = self.fixture_post("/v1/prices", &params).await;
        let Some(id) = price.body["id"].as_str().filter(|_| price.status == 200) else {
            self.setup_refused(&format!("creating price `{name}`"), &price);
        };
        self.setup_not_held(
            &format!("price `{name}`"),
            &json!({"unit_amount": amount, "currency": currency}),
            &json!({"unit_amount": price.body["unit_amount"], "currency": price.body["currency"]}),
            &price,
        );
        self.prices.insert(name.to_owned(), id.to_owned());
    }

    /// Applies a set-up update that must succeed (it is not the behaviour under test); returns
    /// its exchange (none in a dry run), whose session the caller checks holds what was set up.
    pub(crate) async fn set_up(&mut self, what: &str, params: Value) -> Option<Exchange> {
        let path = self.session_path();
        if self.dry_run {
            return None;
        }
        let body = self.provider.update_body(&params);
        let updated = self
            .fixture(self.provider.update_method(), &path, body)
            .await;
        if updated.status != 200 {
            self.setup_refused(what, &updated);
        }
        self.session = Some(updated.body.clone());
        Some(updated)
    }
}

#[given(expr = "a price {string} of {int} {word}")]
async fn price(world: &mut ConformanceWorld, name: String, amount: i64, currency: String) {
    world.ensure_price(&name, amount, &currency).await;
}

#[given(expr = "a shipping rate {string} of {int} {word}")]
async fn shipping_rate(world: &mut ConformanceWorld, name: String, amount: i64, currency: String) {
    if world.dry_run {
        world
            .shipping_rates
            .insert(name.clone(), dry_id("shr", &name));
        return;
    }
    let params = json!({
        "display_name": name,
        "type": "fixed_amount",
        "fixed_amount": {"amount": amount, "currency": currency},
    });
    let rate = world.fixture_post("/v1/shipping_rates", &params).await;
    let Some(id) = rate.body["id"].as_str().filter(|_| rate.status == 200) else {
        world.setup_refused(&format!("creating shipping rate `{name}`"), &rate);
    };
    world.setup_not_held(
        &format!("shipping rate `{name}`"),
        &json!({"display_name": name, "fixed_amount": {"amount": amount, "currency": currency}}),
        &json!({"display_name": rate.body["display_name"], "fixed_amount": {"amount": rate.body["fixed_amount"]["amount"], "currency": rate.body["fixed_amount"]["currency"]}}),
        &rate,
    );
    world.shipping_rates.insert(name, id.to_owned());
}

#[given(regex = r"^an open (custom UI|embedded|hosted) checkout session with line items:$")]
async fn session_with_items(world: &mut ConformanceWorld, ui: String, step: &Step) {
    let line_items: Vec<Value> = records(step, &["price", "quantity"])
        .into_iter()
        .map(|row| {
            let price = row["price"].as_str().unwrap_or_default();
            let quantity = row["quantity"].as_str().unwrap_or_default();
            let Ok(quantity) = quantity.parse::<i64>() else {
                verdict::authoring(format!(
                    "the `quantity` column holds `{quantity}`, not a whole number"
                ));
            };
            json!({"price": world.resolve(&format!("{{price {price}}}")), "quantity": quantity})
        })
        .collect();
    world.open_session(&ui, Value::Array(line_items)).await;
}

#[given(regex = r"^an open (custom UI|embedded|hosted) checkout session$")]
async fn session(world: &mut ConformanceWorld, ui: String) {
    world.ensure_price("default", 1000, "usd").await;
    let price = world.resolve("{price default}");
    world
        .open_session(&ui, json!([{"price": price, "quantity": 1}]))
        .await;
}

#[given("an open checkout session created with:")]
async fn session_created_with(world: &mut ConformanceWorld, step: &Step) {
    let params = world.docstring_json(step);
    world.create_session(params).await;
}

#[given("the session has metadata:")]
async fn session_metadata(world: &mut ConformanceWorld, step: &Step) {
    let metadata: Map<String, Value> = args::pairs(step)
        .into_iter()
        .map(|(key, value)| (key, Value::String(world.resolve(&value))))
        .collect();
    world.session_id();
    let Some(exchange) = world
        .set_up(
            "setting the session's metadata",
            json!({"metadata": metadata}),
        )
        .await
    else {
        return;
    };
    let session = &exchange.body;
    let held: Map<String, Value> = metadata
        .keys()
        .map(|k| {
            (
                k.clone(),
                session["metadata"].get(k).cloned().unwrap_or(Value::Null),
            )
        })
        .collect();
    world.setup_not_held(
        "the session's metadata",
        &Value::Object(metadata),
        &Value::Object(held),
        &exchange,
    );
}

#[given(regex = r#"^the session has the shipping options? ((?:"[^"]+"(?:, )?)+)$"#)]
async fn session_shipping_options(world: &mut ConformanceWorld, names: String) {
    let ids: Vec<String> = names
        .split(", ")
        .map(|name| world.resolve(&format!("{{shipping rate {}}}", name.trim_matches('"'))))
        .collect();
    let options: Vec<Value> = ids.iter().map(|id| json!({"shipping_rate": id})).collect();
    let Some(exchange) = world
        .set_up(
            "setting the session's shipping options",
            json!({"shipping_options": options}),
        )
        .await
    else {
        return;
    };
    let held: Vec<Value> = super::then::array(&exchange.body["shipping_options"])
        .iter()
        .map(|o| {
            let rate = &o["shipping_rate"];
            rate.get("id").unwrap_or(rate).clone()
        })
        .collect();
    world.setup_not_held(
        "the session's shipping options",
        &json!(ids),
        &Value::Array(held),
        &exchange,
    );
}

#[given("the session has expired")]
async fn session_expired(world: &mut ConformanceWorld) {
    let path = format!("/v1/checkout/sessions/{}/expire", world.session_id());
    world.dry_stop().await;
    let expired = world.fixture_post(&path, &json!({})).await;
    if expired.status != 200 {
        world.setup_refused("expiring the session", &expired);
    }
    world.setup_not_held(
        "the expired session",
        &json!({"status": "expired"}),
        &json!({"status": expired.body["status"]}),
        &expired,
    );
    world.session = Some(expired.body);
}
