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

/// The most characters of a client's value (an id, a path) an error message echoes; a longer
/// value is cut and marked with `…`, so that a message stays within the error schema however
/// long the request.
pub const ECHO_MAX: usize = 200;

/// `value` as an error message quotes it: at most [`ECHO_MAX`] characters.
///
/// ```
/// use checkout_conformance::vendor::stripe::mock::{echo, ECHO_MAX};
/// assert_eq!(echo("cs_test_1"), "cs_test_1");
/// assert_eq!(echo(&"x".repeat(40_000)).chars().count(), ECHO_MAX + 1);
/// ```
pub fn echo(value: &str) -> std::borrow::Cow<'_, str> {
    match value.char_indices().nth(ECHO_MAX) {
        None => value.into(),
        Some((cut, _)) => format!("{}…", &value[..cut]).into(),
    }
}

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
            format!("No such {what}: '{}'", echo(id)),
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
            format!("No such {what}: '{}'", echo(id)),
        )
    }

    /// 404 for a path the API does not have.
    pub fn unrecognized_url(method: &str, path: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            ErrorType::InvalidRequestError,
            None,
            None,
            format!("Unrecognized request URL ({method}: {}).", echo(path)),
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

    /// What the HTTP layer answers for a request it cannot read (see [`crate::mock::transport`]):
    /// 414 for a URI over the limit, 431 for headers over the limit, 400 for a malformed head.
    pub fn refused(status: StatusCode) -> Self {
        let message = match status {
            StatusCode::URI_TOO_LONG => format!(
                "The request URI is too long: the limit is {} bytes.",
                crate::mock::transport::MAX_URI_LEN
            ),
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => format!(
                "The request's headers are too large: the limit is {} bytes and {} headers.",
                crate::mock::transport::MAX_HEAD_BYTES,
                crate::mock::transport::MAX_HEADERS
            ),
            _ => "The request could not be parsed as HTTP/1.1.".to_owned(),
        };
        Self::new(status, ErrorType::InvalidRequestError, None, None, message)
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
