//! Reproductions: the `curl` command that sends a recorded request again.
//!
//! The command names the credential by its environment variable (`$STRIPE_API_KEY`,
//! `$GR4VY_TOKEN`: [`Provider::credential_env`](crate::vendor::Provider::credential_env)),
//! never its value; every other word (the URL, each header, the body) is quoted for a POSIX
//! shell, so whatever a feature file or a target put in them stays data. `-g` keeps curl from
//! reading `[` `]` in a Stripe query (`expand[]=line_items`) as a URL pattern.

use crate::client::Exchange;
use std::borrow::Cow;

/// Why a request cannot be written as a shell command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CurlError {
    /// A word holds a NUL byte, which no POSIX shell word can carry.
    #[error("the request holds a NUL byte, which a shell command cannot carry")]
    Nul,
}

/// The curl command repeating `exchange` against `base_url`, with its `Authorization` (when it
/// carried one) as `Bearer $<credential_env>` and the other headers it was sent with
/// (`Content-Type`, `Stripe-Version`, `Idempotency-Key`).
///
/// ```
/// use checkout_conformance::client::Exchange;
/// use checkout_conformance::report::curl;
/// let exchange = Exchange {
///     method: "POST".into(),
///     path: "/v1/checkout/sessions/cs_test_1".into(),
///     request_body: "metadata[note]=it's $HOME".into(),
///     request_headers: vec![
///         ("content-type".into(), "application/x-www-form-urlencoded".into()),
///         ("authorization".into(), "Bearer sk_test_…4242".into()),
///     ],
///     ..Default::default()
/// };
/// assert_eq!(
///     curl(&exchange, "http://127.0.0.1:12111/", "STRIPE_API_KEY").unwrap(),
///     r#"curl -sS -i -g -X POST http://127.0.0.1:12111/v1/checkout/sessions/cs_test_1 -H 'Content-Type: application/x-www-form-urlencoded' -H "Authorization: Bearer $STRIPE_API_KEY" --data-binary "metadata[note]=it's "'$HOME'"#
/// );
/// ```
pub fn curl(
    exchange: &Exchange,
    base_url: &str,
    credential_env: &str,
) -> Result<String, CurlError> {
    curl_as(exchange, base_url, Authorization::Env(credential_env))
}

/// What a reproduction writes as the value of a request's `Authorization: Bearer …`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Authorization<'a> {
    /// The environment variable holding the run's credential (`$STRIPE_API_KEY`).
    Env(&'a str),
    /// A value that is no secret (a made-up key a probe sends to be refused), written quoted.
    Literal(&'a str),
}

/// [`curl`], with the `Authorization` value given.
///
/// ```
/// use checkout_conformance::client::Exchange;
/// use checkout_conformance::report::{curl_as, Authorization};
/// let exchange = Exchange {
///     method: "GET".into(),
///     path: "/checkout/sessions/1".into(),
///     request_headers: vec![("authorization".into(), "Bearer not.a-jwt".into())],
///     ..Default::default()
/// };
/// assert_eq!(
///     curl_as(&exchange, "http://127.0.0.1:1", Authorization::Literal("not.a-jwt")).unwrap(),
///     "curl -sS -i -g -X GET http://127.0.0.1:1/checkout/sessions/1 -H 'Authorization: Bearer not.a-jwt'"
/// );
/// ```
pub fn curl_as(
    exchange: &Exchange,
    base_url: &str,
    authorization: Authorization<'_>,
) -> Result<String, CurlError> {
    let quote = |word: &str| -> Result<String, CurlError> {
        shlex::try_quote(word)
            .map(Cow::into_owned)
            .map_err(|_| CurlError::Nul)
    };
    let url = format!("{}{}", base_url.trim_end_matches('/'), exchange.path);
    let mut words = vec![
        "curl -sS -i -g -X".to_owned(),
        quote(&exchange.method)?,
        quote(&url)?,
    ];
    for (name, value) in &exchange.request_headers {
        if name.eq_ignore_ascii_case("authorization") {
            words.push(match authorization {
                // The variable's name is the provider's own identifier: no quoting needed
                // inside "".
                Authorization::Env(env) => format!("-H \"Authorization: Bearer ${env}\""),
                Authorization::Literal(value) => {
                    format!("-H {}", quote(&format!("Authorization: Bearer {value}"))?)
                }
            });
        } else {
            words.push(format!(
                "-H {}",
                quote(&format!("{}: {value}", title_case(name)))?
            ));
        }
    }
    if !exchange.request_body.is_empty() {
        words.push(format!("--data-binary {}", quote(&exchange.request_body)?));
    }
    Ok(words.join(" "))
}

/// The lines introducing reproductions in a failure message: `reproduce with ($ENV set to the
/// run's credential):` and each command on a line of its own, indented.
///
/// ```
/// use checkout_conformance::report::reproduce_with;
/// assert_eq!(
///     reproduce_with("GR4VY_TOKEN", &["curl -X GET a".into(), "curl -X PUT b".into()]),
///     "reproduce with ($GR4VY_TOKEN set to the run's credential):\n  curl -X GET a\n  curl -X PUT b"
/// );
/// ```
pub fn reproduce_with(credential_env: &str, commands: &[String]) -> String {
    let mut out = format!("reproduce with (${credential_env} set to the run's credential):");
    for command in commands {
        out.push_str("\n  ");
        out.push_str(command);
    }
    out
}

/// `stripe-version` → `Stripe-Version`: header names as the vendors' documentation writes them.
fn title_case(name: &str) -> String {
    name.split('-')
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + &chars.as_str().to_ascii_lowercase())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn exchange(body: &str) -> Exchange {
        Exchange {
            method: "PUT".into(),
            path: "/checkout/sessions/8d3fe99b-1422-42e6-bbb3-932d95ae5f79".into(),
            request_body: body.into(),
            request_headers: vec![
                ("content-type".into(), "application/json".into()),
                ("authorization".into(), "[REDACTED]".into()),
            ],
            ..Default::default()
        }
    }

    /// What a POSIX shell makes of the command: the words curl would get.
    fn words(command: &str) -> Vec<String> {
        shlex::split(command).expect("a command a shell can read")
    }

    #[rstest]
    #[case::quotes(r#"{"name":"it's \"x\""}"#)]
    #[case::expansions("{\"name\":\"$(touch /tmp/pwned) `id` ${HOME} *\"}")]
    #[case::newlines("{\"name\":\"a\nb\\\\\"}")]
    #[case::script("{\"name\":\"<script>alert(1)</script>\"}")]
    fn the_body_reaches_curl_unchanged(#[case] body: &str) {
        let command = curl(&exchange(body), "http://127.0.0.1:1", "GR4VY_TOKEN").expect("quoted");
        let words = words(&command);
        let at = words
            .iter()
            .position(|w| w == "--data-binary")
            .expect("a body");
        assert_eq!(words[at + 1], body);
        assert!(words.contains(&"Authorization: Bearer $GR4VY_TOKEN".to_owned()));
        assert!(words.contains(&"Content-Type: application/json".to_owned()));
    }

    #[test]
    fn a_nul_byte_is_refused() {
        assert_eq!(
            curl(&exchange("a\0b"), "http://127.0.0.1:1", "GR4VY_TOKEN"),
            Err(CurlError::Nul)
        );
    }

    #[test]
    fn a_request_without_credential_sends_none() {
        let mut e = exchange("");
        e.request_headers.retain(|(n, _)| n != "authorization");
        let command = curl(&e, "http://127.0.0.1:1", "GR4VY_TOKEN").expect("quoted");
        assert!(!command.contains("Authorization"), "{command}");
        assert!(!command.contains("--data-binary"), "{command}");
    }
}
