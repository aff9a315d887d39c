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
    /// English heads that name an organization alone when capitalized ("Politburo", "Cabinet").
    pub org_standalone: HashSet<String>,
    /// Words of a match next to which a place is a team in a sports story ("فاز", "beat").
    pub team_cues: HashSet<String>,
    /// Words that join a second team to a first one ("على" in "فاز المغرب على مصر").
    pub team_links: HashSet<String>,
    /// Plural event words that are no team nickname ("Olympics", "Games").
    pub events: HashSet<String>,
    /// Abbreviations of common nouns, units and the like ("CEO", "DNA", "SUV"): an unlisted
    /// all-capitals word that is one of these is no organization.
    pub not_acronyms: HashSet<String>,
    /// Words never part of a name.
    pub stopwords: HashSet<String>,
    /// Arabic given names: an unlisted Arabic name may end in a word with the article only when
    /// its first word is one of these. The `given_names` list plus, added by
    /// [`super::RuleSet::load`], the first word of every Arabic name of a gazetteer person.
    pub given_names: HashSet<String>,
    /// Reporting verbs ("قال", "أكد"): one followed by a given name, more name words and what was
    /// said ("وقال أحمد الحجار إن") marks a person without a title.
    pub speech_verbs: HashSet<String>,
    /// Words between a title and the name that belong to the role ("السابق", "former").
    pub connectors: HashSet<String>,
    /// Courtesy titles ("السيد", "الدكتور"), each also in `titles`: the name after one need not
    /// start with a given name and may be one family name.
    pub honorifics: HashSet<String>,
    /// First halves of compound given names ("عبد", "ابو"), which stand for a given name.
    pub compound_heads: HashSet<String>,
    /// Words after which a word with the article continues an Arabic name ("عبد", "بن").
    pub name_links: HashSet<String>,
    /// Second halves of compound names that carry the article yet continue an Arabic name after
    /// any name word ("عطا الله", "نور الدين").
    pub compound_tails: HashSet<String>,
    /// What follows a name after a reporting verb ("ان", ":", ","): the name is the speaker.
    pub said: HashSet<String>,
    /// Endings of Latin-script family names ("ov", "escu", "idze"), normalized.
    pub surname_endings: Vec<String>,
    /// Lowercase particles inside personal names ("van", "de", "bin").
    pub particles: HashSet<String>,
    /// Lowercase words inside English organization names ("of", "for").
    pub org_connectors: HashSet<String>,
    /// Last words of English place names ("Park", "River").
    pub place_heads: HashSet<String>,
    /// First words of English place names ("Lake", "Mount").
    pub place_prefixes: HashSet<String>,
    /// Compass and position words that make a listed place part of a larger one ("West" +
    /// Jersey, "Southern" + Sudan).
    pub place_directions: HashSet<String>,
    /// Prepositions after which an unlisted capitalized run is a place ("in", "near").
    pub place_prepositions: HashSet<String>,
    /// English function words, for language detection.
    pub function_words: HashSet<String>,
    /// English articles ("a", "the"), allowed between a name and its title in apposition.
    pub articles: HashSet<String>,
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
    location: Lists,
    #[serde(default)]
    language: Lists,
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
        &[
            "titles",
            "kin",
            "given_names",
            "speech_verbs",
            "connectors",
            "honorifics",
            "compound_heads",
            "name_links",
            "compound_tails",
            "said",
            "particles",
            "surname_endings",
        ],
        errors,
    );
    let mut org = take(
        "organization",
        raw.organization,
        &[
            "heads",
            "generic",
            "connectors",
            "standalone",
            "team_cues",
            "team_links",
            "events",
            "not_acronyms",
        ],
        errors,
    );
    let mut location = take(
        "location",
        raw.location,
        &["heads", "prefixes", "prepositions", "directions"],
        errors,
    );
    let mut language = take(
        "language",
        raw.language,
        &["function_words", "articles"],
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
    p.connectors = set(&mut person, "connectors");
    p.honorifics = set(&mut person, "honorifics");
    p.compound_heads = set(&mut person, "compound_heads");
    p.name_links = set(&mut person, "name_links");
    p.compound_tails = set(&mut person, "compound_tails");
    p.said = set(&mut person, "said");
    p.particles = set(&mut person, "particles");
    p.surname_endings = list(&mut person, "surname_endings")
        .into_iter()
        .map(|(w, _)| w)
        .collect();
    p.org_heads = set(&mut org, "heads");
    p.org_generic = set(&mut org, "generic");
    p.org_standalone = set(&mut org, "standalone");
    p.team_cues = set(&mut org, "team_cues");
    p.team_links = set(&mut org, "team_links");
    p.events = set(&mut org, "events");
    p.not_acronyms = set(&mut org, "not_acronyms");
    p.org_connectors = set(&mut org, "connectors");
    p.place_heads = set(&mut location, "heads");
    p.place_prefixes = set(&mut location, "prefixes");
    p.place_prepositions = set(&mut location, "prepositions");
    p.place_directions = set(&mut location, "directions");
    p.function_words = set(&mut language, "function_words");
    p.articles = set(&mut language, "articles");
    p.not_names = by_language(path, src, raw.not_names, errors);
    p.stopwords = words(by_language(path, src, raw.stopwords, errors));
    p
}

impl Patterns {
    /// Entries of every list, by name (`patterns.toml:titles`), for `GetRules`.
    pub fn counts(&self) -> Vec<(String, usize)> {
        let sets = [
            ("person.kin", &self.kin),
            ("person.given_names", &self.given_names),
            ("person.speech_verbs", &self.speech_verbs),
            ("person.connectors", &self.connectors),
            ("person.honorifics", &self.honorifics),
            ("person.compound_heads", &self.compound_heads),
            ("person.name_links", &self.name_links),
            ("person.compound_tails", &self.compound_tails),
            ("person.said", &self.said),
            ("person.particles", &self.particles),
            ("organization.heads", &self.org_heads),
            ("organization.generic", &self.org_generic),
            ("organization.standalone", &self.org_standalone),
            ("organization.team_cues", &self.team_cues),
            ("organization.team_links", &self.team_links),
            ("organization.events", &self.events),
            ("organization.not_acronyms", &self.not_acronyms),
            ("organization.connectors", &self.org_connectors),
            ("location.heads", &self.place_heads),
            ("location.prefixes", &self.place_prefixes),
            ("location.prepositions", &self.place_prepositions),
            ("location.directions", &self.place_directions),
            ("language.function_words", &self.function_words),
            ("language.articles", &self.articles),
            ("stopwords", &self.stopwords),
        ];
        let mut out: Vec<(String, usize)> = sets
            .into_iter()
            .map(|(name, set)| (name, set.len()))
            .chain([
                ("person.titles", self.titles.len()),
                ("person.surname_endings", self.surname_endings.len()),
                ("not_names", self.not_names.len()),
            ])
            .map(|(name, n)| (format!("patterns.toml:{name}"), n))
            .collect();
        out.sort();
        out
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_list_is_read_and_counted() {
        let src = "[person]\ntitles.ar = [\"الرئيس\"]\nconnectors.en = [\"former\", \"acting\"]\n\
                   said.ar = [\"إن\", \"،\"]\n[organization]\nconnectors.en = [\"of\"]\n\
                   [language]\nfunction_words.en = [\"the\"]\narticles.en = [\"a\"]\n\
                   [stopwords]\nar = [\"في\"]\n";
        let f = RuleFile {
            path: "patterns.toml".into(),
            bytes: src.as_bytes().to_vec(),
        };
        let mut errors = Vec::new();
        let p = parse_patterns(&f, src, &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        // Entries are normalized like the text: the Arabic comma is a comma, إن is ان.
        assert!(
            p.said.contains(",") && p.said.contains("ان"),
            "{:?}",
            p.said
        );
        let counts = p.counts();
        let count = |name: &str| {
            counts
                .iter()
                .find(|(n, _)| n == &format!("patterns.toml:{name}"))
                .map(|(_, c)| *c)
        };
        assert_eq!(count("person.titles"), Some(1));
        assert_eq!(count("person.connectors"), Some(2));
        assert_eq!(count("organization.connectors"), Some(1));
        assert_eq!(count("language.function_words"), Some(1));
        assert_eq!(count("language.articles"), Some(1));
        assert_eq!(count("stopwords"), Some(1));
        assert_eq!(count("person.kin"), Some(0));
    }

    #[test]
    fn an_unknown_list_is_an_error_at_its_line() {
        let src = "[person]\ntitles.ar = [\"الرئيس\"]\nconectors.en = [\"former\"]\n";
        let f = RuleFile {
            path: "patterns.toml".into(),
            bytes: src.as_bytes().to_vec(),
        };
        let mut errors = Vec::new();
        parse_patterns(&f, src, &mut errors);
        let errors: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].starts_with("patterns.toml:3: [person] unknown list \"conectors\""),
            "{errors:?}"
        );
    }
}
