//! Integration tests of khabar: one binary (`it`), one module per purpose, each against a real
//! server on 127.0.0.1:0 with the generated tonic client.
//!
//! | module | what |
//! | --- | --- |
//! | `cli` | `khabar classify` (one document, `--jsonl` bulk) against the server's answers |
//! | `clients` | gzip and zstd messages, TLS and mutual TLS (rcgen certificates), the HTTP/JSON endpoint with a real HTTP client (same answers as gRPC, errors) |
//! | `support` | start/stop a server, clients, test articles, temp rule directories |
//! | `service` | every RPC, every error code, health, reflection, graceful shutdown (calls in flight finish, health turns NOT_SERVING, new calls are refused) |
//! | `hostile` | socket options, message limits, stalled messages, idle connections, full queue, deadlines, undecodable messages, drain timeout |
//! | `metrics` | `--metrics-addr` scraped after calls (an error among them) and a reload; `--log-format json` lines |
//! | `reload` | hot reload under load (good, bad, good), hostile rule directories, rewrites during a reload, `--watch` (edits, swapped `..data` link, replaced directory) |
//! | `entities` | `tests/data/entities.toml`, one row per entity rule (clitics, triggers, propagation, blockers), and whole-document cases |
//! | `golden` | the seed articles against their gold annotations (F1 floors, topics) |
//! | `properties` | proptest: no panics, exact spans in every unit |
//! | `rules` | rule validation: bad-rules fixtures (overlays on `good_rules/`) vs. their `.expected` errors, `check-rules`, shipped coverage |
//! | `topics` | short texts per top-level topic: expected topics and no unrelated ones |

mod cli;
mod clients;
mod entities;
mod golden;
mod hostile;
mod metrics;
mod properties;
mod reload;
mod rules;
mod service;
mod support;
mod topics;
