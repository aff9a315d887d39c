//! Profiling driver: classifies the seed articles in a loop for a few seconds, so that `perf
//! record` sees the classify path only (the criterion bench also spends time compiling rules).
//!
//! Run: `cargo build --release --example profile && perf record -g target/release/examples/profile 10`
use std::time::{Duration, Instant};

use khabar::model::Document;
use khabar::Classifier;

/// The allocator of the `khabar` binary, so the numbers are the server's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let secs: f64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(5.0);
    let classifier = Classifier::embedded().expect("embedded rules");
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/articles");
    let mut docs = Vec::new();
    for entry in std::fs::read_dir(dir).expect("articles") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("read");
        docs.push(Document {
            text,
            ..Default::default()
        });
    }
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let start = Instant::now();
    let mut rounds = 0u64;
    while start.elapsed() < Duration::from_secs_f64(secs) {
        for d in &docs {
            std::hint::black_box(classifier.classify(d).expect("classify"));
        }
        rounds += 1;
    }
    let el = start.elapsed().as_secs_f64();
    println!(
        "{} docs, {} bytes, {rounds} rounds, {:.3} ms/round, {:.1} MB/s",
        docs.len(),
        bytes,
        el * 1e3 / rounds as f64,
        (bytes as f64 * rounds as f64) / el / 1e6
    );
}
