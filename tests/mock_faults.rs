//! Every fault of the catalogue, shown to change the one behaviour it names.
//!
//! For each [`Fault::all()`] entry, [`demonstrate`] runs the same request sequence against a clean
//! mock and against a mock with only that fault, and asserts that the clean mock behaves as
//! documented while the faulted one deviates exactly as the fault's description says. Where a
//! neighbouring rule could be switched off by mistake along with the faulted one, the sequence
//! also shows that both mocks still agree on it (the fault breaks *exactly* one behaviour).
//!
//! The demonstrations are grouped by topic, one submodule each; each vendor's dispatch
//! ([`stripe_demonstration`], [`gr4vy_demonstration`]) has no `_` arm: adding a fault to a
//! vendor's catalogue without a demonstration does not compile (and a vendor without a dispatch
//! fails the test).

use crate::common;

use checkout_conformance::mock::Fault;
use checkout_conformance::vendor::gr4vy::mock::Gr4vyFault;
use checkout_conformance::vendor::stripe::mock::StripeFault;
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
    let tasks: Vec<_> = Fault::all()
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
        Fault::all().len(),
        failures.join("\n")
    );
}

/// The table has teeth: with no fault injected on the "faulted" side, every arm fails.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_demonstration_fails_without_its_fault() {
    let tasks: Vec<_> = Fault::all()
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

/// A custom-UI session with one item, and the same retransmission (retaining it, adding an
/// item, expanded) sent `times` times with the `Idempotency-Key` `key`: the session's id and the
/// answers, in order.
async fn sent_with_one_key(m: &Mock, key: &str, times: usize) -> (String, Vec<Answer>) {
    let (id, a) = custom_with_item(m).await;
    let p = m.price(500).await;
    let path = format!("/v1/checkout/sessions/{id}");
    let auth = format!("Bearer {KEY}");
    let params = json!({
        "line_items": [{"id": a}, {"price": p, "quantity": 1}],
        "expand": ["line_items"],
    });
    let mut answers = Vec::with_capacity(times);
    for _ in 0..times {
        let headers = [("idempotency-key", key)];
        answers.push(post_with(m, &path, Some(&auth), &headers, params.clone()).await);
    }
    (id, answers)
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
    let fault = match StripeFault::try_from(fault) {
        Ok(fault) => return stripe_demonstration(fault, clean, faulty).await,
        Err(fault) => fault,
    };
    match Gr4vyFault::try_from(fault) {
        Ok(fault) => gr4vy_demonstration(fault, clean, faulty).await,
        Err(fault) => panic!(
            "no demonstration dispatch for {}'s faults",
            fault.provider()
        ),
    }
}

/// Stripe's faults, each to the topic demonstrating it.
async fn stripe_demonstration(fault: StripeFault, clean: Mock, faulty: Mock) {
    match fault {
        StripeFault::MetadataUnsetIgnored
        | StripeFault::MetadataClearIgnored
        | StripeFault::MetadataReplacedNotMerged
        | StripeFault::MetadataLimitsUnchecked
        | StripeFault::LineItemMetadataIgnored => metadata::demonstrate(fault, clean, faulty).await,
        StripeFault::LineItemsAppended
        | StripeFault::LineItemsOrderIgnored
        | StripeFault::LineItemUpdateIgnored
        | StripeFault::UnknownLineItemAccepted
        | StripeFault::NewLineItemQuantityOptional
        | StripeFault::PriceExclusivityUnchecked
        | StripeFault::UnitAmountExclusivityUnchecked
        | StripeFault::TotalsNotRecomputed
        | StripeFault::LineItemsOnHostedAccepted
        | StripeFault::AdjustableEnabledOptional
        | StripeFault::AdjustableMaximumUnchecked
        | StripeFault::AdjustableMinimumUnchecked
        | StripeFault::UnitLabelLengthUnchecked
        | StripeFault::ImagesLimitUnchecked
        | StripeFault::RecurringIntervalUnchecked
        | StripeFault::RecurringLengthUnchecked
        | StripeFault::TaxBehaviorUnchecked => line_items::demonstrate(fault, clean, faulty).await,
        StripeFault::SixthShippingOptionAccepted
        | StripeFault::ShippingRateExclusivityUnchecked
        | StripeFault::DisplayNameLengthUnchecked
        | StripeFault::FixedAmountOptional
        | StripeFault::NegativeShippingAmountAccepted
        | StripeFault::DeliveryEstimateUnchecked
        | StripeFault::ShippingOptionsClearIgnored => {
            shipping::demonstrate(fault, clean, faulty).await
        }
        StripeFault::ShippingDetailsOnHostedAccepted
        | StripeFault::ShippingDetailsRequiredUnchecked
        | StripeFault::ShippingNameLengthUnchecked => {
            collected_information::demonstrate(fault, clean, faulty).await
        }
        StripeFault::ExpandIgnored | StripeFault::ClosedSessionUpdatable => {
            expand_state::demonstrate(fault, clean, faulty).await
        }
        StripeFault::UnknownParameterAccepted
        | StripeFault::NestedUnknownParameterAccepted
        | StripeFault::WrongTypeAccepted
        | StripeFault::AuthUnchecked
        | StripeFault::NotFoundAnswered500
        | StripeFault::ErrorWithoutType
        | StripeFault::ErrorWithoutParam
        | StripeFault::MissingObjectField
        | StripeFault::RequestIdMissing
        | StripeFault::IdempotencyIgnored => api::demonstrate(fault, clean, faulty).await,
        StripeFault::LineItemsOrderIgnoredFromThree
        | StripeFault::LineItemMetadataIgnoredAfterFirst
        | StripeFault::ShippingOptionsDroppedWhenUnmentioned
        | StripeFault::RateDataShippingNotTotalled
        | StripeFault::IdempotencyReplayedOnce
        | StripeFault::UpdatedLineItemIdChanges => {
            conditional::demonstrate(fault, clean, faulty).await
        }
    }
}

/// Gr4vy's faults, each to the topic demonstrating it.
async fn gr4vy_demonstration(fault: Gr4vyFault, clean: Mock, faulty: Mock) {
    match fault {
        Gr4vyFault::CartItemsAppended
        | Gr4vyFault::CartItemsNullIgnored
        | Gr4vyFault::CartItemRequiredUnchecked
        | Gr4vyFault::CartItemNameUnchecked
        | Gr4vyFault::CartItemQuantityUnchecked
        | Gr4vyFault::CartItemUnitAmountUnchecked
        | Gr4vyFault::CartItemAmountsUnchecked
        | Gr4vyFault::CartItemStringsUnchecked
        | Gr4vyFault::CartItemCategoriesUnchecked
        | Gr4vyFault::CartItemProductTypeUnchecked
        | Gr4vyFault::CartItemSellerCountryUnchecked => {
            gr4vy_cart_items::demonstrate(fault, clean, faulty).await
        }
        Gr4vyFault::MetadataIgnored
        | Gr4vyFault::MetadataMerged
        | Gr4vyFault::MetadataValuesUnchecked => {
            gr4vy_metadata::demonstrate(fault, clean, faulty).await
        }
        Gr4vyFault::AirlineLegsLimitUnchecked
        | Gr4vyFault::AirlinePassengersLimitUnchecked
        | Gr4vyFault::AirlineLengthsUnchecked
        | Gr4vyFault::AirlineTypesUnchecked
        | Gr4vyFault::AirlineEnumsUnchecked
        | Gr4vyFault::AirlineDatesUnchecked
        | Gr4vyFault::AirlineAmountsUnchecked
        | Gr4vyFault::AirlinePatternsUnchecked => {
            gr4vy_airline::demonstrate(fault, clean, faulty).await
        }
        Gr4vyFault::BuyerLengthsUnchecked | Gr4vyFault::BuyerFormatsUnchecked => {
            gr4vy_buyer::demonstrate(fault, clean, faulty).await
        }
        Gr4vyFault::UnknownFieldAccepted
        | Gr4vyFault::NestedUnknownFieldAccepted
        | Gr4vyFault::WrongTypeAccepted
        | Gr4vyFault::PartialUpdate
        | Gr4vyFault::NonUuidAccepted
        | Gr4vyFault::AuthUnchecked
        | Gr4vyFault::ExpiredTokenAccepted
        | Gr4vyFault::ScopeUnchecked
        | Gr4vyFault::NotFoundAnswered500
        | Gr4vyFault::DeletedSessionServed
        | Gr4vyFault::ErrorWithoutType
        | Gr4vyFault::ErrorWithoutCode
        | Gr4vyFault::ErrorDetailsEmpty
        | Gr4vyFault::SessionTypeMissing
        | Gr4vyFault::ExpiryNotOneHour => gr4vy_api::demonstrate(fault, clean, faulty).await,
    }
}

mod api;
mod collected_information;
mod conditional;
mod expand_state;
mod gr4vy_airline;
mod gr4vy_api;
mod gr4vy_buyer;
mod gr4vy_cart_items;
mod gr4vy_metadata;
mod line_items;
mod metadata;
mod shipping;
