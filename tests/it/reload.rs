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
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let v = support::rules_info(&mut client).await.version;
        if v == expected {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "--watch did not reload within 90 s (still {v})"
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

#[tokio::test]
async fn hostile_entries_are_clear_errors_and_the_old_rules_keep_serving() {
    use std::os::unix::fs::symlink;
    let (dir, server) = server_on_temp_rules().await;
    let mut client = server.client().await;
    let v0 = support::rules_info(&mut client).await.version;
    let fifo = dir.path().join("topics/fifo.toml");
    let make_fifo = || {
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    };
    /// (entry, how to make it, the error expected).
    type Case<'a> = (&'a str, Box<dyn Fn() + 'a>, &'a str);
    let cases: Vec<Case> = vec![
        (
            "gazetteer/loop",
            Box::new(|| symlink("..", dir.path().join("gazetteer/loop")).unwrap()),
            "gazetteer/loop:0: symlink loop",
        ),
        (
            "self.tsv",
            Box::new(|| symlink("self.tsv", dir.path().join("self.tsv")).unwrap()),
            "self.tsv:0: symlink loop",
        ),
        (
            "topics/fifo.toml",
            Box::new(make_fifo),
            "topics/fifo.toml:0: not a regular file (a FIFO)",
        ),
        (
            "gazetteer/zero.tsv",
            Box::new(|| symlink("/dev/zero", dir.path().join("gazetteer/zero.tsv")).unwrap()),
            "gazetteer/zero.tsv:0: not a regular file (a character device)",
        ),
    ];
    for (entry, make, expected) in cases {
        make();
        let errors = tokio::time::timeout(Duration::from_secs(60), server.engine.reload())
            .await
            .unwrap_or_else(|_| panic!("{entry}: the reload does not hang"))
            .expect_err(entry);
        assert!(errors.to_string().contains(expected), "{entry}: {errors}");
        let info = support::rules_info(&mut client).await;
        assert_eq!(info.version, v0, "{entry}: the old rules keep serving");
        assert!(info.last_reload_error.contains(expected), "{info:?}");
        client.classify(req("x", "روسيا")).await.unwrap();
        std::fs::remove_file(dir.path().join(entry)).unwrap();
    }
    assert_eq!(server.engine.reload().await.unwrap(), v0);
    server.stop().await;
}

#[tokio::test]
async fn errors_of_files_outside_the_directory_are_not_shown_to_clients() {
    let (dir, server) = server_on_temp_rules().await;
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.toml");
    std::fs::write(&secret, "password = hunter2 = =\n").unwrap();
    std::os::unix::fs::symlink(&secret, dir.path().join("topics/zz.toml")).unwrap();
    let errors = server.engine.reload().await.expect_err("not TOML");
    assert!(errors.to_string().contains("topics/zz.toml:"), "{errors}");
    assert!(!errors.to_string().contains("hunter2"), "{errors}");
    let mut client = server.client().await;
    let info = support::rules_info(&mut client).await;
    assert!(info
        .last_reload_error
        .contains("outside the rules directory"));
    assert!(!info.last_reload_error.contains("hunter2"));
    server.stop().await;
}

/// A rules directory laid out as a Kubernetes ConfigMap volume: the data in `..<name>/`, the
/// `..data` link to it, and every visible entry a link through `..data`.
struct ConfigMapDir {
    root: tempfile::TempDir,
    /// Rule versions of the data directories, by name.
    versions: Vec<(String, String)>,
}

impl ConfigMapDir {
    /// `n` data directories: the embedded rules with a comment naming the generation added to
    /// two files (so a mix of two generations has a version of its own).
    fn new(n: usize) -> ConfigMapDir {
        let root = tempfile::tempdir().unwrap();
        let mut versions = Vec::new();
        for g in 0..n {
            let name = format!("..gen_{g}");
            let data = root.path().join(&name);
            write_embedded_rules(&data);
            append_comment(&editable_rule_file(&data), &format!("generation {g}"));
            append_comment(
                &data.join("topics/11000000-politics-government.toml"),
                &format!("generation {g}"),
            );
            versions.push((name, version_of_dir(&data)));
        }
        std::os::unix::fs::symlink(&versions[0].0, root.path().join("..data")).unwrap();
        for entry in std::fs::read_dir(root.path().join(&versions[0].0)).unwrap() {
            let name = entry.unwrap().file_name();
            let target = std::path::Path::new("..data").join(&name);
            std::os::unix::fs::symlink(target, root.path().join(&name)).unwrap();
        }
        ConfigMapDir { root, versions }
    }

    /// Points `..data` at generation `g` in one atomic rename, as the kubelet does.
    fn swap_to(&self, g: usize) {
        let tmp = self.root.path().join("..data_tmp");
        let _ = std::fs::remove_file(&tmp);
        std::os::unix::fs::symlink(&self.versions[g].0, &tmp).unwrap();
        std::fs::rename(&tmp, self.root.path().join("..data")).unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reload_during_rapid_rewrites_never_serves_a_set_that_was_not_on_disk() {
    let cm = ConfigMapDir::new(4);
    let on_disk: BTreeSet<String> = cm.versions.iter().map(|(_, v)| v.clone()).collect();
    assert_eq!(on_disk.len(), 4);
    let source = RulesSource::Dir(cm.root.path().to_path_buf());
    let engine = Arc::new(
        tokio::task::spawn_blocking(move || Engine::load(source))
            .await
            .unwrap()
            .unwrap(),
    );
    assert!(on_disk.contains(&engine.current().info().version));
    let cm = Arc::new(cm);
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (cm, stop) = (Arc::clone(&cm), Arc::clone(&stop));
        std::thread::spawn(move || {
            let mut swaps = 0usize;
            while !stop.load(Ordering::SeqCst) {
                cm.swap_to(swaps % 4);
                swaps += 1;
                // Bursts of swaps 0.3 ms apart, then a quiet 100 ms: a read of the whole set
                // (12 MB) can finish in a quiet spell even on two busy cores, so some reads
                // succeed as well as some give up.
                let pause = if swaps % 32 == 0 {
                    Duration::from_millis(100)
                } else {
                    Duration::from_micros(300)
                };
                std::thread::sleep(pause);
            }
            swaps
        })
    };
    // Snapshots straight from the reader, then reloads through the engine.
    let (mut read, mut retried_out) = (0, 0);
    for _ in 0..200 {
        match khabar::rules::read::read_snapshot(cm.root.path()) {
            Ok(s) => {
                let v = khabar::rules::version_of(&s.files);
                assert!(
                    on_disk.contains(&v),
                    "read a set that was never on disk: {v}"
                );
                read += 1;
            }
            Err(e) => {
                assert!(e.to_string().contains("kept changing"), "{e}");
                retried_out += 1;
            }
        }
    }
    let mut served = BTreeSet::new();
    for _ in 0..6 {
        if let Ok(v) = engine.reload().await {
            served.insert(v);
        }
        let v = engine.current().info().version.clone();
        assert!(
            on_disk.contains(&v),
            "served a set that was never on disk: {v}"
        );
    }
    stop.store(true, Ordering::SeqCst);
    let swaps = writer.join().unwrap();
    assert!(swaps > 100, "the writer swapped {swaps} times");
    assert!(read > 0, "every read gave up ({retried_out})");
    assert!(served.is_subset(&on_disk), "{served:?}");
}

/// Waits until `GetRules` reports `version` (at most 20 s).
async fn wait_for_version(
    client: &mut khabar::pb::classifier_client::ClassifierClient<tonic::transport::Channel>,
    version: &str,
    what: &str,
) {
    let deadline = Instant::now() + Duration::from_secs(90);
    loop {
        let v = support::rules_info(client).await.version;
        if v == version {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{what}: --watch did not reload within 90 s (still {v}, want {version})"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn watch_follows_a_swapped_data_link() {
    let cm = ConfigMapDir::new(3);
    let source = RulesSource::Dir(cm.root.path().to_path_buf());
    let engine = tokio::task::spawn_blocking(move || Engine::load(source))
        .await
        .unwrap()
        .unwrap();
    let server = TestServer::start_with(Arc::new(engine), Config::default()).await;
    let _watch = server.engine.watch(Duration::from_millis(100)).unwrap();
    let mut client = server.client().await;
    assert_eq!(
        support::rules_info(&mut client).await.version,
        cm.versions[0].1
    );
    for g in [1, 2, 0] {
        cm.swap_to(g);
        wait_for_version(&mut client, &cm.versions[g].1, &format!("swap to {g}")).await;
    }
    server.stop().await;
}

#[tokio::test]
async fn watch_follows_a_replaced_directory() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("rules");
    write_embedded_rules(&dir);
    let source = RulesSource::Dir(dir.clone());
    let engine = tokio::task::spawn_blocking(move || Engine::load(source))
        .await
        .unwrap()
        .unwrap();
    let server = TestServer::start_with(Arc::new(engine), Config::default()).await;
    let _watch = server.engine.watch(Duration::from_millis(100)).unwrap();
    let mut client = server.client().await;

    let next = parent.path().join("rules.next");
    write_embedded_rules(&next);
    append_comment(&editable_rule_file(&next), "the replacement");
    let expected = version_of_dir(&next);
    std::fs::rename(&dir, parent.path().join("rules.old")).unwrap();
    std::fs::rename(&next, &dir).unwrap();
    wait_for_version(&mut client, &expected, "directory replaced").await;
    // The watch moved to the new directory: an edit there is seen too.
    append_comment(&editable_rule_file(&dir), "an edit of the replacement");
    let expected = version_of_dir(&dir);
    wait_for_version(&mut client, &expected, "edit after the replacement").await;
    server.stop().await;
}

/// `--rules DIR --rules-overlay`: an empty directory is exactly the embedded rules; a file in it
/// replaces the embedded file of its path and the other files stay embedded; an edit in it
/// reloads like any rules directory, and a broken overlay is a `path:line` error.
#[tokio::test]
async fn an_overlay_directory_replaces_only_its_own_files() {
    use khabar::model::{Document, EntityType};
    let embedded = khabar::Classifier::embedded().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let source = RulesSource::Overlay(dir.path().to_path_buf());
    let empty = source
        .load()
        .expect("an empty overlay is the embedded rules");
    assert_eq!(empty.info().version, embedded.info().version);

    // people.tsv replaced by a one-person list (an invented name): the person is found, the
    // embedded people are gone, the embedded cities still answer.
    let people = khabar::rules::embedded()
        .into_iter()
        .find(|f| f.path == "gazetteer/people.tsv")
        .unwrap();
    let header: String = String::from_utf8(people.bytes)
        .unwrap()
        .lines()
        .take_while(|l| l.starts_with('#') || l.starts_with("id\t"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::create_dir(dir.path().join("gazetteer")).unwrap();
    let row =
        "person/zorbl-quanthex\tPERSON\tZorbl Quanthex\tزوربل كوانثكس\t\t\t0\t\t\ttest fixture\n";
    std::fs::write(
        dir.path().join("gazetteer/people.tsv"),
        format!("{header}{row}"),
    )
    .unwrap();
    let engine = Arc::new(Engine::load(source.clone()).expect("the overlay is valid"));
    let c = engine.current();
    assert_ne!(c.info().version, embedded.info().version);
    let doc = Document {
        text: "Zorbl Quanthex met Vladimir Putin in Marseille.".into(),
        ..Default::default()
    };
    let got = c.classify(&doc).unwrap();
    let find = |id: &str| got.entities.iter().find(|e| e.id.starts_with(id));
    let zorbl = find("person/zorbl-quanthex").expect("the overlay's person");
    assert_eq!(zorbl.entity_type, EntityType::Person);
    assert!(
        find("person/vladimir-putin").is_none(),
        "the embedded people.tsv is replaced"
    );
    assert!(
        got.entities
            .iter()
            .any(|e| e.entity_type == EntityType::Location && e.mentions[0].text == "Marseille"),
        "the embedded gazetteers stay: {:?}",
        got.entities
    );

    // A broken overlay file: an error at its line, the old rules keep serving.
    let version = c.info().version.clone();
    std::fs::write(
        dir.path().join("gazetteer/people.tsv"),
        format!("{header}broken\n"),
    )
    .unwrap();
    let err = engine
        .reload()
        .await
        .expect_err("a broken overlay is refused");
    assert!(err.to_string().contains("people.tsv:"), "{err}");
    assert_eq!(engine.current().info().version, version);
}
