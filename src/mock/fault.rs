//! Fault injection: each [`Fault`] breaks exactly one documented behaviour of the mock, on
//! purpose, so that the suite can prove it notices.
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

use std::fmt;
use std::str::FromStr;

macro_rules! faults {
    ($($variant:ident => $name:literal, $what:literal;)*) => {
        /// One deliberate deviation from the documentation. `--list-faults` prints them all.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u8)]
        pub enum Fault {
            $(#[doc = $what] $variant,)*
        }

        impl Fault {
            /// Every fault, in catalogue order.
            pub const ALL: &'static [Fault] = &[$(Fault::$variant,)*];

            /// The fault's command-line name, e.g. `metadata-unset-ignored`.
            pub fn name(self) -> &'static str {
                match self { $(Fault::$variant => $name,)* }
            }

            /// One line: which documented behaviour the fault breaks, and how.
            pub fn description(self) -> &'static str {
                match self { $(Fault::$variant => $what,)* }
            }
        }
    };
}

faults! {
    // metadata
    MetadataUnsetIgnored => "metadata-unset-ignored", "Posting `metadata[key]=` (empty) leaves the key in place instead of unsetting it.";
    MetadataClearIgnored => "metadata-clear-ignored", "Posting `metadata=` (empty) leaves every key in place instead of unsetting all.";
    MetadataReplacedNotMerged => "metadata-replaced-not-merged", "Posted metadata replaces the stored metadata instead of merging into it.";
    MetadataLimitsUnchecked => "metadata-limits-unchecked", "More than 50 keys, keys over 40 or values over 500 characters are accepted.";
    LineItemMetadataIgnored => "line-item-metadata-ignored", "Metadata posted on a line item is not stored.";
    // line items
    LineItemsAppended => "line-items-appended", "Retransmitted line items are appended to the existing ones; omitted items are kept.";
    LineItemsOrderIgnored => "line-items-order-ignored", "Line items keep their previous order instead of the order of the retransmitted array.";
    LineItemUpdateIgnored => "line-item-update-ignored", "`{id, quantity}` retains the item but does not apply the new quantity.";
    UnknownLineItemAccepted => "unknown-line-item-accepted", "A line item `id` that does not exist in the session is silently dropped instead of rejected.";
    NewLineItemQuantityOptional => "new-line-item-quantity-optional", "A new line item without `quantity` is accepted (defaulting to 1).";
    PriceExclusivityUnchecked => "price-exclusivity-unchecked", "A line item with both `price` and `price_data` is accepted.";
    UnitAmountExclusivityUnchecked => "unit-amount-exclusivity-unchecked", "`price_data` with both `unit_amount` and `unit_amount_decimal` is accepted.";
    TotalsNotRecomputed => "totals-not-recomputed", "amount_subtotal, amount_total and total_details keep their old values after an update.";
    LineItemsOnHostedAccepted => "line-items-on-hosted-accepted", "Line items can be updated on a hosted (non custom-UI) session.";
    AdjustableEnabledOptional => "adjustable-enabled-optional", "`adjustable_quantity` without `enabled` is accepted.";
    AdjustableMaximumUnchecked => "adjustable-maximum-unchecked", "`adjustable_quantity[maximum]` above 999999 is accepted.";
    AdjustableMinimumUnchecked => "adjustable-minimum-unchecked", "A negative `adjustable_quantity[minimum]` is accepted.";
    UnitLabelLengthUnchecked => "unit-label-length-unchecked", "`product_data[unit_label]` longer than 12 characters is accepted.";
    ImagesLimitUnchecked => "images-limit-unchecked", "More than 8 `product_data[images]` are accepted.";
    RecurringIntervalUnchecked => "recurring-interval-unchecked", "A `recurring[interval]` outside day/week/month/year is accepted.";
    RecurringLengthUnchecked => "recurring-length-unchecked", "A recurring interval longer than three years is accepted.";
    TaxBehaviorUnchecked => "tax-behavior-unchecked", "A `tax_behavior` outside inclusive/exclusive/unspecified is accepted.";
    // shipping options
    SixthShippingOptionAccepted => "sixth-shipping-option-accepted", "A sixth shipping option is accepted.";
    ShippingRateExclusivityUnchecked => "shipping-rate-exclusivity-unchecked", "A shipping option with both `shipping_rate` and `shipping_rate_data` is accepted.";
    DisplayNameLengthUnchecked => "display-name-length-unchecked", "`display_name` longer than 100 characters is accepted.";
    FixedAmountOptional => "fixed-amount-optional", "`type=fixed_amount` without `fixed_amount` is accepted.";
    NegativeShippingAmountAccepted => "negative-shipping-amount-accepted", "A negative `fixed_amount[amount]` is accepted.";
    DeliveryEstimateUnchecked => "delivery-estimate-unchecked", "A delivery estimate value of 0 or a unit outside the documented enum is accepted.";
    ShippingOptionsClearIgnored => "shipping-options-clear-ignored", "Posting `shipping_options=` (empty) leaves the shipping options in place.";
    // collected information
    ShippingDetailsOnHostedAccepted => "shipping-details-on-hosted-accepted", "collected_information can be set on a hosted session.";
    ShippingDetailsRequiredUnchecked => "shipping-details-required-unchecked", "shipping_details without name, address[country] or address[line1] is accepted.";
    ShippingNameLengthUnchecked => "shipping-name-length-unchecked", "A shipping_details name longer than 255 characters is accepted.";
    // expand, state
    ExpandIgnored => "expand-ignored", "`expand[]=line_items` does not include the line items in the response.";
    ClosedSessionUpdatable => "closed-session-updatable", "A session that is no longer open can still be updated.";
    // cross-cutting
    UnknownParameterAccepted => "unknown-parameter-accepted", "An unknown parameter at the top level is ignored instead of rejected.";
    NestedUnknownParameterAccepted => "nested-unknown-parameter-accepted", "An unknown parameter inside an object or array element is ignored instead of rejected.";
    WrongTypeAccepted => "wrong-type-accepted", "A non-integer where an integer is expected is read as 0 instead of rejected.";
    AuthUnchecked => "auth-unchecked", "Requests without a valid API key are served.";
    NotFoundAnswered500 => "not-found-answered-500", "An unknown session is answered 500 instead of 404 resource_missing.";
    ErrorWithoutType => "error-without-type", "Error envelopes lack `error.type`.";
    ErrorWithoutParam => "error-without-param", "Error envelopes lack `error.param`.";
    MissingObjectField => "missing-object-field", "Response objects lack their `object` field.";
    RequestIdMissing => "request-id-missing", "Responses carry no `Request-Id` header.";
    IdempotencyIgnored => "idempotency-ignored", "A request replayed with the same `Idempotency-Key` is executed again instead of replayed.";
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
