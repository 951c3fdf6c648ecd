//! The session under test: creating it (and checking, on the answer or a read-back, that the
//! target created it as asked; else the scenario is *setup failed*), setting it up, the update
//! under test in the vendor's wire format, and what the answer and a read-back must show.

use super::args::expected_cell;
use super::expect::at_path;
use super::{ConformanceWorld, Creation};
use crate::client::{Body, Exchange};
use cucumber::gherkin::Step;
use cucumber::{given, then, when};
use serde_json::{json, Value};

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
            super::expect::array(list)
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
        self.created_items = super::expect::array(held)
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

#[given("an open checkout session created with:")]
async fn session_created_with(world: &mut ConformanceWorld, step: &Step) {
    let params = world.docstring_json(step);
    world.create_session(params).await;
}

/// JSON parameters, sent in the provider's wire format (Stripe: form-encoded; Gr4vy: JSON).
#[when("I update the session with the parameters:")]
async fn update_json(world: &mut ConformanceWorld, step: &Step) {
    let params = world.docstring_json(step);
    let body = world.provider.update_body(&params);
    world.update_with(body).await;
}

#[then(regex = r"^the (?:update|request) succeeds$")]
async fn succeeds(world: &mut ConformanceWorld) {
    world.succeeded().await;
}

#[then(expr = "the session's {word} is {string}")]
async fn field_is(world: &mut ConformanceWorld, field: String, value: String) {
    let value = world.resolve(&value);
    let last = world.succeeded().await;
    let actual = at_path(&last.body, &field);
    let expected = json!({ &field: expected_cell(&value, &actual) });
    let actual = json!({ &field: actual });
    world.mismatch(&format!("the session's {field}"), &expected, &actual, last);
}

#[then("the session is unchanged")]
async fn unchanged(world: &mut ConformanceWorld) {
    let path = world.session_path();
    let last = world.last().await;
    if (200..300).contains(&last.status) {
        crate::verdict::deviation(format!(
            "the update was expected to be rejected, and the target answered {}\nrequest:\n{}",
            last.status,
            last.describe()
        ));
    }
    let before = world.session.clone().unwrap_or_default();
    let now = world.get(&path).await;
    world.mismatch_seen(
        "the session after a rejected update",
        &before,
        &now.body,
        world.last().await,
        Some(&now),
    );
}

#[then("the change persists")]
async fn persists(world: &mut ConformanceWorld) {
    // Expanded fields are part of the update's answer, not of the stored session.
    let expanded = world.provider.vendor().expandable_fields();
    let without_expanded = |body: &Value| {
        let mut body = body.clone();
        if let Some(map) = body.as_object_mut() {
            map.retain(|key, _| !expanded.contains(&key.as_str()));
        }
        body
    };
    let path = world.session_path();
    let updated = without_expanded(&world.succeeded().await.body);
    let now = world.get(&path).await;
    world.mismatch_seen(
        "the session retrieved after the update",
        &updated,
        &without_expanded(&now.body),
        world.last().await,
        Some(&now),
    );
}

#[then("both answers are the same session")]
async fn same_session(world: &mut ConformanceWorld) {
    first_and_last_are_the_same_session(world).await;
}

/// After a request sent several times with one key: the last answer is the first one's session.
#[then("the last answer is the same session as the first")]
async fn last_is_first_session(world: &mut ConformanceWorld) {
    first_and_last_are_the_same_session(world).await;
}

async fn first_and_last_are_the_same_session(world: &mut ConformanceWorld) {
    let second = world.last().await;
    let Some(first) = world.first.as_ref() else {
        crate::verdict::authoring("this step needs a When step that sends a request twice");
    };
    let created = first.body["id"].clone();
    let expected = json!({"first": {"status": 200}, "replay": {"status": 200, "id": created}});
    let actual = json!({
        "first": {"status": first.status},
        "replay": {"status": second.status, "id": second.body["id"]},
    });
    if let Some(diff) = crate::diff::unified_with(&expected, &actual, &[]) {
        crate::verdict::deviation(format!(
            "the replayed request was not answered with the first result\n{diff}request:\n{}\n{}",
            first.describe(),
            second.describe()
        ));
    }
}
