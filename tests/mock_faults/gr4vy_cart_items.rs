//! Gr4vy: cart items: each fault's demonstration (see the parent module).

use super::*;
use checkout_conformance::vendor::gr4vy::mock::AMOUNT_MAX;

/// Demonstrates `fault` (one of this topic's) against the clean and the faulted mock.
pub(super) async fn demonstrate(fault: Gr4vyFault, clean: Mock, faulty: Mock) {
    match fault {
        Gr4vyFault::CartItemsAppended => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let g = Gr4vy::of(m);
                let id = g.new_session().await;
                g.put(&id, g4_item(json!({"name": "A"}))).await.session();
                g.put(&id, g4_item(json!({"name": "B"}))).await
            });
            assert_eq!(g4_names(c.session()), ["B"]);
            assert_eq!(g4_names(f.session()), ["A", "B"]);
        }
        Gr4vyFault::CartItemsNullIgnored => {
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
        Gr4vyFault::CartItemRequiredUnchecked => {
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
        Gr4vyFault::CartItemNameUnchecked => {
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
        Gr4vyFault::CartItemQuantityUnchecked => {
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
        Gr4vyFault::CartItemUnitAmountUnchecked => {
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
        Gr4vyFault::CartItemAmountsUnchecked => {
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
        Gr4vyFault::CartItemStringsUnchecked => {
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
        Gr4vyFault::CartItemCategoriesUnchecked => {
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
        Gr4vyFault::CartItemProductTypeUnchecked => {
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
        Gr4vyFault::CartItemSellerCountryUnchecked => {
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
