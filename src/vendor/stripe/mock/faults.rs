//! Stripe's fault catalogue: each [`StripeFault`] breaks one documented behaviour of the
//! mock's Stripe half, on purpose, and names the clauses (`features/CLAUSES.md`) it breaks.
//! `cargo test --test detection` proves a scenario of one of those clauses catches it.

use crate::mock::{vendor_faults, FaultDef};

vendor_faults! {
    /// A deliberate deviation of the mock's Stripe half. `--list-faults` prints them all.
    ///
    /// ```
    /// use checkout_conformance::mock::{Fault, Faults};
    /// use checkout_conformance::vendor::stripe::mock::StripeFault;
    ///
    /// let fault: Fault = "sixth-shipping-option-accepted".parse()?;
    /// assert_eq!(fault, StripeFault::SixthShippingOptionAccepted.into());
    /// assert_eq!(StripeFault::SixthShippingOptionAccepted.clauses(), ["shipping_options.maximum"]);
    /// let faults = Faults::from_iter([fault]);
    /// assert!(faults.has(StripeFault::SixthShippingOptionAccepted));
    /// assert!(!faults.has(StripeFault::MetadataUnsetIgnored));
    /// # Ok::<(), checkout_conformance::mock::UnknownFault>(())
    /// ```
    Stripe => StripeFault {
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
    IdempotencyReplayedOnce => "idempotency-replayed-once", ["api.idempotency"], "A request sent a third time with the same `Idempotency-Key` is executed again (its first replay is answered right).";
    UpdatedLineItemIdChanges => "updated-line-item-id-changes", ["line_items.update"], "A line item updated in place (`{id, quantity}` or another field) gets a new id (one retained as `{id}` alone keeps its id).";
    }
}
