//! Fixtures, created through the target's public API.

use super::{docstring, records, rows, ConformanceWorld, Creation};
use crate::provider::Provider;
use cucumber::gherkin::Step;
use cucumber::given;
use serde_json::{json, Value};

impl ConformanceWorld {
    /// Creates a checkout session and makes it the session under test.
    pub(super) async fn create_session(&mut self, params: Value) {
        let body = self.provider.update_body(&params);
        let before = crate::wire::datetime::now();
        let mut created = self.send("POST", self.provider.sessions_path(), body).await;
        if let Some(id) = created.body["id"]
            .as_str()
            .filter(|_| (200..300).contains(&created.status))
        {
            self.context.note_created(self.provider, id);
            self.own_sessions.push(id.to_owned());
        }
        assert!(
            (200..300).contains(&created.status),
            "creating the fixture session failed:\n{}\n{}",
            created.body,
            created.describe()
        );
        // The body becomes the session under test; the exchange is kept (for its request and
        // Request-Id) with the one field checked against the time of creation.
        let session = std::mem::take(&mut created.body);
        self.created = Some(Creation {
            at: before,
            expires_at: session["expires_at"].as_str().map(str::to_owned),
            exchange: created,
        });
        if self.provider != Provider::Stripe {
            self.session = Some(session);
            return;
        }
        let id = session["id"].as_str().unwrap_or_default().to_owned();
        let items = self
            .get(&format!("/v1/checkout/sessions/{id}/line_items?limit=100"))
            .await;
        self.created_items = items.body["data"]
            .as_array()
            .map(|data| {
                data.iter()
                    .filter_map(|li| li["id"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        self.session = Some(session);
    }

    /// A session with `ui_mode` and the given line items (`[{price, quantity}]`).
    async fn open_session(&mut self, ui: &str, line_items: Value) {
        let ui_mode = match ui {
            "custom UI" => "elements",
            "embedded" => "embedded_page",
            "hosted" => "hosted_page",
            other => panic!("unknown UI mode `{other}`: custom UI, embedded or hosted"),
        };
        let mut params = json!({"mode": "payment", "ui_mode": ui_mode, "line_items": line_items});
        if ui_mode == "hosted_page" {
            params["success_url"] = json!("https://example.com/success");
        } else {
            params["return_url"] = json!("https://example.com/return");
        }
        self.create_session(params).await;
    }

    pub(super) async fn ensure_price(&mut self, name: &str, amount: i64, currency: &str) {
        if self.prices.contains_key(name) {
            return;
        }
        let params =
            json!({"currency": currency, "unit_amount": amount, "product_data": {"name": name}});
        let price = self.post("/v1/prices", &params).await;
        assert_eq!(
            price.status,
            200,
            "creating price `{name}` failed:\n{}\n{}",
            price.body,
            price.describe()
        );
        self.prices.insert(
            name.to_owned(),
            price.body["id"].as_str().unwrap_or_default().to_owned(),
        );
    }

    /// Applies a set-up update that must succeed (it is not the behaviour under test).
    pub(super) async fn set_up(&mut self, params: Value) {
        let body = self.provider.update_body(&params);
        let updated = self
            .send(self.provider.update_method(), &self.session_path(), body)
            .await;
        assert_eq!(
            updated.status,
            200,
            "setting up the session failed:\n{}\n{}",
            updated.body,
            updated.describe()
        );
        self.session = Some(updated.body);
    }
}

#[given(expr = "a price {string} of {int} {word}")]
async fn price(world: &mut ConformanceWorld, name: String, amount: i64, currency: String) {
    world.ensure_price(&name, amount, &currency).await;
}

#[given(expr = "a shipping rate {string} of {int} {word}")]
async fn shipping_rate(world: &mut ConformanceWorld, name: String, amount: i64, currency: String) {
    let params = json!({
        "display_name": name,
        "type": "fixed_amount",
        "fixed_amount": {"amount": amount, "currency": currency},
    });
    let rate = world.post("/v1/shipping_rates", &params).await;
    assert_eq!(
        rate.status,
        200,
        "creating shipping rate `{name}` failed:\n{}\n{}",
        rate.body,
        rate.describe()
    );
    world.shipping_rates.insert(
        name,
        rate.body["id"].as_str().unwrap_or_default().to_owned(),
    );
}

#[given(regex = r"^an open (custom UI|embedded|hosted) checkout session with line items:$")]
async fn session_with_items(world: &mut ConformanceWorld, ui: String, step: &Step) {
    let line_items: Vec<Value> = records(step)
        .into_iter()
        .map(|row| {
            let price = row
                .get("price")
                .and_then(Value::as_str)
                .expect("a `price` column");
            let quantity: i64 = row
                .get("quantity")
                .and_then(Value::as_str)
                .and_then(|q| q.parse().ok())
                .expect("a numeric `quantity` column");
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
    let params: Value = serde_json::from_str(docstring(step)).expect("the doc string is JSON");
    let params = world.resolve_json(&params);
    world.create_session(params).await;
}

#[given("the session has metadata:")]
async fn session_metadata(world: &mut ConformanceWorld, step: &Step) {
    let metadata: serde_json::Map<String, Value> = rows(step)
        .into_iter()
        .map(|row| (row[0].clone(), Value::String(world.resolve(&row[1]))))
        .collect();
    world.set_up(json!({"metadata": metadata})).await;
}

#[given(regex = r#"^the session has the shipping options? ((?:"[^"]+"(?:, )?)+)$"#)]
async fn session_shipping_options(world: &mut ConformanceWorld, names: String) {
    let options: Vec<Value> = names
        .split(", ")
        .map(|name| json!({"shipping_rate": world.resolve(&format!("{{shipping rate {}}}", name.trim_matches('"')))}))
        .collect();
    world.set_up(json!({"shipping_options": options})).await;
}

#[given("the session has expired")]
async fn session_expired(world: &mut ConformanceWorld) {
    let path = format!("/v1/checkout/sessions/{}/expire", world.session_id());
    let expired = world.post(&path, &json!({})).await;
    assert_eq!(
        expired.status,
        200,
        "expiring the session failed:\n{}\n{}",
        expired.body,
        expired.describe()
    );
    world.session = Some(expired.body);
}
