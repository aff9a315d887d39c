//! Hot reload: requests keep flowing while rules change (good, bad, good); a bad rule set is
//! never served; `--watch` picks up edits.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use khabar::reload::{Engine, RulesSource};
use khabar::server::Config;
use tokio_stream::StreamExt as _;

use crate::support::{
    self, append_comment, editable_rule_file, req, version_of_dir, write_embedded_rules, TestServer,
};

/// A copy of the embedded rules in a temp dir, served by a fresh engine.
async fn server_on_temp_rules() -> (tempfile::TempDir, TestServer) {
    let dir = tempfile::tempdir().unwrap();
    write_embedded_rules(dir.path());
    let source = RulesSource::Dir(dir.path().to_path_buf());
    let engine = tokio::task::spawn_blocking(move || Engine::load(source))
        .await
        .unwrap()
        .expect("copied rules are valid");
    let server = TestServer::start_with(Arc::new(engine), Config::default()).await;
    (dir, server)
}

/// Responses seen by the load generators: (ok versions, failures).
type Seen = (Vec<String>, Vec<String>);

/// Unary Classify calls in a loop until `stop` (bounded in count).
async fn unary_load(
    server_addr: std::net::SocketAddr,
    text: String,
    stop: Arc<AtomicBool>,
) -> Seen {
    let mut client = crate::support::client(server_addr).await;
    let (mut versions, mut failures) = (Vec::new(), Vec::new());
    for i in 0..20_000 {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        match client.classify(req(&format!("u{i}"), &text)).await {
            Ok(r) => versions.push(r.into_inner().rules_version),
            Err(e) => failures.push(format!("u{i}: {e}")),
        }
    }
    (versions, failures)
}

/// A ClassifyStream fed until `stop` (bounded in count).
async fn stream_load(
    server_addr: std::net::SocketAddr,
    text: String,
    stop: Arc<AtomicBool>,
) -> Seen {
    let mut client = crate::support::client(server_addr).await;
    let (tx, rx) = tokio::sync::mpsc::channel(1);
    let mut responses = client
        .classify_stream(tokio_stream::wrappers::ReceiverStream::new(rx))
        .await
        .unwrap()
        .into_inner();
    let (mut versions, mut failures) = (Vec::new(), Vec::new());
    for i in 0..20_000 {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        tx.send(req(&format!("s{i}"), &text)).await.unwrap();
        match responses.next().await {
            Some(Ok(r)) if r.error.is_none() && r.id == format!("s{i}") => {
                versions.push(r.rules_version)
            }
            other => failures.push(format!("s{i}: {other:?}")),
        }
    }
    drop(tx);
    (versions, failures)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_flow_while_rules_change_good_bad_good() {
    let (dir, server) = server_on_temp_rules().await;
    let mut client = server.client().await;
    let v0 = support::rules_info(&mut client).await.version;
    assert_eq!(v0, version_of_dir(dir.path()));

    let text = support::articles().remove(0).1;
    let stop = Arc::new(AtomicBool::new(false));
    let loads = vec![
        tokio::spawn(unary_load(server.addr, text.clone(), Arc::clone(&stop))),
        tokio::spawn(unary_load(server.addr, text.clone(), Arc::clone(&stop))),
        tokio::spawn(stream_load(server.addr, text.clone(), Arc::clone(&stop))),
    ];
    let pause = || tokio::time::sleep(Duration::from_millis(150));
    pause().await;

    // Good edit 1.
    let file = editable_rule_file(dir.path());
    append_comment(&file, "reload test: good edit 1");
    let v1 = server.engine.reload().await.expect("good edit 1 loads");
    assert_eq!(v1, version_of_dir(dir.path()));
    assert_ne!(v1, v0);
    pause().await;

    // Bad edit: a topic file that is not TOML.
    let bad_file = dir.path().join("topics/zz_reload_test.toml");
    std::fs::create_dir_all(bad_file.parent().unwrap()).unwrap();
    std::fs::write(
        &bad_file,
        "[[topic]]\nid = \"medtop:20000639\"\nthis is not toml = = =\n",
    )
    .unwrap();
    let bad_version = version_of_dir(dir.path());
    let errors = server
        .engine
        .reload()
        .await
        .expect_err("a broken topic file is rejected");
    assert!(
        errors.to_string().contains("zz_reload_test.toml:"),
        "errors name the file: {errors}"
    );
    pause().await;
    let info = support::rules_info(&mut client).await;
    assert_eq!(info.version, v1, "the old rules keep serving");
    assert!(
        info.last_reload_error.contains("zz_reload_test.toml:"),
        "{:?}",
        info.last_reload_error
    );

    // Good edit 2 (the bad file removed, another change).
    std::fs::remove_file(&bad_file).unwrap();
    append_comment(&file, "reload test: good edit 2");
    let v2 = server.engine.reload().await.expect("good edit 2 loads");
    assert_eq!(v2, version_of_dir(dir.path()));
    pause().await;
    let info = support::rules_info(&mut client).await;
    assert_eq!(info.version, v2);
    assert!(
        info.last_reload_error.is_empty(),
        "a good reload clears the error"
    );

    stop.store(true, Ordering::SeqCst);
    let existed: BTreeSet<String> = [v0.clone(), v1.clone(), v2.clone()].into();
    assert!(!existed.contains(&bad_version));
    let mut seen = BTreeSet::new();
    let mut total = 0;
    for load in loads {
        let (versions, failures) = load.await.unwrap();
        assert!(
            failures.is_empty(),
            "no request fails during reloads: {failures:?}"
        );
        total += versions.len();
        seen.extend(versions);
    }
    assert!(total > 0);
    assert!(
        seen.is_subset(&existed),
        "only versions that existed are served: {seen:?} vs {existed:?}"
    );
    assert!(
        !seen.contains(&bad_version),
        "the bad version is never served"
    );
    assert!(seen.contains(&v2), "the last good version is served");
    server.stop().await;
}

#[tokio::test]
async fn watch_reloads_after_an_edit() {
    let (dir, server) = server_on_temp_rules().await;
    let _watch = server
        .engine
        .watch(Duration::from_millis(100))
        .expect("watch the temp dir");
    let mut client = server.client().await;
    let v0 = support::rules_info(&mut client).await.version;
    append_comment(&editable_rule_file(dir.path()), "watch test");
    let expected = version_of_dir(dir.path());
    assert_ne!(expected, v0);
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let v = support::rules_info(&mut client).await.version;
        if v == expected {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "--watch did not reload within 20 s (still {v})"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Loading the rules reads every file: that must not count as a change (no reload loop).
    let loaded_at = support::rules_info(&mut client).await.loaded_at;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let again = support::rules_info(&mut client).await.loaded_at;
    assert_eq!(loaded_at, again, "no reload without a change");
    server.stop().await;
}

#[tokio::test]
async fn watch_needs_a_directory() {
    let engine = Arc::new(Engine::new(
        khabar::Classifier::embedded().unwrap(),
        RulesSource::Embedded,
    ));
    assert!(engine.watch(Duration::from_millis(100)).is_err());
}
