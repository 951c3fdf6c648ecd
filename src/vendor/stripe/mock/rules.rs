//! The documented rules of Stripe's parameters, each in one place, shared by the create and the
//! update endpoints. Every rule names the parameter it rejects; every rule has a fault that
//! switches it off (see [`crate::mock::Fault`]).

use super::error::MockError;
use super::model::*;
use super::params::{list_of, string_pairs, Clearable, Obj, Result};
use super::StripeFault;
use crate::vendor::stripe::form::{child, FormValue};
use std::collections::{HashMap, HashSet};

/// At most 50 metadata keys on an object (Stripe's metadata documentation).
pub const METADATA_MAX_KEYS: usize = 50;
/// A metadata key is at most 40 characters.
pub const METADATA_KEY_MAX: usize = 40;
/// A metadata value is at most 500 characters.
pub const METADATA_VALUE_MAX: usize = 500;
/// `adjustable_quantity[maximum]` is at most 999999.
pub const ADJUSTABLE_MAXIMUM: i64 = 999_999;
/// `product_data[unit_label]` is at most 12 characters.
pub const UNIT_LABEL_MAX: usize = 12;
/// At most 8 `product_data[images]`.
pub const IMAGES_MAX: usize = 8;
/// A shipping rate's `display_name` is at most 100 characters.
pub const DISPLAY_NAME_MAX: usize = 100;
/// At most 5 shipping options on a session.
pub const SHIPPING_OPTIONS_MAX: usize = 5;
/// A shipping details `name` is at most 255 characters.
pub const SHIPPING_NAME_MAX: usize = 255;
pub const TAX_BEHAVIORS: &[&str] = &["exclusive", "inclusive", "unspecified"];
pub const INTERVALS: &[&str] = &["day", "week", "month", "year"];
pub const DELIVERY_UNITS: &[&str] = &["business_day", "day", "hour", "month", "week"];
/// Largest integer the mock accepts for amounts and quantities (Stripe's amounts are 8 digits).
const AMOUNT_MAX: i64 = 99_999_999;

/// What the rules may look up: the objects created earlier through the API.
pub struct Catalog<'a> {
    pub prices: &'a HashMap<String, Price>,
    pub products: &'a HashMap<String, String>,
    pub shipping_rates: &'a HashMap<String, ShippingRate>,
}

/// Applies a posted `metadata` (at `key` of `obj`) to `current`: merge, `key=` unsets a key,
/// `metadata=` unsets all; then Stripe's limits.
pub fn apply_metadata(obj: &Obj<'_>, key: &str, current: &mut Metadata) -> Result<()> {
    let faults = obj.faults();
    let path = obj.path(key);
    match obj.clearable(key) {
        None => return Ok(()),
        Some(Clearable::Clear) => {
            if !faults.has(StripeFault::MetadataClearIgnored) {
                current.clear();
            }
            return Ok(());
        }
        Some(Clearable::Set(value)) => {
            let pairs = string_pairs(&path, value)?;
            if faults.has(StripeFault::MetadataReplacedNotMerged) {
                current.clear();
            }
            let limits = !faults.has(StripeFault::MetadataLimitsUnchecked);
            for (k, v) in pairs {
                let param = child(&path, k);
                if limits && k.chars().count() > METADATA_KEY_MAX {
                    return Err(MockError::invalid(
                        &param,
                        format!("Metadata keys can have up to {METADATA_KEY_MAX} characters."),
                    ));
                }
                if limits && v.chars().count() > METADATA_VALUE_MAX {
                    return Err(MockError::invalid(
                        &param,
                        format!("Metadata values can have up to {METADATA_VALUE_MAX} characters."),
                    ));
                }
                if v.is_empty() {
                    if !faults.has(StripeFault::MetadataUnsetIgnored) {
                        current.remove(k);
                    }
                } else {
                    current.insert(k.to_owned(), v.to_owned());
                }
            }
            if limits && current.len() > METADATA_MAX_KEYS {
                return Err(MockError::invalid(
                    &path,
                    format!("Metadata can have up to {METADATA_MAX_KEYS} keys."),
                ));
            }
        }
    }
    Ok(())
}

/// Metadata given at creation: the same rules, applied to nothing.
pub fn new_metadata(obj: &Obj<'_>, key: &str) -> Result<Metadata> {
    let mut metadata = Metadata::new();
    apply_metadata(obj, key, &mut metadata)?;
    Ok(metadata)
}

fn currency(obj: &Obj<'_>, key: &str) -> Result<String> {
    let c = obj.required_string(key)?;
    if c.len() != 3 || !c.bytes().all(|b| b.is_ascii_lowercase()) {
        return Err(MockError::invalid(
            &obj.path(key),
            "Invalid currency: must be a three-letter ISO code in lowercase.",
        ));
    }
    Ok(c.to_owned())
}

fn tax_behavior<'a>(obj: &Obj<'a>) -> Result<Option<&'a str>> {
    obj.one_of(
        "tax_behavior",
        TAX_BEHAVIORS,
        Some(StripeFault::TaxBehaviorUnchecked),
    )
}

/// `recurring`: interval in the documented enum, at most three years long. `usage_type` is a
/// parameter of `POST /v1/prices` only: a line item's `price_data[recurring]` takes `interval` and
/// `interval_count`, nothing else.
fn recurring(obj: &Obj<'_>, context: PriceContext) -> Result<Option<Recurring>> {
    let keys: &[&str] = match context {
        PriceContext::LineItem => &["interval", "interval_count"],
        PriceContext::Create => &["interval", "interval_count", "usage_type"],
    };
    let Some(r) = obj.object("recurring", keys)? else {
        return Ok(None);
    };
    let faults = r.faults();
    let interval = r.required_string("interval")?;
    r.one_of(
        "interval",
        INTERVALS,
        Some(StripeFault::RecurringIntervalUnchecked),
    )?;
    let count = r.integer("interval_count")?.unwrap_or(1);
    let max = match interval {
        "day" => 3 * 365,
        "week" => 156,
        "month" => 36,
        "year" => 3,
        _ => i64::MAX,
    };
    let too_long = count > max && !faults.has(StripeFault::RecurringLengthUnchecked);
    if count < 1 || too_long {
        return Err(MockError::invalid_integer(
            &r.path("interval_count"),
            &format!("must be between 1 and {max} for interval {interval} (at most three years)"),
        ));
    }
    r.one_of("usage_type", &["licensed", "metered"], None)?;
    Ok(Some(Recurring {
        interval: interval.to_owned(),
        interval_count: count,
    }))
}

/// `unit_amount` or `unit_amount_decimal`, exactly one; returns (unit_amount, decimal text).
fn unit_amount(obj: &Obj<'_>) -> Result<(Option<i64>, String)> {
    let amount = obj.integer_in("unit_amount", 0, AMOUNT_MAX, None)?;
    let decimal = obj.string("unit_amount_decimal")?;
    match (amount, decimal) {
        (Some(_), Some(_)) if !obj.faults().has(StripeFault::UnitAmountExclusivityUnchecked) => Err(
            MockError::exclusive(&obj.path("unit_amount"), &obj.path("unit_amount_decimal")),
        ),
        (Some(a), _) => Ok((Some(a), a.to_string())),
        (None, Some(d)) => {
            let valid = d
                .split_once('.')
                .map_or(Some((d, "")), Some)
                .is_some_and(|(int, frac)| {
                    !int.is_empty()
                        && int.bytes().all(|b| b.is_ascii_digit())
                        && frac.len() <= 12
                        && frac.bytes().all(|b| b.is_ascii_digit())
                });
            if !valid {
                return Err(MockError::invalid(
                    &obj.path("unit_amount_decimal"),
                    "Invalid decimal: a non-negative amount in cents with at most 12 decimal places.",
                ));
            }
            // Answered as a `decimal` (the schemas assert that format): `250.` is `250`.
            Ok((None, d.strip_suffix('.').unwrap_or(d).to_owned()))
        }
        (None, None) => Err(MockError::missing(&obj.path("unit_amount"))),
    }
}

/// Where a price is described: inline in a line item (`price_data`, `product_data`), or on
/// `POST /v1/prices`; the two take different keys.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum PriceContext {
    LineItem,
    Create,
}

/// `price_data` (line items) or the body of `POST /v1/prices`: a new price.
pub fn price(obj: &Obj<'_>, catalog: &Catalog<'_>, context: PriceContext) -> Result<Price> {
    let currency = currency(obj, "currency")?;
    let product_keys: &[&str] = match context {
        PriceContext::LineItem => &[
            "name",
            "description",
            "images",
            "metadata",
            "tax_code",
            "unit_label",
        ],
        PriceContext::Create => &[
            "name",
            "active",
            "id",
            "metadata",
            "statement_descriptor",
            "tax_code",
            "unit_label",
        ],
    };
    let product_data = obj.object("product_data", product_keys)?;
    let (product, product_name) = match (obj.string("product")?, product_data) {
        (Some(_), Some(_)) => {
            return Err(MockError::exclusive(
                &obj.path("product"),
                &obj.path("product_data"),
            ))
        }
        (Some(id), None) => match catalog.products.get(id) {
            Some(name) => (id.to_owned(), name.clone()),
            None => return Err(MockError::no_such(&obj.path("product"), "product", id)),
        },
        (None, Some(data)) => {
            let name = data.required_string("name")?;
            data.string("description")?;
            data.string("tax_code")?;
            data.string("statement_descriptor")?;
            data.boolean("active")?;
            data.string_max(
                "unit_label",
                UNIT_LABEL_MAX,
                Some(StripeFault::UnitLabelLengthUnchecked),
            )?;
            if let Some(images) = data.list("images")? {
                if images.len() > IMAGES_MAX && !data.faults().has(StripeFault::ImagesLimitUnchecked) {
                    return Err(MockError::invalid(
                        &data.path("images"),
                        format!("Invalid array: at most {IMAGES_MAX} images."),
                    ));
                }
                for (path, image) in images {
                    if image.as_str().is_none() {
                        return Err(MockError::invalid(
                            &path,
                            "Invalid string: image URLs must be strings.",
                        ));
                    }
                }
            }
            new_metadata(&data, "metadata")?;
            (new_id("prod_", 14), name.to_owned())
        }
        (None, None) => return Err(MockError::missing(&obj.path("product_data"))),
    };
    let (unit_amount, unit_amount_decimal) = unit_amount(obj)?;
    let recurring = recurring(obj, context)?;
    let tax_behavior = tax_behavior(obj)?.unwrap_or("unspecified").to_owned();
    let (metadata, nickname) = match context {
        PriceContext::LineItem => (Metadata::new(), None),
        PriceContext::Create => (
            new_metadata(obj, "metadata")?,
            obj.string("nickname")?.map(str::to_owned),
        ),
    };
    Ok(Price {
        id: new_id("price_", 24),
        product,
        currency,
        unit_amount,
        unit_amount_decimal,
        recurring,
        tax_behavior,
        metadata,
        nickname,
        created: now(),
        product_name,
        extra: serde_json::Map::new(),
    })
}

/// `adjustable_quantity`: `enabled` required; maximum up to 999999; minimum not negative.
fn adjustable_quantity(item: &Obj<'_>) -> Result<Option<AdjustableQuantity>> {
    let Some(a) = item.object("adjustable_quantity", &["enabled", "maximum", "minimum"])? else {
        return Ok(None);
    };
    let faults = a.faults();
    let enabled = match a.boolean("enabled")? {
        Some(e) => e,
        None if faults.has(StripeFault::AdjustableEnabledOptional) => true,
        None => return Err(MockError::missing(&a.path("enabled"))),
    };
    // Each fault lifts only the bound it names (the upper one of `maximum`, the lower one of
    // `minimum`); the other bound of each stays checked.
    let maximum_cap = if faults.has(StripeFault::AdjustableMaximumUnchecked) {
        i64::MAX
    } else {
        ADJUSTABLE_MAXIMUM
    };
    let minimum_floor = if faults.has(StripeFault::AdjustableMinimumUnchecked) {
        i64::MIN
    } else {
        0
    };
    let maximum = a.integer_in("maximum", 1, maximum_cap, None)?;
    let minimum = a.integer_in("minimum", minimum_floor, ADJUSTABLE_MAXIMUM, None)?;
    if let (Some(min), Some(max)) = (minimum, maximum) {
        if min > max {
            return Err(MockError::invalid_integer(
                &a.path("minimum"),
                "must not be greater than maximum",
            ));
        }
    }
    // "Setting to false will remove any previously specified constraints on quantity."
    Ok(Some(if enabled {
        AdjustableQuantity {
            enabled,
            maximum,
            minimum,
        }
    } else {
        AdjustableQuantity {
            enabled,
            maximum: None,
            minimum: None,
        }
    }))
}

const LINE_ITEM_KEYS: &[&str] = &[
    "id",
    "adjustable_quantity",
    "metadata",
    "price",
    "price_data",
    "quantity",
    "tax_rates",
];
pub const PRICE_DATA_KEYS: &[&str] = &[
    "currency",
    "product",
    "product_data",
    "recurring",
    "tax_behavior",
    "unit_amount",
    "unit_amount_decimal",
];

fn quantity(item: &Obj<'_>) -> Result<Option<i64>> {
    item.integer_in("quantity", 1, AMOUNT_MAX, None)
}

fn tax_rates(item: &Obj<'_>, current: &[String]) -> Result<Vec<String>> {
    match item.clearable("tax_rates") {
        None => Ok(current.to_vec()),
        Some(Clearable::Clear) => Ok(Vec::new()),
        Some(Clearable::Set(value)) => {
            // The mock has no tax rates to refer to: any id is unknown.
            let rates = list_of(&item.path("tax_rates"), value)?;
            match rates.first() {
                None => Ok(Vec::new()),
                Some((path, rate)) => Err(MockError::no_such(
                    path,
                    "tax rate",
                    rate.as_str().unwrap_or(""),
                )),
            }
        }
    }
}

/// The price of a line item: `price` (an existing Price) or `price_data`, never both.
fn item_price(item: &Obj<'_>, catalog: &Catalog<'_>) -> Result<Option<Price>> {
    let by_id = item.string("price")?;
    let data = item.object("price_data", PRICE_DATA_KEYS)?;
    if by_id.is_some() && data.is_some() && !item.faults().has(StripeFault::PriceExclusivityUnchecked) {
        return Err(MockError::exclusive(
            &item.path("price"),
            &item.path("price_data"),
        ));
    }
    if let Some(data) = data {
        return price(&data, catalog, PriceContext::LineItem).map(Some);
    }
    match by_id {
        None => Ok(None),
        Some("") => Err(MockError::invalid_empty(&item.path("price"))),
        Some(id) => catalog
            .prices
            .get(id)
            .cloned()
            .map(Some)
            .ok_or_else(|| MockError::no_such(&item.path("price"), "price", id)),
    }
}

/// A new line item: one of `price` or `price_data`, and `quantity`.
fn new_line_item(item: &Obj<'_>, catalog: &Catalog<'_>) -> Result<LineItem> {
    let price =
        item_price(item, catalog)?.ok_or_else(|| MockError::missing(&item.path("price")))?;
    let quantity = match quantity(item)? {
        Some(q) => q,
        None if item.faults().has(StripeFault::NewLineItemQuantityOptional) => 1,
        None => return Err(MockError::missing(&item.path("quantity"))),
    };
    let mut metadata = Metadata::new();
    apply_metadata(item, "metadata", &mut metadata)?;
    if item.faults().has(StripeFault::LineItemMetadataIgnored) {
        metadata.clear();
    }
    Ok(LineItem {
        id: new_id("li_", 24),
        price,
        quantity,
        adjustable_quantity: adjustable_quantity(item)?,
        metadata,
        tax_rates: tax_rates(item, &[])?,
    })
}

/// An existing line item retained (`{id}`) or updated (`{id, fields...}`).
fn updated_line_item(
    item: &Obj<'_>,
    existing: &LineItem,
    catalog: &Catalog<'_>,
) -> Result<LineItem> {
    let faults = item.faults();
    let mut updated = existing.clone();
    if let Some(price) = item_price(item, catalog)? {
        updated.price = price;
    }
    if let Some(q) = quantity(item)? {
        if !faults.has(StripeFault::LineItemUpdateIgnored) {
            updated.quantity = q;
        }
    }
    if let Some(a) = adjustable_quantity(item)? {
        updated.adjustable_quantity = Some(a);
    }
    let mut metadata = updated.metadata.clone();
    apply_metadata(item, "metadata", &mut metadata)?;
    let first = item.path("metadata").starts_with("line_items[0]");
    let ignored = faults.has(StripeFault::LineItemMetadataIgnored)
        || (faults.has(StripeFault::LineItemMetadataIgnoredAfterFirst) && !first);
    if !ignored {
        updated.metadata = metadata;
    }
    updated.tax_rates = tax_rates(item, &existing.tax_rates)?;
    let fields = ["quantity", "price", "price_data", "adjustable_quantity", "metadata", "tax_rates"];
    if faults.has(StripeFault::UpdatedLineItemIdChanges) && fields.iter().any(|f| item.has(f)) {
        updated.id = new_id("li_", 24);
    }
    Ok(updated)
}

/// `line_items` at creation: every element is a new item.
pub fn new_line_items(obj: &Obj<'_>, catalog: &Catalog<'_>) -> Result<Vec<LineItem>> {
    let Some(items) = obj.list("line_items")? else {
        return Ok(Vec::new());
    };
    items
        .into_iter()
        .map(|(path, value)| {
            let item = obj.open(path, value, LINE_ITEM_KEYS)?;
            if item.has("id") {
                return Err(MockError::unknown(&item.path("id")));
            }
            new_line_item(&item, catalog)
        })
        .collect()
}

/// `line_items` on update: the whole array is retransmitted. `{id}` retains, `{id, ...}` updates,
/// an element without id is new, an omitted id is removed, and the array order is the new order.
pub fn retransmitted_line_items(
    obj: &Obj<'_>,
    current: &[LineItem],
    catalog: &Catalog<'_>,
) -> Result<Vec<LineItem>> {
    let faults = obj.faults();
    let Some(value) = obj.clearable("line_items") else {
        return Ok(current.to_vec());
    };
    let elements = match value {
        Clearable::Clear => Vec::new(),
        Clearable::Set(value) => list_of(&obj.path("line_items"), value)?,
    };
    if elements.is_empty() {
        return Err(MockError::invalid(
            &obj.path("line_items"),
            "A Checkout Session must have at least one line item.",
        ));
    }
    let mut seen = HashSet::new();
    let mut result = Vec::with_capacity(elements.len());
    for (path, value) in elements {
        let item = obj.open(path, value, LINE_ITEM_KEYS)?;
        match item.string("id")? {
            Some(id) => {
                let Some(existing) = current.iter().find(|li| li.id == id) else {
                    if faults.has(StripeFault::UnknownLineItemAccepted) {
                        continue;
                    }
                    return Err(MockError::no_such(&item.path("id"), "line item", id));
                };
                if !seen.insert(id) {
                    return Err(MockError::invalid(
                        &item.path("id"),
                        "Each line item id may appear only once.",
                    ));
                }
                result.push(updated_line_item(&item, existing, catalog)?);
            }
            None => result.push(new_line_item(&item, catalog)?),
        }
    }
    if faults.has(StripeFault::LineItemsOrderIgnored)
        || (faults.has(StripeFault::LineItemsOrderIgnoredFromThree) && result.len() >= 3)
    {
        let position = |li: &LineItem| {
            current
                .iter()
                .position(|c| c.id == li.id)
                .unwrap_or(usize::MAX)
        };
        result.sort_by_key(position);
    }
    if faults.has(StripeFault::LineItemsAppended) {
        let mut appended: Vec<LineItem> = current.to_vec();
        appended.extend(
            result
                .into_iter()
                .filter(|li| !current.iter().any(|c| c.id == li.id)),
        );
        return Ok(appended);
    }
    Ok(result)
}

fn bound(estimate: &Obj<'_>, key: &str) -> Result<Option<Bound>> {
    let Some(b) = estimate.object(key, &["unit", "value"])? else {
        return Ok(None);
    };
    let unchecked = b.faults().has(StripeFault::DeliveryEstimateUnchecked);
    let unit = b.required_string("unit")?;
    b.one_of(
        "unit",
        DELIVERY_UNITS,
        Some(StripeFault::DeliveryEstimateUnchecked),
    )?;
    let value = b
        .integer("value")?
        .ok_or_else(|| MockError::missing(&b.path("value")))?;
    if value <= 0 && !unchecked {
        return Err(MockError::invalid_integer(
            &b.path("value"),
            "must be greater than 0",
        ));
    }
    Ok(Some(Bound {
        unit: unit.to_owned(),
        value,
    }))
}

fn fixed_amount(data: &Obj<'_>) -> Result<Option<FixedAmount>> {
    let Some(f) = data.object("fixed_amount", &["amount", "currency", "currency_options"])? else {
        return Ok(None);
    };
    let negative_ok = f.faults().has(StripeFault::NegativeShippingAmountAccepted);
    let amount = f
        .integer("amount")?
        .ok_or_else(|| MockError::missing(&f.path("amount")))?;
    if amount < 0 && !negative_ok {
        return Err(MockError::invalid_integer(
            &f.path("amount"),
            "must be a non-negative integer",
        ));
    }
    let currency = currency(&f, "currency")?;
    let mut currency_options = std::collections::BTreeMap::new();
    if let Some(value) = f.clearable("currency_options") {
        let Clearable::Set(FormValue::Map(options)) = value else {
            return Err(MockError::invalid(
                &f.path("currency_options"),
                "Invalid object: currency_options must be an object.",
            ));
        };
        for (code, option) in options {
            let path = child(&f.path("currency_options"), code);
            if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_lowercase()) {
                return Err(MockError::invalid(
                    &path,
                    "Invalid currency: must be a three-letter ISO code in lowercase.",
                ));
            }
            let o = f.open(path, option, &["amount", "tax_behavior"])?;
            let amount = o
                .integer("amount")?
                .ok_or_else(|| MockError::missing(&o.path("amount")))?;
            if amount < 0 && !negative_ok {
                return Err(MockError::invalid_integer(
                    &o.path("amount"),
                    "must be a non-negative integer",
                ));
            }
            let tax_behavior = tax_behavior(&o)?.map(str::to_owned);
            currency_options.insert(
                code.clone(),
                CurrencyOption {
                    amount,
                    tax_behavior,
                },
            );
        }
    }
    Ok(Some(FixedAmount {
        amount,
        currency,
        currency_options,
    }))
}

const SHIPPING_RATE_KEYS: &[&str] = &[
    "delivery_estimate",
    "display_name",
    "fixed_amount",
    "metadata",
    "tax_behavior",
    "tax_code",
    "type",
];

/// `shipping_rate_data` or the body of `POST /v1/shipping_rates`: a new shipping rate.
pub fn shipping_rate(data: &Obj<'_>) -> Result<ShippingRate> {
    let faults = data.faults();
    let display_name = data.required_string("display_name")?;
    data.string_max(
        "display_name",
        DISPLAY_NAME_MAX,
        Some(StripeFault::DisplayNameLengthUnchecked),
    )?;
    // The documentation marks `type` required; the published spec does not (documentation wins).
    data.required_string("type")?;
    data.one_of("type", &["fixed_amount"], None)?;
    let fixed_amount = fixed_amount(data)?;
    if fixed_amount.is_none() && !faults.has(StripeFault::FixedAmountOptional) {
        return Err(MockError::missing(&data.path("fixed_amount")));
    }
    let (minimum, maximum) = match data.object("delivery_estimate", &["maximum", "minimum"])? {
        Some(e) => (bound(&e, "minimum")?, bound(&e, "maximum")?),
        None => (None, None),
    };
    Ok(ShippingRate {
        id: new_id("shr_", 24),
        display_name: display_name.to_owned(),
        fixed_amount,
        minimum,
        maximum,
        tax_behavior: tax_behavior(data)?.unwrap_or("unspecified").to_owned(),
        tax_code: data.string("tax_code")?.map(str::to_owned),
        metadata: new_metadata(data, "metadata")?,
        created: now(),
        extra: serde_json::Map::new(),
    })
}

/// `shipping_options`: at most five, each exactly one of `shipping_rate` / `shipping_rate_data`;
/// `shipping_options=` clears them. `None` when not given (or when clearing is faulted away).
pub fn shipping_options(obj: &Obj<'_>, catalog: &Catalog<'_>) -> Result<Option<Vec<ShippingRate>>> {
    let faults = obj.faults();
    let elements = match obj.clearable("shipping_options") {
        None => return Ok(None),
        Some(Clearable::Clear) if faults.has(StripeFault::ShippingOptionsClearIgnored) => {
            return Ok(None)
        }
        Some(Clearable::Clear) => return Ok(Some(Vec::new())),
        Some(Clearable::Set(value)) => list_of(&obj.path("shipping_options"), value)?,
    };
    if elements.len() > SHIPPING_OPTIONS_MAX && !faults.has(StripeFault::SixthShippingOptionAccepted) {
        return Err(MockError::invalid(
            &obj.path("shipping_options"),
            format!(
                "Invalid array: shipping_options can have at most {SHIPPING_OPTIONS_MAX} elements."
            ),
        ));
    }
    elements
        .into_iter()
        .map(|(path, value)| {
            let option = obj.open(path, value, &["shipping_rate", "shipping_rate_data"])?;
            let by_id = option.string("shipping_rate")?;
            let data = option.object("shipping_rate_data", SHIPPING_RATE_KEYS)?;
            match (by_id, data) {
                (Some(_), Some(data)) if faults.has(StripeFault::ShippingRateExclusivityUnchecked) => {
                    shipping_rate(&data)
                }
                (Some(_), Some(_)) => Err(MockError::exclusive(
                    &option.path("shipping_rate"),
                    &option.path("shipping_rate_data"),
                )),
                (Some(id), None) => catalog.shipping_rates.get(id).cloned().ok_or_else(|| {
                    MockError::no_such(&option.path("shipping_rate"), "shipping rate", id)
                }),
                (None, Some(data)) => shipping_rate(&data),
                (None, None) => Err(MockError::missing(&option.path("shipping_rate"))),
            }
        })
        .collect::<Result<Vec<_>>>()
        .map(Some)
}

/// `collected_information[shipping_details]`: name (at most 255) and address with country and
/// line1 required.
pub fn shipping_details(info: &Obj<'_>) -> Result<Option<ShippingDetails>> {
    let Some(d) = info.object("shipping_details", &["address", "name"])? else {
        return Ok(None);
    };
    let lenient = d.faults().has(StripeFault::ShippingDetailsRequiredUnchecked);
    let required = |o: &Obj<'_>, key: &str| -> Result<String> {
        match o.string(key)? {
            Some(s) if !s.is_empty() => Ok(s.to_owned()),
            _ if lenient => Ok(String::new()),
            Some(_) => Err(MockError::invalid_empty(&o.path(key))),
            None => Err(MockError::missing(&o.path(key))),
        }
    };
    let name = required(&d, "name")?;
    d.string_max(
        "name",
        SHIPPING_NAME_MAX,
        Some(StripeFault::ShippingNameLengthUnchecked),
    )?;
    let address_keys = &["city", "country", "line1", "line2", "postal_code", "state"];
    let address = match d.object("address", address_keys)? {
        Some(a) => {
            let country = required(&a, "country")?;
            if !country.is_empty()
                && (country.len() != 2 || !country.bytes().all(|b| b.is_ascii_alphabetic()))
            {
                return Err(MockError::invalid(
                    &a.path("country"),
                    "Invalid country: must be a two-letter ISO 3166-1 alpha-2 code.",
                ));
            }
            let optional = |key: &str| a.string(key).map(|s| s.map(str::to_owned));
            Address {
                country: country.to_ascii_uppercase(),
                line1: required(&a, "line1")?,
                city: optional("city")?,
                line2: optional("line2")?,
                postal_code: optional("postal_code")?,
                state: optional("state")?,
            }
        }
        None if lenient => Address::default(),
        None => return Err(MockError::missing(&d.path("address"))),
    };
    Ok(Some(ShippingDetails { name, address }))
}

/// `expand[]`: only `line_items` can be expanded on a Checkout Session.
pub fn expand(obj: &Obj<'_>) -> Result<bool> {
    let Some(paths) = obj.list("expand")? else {
        return Ok(false);
    };
    let mut line_items = false;
    for (param, value) in paths {
        match value.as_str() {
            Some("line_items") => line_items = true,
            Some(other) => {
                return Err(MockError::invalid(
                    &param,
                    format!("This property cannot be expanded ({other})."),
                ))
            }
            None => {
                return Err(MockError::invalid(
                    &param,
                    "Invalid string: expand entries must be strings.",
                ))
            }
        }
    }
    Ok(line_items && !obj.faults().has(StripeFault::ExpandIgnored))
}
