//! `requests.ndjson`: one line per request and its final answer, secrets redacted.
//!
//! A line is one logical request: `status`, `request_id`, `response` are the final answer's;
//! the attempts the client retried before it are in `attempts` (empty on a first-try answer),
//! oldest first: `{"attempt": 1, "status": 503, "error": null, "request_id": "req_…",
//! "elapsed_ms": …, "waited_ms": …}` (`status` null and `error` set when there was no answer).
//! `idempotency_key` is the key every attempt carried (null when none was sent); `credential`
//! the key or token it carried, masked (`sk_test_…4242`; null when none); `queued_ms` the time
//! the attempts waited for the rate limiter; `api_version` the API version the request was made
//! with, for vendors that version per request (Stripe-Version). `sent_at` is when the final
//! attempt was sent (RFC 3339, UTC); `request_headers` and `response_headers` are
//! `[name, value]` pairs in order, with `Authorization` masked and `Cookie`/`Set-Cookie`
//! redacted. `response` comes last, as the target sent it.
//!
//! The log also keeps each scenario's exchanges (redacted the same way) for the reports that
//! show them: [`RequestLog::take`].

use crate::client::{Exchange, Secret};
use crate::vendor::Provider;
use serde_json::json;
use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::Mutex;

/// One line of `requests.ndjson`, but for `response` (appended as received, see
/// [`RequestLog::record`]).
#[derive(serde::Serialize)]
struct Line<'a> {
    scenario: &'a str,
    sent_at: String,
    api_version: Option<&'a str>,
    method: &'a str,
    path: &'a str,
    request_body: &'a str,
    status: u16,
    request_id: Option<&'a str>,
    elapsed_ms: f64,
    idempotency_key: Option<&'a str>,
    credential: Option<&'a str>,
    queued_ms: f64,
    attempts: Vec<serde_json::Value>,
    request_headers: Vec<[&'a str; 2]>,
    response_headers: Vec<[&'a str; 2]>,
}

/// The request log of a run. Lines are written as exchanges complete; every secret the run
/// knows is redacted from each line before it is written.
#[derive(Debug)]
pub struct RequestLog {
    out: Mutex<BufWriter<File>>,
    secrets: Vec<Secret>,
    versions: BTreeMap<Provider, String>,
    /// Each scenario's exchanges, redacted, in order.
    kept: Mutex<HashMap<String, Vec<Exchange>>>,
}

impl RequestLog {
    /// Creates (truncates) the log at `path`. A provider's version in `versions` is recorded on
    /// every line of a request to that provider's API.
    pub fn create(
        path: &Path,
        secrets: Vec<Secret>,
        versions: BTreeMap<Provider, String>,
    ) -> std::io::Result<RequestLog> {
        Ok(RequestLog {
            out: Mutex::new(BufWriter::new(File::create(path)?)),
            secrets,
            versions,
            kept: Mutex::default(),
        })
    }

    /// Appends one exchange of `scenario`.
    pub fn record(&self, scenario: &str, exchange: &Exchange) {
        let api_version = Provider::serving(&exchange.path)
            .and_then(|p| self.versions.get(&p))
            .map(String::as_str);
        // Borrowed: the response body is serialized in place, not cloned into a new document.
        let line = Line {
            scenario,
            sent_at: timestamp(exchange.sent_at),
            api_version,
            method: &exchange.method,
            path: &exchange.path,
            request_body: &exchange.request_body,
            status: exchange.status,
            request_id: exchange.request_id.as_deref(),
            elapsed_ms: exchange.elapsed.as_secs_f64() * 1000.0,
            idempotency_key: exchange.idempotency_key.as_deref(),
            credential: exchange.credential.as_deref(),
            queued_ms: exchange.queued.as_secs_f64() * 1000.0,
            attempts: attempts(exchange),
            request_headers: pairs(&exchange.request_headers),
            response_headers: pairs(&exchange.response_headers),
        };
        let mut line = serde_json::to_string(&line).unwrap_or_default();
        // The response last, as the target sent it when it is JSON (not re-serialized from
        // the parsed value): its line breaks, whitespace wherever valid JSON has them, become
        // spaces so that the record stays on one line.
        line.pop();
        line.push_str(",\"response\":");
        if exchange.body_is_json {
            let raw = &exchange.body_text;
            if raw.as_bytes().contains(&b'\n') || raw.as_bytes().contains(&b'\r') {
                line.push_str(&raw.replace(['\n', '\r'], " "));
            } else {
                line.push_str(raw);
            }
        } else {
            line.push_str(&serde_json::to_string(&exchange.body).unwrap_or_default());
        }
        line.push('}');
        for secret in &self.secrets {
            if !secret.expose().is_empty() && line.contains(secret.expose()) {
                line = secret.redact(&line);
            }
        }
        {
            let mut out = self.out.lock().unwrap_or_else(|p| p.into_inner());
            // A report that cannot be written must not fail the scenario that was being checked.
            let _ = writeln!(out, "{line}");
        }
        let kept = self.redacted(exchange);
        self.kept
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(scenario.to_owned())
            .or_default()
            .push(kept);
    }

    /// The last exchange recorded for `scenario` so far, redacted.
    pub fn last(&self, scenario: &str) -> Option<Exchange> {
        self.kept
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(scenario)
            .and_then(|kept| kept.last().cloned())
    }

    /// The exchanges recorded for `scenario`, in order, redacted; they are handed out once.
    pub fn take(&self, scenario: &str) -> Vec<Exchange> {
        self.kept
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(scenario)
            .unwrap_or_default()
    }

    /// `exchange` with every secret the run knows masked, wherever the target may have put it.
    fn redacted(&self, exchange: &Exchange) -> Exchange {
        let redact = |text: &str| {
            self.secrets
                .iter()
                .fold(text.to_owned(), |text, secret| secret.redact(&text))
        };
        let headers = |headers: &[(String, String)]| {
            headers
                .iter()
                .map(|(name, value)| (name.clone(), redact(value)))
                .collect()
        };
        let body_text = redact(&exchange.body_text);
        let body = if body_text == exchange.body_text {
            exchange.body.clone()
        } else if exchange.body_is_json {
            serde_json::from_str(&body_text).unwrap_or(serde_json::Value::Null)
        } else {
            serde_json::Value::String(body_text.clone())
        };
        Exchange {
            path: redact(&exchange.path),
            request_body: redact(&exchange.request_body),
            body,
            body_text,
            request_headers: headers(&exchange.request_headers),
            response_headers: headers(&exchange.response_headers),
            ..exchange.clone()
        }
    }

    /// Writes what is buffered.
    pub fn flush(&self) {
        let _ = self.out.lock().unwrap_or_else(|p| p.into_inner()).flush();
    }
}

/// `[name, value]` pairs of headers.
fn pairs(headers: &[(String, String)]) -> Vec<[&str; 2]> {
    headers
        .iter()
        .map(|(name, value)| [name.as_str(), value.as_str()])
        .collect()
}

/// A moment as RFC 3339, UTC, to the millisecond: `2026-12-04T06:20:00.123Z`.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// let t = UNIX_EPOCH + Duration::from_millis(1_796_000_000_123);
/// assert_eq!(checkout_conformance::report::timestamp(t), "2026-11-30T00:53:20.123Z");
/// ```
pub fn timestamp(at: std::time::SystemTime) -> String {
    humantime::format_rfc3339_millis(at).to_string()
}

/// The retried attempts of `exchange`, numbered from 1, for the `attempts` field.
fn attempts(exchange: &Exchange) -> Vec<serde_json::Value> {
    exchange
        .attempts
        .iter()
        .enumerate()
        .map(|(i, a)| {
            json!({
                "attempt": i + 1,
                "status": a.status,
                "error": a.error,
                "request_id": a.request_id,
                "elapsed_ms": a.elapsed.as_secs_f64() * 1000.0,
                "waited_ms": a.waited.as_secs_f64() * 1000.0,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::Attempt;
    use std::time::Duration;

    #[test]
    fn a_retried_request_is_one_line_with_its_attempts() {
        let path = std::env::temp_dir().join(format!(
            "requests-{}-{:?}.ndjson",
            std::process::id(),
            std::thread::current().id()
        ));
        let secret = Secret::new("sk_test_51HxYzAbCdEf4242");
        let secret_masked = secret.masked();
        let log = RequestLog::create(&path, vec![secret], Default::default())
            .expect("a writable temp dir");
        let exchange = Exchange {
            method: "POST".into(),
            path: "/v1/checkout/sessions".into(),
            request_body: "mode=payment".into(),
            status: 200,
            request_id: Some("req_3".into()),
            body: json!({"id": "cs_test_1"}),
            body_is_json: true,
            body_text: "{\n  \"id\": \"cs_test_1\",\r\n  \"note\": \"a\\nb\"\n}".into(),
            elapsed: Duration::from_millis(12),
            attempts: vec![
                Attempt {
                    status: None,
                    error: Some("connection reset near sk_test_51HxYzAbCdEf4242".into()),
                    request_id: None,
                    waited: Duration::from_millis(100),
                    elapsed: Duration::from_millis(3),
                },
                Attempt {
                    status: Some(503),
                    error: None,
                    request_id: Some("req_2".into()),
                    waited: Duration::from_millis(300),
                    elapsed: Duration::from_millis(5),
                },
            ],
            idempotency_key: Some("5b1c7a9e-0d4f-4c1e-8a55-0c2f1d3e4b6a".into()),
            credential: Some(secret_masked.clone()),
            queued: Duration::from_millis(50),
            sent_at: std::time::UNIX_EPOCH + Duration::from_millis(1_796_000_000_123),
            request_headers: vec![
                (
                    "content-type".into(),
                    "application/x-www-form-urlencoded".into(),
                ),
                ("authorization".into(), format!("Bearer {secret_masked}")),
            ],
            response_headers: vec![
                ("request-id".into(), "req_3".into()),
                ("x-echo".into(), "Bearer sk_test_51HxYzAbCdEf4242".into()),
            ],
        };
        log.record("Feature / Scenario", &exchange);
        log.flush();
        let text = std::fs::read_to_string(&path).expect("written");
        let _ = std::fs::remove_file(&path);
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).expect("JSON"))
            .collect();
        assert_eq!(lines.len(), 1);
        let line = &lines[0];
        assert_eq!(line["status"], 200);
        // The response as the target sent it (one line), not re-serialized from `body`.
        assert_eq!(line["response"], json!({"id": "cs_test_1", "note": "a\nb"}));
        assert_eq!(line["request_id"], "req_3");
        assert_eq!(
            line["idempotency_key"],
            "5b1c7a9e-0d4f-4c1e-8a55-0c2f1d3e4b6a"
        );
        assert_eq!(line["queued_ms"], 50.0);
        assert_eq!(line["credential"], "sk_test_…4242");
        assert_eq!(line["attempts"][0]["attempt"], 1);
        assert_eq!(line["attempts"][0]["status"], serde_json::Value::Null);
        assert_eq!(
            line["attempts"][0]["error"],
            "connection reset near sk_test_…4242"
        );
        assert_eq!(line["attempts"][1]["status"], 503);
        assert_eq!(line["attempts"][1]["request_id"], "req_2");
        assert_eq!(line["attempts"][1]["waited_ms"], 300.0);
        assert_eq!(line["sent_at"], "2026-11-30T00:53:20.123Z");
        assert_eq!(
            line["request_headers"],
            json!([
                ["content-type", "application/x-www-form-urlencoded"],
                ["authorization", "Bearer sk_test_…4242"]
            ])
        );
        assert_eq!(
            line["response_headers"][1],
            json!(["x-echo", "Bearer sk_test_…4242"])
        );
        assert!(!text.contains("sk_test_51HxYzAbCdEf4242"));
        // Kept for the reports, redacted too, and handed out once.
        let kept = log.take("Feature / Scenario");
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].response_headers[1].1, "Bearer sk_test_…4242");
        assert!(log.take("Feature / Scenario").is_empty());
    }

    #[test]
    fn a_body_that_is_not_json_is_logged_as_a_string() {
        let path = std::env::temp_dir().join(format!(
            "requests-text-{}-{:?}.ndjson",
            std::process::id(),
            std::thread::current().id()
        ));
        let log =
            RequestLog::create(&path, Vec::new(), Default::default()).expect("a writable temp dir");
        let text = "<html>\n502 Bad Gateway\n</html>";
        let exchange = Exchange {
            method: "GET".into(),
            path: "/v1/checkout/sessions/cs_test_1".into(),
            request_body: String::new(),
            status: 502,
            request_id: None,
            body: json!(text),
            body_is_json: false,
            body_text: text.into(),
            elapsed: Duration::from_millis(1),
            attempts: Vec::new(),
            idempotency_key: None,
            ..Default::default()
        };
        log.record("Feature / Scenario", &exchange);
        log.flush();
        let written = std::fs::read_to_string(&path).expect("written");
        let _ = std::fs::remove_file(&path);
        assert_eq!(written.lines().count(), 1, "{written}");
        let line: serde_json::Value = serde_json::from_str(&written).expect("JSON");
        assert_eq!(line["response"], json!(text));
        assert_eq!(line["credential"], serde_json::Value::Null);
    }
}
