//! Support for the integration tests: a real mock on 127.0.0.1:0 and a small form client; in
//! the submodules, Gr4vy tokens ([`gr4vy`]), running the binary ([`binary`]), npm packages run
//! with node ([`npm`]), Python packages in a virtual environment ([`pip`]) and a misbehaving proxy
//! in front of the mock ([`proxy`]).
#![allow(dead_code)]

pub mod binary;
pub mod debian;
pub mod gr4vy;
pub mod npm;
pub mod pip;
pub mod proxy;

use checkout_conformance::mock::{Fault, MockConfig, MockServer};
use checkout_conformance::vendor::stripe::form;
use serde_json::{json, Value};

pub const KEY: &str = "sk_test_integration_4242";

/// A running mock plus an HTTP client that speaks Stripe's form encoding to it.
pub struct Mock {
    pub server: MockServer,
    pub http: reqwest::Client,
}

/// One answer: status, JSON body and the headers the tests look at.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub body: Value,
    pub request_id: Option<String>,
    pub replayed: bool,
}

impl Answer {
    /// `error.param` of an error answer.
    pub fn param(&self) -> Option<&str> {
        self.body["error"]["param"].as_str()
    }
    /// `error.type` of an error answer.
    pub fn error_type(&self) -> Option<&str> {
        self.body["error"]["type"].as_str()
    }
    /// `error.code` of an error answer.
    pub fn code(&self) -> Option<&str> {
        self.body["error"]["code"].as_str()
    }
    /// Panics with the body unless the status is `expected`.
    #[track_caller]
    pub fn expect(self, expected: u16) -> Self {
        assert_eq!(
            self.status, expected,
            "unexpected status; body: {}",
            self.body
        );
        self
    }
}

impl Mock {
    pub async fn start() -> Mock {
        Self::with(MockConfig::default()).await
    }

    pub async fn with_faults(faults: &[Fault]) -> Mock {
        Self::with(MockConfig {
            faults: faults.iter().copied().collect(),
            ..Default::default()
        })
        .await
    }

    pub async fn with(config: MockConfig) -> Mock {
        let server = MockServer::start(config)
            .await
            .expect("mock starts on 127.0.0.1:0");
        Mock {
            server,
            http: reqwest::Client::new(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.server.url(), path)
    }

    /// POST a raw body with the test key.
    pub async fn post_raw(&self, path: &str, body: impl Into<reqwest::Body>) -> Answer {
        let request = self
            .http
            .post(self.url(path))
            .bearer_auth(KEY)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body);
        send(request).await
    }

    /// POST JSON parameters, form-encoded by the project's codec.
    pub async fn post(&self, path: &str, params: Value) -> Answer {
        self.post_raw(path, form::encode_json(&params)).await
    }

    pub async fn get(&self, path: &str) -> Answer {
        send(self.http.get(self.url(path)).bearer_auth(KEY)).await
    }

    /// Creates a one-time price of `unit_amount` usd; returns its id.
    pub async fn price(&self, unit_amount: i64) -> String {
        let price = self
            .post("/v1/prices", json!({"currency": "usd", "unit_amount": unit_amount, "product_data": {"name": "T-shirt"}}))
            .await
            .expect(200);
        price.body["id"].as_str().expect("price id").to_owned()
    }

    /// Creates a shipping rate of `amount` usd; returns its id.
    pub async fn shipping_rate(&self, amount: i64) -> String {
        let rate = self
            .post(
                "/v1/shipping_rates",
                json!({"display_name": "Ground", "type": "fixed_amount", "fixed_amount": {"amount": amount, "currency": "usd"}}),
            )
            .await
            .expect(200);
        rate.body["id"]
            .as_str()
            .expect("shipping rate id")
            .to_owned()
    }

    /// Creates an open payment session with `ui_mode` and one line item (2 x 1000 usd).
    /// Returns the session body.
    pub async fn session(&self, ui_mode: &str) -> Value {
        let price = self.price(1000).await;
        let mut params = json!({
            "mode": "payment",
            "ui_mode": ui_mode,
            "line_items": [{"price": price, "quantity": 2}],
        });
        if ui_mode == "hosted_page" {
            params["success_url"] = json!("https://example.com/success");
        } else {
            params["return_url"] = json!("https://example.com/return");
        }
        self.post("/v1/checkout/sessions", params)
            .await
            .expect(200)
            .body
    }

    /// Creates a custom-UI (`elements`) session; returns its id.
    pub async fn custom_session(&self) -> String {
        self.session("elements").await["id"]
            .as_str()
            .expect("session id")
            .to_owned()
    }

    /// POST /v1/checkout/sessions/{id} with JSON parameters.
    pub async fn update(&self, id: &str, params: Value) -> Answer {
        self.post(&format!("/v1/checkout/sessions/{id}"), params)
            .await
    }

    /// The session's line items, expanded.
    pub async fn line_items(&self, id: &str) -> Vec<Value> {
        let list = self
            .get(&format!("/v1/checkout/sessions/{id}/line_items?limit=100"))
            .await
            .expect(200);
        list.body["data"].as_array().cloned().unwrap_or_default()
    }
}

pub async fn send(request: reqwest::RequestBuilder) -> Answer {
    let response = request.send().await.expect("the mock answers");
    let status = response.status().as_u16();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let request_id = header("request-id");
    let replayed = header("idempotent-replayed").as_deref() == Some("true");
    let text = response.text().await.expect("a body");
    let body = serde_json::from_str(&text).unwrap_or_else(|_| panic!("a JSON body, got: {text}"));
    Answer {
        status,
        body,
        request_id,
        replayed,
    }
}

// --- Conformance of every answer (appended for tests/mock_rules.rs; usable by any test) ---

impl Answer {
    /// Why the answer does not conform: no `req_` Request-Id header, a body with no schema
    /// (`SchemaRegistry::for_object` gives none), or the schema's violations. Empty if it conforms.
    pub fn conformance_problems(&self) -> Vec<String> {
        use checkout_conformance::schema::SchemaRegistry;
        let mut problems = Vec::new();
        if !self
            .request_id
            .as_deref()
            .is_some_and(|id| id.starts_with("req_"))
        {
            problems.push(format!(
                "Request-Id header is {:?}, not req_…",
                self.request_id
            ));
        }
        let registry = SchemaRegistry::embedded(checkout_conformance::vendor::Provider::Stripe);
        match registry.for_object(&self.body) {
            None => problems
                .push("the body matches no schema (no known `object`, no `error`)".to_owned()),
            Some(id) => {
                if let Err(violations) = registry.validate(id, &self.body) {
                    problems.extend(violations.iter().map(|v| format!("{id}: {v}")));
                }
            }
        }
        problems
    }

    /// Panics unless the answer conforms (see [`Answer::conformance_problems`]).
    #[track_caller]
    pub fn assert_conforms(self) -> Self {
        assert_no_problems(self.status, &self.conformance_problems(), &self.body);
        self
    }
}

/// Panics, listing them, when an answer (`status`, `body`) has conformance problems.
#[track_caller]
pub fn assert_no_problems(status: u16, problems: &[String], body: &Value) {
    assert!(
        problems.is_empty(),
        "non-conforming answer ({status}):\n  {}\nbody: {body}",
        problems.join("\n  ")
    );
}

/// [`send`], then [`Answer::assert_conforms`]: every answer validated against the JSON Schemas.
pub async fn send_conforming(request: reqwest::RequestBuilder) -> Answer {
    send(request).await.assert_conforms()
}

/// Runs `start` on a runtime of its own, in a background thread that lives as long as the test
/// binary, and returns its first value; its second (a server, say) is kept alive there. For
/// state shared by every test of a file, which must outlive each test's own runtime.
pub fn in_background<T, K, F, Fut>(name: &str, start: F) -> T
where
    T: Send + 'static,
    K: Send + 'static,
    F: FnOnce() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = (T, K)>,
{
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name(name.to_owned())
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("a runtime for the background task");
            runtime.block_on(async move {
                let (value, _keep) = start().await;
                tx.send(value).expect("the test waits");
                std::future::pending::<()>().await;
            });
        })
        .expect("the background thread starts");
    rx.recv().expect("the background task starts")
}
