//! What the documentation promises about the answer.

use super::args::{self, expected_cell};
use super::ConformanceWorld;
use crate::client::Exchange;
use cucumber::gherkin::Step;
use cucumber::then;
use serde_json::{json, Map, Value};

/// The value at a dotted path (`price.recurring.interval`, `categories.1`); `null` when absent.
pub(crate) fn at_path(value: &Value, path: &str) -> Value {
    path.split('.')
        .try_fold(value, |v, key| match v {
            Value::Array(items) => key.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => v.get(key),
        })
        .cloned()
        .unwrap_or(Value::Null)
}

/// The items of a JSON array; none when `value` is not one.
pub(crate) fn array(value: &Value) -> &[Value] {
    value.as_array().map_or(&[], Vec::as_slice)
}

/// A Then step's table: a header row of dotted paths into an item, then the cells each item
/// must hold, placeholders resolved (a `price.id` cell names a price fixture).
pub(crate) struct ExpectedTable {
    columns: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl ExpectedTable {
    /// The expected and actual values, cell by cell (an expected cell is JSON unless the
    /// target answered a string there); a table with more or fewer rows than `items` shows the
    /// missing or extra items.
    fn against(&self, items: &[Value]) -> (Value, Value) {
        let project = |item: &Value, cells: Option<&Vec<String>>| -> Value {
            let mut out = Map::new();
            for (i, column) in self.columns.iter().enumerate() {
                let actual = at_path(item, column);
                let value = match cells {
                    Some(cells) => expected_cell(&cells[i], &actual),
                    None => actual,
                };
                out.insert(column.clone(), value);
            }
            Value::Object(out)
        };
        let expected = self
            .rows
            .iter()
            .enumerate()
            .map(|(i, cells)| project(items.get(i).unwrap_or(&Value::Null), Some(cells)))
            .collect();
        let actual = items.iter().map(|item| project(item, None)).collect();
        (Value::Array(expected), Value::Array(actual))
    }
}

impl ConformanceWorld {
    /// The step's table, parsed and its placeholders resolved before any request (the dry run
    /// checks it).
    pub(crate) fn expected_table(&self, step: &Step) -> ExpectedTable {
        let (columns, rows) = args::header_and_rows(step);
        let rows = rows
            .into_iter()
            .map(|cells| {
                columns
                    .iter()
                    .zip(cells)
                    .map(|(column, text)| {
                        if column == "price.id" {
                            self.resolve(&format!("{{price {text}}}"))
                        } else {
                            self.resolve(&text)
                        }
                    })
                    .collect()
            })
            .collect();
        ExpectedTable { columns, rows }
    }

    /// Compares `items` with the table, one row per item, each item projected onto the
    /// table's columns; a difference fails the step with a diff naming `what` and the request
    /// under test (and `read_back`, when the items were read back with another request).
    pub(crate) fn rows_match(
        &self,
        table: &ExpectedTable,
        what: &str,
        items: &[Value],
        exchange: &Exchange,
        read_back: Option<&Exchange>,
    ) {
        let (expected, actual) = table.against(items);
        self.mismatch_seen(what, &expected, &actual, exchange, read_back);
    }

    /// The answer to the request under test must be a 200; returns it.
    pub(crate) async fn succeeded(&self) -> &Exchange {
        let last = self.last().await;
        if last.status != 200 {
            crate::verdict::deviation(format!(
                "the request was expected to succeed (200), and the target answered {}\n{}\nrequest:\n{}",
                last.status,
                last.body_text,
                last.describe()
            ));
        }
        last
    }

    /// Compares the expected error fields with the answer to the request under test.
    pub(crate) async fn rejected(&self, status: u16, fields: &[(&str, &str)]) {
        let last = self.last().await;
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
    world.succeeded().await;
}

#[then(regex = r#"^the (?:update|request) is rejected with an? (\w+) on "([^"]*)"$"#)]
async fn rejected_on(world: &mut ConformanceWorld, kind: String, param: String) {
    let param = world.resolve(&param);
    world
        .rejected(400, &[("type", &kind), ("param", &param)])
        .await;
}

#[then(regex = r"^the (?:update|request) is rejected with an? (\w+)$")]
async fn rejected_with(world: &mut ConformanceWorld, kind: String) {
    world.rejected(400, &[("type", &kind)]).await;
}

#[then(regex = r#"^the (?:update|request) is rejected because parameter "([^"]*)" is unknown$"#)]
async fn rejected_unknown(world: &mut ConformanceWorld, param: String) {
    let param = world.resolve(&param);
    world
        .rejected(
            400,
            &[
                ("type", "invalid_request_error"),
                ("code", "parameter_unknown"),
                ("param", &param),
            ],
        )
        .await;
}

#[then(regex = r"^the (?:update|request) is rejected as unauthenticated$")]
async fn rejected_unauthenticated(world: &mut ConformanceWorld) {
    let (status, fields) = world.provider.vendor().unauthenticated();
    world.rejected(status, fields).await;
}

#[then(regex = r"^the (?:update|request) is rejected because the session does not exist$")]
async fn rejected_missing(world: &mut ConformanceWorld) {
    let (status, fields) = world.provider.vendor().session_missing();
    world.rejected(status, fields).await;
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
