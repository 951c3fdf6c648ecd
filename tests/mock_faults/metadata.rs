//! Stripe: metadata: each fault's demonstration (see the parent module).

use super::*;
use checkout_conformance::vendor::stripe::mock::{METADATA_KEY_MAX, METADATA_VALUE_MAX};

/// Demonstrates `fault` (one of this topic's) against the clean and the faulted mock.
pub(super) async fn demonstrate(fault: StripeFault, clean: Mock, faulty: Mock) {
    match fault {
        StripeFault::MetadataUnsetIgnored => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let id = m.custom_session().await;
                ok(&m
                    .update(&id, json!({"metadata": {"a": "1", "b": "2"}}))
                    .await);
                m.update(&id, json!({"metadata": {"a": ""}})).await
            });
            assert_eq!(ok(&c)["metadata"], json!({"b": "2"}));
            assert_eq!(ok(&f)["metadata"], json!({"a": "1", "b": "2"}));
        }
        StripeFault::MetadataClearIgnored => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let id = m.custom_session().await;
                ok(&m
                    .update(&id, json!({"metadata": {"a": "1", "b": "2"}}))
                    .await);
                let cleared = m.update(&id, json!({"metadata": ""})).await;
                // Unsetting one key still works: only the clear-all is broken.
                let one = m.update(&id, json!({"metadata": {"a": ""}})).await;
                (cleared, one)
            });
            assert_eq!(ok(&c.0)["metadata"], json!({}));
            assert_eq!(ok(&c.1)["metadata"], json!({}));
            assert_eq!(ok(&f.0)["metadata"], json!({"a": "1", "b": "2"}));
            assert_eq!(ok(&f.1)["metadata"], json!({"b": "2"}));
        }
        StripeFault::MetadataReplacedNotMerged => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let id = m.custom_session().await;
                ok(&m.update(&id, json!({"metadata": {"a": "1"}})).await);
                m.update(&id, json!({"metadata": {"b": "2"}})).await
            });
            assert_eq!(ok(&c)["metadata"], json!({"a": "1", "b": "2"}));
            assert_eq!(ok(&f)["metadata"], json!({"b": "2"}));
        }
        StripeFault::MetadataLimitsUnchecked => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let id = m.custom_session().await;
                let fifty = m
                    .update(&id, json!({"metadata": metadata_of(50, "k")}))
                    .await;
                let fifty_first = m.update(&id, json!({"metadata": {"extra": "v"}})).await;
                let id = m.custom_session().await;
                let key_40 = m
                    .update(
                        &id,
                        json!({"metadata": {"k".repeat(METADATA_KEY_MAX): "v"}}),
                    )
                    .await;
                let key_41 = m
                    .update(
                        &id,
                        json!({"metadata": {"k".repeat(METADATA_KEY_MAX + 1): "v"}}),
                    )
                    .await;
                let id = m.custom_session().await;
                let value_500 = m
                    .update(
                        &id,
                        json!({"metadata": {"v": "x".repeat(METADATA_VALUE_MAX)}}),
                    )
                    .await;
                let value_501 = m
                    .update(
                        &id,
                        json!({"metadata": {"w": "x".repeat(METADATA_VALUE_MAX + 1)}}),
                    )
                    .await;
                [fifty, fifty_first, key_40, key_41, value_500, value_501]
            });
            for at_limit in [0, 2, 4] {
                ok(&c[at_limit]);
                ok(&f[at_limit]);
            }
            rejected(&c[1], "metadata");
            rejected(
                &c[3],
                &format!("metadata[{}]", "k".repeat(METADATA_KEY_MAX + 1)),
            );
            rejected(&c[5], "metadata[w]");
            assert_eq!(ok(&f[1])["metadata"].as_object().unwrap().len(), 51);
            assert!(ok(&f[3])["metadata"]
                .get("k".repeat(METADATA_KEY_MAX + 1))
                .is_some());
            assert_eq!(
                ok(&f[5])["metadata"]["w"],
                json!("x".repeat(METADATA_VALUE_MAX + 1))
            );
        }
        StripeFault::LineItemMetadataIgnored => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let (id, a) = custom_with_item(m).await;
                let p = m.price(500).await;
                let answer = m
                    .update(
                        &id,
                        json!({"line_items": [
                            {"id": a, "metadata": {"retained": "yes"}},
                            {"price": p, "quantity": 1, "metadata": {"new": "yes"}},
                        ]}),
                    )
                    .await;
                (answer, m.line_items(&id).await)
            });
            ok(&c.0);
            ok(&f.0);
            assert_eq!(c.1[0]["metadata"], json!({"retained": "yes"}));
            assert_eq!(c.1[1]["metadata"], json!({"new": "yes"}));
            assert_eq!(f.1[0]["metadata"], json!({}));
            assert_eq!(f.1[1]["metadata"], json!({}));
            // The session's own metadata is not line-item metadata: still stored.
            let (c, f) = on_both!(clean, faulty, |m| {
                let id = m.custom_session().await;
                m.update(&id, json!({"metadata": {"a": "1"}})).await
            });
            assert_eq!(ok(&c)["metadata"], json!({"a": "1"}));
            assert_eq!(ok(&f)["metadata"], json!({"a": "1"}));
        }
        _ => unreachable!("{fault} is not a fault of this topic"),
    }
}
