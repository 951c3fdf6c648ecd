//! Stripe: collected information: each fault's demonstration (see the parent module).

use super::*;

/// Demonstrates `fault` (one of this topic's) against the clean and the faulted mock.
pub(super) async fn demonstrate(fault: StripeFault, clean: Mock, faulty: Mock) {
    match fault {
        StripeFault::ShippingDetailsOnHostedAccepted => {
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
        StripeFault::ShippingDetailsRequiredUnchecked => {
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
        StripeFault::ShippingNameLengthUnchecked => {
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
        _ => unreachable!("{fault} is not a fault of this topic"),
    }
}
