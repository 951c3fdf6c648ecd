//! The update under test, written as the documentation writes it.

use super::ConformanceWorld;
use crate::client::Body;
use cucumber::gherkin::Step;
use cucumber::when;
use serde_json::{json, Value};

impl ConformanceWorld {
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

/// JSON parameters, sent in the provider's wire format (Stripe: form-encoded; Gr4vy: JSON).
#[when("I update the session with the parameters:")]
async fn update_json(world: &mut ConformanceWorld, step: &Step) {
    let params = world.docstring_json(step);
    let body = world.provider.update_body(&params);
    world.update_with(body).await;
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
