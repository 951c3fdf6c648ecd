//! Gr4vy: metadata: each fault's demonstration (see the parent module).

use super::*;

/// Demonstrates `fault` (one of this topic's) against the clean and the faulted mock.
pub(super) async fn demonstrate(fault: Gr4vyFault, clean: Mock, faulty: Mock) {
    match fault {
        Gr4vyFault::MetadataIgnored => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let g = Gr4vy::of(m);
                let id = g.new_session().await;
                let put = g
                    .put(&id, json!({"metadata": {"a": "1"}, "amount": 100}))
                    .await;
                (put, g.get(&id).await)
            });
            assert_eq!(c.0.session()["metadata"], json!({"a": "1"}));
            assert_eq!(c.1.session()["metadata"], json!({"a": "1"}));
            assert_eq!(f.0.session()["metadata"], Value::Null);
            assert_eq!(f.1.session()["metadata"], Value::Null);
            assert_eq!(f.0.body["amount"], 100, "the rest of the update is applied");
        }
        Gr4vyFault::MetadataMerged => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let g = Gr4vy::of(m);
                let id = g.new_session().await;
                g.put(&id, json!({"metadata": {"a": "1"}})).await.session();
                let second = g.put(&id, json!({"metadata": {"b": "2"}})).await;
                // Clearing still works.
                let cleared = g.put(&id, json!({"metadata": null})).await;
                (second, cleared)
            });
            assert_eq!(c.0.session()["metadata"], json!({"b": "2"}));
            assert_eq!(f.0.session()["metadata"], json!({"a": "1", "b": "2"}));
            assert_eq!(c.1.session()["metadata"], Value::Null);
            assert_eq!(f.1.session()["metadata"], Value::Null);
        }
        Gr4vyFault::MetadataValuesUnchecked => {
            let body = json!({"metadata": {"a": 1}});
            let control = g4_item(json!({"name": ""}));
            let f = gr4vy_rule(
                &clean,
                &faulty,
                body,
                "/metadata/a",
                (control, "/cart_items/0/name"),
            )
            .await;
            assert_eq!(f.body["metadata"], json!({"a": 1}));
        }
        _ => unreachable!("{fault} is not a fault of this topic"),
    }
}
