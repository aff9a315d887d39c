//! `words/*.tsv`: large word lists the name grammar consults (given names, surnames, function
//! words, common words), one word per row with its language and source.
//!
//! ```text
//! # source SSA: US Social Security Administration baby names, public domain, <repository@commit/path>
//! word<TAB>lang<TAB>source
//! Maria<TAB>en<TAB>SSA
//! ```
//! Every `source` key of a row must be declared in a `# source KEY: ...` comment before the
//! header. Words are normalized like the text (so they match tokens of the normalized text).

use rustc_hash::FxHashSet as HashSet;

use super::{RuleError, RuleFile};
use crate::text::normalize::normalize_form;

/// The header of every word list.
pub const HEADER: &str = "word\tlang\tsource";

/// The lists the engine reads, by file name (`words/<name>.tsv`).
pub const LISTS: [&str; 4] = ["given_names", "surnames", "function_words", "common_words"];

/// The validated word lists, normalized.
#[derive(Clone, Debug, Default)]
pub struct Words {
    /// Given names (Arabic and Latin script): a name can start with one.
    pub given_names: HashSet<String>,
    /// Family names: a Latin-script name can end with one.
    pub surnames: HashSet<String>,
    /// Prepositions, conjunctions, pronouns, particles, auxiliaries: never inside a name.
    pub function_words: HashSet<String>,
    /// Frequent words that are not names: a name stops before one, and a name that is also one
    /// needs context.
    pub common_words: HashSet<String>,
}

impl Words {
    /// Entries of every list, by name (`words/given_names.tsv`), for `GetRules`.
    pub fn counts(&self) -> Vec<(String, usize)> {
        LISTS
            .iter()
            .map(|name| {
                (
                    format!("words/{name}.tsv"),
                    self.list(name).map_or(0, |l| l.len()),
                )
            })
            .collect()
    }

    fn list(&self, name: &str) -> Option<&HashSet<String>> {
        match name {
            "given_names" => Some(&self.given_names),
            "surnames" => Some(&self.surnames),
            "function_words" => Some(&self.function_words),
            "common_words" => Some(&self.common_words),
            _ => None,
        }
    }

    fn list_mut(&mut self, name: &str) -> Option<&mut HashSet<String>> {
        match name {
            "given_names" => Some(&mut self.given_names),
            "surnames" => Some(&mut self.surnames),
            "function_words" => Some(&mut self.function_words),
            "common_words" => Some(&mut self.common_words),
            _ => None,
        }
    }
}

/// Parses one `words/<name>.tsv` into its list of `words`.
pub fn parse(file: &RuleFile, src: &str, words: &mut Words, errors: &mut Vec<RuleError>) {
    let path = file.path.as_str();
    let name = path
        .strip_prefix("words/")
        .and_then(|p| p.strip_suffix(".tsv"))
        .unwrap_or(path);
    let Some(list) = words.list_mut(name) else {
        errors.push(RuleError::new(
            path,
            0,
            format!("unknown word list: expected words/<name>.tsv with <name> one of {LISTS:?}"),
        ));
        return;
    };
    let Some(table) = super::tsv::read(
        path,
        src,
        &[HEADER],
        (
            &format!("expected the header line {HEADER:?}"),
            "empty word list: expected a header line",
        ),
        errors,
    ) else {
        return;
    };
    let mut sources: HashSet<&str> = HashSet::default();
    for (line, comment) in &table.preamble {
        if let Some(decl) = comment.trim().strip_prefix("source ") {
            match decl.split_once(':') {
                Some((key, what)) if !key.trim().is_empty() && !what.trim().is_empty() => {
                    sources.insert(key.trim());
                }
                _ => errors.push(RuleError::new(
                    path,
                    *line,
                    "malformed source declaration: expected \"# source KEY: description\"",
                )),
            }
        }
    }
    let mut seen: HashSet<(&str, &str)> = HashSet::default();
    for (line, cols) in table.rows {
        let (word, lang, source) = (cols[0].trim(), cols[1].trim(), cols[2].trim());
        let err = |m: String| RuleError::new(path, line, m);
        if !matches!(lang, "ar" | "en") {
            errors.push(err(format!("unknown language {lang:?}: expected ar or en")));
            continue;
        }
        if !sources.contains(source) {
            errors.push(err(format!(
                "source {source:?} is not declared (add \"# source {source}: ...\" before the header)"
            )));
            continue;
        }
        if !seen.insert((word, lang)) {
            errors.push(err(format!("duplicate word {word:?}")));
            continue;
        }
        let norm = normalize_form(word);
        if norm.is_empty() || norm.contains(' ') && !word.contains(' ') {
            errors.push(err(format!("malformed word {word:?}")));
            continue;
        }
        list.insert(norm);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(path: &str, src: &str) -> (Words, Vec<String>) {
        let f = RuleFile {
            path: path.into(),
            bytes: src.as_bytes().to_vec(),
        };
        let (mut words, mut errors) = (Words::default(), Vec::new());
        parse(&f, src, &mut words, &mut errors);
        (words, errors.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn words_are_normalized_and_every_row_has_a_declared_source() {
        let (w, errors) = load(
            "words/given_names.tsv",
            "# Given names.\n# source SSA: US SSA baby names, public domain\n\
             # source WD: Wikidata labels, CC0\nword\tlang\tsource\nMaria\ten\tSSA\n\
             أحمد\tar\tWD\nفاطمة\tar\tXX\nMaria\ten\tSSA\nOmar\tfr\tSSA\n",
        );
        assert!(w.given_names.contains("maria") && w.given_names.contains("احمد"));
        assert_eq!(w.given_names.len(), 2);
        assert_eq!(
            errors,
            [
                "words/given_names.tsv:7: source \"XX\" is not declared (add \"# source XX: ...\" before the header)",
                "words/given_names.tsv:8: duplicate word \"Maria\"",
                "words/given_names.tsv:9: unknown language \"fr\": expected ar or en",
            ]
        );
        assert_eq!(w.counts()[0], ("words/given_names.tsv".to_owned(), 2));
    }

    #[test]
    fn unknown_lists_and_bad_declarations_are_errors() {
        let (_, errors) = load("words/nicknames.tsv", "word\tlang\tsource\n");
        assert!(errors[0].starts_with("words/nicknames.tsv:0: unknown word list"));
        let (_, errors) = load("words/surnames.tsv", "# source SSA\nword\tlang\tsource\n");
        assert_eq!(
            errors,
            ["words/surnames.tsv:1: malformed source declaration: expected \"# source KEY: description\""]
        );
    }
}
