//! The gRPC server: `khabar.v1.Classifier`, `grpc.health.v1.Health`, and server reflection
//! (v1 and v1alpha, so both current tools and grpcurl 1.8 can list and describe services).
//!
//! | module | job |
//! | --- | --- |
//! | [`service`] | thin handlers |
//! | [`convert`] | proto ↔ domain, request validation |
//! | [`status`] | the one `ClassifyError → tonic::Status` mapping |

pub mod convert;
pub mod service;
pub mod status;

use std::future::Future;
use std::sync::Arc;

use tokio::net::TcpListener;
use tokio_stream::wrappers::TcpListenerStream;
use tonic_health::ServingStatus;

pub use convert::Limits;
pub use service::ClassifierService;

use crate::pb;
use crate::pb::classifier_server::ClassifierServer;
use crate::reload::Engine;

/// Default `--max-text-bytes`: 1 MiB.
pub const DEFAULT_MAX_TEXT_BYTES: usize = 1 << 20;
/// Default `--max-batch`.
pub const DEFAULT_MAX_BATCH: usize = 256;
/// Fully qualified name of the classifier service (also its health-check name).
pub const SERVICE_NAME: &str = "khabar.v1.Classifier";

/// Server settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Config {
    /// Largest `text` (and `title`) accepted, in bytes.
    pub max_text_bytes: usize,
    /// Most documents in one `ClassifyBatch`.
    pub max_batch: usize,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            max_text_bytes: DEFAULT_MAX_TEXT_BYTES,
            max_batch: DEFAULT_MAX_BATCH,
        }
    }
}

impl Config {
    /// Largest single request message the transport decodes: two texts at the limit (text and
    /// title) plus room for the other fields. Set above the text limit so that an oversized
    /// text reaches the handler and gets a clear INVALID_ARGUMENT instead of a transport error.
    pub fn max_message_bytes(&self) -> usize {
        self.max_text_bytes
            .saturating_mul(2)
            .saturating_add(64 << 10)
    }

    /// Largest message the transport decodes for the service (a full batch).
    pub fn max_decoding_bytes(&self) -> usize {
        self.max_message_bytes()
            .saturating_mul(self.max_batch.max(1))
    }
}

/// Errors that stop the server.
pub type ServeError = Box<dyn std::error::Error + Send + Sync>;

/// Serves on `listener` until `shutdown` completes, then shuts down gracefully: health turns
/// NOT_SERVING, no new connections or calls are accepted, and calls in flight finish.
pub async fn run(
    listener: TcpListener,
    engine: Arc<Engine>,
    config: Config,
    shutdown: impl Future<Output = ()> + Send,
) -> Result<(), ServeError> {
    let addr = listener.local_addr()?;
    let limits = Limits {
        max_text_bytes: config.max_text_bytes,
        max_batch: config.max_batch,
    };
    let classifier = ClassifierServer::new(ClassifierService::new(Arc::clone(&engine), limits))
        .max_decoding_message_size(config.max_decoding_bytes())
        .max_encoding_message_size(usize::MAX);

    let (reporter, health) = tonic_health::server::health_reporter();
    reporter
        .set_service_status("", ServingStatus::Serving)
        .await;
    reporter
        .set_service_status(SERVICE_NAME, ServingStatus::Serving)
        .await;

    let reflection_v1 = reflection_builder().build_v1()?;
    let reflection_v1alpha = reflection_builder().build_v1alpha()?;

    let info = engine.current().info().clone();
    tracing::info!(
        %addr,
        rules_version = %info.version,
        rules_source = %info.source,
        max_text_bytes = config.max_text_bytes,
        max_batch = config.max_batch,
        "khabar serving"
    );

    let signal = async move {
        shutdown.await;
        tracing::info!("shutting down: refusing new calls, finishing calls in flight");
        reporter
            .set_service_status("", ServingStatus::NotServing)
            .await;
        reporter
            .set_service_status(SERVICE_NAME, ServingStatus::NotServing)
            .await;
    };

    tonic::transport::Server::builder()
        .add_service(health)
        .add_service(reflection_v1)
        .add_service(reflection_v1alpha)
        .add_service(classifier)
        .serve_with_incoming_shutdown(TcpListenerStream::new(listener), signal)
        .await?;
    tracing::info!("khabar stopped");
    Ok(())
}

fn reflection_builder() -> tonic_reflection::server::Builder<'static> {
    tonic_reflection::server::Builder::configure()
        .register_encoded_file_descriptor_set(pb::FILE_DESCRIPTOR_SET)
        .register_encoded_file_descriptor_set(tonic_health::pb::FILE_DESCRIPTOR_SET)
}
