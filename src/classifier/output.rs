//! The response: offsets converted to the requested unit, entities with their ids, names and
//! salience, topics with their labels and evidence; and [`RulesInfo`] for `GetRules`.

use std::ops::Range;

use super::fields::Fields;
use super::Classifier;
use crate::entities::{self, Candidate, DateKey, Referent};
use crate::model::{
    Classification, Document, Entity, EntityType, Evidence, Field, Mention, RulesInfo, Span, Topic,
    TopicInfo,
};
use crate::rules::RuleSet;
use crate::text::offsets::Converted;
use crate::text::UnitConverter;
use crate::topics::Scored;

/// What `GetRules` tells about a compiled rule set.
pub(super) fn rules_info(rules: &RuleSet, source: &str) -> RulesInfo {
    let mut counts: rustc_hash::FxHashMap<EntityType, usize> = Default::default();
    for e in &rules.entities {
        *counts.entry(e.entity_type).or_default() += 1;
    }
    RulesInfo {
        version: rules.version.clone(),
        loaded_at: jiff::Timestamp::now(),
        entity_counts: EntityType::ALL
            .iter()
            .filter(|t| **t != EntityType::Date)
            .map(|t| (*t, counts.get(t).copied().unwrap_or(0)))
            .collect(),
        topic_rule_count: rules.topics.len(),
        list_counts: rules
            .patterns
            .counts()
            .into_iter()
            .chain(rules.words.counts())
            .collect(),
        topics: rules
            .taxonomy
            .concepts
            .iter()
            .filter(|c| !c.retired)
            .map(|c| TopicInfo {
                id: c.qcode.clone(),
                label: c.label_en.clone(),
                label_ar: c.label_ar.clone(),
                parent_id: c.parent.clone(),
            })
            .collect(),
        source: source.to_owned(),
    }
}

/// Builds the response: every reported byte boundary is registered, then converted to the
/// requested unit in one forward walk per field.
pub(super) fn respond(
    c: &Classifier,
    doc: &Document,
    fields: &Fields,
    language: String,
    mentions: Vec<Candidate>,
    scored: Vec<Scored>,
) -> Classification {
    let mut conv: [UnitConverter; 2] = Default::default();
    for m in &mentions {
        let u = &mut conv[m.field.index()];
        u.add(m.orig.start);
        u.add(m.orig.end);
    }
    if doc.options.include_evidence {
        for e in scored.iter().flat_map(|s| &s.evidence) {
            let u = &mut conv[e.field.index()];
            u.add(e.orig.start);
            u.add(e.orig.end);
        }
    }
    let boiler = &fields.text().boiler;
    for b in boiler {
        conv[Field::Text.index()].add(b.start);
        conv[Field::Text.index()].add(b.end);
    }
    let [title_conv, text_conv] = conv;
    let unit = doc.offset_unit;
    let converted: [Converted; 2] = [
        title_conv.finish(&doc.title, unit),
        text_conv.finish(&doc.text, unit),
    ];
    let out = Output {
        c,
        doc,
        fields,
        converted,
    };
    Classification {
        id: doc.id.clone(),
        language,
        topics: out.topics(scored),
        entities: out.entities(mentions),
        offset_unit: unit,
        rules_version: c.info.version.clone(),
        boilerplate: boiler
            .iter()
            .map(|b| Span {
                start: out.at(Field::Text, b.start),
                end: out.at(Field::Text, b.end),
            })
            .collect(),
    }
}

/// What building the response reads.
struct Output<'a> {
    c: &'a Classifier,
    doc: &'a Document,
    fields: &'a Fields<'a>,
    /// Offsets in the requested unit, by field.
    converted: [Converted; 2],
}

impl Output<'_> {
    /// A byte offset of a field in the requested unit.
    fn at(&self, field: Field, byte: usize) -> u32 {
        self.converted[field.index()].get(byte)
    }

    /// The original text of a span.
    fn text(&self, field: Field, r: &Range<usize>) -> String {
        let t = match field {
            Field::Title => &self.doc.title,
            Field::Text => &self.doc.text,
        };
        t[r.clone()].to_owned()
    }

    fn topics(&self, scored: Vec<Scored>) -> Vec<Topic> {
        let options = &self.doc.options;
        let mut out: Vec<Topic> = scored
            .into_iter()
            .filter(|s| s.score >= options.min_topic_score)
            .map(|s| {
                let concept = self.c.rules.taxonomy.get(&s.id);
                Topic {
                    label: concept.map(|c| c.label_en.clone()).unwrap_or_default(),
                    label_ar: concept.map(|c| c.label_ar.clone()).unwrap_or_default(),
                    parent_id: concept.map(|c| c.parent.clone()).unwrap_or_default(),
                    evidence: if options.include_evidence {
                        s.evidence
                            .iter()
                            .map(|e| Evidence {
                                rule_id: e.rule_id.clone(),
                                text: self.text(e.field, &e.orig),
                                start: self.at(e.field, e.orig.start),
                                end: self.at(e.field, e.orig.end),
                                weight: e.weight,
                                field: e.field,
                            })
                            .collect()
                    } else {
                        Vec::new()
                    },
                    id: s.id,
                    score: s.score,
                }
            })
            .collect();
        if options.max_topics > 0 {
            out.truncate(options.max_topics);
        }
        out
    }

    fn entities(&self, mentions: Vec<Candidate>) -> Vec<Entity> {
        let rules = &self.c.rules;
        let types = &self.doc.options.entity_types;
        let groups = entities::group(mentions);
        let max = groups.iter().map(|g| g.1.len()).max().unwrap_or(1);
        let len = self.doc.text.len().max(1) as f64;
        let mut out: Vec<(usize, Entity)> = Vec::new();
        for (referent, cands) in groups {
            let ty = cands[0].entity_type(|id| rules.entity(id).entity_type);
            if !types.is_empty() && !types.contains(&ty) {
                continue;
            }
            let first_text = cands
                .iter()
                .find(|m| m.field == Field::Text)
                .map_or(0, |m| m.orig.start);
            let in_headline = cands
                .iter()
                .any(|m| self.fields.get(m.field).in_headline(&m.orig));
            let first = self.text(cands[0].field, &cands[0].orig);
            let ident = identify(rules, &referent, first);
            let salience =
                entities::salience(cands.len(), max, first_text as f64 / len, in_headline);
            let mentions = cands
                .into_iter()
                .map(|m| Mention {
                    start: self.at(m.field, m.orig.start),
                    end: self.at(m.field, m.orig.end),
                    text: self.text(m.field, &m.orig),
                    // One exact allocation (`to_string` would go through `Display`).
                    rule_id: String::from(&*m.rule_id),
                    confidence: m.confidence,
                    value: ident.value.clone(),
                    role: m.role,
                    field: m.field,
                })
                .collect();
            out.push((
                first_text,
                Entity {
                    id: ident.id,
                    entity_type: ty,
                    name: ident.name,
                    name_ar: ident.name_ar,
                    wikidata_id: ident.wikidata_id,
                    salience,
                    mentions,
                },
            ));
        }
        out.sort_by(|a, b| b.1.salience.total_cmp(&a.1.salience).then(a.0.cmp(&b.0)));
        out.into_iter().map(|(_, e)| e).collect()
    }
}

/// How an entity is reported: its id, names and value.
struct Ident {
    id: String,
    name: String,
    name_ar: String,
    wikidata_id: String,
    /// The ISO value of a resolved date, given to every mention.
    value: String,
}

/// The id, names and value of a referent; `first` is the original text of its first mention.
///
/// | referent | id | name |
/// | --- | --- | --- |
/// | listed | the list's id (`person/vladimir-putin`) | the list's names |
/// | unlisted person, organization or place | `person/unlisted/<normalized-name>`, `org/unlisted/…`, `place/unlisted/…` (the name's words; punctuation tokens such as the period of "Inc." left out) | the text as found |
/// | resolved date | `date/<ISO value>` | the value |
/// | unresolved date | `date/unresolved/<normalized-text>` | the text as found |
fn identify(rules: &RuleSet, referent: &Referent, first: String) -> Ident {
    let slug = |key: &str| key.replace(' ', "-");
    let plain = |id: String, name: String, name_ar: String| Ident {
        id,
        name,
        name_ar,
        wikidata_id: String::new(),
        value: String::new(),
    };
    match referent {
        Referent::Known(i) => {
            let e = rules.entity(*i);
            Ident {
                wikidata_id: e.wikidata.clone(),
                ..plain(e.id.clone(), e.name_en.clone(), e.name_ar.clone())
            }
        }
        Referent::Unlisted(t, key) => {
            let kind = match t {
                EntityType::Person => "person",
                EntityType::Location => "place",
                _ => "org",
            };
            let ar = if crate::text::arabic::contains_arabic(&first) {
                first.clone()
            } else {
                String::new()
            };
            let words: Vec<&str> = key
                .split(' ')
                .filter(|w| w.chars().any(char::is_alphanumeric))
                .collect();
            plain(format!("{kind}/unlisted/{}", words.join("-")), first, ar)
        }
        Referent::Date(DateKey::Value(v)) => Ident {
            value: v.clone(),
            ..plain(format!("date/{v}"), v.clone(), String::new())
        },
        Referent::Date(DateKey::Unresolved(key)) => plain(
            format!("date/unresolved/{}", slug(key)),
            first,
            String::new(),
        ),
    }
}
