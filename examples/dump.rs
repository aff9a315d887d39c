//! Classifies documents and prints one JSON classification per line, for comparing two builds
//! (`scripts/compare_outputs.py`).
//!
//! Input: `.txt` files (one document each) and `.jsonl` files whose lines have `text` and
//! optionally `id`, `title`, `lang` (the format of the development sets). Every document is
//! classified with evidence and in UTF-8 byte offsets (`--cp`: code points); the line carries
//! the document's id.
//!
//! Run: `cargo run --release --example dump -- [--rules DIR] [--cp] FILE... > out.jsonl`
use std::path::Path;

use khabar::model::{Document, OffsetUnit, Options};
use khabar::Classifier;

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let classifier = match args.iter().position(|a| a == "--rules") {
        Some(i) => {
            let dir = args.remove(i + 1);
            args.remove(i);
            Classifier::from_dir(Path::new(&dir)).expect("rules")
        }
        None => Classifier::embedded().expect("embedded rules"),
    };
    let unit = match args.iter().position(|a| a == "--cp") {
        Some(i) => {
            args.remove(i);
            OffsetUnit::CodePoint
        }
        None => OffsetUnit::Utf8Byte,
    };
    for path in &args {
        let body = std::fs::read_to_string(path).expect("read input");
        let docs: Vec<(String, Document)> = if path.ends_with(".jsonl") {
            body.lines()
                .filter(|l| !l.trim().is_empty())
                .enumerate()
                .map(|(i, l)| {
                    let v: serde_json::Value = serde_json::from_str(l).expect("json line");
                    let s = |k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_owned();
                    let id = match s("id") {
                        id if id.is_empty() => format!("{path}:{}", i + 1),
                        id => id,
                    };
                    (id, document(s("text"), s("title"), unit))
                })
                .collect()
        } else {
            vec![(path.clone(), document(body, String::new(), unit))]
        };
        for (id, doc) in docs {
            let line = match classifier.classify(&doc) {
                Ok(c) => serde_json::json!({ "id": id, "result": c }),
                Err(e) => serde_json::json!({ "id": id, "error": e.to_string() }),
            };
            println!("{line}");
        }
    }
}

fn document(text: String, title: String, offset_unit: OffsetUnit) -> Document {
    Document {
        text,
        title,
        offset_unit,
        options: Options {
            include_evidence: true,
            ..Default::default()
        },
        ..Default::default()
    }
}
