//! The bundled reference mock: a stateful server that behaves as the vendors' documentation
//! says, with switchable [`Fault`]s that each break one documented behaviour.
//!
//! One port serves every vendor: each request goes to the half of the vendor whose API its path
//! belongs to ([`Provider::serving`]); each half ([`VendorMock`]) lives in its vendor's folder
//! and is built by [`Vendor::mock`](crate::vendor::Vendor::mock).
//!
//! Start it in-process on an ephemeral port and point any client at [`MockServer::url`]:
//!
//! ```
//! use checkout_conformance::mock::{MockConfig, MockServer};
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let server = MockServer::start(MockConfig::default()).await?;
//! assert!(server.url().starts_with("http://127.0.0.1:"));
//! server.shutdown().await;
//! # Ok::<(), std::io::Error>(()) }).unwrap();
//! ```

mod fault;
pub mod transport;

pub(crate) use fault::vendor_faults;
pub use fault::{Fault, FaultDef, Faults, UnknownFault, MAX_FAULTS_PER_VENDOR};

use crate::vendor::Provider;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::response::Response;
use axum::Router;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// How a mock server behaves.
///
/// ```
/// use checkout_conformance::mock::MockConfig;
/// use checkout_conformance::vendor::stripe::mock::StripeFault;
/// use checkout_conformance::vendor::Provider;
/// let config = MockConfig::default()
///     .with_fault(StripeFault::SixthShippingOptionAccepted)
///     .with_trusted(Provider::Stripe, "sk_test_only_this_one");
/// assert!(config.faults.has(StripeFault::SixthShippingOptionAccepted));
/// assert_eq!(config.trusted(Provider::Stripe), ["sk_test_only_this_one"]);
/// assert!(config.trusted(Provider::Gr4vy).is_empty());
/// ```
#[derive(Debug, Clone, Default)]
pub struct MockConfig {
    /// Faults to inject (none by default: the mock follows the documentation).
    pub faults: Faults,
    /// What each vendor's half trusts, as that vendor reads it ([`Vendor::mock`]): API keys
    /// accepted, public keys tokens must be signed with. Nothing: the half's default (any
    /// test-mode key; tokens checked for structure, expiry and scopes only).
    pub trust: BTreeMap<Provider, Vec<String>>,
}

impl MockConfig {
    /// Adds a fault.
    pub fn with_fault(mut self, fault: impl Into<Fault>) -> Self {
        self.faults = self.faults.iter().chain([fault.into()]).collect();
        self
    }

    /// Makes `provider`'s half trust `credential` too (repeatable).
    pub fn with_trusted(mut self, provider: Provider, credential: impl Into<String>) -> Self {
        self.trust
            .entry(provider)
            .or_default()
            .push(credential.into());
        self
    }

    /// What `provider`'s half trusts.
    pub fn trusted(&self, provider: Provider) -> &[String] {
        self.trust.get(&provider).map_or(&[], Vec::as_slice)
    }
}

/// One vendor's half of the bundled mock (`src/vendor/<vendor>/mock/`), built from the mock's
/// configuration by [`Vendor::mock`]. Every answer is in that vendor's envelope: never a bare
/// 500, never an empty body.
///
/// ```
/// use checkout_conformance::mock::MockConfig;
/// use checkout_conformance::vendor::Provider;
/// let half = Provider::Gr4vy.vendor().mock(&MockConfig::default());
/// let (status, _, body) = half.refusal(axum::http::StatusCode::PAYLOAD_TOO_LARGE);
/// assert_eq!(status, 400);
/// assert!(!body.is_empty());
/// ```
pub trait VendorMock: Send + Sync {
    /// The largest request body the half reads; a larger one is answered with its own error.
    fn max_body(&self) -> usize;
    /// Answers one request (`body`: `None` when it was larger than [`VendorMock::max_body`]).
    /// Never panics on anything a client sends.
    fn handle(&self, request: &axum::http::request::Parts, body: Option<Bytes>) -> Response;
    /// The answer to a request the HTTP layer refused before routing it (a URI or headers over
    /// the limit, a malformed head), `status` being the HTTP layer's.
    fn refusal(
        &self,
        status: axum::http::StatusCode,
    ) -> (axum::http::StatusCode, axum::http::HeaderMap, Bytes);
    /// What the half says when the mock starts as its own process: what it trusts, and what a
    /// run against it should know.
    fn notices(&self) -> Vec<String>;
}

/// Every vendor's half of one mock server, in provider order.
struct Mocks {
    halves: Vec<(Provider, Box<dyn VendorMock>)>,
}

/// The mock as an axum [`Router`], for embedding into a server of your own.
///
/// ```
/// let app = checkout_conformance::mock::router(Default::default());
/// # let _ = app;
/// ```
pub fn router(config: MockConfig) -> Router {
    app(Arc::new(Mocks::new(&config)))
}

fn app(mocks: Arc<Mocks>) -> Router {
    Router::new().fallback(serve).with_state(mocks)
}

impl Mocks {
    fn new(config: &MockConfig) -> Mocks {
        Mocks {
            halves: Provider::ALL
                .iter()
                .map(|&provider| (provider, provider.vendor().mock(config)))
                .collect(),
        }
    }

    /// The half serving `path`: its vendor's, else the first vendor's (which answers a path
    /// it does not know with its own 404).
    fn half(&self, path: &str) -> &dyn VendorMock {
        let provider = Provider::serving(path);
        let (_, half) = self
            .halves
            .iter()
            .find(|(p, _)| Some(*p) == provider)
            .unwrap_or(&self.halves[0]);
        half.as_ref()
    }

    /// Every half's notices, in provider order.
    fn notices(&self) -> Vec<String> {
        self.halves.iter().flat_map(|(_, h)| h.notices()).collect()
    }
}

/// A [`TcpListener`] whose connections answer the HTTP layer's refusals in the vendors'
/// envelopes ([`transport::Guarded`]).
struct GuardedListener {
    inner: TcpListener,
    refuse: Arc<transport::Refuse>,
}

impl axum::serve::Listener for GuardedListener {
    type Io = transport::Guarded<tokio::net::TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        let (io, addr) = axum::serve::Listener::accept(&mut self.inner).await;
        (transport::Guarded::new(io, self.refuse.clone()), addr)
    }

    fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.inner.local_addr()
    }
}

async fn serve(State(mocks): State<Arc<Mocks>>, request: Request<Body>) -> Response {
    let (parts, body) = request.into_parts();
    let half = mocks.half(parts.uri.path());
    let body = axum::body::to_bytes(body, half.max_body()).await.ok();
    half.handle(&parts, body)
}

/// A running mock server. Dropping it stops it; [`MockServer::shutdown`] also waits for it.
#[derive(Debug)]
pub struct MockServer {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
    notices: Vec<String>,
}

impl MockServer {
    /// Starts a mock on `127.0.0.1:0` (an ephemeral port).
    pub async fn start(config: MockConfig) -> std::io::Result<MockServer> {
        Self::bind(SocketAddr::from(([127, 0, 0, 1], 0)), config).await
    }

    /// Starts a mock on `addr`.
    ///
    /// ```
    /// # tokio::runtime::Runtime::new().unwrap().block_on(async {
    /// use checkout_conformance::mock::MockServer;
    /// let server = MockServer::bind("127.0.0.1:0".parse().unwrap(), Default::default()).await?;
    /// assert_ne!(server.addr().port(), 0);
    /// # Ok::<(), std::io::Error>(()) }).unwrap();
    /// ```
    pub async fn bind(addr: SocketAddr, config: MockConfig) -> std::io::Result<MockServer> {
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = oneshot::channel::<()>();
        let mocks = Arc::new(Mocks::new(&config));
        let notices = mocks.notices();
        let app = app(mocks.clone());
        let listener = GuardedListener {
            inner: listener,
            refuse: Arc::new(move |path, status| mocks.half(path).refusal(status)),
        };
        let task = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await
        });
        Ok(MockServer {
            addr,
            stop: Some(stop),
            task,
            notices,
        })
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// What each vendor's half says about what it trusts (printed by `checkout-conformance mock`).
    pub fn notices(&self) -> &[String] {
        &self.notices
    }

    /// `http://ADDR`: the base URL to give a client.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting connections, lets requests in flight finish, and waits.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = (&mut self.task).await;
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
