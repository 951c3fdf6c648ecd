//! The default request rate of a target.

use super::REMOTE_RATE;
use reqwest::Url;
use std::net::{Ipv4Addr, Ipv6Addr};

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
    use rstest::rstest;

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
}
