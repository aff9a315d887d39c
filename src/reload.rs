//! Hot reload of rules.
//!
//! The [`Engine`] holds the [`Classifier`] in use behind an [`ArcSwap`]. A request takes one
//! snapshot ([`Engine::current`]) and classifies on it to the end, so a request never sees half
//! of two rule sets. A reload (SIGHUP, or a file change under `--watch`) reads, validates and
//! compiles the new rules off the request path (`spawn_blocking`), then swaps them in with one
//! atomic store. Invalid rules are never served: the old ones keep serving and the error is kept
//! for `GetRules.last_reload_error` until the next successful reload.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use arc_swap::ArcSwap;

use crate::rules::RuleErrors;
use crate::Classifier;

/// Where rules come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RulesSource {
    /// The rules compiled into the binary (a reload has nothing to do).
    Embedded,
    /// A rules directory with the layout of `rules/`.
    Dir(PathBuf),
    /// A directory over the embedded rules (`--rules DIR --rules-overlay`): each of its files
    /// replaces the embedded file at the same path or adds one; the files it lacks are the
    /// embedded ones. For deployments that ship only the rules they edit (a Kubernetes ConfigMap
    /// holds at most 1 MiB; the generated gazetteers are larger).
    Overlay(PathBuf),
}

/// `mi_option_purge_delay` of mimalloc's `mi_option_e` (the same in its v2 and v3 headers); the
/// Rust bindings name no constant for it.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Runs `f` with mimalloc (the binary's allocator) returning freed memory to the OS at once
/// rather than 10 ms later. Compiling the rules frees and allocates a few hundred MB within a
/// second; with the delay the freed pages stayed resident, and the peak of a start was about
/// 395 MB instead of 315 MB (a hot reload, with the old rules live, peaks at 440–530 MB either
/// way; docs/performance.md). Other threads go on
/// serving meanwhile, purging at once too, which costs them a little time and no memory.
/// `MIMALLOC_PURGE_DELAY` in the environment wins. Under another allocator (tests, examples)
/// the option is set and unused.
fn purging_at_once<T>(f: impl FnOnce() -> T) -> T {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
        return f();
    }
    // SAFETY: mi_option_get / mi_option_set read and write one integer option, callable at any
    // time; they are not synchronized, so a racing reader (or a concurrent load) sees the old or
    // the new value, both valid settings.
    let before = unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
    let out = f();
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, before) };
    out
}

impl RulesSource {
    /// Reads, validates and compiles the rules. CPU and file work: call it off async workers.
    pub fn load(&self) -> Result<Classifier, RuleErrors> {
        purging_at_once(|| self.load_now())
    }

    fn load_now(&self) -> Result<Classifier, RuleErrors> {
        match self {
            RulesSource::Embedded => Classifier::embedded(),
            RulesSource::Dir(dir) => Classifier::from_dir(dir),
            RulesSource::Overlay(dir) => {
                let files = crate::rules::overlay(crate::rules::read_dir(dir)?);
                Classifier::from_files(files, &self.name())
            }
        }
    }

    /// Like [`RulesSource::load`], but `None` when the files hash to `current` (the version in
    /// use): nothing to rebuild. File-change events come in bursts and SIGHUP may be sent with
    /// nothing changed; neither rebuilds identical rules.
    pub fn load_if_changed(&self, current: &str) -> Result<Option<Classifier>, RuleErrors> {
        purging_at_once(|| self.load_if_changed_now(current))
    }

    fn load_if_changed_now(&self, current: &str) -> Result<Option<Classifier>, RuleErrors> {
        match self {
            RulesSource::Embedded => Ok(None),
            RulesSource::Dir(dir) | RulesSource::Overlay(dir) => {
                let snapshot = crate::rules::read::read_snapshot(dir)?;
                let files = match self {
                    RulesSource::Overlay(_) => crate::rules::overlay(snapshot.files),
                    _ => snapshot.files,
                };
                if crate::rules::version_of(&files) == current {
                    return Ok(None);
                }
                Classifier::from_files(files, &self.name())
                    .map(Some)
                    .map_err(|e| withhold_external(e, &snapshot.external))
            }
        }
    }

    /// How the rules' source is shown (`GetRules.source`, logs): `embedded`, the directory, or
    /// `DIR over embedded`.
    pub fn name(&self) -> String {
        match self {
            RulesSource::Embedded => "embedded".to_owned(),
            RulesSource::Dir(d) => d.display().to_string(),
            RulesSource::Overlay(d) => format!("{} over embedded", d.display()),
        }
    }

    /// The directory, if any.
    pub fn dir(&self) -> Option<&Path> {
        match self {
            RulesSource::Embedded => None,
            RulesSource::Dir(d) | RulesSource::Overlay(d) => Some(d),
        }
    }
}

/// Errors of files that lie outside the rules directory (reached through a symbolic link) lose
/// their message: rule errors quote file content, and the server shows them to any client
/// (`GetRules.last_reload_error`). `khabar check-rules DIR` shows them in full.
fn withhold_external(
    mut errors: RuleErrors,
    external: &std::collections::BTreeSet<String>,
) -> RuleErrors {
    for e in &mut errors.0 {
        if external.contains(&e.path) {
            e.message = "invalid (this file lies outside the rules directory, so its content is not shown; run `khabar check-rules` on the directory to see the error)".to_owned();
        }
    }
    errors.0.dedup();
    errors
}

/// How a reload ended, as told to the engine's observer ([`Engine::observe`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reload {
    /// New rules are in use.
    Ok,
    /// The files are the rules in use: nothing rebuilt.
    Unchanged,
    /// The new rules were invalid; the old ones keep serving.
    Error,
}

/// Told of every reload: how it ended, the version served before it, and the engine.
type Observer = Box<dyn Fn(Reload, &str, &Engine) + Send + Sync>;

/// The classifier in use, its source, and the outcome of the last reload.
pub struct Engine {
    current: ArcSwap<Classifier>,
    source: RulesSource,
    last_error: Mutex<Option<String>>,
    /// Serializes reloads so that two reloads never race to store older rules last.
    reloading: tokio::sync::Mutex<()>,
    /// Told of every reload (the server's metrics), when one is set.
    observer: std::sync::OnceLock<Observer>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("source", &self.source)
            .field("version", &self.current.load().info().version)
            .field("observed", &self.observer.get().is_some())
            .finish_non_exhaustive()
    }
}

impl Engine {
    /// An engine serving `classifier`, reloading from `source`.
    pub fn new(classifier: Classifier, source: RulesSource) -> Engine {
        Engine {
            current: ArcSwap::from_pointee(classifier),
            source,
            last_error: Mutex::new(None),
            observer: std::sync::OnceLock::new(),
            reloading: tokio::sync::Mutex::new(()),
        }
    }

    /// Loads the rules from `source` (blocking) and builds an engine on them.
    pub fn load(source: RulesSource) -> Result<Engine, RuleErrors> {
        let classifier = source.load()?;
        Ok(Engine::new(classifier, source))
    }

    /// A snapshot of the classifier in use. Take it once per request.
    pub fn current(&self) -> Arc<Classifier> {
        self.current.load_full()
    }

    /// Why the last reload failed, or `None` when it succeeded (or none was tried).
    pub fn last_reload_error(&self) -> Option<String> {
        self.last_error
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// The classifier in use together with the last reload error, read consistently: a reload
    /// swaps the rules and sets its error under the same lock.
    pub fn snapshot(&self) -> (Arc<Classifier>, Option<String>) {
        let error = self.last_error.lock().unwrap_or_else(|e| e.into_inner());
        (self.current.load_full(), error.clone())
    }

    /// Reloads the rules from the source: loads and compiles them on the blocking pool, then
    /// swaps them in atomically. On error the old rules keep serving, the error is logged and
    /// kept for [`Engine::last_reload_error`]. Returns the version now in use.
    pub async fn reload(self: &Arc<Self>) -> Result<String, RuleErrors> {
        let _guard = self.reloading.lock().await;
        let me = Arc::clone(self);
        let loaded = tokio::task::spawn_blocking(move || {
            me.source.load_if_changed(&me.current.load().info().version)
        })
        .await
        .unwrap_or_else(|e| {
            Err(RuleErrors(vec![crate::rules::RuleError::new(
                "<reload>",
                0,
                format!("rule loading panicked: {e}"),
            )]))
        });
        self.apply(loaded)
    }

    fn apply(&self, loaded: Result<Option<Classifier>, RuleErrors>) -> Result<String, RuleErrors> {
        let old = self.current.load().info().version.clone();
        match loaded {
            Ok(None) => {
                // The files are the rules in use (perhaps after a bad edit was reverted).
                *self.last_error.lock().unwrap_or_else(|e| e.into_inner()) = None;
                tracing::info!(version = %old, source = %self.source_name(), "rules unchanged; nothing to reload");
                self.notify(Reload::Unchanged, &old);
                Ok(old)
            }
            Ok(Some(classifier)) => {
                let version = classifier.info().version.clone();
                let mut error = self.last_error.lock().unwrap_or_else(|e| e.into_inner());
                self.current.store(Arc::new(classifier));
                *error = None;
                drop(error);
                tracing::info!(old_version = %old, new_version = %version, source = %self.source_name(), "rules reloaded");
                self.notify(Reload::Ok, &old);
                Ok(version)
            }
            Err(errors) => {
                for e in &errors.0 {
                    tracing::error!("rules reload failed: {e}");
                }
                tracing::warn!(version = %old, "rules reload failed; still serving the previous rules");
                self.notify(Reload::Error, &old);
                *self.last_error.lock().unwrap_or_else(|e| e.into_inner()) =
                    Some(errors.to_string());
                Err(errors)
            }
        }
    }

    /// Sets the observer told of every reload from now on (the first one set stays).
    pub fn observe(&self, observer: impl Fn(Reload, &str, &Engine) + Send + Sync + 'static) {
        let _ = self.observer.set(Box::new(observer));
    }

    fn notify(&self, result: Reload, old: &str) {
        if let Some(observer) = self.observer.get() {
            observer(result, old, self);
        }
    }

    fn source_name(&self) -> String {
        self.source.name()
    }

    /// Reloads on every SIGHUP, until the returned task is aborted.
    #[cfg(unix)]
    pub fn spawn_sighup(self: &Arc<Self>) -> std::io::Result<tokio::task::JoinHandle<()>> {
        use tokio::signal::unix::{signal, SignalKind};
        let mut hup = signal(SignalKind::hangup())?;
        let me = Arc::clone(self);
        Ok(tokio::spawn(async move {
            while hup.recv().await.is_some() {
                tracing::info!("SIGHUP: reloading rules");
                let _ = me.reload().await;
            }
        }))
    }

    /// Watches the rules directory and reloads once changes have stopped for `debounce`.
    /// Watching stops when the returned [`Watch`] is dropped. Fails for embedded rules.
    ///
    /// The directory is watched recursively (without following symbolic links, so a link to a
    /// large tree costs nothing), and its parent too: when the directory itself is replaced
    /// (renamed over, or a symbolic link to it swapped) the watch moves to the new one. A
    /// ConfigMap volume's update, a new `..2024_...` directory and a swapped `..data` link,
    /// happens inside the directory and is seen as a change.
    pub fn watch(self: &Arc<Self>, debounce: Duration) -> Result<Watch, WatchError> {
        use notify::Watcher as _;
        let dir = self.source.dir().ok_or(WatchError::Embedded)?;
        // Absolute (links kept), so that event paths compare and the parent exists.
        let dir = std::path::absolute(dir).map_err(|e| WatchError::Notify(e.to_string()))?;
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Change>();
        let watched = dir.clone();
        let handler = move |event: notify::Result<notify::Event>| match event {
            Ok(event) => {
                if matches!(event.kind, notify::EventKind::Access(_)) {
                    return; // loading the rules opens every file: not a change
                }
                if event.paths.iter().any(|p| p == &watched) {
                    let _ = tx.send(Change::Directory);
                } else if event
                    .paths
                    .iter()
                    .any(|p| p.starts_with(&watched) && is_rule_path(p))
                {
                    let _ = tx.send(Change::Files);
                }
            }
            Err(e) => tracing::warn!("watching rules: {e}"),
        };
        let config = notify::Config::default().with_follow_symlinks(false);
        let mut watcher = notify::RecommendedWatcher::new(handler, config)
            .map_err(|e| WatchError::Notify(e.to_string()))?;
        watcher
            .watch(&dir, notify::RecursiveMode::Recursive)
            .map_err(|e| WatchError::Notify(e.to_string()))?;
        if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
            if let Err(e) = watcher.watch(parent, notify::RecursiveMode::NonRecursive) {
                tracing::warn!(
                    "cannot watch {}: a replaced rules directory will not be noticed ({e})",
                    parent.display()
                );
            }
        }
        let me = Arc::clone(self);
        let watch_dir = dir.clone();
        let task = tokio::spawn(async move {
            while let Some(first) = rx.recv().await {
                // Wait until the directory is quiet: writers of several files, and a ConfigMap
                // update, make a burst of events.
                let mut replaced = first == Change::Directory;
                loop {
                    match tokio::time::timeout(debounce, rx.recv()).await {
                        Ok(Some(c)) => replaced |= c == Change::Directory,
                        Ok(None) => return,
                        Err(_) => break,
                    }
                }
                if replaced {
                    // The watch followed the old directory's inode: move it to the new one.
                    let _ = watcher.unwatch(&watch_dir);
                    match watcher.watch(&watch_dir, notify::RecursiveMode::Recursive) {
                        Ok(()) => {
                            tracing::info!(dir = %watch_dir.display(), "rules directory replaced: watching the new one")
                        }
                        Err(e) => {
                            tracing::warn!(dir = %watch_dir.display(), "rules directory replaced and cannot be watched: {e}")
                        }
                    }
                }
                tracing::info!("rules changed on disk: reloading");
                let _ = me.reload().await;
            }
        });
        tracing::info!(dir = %dir.display(), "watching rules for changes");
        Ok(Watch { task })
    }
}

/// What a file-system event says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Change {
    /// Something under the rules directory.
    Files,
    /// The rules directory itself (created, removed, renamed, or its link swapped).
    Directory,
}

/// Whether a changed path can matter: hidden files and editor backups (`.x.swp`, `x~`) are
/// skipped by the rule loader, so changes to them do not reload; names starting with `..` are
/// a ConfigMap's data directories and `..data` link, which the visible entries lead to.
fn is_rule_path(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    name.starts_with("..") || !(name.starts_with('.') || name.ends_with('~'))
}

/// A running watch of the rules directory; dropping it stops the watch.
pub struct Watch {
    /// Owns the file watcher; aborted on drop.
    task: tokio::task::JoinHandle<()>,
}

impl std::fmt::Debug for Watch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watch").finish_non_exhaustive()
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Why watching could not start.
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    /// `--watch` needs `--rules DIR`.
    #[error("--watch needs --rules DIR (the embedded rules cannot change)")]
    Embedded,
    /// The file watcher failed.
    #[error("cannot watch the rules directory: {0}")]
    Notify(String),
}
