//! Gr4vy's sentences: cart items, the airline addendum, bearer tokens and the fields its
//! validation errors point at. Shared sentences (metadata, unchanged, does not exist, …) live in
//! the other step files and work for both providers.

use super::{jwt, wire};
use crate::client::{Body, Secret};
use crate::steps::args::{cell_json, records};
use crate::steps::ConformanceWorld;
use crate::verdict;
use crate::wire::datetime;
use cucumber::gherkin::Step;
use cucumber::{given, then, when};
use serde_json::{json, Map, Value};

/// A table with a header row as objects whose values are [`cell_json`]; dotted column names
/// nest (`legs.0.flight_number` is not supported: columns name one object's fields).
fn json_records(world: &ConformanceWorld, step: &Step) -> Vec<Value> {
    records(step, &[])
        .into_iter()
        .map(|row| {
            let object: Map<String, Value> = row
                .into_iter()
                .filter(|(_, v)| v.as_str() != Some(""))
                .map(|(k, v)| (k, cell_json(&world.resolve(v.as_str().unwrap_or_default()))))
                .collect();
            Value::Object(object)
        })
        .collect()
}

/// An airline leg with every field the addendum's rules check, valid.
fn leg(i: usize) -> Value {
    json!({
        "carrier_code": "LY",
        "flight_number": format!("BA{i:02}"),
        "departure_at": "2026-07-16T19:23:00.000+00:00",
        "departure_airport": "LHR",
        "arrival_at": "2026-07-16T23:23:00.000+00:00",
        "arrival_airport": "JFK",
        "fare_amount": 100,
    })
}

/// An airline passenger, valid.
fn passenger(i: usize) -> Value {
    json!({"first_name": format!("Passenger{i}"), "last_name": "Lunn", "age_group": "adult"})
}

impl ConformanceWorld {
    /// Sends an update to the session `id` (another than the one under test) and remembers the
    /// answer.
    async fn update_other(&mut self, id: &str, params: &Value) {
        let (method, body) = (
            self.provider.update_method(),
            self.provider.update_body(params),
        );
        self.sending_request_under_test().await;
        let exchange = self
            .send(method, &self.provider.session_path(id), body)
            .await;
        self.last = Some(exchange);
    }

    /// A token for the authentication scenarios, minted with the run's key: `expired`, or with
    /// only `scopes`.
    fn minted(&self, scopes: &[&str], expired: bool) -> Secret {
        let signing = self
            .target()
            .state
            .as_ref()
            .and_then(|state| state.downcast_ref::<super::Signing>());
        let Some(signing) = signing else {
            verdict::not_applicable("this scenario mints tokens of its own (expired, without a scope), which needs the merchant's private key: set GR4VY_PRIVATE_KEY (and GR4VY_KEY_ID); GR4VY_TOKEN alone cannot make them");
        };
        signing.mint(scopes, expired).unwrap_or_else(|e| {
            verdict::StepFailure::new(
                verdict::FailureKind::Internal,
                format!("cannot mint a test token: {e}"),
            )
            .raise()
        })
    }
}

#[given("a checkout session with cart items:")]
async fn session_with_cart_items(world: &mut ConformanceWorld, step: &Step) {
    let items = json_records(world, step);
    world.create_session(json!({"cart_items": items})).await;
}

#[given("a checkout session")]
async fn session(world: &mut ConformanceWorld) {
    let item = json!({"name": "GoPro HERO9 Camcorder", "quantity": 1, "unit_amount": 37999});
    world.create_session(json!({"cart_items": [item]})).await;
}

#[when("I update the session with the cart items:")]
async fn update_cart_items(world: &mut ConformanceWorld, step: &Step) {
    let items = json_records(world, step);
    let body = world.provider.update_body(&json!({"cart_items": items}));
    world.update_with(body).await;
}

#[when(regex = r"^I update the session with (\d+) airline (legs|passengers)$")]
async fn update_airline(world: &mut ConformanceWorld, count: usize, what: String) {
    let entries: Vec<Value> = (1..=count)
        .map(if what == "legs" { leg } else { passenger })
        .collect();
    let body = world
        .provider
        .update_body(&json!({"airline": { what: entries }}));
    world.update_with(body).await;
}

#[when("I update a session that does not exist with the parameters:")]
async fn update_missing(world: &mut ConformanceWorld, step: &Step) {
    let params = world.docstring_json(step);
    let id = world.provider.vendor().unknown_session_id();
    world.update_other(id, &params).await;
}

#[when(expr = "I update a session whose id is {string} with the parameters:")]
async fn update_other_id(world: &mut ConformanceWorld, id: String, step: &Step) {
    let params = world.docstring_json(step);
    world.update_other(&id, &params).await;
}

#[when(
    regex = r"^I update the session (without a token|with a malformed token|with an expired token|with a token without the write scope) with the parameters:$"
)]
async fn update_with_token(world: &mut ConformanceWorld, how: String, step: &Step) {
    let params = world.docstring_json(step);
    let path = world.session_path();
    world.sending_request_under_test().await;
    let token = match how.as_str() {
        "without a token" => None,
        "with a malformed token" => Some(Secret::new(jwt::MALFORMED_TOKEN)),
        "with an expired token" => Some(world.minted(&[jwt::READ_SCOPE, jwt::WRITE_SCOPE], true)),
        _ => Some(world.minted(&[jwt::READ_SCOPE], false)),
    };
    let client = world.client().with_api_key(token);
    let method = world.provider.update_method();
    let exchange = world
        .exchange(&client, method, &path, world.provider.update_body(&params))
        .await;
    world.last = Some(exchange);
}

#[when("I delete the session")]
async fn delete(world: &mut ConformanceWorld) {
    let path = world.session_path();
    world.sending_request_under_test().await;
    let exchange = world.send("DELETE", &path, Body::Empty).await;
    world.last = Some(exchange);
}

#[then("the session's cart items are:")]
async fn cart_items_are(world: &mut ConformanceWorld, step: &Step) {
    let table = world.expected_table(step);
    let last = world.succeeded().await;
    let items = crate::steps::expect::array(&last.body["cart_items"]);
    world.rows_match(&table, "the session's cart items", items, last, None);
}

#[then("the session has no cart items")]
async fn no_cart_items(world: &mut ConformanceWorld) {
    let last = world.succeeded().await;
    let count = last.body["cart_items"].as_array().map_or(0, Vec::len);
    world.mismatch("the number of cart items", &json!(0), &json!(count), last);
}

#[then(regex = r"^the session's airline has (\d+) (legs|passengers)$")]
async fn airline_count(world: &mut ConformanceWorld, count: usize, what: String) {
    let last = world.succeeded().await;
    let actual = last.body["airline"][&what].as_array().map_or(0, Vec::len);
    world.mismatch(
        &format!("the number of airline {what}"),
        &json!(count),
        &json!(actual),
        last,
    );
}

/// The spec lists two statuses for a request that fails validation: 400 (`Error400`, with
/// `details[].pointer`) and 422 (`HTTPValidationError`, with `detail[].loc`). Either is accepted;
/// the field must be named.
#[then(regex = r#"^the update is rejected as invalid at "([^"]*)"$"#)]
async fn rejected_invalid_at(world: &mut ConformanceWorld, pointer: String) {
    let last = world.last().await;
    let named = wire::named_fields(last.status, &last.body);
    let validation = matches!(last.status, 400 | 422);
    let expected =
        json!({"status": "400 or 422 (the spec lists both)", "names the field": pointer});
    let actual = json!({
        "status": if validation { json!("400 or 422 (the spec lists both)") } else { json!(last.status) },
        "names the field": if named.contains(&pointer) { json!(pointer) } else { json!(named) },
    });
    world.mismatch("the validation error", &expected, &actual, last);
}

#[then(regex = r"^the (?:update|request) is rejected as forbidden$")]
async fn rejected_forbidden(world: &mut ConformanceWorld) {
    let (status, fields) = super::FORBIDDEN;
    world.rejected(status, fields).await;
}

#[then("retrieving the session answers that it does not exist")]
async fn retrieve_missing(world: &mut ConformanceWorld) {
    let path = world.session_path();
    world.last().await;
    let exchange = world.get(&path).await;
    let actual = json!({"status": exchange.status, "code": exchange.body["code"]});
    world.mismatch(
        "retrieving a deleted session",
        &json!({"status": 404, "code": "not_found"}),
        &actual,
        &exchange,
    );
}

/// Compares the created session's `expires_at` with the time of its creation, as this machine's
/// clock saw it (a minute of leeway for clock skew and the round trip).
#[then(regex = r"^the session expires (\d+) hours? after it was created$")]
async fn expires_after(world: &mut ConformanceWorld, hours: i64) {
    world.session_id();
    world.dry_stop().await;
    let Some(creation) = world.created.as_ref() else {
        verdict::setup_failed("the session under test was not created by this scenario");
    };
    let created = creation.at;
    let expires_at = creation.expires_at.clone().unwrap_or_default();
    // Not keyed `expires_at`: that key is masked as volatile in diffs.
    let expected = json!({"expiry": format!("about {hours} hour(s) after creation")});
    let actual = match datetime::parse(&expires_at) {
        Some(at) if (at - created - hours * 3600).abs() <= 60 => expected.clone(),
        Some(at) => {
            json!({"expiry": format!("expires_at {expires_at}: {} s after creation", at - created)})
        }
        None => json!({"expiry": format!("expires_at {expires_at}: not an RFC 3339 date-time")}),
    };
    world.mismatch(
        "the session's expiry",
        &expected,
        &actual,
        &creation.exchange,
    );
}
