//! Stripe: line items: each fault's demonstration (see the parent module).

use super::*;
use checkout_conformance::vendor::stripe::mock::ADJUSTABLE_MAXIMUM;

/// Demonstrates `fault` (one of this topic's) against the clean and the faulted mock.
pub(super) async fn demonstrate(fault: StripeFault, clean: Mock, faulty: Mock) {
    match fault {
        StripeFault::LineItemsAppended => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let (id, a) = custom_with_item(m).await;
                let p = m.price(500).await;
                let answer = m
                    .update(&id, json!({"line_items": [{"price": p, "quantity": 1}]}))
                    .await;
                (answer, m.line_items(&id).await, a, p)
            });
            ok(&c.0);
            assert_eq!(c.1.len(), 1, "the omitted item is removed: {:?}", ids(&c.1));
            assert_ne!(c.1[0]["id"], json!(c.2));
            assert_eq!(c.1[0]["price"]["id"], json!(c.3));
            assert_eq!(c.0.body["amount_subtotal"], 500);
            ok(&f.0);
            assert_eq!(f.1.len(), 2, "faulted: the omitted item is kept");
            assert_eq!(f.1[0]["id"], json!(f.2));
            assert_eq!(f.1[1]["price"]["id"], json!(f.3));
        }
        StripeFault::LineItemsOrderIgnored => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let (id, a, b) = custom_with_two_items(m).await;
                let answer = m
                    .update(&id, json!({"line_items": [{"id": b}, {"id": a}]}))
                    .await;
                (answer, ids(&m.line_items(&id).await), a, b)
            });
            ok(&c.0);
            assert_eq!(c.1, vec![c.3.clone(), c.2.clone()], "the posted order");
            ok(&f.0);
            assert_eq!(
                f.1,
                vec![f.2.clone(), f.3.clone()],
                "faulted: the old order"
            );
        }
        StripeFault::LineItemUpdateIgnored => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let (id, a) = custom_with_item(m).await;
                let answer = m
                    .update(
                        &id,
                        json!({"line_items": [{"id": a, "quantity": 5, "metadata": {"k": "v"}}]}),
                    )
                    .await;
                (answer, m.line_items(&id).await, a)
            });
            ok(&c.0);
            assert_eq!(ids(&c.1), vec![c.2.clone()]);
            assert_eq!(c.1[0]["quantity"], 5);
            assert_eq!(c.0.body["amount_subtotal"], 5000);
            ok(&f.0);
            assert_eq!(ids(&f.1), vec![f.2.clone()], "faulted: still retained");
            assert_eq!(f.1[0]["quantity"], 2, "faulted: quantity not applied");
            assert_eq!(
                f.1[0]["metadata"],
                json!({"k": "v"}),
                "other fields still applied"
            );
        }
        StripeFault::UnknownLineItemAccepted => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let (id, a) = custom_with_item(m).await;
                let answer = m
                    .update(
                        &id,
                        json!({"line_items": [{"id": a}, {"id": "li_doesnotexist"}]}),
                    )
                    .await;
                (answer, ids(&m.line_items(&id).await), a)
            });
            rejected_with(&c.0, "line_items[1][id]", "resource_missing");
            assert_eq!(c.1, vec![c.2.clone()]);
            ok(&f.0);
            assert_eq!(f.1, vec![f.2.clone()], "faulted: the unknown id is dropped");
        }
        StripeFault::NewLineItemQuantityOptional => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let (id, a) = custom_with_item(m).await;
                let p = m.price(500).await;
                let answer = m
                    .update(&id, json!({"line_items": [{"id": a}, {"price": p}]}))
                    .await;
                (answer, m.line_items(&id).await)
            });
            rejected_with(&c.0, "line_items[1][quantity]", "parameter_missing");
            assert_eq!(c.1.len(), 1, "a rejected update changes nothing");
            ok(&f.0);
            assert_eq!(f.1.len(), 2);
            assert_eq!(f.1[1]["quantity"], 1, "faulted: defaults to 1");
        }
        StripeFault::PriceExclusivityUnchecked => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let id = m.custom_session().await;
                let p = m.price(500).await;
                m.update(&id, json!({"line_items": [{
                    "price": p,
                    "price_data": {"currency": "usd", "unit_amount": 700, "product_data": {"name": "Mug"}},
                    "quantity": 1,
                }]}))
                .await
            });
            rejected_with(&c, "line_items[0][price]", "parameters_exclusive");
            ok(&f);
        }
        StripeFault::UnitAmountExclusivityUnchecked => {
            let (c, f) = on_both!(clean, faulty, |m| {
                new_item(m, json!({"unit_amount_decimal": "700"}), json!({})).await
            });
            rejected_with(
                &c,
                "line_items[0][price_data][unit_amount]",
                "parameters_exclusive",
            );
            ok(&f);
        }
        StripeFault::TotalsNotRecomputed => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let (id, a) = custom_with_item(m).await;
                let items = m
                    .update(&id, json!({"line_items": [{"id": a, "quantity": 5}]}))
                    .await;
                let shipping = m
                    .update(
                        &id,
                        json!({"shipping_options": [rate_data(500, json!({}))]}),
                    )
                    .await;
                (items, shipping, m.line_items(&id).await)
            });
            let totals = |b: &Value| {
                (
                    b["amount_subtotal"].clone(),
                    b["amount_total"].clone(),
                    b["total_details"]["amount_shipping"].clone(),
                )
            };
            assert_eq!(totals(ok(&c.0)), (json!(5000), json!(5000), json!(0)));
            assert_eq!(totals(ok(&c.1)), (json!(5000), json!(5500), json!(500)));
            assert_eq!(c.2[0]["quantity"], 5);
            assert_eq!(totals(ok(&f.0)), (json!(2000), json!(2000), json!(0)));
            assert_eq!(totals(ok(&f.1)), (json!(2000), json!(2000), json!(0)));
            assert_eq!(f.2[0]["quantity"], 5, "faulted: the items did change");
        }
        StripeFault::LineItemsOnHostedAccepted => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let (id, a) = hosted_with_item(m).await;
                let answer = m
                    .update(&id, json!({"line_items": [{"id": a, "quantity": 3}]}))
                    .await;
                (answer, m.line_items(&id).await)
            });
            rejected(&c.0, "line_items");
            assert_eq!(c.1[0]["quantity"], 2);
            ok(&f.0);
            assert_eq!(f.1[0]["quantity"], 3);
        }
        StripeFault::AdjustableEnabledOptional => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let (id, a) = custom_with_item(m).await;
                let with = m
                    .update(&id, json!({"line_items": [{"id": a, "adjustable_quantity": {"enabled": true, "maximum": 10}}]}))
                    .await;
                let without = m
                    .update(
                        &id,
                        json!({"line_items": [{"id": a, "adjustable_quantity": {"maximum": 20}}]}),
                    )
                    .await;
                (with, without, m.line_items(&id).await)
            });
            ok(&c.0);
            ok(&f.0);
            rejected_with(
                &c.1,
                "line_items[0][adjustable_quantity][enabled]",
                "parameter_missing",
            );
            assert_eq!(c.2[0]["adjustable_quantity"]["maximum"], 10);
            ok(&f.1);
            assert_eq!(f.2[0]["adjustable_quantity"]["maximum"], 20);
        }
        StripeFault::AdjustableMaximumUnchecked => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let mut answers = Vec::new();
                for maximum in [ADJUSTABLE_MAXIMUM, ADJUSTABLE_MAXIMUM + 1, 0] {
                    let (id, a) = custom_with_item(m).await;
                    let answer = m
                        .update(&id, json!({"line_items": [{"id": a, "adjustable_quantity": {"enabled": true, "maximum": maximum}}]}))
                        .await;
                    answers.push((answer, m.line_items(&id).await));
                }
                answers
            });
            let param = "line_items[0][adjustable_quantity][maximum]";
            ok(&c[0].0);
            ok(&f[0].0);
            rejected_with(&c[1].0, param, "parameter_invalid_integer");
            ok(&f[1].0);
            assert_eq!(
                f[1].1[0]["adjustable_quantity"]["maximum"],
                ADJUSTABLE_MAXIMUM + 1
            );
            // Only the documented upper bound is lifted: a maximum of 0 stays invalid.
            rejected_with(&c[2].0, param, "parameter_invalid_integer");
            rejected_with(&f[2].0, param, "parameter_invalid_integer");
        }
        StripeFault::AdjustableMinimumUnchecked => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let mut answers = Vec::new();
                for minimum in [0, -1, ADJUSTABLE_MAXIMUM + 1] {
                    let (id, a) = custom_with_item(m).await;
                    let answer = m
                        .update(&id, json!({"line_items": [{"id": a, "adjustable_quantity": {"enabled": true, "minimum": minimum}}]}))
                        .await;
                    answers.push((answer, m.line_items(&id).await));
                }
                answers
            });
            let param = "line_items[0][adjustable_quantity][minimum]";
            ok(&c[0].0);
            ok(&f[0].0);
            rejected_with(&c[1].0, param, "parameter_invalid_integer");
            ok(&f[1].0);
            assert_eq!(f[1].1[0]["adjustable_quantity"]["minimum"], -1);
            // Only the documented lower bound is lifted.
            rejected_with(&c[2].0, param, "parameter_invalid_integer");
            rejected_with(&f[2].0, param, "parameter_invalid_integer");
        }
        StripeFault::UnitLabelLengthUnchecked => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let label = |n: usize| json!({"product_data": {"unit_label": "u".repeat(n)}});
                (
                    new_item(m, label(12), json!({})).await,
                    new_item(m, label(13), json!({})).await,
                )
            });
            ok(&c.0);
            ok(&f.0);
            rejected(&c.1, "line_items[0][price_data][product_data][unit_label]");
            ok(&f.1);
        }
        StripeFault::ImagesLimitUnchecked => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let images = |n: usize| {
                    let urls: Vec<String> = (0..n)
                        .map(|i| format!("https://example.com/{i}.png"))
                        .collect();
                    json!({"product_data": {"images": urls}})
                };
                (
                    new_item(m, images(8), json!({})).await,
                    new_item(m, images(9), json!({})).await,
                )
            });
            ok(&c.0);
            ok(&f.0);
            rejected(&c.1, "line_items[0][price_data][product_data][images]");
            ok(&f.1);
        }
        StripeFault::RecurringIntervalUnchecked => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let every = |interval: &str| json!({"recurring": {"interval": interval}});
                (
                    new_item(m, every("month"), json!({})).await,
                    new_item(m, every("fortnight"), json!({})).await,
                )
            });
            ok(&c.0);
            ok(&f.0);
            rejected(&c.1, "line_items[0][price_data][recurring][interval]");
            ok(&f.1);
        }
        StripeFault::RecurringLengthUnchecked => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let every = |interval: &str, count: i64| json!({"recurring": {"interval": interval, "interval_count": count}});
                [
                    new_item(m, every("month", 36), json!({})).await,
                    new_item(m, every("month", 37), json!({})).await,
                    new_item(m, every("week", 157), json!({})).await,
                    new_item(m, every("year", 4), json!({})).await,
                    new_item(m, every("month", 0), json!({})).await,
                ]
            });
            let param = "line_items[0][price_data][recurring][interval_count]";
            ok(&c[0]);
            ok(&f[0]);
            for longer in 1..=3 {
                rejected_with(&c[longer], param, "parameter_invalid_integer");
                ok(&f[longer]);
            }
            // Only "longer than three years" is lifted: zero intervals stay invalid.
            rejected_with(&c[4], param, "parameter_invalid_integer");
            rejected_with(&f[4], param, "parameter_invalid_integer");
        }
        StripeFault::TaxBehaviorUnchecked => {
            let (c, f) = on_both!(clean, faulty, |m| {
                [
                    new_item(m, json!({"tax_behavior": "inclusive"}), json!({})).await,
                    new_item(m, json!({"tax_behavior": "sometimes"}), json!({})).await,
                    new_rate(m, json!({"tax_behavior": "exclusive"})).await,
                    new_rate(m, json!({"tax_behavior": "sometimes"})).await,
                ]
            });
            ok(&c[0]);
            ok(&f[0]);
            ok(&c[2]);
            ok(&f[2]);
            rejected(&c[1], "line_items[0][price_data][tax_behavior]");
            rejected(
                &c[3],
                "shipping_options[0][shipping_rate_data][tax_behavior]",
            );
            ok(&f[1]);
            ok(&f[3]);
        }
        _ => unreachable!("{fault} is not a fault of this topic"),
    }
}
