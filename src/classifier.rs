//! The immutable classifier: compiled rules plus the pipeline
//! normalize → match → resolve → score. Built once, shared behind an `Arc`, `Send + Sync`.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::Path;

use crate::entities::{self, Candidate, Referent, ShortHit};
use crate::matcher::{Group, Hit, Matcher, Mode, Pattern};
use crate::model::{
    Classification, ClassifyError, Document, Entity, EntityType, Evidence, Field, Mention,
    OffsetUnit, Span, Topic,
};
use crate::rules::{RuleErrors, RuleFile, RuleSet};
use crate::text::offsets::Converted;
use crate::text::{NormText, UnitConverter};
use crate::topics::{Occurrence, TopicEngine};
use crate::triggers;

/// What a client can learn about the rules in use (`GetRules`).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RulesInfo {
    /// Content hash of every rule file (hex, 16 chars).
    pub version: String,
    /// When these rules were loaded.
    #[serde(serialize_with = "ser_ts")]
    pub loaded_at: jiff::Timestamp,
    /// Number of gazetteer entities per type.
    pub entity_counts: Vec<(EntityType, usize)>,
    /// Number of topic rules.
    pub topic_rule_count: usize,
    /// Number of topic rules per top-level topic (qcode, count).
    pub topic_rule_counts: Vec<(String, usize)>,
    /// The whole taxonomy in use (active IPTC concepts).
    pub topics: Vec<TopicInfo>,
    /// Where the rules came from (`embedded` or a directory).
    pub source: String,
}

fn ser_ts<S: serde::Serializer>(t: &jiff::Timestamp, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&t.to_string())
}

/// One taxonomy concept.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TopicInfo {
    /// IPTC qcode.
    pub id: String,
    /// English label.
    pub label: String,
    /// Arabic label.
    pub label_ar: String,
    /// Parent qcode, empty at the top level.
    pub parent_id: String,
}

/// The classifier.
#[derive(Debug)]
pub struct Classifier {
    info: RulesInfo,
    rules: RuleSet,
    /// Every surface form, one group per use (`G_*`); a text is scanned once.
    lexicon: Matcher,
    topics: TopicEngine,
    /// `rules.entities[i].rule_id`, shared by every candidate of entity `i`.
    entity_rule_ids: Vec<std::sync::Arc<str>>,
    /// Names several entities share, resolved by the story's countries.
    shared: crate::context::SharedNames,
}

/// Full names and variants (and `not_names` phrases); payload: entity index or [`NOT_A_NAME`].
const G_NAMES: u8 = 0;
/// Short forms for document-level propagation; payload: entity index.
const G_SHORTS: u8 = 1;
/// Titles before person names; payload: index into `rules.patterns.titles`.
const G_TITLES: u8 = 2;
/// Topic terms, reported overlapping; payload: term index of the topic engine.
const G_TERMS: u8 = 3;
/// Boilerplate markers; payload: marker kind.
const G_BOILER: u8 = 4;
/// Kinship words of trigger patterns; payload: 0.
const G_KIN: u8 = 5;
/// Organization head words of trigger patterns; payload: 0.
const G_HEADS: u8 = 6;
/// Reporting verbs of trigger patterns; payload: 0.
const G_SPEECH: u8 = 7;
/// Latin-script given names of trigger patterns (names without a title); payload: 0.
const G_GIVEN: u8 = 8;
const GROUP_COUNT: usize = 9;
/// How each group is matched: only topic terms take the article and report overlaps.
const GROUPS: [Group; GROUP_COUNT] = {
    let name = Group {
        mode: Mode::Name,
        overlapping: false,
    };
    let mut g = [name; GROUP_COUNT];
    g[G_TERMS as usize] = Group {
        mode: Mode::Term,
        overlapping: true,
    };
    g
};

/// IPTC top-level topic "sport".
const SPORT: &str = "medtop:15000000";
/// Summed weight of distinct sport terms from which a story is read as a sports story.
const SPORT_STORY_WEIGHT: f64 = 0.7;

/// Payload of the `not_names` phrases among the names.
const NOT_A_NAME: u32 = u32::MAX;

/// One field of the document being classified.
struct FieldText<'a> {
    field: Field,
    orig: &'a str,
    nt: NormText,
    /// Hits of every lexicon group, indexed by `G_*`.
    hits: [Vec<Hit>; GROUP_COUNT],
    /// Original byte range of the lead (headline and first paragraph).
    lead: Range<usize>,
    boiler: Vec<Range<usize>>,
}

impl<'a> FieldText<'a> {
    /// Normalizes a field and scans it once for every group.
    fn new(c: &Classifier, field: Field, orig: &'a str) -> FieldText<'a> {
        let nt = NormText::new(orig);
        let mut hits: [Vec<Hit>; GROUP_COUNT] = Default::default();
        c.lexicon.find_groups(&nt, orig, &mut hits);
        let boiler = match field {
            Field::Text => crate::boilerplate::detect(orig, &nt, &hits[G_BOILER as usize]),
            Field::Title => Vec::new(),
        };
        FieldText {
            field,
            orig,
            nt,
            hits,
            lead: 0..orig.len(),
            boiler,
        }
    }
}

impl Classifier {
    /// Builds a classifier from the rules embedded in the binary.
    pub fn embedded() -> Result<Classifier, RuleErrors> {
        Classifier::from_files(crate::rules::embedded(), "embedded")
    }

    /// Builds a classifier from a rules directory.
    pub fn from_dir(dir: &Path) -> Result<Classifier, RuleErrors> {
        let files = crate::rules::read_dir(dir)?;
        Classifier::from_files(files, &dir.display().to_string())
    }

    /// Builds a classifier from rule files (paths relative to the rules directory).
    pub fn from_files(files: Vec<RuleFile>, source: &str) -> Result<Classifier, RuleErrors> {
        let rules = RuleSet::load(&files)?;
        Ok(Classifier::compile(rules, source))
    }

    /// Compiles a validated rule set.
    pub fn compile(rules: RuleSet, source: &str) -> Classifier {
        // Every surface form the pipeline looks for goes into one automaton, one group per use.
        let mut pats = Vec::new();
        let pat = |norm: &str, exact: Option<String>, payload: u32, group: u8| Pattern {
            norm: norm.to_owned(),
            stem: false,
            exact,
            payload,
            group,
            ..Pattern::default()
        };
        // A form is matched for the entity that owns it: reading `form_owner` once finds them
        // without a key copy and a hash per form (the order does not matter to the matcher).
        for ((norm, case_sensitive), &i) in &rules.form_owner {
            let Some(e) = rules.entities.get(i) else {
                continue;
            };
            for f in &e.forms {
                if f.case_sensitive == *case_sensitive && f.norm == *norm {
                    pats.push(pat(
                        &f.norm,
                        f.case_sensitive.then(|| f.text.clone()),
                        i as u32,
                        G_NAMES,
                    ));
                }
            }
        }
        for (i, e) in rules.entities.iter().enumerate() {
            pats.extend(e.short.iter().map(|s| pat(s, None, i as u32, G_SHORTS)));
        }
        pats.extend(
            rules
                .patterns
                .not_names
                .iter()
                .map(|(norm, _)| pat(norm, None, NOT_A_NAME, G_NAMES)),
        );
        pats.extend(
            rules
                .patterns
                .titles
                .iter()
                .enumerate()
                .map(|(i, (norm, _))| pat(norm, None, i as u32, G_TITLES)),
        );
        let topics = TopicEngine::new(&rules);
        pats.extend(topics.patterns(G_TERMS));
        pats.extend(crate::boilerplate::patterns(&rules.boilerplate, G_BOILER));
        pats.extend(
            rules
                .patterns
                .kin
                .iter()
                .map(|norm| pat(norm, None, 0, G_KIN)),
        );
        pats.extend(
            rules
                .patterns
                .org_heads
                .iter()
                .map(|norm| pat(norm, None, 0, G_HEADS)),
        );
        pats.extend(
            rules
                .patterns
                .speech_verbs
                .iter()
                .map(|norm| pat(norm, None, 0, G_SPEECH)),
        );
        pats.extend(
            rules
                .patterns
                .given_names
                .iter()
                .filter(|n| n.is_ascii())
                .map(|norm| pat(norm, None, 0, G_GIVEN)),
        );
        add_spelling_variants(&mut pats, &rules.spelling);
        let mut counts: rustc_hash::FxHashMap<EntityType, usize> = Default::default();
        for e in &rules.entities {
            *counts.entry(e.entity_type).or_default() += 1;
        }
        let mut per_top: HashMap<String, usize> = HashMap::new();
        for t in &rules.topics {
            let top = rules
                .taxonomy
                .path(&t.id)
                .pop()
                .unwrap_or_default()
                .to_owned();
            *per_top.entry(top).or_default() += 1;
        }
        let mut topic_rule_counts: Vec<(String, usize)> = per_top.into_iter().collect();
        topic_rule_counts.sort();
        let info = RulesInfo {
            version: rules.version.clone(),
            loaded_at: jiff::Timestamp::now(),
            entity_counts: EntityType::ALL
                .iter()
                .filter(|t| **t != EntityType::Date)
                .map(|t| (*t, counts.get(t).copied().unwrap_or(0)))
                .collect(),
            topic_rule_count: rules.topics.len(),
            topic_rule_counts,
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
        };
        let entity_rule_ids = rules
            .entities
            .iter()
            .map(|e| e.rule_id.as_str().into())
            .collect();
        Classifier {
            info,
            lexicon: Matcher::grouped(&pats, &GROUPS),
            topics,
            entity_rule_ids,
            shared: crate::context::SharedNames::new(&rules),
            rules,
        }
    }

    /// Information about the rules in use.
    pub fn info(&self) -> &RulesInfo {
        &self.info
    }

    /// The validated rules.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// Classifies one document.
    pub fn classify(&self, doc: &Document) -> Result<Classification, ClassifyError> {
        if doc.text.trim().is_empty() {
            return Err(ClassifyError::EmptyText);
        }
        if doc.text.len() >= u32::MAX as usize / 2 {
            return Err(ClassifyError::TextTooLong {
                size: doc.text.len(),
                limit: u32::MAX as usize / 2,
            });
        }
        let hinted = language_hint(doc)?;
        let reference = doc.published_at.map(|t| {
            let tz = doc.time_zone.clone().unwrap_or(jiff::tz::TimeZone::UTC);
            t.to_zoned(tz).date()
        });

        let mut fields = Vec::with_capacity(2);
        if !doc.title.trim().is_empty() {
            fields.push(FieldText::new(self, Field::Title, &doc.title));
        }
        let mut text = FieldText::new(self, Field::Text, &doc.text);
        text.lead = lead_range(
            &doc.text,
            &text.boiler,
            if fields.is_empty() { 2 } else { 1 },
        );
        let language = hinted.unwrap_or_else(|| crate::text::detect(&text.nt).to_owned());
        fields.push(text);

        // Entities: gazetteer and dates, then triggers, then propagation.
        let mut accepted: Vec<Candidate> = Vec::new();
        for f in &fields {
            accepted.extend(self.field_entities(f, reference));
        }
        self.shared.resolve(
            &self.rules,
            &mut accepted,
            |c| {
                let f = fields
                    .iter()
                    .find(|f| f.field == c.field)
                    .expect("field exists");
                &f.nt.text[c.norm.clone()]
            },
            &self.entity_rule_ids,
        );
        let term_hits = term_occurrences(&fields);
        let shorts = self.short_hits(&fields, &accepted);
        crate::context::clubs_over_cities(
            &mut accepted,
            &shorts,
            |i| self.rules.entities[i].entity_type,
            || self.sport_story(&term_hits, &shorts),
        );
        let blocked: Vec<(Field, Range<usize>)> = fields
            .iter()
            .flat_map(|f| {
                f.hits[G_NAMES as usize]
                    .iter()
                    .filter(|h| h.payload == NOT_A_NAME)
                    .map(move |h| (f.field, f.nt.orig_range(f.orig, h.norm.clone())))
            })
            .collect();
        let type_of = |i: usize| self.rules.entities[i].entity_type;
        entities::propagate(
            &mut accepted,
            shorts,
            &blocked,
            |c| {
                matches!(
                    c.entity_type(type_of),
                    EntityType::Norp | EntityType::Location
                )
            },
            |c, s| match c.entity_type(type_of) {
                // "وأضاف السوداني" (the prime minister), not "الجيش السوداني".
                EntityType::Norp => s.over_adjective,
                // "برشلونة" in a story that names "نادي برشلونة": the club.
                EntityType::Location => s.options.iter().all(
                    |o| matches!(o, Referent::Known(i) if type_of(*i) == EntityType::Organization),
                ),
                _ => false,
            },
        );
        accepted.retain(|c| {
            let f = fields
                .iter()
                .find(|f| f.field == c.field)
                .expect("field exists");
            !crate::boilerplate::inside(&f.boiler, &c.orig)
        });

        // Topics.
        let entity_hits: Vec<(usize, Occurrence)> = accepted
            .iter()
            .filter_map(|c| match c.referent {
                Referent::Known(i) => {
                    let f = fields
                        .iter()
                        .find(|f| f.field == c.field)
                        .expect("field exists");
                    let lead = c.field == Field::Title
                        || (f.lead.start <= c.orig.start && c.orig.end <= f.lead.end);
                    Some((
                        i,
                        Occurrence {
                            field: c.field,
                            orig: c.orig.clone(),
                            lead,
                        },
                    ))
                }
                _ => None,
            })
            .collect();
        let scored = self.topics.score(
            &term_hits,
            &entity_hits,
            &self.rules,
            doc.options.include_evidence,
        );

        // Offsets: register every boundary, convert once per field.
        let unit = doc.offset_unit;
        let slot = |f: Field| usize::from(f == Field::Title);
        let mut conv: [UnitConverter; 2] = Default::default();
        for c in &accepted {
            let u = &mut conv[slot(c.field)];
            u.add(c.orig.start);
            u.add(c.orig.end);
        }
        if doc.options.include_evidence {
            for e in scored.iter().flat_map(|s| &s.evidence) {
                let u = &mut conv[slot(e.field)];
                u.add(e.orig.start);
                u.add(e.orig.end);
            }
        }
        let text_boiler = &fields.last().expect("text field").boiler;
        for b in text_boiler {
            conv[0].add(b.start);
            conv[0].add(b.end);
        }
        let [text_conv, title_conv] = conv;
        let converted: [Converted; 2] = [
            text_conv.finish(&doc.text, unit),
            title_conv.finish(&doc.title, unit),
        ];
        let at = |field: Field, b: usize| converted[slot(field)].get(b);

        let topics = self.build_topics(scored, doc, &at);
        let entities = self.build_entities(accepted, doc, &at);
        Ok(Classification {
            id: doc.id.clone(),
            language,
            topics,
            entities,
            offset_unit: unit,
            rules_version: self.info.version.clone(),
            boilerplate: text_boiler
                .iter()
                .map(|b| Span {
                    start: at(Field::Text, b.start),
                    end: at(Field::Text, b.end),
                })
                .collect(),
        })
    }

    /// Gazetteer, date and trigger candidates of one field, overlaps resolved.
    fn field_entities(
        &self,
        f: &FieldText,
        reference: Option<jiff::civil::Date>,
    ) -> Vec<Candidate> {
        let mut cands: Vec<Candidate> = f.hits[G_NAMES as usize]
            .iter()
            .filter(|h| h.payload != NOT_A_NAME)
            .map(|h| {
                let idx = h.payload as usize;
                let e = &self.rules.entities[idx];
                let short = !f.nt.text[h.norm.clone()].contains(' ') && h.norm.len() <= 6;
                Candidate {
                    field: f.field,
                    orig: f.nt.orig_range(f.orig, h.norm.clone()),
                    norm: h.norm.clone(),
                    referent: Referent::Known(idx),
                    rule_id: self.entity_rule_ids[idx].clone(),
                    confidence: if h.clitic { 0.9 } else { 0.95 } - if short { 0.1 } else { 0.0 },
                    priority: e.priority.clamp(-100, 100),
                    role: String::new(),
                }
            })
            .collect();
        for d in self.rules.dates.find(&f.nt, reference) {
            let key = if d.value.is_empty() {
                format!("~{}", &f.nt.text[d.norm.clone()])
            } else {
                d.value.clone()
            };
            cands.push(Candidate {
                field: f.field,
                orig: f.nt.orig_range(f.orig, d.norm.clone()),
                norm: d.norm,
                referent: Referent::Date(key),
                rule_id: d.rule_id.into(),
                confidence: d.confidence,
                priority: 0,
                role: String::new(),
            });
        }
        let resolved = entities::resolve_overlaps(cands);
        let mut typed: Vec<(Candidate, EntityType)> = resolved
            .into_iter()
            .map(|c| {
                let t = c.entity_type(|i| self.rules.entities[i].entity_type);
                (c, t)
            })
            .collect();
        let cx = triggers::Context {
            nt: &f.nt,
            orig: f.orig,
            field: f.field,
            patterns: &self.rules.patterns,
            title_hits: &f.hits[G_TITLES as usize],
            kin_hits: &f.hits[G_KIN as usize],
            head_hits: &f.hits[G_HEADS as usize],
            speech_hits: &f.hits[G_SPEECH as usize],
            given_hits: &f.hits[G_GIVEN as usize],
        };
        let found = triggers::find(&cx, &mut typed);
        let mut all: Vec<Candidate> = typed.into_iter().map(|(c, _)| c).collect();
        all.extend(found);
        entities::resolve_overlaps(all)
    }

    /// Whether the words of the document (`term_hits`, outside boilerplate) speak for sport
    /// about as strongly as it takes to emit the sport topic on terms alone (`1 − e^−0.7 ≈ 0.5`).
    /// Terms that are short forms ("برشلونة", a football term too) do not count: they are what
    /// is to be decided.
    fn sport_story(&self, term_hits: &[(u32, Occurrence)], shorts: &[ShortHit]) -> bool {
        let short_at: HashSet<(Field, usize)> = shorts
            .iter()
            .map(|s| (s.cand.field, s.cand.orig.start))
            .collect();
        let hits = term_hits
            .iter()
            .filter(|(_, o)| !short_at.contains(&(o.field, o.orig.start)))
            .map(|(t, _)| *t);
        self.topics.term_weight_under(hits, SPORT) >= SPORT_STORY_WEIGHT
    }

    /// Short-form occurrences: gazetteer short forms, and the last word of unlisted persons' names.
    fn short_hits(&self, fields: &[FieldText], accepted: &[Candidate]) -> Vec<ShortHit> {
        let mut unlisted: HashMap<String, Vec<Referent>> = HashMap::new();
        for c in accepted {
            if let Referent::Unlisted(EntityType::Person, key) = &c.referent {
                if let Some((_, last)) = key.rsplit_once(' ') {
                    if last.chars().count() >= 3 && !self.rules.patterns.stopwords.contains(last) {
                        let v = unlisted.entry(last.to_owned()).or_default();
                        if !v.contains(&c.referent) {
                            v.push(c.referent.clone());
                        }
                    }
                }
            }
        }
        let unlisted_keys: HashSet<String> = unlisted.keys().cloned().collect();
        let mut out = Vec::new();
        for f in fields {
            let hits = &f.hits[G_SHORTS as usize];
            // Hits of one span (a short form shared by several people) are one occurrence.
            for group in hits.chunk_by(|a, b| a.norm == b.norm) {
                let options = group
                    .iter()
                    .map(|h| Referent::Known(h.payload as usize))
                    .collect();
                out.push(ShortHit {
                    cand: self.short_candidate(f, group[0].norm.clone(), "propagation"),
                    options,
                    over_adjective: not_after_definite(&f.nt, group[0].norm.start),
                });
            }
            if unlisted.is_empty() {
                continue;
            }
            for (i, t) in f.nt.tokens.iter().enumerate() {
                let tok = f.nt.token_text(i);
                if let Some(clitic) = triggers::clitic_lookup(&unlisted_keys, tok) {
                    let key = &tok[clitic..];
                    let norm = t.norm.start + clitic..t.norm.end;
                    out.push(ShortHit {
                        over_adjective: not_after_definite(&f.nt, norm.start),
                        cand: self.short_candidate(f, norm, "propagation"),
                        options: unlisted[key].clone(),
                    });
                }
            }
        }
        out
    }

    fn short_candidate(&self, f: &FieldText, norm: Range<usize>, rule: &str) -> Candidate {
        Candidate {
            field: f.field,
            orig: f.nt.orig_range(f.orig, norm.clone()),
            norm,
            referent: Referent::Date(String::new()),
            rule_id: rule.into(),
            confidence: 0.75,
            priority: -2,
            role: String::new(),
        }
    }

    fn build_topics(
        &self,
        scored: Vec<crate::topics::Scored>,
        doc: &Document,
        at: &dyn Fn(Field, usize) -> u32,
    ) -> Vec<Topic> {
        let mut out: Vec<Topic> = scored
            .into_iter()
            .filter(|s| s.score >= doc.options.min_topic_score)
            .map(|s| {
                let c = self.rules.taxonomy.get(&s.id);
                Topic {
                    label: c.map(|c| c.label_en.clone()).unwrap_or_default(),
                    label_ar: c.map(|c| c.label_ar.clone()).unwrap_or_default(),
                    parent_id: c.map(|c| c.parent.clone()).unwrap_or_default(),
                    evidence: if doc.options.include_evidence {
                        s.evidence
                            .iter()
                            .map(|e| {
                                let text = if e.field == Field::Title {
                                    &doc.title
                                } else {
                                    &doc.text
                                };
                                Evidence {
                                    rule_id: e.rule_id.clone(),
                                    text: text[e.orig.clone()].to_owned(),
                                    start: at(e.field, e.orig.start),
                                    end: at(e.field, e.orig.end),
                                    weight: e.weight,
                                    field: e.field,
                                }
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
        if doc.options.max_topics > 0 {
            out.truncate(doc.options.max_topics);
        }
        out
    }

    fn build_entities(
        &self,
        accepted: Vec<Candidate>,
        doc: &Document,
        at: &dyn Fn(Field, usize) -> u32,
    ) -> Vec<Entity> {
        let groups = entities::group(accepted);
        let max = groups.iter().map(|g| g.1.len()).max().unwrap_or(1);
        let len = doc.text.len().max(1) as f64;
        let headline_end = doc.text.find('\n').unwrap_or(doc.text.len());
        let mut out: Vec<(usize, Entity)> = Vec::new();
        for (referent, cands) in groups {
            let ty = cands[0].entity_type(|i| self.rules.entities[i].entity_type);
            if !doc.options.entity_types.is_empty() && !doc.options.entity_types.contains(&ty) {
                continue;
            }
            let first_text = cands
                .iter()
                .find(|c| c.field == Field::Text)
                .map_or(0, |c| c.orig.start);
            let in_title = cands.iter().any(|c| {
                c.field == Field::Title || (doc.title.is_empty() && c.orig.end <= headline_end)
            });
            let first_orig = |field: Field, r: &Range<usize>| {
                let t = if field == Field::Title {
                    &doc.title
                } else {
                    &doc.text
                };
                t[r.clone()].to_owned()
            };
            let wikidata_id = match &referent {
                Referent::Known(i) => self.rules.entities[*i].wikidata.clone(),
                _ => String::new(),
            };
            let (id, name, name_ar) = match &referent {
                Referent::Known(i) => {
                    let e = &self.rules.entities[*i];
                    (e.id.clone(), e.name_en.clone(), e.name_ar.clone())
                }
                Referent::Unlisted(t, key) => {
                    let prefix = if *t == EntityType::Person {
                        "person"
                    } else {
                        "org"
                    };
                    let text = first_orig(cands[0].field, &cands[0].orig);
                    let ar = if text.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)) {
                        text.clone()
                    } else {
                        String::new()
                    };
                    (
                        format!("{prefix}/unlisted/{}", key.replace(' ', "-")),
                        text,
                        ar,
                    )
                }
                Referent::Date(key) => {
                    let text = first_orig(cands[0].field, &cands[0].orig);
                    match key.strip_prefix('~') {
                        Some(k) => (
                            format!("date/unresolved/{}", k.replace(' ', "-")),
                            text.clone(),
                            String::new(),
                        ),
                        None => (format!("date/{key}"), key.clone(), String::new()),
                    }
                }
            };
            let salience = entities::salience(cands.len(), max, first_text as f64 / len, in_title);
            let value = match &referent {
                Referent::Date(k) if !k.starts_with('~') => k.clone(),
                _ => String::new(),
            };
            let mentions = cands
                .into_iter()
                .map(|c| Mention {
                    start: at(c.field, c.orig.start),
                    end: at(c.field, c.orig.end),
                    text: first_orig(c.field, &c.orig),
                    // One exact allocation (`to_string` would go through `Display`).
                    rule_id: String::from(&*c.rule_id),
                    confidence: c.confidence,
                    value: value.clone(),
                    role: c.role,
                    field: c.field,
                })
                .collect();
            out.push((
                first_text,
                Entity {
                    id,
                    entity_type: ty,
                    name,
                    name_ar,
                    wikidata_id,
                    salience,
                    mentions,
                },
            ));
        }
        out.sort_by(|a, b| b.1.salience.total_cmp(&a.1.salience).then(a.0.cmp(&b.0)));
        out.into_iter().map(|(_, e)| e).collect()
    }
}

/// The topic term hits of every field outside boilerplate, as (term index, occurrence).
fn term_occurrences(fields: &[FieldText]) -> Vec<(u32, Occurrence)> {
    let mut out = Vec::new();
    for f in fields {
        for h in &f.hits[G_TERMS as usize] {
            let orig = f.nt.orig_range(f.orig, h.norm.clone());
            if crate::boilerplate::inside(&f.boiler, &orig) {
                continue;
            }
            let lead =
                f.field == Field::Title || (f.lead.start <= orig.start && orig.end <= f.lead.end);
            out.push((
                h.payload,
                Occurrence {
                    field: f.field,
                    orig,
                    lead,
                },
            ));
        }
    }
    out
}

/// Adds, for every pattern that contains an interchangeable spelling, a pattern for each other
/// spelling ("الحزب الديموقراطي" for "الحزب الديمقراطي"), unless its group already has that string
/// (what the rule files list wins). Case-sensitive forms are left as written.
fn add_spelling_variants(pats: &mut Vec<Pattern>, spelling: &crate::rules::spelling::Spellings) {
    if spelling.is_empty() {
        return;
    }
    let mut added: Vec<Pattern> = Vec::new();
    for p in pats.iter().filter(|p| p.exact.is_none()) {
        for v in crate::rules::spelling::variants(&p.norm, spelling) {
            added.push(Pattern {
                norm: v,
                ..p.clone()
            });
        }
    }
    if added.is_empty() {
        return;
    }
    // Only the strings of the variants are looked up, not every pattern hashed.
    let wanted: rustc_hash::FxHashSet<(u8, &str)> =
        added.iter().map(|a| (a.group, a.norm.as_str())).collect();
    let existing: rustc_hash::FxHashSet<(u8, &str)> = pats
        .iter()
        .map(|p| (p.group, p.norm.as_str()))
        .filter(|k| wanted.contains(k))
        .collect();
    added.retain(|a| !existing.contains(&(a.group, a.norm.as_str())));
    pats.extend(added);
}

/// Whether the word at normalized byte `pos` does not follow a definite word: a nationality
/// adjective follows the noun it qualifies ("الجيش السوداني"), a surname used alone does not
/// ("وأضاف السوداني"). The first word of a text or after punctuation does not follow one either.
fn not_after_definite(nt: &NormText, pos: usize) -> bool {
    match nt.token_at(pos) {
        Some(i) if i > 0 => {
            let prev = &nt.tokens[i - 1];
            prev.kind == crate::text::TokenKind::Punct || !nt.token_text(i - 1).starts_with("ال")
        }
        _ => true,
    }
}

/// The hint's primary subtag, or `None` when there is no hint (the language is then detected).
fn language_hint(doc: &Document) -> Result<Option<String>, ClassifyError> {
    let hint = doc.language.trim();
    if hint.is_empty() {
        return Ok(None);
    }
    let mut parts = hint.split(['-', '_']);
    let primary = parts.next().unwrap_or("");
    let ok = (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && parts
            .all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()));
    if !ok {
        return Err(ClassifyError::InvalidArgument {
            field: "language",
            message: format!("{hint:?} is not a BCP-47 language tag"),
        });
    }
    Ok(Some(primary.to_ascii_lowercase()))
}

/// The first `lines` non-empty lines of `text` that are not boilerplate.
fn lead_range(text: &str, boiler: &[Range<usize>], lines: usize) -> Range<usize> {
    let mut start = None;
    let mut end = 0;
    let mut seen = 0;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let r = pos..pos + line.trim_end().len();
        pos += line.len();
        if line.trim().is_empty()
            || crate::boilerplate::inside(
                boiler,
                &(r.start + (line.len() - line.trim_start().len())..r.end),
            )
        {
            continue;
        }
        start.get_or_insert(r.start);
        end = r.end;
        seen += 1;
        if seen == lines {
            break;
        }
    }
    start.unwrap_or(0)..end
}

impl OffsetUnit {
    /// Short name for the CLI (`cp`, `utf8`, `utf16`).
    pub fn short_name(self) -> &'static str {
        match self {
            OffsetUnit::CodePoint => "cp",
            OffsetUnit::Utf8Byte => "utf8",
            OffsetUnit::Utf16CodeUnit => "utf16",
        }
    }
}
