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
use super::Gr4vyFault;

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
            Some(Gr4vyFault::MetadataValuesUnchecked),
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
    unknown_rule: Gr4vyFault::UnknownFieldAccepted,
    type_rule: Gr4vyFault::WrongTypeAccepted,
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
            Some(Gr4vyFault::CartItemNameUnchecked),
        ),
        Field::non_null(
            "quantity",
            Ty::PositiveInt { max: AMOUNT_MAX },
            Some(Gr4vyFault::CartItemQuantityUnchecked),
        ),
        Field::non_null(
            "unit_amount",
            Ty::Int {
                min: 0,
                max: AMOUNT_MAX,
            },
            Some(Gr4vyFault::CartItemUnitAmountUnchecked),
        ),
        Field::opt(
            "discount_amount",
            Ty::Int {
                min: 0,
                max: AMOUNT_MAX,
            },
            Some(Gr4vyFault::CartItemAmountsUnchecked),
        )
        .with_default(Default::Int(0)),
        Field::opt(
            "tax_amount",
            Ty::Int {
                min: 0,
                max: AMOUNT_MAX,
            },
            Some(Gr4vyFault::CartItemAmountsUnchecked),
        )
        .with_default(Default::Int(0)),
        Field::opt(
            "external_identifier",
            Ty::Str {
                min: 1,
                max: Some(200),
            },
            Some(Gr4vyFault::CartItemStringsUnchecked),
        ),
        Field::opt(
            "sku",
            Ty::Str {
                min: 1,
                max: Some(200),
            },
            Some(Gr4vyFault::CartItemStringsUnchecked),
        ),
        Field::opt(
            "upc",
            Ty::Str {
                min: 1,
                max: Some(50),
            },
            Some(Gr4vyFault::CartItemStringsUnchecked),
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
            Some(Gr4vyFault::CartItemCategoriesUnchecked),
        ),
        Field::opt(
            "product_type",
            Ty::Enum(PRODUCT_TYPES),
            Some(Gr4vyFault::CartItemProductTypeUnchecked),
        ),
        Field::opt(
            "seller_country",
            Ty::Pattern(Pattern::Country),
            Some(Gr4vyFault::CartItemSellerCountryUnchecked),
        ),
        Field::opt("tax_exempt", Ty::Bool, None),
        Field::opt(
            "unit_of_measure",
            Ty::Str {
                min: 1,
                max: Some(50),
            },
            Some(Gr4vyFault::CartItemStringsUnchecked),
        ),
        Field::opt(
            "commodity_code",
            Ty::Str {
                min: 1,
                max: Some(50),
            },
            Some(Gr4vyFault::CartItemStringsUnchecked),
        ),
        Field::opt(
            "description",
            Ty::Str {
                min: 1,
                max: Some(255),
            },
            Some(Gr4vyFault::CartItemStringsUnchecked),
        ),
        Field::opt(
            "duty_amount",
            Ty::Int {
                min: 0,
                max: AMOUNT_MAX,
            },
            Some(Gr4vyFault::CartItemAmountsUnchecked),
        ),
        Field::opt(
            "shipping_amount",
            Ty::Int {
                min: 0,
                max: AMOUNT_MAX,
            },
            Some(Gr4vyFault::CartItemAmountsUnchecked),
        ),
    ],
    required: &["name", "quantity", "unit_amount"],
    required_rule: Some(Gr4vyFault::CartItemRequiredUnchecked),
    unknown_rule: Gr4vyFault::NestedUnknownFieldAccepted,
    type_rule: Gr4vyFault::WrongTypeAccepted,
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
            Some(Gr4vyFault::BuyerLengthsUnchecked),
        ),
        Field::opt(
            "external_identifier",
            Ty::Str {
                min: 1,
                max: Some(200),
            },
            Some(Gr4vyFault::BuyerLengthsUnchecked),
        ),
        Field::opt("billing_details", Ty::Object(&BILLING_DETAILS), None),
        Field::opt(
            "account_number",
            Ty::Str {
                min: 1,
                max: Some(200),
            },
            Some(Gr4vyFault::BuyerLengthsUnchecked),
        ),
        Field::opt("shipping_details", Ty::Object(&SHIPPING_DETAILS), None),
    ],
    required: &[],
    required_rule: None,
    unknown_rule: Gr4vyFault::NestedUnknownFieldAccepted,
    type_rule: Gr4vyFault::WrongTypeAccepted,
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
            Some(Gr4vyFault::BuyerLengthsUnchecked),
        ),
        Field::opt(
            "last_name",
            Ty::Str {
                min: 1,
                max: Some(255),
            },
            Some(Gr4vyFault::BuyerLengthsUnchecked),
        ),
        Field::opt(
            "email_address",
            Ty::Str {
                min: 1,
                max: Some(320),
            },
            Some(Gr4vyFault::BuyerLengthsUnchecked),
        ),
        Field::opt(
            "phone_number",
            Ty::Pattern(Pattern::Phone),
            Some(Gr4vyFault::BuyerFormatsUnchecked),
        ),
        Field::opt("address", Ty::Object(&ADDRESS), None),
        Field::opt("tax_id", Ty::Object(&TAX_ID), None),
    ],
    required: &[],
    required_rule: None,
    unknown_rule: Gr4vyFault::NestedUnknownFieldAccepted,
    type_rule: Gr4vyFault::WrongTypeAccepted,
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
            Some(Gr4vyFault::BuyerLengthsUnchecked),
        ),
        Field::opt(
            "last_name",
            Ty::Str {
                min: 1,
                max: Some(255),
            },
            Some(Gr4vyFault::BuyerLengthsUnchecked),
        ),
        Field::opt(
            "email_address",
            Ty::Str {
                min: 1,
                max: Some(320),
            },
            Some(Gr4vyFault::BuyerLengthsUnchecked),
        ),
        Field::opt(
            "phone_number",
            Ty::Pattern(Pattern::Phone),
            Some(Gr4vyFault::BuyerFormatsUnchecked),
        ),
        Field::opt("address", Ty::Object(&ADDRESS), None),
    ],
    required: &[],
    required_rule: None,
    unknown_rule: Gr4vyFault::NestedUnknownFieldAccepted,
    type_rule: Gr4vyFault::WrongTypeAccepted,
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
            Some(Gr4vyFault::BuyerLengthsUnchecked),
        ),
        Field::opt(
            "country",
            Ty::Pattern(Pattern::Country),
            Some(Gr4vyFault::BuyerFormatsUnchecked),
        ),
        Field::opt(
            "postal_code",
            Ty::Str {
                min: 1,
                max: Some(50),
            },
            Some(Gr4vyFault::BuyerLengthsUnchecked),
        ),
        Field::opt(
            "state",
            Ty::Str {
                min: 1,
                max: Some(255),
            },
            Some(Gr4vyFault::BuyerLengthsUnchecked),
        ),
        Field::opt(
            "state_code",
            Ty::Pattern(Pattern::StateCode),
            Some(Gr4vyFault::BuyerFormatsUnchecked),
        ),
        Field::opt(
            "house_number_or_name",
            Ty::Str {
                min: 1,
                max: Some(255),
            },
            Some(Gr4vyFault::BuyerLengthsUnchecked),
        ),
        Field::opt(
            "line1",
            Ty::Str {
                min: 1,
                max: Some(255),
            },
            Some(Gr4vyFault::BuyerLengthsUnchecked),
        ),
        Field::opt(
            "line2",
            Ty::Str {
                min: 1,
                max: Some(255),
            },
            Some(Gr4vyFault::BuyerLengthsUnchecked),
        ),
        Field::opt(
            "organization",
            Ty::Str {
                min: 1,
                max: Some(255),
            },
            Some(Gr4vyFault::BuyerLengthsUnchecked),
        ),
    ],
    required: &[],
    required_rule: None,
    unknown_rule: Gr4vyFault::NestedUnknownFieldAccepted,
    type_rule: Gr4vyFault::WrongTypeAccepted,
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
            Some(Gr4vyFault::BuyerLengthsUnchecked),
        ),
        Field::non_null(
            "kind",
            Ty::Enum(TAX_ID_KINDS),
            Some(Gr4vyFault::BuyerFormatsUnchecked),
        ),
    ],
    required: &["value", "kind"],
    required_rule: Some(Gr4vyFault::BuyerFormatsUnchecked),
    unknown_rule: Gr4vyFault::NestedUnknownFieldAccepted,
    type_rule: Gr4vyFault::WrongTypeAccepted,
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
            Some(Gr4vyFault::AirlineLengthsUnchecked),
        ),
        Field::opt("is_cardholder_traveling", Ty::Bool, None),
        Field::opt(
            "issued_address",
            Ty::Str {
                min: 1,
                max: Some(255),
            },
            Some(Gr4vyFault::AirlineLengthsUnchecked),
        ),
        Field::opt(
            "issued_at",
            Ty::DateTime,
            Some(Gr4vyFault::AirlineDatesUnchecked),
        ),
        Field::opt(
            "issuing_carrier_code",
            Ty::Str {
                min: 2,
                max: Some(3),
            },
            Some(Gr4vyFault::AirlineLengthsUnchecked),
        ),
        Field::opt(
            "issuing_carrier_name",
            Ty::Str { min: 1, max: None },
            Some(Gr4vyFault::AirlineLengthsUnchecked),
        ),
        Field::opt(
            "issuing_iata_designator",
            Ty::Str {
                min: 2,
                max: Some(2),
            },
            Some(Gr4vyFault::AirlineLengthsUnchecked),
        ),
        Field::opt(
            "issuing_icao_code",
            Ty::Str {
                min: 3,
                max: Some(3),
            },
            Some(Gr4vyFault::AirlineLengthsUnchecked),
        ),
        Field::opt(
            "legs",
            Ty::Array {
                items: &Ty::Object(&AIRLINE_LEG),
                max: Some(AIRLINE_ITEMS_MAX),
            },
            Some(Gr4vyFault::AirlineLegsLimitUnchecked),
        ),
        Field::opt(
            "passenger_name_record",
            Ty::Str {
                min: 1,
                max: Some(50),
            },
            Some(Gr4vyFault::AirlineLengthsUnchecked),
        ),
        Field::opt(
            "passengers",
            Ty::Array {
                items: &Ty::Object(&AIRLINE_PASSENGER),
                max: Some(AIRLINE_ITEMS_MAX),
            },
            Some(Gr4vyFault::AirlinePassengersLimitUnchecked),
        ),
        Field::opt(
            "reservation_system",
            Ty::Str {
                min: 1,
                max: Some(200),
            },
            Some(Gr4vyFault::AirlineLengthsUnchecked),
        ),
        Field::opt("restricted_ticket", Ty::Bool, None),
        Field::opt(
            "ticket_delivery_method",
            Ty::Enum(TICKET_DELIVERY_METHODS),
            Some(Gr4vyFault::AirlineEnumsUnchecked),
        )
        .with_default(Default::Str("electronic")),
        Field::opt(
            "ticket_number",
            Ty::Str {
                min: 1,
                max: Some(50),
            },
            Some(Gr4vyFault::AirlineLengthsUnchecked),
        ),
        Field::opt(
            "travel_agency_code",
            Ty::Str {
                min: 1,
                max: Some(50),
            },
            Some(Gr4vyFault::AirlineLengthsUnchecked),
        ),
        Field::opt(
            "travel_agency_invoice_number",
            Ty::Str {
                min: 1,
                max: Some(50),
            },
            Some(Gr4vyFault::AirlineLengthsUnchecked),
        ),
        Field::opt(
            "travel_agency_name",
            Ty::Str {
                min: 1,
                max: Some(200),
            },
            Some(Gr4vyFault::AirlineLengthsUnchecked),
        ),
        Field::opt(
            "travel_agency_plan_name",
            Ty::Str {
                min: 1,
                max: Some(200),
            },
            Some(Gr4vyFault::AirlineLengthsUnchecked),
        ),
    ],
    required: &[],
    required_rule: None,
    unknown_rule: Gr4vyFault::NestedUnknownFieldAccepted,
    type_rule: Gr4vyFault::AirlineTypesUnchecked,
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
            Some(Gr4vyFault::AirlineLengthsUnchecked),
        ),
        Field::opt(
            "arrival_at",
            Ty::DateTime,
            Some(Gr4vyFault::AirlineDatesUnchecked),
        ),
        Field::opt(
            "arrival_city",
            Ty::Str {
                min: 1,
                max: Some(100),
            },
            Some(Gr4vyFault::AirlineLengthsUnchecked),
        ),
        Field::opt(
            "arrival_country",
            Ty::Pattern(Pattern::Country),
            Some(Gr4vyFault::AirlinePatternsUnchecked),
        ),
        Field::opt(
            "carrier_code",
            Ty::Str {
                min: 2,
                max: Some(3),
            },
            Some(Gr4vyFault::AirlineLengthsUnchecked),
        ),
        Field::opt(
            "carrier_name",
            Ty::Str { min: 1, max: None },
            Some(Gr4vyFault::AirlineLengthsUnchecked),
        ),
        Field::opt(
            "iata_designator",
            Ty::Str {
                min: 2,
                max: Some(2),
            },
            Some(Gr4vyFault::AirlineLengthsUnchecked),
        ),
        Field::opt(
            "icao_code",
            Ty::Str {
                min: 3,
                max: Some(3),
            },
            Some(Gr4vyFault::AirlineLengthsUnchecked),
        ),
        Field::opt(
            "coupon_number",
            Ty::Str {
                min: 1,
                max: Some(50),
            },
            Some(Gr4vyFault::AirlineLengthsUnchecked),
        ),
        Field::opt(
            "departure_airport",
            Ty::Str {
                min: 3,
                max: Some(3),
            },
            Some(Gr4vyFault::AirlineLengthsUnchecked),
        ),
        Field::opt(
            "departure_at",
            Ty::DateTime,
            Some(Gr4vyFault::AirlineDatesUnchecked),
        ),
        Field::opt(
            "departure_city",
            Ty::Str {
                min: 1,
                max: Some(100),
            },
            Some(Gr4vyFault::AirlineLengthsUnchecked),
        ),
        Field::opt(
            "departure_country",
            Ty::Pattern(Pattern::Country),
            Some(Gr4vyFault::AirlinePatternsUnchecked),
        ),
        Field::opt(
            "departure_tax_amount",
            Ty::Int {
                min: 0,
                max: AMOUNT_MAX,
            },
            Some(Gr4vyFault::AirlineAmountsUnchecked),
        ),
        Field::opt(
            "fare_amount",
            Ty::Int {
                min: 0,
                max: AMOUNT_MAX,
            },
            Some(Gr4vyFault::AirlineAmountsUnchecked),
        ),
        Field::opt(
            "fare_basis_code",
            Ty::Str {
                min: 1,
                max: Some(8),
            },
            Some(Gr4vyFault::AirlineLengthsUnchecked),
        ),
        Field::opt(
            "fee_amount",
            Ty::Int {
                min: 0,
                max: AMOUNT_MAX,
            },
            Some(Gr4vyFault::AirlineAmountsUnchecked),
        ),
        Field::opt(
            "flight_class",
            Ty::Str {
                min: 1,
                max: Some(5),
            },
            Some(Gr4vyFault::AirlineLengthsUnchecked),
        ),
        Field::opt(
            "flight_number",
            Ty::Str {
                min: 3,
                max: Some(6),
            },
            Some(Gr4vyFault::AirlineLengthsUnchecked),
        ),
        Field::opt(
            "route_type",
            Ty::Enum(ROUTE_TYPES),
            Some(Gr4vyFault::AirlineEnumsUnchecked),
        ),
        Field::opt(
            "seat_class",
            Ty::Str {
                min: 1,
                max: Some(5),
            },
            Some(Gr4vyFault::AirlineLengthsUnchecked),
        ),
        Field::opt("stop_over", Ty::Bool, None),
        Field::opt(
            "tax_amount",
            Ty::Int {
                min: 0,
                max: AMOUNT_MAX,
            },
            Some(Gr4vyFault::AirlineAmountsUnchecked),
        ),
    ],
    required: &[],
    required_rule: None,
    unknown_rule: Gr4vyFault::NestedUnknownFieldAccepted,
    type_rule: Gr4vyFault::AirlineTypesUnchecked,
};

/// `AirlinePassenger`.
pub const AIRLINE_PASSENGER: Schema = Schema {
    fields: &[
        Field::opt(
            "age_group",
            Ty::Enum(AGE_GROUPS),
            Some(Gr4vyFault::AirlineEnumsUnchecked),
        ),
        Field::opt(
            "date_of_birth",
            Ty::Date,
            Some(Gr4vyFault::AirlineDatesUnchecked),
        ),
        Field::opt(
            "email_address",
            Ty::Str {
                min: 1,
                max: Some(320),
            },
            Some(Gr4vyFault::AirlineLengthsUnchecked),
        ),
        Field::opt(
            "first_name",
            Ty::Str {
                min: 1,
                max: Some(255),
            },
            Some(Gr4vyFault::AirlineLengthsUnchecked),
        ),
        Field::opt(
            "frequent_flyer_number",
            Ty::Str {
                min: 5,
                max: Some(50),
            },
            Some(Gr4vyFault::AirlineLengthsUnchecked),
        ),
        Field::opt(
            "last_name",
            Ty::Str {
                min: 1,
                max: Some(255),
            },
            Some(Gr4vyFault::AirlineLengthsUnchecked),
        ),
        Field::opt(
            "passport_number",
            Ty::Str {
                min: 1,
                max: Some(50),
            },
            Some(Gr4vyFault::AirlineLengthsUnchecked),
        ),
        Field::opt(
            "phone_number",
            Ty::Pattern(Pattern::Phone),
            Some(Gr4vyFault::AirlinePatternsUnchecked),
        ),
        Field::opt(
            "ticket_number",
            Ty::Str {
                min: 1,
                max: Some(50),
            },
            Some(Gr4vyFault::AirlineLengthsUnchecked),
        ),
        Field::opt(
            "title",
            Ty::Str {
                min: 1,
                max: Some(50),
            },
            Some(Gr4vyFault::AirlineLengthsUnchecked),
        ),
        Field::opt(
            "country_code",
            Ty::Pattern(Pattern::Country),
            Some(Gr4vyFault::AirlinePatternsUnchecked),
        ),
    ],
    required: &[],
    required_rule: None,
    unknown_rule: Gr4vyFault::NestedUnknownFieldAccepted,
    type_rule: Gr4vyFault::AirlineTypesUnchecked,
};
