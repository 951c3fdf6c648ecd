//! The update under test, written as the documentation writes it.

use super::args::{self, pairs};
use super::ConformanceWorld;
use crate::client::{Body, Secret};
use crate::vendor::stripe::form;
use cucumber::gherkin::Step;
use cucumber::when;
use serde_json::{json, Value};

impl ConformanceWorld {
    /// The table's `| name | value |` rows as a form body, placeholders resolved.
    fn table_body(&self, step: &Step) -> String {
        let pairs: Vec<(String, String)> = pairs(step)
            .into_iter()
            .map(|(name, value)| (self.resolve(&name), self.resolve(&value)))
            .collect();
        form::encode_pairs(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())))
    }

    /// Sends an update of the session under test and remembers the answer; a successful update
    /// becomes the session's known state.
    pub(crate) async fn update_with(&mut self, body: Body) {
        let path = self.session_path();
        self.sending_request_under_test().await;
        let exchange = self.send(self.provider.update_method(), &path, body).await;
        if exchange.status == 200 {
            self.session = Some(exchange.body.clone());
        }
        self.last = Some(exchange);
    }
}

#[when("I update the session with:")]
async fn update_table(world: &mut ConformanceWorld, step: &Step) {
    let body = world.table_body(step);
    world.update_with(Body::Form(body)).await;
}

/// JSON parameters, sent in the provider's wire format (Stripe: form-encoded; Gr4vy: JSON).
#[when("I update the session with the parameters:")]
async fn update_json(world: &mut ConformanceWorld, step: &Step) {
    let params = world.docstring_json(step);
    let body = world.provider.update_body(&params);
    world.update_with(body).await;
}

#[when("I update the session with the form body:")]
async fn update_raw(world: &mut ConformanceWorld, step: &Step) {
    let body = world.resolve(args::form_docstring(step));
    world.update_with(Body::Form(body)).await;
}

#[when(expr = "I update the session with {int} shipping options")]
async fn update_n_shipping_options(world: &mut ConformanceWorld, count: usize) {
    let options: Vec<Value> = (1..=count)
        .map(|i| {
            json!({"shipping_rate_data": {
                "display_name": format!("Option {i}"),
                "type": "fixed_amount",
                "fixed_amount": {"amount": 100 * i, "currency": "usd"},
            }})
        })
        .collect();
    world
        .update_with(Body::Form(form::encode_json(
            &json!({"shipping_options": options}),
        )))
        .await;
}

#[when(expr = "I update the session with {int} metadata keys")]
async fn update_n_metadata_keys(world: &mut ConformanceWorld, count: usize) {
    let metadata: serde_json::Map<String, Value> = (1..=count)
        .map(|i| (format!("key_{i}"), json!(format!("value {i}"))))
        .collect();
    world
        .update_with(world.provider.update_body(&json!({"metadata": metadata})))
        .await;
}

#[when("I update an unknown session with:")]
async fn update_unknown(world: &mut ConformanceWorld, step: &Step) {
    let body = world.table_body(step);
    world.sending_request_under_test().await;
    let exchange = world
        .post_raw(
            "/v1/checkout/sessions/cs_test_does_not_exist_0000000000",
            body,
        )
        .await;
    world.last = Some(exchange);
}

#[when(regex = r#"^I update the session (without an API key|with the API key "([^"]*)") with:$"#)]
async fn update_with_key(world: &mut ConformanceWorld, how: String, key: String, step: &Step) {
    let body = world.table_body(step);
    let path = world.session_path();
    world.sending_request_under_test().await;
    let key = (!how.starts_with("without")).then(|| Secret::new(key));
    let client = world.client().with_api_key(key);
    let exchange = world
        .exchange(&client, "POST", &path, Body::Form(body))
        .await;
    world.last = Some(exchange);
}

#[when(regex = r"^I retrieve the session( expanding its line items)?$")]
async fn retrieve(world: &mut ConformanceWorld, expand: String) {
    let mut path = world.session_path();
    if !expand.is_empty() {
        path.push_str("?expand[]=line_items");
    }
    world.sending_request_under_test().await;
    let exchange = world.get(&path).await;
    world.last = Some(exchange);
}

#[when("I create the same checkout session twice with one idempotency key")]
async fn idempotent_create_twice(world: &mut ConformanceWorld) {
    world.ensure_price("default", 1000, "usd").await;
    world.sending_request_under_test().await;
    let params = json!({
        "mode": "payment",
        "ui_mode": "elements",
        "return_url": "https://example.com/return",
        "line_items": [{"price": world.resolve("{price default}"), "quantity": 1}],
    });
    let key = format!(
        "checkout-conformance-{}",
        (0..24)
            .map(|_| fastrand::alphanumeric())
            .collect::<String>()
    );
    let client = world.client().with_idempotency_key(&key);
    let body = || Body::Form(form::encode_json(&params));
    let first = world
        .exchange(&client, "POST", "/v1/checkout/sessions", body())
        .await;
    let second = world
        .exchange(&client, "POST", "/v1/checkout/sessions", body())
        .await;
    for created in [&first, &second] {
        if let Some(id) = created.body["id"]
            .as_str()
            .filter(|_| created.status == 200)
        {
            if !world.own_sessions.iter().any(|own| own == id) {
                world.context.note_created(world.provider, id);
                world.own_sessions.push(id.to_owned());
            }
        }
    }
    world.first = Some(first);
    world.last = Some(second);
}
