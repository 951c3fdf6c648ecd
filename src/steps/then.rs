//! What the documentation promises about the answer.

use super::{records, rows, ConformanceWorld};
use crate::client::Exchange;
use crate::provider::Provider;
use cucumber::gherkin::Step;
use cucumber::then;
use serde_json::{json, Map, Value};

/// The value at a dotted path (`price.recurring.interval`, `categories.1`) as the string a
/// table cell holds:
/// strings as they are, `null` as `null`, numbers and booleans as written.
fn cell(value: &Value, path: &str) -> Value {
    let found = path.split('.').try_fold(value, |v, key| match v {
        Value::Array(items) => key.parse::<usize>().ok().and_then(|i| items.get(i)),
        _ => v.get(key),
    });
    Value::String(match found {
        None | Some(Value::Null) => "null".to_owned(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    })
}

/// The items of a JSON array; none when `value` is not one.
pub(super) fn array(value: &Value) -> &[Value] {
    value.as_array().map_or(&[], Vec::as_slice)
}

/// Projects `actual` objects onto the columns of `expected` rows.
fn project(actual: &[Value], columns: &[String]) -> Vec<Value> {
    actual
        .iter()
        .map(|item| Value::Object(columns.iter().map(|c| (c.clone(), cell(item, c))).collect()))
        .collect()
}

impl ConformanceWorld {
    /// Expected rows with placeholders resolved; a `price` column names a price fixture.
    pub(super) fn expected_rows(&self, step: &Step) -> (Vec<String>, Vec<Value>) {
        let records = records(step);
        let columns: Vec<String> = rows(step).first().cloned().unwrap_or_default();
        let expected = records
            .into_iter()
            .map(|row| {
                let row: Map<String, Value> = row
                    .into_iter()
                    .map(|(column, v)| {
                        let text = v.as_str().unwrap_or_default();
                        let text = if column == "price.id" {
                            format!("{{price {text}}}")
                        } else {
                            text.to_owned()
                        };
                        (column, Value::String(self.resolve(&text)))
                    })
                    .collect();
                Value::Object(row)
            })
            .collect();
        (columns, expected)
    }

    /// Compares `items` with the step's table, one row per item, each item projected onto the
    /// table's columns; a difference fails the step with a diff naming `what` and `exchange`.
    pub(super) fn rows_match(&self, step: &Step, what: &str, items: &[Value], exchange: &Exchange) {
        let (columns, expected) = self.expected_rows(step);
        self.mismatch(
            what,
            &Value::Array(expected),
            &Value::Array(project(items, &columns)),
            exchange,
        );
    }

    /// The last answer must be a 200; returns it.
    pub(super) fn succeeded(&self) -> &Exchange {
        let last = self.last();
        assert_eq!(
            last.status,
            200,
            "the request was expected to succeed\n{}\nrequest:\n{}",
            serde_json::to_string_pretty(&last.body).unwrap_or_default(),
            last.describe()
        );
        last
    }

    /// Compares the expected error fields with the last answer's.
    pub(super) fn rejected(&self, status: u16, fields: &[(&str, &str)]) {
        let last = self.last();
        let mut expected = Map::new();
        let mut actual = Map::new();
        expected.insert("status".into(), json!(status));
        actual.insert("status".into(), json!(last.status));
        for (field, value) in fields {
            expected.insert((*field).into(), json!(value));
            actual.insert((*field).into(), self.error_field(&last.body, field));
        }
        self.mismatch(
            "the error",
            &Value::Object(expected),
            &Value::Object(actual),
            last,
        );
    }
}

#[then(regex = r"^the (?:update|request) succeeds$")]
async fn succeeds(world: &mut ConformanceWorld) {
    world.succeeded();
}

#[then(regex = r#"^the (?:update|request) is rejected with an? (\w+) on "([^"]*)"$"#)]
async fn rejected_on(world: &mut ConformanceWorld, kind: String, param: String) {
    let param = world.resolve(&param);
    world.rejected(400, &[("type", &kind), ("param", &param)]);
}

#[then(regex = r"^the (?:update|request) is rejected with an? (\w+)$")]
async fn rejected_with(world: &mut ConformanceWorld, kind: String) {
    world.rejected(400, &[("type", &kind)]);
}

#[then(regex = r#"^the (?:update|request) is rejected because parameter "([^"]*)" is unknown$"#)]
async fn rejected_unknown(world: &mut ConformanceWorld, param: String) {
    let param = world.resolve(&param);
    world.rejected(
        400,
        &[
            ("type", "invalid_request_error"),
            ("code", "parameter_unknown"),
            ("param", &param),
        ],
    );
}

#[then(regex = r"^the (?:update|request) is rejected as unauthenticated$")]
async fn rejected_unauthenticated(world: &mut ConformanceWorld) {
    match world.provider {
        Provider::Stripe => world.rejected(401, &[("type", "invalid_request_error")]),
        Provider::Gr4vy => world.rejected(401, &[("type", "error"), ("code", "unauthorized")]),
    }
}

#[then(regex = r"^the (?:update|request) is rejected because the session does not exist$")]
async fn rejected_missing(world: &mut ConformanceWorld) {
    match world.provider {
        Provider::Stripe => world.rejected(
            404,
            &[
                ("type", "invalid_request_error"),
                ("code", "resource_missing"),
            ],
        ),
        Provider::Gr4vy => world.rejected(404, &[("type", "error"), ("code", "not_found")]),
    }
}

#[then("the session's metadata is:")]
async fn metadata_is(world: &mut ConformanceWorld, step: &Step) {
    let expected: Map<String, Value> = rows(step)
        .into_iter()
        .map(|row| (row[0].clone(), Value::String(world.resolve(&row[1]))))
        .collect();
    let last = world.succeeded();
    world.mismatch(
        "the session's metadata",
        &Value::Object(expected),
        &last.body["metadata"],
        last,
    );
}

#[then("the session has no metadata")]
async fn no_metadata(world: &mut ConformanceWorld) {
    let last = world.succeeded();
    world.mismatch(
        "the session's metadata",
        &json!({}),
        &last.body["metadata"],
        last,
    );
}

#[then(expr = "the session has {int} metadata keys")]
async fn metadata_count(world: &mut ConformanceWorld, count: usize) {
    let last = world.succeeded();
    let actual = last.body["metadata"].as_object().map_or(0, Map::len);
    world.mismatch(
        "the number of metadata keys",
        &json!(count),
        &json!(actual),
        last,
    );
}

#[then("the session's line items are:")]
async fn line_items_are(world: &mut ConformanceWorld, step: &Step) {
    let path = format!(
        "/v1/checkout/sessions/{}/line_items?limit=100",
        world.session_id()
    );
    let list = world.get(&path).await;
    world.rows_match(
        step,
        "the session's line items",
        array(&list.body["data"]),
        &list,
    );
}

#[then("the response includes the line items:")]
async fn response_line_items(world: &mut ConformanceWorld, step: &Step) {
    let last = world.succeeded();
    let data = array(&last.body["line_items"]["data"]);
    world.rows_match(step, "the response's expanded line items", data, last);
}

#[then("the response does not include the line items")]
async fn response_no_line_items(world: &mut ConformanceWorld) {
    let last = world.succeeded();
    let actual = last.body.get("line_items").cloned().unwrap_or(Value::Null);
    world.mismatch("the response's line_items", &Value::Null, &actual, last);
}

#[then("the session's totals are:")]
async fn totals_are(world: &mut ConformanceWorld, step: &Step) {
    let last = world.succeeded();
    let session = std::slice::from_ref(&last.body);
    world.rows_match(step, "the session's totals", session, last);
}

#[then("the session's shipping options are:")]
async fn shipping_options_are(world: &mut ConformanceWorld, step: &Step) {
    let last = world.succeeded();
    let options = array(&last.body["shipping_options"]);
    world.rows_match(step, "the session's shipping options", options, last);
}

#[then(expr = "the session has {int} shipping option(s)")]
async fn shipping_option_count(world: &mut ConformanceWorld, count: usize) {
    let last = world.succeeded();
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
    let last = world.succeeded();
    let details = &last.body["collected_information"]["shipping_details"];
    let (expected, actual): (Map<String, Value>, Map<String, Value>) = rows(step)
        .into_iter()
        .map(|row| {
            let expected = (row[0].clone(), Value::String(world.resolve(&row[1])));
            let actual = (row[0].clone(), cell(details, &row[0]));
            (expected, actual)
        })
        .unzip();
    world.mismatch(
        "the session's shipping details",
        &Value::Object(expected),
        &Value::Object(actual),
        last,
    );
}

#[then(expr = "the session's {word} is {string}")]
async fn field_is(world: &mut ConformanceWorld, field: String, value: String) {
    let last = world.succeeded();
    let expected = json!({ &field: world.resolve(&value) });
    let actual = json!({ &field: cell(&last.body, &field) });
    world.mismatch(&format!("the session's {field}"), &expected, &actual, last);
}

#[then("the session is unchanged")]
async fn unchanged(world: &mut ConformanceWorld) {
    let before = world
        .session
        .clone()
        .expect("a Given step creates the session first");
    let path = world.session_path();
    let now = world.get(&path).await;
    world.mismatch(
        "the session after a rejected update",
        &before,
        &now.body,
        &now,
    );
}

#[then("the change persists")]
async fn persists(world: &mut ConformanceWorld) {
    // Expanded line items are part of the update's answer, not of the stored session.
    let without_line_items = |body: &Value| {
        let mut body = body.clone();
        if let Some(map) = body.as_object_mut() {
            map.remove("line_items");
        }
        body
    };
    let updated = without_line_items(&world.succeeded().body);
    let path = world.session_path();
    let now = world.get(&path).await;
    world.mismatch(
        "the session retrieved after the update",
        &updated,
        &without_line_items(&now.body),
        &now,
    );
}

#[then("both answers are the same session")]
async fn same_session(world: &mut ConformanceWorld) {
    let first = world
        .first
        .as_ref()
        .expect("a When step sends two requests");
    let second = world.last();
    let id = |e: &Exchange| json!({"status": e.status, "id": e.body["id"]});
    if let Some(diff) = crate::diff::unified_with(&id(first), &id(second), &[]) {
        panic!(
            "the replayed request was executed again instead of replayed\n{diff}request:\n{}\n{}",
            first.describe(),
            second.describe()
        );
    }
}
