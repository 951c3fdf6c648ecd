//! `requests.ndjson`: one line per request and answer, secrets redacted.

use crate::client::{Exchange, Secret};
use serde_json::json;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::sync::Mutex;

/// The request log of a run. Lines are written as exchanges complete; every secret the run
/// knows is redacted from each line before it is written.
#[derive(Debug)]
pub struct RequestLog {
    out: Mutex<BufWriter<File>>,
    secrets: Vec<Secret>,
}

impl RequestLog {
    /// Creates (truncates) the log at `path`.
    pub fn create(path: &Path, secrets: Vec<Secret>) -> std::io::Result<RequestLog> {
        Ok(RequestLog {
            out: Mutex::new(BufWriter::new(File::create(path)?)),
            secrets,
        })
    }

    /// Appends one exchange of `scenario`.
    pub fn record(&self, scenario: &str, exchange: &Exchange) {
        let mut line = json!({
            "scenario": scenario,
            "method": exchange.method,
            "path": exchange.path,
            "request_body": exchange.request_body,
            "status": exchange.status,
            "request_id": exchange.request_id,
            "elapsed_ms": exchange.elapsed.as_secs_f64() * 1000.0,
            "response": exchange.body,
        })
        .to_string();
        for secret in &self.secrets {
            line = secret.redact(&line);
        }
        let mut out = self.out.lock().unwrap_or_else(|p| p.into_inner());
        // A report that cannot be written must not fail the scenario that was being checked.
        let _ = writeln!(out, "{line}");
    }

    /// Writes what is buffered.
    pub fn flush(&self) {
        let _ = self.out.lock().unwrap_or_else(|p| p.into_inner()).flush();
    }
}
