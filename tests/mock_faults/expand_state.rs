//! Stripe: expand and session state: each fault's demonstration (see the parent module).

use super::*;

/// Demonstrates `fault` (one of this topic's) against the clean and the faulted mock.
pub(super) async fn demonstrate(fault: StripeFault, clean: Mock, faulty: Mock) {
    match fault {
        StripeFault::ExpandIgnored => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let id = m.custom_session().await;
                let updated = m
                    .update(
                        &id,
                        json!({"metadata": {"a": "1"}, "expand": ["line_items"]}),
                    )
                    .await;
                let fetched = m
                    .get(&format!("/v1/checkout/sessions/{id}?expand[]=line_items"))
                    .await;
                (updated, fetched)
            });
            for clean in [&c.0, &c.1] {
                let list = &ok(clean)["line_items"];
                assert_eq!(list["object"], "list");
                assert_eq!(list["data"].as_array().unwrap().len(), 1);
            }
            for faulted in [&f.0, &f.1] {
                assert!(ok(faulted).get("line_items").is_none(), "{}", faulted.body);
            }
            assert_eq!(
                f.0.body["metadata"],
                json!({"a": "1"}),
                "the update itself applies"
            );
        }
        StripeFault::ClosedSessionUpdatable => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let id = m.custom_session().await;
                let expired = m
                    .post(&format!("/v1/checkout/sessions/{id}/expire"), json!({}))
                    .await;
                let update = m.update(&id, json!({"metadata": {"a": "1"}})).await;
                (expired, update)
            });
            assert_eq!(ok(&c.0)["status"], "expired");
            assert_eq!(ok(&f.0)["status"], "expired");
            assert_eq!(c.1.status, 400, "{}", c.1.body);
            assert_eq!(envelope(&c.1).error.kind, ErrorType::InvalidRequestError);
            let updated = ok(&f.1);
            assert_eq!(updated["metadata"], json!({"a": "1"}));
            assert_eq!(updated["status"], "expired");
        }
        _ => unreachable!("{fault} is not a fault of this topic"),
    }
}
