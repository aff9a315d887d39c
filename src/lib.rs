//! khabar: a rule-based tagger for Arabic and English news. It returns IPTC Media Topics and
//! entity spans with exact offsets, and says which rule produced every label.
//!
//! # Layout
//!
//! Data flows one way: request → validate → normalize → match → resolve → score → respond.
//!
//! | module | job |
//! | --- | --- |
//! | [`text`] | folding for matching, the normalized text and its map back to the original, offset units, language |
//! | [`rules`] | rule files (`rules/`) → validated [`rules::RuleSet`], with `path:line` errors |
//! | [`dates`] | date expressions with ISO values |
//! | [`classifier`] | the immutable [`Classifier`]: compiled rules + the pipeline |
//! | [`matcher`], [`triggers`], [`entities`], [`context`], [`topics`], [`boilerplate`] | the pipeline's stages: lexicon scan, names no list knows, overlaps and propagation, story-level readings, topic scores, page furniture |
//! | [`model`] | domain request/response types |
//! | [`server`] | gRPC: connections, per-call limits and deadlines, the worker pool, thin handlers, proto ↔ domain conversion, status mapping |
//! | [`reload`] | atomic hot reload of rules (SIGHUP, `--watch`) |
//! | [`pb`] | generated `khabar.v1` protobuf code |
#![deny(missing_docs)]

mod boilerplate;
mod classifier;
mod context;
mod dates;
mod entities;
mod matcher;
pub mod model;
pub mod pb;
pub mod reload;
pub mod rules;
pub mod server;
pub mod text;
mod topics;
mod triggers;

pub use classifier::Classifier;
