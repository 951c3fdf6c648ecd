//! One cheap request per provider before any scenario: retrieving a session that does not
//! exist. Its answer tells apart a target that cannot be reached (every scenario is then an
//! infrastructure error), a credential the target rejects (401/403: the run stops, exit 2), a
//! target that does not speak the vendor's API (a body that is not JSON, or JSON in no shape of
//! the vendor's, [`Provider::speaks`]: the run stops, exit 2), and everything else (the run goes
//! on: the scenarios judge the answers in detail; a 5xx is left for them too).

use super::RunError;
use crate::client::Client;
use crate::vendor::Provider;

/// Why the run cannot go on as usual.
pub(super) enum Preflight {
    /// The target could not be reached: the scenarios are infrastructure errors.
    Unreachable(String),
    /// The run cannot be made at all.
    Refused(RunError),
}

/// Preflights `provider`'s target through `client`; `what` names its credential.
pub(super) async fn check(
    provider: Provider,
    client: &Client,
    what: &'static str,
) -> Result<(), Preflight> {
    let exchange = client
        .get(&provider.session_path(provider.vendor().missing_session_id()))
        .await
        .map_err(|e| Preflight::Unreachable(e.to_string()))?;
    let url = client.base_url().to_owned();
    let foreign = |detail: String| {
        Preflight::Refused(RunError::ForeignApi {
            provider,
            url: url.clone(),
            detail,
        })
    };
    // On one line: an HTML page's first words, not its layout.
    let excerpt = || {
        let words: Vec<&str> = exchange.body_text.split_whitespace().collect();
        let text: String = words.join(" ").chars().take(160).collect();
        format!("{} {}: {text}", exchange.method, exchange.path)
    };
    if exchange.status >= 500 {
        // Inconclusive: the scenarios will tell a steady error from a passing one.
        return Ok(());
    }
    if !exchange.body_is_json {
        return Err(foreign(format!(
            "it answered {} with a body that is not JSON ({})",
            exchange.status,
            excerpt()
        )));
    }
    if !provider.speaks(&exchange.body) {
        return Err(foreign(format!(
            "it answered {} with JSON in no shape of {}'s API (neither one of its objects nor its error envelope): {}",
            exchange.status,
            provider.display_name(),
            excerpt()
        )));
    }
    if matches!(exchange.status, 401 | 403) {
        return Err(Preflight::Refused(RunError::CredentialRejected {
            provider,
            what,
            credential: exchange
                .credential
                .clone()
                .unwrap_or_else(|| "(none)".into()),
            status: exchange.status,
            request: format!("{} {}", exchange.method, exchange.path),
            body: exchange.body_text.chars().take(500).collect(),
        }));
    }
    Ok(())
}
