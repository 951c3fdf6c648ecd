//! The HTTP client the suite talks to a target with (reqwest over rustls).
//!
//! Every call returns an [`Exchange`] — the request as sent (secrets redacted), the status, the
//! JSON body, the target's `Request-Id` — or a [`ClientError`] that says the target could not be
//! reached, which is an infrastructure problem and never a contract failure.
//!
//! ```no_run
//! use checkout_conformance::client::{Client, ClientConfig, Secret};
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::new(ClientConfig::stripe("http://127.0.0.1:12111", Secret::new("sk_test_123456789")))?;
//! let exchange = client.post_form("/v1/checkout/sessions/cs_test_1", &serde_json::json!({"metadata": {"order_id": "6735"}})).await?;
//! println!("{} {}", exchange.status, exchange.request_id.unwrap_or_default());
//! # Ok(()) }
//! ```

pub mod jwt;
mod secret;

pub use secret::Secret;

use crate::wire::form;
use crate::wire::stripe::API_VERSION;
use serde_json::Value;
use std::fmt::Write as _;
use std::time::{Duration, Instant};

/// Where and how to talk to a target.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// Base URL, e.g. `https://api.stripe.com` or `http://127.0.0.1:12111`.
    pub base_url: String,
    /// The API key or token, sent as `Authorization: Bearer`.
    pub api_key: Secret,
    /// Headers sent on every request, e.g. `Stripe-Version`.
    pub headers: Vec<(String, String)>,
    /// How long one request may take.
    pub timeout: Duration,
}

impl ClientConfig {
    /// A Stripe target: `Stripe-Version` pinned to [`API_VERSION`], a 30 s timeout.
    ///
    /// ```
    /// use checkout_conformance::client::{ClientConfig, Secret};
    /// let config = ClientConfig::stripe("https://api.stripe.com", Secret::new("sk_test_123456789"));
    /// assert_eq!(config.headers, vec![("stripe-version".to_owned(), "2026-07-29.dahlia".to_owned())]);
    /// ```
    pub fn stripe(base_url: impl Into<String>, api_key: Secret) -> Self {
        ClientConfig {
            headers: vec![("stripe-version".to_owned(), API_VERSION.to_owned())],
            ..Self::bearer(base_url, api_key)
        }
    }

    /// A target authenticated with `Authorization: Bearer`, no other header, a 30 s timeout.
    pub fn bearer(base_url: impl Into<String>, token: Secret) -> Self {
        ClientConfig {
            base_url: base_url.into(),
            api_key: token,
            headers: Vec::new(),
            timeout: Duration::from_secs(30),
        }
    }
}

/// What a request carries.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// Nothing (GET, DELETE).
    Empty,
    /// A form body, already encoded (Stripe).
    Form(String),
    /// A JSON body (Gr4vy).
    Json(Value),
}

impl Body {
    /// The body as it travels, for logs and failure messages.
    pub fn text(&self) -> String {
        match self {
            Body::Empty => String::new(),
            Body::Form(text) => text.clone(),
            Body::Json(value) => value.to_string(),
        }
    }
}

/// Why a request got no HTTP answer (or no readable one). Never a contract failure.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The base URL is not an absolute http(s) URL.
    #[error("invalid base URL `{url}`: {reason}")]
    InvalidBaseUrl { url: String, reason: String },
    /// Connection refused, DNS failure, reset: the target could not be reached.
    #[error("cannot reach {url}: {reason}")]
    Unreachable { url: String, reason: String },
    /// No answer within the timeout.
    #[error("no answer from {url} within {timeout:?}")]
    Timeout { url: String, timeout: Duration },
    /// The HTTP client could not be built (TLS set-up).
    #[error("cannot build the HTTP client: {0}")]
    Setup(String),
}

/// One request and its answer.
#[derive(Debug, Clone)]
pub struct Exchange {
    /// `GET`, `POST`, …
    pub method: String,
    /// Path and query, e.g. `/v1/checkout/sessions/cs_test_1`.
    pub path: String,
    /// The form body as sent (no secrets: the key travels in a header).
    pub request_body: String,
    /// HTTP status.
    pub status: u16,
    /// The target's `Request-Id` header.
    pub request_id: Option<String>,
    /// The body as JSON (`Value::String` of the raw text when it is not JSON).
    pub body: Value,
    /// Whether the body parsed as JSON.
    pub body_is_json: bool,
    /// How long the exchange took.
    pub elapsed: Duration,
}

impl Exchange {
    /// The request and the answer's identity, for failure messages:
    /// `POST /v1/… with <body> -> 400 (Request-Id req_…)`.
    ///
    /// ```
    /// # use checkout_conformance::client::Exchange;
    /// let e = Exchange { method: "POST".into(), path: "/v1/x".into(), request_body: "a=1".into(), status: 400,
    ///     request_id: Some("req_1".into()), body: serde_json::Value::Null, body_is_json: true, elapsed: Default::default() };
    /// assert_eq!(e.describe(), "POST /v1/x\n  body: a=1\n  -> 400 (Request-Id req_1)");
    /// ```
    pub fn describe(&self) -> String {
        let mut out = format!("{} {}", self.method, self.path);
        if !self.request_body.is_empty() {
            let _ = write!(out, "\n  body: {}", self.request_body);
        }
        let _ = write!(
            out,
            "\n  -> {} (Request-Id {})",
            self.status,
            self.request_id.as_deref().unwrap_or("none")
        );
        out
    }
}

/// A client for one target.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    base: reqwest::Url,
    config: ClientConfig,
    /// The key sent; `None` sends no `Authorization` (to check that the target refuses).
    auth: Option<Secret>,
    idempotency_key: Option<String>,
}

impl Client {
    /// Checks the base URL and builds the client.
    pub fn new(config: ClientConfig) -> Result<Client, ClientError> {
        let invalid = |reason: &str| ClientError::InvalidBaseUrl {
            url: config.base_url.clone(),
            reason: reason.to_owned(),
        };
        let base = reqwest::Url::parse(&config.base_url).map_err(|e| invalid(&e.to_string()))?;
        if !matches!(base.scheme(), "http" | "https") || base.host_str().is_none() {
            return Err(invalid("expected http:// or https:// and a host"));
        }
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .pool_max_idle_per_host(64)
            .build()
            .map_err(|e| ClientError::Setup(e.to_string()))?;
        let auth = Some(config.api_key.clone());
        Ok(Client {
            http,
            base,
            config,
            auth,
            idempotency_key: None,
        })
    }

    /// The same client (same connection pool) sending another key, or none.
    pub fn with_api_key(&self, key: Option<Secret>) -> Client {
        Client {
            auth: key,
            ..self.clone()
        }
    }

    /// The same client sending `Idempotency-Key: key` on every POST.
    pub fn with_idempotency_key(&self, key: &str) -> Client {
        Client {
            idempotency_key: Some(key.to_owned()),
            ..self.clone()
        }
    }

    /// The base URL, as given.
    pub fn base_url(&self) -> &str {
        &self.config.base_url
    }

    /// The API key (masked when printed).
    pub fn api_key(&self) -> &Secret {
        &self.config.api_key
    }

    /// `GET path`.
    pub async fn get(&self, path: &str) -> Result<Exchange, ClientError> {
        self.send("GET", path, Body::Empty).await
    }

    /// `POST path` with JSON parameters, form-encoded with Stripe's bracket notation.
    pub async fn post_form(&self, path: &str, params: &Value) -> Result<Exchange, ClientError> {
        self.send("POST", path, Body::Form(form::encode_json(params)))
            .await
    }

    /// `POST path` with a body already form-encoded.
    pub async fn post_raw(&self, path: &str, body: String) -> Result<Exchange, ClientError> {
        self.send("POST", path, Body::Form(body)).await
    }

    /// Any method with any body: `GET`, `POST`, `PUT`, `DELETE`.
    pub async fn send(
        &self,
        method: &str,
        path: &str,
        body: Body,
    ) -> Result<Exchange, ClientError> {
        let url = self.url(path);
        let method_value =
            reqwest::Method::from_bytes(method.as_bytes()).unwrap_or(reqwest::Method::GET);
        let mut request = self.http.request(method_value, url.clone());
        request = match &body {
            Body::Empty => request,
            Body::Form(text) => request
                .header("content-type", "application/x-www-form-urlencoded")
                .body(text.clone()),
            Body::Json(value) => request
                .header("content-type", "application/json")
                .body(value.to_string()),
        };
        for (name, value) in &self.config.headers {
            request = request.header(name, value);
        }
        if let Some(key) = &self.auth {
            request = request.bearer_auth(key.expose());
        }
        if let (Some(key), "POST" | "PUT") = (&self.idempotency_key, method) {
            request = request.header("idempotency-key", key);
        }
        let sent = self.config.api_key.redact(&body.text());
        let started = Instant::now();
        let shown = self.config.api_key.redact(url.as_str());
        let response = request
            .send()
            .await
            .map_err(|e| self.transport(&shown, e))?;
        let status = response.status().as_u16();
        let request_id = response
            .headers()
            .get("request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let text = response
            .text()
            .await
            .map_err(|e| self.transport(&shown, e))?;
        let (body, body_is_json) = match serde_json::from_str(&text) {
            Ok(json) => (json, true),
            Err(_) => (Value::String(self.config.api_key.redact(&text)), false),
        };
        Ok(Exchange {
            method: method.to_owned(),
            path: path.to_owned(),
            request_body: sent,
            status,
            request_id,
            body,
            body_is_json,
            elapsed: started.elapsed(),
        })
    }

    fn url(&self, path: &str) -> reqwest::Url {
        let mut url = self.base.clone();
        let base_path = url.path().trim_end_matches('/').to_owned();
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        url.set_path(&format!("{base_path}{path}"));
        url.set_query((!query.is_empty()).then_some(query));
        url
    }

    fn transport(&self, url: &str, error: reqwest::Error) -> ClientError {
        if error.is_timeout() {
            return ClientError::Timeout {
                url: url.to_owned(),
                timeout: self.config.timeout,
            };
        }
        // The innermost cause says what happened (connection refused, reset, DNS).
        let mut source: &dyn std::error::Error = &error;
        while let Some(inner) = source.source() {
            source = inner;
        }
        ClientError::Unreachable {
            url: url.to_owned(),
            reason: self.config.api_key.redact(&source.to_string()),
        }
    }
}
