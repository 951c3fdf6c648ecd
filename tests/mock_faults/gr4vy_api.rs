//! Gr4vy: cross-cutting API rules: each fault's demonstration (see the parent module).

use super::*;

/// The same PUT with an unknown top-level field (`foo`) on a new session of each mock: the
/// request every envelope fault is shown on.
async fn unknown_field_on_both(clean: &Mock, faulty: &Mock) -> (Reply, Reply) {
    on_both!(clean, faulty, |m| {
        let g = Gr4vy::of(m);
        let id = g.new_session().await;
        g.put(&id, json!({"foo": 1})).await
    })
}

/// Demonstrates `fault` (one of this topic's) against the clean and the faulted mock.
pub(super) async fn demonstrate(fault: Gr4vyFault, clean: Mock, faulty: Mock) {
    match fault {
        Gr4vyFault::UnknownFieldAccepted => {
            let body = json!({"foo": 1, "metadata": {"a": "1"}});
            let control = g4_item(json!({"foo": 1}));
            let f = gr4vy_rule(
                &clean,
                &faulty,
                body,
                "/foo",
                (control, "/cart_items/0/foo"),
            )
            .await;
            assert!(
                f.body.get("foo").is_none(),
                "ignored, not stored: {}",
                f.body
            );
            assert_eq!(f.body["metadata"], json!({"a": "1"}));
        }
        Gr4vyFault::NestedUnknownFieldAccepted => {
            let body = g4_item(json!({"foo": 1}));
            let control = json!({"foo": 1});
            let f = gr4vy_rule(
                &clean,
                &faulty,
                body,
                "/cart_items/0/foo",
                (control, "/foo"),
            )
            .await;
            assert!(f.body["cart_items"][0].get("foo").is_none(), "{}", f.body);
        }
        Gr4vyFault::WrongTypeAccepted => {
            let body = g4_item(json!({"quantity": "2"}));
            let control = json!({"airline": {"restricted_ticket": "no"}});
            let f = gr4vy_rule(
                &clean,
                &faulty,
                body,
                "/cart_items/0/quantity",
                (control, "/airline/restricted_ticket"),
            )
            .await;
            assert_eq!(f.body["cart_items"][0]["quantity"], "2", "kept as sent");
        }
        Gr4vyFault::PartialUpdate => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let g = Gr4vy::of(m);
                let id = g.new_session().await;
                let put = g
                    .put(&id, json!({"metadata": {"a": "1"}, "cart_items": [cart_item(json!({"name": ""}))]}))
                    .await;
                (put, g.get(&id).await)
            });
            c.0.rejects("/cart_items/0/name", Some("string_too_short"));
            f.0.rejects("/cart_items/0/name", Some("string_too_short"));
            assert_eq!(c.1.session()["metadata"], Value::Null);
            assert_eq!(f.1.session()["metadata"], json!({"a": "1"}));
            assert_eq!(
                f.1.body["cart_items"],
                Value::Null,
                "the invalid part is not applied"
            );
        }
        Gr4vyFault::NonUuidAccepted => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let g = Gr4vy::of(m);
                (
                    g.get("not-a-uuid").await,
                    g.put("not-a-uuid", json!({})).await,
                )
            });
            for clean in [&c.0, &c.1] {
                assert_eq!(clean.status, 400, "{}", clean.body);
                let detail = &clean.envelope().details[0];
                assert_eq!(
                    (detail.pointer.as_str(), detail.kind.as_str()),
                    ("checkout_session_id", "uuid_parsing")
                );
            }
            assert_eq!(f.0.status, 404, "{}", f.0.body);
            assert_eq!(f.1.status, 404, "{}", f.1.body);
            assert_eq!(f.0.envelope().code, "not_found");
        }
        Gr4vyFault::AuthUnchecked => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let g = Gr4vy::of(m);
                let id = g.new_session().await;
                let body = json!({"metadata": {"a": "1"}});
                let expired = g4::jwt(
                    &json!({"alg": "ES512"}),
                    &g4::claims(&[g4::WRITE], -60),
                    132,
                );
                (
                    g.put_as(&id, None, body.clone()).await,
                    g.put_as(&id, Some("Bearer not.a.jwt"), body.clone()).await,
                    // A well-formed token is still checked for expiry and scope.
                    g.put_as(&id, Some(&format!("Bearer {expired}")), body.clone())
                        .await,
                    g.put_as(
                        &id,
                        Some(&format!("Bearer {}", g4::token(&[g4::READ]))),
                        body,
                    )
                    .await,
                )
            });
            assert_eq!(c.0.envelope().code, "unauthorized");
            assert_eq!(c.1.status, 401);
            assert_eq!(f.0.session()["metadata"], json!({"a": "1"}));
            f.1.session();
            assert_eq!((c.2.status, f.2.status), (401, 401));
            assert_eq!((c.3.status, f.3.status), (403, 403));
        }
        Gr4vyFault::ExpiredTokenAccepted => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let g = Gr4vy::of(m);
                let id = g.new_session().await;
                let expired = g4::jwt(
                    &json!({"alg": "ES512"}),
                    &g4::claims(&[g4::READ, g4::WRITE], -60),
                    132,
                );
                (
                    g.put_as(&id, Some(&format!("Bearer {expired}")), json!({}))
                        .await,
                    g.put_as(&id, None, json!({})).await,
                )
            });
            assert_eq!(c.0.status, 401, "{}", c.0.body);
            assert_eq!(c.0.envelope().code, "unauthorized");
            f.0.session();
            assert_eq!((c.1.status, f.1.status), (401, 401));
        }
        Gr4vyFault::ScopeUnchecked => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let mut g = Gr4vy::of(m);
                let id = g.new_session().await;
                g.token = g4::token(&[g4::READ]);
                let put = g.put(&id, json!({})).await;
                let delete = g.delete(&id).await;
                g.token = g4::token(&[g4::WRITE]);
                let get = g.get(&id).await;
                (put, delete, get, g.put_as(&id, None, json!({})).await)
            });
            for clean in [&c.0, &c.1, &c.2] {
                assert_eq!(clean.status, 403, "{}", clean.body);
                assert_eq!(clean.envelope().code, "forbidden");
            }
            f.0.session();
            assert_eq!(f.1.status, 204);
            assert_eq!(
                f.2.status, 404,
                "deleted by the read-only token: {}",
                f.2.body
            );
            assert_eq!((c.3.status, f.3.status), (401, 401));
        }
        Gr4vyFault::NotFoundAnswered500 => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let g = Gr4vy::of(m);
                (
                    g.get("8724fd24-5489-4a5d-90fd-0604df7d3b83").await,
                    g.send(reqwest::Method::GET, "/checkout/nothing", None)
                        .await,
                )
            });
            assert_eq!(c.0.status, 404);
            assert_eq!(c.0.envelope().code, "not_found");
            assert_eq!(f.0.status, 500, "{}", f.0.body);
            assert_eq!(f.0.envelope().code, "server_error");
            // An unknown route is not an unknown session: still 404.
            assert_eq!((c.1.status, f.1.status), (404, 404));
        }
        Gr4vyFault::DeletedSessionServed => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let g = Gr4vy::of(m);
                let id = g.new_session().await;
                let deleted = g.delete(&id).await;
                (
                    deleted,
                    g.get(&id).await,
                    g.put(&id, json!({"metadata": {"a": "1"}})).await,
                )
            });
            assert_eq!((c.0.status, f.0.status), (204, 204));
            assert_eq!(c.1.status, 404);
            assert_eq!(c.2.status, 404);
            f.1.session();
            f.2.session();
        }
        Gr4vyFault::ErrorWithoutType => {
            let (c, f) = unknown_field_on_both(&clean, &faulty).await;
            assert_eq!(c.body["type"], "error");
            c.rejects("/foo", Some("extra_forbidden"));
            assert_eq!(f.status, 400);
            assert!(f.body.get("type").is_none(), "{}", f.body);
            assert_eq!(f.code(), Some("bad_request"), "only the type is missing");
            assert_eq!(f.pointers(), ["/foo"]);
        }
        Gr4vyFault::ErrorWithoutCode => {
            let (c, f) = unknown_field_on_both(&clean, &faulty).await;
            c.rejects("/foo", Some("extra_forbidden"));
            assert_eq!(f.status, 400);
            assert!(f.body.get("code").is_none(), "{}", f.body);
            assert_eq!(f.body["type"], "error", "only the code is missing");
            assert_eq!(f.pointers(), ["/foo"]);
        }
        Gr4vyFault::ErrorDetailsEmpty => {
            let (c, f) = unknown_field_on_both(&clean, &faulty).await;
            c.rejects("/foo", Some("extra_forbidden"));
            assert_eq!(f.status, 400);
            let envelope = f.envelope();
            assert_eq!(envelope.code, "bad_request");
            assert!(envelope.details.is_empty(), "{}", f.body);
        }
        Gr4vyFault::SessionTypeMissing => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let g = Gr4vy::of(m);
                let id = g.new_session().await;
                g.put(&id, json!({"metadata": {"a": "1"}})).await
            });
            assert_eq!(c.session()["metadata"], json!({"a": "1"}));
            assert_eq!(f.status, 200);
            assert!(f.body.get("type").is_none(), "{}", f.body);
            assert_eq!(f.body["metadata"], json!({"a": "1"}));
        }
        Gr4vyFault::ExpiryNotOneHour => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let g = Gr4vy::of(m);
                let before = g4::now();
                (before, g.create(json!({})).await)
            });
            let rfc3339 = checkout_conformance::vendor::gr4vy::mock::formats::rfc3339;
            let within = |(before, session): &(i64, Value), lifetime: i64| {
                let at = session["expires_at"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned();
                (0..3).any(|d| rfc3339(before + lifetime + d) == at)
            };
            assert!(within(&c, 3600), "{}", c.1);
            assert!(within(&f, 24 * 3600), "{}", f.1);
        }
        _ => unreachable!("{fault} is not a fault of this topic"),
    }
}
