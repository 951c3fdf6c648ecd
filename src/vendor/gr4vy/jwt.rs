//! Gr4vy bearer tokens: JWTs the merchant signs with its own private key, algorithm ES512
//! (ECDSA on P-521 with SHA-512, RFC 7518 §3.4).
//!
//! A run gets its token from a [`TokenSource`]: `GR4VY_TOKEN` as is, or a fresh token minted per
//! call from `GR4VY_PRIVATE_KEY` (the PEM text, or the path of a file holding it) and the
//! optional `GR4VY_KEY_ID`. Tokens look like the ones Gr4vy's SDKs make:
//!
//! - header `{"alg":"ES512","typ":"JWT","kid":"<key id>"}`, where the key id defaults to the
//!   RFC 7638 JWK thumbprint of the public key (SHA-256, base64url) — what the SDKs send;
//! - claims `{"iss","iat","nbf","exp","jti","scopes"}`, plus `checkout_session_id` and `embed`
//!   when set (the SDKs add those for Embed tokens only).
//!
//! Tokens and keys never reach a log: a minted token is a [`Secret`], [`SigningKey`] prints only
//! its key id, and every [`JwtError`] names the input (an environment variable, a file path),
//! never the key material.
//!
//! ```
//! use checkout_conformance::vendor::gr4vy::jwt::{self, SigningKey, WRITE_SCOPE};
//! use std::time::Duration;
//!
//! let key = SigningKey::generate();
//! let token = jwt::mint(&key, key.thumbprint(), &[WRITE_SCOPE], Duration::from_secs(300))?;
//! assert_eq!(token.to_string(), "[REDACTED]");
//!
//! let claims = jwt::verify(token.expose(), &key.public_key_pem())?;
//! assert!(claims.allows("checkout-sessions.write"));
//! # Ok::<(), jwt::JwtError>(())
//! ```

use crate::client::Secret;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use p521::ecdsa::signature::{Signer as _, Verifier as _};
use p521::elliptic_curve::zeroize::Zeroizing;
use p521::elliptic_curve::Generate as _;
use p521::pkcs8::{DecodePublicKey as _, EncodePrivateKey as _, EncodePublicKey as _, LineEnding};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest as _, Sha256};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A bearer token that is not a JWT at all (no three base64url parts): the authentication
/// scenarios and explore's probe send it to be refused.
pub const MALFORMED_TOKEN: &str = "not.a-jwt";

/// The JWS algorithm of Gr4vy tokens.
pub const ALGORITHM: &str = "ES512";
/// The environment variable holding a ready-made token.
pub const ENV_TOKEN: &str = "GR4VY_TOKEN";
/// The environment variable holding the private key: PEM text, or the path of a PEM file.
pub const ENV_PRIVATE_KEY: &str = "GR4VY_PRIVATE_KEY";
/// The environment variable holding the key id sent as `kid` (default: the key's thumbprint).
pub const ENV_KEY_ID: &str = "GR4VY_KEY_ID";
/// The scope `PUT /checkout/sessions/{id}` needs.
pub const WRITE_SCOPE: &str = "checkout-sessions.write";
/// The scope `GET /checkout/sessions/{id}` needs.
pub const READ_SCOPE: &str = "checkout-sessions.read";
/// How long a minted token lives unless told otherwise (Gr4vy's SDKs default to one hour too).
pub const DEFAULT_LIFETIME: Duration = Duration::from_secs(3600);

/// The size of an ES512 signature: `r ‖ s`, 66 bytes each (RFC 7518 §3.4).
const SIGNATURE_LEN: usize = 132;

/// Why a key could not be loaded or a token not be made or accepted.
///
/// Messages name the input (`GR4VY_PRIVATE_KEY`, a file path) and never contain a key or token.
///
/// ```
/// use checkout_conformance::vendor::gr4vy::jwt::{private_key_from_value_or_path, JwtError};
/// let err = private_key_from_value_or_path("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----", "GR4VY_PRIVATE_KEY").unwrap_err();
/// assert!(matches!(err, JwtError::Pem { .. }));
/// assert!(err.to_string().starts_with("GR4VY_PRIVATE_KEY: "));
/// ```
#[derive(Debug, thiserror::Error)]
pub enum JwtError {
    /// The key file could not be read.
    #[error("{origin}: cannot read the private key file {}: {error}", path.display())]
    ReadKeyFile {
        /// Where the path came from (e.g. `GR4VY_PRIVATE_KEY`).
        origin: String,
        /// The file.
        path: PathBuf,
        /// What went wrong.
        error: std::io::Error,
    },
    /// The value is neither PEM text nor a path.
    #[error(
        "{origin}: neither PEM text (-----BEGIN …-----) nor the path of a file holding it{hint}"
    )]
    NotPem {
        /// Where the value came from.
        origin: String,
        /// What the value looks like instead (empty, or starting with `: `).
        hint: &'static str,
    },
    /// The PEM text does not hold a usable private (or public) key.
    #[error("{origin}: not a usable PEM key: {reason}")]
    Pem {
        /// Where the PEM came from.
        origin: String,
        /// What is wrong with it (never its content).
        reason: String,
    },
    /// The key is on another curve, or not an elliptic-curve key at all.
    #[error("{origin}: the key is {found}, but Gr4vy tokens are ES512, which needs a P-521 (secp521r1) key")]
    WrongCurve {
        /// Where the key came from.
        origin: String,
        /// What the key is (`a P-256 (prime256v1) key`, `an RSA key`).
        found: String,
    },
    /// Signing failed (never expected with a valid key).
    #[error("cannot sign the token: {0}")]
    Signing(String),
    /// The token is not a compact JWS with a JSON header and claims.
    #[error("malformed token: {0}")]
    Malformed(String),
    /// The token's header names another algorithm.
    #[error("the token is signed with `{0}`, expected ES512")]
    UnsupportedAlgorithm(String),
    /// The signature does not verify with the public key.
    #[error("the token's signature does not match the public key")]
    BadSignature,
    /// `exp` has passed.
    #[error("the token expired at {expired_at} (now {now}, Unix seconds)")]
    Expired {
        /// The token's `exp`.
        expired_at: u64,
        /// The time of the check.
        now: u64,
    },
    /// `nbf` is still to come.
    #[error("the token is not valid before {not_before} (now {now}, Unix seconds)")]
    NotYetValid {
        /// The token's `nbf`.
        not_before: u64,
        /// The time of the check.
        now: u64,
    },
}

/// A P-521 private key that signs ES512 tokens. Printing it shows only its key id.
///
/// ```
/// use checkout_conformance::vendor::gr4vy::jwt::SigningKey;
/// let key = SigningKey::generate();
/// assert_eq!(key.thumbprint().len(), 43); // SHA-256, base64url
/// assert_eq!(format!("{key:?}"), format!("SigningKey {{ thumbprint: {:?} }}", key.thumbprint()));
/// assert!(key.public_key_pem().starts_with("-----BEGIN PUBLIC KEY-----"));
/// ```
#[derive(Clone)]
pub struct SigningKey {
    // Boxed: the key and its public point are ~400 bytes, and `TokenSource` holds one.
    inner: Box<p521::ecdsa::SigningKey>,
    thumbprint: String,
}

impl SigningKey {
    /// A fresh random key (for the bundled mock and tests).
    pub fn generate() -> SigningKey {
        SigningKey::from_inner(p521::ecdsa::SigningKey::generate())
    }

    /// Parses a PEM private key: PKCS#8 (`BEGIN PRIVATE KEY`, what Gr4vy's dashboard gives) or
    /// SEC1 (`BEGIN EC PRIVATE KEY`). `origin` names the input in errors.
    ///
    /// Forgiving about how the PEM travelled: CRLF, indentation, surrounding quotes, newlines
    /// written as `\n` (a one-line environment variable) or collapsed into spaces.
    ///
    /// ```
    /// use checkout_conformance::vendor::gr4vy::jwt::SigningKey;
    /// let key = SigningKey::generate();
    /// let pem = key.to_pkcs8_pem();
    /// let one_line = pem.expose().replace('\n', "\\n");
    /// assert_eq!(SigningKey::from_pem(&one_line, "GR4VY_PRIVATE_KEY")?.thumbprint(), key.thumbprint());
    /// # Ok::<(), checkout_conformance::vendor::gr4vy::jwt::JwtError>(())
    /// ```
    pub fn from_pem(pem: &str, origin: &str) -> Result<SigningKey, JwtError> {
        let pem = normalize_pem(pem, origin)?;
        let refuse = |reason: String| JwtError::Pem {
            origin: origin.to_owned(),
            reason,
        };
        match pem_label(&pem) {
            "PRIVATE KEY" | "EC PRIVATE KEY" => {}
            "PUBLIC KEY" => {
                return Err(refuse(
                    "this is a public key; signing needs the private key".to_owned(),
                ))
            }
            "RSA PRIVATE KEY" | "OPENSSH PRIVATE KEY" | "ENCRYPTED PRIVATE KEY" => {
                return Err(key_error(&pem, origin, "unsupported key format"))
            }
            label => {
                let label: String = label.chars().take(40).collect();
                return Err(refuse(format!(
                    "found `BEGIN {label}`, expected `BEGIN PRIVATE KEY` (PKCS#8) or `BEGIN EC PRIVATE KEY` (SEC1)"
                )));
            }
        }
        match p521::SecretKey::from_pem(&pem) {
            Ok(secret) => Ok(SigningKey::from_inner(p521::ecdsa::SigningKey::from(
                &secret,
            ))),
            Err(error) => Err(key_error(&pem, origin, &error.to_string())),
        }
    }

    /// The RFC 7638 JWK thumbprint of the public key (SHA-256, base64url): the `kid` Gr4vy's
    /// SDKs send, and the default key id of [`TokenSource`].
    pub fn thumbprint(&self) -> &str {
        &self.thumbprint
    }

    /// The public key, PEM (`BEGIN PUBLIC KEY`, SubjectPublicKeyInfo), for [`verify`].
    pub fn public_key_pem(&self) -> String {
        self.inner
            .verifying_key()
            .to_public_key_pem(LineEnding::LF)
            .expect("a P-521 public key always encodes")
    }

    /// The public key as a JWK (`kty`, `crv`, `x`, `y`; add a `kid` to publish it in a JWKS).
    ///
    /// ```
    /// use checkout_conformance::vendor::gr4vy::jwt::SigningKey;
    /// let jwk = SigningKey::generate().public_jwk();
    /// assert_eq!((jwk["kty"].as_str(), jwk["crv"].as_str()), (Some("EC"), Some("P-521")));
    /// ```
    pub fn public_jwk(&self) -> Value {
        let (x, y) = jwk_coordinates(self.inner.verifying_key());
        serde_json::json!({"kty": "EC", "crv": "P-521", "x": x, "y": y})
    }

    /// The private key as PKCS#8 PEM (`BEGIN PRIVATE KEY`), masked when printed.
    pub fn to_pkcs8_pem(&self) -> Secret {
        let pem = self
            .inner
            .to_pkcs8_pem(LineEnding::LF)
            .expect("a P-521 private key always encodes");
        Secret::new(pem.as_str())
    }

    /// The private key as SEC1 PEM (`BEGIN EC PRIVATE KEY`), masked when printed.
    pub fn to_sec1_pem(&self) -> Secret {
        let pem = p521::SecretKey::from(&*self.inner)
            .to_sec1_pem(LineEnding::LF)
            .expect("a P-521 private key always encodes");
        Secret::new(pem.as_str())
    }

    fn from_inner(inner: p521::ecdsa::SigningKey) -> SigningKey {
        let thumbprint = jwk_thumbprint(inner.verifying_key());
        SigningKey {
            inner: Box::new(inner),
            thumbprint,
        }
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("thumbprint", &self.thumbprint)
            .finish()
    }
}

/// Loads a private key from a value that is either the PEM text itself or the path of a file
/// holding it (a leading `~/` is the home directory). `origin` names the value in errors
/// (e.g. [`ENV_PRIVATE_KEY`]); a file's errors name the file too.
///
/// ```
/// use checkout_conformance::vendor::gr4vy::jwt::{private_key_from_value_or_path, JwtError, SigningKey};
/// let pem = SigningKey::generate().to_pkcs8_pem();
/// assert!(private_key_from_value_or_path(pem.expose(), "GR4VY_PRIVATE_KEY").is_ok());
///
/// let err = private_key_from_value_or_path("/nonexistent/gr4vy.pem", "GR4VY_PRIVATE_KEY").unwrap_err();
/// assert!(matches!(err, JwtError::ReadKeyFile { .. }));
/// assert!(err.to_string().contains("/nonexistent/gr4vy.pem"));
/// ```
pub fn private_key_from_value_or_path(value: &str, origin: &str) -> Result<SigningKey, JwtError> {
    if value.contains("-----BEGIN") {
        return SigningKey::from_pem(value, origin);
    }
    let trimmed = value.trim().trim_matches(|c| c == '"' || c == '\'');
    if trimmed.is_empty() {
        return Err(JwtError::NotPem {
            origin: origin.to_owned(),
            hint: ": it is empty",
        });
    }
    // Base64 with no armour is a key pasted without its -----BEGIN/END lines: say so, and never
    // echo it back as if it were a path.
    let base64_like = trimmed.len() >= 64
        && !trimmed.contains('.')
        && trimmed.bytes().all(|b| {
            b.is_ascii_alphanumeric()
                || matches!(b, b'+' | b'/' | b'=' | b'\\')
                || b.is_ascii_whitespace()
        });
    if base64_like {
        return Err(JwtError::NotPem {
            origin: origin.to_owned(),
            hint: ": it looks like a key without its -----BEGIN PRIVATE KEY----- and -----END PRIVATE KEY----- lines",
        });
    }
    let path = match trimmed.strip_prefix("~/").zip(std::env::var_os("HOME")) {
        Some((rest, home)) => Path::new(&home).join(rest),
        None => PathBuf::from(trimmed),
    };
    private_key_from_file_with_origin(&path, origin)
}

/// Loads a private key from a PEM file; errors name the file.
///
/// ```
/// use checkout_conformance::vendor::gr4vy::jwt::{private_key_from_file, SigningKey};
/// let key = SigningKey::generate();
/// let path = std::env::temp_dir().join(format!("doc-{}.pem", key.thumbprint()));
/// std::fs::write(&path, key.to_sec1_pem().expose())?;
/// assert_eq!(private_key_from_file(&path)?.thumbprint(), key.thumbprint());
/// # std::fs::remove_file(&path)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn private_key_from_file(path: &Path) -> Result<SigningKey, JwtError> {
    let text = read_key_file(path, "key file")?;
    SigningKey::from_pem(&text, &format!("file {}", path.display()))
}

fn private_key_from_file_with_origin(path: &Path, origin: &str) -> Result<SigningKey, JwtError> {
    let text = read_key_file(path, origin)?;
    SigningKey::from_pem(&text, &format!("{origin} (file {})", path.display()))
}

fn read_key_file(path: &Path, origin: &str) -> Result<Zeroizing<String>, JwtError> {
    std::fs::read_to_string(path)
        .map(Zeroizing::new)
        .map_err(|error| JwtError::ReadKeyFile {
            origin: origin.to_owned(),
            path: path.to_owned(),
            error,
        })
}

/// A JWT header as Gr4vy's SDKs write it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// Always `ES512` for Gr4vy.
    pub alg: String,
    /// `JWT`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub typ: Option<String>,
    /// The key id: the RFC 7638 thumbprint of the public key, or `GR4VY_KEY_ID`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kid: Option<String>,
}

/// The claims of a Gr4vy token. Times are Unix seconds.
///
/// ```
/// use checkout_conformance::vendor::gr4vy::jwt::Claims;
/// use std::time::Duration;
/// let claims = Claims::new(&["*.read", "checkout-sessions.write"], Duration::from_secs(60));
/// assert_eq!(claims.exp, claims.iat.unwrap() + 60);
/// assert!(claims.allows("checkout-sessions.read")); // through `*.read`
/// assert!(claims.allows("checkout-sessions.write"));
/// assert!(!claims.allows("transactions.write"));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claims {
    /// The issuer: the tool and its version (`checkout-conformance 0.1.0`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    /// Issued at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iat: Option<u64>,
    /// Not before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<u64>,
    /// Expires at.
    pub exp: u64,
    /// A unique id (a UUID v4).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jti: Option<String>,
    /// What the token may do, e.g. `checkout-sessions.write`, `*.read`.
    #[serde(default)]
    pub scopes: Vec<String>,
    /// Pins the token to one checkout session (Embed tokens).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checkout_session_id: Option<String>,
    /// Embed parameters pinned by the token (with the `embed` scope).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub embed: Option<Value>,
}

impl Claims {
    /// Claims valid from now for `lifetime`, with a fresh `jti`.
    pub fn new(scopes: &[&str], lifetime: Duration) -> Claims {
        Claims::issued_at(now(), scopes, lifetime)
    }

    /// Claims valid from `now` (Unix seconds) for `lifetime`.
    ///
    /// ```
    /// use checkout_conformance::vendor::gr4vy::jwt::Claims;
    /// let claims = Claims::issued_at(1_700_000_000, &["checkout-sessions.write"], std::time::Duration::from_secs(60));
    /// assert_eq!((claims.iat, claims.nbf, claims.exp), (Some(1_700_000_000), Some(1_700_000_000), 1_700_000_060));
    /// assert_eq!(claims.jti.unwrap().len(), 36);
    /// ```
    pub fn issued_at(now: u64, scopes: &[&str], lifetime: Duration) -> Claims {
        Claims {
            iss: Some(concat!(env!("CARGO_PKG_NAME"), " ", env!("CARGO_PKG_VERSION")).to_owned()),
            iat: Some(now),
            nbf: Some(now),
            exp: now.saturating_add(lifetime.as_secs()),
            jti: Some(uuid_v4()),
            scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
            checkout_session_id: None,
            embed: None,
        }
    }

    /// Whether the scopes grant `scope`, directly or through `*.read` / `*.write`.
    pub fn allows(&self, scope: &str) -> bool {
        self.scopes.iter().any(|granted| {
            granted == scope
                || granted
                    .strip_prefix("*.")
                    .is_some_and(|action| scope.rsplit_once('.').is_some_and(|(_, a)| a == action))
        })
    }
}

/// Mints a token: [`Claims::new`] signed with `key`, `kid` set to `key_id`.
///
/// ```
/// use checkout_conformance::vendor::gr4vy::jwt::{self, SigningKey, WRITE_SCOPE};
/// let key = SigningKey::generate();
/// let token = jwt::mint(&key, "my-key-id", &[WRITE_SCOPE], jwt::DEFAULT_LIFETIME)?;
/// let (header, claims) = jwt::decode_unverified(token.expose())?;
/// assert_eq!((header.alg.as_str(), header.kid.as_deref()), ("ES512", Some("my-key-id")));
/// assert_eq!(claims.scopes, vec![WRITE_SCOPE]);
/// # Ok::<(), jwt::JwtError>(())
/// ```
pub fn mint(
    key: &SigningKey,
    key_id: &str,
    scopes: &[&str],
    lifetime: Duration,
) -> Result<Secret, JwtError> {
    sign(key, key_id, &Claims::new(scopes, lifetime))
}

/// Signs any claims (an expired token for a negative test, a `checkout_session_id`).
///
/// ```
/// use checkout_conformance::vendor::gr4vy::jwt::{self, Claims, JwtError, SigningKey};
/// let key = SigningKey::generate();
/// let old = Claims::issued_at(1_000, &["checkout-sessions.write"], std::time::Duration::from_secs(60));
/// let token = jwt::sign(&key, key.thumbprint(), &old)?;
/// assert!(matches!(jwt::verify(token.expose(), &key.public_key_pem()), Err(JwtError::Expired { expired_at: 1_060, .. })));
/// # Ok::<(), JwtError>(())
/// ```
pub fn sign(key: &SigningKey, key_id: &str, claims: &Claims) -> Result<Secret, JwtError> {
    let header = Header {
        alg: ALGORITHM.to_owned(),
        typ: Some("JWT".to_owned()),
        kid: Some(key_id.to_owned()),
    };
    sign_with_header(key, &header, claims)
}

/// Signs `claims` under a header of the caller's (ES512 whatever `header.alg` says): for tests
/// of servers that must refuse odd headers, such as one without `kid`.
///
/// ```
/// use checkout_conformance::vendor::gr4vy::jwt::{self, Claims, Header, SigningKey};
/// let key = SigningKey::generate();
/// let header = Header { alg: "ES512".into(), typ: None, kid: None };
/// let token = jwt::sign_with_header(&key, &header, &Claims::new(&[], jwt::DEFAULT_LIFETIME))?;
/// assert_eq!(jwt::decode_unverified(token.expose())?.0.kid, None);
/// # Ok::<(), jwt::JwtError>(())
/// ```
pub fn sign_with_header(
    key: &SigningKey,
    header: &Header,
    claims: &Claims,
) -> Result<Secret, JwtError> {
    let header = serde_json::to_vec(&header).map_err(|e| JwtError::Signing(e.to_string()))?;
    let claims = serde_json::to_vec(claims).map_err(|e| JwtError::Signing(e.to_string()))?;
    let mut token = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header),
        URL_SAFE_NO_PAD.encode(claims)
    );
    let signature: p521::ecdsa::Signature = key
        .inner
        .try_sign(token.as_bytes())
        .map_err(|e| JwtError::Signing(e.to_string()))?;
    token.push('.');
    token.push_str(&URL_SAFE_NO_PAD.encode(signature.to_bytes()));
    Ok(Secret::new(token))
}

/// Verifies an ES512 token against a public key (PEM, `BEGIN PUBLIC KEY`) and checks `exp` and
/// `nbf` against the clock; returns the claims. Scopes are the caller's business
/// ([`Claims::allows`]).
///
/// The signature is checked first: [`JwtError::Expired`] and [`JwtError::NotYetValid`] mean the
/// signature is good.
///
/// ```
/// use checkout_conformance::vendor::gr4vy::jwt::{self, JwtError, SigningKey};
/// let (key, other) = (SigningKey::generate(), SigningKey::generate());
/// let token = jwt::mint(&key, key.thumbprint(), &["checkout-sessions.write"], jwt::DEFAULT_LIFETIME)?;
/// assert!(jwt::verify(token.expose(), &key.public_key_pem()).is_ok());
/// assert!(matches!(jwt::verify(token.expose(), &other.public_key_pem()), Err(JwtError::BadSignature)));
/// # Ok::<(), JwtError>(())
/// ```
pub fn verify(token: &str, public_key_pem: &str) -> Result<Claims, JwtError> {
    verify_at(token, public_key_pem, now())
}

/// [`verify`] at a given time (Unix seconds): valid while `nbf <= now < exp`.
///
/// ```
/// use checkout_conformance::vendor::gr4vy::jwt::{self, Claims, JwtError, SigningKey};
/// let key = SigningKey::generate();
/// let token = jwt::sign(&key, "k", &Claims::issued_at(1_000, &[], std::time::Duration::from_secs(60)))?;
/// let public = key.public_key_pem();
/// assert!(jwt::verify_at(token.expose(), &public, 1_000).is_ok());
/// assert!(matches!(jwt::verify_at(token.expose(), &public, 999), Err(JwtError::NotYetValid { .. })));
/// assert!(matches!(jwt::verify_at(token.expose(), &public, 1_060), Err(JwtError::Expired { .. })));
/// # Ok::<(), JwtError>(())
/// ```
pub fn verify_at(token: &str, public_key_pem: &str, now: u64) -> Result<Claims, JwtError> {
    let signed = SignedToken::parse(token)?;
    let key = PublicKey::from_pem(public_key_pem, "public key")?;
    signed.check(&key.key, now)
}

/// A token taken apart: its signing input and signature, checked for shape (ES512, 132 bytes).
struct SignedToken<'a> {
    input: &'a str,
    claims: &'a str,
    signature: p521::ecdsa::Signature,
}

impl<'a> SignedToken<'a> {
    fn parse(token: &'a str) -> Result<SignedToken<'a>, JwtError> {
        let parts = split(token)?;
        let header: Header = decode_part(parts[0], "header")?;
        if header.alg != ALGORITHM {
            return Err(JwtError::UnsupportedAlgorithm(header.alg));
        }
        let signature = URL_SAFE_NO_PAD
            .decode(parts[2])
            .map_err(|e| JwtError::Malformed(format!("signature: not base64url: {e}")))?;
        if signature.len() != SIGNATURE_LEN {
            return Err(JwtError::Malformed(format!(
                "signature: {} bytes, ES512 needs {SIGNATURE_LEN} (r ‖ s)",
                signature.len()
            )));
        }
        let signature =
            p521::ecdsa::Signature::from_slice(&signature).map_err(|_| JwtError::BadSignature)?;
        let token = token.trim();
        Ok(SignedToken {
            input: &token[..parts[0].len() + 1 + parts[1].len()],
            claims: parts[1],
            signature,
        })
    }

    /// The signature with `key`, then the times at `now` (valid while `nbf <= now < exp`).
    fn check(&self, key: &p521::ecdsa::VerifyingKey, now: u64) -> Result<Claims, JwtError> {
        key.verify(self.input.as_bytes(), &self.signature)
            .map_err(|_| JwtError::BadSignature)?;
        let claims: Claims = decode_part(self.claims, "claims")?;
        if now >= claims.exp {
            return Err(JwtError::Expired {
                expired_at: claims.exp,
                now,
            });
        }
        if let Some(not_before) = claims.nbf.filter(|nbf| *nbf > now) {
            return Err(JwtError::NotYetValid { not_before, now });
        }
        Ok(claims)
    }
}

/// A P-521 public key that verifies ES512 tokens, parsed once, with its RFC 7638 thumbprint
/// (the `kid` Gr4vy's SDKs send). Read from PEM (`BEGIN PUBLIC KEY`) or from a JWK's
/// coordinates.
///
/// ```
/// use checkout_conformance::vendor::gr4vy::jwt::{self, PublicKey, SigningKey};
/// let key = SigningKey::generate();
/// let public = PublicKey::from_pem(&key.public_key_pem(), "test")?;
/// assert_eq!(public.thumbprint(), key.thumbprint());
/// let token = jwt::mint(&key, key.thumbprint(), &[jwt::WRITE_SCOPE], jwt::DEFAULT_LIFETIME)?;
/// assert!(public.verify(token.expose()).is_ok());
/// # Ok::<(), jwt::JwtError>(())
/// ```
#[derive(Debug, Clone)]
pub struct PublicKey {
    key: p521::ecdsa::VerifyingKey,
    thumbprint: String,
}

impl PublicKey {
    /// A public key from PEM text; `origin` names where it came from in errors.
    pub fn from_pem(pem: &str, origin: &str) -> Result<PublicKey, JwtError> {
        let pem = normalize_pem(pem, origin)?;
        let key = p521::ecdsa::VerifyingKey::from_public_key_pem(&pem)
            .map_err(|e| key_error(&pem, origin, &e.to_string()))?;
        Ok(Self::of(key))
    }

    /// A public key from a P-521 JWK's `x` and `y` (base64url, RFC 7518 §6.2.1).
    ///
    /// ```
    /// use checkout_conformance::vendor::gr4vy::jwt::{JwtError, PublicKey};
    /// assert!(matches!(PublicKey::from_jwk_coordinates("AA", "AA", "jwks.json"), Err(JwtError::Pem { .. })));
    /// ```
    pub fn from_jwk_coordinates(x: &str, y: &str, origin: &str) -> Result<PublicKey, JwtError> {
        let invalid = |reason: &str| JwtError::Pem {
            origin: origin.to_owned(),
            reason: reason.to_owned(),
        };
        let x = URL_SAFE_NO_PAD
            .decode(x)
            .map_err(|_| invalid("`x` is not base64url"))?;
        let y = URL_SAFE_NO_PAD
            .decode(y)
            .map_err(|_| invalid("`y` is not base64url"))?;
        let mut point = Vec::with_capacity(1 + x.len() + y.len());
        point.push(0x04);
        point.extend_from_slice(&x);
        point.extend_from_slice(&y);
        let key = p521::ecdsa::VerifyingKey::from_sec1_bytes(&point)
            .map_err(|_| invalid("`x` and `y` are not a point on P-521"))?;
        Ok(Self::of(key))
    }

    fn of(key: p521::ecdsa::VerifyingKey) -> PublicKey {
        PublicKey {
            thumbprint: jwk_thumbprint(&key),
            key,
        }
    }

    /// The RFC 7638 thumbprint (SHA-256, base64url).
    pub fn thumbprint(&self) -> &str {
        &self.thumbprint
    }

    /// [`verify`] with this key.
    pub fn verify(&self, token: &str) -> Result<Claims, JwtError> {
        self.verify_at(token, now())
    }

    /// [`verify_at`] with this key.
    pub fn verify_at(&self, token: &str, now: u64) -> Result<Claims, JwtError> {
        SignedToken::parse(token)?.check(&self.key, now)
    }
}

/// Decodes a token's header and claims without checking the signature or the times: for
/// structural checks (is it ES512, which scopes, when does it expire).
///
/// ```
/// use checkout_conformance::vendor::gr4vy::jwt::{decode_unverified, JwtError};
/// assert!(matches!(decode_unverified("not-a-jwt"), Err(JwtError::Malformed(_))));
/// ```
pub fn decode_unverified(token: &str) -> Result<(Header, Claims), JwtError> {
    let parts = split(token)?;
    Ok((
        decode_part(parts[0], "header")?,
        decode_part(parts[1], "claims")?,
    ))
}

/// Where a run's Gr4vy token comes from.
///
/// ```
/// use checkout_conformance::vendor::gr4vy::jwt::{SigningKey, TokenSource, WRITE_SCOPE};
/// // GR4VY_TOKEN wins and is sent as is.
/// let source = TokenSource::from_values(Some("eyJhbGciOiJFUzUxMiJ9.e30.sig"), None, None)?.unwrap();
/// assert_eq!(source.token(&[WRITE_SCOPE])?.expose(), "eyJhbGciOiJFUzUxMiJ9.e30.sig");
///
/// // GR4VY_PRIVATE_KEY mints a fresh token per call; the key id defaults to the thumbprint.
/// let key = SigningKey::generate();
/// let source = TokenSource::from_values(None, Some(key.to_pkcs8_pem().expose()), None)?.unwrap();
/// assert_eq!(source.key_id(), Some(key.thumbprint()));
/// let token = source.token(&[WRITE_SCOPE])?;
/// assert!(checkout_conformance::vendor::gr4vy::jwt::verify(token.expose(), &source.public_key_pem().unwrap()).is_ok());
///
/// assert!(TokenSource::from_values(None, None, None)?.is_none());
/// # Ok::<(), checkout_conformance::vendor::gr4vy::jwt::JwtError>(())
/// ```
#[derive(Debug, Clone)]
pub enum TokenSource {
    /// A token given as is (`GR4VY_TOKEN`); its scopes are whatever it was minted with.
    Static(Secret),
    /// A key that mints a fresh token per call.
    Mint {
        /// The private key.
        key: SigningKey,
        /// Sent as `kid`.
        key_id: String,
        /// How long each token lives.
        lifetime: Duration,
    },
}

impl TokenSource {
    /// Reads [`ENV_TOKEN`], [`ENV_PRIVATE_KEY`] and [`ENV_KEY_ID`]; `None` when neither a token
    /// nor a key is set. An empty variable counts as unset.
    pub fn from_env() -> Result<Option<TokenSource>, JwtError> {
        let var = |name| std::env::var(name).ok().map(Zeroizing::new);
        let (token, key, key_id) = (var(ENV_TOKEN), var(ENV_PRIVATE_KEY), var(ENV_KEY_ID));
        TokenSource::from_values(
            token.as_deref().map(String::as_str),
            key.as_deref().map(String::as_str),
            key_id.as_deref().map(String::as_str),
        )
    }

    /// The same from values (a CLI flag, a config): a token is used as is (a leading `Bearer `
    /// is dropped); otherwise a private key (PEM text or a path) mints tokens, `kid` being
    /// `key_id` or else the key's thumbprint. Errors name the environment variables.
    pub fn from_values(
        token: Option<&str>,
        private_key: Option<&str>,
        key_id: Option<&str>,
    ) -> Result<Option<TokenSource>, JwtError> {
        fn present(value: Option<&str>) -> Option<&str> {
            value.map(str::trim).filter(|v| !v.is_empty())
        }
        if let Some(token) = present(token) {
            let token = match token.get(..7) {
                Some(prefix) if prefix.eq_ignore_ascii_case("bearer ") => token[7..].trim(),
                _ => token,
            };
            return Ok(Some(TokenSource::Static(Secret::new(token))));
        }
        let Some(private_key) = present(private_key) else {
            return Ok(None);
        };
        let key = private_key_from_value_or_path(private_key, ENV_PRIVATE_KEY)?;
        let key_id = present(key_id).map_or_else(|| key.thumbprint().to_owned(), str::to_owned);
        Ok(Some(TokenSource::Mint {
            key,
            key_id,
            lifetime: DEFAULT_LIFETIME,
        }))
    }

    /// A token for a call needing `scopes`: the static token as is, or a freshly minted one.
    pub fn token(&self, scopes: &[&str]) -> Result<Secret, JwtError> {
        match self {
            TokenSource::Static(token) => Ok(token.clone()),
            TokenSource::Mint {
                key,
                key_id,
                lifetime,
            } => mint(key, key_id, scopes, *lifetime),
        }
    }

    /// The `kid` minted tokens carry (`None` for a static token).
    pub fn key_id(&self) -> Option<&str> {
        match self {
            TokenSource::Static(_) => None,
            TokenSource::Mint { key_id, .. } => Some(key_id),
        }
    }

    /// The public key that verifies minted tokens (`None` for a static token), e.g. for the
    /// bundled mock.
    pub fn public_key_pem(&self) -> Option<String> {
        match self {
            TokenSource::Static(_) => None,
            TokenSource::Mint { key, .. } => Some(key.public_key_pem()),
        }
    }
}

/// The RFC 7638 thumbprint of a P-521 public key (PEM, `BEGIN PUBLIC KEY`): the `kid` Gr4vy's
/// SDKs put in the tokens that key verifies, for a mock that looks keys up by `kid`.
///
/// ```
/// use checkout_conformance::vendor::gr4vy::jwt::{public_key_thumbprint, SigningKey};
/// let key = SigningKey::generate();
/// assert_eq!(public_key_thumbprint(&key.public_key_pem())?, key.thumbprint());
/// # Ok::<(), checkout_conformance::vendor::gr4vy::jwt::JwtError>(())
/// ```
pub fn public_key_thumbprint(public_key_pem: &str) -> Result<String, JwtError> {
    Ok(PublicKey::from_pem(public_key_pem, "public key")?.thumbprint)
}

/// RFC 7638: SHA-256 over `{"crv","kty","x","y"}` (sorted, no spaces), coordinates base64url at
/// their full 66 bytes (RFC 7518 §6.2.1.2), as Gr4vy's Python and Node SDKs compute it.
fn jwk_thumbprint(key: &p521::ecdsa::VerifyingKey) -> String {
    let (x, y) = jwk_coordinates(key);
    let jwk = format!(r#"{{"crv":"P-521","kty":"EC","x":"{x}","y":"{y}"}}"#);
    URL_SAFE_NO_PAD.encode(Sha256::digest(jwk.as_bytes()))
}

/// A public key's JWK `x` and `y`: base64url at their full 66 bytes.
fn jwk_coordinates(key: &p521::ecdsa::VerifyingKey) -> (String, String) {
    let point = key.to_sec1_point(false);
    let bytes = point.as_bytes(); // 0x04 ‖ x ‖ y
    let (x, y) = bytes[1..].split_at((bytes.len() - 1) / 2);
    (URL_SAFE_NO_PAD.encode(x), URL_SAFE_NO_PAD.encode(y))
}

/// Rebuilds a PEM document from however it travelled: finds the armour, keeps the label, strips
/// every blank from the base64 body and wraps it at 64 columns.
fn normalize_pem(text: &str, origin: &str) -> Result<Zeroizing<String>, JwtError> {
    let text = Zeroizing::new(text.replace("\\r", "").replace("\\n", "\n"));
    let pem_error = |reason: &str| JwtError::Pem {
        origin: origin.to_owned(),
        reason: reason.to_owned(),
    };
    let begin = text
        .find("-----BEGIN ")
        .ok_or_else(|| pem_error("no -----BEGIN line"))?;
    let after_begin = &text[begin + "-----BEGIN ".len()..];
    let label_end = after_begin
        .find("-----")
        .ok_or_else(|| pem_error("the -----BEGIN line does not end with -----"))?;
    let label = after_begin[..label_end].trim();
    let body_and_rest = &after_begin[label_end + 5..];
    let end_marker = format!("-----END {label}-----");
    let body_end = body_and_rest
        .find(&end_marker)
        .ok_or_else(|| pem_error(&format!("no {end_marker} line")))?;
    let body = &body_and_rest[..body_end];
    if body.contains(':') {
        return Err(pem_error(
            "the key is encrypted (PEM headers such as Proc-Type): decrypt it first, e.g. `openssl pkcs8 -topk8 -nocrypt -in key.pem`",
        ));
    }
    let compact: Zeroizing<String> =
        Zeroizing::new(body.chars().filter(|c| !c.is_whitespace()).collect());
    let mut out = Zeroizing::new(String::with_capacity(compact.len() + 128));
    out.push_str(&format!("-----BEGIN {label}-----\n"));
    for line in compact.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(line).map_err(|_| pem_error("the body is not base64"))?);
        out.push('\n');
    }
    out.push_str(&end_marker);
    out.push('\n');
    Ok(out)
}

/// The error for PEM text the P-521 parser refused: a precise one when the key is of another
/// kind, else the parser's reason (which never quotes the input).
fn key_error(pem: &str, origin: &str, reason: &str) -> JwtError {
    let found = match pem_label(pem) {
        "RSA PRIVATE KEY" | "RSA PUBLIC KEY" => Some("an RSA key".to_owned()),
        "OPENSSH PRIVATE KEY" => Some("an OpenSSH-format key (convert it: `ssh-keygen -p -m PKCS8 -f key`)".to_owned()),
        "ENCRYPTED PRIVATE KEY" => {
            return JwtError::Pem {
                origin: origin.to_owned(),
                reason: "the key is encrypted: decrypt it first, e.g. `openssl pkcs8 -in key.pem -out plain.pem`"
                    .to_owned(),
            }
        }
        _ => p521::pkcs8::der::pem::decode_vec(pem.as_bytes())
            .ok()
            .and_then(|(_, der)| key_kind(&der)),
    };
    match found {
        Some(found) => JwtError::WrongCurve {
            origin: origin.to_owned(),
            found,
        },
        None => JwtError::Pem {
            origin: origin.to_owned(),
            reason: reason.to_owned(),
        },
    }
}

/// The label of a normalized PEM document (`PRIVATE KEY`, `EC PRIVATE KEY`, …).
fn pem_label(pem: &str) -> &str {
    pem.lines()
        .next()
        .and_then(|l| l.strip_prefix("-----BEGIN "))
        .and_then(|l| l.strip_suffix("-----"))
        .unwrap_or("")
}

/// What kind of key a DER document holds when it is not P-521, from the algorithm or curve OID
/// it carries (a diagnostic only: the key was already refused).
fn key_kind(der: &[u8]) -> Option<String> {
    const KINDS: &[(&[u8], &str)] = &[
        (
            &[0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07],
            "a P-256 (prime256v1) key",
        ),
        (
            &[0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22],
            "a P-384 (secp384r1) key",
        ),
        (
            &[0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x0a],
            "a secp256k1 key",
        ),
        (
            &[
                0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01,
            ],
            "an RSA key",
        ),
        (&[0x06, 0x03, 0x2b, 0x65, 0x70], "an Ed25519 key"),
    ];
    KINDS
        .iter()
        .find(|(oid, _)| der.windows(oid.len()).any(|w| w == *oid))
        .map(|(_, kind)| (*kind).to_owned())
}

fn split(token: &str) -> Result<[&str; 3], JwtError> {
    let token = token.trim();
    let parts: Vec<&str> = token.split('.').collect();
    match parts[..] {
        [header, claims, signature] if !header.is_empty() && !claims.is_empty() => {
            Ok([header, claims, signature])
        }
        _ => Err(JwtError::Malformed(format!(
            "expected header.claims.signature, found {} part(s)",
            parts.len()
        ))),
    }
}

fn decode_part<T: for<'de> Deserialize<'de>>(part: &str, what: &str) -> Result<T, JwtError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|e| JwtError::Malformed(format!("{what}: not base64url: {e}")))?;
    serde_json::from_slice(&bytes).map_err(|e| JwtError::Malformed(format!("{what}: {e}")))
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// A random UUID v4; should the OS have no randomness, a unique (time and counter) id instead.
fn uuid_v4() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut bytes = [0u8; 16];
    if getrandom::fill(&mut bytes).is_err() {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        bytes[..8].copy_from_slice(&(nanos as u64).to_be_bytes());
        bytes[8..].copy_from_slice(&COUNTER.fetch_add(1, Ordering::Relaxed).to_be_bytes());
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    const BODY: &str = "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERER";

    fn armoured(body: &str) -> String {
        format!("-----BEGIN PRIVATE KEY-----\n{body}\n-----END PRIVATE KEY-----\n")
    }

    #[rstest]
    #[case::plain(armoured(BODY))]
    #[case::crlf(armoured(BODY).replace('\n', "\r\n"))]
    #[case::escaped_newlines(armoured(BODY).replace('\n', "\\n"))]
    #[case::spaces(armoured(BODY).replace('\n', " "))]
    #[case::indented(armoured(BODY).replace('\n', "\n    "))]
    #[case::quoted(format!("\"{}\"", armoured(BODY)))]
    #[case::wrapped_at_40(armoured(&BODY.as_bytes().chunks(40).map(|c| std::str::from_utf8(c).unwrap()).collect::<Vec<_>>().join("\n")))]
    fn normalizes_pem_however_it_travelled(#[case] text: String) {
        let lines: Vec<&str> = BODY
            .as_bytes()
            .chunks(64)
            .map(|c| std::str::from_utf8(c).unwrap())
            .collect();
        let expected = format!(
            "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
            lines.join("\n")
        );
        assert_eq!(*normalize_pem(&text, "X").unwrap(), expected);
    }

    #[rstest]
    #[case::no_begin("MIGH", "no -----BEGIN line")]
    #[case::no_end(
        "-----BEGIN PRIVATE KEY-----\nMIGH\n",
        "no -----END PRIVATE KEY----- line"
    )]
    #[case::mismatched_end(
        "-----BEGIN PRIVATE KEY-----\nMIGH\n-----END EC PRIVATE KEY-----",
        "no -----END PRIVATE KEY----- line"
    )]
    #[case::legacy_encrypted("-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nMIGH\n-----END EC PRIVATE KEY-----", "encrypted")]
    fn refuses_broken_armour(#[case] text: &str, #[case] reason: &str) {
        let err = normalize_pem(text, "GR4VY_PRIVATE_KEY").unwrap_err();
        assert!(err.to_string().starts_with("GR4VY_PRIVATE_KEY: "), "{err}");
        assert!(err.to_string().contains(reason), "{err}");
        assert!(!err.to_string().contains("MIGH"), "{err}");
    }

    #[rstest]
    #[case::p256(&[0x30, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x00], Some("a P-256 (prime256v1) key"))]
    #[case::p384(&[0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x22], Some("a P-384 (secp384r1) key"))]
    #[case::rsa(&[0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01], Some("an RSA key"))]
    #[case::p521(&[0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x23], None)]
    fn names_other_key_kinds(#[case] der: &[u8], #[case] expected: Option<&str>) {
        assert_eq!(key_kind(der).as_deref(), expected);
    }

    #[rstest]
    #[case::exact(&["checkout-sessions.write"], "checkout-sessions.write", true)]
    #[case::read_is_not_write(&["checkout-sessions.read"], "checkout-sessions.write", false)]
    #[case::wildcard_write(&["*.write"], "checkout-sessions.write", true)]
    #[case::wildcard_read_is_not_write(&["*.read"], "checkout-sessions.write", false)]
    #[case::embed_exact(&["embed"], "embed", true)]
    #[case::wildcard_needs_dot(&["*.write"], "embed", false)]
    #[case::none(&[], "checkout-sessions.read", false)]
    fn scopes_allow(#[case] scopes: &[&str], #[case] scope: &str, #[case] allowed: bool) {
        assert_eq!(
            Claims::issued_at(0, scopes, Duration::ZERO).allows(scope),
            allowed
        );
    }

    #[test]
    fn jti_is_a_fresh_uuid_v4() {
        let (a, b) = (uuid_v4(), uuid_v4());
        assert_ne!(a, b);
        let groups: Vec<usize> = a.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12]);
        assert_eq!(&a[14..15], "4");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"), "{a}");
    }

    #[rstest]
    #[case::one_part("abc", 1)]
    #[case::two_parts("a.b", 2)]
    #[case::four_parts("a.b.c.d", 4)]
    #[case::empty_claims("a..c", 3)]
    fn splits_only_three_part_tokens(#[case] token: &str, #[case] parts: usize) {
        let err = split(token).unwrap_err().to_string();
        assert_eq!(
            err,
            format!("malformed token: expected header.claims.signature, found {parts} part(s)")
        );
    }

    #[test]
    fn base64_without_armour_is_not_echoed_as_a_path() {
        let err = private_key_from_value_or_path(BODY, "GR4VY_PRIVATE_KEY").unwrap_err();
        assert!(matches!(err, JwtError::NotPem { .. }), "{err}");
        assert!(!err.to_string().contains(&BODY[..16]), "{err}");
    }

    #[rstest]
    #[case::bearer_prefix("Bearer eyJ.e30.sig")]
    #[case::lower_case_prefix("bearer eyJ.e30.sig")]
    #[case::padded("  eyJ.e30.sig\n")]
    fn static_token_is_trimmed(#[case] value: &str) {
        let source = TokenSource::from_values(Some(value), None, None)
            .unwrap()
            .unwrap();
        assert_eq!(source.token(&[]).unwrap().expose(), "eyJ.e30.sig");
        assert_eq!((source.key_id(), source.public_key_pem()), (None, None));
    }

    #[test]
    fn empty_values_count_as_unset() {
        assert!(TokenSource::from_values(Some(" "), Some(""), Some("kid"))
            .unwrap()
            .is_none());
    }

    #[test]
    fn signing_key_debug_shows_only_the_thumbprint() {
        let key = SigningKey::generate();
        let pem = key.to_pkcs8_pem();
        let body: String = pem
            .expose()
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect();
        for shown in [
            format!("{key:?}"),
            format!(
                "{:?}",
                TokenSource::Mint {
                    key: key.clone(),
                    key_id: "k".into(),
                    lifetime: DEFAULT_LIFETIME
                }
            ),
            pem.to_string(),
            format!("{pem:?}"),
        ] {
            assert!(!shown.contains(&body[..16]), "{shown}");
        }
    }
}
