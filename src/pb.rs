//! Generated `khabar.v1` protobuf and gRPC code (being written).
