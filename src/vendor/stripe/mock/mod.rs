//! The Stripe half of the mock: the HTTP layer (routing, auth, idempotency, headers, error
//! envelope) over [`store::Store`].
//!
//! Routing is done here rather than by axum's router so that every answer — an unknown path,
//! a wrong method, a body over the limit — comes in Stripe's error envelope.

mod faults;
mod error;
mod model;
pub mod param_kinds;
pub mod param_table;
mod params;
mod rules;
mod store;
pub mod versions;

/// The documented limits the mock enforces (tests take them from here instead of repeating them).
pub use faults::StripeFault;
pub use rules::{
    ADJUSTABLE_MAXIMUM, DISPLAY_NAME_MAX, IMAGES_MAX, METADATA_KEY_MAX, METADATA_MAX_KEYS,
    METADATA_VALUE_MAX, SHIPPING_OPTIONS_MAX, UNIT_LABEL_MAX,
};

pub use error::{echo, MockError, ECHO_MAX};
pub use param_kinds::overlay;

use crate::mock::Faults;
use crate::vendor::stripe::form::{self, FormValue};
use crate::vendor::stripe::wire::{ErrorEnvelope, API_VERSION};
use axum::body::Bytes;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use serde_json::Value;
use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

/// The largest request body the mock reads (1 MiB); larger ones are answered 413.
pub const MAX_BODY: usize = 1024 * 1024;
/// Stripe's limit on `Idempotency-Key`.
pub const IDEMPOTENCY_KEY_MAX: usize = 255;
/// How many idempotent responses are remembered before the oldest are forgotten.
const IDEMPOTENCY_CAPACITY: usize = 100_000;

/// A remembered answer to an idempotent request.
struct Replay {
    method: Method,
    path: String,
    body: Bytes,
    status: StatusCode,
    response: Bytes,
    /// How many times it was replayed.
    replays: u32,
}

#[derive(Default)]
struct Idempotency {
    answers: HashMap<(String, String), Replay>,
    order: VecDeque<(String, String)>,
}

/// What routing needs of a request.
#[derive(Clone, Copy)]
struct Request<'a> {
    method: &'a Method,
    path: &'a str,
    query: Option<&'a str>,
    headers: &'a HeaderMap,
    version: &'static str,
}

/// The Stripe mock: its objects, its faults, its accepted key.
pub struct StripeMock {
    store: store::Store,
    faults: Faults,
    /// The API keys accepted (none given: any test-mode key).
    api_keys: Vec<String>,
    idempotency: Mutex<Idempotency>,
}

/// An answer before faults and headers: status and JSON body.
type Answer = Result<(StatusCode, Value), MockError>;

/// A request that passed the checks every request must: its body, its idempotency key, its API
/// version.
type Prepared = (Bytes, Option<String>, &'static str);

impl StripeMock {
    pub fn new(faults: Faults, api_keys: Vec<String>) -> Self {
        StripeMock {
            store: store::Store::default(),
            faults,
            api_keys,
            idempotency: Mutex::default(),
        }
    }

    /// Answers one request. Never panics on anything the client sends.
    pub fn handle(
        &self,
        method: &Method,
        path: &str,
        query: Option<&str>,
        headers: &HeaderMap,
        body: Result<Bytes, MockError>,
    ) -> Response {
        let request_id = model::new_id("req_", 14);
        let mut version = API_VERSION;
        let (status, bytes, replayed) = match self.prepare(method, headers, body) {
            Err(e) => {
                let (status, bytes) = self.render(Err(e));
                (status, bytes, false)
            }
            Ok((body, key, requested)) => {
                version = requested;
                let request = Request {
                    method,
                    path,
                    query,
                    headers,
                    version,
                };
                match key {
                    None => {
                        let (status, bytes) = self.render(self.route(&request, &body));
                        (status, bytes, false)
                    }
                    Some(key) => self.idempotent(&request, body, key),
                }
            }
        };
        let mut response = (status, bytes).into_response();
        *response.headers_mut() = self.headers(&request_id, replayed, version);
        response
    }

    /// The answer to a request the HTTP layer refused before routing it (a URI or headers over
    /// the limit, a malformed head): `status` in Stripe's envelope with the usual headers.
    pub fn refusal(&self, status: StatusCode) -> (StatusCode, HeaderMap, Bytes) {
        let (status, bytes) = self.render(Err(MockError::refused(status)));
        (
            status,
            self.headers(&model::new_id("req_", 14), false, API_VERSION),
            bytes,
        )
    }

    /// The headers of every answer: content type, the API version answered in, `Request-Id`, and
    /// `Idempotent-Replayed` for a replay.
    fn headers(&self, request_id: &str, replayed: bool, version: &'static str) -> HeaderMap {
        let mut out = HeaderMap::with_capacity(4);
        out.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        out.insert("stripe-version", HeaderValue::from_static(version));
        if !self.faults.has(StripeFault::RequestIdMissing) {
            if let Ok(id) = HeaderValue::from_str(request_id) {
                out.insert("request-id", id);
            }
        }
        if replayed {
            out.insert("idempotent-replayed", HeaderValue::from_static("true"));
        }
        out
    }

    /// Checks what every request must satisfy; returns the body, the idempotency key and the
    /// API version ([`versions::requested`]).
    fn prepare(
        &self,
        method: &Method,
        headers: &HeaderMap,
        body: Result<Bytes, MockError>,
    ) -> Result<Prepared, MockError> {
        self.authenticate(headers)?;
        let version = versions::requested(headers)?;
        let body = body?;
        let key = idempotency_key(method, headers)?
            .filter(|_| !self.faults.has(StripeFault::IdempotencyIgnored));
        Ok((body, key, version))
    }

    /// Runs a request that carries an `Idempotency-Key`: the first answer for the key is
    /// remembered (unless it is a 5xx) and replayed for the same request; the same key with
    /// another request is an `idempotency_error`.
    fn idempotent(
        &self,
        request: &Request<'_>,
        body: Bytes,
        key: String,
    ) -> (StatusCode, Bytes, bool) {
        let Request { method, path, .. } = *request;
        let scope = (api_key(request.headers).unwrap_or_default(), key);
        {
            let mut memory = self.idempotency.lock().unwrap_or_else(|p| p.into_inner());
            let once = self.faults.has(StripeFault::IdempotencyReplayedOnce);
            if let Some(replay) = memory.answers.get_mut(&scope) {
                let same = replay.method == method && replay.path == path && replay.body == body;
                if !same {
                    let (status, bytes) = self.render(Err(MockError::idempotency_mismatch()));
                    return (status, bytes, false);
                }
                // The fault: a second replay runs the request again (below).
                if !(once && replay.replays >= 1) {
                    replay.replays += 1;
                    return (replay.status, replay.response.clone(), true);
                }
            }
        }
        let (status, response) = self.render(self.route(request, &body));
        if !status.is_server_error() {
            let mut memory = self.idempotency.lock().unwrap_or_else(|p| p.into_inner());
            if memory.order.len() >= IDEMPOTENCY_CAPACITY {
                if let Some(oldest) = memory.order.pop_front() {
                    memory.answers.remove(&oldest);
                }
            }
            memory.order.push_back(scope.clone());
            let replay = Replay {
                method: method.clone(),
                path: path.to_owned(),
                body,
                status,
                response: response.clone(),
                replays: 0,
            };
            memory.answers.insert(scope, replay);
        }
        (status, response, false)
    }

    fn route(&self, request: &Request<'_>, body: &[u8]) -> Answer {
        let Request {
            method,
            path,
            query,
            headers,
            version,
        } = *request;
        let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        let faults = self.faults;
        let params = || -> Result<FormValue, MockError> {
            let json = headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("application/json"));
            if json && !body.is_empty() {
                return Err(MockError::state("Stripe's API takes form-encoded bodies (application/x-www-form-urlencoded), not JSON."));
            }
            Ok(form::decode(body)?)
        };
        let query = || -> Result<FormValue, MockError> {
            Ok(form::decode(query.unwrap_or("").as_bytes())?)
        };
        let store = &self.store;
        let value = match (method, segments.as_slice()) {
            (&Method::POST, ["v1", "checkout", "sessions"]) => {
                store.create_session(&params()?, faults, version)
            }
            (&Method::GET, ["v1", "checkout", "sessions", id]) => {
                store.session(id, &query()?, faults)
            }
            (&Method::POST, ["v1", "checkout", "sessions", id]) => {
                let params = params()?;
                let keys = params.as_map().into_iter().flat_map(|m| m.keys());
                if let Some(key) = versions::missing_update_param(version, keys.map(String::as_str))
                {
                    return Err(MockError::unknown(key));
                }
                store.update_session(id, &params, faults)
            }
            (&Method::GET, ["v1", "checkout", "sessions", id, "line_items"]) => {
                store.line_items(id, &query()?, faults)
            }
            (&Method::POST, ["v1", "checkout", "sessions", id, "expire"]) => {
                store.expire_session(id, &params()?, faults)
            }
            (&Method::GET, ["v1", "checkout", "sessions"]) => store.sessions(&query()?, faults),
            (&Method::POST, ["v1", "products"]) => store.create_product(&params()?, faults),
            (&Method::GET, ["v1", "products"]) => store.products(&query()?, faults),
            (&Method::GET, ["v1", "products", id]) => store.product(id),
            (&Method::POST, ["v1", "products", id]) => store.update_product(id, &params()?, faults),
            (&Method::POST, ["v1", "tax_rates"]) => store.create_tax_rate(&params()?, faults),
            (&Method::GET, ["v1", "tax_rates", id]) => store.tax_rate(id),
            (&Method::POST, ["v1", "prices"]) => store.create_price(&params()?, faults),
            (&Method::GET, ["v1", "prices", id]) => store.price(id),
            (&Method::POST, ["v1", "shipping_rates"]) => {
                store.create_shipping_rate(&params()?, faults)
            }
            (&Method::GET, ["v1", "shipping_rates", id]) => store.shipping_rate(id),
            _ => Err(MockError::unrecognized_url(method.as_str(), path)),
        };
        value.map(|mut v| {
            versions::render(version, &mut v);
            (StatusCode::OK, v)
        })
    }

    /// Applies the response faults and serializes.
    fn render(&self, answer: Answer) -> (StatusCode, Bytes) {
        let faults = self.faults;
        let (status, mut body) = match answer {
            Ok((status, body)) => (status, body),
            Err(e) => {
                let not_found = e.status == StatusCode::NOT_FOUND
                    && e.error.code.as_deref() == Some("resource_missing");
                if not_found && faults.has(StripeFault::NotFoundAnswered500) {
                    let body = serde_json::json!({"error": {"type": "api_error", "message": "An unknown error occurred."}});
                    return (
                        StatusCode::INTERNAL_SERVER_ERROR,
                        Bytes::from(body.to_string()),
                    );
                }
                let mut body =
                    serde_json::to_value(ErrorEnvelope { error: e.error }).unwrap_or(Value::Null);
                if let Some(error) = body.get_mut("error").and_then(Value::as_object_mut) {
                    if faults.has(StripeFault::ErrorWithoutType) {
                        error.remove("type");
                    }
                    if faults.has(StripeFault::ErrorWithoutParam) {
                        error.remove("param");
                    }
                }
                (e.status, body)
            }
        };
        if status.is_success() && faults.has(StripeFault::MissingObjectField) {
            if let Some(object) = body.as_object_mut() {
                object.remove("object");
            }
        }
        (status, to_bytes(&body))
    }

    fn authenticate(&self, headers: &HeaderMap) -> Result<(), MockError> {
        if self.faults.has(StripeFault::AuthUnchecked) {
            return Ok(());
        }
        let Some(key) = api_key(headers) else {
            return Err(MockError::unauthorized(
                "You did not provide an API key. Provide it as `Authorization: Bearer sk_test_...` or as the user of HTTP Basic auth.",
            ));
        };
        if !(key.starts_with("sk_test_") || key.starts_with("rk_test_"))
            || key.len() <= "sk_test_".len()
        {
            return Err(MockError::unauthorized("Invalid API Key provided: the mock accepts test-mode keys (sk_test_..., rk_test_...) only."));
        }
        if !self.api_keys.is_empty() && !self.api_keys.contains(&key) {
            return Err(MockError::unauthorized("Invalid API Key provided."));
        }
        Ok(())
    }
}

/// What `checkout-conformance mock` prints when it accepts any test-mode key: such a target
/// cannot reject an invalid key, so the suite's scenario that sends one fails against it.
pub const ANY_KEY_NOTICE: &str = "accepting any test-mode API key (sk_test_…, rk_test_…): to run the suite against this mock, start it with --api-key KEY and give the run that key (otherwise the scenario sending an invalid key fails, and so does explore's authentication probe)";

impl crate::mock::VendorMock for StripeMock {
    fn max_body(&self) -> usize {
        MAX_BODY
    }

    fn handle(&self, request: &axum::http::request::Parts, body: Option<Bytes>) -> Response {
        StripeMock::handle(
            self,
            &request.method,
            request.uri.path(),
            request.uri.query(),
            &request.headers,
            body.ok_or_else(|| MockError::too_large(MAX_BODY)),
        )
    }

    fn refusal(&self, status: StatusCode) -> (StatusCode, HeaderMap, Bytes) {
        StripeMock::refusal(self, status)
    }

    fn notices(&self) -> Vec<String> {
        if self.api_keys.is_empty() {
            vec![ANY_KEY_NOTICE.to_owned()]
        } else {
            Vec::new()
        }
    }
}

/// Compact JSON, as `Value::to_string` writes it, but through a per-thread buffer that keeps its
/// capacity: no `fmt` layer and no regrowing on the hot path, and the answer (which the
/// idempotency memory may keep) is allocated at its exact size.
fn to_bytes(body: &Value) -> Bytes {
    thread_local! {
        static BUFFER: RefCell<Vec<u8>> = RefCell::new(Vec::with_capacity(8192));
    }
    BUFFER.with_borrow_mut(|out| {
        out.clear();
        let bytes = match serde_json::to_writer(&mut *out, body) {
            Ok(()) => Bytes::copy_from_slice(out),
            // Writing a `Value` cannot fail (its keys are strings); keep the old path anyway.
            Err(_) => Bytes::from(body.to_string()),
        };
        if out.capacity() > MAX_BODY {
            *out = Vec::with_capacity(8192);
        }
        bytes
    })
}

/// The API key of the request: `Authorization: Bearer KEY` or Basic with KEY as user.
fn api_key(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, credentials) = value.split_once(' ')?;
    match scheme.to_ascii_lowercase().as_str() {
        "bearer" => Some(credentials.trim().to_owned()),
        "basic" => {
            let decoded = base64::engine::general_purpose::STANDARD
                .decode(credentials.trim())
                .ok()?;
            let text = String::from_utf8(decoded).ok()?;
            Some(
                text.split_once(':')
                    .map_or(text.as_str(), |(user, _)| user)
                    .to_owned(),
            )
        }
        _ => None,
    }
    .filter(|k| !k.is_empty())
}

fn idempotency_key(method: &Method, headers: &HeaderMap) -> Result<Option<String>, MockError> {
    if method != Method::POST {
        return Ok(None);
    }
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    let key = value
        .to_str()
        .map_err(|_| MockError::header("Idempotency-Key must be printable ASCII."))?;
    if key.is_empty() || key.len() > IDEMPOTENCY_KEY_MAX {
        return Err(MockError::header(format!(
            "Idempotency-Key must be 1 to {IDEMPOTENCY_KEY_MAX} characters long."
        )));
    }
    Ok(Some(key.to_owned()))
}
