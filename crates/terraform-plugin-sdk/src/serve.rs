//! The blocking entry point a provider binary's `main` calls.

use std::io::Write;
use std::process::ExitCode;
use std::sync::Arc;

use super::handshake::{
    MAGIC_COOKIE_KEY, MAGIC_COOKIE_VALUE, accepts_protocol_6, bind_loopback, handshake_line,
    port_range, print_stdout_line, reattach_instructions,
};
use super::logging;
use super::provider::Provider;
use super::recovery::{is_recovering, panic_message};
use super::server::PluginServer;
use super::tls::{ServerCertificate, server_config};

/// How the binary presents itself.
#[derive(Debug, Clone, Copy)]
pub struct ServeOptions {
    /// Provider source address, e.g. `registry.terraform.io/example/example` (debug mode).
    pub registry_address: &'static str,
    /// Printed on stderr when a human runs the binary directly.
    pub human_help: &'static str,
    /// Crates (as tracing targets: `my_provider`, `my_client`) whose debug and trace events
    /// reach Terraform's log at the `TF_LOG_PROVIDER` level, like the SDK's own; other
    /// dependencies are logged from WARN up only.
    pub log_crates: &'static [&'static str],
}

/// Runs the plugin until Terraform calls Shutdown. `--debug` serves plaintext and prints a
/// `TF_REATTACH_PROVIDERS` line instead of the go-plugin handshake.
pub fn serve(provider: Arc<dyn Provider>, options: ServeOptions) -> ExitCode {
    install_panic_hook();
    let debug = std::env::args()
        .skip(1)
        .any(|argument| argument == "--debug");
    if !debug {
        if std::env::var(MAGIC_COOKIE_KEY).ok().as_deref() != Some(MAGIC_COOKIE_VALUE) {
            write_stderr(options.human_help);
            return ExitCode::FAILURE;
        }
        let versions = std::env::var("PLUGIN_PROTOCOL_VERSIONS").unwrap_or_default();
        if !accepts_protocol_6(&versions) {
            write_stderr(&format!(
                "This provider speaks plugin protocol 6 only, but the client accepts {versions:?}."
            ));
            return ExitCode::FAILURE;
        }
        ignore_sigint();
    }
    logging::init_from_env(options.log_crates);
    match run(provider, options, debug) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            tracing::error!(%message, "provider server failed");
            write_stderr(&format!("[ERROR] {message}"));
            ExitCode::FAILURE
        }
    }
}

fn run(provider: Arc<dyn Provider>, options: ServeOptions, debug: bool) -> Result<(), String> {
    // One thread: the provider waits on Terraform and on the network far more than it computes,
    // and a single-threaded runtime spares every RPC the cross-thread wake-ups (futex calls and
    // context switches) that were most of its CPU time.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("starting the async runtime: {e}"))?;
    let ports = port_range(
        std::env::var("PLUGIN_MIN_PORT").ok().as_deref(),
        std::env::var("PLUGIN_MAX_PORT").ok().as_deref(),
    );
    let listener = bind_loopback(ports).map_err(|e| format!("binding a loopback port: {e}"))?;
    let address = listener
        .local_addr()
        .map_err(|e| format!("reading the listener address: {e}"))?;
    listener
        .set_nonblocking(true)
        .map_err(|e| format!("configuring the listener: {e}"))?;

    let client_certificate = std::env::var("PLUGIN_CLIENT_CERT").unwrap_or_default();
    let tls = if debug || client_certificate.trim().is_empty() {
        None
    } else {
        let certificate = ServerCertificate::generate().map_err(|e| e.to_string())?;
        let config = server_config(&certificate, &client_certificate).map_err(|e| e.to_string())?;
        Some((certificate, config))
    };

    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)
            .map_err(|e| format!("registering the listener: {e}"))?;
        let server = PluginServer::new(provider);
        let serving = tokio::spawn(server.run(listener, tls.as_ref().map(|(_, c)| Arc::clone(c))));
        if debug {
            let instructions =
                reattach_instructions(options.registry_address, address, std::process::id());
            print_stdout_line(&instructions);
        } else {
            let der = tls
                .as_ref()
                .map(|(certificate, _)| certificate.certificate_der.as_slice());
            print_stdout_line(&handshake_line(address, der));
        }
        tracing::info!(%address, tls = tls.is_some(), "provider serving");
        match serving.await {
            Ok(result) => result.map_err(|e| e.to_string()),
            Err(join_error) => Err(format!("server task failed: {join_error}")),
        }
    })
}

fn write_stderr(text: &str) {
    let mut stderr = std::io::stderr().lock();
    let _ignored = writeln!(stderr, "{text}");
}

/// go-plugin's panic detection: a plain stderr line starting with `panic: ` makes Terraform show
/// the crash to the user (Rust's default `thread ... panicked` is only logged at debug). Panics
/// the SDK recovers from (they become diagnostics) are logged as errors instead.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let message = panic_message(info.payload());
        let location = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let backtrace = std::backtrace::Backtrace::force_capture();
        if is_recovering() {
            write_stderr(&format!(
                "[ERROR] provider panicked{location} (reported as a diagnostic): {message}\n{backtrace}"
            ));
        } else {
            write_stderr(&format!("panic: {message}{location}\n\n{backtrace}"));
        }
    }));
}

/// Ctrl-C reaches Terraform's whole process group; Terraform then calls StopProvider and
/// Shutdown itself, so dying on SIGINT would only lose in-flight applies.
#[allow(unsafe_code)] // the one libc call; see the SAFETY note
fn ignore_sigint() {
    // SAFETY: setting a signal disposition to SIG_IGN installs no handler code and is
    // async-signal-safe; it is done once, before any threads are started.
    unsafe {
        libc::signal(libc::SIGINT, libc::SIG_IGN);
    }
}
