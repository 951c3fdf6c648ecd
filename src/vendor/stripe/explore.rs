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
use crate::explore::{
    json_docstring, removals, table, Credential, Explorer, Mismatch, Scenario, Stop, Target,
    UnderTest,
};
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
const UNIT_LABEL_MAX: usize = 12;
const IMAGES_MAX: usize = 8;
const DISPLAY_NAME_MAX: usize = 100;

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
    /// `price_data` (usd, `product_data[name]`, and the details given).
    Data(PriceData),
    /// Neither (rejected: one of price or price_data is required).
    Neither,
    /// Both `price` (one of [`PRICES`]) and `price_data` of this amount (rejected).
    Both(usize, i64),
}

/// How a `price_data` gives its amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AmountAs {
    /// `unit_amount`.
    Unit,
    /// `unit_amount_decimal` ("Same as unit_amount, but accepts a decimal value").
    Decimal,
    /// Both (rejected: "Only one of unit_amount and unit_amount_decimal can be set").
    Both,
}

/// `price_data[recurring][interval]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interval {
    /// `week` (at most 156).
    Week,
    /// `month` (at most 36).
    Month,
    /// `year` (at most 3).
    Year,
    /// `fortnight`: not one of day, week, month or year (rejected).
    Fortnight,
}

impl Interval {
    fn name(self) -> &'static str {
        match self {
            Interval::Week => "week",
            Interval::Month => "month",
            Interval::Year => "year",
            Interval::Fortnight => "fortnight",
        }
    }

    /// "Maximum of three years interval allowed (3 years, 36 months, or 156 weeks)."
    fn max_count(self) -> i64 {
        match self {
            Interval::Week => 156,
            Interval::Month => 36,
            Interval::Year | Interval::Fortnight => 3,
        }
    }
}

/// `price_data[tax_behavior]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tax {
    /// `inclusive`.
    Inclusive,
    /// `exclusive`.
    Exclusive,
    /// `unspecified`.
    Unspecified,
    /// `taxable`: outside the enum (rejected).
    Taxable,
}

impl Tax {
    fn name(self) -> &'static str {
        match self {
            Tax::Inclusive => "inclusive",
            Tax::Exclusive => "exclusive",
            Tax::Unspecified => "unspecified",
            Tax::Taxable => "taxable",
        }
    }
}

/// A `price_data` with its details.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriceData {
    /// The amount in cents.
    pub unit_amount: i64,
    /// Given as `unit_amount`, `unit_amount_decimal` or both.
    pub amount_as: AmountAs,
    /// `product_data[description]` given.
    pub description: bool,
    /// How many `product_data[images]` (none: not given; at most 8).
    pub images: usize,
    /// `product_data[unit_label]` of this many characters (0: not given; at most 12).
    pub unit_label: usize,
    /// `recurring[interval]` and `[interval_count]` (only invalid ones are generated: the
    /// sessions explored are in payment mode, and the documentation does not say what a
    /// recurring price does there).
    pub recurring: Option<(Interval, i64)>,
    /// `tax_behavior`.
    pub tax_behavior: Option<Tax>,
}

impl PriceData {
    /// `unit_amount` and a name, nothing else.
    pub fn plain(unit_amount: i64) -> PriceData {
        PriceData {
            unit_amount,
            amount_as: AmountAs::Unit,
            description: false,
            images: 0,
            unit_label: 0,
            recurring: None,
            tax_behavior: None,
        }
    }

    /// The documented rejection of these details, `at` naming a field of the price_data.
    fn rejection(&self, at: impl Fn(&str) -> String) -> Option<Rejection> {
        if self.amount_as == AmountAs::Both {
            // Which of the two the error names is not documented.
            return Some(Rejection::unnamed());
        }
        if self.unit_label > UNIT_LABEL_MAX {
            return Some(Rejection::invalid(at("product_data][unit_label"), None));
        }
        if self.images > IMAGES_MAX {
            return Some(Rejection::invalid(at("product_data][images"), None));
        }
        if let Some((interval, count)) = self.recurring {
            if interval == Interval::Fortnight {
                return Some(Rejection::invalid(at("recurring][interval"), None));
            }
            if !(1..=interval.max_count()).contains(&count) {
                return Some(Rejection::invalid(at("recurring][interval_count"), None));
            }
        }
        if self.tax_behavior == Some(Tax::Taxable) {
            return Some(Rejection::invalid(at("tax_behavior"), None));
        }
        None
    }

    fn params(&self) -> Value {
        let amount = self.unit_amount;
        let mut product = json!({"name": format!("Item {amount}")});
        if self.description {
            product["description"] = json!("Made for explore");
        }
        if self.images > 0 {
            product["images"] = (1..=self.images)
                .map(|i| json!(format!("https://example.com/images/{i}.png")))
                .collect();
        }
        if self.unit_label > 0 {
            product["unit_label"] = json!("u".repeat(self.unit_label));
        }
        let mut data = json!({"currency": "usd", "product_data": product});
        if matches!(self.amount_as, AmountAs::Unit | AmountAs::Both) {
            data["unit_amount"] = json!(amount);
        }
        if matches!(self.amount_as, AmountAs::Decimal | AmountAs::Both) {
            data["unit_amount_decimal"] = json!(amount.to_string());
        }
        if let Some((interval, count)) = self.recurring {
            data["recurring"] = json!({"interval": interval.name(), "interval_count": count});
        }
        if let Some(tax) = self.tax_behavior {
            data["tax_behavior"] = json!(tax.name());
        }
        data
    }
}

/// `adjustable_quantity` as posted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Adjust {
    /// `enabled` (none: left out, rejected: it is required).
    pub enabled: Option<bool>,
    /// `maximum` (1 to 999999).
    pub maximum: Option<i64>,
    /// `minimum` (not negative).
    pub minimum: Option<i64>,
}

impl Adjust {
    /// `{enabled}` and a maximum.
    pub fn new(enabled: bool, maximum: Option<i64>) -> Adjust {
        Adjust {
            enabled: Some(enabled),
            maximum,
            minimum: None,
        }
    }
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
        /// `adjustable_quantity`.
        adjustable: Option<Adjust>,
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
    /// `shipping_rate_data`.
    Data(RateData),
    /// Both `shipping_rate` (one of [`RATES`]) and `shipping_rate_data` of this amount
    /// (rejected).
    Both(usize, i64),
}

/// A `delivery_estimate` bound's unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// `business_day`.
    BusinessDay,
    /// `hour`.
    Hour,
    /// `week`.
    Week,
    /// `year`: not one of business_day, day, hour, month, week (rejected).
    Year,
}

impl Unit {
    fn name(self) -> &'static str {
        match self {
            Unit::BusinessDay => "business_day",
            Unit::Hour => "hour",
            Unit::Week => "week",
            Unit::Year => "year",
        }
    }
}

/// A `shipping_rate_data` (type `fixed_amount`, usd) with its details.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateData {
    /// `fixed_amount[amount]` (a negative one is rejected).
    pub amount: i64,
    /// `display_name` of this many characters (0: `Rate {amount}`; at most 100).
    pub name_len: usize,
    /// `fixed_amount` given (it "must be present if type is fixed_amount").
    pub fixed_amount: bool,
    /// A `delivery_estimate` bound: `maximum` (else `minimum`), its value (greater than 0)
    /// and unit.
    pub estimate: Option<(bool, i64, Unit)>,
}

impl RateData {
    /// A fixed amount and a name, nothing else.
    pub fn plain(amount: i64) -> RateData {
        RateData {
            amount,
            name_len: 0,
            fixed_amount: true,
            estimate: None,
        }
    }

    /// The documented rejection, `at` naming a field of the shipping_rate_data.
    fn rejection(&self, at: impl Fn(&str) -> String) -> Option<Rejection> {
        if self.name_len > DISPLAY_NAME_MAX {
            return Some(Rejection::invalid(at("display_name"), None));
        }
        if !self.fixed_amount {
            return Some(Rejection::invalid(at("fixed_amount"), None));
        }
        if self.amount < 0 {
            return Some(Rejection::invalid(at("fixed_amount][amount"), None));
        }
        if let Some((maximum, value, unit)) = self.estimate {
            let bound = if maximum { "maximum" } else { "minimum" };
            if value < 1 {
                return Some(Rejection::invalid(
                    at(&format!("delivery_estimate][{bound}][value")),
                    None,
                ));
            }
            if unit == Unit::Year {
                return Some(Rejection::invalid(
                    at(&format!("delivery_estimate][{bound}][unit")),
                    None,
                ));
            }
        }
        None
    }

    fn params(&self) -> Value {
        let amount = self.amount;
        let name = match self.name_len {
            0 => format!("Rate {amount}"),
            n => "r".repeat(n),
        };
        let mut data = json!({"display_name": name, "type": "fixed_amount"});
        if self.fixed_amount {
            data["fixed_amount"] = json!({"amount": amount, "currency": "usd"});
        }
        if let Some((maximum, value, unit)) = self.estimate {
            let bound = if maximum { "maximum" } else { "minimum" };
            data["delivery_estimate"] = json!({ bound: {"unit": unit.name(), "value": value} });
        }
        data
    }
}

/// Where an unknown parameter is posted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unknown {
    /// `foo`, beside a valid `metadata[order_id]`.
    Top,
    /// `line_items[0][foo]`, the line items otherwise retained as they are.
    LineItem,
    /// `shipping_options[0][shipping_rate_data][foo]`, in an otherwise valid rate.
    RateData,
    /// `collected_information[shipping_details][address][foo]`, in an otherwise valid address.
    Address,
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
    /// `collected_information[shipping_details]` without its `name` (0), `address[country]`
    /// (1) or `address[line1]` (2): rejected, they are required.
    ShippingDetailsMissing(u8),
    /// An unknown parameter (rejected with `parameter_unknown`).
    Unknown(Unknown),
    /// A shipping rate whose `fixed_amount[amount]` is not an integer (`ten`): rejected.
    WrongType,
}

impl Change {
    /// Whether applying it creates objects: a new line item, a shipping rate from data.
    fn creates(&self) -> bool {
        match self {
            Change::LineItems(elements) => elements.iter().any(|e| matches!(e, Element::Add { .. })),
            Change::Shipping(options) => options.iter().any(|o| matches!(o, Ship::Data(_))),
            _ => false,
        }
    }
}

impl Unknown {
    /// The unknown parameter, in bracket notation.
    fn param(self) -> &'static str {
        match self {
            Unknown::Top => "foo",
            Unknown::LineItem => "line_items[0][foo]",
            Unknown::RateData => "shipping_options[0][shipping_rate_data][foo]",
            Unknown::Address => "collected_information[shipping_details][address][foo]",
        }
    }
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
    /// The session is expired (`POST …/expire`): every later update is rejected.
    Expire,
    /// A probe: [`PROBE_PARAMS`] posted as [`Probe`] says, rejected as the documentation says;
    /// the read-back after it finds the session unchanged.
    Probe(Probe),
}

/// What a probe sends instead of an update of the session with the run's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Probe {
    /// No API key: 401 `invalid_request_error`.
    NoKey,
    /// A test-mode key no account has ([`INVALID_KEY`]): 401.
    InvalidKey,
    /// The run's key, to a session that does not exist: 404 `resource_missing` (a 500 to it
    /// alone, while the session of the case answers, is a deviation).
    UnknownSession,
}

impl Probe {
    fn credential(self) -> Credential {
        match self {
            Probe::NoKey => Credential::Missing,
            Probe::InvalidKey => Credential::Public(INVALID_KEY),
            Probe::UnknownSession => Credential::Run,
        }
    }

    /// How it is sent, for the mismatch.
    fn how(self) -> String {
        match self {
            Probe::NoKey => "without an API key".into(),
            Probe::InvalidKey => format!("with the API key \"{INVALID_KEY}\""),
            Probe::UnknownSession => "to a session that does not exist".into(),
        }
    }

    /// The documented rejection, and the mismatch's kind.
    fn documented(self) -> (crate::vendor::Rejection, &'static str) {
        let vendor = Provider::Stripe.vendor();
        match self {
            Probe::NoKey | Probe::InvalidKey => (vendor.unauthenticated(), "authentication"),
            Probe::UnknownSession => (vendor.session_missing(), "not-found"),
        }
    }

    /// The suite's When step (its table follows).
    fn when(self) -> String {
        match self {
            Probe::NoKey | Probe::InvalidKey => {
                format!("I update the session {} with:", self.how())
            }
            Probe::UnknownSession => "I update an unknown session with:".into(),
        }
    }

    /// The suite's Then steps.
    fn then(self) -> &'static str {
        match self {
            Probe::NoKey | Probe::InvalidKey => {
                "    Then the update is rejected as unauthenticated\n    And the session is unchanged\n"
            }
            Probe::UnknownSession => {
                "    Then the update is rejected because the session does not exist\n"
            }
        }
    }

    /// The documentation's clause.
    fn clause(self) -> &'static str {
        match self {
            Probe::NoKey | Probe::InvalidKey => "api.authentication",
            Probe::UnknownSession => "api.not-found",
        }
    }
}

/// The key the probe sends as an invalid one: the one `features/stripe/api.feature` sends.
pub const INVALID_KEY: &str = "sk_test_checkout_conformance_not_a_valid_api_key";
/// What a probe posts: the parameters of the suite's authentication and not-found scenarios.
pub const PROBE_PARAMS: (&str, &str) = ("metadata[order_id]", "6735");

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
    Data(PriceData, Handle),
}

impl PriceOf {
    fn unit(&self) -> i64 {
        match self {
            PriceOf::Named(i) => PRICES[*i].1,
            PriceOf::Data(data, _) => data.unit_amount,
        }
    }

    /// Given as `unit_amount_decimal` only: the documentation does not say what its
    /// `unit_amount` reads.
    fn decimal_only(&self) -> bool {
        matches!(self, PriceOf::Data(d, _) if d.amount_as == AmountAs::Decimal)
    }

    fn tax_behavior(&self) -> Option<Tax> {
        match self {
            PriceOf::Data(d, _) => d.tax_behavior,
            PriceOf::Named(_) => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
struct Item {
    handle: Handle,
    price: PriceOf,
    quantity: i64,
    metadata: BTreeMap<String, String>,
    /// enabled, maximum, minimum.
    adjustable: Option<(bool, Option<i64>, Option<i64>)>,
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
    /// Expired: "only an open Checkout Session can be updated".
    expired: bool,
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

    /// An `invalid_request_error` whose param the documentation does not name (both of two
    /// exclusive parameters, a session that is not open).
    fn unnamed() -> Rejection {
        Rejection {
            kind: "invalid_request_error",
            param: None,
            code: None,
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
        if self.expired {
            return Err(Rejection::unnamed());
        }
        let mut next = self.clone();
        match change {
            Change::Unknown(place) => {
                return Err(Rejection::invalid(
                    place.param().into(),
                    Some("parameter_unknown"),
                ))
            }
            Change::WrongType => {
                return Err(Rejection::invalid(
                    "shipping_options[0][shipping_rate_data][fixed_amount][amount]".into(),
                    None,
                ))
            }
            Change::ShippingDetailsMissing(_) if self.ui == Some(Ui::Hosted) => {
                return Err(Rejection::invalid("collected_information".into(), None));
            }
            Change::ShippingDetailsMissing(which) => {
                let field = match which {
                    0 => "name",
                    1 => "address][country",
                    _ => "address][line1",
                };
                return Err(Rejection::invalid(
                    format!("collected_information[shipping_details][{field}]"),
                    None,
                ));
            }
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
                let mut shipping = Vec::with_capacity(options.len());
                for (pos, o) in options.iter().enumerate() {
                    shipping.push(match *o {
                        Ship::Rate(i) => ShipOf::Rate(i),
                        Ship::Both(..) => return Err(Rejection::unnamed()),
                        Ship::Data(data) => {
                            let at = |f: &str| {
                                format!("shipping_options[{pos}][shipping_rate_data][{f}]")
                            };
                            if let Some(r) = data.rejection(at) {
                                return Err(r);
                            }
                            ShipOf::Data(data.amount, tag, pos)
                        }
                    });
                }
                next.shipping = shipping;
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
                            if let Some(a) = adjustable {
                                let Some(enabled) = a.enabled else {
                                    return Err(Rejection::invalid(
                                        at("adjustable_quantity][enabled"),
                                        None,
                                    ));
                                };
                                if a.maximum
                                    .is_some_and(|m| !(1..=ADJUSTABLE_MAXIMUM).contains(&m))
                                {
                                    return Err(Rejection::invalid(
                                        at("adjustable_quantity][maximum"),
                                        None,
                                    ));
                                }
                                // "By default this value is 0": a negative minimum is rejected.
                                if a.minimum.is_some_and(|m| m < 0) {
                                    return Err(Rejection::invalid(
                                        at("adjustable_quantity][minimum"),
                                        None,
                                    ));
                                }
                                // "Setting to false will remove any previously specified
                                // constraints on quantity."
                                updated.adjustable = Some(if enabled {
                                    (true, a.maximum, a.minimum)
                                } else {
                                    (false, None, None)
                                });
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
                                NewPrice::Data(data) => {
                                    let at = |f: &str| at(&format!("price_data][{f}"));
                                    if let Some(r) = data.rejection(at) {
                                        return Err(r);
                                    }
                                    PriceOf::Data(*data, handle)
                                }
                                NewPrice::Both(..) => return Err(Rejection::unnamed()),
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

/// A valid `price_data`: a unit amount (or the same as a decimal), and now and then a
/// description, images (up to 8), a unit label (up to 12 characters) and a tax behavior.
fn price_data(rng: &mut fastrand::Rng) -> PriceData {
    let mut data = PriceData::plain(rng.i64(0..=30) * 100 + 50 * i64::from(rng.u8(..2)));
    if rng.u8(..4) == 0 {
        data.amount_as = AmountAs::Decimal;
    }
    if rng.u8(..3) == 0 {
        data.description = rng.bool();
        data.images = [0, 1, IMAGES_MAX][rng.usize(..3)];
        data.unit_label = [0, 1, UNIT_LABEL_MAX][rng.usize(..3)];
        data.tax_behavior = [
            None,
            Some(Tax::Inclusive),
            Some(Tax::Exclusive),
            Some(Tax::Unspecified),
        ][rng.usize(..4)];
    }
    data
}

fn new_price(rng: &mut fastrand::Rng) -> NewPrice {
    if rng.bool() {
        NewPrice::Named(rng.usize(..PRICES.len()))
    } else {
        NewPrice::Data(price_data(rng))
    }
}

/// A valid `adjustable_quantity`: enabled with bounds (minimum at most the maximum), or
/// disabled.
fn adjust(rng: &mut fastrand::Rng) -> Adjust {
    if rng.u8(..4) == 0 {
        return Adjust::new(false, None);
    }
    let maximum = [None, Some(1), Some(10), Some(ADJUSTABLE_MAXIMUM)][rng.usize(..4)];
    let minimum = [None, Some(0), Some(1)][rng.usize(..3)]
        .filter(|min| maximum.is_none_or(|max| *min <= max));
    Adjust {
        enabled: Some(true),
        maximum,
        minimum,
    }
}

/// The invalid values a retransmission can carry, one per update.
const LINE_ITEM_INVALID: u8 = 14;

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
                5 => adjustable = Some(adjust(rng)),
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
        invalidate(rng, &mut elements);
    }
    elements
}

/// Puts one invalid value into a retransmission: each kind equally often, on a retained
/// element where it needs one (else a new one).
fn invalidate(rng: &mut fastrand::Rng, elements: &mut Vec<Element>) {
    let kind = rng.u8(..LINE_ITEM_INVALID);
    let keeps: Vec<usize> = (0..elements.len())
        .filter(|i| matches!(elements[*i], Element::Keep { .. }))
        .collect();
    // Without a retained element, the kinds that need one add a line item without quantity.
    let kind = if kind < 4 && keeps.is_empty() {
        4
    } else {
        kind
    };
    if kind < 4 {
        let Element::Keep {
            quantity,
            adjustable,
            ..
        } = &mut elements[keeps[rng.usize(..keeps.len())]]
        else {
            return;
        };
        match kind {
            0 => *quantity = Some(0),
            1 => *adjustable = Some(Adjust::new(true, Some(ADJUSTABLE_MAXIMUM + 1))),
            2 => {
                *adjustable = Some(Adjust {
                    enabled: Some(true),
                    maximum: None,
                    minimum: Some(-1),
                })
            }
            _ => {
                *adjustable = Some(Adjust {
                    enabled: None,
                    maximum: Some(10),
                    minimum: None,
                })
            }
        }
        return;
    }
    let mut data = PriceData::plain(700);
    let (price, quantity) = match kind {
        4 => (NewPrice::Named(rng.usize(..PRICES.len())), None),
        5 => (NewPrice::Neither, Some(1)),
        6 => {
            let at = rng.usize(..=elements.len());
            elements.insert(at, Element::UnknownId);
            return;
        }
        7 => (NewPrice::Both(rng.usize(..PRICES.len()), 700), Some(1)),
        8 => {
            data.amount_as = AmountAs::Both;
            (NewPrice::Data(data), Some(1))
        }
        9 => {
            data.unit_label = UNIT_LABEL_MAX + 1;
            (NewPrice::Data(data), Some(1))
        }
        10 => {
            data.images = IMAGES_MAX + 1;
            (NewPrice::Data(data), Some(1))
        }
        11 => {
            data.recurring = Some((Interval::Fortnight, 1));
            (NewPrice::Data(data), Some(1))
        }
        12 => {
            let interval = [Interval::Week, Interval::Month, Interval::Year][rng.usize(..3)];
            data.recurring = Some((interval, interval.max_count() + 1));
            (NewPrice::Data(data), Some(1))
        }
        _ => {
            data.tax_behavior = Some(Tax::Taxable);
            (NewPrice::Data(data), Some(1))
        }
    };
    if elements.len() >= 6 {
        elements.pop();
    }
    let at = rng.usize(..=elements.len());
    elements.insert(
        at,
        Element::Add {
            slot: 9,
            price,
            quantity,
        },
    );
}

/// A valid `shipping_rate_data`: a fixed amount, now and then a name of 100 characters and a
/// delivery estimate bound.
fn rate_data(rng: &mut fastrand::Rng) -> RateData {
    let mut data = RateData::plain([0, 300, 500, 1000][rng.usize(..4)]);
    if rng.u8(..3) == 0 {
        data.name_len = [0, 1, DISPLAY_NAME_MAX][rng.usize(..3)];
        data.estimate = rng.bool().then(|| {
            (
                rng.bool(),
                rng.i64(1..=5),
                [Unit::BusinessDay, Unit::Hour, Unit::Week][rng.usize(..3)],
            )
        });
    }
    data
}

fn shipping(rng: &mut fastrand::Rng, model: &Model, invalid: bool) -> Vec<Ship> {
    let n = match rng.u8(..8) {
        _ if invalid => rng.usize(1..=SHIPPING_OPTIONS_MAX),
        // `shipping_options=` where there is something to clear.
        0..=3 if !model.shipping.is_empty() => 0,
        2..=3 => rng.usize(6..=7),
        _ => rng.usize(1..=SHIPPING_OPTIONS_MAX),
    };
    let mut options: Vec<Ship> = (0..n)
        .map(|_| {
            if rng.bool() {
                Ship::Rate(rng.usize(..RATES.len()))
            } else {
                Ship::Data(rate_data(rng))
            }
        })
        .collect();
    // One invalid option among one to five (six are rejected whatever they hold; none is
    // `shipping_options=`, which clears them).
    if invalid && (1..=SHIPPING_OPTIONS_MAX).contains(&options.len()) {
        let mut data = RateData::plain(500);
        let bad = match rng.u8(..6) {
            0 => Ship::Both(rng.usize(..RATES.len()), 500),
            1 => {
                data.name_len = DISPLAY_NAME_MAX + 1;
                Ship::Data(data)
            }
            2 => {
                data.fixed_amount = false;
                Ship::Data(data)
            }
            3 => {
                data.amount = -100;
                Ship::Data(data)
            }
            4 => {
                data.estimate = Some((rng.bool(), 0, Unit::BusinessDay));
                Ship::Data(data)
            }
            _ => {
                data.estimate = Some((rng.bool(), 2, Unit::Year));
                Ship::Data(data)
            }
        };
        if options.len() == SHIPPING_OPTIONS_MAX {
            options.pop();
        }
        let at = rng.usize(..=options.len());
        options.insert(at, bad);
    }
    options
}

fn change(rng: &mut fastrand::Rng, model: &Model) -> Change {
    let invalid = rng.u8(..6) == 0;
    // Three retransmissions in four and half the shipping option lists carry an invalid value:
    // there are many kinds of them.
    let mostly = rng.u8(..4) > 0;
    let half = rng.bool();
    let custom = model.ui == Some(Ui::Custom);
    // Shipping options are set in few updates of a case: clear them now and then once they are.
    if !model.shipping.is_empty() && rng.u8(..8) == 0 {
        return Change::Shipping(Vec::new());
    }
    match rng.u8(..100) {
        0..=16 => {
            let mut pairs = metadata_pairs(rng, invalid);
            // An empty value for a key the session has, now and then: that one is unset.
            let keys: Vec<&String> = model.metadata.keys().collect();
            if !keys.is_empty() && rng.bool() {
                let key = keys[rng.usize(..keys.len())].clone();
                pairs.retain(|(k, _)| *k != key);
                pairs.push((key, String::new()));
            }
            Change::Metadata(pairs)
        }
        17..=20 => Change::MetadataClear,
        21..=23 => Change::MetadataMany(rng.usize(48..=51)),
        // Line items are rejected on sessions that are not custom UI: try those less often there.
        24..=63 if !custom && rng.bool() => Change::ShippingDetails(
            [1, 20, SHIPPING_NAME_MAX, SHIPPING_NAME_MAX + 1][rng.usize(..4)],
        ),
        24..=63 => Change::LineItems(line_items(rng, model, mostly)),
        64..=67 => Change::ShippingDetails(
            [1, 20, SHIPPING_NAME_MAX, SHIPPING_NAME_MAX + 1][rng.usize(..4)],
        ),
        68..=89 => Change::Shipping(shipping(rng, model, half)),
        _ => match rng.u8(..10) {
            0..=2 => Change::Unknown(Unknown::Top),
            3 if custom => Change::Unknown(Unknown::LineItem),
            3 | 4 => Change::Unknown(Unknown::RateData),
            5 if model.ui != Some(Ui::Hosted) => Change::Unknown(Unknown::Address),
            5 | 6 => Change::WrongType,
            // Missing fields of the shipping details, where they can be set.
            _ if model.ui == Some(Ui::Hosted) => Change::WrongType,
            _ => Change::ShippingDetailsMissing(rng.u8(..3)),
        },
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
                            "unit_amount_decimal": li["price"]["unit_amount_decimal"],
                            "tax_behavior": li["price"]["tax_behavior"],
                            "quantity": li["quantity"],
                            "metadata": li["metadata"],
                            "adjustable_quantity": if a.is_object() { json!({"enabled": a["enabled"], "maximum": a["maximum"], "minimum": a["minimum"]}) } else { Value::Null },
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
        "object": body["object"],
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
                        // Left to the target where the documentation says nothing: the
                        // `unit_amount` of a price given as a decimal, a tax behavior not given.
                        let unit_amount = if item.price.decimal_only() {
                            seen["unit_amount"].clone()
                        } else {
                            json!(item.price.unit())
                        };
                        let tax_behavior = match item.price.tax_behavior() {
                            Some(t) => json!(t.name()),
                            None => seen["tax_behavior"].clone(),
                        };
                        json!({
                            "id": bindings.bind(item_slot(item.handle), &seen["id"]),
                            "price": price,
                            "unit_amount": unit_amount,
                            "unit_amount_decimal": item.price.unit().to_string(),
                            "tax_behavior": tax_behavior,
                            "quantity": item.quantity,
                            "metadata": item.metadata,
                            "adjustable_quantity": item.adjustable.map(|(e, m, min)| json!({"enabled": e, "maximum": m, "minimum": min})),
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
            "object": "checkout.session",
            "status": if model.expired { "expired" } else { "open" },
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
            Change::ShippingDetailsMissing(which) => {
                let mut details = json!({
                    "name": "Jenny Rosen",
                    "address": {"country": "US", "line1": "1 Main Street"},
                });
                match which {
                    0 => details.as_object_mut().map(|d| d.remove("name")),
                    1 => details["address"]
                        .as_object_mut()
                        .map(|a| a.remove("country")),
                    _ => details["address"]
                        .as_object_mut()
                        .map(|a| a.remove("line1")),
                };
                json!({"collected_information": {"shipping_details": details}})
            }
            Change::Unknown(Unknown::Top) => {
                json!({"foo": "bar", "metadata": {"order_id": "6735"}})
            }
            Change::Unknown(Unknown::LineItem) => {
                json!({"line_items": [{"price": self.prices[0], "quantity": 1, "foo": "bar"}]})
            }
            Change::Unknown(Unknown::RateData) => {
                let mut data = RateData::plain(500).params();
                data["foo"] = json!("bar");
                json!({"shipping_options": [{"shipping_rate_data": data}]})
            }
            Change::Unknown(Unknown::Address) => {
                json!({"collected_information": {"shipping_details": {
                    "name": "Jenny Rosen",
                    "address": {"country": "US", "line1": "1 Main Street", "foo": "bar"},
                }}})
            }
            Change::WrongType => {
                let mut data = RateData::plain(500).params();
                data["fixed_amount"]["amount"] = json!("ten");
                json!({"shipping_options": [{"shipping_rate_data": data}]})
            }
            Change::MetadataMany(n) => {
                json!({"metadata": many_keys(*n).into_iter().map(|(k, v)| (k, json!(v))).collect::<Map<_, _>>()})
            }
            Change::Shipping(options) if options.is_empty() => json!({"shipping_options": ""}),
            Change::Shipping(options) => json!({"shipping_options": options
                .iter()
                .map(|o| match *o {
                    Ship::Rate(r) => json!({"shipping_rate": self.rates[r]}),
                    Ship::Data(data) => json!({"shipping_rate_data": data.params()}),
                    Ship::Both(r, amount) => json!({
                        "shipping_rate": self.rates[r],
                        "shipping_rate_data": RateData::plain(amount).params(),
                    }),
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
            if let Some(a) = adjustable {
                let mut adjustable = Map::new();
                if let Some(enabled) = a.enabled {
                    adjustable.insert("enabled".into(), json!(enabled));
                }
                if let Some(m) = a.maximum {
                    adjustable.insert("maximum".into(), json!(m));
                }
                if let Some(m) = a.minimum {
                    adjustable.insert("minimum".into(), json!(m));
                }
                e["adjustable_quantity"] = adjustable.into();
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
                NewPrice::Data(data) => json!({ "price_data": data.params() }),
                NewPrice::Both(p, amount) => json!({
                    "price": price(*p),
                    "price_data": PriceData::plain(*amount).params(),
                }),
                NewPrice::Neither => json!({}),
            };
            if let Some(q) = quantity {
                e["quantity"] = json!(q);
            }
            e
        }
    })
}

/// The body of a probe's update: [`PROBE_PARAMS`].
fn probe_body() -> Body {
    Body::Form(super::form::encode_pairs([PROBE_PARAMS]))
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

/// "Every response carries a Request-Id."
fn request_id(step: usize, what: String, exchange: &crate::client::Exchange) -> Result<(), Stop> {
    if exchange
        .request_id
        .as_deref()
        .is_some_and(|r| !r.is_empty())
    {
        return Ok(());
    }
    Err(Stop::mismatch(
        step,
        "request-id",
        what,
        json!({"Request-Id": "a request id"}),
        json!({"Request-Id": null}),
        exchange.describe(),
    ))
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
                    let exchange = target
                        .send_under_test(UnderTest {
                            method: "POST",
                            path: &path,
                            body: body.clone(),
                            idempotency_key: Some(&key),
                            credential: Credential::Run,
                            known: &path,
                        })
                        .await?;
                    request_id(step, format!("the answer to update {n}"), &exchange)?;
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
                Op::Expire => {
                    let (method, close, body) = Provider::Stripe.vendor().close_session(&id);
                    let exchange = target.send(method, &close, body, None).await?;
                    if exchange.status != 200 {
                        return Err(Stop::Setup(format!(
                            "expiring the session answered {}\n{}",
                            exchange.status,
                            exchange.describe()
                        )));
                    }
                    model.expired = true;
                }
                Op::Probe(probe) => {
                    let what = format!("the answer to update {n}, sent {}", probe.how());
                    let unknown = Provider::Stripe
                        .session_path(Provider::Stripe.vendor().unknown_session_id());
                    let at = if *probe == Probe::UnknownSession { &unknown } else { &path };
                    let exchange = target
                        .send_under_test(UnderTest {
                            method: "POST",
                            path: at,
                            body: probe_body(),
                            idempotency_key: None,
                            credential: probe.credential(),
                            known: &path,
                        })
                        .await?;
                    request_id(step, what.clone(), &exchange)?;
                    let (documented, kind) = probe.documented();
                    crate::explore::judge_rejection(
                        Provider::Stripe,
                        step,
                        kind,
                        what,
                        documented,
                        &exchange,
                    )?;
                }
                Op::Replay { of } => {
                    let (status, first, key, body) = answers.get(of).cloned().ok_or_else(|| {
                        Stop::Invalid(format!("no answer of operation {of} to replay"))
                    })?;
                    let exchange = target
                        .send_under_test(UnderTest {
                            method: "POST",
                            path: &path,
                            body,
                            idempotency_key: Some(&key),
                            credential: Credential::Run,
                            known: &path,
                        })
                        .await?;
                    request_id(step, format!("the answer to update {n}"), &exchange)?;
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
            request_id(
                step,
                format!("the session read back after update {n}"),
                &read,
            )?;
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
                // A new item's price by name rather than by data (then it can be created with
                // the session, see `created_instead`), or its data without details.
                // A new item's quantity 1.
                if let Element::Add {
                    slot,
                    price,
                    quantity: Some(q),
                } = &elements[i]
                {
                    if *q > 1 {
                        let mut one = elements.clone();
                        one[i] = Element::Add {
                            slot: *slot,
                            price: *price,
                            quantity: Some(1),
                        };
                        out.push(with(Change::LineItems(one), *expand));
                    }
                }
                if let Element::Add {
                    slot,
                    price: NewPrice::Data(data),
                    quantity,
                } = &elements[i]
                {
                    let mut simpler = elements.clone();
                    simpler[i] = Element::Add {
                        slot: *slot,
                        price: NewPrice::Named(0),
                        quantity: *quantity,
                    };
                    out.push(with(Change::LineItems(simpler.clone()), *expand));
                    if *data != PriceData::plain(data.unit_amount) {
                        simpler[i] = Element::Add {
                            slot: *slot,
                            price: NewPrice::Data(PriceData::plain(data.unit_amount)),
                            quantity: *quantity,
                        };
                        out.push(with(Change::LineItems(simpler), *expand));
                    }
                }
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
            // A rate's data without its details.
            for (i, o) in options.iter().enumerate() {
                if let Ship::Data(data) = o {
                    if *data != RateData::plain(data.amount) {
                        let mut plain = options.clone();
                        plain[i] = Ship::Data(RateData::plain(data.amount));
                        out.push(with(Change::Shipping(plain), *expand));
                    }
                }
            }
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

    /// One case: a session of one line item updated without an API key, with an invalid one,
    /// and an update of a session that does not exist (`api.authentication`, `api.not-found`).
    fn probes(&self) -> Vec<StripeCase> {
        vec![StripeCase {
            ui: Ui::Custom,
            items: vec![(0, 1)],
            ops: vec![
                Op::Probe(Probe::NoKey),
                Op::Probe(Probe::InvalidKey),
                Op::Probe(Probe::UnknownSession),
            ],
        }]
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
        let mut replayed: Vec<u32> = Vec::new();
        for tag in 0..rng.usize(1..=max_steps.max(1)) as u32 {
            let expand = rng.u8(..5) == 0;
            let roll = rng.u8(..100);
            // Now and then the session expires: the updates after it must be rejected.
            if roll < 2 && tag > 0 && !model.expired {
                model.expired = true;
                ops.push(Op::Expire);
                continue;
            }
            // An idempotency key reused after the session expired: which error comes first is
            // not documented.
            if model.expired {
                ops.push(Op::Update {
                    tag,
                    expand,
                    key_of: None,
                    change: change(rng, &model),
                });
                continue;
            }
            // Once a key was replayed, another replay is likelier: a key's second replay must
            // be a replay too.
            let again = !replayed.is_empty() && roll < 25;
            if (roll < 10 || again) && !succeeded.is_empty() {
                // An update that creates objects (line items, shipping rates) shows being run
                // again in its answer, whatever happened in between: prefer those.
                let creating: Vec<u32> = succeeded
                    .iter()
                    .filter(|(_, change, _)| change.creates())
                    .map(|(tag, ..)| *tag)
                    .collect();
                let of = match (replayed.len(), creating.len()) {
                    (n, _) if n > 0 && rng.u8(..4) > 0 => replayed[rng.usize(..n)],
                    (_, n) if n > 0 && rng.u8(..4) > 0 => creating[rng.usize(..n)],
                    _ => succeeded[rng.usize(..succeeded.len())].0,
                };
                replayed.push(of);
                ops.push(Op::Replay { of });
                continue;
            }
            if (10..15).contains(&roll) && !succeeded.is_empty() {
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
    // The Then steps of a probe, when the last operation is one.
    let mut probe_then: Option<&str> = None;
    for op in ops {
        probe_then = None;
        let when = if whens.is_empty() || whens.ends_with("has expired\n") {
            "When"
        } else {
            "And"
        };
        let (tag, expand, key_of, change) = match op {
            Op::Expire => {
                clauses.insert("update.open-only");
                whens.push_str("    Given the session has expired\n");
                model.expired = true;
                continue;
            }
            Op::Probe(probe) => {
                clauses.insert(probe.clause());
                whens.push_str(&format!("    {when} {}\n", probe.when()));
                whens.push_str(&table(&[vec![PROBE_PARAMS.0.into(), PROBE_PARAMS.1.into()]]));
                probe_then = Some(probe.then());
                continue;
            }
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
            Change::ShippingDetailsMissing(which) => {
                clauses.insert(if *which == 0 {
                    "collected_information.name"
                } else {
                    "collected_information.address"
                });
            }
            Change::Unknown(place) => {
                clauses.insert("api.unknown-parameter");
                if *place == Unknown::LineItem {
                    prices.insert(0);
                }
            }
            Change::WrongType => {
                clauses.insert("api.parameter-types");
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
                    match o {
                        Ship::Rate(r) => {
                            rates.insert(*r);
                        }
                        Ship::Both(r, _) => {
                            rates.insert(*r);
                            clauses.insert("shipping_options.rate-xor-data");
                        }
                        Ship::Data(data) => {
                            if data.name_len > 0 {
                                clauses.insert("shipping_options.display_name");
                            }
                            if !data.fixed_amount || data.amount < 0 {
                                clauses.insert("shipping_options.fixed_amount");
                            }
                            if data.estimate.is_some() {
                                clauses.insert("shipping_options.delivery_estimate");
                            }
                        }
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
                        Element::Keep { price, adjustable, .. } => {
                            if let Some(p) = price {
                                prices.insert(*p);
                            }
                            if let Some(a) = adjustable {
                                clauses.insert(if a.enabled.is_none() {
                                    "adjustable_quantity.enabled"
                                } else if a.minimum.is_some() {
                                    "adjustable_quantity.minimum"
                                } else {
                                    "adjustable_quantity.maximum"
                                });
                            }
                        }
                        Element::Add { price: NewPrice::Named(p), .. } => {
                            prices.insert(*p);
                        }
                        Element::Add { price: NewPrice::Both(p, _), .. } => {
                            prices.insert(*p);
                            clauses.insert("line_items.price-xor-price_data");
                        }
                        Element::Add { price: NewPrice::Data(data), .. } => {
                            clauses.insert("line_items.add");
                            clauses.extend(data_clauses(data));
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
                | Change::ShippingDetailsMissing(_)
                | Change::Unknown(_)
                | Change::WrongType
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
        whens.push_str(&format!(
            "    {when} I update the session with the parameters:\n"
        ));
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
    if mismatch.kind == "request-id" {
        clauses.insert("api.request-id");
    }
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
    match (probe_then, last) {
        (Some(then), _) => text.push_str(then),
        (None, Some(Err(r))) => {
            match &r.param {
                Some(param) if r.code == Some("parameter_unknown") => text.push_str(&format!(
                    "    Then the update is rejected because parameter \"{param}\" is unknown\n"
                )),
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
            if mismatch.kind.ends_with("object") {
                text.push_str("    And the session's object is \"checkout.session\"\n");
            }
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
    if mismatch.kind == "request-id" {
        text.push_str("    And the response carries a Request-Id\n");
    }
    let rows: Vec<(i64, i64, &BTreeMap<String, String>)> = model
        .items
        .iter()
        .map(|i| (i.price.unit(), i.quantity, &i.metadata))
        .collect();
    if (1..rows.len()).any(|i| rows[..i].contains(&rows[i])) {
        not_expressible.push(
            "two line items differ only by their ids, and a table can name by id only the line items of the creation"
                .into(),
        );
    }
    not_expressible.dedup();
    Scenario {
        text,
        not_expressible: (!not_expressible.is_empty()).then(|| not_expressible.join("; ")),
    }
}

/// The clauses a `price_data`'s details exercise.
fn data_clauses(data: &PriceData) -> Vec<&'static str> {
    let mut out = Vec::new();
    if data.amount_as != AmountAs::Unit {
        out.push("price_data.unit_amount");
    }
    if data.images > 0 {
        out.push("price_data.images");
    }
    if data.unit_label > 0 {
        out.push("price_data.unit_label");
    }
    if let Some((interval, _)) = data.recurring {
        out.push(if interval == Interval::Fortnight {
            "price_data.recurring.interval"
        } else {
            "price_data.recurring.interval_count"
        });
    }
    if data.tax_behavior.is_some() {
        out.push("price_data.tax_behavior");
    }
    out
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
    let decimal = model.items.iter().any(|i| i.price.decimal_only());
    header.push(
        if named {
            "price.id"
        } else if decimal {
            "price.unit_amount_decimal"
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
        header.push("adjustable_quantity.minimum".into());
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
            let bound = |b: Option<i64>| b.map_or("null".into(), |b| b.to_string());
            let (enabled, maximum, minimum) = match item.adjustable {
                Some((e, max, min)) => (e.to_string(), bound(max), bound(min)),
                None => ("null".into(), "null".into(), "null".into()),
            };
            row.push(enabled);
            row.push(maximum);
            row.push(minimum);
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
                price: NewPrice::Data(PriceData::plain(100)),
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
    #[case::over_maximum(Element::Keep { item: Handle::Created(0), quantity: None, price: None, metadata: vec![], adjustable: Some(Adjust::new(true, Some(1_000_000))) }, "line_items[0][adjustable_quantity][maximum]")]
    #[case::negative_minimum(Element::Keep { item: Handle::Created(0), quantity: None, price: None, metadata: vec![], adjustable: Some(Adjust { enabled: Some(true), maximum: None, minimum: Some(-1) }) }, "line_items[0][adjustable_quantity][minimum]")]
    #[case::enabled_omitted(Element::Keep { item: Handle::Created(0), quantity: None, price: None, metadata: vec![], adjustable: Some(Adjust { enabled: None, maximum: Some(10), minimum: None }) }, "line_items[0][adjustable_quantity][enabled]")]
    #[case::unit_label_13(Element::Add { slot: 0, price: NewPrice::Data(PriceData { unit_label: 13, ..PriceData::plain(1) }), quantity: Some(1) }, "line_items[0][price_data][product_data][unit_label]")]
    #[case::nine_images(Element::Add { slot: 0, price: NewPrice::Data(PriceData { images: 9, ..PriceData::plain(1) }), quantity: Some(1) }, "line_items[0][price_data][product_data][images]")]
    #[case::fortnight(Element::Add { slot: 0, price: NewPrice::Data(PriceData { recurring: Some((Interval::Fortnight, 1)), ..PriceData::plain(1) }), quantity: Some(1) }, "line_items[0][price_data][recurring][interval]")]
    #[case::thirty_seven_months(Element::Add { slot: 0, price: NewPrice::Data(PriceData { recurring: Some((Interval::Month, 37)), ..PriceData::plain(1) }), quantity: Some(1) }, "line_items[0][price_data][recurring][interval_count]")]
    #[case::taxable(Element::Add { slot: 0, price: NewPrice::Data(PriceData { tax_behavior: Some(Tax::Taxable), ..PriceData::plain(1) }), quantity: Some(1) }, "line_items[0][price_data][tax_behavior]")]
    #[case::no_quantity(Element::Add { slot: 0, price: NewPrice::Named(0), quantity: None }, "line_items[0][quantity]")]
    #[case::no_price(Element::Add { slot: 0, price: NewPrice::Neither, quantity: Some(1) }, "line_items[0][price]")]
    #[case::unknown(Element::UnknownId, "line_items[0][id]")]
    fn invalid_elements_are_rejected_on_their_param(#[case] element: Element, #[case] param: &str) {
        let model = Model::created(Ui::Custom, &[(0, 1)]);
        let got = model.apply(0, &Change::LineItems(vec![element]));
        assert_eq!(got.map_err(|r| r.param), Err(Some(param.to_owned())));
    }

    #[rstest]
    #[case::plain(PriceData::plain(300), None)]
    #[case::decimal(PriceData { amount_as: AmountAs::Decimal, ..PriceData::plain(300) }, None)]
    #[case::both_amounts(PriceData { amount_as: AmountAs::Both, ..PriceData::plain(300) }, Some(None))]
    #[case::label_12(PriceData { unit_label: 12, ..PriceData::plain(300) }, None)]
    #[case::eight_images(PriceData { images: 8, ..PriceData::plain(300) }, None)]
    #[case::three_years_of_weeks(PriceData { recurring: Some((Interval::Week, 156)), ..PriceData::plain(300) }, None)]
    #[case::over_three_years_of_weeks(PriceData { recurring: Some((Interval::Week, 157)), ..PriceData::plain(300) }, Some(Some("x[recurring][interval_count]")))]
    #[case::four_years(PriceData { recurring: Some((Interval::Year, 4)), ..PriceData::plain(300) }, Some(Some("x[recurring][interval_count]")))]
    #[case::inclusive(PriceData { tax_behavior: Some(Tax::Inclusive), ..PriceData::plain(300) }, None)]
    fn price_data_rules(#[case] data: PriceData, #[case] rejected: Option<Option<&str>>) {
        let got = data.rejection(|f| format!("x[{f}]"));
        assert_eq!(got.map(|r| r.param), rejected.map(|p| p.map(str::to_owned)));
    }

    #[rstest]
    #[case::plain(RateData::plain(500), None)]
    #[case::free(RateData::plain(0), None)]
    #[case::negative(RateData::plain(-1), Some("x[fixed_amount][amount]"))]
    #[case::name_100(RateData { name_len: 100, ..RateData::plain(500) }, None)]
    #[case::name_101(RateData { name_len: 101, ..RateData::plain(500) }, Some("x[display_name]"))]
    #[case::no_fixed_amount(RateData { fixed_amount: false, ..RateData::plain(500) }, Some("x[fixed_amount]"))]
    #[case::estimate(RateData { estimate: Some((true, 1, Unit::Hour)), ..RateData::plain(500) }, None)]
    #[case::estimate_zero(RateData { estimate: Some((false, 0, Unit::Week)), ..RateData::plain(500) }, Some("x[delivery_estimate][minimum][value]"))]
    #[case::estimate_in_years(RateData { estimate: Some((true, 1, Unit::Year)), ..RateData::plain(500) }, Some("x[delivery_estimate][maximum][unit]"))]
    fn rate_data_rules(#[case] data: RateData, #[case] param: Option<&str>) {
        let got = data.rejection(|f| format!("x[{f}]"));
        assert_eq!(got.map(|r| r.param), param.map(|p| Some(p.to_owned())));
    }

    #[rstest]
    #[case::top(Change::Unknown(Unknown::Top), Some("foo"), Some("parameter_unknown"))]
    #[case::nested(
        Change::Unknown(Unknown::RateData),
        Some("shipping_options[0][shipping_rate_data][foo]"),
        Some("parameter_unknown")
    )]
    #[case::wrong_type(
        Change::WrongType,
        Some("shipping_options[0][shipping_rate_data][fixed_amount][amount]"),
        None
    )]
    #[case::no_name(
        Change::ShippingDetailsMissing(0),
        Some("collected_information[shipping_details][name]"),
        None
    )]
    #[case::no_line1(
        Change::ShippingDetailsMissing(2),
        Some("collected_information[shipping_details][address][line1]"),
        None
    )]
    #[case::both_rate_and_data(Change::Shipping(vec![Ship::Both(0, 500)]), None, None)]
    fn rejected_changes(
        #[case] change: Change,
        #[case] param: Option<&str>,
        #[case] code: Option<&str>,
    ) {
        let model = Model::created(Ui::Custom, &[(0, 1)]);
        let r = model.apply(0, &change).expect_err("rejected");
        assert_eq!((r.param.as_deref(), r.code), (param, code));
    }

    #[test]
    fn an_expired_session_rejects_every_update() {
        let mut model = Model::created(Ui::Custom, &[(0, 1)]);
        assert!(model.apply(0, &Change::MetadataClear).is_ok());
        model.expired = true;
        assert_eq!(
            model.apply(0, &Change::MetadataClear),
            Err(Rejection::unnamed())
        );
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
