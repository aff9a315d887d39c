//! `patterns.toml` (trigger lexicons and stop words) and `boilerplate.toml`.

use std::collections::BTreeMap;

use rustc_hash::FxHashSet as HashSet;

use serde::Deserialize;
use toml::Spanned;

use super::{line_of, parse_toml, RuleError, RuleFile};
use crate::text::normalize::normalize_form;

/// Validated trigger lexicons, all normalized.
#[derive(Clone, Debug, Default)]
pub struct Patterns {
    /// Titles and roles before a person's name, with their `file:line`.
    pub titles: Vec<(String, String)>,
    /// Kinship words before a relative's name.
    pub kin: HashSet<String>,
    /// First (Arabic) or last/first (English) words of organization names.
    pub org_heads: HashSet<String>,
    /// Head + word combinations that are generic, not names.
    pub org_generic: HashSet<String>,
    /// Words never part of a name.
    pub stopwords: HashSet<String>,
    /// Arabic given names: an unlisted Arabic name may end in a word with the article only when
    /// its first word is one of these. The `given_names` list plus, added by
    /// [`super::RuleSet::load`], the first word of every Arabic name of a gazetteer person.
    pub given_names: HashSet<String>,
    /// Reporting verbs ("قال", "أكد"): one followed by a given name, more name words and what was
    /// said ("وقال أحمد الحجار إن") marks a person without a title.
    pub speech_verbs: HashSet<String>,
    /// Phrases that contain a name's form but are not names ("السياسة الخارجية الأميركية" is
    /// not the State Department): matched with the names, they win by starting earlier or
    /// being longer, and produce nothing. With their `file:line`.
    pub not_names: Vec<(String, String)>,
}

/// Validated boilerplate markers, all normalized.
#[derive(Clone, Debug, Default)]
pub struct Boilerplate {
    /// A line containing one of these is boilerplate.
    pub line_markers: Vec<String>,
    /// A line starting with one of these is boilerplate.
    pub line_prefixes: Vec<String>,
    /// After a line containing one of these, the next non-empty line is boilerplate too.
    pub next_line_markers: Vec<String>,
    /// A line that is exactly one of these is boilerplate.
    pub section_labels: HashSet<String>,
}

type Lists = BTreeMap<Spanned<String>, BTreeMap<String, Vec<Spanned<String>>>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPatterns {
    #[serde(default)]
    person: Lists,
    #[serde(default)]
    organization: Lists,
    #[serde(default)]
    stopwords: BTreeMap<String, Vec<Spanned<String>>>,
    #[serde(default)]
    not_names: BTreeMap<String, Vec<Spanned<String>>>,
}

/// Normalizes the entries of per-language lists (`ar = [...]`, `en = [...]`), with their
/// `file:line`.
fn by_language(
    path: &str,
    src: &str,
    lists: BTreeMap<String, Vec<Spanned<String>>>,
    errors: &mut Vec<RuleError>,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for item in lists.into_values().flatten() {
        let line = line_of(src, item.span().start);
        let norm = normalize_form(item.get_ref());
        if norm.is_empty() {
            errors.push(RuleError::new(
                path,
                line,
                format!("empty or malformed entry {:?}", item.get_ref()),
            ));
        } else {
            out.push((norm, format!("{path}:{line}")));
        }
    }
    out
}

/// Parses `patterns.toml`.
pub fn parse_patterns(file: &RuleFile, src: &str, errors: &mut Vec<RuleError>) -> Patterns {
    let path = file.path.as_str();
    let Some(raw) = parse_toml::<RawPatterns>(path, src, errors) else {
        return Patterns::default();
    };
    let mut p = Patterns::default();
    let take = |section: &str, lists: Lists, allowed: &[&str], errors: &mut Vec<RuleError>| {
        let mut out: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
        for (key, langs) in lists {
            let line = line_of(src, key.span().start);
            let key = key.into_inner();
            if !allowed.contains(&key.as_str()) {
                errors.push(RuleError::new(
                    path,
                    line,
                    format!("[{section}] unknown list {key:?}: expected one of {allowed:?}"),
                ));
                continue;
            }
            out.entry(key)
                .or_default()
                .extend(by_language(path, src, langs, errors));
        }
        out
    };
    let mut person = take(
        "person",
        raw.person,
        &["titles", "kin", "given_names", "speech_verbs"],
        errors,
    );
    let mut org = take(
        "organization",
        raw.organization,
        &["heads", "generic"],
        errors,
    );
    let list = |lists: &mut BTreeMap<String, Vec<(String, String)>>, key: &str| {
        lists.remove(key).unwrap_or_default()
    };
    // The lists used as sets keep only the normalized words, not their `file:line`.
    let set =
        |lists: &mut BTreeMap<String, Vec<(String, String)>>, key: &str| words(list(lists, key));
    p.titles = list(&mut person, "titles");
    p.kin = set(&mut person, "kin");
    p.given_names = set(&mut person, "given_names");
    p.speech_verbs = set(&mut person, "speech_verbs");
    p.org_heads = set(&mut org, "heads");
    p.org_generic = set(&mut org, "generic");
    p.not_names = by_language(path, src, raw.not_names, errors);
    p.stopwords = words(by_language(path, src, raw.stopwords, errors));
    p
}

/// The normalized words of (word, `file:line`) entries.
fn words(entries: Vec<(String, String)>) -> HashSet<String> {
    entries.into_iter().map(|(n, _)| n).collect()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBoilerplate {
    #[serde(default)]
    line_markers: Vec<Spanned<String>>,
    #[serde(default)]
    line_prefixes: Vec<Spanned<String>>,
    #[serde(default)]
    next_line_markers: Vec<Spanned<String>>,
    #[serde(default)]
    section_labels: Vec<Spanned<String>>,
}

/// Parses `boilerplate.toml`.
pub fn parse_boilerplate(file: &RuleFile, src: &str, errors: &mut Vec<RuleError>) -> Boilerplate {
    let path = file.path.as_str();
    let Some(raw) = parse_toml::<RawBoilerplate>(path, src, errors) else {
        return Boilerplate::default();
    };
    let mut norm_all = |items: Vec<Spanned<String>>| -> Vec<String> {
        items
            .into_iter()
            .filter_map(|item| {
                let n = normalize_form(item.get_ref());
                if n.is_empty() {
                    errors.push(RuleError::new(
                        path,
                        line_of(src, item.span().start),
                        format!("empty or malformed entry {:?}", item.get_ref()),
                    ));
                    None
                } else {
                    Some(n)
                }
            })
            .collect()
    };
    Boilerplate {
        line_markers: norm_all(raw.line_markers),
        line_prefixes: norm_all(raw.line_prefixes),
        next_line_markers: norm_all(raw.next_line_markers),
        section_labels: norm_all(raw.section_labels).into_iter().collect(),
    }
}
