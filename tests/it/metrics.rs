//! `khabar serve --metrics-addr`: the real binary (the metrics recorder is process-wide, so each
//! server gets its own process), scraped before and after a few calls, one of them an error, and
//! a reload; `--log-format json` writes one JSON object per line with the request's fields.

use std::collections::BTreeMap;
use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use khabar::pb;
use tonic::Code;

use crate::support::{self, req};

/// A free loopback port (bound, read, released).
fn free_addr() -> SocketAddr {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
}

/// The binary serving on loopback with metrics, killed on drop.
struct Served {
    child: Child,
    addr: SocketAddr,
    metrics: SocketAddr,
}

impl Served {
    async fn start(rules: &Path, log: &Path) -> Served {
        let (addr, metrics) = (free_addr(), free_addr());
        let child = Command::new(env!("CARGO_BIN_EXE_khabar"))
            .args(["serve", "--addr", &addr.to_string()])
            .args(["--metrics-addr", &metrics.to_string()])
            .args(["--rules", rules.to_str().unwrap()])
            .args(["--log-format", "json"])
            .env("RUST_LOG", "khabar=debug")
            .stderr(std::fs::File::create(log).unwrap())
            .spawn()
            .expect("start the khabar binary");
        let served = Served {
            child,
            addr,
            metrics,
        };
        let deadline = Instant::now() + Duration::from_secs(120);
        while tokio::net::TcpStream::connect(addr).await.is_err() {
            assert!(Instant::now() < deadline, "the server did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        served
    }

    /// `GET /metrics`: every sample as `name{labels}` → value.
    fn scrape(&self) -> BTreeMap<String, f64> {
        let mut s = TcpStream::connect(self.metrics).expect("connect to the metrics port");
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        write!(
            s,
            "GET /metrics HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.metrics
        )
        .unwrap();
        let mut response = String::new();
        s.read_to_string(&mut response).unwrap();
        let (head, body) = response.split_once("\r\n\r\n").expect("an HTTP response");
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        assert!(
            head.to_ascii_lowercase()
                .contains("content-type: text/plain"),
            "{head}"
        );
        body.lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(|l| {
                let (k, v) = l.rsplit_once(' ').unwrap_or_else(|| panic!("sample {l:?}"));
                (
                    k.to_owned(),
                    v.parse().unwrap_or_else(|_| panic!("value {l:?}")),
                )
            })
            .collect()
    }

    /// Scrapes until `ok` holds (at most 30 s: the gauges are sampled once a second, and a
    /// reload compiles the rules, about 2 s alone and several times that when the tests share
    /// two busy cores).
    async fn scrape_until(
        &self,
        what: &str,
        ok: impl Fn(&BTreeMap<String, f64>) -> bool,
    ) -> BTreeMap<String, f64> {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let m = self.scrape();
            if ok(&m) {
                return m;
            }
            assert!(Instant::now() < deadline, "{what}: not seen in\n{m:#?}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn get(m: &BTreeMap<String, f64>, key: &str) -> f64 {
    m.get(key).copied().unwrap_or(0.0)
}

const CLASSIFY: &str = r#"service="khabar.v1.Classifier",method="Classify""#;

#[tokio::test]
async fn metrics_count_calls_documents_errors_and_reloads() {
    let tmp = tempfile::tempdir().unwrap();
    let rules = tmp.path().join("rules");
    support::write_embedded_rules(&rules);
    let log = tmp.path().join("server.log");
    let server = Served::start(&rules, &log).await;
    let old_version = support::version_of_dir(&rules);

    // Before any call: the build, the rules in use, the pool's gauges; no Classify series.
    let before = server
        .scrape_until("khabar_rules_info", |m| {
            get(m, "khabar_workers") >= 1.0
                && get(
                    m,
                    &format!(
                        r#"khabar_rules_info{{version="{old_version}",source="{}"}}"#,
                        rules.display()
                    ),
                ) == 1.0
        })
        .await;
    assert!(
        before.keys().any(|k| k.starts_with("khabar_build_info{")
            && k.contains(&format!(r#"version="{}""#, env!("CARGO_PKG_VERSION")))),
        "{before:#?}"
    );
    assert!(before.contains_key("khabar_queue_documents"));
    assert!(before.contains_key("khabar_queue_capacity_documents"));
    assert!(!before.keys().any(|k| k.contains(CLASSIFY)), "{before:#?}");

    // Three good Classify calls, one empty text, a batch of a good and an empty document,
    // GetRules.
    let mut client = support::client(server.addr).await;
    let text = "Vladimir Putin met Kim Jong Un in Pyongyang.";
    for i in 0..3 {
        client
            .classify(req(&format!("doc{i}"), text))
            .await
            .unwrap();
    }
    let e = client.classify(req("bad\nid", "")).await.unwrap_err();
    assert_eq!(e.code(), Code::InvalidArgument);
    client
        .classify_batch(pb::ClassifyBatchRequest {
            requests: vec![req("b0", text), req("b1", "")],
        })
        .await
        .unwrap();
    support::rules_info(&mut client).await;

    let after = server
        .scrape_until("the batch", |m| {
            get(
                m,
                r#"khabar_requests_total{service="khabar.v1.Classifier",method="ClassifyBatch",code="OK"}"#,
            ) == 1.0
        })
        .await;
    let requests = |method: &str, code: &str| {
        get(
            &after,
            &format!(
                r#"khabar_requests_total{{service="khabar.v1.Classifier",method="{method}",code="{code}"}}"#
            ),
        )
    };
    assert_eq!(requests("Classify", "OK"), 3.0);
    assert_eq!(requests("Classify", "INVALID_ARGUMENT"), 1.0);
    assert_eq!(requests("GetRules", "OK"), 1.0);
    let documents = |method: &str, code: &str| {
        get(
            &after,
            &format!(r#"khabar_documents_total{{method="{method}",code="{code}"}}"#),
        )
    };
    assert_eq!(documents("Classify", "OK"), 3.0);
    assert_eq!(documents("Classify", "INVALID_ARGUMENT"), 1.0);
    assert_eq!(documents("ClassifyBatch", "OK"), 1.0);
    assert_eq!(documents("ClassifyBatch", "INVALID_ARGUMENT"), 1.0);
    assert_eq!(
        get(&after, "khabar_classified_bytes_total"),
        4.0 * text.len() as f64
    );
    assert_eq!(get(&after, "khabar_classify_duration_seconds_count"), 4.0);

    // The latency histogram of Classify: four calls, cumulative buckets, a positive sum.
    let count = get(
        &after,
        &format!("khabar_request_duration_seconds_count{{{CLASSIFY}}}"),
    );
    assert_eq!(count, 4.0);
    assert_eq!(
        get(
            &after,
            &format!(r#"khabar_request_duration_seconds_bucket{{{CLASSIFY},le="+Inf"}}"#)
        ),
        4.0
    );
    let sum = get(
        &after,
        &format!("khabar_request_duration_seconds_sum{{{CLASSIFY}}}"),
    );
    assert!(sum > 0.0 && sum < 60.0, "sum {sum}");
    let buckets: Vec<f64> = after
        .iter()
        .filter(|(k, _)| {
            k.starts_with(&format!(
                "khabar_request_duration_seconds_bucket{{{CLASSIFY}"
            ))
        })
        .map(|(_, v)| *v)
        .collect();
    assert!(buckets.len() > 5, "{buckets:?}");
    assert!(buckets.iter().all(|&b| b <= 4.0));
    assert_eq!(
        get(&after, "khabar_pool_documents_total{outcome=\"rejected\"}"),
        0.0
    );

    // A reload: counted, and the info metric moves to the new version.
    support::append_comment(&support::editable_rule_file(&rules), "metrics test");
    let new_version = support::version_of_dir(&rules);
    assert_ne!(new_version, old_version);
    // SAFETY: kill(2) on our own child's pid.
    assert_eq!(
        unsafe { libc::kill(server.child.id() as i32, libc::SIGHUP) },
        0
    );
    let source = rules.display().to_string();
    let reloaded = server
        .scrape_until("the reload", |m| {
            get(m, r#"khabar_rules_reloads_total{result="ok"}"#) == 1.0
        })
        .await;
    let info = |v: &str| {
        get(
            &reloaded,
            &format!(r#"khabar_rules_info{{version="{v}",source="{source}"}}"#),
        )
    };
    assert_eq!(info(&new_version), 1.0);
    assert_eq!(info(&old_version), 0.0);

    // JSON logs: every line an object with timestamp, level, target and message; the failed call
    // has its own line with the method, the escaped id, the bytes, the code and the latency.
    let log = std::fs::read_to_string(&log).unwrap();
    let lines: Vec<serde_json::Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    for l in &lines {
        for key in ["timestamp", "level", "target", "message"] {
            assert!(l.get(key).is_some(), "no {key}: {l}");
        }
    }
    let failed = lines
        .iter()
        .find(|l| l["rpc"] == "Classify" && l["code"] == "INVALID_ARGUMENT")
        .unwrap_or_else(|| panic!("no line for the failed call in\n{log}"));
    assert_eq!(failed["level"], "DEBUG");
    assert_eq!(failed["id"], r#""bad\nid""#, "the id is escaped");
    assert_eq!(failed["bytes"], 0);
    assert!(failed["elapsed_us"].is_u64(), "{failed}");
    assert_eq!(
        lines
            .iter()
            .filter(|l| l["rpc"] == "Classify" && l["code"] == "OK")
            .count(),
        3
    );
}
