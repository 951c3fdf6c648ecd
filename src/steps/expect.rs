//! Checking an answer against what a step expects: dotted paths into it, tables of expected
//! items, the last answer under test (succeeded, or rejected with the envelope's fields).

use super::args::{self, expected_cell};
use super::ConformanceWorld;
use crate::client::Exchange;
use cucumber::gherkin::Step;
use serde_json::{Map, Value};

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
        self.mismatch_masking(&[], what, &expected, &actual, exchange, read_back);
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
        let (expected, actual) = self
            .provider
            .rejection(status, fields, last.status, &last.body);
        self.mismatch("the error", &expected, &actual, last);
    }
}
