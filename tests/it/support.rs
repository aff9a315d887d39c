//! Shared helpers: a real server on 127.0.0.1:0, clients, test articles, rule directories.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use khabar::pb;
use khabar::pb::classifier_client::ClassifierClient;
use khabar::reload::{Engine, RulesSource};
use khabar::server::{self, Config};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tonic::transport::Channel;

/// A channel connected to `addr` (retried for a second while the server starts).
pub async fn channel(addr: SocketAddr) -> Channel {
    let endpoint = tonic::transport::Endpoint::from_shared(format!("http://{addr}")).unwrap();
    for _ in 0..50 {
        if let Ok(ch) = endpoint.connect().await {
            return ch;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("cannot connect to {addr}");
}

/// A classifier client for `addr` that accepts large responses.
pub async fn client(addr: SocketAddr) -> ClassifierClient<Channel> {
    ClassifierClient::new(channel(addr).await).max_decoding_message_size(256 << 20)
}

/// The embedded rules, compiled once for every test that does not reload.
pub fn shared_engine() -> Arc<Engine> {
    static ENGINE: OnceLock<Arc<Engine>> = OnceLock::new();
    Arc::clone(ENGINE.get_or_init(|| {
        Arc::new(Engine::load(RulesSource::Embedded).expect("embedded rules are valid"))
    }))
}

/// A server running in the test's runtime.
pub struct TestServer {
    /// Where it listens.
    pub addr: SocketAddr,
    /// Where its HTTP/JSON endpoint listens, if it has one.
    pub http_addr: Option<SocketAddr>,
    /// Its engine (reload it to change the rules).
    pub engine: Arc<Engine>,
    shutdown: Option<oneshot::Sender<()>>,
    handle: Option<JoinHandle<Result<(), server::ServeError>>>,
}

impl TestServer {
    /// The embedded rules with the default limits.
    pub async fn start() -> TestServer {
        TestServer::start_with(shared_engine(), Config::default()).await
    }

    /// Any engine and limits.
    pub async fn start_with(engine: Arc<Engine>, config: Config) -> TestServer {
        let pool = server::Pool::new(config.worker_count(), config.queue_capacity()).unwrap();
        TestServer::start_with_pool(engine, pool, config).await
    }

    /// Any engine, worker pool and limits (the test can occupy the pool's workers).
    pub async fn start_with_pool(
        engine: Arc<Engine>,
        pool: server::Pool,
        config: Config,
    ) -> TestServer {
        TestServer::start_endpoints(engine, pool, config, false, None).await
    }

    /// Any engine, worker pool and limits, an HTTP/JSON endpoint if `http`, TLS on both if `tls`.
    pub async fn start_endpoints(
        engine: Arc<Engine>,
        pool: server::Pool,
        config: Config,
        http: bool,
        tls: Option<server::Tls>,
    ) -> TestServer {
        let bind = || async {
            tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind 127.0.0.1:0")
        };
        let listener = bind().await;
        let addr = listener.local_addr().unwrap();
        let http = if http { Some(bind().await) } else { None };
        let http_addr = http.as_ref().map(|l| l.local_addr().unwrap());
        let endpoints = server::Endpoints {
            grpc: listener,
            http,
            tls,
        };
        let (tx, rx) = oneshot::channel::<()>();
        let handle = tokio::spawn(server::serve(
            endpoints,
            Arc::clone(&engine),
            pool,
            config,
            async move {
                let _ = rx.await;
            },
        ));
        TestServer {
            addr,
            http_addr,
            engine,
            shutdown: Some(tx),
            handle: Some(handle),
        }
    }

    /// A connected channel.
    pub async fn channel(&self) -> Channel {
        channel(self.addr).await
    }

    /// A classifier client that accepts large responses.
    pub async fn client(&self) -> ClassifierClient<Channel> {
        client(self.addr).await
    }

    /// Signals shutdown (idempotent).
    pub fn signal_shutdown(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }

    /// Signals shutdown and waits for the server to stop (at most 10 s).
    pub async fn stop(mut self) {
        self.signal_shutdown();
        self.wait_stopped(Duration::from_secs(10)).await;
    }

    /// Waits for the server to stop by itself (shutdown already signalled), at most `limit`.
    pub async fn wait_stopped(&mut self, limit: Duration) {
        let handle = self.handle.take().unwrap();
        tokio::time::timeout(limit, handle)
            .await
            .unwrap_or_else(|_| panic!("server stops within {limit:?}"))
            .expect("server task does not panic")
            .expect("server stops without error");
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.signal_shutdown();
        if let Some(h) = self.handle.take() {
            h.abort();
        }
    }
}

/// The test articles (`tests/data/articles/*.txt`), sorted by name: (name, text).
pub fn articles() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/articles");
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("tests/data/articles exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no test articles in {}", dir.display());
    out
}

/// A request with defaults.
pub fn req(id: &str, text: &str) -> pb::ClassifyRequest {
    pb::ClassifyRequest {
        id: id.to_owned(),
        text: text.to_owned(),
        ..Default::default()
    }
}

/// Writes the embedded rule files into `dir` (a writable copy of the default rules).
pub fn write_embedded_rules(dir: &Path) {
    for f in khabar::rules::embedded() {
        let path = dir.join(&f.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &f.bytes).unwrap();
    }
}

/// A rule file of `dir` that accepts a trailing `#` comment line (to change the version
/// without changing the meaning).
pub fn editable_rule_file(dir: &Path) -> PathBuf {
    let mut files: Vec<String> = khabar::rules::embedded()
        .into_iter()
        .map(|f| f.path)
        .collect();
    files.sort();
    let pick = files
        .iter()
        .find(|p| p.as_str() == "taxonomy.tsv")
        .or_else(|| {
            files
                .iter()
                .find(|p| p.ends_with(".toml") || p.ends_with(".tsv"))
        })
        .expect("the embedded rules have a .tsv or .toml file");
    dir.join(pick)
}

/// Appends a comment line to a rule file.
pub fn append_comment(path: &Path, comment: &str) {
    let mut s = std::fs::read_to_string(path).unwrap();
    if !s.ends_with('\n') && !s.is_empty() {
        s.push('\n');
    }
    s.push_str(&format!("# {comment}\n"));
    std::fs::write(path, s).unwrap();
}

/// The content version of a rules directory, as the server would report it.
pub fn version_of_dir(dir: &Path) -> String {
    khabar::rules::version_of(&khabar::rules::read_dir(dir).expect("readable rules dir"))
}

/// Takes `text[start..end]` in `unit`.
pub fn cut(text: &str, start: u32, end: u32, unit: pb::OffsetUnit) -> Option<String> {
    let (start, end) = (start as usize, end as usize);
    if start > end {
        return None;
    }
    match unit {
        pb::OffsetUnit::Unspecified | pb::OffsetUnit::CodePoint => {
            let chars: Vec<char> = text.chars().collect();
            chars.get(start..end).map(|c| c.iter().collect())
        }
        pb::OffsetUnit::Utf8Byte => text.get(start..end).map(str::to_owned),
        pb::OffsetUnit::Utf16CodeUnit => {
            let units: Vec<u16> = text.encode_utf16().collect();
            units
                .get(start..end)
                .and_then(|u| String::from_utf16(u).ok())
        }
    }
}

/// `GetRules` through `client`, unwrapped (the call itself must succeed).
pub async fn rules_info(client: &mut ClassifierClient<Channel>) -> khabar::pb::GetRulesResponse {
    client
        .get_rules(khabar::pb::GetRulesRequest {})
        .await
        .expect("GetRules succeeds")
        .into_inner()
}
