//! The run's configuration checked before anything starts (no mock, no request, no report),
//! and the default request rate of a target.
//!
//! Every [`ConfigError`] names the option (and its environment variable) it is about, so that
//! `checkout-conformance run`, `cargo test --test conformance -- …` and a library caller of
//! [`run`](super::run) all get the same refusal, exit 2.

use super::{RunConfig, REMOTE_RATE};
use crate::client::{RateLimiter, Secret};
use crate::mock::Fault;
use crate::vendor::{Provider, TargetOptions};
use reqwest::Url;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::path::PathBuf;

/// A configuration the run refuses, before its first request.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ConfigError {
    /// `--concurrency 0`: no scenario would ever run.
    #[error("--concurrency must be at least 1 (got {0}): it is how many scenarios run at once")]
    Concurrency(usize),
    /// A negative, NaN or infinite `--rate` (or one so small no interval can represent it).
    #[error("--rate (CONFORMANCE_RATE) must be a positive number of requests per second, or 0 for no limit (got {0})")]
    Rate(f64),
    /// A target that is not an `http://` or `https://` URL with a host.
    #[error("{option} `{url}` is not an http:// or https:// URL with a host (e.g. https://api.stripe.com or http://127.0.0.1:12111): {reason}")]
    BaseUrl {
        /// The option the URL came from, with its environment variable.
        option: &'static str,
        url: String,
        reason: String,
    },
    /// A credential that cannot be sent in an HTTP header (a copied placeholder such as
    /// `sk_test_…`, a stray space): the target would see no credential at all.
    #[error("{option} holds {found}, which no credential does (it cannot be sent in an Authorization header): give the key itself, not a placeholder such as sk_test_…")]
    Credential {
        /// The option the credential came from, with its environment variable.
        option: &'static str,
        /// The first offending character, quoted (never the credential).
        found: String,
    },
    /// `--reports` names an existing file.
    #[error("--reports (CONFORMANCE_REPORTS) {} is a file: the reports path must be a directory (it is created when missing)", .0.display())]
    ReportsIsAFile(PathBuf),
    /// A `--mock-fault` for a provider whose scenarios run against a `--base-url`: the bundled
    /// mock it breaks is not the target, the fault would change nothing.
    #[error("--mock-fault {fault} breaks the bundled mock, but the {provider} scenarios run against {option} {url}: the fault would change nothing (drop --mock-fault, or drop {option} to run against the bundled mock)")]
    FaultWithBaseUrl {
        fault: Fault,
        provider: &'static str,
        option: &'static str,
        url: String,
    },
    /// A `--mock-fault` of a provider the run does not cover.
    #[error("--mock-fault {fault} breaks the bundled mock's {provider} half, but --provider {chosen} runs no {provider} scenario: the fault would change nothing")]
    FaultOfOtherProvider {
        fault: Fault,
        provider: &'static str,
        chosen: &'static str,
    },
}

/// The options a provider's target comes from: the flag, and the flag with its environment
/// variable.
const BASE_URL: (&str, &str) = ("--base-url", "--base-url (CONFORMANCE_BASE_URL)");

impl RunConfig {
    /// Checks what can be checked before the run starts: `concurrency` at least 1, `rate`
    /// 0 or a positive finite number, each chosen provider's target an http(s) URL, the
    /// credentials sendable, `reports` not a file, every mock fault one that the run's bundled
    /// mock serves. Only the providers the run covers are looked at.
    ///
    /// ```
    /// use checkout_conformance::runner::{ConfigError, RunConfig};
    /// let config = RunConfig { concurrency: 0, ..RunConfig::default() };
    /// assert_eq!(config.validate(), Err(ConfigError::Concurrency(0)));
    /// assert!(RunConfig::default().validate().is_ok());
    /// ```
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.concurrency == 0 {
            return Err(ConfigError::Concurrency(0));
        }
        if let Some(rate) = self.rate {
            if rate != 0.0 && RateLimiter::new(rate).is_err() {
                return Err(ConfigError::Rate(rate));
            }
        }
        let providers = self.provider.providers();
        for &provider in &providers {
            if let Some(((_, option), url)) = self.target(provider) {
                check_url(option, url)?;
            }
        }
        for &provider in &providers {
            check_credential(
                provider.vendor().option_names().credential,
                self.options(provider).credential.as_ref(),
            )?;
        }
        if self.reports.exists() && !self.reports.is_dir() {
            return Err(ConfigError::ReportsIsAFile(self.reports.clone()));
        }
        for fault in self.mock_faults.iter() {
            let provider = fault.provider();
            if !providers.contains(&provider) {
                return Err(ConfigError::FaultOfOtherProvider {
                    fault,
                    provider: provider.tag(),
                    chosen: self.provider.name(),
                });
            }
            if let Some(((option, _), url)) = self.target(provider) {
                return Err(ConfigError::FaultWithBaseUrl {
                    fault,
                    provider: provider.tag(),
                    option,
                    url: url.to_owned(),
                });
            }
        }
        Ok(())
    }

    /// `provider`'s own options (none given: the defaults).
    pub fn options(&self, provider: Provider) -> TargetOptions {
        self.vendors.get(&provider).cloned().unwrap_or_default()
    }

    /// The remote target of `provider`; `None`: the bundled mock.
    pub(super) fn remote_target(&self, provider: Provider) -> Option<&str> {
        self.target(provider).map(|(_, url)| url)
    }

    /// The remote target of `provider` and the option it came from; `None`: the bundled mock.
    /// The provider's own URL first, else `base_url`; a blank one is not given.
    fn target(&self, provider: Provider) -> Option<((&'static str, &'static str), &str)> {
        let own = self.vendors.get(&provider).and_then(|o| given(&o.base_url));
        let option = provider.vendor().option_names().base_url;
        own.zip(option)
            .map(|(u, option)| (option, u))
            .or_else(|| given(&self.base_url).map(|u| (BASE_URL, u)))
    }
}

/// A URL option's value, unless blank (blank means: the bundled mock).
fn given(url: &Option<String>) -> Option<&str> {
    url.as_deref().filter(|u| !u.trim().is_empty())
}

fn check_url(option: &'static str, url: &str) -> Result<(), ConfigError> {
    let invalid = |reason: String| ConfigError::BaseUrl {
        option,
        url: url.to_owned(),
        reason,
    };
    let parsed = Url::parse(url.trim()).map_err(|e| invalid(e.to_string()))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(invalid(format!("the scheme is `{}`", parsed.scheme())));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(invalid("there is no host".to_owned()));
    }
    Ok(())
}

fn check_credential(option: &'static str, secret: Option<&Secret>) -> Result<(), ConfigError> {
    let Some(secret) = secret else { return Ok(()) };
    match secret.expose().chars().find(|c| !c.is_ascii_graphic()) {
        Some(c) => Err(ConfigError::Credential {
            option,
            found: if c == ' ' {
                "a space".to_owned()
            } else {
                format!("`{}`", c.escape_debug())
            },
        }),
        None => Ok(()),
    }
}

/// The request rate used when `--rate` is not given: none for a target on this machine
/// (127.0.0.0/8, `::1`, `localhost`), which only slows the run down, and [`REMOTE_RATE`] for
/// any other host (Stripe's sandbox allows about 25 requests per second).
///
/// ```
/// use checkout_conformance::runner::{default_rate, REMOTE_RATE};
/// assert_eq!(default_rate("http://127.0.0.1:12111"), None);
/// assert_eq!(default_rate("https://api.stripe.com"), Some(REMOTE_RATE));
/// ```
pub fn default_rate(url: &str) -> Option<f64> {
    let host = Url::parse(url.trim())
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_default();
    (!is_loopback(&host)).then_some(REMOTE_RATE)
}

/// A URL's host (as [`Url::host_str`] writes it: IPv6 in brackets, IPv4 normalized) that
/// names this machine.
fn is_loopback(host: &str) -> bool {
    if let Some(v6) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return v6.parse::<Ipv6Addr>().is_ok_and(|ip| {
            ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        });
    }
    if let Ok(ip) = host.parse::<Ipv4Addr>() {
        return ip.is_loopback();
    }
    host.trim_end_matches('.').eq_ignore_ascii_case("localhost")
}

/// The rate a provider's client gets: `--rate` when given (0: none), else the default of its
/// target (`None`: the bundled mock, no limit).
pub(super) fn effective_rate(rate: Option<f64>, remote: Option<&str>) -> Option<f64> {
    match rate {
        Some(rate) if rate <= 0.0 => None,
        Some(rate) => Some(rate),
        None => remote.and_then(default_rate),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mock::Faults;
    use crate::runner::ProviderChoice;
    use crate::vendor::gr4vy::mock::Gr4vyFault;
    use crate::vendor::stripe::mock::StripeFault;
    use rstest::rstest;
    use std::collections::BTreeMap;

    fn one(provider: Provider, options: TargetOptions) -> BTreeMap<Provider, TargetOptions> {
        BTreeMap::from([(provider, options)])
    }

    fn gr4vy_url(url: Option<String>) -> BTreeMap<Provider, TargetOptions> {
        let base_url = url;
        one(
            Provider::Gr4vy,
            TargetOptions {
                base_url,
                ..TargetOptions::default()
            },
        )
    }

    fn gr4vy_token(token: &str) -> BTreeMap<Provider, TargetOptions> {
        let credential = Some(Secret::new(token));
        one(
            Provider::Gr4vy,
            TargetOptions {
                credential,
                ..TargetOptions::default()
            },
        )
    }

    fn stripe_key(key: &str) -> BTreeMap<Provider, TargetOptions> {
        let credential = Some(Secret::new(key));
        one(
            Provider::Stripe,
            TargetOptions {
                credential,
                ..TargetOptions::default()
            },
        )
    }

    #[rstest]
    #[case::ipv4_loopback("http://127.0.0.1:12111", None)]
    #[case::ipv4_loopback_range("http://127.8.9.10:8080", None)]
    #[case::ipv4_loopback_top("http://127.255.255.254", None)]
    #[case::ipv4_loopback_short("http://127.1:12111", None)]
    #[case::ipv4_loopback_decimal("http://2130706433/", None)]
    #[case::ipv6_loopback("http://[::1]:12111", None)]
    #[case::ipv4_mapped_loopback("http://[::ffff:127.0.0.1]:12111", None)]
    #[case::localhost("http://localhost:8080", None)]
    #[case::localhost_upper("http://LOCALHOST:8080", None)]
    #[case::localhost_dot("http://localhost.:8080/", None)]
    #[case::https_localhost("https://localhost", None)]
    #[case::private_network("http://10.0.0.1:12111", Some(REMOTE_RATE))]
    #[case::unspecified("http://0.0.0.0:12111", Some(REMOTE_RATE))]
    #[case::ipv6_other("http://[2001:db8::1]:443", Some(REMOTE_RATE))]
    #[case::stripe("https://api.stripe.com", Some(REMOTE_RATE))]
    #[case::gr4vy_sandbox("https://api.sandbox.acme.gr4vy.app", Some(REMOTE_RATE))]
    #[case::localhost_lookalike("https://localhost.example.com", Some(REMOTE_RATE))]
    #[case::subdomain_of_localhost("http://api.localhost:8080", Some(REMOTE_RATE))]
    #[case::loopback_in_a_name("http://127.0.0.1.nip.io", Some(REMOTE_RATE))]
    #[case::unparsable("not a url", Some(REMOTE_RATE))]
    fn default_rate_is_none_only_on_loopback(#[case] url: &str, #[case] expected: Option<f64>) {
        assert_eq!(default_rate(url), expected, "{url}");
    }

    #[rstest]
    #[case::given(Some(5.0), Some("http://127.0.0.1:1"), Some(5.0))]
    #[case::zero_is_no_limit(Some(0.0), Some("https://api.stripe.com"), None)]
    #[case::loopback_default(None, Some("http://localhost:1"), None)]
    #[case::remote_default(None, Some("https://api.stripe.com"), Some(REMOTE_RATE))]
    #[case::bundled_mock(None, None, None)]
    fn effective_rate_cases(
        #[case] rate: Option<f64>,
        #[case] remote: Option<&str>,
        #[case] expected: Option<f64>,
    ) {
        assert_eq!(effective_rate(rate, remote), expected);
    }

    fn remote(url: &str) -> RunConfig {
        RunConfig {
            provider: ProviderChoice::One(Provider::Stripe),
            base_url: Some(url.to_owned()),
            ..RunConfig::default()
        }
    }

    #[rstest]
    #[case::defaults(RunConfig::default())]
    #[case::concurrency_1(RunConfig { concurrency: 1, ..RunConfig::default() })]
    #[case::rate_0(RunConfig { rate: Some(0.0), ..RunConfig::default() })]
    #[case::rate_fraction(RunConfig { rate: Some(0.5), ..RunConfig::default() })]
    #[case::https(remote("https://api.stripe.com"))]
    #[case::http_with_path(remote("http://127.0.0.1:12111/"))]
    #[case::blank_url_is_the_mock(remote("  "))]
    #[case::fault_on_the_mock(RunConfig { mock_faults: Faults::from_iter([StripeFault::AuthUnchecked]), ..RunConfig::default() })]
    #[case::gr4vy_fault_gr4vy_on_the_mock(RunConfig {
        vendors: gr4vy_url(Some(String::new())),
        base_url: None,
        mock_faults: Faults::from_iter([Gr4vyFault::AuthUnchecked]),
        ..RunConfig::default()
    })]
    #[case::stripe_fault_stripe_on_the_mock(RunConfig {
        vendors: gr4vy_url(Some("https://api.sandbox.acme.gr4vy.app".into())),
        mock_faults: Faults::from_iter([StripeFault::AuthUnchecked]),
        ..RunConfig::default()
    })]
    #[case::unused_gr4vy_url_ignored(RunConfig {
        provider: ProviderChoice::One(Provider::Stripe),
        vendors: gr4vy_url(Some("ftp:/x".into())),
        ..RunConfig::default()
    })]
    #[case::unused_key_ignored(RunConfig {
        provider: ProviderChoice::One(Provider::Gr4vy),
        vendors: stripe_key("sk_test_…"),
        ..RunConfig::default()
    })]
    #[case::key(RunConfig { vendors: stripe_key("sk_test_4242abcd"), ..RunConfig::default() })]
    fn accepted(#[case] config: RunConfig) {
        assert_eq!(config.validate(), Ok(()));
    }

    #[rstest]
    #[case::concurrency_0(
        RunConfig { concurrency: 0, ..RunConfig::default() },
        "--concurrency must be at least 1 (got 0)"
    )]
    #[case::rate_negative(RunConfig { rate: Some(-1.0), ..RunConfig::default() }, "--rate (CONFORMANCE_RATE) must be a positive number of requests per second, or 0 for no limit (got -1)")]
    #[case::rate_nan(RunConfig { rate: Some(f64::NAN), ..RunConfig::default() }, "(got NaN)")]
    #[case::rate_inf(RunConfig { rate: Some(f64::INFINITY), ..RunConfig::default() }, "(got inf)")]
    #[case::rate_neg_inf(RunConfig { rate: Some(f64::NEG_INFINITY), ..RunConfig::default() }, "(got -inf)")]
    #[case::rate_too_small(RunConfig { rate: Some(1e-300), ..RunConfig::default() }, "--rate (CONFORMANCE_RATE)")]
    #[case::url_scheme(remote("ftp://example.com"), "--base-url (CONFORMANCE_BASE_URL) `ftp://example.com` is not an http:// or https:// URL with a host (e.g. https://api.stripe.com or http://127.0.0.1:12111): the scheme is `ftp`")]
    #[case::url_relative(
        remote("127.0.0.1:12111"),
        "--base-url (CONFORMANCE_BASE_URL) `127.0.0.1:12111` is not an http:// or https:// URL"
    )]
    #[case::url_no_host(remote("http://"), "--base-url (CONFORMANCE_BASE_URL) `http://`")]
    #[case::url_garbage(remote("not a url"), "`not a url` is not an http:// or https:// URL")]
    #[case::gr4vy_url(
        RunConfig { vendors: gr4vy_url(Some("mailto:x@y".into())), ..RunConfig::default() },
        "--gr4vy-base-url (GR4VY_BASE_URL) `mailto:x@y` is not"
    )]
    #[case::placeholder_key(
        RunConfig { vendors: stripe_key("sk_test_…"), ..RunConfig::default() },
        "--api-key (STRIPE_API_KEY) holds `…`, which no credential does"
    )]
    #[case::key_with_space(
        RunConfig { vendors: stripe_key("sk_test_12 34"), ..RunConfig::default() },
        "--api-key (STRIPE_API_KEY) holds a space"
    )]
    #[case::token_with_newline(
        RunConfig { vendors: gr4vy_token("ey.x\n"), ..RunConfig::default() },
        "--gr4vy-token (GR4VY_TOKEN) holds `\\n`"
    )]
    #[case::fault_with_base_url(
        RunConfig { mock_faults: Faults::from_iter([StripeFault::MetadataUnsetIgnored]), ..remote("http://127.0.0.1:12111") },
        "--mock-fault metadata-unset-ignored breaks the bundled mock, but the stripe scenarios run against --base-url http://127.0.0.1:12111: the fault would change nothing (drop --mock-fault, or drop --base-url to run against the bundled mock)"
    )]
    #[case::gr4vy_fault_with_gr4vy_base_url(
        RunConfig {
            vendors: gr4vy_url(Some("https://api.sandbox.acme.gr4vy.app".into())),
            mock_faults: Faults::from_iter([Gr4vyFault::AuthUnchecked]),
            ..RunConfig::default()
        },
        "--mock-fault gr4vy-auth-unchecked breaks the bundled mock, but the gr4vy scenarios run against --gr4vy-base-url https://api.sandbox.acme.gr4vy.app"
    )]
    #[case::fault_of_another_provider(
        RunConfig {
            provider: ProviderChoice::One(Provider::Stripe),
            mock_faults: Faults::from_iter([Gr4vyFault::AuthUnchecked]),
            ..RunConfig::default()
        },
        "--mock-fault gr4vy-auth-unchecked breaks the bundled mock's gr4vy half, but --provider stripe runs no gr4vy scenario"
    )]
    fn refused(#[case] config: RunConfig, #[case] message: &str) {
        let error = config.validate().expect_err("refused");
        assert!(
            error.to_string().contains(message),
            "`{error}` does not contain `{message}`"
        );
    }

    #[test]
    fn reports_naming_a_file_is_refused_a_directory_is_not() {
        let dir = std::env::temp_dir().join(format!("cc-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("reports.txt");
        std::fs::write(&file, "x").unwrap();
        let config = RunConfig {
            reports: file.clone(),
            ..RunConfig::default()
        };
        assert_eq!(config.validate(), Err(ConfigError::ReportsIsAFile(file)));
        let config = RunConfig {
            reports: dir.clone(),
            ..RunConfig::default()
        };
        assert_eq!(config.validate(), Ok(()));
        let _ = std::fs::remove_dir_all(dir);
    }
}
