//! A load client for a running `khabar serve` (used by `scripts/load.sh`).
//!
//! ```text
//! cargo run --release --example load -- --addr 127.0.0.1:50051 [--pid PID] [--text FILE]
//!     [--sequential 500] [--connections 64] [--streams 16] [--seconds 20] [--settle 30]
//! ```
//!
//! 1. `--sequential N` unary Classify calls, one at a time on one connection: p50 and p99.
//! 2. `--connections C` HTTP/2 connections with `--streams S` calls in flight on each, for
//!    `--seconds T`: answers per status code, latency of the answered and of the refused
//!    (RESOURCE_EXHAUSTED) calls; with `--pid`, the server's peak RSS and thread count, sampled
//!    every 100 ms.
//! 3. `--settle SECS` of quiet, then the server's RSS again.
//!
//! Prints the numbers, then one `PASS`/`FAIL` line per target of issue 16 (sequential p50 under
//! 2 ms; under load RSS under 400 MB, threads under 64, p99 under 500 ms or the refused calls
//! answered within 50 ms; RSS within 150 MB of idle after the settle), and exits 1 if any failed.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use khabar::pb;
use khabar::pb::classifier_client::ClassifierClient;
use tonic::transport::{Channel, Endpoint};

struct Args {
    addr: String,
    pid: Option<u32>,
    text: String,
    sequential: usize,
    connections: usize,
    streams: usize,
    seconds: f64,
    settle: f64,
}

fn parse_args() -> Args {
    let mut a = Args {
        addr: "127.0.0.1:50051".into(),
        pid: None,
        text: String::new(),
        sequential: 500,
        connections: 64,
        streams: 16,
        seconds: 20.0,
        settle: 30.0,
    };
    let mut text_file = None;
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--addr" => a.addr = value(),
            "--pid" => a.pid = Some(value().parse().expect("--pid N")),
            "--text" => text_file = Some(value()),
            "--sequential" => a.sequential = value().parse().expect("--sequential N"),
            "--connections" => a.connections = value().parse().expect("--connections N"),
            "--streams" => a.streams = value().parse().expect("--streams N"),
            "--seconds" => a.seconds = value().parse().expect("--seconds SECS"),
            "--settle" => a.settle = value().parse().expect("--settle SECS"),
            other => panic!("unknown flag {other}"),
        }
    }
    a.text = match text_file {
        Some(f) => std::fs::read_to_string(&f).unwrap_or_else(|e| panic!("{f}: {e}")),
        None => {
            let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/articles");
            let mut paths: Vec<_> = std::fs::read_dir(dir)
                .expect("articles")
                .map(|e| e.expect("entry").path())
                .collect();
            paths.sort();
            std::fs::read_to_string(&paths[0]).expect("read the first seed article")
        }
    };
    a
}

/// (RSS bytes, threads) of a process.
fn proc_stats(pid: u32) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
    };
    Some((field("VmRSS:")? * 1024, field("Threads:")?))
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn mb(b: u64) -> f64 {
    b as f64 / (1 << 20) as f64
}

async fn connect(addr: &str) -> ClassifierClient<Channel> {
    let channel = Endpoint::from_shared(format!("http://{addr}"))
        .expect("address")
        .tcp_nodelay(true)
        .connect()
        .await
        .unwrap_or_else(|e| panic!("cannot connect to {addr}: {e}"));
    ClassifierClient::new(channel).max_decoding_message_size(64 << 20)
}

fn request(text: &str) -> pb::ClassifyRequest {
    pb::ClassifyRequest {
        id: "load".into(),
        text: text.to_owned(),
        ..Default::default()
    }
}

#[tokio::main]
async fn main() {
    let args = parse_args();
    let mut failed = false;
    let mut check = |ok: bool, what: String| {
        println!("{} {what}", if ok { "PASS" } else { "FAIL" });
        failed |= !ok;
    };
    let idle = args.pid.and_then(proc_stats);
    if let Some((rss, threads)) = idle {
        println!("idle: RSS {:.1} MB, {threads} threads", mb(rss));
    }
    println!("document: {} bytes", args.text.len());

    // 1. Sequential unary calls.
    if args.sequential > 0 {
        let mut client = connect(&args.addr).await;
        for _ in 0..20 {
            client
                .classify(request(&args.text))
                .await
                .expect("warm-up call");
        }
        let mut times = Vec::with_capacity(args.sequential);
        for _ in 0..args.sequential {
            let t = Instant::now();
            client
                .classify(request(&args.text))
                .await
                .expect("sequential call");
            times.push(t.elapsed());
        }
        times.sort();
        let p50 = percentile(&times, 0.5);
        println!(
            "sequential: {} calls, p50 {:.2} ms, p99 {:.2} ms",
            times.len(),
            ms(p50),
            ms(percentile(&times, 0.99))
        );
        check(
            p50 < Duration::from_millis(2),
            format!("sequential unary p50 {:.2} ms < 2 ms", ms(p50)),
        );
    }

    // 2. Concurrent load.
    if args.connections > 0 && args.streams > 0 {
        let stop = Arc::new(AtomicBool::new(false));
        let results: Arc<Mutex<BTreeMap<String, Vec<Duration>>>> = Arc::default();
        let peak = Arc::new((AtomicU64::new(0), AtomicU64::new(0)));
        let sampler = args.pid.map(|pid| {
            let (stop, peak) = (Arc::clone(&stop), Arc::clone(&peak));
            tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    if let Some((rss, threads)) = proc_stats(pid) {
                        peak.0.fetch_max(rss, Ordering::Relaxed);
                        peak.1.fetch_max(threads, Ordering::Relaxed);
                    }
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            })
        });
        let mut tasks = Vec::new();
        for _ in 0..args.connections {
            let client = connect(&args.addr).await;
            for _ in 0..args.streams {
                let mut client = client.clone();
                let (stop, results) = (Arc::clone(&stop), Arc::clone(&results));
                let text = args.text.clone();
                tasks.push(tokio::spawn(async move {
                    let mut mine: BTreeMap<String, Vec<Duration>> = BTreeMap::new();
                    while !stop.load(Ordering::Relaxed) {
                        let t = Instant::now();
                        let r = client.classify(request(&text)).await;
                        let key = match r {
                            Ok(_) => "OK".to_owned(),
                            Err(s) => format!("{:?}", s.code()),
                        };
                        mine.entry(key).or_default().push(t.elapsed());
                    }
                    let mut all = results.lock().unwrap();
                    for (k, v) in mine {
                        all.entry(k).or_default().extend(v);
                    }
                }));
            }
        }
        let started = Instant::now();
        tokio::time::sleep(Duration::from_secs_f64(args.seconds)).await;
        stop.store(true, Ordering::Relaxed);
        for t in tasks {
            let _ = t.await;
        }
        let elapsed = started.elapsed().as_secs_f64();
        if let Some(s) = sampler {
            let _ = s.await;
        }
        let mut results = Arc::try_unwrap(results)
            .expect("tasks done")
            .into_inner()
            .unwrap();
        println!(
            "load: {} connections x {} streams for {:.1} s",
            args.connections, args.streams, elapsed
        );
        for (code, times) in &mut results {
            times.sort();
            println!(
                "  {code:<18} {:>8} calls ({:>7.0}/s)  p50 {:>8.2} ms  p99 {:>8.2} ms  max {:>8.2} ms",
                times.len(),
                times.len() as f64 / elapsed,
                ms(percentile(times, 0.5)),
                ms(percentile(times, 0.99)),
                ms(percentile(times, 1.0))
            );
        }
        let ok_p99 = results.get("OK").map(|t| percentile(t, 0.99));
        let refused_p99 = results
            .get("ResourceExhausted")
            .map(|t| percentile(t, 0.99));
        let other: usize = results
            .iter()
            .filter(|(k, _)| k.as_str() != "OK" && k.as_str() != "ResourceExhausted")
            .map(|(_, v)| v.len())
            .sum();
        check(other == 0, format!("no call failed otherwise ({other})"));
        let ok_p99 = ok_p99.unwrap_or_default();
        let latency_ok = ok_p99 < Duration::from_millis(500)
            || refused_p99.is_some_and(|p| p < Duration::from_millis(50));
        check(
            latency_ok,
            format!(
                "answered p99 {:.1} ms < 500 ms, or refused (RESOURCE_EXHAUSTED) p99 {} < 50 ms",
                ms(ok_p99),
                refused_p99.map_or("n/a".into(), |p| format!("{:.1} ms", ms(p)))
            ),
        );
        if args.pid.is_some() {
            let (rss, threads) = (
                peak.0.load(Ordering::Relaxed),
                peak.1.load(Ordering::Relaxed),
            );
            println!(
                "server under load: peak RSS {:.1} MB, peak {threads} threads",
                mb(rss)
            );
            check(
                rss < 400 << 20,
                format!("peak RSS {:.1} MB < 400 MB", mb(rss)),
            );
            check(threads < 64, format!("peak threads {threads} < 64"));
        }
    }

    // 3. Settle.
    if let (Some(pid), Some((idle_rss, _))) = (args.pid, idle) {
        if args.settle > 0.0 {
            tokio::time::sleep(Duration::from_secs_f64(args.settle)).await;
            if let Some((rss, threads)) = proc_stats(pid) {
                println!(
                    "{:.0} s after the load: RSS {:.1} MB, {threads} threads",
                    args.settle,
                    mb(rss)
                );
                check(
                    rss < idle_rss + (150 << 20),
                    format!(
                        "RSS {:.1} MB within 150 MB of idle {:.1} MB",
                        mb(rss),
                        mb(idle_rss)
                    ),
                );
            }
        }
    }
    std::process::exit(i32::from(failed));
}
