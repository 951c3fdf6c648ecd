//! Every fault of the catalogue, shown to change the one behaviour it names.
//!
//! For each [`Fault::ALL`] entry, [`demonstrate`] runs the same request sequence against a clean
//! mock and against a mock with only that fault, and asserts that the clean mock behaves as
//! documented while the faulted one deviates exactly as the fault's description says. Where a
//! neighbouring rule could be switched off by mistake along with the faulted one, the sequence
//! also shows that both mocks still agree on it (the fault breaks *exactly* one behaviour).
//!
//! The `match` in [`demonstrate`] has no `_` arm: adding a fault without a demonstration does not
//! compile.

mod common;

use checkout_conformance::mock::Fault;
use checkout_conformance::vendor::stripe::wire::{ErrorEnvelope, ErrorType};
use common::gr4vy::{self as g4, cart_item, doc_leg, doc_passenger, full_buyer, Gr4vy, Reply};
use common::{send, Answer, Mock, KEY};
use serde_json::{json, Map, Value};

/// Runs the same block against the clean and the faulted mock, concurrently; `$m` is the mock.
/// Evaluates to `(clean_result, faulted_result)`.
macro_rules! on_both {
    ($clean:ident, $faulty:ident, |$m:ident| $body:block) => {
        tokio::join!(
            async {
                let $m: &Mock = &$clean;
                $body
            },
            async {
                let $m: &Mock = &$faulty;
                $body
            },
        )
    };
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_fault_changes_exactly_the_behaviour_it_names() {
    // Every fault on its own pair of mocks, all at once.
    let tasks: Vec<_> = Fault::ALL
        .iter()
        .map(|&fault| (fault, tokio::spawn(demonstrate(fault))))
        .collect();
    let mut failures = Vec::new();
    for (fault, task) in tasks {
        if let Err(e) = task.await {
            let message = if e.is_panic() {
                panic_message(e.into_panic())
            } else {
                e.to_string()
            };
            let message: String = message.chars().take(600).collect();
            failures.push(format!("- {fault} ({}):\n  {message}", fault.description()));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} faults are not demonstrated:\n{}",
        failures.len(),
        Fault::ALL.len(),
        failures.join("\n")
    );
}

/// The table has teeth: with no fault injected on the "faulted" side, every arm fails.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_demonstration_fails_without_its_fault() {
    let tasks: Vec<_> = Fault::ALL
        .iter()
        .map(|&fault| (fault, tokio::spawn(demonstrate_against(fault, &[]))))
        .collect();
    let mut passed_anyway = Vec::new();
    for (fault, task) in tasks {
        if task.await.is_ok() {
            passed_anyway.push(fault.name());
        }
    }
    assert!(
        passed_anyway.is_empty(),
        "these demonstrations pass against a clean mock, so they prove nothing: {passed_anyway:?}"
    );
}

fn panic_message(payload: Box<dyn std::any::Any + Send>) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "(non-string panic)".to_owned())
}

// ---------------------------------------------------------------------------------------------
// Assertions and request helpers
// ---------------------------------------------------------------------------------------------

/// A 200 answer; returns its body.
#[track_caller]
fn ok(answer: &Answer) -> &Value {
    assert_eq!(answer.status, 200, "expected 200; body: {}", answer.body);
    &answer.body
}

/// A 400 in Stripe's envelope naming `param`.
#[track_caller]
fn rejected(answer: &Answer, param: &str) {
    assert_eq!(answer.status, 400, "expected 400; body: {}", answer.body);
    envelope(answer);
    assert_eq!(
        answer.param(),
        Some(param),
        "wrong error.param; body: {}",
        answer.body
    );
}

/// A 400 in Stripe's envelope naming `param`, with `code`.
#[track_caller]
fn rejected_with(answer: &Answer, param: &str, code: &str) {
    rejected(answer, param);
    assert_eq!(
        answer.code(),
        Some(code),
        "wrong error.code; body: {}",
        answer.body
    );
}

/// The body parses as Stripe's error envelope.
#[track_caller]
fn envelope(answer: &Answer) -> ErrorEnvelope {
    serde_json::from_value(answer.body.clone())
        .unwrap_or_else(|e| panic!("not Stripe's error envelope ({e}): {}", answer.body))
}

fn ids(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|li| li["id"].as_str().expect("line item id").to_owned())
        .collect()
}

/// A custom-UI session with one line item (2 x 1000 usd): (session id, line item id).
async fn custom_with_item(m: &Mock) -> (String, String) {
    let id = m.custom_session().await;
    let item = m.line_items(&id).await[0]["id"]
        .as_str()
        .expect("line item id")
        .to_owned();
    (id, item)
}

/// A custom-UI session with two line items (the second added by an update, 1 x 500 usd): its
/// id and the items' ids.
async fn custom_with_two_items(m: &Mock) -> (String, String, String) {
    let (id, a) = custom_with_item(m).await;
    let p = m.price(500).await;
    ok(&m
        .update(
            &id,
            json!({"line_items": [{"id": a}, {"price": p, "quantity": 1}]}),
        )
        .await);
    let b = ids(&m.line_items(&id).await)[1].clone();
    (id, a, b)
}

/// A hosted session with one line item: (session id, line item id).
async fn hosted_with_item(m: &Mock) -> (String, String) {
    let id = m.session("hosted_page").await["id"]
        .as_str()
        .expect("session id")
        .to_owned();
    let item = m.line_items(&id).await[0]["id"]
        .as_str()
        .expect("line item id")
        .to_owned();
    (id, item)
}

/// Posts one new line item (index 0) whose `price_data` is the default one merged with `extra`;
/// `item` is merged into the line item itself.
async fn new_item(m: &Mock, price_data_extra: Value, item_extra: Value) -> Answer {
    let id = m.custom_session().await;
    let mut price_data =
        json!({"currency": "usd", "unit_amount": 700, "product_data": {"name": "Mug"}});
    merge(&mut price_data, price_data_extra);
    let mut item = json!({"price_data": price_data, "quantity": 1});
    merge(&mut item, item_extra);
    m.update(&id, json!({ "line_items": [item] })).await
}

/// Posts one shipping option (index 0) whose `shipping_rate_data` is the default one (500 usd)
/// merged with `extra` (a `null` in `extra` removes the key).
async fn new_rate(m: &Mock, extra: Value) -> Answer {
    let id = m.custom_session().await;
    m.update(&id, json!({"shipping_options": [rate_data(500, extra)]}))
        .await
}

fn rate_data(amount: i64, extra: Value) -> Value {
    let mut data = json!({
        "display_name": "Ground",
        "type": "fixed_amount",
        "fixed_amount": {"amount": amount, "currency": "usd"},
    });
    merge(&mut data, extra);
    json!({ "shipping_rate_data": data })
}

/// Deep-merges `extra` into `target`; `null` removes a key.
fn merge(target: &mut Value, extra: Value) {
    match (target, extra) {
        (Value::Object(t), Value::Object(e)) => {
            for (k, v) in e {
                if v.is_null() {
                    t.remove(&k);
                } else {
                    merge(t.entry(k).or_insert(Value::Null), v);
                }
            }
        }
        (t, e) => *t = e,
    }
}

fn shipping_details(name: &str) -> Value {
    json!({"shipping_details": {
        "name": name,
        "address": {"country": "US", "line1": "1 Main St", "city": "Springfield"},
    }})
}

fn metadata_of(n: usize, prefix: &str) -> Value {
    Value::Object(
        (0..n)
            .map(|i| (format!("{prefix}{i}"), json!("v")))
            .collect::<Map<_, _>>(),
    )
}

/// POST with extra headers and no default auth (`auth: None` sends no Authorization).
async fn post_with(
    m: &Mock,
    path: &str,
    auth: Option<&str>,
    headers: &[(&str, &str)],
    params: Value,
) -> Answer {
    let mut request = m
        .http
        .post(m.url(path))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(checkout_conformance::vendor::stripe::form::encode_json(
            &params,
        ));
    if let Some(auth) = auth {
        request = request.header("authorization", auth);
    }
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    send(request).await
}

// ---------------------------------------------------------------------------------------------
// Gr4vy helpers
// ---------------------------------------------------------------------------------------------

/// A Gr4vy rule and its fault: a new session on each mock is sent `body`; the clean mock rejects
/// it (400 naming `pointer`), the faulted one accepts it (200). `control`, a body breaking a
/// neighbouring rule, is rejected by both (naming its pointer): the fault breaks only its rule.
/// Returns the faulted answer.
async fn gr4vy_rule(
    clean: &Mock,
    faulty: &Mock,
    body: Value,
    pointer: &str,
    control: (Value, &str),
) -> Reply {
    let (c, f) = on_both!(clean, faulty, |m| {
        let g = Gr4vy::of(m);
        let id = g.new_session().await;
        (
            g.put(&id, body.clone()).await,
            g.put(&id, control.0.clone()).await,
        )
    });
    c.0.rejects(pointer, None);
    f.0.session();
    c.1.rejects(control.1, None);
    f.1.rejects(control.1, None);
    f.0
}

/// `{"cart_items": [a valid item merged with extra]}`.
fn g4_item(extra: Value) -> Value {
    json!({ "cart_items": [cart_item(extra)] })
}

/// An airline addendum with one leg: the documentation's, merged with `extra`.
fn g4_leg(extra: Value) -> Value {
    let mut leg = doc_leg();
    g4::merge(&mut leg, extra);
    json!({ "airline": { "legs": [leg] } })
}

/// The full buyer merged with `extra`.
fn g4_buyer(extra: Value) -> Value {
    let mut buyer = full_buyer();
    g4::merge(&mut buyer, extra);
    json!({ "buyer": buyer })
}

/// The names of the cart items of a session body.
fn g4_names(body: &Value) -> Vec<String> {
    body["cart_items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|i| i["name"].as_str().unwrap_or_default().to_owned())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The table: one arm per fault
// ---------------------------------------------------------------------------------------------

/// Shows that `fault` changes the behaviour its description names, and that a clean mock follows
/// the documentation on the same requests.
async fn demonstrate(fault: Fault) {
    demonstrate_against(fault, &[fault]).await;
}

/// [`demonstrate`] with the "faulted" mock running `injected` (the table's self-test passes none).
async fn demonstrate_against(fault: Fault, injected: &[Fault]) {
    let (clean, faulty) = tokio::join!(Mock::start(), Mock::with_faults(injected));
    match fault {
        // ----------------------------------------------------------------- metadata
        Fault::MetadataUnsetIgnored => {
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
        Fault::MetadataClearIgnored => {
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
        Fault::MetadataReplacedNotMerged => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let id = m.custom_session().await;
                ok(&m.update(&id, json!({"metadata": {"a": "1"}})).await);
                m.update(&id, json!({"metadata": {"b": "2"}})).await
            });
            assert_eq!(ok(&c)["metadata"], json!({"a": "1", "b": "2"}));
            assert_eq!(ok(&f)["metadata"], json!({"b": "2"}));
        }
        Fault::MetadataLimitsUnchecked => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let id = m.custom_session().await;
                let fifty = m
                    .update(&id, json!({"metadata": metadata_of(50, "k")}))
                    .await;
                let fifty_first = m.update(&id, json!({"metadata": {"extra": "v"}})).await;
                let id = m.custom_session().await;
                let key_40 = m
                    .update(&id, json!({"metadata": {"k".repeat(40): "v"}}))
                    .await;
                let key_41 = m
                    .update(&id, json!({"metadata": {"k".repeat(41): "v"}}))
                    .await;
                let id = m.custom_session().await;
                let value_500 = m
                    .update(&id, json!({"metadata": {"v": "x".repeat(500)}}))
                    .await;
                let value_501 = m
                    .update(&id, json!({"metadata": {"w": "x".repeat(501)}}))
                    .await;
                [fifty, fifty_first, key_40, key_41, value_500, value_501]
            });
            for at_limit in [0, 2, 4] {
                ok(&c[at_limit]);
                ok(&f[at_limit]);
            }
            rejected(&c[1], "metadata");
            rejected(&c[3], &format!("metadata[{}]", "k".repeat(41)));
            rejected(&c[5], "metadata[w]");
            assert_eq!(ok(&f[1])["metadata"].as_object().unwrap().len(), 51);
            assert!(ok(&f[3])["metadata"].get("k".repeat(41)).is_some());
            assert_eq!(ok(&f[5])["metadata"]["w"], json!("x".repeat(501)));
        }
        Fault::LineItemMetadataIgnored => {
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
        // ----------------------------------------------------------------- line items
        Fault::LineItemsAppended => {
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
        Fault::LineItemsOrderIgnored => {
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
        Fault::LineItemUpdateIgnored => {
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
        Fault::UnknownLineItemAccepted => {
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
        Fault::NewLineItemQuantityOptional => {
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
        Fault::PriceExclusivityUnchecked => {
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
        Fault::UnitAmountExclusivityUnchecked => {
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
        Fault::TotalsNotRecomputed => {
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
        Fault::LineItemsOnHostedAccepted => {
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
        Fault::AdjustableEnabledOptional => {
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
        Fault::AdjustableMaximumUnchecked => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let mut answers = Vec::new();
                for maximum in [999_999, 1_000_000, 0] {
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
            assert_eq!(f[1].1[0]["adjustable_quantity"]["maximum"], 1_000_000);
            // Only the documented upper bound is lifted: a maximum of 0 stays invalid.
            rejected_with(&c[2].0, param, "parameter_invalid_integer");
            rejected_with(&f[2].0, param, "parameter_invalid_integer");
        }
        Fault::AdjustableMinimumUnchecked => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let mut answers = Vec::new();
                for minimum in [0, -1, 1_000_000] {
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
        Fault::UnitLabelLengthUnchecked => {
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
        Fault::ImagesLimitUnchecked => {
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
        Fault::RecurringIntervalUnchecked => {
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
        Fault::RecurringLengthUnchecked => {
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
        Fault::TaxBehaviorUnchecked => {
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
        // ----------------------------------------------------------------- shipping options
        Fault::SixthShippingOptionAccepted => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let id = m.custom_session().await;
                let options = |n: i64| {
                    (0..n)
                        .map(|i| rate_data(100 * i, json!({})))
                        .collect::<Vec<_>>()
                };
                let five = m.update(&id, json!({"shipping_options": options(5)})).await;
                let six = m.update(&id, json!({"shipping_options": options(6)})).await;
                (five, six)
            });
            assert_eq!(ok(&c.0)["shipping_options"].as_array().unwrap().len(), 5);
            assert_eq!(ok(&f.0)["shipping_options"].as_array().unwrap().len(), 5);
            rejected(&c.1, "shipping_options");
            assert_eq!(ok(&f.1)["shipping_options"].as_array().unwrap().len(), 6);
        }
        Fault::ShippingRateExclusivityUnchecked => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let id = m.custom_session().await;
                let rate = m.shipping_rate(300).await;
                let mut both = rate_data(500, json!({}));
                both["shipping_rate"] = json!(rate);
                let by_id = m
                    .update(&id, json!({"shipping_options": [{"shipping_rate": rate}]}))
                    .await;
                (
                    by_id,
                    m.update(&id, json!({"shipping_options": [both]})).await,
                )
            });
            ok(&c.0);
            ok(&f.0);
            rejected_with(
                &c.1,
                "shipping_options[0][shipping_rate]",
                "parameters_exclusive",
            );
            ok(&f.1);
        }
        Fault::DisplayNameLengthUnchecked => {
            let (c, f) = on_both!(clean, faulty, |m| {
                (
                    new_rate(m, json!({"display_name": "d".repeat(100)})).await,
                    new_rate(m, json!({"display_name": "d".repeat(101)})).await,
                )
            });
            ok(&c.0);
            ok(&f.0);
            rejected(
                &c.1,
                "shipping_options[0][shipping_rate_data][display_name]",
            );
            ok(&f.1);
        }
        Fault::FixedAmountOptional => {
            let (c, f) = on_both!(clean, faulty, |m| {
                new_rate(m, json!({"fixed_amount": null})).await
            });
            rejected_with(
                &c,
                "shipping_options[0][shipping_rate_data][fixed_amount]",
                "parameter_missing",
            );
            ok(&f);
        }
        Fault::NegativeShippingAmountAccepted => {
            let (c, f) = on_both!(clean, faulty, |m| {
                (
                    new_rate(m, json!({"fixed_amount": {"amount": -1}})).await,
                    new_rate(
                        m,
                        json!({"fixed_amount": {"currency_options": {"eur": {"amount": -1}}}}),
                    )
                    .await,
                    new_rate(m, json!({"fixed_amount": {"amount": 0}})).await,
                )
            });
            let base = "shipping_options[0][shipping_rate_data][fixed_amount]";
            rejected(&c.0, &format!("{base}[amount]"));
            rejected(&c.1, &format!("{base}[currency_options][eur][amount]"));
            ok(&c.2);
            assert_eq!(ok(&f.0)["shipping_options"][0]["shipping_amount"], -1);
            ok(&f.1);
            ok(&f.2);
        }
        Fault::DeliveryEstimateUnchecked => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let estimate = |e: Value| json!({ "delivery_estimate": e });
                [
                    new_rate(m, estimate(json!({"minimum": {"unit": "business_day", "value": 1}, "maximum": {"unit": "week", "value": 2}}))).await,
                    new_rate(m, estimate(json!({"minimum": {"unit": "day", "value": 0}}))).await,
                    new_rate(m, estimate(json!({"maximum": {"unit": "fortnight", "value": 2}}))).await,
                ]
            });
            let base = "shipping_options[0][shipping_rate_data][delivery_estimate]";
            ok(&c[0]);
            ok(&f[0]);
            rejected(&c[1], &format!("{base}[minimum][value]"));
            rejected(&c[2], &format!("{base}[maximum][unit]"));
            ok(&f[1]);
            ok(&f[2]);
        }
        Fault::ShippingOptionsClearIgnored => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let id = m.custom_session().await;
                ok(&m
                    .update(
                        &id,
                        json!({"shipping_options": [rate_data(500, json!({}))]}),
                    )
                    .await);
                m.update(&id, json!({"shipping_options": []})).await
            });
            assert_eq!(ok(&c)["shipping_options"], json!([]));
            assert_eq!(ok(&f)["shipping_options"].as_array().unwrap().len(), 1);
        }
        // ----------------------------------------------------------------- conditional
        Fault::LineItemsOrderIgnoredFromThree => {
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
        Fault::LineItemMetadataIgnoredAfterFirst => {
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
        Fault::ShippingOptionsDroppedWhenUnmentioned => {
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
        Fault::RateDataShippingNotTotalled => {
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
        // ----------------------------------------------------------------- collected information
        Fault::ShippingDetailsOnHostedAccepted => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let hosted = m.session("hosted_page").await["id"]
                    .as_str()
                    .unwrap()
                    .to_owned();
                let custom = m.custom_session().await;
                let info = json!({"collected_information": shipping_details("Jenny Rosen")});
                (
                    m.update(&hosted, info.clone()).await,
                    m.update(&custom, info).await,
                )
            });
            rejected(&c.0, "collected_information");
            let name = "/collected_information/shipping_details/name";
            assert_eq!(ok(&f.0).pointer(name), Some(&json!("Jenny Rosen")));
            assert_eq!(ok(&c.1).pointer(name), Some(&json!("Jenny Rosen")));
            ok(&f.1);
        }
        Fault::ShippingDetailsRequiredUnchecked => {
            let base = "collected_information[shipping_details]";
            let missing = [
                ("/shipping_details/name", format!("{base}[name]")),
                ("/shipping_details/address", format!("{base}[address]")),
                (
                    "/shipping_details/address/country",
                    format!("{base}[address][country]"),
                ),
                (
                    "/shipping_details/address/line1",
                    format!("{base}[address][line1]"),
                ),
            ];
            let (c, f) = on_both!(clean, faulty, |m| {
                let mut answers = Vec::new();
                for (pointer, _) in &missing {
                    let mut info = shipping_details("Jenny Rosen");
                    let (parent, key) = pointer.rsplit_once('/').unwrap();
                    info.pointer_mut(parent)
                        .unwrap()
                        .as_object_mut()
                        .unwrap()
                        .remove(key);
                    let id = m.custom_session().await;
                    answers.push(
                        m.update(&id, json!({ "collected_information": info }))
                            .await,
                    );
                }
                answers
            });
            for ((_, param), (c, f)) in missing.iter().zip(c.iter().zip(&f)) {
                rejected_with(c, param, "parameter_missing");
                ok(f);
            }
        }
        Fault::ShippingNameLengthUnchecked => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let id = m.custom_session().await;
                let name =
                    |n: usize| json!({"collected_information": shipping_details(&"n".repeat(n))});
                (
                    m.update(&id, name(255)).await,
                    m.update(&id, name(256)).await,
                )
            });
            ok(&c.0);
            ok(&f.0);
            rejected(&c.1, "collected_information[shipping_details][name]");
            ok(&f.1);
        }
        // ----------------------------------------------------------------- expand, state
        Fault::ExpandIgnored => {
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
        Fault::ClosedSessionUpdatable => {
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
        // ----------------------------------------------------------------- cross-cutting
        Fault::UnknownParameterAccepted => {
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
        Fault::NestedUnknownParameterAccepted => {
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
        Fault::WrongTypeAccepted => {
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
        Fault::AuthUnchecked => {
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
        Fault::NotFoundAnswered500 => {
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
        Fault::ErrorWithoutType => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let id = m.custom_session().await;
                m.update(&id, json!({"foo": "bar"})).await
            });
            assert_eq!(envelope(&c).error.kind, ErrorType::InvalidRequestError);
            assert_eq!(f.status, 400);
            assert!(f.body["error"].get("type").is_none(), "{}", f.body);
            assert_eq!(f.param(), Some("foo"), "only the type is missing");
        }
        Fault::ErrorWithoutParam => {
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
        Fault::MissingObjectField => {
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
        Fault::RequestIdMissing => {
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
        Fault::IdempotencyIgnored => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let (id, a) = custom_with_item(m).await;
                let p = m.price(500).await;
                let path = format!("/v1/checkout/sessions/{id}");
                let auth = format!("Bearer {KEY}");
                let key = [("idempotency-key", "retry-1")];
                let params = json!({
                    "line_items": [{"id": a}, {"price": p, "quantity": 1}],
                    "expand": ["line_items"],
                });
                let first = post_with(m, &path, Some(&auth), &key, params.clone()).await;
                let again = post_with(m, &path, Some(&auth), &key, params).await;
                let other =
                    post_with(m, &path, Some(&auth), &key, json!({"metadata": {"x": "1"}})).await;
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
        // ----------------------------------------------------------------- gr4vy: cart items
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
            let body = g4_item(json!({"unit_amount": 100_000_000}));
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
        // ----------------------------------------------------------------- gr4vy: metadata
        Fault::Gr4vyMetadataIgnored => {
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
        Fault::Gr4vyMetadataMerged => {
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
        Fault::Gr4vyMetadataValuesUnchecked => {
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
        // ----------------------------------------------------------------- gr4vy: airline
        Fault::Gr4vyAirlineLegsLimitUnchecked => {
            let body = json!({"airline": {"legs": vec![doc_leg(); 21]}});
            let control = json!({"airline": {"passengers": vec![doc_passenger(); 21]}});
            let f = gr4vy_rule(
                &clean,
                &faulty,
                body,
                "/airline/legs",
                (control, "/airline/passengers"),
            )
            .await;
            assert_eq!(f.body["airline"]["legs"].as_array().map(Vec::len), Some(21));
        }
        Fault::Gr4vyAirlinePassengersLimitUnchecked => {
            let body = json!({"airline": {"passengers": vec![doc_passenger(); 21]}});
            let control = json!({"airline": {"legs": vec![doc_leg(); 21]}});
            let f = gr4vy_rule(
                &clean,
                &faulty,
                body,
                "/airline/passengers",
                (control, "/airline/legs"),
            )
            .await;
            assert_eq!(
                f.body["airline"]["passengers"].as_array().map(Vec::len),
                Some(21)
            );
        }
        Fault::Gr4vyAirlineLengthsUnchecked => {
            let body = json!({"airline": {"booking_code": "x".repeat(51), "legs": [{"flight_number": "BA"}]}});
            let control = g4_leg(json!({"route_type": "return"}));
            gr4vy_rule(
                &clean,
                &faulty,
                body,
                "/airline/booking_code",
                (control, "/airline/legs/0/route_type"),
            )
            .await;
        }
        Fault::Gr4vyAirlineTypesUnchecked => {
            let body =
                json!({"airline": {"restricted_ticket": "no", "legs": [{"fare_amount": "100"}]}});
            let control = g4_item(json!({"tax_exempt": "no"}));
            let f = gr4vy_rule(
                &clean,
                &faulty,
                body,
                "/airline/restricted_ticket",
                (control, "/cart_items/0/tax_exempt"),
            )
            .await;
            assert_eq!(f.body["airline"]["restricted_ticket"], "no", "kept as sent");
            assert_eq!(f.body["airline"]["legs"][0]["fare_amount"], "100");
        }
        Fault::Gr4vyAirlineEnumsUnchecked => {
            let body = json!({"airline": {"ticket_delivery_method": "paper"}});
            let control = g4_item(json!({"product_type": "service"}));
            gr4vy_rule(
                &clean,
                &faulty,
                body,
                "/airline/ticket_delivery_method",
                (control, "/cart_items/0/product_type"),
            )
            .await;
        }
        Fault::Gr4vyAirlineDatesUnchecked => {
            let body = json!({"airline": {"issued_at": "2013-07-16", "passengers": [{"date_of_birth": "16/07/2013"}]}});
            let control = json!({"airline": {"booking_code": ""}});
            gr4vy_rule(
                &clean,
                &faulty,
                body,
                "/airline/issued_at",
                (control, "/airline/booking_code"),
            )
            .await;
        }
        Fault::Gr4vyAirlineAmountsUnchecked => {
            let body = g4_leg(json!({"fare_amount": -1}));
            let control = g4_item(json!({"unit_amount": -1}));
            gr4vy_rule(
                &clean,
                &faulty,
                body,
                "/airline/legs/0/fare_amount",
                (control, "/cart_items/0/unit_amount"),
            )
            .await;
        }
        Fault::Gr4vyAirlinePatternsUnchecked => {
            let body = g4_leg(json!({"departure_country": "uk"}));
            let control = g4_item(json!({"seller_country": "us"}));
            gr4vy_rule(
                &clean,
                &faulty,
                body,
                "/airline/legs/0/departure_country",
                (control, "/cart_items/0/seller_country"),
            )
            .await;
        }
        // ----------------------------------------------------------------- gr4vy: buyer
        Fault::Gr4vyBuyerLengthsUnchecked => {
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
        Fault::Gr4vyBuyerFormatsUnchecked => {
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
        // ----------------------------------------------------------------- gr4vy: cross-cutting
        Fault::Gr4vyUnknownFieldAccepted => {
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
        Fault::Gr4vyNestedUnknownFieldAccepted => {
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
        Fault::Gr4vyWrongTypeAccepted => {
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
        Fault::Gr4vyPartialUpdate => {
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
        Fault::Gr4vyNonUuidAccepted => {
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
        Fault::Gr4vyAuthUnchecked => {
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
        Fault::Gr4vyExpiredTokenAccepted => {
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
        Fault::Gr4vyScopeUnchecked => {
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
        Fault::Gr4vyNotFoundAnswered500 => {
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
        Fault::Gr4vyDeletedSessionServed => {
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
        Fault::Gr4vyErrorWithoutType => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let g = Gr4vy::of(m);
                let id = g.new_session().await;
                g.put(&id, json!({"foo": 1})).await
            });
            assert_eq!(c.body["type"], "error");
            c.rejects("/foo", Some("extra_forbidden"));
            assert_eq!(f.status, 400);
            assert!(f.body.get("type").is_none(), "{}", f.body);
            assert_eq!(f.code(), Some("bad_request"), "only the type is missing");
            assert_eq!(f.pointers(), ["/foo"]);
        }
        Fault::Gr4vyErrorWithoutCode => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let g = Gr4vy::of(m);
                let id = g.new_session().await;
                g.put(&id, json!({"foo": 1})).await
            });
            c.rejects("/foo", Some("extra_forbidden"));
            assert_eq!(f.status, 400);
            assert!(f.body.get("code").is_none(), "{}", f.body);
            assert_eq!(f.body["type"], "error", "only the code is missing");
            assert_eq!(f.pointers(), ["/foo"]);
        }
        Fault::Gr4vyErrorDetailsEmpty => {
            let (c, f) = on_both!(clean, faulty, |m| {
                let g = Gr4vy::of(m);
                let id = g.new_session().await;
                g.put(&id, json!({"foo": 1})).await
            });
            c.rejects("/foo", Some("extra_forbidden"));
            assert_eq!(f.status, 400);
            let envelope = f.envelope();
            assert_eq!(envelope.code, "bad_request");
            assert!(envelope.details.is_empty(), "{}", f.body);
        }
        Fault::Gr4vySessionTypeMissing => {
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
        Fault::Gr4vyExpiryNotOneHour => {
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
    }
}
