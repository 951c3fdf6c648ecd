//! The mock's errors: an HTTP status plus Stripe's envelope ([`crate::vendor::stripe::wire::ApiError`]).

use crate::vendor::stripe::form::FormError;
use crate::vendor::stripe::wire::{ApiError, ErrorType};
use axum::http::StatusCode;

/// An error answer of the Stripe mock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MockError {
    pub status: StatusCode,
    pub error: ApiError,
}

type Code = Option<&'static str>;

impl MockError {
    fn new(
        status: StatusCode,
        kind: ErrorType,
        code: Code,
        param: Option<String>,
        message: String,
    ) -> Self {
        MockError {
            status,
            error: ApiError::new(kind, code, param, message),
        }
    }

    fn invalid_request(code: Code, param: &str, message: String) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            ErrorType::InvalidRequestError,
            code,
            Some(param.to_owned()),
            message,
        )
    }

    /// 400 `parameter_unknown`.
    pub fn unknown(param: &str) -> Self {
        Self::invalid_request(
            Some("parameter_unknown"),
            param,
            format!("Received unknown parameter: {param}"),
        )
    }

    /// 400 `parameter_missing`.
    pub fn missing(param: &str) -> Self {
        Self::invalid_request(
            Some("parameter_missing"),
            param,
            format!("Missing required param: {param}."),
        )
    }

    /// 400 `parameter_invalid_integer`: not an integer, or an integer out of range.
    pub fn invalid_integer(param: &str, rule: &str) -> Self {
        Self::invalid_request(
            Some("parameter_invalid_integer"),
            param,
            format!("Invalid integer for {param}: {rule}."),
        )
    }

    /// 400 `parameter_invalid_empty`: an empty string where a value is required.
    pub fn invalid_empty(param: &str) -> Self {
        Self::invalid_request(
            Some("parameter_invalid_empty"),
            param,
            format!("You passed an empty string for '{param}'. We assume empty values are an attempt to unset a parameter; however '{param}' cannot be unset."),
        )
    }

    /// 400 `parameters_exclusive`: two parameters of which only one may be given.
    pub fn exclusive(param: &str, other: &str) -> Self {
        Self::invalid_request(
            Some("parameters_exclusive"),
            param,
            format!("You may only specify one of these parameters: {param}, {other}."),
        )
    }

    /// 400 without a code: a value that breaks a documented rule (length, range, enum, count).
    pub fn invalid(param: &str, message: impl Into<String>) -> Self {
        Self::invalid_request(None, param, message.into())
    }

    /// 400 `resource_missing` for a parameter naming an object that does not exist.
    pub fn no_such(param: &str, what: &str, id: &str) -> Self {
        Self::invalid_request(
            Some("resource_missing"),
            param,
            format!("No such {what}: '{id}'"),
        )
    }

    /// 400 without a param: the request is well-formed but not allowed in the object's state.
    pub fn state(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            ErrorType::InvalidRequestError,
            None,
            None,
            message.into(),
        )
    }

    /// 404 `resource_missing` for the object named in the path.
    pub fn not_found(what: &str, id: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            ErrorType::InvalidRequestError,
            Some("resource_missing"),
            Some("id".into()),
            format!("No such {what}: '{id}'"),
        )
    }

    /// 404 for a path the API does not have.
    pub fn unrecognized_url(method: &str, path: &str) -> Self {
        let path: String = path.chars().take(200).collect();
        Self::new(
            StatusCode::NOT_FOUND,
            ErrorType::InvalidRequestError,
            None,
            None,
            format!("Unrecognized request URL ({method}: {path})."),
        )
    }

    /// 401: no key, or not a test-mode key. The key itself is never echoed.
    pub fn unauthorized(message: &str) -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            ErrorType::InvalidRequestError,
            None,
            None,
            message.to_owned(),
        )
    }

    /// 400 `idempotency_error`: the key was used with other parameters.
    pub fn idempotency_mismatch() -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            ErrorType::IdempotencyError,
            None,
            None,
            "Keys for idempotent requests can only be used with the same parameters they were first used with.".into(),
        )
    }

    /// 413: the body is over the mock's limit.
    pub fn too_large(limit: usize) -> Self {
        Self::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorType::InvalidRequestError,
            None,
            None,
            format!("Request body exceeds {limit} bytes."),
        )
    }

    /// 400 for a header the API does not accept (bad `Stripe-Version`, too long `Idempotency-Key`).
    pub fn header(message: impl Into<String>) -> Self {
        Self::state(message)
    }
}

impl From<FormError> for MockError {
    fn from(e: FormError) -> Self {
        MockError::invalid(e.param(), format!("Invalid request body: {e}"))
    }
}
