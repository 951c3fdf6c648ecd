//! The client's retries, rate limit and idempotency keys, each against a local misbehaving
//! server on 127.0.0.1 (a scripted axum server, or a raw TCP listener for resets).
//!
//! Delays are scaled down (backoff of a few milliseconds, timeouts of a few hundred) so the file
//! runs in a few seconds; the rate test takes three by construction.

use axum::extract::State;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use checkout_conformance::client::{
    backoff_ceiling, Body, Client, ClientConfig, ClientError, Exchange, Secret,
};
use checkout_conformance::vendor::Provider;
use rstest::rstest;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const KEY: &str = "sk_test_51ResilienceFakeKey0000AbCd";
const SESSION: &str = "/v1/checkout/sessions/cs_test_resilience";
const BASE: Duration = Duration::from_millis(2);
const CAP: Duration = Duration::from_millis(20);

// ---------------------------------------------------------------------------------------------
// A scripted server: answers with the replies in order, the last one forever.

#[derive(Debug, Clone)]
struct Reply {
    status: u16,
    headers: Vec<(&'static str, &'static str)>,
    body: Value,
    delay: Duration,
}

fn reply(status: u16) -> Reply {
    let body = if status < 400 {
        json!({"id": "cs_test_resilience", "object": "checkout.session"})
    } else {
        json!({"error": {"type": "api_error", "message": "scripted"}})
    };
    Reply {
        status,
        headers: Vec::new(),
        body,
        delay: Duration::ZERO,
    }
}

impl Reply {
    fn header(mut self, name: &'static str, value: &'static str) -> Self {
        self.headers.push((name, value));
        self
    }

    fn error_type(mut self, kind: &str) -> Self {
        self.body = json!({"error": {"type": kind, "message": "scripted"}});
        self
    }

    fn slow(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

/// One request as the server saw it.
#[derive(Debug, Clone)]
struct Hit {
    at: Instant,
    method: String,
    idempotency_key: Option<String>,
    authorization: Option<String>,
}

#[derive(Debug)]
struct Script {
    replies: Mutex<Vec<Reply>>,
    hits: Mutex<Vec<Hit>>,
}

impl Script {
    fn hits(&self) -> Vec<Hit> {
        self.hits.lock().expect("not poisoned").clone()
    }

    fn keys(&self) -> Vec<Option<String>> {
        self.hits().into_iter().map(|h| h.idempotency_key).collect()
    }
}

async fn answer(
    State(script): State<Arc<Script>>,
    method: Method,
    _uri: Uri,
    headers: HeaderMap,
) -> Response {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let (number, reply) = {
        let mut hits = script.hits.lock().expect("not poisoned");
        hits.push(Hit {
            at: Instant::now(),
            method: method.to_string(),
            idempotency_key: header("idempotency-key"),
            authorization: header("authorization"),
        });
        let mut replies = script.replies.lock().expect("not poisoned");
        let reply = if replies.len() > 1 {
            replies.remove(0)
        } else {
            replies[0].clone()
        };
        (hits.len(), reply)
    };
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    let status = StatusCode::from_u16(reply.status).expect("a scripted status");
    let mut response = (status, reply.body.to_string()).into_response();
    let out = response.headers_mut();
    out.insert("content-type", HeaderValue::from_static("application/json"));
    out.insert(
        "request-id",
        HeaderValue::from_str(&format!("req_{number}")).expect("ASCII"),
    );
    for (name, value) in reply.headers {
        out.insert(
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        );
    }
    response
}

async fn scripted(replies: Vec<Reply>) -> (String, Arc<Script>) {
    assert!(!replies.is_empty());
    let script = Arc::new(Script {
        replies: Mutex::new(replies),
        hits: Mutex::new(Vec::new()),
    });
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a local port");
    let url = format!("http://{}", listener.local_addr().expect("bound"));
    let app = Router::new()
        .fallback(answer)
        .with_state(Arc::clone(&script));
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, script)
}

/// A Stripe config with fast retries.
fn stripe(url: &str) -> ClientConfig {
    ClientConfig {
        backoff_base: BASE,
        backoff_cap: CAP,
        timeout: Duration::from_secs(5),
        ..checkout_conformance::vendor::stripe::client_config(
            url,
            Secret::new(KEY),
            checkout_conformance::vendor::stripe::wire::API_VERSION,
        )
    }
}

fn client(config: ClientConfig) -> Client {
    Client::new(config).expect("a valid config")
}

fn statuses(exchange: &Exchange) -> Vec<Option<u16>> {
    exchange.attempts.iter().map(|a| a.status).collect()
}

// ---------------------------------------------------------------------------------------------
// Which answers are retried.

#[rstest]
#[case::too_many_requests(reply(429), 200, &[429])]
#[case::too_many_requests_told_not_to(reply(429).header("stripe-should-retry", "false"), 429, &[])]
#[case::internal_error(reply(500), 200, &[500])]
#[case::bad_gateway(reply(502), 200, &[502])]
#[case::unavailable(reply(503), 200, &[503])]
#[case::internal_error_told_not_to(reply(500).header("stripe-should-retry", "false"), 500, &[])]
#[case::conflict_told_to_retry(reply(409).header("stripe-should-retry", "true"), 200, &[409])]
#[case::conflict(reply(409), 409, &[])]
#[case::idempotency_error(reply(400).error_type("idempotency_error"), 400, &[])]
#[case::idempotency_error_told_to_retry(reply(409).error_type("idempotency_error").header("stripe-should-retry", "true"), 409, &[])]
#[case::invalid_request(reply(400).error_type("invalid_request_error"), 400, &[])]
#[case::unauthorized(reply(401), 401, &[])]
#[case::not_found(reply(404), 404, &[])]
#[case::success(reply(200), 200, &[])]
#[tokio::test]
async fn which_answers_are_retried(
    #[case] first: Reply,
    #[case] final_status: u16,
    #[case] retried: &[u16],
) {
    let (url, script) = scripted(vec![first, reply(200)]).await;
    let exchange = client(stripe(&url))
        .send(
            "POST",
            SESSION,
            Provider::Stripe.update_body(&json!({"metadata": {"a": "1"}})),
        )
        .await
        .expect("an answer");
    assert_eq!(exchange.status, final_status);
    let expected: Vec<Option<u16>> = retried.iter().copied().map(Some).collect();
    assert_eq!(statuses(&exchange), expected);
    assert_eq!(script.hits().len(), retried.len() + 1);
    if let Some(attempt) = exchange.attempts.first() {
        assert_eq!(attempt.request_id.as_deref(), Some("req_1"));
        assert_eq!(attempt.error, None);
        assert!(attempt.waited <= BASE);
        assert_eq!(exchange.request_id.as_deref(), Some("req_2"));
    }
}

#[tokio::test]
async fn a_503_forever_ends_with_the_final_503_after_max_retries_plus_one_attempts() {
    let (url, script) = scripted(vec![reply(503)]).await;
    let exchange = client(stripe(&url)).get(SESSION).await.expect("an answer");
    assert_eq!(exchange.status, 503);
    assert_eq!(exchange.request_id.as_deref(), Some("req_4"));
    assert_eq!(statuses(&exchange), vec![Some(503); 3]);
    let ids: Vec<_> = exchange
        .attempts
        .iter()
        .map(|a| a.request_id.clone().unwrap_or_default())
        .collect();
    assert_eq!(ids, ["req_1", "req_2", "req_3"]);
    assert_eq!(script.hits().len(), 4);
    assert!(exchange
        .describe()
        .contains("after 3 retries: 503 (Request-Id req_1)"));
}

#[rstest]
#[case::no_retries(0)]
#[case::one_retry(1)]
#[case::five_retries(5)]
#[tokio::test]
async fn max_retries_bounds_the_attempts(#[case] max_retries: u32) {
    let (url, script) = scripted(vec![reply(500)]).await;
    let exchange = client(ClientConfig {
        max_retries,
        ..stripe(&url)
    })
    .get(SESSION)
    .await
    .expect("an answer");
    assert_eq!(exchange.status, 500);
    assert_eq!(exchange.attempts.len(), max_retries as usize);
    assert_eq!(script.hits().len(), max_retries as usize + 1);
}

// ---------------------------------------------------------------------------------------------
// Transport errors.

/// A raw server: the first `resets` connections are accepted and reset (RST); the next ones
/// get a `200 {}`. Returns the URL and the number of connections accepted.
async fn resetting(resets: usize) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a local port");
    let url = format!("http://{}", listener.local_addr().expect("bound"));
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&accepted);
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let n = count.fetch_add(1, Ordering::SeqCst) + 1;
            if n <= resets {
                let _ = stream.set_zero_linger();
                drop(stream);
                continue;
            }
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buffer = [0u8; 4096];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 65536 {
                    match stream.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(read) => head.extend_from_slice(&buffer[..read]),
                    }
                }
                let body = r#"{"id":"cs_test_resilience","object":"checkout.session"}"#;
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nrequest-id: req_{n}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.write_all(response.as_bytes()).await;
                let _ = stream.shutdown().await;
            });
        }
    });
    (url, accepted)
}

#[tokio::test]
async fn a_reset_connection_is_retried_then_answered() {
    let (url, accepted) = resetting(2).await;
    let exchange = client(stripe(&url))
        .get(SESSION)
        .await
        .expect("an answer after two resets");
    assert_eq!(exchange.status, 200);
    assert_eq!(exchange.request_id.as_deref(), Some("req_3"));
    assert_eq!(exchange.attempts.len(), 2);
    for attempt in &exchange.attempts {
        assert_eq!(attempt.status, None);
        assert!(attempt.error.is_some(), "{attempt:?}");
    }
    assert_eq!(accepted.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn resets_on_every_attempt_end_unreachable_after_max_attempts() {
    let (url, accepted) = resetting(usize::MAX).await;
    let error = client(stripe(&url))
        .get(SESSION)
        .await
        .expect_err("never answered");
    let ClientError::Unreachable { attempts, .. } = &error else {
        panic!("expected Unreachable, got {error:?}");
    };
    assert_eq!(*attempts, 4);
    assert_eq!(error.attempts(), 4);
    assert_eq!(accepted.load(Ordering::SeqCst), 4);
    let message = error.to_string();
    assert!(message.contains(&format!("{url}{SESSION}")), "{message}");
    assert!(!message.contains(KEY), "{message}");
}

#[tokio::test]
async fn a_closed_port_is_unreachable_naming_the_url() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        listener.local_addr().expect("bound").port()
    };
    let url = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    let error = client(stripe(&url))
        .send(
            "POST",
            SESSION,
            Provider::Stripe.update_body(&json!({"metadata": {"a": "1"}})),
        )
        .await
        .expect_err("nothing listens");
    let message = error.to_string();
    assert!(
        matches!(error, ClientError::Unreachable { attempts: 4, .. }),
        "{error:?}"
    );
    assert!(
        message.starts_with(&format!(
            "cannot reach http://127.0.0.1:{port}{SESSION} after 4 attempts: "
        )),
        "{message}"
    );
    assert!(!message.contains(KEY), "{message}");
    // Three backoffs of at most 2, 4 and 8 ms.
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn a_slow_answer_times_out_and_is_retried() {
    let timeout = Duration::from_millis(150);
    let slow = reply(200).slow(Duration::from_millis(600));
    let (url, script) = scripted(vec![slow, reply(200)]).await;
    let exchange = client(ClientConfig {
        timeout,
        ..stripe(&url)
    })
    .get(SESSION)
    .await
    .expect("the retry is answered in time");
    assert_eq!(exchange.status, 200);
    assert_eq!(exchange.attempts.len(), 1);
    let first = &exchange.attempts[0];
    assert_eq!(first.status, None);
    assert!(first.elapsed >= timeout, "{first:?}");
    assert!(
        first.error.as_deref().unwrap_or_default().contains("150ms"),
        "{first:?}"
    );
    assert_eq!(script.hits().len(), 2);
}

#[tokio::test]
async fn always_slow_ends_in_timeout_after_every_attempt() {
    let timeout = Duration::from_millis(100);
    let (url, script) = scripted(vec![reply(200).slow(Duration::from_secs(2))]).await;
    let error = client(ClientConfig {
        timeout,
        max_retries: 2,
        ..stripe(&url)
    })
    .get(SESSION)
    .await
    .expect_err("never in time");
    let ClientError::Timeout {
        url: shown,
        timeout: reported,
        attempts,
    } = &error
    else {
        panic!("expected Timeout, got {error:?}");
    };
    assert_eq!((*reported, *attempts), (timeout, 3));
    assert_eq!(shown, &format!("{url}{SESSION}"));
    assert_eq!(script.hits().len(), 3);
    assert!(error.to_string().ends_with("after 3 attempts"), "{error}");
}

#[tokio::test]
async fn an_invalid_method_is_a_request_error_never_sent() {
    let (url, script) = scripted(vec![reply(200)]).await;
    let error = client(stripe(&url))
        .send("BAD METHOD", SESSION, Body::Empty)
        .await
        .expect_err("not a method");
    assert!(matches!(error, ClientError::Request { .. }), "{error:?}");
    assert_eq!(error.attempts(), 0);
    assert!(script.hits().is_empty());
}

// ---------------------------------------------------------------------------------------------
// Idempotency keys.

#[tokio::test]
async fn every_attempt_of_one_post_carries_the_same_key() {
    let (url, script) = scripted(vec![reply(500), reply(503), reply(200)]).await;
    let exchange = client(stripe(&url))
        .send(
            "POST",
            "/v1/checkout/sessions",
            Provider::Stripe.update_body(&json!({"mode": "payment"})),
        )
        .await
        .expect("an answer");
    assert_eq!(exchange.status, 200);
    let key = exchange.idempotency_key.clone().expect("a generated key");
    assert!(!key.is_empty() && key.len() <= 255);
    assert_eq!(script.keys(), vec![Some(key); 3]);
    // The key travels in its header only; the bearer key on every attempt.
    for hit in script.hits() {
        assert_eq!(
            hit.authorization.as_deref(),
            Some(&*format!("Bearer {KEY}"))
        );
    }
}

#[tokio::test]
async fn different_logical_posts_get_different_keys() {
    let (url, script) = scripted(vec![reply(200)]).await;
    let client = client(stripe(&url));
    let params = json!({"metadata": {"a": "1"}});
    let first = client
        .send("POST", SESSION, Provider::Stripe.update_body(&params))
        .await
        .expect("answered");
    let second = client
        .send("POST", SESSION, Provider::Stripe.update_body(&params))
        .await
        .expect("answered");
    let third = client
        .post_raw(SESSION, "metadata[a]=1".to_owned())
        .await
        .expect("answered");
    let keys = script.keys();
    assert_eq!(keys.len(), 3);
    assert!(keys.iter().all(Option::is_some));
    assert_ne!(keys[0], keys[1]);
    assert_ne!(keys[1], keys[2]);
    assert_ne!(keys[0], keys[2]);
    assert_eq!(
        [
            first.idempotency_key,
            second.idempotency_key,
            third.idempotency_key
        ]
        .to_vec(),
        keys
    );
}

#[tokio::test]
async fn an_explicit_key_is_kept_on_every_attempt_and_every_post() {
    let (url, script) = scripted(vec![reply(500), reply(200)]).await;
    let client = client(stripe(&url)).with_idempotency_key("order-6735-create");
    let params = json!({"mode": "payment"});
    let first = client
        .send(
            "POST",
            "/v1/checkout/sessions",
            Provider::Stripe.update_body(&params),
        )
        .await
        .expect("answered");
    let second = client
        .send(
            "POST",
            "/v1/checkout/sessions",
            Provider::Stripe.update_body(&params),
        )
        .await
        .expect("answered");
    assert_eq!(first.attempts.len(), 1);
    assert_eq!(second.attempts.len(), 0);
    assert_eq!(script.keys(), vec![Some("order-6735-create".to_owned()); 3]);
    assert_eq!(first.idempotency_key.as_deref(), Some("order-6735-create"));
}

/// Which requests carry a key: POST only; generated for Stripe, not for bearer (Gr4vy)
/// targets; an explicit key never on PUT (Gr4vy's spec lists none for
/// `PUT /checkout/sessions/{session_id}`).
#[rstest]
#[case::stripe_get(true, "GET", None, false)]
#[case::stripe_post(true, "POST", None, true)]
#[case::stripe_delete(true, "DELETE", None, false)]
#[case::bearer_put(false, "PUT", None, false)]
#[case::bearer_post(false, "POST", None, false)]
#[case::bearer_put_explicit(false, "PUT", Some("k-1"), false)]
#[case::bearer_post_explicit(false, "POST", Some("k-1"), true)]
#[tokio::test]
async fn which_requests_carry_a_key(
    #[case] is_stripe: bool,
    #[case] method: &str,
    #[case] explicit: Option<&str>,
    #[case] sent: bool,
) {
    let (url, script) = scripted(vec![reply(200)]).await;
    let config = if is_stripe {
        stripe(&url)
    } else {
        ClientConfig::bearer(&url, Secret::new("eyJ.token.sig"))
    };
    let mut client = client(config);
    if let Some(key) = explicit {
        client = client.with_idempotency_key(key);
    }
    let body = match method {
        "GET" | "DELETE" => Body::Empty,
        _ => Body::Json(json!({"cart_items": []})),
    };
    let exchange = client
        .send(method, "/checkout/sessions/s-1", body)
        .await
        .expect("answered");
    let hits = script.hits();
    assert_eq!(hits[0].method, method);
    assert_eq!(hits[0].idempotency_key.is_some(), sent, "{hits:?}");
    assert_eq!(exchange.idempotency_key, hits[0].idempotency_key);
    if let (Some(key), true) = (explicit, sent) {
        assert_eq!(hits[0].idempotency_key.as_deref(), Some(key));
    }
}

// ---------------------------------------------------------------------------------------------
// Rate limit.

/// The largest number of `arrivals` (sorted) within any window of `width`.
fn busiest_window(arrivals: &[Instant], width: Duration) -> usize {
    let mut most = 0;
    let mut start = 0;
    for end in 0..arrivals.len() {
        while arrivals[end].duration_since(arrivals[start]) >= width {
            start += 1;
        }
        most = most.max(end - start + 1);
    }
    most
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sixty_concurrent_requests_through_clones_never_exceed_the_rate() {
    let (url, script) = scripted(vec![reply(200)]).await;
    let client = client(ClientConfig {
        rate: Some(20.0),
        ..stripe(&url)
    });
    let started = Instant::now();
    let tasks: Vec<_> = (0..60)
        .map(|i| {
            // Plain clones and derived clients alike share the one limiter.
            let client = match i % 3 {
                0 => client.clone(),
                1 => client.with_api_key(Some(Secret::new("sk_test_51OtherFakeKey000000Zz"))),
                _ => client.with_idempotency_key(&format!("key-{i}")),
            };
            tokio::spawn(async move { client.get(SESSION).await })
        })
        .collect();
    let mut queued = Duration::ZERO;
    for task in tasks {
        let exchange = task.await.expect("the task completes").expect("an answer");
        assert_eq!(exchange.status, 200);
        queued += exchange.queued;
    }
    assert!(started.elapsed() < Duration::from_secs(10));
    let mut arrivals: Vec<Instant> = script.hits().iter().map(|h| h.at).collect();
    arrivals.sort();
    assert_eq!(arrivals.len(), 60);
    let busiest = busiest_window(&arrivals, Duration::from_secs(1));
    assert!(busiest <= 21, "{busiest} requests within one second");
    // No burst at the start either: at most 2 in the first 50 ms.
    assert!(busiest_window(&arrivals, Duration::from_millis(50)) <= 2);
    let span = arrivals[59].duration_since(arrivals[0]);
    assert!(span >= Duration::from_millis(2900), "{span:?}");
    // The limiter's waits are reported: slot k waits k · 50 ms, ≈ 88 s in all.
    assert!(queued > Duration::from_secs(80), "{queued:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retries_count_against_the_rate() {
    // The first five attempts fail: five requests make ten attempts, at 10/s.
    let replies = [vec![reply(503); 5], vec![reply(200)]].concat();
    let (url, script) = scripted(replies).await;
    let client = client(ClientConfig {
        rate: Some(10.0),
        ..stripe(&url)
    });
    let tasks: Vec<_> = (0..5)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.get(SESSION).await })
        })
        .collect();
    let mut retries = 0;
    for task in tasks {
        let exchange = task.await.expect("the task completes").expect("an answer");
        assert_eq!(exchange.status, 200);
        retries += exchange.attempts.len();
    }
    assert_eq!(retries, 5);
    let mut arrivals: Vec<Instant> = script.hits().iter().map(|h| h.at).collect();
    arrivals.sort();
    assert_eq!(arrivals.len(), 10);
    let span = arrivals[9].duration_since(arrivals[0]);
    assert!(span >= Duration::from_millis(850), "{span:?}");
    assert!(busiest_window(&arrivals, Duration::from_millis(100)) <= 2);
}

// ---------------------------------------------------------------------------------------------
// Backoff.

#[tokio::test]
async fn backoff_stays_under_its_growing_ceiling_and_is_jittered() {
    let (base, cap) = (Duration::from_millis(4), Duration::from_millis(40));
    let (url, script) = scripted(vec![reply(503)]).await;
    let client = client(ClientConfig {
        max_retries: 3,
        backoff_base: base,
        backoff_cap: cap,
        ..stripe(&url)
    });
    let tasks: Vec<_> = (0..60)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.get(SESSION).await })
        })
        .collect();
    let mut waits: Vec<Vec<Duration>> = vec![Vec::new(); 3];
    for task in tasks {
        let exchange = task.await.expect("the task completes").expect("an answer");
        assert_eq!(exchange.status, 503);
        assert_eq!(exchange.attempts.len(), 3);
        for (retry, attempt) in exchange.attempts.iter().enumerate() {
            waits[retry].push(attempt.waited);
        }
    }
    assert_eq!(script.hits().len(), 240);
    let mut previous_mean = Duration::ZERO;
    for (retry, drawn) in waits.iter().enumerate() {
        let ceiling = backoff_ceiling(retry as u32, base, cap);
        assert!(
            drawn.iter().all(|w| *w <= ceiling),
            "retry {retry}: {drawn:?}"
        );
        let distinct: std::collections::BTreeSet<_> = drawn.iter().collect();
        assert!(distinct.len() >= 55, "jittered: {drawn:?}");
        let mean = drawn.iter().sum::<Duration>() / drawn.len() as u32;
        // Full jitter: the mean is half the ceiling (4, 8, 16 ms here), doubling per retry.
        assert!(
            mean > previous_mean,
            "retry {retry}: {mean:?} <= {previous_mean:?}"
        );
        assert!(mean < ceiling.mul_f64(0.8), "retry {retry}: {mean:?}");
        previous_mean = mean;
    }
}

#[tokio::test]
async fn the_backoff_is_actually_slept() {
    let base = Duration::from_millis(30);
    let (url, script) = scripted(vec![reply(500), reply(500), reply(200)]).await;
    let exchange = client(ClientConfig {
        backoff_base: base,
        backoff_cap: Duration::from_millis(200),
        ..stripe(&url)
    })
    .get(SESSION)
    .await
    .expect("an answer");
    let hits = script.hits();
    assert_eq!(hits.len(), 3);
    for (i, attempt) in exchange.attempts.iter().enumerate() {
        let gap = hits[i + 1].at.duration_since(hits[i].at);
        assert!(gap >= attempt.waited, "{gap:?} < {:?}", attempt.waited);
    }
}
