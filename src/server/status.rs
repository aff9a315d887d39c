//! The one mapping from errors to gRPC status codes.

use tonic::Code;

use super::pool::Busy;
use crate::model::ClassifyError;
use crate::pb;

/// Why a call (or one document of a batch or stream) failed: a domain error, or one of the
/// service's own.
#[derive(Debug, thiserror::Error)]
pub enum CallError {
    /// The request itself is wrong (or the classifier failed on it).
    #[error(transparent)]
    Classify(#[from] ClassifyError),
    /// The worker queue is full.
    #[error(transparent)]
    Busy(#[from] Busy),
    /// The call's deadline passed before its document was classified.
    #[error("deadline exceeded before the document was classified")]
    DeadlineExceeded,
    /// The response of one document is larger than `--max-response-bytes`.
    #[error(
        "the response is {size} bytes, over the limit of {limit} bytes (--max-response-bytes)"
    )]
    ResponseTooLarge {
        /// Encoded size of the response.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// A batch response has no room left for this document's result.
    #[error("this result ({size} bytes) would take the batch response over the limit of {limit} bytes (--max-response-bytes); send fewer documents per batch")]
    BatchResponseFull {
        /// Encoded size of the result left out.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// The classifier panicked (logged on the server, without the document's text).
    #[error("internal error: the classifier failed on this document")]
    Panicked,
    /// The server stopped its workers.
    #[error("the server is shutting down")]
    ShuttingDown,
}

/// The match is exhaustive on purpose: a new variant must pick its code here. Every client
/// mistake is INVALID_ARGUMENT; a full server RESOURCE_EXHAUSTED (retry with backoff).
impl From<CallError> for tonic::Status {
    fn from(e: CallError) -> tonic::Status {
        use tonic::Code;
        let code = match &e {
            CallError::Classify(c) => match c {
                ClassifyError::EmptyText
                | ClassifyError::TextTooLong { .. }
                | ClassifyError::TitleTooLong { .. }
                | ClassifyError::BatchTooLarge { .. }
                | ClassifyError::InvalidArgument { .. } => Code::InvalidArgument,
                ClassifyError::Internal(_) => Code::Internal,
            },
            CallError::Busy(_)
            | CallError::ResponseTooLarge { .. }
            | CallError::BatchResponseFull { .. } => Code::ResourceExhausted,
            CallError::DeadlineExceeded => Code::DeadlineExceeded,
            CallError::Panicked => Code::Internal,
            CallError::ShuttingDown => Code::Unavailable,
        };
        tonic::Status::new(code, e.to_string())
    }
}

impl From<ClassifyError> for tonic::Status {
    fn from(e: ClassifyError) -> tonic::Status {
        CallError::from(e).into()
    }
}

/// The error entry of a batch result or a stream response, with the same code and message as
/// the unary call would return.
pub fn document_error(e: impl Into<CallError>) -> pb::DocumentError {
    let status = tonic::Status::from(e.into());
    pb::DocumentError {
        code: status.code() as i32,
        message: status.message().to_owned(),
    }
}

/// The canonical name of a gRPC status code (`INVALID_ARGUMENT`), as in the gRPC spec.
pub fn code_name(code: Code) -> &'static str {
    match code {
        Code::Ok => "OK",
        Code::Cancelled => "CANCELLED",
        Code::Unknown => "UNKNOWN",
        Code::InvalidArgument => "INVALID_ARGUMENT",
        Code::DeadlineExceeded => "DEADLINE_EXCEEDED",
        Code::NotFound => "NOT_FOUND",
        Code::AlreadyExists => "ALREADY_EXISTS",
        Code::PermissionDenied => "PERMISSION_DENIED",
        Code::ResourceExhausted => "RESOURCE_EXHAUSTED",
        Code::FailedPrecondition => "FAILED_PRECONDITION",
        Code::Aborted => "ABORTED",
        Code::OutOfRange => "OUT_OF_RANGE",
        Code::Unimplemented => "UNIMPLEMENTED",
        Code::Internal => "INTERNAL",
        Code::Unavailable => "UNAVAILABLE",
        Code::DataLoss => "DATA_LOSS",
        Code::Unauthenticated => "UNAUTHENTICATED",
    }
}
