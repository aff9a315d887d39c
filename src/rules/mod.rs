//! Rules as data: raw files → validated [`RuleSet`].
//!
//! `raw` mirrors the files (serde, close to disk); `load` validates everything and reports every
//! problem at once as `path:line: message`.

mod error;

pub use error::{line_of, toml_error, RuleError, RuleErrors};

use std::path::Path;

/// One rule file: its path relative to the rules directory (with `/`) and its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleFile {
    /// Relative path, e.g. `gazetteer/people.tsv`.
    pub path: String,
    /// Raw content (validated as UTF-8 when loaded).
    pub bytes: Vec<u8>,
}

mod embedded_data {
    include!(concat!(env!("OUT_DIR"), "/embedded_rules.rs"));
}

/// The default rules compiled into the binary.
pub fn embedded() -> Vec<RuleFile> {
    embedded_data::EMBEDDED_RULES
        .iter()
        .map(|(p, b)| RuleFile { path: (*p).to_owned(), bytes: b.to_vec() })
        .collect()
}

/// Reads every file under `dir` (sorted by relative path).
pub fn read_dir(dir: &Path) -> Result<Vec<RuleFile>, RuleErrors> {
    let mut files = Vec::new();
    let mut errors = Vec::new();
    walk(dir, dir, &mut files, &mut errors);
    if !errors.is_empty() {
        return Err(RuleErrors(errors));
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

fn walk(root: &Path, dir: &Path, files: &mut Vec<RuleFile>, errors: &mut Vec<RuleError>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            errors.push(RuleError::new(&dir.display().to_string(), 0, format!("cannot read directory: {e}")));
            return;
        }
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let rel = path
            .strip_prefix(root)
            .map(|r| r.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"))
            .unwrap_or_else(|_| path.display().to_string());
        if rel.split('/').any(|c| c.starts_with('.')) {
            continue; // editor swap files, .git
        }
        if path.is_dir() {
            walk(root, &path, files, errors);
        } else {
            match std::fs::read(&path) {
                Ok(bytes) => files.push(RuleFile { path: rel, bytes }),
                Err(e) => errors.push(RuleError::new(&rel, 0, format!("cannot read file: {e}"))),
            }
        }
    }
}

/// Content hash of a rule set: BLAKE3 over every (path, content), first 16 hex digits.
pub fn version_of(files: &[RuleFile]) -> String {
    let mut h = blake3::Hasher::new();
    for f in files {
        h.update(f.path.as_bytes());
        h.update(&[0]);
        h.update(&(f.bytes.len() as u64).to_le_bytes());
        h.update(&f.bytes);
    }
    h.finalize().to_hex()[..16].to_owned()
}
