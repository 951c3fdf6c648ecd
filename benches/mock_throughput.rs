//! Throughput and latency of the bundled mock's `POST /v1/checkout/sessions/{id}`, with updates
//! that apply: metadata set and unset, a line item's quantity by retransmission
//! (`line_items[0][id]=li_…&line_items[0][quantity]=N`), 1 to 5 shipping options.
//!
//! 1. In-process: `StripeMock::handle` called in a loop on one thread, against a mock of its own.
//!    The mock's own cost per update, without HTTP, sockets or scheduling: the steadiest number
//!    for comparing changes to the mock.
//! 2. HTTP: the mock on 127.0.0.1 on a tokio runtime of its own; a lean load generator (raw
//!    HTTP/1.1 over keep-alive connections, no HTTP client library, one request in flight per
//!    connection) sends pre-encoded requests and reads each answer by its status line and
//!    Content-Length. Latency is per request; percentiles are exact (nearest rank).
//!
//! Every answer is checked in both phases: status 200 and a body that shows the update (the new
//! amount, the metadata pair set or gone, the shipping options). Anything else is an error, and
//! a run with errors exits 1. The targets (requests/s and p99) are reported, not asserted:
//! machines vary. The CPU line says how much of the machine the server and the load generator
//! got (Linux); on a shared machine it tells a slow mock from a busy machine.
//!
//! ```text
//! cargo bench --bench mock_throughput
//! BENCH_SECONDS=20 BENCH_CONNECTIONS=64 BENCH_SERVER_WORKERS=1 BENCH_CLIENT=std cargo bench --bench mock_throughput
//! ```
//!
//! | variable                | default | meaning                                                    |
//! |-------------------------|---------|------------------------------------------------------------|
//! | `BENCH_SECONDS`         | 10      | measured duration                                          |
//! | `BENCH_WARMUP_SECONDS`  | 2       | load before measuring (not recorded)                       |
//! | `BENCH_CONNECTIONS`     | 32      | keep-alive connections, one request in flight on each      |
//! | `BENCH_SERVER_WORKERS`  | 2       | worker threads of the mock's runtime                       |
//! | `BENCH_CLIENT`          | tokio   | `tokio` (connections as tasks) or `std` (one thread each)  |
//! | `BENCH_CLIENT_THREADS`  | 1       | worker threads of the `tokio` load generator               |
//! | `BENCH_SESSIONS`        | 8       | sessions the updates are spread over                       |
//! | `BENCH_HANDLER_SECONDS` | 2       | in-process phase (`StripeMock::handle`, no HTTP); 0: skip  |
//! | `BENCH_TARGET_RPS`      | 20000   | reported target: requests/s at least                       |
//! | `BENCH_TARGET_P99_MS`   | 5       | reported target: p99 below                                 |
//!
//! Without `--bench` (as under `cargo test --benches`) it runs a one-second smoke test unless
//! `BENCH_SECONDS` says otherwise. The last line printed is the result as one JSON object.

use axum::body::Bytes;
use axum::http::{header, HeaderMap, HeaderValue, Method};
use checkout_conformance::mock::{Faults, MockConfig, MockServer};
use checkout_conformance::vendor::stripe::form;
use checkout_conformance::vendor::stripe::mock::StripeMock;
use serde_json::{json, Value};
use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::ops::Range;
use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, Instant};

const KEY: &str = "sk_test_mock_throughput";
/// Unit amount of the fixture price (usd cents).
const UNIT_AMOUNT: i64 = 1000;
/// Amounts of the fixture shipping rates; none is a multiple of [`UNIT_AMOUNT`].
const RATE_AMOUNTS: [i64; 5] = [500, 750, 1250, 1499, 2999];
/// Distinct pre-encoded requests the connections cycle through.
const REQUEST_POOL: usize = 512;
/// Error messages kept for the report.
const ERROR_SAMPLES: usize = 5;

fn main() {
    let bench_mode = std::env::args().any(|a| a == "--bench");
    let config = Config::from_env(bench_mode);
    match run(&config) {
        Ok(report) => {
            report.print(&config);
            if report.errors() > 0 {
                std::process::exit(1);
            }
        }
        Err(e) => {
            eprintln!("mock_throughput: {e}");
            std::process::exit(2);
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ClientKind {
    /// Connections as tasks of a tokio runtime with `client_threads` workers.
    Tokio,
    /// One OS thread per connection, blocking `std::net::TcpStream`.
    Std,
}

#[derive(Debug, Clone)]
struct Config {
    seconds: f64,
    warmup: f64,
    connections: usize,
    server_workers: usize,
    client: ClientKind,
    client_threads: usize,
    sessions: usize,
    handler_seconds: f64,
    target_rps: f64,
    target_p99_ms: f64,
}

fn env_or<T: FromStr>(name: &str, default: T) -> T {
    match std::env::var(name) {
        Err(_) => default,
        Ok(text) => text.trim().parse().unwrap_or_else(|_| {
            eprintln!("mock_throughput: cannot parse {name}={text:?}");
            std::process::exit(2)
        }),
    }
}

impl Config {
    fn from_env(bench_mode: bool) -> Config {
        let (seconds, warmup, handler) = if bench_mode {
            (10.0, 2.0, 2.0)
        } else {
            (1.0, 0.2, 0.2)
        };
        let client = match std::env::var("BENCH_CLIENT").as_deref() {
            Err(_) | Ok("tokio") => ClientKind::Tokio,
            Ok("std") => ClientKind::Std,
            Ok(other) => {
                eprintln!("mock_throughput: BENCH_CLIENT must be `tokio` or `std`, not {other:?}");
                std::process::exit(2)
            }
        };
        let config = Config {
            seconds: env_or("BENCH_SECONDS", seconds),
            warmup: env_or("BENCH_WARMUP_SECONDS", warmup),
            connections: env_or("BENCH_CONNECTIONS", 32),
            server_workers: env_or("BENCH_SERVER_WORKERS", 2),
            client,
            client_threads: env_or("BENCH_CLIENT_THREADS", 1),
            sessions: env_or("BENCH_SESSIONS", 8),
            handler_seconds: env_or("BENCH_HANDLER_SECONDS", handler),
            target_rps: env_or("BENCH_TARGET_RPS", 20_000.0),
            target_p99_ms: env_or("BENCH_TARGET_P99_MS", 5.0),
        };
        let valid = config.seconds > 0.0
            && config.warmup >= 0.0
            && config.handler_seconds >= 0.0
            && config.connections > 0
            && config.server_workers > 0
            && config.client_threads > 0
            && config.sessions > 0;
        if !valid {
            eprintln!("mock_throughput: durations, connections, workers and sessions must be positive: {config:?}");
            std::process::exit(2);
        }
        config
    }
}

// ---------------------------------------------------------------------------------------------
// HTTP/1.1, just enough: a status line, Content-Length, a body.

/// Accumulates bytes from a connection and cuts complete responses out of them.
struct ResponseReader {
    buf: Vec<u8>,
    len: usize,
}

/// A complete response in the reader's buffer.
struct Parsed {
    status: u16,
    body: Range<usize>,
}

impl ResponseReader {
    fn new() -> Self {
        ResponseReader {
            buf: vec![0; 16 * 1024],
            len: 0,
        }
    }

    /// Room to read into; grows the buffer when it is full.
    fn spare(&mut self) -> &mut [u8] {
        if self.buf.len() - self.len < 4096 {
            self.buf.resize(self.buf.len() * 2, 0);
        }
        &mut self.buf[self.len..]
    }

    fn filled(&mut self, n: usize) {
        self.len += n;
    }

    /// A complete response at the front of the buffer, if there is one yet.
    fn parse(&self) -> Result<Option<Parsed>, String> {
        let data = &self.buf[..self.len];
        let Some(head_end) = data.windows(4).position(|w| w == b"\r\n\r\n") else {
            if data.len() > 64 * 1024 {
                return Err("response head over 64 KiB".into());
            }
            return Ok(None);
        };
        let head = std::str::from_utf8(&data[..head_end])
            .map_err(|_| "response head is not UTF-8".to_owned())?;
        let mut lines = head.split("\r\n");
        let status_line = lines.next().unwrap_or_default();
        let status = status_line
            .strip_prefix("HTTP/1.1 ")
            .and_then(|rest| rest.get(..3))
            .and_then(|code| code.parse::<u16>().ok())
            .ok_or_else(|| format!("bad status line {status_line:?}"))?;
        let mut content_length = None;
        for line in lines {
            let Some((name, value)) = line.split_once(':') else {
                return Err(format!("bad header line {line:?}"));
            };
            if name.eq_ignore_ascii_case("content-length") {
                let n = value
                    .trim()
                    .parse::<usize>()
                    .map_err(|_| format!("bad Content-Length {value:?}"))?;
                content_length = Some(n);
            } else if name.eq_ignore_ascii_case("transfer-encoding") {
                return Err(format!("unexpected Transfer-Encoding: {}", value.trim()));
            }
        }
        let length = content_length.ok_or("response without Content-Length")?;
        let body = head_end + 4..head_end + 4 + length;
        Ok((body.end <= data.len()).then_some(Parsed { status, body }))
    }

    fn body(&self, parsed: &Parsed) -> &[u8] {
        &self.buf[parsed.body.clone()]
    }

    /// Drops a response from the front of the buffer, keeping whatever follows it.
    fn consume(&mut self, parsed: &Parsed) {
        let end = parsed.body.end;
        self.buf.copy_within(end..self.len, 0);
        self.len -= end;
    }

    fn clear(&mut self) {
        self.len = 0;
    }
}

fn request_bytes(addr: SocketAddr, method: &str, path: &str, body: &str) -> Vec<u8> {
    let mut out = format!(
        "{method} {path} HTTP/1.1\r\nhost: {addr}\r\nauthorization: Bearer {KEY}\r\n\
         content-type: application/x-www-form-urlencoded\r\ncontent-length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body.as_bytes());
    out
}

/// One blocking request on `stream`, for the fixtures: status and JSON body.
fn call(
    stream: &mut TcpStream,
    reader: &mut ResponseReader,
    method: &str,
    path: &str,
    params: &Value,
) -> Result<(u16, Value), String> {
    let addr = stream.peer_addr().map_err(|e| e.to_string())?;
    let body = form::encode_json(params);
    stream
        .write_all(&request_bytes(addr, method, path, &body))
        .map_err(|e| format!("{method} {path}: {e}"))?;
    let parsed = loop {
        if let Some(parsed) = reader.parse()? {
            break parsed;
        }
        match stream.read(reader.spare()) {
            Ok(0) => return Err(format!("{method} {path}: connection closed")),
            Ok(n) => reader.filled(n),
            Err(e) => return Err(format!("{method} {path}: {e}")),
        }
    };
    let json = serde_json::from_slice(reader.body(&parsed))
        .map_err(|e| format!("{method} {path}: body is not JSON: {e}"))?;
    reader.consume(&parsed);
    Ok((parsed.status, json))
}

fn call_ok(
    stream: &mut TcpStream,
    reader: &mut ResponseReader,
    method: &str,
    path: &str,
    params: Value,
) -> Result<Value, String> {
    match call(stream, reader, method, path, &params)? {
        (200, body) => Ok(body),
        (status, body) => Err(format!("{method} {path}: {status} {body}")),
    }
}

fn id_of(value: &Value) -> Result<String, String> {
    value["id"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| format!("no id in {value}"))
}

// ---------------------------------------------------------------------------------------------
// Fixtures and the request pool.

struct Fixtures {
    /// (session id, id of its one line item)
    sessions: Vec<(String, String)>,
    /// (shipping rate id, amount)
    rates: Vec<(String, i64)>,
}

/// Creates the fixtures through `post` (path and parameters to the response body of a 200).
fn create_fixtures(
    mut post: impl FnMut(&str, Value) -> Result<Value, String>,
    sessions: usize,
) -> Result<Fixtures, String> {
    let price = id_of(&post(
        "/v1/prices",
        json!({"currency": "usd", "unit_amount": UNIT_AMOUNT, "product_data": {"name": "T-shirt"}}),
    )?)?;
    let rates = RATE_AMOUNTS
        .iter()
        .enumerate()
        .map(|(i, &amount)| {
            let rate = post(
                "/v1/shipping_rates",
                json!({
                    "display_name": format!("Rate {i}"),
                    "type": "fixed_amount",
                    "fixed_amount": {"amount": amount, "currency": "usd"},
                }),
            )?;
            Ok((id_of(&rate)?, amount))
        })
        .collect::<Result<Vec<_>, String>>()?;
    let sessions = (0..sessions)
        .map(|_| {
            let session = post(
                "/v1/checkout/sessions",
                json!({
                    "mode": "payment",
                    "ui_mode": "elements",
                    "return_url": "https://example.com/return",
                    "line_items": [{"price": price, "quantity": 2}],
                    "expand": ["line_items"],
                }),
            )?;
            let line_item = session["line_items"]["data"][0]["id"]
                .as_str()
                .ok_or_else(|| format!("no expanded line item in {session}"))?
                .to_owned();
            Ok((id_of(&session)?, line_item))
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok(Fixtures { sessions, rates })
}

/// A pre-encoded update and how to recognize that the answer applied it.
struct Update {
    /// The whole HTTP request.
    bytes: Vec<u8>,
    /// Its path and body, for the in-process phase.
    path: String,
    body: Bytes,
    /// The answer's body must contain this...
    present: String,
    /// ...and must not contain this (when not empty).
    absent: String,
}

/// `i`-th request of the pool: every session gets every kind of update, bodies of varying size.
fn update(addr: SocketAddr, fixtures: &Fixtures, i: usize) -> Update {
    let (session, line_item) = &fixtures.sessions[i % fixtures.sessions.len()];
    let kind = (i / fixtures.sessions.len()) % 5;
    let n = i / (fixtures.sessions.len() * 5);
    let key = format!("bench_k{}", n % 7);
    let (params, present, absent) = match kind {
        // Set a metadata key.
        0 => {
            let value = format!("v{}", n % 1000);
            let present = format!("\"{key}\":\"{value}\"");
            (json!({"metadata": {&key: value}}), present, String::new())
        }
        // Unset a metadata key.
        1 => (
            json!({"metadata": {&key: ""}}),
            "\"metadata\":{".to_owned(),
            format!("\"{key}\":"),
        ),
        // Retransmit the line item with a new quantity.
        2 => {
            let quantity = 1 + (n % 20) as i64;
            // The comma: 2000 must not match 20000.
            let present = format!("\"amount_subtotal\":{},", UNIT_AMOUNT * quantity);
            let params = json!({"line_items": [{"id": line_item, "quantity": quantity}]});
            (params, present, String::new())
        }
        // 1 to 5 shipping options (rotated, so the selected one changes too).
        3 | 4 => {
            let count = 1 + n % fixtures.rates.len();
            let options: Vec<&(String, i64)> = (0..count)
                .map(|k| &fixtures.rates[(n + k) % fixtures.rates.len()])
                .collect();
            let rendered: Vec<String> = options
                .iter()
                .map(|(id, amount)| {
                    format!("{{\"shipping_amount\":{amount},\"shipping_rate\":\"{id}\"}}")
                })
                .collect();
            let present = format!("\"shipping_options\":[{}]", rendered.join(","));
            let mut params = json!({
                "shipping_options": options.iter().map(|(id, _)| json!({"shipping_rate": id})).collect::<Vec<_>>(),
            });
            // Half of them also set metadata: a bigger body touching two rules.
            if kind == 4 {
                params["metadata"] = json!({"bench_shipping": count.to_string()});
            }
            (params, present, String::new())
        }
        _ => unreachable!(),
    };
    let path = format!("/v1/checkout/sessions/{session}");
    let body = form::encode_json(&params);
    Update {
        bytes: request_bytes(addr, "POST", &path, &body),
        path,
        body: Bytes::from(body),
        present,
        absent,
    }
}

// ---------------------------------------------------------------------------------------------
// The load.

/// When a connection's requests count, and when it stops.
#[derive(Clone, Copy)]
struct Window {
    measure_from: Instant,
    end: Instant,
}

#[derive(Default)]
struct ConnStats {
    /// Latency of each measured request that succeeded, in nanoseconds.
    latencies: Vec<u64>,
    errors: u64,
    samples: Vec<String>,
    reconnects: u64,
}

impl ConnStats {
    fn error(&mut self, measured: bool, message: String) {
        if measured {
            self.errors += 1;
            if self.samples.len() < ERROR_SAMPLES {
                self.samples.push(message);
            }
        }
    }
}

/// Whether `status` and `body` are the expected answer to `update`; the reason if not.
fn verdict(status: u16, body: &[u8], update: &Update) -> Result<(), String> {
    let body = std::str::from_utf8(body).map_err(|_| "body is not UTF-8")?;
    if status != 200 {
        let shown: String = body.chars().take(300).collect();
        return Err(format!("status {status}: {shown}"));
    }
    if !body.contains(&update.present) {
        return Err(format!("body lacks {}", update.present));
    }
    if !update.absent.is_empty() && body.contains(&update.absent) {
        return Err(format!("body still has {}", update.absent));
    }
    Ok(())
}

fn std_connection(
    addr: SocketAddr,
    updates: &[Update],
    offset: usize,
    window: Window,
) -> ConnStats {
    let mut stats = ConnStats::default();
    let mut reader = ResponseReader::new();
    let mut stream: Option<TcpStream> = None;
    let mut i = offset;
    loop {
        let start = Instant::now();
        if start >= window.end {
            break;
        }
        let measured = start >= window.measure_from;
        let s = match &mut stream {
            Some(s) => s,
            None => match TcpStream::connect(addr) {
                Ok(s) => {
                    let _ = s.set_nodelay(true);
                    reader.clear();
                    stats.reconnects += 1;
                    stream.insert(s)
                }
                Err(e) => {
                    stats.error(measured, format!("connect: {e}"));
                    std::thread::sleep(Duration::from_millis(10));
                    continue;
                }
            },
        };
        let update = &updates[i % updates.len()];
        i += 1;
        let outcome = (|| -> Result<Result<(), String>, String> {
            s.write_all(&update.bytes)
                .map_err(|e| format!("write: {e}"))?;
            let parsed = loop {
                if let Some(parsed) = reader.parse()? {
                    break parsed;
                }
                match s.read(reader.spare()) {
                    Ok(0) => return Err("connection closed by the server".into()),
                    Ok(n) => reader.filled(n),
                    Err(e) => return Err(format!("read: {e}")),
                }
            };
            let verdict = verdict(parsed.status, reader.body(&parsed), update);
            reader.consume(&parsed);
            Ok(verdict)
        })();
        let elapsed = start.elapsed();
        match outcome {
            Ok(Ok(())) if measured => stats.latencies.push(elapsed.as_nanos() as u64),
            Ok(Ok(())) => {}
            Ok(Err(wrong)) => stats.error(measured, wrong),
            Err(io) => {
                stats.error(measured, io);
                stream = None;
            }
        }
    }
    stats
}

async fn tokio_connection(
    addr: SocketAddr,
    updates: Arc<Vec<Update>>,
    offset: usize,
    window: Window,
) -> ConnStats {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let mut stats = ConnStats::default();
    let mut reader = ResponseReader::new();
    let mut stream: Option<tokio::net::TcpStream> = None;
    let mut i = offset;
    loop {
        let start = Instant::now();
        if start >= window.end {
            break;
        }
        let measured = start >= window.measure_from;
        let s = match &mut stream {
            Some(s) => s,
            None => match tokio::net::TcpStream::connect(addr).await {
                Ok(s) => {
                    let _ = s.set_nodelay(true);
                    reader.clear();
                    stats.reconnects += 1;
                    stream.insert(s)
                }
                Err(e) => {
                    stats.error(measured, format!("connect: {e}"));
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            },
        };
        let update = &updates[i % updates.len()];
        i += 1;
        let outcome: Result<Result<(), String>, String> = async {
            s.write_all(&update.bytes)
                .await
                .map_err(|e| format!("write: {e}"))?;
            let parsed = loop {
                if let Some(parsed) = reader.parse()? {
                    break parsed;
                }
                match s.read(reader.spare()).await {
                    Ok(0) => return Err("connection closed by the server".to_owned()),
                    Ok(n) => reader.filled(n),
                    Err(e) => return Err(format!("read: {e}")),
                }
            };
            let verdict = verdict(parsed.status, reader.body(&parsed), update);
            reader.consume(&parsed);
            Ok(verdict)
        }
        .await;
        let elapsed = start.elapsed();
        match outcome {
            Ok(Ok(())) if measured => stats.latencies.push(elapsed.as_nanos() as u64),
            Ok(Ok(())) => {}
            Ok(Err(wrong)) => stats.error(measured, wrong),
            Err(io) => {
                stats.error(measured, io);
                stream = None;
            }
        }
    }
    stats
}

fn drive(
    config: &Config,
    addr: SocketAddr,
    updates: Vec<Update>,
    window: Window,
) -> Vec<ConnStats> {
    // Spread the connections over the pool so that they do not send the same body in lockstep.
    let stride = updates.len() / config.connections.max(1);
    match config.client {
        ClientKind::Std => {
            let updates = Arc::new(updates);
            let threads: Vec<_> = (0..config.connections)
                .map(|c| {
                    let updates = Arc::clone(&updates);
                    std::thread::Builder::new()
                        .name(format!("bench-conn-{c}"))
                        .spawn(move || std_connection(addr, &updates, c * stride, window))
                        .expect("spawn a load thread")
                })
                .collect();
            threads
                .into_iter()
                .map(|t| t.join().expect("a load thread finishes"))
                .collect()
        }
        ClientKind::Tokio => {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(config.client_threads)
                .thread_name("bench-client")
                .enable_all()
                .build()
                .expect("the load generator's runtime");
            let updates = Arc::new(updates);
            runtime.block_on(async {
                let tasks: Vec<_> = (0..config.connections)
                    .map(|c| {
                        tokio::spawn(tokio_connection(
                            addr,
                            Arc::clone(&updates),
                            c * stride,
                            window,
                        ))
                    })
                    .collect();
                let mut stats = Vec::with_capacity(tasks.len());
                for task in tasks {
                    stats.push(task.await.expect("a load task finishes"));
                }
                stats
            })
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The in-process phase: the mock's own cost, without HTTP.

struct HandlerReport {
    requests: u64,
    errors: u64,
    error_samples: Vec<String>,
    /// Mean time in `StripeMock::handle`.
    per_request: Duration,
}

/// Calls `StripeMock::handle` with the updates in a loop on this thread, against a mock and
/// fixtures of its own, for `seconds`. Times the call only; the answers are checked outside.
fn handler_only(addr: SocketAddr, config: &Config) -> Result<HandlerReport, String> {
    let mock = StripeMock::new(Faults::default(), Vec::new());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| e.to_string())?;
    let mut headers = HeaderMap::new();
    let bearer = HeaderValue::from_str(&format!("Bearer {KEY}")).map_err(|e| e.to_string())?;
    headers.insert(header::AUTHORIZATION, bearer);
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/x-www-form-urlencoded"),
    );
    let body_of = |response: axum::response::Response| {
        let status = response.status().as_u16();
        let body = runtime
            .block_on(axum::body::to_bytes(response.into_body(), usize::MAX))
            .unwrap_or_default();
        (status, body)
    };
    let fixtures = create_fixtures(
        |path, params| {
            let body = Bytes::from(form::encode_json(&params));
            match body_of(mock.handle(&Method::POST, path, None, &headers, Ok(body))) {
                (200, body) => serde_json::from_slice(&body).map_err(|e| e.to_string()),
                (status, body) => Err(format!(
                    "POST {path}: {status} {}",
                    String::from_utf8_lossy(&body)
                )),
            }
        },
        config.sessions,
    )?;
    let updates: Vec<Update> = (0..REQUEST_POOL)
        .map(|i| update(addr, &fixtures, i))
        .collect();
    let mut stats = ConnStats::default();
    let mut busy = Duration::ZERO;
    let warm_up = updates.len() * 4;
    let mut end = None;
    for i in 0.. {
        let measured = i >= warm_up;
        if measured {
            let end = *end.get_or_insert_with(|| {
                busy = Duration::ZERO;
                Instant::now() + Duration::from_secs_f64(config.handler_seconds)
            });
            if Instant::now() >= end {
                break;
            }
        }
        let update = &updates[i % updates.len()];
        let start = Instant::now();
        let response = mock.handle(
            &Method::POST,
            &update.path,
            None,
            &headers,
            Ok(update.body.clone()),
        );
        busy += start.elapsed();
        let (status, body) = body_of(response);
        match verdict(status, &body, update) {
            Ok(()) if measured => stats.latencies.push(0),
            Ok(()) => {}
            Err(wrong) => stats.error(measured, wrong),
        }
    }
    let requests = stats.latencies.len() as u64 + stats.errors;
    Ok(HandlerReport {
        requests,
        errors: stats.errors,
        error_samples: stats.samples,
        per_request: busy / requests.max(1) as u32,
    })
}

// ---------------------------------------------------------------------------------------------
// CPU accounting (Linux): which threads burnt the cores, the server's or the load generator's.

/// CPU seconds so far of this process's threads whose name starts with `prefix`.
fn cpu_seconds(prefix: &str) -> Option<f64> {
    // USER_HZ is 100 on every Linux this runs on.
    const TICKS_PER_SECOND: f64 = 100.0;
    let mut ticks = 0u64;
    for task in std::fs::read_dir("/proc/self/task").ok()? {
        let dir = task.ok()?.path();
        let Ok(comm) = std::fs::read_to_string(dir.join("comm")) else {
            continue;
        };
        if !comm.starts_with(prefix) {
            continue;
        }
        let Ok(stat) = std::fs::read_to_string(dir.join("stat")) else {
            continue;
        };
        // Fields after the parenthesized name: state is field 3, utime 14, stime 15.
        let rest = &stat[stat.rfind(')')? + 1..];
        let fields: Vec<&str> = rest.split_whitespace().collect();
        ticks += fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    }
    Some(ticks as f64 / TICKS_PER_SECOND)
}

struct CpuSample {
    server: f64,
    client: f64,
}

/// Samples the CPU time of the server's and the load generator's threads at `at`, on a thread
/// of its own (the load threads exit before they could be read at the end).
fn sample_cpu_at(at: Instant, client: ClientKind) -> std::thread::JoinHandle<Option<CpuSample>> {
    std::thread::spawn(move || {
        std::thread::sleep(at.saturating_duration_since(Instant::now()));
        let client_prefix = match client {
            ClientKind::Tokio => "bench-client",
            ClientKind::Std => "bench-conn",
        };
        Some(CpuSample {
            server: cpu_seconds("mock-server")?,
            client: cpu_seconds(client_prefix)?,
        })
    })
}

// ---------------------------------------------------------------------------------------------
// The run and its report.

struct Report {
    requests: u64,
    errors: u64,
    error_samples: Vec<String>,
    reconnects: u64,
    seconds: f64,
    rps: f64,
    p50: Duration,
    p90: Duration,
    p99: Duration,
    max: Duration,
    /// CPU use of the server's and the load generator's threads while measuring, in cores.
    cpu: Option<(f64, f64)>,
    handler: Option<HandlerReport>,
}

/// Nearest-rank percentile of sorted nanoseconds.
fn percentile(sorted: &[u64], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    Duration::from_nanos(sorted[rank.clamp(1, sorted.len()) - 1])
}

fn run(config: &Config) -> Result<Report, String> {
    let server_runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(config.server_workers)
        .thread_name("mock-server")
        .enable_all()
        .build()
        .map_err(|e| format!("the server's runtime: {e}"))?;
    let server = server_runtime
        .block_on(MockServer::start(MockConfig::default()))
        .map_err(|e| format!("starting the mock: {e}"))?;
    let addr = server.addr();

    let handler = (config.handler_seconds > 0.0)
        .then(|| handler_only(addr, config))
        .transpose()?;

    let mut stream = TcpStream::connect(addr).map_err(|e| e.to_string())?;
    let _ = stream.set_nodelay(true);
    let mut reader = ResponseReader::new();
    let fixtures = create_fixtures(
        |path, params| call_ok(&mut stream, &mut reader, "POST", path, params),
        config.sessions,
    )?;
    drop(stream);
    let updates: Vec<Update> = (0..REQUEST_POOL)
        .map(|i| update(addr, &fixtures, i))
        .collect();

    let start = Instant::now();
    let measure_from = start + Duration::from_secs_f64(config.warmup);
    let end = measure_from + Duration::from_secs_f64(config.seconds);
    let window = Window { measure_from, end };
    // Sampled just inside the window: the load threads are alive at both ends.
    let cpu_before = sample_cpu_at(measure_from, config.client);
    let cpu_after = sample_cpu_at(end - Duration::from_millis(20), config.client);
    let stats = drive(config, addr, updates, window);
    let measured = end.saturating_duration_since(measure_from).as_secs_f64();
    let cpu = match (
        cpu_before.join().ok().flatten(),
        cpu_after.join().ok().flatten(),
    ) {
        (Some(a), Some(b)) => {
            let span = measured - 0.02;
            Some(((b.server - a.server) / span, (b.client - a.client) / span))
        }
        _ => None,
    };

    server_runtime.block_on(server.shutdown());

    let mut latencies = Vec::with_capacity(stats.iter().map(|s| s.latencies.len()).sum());
    let mut errors = 0;
    let mut error_samples = Vec::new();
    let mut reconnects = 0;
    for s in stats {
        latencies.extend_from_slice(&s.latencies);
        errors += s.errors;
        reconnects += s.reconnects.saturating_sub(1);
        error_samples.extend(s.samples);
    }
    error_samples.truncate(ERROR_SAMPLES);
    latencies.sort_unstable();
    let requests = latencies.len() as u64 + errors;
    Ok(Report {
        requests,
        errors,
        error_samples,
        reconnects,
        seconds: measured,
        rps: latencies.len() as f64 / measured,
        p50: percentile(&latencies, 50.0),
        p90: percentile(&latencies, 90.0),
        p99: percentile(&latencies, 99.0),
        max: latencies
            .last()
            .map_or(Duration::ZERO, |&n| Duration::from_nanos(n)),
        cpu,
        handler,
    })
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// `x` rounded to `digits` decimals, for the JSON line.
fn round(x: f64, digits: i32) -> f64 {
    let scale = 10f64.powi(digits);
    (x * scale).round() / scale
}

impl Report {
    /// Errors of both phases.
    fn errors(&self) -> u64 {
        self.errors + self.handler.as_ref().map_or(0, |h| h.errors)
    }

    fn print(&self, config: &Config) {
        let rps_met = self.rps >= config.target_rps;
        let p99_met = ms(self.p99) < config.target_p99_ms;
        let client = match config.client {
            ClientKind::Tokio => format!("tokio x{} threads", config.client_threads),
            ClientKind::Std => "std, a thread per connection".to_owned(),
        };
        println!("mock_throughput: POST /v1/checkout/sessions/{{id}} (updates that apply)");
        if let Some(h) = &self.handler {
            println!(
                "in-process StripeMock::handle, one thread, {:.1}s:",
                config.handler_seconds
            );
            println!(
                "  {} requests, {} errors, {:.2} us/request ({:.0} requests/s on one core)",
                h.requests,
                h.errors,
                h.per_request.as_secs_f64() * 1e6,
                1.0 / h.per_request.as_secs_f64().max(1e-9)
            );
            for sample in &h.error_samples {
                println!("    e.g. {sample}");
            }
        }
        println!(
            "HTTP/1.1 on 127.0.0.1: server workers {}, client {client}, connections {}, sessions {}, warm-up {}s, measured {:.1}s:",
            config.server_workers, config.connections, config.sessions, config.warmup, self.seconds
        );
        println!("  requests   {}", self.requests);
        println!("  errors     {}", self.errors);
        for sample in &self.error_samples {
            println!("    e.g. {sample}");
        }
        if self.reconnects > 0 {
            println!("  reconnects {}", self.reconnects);
        }
        println!("  requests/s {:.0}", self.rps);
        println!(
            "  latency    p50 {:.3} ms, p90 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
            ms(self.p50),
            ms(self.p90),
            ms(self.p99),
            ms(self.max)
        );
        if let Some((server, client)) = self.cpu {
            println!(
                "  cpu        server {server:.2} cores ({:.1} us/request), load generator {client:.2} cores ({:.1} us/request)",
                server * 1e6 / self.rps,
                client * 1e6 / self.rps
            );
        }
        let yes = |met: bool| if met { "met" } else { "MISSED" };
        println!(
            "  target     >= {:.0} req/s: {}; p99 < {} ms: {}",
            config.target_rps,
            yes(rps_met),
            config.target_p99_ms,
            yes(p99_met)
        );
        let line = json!({
            "bench": "mock_throughput",
            "endpoint": "POST /v1/checkout/sessions/{id}",
            "server_workers": config.server_workers,
            "client": match config.client { ClientKind::Tokio => "tokio", ClientKind::Std => "std" },
            "client_threads": config.client_threads,
            "connections": config.connections,
            "sessions": config.sessions,
            "warmup_s": config.warmup,
            "seconds": round(self.seconds, 3),
            "requests": self.requests,
            "errors": self.errors,
            "rps": self.rps.round(),
            "p50_ms": round(ms(self.p50), 3),
            "p90_ms": round(ms(self.p90), 3),
            "p99_ms": round(ms(self.p99), 3),
            "max_ms": round(ms(self.max), 3),
            "server_cpu_cores": self.cpu.map(|c| round(c.0, 2)),
            "client_cpu_cores": self.cpu.map(|c| round(c.1, 2)),
            "server_cpu_us_per_request": self.cpu.map(|c| round(c.0 * 1e6 / self.rps, 2)),
            "handler_requests": self.handler.as_ref().map(|h| h.requests),
            "handler_errors": self.handler.as_ref().map(|h| h.errors),
            "handler_us_per_request": self.handler.as_ref().map(|h| round(h.per_request.as_secs_f64() * 1e6, 3)),
            "target_rps": config.target_rps,
            "target_p99_ms": config.target_p99_ms,
            "target_met": rps_met && p99_met,
        });
        println!("{line}");
    }
}
