//! The Gr4vy half with trusted public keys (`mock --gr4vy-public-key`, `MockConfig::
//! trust`): a token's `kid` must name a trusted key and its ES512 signature verify
//! with that key; expiry still applies; without keys, signatures are not checked.

use crate::common;

use axum::http::Method;
use checkout_conformance::mock::MockConfig;
use checkout_conformance::vendor::gr4vy::jwt::{self, Claims, Header, SigningKey};
use common::binary;
use common::gr4vy::{full_token, signed, Gr4vy, READ, WRITE};
use common::Mock;
use rstest::rstest;
use serde_json::json;
use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::time::Duration;

/// A token signed by `key` with `kid` (`None`: no `kid` in the header), valid for 10 minutes.
fn signed_with_kid(key: &SigningKey, kid: Option<&str>) -> String {
    let header = Header {
        alg: "ES512".into(),
        typ: Some("JWT".into()),
        kid: kid.map(str::to_owned),
    };
    let claims = Claims::new(&[READ, WRITE], Duration::from_secs(600));
    jwt::sign_with_header(key, &header, &claims)
        .expect("signs")
        .expose()
        .to_owned()
}

/// A JWKS holding `key` under `kid` (`None`: no `kid` member).
fn jwks(key: &SigningKey, kid: Option<&str>) -> String {
    let mut jwk = key.public_jwk();
    if let Some(kid) = kid {
        jwk["kid"] = json!(kid);
    }
    json!({"keys": [jwk]}).to_string()
}

async fn create_status(mock: &Mock, token: String) -> u16 {
    let mut g = Gr4vy::of(mock);
    g.token = token;
    g.send(Method::POST, "/checkout/sessions", Some(&json!({})))
        .await
        .status
}

/// Who gets in, by how the token was signed, with one PEM key trusted.
#[rstest]
#[case::the_trusted_key_under_its_thumbprint("trusted", Some("thumbprint"), 201)]
#[case::the_trusted_key_under_another_kid("trusted", Some("someone-else"), 401)]
#[case::the_trusted_key_without_kid("trusted", None, 401)]
#[case::another_key_under_the_trusted_kid("other", Some("trusted-thumbprint"), 401)]
#[case::another_key_under_its_own_thumbprint("other", Some("thumbprint"), 401)]
#[tokio::test]
async fn a_pem_key_is_trusted_under_its_thumbprint(
    #[case] signer: &str,
    #[case] kid: Option<&str>,
    #[case] status: u16,
) {
    let trusted = SigningKey::generate();
    let other = SigningKey::generate();
    let mock = Mock::with(MockConfig::default().with_trusted(
        checkout_conformance::vendor::Provider::Gr4vy,
        trusted.public_key_pem(),
    ))
    .await;
    let key = if signer == "trusted" {
        &trusted
    } else {
        &other
    };
    let kid = match kid {
        Some("thumbprint") => Some(key.thumbprint().to_owned()),
        Some("trusted-thumbprint") => Some(trusted.thumbprint().to_owned()),
        other => other.map(str::to_owned),
    };
    let token = signed_with_kid(key, kid.as_deref());
    assert_eq!(create_status(&mock, token).await, status);
}

/// Keys of a JWKS are trusted under their `kid` (their thumbprint when they have none); several
/// keys (repeated options, several entries) are each trusted; expiry and scopes still apply.
#[tokio::test]
async fn jwks_keys_are_trusted_under_their_kid() {
    let (a, b, c) = (
        SigningKey::generate(),
        SigningKey::generate(),
        SigningKey::generate(),
    );
    let config = MockConfig::default()
        .with_trusted(
            checkout_conformance::vendor::Provider::Gr4vy,
            jwks(&a, Some("merchant-key-1")),
        )
        .with_trusted(
            checkout_conformance::vendor::Provider::Gr4vy,
            jwks(&b, None),
        )
        .with_trusted(
            checkout_conformance::vendor::Provider::Gr4vy,
            c.public_key_pem(),
        );
    let mock = Mock::with(config).await;
    assert_eq!(
        create_status(&mock, signed_with_kid(&a, Some("merchant-key-1"))).await,
        201
    );
    assert_eq!(
        create_status(&mock, signed_with_kid(&a, Some(a.thumbprint()))).await,
        401,
        "a JWK with a kid is trusted under that kid only"
    );
    assert_eq!(
        create_status(&mock, signed_with_kid(&b, Some(b.thumbprint()))).await,
        201
    );
    assert_eq!(
        create_status(&mock, signed(&c, &[WRITE], 0, 600)).await,
        201
    );
    // Signed with a trusted key but expired: 401; without the scope: 403.
    assert_eq!(
        create_status(&mock, signed(&c, &[WRITE], 7200, 600)).await,
        401
    );
    assert_eq!(create_status(&mock, signed(&c, &[READ], 0, 600)).await, 403);
    // A structurally valid token nobody signed.
    assert_eq!(create_status(&mock, full_token()).await, 401);
}

/// Without keys the mock checks structure, expiry and scopes only (what the README says).
#[tokio::test]
async fn without_keys_signatures_are_not_checked() {
    let mock = Mock::start().await;
    assert_eq!(create_status(&mock, full_token()).await, 201);
    let anyone = SigningKey::generate();
    assert_eq!(
        create_status(&mock, signed_with_kid(&anyone, None)).await,
        201
    );
    assert_eq!(
        create_status(&mock, signed(&anyone, &[WRITE], 7200, 600)).await,
        401
    );
}

/// Every 401 is Gr4vy's envelope and never echoes the token.
#[tokio::test]
async fn refusals_are_in_the_envelope() {
    let key = SigningKey::generate();
    let mock = Mock::with(MockConfig::default().with_trusted(
        checkout_conformance::vendor::Provider::Gr4vy,
        key.public_key_pem(),
    ))
    .await;
    let mut g = Gr4vy::of(&mock);
    g.token = signed_with_kid(&SigningKey::generate(), Some("unknown"));
    let reply = g
        .send(Method::POST, "/checkout/sessions", Some(&json!({})))
        .await
        .expect(401);
    reply.assert_conforms();
    assert_eq!(reply.envelope().code, "unauthorized");
    assert!(!reply.body.to_string().contains(&g.token));
}

/// A `mock` process started with `--gr4vy-public-key`.
struct MockProcess {
    child: Child,
    url: String,
    stdout: Vec<String>,
}

impl Drop for MockProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(args: &[&str]) -> MockProcess {
    let mut child = binary::command()
        .args(["mock", "--addr", "127.0.0.1:0"])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the mock starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let first = lines.next().and_then(Result::ok).unwrap_or_default();
    let url = first
        .split_once("listening on ")
        .map(|(_, url)| url.trim().to_owned())
        .unwrap_or_else(|| panic!("not a \"listening on\" line: {first}"));
    // The notices follow at once; read them while the process keeps running.
    let mut stdout = Vec::new();
    for line in lines.by_ref().take(2).map_while(Result::ok) {
        stdout.push(line);
    }
    std::thread::spawn(move || for _ in lines {});
    MockProcess { child, url, stdout }
}

/// `mock --gr4vy-public-key PATH` (a PEM file) and `--gr4vy-public-key JWKS-FILE`, repeated: each
/// key's tokens get in, a token signed by a key not given is refused with 401.
#[tokio::test]
async fn the_command_line_takes_pem_and_jwks_files() {
    let dir = std::env::temp_dir().join(format!("cc-gr4vy-keys-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let (pem_key, jwks_key, stranger) = (
        SigningKey::generate(),
        SigningKey::generate(),
        SigningKey::generate(),
    );
    let pem = dir.join("public.pem");
    let set = dir.join("jwks.json");
    std::fs::write(&pem, pem_key.public_key_pem()).expect("pem written");
    std::fs::write(&set, jwks(&jwks_key, Some("jwks-kid"))).expect("jwks written");
    let mock = start(&[
        "--gr4vy-public-key",
        pem.to_str().expect("utf-8 path"),
        "--gr4vy-public-key",
        set.to_str().expect("utf-8 path"),
    ]);
    let printed = mock.stdout.join("\n");
    assert!(printed.contains(pem_key.thumbprint()), "{printed}");
    let g = |token: String| Gr4vy {
        token,
        ..Gr4vy::at(mock.url.clone())
    };
    let post = |g: Gr4vy| async move {
        g.send(Method::POST, "/checkout/sessions", Some(&json!({})))
            .await
            .status
    };
    assert_eq!(post(g(signed(&pem_key, &[WRITE], 0, 600))).await, 201);
    assert_eq!(
        post(g(signed_with_kid(&jwks_key, Some("jwks-kid")))).await,
        201
    );
    assert_eq!(post(g(signed(&stranger, &[WRITE], 0, 600))).await, 401);
    assert_eq!(post(g(full_token())).await, 401);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Without the option the mock says that it does not verify signatures.
#[test]
fn without_the_option_the_mock_says_signatures_are_unchecked() {
    let mock = start(&[]);
    let printed = mock.stdout.join("\n");
    assert!(
        printed.contains(checkout_conformance::vendor::gr4vy::mock::ANY_SIGNATURE_NOTICE),
        "{printed}"
    );
}

/// A key that cannot be used stops the mock before it listens: exit 2, the reason on stderr.
#[rstest]
#[case::not_a_file_nor_a_key("no/such/file.pem", "neither a PEM public key")]
#[case::pem_garbage(
    "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----",
    "not a usable PEM key"
)]
#[case::jwks_of_another_curve(
    r#"{"keys": [{"kty": "EC", "crv": "P-256", "x": "AA", "y": "AA"}]}"#,
    "not an EC P-521 key"
)]
#[case::jwks_empty(r#"{"keys": []}"#, "`keys` is empty")]
fn an_unusable_key_is_refused_at_start(#[case] value: &str, #[case] reason: &str) {
    let output = binary::command()
        .args(["mock", "--addr", "127.0.0.1:0", "--gr4vy-public-key", value])
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs");
    assert_eq!(output.status.code(), Some(2), "{}", binary::text(&output));
    let text = binary::text(&output);
    assert!(text.contains(reason), "{text}");
    assert!(!text.contains("listening on"), "{text}");
}
