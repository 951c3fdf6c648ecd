//! A proxy on 127.0.0.1 in front of the bundled mock, misbehaving as a test's policy says
//! (tests/verdict.rs, tests/sandbox_grade.rs).

use axum::body::{to_bytes, Body, Bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::serve::Listener;
use checkout_conformance::mock::{MockConfig, MockServer};
use std::future::Future;
use std::net::SocketAddr;
use tokio::net::TcpListener;

/// The request headers passed on to the mock.
const REQUEST_HEADERS: [&str; 4] = [
    "authorization",
    "content-type",
    "stripe-version",
    "idempotency-key",
];
/// The answer headers passed back to the client.
const ANSWER_HEADERS: [&str; 5] = [
    "content-type",
    "request-id",
    "stripe-version",
    "idempotent-replayed",
    "stripe-should-retry",
];

/// The bundled mock behind a proxy, both running (on the runtime that started them).
pub struct ProxiedMock {
    /// The proxy's `http://127.0.0.1:PORT`.
    pub url: String,
    pub mock: MockServer,
}

impl ProxiedMock {
    /// The bundled mock (accepting only `key`) behind a proxy on 127.0.0.1:0 that hands every
    /// request to `policy`, with the [`Upstream`] to forward it to.
    pub async fn start<P, F>(key: &str, policy: P) -> ProxiedMock
    where
        P: Fn(Request, Upstream) -> F + Clone + Send + Sync + 'static,
        F: Future<Output = Response> + Send + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        Self::start_on(key, listener, policy).await
    }

    /// [`ProxiedMock::start`], the proxy serving the connections `listener` accepts.
    pub async fn start_on<L, P, F>(key: &str, listener: L, policy: P) -> ProxiedMock
    where
        L: Listener<Addr = SocketAddr>,
        P: Fn(Request, Upstream) -> F + Clone + Send + Sync + 'static,
        F: Future<Output = Response> + Send + 'static,
    {
        let mock = MockServer::start(
            MockConfig::default().with_trusted(checkout_conformance::vendor::Provider::Stripe, key),
        )
        .await
        .expect("the mock starts");
        let upstream = Upstream {
            url: mock.url(),
            http: reqwest::Client::new(),
        };
        let app =
            axum::Router::new().fallback(move |request: Request| policy(request, upstream.clone()));
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        ProxiedMock { url, mock }
    }
}

/// Where the proxy forwards to: the mock, and a client for it.
#[derive(Clone)]
pub struct Upstream {
    url: String,
    http: reqwest::Client,
}

/// The mock's answer to a forwarded request.
pub struct Forwarded {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

impl IntoResponse for Forwarded {
    fn into_response(self) -> Response {
        (self.status, self.headers, Body::from(self.body)).into_response()
    }
}

impl Upstream {
    /// The request as the mock answers it: method, path and query, body and
    /// [`REQUEST_HEADERS`] passed on; status, body and [`ANSWER_HEADERS`] passed back.
    pub async fn forward(&self, request: Request) -> Forwarded {
        let (parts, body) = request.into_parts();
        let body = to_bytes(body, 2 << 20).await.unwrap_or_default();
        let target = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str())
            .unwrap_or("/");
        let mut upstream = self
            .http
            .request(parts.method, format!("{}{target}", self.url))
            .body(body);
        for name in REQUEST_HEADERS {
            if let Some(value) = parts.headers.get(name) {
                upstream = upstream.header(name, value);
            }
        }
        let answer = upstream.send().await.expect("the mock answers");
        let mut headers = HeaderMap::new();
        for name in ANSWER_HEADERS {
            if let Some(value) = answer.headers().get(name) {
                headers.insert(name, value.clone());
            }
        }
        Forwarded {
            status: answer.status(),
            headers,
            body: answer.bytes().await.unwrap_or_default(),
        }
    }
}
