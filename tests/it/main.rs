//! Integration tests of khabar: one binary (`it`), one module per purpose, each against a real
//! server on 127.0.0.1:0 with the generated tonic client.
//!
//! | module | what |
//! | --- | --- |
//! | `support` | start/stop a server, clients, test articles, temp rule directories |
//! | `service` | every RPC, every error code, health, reflection, graceful shutdown |
//! | `hostile` | socket options, message limits, stalled messages, idle connections, full queue, deadlines, undecodable messages, drain timeout |
//! | `reload` | hot reload under load (good, bad, good), hostile rule directories, rewrites during a reload, `--watch` (edits, swapped `..data` link, replaced directory) |
//! | `entities` | one row per entity rule: clitics, triggers, propagation, blockers, title field |
//! | `golden` | the seed articles against their gold annotations (F1 floors, topics) |
//! | `properties` | proptest: no panics, exact spans in every unit |
//! | `rules` | rule validation: bad-rules fixtures vs. their `.expected` errors, `check-rules`, shipped coverage |
//! | `topics` | short texts per top-level topic: expected topics and no unrelated ones |

mod entities;
mod golden;
mod hostile;
mod properties;
mod reload;
mod rules;
mod service;
mod support;
mod topics;
