//! Generated `khabar.v1` protobuf messages and the tonic client (from
//! `proto/khabar/v1/classifier.proto`, compiled by `build.rs`; the server's routes are written out
//! in `server::rpc`), with serde `Serialize`/`Deserialize` in the proto3 JSON mapping (`pbjson`):
//! camelCase names, enums by name, timestamps in RFC 3339, default values left out; the JSON
//! grpcurl reads and prints.
#![allow(missing_docs, clippy::all, clippy::pedantic)]

tonic::include_proto!("khabar.v1");
include!(concat!(env!("OUT_DIR"), "/khabar.v1.serde.rs"));

/// Encoded `FileDescriptorSet` of `khabar.v1` (with its imports), for server reflection.
pub const FILE_DESCRIPTOR_SET: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/khabar_descriptor.bin"));
