//! Generated `khabar.v1` protobuf messages and the tonic client and server
//! (from `proto/khabar/v1/classifier.proto`, compiled by `build.rs`).
#![allow(missing_docs, clippy::all, clippy::pedantic)]

tonic::include_proto!("khabar.v1");

/// Encoded `FileDescriptorSet` of `khabar.v1` (with its imports), for server reflection.
pub const FILE_DESCRIPTOR_SET: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/khabar_descriptor.bin"));
