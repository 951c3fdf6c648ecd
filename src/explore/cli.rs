//! `checkout-conformance explore`: its flags and what it prints.

use super::{explore_blocking, ExploreConfig, ExploreReport};
use crate::cli::{given, CredentialArgs};
use crate::mock::Fault;
use crate::vendor::Provider;
use std::path::PathBuf;
use std::process::ExitCode;

/// `checkout-conformance explore`: generated operation sequences checked against a model of
/// the documentation; a mismatch is shrunk and printed as a scenario of the suite.
#[derive(Debug, Clone, clap::Args)]
pub struct ExploreArgs {
    /// The vendor explored: stripe or gr4vy.
    #[arg(long, value_enum)]
    pub provider: Provider,
    /// The targets, the vendors' credentials and API version.
    #[command(flatten)]
    pub credentials: CredentialArgs,
    /// The seed: the same seed generates the same cases.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// How many cases (operation sequences) are generated.
    #[arg(long, default_value_t = 100)]
    pub cases: u64,
    /// At most this many operations per case.
    #[arg(long, default_value_t = 8)]
    pub max_steps: usize,
    /// At most this many requests in all, shrinking included (the cost on a sandbox).
    #[arg(long)]
    pub max_requests: Option<u64>,
    /// Break one documented behaviour of the bundled mock (repeatable).
    #[arg(long = "mock-fault", value_name = "NAME")]
    pub mock_faults: Vec<Fault>,
    /// Requests per second (default: 20 against a remote host, none on loopback; 0: no limit).
    #[arg(long, env = "CONFORMANCE_RATE", allow_negative_numbers = true)]
    pub rate: Option<f64>,
    /// Retries of one request (connection error, timeout, 429, 5xx).
    #[arg(long, env = "CONFORMANCE_MAX_RETRIES", default_value_t = 3)]
    pub max_retries: u32,
    /// Where the reports are written (summary.md, junit.xml, cucumber.json, index.html,
    /// requests.ndjson, and a finding's feature file): beside a suite run's, not over them.
    #[arg(long, default_value = "reports/explore")]
    pub reports: PathBuf,
    /// Leave the checkout sessions the exploration created open.
    #[arg(long)]
    pub no_cleanup: bool,
}

impl ExploreArgs {
    /// The exploration's configuration.
    pub fn config(&self) -> ExploreConfig {
        let options = self
            .credentials
            .vendors
            .get(&self.provider)
            .cloned()
            .unwrap_or_default();
        ExploreConfig {
            base_url: given(&self.credentials.base_url),
            options,
            seed: self.seed,
            cases: self.cases,
            max_steps: self.max_steps,
            max_requests: self.max_requests,
            mock_faults: self.mock_faults.iter().copied().collect(),
            rate: self.rate,
            max_retries: self.max_retries,
            reports: Some(self.reports.clone()),
            cleanup: !self.no_cleanup,
            ..ExploreConfig::new(self.provider)
        }
    }
}

/// What the terminal shows at the end of an exploration: the finding as every report carries
/// it ([`super::report::finding_message`]), or why the run stopped, then the headline.
pub fn console(report: &ExploreReport) -> String {
    let mut out = String::new();
    if let Some(f) = &report.finding {
        out.push_str("MISMATCH ");
        out.push_str(&super::report::finding_message(report, f));
        out.push('\n');
    } else if let Some(stop) = &report.stopped {
        out.push_str(&format!("stopped: {stop}\n"));
    }
    out.push_str(&format!(
        "\nexplore {} against {}: {}\n",
        report.provider,
        report.target,
        super::report::headline(report)
    ));
    out
}

/// Runs `explore` and prints its result; the exit code as the suite's.
pub fn explore(args: ExploreArgs) -> ExitCode {
    match explore_blocking(args.config()) {
        Ok(report) => {
            print!("{}", console(&report));
            println!("reports: {}", args.reports.join("summary.md").display());
            ExitCode::from(report.exit_code())
        }
        Err(error) => {
            eprintln!("error: {error}");
            eprintln!("(exit 2: the exploration could not be made)");
            ExitCode::from(2)
        }
    }
}
