//! The `checkout-conformance mock` command line, run as the built binary.
//!
//! Every child process is wrapped in [`Running`], which kills and reaps it when dropped, so that
//! a failing assertion never leaves a mock behind.

use checkout_conformance::mock::Fault;
use checkout_conformance::vendor::stripe::mock::StripeFault;
use std::io::{BufRead, BufReader, Read};
use std::net::TcpListener;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_checkout-conformance");
const TIMEOUT: Duration = Duration::from_secs(20);

/// `checkout-conformance ARGS`, without the environment variables that would change its defaults.
fn command(args: &[&str]) -> Command {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .env_remove("CONFORMANCE_MOCK_ADDR")
        .env_remove("CONFORMANCE_MOCK_API_KEY")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// A child process that is killed and reaped when dropped.
struct Running {
    child: Child,
}

impl Running {
    fn spawn(args: &[&str]) -> Running {
        let child = command(args).spawn().expect("the binary starts");
        Running { child }
    }

    /// Waits for the child to exit (at most [`TIMEOUT`]); returns its status, stdout and stderr.
    fn finish(mut self) -> (ExitStatus, String, String) {
        let deadline = Instant::now() + TIMEOUT;
        let status = loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                break status;
            }
            assert!(
                Instant::now() < deadline,
                "the command did not exit within {TIMEOUT:?}"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        let mut stdout = String::new();
        let mut stderr = String::new();
        if let Some(mut out) = self.child.stdout.take() {
            out.read_to_string(&mut stdout).expect("stdout");
        }
        if let Some(mut err) = self.child.stderr.take() {
            err.read_to_string(&mut stderr).expect("stderr");
        }
        (status, stdout, stderr)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        // Already exited: kill fails harmlessly; wait reaps either way.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs a command that is expected to exit on its own.
fn run(args: &[&str]) -> (ExitStatus, String, String) {
    Running::spawn(args).finish()
}

#[test]
fn list_faults_prints_one_line_per_fault() {
    let (status, stdout, stderr) = run(&["mock", "--list-faults"]);
    assert!(status.success(), "{status}; stderr: {stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), Fault::all().len(), "{stdout}");
    for (line, fault) in lines.iter().zip(Fault::all()) {
        let (name, rest) = line
            .split_once(char::is_whitespace)
            .unwrap_or_else(|| panic!("no provider on `{line}`"));
        let (provider, description) = rest
            .trim_start()
            .split_once(char::is_whitespace)
            .unwrap_or_else(|| panic!("no description on `{line}`"));
        assert_eq!(name, fault.name());
        assert_eq!(provider, fault.provider().tag());
        assert!(matches!(provider, "stripe" | "gr4vy"), "{line}");
        assert_eq!(description.trim_start(), fault.description());
    }
}

#[test]
fn an_unknown_fault_exits_2_naming_it() {
    let (status, stdout, stderr) = run(&["mock", "--fault", "no-such-fault"]);
    assert_eq!(status.code(), Some(2), "stdout: {stdout}; stderr: {stderr}");
    assert!(stderr.contains("no-such-fault"), "{stderr}");
    assert!(!stdout.contains("listening"), "{stdout}");
}

#[test]
fn an_invalid_address_exits_2() {
    let (status, stdout, stderr) = run(&["mock", "--addr", "not-an-addr"]);
    assert_eq!(status.code(), Some(2), "stdout: {stdout}; stderr: {stderr}");
    assert!(stderr.contains("not-an-addr"), "{stderr}");
}

#[test]
fn an_address_in_use_exits_2_naming_it() {
    let taken = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let addr = taken.local_addr().expect("its address").to_string();
    let (status, stdout, stderr) = run(&["mock", "--addr", &addr]);
    assert_eq!(status.code(), Some(2), "stdout: {stdout}; stderr: {stderr}");
    assert!(stderr.contains(&addr), "{stderr}");
    drop(taken);
}

/// Starts `mock ARGS` and returns it with its base URL, read from the "listening on" line, and
/// the lines it printed after that one (read for a short while).
fn start_mock(args: &[&str]) -> (Running, String, mpsc::Receiver<String>) {
    let mut mock = Running::spawn(args);
    let stdout = mock.child.stdout.take().expect("piped stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let first = rx
        .recv_timeout(TIMEOUT)
        .unwrap_or_else(|_| panic!("no \"listening on\" line within {TIMEOUT:?}"));
    let url = first
        .split_once("listening on ")
        .map(|(_, url)| url.trim().to_owned())
        .unwrap_or_else(|| panic!("not a \"listening on\" line: {first}"));
    let port = url
        .strip_prefix("http://127.0.0.1:")
        .unwrap_or_else(|| panic!("not http://127.0.0.1:PORT: {url}"));
    assert!(port.parse::<u16>().is_ok_and(|p| p != 0), "port: {port}");
    (mock, url, rx)
}

#[tokio::test]
async fn mock_on_port_0_prints_its_url_and_serves() {
    let (mock, url, _lines) = start_mock(&["mock", "--addr", "127.0.0.1:0"]);
    let http = reqwest::Client::new();
    let price = http
        .post(format!("{url}/v1/prices"))
        .bearer_auth("sk_test_cli")
        .form(&[
            ("currency", "usd"),
            ("unit_amount", "1000"),
            ("product_data[name]", "T-shirt"),
        ])
        .send()
        .await
        .expect("the mock answers");
    assert_eq!(price.status(), 200);
    let body: serde_json::Value = price.json().await.expect("a JSON price");
    assert_eq!(body["object"], "price");
    let missing = http
        .post(format!("{url}/v1/checkout/sessions/cs_test_nope"))
        .bearer_auth("sk_test_cli")
        .form(&[("metadata[a]", "1")])
        .send()
        .await
        .expect("the mock answers");
    assert_eq!(missing.status(), 404);
    stop(mock);
}

#[tokio::test]
async fn mock_applies_faults_and_api_key_from_the_command_line() {
    let (mock, url, lines) = start_mock(&[
        "mock",
        "--addr",
        "127.0.0.1:0",
        "--fault",
        "request-id-missing",
        "--api-key",
        "sk_test_only_this_one",
    ]);
    let announced = lines.recv_timeout(TIMEOUT).expect("the fault line");
    assert!(
        announced.contains("request-id-missing")
            && announced.contains(StripeFault::RequestIdMissing.description()),
        "{announced}"
    );
    let http = reqwest::Client::new();
    let get = |key: &'static str| {
        http.get(format!("{url}/v1/prices/price_nope"))
            .bearer_auth(key)
            .send()
    };
    let wrong_key = get("sk_test_another").await.expect("the mock answers");
    assert_eq!(wrong_key.status(), 401);
    let right_key = get("sk_test_only_this_one")
        .await
        .expect("the mock answers");
    assert_eq!(right_key.status(), 404);
    assert!(
        right_key.headers().get("request-id").is_none(),
        "the fault is on"
    );
    stop(mock);
}

/// Stops the mock: Ctrl-C (SIGINT) where there is `kill`, expecting exit 0; the guard kills it
/// otherwise, or if it does not stop in time.
fn stop(mock: Running) {
    #[cfg(unix)]
    {
        let pid = mock.child.id().to_string();
        let sent = Command::new("kill").args(["-INT", &pid]).status();
        if sent.is_ok_and(|s| s.success()) {
            let (status, _, stderr) = mock.finish();
            assert!(status.success(), "{status} after Ctrl-C; stderr: {stderr}");
            return;
        }
    }
    drop(mock);
}
