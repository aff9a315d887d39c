//! How the cost of one document grows with its size: the seed articles' lines (with `--dense`,
//! only the lines that hold entities) repeated up to 1, 2 and 4 MB, each copy numbered so that no
//! line repeats (repeated lines are boilerplate), each size classified a few times; prints the
//! time per size and its ratio to 1 MB. Linear work gives 4× at 4 MB. With `--names`, the lines
//! are generated instead: every one names two people no list knows (distinct invented first
//! names, shared surnames) and repeats one of the surnames, the worst case for propagation.
//!
//! Run: `cargo run --release --example scaling [-- --dense | --names]`
use std::time::Instant;

use khabar::model::Document;
use khabar::Classifier;

mod common;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let dense = std::env::args().any(|a| a == "--dense");
    let names = std::env::args().any(|a| a == "--names");
    let classifier = Classifier::embedded().expect("embedded rules");
    let mut lines = Vec::new();
    for d in common::seed_docs().into_iter().filter(|_| !names) {
        for line in d.text.lines() {
            let keep = !dense
                || classifier
                    .classify(&Document {
                        text: line.to_owned(),
                        ..Default::default()
                    })
                    .is_ok_and(|c| !c.entities.is_empty());
            if keep && !line.trim().is_empty() {
                lines.push(line.to_owned());
            }
        }
    }
    if names {
        // Invented first words from letters: no list knows them.
        let word = |n: usize| {
            let letters = ["Zor", "Kal", "Vem", "Tur", "Bax", "Quo", "Lin", "Dra"];
            let mut n = n;
            let mut w = String::new();
            for _ in 0..3 {
                w.push_str(letters[n % letters.len()]);
                n /= letters.len();
            }
            w
        };
        for n in 0..512 {
            lines.push(format!(
                "{} Johnson met {} Smith in Paris, and Johnson said talks would resume.",
                word(2 * n),
                word(2 * n + 1)
            ));
        }
    }
    let mut base = None;
    for mb in [1usize, 2, 4] {
        let mut text = String::with_capacity(mb << 20);
        for (n, line) in lines.iter().cycle().enumerate() {
            let numbered = format!("{line} ({n})\n");
            if text.len() + numbered.len() > mb << 20 {
                break;
            }
            text.push_str(&numbered);
        }
        let doc = Document {
            text,
            ..Default::default()
        };
        let rounds = 3;
        let start = Instant::now();
        let mut mentions = 0;
        for _ in 0..rounds {
            let c = classifier.classify(&doc).expect("classify");
            mentions = c.entities.iter().map(|e| e.mentions.len()).sum::<usize>();
        }
        let secs = start.elapsed().as_secs_f64() / f64::from(rounds);
        let ratio = secs / *base.get_or_insert(secs);
        println!(
            "{mb} MB{}: {:.0} ms, {mentions} mentions, {ratio:.2}x the 1 MB time",
            if names {
                " (generated names)"
            } else if dense {
                " (entity lines only)"
            } else {
                ""
            },
            secs * 1e3
        );
    }
}
