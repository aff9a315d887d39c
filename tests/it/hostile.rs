//! The service under hostile or heavy clients: socket options, message limits, stalled
//! messages, idle connections, a full queue, deadlines, undecodable messages, huge values, and
//! the drain timeout. Raw HTTP/2 (the `h2` crate) sends what the generated client never would.

use std::net::SocketAddr;
use std::os::fd::BorrowedFd;
use std::time::{Duration, Instant};

use khabar::pb;
use khabar::server::{Config, Pool};
use prost::bytes::Bytes;
use prost::Message as _;
use tokio_stream::StreamExt as _;
use tonic::Code;

use crate::support::{self, req, TestServer};

/// Every open socket of this process (the in-process server's among them) as (fd, local
/// address, peer address, TCP_NODELAY).
fn own_tcp_sockets() -> Vec<(i32, SocketAddr, Option<SocketAddr>, bool)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir("/proc/self/fd").unwrap().flatten() {
        let Ok(fd) = entry.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        let is_socket = std::fs::read_link(entry.path())
            .is_ok_and(|t| t.to_string_lossy().starts_with("socket:"));
        if !is_socket {
            continue;
        }
        // SAFETY: the descriptor is only borrowed for a few getsockopt calls; if it was closed
        // and reused meanwhile, the calls fail or describe another socket, never undefined
        // behaviour.
        let fd_ref = unsafe { BorrowedFd::borrow_raw(fd) };
        let sock = socket2::SockRef::from(&fd_ref);
        let Some(local) = sock.local_addr().ok().and_then(|a| a.as_socket()) else {
            continue;
        };
        let peer = sock.peer_addr().ok().and_then(|a| a.as_socket());
        let Ok(nodelay) = sock.tcp_nodelay() else {
            continue;
        };
        out.push((fd, local, peer, nodelay));
    }
    out
}

#[tokio::test]
async fn accepted_sockets_have_tcp_nodelay() {
    // The check itself sees a socket without the option: a plain accepted std socket.
    let plain = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let plain_addr = plain.local_addr().unwrap();
    let _client = std::net::TcpStream::connect(plain_addr).unwrap();
    let (_accepted, _) = plain.accept().unwrap();
    let control: Vec<_> = own_tcp_sockets()
        .into_iter()
        .filter(|s| s.1 == plain_addr && s.2.is_some())
        .collect();
    assert_eq!(control.len(), 1, "{control:?}");
    assert!(
        !control[0].3,
        "an accepted socket has no TCP_NODELAY by default"
    );

    let server = TestServer::start().await;
    let mut clients = Vec::new();
    for _ in 0..3 {
        let mut c = server.client().await;
        support::rules_info(&mut c).await;
        clients.push(c);
    }
    let accepted: Vec<_> = own_tcp_sockets()
        .into_iter()
        .filter(|s| s.1 == server.addr && s.2.is_some())
        .collect();
    assert!(
        accepted.len() >= 3,
        "the server's accepted sockets: {accepted:?}"
    );
    assert!(
        accepted.iter().all(|s| s.3),
        "every accepted socket has TCP_NODELAY: {accepted:?}"
    );
    server.stop().await;
}

/// A raw HTTP/2 connection to `addr`.
async fn h2_connect(addr: SocketAddr) -> h2::client::SendRequest<Bytes> {
    let tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    let (send, conn) = h2::client::handshake(tcp).await.unwrap();
    tokio::spawn(async move {
        let _ = conn.await;
    });
    send.ready().await.unwrap()
}

/// A gRPC request head for `path` (optionally with `grpc-timeout`).
fn grpc_head(path: &str) -> http::Request<()> {
    http::Request::builder()
        .method("POST")
        .uri(format!("http://localhost{path}"))
        .header("content-type", "application/grpc")
        .header("te", "trailers")
        .body(())
        .unwrap()
}

/// One gRPC message frame.
fn frame(message: &[u8]) -> Vec<u8> {
    let mut f = vec![0];
    f.extend_from_slice(&(message.len() as u32).to_be_bytes());
    f.extend_from_slice(message);
    f
}

/// What came back on a raw call: the response messages, `grpc-status` and `grpc-message`.
#[derive(Debug)]
struct RawReply {
    messages: Vec<Vec<u8>>,
    code: Option<i32>,
    message: String,
}

/// Reads a whole response: headers (perhaps trailers-only), data frames, trailers.
async fn read_reply(
    response: impl std::future::Future<Output = Result<http::Response<h2::RecvStream>, h2::Error>>,
) -> RawReply {
    let response = response.await.unwrap();
    let header = |h: &http::HeaderMap, k: &str| {
        h.get(k)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
    };
    let mut code = header(response.headers(), "grpc-status").and_then(|c| c.parse().ok());
    let mut message = header(response.headers(), "grpc-message")
        .map(|m| percent_decode(&m))
        .unwrap_or_default();
    let mut body = response.into_body();
    let mut data = Vec::new();
    while let Some(chunk) = body.data().await {
        let chunk = chunk.unwrap();
        let _ = body.flow_control().release_capacity(chunk.len());
        data.extend_from_slice(&chunk);
    }
    if let Ok(Some(trailers)) = body.trailers().await {
        if let Some(c) = header(&trailers, "grpc-status") {
            code = c.parse().ok();
        }
        message = header(&trailers, "grpc-message")
            .map(|m| percent_decode(&m))
            .unwrap_or_default();
    }
    let mut messages = Vec::new();
    let mut rest = &data[..];
    while rest.len() >= 5 {
        let len = u32::from_be_bytes([rest[1], rest[2], rest[3], rest[4]]) as usize;
        messages.push(rest[5..5 + len].to_vec());
        rest = &rest[5 + len..];
    }
    RawReply {
        messages,
        code,
        message,
    }
}

/// `grpc-message` is percent-encoded.
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = b
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b[i], hex) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            (c, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Sends `body` (already framed) as a whole request on a fresh connection.
async fn raw_call(addr: SocketAddr, path: &str, body: Vec<u8>) -> RawReply {
    let mut send = h2_connect(addr).await;
    let (response, mut stream) = send.send_request(grpc_head(path), false).unwrap();
    stream.send_data(Bytes::from(body), true).unwrap();
    read_reply(response).await
}

#[tokio::test]
async fn a_stalled_half_sent_message_is_dropped() {
    let config = Config {
        message_timeout: Duration::from_millis(300),
        ..Config::default()
    };
    let server = TestServer::start_with(support::shared_engine(), config).await;
    for path in [
        "/khabar.v1.Classifier/Classify",
        "/khabar.v1.Classifier/ClassifyStream",
        "/khabar.v1.Classifier/ClassifyBatch",
    ] {
        let mut send = h2_connect(server.addr).await;
        let (response, mut stream) = send.send_request(grpc_head(path), false).unwrap();
        // A header announcing 1,000 bytes, then 10 of them, then nothing.
        let mut half = frame(&[b'x'; 1000]);
        half.truncate(15);
        stream.send_data(Bytes::from(half), false).unwrap();
        let reply = tokio::time::timeout(Duration::from_secs(20), read_reply(response))
            .await
            .expect("the server answers a stalled message");
        assert_eq!(
            reply.code,
            Some(Code::DeadlineExceeded as i32),
            "{path}: {reply:?}"
        );
        assert!(reply.message.contains("incomplete"), "{path}: {reply:?}");
    }
    // A unary call whose message never comes is dropped the same way.
    let mut send = h2_connect(server.addr).await;
    let (response, _stream) = send
        .send_request(grpc_head("/khabar.v1.Classifier/Classify"), false)
        .unwrap();
    let reply = tokio::time::timeout(Duration::from_secs(20), read_reply(response))
        .await
        .expect("the server answers a call without a message");
    assert_eq!(reply.code, Some(Code::DeadlineExceeded as i32), "{reply:?}");
    server.stop().await;
}

#[tokio::test]
async fn an_idle_connection_is_closed_and_streams_per_connection_are_bounded() {
    let config = Config {
        idle_timeout: Duration::from_millis(300),
        ..Config::default()
    };
    let server = TestServer::start_with(support::shared_engine(), config).await;
    let tcp = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    let (send, conn) = h2::client::handshake(tcp).await.unwrap();
    let send = send.ready().await.unwrap();
    // One call, then nothing: the connection ends by itself.
    let mut send2 = send.clone();
    let driver = tokio::spawn(conn);
    let (response, mut stream) = send2
        .send_request(grpc_head("/khabar.v1.Classifier/GetRules"), false)
        .unwrap();
    stream.send_data(Bytes::from(frame(&[])), true).unwrap();
    let reply = read_reply(response).await;
    assert_eq!(reply.code, Some(0), "{reply:?}");
    // The server's SETTINGS arrived with the answer: calls per connection are bounded.
    assert_eq!(
        send2.current_max_send_streams(),
        khabar::server::DEFAULT_MAX_CONCURRENT_STREAMS as usize
    );
    tokio::time::timeout(Duration::from_secs(20), driver)
        .await
        .expect("the server closes the idle connection")
        .unwrap()
        .ok();
    server.stop().await;
}

#[tokio::test]
async fn oversized_messages_are_refused_before_they_are_read() {
    let config = Config {
        max_text_bytes: 1000,
        max_batch_bytes: 10_000,
        ..Config::default()
    };
    let server = TestServer::start_with(support::shared_engine(), config).await;
    let mut client = server.client().await;

    let status = client
        .classify(req("big", &"x".repeat(200_000)))
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::ResourceExhausted, "{status:?}");
    for needle in [
        "Classify request message",
        "over the limit of 67536 bytes",
        "--max-text-bytes 1000",
    ] {
        assert!(status.message().contains(needle), "{needle}: {status:?}");
    }
    let requests = (0..20)
        .map(|i| req(&i.to_string(), &"x".repeat(900)))
        .collect();
    let status = client
        .classify_batch(pb::ClassifyBatchRequest { requests })
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::ResourceExhausted, "{status:?}");
    assert!(
        status.message().contains("--max-batch-bytes 10000"),
        "{status:?}"
    );

    // Only the header is looked at: a frame announcing 4 GB is refused from its first bytes.
    let mut send = h2_connect(server.addr).await;
    let (response, mut stream) = send
        .send_request(grpc_head("/khabar.v1.Classifier/ClassifyStream"), false)
        .unwrap();
    stream
        .send_data(
            Bytes::from_static(&[0, 0xff, 0xff, 0xff, 0xff, b'x']),
            false,
        )
        .unwrap();
    let reply = read_reply(response).await;
    assert_eq!(
        reply.code,
        Some(Code::ResourceExhausted as i32),
        "{reply:?}"
    );
    assert!(reply.message.contains("4294967295 bytes"), "{reply:?}");

    // Health and reflection take small messages only.
    let reply = raw_call(
        server.addr,
        "/grpc.health.v1.Health/Check",
        frame(&vec![b'x'; 100_000]),
    )
    .await;
    assert_eq!(
        reply.code,
        Some(Code::ResourceExhausted as i32),
        "{reply:?}"
    );
    server.stop().await;
}

/// Resident memory of process `pid`, in bytes.
fn rss_of(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS in /proc/PID/status");
    kb * 1024
}

/// The `khabar` binary serving on a free port, killed on drop.
struct ServerProcess {
    child: std::process::Child,
    addr: SocketAddr,
}

impl ServerProcess {
    async fn start(args: &[&str]) -> ServerProcess {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
        let child = std::process::Command::new(env!("CARGO_BIN_EXE_khabar"))
            .arg("serve")
            .arg("--addr")
            .arg(addr.to_string())
            .args(args)
            .env("RUST_LOG", "warn")
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start the khabar binary");
        let me = ServerProcess { child, addr };
        let deadline = Instant::now() + Duration::from_secs(120);
        while tokio::net::TcpStream::connect(addr).await.is_err() {
            assert!(Instant::now() < deadline, "the server did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        me
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn oversized_messages_do_not_grow_the_servers_memory() {
    const LIMIT: usize = 8 << 20;
    let server = ServerProcess::start(&["--max-batch-bytes", &LIMIT.to_string()]).await;
    let pid = server.child.id();
    let mut client = crate::support::client(server.addr).await;
    let text = support::articles().remove(0).1;
    // Warm up: the first calls allocate what every call needs.
    for _ in 0..5 {
        client.classify(req("warm", &text)).await.unwrap();
    }
    let before = rss_of(pid);
    for _ in 0..3 {
        // 64 MiB unary (the Classify limit is 2 MiB + 64 KiB), 128 MiB batch (limit 8 MiB).
        let status = client
            .classify(req("huge", &"x".repeat(64 << 20)))
            .await
            .unwrap_err();
        assert_eq!(status.code(), Code::ResourceExhausted, "{status:?}");
        let requests = (0..64)
            .map(|i| req(&i.to_string(), &"y".repeat(2 << 20)))
            .collect();
        let status = client
            .classify_batch(pb::ClassifyBatchRequest { requests })
            .await
            .unwrap_err();
        assert_eq!(status.code(), Code::ResourceExhausted, "{status:?}");
    }
    client.classify(req("after", &text)).await.unwrap();
    let grown = rss_of(pid).saturating_sub(before);
    assert!(
        grown < 4 * LIMIT as u64,
        "the server's RSS grew by {} MiB refusing 576 MiB of oversized messages",
        grown >> 20
    );
}

#[tokio::test]
async fn a_full_queue_answers_resource_exhausted() {
    let pool = Pool::new(1, 1).unwrap();
    let config = Config {
        workers: 1,
        queue: 1,
        max_batch: 1,
        ..Config::default()
    };
    let server = TestServer::start_with_pool(support::shared_engine(), pool.clone(), config).await;
    let mut client = server.client().await;
    // The worker holds one job and the queue another.
    let (release, wait) = std::sync::mpsc::channel::<()>();
    let (started_tx, started) = std::sync::mpsc::channel::<()>();
    let _held = pool
        .try_run(1, None, move || {
            let _ = started_tx.send(());
            let _ = wait.recv();
        })
        .unwrap();
    started.recv().unwrap();
    let _queued = pool.try_run(1, None, || ()).unwrap();

    let status = client.classify(req("a", "روسيا")).await.unwrap_err();
    assert_eq!(status.code(), Code::ResourceExhausted, "{status:?}");
    assert!(status.message().contains("retry"), "{status:?}");
    let status = client
        .classify_batch(pb::ClassifyBatchRequest {
            requests: vec![req("b", "روسيا")],
        })
        .await
        .unwrap_err();
    assert_eq!(status.code(), Code::ResourceExhausted, "{status:?}");
    // In a stream the refused document gets its error and the stream goes on.
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    let mut responses = client
        .classify_stream(tokio_stream::wrappers::ReceiverStream::new(rx))
        .await
        .unwrap()
        .into_inner();
    tx.send(req("s1", "روسيا")).await.unwrap();
    let r = responses.next().await.unwrap().unwrap();
    assert_eq!(
        r.error.map(|e| e.code),
        Some(Code::ResourceExhausted as i32)
    );
    assert!(pool.stats().rejected >= 3, "{:?}", pool.stats());

    drop(release);
    let deadline = Instant::now() + Duration::from_secs(20);
    while pool.stats().queued > 0 || pool.stats().running > 0 {
        assert!(Instant::now() < deadline, "{:?}", pool.stats());
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    tx.send(req("s2", "روسيا")).await.unwrap();
    let r = responses.next().await.unwrap().unwrap();
    assert_eq!((r.id.as_str(), r.error), ("s2", None));
    drop(tx);
    assert!(responses.next().await.is_none());
    client.classify(req("c", "روسيا")).await.unwrap();
    server.stop().await;
}

#[tokio::test]
async fn an_expired_deadline_is_deadline_exceeded_and_the_document_is_not_classified() {
    let pool = Pool::new(1, 8).unwrap();
    let config = Config {
        workers: 1,
        ..Config::default()
    };
    let server = TestServer::start_with_pool(support::shared_engine(), pool.clone(), config).await;
    let mut client = server.client().await;
    let (release, wait) = std::sync::mpsc::channel::<()>();
    let (started_tx, started) = std::sync::mpsc::channel::<()>();
    let _held = pool
        .try_run(1, None, move || {
            let _ = started_tx.send(());
            let _ = wait.recv();
        })
        .unwrap();
    started.recv().unwrap();

    // Raw calls: the generated client enforces the deadline itself and says CANCELLED; the
    // server's own answer is what is checked here.
    let late = |path: &str| {
        let mut head = grpc_head(path);
        head.headers_mut()
            .insert("grpc-timeout", "200m".parse().unwrap());
        head
    };
    let mut send = h2_connect(server.addr).await;
    let (response, mut stream) = send
        .send_request(late("/khabar.v1.Classifier/Classify"), false)
        .unwrap();
    stream
        .send_data(
            Bytes::from(frame(&req("late", "روسيا").encode_to_vec())),
            true,
        )
        .unwrap();
    let reply = read_reply(response).await;
    assert_eq!(reply.code, Some(Code::DeadlineExceeded as i32), "{reply:?}");
    let batch = pb::ClassifyBatchRequest {
        requests: vec![req("late-1", "روسيا"), req("late-2", "مصر")],
    };
    let (response, mut stream) = send
        .send_request(late("/khabar.v1.Classifier/ClassifyBatch"), false)
        .unwrap();
    stream
        .send_data(Bytes::from(frame(&batch.encode_to_vec())), true)
        .unwrap();
    let reply = read_reply(response).await;
    assert_eq!(reply.code, Some(Code::DeadlineExceeded as i32), "{reply:?}");

    let before = pool.stats();
    drop(release);
    // The queued documents are dropped when a worker reaches them: not classified.
    let deadline = Instant::now() + Duration::from_secs(20);
    while pool.stats().queued > 0 || pool.stats().running > 0 {
        assert!(Instant::now() < deadline, "{:?}", pool.stats());
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let after = pool.stats();
    assert_eq!(
        after.completed,
        before.completed + 1,
        "only the blocker ran: {after:?}"
    );
    assert_eq!(after.expired + after.abandoned, 3, "{after:?}");
    // A deadline that leaves time is fine.
    let mut r = tonic::Request::new(req("in time", "روسيا"));
    r.set_timeout(Duration::from_secs(60));
    client.classify(r).await.unwrap();
    server.stop().await;
}

#[tokio::test]
async fn undecodable_messages_are_invalid_argument_and_fail_only_their_document() {
    let server = TestServer::start().await;
    // `text` (field 2) holding bytes that are not UTF-8.
    let bad = vec![0x12, 0x02, 0xff, 0xfe];
    let good = req("good", "روسيا ومصر").encode_to_vec();

    let reply = raw_call(server.addr, "/khabar.v1.Classifier/Classify", frame(&bad)).await;
    assert_eq!(reply.code, Some(Code::InvalidArgument as i32), "{reply:?}");

    // A batch of good, bad, good: two responses and an error entry.
    let mut batch = Vec::new();
    for doc in [&good, &bad, &good] {
        batch.push(0x0a);
        prost::encoding::encode_varint(doc.len() as u64, &mut batch);
        batch.extend_from_slice(doc);
    }
    let reply = raw_call(
        server.addr,
        "/khabar.v1.Classifier/ClassifyBatch",
        frame(&batch),
    )
    .await;
    assert_eq!(reply.code, Some(0), "{reply:?}");
    let resp = pb::ClassifyBatchResponse::decode(&reply.messages[0][..]).unwrap();
    use pb::batch_result::Result as R;
    let kinds: Vec<_> = resp
        .results
        .iter()
        .map(|r| match &r.result {
            Some(R::Response(c)) => format!("ok {}", c.id),
            Some(R::Error(e)) => format!("error {}", e.code),
            None => "none".into(),
        })
        .collect();
    assert_eq!(kinds, ["ok good", "error 3", "ok good"]);
    let Some(R::Error(e)) = &resp.results[1].result else {
        unreachable!()
    };
    assert!(e.message.contains("document 1"), "{}", e.message);

    // A stream of bad, good: an error response, then the answer; the stream ends OK.
    let mut body = frame(&bad);
    body.extend(frame(&good));
    let reply = raw_call(server.addr, "/khabar.v1.Classifier/ClassifyStream", body).await;
    assert_eq!(reply.code, Some(0), "{reply:?}");
    let resps: Vec<_> = reply
        .messages
        .iter()
        .map(|m| pb::ClassifyResponse::decode(&m[..]).unwrap())
        .collect();
    assert_eq!(resps.len(), 2);
    assert_eq!(
        resps[0].error.as_ref().map(|e| e.code),
        Some(Code::InvalidArgument as i32)
    );
    assert!(resps[1].error.is_none() && resps[1].id == "good");
    server.stop().await;
}

#[tokio::test]
async fn huge_values_are_not_echoed() {
    let config = Config {
        max_text_bytes: 8 << 20,
        ..Config::default()
    };
    let server = TestServer::start_with(support::shared_engine(), config).await;
    let mut client = server.client().await;
    let mut r = req("tz", "قال الرئيس أمس");
    r.time_zone = "Mars/".repeat(2_000_000); // 10 MB
    let status = client.classify(r).await.unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
    assert!(status.message().contains("time_zone"), "{status:?}");
    assert!(
        status.message().len() < 200,
        "{} bytes",
        status.message().len()
    );
    let mut r = req("lang", "قال الرئيس أمس");
    r.language = "x".repeat(1 << 20);
    let status = client.classify(r).await.unwrap_err();
    assert_eq!(status.code(), Code::InvalidArgument, "{status:?}");
    assert!(
        status.message().len() < 200,
        "{} bytes",
        status.message().len()
    );
    server.stop().await;
}

#[tokio::test]
async fn shutdown_ends_within_the_drain_timeout_with_an_idle_stream_open() {
    let config = Config {
        drain_timeout: Duration::from_millis(500),
        ..Config::default()
    };
    let mut server = TestServer::start_with(support::shared_engine(), config).await;
    let mut client = server.client().await;
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    let mut responses = client
        .classify_stream(tokio_stream::wrappers::ReceiverStream::new(rx))
        .await
        .unwrap()
        .into_inner();
    tx.send(req("one", "روسيا")).await.unwrap();
    assert_eq!(responses.message().await.unwrap().unwrap().id, "one");
    // The stream stays open and idle; shutdown must not wait for it forever.
    server.signal_shutdown();
    server.wait_stopped(Duration::from_secs(20)).await;
    let end = tokio::time::timeout(Duration::from_secs(20), responses.message())
        .await
        .expect("the idle stream ends with the server");
    assert!(end.is_err() || end.unwrap().is_none());
    drop(tx);
}

#[tokio::test]
async fn connections_past_the_limit_are_closed_at_once() {
    let config = Config {
        max_connections: 2,
        ..Config::default()
    };
    let server = TestServer::start_with(support::shared_engine(), config).await;
    let mut first = server.client().await;
    let mut second = server.client().await;
    support::rules_info(&mut first).await;
    support::rules_info(&mut second).await;
    // A third connection is accepted and closed: the client sees the end at once.
    let mut third = tokio::net::TcpStream::connect(server.addr).await.unwrap();
    let mut buf = [0u8; 64];
    let n = tokio::time::timeout(
        Duration::from_secs(20),
        tokio::io::AsyncReadExt::read(&mut third, &mut buf),
    )
    .await
    .expect("the third connection is closed by the server");
    assert!(matches!(n, Ok(0) | Err(_)), "{n:?}");
    // The first two still work; when one goes, a new one is served.
    support::rules_info(&mut first).await;
    drop(second);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let channel = tonic::transport::Endpoint::from_shared(format!("http://{}", server.addr))
            .unwrap()
            .connect()
            .await;
        if let Ok(ch) = channel {
            let mut c = pb::classifier_client::ClassifierClient::new(ch);
            if c.get_rules(pb::GetRulesRequest {}).await.is_ok() {
                break;
            }
        }
        assert!(
            Instant::now() < deadline,
            "a slot is freed when a connection closes"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    server.stop().await;
}

/// CPU time (user + system) of process `pid` so far.
fn cpu_time(pid: u32) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // Fields after the command name (which may hold spaces) start at ") ".
    let fields: Vec<&str> = stat[stat.rfind(") ").unwrap() + 2..].split(' ').collect();
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    // SAFETY: sysconf has no preconditions.
    let hz = unsafe { libc::sysconf(libc::_SC_CLK_TCK) }.max(1) as u64;
    Duration::from_millis(ticks * 1000 / hz)
}

#[tokio::test]
async fn out_of_file_descriptors_the_accept_loop_backs_off() {
    // The binary with at most 64 open files, and 100 connections that never speak.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let child = std::process::Command::new("sh")
        .arg("-c")
        .arg("ulimit -n 64 && exec \"$0\" serve --addr \"$1\"")
        .arg(env!("CARGO_BIN_EXE_khabar"))
        .arg(addr.to_string())
        .env("RUST_LOG", "error")
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let server = ServerProcess { child, addr };
    let pid = server.child.id();
    let deadline = Instant::now() + Duration::from_secs(120);
    while tokio::net::TcpStream::connect(addr).await.is_err() {
        assert!(Instant::now() < deadline, "the server did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let mut client = support::client(addr).await;
    support::rules_info(&mut client).await;
    let mut idle = Vec::new();
    for _ in 0..100 {
        idle.push(tokio::net::TcpStream::connect(addr).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = cpu_time(pid);
    tokio::time::sleep(Duration::from_secs(2)).await;
    let used = cpu_time(pid) - before;
    // Spinning on EMFILE burns a core (2 s); backing off, almost nothing.
    assert!(
        used < Duration::from_millis(500),
        "the server used {used:?} of CPU in 2 s while out of file descriptors"
    );
    drop(idle);
    // Once descriptors are free again, new clients are served.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let ok = tokio::time::timeout(Duration::from_secs(5), async {
            let mut c = support::client(addr).await;
            c.get_rules(pb::GetRulesRequest {}).await.is_ok()
        })
        .await
        .unwrap_or(false);
        if ok {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "served again after the descriptors came back"
        );
    }
}

#[tokio::test]
async fn a_thousand_stalled_messages_do_not_pin_memory() {
    const BUDGET: usize = 32 << 20;
    let server = ServerProcess::start(&["--max-pending-bytes", &BUDGET.to_string()]).await;
    let pid = server.child.id();
    let mut client = crate::support::client(server.addr).await;
    client.classify(req("warm", "روسيا")).await.unwrap();
    let before = rss_of(pid);
    // 8 connections x 125 streams, each announcing a 2,000,000-byte message and sending 1 KB.
    let mut stalled = Vec::new();
    for _ in 0..8 {
        let mut send = h2_connect(server.addr).await;
        for _ in 0..125 {
            send = send.ready().await.unwrap();
            let (response, mut stream) = send
                .send_request(grpc_head("/khabar.v1.Classifier/ClassifyStream"), false)
                .unwrap();
            let mut data = vec![0u8];
            data.extend_from_slice(&2_000_000u32.to_be_bytes());
            data.extend_from_slice(&[b'x'; 1024]);
            stream.send_data(Bytes::from(data), false).unwrap();
            stalled.push((response, stream));
        }
    }
    // Those over the budget are refused at once; the others wait for their bytes.
    // One deadline for all (a loaded machine may take a while to answer the first ones); the
    // streams within the budget wait for it, each of the others answers long before.
    let mut refused = 0;
    let deadline = Instant::now() + Duration::from_secs(5);
    for (response, _) in stalled.iter_mut() {
        let wait = deadline
            .saturating_duration_since(Instant::now())
            .max(Duration::from_millis(20));
        if let Ok(reply) = tokio::time::timeout(wait, read_reply(response)).await {
            assert_eq!(
                reply.code,
                Some(Code::ResourceExhausted as i32),
                "{reply:?}"
            );
            assert!(reply.message.contains("--max-pending-bytes"), "{reply:?}");
            refused += 1;
        }
    }
    let grown = rss_of(pid).saturating_sub(before);
    assert!(refused >= 1000 - BUDGET / 2_000_000, "{refused} refused");
    assert!(
        grown < 3 * BUDGET as u64,
        "RSS grew by {} MiB with 1,000 stalled messages (budget {} MiB)",
        grown >> 20,
        BUDGET >> 20
    );
}

#[tokio::test]
async fn responses_stay_within_max_response_bytes() {
    let text = support::articles().remove(0).1;
    let server = TestServer::start().await;
    let mut client = server.client().await;
    let full = client.classify(req("a", &text)).await.unwrap().into_inner();
    let size = full.encoded_len();
    server.stop().await;

    // Room for two results of this article and a bit, not three.
    let config = Config {
        max_response_bytes: size * 2 + size / 2,
        ..Config::default()
    };
    let server = TestServer::start_with(support::shared_engine(), config).await;
    let mut client = server.client().await;
    client.classify(req("fits", &text)).await.unwrap();
    let requests = (0..3).map(|i| req(&i.to_string(), &text)).collect();
    let resp = client
        .classify_batch(pb::ClassifyBatchRequest { requests })
        .await
        .unwrap()
        .into_inner();
    assert!(resp.encoded_len() <= config.max_response_bytes);
    use pb::batch_result::Result as R;
    assert!(matches!(resp.results[0].result, Some(R::Response(_))));
    assert!(matches!(resp.results[1].result, Some(R::Response(_))));
    match &resp.results[2].result {
        Some(R::Error(e)) => {
            assert_eq!(e.code, Code::ResourceExhausted as i32);
            assert!(e.message.contains("--max-response-bytes"), "{}", e.message);
        }
        other => panic!("{other:?}"),
    }
    server.stop().await;

    let config = Config {
        max_response_bytes: size / 2,
        ..Config::default()
    };
    let server = TestServer::start_with(support::shared_engine(), config).await;
    let mut client = server.client().await;
    let status = client.classify(req("big", &text)).await.unwrap_err();
    assert_eq!(status.code(), Code::ResourceExhausted, "{status:?}");
    assert!(
        status.message().contains("--max-response-bytes"),
        "{status:?}"
    );
    server.stop().await;
}
