//! Rule errors that point at a file and line.

use std::fmt;

/// One problem in a rule file, printed as `path:line: message`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleError {
    /// Path relative to the rules directory (`gazetteer/people.tsv`).
    pub path: String,
    /// 1-based line number; 0 when the problem concerns the whole file.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl RuleError {
    /// A new error.
    pub fn new(path: &str, line: usize, message: impl Into<String>) -> RuleError {
        RuleError {
            path: path.to_owned(),
            line,
            message: message.into(),
        }
    }
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.path, self.line, self.message)
    }
}

/// Every problem found in a rule set, in file and line order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleErrors(pub Vec<RuleError>);

impl fmt::Display for RuleErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for RuleErrors {}

/// The 1-based line of byte offset `at` in `src`.
pub fn line_of(src: &str, at: usize) -> usize {
    1 + src.as_bytes()[..at.min(src.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

/// Turns a TOML parse error into a [`RuleError`] with its line.
pub fn toml_error(path: &str, src: &str, e: &toml::de::Error) -> RuleError {
    let line = e.span().map_or(0, |s| line_of(src, s.start));
    RuleError::new(path, line, e.message().trim().to_owned())
}

/// Parses a TOML rule file; on a syntax or shape error, records it as `path:line: message` and
/// returns `None`.
pub fn parse_toml<T: serde::de::DeserializeOwned>(
    path: &str,
    src: &str,
    errors: &mut Vec<RuleError>,
) -> Option<T> {
    toml::from_str(src)
        .map_err(|e| errors.push(toml_error(path, src, &e)))
        .ok()
}
