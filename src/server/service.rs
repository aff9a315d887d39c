//! The `khabar.v1.Classifier` handlers: thin. Each validates the request ([`super::convert`]) on
//! the async side (cheap, and a bad request needs no worker), takes one snapshot of the rules,
//! and hands the classification to the worker pool ([`super::pool`]) with the call's deadline;
//! a full queue is RESOURCE_EXHAUSTED at once. Errors go through the one mapping to status codes
//! ([`super::status`]).

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Instant;

use prost::Message as _;
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Request, Response, Status, Streaming};

use super::convert::rules_info_to_pb;
use super::guard::Deadline;
use super::metrics;
use super::pool::{NotRun, Pool, Ticket};
use super::status::{code_name, document_error, CallError};
use super::Config;
use crate::model::{shown, ClassifyError, Document};
use crate::pb;
use crate::reload::Engine;
use crate::Classifier;

/// A request message as the handlers get it from the routes (`rpc.rs`): decoded, or why not
/// (INVALID_ARGUMENT).
pub type Decoded<T> = Result<T, ClassifyError>;

/// `ClassifyBatchRequest` with its documents still encoded (field 1, `repeated
/// ClassifyRequest requests`, read as `repeated bytes`): each document is decoded on its own,
/// on a worker.
#[derive(Clone, PartialEq, prost::Message)]
pub struct RawBatch {
    /// The encoded `ClassifyRequest`s, in order.
    #[prost(bytes = "bytes", repeated, tag = "1")]
    pub requests: Vec<prost::bytes::Bytes>,
}

/// The gRPC service: the rules, the workers and the limits.
#[derive(Clone, Debug)]
pub struct ClassifierService {
    engine: Arc<Engine>,
    pool: Pool,
    config: Config,
}

impl ClassifierService {
    /// A service classifying with `engine`'s current rules on `pool`, within `config`'s limits.
    pub fn new(engine: Arc<Engine>, pool: Pool, config: Config) -> ClassifierService {
        ClassifierService {
            engine,
            pool,
            config,
        }
    }

    /// The server's settings.
    pub fn config(&self) -> &Config {
        &self.config
    }
}

/// Converts, validates and size-checks one request.
fn prepare(req: Decoded<pb::ClassifyRequest>, config: &Config) -> Result<Document, ClassifyError> {
    let doc = Document::try_from(req?)?;
    doc.check(config.max_text_bytes)?;
    Ok(doc)
}

/// Classifies on the calling (worker) thread and converts the result; a panic becomes INTERNAL,
/// logged without the article's text (a panic message may quote it), never a crash.
fn classify_on_worker(
    classifier: &Classifier,
    doc: &Document,
    config: &Config,
) -> Result<pb::ClassifyResponse, CallError> {
    let started = Instant::now();
    let classified = std::panic::catch_unwind(AssertUnwindSafe(|| classifier.classify(doc)));
    let classification = match classified {
        Ok(r) => {
            let c = r?;
            metrics::classified(doc.text.len() + doc.title.len(), started.elapsed());
            c
        }
        Err(_) => {
            tracing::error!(
                id = ?shown(&doc.id),
                text_bytes = doc.text.len(),
                title_bytes = doc.title.len(),
                "the classifier panicked on a document (its message is in the panic log line)"
            );
            return Err(CallError::Panicked);
        }
    };
    let response = pb::ClassifyResponse::from(classification);
    let size = response.encoded_len();
    if size > config.max_response_bytes {
        return Err(CallError::ResponseTooLarge {
            size,
            limit: config.max_response_bytes,
        });
    }
    Ok(response)
}

/// Document `i` of a gRPC batch, from its protobuf bytes.
fn decode_document(i: usize, bytes: prost::bytes::Bytes) -> Decoded<pb::ClassifyRequest> {
    pb::ClassifyRequest::decode(bytes).map_err(|e| ClassifyError::InvalidArgument {
        field: "requests",
        message: format!("document {i} is not a valid khabar.v1.ClassifyRequest: {e}"),
    })
}

/// Waits for a job of the pool until the call's deadline.
async fn wait<T>(ticket: Ticket<T>, deadline: Option<Instant>) -> Result<T, CallError> {
    let outcome = match deadline {
        Some(d) => match tokio::time::timeout_at(d.into(), ticket).await {
            Ok(outcome) => outcome,
            Err(_) => return Err(CallError::DeadlineExceeded),
        },
        None => ticket.await,
    };
    match outcome {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(NotRun::Expired)) => Err(CallError::DeadlineExceeded),
        Ok(Err(NotRun::Panicked)) => Err(CallError::Panicked),
        Err(_) => Err(CallError::ShuttingDown),
    }
}

fn deadline_of<T>(req: &Request<T>) -> Option<Instant> {
    req.extensions().get::<Deadline>().map(|d| d.0)
}

fn elapsed_us(started: Instant) -> u64 {
    started.elapsed().as_micros() as u64
}

impl ClassifierService {
    /// One document, on a snapshot of the rules and a worker.
    async fn classify_one(
        &self,
        req: Decoded<pb::ClassifyRequest>,
        deadline: Option<Instant>,
    ) -> Result<pb::ClassifyResponse, CallError> {
        let doc = prepare(req, &self.config)?;
        let classifier = self.engine.current();
        let config = self.config;
        let ticket = self.pool.try_run(1, deadline, move || {
            classify_on_worker(&classifier, &doc, &config)
        })?;
        wait(ticket, deadline).await?
    }

    /// `Classify`.
    pub async fn classify(
        &self,
        request: Request<Decoded<pb::ClassifyRequest>>,
    ) -> Result<Response<pb::ClassifyResponse>, Status> {
        let started = Instant::now();
        let deadline = deadline_of(&request);
        let req = request.into_inner();
        let (id, bytes) = match &req {
            Ok(r) => (shown(&r.id), r.text.len()),
            Err(_) => (String::new(), 0),
        };
        match self.classify_one(req, deadline).await {
            Ok(resp) => {
                metrics::document("Classify", tonic::Code::Ok);
                tracing::debug!(
                    rpc = "Classify",
                    id,
                    bytes,
                    code = "OK",
                    topics = resp.topics.len(),
                    entities = resp.entities.len(),
                    elapsed_us = elapsed_us(started),
                    "ok"
                );
                Ok(Response::new(resp))
            }
            Err(e) => {
                let status = Status::from(e);
                metrics::document("Classify", status.code());
                tracing::debug!(
                    rpc = "Classify",
                    id,
                    bytes,
                    code = code_name(status.code()),
                    error = status.message(),
                    elapsed_us = elapsed_us(started),
                    "failed"
                );
                Err(status)
            }
        }
    }

    /// `ClassifyBatch`: the documents are decoded, validated and classified on the workers in
    /// contiguous chunks (one per worker), all queued together or refused together.
    pub async fn classify_batch(
        &self,
        request: Request<Decoded<RawBatch>>,
    ) -> Result<Response<pb::ClassifyBatchResponse>, Status> {
        let deadline = deadline_of(&request);
        let bytes: usize = match request.get_ref() {
            Ok(b) => b.requests.iter().map(|r| r.len()).sum(),
            Err(_) => 0,
        };
        let docs = request.into_inner().map(|raw| raw.requests);
        self.classify_batch_of(docs, decode_document, deadline, bytes)
            .await
            .map(Response::new)
    }

    /// A batch whose documents are still encoded (protobuf from gRPC, JSON from the HTTP
    /// endpoint): `decode` turns document `i` into a request on a worker, so a document that
    /// does not decode gets an error entry and the others are answered. `bytes` is the size of
    /// the encoded documents, for the log.
    pub async fn classify_batch_of<T: Send + 'static>(
        &self,
        docs: Decoded<Vec<T>>,
        decode: fn(usize, T) -> Decoded<pb::ClassifyRequest>,
        deadline: Option<Instant>,
        bytes: usize,
    ) -> Result<pb::ClassifyBatchResponse, Status> {
        let started = Instant::now();
        let result = self.batch(docs, decode, deadline).await;
        match result {
            Ok((resp, failed)) => {
                tracing::debug!(
                    rpc = "ClassifyBatch",
                    bytes,
                    code = "OK",
                    size = resp.results.len(),
                    failed,
                    elapsed_us = elapsed_us(started),
                    "ok"
                );
                Ok(resp)
            }
            Err(e) => {
                let status = Status::from(e);
                tracing::debug!(
                    rpc = "ClassifyBatch",
                    bytes,
                    code = code_name(status.code()),
                    error = status.message(),
                    elapsed_us = elapsed_us(started),
                    "failed"
                );
                Err(status)
            }
        }
    }

    async fn batch<T: Send + 'static>(
        &self,
        docs: Decoded<Vec<T>>,
        decode: fn(usize, T) -> Decoded<pb::ClassifyRequest>,
        deadline: Option<Instant>,
    ) -> Result<(pb::ClassifyBatchResponse, usize), CallError> {
        let requests = docs?;
        let n = requests.len();
        if n > self.config.max_batch {
            return Err(ClassifyError::BatchTooLarge {
                size: n,
                limit: self.config.max_batch,
            }
            .into());
        }
        let classifier = self.engine.current();
        let workers = self.pool.stats().workers.clamp(1, n.max(1));
        let chunk = n.div_ceil(workers).max(1);
        let mut jobs = Vec::with_capacity(workers);
        let mut requests = requests.into_iter().enumerate();
        loop {
            let part: Vec<_> = requests.by_ref().take(chunk).collect();
            if part.is_empty() {
                break;
            }
            let c = Arc::clone(&classifier);
            let config = self.config;
            jobs.push((part.len(), move || {
                part.into_iter()
                    .map(|(i, encoded)| {
                        let doc = prepare(decode(i, encoded), &config)?;
                        classify_on_worker(&c, &doc, &config)
                    })
                    .collect::<Vec<_>>()
            }));
        }
        let sizes: Vec<usize> = jobs.iter().map(|(len, _)| *len).collect();
        let tickets = self.pool.try_run_all(deadline, jobs)?;
        let mut results = Vec::with_capacity(n);
        for (ticket, len) in tickets.into_iter().zip(sizes) {
            match wait(ticket, deadline).await {
                Ok(part) => results.extend(part),
                Err(CallError::Panicked) => {
                    results.extend((0..len).map(|_| Err(CallError::Panicked)));
                }
                Err(e) => return Err(e),
            }
        }
        // The response stays within --max-response-bytes: a result that does not fit any more is
        // replaced by an error entry.
        let limit = self.config.max_response_bytes;
        let mut total = 0usize;
        let mut failed = 0usize;
        let results = results
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                let mut entry = pb::BatchResult {
                    index: i as u32,
                    result: Some(match r {
                        Ok(c) => pb::batch_result::Result::Response(c),
                        Err(e) => pb::batch_result::Result::Error(document_error(e)),
                    }),
                };
                let size = entry.encoded_len();
                let framed = 1 + prost::length_delimiter_len(size) + size;
                if total + framed > limit {
                    entry.result = Some(pb::batch_result::Result::Error(document_error(
                        CallError::BatchResponseFull { size, limit },
                    )));
                }
                match &entry.result {
                    Some(pb::batch_result::Result::Error(e)) => {
                        failed += 1;
                        metrics::document("ClassifyBatch", tonic::Code::from_i32(e.code));
                    }
                    _ => metrics::document("ClassifyBatch", tonic::Code::Ok),
                }
                let size = entry.encoded_len();
                total += 1 + prost::length_delimiter_len(size) + size;
                entry
            })
            .collect();
        Ok((pb::ClassifyBatchResponse { results }, failed))
    }

    /// `ClassifyStream`: one document at a time, in order; a bad or refused document gets its
    /// error in place and the stream goes on; the stream ends at its deadline.
    pub fn classify_stream(
        &self,
        request: Request<Streaming<Decoded<pb::ClassifyRequest>>>,
    ) -> Response<ReceiverStream<Result<pb::ClassifyResponse, Status>>> {
        let deadline = deadline_of(&request);
        let mut inbound = request.into_inner();
        let (tx, rx) = tokio::sync::mpsc::channel(4);
        let me = self.clone();
        tokio::spawn(async move {
            let started = Instant::now();
            let (mut count, mut failed) = (0usize, 0usize);
            loop {
                let next = match deadline {
                    Some(d) => tokio::time::timeout_at(d.into(), inbound.message())
                        .await
                        .unwrap_or_else(|_| Err(CallError::DeadlineExceeded.into())),
                    None => inbound.message().await,
                };
                let req = match next {
                    Ok(Some(req)) => req,
                    Ok(None) => break,
                    Err(status) => {
                        tracing::debug!(rpc = "ClassifyStream", code = ?status.code(), error = status.message(), "inbound stream ended");
                        let _ = tx.send(Err(status)).await;
                        break;
                    }
                };
                count += 1;
                let one = Instant::now();
                let (id, bytes) = match &req {
                    Ok(r) => (r.id.clone(), r.text.len()),
                    Err(_) => (String::new(), 0),
                };
                let resp = match me.classify_one(req, deadline).await {
                    Ok(resp) => resp,
                    Err(CallError::DeadlineExceeded) => {
                        metrics::document("ClassifyStream", tonic::Code::DeadlineExceeded);
                        let _ = tx.send(Err(CallError::DeadlineExceeded.into())).await;
                        break;
                    }
                    Err(e) => {
                        failed += 1;
                        pb::ClassifyResponse {
                            id: id.clone(),
                            error: Some(document_error(e)),
                            ..Default::default()
                        }
                    }
                };
                let code = resp
                    .error
                    .as_ref()
                    .map_or(tonic::Code::Ok, |e| tonic::Code::from_i32(e.code));
                metrics::document("ClassifyStream", code);
                tracing::debug!(
                    rpc = "ClassifyStream",
                    id = shown(&id),
                    bytes,
                    code = code_name(code),
                    elapsed_us = elapsed_us(one),
                    "message"
                );
                if tx.send(Ok(resp)).await.is_err() {
                    break; // the client went away
                }
            }
            tracing::debug!(
                rpc = "ClassifyStream",
                count,
                failed,
                elapsed_us = elapsed_us(started),
                "done"
            );
        });
        Response::new(ReceiverStream::new(rx))
    }

    /// `GetRules`.
    pub fn get_rules(
        &self,
        request: Request<Decoded<pb::GetRulesRequest>>,
    ) -> Result<Response<pb::GetRulesResponse>, Status> {
        request.into_inner().map_err(CallError::from)?;
        let (classifier, last_error) = self.engine.snapshot();
        let info = rules_info_to_pb(classifier.info(), last_error);
        tracing::debug!(rpc = "GetRules", code = "OK", version = %info.version, "ok");
        Ok(Response::new(info))
    }
}
