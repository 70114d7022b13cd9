//! `kestra-kv-devserver`: the stand-in Kestra KV API as a standalone process.
//!
//! Prints exactly one line, `listening on http://ADDR`, once it accepts connections, and
//! serves until SIGINT/SIGTERM.

use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;

use clap::Parser;
use kestra_kv_devserver::{DevServer, DevServerConfig, Faults, TimestampReading};

#[derive(Debug, Parser)]
#[command(
    version,
    about = "A stand-in for Kestra's KV HTTP API, for tests and local trials"
)]
struct Args {
    /// Address to listen on; port 0 picks a free port (printed on startup).
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Require HTTP basic auth with these credentials (`user:pass`).
    #[arg(long, value_name = "USER:PASS", value_parser = parse_basic_auth)]
    basic_auth: Option<(String, String)>,
    /// Require this bearer token (either credential works when both are set).
    #[arg(long, value_name = "TOKEN")]
    api_token: Option<String>,
    /// Probability in [0, 1] of answering `--fail-status` instead of serving a request.
    #[arg(long, default_value_t = 0.0, value_parser = parse_probability)]
    fail_rate: f64,
    /// Status code of injected failures.
    #[arg(long, default_value_t = 503, value_parser = clap::value_parser!(u16).range(100..=999))]
    fail_status: u16,
    /// Probability in [0, 1] of closing the connection without answering.
    #[arg(long, default_value_t = 0.0, value_parser = parse_probability)]
    drop_rate: f64,
    /// Delay added to every API request, in milliseconds.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Seed for fault decisions (the same seed gives the same sequence).
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Answer errors as RFC 9457 `application/problem+json` (newest Kestra).
    #[arg(long)]
    problem_json: bool,
    /// Do not serve the un-tenanted `/api/v1/namespaces/...` compatibility paths.
    #[arg(long)]
    no_legacy_paths: bool,
    /// Read UTC timestamps at exactly midnight back as DATE, like Kestra before its ION parser
    /// fix (E1–E3).
    #[arg(long)]
    midnight_as_date: bool,
    /// Report no revisions (GET answers only type and value), like Kestra before revisions.
    #[arg(long)]
    no_revisions: bool,
    /// Serve only these tenants (comma-separated, e.g. `main,acme`); others get 404. Default: any.
    #[arg(long, value_name = "A,B", value_delimiter = ',')]
    tenants: Option<Vec<String>>,
}

fn parse_basic_auth(text: &str) -> Result<(String, String), String> {
    text.split_once(':')
        .map(|(user, password)| (user.to_owned(), password.to_owned()))
        .ok_or_else(|| "expected USER:PASS".to_owned())
}

fn parse_probability(text: &str) -> Result<f64, String> {
    let value: f64 = text
        .parse()
        .map_err(|_| format!("'{text}' is not a number"))?;
    if (0.0..=1.0).contains(&value) {
        Ok(value)
    } else {
        Err(format!("{value} is not between 0 and 1"))
    }
}

/// Resolves on the first SIGINT or SIGTERM. The handlers are installed when this is called,
/// so call it before announcing readiness.
fn termination_signal() -> std::io::Result<impl Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut terminate = signal(SignalKind::terminate())?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
    })
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    let config = DevServerConfig {
        listen: args.listen,
        basic_auth: args.basic_auth,
        api_token: args.api_token,
        problem_json: args.problem_json,
        legacy_paths: !args.no_legacy_paths,
        timestamps: if args.midnight_as_date {
            TimestampReading::MidnightAsDate
        } else {
            TimestampReading::Current
        },
        revisions: !args.no_revisions,
        tenants: args.tenants,
        faults: Faults {
            fail_rate: args.fail_rate,
            fail_status: args.fail_status,
            drop_rate: args.drop_rate,
            latency_ms: args.latency_ms,
            ..Faults::default()
        },
        seed: args.seed,
    };
    let server = match DevServer::start(config).await {
        Ok(server) => server,
        Err(error) => {
            eprintln!(
                "kestra-kv-devserver: cannot listen on {}: {error}",
                args.listen
            );
            return ExitCode::FAILURE;
        }
    };
    let terminated = match termination_signal() {
        Ok(terminated) => terminated,
        Err(error) => {
            eprintln!("kestra-kv-devserver: cannot install signal handlers: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut stdout = std::io::stdout().lock();
    if writeln!(stdout, "listening on {}", server.url())
        .and_then(|()| stdout.flush())
        .is_err()
    {
        return ExitCode::FAILURE;
    }
    drop(stdout);
    terminated.await;
    server.shutdown().await;
    ExitCode::SUCCESS
}
