//! Topic scoring: weighted terms and entity signals → IPTC topics with evidence.
//!
//! For each topic, every term adds its weight for its first occurrence and half as much for each
//! repeat (w, w/2, w/4, ...); occurrences in the title or the lead count 1.5×; mentions of the
//! topic's entities add their weight the same way. `score = 1 - exp(-sum)`, in [0, 1). A topic is
//! emitted when its score reaches its threshold, one of its `require` terms fired (if it has
//! any) and none of its `exclude` terms did. An emitted topic implies its ancestors, which get at
//! least its score. Boilerplate never counts.

use rustc_hash::FxHashMap as HashMap;
use std::ops::Range;

use crate::matcher::Pattern;
use crate::model::Field;
use crate::rules::topics::TermRole;
use crate::rules::RuleSet;

/// Boost of an occurrence in the title or lead.
const LEAD_BOOST: f64 = 1.5;
/// Factor applied to each repeat of the same term.
const REPEAT_DECAY: f64 = 0.5;

#[derive(Clone, Debug)]
struct TermRef {
    topic: u32,
    weight: f64,
    role: TermRole,
    rule_id: String,
}

#[derive(Clone, Debug)]
struct CompiledTopic {
    id: String,
    /// Qcode of its top-level ancestor (itself at the top).
    top: String,
    threshold: f64,
    has_require: bool,
}

/// Compiled topic rules.
#[derive(Clone, Debug)]
pub struct TopicEngine {
    /// One pattern per term (payload: term index), to be matched in `Mode::Term`, overlapping.
    patterns: Vec<Pattern>,
    terms: Vec<TermRef>,
    topics: Vec<CompiledTopic>,
    /// Entity index → (topic, weight, rule id).
    entity_signals: HashMap<usize, Vec<(u32, f64, String)>>,
    /// Qcode → index of its rule.
    own: HashMap<String, usize>,
}

/// One occurrence that fired for a topic.
#[derive(Clone, Debug, PartialEq)]
pub struct RawEvidence {
    /// `file:line` of the term or entity signal.
    pub rule_id: String,
    /// Field of the span.
    pub field: Field,
    /// Byte range in that field's original text.
    pub orig: Range<usize>,
    /// Contribution to the raw sum.
    pub weight: f64,
}

/// A scored topic (before conversion to the response).
#[derive(Clone, Debug, PartialEq)]
pub struct Scored {
    /// Qcode.
    pub id: String,
    /// Score in [0, 1].
    pub score: f64,
    /// What fired, in the order it was counted.
    pub evidence: Vec<RawEvidence>,
}

/// A term or entity occurrence to score: where it is and whether it is in the title/lead.
#[derive(Clone, Debug)]
pub struct Occurrence {
    /// Field.
    pub field: Field,
    /// Byte range in the field's original text.
    pub orig: Range<usize>,
    /// In the title or the lead paragraph.
    pub lead: bool,
}

impl TopicEngine {
    /// Compiles the topic rules of a validated rule set.
    pub fn new(rules: &RuleSet) -> TopicEngine {
        let mut terms = Vec::new();
        let mut patterns = Vec::new();
        let mut topics = Vec::new();
        // The entities the topic rules name (the last of an id, should ids repeat): the
        // gazetteer is read once, only these few ids are kept.
        let mut ids: HashMap<&str, Option<usize>> = rules
            .topics
            .iter()
            .flat_map(|t| &t.entities)
            .map(|(eid, _, _)| (eid.as_str(), None))
            .collect();
        for (i, e) in rules.entities.iter().enumerate() {
            if let Some(x) = ids.get_mut(e.id.as_str()) {
                *x = Some(i);
            }
        }
        let mut entity_signals: HashMap<usize, Vec<(u32, f64, String)>> = HashMap::default();
        for (ti, t) in rules.topics.iter().enumerate() {
            topics.push(CompiledTopic {
                id: t.id.clone(),
                top: rules
                    .taxonomy
                    .path(&t.id)
                    .last()
                    .map_or_else(|| t.id.clone(), |q| (*q).to_owned()),
                threshold: t.threshold,
                has_require: t.terms.iter().any(|x| x.role == TermRole::Require),
            });
            for term in &t.terms {
                patterns.push(Pattern::new(
                    term.norm.clone(),
                    term.stem,
                    None,
                    terms.len() as u32,
                ));
                terms.push(TermRef {
                    topic: ti as u32,
                    weight: term.weight,
                    role: term.role,
                    rule_id: term.rule_id.clone(),
                });
            }
            for (eid, w, rid) in &t.entities {
                if let Some(&Some(e)) = ids.get(eid.as_str()) {
                    entity_signals
                        .entry(e)
                        .or_default()
                        .push((ti as u32, *w, rid.clone()));
                }
            }
        }
        let own = topics
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.clone(), i))
            .collect();
        TopicEngine {
            own,
            patterns,
            terms,
            topics,
            entity_signals,
        }
    }

    /// The sum of the weights of the distinct weighted terms among `term_hits` (term indices)
    /// whose topic is under the top-level topic `top`: how strongly the words of a text alone
    /// speak for it, before entities are known.
    pub fn term_weight_under(&self, term_hits: impl Iterator<Item = u32>, top: &str) -> f64 {
        let mut seen: Vec<u32> = term_hits
            .filter(|&t| {
                let t = &self.terms[t as usize];
                t.role == TermRole::Weight && self.topics[t.topic as usize].top == top
            })
            .collect();
        seen.sort_unstable();
        seen.dedup();
        seen.iter().map(|&t| self.terms[t as usize].weight).sum()
    }

    /// The term patterns, in `group`: the caller matches them in `Mode::Term` and reports every
    /// hit (overlapping); [`TopicEngine::score`] resolves overlaps per topic.
    pub fn patterns(&self, group: u8) -> impl Iterator<Item = Pattern> + '_ {
        self.patterns
            .iter()
            .map(move |p| Pattern { group, ..p.clone() })
    }

    /// Scores the topics (collecting evidence only when asked). `term_hits` are (term index, occurrence) of terms outside boilerplate; `entity_hits` are (entity index, occurrence) of resolved mentions.
    pub fn score(
        &self,
        term_hits: &[(u32, Occurrence)],
        entity_hits: &[(usize, Occurrence)],
        rules: &RuleSet,
        with_evidence: bool,
    ) -> Vec<Scored> {
        let nt = self.topics.len();
        let mut raw = vec![0.0f64; nt];
        let mut required = vec![false; nt];
        let mut excluded = vec![false; nt];
        // Per topic, only when asked for.
        let mut evidence: Vec<Vec<RawEvidence>> = if with_evidence {
            vec![Vec::new(); nt]
        } else {
            Vec::new()
        };
        let mut repeats: rustc_hash::FxHashMap<(u32, usize), i32> = Default::default();
        repeats.reserve(term_hits.len() + entity_hits.len());
        let mut add = |topic: u32,
                       key: usize,
                       weight: f64,
                       rule_id: &str,
                       occ: &Occurrence,
                       raw: &mut Vec<f64>,
                       evidence: &mut Vec<Vec<RawEvidence>>| {
            let k = repeats.entry((topic, key)).or_insert(0);
            let w = weight * REPEAT_DECAY.powi(*k) * if occ.lead { LEAD_BOOST } else { 1.0 };
            *k += 1;
            raw[topic as usize] += w;
            if !with_evidence {
                return;
            }
            evidence[topic as usize].push(RawEvidence {
                rule_id: rule_id.to_owned(),
                field: occ.field,
                orig: occ.orig.clone(),
                weight: round3(w),
            });
        };
        // Every topic sees its own terms leftmost-longest: a longer term of the topic hides the
        // shorter ones inside it ("البيئة الأمنية" hides "بيئة"), but never another topic's terms.
        // One sort puts each topic's hits together, in text order, longest first at a start.
        let mut order: Vec<(u32, bool, usize, std::cmp::Reverse<usize>, usize)> = term_hits
            .iter()
            .enumerate()
            .map(|(i, (ti, occ))| {
                (
                    self.terms[*ti as usize].topic,
                    occ.field != Field::Title,
                    occ.orig.start,
                    std::cmp::Reverse(occ.orig.end),
                    i,
                )
            })
            .collect();
        order.sort_unstable();
        for hits in order.chunk_by(|a, b| a.0 == b.0) {
            // The last kept occurrence; others on the very same span are kept too (a term that
            // is both weighted and required, or listed twice).
            let mut last: Option<(Field, Range<usize>)> = None;
            for &(.., i) in hits {
                let (ti, occ) = &term_hits[i];
                if let Some((f, r)) = &last {
                    if *f == occ.field && occ.orig.start < r.end && occ.orig != *r {
                        continue;
                    }
                }
                last = Some((occ.field, occ.orig.clone()));
                let t = &self.terms[*ti as usize];
                match t.role {
                    TermRole::Weight => add(
                        t.topic,
                        *ti as usize,
                        t.weight,
                        &t.rule_id,
                        occ,
                        &mut raw,
                        &mut evidence,
                    ),
                    TermRole::Require => required[t.topic as usize] = true,
                    TermRole::Exclude => excluded[t.topic as usize] = true,
                }
            }
        }
        for (entity, occ) in entity_hits {
            for (topic, w, rid) in self.entity_signals.get(entity).into_iter().flatten() {
                add(
                    *topic,
                    usize::MAX - entity,
                    *w,
                    rid,
                    occ,
                    &mut raw,
                    &mut evidence,
                );
            }
        }
        let own = &self.own;
        let mut emitted: HashMap<&str, Scored> = HashMap::default();
        for (i, t) in self.topics.iter().enumerate() {
            let score = 1.0 - (-raw[i]).exp();
            if score < t.threshold || excluded[i] || (t.has_require && !required[i]) {
                continue;
            }
            for (depth, q) in rules.taxonomy.path(&t.id).into_iter().enumerate() {
                if rules.taxonomy.get(q).is_none_or(|c| c.retired) {
                    break;
                }
                let entry = emitted.entry(q).or_insert_with(|| {
                    let j = own.get(q).copied();
                    Scored {
                        id: q.to_owned(),
                        score: j.map_or(0.0, |j| 1.0 - (-raw[j]).exp()),
                        // A concept's entry is made once: its evidence can move.
                        evidence: j
                            .and_then(|j| evidence.get_mut(j))
                            .map(std::mem::take)
                            .unwrap_or_default(),
                    }
                });
                if depth > 0 || entry.score < score {
                    entry.score = entry.score.max(score);
                }
            }
        }
        let mut out: Vec<Scored> = emitted.into_values().collect();
        for s in &mut out {
            s.score = round3(s.score);
        }
        out.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
        out
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
