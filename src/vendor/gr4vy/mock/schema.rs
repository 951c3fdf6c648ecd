//! The request schemas of `PUT /checkout/sessions/{session_id}`, transcribed property by
//! property from Gr4vy's OpenAPI 3.1 spec (`components.schemas` of
//! `shared/specs/gr4vy/update-checkout-session-request.json`, commit
//! [`crate::vendor::gr4vy::wire::SPEC_COMMIT`]): `CheckoutSessionUpdate` and everything it references.
//! Every schema there has `additionalProperties: false`; `anyOf: [T, {type: null}]` is a
//! nullable property ([`Field::opt`]).
//!
//! Each property names the fault that switches its constraints off. Where the spec sets no
//! constraint, none is checked: `product_url` and `image_url` are any string, `categories` has
//! no `maxItems`, `metadata` no key or size limits (the legacy v1 spec had `maxItems: 100`,
//! `maxLength: 2083` and at most 20 metadata keys; the current spec dropped them).
//!
//! `x-gr4vy-docs-ignore` properties (`amount`, `currency`, `payment_service_id`, `expires_in`,
//! `country`, …) are hidden from the documentation page but accepted by the spec, so they are
//! accepted and validated here too.

use super::formats::Pattern;
use super::validate::{Default, Field, Schema, Ty};
use crate::mock::Fault;

/// `maximum` of every amount and quantity.
pub const AMOUNT_MAX: i64 = 99_999_999;
/// `maxItems` of `airline.legs` and `airline.passengers`.
pub const AIRLINE_ITEMS_MAX: usize = 20;

/// `ProductType`.
pub const PRODUCT_TYPES: &[&str] = &[
    "physical",
    "discount",
    "shipping_fee",
    "sales_tax",
    "digital",
    "gift_card",
    "store_credit",
    "surcharge",
];
/// `Airline.ticket_delivery_method`.
pub const TICKET_DELIVERY_METHODS: &[&str] = &["electronic", "other"];
/// `AirlineLeg.route_type`.
pub const ROUTE_TYPES: &[&str] = &["round_trip", "one_way"];
/// `AirlinePassenger.age_group`.
pub const AGE_GROUPS: &[&str] = &["adult", "infant"];
/// `TransactionPaymentSource`.
pub const PAYMENT_SOURCES: &[&str] = &[
    "ecommerce",
    "moto",
    "recurring",
    "installment",
    "card_on_file",
];
/// `TransactionIntent`.
pub const INTENTS: &[&str] = &["authorize", "capture"];
/// `TaxIdKind`.
pub const TAX_ID_KINDS: &[&str] = &[
    "ae.trn",
    "au.abn",
    "ar.dni",
    "ar.cuil",
    "ar.cuit",
    "br.cnpj",
    "br.cpf",
    "ca.bn",
    "ca.gst_hst",
    "ca.pst_bc",
    "ca.pst_mb",
    "ca.pst_sk",
    "ca.qst",
    "ch.vat",
    "cl.tin",
    "co.itin",
    "co.nit",
    "co.cc",
    "co.ce",
    "co.de",
    "co.rc",
    "co.ti",
    "co.passport",
    "es.cif",
    "eu.vat",
    "gb.vat",
    "hk.br",
    "id.nik",
    "id.npwp",
    "in.gst",
    "in.pan",
    "jp.cn",
    "jp.rn",
    "kr.brn",
    "li.uid",
    "mx.curp",
    "mx.rfc",
    "my.frp",
    "my.itn",
    "my.nric",
    "my.sst",
    "no.vat",
    "nz.gst",
    "pe.ruc",
    "ph.tin",
    "ru.inn",
    "ru.kpp",
    "sa.vat",
    "sg.gst",
    "sg.uen",
    "th.id",
    "th.vat",
    "tw.vat",
    "us.ein",
    "za.vat",
    "bo.ci",
    "uy.rut",
    "uy.ci",
];

/// `CheckoutSessionUpdate`.
pub const CHECKOUT_SESSION_UPDATE: Schema = Schema {
    fields: &[
        Field::opt(
            "cart_items",
            Ty::Array {
                items: &Ty::Object(&CART_ITEM),
                max: None,
            },
            None,
        ),
        Field::opt(
            "metadata",
            Ty::StringMap,
            Some(Fault::Gr4vyMetadataValuesUnchecked),
        ),
        Field::opt("buyer", Ty::Object(&GUEST_BUYER), None),
        Field::opt("airline", Ty::Object(&AIRLINE), None),
        Field::opt(
            "amount",
            Ty::Int {
                min: 0,
                max: AMOUNT_MAX,
            },
            None,
        ),
        Field::opt("currency", Ty::Pattern(Pattern::Currency), None),
        Field::opt("payment_service_id", Ty::Uuid, None),
        Field::non_null(
            "expires_in",
            Ty::Number {
                min: 3600.0,
                max: 86400.0,
            },
            None,
        ),
        Field::opt("country", Ty::Pattern(Pattern::Country), None),
        Field::opt("is_subsequent_payment", Ty::Bool, None),
        Field::opt("merchant_initiated", Ty::Bool, None),
        Field::opt("payment_source", Ty::Enum(PAYMENT_SOURCES), None),
        Field::opt("intent", Ty::Enum(INTENTS), None),
    ],
    required: &[],
    required_rule: None,
    unknown_rule: Fault::Gr4vyUnknownFieldAccepted,
    type_rule: Fault::Gr4vyWrongTypeAccepted,
};

/// `CartItem`.
pub const CART_ITEM: Schema = Schema {
    fields: &[
        Field::non_null(
            "name",
            Ty::Str {
                min: 1,
                max: Some(255),
            },
            Some(Fault::Gr4vyCartItemNameUnchecked),
        ),
        Field::non_null(
            "quantity",
            Ty::PositiveInt { max: AMOUNT_MAX },
            Some(Fault::Gr4vyCartItemQuantityUnchecked),
        ),
        Field::non_null(
            "unit_amount",
            Ty::Int {
                min: 0,
                max: AMOUNT_MAX,
            },
            Some(Fault::Gr4vyCartItemUnitAmountUnchecked),
        ),
        Field::opt(
            "discount_amount",
            Ty::Int {
                min: 0,
                max: AMOUNT_MAX,
            },
            Some(Fault::Gr4vyCartItemAmountsUnchecked),
        )
        .with_default(Default::Int(0)),
        Field::opt(
            "tax_amount",
            Ty::Int {
                min: 0,
                max: AMOUNT_MAX,
            },
            Some(Fault::Gr4vyCartItemAmountsUnchecked),
        )
        .with_default(Default::Int(0)),
        Field::opt(
            "external_identifier",
            Ty::Str {
                min: 1,
                max: Some(200),
            },
            Some(Fault::Gr4vyCartItemStringsUnchecked),
        ),
        Field::opt(
            "sku",
            Ty::Str {
                min: 1,
                max: Some(200),
            },
            Some(Fault::Gr4vyCartItemStringsUnchecked),
        ),
        Field::opt(
            "upc",
            Ty::Str {
                min: 1,
                max: Some(50),
            },
            Some(Fault::Gr4vyCartItemStringsUnchecked),
        ),
        Field::opt("product_url", Ty::Str { min: 0, max: None }, None),
        Field::opt("image_url", Ty::Str { min: 0, max: None }, None),
        Field::opt(
            "categories",
            Ty::Array {
                items: &Ty::Str {
                    min: 1,
                    max: Some(50),
                },
                max: None,
            },
            Some(Fault::Gr4vyCartItemCategoriesUnchecked),
        ),
        Field::opt(
            "product_type",
            Ty::Enum(PRODUCT_TYPES),
            Some(Fault::Gr4vyCartItemProductTypeUnchecked),
        ),
        Field::opt(
            "seller_country",
            Ty::Pattern(Pattern::Country),
            Some(Fault::Gr4vyCartItemSellerCountryUnchecked),
        ),
        Field::opt("tax_exempt", Ty::Bool, None),
        Field::opt(
            "unit_of_measure",
            Ty::Str {
                min: 1,
                max: Some(50),
            },
            Some(Fault::Gr4vyCartItemStringsUnchecked),
        ),
        Field::opt(
            "commodity_code",
            Ty::Str {
                min: 1,
                max: Some(50),
            },
            Some(Fault::Gr4vyCartItemStringsUnchecked),
        ),
        Field::opt(
            "description",
            Ty::Str {
                min: 1,
                max: Some(255),
            },
            Some(Fault::Gr4vyCartItemStringsUnchecked),
        ),
        Field::opt(
            "duty_amount",
            Ty::Int {
                min: 0,
                max: AMOUNT_MAX,
            },
            Some(Fault::Gr4vyCartItemAmountsUnchecked),
        ),
        Field::opt(
            "shipping_amount",
            Ty::Int {
                min: 0,
                max: AMOUNT_MAX,
            },
            Some(Fault::Gr4vyCartItemAmountsUnchecked),
        ),
    ],
    required: &["name", "quantity", "unit_amount"],
    required_rule: Some(Fault::Gr4vyCartItemRequiredUnchecked),
    unknown_rule: Fault::Gr4vyNestedUnknownFieldAccepted,
    type_rule: Fault::Gr4vyWrongTypeAccepted,
};

/// `GuestBuyer`.
pub const GUEST_BUYER: Schema = Schema {
    fields: &[
        Field::opt(
            "display_name",
            Ty::Str {
                min: 1,
                max: Some(200),
            },
            Some(Fault::Gr4vyBuyerLengthsUnchecked),
        ),
        Field::opt(
            "external_identifier",
            Ty::Str {
                min: 1,
                max: Some(200),
            },
            Some(Fault::Gr4vyBuyerLengthsUnchecked),
        ),
        Field::opt("billing_details", Ty::Object(&BILLING_DETAILS), None),
        Field::opt(
            "account_number",
            Ty::Str {
                min: 1,
                max: Some(200),
            },
            Some(Fault::Gr4vyBuyerLengthsUnchecked),
        ),
        Field::opt("shipping_details", Ty::Object(&SHIPPING_DETAILS), None),
    ],
    required: &[],
    required_rule: None,
    unknown_rule: Fault::Gr4vyNestedUnknownFieldAccepted,
    type_rule: Fault::Gr4vyWrongTypeAccepted,
};

/// `BillingDetails`.
pub const BILLING_DETAILS: Schema = Schema {
    fields: &[
        Field::opt(
            "first_name",
            Ty::Str {
                min: 1,
                max: Some(255),
            },
            Some(Fault::Gr4vyBuyerLengthsUnchecked),
        ),
        Field::opt(
            "last_name",
            Ty::Str {
                min: 1,
                max: Some(255),
            },
            Some(Fault::Gr4vyBuyerLengthsUnchecked),
        ),
        Field::opt(
            "email_address",
            Ty::Str {
                min: 1,
                max: Some(320),
            },
            Some(Fault::Gr4vyBuyerLengthsUnchecked),
        ),
        Field::opt(
            "phone_number",
            Ty::Pattern(Pattern::Phone),
            Some(Fault::Gr4vyBuyerFormatsUnchecked),
        ),
        Field::opt("address", Ty::Object(&ADDRESS), None),
        Field::opt("tax_id", Ty::Object(&TAX_ID), None),
    ],
    required: &[],
    required_rule: None,
    unknown_rule: Fault::Gr4vyNestedUnknownFieldAccepted,
    type_rule: Fault::Gr4vyWrongTypeAccepted,
};

/// `ShippingDetailsCreate`.
pub const SHIPPING_DETAILS: Schema = Schema {
    fields: &[
        Field::opt(
            "first_name",
            Ty::Str {
                min: 1,
                max: Some(255),
            },
            Some(Fault::Gr4vyBuyerLengthsUnchecked),
        ),
        Field::opt(
            "last_name",
            Ty::Str {
                min: 1,
                max: Some(255),
            },
            Some(Fault::Gr4vyBuyerLengthsUnchecked),
        ),
        Field::opt(
            "email_address",
            Ty::Str {
                min: 1,
                max: Some(320),
            },
            Some(Fault::Gr4vyBuyerLengthsUnchecked),
        ),
        Field::opt(
            "phone_number",
            Ty::Pattern(Pattern::Phone),
            Some(Fault::Gr4vyBuyerFormatsUnchecked),
        ),
        Field::opt("address", Ty::Object(&ADDRESS), None),
    ],
    required: &[],
    required_rule: None,
    unknown_rule: Fault::Gr4vyNestedUnknownFieldAccepted,
    type_rule: Fault::Gr4vyWrongTypeAccepted,
};

/// `Address`.
pub const ADDRESS: Schema = Schema {
    fields: &[
        Field::opt(
            "city",
            Ty::Str {
                min: 1,
                max: Some(100),
            },
            Some(Fault::Gr4vyBuyerLengthsUnchecked),
        ),
        Field::opt(
            "country",
            Ty::Pattern(Pattern::Country),
            Some(Fault::Gr4vyBuyerFormatsUnchecked),
        ),
        Field::opt(
            "postal_code",
            Ty::Str {
                min: 1,
                max: Some(50),
            },
            Some(Fault::Gr4vyBuyerLengthsUnchecked),
        ),
        Field::opt(
            "state",
            Ty::Str {
                min: 1,
                max: Some(255),
            },
            Some(Fault::Gr4vyBuyerLengthsUnchecked),
        ),
        Field::opt(
            "state_code",
            Ty::Pattern(Pattern::StateCode),
            Some(Fault::Gr4vyBuyerFormatsUnchecked),
        ),
        Field::opt(
            "house_number_or_name",
            Ty::Str {
                min: 1,
                max: Some(255),
            },
            Some(Fault::Gr4vyBuyerLengthsUnchecked),
        ),
        Field::opt(
            "line1",
            Ty::Str {
                min: 1,
                max: Some(255),
            },
            Some(Fault::Gr4vyBuyerLengthsUnchecked),
        ),
        Field::opt(
            "line2",
            Ty::Str {
                min: 1,
                max: Some(255),
            },
            Some(Fault::Gr4vyBuyerLengthsUnchecked),
        ),
        Field::opt(
            "organization",
            Ty::Str {
                min: 1,
                max: Some(255),
            },
            Some(Fault::Gr4vyBuyerLengthsUnchecked),
        ),
    ],
    required: &[],
    required_rule: None,
    unknown_rule: Fault::Gr4vyNestedUnknownFieldAccepted,
    type_rule: Fault::Gr4vyWrongTypeAccepted,
};

/// `TaxId`.
pub const TAX_ID: Schema = Schema {
    fields: &[
        Field::non_null(
            "value",
            Ty::Str {
                min: 1,
                max: Some(50),
            },
            Some(Fault::Gr4vyBuyerLengthsUnchecked),
        ),
        Field::non_null(
            "kind",
            Ty::Enum(TAX_ID_KINDS),
            Some(Fault::Gr4vyBuyerFormatsUnchecked),
        ),
    ],
    required: &["value", "kind"],
    required_rule: Some(Fault::Gr4vyBuyerFormatsUnchecked),
    unknown_rule: Fault::Gr4vyNestedUnknownFieldAccepted,
    type_rule: Fault::Gr4vyWrongTypeAccepted,
};

/// `Airline`.
pub const AIRLINE: Schema = Schema {
    fields: &[
        Field::opt(
            "booking_code",
            Ty::Str {
                min: 1,
                max: Some(50),
            },
            Some(Fault::Gr4vyAirlineLengthsUnchecked),
        ),
        Field::opt("is_cardholder_traveling", Ty::Bool, None),
        Field::opt(
            "issued_address",
            Ty::Str {
                min: 1,
                max: Some(255),
            },
            Some(Fault::Gr4vyAirlineLengthsUnchecked),
        ),
        Field::opt(
            "issued_at",
            Ty::DateTime,
            Some(Fault::Gr4vyAirlineDatesUnchecked),
        ),
        Field::opt(
            "issuing_carrier_code",
            Ty::Str {
                min: 2,
                max: Some(3),
            },
            Some(Fault::Gr4vyAirlineLengthsUnchecked),
        ),
        Field::opt(
            "issuing_carrier_name",
            Ty::Str { min: 1, max: None },
            Some(Fault::Gr4vyAirlineLengthsUnchecked),
        ),
        Field::opt(
            "issuing_iata_designator",
            Ty::Str {
                min: 2,
                max: Some(2),
            },
            Some(Fault::Gr4vyAirlineLengthsUnchecked),
        ),
        Field::opt(
            "issuing_icao_code",
            Ty::Str {
                min: 3,
                max: Some(3),
            },
            Some(Fault::Gr4vyAirlineLengthsUnchecked),
        ),
        Field::opt(
            "legs",
            Ty::Array {
                items: &Ty::Object(&AIRLINE_LEG),
                max: Some(AIRLINE_ITEMS_MAX),
            },
            Some(Fault::Gr4vyAirlineLegsLimitUnchecked),
        ),
        Field::opt(
            "passenger_name_record",
            Ty::Str {
                min: 1,
                max: Some(50),
            },
            Some(Fault::Gr4vyAirlineLengthsUnchecked),
        ),
        Field::opt(
            "passengers",
            Ty::Array {
                items: &Ty::Object(&AIRLINE_PASSENGER),
                max: Some(AIRLINE_ITEMS_MAX),
            },
            Some(Fault::Gr4vyAirlinePassengersLimitUnchecked),
        ),
        Field::opt(
            "reservation_system",
            Ty::Str {
                min: 1,
                max: Some(200),
            },
            Some(Fault::Gr4vyAirlineLengthsUnchecked),
        ),
        Field::opt("restricted_ticket", Ty::Bool, None),
        Field::opt(
            "ticket_delivery_method",
            Ty::Enum(TICKET_DELIVERY_METHODS),
            Some(Fault::Gr4vyAirlineEnumsUnchecked),
        )
        .with_default(Default::Str("electronic")),
        Field::opt(
            "ticket_number",
            Ty::Str {
                min: 1,
                max: Some(50),
            },
            Some(Fault::Gr4vyAirlineLengthsUnchecked),
        ),
        Field::opt(
            "travel_agency_code",
            Ty::Str {
                min: 1,
                max: Some(50),
            },
            Some(Fault::Gr4vyAirlineLengthsUnchecked),
        ),
        Field::opt(
            "travel_agency_invoice_number",
            Ty::Str {
                min: 1,
                max: Some(50),
            },
            Some(Fault::Gr4vyAirlineLengthsUnchecked),
        ),
        Field::opt(
            "travel_agency_name",
            Ty::Str {
                min: 1,
                max: Some(200),
            },
            Some(Fault::Gr4vyAirlineLengthsUnchecked),
        ),
        Field::opt(
            "travel_agency_plan_name",
            Ty::Str {
                min: 1,
                max: Some(200),
            },
            Some(Fault::Gr4vyAirlineLengthsUnchecked),
        ),
    ],
    required: &[],
    required_rule: None,
    unknown_rule: Fault::Gr4vyNestedUnknownFieldAccepted,
    type_rule: Fault::Gr4vyAirlineTypesUnchecked,
};

/// `AirlineLeg`.
pub const AIRLINE_LEG: Schema = Schema {
    fields: &[
        Field::opt(
            "arrival_airport",
            Ty::Str {
                min: 3,
                max: Some(3),
            },
            Some(Fault::Gr4vyAirlineLengthsUnchecked),
        ),
        Field::opt(
            "arrival_at",
            Ty::DateTime,
            Some(Fault::Gr4vyAirlineDatesUnchecked),
        ),
        Field::opt(
            "arrival_city",
            Ty::Str {
                min: 1,
                max: Some(100),
            },
            Some(Fault::Gr4vyAirlineLengthsUnchecked),
        ),
        Field::opt(
            "arrival_country",
            Ty::Pattern(Pattern::Country),
            Some(Fault::Gr4vyAirlinePatternsUnchecked),
        ),
        Field::opt(
            "carrier_code",
            Ty::Str {
                min: 2,
                max: Some(3),
            },
            Some(Fault::Gr4vyAirlineLengthsUnchecked),
        ),
        Field::opt(
            "carrier_name",
            Ty::Str { min: 1, max: None },
            Some(Fault::Gr4vyAirlineLengthsUnchecked),
        ),
        Field::opt(
            "iata_designator",
            Ty::Str {
                min: 2,
                max: Some(2),
            },
            Some(Fault::Gr4vyAirlineLengthsUnchecked),
        ),
        Field::opt(
            "icao_code",
            Ty::Str {
                min: 3,
                max: Some(3),
            },
            Some(Fault::Gr4vyAirlineLengthsUnchecked),
        ),
        Field::opt(
            "coupon_number",
            Ty::Str {
                min: 1,
                max: Some(50),
            },
            Some(Fault::Gr4vyAirlineLengthsUnchecked),
        ),
        Field::opt(
            "departure_airport",
            Ty::Str {
                min: 3,
                max: Some(3),
            },
            Some(Fault::Gr4vyAirlineLengthsUnchecked),
        ),
        Field::opt(
            "departure_at",
            Ty::DateTime,
            Some(Fault::Gr4vyAirlineDatesUnchecked),
        ),
        Field::opt(
            "departure_city",
            Ty::Str {
                min: 1,
                max: Some(100),
            },
            Some(Fault::Gr4vyAirlineLengthsUnchecked),
        ),
        Field::opt(
            "departure_country",
            Ty::Pattern(Pattern::Country),
            Some(Fault::Gr4vyAirlinePatternsUnchecked),
        ),
        Field::opt(
            "departure_tax_amount",
            Ty::Int {
                min: 0,
                max: AMOUNT_MAX,
            },
            Some(Fault::Gr4vyAirlineAmountsUnchecked),
        ),
        Field::opt(
            "fare_amount",
            Ty::Int {
                min: 0,
                max: AMOUNT_MAX,
            },
            Some(Fault::Gr4vyAirlineAmountsUnchecked),
        ),
        Field::opt(
            "fare_basis_code",
            Ty::Str {
                min: 1,
                max: Some(8),
            },
            Some(Fault::Gr4vyAirlineLengthsUnchecked),
        ),
        Field::opt(
            "fee_amount",
            Ty::Int {
                min: 0,
                max: AMOUNT_MAX,
            },
            Some(Fault::Gr4vyAirlineAmountsUnchecked),
        ),
        Field::opt(
            "flight_class",
            Ty::Str {
                min: 1,
                max: Some(5),
            },
            Some(Fault::Gr4vyAirlineLengthsUnchecked),
        ),
        Field::opt(
            "flight_number",
            Ty::Str {
                min: 3,
                max: Some(6),
            },
            Some(Fault::Gr4vyAirlineLengthsUnchecked),
        ),
        Field::opt(
            "route_type",
            Ty::Enum(ROUTE_TYPES),
            Some(Fault::Gr4vyAirlineEnumsUnchecked),
        ),
        Field::opt(
            "seat_class",
            Ty::Str {
                min: 1,
                max: Some(5),
            },
            Some(Fault::Gr4vyAirlineLengthsUnchecked),
        ),
        Field::opt("stop_over", Ty::Bool, None),
        Field::opt(
            "tax_amount",
            Ty::Int {
                min: 0,
                max: AMOUNT_MAX,
            },
            Some(Fault::Gr4vyAirlineAmountsUnchecked),
        ),
    ],
    required: &[],
    required_rule: None,
    unknown_rule: Fault::Gr4vyNestedUnknownFieldAccepted,
    type_rule: Fault::Gr4vyAirlineTypesUnchecked,
};

/// `AirlinePassenger`.
pub const AIRLINE_PASSENGER: Schema = Schema {
    fields: &[
        Field::opt(
            "age_group",
            Ty::Enum(AGE_GROUPS),
            Some(Fault::Gr4vyAirlineEnumsUnchecked),
        ),
        Field::opt(
            "date_of_birth",
            Ty::Date,
            Some(Fault::Gr4vyAirlineDatesUnchecked),
        ),
        Field::opt(
            "email_address",
            Ty::Str {
                min: 1,
                max: Some(320),
            },
            Some(Fault::Gr4vyAirlineLengthsUnchecked),
        ),
        Field::opt(
            "first_name",
            Ty::Str {
                min: 1,
                max: Some(255),
            },
            Some(Fault::Gr4vyAirlineLengthsUnchecked),
        ),
        Field::opt(
            "frequent_flyer_number",
            Ty::Str {
                min: 5,
                max: Some(50),
            },
            Some(Fault::Gr4vyAirlineLengthsUnchecked),
        ),
        Field::opt(
            "last_name",
            Ty::Str {
                min: 1,
                max: Some(255),
            },
            Some(Fault::Gr4vyAirlineLengthsUnchecked),
        ),
        Field::opt(
            "passport_number",
            Ty::Str {
                min: 1,
                max: Some(50),
            },
            Some(Fault::Gr4vyAirlineLengthsUnchecked),
        ),
        Field::opt(
            "phone_number",
            Ty::Pattern(Pattern::Phone),
            Some(Fault::Gr4vyAirlinePatternsUnchecked),
        ),
        Field::opt(
            "ticket_number",
            Ty::Str {
                min: 1,
                max: Some(50),
            },
            Some(Fault::Gr4vyAirlineLengthsUnchecked),
        ),
        Field::opt(
            "title",
            Ty::Str {
                min: 1,
                max: Some(50),
            },
            Some(Fault::Gr4vyAirlineLengthsUnchecked),
        ),
        Field::opt(
            "country_code",
            Ty::Pattern(Pattern::Country),
            Some(Fault::Gr4vyAirlinePatternsUnchecked),
        ),
    ],
    required: &[],
    required_rule: None,
    unknown_rule: Fault::Gr4vyNestedUnknownFieldAccepted,
    type_rule: Fault::Gr4vyAirlineTypesUnchecked,
};
