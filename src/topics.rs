//! Topic scoring: weighted terms and entity signals → IPTC topics with evidence.
//!
//! For each topic rule, every term adds its weight for its first occurrence, half and a quarter
//! for two repeats, nothing after; occurrences in the title count 2×, in the lead 1.5×; mentions of
//! the topic's entities add their weight the same way; `not` phrases drop the hits they overlap.
//! A top-level topic sums the evidence of its whole subtree (each span once, at the weight the
//! top-level rule gives its string, or the highest a subtopic gives it when the top does not list it). `score(top) = (1 − e^−E) × (E / total)^(1/3)`, and a subtopic
//! scores `(1 − e^−E_sub) × (E_top / total)^(1/3)`, at most its top's score (DESIGN.md "Topic
//! scoring"). A topic is emitted when its score reaches its threshold, one of its `require`
//! terms fired (if it has any) and none of its `exclude` terms did; the top-level topic with the
//! most evidence is always emitted. An emitted topic implies its ancestors, which get at least
//! its score. Boilerplate never counts.

use rustc_hash::FxHashMap as HashMap;
use std::ops::Range;

use crate::matcher::Pattern;
use crate::model::Field;
use crate::rules::topics::TermRole;
use crate::rules::RuleSet;

/// Boost of an occurrence in the title.
const TITLE_BOOST: f64 = 2.0;
/// Boost of an occurrence in the lead.
const LEAD_BOOST: f64 = 1.5;
/// Factor applied to each repeat of the same term.
const REPEAT_DECAY: f64 = 0.5;
/// Occurrences of one term that count (the first and two repeats): a word repeated through a
/// long article does not outweigh the other words of a topic.
const MAX_COUNTED: i32 = 3;

/// Index of a topic rule in [`TopicEngine::topics`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct TopicId(u32);

impl TopicId {
    fn index(self) -> usize {
        self.0 as usize
    }
}

/// Index of a top-level topic in [`TopicEngine::tops`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct TopId(u32);

impl TopId {
    fn index(self) -> usize {
        self.0 as usize
    }
}

/// What a repeat is counted for: a topic's own sum, or a top-level topic's sum over its
/// subtree. Kept apart, so a topic and a top-level topic of the same index never share a count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Sum {
    Own(TopicId),
    Top(TopId),
}

#[derive(Clone, Debug)]
struct TermRef {
    topic: TopicId,
    weight: f64,
    role: TermRole,
    /// For a `not` phrase that guards one term: that term's index.
    blocks: Option<u32>,
    /// Index of the term's string in its top-level topic's aggregate (see [`TopicEngine::agg_weight`]).
    agg: u32,
    rule_id: String,
}

#[derive(Clone, Debug)]
struct CompiledTopic {
    id: String,
    /// Its top-level ancestor (itself at the top).
    top: TopId,
    threshold: f64,
    has_require: bool,
}

/// A top-level topic, whose evidence is that of its whole subtree.
#[derive(Clone, Debug)]
struct Top {
    id: String,
    /// Index of its own rule, if it has one.
    rule: Option<usize>,
}

/// Compiled topic rules.
#[derive(Clone, Debug)]
pub struct TopicEngine {
    /// One pattern per term (payload: term index), to be matched in `Mode::Term`, overlapping.
    patterns: Vec<Pattern>,
    terms: Vec<TermRef>,
    topics: Vec<CompiledTopic>,
    /// The top-level topics of the rules.
    tops: Vec<Top>,
    /// Per aggregate string (a term string under one top-level topic): the weight its top-level
    /// rule gives it, or, when that rule does not list it, the highest weight its subtopics give
    /// it. The top-level evidence counts each string once.
    agg_weight: Vec<f64>,
    /// Entity index → (topic, weight, rule id).
    entity_signals: HashMap<usize, Vec<(TopicId, f64, String)>>,
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
        let mut tops: Vec<Top> = Vec::new();
        let mut top_index: HashMap<String, u32> = HashMap::default();
        let mut agg_index: HashMap<(u32, String, bool), u32> = HashMap::default();
        // Per aggregate string: the highest weight its subtopics give it, and the highest its
        // top-level rule gives it (0 when the top-level rule does not list it).
        let mut agg_count: u32 = 0;
        let mut agg_weight: Vec<f64> = Vec::new();
        let mut agg_top: Vec<f64> = Vec::new();
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
        let mut entity_signals: HashMap<usize, Vec<(TopicId, f64, String)>> = HashMap::default();
        for (ti, t) in rules.topics.iter().enumerate() {
            let top_id = rules
                .taxonomy
                .path(&t.id)
                .last()
                .map_or_else(|| t.id.clone(), |q| (*q).to_owned());
            let top = *top_index.entry(top_id.clone()).or_insert_with(|| {
                tops.push(Top {
                    id: top_id.clone(),
                    rule: None,
                });
                (tops.len() - 1) as u32
            });
            let is_top = top_id == t.id;
            if is_top {
                tops[top as usize].rule = Some(ti);
            }
            topics.push(CompiledTopic {
                id: t.id.clone(),
                top: TopId(top),
                threshold: t.threshold,
                has_require: t.terms.iter().any(|x| x.role == TermRole::Require),
            });
            let first = terms.len() as u32;
            for term in &t.terms {
                let mut p = Pattern::new(term.norm.clone(), term.stem, None, terms.len() as u32);
                if let Some(w) = &term.as_written {
                    p.exact = Some(w.clone());
                    p.written = true;
                }
                if term.stem {
                    p.extra = term.extra;
                }
                patterns.push(p);
                let agg = *agg_index
                    .entry((top, term.norm.clone(), term.stem))
                    .or_insert_with(|| {
                        agg_count += 1;
                        agg_count - 1
                    });
                if term.role == TermRole::Weight {
                    // The top-level rule's own weight for a string wins over its subtopics'.
                    let slot = if is_top {
                        &mut agg_top
                    } else {
                        &mut agg_weight
                    };
                    if slot.len() <= agg as usize {
                        slot.resize(agg as usize + 1, 0.0);
                    }
                    let w = &mut slot[agg as usize];
                    *w = w.max(term.weight);
                }
                terms.push(TermRef {
                    topic: TopicId(ti as u32),
                    weight: term.weight,
                    role: term.role,
                    blocks: match term.role {
                        TermRole::Not { blocks } => blocks.map(|b| first + b as u32),
                        _ => None,
                    },
                    agg,
                    rule_id: term.rule_id.clone(),
                });
            }
            for (eid, w, rid) in &t.entities {
                if let Some(&Some(e)) = ids.get(eid.as_str()) {
                    entity_signals.entry(e).or_default().push((
                        TopicId(ti as u32),
                        *w,
                        rid.clone(),
                    ));
                }
            }
        }
        agg_weight.resize(agg_count as usize, 0.0);
        agg_top.resize(agg_count as usize, 0.0);
        for (w, t) in agg_weight.iter_mut().zip(&agg_top) {
            if *t > 0.0 {
                *w = *t;
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
            tops,
            agg_weight,
            entity_signals,
        }
    }

    /// The sum of the weights of the distinct weighted terms among `term_hits` (term indices)
    /// whose topic is under the top-level topic `top`: how strongly the words of a text alone
    /// speak for it, before entities are known.
    pub fn term_weight_under(&self, term_hits: impl Iterator<Item = u32>, top: &str) -> f64 {
        let Some(top) = self.tops.iter().position(|t| t.id == top) else {
            return 0.0;
        };
        let mut seen: Vec<u32> = term_hits
            .filter(|&t| {
                let t = &self.terms[t as usize];
                t.role == TermRole::Weight && self.topics[t.topic.index()].top.index() == top
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

    /// Scores the topics (collecting evidence only when asked). `term_hits` are (term index,
    /// occurrence) of terms outside boilerplate; `entity_hits` are (entity index, occurrence) of
    /// resolved mentions. See the module documentation for the formula.
    pub fn score(
        &self,
        term_hits: &[(u32, Occurrence)],
        entity_hits: &[(usize, Occurrence)],
        rules: &RuleSet,
        with_evidence: bool,
    ) -> Vec<Scored> {
        let nt = self.topics.len();
        let mut own = vec![0.0f64; nt];
        let mut agg = vec![0.0f64; self.tops.len()];
        let mut required = vec![false; nt];
        let mut excluded = vec![false; nt];
        // Per topic, only when asked for.
        let mut evidence: Vec<Vec<RawEvidence>> = if with_evidence {
            vec![Vec::new(); nt]
        } else {
            Vec::new()
        };
        // How many times a key has counted: (own sum of a topic, term or entity) and (sum of a
        // top-level topic, aggregate string or entity); an entity is `usize::MAX - index`.
        let mut repeats: HashMap<(Sum, usize), i32> = HashMap::default();
        repeats.reserve(term_hits.len() + entity_hits.len());
        let mut counted = |key: (Sum, usize), occ: &Occurrence| -> f64 {
            let k = repeats.entry(key).or_insert(0);
            *k += 1;
            if *k > MAX_COUNTED {
                return 0.0;
            }
            REPEAT_DECAY.powi(*k - 1) * boost(occ)
        };
        // `not` phrases: every hit of the terms they guard that they overlap is dropped.
        let nots: Vec<(&TermRef, &Occurrence)> = term_hits
            .iter()
            .filter_map(|(ti, occ)| {
                let t = &self.terms[*ti as usize];
                matches!(t.role, TermRole::Not { .. }).then_some((t, occ))
            })
            .collect();
        let blocked = |ti: u32, occ: &Occurrence| {
            let topic = self.terms[ti as usize].topic;
            nots.iter().any(|(n, o)| {
                n.topic == topic
                    && n.blocks.is_none_or(|b| b == ti)
                    && o.field == occ.field
                    && o.orig.start < occ.orig.end
                    && occ.orig.start < o.orig.end
            })
        };
        // Every topic sees its own terms leftmost-longest: a longer term of the topic hides the
        // shorter ones inside it ("البيئة الأمنية" hides "بيئة"), but never another topic's terms.
        // Each topic's hits together, in text order, longest first at a start.
        let candidates: Vec<usize> = term_hits
            .iter()
            .enumerate()
            .filter(|(_, (ti, occ))| {
                !matches!(self.terms[*ti as usize].role, TermRole::Not { .. })
                    && (nots.is_empty() || !blocked(*ti, occ))
            })
            .map(|(i, _)| i)
            .collect();
        let topic_of = |i: usize| self.terms[term_hits[i].0 as usize].topic.0;
        let order = by_group(term_hits, &candidates, self.topics.len(), topic_of);
        // The weighted hits each topic kept, for the top-level sums.
        let mut kept = vec![false; term_hits.len()];
        for hits in order.chunk_by(|a, b| a.0 == b.0) {
            // The last kept occurrence; others on the very same span are kept too (a term that
            // is both weighted and required, or listed twice).
            let mut last: Option<(Field, Range<usize>)> = None;
            for &(_, i) in hits {
                let (ti, occ) = &term_hits[i];
                if let Some((f, r)) = &last {
                    if *f == occ.field && occ.orig.start < r.end && occ.orig != *r {
                        continue;
                    }
                }
                last = Some((occ.field, occ.orig.clone()));
                let t = &self.terms[*ti as usize];
                match t.role {
                    TermRole::Weight => {
                        let w = t.weight * counted((Sum::Own(t.topic), *ti as usize), occ);
                        own[t.topic.index()] += w;
                        kept[i] = true;
                        if with_evidence && w > 0.0 {
                            evidence[t.topic.index()].push(RawEvidence {
                                rule_id: t.rule_id.clone(),
                                field: occ.field,
                                orig: occ.orig.clone(),
                                weight: round3(w),
                            });
                        }
                    }
                    TermRole::Require => required[t.topic.index()] = true,
                    TermRole::Exclude => excluded[t.topic.index()] = true,
                    TermRole::Not { .. } => {}
                }
            }
        }
        // Top-level sums: the hits of a whole subtree, leftmost-longest again, each span once
        // with the highest weight of the strings on it, each string counted as one term.
        let top_of = |i: usize| self.topics[topic_of(i) as usize].top.0;
        let kept: Vec<usize> = (0..term_hits.len()).filter(|&i| kept[i]).collect();
        let order = by_group(term_hits, &kept, self.tops.len(), top_of);
        for hits in order.chunk_by(|a, b| a.0 == b.0) {
            let top = TopId(hits[0].0);
            // The span being read and its best string.
            let mut cur: Option<(Field, Range<usize>, u32)> = None;
            let mut flush = |cur: &Option<(Field, Range<usize>, u32)>, occ: &Occurrence| {
                if let Some((_, _, a)) = cur {
                    let w =
                        self.agg_weight[*a as usize] * counted((Sum::Top(top), *a as usize), occ);
                    agg[top.index()] += w;
                }
            };
            let mut cur_occ: Option<&Occurrence> = None;
            for &(_, i) in hits {
                let (ti, occ) = &term_hits[i];
                let a = self.terms[*ti as usize].agg;
                match &mut cur {
                    Some((f, r, best)) if *f == occ.field && *r == occ.orig => {
                        if self.agg_weight[a as usize] > self.agg_weight[*best as usize] {
                            *best = a;
                        }
                        continue;
                    }
                    Some((f, r, _)) if *f == occ.field && occ.orig.start < r.end => continue,
                    _ => {}
                }
                if let Some(o) = cur_occ {
                    flush(&cur, o);
                }
                cur = Some((occ.field, occ.orig.clone(), a));
                cur_occ = Some(occ);
            }
            if let Some(o) = cur_occ {
                flush(&cur, o);
            }
        }
        for (entity, occ) in entity_hits {
            for (topic, w, rid) in self.entity_signals.get(entity).into_iter().flatten() {
                let x = w * counted((Sum::Own(*topic), usize::MAX - entity), occ);
                own[topic.index()] += x;
                let top = self.topics[topic.index()].top;
                agg[top.index()] += w * counted((Sum::Top(top), usize::MAX - entity), occ);
                if with_evidence && x > 0.0 {
                    evidence[topic.index()].push(RawEvidence {
                        rule_id: rid.clone(),
                        field: occ.field,
                        orig: occ.orig.clone(),
                        weight: round3(x),
                    });
                }
            }
        }
        // Scores: how much evidence a topic has, times the cube root of its top-level
        // topic's share of the document's evidence.
        let total: f64 = agg.iter().sum();
        // One cube root per top-level topic, not per topic.
        let shares: Vec<f64> = agg
            .iter()
            .map(|&a| if a > 0.0 { (a / total).cbrt() } else { 0.0 })
            .collect();
        let share = |top: TopId| shares[top.index()];
        let top_scores: Vec<f64> = agg
            .iter()
            .zip(&shares)
            .map(|(&a, &s)| if a > 0.0 { strength(a) * s } else { 0.0 })
            .collect();
        let top_score = |top: TopId| top_scores[top.index()];
        let score_of = |i: usize| {
            let t = &self.topics[i];
            let top = top_score(t.top);
            if self.tops[t.top.index()].rule == Some(i) {
                top
            } else if own[i] > 0.0 {
                (strength(own[i]) * share(t.top)).min(top)
            } else {
                0.0
            }
        };
        let allowed = |i: usize| !excluded[i] && (!self.topics[i].has_require || required[i]);
        // The best top-level topic is emitted whatever its score, when it has any evidence.
        let best = (0..self.tops.len())
            .filter(|&j| agg[j] > 0.0 && self.tops[j].rule.is_none_or(allowed))
            .max_by(|&a, &b| agg[a].total_cmp(&agg[b]).then(b.cmp(&a)));
        let own_ids = &self.own;
        let mut emitted: HashMap<&str, Scored> = HashMap::default();
        let mut emit = |id: &str, score: f64, evidence: &mut Vec<Vec<RawEvidence>>| {
            for (depth, q) in rules.taxonomy.path(id).into_iter().enumerate() {
                if rules.taxonomy.get(q).is_none_or(|c| c.retired) {
                    break;
                }
                let entry = emitted.entry(q).or_insert_with(|| {
                    let j = own_ids.get(q).copied();
                    Scored {
                        id: q.to_owned(),
                        score: j.map_or(0.0, score_of),
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
        };
        if let Some(b) = best {
            let top = &self.tops[b];
            emit(&top.id, top_score(TopId(b as u32)), &mut evidence);
        }
        for (i, t) in self.topics.iter().enumerate() {
            let score = score_of(i);
            if score < t.threshold || !allowed(i) {
                continue;
            }
            emit(&t.id, score, &mut evidence);
        }
        let mut out: Vec<Scored> = emitted.into_values().collect();
        for s in &mut out {
            s.score = round3(s.score);
        }
        out.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
        out
    }
}

/// The term hits `hits` (indices into `term_hits`, ascending) as (group, index), grouped by
/// `group_of` (below `groups`) and each group in text order: the title first, then by start,
/// longest first at a start, then input order. The scan reports hits in that order, so a stable
/// counting sort by group keeps it; hits in any other order are sorted.
fn by_group(
    term_hits: &[(u32, Occurrence)],
    hits: &[usize],
    groups: usize,
    group_of: impl Fn(usize) -> u32,
) -> Vec<(u32, usize)> {
    let text_key = |i: usize| {
        let o = &term_hits[i].1;
        (
            o.field != Field::Title,
            o.orig.start,
            std::cmp::Reverse(o.orig.end),
        )
    };
    if !hits.windows(2).all(|w| text_key(w[0]) <= text_key(w[1])) {
        let mut keys: Vec<_> = hits
            .iter()
            .map(|&i| (group_of(i), text_key(i), i))
            .collect();
        keys.sort_unstable();
        return keys.into_iter().map(|(g, _, i)| (g, i)).collect();
    }
    let mut next = vec![0usize; groups + 1];
    for &i in hits {
        next[group_of(i) as usize + 1] += 1;
    }
    for g in 0..groups {
        next[g + 1] += next[g];
    }
    let mut out = vec![(0, 0); hits.len()];
    for &i in hits {
        let g = group_of(i);
        out[next[g as usize]] = (g, i);
        next[g as usize] += 1;
    }
    out
}

/// How sure a sum of evidence is, in [0, 1): `1 − e^−sum`.
fn strength(sum: f64) -> f64 {
    1.0 - (-sum).exp()
}

/// The boost of an occurrence: in the title, in the lead, or none.
fn boost(occ: &Occurrence) -> f64 {
    if occ.field == Field::Title {
        TITLE_BOOST
    } else if occ.lead {
        LEAD_BOOST
    } else {
        1.0
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn occ(field: Field, start: usize, end: usize) -> (u32, Occurrence) {
        let orig = start..end;
        (
            0,
            Occurrence {
                field,
                orig,
                lead: false,
            },
        )
    }

    #[test]
    fn by_group_keeps_text_order_within_each_group_whatever_the_input_order() {
        // (group, field, start, end) of each hit.
        let spec = [
            (2, Field::Title, 0, 4),
            (1, Field::Text, 0, 9),
            (2, Field::Text, 0, 3),
            (1, Field::Text, 5, 9),
            (0, Field::Text, 5, 7),
            (2, Field::Text, 8, 12),
        ];
        let expected = [(0, 4), (1, 1), (1, 3), (2, 0), (2, 2), (2, 5)];
        let hits: Vec<_> = spec.iter().map(|&(_, f, s, e)| occ(f, s, e)).collect();
        let all: Vec<usize> = (0..hits.len()).collect();
        let group = |i: usize| spec[i].0;
        // In text order: the counting sort.
        assert_eq!(by_group(&hits, &all, 3, group), expected);
        // Out of text order: the fallback sort gives the same grouping.
        let mut shuffled = hits.clone();
        shuffled.swap(0, 5);
        let group_shuffled = |i: usize| spec[[5, 1, 2, 3, 4, 0][i]].0;
        let got = by_group(&shuffled, &all, 3, group_shuffled);
        let remap = |i: usize| [5, 1, 2, 3, 4, 0][i];
        let got: Vec<_> = got.into_iter().map(|(g, i)| (g, remap(i))).collect();
        assert_eq!(got, expected);
        // A subset keeps its own order.
        assert_eq!(
            by_group(&hits, &[1, 2, 4], 3, group),
            [(0, 4), (1, 1), (2, 2)]
        );
    }
}
