//! Gr4vy: cart items: each fault's demonstration (see the parent module).

use super::*;
use checkout_conformance::vendor::gr4vy::mock::AMOUNT_MAX;

/// Demonstrates `fault` (one of this topic's) against the clean and the faulted mock.
pub(super) async fn demonstrate(fault: Fault, clean: Mock, faulty: Mock) {
    match fault {
        Fault::Gr4vyCartItemsAppended => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let g = Gr4vy::of(m);
                let id = g.new_session().await;
                g.put(&id, g4_item(json!({"name": "A"}))).await.session();
                g.put(&id, g4_item(json!({"name": "B"}))).await
            });
            assert_eq!(g4_names(c.session()), ["B"]);
            assert_eq!(g4_names(f.session()), ["A", "B"]);
        }
        Fault::Gr4vyCartItemsNullIgnored => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let g = Gr4vy::of(m);
                let id = g.new_session().await;
                g.put(&id, g4_item(json!({"name": "A"}))).await.session();
                let cleared = g.put(&id, json!({"cart_items": null})).await;
                // Replacing still works: only the clearing is broken.
                let replaced = g.put(&id, g4_item(json!({"name": "C"}))).await;
                (cleared, replaced)
            });
            assert_eq!(c.0.session()["cart_items"], Value::Null);
            assert_eq!(g4_names(f.0.session()), ["A"]);
            assert_eq!(g4_names(c.1.session()), ["C"]);
            assert_eq!(g4_names(f.1.session()), ["C"]);
        }
        Fault::Gr4vyCartItemRequiredUnchecked => {
            let body = json!({"cart_items": [{"quantity": 1, "unit_amount": 1}]});
            let control = g4_item(json!({"name": "x".repeat(256)}));
            let f = gr4vy_rule(
                &clean,
                &faulty,
                body,
                "/cart_items/0/name",
                (control, "/cart_items/0/name"),
            )
            .await;
            assert!(f.body["cart_items"][0].get("name").is_none(), "{}", f.body);
        }
        Fault::Gr4vyCartItemNameUnchecked => {
            let body = g4_item(json!({"name": "x".repeat(256)}));
            let control = g4_item(json!({"quantity": 0}));
            let f = gr4vy_rule(
                &clean,
                &faulty,
                body,
                "/cart_items/0/name",
                (control, "/cart_items/0/quantity"),
            )
            .await;
            assert_eq!(
                f.body["cart_items"][0]["name"].as_str().map(str::len),
                Some(256)
            );
        }
        Fault::Gr4vyCartItemQuantityUnchecked => {
            let body = g4_item(json!({"quantity": 0}));
            let control = g4_item(json!({"unit_amount": -1}));
            let f = gr4vy_rule(
                &clean,
                &faulty,
                body,
                "/cart_items/0/quantity",
                (control, "/cart_items/0/unit_amount"),
            )
            .await;
            assert_eq!(f.body["cart_items"][0]["quantity"], 0);
        }
        Fault::Gr4vyCartItemUnitAmountUnchecked => {
            let body = g4_item(json!({"unit_amount": AMOUNT_MAX + 1}));
            let control = g4_item(json!({"quantity": 0}));
            gr4vy_rule(
                &clean,
                &faulty,
                body,
                "/cart_items/0/unit_amount",
                (control, "/cart_items/0/quantity"),
            )
            .await;
        }
        Fault::Gr4vyCartItemAmountsUnchecked => {
            let body = g4_item(json!({"discount_amount": -1}));
            let control = g4_item(json!({"unit_amount": -1}));
            gr4vy_rule(
                &clean,
                &faulty,
                body,
                "/cart_items/0/discount_amount",
                (control, "/cart_items/0/unit_amount"),
            )
            .await;
        }
        Fault::Gr4vyCartItemStringsUnchecked => {
            let body = g4_item(json!({"sku": "x".repeat(201)}));
            let control = g4_item(json!({"name": ""}));
            gr4vy_rule(
                &clean,
                &faulty,
                body,
                "/cart_items/0/sku",
                (control, "/cart_items/0/name"),
            )
            .await;
        }
        Fault::Gr4vyCartItemCategoriesUnchecked => {
            let body = g4_item(json!({"categories": ["x".repeat(51)]}));
            let control = g4_item(json!({"sku": ""}));
            gr4vy_rule(
                &clean,
                &faulty,
                body,
                "/cart_items/0/categories/0",
                (control, "/cart_items/0/sku"),
            )
            .await;
        }
        Fault::Gr4vyCartItemProductTypeUnchecked => {
            let body = g4_item(json!({"product_type": "service"}));
            let control = g4_item(json!({"seller_country": "us"}));
            gr4vy_rule(
                &clean,
                &faulty,
                body,
                "/cart_items/0/product_type",
                (control, "/cart_items/0/seller_country"),
            )
            .await;
        }
        Fault::Gr4vyCartItemSellerCountryUnchecked => {
            let body = g4_item(json!({"seller_country": "us"}));
            let control = g4_item(json!({"product_type": "service"}));
            gr4vy_rule(
                &clean,
                &faulty,
                body,
                "/cart_items/0/seller_country",
                (control, "/cart_items/0/product_type"),
            )
            .await;
        }
        _ => unreachable!("{fault} is not a fault of this topic"),
    }
}
