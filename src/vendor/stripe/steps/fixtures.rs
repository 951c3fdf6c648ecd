//! Stripe's fixtures, created through its public API: prices, shipping rates, sessions in each
//! `ui_mode`, shipping options set up, an expired session. Each checks, on the answer, that
//! what it set up holds (else the scenario is setup failed).

use super::{PRICE, SHIPPING_RATE};
use crate::steps::args::records;
use crate::steps::ConformanceWorld;
use crate::verdict;
use cucumber::gherkin::Step;
use cucumber::given;
use serde_json::{json, Value};

/// The id a dry run gives a fixture it declares.
fn dry_id(kind: &str, name: &str) -> String {
    format!("{kind}_dry_run_{name}")
}

impl ConformanceWorld {
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
        if self.fixture_id(PRICE, name).is_some() {
            return;
        }
        if self.dry_run {
            self.set_fixture(PRICE, name, dry_id("price", name));
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
        self.set_fixture(PRICE, name, id.to_owned());
    }
}

#[given(expr = "a price {string} of {int} {word}")]
async fn price(world: &mut ConformanceWorld, name: String, amount: i64, currency: String) {
    world.ensure_price(&name, amount, &currency).await;
}

#[given(expr = "a shipping rate {string} of {int} {word}")]
async fn shipping_rate(world: &mut ConformanceWorld, name: String, amount: i64, currency: String) {
    if world.dry_run {
        world.set_fixture(SHIPPING_RATE, &name, dry_id("shr", &name));
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
    world.set_fixture(SHIPPING_RATE, &name, id.to_owned());
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
    let held: Vec<Value> = crate::steps::expect::array(&exchange.body["shipping_options"])
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
