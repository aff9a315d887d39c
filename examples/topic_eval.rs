//! Topic accuracy of the embedded rules on a JSONL file of labelled documents, in process (no
//! server): one line per document, `{"title", "text", "label"}` with `label` a top-level qcode.
//! The first topic is the top-level topic with the highest score (a subtopic counts for its
//! top-level ancestor), as `shared/eval/dev_score.py` reads it. Prints per-class top-1, the
//! documents without any topic, and the confusion counts; nothing per document.
//!
//! Run: `cargo run --release --example topic_eval -- FILE.jsonl [--rules DIR]`
use std::collections::BTreeMap;

use khabar::model::Document;
use khabar::Classifier;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args
        .first()
        .expect("usage: topic_eval FILE.jsonl [--rules DIR]");
    let classifier = match args.iter().position(|a| a == "--rules") {
        Some(i) => Classifier::from_dir(std::path::Path::new(&args[i + 1])).expect("rules"),
        None => Classifier::embedded().expect("embedded rules"),
    };
    let top_of = |id: &str| {
        classifier
            .rules()
            .taxonomy
            .path(id)
            .pop()
            .unwrap_or_default()
            .to_owned()
    };
    let src = std::fs::read_to_string(path).expect("read the file");
    // gold → predicted → count
    let mut confusion: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for line in src.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
        let s = |k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_owned();
        let doc = Document {
            id: s("id"),
            title: s("title"),
            text: s("text"),
            ..Default::default()
        };
        let resp = classifier.classify(&doc).expect("classifies");
        let mut best: Option<(f64, String)> = None;
        for t in &resp.topics {
            let top = top_of(&t.id);
            if best.as_ref().is_none_or(|(s, _)| t.score > *s) {
                best = Some((t.score, top));
            }
        }
        let got = best.map_or_else(|| "(none)".to_owned(), |(_, t)| t);
        *confusion
            .entry(s("label"))
            .or_default()
            .entry(got)
            .or_default() += 1;
    }
    let mut macro_sum = 0.0;
    for (gold, row) in &confusion {
        let total: usize = row.values().sum();
        let ok = row.get(gold).copied().unwrap_or(0);
        let none = row.get("(none)").copied().unwrap_or(0);
        let acc = ok as f64 / total as f64;
        macro_sum += acc;
        let mut others: Vec<(&String, &usize)> = row.iter().filter(|(k, _)| *k != gold).collect();
        others.sort_by(|a, b| b.1.cmp(a.1));
        let others: Vec<String> = others
            .iter()
            .take(6)
            .map(|(k, n)| format!("{}:{n}", k.trim_start_matches("medtop:")))
            .collect();
        println!(
            "{gold} {total:5} top1 {acc:.3} none {none:4}  {}",
            others.join(" ")
        );
    }
    println!("macro top-1 {:.3}", macro_sum / confusion.len() as f64);
}
