//! Gr4vy ES512 tokens: minted tokens verify with the matching public key and round-trip their
//! claims; another key, a tampered token, an expired one are refused; keys load from PEM text
//! (PKCS#8 or SEC1) and from files; bad input is reported by name, never by content; a token
//! signed by another implementation (Python `cryptography`) verifies.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use checkout_conformance::vendor::gr4vy::jwt::{
    self, Claims, JwtError, SigningKey, TokenSource, ENV_PRIVATE_KEY, READ_SCOPE, WRITE_SCOPE,
};
use rstest::rstest;
use serde_json::{json, Value};

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/gr4vy")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The base64 body of a PEM document: what must never show up in an error.
fn pem_body(pem: &str) -> String {
    pem.lines().filter(|l| !l.starts_with("-----")).collect()
}

fn assert_does_not_leak(message: &str, pem: &str) {
    let body = pem_body(pem);
    for chunk in body.as_bytes().chunks(12) {
        let chunk = std::str::from_utf8(chunk).unwrap();
        assert!(
            chunk.len() < 8 || !message.contains(chunk),
            "`{message}` shows key text `{chunk}`"
        );
    }
}

/// A P-256 private key (scalar 0x11…11, a throwaway) built at run time, so that no private key
/// is committed: PKCS#8 or SEC1 DER, PEM-armoured.
fn p256_pem(format: &str) -> String {
    const P256_OID: [u8; 10] = [0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
    let (label, der) = match format {
        "pkcs8" => {
            let mut der = vec![0x30, 0x41, 0x02, 0x01, 0x00, 0x30, 0x13];
            der.extend([0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01]); // id-ecPublicKey
            der.extend(P256_OID);
            der.extend([0x04, 0x27, 0x30, 0x25, 0x02, 0x01, 0x01, 0x04, 0x20]);
            der.extend([0x11; 32]);
            ("PRIVATE KEY", der)
        }
        _ => {
            let mut der = vec![0x30, 0x31, 0x02, 0x01, 0x01, 0x04, 0x20];
            der.extend([0x11; 32]);
            der.extend([0xa0, 0x0a]);
            der.extend(P256_OID);
            ("EC PRIVATE KEY", der)
        }
    };
    format!(
        "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
        STANDARD.encode(der)
    )
}

/// A scratch file removed on drop.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str, contents: &str) -> TempFile {
        let path = std::env::temp_dir().join(format!(
            "checkout-conformance-jwt-{}-{name}",
            std::process::id()
        ));
        std::fs::write(&path, contents).unwrap();
        TempFile(path)
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Re-encodes one part of a token after `edit`, keeping the other parts (and the signature).
fn tamper(token: &str, part: usize, edit: impl FnOnce(&mut Value)) -> String {
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    let mut value: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(&parts[part]).unwrap()).unwrap();
    edit(&mut value);
    parts[part] = URL_SAFE_NO_PAD.encode(serde_json::to_vec(&value).unwrap());
    parts.join(".")
}

#[test]
fn minted_token_verifies_and_round_trips_its_claims() {
    let key = SigningKey::generate();
    let before = now();
    let token = jwt::mint(
        &key,
        "key-1",
        &[WRITE_SCOPE, READ_SCOPE],
        Duration::from_secs(300),
    )
    .unwrap();

    let claims = jwt::verify(token.expose(), &key.public_key_pem()).unwrap();
    assert_eq!(claims.scopes, vec![WRITE_SCOPE, READ_SCOPE]);
    assert!(claims.allows(WRITE_SCOPE) && claims.allows(READ_SCOPE));
    let (iat, nbf) = (claims.iat.unwrap(), claims.nbf.unwrap());
    assert!(before <= iat && iat <= now());
    assert_eq!(nbf, iat);
    assert!(nbf <= now() && claims.exp > now());
    assert_eq!(claims.exp, iat + 300);
    assert_eq!(
        claims.iss.as_deref(),
        Some(concat!("checkout-conformance ", env!("CARGO_PKG_VERSION")))
    );
    assert_eq!(claims.jti.as_ref().map(String::len), Some(36));
    assert_eq!((claims.checkout_session_id, claims.embed), (None, None));

    let (header, unverified) = jwt::decode_unverified(token.expose()).unwrap();
    assert_eq!(
        (
            header.alg.as_str(),
            header.typ.as_deref(),
            header.kid.as_deref()
        ),
        ("ES512", Some("JWT"), Some("key-1"))
    );
    assert_eq!(unverified.exp, iat + 300);
}

#[test]
fn token_has_the_shape_gr4vy_sdks_send() {
    let key = SigningKey::generate();
    let token = jwt::mint(
        &key,
        key.thumbprint(),
        &[WRITE_SCOPE],
        jwt::DEFAULT_LIFETIME,
    )
    .unwrap();
    let parts: Vec<&str> = token.expose().split('.').collect();
    assert_eq!(parts.len(), 3);
    let header: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
    assert_eq!(
        header,
        json!({"alg": "ES512", "typ": "JWT", "kid": key.thumbprint()})
    );
    let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    let mut names: Vec<&str> = claims
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["exp", "iat", "iss", "jti", "nbf", "scopes"]);
    assert_eq!(
        claims["exp"].as_u64().unwrap() - claims["iat"].as_u64().unwrap(),
        3600
    );
    // RFC 7518 §3.4: the signature is r ‖ s, 66 bytes each, not DER.
    assert_eq!(URL_SAFE_NO_PAD.decode(parts[2]).unwrap().len(), 132);
    assert!(!token.expose().contains('='), "base64url without padding");
}

#[test]
fn another_key_does_not_verify() {
    let (key, other) = (SigningKey::generate(), SigningKey::generate());
    let token = jwt::mint(
        &key,
        key.thumbprint(),
        &[WRITE_SCOPE],
        jwt::DEFAULT_LIFETIME,
    )
    .unwrap();
    let err = jwt::verify(token.expose(), &other.public_key_pem()).unwrap_err();
    assert!(matches!(err, JwtError::BadSignature), "{err}");
}

#[rstest]
#[case::more_scopes(1, |v: &mut Value| v["scopes"] = json!(["*.write"]))]
#[case::later_expiry(1, |v: &mut Value| v["exp"] = json!(4_102_444_800u64))]
#[case::other_kid(0, |v: &mut Value| v["kid"] = json!("someone-else"))]
fn tampered_token_does_not_verify(#[case] part: usize, #[case] edit: fn(&mut Value)) {
    let key = SigningKey::generate();
    let token = jwt::mint(&key, key.thumbprint(), &[READ_SCOPE], jwt::DEFAULT_LIFETIME).unwrap();
    let tampered = tamper(token.expose(), part, edit);
    assert_ne!(tampered, token.expose());
    let err = jwt::verify(&tampered, &key.public_key_pem()).unwrap_err();
    assert!(matches!(err, JwtError::BadSignature), "{err}");
}

#[test]
fn tampered_signature_does_not_verify() {
    let key = SigningKey::generate();
    let token = jwt::mint(&key, key.thumbprint(), &[READ_SCOPE], jwt::DEFAULT_LIFETIME).unwrap();
    let (signed, signature) = token.expose().rsplit_once('.').unwrap();
    let mut bytes = URL_SAFE_NO_PAD.decode(signature).unwrap();
    bytes[100] ^= 0x01;
    let forged = format!("{signed}.{}", URL_SAFE_NO_PAD.encode(bytes));
    assert!(matches!(
        jwt::verify(&forged, &key.public_key_pem()),
        Err(JwtError::BadSignature)
    ));
}

#[rstest]
#[case::none("none")]
#[case::hs512("HS512")]
#[case::es256("ES256")]
fn other_algorithms_are_refused(#[case] alg: &str) {
    let key = SigningKey::generate();
    let token = jwt::mint(&key, key.thumbprint(), &[READ_SCOPE], jwt::DEFAULT_LIFETIME).unwrap();
    let downgraded = tamper(token.expose(), 0, |v| v["alg"] = json!(alg));
    let err = jwt::verify(&downgraded, &key.public_key_pem()).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("the token is signed with `{alg}`, expected ES512")
    );
}

#[test]
fn expired_token_is_refused() {
    let key = SigningKey::generate();
    let issued = now() - 600;
    let claims = Claims::issued_at(issued, &[WRITE_SCOPE], Duration::from_secs(300));
    let token = jwt::sign(&key, key.thumbprint(), &claims).unwrap();
    match jwt::verify(token.expose(), &key.public_key_pem()) {
        Err(JwtError::Expired {
            expired_at,
            now: checked,
        }) => {
            assert_eq!(expired_at, issued + 300);
            assert!(checked >= issued + 600);
        }
        other => panic!("expected Expired, got {other:?}"),
    }
    // Expiry is checked after the signature: with another key the answer is the signature.
    let other = SigningKey::generate();
    assert!(matches!(
        jwt::verify(token.expose(), &other.public_key_pem()),
        Err(JwtError::BadSignature)
    ));
}

#[test]
fn token_from_the_future_is_refused() {
    let key = SigningKey::generate();
    let claims = Claims::issued_at(now() + 600, &[WRITE_SCOPE], Duration::from_secs(300));
    let token = jwt::sign(&key, key.thumbprint(), &claims).unwrap();
    let err = jwt::verify(token.expose(), &key.public_key_pem()).unwrap_err();
    assert!(matches!(err, JwtError::NotYetValid { .. }), "{err}");
}

#[test]
fn extra_claims_round_trip() {
    let key = SigningKey::generate();
    let mut claims = Claims::new(&["embed"], Duration::from_secs(60));
    claims.checkout_session_id = Some("8d3fe99b-1422-42e6-bbb3-932d95ae5f79".to_owned());
    claims.embed = Some(json!({"amount": 1299, "currency": "USD"}));
    let token = jwt::sign(&key, key.thumbprint(), &claims).unwrap();
    assert_eq!(
        jwt::verify(token.expose(), &key.public_key_pem()).unwrap(),
        claims
    );
}

#[rstest]
#[case::pkcs8("pkcs8")]
#[case::sec1("sec1")]
fn key_loads_from_pem_text(#[case] format: &str) {
    let key = SigningKey::generate();
    let pem = if format == "pkcs8" {
        key.to_pkcs8_pem()
    } else {
        key.to_sec1_pem()
    };
    let label = if format == "pkcs8" {
        "-----BEGIN PRIVATE KEY-----"
    } else {
        "-----BEGIN EC PRIVATE KEY-----"
    };
    assert!(pem.expose().starts_with(label));

    let loaded = jwt::private_key_from_value_or_path(pem.expose(), ENV_PRIVATE_KEY).unwrap();
    assert_eq!(loaded.thumbprint(), key.thumbprint());
    // What the loaded key signs, the original public key verifies.
    let token = jwt::mint(
        &loaded,
        loaded.thumbprint(),
        &[WRITE_SCOPE],
        jwt::DEFAULT_LIFETIME,
    )
    .unwrap();
    assert!(jwt::verify(token.expose(), &key.public_key_pem()).is_ok());
}

#[rstest]
#[case::pkcs8("pkcs8")]
#[case::sec1("sec1")]
fn key_loads_from_a_file_path(#[case] format: &str) {
    let key = SigningKey::generate();
    let pem = if format == "pkcs8" {
        key.to_pkcs8_pem()
    } else {
        key.to_sec1_pem()
    };
    let file = TempFile::new(&format!("{format}.pem"), pem.expose());

    let path = file.0.to_str().unwrap();
    assert_eq!(
        jwt::private_key_from_value_or_path(path, ENV_PRIVATE_KEY)
            .unwrap()
            .thumbprint(),
        key.thumbprint()
    );
    assert_eq!(
        jwt::private_key_from_value_or_path(&format!("  {path}\n"), ENV_PRIVATE_KEY)
            .unwrap()
            .thumbprint(),
        key.thumbprint()
    );
    assert_eq!(
        jwt::private_key_from_file(&file.0).unwrap().thumbprint(),
        key.thumbprint()
    );
}

#[test]
fn missing_file_is_named() {
    let err =
        jwt::private_key_from_value_or_path("/nonexistent/dir/gr4vy-private.pem", ENV_PRIVATE_KEY)
            .unwrap_err();
    assert!(matches!(err, JwtError::ReadKeyFile { .. }), "{err}");
    let message = err.to_string();
    assert!(message.starts_with("GR4VY_PRIVATE_KEY: cannot read the private key file /nonexistent/dir/gr4vy-private.pem: "), "{message}");
}

#[rstest]
#[case::garbage_body("-----BEGIN PRIVATE KEY-----\nTm90IGEga2V5IGF0IGFsbCwganVzdCBzb21lIHRleHQgdGhhdCBpcyBsb25nIGVub3VnaA==\n-----END PRIVATE KEY-----\n")]
#[case::not_base64("-----BEGIN PRIVATE KEY-----\nthis is !!! not base64 at all, secret-ish words here\n-----END PRIVATE KEY-----\n")]
#[case::unknown_label("-----BEGIN CERTIFICATE-----\nTm90IGEga2V5IGF0IGFsbCwganVzdCBzb21lIHRleHQgdGhhdCBpcyBsb25nIGVub3VnaA==\n-----END CERTIFICATE-----\n")]
fn bad_pem_names_its_source_and_not_its_content(#[case] pem: &str) {
    let err = jwt::private_key_from_value_or_path(pem, ENV_PRIVATE_KEY).unwrap_err();
    assert!(matches!(err, JwtError::Pem { .. }), "{err}");
    let message = err.to_string();
    assert!(
        message.starts_with("GR4VY_PRIVATE_KEY: not a usable PEM key: "),
        "{message}"
    );
    assert_does_not_leak(&message, pem);
    assert_does_not_leak(&format!("{err:?}"), pem);
}

#[test]
fn truncated_key_is_refused_without_leaking() {
    let pem = SigningKey::generate().to_pkcs8_pem();
    let body = pem_body(pem.expose());
    let truncated = format!(
        "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
        &body[..body.len() / 2]
    );
    let file = TempFile::new("truncated.pem", &truncated);
    let err =
        jwt::private_key_from_value_or_path(file.0.to_str().unwrap(), ENV_PRIVATE_KEY).unwrap_err();
    let message = err.to_string();
    assert!(
        message.starts_with(&format!("GR4VY_PRIVATE_KEY (file {}): ", file.0.display())),
        "{message}"
    );
    assert_does_not_leak(&message, pem.expose());
}

#[rstest]
#[case::pkcs8("pkcs8")]
#[case::sec1("sec1")]
fn p256_key_is_the_wrong_curve(#[case] format: &str) {
    let pem = p256_pem(format);
    let err = jwt::private_key_from_value_or_path(&pem, ENV_PRIVATE_KEY).unwrap_err();
    assert!(matches!(err, JwtError::WrongCurve { .. }), "{err}");
    let message = err.to_string();
    assert_eq!(
        message,
        "GR4VY_PRIVATE_KEY: the key is a P-256 (prime256v1) key, but Gr4vy tokens are ES512, which needs a P-521 (secp521r1) key"
    );
    assert_does_not_leak(&message, &pem);

    let file = TempFile::new(&format!("p256-{format}.pem"), &pem);
    let err = jwt::private_key_from_file(&file.0).unwrap_err();
    assert!(
        err.to_string()
            .starts_with(&format!("file {}: the key is a P-256", file.0.display())),
        "{err}"
    );
}

#[test]
fn public_key_is_not_a_private_key() {
    let err = jwt::private_key_from_value_or_path(
        &SigningKey::generate().public_key_pem(),
        ENV_PRIVATE_KEY,
    )
    .unwrap_err();
    assert_eq!(err.to_string(), "GR4VY_PRIVATE_KEY: not a usable PEM key: this is a public key; signing needs the private key");
}

#[test]
fn minted_token_never_prints() {
    let key = SigningKey::generate();
    let token = jwt::mint(
        &key,
        key.thumbprint(),
        &[WRITE_SCOPE],
        jwt::DEFAULT_LIFETIME,
    )
    .unwrap();
    let (header, _) = token.expose().split_once('.').unwrap();
    for shown in [
        token.to_string(),
        format!("{token:?}"),
        format!("{token:#?}"),
        token.masked(),
    ] {
        assert!(!shown.contains(header), "`{shown}` shows the token");
        assert!(shown.contains("[REDACTED]"), "{shown}");
    }
    assert_eq!(
        token.redact(&format!("Bearer {}", token.expose())),
        "Bearer [REDACTED]"
    );
}

#[test]
fn token_source_prefers_a_given_token_then_mints_from_the_key() {
    let key = SigningKey::generate();
    let pem = key.to_pkcs8_pem();

    let given = TokenSource::from_values(Some("eyJ.given.token"), Some(pem.expose()), None)
        .unwrap()
        .unwrap();
    assert_eq!(
        given.token(&[WRITE_SCOPE]).unwrap().expose(),
        "eyJ.given.token"
    );

    let minting = TokenSource::from_values(None, Some(pem.expose()), None)
        .unwrap()
        .unwrap();
    assert_eq!(minting.key_id(), Some(key.thumbprint()));
    let public = minting.public_key_pem().unwrap();
    let write = jwt::verify(minting.token(&[WRITE_SCOPE]).unwrap().expose(), &public).unwrap();
    let read = jwt::verify(minting.token(&[READ_SCOPE]).unwrap().expose(), &public).unwrap();
    assert_eq!(
        (write.scopes, read.scopes),
        (vec![WRITE_SCOPE.to_owned()], vec![READ_SCOPE.to_owned()])
    );
    assert_ne!(write.jti, read.jti, "every token is fresh");

    let with_id = TokenSource::from_values(None, Some(pem.expose()), Some("dashboard-key-id"))
        .unwrap()
        .unwrap();
    let (header, _) =
        jwt::decode_unverified(with_id.token(&[WRITE_SCOPE]).unwrap().expose()).unwrap();
    assert_eq!(header.kid.as_deref(), Some("dashboard-key-id"));

    let err = TokenSource::from_values(None, Some(&p256_pem("pkcs8")), None).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("GR4VY_PRIVATE_KEY: the key is a P-256"),
        "{err}"
    );
}

#[test]
fn token_signed_by_python_cryptography_verifies() {
    // tests/fixtures/gr4vy/: a public key and a token Python's `cryptography` signed with its
    // private key (not kept), claims as Gr4vy's SDK writes them, `exp` in 2100.
    let public = fixture("es512-public.pem");
    let token = fixture("es512-python-signed.jwt");
    let claims = jwt::verify(token.trim(), &public).unwrap();
    assert_eq!(claims.scopes, vec![WRITE_SCOPE, READ_SCOPE]);
    assert_eq!(
        claims.checkout_session_id.as_deref(),
        Some("8d3fe99b-1422-42e6-bbb3-932d95ae5f79")
    );
    assert_eq!(
        (claims.iat, claims.nbf, claims.exp),
        (Some(1_700_000_000), Some(1_700_000_000), 4_102_444_800)
    );

    // Its kid is the RFC 7638 thumbprint Python computed; the key's x coordinate starts with a
    // zero byte, so this also pins the full-width (66-byte) coordinates.
    let (header, _) = jwt::decode_unverified(token.trim()).unwrap();
    assert_eq!(
        header.kid.as_deref(),
        Some("mZUXFoKfCftbNTi2fIsBh-uUaGsjoVQeW2kpf0yxalg")
    );
    assert_eq!(
        jwt::public_key_thumbprint(&public).unwrap(),
        "mZUXFoKfCftbNTi2fIsBh-uUaGsjoVQeW2kpf0yxalg"
    );

    assert!(matches!(
        jwt::verify(token.trim(), &SigningKey::generate().public_key_pem()),
        Err(JwtError::BadSignature)
    ));
}

#[rstest]
#[case::empty("")]
#[case::two_parts("eyJhbGciOiJFUzUxMiJ9.e30")]
#[case::header_not_base64("!!!.e30.sig")]
#[case::header_not_json("bm90IGpzb24.e30.sig")]
#[case::claims_without_exp("eyJhbGciOiJFUzUxMiJ9.e30.sig")]
fn malformed_tokens_are_reported(#[case] token: &str) {
    let err = jwt::decode_unverified(token).unwrap_err();
    assert!(matches!(err, JwtError::Malformed(_)), "{err}");
    assert!(matches!(
        jwt::verify(token, &SigningKey::generate().public_key_pem()),
        Err(JwtError::Malformed(_))
    ));
}

#[test]
fn verify_names_a_bad_public_key() {
    let key = SigningKey::generate();
    let token = jwt::mint(
        &key,
        key.thumbprint(),
        &[WRITE_SCOPE],
        jwt::DEFAULT_LIFETIME,
    )
    .unwrap();
    let err = jwt::verify(token.expose(), "not a key").unwrap_err();
    assert_eq!(
        err.to_string(),
        "public key: not a usable PEM key: no -----BEGIN line"
    );
}
