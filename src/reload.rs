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
use notify_debouncer_mini::notify;

use crate::rules::RuleErrors;
use crate::Classifier;

/// Where rules come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RulesSource {
    /// The rules compiled into the binary (a reload has nothing to do).
    Embedded,
    /// A rules directory with the layout of `rules/`.
    Dir(PathBuf),
}

impl RulesSource {
    /// Reads, validates and compiles the rules. CPU and file work: call it off async workers.
    pub fn load(&self) -> Result<Classifier, RuleErrors> {
        match self {
            RulesSource::Embedded => Classifier::embedded(),
            RulesSource::Dir(dir) => Classifier::from_dir(dir),
        }
    }

    /// Like [`RulesSource::load`], but `None` when the files hash to `current` (the version in
    /// use): nothing to rebuild. File-change events come in bursts and SIGHUP may be sent with
    /// nothing changed; neither rebuilds identical rules.
    pub fn load_if_changed(&self, current: &str) -> Result<Option<Classifier>, RuleErrors> {
        match self {
            RulesSource::Embedded => Ok(None),
            RulesSource::Dir(dir) => {
                let files = crate::rules::read_dir(dir)?;
                if crate::rules::version_of(&files) == current {
                    return Ok(None);
                }
                Classifier::from_files(files, &dir.display().to_string()).map(Some)
            }
        }
    }

    /// The directory, if any.
    pub fn dir(&self) -> Option<&Path> {
        match self {
            RulesSource::Embedded => None,
            RulesSource::Dir(d) => Some(d),
        }
    }
}

/// The classifier in use, its source, and the outcome of the last reload.
#[derive(Debug)]
pub struct Engine {
    current: ArcSwap<Classifier>,
    source: RulesSource,
    last_error: Mutex<Option<String>>,
    /// Serializes reloads so that two reloads never race to store older rules last.
    reloading: tokio::sync::Mutex<()>,
}

impl Engine {
    /// An engine serving `classifier`, reloading from `source`.
    pub fn new(classifier: Classifier, source: RulesSource) -> Engine {
        Engine {
            current: ArcSwap::from_pointee(classifier),
            source,
            last_error: Mutex::new(None),
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

    /// Where the rules come from.
    pub fn source(&self) -> &RulesSource {
        &self.source
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

    /// Like [`Engine::reload`], on the calling thread (for non-async callers and tests).
    pub fn reload_blocking(&self) -> Result<String, RuleErrors> {
        let loaded = self
            .source
            .load_if_changed(&self.current.load().info().version);
        self.apply(loaded)
    }

    fn apply(&self, loaded: Result<Option<Classifier>, RuleErrors>) -> Result<String, RuleErrors> {
        let old = self.current.load().info().version.clone();
        match loaded {
            Ok(None) => {
                // The files are the rules in use (perhaps after a bad edit was reverted).
                *self.last_error.lock().unwrap_or_else(|e| e.into_inner()) = None;
                tracing::info!(version = %old, source = %self.source_name(), "rules unchanged; nothing to reload");
                Ok(old)
            }
            Ok(Some(classifier)) => {
                let version = classifier.info().version.clone();
                let mut error = self.last_error.lock().unwrap_or_else(|e| e.into_inner());
                self.current.store(Arc::new(classifier));
                *error = None;
                drop(error);
                tracing::info!(old_version = %old, new_version = %version, source = %self.source_name(), "rules reloaded");
                Ok(version)
            }
            Err(errors) => {
                for e in &errors.0 {
                    tracing::error!("rules reload failed: {e}");
                }
                tracing::warn!(version = %old, "rules reload failed; still serving the previous rules");
                *self.last_error.lock().unwrap_or_else(|e| e.into_inner()) =
                    Some(errors.to_string());
                Err(errors)
            }
        }
    }

    fn source_name(&self) -> String {
        match &self.source {
            RulesSource::Embedded => "embedded".to_owned(),
            RulesSource::Dir(d) => d.display().to_string(),
        }
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

    /// Watches the rules directory and reloads after changes, debounced by `debounce`.
    /// Watching stops when the returned [`Watch`] is dropped. Fails for embedded rules.
    pub fn watch(self: &Arc<Self>, debounce: Duration) -> Result<Watch, WatchError> {
        use notify::RecursiveMode;
        let dir = self.source.dir().ok_or(WatchError::Embedded)?.to_path_buf();
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<()>();
        let config = notify_debouncer_mini::Config::default().with_timeout(debounce);
        let mut debouncer = notify_debouncer_mini::new_debouncer_opt::<_, ChangesOnly>(
            config,
            move |res: notify_debouncer_mini::DebounceEventResult| match res {
                Ok(events) => {
                    if events.iter().any(|e| is_rule_path(&e.path)) {
                        let _ = tx.send(());
                    }
                }
                Err(e) => tracing::warn!("watching rules: {e}"),
            },
        )
        .map_err(|e| WatchError::Notify(e.to_string()))?;
        debouncer
            .watcher()
            .watch(&dir, RecursiveMode::Recursive)
            .map_err(|e| WatchError::Notify(e.to_string()))?;
        let me = Arc::clone(self);
        let task = tokio::spawn(async move {
            while rx.recv().await.is_some() {
                while rx.try_recv().is_ok() {} // coalesce bursts
                tracing::info!("rules changed on disk: reloading");
                let _ = me.reload().await;
            }
        });
        tracing::info!(dir = %dir.display(), "watching rules for changes");
        Ok(Watch {
            _debouncer: debouncer,
            task,
        })
    }
}

/// Whether a changed path can matter: hidden files and editor backups (`.x.swp`, `x~`) are
/// skipped by the rule loader, so changes to them do not reload.
fn is_rule_path(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    !(name.starts_with('.') || name.ends_with('~'))
}

/// The platform watcher minus access events. Loading the rules opens and reads every file, and
/// inotify reports those opens: without this filter every reload would trigger the next one.
struct ChangesOnly(notify::RecommendedWatcher);

impl notify::Watcher for ChangesOnly {
    fn new<F: notify::EventHandler>(
        mut handler: F,
        config: notify::Config,
    ) -> notify::Result<ChangesOnly> {
        use notify::{Event, EventKind, RecommendedWatcher, Result};
        let forward = move |event: Result<Event>| {
            if !matches!(&event, Ok(e) if matches!(e.kind, EventKind::Access(_))) {
                handler.handle_event(event);
            }
        };
        RecommendedWatcher::new(forward, config).map(ChangesOnly)
    }

    fn watch(&mut self, path: &Path, mode: notify::RecursiveMode) -> notify::Result<()> {
        self.0.watch(path, mode)
    }

    fn unwatch(&mut self, path: &Path) -> notify::Result<()> {
        self.0.unwatch(path)
    }

    fn kind() -> notify::WatcherKind {
        <notify::RecommendedWatcher as notify::Watcher>::kind()
    }
}

/// A running watch of the rules directory; dropping it stops the watch.
pub struct Watch {
    _debouncer: notify_debouncer_mini::Debouncer<ChangesOnly>,
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
