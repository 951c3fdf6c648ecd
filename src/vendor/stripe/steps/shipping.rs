//! Steps about a session's shipping options: updating with many, what the session holds, the
//! shipping rates behind them, the shipping details collected.

use crate::client::Body;
use crate::steps::args::{self, expected_cell};
use crate::steps::expect::{array, at_path};
use crate::steps::ConformanceWorld;
use crate::vendor::stripe::form;
use cucumber::gherkin::Step;
use cucumber::{then, when};
use serde_json::{json, Map, Value};

/// The id of a shipping option's rate, whether it is an id or an expanded object.
fn rate_id(option: &Value) -> Option<&str> {
    let rate = &option["shipping_rate"];
    rate.as_str().or_else(|| rate["id"].as_str())
}

/// The shipping rates behind the session's shipping options, in order, retrieved one by one
/// (`GET /v1/shipping_rates/{id}`), projected onto the table's columns (dotted paths, e.g.
/// `delivery_estimate.minimum.unit`).
#[then("the session's shipping rates are:")]
async fn shipping_rates_are(world: &mut ConformanceWorld, step: &Step) {
    let table = world.expected_table(step);
    let last = world.succeeded().await;
    let ids: Vec<String> = last.body["shipping_options"]
        .as_array()
        .map(|options| {
            options
                .iter()
                .filter_map(|o| rate_id(o).map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let mut rates = Vec::with_capacity(ids.len());
    for id in ids {
        let rate = world.get(&format!("/v1/shipping_rates/{id}")).await;
        if rate.status != 200 {
            world.read_back_refused(
                &format!("retrieving shipping rate `{id}`, which the session names,"),
                &rate,
                world.last().await,
            );
        }
        rates.push(rate.body);
    }
    world.rows_match(
        &table,
        "the session's shipping rates",
        &rates,
        world.last().await,
        None,
    );
}

/// Every answer is already checked for a Request-Id as it arrives; this says it in the feature.
#[then("the response carries a Request-Id")]
async fn carries_request_id(world: &mut ConformanceWorld) {
    let last = world.last().await;
    if last.request_id.as_deref().is_none_or(str::is_empty) {
        crate::verdict::deviation(format!(
            "the response carries no Request-Id header (every Stripe response does)\nrequest:\n{}",
            last.describe()
        ));
    }
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

#[then("the session's shipping options are:")]
async fn shipping_options_are(world: &mut ConformanceWorld, step: &Step) {
    let table = world.expected_table(step);
    let last = world.succeeded().await;
    let options = array(&last.body["shipping_options"]);
    world.rows_match(
        &table,
        "the session's shipping options",
        options,
        last,
        None,
    );
}

#[then(expr = "the session has {int} shipping option(s)")]
async fn shipping_option_count(world: &mut ConformanceWorld, count: usize) {
    let last = world.succeeded().await;
    let actual = last.body["shipping_options"].as_array().map_or(0, Vec::len);
    world.mismatch(
        "the number of shipping options",
        &json!(count),
        &json!(actual),
        last,
    );
}

#[then("the session's shipping details are:")]
async fn shipping_details_are(world: &mut ConformanceWorld, step: &Step) {
    let rows: Vec<(String, String)> = args::pairs(step)
        .into_iter()
        .map(|(path, value)| {
            let value = world.resolve(&value);
            (path, value)
        })
        .collect();
    let last = world.succeeded().await;
    let details = &last.body["collected_information"]["shipping_details"];
    let (expected, actual): (Map<String, Value>, Map<String, Value>) = rows
        .into_iter()
        .map(|(path, text)| {
            let actual = at_path(details, &path);
            (
                (path.clone(), expected_cell(&text, &actual)),
                (path, actual),
            )
        })
        .unzip();
    world.mismatch(
        "the session's shipping details",
        &Value::Object(expected),
        &Value::Object(actual),
        last,
    );
}
