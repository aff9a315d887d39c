//! Million-name driver: builds the synthetic 1,000,000-name gazetteer of the `million_names`
//! bench, times `Classifier::compile`, prints the peak RSS, then classifies the seeds in a loop
//! and prints a digest of their classifications (to compare builds).
//!
//! Run: `cargo build --release --example million && target/release/examples/million 5`
//! (the seconds spent classifying, 0 to stop after the compile; an optional second argument
//! sets the number of synthetic names, 0 for the default rules alone).
use std::time::{Duration, Instant};

use khabar::model::{Document, EntityType};
use khabar::rules::gazetteer::Form;
use khabar::rules::{EntityDef, RuleSet};
use khabar::text::normalize::normalize_form;
use khabar::Classifier;

/// The allocator of the `khabar` binary, so the numbers are the server's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Deterministic pseudo-random Arabic-looking names of 2–3 words (the bench's).
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

/// The embedded rules plus `n` synthetic person names (the bench's rule set).
fn rules_with_names(n: usize) -> RuleSet {
    let files = khabar::rules::embedded();
    let mut rules = RuleSet::load(&files).expect("embedded rules");
    for (i, name) in synthetic_names(n).into_iter().enumerate() {
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
    rules
}

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
    let rules = rules_with_names(names);
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
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/articles");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("articles")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    paths.sort();
    let docs: Vec<Document> = paths
        .iter()
        .map(|p| Document {
            text: std::fs::read_to_string(p).expect("read"),
            ..Default::default()
        })
        .collect();
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let mut digest = blake3::Hasher::new();
    for d in &docs {
        let c = classifier.classify(d).expect("classify");
        digest.update(format!("{c:?}").as_bytes());
    }
    println!("classifications of the seeds: blake3 {}", digest.finalize());
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
        "{} docs, {bytes} bytes, {rounds} rounds, {:.3} ms/round, {:.1} MiB/s",
        docs.len(),
        el * 1e3 / rounds as f64,
        (bytes as f64 * rounds as f64) / el / (1024.0 * 1024.0)
    );
}
