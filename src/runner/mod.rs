//! The engine behind `checkout-conformance run` and `cargo test --test conformance`: checks the
//! configuration and the features, starts the bundled mock when no target is given, runs the
//! features with cucumber, and writes the reports.
//!
//! The stages of a run, each its own function: configure (clauses, tags, credentials), load the
//! features and dry-run them (authoring mistakes stop the run before any request), start the
//! bundled mock when no target is given, preflight each target, run the scenarios, report.
//!
//! Exit codes ([`exit_code`]): 0 every scenario passed or was not applicable; 1 at least one
//! failed (a documented behaviour differs); 2 the run could not be made (configuration,
//! authoring, preflight) or nothing failed but something was setup-failed or an infrastructure
//! error; 130 interrupted (Ctrl-C or SIGTERM), with the reports written.

pub mod clauses;
mod config;
mod features;
mod interrupt;
mod preflight;

pub use interrupt::Interrupt;

pub use config::{default_rate, ConfigError};
pub(crate) use features::scenario_steps;
pub use features::scenario_tags;

use crate::client::{Client, ClientConfig, ClientError, Exchange, Secret};
use crate::mock::{Faults, MockConfig, MockServer};
use crate::report::{self, Outcome, Recorder, RequestLog, ScenarioResult, Tally};
use crate::steps::{Cleanup, ConformanceWorld, RunContext, Target};
use crate::vendor::{Connection, CredentialError, Provider, TargetOptions};
use clauses::ClauseError;
use cucumber::{writer, World as _, WriterExt as _};
use features::{Features, Filter, Parsed};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Which providers a run covers: `--provider <tag>|all` (`stripe`, `gr4vy`, `all`).
///
/// ```
/// use checkout_conformance::runner::ProviderChoice;
/// use checkout_conformance::vendor::Provider;
/// use clap::ValueEnum;
/// assert_eq!(ProviderChoice::from_str("gr4vy", false), Ok(ProviderChoice::One(Provider::Gr4vy)));
/// assert_eq!(ProviderChoice::All.providers(), Provider::ALL);
/// assert_eq!(ProviderChoice::One(Provider::Stripe).to_string(), "stripe");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProviderChoice {
    /// One provider's features only.
    One(Provider),
    /// Every provider's.
    All,
}

impl ProviderChoice {
    /// The providers chosen.
    pub fn providers(self) -> Vec<Provider> {
        match self {
            ProviderChoice::One(provider) => vec![provider],
            ProviderChoice::All => Provider::ALL.to_vec(),
        }
    }

    /// The choice's name on the command line: a provider's tag, or `all`.
    pub fn name(self) -> &'static str {
        match self {
            ProviderChoice::One(provider) => provider.tag(),
            ProviderChoice::All => "all",
        }
    }
}

impl std::fmt::Display for ProviderChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl clap::ValueEnum for ProviderChoice {
    fn value_variants<'a>() -> &'a [Self] {
        static CHOICES: std::sync::LazyLock<Vec<ProviderChoice>> = std::sync::LazyLock::new(|| {
            Provider::ALL
                .iter()
                .map(|&p| ProviderChoice::One(p))
                .chain([ProviderChoice::All])
                .collect()
        });
        &CHOICES
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        Some(clap::builder::PossibleValue::new(self.name()))
    }
}

/// Everything a run needs.
#[derive(Debug, Clone)]
pub struct RunConfig {
    /// Which providers' features to run.
    pub provider: ProviderChoice,
    /// The target; `None` starts the bundled mock (which serves every provider).
    pub base_url: Option<String>,
    /// Each provider's own options: its own base URL (instead of `base_url`), credentials, API
    /// version. A provider without an entry has none: the bundled mock and its default key.
    pub vendors: BTreeMap<Provider, TargetOptions>,
    /// A cucumber tag expression (`@metadata and not @slow`).
    pub tags: Option<String>,
    /// Where reports are written.
    pub reports: PathBuf,
    /// How many scenarios run at once.
    pub concurrency: usize,
    /// The features directory (with `CLAUSES.md`).
    pub features: PathBuf,
    /// Faults to inject into the bundled mock (refused for a provider with a base URL).
    pub mock_faults: Faults,
    /// Print each step (cucumber's console output) rather than only the summary.
    pub verbose: bool,
    /// Expire (Stripe) or delete (Gr4vy) every session the run created, at the end.
    pub cleanup: bool,
    /// Requests per second across all scenarios; `None`: [`default_rate`] of the target
    /// ([`REMOTE_RATE`], unlimited on loopback), unlimited against the bundled mock; 0: unlimited.
    pub rate: Option<f64>,
    /// Retries of a request on a connection error, a timeout, a 429 or a 5xx.
    pub max_retries: u32,
}

/// The default request rate against a remote target: Stripe's sandbox allows about 25/s.
pub const REMOTE_RATE: f64 = 20.0;

impl Default for RunConfig {
    fn default() -> Self {
        RunConfig {
            provider: ProviderChoice::All,
            base_url: None,
            vendors: BTreeMap::new(),
            tags: None,
            reports: PathBuf::from("reports"),
            concurrency: 16,
            features: PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/features")),
            mock_faults: Faults::NONE,
            verbose: false,
            cleanup: true,
            rate: None,
            max_retries: 3,
        }
    }
}

/// Why a run could not be made. Every variant says where.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// An option out of range or contradicting another (names the option).
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A credential refused or missing (a live-mode key, a production host, no key for a
    /// remote target): found before any request.
    #[error(transparent)]
    Credential(#[from] CredentialError),
    /// The clause list is unreadable or malformed.
    #[error(transparent)]
    Clauses(#[from] ClauseError),
    /// A feature file does not parse, or its tags do not name known clauses.
    #[error("{location}: {message}")]
    Feature { location: String, message: String },
    /// Mistakes in the feature files, found by the dry run before any request.
    #[error("{} mistake(s) in the feature files, found before any request:\n{}", .0.len(), .0.iter().map(|e| format!("  {e}")).collect::<Vec<_>>().join("\n"))]
    Authoring(Vec<crate::steps::AuthoringError>),
    /// The preflight request showed the target refuses the credential.
    #[error("the target rejected the {what} {credential}: {provider} answered {status} to {request}\n{body}")]
    CredentialRejected {
        provider: Provider,
        what: &'static str,
        credential: String,
        status: u16,
        request: String,
        body: String,
    },
    /// The preflight request showed the target does not speak the provider's API.
    #[error("{url} does not speak {}'s API: {detail}", provider.display_name())]
    ForeignApi {
        provider: Provider,
        url: String,
        detail: String,
    },
    /// The tag expression does not parse.
    #[error("invalid tag expression `{expression}`: {message}")]
    Tags { expression: String, message: String },
    /// No scenario matched the provider and tags.
    #[error("no scenario matches provider `{provider}` and tags `{tags}`")]
    NothingToRun { provider: String, tags: String },
    /// The target could not be reached before the run started.
    #[error("the target cannot be used: {0}")]
    Target(#[from] ClientError),
    /// The bundled mock could not start.
    #[error("cannot start the bundled mock: {0}")]
    Mock(std::io::Error),
    /// A report could not be written.
    #[error("cannot write reports to {path}: {source}")]
    Reports {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The async runtime could not start.
    #[error("cannot start the async runtime: {0}")]
    Runtime(std::io::Error),
}

/// What a run found.
#[derive(Debug, Clone)]
pub struct RunReport {
    /// The target's base URL (the bundled mock's when none was given).
    pub target: String,
    /// Every scenario planned, in order, with its outcome.
    pub results: Vec<ScenarioResult>,
    /// Where `summary.md` was written.
    pub summary: PathBuf,
    /// Whether a signal (Ctrl-C, SIGTERM) stopped the run.
    pub interrupted: bool,
    /// How long the run took.
    pub elapsed: std::time::Duration,
}

impl RunReport {
    /// The counts of every outcome.
    pub fn tally(&self) -> Tally {
        Tally::of(self.results.iter().map(|r| &r.outcome))
    }

    /// The exit code of this run: 130 when interrupted, else [`Tally::exit_code`].
    pub fn exit_code(&self) -> u8 {
        if self.interrupted {
            130
        } else {
            self.tally().exit_code()
        }
    }
}

/// The process exit code for a run's result: 0, 1, 2 or 130 (see the module documentation).
pub fn exit_code(result: &Result<RunReport, RunError>) -> u8 {
    match result {
        Err(_) => 2,
        Ok(report) => report.exit_code(),
    }
}

/// Who follows a run as it goes (the console): told how many scenarios will run, then each
/// scenario as it finishes. A closure taking a [`ScenarioResult`] is one.
///
/// ```
/// use checkout_conformance::runner::Watch;
/// use checkout_conformance::report::ScenarioResult;
/// fn takes(_: impl Watch) {}
/// takes(|finished: &ScenarioResult| println!("{}", finished.scenario));
/// ```
pub trait Watch: Send + Sync + 'static {
    /// `total` scenarios are about to run (called once, after the preflight).
    fn planned(&self, total: usize) {
        let _ = total;
    }
    /// A scenario finished.
    fn finished(&self, result: &ScenarioResult);
}

impl<F: Fn(&ScenarioResult) + Send + Sync + 'static> Watch for F {
    fn finished(&self, result: &ScenarioResult) {
        self(result)
    }
}

/// [`run`] on a runtime of its own, with the signal handlers installed first.
pub fn run_blocking(config: RunConfig, on_finish: impl Watch) -> Result<RunReport, RunError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(RunError::Runtime)?;
    runtime.block_on(async {
        let interrupt = Interrupt::install();
        run(config, interrupt, on_finish).await
    })
}

/// Runs the suite once; `on_finish` is told how many scenarios will run, then each as it
/// finishes.
///
/// The stages, each its own function: `configure` (options, clauses, features, dry run),
/// `authenticate` (every credential settled, live keys and production hosts refused),
/// `start_mock`, `connect` (a client per provider, each preflighted), `run_scenarios`,
/// `conclude` (every planned scenario accounted for, sessions cleaned up) and `write_reports`.
pub async fn run(
    config: RunConfig,
    interrupt: Interrupt,
    on_finish: impl Watch,
) -> Result<RunReport, RunError> {
    let started = std::time::Instant::now();
    let started_at = std::time::SystemTime::now();
    let plan = configure(&config)?;
    let connections = authenticate(&config, &plan.providers)?;
    let mock = start_mock(&config, &connections).await?;
    let connected = connect(&config, connections, mock.as_ref()).await?;
    prepare_reports(&config.reports)?;
    let requests = request_log(
        &config.reports,
        connected.secrets.clone(),
        connected.versions.clone(),
    )?;
    let context = Arc::new(RunContext::new(connected.targets, Some(requests)));
    on_finish.planned(plan.planned.len());
    let recorder = watching(&context, on_finish);
    let (results, interrupted) = if connected.unreachable.is_empty() {
        run_scenarios(&config, &plan, context.clone(), recorder.clone(), interrupt).await
    } else {
        (
            unreachable_results(&plan.planned, &connected.unreachable),
            false,
        )
    };
    let (results, cleanup) = conclude(&config, plan.planned, results, &context, &recorder).await;
    if let Some(mock) = mock {
        mock.shutdown().await;
    }
    let target = connected.names.join(", ");
    let mut header = vec![
        ("targets", target.clone()),
        ("started", report::timestamp(started_at)),
    ];
    for (provider, version) in &connected.versions {
        if let Some(name) = provider.vendor().api_version_header() {
            header.push((name, version.clone()));
        }
    }
    header.extend([
        (
            "tags",
            config.tags.clone().unwrap_or_else(|| "(all)".into()),
        ),
        ("mock faults", config.mock_faults.to_string()),
        ("cleanup", cleanup.describe(config.cleanup)),
        (
            "duration",
            format!("{:.1} s", started.elapsed().as_secs_f64()),
        ),
    ]);
    if interrupted {
        header.push((
            "interrupted",
            "a signal (Ctrl-C or SIGTERM) stopped the run: the scenarios that had not finished are \"not run\"".into(),
        ));
    }
    let exit_code = if interrupted {
        130
    } else {
        Tally::of(results.iter().map(|r| &r.outcome)).exit_code()
    };
    let summary = write_reports(
        &config.reports,
        &header,
        &results,
        &plan.clauses,
        &plan.parsed,
        &connected.versions,
        exit_code,
    )?;
    Ok(RunReport {
        target,
        results,
        summary,
        interrupted,
        elapsed: started.elapsed(),
    })
}

/// What a run will do, known before anything starts: the providers, the clauses, the parsed
/// features and the scenarios planned, the step definitions (matched once by the dry run).
struct Plan {
    providers: Vec<Provider>,
    clauses: Vec<clauses::Clause>,
    parsed: Vec<cucumber::gherkin::Feature>,
    planned: Vec<ScenarioResult>,
    filter: Filter,
    steps: cucumber::step::Collection<ConformanceWorld>,
}

/// Stage 1: checks the options, reads the clause list and the features, and dry-runs the
/// scenarios: authoring mistakes stop the run before any request.
fn configure(config: &RunConfig) -> Result<Plan, RunError> {
    config.validate()?;
    let providers = config.provider.providers();
    let clauses = clauses::load(&config.features.join("CLAUSES.md"))?;
    let filter = Filter::new(&providers, config.tags.as_deref())?;
    let Features { parsed, planned } = features::load(&config.features, &clauses, &filter)?;
    if planned.is_empty() {
        return Err(RunError::NothingToRun {
            provider: providers
                .iter()
                .map(|p| p.tag())
                .collect::<Vec<_>>()
                .join(", "),
            tags: config.tags.clone().unwrap_or_default(),
        });
    }
    let steps = ConformanceWorld::collection();
    let mistakes = features::dry_run(&steps, &parsed, &filter);
    if !mistakes.is_empty() {
        return Err(RunError::Authoring(mistakes));
    }
    Ok(Plan {
        providers,
        clauses,
        parsed,
        planned,
        filter,
        steps,
    })
}

/// One provider's settled credential, and its remote target (`None`: the bundled mock).
struct Authenticated {
    provider: Provider,
    remote: Option<String>,
    connection: Connection,
}

/// Stage 2: settles every provider's credential before anything starts: a live-mode key or a
/// production host is refused here, before the mock starts or a request is sent.
fn authenticate(
    config: &RunConfig,
    providers: &[Provider],
) -> Result<Vec<Authenticated>, RunError> {
    providers
        .iter()
        .map(|&provider| {
            let remote = config.remote_target(provider).map(str::to_owned);
            // The bundled mock's URL is not known yet: the connection is re-pointed at it.
            let base_url = remote.clone().unwrap_or_default();
            let connection = provider.vendor().connect(
                &config.options(provider),
                &base_url,
                remote.is_some(),
            )?;
            Ok(Authenticated {
                provider,
                remote,
                connection,
            })
        })
        .collect()
}

/// The recorder of a run's results, telling `on_finish` of each scenario as it finishes (with
/// the retries its requests needed: the live line marks it FLKY).
fn watching(context: &Arc<RunContext>, on_finish: impl Watch) -> Recorder {
    let retries = context.clone();
    Recorder::watching(move |finished| {
        let mut finished = finished.clone();
        finished.retries = retries.retries_of(&finished.key());
        on_finish.finished(&finished);
    })
}

/// Stage 4: runs the planned scenarios with cucumber into `recorder`; returns their results and
/// whether a signal stopped the run.
async fn run_scenarios(
    config: &RunConfig,
    plan: &Plan,
    context: Arc<RunContext>,
    recorder: Recorder,
    interrupt: Interrupt,
) -> (Vec<ScenarioResult>, bool) {
    let interrupted = run_cucumber(
        config,
        plan.parsed.clone(),
        plan.steps.clone(),
        plan.filter.clone(),
        context,
        recorder.clone(),
        interrupt,
    )
    .await;
    (recorder.results(), interrupted)
}

/// Stage 5: every planned scenario accounted for (those that never started, after Ctrl-C, as
/// not run), in file order, with its retries; the sessions the scenarios left open closed.
async fn conclude(
    config: &RunConfig,
    planned: Vec<ScenarioResult>,
    mut results: Vec<ScenarioResult>,
    context: &Arc<RunContext>,
    recorder: &Recorder,
) -> (Vec<ScenarioResult>, Cleanup) {
    let mut ran: HashMap<(Option<PathBuf>, usize), ScenarioResult> = results
        .drain(..)
        .map(|r| ((r.path.clone(), r.line), r))
        .collect();
    results.extend(
        planned
            .into_iter()
            .map(|plan| ran.remove(&(plan.path.clone(), plan.line)).unwrap_or(plan)),
    );
    let cleanup = if config.cleanup {
        sweep(context).await
    } else {
        Cleanup::default()
    };
    if let Some(log) = &context.requests {
        log.flush();
    }
    for result in &mut results {
        let key = result.key();
        result.retries = context.retries_of(&key);
        if let Some(log) = &context.requests {
            result.requests = log.take(&key);
        }
        reproduce(result, recorder.take_request_under_test(&key), context);
    }
    results.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    (results, cleanup)
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> RunError {
    let path = path.to_owned();
    move |source| RunError::Reports {
        path: path.clone(),
        source,
    }
}

/// Creates `requests.ndjson` in `reports`, redacting `secrets`.
pub(crate) fn request_log(
    reports: &Path,
    secrets: Vec<Secret>,
    versions: BTreeMap<Provider, String>,
) -> Result<RequestLog, RunError> {
    RequestLog::create(&reports.join("requests.ndjson"), secrets, versions).map_err(io(reports))
}

/// Creates the reports directory ([`RunConfig::validate`] refused a file there) and clears the
/// last run's diffs.
pub(crate) fn prepare_reports(reports: &Path) -> Result<(), RunError> {
    std::fs::create_dir_all(reports).map_err(io(reports))?;
    let _ = std::fs::remove_dir_all(reports.join("diffs"));
    Ok(())
}

/// Writes every report from `results`: diffs, index.html, junit.xml, summary.md, cucumber.json. Returns
/// where summary.md is.
pub(crate) fn write_reports(
    reports: &Path,
    header: &[(&str, String)],
    results: &[ScenarioResult],
    clauses: &[clauses::Clause],
    features: &[cucumber::gherkin::Feature],
    versions: &BTreeMap<Provider, String>,
    exit_code: u8,
) -> Result<PathBuf, RunError> {
    report::write_diffs(reports, results).map_err(io(reports))?;
    let html_path = reports.join("index.html");
    let info = report::html::RunInfo { header, exit_code };
    std::fs::write(
        &html_path,
        report::html::html(info, features, results, clauses),
    )
    .map_err(io(&html_path))?;
    let junit_path = reports.join("junit.xml");
    std::fs::write(&junit_path, report::junit(header, results)).map_err(io(&junit_path))?;
    let json_path = reports.join("cucumber.json");
    let text = report::cucumber_json(features, results, versions);
    std::fs::write(&json_path, text).map_err(io(&json_path))?;
    let summary_path = reports.join("summary.md");
    std::fs::write(
        &summary_path,
        report::summary(header, results, clauses, reports),
    )
    .map_err(io(&summary_path))?;
    Ok(summary_path)
}

/// Stage 3: starts the bundled mock when a provider has no remote target, trusting the run's
/// own credentials.
async fn start_mock(
    config: &RunConfig,
    authenticated: &[Authenticated],
) -> Result<Option<MockServer>, RunError> {
    if authenticated.iter().all(|a| a.remote.is_some()) {
        return Ok(None);
    }
    let mut mock_config = MockConfig {
        faults: config.mock_faults,
        ..MockConfig::default()
    };
    for a in authenticated {
        mock_config
            .trust
            .entry(a.provider)
            .or_default()
            .extend(a.connection.mock_trust.iter().cloned());
    }
    MockServer::start(mock_config)
        .await
        .map(Some)
        .map_err(RunError::Mock)
}

/// The providers' targets, connected.
struct Connected {
    targets: BTreeMap<Provider, Target>,
    /// Every secret, redacted from every report.
    secrets: Vec<Secret>,
    /// The providers whose target could not be reached, with why.
    unreachable: Vec<(Provider, String)>,
    /// `provider URL`, for the reports' header.
    names: Vec<String>,
    /// The API version of each provider that versions per request.
    versions: BTreeMap<Provider, String>,
}

/// Stage 3b: a client per provider, each preflighted.
async fn connect(
    config: &RunConfig,
    authenticated: Vec<Authenticated>,
    mock: Option<&MockServer>,
) -> Result<Connected, RunError> {
    let mut connected = Connected {
        targets: BTreeMap::new(),
        secrets: Vec::new(),
        unreachable: Vec::new(),
        names: Vec::new(),
        versions: BTreeMap::new(),
    };
    for Authenticated {
        provider,
        remote,
        connection,
    } in authenticated
    {
        let rate = config::effective_rate(config.rate, remote.as_deref());
        let base_url = remote
            .or_else(|| mock.map(MockServer::url))
            .unwrap_or_default();
        let client = Client::new(ClientConfig {
            base_url,
            rate,
            max_retries: config.max_retries,
            ..connection.client
        })?;
        connected.secrets.extend(connection.secrets);
        if let Some(version) = provider.api_version(&config.options(provider)) {
            connected.versions.insert(provider, version);
        }
        match preflight::check(provider, &client, connection.credential_kind).await {
            Ok(()) => {}
            Err(preflight::Preflight::Unreachable(error)) => {
                eprintln!("error: {error}");
                connected.unreachable.push((provider, error));
            }
            Err(preflight::Preflight::Refused(error)) => return Err(error),
        }
        connected
            .names
            .push(format!("{provider} {}", client.base_url()));
        connected.targets.insert(
            provider,
            Target {
                client,
                schemas: provider.schemas(),
                state: connection.state,
            },
        );
    }
    Ok(connected)
}

/// Runs the features with cucumber, recording results; returns whether a signal stopped the
/// run before it finished.
async fn run_cucumber(
    config: &RunConfig,
    features: Vec<cucumber::gherkin::Feature>,
    steps: cucumber::step::Collection<ConformanceWorld>,
    filter: Filter,
    context: Arc<RunContext>,
    recorder: Recorder,
    mut interrupt: Interrupt,
) -> bool {
    let run = async {
        if config.verbose {
            let console = writer::Basic::raw(std::io::stdout(), writer::Coloring::Auto, 0)
                .summarized()
                .tee::<ConformanceWorld, _>(recorder.clone())
                .normalized();
            run_with(config, features, steps, filter, context, recorder, console).await
        } else {
            // The recorder takes events as they come (interleaved across the concurrent
            // scenarios): no normalization (buffering and reordering) needed.
            run_with(
                config,
                features,
                steps,
                filter,
                context,
                recorder.clone(),
                recorder.assert_normalized(),
            )
            .await
        }
    };
    tokio::select! {
        _ = run => false,
        _ = interrupt.wait() => {
            eprintln!("interrupted: cleaning up the sessions this run created, then writing the reports");
            true
        }
    }
}

async fn run_with<Wr>(
    config: &RunConfig,
    features: Vec<cucumber::gherkin::Feature>,
    steps: cucumber::step::Collection<ConformanceWorld>,
    filter: Filter,
    context: Arc<RunContext>,
    recorder: Recorder,
    cucumber_writer: Wr,
) where
    Wr: cucumber::Writer<ConformanceWorld> + writer::Normalized + 'static,
    Wr::Cli: Default,
{
    let cleanup = config.cleanup;
    let log = context.clone();
    let cucumber: cucumber::Cucumber<ConformanceWorld, _, PathBuf, _, _> =
        cucumber::Cucumber::new();
    cucumber
        .steps(steps)
        .with_parser(Parsed)
        .max_concurrent_scenarios(config.concurrency.max(1))
        .with_writer(cucumber_writer)
        .with_default_cli()
        .before(move |feature, rule, scenario, world| {
            // Every scenario names its provider: the features were checked when loaded.
            if let Some(provider) = Provider::from_tags(scenario_tags(feature, rule, scenario)) {
                world.attach(
                    context.clone(),
                    provider,
                    ScenarioResult::key_of(&feature.name, &scenario.name),
                );
            }
            Box::pin(async {})
        })
        .after(move |feature, _, scenario, _, world| {
            // The request under test, before the cleanup's requests: the When step's, else
            // the last one sent (the step that stopped the scenario sent it).
            let key = ScenarioResult::key_of(&feature.name, &scenario.name);
            let under_test = world
                .as_deref()
                .and_then(ConformanceWorld::request_under_test)
                .cloned()
                .or_else(|| log.requests.as_ref().and_then(|l| l.last(&key)));
            if let Some(exchange) = under_test {
                recorder.note_request_under_test(key, exchange);
            }
            Box::pin(async move {
                // Each scenario closes its own sessions as it ends, failed or not.
                if let (true, Some(world)) = (cleanup, world) {
                    world.close_own_sessions().await;
                }
            })
        })
        .filter_run(features, move |feature, rule, scenario| {
            filter.matches(feature, rule, scenario)
        })
        .await;
}

/// Sets the reproduction of a scenario a step failed (`curl` repeating `under_test` against
/// its provider's target) and adds it to the failure's message, so that every report carries it.
fn reproduce(result: &mut ScenarioResult, under_test: Option<Exchange>, context: &RunContext) {
    let (Some(exchange), Some(provider)) = (under_test, result.provider()) else {
        return;
    };
    let Some(target) = context.targets.get(&provider) else {
        return;
    };
    let Some(message) = result.outcome.failure_message_mut() else {
        return;
    };
    let command = report::curl(
        &exchange,
        target.client.base_url(),
        provider.credential_env(),
    )
    .unwrap_or_else(|e| format!("(no reproduction: {e})"));
    message.push('\n');
    message.push_str(&report::reproduce_with(
        provider.credential_env(),
        std::slice::from_ref(&command),
    ));
    result.reproduction = Some(command);
}

/// Every planned scenario as an infrastructure error: its provider's target could not be reached.
fn unreachable_results(
    planned: &[ScenarioResult],
    unreachable: &[(Provider, String)],
) -> Vec<ScenarioResult> {
    planned
        .iter()
        .filter_map(|p| {
            let provider = Provider::from_tags(p.tags.iter().map(String::as_str))?;
            let (_, error) = unreachable.iter().find(|(u, _)| *u == provider)?;
            let mut result = p.clone();
            result.outcome = Outcome::Infrastructure(format!(
                "the scenario was not run: the target could not be reached: {error}"
            ));
            Some(result)
        })
        .collect()
}

/// Closes what the scenarios' own `after` hooks did not (a run stopped by Ctrl-C, a hook that
/// never ran), sixteen at a time; returns what the whole run's cleanup did.
async fn sweep(context: &Arc<RunContext>) -> Cleanup {
    let open = context.unclosed_sessions();
    for batch in open.chunks(16) {
        let mut closing = tokio::task::JoinSet::new();
        for (provider, id) in batch.iter().cloned() {
            let context = context.clone();
            closing.spawn(async move { context.close(provider, &id, "cleanup").await });
        }
        while closing.join_next().await.is_some() {}
    }
    context.cleanup()
}
