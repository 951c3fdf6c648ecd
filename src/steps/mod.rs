//! The cucumber World and the step definitions: what the features' sentences mean.
//!
//! - [`given`]: fixtures, created through the target's public API (so the same features run
//!   against the sandbox): prices, shipping rates, checkout sessions.
//! - [`when`]: the update under test, written as the documentation writes it (bracket-notation
//!   form parameters, or JSON parameters).
//! - [`then`]: what the documentation promises; a mismatch fails the step with a unified diff,
//!   the request that caused it and the target's Request-Id.
//!
//! Every response body is validated against its JSON Schema as it arrives, in every step.
//!
//! Values in tables and doc strings may use placeholders, resolved per scenario:
//! `{price NAME}`, `{product NAME}`, `{shipping rate NAME}`, `{line item N}` (1-based, as the
//! session was created),
//! `{session}`, and `{N chars}` (a string of N characters).

mod given;
mod gr4vy;
mod line_items;
mod shipping;
mod then;
mod when;

use crate::client::{Body, Client, ClientError, Exchange};
use crate::provider::Provider;
use crate::report::RequestLog;
use crate::schema::SchemaRegistry;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::sync::{Arc, Mutex, RwLock};

/// What the cleanup of the sessions a run created did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Cleanup {
    /// Sessions expired (Stripe) or deleted (Gr4vy).
    pub done: usize,
    /// Sessions that were no longer open (a scenario expired or deleted them): nothing to do.
    pub already_closed: usize,
    /// Sessions the target would not expire or delete, or could not be reached for.
    pub failed: usize,
}

impl Cleanup {
    /// One line for the reports.
    pub fn describe(self, enabled: bool) -> String {
        if !enabled {
            return "off (--no-cleanup): the sessions this run created are left open".into();
        }
        format!(
            "{} sessions expired or deleted, {} already closed, {} failed",
            self.done, self.already_closed, self.failed
        )
    }
}

/// One provider's target: its client and its schemas (compiled once per run).
#[derive(Debug)]
pub struct Target {
    /// The client for the provider's target.
    pub client: Client,
    /// The provider's response schemas.
    pub schemas: &'static SchemaRegistry,
    /// Gr4vy: the key (and its id) the run mints tokens with, when it has one, for the
    /// scenarios that need a token of their own (expired, without a scope).
    pub signing: Option<(crate::client::jwt::SigningKey, String)>,
}

/// What every scenario of a run shares: a target per provider, the request log, and what the
/// run must remember across scenarios (sessions to clean up, retried requests).
#[derive(Debug)]
pub struct RunContext {
    /// The targets of the providers this run covers.
    pub targets: BTreeMap<Provider, Target>,
    /// `requests.ndjson`, when reports are written.
    pub requests: Option<RequestLog>,
    /// Checkout sessions created, and which of them are closed (expired or deleted) already.
    created: Mutex<Vec<(Provider, String)>>,
    closed: Mutex<HashSet<String>>,
    cleanup: Mutex<Cleanup>,
    /// Retried requests per scenario (`Feature / Scenario`).
    retries: Mutex<HashMap<String, usize>>,
}

impl RunContext {
    /// A context with nothing created yet.
    pub fn new(targets: BTreeMap<Provider, Target>, requests: Option<RequestLog>) -> RunContext {
        RunContext {
            targets,
            requests,
            created: Mutex::default(),
            closed: Mutex::default(),
            cleanup: Mutex::default(),
            retries: Mutex::default(),
        }
    }

    /// The checkout sessions the run created that are not closed yet, in order.
    pub fn unclosed_sessions(&self) -> Vec<(Provider, String)> {
        let closed = self
            .closed
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        let created = self.created.lock().unwrap_or_else(|p| p.into_inner());
        created
            .iter()
            .filter(|(_, id)| !closed.contains(id))
            .cloned()
            .collect()
    }

    /// What the cleanup did so far.
    pub fn cleanup(&self) -> Cleanup {
        *self.cleanup.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Closes one session the run created: expires it (Stripe) or deletes it (Gr4vy), records
    /// the request under `scenario` (the one closing its own sessions, or `cleanup` for the
    /// end-of-run sweep), and counts the outcome. A session is closed once.
    pub async fn close(&self, provider: Provider, id: &str, scenario: &str) {
        let Some(target) = self.targets.get(&provider) else {
            return;
        };
        if !self
            .closed
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(id.to_owned())
        {
            return;
        }
        let result = match provider {
            Provider::Stripe => {
                let path = format!("{}/expire", provider.session_path(id));
                target
                    .client
                    .send("POST", &path, Body::Form(String::new()))
                    .await
            }
            Provider::Gr4vy => {
                target
                    .client
                    .send("DELETE", &provider.session_path(id), Body::Empty)
                    .await
            }
        };
        if let (Some(log), Ok(exchange)) = (&self.requests, &result) {
            log.record(scenario, exchange);
        }
        let mut counts = self.cleanup.lock().unwrap_or_else(|p| p.into_inner());
        match &result {
            Ok(e) if (200..300).contains(&e.status) => counts.done += 1,
            // Stripe answers 400 for a session a scenario expired; Gr4vy 404 for one it deleted.
            Ok(e) if e.status == 400 || e.status == 404 => counts.already_closed += 1,
            _ => counts.failed += 1,
        }
    }

    /// How many requests of `scenario` the client had to retry.
    pub fn retries_of(&self, scenario: &str) -> usize {
        self.retries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(scenario)
            .copied()
            .unwrap_or(0)
    }

    pub(crate) fn note_created(&self, provider: Provider, id: &str) {
        self.created
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push((provider, id.to_owned()));
    }

    fn note_retries(&self, scenario: &str, retries: usize) {
        if retries > 0 {
            *self
                .retries
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .entry(scenario.to_owned())
                .or_default() += retries;
        }
    }
}

static CONTEXT: RwLock<Option<Arc<RunContext>>> = RwLock::new(None);

/// Makes `context` the one new Worlds are built with (the runner does this before a run).
pub fn install(context: Arc<RunContext>) {
    *CONTEXT.write().unwrap_or_else(|p| p.into_inner()) = Some(context);
}

/// The context installed last, if any.
pub fn installed() -> Option<Arc<RunContext>> {
    CONTEXT.read().unwrap_or_else(|p| p.into_inner()).clone()
}

/// The marker that starts the message of a step that failed because the target could not be
/// reached: such a scenario is an infrastructure error, not a contract failure.
pub const INFRASTRUCTURE: &str = "INFRASTRUCTURE ERROR";

/// One scenario's state against its provider's target.
#[derive(Debug, cucumber::World)]
#[world(init = Self::new)]
pub struct ConformanceWorld {
    context: Arc<RunContext>,
    /// `Feature / Scenario`, for the request log.
    pub scenario: String,
    /// The scenario's provider (from its tags).
    pub provider: Provider,
    prices: HashMap<String, String>,
    products: HashMap<String, String>,
    shipping_rates: HashMap<String, String>,
    /// The session under test: its id and the body last known to be right.
    session: Option<Value>,
    /// Line item ids in the order the session was created with.
    created_items: Vec<String>,
    /// The last exchange of a `When` step.
    last: Option<Exchange>,
    /// The first of two exchanges, when a `When` step sends a request twice.
    first: Option<Exchange>,
    /// How the session under test was created.
    created: Option<Creation>,
    /// The sessions this scenario created, closed when it ends.
    own_sessions: Vec<String>,
}

/// The creation of the session under test.
#[derive(Debug, Clone)]
struct Creation {
    /// When it was sent (Unix seconds, this machine's clock).
    at: i64,
    /// The `expires_at` the target answered.
    expires_at: Option<String>,
    /// The exchange, its body moved out (it is the session under test).
    exchange: Exchange,
}

impl ConformanceWorld {
    fn new() -> Self {
        let context = CONTEXT
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
            .expect("the runner installs a RunContext before any scenario starts");
        ConformanceWorld {
            context,
            scenario: String::new(),
            provider: Provider::Stripe,
            prices: HashMap::new(),
            products: HashMap::new(),
            shipping_rates: HashMap::new(),
            session: None,
            created_items: Vec::new(),
            last: None,
            first: None,
            created: None,
            own_sessions: Vec::new(),
        }
    }

    fn target(&self) -> &Target {
        self.context.targets.get(&self.provider).unwrap_or_else(|| {
            panic!(
                "the run has no target for {}: scenarios are filtered by provider",
                self.provider
            )
        })
    }

    fn client(&self) -> &Client {
        &self.target().client
    }

    /// Sends a request through `client` (the scenario's, or one derived from it) and checks
    /// the answer ([`check`]); a failed check fails the step.
    async fn exchange(&self, client: &Client, method: &str, path: &str, body: Body) -> Exchange {
        let result = client.send(method, path, body).await;
        check(&self.context, self.provider, &self.scenario, result)
            .unwrap_or_else(|message| panic!("{message}"))
    }

    async fn get(&self, path: &str) -> Exchange {
        self.send("GET", path, Body::Empty).await
    }

    async fn post(&self, path: &str, params: &Value) -> Exchange {
        self.send(
            "POST",
            path,
            Body::Form(crate::wire::form::encode_json(params)),
        )
        .await
    }

    async fn post_raw(&self, path: &str, body: String) -> Exchange {
        self.send("POST", path, Body::Form(body)).await
    }

    /// The id of the session under test.
    fn session_id(&self) -> String {
        self.session
            .as_ref()
            .and_then(|s| s["id"].as_str())
            .map(str::to_owned)
            .expect("a Given step creates the session first")
    }

    /// A field of an error answer, wherever the provider's envelope puts it: Stripe's
    /// `{"error": {"type", "code", "param"}}`, Gr4vy's `{"type", "code", "status", "details"}`.
    fn error_field(&self, body: &Value, field: &str) -> Value {
        let envelope = match self.provider {
            Provider::Stripe => &body["error"],
            Provider::Gr4vy => body,
        };
        envelope.get(field).cloned().unwrap_or(Value::Null)
    }

    /// Where the session under test is retrieved and updated.
    fn session_path(&self) -> String {
        self.provider.session_path(&self.session_id())
    }

    /// Closes the sessions this scenario created (the `after` hook calls this).
    pub async fn close_own_sessions(&mut self) {
        for id in std::mem::take(&mut self.own_sessions) {
            self.context.close(self.provider, &id, &self.scenario).await;
        }
    }

    /// Sends a request on the scenario's target, checked and recorded.
    async fn send(&self, method: &str, path: &str, body: Body) -> Exchange {
        self.exchange(self.client(), method, path, body).await
    }

    fn last(&self) -> &Exchange {
        self.last
            .as_ref()
            .expect("a When step sends a request first")
    }

    /// Fails the step with a diff, the request and its Request-Id.
    fn mismatch(&self, what: &str, expected: &Value, actual: &Value, exchange: &Exchange) {
        if let Some(diff) = crate::diff::unified(expected, actual) {
            panic!(
                "{what} differs from the documentation\n{diff}request:\n{}",
                exchange.describe()
            );
        }
    }

    /// Replaces the placeholders in `text`.
    fn resolve(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(start) = rest.find('{') {
            out.push_str(&rest[..start]);
            let after = &rest[start + 1..];
            match after
                .find('}')
                .and_then(|end| self.placeholder(&after[..end]).map(|v| (end, v)))
            {
                Some((end, value)) => {
                    out.push_str(&value);
                    rest = &after[end + 1..];
                }
                None => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }

    fn placeholder(&self, name: &str) -> Option<String> {
        let unknown = |kind: &str, key: &str| -> ! {
            panic!("the feature names {kind} `{key}`, but no Given step created it")
        };
        if let Some(key) = name.strip_prefix("price ") {
            return Some(
                self.prices
                    .get(key)
                    .cloned()
                    .unwrap_or_else(|| unknown("price", key)),
            );
        }
        if let Some(key) = name.strip_prefix("product ") {
            return Some(
                self.products
                    .get(key)
                    .cloned()
                    .unwrap_or_else(|| unknown("product", key)),
            );
        }
        if let Some(key) = name.strip_prefix("shipping rate ") {
            return Some(
                self.shipping_rates
                    .get(key)
                    .cloned()
                    .unwrap_or_else(|| unknown("shipping rate", key)),
            );
        }
        if let Some(n) = name
            .strip_prefix("line item ")
            .and_then(|n| n.parse::<usize>().ok())
        {
            return Some(
                n.checked_sub(1)
                    .and_then(|i| self.created_items.get(i))
                    .cloned()
                    .unwrap_or_else(|| unknown("line item", &n.to_string())),
            );
        }
        if name == "session" {
            return Some(self.session_id());
        }
        if let Some(n) = name
            .strip_suffix(" chars")
            .and_then(|n| n.parse::<usize>().ok())
        {
            return Some("a".repeat(n));
        }
        None
    }

    /// The step's doc string as JSON, placeholders resolved.
    fn docstring_json(&self, step: &cucumber::gherkin::Step) -> Value {
        let params: Value = serde_json::from_str(docstring(step)).expect("the doc string is JSON");
        self.resolve_json(&params)
    }

    /// Replaces placeholders in every string of a JSON document.
    fn resolve_json(&self, value: &Value) -> Value {
        match value {
            Value::String(s) => Value::String(self.resolve(s)),
            Value::Array(items) => {
                Value::Array(items.iter().map(|v| self.resolve_json(v)).collect())
            }
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (self.resolve(k), self.resolve_json(v)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }
}

/// Rows of a data table, each as its cells.
fn rows(step: &cucumber::gherkin::Step) -> Vec<Vec<String>> {
    step.table
        .as_ref()
        .map(|t| t.rows.clone())
        .expect("this step takes a data table")
}

/// A data table with a header row, as one JSON object per row (cells as strings).
fn records(step: &cucumber::gherkin::Step) -> Vec<serde_json::Map<String, Value>> {
    let rows = rows(step);
    let Some((header, body)) = rows.split_first() else {
        return Vec::new();
    };
    body.iter()
        .map(|row| {
            header
                .iter()
                .cloned()
                .zip(row.iter().map(|c| Value::String(c.clone())))
                .collect()
        })
        .collect()
}

fn docstring(step: &cucumber::gherkin::Step) -> &str {
    step.docstring
        .as_deref()
        .expect("this step takes a doc string")
        .trim()
}

/// Records the exchange of `scenario` and checks what every answer must be: an answer at all
/// (a transport error is an infrastructure error), not a 429 or 5xx left after the client's
/// retries (infrastructure too), a body valid against its schema, and (Stripe) a Request-Id.
/// `Err` holds the step's failure message.
fn check(
    context: &RunContext,
    provider: Provider,
    scenario: &str,
    result: Result<Exchange, ClientError>,
) -> Result<Exchange, String> {
    let exchange = result.map_err(|e| format!("{INFRASTRUCTURE}: {e}"))?;
    if let Some(log) = &context.requests {
        log.record(scenario, &exchange);
    }
    context.note_retries(scenario, exchange.attempts.len());
    // The client retries 429 and 5xx; one still standing is the target's trouble, not a
    // contract the documentation states.
    if exchange.status == 429 || exchange.status >= 500 {
        return Err(format!(
            "{INFRASTRUCTURE}: the target answered {} (after the client's retries)\nrequest:\n{}",
            exchange.status,
            exchange.describe()
        ));
    }
    let schemas = context
        .targets
        .get(&provider)
        .map(|t| t.schemas)
        .ok_or_else(|| format!("the run has no target for {provider}"))?;
    validate(schemas, &exchange)?;
    if exchange.request_id.is_none() && provider == Provider::Stripe {
        return Err(format!(
            "the response carries no Request-Id header (every Stripe response does)\nrequest:\n{}",
            exchange.describe()
        ));
    }
    Ok(exchange)
}

/// Validates the body of `exchange` against the schema of what it is (an object it names, or
/// an error envelope).
fn validate(schemas: &SchemaRegistry, exchange: &Exchange) -> Result<(), String> {
    if exchange.status == 204 {
        // No Content: nothing to validate.
        return Ok(());
    }
    if !exchange.body_is_json {
        return Err(format!(
            "the response body is not JSON:\n{}\nrequest:\n{}",
            exchange.body,
            exchange.describe()
        ));
    }
    let Some(id) = schemas.for_object(&exchange.body) else {
        return Err(format!(
            "the response body is neither a known object (no known `object` field) nor an error envelope:\n{}\nrequest:\n{}",
            serde_json::to_string_pretty(&exchange.body).unwrap_or_default(),
            exchange.describe()
        ));
    };
    schemas.validate(id, &exchange.body).map_err(|violations| {
        let mut message = format!("the response body violates the `{}` schema:\n", id.name());
        for v in violations.iter().take(10) {
            let _ = writeln!(message, "  {v}");
        }
        let _ = write!(message, "request:\n{}", exchange.describe());
        message
    })
}
