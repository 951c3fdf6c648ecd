//! Stripe: cross-cutting API rules: each fault's demonstration (see the parent module).

use super::*;

/// Demonstrates `fault` (one of this topic's) against the clean and the faulted mock.
pub(super) async fn demonstrate(fault: StripeFault, clean: Mock, faulty: Mock) {
    match fault {
        StripeFault::UnknownParameterAccepted => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let (id, a) = custom_with_item(m).await;
                (
                    m.update(&id, json!({"foo": "bar", "metadata": {"a": "1"}}))
                        .await,
                    m.update(&id, json!({"line_items": [{"id": a, "foo": "bar"}]}))
                        .await,
                )
            });
            rejected_with(&c.0, "foo", "parameter_unknown");
            assert_eq!(ok(&f.0)["metadata"], json!({"a": "1"}));
            // Nested unknown parameters are another fault's business: still rejected.
            rejected_with(&c.1, "line_items[0][foo]", "parameter_unknown");
            rejected_with(&f.1, "line_items[0][foo]", "parameter_unknown");
        }
        StripeFault::NestedUnknownParameterAccepted => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let (id, a) = custom_with_item(m).await;
                [
                    m.update(&id, json!({"line_items": [{"id": a, "foo": "bar"}]})).await,
                    new_rate(m, json!({"foo": "bar"})).await,
                    m.update(&id, json!({"collected_information": {"shipping_details": {"name": "J", "address": {"country": "US", "line1": "x", "foo": "bar"}}}})).await,
                    m.update(&id, json!({"foo": "bar"})).await,
                ]
            });
            rejected_with(&c[0], "line_items[0][foo]", "parameter_unknown");
            rejected_with(
                &c[1],
                "shipping_options[0][shipping_rate_data][foo]",
                "parameter_unknown",
            );
            rejected_with(
                &c[2],
                "collected_information[shipping_details][address][foo]",
                "parameter_unknown",
            );
            ok(&f[0]);
            ok(&f[1]);
            ok(&f[2]);
            // Top-level unknown parameters are another fault's business: still rejected.
            rejected_with(&c[3], "foo", "parameter_unknown");
            rejected_with(&f[3], "foo", "parameter_unknown");
        }
        StripeFault::WrongTypeAccepted => {
            let (c, f) = on_both!(clean, faulty, |m| {
                new_rate(m, json!({"fixed_amount": {"amount": "free"}})).await
            });
            rejected_with(
                &c,
                "shipping_options[0][shipping_rate_data][fixed_amount][amount]",
                "parameter_invalid_integer",
            );
            assert_eq!(ok(&f)["shipping_options"][0]["shipping_amount"], 0);
        }
        StripeFault::AuthUnchecked => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let id = m.custom_session().await;
                let path = format!("/v1/checkout/sessions/{id}");
                let params = json!({"metadata": {"a": "1"}});
                [
                    post_with(m, &path, None, &[], params.clone()).await,
                    post_with(m, &path, Some("Bearer sk_live_123"), &[], params.clone()).await,
                    post_with(m, &path, Some(&format!("Bearer {KEY}")), &[], params).await,
                ]
            });
            for unauthenticated in [&c[0], &c[1]] {
                assert_eq!(unauthenticated.status, 401, "{}", unauthenticated.body);
                envelope(unauthenticated);
            }
            ok(&f[0]);
            ok(&f[1]);
            ok(&c[2]);
            ok(&f[2]);
        }
        StripeFault::NotFoundAnswered500 => {
            let (c, f) = on_both!(clean, faulty, |m| {
                (
                    m.update("cs_test_doesnotexist", json!({"metadata": {"a": "1"}}))
                        .await,
                    m.post("/v1/no/such/path", json!({})).await,
                )
            });
            assert_eq!(c.0.status, 404, "{}", c.0.body);
            assert_eq!(c.0.code(), Some("resource_missing"));
            assert_eq!(f.0.status, 500, "{}", f.0.body);
            // An unknown URL is not an unknown session: still 404.
            assert_eq!(c.1.status, 404);
            assert_eq!(f.1.status, 404);
        }
        StripeFault::ErrorWithoutType => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let id = m.custom_session().await;
                m.update(&id, json!({"foo": "bar"})).await
            });
            assert_eq!(envelope(&c).error.kind, ErrorType::InvalidRequestError);
            assert_eq!(f.status, 400);
            assert!(f.body["error"].get("type").is_none(), "{}", f.body);
            assert_eq!(f.param(), Some("foo"), "only the type is missing");
        }
        StripeFault::ErrorWithoutParam => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let id = m.custom_session().await;
                m.update(&id, json!({"foo": "bar"})).await
            });
            rejected_with(&c, "foo", "parameter_unknown");
            assert_eq!(f.status, 400);
            assert!(f.body["error"].get("param").is_none(), "{}", f.body);
            assert_eq!(envelope(&f).error.kind, ErrorType::InvalidRequestError);
            assert_eq!(
                f.code(),
                Some("parameter_unknown"),
                "only the param is missing"
            );
        }
        StripeFault::MissingObjectField => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let id = m.custom_session().await;
                m.update(
                    &id,
                    json!({"metadata": {"a": "1"}, "expand": ["line_items"]}),
                )
                .await
            });
            assert_eq!(ok(&c)["object"], "checkout.session");
            assert!(ok(&f).get("object").is_none(), "{}", f.body);
            assert!(f.body["id"].as_str().unwrap().starts_with("cs_test_"));
            assert_eq!(f.body["metadata"], json!({"a": "1"}));
        }
        StripeFault::RequestIdMissing => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let id = m.custom_session().await;
                (
                    m.update(&id, json!({"metadata": {"a": "1"}})).await,
                    m.update(&id, json!({"foo": "bar"})).await,
                )
            });
            for clean in [&c.0, &c.1] {
                let id = clean.request_id.as_deref().unwrap_or_default();
                assert!(id.starts_with("req_"), "Request-Id: {:?}", clean.request_id);
            }
            assert_eq!(f.0.request_id, None);
            assert_eq!(f.1.request_id, None);
            ok(&f.0);
            rejected(&f.1, "foo");
        }
        StripeFault::IdempotencyIgnored => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let (id, sent) = sent_with_one_key(m, "retry-1", 2).await;
                let path = format!("/v1/checkout/sessions/{id}");
                let auth = format!("Bearer {KEY}");
                let key = [("idempotency-key", "retry-1")];
                let other =
                    post_with(m, &path, Some(&auth), &key, json!({"metadata": {"x": "1"}})).await;
                let [first, again] = <[Answer; 2]>::try_from(sent).expect("two answers");
                (first, again, other, ids(&m.line_items(&id).await))
            });
            let new_item = |a: &Answer| ok(a)["line_items"]["data"][1]["id"].clone();
            // Clean: the retry is a replay of the first answer and executes nothing.
            assert!(!c.0.replayed);
            assert!(c.1.replayed, "Idempotent-Replayed: true expected");
            assert_eq!(c.0.body, c.1.body);
            assert_eq!(json!(c.3[1]), new_item(&c.0));
            assert_eq!(c.2.status, 400, "{}", c.2.body);
            assert_eq!(envelope(&c.2).error.kind, ErrorType::IdempotencyError);
            // Faulted: the retry runs again: its new item replaces the first one.
            assert!(!f.1.replayed);
            assert_ne!(new_item(&f.0), new_item(&f.1));
            assert_eq!(json!(f.3[1]), new_item(&f.1));
            ok(&f.2);
        }
        _ => unreachable!("{fault} is not a fault of this topic"),
    }
}
