//! Bearer tokens. Gr4vy's tokens are JWTs the merchant signs with its own private key (ES512);
//! the mock cannot know that key, so by default it checks what it can see:
//!
//! - `Authorization: Bearer <token>` (scheme case-insensitive), else 401;
//! - three base64url parts (no padding), the header a JSON object with `alg` `ES512`, the claims
//!   a JSON object with a `scopes` array of strings and a numeric `exp` in the future (and `nbf`,
//!   if present, not in the future), the signature 132 bytes (an ES512 `r || s`), else 401;
//! - with public keys configured ([`crate::mock::MockConfig::gr4vy_public_keys`],
//!   `--gr4vy-public-key`), the header's `kid` must name one of them and the signature verify
//!   with it ([`super::keys::TrustedKeys`]), else 401;
//! - the scope the operation requires (`checkout-sessions.write`, or `.read` for `GET`), else
//!   403. `*.write` / `*.read` (what Gr4vy's SDKs mint by default) grant it as well.
//!
//! The token is never echoed in an answer.

use super::error::Gr4vyError;
use super::formats::now;
use super::keys::TrustedKeys;
use crate::mock::Faults;
use super::Gr4vyFault;
use crate::vendor::gr4vy::wire::TOKEN_ALG;
use axum::http::{header, HeaderMap};
use base64::Engine as _;
use serde_json::{Map, Value};

/// Length of an ES512 JWS signature: `r || s`, 66 bytes each.
pub const ES512_SIGNATURE_LEN: usize = 132;

/// Authorizes one request for `scope`.
pub fn authorize(
    headers: &HeaderMap,
    scope: &str,
    keys: &TrustedKeys,
    faults: Faults,
) -> Result<(), Gr4vyError> {
    let claims = match read_token(headers, keys) {
        Ok(claims) => claims,
        Err(_) if faults.has(Gr4vyFault::AuthUnchecked) => return Ok(()),
        Err(e) => return Err(e),
    };
    let time = now() as f64;
    if !faults.has(Gr4vyFault::ExpiredTokenAccepted) {
        match claims.get("exp").and_then(Value::as_f64) {
            Some(exp) if exp > time => {}
            _ => return Err(Gr4vyError::unauthorized("the token has expired")),
        }
    }
    if claims
        .get("nbf")
        .and_then(Value::as_f64)
        .is_some_and(|nbf| nbf > time)
    {
        return Err(Gr4vyError::unauthorized("the token is not valid yet (nbf)"));
    }
    let granted = claims
        .get("scopes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .any(|s| grants(s, scope));
    if !granted && !faults.has(Gr4vyFault::ScopeUnchecked) {
        return Err(Gr4vyError::forbidden(scope));
    }
    Ok(())
}

/// Whether a token scope grants `required` (`checkout-sessions.write`): itself, or the wildcard
/// of its action (`*.write`).
///
/// ```
/// # use checkout_conformance::vendor::gr4vy::mock::auth::grants;
/// assert!(grants("checkout-sessions.write", "checkout-sessions.write"));
/// assert!(grants("*.write", "checkout-sessions.write"));
/// assert!(!grants("*.read", "checkout-sessions.write"));
/// assert!(!grants("checkout-sessions.read", "checkout-sessions.write"));
/// assert!(!grants("transactions.write", "checkout-sessions.write"));
/// ```
pub fn grants(granted: &str, required: &str) -> bool {
    granted == required
        || required
            .rsplit_once('.')
            .is_some_and(|(_, action)| granted.strip_prefix("*.") == Some(action))
}

/// The claims of a structurally valid (and, with a key, verified) bearer token. `exp` and the
/// scopes are checked by the caller, each under its own fault; their presence and types here.
fn read_token(headers: &HeaderMap, keys: &TrustedKeys) -> Result<Map<String, Value>, Gr4vyError> {
    let value = headers
        .get(header::AUTHORIZATION)
        .ok_or_else(|| Gr4vyError::unauthorized("no Authorization header"))?;
    let value = value
        .to_str()
        .map_err(|_| Gr4vyError::unauthorized("the Authorization header is not ASCII"))?;
    let token = value
        .split_once(' ')
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim())
        .filter(|token| !token.is_empty())
        .ok_or_else(|| Gr4vyError::unauthorized("expected `Authorization: Bearer <token>`"))?;
    let parts: Vec<&str> = token.split('.').collect();
    let [head, claims, signature] = parts.as_slice() else {
        return Err(Gr4vyError::unauthorized(
            "the token is not a JWT (three base64url parts)",
        ));
    };
    let head = json_part(head, "header")?;
    if head.get("alg").and_then(Value::as_str) != Some(TOKEN_ALG) {
        return Err(Gr4vyError::unauthorized("the token's alg is not ES512"));
    }
    let claims = json_part(claims, "claims")?;
    let scopes_ok = claims
        .get("scopes")
        .and_then(Value::as_array)
        .is_some_and(|s| s.iter().all(Value::is_string));
    if !scopes_ok {
        return Err(Gr4vyError::unauthorized(
            "the token's claims have no `scopes` array of strings",
        ));
    }
    if !claims.get("exp").is_some_and(Value::is_number) {
        return Err(Gr4vyError::unauthorized(
            "the token's claims have no numeric `exp`",
        ));
    }
    let signature = decode(signature)
        .ok_or_else(|| Gr4vyError::unauthorized("the token's signature is not base64url"))?;
    if signature.len() != ES512_SIGNATURE_LEN {
        return Err(Gr4vyError::unauthorized(
            "the token's signature is not an ES512 signature (132 bytes)",
        ));
    }
    if !keys.is_empty() {
        keys.verify(token, head.get("kid").and_then(Value::as_str))?;
    }
    Ok(claims)
}

fn decode(part: &str) -> Option<Vec<u8>> {
    if part.is_empty() {
        return None;
    }
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part)
        .ok()
}

fn json_part(part: &str, what: &str) -> Result<Map<String, Value>, Gr4vyError> {
    decode(part)
        .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok())
        .and_then(|v| match v {
            Value::Object(map) => Some(map),
            _ => None,
        })
        .ok_or_else(|| {
            Gr4vyError::unauthorized(&format!("the token's {what} is not base64url JSON"))
        })
}
