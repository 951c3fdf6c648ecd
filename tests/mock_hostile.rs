//! Hostile input never gets a 5xx, a panic or a dropped connection from the mock.
//!
//! - [`hostile_request`]: a table of malformed bodies, keys, headers, paths and methods, all sent
//!   to ONE running mock; each must be answered with the expected 4xx in Stripe's error envelope,
//!   and the mock must still serve a normal request afterwards.
//! - [`random_bodies_are_answered_200_or_4xx`]: thousands of generated bodies (fixed seed).
//! - [`parallel_metadata_updates_all_land`], [`parallel_retransmissions_leave_a_consistent_session`]:
//!   concurrent updates to one session.

use crate::common;

use checkout_conformance::vendor::stripe::mock::StripeFault;
use checkout_conformance::vendor::stripe::wire::ErrorEnvelope;
use common::{Mock, KEY};
use rstest::rstest;
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::sync::OnceLock;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

// ---------------------------------------------------------------------------------------------
// One mock for the whole table
// ---------------------------------------------------------------------------------------------

/// The mock every table case is sent to: it runs on its own runtime in a background thread, so
/// that it outlives each test's runtime.
struct Shared {
    addr: SocketAddr,
    session: String,
}

fn shared() -> &'static Shared {
    static SHARED: OnceLock<Shared> = OnceLock::new();
    SHARED.get_or_init(|| {
        common::in_background("shared-mock", || async {
            let mock = Mock::start().await;
            let session = mock.custom_session().await;
            let addr = mock.server.addr();
            // The mock stays alive, with its runtime, for the whole test binary.
            (Shared { addr, session }, mock)
        })
    })
}

/// `{session}` in a path is the shared mock's session.
fn session_path(path: &str, shared: &Shared) -> String {
    path.replace("{session}", &shared.session)
}

// ---------------------------------------------------------------------------------------------
// Two transports: reqwest, and raw bytes over TCP for what reqwest refuses or rewrites
// ---------------------------------------------------------------------------------------------

/// A response as read off the wire.
#[derive(Debug)]
struct Raw {
    status: u16,
    body: Vec<u8>,
}

impl Raw {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body)
            .chars()
            .take(2_000)
            .collect()
    }
}

fn h(name: &'static str, value: &[u8]) -> (&'static str, Vec<u8>) {
    (name, value.to_vec())
}

/// Whether reqwest would send this request byte for byte. Header values that are not UTF-8 and
/// paths with bytes that a URL parser re-encodes go over raw TCP instead.
fn reqwest_can_send(path: &str, headers: &[(&str, Vec<u8>)]) -> bool {
    headers.iter().all(|(_, v)| std::str::from_utf8(v).is_ok())
        && path.bytes().all(|b| {
            b.is_ascii_graphic()
                && !matches!(
                    b,
                    b'"' | b'<' | b'>' | b'\\' | b'^' | b'`' | b'{' | b'|' | b'}'
                )
        })
}

/// Sends one request with the test key and a form content type unless `headers` set their own.
async fn send(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, Vec<u8>)],
    body: Vec<u8>,
) -> Raw {
    let has = |name: &str| headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name));
    let mut all: Vec<(&str, Vec<u8>)> = headers.to_vec();
    if !has("authorization") {
        all.push(("authorization", format!("Bearer {KEY}").into_bytes()));
    }
    if !has("content-type") {
        all.push((
            "content-type",
            b"application/x-www-form-urlencoded".to_vec(),
        ));
    }
    if reqwest_can_send(path, &all) {
        via_reqwest(addr, method, path, &all, body).await
    } else {
        via_tcp(addr, method, path, &all, body).await
    }
}

async fn via_reqwest(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, Vec<u8>)],
    body: Vec<u8>,
) -> Raw {
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("a valid method");
    let mut request = reqwest::Client::new()
        .request(method, format!("http://{addr}{path}"))
        .body(body);
    for (name, value) in headers {
        let value = reqwest::header::HeaderValue::from_bytes(value).expect("a sendable header");
        request = request.header(*name, value);
    }
    let response = request
        .send()
        .await
        .unwrap_or_else(|e| panic!("the mock answers {path:.80}: {e:?}"));
    let status = response.status().as_u16();
    let body = response.bytes().await.expect("a whole body").to_vec();
    Raw { status, body }
}

/// Writes the request as raw bytes (HTTP/1.1, `Connection: close`) and reads the whole answer.
async fn via_tcp(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, Vec<u8>)],
    body: Vec<u8>,
) -> Raw {
    let mut request =
        format!("{method} {path} HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\n").into_bytes();
    for (name, value) in headers {
        request.extend_from_slice(name.as_bytes());
        request.extend_from_slice(b": ");
        request.extend_from_slice(value);
        request.extend_from_slice(b"\r\n");
    }
    request.extend_from_slice(format!("content-length: {}\r\n\r\n", body.len()).as_bytes());
    request.extend_from_slice(&body);
    raw_exchange(addr, &request).await
}

/// Writes `bytes` and reads until the server closes; panics if the connection is dropped
/// without an answer.
async fn raw_exchange(addr: SocketAddr, bytes: &[u8]) -> Raw {
    let mut stream = TcpStream::connect(addr).await.expect("connects");
    // The server may answer (and close) before reading everything: a failed write is fine as
    // long as the answer arrives.
    let _ = stream.write_all(bytes).await;
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer)).await;
    assert!(read.is_ok(), "no answer within 10 s");
    if let Ok(Err(e)) = read {
        assert!(
            !answer.is_empty(),
            "connection dropped without an answer: {e}"
        );
    }
    parse_response(&answer)
}

fn parse_response(answer: &[u8]) -> Raw {
    let text = String::from_utf8_lossy(answer);
    let end = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no complete response head: {text:.300}"));
    let head = String::from_utf8_lossy(&answer[..end]);
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line: {head}"));
    let mut body = answer[end + 4..].to_vec();
    let length = head.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.trim()
            .eq_ignore_ascii_case("content-length")
            .then(|| value.trim().parse::<usize>().ok())?
    });
    if let Some(length) = length {
        body.truncate(length);
    }
    Raw { status, body }
}

// ---------------------------------------------------------------------------------------------
// Bodies
// ---------------------------------------------------------------------------------------------

fn b(bytes: &[u8]) -> Vec<u8> {
    bytes.to_vec()
}

/// A generated path for a table case (the table holds `&'static str`s).
fn leak(path: String) -> &'static str {
    Box::leak(path.into_boxed_str())
}

fn nested_key(depth: usize) -> Vec<u8> {
    format!("metadata{}=1", "[a]".repeat(depth)).into_bytes()
}

fn metadata_value(bytes: usize) -> Vec<u8> {
    let mut body = b"metadata[k]=".to_vec();
    body.resize(body.len() + bytes, b'x');
    body
}

fn long_key(chars: usize) -> Vec<u8> {
    let mut body = vec![b'k'; chars];
    body.extend_from_slice(b"=1");
    body
}

fn many_pairs(n: usize) -> Vec<u8> {
    let body = (0..n)
        .map(|i| format!("a{i}="))
        .collect::<Vec<_>>()
        .join("&");
    assert!(body.len() < 1024 * 1024, "stays under the 1 MiB limit");
    body.into_bytes()
}

fn json_body() -> Vec<u8> {
    json!({"metadata": {"a": "1"}}).to_string().into_bytes()
}

// ---------------------------------------------------------------------------------------------
// The table
// ---------------------------------------------------------------------------------------------

const SESSION: &str = "/v1/checkout/sessions/{session}";

#[rstest]
// percent-encoding
#[case::malformed_escape("POST", SESSION, vec![], b(b"a=%zz"), 400)]
#[case::lone_percent("POST", SESSION, vec![], b(b"%"), 400)]
#[case::truncated_escape_in_value("POST", SESSION, vec![], b(b"metadata[a]=%4"), 400)]
#[case::malformed_escape_in_key("POST", SESSION, vec![], b(b"metadata[%zz]=1"), 400)]
// invalid UTF-8
#[case::raw_invalid_utf8_value("POST", SESSION, vec![], b(b"metadata[a]=\xff"), 400)]
#[case::encoded_invalid_utf8_value("POST", SESSION, vec![], b(b"metadata[a]=%ff%fe"), 400)]
#[case::raw_invalid_utf8_key("POST", SESSION, vec![], b(b"\xff\xfe=1"), 400)]
#[case::overlong_utf8("POST", SESSION, vec![], b(b"metadata[a]=%c0%af"), 400)]
// shapes of keys
#[case::nested_1000_levels("POST", SESSION, vec![], nested_key(1000), 400)]
#[case::huge_line_item_index("POST", SESSION, vec![], b(b"line_items[99999999][price]=x"), 400)]
#[case::index_overflowing_usize("POST", SESSION, vec![], b(b"line_items[999999999999999999999999][price]=x"), 400)]
#[case::brackets_everywhere("POST", SESSION, vec![], b(b"a[[]]]=1"), 400)]
#[case::only_brackets("POST", SESSION, vec![], b(b"[]=1&][=2"), 400)]
#[case::unclosed_bracket("POST", SESSION, vec![], b(b"metadata[a=1"), 400)]
#[case::equals_only("POST", SESSION, vec![], b(b"="), 400)]
#[case::value_and_object("POST", SESSION, vec![], b(b"metadata=1&metadata[a]=2"), 400)]
#[case::duplicate_leaf("POST", SESSION, vec![], b(b"metadata[a]=1&metadata[a]=2"), 400)]
// An empty form is a valid (no-op) update: 200, not an error.
#[case::ampersands_only("POST", SESSION, vec![], b(b"&&&&"), 200)]
#[case::ampersands_around_unknown("POST", SESSION, vec![], b(b"&&&&foo&&&&"), 400)]
#[case::nul_key("POST", SESSION, vec![], b(b"\0=\0"), 400)]
#[case::encoded_nul_key("POST", SESSION, vec![], b(b"%00=1"), 400)]
#[case::nul_in_nested_key("POST", SESSION, vec![], b(b"line_items[0][\0]=1"), 400)]
// sizes
#[case::value_900_kib("POST", SESSION, vec![], metadata_value(900 * 1024), 400)]
#[case::body_2_mib("POST", SESSION, vec![], metadata_value(2 * 1024 * 1024), 413)]
#[case::key_100k_chars("POST", SESSION, vec![], long_key(100_000), 400)]
#[case::pairs_100k("POST", SESSION, vec![], many_pairs(100_000), 400)]
// content types
#[case::json_body("POST", SESSION, vec![h("content-type", b"application/json")], json_body(), 400)]
#[case::json_body_with_charset("POST", SESSION, vec![h("content-type", b"application/json; charset=utf-8")], json_body(), 400)]
// query strings
#[case::get_malformed_escape("GET", "/v1/checkout/sessions/{session}?expand[]=%zz", vec![], vec![], 400)]
#[case::get_malformed_key("GET", "/v1/checkout/sessions/{session}?expand[=line_items", vec![], vec![], 400)]
#[case::get_invalid_utf8("GET", "/v1/checkout/sessions/{session}?expand[]=%ff%fe", vec![], vec![], 400)]
#[case::get_unknown_query("GET", "/v1/checkout/sessions/{session}?foo=bar", vec![], vec![], 400)]
#[case::get_line_items_bad_limit("GET", "/v1/checkout/sessions/{session}/line_items?limit=abc", vec![], vec![], 400)]
#[case::get_line_items_huge_limit("GET", "/v1/checkout/sessions/{session}/line_items?limit=99999999999999999999", vec![], vec![], 400)]
// paths and methods
#[case::unknown_path("POST", "/v1/nope", vec![], b(b"a=1"), 404)]
#[case::root("GET", "/", vec![], vec![], 404)]
#[case::put("PUT", SESSION, vec![], b(b"metadata[a]=1"), 404)]
#[case::delete("DELETE", SESSION, vec![], vec![], 404)]
#[case::patch("PATCH", SESSION, vec![], b(b"metadata[a]=1"), 404)]
#[case::options("OPTIONS", SESSION, vec![], vec![], 404)]
#[case::custom_method("BREW", SESSION, vec![], vec![], 404)]
#[case::unknown_session("POST", "/v1/checkout/sessions/cs_test_nope", vec![], b(b"metadata[a]=1"), 404)]
#[case::path_10k_chars_session("GET", leak(format!("/v1/checkout/sessions/{}", "a".repeat(10_000))), vec![], vec![], 404)]
#[case::path_10k_chars_unknown("POST", leak(format!("/v1/{}", "x/".repeat(5_000))), vec![], b(b"a=1"), 404)]
#[case::path_with_encoded_slash("POST", "/v1/checkout/sessions/%2F..%2F", vec![], b(b"metadata[a]=1"), 404)]
#[case::path_with_dot_segments("POST", "/v1/checkout/sessions/../../v1/prices", vec![], b(b"metadata[a]=1"), 404)]
// authentication
#[case::auth_garbage("POST", SESSION, vec![h("authorization", b"garbage")], b(b"metadata[a]=1"), 401)]
#[case::auth_non_utf8("POST", SESSION, vec![h("authorization", b"Bearer \xff\xfe\x80")], b(b"metadata[a]=1"), 401)]
#[case::auth_bearer_empty("POST", SESSION, vec![h("authorization", b"Bearer")], b(b"metadata[a]=1"), 401)]
#[case::auth_live_key("POST", SESSION, vec![h("authorization", b"Bearer sk_live_123")], b(b"metadata[a]=1"), 401)]
#[case::basic_invalid_base64("POST", SESSION, vec![h("authorization", b"Basic !!!not-base64!!!")], b(b"metadata[a]=1"), 401)]
#[case::basic_non_utf8_user("POST", SESSION, vec![h("authorization", b"Basic //7/Og==")], b(b"metadata[a]=1"), 401)]
#[case::auth_huge("POST", SESSION, vec![h("authorization", &[b'A'; 8_000])], b(b"metadata[a]=1"), 401)]
// other headers
#[case::idempotency_key_non_ascii("POST", SESSION, vec![h("idempotency-key", "ключ".as_bytes())], b(b"metadata[a]=1"), 400)]
#[case::idempotency_key_latin1("POST", SESSION, vec![h("idempotency-key", b"cl\xe9")], b(b"metadata[a]=1"), 400)]
#[case::idempotency_key_too_long("POST", SESSION, vec![h("idempotency-key", &[b'k'; 256])], b(b"metadata[a]=1"), 400)]
#[case::stripe_version_garbage("POST", SESSION, vec![h("stripe-version", b"yesterday")], b(b"metadata[a]=1"), 400)]
#[case::stripe_version_non_utf8("POST", SESSION, vec![h("stripe-version", b"2026-07-29.\xff")], b(b"metadata[a]=1"), 400)]
#[tokio::test]
async fn hostile_request(
    #[case] method: &str,
    #[case] path: &str,
    #[case] headers: Vec<(&'static str, Vec<u8>)>,
    #[case] body: Vec<u8>,
    #[case] expected: u16,
) {
    let mock = shared();
    let path = session_path(path, mock);
    let answer = send(mock.addr, method, &path, &headers, body).await;
    assert_eq!(answer.status, expected, "body: {}", answer.text());
    let json: Value = serde_json::from_slice(&answer.body)
        .unwrap_or_else(|e| panic!("a JSON body ({e}): {}", answer.text()));
    if expected >= 400 {
        let envelope: Result<ErrorEnvelope, _> = serde_json::from_value(json);
        assert!(envelope.is_ok(), "not Stripe's envelope: {}", answer.text());
    } else {
        assert_eq!(json["object"], "checkout.session", "{}", answer.text());
    }
    still_serves(mock).await;
}

/// The mock still answers a normal request, and the shared session is intact.
async fn still_serves(mock: &Shared) {
    let path = format!("/v1/checkout/sessions/{}", mock.session);
    let answer = send(mock.addr, "GET", &path, &[], vec![]).await;
    assert_eq!(
        answer.status,
        200,
        "after the hostile request: {}",
        answer.text()
    );
    let session: Value = serde_json::from_slice(&answer.body).expect("a JSON session");
    assert_eq!(session["id"], json!(mock.session));
    assert_eq!(session["status"], "open");
}

/// Bytes that are not HTTP at all never reach the mock's handler: hyper refuses them with a bare
/// 4xx (no Stripe envelope, since no handler runs). What matters here is that the connection is
/// answered, not dropped, and that the mock keeps serving.
#[rstest]
#[case::garbage_request_line(b(b"GARBAGE\r\n\r\n"))]
#[case::bad_version(b(b"GET /v1/checkout/sessions HTTP/9.9\r\nhost: x\r\n\r\n"))]
#[case::nul_in_header(b(b"GET / HTTP/1.1\r\nhost: x\r\nx-a: a\0b\r\n\r\n"))]
#[case::space_in_path(b(b"GET /v1/a b/c HTTP/1.1\r\nhost: x\r\n\r\n"))]
#[case::bad_content_length(b(
    b"POST /v1/checkout/sessions HTTP/1.1\r\nhost: x\r\ncontent-length: lots\r\n\r\n"
))]
#[case::raw_invalid_utf8_in_query(b(
    b"GET /v1/checkout/sessions/x?expand[]=\xff\xfe HTTP/1.1\r\nhost: x\r\n\r\n"
))]
#[case::del_in_path(b(b"GET /v1/\x7f HTTP/1.1\r\nhost: x\r\n\r\n"))]
#[case::header_without_colon(b(b"GET / HTTP/1.1\r\nhost: x\r\nnocolon\r\n\r\n"))]
#[tokio::test]
async fn malformed_http_is_answered_4xx(#[case] bytes: Vec<u8>) {
    let mock = shared();
    let answer = raw_exchange(mock.addr, &bytes).await;
    assert!(
        (400..500).contains(&answer.status),
        "status {}: {}",
        answer.status,
        answer.text()
    );
    still_serves(mock).await;
}

// ---------------------------------------------------------------------------------------------
// Generated bodies
// ---------------------------------------------------------------------------------------------

/// Pieces the generator glues together: real parameter names (so that bodies reach the rules, not
/// only the decoder), and bytes that break decoders.
const FRAGMENTS: &[&[u8]] = &[
    b"[",
    b"]",
    b"[",
    b"]",
    b"%",
    b"=",
    b"&",
    b"+",
    b"%",
    b"=",
    b"&",
    b"[]",
    b"[0]",
    b"[1]",
    b"%5B",
    b"%5D",
    b"%ff",
    b"%fe",
    b"%c3%28",
    b"\xff",
    b"\xfe",
    b"\xc3\x28",
    b"%00",
    b"\0",
    b"%zz",
    b"%4",
    b"a",
    b"1",
    b"-1",
    b"x",
    b" ",
    b"metadata",
    b"line_items",
    b"price",
    b"quantity",
    b"price_data",
    b"currency",
    b"usd",
    b"unit_amount",
    b"shipping_options",
    b"shipping_rate_data",
    b"display_name",
    b"fixed_amount",
    b"amount",
    b"type",
    b"collected_information",
    b"shipping_details",
    b"address",
    b"expand",
    b"id",
    b"li_",
];

fn random_body(rng: &mut fastrand::Rng) -> Vec<u8> {
    let pieces = rng.usize(0..24);
    let mut body = Vec::new();
    for _ in 0..pieces {
        if rng.u8(..) < 32 {
            body.push(rng.u8(..));
        } else {
            body.extend_from_slice(FRAGMENTS[rng.usize(..FRAGMENTS.len())]);
        }
    }
    body
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn random_bodies_are_answered_200_or_4xx() {
    const BODIES: usize = 2_500;
    const PARALLEL: usize = 16;
    let mock = Mock::start().await;
    let session = mock.custom_session().await;
    let paths = [
        format!("/v1/checkout/sessions/{session}"),
        "/v1/checkout/sessions".to_owned(),
        "/v1/shipping_rates".to_owned(),
        "/v1/prices".to_owned(),
    ];
    let mut rng = fastrand::Rng::with_seed(0xC0FF_EE15_BAD5_EED5);
    let cases: Vec<(String, Vec<u8>)> = (0..BODIES)
        .map(|i| {
            let path = if i % 2 == 0 {
                paths[0].clone()
            } else {
                paths[rng.usize(..paths.len())].clone()
            };
            (path, random_body(&mut rng))
        })
        .collect();
    let addr = mock.server.addr();
    let started = std::time::Instant::now();
    let mut statuses = std::collections::BTreeMap::<u16, usize>::new();
    let chunks: Vec<Vec<(String, Vec<u8>)>> = cases
        .chunks(BODIES.div_ceil(PARALLEL))
        .map(<[_]>::to_vec)
        .collect();
    let tasks: Vec<_> = chunks
        .into_iter()
        .map(|chunk| {
            let client = reqwest::Client::new();
            tokio::spawn(async move {
                let mut seen = Vec::with_capacity(chunk.len());
                for (path, body) in chunk {
                    let response = client
                        .post(format!("http://{addr}{path}"))
                        .bearer_auth(KEY)
                        .header("content-type", "application/x-www-form-urlencoded")
                        .body(body.clone())
                        .send()
                        .await
                        .unwrap_or_else(|e| panic!("no answer to {body:?}: {e}"));
                    let status = response.status().as_u16();
                    let text = response.bytes().await.expect("a whole body");
                    let ok = match status {
                        200 => serde_json::from_slice::<Value>(&text).is_ok(),
                        400..=499 => serde_json::from_slice::<ErrorEnvelope>(&text).is_ok(),
                        _ => false,
                    };
                    assert!(
                        ok,
                        "POST {path} with {:?} was answered {status}: {}",
                        String::from_utf8_lossy(&body),
                        String::from_utf8_lossy(&text)
                    );
                    seen.push(status);
                }
                seen
            })
        })
        .collect();
    for task in tasks {
        for status in task.await.expect("no assertion failed") {
            *statuses.entry(status).or_default() += 1;
        }
    }
    println!("answers by status: {statuses:?} in {:?}", started.elapsed());
    let total: usize = statuses.values().sum();
    assert_eq!(total, BODIES);
    assert!(
        statuses.get(&200).copied().unwrap_or(0) > 0
            && statuses.get(&400).copied().unwrap_or(0) > BODIES / 2,
        "the generator should reach both answers: {statuses:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "took {:?}",
        started.elapsed()
    );
    // The session survived whatever the valid bodies did to it.
    mock.get(&format!("/v1/checkout/sessions/{session}"))
        .await
        .expect(200);
}

// ---------------------------------------------------------------------------------------------
// Concurrency
// ---------------------------------------------------------------------------------------------

/// 64 concurrent updates of one session's metadata, each setting its own key: none is lost.
///
/// Stripe allows at most 50 metadata keys, so the 64 keys can only all land with that limit off
/// (`metadata-limits-unchecked`, which changes nothing else); [`parallel_metadata_updates_respect_the_key_limit`]
/// runs the same race on a clean mock.
#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn parallel_metadata_updates_all_land() {
    const N: usize = 64;
    let mock = Mock::with_faults(&[StripeFault::MetadataLimitsUnchecked.fault()]).await;
    let (answers, metadata) = race_metadata(mock, N).await;
    assert!(answers.iter().all(|a| a.status == 200), "{answers:?}");
    assert_eq!(metadata.len(), N, "{metadata:?}");
    for i in 0..N {
        assert_eq!(metadata[&format!("k{i}")], json!(format!("v{i}")));
    }
}

/// The same race on a clean mock: exactly 50 updates win, the 14 others are rejected whole
/// (400 `metadata`), and the stored keys are exactly those of the winners.
#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn parallel_metadata_updates_respect_the_key_limit() {
    const N: usize = 64;
    let (answers, metadata) = race_metadata(Mock::start().await, N).await;
    let mut winners = Vec::new();
    for (i, answer) in answers.iter().enumerate() {
        match answer.status {
            200 => winners.push(format!("k{i}")),
            400 => assert_eq!(answer.param(), Some("metadata"), "{}", answer.body),
            _ => panic!("update {i}: {}", answer.body),
        }
    }
    assert_eq!(winners.len(), 50);
    let mut stored: Vec<String> = metadata.keys().cloned().collect();
    stored.sort();
    winners.sort();
    assert_eq!(stored, winners);
}

/// Sends `n` concurrent updates, update i setting `k{i}=v{i}`; returns the answers (in i order)
/// and the session's metadata afterwards.
async fn race_metadata(
    mock: Mock,
    n: usize,
) -> (Vec<common::Answer>, serde_json::Map<String, Value>) {
    let mock = std::sync::Arc::new(mock);
    let id = mock.custom_session().await;
    let start = std::sync::Arc::new(tokio::sync::Barrier::new(n));
    let tasks: Vec<_> = (0..n)
        .map(|i| {
            let (mock, id, start) = (mock.clone(), id.clone(), start.clone());
            tokio::spawn(async move {
                start.wait().await;
                mock.update(&id, json!({"metadata": {format!("k{i}"): format!("v{i}")}}))
                    .await
            })
        })
        .collect();
    let mut answers = Vec::with_capacity(n);
    for task in tasks {
        answers.push(task.await.expect("the update task"));
    }
    let session = mock
        .get(&format!("/v1/checkout/sessions/{id}"))
        .await
        .expect(200)
        .body;
    let metadata = session["metadata"].as_object().cloned().expect("metadata");
    (answers, metadata)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 8)]
async fn parallel_retransmissions_leave_a_consistent_session() {
    const N: usize = 32;
    let mock = std::sync::Arc::new(Mock::start().await);
    let id = mock.custom_session().await;
    let first = mock.line_items(&id).await;
    let kept = first[0]["id"].as_str().expect("line item id").to_owned();
    let kept_price = first[0]["price"]["id"]
        .as_str()
        .expect("price id")
        .to_owned();
    let prices = [
        mock.price(100).await,
        mock.price(250).await,
        mock.price(999).await,
    ];
    // Array i: the kept item with quantity i+1, then (i % 4) new items.
    let arrays: Vec<Value> = (0..N)
        .map(|i| {
            let mut items = vec![json!({"id": kept, "quantity": i + 1})];
            items.extend((0..i % 4).map(|j| json!({"price": prices[j % 3], "quantity": j + 1})));
            Value::Array(items)
        })
        .collect();
    // What each array leaves, as (price id, quantity) per item.
    let expected: Vec<Vec<(String, u64)>> = (0..N)
        .map(|i| {
            let mut items = vec![(kept_price.clone(), i as u64 + 1)];
            items.extend((0..i % 4).map(|j| (prices[j % 3].clone(), j as u64 + 1)));
            items
        })
        .collect();
    let start = std::sync::Arc::new(tokio::sync::Barrier::new(N));
    let tasks: Vec<_> = arrays
        .iter()
        .map(|array| {
            let (mock, id, array) = (mock.clone(), id.clone(), array.clone());
            let start = start.clone();
            tokio::spawn(async move {
                start.wait().await;
                mock.update(&id, json!({"line_items": array, "expand": ["line_items"]}))
                    .await
                    .expect(200)
            })
        })
        .collect();
    for task in tasks {
        let answer = task.await.expect("the update task");
        // Each answer is itself consistent.
        consistent(&answer.body, &answer.body["line_items"]["data"]);
    }
    let session = mock
        .get(&format!("/v1/checkout/sessions/{id}"))
        .await
        .expect(200)
        .body;
    let items = mock.line_items(&id).await;
    consistent(&session, &Value::Array(items.clone()));
    let found: Vec<(String, u64)> = items
        .iter()
        .map(|li| {
            (
                li["price"]["id"].as_str().unwrap().to_owned(),
                li["quantity"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(
        expected.contains(&found),
        "the line items are none of the posted arrays: {found:?}"
    );
    assert_eq!(
        items[0]["id"],
        json!(kept),
        "the retained item keeps its id"
    );
}

/// Totals match the items: each item's amount is unit price x quantity, the subtotal is their sum.
#[track_caller]
fn consistent(session: &Value, items: &Value) {
    let items = items.as_array().expect("line items");
    let mut sum = 0;
    for li in items {
        let unit = li["price"]["unit_amount"].as_i64().expect("unit_amount");
        let quantity = li["quantity"].as_i64().expect("quantity");
        assert_eq!(
            li["amount_subtotal"].as_i64(),
            Some(unit * quantity),
            "{li}"
        );
        sum += unit * quantity;
    }
    assert_eq!(session["amount_subtotal"].as_i64(), Some(sum), "{session}");
    let shipping = session["total_details"]["amount_shipping"]
        .as_i64()
        .unwrap_or(0);
    assert_eq!(session["amount_total"].as_i64(), Some(sum + shipping));
}
