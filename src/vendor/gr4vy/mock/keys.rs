//! The public keys the Gr4vy half trusts (`checkout-conformance mock --gr4vy-public-key`).
//!
//! Gr4vy's tokens are signed with the merchant's private key and name the key in their header's
//! `kid` (Gr4vy's SDKs send the key's RFC 7638 thumbprint). Given keys, the mock looks the
//! token's `kid` up among them and verifies the ES512 signature with the key found; a token
//! without `kid`, with a `kid` naming no trusted key, or whose signature does not verify with it
//! is refused with 401. Keys come as:
//!
//! - PEM public keys (`-----BEGIN PUBLIC KEY-----`, P-521): trusted under their thumbprint;
//! - a JWKS (`{"keys": [{"kty": "EC", "crv": "P-521", "x", "y", "kid"}]}`) or one such JWK:
//!   each key trusted under its `kid`, or its thumbprint when it has none.
//!
//! ```
//! use checkout_conformance::vendor::gr4vy::jwt::{self, SigningKey};
//! use checkout_conformance::vendor::gr4vy::mock::keys::TrustedKeys;
//!
//! let key = SigningKey::generate();
//! let keys = TrustedKeys::parse(&[key.public_key_pem()])?;
//! let token = jwt::mint(&key, key.thumbprint(), &[jwt::WRITE_SCOPE], jwt::DEFAULT_LIFETIME)?;
//! assert!(keys.verify(token.expose(), Some(key.thumbprint())).is_ok());
//! assert!(keys.verify(token.expose(), Some("another-kid")).is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use super::error::Gr4vyError;
use crate::vendor::gr4vy::jwt::{JwtError, PublicKey};
use serde_json::Value;
use std::collections::HashSet;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// Why a trusted key could not be read.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The value is neither PEM, nor JSON, nor a readable file.
    #[error("--gr4vy-public-key {0}: neither a PEM public key, a JWKS, nor the path of a file holding one")]
    NotAKey(String),
    /// The file could not be read.
    #[error("--gr4vy-public-key: cannot read {path}: {error}")]
    Read {
        /// The file.
        path: String,
        /// What went wrong.
        error: std::io::Error,
    },
    /// A PEM key or a JWK that is not a usable P-521 public key.
    #[error(transparent)]
    Key(#[from] JwtError),
    /// A JWKS whose shape is wrong.
    #[error("JWKS: {0}")]
    Jwks(String),
}

/// The keys tokens must be signed with, by `kid`. Empty: signatures are not checked (the mock
/// cannot know the merchant's key), only the tokens' structure, times and scopes.
#[derive(Debug, Clone, Default)]
pub struct TrustedKeys {
    keys: Vec<(String, PublicKey)>,
    /// Some key given in code could not be read: nothing is accepted (see [`Self::or_refuse_all`]).
    unusable: bool,
    /// The tokens (whole, signature included) whose signature verified with these keys: a
    /// token verifies the same way every time, and a client sends one token with many
    /// requests, so the ES512 check is made once per token. Cleared when full.
    verified: Arc<Mutex<HashSet<String>>>,
}

/// At most this many verified tokens are remembered.
const VERIFIED_MAX: usize = 1024;

impl TrustedKeys {
    /// Reads `--gr4vy-public-key`'s value: PEM or JWKS text as is, anything else as the path of
    /// a file holding one. Returns the text, for [`Self::parse`].
    pub fn load(value_or_path: &str) -> Result<String, KeyError> {
        let trimmed = value_or_path.trim_start();
        if trimmed.starts_with("-----BEGIN") || trimmed.starts_with('{') {
            return Ok(value_or_path.to_owned());
        }
        let path = Path::new(value_or_path);
        if !path.is_file() {
            let shown: String = value_or_path.chars().take(60).collect();
            return Err(KeyError::NotAKey(shown));
        }
        std::fs::read_to_string(path).map_err(|error| KeyError::Read {
            path: path.display().to_string(),
            error,
        })
    }

    /// The keys in `texts`, each a PEM public key, a JWKS or a single JWK.
    pub fn parse(texts: &[String]) -> Result<TrustedKeys, KeyError> {
        let mut keys = Vec::new();
        for text in texts {
            if text.trim_start().starts_with('{') {
                keys.extend(jwks(text)?);
            } else {
                let key = PublicKey::from_pem(text, "--gr4vy-public-key")?;
                keys.push((key.thumbprint().to_owned(), key));
            }
        }
        Ok(TrustedKeys {
            keys,
            ..TrustedKeys::default()
        })
    }

    /// [`Self::parse`] for keys given in code ([`crate::mock::MockConfig`]): keys that cannot
    /// be read make a mock that accepts no token at all, rather than one that checks none.
    pub fn or_refuse_all(texts: &[String]) -> TrustedKeys {
        Self::parse(texts).unwrap_or(TrustedKeys {
            unusable: true,
            ..TrustedKeys::default()
        })
    }

    /// Whether signatures are checked.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty() && !self.unusable
    }

    /// The `kid`s trusted, in the order given.
    pub fn kids(&self) -> impl Iterator<Item = &str> {
        self.keys.iter().map(|(kid, _)| kid.as_str())
    }

    /// Checks `token`'s signature with the key its `kid` names. Times are not judged here (the
    /// caller judges `exp` and `nbf`, each under its own rule and fault): an expired token with
    /// a good signature passes.
    pub fn verify(&self, token: &str, kid: Option<&str>) -> Result<(), Gr4vyError> {
        if self.unusable {
            return Err(Gr4vyError::unauthorized(
                "the mock's configured public key is not a usable P-521 key",
            ));
        }
        let kid = kid.ok_or_else(|| {
            Gr4vyError::unauthorized("the token's header has no `kid` naming its key")
        })?;
        let (_, key) = self
            .keys
            .iter()
            .find(|(trusted, _)| trusted == kid)
            .ok_or_else(|| {
                Gr4vyError::unauthorized("the token's `kid` names no key this server trusts")
            })?;
        let verified = || self.verified.lock().unwrap_or_else(|p| p.into_inner());
        if verified().contains(token) {
            return Ok(());
        }
        match key.verify(token) {
            Ok(_) | Err(JwtError::Expired { .. } | JwtError::NotYetValid { .. }) => {
                let mut verified = verified();
                if verified.len() >= VERIFIED_MAX {
                    verified.clear();
                }
                verified.insert(token.to_owned());
                Ok(())
            }
            Err(_) => Err(Gr4vyError::unauthorized(
                "the token's signature does not verify with the key its `kid` names",
            )),
        }
    }
}

/// The keys of a JWKS (`{"keys": [...]}`) or of a single JWK.
fn jwks(text: &str) -> Result<Vec<(String, PublicKey)>, KeyError> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| KeyError::Jwks(format!("not JSON: {e}")))?;
    let list = match value.get("keys") {
        Some(Value::Array(keys)) => keys.clone(),
        Some(_) => return Err(KeyError::Jwks("`keys` is not an array".into())),
        None if value.get("kty").is_some() => vec![value],
        None => return Err(KeyError::Jwks("no `keys` array and not a JWK".into())),
    };
    if list.is_empty() {
        return Err(KeyError::Jwks("`keys` is empty".into()));
    }
    list.iter()
        .enumerate()
        .map(|(i, jwk)| {
            let field = |name: &str| jwk.get(name).and_then(Value::as_str);
            if field("kty") != Some("EC") || field("crv") != Some("P-521") {
                return Err(KeyError::Jwks(format!(
                    "keys[{i}] is not an EC P-521 key (`kty` EC, `crv` P-521): Gr4vy tokens are ES512"
                )));
            }
            let (Some(x), Some(y)) = (field("x"), field("y")) else {
                return Err(KeyError::Jwks(format!("keys[{i}] has no `x` and `y`")));
            };
            let key = PublicKey::from_jwk_coordinates(x, y, &format!("JWKS keys[{i}]"))?;
            let kid = field("kid").unwrap_or(key.thumbprint()).to_owned();
            Ok((kid, key))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vendor::gr4vy::jwt::{self, SigningKey};

    /// A token verified once is accepted again without the ES512 check; one whose signature
    /// differs in a byte is still checked, and refused, however full the memory is.
    #[test]
    fn a_verified_token_is_remembered_and_only_that_token() {
        let key = SigningKey::generate();
        let keys = TrustedKeys::parse(&[key.public_key_pem()]).expect("a key");
        let kid = Some(key.thumbprint());
        let token = jwt::mint(&key, key.thumbprint(), &[jwt::WRITE_SCOPE], jwt::DEFAULT_LIFETIME)
            .expect("minted");
        let token = token.expose();
        assert!(keys.verify(token, kid).is_ok());
        assert!(keys.verified.lock().unwrap().contains(token));
        assert!(keys.verify(token, kid).is_ok());
        // The last signature character changed: another token, checked and refused.
        let mut tampered = token.to_owned();
        let last = tampered.pop().expect("a character");
        tampered.push(if last == 'A' { 'B' } else { 'A' });
        assert!(keys.verify(&tampered, kid).is_err());
        assert!(!keys.verified.lock().unwrap().contains(&tampered));
        // A full memory is emptied, not grown.
        {
            let mut verified = keys.verified.lock().unwrap();
            verified.clear();
            verified.extend((0..VERIFIED_MAX).map(|i| format!("t{i}")));
        }
        let another = jwt::mint(&key, key.thumbprint(), &[jwt::READ_SCOPE], jwt::DEFAULT_LIFETIME)
            .expect("minted");
        assert!(keys.verify(another.expose(), kid).is_ok());
        assert_eq!(keys.verified.lock().unwrap().len(), 1);
        assert!(keys.verify(&tampered, kid).is_err());
    }
}
