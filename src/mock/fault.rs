//! Fault injection: each [`Fault`] breaks exactly one documented behaviour of the mock, on
//! purpose, so that the suite can prove it notices.
//!
//! One catalogue for both halves of the mock: Stripe's faults first, then Gr4vy's, whose names
//! start with `gr4vy-` ([`Fault::provider`] says which half a fault breaks).
//!
//! ```
//! use checkout_conformance::mock::{Fault, Faults};
//!
//! let fault: Fault = "sixth-shipping-option-accepted".parse()?;
//! let faults = Faults::from_iter([fault]);
//! assert!(faults.has(Fault::SixthShippingOptionAccepted));
//! assert!(!faults.has(Fault::MetadataUnsetIgnored));
//! # Ok::<(), checkout_conformance::mock::UnknownFault>(())
//! ```

use crate::vendor::Provider;
use std::fmt;
use std::str::FromStr;

macro_rules! faults {
    ($($provider:ident => { $($variant:ident => $name:literal, [$($clause:literal),+], $what:literal;)* })*) => {
        /// One deliberate deviation from the documentation. `--list-faults` prints them all.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u8)]
        pub enum Fault {
            $($(#[doc = $what] $variant,)*)*
        }

        impl Fault {
            /// Every fault, in catalogue order (Stripe's, then Gr4vy's).
            pub const ALL: &'static [Fault] = &[$($(Fault::$variant,)*)*];

            /// The fault's command-line name, e.g. `metadata-unset-ignored`.
            pub fn name(self) -> &'static str {
                match self { $($(Fault::$variant => $name,)*)* }
            }

            /// The documentation clauses (`features/CLAUSES.md`) the fault breaks: a scenario
            /// tagged with one of them must fail when the fault is injected
            /// (`tests/detection.rs` proves it).
            ///
            /// ```
            /// use checkout_conformance::mock::Fault;
            /// assert_eq!(Fault::SixthShippingOptionAccepted.clauses(), ["shipping_options.maximum"]);
            /// ```
            pub fn clauses(self) -> &'static [&'static str] {
                match self { $($(Fault::$variant => &[$($clause),+],)*)* }
            }

            /// One line: which documented behaviour the fault breaks, and how.
            pub fn description(self) -> &'static str {
                match self { $($(Fault::$variant => $what,)*)* }
            }

            /// The vendor whose half of the mock the fault breaks.
            ///
            /// ```
            /// use checkout_conformance::mock::Fault;
            /// use checkout_conformance::vendor::Provider;
            /// assert_eq!(Fault::AuthUnchecked.provider(), Provider::Stripe);
            /// assert_eq!(Fault::Gr4vyAuthUnchecked.provider(), Provider::Gr4vy);
            /// ```
            pub fn provider(self) -> Provider {
                match self { $($(Fault::$variant => Provider::$provider,)*)* }
            }
        }
    };
}

faults! {
    Stripe => {
    // metadata
    MetadataUnsetIgnored => "metadata-unset-ignored", ["metadata.unset-key"], "Posting `metadata[key]=` (empty) leaves the key in place instead of unsetting it.";
    MetadataClearIgnored => "metadata-clear-ignored", ["metadata.unset-all"], "Posting `metadata=` (empty) leaves every key in place instead of unsetting all.";
    MetadataReplacedNotMerged => "metadata-replaced-not-merged", ["metadata.merge"], "Posted metadata replaces the stored metadata instead of merging into it.";
    MetadataLimitsUnchecked => "metadata-limits-unchecked", ["metadata.limits"], "More than 50 keys, keys over 40 or values over 500 characters are accepted.";
    LineItemMetadataIgnored => "line-item-metadata-ignored", ["line_items.metadata"], "Metadata posted on a line item is not stored.";
    // line items
    LineItemsAppended => "line-items-appended", ["line_items.retransmit", "line_items.remove"], "Retransmitted line items are appended to the existing ones; omitted items are kept.";
    LineItemsOrderIgnored => "line-items-order-ignored", ["line_items.reorder"], "Line items keep their previous order instead of the order of the retransmitted array.";
    LineItemUpdateIgnored => "line-item-update-ignored", ["line_items.update"], "`{id, quantity}` retains the item but does not apply the new quantity.";
    UnknownLineItemAccepted => "unknown-line-item-accepted", ["line_items.id"], "A line item `id` that does not exist in the session is silently dropped instead of rejected.";
    NewLineItemQuantityOptional => "new-line-item-quantity-optional", ["line_items.quantity"], "A new line item without `quantity` is accepted (defaulting to 1).";
    PriceExclusivityUnchecked => "price-exclusivity-unchecked", ["line_items.price-xor-price_data"], "A line item with both `price` and `price_data` is accepted.";
    UnitAmountExclusivityUnchecked => "unit-amount-exclusivity-unchecked", ["price_data.unit_amount"], "`price_data` with both `unit_amount` and `unit_amount_decimal` is accepted.";
    TotalsNotRecomputed => "totals-not-recomputed", ["line_items.totals"], "amount_subtotal, amount_total and total_details keep their old values after an update.";
    LineItemsOnHostedAccepted => "line-items-on-hosted-accepted", ["line_items.custom-ui-only"], "Line items can be updated on a hosted (non custom-UI) session.";
    AdjustableEnabledOptional => "adjustable-enabled-optional", ["adjustable_quantity.enabled"], "`adjustable_quantity` without `enabled` is accepted.";
    AdjustableMaximumUnchecked => "adjustable-maximum-unchecked", ["adjustable_quantity.maximum"], "`adjustable_quantity[maximum]` above 999999 is accepted.";
    AdjustableMinimumUnchecked => "adjustable-minimum-unchecked", ["adjustable_quantity.minimum"], "A negative `adjustable_quantity[minimum]` is accepted.";
    UnitLabelLengthUnchecked => "unit-label-length-unchecked", ["price_data.unit_label"], "`product_data[unit_label]` longer than 12 characters is accepted.";
    ImagesLimitUnchecked => "images-limit-unchecked", ["price_data.images"], "More than 8 `product_data[images]` are accepted.";
    RecurringIntervalUnchecked => "recurring-interval-unchecked", ["price_data.recurring.interval"], "A `recurring[interval]` outside day/week/month/year is accepted.";
    RecurringLengthUnchecked => "recurring-length-unchecked", ["price_data.recurring.interval_count"], "A recurring interval longer than three years is accepted.";
    TaxBehaviorUnchecked => "tax-behavior-unchecked", ["price_data.tax_behavior"], "A `tax_behavior` outside inclusive/exclusive/unspecified is accepted.";
    // shipping options
    SixthShippingOptionAccepted => "sixth-shipping-option-accepted", ["shipping_options.maximum"], "A sixth shipping option is accepted.";
    ShippingRateExclusivityUnchecked => "shipping-rate-exclusivity-unchecked", ["shipping_options.rate-xor-data"], "A shipping option with both `shipping_rate` and `shipping_rate_data` is accepted.";
    DisplayNameLengthUnchecked => "display-name-length-unchecked", ["shipping_options.display_name"], "`display_name` longer than 100 characters is accepted.";
    FixedAmountOptional => "fixed-amount-optional", ["shipping_options.fixed_amount"], "`type=fixed_amount` without `fixed_amount` is accepted.";
    NegativeShippingAmountAccepted => "negative-shipping-amount-accepted", ["shipping_options.fixed_amount"], "A negative `fixed_amount[amount]` is accepted.";
    DeliveryEstimateUnchecked => "delivery-estimate-unchecked", ["shipping_options.delivery_estimate"], "A delivery estimate value of 0 or a unit outside the documented enum is accepted.";
    ShippingOptionsClearIgnored => "shipping-options-clear-ignored", ["shipping_options.clear"], "Posting `shipping_options=` (empty) leaves the shipping options in place.";
    // collected information
    ShippingDetailsOnHostedAccepted => "shipping-details-on-hosted-accepted", ["collected_information.custom-or-embedded"], "collected_information can be set on a hosted session.";
    ShippingDetailsRequiredUnchecked => "shipping-details-required-unchecked", ["collected_information.address", "collected_information.name"], "shipping_details without name, `address[country]` or `address[line1]` is accepted.";
    ShippingNameLengthUnchecked => "shipping-name-length-unchecked", ["collected_information.name"], "A shipping_details name longer than 255 characters is accepted.";
    // expand, state
    ExpandIgnored => "expand-ignored", ["expand.line_items"], "`expand[]=line_items` does not include the line items in the response.";
    ClosedSessionUpdatable => "closed-session-updatable", ["update.open-only"], "A session that is no longer open can still be updated.";
    // cross-cutting
    UnknownParameterAccepted => "unknown-parameter-accepted", ["api.unknown-parameter"], "An unknown parameter at the top level is ignored instead of rejected.";
    NestedUnknownParameterAccepted => "nested-unknown-parameter-accepted", ["api.unknown-parameter"], "An unknown parameter inside an object or array element is ignored instead of rejected.";
    WrongTypeAccepted => "wrong-type-accepted", ["api.parameter-types"], "A non-integer where an integer is expected is read as 0 instead of rejected.";
    AuthUnchecked => "auth-unchecked", ["api.authentication"], "Requests without a valid API key are served.";
    NotFoundAnswered500 => "not-found-answered-500", ["api.not-found"], "An unknown session is answered 500 instead of 404 resource_missing.";
    ErrorWithoutType => "error-without-type", ["api.unknown-parameter", "api.parameter-types", "api.authentication", "api.not-found"], "Error envelopes lack `error.type`.";
    ErrorWithoutParam => "error-without-param", ["api.unknown-parameter", "api.parameter-types"], "Error envelopes lack `error.param`.";
    MissingObjectField => "missing-object-field", ["update.returns-session"], "Response objects lack their `object` field.";
    RequestIdMissing => "request-id-missing", ["api.request-id"], "Responses carry no `Request-Id` header.";
    IdempotencyIgnored => "idempotency-ignored", ["api.idempotency"], "A request replayed with the same `Idempotency-Key` is executed again instead of replayed.";
    // conditional deviations: right in the simple case, wrong in a neighbouring one
    LineItemsOrderIgnoredFromThree => "line-items-order-ignored-from-three", ["line_items.reorder"], "Three or more retransmitted line items keep their previous order (two are reordered as posted).";
    LineItemMetadataIgnoredAfterFirst => "line-item-metadata-ignored-after-first", ["line_items.metadata"], "Metadata posted on a retained line item is stored only when it is the first element of the array.";
    ShippingOptionsDroppedWhenUnmentioned => "shipping-options-dropped-when-unmentioned", ["shipping_options.replace"], "An update that does not post `shipping_options` clears them instead of keeping them.";
    RateDataShippingNotTotalled => "rate-data-shipping-not-totalled", ["line_items.totals"], "A selected shipping option given as `shipping_rate_data` is left out of the totals (one given as a `shipping_rate` id is counted).";
    }
    Gr4vy => {
    // cart items
    Gr4vyCartItemsAppended => "gr4vy-cart-items-appended", ["gr4vy.cart_items.replace"], "PUT `cart_items` are appended to the stored items instead of replacing the whole array.";
    Gr4vyCartItemsNullIgnored => "gr4vy-cart-items-null-ignored", ["gr4vy.cart_items.null"], "`cart_items: null` leaves the stored items in place instead of clearing them.";
    Gr4vyCartItemRequiredUnchecked => "gr4vy-cart-item-required-unchecked", ["gr4vy.cart_item.name", "gr4vy.cart_item.quantity", "gr4vy.cart_item.unit_amount"], "A cart item without `name`, `quantity` or `unit_amount` is accepted.";
    Gr4vyCartItemNameUnchecked => "gr4vy-cart-item-name-unchecked", ["gr4vy.cart_item.name"], "A cart item `name` that is empty or longer than 255 characters is accepted.";
    Gr4vyCartItemQuantityUnchecked => "gr4vy-cart-item-quantity-unchecked", ["gr4vy.cart_item.quantity"], "A cart item `quantity` of 0 or above 99999999 is accepted.";
    Gr4vyCartItemUnitAmountUnchecked => "gr4vy-cart-item-unit-amount-unchecked", ["gr4vy.cart_item.unit_amount"], "A cart item `unit_amount` below 0 or above 99999999 is accepted.";
    Gr4vyCartItemAmountsUnchecked => "gr4vy-cart-item-amounts-unchecked", ["gr4vy.cart_item.fields"], "A cart item `discount_amount`, `tax_amount`, `duty_amount` or `shipping_amount` below 0 or above 99999999 is accepted.";
    Gr4vyCartItemStringsUnchecked => "gr4vy-cart-item-strings-unchecked", ["gr4vy.cart_item.fields"], "Cart item `external_identifier`, `sku`, `upc`, `unit_of_measure`, `commodity_code` or `description` outside its length limits is accepted.";
    Gr4vyCartItemCategoriesUnchecked => "gr4vy-cart-item-categories-unchecked", ["gr4vy.cart_item.fields"], "A cart item category that is empty or longer than 50 characters is accepted.";
    Gr4vyCartItemProductTypeUnchecked => "gr4vy-cart-item-product-type-unchecked", ["gr4vy.cart_item.fields"], "A cart item `product_type` outside the spec's enum is accepted.";
    Gr4vyCartItemSellerCountryUnchecked => "gr4vy-cart-item-seller-country-unchecked", ["gr4vy.cart_item.fields"], "A cart item `seller_country` that is not two capital letters is accepted.";
    // metadata
    Gr4vyMetadataIgnored => "gr4vy-metadata-ignored", ["gr4vy.metadata"], "PUT `metadata` is not stored.";
    Gr4vyMetadataMerged => "gr4vy-metadata-merged", ["gr4vy.metadata"], "PUT `metadata` is merged into the stored metadata instead of replacing it.";
    Gr4vyMetadataValuesUnchecked => "gr4vy-metadata-values-unchecked", ["gr4vy.metadata"], "A `metadata` value that is not a string is accepted.";
    // airline addendum
    Gr4vyAirlineLegsLimitUnchecked => "gr4vy-airline-legs-limit-unchecked", ["gr4vy.airline.limits"], "More than 20 `airline.legs` are accepted.";
    Gr4vyAirlinePassengersLimitUnchecked => "gr4vy-airline-passengers-limit-unchecked", ["gr4vy.airline.limits"], "More than 20 `airline.passengers` are accepted.";
    Gr4vyAirlineLengthsUnchecked => "gr4vy-airline-lengths-unchecked", ["gr4vy.airline.fields"], "Airline, leg and passenger strings outside their length limits are accepted.";
    Gr4vyAirlineTypesUnchecked => "gr4vy-airline-types-unchecked", ["gr4vy.airline.fields"], "Airline, leg and passenger fields of the wrong JSON type are accepted as sent.";
    Gr4vyAirlineEnumsUnchecked => "gr4vy-airline-enums-unchecked", ["gr4vy.airline.fields"], "A `ticket_delivery_method`, `route_type` or `age_group` outside its enum is accepted.";
    Gr4vyAirlineDatesUnchecked => "gr4vy-airline-dates-unchecked", ["gr4vy.airline.fields"], "Airline date-times that are not RFC 3339, or a `date_of_birth` that is not a date, are accepted.";
    Gr4vyAirlineAmountsUnchecked => "gr4vy-airline-amounts-unchecked", ["gr4vy.airline.fields"], "A leg amount below 0 or above 99999999 is accepted.";
    Gr4vyAirlinePatternsUnchecked => "gr4vy-airline-patterns-unchecked", ["gr4vy.airline.fields"], "Leg and passenger country codes and phone numbers that do not match their patterns are accepted.";
    // buyer
    Gr4vyBuyerLengthsUnchecked => "gr4vy-buyer-lengths-unchecked", ["gr4vy.buyer"], "Buyer, billing, shipping and address strings outside their length limits are accepted.";
    Gr4vyBuyerFormatsUnchecked => "gr4vy-buyer-formats-unchecked", ["gr4vy.buyer"], "Buyer phone numbers, country and state codes that do not match their patterns, or a tax id without `value`/`kind` or of an unknown kind, are accepted.";
    // cross-cutting
    Gr4vyUnknownFieldAccepted => "gr4vy-unknown-field-accepted", ["gr4vy.unknown-field"], "An unknown field at the top level of the body is ignored instead of rejected.";
    Gr4vyNestedUnknownFieldAccepted => "gr4vy-nested-unknown-field-accepted", ["gr4vy.unknown-field"], "An unknown field inside a cart item, the airline addendum or the buyer is ignored instead of rejected.";
    Gr4vyWrongTypeAccepted => "gr4vy-wrong-type-accepted", ["gr4vy.validation-status"], "A value of the wrong JSON type (outside the airline addendum) is accepted as sent.";
    Gr4vyPartialUpdate => "gr4vy-partial-update", ["gr4vy.validation-status"], "A rejected update still applies its valid fields instead of changing nothing.";
    Gr4vyNonUuidAccepted => "gr4vy-non-uuid-accepted", ["gr4vy.session-id.uuid"], "A session id that is not a UUID is answered 404 instead of 400 naming the path parameter.";
    Gr4vyAuthUnchecked => "gr4vy-auth-unchecked", ["gr4vy.auth.bearer"], "Requests without a bearer token, or with one that is not an ES512 JWT, are served.";
    Gr4vyExpiredTokenAccepted => "gr4vy-expired-token-accepted", ["gr4vy.auth.bearer"], "A bearer token whose `exp` has passed is accepted.";
    Gr4vyScopeUnchecked => "gr4vy-scope-unchecked", ["gr4vy.auth.scope"], "A token without the `checkout-sessions.write` (PUT, DELETE) or `checkout-sessions.read` (GET) scope is served instead of answered 403.";
    Gr4vyNotFoundAnswered500 => "gr4vy-not-found-answered-500", ["gr4vy.not-found"], "An unknown session is answered 500 instead of 404 `not_found`.";
    Gr4vyDeletedSessionServed => "gr4vy-deleted-session-served", ["gr4vy.not-found"], "A deleted session is answered 204 but can still be read and updated.";
    Gr4vyErrorWithoutType => "gr4vy-error-without-type", ["gr4vy.validation-status"], "Error envelopes lack `type`.";
    Gr4vyErrorWithoutCode => "gr4vy-error-without-code", ["gr4vy.validation-status"], "Error envelopes lack `code`.";
    Gr4vyErrorDetailsEmpty => "gr4vy-error-details-empty", ["gr4vy.validation-status"], "Validation errors carry empty `details`, so the offending field is not named.";
    Gr4vySessionTypeMissing => "gr4vy-session-type-missing", ["gr4vy.update.returns-session"], "Checkout Sessions lack their `type` field.";
    Gr4vyExpiryNotOneHour => "gr4vy-expiry-not-one-hour", ["gr4vy.expires_at"], "A new session's `expires_at` is 24 hours after creation instead of 1 hour.";
    }
}

/// A name given to `--fault` that is not in the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown fault `{0}` (see `checkout-conformance mock --list-faults`)")]
pub struct UnknownFault(pub String);

impl FromStr for Fault {
    type Err = UnknownFault;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Fault::ALL
            .iter()
            .copied()
            .find(|f| f.name() == s)
            .ok_or_else(|| UnknownFault(s.to_owned()))
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The set of faults a mock runs with (empty: the mock follows the documentation).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Faults(u128);

impl Faults {
    /// No fault.
    pub const NONE: Faults = Faults(0);

    /// Whether `fault` is switched on.
    pub fn has(self, fault: Fault) -> bool {
        self.0 & (1 << fault as u8) != 0
    }

    /// Whether no fault is switched on.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The faults switched on, in catalogue order.
    pub fn iter(self) -> impl Iterator<Item = Fault> {
        Fault::ALL.iter().copied().filter(move |f| self.has(*f))
    }
}

impl FromIterator<Fault> for Faults {
    fn from_iter<I: IntoIterator<Item = Fault>>(iter: I) -> Self {
        Faults(iter.into_iter().fold(0, |bits, f| bits | 1 << f as u8))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_fits_the_bit_set_and_names_are_unique() {
        assert!(Fault::ALL.len() <= 128);
        for fault in Fault::ALL {
            let gr4vy = fault.name().starts_with("gr4vy-");
            assert_eq!(
                fault.provider(),
                if gr4vy {
                    Provider::Gr4vy
                } else {
                    Provider::Stripe
                },
                "{fault}"
            );
        }
        let mut names: Vec<_> = Fault::ALL.iter().map(|f| f.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Fault::ALL.len());
    }

    #[test]
    fn every_name_parses_back() {
        for fault in Fault::ALL {
            assert_eq!(fault.name().parse::<Fault>(), Ok(*fault));
        }
        assert!("no-such-fault".parse::<Fault>().is_err());
    }

    #[test]
    fn set_holds_exactly_what_was_put_in() {
        let set = Faults::from_iter([Fault::ExpandIgnored, Fault::AuthUnchecked]);
        assert_eq!(
            set.iter().collect::<Vec<_>>(),
            vec![Fault::ExpandIgnored, Fault::AuthUnchecked]
        );
        assert!(Faults::NONE.is_empty());
    }
}
