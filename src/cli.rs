//! Command line: `khabar serve`, `khabar classify`, `khabar check-rules`.
//!
//! Every `serve` flag has an environment fallback (`KHABAR_ADDR`, `KHABAR_RULES`, ...).
//! `classify` and `check-rules` run here, without a server, through the same engine.

use std::io::Read as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use khabar::model::{Document, EntityType, OffsetUnit, Options, MAX_TEXT_BYTES};
use khabar::reload::RulesSource;
use khabar::server::{self as srv, Config};
use khabar::Classifier;

/// `khabar --version`: the package version and the git commit it was built from (`unknown`
/// outside a git checkout; see build.rs).
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("KHABAR_GIT_COMMIT"),
    ")"
);

/// Rule-based tagger of Arabic and English news: IPTC Media Topics and entity spans over gRPC.
#[derive(Debug, Parser)]
#[command(name = "khabar", version = VERSION, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve khabar.v1.Classifier over gRPC (with health checks and reflection).
    Serve(ServeArgs),
    /// Classify one document and print the response as JSON (no server needed); with
    /// `--jsonl`, a file of requests, one per line.
    Classify(ClassifyArgs),
    /// Validate a rules directory and print a summary; exit 1 with `path:line: message` lines
    /// on stderr if it has errors.
    CheckRules(CheckRulesArgs),
}

/// `khabar serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "KHABAR_ADDR", default_value = "127.0.0.1:50051")]
    pub addr: String,
    /// Also serve HTTP/JSON on this address (POST /v1/classify, POST /v1/classify:batch,
    /// GET /v1/rules), through the same limits and workers as gRPC (default: off).
    #[arg(long, env = "KHABAR_HTTP_ADDR", value_name = "ADDR")]
    pub http_addr: Option<String>,
    /// TLS certificate chain (PEM) for gRPC and HTTP/JSON; needs --tls-key.
    #[arg(
        long,
        env = "KHABAR_TLS_CERT",
        value_name = "FILE",
        requires = "tls_key"
    )]
    pub tls_cert: Option<PathBuf>,
    /// Private key of --tls-cert (PEM: PKCS#8, PKCS#1 or SEC1).
    #[arg(
        long,
        env = "KHABAR_TLS_KEY",
        value_name = "FILE",
        requires = "tls_cert"
    )]
    pub tls_key: Option<PathBuf>,
    /// Mutual TLS: accept only clients with a certificate signed by this CA (PEM).
    #[arg(
        long,
        env = "KHABAR_TLS_CLIENT_CA",
        value_name = "FILE",
        requires = "tls_cert"
    )]
    pub tls_client_ca: Option<PathBuf>,
    /// Rules directory (default: the rules embedded in the binary).
    #[arg(long, env = "KHABAR_RULES", value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// With --rules: DIR holds only the files that differ from the embedded rules (each replaces
    /// the embedded file at its path or adds one); the others are the embedded ones.
    #[arg(long, env = "KHABAR_RULES_OVERLAY", requires = "rules")]
    pub rules_overlay: bool,
    /// Largest accepted text (and title), in bytes. A Classify or ClassifyStream message may
    /// hold twice this plus 64 KiB.
    #[arg(long, env = "KHABAR_MAX_TEXT_BYTES", default_value_t = srv::DEFAULT_MAX_TEXT_BYTES, value_name = "BYTES")]
    pub max_text_bytes: usize,
    /// Most documents in one ClassifyBatch call.
    #[arg(long, env = "KHABAR_MAX_BATCH", default_value_t = srv::DEFAULT_MAX_BATCH, value_name = "N")]
    pub max_batch: usize,
    /// Largest ClassifyBatch request message, in bytes.
    #[arg(long, env = "KHABAR_MAX_BATCH_BYTES", default_value_t = srv::DEFAULT_MAX_BATCH_BYTES, value_name = "BYTES")]
    pub max_batch_bytes: usize,
    /// Largest response message, in bytes (batch results past it become error entries).
    #[arg(long, env = "KHABAR_MAX_RESPONSE_BYTES", default_value_t = srv::DEFAULT_MAX_RESPONSE_BYTES, value_name = "BYTES")]
    pub max_response_bytes: usize,
    /// Most bytes announced by request messages still arriving, over all calls; a message that
    /// would go over is refused with RESOURCE_EXHAUSTED.
    #[arg(long, env = "KHABAR_MAX_PENDING_BYTES", default_value_t = srv::DEFAULT_MAX_PENDING_BYTES, value_name = "BYTES")]
    pub max_pending_bytes: usize,
    /// Classification worker threads (0: one per core).
    #[arg(long, env = "KHABAR_WORKERS", default_value_t = 0, value_name = "N")]
    pub workers: usize,
    /// Documents that may wait for a worker before calls get RESOURCE_EXHAUSTED (0: 128 per
    /// worker; never less than --max-batch).
    #[arg(long, env = "KHABAR_QUEUE", default_value_t = 0, value_name = "DOCS")]
    pub queue: usize,
    /// Most open connections; more are closed at once.
    #[arg(long, env = "KHABAR_MAX_CONNECTIONS", default_value_t = srv::DEFAULT_MAX_CONNECTIONS, value_name = "N")]
    pub max_connections: usize,
    /// Most concurrent calls on one connection (HTTP/2 streams).
    #[arg(long, env = "KHABAR_MAX_CONCURRENT_STREAMS", default_value_t = srv::DEFAULT_MAX_CONCURRENT_STREAMS, value_name = "N")]
    pub max_concurrent_streams: u32,
    /// Seconds between HTTP/2 PINGs on a connection (0: none).
    #[arg(long, env = "KHABAR_KEEPALIVE_INTERVAL", default_value_t = srv::DEFAULT_KEEPALIVE_INTERVAL.as_secs(), value_name = "SECS")]
    pub keepalive_interval: u64,
    /// Seconds a PING may go unanswered before the connection is closed.
    #[arg(long, env = "KHABAR_KEEPALIVE_TIMEOUT", default_value_t = srv::DEFAULT_KEEPALIVE_TIMEOUT.as_secs(), value_name = "SECS")]
    pub keepalive_timeout: u64,
    /// Seconds a connection may go without calls before it is closed (0: never).
    #[arg(long, env = "KHABAR_IDLE_TIMEOUT", default_value_t = srv::DEFAULT_IDLE_TIMEOUT.as_secs(), value_name = "SECS")]
    pub idle_timeout: u64,
    /// Seconds a request message may stall midway, or a unary call wait for its message,
    /// before the call is dropped (0: no limit).
    #[arg(long, env = "KHABAR_MESSAGE_TIMEOUT", default_value_t = srv::DEFAULT_MESSAGE_TIMEOUT.as_secs(), value_name = "SECS")]
    pub message_timeout: u64,
    /// Seconds shutdown waits for calls in flight before closing their connections.
    #[arg(long, env = "KHABAR_DRAIN_TIMEOUT", default_value_t = srv::DEFAULT_DRAIN_TIMEOUT.as_secs(), value_name = "SECS")]
    pub drain_timeout: u64,
    /// Compress Classify/ClassifyBatch/ClassifyStream/GetRules responses (gzip or zstd) for
    /// clients that accept it; requests may be compressed either way. Costs CPU per call (grpcio
    /// clients accept gzip on every call).
    #[arg(long, env = "KHABAR_COMPRESS_RESPONSES", default_value_t = true, action = clap::ArgAction::Set, value_name = "BOOL")]
    pub compress_responses: bool,
    /// Reload the rules when files under --rules DIR change (debounced). SIGHUP always reloads.
    #[arg(long, env = "KHABAR_WATCH")]
    pub watch: bool,
    /// Quiet time of --watch: reload once no change was seen for this long, in milliseconds.
    #[arg(
        long,
        env = "KHABAR_WATCH_DEBOUNCE_MS",
        default_value_t = 300,
        value_name = "MS"
    )]
    pub watch_debounce_ms: u64,
    /// Serve Prometheus metrics at http://ADDR/metrics (e.g. 0.0.0.0:9090; default: off).
    #[arg(long, env = "KHABAR_METRICS_ADDR", value_name = "ADDR")]
    pub metrics_addr: Option<std::net::SocketAddr>,
    /// Log lines as text, or as JSON objects (timestamp, level, target, message and fields) for
    /// Loki or Elasticsearch. RUST_LOG filters either (default: info).
    #[arg(
        long,
        env = "KHABAR_LOG_FORMAT",
        value_enum,
        default_value = "text",
        value_name = "FORMAT"
    )]
    pub log_format: LogFormat,
}

/// How log lines are written (`--log-format`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// One human-readable line per event (colours on a terminal).
    #[default]
    Text,
    /// One JSON object per line.
    Json,
}

impl ServeArgs {
    /// Where the rules come from.
    pub fn rules_source(&self) -> RulesSource {
        match &self.rules {
            Some(dir) if self.rules_overlay => RulesSource::Overlay(dir.clone()),
            Some(dir) => RulesSource::Dir(dir.clone()),
            None => RulesSource::Embedded,
        }
    }

    /// TLS from the PEM files of `--tls-cert`, `--tls-key`, `--tls-client-ca` (`None`:
    /// plaintext).
    pub fn tls(&self) -> Result<Option<srv::Tls>, srv::ServeError> {
        match (&self.tls_cert, &self.tls_key) {
            (Some(cert), Some(key)) => {
                srv::Tls::from_files(cert, key, self.tls_client_ca.as_deref()).map(Some)
            }
            _ => Ok(None),
        }
    }

    /// The server's settings.
    pub fn config(&self) -> Config {
        let secs = std::time::Duration::from_secs;
        Config {
            max_text_bytes: self.max_text_bytes,
            max_batch: self.max_batch,
            max_batch_bytes: self.max_batch_bytes,
            max_response_bytes: self.max_response_bytes,
            max_pending_bytes: self.max_pending_bytes,
            workers: self.workers,
            queue: self.queue,
            max_connections: self.max_connections,
            max_concurrent_streams: self.max_concurrent_streams,
            keepalive_interval: secs(self.keepalive_interval),
            keepalive_timeout: secs(self.keepalive_timeout),
            idle_timeout: secs(self.idle_timeout),
            message_timeout: secs(self.message_timeout),
            drain_timeout: secs(self.drain_timeout),
            compress_responses: self.compress_responses,
        }
    }
}

/// Offset unit names on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Unit {
    /// Unicode code points.
    Cp,
    /// UTF-8 bytes.
    Utf8,
    /// UTF-16 code units.
    Utf16,
}

impl From<Unit> for OffsetUnit {
    fn from(u: Unit) -> OffsetUnit {
        match u {
            Unit::Cp => OffsetUnit::CodePoint,
            Unit::Utf8 => OffsetUnit::Utf8Byte,
            Unit::Utf16 => OffsetUnit::Utf16CodeUnit,
        }
    }
}

/// Entity type names on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TypeArg {
    /// PERSON.
    Person,
    /// ORGANIZATION.
    Organization,
    /// LOCATION.
    Location,
    /// DATE.
    Date,
    /// NORP.
    Norp,
}

impl From<TypeArg> for EntityType {
    fn from(t: TypeArg) -> EntityType {
        match t {
            TypeArg::Person => EntityType::Person,
            TypeArg::Organization => EntityType::Organization,
            TypeArg::Location => EntityType::Location,
            TypeArg::Date => EntityType::Date,
            TypeArg::Norp => EntityType::Norp,
        }
    }
}

/// The per-document flags of `classify`, which `--jsonl` replaces by the fields of each request.
const DOCUMENT_FLAGS: [&str; 11] = [
    "file",
    "title",
    "unit",
    "published_at",
    "time_zone",
    "language",
    "id",
    "evidence",
    "min_topic_score",
    "max_topics",
    "types",
];

/// `khabar classify`.
#[derive(Debug, Args)]
pub struct ClassifyArgs {
    /// The article text file, or `-` for standard input.
    #[arg(default_value = "-", value_name = "FILE|-")]
    pub file: String,
    /// Bulk: read one ClassifyRequest per line of IN (`-` = standard input) in proto3 JSON (as
    /// grpcurl reads it) and write one ClassifyResponse per line, in the same order, classified
    /// on every core. A bad line gets a response with `error` set and a message on stderr; the
    /// others go on (exit status 1 if any line failed). A progress bar shows on a terminal.
    #[arg(long, value_name = "IN|-", conflicts_with_all = DOCUMENT_FLAGS)]
    pub jsonl: Option<String>,
    /// Write the output to this file instead of standard output.
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<PathBuf>,
    /// Threads of --jsonl (default: one per core).
    #[arg(long, value_name = "N", requires = "jsonl")]
    pub threads: Option<usize>,
    /// Headline.
    #[arg(long, default_value = "")]
    pub title: String,
    /// Offset unit of the response.
    #[arg(long, value_enum, default_value = "cp")]
    pub unit: Unit,
    /// Rules directory (default: the embedded rules).
    #[arg(long, env = "KHABAR_RULES", value_name = "DIR")]
    pub rules: Option<PathBuf>,
    /// Publication time (RFC 3339, e.g. 2023-07-26T12:00:00Z), reference for relative dates.
    #[arg(long, value_name = "RFC3339")]
    pub published_at: Option<String>,
    /// Time zone of the publication (IANA name such as Asia/Riyadh, or +HH:MM): the day
    /// `--published-at` falls on there is the reference of relative dates (default: UTC).
    #[arg(long, value_name = "ZONE")]
    pub time_zone: Option<String>,
    /// BCP-47 language hint (default: detect).
    #[arg(long, default_value = "")]
    pub language: String,
    /// Id echoed in the response.
    #[arg(long, default_value = "")]
    pub id: String,
    /// Include the evidence behind every topic.
    #[arg(long)]
    pub evidence: bool,
    /// Leave out topics scoring below this (0..=1).
    #[arg(long, default_value_t = 0.0)]
    pub min_topic_score: f64,
    /// At most this many topics (0 = no limit).
    #[arg(long, default_value_t = 0)]
    pub max_topics: usize,
    /// Only these entity types (repeatable; default: all).
    #[arg(long = "type", value_enum, value_name = "TYPE")]
    pub types: Vec<TypeArg>,
}

/// `khabar check-rules`.
#[derive(Debug, Args)]
pub struct CheckRulesArgs {
    /// The rules directory to validate.
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// DIR is an overlay over the embedded rules (as `serve --rules DIR --rules-overlay`).
    #[arg(long)]
    pub overlay: bool,
}

/// Runs `khabar classify`: prints the response as pretty proto3 JSON (the JSON grpcurl prints)
/// on stdout or to `--output`; with `--jsonl`, classifies a file of requests.
pub fn classify(args: &ClassifyArgs) -> ExitCode {
    if let Some(input) = &args.jsonl {
        return classify_jsonl(args, input);
    }
    match classify_json(args) {
        Ok(json) => match &args.output {
            Some(path) => match std::fs::write(path, format!("{json}\n")) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("khabar classify: cannot write {}: {e}", path.display());
                    ExitCode::FAILURE
                }
            },
            None => write_stdout(&format!("{json}\n")),
        },
        Err(e) => {
            eprintln!("khabar classify: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `khabar classify --jsonl IN [-o OUT]`: see [`crate::bulk`].
fn classify_jsonl(args: &ClassifyArgs, input: &str) -> ExitCode {
    use std::io::{BufRead, BufReader, BufWriter, Write};
    let fail = |e: String| {
        eprintln!("khabar classify: {e}");
        ExitCode::FAILURE
    };
    if let Some(n) = args.threads {
        if let Err(e) = rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build_global()
        {
            return fail(format!("--threads {n}: {e}"));
        }
    }
    let classifier = match rules_source(args.rules.as_ref()).load() {
        Ok(c) => c,
        Err(e) => return fail(format!("invalid rules:\n{e}")),
    };
    let stdin = std::io::stdin();
    let mut reader: Box<dyn BufRead> = if input == "-" {
        Box::new(stdin.lock())
    } else {
        match std::fs::File::open(input) {
            Ok(f) => Box::new(BufReader::with_capacity(1 << 20, f)),
            Err(e) => return fail(format!("cannot read {input}: {e}")),
        }
    };
    let stdout = std::io::stdout();
    let mut writer: Box<dyn Write> = match &args.output {
        None => Box::new(BufWriter::with_capacity(1 << 20, stdout.lock())),
        Some(path) => match std::fs::File::create(path) {
            Ok(f) => Box::new(BufWriter::with_capacity(1 << 20, f)),
            Err(e) => return fail(format!("cannot write {}: {e}", path.display())),
        },
    };
    // Only on a terminal: sized by a first pass over a file, a counter for standard input.
    let bar = std::io::IsTerminal::is_terminal(&std::io::stderr()).then(|| {
        let total = (input != "-")
            .then(|| crate::bulk::count_lines(std::path::Path::new(input)).ok())
            .flatten();
        crate::bulk::progress_bar(total)
    });
    let mut report = |message: String| match &bar {
        Some(b) => b.suspend(|| eprintln!("{message}")),
        None => eprintln!("{message}"),
    };
    let start = std::time::Instant::now();
    let name = if input == "-" { "<stdin>" } else { input };
    let result = crate::bulk::run(
        &classifier,
        &mut reader,
        &mut writer,
        bar.as_ref(),
        &mut report,
        name,
    );
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    match result {
        Ok(stats) => {
            eprintln!(
                "khabar classify: {} documents, {} errors, {:.0} documents/s",
                stats.lines,
                stats.errors,
                crate::bulk::rate(stats.lines, start)
            );
            if stats.errors == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(crate::bulk::Stop::Read(e)) => fail(format!("cannot read {name}: {e}")),
        // `khabar classify --jsonl x | head` is not an error.
        Err(crate::bulk::Stop::Write(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        Err(crate::bulk::Stop::Write(e)) => fail(format!("cannot write the output: {e}")),
    }
}

/// Where the rules of `classify` come from.
fn rules_source(dir: Option<&PathBuf>) -> RulesSource {
    match dir {
        Some(d) => RulesSource::Dir(d.clone()),
        None => RulesSource::Embedded,
    }
}

fn classify_json(args: &ClassifyArgs) -> Result<String, String> {
    let text = if args.file == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| format!("cannot read stdin: {e}"))?;
        s
    } else {
        std::fs::read_to_string(&args.file)
            .map_err(|e| format!("cannot read {}: {e}", args.file))?
    };
    let published_at = match &args.published_at {
        Some(s) => Some(
            s.parse::<jiff::Timestamp>()
                .map_err(|e| format!("--published-at {s:?}: {e}"))?,
        ),
        None => None,
    };
    let time_zone = match &args.time_zone {
        Some(s) => Some(khabar::model::parse_time_zone(s).map_err(|e| e.to_string())?),
        None => None,
    };
    let doc = Document {
        id: args.id.clone(),
        text,
        title: args.title.clone(),
        language: args.language.clone(),
        offset_unit: args.unit.into(),
        published_at,
        time_zone,
        options: Options {
            min_topic_score: args.min_topic_score,
            max_topics: args.max_topics,
            entity_types: args.types.iter().map(|&t| t.into()).collect(),
            include_evidence: args.evidence,
        },
    };
    doc.check(MAX_TEXT_BYTES).map_err(|e| e.to_string())?;
    let classifier = rules_source(args.rules.as_ref())
        .load()
        .map_err(|e| format!("invalid rules:\n{e}"))?;
    let c = classifier.classify(&doc).map_err(|e| e.to_string())?;
    serde_json::to_string_pretty(&khabar::pb::ClassifyResponse::from(c))
        .map_err(|e| format!("cannot serialize: {e}"))
}

/// Writes to stdout; a closed pipe (`khabar classify x | head`) is not an error.
fn write_stdout(s: &str) -> ExitCode {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    match out.write_all(s.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("khabar: cannot write to stdout: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Runs `khabar check-rules DIR`: a summary on stdout and exit 0, or every error on stderr and
/// exit 1.
pub fn check_rules(args: &CheckRulesArgs) -> ExitCode {
    let source = if args.overlay {
        RulesSource::Overlay(args.dir.clone())
    } else {
        RulesSource::Dir(args.dir.clone())
    };
    match source.load() {
        Ok(c) => write_stdout(&summary(&c)),
        Err(errors) => {
            eprintln!("{errors}");
            eprintln!("{}: {} error(s)", args.dir.display(), errors.0.len());
            ExitCode::FAILURE
        }
    }
}

/// A human-readable summary of compiled rules.
pub fn summary(c: &Classifier) -> String {
    use std::fmt::Write as _;
    let info = c.info();
    let mut s = String::new();
    let _ = writeln!(s, "rules OK: {}", info.source);
    let _ = writeln!(s, "version:        {}", info.version);
    for t in EntityType::ALL {
        let n = info
            .entity_counts
            .iter()
            .find(|(et, _)| *et == t)
            .map_or(0, |(_, n)| *n);
        let _ = writeln!(s, "{:<15} {n}", format!("{}:", t.as_str()));
    }
    let _ = writeln!(s, "topic rules:    {}", info.topic_rule_count);
    let _ = writeln!(s, "taxonomy:       {} concepts", info.topics.len());
    s
}
