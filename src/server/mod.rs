//! The gRPC server: `khabar.v1.Classifier`, `grpc.health.v1.Health`, and server reflection
//! (v1 and v1alpha, so both current tools and grpcurl 1.8 can list and describe services); with
//! `--http-addr`, the same classifier over HTTP/JSON; with `--tls-cert`, both behind TLS.
//!
//! | module | job |
//! | --- | --- |
//! | [`transport`] | the accept loop and connections: TCP_NODELAY, connection limit, EMFILE backoff, idle timeout, forced close |
//! | [`guard`] | a layer around every call: message limits per method, stalled messages, deadlines |
//! | [`metrics`] | Prometheus metrics (`--metrics-addr`): a layer counting and timing every call, gauges sampled each second |
//! | [`tls`] | TLS and mutual TLS for both listeners |
//! | [`rpc`] | the classifier's routes and codec (decode errors are INVALID_ARGUMENT, batches decoded per document, gzip and zstd) |
//! | [`http`] | the HTTP/JSON endpoint, through the same handlers |
//! | [`service`] | thin handlers |
//! | [`pool`] | the classification workers and their bounded queue |
//! | [`convert`] | proto ↔ domain, request validation |
//! | [`status`] | the one error → `tonic::Status` mapping |
//!
//! Every setting is a field of [`Config`]; [`transport_builder`] is the one place the gRPC
//! server is configured from it (and its TLS set up); [`Endpoints`] says where to listen.

pub mod convert;
pub mod guard;
pub mod http;
pub mod metrics;
pub mod pool;
pub mod rpc;
pub mod service;
pub mod status;
pub mod tls;
pub mod transport;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tonic_health::ServingStatus;

pub use pool::{Pool, PoolStats};
pub use service::ClassifierService;
pub use tls::Tls;
pub use transport::Connections;

use crate::pb;
use crate::reload::Engine;

/// Fully qualified name of the classifier service (also its health-check name).
pub const SERVICE_NAME: &str = "khabar.v1.Classifier";

/// Room for the fields other than text and title in a Classify message (id, language, time zone,
/// options, framing).
pub const MESSAGE_MARGIN_BYTES: usize = 64 << 10;

/// Default `--max-text-bytes`: 1 MiB.
pub const DEFAULT_MAX_TEXT_BYTES: usize = 1 << 20;
/// Default `--max-batch`.
pub const DEFAULT_MAX_BATCH: usize = 256;
/// Default `--max-batch-bytes`: 32 MiB.
pub const DEFAULT_MAX_BATCH_BYTES: usize = 32 << 20;
/// Default `--max-response-bytes`: 64 MiB.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 64 << 20;
/// Default `--max-pending-bytes`: 256 MiB.
pub const DEFAULT_MAX_PENDING_BYTES: usize = 256 << 20;
/// Default `--queue` per worker: documents waiting for each worker.
pub const DEFAULT_QUEUE_PER_WORKER: usize = 128;
/// Default `--max-connections`.
pub const DEFAULT_MAX_CONNECTIONS: usize = 1024;
/// Default `--max-concurrent-streams` (per connection).
pub const DEFAULT_MAX_CONCURRENT_STREAMS: u32 = 128;
/// Default `--keepalive-interval`.
pub const DEFAULT_KEEPALIVE_INTERVAL: Duration = Duration::from_secs(60);
/// Default `--keepalive-timeout`.
pub const DEFAULT_KEEPALIVE_TIMEOUT: Duration = Duration::from_secs(20);
/// Default `--idle-timeout`.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(300);
/// Default `--message-timeout`.
pub const DEFAULT_MESSAGE_TIMEOUT: Duration = Duration::from_secs(30);
/// Default `--drain-timeout`.
pub const DEFAULT_DRAIN_TIMEOUT: Duration = Duration::from_secs(30);

/// Every server setting (the `khabar serve` flags). A zero duration turns its timeout off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Config {
    /// Largest `text` (and `title`) accepted, in bytes.
    pub max_text_bytes: usize,
    /// Most documents in one `ClassifyBatch`.
    pub max_batch: usize,
    /// Largest `ClassifyBatch` request message, in bytes.
    pub max_batch_bytes: usize,
    /// Largest response message, in bytes (a batch's results past it become error entries).
    pub max_response_bytes: usize,
    /// Most bytes announced by request messages still arriving, over all calls (never less than
    /// one message of each method's limit).
    pub max_pending_bytes: usize,
    /// Classification worker threads; 0 = one per core.
    pub workers: usize,
    /// Documents that may wait for a worker; 0 = [`DEFAULT_QUEUE_PER_WORKER`] per worker. Never
    /// less than `max_batch`, so that a full batch can always be queued.
    pub queue: usize,
    /// Most open connections; more are closed as soon as they are accepted.
    pub max_connections: usize,
    /// Most concurrent calls (HTTP/2 streams) on one connection.
    pub max_concurrent_streams: u32,
    /// How often an HTTP/2 PING checks an open connection.
    pub keepalive_interval: Duration,
    /// How long a PING may go unanswered before the connection is closed.
    pub keepalive_timeout: Duration,
    /// How long a connection may go without any call before it is closed.
    pub idle_timeout: Duration,
    /// How long a request message may stall midway (or a unary call wait for its message).
    pub message_timeout: Duration,
    /// How long shutdown waits for calls in flight before closing their connections.
    pub drain_timeout: Duration,
    /// Whether the classifier's responses are compressed (gzip or zstd) for clients that accept
    /// it. Compressing costs CPU per call, and some clients (grpcio) accept gzip on every call.
    pub compress_responses: bool,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            max_text_bytes: DEFAULT_MAX_TEXT_BYTES,
            max_batch: DEFAULT_MAX_BATCH,
            max_batch_bytes: DEFAULT_MAX_BATCH_BYTES,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            max_pending_bytes: DEFAULT_MAX_PENDING_BYTES,
            workers: 0,
            queue: 0,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            max_concurrent_streams: DEFAULT_MAX_CONCURRENT_STREAMS,
            keepalive_interval: DEFAULT_KEEPALIVE_INTERVAL,
            keepalive_timeout: DEFAULT_KEEPALIVE_TIMEOUT,
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
            message_timeout: DEFAULT_MESSAGE_TIMEOUT,
            drain_timeout: DEFAULT_DRAIN_TIMEOUT,
            compress_responses: true,
        }
    }
}

impl Config {
    /// Largest Classify (and ClassifyStream) message: a text and a title at the limit plus
    /// [`MESSAGE_MARGIN_BYTES`]. Above the text limit, so that a text slightly too long reaches
    /// the handler and gets INVALID_ARGUMENT naming the text limit.
    pub fn max_message_bytes(&self) -> usize {
        self.max_text_bytes
            .saturating_mul(2)
            .saturating_add(MESSAGE_MARGIN_BYTES)
    }

    /// The budget of bytes on their way (see [`Config::max_pending_bytes`]).
    pub fn pending_limit(&self) -> usize {
        self.max_pending_bytes
            .max(self.max_batch_bytes)
            .max(self.max_message_bytes())
    }

    /// Worker threads: `workers`, or one per core.
    pub fn worker_count(&self) -> usize {
        match self.workers {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        }
    }

    /// Queue capacity in documents (see [`Config::queue`]).
    pub fn queue_capacity(&self) -> usize {
        let q = match self.queue {
            0 => DEFAULT_QUEUE_PER_WORKER.saturating_mul(self.worker_count()),
            n => n,
        };
        q.max(self.max_batch).max(1)
    }
}

/// Errors that stop the server.
pub type ServeError = Box<dyn std::error::Error + Send + Sync>;

/// Where the server listens, and how. A bare listener is plaintext gRPC only.
#[derive(Debug)]
pub struct Endpoints {
    /// gRPC: the classifier, health and reflection (`--addr`).
    pub grpc: TcpListener,
    /// The HTTP/JSON endpoint (`--http-addr`), if any.
    pub http: Option<TcpListener>,
    /// TLS on both listeners (`--tls-cert`, `--tls-key`, `--tls-client-ca`); plaintext if `None`.
    pub tls: Option<Tls>,
}

impl From<TcpListener> for Endpoints {
    fn from(grpc: TcpListener) -> Endpoints {
        Endpoints {
            grpc,
            http: None,
            tls: None,
        }
    }
}

/// The layers around every call: metrics (outermost, so that it sees the guard's refusals too),
/// then the guard.
pub type Layers = tower_layer::Stack<
    guard::GuardLayer,
    tower_layer::Stack<metrics::MetricsLayer, tower_layer::Identity>,
>;

/// The gRPC server with `config`'s transport settings, the call metrics, the call guard and TLS:
/// the one place they are set.
pub fn transport_builder(
    config: &Config,
    guard: guard::GuardLayer,
    tls: Option<&Tls>,
) -> Result<tonic::transport::Server<Layers>, ServeError> {
    let on = |d: Duration| Some(d).filter(|d| !d.is_zero());
    let mut builder = tonic::transport::Server::builder()
        .max_concurrent_streams(config.max_concurrent_streams)
        .http2_keepalive_interval(on(config.keepalive_interval))
        .http2_keepalive_timeout(on(config.keepalive_timeout));
    if let Some(tls) = tls {
        builder = builder
            .tls_config(tls.grpc_config())
            .map_err(|e| format!("TLS: {e}"))?;
    }
    Ok(builder.layer(metrics::MetricsLayer).layer(guard))
}

/// Gzip and zstd both ways on a generated service (health, reflection), as [`rpc::COMPRESSION`]
/// on the classifier's.
macro_rules! compressed {
    ($service:expr) => {{
        let mut service = $service;
        for encoding in rpc::COMPRESSION {
            service = service
                .accept_compressed(encoding)
                .send_compressed(encoding);
        }
        service
    }};
}

/// Serves on `endpoints` with a worker pool of its own until `shutdown` completes; see [`serve`].
pub async fn run(
    endpoints: impl Into<Endpoints>,
    engine: Arc<Engine>,
    config: Config,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), ServeError> {
    let pool = Pool::new(config.worker_count(), config.queue_capacity())?;
    let result = serve(endpoints, engine, pool.clone(), config, shutdown).await;
    pool.shutdown();
    result
}

/// Serves on `endpoints`, classifying on `pool`, until `shutdown` completes; then shuts down
/// gracefully: health turns NOT_SERVING, the listeners close, calls in flight finish, and after
/// `config.drain_timeout` the connections still open are closed.
pub async fn serve(
    endpoints: impl Into<Endpoints>,
    engine: Arc<Engine>,
    pool: Pool,
    config: Config,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), ServeError> {
    let Endpoints {
        grpc: listener,
        http: http_listener,
        tls,
    } = endpoints.into();
    let addr = listener.local_addr()?;
    let http_addr = http_listener.as_ref().map(|l| l.local_addr()).transpose()?;
    let (reporter, health) = tonic_health::server::health_reporter();
    let health = compressed!(health);
    reporter
        .set_service_status("", ServingStatus::Serving)
        .await;
    reporter
        .set_service_status(SERVICE_NAME, ServingStatus::Serving)
        .await;

    let reflection_v1 = compressed!(reflection_builder().build_v1()?);
    let reflection_v1alpha = compressed!(reflection_builder().build_v1alpha()?);

    let info = engine.current().info().clone();
    let stats = pool.stats();
    tracing::info!(
        %addr,
        http_addr = http_addr.map(|a| a.to_string()).unwrap_or_else(|| "off".to_owned()),
        tls = match &tls {
            None => "off",
            Some(t) if t.is_mutual() => "mutual",
            Some(_) => "on",
        },
        rules_version = %info.version,
        rules_source = %info.source,
        max_text_bytes = config.max_text_bytes,
        max_batch = config.max_batch,
        max_batch_bytes = config.max_batch_bytes,
        workers = stats.workers,
        queue = stats.capacity,
        max_connections = config.max_connections,
        "khabar serving"
    );

    let connections = Connections::new(config.max_connections, Some(config.idle_timeout));
    let incoming = transport::Incoming::new(listener, Arc::clone(&connections));
    let _sampler = metrics::spawn_sampler(&engine, &pool, &connections);
    let service = ClassifierService::new(engine, pool, config);
    let classifier = rpc::ClassifierRoutes::new(service.clone());
    let guard = guard::GuardLayer::new(&config);

    let (http_stop_tx, http_stop_rx) = tokio::sync::watch::channel(false);
    let http_server = {
        let (connections, pending) = (Arc::clone(&connections), guard.pending());
        let acceptor = tls.as_ref().map(Tls::http_acceptor);
        async move {
            if let Some(l) = http_listener {
                http::serve(l, connections, service, pending, acceptor, http_stop_rx).await;
            }
        }
    };

    let (draining_tx, draining_rx) = tokio::sync::oneshot::channel::<()>();
    let signal = async move {
        shutdown.await;
        tracing::info!("shutting down: refusing new calls, finishing calls in flight");
        reporter
            .set_service_status("", ServingStatus::NotServing)
            .await;
        reporter
            .set_service_status(SERVICE_NAME, ServingStatus::NotServing)
            .await;
        let _ = http_stop_tx.send(true);
        let _ = draining_tx.send(());
    };

    let grpc_server = transport_builder(&config, guard, tls.as_ref())?
        .add_service(health)
        .add_service(reflection_v1)
        .add_service(reflection_v1alpha)
        .add_service(classifier)
        .serve_with_incoming_shutdown(incoming, signal);
    let server = async {
        let (grpc, ()) = tokio::join!(grpc_server, http_server);
        grpc
    };
    tokio::pin!(server);
    let drain_timeout = async {
        if draining_rx.await.is_err() {
            std::future::pending::<()>().await;
        }
        tokio::time::sleep(config.drain_timeout).await;
    };
    tokio::select! {
        result = &mut server => result?,
        () = drain_timeout => {
            tracing::warn!(
                connections = connections.open(),
                calls = connections.calls(),
                "drain timeout ({} s): closing the connections still open",
                config.drain_timeout.as_secs_f64()
            );
            connections.force_close();
            match tokio::time::timeout(Duration::from_secs(5), &mut server).await {
                Ok(result) => result?,
                Err(_) => tracing::warn!("connections did not close; stopping anyway"),
            }
        }
    }
    tracing::info!("khabar stopped");
    Ok(())
}

fn reflection_builder() -> tonic_reflection::server::Builder<'static> {
    tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(pb::FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
}
