//! Prometheus metrics (`khabar serve --metrics-addr ADDR`): text exposition at `/metrics` (any
//! path answers the same; `/health` answers `OK`), served by `metrics-exporter-prometheus` on a
//! listener of its own.
//!
//! Counters and histograms are recorded with the `metrics` facade where things happen: a call
//! ends ([`MetricsLayer`], around every gRPC call), a document gets its answer
//! ([`document`], in the handlers), the classifier runs ([`classified`], on the workers), a
//! reload ends ([`reload`], in [`crate::reload`]). Until [`install`] sets the recorder they cost
//! nothing but the facade's check (the library, its tests and `khabar classify` never install
//! one). Gauges of the pool, the connections and the rules in use are sampled once a second
//! ([`spawn_sampler`]).
//!
//! | metric | type | labels |
//! | --- | --- | --- |
//! | `khabar_requests_total` | counter | `service`, `method`, `code` (gRPC code name) |
//! | `khabar_request_duration_seconds` | histogram | `service`, `method` (call start to its status) |
//! | `khabar_documents_total` | counter | `method`, `code` (a batch's or a stream's documents one by one) |
//! | `khabar_classified_bytes_total` | counter | text plus title bytes of the documents classified |
//! | `khabar_classify_duration_seconds` | histogram | time on a worker per document |
//! | `khabar_queue_documents`, `khabar_queue_capacity_documents` | gauge | documents waiting for a worker; the queue's size |
//! | `khabar_workers`, `khabar_workers_busy` | gauge | worker threads; those classifying now |
//! | `khabar_pool_documents_total` | counter | `outcome`: `accepted`, `rejected` (queue full: RESOURCE_EXHAUSTED), `completed`, `expired` (deadline), `abandoned` (caller gone) |
//! | `khabar_connections_open`, `khabar_calls_in_flight` | gauge | |
//! | `khabar_connections_refused_total` | counter | over `--max-connections` |
//! | `khabar_rules_info` | gauge (1) | `version`, `source` of the rules in use (the version replaced drops to 0, then goes) |
//! | `khabar_rules_loaded_timestamp_seconds` | gauge | when the rules in use were loaded |
//! | `khabar_rules_reloads_total` | counter | `result`: `ok`, `unchanged`, `error` |
//! | `khabar_build_info` | gauge (1) | `version`, `commit` |
//!
//! Label values are bounded: a method the server does not serve is counted as `unknown`, so a
//! client cannot create series at will.

use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use http_body::{Frame, SizeHint};
use metrics::{counter, describe_counter, describe_gauge, describe_histogram, gauge, histogram};
use metrics_exporter_prometheus::{BuildError, Matcher, PrometheusBuilder};
use metrics_util::MetricKindMask;
use tonic::body::Body;
use tonic::codegen::{BoxFuture, Bytes};
use tonic::{Code, Status};
use tower_service::Service;

use super::pool::Pool;
use super::status::code_name;
use super::transport::Connections;
use crate::reload::{Engine, Reload};

/// Calls by service, method and status code.
pub const REQUESTS: &str = "khabar_requests_total";
/// Call latency by service and method.
pub const REQUEST_DURATION: &str = "khabar_request_duration_seconds";
/// Documents answered by method and status code.
pub const DOCUMENTS: &str = "khabar_documents_total";
/// Text and title bytes classified.
pub const CLASSIFIED_BYTES: &str = "khabar_classified_bytes_total";
/// Worker time per document.
pub const CLASSIFY_DURATION: &str = "khabar_classify_duration_seconds";
/// Documents waiting for a worker.
pub const QUEUE_DOCUMENTS: &str = "khabar_queue_documents";
/// The queue's capacity in documents.
pub const QUEUE_CAPACITY: &str = "khabar_queue_capacity_documents";
/// Worker threads.
pub const WORKERS: &str = "khabar_workers";
/// Workers classifying now.
pub const WORKERS_BUSY: &str = "khabar_workers_busy";
/// Documents through the pool, by outcome.
pub const POOL_DOCUMENTS: &str = "khabar_pool_documents_total";
/// Open connections.
pub const CONNECTIONS_OPEN: &str = "khabar_connections_open";
/// Calls in flight on all connections.
pub const CALLS_IN_FLIGHT: &str = "khabar_calls_in_flight";
/// Connections refused over `--max-connections`.
pub const CONNECTIONS_REFUSED: &str = "khabar_connections_refused_total";
/// The rules in use (1), by version and source.
pub const RULES_INFO: &str = "khabar_rules_info";
/// When the rules in use were loaded (Unix seconds).
pub const RULES_LOADED: &str = "khabar_rules_loaded_timestamp_seconds";
/// Reloads by result.
pub const RELOADS: &str = "khabar_rules_reloads_total";
/// The build (1), by version and commit.
pub const BUILD_INFO: &str = "khabar_build_info";

/// Latency buckets, in seconds: a seed article takes about a millisecond; a queue at its limit
/// or a large batch, hundreds.
const LATENCY_BUCKETS: [f64; 16] = [
    0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0,
];

/// How often the gauges are sampled.
const SAMPLE_EVERY: Duration = Duration::from_secs(1);

/// A gauge not set for this long disappears from the exposition: the `khabar_rules_info` of a
/// replaced rule set (every live gauge is set once a second by the sampler).
const GAUGE_IDLE: Duration = Duration::from_secs(30);

/// Set once the recorder is installed: the layer and the sampler do nothing before.
static ENABLED: AtomicBool = AtomicBool::new(false);

/// Whether [`install`] has set the recorder (in this process).
pub fn enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

/// Why the metrics endpoint could not start.
#[derive(Debug, thiserror::Error)]
#[error("cannot serve metrics on {addr}: {source}")]
pub struct MetricsError {
    addr: SocketAddr,
    #[source]
    source: BuildError,
}

/// Installs the process-wide recorder and serves it on `addr` (binds at once: an address in use
/// is an error here). Call it inside the Tokio runtime, once per process.
pub fn install(addr: SocketAddr) -> Result<(), MetricsError> {
    let err = |source| MetricsError { addr, source };
    PrometheusBuilder::new()
        .with_http_listener(addr)
        .set_buckets_for_metric(
            Matcher::Suffix("_duration_seconds".to_owned()),
            &LATENCY_BUCKETS,
        )
        .map_err(err)?
        .idle_timeout(MetricKindMask::GAUGE, Some(GAUGE_IDLE))
        .install()
        .map_err(err)?;
    describe();
    ENABLED.store(true, Ordering::Relaxed);
    gauge!(BUILD_INFO, "version" => env!("CARGO_PKG_VERSION"), "commit" => env!("KHABAR_GIT_COMMIT"))
        .set(1.0);
    tracing::info!(%addr, "serving Prometheus metrics at /metrics");
    Ok(())
}

fn describe() {
    describe_counter!(REQUESTS, "gRPC calls by service, method and status code");
    describe_histogram!(
        REQUEST_DURATION,
        metrics::Unit::Seconds,
        "gRPC call latency, from the request's headers to the call's status"
    );
    describe_counter!(
        DOCUMENTS,
        "documents answered by method and status code (each of a batch or a stream)"
    );
    describe_counter!(
        CLASSIFIED_BYTES,
        metrics::Unit::Bytes,
        "text plus title bytes of the documents classified"
    );
    describe_histogram!(
        CLASSIFY_DURATION,
        metrics::Unit::Seconds,
        "classification time of one document on a worker"
    );
    describe_gauge!(QUEUE_DOCUMENTS, "documents waiting for a worker");
    describe_gauge!(QUEUE_CAPACITY, "most documents the queue holds (--queue)");
    describe_gauge!(WORKERS, "classification worker threads (--workers)");
    describe_gauge!(WORKERS_BUSY, "workers classifying now");
    describe_counter!(
        POOL_DOCUMENTS,
        "documents through the worker pool by outcome (rejected: queue full, answered RESOURCE_EXHAUSTED)"
    );
    describe_gauge!(CONNECTIONS_OPEN, "open client connections");
    describe_gauge!(CALLS_IN_FLIGHT, "calls in flight on all connections");
    describe_counter!(
        CONNECTIONS_REFUSED,
        "connections closed at once because --max-connections were open"
    );
    describe_gauge!(
        RULES_INFO,
        "the rules in use: 1 for their version and source"
    );
    describe_gauge!(
        RULES_LOADED,
        metrics::Unit::Seconds,
        "when the rules in use were loaded (Unix time)"
    );
    describe_counter!(
        RELOADS,
        "rules reloads by result (ok, unchanged, error: the old rules keep serving)"
    );
    describe_gauge!(BUILD_INFO, "the build: 1 for its version and commit");
}

/// One document answered by `method` with `code` (each document of a batch or a stream).
pub fn document(method: &'static str, code: Code) {
    if enabled() {
        counter!(DOCUMENTS, "method" => method, "code" => code_name(code)).increment(1);
    }
}

/// One document classified on a worker: its text and title bytes and the time it took.
pub fn classified(bytes: usize, took: Duration) {
    if enabled() {
        counter!(CLASSIFIED_BYTES).increment(bytes as u64);
        histogram!(CLASSIFY_DURATION).record(took.as_secs_f64());
    }
}

/// A reload ended; with [`Reload::Ok`], `old` was replaced by the rules `engine` now serves.
fn reload(result: Reload, old: &str, engine: &Engine) {
    if !enabled() {
        return;
    }
    let name = match result {
        Reload::Ok => "ok",
        Reload::Unchanged => "unchanged",
        Reload::Error => "error",
    };
    counter!(RELOADS, "result" => name).increment(1);
    if result == Reload::Ok {
        let source = engine.current().info().source.clone();
        gauge!(RULES_INFO, "version" => old.to_owned(), "source" => source).set(0.0);
        rules_in_use(engine);
    }
}

/// Sets `khabar_rules_info` (and the load time) for the rules `engine` serves now.
fn rules_in_use(engine: &Engine) {
    let current = engine.current();
    let info = current.info();
    gauge!(RULES_INFO, "version" => info.version.clone(), "source" => info.source.clone()).set(1.0);
    gauge!(RULES_LOADED).set(info.loaded_at.as_millisecond() as f64 / 1000.0);
}

/// Samples the gauges of `pool`, `connections` and `engine` once a second while the returned
/// guard lives, and counts the engine's reloads (as its observer); `None` (nothing to do) when
/// metrics are off.
pub fn spawn_sampler(
    engine: &Arc<Engine>,
    pool: &Pool,
    connections: &Arc<Connections>,
) -> Option<Sampler> {
    if !enabled() {
        return None;
    }
    engine.observe(reload);
    let (engine, pool, connections) = (Arc::clone(engine), pool.clone(), Arc::clone(connections));
    let task = tokio::spawn(async move {
        let mut tick = tokio::time::interval(SAMPLE_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            sample(&engine, &pool, &connections);
        }
    });
    Some(Sampler { task })
}

fn sample(engine: &Engine, pool: &Pool, connections: &Connections) {
    let s = pool.stats();
    gauge!(QUEUE_DOCUMENTS).set(s.queued as f64);
    gauge!(QUEUE_CAPACITY).set(s.capacity as f64);
    gauge!(WORKERS).set(s.workers as f64);
    gauge!(WORKERS_BUSY).set(s.running as f64);
    for (outcome, n) in [
        ("accepted", s.accepted),
        ("rejected", s.rejected),
        ("completed", s.completed),
        ("expired", s.expired),
        ("abandoned", s.abandoned),
    ] {
        counter!(POOL_DOCUMENTS, "outcome" => outcome).absolute(n);
    }
    gauge!(CONNECTIONS_OPEN).set(connections.open() as f64);
    gauge!(CALLS_IN_FLIGHT).set(connections.calls() as f64);
    counter!(CONNECTIONS_REFUSED).absolute(connections.refused());
    gauge!(BUILD_INFO, "version" => env!("CARGO_PKG_VERSION"), "commit" => env!("KHABAR_GIT_COMMIT"))
        .set(1.0);
    rules_in_use(engine);
}

/// The running sampler; dropping it stops the sampling.
#[derive(Debug)]
pub struct Sampler {
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Sampler {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The methods the server serves, as `(service, method)` label values; anything else is
/// `("unknown", "unknown")`.
const METHODS: [(&str, &str); 8] = [
    ("khabar.v1.Classifier", "Classify"),
    ("khabar.v1.Classifier", "ClassifyBatch"),
    ("khabar.v1.Classifier", "ClassifyStream"),
    ("khabar.v1.Classifier", "GetRules"),
    ("grpc.health.v1.Health", "Check"),
    ("grpc.health.v1.Health", "Watch"),
    (
        "grpc.reflection.v1.ServerReflection",
        "ServerReflectionInfo",
    ),
    (
        "grpc.reflection.v1alpha.ServerReflection",
        "ServerReflectionInfo",
    ),
];

/// The label values of a request path (`/khabar.v1.Classifier/Classify`).
fn method_labels(path: &str) -> (&'static str, &'static str) {
    let mut parts = path.strip_prefix('/').unwrap_or(path).splitn(2, '/');
    let (service, method) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    METHODS
        .iter()
        .find(|(s, m)| *s == service && *m == method)
        .copied()
        .unwrap_or(("unknown", "unknown"))
}

/// The status code in a header map (`grpc-status`), if there is one.
fn grpc_status(headers: &http::HeaderMap) -> Option<Code> {
    let v = headers.get("grpc-status")?.to_str().ok()?;
    Some(Code::from_i32(v.parse().ok()?))
}

/// A tower layer counting every call (`khabar_requests_total`) and timing it
/// (`khabar_request_duration_seconds`) when it ends: at a trailers-only response, at the
/// trailers of the response body, or when the body is dropped unfinished (CANCELLED: the client
/// went away).
#[derive(Clone, Copy, Debug, Default)]
pub struct MetricsLayer;

impl<S> tower_layer::Layer<S> for MetricsLayer {
    type Service = Metered<S>;

    fn layer(&self, inner: S) -> Metered<S> {
        Metered { inner }
    }
}

/// The service of [`MetricsLayer`].
#[derive(Clone, Debug)]
pub struct Metered<S> {
    inner: S,
}

impl<S> Service<http::Request<Body>> for Metered<S>
where
    S: Service<http::Request<Body>, Response = http::Response<Body>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    S::Error: Send + 'static,
{
    type Response = http::Response<Body>;
    type Error = S::Error;
    type Future = BoxFuture<http::Response<Body>, S::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: http::Request<Body>) -> Self::Future {
        let clone = self.inner.clone();
        let mut inner = std::mem::replace(&mut self.inner, clone);
        if !enabled() {
            return Box::pin(inner.call(req));
        }
        let (service, method) = method_labels(req.uri().path());
        let mut call = Call {
            service,
            method,
            started: Instant::now(),
            done: false,
        };
        Box::pin(async move {
            let response = match inner.call(req).await {
                Ok(r) => r,
                Err(e) => {
                    call.end(Code::Unknown);
                    return Err(e);
                }
            };
            if let Some(code) = grpc_status(response.headers()) {
                call.end(code); // trailers-only: the call is over
            }
            Ok(response.map(|inner| Body::new(ObservedBody { inner, call })))
        })
    }
}

/// A call being measured; recorded once, at its status or when dropped.
struct Call {
    service: &'static str,
    method: &'static str,
    started: Instant,
    done: bool,
}

impl Call {
    fn end(&mut self, code: Code) {
        if std::mem::replace(&mut self.done, true) {
            return;
        }
        counter!(REQUESTS, "service" => self.service, "method" => self.method, "code" => code_name(code))
            .increment(1);
        histogram!(REQUEST_DURATION, "service" => self.service, "method" => self.method)
            .record(self.started.elapsed().as_secs_f64());
    }
}

impl Drop for Call {
    fn drop(&mut self) {
        self.end(Code::Cancelled);
    }
}

/// A response body that records its call at the trailers (or at its end or drop).
struct ObservedBody {
    inner: Body,
    call: Call,
}

impl http_body::Body for ObservedBody {
    type Data = Bytes;
    type Error = Status;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Status>>> {
        let this = &mut *self;
        let polled = Pin::new(&mut this.inner).poll_frame(cx);
        match &polled {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(code) = frame.trailers_ref().and_then(grpc_status) {
                    this.call.end(code);
                }
            }
            Poll::Ready(Some(Err(status))) => this.call.end(status.code()),
            // The body ended without a status: not a gRPC answer.
            Poll::Ready(None) => this.call.end(Code::Unknown),
            Poll::Pending => {}
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

impl std::fmt::Debug for ObservedBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ObservedBody")
            .field("method", &self.call.method)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_bounded() {
        assert_eq!(
            method_labels("/khabar.v1.Classifier/Classify"),
            ("khabar.v1.Classifier", "Classify")
        );
        assert_eq!(
            method_labels("/grpc.health.v1.Health/Check"),
            ("grpc.health.v1.Health", "Check")
        );
        for path in [
            "/khabar.v1.Classifier/Nope",
            "/x/Classify",
            "",
            "/",
            "/khabar.v1.Classifier/Classify/more",
        ] {
            assert_eq!(method_labels(path), ("unknown", "unknown"), "{path}");
        }
    }

    #[test]
    fn code_names() {
        assert_eq!(code_name(Code::Ok), "OK");
        assert_eq!(code_name(Code::InvalidArgument), "INVALID_ARGUMENT");
        assert_eq!(code_name(Code::from_i32(8)), "RESOURCE_EXHAUSTED");
        let mut h = http::HeaderMap::new();
        assert_eq!(grpc_status(&h), None);
        h.insert("grpc-status", "3".parse().unwrap());
        assert_eq!(grpc_status(&h), Some(Code::InvalidArgument));
    }
}
