//! `khabar`: parse the command line, set up logging, load the rules and serve (or run a
//! one-shot command). The command line itself is `cli.rs`; everything else lives in
//! the library.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

mod bulk;
mod cli;

use clap::Parser as _;
use cli::{Cli, Command, ServeArgs};
use khabar::reload::Engine;
use khabar::server::{self, Config};

/// mimalloc: classification makes many small short-lived allocations (mention texts, ids); glibc
/// malloc spent about 15% of classify time on them (see `cargo bench --bench classify`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing();
    match cli.command {
        Command::Serve(args) => serve(&args),
        Command::Classify(args) => cli::classify(&args),
        Command::CheckRules(args) => cli::check_rules(&args),
    }
}

/// Logs to stderr; `RUST_LOG` filters (default `info`).
fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        // Colour codes only on a terminal, never in log files.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
}

fn serve(args: &ServeArgs) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            tracing::error!("cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(serve_async(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            ExitCode::FAILURE
        }
    }
}

async fn serve_async(args: &ServeArgs) -> Result<(), server::ServeError> {
    let source = args.rules_source();
    let engine = tokio::task::spawn_blocking(move || Engine::load(source))
        .await?
        .map_err(|e| format!("invalid rules:\n{e}"))?;
    let engine = Arc::new(engine);
    let listener = tokio::net::TcpListener::bind(&args.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.addr))?;
    let sighup = engine.spawn_sighup()?;
    let _watch = if args.watch {
        Some(engine.watch(Duration::from_millis(args.watch_debounce_ms))?)
    } else {
        None
    };
    let config = Config {
        max_text_bytes: args.max_text_bytes,
        max_batch: args.max_batch,
    };
    let result = server::run(listener, engine, config, shutdown_signal()).await;
    sighup.abort();
    result
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!("cannot listen for SIGINT: {e}");
            std::future::pending::<()>().await;
        }
    };
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::error!("cannot listen for SIGTERM: {e}");
                std::future::pending::<()>().await;
            }
        }
    };
    tokio::select! {
        () = ctrl_c => tracing::info!("SIGINT received"),
        () = term => tracing::info!("SIGTERM received"),
    }
}
