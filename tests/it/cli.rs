//! `khabar classify` from the command line (the real binary): one document, and `--jsonl` bulk
//! classification, compared with what the gRPC server answers for the same requests.

use std::io::Write as _;
use std::process::{Command, Output, Stdio};

use khabar::pb;

use crate::support::{self, TestServer};

/// Runs the binary with `args`, feeding `stdin`.
fn khabar(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_khabar"))
        .args(args)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run khabar");
    let mut input = child.stdin.take().expect("stdin");
    input.write_all(stdin).expect("write stdin");
    drop(input);
    child.wait_with_output().expect("khabar ends")
}

/// Requests over the seed articles with a mix of options, so that every output field is used.
fn requests() -> Vec<pb::ClassifyRequest> {
    let units = [
        pb::OffsetUnit::Unspecified,
        pb::OffsetUnit::Utf16CodeUnit,
        pb::OffsetUnit::Utf8Byte,
    ];
    support::articles()
        .into_iter()
        .enumerate()
        .map(|(i, (name, text))| pb::ClassifyRequest {
            id: name,
            title: if i % 2 == 0 {
                String::new()
            } else {
                "بوتين يلتقي كيم جونغ أون في موسكو".to_owned()
            },
            offset_unit: units[i % units.len()] as i32,
            published_at: Some(pbjson_types::Timestamp {
                seconds: 1_694_685_600,
                nanos: 0,
            }),
            time_zone: "Asia/Riyadh".to_owned(),
            options: Some(pb::ClassifyOptions {
                include_evidence: i % 2 == 0,
                max_topics: 3,
                ..Default::default()
            }),
            ..support::req("", &text)
        })
        .collect()
}

/// What the server answers for each request.
async fn grpc_responses(reqs: &[pb::ClassifyRequest]) -> Vec<pb::ClassifyResponse> {
    let server = TestServer::start().await;
    let mut client = server.client().await;
    let mut out = Vec::new();
    for r in reqs {
        out.push(client.classify(r.clone()).await.unwrap().into_inner());
    }
    server.stop().await;
    out
}

fn parse_lines(out: &[u8]) -> Vec<pb::ClassifyResponse> {
    std::str::from_utf8(out)
        .expect("UTF-8 output")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[tokio::test]
async fn jsonl_with_bad_lines_in_the_middle_writes_every_other_result_in_order() {
    let reqs = requests();
    assert!(reqs.len() >= 4, "need a few seed articles");
    let expected = grpc_responses(&reqs).await;

    // Good lines, with three bad ones after the second: not JSON, an empty text, an unknown
    // enum name (its id is still echoed).
    let mut lines: Vec<String> = reqs
        .iter()
        .map(|r| serde_json::to_string(r).unwrap())
        .collect();
    let bad = [
        "{\"id\": \"broken\", \"text\": ".to_owned(),
        r#"{"id":"empty","text":"  "}"#.to_owned(),
        r#"{"id":"unit","text":"Paris","offsetUnit":"OFFSET_UNIT_FURLONG"}"#.to_owned(),
    ];
    for (k, b) in bad.iter().enumerate() {
        lines.insert(2 + k, b.clone());
    }
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let output = dir.path().join("out.jsonl");
    std::fs::write(&input, lines.join("\n") + "\n").unwrap();

    let run = khabar(
        &[
            "classify",
            "--jsonl",
            input.to_str().unwrap(),
            "-o",
            output.to_str().unwrap(),
            "--threads",
            "2",
        ],
        b"",
    );
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(
        run.status.code(),
        Some(1),
        "bad lines fail the run: {stderr}"
    );
    assert!(run.stdout.is_empty(), "-o writes nothing on stdout");
    let name = input.display();
    for (line, what) in [
        (3, "not a ClassifyRequest in proto3 JSON"),
        (4, "text is empty"),
        (5, "OFFSET_UNIT_FURLONG"),
    ] {
        assert!(
            stderr.contains(&format!("{name}:{line}: ")) && stderr.contains(what),
            "stderr lacks line {line} ({what}): {stderr}"
        );
    }
    assert!(
        stderr.contains(&format!("{} documents, 3 errors", lines.len())),
        "{stderr}"
    );

    let got = parse_lines(&std::fs::read(&output).unwrap());
    assert_eq!(got.len(), lines.len(), "one output line per input line");
    let mut good = expected.iter();
    for (i, resp) in got.iter().enumerate() {
        match i {
            2 => {
                assert_eq!(resp.id, "", "not JSON: no id to echo");
                assert_eq!(resp.error.as_ref().unwrap().code, 3);
            }
            3 => {
                assert_eq!(resp.id, "empty");
                let e = resp.error.as_ref().unwrap();
                assert_eq!((e.code, e.message.as_str()), (3, "text is empty"));
            }
            4 => {
                assert_eq!(resp.id, "unit");
                assert_eq!(resp.error.as_ref().unwrap().code, 3);
                assert!(resp.entities.is_empty() && resp.rules_version.is_empty());
            }
            _ => assert_eq!(
                Some(resp),
                good.next(),
                "line {} differs from the gRPC response",
                i + 1
            ),
        }
    }
    assert!(good.next().is_none());

    // The good lines alone, through standard input and standard output: exit 0, same results.
    let good_lines: String = lines
        .iter()
        .filter(|l| !bad.contains(l))
        .map(|l| format!("{l}\n"))
        .collect();
    let run = khabar(&["classify", "--jsonl", "-"], good_lines.as_bytes());
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(parse_lines(&run.stdout), expected);
}

#[tokio::test]
async fn one_document_prints_the_grpc_response() {
    let (name, text) = support::articles().swap_remove(0);
    let expected = grpc_responses(&[pb::ClassifyRequest {
        offset_unit: pb::OffsetUnit::Utf16CodeUnit as i32,
        options: Some(pb::ClassifyOptions {
            include_evidence: true,
            ..Default::default()
        }),
        ..support::req(&name, &text)
    }])
    .await;
    let run = khabar(
        &[
            "classify",
            "-",
            "--id",
            &name,
            "--unit",
            "utf16",
            "--evidence",
        ],
        text.as_bytes(),
    );
    assert!(run.status.success());
    let got: pb::ClassifyResponse = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(got, expected[0]);
}

#[test]
fn jsonl_refuses_per_document_flags() {
    let run = khabar(&["classify", "--jsonl", "-", "--title", "x"], b"");
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("cannot be used with"));
}

#[test]
fn version_names_the_commit() {
    let run = khabar(&["--version"], b"");
    assert!(run.status.success());
    let out = String::from_utf8(run.stdout).unwrap();
    let head = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned());
    let commit = match std::env::var("KHABAR_GIT_COMMIT") {
        Ok(c) if !c.trim().is_empty() => c.trim().to_owned(),
        _ => head.unwrap_or_else(|| "unknown".to_owned()),
    };
    assert_eq!(
        out.trim(),
        format!("khabar {} (commit {commit})", env!("CARGO_PKG_VERSION"))
    );
}
