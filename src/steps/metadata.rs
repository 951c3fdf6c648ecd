//! Metadata: setting it up, updating with many keys, and what the session holds.

use super::args;
use super::ConformanceWorld;
use cucumber::gherkin::Step;
use cucumber::{given, then, when};
use serde_json::{json, Map, Value};

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

#[when(expr = "I update the session with {int} metadata keys")]
async fn update_n_metadata_keys(world: &mut ConformanceWorld, count: usize) {
    let metadata: serde_json::Map<String, Value> = (1..=count)
        .map(|i| (format!("key_{i}"), json!(format!("value {i}"))))
        .collect();
    world
        .update_with(world.provider.update_body(&json!({"metadata": metadata})))
        .await;
}

#[then("the session's metadata is:")]
async fn metadata_is(world: &mut ConformanceWorld, step: &Step) {
    let expected: Map<String, Value> = args::pairs(step)
        .into_iter()
        .map(|(key, value)| (key, Value::String(world.resolve(&value))))
        .collect();
    let last = world.succeeded().await;
    world.mismatch(
        "the session's metadata",
        &Value::Object(expected),
        &last.body["metadata"],
        last,
    );
}

#[then("the session has no metadata")]
async fn no_metadata(world: &mut ConformanceWorld) {
    let last = world.succeeded().await;
    world.mismatch(
        "the session's metadata",
        &json!({}),
        &last.body["metadata"],
        last,
    );
}

#[then(expr = "the session has {int} metadata keys")]
async fn metadata_count(world: &mut ConformanceWorld, count: usize) {
    let last = world.succeeded().await;
    let actual = last.body["metadata"].as_object().map_or(0, Map::len);
    world.mismatch(
        "the number of metadata keys",
        &json!(count),
        &json!(actual),
        last,
    );
}
