//! Stripe's error envelope and the API version this project pins.
//!
//! The envelope is the one place that knows how a Stripe error is spelled: the mock writes it,
//! the client reads it.
//!
//! ```
//! use checkout_conformance::vendor::stripe::wire::{ApiError, ErrorEnvelope, ErrorType};
//!
//! let body = r#"{"error": {"type": "invalid_request_error", "code": "parameter_unknown",
//!                "param": "line_items[0][foo]", "message": "Received unknown parameter: line_items[0][foo]"}}"#;
//! let envelope: ErrorEnvelope = serde_json::from_str(body)?;
//! assert_eq!(envelope.error.kind, ErrorType::InvalidRequestError);
//! assert_eq!(envelope.error.param.as_deref(), Some("line_items[0][foo]"));
//! # Ok::<(), serde_json::Error>(())
//! ```

use serde::{Deserialize, Serialize};

/// The Stripe API version the schemas, the mock and the suite follow. Sent as `Stripe-Version`.
pub const API_VERSION: &str = "2026-07-29.dahlia";

/// Where Stripe documents its error codes; `doc_url` is this plus the code with `-` for `_`.
pub const ERROR_CODES_URL: &str = "https://stripe.com/docs/error-codes";

/// `{"error": {...}}`: the body of every Stripe error response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorEnvelope {
    /// The error itself.
    pub error: ApiError,
}

/// The `error` object of Stripe's envelope (the fields this project reads or writes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    /// `type`: the category of the error.
    #[serde(rename = "type")]
    pub kind: ErrorType,
    /// `code`: a short machine-readable string, for errors that have one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// `param`: the parameter the error is about, in bracket notation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub param: Option<String>,
    /// `message`: human-readable; never asserted on by the suite.
    #[serde(default)]
    pub message: String,
    /// `doc_url`: a link to the documentation of `code`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_url: Option<String>,
}

/// The `type` of a Stripe error, as the published spec enumerates it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorType {
    /// Failures on Stripe's side.
    ApiError,
    /// Card declines.
    CardError,
    /// Idempotency-Key reused with other parameters.
    IdempotencyError,
    /// Invalid parameters, unknown objects, bad authentication.
    InvalidRequestError,
}

impl ApiError {
    /// An error of `kind` with a code (whose `doc_url` is derived from it) and a param.
    ///
    /// ```
    /// use checkout_conformance::vendor::stripe::wire::{ApiError, ErrorType};
    /// let e = ApiError::new(ErrorType::InvalidRequestError, Some("parameter_missing"), Some("line_items[0][quantity]".into()), "Missing required param");
    /// assert_eq!(e.doc_url.as_deref(), Some("https://stripe.com/docs/error-codes/parameter-missing"));
    /// ```
    pub fn new(
        kind: ErrorType,
        code: Option<&str>,
        param: Option<String>,
        message: impl Into<String>,
    ) -> Self {
        ApiError {
            kind,
            code: code.map(str::to_owned),
            param,
            message: message.into(),
            doc_url: code.map(|c| format!("{ERROR_CODES_URL}/{}", c.replace('_', "-"))),
        }
    }
}
