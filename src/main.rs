//! `khabar`: parse the command line, set up logging, load the rules and serve (or run a
//! one-shot command). The command line itself is `cli.rs`; everything else lives in
//! the library.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

mod bulk;
mod cli;

use clap::Parser as _;
use cli::{Cli, Command, LogFormat, ServeArgs};
use khabar::reload::Engine;
use khabar::server;

/// mimalloc: classification makes many small short-lived allocations (mention texts, ids); glibc
/// malloc spent about 15% of classify time on them (see `cargo bench --bench classify`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing(match &cli.command {
        Command::Serve(args) => args.log_format,
        _ => LogFormat::Text,
    });
    install_panic_hook();
    match cli.command {
        Command::Serve(args) => serve(&args),
        Command::Classify(args) => cli::classify(&args),
        Command::CheckRules(args) => cli::check_rules(&args),
    }
}

/// Logs to stderr, as text or as JSON lines; `RUST_LOG` filters (default `info`).
fn init_tracing(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        // Colour codes only on a terminal, never in log files.
        LogFormat::Text => builder
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .init(),
        // {"timestamp":..,"level":..,"message":..,<fields>..,"target":..}: the event's fields at
        // the top level, as log stores index them; no span context (the server opens none).
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .with_span_list(false)
            .init(),
    }
}

/// Logs panics as one line without what they may quote: a panic message can hold article text
/// (`byte index 7 is not a char boundary; it is inside 'ب' of `...``), which has no place in a log.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let payload = info
            .payload()
            .downcast_ref::<&str>()
            .copied()
            .or_else(|| info.payload().downcast_ref::<String>().map(String::as_str))
            .unwrap_or("(no message)");
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        let thread = std::thread::current();
        tracing::error!(
            %location,
            thread = thread.name().unwrap_or("?"),
            "panic: {}",
            redact_panic_message(payload)
        );
    }));
}

/// A panic message without quoted text: every `...` or '...' span that is long, or holds
/// anything but ASCII letters, digits and `:_()<>&`, becomes `…`; at most 200 characters.
fn redact_panic_message(msg: &str) -> String {
    let code_like = |s: &str| {
        s.chars().count() <= 40
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || ":_()<>&,".contains(c))
    };
    let mut out = String::new();
    let mut rest = msg;
    while let Some(open) = rest.find(['`', '\'']) {
        let quote = rest[open..].chars().next().unwrap_or('`');
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find(quote) {
            Some(close) => {
                let inner = &after[..close];
                out.push(quote);
                out.push_str(if code_like(inner) { inner } else { "…" });
                out.push(quote);
                rest = &after[close + 1..];
            }
            None => {
                out.push(quote);
                out.push('…');
                rest = "";
            }
        }
    }
    out.push_str(rest);
    match out.char_indices().nth(200) {
        Some((cut, _)) => format!("{}…", &out[..cut]),
        None => out,
    }
}

fn serve(args: &ServeArgs) -> ExitCode {
    // Classification runs on the server's own worker threads; the blocking pool only loads rules.
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(4)
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            tracing::error!("cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(serve_async(args));
    // Nothing left may keep the process alive (a rules reload still reading, say).
    runtime.shutdown_timeout(Duration::from_secs(1));
    match result {
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
    if let Some(addr) = args.metrics_addr {
        server::metrics::install(addr)?;
    }
    let tls = args.tls()?;
    let bind = |addr: String| async move {
        tokio::net::TcpListener::bind(&addr)
            .await
            .map_err(|e| format!("cannot listen on {addr}: {e}"))
    };
    let listener = bind(args.addr.clone()).await?;
    let http = match &args.http_addr {
        Some(addr) => Some(bind(addr.clone()).await?),
        None => None,
    };
    let endpoints = server::Endpoints {
        grpc: listener,
        http,
        tls,
    };
    let sighup = engine.spawn_sighup()?;
    let _watch = if args.watch {
        Some(engine.watch(Duration::from_millis(args.watch_debounce_ms))?)
    } else {
        None
    };
    let result = server::run(endpoints, engine, args.config(), shutdown_signal()).await;
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

#[cfg(test)]
mod tests {
    use super::redact_panic_message as redact;

    #[test]
    fn panic_messages_lose_quoted_text() {
        let slice = "byte index 7 is not a char boundary; it is inside 'ب' (bytes 6..8) of `قال الرئيس أمس إن المحادثات`";
        assert_eq!(
            redact(slice),
            "byte index 7 is not a char boundary; it is inside '…' (bytes 6..8) of `…`"
        );
        assert_eq!(
            redact("called `Option::unwrap()` on a `None` value"),
            "called `Option::unwrap()` on a `None` value"
        );
        assert_eq!(redact("unterminated `secret text"), "unterminated `…");
        assert!(redact(&"x".repeat(1000)).chars().count() <= 201);
    }
}
