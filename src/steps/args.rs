//! A step's arguments — data tables and doc strings — read in one place, so that a table of
//! the wrong shape or a doc string that is not JSON is an authoring mistake
//! named where it is (the dry run finds it before the first request), never a contract failure.

use crate::verdict;
use cucumber::gherkin::Step;
use serde_json::{Map, Value};

/// Rows of the step's data table, each as its cells; every row as wide as the first.
pub(crate) fn rows(step: &Step) -> Vec<Vec<String>> {
    let Some(table) = step.table.as_ref() else {
        verdict::authoring("this step takes a data table, and it has none");
    };
    let width = table.rows.first().map_or(0, Vec::len);
    if let Some((i, row)) = table
        .rows
        .iter()
        .enumerate()
        .find(|(_, r)| r.len() != width)
    {
        verdict::authoring(format!(
            "the data table is ragged: row {} has {} cells, the first row {width}",
            i + 1,
            row.len()
        ));
    }
    table.rows.clone()
}

/// The step's `| name | value |` table as pairs.
pub(crate) fn pairs(step: &Step) -> Vec<(String, String)> {
    rows(step)
        .into_iter()
        .map(|row| match <[String; 2]>::try_from(row) {
            Ok([name, value]) => (name, value),
            Err(row) => verdict::authoring(format!(
                "this step takes a table of `| name | value |` rows (two cells), and a row has {}",
                row.len()
            )),
        })
        .collect()
}

/// The step's table split into its header row and the rows under it.
pub(crate) fn header_and_rows(step: &Step) -> (Vec<String>, Vec<Vec<String>>) {
    let mut rows = rows(step);
    if rows.is_empty() {
        verdict::authoring("this step takes a table with a header row, and it is empty");
    }
    let header = rows.remove(0);
    (header, rows)
}

/// The step's table with a header row, as one object per row (cells as strings); the header
/// must name each of `required`.
pub(crate) fn records(step: &Step, required: &[&str]) -> Vec<Map<String, Value>> {
    let (header, body) = header_and_rows(step);
    if let Some(missing) = required.iter().find(|c| !header.iter().any(|h| h == *c)) {
        verdict::authoring(format!(
            "this step's table needs a `{missing}` column; its header is | {} |",
            header.join(" | ")
        ));
    }
    body.iter()
        .map(|row| {
            header
                .iter()
                .cloned()
                .zip(row.iter().map(|c| Value::String(c.clone())))
                .collect()
        })
        .collect()
}

/// The step's doc string, trimmed.
pub(crate) fn docstring(step: &Step) -> &str {
    match step.docstring.as_deref() {
        Some(text) => text.trim(),
        None => verdict::authoring("this step takes a doc string, and it has none"),
    }
}

/// The step's doc string as JSON.
pub(crate) fn json_docstring(step: &Step) -> Value {
    serde_json::from_str(docstring(step))
        .unwrap_or_else(|e| verdict::authoring(format!("the doc string is not valid JSON: {e}")))
}

/// A table cell as JSON: a number, `true`/`false`, `null` or a quoted string as written,
/// anything else as text.
///
/// ```
/// use checkout_conformance::steps::cell_json;
/// use serde_json::json;
/// assert_eq!(cell_json("2"), json!(2));
/// assert_eq!(cell_json("null"), json!(null));
/// assert_eq!(cell_json("\"2\""), json!("2"));
/// assert_eq!(cell_json("T-shirt"), json!("T-shirt"));
/// ```
pub fn cell_json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned()))
}

/// The expected value a cell states for `actual`: JSON ([`cell_json`]) unless the target
/// answered a string there, in which case the cell's text (so `6735` matches a metadata value
/// `"6735"`, and a diff still shows numbers, booleans and `null` as JSON; the schema checks
/// types).
pub(crate) fn expected_cell(text: &str, actual: &Value) -> Value {
    match actual {
        Value::String(_) => Value::String(text.to_owned()),
        _ => cell_json(text),
    }
}
