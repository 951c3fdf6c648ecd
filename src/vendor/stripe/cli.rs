//! Stripe's flags: its credential and API version for `run` and `explore`, and what the mock's
//! Stripe half accepts for `mock`. Registered through [`Vendor::target_flags`] and
//! [`Vendor::mock_flags`](crate::vendor::Vendor::mock_flags); the command line shows them under
//! their own heading.

use crate::cli::given;
use crate::client::Secret;
use crate::vendor::TargetOptions;
#[cfg(doc)]
use crate::vendor::Vendor;

/// Stripe's flags of `run` and `explore`.
///
/// ```
/// use checkout_conformance::vendor::stripe::cli::StripeFlags;
/// use clap::{Args as _, FromArgMatches as _};
/// let command = StripeFlags::augment_args(clap::Command::new("run").no_binary_name(true));
/// let matches = command.try_get_matches_from(["--api-key", "sk_test_4242"]).unwrap();
/// let options = StripeFlags::from_arg_matches(&matches).unwrap().options();
/// assert_eq!(options.credential.unwrap().expose(), "sk_test_4242");
/// ```
#[derive(Debug, Clone, clap::Args)]
#[command(next_help_heading = "Stripe")]
pub struct StripeFlags {
    /// Stripe test-mode API key (sk_test_… or rk_test_…); required with --base-url.
    #[arg(long, env = "STRIPE_API_KEY", hide_env_values = true)]
    pub api_key: Option<String>,
    /// Stripe-Version sent on every request.
    #[arg(long, env = "STRIPE_VERSION", default_value = super::wire::API_VERSION)]
    pub stripe_version: String,
}

impl StripeFlags {
    /// The run's options for Stripe (a blank variable is not given).
    pub fn options(&self) -> TargetOptions {
        TargetOptions {
            credential: given(&self.api_key).map(Secret::new),
            api_version: Some(self.stripe_version.clone()),
            ..TargetOptions::default()
        }
    }
}

/// Stripe's flags of `mock`.
#[derive(Debug, Clone, clap::Args)]
#[command(next_help_heading = "Stripe")]
pub struct StripeMockFlags {
    /// Accept only this API key (default: any test-mode key, sk_test_… or rk_test_…).
    #[arg(long, env = "CONFORMANCE_MOCK_API_KEY", hide_env_values = true)]
    pub api_key: Option<String>,
}

impl StripeMockFlags {
    /// What the mock's Stripe half accepts: the key given, else nothing (any test-mode key).
    pub fn trust(&self) -> Vec<String> {
        given(&self.api_key).into_iter().collect()
    }
}
