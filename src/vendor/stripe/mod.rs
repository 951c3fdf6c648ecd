//! Stripe: `POST /v1/checkout/sessions/{session}`, form-encoded with bracket notation, a secret
//! key as the credential.
//!
//! - [`explore`]: the operations and the model `explore` generates and checks them with.
//! - [`form`]: the form codec (bracket notation), one for the client and the mock.
//! - [`wire`]: Stripe's error envelope and the pinned API version.
//! - [`mock`]: the Stripe half of the bundled mock.
//! - `steps`: the step definitions only Stripe's features use.

pub mod cli;
pub mod explore;
pub mod form;
pub mod mock;
pub mod schema;
mod steps;
pub mod wire;

use crate::client::{Body, ClientConfig, RetryHints, Secret};
use crate::schema::{SchemaDef, SchemaId, SchemaRegistry};
use crate::vendor::{
    Connection, CredentialError, OptionNames, Rejection, SessionItems, TargetOptions, Vendor,
};
use serde_json::Value;

/// Stripe, as the engine sees it ([`crate::vendor::Provider::Stripe`]).
#[derive(Debug, Clone, Copy)]
pub struct Stripe;

/// The collection of checkout sessions.
pub const SESSIONS_PATH: &str = "/v1/checkout/sessions";

/// The header Stripe sends to say whether a request may be retried.
pub const SHOULD_RETRY_HEADER: &str = "stripe-should-retry";

/// The header carrying the API version a request is made with and an answer follows.
pub const VERSION_HEADER: &str = "stripe-version";

/// The key used against the bundled mock when none is configured.
pub const MOCK_API_KEY: &str = "sk_test_checkout_conformance_bundled_mock";

/// Key prefixes of live mode: a run refuses them before any request.
pub const LIVE_KEY_PREFIXES: [&str; 2] = ["sk_live_", "rk_live_"];

/// Whether `key` is a live-mode key.
///
/// ```
/// use checkout_conformance::vendor::stripe::is_live_key;
/// assert!(is_live_key("sk_live_123"));
/// assert!(is_live_key("rk_live_123"));
/// assert!(!is_live_key("sk_test_123"));
/// ```
pub fn is_live_key(key: &str) -> bool {
    LIVE_KEY_PREFIXES.iter().any(|p| key.starts_with(p))
}

/// A client for a Stripe target: `Stripe-Version` pinned to `version`, an `Idempotency-Key` on
/// every POST, `Stripe-Should-Retry` honoured and an `idempotency_error` never retried.
///
/// ```
/// use checkout_conformance::client::Secret;
/// use checkout_conformance::vendor::stripe::{client_config, wire::API_VERSION};
/// let config = client_config("https://api.stripe.com", Secret::new("sk_test_123456789"), API_VERSION);
/// assert_eq!(config.headers, vec![("stripe-version".to_owned(), "2026-07-29.dahlia".to_owned())]);
/// assert!(config.idempotency_keys);
/// assert_eq!(config.max_retries, 3);
/// ```
pub fn client_config(base_url: &str, api_key: Secret, version: &str) -> ClientConfig {
    ClientConfig {
        headers: vec![(VERSION_HEADER.to_owned(), version.to_owned())],
        idempotency_keys: true,
        retry_hints: RETRY_HINTS,
        ..ClientConfig::bearer(base_url, api_key)
    }
}

const RETRY_HINTS: RetryHints = RetryHints {
    header: Some(SHOULD_RETRY_HEADER),
    // The same key would get the same answer.
    final_answer: Some(|body| body["error"]["type"] == "idempotency_error"),
};

impl Vendor for Stripe {
    fn tag(&self) -> &'static str {
        "stripe"
    }

    fn display_name(&self) -> &'static str {
        "Stripe"
    }

    fn credential_env(&self) -> &'static str {
        "STRIPE_API_KEY"
    }

    fn update_method(&self) -> &'static str {
        "POST"
    }

    fn sessions_path(&self) -> &'static str {
        SESSIONS_PATH
    }

    fn serves(&self, path: &str) -> bool {
        path.starts_with("/v1/")
    }

    fn missing_session_id(&self) -> &'static str {
        "cs_test_checkout_conformance_preflight"
    }

    fn dry_run_session_id(&self) -> &'static str {
        "cs_test_dry_run"
    }

    fn update_body(&self, params: &Value) -> Body {
        Body::Form(form::encode_json(params))
    }

    fn speaks(&self, body: &Value) -> bool {
        body.get("object").is_some() || body.get("error").is_some_and(Value::is_object)
    }

    fn error_envelope<'a>(&self, body: &'a Value) -> &'a Value {
        &body["error"]
    }

    fn unauthenticated(&self) -> Rejection {
        (401, &[("type", "invalid_request_error")])
    }

    fn unknown_session_id(&self) -> &'static str {
        "cs_test_does_not_exist_0000000000"
    }

    fn session_missing(&self) -> Rejection {
        (
            404,
            &[
                ("type", "invalid_request_error"),
                ("code", "resource_missing"),
            ],
        )
    }

    fn request_id_required(&self) -> bool {
        true
    }

    fn close_session(&self, id: &str) -> (&'static str, String, Body) {
        (
            "POST",
            format!("{SESSIONS_PATH}/{id}/expire"),
            Body::Form(String::new()),
        )
    }

    fn already_closed(&self, status: u16) -> bool {
        // Expiring a session a scenario expired already: 400.
        status == 400
    }

    fn retry_hints(&self) -> RetryHints {
        RETRY_HINTS
    }

    fn schemas(&self) -> &'static SchemaRegistry {
        schema::registry()
    }

    fn schema_table(&self) -> &'static [SchemaDef] {
        schema::TABLE
    }

    fn schema_for(&self, body: &Value) -> Option<SchemaId> {
        schema::pick(body).map(SchemaId::from)
    }

    fn schema_formats(
        &self,
        options: jsonschema::ValidationOptions<'static>,
    ) -> jsonschema::ValidationOptions<'static> {
        schema::formats(options)
    }

    fn expandable_fields(&self) -> &'static [&'static str] {
        &["line_items"]
    }

    fn session_items(&self) -> SessionItems {
        SessionItems {
            param: "line_items",
            // The session object does not hold its line items unless expanded.
            list_suffix: Some("/line_items?limit=100"),
        }
    }

    fn fixture_kinds(&self) -> &'static [&'static str] {
        &[steps::PRICE, steps::PRODUCT, steps::SHIPPING_RATE]
    }

    fn option_names(&self) -> OptionNames {
        OptionNames {
            base_url: None,
            credential: "--api-key (STRIPE_API_KEY)",
        }
    }

    fn api_version_header(&self) -> Option<&'static str> {
        Some("Stripe-Version")
    }

    fn default_api_version(&self) -> Option<&'static str> {
        Some(wire::API_VERSION)
    }

    /// The key given, else (the bundled mock only) [`MOCK_API_KEY`]; a live-mode key is refused.
    fn connect(
        &self,
        options: &TargetOptions,
        base_url: &str,
        remote: bool,
    ) -> Result<Connection, CredentialError> {
        let key = match (&options.credential, remote) {
            (Some(key), _) => key.clone(),
            (None, false) => Secret::new(MOCK_API_KEY),
            (None, true) => {
                return Err(CredentialError::Missing {
                    what: "API key",
                    url: base_url.to_owned(),
                    hint: "STRIPE_API_KEY (a test-mode key)",
                })
            }
        };
        if is_live_key(key.expose()) {
            return Err(CredentialError::Refused(format!(
                "with a live-mode key ({key}): use a test-mode key (sk_test_… or rk_test_…)"
            )));
        }
        let version = options.api_version.as_deref().unwrap_or(wire::API_VERSION);
        let trusted = key.expose().to_owned();
        Ok(Connection {
            client: client_config(base_url, key.clone(), version),
            credential_kind: "API key",
            secrets: vec![key],
            state: None,
            mock_trust: vec![trusted],
        })
    }

    fn target_flags(&self, command: clap::Command) -> clap::Command {
        <cli::StripeFlags as clap::Args>::augment_args(command)
    }

    fn target_options(&self, matches: &clap::ArgMatches) -> Result<TargetOptions, clap::Error> {
        use clap::FromArgMatches as _;
        Ok(cli::StripeFlags::from_arg_matches(matches)?.options())
    }

    fn mock_flags(&self, command: clap::Command) -> clap::Command {
        <cli::StripeMockFlags as clap::Args>::augment_args(command)
    }

    fn mock_trust(&self, matches: &clap::ArgMatches) -> Result<Vec<String>, clap::Error> {
        use clap::FromArgMatches as _;
        Ok(cli::StripeMockFlags::from_arg_matches(matches)?.trust())
    }

    fn faults(&self) -> &'static [crate::mock::FaultDef] {
        mock::StripeFault::TABLE
    }

    fn mock(&self, config: &crate::mock::MockConfig) -> Box<dyn crate::mock::VendorMock> {
        Box::new(mock::StripeMock::new(
            config.faults,
            config.trusted(super::Provider::Stripe).to_vec(),
        ))
    }

    fn explore<'a>(
        &'a self,
        config: &'a crate::explore::ExploreConfig,
    ) -> super::BoxFuture<'a, super::ExploreResult> {
        Box::pin(crate::explore::run::run_with(config, explore::StripeExplorer::default()))
    }
}
