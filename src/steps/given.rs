//! Fixtures, created through the target's public API. Every Given step checks, on the answer or
//! a read-back, that the state it sets up holds; when it does not, the scenario is *setup
//! failed* (the clause under test is not verified), never a contract failure.

use super::args;
use super::{ConformanceWorld, Creation};
use crate::client::Exchange;
use cucumber::gherkin::Step;
use cucumber::given;
use serde_json::{json, Map, Value};

impl ConformanceWorld {
    /// Creates a checkout session and makes it the session under test; checks that the target
    /// created it with the line items (Stripe) or cart items (Gr4vy) it was given.
    pub(crate) async fn create_session(&mut self, params: Value) {
        if self.dry_run {
            let id = self.provider.vendor().dry_run_session_id();
            let param = self.provider.vendor().session_items().param;
            let items = params[param].as_array().map_or(0, Vec::len);
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
        let items = self.provider.vendor().session_items();
        let quantities = |list: &Value| -> Value {
            super::then::array(list)
                .iter()
                .map(|item| json!({ "quantity": item["quantity"] }))
                .collect()
        };
        let given = quantities(&params[items.param]);
        self.session = Some(session);
        // The items as the target holds them: in the answer, or read back from their list.
        let read_back = match items.list_suffix {
            Some(_) => Some(
                self.fixture_items("reading back the created session's items")
                    .await,
            ),
            None => None,
        };
        let (held, exchange) = match &read_back {
            Some(list) => (&list.body["data"], list),
            None => (
                self.session
                    .as_ref()
                    .map_or(&Value::Null, |session| &session[items.param]),
                &creation.exchange,
            ),
        };
        self.setup_not_held(
            &format!("the created session's {}", items.param),
            &given,
            &quantities(held),
            exchange,
        );
        self.created_items = super::then::array(held)
            .iter()
            .filter_map(|item| item["id"].as_str().map(str::to_owned))
            .collect();
        self.created = Some(creation);
    }

    /// Reads back the items of the session under test for a Given step (a fixture
    /// request); a refusal is a setup failure named `what`.
    pub(crate) async fn fixture_items(&self, what: &str) -> Exchange {
        let list = self
            .fixture("GET", &self.items_path(), crate::client::Body::Empty)
            .await;
        if list.status != 200 {
            self.setup_refused(what, &list);
        }
        list
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
