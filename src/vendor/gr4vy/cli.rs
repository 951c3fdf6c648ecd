//! Gr4vy's flags: its own target and credentials for `run` and `explore`, and the keys the
//! mock's Gr4vy half verifies tokens with for `mock`. Registered through
//! [`Vendor::target_flags`] and [`Vendor::mock_flags`](crate::vendor::Vendor::mock_flags); the
//! command line shows them under their own heading.

use super::mock::keys::TrustedKeys;
use crate::cli::given;
use crate::client::Secret;
use crate::vendor::TargetOptions;
#[cfg(doc)]
use crate::vendor::Vendor;

/// Gr4vy's flags of `run` and `explore`.
///
/// ```
/// use checkout_conformance::vendor::gr4vy::cli::Gr4vyFlags;
/// use clap::{Args as _, FromArgMatches as _};
/// let command = Gr4vyFlags::augment_args(clap::Command::new("run").no_binary_name(true));
/// let matches = command
///     .try_get_matches_from(["--gr4vy-base-url", "https://api.sandbox.acme.gr4vy.app"])
///     .unwrap();
/// let options = Gr4vyFlags::from_arg_matches(&matches).unwrap().options();
/// assert_eq!(options.base_url.as_deref(), Some("https://api.sandbox.acme.gr4vy.app"));
/// ```
#[derive(Debug, Clone, clap::Args)]
#[command(next_help_heading = "Gr4vy")]
pub struct Gr4vyFlags {
    /// Gr4vy's base URL when it differs from --base-url: https://api.sandbox.{gr4vy_id}.gr4vy.app
    #[arg(long, env = "GR4VY_BASE_URL")]
    pub gr4vy_base_url: Option<String>,
    /// A Gr4vy bearer token, used as is.
    #[arg(long, env = "GR4VY_TOKEN", hide_env_values = true)]
    pub gr4vy_token: Option<String>,
    /// The Gr4vy private key (PEM, or the path of a PEM file) tokens are minted with (ES512).
    #[arg(long, env = "GR4VY_PRIVATE_KEY", hide_env_values = true)]
    pub gr4vy_private_key: Option<String>,
    /// The id of that key (the token's `kid`).
    #[arg(long, env = "GR4VY_KEY_ID")]
    pub gr4vy_key_id: Option<String>,
}

impl Gr4vyFlags {
    /// The run's options for Gr4vy (a blank variable is not given).
    pub fn options(&self) -> TargetOptions {
        let secret = |value: &Option<String>| given(value).map(Secret::new);
        TargetOptions {
            base_url: given(&self.gr4vy_base_url),
            credential: secret(&self.gr4vy_token),
            private_key: secret(&self.gr4vy_private_key),
            key_id: given(&self.gr4vy_key_id),
            api_version: None,
        }
    }
}

/// Gr4vy's flags of `mock`.
#[derive(Debug, Clone, clap::Args)]
#[command(next_help_heading = "Gr4vy")]
pub struct Gr4vyMockFlags {
    /// Verify Gr4vy tokens with this public key (repeatable): PEM text, a JWKS, or the path of
    /// a file holding either. A token's `kid` must name a key given (a PEM key's `kid` is its
    /// RFC 7638 thumbprint, what Gr4vy's SDKs send). Without it, signatures are not checked.
    #[arg(
        long = "gr4vy-public-key",
        value_name = "PEM-OR-PATH",
        allow_hyphen_values = true
    )]
    pub gr4vy_public_keys: Vec<String>,
}

impl Gr4vyMockFlags {
    /// The keys' texts (files read), each of which must be usable: a key that cannot be read or
    /// parsed is an error naming the flag, before the mock starts.
    pub fn trust(&self) -> Result<Vec<String>, String> {
        let texts = self
            .gr4vy_public_keys
            .iter()
            .map(|value| TrustedKeys::load(value))
            .collect::<Result<Vec<String>, _>>()
            .map_err(|e| e.to_string())?;
        TrustedKeys::parse(&texts).map_err(|e| format!("--gr4vy-public-key: {e}"))?;
        Ok(texts)
    }
}
