//! `topics/*.toml`: weighted terms per IPTC topic.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;
use toml::Spanned;

use super::taxonomy::Taxonomy;
use super::{line_of, parse_toml, RuleError, RuleFile};
use crate::text::normalize::normalize_form;

/// Default emission threshold of a topic.
pub const DEFAULT_THRESHOLD: f64 = 0.5;

/// A validated topic rule.
#[derive(Clone, Debug, PartialEq)]
pub struct TopicRule {
    /// Qcode.
    pub id: String,
    /// Emission threshold in (0, 1].
    pub threshold: f64,
    /// Weighted terms (weight > 0) and require/exclude terms (role set accordingly).
    pub terms: Vec<Term>,
    /// Entities whose mentions support the topic: (entity id, weight, rule id).
    pub entities: Vec<(String, f64, String)>,
    /// Where the topic is defined.
    pub rule_id: String,
}

/// What a term does for its topic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TermRole {
    /// Adds its weight.
    Weight,
    /// At least one `Require` term must fire.
    Require,
    /// If one fires, the topic is not emitted.
    Exclude,
    /// A phrase that is not the topic: every hit of the topic's terms that it overlaps is
    /// dropped ("على مدار" hides "مدار", "صحيف*" hides "صحي*" in صحيفة). With `blocks` set, only
    /// the hits of that one term (an index into [`TopicRule::terms`]).
    Not {
        /// The term it guards, or `None` for every term of the topic.
        blocks: Option<usize>,
    },
}

/// One term of a topic rule.
#[derive(Clone, Debug, PartialEq)]
pub struct Term {
    /// Normalized form (without `*`).
    pub norm: String,
    /// Whether the last word is a stem (`*`).
    pub stem: bool,
    /// Written `=term`: matched on the letters as written (hamza, ta marbuta, alef maqsura,
    /// Latin case), diacritics aside: the letters as written in the file, without `=` and `*`.
    pub as_written: Option<String>,
    /// For a stem: the least and the most letters that may follow it in the word
    /// (`{min = 1, max = 2}`); `(0, 255)` when unbounded.
    pub extra: (u8, u8),
    /// Weight in (0, 1] (0 for require/exclude terms).
    pub weight: f64,
    /// Its role.
    pub role: TermRole,
    /// `topics/x.toml:12`.
    pub rule_id: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    /// Phrases that are not the topic of any topic in the file (see [`TermRole::Not`]).
    #[serde(default)]
    not: Vec<Spanned<String>>,
    #[serde(default)]
    topic: Vec<Spanned<RawTopic>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTopic {
    id: Spanned<String>,
    threshold: Option<Spanned<f64>>,
    #[serde(default)]
    require: Vec<Spanned<String>>,
    #[serde(default)]
    exclude: Vec<Spanned<String>>,
    #[serde(default)]
    not: Vec<Spanned<String>>,
    #[serde(default)]
    terms: BTreeMap<String, Vec<Spanned<RawTerm>>>,
    #[serde(default)]
    entities: Vec<Spanned<Pair>>,
}

/// Options of one term, its optional third element: `["صحي*", 0.6, {not = ["صحيف*"], max = 3}]`.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct TermOpts {
    /// Least letters after a stem.
    min: Option<u8>,
    /// Most letters after a stem.
    max: Option<u8>,
    /// Phrases that hide this term where they overlap it.
    #[serde(default)]
    not: Vec<String>,
}

/// `[text, weight]` or `[text, weight, {options}]`.
struct RawTerm(String, f64, TermOpts);

impl<'de> Deserialize<'de> for RawTerm {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<RawTerm, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = RawTerm;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a [term, weight] pair")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<RawTerm, A::Error> {
                use serde::de::Error;
                let text: String = seq
                    .next_element()?
                    .ok_or_else(|| A::Error::invalid_length(0, &self))?;
                let weight: f64 = seq
                    .next_element()?
                    .ok_or_else(|| A::Error::invalid_length(1, &self))?;
                // A third element must be the options table (a decimal comma, `["war", 1,5]`,
                // is an error, not 1).
                let opts = match seq.next_element::<toml::Value>()? {
                    None => TermOpts::default(),
                    Some(toml::Value::Table(t)) => t.try_into().map_err(A::Error::custom)?,
                    Some(_) => return Err(A::Error::invalid_length(3, &self)),
                };
                let mut n = 3;
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {
                    n += 1;
                }
                if n > 3 {
                    return Err(A::Error::invalid_length(n, &self));
                }
                Ok(RawTerm(text, weight, opts))
            }
        }
        d.deserialize_seq(V)
    }
}

/// `[text, weight]`: exactly two elements (a decimal comma, `["war", 1,5]`, is an error, not 1).
struct Pair(String, f64);

impl<'de> Deserialize<'de> for Pair {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Pair, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Pair;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a [term, weight] pair")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Pair, A::Error> {
                use serde::de::Error;
                let text: String = seq
                    .next_element()?
                    .ok_or_else(|| A::Error::invalid_length(0, &self))?;
                let weight: f64 = seq
                    .next_element()?
                    .ok_or_else(|| A::Error::invalid_length(1, &self))?;
                let mut n = 2;
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {
                    n += 1;
                }
                if n > 2 {
                    return Err(A::Error::invalid_length(n, &self));
                }
                Ok(Pair(text, weight))
            }
        }
        d.deserialize_seq(V)
    }
}

/// Parses one topic file.
pub fn parse(
    file: &RuleFile,
    src: &str,
    tax: &Taxonomy,
    out: &mut Vec<TopicRule>,
    errors: &mut Vec<RuleError>,
) {
    let path = file.path.as_str();
    let Some(raw) = parse_toml::<RawFile>(path, src, errors) else {
        return;
    };
    let at = |s: std::ops::Range<usize>| line_of(src, s.start);
    // The file's `not` phrases, for every topic of the file.
    let file_not: Vec<Term> = raw
        .not
        .iter()
        .filter_map(|n| {
            let role = TermRole::Not { blocks: None };
            make_term(path, at(n.span()), n.get_ref(), 0.0, role, errors)
        })
        .collect();
    for t in raw.topic {
        let topic_line = at(t.span());
        let t = t.into_inner();
        let id_line = at(t.id.span());
        let id = t.id.into_inner();
        match tax.get(&id) {
            None if tax.concepts.is_empty() => {} // the missing taxonomy is reported once
            None => errors.push(RuleError::new(
                path,
                id_line,
                format!("unknown topic id {id:?}"),
            )),
            Some(c) if c.retired => errors.push(RuleError::new(
                path,
                id_line,
                format!("topic {id} is retired in the IPTC taxonomy"),
            )),
            Some(_) => {}
        }
        let threshold = match t.threshold {
            Some(th) => {
                let v = *th.get_ref();
                if !(v > 0.0 && v <= 1.0) {
                    errors.push(RuleError::new(
                        path,
                        at(th.span()),
                        format!("threshold {v} out of range (0, 1]"),
                    ));
                }
                v
            }
            None => DEFAULT_THRESHOLD,
        };
        let mut terms = Vec::new();
        for (lang, list) in t.terms {
            if lang.len() < 2 || lang.len() > 3 || !lang.chars().all(|c| c.is_ascii_lowercase()) {
                errors.push(RuleError::new(
                    path,
                    topic_line,
                    format!("terms.{lang}: expected a language code such as ar or en"),
                ));
            }
            for item in list {
                let line = at(item.span());
                let RawTerm(text, w, opts) = item.into_inner();
                if !(w > 0.0 && w <= 1.0) || w.is_nan() {
                    errors.push(RuleError::new(
                        path,
                        line,
                        format!("weight {w} of term {text:?} out of range (0, 1]"),
                    ));
                    continue;
                }
                let Some(mut term) = make_term(path, line, &text, w, TermRole::Weight, errors)
                else {
                    continue;
                };
                if opts.min.is_some() || opts.max.is_some() {
                    let (min, max) = (opts.min.unwrap_or(0), opts.max.unwrap_or(u8::MAX));
                    if !term.stem {
                        errors.push(RuleError::new(
                            path,
                            line,
                            format!("term {text:?}: min/max bound the letters after a stem: end it with '*'"),
                        ));
                    } else if min > max {
                        errors.push(RuleError::new(
                            path,
                            line,
                            format!("term {text:?}: min {min} is greater than max {max}"),
                        ));
                    }
                    term.extra = (min, max);
                }
                let index = terms.len();
                terms.push(term);
                for n in &opts.not {
                    let role = TermRole::Not {
                        blocks: Some(index),
                    };
                    if let Some(t) = make_term(path, line, n, 0.0, role, errors) {
                        terms.push(t);
                    }
                }
            }
        }
        terms.extend(file_not.iter().cloned());
        for (list, role) in [
            (t.require, TermRole::Require),
            (t.exclude, TermRole::Exclude),
            (t.not, TermRole::Not { blocks: None }),
        ] {
            for item in list {
                let line = at(item.span());
                if let Some(term) = make_term(path, line, item.get_ref(), 0.0, role, errors) {
                    terms.push(term);
                }
            }
        }
        let entities = t
            .entities
            .into_iter()
            .filter_map(|e| {
                let line = at(e.span());
                let Pair(eid, w) = e.into_inner();
                if !(w > 0.0 && w <= 1.0) {
                    errors.push(RuleError::new(
                        path,
                        line,
                        format!("weight {w} of entity {eid} out of range (0, 1]"),
                    ));
                    return None;
                }
                Some((eid, w, format!("{path}:{line}")))
            })
            .collect();
        out.push(TopicRule {
            id,
            threshold,
            terms,
            entities,
            rule_id: format!("{path}:{topic_line}"),
        });
    }
}

fn make_term(
    path: &str,
    line: usize,
    text: &str,
    weight: f64,
    role: TermRole,
    errors: &mut Vec<RuleError>,
) -> Option<Term> {
    let trimmed = text.trim();
    let (trimmed, written) = match trimmed.strip_prefix('=') {
        Some(rest) => (rest.trim_start(), true),
        None => (trimmed, false),
    };
    let (body, stem) = match trimmed.strip_suffix('*') {
        Some(b) => (b, true),
        None => (trimmed, false),
    };
    if body.contains('*') {
        errors.push(RuleError::new(
            path,
            line,
            format!("term {text:?}: '*' is only allowed at the end"),
        ));
        return None;
    }
    let norm = normalize_form(body);
    if norm.is_empty() || !norm.chars().any(char::is_alphanumeric) {
        errors.push(RuleError::new(
            path,
            line,
            format!("empty or malformed term {text:?}"),
        ));
        return None;
    }
    Some(Term {
        norm,
        stem,
        as_written: written.then(|| body.to_owned()),
        extra: (0, u8::MAX),
        weight,
        role,
        rule_id: format!("{path}:{line}"),
    })
}

/// Cross-file checks: duplicate topic ids and unknown entity ids.
/// Entity references are checked against `known` ids unless a gazetteer file could not be read.
pub fn check(
    topics: &[TopicRule],
    known: Option<&std::collections::HashSet<String>>,
    errors: &mut Vec<RuleError>,
) {
    let mut seen: HashMap<&str, &str> = HashMap::new();
    for t in topics {
        if let Some(first) = seen.insert(&t.id, &t.rule_id) {
            let (p, l) = super::gazetteer::split_rule_id(&t.rule_id);
            errors.push(RuleError::new(
                p,
                l,
                format!("duplicate topic {} (first defined at {first})", t.id),
            ));
        }
        for (eid, _, rid) in &t.entities {
            if known.is_some_and(|k| !k.contains(eid)) {
                let (p, l) = super::gazetteer::split_rule_id(rid);
                errors.push(RuleError::new(p, l, format!("unknown entity id {eid}")));
            }
        }
    }
}
