//! The one mapping from domain errors to gRPC status codes.

use crate::model::ClassifyError;
use crate::pb;

/// Every client mistake is `INVALID_ARGUMENT`; only [`ClassifyError::Internal`] is `INTERNAL`.
/// The match is exhaustive on purpose: a new variant must pick its code here.
impl From<ClassifyError> for tonic::Status {
    fn from(e: ClassifyError) -> tonic::Status {
        let code = match &e {
            ClassifyError::EmptyText
            | ClassifyError::TextTooLong { .. }
            | ClassifyError::TitleTooLong { .. }
            | ClassifyError::BatchTooLarge { .. }
            | ClassifyError::InvalidArgument { .. } => tonic::Code::InvalidArgument,
            ClassifyError::Internal(_) => tonic::Code::Internal,
        };
        tonic::Status::new(code, e.to_string())
    }
}

/// The error entry of a batch result or a stream response, with the same code and message as
/// the unary call would return.
pub fn document_error(e: ClassifyError) -> pb::DocumentError {
    let status = tonic::Status::from(e);
    pb::DocumentError {
        code: status.code() as i32,
        message: status.message().to_owned(),
    }
}
