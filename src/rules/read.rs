//! Reading a rules directory, which may be edited, swapped or hostile while it is read.
//!
//! * Only **regular files** are read. Symbolic links are followed (a Kubernetes ConfigMap
//!   volume is made of them), but a link that loops, dangles, or leads to a FIFO, socket or
//!   device is an error naming the entry, and files are opened non-blocking, so a FIFO swapped
//!   in after the check cannot hang the reader. Directories nest at most [`MAX_DEPTH`] deep and
//!   none is read twice (a link back to an enclosing directory is a loop).
//! * The files hold at most [`MAX_TOTAL_BYTES`] together; a directory past that is an error
//!   (a link to a huge file does not eat the memory).
//! * **A consistent snapshot**: every file's identity (device, inode, size, modification and
//!   change times) is taken when it is read; once everything is read the tree is walked again,
//!   and if anything changed in between (a file rewritten, a `..data` link swapped, a file
//!   added), the whole read starts over, up to [`ATTEMPTS`] times. What is returned was, all of
//!   it, on disk at the end of the read.
//! * Files whose real path lies **outside the directory** are listed in
//!   [`Snapshot::external`]: the server keeps their content out of the errors it shows clients.
//!
//! Entries whose name starts with `.` are skipped (editor swap files, `.git`, and the
//! `..data`/`..2024_...` directories of a ConfigMap, reached through the visible links).

use std::collections::BTreeSet;
use std::fs::{File, Metadata};
use std::io::Read as _;
use std::os::unix::fs::{FileTypeExt as _, MetadataExt as _, OpenOptionsExt as _};
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::{RuleError, RuleErrors, RuleFile};

/// Most bytes all rule files may hold together.
pub const MAX_TOTAL_BYTES: u64 = 512 << 20;
/// Deepest directory nesting under the rules directory.
pub const MAX_DEPTH: usize = 16;
/// Reads of a directory that keeps changing before giving up.
pub const ATTEMPTS: usize = 5;

/// A rules directory as read: its files, sorted by relative path, and which of them are
/// reached through a symbolic link leading outside the directory.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Snapshot {
    /// The files, sorted by relative path.
    pub files: Vec<RuleFile>,
    /// Relative paths of the files that lie outside the directory.
    pub external: BTreeSet<String>,
}

/// Reads `dir` into a consistent [`Snapshot`]; see the module docs.
pub fn read_snapshot(dir: &Path) -> Result<Snapshot, RuleErrors> {
    let mut last_errors = None;
    for attempt in 1..=ATTEMPTS {
        let mut first = Walk::new(dir, true)?;
        first.dir(&first.root.clone(), "", 0, &mut Vec::new());
        if !first.changed {
            if !first.errors.is_empty() {
                return Err(first.into_errors());
            }
            let mut again = Walk::new(dir, false)?;
            again.dir(&again.root.clone(), "", 0, &mut Vec::new());
            if !again.changed && again.errors.is_empty() && again.seen == first.seen {
                let mut files = first.files;
                files.sort_by(|a, b| a.path.cmp(&b.path));
                return Ok(Snapshot {
                    files,
                    external: first.external,
                });
            }
        } else if !first.errors.is_empty() {
            // Perhaps a link caught mid-swap: say so only if it lasts.
            last_errors = Some(first.into_errors());
        }
        tracing::debug!(dir = %dir.display(), attempt, "rules changed while being read; reading again");
        std::thread::sleep(Duration::from_millis(50 * attempt as u64));
    }
    Err(last_errors.unwrap_or_else(|| {
        RuleErrors(vec![RuleError::new(
            &dir.display().to_string(),
            0,
            format!(
                "the rules kept changing while being read ({ATTEMPTS} attempts); reload once the writes are done"
            ),
        )])
    }))
}

/// What identifies a file's or directory's content on disk.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Stamp {
    dev: u64,
    ino: u64,
    len: u64,
    mtime: (i64, i64),
    ctime: (i64, i64),
}

impl Stamp {
    fn of(m: &Metadata) -> Stamp {
        Stamp {
            dev: m.dev(),
            ino: m.ino(),
            len: m.len(),
            mtime: (m.mtime(), m.mtime_nsec()),
            ctime: (m.ctime(), m.ctime_nsec()),
        }
    }
}

/// One walk of the tree: reading files (`read`) or only taking their stamps.
struct Walk {
    root: PathBuf,
    read: bool,
    files: Vec<RuleFile>,
    external: BTreeSet<String>,
    /// (relative path, stamp) of every file and directory met.
    seen: BTreeSet<(String, Stamp)>,
    /// Directories already walked (device, inode).
    walked: BTreeSet<(u64, u64)>,
    total: u64,
    errors: Vec<RuleError>,
    /// Something changed under the walk: read again.
    changed: bool,
}

impl Walk {
    fn new(dir: &Path, read: bool) -> Result<Walk, RuleErrors> {
        let whole =
            |msg: String| RuleErrors(vec![RuleError::new(&dir.display().to_string(), 0, msg)]);
        let root =
            std::fs::canonicalize(dir).map_err(|e| whole(format!("cannot read directory: {e}")))?;
        if !root.is_dir() {
            return Err(whole("the rules directory is not a directory".to_owned()));
        }
        Ok(Walk {
            root,
            read,
            files: Vec::new(),
            external: BTreeSet::new(),
            seen: BTreeSet::new(),
            walked: BTreeSet::new(),
            total: 0,
            errors: Vec::new(),
            changed: false,
        })
    }

    fn into_errors(mut self) -> RuleErrors {
        self.errors
            .sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
        RuleErrors(self.errors)
    }

    fn error(&mut self, rel: &str, message: impl Into<String>) {
        self.errors.push(RuleError::new(
            if rel.is_empty() { "." } else { rel },
            0,
            message,
        ));
    }

    /// Walks directory `real` (a canonical path), known as `rel` under the rules directory.
    /// `ancestors` are the directories enclosing it, for loop detection.
    fn dir(&mut self, real: &Path, rel: &str, depth: usize, ancestors: &mut Vec<(u64, u64)>) {
        let meta = match std::fs::metadata(real) {
            Ok(m) => m,
            Err(e) => return self.io_error(rel, "cannot read directory", &e),
        };
        let id = (meta.dev(), meta.ino());
        if ancestors.contains(&id) {
            return self.error(rel, "symlink loop: leads back to an enclosing directory");
        }
        if !self.walked.insert(id) {
            return self.error(
                rel,
                "this directory is reached a second time (through a symbolic link)",
            );
        }
        self.seen.insert((format!("{rel}/"), Stamp::of(&meta)));
        let entries = match std::fs::read_dir(real) {
            Ok(e) => e,
            Err(e) => return self.io_error(rel, "cannot read directory", &e),
        };
        let mut names: Vec<_> = entries.flatten().map(|e| e.file_name()).collect();
        names.sort();
        ancestors.push(id);
        for name in names {
            let name_str = name.to_string_lossy();
            if name_str.starts_with('.') {
                continue; // editor swap files, .git, a ConfigMap's ..data
            }
            let child_rel = if rel.is_empty() {
                name_str.into_owned()
            } else {
                format!("{rel}/{name_str}")
            };
            self.entry(&real.join(&name), &child_rel, depth, ancestors);
        }
        ancestors.pop();
    }

    fn entry(&mut self, path: &Path, rel: &str, depth: usize, ancestors: &mut Vec<(u64, u64)>) {
        let link = match std::fs::symlink_metadata(path) {
            Ok(m) => m,
            Err(e) => return self.io_error(rel, "cannot read", &e),
        };
        let (target, meta) = if link.file_type().is_symlink() {
            let target = match std::fs::canonicalize(path) {
                Ok(t) => t,
                Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
                    return self.error(rel, "symlink loop: the link never reaches a file");
                }
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                    // A dangling link, or a target being replaced right now: read again.
                    self.changed = true;
                    return self.error(rel, "dangling symbolic link: its target does not exist");
                }
                Err(e) => return self.io_error(rel, "cannot follow the symbolic link", &e),
            };
            match std::fs::metadata(&target) {
                Ok(m) => (target, m),
                Err(e) => return self.io_error(rel, "cannot follow the symbolic link", &e),
            }
        } else {
            (path.to_path_buf(), link)
        };
        let ft = meta.file_type();
        if ft.is_dir() {
            if depth + 1 > MAX_DEPTH {
                return self.error(
                    rel,
                    format!("directories nested more than {MAX_DEPTH} deep"),
                );
            }
            self.dir(&target, rel, depth + 1, ancestors);
        } else if ft.is_file() {
            if !target.starts_with(&self.root) {
                self.external.insert(rel.to_owned());
            }
            self.file(&target, rel);
        } else {
            let kind = if ft.is_fifo() {
                "a FIFO"
            } else if ft.is_socket() {
                "a socket"
            } else if ft.is_char_device() {
                "a character device"
            } else if ft.is_block_device() {
                "a block device"
            } else {
                "not a file"
            };
            self.error(
                rel,
                format!("not a regular file ({kind}): rule files must be regular files"),
            );
        }
    }

    fn file(&mut self, path: &Path, rel: &str) {
        // Non-blocking, so that a FIFO swapped in since the check cannot block the open or the
        // read; no link followed, since `path` is the link's resolved target.
        let opened = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW)
            .open(path);
        let mut file = match opened {
            Ok(f) => f,
            Err(e) if e.raw_os_error() == Some(libc::ELOOP) => {
                self.changed = true; // became a link since it was resolved
                return;
            }
            Err(e) => return self.io_error(rel, "cannot read file", &e),
        };
        let before = match file.metadata() {
            Ok(m) if m.is_file() => m,
            Ok(_) => {
                self.changed = true; // replaced by something else since the check
                return;
            }
            Err(e) => return self.io_error(rel, "cannot read file", &e),
        };
        let stamp = Stamp::of(&before);
        if self.total + stamp.len > MAX_TOTAL_BYTES {
            return self.error(
                rel,
                format!(
                    "the rule files hold more than {} MiB together (this one {} bytes); refusing to read further",
                    MAX_TOTAL_BYTES >> 20,
                    stamp.len
                ),
            );
        }
        self.total += stamp.len;
        if self.read {
            match read_up_to(&mut file, stamp.len) {
                Ok(bytes) => {
                    let after = file.metadata().map(|m| Stamp::of(&m));
                    if after.as_ref().ok() != Some(&stamp) || bytes.len() as u64 != stamp.len {
                        self.changed = true; // written to while being read
                        return;
                    }
                    self.files.push(RuleFile {
                        path: rel.to_owned(),
                        bytes,
                    });
                }
                Err(e) => return self.io_error(rel, "cannot read file", &e),
            }
        }
        self.seen.insert((rel.to_owned(), stamp));
    }

    /// Reports an I/O error, or notes a concurrent change when the entry vanished.
    fn io_error(&mut self, rel: &str, what: &str, e: &std::io::Error) {
        if e.kind() == std::io::ErrorKind::NotFound {
            self.changed = true;
        } else {
            self.error(rel, format!("{what}: {e}"));
        }
    }
}

/// Reads at most `len` bytes and one more (a file that grew shows as changed).
fn read_up_to(file: &mut File, len: u64) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(len + 1).read_to_end(&mut bytes)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn tree() -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir(d.path().join("topics")).unwrap();
        std::fs::write(d.path().join("taxonomy.tsv"), "a\n").unwrap();
        std::fs::write(d.path().join("topics/x.toml"), "b\n").unwrap();
        std::fs::write(d.path().join(".x.swp"), "skipped").unwrap();
        d
    }

    fn errors(d: &Path) -> String {
        read_snapshot(d).unwrap_err().to_string()
    }

    #[test]
    fn reads_regular_files_sorted() {
        let d = tree();
        let s = read_snapshot(d.path()).unwrap();
        let paths: Vec<_> = s.files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["taxonomy.tsv", "topics/x.toml"]);
        assert!(s.external.is_empty());
    }

    #[test]
    fn follows_links_within_limits() {
        let d = tree();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("people.tsv"), "c\n").unwrap();
        std::fs::create_dir(d.path().join("gazetteer")).unwrap();
        symlink(
            outside.path().join("people.tsv"),
            d.path().join("gazetteer/people.tsv"),
        )
        .unwrap();
        let s = read_snapshot(d.path()).unwrap();
        assert_eq!(s.files.len(), 3);
        assert!(s.external.contains("gazetteer/people.tsv"));
    }

    #[test]
    fn loops_fifos_devices_and_dangling_links_are_errors() {
        let d = tree();
        symlink("..", d.path().join("topics/up")).unwrap();
        assert!(
            errors(d.path()).contains("topics/up:0: symlink loop"),
            "{}",
            errors(d.path())
        );
        std::fs::remove_file(d.path().join("topics/up")).unwrap();

        symlink("self", d.path().join("self")).unwrap();
        assert!(errors(d.path()).contains("self:0: symlink loop"));
        std::fs::remove_file(d.path().join("self")).unwrap();

        let fifo = d.path().join("topics/fifo.toml");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        assert!(errors(d.path()).contains("topics/fifo.toml:0: not a regular file (a FIFO)"));
        std::fs::remove_file(&fifo).unwrap();

        symlink("/dev/zero", d.path().join("zero.tsv")).unwrap();
        assert!(errors(d.path()).contains("zero.tsv:0: not a regular file (a character device)"));
        std::fs::remove_file(d.path().join("zero.tsv")).unwrap();

        symlink("nowhere", d.path().join("gone.tsv")).unwrap();
        assert!(errors(d.path()).contains("gone.tsv:0: dangling"));
    }

    #[test]
    fn a_directory_reached_twice_is_an_error() {
        let d = tree();
        symlink("topics", d.path().join("again")).unwrap();
        assert!(errors(d.path()).contains("reached a second time"));
    }
}
