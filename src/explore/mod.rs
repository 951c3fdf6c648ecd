//! Explore: generated, model-based conformance runs.
//!
//! A vendor's [`Explorer`] generates cases (a session to start from and a sequence of updates)
//! from a seeded RNG, predicts every answer with an executable model of the documented
//! behaviour (its own code, independent of the bundled mock's) and checks each answer and a
//! read-back of the session against the prediction. The engine here runs the cases against a
//! [`Target`] (the run's client, with its rate limiter, retries and a request budget), shrinks
//! the first mismatch to a minimal case and renders it as a Gherkin scenario written with the
//! suite's own steps.
//!
//! Outcomes are typed: a mismatch is a [`Finding`]; a fixture the target refuses is a setup
//! failure and a target that does not answer (or keeps answering 5xx/429) an infrastructure
//! error ([`Stop`]) — neither is ever reported as a mismatch.
//!
//! ```
//! use checkout_conformance::explore::{case_seed, Stop};
//! // Each case has its own seed, derived from the run's: the same seed replays the same cases.
//! assert_eq!(case_seed(7, 3), case_seed(7, 3));
//! assert_ne!(case_seed(7, 3), case_seed(7, 4));
//! assert!(Stop::Setup("creating a price".into()).to_string().contains("setup"));
//! ```

pub mod cli;
pub mod report;
pub mod run;

use crate::client::{Body, Client, ClientError, Exchange, Secret};
use crate::vendor::Provider;
use crate::verdict::consistent_server_error;
use serde_json::Value;
use std::any::Any;
use std::fmt::Debug;
use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

pub use run::{explore_blocking, ExploreConfig, ExploreError, ExploreReport, Finding, Origin};

/// A difference between the model's prediction and the target's answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Mismatch {
    /// The index (0-based) of the step whose answer or read-back differs.
    pub step: usize,
    /// What differs, in a word or two (`status`, `metadata`, `line_items`, `idempotency`):
    /// shrinking keeps a candidate only when it fails the same way.
    pub kind: String,
    /// A sentence for people: `the answer to update 3`, `the session read back after update 3`.
    pub what: String,
    /// What the model predicted.
    pub expected: Value,
    /// What the target answered (projected on the same fields).
    pub actual: Value,
    /// The request under test and its answer ([`Exchange::describe`]), and the read-back.
    pub requests: String,
}

impl Mismatch {
    /// The unified diff of [`Mismatch::expected`] and [`Mismatch::actual`] (ids bound, not
    /// masked: an id that moves is a difference).
    ///
    /// ```
    /// use checkout_conformance::explore::Mismatch;
    /// use serde_json::json;
    /// let m = Mismatch { step: 0, kind: "metadata".into(), what: "the answer".into(),
    ///     expected: json!({"a": "1"}), actual: json!({}), requests: String::new() };
    /// assert!(m.diff().contains("-  \"a\": \"1\""));
    /// ```
    pub fn diff(&self) -> String {
        crate::diff::unified_with(&self.expected, &self.actual, &[]).unwrap_or_default()
    }
}

/// Why a case stopped before its last step.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Stop {
    /// The target's answer differs from the model's prediction.
    #[error("step {} differs: {}", .0.step + 1, .0.what)]
    Mismatch(Box<Mismatch>),
    /// A fixture (a price, a session to start from) could not be set up: nothing was judged.
    #[error("setup failed: {0}")]
    Setup(String),
    /// No usable answer (unreachable, timeout, 429 or 5xx after the retries).
    #[error("infrastructure: {0}")]
    Infrastructure(String),
    /// `--max-requests` is spent.
    #[error("the request budget is spent")]
    Budget,
    /// The case cannot be run as written (a shrunk candidate refers to a step it lost).
    #[error("the case is not runnable: {0}")]
    Invalid(String),
}

impl Stop {
    /// A mismatch at `step`.
    pub fn mismatch(
        step: usize,
        kind: impl Into<String>,
        what: impl Into<String>,
        expected: Value,
        actual: Value,
        requests: String,
    ) -> Stop {
        Stop::Mismatch(Box::new(Mismatch {
            step,
            kind: kind.into(),
            what: what.into(),
            expected,
            actual,
            requests,
        }))
    }
}

/// The seed of case `case` of a run seeded with `seed` (SplitMix64 of both).
pub fn case_seed(seed: u64, case: u64) -> u64 {
    let mut z = seed
        .wrapping_add(case.wrapping_mul(0x9E37_79B9_7F4A_7C15))
        .wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The credential a request is sent with.
#[derive(Debug, Clone, PartialEq)]
pub enum Credential {
    /// The run's own (the client's).
    Run,
    /// None: no `Authorization` header.
    Missing,
    /// A value that is no secret (a made-up key, a malformed token), sent to be refused:
    /// reproductions show it.
    Public(&'static str),
    /// A credential made for the request from the run's secrets (a token expired or without
    /// a scope, signed with the run's key), described in words: reproductions say what to put
    /// in its place instead of showing it.
    Made {
        /// The credential.
        token: Secret,
        /// What it is, for people: `an expired token signed with the run's key`.
        what: &'static str,
    },
}

/// A request the exploration judges (an update, a probe): where it goes, what it carries, and
/// a session the target knows, read to tell a 5xx it answers this request alone from a target
/// in trouble.
#[derive(Debug, Clone)]
pub struct UnderTest<'a> {
    /// `POST`, `PUT`.
    pub method: &'static str,
    /// The path (and query).
    pub path: &'a str,
    /// The body.
    pub body: Body,
    /// The `Idempotency-Key`, when one is sent.
    pub idempotency_key: Option<&'a str>,
    /// The credential.
    pub credential: Credential,
    /// The path of a session the target answers (the case's own, read with the run's
    /// credential).
    pub known: &'a str,
}

/// The target of an exploration: the run's client (rate limiter, retries, credential), the
/// requests spent against `--max-requests`, and the sessions created (closed at the end).
#[derive(Debug)]
pub struct Target {
    /// The vendor.
    pub provider: Provider,
    client: Client,
    spent: AtomicU64,
    max_requests: Option<u64>,
    created: Mutex<Vec<String>>,
    /// Whether the exchanges are kept (while a finding's shrunk case is rerun for its
    /// reproduction: no other case runs then).
    recording: AtomicBool,
    recorded: Mutex<Vec<(Exchange, Credential)>>,
    state: Option<Arc<dyn Any + Send + Sync>>,
}

impl Target {
    /// A target reached with `client`, at most `max_requests` requests (none: no bound).
    pub fn new(provider: Provider, client: Client, max_requests: Option<u64>) -> Target {
        Target {
            provider,
            client,
            spent: AtomicU64::new(0),
            max_requests,
            created: Mutex::default(),
            recording: AtomicBool::new(false),
            recorded: Mutex::default(),
            state: None,
        }
    }

    /// The same target, holding the connection's vendor state (a key to mint tokens with).
    pub fn with_state(self, state: Option<Arc<dyn Any + Send + Sync>>) -> Target {
        Target { state, ..self }
    }

    /// The connection's vendor state, when it is a `T`
    /// ([`Connection::state`](crate::vendor::Connection::state)).
    pub fn state<T: Any>(&self) -> Option<&T> {
        self.state.as_deref()?.downcast_ref()
    }

    /// The client's base URL.
    pub fn base_url(&self) -> &str {
        self.client.base_url()
    }

    /// Keeps every exchange answered from now on, until [`Target::recorded`].
    pub fn record(&self) {
        self.recorded
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
        self.recording.store(true, Ordering::Relaxed);
    }

    /// Stops keeping exchanges; hands out those kept since [`Target::record`], in order, each
    /// with the credential it was sent with.
    pub fn recorded(&self) -> Vec<(Exchange, Credential)> {
        self.recording.store(false, Ordering::Relaxed);
        std::mem::take(&mut *self.recorded.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// Requests sent so far (each retried attempt counts).
    pub fn spent(&self) -> u64 {
        self.spent.load(Ordering::Relaxed)
    }

    /// Sends a request with the run's credential (with `idempotency_key` when given): a
    /// fixture's or a read-back. A transport error, or a 429/5xx still standing after the
    /// client's retries, is [`Stop::Infrastructure`]; a spent budget is [`Stop::Budget`].
    pub async fn send(
        &self,
        method: &str,
        path: &str,
        body: Body,
        idempotency_key: Option<&str>,
    ) -> Result<Exchange, Stop> {
        let exchange = self
            .exchange(&self.client, method, path, body, idempotency_key, true)
            .await?;
        let exchange = self.record_exchange(exchange, &Credential::Run);
        no_5xx(exchange)
    }

    /// Sends a request under test. As [`Target::send`], except for a 5xx the target answered
    /// to every attempt ([`consistent_server_error`], the suite's rule): when the target
    /// answers the known session right after, the 5xx is its answer to this request — handed
    /// back, for the caller to judge against the documented answer — and otherwise
    /// [`Stop::Infrastructure`].
    pub async fn send_under_test(&self, request: UnderTest<'_>) -> Result<Exchange, Stop> {
        // A client of its own (sharing the rate limiter) when the credential is not the run's.
        let other = match &request.credential {
            Credential::Run => None,
            Credential::Missing => Some(None),
            Credential::Public(value) => Some(Some(Secret::new(*value))),
            Credential::Made { token, .. } => Some(Some(token.clone())),
        };
        let other = other.map(|key| self.client.with_api_key(key));
        let client = other.as_ref().unwrap_or(&self.client);
        let exchange = self
            .exchange(
                client,
                request.method,
                request.path,
                request.body,
                request.idempotency_key,
                true,
            )
            .await?;
        let exchange = self.record_exchange(exchange, &request.credential);
        if !consistent_server_error(&exchange) {
            return no_5xx(exchange);
        }
        // Not recorded: the reproduction ends with the answer that differs.
        let known = self
            .exchange(&self.client, "GET", request.known, Body::Empty, None, false)
            .await
            .and_then(no_5xx);
        match known {
            Ok(read) if (200..300).contains(&read.status) => Ok(exchange),
            Ok(read) => Err(Stop::Infrastructure(format!(
                "the target answered {} to every attempt of a request, and {} to a session it knows\nrequest:\n{}",
                exchange.status,
                read.status,
                exchange.describe()
            ))),
            Err(stop) => Err(Stop::Infrastructure(format!(
                "the target answered {} to every attempt of a request, and a session it knows could not be read either ({stop})\nrequest:\n{}",
                exchange.status,
                exchange.describe()
            ))),
        }
    }

    async fn exchange(
        &self,
        client: &Client,
        method: &str,
        path: &str,
        body: Body,
        idempotency_key: Option<&str>,
        budgeted: bool,
    ) -> Result<Exchange, Stop> {
        if budgeted
            && self
                .max_requests
                .is_some_and(|max| self.spent.load(Ordering::Relaxed) >= max)
        {
            return Err(Stop::Budget);
        }
        // The key goes with this request only: no client is derived (and cloned) for it.
        let result = client.send_keyed(method, path, body, idempotency_key).await;
        let exchange = result.map_err(|e: ClientError| {
            self.spent.fetch_add(1, Ordering::Relaxed);
            Stop::Infrastructure(format!("the target could not be used: {e}"))
        })?;
        self.spent
            .fetch_add(1 + exchange.attempts.len() as u64, Ordering::Relaxed);
        Ok(exchange)
    }

    fn record_exchange(&self, exchange: Exchange, credential: &Credential) -> Exchange {
        if self.recording.load(Ordering::Relaxed) {
            self.recorded
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .push((exchange.clone(), credential.clone()));
        }
        exchange
    }

    /// Remembers a session the exploration created, to close it at the end.
    pub fn note_created(&self, id: &str) {
        self.created
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(id.to_owned());
    }

    /// Closes (expires or deletes) every session created; returns how many were closed.
    pub async fn cleanup(&self) -> usize {
        let ids = std::mem::take(&mut *self.created.lock().unwrap_or_else(|p| p.into_inner()));
        let vendor = self.provider.vendor();
        let mut closed = 0;
        for id in ids {
            let (method, path, body) = vendor.close_session(&id);
            if let Ok(e) = self.client.send(method, &path, body).await {
                if (200..300).contains(&e.status) || vendor.already_closed(e.status) {
                    closed += 1;
                }
            }
        }
        closed
    }
}

/// A 429 or 5xx still standing after the client's retries is the target's trouble
/// ([`Stop::Infrastructure`]), not an answer.
fn no_5xx(exchange: Exchange) -> Result<Exchange, Stop> {
    if exchange.status == 429 || exchange.status >= 500 {
        return Err(Stop::Infrastructure(format!(
            "the target answered {} (after the client's retries)\nrequest:\n{}",
            exchange.status,
            exchange.describe()
        )));
    }
    Ok(exchange)
}

/// Judges the answer to a probe against the documented rejection (a status and the fields of
/// the vendor's error envelope: [`Vendor::unauthenticated`](crate::vendor::Vendor::unauthenticated),
/// [`Vendor::session_missing`](crate::vendor::Vendor::session_missing) — what the suite's
/// scenarios of those clauses check): a mismatch of `kind` at `step` when they differ.
pub fn judge_rejection(
    provider: Provider,
    step: usize,
    kind: &str,
    what: String,
    (status, fields): crate::vendor::Rejection,
    exchange: &Exchange,
) -> Result<(), Stop> {
    let (expected, actual) = provider.rejection(status, fields, exchange.status, &exchange.body);
    if expected == actual {
        return Ok(());
    }
    Err(Stop::mismatch(
        step,
        kind,
        what,
        expected,
        actual,
        exchange.describe(),
    ))
}

/// A finding rendered with the suite's own steps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scenario {
    /// The scenario (tags, `Scenario:` line, steps), indented as in a feature file.
    pub text: String,
    /// Why it cannot reproduce the finding as written, when the suite's steps cannot express a
    /// step of the case (an id only the target knows, an idempotency key reused).
    pub not_expressible: Option<String>,
}

impl Scenario {
    /// A whole feature file holding the scenario (for a provider's tag).
    ///
    /// ```
    /// use checkout_conformance::explore::Scenario;
    /// let s = Scenario { text: "  Scenario: x\n    Given a checkout session\n".into(), not_expressible: None };
    /// assert!(s.feature("gr4vy").starts_with("@gr4vy @explore\nFeature:"));
    /// ```
    pub fn feature(&self, tag: &str) -> String {
        format!(
            "@{tag} @explore\nFeature: Found by checkout-conformance explore\n\n{}",
            self.text
        )
    }
}

/// What a vendor contributes to exploration: the generation of cases, the executable model
/// (inside [`Explorer::execute`]), shrinking candidates and the rendering as Gherkin.
pub trait Explorer: Sync {
    /// One generated case: where the session starts and the operations applied to it.
    type Case: Clone + Debug + Send + Sync;

    /// The vendor explored.
    fn provider(&self) -> Provider;

    /// Creates the run's fixtures (prices, shipping rates) once, before the first case.
    fn prepare(&mut self, target: &Target) -> impl Future<Output = Result<(), Stop>>;

    /// Generates a case of at most `max_steps` operations; the same `rng` state, the same case.
    fn generate(&self, rng: &mut fastrand::Rng, max_steps: usize) -> Self::Case;

    /// The probes: cases every exploration runs (after [`Explorer::prepare`], before the
    /// generated ones) for what generated cases never send — a request without a valid
    /// credential, one for a session that does not exist — judged as the suite's scenarios of
    /// those clauses judge them. None by default.
    fn probes(&self) -> Vec<Self::Case> {
        Vec::new()
    }

    /// How many operations `case` has.
    fn steps(&self, case: &Self::Case) -> usize;

    /// Runs `case` against the target, checking each answer and read-back against the model;
    /// stops at the first difference.
    fn execute(&self, target: &Target, case: &Self::Case)
        -> impl Future<Output = Result<(), Stop>>;

    /// Smaller variants of `case`, the most promising first (fewer steps, fewer items, simpler
    /// values). Each must be runnable on its own.
    fn shrink(&self, case: &Self::Case) -> Vec<Self::Case>;

    /// The case up to the mismatch as a scenario written with the suite's steps.
    fn scenario(&self, case: &Self::Case, mismatch: &Mismatch, title: &str) -> Scenario;
}

/// The steps of a sequence with one removed, then pairs of halves removed (delta debugging):
/// the candidates a vendor's [`Explorer::shrink`] starts with.
///
/// ```
/// use checkout_conformance::explore::removals;
/// let c = removals(&[1, 2, 3, 4]);
/// assert_eq!(c[0], vec![1, 2]);      // the back half
/// assert_eq!(c[1], vec![3, 4]);      // the front half
/// assert!(c.contains(&vec![1, 3, 4]));
/// ```
pub fn removals<T: Clone + PartialEq>(items: &[T]) -> Vec<Vec<T>> {
    let mut out = Vec::new();
    let n = items.len();
    let mut chunk = (n / 2).max(1);
    while chunk >= 1 && n > 0 {
        let mut start = n;
        while start > 0 {
            let from = start.saturating_sub(chunk);
            let mut candidate = items[..from].to_vec();
            candidate.extend_from_slice(&items[start..]);
            if candidate.len() < n && !out.contains(&candidate) {
                out.push(candidate);
            }
            start = from;
        }
        if chunk == 1 {
            break;
        }
        chunk /= 2;
    }
    out
}

/// Escapes a value for a Gherkin table cell.
///
/// ```
/// use checkout_conformance::explore::cell;
/// assert_eq!(cell("a|b"), "a\\|b");
/// ```
pub fn cell(text: &str) -> String {
    text.replace('\\', "\\\\").replace('|', "\\|")
}

/// A Gherkin table, its columns padded, indented by six spaces.
///
/// ```
/// use checkout_conformance::explore::table;
/// let t = table(&[vec!["price".into(), "quantity".into()], vec!["Mug".into(), "1".into()]]);
/// assert_eq!(t, "      | price | quantity |\n      | Mug   | 1        |\n");
/// ```
pub fn table(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let width: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| cell(s).chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        out.push_str("      |");
        for (c, w) in width.iter().enumerate() {
            let text = row.get(c).map(|s| cell(s)).unwrap_or_default();
            let pad = w.saturating_sub(text.chars().count());
            out.push_str(&format!(" {text}{} |", " ".repeat(pad)));
        }
        out.push('\n');
    }
    out
}

/// A doc string holding `value` as pretty JSON, indented under a step.
///
/// ```
/// use checkout_conformance::explore::json_docstring;
/// let d = json_docstring(&serde_json::json!({"metadata": ""}));
/// assert!(d.starts_with("      \"\"\"\n      {\n"));
/// ```
pub fn json_docstring(value: &Value) -> String {
    let pretty = serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string());
    let mut out = String::from("      \"\"\"\n");
    for line in pretty.lines() {
        out.push_str("      ");
        out.push_str(line);
        out.push('\n');
    }
    out.push_str("      \"\"\"\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case::empty(&[], 0)]
    #[case::one(&[1], 1)]
    #[case::four(&[1, 2, 3, 4], 2 + 4)]
    fn removals_are_smaller_and_distinct(#[case] items: &[u8], #[case] count: usize) {
        let c = removals(items);
        assert_eq!(c.len(), count, "{c:?}");
        assert!(c.iter().all(|x| x.len() < items.len()));
    }

    #[test]
    fn case_seeds_spread() {
        let seeds: std::collections::HashSet<u64> = (0..1000).map(|c| case_seed(1, c)).collect();
        assert_eq!(seeds.len(), 1000);
    }
}
