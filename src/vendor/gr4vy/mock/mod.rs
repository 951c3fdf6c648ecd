//! The Gr4vy half of the mock: `POST /checkout/sessions`, `GET`, `PUT` and
//! `DELETE /checkout/sessions/{session_id}`, as Gr4vy's OpenAPI 3.1 spec
//! ([`crate::vendor::gr4vy::wire::SPEC_COMMIT`]) and its documentation page describe them.
//!
//! Every request goes through the same steps, in FastAPI's order (the framework Gr4vy's API is
//! built on): route (unknown path 404, other method 405) → bearer token (401) and scope (403,
//! see [`auth`]) → path parameter, headers and body validated together (400 listing every
//! failure in `details`) → the operation (404 for an unknown session). Every answer carries
//! `content-type: application/json` (a `204` has no body); errors are in Gr4vy's envelope
//! ([`crate::vendor::gr4vy::wire::ErrorEnvelope`]) and never 5xx. The spec names no request-id header,
//! so none is sent.
//!
//! # 400, not 422
//!
//! The spec lists both `400` (`Error400`, "The request was invalid.", example message "Request
//! failed validation", with `details` of `ErrorDetail` — `location` `body`/`path`/`header`/
//! `query`, a JSON `pointer`, a pydantic error `type` such as `value_error`) and `422`
//! (`HTTPValidationError`, the body FastAPI declares on every operation by default). The
//! `ErrorDetail` schema exists to report request validation in Gr4vy's own envelope (its
//! locations are those of request validation), so validation failures — malformed JSON, wrong
//! types, broken rules, a non-UUID session id — are answered `400 bad_request`; `422` is what
//! not a deviation (the spec lists it), so no fault answers it; the suite accepts both.
//!
//! # Documentation and spec
//!
//! Where they disagree, the documentation page wins:
//! - the path parameter is `checkout_session_id` on the page, `session_id` in the spec: a
//!   non-UUID id is reported with `pointer` [`PATH_PARAMETER`] (`checkout_session_id`);
//! - `expires_at` is written with a `+00:00` offset, as in the page's example.
//!
//! (The page's example also spells `payment_method.type` `payment_method` where the spec has the
//! constant `payment-method`; the mock never has a payment method to show — `payment_method` is
//! always `null` — so the difference cannot surface.)
//!
//! Where the page is silent (it lists `cart_items`, `metadata` and `airline` only), the spec
//! decides: `buyer` and the `x-gr4vy-docs-ignore` properties are accepted and validated;
//! `metadata: null` and `airline: null` are allowed (`anyOf [T, null]`) and clear the property.

pub mod auth;
mod faults;
mod error;
pub mod formats;
pub mod keys;
mod schema;
mod store;

/// The spec's limits the mock enforces (tests take them from here instead of repeating them).
pub use faults::Gr4vyFault;
pub use schema::{AIRLINE_ITEMS_MAX, AMOUNT_MAX};
mod validate;

pub use error::Gr4vyError;

use crate::mock::Faults;
use crate::vendor::gr4vy::wire::{
    ErrorDetail, ErrorLocation, MERCHANT_ACCOUNT_HEADER, SCOPE_READ, SCOPE_WRITE,
};
use axum::body::Bytes;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use error::detail;
use serde_json::{Map, Value};
use validate::Validator;

/// The largest request body the mock reads (1 MiB); larger ones are answered 400 (the spec lists
/// no 413).
pub const MAX_BODY: usize = 1024 * 1024;
/// The name the documentation gives the path parameter (the spec calls it `session_id`): the
/// `pointer` of a non-UUID id.
pub const PATH_PARAMETER: &str = "checkout_session_id";
/// The merchant account of a request without `x-gr4vy-merchant-account-id`.
pub const DEFAULT_MERCHANT_ACCOUNT: &str = "default";

/// Whether a request path belongs to the Gr4vy half of the mock.
///
/// ```
/// use checkout_conformance::vendor::gr4vy::mock::serves;
/// assert!(serves("/checkout/sessions"));
/// assert!(!serves("/v1/checkout/sessions"));
/// ```
pub fn serves(path: &str) -> bool {
    path.starts_with("/checkout/")
}

/// The Gr4vy mock: its sessions, its faults, the keys tokens must be signed with.
pub struct Gr4vyMock {
    store: store::Store,
    faults: Faults,
    keys: keys::TrustedKeys,
}

/// What `checkout-conformance mock` prints when no `--gr4vy-public-key` is given: tokens are
/// checked for structure, expiry and scopes, but anyone's signature passes.
pub const ANY_SIGNATURE_NOTICE: &str = "Gr4vy: no --gr4vy-public-key given: tokens are checked for structure (ES512, 132-byte signature), expiry and scopes, but their signatures are not verified";

impl crate::mock::VendorMock for Gr4vyMock {
    fn max_body(&self) -> usize {
        MAX_BODY
    }

    fn handle(&self, request: &axum::http::request::Parts, body: Option<Bytes>) -> Response {
        Gr4vyMock::handle(
            self,
            &request.method,
            request.uri.path(),
            &request.headers,
            body.ok_or_else(|| Gr4vyError::too_large(MAX_BODY)),
        )
    }

    fn refusal(&self, status: StatusCode) -> (StatusCode, HeaderMap, Bytes) {
        Gr4vyMock::refusal(self, status)
    }

    fn notices(&self) -> Vec<String> {
        if self.keys.is_empty() {
            return vec![ANY_SIGNATURE_NOTICE.to_owned()];
        }
        self.keys
            .kids()
            .map(|kid| format!("Gr4vy: trusting the key with kid {kid}"))
            .collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Create,
    Get,
    Update,
    Delete,
}

/// An answer before faults and headers: status and JSON body (`None`: no body).
type Answer = Result<(StatusCode, Option<Value>), Gr4vyError>;

impl Gr4vyMock {
    /// A mock with `faults`; with `keys`, token signatures are verified too.
    pub fn new(faults: Faults, keys: keys::TrustedKeys) -> Self {
        Gr4vyMock {
            store: store::Store::default(),
            faults,
            keys,
        }
    }

    /// Answers one request. Never panics on anything the client sends.
    pub fn handle(
        &self,
        method: &Method,
        path: &str,
        headers: &HeaderMap,
        body: Result<Bytes, Gr4vyError>,
    ) -> Response {
        let (status, bytes) = self.render(self.route(method, path, headers, body));
        let mut response = (status, bytes).into_response();
        *response.headers_mut() = answer_headers();
        response
    }

    /// The answer to a request the HTTP layer refused before routing it (a URI or headers over
    /// the limit, a malformed head): `400 bad_request` in Gr4vy's envelope, as for a body over
    /// the limit (the spec lists no 414 or 431).
    pub fn refusal(&self, status: StatusCode) -> (StatusCode, HeaderMap, Bytes) {
        let (status, bytes) = self.render(Err(Gr4vyError::refused(status)));
        (status, answer_headers(), Bytes::from(bytes))
    }

    fn route(
        &self,
        method: &Method,
        path: &str,
        headers: &HeaderMap,
        body: Result<Bytes, Gr4vyError>,
    ) -> Answer {
        let faults = self.faults;
        let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        let (op, id) = match segments.as_slice() {
            ["checkout", "sessions"] => match *method {
                Method::POST => (Op::Create, None),
                _ => return Err(Gr4vyError::method_not_allowed()),
            },
            ["checkout", "sessions", id] if !id.is_empty() => match *method {
                Method::GET => (Op::Get, Some(*id)),
                Method::PUT => (Op::Update, Some(*id)),
                Method::DELETE => (Op::Delete, Some(*id)),
                _ => return Err(Gr4vyError::method_not_allowed()),
            },
            _ => return Err(Gr4vyError::unknown_route()),
        };
        let scope = if op == Op::Get {
            SCOPE_READ
        } else {
            SCOPE_WRITE
        };
        auth::authorize(headers, scope, &self.keys, faults)?;
        let body = body?;

        // Parameters and body are validated together; every failure is reported.
        let mut details = Vec::new();
        let merchant_account = match headers.get(MERCHANT_ACCOUNT_HEADER) {
            None => DEFAULT_MERCHANT_ACCOUNT.to_owned(),
            Some(value) => match value.to_str() {
                Ok(value) => value.to_owned(),
                Err(_) => {
                    details.push(detail(
                        ErrorLocation::Header,
                        MERCHANT_ACCOUNT_HEADER,
                        "string_type",
                        "Input should be a valid string",
                    ));
                    String::new()
                }
            },
        };
        if let Some(id) = id {
            if !formats::is_uuid(id) && !faults.has(Gr4vyFault::NonUuidAccepted) {
                details.push(detail(
                    ErrorLocation::Path,
                    PATH_PARAMETER,
                    "uuid_parsing",
                    "Input should be a valid UUID",
                ));
            }
        }
        let mut failures = details.len();
        let mut update = Map::new();
        if matches!(op, Op::Create | Op::Update) {
            match parse_body(headers, &body, op == Op::Update) {
                Err(e) => {
                    failures += e.len();
                    details.extend(e);
                }
                Ok(None) => {}
                Ok(Some(map)) => {
                    let (clean, body_failures, body_details) = self.validate(&map);
                    update = clean;
                    failures += body_failures;
                    details.extend(body_details);
                }
            }
        }
        if failures > 0 {
            let path_ok = !details.iter().any(|d| d.location != ErrorLocation::Body);
            if op == Op::Update && path_ok && faults.has(Gr4vyFault::PartialUpdate) {
                if let Some(id) = id {
                    let _ = self.store.update(id, &merchant_account, update, faults);
                }
            }
            details.truncate(validate::MAX_DETAILS);
            return Err(Gr4vyError::validation(details));
        }

        let store = &self.store;
        match (op, id) {
            (Op::Create, _) => Ok((
                StatusCode::CREATED,
                Some(store.create(update, &merchant_account, faults)),
            )),
            (Op::Get, Some(id)) => Ok((
                StatusCode::OK,
                Some(store.get(id, &merchant_account, faults)?),
            )),
            (Op::Update, Some(id)) => Ok((
                StatusCode::OK,
                Some(store.update(id, &merchant_account, update, faults)?),
            )),
            (Op::Delete, Some(id)) => {
                store.delete(id, &merchant_account, faults)?;
                Ok((StatusCode::NO_CONTENT, None))
            }
            _ => Err(Gr4vyError::unknown_route()),
        }
    }

    /// Validates a body against `CheckoutSessionUpdate`: the properties that validated (for
    /// the `gr4vy-partial-update` fault; a rejected update applies none), the number of
    /// failures and their details.
    fn validate(&self, body: &Map<String, Value>) -> (Map<String, Value>, usize, Vec<ErrorDetail>) {
        let mut validator = Validator::new(self.faults);
        let mut clean = Map::new();
        validator.properties(
            &schema::CHECKOUT_SESSION_UPDATE,
            body,
            "",
            |field, value, ok| {
                if ok {
                    clean.insert(field.name.to_owned(), value);
                }
            },
        );
        let failures = validator.failures();
        (clean, failures, validator.into_details())
    }

    /// Applies the response faults and serializes.
    fn render(&self, answer: Answer) -> (StatusCode, Vec<u8>) {
        let faults = self.faults;
        let mut e = match answer {
            Ok((status, Some(body))) => return (status, body.to_string().into_bytes()),
            Ok((status, None)) => return (status, Vec::new()),
            Err(e) => e,
        };
        if e.session_missing && faults.has(Gr4vyFault::NotFoundAnswered500) {
            e = Gr4vyError::server_error();
        }
        if faults.has(Gr4vyFault::ErrorDetailsEmpty) {
            e.envelope.details.clear();
        }
        let mut body = serde_json::to_value(&e.envelope).unwrap_or(Value::Null);
        if let Some(object) = body.as_object_mut() {
            if faults.has(Gr4vyFault::ErrorWithoutType) {
                object.remove("type");
            }
            if faults.has(Gr4vyFault::ErrorWithoutCode) {
                object.remove("code");
            }
        }
        (e.status, body.to_string().into_bytes())
    }
}

/// The headers of every answer: `content-type: application/json` (the spec names no request id).
fn answer_headers() -> HeaderMap {
    let mut out = HeaderMap::with_capacity(1);
    out.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    out
}

/// The JSON object of a request body. `Ok(None)`: no session data where none is required
/// (`POST`, whose spec body is `anyOf [CheckoutSessionUpdate, array of BaseModel, null]`): no
/// body, `null`, or an array of `BaseModel`s — objects with no properties and
/// `additionalProperties: false`, so `[]` or `[{}, {}]`; each other element is reported (see
/// schemas/gr4vy/DERIVATION.md, "The create body").
fn parse_body(
    headers: &HeaderMap,
    body: &[u8],
    required: bool,
) -> Result<Option<Map<String, Value>>, Vec<ErrorDetail>> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return if required {
            Err(vec![detail(
                ErrorLocation::Body,
                "",
                "missing",
                "Field required",
            )])
        } else {
            Ok(None)
        };
    }
    if let Some(content_type) = headers.get(header::CONTENT_TYPE) {
        let json = content_type.to_str().is_ok_and(|ct| {
            let mime = ct
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            mime == "application/json"
                || (mime.starts_with("application/") && mime.ends_with("+json"))
        });
        if !json {
            return Err(vec![detail(
                ErrorLocation::Header,
                "content-type",
                "value_error",
                "The body must be JSON (content-type: application/json)",
            )]);
        }
    }
    match serde_json::from_slice::<Value>(body) {
        Err(e) => Err(vec![detail(
            ErrorLocation::Body,
            "",
            "json_invalid",
            format!("JSON decode error: {e}"),
        )]),
        Ok(Value::Object(map)) => Ok(Some(map)),
        Ok(Value::Null) if !required => Ok(None),
        Ok(Value::Array(items)) if !required => {
            let failures = base_models(&items);
            if failures.is_empty() {
                Ok(None)
            } else {
                Err(failures)
            }
        }
        Ok(_) => Err(vec![detail(
            ErrorLocation::Body,
            "",
            "model_attributes_type",
            "Input should be a valid dictionary or object to extract fields from",
        )]),
    }
}

/// What is wrong with the elements of an array body: each must be a `BaseModel` (an object
/// with no properties and `additionalProperties: false`, i.e. `{}`).
fn base_models(items: &[Value]) -> Vec<ErrorDetail> {
    let mut failures = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match item {
            Value::Object(map) => failures.extend(map.keys().map(|key| {
                detail(
                    ErrorLocation::Body,
                    validate::child(&format!("/{i}"), key),
                    "extra_forbidden",
                    "Extra inputs are not permitted",
                )
            })),
            _ => failures.push(detail(
                ErrorLocation::Body,
                format!("/{i}"),
                "model_type",
                "Input should be a valid dictionary or instance of BaseModel",
            )),
        }
        if failures.len() >= validate::MAX_DETAILS {
            break;
        }
    }
    failures
}
