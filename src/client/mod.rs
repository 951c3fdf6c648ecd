//! The HTTP client the suite talks to a target with (reqwest over rustls).
//!
//! Every call returns an [`Exchange`] — the request as sent (secrets redacted), the status, the
//! JSON body, the target's `Request-Id` — or a [`ClientError`] that says the target could not be
//! reached, which is an infrastructure problem and never a contract failure.
//!
//! The client is resilient on its own, so that scenarios never need to be rerun:
//!
//! - **rate limit**: with [`ClientConfig::rate`], every attempt of every clone of a client
//!   (and of the clients derived with [`Client::with_api_key`] and
//!   [`Client::with_idempotency_key`]) waits for a slot of one shared [`RateLimiter`];
//! - **retries**: connection errors, timeouts, 429 and 5xx are retried up to
//!   [`ClientConfig::max_retries`] times with exponential backoff and full jitter
//!   ([`backoff`]); a vendor's retry header (`Stripe-Should-Retry`) is honoured
//!   both ways; a 409 and answers the vendor marks final are never retried ([`RetryHints::should_retry`]). The attempts before the final
//!   one are in [`Exchange::attempts`];
//! - **idempotency**: every POST carries an `Idempotency-Key` (the one given to
//!   [`Client::with_idempotency_key`], else one generated per logical request when
//!   [`ClientConfig::idempotency_keys`] is on), the same on each of its retries.
//!
//! ```no_run
//! use checkout_conformance::client::{Client, ClientConfig, Secret};
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::new(ClientConfig {
//!     rate: Some(20.0),
//!     ..ClientConfig::bearer("http://127.0.0.1:12111", Secret::new("sk_test_123456789"))
//! })?;
//! let exchange = client.post_raw("/v1/checkout/sessions/cs_test_1", "metadata[order_id]=6735".into()).await?;
//! println!("{} {} after {} retries", exchange.status, exchange.request_id.unwrap_or_default(), exchange.attempts.len());
//! # Ok(()) }
//! ```

mod rate;
mod retry;
mod secret;

pub use rate::{InvalidRate, RateLimiter};
pub use retry::{backoff, backoff_ceiling, RetryHints};
pub use secret::{redact_header, Secret};

use serde_json::Value;
use std::fmt::Write as _;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

/// Where and how to talk to a target.
///
/// Build it with [`ClientConfig::bearer`] (a vendor folder adds its own headers and hints, e.g.
/// [`crate::vendor::stripe::client_config`]) and change what differs
/// with struct-update syntax:
///
/// ```
/// use checkout_conformance::client::{ClientConfig, Secret};
/// use std::time::Duration;
/// let config = ClientConfig {
///     rate: Some(20.0),
///     max_retries: 5,
///     backoff_base: Duration::from_millis(10),
///     ..ClientConfig::bearer("https://api.stripe.com", Secret::new("sk_test_123456789"))
/// };
/// assert_eq!(config.backoff_cap, Duration::from_secs(8));
/// ```
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// Base URL, e.g. `https://api.stripe.com` or `http://127.0.0.1:12111`.
    pub base_url: String,
    /// The API key or token, sent as `Authorization: Bearer`.
    pub api_key: Secret,
    /// Headers sent on every request, e.g. `Stripe-Version`.
    pub headers: Vec<(String, String)>,
    /// How long one attempt may take.
    pub timeout: Duration,
    /// At most this many attempts per second, evenly spaced, over all clones of the client;
    /// `None` (the default) does not limit.
    pub rate: Option<f64>,
    /// How many times a failed attempt is retried (default 3: at most 4 attempts).
    pub max_retries: u32,
    /// The backoff ceiling of the first retry, doubled for each next one (default 250 ms).
    pub backoff_base: Duration,
    /// The largest backoff ceiling (default 8 s).
    pub backoff_cap: Duration,
    /// Whether a POST without a key of its own gets a generated `Idempotency-Key` (Stripe: on;
    /// bearer targets: off).
    pub idempotency_keys: bool,
    /// How the vendor says whether an answer may be retried (none: the status decides).
    pub retry_hints: RetryHints,
}

impl ClientConfig {
    /// A target authenticated with `Authorization: Bearer`, no other header, a 30 s timeout,
    /// the default retries (3, backoff 250 ms doubling up to 8 s), no rate limit and no
    /// generated `Idempotency-Key` (Gr4vy's spec lists none for its checkout-session calls).
    ///
    /// ```
    /// use checkout_conformance::client::{ClientConfig, Secret};
    /// use std::time::Duration;
    /// let config = ClientConfig::bearer("https://api.sandbox.acme.gr4vy.app", Secret::new("eyJ.x.y"));
    /// assert_eq!(config.timeout, Duration::from_secs(30));
    /// assert_eq!((config.rate, config.idempotency_keys), (None, false));
    /// ```
    pub fn bearer(base_url: impl Into<String>, token: Secret) -> Self {
        ClientConfig {
            base_url: base_url.into(),
            api_key: token,
            headers: Vec::new(),
            timeout: Duration::from_secs(30),
            rate: None,
            max_retries: 3,
            backoff_base: Duration::from_millis(250),
            backoff_cap: Duration::from_secs(8),
            idempotency_keys: false,
            retry_hints: RetryHints::default(),
        }
    }
}

/// What a request carries.
///
/// ```
/// use checkout_conformance::client::Body;
/// let form = Body::Form("metadata[order_id]=6735".to_owned());
/// assert_eq!(form.text(), "metadata[order_id]=6735");
/// ```
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
    ///
    /// ```
    /// use checkout_conformance::client::Body;
    /// assert_eq!(Body::Json(serde_json::json!({"a": 1})).text(), r#"{"a":1}"#);
    /// assert_eq!(Body::Empty.text(), "");
    /// ```
    pub fn text(&self) -> String {
        match self {
            Body::Empty => String::new(),
            Body::Form(text) => text.clone(),
            Body::Json(value) => value.to_string(),
        }
    }
}

/// Why a request got no HTTP answer (or no readable one). Never a contract failure.
///
/// Messages name the URL (secrets redacted), never a key.
///
/// ```
/// use checkout_conformance::client::ClientError;
/// let error = ClientError::Unreachable {
///     url: "http://127.0.0.1:9/v1/x".into(),
///     reason: "Connection refused (os error 111)".into(),
///     attempts: 4,
/// };
/// assert_eq!(error.to_string(), "cannot reach http://127.0.0.1:9/v1/x after 4 attempts: Connection refused (os error 111)");
/// assert_eq!(error.attempts(), 4);
/// ```
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The base URL is not an absolute http(s) URL.
    #[error("invalid base URL `{url}`: {reason}")]
    InvalidBaseUrl { url: String, reason: String },
    /// Connection refused, DNS failure, reset: the target could not be reached, on any of
    /// `attempts` attempts.
    #[error("cannot reach {url} after {}: {reason}", plural(*attempts))]
    Unreachable {
        url: String,
        reason: String,
        attempts: u32,
    },
    /// No answer within the timeout, on any of `attempts` attempts.
    #[error("no answer from {url} within {timeout:?} after {}", plural(*attempts))]
    Timeout {
        url: String,
        timeout: Duration,
        attempts: u32,
    },
    /// The request could not be built (a method or header value that is not valid HTTP);
    /// never sent, never retried.
    #[error("cannot send a request to {url}: {reason}")]
    Request { url: String, reason: String },
    /// [`ClientConfig::rate`] is not a positive number.
    #[error(transparent)]
    InvalidRate(#[from] InvalidRate),
    /// The HTTP client could not be built (TLS set-up).
    #[error("cannot build the HTTP client: {0}")]
    Setup(String),
}

impl ClientError {
    /// How many attempts were sent before giving up (0 when none could be).
    ///
    /// ```
    /// use checkout_conformance::client::ClientError;
    /// assert_eq!(ClientError::Setup("no TLS".into()).attempts(), 0);
    /// ```
    pub fn attempts(&self) -> u32 {
        match self {
            ClientError::Unreachable { attempts, .. } | ClientError::Timeout { attempts, .. } => {
                *attempts
            }
            _ => 0,
        }
    }
}

fn plural(attempts: u32) -> String {
    if attempts == 1 {
        "1 attempt".to_owned()
    } else {
        format!("{attempts} attempts")
    }
}

/// One attempt that was retried: what it got and how long the client waited before the next.
///
/// ```
/// use checkout_conformance::client::Attempt;
/// use std::time::Duration;
/// let attempt = Attempt { status: Some(503), error: None, request_id: Some("req_1".into()),
///     waited: Duration::from_millis(180), elapsed: Duration::from_millis(40) };
/// assert_eq!(attempt.outcome(), "503 (Request-Id req_1)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    /// The HTTP status, when there was an answer.
    pub status: Option<u16>,
    /// What went wrong when there was no answer (timeout, connection refused or reset).
    pub error: Option<String>,
    /// The answer's `Request-Id` header.
    pub request_id: Option<String>,
    /// The backoff slept after this attempt, before the next one (not counting the wait for
    /// the rate limiter, which is in [`Exchange::queued`]).
    pub waited: Duration,
    /// How long this attempt took.
    pub elapsed: Duration,
}

impl Attempt {
    /// `503 (Request-Id req_1)`, or the error.
    ///
    /// ```
    /// use checkout_conformance::client::Attempt;
    /// let attempt = Attempt { status: None, error: Some("timed out".into()), request_id: None,
    ///     waited: Default::default(), elapsed: Default::default() };
    /// assert_eq!(attempt.outcome(), "timed out");
    /// ```
    pub fn outcome(&self) -> String {
        match (self.status, &self.error) {
            (Some(status), _) => format!(
                "{status} (Request-Id {})",
                self.request_id.as_deref().unwrap_or("none")
            ),
            (None, Some(error)) => error.clone(),
            (None, None) => "no answer".to_owned(),
        }
    }
}

/// One request and its (final) answer.
///
/// ```no_run
/// # async fn demo(client: checkout_conformance::client::Client) -> Result<(), checkout_conformance::client::ClientError> {
/// let exchange = client.get("/v1/checkout/sessions/cs_test_1").await?;
/// if !exchange.attempts.is_empty() {
///     eprintln!("answered {} after {} retries", exchange.status, exchange.attempts.len());
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
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
    /// The body as received (lossy UTF-8; secrets redacted when it is not JSON, as in `body`).
    pub body_text: String,
    /// How long the final attempt took.
    pub elapsed: Duration,
    /// The attempts before the final one, oldest first: empty when the first try was final.
    pub attempts: Vec<Attempt>,
    /// The `Idempotency-Key` sent (the same on every attempt), if any.
    pub idempotency_key: Option<String>,
    /// The credential the request carried (`Authorization`), masked (`sk_test_…4242`);
    /// `None` when it carried none.
    pub credential: Option<String>,
    /// How long the attempts waited, in all, for the rate limiter.
    pub queued: Duration,
    /// When the final attempt was sent.
    pub sent_at: SystemTime,
    /// The headers the client set on the final attempt, in order (`content-type`,
    /// `stripe-version`, `authorization`, `idempotency-key`), redacted by [`redact_header`]:
    /// `authorization` carries the masked credential, never its value.
    pub request_headers: Vec<(String, String)>,
    /// The answer's headers as received, redacted by [`redact_header`] (cookies, credentials,
    /// any configured secret).
    pub response_headers: Vec<(String, String)>,
}

impl Default for Exchange {
    /// An empty `GET` with no answer yet (status 0): a base for struct-update syntax in tests.
    fn default() -> Self {
        Exchange {
            method: "GET".into(),
            path: String::new(),
            request_body: String::new(),
            status: 0,
            request_id: None,
            body: Value::Null,
            body_is_json: false,
            body_text: String::new(),
            elapsed: Duration::ZERO,
            attempts: Vec::new(),
            idempotency_key: None,
            credential: None,
            queued: Duration::ZERO,
            sent_at: SystemTime::UNIX_EPOCH,
            request_headers: Vec::new(),
            response_headers: Vec::new(),
        }
    }
}

impl Exchange {
    /// The request and the answer's identity, for failure messages:
    /// `POST /v1/… with <body> -> 400 (Request-Id req_…)`, and the retried attempts if any.
    ///
    /// ```
    /// # use checkout_conformance::client::{Attempt, Exchange};
    /// let mut e = Exchange { method: "POST".into(), path: "/v1/x".into(), request_body: "a=1".into(), status: 400,
    ///     request_id: Some("req_1".into()), body_is_json: true, body_text: "null".into(), ..Default::default() };
    /// assert_eq!(e.describe(), "POST /v1/x\n  body: a=1\n  -> 400 (Request-Id req_1)");
    /// e.attempts.push(Attempt { status: Some(503), error: None, request_id: Some("req_0".into()),
    ///     waited: Default::default(), elapsed: Default::default() });
    /// assert_eq!(e.describe(), "POST /v1/x\n  body: a=1\n  -> 400 (Request-Id req_1)\n  after 1 retry: 503 (Request-Id req_0)");
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
        if !self.attempts.is_empty() {
            let earlier: Vec<String> = self.attempts.iter().map(Attempt::outcome).collect();
            let _ = write!(
                out,
                "\n  after {} {}: {}",
                self.attempts.len(),
                if self.attempts.len() == 1 {
                    "retry"
                } else {
                    "retries"
                },
                earlier.join(", ")
            );
        }
        out
    }
}

/// A client for one target. Clones share the connection pool and the rate limiter.
///
/// ```
/// use checkout_conformance::client::{Client, ClientConfig, Secret};
/// let config = ClientConfig { rate: Some(20.0), ..ClientConfig::bearer("http://127.0.0.1:12111", Secret::new("sk_test_123456789")) };
/// let client = Client::new(config)?;
/// // Any number of tasks may use clones: together they send at most 20 requests per second.
/// let for_a_task = client.clone();
/// # Ok::<(), checkout_conformance::client::ClientError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    base: reqwest::Url,
    config: ClientConfig,
    /// The key sent; `None` sends no `Authorization` (to check that the target refuses).
    auth: Option<Secret>,
    idempotency_key: Option<String>,
    limiter: Option<Arc<RateLimiter>>,
}

/// An answer, read in full.
struct Answer {
    sent_at: SystemTime,
    request_headers: Vec<(String, String)>,
    response_headers: Vec<(String, String)>,
    status: u16,
    request_id: Option<String>,
    should_retry: Option<String>,
    body: Value,
    body_is_json: bool,
    body_text: String,
}

/// Why an attempt got no answer.
enum Failure {
    Timeout,
    Unreachable(String),
    /// Not sent: retrying cannot help.
    Request(String),
}

impl Client {
    /// Checks the base URL and the rate, and builds the client.
    ///
    /// ```
    /// use checkout_conformance::client::{Client, ClientConfig, ClientError, Secret};
    /// let key = Secret::new("sk_test_123456789");
    /// assert!(Client::new(ClientConfig::bearer("http://127.0.0.1:12111", key.clone())).is_ok());
    /// let bad = Client::new(ClientConfig { rate: Some(0.0), ..ClientConfig::bearer("http://127.0.0.1:1", key) });
    /// assert!(matches!(bad, Err(ClientError::InvalidRate(_))));
    /// ```
    pub fn new(config: ClientConfig) -> Result<Client, ClientError> {
        let invalid = |reason: &str| ClientError::InvalidBaseUrl {
            url: config.base_url.clone(),
            reason: reason.to_owned(),
        };
        let base = reqwest::Url::parse(&config.base_url).map_err(|e| invalid(&e.to_string()))?;
        if !matches!(base.scheme(), "http" | "https") || base.host_str().is_none() {
            return Err(invalid("expected http:// or https:// and a host"));
        }
        let limiter = config.rate.map(RateLimiter::new).transpose()?.map(Arc::new);
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
            limiter,
        })
    }

    /// The same client (same connection pool, same rate limiter) sending another key, or none.
    ///
    /// ```
    /// use checkout_conformance::client::{Client, ClientConfig, Secret};
    /// let client = Client::new(ClientConfig::bearer("http://127.0.0.1:12111", Secret::new("sk_test_123456789")))?;
    /// let anonymous = client.with_api_key(None);
    /// # Ok::<(), checkout_conformance::client::ClientError>(())
    /// ```
    pub fn with_api_key(&self, key: Option<Secret>) -> Client {
        Client {
            auth: key,
            ..self.clone()
        }
    }

    /// The same client sending `Idempotency-Key: key` on every POST (and on its retries).
    /// Not on PUT: Gr4vy's spec lists no `Idempotency-Key` for `PUT /checkout/sessions/{id}`,
    /// and a PUT is idempotent anyway.
    ///
    /// ```
    /// use checkout_conformance::client::{Client, ClientConfig, Secret};
    /// let client = Client::new(ClientConfig::bearer("http://127.0.0.1:12111", Secret::new("sk_test_123456789")))?;
    /// let once = client.with_idempotency_key("order-6735-create");
    /// # Ok::<(), checkout_conformance::client::ClientError>(())
    /// ```
    pub fn with_idempotency_key(&self, key: &str) -> Client {
        Client {
            idempotency_key: Some(key.to_owned()),
            ..self.clone()
        }
    }

    /// The base URL, as given.
    ///
    /// ```
    /// use checkout_conformance::client::{Client, ClientConfig, Secret};
    /// let client = Client::new(ClientConfig::bearer("http://127.0.0.1:12111", Secret::new("sk_test_123456789")))?;
    /// assert_eq!(client.base_url(), "http://127.0.0.1:12111");
    /// # Ok::<(), checkout_conformance::client::ClientError>(())
    /// ```
    pub fn base_url(&self) -> &str {
        &self.config.base_url
    }

    /// The API key (masked when printed).
    ///
    /// ```
    /// use checkout_conformance::client::{Client, ClientConfig, Secret};
    /// let client = Client::new(ClientConfig::bearer("http://127.0.0.1:12111", Secret::new("sk_test_123456789")))?;
    /// assert_eq!(client.api_key().to_string(), "sk_test_…6789");
    /// # Ok::<(), checkout_conformance::client::ClientError>(())
    /// ```
    pub fn api_key(&self) -> &Secret {
        &self.config.api_key
    }

    /// `GET path`.
    ///
    /// ```no_run
    /// # use checkout_conformance::client::{Client, ClientConfig, Secret};
    /// # async fn demo(client: Client) -> Result<(), checkout_conformance::client::ClientError> {
    /// let exchange = client.get("/v1/checkout/sessions/cs_test_1?expand[]=line_items").await?;
    /// # Ok(()) }
    /// ```
    pub async fn get(&self, path: &str) -> Result<Exchange, ClientError> {
        self.send("GET", path, Body::Empty).await
    }

    /// `POST path` with a body already form-encoded.
    ///
    /// ```no_run
    /// # use checkout_conformance::client::{Client, ClientConfig, Secret};
    /// # async fn demo(client: Client) -> Result<(), checkout_conformance::client::ClientError> {
    /// let exchange = client.post_raw("/v1/checkout/sessions/cs_test_1", "metadata=".to_owned()).await?;
    /// # Ok(()) }
    /// ```
    pub async fn post_raw(&self, path: &str, body: String) -> Result<Exchange, ClientError> {
        self.send("POST", path, Body::Form(body)).await
    }

    /// Any method with any body: `GET`, `POST`, `PUT`, `DELETE`. Waits for the rate limiter
    /// before each attempt, retries what [`RetryHints::should_retry`] (and connection errors, timeouts)
    /// allow, up to [`ClientConfig::max_retries`] times.
    ///
    /// Returns the final answer whatever its status (a 503 after the last retry included), or
    /// a [`ClientError`] when the last attempt got no answer.
    ///
    /// ```no_run
    /// use checkout_conformance::client::Body;
    /// # async fn demo(client: checkout_conformance::client::Client) -> Result<(), checkout_conformance::client::ClientError> {
    /// let body = Body::Json(serde_json::json!({"cart_items": []}));
    /// let exchange = client.send("PUT", "/checkout/sessions/8d3fe99b-1422-42e6-bbb3-932d95ae5f79", body).await?;
    /// for attempt in &exchange.attempts {
    ///     eprintln!("retried after {} (waited {:?})", attempt.outcome(), attempt.waited);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn send(
        &self,
        method: &str,
        path: &str,
        body: Body,
    ) -> Result<Exchange, ClientError> {
        self.send_keyed(method, path, body, None).await
    }

    /// [`Client::send`] with `Idempotency-Key: idempotency_key` when given (on a POST, as
    /// [`Client::with_idempotency_key`] would send it), without deriving a client for it.
    pub async fn send_keyed(
        &self,
        method: &str,
        path: &str,
        body: Body,
        idempotency_key: Option<&str>,
    ) -> Result<Exchange, ClientError> {
        let url = self.url(path);
        let shown = self.redact(url.as_str());
        let method_value =
            reqwest::Method::from_bytes(method.as_bytes()).map_err(|_| ClientError::Request {
                url: shown.clone(),
                reason: format!("invalid method `{}`", self.redact(method)),
            })?;
        let idempotency_key = match idempotency_key {
            Some(key) if method_value == reqwest::Method::POST => Some(key.to_owned()),
            Some(_) => None,
            None => self.idempotency_key_for(&method_value),
        };
        let mut attempts = Vec::new();
        let mut queued = Duration::ZERO;
        loop {
            if let Some(limiter) = &self.limiter {
                queued += limiter.acquire().await;
            }
            let started = Instant::now();
            let outcome = self
                .attempt(&method_value, &url, &body, idempotency_key.as_deref())
                .await;
            let elapsed = started.elapsed();
            // The number of the retry that would follow (0 for the first).
            let retry = u32::try_from(attempts.len()).unwrap_or(u32::MAX);
            let may_retry = retry < self.config.max_retries;
            match outcome {
                Ok(answer) => {
                    if may_retry
                        && self.config.retry_hints.should_retry(
                            answer.status,
                            answer.should_retry.as_deref(),
                            &answer.body,
                        )
                    {
                        let waited = self.pause(retry).await;
                        attempts.push(Attempt {
                            status: Some(answer.status),
                            error: None,
                            request_id: answer.request_id,
                            waited,
                            elapsed,
                        });
                        continue;
                    }
                    return Ok(Exchange {
                        method: method.to_owned(),
                        path: path.to_owned(),
                        request_body: self.redact(&body.text()),
                        status: answer.status,
                        request_id: answer.request_id,
                        body: answer.body,
                        body_is_json: answer.body_is_json,
                        body_text: answer.body_text,
                        elapsed,
                        attempts,
                        idempotency_key,
                        credential: self.auth.as_ref().map(Secret::masked),
                        queued,
                        sent_at: answer.sent_at,
                        request_headers: answer.request_headers,
                        response_headers: answer.response_headers,
                    });
                }
                Err(Failure::Request(reason)) => {
                    return Err(ClientError::Request { url: shown, reason })
                }
                Err(failure) if may_retry => {
                    let waited = self.pause(retry).await;
                    let error = match failure {
                        Failure::Timeout => format!("no answer within {:?}", self.config.timeout),
                        Failure::Unreachable(reason) | Failure::Request(reason) => reason,
                    };
                    attempts.push(Attempt {
                        status: None,
                        error: Some(error),
                        request_id: None,
                        waited,
                        elapsed,
                    });
                }
                Err(failure) => {
                    let attempts = retry.saturating_add(1);
                    return Err(match failure {
                        Failure::Timeout => ClientError::Timeout {
                            url: shown,
                            timeout: self.config.timeout,
                            attempts,
                        },
                        Failure::Unreachable(reason) | Failure::Request(reason) => {
                            ClientError::Unreachable {
                                url: shown,
                                reason,
                                attempts,
                            }
                        }
                    });
                }
            }
        }
    }

    /// One attempt, read in full.
    async fn attempt(
        &self,
        method: &reqwest::Method,
        url: &reqwest::Url,
        body: &Body,
        idempotency_key: Option<&str>,
    ) -> Result<Answer, Failure> {
        let mut request = self.http.request(method.clone(), url.clone());
        // The headers this client sets, in the order they are set: recorded (redacted) for
        // requests.ndjson and the reproductions.
        let mut headers: Vec<(&str, String)> = Vec::new();
        let body_text = match body {
            Body::Empty => None,
            Body::Form(text) => {
                headers.push(("content-type", "application/x-www-form-urlencoded".into()));
                Some(text.clone())
            }
            Body::Json(value) => {
                headers.push(("content-type", "application/json".into()));
                Some(value.to_string())
            }
        };
        for (name, value) in &self.config.headers {
            headers.push((name, value.clone()));
        }
        if let Some(key) = &self.auth {
            headers.push(("authorization", format!("Bearer {}", key.expose())));
        }
        if let Some(key) = idempotency_key {
            headers.push(("idempotency-key", key.to_owned()));
        }
        for (name, value) in &headers {
            request = request.header(*name, value);
        }
        if let Some(text) = body_text {
            request = request.body(text);
        }
        let secrets = self.secrets();
        let request_headers = headers
            .iter()
            .map(|(name, value)| ((*name).to_owned(), redact_header(name, value, &secrets)))
            .collect();
        let sent_at = SystemTime::now();
        let response = request.send().await.map_err(|e| self.failure(e))?;
        let status = response.status().as_u16();
        let response_headers = response
            .headers()
            .iter()
            .map(|(name, value)| {
                let value = String::from_utf8_lossy(value.as_bytes());
                (
                    name.as_str().to_owned(),
                    redact_header(name.as_str(), &value, &secrets),
                )
            })
            .collect();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let request_id = header("request-id");
        let should_retry = self.config.retry_hints.header.and_then(header);
        let bytes = response.bytes().await.map_err(|e| self.failure(e))?;
        // JSON is UTF-8: a body that is not is not JSON either.
        let json = std::str::from_utf8(&bytes)
            .ok()
            .and_then(|text| Some((serde_json::from_str(text).ok()?, text)));
        let (body, body_is_json, body_text) = match json {
            Some((json, text)) => (json, true, text.to_owned()),
            None => {
                let text = self.redact(&String::from_utf8_lossy(&bytes));
                (Value::String(text.clone()), false, text)
            }
        };
        Ok(Answer {
            sent_at,
            request_headers,
            response_headers,
            status,
            request_id,
            should_retry,
            body,
            body_is_json,
            body_text,
        })
    }

    /// Sleeps the backoff before retry number `retry` and returns it.
    async fn pause(&self, retry: u32) -> Duration {
        let delay = backoff(
            retry,
            self.config.backoff_base,
            self.config.backoff_cap,
            fastrand::f64(),
        );
        tokio::time::sleep(delay).await;
        delay
    }

    /// The key a request with `method` carries: POST only, the client's own key, else a fresh
    /// one when the config asks for it.
    fn idempotency_key_for(&self, method: &reqwest::Method) -> Option<String> {
        if method != reqwest::Method::POST {
            return None;
        }
        self.idempotency_key
            .clone()
            .or_else(|| self.config.idempotency_keys.then(new_idempotency_key))
    }

    fn url(&self, path: &str) -> reqwest::Url {
        let mut url = self.base.clone();
        let base_path = url.path().trim_end_matches('/').to_owned();
        let (path, query) = path.split_once('?').unwrap_or((path, ""));
        url.set_path(&format!("{base_path}{path}"));
        url.set_query((!query.is_empty()).then_some(query));
        url
    }

    /// The secrets this client knows: the configured key, and the key it sends when another.
    fn secrets(&self) -> Vec<&Secret> {
        let mut secrets = vec![&self.config.api_key];
        if let Some(key) = self.auth.as_ref().filter(|k| *k != &self.config.api_key) {
            secrets.push(key);
        }
        secrets
    }

    /// `text` without the configured key nor the key this client sends.
    fn redact(&self, text: &str) -> String {
        let text = self.config.api_key.redact(text);
        match &self.auth {
            Some(key) if key != &self.config.api_key => key.redact(&text),
            _ => text,
        }
    }

    fn failure(&self, error: reqwest::Error) -> Failure {
        if error.is_timeout() {
            return Failure::Timeout;
        }
        // The innermost cause says what happened (connection refused, reset, DNS).
        let mut source: &dyn std::error::Error = &error;
        while let Some(inner) = source.source() {
            source = inner;
        }
        let reason = self.redact(&source.to_string());
        if error.is_builder() {
            Failure::Request(reason)
        } else {
            Failure::Unreachable(reason)
        }
    }
}

/// A fresh key for one logical request: a random (version 4) UUID, as Stripe's own libraries
/// send. Drawn from fastrand's per-thread generator (seeded from the OS once per thread): a
/// system call per request cost more than the rest of building it, and a key only has to be
/// unique, not secret.
fn new_idempotency_key() -> String {
    let mut bytes = fastrand::u128(..).to_be_bytes();
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut key = String::with_capacity(36);
    for (i, b) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            key.push('-');
        }
        key.push(char::from(HEX[usize::from(b >> 4)]));
        key.push(char::from(HEX[usize::from(b & 0x0f)]));
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_keys_are_uuids_and_differ() {
        let a = new_idempotency_key();
        let b = new_idempotency_key();
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(a.as_bytes()[14], b'4');
        assert!(matches!(a.as_bytes()[19], b'8' | b'9' | b'a' | b'b'), "{a}");
        assert_eq!(
            a.match_indices('-').map(|(i, _)| i).collect::<Vec<_>>(),
            [8, 13, 18, 23]
        );
        assert!(a
            .chars()
            .all(|c| c == '-' || c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
    }

    #[test]
    fn keys_go_on_posts_only() {
        let config = ClientConfig {
            idempotency_keys: true,
            ..ClientConfig::bearer("http://127.0.0.1:1", Secret::new("sk_test_123456789"))
        };
        let client = Client::new(config).expect("a valid config");
        assert!(client.idempotency_key_for(&reqwest::Method::POST).is_some());
        assert!(client.idempotency_key_for(&reqwest::Method::GET).is_none());
        let keyed = client.with_idempotency_key("k-1");
        assert_eq!(
            keyed.idempotency_key_for(&reqwest::Method::POST).as_deref(),
            Some("k-1")
        );
        assert!(keyed.idempotency_key_for(&reqwest::Method::PUT).is_none());
        let bearer = Client::new(ClientConfig::bearer(
            "http://127.0.0.1:1",
            Secret::new("token"),
        ))
        .expect("a valid config");
        assert!(bearer.idempotency_key_for(&reqwest::Method::POST).is_none());
    }

    #[test]
    fn derived_clients_share_the_limiter() {
        let config = ClientConfig {
            rate: Some(5.0),
            ..ClientConfig::bearer("http://127.0.0.1:1", Secret::new("sk_test_123456789"))
        };
        let client = Client::new(config).expect("a valid config");
        let derived = client.with_api_key(None).with_idempotency_key("k");
        let (Some(a), Some(b)) = (&client.limiter, &derived.limiter) else {
            panic!("a limiter when a rate is set");
        };
        assert!(Arc::ptr_eq(a, b));
    }

    #[test]
    fn messages_never_carry_the_key() {
        let key = Secret::new("sk_test_51HxYzAbCdEf4242");
        let client = Client::new(ClientConfig::bearer(
            "http://127.0.0.1:1/sk_test_51HxYzAbCdEf4242",
            key,
        ))
        .expect("a valid config");
        let other = client.with_api_key(Some(Secret::new("sk_test_otherKEYvalue9999")));
        let text = other.redact("a sk_test_51HxYzAbCdEf4242 b sk_test_otherKEYvalue9999");
        assert_eq!(text, "a sk_test_…4242 b sk_test_…9999");
    }
}
