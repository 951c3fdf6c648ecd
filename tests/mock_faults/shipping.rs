//! Stripe: shipping options: each fault's demonstration (see the parent module).

use super::*;
use checkout_conformance::vendor::stripe::mock::DISPLAY_NAME_MAX;

/// Demonstrates `fault` (one of this topic's) against the clean and the faulted mock.
pub(super) async fn demonstrate(fault: StripeFault, clean: Mock, faulty: Mock) {
    match fault {
        StripeFault::SixthShippingOptionAccepted => {
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
        StripeFault::ShippingRateExclusivityUnchecked => {
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
        StripeFault::DisplayNameLengthUnchecked => {
            let (c, f) = on_both!(clean, faulty, |m| {
                (
                    new_rate(m, json!({"display_name": "d".repeat(DISPLAY_NAME_MAX)})).await,
                    new_rate(m, json!({"display_name": "d".repeat(DISPLAY_NAME_MAX + 1)})).await,
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
        StripeFault::FixedAmountOptional => {
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
        StripeFault::NegativeShippingAmountAccepted => {
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
        StripeFault::DeliveryEstimateUnchecked => {
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
        StripeFault::ShippingOptionsClearIgnored => {
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
        _ => unreachable!("{fault} is not a fault of this topic"),
    }
}
