//! The HTTP/JSON endpoint (`--http-addr`), for clients that speak HTTP and JSON rather than gRPC:
//!
//! | method and path | body | answer |
//! | --- | --- | --- |
//! | `POST /v1/classify` | a `ClassifyRequest` | a `ClassifyResponse` |
//! | `POST /v1/classify:batch` | a `ClassifyBatchRequest` | a `ClassifyBatchResponse` |
//! | `GET /v1/rules` | none | a `GetRulesResponse` |
//!
//! Bodies are the proto3 JSON mapping of the messages (pbjson: the JSON grpcurl reads and
//! prints). Every call goes through the gRPC handlers ([`ClassifierService`]): the same
//! validation, the same limits and the same worker pool, so an answer is the gRPC answer. A
//! batch is split into its documents without decoding them, and each document is decoded on a
//! worker, so a document that is not a valid request gets an error entry and the others are
//! answered, as over gRPC.
//!
//! An error is `{"code": 3, "status": "INVALID_ARGUMENT", "message": "text is empty"}` (the
//! gRPC code, its name and the message gRPC would give) with the HTTP status of that code
//! ([`http_status`]), except where HTTP has a more precise one: 404 (unknown path, NOT_FOUND),
//! 405 (known path, other method, UNIMPLEMENTED, with `Allow`), 413 (body over the method's limit,
//! RESOURCE_EXHAUSTED), 415 (a body that is not `application/json`, INVALID_ARGUMENT), 408 (a body
//! that stalls for `--message-timeout`, DEADLINE_EXCEEDED).
//!
//! Connections come from the same accept loop as gRPC ([`super::transport`]: TCP_NODELAY, the
//! connection limit shared with gRPC, the idle timeout, the forced close at the end of the
//! drain), optionally behind TLS ([`super::tls`]); HTTP/1.1 and HTTP/2 (h2c, or ALPN under TLS).
//! A body's announced length takes its share of `--max-pending-bytes` while it arrives, with the
//! gRPC messages on their way.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::{Duration, Instant};

use http::header::{ALLOW, CONTENT_LENGTH, CONTENT_TYPE};
use http::{HeaderValue, Method, StatusCode};
use http_body_util::{BodyExt as _, Full};
use hyper::body::Incoming as HyperBody;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use prost::bytes::Bytes;
use serde_json::value::RawValue;
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tokio_stream::StreamExt as _;
use tonic::body::Body;
use tonic::transport::server::Connected as _;
use tonic::Code;

use super::guard::{self, method_limits, Pending};
use super::service::ClassifierService;
use super::service::Decoded;
use super::status::code_name;
use super::tls::HANDSHAKE_TIMEOUT;
use super::transport::{Connections, Incoming};
use super::Config;
use crate::model::{shown, ClassifyError};
use crate::pb;

/// `POST`: one document.
pub const CLASSIFY_PATH: &str = "/v1/classify";
/// `POST`: a batch of documents.
pub const BATCH_PATH: &str = "/v1/classify:batch";
/// `GET`: the rules in use.
pub const RULES_PATH: &str = "/v1/rules";

/// What every request of the endpoint needs.
struct State {
    service: ClassifierService,
    pending: Arc<Pending>,
    config: Config,
}

/// Serves HTTP/JSON on `listener` until `stop` turns true; then stops accepting, lets the
/// requests in flight finish (the caller closes what is left after the drain timeout through
/// `connections`) and returns once every connection has ended.
pub(crate) async fn serve(
    listener: TcpListener,
    connections: Arc<Connections>,
    service: ClassifierService,
    pending: Arc<Pending>,
    tls: Option<TlsAcceptor>,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    let config = *service.config();
    let state = Arc::new(State {
        service,
        pending,
        config,
    });
    let builder = connection_builder(&config);
    let graceful = GracefulShutdown::new();
    let mut incoming = Incoming::new(listener, connections);
    loop {
        let conn = tokio::select! {
            _ = stop.wait_for(|stop| *stop) => break,
            conn = incoming.next() => conn,
        };
        let conn = match conn {
            Some(Ok(conn)) => conn,
            Some(Err(_)) => continue, // not produced: Incoming logs and retries its errors
            None => break,
        };
        let watcher = graceful.watcher();
        let builder = builder.clone();
        let state = Arc::clone(&state);
        let tls = tls.clone();
        tokio::spawn(async move {
            let info = conn.connect_info();
            let peer = info.remote_addr;
            let service = hyper::service::service_fn(move |req| {
                let state = Arc::clone(&state);
                let call = info.state.call_started();
                async move {
                    let response = handle(&state, req).await;
                    Ok::<_, Infallible>(guard::track(response, Some(call)))
                }
            });
            let served = match tls {
                None => {
                    let c = builder.serve_connection(TokioIo::new(conn), service);
                    watcher.watch(c.into_owned()).await
                }
                Some(tls) => {
                    match tokio::time::timeout(HANDSHAKE_TIMEOUT, tls.accept(conn)).await {
                        Ok(Ok(stream)) => {
                            let c = builder.serve_connection(TokioIo::new(stream), service);
                            watcher.watch(c.into_owned()).await
                        }
                        Ok(Err(e)) => {
                            tracing::debug!(?peer, "TLS handshake failed: {e}");
                            return;
                        }
                        Err(_) => {
                            tracing::debug!(?peer, "TLS handshake timed out");
                            return;
                        }
                    }
                }
            };
            if let Err(e) = served {
                tracing::debug!(?peer, "HTTP connection ended: {e}");
            }
        });
    }
    drop(incoming); // closes the listener
    graceful.shutdown().await;
}

/// HTTP/1.1 and HTTP/2 with the transport settings of gRPC.
fn connection_builder(config: &Config) -> auto::Builder<TokioExecutor> {
    let on = |d: Duration| Some(d).filter(|d| !d.is_zero());
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(on(config.message_timeout));
    builder
        .http2()
        .timer(TokioTimer::new())
        .max_concurrent_streams(config.max_concurrent_streams)
        .keep_alive_interval(on(config.keepalive_interval))
        .keep_alive_timeout(config.keepalive_timeout);
    builder
}

/// An error answer: the gRPC code and message, and the HTTP status.
#[derive(Debug)]
struct HttpError {
    status: StatusCode,
    code: Code,
    message: String,
}

impl HttpError {
    fn new(status: StatusCode, code: Code, message: impl Into<String>) -> HttpError {
        HttpError {
            status,
            code,
            message: message.into(),
        }
    }
}

impl From<tonic::Status> for HttpError {
    fn from(s: tonic::Status) -> HttpError {
        HttpError::new(http_status(s.code()), s.code(), s.message())
    }
}

/// The HTTP status of a gRPC code (the mapping of `google.rpc.Code`'s documentation, which
/// grpc-gateway and Google's JSON APIs use).
pub fn http_status(code: Code) -> StatusCode {
    match code {
        Code::Ok => StatusCode::OK,
        Code::Cancelled => StatusCode::from_u16(499).unwrap_or(StatusCode::BAD_REQUEST),
        Code::InvalidArgument | Code::FailedPrecondition | Code::OutOfRange => {
            StatusCode::BAD_REQUEST
        }
        Code::DeadlineExceeded => StatusCode::GATEWAY_TIMEOUT,
        Code::NotFound => StatusCode::NOT_FOUND,
        Code::AlreadyExists | Code::Aborted => StatusCode::CONFLICT,
        Code::PermissionDenied => StatusCode::FORBIDDEN,
        Code::Unauthenticated => StatusCode::UNAUTHORIZED,
        Code::ResourceExhausted => StatusCode::TOO_MANY_REQUESTS,
        Code::Unimplemented => StatusCode::NOT_IMPLEMENTED,
        Code::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        Code::Unknown | Code::Internal | Code::DataLoss => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn json_response(status: StatusCode, body: Vec<u8>) -> http::Response<Body> {
    let mut response = http::Response::new(Body::new(Full::new(Bytes::from(body))));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

fn error_response(e: HttpError) -> http::Response<Body> {
    let body = serde_json::json!({
        "code": e.code as i32,
        "status": code_name(e.code),
        "message": e.message,
    });
    json_response(e.status, body.to_string().into_bytes())
}

/// A message as JSON; its failure is INTERNAL (not expected: every field serializes).
fn to_json<T: serde::Serialize>(message: &T) -> Result<Vec<u8>, HttpError> {
    serde_json::to_vec(message).map_err(|e| {
        HttpError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            Code::Internal,
            format!("cannot serialize the response: {e}"),
        )
    })
}

/// The routes: the known paths and the method each takes.
fn route(path: &str) -> Option<(&'static str, Method)> {
    match path {
        CLASSIFY_PATH => Some((CLASSIFY_PATH, Method::POST)),
        BATCH_PATH => Some((BATCH_PATH, Method::POST)),
        RULES_PATH => Some((RULES_PATH, Method::GET)),
        _ => None,
    }
}

async fn handle(state: &State, req: http::Request<HyperBody>) -> http::Response<Body> {
    let started = Instant::now();
    let (parts, body) = req.into_parts();
    let path = parts.uri.path();
    let result = match route(path) {
        Some((route, method)) if parts.method == method => match route {
            CLASSIFY_PATH => classify(state, &parts.headers, body).await,
            BATCH_PATH => batch(state, &parts.headers, body).await,
            _ => rules(state),
        },
        Some((_, method)) => {
            let mut response = error_response(HttpError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                Code::Unimplemented,
                format!("{path} takes {method} only, not {}", parts.method),
            ));
            if let Ok(allow) = HeaderValue::from_str(method.as_str()) {
                response.headers_mut().insert(ALLOW, allow);
            }
            return response;
        }
        None => Err(HttpError::new(
            StatusCode::NOT_FOUND,
            Code::NotFound,
            format!(
                "no such path {}: POST {CLASSIFY_PATH}, POST {BATCH_PATH} and GET {RULES_PATH} are served",
                shown(path)
            ),
        )),
    };
    let elapsed_us = started.elapsed().as_micros() as u64;
    match result {
        Ok(json) => {
            tracing::debug!(http = %parts.method, path, elapsed_us, "ok");
            json_response(StatusCode::OK, json)
        }
        Err(e) => {
            tracing::debug!(http = %parts.method, path = %shown(path), status = e.status.as_u16(), error = %e.message, elapsed_us, "failed");
            error_response(e)
        }
    }
}

/// `POST /v1/classify`: the Classify handler.
async fn classify(
    state: &State,
    headers: &http::HeaderMap,
    body: HyperBody,
) -> Result<Vec<u8>, HttpError> {
    let bytes = read_body(state, headers, body, "/khabar.v1.Classifier/Classify").await?;
    let request: Decoded<pb::ClassifyRequest> =
        serde_json::from_slice(&bytes).map_err(|e| ClassifyError::InvalidArgument {
            field: "request",
            message: not_json("khabar.v1.ClassifyRequest", &e),
        });
    let response = state
        .service
        .classify(tonic::Request::new(request))
        .await?
        .into_inner();
    to_json(&response)
}

/// A `ClassifyBatchRequest` with its documents still as JSON text.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawJsonBatch {
    #[serde(default)]
    requests: Option<Vec<Box<RawValue>>>,
}

/// `POST /v1/classify:batch`: the ClassifyBatch handler, each document parsed on a worker.
async fn batch(
    state: &State,
    headers: &http::HeaderMap,
    body: HyperBody,
) -> Result<Vec<u8>, HttpError> {
    let bytes = read_body(state, headers, body, "/khabar.v1.Classifier/ClassifyBatch").await?;
    let docs = serde_json::from_slice::<RawJsonBatch>(&bytes)
        .map(|b| b.requests.unwrap_or_default())
        .map_err(|e| ClassifyError::InvalidArgument {
            field: "request",
            message: not_json("khabar.v1.ClassifyBatchRequest", &e),
        });
    let response = state
        .service
        .classify_batch_of(docs, decode_document, None, bytes.len())
        .await?;
    to_json(&response)
}

/// Document `i` of a batch, from its JSON (owned: it moved to a worker with its chunk).
#[allow(clippy::boxed_local)]
fn decode_document(i: usize, json: Box<RawValue>) -> Decoded<pb::ClassifyRequest> {
    serde_json::from_str(json.get()).map_err(|e| ClassifyError::InvalidArgument {
        field: "requests",
        message: format!(
            "document {i}: {}",
            not_json("khabar.v1.ClassifyRequest", &e)
        ),
    })
}

/// `GET /v1/rules`: the GetRules handler.
fn rules(state: &State) -> Result<Vec<u8>, HttpError> {
    let response = state
        .service
        .get_rules(tonic::Request::new(Ok(pb::GetRulesRequest {})))?
        .into_inner();
    to_json(&response)
}

/// Why a body is not the message: serde's words (client values in them cut short) and where.
fn not_json(message: &str, e: &serde_json::Error) -> String {
    let what = e.to_string();
    let what = what
        .rsplit_once(" at line ")
        .map_or(what.as_str(), |(w, _)| w);
    let what = match what.char_indices().nth(200) {
        Some((cut, _)) => format!("{}…", &what[..cut]),
        None => what.to_owned(),
    };
    format!(
        "not a {message} in proto3 JSON: {what} (line {}, column {})",
        e.line(),
        e.column()
    )
}

/// Bytes of the budget of messages on their way, given back when dropped.
struct Held<'a> {
    pending: &'a Pending,
    bytes: usize,
}

impl Drop for Held<'_> {
    fn drop(&mut self) {
        self.pending.give_back(self.bytes);
    }
}

/// The whole body of a POST to the gRPC method `grpc_path`'s route, within that method's limit,
/// the budget of bytes on their way and `--message-timeout` between pieces.
async fn read_body(
    state: &State,
    headers: &http::HeaderMap,
    mut body: HyperBody,
    grpc_path: &str,
) -> Result<Bytes, HttpError> {
    if let Some(ct) = headers.get(CONTENT_TYPE) {
        let essence = ct.to_str().unwrap_or("").split(';').next().unwrap_or("");
        if !essence.trim().eq_ignore_ascii_case("application/json") {
            return Err(HttpError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                Code::InvalidArgument,
                format!(
                    "the body must be application/json, not {} (curl: -H 'Content-Type: application/json')",
                    shown(ct.to_str().unwrap_or("(not text)"))
                ),
            ));
        }
    }
    let limits = method_limits(&state.config, grpc_path);
    let too_large = |size: String| {
        HttpError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            Code::ResourceExhausted,
            format!(
                "{} request body is {size} bytes, over the limit of {} bytes ({})",
                limits.name, limits.max_bytes, limits.why
            ),
        )
    };
    let announced = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if let Some(n) = announced.filter(|&n| n > limits.max_bytes) {
        return Err(too_large(n.to_string()));
    }
    let mut held = Held {
        pending: &state.pending,
        bytes: 0,
    };
    let take = |n: usize, held: &mut Held<'_>| {
        state.pending.take(n).map_err(|used| {
            HttpError::new(
                StatusCode::TOO_MANY_REQUESTS,
                Code::ResourceExhausted,
                format!(
                    "server busy: request messages of {used} bytes are arriving, and this {} body of {n} bytes would take them over {} bytes (--max-pending-bytes); retry with backoff",
                    limits.name,
                    state.pending.limit()
                ),
            )
        })?;
        held.bytes += n;
        Ok::<_, HttpError>(())
    };
    if let Some(n) = announced {
        take(n, &mut held)?;
    }
    let stall = Some(state.config.message_timeout).filter(|d| !d.is_zero());
    let mut data = Vec::with_capacity(announced.unwrap_or(0));
    loop {
        let frame = match stall {
            Some(d) => match tokio::time::timeout(d, body.frame()).await {
                Ok(frame) => frame,
                Err(_) => {
                    return Err(HttpError::new(
                        StatusCode::REQUEST_TIMEOUT,
                        Code::DeadlineExceeded,
                        format!(
                            "{} request body incomplete: no data for {} s (--message-timeout)",
                            limits.name,
                            d.as_secs_f64()
                        ),
                    ))
                }
            },
            None => body.frame().await,
        };
        let Some(frame) = frame else { break };
        let frame = frame.map_err(|e| {
            HttpError::new(
                StatusCode::BAD_REQUEST,
                Code::InvalidArgument,
                format!("cannot read the request body: {e}"),
            )
        })?;
        if let Ok(chunk) = frame.into_data() {
            let size = data.len() + chunk.len();
            if size > limits.max_bytes {
                return Err(too_large(format!("more than {}", limits.max_bytes)));
            }
            if announced.is_none() {
                take(chunk.len(), &mut held)?;
            }
            data.extend_from_slice(&chunk);
        }
    }
    drop(held);
    Ok(Bytes::from(data))
}
