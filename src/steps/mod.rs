//! The cucumber World and the step definitions every vendor's features share; each vendor's own
//! steps are in its folder (`src/vendor/<vendor>/steps`).
//!
//! Grouped by domain, as cucumber-rs recommends:
//!
//! - `session`: the session under test — created through the target's public API (so the same
//!   features run against the sandbox) and checked as created, the update under test in the
//!   vendor's wire format, and what the answer and a read-back must show;
//! - `metadata`: metadata set up, updated, and held;
//! - `rejections`: an update refused as the documentation says, matched on the vendor's envelope;
//! - `expect`: comparing answers with what a step expects; a mismatch fails the step with a
//!   unified diff, the request that caused it and the target's Request-Id.
//! - `args`: tables, doc strings and placeholders, parsed once; `dry_run`: the run's dry run.
//!
//! Every response body is validated against its JSON Schema as it arrives, in every step.
//!
//! Values in tables and doc strings may use placeholders, resolved per scenario:
//! `{price NAME}`, `{product NAME}`, `{shipping rate NAME}`, `{line item N}` (1-based, as the
//! session was created),
//! `{session}`, and `{N chars}` (a string of N characters).

pub(crate) mod args;
mod dry_run;
pub(crate) mod expect;
mod metadata;
mod rejections;
mod session;

use crate::client::{Body, Client, ClientError, Exchange};
use crate::report::RequestLog;
use crate::schema::SchemaRegistry;
use crate::vendor::Provider;
use crate::verdict::{self, FailureKind, StepFailure};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};

pub use args::cell_json;
pub(crate) use dry_run::dry_run;
pub use dry_run::AuthoringError;

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
    /// What the vendor's own steps need beyond the client
    /// ([`Connection::state`](crate::vendor::Connection::state)).
    pub state: Option<std::sync::Arc<dyn std::any::Any + Send + Sync>>,
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
        let (method, path, body) = provider.vendor().close_session(id);
        let result = target.client.send(method, &path, body).await;
        if let (Some(log), Ok(exchange)) = (&self.requests, &result) {
            log.record(scenario, exchange);
        }
        let mut counts = self.cleanup.lock().unwrap_or_else(|p| p.into_inner());
        match &result {
            Ok(e) if (200..300).contains(&e.status) => counts.done += 1,
            Ok(e) if provider.vendor().already_closed(e.status) => counts.already_closed += 1,
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

/// One scenario's state against its provider's target.
///
/// The runner builds one per scenario and hands it the run's [`RunContext`] in its `before`
/// hook. In a dry run ([`ConformanceWorld::dry`]) steps parse their arguments, fixtures are
/// declared without requests, and the first request a step would send ends the step: that is
/// how the runner finds authoring mistakes before the first request.
#[derive(Debug, cucumber::World)]
#[world(init = Self::new)]
pub struct ConformanceWorld {
    pub(crate) context: Arc<RunContext>,
    /// A dry run: nothing is sent.
    pub(crate) dry_run: bool,
    /// `Feature / Scenario`, for the request log.
    pub scenario: String,
    /// The scenario's provider (from its tags).
    pub provider: Provider,
    /// The objects the scenario's Given steps created, by kind (one of the vendor's
    /// [`fixture_kinds`](crate::vendor::Vendor::fixture_kinds)) and name: their ids, what a
    /// `{KIND NAME}` placeholder stands for.
    pub(crate) fixtures: HashMap<(&'static str, String), String>,
    /// The session under test: its id and the body last known to be right.
    pub(crate) session: Option<Value>,
    /// Line item ids in the order the session was created with.
    pub(crate) created_items: Vec<String>,
    /// The last exchange of a `When` step: the request under test.
    pub(crate) last: Option<Exchange>,
    /// Whether a `When` step sent its request (in a dry run: would have).
    when_sent: bool,
    /// The first of two exchanges, when a `When` step sends a request twice.
    pub(crate) first: Option<Exchange>,
    /// How the session under test was created.
    pub(crate) created: Option<Creation>,
    /// The sessions this scenario created, closed when it ends.
    pub(crate) own_sessions: Vec<String>,
}

/// The creation of the session under test.
#[derive(Debug, Clone)]
pub(crate) struct Creation {
    /// When it was sent (Unix seconds, this machine's clock).
    pub(crate) at: i64,
    /// The `expires_at` the target answered.
    pub(crate) expires_at: Option<String>,
    /// The exchange, its body moved out (it is the session under test).
    pub(crate) exchange: Exchange,
}

impl ConformanceWorld {
    /// A World attached to no run yet (cucumber builds one per scenario; the runner's `before`
    /// hook [`attaches`](Self::attach) it), sharing one empty context.
    fn new() -> Self {
        static DETACHED: std::sync::LazyLock<Arc<RunContext>> =
            std::sync::LazyLock::new(|| Arc::new(RunContext::new(BTreeMap::new(), None)));
        ConformanceWorld {
            context: DETACHED.clone(),
            dry_run: false,
            scenario: String::new(),
            provider: Provider::ALL[0],
            fixtures: HashMap::new(),
            session: None,
            created_items: Vec::new(),
            last: None,
            when_sent: false,
            first: None,
            created: None,
            own_sessions: Vec::new(),
        }
    }

    /// A World for a dry run of a `provider` scenario: nothing is sent.
    pub fn dry(provider: Provider) -> Self {
        let mut world = Self::new();
        world.dry_run = true;
        world.provider = provider;
        world
    }

    /// Makes this World run against `context` as the scenario `scenario` of `provider` (the
    /// runner's `before` hook calls this).
    pub fn attach(&mut self, context: Arc<RunContext>, provider: Provider, scenario: String) {
        self.context = context;
        self.provider = provider;
        self.scenario = scenario;
    }

    /// The answer to the request under test (the one a When step sent), once sent: what a
    /// failure's reproduction (`curl`) repeats.
    pub fn request_under_test(&self) -> Option<&Exchange> {
        self.last.as_ref()
    }

    /// In a dry run, the step waits here forever: what follows would talk to the target. The
    /// dry run takes a step that waits as one well-formed up to its first request (and drops
    /// it: nothing unwinds).
    pub(crate) async fn dry_stop(&self) {
        if self.dry_run {
            std::future::pending::<()>().await;
        }
    }

    pub(crate) fn target(&self) -> &Target {
        self.context.targets.get(&self.provider).unwrap_or_else(|| {
            StepFailure::new(
                FailureKind::Internal,
                format!(
                    "the run has no target for {}: scenarios are filtered by provider",
                    self.provider
                ),
            )
            .raise()
        })
    }

    pub(crate) fn client(&self) -> &Client {
        &self.target().client
    }

    /// Sends a request through `client` (the scenario's, or one derived from it) and checks
    /// the answer ([`check`]); a failed check stops the step with its typed failure.
    pub(crate) async fn exchange(
        &self,
        client: &Client,
        method: &str,
        path: &str,
        body: Body,
    ) -> Exchange {
        self.checked(client, method, path, body, Checks::All).await
    }

    /// Sends a request and checks its answer with `checks`; a failed check stops the step.
    async fn checked(
        &self,
        client: &Client,
        method: &str,
        path: &str,
        body: Body,
        checks: Checks,
    ) -> Exchange {
        self.dry_stop().await;
        let result = client.send(method, path, body).await;
        check(&self.context, self.provider, &self.scenario, result, checks)
            .unwrap_or_else(|failure| failure.raise())
    }

    /// Sends a fixture request (a Given step's): recorded, and checked for an answer at all
    /// (infrastructure) and a steady 5xx, but not for the API-wide rules every answer follows
    /// (schema, Request-Id): those are judged on the requests under test, by the scenarios
    /// that check them, so a target that breaks them fails those clauses instead of leaving
    /// every scenario unverified.
    async fn fixture(&self, method: &str, path: &str, body: Body) -> Exchange {
        self.checked(self.client(), method, path, body, Checks::Transport)
            .await
    }

    pub(crate) async fn fixture_post(&self, path: &str, params: &Value) -> Exchange {
        self.fixture("POST", path, self.provider.update_body(params))
            .await
    }

    pub(crate) async fn get(&self, path: &str) -> Exchange {
        self.send("GET", path, Body::Empty).await
    }

    pub(crate) async fn post_raw(&self, path: &str, body: String) -> Exchange {
        self.send("POST", path, Body::Form(body)).await
    }

    /// The id of the session under test.
    pub(crate) fn session_id(&self) -> String {
        self.session
            .as_ref()
            .and_then(|s| s["id"].as_str())
            .map(str::to_owned)
            .unwrap_or_else(|| {
                verdict::authoring(
                    "this step needs the session under test: a Given step creates it first",
                )
            })
    }

    /// Where the session under test is retrieved and updated.
    pub(crate) fn session_path(&self) -> String {
        self.provider.session_path(&self.session_id())
    }

    /// Closes the sessions this scenario created (the `after` hook calls this).
    pub async fn close_own_sessions(&mut self) {
        for id in std::mem::take(&mut self.own_sessions) {
            self.context.close(self.provider, &id, &self.scenario).await;
        }
    }

    /// Sends a request on the scenario's target, checked and recorded.
    pub(crate) async fn send(&self, method: &str, path: &str, body: Body) -> Exchange {
        self.exchange(self.client(), method, path, body).await
    }

    /// The answer to the request under test. A `Then` step checks it; without a `When` step
    /// before it there is nothing to check (an authoring mistake the dry run finds).
    pub(crate) async fn last(&self) -> &Exchange {
        if !self.when_sent {
            verdict::authoring(
                "this Then step checks the answer to the request under test, but no When step sends one before it",
            );
        }
        self.dry_stop().await;
        self.last.as_ref().unwrap_or_else(|| {
            StepFailure::new(
                FailureKind::Internal,
                "a When step ran but kept no exchange",
            )
            .raise()
        })
    }

    /// Records that a `When` step sends the request under test; in a dry run, ends the step.
    pub(crate) async fn sending_request_under_test(&mut self) {
        self.when_sent = true;
        self.dry_stop().await;
    }

    /// Fails the step with a diff, the request under test and its Request-Id (then, when the
    /// difference was seen on a read-back, that request too).
    pub(crate) fn mismatch(
        &self,
        what: &str,
        expected: &Value,
        actual: &Value,
        exchange: &Exchange,
    ) {
        self.mismatch_seen(what, expected, actual, exchange, None);
    }

    /// [`Self::mismatch`] when `actual` was read back with `read_back` after `exchange`.
    fn mismatch_seen(
        &self,
        what: &str,
        expected: &Value,
        actual: &Value,
        exchange: &Exchange,
        read_back: Option<&Exchange>,
    ) {
        self.mismatch_masking(
            crate::diff::VOLATILE,
            what,
            expected,
            actual,
            exchange,
            read_back,
        );
    }

    /// [`Self::mismatch_seen`] with the keys whose values are not compared: a table compares
    /// every column it names (an `id` column holds the ids the scenario expects, `{line item 1}`
    /// included: an id that moves is a difference), a whole session masks ids and timestamps.
    fn mismatch_masking(
        &self,
        volatile: &[&str],
        what: &str,
        expected: &Value,
        actual: &Value,
        exchange: &Exchange,
        read_back: Option<&Exchange>,
    ) {
        if let Some(diff) = crate::diff::unified_with(expected, actual, volatile) {
            let mut message = format!(
                "{what} differs from the documentation\n{diff}request:\n{}",
                exchange.describe()
            );
            if let Some(read) = read_back {
                let _ = write!(message, "\nread back with:\n{}", read.describe());
            }
            verdict::deviation(message);
        }
    }

    /// Fails a `Given` step: the precondition `what` could not be established by `exchange`.
    pub(crate) fn setup_refused(&self, what: &str, exchange: &Exchange) -> ! {
        verdict::setup_failed(refusal(what, exchange))
    }

    /// Fails a `Then` step: `what`, a request reading back the effect of `under_test`, was
    /// refused by `read`.
    pub(crate) fn read_back_refused(
        &self,
        what: &str,
        read: &Exchange,
        under_test: &Exchange,
    ) -> ! {
        verdict::deviation(format!(
            "{}\nafter the request under test:\n{}",
            refusal(what, read),
            under_test.describe()
        ))
    }

    /// Where the items of the session under test are listed, all of them (for vendors whose
    /// session does not hold its items: [`SessionItems::list_suffix`](crate::vendor::SessionItems)).
    pub(crate) fn items_path(&self) -> String {
        let suffix = self.provider.vendor().session_items().list_suffix;
        format!("{}{}", self.session_path(), suffix.unwrap_or_default())
    }

    /// Fails a `Given` step: the state the target answered or read back is not what was set
    /// up (`expected` vs `actual`).
    pub(crate) fn setup_not_held(
        &self,
        what: &str,
        expected: &Value,
        actual: &Value,
        exchange: &Exchange,
    ) {
        if let Some(diff) = crate::diff::unified(expected, actual) {
            verdict::setup_failed(format!(
                "{what}: the target does not hold the state it was given, so the behaviour under test cannot be verified\n{diff}request:\n{}",
                exchange.describe()
            ));
        }
    }

    /// Replaces the placeholders in `text`; an unknown placeholder, or one naming a fixture no
    /// Given step created, is an authoring mistake.
    pub(crate) fn resolve(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(start) = rest.find('{') {
            out.push_str(&rest[..start]);
            let after = &rest[start + 1..];
            match after.find('}').map(|end| (end, &after[..end])) {
                Some((end, name)) if looks_like_placeholder(name) => {
                    out.push_str(&self.placeholder(name));
                    rest = &after[end + 1..];
                }
                _ => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }

    fn placeholder(&self, name: &str) -> String {
        let unknown = |kind: &str, key: &str| -> ! {
            verdict::authoring(format!(
                "the feature names {kind} `{key}`, but no Given step before it creates it"
            ))
        };
        let kinds = self.provider.vendor().fixture_kinds();
        for &kind in kinds {
            let Some(key) = name.strip_prefix(kind).and_then(|k| k.strip_prefix(' ')) else {
                continue;
            };
            return self
                .fixture_id(kind, key)
                .map(str::to_owned)
                .unwrap_or_else(|| unknown(kind, key));
        }
        if let Some(n) = name.strip_prefix("line item ") {
            return n
                .parse::<usize>()
                .ok()
                .and_then(|n| n.checked_sub(1))
                .and_then(|i| self.created_items.get(i))
                .cloned()
                .unwrap_or_else(|| unknown("line item", n));
        }
        if name == "session" {
            return self.session_id();
        }
        if let Some(n) = name
            .strip_suffix(" chars")
            .and_then(|n| n.parse::<usize>().ok())
        {
            return "a".repeat(n);
        }
        let named: String = kinds.iter().map(|k| format!("{{{k} NAME}}, ")).collect();
        verdict::authoring(format!(
            "unknown placeholder `{{{name}}}`: the placeholders are {named}{{line item N}}, {{session}} and {{N chars}}"
        ))
    }

    /// The id of the `kind` object the scenario created as `name`.
    pub(crate) fn fixture_id(&self, kind: &'static str, name: &str) -> Option<&str> {
        self.fixtures
            .get(&(kind, name.to_owned()))
            .map(String::as_str)
    }

    /// Records the `kind` object created as `name`.
    pub(crate) fn set_fixture(&mut self, kind: &'static str, name: &str, id: String) {
        self.fixtures.insert((kind, name.to_owned()), id);
    }

    /// The step's doc string as JSON, placeholders resolved.
    pub(crate) fn docstring_json(&self, step: &cucumber::gherkin::Step) -> Value {
        self.resolve_json(&args::json_docstring(step))
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

/// `what failed: the target answered 404`, its body and the request.
fn refusal(what: &str, exchange: &Exchange) -> String {
    format!(
        "{what} failed: the target answered {}\n{}\nrequest:\n{}",
        exchange.status,
        exchange.body_text,
        exchange.describe()
    )
}

/// Whether `{name}` is meant as a placeholder: lowercase words, digits, spaces and the
/// characters of fixture names, not JSON or a path template's braces. (`{<length> chars}` in an
/// outline is expanded before this sees it.)
fn looks_like_placeholder(name: &str) -> bool {
    let mut words = name.split(' ');
    let first = words.next().unwrap_or_default();
    let known_kind = ["price", "product", "shipping", "line", "session"].contains(&first)
        || (first.parse::<usize>().is_ok() && name.ends_with(" chars"));
    let plain = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.'));
    // `{checkout_session_id}` (a path template in a description) is not a placeholder; an
    // unknown word followed by a name (`{prce Hat}`) is a mistyped one.
    plain && (known_kind || name.contains(' '))
}

/// What [`check`] asks of an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Checks {
    /// An answer, no 429 or 5xx left after retries, the schema, the Request-Id: a request
    /// under test or a read-back of its effect.
    All,
    /// An answer and no 429 or 5xx left after retries: a fixture's request.
    Transport,
}

/// Records the exchange of `scenario` and checks what every answer must be: an answer at all
/// (a transport error is an infrastructure error), not a 429 or 5xx left after the client's
/// retries (infrastructure, unless the target answered every attempt with a 5xx: see
/// [`consistent_server_error`](crate::verdict::consistent_server_error)); with [`Checks::All`] (every request but a fixture's), a body valid
/// against its schema, and (Stripe) a Request-Id.
fn check(
    context: &RunContext,
    provider: Provider,
    scenario: &str,
    result: Result<Exchange, ClientError>,
    checks: Checks,
) -> Result<Exchange, StepFailure> {
    let exchange = result.map_err(|e| {
        StepFailure::new(
            FailureKind::Infrastructure,
            format!("the target could not be used: {e}"),
        )
    })?;
    if let Some(log) = &context.requests {
        log.record(scenario, &exchange);
    }
    context.note_retries(scenario, exchange.attempts.len());
    if exchange.status >= 500 && crate::verdict::consistent_server_error(&exchange) {
        return Err(StepFailure::new(
            FailureKind::Deviation,
            format!(
                "the target errored consistently: {} on each of {} attempts, where the documentation promises an answer (a 2xx or a 4xx) to this request\n{}\nrequest:\n{}",
                exchange.status,
                exchange.attempts.len() + 1,
                exchange.body_text,
                exchange.describe()
            ),
        ));
    }
    // The client retries 429 and 5xx; one still standing is the target's trouble, not a
    // contract the documentation states.
    if exchange.status == 429 || exchange.status >= 500 {
        return Err(StepFailure::new(
            FailureKind::Infrastructure,
            format!(
                "the target answered {} (after the client's retries)\nrequest:\n{}",
                exchange.status,
                exchange.describe()
            ),
        ));
    }
    if checks == Checks::Transport {
        return Ok(exchange);
    }
    let schemas = context
        .targets
        .get(&provider)
        .map(|t| t.schemas)
        .ok_or_else(|| {
            StepFailure::new(
                FailureKind::Internal,
                format!("the run has no target for {provider}"),
            )
        })?;
    validate(schemas, &exchange).map_err(|m| StepFailure::new(FailureKind::Deviation, m))?;
    if exchange.request_id.is_none() && provider.vendor().request_id_required() {
        return Err(StepFailure::new(
            FailureKind::Deviation,
            format!(
                "the response carries no Request-Id header (every {} response does)\nrequest:\n{}",
                provider.display_name(),
                exchange.describe()
            ),
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
            exchange.body_text,
            exchange.describe()
        ));
    }
    let Some(id) = schemas.for_object(&exchange.body) else {
        return Err(format!(
            "the response body is neither a known object (no known `object` field) nor an error envelope:\n{}\nrequest:\n{}",
            exchange.body_text,
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
