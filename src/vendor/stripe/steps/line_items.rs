//! Steps about a session's line items: retransmitting the array, line items with `price_data`,
//! and the fixtures they need (a product, a line item's metadata or adjustable quantity).

use super::{PRODUCT};
use crate::client::Body;
use crate::steps::args::{self, records};
use crate::steps::ConformanceWorld;
use crate::vendor::stripe::form;
use crate::verdict;
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
        self.session_id();
        let mut items = self.retained_items();
        let Some(item) = n.checked_sub(1).and_then(|i| items.get_mut(i)) else {
            verdict::authoring(format!(
                "the session was created with {} line item(s), not with a line item {n}",
                self.created_items.len()
            ));
        };
        if let (Some(item), Value::Object(fields)) = (item.as_object_mut(), fields.clone()) {
            item.extend(fields);
        }
        let what = format!("setting up line item {n}");
        if self
            .set_up(&what, json!({ "line_items": items }))
            .await
            .is_none()
        {
            return;
        }
        // The update's answer does not list line items: read them back.
        let list = self
            .fixture_items("reading back the line items set up")
            .await;
        let held = crate::steps::expect::array(&list.body["data"])
            .get(n - 1)
            .cloned()
            .unwrap_or_default();
        let fields = fields.as_object().cloned().unwrap_or_default();
        let actual: serde_json::Map<String, Value> = fields
            .keys()
            .map(|k| (k.clone(), held.get(k).cloned().unwrap_or(Value::Null)))
            .collect();
        self.setup_not_held(&what, &Value::Object(fields), &Value::Object(actual), &list);
    }

    /// `price_data` from a `| parameter | value |` table whose names are relative to
    /// `price_data` (`currency`, `product_data[name]`, `recurring[interval]`), placeholders
    /// resolved; a row with an empty value is not sent.
    fn price_data_pairs(&self, step: &Step, item: &str) -> Vec<(String, String)> {
        args::pairs(step)
            .into_iter()
            .filter(|(_, value)| !value.is_empty())
            .map(|(name, value)| {
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
    if world.dry_run {
        world.set_fixture(PRODUCT, &name, format!("prod_dry_run_{name}"));
        return;
    }
    let params = json!({"currency": "usd", "unit_amount": 100, "product_data": {"name": name}});
    let price = world.fixture_post("/v1/prices", &params).await;
    let product = price.body["product"]
        .as_str()
        .or_else(|| price.body["product"]["id"].as_str())
        .filter(|_| price.status == 200);
    let Some(product) = product else {
        world.setup_refused(
            &format!("creating product `{name}` (through a price)"),
            &price,
        );
    };
    world.set_fixture(PRODUCT, &name, product.to_owned());
}

/// Sets metadata on the `n`th line item (as the session was created), retaining the others.
#[given(regex = r"^line item (\d+) has metadata:$")]
async fn line_item_metadata(world: &mut ConformanceWorld, n: usize, step: &Step) {
    let metadata: Map<String, Value> = args::pairs(step)
        .into_iter()
        .map(|(key, value)| (key, Value::String(world.resolve(&value))))
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
    for (i, row) in records(step, &[]).into_iter().enumerate() {
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
