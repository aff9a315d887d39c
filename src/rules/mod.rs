//! Rules as data: raw files → validated [`RuleSet`].
//!
//! `raw` mirrors the files (serde, close to disk); `load` validates everything and reports every
//! problem at once as `path:line: message`.

pub(crate) mod dates;
mod error;
pub mod gazetteer;
pub mod patterns;
pub mod read;
pub mod spelling;
pub mod taxonomy;
pub mod topics;
mod tsv;
pub mod words;

pub use error::{line_of, parse_toml, toml_error, RuleError, RuleErrors};
pub use gazetteer::{EntityDef, EntityId};
pub use patterns::{Boilerplate, Patterns};
pub use taxonomy::Taxonomy;
pub use topics::TopicRule;

use std::path::Path;

/// A validated rule set, ready to compile into a classifier.
#[derive(Clone, Debug)]
pub struct RuleSet {
    /// Content hash of the files.
    pub version: String,
    /// IPTC taxonomy.
    pub taxonomy: Taxonomy,
    /// Gazetteer entities, in file order.
    pub entities: Vec<EntityDef>,
    /// (normalized form, case-sensitive) → the entity that owns it.
    pub form_owner: gazetteer::FormOwners,
    /// Case-insensitive normalized form listed by several entities → all of them, the owner
    /// first ("طرابلس": Libya's capital, then Lebanon's city).
    pub shared_forms: gazetteer::SharedForms,
    /// Topic rules.
    pub topics: Vec<TopicRule>,
    /// Trigger lexicons and stop words.
    pub patterns: Patterns,
    /// Boilerplate markers.
    pub boilerplate: Boilerplate,
    /// Date lexicons (`dates.toml`), compiled by the date engine.
    pub(crate) dates: dates::DateLexicon,
    /// Interchangeable spellings (`spelling.toml`), applied to every matched surface form.
    pub spelling: spelling::Spellings,
    /// Word lists of the name grammar (`words/*.tsv`).
    pub words: words::Words,
}

impl RuleSet {
    /// The entity `id` refers to (an id of this rule set).
    pub fn entity(&self, id: EntityId) -> &EntityDef {
        &self.entities[id.index()]
    }

    /// Validates rule files. Every problem is reported, in path and line order.
    pub fn load(files: &[RuleFile]) -> Result<RuleSet, RuleErrors> {
        let mut errors = Vec::new();
        // Whether every gazetteer file could be read, and the ids they define.
        let mut complete = true;
        let mut defined = std::collections::HashSet::new();
        let mut texts: Vec<(&RuleFile, &str)> = Vec::new();
        for f in files {
            match std::str::from_utf8(&f.bytes) {
                Ok(s) => texts.push((f, s.strip_prefix('\u{FEFF}').unwrap_or(s))),
                Err(e) => {
                    let line = line_of(
                        &String::from_utf8_lossy(&f.bytes[..e.valid_up_to()]),
                        e.valid_up_to(),
                    );
                    errors.push(RuleError::new(&f.path, line, "invalid UTF-8"));
                    complete &= !f.path.starts_with("gazetteer/");
                }
            }
        }
        let find = |name: &str| texts.iter().find(|(f, _)| f.path == name).copied();
        let taxonomy = match find("taxonomy.tsv") {
            Some((f, s)) => taxonomy::parse(f, s, &mut errors),
            None => {
                errors.push(RuleError::new(
                    "taxonomy.tsv",
                    0,
                    "missing: the IPTC taxonomy is required",
                ));
                Taxonomy::default()
            }
        };
        let mut entities = Vec::new();
        let mut topic_rules = Vec::new();
        let mut pats = Patterns::default();
        let mut boiler = Boilerplate::default();
        let mut date_lexicon = dates::DateLexicon::default();
        let mut spellings = Vec::new();
        let mut word_lists = words::Words::default();
        for &(f, s) in &texts {
            let p = f.path.as_str();
            if p == "taxonomy.tsv"
                || p.ends_with(".md")
                || p.rsplit('/')
                    .next()
                    .is_some_and(|n| n.starts_with("LICENSE"))
            {
                continue;
            } else if p.starts_with("gazetteer/") && p.ends_with(".tsv") {
                complete &= gazetteer::parse(f, s, &mut entities, &mut errors, &mut defined);
            } else if p.starts_with("topics/") && p.ends_with(".toml") {
                topics::parse(f, s, &taxonomy, &mut topic_rules, &mut errors);
            } else if p == "patterns.toml" {
                pats = patterns::parse_patterns(f, s, &mut errors);
            } else if p.starts_with("words/") && p.ends_with(".tsv") {
                words::parse(f, s, &mut word_lists, &mut errors);
            } else if p == "spelling.toml" {
                spellings = spelling::parse(f, s, &mut errors);
            } else if p == "boilerplate.toml" {
                boiler = patterns::parse_boilerplate(f, s, &mut errors);
            } else if p == "dates.toml" {
                date_lexicon = dates::parse(f, s, &mut errors);
            } else {
                errors.push(RuleError::new(p, 0, "unknown rule file: expected taxonomy.tsv, gazetteer/*.tsv, topics/*.toml, words/*.tsv, patterns.toml, dates.toml, boilerplate.toml, spelling.toml or *.md"));
            }
        }
        let known = complete.then_some(&defined);
        let (form_owner, shared_forms) = gazetteer::check(&entities, known, &mut errors);
        topics::check(&topic_rules, known, &mut errors);
        if !errors.is_empty() {
            errors.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
            errors.dedup();
            return Err(RuleErrors(errors));
        }
        add_gazetteer_given_names(&mut pats, &entities);
        Ok(RuleSet {
            version: version_of(files),
            taxonomy,
            entities,
            form_owner,
            shared_forms,
            topics: topic_rules,
            patterns: pats,
            boilerplate: boiler,
            dates: date_lexicon,
            spelling: spellings,
            words: word_lists,
        })
    }
}

/// Completes [`Patterns::given_names`] from the gazetteer: adds the first word of every name of
/// a person ("عباس" of "عباس عراقجي", "vladimir") unless it starts a title ("Pope Leo XIV") or is
/// a stop word, then removes every short form that is the last word of a person's name ("عباس"
/// of "محمود عباس"): a surname used alone after a title ("استقبل الرئيس عباس الوفد") must not
/// start a new name.
fn add_gazetteer_given_names(pats: &mut Patterns, entities: &[EntityDef]) {
    let title_words: std::collections::HashSet<&str> = pats
        .titles
        .iter()
        .filter_map(|(t, _)| t.split(' ').next())
        .collect();
    let people = || {
        entities
            .iter()
            .filter(|e| e.entity_type == crate::model::EntityType::Person)
    };
    let firsts: Vec<String> = people()
        .flat_map(|e| &e.forms)
        .filter_map(|f| f.norm.split_once(' ').map(|(first, _)| first))
        .filter(|w| {
            w.chars().all(char::is_alphabetic)
                && !title_words.contains(w)
                && !pats.stopwords.contains(*w)
        })
        .map(str::to_owned)
        .collect();
    pats.given_names.extend(firsts);
    for e in people() {
        for s in &e.short {
            let last_word =
                |f: &gazetteer::Form| f.norm.rsplit_once(' ').is_some_and(|(_, l)| l == s);
            if e.forms.iter().any(last_word) {
                pats.given_names.remove(s);
            }
        }
    }
}

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
        .map(|(p, b)| RuleFile {
            path: (*p).to_owned(),
            bytes: b.to_vec(),
        })
        .collect()
}

/// The embedded rules with `files` over them: a file of `files` replaces the embedded file of
/// the same path or is added; the result is sorted by path, as [`read_dir`]'s.
pub fn overlay(files: Vec<RuleFile>) -> Vec<RuleFile> {
    let mut merged: std::collections::BTreeMap<String, Vec<u8>> =
        embedded().into_iter().map(|f| (f.path, f.bytes)).collect();
    merged.extend(files.into_iter().map(|f| (f.path, f.bytes)));
    merged
        .into_iter()
        .map(|(path, bytes)| RuleFile { path, bytes })
        .collect()
}

/// Reads every rule file under `dir` (sorted by relative path): regular files only, a
/// consistent snapshot of a directory that may change meanwhile (see [`read`]).
pub fn read_dir(dir: &Path) -> Result<Vec<RuleFile>, RuleErrors> {
    read::read_snapshot(dir).map(|s| s.files)
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
