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
//! let explorer = Gr4vyExplorer::default();
//! let a = explorer.generate(&mut fastrand::Rng::with_seed(3), 5);
//! assert_eq!(a, explorer.generate(&mut fastrand::Rng::with_seed(3), 5));
//! ```

use crate::client::Body;
use super::jwt;
use crate::explore::{
    json_docstring, removals, table, Credential, Explorer, Mismatch, Scenario, Stop, Target,
    UnderTest,
};
use crate::vendor::{Provider, Rejection};
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

/// One update: its cart items, metadata, airline addendum and buyer (and at most one invalid
/// value among them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Update {
    /// `cart_items`.
    pub cart_items: Part<Vec<CartItem>>,
    /// `metadata` (a value `None` is posted as a number: not a string).
    pub metadata: Part<Vec<(String, Option<String>)>>,
    /// `airline`.
    pub airline: Part<Airline>,
    /// `buyer`: a guest buyer with billing details.
    pub buyer: Part<()>,
    /// One invalid value put into the body.
    pub bad: Option<Bad>,
    /// Sent to a session id that is not a UUID (`not-a-uuid`).
    pub not_uuid: bool,
    /// The session is deleted (`DELETE`) before this update: it no longer exists.
    pub delete_first: bool,
    /// Sent as a probe instead: without a valid token, or to a session that does not exist.
    pub probe: Option<Probe>,
}

/// What a probe sends instead of a valid token, or where instead of the session of the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Probe {
    /// No token: 401 `unauthorized`.
    NoToken,
    /// A token that is not a JWT ([`jwt::MALFORMED_TOKEN`]): 401.
    MalformedToken,
    /// A token whose `exp` has passed, signed with the run's key: 401.
    ExpiredToken,
    /// A token with `checkout-sessions.read` only, signed with the run's key: 403 `forbidden`.
    WithoutWriteScope,
    /// The run's token, to a session that does not exist: 404 `not_found` (a 500 to it alone,
    /// while the session of the case answers, is a deviation).
    UnknownSession,
}

impl Probe {
    /// As the suite's step says it: `I update the session {how} with the parameters:`.
    fn how(self) -> &'static str {
        match self {
            Probe::NoToken => "without a token",
            Probe::MalformedToken => "with a malformed token",
            Probe::ExpiredToken => "with an expired token",
            Probe::WithoutWriteScope => "with a token without the write scope",
            Probe::UnknownSession => "to a session that does not exist",
        }
    }

    /// The suite's When step (its doc string follows).
    fn when(self) -> String {
        match self {
            Probe::UnknownSession => {
                "I update a session that does not exist with the parameters:".into()
            }
            _ => format!("I update the session {} with the parameters:", self.how()),
        }
    }

    /// Whether it needs tokens minted with the run's key.
    fn mints(self) -> bool {
        matches!(self, Probe::ExpiredToken | Probe::WithoutWriteScope)
    }

    /// The credential it sends (tokens minted with `signing`).
    fn credential(self, signing: Option<&super::Signing>) -> Result<Credential, Stop> {
        let minted = |scopes: &[&str], expired: bool, what: &'static str| {
            let signing = signing.ok_or_else(|| {
                Stop::Setup(format!("sending {what} needs the merchant's private key (GR4VY_PRIVATE_KEY)"))
            })?;
            let token = signing
                .mint(scopes, expired)
                .map_err(|e| Stop::Setup(format!("cannot mint {what}: {e}")))?;
            Ok(Credential::Made { token, what })
        };
        match self {
            Probe::NoToken => Ok(Credential::Missing),
            Probe::MalformedToken => Ok(Credential::Public(jwt::MALFORMED_TOKEN)),
            Probe::ExpiredToken => minted(
                &[jwt::READ_SCOPE, jwt::WRITE_SCOPE],
                true,
                "an expired token signed with the run's key",
            ),
            Probe::WithoutWriteScope => minted(
                &[jwt::READ_SCOPE],
                false,
                "a token without the checkout-sessions.write scope, signed with the run's key",
            ),
            Probe::UnknownSession => Ok(Credential::Run),
        }
    }

    /// The documented rejection, and the mismatch's kind.
    fn documented(self) -> (Rejection, &'static str) {
        let vendor = Provider::Gr4vy.vendor();
        match self {
            Probe::NoToken | Probe::MalformedToken | Probe::ExpiredToken => {
                (vendor.unauthenticated(), "authentication")
            }
            Probe::WithoutWriteScope => (super::FORBIDDEN, "scope"),
            Probe::UnknownSession => (vendor.session_missing(), "not-found"),
        }
    }

    /// The Then steps of the suite's scenario of this probe.
    fn then(self) -> &'static str {
        match self {
            Probe::NoToken | Probe::MalformedToken | Probe::ExpiredToken => {
                "    Then the update is rejected as unauthenticated\n    And the session is unchanged\n"
            }
            Probe::WithoutWriteScope => {
                "    Then the update is rejected as forbidden\n    And the session is unchanged\n"
            }
            Probe::UnknownSession => {
                "    Then the update is rejected because the session does not exist\n"
            }
        }
    }

    /// The documentation's clause.
    fn clause(self) -> &'static str {
        match self {
            Probe::NoToken | Probe::MalformedToken | Probe::ExpiredToken => "gr4vy.auth.bearer",
            Probe::WithoutWriteScope => "gr4vy.auth.scope",
            Probe::UnknownSession => "gr4vy.not-found",
        }
    }
}

impl Update {
    /// Whether its invalid value has the container it needs (a shrunk update may have lost it).
    fn fits(&self) -> bool {
        match self.bad.map(Bad::needs) {
            None | Some(Needs::Body) => true,
            Some(Needs::CartItem) => {
                matches!(&self.cart_items, Part::Set(items) if !items.is_empty())
            }
            Some(Needs::Airline) => {
                matches!(self.airline, Part::Set(a) if a.legs > 0 && a.passengers > 0)
            }
            Some(Needs::Buyer) => self.buyer == Part::Set(()),
        }
    }
}

impl Default for Update {
    fn default() -> Update {
        Update {
            cart_items: Part::Omit,
            metadata: Part::Omit,
            airline: Part::Omit,
            buyer: Part::Omit,
            bad: None,
            not_uuid: false,
            delete_first: false,
            probe: None,
        }
    }
}

/// The airline addendum posted: the documentation's example with this many legs and
/// passengers (at most 20 each).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Airline {
    /// How many legs.
    pub legs: usize,
    /// How many passengers.
    pub passengers: usize,
}

/// Where an invalid value goes, as the spec bounds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Needs {
    /// The body itself.
    Body,
    /// A first cart item.
    CartItem,
    /// An airline addendum with a leg and a passenger.
    Airline,
    /// A buyer with billing details.
    Buyer,
}

macro_rules! bads {
    ($($variant:ident => $needs:ident, $pointer:literal, $value:expr, $clause:literal;)*) => {
        /// One invalid value (the spec's `CheckoutSessionUpdate`): where it goes, what it is,
        /// and the pointer the rejection must name.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Bad { $($variant,)* }

        impl Bad {
            /// Every kind, each generated equally often.
            pub const ALL: &'static [Bad] = &[$(Bad::$variant,)*];

            /// The container it needs.
            pub fn needs(self) -> Needs {
                match self { $(Bad::$variant => Needs::$needs,)* }
            }

            /// The JSON pointer of the value (the rejection names it).
            pub fn pointer(self) -> &'static str {
                match self { $(Bad::$variant => $pointer,)* }
            }

            /// The value put there (`None`: the field is left out).
            pub fn value(self) -> Option<Value> {
                match self { $(Bad::$variant => $value,)* }
            }

            /// The documentation clause it exercises.
            pub fn clause(self) -> &'static str {
                match self { $(Bad::$variant => $clause,)* }
            }
        }
    };
}

bads! {
    TopUnknown => Body, "/foo", Some(json!("bar")), "gr4vy.unknown-field";
    ItemNoName => CartItem, "/cart_items/0/name", None, "gr4vy.cart_item.name";
    ItemNoQuantity => CartItem, "/cart_items/0/quantity", None, "gr4vy.cart_item.quantity";
    ItemNoUnitAmount => CartItem, "/cart_items/0/unit_amount", None, "gr4vy.cart_item.unit_amount";
    ItemQuantityText => CartItem, "/cart_items/0/quantity", Some(json!("two")), "gr4vy.validation-status";
    ItemDiscountNegative => CartItem, "/cart_items/0/discount_amount", Some(json!(-1)), "gr4vy.cart_item.fields";
    ItemTaxOver => CartItem, "/cart_items/0/tax_amount", Some(json!(AMOUNT_MAX + 1)), "gr4vy.cart_item.fields";
    ItemSkuLong => CartItem, "/cart_items/0/sku", Some(json!("s".repeat(201))), "gr4vy.cart_item.fields";
    ItemDescriptionEmpty => CartItem, "/cart_items/0/description", Some(json!("")), "gr4vy.cart_item.fields";
    ItemCategoryLong => CartItem, "/cart_items/0/categories/0", Some(json!(["c".repeat(51)])), "gr4vy.cart_item.fields";
    ItemProductType => CartItem, "/cart_items/0/product_type", Some(json!("gift")), "gr4vy.cart_item.fields";
    ItemSellerCountry => CartItem, "/cart_items/0/seller_country", Some(json!("us")), "gr4vy.cart_item.fields";
    ItemUnknown => CartItem, "/cart_items/0/foo", Some(json!("bar")), "gr4vy.unknown-field";
    RecordLong => Airline, "/airline/passenger_name_record", Some(json!("r".repeat(51))), "gr4vy.airline.fields";
    FlightShort => Airline, "/airline/legs/0/flight_number", Some(json!("BA")), "gr4vy.airline.fields";
    RestrictedText => Airline, "/airline/restricted_ticket", Some(json!("maybe")), "gr4vy.airline.fields";
    FareText => Airline, "/airline/legs/0/fare_amount", Some(json!("a hundred")), "gr4vy.airline.fields";
    RouteCircular => Airline, "/airline/legs/0/route_type", Some(json!("circular")), "gr4vy.airline.fields";
    AgeTeen => Airline, "/airline/passengers/0/age_group", Some(json!("teenager")), "gr4vy.airline.fields";
    DepartureYesterday => Airline, "/airline/legs/0/departure_at", Some(json!("yesterday")), "gr4vy.airline.fields";
    BirthSlashes => Airline, "/airline/passengers/0/date_of_birth", Some(json!("16/07/2013")), "gr4vy.airline.fields";
    FareNegative => Airline, "/airline/legs/0/fare_amount", Some(json!(-1)), "gr4vy.airline.fields";
    FeeOver => Airline, "/airline/legs/0/fee_amount", Some(json!(AMOUNT_MAX + 1)), "gr4vy.airline.fields";
    CountryLower => Airline, "/airline/legs/0/departure_country", Some(json!("uk")), "gr4vy.airline.fields";
    PhoneNoPlus => Airline, "/airline/passengers/0/phone_number", Some(json!("1234567890")), "gr4vy.airline.fields";
    LegUnknown => Airline, "/airline/legs/0/foo", Some(json!("bar")), "gr4vy.unknown-field";
    DisplayNameLong => Buyer, "/buyer/display_name", Some(json!("d".repeat(201))), "gr4vy.buyer";
    CityLong => Buyer, "/buyer/billing_details/address/city", Some(json!("c".repeat(101))), "gr4vy.buyer";
    BuyerPhone => Buyer, "/buyer/billing_details/phone_number", Some(json!("020 7946 0000")), "gr4vy.buyer";
    BuyerCountry => Buyer, "/buyer/billing_details/address/country", Some(json!("gb")), "gr4vy.buyer";
    TaxIdNoKind => Buyer, "/buyer/billing_details/tax_id/kind", None, "gr4vy.buyer";
    BuyerUnknown => Buyer, "/buyer/foo", Some(json!("bar")), "gr4vy.unknown-field";
}

impl Bad {
    /// Puts the value into `body` (whose container it needs is there).
    fn apply(self, body: &mut Value) {
        let pointer = self.pointer();
        // A category is replaced as a whole list; a tax id gets a value and no kind.
        let (parent, key) = match self {
            Bad::ItemCategoryLong => ("/cart_items/0", "categories"),
            Bad::TaxIdNoKind => {
                body["buyer"]["billing_details"]["tax_id"] = json!({"value": "GB123456789"});
                return;
            }
            _ => pointer.rsplit_once('/').unwrap_or(("", pointer)),
        };
        let Some(Value::Object(container)) = body.pointer_mut(parent) else {
            return;
        };
        match self.value() {
            Some(v) => container.insert(key.to_owned(), v),
            None => container.remove(key),
        };
    }
}

/// The most legs or passengers an addendum has.
const AIRLINE_MAX: usize = 20;

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
pub struct Gr4vyExplorer {
    /// Whether the run has a key to mint tokens with (not with `GR4VY_TOKEN` alone): the
    /// probes with an expired token and without a scope need it.
    mints: bool,
}

/// The session as the documentation says it must be.
#[derive(Debug, Clone, PartialEq, Default)]
struct Model {
    cart_items: Vec<CartItem>,
    metadata: Map<String, Value>,
    airline: Option<Airline>,
    buyer: bool,
    /// Deleted: it no longer exists.
    deleted: bool,
}

/// A predicted rejection.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Reject {
    /// 400 (or 422) naming the field at this pointer (or the path parameter).
    Invalid(String),
    /// 404 `not_found`.
    NotFound,
}

/// The JSON pointer of the first invalid value of `update`, if any.
fn invalid_at(update: &Update) -> Option<String> {
    if update.not_uuid {
        // The documentation page names the path parameter `checkout_session_id`.
        return Some("checkout_session_id".into());
    }
    if let Part::Set(airline) = &update.airline {
        if airline.legs > AIRLINE_MAX {
            return Some("/airline/legs".into());
        }
        if airline.passengers > AIRLINE_MAX {
            return Some("/airline/passengers".into());
        }
    }
    if let Some(bad) = update.bad {
        return Some(bad.pointer().to_owned());
    }
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
    fn apply(&self, update: &Update) -> Result<Model, Reject> {
        if let Some(pointer) = invalid_at(update) {
            return Err(Reject::Invalid(pointer));
        }
        if self.deleted || update.delete_first {
            return Err(Reject::NotFound);
        }
        let mut next = self.clone();
        match update.airline {
            Part::Omit => {}
            Part::Null => next.airline = None,
            Part::Set(a) => next.airline = Some(a),
        }
        match update.buyer {
            Part::Omit => {}
            Part::Null => next.buyer = false,
            Part::Set(()) => next.buyer = true,
        }
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
            "type": "checkout-session",
            "id": id,
            "expires_at": expires_at,
            "cart_items": self.cart_items.iter().map(item_json).collect::<Vec<_>>(),
            "metadata": self.metadata,
            "airline": self.airline.map(|a| json!({"legs": a.legs, "passengers": a.passengers})),
            "buyer": self.buyer.then(|| json!({"display_name": BUYER_NAME})),
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
    let count = |list: &Value| list.as_array().map_or(0, Vec::len);
    let airline = match &body["airline"] {
        Value::Null => Value::Null,
        a => json!({"legs": count(&a["legs"]), "passengers": count(&a["passengers"])}),
    };
    let buyer = match &body["buyer"] {
        Value::Null => Value::Null,
        b => json!({"display_name": b["display_name"]}),
    };
    json!({
        "type": body["type"],
        "id": body["id"],
        "expires_at": body["expires_at"],
        "cart_items": items,
        "metadata": metadata,
        "airline": airline,
        "buyer": buyer,
    })
}

const BUYER_NAME: &str = "John Lunn";

/// The documentation's example addendum, with `legs` legs and `passengers` passengers.
fn airline_json(airline: &Airline) -> Value {
    let leg = json!({"carrier_code": "LY", "flight_number": "BA98",
        "departure_at": "2013-07-16T19:23:00.000+00:00", "departure_country": "GB",
        "departure_airport": "LHR", "arrival_airport": "JFK", "fare_amount": 100,
        "route_type": "round_trip"});
    let passenger = json!({"title": "Mr.", "first_name": "John", "last_name": "Lunn",
        "phone_number": "+1234567890", "date_of_birth": "2013-07-16", "age_group": "adult"});
    let mut out = json!({"passenger_name_record": "JOHN L", "booking_code": "X36Q9C",
        "restricted_ticket": false});
    if airline.legs > 0 {
        out["legs"] = vec![leg; airline.legs].into();
    }
    if airline.passengers > 0 {
        out["passengers"] = vec![passenger; airline.passengers].into();
    }
    out
}

/// A guest buyer within the spec's limits.
fn buyer_json() -> Value {
    json!({"display_name": BUYER_NAME, "external_identifier": "buyer-123",
        "billing_details": {"first_name": "John", "last_name": "Lunn",
            "email_address": "john@example.com", "phone_number": "+1234567890",
            "address": {"city": "London", "country": "GB", "postal_code": "EC1A 1BB",
                "line1": "1 Long Lane", "state_code": "GB-LND"}}})
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
    match &update.airline {
        Part::Omit => {}
        Part::Null => {
            out.insert("airline".into(), Value::Null);
        }
        Part::Set(a) => {
            out.insert("airline".into(), airline_json(a));
        }
    }
    match &update.buyer {
        Part::Omit => {}
        Part::Null => {
            out.insert("buyer".into(), Value::Null);
        }
        Part::Set(()) => {
            out.insert("buyer".into(), buyer_json());
        }
    }
    let mut body = Value::Object(out);
    if let Some(bad) = update.bad {
        bad.apply(&mut body);
    }
    body
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
    let airline = match rng.u8(..10) {
        0..=1 => Part::Set(Airline {
            legs: [0, 1, 2, AIRLINE_MAX][rng.usize(..4)],
            passengers: [0, 1, 2, AIRLINE_MAX][rng.usize(..4)],
        }),
        2 => Part::Null,
        _ => Part::Omit,
    };
    let buyer = match rng.u8(..10) {
        0 => Part::Set(()),
        1 => Part::Null,
        _ => Part::Omit,
    };
    let mut update = Update {
        cart_items,
        metadata,
        airline,
        buyer,
        ..Update::default()
    };
    if update.cart_items == Part::Omit && update.metadata == Part::Omit {
        update.metadata = Part::Set(vec![("order_id".into(), Some("6735".into()))]);
    }
    match rng.u8(..100) {
        // A session id that is not a UUID; a session deleted before the update.
        // (Nothing else invalid in either: which error comes first is not documented.)
        0..=2 => {
            update.not_uuid = true;
            return update;
        }
        3..=4 => {
            update.delete_first = true;
            return update;
        }
        // One invalid value of the many kinds the spec bounds (the container made valid).
        5..=44 => {
            let bad = Bad::ALL[rng.usize(..Bad::ALL.len())];
            make_room(&mut update, bad.needs(), rng);
            update.bad = Some(bad);
            return update;
        }
        // More than 20 legs or passengers.
        45..=49 => {
            update.airline = Part::Set(if rng.bool() {
                Airline {
                    legs: AIRLINE_MAX + 1,
                    passengers: 1,
                }
            } else {
                Airline {
                    legs: 1,
                    passengers: AIRLINE_MAX + 1,
                }
            });
            return update;
        }
        _ => {}
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

/// Makes sure the body has what an invalid value needs: a cart item, an addendum with a leg and
/// a passenger, a buyer.
fn make_room(update: &mut Update, needs: Needs, rng: &mut fastrand::Rng) {
    match needs {
        Needs::Body => {}
        Needs::CartItem => {
            if !matches!(&update.cart_items, Part::Set(items) if !items.is_empty()) {
                update.cart_items = Part::Set(vec![item(rng)]);
            }
        }
        Needs::Airline => {
            let (legs, passengers) = match update.airline {
                Part::Set(a) => (a.legs.max(1), a.passengers.max(1)),
                _ => (1, 1),
            };
            update.airline = Part::Set(Airline { legs, passengers });
        }
        Needs::Buyer => update.buyer = Part::Set(()),
    }
}

// ---------------------------------------------------------------- execution

impl Gr4vyExplorer {
    async fn run_case(&self, target: &Target, case: &Gr4vyCase) -> Result<(), Stop> {
        let body = json!({"cart_items": case.items.iter().map(item_json).collect::<Vec<_>>()});
        let sessions = Provider::Gr4vy.sessions_path();
        let sent_at = crate::wire::datetime::now();
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
        // "By default this will be set to 1 hour from the date of creation" (a few minutes of
        // clock difference and latency allowed).
        let expires = expires_at.as_str().and_then(crate::wire::datetime::parse);
        if expires.is_none_or(|e| (e - sent_at - EXPIRY_SECONDS).abs() > EXPIRY_SLACK) {
            return Err(Stop::mismatch(
                0,
                EXPIRY_KIND,
                "the created session's expires_at",
                json!({"expires_at": format!("1 hour after creation ({})", crate::wire::datetime::format(sent_at + EXPIRY_SECONDS))}),
                json!({"expires_at": expires_at}),
                created.describe(),
            ));
        }
        for (step, update) in case.ops.iter().enumerate() {
            let n = step + 1;
            if update.delete_first {
                let (method, close, body) = Provider::Gr4vy.vendor().close_session(&path_id(&id));
                let deleted = target.send(method, &close, body, None).await?;
                if !(200..300).contains(&deleted.status) {
                    return Err(Stop::Setup(format!(
                        "deleting the session answered {}\n{}",
                        deleted.status,
                        deleted.describe()
                    )));
                }
            }
            if let Some(probe) = update.probe {
                let (documented, kind) = probe.documented();
                let unknown = Provider::Gr4vy.session_path(Provider::Gr4vy.vendor().unknown_session_id());
                let exchange = target
                    .send_under_test(UnderTest {
                        method: "PUT",
                        path: if probe == Probe::UnknownSession { &unknown } else { &path },
                        body: Provider::Gr4vy.update_body(&params(update)),
                        idempotency_key: None,
                        credential: probe.credential(target.state::<super::Signing>())?,
                        known: &path,
                    })
                    .await?;
                let what = format!("the answer to update {n}, sent {}", probe.how());
                crate::explore::judge_rejection(Provider::Gr4vy, step, kind, what, documented, &exchange)?;
            } else {
                let at = if update.not_uuid {
                    Provider::Gr4vy.session_path("not-a-uuid")
                } else {
                    path.clone()
                };
                let exchange = target
                    .send_under_test(UnderTest {
                        method: "PUT",
                        path: &at,
                        body: Provider::Gr4vy.update_body(&params(update)),
                        idempotency_key: None,
                        credential: Credential::Run,
                        known: &path,
                    })
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
                    Err(Reject::Invalid(pointer)) => {
                        let named = super::wire::named_fields(exchange.status, &exchange.body);
                        // Error400: `type` is always `error`, `code` always `bad_request`.
                        let envelope = exchange.status != 400
                            || (exchange.body["type"] == "error"
                                && exchange.body["code"] == "bad_request");
                        let ok = matches!(exchange.status, 400 | 422)
                            && named.contains(&pointer)
                            && envelope;
                        if !ok {
                            return Err(Stop::mismatch(
                                step,
                                "validation",
                                format!("the answer to update {n}"),
                                json!({"status": "400 or 422", "names the field": pointer, "type": "error", "code": "bad_request"}),
                                json!({"status": exchange.status, "names the fields": named, "type": exchange.body["type"], "code": exchange.body["code"]}),
                                exchange.describe(),
                            ));
                        }
                    }
                    Err(Reject::NotFound) => {
                        model.deleted = true;
                        if exchange.status != 404 || exchange.body["code"] != "not_found" {
                            return Err(Stop::mismatch(
                                step,
                                "not-found",
                                format!("the answer to update {n}"),
                                json!({"status": 404, "code": "not_found"}),
                                json!({"status": exchange.status, "code": exchange.body["code"]}),
                                exchange.describe(),
                            ));
                        }
                    }
                }
            }
            model.deleted |= update.delete_first;
            let read = target.send("GET", &path, Body::Empty, None).await?;
            if model.deleted {
                if read.status != 404 {
                    return Err(Stop::mismatch(
                        step,
                        "read-back not-found",
                        format!("the session read back after update {n}"),
                        json!({"status": 404}),
                        json!({"status": read.status}),
                        read.describe(),
                    ));
                }
                continue;
            }
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

/// The kind of the mismatch of a new session's `expires_at`.
const EXPIRY_KIND: &str = "expires_at at creation";
const EXPIRY_SECONDS: i64 = 3600;
const EXPIRY_SLACK: i64 = 300;

fn path_id(id: &Value) -> String {
    id.as_str().unwrap_or_default().to_owned()
}

fn first_difference(expected: &Value, actual: &Value) -> String {
    [
        "cart_items",
        "metadata",
        "airline",
        "buyer",
        "type",
        "expires_at",
        "id",
    ]
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

    async fn prepare(&mut self, target: &Target) -> Result<(), Stop> {
        self.mints = target.state::<super::Signing>().is_some();
        Ok(())
    }

    /// One case: a session of one cart item updated without a token, with a malformed one,
    /// with an expired one and with one without the write scope (these two when the run has a
    /// key to mint them with), and an update of a session that does not exist.
    fn probes(&self) -> Vec<Gr4vyCase> {
        let ops = [
            Probe::NoToken,
            Probe::MalformedToken,
            Probe::ExpiredToken,
            Probe::WithoutWriteScope,
            Probe::UnknownSession,
        ]
        .into_iter()
        .filter(|p| self.mints || !p.mints())
        .map(|probe| Update {
            metadata: Part::Set(vec![("order_id".into(), Some("6735".into()))]),
            probe: Some(probe),
            ..Update::default()
        })
        .collect();
        vec![Gr4vyCase {
            items: vec![CartItem {
                name: NAMES[0].into(),
                quantity: 1,
                unit_amount: 1000,
            }],
            ops,
        }]
    }

    fn generate(&self, rng: &mut fastrand::Rng, max_steps: usize) -> Gr4vyCase {
        let items = (0..rng.usize(1..=4)).map(|_| item(rng)).collect();
        let mut deleted = false;
        let ops = (0..rng.usize(1..=max_steps.max(1)))
            .map(|_| {
                let mut next = update(rng);
                // After the session is deleted, plain updates: whether a body is validated
                // before the session is looked up is not documented.
                if deleted {
                    next = Update {
                        metadata: Part::Set(vec![("order_id".into(), Some("6735".into()))]),
                        ..Update::default()
                    };
                }
                deleted |= next.delete_first;
                next
            })
            .collect();
        Gr4vyCase { items, ops }
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
            if op.probe.is_some() {
                // A probe's body is the suite's scenario's: kept whole.
                continue;
            }
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
        out.retain(|c| c != case && !c.ops.is_empty() && c.ops.iter().all(Update::fits));
        out
    }

    fn scenario(&self, case: &Gr4vyCase, mismatch: &Mismatch, title: &str) -> Scenario {
        let ops = &case.ops[..=mismatch.step.min(case.ops.len().saturating_sub(1))];
        let mut clauses = std::collections::BTreeSet::new();
        let mut text = String::new();
        let mut model = Model {
            cart_items: case.items.clone(),
            ..Model::default()
        };
        let mut last = Ok(());
        let mut whens = String::new();
        // The Then steps of a probe, when the last operation is one.
        let mut probe_then = None;
        for op in ops {
            if let Some(probe) = op.probe {
                clauses.insert(probe.clause());
                let and = if whens.is_empty() { "When" } else { "And" };
                whens.push_str(&format!("    {and} {}\n", probe.when()));
                whens.push_str(&json_docstring(&params(op)));
                probe_then = Some(probe.then());
                continue;
            }
            probe_then = None;
            clauses.insert("gr4vy.update.returns-session");
            match &op.cart_items {
                Part::Set(_) => clauses.insert("gr4vy.cart_items.replace"),
                Part::Null => clauses.insert("gr4vy.cart_items.null"),
                Part::Omit => false,
            };
            if op.metadata != Part::Omit {
                clauses.insert("gr4vy.metadata");
            }
            if let Part::Set(a) = op.airline {
                clauses.insert(if a.legs > AIRLINE_MAX || a.passengers > AIRLINE_MAX {
                    "gr4vy.airline.limits"
                } else {
                    "gr4vy.airline.fields"
                });
            }
            if op.buyer != Part::Omit {
                clauses.insert("gr4vy.buyer");
            }
            if let Some(bad) = op.bad {
                clauses.insert(bad.clause());
                clauses.insert("gr4vy.validation-status");
            }
            let and = if whens.is_empty() { "When" } else { "And" };
            if op.delete_first {
                clauses.insert("gr4vy.not-found");
                whens.push_str(&format!("    {and} I delete the session\n"));
            }
            let and = if whens.is_empty() { "When" } else { "And" };
            if op.not_uuid {
                clauses.insert("gr4vy.session-id.uuid");
                whens.push_str(&format!(
                    "    {and} I update a session whose id is \"not-a-uuid\" with the parameters:\n"
                ));
            } else {
                whens.push_str(&format!(
                    "    {and} I update the session with the parameters:\n"
                ));
            }
            whens.push_str(&json_docstring(&params(op)));
            last = match model.apply(op) {
                Ok(next) => {
                    model = next;
                    Ok(())
                }
                Err(Reject::NotFound) => {
                    model.deleted = true;
                    Err(Reject::NotFound)
                }
                Err(r) => Err(r),
            };
        }
        if mismatch.kind == EXPIRY_KIND {
            return Scenario {
                text: format!(
                    "  @explore @doc:gr4vy.expires_at\n  Scenario: {title}: {}\n    Given a checkout session\n    Then the session expires 1 hour after it was created\n",
                    mismatch.what
                ),
                not_expressible: None,
            };
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
        match (probe_then, last) {
            (Some(then), _) => text.push_str(then),
            (None, Err(Reject::NotFound)) => {
                text.push_str(
                    "    Then the update is rejected because the session does not exist\n",
                );
            }
            (None, Err(Reject::Invalid(pointer))) => {
                text.push_str(&format!(
                    "    Then the update is rejected as invalid at \"{pointer}\"\n"
                ));
                if !model.deleted && !ops.iter().any(|o| o.not_uuid) {
                    text.push_str("    And the session is unchanged\n");
                }
            }
            (None, Ok(())) => {
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
                if mismatch.kind.ends_with("type") {
                    text.push_str("    And the session's type is \"checkout-session\"\n");
                }
                if let Some(a) = model.airline {
                    text.push_str(&format!(
                        "    And the session's airline has {} legs\n",
                        a.legs
                    ));
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
            ..Update::default()
        };
        assert_eq!(invalid_at(&update).as_deref(), pointer);
    }

    #[rstest]
    #[case::legs_20(Airline { legs: 20, passengers: 1 }, None)]
    #[case::legs_21(Airline { legs: 21, passengers: 1 }, Some("/airline/legs"))]
    #[case::passengers_21(Airline { legs: 0, passengers: 21 }, Some("/airline/passengers"))]
    fn airline_limits(#[case] airline: Airline, #[case] pointer: Option<&str>) {
        let update = Update {
            airline: Part::Set(airline),
            ..Update::default()
        };
        assert_eq!(invalid_at(&update).as_deref(), pointer);
    }

    /// Each invalid value lands where its pointer says, in a body otherwise valid.
    #[rstest]
    fn each_bad_value_is_at_its_pointer(#[values(0, 1, 2)] seed: u64) {
        for bad in Bad::ALL {
            let mut update = Update::default();
            make_room(
                &mut update,
                bad.needs(),
                &mut fastrand::Rng::with_seed(seed),
            );
            let valid = params(&update);
            update.bad = Some(*bad);
            let body = params(&update);
            assert_ne!(valid, body, "{bad:?}");
            let pointer = bad.pointer();
            match bad.value() {
                Some(v) if *bad != Bad::ItemCategoryLong => {
                    assert_eq!(body.pointer(pointer), Some(&v), "{bad:?}")
                }
                Some(_) => assert!(body.pointer(pointer).is_some(), "{bad:?}"),
                None => assert_eq!(body.pointer(pointer), None, "{bad:?}"),
            }
            assert_eq!(invalid_at(&update).as_deref(), Some(pointer));
            assert!(update.fits());
            assert!(
                !Update {
                    bad: Some(*bad),
                    ..Update::default()
                }
                .fits()
                    || bad.needs() == Needs::Body
            );
        }
    }

    #[test]
    fn a_deleted_session_is_not_found() {
        let model = Model::default();
        let update = Update {
            delete_first: true,
            metadata: Part::Set(vec![]),
            ..Update::default()
        };
        assert_eq!(model.apply(&update), Err(Reject::NotFound));
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
            ..Model::default()
        };
        let next = model
            .apply(&Update {
                cart_items,
                metadata,
                ..Update::default()
            })
            .expect("valid");
        assert_eq!((next.cart_items.len(), next.metadata.len()), (items, keys));
    }
}
