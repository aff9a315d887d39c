//! Throughput benchmarks: the seed articles through the whole pipeline (normalize + match +
//! resolve + score) with the default rules, and with a 1,000,000-name synthetic gazetteer added.
//!
//! Run: `cargo bench --bench classify`. Each group reports bytes/s of article text.
//! `KHABAR_BENCH_SKIP_MILLION=1` skips the (slow to build) million-name group.

use std::hint::black_box;
use std::time::Instant;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use khabar::model::Document;
use khabar::Classifier;

#[path = "common/synthetic.rs"]
mod synthetic;

/// The allocator of the `khabar` binary, so the numbers are the server's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const SEEDS: [&str; 5] = [
    include_str!("../tests/data/articles/000_f1970799075ab2be.txt"),
    include_str!("../tests/data/articles/001_c3d54210204b3df6.txt"),
    include_str!("../tests/data/articles/002_f8d0b1c6686edb80.txt"),
    include_str!("../tests/data/articles/003_3f3ed77d82f376a8.txt"),
    include_str!("../tests/data/articles/004_fced997e2ee4d81f.txt"),
];

fn docs() -> Vec<Document> {
    SEEDS
        .iter()
        .enumerate()
        .map(|(i, t)| Document {
            id: i.to_string(),
            text: (*t).to_owned(),
            ..Default::default()
        })
        .collect()
}

fn bench_docs(c: &mut Criterion, name: &str, classifier: &Classifier) {
    let docs = docs();
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let mut g = c.benchmark_group(name);
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("seeds", |b| {
        b.iter(|| {
            for d in &docs {
                black_box(classifier.classify(black_box(d)).unwrap());
            }
        })
    });
    g.finish();
}

fn default_rules(c: &mut Criterion) {
    let classifier = Classifier::embedded().expect("embedded rules");
    bench_docs(c, "default_rules", &classifier);
    // One article of about 1 MiB (the seeds repeated): every stage must stay near-linear in the
    // number of mentions (a quadratic step once took 1.9 s here).
    let big = Document {
        text: SEEDS.concat().repeat(40),
        ..Default::default()
    };
    let mut g = c.benchmark_group("one_mebibyte_article");
    g.throughput(Throughput::Bytes(big.text.len() as u64));
    g.sample_size(10);
    g.bench_function("seeds_x40", |b| {
        b.iter(|| black_box(classifier.classify(black_box(&big)).unwrap()))
    });
    g.finish();
}

fn million_names(c: &mut Criterion) {
    if std::env::var_os("KHABAR_BENCH_SKIP_MILLION").is_some() {
        return;
    }
    let rules = synthetic::rules_with_names(1_000_000);
    let n = rules.entities.len();
    let t = Instant::now();
    let classifier = Classifier::compile(rules, "synthetic");
    eprintln!(
        "compiled a classifier with {n} gazetteer entities in {:.2?}",
        t.elapsed()
    );
    bench_docs(c, "million_names", &classifier);
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = default_rules, million_names
}
criterion_main!(benches);
