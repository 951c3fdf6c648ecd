//! Every answer in the vendor's envelope, including those of the HTTP layer: oversized URIs,
//! oversized or too many headers, malformed request heads, huge ids echoed in messages — the
//! Schemathesis findings of issue 12. Requests go over raw TCP (an HTTP client refuses to send
//! most of them) to the mock on 127.0.0.1.

use crate::common;

use checkout_conformance::mock::transport::{MAX_HEADERS, MAX_HEAD_BYTES, MAX_URI_LEN};
use checkout_conformance::vendor::stripe::mock::ECHO_MAX;
use common::gr4vy::{full_token, Reply};
use common::{Answer, Mock, KEY};
use rstest::rstest;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// An answer read off the wire: status, headers (names lowercased), body.
struct Raw {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Raw {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|_| {
            panic!(
                "{}: not a JSON body: {:?}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// Panics unless the answer is a 4xx in Stripe's envelope, with its headers, conforming to
    /// the error schema.
    #[track_caller]
    fn assert_stripe(&self) {
        assert!((400..500).contains(&self.status), "status {}", self.status);
        assert_eq!(self.header("content-type"), Some("application/json"));
        assert!(self.header("stripe-version").is_some());
        let answer = Answer {
            status: self.status,
            body: self.json(),
            request_id: self.header("request-id").map(str::to_owned),
            replayed: false,
        };
        answer.assert_conforms();
    }

    /// Panics unless the answer is a 4xx in Gr4vy's envelope, conforming to the spec.
    #[track_caller]
    fn assert_gr4vy(&self) {
        assert!((400..500).contains(&self.status), "status {}", self.status);
        assert_eq!(self.header("content-type"), Some("application/json"));
        let reply = Reply {
            status: self.status,
            body: self.json(),
            content_type: self.header("content-type").map(str::to_owned),
        };
        reply.assert_conforms();
        assert_eq!(reply.body["status"], self.status, "{}", reply.body);
    }
}

/// Writes `request` (while reading, so that an early answer is not lost) and reads the answer
/// to the end of its body.
async fn exchange(mock: &Mock, request: Vec<u8>) -> Raw {
    let stream = TcpStream::connect(mock.server.addr())
        .await
        .expect("connects");
    let (mut read, mut write) = stream.into_split();
    let writer = tokio::spawn(async move {
        // The server may answer and close before reading everything: a failed write is fine.
        let _ = write.write_all(&request).await;
        let _ = write.flush().await;
        write
    });
    let mut received = Vec::new();
    let mut chunk = vec![0; 64 * 1024];
    let (head_end, length) = loop {
        let n = read.read(&mut chunk).await.expect("reads the answer");
        assert!(
            n > 0,
            "connection closed before a full head: {:?}",
            String::from_utf8_lossy(&received)
        );
        received.extend_from_slice(&chunk[..n]);
        if let Some(end) = received.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&received[..end]).to_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            break (end + 4, length);
        }
    };
    while received.len() < head_end + length {
        let n = read.read(&mut chunk).await.expect("reads the body");
        assert!(n > 0, "connection closed inside the body");
        received.extend_from_slice(&chunk[..n]);
    }
    drop(writer);
    let head = String::from_utf8_lossy(&received[..head_end - 4]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_lowercase(), v.trim().to_owned()))
        .collect();
    Raw {
        status,
        headers,
        body: received[head_end..head_end + length].to_vec(),
    }
}

/// `METHOD target HTTP/1.1` with the vendor's credentials, `extra` header lines, no body.
fn request(method: &str, target: &str, extra: &str) -> Vec<u8> {
    let auth = if target.starts_with("/checkout/") {
        format!("Bearer {}", full_token())
    } else {
        format!("Bearer {KEY}")
    };
    format!(
        "{method} {target} HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: {auth}\r\nconnection: close\r\n{extra}\r\n"
    )
    .into_bytes()
}

fn is_gr4vy(target: &str) -> bool {
    target.starts_with("/checkout/")
}

/// URIs over the limit, by the path and by the query: hyper refuses them before routing; the
/// answer is still the vendor's.
#[rstest]
#[case::stripe_path("GET", "/v1/checkout/sessions/", 414)]
#[case::stripe_query("GET", "/v1/checkout/sessions/cs_test_1?expand[]=", 414)]
#[case::stripe_post("POST", "/v1/prices/", 414)]
#[case::gr4vy_path("GET", "/checkout/sessions/", 400)]
#[case::gr4vy_put("PUT", "/checkout/sessions/", 400)]
#[tokio::test]
async fn an_oversized_uri_is_answered_in_the_envelope(
    #[case] method: &str,
    #[case] prefix: &str,
    #[case] status: u16,
) {
    let mock = Mock::start().await;
    for len in [MAX_URI_LEN + 1, 70_000, 200_000] {
        let target = format!("{prefix}{}", "a".repeat(len - prefix.len()));
        let raw = exchange(&mock, request(method, &target, "")).await;
        assert_eq!(raw.status, status, "URI of {len} bytes");
        if is_gr4vy(prefix) {
            raw.assert_gr4vy();
        } else {
            raw.assert_stripe();
        }
    }
    // At the limit the request reaches the mock (a 404 for the unknown object, echo cut short).
    let target = format!("{prefix}{}", "a".repeat(MAX_URI_LEN - prefix.len()));
    let raw = exchange(&mock, request(method, &target, "")).await;
    assert_ne!(raw.status, 414);
    if is_gr4vy(prefix) {
        raw.assert_gr4vy();
    } else {
        raw.assert_stripe();
    }
}

/// Headers over the limit (one huge header, or more than [`MAX_HEADERS`]).
#[rstest]
#[case::stripe("/v1/prices/price_1")]
#[case::gr4vy("/checkout/sessions/6a1e6b4c-3a8f-4c1e-9c1a-2b5e4c7d8f90")]
#[tokio::test]
async fn oversized_headers_are_answered_in_the_envelope(#[case] target: &str) {
    let mock = Mock::start().await;
    let huge = format!("x-huge: {}\r\n", "h".repeat(2 * MAX_HEAD_BYTES));
    let many: String = (0..=MAX_HEADERS)
        .map(|i| format!("x-h{i}: {i}\r\n"))
        .collect();
    for extra in [huge, many] {
        let raw = exchange(&mock, request("GET", target, &extra)).await;
        if is_gr4vy(target) {
            assert_eq!(raw.status, 400);
            raw.assert_gr4vy();
        } else {
            assert_eq!(raw.status, 431);
            raw.assert_stripe();
        }
    }
}

/// A request head hyper cannot parse (bad method, bad header name, bad version): 400 in the
/// envelope, never an empty body.
#[rstest]
#[case::bad_method("G@T /v1/prices/price_1 HTTP/1.1\r\nhost: x\r\n\r\n", false)]
#[case::bad_header_name("GET /v1/prices/price_1 HTTP/1.1\r\nbad header: x\r\n\r\n", false)]
#[case::bad_header_gr4vy("GET /checkout/sessions/x HTTP/1.1\r\nbad header: x\r\n\r\n", true)]
#[tokio::test]
async fn a_malformed_head_is_answered_in_the_envelope(#[case] head: &str, #[case] gr4vy: bool) {
    let mock = Mock::start().await;
    let raw = exchange(&mock, head.as_bytes().to_vec()).await;
    assert_eq!(raw.status, 400);
    if gr4vy {
        raw.assert_gr4vy();
    } else {
        raw.assert_stripe();
    }
}

/// A huge id in the path: the 404's message echoes it cut to [`ECHO_MAX`] characters, within
/// the error schema's `maxLength`.
#[rstest]
#[case::session("GET", "/v1/checkout/sessions/")]
#[case::update("POST", "/v1/checkout/sessions/")]
#[case::price("GET", "/v1/prices/")]
#[case::shipping_rate("GET", "/v1/shipping_rates/")]
#[case::unknown_path("GET", "/v1/nothing/")]
#[tokio::test]
async fn a_huge_id_is_echoed_cut_short(#[case] method: &str, #[case] prefix: &str) {
    let mock = Mock::start().await;
    let id = "i".repeat(40_000);
    let raw = exchange(
        &mock,
        request(method, &format!("{prefix}{id}"), "content-length: 0\r\n"),
    )
    .await;
    assert_eq!(raw.status, 404);
    raw.assert_stripe();
    let message = raw.json()["error"]["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(message.contains('…'), "{message}");
    assert!(!message.contains(&"i".repeat(ECHO_MAX + 1)), "{message}");
    assert!(message.chars().count() < ECHO_MAX + 100, "{message}");
}

/// Ordinary answers still go through (keep-alive, several requests on one connection).
#[tokio::test]
async fn ordinary_answers_pass_the_guard_unchanged() {
    let mock = Mock::start().await;
    let stream = TcpStream::connect(mock.server.addr())
        .await
        .expect("connects");
    let (mut read, mut write) = stream.into_split();
    let one = format!(
        "GET /v1/prices/price_nope HTTP/1.1\r\nhost: x\r\nauthorization: Bearer {KEY}\r\n\r\n"
    );
    let two = format!(
        "GET /v1/prices/price_nope HTTP/1.1\r\nhost: x\r\nauthorization: Bearer {KEY}\r\nconnection: close\r\n\r\n"
    );
    write
        .write_all(format!("{one}{two}").as_bytes())
        .await
        .expect("writes");
    let mut all = Vec::new();
    read.read_to_end(&mut all).await.expect("reads");
    let text = String::from_utf8_lossy(&all);
    assert_eq!(text.matches("HTTP/1.1 404 Not Found").count(), 2, "{text}");
    assert_eq!(text.matches("resource_missing").count(), 2, "{text}");
}

/// An object posted empty (`key=`) where the spec gives the object no empty form: Stripe's
/// `parameter_invalid_empty` (it reads `key=` as "unset", which the object cannot be). Where the
/// spec does (`metadata=`), the empty string still clears.
#[rstest]
#[case::shipping_details(
    "collected_information[shipping_details]=",
    Some("collected_information[shipping_details]")
)]
#[case::collected_information("collected_information=", Some("collected_information"))]
#[case::shipping_address("collected_information[shipping_details][name]=A&collected_information[shipping_details][address]=", Some("collected_information[shipping_details][address]"))]
#[case::adjustable_quantity(
    "line_items[0][adjustable_quantity]=",
    Some("line_items[0][adjustable_quantity]")
)]
#[case::metadata_clears("metadata=", None)]
#[tokio::test]
async fn an_object_posted_empty_is_rejected(#[case] body: &str, #[case] param: Option<&str>) {
    let mock = Mock::start().await;
    let id = mock.custom_session().await;
    let items = mock.line_items(&id).await;
    let body = body.replace(
        "line_items[0][",
        &format!(
            "line_items[0][id]={}&line_items[0][",
            items[0]["id"].as_str().unwrap_or_default()
        ),
    );
    let answer = mock
        .post_raw(&format!("/v1/checkout/sessions/{id}"), body)
        .await
        .assert_conforms();
    match param {
        Some(param) => {
            assert_eq!(answer.status, 400, "{}", answer.body);
            assert_eq!(answer.code(), Some("parameter_invalid_empty"));
            assert_eq!(answer.param(), Some(param));
        }
        None => assert_eq!(answer.status, 200, "{}", answer.body),
    }
}

/// Gr4vy's create body is `anyOf [CheckoutSessionUpdate, array of BaseModel, null]`: an array
/// of empty objects creates a session as no body does; any other element is reported by its
/// pointer (schemas/gr4vy/DERIVATION.md, "The create body").
#[rstest]
#[case::empty_array("[]", &[])]
#[case::empty_objects("[{}, {}]", &[])]
#[case::object_with_a_key(r#"[{"metadata": {}}]"#, &["/0/metadata"])]
#[case::not_objects(r#"[{}, 1, "a", {"x": 1}]"#, &["/1", "/2", "/3/x"])]
#[tokio::test]
async fn gr4vy_create_takes_an_array_of_base_models(#[case] body: &str, #[case] pointers: &[&str]) {
    use axum::http::Method;
    let mock = Mock::start().await;
    let g = common::gr4vy::Gr4vy::of(&mock);
    let auth = format!("Bearer {}", g.token);
    let reply = g
        .request(
            Method::POST,
            "/checkout/sessions",
            Some(&auth),
            &[],
            Some(body.as_bytes().to_vec()),
        )
        .await;
    reply.assert_conforms();
    if pointers.is_empty() {
        assert_eq!(reply.status, 201, "{}", reply.body);
        assert_eq!(reply.body["type"], "checkout-session");
    } else {
        assert_eq!(reply.status, 400, "{}", reply.body);
        assert_eq!(reply.pointers(), pointers, "{}", reply.body);
    }
}
