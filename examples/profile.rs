//! Profiling driver: classifies the seed articles in a loop for a few seconds, so that `perf
//! record` sees the classify path only (the criterion bench also spends time compiling rules).
//!
//! Run: `cargo build --release --example profile && perf record -g target/release/examples/profile 10`
use khabar::Classifier;

mod common;

/// The allocator of the `khabar` binary, so the numbers are the server's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let secs: f64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(5.0);
    let classifier = Classifier::embedded().expect("embedded rules");
    common::time_rounds(&classifier, &common::seed_docs(), secs);
}
