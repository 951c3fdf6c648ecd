//! The `checkout-conformance` command line.
//!
//! ```text
//! checkout-conformance mock [--addr 127.0.0.1:12111] [--fault NAME]... [--api-key KEY]
//! checkout-conformance mock --list-faults
//! ```
//!
//! Exit codes: 0 success; 2 the command could not be carried out (bad arguments, address in use).

use crate::mock::{Fault, MockConfig, MockServer};
use clap::{Parser, Subcommand};
use std::net::SocketAddr;
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
    /// Run the bundled reference mock until interrupted (Ctrl-C).
    Mock(MockArgs),
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
    /// Accept only this API key (default: any test-mode key, sk_test_… or rk_test_…).
    #[arg(long, env = "CONFORMANCE_MOCK_API_KEY", hide_env_values = true)]
    pub api_key: Option<String>,
    /// Print the faults, one line each, and exit.
    #[arg(long)]
    pub list_faults: bool,
}

/// Parses the command line and runs it.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Mock(args) => mock(args),
    }
}

/// The `--list-faults` listing: `name  description`, one line each.
pub fn fault_listing() -> String {
    let width = Fault::ALL.iter().map(|f| f.name().len()).max().unwrap_or(0);
    Fault::ALL
        .iter()
        .map(|f| format!("{:width$}  {}\n", f.name(), f.description()))
        .collect()
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
            api_key: args.api_key,
        };
        let server = match MockServer::bind(args.addr, config.clone()).await {
            Ok(server) => server,
            Err(e) => {
                eprintln!("error: cannot listen on {}: {e}", args.addr);
                return ExitCode::from(2);
            }
        };
        println!("checkout-conformance mock listening on {}", server.url());
        for fault in config.faults.iter() {
            println!("fault injected: {fault}  ({})", fault.description());
        }
        let _ = tokio::signal::ctrl_c().await;
        server.shutdown().await;
        ExitCode::SUCCESS
    })
}
