//! Throughput benchmarks: the seed articles through the whole pipeline (normalize + match +
//! resolve + score) with the default rules, and with a 1,000,000-name synthetic gazetteer added.
//!
//! Run: `cargo bench --bench classify`. Each group reports bytes/s of article text.
//! `KHABAR_BENCH_SKIP_MILLION=1` skips the (slow to build) million-name group.

use std::hint::black_box;
use std::time::Instant;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use khabar::model::{Document, EntityType};
use khabar::rules::gazetteer::Form;
use khabar::rules::{EntityDef, RuleSet};
use khabar::text::normalize::normalize_form;
use khabar::Classifier;

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

/// Deterministic pseudo-random Arabic-looking names of 2–3 words.
fn synthetic_names(n: usize) -> Vec<String> {
    const SYL: [&str; 24] = [
        "كا", "رو", "مي", "تا", "سو", "لي", "نو", "با", "دو", "في", "زا", "جو", "شي", "غا", "قو",
        "هي", "طا", "فو", "صا", "ثي", "خو", "عا", "بي", "ضو",
    ];
    let mut state = 0x9E3779B97F4A7C15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..n)
        .map(|_| {
            let words = 2 + (next() % 2) as usize;
            (0..words)
                .map(|_| {
                    (0..3 + (next() % 2) as usize)
                        .map(|_| SYL[(next() % SYL.len() as u64) as usize])
                        .collect::<String>()
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

fn million_names(c: &mut Criterion) {
    if std::env::var_os("KHABAR_BENCH_SKIP_MILLION").is_some() {
        return;
    }
    let files = khabar::rules::embedded();
    let mut rules = RuleSet::load(&files).expect("embedded rules");
    for (i, name) in synthetic_names(1_000_000).into_iter().enumerate() {
        let norm = normalize_form(&name);
        if rules.form_owner.contains_key(&(norm.clone(), false)) {
            continue;
        }
        rules
            .form_owner
            .insert((norm.clone(), false), rules.entities.len());
        rules.entities.push(EntityDef {
            id: format!("person/synthetic-{i}"),
            entity_type: EntityType::Person,
            name_en: String::new(),
            name_ar: name.clone(),
            forms: vec![Form {
                text: name,
                norm,
                case_sensitive: false,
            }],
            short: Vec::new(),
            priority: 0,
            link: String::new(),
            note: String::new(),
            rule_id: format!("synthetic:{i}"),
        });
    }
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
