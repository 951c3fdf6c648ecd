//! Gr4vy's part of [`crate::explore`]: updates of a checkout session (`PUT`, JSON) that
//! replace the cart items, post them `null` or leave them out, replace the metadata (or post it
//! `null`, or leave it out), with invalid values at and around the spec's limits; the model of
//! the documented behaviour; the rendering with the suite's steps.
//!
//! The model, from the documentation and the spec (features/CLAUSES.md): a PUT's `cart_items`
//! replaces the array whole, `null` removes it, a property not posted is kept; `metadata` is
//! replaced whole; a cart item's name has 1 to 255 characters, its quantity is 1 to 99999999,
//! its unit amount 0 to 99999999; metadata values are strings; an invalid request is a 400 or a
//! 422 naming the field and changes nothing; `id` and `expires_at` do not move on update.
//!
//! ```
//! use checkout_conformance::explore::Explorer;
//! use checkout_conformance::vendor::gr4vy::explore::Gr4vyExplorer;
//! let explorer = Gr4vyExplorer;
//! let a = explorer.generate(&mut fastrand::Rng::with_seed(3), 5);
//! assert_eq!(a, explorer.generate(&mut fastrand::Rng::with_seed(3), 5));
//! ```

use crate::client::Body;
use crate::explore::{json_docstring, removals, table, Explorer, Mismatch, Scenario, Stop, Target};
use crate::vendor::Provider;
use serde_json::{json, Map, Value};

const NAME_MAX: usize = 255;
const AMOUNT_MAX: i64 = 99_999_999;
const NAMES: [&str; 5] = [
    "GoPro HERO9 Camcorder",
    "SD card",
    "Tripod",
    "Battery",
    "Case",
];
const KEYS: [&str; 4] = ["order_id", "channel", "coupon", "note"];

/// One cart item as posted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CartItem {
    /// `name`.
    pub name: String,
    /// `quantity`.
    pub quantity: i64,
    /// `unit_amount`.
    pub unit_amount: i64,
}

/// What an update does with one property.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part<T> {
    /// Not posted: kept.
    Omit,
    /// Posted `null`: removed.
    Null,
    /// Posted: replaces the stored value whole.
    Set(T),
}

/// One update: its cart items and metadata (and at most one invalid value among them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Update {
    /// `cart_items`.
    pub cart_items: Part<Vec<CartItem>>,
    /// `metadata` (a value `None` is posted as a number: not a string).
    pub metadata: Part<Vec<(String, Option<String>)>>,
}

/// A generated case: the cart items of the creation and the updates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gr4vyCase {
    /// The cart items the session is created with.
    pub items: Vec<CartItem>,
    /// The updates.
    pub ops: Vec<Update>,
}

/// Gr4vy's explorer (no fixtures beyond the session of each case).
#[derive(Debug, Default, Clone, Copy)]
pub struct Gr4vyExplorer;

/// The session as the documentation says it must be.
#[derive(Debug, Clone, PartialEq, Default)]
struct Model {
    cart_items: Vec<CartItem>,
    metadata: Map<String, Value>,
}

/// The JSON pointer of the first invalid value of `update`, if any.
fn invalid_at(update: &Update) -> Option<String> {
    if let Part::Set(items) = &update.cart_items {
        for (i, item) in items.iter().enumerate() {
            let name = item.name.chars().count();
            if name == 0 || name > NAME_MAX {
                return Some(format!("/cart_items/{i}/name"));
            }
            if !(1..=AMOUNT_MAX).contains(&item.quantity) {
                return Some(format!("/cart_items/{i}/quantity"));
            }
            if !(0..=AMOUNT_MAX).contains(&item.unit_amount) {
                return Some(format!("/cart_items/{i}/unit_amount"));
            }
        }
    }
    if let Part::Set(pairs) = &update.metadata {
        if let Some((k, _)) = pairs.iter().find(|(_, v)| v.is_none()) {
            return Some(format!("/metadata/{k}"));
        }
    }
    None
}

impl Model {
    fn apply(&self, update: &Update) -> Result<Model, String> {
        if let Some(pointer) = invalid_at(update) {
            return Err(pointer);
        }
        let mut next = self.clone();
        match &update.cart_items {
            Part::Omit => {}
            Part::Null => next.cart_items.clear(),
            Part::Set(items) => next.cart_items = items.clone(),
        }
        match &update.metadata {
            Part::Omit => {}
            Part::Null => next.metadata.clear(),
            Part::Set(pairs) => {
                next.metadata = pairs.iter().map(|(k, v)| (k.clone(), json!(v))).collect()
            }
        }
        Ok(next)
    }

    /// The fields the model speaks of, as [`observe`] projects an answer.
    fn project(&self, id: &Value, expires_at: &Value) -> Value {
        json!({
            "id": id,
            "expires_at": expires_at,
            "cart_items": self.cart_items.iter().map(item_json).collect::<Vec<_>>(),
            "metadata": self.metadata,
        })
    }
}

fn item_json(item: &CartItem) -> Value {
    json!({"name": item.name, "quantity": item.quantity, "unit_amount": item.unit_amount})
}

/// An answer's fields the model speaks of; no cart items and `null` are the same, as are no
/// metadata and `null`.
fn observe(body: &Value) -> Value {
    let items: Vec<Value> = body["cart_items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|i| json!({"name": i["name"], "quantity": i["quantity"], "unit_amount": i["unit_amount"]}))
                .collect()
        })
        .unwrap_or_default();
    let metadata = match &body["metadata"] {
        Value::Null => json!({}),
        other => other.clone(),
    };
    json!({"id": body["id"], "expires_at": body["expires_at"], "cart_items": items, "metadata": metadata})
}

fn params(update: &Update) -> Value {
    let mut out = Map::new();
    match &update.cart_items {
        Part::Omit => {}
        Part::Null => {
            out.insert("cart_items".into(), Value::Null);
        }
        Part::Set(items) => {
            out.insert(
                "cart_items".into(),
                items.iter().map(item_json).collect::<Vec<_>>().into(),
            );
        }
    }
    match &update.metadata {
        Part::Omit => {}
        Part::Null => {
            out.insert("metadata".into(), Value::Null);
        }
        Part::Set(pairs) => {
            let map: Map<String, Value> = pairs
                .iter()
                .map(|(k, v)| (k.clone(), v.as_ref().map_or(json!(6735), |v| json!(v))))
                .collect();
            out.insert("metadata".into(), map.into());
        }
    }
    Value::Object(out)
}

// ---------------------------------------------------------------- generation

fn item(rng: &mut fastrand::Rng) -> CartItem {
    CartItem {
        name: NAMES[rng.usize(..NAMES.len())].to_owned(),
        quantity: rng.i64(1..=5),
        unit_amount: [0, 1999, 4999, 37999][rng.usize(..4)],
    }
}

fn update(rng: &mut fastrand::Rng) -> Update {
    let cart_items = match rng.u8(..10) {
        0..=4 => Part::Set((0..rng.usize(1..=4)).map(|_| item(rng)).collect()),
        5 => Part::Null,
        _ => Part::Omit,
    };
    let metadata = match rng.u8(..10) {
        0..=3 => {
            let mut keys = KEYS.to_vec();
            rng.shuffle(&mut keys);
            Part::Set(
                keys[..rng.usize(0..=3)]
                    .iter()
                    .map(|k| {
                        (
                            (*k).to_owned(),
                            Some(["6735", "web", "SPRING"][rng.usize(..3)].to_owned()),
                        )
                    })
                    .collect(),
            )
        }
        4 => Part::Null,
        _ => Part::Omit,
    };
    let mut update = Update {
        cart_items,
        metadata,
    };
    if update.cart_items == Part::Omit && update.metadata == Part::Omit {
        update.metadata = Part::Set(vec![("order_id".into(), Some("6735".into()))]);
    }
    // At and around the spec's limits: one invalid value in some updates, valid edges in others.
    let invalid = rng.u8(..6) == 0;
    let edge = rng.u8(..6);
    if let Part::Set(items) = &mut update.cart_items {
        let at = rng.usize(..items.len());
        let it = &mut items[at];
        match (invalid, edge) {
            (true, 0) => it.name = String::new(),
            (true, 1) => it.name = "n".repeat(NAME_MAX + 1),
            (true, 2) => it.quantity = 0,
            (true, 3) => it.quantity = AMOUNT_MAX + 1,
            (true, 4) => it.unit_amount = -1,
            (true, _) => it.unit_amount = AMOUNT_MAX + 1,
            (false, 0) => it.name = "n".repeat(NAME_MAX),
            (false, 1) => it.quantity = AMOUNT_MAX,
            (false, 2) => it.unit_amount = AMOUNT_MAX,
            _ => {}
        }
    } else if let (true, Part::Set(pairs)) = (invalid, &mut update.metadata) {
        pairs.push(("amount".into(), None));
    }
    update
}

// ---------------------------------------------------------------- execution

impl Gr4vyExplorer {
    async fn run_case(&self, target: &Target, case: &Gr4vyCase) -> Result<(), Stop> {
        let body = json!({"cart_items": case.items.iter().map(item_json).collect::<Vec<_>>()});
        let sessions = Provider::Gr4vy.sessions_path();
        let created = target
            .send("POST", sessions, Provider::Gr4vy.update_body(&body), None)
            .await?;
        let Some(id) = created.body["id"]
            .as_str()
            .filter(|_| (200..300).contains(&created.status))
        else {
            return Err(Stop::Setup(format!(
                "creating the session answered {}\n{}",
                created.status,
                created.describe()
            )));
        };
        target.note_created(id);
        let path = Provider::Gr4vy.session_path(id);
        let (id, expires_at) = (json!(id), created.body["expires_at"].clone());
        let mut model = Model {
            cart_items: case.items.clone(),
            ..Model::default()
        };
        if observe(&created.body)["cart_items"] != model.project(&id, &expires_at)["cart_items"] {
            return Err(Stop::Setup(format!(
                "the created session does not hold the cart items given\n{}",
                created.describe()
            )));
        }
        for (step, update) in case.ops.iter().enumerate() {
            let n = step + 1;
            let exchange = target
                .send(
                    "PUT",
                    &path,
                    Provider::Gr4vy.update_body(&params(update)),
                    None,
                )
                .await?;
            match model.apply(update) {
                Ok(next) => {
                    let expected = next.project(&id, &expires_at);
                    let actual = observe(&exchange.body);
                    if exchange.status != 200 {
                        return Err(Stop::mismatch(
                            step,
                            "status",
                            format!("the answer to update {n}"),
                            json!({"status": 200}),
                            json!({"status": exchange.status, "body": exchange.body}),
                            exchange.describe(),
                        ));
                    }
                    if expected != actual {
                        return Err(Stop::mismatch(
                            step,
                            first_difference(&expected, &actual),
                            format!("the answer to update {n}"),
                            expected,
                            actual,
                            exchange.describe(),
                        ));
                    }
                    model = next;
                }
                Err(pointer) => {
                    let named = super::wire::named_fields(exchange.status, &exchange.body);
                    let ok = matches!(exchange.status, 400 | 422) && named.contains(&pointer);
                    if !ok {
                        return Err(Stop::mismatch(
                            step,
                            "validation",
                            format!("the answer to update {n}"),
                            json!({"status": "400 or 422", "names the field": pointer}),
                            json!({"status": exchange.status, "names the fields": named}),
                            exchange.describe(),
                        ));
                    }
                }
            }
            let read = target.send("GET", &path, Body::Empty, None).await?;
            let expected = model.project(&id, &expires_at);
            let actual = observe(&read.body);
            if read.status != 200 || expected != actual {
                return Err(Stop::mismatch(
                    step,
                    format!("read-back {}", first_difference(&expected, &actual)),
                    format!("the session read back after update {n}"),
                    expected,
                    actual,
                    read.describe(),
                ));
            }
        }
        Ok(())
    }
}

fn first_difference(expected: &Value, actual: &Value) -> String {
    ["cart_items", "metadata", "expires_at", "id"]
        .into_iter()
        .find(|k| expected[k] != actual[k])
        .unwrap_or("session")
        .to_owned()
}

impl Explorer for Gr4vyExplorer {
    type Case = Gr4vyCase;

    fn provider(&self) -> Provider {
        Provider::Gr4vy
    }

    async fn prepare(&mut self, _target: &Target) -> Result<(), Stop> {
        Ok(())
    }

    fn generate(&self, rng: &mut fastrand::Rng, max_steps: usize) -> Gr4vyCase {
        Gr4vyCase {
            items: (0..rng.usize(1..=4)).map(|_| item(rng)).collect(),
            ops: (0..rng.usize(1..=max_steps.max(1)))
                .map(|_| update(rng))
                .collect(),
        }
    }

    fn steps(&self, case: &Gr4vyCase) -> usize {
        case.ops.len()
    }

    async fn execute(&self, target: &Target, case: &Gr4vyCase) -> Result<(), Stop> {
        self.run_case(target, case).await
    }

    fn shrink(&self, case: &Gr4vyCase) -> Vec<Gr4vyCase> {
        let mut out: Vec<Gr4vyCase> = removals(&case.ops)
            .into_iter()
            .map(|ops| Gr4vyCase {
                items: case.items.clone(),
                ops,
            })
            .collect();
        if case.items.len() > 1 {
            for i in 0..case.items.len() {
                let mut items = case.items.clone();
                items.remove(i);
                out.push(Gr4vyCase {
                    items,
                    ops: case.ops.clone(),
                });
            }
        }
        for (i, op) in case.ops.iter().enumerate() {
            let mut variants = Vec::new();
            if op.cart_items != Part::Omit && op.metadata != Part::Omit {
                variants.push(Update {
                    cart_items: Part::Omit,
                    ..op.clone()
                });
                variants.push(Update {
                    metadata: Part::Omit,
                    ..op.clone()
                });
            }
            if let Part::Set(items) = &op.cart_items {
                for j in 0..items.len() {
                    if items.len() > 1 {
                        let mut fewer = items.clone();
                        fewer.remove(j);
                        variants.push(Update {
                            cart_items: Part::Set(fewer),
                            ..op.clone()
                        });
                    }
                }
            }
            if let Part::Set(pairs) = &op.metadata {
                for j in 0..pairs.len() {
                    let mut fewer = pairs.clone();
                    fewer.remove(j);
                    variants.push(Update {
                        metadata: Part::Set(fewer),
                        ..op.clone()
                    });
                }
            }
            for v in variants {
                let mut ops = case.ops.clone();
                ops[i] = v;
                out.push(Gr4vyCase {
                    items: case.items.clone(),
                    ops,
                });
            }
        }
        out.retain(|c| c != case && !c.ops.is_empty());
        out
    }

    fn scenario(&self, case: &Gr4vyCase, mismatch: &Mismatch, title: &str) -> Scenario {
        let ops = &case.ops[..=mismatch.step.min(case.ops.len().saturating_sub(1))];
        let mut clauses = std::collections::BTreeSet::from(["gr4vy.update.returns-session"]);
        let mut text = String::new();
        let mut model = Model {
            cart_items: case.items.clone(),
            ..Model::default()
        };
        let mut last = Ok(());
        let mut whens = String::new();
        for op in ops {
            match &op.cart_items {
                Part::Set(_) => clauses.insert("gr4vy.cart_items.replace"),
                Part::Null => clauses.insert("gr4vy.cart_items.null"),
                Part::Omit => false,
            };
            if op.metadata != Part::Omit {
                clauses.insert("gr4vy.metadata");
            }
            whens.push_str(if whens.is_empty() {
                "    When I update the session with the parameters:\n"
            } else {
                "    And I update the session with the parameters:\n"
            });
            whens.push_str(&json_docstring(&params(op)));
            last = model.apply(op).map(|next| model = next);
        }
        let tags: Vec<String> = clauses.iter().map(|c| format!("@doc:{c}")).collect();
        text.push_str(&format!(
            "  @explore {}\n  Scenario: {title}: {}\n",
            tags.join(" "),
            mismatch.what
        ));
        text.push_str("    Given a checkout session with cart items:\n");
        let mut rows = vec![vec![
            "name".to_owned(),
            "quantity".to_owned(),
            "unit_amount".to_owned(),
        ]];
        rows.extend(case.items.iter().map(|i| {
            vec![
                i.name.clone(),
                i.quantity.to_string(),
                i.unit_amount.to_string(),
            ]
        }));
        text.push_str(&table(&rows));
        text.push_str(&whens);
        match last {
            Err(pointer) => {
                text.push_str(&format!(
                    "    Then the update is rejected as invalid at \"{pointer}\"\n"
                ));
                text.push_str("    And the session is unchanged\n");
            }
            Ok(()) => {
                text.push_str("    Then the update succeeds\n");
                if model.cart_items.is_empty() {
                    text.push_str("    And the session has no cart items\n");
                } else {
                    text.push_str("    And the session's cart items are:\n");
                    let mut rows = vec![vec![
                        "name".to_owned(),
                        "quantity".to_owned(),
                        "unit_amount".to_owned(),
                    ]];
                    rows.extend(model.cart_items.iter().map(|i| {
                        vec![
                            i.name.clone(),
                            i.quantity.to_string(),
                            i.unit_amount.to_string(),
                        ]
                    }));
                    text.push_str(&table(&rows));
                }
                if model.metadata.is_empty() {
                    text.push_str("    And the session has 0 metadata keys\n");
                } else {
                    text.push_str("    And the session's metadata is:\n");
                    let rows: Vec<Vec<String>> = model
                        .metadata
                        .iter()
                        .map(|(k, v)| vec![k.clone(), v.as_str().unwrap_or_default().to_owned()])
                        .collect();
                    text.push_str(&table(&rows));
                }
                text.push_str("    And the change persists\n");
            }
        }
        Scenario {
            text,
            not_expressible: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn item(name: &str, quantity: i64, unit_amount: i64) -> CartItem {
        CartItem {
            name: name.into(),
            quantity,
            unit_amount,
        }
    }

    #[rstest]
    #[case::name_empty(item("", 1, 0), Some("/cart_items/0/name"))]
    #[case::name_255(item(&"n".repeat(255), 1, 0), None)]
    #[case::name_256(item(&"n".repeat(256), 1, 0), Some("/cart_items/0/name"))]
    #[case::quantity_0(item("a", 0, 0), Some("/cart_items/0/quantity"))]
    #[case::quantity_max(item("a", 99_999_999, 0), None)]
    #[case::quantity_over(item("a", 100_000_000, 0), Some("/cart_items/0/quantity"))]
    #[case::amount_negative(item("a", 1, -1), Some("/cart_items/0/unit_amount"))]
    #[case::amount_over(item("a", 1, 100_000_000), Some("/cart_items/0/unit_amount"))]
    fn limits(#[case] it: CartItem, #[case] pointer: Option<&str>) {
        let update = Update {
            cart_items: Part::Set(vec![it]),
            metadata: Part::Omit,
        };
        assert_eq!(invalid_at(&update).as_deref(), pointer);
    }

    #[rstest]
    #[case::omitted_kept(Part::Omit, Part::Omit, 2, 1)]
    #[case::null_removes(Part::Null, Part::Null, 0, 0)]
    #[case::replaced_whole(Part::Set(vec![item("b", 1, 1)]), Part::Set(vec![]), 1, 0)]
    fn parts(
        #[case] cart_items: Part<Vec<CartItem>>,
        #[case] metadata: Part<Vec<(String, Option<String>)>>,
        #[case] items: usize,
        #[case] keys: usize,
    ) {
        let model = Model {
            cart_items: vec![item("a", 1, 1), item("b", 2, 2)],
            metadata: Map::from_iter([("k".to_owned(), json!("v"))]),
        };
        let next = model
            .apply(&Update {
                cart_items,
                metadata,
            })
            .expect("valid");
        assert_eq!((next.cart_items.len(), next.metadata.len()), (items, keys));
    }
}
