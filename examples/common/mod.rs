//! What the example drivers share: the seed articles, and classifying them in a timed loop.

use std::time::{Duration, Instant};

use khabar::model::Document;
use khabar::Classifier;

/// The seed articles of `tests/data/articles`, in file name order.
pub fn seed_docs() -> Vec<Document> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/articles");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("articles")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| Document {
            text: std::fs::read_to_string(p).expect("read"),
            ..Default::default()
        })
        .collect()
}

/// Classifies `docs` exactly `rounds` times and prints ms per round.
#[allow(dead_code)] // not every example uses it
pub fn run_rounds(classifier: &Classifier, docs: &[Document], rounds: u32) {
    let start = Instant::now();
    for _ in 0..rounds {
        for d in docs {
            std::hint::black_box(classifier.classify(d).expect("classify"));
        }
    }
    println!(
        "{} docs, {rounds} rounds, {:.3} ms/round",
        docs.len(),
        start.elapsed().as_secs_f64() * 1e3 / f64::from(rounds.max(1))
    );
}

/// Classifies `docs` in a loop for `secs` seconds and prints ms per round and throughput.
#[allow(dead_code)] // not every example uses it
pub fn time_rounds(classifier: &Classifier, docs: &[Document], secs: f64) {
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let start = Instant::now();
    let mut rounds = 0u64;
    while start.elapsed() < Duration::from_secs_f64(secs) {
        for d in docs {
            std::hint::black_box(classifier.classify(d).expect("classify"));
        }
        rounds += 1;
    }
    let el = start.elapsed().as_secs_f64();
    println!(
        "{} docs, {bytes} bytes, {rounds} rounds, {:.3} ms/round, {:.1} MB/s",
        docs.len(),
        el * 1e3 / rounds as f64,
        (bytes as f64 * rounds as f64) / el / 1e6
    );
}
