//! What clients bring: compressed messages (gzip, zstd), TLS and mutual TLS (certificates made
//! here with rcgen), and the HTTP/JSON endpoint spoken to by a real HTTP client.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use http_body_util::{BodyExt as _, Full};
use hyper_util::rt::{TokioExecutor, TokioIo};
use khabar::pb;
use khabar::pb::classifier_client::ClassifierClient;
use khabar::server::{self, Config, Tls};
use prost::bytes::Bytes;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio_rustls::rustls;
use tokio_stream::StreamExt as _;
use tonic::codec::CompressionEncoding;
use tonic::transport::{Certificate, ClientTlsConfig, Endpoint, Identity};
use tonic::Code;

use crate::support::{self, req, TestServer};

// ---------------------------------------------------------------------------------------------
// Compression

#[tokio::test]
async fn gzip_and_zstd_requests_succeed_and_responses_come_back_compressed() {
    let server = TestServer::start().await;
    let channel = server.channel().await;
    let articles = support::articles();
    let plain = ClassifierClient::new(channel.clone())
        .classify(req("a", &articles[0].1))
        .await
        .unwrap()
        .into_inner();
    for (encoding, name) in [
        (CompressionEncoding::Gzip, "gzip"),
        (CompressionEncoding::Zstd, "zstd"),
    ] {
        let mut client = ClassifierClient::new(channel.clone())
            .send_compressed(encoding)
            .accept_compressed(encoding);

        let resp = client.classify(req("a", &articles[0].1)).await.unwrap();
        assert_eq!(
            resp.metadata()
                .get("grpc-encoding")
                .map(|v| v.to_str().unwrap()),
            Some(name),
            "the Classify response is compressed with {name}"
        );
        assert_eq!(resp.into_inner(), plain, "{name}: the same answer");

        let batch = client
            .classify_batch(pb::ClassifyBatchRequest {
                requests: vec![req("a", &articles[0].1), req("b", "")],
            })
            .await
            .unwrap();
        assert_eq!(
            batch
                .metadata()
                .get("grpc-encoding")
                .map(|v| v.to_str().unwrap()),
            Some(name)
        );
        let results = batch.into_inner().results;
        assert_eq!(results.len(), 2, "{name}");
        assert_eq!(
            results[0].result,
            Some(pb::batch_result::Result::Response(plain.clone()))
        );

        let stream = client
            .classify_stream(tokio_stream::iter(vec![
                req("1", &articles[1].1),
                req("2", "Vladimir Putin met Kim Jong Un in Pyongyang."),
            ]))
            .await
            .unwrap();
        assert_eq!(
            stream
                .metadata()
                .get("grpc-encoding")
                .map(|v| v.to_str().unwrap()),
            Some(name)
        );
        let ids: Vec<String> = stream.into_inner().map(|r| r.unwrap().id).collect().await;
        assert_eq!(ids, ["1", "2"], "{name}");

        let rules = client.get_rules(pb::GetRulesRequest {}).await.unwrap();
        assert!(!rules.into_inner().version.is_empty(), "{name}");

        let mut health = tonic_health::pb::health_client::HealthClient::new(channel.clone())
            .send_compressed(encoding)
            .accept_compressed(encoding);
        let status = health
            .check(tonic_health::pb::HealthCheckRequest {
                service: "khabar.v1.Classifier".into(),
            })
            .await
            .unwrap()
            .into_inner()
            .status;
        assert_eq!(
            status,
            tonic_health::pb::health_check_response::ServingStatus::Serving as i32,
            "{name}: health"
        );
    }
    server.stop().await;
}

#[tokio::test]
async fn without_compressed_responses_requests_may_still_be_compressed() {
    let config = Config {
        compress_responses: false,
        ..Config::default()
    };
    let server = TestServer::start_with(support::shared_engine(), config).await;
    let mut client = server
        .client()
        .await
        .send_compressed(CompressionEncoding::Zstd)
        .accept_compressed(CompressionEncoding::Zstd)
        .accept_compressed(CompressionEncoding::Gzip);
    let resp = client
        .classify(req("a", "Vladimir Putin met Kim Jong Un."))
        .await
        .unwrap();
    assert_eq!(resp.metadata().get("grpc-encoding"), None);
    assert!(!resp.into_inner().entities.is_empty());
    server.stop().await;
}

#[tokio::test]
async fn a_compressed_message_is_held_to_its_limit_once_decompressed() {
    let config = Config {
        max_text_bytes: 10_000,
        ..Config::default()
    };
    let server = TestServer::start_with(support::shared_engine(), config).await;
    let mut client = server
        .client()
        .await
        .send_compressed(CompressionEncoding::Gzip);
    // 200 KB of one letter: a few hundred bytes compressed, far over the 84 KB limit.
    let e = client
        .classify(req("bomb", &"a".repeat(200_000)))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::ResourceExhausted, "{e:?}");
    assert!(e.message().contains("decompressing"), "{}", e.message());
    // A text slightly over --max-text-bytes reaches the handler, as without compression.
    let e = client
        .classify(req("long", &"a ".repeat(6_000)))
        .await
        .unwrap_err();
    assert_eq!(e.code(), Code::InvalidArgument, "{e:?}");
    server.stop().await;
}

// ---------------------------------------------------------------------------------------------
// TLS

/// A test CA and the certificates it signs.
struct Pki {
    ca_pem: String,
    issuer: rcgen::Issuer<'static, rcgen::KeyPair>,
}

/// A certificate and its key, in PEM.
struct Leaf {
    cert: String,
    key: String,
}

impl Pki {
    fn new(name: &str) -> Pki {
        let key = rcgen::KeyPair::generate().unwrap();
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, name);
        params.key_usages = vec![
            rcgen::KeyUsagePurpose::KeyCertSign,
            rcgen::KeyUsagePurpose::CrlSign,
        ];
        let ca = params.self_signed(&key).unwrap();
        Pki {
            ca_pem: ca.pem(),
            issuer: rcgen::Issuer::new(params, key),
        }
    }

    fn leaf(&self, names: &[&str], usage: rcgen::ExtendedKeyUsagePurpose) -> Leaf {
        let key = rcgen::KeyPair::generate().unwrap();
        let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
        let mut params = rcgen::CertificateParams::new(names).unwrap();
        params.extended_key_usages = vec![usage];
        let cert = params.signed_by(&key, &self.issuer).unwrap();
        Leaf {
            cert: cert.pem(),
            key: key.serialize_pem(),
        }
    }

    fn server(&self) -> Leaf {
        self.leaf(
            &["localhost", "127.0.0.1"],
            rcgen::ExtendedKeyUsagePurpose::ServerAuth,
        )
    }

    fn client(&self) -> Leaf {
        self.leaf(&["client"], rcgen::ExtendedKeyUsagePurpose::ClientAuth)
    }
}

fn server_tls(pki: &Pki, client_ca: Option<&Pki>) -> Tls {
    let leaf = pki.server();
    Tls::from_pem(
        leaf.cert.into_bytes(),
        leaf.key.into_bytes(),
        client_ca.map(|ca| ca.ca_pem.clone().into_bytes()),
    )
    .expect("valid TLS files")
}

async fn start_tls(tls: Tls, config: Config, http: bool) -> TestServer {
    let pool = server::Pool::new(config.worker_count(), config.queue_capacity()).unwrap();
    TestServer::start_endpoints(support::shared_engine(), pool, config, http, Some(tls)).await
}

/// A gRPC call over TLS trusting `ca`, presenting `identity`: the rules version, or why not.
async fn grpc_over_tls(
    addr: SocketAddr,
    ca: &Pki,
    identity: Option<&Leaf>,
) -> Result<String, String> {
    let mut tls = ClientTlsConfig::new()
        .ca_certificate(Certificate::from_pem(&ca.ca_pem))
        .domain_name("localhost");
    if let Some(id) = identity {
        tls = tls.identity(Identity::from_pem(&id.cert, &id.key));
    }
    let channel = Endpoint::from_shared(format!("https://{addr}"))
        .unwrap()
        .tls_config(tls)
        .map_err(|e| e.to_string())?
        .connect()
        .await
        .map_err(|e| format!("connect: {e:?}"))?;
    ClassifierClient::new(channel)
        .get_rules(pb::GetRulesRequest {})
        .await
        .map(|r| r.into_inner().version)
        .map_err(|e| format!("call: {e:?}"))
}

#[tokio::test]
async fn tls_handshake_and_calls() {
    let pki = Pki::new("khabar test CA");
    let server = start_tls(server_tls(&pki, None), Config::default(), false).await;
    let version = grpc_over_tls(server.addr, &pki, None)
        .await
        .expect("a TLS client that trusts the CA is served");
    assert!(!version.is_empty());
    // A client that does not trust the server's CA refuses it.
    let other = Pki::new("another CA");
    assert!(grpc_over_tls(server.addr, &other, None).await.is_err());
    // A plaintext client gets nothing.
    let plain = Endpoint::from_shared(format!("http://{}", server.addr))
        .unwrap()
        .connect()
        .await;
    if let Ok(channel) = plain {
        assert!(ClassifierClient::new(channel)
            .get_rules(pb::GetRulesRequest {})
            .await
            .is_err());
    }
    server.stop().await;
}

#[tokio::test]
async fn mutual_tls_serves_clients_with_a_certificate_of_the_ca_only() {
    let pki = Pki::new("khabar test CA");
    let clients = Pki::new("khabar clients CA");
    let server = start_tls(server_tls(&pki, Some(&clients)), Config::default(), false).await;
    let good = clients.client();
    grpc_over_tls(server.addr, &pki, Some(&good))
        .await
        .expect("a client with a certificate of the client CA is served");
    let refused = grpc_over_tls(server.addr, &pki, None).await;
    assert!(
        refused.is_err(),
        "a client without a certificate is refused"
    );
    let stranger = Pki::new("a stranger's CA").client();
    let refused = grpc_over_tls(server.addr, &pki, Some(&stranger)).await;
    assert!(
        refused.is_err(),
        "a client with a certificate of another CA is refused"
    );
    // The server still serves after refusing.
    grpc_over_tls(server.addr, &pki, Some(&good)).await.unwrap();
    server.stop().await;
}

#[tokio::test]
async fn behind_tls_a_connection_with_a_call_in_flight_is_not_idle() {
    let pki = Pki::new("khabar test CA");
    let config = Config {
        idle_timeout: Duration::from_millis(300),
        ..Config::default()
    };
    let server = start_tls(server_tls(&pki, None), config, false).await;
    let tls = ClientTlsConfig::new()
        .ca_certificate(Certificate::from_pem(&pki.ca_pem))
        .domain_name("localhost");
    let channel = Endpoint::from_shared(format!("https://{}", server.addr))
        .unwrap()
        .tls_config(tls)
        .unwrap()
        .connect()
        .await
        .unwrap();
    let (tx, rx) = tokio::sync::mpsc::channel(4);
    let mut responses = ClassifierClient::new(channel)
        .classify_stream(tokio_stream::wrappers::ReceiverStream::new(rx))
        .await
        .unwrap()
        .into_inner();
    tx.send(req("1", "Vladimir Putin met Kim Jong Un."))
        .await
        .unwrap();
    assert_eq!(responses.message().await.unwrap().unwrap().id, "1");
    // Three idle timeouts with the stream open: the call counts as activity behind TLS too.
    tokio::time::sleep(Duration::from_millis(900)).await;
    tx.send(req("2", "Vladimir Putin met Kim Jong Un."))
        .await
        .unwrap();
    assert_eq!(
        responses
            .message()
            .await
            .expect("the connection is open")
            .unwrap()
            .id,
        "2"
    );
    drop(tx);
    assert!(responses.message().await.unwrap().is_none());
    server.stop().await;
}

#[test]
fn bad_tls_files_name_the_flag() {
    let pki = Pki::new("khabar test CA");
    let leaf = pki.server();
    let other = pki.server();
    let e = Tls::from_pem(b"nothing".to_vec(), leaf.key.clone().into_bytes(), None).unwrap_err();
    assert_eq!(e.flag, "--tls-cert", "{e}");
    let e = Tls::from_pem(leaf.cert.clone().into_bytes(), b"nothing".to_vec(), None).unwrap_err();
    assert_eq!(e.flag, "--tls-key", "{e}");
    let e =
        Tls::from_pem(leaf.cert.clone().into_bytes(), other.key.into_bytes(), None).unwrap_err();
    assert_eq!(e.flag, "--tls-key", "a key of another certificate: {e}");
    let e = Tls::from_pem(
        leaf.cert.into_bytes(),
        leaf.key.into_bytes(),
        Some(b"nothing".to_vec()),
    )
    .unwrap_err();
    assert_eq!(e.flag, "--tls-client-ca", "{e}");
}

// ---------------------------------------------------------------------------------------------
// HTTP/JSON

/// An HTTP answer: status, headers and the body as JSON.
struct Answer {
    status: http::StatusCode,
    headers: http::HeaderMap,
    json: serde_json::Value,
}

fn request(
    method: &str,
    path: &str,
    content_type: Option<&str>,
    body: impl Into<Bytes>,
) -> http::Request<Full<Bytes>> {
    let mut r = http::Request::builder()
        .method(method)
        .uri(path)
        .header("host", "localhost");
    if let Some(ct) = content_type {
        r = r.header("content-type", ct);
    }
    r.body(Full::new(body.into())).unwrap()
}

/// Sends `req` over HTTP/1.1 on `io` (a new connection) and reads the answer.
async fn send_http1<IO>(io: IO, req: http::Request<Full<Bytes>>) -> Answer
where
    IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(io))
        .await
        .unwrap();
    tokio::spawn(conn);
    answer(sender.send_request(req).await.unwrap()).await
}

async fn answer(resp: http::Response<hyper::body::Incoming>) -> Answer {
    let (parts, body) = resp.into_parts();
    let bytes = body.collect().await.unwrap().to_bytes();
    let json = serde_json::from_slice(&bytes).unwrap_or_else(|e| {
        panic!(
            "the body is JSON ({e}): {:?}",
            String::from_utf8_lossy(&bytes)
        )
    });
    Answer {
        status: parts.status,
        headers: parts.headers,
        json,
    }
}

/// One HTTP/1.1 request on a new plaintext connection.
async fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    content_type: Option<&str>,
    body: impl Into<Bytes>,
) -> Answer {
    let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    send_http1(stream, request(method, path, content_type, body)).await
}

async fn post(addr: SocketAddr, path: &str, body: &serde_json::Value) -> Answer {
    http(
        addr,
        "POST",
        path,
        Some("application/json"),
        body.to_string(),
    )
    .await
}

fn json_of<T: serde::Serialize>(message: &T) -> serde_json::Value {
    serde_json::to_value(message).unwrap()
}

async fn start_http(config: Config) -> (TestServer, SocketAddr) {
    let pool = server::Pool::new(config.worker_count(), config.queue_capacity()).unwrap();
    let server =
        TestServer::start_endpoints(support::shared_engine(), pool, config, true, None).await;
    let addr = server.http_addr.unwrap();
    (server, addr)
}

#[tokio::test]
async fn http_json_answers_what_grpc_answers_for_every_seed() {
    let (server, addr) = start_http(Config::default()).await;
    let mut client = server.client().await;
    let mut requests = Vec::new();
    for (i, (name, text)) in support::articles().into_iter().enumerate() {
        let mut r = req(&name, &text);
        // Every other request with options, to cover their JSON names.
        if i % 2 == 1 {
            r.title = "بوتين في بيونغ يانغ".into();
            r.offset_unit = pb::OffsetUnit::Utf16CodeUnit as i32;
            r.options = Some(pb::ClassifyOptions {
                include_evidence: true,
                max_topics: 3,
                ..Default::default()
            });
        }
        let grpc = client.classify(r.clone()).await.unwrap().into_inner();
        let a = post(addr, "/v1/classify", &json_of(&r)).await;
        assert_eq!(a.status, 200, "{name}: {}", a.json);
        assert_eq!(
            a.headers.get("content-type").unwrap(),
            "application/json",
            "{name}"
        );
        assert_eq!(a.json, json_of(&grpc), "{name}: HTTP = gRPC");
        requests.push(r);
    }

    requests.insert(1, req("empty", " "));
    let batch = pb::ClassifyBatchRequest { requests };
    let grpc = client
        .classify_batch(batch.clone())
        .await
        .unwrap()
        .into_inner();
    let a = post(addr, "/v1/classify:batch", &json_of(&batch)).await;
    assert_eq!(a.status, 200, "{}", a.json);
    assert_eq!(a.json, json_of(&grpc), "batch: HTTP = gRPC");
    assert_eq!(a.json["results"][1]["error"]["code"], 3);

    let grpc = support::rules_info(&mut client).await;
    let a = http(addr, "GET", "/v1/rules", None, "").await;
    assert_eq!(a.status, 200);
    assert_eq!(a.json, json_of(&grpc), "rules: HTTP = gRPC");
    server.stop().await;
}

#[tokio::test]
async fn http_batch_with_bad_documents_answers_the_others() {
    let (server, addr) = start_http(Config::default()).await;
    let body = serde_json::json!({"requests": [
        {"id": "a", "text": "Vladimir Putin met Kim Jong Un in Pyongyang."},
        42,
        {"id": "c", "text": "Vladimir Putin met Kim Jong Un.", "offsetUnit": "NO_SUCH_UNIT"},
        {"id": "d", "text": ""},
        {"id": "e", "text": "Vladimir Putin met Kim Jong Un."},
    ]});
    let a = post(addr, "/v1/classify:batch", &body).await;
    assert_eq!(a.status, 200, "{}", a.json);
    let results = a.json["results"].as_array().unwrap();
    assert_eq!(results.len(), 5);
    assert_eq!(results[0]["response"]["id"], "a");
    for i in [1, 2, 3] {
        assert_eq!(results[i]["index"], i, "{}", a.json);
        assert_eq!(results[i]["error"]["code"], 3, "document {i}: {}", a.json);
    }
    let message = results[1]["error"]["message"].as_str().unwrap();
    assert!(message.contains("document 1"), "{message}");
    assert_eq!(results[3]["error"]["message"], "text is empty");
    assert_eq!(results[4]["response"]["id"], "e");
    // No documents, or no `requests` at all: an empty answer.
    for empty in [serde_json::json!({"requests": []}), serde_json::json!({})] {
        let a = post(addr, "/v1/classify:batch", &empty).await;
        assert_eq!(a.status, 200);
        assert_eq!(a.json, serde_json::json!({}), "{empty}");
    }
    server.stop().await;
}

/// Asserts an error answer: HTTP status, gRPC code and name, and words of the message.
#[track_caller]
fn assert_error(a: &Answer, status: u16, code: Code, status_name: &str, needles: &[&str]) {
    assert_eq!(a.status, status, "{}", a.json);
    assert_eq!(a.json["code"], code as i32, "{}", a.json);
    assert_eq!(a.json["status"], status_name, "{}", a.json);
    let message = a.json["message"].as_str().expect("a message");
    for needle in needles {
        assert!(message.contains(needle), "{needle:?} in {message:?}");
    }
    assert_eq!(a.headers.get("content-type").unwrap(), "application/json");
}

#[tokio::test]
async fn http_errors_are_json_with_the_grpc_code_and_the_http_status() {
    let config = Config {
        max_text_bytes: 1_000,
        max_batch: 2,
        ..Config::default()
    };
    let (server, addr) = start_http(config).await;
    let json = Some("application/json");

    let a = http(addr, "POST", "/v1/classify", json, r#"{"text": "#).await;
    assert_error(
        &a,
        400,
        Code::InvalidArgument,
        "INVALID_ARGUMENT",
        &["not a khabar.v1.ClassifyRequest in proto3 JSON", "line 1"],
    );
    let a = http(addr, "POST", "/v1/classify", json, r#"{"txt": "a"}"#).await;
    assert_error(&a, 400, Code::InvalidArgument, "INVALID_ARGUMENT", &["txt"]);
    let a = http(addr, "POST", "/v1/classify", json, "").await;
    assert_error(
        &a,
        400,
        Code::InvalidArgument,
        "INVALID_ARGUMENT",
        &["proto3 JSON"],
    );
    let a = post(addr, "/v1/classify", &serde_json::json!({"text": "  "})).await;
    assert_error(
        &a,
        400,
        Code::InvalidArgument,
        "INVALID_ARGUMENT",
        &["text is empty"],
    );
    let a = post(
        addr,
        "/v1/classify",
        &serde_json::json!({"text": "a".repeat(1_500)}),
    )
    .await;
    assert_error(
        &a,
        400,
        Code::InvalidArgument,
        "INVALID_ARGUMENT",
        &["1500 bytes", "limit of 1000 bytes"],
    );
    let a = post(
        addr,
        "/v1/classify",
        &serde_json::json!({"text": "a", "options": {"minTopicScore": 2.0}}),
    )
    .await;
    assert_error(
        &a,
        400,
        Code::InvalidArgument,
        "INVALID_ARGUMENT",
        &["min_topic_score"],
    );
    let three = serde_json::json!({"requests": [{"text": "a"}, {"text": "b"}, {"text": "c"}]});
    let a = post(addr, "/v1/classify:batch", &three).await;
    assert_error(
        &a,
        400,
        Code::InvalidArgument,
        "INVALID_ARGUMENT",
        &["3", "2"],
    );
    let a = post(
        addr,
        "/v1/classify:batch",
        &serde_json::json!({"requests": 1}),
    )
    .await;
    assert_error(
        &a,
        400,
        Code::InvalidArgument,
        "INVALID_ARGUMENT",
        &["ClassifyBatchRequest"],
    );

    // The body is refused from its announced length, over the method's limit (twice the text
    // limit plus 64 KiB).
    let big = format!(r#"{{"text": "{}"}}"#, "a".repeat(70_000));
    let a = http(addr, "POST", "/v1/classify", json, big).await;
    assert_error(
        &a,
        413,
        Code::ResourceExhausted,
        "RESOURCE_EXHAUSTED",
        &["over the limit of 67536 bytes", "--max-text-bytes"],
    );

    let a = http(
        addr,
        "POST",
        "/v1/classify",
        Some("text/plain"),
        r#"{"text": "a"}"#,
    )
    .await;
    assert_error(
        &a,
        415,
        Code::InvalidArgument,
        "INVALID_ARGUMENT",
        &["application/json"],
    );
    // A charset parameter is fine, and so is no Content-Type at all.
    for ct in [Some("application/json; charset=utf-8"), None] {
        let a = http(
            addr,
            "POST",
            "/v1/classify",
            ct,
            r#"{"text": "Kim Jong Un"}"#,
        )
        .await;
        assert_eq!(a.status, 200, "{ct:?}: {}", a.json);
    }

    let a = http(addr, "GET", "/v1/classify", None, "").await;
    assert_error(&a, 405, Code::Unimplemented, "UNIMPLEMENTED", &["POST"]);
    assert_eq!(a.headers.get("allow").unwrap(), "POST");
    let a = http(addr, "DELETE", "/v1/rules", None, "").await;
    assert_error(&a, 405, Code::Unimplemented, "UNIMPLEMENTED", &["GET"]);
    assert_eq!(a.headers.get("allow").unwrap(), "GET");
    let a = http(addr, "POST", "/v1/classify:stream", json, "{}").await;
    assert_error(
        &a,
        404,
        Code::NotFound,
        "NOT_FOUND",
        &["/v1/classify:stream", "/v1/classify:batch"],
    );
    let a = http(addr, "GET", "/", None, "").await;
    assert_error(&a, 404, Code::NotFound, "NOT_FOUND", &[]);
    server.stop().await;
}

#[tokio::test]
async fn http_body_that_stalls_is_dropped_after_the_message_timeout() {
    let config = Config {
        message_timeout: Duration::from_millis(300),
        ..Config::default()
    };
    let (server, addr) = start_http(config).await;
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"POST /v1/classify HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{\"text\":")
        .await
        .unwrap();
    let mut buf = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut buf))
        .await
        .expect("the server answers and closes")
        .unwrap();
    let text = String::from_utf8_lossy(&buf);
    assert!(text.starts_with("HTTP/1.1 408"), "{text}");
    assert!(text.contains("DEADLINE_EXCEEDED"), "{text}");
    assert!(text.contains("--message-timeout"), "{text}");
    server.stop().await;
}

#[tokio::test]
async fn http2_without_tls_and_http_over_tls() {
    // HTTP/2 with prior knowledge (h2c).
    let (server, addr) = start_http(Config::default()).await;
    let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let (mut sender, conn) =
        hyper::client::conn::http2::handshake(TokioExecutor::new(), TokioIo::new(stream))
            .await
            .unwrap();
    tokio::spawn(conn);
    let body = serde_json::json!({"id": "h2", "text": "Vladimir Putin met Kim Jong Un."});
    let a = answer(
        sender
            .send_request(request(
                "POST",
                "http://localhost/v1/classify",
                Some("application/json"),
                body.to_string(),
            ))
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.json);
    assert_eq!(a.json["id"], "h2");
    server.stop().await;

    // HTTPS, with and without a client certificate under mutual TLS.
    let pki = Pki::new("khabar test CA");
    let clients = Pki::new("khabar clients CA");
    let server = start_tls(server_tls(&pki, Some(&clients)), Config::default(), true).await;
    let addr = server.http_addr.unwrap();
    let good = clients.client();
    let io = tls_connect(addr, &pki, Some(&good)).await.unwrap();
    let a = send_http1(io, request("GET", "/v1/rules", None, "")).await;
    assert_eq!(a.status, 200, "{}", a.json);
    assert!(a.json["version"].is_string());

    let refused = async {
        let io = tls_connect(addr, &pki, None).await?;
        let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(io))
            .await
            .map_err(|e| e.to_string())?;
        tokio::spawn(conn);
        sender
            .send_request(request("GET", "/v1/rules", None, ""))
            .await
            .map_err(|e| e.to_string())
    }
    .await;
    assert!(refused.is_err(), "no client certificate: refused");
    server.stop().await;
}

/// A TLS connection to `addr` trusting `ca`, with `identity` if given (ALPN http/1.1).
async fn tls_connect(
    addr: SocketAddr,
    ca: &Pki,
    identity: Option<&Leaf>,
) -> Result<tokio_rustls::client::TlsStream<tokio::net::TcpStream>, String> {
    use rustls::pki_types::pem::PemObject as _;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(CertificateDer::from_pem_slice(ca.ca_pem.as_bytes()).unwrap())
        .unwrap();
    let builder = rustls::ClientConfig::builder().with_root_certificates(roots);
    let mut config = match identity {
        Some(id) => builder
            .with_client_auth_cert(
                vec![CertificateDer::from_pem_slice(id.cert.as_bytes()).unwrap()],
                PrivateKeyDer::from_pem_slice(id.key.as_bytes()).unwrap(),
            )
            .unwrap(),
        None => builder.with_no_client_auth(),
    };
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    let connector = tokio_rustls::TlsConnector::from(Arc::new(config));
    let tcp = tokio::net::TcpStream::connect(addr).await.unwrap();
    connector
        .connect(ServerName::try_from("localhost").unwrap(), tcp)
        .await
        .map_err(|e| e.to_string())
}
