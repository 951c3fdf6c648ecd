//! Stripe's part of [`crate::explore`]: the operations on a custom-UI Checkout Session, their
//! generation, the executable model of the documented behaviour, and the rendering of a case
//! with the suite's steps.
//!
//! The model is written from the documentation (features/CLAUSES.md), not from the bundled
//! mock: metadata merges, an empty value unsets a key, `metadata=` unsets all; the line items
//! are retransmitted whole (an id retains, an id with fields updates, an element without id
//! adds, an omitted id removes, the array order is the new order); at most five shipping
//! options, `shipping_options=` clears them, the first one is selected; totals follow; an
//! `Idempotency-Key` replays its first answer for the same parameters and is an
//! `idempotency_error` with others; ids and `expires_at` are bound when first seen.
//!
//! ```
//! use checkout_conformance::explore::Explorer;
//! use checkout_conformance::vendor::stripe::explore::StripeExplorer;
//! let explorer = StripeExplorer::default();
//! let a = explorer.generate(&mut fastrand::Rng::with_seed(9), 6);
//! let b = explorer.generate(&mut fastrand::Rng::with_seed(9), 6);
//! assert_eq!(a, b);
//! assert!((1..=6).contains(&a.items.len()) && (1..=6).contains(&a.ops.len()));
//! ```

use crate::client::Body;
use crate::explore::{json_docstring, removals, table, Explorer, Mismatch, Scenario, Stop, Target};
use crate::vendor::Provider;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The prices the run creates: name (as the features name them) and unit amount (usd).
pub const PRICES: [(&str, i64); 3] = [("Mug", 1200), ("Shirt", 2500), ("Hat", 800)];
/// The shipping rates the run creates.
pub const RATES: [(&str, i64); 2] = [("Standard", 500), ("Express", 1500)];
/// Metadata keys the operations draw from (few, so that updates meet the keys set before).
const KEYS: [&str; 5] = ["order_id", "color", "size", "note", "gift"];
/// The documented limits.
const METADATA_MAX_KEYS: usize = 50;
const METADATA_KEY_MAX: usize = 40;
const METADATA_VALUE_MAX: usize = 500;
const ADJUSTABLE_MAXIMUM: i64 = 999_999;
const SHIPPING_OPTIONS_MAX: usize = 5;
const SHIPPING_NAME_MAX: usize = 255;

/// A line item as the operations name it: one the session was created with (0-based), or
/// one added by the operation `tag` (its `slot`-th new element).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Handle {
    /// The n-th line item of the creation.
    Created(usize),
    /// A line item added by an update.
    Added {
        /// The operation that added it.
        tag: u32,
        /// Which of its new elements.
        slot: u8,
    },
}

/// The price of a new line item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewPrice {
    /// `price`: one of [`PRICES`].
    Named(usize),
    /// `price_data` with this `unit_amount` (usd, `product_data[name]`).
    Data(i64),
    /// Neither (rejected: one of price or price_data is required).
    Neither,
}

/// One element of a retransmitted `line_items` array.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Element {
    /// `{id, ...}`: retains the item, updating the fields given.
    Keep {
        /// The item.
        item: Handle,
        /// A new quantity.
        quantity: Option<i64>,
        /// A new price (one of [`PRICES`]).
        price: Option<usize>,
        /// Metadata posted on the item (an empty value unsets the key).
        metadata: Vec<(String, String)>,
        /// `adjustable_quantity[enabled]` and `[maximum]`.
        adjustable: Option<(bool, Option<i64>)>,
    },
    /// An element without id: a new line item.
    Add {
        /// Which new element of the operation (its handle's slot).
        slot: u8,
        /// Its price.
        price: NewPrice,
        /// Its quantity (none: rejected).
        quantity: Option<i64>,
    },
    /// An id the session never had (rejected).
    UnknownId,
}

/// One shipping option.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ship {
    /// `shipping_rate`: one of [`RATES`].
    Rate(usize),
    /// `shipping_rate_data` with this fixed amount (usd).
    Data(i64),
}

/// What an update posts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// `metadata[k]=v` for each pair (an empty value unsets the key).
    Metadata(Vec<(String, String)>),
    /// `metadata=`: unsets every key.
    MetadataClear,
    /// `metadata[key_1..n]`: many keys at once (around the limit of 50).
    MetadataMany(usize),
    /// The line items, retransmitted.
    LineItems(Vec<Element>),
    /// The shipping options (none: `shipping_options=` clears them).
    Shipping(Vec<Ship>),
    /// `collected_information[shipping_details]` with a name of this many characters (and an
    /// address in the US).
    ShippingDetails(usize),
}

/// One operation of a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    /// An update.
    Update {
        /// The operation's id within the case (stable under shrinking).
        tag: u32,
        /// `expand[]=line_items`.
        expand: bool,
        /// Sent with the `Idempotency-Key` of operation `key_of` (with other parameters).
        key_of: Option<u32>,
        /// What it posts.
        change: Change,
    },
    /// The update `of` sent again, with its key and parameters.
    Replay {
        /// The operation replayed.
        of: u32,
    },
}

/// The `ui_mode` a session is created with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ui {
    /// `elements`: custom UI, the only mode whose line items can be updated.
    Custom,
    /// `embedded_page`.
    Embedded,
    /// `hosted_page`: collected_information cannot be set.
    Hosted,
}

impl Ui {
    fn mode(self) -> &'static str {
        match self {
            Ui::Custom => "elements",
            Ui::Embedded => "embedded_page",
            Ui::Hosted => "hosted_page",
        }
    }

    /// As the suite's Given step names it.
    fn sentence(self) -> &'static str {
        match self {
            Ui::Custom => "custom UI",
            Ui::Embedded => "embedded",
            Ui::Hosted => "hosted",
        }
    }
}

/// A generated case: the session's `ui_mode` and the line items it is created with
/// (`(price, quantity)`), and the operations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StripeCase {
    /// The session's `ui_mode`.
    pub ui: Ui,
    /// The line items of the creation: an index into [`PRICES`] and a quantity.
    pub items: Vec<(usize, i64)>,
    /// The operations, in order.
    pub ops: Vec<Op>,
}

/// Stripe's explorer: the fixtures' ids once created.
#[derive(Debug, Default)]
pub struct StripeExplorer {
    prices: Vec<String>,
    rates: Vec<String>,
}

// ---------------------------------------------------------------- the model

#[derive(Debug, Clone, PartialEq)]
enum PriceOf {
    Named(usize),
    Data(i64, Handle),
}

impl PriceOf {
    fn unit(&self) -> i64 {
        match self {
            PriceOf::Named(i) => PRICES[*i].1,
            PriceOf::Data(amount, _) => *amount,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
struct Item {
    handle: Handle,
    price: PriceOf,
    quantity: i64,
    metadata: BTreeMap<String, String>,
    adjustable: Option<(bool, Option<i64>)>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum ShipOf {
    Rate(usize),
    Data(i64, u32, usize),
}

impl ShipOf {
    fn amount(self) -> i64 {
        match self {
            ShipOf::Rate(i) => RATES[i].1,
            ShipOf::Data(amount, ..) => amount,
        }
    }
}

/// The session as the documentation says it must be.
#[derive(Debug, Clone, PartialEq, Default)]
struct Model {
    ui: Option<Ui>,
    items: Vec<Item>,
    metadata: BTreeMap<String, String>,
    shipping: Vec<ShipOf>,
    /// The length of the shipping details' name, once set.
    shipping_details: Option<usize>,
}

/// A predicted rejection: 400, the error's type, and its param and code where documented.
#[derive(Debug, Clone, PartialEq)]
struct Rejection {
    kind: &'static str,
    param: Option<String>,
    code: Option<&'static str>,
}

impl Rejection {
    fn invalid(param: String, code: Option<&'static str>) -> Rejection {
        Rejection {
            kind: "invalid_request_error",
            param: Some(param),
            code,
        }
    }
}

/// Metadata posted (`pairs`) applied to `current` at `param`: merged, an empty value unsets
/// the key; keys at most 40 characters, values 500, at most 50 keys after the update.
fn merge_metadata(
    current: &BTreeMap<String, String>,
    pairs: &[(String, String)],
    param: &str,
) -> Result<BTreeMap<String, String>, Rejection> {
    let mut next = current.clone();
    for (k, v) in pairs {
        if k.chars().count() > METADATA_KEY_MAX || v.chars().count() > METADATA_VALUE_MAX {
            return Err(Rejection::invalid(format!("{param}[{k}]"), None));
        }
        if v.is_empty() {
            next.remove(k);
        } else {
            next.insert(k.clone(), v.clone());
        }
    }
    if next.len() > METADATA_MAX_KEYS {
        return Err(Rejection::invalid(param.to_owned(), None));
    }
    Ok(next)
}

fn many_keys(n: usize) -> Vec<(String, String)> {
    (1..=n)
        .map(|i| (format!("key_{i}"), format!("value {i}")))
        .collect()
}

impl Model {
    fn created(ui: Ui, items: &[(usize, i64)]) -> Model {
        Model {
            ui: Some(ui),
            items: items
                .iter()
                .enumerate()
                .map(|(i, &(price, quantity))| Item {
                    handle: Handle::Created(i),
                    price: PriceOf::Named(price),
                    quantity,
                    metadata: BTreeMap::new(),
                    adjustable: None,
                })
                .collect(),
            ..Model::default()
        }
    }

    /// The documented effect of `change` (operation `tag`), or the documented rejection.
    fn apply(&self, tag: u32, change: &Change) -> Result<Model, Rejection> {
        let mut next = self.clone();
        match change {
            Change::Metadata(pairs) => {
                next.metadata = merge_metadata(&self.metadata, pairs, "metadata")?
            }
            Change::MetadataClear => next.metadata.clear(),
            Change::MetadataMany(n) => {
                next.metadata = merge_metadata(&self.metadata, &many_keys(*n), "metadata")?
            }
            Change::Shipping(options) => {
                if options.len() > SHIPPING_OPTIONS_MAX {
                    return Err(Rejection::invalid("shipping_options".into(), None));
                }
                next.shipping = options
                    .iter()
                    .enumerate()
                    .map(|(pos, o)| match *o {
                        Ship::Rate(i) => ShipOf::Rate(i),
                        Ship::Data(amount) => ShipOf::Data(amount, tag, pos),
                    })
                    .collect();
            }
            Change::ShippingDetails(len) => {
                // "Can only be set when updating embedded or custom sessions."
                if self.ui == Some(Ui::Hosted) {
                    return Err(Rejection::invalid("collected_information".into(), None));
                }
                if *len > SHIPPING_NAME_MAX {
                    return Err(Rejection::invalid(
                        "collected_information[shipping_details][name]".into(),
                        None,
                    ));
                }
                next.shipping_details = Some(*len);
            }
            Change::LineItems(_) if self.ui != Some(Ui::Custom) => {
                return Err(Rejection::invalid("line_items".into(), None))
            }
            Change::LineItems(elements) => {
                let mut items = Vec::with_capacity(elements.len());
                for (i, element) in elements.iter().enumerate() {
                    let at = |field: &str| format!("line_items[{i}][{field}]");
                    match element {
                        Element::UnknownId => {
                            return Err(Rejection::invalid(at("id"), Some("resource_missing")))
                        }
                        Element::Keep {
                            item,
                            quantity,
                            price,
                            metadata,
                            adjustable,
                        } => {
                            let Some(existing) = self.items.iter().find(|it| it.handle == *item)
                            else {
                                return Err(Rejection::invalid(at("id"), Some("resource_missing")));
                            };
                            let mut updated = existing.clone();
                            if let Some(p) = price {
                                updated.price = PriceOf::Named(*p);
                            }
                            if let Some(q) = quantity {
                                if *q < 1 {
                                    return Err(Rejection::invalid(at("quantity"), None));
                                }
                                updated.quantity = *q;
                            }
                            if let Some((enabled, maximum)) = adjustable {
                                if maximum.is_some_and(|m| !(1..=ADJUSTABLE_MAXIMUM).contains(&m)) {
                                    return Err(Rejection::invalid(
                                        at("adjustable_quantity][maximum"),
                                        None,
                                    ));
                                }
                                // "Setting to false will remove any previously specified
                                // constraints on quantity."
                                updated.adjustable = Some((*enabled, maximum.filter(|_| *enabled)));
                            }
                            updated.metadata =
                                merge_metadata(&existing.metadata, metadata, &at("metadata"))?;
                            items.push(updated);
                        }
                        Element::Add {
                            slot,
                            price,
                            quantity,
                        } => {
                            let handle = Handle::Added { tag, slot: *slot };
                            let price = match price {
                                NewPrice::Named(p) => PriceOf::Named(*p),
                                NewPrice::Data(amount) => PriceOf::Data(*amount, handle),
                                NewPrice::Neither => {
                                    return Err(Rejection::invalid(
                                        at("price"),
                                        Some("parameter_missing"),
                                    ))
                                }
                            };
                            let quantity = match quantity {
                                None => {
                                    return Err(Rejection::invalid(
                                        at("quantity"),
                                        Some("parameter_missing"),
                                    ))
                                }
                                Some(q) if *q < 1 => {
                                    return Err(Rejection::invalid(at("quantity"), None))
                                }
                                Some(q) => *q,
                            };
                            items.push(Item {
                                handle,
                                price,
                                quantity,
                                metadata: BTreeMap::new(),
                                adjustable: None,
                            });
                        }
                    }
                }
                next.items = items;
            }
        }
        Ok(next)
    }

    fn subtotal(&self) -> i64 {
        self.items.iter().map(|i| i.price.unit() * i.quantity).sum()
    }

    fn shipping_amount(&self) -> i64 {
        self.shipping.first().map_or(0, |s| s.amount())
    }
}

// ---------------------------------------------------------------- generation

fn word(rng: &mut fastrand::Rng) -> String {
    const WORDS: [&str; 8] = ["blue", "L", "6735", "gift wrap", "yes", "x", "red", "42"];
    WORDS[rng.usize(..WORDS.len())].to_owned()
}

fn metadata_pairs(rng: &mut fastrand::Rng, invalid: bool) -> Vec<(String, String)> {
    let mut keys: Vec<&str> = KEYS.to_vec();
    rng.shuffle(&mut keys);
    let mut pairs: Vec<(String, String)> = keys[..rng.usize(1..=3)]
        .iter()
        .map(|k| {
            let value = if rng.u8(..4) == 0 {
                String::new()
            } else {
                word(rng)
            };
            ((*k).to_owned(), value)
        })
        .collect();
    // At and around the documented limits.
    match (invalid, rng.u8(..6)) {
        (true, 0..=2) => pairs.push(("k".repeat(METADATA_KEY_MAX + 1), "v".into())),
        (true, _) => pairs.push(("long".into(), "v".repeat(METADATA_VALUE_MAX + 1))),
        (false, 0) => pairs.push(("k".repeat(METADATA_KEY_MAX), "v".into())),
        (false, 1) => pairs.push(("long".into(), "v".repeat(METADATA_VALUE_MAX))),
        _ => {}
    }
    pairs
}

fn new_price(rng: &mut fastrand::Rng) -> NewPrice {
    if rng.bool() {
        NewPrice::Named(rng.usize(..PRICES.len()))
    } else {
        NewPrice::Data(rng.i64(0..=30) * 100 + 50 * i64::from(rng.u8(..2)))
    }
}

fn line_items(rng: &mut fastrand::Rng, model: &Model, invalid: bool) -> Vec<Element> {
    let kept: Vec<&Item> = model.items.iter().filter(|_| rng.u8(..10) < 8).collect();
    let mut elements: Vec<Element> = kept
        .into_iter()
        .map(|item| {
            let mut quantity = None;
            let mut price = None;
            let mut metadata = Vec::new();
            let mut adjustable = None;
            match rng.u8(..10) {
                0..=2 => quantity = Some(rng.i64(1..=5)),
                3 => price = Some(rng.usize(..PRICES.len())),
                4 => metadata = metadata_pairs(rng, false),
                5 => {
                    adjustable = Some(if rng.bool() {
                        (true, Some([1, 10, ADJUSTABLE_MAXIMUM][rng.usize(..3)]))
                    } else {
                        (false, None)
                    })
                }
                _ => {}
            }
            Element::Keep {
                item: item.handle,
                quantity,
                price,
                metadata,
                adjustable,
            }
        })
        .collect();
    if rng.u8(..3) == 0 {
        rng.shuffle(&mut elements);
    }
    let adds = if elements.is_empty() {
        rng.u8(1..=2)
    } else {
        rng.u8(..=2)
    };
    for slot in 0..adds {
        let at = rng.usize(..=elements.len());
        elements.insert(
            at,
            Element::Add {
                slot,
                price: new_price(rng),
                quantity: Some(rng.i64(1..=4)),
            },
        );
    }
    elements.truncate(6);
    if invalid {
        let at = rng.usize(..elements.len());
        match (rng.u8(..4), &mut elements[at]) {
            (0, Element::Keep { quantity, .. } | Element::Add { quantity, .. }) => {
                *quantity = Some(0)
            }
            (1, Element::Keep { adjustable, .. }) => {
                *adjustable = Some((true, Some(ADJUSTABLE_MAXIMUM + 1)))
            }
            (1 | 2, Element::Add { quantity, .. }) => *quantity = None,
            (2, Element::Keep { .. }) => elements.insert(
                at,
                Element::Add {
                    slot: 9,
                    price: NewPrice::Neither,
                    quantity: Some(1),
                },
            ),
            _ => elements.insert(at, Element::UnknownId),
        }
    }
    elements
}

fn shipping(rng: &mut fastrand::Rng) -> Vec<Ship> {
    let n = match rng.u8(..8) {
        0 => rng.usize(6..=7),
        1 | 2 => 0,
        _ => rng.usize(1..=5),
    };
    (0..n)
        .map(|_| {
            if rng.bool() {
                Ship::Rate(rng.usize(..RATES.len()))
            } else {
                Ship::Data([0, 300, 500, 1000][rng.usize(..4)])
            }
        })
        .collect()
}

fn change(rng: &mut fastrand::Rng, model: &Model) -> Change {
    let invalid = rng.u8(..6) == 0;
    match rng.u8(..100) {
        0..=29 => Change::Metadata(metadata_pairs(rng, invalid)),
        30..=34 => Change::MetadataClear,
        35..=38 => Change::MetadataMany(rng.usize(48..=51)),
        // Line items are rejected on sessions that are not custom UI: try those less often there.
        39..=74 if model.ui != Some(Ui::Custom) && rng.bool() => Change::ShippingDetails(
            [1, 20, SHIPPING_NAME_MAX, SHIPPING_NAME_MAX + 1][rng.usize(..4)],
        ),
        39..=74 => Change::LineItems(line_items(rng, model, invalid)),
        75..=82 => Change::ShippingDetails(
            [1, 20, SHIPPING_NAME_MAX, SHIPPING_NAME_MAX + 1][rng.usize(..4)],
        ),
        _ => Change::Shipping(shipping(rng)),
    }
}

// ---------------------------------------------------------------- execution

/// Ids the target gave, bound when first seen: a slot keeps its id, and a new object's id is
/// none of the ids seen before.
#[derive(Debug, Default)]
struct Bindings {
    ids: HashMap<String, String>,
    seen: BTreeSet<String>,
}

impl Bindings {
    fn bind(&mut self, slot: String, actual: &Value) -> Value {
        if let Some(id) = self.ids.get(&slot) {
            return Value::String(id.clone());
        }
        match actual.as_str() {
            Some(id) if !self.seen.contains(id) => {
                self.seen.insert(id.to_owned());
                self.ids.insert(slot, id.to_owned());
                actual.clone()
            }
            _ => Value::String(format!("a new id for {slot}, none seen before")),
        }
    }

    fn get(&self, slot: &str) -> Option<&String> {
        self.ids.get(slot)
    }
}

fn item_slot(handle: Handle) -> String {
    format!("line item {handle:?}")
}

/// The fields of a session the model speaks of, from an answer or a read-back.
fn observe(body: &Value, with_items: bool) -> Value {
    let items = |data: &Value| -> Value {
        data.as_array()
            .map(|items| {
                items
                    .iter()
                    .map(|li| {
                        let a = &li["adjustable_quantity"];
                        json!({
                            "id": li["id"],
                            "price": li["price"]["id"],
                            "unit_amount": li["price"]["unit_amount"],
                            "quantity": li["quantity"],
                            "metadata": li["metadata"],
                            "adjustable_quantity": if a.is_object() { json!({"enabled": a["enabled"], "maximum": a["maximum"]}) } else { Value::Null },
                        })
                    })
                    .collect()
            })
            .unwrap_or(Value::Null)
    };
    let options: Vec<Value> = body["shipping_options"]
        .as_array()
        .map(|o| {
            o.iter()
                .map(|o| json!({"shipping_rate": o["shipping_rate"], "shipping_amount": o["shipping_amount"]}))
                .collect()
        })
        .unwrap_or_default();
    json!({
        "id": body["id"],
        "status": body["status"],
        "expires_at": body["expires_at"],
        "metadata": body["metadata"],
        "line_items": if with_items { items(&body["line_items"]["data"]) } else { body.get("line_items").cloned().unwrap_or(Value::Null) },
        "shipping_options": options,
        "amount_subtotal": body["amount_subtotal"],
        "amount_shipping": body["total_details"]["amount_shipping"],
        "amount_total": body["amount_total"],
        "shipping_details": {
            "name": body["collected_information"]["shipping_details"]["name"],
            "country": body["collected_information"]["shipping_details"]["address"]["country"],
        },
    })
}

impl StripeExplorer {
    /// What the model says `observed` must be (ids bound as they are first seen).
    fn expect(
        &self,
        model: &Model,
        observed: &Value,
        with_items: bool,
        bindings: &mut Bindings,
    ) -> Value {
        let items = if with_items {
            // Borrowed: the observation is only read.
            let actual: &[Value] = observed["line_items"].as_array().map_or(&[], Vec::as_slice);
            Value::Array(
                model
                    .items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        let seen = actual.get(i).unwrap_or(&Value::Null);
                        let price = match &item.price {
                            PriceOf::Named(p) => json!(self.prices[*p]),
                            PriceOf::Data(_, h) => {
                                bindings.bind(format!("price of {h:?}"), &seen["price"])
                            }
                        };
                        json!({
                            "id": bindings.bind(item_slot(item.handle), &seen["id"]),
                            "price": price,
                            "unit_amount": item.price.unit(),
                            "quantity": item.quantity,
                            "metadata": item.metadata,
                            "adjustable_quantity": item.adjustable.map(|(e, m)| json!({"enabled": e, "maximum": m})),
                        })
                    })
                    .collect(),
            )
        } else {
            Value::Null
        };
        let options: Vec<Value> = model
            .shipping
            .iter()
            .enumerate()
            .map(|(i, o)| {
                let seen = &observed["shipping_options"][i]["shipping_rate"];
                let rate = match *o {
                    ShipOf::Rate(r) => json!(self.rates[r]),
                    ShipOf::Data(_, tag, pos) => bindings.bind(format!("rate {tag}.{pos}"), seen),
                };
                json!({"shipping_rate": rate, "shipping_amount": o.amount()})
            })
            .collect();
        json!({
            "id": bindings.get("session").cloned(),
            "status": "open",
            "expires_at": bindings.get("expires_at").and_then(|e| e.parse::<i64>().ok()),
            "metadata": model.metadata,
            "line_items": items,
            "shipping_options": options,
            "amount_subtotal": model.subtotal(),
            "amount_shipping": model.shipping_amount(),
            "amount_total": model.subtotal() + model.shipping_amount(),
            "shipping_details": {
                "name": model.shipping_details.map(|len| "n".repeat(len)),
                "country": model.shipping_details.map(|_| "US"),
            },
        })
    }

    /// The parameters of `change`, with the ids the target gave.
    fn params(&self, change: &Change, expand: bool, bindings: &Bindings) -> Result<Value, Stop> {
        let mut params = match change {
            Change::Metadata(pairs) => {
                json!({"metadata": pairs.iter().map(|(k, v)| (k.clone(), json!(v))).collect::<Map<_, _>>()})
            }
            Change::MetadataClear => json!({"metadata": ""}),
            Change::ShippingDetails(len) => json!({"collected_information": {"shipping_details": {
                "name": "n".repeat(*len),
                "address": {"country": "US", "line1": "1 Main Street"},
            }}}),
            Change::MetadataMany(n) => {
                json!({"metadata": many_keys(*n).into_iter().map(|(k, v)| (k, json!(v))).collect::<Map<_, _>>()})
            }
            Change::Shipping(options) if options.is_empty() => json!({"shipping_options": ""}),
            Change::Shipping(options) => json!({"shipping_options": options
                .iter()
                .map(|o| match *o {
                    Ship::Rate(r) => json!({"shipping_rate": self.rates[r]}),
                    Ship::Data(amount) => rate_data(amount),
                })
                .collect::<Vec<_>>()}),
            Change::LineItems(elements) => {
                let items = elements
                    .iter()
                    .map(|e| {
                        element_params(
                            e,
                            |h| bindings.get(&item_slot(h)).cloned(),
                            |p| json!(self.prices[p]),
                        )
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                json!({ "line_items": items })
            }
        };
        if expand {
            params["expand"] = json!(["line_items"]);
        }
        Ok(params)
    }

    async fn create(
        &self,
        target: &Target,
        case: &StripeCase,
        bindings: &mut Bindings,
    ) -> Result<String, Stop> {
        let params = json!({
            "mode": "payment",
            "ui_mode": case.ui.mode(),
            "line_items": case.items.iter().map(|&(p, q)| json!({"price": self.prices[p], "quantity": q})).collect::<Vec<_>>(),
        });
        let mut params = params;
        if case.ui == Ui::Hosted {
            params["success_url"] = json!("https://example.com/success");
        } else {
            params["return_url"] = json!("https://example.com/return");
        }
        let created = target
            .send(
                "POST",
                super::SESSIONS_PATH,
                Provider::Stripe.update_body(&params),
                None,
            )
            .await?;
        let Some(id) = created.body["id"]
            .as_str()
            .filter(|_| created.status == 200)
        else {
            return Err(Stop::Setup(format!(
                "creating the session answered {}\n{}",
                created.status,
                created.describe()
            )));
        };
        target.note_created(id);
        bindings.bind("session".into(), &json!(id));
        bindings
            .ids
            .insert("expires_at".into(), created.body["expires_at"].to_string());
        let path = format!("{}/{id}/line_items?limit=100", super::SESSIONS_PATH);
        let list = target.send("GET", &path, Body::Empty, None).await?;
        let data = list.body["data"].as_array().cloned().unwrap_or_default();
        let held: Vec<Value> = data.iter().map(|li| li["quantity"].clone()).collect();
        let given: Vec<Value> = case.items.iter().map(|&(_, q)| json!(q)).collect();
        if list.status != 200 || held != given {
            return Err(Stop::Setup(format!(
                "the created session's line items do not hold what was given\n{}",
                list.describe()
            )));
        }
        for (i, li) in data.iter().enumerate() {
            bindings.bind(item_slot(Handle::Created(i)), &li["id"]);
        }
        Ok(id.to_owned())
    }
}

fn rate_data(amount: i64) -> Value {
    json!({"shipping_rate_data": {
        "display_name": format!("Rate {amount}"),
        "type": "fixed_amount",
        "fixed_amount": {"amount": amount, "currency": "usd"},
    }})
}

/// One element of `line_items` as JSON; `id` gives an item's id, `price` a price's.
fn element_params(
    element: &Element,
    id: impl Fn(Handle) -> Option<String>,
    price: impl Fn(usize) -> Value,
) -> Result<Value, Stop> {
    Ok(match element {
        Element::UnknownId => json!({"id": "li_explore_not_in_this_session"}),
        Element::Keep {
            item,
            quantity,
            price: new,
            metadata,
            adjustable,
        } => {
            let id =
                id(*item).ok_or_else(|| Stop::Invalid(format!("no id for line item {item:?}")))?;
            let mut e = json!({ "id": id });
            if let Some(q) = quantity {
                e["quantity"] = json!(q);
            }
            if let Some(p) = new {
                e["price"] = price(*p);
            }
            if !metadata.is_empty() {
                e["metadata"] = metadata
                    .iter()
                    .map(|(k, v)| (k.clone(), json!(v)))
                    .collect::<Map<_, _>>()
                    .into();
            }
            if let Some((enabled, maximum)) = adjustable {
                e["adjustable_quantity"] = json!({ "enabled": enabled });
                if let Some(m) = maximum {
                    e["adjustable_quantity"]["maximum"] = json!(m);
                }
            }
            e
        }
        Element::Add {
            price: new,
            quantity,
            ..
        } => {
            let mut e = match new {
                NewPrice::Named(p) => json!({ "price": price(*p) }),
                NewPrice::Data(amount) => json!({"price_data": {
                    "currency": "usd",
                    "unit_amount": amount,
                    "product_data": {"name": format!("Item {amount}")},
                }}),
                NewPrice::Neither => json!({}),
            };
            if let Some(q) = quantity {
                e["quantity"] = json!(q);
            }
            e
        }
    })
}

/// The top-level fields of two projections that differ, for a mismatch's kind.
fn differing(expected: &Value, actual: &Value) -> String {
    let keys: Vec<&str> = expected
        .as_object()
        .map(|o| {
            o.iter()
                .filter(|(k, v)| actual.get(k.as_str()) != Some(v))
                .map(|(k, _)| k.as_str())
                .collect()
        })
        .unwrap_or_default();
    keys.first().copied().unwrap_or("session").to_owned()
}

fn error_fields(body: &Value, status: u16, rejection: &Rejection) -> (Value, Value) {
    let error = &body["error"];
    let mut expected = json!({"status": 400, "type": rejection.kind});
    let mut actual = json!({"status": status, "type": error["type"]});
    if let Some(param) = &rejection.param {
        expected["param"] = json!(param);
        actual["param"] = error["param"].clone();
    }
    if let Some(code) = rejection.code {
        expected["code"] = json!(code);
        actual["code"] = error["code"].clone();
    }
    (expected, actual)
}

impl StripeExplorer {
    async fn run_case(&self, target: &Target, case: &StripeCase) -> Result<(), Stop> {
        let mut bindings = Bindings::default();
        let id = self.create(target, case, &mut bindings).await?;
        let path = format!("{}/{id}", super::SESSIONS_PATH);
        let nonce: String = (0..12).map(|_| fastrand::alphanumeric()).collect();
        let mut model = Model::created(case.ui, &case.items);
        let mut answers: HashMap<u32, (u16, Value, String, Body)> = HashMap::new();
        for (step, op) in case.ops.iter().enumerate() {
            let n = step + 1;
            match op {
                Op::Update {
                    tag,
                    expand,
                    key_of,
                    change,
                } => {
                    let body =
                        Provider::Stripe.update_body(&self.params(change, *expand, &bindings)?);
                    let key = match key_of {
                        Some(of) => answers
                            .get(of)
                            .map(|a| a.2.clone())
                            .ok_or_else(|| Stop::Invalid(format!("no answer of operation {of}")))?,
                        None => format!("explore-{nonce}-{tag}"),
                    };
                    let exchange = target.send("POST", &path, body.clone(), Some(&key)).await?;
                    let predicted = match key_of {
                        Some(_) => Err(Rejection {
                            kind: "idempotency_error",
                            param: None,
                            code: None,
                        }),
                        None => model.apply(*tag, change),
                    };
                    match predicted {
                        Ok(next) => {
                            if exchange.status != 200 {
                                return Err(Stop::mismatch(
                                    step,
                                    "status",
                                    format!("the answer to update {n}"),
                                    json!({"status": 200}),
                                    json!({"status": exchange.status, "error": exchange.body["error"]}),
                                    exchange.describe(),
                                ));
                            }
                            let actual = observe(&exchange.body, *expand);
                            let mut expected = self.expect(&next, &actual, *expand, &mut bindings);
                            if !*expand {
                                expected["line_items"] = Value::Null;
                            }
                            if expected != actual {
                                return Err(Stop::mismatch(
                                    step,
                                    differing(&expected, &actual),
                                    format!("the answer to update {n}"),
                                    expected,
                                    actual,
                                    exchange.describe(),
                                ));
                            }
                            model = next;
                            if key_of.is_none() {
                                answers.insert(*tag, (exchange.status, exchange.body, key, body));
                            }
                        }
                        Err(rejection) => {
                            let (expected, actual) =
                                error_fields(&exchange.body, exchange.status, &rejection);
                            if expected != actual {
                                let kind = if exchange.status == 400 {
                                    rejection.kind
                                } else {
                                    "status"
                                };
                                return Err(Stop::mismatch(
                                    step,
                                    kind,
                                    format!("the answer to update {n}"),
                                    expected,
                                    actual,
                                    exchange.describe(),
                                ));
                            }
                        }
                    }
                }
                Op::Replay { of } => {
                    let (status, first, key, body) = answers.get(of).cloned().ok_or_else(|| {
                        Stop::Invalid(format!("no answer of operation {of} to replay"))
                    })?;
                    let exchange = target.send("POST", &path, body, Some(&key)).await?;
                    let expected = json!({"status": status, "body": first});
                    let actual = json!({"status": exchange.status, "body": exchange.body});
                    if expected != actual {
                        return Err(Stop::mismatch(
                            step,
                            "idempotency",
                            format!("the answer to update {n}, a replay of an earlier update with its Idempotency-Key"),
                            expected,
                            actual,
                            exchange.describe(),
                        ));
                    }
                }
            }
            let read = target
                .send(
                    "GET",
                    &format!("{path}?expand[]=line_items"),
                    Body::Empty,
                    None,
                )
                .await?;
            let actual = observe(&read.body, true);
            let expected = self.expect(&model, &actual, true, &mut bindings);
            if read.status != 200 || expected != actual {
                return Err(Stop::mismatch(
                    step,
                    format!("read-back {}", differing(&expected, &actual)),
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

// ---------------------------------------------------------------- shrinking

/// Drops what refers to operations or items a shrunk case lost: elements naming items never
/// added, replays of removed operations, keys of removed operations.
fn normalize(mut case: StripeCase) -> Option<StripeCase> {
    let tags: BTreeSet<u32> = case
        .ops
        .iter()
        .filter_map(|op| match op {
            Op::Update {
                tag, key_of: None, ..
            } => Some(*tag),
            _ => None,
        })
        .collect();
    let mut added: BTreeSet<Handle> = (0..case.items.len()).map(Handle::Created).collect();
    let mut ops = Vec::with_capacity(case.ops.len());
    for op in case.ops {
        match op {
            Op::Replay { of } if !tags.contains(&of) => {}
            Op::Update {
                tag,
                expand,
                key_of,
                change,
            } => {
                let change = match change {
                    Change::LineItems(elements) => {
                        let elements: Vec<Element> = elements
                            .into_iter()
                            .filter(|e| !matches!(e, Element::Keep { item, .. } if !added.contains(item)))
                            .collect();
                        for e in &elements {
                            if let Element::Add { slot, .. } = e {
                                added.insert(Handle::Added { tag, slot: *slot });
                            }
                        }
                        if elements.is_empty() {
                            continue;
                        }
                        Change::LineItems(elements)
                    }
                    other => other,
                };
                ops.push(Op::Update {
                    tag,
                    expand,
                    key_of: key_of.filter(|k| tags.contains(k)),
                    change,
                });
            }
            replay => ops.push(replay),
        }
    }
    case.ops = ops;
    (!case.items.is_empty()).then_some(case)
}

fn simpler_ops(op: &Op) -> Vec<Op> {
    let Op::Update {
        tag,
        expand,
        key_of,
        change,
    } = op
    else {
        return Vec::new();
    };
    let with = |change: Change, expand: bool| Op::Update {
        tag: *tag,
        expand,
        key_of: *key_of,
        change,
    };
    let mut out = Vec::new();
    if *expand {
        out.push(with(change.clone(), false));
    }
    match change {
        Change::Metadata(pairs) if pairs.len() > 1 => {
            for i in 0..pairs.len() {
                let mut fewer = pairs.clone();
                fewer.remove(i);
                out.push(with(Change::Metadata(fewer), *expand));
            }
        }
        Change::LineItems(elements) => {
            for i in 0..elements.len() {
                if elements.len() > 1 {
                    let mut fewer = elements.clone();
                    fewer.remove(i);
                    out.push(with(Change::LineItems(fewer), *expand));
                }
                if let Element::Keep {
                    item,
                    quantity,
                    price,
                    metadata,
                    adjustable,
                } = &elements[i]
                {
                    if quantity.is_some()
                        || price.is_some()
                        || !metadata.is_empty()
                        || adjustable.is_some()
                    {
                        let mut plain = elements.clone();
                        plain[i] = Element::Keep {
                            item: *item,
                            quantity: *quantity,
                            price: None,
                            metadata: Vec::new(),
                            adjustable: None,
                        };
                        if plain != *elements {
                            out.push(with(Change::LineItems(plain), *expand));
                        }
                    }
                }
            }
        }
        Change::Shipping(options) if !options.is_empty() => {
            let mut fewer = options.clone();
            fewer.pop();
            out.push(with(Change::Shipping(fewer), *expand));
        }
        _ => {}
    }
    out
}

/// The operations with each element of each retransmission mapped by `f` (given the operation's
/// tag; `None` drops the element).
fn map_elements(ops: &[Op], f: impl Fn(u32, &Element) -> Option<Element>) -> Vec<Op> {
    ops.iter()
        .map(|op| match op {
            Op::Update {
                tag,
                expand,
                key_of,
                change: Change::LineItems(elements),
            } => Op::Update {
                tag: *tag,
                expand: *expand,
                key_of: *key_of,
                change: Change::LineItems(elements.iter().filter_map(|e| f(*tag, e)).collect()),
            },
            other => other.clone(),
        })
        .collect()
}

impl Element {
    /// A retained element naming `item` instead (other elements unchanged).
    fn with_item(&self, item: Handle) -> Element {
        match self {
            Element::Keep {
                quantity,
                price,
                metadata,
                adjustable,
                ..
            } => Element::Keep {
                item,
                quantity: *quantity,
                price: *price,
                metadata: metadata.clone(),
                adjustable: *adjustable,
            },
            other => other.clone(),
        }
    }
}

/// The case with a line item an update adds by price (and a later update names) created with
/// the session instead: a later update can then name it as `{line item N}`, which the suite's
/// steps can write. Shrinking keeps the candidate only when it fails the same way.
fn created_instead(case: &StripeCase) -> Option<StripeCase> {
    let named: BTreeSet<Handle> = case
        .ops
        .iter()
        .filter_map(|op| match op {
            Op::Update {
                change: Change::LineItems(elements),
                ..
            } => Some(elements),
            _ => None,
        })
        .flatten()
        .filter_map(|e| match e {
            Element::Keep {
                item: item @ Handle::Added { .. },
                ..
            } => Some(*item),
            _ => None,
        })
        .collect();
    let (tag, slot, price, quantity) = case.ops.iter().find_map(|op| match op {
        Op::Update {
            tag,
            change: Change::LineItems(elements),
            ..
        } => elements.iter().find_map(|e| match e {
            Element::Add {
                slot,
                price: NewPrice::Named(p),
                quantity: Some(q),
            } if *q >= 1
                && named.contains(&Handle::Added {
                    tag: *tag,
                    slot: *slot,
                }) =>
            {
                Some((*tag, *slot, *p, *q))
            }
            _ => None,
        }),
        _ => None,
    })?;
    let from = Handle::Added { tag, slot };
    let to = Handle::Created(case.items.len());
    let mut items = case.items.clone();
    items.push((price, quantity));
    let ops = map_elements(&case.ops, |t, e| match e {
        Element::Add { slot: s, .. } if t == tag && *s == slot => Some(Element::Keep {
            item: to,
            quantity: Some(quantity),
            price: None,
            metadata: Vec::new(),
            adjustable: None,
        }),
        Element::Keep { item, .. } if *item == from => Some(e.with_item(to)),
        other => Some(other.clone()),
    });
    Some(StripeCase {
        ui: case.ui,
        items,
        ops,
    })
}

impl Explorer for StripeExplorer {
    type Case = StripeCase;

    fn provider(&self) -> Provider {
        Provider::Stripe
    }

    async fn prepare(&mut self, target: &Target) -> Result<(), Stop> {
        for (name, amount) in PRICES {
            let params =
                json!({"currency": "usd", "unit_amount": amount, "product_data": {"name": name}});
            let price = target
                .send(
                    "POST",
                    "/v1/prices",
                    Provider::Stripe.update_body(&params),
                    None,
                )
                .await?;
            let Some(id) = price.body["id"].as_str().filter(|_| price.status == 200) else {
                return Err(Stop::Setup(format!(
                    "creating price `{name}`\n{}",
                    price.describe()
                )));
            };
            self.prices.push(id.to_owned());
        }
        for (name, amount) in RATES {
            let params = json!({"display_name": name, "type": "fixed_amount", "fixed_amount": {"amount": amount, "currency": "usd"}});
            let rate = target
                .send(
                    "POST",
                    "/v1/shipping_rates",
                    Provider::Stripe.update_body(&params),
                    None,
                )
                .await?;
            let Some(id) = rate.body["id"].as_str().filter(|_| rate.status == 200) else {
                return Err(Stop::Setup(format!(
                    "creating shipping rate `{name}`\n{}",
                    rate.describe()
                )));
            };
            self.rates.push(id.to_owned());
        }
        Ok(())
    }

    fn generate(&self, rng: &mut fastrand::Rng, max_steps: usize) -> StripeCase {
        let items: Vec<(usize, i64)> = (0..rng.usize(1..=6))
            .map(|_| (rng.usize(..PRICES.len()), rng.i64(1..=3)))
            .collect();
        let ui = match rng.u8(..10) {
            0 => Ui::Embedded,
            1 => Ui::Hosted,
            _ => Ui::Custom,
        };
        let mut model = Model::created(ui, &items);
        let mut ops = Vec::new();
        let mut succeeded: Vec<(u32, Change, bool)> = Vec::new();
        for tag in 0..rng.usize(1..=max_steps.max(1)) as u32 {
            let expand = rng.u8(..5) == 0;
            let roll = rng.u8(..100);
            if roll < 8 && !succeeded.is_empty() {
                let (of, ..) = succeeded[rng.usize(..succeeded.len())];
                ops.push(Op::Replay { of });
                continue;
            }
            if roll < 13 && !succeeded.is_empty() {
                let (of, first, first_expand) = succeeded[rng.usize(..succeeded.len())].clone();
                let mut other = change(rng, &model);
                if other == first && expand == first_expand {
                    other = Change::MetadataClear;
                    if other == first {
                        other = Change::Metadata(vec![("note".into(), "other".into())]);
                    }
                }
                ops.push(Op::Update {
                    tag,
                    expand,
                    key_of: Some(of),
                    change: other,
                });
                continue;
            }
            let change = change(rng, &model);
            if let Ok(next) = model.apply(tag, &change) {
                model = next;
                succeeded.push((tag, change.clone(), expand));
            }
            ops.push(Op::Update {
                tag,
                expand,
                key_of: None,
                change,
            });
        }
        StripeCase { ui, items, ops }
    }

    fn steps(&self, case: &StripeCase) -> usize {
        case.ops.len()
    }

    async fn execute(&self, target: &Target, case: &StripeCase) -> Result<(), Stop> {
        self.run_case(target, case).await
    }

    fn shrink(&self, case: &StripeCase) -> Vec<StripeCase> {
        let mut out = Vec::new();
        for ops in removals(&case.ops) {
            out.push(StripeCase {
                ui: case.ui,
                items: case.items.clone(),
                ops,
            });
        }
        for i in (0..case.items.len()).rev() {
            if case.items.len() > 1 {
                let mut items = case.items.clone();
                items.remove(i);
                let renumber = |h: Handle| match h {
                    Handle::Created(j) if j > i => Some(Handle::Created(j - 1)),
                    Handle::Created(j) if j == i => None,
                    other => Some(other),
                };
                let ops = map_elements(&case.ops, |_, e| match e {
                    Element::Keep { item, .. } => renumber(*item).map(|item| e.with_item(item)),
                    other => Some(other.clone()),
                });
                out.push(StripeCase {
                    ui: case.ui,
                    items,
                    ops,
                });
            }
        }
        for (i, op) in case.ops.iter().enumerate() {
            for simpler in simpler_ops(op) {
                let mut ops = case.ops.clone();
                ops[i] = simpler;
                out.push(StripeCase {
                    ui: case.ui,
                    items: case.items.clone(),
                    ops,
                });
            }
        }
        out.extend(created_instead(case));
        if case.items.iter().any(|&(_, q)| q != 1) {
            out.push(StripeCase {
                ui: case.ui,
                items: case.items.iter().map(|&(p, _)| (p, 1)).collect(),
                ops: case.ops.clone(),
            });
        }
        out.into_iter()
            .filter_map(normalize)
            .filter(|c| c != case)
            .collect()
    }

    fn scenario(&self, case: &StripeCase, mismatch: &Mismatch, title: &str) -> Scenario {
        render(case, mismatch, title)
    }
}

// ---------------------------------------------------------------- rendering

/// The case up to the mismatch, written with the suite's steps: prices and rates by name,
/// line items the session was created with as `{line item N}`.
fn render(case: &StripeCase, mismatch: &Mismatch, title: &str) -> Scenario {
    let ops = &case.ops[..=mismatch.step.min(case.ops.len().saturating_sub(1))];
    let mut not_expressible: Vec<String> = Vec::new();
    let mut clauses: BTreeSet<&str> = BTreeSet::new();
    let mut prices: BTreeSet<usize> = case.items.iter().map(|&(p, _)| p).collect();
    let mut rates: BTreeSet<usize> = BTreeSet::new();
    let mut whens = String::new();
    let mut model = Model::created(case.ui, &case.items);
    let mut last: Option<Result<(), Rejection>> = None;
    let mut expanded_before = false;
    let mut last_expand = false;
    for op in ops {
        let (tag, expand, key_of, change) = match op {
            Op::Replay { .. } => {
                not_expressible.push("it sends an update again with the same Idempotency-Key (no step of the suite does)".into());
                last = Some(Ok(()));
                continue;
            }
            Op::Update {
                tag,
                expand,
                key_of,
                change,
            } => (*tag, *expand, *key_of, change),
        };
        if key_of.is_some() {
            not_expressible.push(
                "it reuses an Idempotency-Key with other parameters (no step of the suite does)"
                    .into(),
            );
        }
        match change {
            Change::ShippingDetails(_) => {
                clauses.insert("collected_information.custom-or-embedded");
                clauses.insert("collected_information.name");
            }
            Change::Metadata(pairs) => {
                clauses.insert("metadata.merge");
                if pairs.iter().any(|(_, v)| v.is_empty()) {
                    clauses.insert("metadata.unset-key");
                }
            }
            Change::MetadataClear => {
                clauses.insert("metadata.unset-all");
            }
            Change::MetadataMany(_) => {
                clauses.insert("metadata.limits");
            }
            Change::Shipping(options) => {
                clauses.insert(if options.is_empty() {
                    "shipping_options.clear"
                } else if options.len() > SHIPPING_OPTIONS_MAX {
                    "shipping_options.maximum"
                } else {
                    "shipping_options.replace"
                });
                for o in options {
                    if let Ship::Rate(r) = o {
                        rates.insert(*r);
                    }
                }
            }
            Change::LineItems(elements) => {
                clauses.insert("line_items.retransmit");
                for e in elements {
                    match e {
                        Element::Keep { item: Handle::Added { tag, .. }, .. } => not_expressible.push(format!(
                            "it retransmits a line item added by update {tag}, whose id only the target knows (the suite's placeholders name the line items of the creation)"
                        )),
                        Element::Keep { price: Some(p), .. } => {
                            prices.insert(*p);
                        }
                        Element::Add { price: NewPrice::Named(p), .. } => {
                            prices.insert(*p);
                        }
                        _ => {}
                    }
                }
            }
        }
        if expand {
            clauses.insert("expand.line_items");
        }
        let params = {
            let mut p = match change {
                Change::Metadata(_)
                | Change::MetadataClear
                | Change::MetadataMany(_)
                | Change::ShippingDetails(_)
                | Change::Shipping(_) => {
                    let explorer = StripeExplorer {
                        prices: PRICES
                            .iter()
                            .map(|(n, _)| format!("{{price {n}}}"))
                            .collect(),
                        rates: RATES
                            .iter()
                            .map(|(n, _)| format!("{{shipping rate {n}}}"))
                            .collect(),
                    };
                    explorer
                        .params(change, false, &Bindings::default())
                        .unwrap_or(Value::Null)
                }
                Change::LineItems(elements) => json!({"line_items": elements
                    .iter()
                    .filter_map(|e| element_params(
                        e,
                        |h| Some(match h {
                            Handle::Created(i) => format!("{{line item {}}}", i + 1),
                            Handle::Added { tag, slot } => format!("li_added_by_update_{tag}_{slot}"),
                        }),
                        |p| json!(format!("{{price {}}}", PRICES[p].0)),
                    ).ok())
                    .collect::<Vec<_>>()}),
            };
            if expand {
                p["expand"] = json!(["line_items"]);
            }
            p
        };
        whens.push_str(if whens.is_empty() {
            "    When I update the session with the parameters:\n"
        } else {
            "    And I update the session with the parameters:\n"
        });
        whens.push_str(&json_docstring(&params));
        let predicted = match key_of {
            Some(_) => Err(Rejection {
                kind: "idempotency_error",
                param: None,
                code: None,
            }),
            None => model.apply(tag, change),
        };
        expanded_before |= last_expand && matches!(last, Some(Ok(())));
        last_expand = expand;
        last = Some(match predicted {
            Ok(next) => {
                model = next;
                Ok(())
            }
            Err(r) => Err(r),
        });
    }
    let mut text = String::new();
    let tags: Vec<String> = clauses.iter().map(|c| format!("@doc:{c}")).collect();
    text.push_str(&format!(
        "  @explore {}\n  Scenario: {title}: {}\n",
        tags.join(" "),
        mismatch.what
    ));
    let mut first = true;
    let mut given = |line: String, text: &mut String| {
        text.push_str(if first { "    Given " } else { "    And " });
        text.push_str(&line);
        text.push('\n');
        first = false;
    };
    for p in &prices {
        given(
            format!("a price \"{}\" of {} usd", PRICES[*p].0, PRICES[*p].1),
            &mut text,
        );
    }
    for r in &rates {
        given(
            format!("a shipping rate \"{}\" of {} usd", RATES[*r].0, RATES[*r].1),
            &mut text,
        );
    }
    given(
        format!(
            "an open {} checkout session with line items:",
            case.ui.sentence()
        ),
        &mut text,
    );
    let mut rows = vec![vec!["price".to_owned(), "quantity".to_owned()]];
    rows.extend(
        case.items
            .iter()
            .map(|&(p, q)| vec![PRICES[p].0.to_owned(), q.to_string()]),
    );
    text.push_str(&table(&rows));
    text.push_str(&whens);
    match last {
        Some(Err(r)) => {
            match &r.param {
                Some(param) => text.push_str(&format!(
                    "    Then the update is rejected with an {} on \"{param}\"\n",
                    r.kind
                )),
                None => text.push_str(&format!(
                    "    Then the update is rejected with an {}\n",
                    r.kind
                )),
            }
            if !expanded_before {
                text.push_str("    And the session is unchanged\n");
            }
        }
        _ => {
            text.push_str("    Then the update succeeds\n");
            let items = line_items_table(&model);
            text.push_str("    And the session's line items are:\n");
            text.push_str(&items);
            if last_expand {
                text.push_str("    And the response includes the line items:\n");
                text.push_str(&items);
            } else {
                text.push_str("    And the response does not include the line items\n");
            }
            if model.metadata.is_empty() {
                text.push_str("    And the session has no metadata\n");
            } else {
                text.push_str("    And the session's metadata is:\n");
                let rows: Vec<Vec<String>> = model
                    .metadata
                    .iter()
                    .map(|(k, v)| vec![k.clone(), v.clone()])
                    .collect();
                text.push_str(&table(&rows));
            }
            text.push_str("    And the session's totals are:\n");
            let shipping = model.shipping_amount();
            text.push_str(&table(&[
                vec![
                    "amount_subtotal".into(),
                    "total_details.amount_shipping".into(),
                    "amount_total".into(),
                ],
                vec![
                    model.subtotal().to_string(),
                    shipping.to_string(),
                    (model.subtotal() + shipping).to_string(),
                ],
            ]));
            text.push_str(&format!(
                "    And the session has {} shipping options\n",
                model.shipping.len()
            ));
            if let Some(len) = model.shipping_details {
                text.push_str("    And the session's shipping details are:\n");
                text.push_str(&table(&[
                    vec!["name".into(), "n".repeat(len)],
                    vec!["address.country".into(), "US".into()],
                ]));
            }
            text.push_str("    And the change persists\n");
        }
    }
    let rows: Vec<(i64, i64, &BTreeMap<String, String>)> = model
        .items
        .iter()
        .map(|i| (i.price.unit(), i.quantity, &i.metadata))
        .collect();
    if (1..rows.len()).any(|i| rows[..i].contains(&rows[i])) {
        not_expressible.push(
            "two line items differ only by their ids, which the suite's tables do not compare"
                .into(),
        );
    }
    not_expressible.dedup();
    Scenario {
        text,
        not_expressible: (!not_expressible.is_empty()).then(|| not_expressible.join("; ")),
    }
}

/// `the session's line items are:`: ids where the suite can name them, the price by name
/// where every price has one, the quantity, metadata and adjustable quantity where set.
fn line_items_table(model: &Model) -> String {
    let created = model
        .items
        .iter()
        .all(|i| matches!(i.handle, Handle::Created(_)));
    let named = model
        .items
        .iter()
        .all(|i| matches!(i.price, PriceOf::Named(_)));
    let keys: BTreeSet<&String> = model.items.iter().flat_map(|i| i.metadata.keys()).collect();
    let adjustable = model.items.iter().any(|i| i.adjustable.is_some());
    let mut header = Vec::new();
    if created {
        header.push("id".to_owned());
    }
    header.push(
        if named {
            "price.id"
        } else {
            "price.unit_amount"
        }
        .to_owned(),
    );
    header.push("quantity".to_owned());
    header.extend(keys.iter().map(|k| format!("metadata.{k}")));
    if adjustable {
        header.push("adjustable_quantity.enabled".into());
        header.push("adjustable_quantity.maximum".into());
    }
    let mut rows = vec![header];
    for item in &model.items {
        let mut row = Vec::new();
        if let (true, Handle::Created(i)) = (created, item.handle) {
            row.push(format!("{{line item {}}}", i + 1));
        }
        row.push(match &item.price {
            PriceOf::Named(p) if named => PRICES[*p].0.to_owned(),
            p => p.unit().to_string(),
        });
        row.push(item.quantity.to_string());
        for k in &keys {
            row.push(
                item.metadata
                    .get(*k)
                    .cloned()
                    .unwrap_or_else(|| "null".into()),
            );
        }
        if adjustable {
            let (enabled, maximum) = match item.adjustable {
                Some((e, m)) => (e.to_string(), m.map_or("null".into(), |m| m.to_string())),
                None => ("null".into(), "null".into()),
            };
            row.push(enabled);
            row.push(maximum);
        }
        rows.push(row);
    }
    table(&rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter().map(|(k, v)| ((*k).into(), (*v).into())).collect()
    }

    #[rstest]
    #[case::merge(&[("a", "1")], &[("b", "2")], Ok(vec![("a", "1"), ("b", "2")]))]
    #[case::replace(&[("a", "1")], &[("a", "2")], Ok(vec![("a", "2")]))]
    #[case::unset(&[("a", "1"), ("b", "2")], &[("a", "")], Ok(vec![("b", "2")]))]
    #[case::key_at_limit(&[], &[("kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk", "v")], Ok(vec![("kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk", "v")]))]
    #[case::key_over_limit(&[], &[("kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk", "v")], Err("metadata[kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk]"))]
    fn metadata_rules(
        #[case] current: &[(&str, &str)],
        #[case] posted: &[(&str, &str)],
        #[case] expected: Result<Vec<(&str, &str)>, &str>,
    ) {
        let current: BTreeMap<String, String> = pairs(current).into_iter().collect();
        let got = merge_metadata(&current, &pairs(posted), "metadata");
        match expected {
            Ok(e) => assert_eq!(got, Ok(pairs(&e).into_iter().collect())),
            Err(param) => assert_eq!(got.map_err(|r| r.param), Err(Some(param.to_owned()))),
        }
    }

    #[rstest]
    #[case::fifty(50, true)]
    #[case::fifty_one(51, false)]
    fn metadata_key_count_limit(#[case] n: usize, #[case] ok: bool) {
        let model = Model::created(Ui::Custom, &[(0, 1)]);
        assert_eq!(model.apply(0, &Change::MetadataMany(n)).is_ok(), ok);
    }

    #[rstest]
    #[case::five(5, true)]
    #[case::six(6, false)]
    #[case::none(0, true)]
    fn shipping_option_limit(#[case] n: usize, #[case] ok: bool) {
        let model = Model::created(Ui::Custom, &[(0, 1)]);
        let change = Change::Shipping(vec![Ship::Rate(0); n]);
        assert_eq!(model.apply(0, &change).is_ok(), ok);
    }

    #[test]
    fn retransmission_retains_updates_adds_removes_and_reorders() {
        let model = Model::created(Ui::Custom, &[(0, 1), (1, 2), (2, 3)]);
        let keep = |i, quantity| Element::Keep {
            item: Handle::Created(i),
            quantity,
            price: None,
            metadata: vec![],
            adjustable: None,
        };
        let change = Change::LineItems(vec![
            keep(2, None),
            Element::Add {
                slot: 0,
                price: NewPrice::Data(100),
                quantity: Some(2),
            },
            keep(0, Some(5)),
        ]);
        let next = model.apply(7, &change).expect("valid");
        let got: Vec<(Handle, i64)> = next.items.iter().map(|i| (i.handle, i.quantity)).collect();
        assert_eq!(
            got,
            vec![
                (Handle::Created(2), 3),
                (Handle::Added { tag: 7, slot: 0 }, 2),
                (Handle::Created(0), 5)
            ]
        );
        assert_eq!(next.subtotal(), 800 * 3 + 200 + 1200 * 5);
    }

    #[rstest]
    #[case::zero_quantity(Element::Keep { item: Handle::Created(0), quantity: Some(0), price: None, metadata: vec![], adjustable: None }, "line_items[0][quantity]")]
    #[case::over_maximum(Element::Keep { item: Handle::Created(0), quantity: None, price: None, metadata: vec![], adjustable: Some((true, Some(1_000_000))) }, "line_items[0][adjustable_quantity][maximum]")]
    #[case::no_quantity(Element::Add { slot: 0, price: NewPrice::Named(0), quantity: None }, "line_items[0][quantity]")]
    #[case::no_price(Element::Add { slot: 0, price: NewPrice::Neither, quantity: Some(1) }, "line_items[0][price]")]
    #[case::unknown(Element::UnknownId, "line_items[0][id]")]
    fn invalid_elements_are_rejected_on_their_param(#[case] element: Element, #[case] param: &str) {
        let model = Model::created(Ui::Custom, &[(0, 1)]);
        let got = model.apply(0, &Change::LineItems(vec![element]));
        assert_eq!(got.map_err(|r| r.param), Err(Some(param.to_owned())));
    }

    #[test]
    fn a_bound_id_stays_bound_and_a_new_one_must_be_new() {
        let mut b = Bindings::default();
        assert_eq!(b.bind("a".into(), &json!("li_1")), json!("li_1"));
        assert_eq!(b.bind("a".into(), &json!("li_2")), json!("li_1"));
        assert_ne!(b.bind("b".into(), &json!("li_1")), json!("li_1"));
    }

    #[test]
    fn an_added_line_item_a_later_update_names_can_be_created_instead() {
        let keep = |item| Element::Keep {
            item,
            quantity: None,
            price: None,
            metadata: vec![],
            adjustable: None,
        };
        let added = Handle::Added { tag: 0, slot: 0 };
        let case = StripeCase {
            ui: Ui::Custom,
            items: vec![(0, 1)],
            ops: vec![
                Op::Update {
                    tag: 0,
                    expand: false,
                    key_of: None,
                    change: Change::LineItems(vec![
                        keep(Handle::Created(0)),
                        Element::Add {
                            slot: 0,
                            price: NewPrice::Named(2),
                            quantity: Some(3),
                        },
                    ]),
                },
                Op::Update {
                    tag: 1,
                    expand: false,
                    key_of: None,
                    change: Change::LineItems(vec![keep(added)]),
                },
            ],
        };
        let created = created_instead(&case).expect("a candidate");
        assert_eq!(created.items, vec![(0, 1), (2, 3)]);
        let rendered = format!("{:?}", created.ops);
        assert!(!rendered.contains("Added"), "{rendered}");
    }

    #[test]
    fn normalize_drops_references_to_removed_operations() {
        let case = StripeCase {
            ui: Ui::Custom,
            items: vec![(0, 1)],
            ops: vec![
                Op::Replay { of: 4 },
                Op::Update {
                    tag: 1,
                    expand: false,
                    key_of: Some(4),
                    change: Change::MetadataClear,
                },
                Op::Update {
                    tag: 2,
                    expand: false,
                    key_of: None,
                    change: Change::LineItems(vec![Element::Keep {
                        item: Handle::Added { tag: 4, slot: 0 },
                        quantity: None,
                        price: None,
                        metadata: vec![],
                        adjustable: None,
                    }]),
                },
            ],
        };
        let n = normalize(case).expect("items left");
        assert_eq!(
            n.ops,
            vec![Op::Update {
                tag: 1,
                expand: false,
                key_of: None,
                change: Change::MetadataClear
            }]
        );
    }
}
