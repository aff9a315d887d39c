//! The `khabar.v1.Classifier` handlers: thin. Each converts and validates the request
//! ([`super::convert`]), takes one snapshot of the rules, classifies on the blocking pool, and
//! converts back. Errors go through the one `ClassifyError → Status` mapping ([`super::status`]).

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Instant;

use tokio_stream::wrappers::ReceiverStream;
use tonic::{Request, Response, Status, Streaming};

use super::convert::{rules_info_to_pb, Limits};
use super::status::document_error;
use crate::model::{Classification, ClassifyError, Document};
use crate::pb;
use crate::pb::classifier_server::Classifier as ClassifierRpc;
use crate::reload::Engine;
use crate::Classifier;

/// The gRPC service.
#[derive(Clone, Debug)]
pub struct ClassifierService {
    engine: Arc<Engine>,
    limits: Limits,
}

impl ClassifierService {
    /// A service classifying with `engine`'s current rules, within `limits`.
    pub fn new(engine: Arc<Engine>, limits: Limits) -> ClassifierService {
        ClassifierService { engine, limits }
    }
}

/// Converts, validates and size-checks one request.
fn prepare(req: pb::ClassifyRequest, limits: &Limits) -> Result<Document, ClassifyError> {
    let doc = Document::try_from(req)?;
    doc.check(limits.max_text_bytes)?;
    Ok(doc)
}

/// Classifies on the calling (blocking) thread; a panic becomes `Internal`, never a crash.
fn classify_guarded(
    classifier: &Classifier,
    doc: &Document,
) -> Result<Classification, ClassifyError> {
    match std::panic::catch_unwind(AssertUnwindSafe(|| classifier.classify(doc))) {
        Ok(r) => r,
        Err(p) => {
            let what = p
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_owned());
            tracing::error!(id = %doc.id, "classifier panicked: {what}");
            Err(ClassifyError::Internal(format!(
                "classifier panicked: {what}"
            )))
        }
    }
}

/// Classifies one document on the blocking pool (classification is CPU work).
async fn classify_blocking(
    classifier: Arc<Classifier>,
    doc: Document,
) -> Result<Classification, ClassifyError> {
    tokio::task::spawn_blocking(move || classify_guarded(&classifier, &doc))
        .await
        .unwrap_or_else(|e| {
            Err(ClassifyError::Internal(format!(
                "classification task failed: {e}"
            )))
        })
}

/// Classifies a batch in order on one snapshot, spread over the cores in contiguous chunks.
async fn classify_batch(
    classifier: Arc<Classifier>,
    docs: Vec<Result<Document, ClassifyError>>,
) -> Vec<Result<Classification, ClassifyError>> {
    let n = docs.len();
    if n == 0 {
        return Vec::new();
    }
    let workers = std::thread::available_parallelism()
        .map_or(1, |p| p.get())
        .clamp(1, n);
    let chunk = n.div_ceil(workers);
    let mut docs = docs.into_iter();
    let mut tasks = Vec::with_capacity(workers);
    loop {
        let part: Vec<_> = docs.by_ref().take(chunk).collect();
        if part.is_empty() {
            break;
        }
        let len = part.len();
        let c = Arc::clone(&classifier);
        let task = tokio::task::spawn_blocking(move || {
            part.into_iter()
                .map(|d| d.and_then(|d| classify_guarded(&c, &d)))
                .collect::<Vec<_>>()
        });
        tasks.push((len, task));
    }
    let mut out = Vec::with_capacity(n);
    for (len, task) in tasks {
        match task.await {
            Ok(results) => out.extend(results),
            Err(e) => out.extend((0..len).map(|_| {
                Err(ClassifyError::Internal(format!(
                    "classification task failed: {e}"
                )))
            })),
        }
    }
    out
}

#[tonic::async_trait]
impl ClassifierRpc for ClassifierService {
    async fn classify(
        &self,
        request: Request<pb::ClassifyRequest>,
    ) -> Result<Response<pb::ClassifyResponse>, Status> {
        let started = Instant::now();
        let req = request.into_inner();
        let (id, bytes) = (req.id.clone(), req.text.len());
        let result = match prepare(req, &self.limits) {
            Ok(doc) => classify_blocking(self.engine.current(), doc).await,
            Err(e) => Err(e),
        };
        match result {
            Ok(c) => {
                tracing::debug!(rpc = "Classify", %id, bytes, topics = c.topics.len(), entities = c.entities.len(), elapsed_us = started.elapsed().as_micros() as u64, "ok");
                Ok(Response::new(c.into()))
            }
            Err(e) => {
                tracing::debug!(rpc = "Classify", %id, bytes, error = %e, elapsed_us = started.elapsed().as_micros() as u64, "rejected");
                Err(e.into())
            }
        }
    }

    async fn classify_batch(
        &self,
        request: Request<pb::ClassifyBatchRequest>,
    ) -> Result<Response<pb::ClassifyBatchResponse>, Status> {
        let started = Instant::now();
        let requests = request.into_inner().requests;
        if requests.len() > self.limits.max_batch {
            let e = ClassifyError::BatchTooLarge {
                size: requests.len(),
                limit: self.limits.max_batch,
            };
            tracing::debug!(rpc = "ClassifyBatch", size = requests.len(), error = %e, "rejected");
            return Err(e.into());
        }
        let size = requests.len();
        let docs: Vec<_> = requests
            .into_iter()
            .map(|r| prepare(r, &self.limits))
            .collect();
        let results = classify_batch(self.engine.current(), docs).await;
        let mut failed = 0usize;
        let results = results
            .into_iter()
            .enumerate()
            .map(|(i, r)| pb::BatchResult {
                index: i as u32,
                result: Some(match r {
                    Ok(c) => pb::batch_result::Result::Response(c.into()),
                    Err(e) => {
                        failed += 1;
                        pb::batch_result::Result::Error(document_error(e))
                    }
                }),
            })
            .collect();
        tracing::debug!(
            rpc = "ClassifyBatch",
            size,
            failed,
            elapsed_us = started.elapsed().as_micros() as u64,
            "ok"
        );
        Ok(Response::new(pb::ClassifyBatchResponse { results }))
    }

    type ClassifyStreamStream = ReceiverStream<Result<pb::ClassifyResponse, Status>>;

    async fn classify_stream(
        &self,
        request: Request<Streaming<pb::ClassifyRequest>>,
    ) -> Result<Response<Self::ClassifyStreamStream>, Status> {
        let mut inbound = request.into_inner();
        let (tx, rx) = tokio::sync::mpsc::channel(16);
        let engine = Arc::clone(&self.engine);
        let limits = self.limits;
        tokio::spawn(async move {
            let started = Instant::now();
            let (mut count, mut failed) = (0usize, 0usize);
            loop {
                let req = match inbound.message().await {
                    Ok(Some(req)) => req,
                    Ok(None) => break,
                    Err(status) => {
                        tracing::debug!(rpc = "ClassifyStream", error = %status, "inbound stream failed");
                        let _ = tx.send(Err(status)).await;
                        break;
                    }
                };
                count += 1;
                let id = req.id.clone();
                let result = match prepare(req, &limits) {
                    Ok(doc) => classify_blocking(engine.current(), doc).await,
                    Err(e) => Err(e),
                };
                let resp = match result {
                    Ok(c) => c.into(),
                    Err(e) => {
                        failed += 1;
                        pb::ClassifyResponse {
                            id,
                            error: Some(document_error(e)),
                            ..Default::default()
                        }
                    }
                };
                if tx.send(Ok(resp)).await.is_err() {
                    break; // the client went away
                }
            }
            tracing::debug!(
                rpc = "ClassifyStream",
                count,
                failed,
                elapsed_us = started.elapsed().as_micros() as u64,
                "done"
            );
        });
        Ok(Response::new(ReceiverStream::new(rx)))
    }

    async fn get_rules(
        &self,
        _request: Request<pb::GetRulesRequest>,
    ) -> Result<Response<pb::GetRulesResponse>, Status> {
        let (classifier, last_error) = self.engine.snapshot();
        let info = rules_info_to_pb(classifier.info(), last_error);
        tracing::debug!(rpc = "GetRules", version = %info.version, "ok");
        Ok(Response::new(info))
    }
}
