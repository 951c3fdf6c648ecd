//! Stripe's update as its documentation writes it (bracket-notation form parameters, a raw form
//! body, another API key), retrieving with `expand`, idempotent creation, and what the answer
//! holds about line items and totals.

use crate::client::{Body, Secret};
use crate::steps::args::{self, pairs};
use crate::steps::expect::array;
use crate::steps::ConformanceWorld;
use crate::vendor::stripe::form;
use cucumber::gherkin::Step;
use cucumber::{then, when};
use serde_json::{json, Value};

impl ConformanceWorld {
    /// The table's `| name | value |` rows as a form body, placeholders resolved.
    pub(crate) fn table_body(&self, step: &Step) -> String {
        let pairs: Vec<(String, String)> = pairs(step)
            .into_iter()
            .map(|(name, value)| (self.resolve(&name), self.resolve(&value)))
            .collect();
        form::encode_pairs(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())))
    }
}

#[when("I update the session with:")]
async fn update_table(world: &mut ConformanceWorld, step: &Step) {
    let body = world.table_body(step);
    world.update_with(Body::Form(body)).await;
}

#[when("I update the session with the form body:")]
async fn update_raw(world: &mut ConformanceWorld, step: &Step) {
    let body = world.resolve(form_docstring(step));
    world.update_with(Body::Form(body)).await;
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
    idempotent_create(world, 2).await;
}

/// The same create sent `times` times with one key: `first` is the first answer, `last` the
/// last one (a key's later replays must be replays too).
#[when(expr = "I create the same checkout session {int} times with one idempotency key")]
async fn idempotent_create_times(world: &mut ConformanceWorld, times: usize) {
    if times < 2 {
        crate::verdict::authoring("a request sent again needs at least 2 sends");
    }
    idempotent_create(world, times).await;
}

async fn idempotent_create(world: &mut ConformanceWorld, times: usize) {
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
    let mut answers = Vec::with_capacity(times);
    for _ in 0..times {
        answers.push(
            world
                .exchange(&client, "POST", "/v1/checkout/sessions", body())
                .await,
        );
    }
    for created in &answers {
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
    world.last = answers.pop();
    world.first = answers.into_iter().next();
}

/// Read back with `GET …/line_items`; a difference names the update that caused it first.
#[then("the session's line items are:")]
async fn line_items_are(world: &mut ConformanceWorld, step: &Step) {
    let table = world.expected_table(step);
    let path = world.items_path();
    world.last().await;
    let list = world.get(&path).await;
    if list.status != 200 {
        world.read_back_refused(
            "reading back the session's line items",
            &list,
            world.last().await,
        );
    }
    world.rows_match(
        &table,
        "the session's line items",
        array(&list.body["data"]),
        world.last().await,
        Some(&list),
    );
}

#[then("the response includes the line items:")]
async fn response_line_items(world: &mut ConformanceWorld, step: &Step) {
    let table = world.expected_table(step);
    let last = world.succeeded().await;
    let data = array(&last.body["line_items"]["data"]);
    world.rows_match(
        &table,
        "the response's expanded line items",
        data,
        last,
        None,
    );
}

#[then("the response does not include the line items")]
async fn response_no_line_items(world: &mut ConformanceWorld) {
    let last = world.succeeded().await;
    let actual = last.body.get("line_items").cloned().unwrap_or(Value::Null);
    world.mismatch("the response's line_items", &Value::Null, &actual, last);
}

#[then("the session's totals are:")]
async fn totals_are(world: &mut ConformanceWorld, step: &Step) {
    let table = world.expected_table(step);
    let last = world.succeeded().await;
    let session = std::slice::from_ref(&last.body);
    world.rows_match(&table, "the session's totals", session, last, None);
}

#[when("I update an unknown session with:")]
async fn update_unknown(world: &mut ConformanceWorld, step: &Step) {
    let body = world.table_body(step);
    world.sending_request_under_test().await;
    let path = world
        .provider
        .session_path(world.provider.vendor().unknown_session_id());
    let exchange = world.post_raw(&path, body).await;
    world.last = Some(exchange);
}

/// The step's doc string as a form body (checked with the form codec; placeholders are
/// resolved afterwards).
fn form_docstring(step: &Step) -> &str {
    let text = args::docstring(step);
    if let Err(e) = form::decode(text.as_bytes()) {
        crate::verdict::authoring(format!(
            "the doc string is not a form body (bracket notation): {e}"
        ));
    }
    text
}
