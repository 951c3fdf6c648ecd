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

use crate::client::{Client, ClientConfig, ClientError, Secret};
use crate::mock::{Faults, MockConfig, MockServer};
use crate::report::{self, Outcome, Recorder, RequestLog, ScenarioResult, Tally};
use crate::steps::{Cleanup, ConformanceWorld, RunContext, Target};
use crate::vendor::gr4vy::jwt;
use crate::vendor::stripe::wire::API_VERSION;
use crate::vendor::Provider;
use clauses::ClauseError;
use cucumber::{writer, World as _, WriterExt as _};
use features::{Features, Filter, Parsed};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The key used against the bundled mock when none is configured.
pub const MOCK_API_KEY: &str = "sk_test_checkout_conformance_bundled_mock";

/// Which providers a run covers: `--provider stripe|gr4vy|all`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ProviderChoice {
    /// Stripe's features only.
    Stripe,
    /// Gr4vy's features only.
    Gr4vy,
    /// Both.
    All,
}

impl ProviderChoice {
    /// The providers chosen.
    pub fn providers(self) -> Vec<Provider> {
        match self {
            ProviderChoice::Stripe => vec![Provider::Stripe],
            ProviderChoice::Gr4vy => vec![Provider::Gr4vy],
            ProviderChoice::All => Provider::ALL.to_vec(),
        }
    }
}

/// How the run gets a Gr4vy bearer token: as is, or minted (ES512) from the merchant's key.
#[derive(Debug, Clone, Default)]
pub struct Gr4vyCredentials {
    /// `GR4VY_TOKEN`: a token used as is.
    pub token: Option<Secret>,
    /// `GR4VY_PRIVATE_KEY`: the private key (PEM text, or the path of a file holding it).
    pub private_key: Option<Secret>,
    /// `GR4VY_KEY_ID`: the key's id, the token's `kid`.
    pub key_id: Option<String>,
}

/// Everything a run needs.
#[derive(Debug, Clone)]
pub struct RunConfig {
    /// Which providers' features to run.
    pub provider: ProviderChoice,
    /// The target; `None` starts the bundled mock (which serves both providers).
    pub base_url: Option<String>,
    /// Gr4vy's target when it differs from `base_url`
    /// (`https://api.sandbox.{gr4vy_id}.gr4vy.app`).
    pub gr4vy_base_url: Option<String>,
    /// The Stripe API key; required for a remote Stripe target.
    pub api_key: Option<Secret>,
    /// How to get a Gr4vy token; required for a remote Gr4vy target.
    pub gr4vy: Gr4vyCredentials,
    /// Sent as `Stripe-Version`.
    pub stripe_version: String,
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
            gr4vy_base_url: None,
            api_key: None,
            gr4vy: Gr4vyCredentials::default(),
            stripe_version: API_VERSION.to_owned(),
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
    /// A live-mode key: refused before any request.
    #[error(
        "refusing to run with a live-mode key ({0}): use a test-mode key (sk_test_… or rk_test_…)"
    )]
    LiveKey(Secret),
    /// A remote target without a key.
    #[error("no API key for {0}: set STRIPE_API_KEY (a test-mode key)")]
    MissingKey(String),
    /// A Gr4vy production host: refused before any request.
    #[error("refusing to run against the Gr4vy production host {0}: use the sandbox, https://api.sandbox.{{gr4vy_id}}.gr4vy.app")]
    Gr4vyProduction(String),
    /// A remote Gr4vy target without a token or a key to mint one.
    #[error(
        "no Gr4vy credentials for {0}: set GR4VY_TOKEN, or GR4VY_PRIVATE_KEY (and GR4VY_KEY_ID)"
    )]
    MissingGr4vyCredentials(String),
    /// The Gr4vy key could not be read, or a token could not be minted.
    #[error("cannot mint a Gr4vy token: {0}")]
    Gr4vyToken(String),
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

/// [`run`] on a runtime of its own, with the signal handlers installed first.
pub fn run_blocking(
    config: RunConfig,
    on_finish: impl Fn(&ScenarioResult) + Send + Sync + 'static,
) -> Result<RunReport, RunError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(RunError::Runtime)?;
    runtime.block_on(async {
        let interrupt = Interrupt::install();
        run(config, interrupt, on_finish).await
    })
}

/// Runs the suite once; `on_finish` is called with each scenario as it finishes.
pub async fn run(
    config: RunConfig,
    interrupt: Interrupt,
    on_finish: impl Fn(&ScenarioResult) + Send + Sync + 'static,
) -> Result<RunReport, RunError> {
    let started = std::time::Instant::now();
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
    // Credentials first: a live key or a production host is refused before anything starts.
    let mut credentials = Vec::new();
    for &provider in &providers {
        let remote = config.remote_target(provider).map(str::to_owned);
        credentials.push((
            provider,
            remote.clone(),
            credential(&config, provider, remote.as_deref())?,
        ));
    }
    let mock = start_mock(&config, &credentials).await?;
    let (targets, secrets, unreachable) = connect(&config, credentials, mock.as_ref()).await?;
    let target_names: Vec<String> = targets
        .iter()
        .map(|(p, t)| format!("{p} {}", t.client.base_url()))
        .collect();

    let reports = &config.reports;
    prepare_reports(reports)?;
    let stripe_version = targets
        .contains_key(&Provider::Stripe)
        .then(|| config.stripe_version.clone());
    let requests = RequestLog::create(
        &reports.join("requests.ndjson"),
        secrets,
        stripe_version.clone(),
    )
    .map_err(io(reports))?;
    let context = Arc::new(RunContext::new(targets, Some(requests)));

    let (mut results, interrupted) = if unreachable.is_empty() {
        // The live line knows whether the scenario needed retries (FLKY).
        let retries = context.clone();
        let recorder = Recorder::watching(move |finished| {
            let mut finished = finished.clone();
            finished.retries = retries.retries_of(&finished.key());
            on_finish(&finished);
        });
        let interrupted = run_cucumber(
            &config,
            parsed.clone(),
            steps,
            filter,
            context.clone(),
            recorder.clone(),
            interrupt,
        )
        .await;
        (recorder.results(), interrupted)
    } else {
        (unreachable_results(&planned, &unreachable), false)
    };
    // Every planned scenario is reported: those that never started (Ctrl-C) as not run.
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
        sweep(&context).await
    } else {
        Cleanup::default()
    };
    if let Some(log) = &context.requests {
        log.flush();
    }
    if let Some(mock) = mock {
        mock.shutdown().await;
    }
    for result in &mut results {
        result.retries = context.retries_of(&result.key());
    }
    results.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
    let target = target_names.join(", ");
    let mut header = vec![
        ("targets", target.clone()),
        ("Stripe-Version", config.stripe_version.clone()),
        (
            "tags",
            config.tags.clone().unwrap_or_else(|| "(all)".into()),
        ),
        (
            "mock faults",
            config
                .mock_faults
                .iter()
                .map(|f| f.name())
                .collect::<Vec<_>>()
                .join(", "),
        ),
        ("cleanup", cleanup.describe(config.cleanup)),
        (
            "duration",
            format!("{:.1} s", started.elapsed().as_secs_f64()),
        ),
    ];
    if interrupted {
        header.push((
            "interrupted",
            "a signal (Ctrl-C or SIGTERM) stopped the run: the scenarios that had not finished are \"not run\"".into(),
        ));
    }
    let summary = write_reports(
        reports,
        &header,
        &results,
        &clauses,
        &parsed,
        stripe_version.as_deref(),
    )?;
    Ok(RunReport {
        target,
        results,
        summary,
        interrupted,
        elapsed: started.elapsed(),
    })
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> RunError {
    let path = path.to_owned();
    move |source| RunError::Reports {
        path: path.clone(),
        source,
    }
}

/// Creates the reports directory ([`RunConfig::validate`] refused a file there) and clears the
/// last run's diffs.
fn prepare_reports(reports: &Path) -> Result<(), RunError> {
    std::fs::create_dir_all(reports).map_err(io(reports))?;
    let _ = std::fs::remove_dir_all(reports.join("diffs"));
    Ok(())
}

/// Writes every report from `results`: diffs, junit.xml, summary.md, cucumber.json. Returns
/// where summary.md is.
fn write_reports(
    reports: &Path,
    header: &[(&str, String)],
    results: &[ScenarioResult],
    clauses: &[clauses::Clause],
    features: &[cucumber::gherkin::Feature],
    stripe_version: Option<&str>,
) -> Result<PathBuf, RunError> {
    report::write_diffs(reports, results).map_err(io(reports))?;
    let junit_path = reports.join("junit.xml");
    std::fs::write(&junit_path, report::junit(header, results)).map_err(io(&junit_path))?;
    let json_path = reports.join("cucumber.json");
    let text = report::cucumber_json(features, results, stripe_version);
    std::fs::write(&json_path, text).map_err(io(&json_path))?;
    let summary_path = reports.join("summary.md");
    std::fs::write(
        &summary_path,
        report::summary(header, results, clauses, reports),
    )
    .map_err(io(&summary_path))?;
    Ok(summary_path)
}

/// Starts the bundled mock when a provider has no remote target, trusting the run's own
/// credentials.
async fn start_mock(
    config: &RunConfig,
    credentials: &[(Provider, Option<String>, Credential)],
) -> Result<Option<MockServer>, RunError> {
    if credentials.iter().all(|(_, remote, _)| remote.is_some()) {
        return Ok(None);
    }
    let mut mock_config = MockConfig {
        faults: config.mock_faults,
        ..MockConfig::default()
    };
    for (_, _, credential) in credentials {
        match credential {
            Credential::Stripe(key) => mock_config.api_key = Some(key.expose().to_owned()),
            Credential::Gr4vy { public_key, .. } => {
                mock_config.gr4vy_public_keys.extend(public_key.clone())
            }
        }
    }
    MockServer::start(mock_config)
        .await
        .map(Some)
        .map_err(RunError::Mock)
}

type Connected = (
    BTreeMap<Provider, Target>,
    Vec<Secret>,
    Vec<(Provider, String)>,
);

/// A client per provider, each preflighted: the targets, the secrets to redact, and the
/// providers whose target could not be reached (with why).
async fn connect(
    config: &RunConfig,
    credentials: Vec<(Provider, Option<String>, Credential)>,
    mock: Option<&MockServer>,
) -> Result<Connected, RunError> {
    let mut targets = BTreeMap::new();
    let mut secrets = Vec::new();
    let mut unreachable: Vec<(Provider, String)> = Vec::new();
    for (provider, remote, credential) in credentials {
        let rate = config::effective_rate(config.rate, remote.as_deref());
        let base_url = remote
            .or_else(|| mock.map(MockServer::url))
            .unwrap_or_default();
        let mut signing = None;
        let (client_config, what) = match credential {
            Credential::Stripe(key) => {
                secrets.push(key.clone());
                let client_config = ClientConfig {
                    headers: vec![("stripe-version".to_owned(), config.stripe_version.clone())],
                    ..ClientConfig::stripe(&base_url, key)
                };
                (client_config, "API key")
            }
            Credential::Gr4vy {
                token,
                signing: key,
                ..
            } => {
                secrets.push(token.clone());
                signing = key;
                (ClientConfig::bearer(&base_url, token), "bearer token")
            }
        };
        let client = Client::new(ClientConfig {
            rate,
            max_retries: config.max_retries,
            ..client_config
        })?;
        let schemas = provider.schemas();
        match preflight::check(provider, &client, what).await {
            Ok(()) => {}
            Err(preflight::Preflight::Unreachable(error)) => {
                eprintln!("error: {error}");
                unreachable.push((provider, error));
            }
            Err(preflight::Preflight::Refused(error)) => return Err(error),
        }
        targets.insert(
            provider,
            Target {
                client,
                schemas,
                signing,
            },
        );
    }
    Ok((targets, secrets, unreachable))
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
                .tee::<ConformanceWorld, _>(recorder)
                .normalized();
            run_with(config, features, steps, filter, context, console).await
        } else {
            // The recorder takes events as they come (interleaved across the concurrent
            // scenarios): no normalization (buffering and reordering) needed.
            run_with(
                config,
                features,
                steps,
                filter,
                context,
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
    cucumber_writer: Wr,
) where
    Wr: cucumber::Writer<ConformanceWorld> + writer::Normalized + 'static,
    Wr::Cli: Default,
{
    let cleanup = config.cleanup;
    let cucumber: cucumber::Cucumber<ConformanceWorld, _, PathBuf, _, _> =
        cucumber::Cucumber::new();
    cucumber
        .steps(steps)
        .with_parser(Parsed)
        .max_concurrent_scenarios(config.concurrency.max(1))
        .with_writer(cucumber_writer)
        .with_default_cli()
        .before(move |feature, rule, scenario, world| {
            let provider = Provider::from_tags(scenario_tags(feature, rule, scenario))
                .unwrap_or(Provider::Stripe);
            world.attach(
                context.clone(),
                provider,
                ScenarioResult::key_of(&feature.name, &scenario.name),
            );
            Box::pin(async {})
        })
        .after(move |_, _, _, _, world| {
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

/// How the run authenticates to one provider.
enum Credential {
    /// A Stripe test-mode key.
    Stripe(Secret),
    /// A Gr4vy bearer token; `public_key` is set when the token was minted with a key of the
    /// run's own, so the bundled mock can verify its signature; `signing` when the run can mint
    /// more tokens (expired ones, ones without a scope) for the authentication scenarios.
    Gr4vy {
        token: Secret,
        public_key: Option<String>,
        signing: Option<(jwt::SigningKey, String)>,
    },
}

/// The credential for `provider`, refusing live-mode keys and production hosts.
fn credential(
    config: &RunConfig,
    provider: Provider,
    remote: Option<&str>,
) -> Result<Credential, RunError> {
    match provider {
        Provider::Stripe => {
            let key = match (&config.api_key, remote) {
                (Some(key), _) => key.clone(),
                (None, None) => Secret::new(MOCK_API_KEY),
                (None, Some(url)) => return Err(RunError::MissingKey(url.to_owned())),
            };
            if ["sk_live_", "rk_live_"]
                .iter()
                .any(|p| key.expose().starts_with(p))
            {
                return Err(RunError::LiveKey(key));
            }
            Ok(Credential::Stripe(key))
        }
        Provider::Gr4vy => {
            if let Some(url) = remote.filter(|u| is_gr4vy_production(u)) {
                return Err(RunError::Gr4vyProduction(url.to_owned()));
            }
            gr4vy_credential(&config.gr4vy, remote)
        }
    }
}

/// Gr4vy's token: `GR4VY_TOKEN` as is; else minted from `GR4VY_PRIVATE_KEY` (and
/// `GR4VY_KEY_ID`, by default the key's thumbprint, as Gr4vy's SDKs do); else, for the bundled
/// mock only, minted with a key generated for this run, whose public half the mock then
/// verifies signatures with.
fn gr4vy_credential(
    credentials: &Gr4vyCredentials,
    remote: Option<&str>,
) -> Result<Credential, RunError> {
    let scopes = [jwt::READ_SCOPE, jwt::WRITE_SCOPE];
    let failed = |e: jwt::JwtError| RunError::Gr4vyToken(e.to_string());
    let source = jwt::TokenSource::from_values(
        credentials.token.as_ref().map(Secret::expose),
        credentials.private_key.as_ref().map(Secret::expose),
        credentials.key_id.as_deref(),
    )
    .map_err(failed)?;
    let (source, public_key) = match (source, remote) {
        (Some(source), _) => (source, None),
        (None, Some(url)) => return Err(RunError::MissingGr4vyCredentials(url.to_owned())),
        (None, None) => {
            let key = jwt::SigningKey::generate();
            let public_key = key.public_key_pem();
            let source = jwt::TokenSource::Mint {
                key_id: key.thumbprint().to_owned(),
                key,
                lifetime: jwt::DEFAULT_LIFETIME,
            };
            (source, Some(public_key))
        }
    };
    let token = source.token(&scopes).map_err(failed)?;
    let signing = match source {
        jwt::TokenSource::Mint { key, key_id, .. } => Some((key, key_id)),
        jwt::TokenSource::Static(_) => None,
    };
    Ok(Credential::Gr4vy {
        token,
        public_key,
        signing,
    })
}

/// A Gr4vy API host that is not a sandbox: `api.{id}.gr4vy.app` (sandboxes are
/// `api.sandbox.{id}.gr4vy.app`).
///
/// ```
/// use checkout_conformance::runner::is_gr4vy_production;
/// assert!(is_gr4vy_production("https://api.acme.gr4vy.app"));
/// assert!(!is_gr4vy_production("https://api.sandbox.acme.gr4vy.app"));
/// assert!(!is_gr4vy_production("http://127.0.0.1:12111"));
/// ```
pub fn is_gr4vy_production(url: &str) -> bool {
    let host = reqwest::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
        .unwrap_or_default();
    host.ends_with(".gr4vy.app") && !host.starts_with("api.sandbox.")
}
