//! Gr4vy: `PUT /checkout/sessions/{session_id}`, JSON, a bearer JWT signed with ES512.
//!
//! - [`wire`]: Gr4vy's error envelope, its 422 `HTTPValidationError`, the spec version followed.
//! - [`jwt`]: the bearer tokens (minting, verifying).
//! - [`mock`]: the Gr4vy half of the bundled mock.
//! - `steps`: the step definitions only Gr4vy's features use.

pub mod jwt;
pub mod mock;
mod steps;
pub mod wire;

use crate::client::{Body, RetryHints};
use crate::schema::SchemaRegistry;
use crate::vendor::{Rejection, Vendor};
use serde_json::Value;

/// Gr4vy, as the engine sees it ([`crate::vendor::Provider::Gr4vy`]).
#[derive(Debug, Clone, Copy)]
pub struct Gr4vy;

/// The collection of checkout sessions.
pub const SESSIONS_PATH: &str = "/checkout/sessions";

/// A Gr4vy API host that is not a sandbox: `api.{id}.gr4vy.app` (sandboxes are
/// `api.sandbox.{id}.gr4vy.app`). A run refuses it before any request.
///
/// ```
/// use checkout_conformance::vendor::gr4vy::is_production;
/// assert!(is_production("https://api.acme.gr4vy.app"));
/// assert!(!is_production("https://api.sandbox.acme.gr4vy.app"));
/// assert!(!is_production("http://127.0.0.1:12111"));
/// ```
pub fn is_production(url: &str) -> bool {
    let host = reqwest::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
        .unwrap_or_default();
    host.ends_with(".gr4vy.app") && !host.starts_with("api.sandbox.")
}

impl Vendor for Gr4vy {
    fn tag(&self) -> &'static str {
        "gr4vy"
    }

    fn display_name(&self) -> &'static str {
        "Gr4vy"
    }

    fn credential_env(&self) -> &'static str {
        "GR4VY_TOKEN"
    }

    fn update_method(&self) -> &'static str {
        "PUT"
    }

    fn sessions_path(&self) -> &'static str {
        SESSIONS_PATH
    }

    fn serves(&self, path: &str) -> bool {
        mock::serves(path)
    }

    fn missing_session_id(&self) -> &'static str {
        "00000000-0000-4000-8000-00000000f11e"
    }

    fn dry_run_session_id(&self) -> &'static str {
        "00000000-0000-4000-8000-00000000d1e5"
    }

    fn update_body(&self, params: &Value) -> Body {
        Body::Json(params.clone())
    }

    fn speaks(&self, body: &Value) -> bool {
        ["type", "id", "detail", "code"]
            .iter()
            .any(|key| body.get(key).is_some())
    }

    fn error_envelope<'a>(&self, body: &'a Value) -> &'a Value {
        body
    }

    fn unauthenticated(&self) -> Rejection {
        (
            401,
            &[("type", "error"), ("code", wire::code::UNAUTHORIZED)],
        )
    }

    fn session_missing(&self) -> Rejection {
        (404, &[("type", "error"), ("code", wire::code::NOT_FOUND)])
    }

    fn request_id_required(&self) -> bool {
        // The spec names no request-id header.
        false
    }

    fn close_session(&self, id: &str) -> (&'static str, String, Body) {
        ("DELETE", format!("{SESSIONS_PATH}/{id}"), Body::Empty)
    }

    fn already_closed(&self, status: u16) -> bool {
        // Deleting a session a scenario deleted already: 404.
        status == 404
    }

    fn retry_hints(&self) -> RetryHints {
        RetryHints::default()
    }

    fn schemas(&self) -> &'static SchemaRegistry {
        SchemaRegistry::gr4vy()
    }

    fn verifies_created_line_items(&self) -> bool {
        false
    }
}
