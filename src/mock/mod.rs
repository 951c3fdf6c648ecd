//! The bundled reference mock: a stateful server that behaves as the vendors' documentation
//! says, with switchable [`Fault`]s that each break one documented behaviour.
//!
//! One port serves both vendors: paths under `/checkout/` go to the Gr4vy half ([`gr4vy`]),
//! everything else to the Stripe half ([`stripe`]).
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

pub use fault::{Fault, Faults, UnknownFault};

use crate::vendor::gr4vy::mock as gr4vy;
use crate::vendor::stripe::mock as stripe;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::Response;
use axum::Router;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// How a mock server behaves.
///
/// ```
/// use checkout_conformance::mock::{Fault, MockConfig};
/// let config = MockConfig::default()
///     .with_fault(Fault::SixthShippingOptionAccepted)
///     .with_api_key("sk_test_only_this_one");
/// assert!(config.faults.has(Fault::SixthShippingOptionAccepted));
/// ```
#[derive(Debug, Clone, Default)]
pub struct MockConfig {
    /// Faults to inject (none by default: the mock follows the documentation).
    pub faults: Faults,
    /// The one API key accepted; by default any test-mode key (`sk_test_…`, `rk_test_…`).
    pub api_key: Option<String>,
    /// Public keys Gr4vy bearer tokens must be signed with, each a PEM public key or a JWKS
    /// (see [`gr4vy::keys`]): a token's `kid` must name one of them and its signature verify
    /// with it. Without any, the Gr4vy half checks the tokens' structure, expiry and scopes only
    /// (it cannot know the merchant's key). Keys that cannot be read refuse every token.
    pub gr4vy_public_keys: Vec<String>,
}

impl MockConfig {
    /// Adds a fault.
    pub fn with_fault(mut self, fault: Fault) -> Self {
        self.faults = self.faults.iter().chain([fault]).collect();
        self
    }

    /// Accepts only `key`.
    pub fn with_api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(key.into());
        self
    }

    /// Trusts `key` (a PEM public key or a JWKS) for Gr4vy bearer tokens (repeatable).
    pub fn with_gr4vy_public_key(mut self, key: impl Into<String>) -> Self {
        self.gr4vy_public_keys.push(key.into());
        self
    }
}

/// Both halves of one mock server.
struct Mocks {
    stripe: stripe::StripeMock,
    gr4vy: gr4vy::Gr4vyMock,
}

/// The mock as an axum [`Router`], for embedding into a server of your own.
///
/// ```
/// let app = checkout_conformance::mock::router(Default::default());
/// # let _ = app;
/// ```
pub fn router(config: MockConfig) -> Router {
    app(Arc::new(Mocks::new(config)))
}

fn app(mocks: Arc<Mocks>) -> Router {
    Router::new().fallback(serve).with_state(mocks)
}

impl Mocks {
    fn new(config: MockConfig) -> Mocks {
        Mocks {
            stripe: stripe::StripeMock::new(config.faults, config.api_key),
            gr4vy: gr4vy::Gr4vyMock::new(
                config.faults,
                gr4vy::keys::TrustedKeys::or_refuse_all(&config.gr4vy_public_keys),
            ),
        }
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
    if gr4vy::serves(parts.uri.path()) {
        let body = axum::body::to_bytes(body, gr4vy::MAX_BODY)
            .await
            .map_err(|_| gr4vy::Gr4vyError::too_large(gr4vy::MAX_BODY));
        return mocks
            .gr4vy
            .handle(&parts.method, parts.uri.path(), &parts.headers, body);
    }
    let body = axum::body::to_bytes(body, stripe::MAX_BODY)
        .await
        .map_err(|_| stripe::MockError::too_large(stripe::MAX_BODY));
    mocks.stripe.handle(
        &parts.method,
        parts.uri.path(),
        parts.uri.query(),
        &parts.headers,
        body,
    )
}

/// A running mock server. Dropping it stops it; [`MockServer::shutdown`] also waits for it.
#[derive(Debug)]
pub struct MockServer {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
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
        let mocks = Arc::new(Mocks::new(config));
        let app = app(mocks.clone());
        let listener = GuardedListener {
            inner: listener,
            refuse: Arc::new(move |path, status| {
                if gr4vy::serves(path) {
                    mocks.gr4vy.refusal(status)
                } else {
                    mocks.stripe.refusal(status)
                }
            }),
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
        })
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
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
