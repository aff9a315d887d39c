//! Profiling driver: classifies the seed articles in a loop for a few seconds, so that `perf
//! record` sees the classify path only (the criterion bench also spends time compiling rules).
//!
//! Run: `cargo build --release --example profile && perf record -g target/release/examples/profile 10`
//! (seconds), or `profile --rounds 10` for a fixed number of rounds, e.g. to count instructions:
//! `valgrind --tool=callgrind --toggle-collect='khabar::classifier::Classifier::classify'
//! target/release/examples/profile --rounds 10` (total Ir ÷ 10 = instructions per round).
use khabar::Classifier;

mod common;

/// The allocator of the `khabar` binary, so the numbers are the server's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let classifier = Classifier::embedded().expect("embedded rules");
    let docs = common::seed_docs();
    match args.as_slice() {
        [flag, n] if flag == "--rounds" => {
            common::run_rounds(&classifier, &docs, n.parse().expect("--rounds N"))
        }
        _ => {
            let secs = args.first().and_then(|s| s.parse().ok()).unwrap_or(5.0);
            common::time_rounds(&classifier, &docs, secs)
        }
    }
}
