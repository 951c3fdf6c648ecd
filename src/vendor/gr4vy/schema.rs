//! Gr4vy's schemas (`schemas/gr4vy/`, derived from its OpenAPI 3.1 spec by
//! `schemas/gr4vy/derive.py`; see its `DERIVATION.md`): the table and how an answer picks its
//! schema. Its formats (`uuid`, `date-time`, `date`, `json-pointer`) are the crate's own checks.

use crate::schema::{SchemaDef, SchemaId, SchemaRegistry};
use crate::vendor::Provider;
use serde_json::Value;
use std::sync::OnceLock;

/// Gr4vy's schemas, in registry order.
pub(crate) const TABLE: &[SchemaDef] = &[
    SchemaDef {
        id: SchemaId::Gr4vyCheckoutSession,
        name: "gr4vy.checkout-session",
        file_name: "checkout-session.json",
        text: include_str!("../../../schemas/gr4vy/checkout-session.json"),
    },
    SchemaDef {
        id: SchemaId::Gr4vyCheckoutSessionUpdate,
        name: "gr4vy.checkout-session-update",
        file_name: "checkout-session-update.json",
        text: include_str!("../../../schemas/gr4vy/checkout-session-update.json"),
    },
    SchemaDef {
        id: SchemaId::Gr4vyError,
        name: "gr4vy.error",
        file_name: "error.json",
        text: include_str!("../../../schemas/gr4vy/error.json"),
    },
    SchemaDef {
        id: SchemaId::Gr4vyValidationError,
        name: "gr4vy.validation-error",
        file_name: "validation-error.json",
        text: include_str!("../../../schemas/gr4vy/validation-error.json"),
    },
];

/// The embedded registry, compiled on first use.
pub(crate) fn registry() -> &'static SchemaRegistry {
    static REGISTRY: OnceLock<SchemaRegistry> = OnceLock::new();
    REGISTRY.get_or_init(|| SchemaRegistry::compile_embedded(Provider::Gr4vy))
}

/// By the answer's `type`: `checkout-session` or `error`; else FastAPI's `HTTPValidationError`
/// when it has a top-level `detail` (a `detail` that is not an array then fails that schema,
/// which says what is wrong). The request schema `CheckoutSessionUpdate` is never picked.
pub(crate) fn pick(body: &Value) -> Option<SchemaId> {
    match body.get("type").and_then(Value::as_str) {
        Some("checkout-session") => Some(SchemaId::Gr4vyCheckoutSession),
        Some("error") => Some(SchemaId::Gr4vyError),
        _ if body.get("detail").is_some() => Some(SchemaId::Gr4vyValidationError),
        _ => None,
    }
}
