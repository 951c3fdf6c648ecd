//! The vendors whose "Update a Checkout Session" the suite checks, and what each one owns: the
//! update's method and path, the wire format, the feature tag, the error envelope's fields.
//!
//! ```
//! use checkout_conformance::vendor::Provider;
//! use checkout_conformance::client::Body;
//! use serde_json::json;
//!
//! let params = json!({"metadata": {"order_id": "6735"}});
//! assert_eq!(Provider::Stripe.update_method(), "POST");
//! assert_eq!(Provider::Stripe.update_body(&params), Body::Form("metadata[order_id]=6735".into()));
//! assert_eq!(Provider::Gr4vy.update_method(), "PUT");
//! assert_eq!(Provider::Gr4vy.session_path("8d3fe99b-1422-42e6-bbb3-932d95ae5f79"), "/checkout/sessions/8d3fe99b-1422-42e6-bbb3-932d95ae5f79");
//! ```

use crate::client::{Body, ClientConfig, RetryHints, Secret};
use crate::explore::ExploreConfig;
use crate::mock::{FaultDef, MockConfig, VendorMock};
use crate::schema::{SchemaDef, SchemaId, SchemaRegistry};
use serde_json::Value;
use std::any::Any;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

/// Declares the vendors: each entry is a vendor folder (`src/vendor/<module>/`), the
/// [`Provider`] variant naming it, and the unit struct implementing [`Vendor`] there. This is
/// the one registration of a vendor outside its folder (ARCHITECTURE.md, "Adding a vendor").
macro_rules! vendors {
    ($($(#[doc = $doc:literal])* $variant:ident => $module:ident :: $vendor:ident,)+) => {
        $(pub mod $module;)+

        /// A vendor: the type the engine (runner, client, steps, reports) names vendors with.
        /// Everything the vendor means is behind [`Provider::vendor`], implemented in the
        /// vendor's own folder.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, clap::ValueEnum)]
        pub enum Provider {
            $($(#[doc = $doc])* $variant,)+
        }

        impl Provider {
            /// Every provider, in report order (the order of the registration).
            pub const ALL: &'static [Provider] = &[$(Provider::$variant,)+];

            /// What the vendor means: its folder's implementation of [`Vendor`].
            pub fn vendor(self) -> &'static dyn Vendor {
                match self {
                    $(Provider::$variant => &$module::$vendor,)+
                }
            }
        }
    };
}

vendors! {
    /// Stripe: `POST /v1/checkout/sessions/{session}`, form-encoded, bracket notation.
    Stripe => stripe::Stripe,
    /// Gr4vy: `PUT /checkout/sessions/{session_id}`, JSON, Bearer JWT.
    Gr4vy => gr4vy::Gr4vy,
}

/// Where a vendor puts a checkout session's items (line items, cart items).
#[derive(Debug, Clone, Copy)]
pub struct SessionItems {
    /// The parameter the items are created with, and the field of the answer holding them.
    pub param: &'static str,
    /// The list of a session's items, under the session's path (e.g. `/line_items?limit=100`),
    /// when the session's answer does not hold them: its `data` are the items.
    pub list_suffix: Option<&'static str>,
}

/// An expected rejection: the status and the fields of the vendor's error envelope.
pub type Rejection = (u16, &'static [(&'static str, &'static str)]);

/// What a run is told about one vendor's target (from its command-line options or environment).
///
/// ```
/// use checkout_conformance::client::Secret;
/// use checkout_conformance::vendor::TargetOptions;
/// let options = TargetOptions { credential: Some(Secret::new("sk_test_4242abcd")), ..TargetOptions::default() };
/// assert!(options.base_url.is_none());
/// ```
#[derive(Debug, Clone, Default)]
pub struct TargetOptions {
    /// The vendor's own base URL, used instead of the run's shared one (none: the shared one,
    /// else the bundled mock).
    pub base_url: Option<String>,
    /// The credential used as is: an API key or a bearer token.
    pub credential: Option<Secret>,
    /// A private key (PEM text, or the path of a file holding it) credentials are minted with,
    /// for vendors whose tokens are minted.
    pub private_key: Option<Secret>,
    /// The id of that key.
    pub key_id: Option<String>,
    /// The API version requested, for vendors that version their API per request (none: the
    /// version the suite follows).
    pub api_version: Option<String>,
}

/// The names (flag and environment variable) of a vendor's options, for messages.
#[derive(Debug, Clone, Copy)]
pub struct OptionNames {
    /// The vendor's own base URL option: the flag, and the flag with its variable.
    pub base_url: Option<(&'static str, &'static str)>,
    /// The credential option, with its variable.
    pub credential: &'static str,
}

/// How a run talks to one vendor's target, once its credential is settled.
pub struct Connection {
    /// The client's configuration (base URL, credential, the vendor's headers and hints).
    pub client: ClientConfig,
    /// What the credential is called in messages: `API key`, `bearer token`.
    pub credential_kind: &'static str,
    /// Every secret of the connection, redacted from every report.
    pub secrets: Vec<Secret>,
    /// What the vendor's own steps need beyond the client (e.g. a key to mint more tokens with).
    pub state: Option<Arc<dyn Any + Send + Sync>>,
    /// What the bundled mock's half of this vendor must trust when it is the target (the run's
    /// key, the public half of its signing key): added to [`MockConfig::trust`].
    pub mock_trust: Vec<String>,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("client", &self.client)
            .field("credential_kind", &self.credential_kind)
            .finish_non_exhaustive()
    }
}

/// Why a run cannot authenticate to a vendor's target; found before any request.
#[derive(Debug, thiserror::Error)]
pub enum CredentialError {
    /// A credential or host the run refuses to use (a live-mode key, a production host).
    #[error("refusing to run {0}")]
    Refused(String),
    /// A remote target without a credential.
    #[error("no {what} for {url}: set {hint}")]
    Missing {
        /// What is missing: `API key`, `Gr4vy credentials`.
        what: &'static str,
        /// The target.
        url: String,
        /// Which options provide it.
        hint: &'static str,
    },
    /// A credential that cannot be used (a key that cannot be read, a token not minted).
    #[error("{0}")]
    Unusable(String),
}

/// What one vendor means, for the engine: its paths and methods, wire format, credential, error
/// envelope, retry hints, cleanup and schemas. One implementation per vendor folder; the engine
/// reaches it through [`Provider::vendor`] and never names a vendor.
///
/// ```
/// use checkout_conformance::vendor::Provider;
/// let vendor = Provider::Gr4vy.vendor();
/// assert_eq!(vendor.tag(), "gr4vy");
/// assert_eq!(vendor.update_method(), "PUT");
/// assert_eq!(vendor.unauthenticated().0, 401);
/// ```
pub trait Vendor: Send + Sync + 'static {
    /// The feature tag (without `@`) and the name in reports, e.g. `stripe`.
    fn tag(&self) -> &'static str;
    /// The vendor's name as people write it, e.g. `Stripe`.
    fn display_name(&self) -> &'static str;
    /// The environment variable a reproduction reads the credential from, e.g. `STRIPE_API_KEY`.
    fn credential_env(&self) -> &'static str;
    /// The HTTP method of the update under test.
    fn update_method(&self) -> &'static str;
    /// The collection of checkout sessions: where they are created.
    fn sessions_path(&self) -> &'static str;
    /// Whether `path` is one of this vendor's API paths (the bundled mock serves both vendors
    /// on one port; the request log tells them apart with this).
    fn serves(&self, path: &str) -> bool;
    /// A well-formed session id that no session has: what the preflight asks for.
    fn missing_session_id(&self) -> &'static str;
    /// The id the dry run gives the session under test.
    fn dry_run_session_id(&self) -> &'static str;
    /// Parameters (as JSON) in the vendor's wire format.
    fn update_body(&self, params: &Value) -> Body;
    /// Whether a JSON answer is in the vendor's shape at all: one of its objects or its error
    /// envelope, however wrong in detail.
    fn speaks(&self, body: &Value) -> bool;
    /// The object of an error answer holding `type`, `code`, `param` and the like.
    fn error_envelope<'a>(&self, body: &'a Value) -> &'a Value;
    /// How the vendor rejects a request without valid credentials.
    fn unauthenticated(&self) -> Rejection;
    /// How the vendor rejects a request for a session that does not exist.
    fn session_missing(&self) -> Rejection;
    /// The id of a session that does not exist (well-formed: the target must look it up), as
    /// the not-found scenarios and explore's probe send it.
    fn unknown_session_id(&self) -> &'static str;
    /// Whether every answer carries a `Request-Id` header (a deviation when one does not).
    fn request_id_required(&self) -> bool;
    /// The request that closes (expires or deletes) a session the run created.
    fn close_session(&self, id: &str) -> (&'static str, String, Body);
    /// Whether an answer to [`Vendor::close_session`] says the session was closed already.
    fn already_closed(&self, status: u16) -> bool;
    /// The vendor's hints on retrying an answer (a header, errors never retried).
    fn retry_hints(&self) -> RetryHints;
    /// The vendor's response schemas, compiled once.
    fn schemas(&self) -> &'static SchemaRegistry;
    /// The vendor's schemas (name, file, embedded text), in the order of its enum of schemas:
    /// a [`SchemaId`]'s slot indexes it. Declared with the enum by `schema::vendor_schemas!`.
    fn schema_table(&self) -> &'static [SchemaDef];
    /// Picks the schema for an answer's body by the vendor's conventions (`None`: no schema
    /// applies).
    fn schema_for(&self, body: &Value) -> Option<SchemaId>;
    /// Adds the `format`s of the vendor's own to the schemas' validation options.
    fn schema_formats(
        &self,
        options: jsonschema::ValidationOptions<'static>,
    ) -> jsonschema::ValidationOptions<'static> {
        options
    }
    /// Fields an answer holds only when asked to expand them (not part of the stored session).
    fn expandable_fields(&self) -> &'static [&'static str] {
        &[]
    }
    /// Where a session's items are: the creation parameter holding them (`line_items`,
    /// `cart_items`), and the path listing them when the answer does not hold them.
    fn session_items(&self) -> SessionItems;
    /// The names of the vendor's options, for messages.
    fn option_names(&self) -> OptionNames;
    /// The kinds of objects its features create by name in Given steps (e.g. `price`), each
    /// a `{KIND NAME}` placeholder standing for the object's id.
    fn fixture_kinds(&self) -> &'static [&'static str] {
        &[]
    }
    /// The request header carrying the API version, for vendors that version per request
    /// (reports show the version under this name).
    fn api_version_header(&self) -> Option<&'static str> {
        None
    }
    /// The API version the suite follows, for vendors that version per request.
    fn default_api_version(&self) -> Option<&'static str> {
        None
    }
    /// Settles the credential for a target at `base_url` (`remote`: a target other than the
    /// bundled mock), refusing what must never be used (live-mode keys, production hosts).
    fn connect(
        &self,
        options: &TargetOptions,
        base_url: &str,
        remote: bool,
    ) -> Result<Connection, CredentialError>;
    /// Explores the vendor's target with its explorer (its operations and its model of the
    /// documentation, `src/vendor/<vendor>/explore.rs`), through
    /// [`explore::run::run_with`](crate::explore::run::run_with).
    fn explore<'a>(&'a self, config: &'a ExploreConfig) -> BoxFuture<'a, ExploreResult>;
    /// The vendor's half of the bundled mock (`src/vendor/<vendor>/mock/`), trusting what
    /// `config` lists for it ([`MockConfig::trusted`]).
    fn mock(&self, config: &MockConfig) -> Box<dyn VendorMock>;
    /// The faults its half of the mock can inject, each naming the clauses it breaks
    /// (`src/vendor/<vendor>/mock/faults.rs`, declared with `vendor_faults!`).
    fn faults(&self) -> &'static [FaultDef];
    /// Adds the vendor's flags of `run` and `explore` (its credential, its own target, its API
    /// version) to `command`, under a heading of their own (`src/vendor/<vendor>/cli.rs`).
    fn target_flags(&self, command: clap::Command) -> clap::Command;
    /// The vendor's options, from its flags in `matches`.
    fn target_options(&self, matches: &clap::ArgMatches) -> Result<TargetOptions, clap::Error>;
    /// Adds the vendor's flags of `mock` (what its half trusts) to `command`.
    fn mock_flags(&self, command: clap::Command) -> clap::Command;
    /// What the vendor's half of the mock trusts, from its flags in `matches` (keys read and
    /// checked: one that cannot be used is an error naming its flag).
    fn mock_trust(&self, matches: &clap::ArgMatches) -> Result<Vec<String>, clap::Error>;
}

/// What an exploration of one vendor's target comes to.
pub type ExploreResult = Result<crate::explore::ExploreReport, crate::explore::ExploreError>;

/// A future a [`Vendor`] returns (the trait is used as `dyn Vendor`).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

impl Provider {
    /// The feature tag (without `@`) and the name in reports: `stripe`, `gr4vy`.
    pub fn tag(self) -> &'static str {
        self.vendor().tag()
    }

    /// The vendor's name as people write it: `Stripe`, `Gr4vy`.
    pub fn display_name(self) -> &'static str {
        self.vendor().display_name()
    }

    /// Whether a JSON answer is in the vendor's shape at all — an object it defines or its
    /// error envelope, however wrong in detail (the scenarios judge the detail): Stripe's
    /// answers carry `object` or `error`; Gr4vy's `type`, `id`, `code` or a validation `detail`.
    ///
    /// ```
    /// use checkout_conformance::vendor::Provider;
    /// use serde_json::json;
    /// assert!(Provider::Stripe.speaks(&json!({"error": {"type": "invalid_request_error"}})));
    /// assert!(!Provider::Stripe.speaks(&json!({"message": "Not Found"})));
    /// assert!(Provider::Gr4vy.speaks(&json!({"type": "error", "code": "not_found"})));
    /// ```
    pub fn speaks(self, body: &Value) -> bool {
        self.vendor().speaks(body)
    }

    /// A documented rejection (`status` and the fields of the vendor's error envelope) and what
    /// an answer holds in their place, as two objects to compare and diff: the suite's
    /// rejection steps and explore's probes judge with it.
    ///
    /// ```
    /// use checkout_conformance::vendor::Provider;
    /// use serde_json::json;
    /// let body = json!({"error": {"type": "invalid_request_error"}});
    /// let (expected, actual) = Provider::Stripe.rejection(404, &[("type", "invalid_request_error"), ("code", "resource_missing")], 404, &body);
    /// assert_eq!(expected, json!({"status": 404, "type": "invalid_request_error", "code": "resource_missing"}));
    /// assert_eq!(actual, json!({"status": 404, "type": "invalid_request_error", "code": null}));
    /// ```
    pub fn rejection(
        self,
        status: u16,
        fields: &[(&str, &str)],
        answered: u16,
        body: &Value,
    ) -> (Value, Value) {
        let envelope = self.vendor().error_envelope(body);
        let mut expected = serde_json::Map::new();
        let mut actual = serde_json::Map::new();
        expected.insert("status".into(), status.into());
        actual.insert("status".into(), answered.into());
        for (field, value) in fields {
            expected.insert((*field).into(), (*value).into());
            actual.insert(
                (*field).into(),
                envelope.get(field).cloned().unwrap_or(Value::Null),
            );
        }
        (Value::Object(expected), Value::Object(actual))
    }

    /// The provider a scenario belongs to, from its tags (without `@`).
    ///
    /// ```
    /// use checkout_conformance::vendor::Provider;
    /// assert_eq!(Provider::from_tags(["gr4vy", "doc:cart_items.replace"]), Some(Provider::Gr4vy));
    /// assert_eq!(Provider::from_tags(["metadata"]), None);
    /// ```
    pub fn from_tags<'a>(tags: impl IntoIterator<Item = &'a str>) -> Option<Provider> {
        let tags: Vec<&str> = tags.into_iter().collect();
        Provider::ALL
            .iter()
            .copied()
            .find(|p| tags.contains(&p.tag()))
    }

    /// The provider named `tag` (`stripe`, `gr4vy`).
    ///
    /// ```
    /// use checkout_conformance::vendor::Provider;
    /// assert_eq!(Provider::from_tag("gr4vy"), Some(Provider::Gr4vy));
    /// assert_eq!(Provider::from_tag("adyen"), None);
    /// ```
    pub fn from_tag(tag: &str) -> Option<Provider> {
        Provider::from_tags([tag])
    }

    /// The provider whose API `path` belongs to.
    ///
    /// ```
    /// use checkout_conformance::vendor::Provider;
    /// assert_eq!(Provider::serving("/v1/checkout/sessions/cs_test_1"), Some(Provider::Stripe));
    /// assert_eq!(Provider::serving("/checkout/sessions/8d3fe99b"), Some(Provider::Gr4vy));
    /// ```
    pub fn serving(path: &str) -> Option<Provider> {
        Provider::ALL
            .iter()
            .copied()
            .find(|p| p.vendor().serves(path))
    }

    /// The environment variable that holds the run's credential for this vendor: what a
    /// reproduction (`curl`) names instead of the value.
    ///
    /// ```
    /// use checkout_conformance::vendor::Provider;
    /// assert_eq!(Provider::Stripe.credential_env(), "STRIPE_API_KEY");
    /// assert_eq!(Provider::Gr4vy.credential_env(), "GR4VY_TOKEN");
    /// ```
    pub fn credential_env(self) -> &'static str {
        self.vendor().credential_env()
    }

    /// The HTTP method of the update under test.
    pub fn update_method(self) -> &'static str {
        self.vendor().update_method()
    }

    /// The collection of checkout sessions: where they are created.
    pub fn sessions_path(self) -> &'static str {
        self.vendor().sessions_path()
    }

    /// One checkout session: where it is retrieved and updated.
    pub fn session_path(self, id: &str) -> String {
        format!("{}/{id}", self.sessions_path())
    }

    /// The provider's response schemas, compiled once.
    pub fn schemas(self) -> &'static SchemaRegistry {
        self.vendor().schemas()
    }

    /// Parameters (as JSON) in the provider's wire format: Stripe's form encoding, Gr4vy's JSON.
    pub fn update_body(self, params: &Value) -> Body {
        self.vendor().update_body(params)
    }

    /// The API version a run with `options` follows, for vendors that version per request:
    /// the one asked for, else the suite's.
    pub fn api_version(self, options: &TargetOptions) -> Option<String> {
        let vendor = self.vendor();
        vendor.api_version_header()?;
        options
            .api_version
            .clone()
            .or_else(|| vendor.default_api_version().map(str::to_owned))
    }
}

impl std::fmt::Display for Provider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.tag())
    }
}
