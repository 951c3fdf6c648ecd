//! Gr4vy's fault catalogue: each [`Gr4vyFault`] breaks one documented behaviour of the mock's
//! Gr4vy half, on purpose, and names the clauses (`features/CLAUSES.md`) it breaks. Their
//! command-line names start with `gr4vy-`.

use crate::mock::{vendor_faults, FaultDef};

vendor_faults! {
    /// A deliberate deviation of the mock's Gr4vy half. `--list-faults` prints them all.
    ///
    /// ```
    /// use checkout_conformance::mock::Fault;
    /// use checkout_conformance::vendor::gr4vy::mock::Gr4vyFault;
    /// use checkout_conformance::vendor::Provider;
    ///
    /// assert_eq!(Gr4vyFault::AuthUnchecked.name(), "gr4vy-auth-unchecked");
    /// assert_eq!(Fault::from(Gr4vyFault::AuthUnchecked).provider(), Provider::Gr4vy);
    /// ```
    Gr4vy => Gr4vyFault {
    // cart items
    CartItemsAppended => "gr4vy-cart-items-appended", ["gr4vy.cart_items.replace"], "PUT `cart_items` are appended to the stored items instead of replacing the whole array.";
    CartItemsNullIgnored => "gr4vy-cart-items-null-ignored", ["gr4vy.cart_items.null"], "`cart_items: null` leaves the stored items in place instead of clearing them.";
    CartItemRequiredUnchecked => "gr4vy-cart-item-required-unchecked", ["gr4vy.cart_item.name", "gr4vy.cart_item.quantity", "gr4vy.cart_item.unit_amount"], "A cart item without `name`, `quantity` or `unit_amount` is accepted.";
    CartItemNameUnchecked => "gr4vy-cart-item-name-unchecked", ["gr4vy.cart_item.name"], "A cart item `name` that is empty or longer than 255 characters is accepted.";
    CartItemQuantityUnchecked => "gr4vy-cart-item-quantity-unchecked", ["gr4vy.cart_item.quantity"], "A cart item `quantity` of 0 or above 99999999 is accepted.";
    CartItemUnitAmountUnchecked => "gr4vy-cart-item-unit-amount-unchecked", ["gr4vy.cart_item.unit_amount"], "A cart item `unit_amount` below 0 or above 99999999 is accepted.";
    CartItemAmountsUnchecked => "gr4vy-cart-item-amounts-unchecked", ["gr4vy.cart_item.fields"], "A cart item `discount_amount`, `tax_amount`, `duty_amount` or `shipping_amount` below 0 or above 99999999 is accepted.";
    CartItemStringsUnchecked => "gr4vy-cart-item-strings-unchecked", ["gr4vy.cart_item.fields"], "Cart item `external_identifier`, `sku`, `upc`, `unit_of_measure`, `commodity_code` or `description` outside its length limits is accepted.";
    CartItemCategoriesUnchecked => "gr4vy-cart-item-categories-unchecked", ["gr4vy.cart_item.fields"], "A cart item category that is empty or longer than 50 characters is accepted.";
    CartItemProductTypeUnchecked => "gr4vy-cart-item-product-type-unchecked", ["gr4vy.cart_item.fields"], "A cart item `product_type` outside the spec's enum is accepted.";
    CartItemSellerCountryUnchecked => "gr4vy-cart-item-seller-country-unchecked", ["gr4vy.cart_item.fields"], "A cart item `seller_country` that is not two capital letters is accepted.";
    // metadata
    MetadataIgnored => "gr4vy-metadata-ignored", ["gr4vy.metadata"], "PUT `metadata` is not stored.";
    MetadataMerged => "gr4vy-metadata-merged", ["gr4vy.metadata"], "PUT `metadata` is merged into the stored metadata instead of replacing it.";
    MetadataValuesUnchecked => "gr4vy-metadata-values-unchecked", ["gr4vy.metadata"], "A `metadata` value that is not a string is accepted.";
    // airline addendum
    AirlineLegsLimitUnchecked => "gr4vy-airline-legs-limit-unchecked", ["gr4vy.airline.limits"], "More than 20 `airline.legs` are accepted.";
    AirlinePassengersLimitUnchecked => "gr4vy-airline-passengers-limit-unchecked", ["gr4vy.airline.limits"], "More than 20 `airline.passengers` are accepted.";
    AirlineLengthsUnchecked => "gr4vy-airline-lengths-unchecked", ["gr4vy.airline.fields"], "Airline, leg and passenger strings outside their length limits are accepted.";
    AirlineTypesUnchecked => "gr4vy-airline-types-unchecked", ["gr4vy.airline.fields"], "Airline, leg and passenger fields of the wrong JSON type are accepted as sent.";
    AirlineEnumsUnchecked => "gr4vy-airline-enums-unchecked", ["gr4vy.airline.fields"], "A `ticket_delivery_method`, `route_type` or `age_group` outside its enum is accepted.";
    AirlineDatesUnchecked => "gr4vy-airline-dates-unchecked", ["gr4vy.airline.fields"], "Airline date-times that are not RFC 3339, or a `date_of_birth` that is not a date, are accepted.";
    AirlineAmountsUnchecked => "gr4vy-airline-amounts-unchecked", ["gr4vy.airline.fields"], "A leg amount below 0 or above 99999999 is accepted.";
    AirlinePatternsUnchecked => "gr4vy-airline-patterns-unchecked", ["gr4vy.airline.fields"], "Leg and passenger country codes and phone numbers that do not match their patterns are accepted.";
    // buyer
    BuyerLengthsUnchecked => "gr4vy-buyer-lengths-unchecked", ["gr4vy.buyer"], "Buyer, billing, shipping and address strings outside their length limits are accepted.";
    BuyerFormatsUnchecked => "gr4vy-buyer-formats-unchecked", ["gr4vy.buyer"], "Buyer phone numbers, country and state codes that do not match their patterns, or a tax id without `value`/`kind` or of an unknown kind, are accepted.";
    // cross-cutting
    UnknownFieldAccepted => "gr4vy-unknown-field-accepted", ["gr4vy.unknown-field"], "An unknown field at the top level of the body is ignored instead of rejected.";
    NestedUnknownFieldAccepted => "gr4vy-nested-unknown-field-accepted", ["gr4vy.unknown-field"], "An unknown field inside a cart item, the airline addendum or the buyer is ignored instead of rejected.";
    WrongTypeAccepted => "gr4vy-wrong-type-accepted", ["gr4vy.validation-status"], "A value of the wrong JSON type (outside the airline addendum) is accepted as sent.";
    PartialUpdate => "gr4vy-partial-update", ["gr4vy.validation-status"], "A rejected update still applies its valid fields instead of changing nothing.";
    NonUuidAccepted => "gr4vy-non-uuid-accepted", ["gr4vy.session-id.uuid"], "A session id that is not a UUID is answered 404 instead of 400 naming the path parameter.";
    AuthUnchecked => "gr4vy-auth-unchecked", ["gr4vy.auth.bearer"], "Requests without a bearer token, or with one that is not an ES512 JWT, are served.";
    ExpiredTokenAccepted => "gr4vy-expired-token-accepted", ["gr4vy.auth.bearer"], "A bearer token whose `exp` has passed is accepted.";
    ScopeUnchecked => "gr4vy-scope-unchecked", ["gr4vy.auth.scope"], "A token without the `checkout-sessions.write` (PUT, DELETE) or `checkout-sessions.read` (GET) scope is served instead of answered 403.";
    NotFoundAnswered500 => "gr4vy-not-found-answered-500", ["gr4vy.not-found"], "An unknown session is answered 500 instead of 404 `not_found`.";
    DeletedSessionServed => "gr4vy-deleted-session-served", ["gr4vy.not-found"], "A deleted session is answered 204 but can still be read and updated.";
    ErrorWithoutType => "gr4vy-error-without-type", ["gr4vy.validation-status"], "Error envelopes lack `type`.";
    ErrorWithoutCode => "gr4vy-error-without-code", ["gr4vy.validation-status"], "Error envelopes lack `code`.";
    ErrorDetailsEmpty => "gr4vy-error-details-empty", ["gr4vy.validation-status"], "Validation errors carry empty `details`, so the offending field is not named.";
    SessionTypeMissing => "gr4vy-session-type-missing", ["gr4vy.update.returns-session"], "Checkout Sessions lack their `type` field.";
    ExpiryNotOneHour => "gr4vy-expiry-not-one-hour", ["gr4vy.expires_at"], "A new session's `expires_at` is 24 hours after creation instead of 1 hour.";
    }
}

#[cfg(test)]
mod tests {
    use super::Gr4vyFault;

    #[test]
    fn every_name_starts_with_the_vendor() {
        for fault in Gr4vyFault::ALL {
            assert!(fault.name().starts_with("gr4vy-"), "{fault}");
        }
    }
}
