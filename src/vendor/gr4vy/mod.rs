//! Gr4vy: `PUT /checkout/sessions/{session_id}`, JSON, a bearer JWT signed with ES512.
//!
//! - [`wire`]: Gr4vy's error envelope, its 422 `HTTPValidationError`, the spec version followed.
//! - [`explore`]: the updates and the model `explore` generates and checks them with.
//! - [`jwt`]: the bearer tokens (minting, verifying).
//! - [`mock`]: the Gr4vy half of the bundled mock.
//! - `steps`: the step definitions only Gr4vy's features use.

pub mod cli;
pub mod explore;
pub mod jwt;
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
use std::sync::Arc;

/// Gr4vy, as the engine sees it ([`crate::vendor::Provider::Gr4vy`]).
#[derive(Debug, Clone, Copy)]
pub struct Gr4vy;

/// The collection of checkout sessions.
pub const SESSIONS_PATH: &str = "/checkout/sessions";

/// A Gr4vy API host that is not a sandbox: `api.{id}.gr4vy.app` (sandboxes are
/// `api.sandbox.{id}.gr4vy.app`). A run refuses it before any request.
///
/// ```
/// use checkout_conformance::vendor::gr4vy::is_production;
/// assert!(is_production("https://api.acme.gr4vy.app"));
/// assert!(!is_production("https://api.sandbox.acme.gr4vy.app"));
/// assert!(!is_production("http://127.0.0.1:12111"));
/// ```
pub fn is_production(url: &str) -> bool {
    let host = reqwest::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
        .unwrap_or_default();
    host.ends_with(".gr4vy.app") && !host.starts_with("api.sandbox.")
}

/// The key (and its id) a run mints tokens with, when it has one: the Gr4vy steps mint tokens
/// of their own with it (expired, without a scope). The connection's
/// [`state`](crate::vendor::Connection::state).
#[derive(Debug)]
pub struct Signing {
    /// The private key.
    pub key: jwt::SigningKey,
    /// Its id, the tokens' `kid`.
    pub key_id: String,
}

/// How Gr4vy rejects a token without the scope a call needs: 403 `forbidden`.
pub const FORBIDDEN: Rejection = (403, &[("type", "error"), ("code", wire::code::FORBIDDEN)]);

impl Signing {
    /// A token for a probe of authentication: with only `scopes`, and `expired` (issued two
    /// hours ago, expired one hour ago) or valid for ten minutes.
    ///
    /// ```
    /// use checkout_conformance::vendor::gr4vy::{jwt, Signing};
    /// let key = jwt::SigningKey::generate();
    /// let public = key.public_key_pem();
    /// let signing = Signing { key, key_id: "k".into() };
    /// let token = signing.mint(&[jwt::READ_SCOPE], true).unwrap();
    /// assert!(jwt::verify(token.expose(), &public).is_err());
    /// let token = signing.mint(&[jwt::READ_SCOPE], false).unwrap();
    /// assert!(!jwt::verify(token.expose(), &public).unwrap().allows(jwt::WRITE_SCOPE));
    /// ```
    pub fn mint(&self, scopes: &[&str], expired: bool) -> Result<Secret, jwt::JwtError> {
        let mut claims = jwt::Claims::new(scopes, std::time::Duration::from_secs(600));
        if expired {
            let now = claims.exp.saturating_sub(600);
            claims.iat = Some(now.saturating_sub(7200));
            claims.nbf = claims.iat;
            claims.exp = now.saturating_sub(3600);
        }
        jwt::sign(&self.key, &self.key_id, &claims)
    }
}

/// Gr4vy's token: the token given, as is; else minted from the private key given (and its id,
/// by default the key's thumbprint, as Gr4vy's SDKs do); else, for the bundled mock only,
/// minted with a key generated for this run, whose public half the mock then verifies
/// signatures with.
fn token(
    options: &TargetOptions,
    base_url: &str,
    remote: bool,
) -> Result<Connection, CredentialError> {
    let scopes = [jwt::READ_SCOPE, jwt::WRITE_SCOPE];
    let failed =
        |e: jwt::JwtError| CredentialError::Unusable(format!("cannot mint a Gr4vy token: {e}"));
    let source = jwt::TokenSource::from_values(
        options.credential.as_ref().map(Secret::expose),
        options.private_key.as_ref().map(Secret::expose),
        options.key_id.as_deref(),
    )
    .map_err(failed)?;
    let (source, public_key) = match (source, remote) {
        (Some(source), _) => (source, None),
        (None, true) => {
            return Err(CredentialError::Missing {
                what: "Gr4vy credentials",
                url: base_url.to_owned(),
                hint: "GR4VY_TOKEN, or GR4VY_PRIVATE_KEY (and GR4VY_KEY_ID)",
            })
        }
        (None, false) => {
            let key = jwt::SigningKey::generate();
            let public_key = key.public_key_pem();
            // The bundled mock trusts the key under its RFC 7638 thumbprint, as Gr4vy's SDKs
            // name it.
            let source = jwt::TokenSource::Mint {
                key_id: key.thumbprint().to_owned(),
                key,
                lifetime: jwt::DEFAULT_LIFETIME,
            };
            (source, Some(public_key))
        }
    };
    let token = source.token(&scopes).map_err(failed)?;
    let state = match source {
        jwt::TokenSource::Mint { key, key_id, .. } => {
            Some(Arc::new(Signing { key, key_id }) as Arc<dyn std::any::Any + Send + Sync>)
        }
        jwt::TokenSource::Static(_) => None,
    };
    Ok(Connection {
        client: ClientConfig::bearer(base_url, token.clone()),
        credential_kind: "bearer token",
        secrets: vec![token],
        state,
        mock_trust: public_key.into_iter().collect(),
    })
}

impl Vendor for Gr4vy {
    fn tag(&self) -> &'static str {
        "gr4vy"
    }

    fn display_name(&self) -> &'static str {
        "Gr4vy"
    }

    fn credential_env(&self) -> &'static str {
        "GR4VY_TOKEN"
    }

    fn update_method(&self) -> &'static str {
        "PUT"
    }

    fn sessions_path(&self) -> &'static str {
        SESSIONS_PATH
    }

    fn serves(&self, path: &str) -> bool {
        mock::serves(path)
    }

    fn missing_session_id(&self) -> &'static str {
        "00000000-0000-4000-8000-00000000f11e"
    }

    fn dry_run_session_id(&self) -> &'static str {
        "00000000-0000-4000-8000-00000000d1e5"
    }

    fn update_body(&self, params: &Value) -> Body {
        Body::Json(params.clone())
    }

    fn speaks(&self, body: &Value) -> bool {
        ["type", "id", "detail", "code"]
            .iter()
            .any(|key| body.get(key).is_some())
    }

    fn error_envelope<'a>(&self, body: &'a Value) -> &'a Value {
        body
    }

    fn unauthenticated(&self) -> Rejection {
        (
            401,
            &[("type", "error"), ("code", wire::code::UNAUTHORIZED)],
        )
    }

    fn unknown_session_id(&self) -> &'static str {
        // A version-4 UUID no session has.
        "00000000-0000-4000-8000-000000000000"
    }

    fn session_missing(&self) -> Rejection {
        (404, &[("type", "error"), ("code", wire::code::NOT_FOUND)])
    }

    fn request_id_required(&self) -> bool {
        // The spec names no request-id header.
        false
    }

    fn close_session(&self, id: &str) -> (&'static str, String, Body) {
        ("DELETE", format!("{SESSIONS_PATH}/{id}"), Body::Empty)
    }

    fn already_closed(&self, status: u16) -> bool {
        // Deleting a session a scenario deleted already: 404.
        status == 404
    }

    fn retry_hints(&self) -> RetryHints {
        RetryHints::default()
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

    fn session_items(&self) -> SessionItems {
        SessionItems {
            param: "cart_items",
            list_suffix: None,
        }
    }

    fn option_names(&self) -> OptionNames {
        OptionNames {
            base_url: Some(("--gr4vy-base-url", "--gr4vy-base-url (GR4VY_BASE_URL)")),
            credential: "--gr4vy-token (GR4VY_TOKEN)",
        }
    }

    /// Refuses a production host, then settles the token (given, minted from the key given, or minted for the bundled mock).
    fn connect(
        &self,
        options: &TargetOptions,
        base_url: &str,
        remote: bool,
    ) -> Result<Connection, CredentialError> {
        if remote && is_production(base_url) {
            return Err(CredentialError::Refused(format!(
                "against the Gr4vy production host {base_url}: use the sandbox, https://api.sandbox.{{gr4vy_id}}.gr4vy.app"
            )));
        }
        token(options, base_url, remote)
    }

    fn target_flags(&self, command: clap::Command) -> clap::Command {
        <cli::Gr4vyFlags as clap::Args>::augment_args(command)
    }

    fn target_options(&self, matches: &clap::ArgMatches) -> Result<TargetOptions, clap::Error> {
        use clap::FromArgMatches as _;
        Ok(cli::Gr4vyFlags::from_arg_matches(matches)?.options())
    }

    fn mock_flags(&self, command: clap::Command) -> clap::Command {
        <cli::Gr4vyMockFlags as clap::Args>::augment_args(command)
    }

    fn mock_trust(&self, matches: &clap::ArgMatches) -> Result<Vec<String>, clap::Error> {
        use clap::FromArgMatches as _;
        cli::Gr4vyMockFlags::from_arg_matches(matches)?
            .trust()
            .map_err(|e| clap::Error::raw(clap::error::ErrorKind::InvalidValue, format!("{e}\n")))
    }

    fn faults(&self) -> &'static [crate::mock::FaultDef] {
        mock::Gr4vyFault::TABLE
    }

    fn mock(&self, config: &crate::mock::MockConfig) -> Box<dyn crate::mock::VendorMock> {
        Box::new(mock::Gr4vyMock::new(
            config.faults,
            mock::keys::TrustedKeys::or_refuse_all(config.trusted(super::Provider::Gr4vy)),
        ))
    }

    fn explore<'a>(
        &'a self,
        config: &'a crate::explore::ExploreConfig,
    ) -> super::BoxFuture<'a, super::ExploreResult> {
        Box::pin(crate::explore::run::run_with(
            config,
            explore::Gr4vyExplorer::default(),
        ))
    }
}
