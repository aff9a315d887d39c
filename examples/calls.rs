//! A fixed number of Classify calls through a gRPC endpoint, counted by status code (used by
//! `scripts/cluster.sh` through nginx).
//!
//! ```text
//! cargo run --release --example calls -- --addr 127.0.0.1:8080 --calls 3000
//!     [--connections 4] [--streams 4] [--text FILE] [--term-pid PID --term-after N]
//! ```
//!
//! `--connections` HTTP/2 connections with `--streams` calls in flight on each share the calls.
//! With `--term-pid PID --term-after N`, the client sends SIGTERM to PID once N calls have been
//! answered, so that a replica stops in the middle of the run whatever the machine's speed.
//! Prints one line `calls N ok N failed N seconds S per_second R` and one `code CODE N` line per
//! status code, then the first few error messages; exits 1 when any call failed.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use khabar::pb;
use khabar::pb::classifier_client::ClassifierClient;
use tonic::transport::Endpoint;

struct Args {
    addr: String,
    calls: usize,
    connections: usize,
    streams: usize,
    text: String,
    term_pid: Option<i32>,
    term_after: usize,
}

fn parse_args() -> Args {
    let mut a = Args {
        addr: "127.0.0.1:50051".into(),
        calls: 1000,
        connections: 4,
        streams: 4,
        text: String::new(),
        term_pid: None,
        term_after: 0,
    };
    let mut text_file = None;
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--addr" => a.addr = value(),
            "--calls" => a.calls = value().parse().expect("--calls N"),
            "--connections" => a.connections = value().parse().expect("--connections N"),
            "--streams" => a.streams = value().parse().expect("--streams N"),
            "--text" => text_file = Some(value()),
            "--term-pid" => a.term_pid = Some(value().parse().expect("--term-pid PID")),
            "--term-after" => a.term_after = value().parse().expect("--term-after N"),
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

#[tokio::main]
async fn main() {
    let args = parse_args();
    let next = Arc::new(AtomicUsize::new(0));
    let answered = Arc::new(AtomicUsize::new(0));
    let codes: Arc<Mutex<BTreeMap<String, usize>>> = Arc::default();
    let errors: Arc<Mutex<Vec<String>>> = Arc::default();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..args.connections.max(1) {
        let channel = Endpoint::from_shared(format!("http://{}", args.addr))
            .expect("address")
            .tcp_nodelay(true)
            .connect_timeout(Duration::from_secs(5))
            .connect()
            .await
            .unwrap_or_else(|e| panic!("cannot connect to {}: {e}", args.addr));
        let client = ClassifierClient::new(channel).max_decoding_message_size(64 << 20);
        for _ in 0..args.streams.max(1) {
            let mut client = client.clone();
            let (next, answered) = (Arc::clone(&next), Arc::clone(&answered));
            let (codes, errors) = (Arc::clone(&codes), Arc::clone(&errors));
            let (text, calls) = (args.text.clone(), args.calls);
            let term = args.term_pid.map(|pid| (pid, args.term_after));
            tasks.push(tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= calls {
                        break;
                    }
                    let mut request = tonic::Request::new(pb::ClassifyRequest {
                        id: format!("call-{i}"),
                        text: text.clone(),
                        ..Default::default()
                    });
                    request.set_timeout(Duration::from_secs(30));
                    let code = match client.classify(request).await {
                        Ok(_) => tonic::Code::Ok,
                        Err(status) => {
                            let mut e = errors.lock().unwrap();
                            if e.len() < 5 {
                                e.push(format!(
                                    "call-{i}: {:?}: {}",
                                    status.code(),
                                    status.message()
                                ));
                            }
                            status.code()
                        }
                    };
                    *codes
                        .lock()
                        .unwrap()
                        .entry(format!("{code:?}"))
                        .or_default() += 1;
                    let done = answered.fetch_add(1, Ordering::Relaxed) + 1;
                    if let Some((pid, after)) = term {
                        if done == after {
                            // SAFETY: kill(2) with a pid given on the command line.
                            let rc = unsafe { libc::kill(pid, libc::SIGTERM) };
                            println!("sent SIGTERM to {pid} after {done} calls (rc {rc})");
                        }
                    }
                }
            }));
        }
    }
    for t in tasks {
        t.await.expect("a call task panicked");
    }
    let seconds = started.elapsed().as_secs_f64();
    let codes = codes.lock().unwrap();
    let ok = codes.get("Ok").copied().unwrap_or(0);
    let total: usize = codes.values().sum();
    println!(
        "calls {total} ok {ok} failed {} seconds {seconds:.2} per_second {:.0}",
        total - ok,
        total as f64 / seconds
    );
    for (code, n) in codes.iter() {
        println!("code {code} {n}");
    }
    for e in errors.lock().unwrap().iter() {
        println!("error {e}");
    }
    if ok != args.calls {
        std::process::exit(1);
    }
}
