//! Gr4vy's error envelope, the 422 body its framework declares, and the spec version this
//! project follows.
//!
//! The envelope is the one place that knows how a Gr4vy error is spelled: the mock writes it,
//! the client reads it. Every error status of the spec (`Error400` … `Error504`) has the same
//! shape — `type` is always `error`, `status` repeats the HTTP status, `details` names the
//! offending part of the request (`location` and a JSON `pointer` for bodies, the parameter's
//! name for path, query and header parameters):
//!
//! ```
//! use checkout_conformance::vendor::gr4vy::wire::{ErrorEnvelope, ErrorLocation};
//!
//! let body = r#"{"type": "error", "code": "bad_request", "status": 400,
//!                "message": "Request failed validation",
//!                "details": [{"location": "body", "pointer": "/cart_items/0/name",
//!                             "message": "String should have at most 255 characters",
//!                             "type": "string_too_long"}]}"#;
//! let envelope: ErrorEnvelope = serde_json::from_str(body)?;
//! assert_eq!(envelope.status, 400);
//! assert_eq!(envelope.code, "bad_request");
//! assert_eq!(envelope.details[0].location, ErrorLocation::Body);
//! assert_eq!(envelope.details[0].pointer, "/cart_items/0/name");
//! # Ok::<(), serde_json::Error>(())
//! ```
//!
//! The spec also lists `422` with FastAPI's `HTTPValidationError` (`{"detail": [{"loc", "msg",
//! "type"}]}`) on every operation: [`HttpValidationError`] reads it.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The repository of the OpenAPI document followed (`x-source.repository` of the excerpts in
/// `shared/specs/gr4vy/`).
pub const SPEC_REPOSITORY: &str = "github.com/gr4vy/gr4vy-openapi";
/// The commit of that repository (`x-source.commit`).
pub const SPEC_COMMIT: &str = "46a9b4a89c665bd00bbd266994eb9b302cb85dbf";
/// The date of that commit (`x-source.commit_date`).
pub const SPEC_COMMIT_DATE: &str = "2026-08-20";
/// `info.version` of the spec.
pub const SPEC_VERSION: &str = "1.0.0";
/// The OpenAPI version of the spec.
pub const OPENAPI_VERSION: &str = "3.1.0";

/// The scope `PUT` and `DELETE /checkout/sessions/{session_id}` (and `POST /checkout/sessions`)
/// require.
pub const SCOPE_WRITE: &str = "checkout-sessions.write";
/// The scope `GET /checkout/sessions/{session_id}` requires.
pub const SCOPE_READ: &str = "checkout-sessions.read";
/// The JWS algorithm of Gr4vy's bearer tokens.
pub const TOKEN_ALG: &str = "ES512";
/// The optional header naming the merchant account a request acts for.
pub const MERCHANT_ACCOUNT_HEADER: &str = "x-gr4vy-merchant-account-id";

/// `code` of each error status, as the spec's `ErrorNNN` schemas fix it ("Always `…`").
pub mod code {
    /// 400.
    pub const BAD_REQUEST: &str = "bad_request";
    /// 401.
    pub const UNAUTHORIZED: &str = "unauthorized";
    /// 403.
    pub const FORBIDDEN: &str = "forbidden";
    /// 404.
    pub const NOT_FOUND: &str = "not_found";
    /// 405.
    pub const METHOD_NOT_ALLOWED: &str = "method_not_allowed";
    /// 409.
    pub const DUPLICATE_RECORD: &str = "duplicate_record";
    /// 425.
    pub const TOO_EARLY: &str = "too_early";
    /// 429.
    pub const TOO_MANY_REQUESTS: &str = "too_many_requests";
    /// 500.
    pub const SERVER_ERROR: &str = "server_error";
    /// 502.
    pub const BAD_GATEWAY: &str = "bad_gateway";
    /// 504.
    pub const GATEWAY_TIMEOUT: &str = "gateway_timeout";
}

/// `{"type": "error", "code", "status", "message", "details"}`: the body of every Gr4vy error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorEnvelope {
    /// `type`: always `error`.
    #[serde(rename = "type")]
    pub kind: EnvelopeType,
    /// `code`: fixed per status (see [`code`]).
    pub code: String,
    /// `status`: the HTTP status again.
    pub status: u16,
    /// `message`: human-readable; never asserted on by the suite.
    #[serde(default)]
    pub message: String,
    /// `details`: what part of the request caused the error (empty when there is nothing to
    /// point at).
    #[serde(default)]
    pub details: Vec<ErrorDetail>,
    /// `resource_id`: only on 409, the conflicting resource.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_id: Option<String>,
}

/// The `type` of an error envelope: the constant `error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnvelopeType {
    /// `error`.
    Error,
}

/// One entry of `details` (`ErrorDetail`: all four fields are required).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorDetail {
    /// The part of the request the property is in.
    pub location: ErrorLocation,
    /// A JSON pointer into the body (`/cart_items/0/name`), or a parameter's name.
    pub pointer: String,
    /// Human-readable.
    pub message: String,
    /// The kind of failure, e.g. `string_too_long`, `extra_forbidden`, `missing`.
    #[serde(rename = "type")]
    pub kind: String,
}

/// `ErrorLocation`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorLocation {
    /// A query parameter.
    Query,
    /// The request body.
    Body,
    /// A path parameter.
    Path,
    /// A header.
    Header,
    /// Anywhere else.
    Unknown,
}

impl ErrorEnvelope {
    /// An envelope for `status`, with `code` and `message`.
    ///
    /// ```
    /// use checkout_conformance::vendor::gr4vy::wire::{code, ErrorEnvelope};
    /// let e = ErrorEnvelope::new(404, code::NOT_FOUND, "The resource could not be found");
    /// assert_eq!(serde_json::to_value(&e).unwrap()["type"], "error");
    /// ```
    pub fn new(status: u16, code: &str, message: impl Into<String>) -> Self {
        ErrorEnvelope {
            kind: EnvelopeType::Error,
            code: code.to_owned(),
            status,
            message: message.into(),
            details: Vec::new(),
            resource_id: None,
        }
    }

    /// The same envelope with `details`.
    pub fn with_details(mut self, details: Vec<ErrorDetail>) -> Self {
        self.details = details;
        self
    }
}

/// `HTTPValidationError`: `{"detail": [ValidationError]}`, what FastAPI answers 422 with.
///
/// ```
/// use checkout_conformance::vendor::gr4vy::wire::{HttpValidationError, LocItem};
/// let body = r#"{"detail": [{"loc": ["body", "cart_items", 0, "name"],
///                            "msg": "Field required", "type": "missing"}]}"#;
/// let e: HttpValidationError = serde_json::from_str(body)?;
/// assert_eq!(e.detail[0].loc[2], LocItem::Index(0));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HttpValidationError {
    /// The failures.
    #[serde(default)]
    pub detail: Vec<ValidationError>,
}

/// `ValidationError`: one failure of FastAPI's request validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidationError {
    /// Where: `["body", "cart_items", 0, "name"]`, `["path", "session_id"]`.
    pub loc: Vec<LocItem>,
    /// Human-readable.
    pub msg: String,
    /// The kind of failure (`missing`, `string_too_long`, …).
    #[serde(rename = "type")]
    pub kind: String,
    /// The offending input, when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<Value>,
    /// Context of the failure (limits, expected values), when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ctx: Option<Map<String, Value>>,
}

/// One step of a `loc`: a key or an array index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum LocItem {
    /// An array index.
    Index(u64),
    /// A key (or `body`, `path`, …).
    Key(String),
}

/// Escapes one key for a JSON pointer (RFC 6901: `~` → `~0`, `/` → `~1`).
///
/// ```
/// assert_eq!(checkout_conformance::vendor::gr4vy::wire::pointer_token("a/b~c"), "a~1b~0c");
/// ```
pub fn pointer_token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// The fields a validation error names: `details[].pointer` of a 400 envelope, or each
/// `detail[].loc` of a 422 `HTTPValidationError` as the 400 envelope would name it; none for
/// any other status.
///
/// ```
/// use checkout_conformance::vendor::gr4vy::wire::named_fields;
/// use serde_json::json;
/// let e400 = json!({"details": [{"pointer": "/cart_items/0/name"}]});
/// let e422 = json!({"detail": [{"loc": ["body", "cart_items", 0, "name"]}]});
/// assert_eq!(named_fields(400, &e400), ["/cart_items/0/name"]);
/// assert_eq!(named_fields(422, &e422), ["/cart_items/0/name"]);
/// assert!(named_fields(200, &e400).is_empty());
/// ```
pub fn named_fields(status: u16, body: &Value) -> Vec<String> {
    match status {
        400 => body["details"]
            .as_array()
            .map(|d| {
                d.iter()
                    .filter_map(|d| d["pointer"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default(),
        422 => body["detail"]
            .as_array()
            .map(|d| d.iter().map(|d| loc_name(&d["loc"])).collect())
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// A FastAPI `loc` as the name the 400 envelope gives the same field: a JSON pointer for the
/// body (`["body", "cart_items", 0, "name"]` → `/cart_items/0/name`), the parameter's name for
/// the path, query and headers (`["path", "checkout_session_id"]` → `checkout_session_id`).
pub fn loc_name(loc: &Value) -> String {
    let parts: Vec<String> = loc
        .as_array()
        .map(|l| {
            l.iter()
                .map(|p| p.as_str().map_or_else(|| p.to_string(), str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    match parts.split_first() {
        Some((location, rest)) if location == "body" => format!("/{}", rest.join("/")),
        Some((_, rest)) => rest.join("/"),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::loc_name;
    use rstest::rstest;
    use serde_json::json;

    /// The 422 shape the spec also lists names fields the way the 400 envelope does.
    #[rstest]
    #[case::body_field(json!(["body", "cart_items", 0, "name"]), "/cart_items/0/name")]
    #[case::path_parameter(json!(["path", "checkout_session_id"]), "checkout_session_id")]
    #[case::header(json!(["header", "x-gr4vy-merchant-account-id"]), "x-gr4vy-merchant-account-id")]
    #[case::body_root(json!(["body"]), "/")]
    #[case::not_a_loc(json!("body"), "")]
    fn loc_names_match_pointers(#[case] loc: serde_json::Value, #[case] name: &str) {
        assert_eq!(loc_name(&loc), name);
    }
}
