//! Gr4vy: buyer: each fault's demonstration (see the parent module).

use super::*;

/// Demonstrates `fault` (one of this topic's) against the clean and the faulted mock.
pub(super) async fn demonstrate(fault: Gr4vyFault, clean: Mock, faulty: Mock) {
    match fault {
        Gr4vyFault::BuyerLengthsUnchecked => {
            let body = g4_buyer(json!({"display_name": "x".repeat(201)}));
            let control = g4_buyer(json!({"billing_details": {"phone_number": "555-1234"}}));
            gr4vy_rule(
                &clean,
                &faulty,
                body,
                "/buyer/display_name",
                (control, "/buyer/billing_details/phone_number"),
            )
            .await;
        }
        Gr4vyFault::BuyerFormatsUnchecked => {
            let body = g4_buyer(
                json!({"billing_details": {"phone_number": "555-1234", "tax_id": {"kind": "xx.tin"}}}),
            );
            let control = g4_buyer(json!({"display_name": "x".repeat(201)}));
            gr4vy_rule(
                &clean,
                &faulty,
                body,
                "/buyer/billing_details/phone_number",
                (control, "/buyer/display_name"),
            )
            .await;
        }
        _ => unreachable!("{fault} is not a fault of this topic"),
    }
}
