//! Secrets that cannot leak by accident: [`Secret`] prints as `sk_test_…1234`, and
//! [`redact`] removes a known secret from any text before it is written anywhere.

use std::fmt;

/// An API key or token. `Debug` and `Display` show only its prefix and last four characters.
///
/// ```
/// use checkout_conformance::client::Secret;
/// let key = Secret::new("sk_test_51HxYzAbCdEf4242");
/// assert_eq!(key.to_string(), "sk_test_…4242");
/// assert_eq!(format!("{key:?}"), "Secret(sk_test_…4242)");
/// assert_eq!(key.expose(), "sk_test_51HxYzAbCdEf4242");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The value itself, for the one place that must send it (the `Authorization` header).
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The printable form: a known prefix (`sk_test_`, `rk_live_`, …) and the last four
    /// characters, or `[REDACTED]` for short or unknown secrets.
    pub fn masked(&self) -> String {
        let value = &self.0;
        let prefix = ["sk_test_", "sk_live_", "rk_test_", "rk_live_"]
            .into_iter()
            .find(|p| value.starts_with(p));
        match prefix {
            Some(p) if value.len() >= p.len() + 8 && value.is_char_boundary(value.len() - 4) => {
                format!("{p}…{}", &value[value.len() - 4..])
            }
            _ => "[REDACTED]".to_owned(),
        }
    }

    /// Replaces every occurrence of this secret in `text` with its masked form.
    ///
    /// ```
    /// use checkout_conformance::client::Secret;
    /// let key = Secret::new("sk_test_51HxYzAbCdEf4242");
    /// assert_eq!(key.redact("Bearer sk_test_51HxYzAbCdEf4242"), "Bearer sk_test_…4242");
    /// ```
    pub fn redact(&self, text: &str) -> String {
        if self.0.is_empty() || !text.contains(self.0.as_str()) {
            text.to_owned()
        } else {
            text.replace(&self.0, &self.masked())
        }
    }
}

/// A header's value as reports show it: `Authorization` with every known secret masked (and
/// `[REDACTED]` when none of them is in it: an unknown credential is not shown either);
/// `Cookie`, `Set-Cookie` and `Proxy-Authorization` as `[REDACTED]`; any other header with the
/// known secrets masked.
///
/// ```
/// use checkout_conformance::client::{redact_header, Secret};
/// let key = Secret::new("sk_test_51HxYzAbCdEf4242");
/// assert_eq!(redact_header("Authorization", "Bearer sk_test_51HxYzAbCdEf4242", &[&key]), "Bearer sk_test_…4242");
/// assert_eq!(redact_header("authorization", "Basic c2tfdGVzdA==", &[&key]), "[REDACTED]");
/// assert_eq!(redact_header("set-cookie", "session=abc", &[]), "[REDACTED]");
/// assert_eq!(redact_header("x-echo", "key sk_test_51HxYzAbCdEf4242", &[&key]), "key sk_test_…4242");
/// assert_eq!(redact_header("request-id", "req_1", &[&key]), "req_1");
/// ```
pub fn redact_header(name: &str, value: &str, secrets: &[&Secret]) -> String {
    // Called for every header of every request and answer: no allocation but the result.
    if ["cookie", "set-cookie", "proxy-authorization"]
        .iter()
        .any(|n| name.eq_ignore_ascii_case(n))
    {
        return "[REDACTED]".to_owned();
    }
    let carries_secret = secrets
        .iter()
        .any(|s| !s.expose().is_empty() && value.contains(s.expose()));
    if !carries_secret {
        return if name.eq_ignore_ascii_case("authorization") {
            "[REDACTED]".to_owned()
        } else {
            value.to_owned()
        };
    }
    secrets
        .iter()
        .fold(value.to_owned(), |text, secret| secret.redact(&text))
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({})", self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case::test_key("sk_test_abcdefgh1234", "sk_test_…1234")]
    #[case::live_key("sk_live_abcdefgh9876", "sk_live_…9876")]
    #[case::restricted("rk_test_abcdefgh5555", "rk_test_…5555")]
    #[case::too_short("sk_test_abc", "[REDACTED]")]
    #[case::unknown("eyJhbGciOiJFUzUxMiJ9.payload.sig", "[REDACTED]")]
    fn masks(#[case] value: &str, #[case] expected: &str) {
        assert_eq!(Secret::new(value).masked(), expected);
        assert!(!format!("{:?}", Secret::new(value)).contains(value));
    }
}
