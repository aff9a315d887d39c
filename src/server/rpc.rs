//! The `khabar.v1.Classifier` routes, written out rather than generated, for three things the
//! generated server cannot do:
//!
//! * **a message limit per method** (the generated server has one for all four): Classify and
//!   ClassifyStream [`Config::max_message_bytes`], ClassifyBatch `--max-batch-bytes`;
//! * **decode errors are the client's** (INVALID_ARGUMENT), where tonic's prost codec says
//!   INTERNAL: the decoder hands the handlers `Result<message, ClassifyError>`, so a stream
//!   message that does not decode gets an error response and the stream goes on;
//! * **a batch decoded document by document**: `RawBatch` (in `service.rs`) reads `requests` as raw bytes (the
//!   same wire format as `repeated ClassifyRequest`), and each document is decoded on its own on
//!   a worker, so one undecodable document gets an error entry and the others are answered.
//!
//! Compression is set up in [`grpc`], the one place a method's codec is: every method accepts
//! gzip and zstd requests and compresses its responses when the client accepts one of them
//! (`grpc-accept-encoding`, in the client's order of preference; `--compress-responses false`
//! turns that off for the classifier's methods); the limits apply to the compressed message (the guard) and
//! to the decompressed one (tonic stops decompressing at the method's limit: RESOURCE_EXHAUSTED).

use std::convert::Infallible;
use std::future::Future;
use std::marker::PhantomData;
use std::sync::Arc;
use std::task::{Context, Poll};

use prost::bytes::Buf as _;
use tonic::body::Body;
use tonic::codec::{BufferSettings, Codec, CompressionEncoding, DecodeBuf, Decoder};
use tonic::codegen::BoxFuture;
use tonic::server::{Grpc, NamedService};
use tonic::Status;
use tower_service::Service;

use super::guard::SMALL_MESSAGE_BYTES;
use super::service::{ClassifierService, Decoded};
use super::{Config, SERVICE_NAME};
use crate::model::ClassifyError;

/// The classifier's routes, a tonic service next to health and reflection.
#[derive(Clone, Debug)]
pub struct ClassifierRoutes {
    service: Arc<ClassifierService>,
}

impl ClassifierRoutes {
    /// Routes to `service`.
    pub fn new(service: ClassifierService) -> ClassifierRoutes {
        ClassifierRoutes {
            service: Arc::new(service),
        }
    }
}

impl NamedService for ClassifierRoutes {
    const NAME: &'static str = SERVICE_NAME;
}

/// A method's codec and limits: requests decoded leniently, at most `max_request` bytes (after
/// decompression); responses encoded with prost, at most `--max-response-bytes` (tonic's own
/// limits, behind the guard's and the handlers' checks, which give the clearer messages);
/// gzip and zstd requests, and responses unless `--compress-responses false` ([`COMPRESSION`]).
fn grpc<E, D>(config: &Config, max_request: usize) -> Grpc<LenientCodec<E, D>>
where
    E: prost::Message + Send + 'static,
    D: prost::Message + Default + Send + 'static,
{
    let mut grpc = Grpc::new(LenientCodec(PhantomData));
    for encoding in COMPRESSION {
        grpc = grpc.accept_compressed(encoding);
        if config.compress_responses {
            grpc = grpc.send_compressed(encoding);
        }
    }
    grpc.max_decoding_message_size(max_request)
        .max_encoding_message_size(
            config
                .max_response_bytes
                .saturating_add(super::MESSAGE_MARGIN_BYTES),
        )
}

impl Service<http::Request<Body>> for ClassifierRoutes {
    type Response = http::Response<Body>;
    type Error = Infallible;
    type Future = BoxFuture<http::Response<Body>, Infallible>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Infallible>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: http::Request<Body>) -> Self::Future {
        let s = Arc::clone(&self.service);
        let config = *s.config();
        match req.uri().path() {
            "/khabar.v1.Classifier/Classify" => Box::pin(async move {
                let handler = Handler(move |r| {
                    let s = Arc::clone(&s);
                    async move { s.classify(r).await }
                });
                Ok(grpc(&config, config.max_message_bytes())
                    .unary(handler, req)
                    .await)
            }),
            "/khabar.v1.Classifier/ClassifyBatch" => Box::pin(async move {
                let handler = Handler(move |r| {
                    let s = Arc::clone(&s);
                    async move { s.classify_batch(r).await }
                });
                Ok(grpc(&config, config.max_batch_bytes)
                    .unary(handler, req)
                    .await)
            }),
            "/khabar.v1.Classifier/ClassifyStream" => Box::pin(async move {
                let handler = Handler(move |r| std::future::ready(Ok(s.classify_stream(r))));
                Ok(grpc(&config, config.max_message_bytes())
                    .streaming(handler, req)
                    .await)
            }),
            "/khabar.v1.Classifier/GetRules" => Box::pin(async move {
                let handler = Handler(move |r| std::future::ready(s.get_rules(r)));
                Ok(grpc(&config, SMALL_MESSAGE_BYTES).unary(handler, req).await)
            }),
            _ => Box::pin(async move {
                Ok(Status::unimplemented(format!(
                    "unknown method {}",
                    crate::model::shown(req.uri().path())
                ))
                .into_http())
            }),
        }
    }
}

/// The compressions of requests accepted, and of responses offered, on every method (health and
/// reflection too).
pub const COMPRESSION: [CompressionEncoding; 2] =
    [CompressionEncoding::Gzip, CompressionEncoding::Zstd];

/// A closure as the tower service tonic's `Grpc` calls (unary or streaming).
struct Handler<F>(F);

impl<F, Fut, Req, Resp> Service<tonic::Request<Req>> for Handler<F>
where
    F: FnMut(tonic::Request<Req>) -> Fut,
    Fut: Future<Output = Result<tonic::Response<Resp>, Status>>,
{
    type Response = tonic::Response<Resp>;
    type Error = Status;
    type Future = Fut;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Status>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: tonic::Request<Req>) -> Fut {
        (self.0)(req)
    }
}

/// Encodes `E` with prost; decodes `D` into [`Decoded<D>`], never failing the call itself.
struct LenientCodec<E, D>(PhantomData<fn() -> (E, D)>);

impl<E, D> Codec for LenientCodec<E, D>
where
    E: prost::Message + Send + 'static,
    D: prost::Message + Default + Send + 'static,
{
    type Encode = E;
    type Decode = Decoded<D>;
    type Encoder = tonic_prost::ProstEncoder<E>;
    type Decoder = LenientDecoder<D>;

    fn encoder(&mut self) -> Self::Encoder {
        tonic_prost::ProstEncoder::default()
    }

    fn decoder(&mut self) -> Self::Decoder {
        LenientDecoder(PhantomData)
    }
}

/// See [`LenientCodec`].
struct LenientDecoder<D>(PhantomData<fn() -> D>);

impl<D: prost::Message + Default> Decoder for LenientDecoder<D> {
    type Item = Decoded<D>;
    type Error = Status;

    fn decode(&mut self, buf: &mut DecodeBuf<'_>) -> Result<Option<Decoded<D>>, Status> {
        let decoded = D::decode(&mut *buf);
        // A failed decode may stop midway: the rest of the message must go, or the next
        // message of a stream would start inside this one.
        let rest = buf.remaining();
        buf.advance(rest);
        Ok(Some(decoded.map_err(|e| ClassifyError::InvalidArgument {
            field: "request",
            message: format!("not a valid message of this method: {e}"),
        })))
    }

    fn buffer_settings(&self) -> BufferSettings {
        BufferSettings::default()
    }
}
