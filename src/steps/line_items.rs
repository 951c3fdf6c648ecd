//! Steps about a session's line items: retransmitting the array, line items with `price_data`,
//! and the fixtures they need (a product, a line item's metadata or adjustable quantity).

use super::{records, rows, ConformanceWorld};
use crate::client::Body;
use crate::wire::form;
use cucumber::gherkin::Step;
use cucumber::{given, when};
use serde_json::{json, Map, Value};

impl ConformanceWorld {
    /// The session's line items as it was created, each retained by its id.
    fn retained_items(&self) -> Vec<Value> {
        self.created_items
            .iter()
            .map(|id| json!({ "id": id }))
            .collect()
    }

    /// Retransmits every line item the session was created with, merging `fields` into the
    /// `n`th (1-based); the update must succeed (it sets the scenario up).
    async fn set_up_line_item(&mut self, n: usize, fields: Value) {
        let mut items = self.retained_items();
        let item = n
            .checked_sub(1)
            .and_then(|i| items.get_mut(i))
            .unwrap_or_else(|| panic!("the session was not created with a line item {n}"));
        if let (Some(item), Value::Object(fields)) = (item.as_object_mut(), fields) {
            item.extend(fields);
        }
        self.set_up(json!({ "line_items": items })).await;
    }

    /// `price_data` from a `| parameter | value |` table whose names are relative to
    /// `price_data` (`currency`, `product_data[name]`, `recurring[interval]`), placeholders
    /// resolved; a row with an empty value is not sent.
    fn price_data_pairs(&self, step: &Step, item: &str) -> Vec<(String, String)> {
        rows(step)
            .into_iter()
            .filter(|row| row.get(1).is_some_and(|v| !v.is_empty()))
            .map(|row| {
                let [name, value] =
                    <[String; 2]>::try_from(row).expect("rows of `| parameter | value |`");
                (
                    format!("{item}[price_data]{}", bracketed(&self.resolve(&name))),
                    self.resolve(&value),
                )
            })
            .collect()
    }

    /// The form pairs retaining every line item the session was created with, by id.
    fn retained_pairs(&self) -> Vec<(String, String)> {
        self.created_items
            .iter()
            .enumerate()
            .map(|(i, id)| (format!("line_items[{i}][id]"), id.clone()))
            .collect()
    }

    async fn update_with_pairs(&mut self, pairs: &[(String, String)]) {
        let body = form::encode_pairs(pairs.iter().map(|(n, v)| (n.as_str(), v.as_str())));
        self.update_with(Body::Form(body)).await;
    }
}

/// `product_data[name]` → `[product_data][name]`; `currency` → `[currency]`.
fn bracketed(name: &str) -> String {
    match name.split_once('[') {
        Some((head, rest)) => format!("[{head}][{rest}"),
        None => format!("[{name}]"),
    }
}

/// A product, created the way a price creates one (`product_data`), so that a later
/// `price_data[product]` can name it as `{product NAME}`.
#[given(expr = "a product {string}")]
async fn product(world: &mut ConformanceWorld, name: String) {
    let params = json!({"currency": "usd", "unit_amount": 100, "product_data": {"name": name}});
    let price = world.post("/v1/prices", &params).await;
    assert_eq!(
        price.status,
        200,
        "creating product `{name}` (through a price) failed:\n{}\n{}",
        price.body,
        price.describe()
    );
    let product = price.body["product"]
        .as_str()
        .or_else(|| price.body["product"]["id"].as_str())
        .unwrap_or_default()
        .to_owned();
    world.products.insert(name, product);
}

/// Sets metadata on the `n`th line item (as the session was created), retaining the others.
#[given(regex = r"^line item (\d+) has metadata:$")]
async fn line_item_metadata(world: &mut ConformanceWorld, n: usize, step: &Step) {
    let metadata: Map<String, Value> = rows(step)
        .into_iter()
        .map(|row| (row[0].clone(), Value::String(world.resolve(&row[1]))))
        .collect();
    world
        .set_up_line_item(n, json!({ "metadata": metadata }))
        .await;
}

/// Makes the `n`th line item's quantity adjustable between the two bounds.
#[given(regex = r"^line item (\d+) has an adjustable quantity from (\d+) to (\d+)$")]
async fn line_item_adjustable(world: &mut ConformanceWorld, n: usize, minimum: i64, maximum: i64) {
    let adjustable = json!({"enabled": true, "minimum": minimum, "maximum": maximum});
    world
        .set_up_line_item(n, json!({ "adjustable_quantity": adjustable }))
        .await;
}

/// The whole `line_items` array, one row per element, in order. Columns are a line item's
/// parameters in bracket notation (`id`, `price`, `quantity`, `metadata[color]`,
/// `adjustable_quantity[enabled]`, ...); a `price` cell names a price fixture; other cells may
/// use placeholders (`{line item 1}`); an empty cell is not sent.
#[when("I retransmit the line items:")]
async fn retransmit(world: &mut ConformanceWorld, step: &Step) {
    let mut pairs = Vec::new();
    for (i, row) in records(step).into_iter().enumerate() {
        for (column, cell) in row {
            let cell = cell.as_str().unwrap_or_default();
            if cell.is_empty() {
                continue;
            }
            let value = if column == "price" {
                world.resolve(&format!("{{price {cell}}}"))
            } else {
                world.resolve(cell)
            };
            pairs.push((format!("line_items[{i}]{}", bracketed(&column)), value));
        }
    }
    world.update_with_pairs(&pairs).await;
}

/// Adds a line item with the table's `price_data` after the line items the session was created
/// with (retained by id), or replaces them all with it.
#[when(
    regex = r"^I (add a line item|replace the line items with a line item) of quantity (\d+) with the price_data:$"
)]
async fn price_data_item(world: &mut ConformanceWorld, how: String, quantity: u32, step: &Step) {
    let mut pairs = if how.starts_with("add") {
        world.retained_pairs()
    } else {
        Vec::new()
    };
    let item = format!("line_items[{}]", pairs.len());
    pairs.extend(world.price_data_pairs(step, &item));
    pairs.push((format!("{item}[quantity]"), quantity.to_string()));
    world.update_with_pairs(&pairs).await;
}

/// Adds a line item whose `price_data[product_data]` has `count` image URLs.
#[when(regex = r"^I add a line item whose product_data has (\d+) images$")]
async fn item_with_images(world: &mut ConformanceWorld, count: usize) {
    let mut items = world.retained_items();
    let images: Vec<String> = (1..=count)
        .map(|i| format!("https://example.com/images/{i}.png"))
        .collect();
    items.push(json!({
        "price_data": {
            "currency": "usd",
            "unit_amount": 500,
            "product_data": {"name": "Poster", "images": images},
        },
        "quantity": 1,
    }));
    world
        .update_with(Body::Form(form::encode_json(
            &json!({ "line_items": items }),
        )))
        .await;
}
