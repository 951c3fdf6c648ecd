//! Steps about the shipping rates behind a session's shipping options, and the Request-Id of an
//! answer made explicit.

use super::ConformanceWorld;
use cucumber::gherkin::Step;
use cucumber::then;
use serde_json::Value;

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
