//! `Stripe-Version`: which API versions the mock answers in, and what differs between them for
//! the calls it serves.
//!
//! Derived from stripe-node 23.2.0's `CHANGELOG.md` (each release names the API version it pins
//! and the parameters it adds): [`KNOWN`] lists every named version it mentions;
//! [`UPDATE_PARAMS_SINCE`] and the `ui_mode` names come from its lines "Add support for
//! `collected_information` / `shipping_options` / `line_items` on
//! `Checkout.SessionUpdateParams`" (in the releases pinning 2025-02-24.acacia, 2025-03-31.basil,
//! 2025-12-15.clover), "new value `custom` on `Checkout.SessionCreateParams.ui_mode`"
//! (2025-03-31.basil) and "new values `elements`, `embedded_page`, `form`, and `hosted_page`"
//! (2026-03-25.dahlia, which renamed `custom`, `embedded` and `hosted`). `metadata` is
//! updatable since 2024-09-30.acacia (`../shared/README.md`).
//!
//! The mock models the versions from [`FIRST_MODELLED`] to its own ([`API_VERSION`]): the
//! `ui_mode` names a request may send and an answer shows, the update parameters that exist, and
//! the `Stripe-Version` header of the answer (the request's, else the account default,
//! [`API_VERSION`]). Every other field is rendered as in [`API_VERSION`]. A malformed or unknown
//! version is refused as Stripe refuses it (`Invalid Stripe API version`); a real version the
//! mock does not model (before acacia, or after its own) is refused saying so, never answered
//! as another version.

use super::error::MockError;
use crate::vendor::stripe::wire::API_VERSION;
use axum::http::HeaderMap;
use serde_json::Value;

/// The named API versions stripe-node 23.2.0's changelog mentions, oldest first.
pub const KNOWN: &[&str] = &[
    "2024-09-30.acacia",
    "2024-10-28.acacia",
    "2024-11-20.acacia",
    "2024-12-18.acacia",
    "2025-01-27.acacia",
    "2025-02-24.acacia",
    "2025-03-31.basil",
    "2025-04-30.basil",
    "2025-05-28.basil",
    "2025-06-30.basil",
    "2025-07-30.basil",
    "2025-08-27.basil",
    "2025-09-30.clover",
    "2025-10-29.clover",
    "2025-11-17.clover",
    "2025-12-15.clover",
    "2026-01-28.clover",
    "2026-02-25.clover",
    "2026-03-25.dahlia",
    "2026-04-22.dahlia",
    "2026-05-27.dahlia",
    "2026-06-24.dahlia",
    "2026-07-29.dahlia",
    "2026-08-26.dahlia",
    "2026-09-30.endive",
    "2026-10-28.endive",
    "2026-11-18.endive",
];

/// The oldest version the mock models.
pub const FIRST_MODELLED: &str = "2024-09-30.acacia";

/// The version whose `ui_mode` names are `elements`, `embedded_page`, `form`, `hosted_page`.
pub const UI_MODE_RENAMED: &str = "2026-03-25.dahlia";

/// The update parameters and the version each exists since.
pub const UPDATE_PARAMS_SINCE: &[(&str, &str)] = &[
    ("metadata", "2024-09-30.acacia"),
    ("collected_information", "2025-02-24.acacia"),
    ("shipping_options", "2025-03-31.basil"),
    ("line_items", "2025-12-15.clover"),
];

/// `ui_mode` before [`UI_MODE_RENAMED`], and the name it has since: `custom` since basil.
const OLD_UI_MODES: &[(&str, &str, &str)] = &[
    ("embedded", "embedded_page", "2024-09-30.acacia"),
    ("hosted", "hosted_page", "2024-09-30.acacia"),
    ("custom", "elements", "2025-03-31.basil"),
];

/// The `ui_mode` names of [`UI_MODE_RENAMED`] and later.
const UI_MODES: &[&str] = &["elements", "embedded_page", "form", "hosted_page"];

/// The API version of a request: its `Stripe-Version`, or the account default ([`API_VERSION`]).
///
/// ```
/// use axum::http::HeaderMap;
/// use checkout_conformance::vendor::stripe::mock::versions::requested;
/// let mut headers = HeaderMap::new();
/// assert_eq!(requested(&headers).unwrap(), "2026-07-29.dahlia");
/// headers.insert("stripe-version", "2025-03-31.basil".parse().unwrap());
/// assert_eq!(requested(&headers).unwrap(), "2025-03-31.basil");
/// headers.insert("stripe-version", "2026-11-18.endive".parse().unwrap());
/// assert!(requested(&headers).unwrap_err().error.message.contains("does not model"));
/// headers.insert("stripe-version", "2025-13-01.basil".parse().unwrap());
/// assert!(requested(&headers).unwrap_err().error.message.starts_with("Invalid Stripe API version"));
/// ```
pub fn requested(headers: &HeaderMap) -> Result<&'static str, MockError> {
    let Some(value) = headers.get("stripe-version") else {
        return Ok(API_VERSION);
    };
    let text = value.to_str().unwrap_or("");
    if let Some(known) = KNOWN.iter().find(|v| **v == text) {
        if modelled(known) {
            return Ok(known);
        }
        return Err(not_modelled(text));
    }
    // A date-only version (the format before 2024-09-30.acacia) is a real, older version.
    if well_formed_date(text) && text < FIRST_MODELLED {
        return Err(not_modelled(text));
    }
    Err(MockError::header(format!(
        "Invalid Stripe API version: {}",
        super::echo(text)
    )))
}

fn modelled(version: &str) -> bool {
    (FIRST_MODELLED..=API_VERSION).contains(&version)
}

fn not_modelled(version: &str) -> MockError {
    MockError::header(format!(
        "Stripe API version {} exists, but this mock does not model it: it answers in versions {FIRST_MODELLED} to {API_VERSION} only (send one of them as Stripe-Version, or none for {API_VERSION}).",
        super::echo(version)
    ))
}

fn well_formed_date(text: &str) -> bool {
    text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        })
}

/// The `ui_mode` names `version` takes and shows.
pub fn ui_mode_names(version: &str) -> Vec<&'static str> {
    if version >= UI_MODE_RENAMED {
        return UI_MODES.to_vec();
    }
    OLD_UI_MODES
        .iter()
        .filter(|(_, _, since)| version >= *since)
        .map(|(old, _, _)| *old)
        .collect()
}

/// A `ui_mode` as `version` names it, in the mock's own names ([`API_VERSION`]'s).
pub fn current_ui_mode<'a>(version: &str, name: &'a str) -> &'a str {
    if version >= UI_MODE_RENAMED {
        return name;
    }
    OLD_UI_MODES
        .iter()
        .find(|(old, _, _)| *old == name)
        .map_or(name, |(_, new, _)| new)
}

/// An update parameter `version` does not have (the first such key of `params`).
pub fn missing_update_param<'a>(
    version: &str,
    keys: impl Iterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut keys = keys;
    keys.find(|key| {
        UPDATE_PARAMS_SINCE
            .iter()
            .any(|(param, since)| param == key && version < *since)
    })
}

/// Renders an answer in `version`: a checkout session's `ui_mode` (also in a list) by the
/// version's name. Nothing to do for [`UI_MODE_RENAMED`] and later.
pub fn render(version: &str, body: &mut Value) {
    if version >= UI_MODE_RENAMED {
        return;
    }
    match body.get("object").and_then(Value::as_str) {
        Some("checkout.session") => {
            if let Some(mode) = body.get_mut("ui_mode") {
                // A mode the version has no name for (`elements` before basil, `form`) keeps
                // the mock's own name.
                let old = OLD_UI_MODES
                    .iter()
                    .find(|(_, new, since)| mode == *new && version >= *since)
                    .map(|(old, _, _)| *old);
                if let Some(old) = old {
                    *mode = Value::from(old);
                }
            }
        }
        Some("list") => {
            if let Some(items) = body.get_mut("data").and_then(Value::as_array_mut) {
                items.iter_mut().for_each(|item| render(version, item));
            }
        }
        _ => {}
    }
}
