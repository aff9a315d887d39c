//! Million-name driver: builds the synthetic 1,000,000-name gazetteer of the `million_names`
//! bench, times `Classifier::compile`, prints the peak RSS, then classifies the seeds in a loop
//! and prints a digest of their classifications (to compare builds).
//!
//! Run: `cargo build --release --example million && target/release/examples/million 5`
//! (the seconds spent classifying, 0 to stop after the compile; an optional second argument
//! sets the number of synthetic names, 0 for the default rules alone).
use std::time::Instant;

use khabar::Classifier;

mod common;
#[path = "../benches/common/synthetic.rs"]
mod synthetic;

/// The allocator of the `khabar` binary, so the numbers are the server's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Peak resident set size so far, from `/proc/self/status` (Linux only).
fn peak_rss() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l["VmHWM:".len()..].trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".to_owned())
}

fn main() {
    let secs: f64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(5.0);
    let names: usize = std::env::args()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let t = Instant::now();
    let rules = synthetic::rules_with_names(names);
    let n = rules.entities.len();
    eprintln!(
        "rule set with {n} entities built in {:.2?}, peak RSS {}",
        t.elapsed(),
        peak_rss()
    );
    let t = Instant::now();
    let classifier = Classifier::compile(rules, "synthetic");
    eprintln!("compiled in {:.2?}, peak RSS {}", t.elapsed(), peak_rss());
    if secs <= 0.0 {
        return;
    }
    let docs = common::seed_docs();
    let mut digest = blake3::Hasher::new();
    for d in &docs {
        let c = classifier.classify(d).expect("classify");
        digest.update(format!("{c:?}").as_bytes());
    }
    println!("classifications of the seeds: blake3 {}", digest.finalize());
    common::time_rounds(&classifier, &docs, secs);
}
