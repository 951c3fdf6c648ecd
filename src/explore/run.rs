//! An exploration run: configure (the suite's own checks: live keys, faults, rate), start the
//! bundled mock when there is no base URL, connect through the vendor, run the cases, shrink
//! the first mismatch, clean up, write the reports.

use super::{case_seed, Credential, Explorer, Mismatch, Scenario, Stop, Target};
use crate::client::{Client, ClientConfig, ClientError, Exchange, Secret};
use crate::mock::{Faults, MockConfig, MockServer};
use crate::report::Authorization;
use crate::runner::{default_rate, ConfigError, ProviderChoice, RunConfig};
use crate::vendor::{CredentialError, Provider, TargetOptions};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime};

/// What an exploration is asked to do.
///
/// ```
/// use checkout_conformance::explore::ExploreConfig;
/// use checkout_conformance::vendor::Provider;
/// let config = ExploreConfig::new(Provider::Stripe);
/// assert_eq!((config.seed, config.cases, config.max_steps), (0, 100, 8));
/// ```
#[derive(Debug, Clone)]
pub struct ExploreConfig {
    /// The vendor explored.
    pub provider: Provider,
    /// The target; `None`: the bundled mock.
    pub base_url: Option<String>,
    /// The vendor's options (credential, key, API version).
    pub options: TargetOptions,
    /// The run's seed: the same seed, the same cases.
    pub seed: u64,
    /// How many cases are generated.
    pub cases: u64,
    /// At most this many operations per case.
    pub max_steps: usize,
    /// At most this many requests in all (shrinking included); `None`: no bound.
    pub max_requests: Option<u64>,
    /// Faults injected into the bundled mock.
    pub mock_faults: Faults,
    /// Requests per second (`None`: the suite's default for the target; 0: no limit).
    pub rate: Option<f64>,
    /// Retries of one request.
    pub max_retries: u32,
    /// Where the reports (summary.md, junit.xml, cucumber.json, index.html, requests.ndjson,
    /// the finding's feature file) are written (`None`: nowhere).
    pub reports: Option<PathBuf>,
    /// Whether the sessions created are closed at the end.
    pub cleanup: bool,
    /// At most this many reruns while shrinking a finding.
    pub shrink_runs: usize,
    /// Cases run at once.
    pub concurrency: usize,
}

impl ExploreConfig {
    /// The defaults for `provider`: seed 0, 100 cases of at most 8 steps, the bundled mock.
    pub fn new(provider: Provider) -> ExploreConfig {
        ExploreConfig {
            provider,
            base_url: None,
            options: TargetOptions::default(),
            seed: 0,
            cases: 100,
            max_steps: 8,
            max_requests: None,
            mock_faults: Faults::NONE,
            rate: None,
            max_retries: 3,
            reports: None,
            cleanup: true,
            shrink_runs: 400,
            concurrency: 8,
        }
    }

    /// The suite's configuration for the same target: its checks (URL, live-mode key, faults
    /// of the bundled mock, rate) are the exploration's.
    fn as_run_config(&self) -> RunConfig {
        RunConfig {
            provider: ProviderChoice::One(self.provider),
            base_url: self.base_url.clone(),
            vendors: BTreeMap::from([(self.provider, self.options.clone())]),
            mock_faults: self.mock_faults,
            rate: self.rate,
            max_retries: self.max_retries,
            reports: self
                .reports
                .clone()
                .unwrap_or_else(|| PathBuf::from("reports")),
            ..RunConfig::default()
        }
    }
}

/// Why an exploration could not be made (exit 2).
#[derive(Debug, thiserror::Error)]
pub enum ExploreError {
    /// An option out of range or contradicting another.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// `--cases` or `--max-steps` of 0.
    #[error("{0} must be at least 1")]
    Zero(&'static str),
    /// A credential refused or missing.
    #[error(transparent)]
    Credential(#[from] CredentialError),
    /// The client could not be built.
    #[error(transparent)]
    Client(#[from] ClientError),
    /// The bundled mock could not start.
    #[error("cannot start the bundled mock: {0}")]
    Mock(std::io::Error),
    /// The async runtime could not start.
    #[error("cannot start the async runtime: {0}")]
    Runtime(std::io::Error),
    /// The reports could not be written.
    #[error(transparent)]
    Reports(crate::runner::RunError),
}

/// The case that found a finding: a probe, or a generated case.
///
/// ```
/// use checkout_conformance::explore::Origin;
/// assert_eq!(Origin::Probe(0).to_string(), "probe 1");
/// assert_eq!(Origin::Case { case: 3, seed: 99 }.to_string(), "case 3 (case seed 99)");
/// assert_eq!(Origin::Probe(0).slug(), "probe-1");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Probe `n` (0-based) of the vendor's [`Explorer::probes`]: run by every exploration,
    /// whatever its seed.
    Probe(usize),
    /// Generated case `case` (0-based) of the run's seed, and that case's own seed.
    Case {
        /// Its index.
        case: u64,
        /// Its seed ([`case_seed`]).
        seed: u64,
    },
}

impl Origin {
    /// A file-name part: `probe-1`, `case-3`.
    pub fn slug(&self) -> String {
        match self {
            Origin::Probe(n) => format!("probe-{}", n + 1),
            Origin::Case { case, .. } => format!("case-{case}"),
        }
    }
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Probe(n) => write!(f, "probe {}", n + 1),
            Origin::Case { case, seed } => write!(f, "case {case} (case seed {seed})"),
        }
    }
}

/// A mismatch, shrunk, with its reproduction.
#[derive(Debug, Clone)]
pub struct Finding {
    /// The case that found it.
    pub origin: Origin,
    /// Steps of the case as generated, and after shrinking.
    pub steps: (usize, usize),
    /// Reruns spent shrinking.
    pub shrink_runs: usize,
    /// The shrunk case (its `Debug`).
    pub case_text: String,
    /// The mismatch of the shrunk case.
    pub mismatch: Mismatch,
    /// The shrunk case as a scenario of the suite.
    pub scenario: Scenario,
    /// Requests spent before the first mismatch was seen.
    pub requests_to_find: u64,
    /// The requests of the shrunk case and their answers, in order, as sent when it was run
    /// once more after shrinking (empty when that run did not fail the same way).
    pub exchanges: Vec<Exchange>,
    /// The `curl` command repeating each of [`Finding::exchanges`], the credential as
    /// `$STRIPE_API_KEY`/`$GR4VY_TOKEN` (a request no shell can carry says why instead).
    pub reproduction: Vec<String>,
    /// How long that last run of the shrunk case took.
    pub elapsed: Duration,
}

impl Finding {
    /// The `Request-Id` of the answer that differs (the last request of the shrunk case), when
    /// the target gave one.
    pub fn request_id(&self) -> Option<&str> {
        self.exchanges.last()?.request_id.as_deref()
    }
}

/// What an exploration found.
#[derive(Debug, Clone)]
pub struct ExploreReport {
    /// The vendor explored.
    pub provider: Provider,
    /// The target (`bundled mock` or the URL).
    pub target: String,
    /// The run's seed.
    pub seed: u64,
    /// Cases run to their end or their first mismatch.
    pub cases_run: u64,
    /// Probes ([`Explorer::probes`]) run to their end or their first mismatch.
    pub probes_run: u64,
    /// Operations (updates) sent.
    pub operations: u64,
    /// Requests sent (shrinking included).
    pub requests: u64,
    /// The first mismatch, shrunk.
    pub finding: Option<Finding>,
    /// Why the run stopped early without a mismatch (setup, infrastructure, budget).
    pub stopped: Option<Stop>,
    /// Wall time.
    pub elapsed: Duration,
    /// Sessions closed by the cleanup.
    pub cleaned: usize,
    /// The target's base URL as the client used it (the bundled mock's included): where the
    /// reproductions point.
    pub base_url: String,
    /// When the exploration started.
    pub started_at: SystemTime,
    /// Cases asked for, and at most how many operations each.
    pub planned: (u64, usize),
    /// The faults injected into the bundled mock.
    pub mock_faults: Faults,
    /// The API version sent, for vendors that version per request (Stripe-Version).
    pub api_version: Option<String>,
    /// Whether the sessions created were to be closed at the end.
    pub cleanup: bool,
    /// The run's secrets, redacted from every report.
    pub secrets: Vec<Secret>,
}

impl ExploreReport {
    /// A report of nothing run yet against `base_url`: seed 0, no case, no finding.
    pub fn new(provider: Provider, base_url: impl Into<String>) -> ExploreReport {
        let base_url = base_url.into();
        ExploreReport {
            provider,
            target: base_url.clone(),
            seed: 0,
            cases_run: 0,
            probes_run: 0,
            operations: 0,
            requests: 0,
            finding: None,
            stopped: None,
            elapsed: Duration::ZERO,
            cleaned: 0,
            base_url,
            started_at: SystemTime::now(),
            planned: (0, 0),
            mock_faults: Faults::NONE,
            api_version: None,
            cleanup: true,
            secrets: Vec::new(),
        }
    }

    /// 0 no mismatch (the budget may have ended the run), 1 a mismatch, 2 a setup failure or an
    /// infrastructure error stopped it first.
    ///
    /// ```
    /// use checkout_conformance::explore::{ExploreReport, Stop};
    /// use checkout_conformance::vendor::Provider;
    /// let mut r = ExploreReport::new(Provider::Stripe, "http://127.0.0.1:12111");
    /// assert_eq!(r.exit_code(), 0);
    /// r.stopped = Some(Stop::Infrastructure("unreachable".into()));
    /// assert_eq!(r.exit_code(), 2);
    /// r.stopped = Some(Stop::Budget);
    /// assert_eq!(r.exit_code(), 0);
    /// ```
    pub fn exit_code(&self) -> u8 {
        match (&self.finding, &self.stopped) {
            (Some(_), _) => 1,
            (None, Some(Stop::Setup(_) | Stop::Infrastructure(_) | Stop::Invalid(_))) => 2,
            _ => 0,
        }
    }
}

/// Runs an exploration on a runtime of its own.
pub fn explore_blocking(config: ExploreConfig) -> Result<ExploreReport, ExploreError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(ExploreError::Runtime)?;
    runtime.block_on(explore(config))
}

/// Runs an exploration.
pub async fn explore(config: ExploreConfig) -> Result<ExploreReport, ExploreError> {
    if config.cases == 0 {
        return Err(ExploreError::Zero("--cases"));
    }
    if config.max_steps == 0 {
        return Err(ExploreError::Zero("--max-steps"));
    }
    config.as_run_config().validate()?;
    let report = config.provider.vendor().explore(&config).await?;
    if let Some(dir) = &config.reports {
        super::report::write(dir, &report).map_err(ExploreError::Reports)?;
    }
    Ok(report)
}

/// Explores with `explorer`, one vendor's operations and model.
pub(crate) async fn run_with<E: Explorer>(
    config: &ExploreConfig,
    mut explorer: E,
) -> Result<ExploreReport, ExploreError> {
    let provider = config.provider;
    // The vendor's own base URL (Gr4vy's sandbox host), else the shared one.
    let remote = config
        .options
        .base_url
        .clone()
        .or_else(|| config.base_url.clone())
        .filter(|u| !u.is_empty());
    let connection = provider.vendor().connect(
        &config.options,
        remote.as_deref().unwrap_or_default(),
        remote.is_some(),
    )?;
    let mock = match &remote {
        Some(_) => None,
        None => {
            let mock_config = MockConfig {
                faults: config.mock_faults,
                trust: [(config.provider, connection.mock_trust.clone())].into(),
            };
            Some(
                MockServer::start(mock_config)
                    .await
                    .map_err(ExploreError::Mock)?,
            )
        }
    };
    let base_url = remote
        .clone()
        .or_else(|| mock.as_ref().map(MockServer::url))
        .unwrap_or_default();
    let rate = match config.rate {
        Some(rate) if rate <= 0.0 => None,
        Some(rate) => Some(rate),
        None => remote.as_deref().and_then(default_rate),
    };
    let client = Client::new(ClientConfig {
        base_url: base_url.clone(),
        rate,
        max_retries: config.max_retries,
        ..connection.client
    })?;
    let target =
        Target::new(provider, client, config.max_requests).with_state(connection.state.clone());
    let started = Instant::now();
    let mut report = ExploreReport {
        target: remote.unwrap_or_else(|| "the bundled mock".to_owned()),
        seed: config.seed,
        planned: (config.cases, config.max_steps),
        mock_faults: config.mock_faults,
        api_version: provider.api_version(&config.options),
        cleanup: config.cleanup,
        ..ExploreReport::new(provider, base_url)
    };
    match explorer.prepare(&target).await {
        Ok(()) => explore_cases(config, &explorer, &target, &mut report).await,
        Err(stop) => report.stopped = Some(stop),
    }
    if config.cleanup {
        report.cleaned = target.cleanup().await;
    }
    report.requests = target.spent();
    report.elapsed = started.elapsed();
    redact(&mut report, &connection.secrets);
    report.secrets = connection.secrets;
    if let Some(mock) = mock {
        mock.shutdown().await;
    }
    Ok(report)
}

async fn explore_cases<E: Explorer>(
    config: &ExploreConfig,
    explorer: &E,
    target: &Target,
    report: &mut ExploreReport,
) {
    use futures_util::StreamExt as _;
    // The probes first, one after the other: a few requests, whatever the seed.
    for (n, probe) in explorer.probes().into_iter().enumerate() {
        report.probes_run += 1;
        match explorer.execute(target, &probe).await {
            Ok(()) => report.operations += explorer.steps(&probe) as u64,
            Err(stop) => {
                let origin = Origin::Probe(n);
                return stopped(config, explorer, target, report, origin, probe, stop).await;
            }
        }
    }
    let concurrency = config.concurrency.max(1);
    // `concurrency` cases in flight, a new one started as soon as one ends (no batch waits for
    // its slowest case); results are taken in case order, so the first mismatch is the same
    // case whatever the timing.
    let mut runs = futures_util::stream::iter((0..config.cases).map(|case| {
        let seed = case_seed(config.seed, case);
        let mut rng = fastrand::Rng::with_seed(seed);
        let generated = explorer.generate(&mut rng, config.max_steps);
        async move {
            let result = explorer.execute(target, &generated).await;
            (case, seed, generated, result)
        }
    }))
    .buffered(concurrency);
    while let Some((case, seed, generated, result)) = runs.next().await {
        report.cases_run += 1;
        match result {
            Ok(()) => report.operations += explorer.steps(&generated) as u64,
            Err(stop) => {
                // The cases still in flight are dropped: shrinking runs alone.
                drop(runs);
                let origin = Origin::Case { case, seed };
                return stopped(config, explorer, target, report, origin, generated, stop).await;
            }
        }
    }
}

/// A case that stopped the exploration: its mismatch shrunk into the finding, or why it stopped.
async fn stopped<E: Explorer>(
    config: &ExploreConfig,
    explorer: &E,
    target: &Target,
    report: &mut ExploreReport,
    origin: Origin,
    case: E::Case,
    stop: Stop,
) {
    let Stop::Mismatch(mismatch) = stop else {
        report.stopped = Some(stop);
        return;
    };
    report.operations += mismatch.step as u64 + 1;
    let requests_to_find = target.spent();
    let finding = shrink(config, explorer, target, origin, case, *mismatch).await;
    report.finding = Some(Finding {
        requests_to_find,
        ..finding
    });
}

/// Shrinks a failing case: keeps the first smaller candidate that fails the same way, until
/// none does (or the rerun budget is spent).
async fn shrink<E: Explorer>(
    config: &ExploreConfig,
    explorer: &E,
    target: &Target,
    origin: Origin,
    generated: E::Case,
    mismatch: Mismatch,
) -> Finding {
    let original = explorer.steps(&generated);
    let mut best = generated;
    let mut best_mismatch = mismatch;
    let mut runs = 0;
    let title = match origin {
        Origin::Probe(n) => format!("explore {} probe {}", config.provider, n + 1),
        Origin::Case { case, .. } => {
            format!(
                "explore {} seed {} case {case}",
                config.provider, config.seed
            )
        }
    };
    let expressible =
        |c: &E::Case, m: &Mismatch| explorer.scenario(c, m, &title).not_expressible.is_none();
    'outer: loop {
        for candidate in explorer.shrink(&best) {
            if runs >= config.shrink_runs {
                break 'outer;
            }
            runs += 1;
            match explorer.execute(target, &candidate).await {
                Err(Stop::Mismatch(m))
                    if m.kind == best_mismatch.kind
                        && (expressible(&candidate, &m) || !expressible(&best, &best_mismatch)) =>
                {
                    best = candidate;
                    best_mismatch = *m;
                    continue 'outer;
                }
                Err(Stop::Budget) => break 'outer,
                _ => {}
            }
        }
        break;
    }
    // Once more, keeping its requests for the reproduction: the diff, the Request-Id and the
    // curl commands then all come from the same run.
    let rerun = Instant::now();
    target.record();
    let again = explorer.execute(target, &best).await;
    let exchanges = target.recorded();
    let elapsed = rerun.elapsed();
    let exchanges = match again {
        Err(Stop::Mismatch(m)) if m.kind == best_mismatch.kind && m.step == best_mismatch.step => {
            best_mismatch = *m;
            exchanges
        }
        _ => Vec::new(),
    };
    let env = config.provider.credential_env();
    let mut reproduction = Vec::new();
    for (e, credential) in &exchanges {
        let authorization = match credential {
            Credential::Public(value) => Authorization::Literal(value),
            Credential::Made { what, .. } => {
                reproduction.push(format!(
                    "# the next request was sent with {what} (a credential: not written here); give it such a token in place of ${env}"
                ));
                Authorization::Env(env)
            }
            Credential::Run | Credential::Missing => Authorization::Env(env),
        };
        reproduction.push(
            crate::report::curl_as(e, target.base_url(), authorization)
                .unwrap_or_else(|error| format!("# {} {}: {error}", e.method, e.path)),
        );
    }
    let exchanges = exchanges.into_iter().map(|(e, _)| e).collect();
    Finding {
        origin,
        steps: (original, explorer.steps(&best)),
        shrink_runs: runs,
        case_text: format!("{best:#?}"),
        scenario: explorer.scenario(&best, &best_mismatch, &title),
        mismatch: best_mismatch,
        requests_to_find: 0,
        exchanges,
        reproduction,
        elapsed,
    }
}

/// Removes every secret from the texts of a report (requests are described without the
/// credential already; this is the belt to those braces).
fn redact(report: &mut ExploreReport, secrets: &[Secret]) {
    let clean = |text: &mut String| {
        for secret in secrets {
            let exposed = secret.expose();
            if !exposed.is_empty() && text.contains(exposed) {
                *text = text.replace(exposed, &secret.to_string());
            }
        }
    };
    if let Some(f) = &mut report.finding {
        clean(&mut f.mismatch.requests);
        clean(&mut f.scenario.text);
        clean(&mut f.case_text);
        f.reproduction.iter_mut().for_each(clean);
    }
    if let Some(Stop::Setup(t) | Stop::Infrastructure(t)) = &mut report.stopped {
        clean(t);
    }
}
