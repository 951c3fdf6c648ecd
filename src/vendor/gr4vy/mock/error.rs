//! The Gr4vy mock's errors: an HTTP status plus Gr4vy's envelope
//! ([`crate::vendor::gr4vy::wire::ErrorEnvelope`]).

use crate::vendor::gr4vy::wire::{code, ErrorDetail, ErrorEnvelope, ErrorLocation};
use axum::http::StatusCode;

/// An error answer of the Gr4vy mock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gr4vyError {
    pub status: StatusCode,
    pub envelope: ErrorEnvelope,
    /// The session named in the path does not exist (as opposed to an unknown route).
    pub session_missing: bool,
}

/// The `message` of a 400 for a request that failed validation (the spec's example).
pub const VALIDATION_MESSAGE: &str = "Request failed validation";

/// One entry of `details`.
pub fn detail(
    location: ErrorLocation,
    pointer: impl Into<String>,
    kind: &str,
    message: impl Into<String>,
) -> ErrorDetail {
    ErrorDetail {
        location,
        pointer: pointer.into(),
        message: message.into(),
        kind: kind.to_owned(),
    }
}

impl Gr4vyError {
    fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        Gr4vyError {
            status,
            envelope: ErrorEnvelope::new(status.as_u16(), code, message),
            session_missing: false,
        }
    }

    /// 400 `bad_request`: the request failed validation; `details` name what failed.
    pub fn validation(details: Vec<ErrorDetail>) -> Self {
        let mut e = Self::new(
            StatusCode::BAD_REQUEST,
            code::BAD_REQUEST,
            VALIDATION_MESSAGE,
        );
        e.envelope.details = details;
        e
    }

    /// 400 `bad_request` with one detail.
    pub fn invalid(location: ErrorLocation, pointer: &str, kind: &str, message: &str) -> Self {
        Self::validation(vec![detail(location, pointer, kind, message)])
    }

    /// 401 `unauthorized`. `why` is appended to the spec's message; the token is never echoed.
    pub fn unauthorized(why: &str) -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            code::UNAUTHORIZED,
            format!("No valid API authentication found: {why}"),
        )
    }

    /// 403 `forbidden`: the token lacks `scope`.
    pub fn forbidden(scope: &str) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            code::FORBIDDEN,
            format!("The token does not grant the `{scope}` scope this request requires"),
        )
    }

    /// 404 `not_found` for a session that does not exist (or was deleted).
    pub fn session_not_found() -> Self {
        let mut e = Self::unknown_route();
        e.session_missing = true;
        e
    }

    /// 404 `not_found` for a path the API does not have.
    pub fn unknown_route() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            code::NOT_FOUND,
            "The resource could not be found",
        )
    }

    /// 405 `method_not_allowed`.
    pub fn method_not_allowed() -> Self {
        Self::new(
            StatusCode::METHOD_NOT_ALLOWED,
            code::METHOD_NOT_ALLOWED,
            "Method Not Allowed",
        )
    }

    /// 400 `bad_request`: the body is over the mock's limit. The spec lists no `413` for these
    /// operations, so the mock stays within the statuses it does list (and within `Error400`).
    pub fn too_large(limit: usize) -> Self {
        Self::invalid(
            ErrorLocation::Body,
            "",
            "value_error",
            &format!("Request body exceeds {limit} bytes"),
        )
    }

    /// 400 `bad_request` for a request the HTTP layer refused (see
    /// [`crate::mock::transport`]): the URI (`status` 414) or the headers (431) over the limit,
    /// or a malformed head. The spec lists no 414 or 431, so the mock answers within `Error400`,
    /// as for a body over the limit.
    pub fn refused(status: StatusCode) -> Self {
        use crate::mock::transport::{MAX_HEADERS, MAX_HEAD_BYTES, MAX_URI_LEN};
        match status {
            StatusCode::URI_TOO_LONG => Self::invalid(
                ErrorLocation::Path,
                "",
                "string_too_long",
                &format!("The request URI exceeds {MAX_URI_LEN} bytes"),
            ),
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => Self::invalid(
                ErrorLocation::Header,
                "",
                "value_error",
                &format!(
                    "The request headers exceed {MAX_HEAD_BYTES} bytes or {MAX_HEADERS} headers"
                ),
            ),
            _ => Self::invalid(
                ErrorLocation::Header,
                "",
                "value_error",
                "The request could not be parsed as HTTP/1.1",
            ),
        }
    }

    /// 500 `server_error`: what the `gr4vy-not-found-answered-500` fault answers.
    pub fn server_error() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            code::SERVER_ERROR,
            "Request could not be processed",
        )
    }
}
