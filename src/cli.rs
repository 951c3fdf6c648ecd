//! The `checkout-conformance` command line.
//!
//! ```text
//! checkout-conformance run [--provider stripe|gr4vy|all] [--base-url URL] [--tags EXPR] [--reports DIR] [--concurrency N]
//! checkout-conformance mock [--addr 127.0.0.1:12111] [--fault NAME]... [--api-key KEY]
//!                           [--gr4vy-public-key PEM-OR-PATH]...
//! checkout-conformance mock --list-faults
//! checkout-conformance explore --provider stripe|gr4vy [--base-url URL] [--seed N] [--cases N] [--max-steps N] [--max-requests N]
//! ```
//!
//! Exit codes of `run`: 0 every scenario passed or was not applicable; 1 at least one failed;
//! 2 the run could not be made (configuration, authoring, preflight) or nothing failed but
//! something was setup-failed or an infrastructure error; 130 interrupted.
//! Exit codes of `mock`: 0 stopped by Ctrl-C; 2 bad arguments or the address is in use.

use crate::mock::{Fault, MockConfig, MockServer};
use crate::report::{Outcome, ScenarioResult, Tally};
use crate::runner::{self, ProviderChoice, RunConfig, RunReport};
use crate::vendor::{Provider, TargetOptions};
use clap::{Parser, Subcommand};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

/// Contract/conformance harness for the "Update a Checkout Session" APIs.
#[derive(Debug, Parser)]
#[command(name = "checkout-conformance", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// What to do.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the conformance suite against a target (the bundled mock when no --base-url).
    Run(Box<RunArgs>),
    /// Run the bundled reference mock until interrupted (Ctrl-C).
    Mock(MockArgs),
    /// Generate operation sequences, check them against a model of the documentation, shrink
    /// a mismatch to a scenario of the suite.
    ///
    /// Before the generated cases, a probe case sends what they never send: updates without a
    /// valid credential, and of a session that does not exist.
    Explore(Box<crate::explore::cli::ExploreArgs>),
}

/// `checkout-conformance run`, and the flags of `cargo test --test conformance -- ...`.
#[derive(Debug, Clone, clap::Args)]
pub struct RunArgs {
    /// Which vendors' features to run: stripe, gr4vy or all.
    #[arg(long, env = "CONFORMANCE_PROVIDER", value_enum, default_value = "all")]
    pub provider: ProviderChoice,
    /// The targets, the vendors' credentials and API version.
    #[command(flatten)]
    pub credentials: CredentialArgs,
    /// Tag expression selecting scenarios, e.g. "@metadata and not @line_items".
    #[arg(long, short = 't')]
    pub tags: Option<String>,
    /// Where the reports are written.
    #[arg(long, env = "CONFORMANCE_REPORTS", default_value = "reports")]
    pub reports: PathBuf,
    /// How many scenarios run at once (at least 1).
    #[arg(long, default_value_t = 16)]
    pub concurrency: usize,
    /// The features directory (holding CLAUSES.md).
    #[arg(long, env = "CONFORMANCE_FEATURES", default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/features"))]
    pub features: PathBuf,
    /// Break one documented behaviour of the bundled mock (repeatable): proves the suite notices.
    /// Refused when that provider's scenarios run against --base-url or are not chosen.
    #[arg(long = "mock-fault", value_name = "NAME")]
    pub mock_faults: Vec<Fault>,
    /// Print every step as it runs.
    #[arg(long, short = 'v')]
    pub verbose: bool,
    /// Colour on the console: auto (on a terminal, unless NO_COLOR is set), always or never.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
    /// Requests per second across all scenarios (every retry counts). Default: 20 against a remote
    /// host (Stripe's sandbox allows about 25), unlimited against the bundled mock and any
    /// loopback target (127.0.0.0/8, ::1, localhost); 0: no limit.
    #[arg(long, env = "CONFORMANCE_RATE", allow_negative_numbers = true)]
    pub rate: Option<f64>,
    /// How many times the client retries a request on a connection error, a timeout, a 429 or
    /// a 5xx (with exponential backoff and jitter; Stripe-Should-Retry is honoured).
    #[arg(long, env = "CONFORMANCE_MAX_RETRIES", default_value_t = 3)]
    pub max_retries: u32,
    /// Leave the checkout sessions the run created open (by default they are expired on
    /// Stripe and deleted on Gr4vy at the end, also after failures and Ctrl-C).
    #[arg(long)]
    pub no_cleanup: bool,
}

/// The target and each vendor's own flags (credential, own target, API version): the flags
/// `run` and `explore` share. Each vendor's flags are its own (`src/vendor/<vendor>/cli.rs`,
/// [`Vendor::target_flags`](crate::vendor::Vendor::target_flags)), shown under its heading.
///
/// ```
/// use checkout_conformance::cli::CredentialArgs;
/// use checkout_conformance::vendor::Provider;
/// use clap::{Args as _, FromArgMatches as _};
/// let command = CredentialArgs::augment_args(clap::Command::new("run").no_binary_name(true));
/// let matches = command.try_get_matches_from(["--base-url", "http://127.0.0.1:12111"]).unwrap();
/// let args = CredentialArgs::from_arg_matches(&matches).unwrap();
/// assert_eq!(args.base_url.as_deref(), Some("http://127.0.0.1:12111"));
/// assert_eq!(args.vendors.len(), Provider::ALL.len());
/// ```
#[derive(Debug, Clone)]
pub struct CredentialArgs {
    /// The target's base URL; without it the bundled mock is started on 127.0.0.1.
    pub base_url: Option<String>,
    /// Each vendor's options, from its flags.
    pub vendors: BTreeMap<Provider, TargetOptions>,
}

impl clap::FromArgMatches for CredentialArgs {
    fn from_arg_matches(matches: &clap::ArgMatches) -> Result<Self, clap::Error> {
        let vendors = Provider::ALL
            .iter()
            .map(|&p| Ok((p, p.vendor().target_options(matches)?)))
            .collect::<Result<_, clap::Error>>()?;
        Ok(CredentialArgs {
            base_url: matches.get_one::<String>(BASE_URL).cloned(),
            vendors,
        })
    }

    fn update_from_arg_matches(&mut self, matches: &clap::ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

/// The id of `--base-url` among the parsed flags.
const BASE_URL: &str = "base_url";

impl clap::Args for CredentialArgs {
    fn augment_args(command: clap::Command) -> clap::Command {
        let command = command.arg(
            clap::Arg::new(BASE_URL)
                .long("base-url")
                .env("CONFORMANCE_BASE_URL")
                .value_name("BASE_URL")
                .help("The target's base URL; without it the bundled mock is started on 127.0.0.1"),
        );
        vendor_flags(command, |vendor, command| vendor.target_flags(command))
    }

    fn augment_args_for_update(command: clap::Command) -> clap::Command {
        Self::augment_args(command)
    }
}

/// Adds every vendor's flags (each under its own heading), then resets the heading so that the
/// flags after them are shown under the usual one.
fn vendor_flags(
    command: clap::Command,
    add: impl Fn(&dyn crate::vendor::Vendor, clap::Command) -> clap::Command,
) -> clap::Command {
    Provider::ALL
        .iter()
        .fold(command, |command, p| add(p.vendor(), command))
        .next_help_heading(None::<&str>)
}

/// What each vendor's half of the bundled mock trusts, from its flags of `mock`
/// ([`Vendor::mock_flags`](crate::vendor::Vendor::mock_flags)).
#[derive(Debug, Clone, Default)]
pub struct MockTrustArgs {
    /// Each vendor's trusted credentials (see [`MockConfig::trust`]).
    pub trust: BTreeMap<Provider, Vec<String>>,
}

impl clap::FromArgMatches for MockTrustArgs {
    fn from_arg_matches(matches: &clap::ArgMatches) -> Result<Self, clap::Error> {
        let trust = Provider::ALL
            .iter()
            .map(|&p| Ok((p, p.vendor().mock_trust(matches)?)))
            .collect::<Result<_, clap::Error>>()?;
        Ok(MockTrustArgs { trust })
    }

    fn update_from_arg_matches(&mut self, matches: &clap::ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(matches)?;
        Ok(())
    }
}

impl clap::Args for MockTrustArgs {
    fn augment_args(command: clap::Command) -> clap::Command {
        vendor_flags(command, |vendor, command| vendor.mock_flags(command))
    }

    fn augment_args_for_update(command: clap::Command) -> clap::Command {
        Self::augment_args(command)
    }
}

/// An option's value, unless blank (a blank variable is not given).
pub(crate) fn given(value: &Option<String>) -> Option<String> {
    value.clone().filter(|v| !v.is_empty())
}

impl RunArgs {
    /// The engine's configuration.
    pub fn config(&self) -> RunConfig {
        RunConfig {
            provider: self.provider,
            base_url: given(&self.credentials.base_url),
            vendors: self.credentials.vendors.clone(),
            tags: self.tags.clone(),
            reports: self.reports.clone(),
            concurrency: self.concurrency,
            features: self.features.clone(),
            mock_faults: self.mock_faults.iter().copied().collect(),
            verbose: self.verbose,
            cleanup: !self.no_cleanup,
            rate: self.rate,
            max_retries: self.max_retries,
        }
    }
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless `NO_COLOR` is set (to anything but the empty string).
    Auto,
    /// Always, even into a pipe.
    Always,
    /// Never.
    Never,
}

impl ColorChoice {
    /// Whether to colour, for output that `is_terminal` or not, `NO_COLOR` being `no_color`.
    ///
    /// ```
    /// use checkout_conformance::cli::ColorChoice;
    /// assert!(ColorChoice::Auto.enabled(true, None));
    /// assert!(!ColorChoice::Auto.enabled(true, Some("1")));
    /// assert!(ColorChoice::Auto.enabled(true, Some("")));
    /// assert!(!ColorChoice::Auto.enabled(false, None));
    /// assert!(ColorChoice::Always.enabled(false, Some("1")));
    /// assert!(!ColorChoice::Never.enabled(true, None));
    /// ```
    pub fn enabled(self, is_terminal: bool, no_color: Option<&str>) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => is_terminal && no_color.is_none_or(str::is_empty),
        }
    }
}

/// The console while a run goes: on a terminal a live progress bar (done/total, passed, failed,
/// the other outcomes, elapsed, ETA) with each scenario that did not pass printed above it;
/// otherwise (CI, a pipe) one line per scenario as it finishes, flushed.
pub struct Progress {
    bar: Option<indicatif::ProgressBar>,
    color: bool,
    outcomes: std::sync::Mutex<Vec<Outcome>>,
}

impl Progress {
    /// A bar when `terminal` (hidden until the run says how many scenarios it plans), else lines;
    /// coloured when `color`.
    pub fn new(terminal: bool, color: bool) -> Progress {
        let bar = terminal.then(|| {
            let bar = indicatif::ProgressBar::with_draw_target(
                None,
                indicatif::ProgressDrawTarget::hidden(),
            );
            let template = if color {
                "{elapsed_precise} [{bar:30.green/red}] {pos}/{len} {msg} (ETA {eta})"
            } else {
                "{elapsed_precise} [{bar:30}] {pos}/{len} {msg} (ETA {eta})"
            };
            if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
                bar.set_style(style.progress_chars("=> "));
            }
            bar
        });
        Progress {
            bar,
            color,
            outcomes: std::sync::Mutex::default(),
        }
    }

    /// Removes the bar (before the closing summary is printed).
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }

    /// The line of a finished scenario, coloured by its outcome when colour is on.
    fn line(&self, result: &ScenarioResult) -> String {
        let line = scenario_line(result);
        if !self.color {
            return line;
        }
        let style = match result.outcome {
            Outcome::Passed if result.retries > 0 => console::Style::new().yellow(),
            Outcome::Passed => console::Style::new().green(),
            Outcome::Failed(_) => console::Style::new().red().bold(),
            Outcome::SetupFailed(_) | Outcome::Infrastructure(_) => console::Style::new().magenta(),
            Outcome::NotApplicable(_) | Outcome::NotRun(_) => console::Style::new().dim(),
        };
        style.force_styling(true).apply_to(line).to_string()
    }
}

impl runner::Watch for Progress {
    fn planned(&self, total: usize) {
        if let Some(bar) = &self.bar {
            bar.set_length(u64::try_from(total).unwrap_or(u64::MAX));
            bar.set_draw_target(indicatif::ProgressDrawTarget::stdout());
            bar.enable_steady_tick(std::time::Duration::from_millis(200));
        }
    }

    fn finished(&self, result: &ScenarioResult) {
        let line = self.line(result);
        let Some(bar) = &self.bar else {
            // One line per scenario as it finishes, flushed: a long run shows its progress.
            use std::io::Write as _;
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{line}");
            let _ = out.flush();
            return;
        };
        let tally = {
            let mut outcomes = self.outcomes.lock().unwrap_or_else(|p| p.into_inner());
            outcomes.push(result.outcome.clone());
            Tally::of(outcomes.iter())
        };
        if result.outcome != Outcome::Passed {
            bar.println(line);
        }
        bar.set_message(format!(
            "{} passed, {} failed, {} other",
            tally.passed,
            tally.failed,
            tally.total() - tally.passed - tally.failed
        ));
        bar.inc(1);
    }
}

/// The flags of the cucumber harness (`cargo test --test conformance -- ...`): the suite's
/// (`run`'s), or `explore` and `explore`'s.
#[derive(Debug, Parser)]
#[command(
    name = "conformance",
    about = "The conformance suite as a cargo test",
    args_conflicts_with_subcommands = true
)]
pub struct HarnessCli {
    /// `explore …` instead of the suite.
    #[command(subcommand)]
    pub command: Option<HarnessCommand>,
    #[command(flatten)]
    pub run: RunArgs,
}

/// What the harness does instead of running the suite.
#[derive(Debug, Subcommand)]
pub enum HarnessCommand {
    /// Generate operation sequences, check them against a model of the documentation, shrink
    /// a mismatch to a scenario of the suite (the flags of `checkout-conformance explore`).
    ///
    /// Before the generated cases, a probe case sends what they never send: updates without a
    /// valid credential, and of a session that does not exist.
    Explore(Box<crate::explore::cli::ExploreArgs>),
}

impl HarnessCli {
    /// Runs the suite with the flags given, or the exploration `explore` asks for.
    pub fn execute(self) -> ExitCode {
        match self.command {
            Some(HarnessCommand::Explore(args)) => crate::explore::cli::explore(*args),
            None => run(self.run),
        }
    }
}

/// `tests/conformance.rs`: runs the suite with the flags given after `--`
/// (`cargo test --test conformance -- --tags @metadata`), or an exploration
/// (`cargo test --test conformance -- explore --provider stripe --seed 7`).
pub fn harness() -> ExitCode {
    HarnessCli::parse().execute()
}

/// `checkout-conformance mock`.
#[derive(Debug, clap::Args)]
pub struct MockArgs {
    /// Address to listen on (port 0: any free port).
    #[arg(long, env = "CONFORMANCE_MOCK_ADDR", default_value = "127.0.0.1:12111")]
    pub addr: SocketAddr,
    /// Break one documented behaviour on purpose (repeatable); see --list-faults.
    #[arg(long = "fault", value_name = "NAME")]
    pub faults: Vec<Fault>,
    /// What each vendor's half trusts (its own flags).
    #[command(flatten)]
    pub trust: MockTrustArgs,
    /// Print the faults, one line each, and exit.
    #[arg(long)]
    pub list_faults: bool,
}

/// Parses the command line and runs it.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Run(args) => run(*args),
        Command::Mock(args) => mock(args),
        Command::Explore(args) => crate::explore::cli::explore(*args),
    }
}

/// The `--list-faults` listing: `name  provider  description`, one line each (`provider` is
/// `stripe` or `gr4vy`, the half of the mock the fault breaks).
pub fn fault_listing() -> String {
    let width = Fault::all()
        .iter()
        .map(|f| f.name().len())
        .max()
        .unwrap_or(0);
    Fault::all()
        .iter()
        .map(|f| {
            format!(
                "{:width$}  {:6}  {}\n",
                f.name(),
                f.provider(),
                f.description()
            )
        })
        .collect()
}

fn run(args: RunArgs) -> ExitCode {
    use std::io::IsTerminal as _;
    let terminal = std::io::stdout().is_terminal();
    let no_color = std::env::var("NO_COLOR").ok();
    let color = args.color.enabled(terminal, no_color.as_deref());
    let progress = std::sync::Arc::new(Progress::new(terminal && !args.verbose, color));
    let result = runner::run_blocking(args.config(), SharedProgress(progress.clone()));
    progress.finish();
    match &result {
        Ok(report) => print!("{}", console_summary(report)),
        Err(error) => {
            eprintln!("error: {error}");
            eprintln!("(exit 2: the run could not be made; no scenario was judged)");
        }
    }
    ExitCode::from(runner::exit_code(&result))
}

/// A [`Progress`] the run and the closing summary share.
struct SharedProgress(std::sync::Arc<Progress>);

impl runner::Watch for SharedProgress {
    fn planned(&self, total: usize) {
        self.0.planned(total);
    }
    fn finished(&self, result: &ScenarioResult) {
        self.0.finished(result);
    }
}

/// The mark of an outcome on the console.
fn mark(result: &ScenarioResult) -> &'static str {
    match &result.outcome {
        Outcome::Passed if result.retries > 0 => "FLKY",
        Outcome::Passed => "ok  ",
        Outcome::Failed(_) => "FAIL",
        Outcome::SetupFailed(_) => "SETU",
        Outcome::Infrastructure(_) => "INFR",
        Outcome::NotApplicable(_) => "N/A ",
        Outcome::NotRun(_) => "NRUN",
    }
}

/// `ok   Feature / Scenario (12 ms)`: a scenario as it finishes.
pub fn scenario_line(result: &ScenarioResult) -> String {
    format!(
        "{} {} / {} ({} ms)",
        mark(result),
        result.feature,
        result.scenario,
        result.duration.as_millis()
    )
}

/// The run's result as the terminal shows it at the end: each scenario that did not pass with
/// the first lines of its message, the slowest scenarios, then the counts (the same as every
/// report's) and what the exit code means.
pub fn console_summary(report: &RunReport) -> String {
    let mut out = String::new();
    for result in &report.results {
        let Some(text) = result.outcome.message() else {
            continue;
        };
        out.push_str(&format!(
            "\n{} {} / {} ({})\n",
            mark(result),
            result.feature,
            result.scenario,
            result.outcome.label()
        ));
        for line in text.lines().take(40) {
            out.push_str(&format!("       {line}\n"));
        }
    }
    let mut slowest: Vec<&ScenarioResult> = report.results.iter().collect();
    slowest.sort_by_key(|r| std::cmp::Reverse(r.duration));
    out.push_str("\nslowest scenarios:\n");
    for result in slowest.iter().take(5).filter(|r| r.started_at.is_some()) {
        out.push_str(&format!(
            "  {:>8.3} s  {} / {}\n",
            result.duration.as_secs_f64(),
            result.feature,
            result.scenario
        ));
    }
    let tally = report.tally();
    let code = report.exit_code();
    let meaning = crate::report::exit_meaning(code);
    out.push_str(&format!(
        "\n{} scenarios against {} in {:.1} s\nreports: {}\nexit {code}: {meaning}\nconformance: {tally}\n",
        report.results.len(),
        report.target,
        report.elapsed.as_secs_f64(),
        report.summary.parent().map(|p| p.display().to_string()).unwrap_or_default(),
    ));
    out
}

fn mock(args: MockArgs) -> ExitCode {
    if args.list_faults {
        print!("{}", fault_listing());
        return ExitCode::SUCCESS;
    }
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    runtime.block_on(async {
        let config = MockConfig {
            faults: args.faults.iter().copied().collect(),
            trust: args.trust.trust,
        };
        let server = match MockServer::bind(args.addr, config.clone()).await {
            Ok(server) => server,
            Err(e) => {
                eprintln!("error: cannot listen on {}: {e}", args.addr);
                return ExitCode::from(2);
            }
        };
        // Install the Ctrl-C handler before announcing the address: whoever reads the
        // "listening on" line may interrupt at once and must get a clean shutdown (exit 0),
        // not the default disposition of SIGINT. (`ctrl_c` registers on its first poll.)
        let mut ctrl_c = std::pin::pin!(tokio::signal::ctrl_c());
        let first_poll = std::future::poll_fn(|cx| {
            std::task::Poll::Ready(std::future::Future::poll(ctrl_c.as_mut(), cx))
        })
        .await;
        println!("checkout-conformance mock listening on {}", server.url());
        for fault in config.faults.iter() {
            println!("fault injected: {fault}  ({})", fault.description());
        }
        for notice in server.notices() {
            println!("{notice}");
        }
        if first_poll.is_pending() {
            let _ = ctrl_c.await;
        }
        server.shutdown().await;
        ExitCode::SUCCESS
    })
}
