//! gRPC server (being written).
