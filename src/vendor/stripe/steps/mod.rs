//! The step definitions only Stripe's features use, grouped by domain; the steps every vendor's
//! features share are in [`crate::steps`].
//!
//! - `fixtures`: prices, shipping rates, sessions in each `ui_mode`, an expired session;
//! - `session`: the update as a form table or raw body, with another key, retrieving with
//!   `expand`, idempotent creation; line items and totals in the answer;
//! - `line_items`: retransmitting the array, `price_data`, line-item set-ups;
//! - `shipping`: shipping options and the rates behind them, shipping details.

mod fixtures;
mod line_items;
mod session;
mod shipping;

/// A price the scenario created: `{price NAME}` (`Given a price "NAME" of …`).
pub(crate) const PRICE: &str = "price";
/// A product the scenario created: `{product NAME}` (`Given a product "NAME"`).
pub(crate) const PRODUCT: &str = "product";
/// A shipping rate the scenario created: `{shipping rate NAME}`.
pub(crate) const SHIPPING_RATE: &str = "shipping rate";
