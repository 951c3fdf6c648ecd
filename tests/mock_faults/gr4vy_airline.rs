//! Gr4vy: airline addendum: each fault's demonstration (see the parent module).

use super::*;

/// Demonstrates `fault` (one of this topic's) against the clean and the faulted mock.
pub(super) async fn demonstrate(fault: Gr4vyFault, clean: Mock, faulty: Mock) {
    match fault {
        Gr4vyFault::AirlineLegsLimitUnchecked => {
            let body = json!({"airline": {"legs": vec![doc_leg(); 21]}});
            let control = json!({"airline": {"passengers": vec![doc_passenger(); 21]}});
            let f = gr4vy_rule(
                &clean,
                &faulty,
                body,
                "/airline/legs",
                (control, "/airline/passengers"),
            )
            .await;
            assert_eq!(f.body["airline"]["legs"].as_array().map(Vec::len), Some(21));
        }
        Gr4vyFault::AirlinePassengersLimitUnchecked => {
            let body = json!({"airline": {"passengers": vec![doc_passenger(); 21]}});
            let control = json!({"airline": {"legs": vec![doc_leg(); 21]}});
            let f = gr4vy_rule(
                &clean,
                &faulty,
                body,
                "/airline/passengers",
                (control, "/airline/legs"),
            )
            .await;
            assert_eq!(
                f.body["airline"]["passengers"].as_array().map(Vec::len),
                Some(21)
            );
        }
        Gr4vyFault::AirlineLengthsUnchecked => {
            let body = json!({"airline": {"booking_code": "x".repeat(51), "legs": [{"flight_number": "BA"}]}});
            let control = g4_leg(json!({"route_type": "return"}));
            gr4vy_rule(
                &clean,
                &faulty,
                body,
                "/airline/booking_code",
                (control, "/airline/legs/0/route_type"),
            )
            .await;
        }
        Gr4vyFault::AirlineTypesUnchecked => {
            let body =
                json!({"airline": {"restricted_ticket": "no", "legs": [{"fare_amount": "100"}]}});
            let control = g4_item(json!({"tax_exempt": "no"}));
            let f = gr4vy_rule(
                &clean,
                &faulty,
                body,
                "/airline/restricted_ticket",
                (control, "/cart_items/0/tax_exempt"),
            )
            .await;
            assert_eq!(f.body["airline"]["restricted_ticket"], "no", "kept as sent");
            assert_eq!(f.body["airline"]["legs"][0]["fare_amount"], "100");
        }
        Gr4vyFault::AirlineEnumsUnchecked => {
            let body = json!({"airline": {"ticket_delivery_method": "paper"}});
            let control = g4_item(json!({"product_type": "service"}));
            gr4vy_rule(
                &clean,
                &faulty,
                body,
                "/airline/ticket_delivery_method",
                (control, "/cart_items/0/product_type"),
            )
            .await;
        }
        Gr4vyFault::AirlineDatesUnchecked => {
            let body = json!({"airline": {"issued_at": "2013-07-16", "passengers": [{"date_of_birth": "16/07/2013"}]}});
            let control = json!({"airline": {"booking_code": ""}});
            gr4vy_rule(
                &clean,
                &faulty,
                body,
                "/airline/issued_at",
                (control, "/airline/booking_code"),
            )
            .await;
        }
        Gr4vyFault::AirlineAmountsUnchecked => {
            let body = g4_leg(json!({"fare_amount": -1}));
            let control = g4_item(json!({"unit_amount": -1}));
            gr4vy_rule(
                &clean,
                &faulty,
                body,
                "/airline/legs/0/fare_amount",
                (control, "/cart_items/0/unit_amount"),
            )
            .await;
        }
        Gr4vyFault::AirlinePatternsUnchecked => {
            let body = g4_leg(json!({"departure_country": "uk"}));
            let control = g4_item(json!({"seller_country": "us"}));
            gr4vy_rule(
                &clean,
                &faulty,
                body,
                "/airline/legs/0/departure_country",
                (control, "/cart_items/0/seller_country"),
            )
            .await;
        }
        _ => unreachable!("{fault} is not a fault of this topic"),
    }
}
