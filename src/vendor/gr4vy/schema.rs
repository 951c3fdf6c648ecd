//! Gr4vy's schemas (`schemas/gr4vy/`, derived from its OpenAPI 3.1 spec by
//! `schemas/gr4vy/derive.py`; see its `DERIVATION.md`): the table and how an answer picks its
//! schema. Its formats (`uuid`, `date-time`, `date`, `json-pointer`) are the crate's own checks.

use crate::schema::{vendor_schemas, SchemaRegistry};
use crate::vendor::Provider;
use serde_json::Value;
use std::sync::OnceLock;

vendor_schemas! {
    /// Gr4vy's schemas: the enum Gr4vy's schemas are named with, and (declared with it) their
    /// table, in this order. An answer picks its schema by its `type`: `checkout-session` is
    /// [`Gr4vySchema::CheckoutSession`], `error` is [`Gr4vySchema::Error`]; else
    /// [`Gr4vySchema::ValidationError`] when it has a top-level `detail` key (FastAPI's
    /// `{"detail": [...]}`; a `detail` that is not an array then fails that schema, which says
    /// what is wrong). The request schema [`Gr4vySchema::CheckoutSessionUpdate`] is never
    /// picked ([`SchemaRegistry::for_object`]). Each is named `gr4vy.` and its file's stem.
    ///
    /// # Example
    ///
    /// ```rust
    /// use checkout_conformance::schema::{SchemaId, SchemaRegistry};
    /// use checkout_conformance::vendor::gr4vy::schema::Gr4vySchema;
    /// use checkout_conformance::vendor::Provider;
    /// use serde_json::json;
    ///
    /// let id = SchemaId::from(Gr4vySchema::CheckoutSessionUpdate);
    /// assert_eq!((id.provider(), id.name(), id.file_name()),
    ///            (Provider::Gr4vy, "gr4vy.checkout-session-update", "checkout-session-update.json"));
    /// let registry = SchemaRegistry::embedded(Provider::Gr4vy);
    /// let body = json!({"type": "error", "code": "not_found", "status": 404,
    ///                   "message": "The resource could not be found", "details": []});
    /// assert_eq!(registry.for_object(&body), Some(Gr4vySchema::Error.into()));
    /// assert!(registry.validate(Gr4vySchema::Error, &body).is_ok());
    /// ```
    pub enum Gr4vySchema for Provider::Gr4vy, files in "../../../schemas/gr4vy/" {
        /// Gr4vy's `CheckoutSession` (`"type": "checkout-session"`): what
        /// `PUT /checkout/sessions/{session_id}` returns with `200`.
        CheckoutSession => "gr4vy.checkout-session", "checkout-session.json";
        /// Gr4vy's `CheckoutSessionUpdate`: the *request* body of
        /// `PUT /checkout/sessions/{session_id}`. Never picked by
        /// [`SchemaRegistry::for_object`]; tests use it to check request bodies.
        CheckoutSessionUpdate => "gr4vy.checkout-session-update", "checkout-session-update.json";
        /// Gr4vy's error body `{"type": "error", "code", "status", "message", "details"}`,
        /// checked against the spec's `ErrorNNN` schema for its `status` (every non-422 error
        /// the PUT lists).
        Error => "gr4vy.error", "error.json";
        /// Gr4vy's `422` body, FastAPI's `HTTPValidationError`:
        /// `{"detail": [{"loc", "msg", "type"}]}`.
        ValidationError => "gr4vy.validation-error", "validation-error.json";
    }
}

/// The embedded registry, compiled on first use.
pub(crate) fn registry() -> &'static SchemaRegistry {
    static REGISTRY: OnceLock<SchemaRegistry> = OnceLock::new();
    REGISTRY.get_or_init(|| SchemaRegistry::compile_embedded(Provider::Gr4vy))
}

/// By the answer's `type`: `checkout-session` or `error`; else FastAPI's `HTTPValidationError`
/// when it has a top-level `detail` (a `detail` that is not an array then fails that schema,
/// which says what is wrong). The request schema `CheckoutSessionUpdate` is never picked.
pub(crate) fn pick(body: &Value) -> Option<Gr4vySchema> {
    match body.get("type").and_then(Value::as_str) {
        Some("checkout-session") => Some(Gr4vySchema::CheckoutSession),
        Some("error") => Some(Gr4vySchema::Error),
        _ if body.get("detail").is_some() => Some(Gr4vySchema::ValidationError),
        _ => None,
    }
}
