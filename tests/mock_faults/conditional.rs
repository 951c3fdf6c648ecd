//! Conditional deviations (broken only for three or more items, only after the first element,
//! only when a field is not mentioned, only for one of two equivalent forms, only on a key's
//! second replay, only for an item updated in place): each fault's demonstration (see the
//! parent module).

use super::*;

/// Demonstrates `fault` (one of this topic's) against the clean and the faulted mock.
pub(super) async fn demonstrate(fault: StripeFault, clean: Mock, faulty: Mock) {
    match fault {
        StripeFault::LineItemsOrderIgnoredFromThree => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let (id, a, b) = custom_with_two_items(m).await;
                let q = m.price(700).await;
                // Two reordered: right with and without the fault.
                ok(&m
                    .update(&id, json!({"line_items": [{"id": b}, {"id": a}]}))
                    .await);
                let two = ids(&m.line_items(&id).await);
                ok(&m
                    .update(
                        &id,
                        json!({"line_items": [{"id": b}, {"id": a}, {"price": q, "quantity": 1}]}),
                    )
                    .await);
                let c3 = ids(&m.line_items(&id).await)[2].clone();
                let answer = m
                    .update(
                        &id,
                        json!({"line_items": [{"id": c3}, {"id": a}, {"id": b}]}),
                    )
                    .await;
                (answer, two, ids(&m.line_items(&id).await), [a, b, c3])
            });
            ok(&c.0);
            ok(&f.0);
            let [a, b, c3] = c.3.clone();
            assert_eq!(c.1, vec![b.clone(), a.clone()]);
            assert_eq!(c.2, vec![c3, a, b], "the posted order");
            let [a, b, c3] = f.3.clone();
            assert_eq!(
                f.1,
                vec![b.clone(), a.clone()],
                "faulted: two are reordered"
            );
            assert_eq!(f.2, vec![b, a, c3], "faulted: three keep the old order");
        }
        StripeFault::LineItemMetadataIgnoredAfterFirst => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let (id, a) = custom_with_item(m).await;
                let p = m.price(500).await;
                ok(&m
                    .update(
                        &id,
                        json!({"line_items": [{"id": a, "metadata": {"first": "yes"}}]}),
                    )
                    .await);
                let first = m.line_items(&id).await[0]["metadata"].clone();
                let answer = m
                    .update(
                        &id,
                        json!({"line_items": [
                            {"price": p, "quantity": 1},
                            {"id": a, "metadata": {"second": "yes"}},
                        ]}),
                    )
                    .await;
                (answer, first, m.line_items(&id).await)
            });
            ok(&c.0);
            ok(&f.0);
            assert_eq!(c.1, json!({"first": "yes"}));
            assert_eq!(c.2[1]["metadata"], json!({"first": "yes", "second": "yes"}));
            assert_eq!(
                f.1,
                json!({"first": "yes"}),
                "faulted: the first element's is stored"
            );
            assert_eq!(
                f.2[1]["metadata"],
                json!({"first": "yes"}),
                "faulted: not the second's"
            );
        }
        StripeFault::ShippingOptionsDroppedWhenUnmentioned => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let id = m.custom_session().await;
                let posted = m
                    .update(
                        &id,
                        json!({"shipping_options": [rate_data(500, json!({}))]}),
                    )
                    .await;
                let other = m.update(&id, json!({"metadata": {"a": "1"}})).await;
                (posted, other)
            });
            let count = |b: &Value| b["shipping_options"].as_array().map_or(0, Vec::len);
            assert_eq!((count(ok(&c.0)), count(ok(&c.1))), (1, 1));
            assert_eq!((count(ok(&f.0)), count(ok(&f.1))), (1, 0));
        }
        StripeFault::RateDataShippingNotTotalled => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let id = m.custom_session().await;
                let rate = m.shipping_rate(300).await;
                let by_id = m
                    .update(&id, json!({"shipping_options": [{"shipping_rate": rate}]}))
                    .await;
                let by_data = m
                    .update(
                        &id,
                        json!({"shipping_options": [rate_data(500, json!({}))]}),
                    )
                    .await;
                (by_id, by_data)
            });
            let shipping = |b: &Value| b["total_details"]["amount_shipping"].clone();
            assert_eq!(
                (shipping(ok(&c.0)), shipping(ok(&c.1))),
                (json!(300), json!(500))
            );
            assert_eq!(
                (shipping(ok(&f.0)), shipping(ok(&f.1))),
                (json!(300), json!(0))
            );
        }
        StripeFault::IdempotencyReplayedOnce => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let (id, sent) = sent_with_one_key(m, "sent-three-times", 3).await;
                let [first, second, third] = <[Answer; 3]>::try_from(sent).expect("three answers");
                (first, second, third, ids(&m.line_items(&id).await))
            });
            let new_item = |a: &Answer| ok(a)["line_items"]["data"][1]["id"].clone();
            // Clean: both later sends are replays of the first answer; nothing runs again.
            assert!(
                c.1.replayed && c.2.replayed,
                "Idempotent-Replayed: true expected"
            );
            assert_eq!((&c.0.body, &c.0.body), (&c.1.body, &c.2.body));
            assert_eq!(json!(c.3[1]), new_item(&c.0));
            // Faulted: the first replay is right, the second runs again (a new item replaces the
            // first one).
            assert!(f.1.replayed, "the first replay is right");
            assert_eq!(f.0.body, f.1.body);
            assert!(!f.2.replayed);
            assert_ne!(new_item(&f.0), new_item(&f.2));
            assert_eq!(json!(f.3[1]), new_item(&f.2));
        }
        StripeFault::UpdatedLineItemIdChanges => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let (id, a, b) = custom_with_two_items(m).await;
                let answer = m
                    .update(
                        &id,
                        json!({"line_items": [{"id": a, "quantity": 3}, {"id": b}]}),
                    )
                    .await;
                let items = m.line_items(&id).await;
                (answer, ids(&items), items[0]["quantity"].clone(), [a, b])
            });
            ok(&c.0);
            ok(&f.0);
            let [a, b] = c.3.clone();
            assert_eq!(c.1, vec![a, b], "ids are kept");
            assert_eq!(c.2, json!(3));
            let [a, b] = f.3.clone();
            assert_ne!(f.1[0], a, "faulted: the updated item has a new id");
            assert_eq!(
                f.1[1], b,
                "faulted: the item retained as {{id}} keeps its id"
            );
            assert_eq!(f.2, json!(3), "faulted: the update itself is applied");
        }
        _ => unreachable!("{fault} is not a fault of this topic"),
    }
}
