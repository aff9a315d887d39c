//! Entity candidates → resolved mentions → entities with salience.
//!
//! # Overlap policy
//! Candidates from the gazetteer, trigger patterns and dates compete for the text: the longer
//! span wins, then the higher priority, then the higher confidence, then the earlier start.
//! Short forms (document-level propagation) only fill gaps left by the winners, or take the
//! place of a nationality adjective that is also a surname (see [`propagate`]).

use std::cmp::Reverse;
use std::ops::Range;
use std::rc::Rc;

use crate::model::{EntityType, Field};
use crate::rules::gazetteer::EntityId;

/// What a candidate refers to.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Referent {
    /// A gazetteer entity.
    Known(EntityId),
    /// A name no list knows, found by a trigger pattern: its type and normalized name.
    Unlisted(EntityType, String),
    /// A date expression.
    Date(DateKey),
}

/// What identifies a date: mentions with the same key are one entity.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum DateKey {
    /// Its ISO 8601 value (`2023-07-26`, `2023-W29`, `AH1445-09`).
    Value(String),
    /// A date without a value (a relative date and no publication time): its normalized text.
    Unresolved(String),
}

/// A possible mention before overlap resolution.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    /// Field the span points into.
    pub field: Field,
    /// Byte range in that field's normalized text.
    pub norm: Range<usize>,
    /// Byte range in that field's original text.
    pub orig: Range<usize>,
    /// What it refers to.
    pub referent: Referent,
    /// The rule that produced it.
    pub rule_id: std::sync::Arc<str>,
    /// Confidence in [0, 1].
    pub confidence: f64,
    /// Priority among overlapping candidates (after length).
    pub priority: i32,
    /// Title or role found before a person's name.
    pub role: String,
}

impl Candidate {
    /// The entity type, given the gazetteer's types.
    pub fn entity_type(&self, known: impl Fn(EntityId) -> EntityType) -> EntityType {
        match &self.referent {
            Referent::Known(i) => known(*i),
            Referent::Unlisted(t, _) => *t,
            Referent::Date(_) => EntityType::Date,
        }
    }
}

/// Keeps a non-overlapping subset of `cands` (per field): longer first, then priority, then
/// confidence, then earlier start. Returns the winners in text order.
pub fn resolve_overlaps(cands: Vec<Candidate>) -> Vec<Candidate> {
    // Decide on sort keys and indices (candidates are large to move), then move the winners
    // out once. Keys: longer, higher priority, higher confidence, earlier start, input order.
    let mut order: Vec<(RankKey, u32)> = cands
        .iter()
        .enumerate()
        .map(|(i, c)| {
            (
                (
                    Reverse(c.orig.end - c.orig.start),
                    Reverse(c.priority),
                    Reverse(total_order(c.confidence)),
                    c.orig.start,
                ),
                i as u32,
            )
        })
        .collect();
    order.sort_unstable();
    let mut taken = [Taken::default(), Taken::default()];
    let mut keep: Vec<(Field, usize, u32)> = Vec::with_capacity(cands.len());
    for (.., i) in order {
        let c = &cands[i as usize];
        if taken[c.field.index()].take(&c.orig) {
            keep.push((c.field, c.orig.start, i));
        }
    }
    // Winners never overlap, so (field, start) orders them without ties.
    keep.sort_unstable();
    let mut slots: Vec<Option<Candidate>> = cands.into_iter().map(Some).collect();
    keep.into_iter()
        .filter_map(|(_, _, i)| slots[i as usize].take())
        .collect()
}

/// Overlap ranking, best first: longer, higher priority, higher confidence, earlier start.
type RankKey = (Reverse<usize>, Reverse<i32>, Reverse<i64>, usize);

/// An integer that orders like `x.total_cmp` (the trick of `f64::total_cmp`).
fn total_order(x: f64) -> i64 {
    let bits = x.to_bits() as i64;
    bits ^ ((((bits >> 63) as u64) >> 1) as i64)
}

/// The bytes of one field taken by winners so far: a bit per byte.
#[derive(Default)]
struct Taken {
    bits: Vec<u64>,
}

impl Taken {
    /// Takes `r` if none of its bytes is taken; returns whether it did. An empty range takes
    /// nothing and always succeeds.
    fn take(&mut self, r: &Range<usize>) -> bool {
        if r.start >= r.end {
            return true;
        }
        if r.end.div_ceil(64) > self.bits.len() {
            self.bits.resize(r.end.div_ceil(64).next_power_of_two(), 0);
        }
        // The words the range covers, each with the mask of its bits inside the range.
        let words = (r.start / 64..=(r.end - 1) / 64).map(|w| {
            let lo = if w == r.start / 64 { r.start % 64 } else { 0 };
            let hi = if w == (r.end - 1) / 64 {
                (r.end - 1) % 64
            } else {
                63
            };
            (w, (u64::MAX >> (63 - hi)) & (u64::MAX << lo))
        });
        if words.clone().any(|(w, m)| self.bits[w] & m != 0) {
            return false;
        }
        for (w, m) in words {
            self.bits[w] |= m;
        }
        true
    }
}

/// Sorts candidates in document order: title first, then by start.
pub fn sort_in_text_order(c: &mut [Candidate]) {
    c.sort_by_key(|c| (c.field, c.orig.start));
}

/// A short form occurrence waiting to be linked to a full name.
#[derive(Clone, Debug)]
pub struct ShortHit {
    /// Field the span points into.
    pub field: Field,
    /// Byte range in that field's normalized text.
    pub norm: Range<usize>,
    /// Byte range in that field's original text.
    pub orig: Range<usize>,
    /// Entities this short form may refer to, shared by every occurrence of the form (a surname
    /// shared by a thousand people is one list, not a copy per occurrence).
    pub options: Rc<[Referent]>,
    /// Whether the word is not in adjective position (does not follow a definite word): a
    /// surname that is also a nationality adjective ("السوداني") may then take the place of the
    /// adjective (see [`propagate`]).
    pub over_adjective: bool,
}

impl ShortHit {
    /// The mention of `referent` this short form becomes.
    fn into_candidate(self, referent: Referent) -> Candidate {
        Candidate {
            field: self.field,
            norm: self.norm,
            orig: self.orig,
            referent,
            rule_id: "propagation".into(),
            confidence: 0.75,
            priority: -2,
            role: String::new(),
        }
    }
}

/// A full mention's place in text order (title first, then start) and its referent.
type Placed<'a> = ((Field, usize), &'a Referent);

/// Document-level propagation: links each short form ("كيم", "بيسكوف") to the nearest full
/// mention of a compatible entity before it, or else the first one after it, and adds it where
/// it overlaps no accepted mention. Title mentions count as coming before the text.
/// `blocked` spans (phrases that are not names, "ولي العهد") take no short form either.
/// A short form replaces an accepted mention of exactly its span when `yields(mention, short)`
/// says so: a nationality adjective that is also the surname of a person the document names in
/// full ("وأضاف السوداني" after "محمد شياع السوداني"), a city that is also the short name of a
/// club the document names in full ("برشلونة" after "نادي برشلونة"). Only accepted mentions
/// for which `may_yield` is true are considered.
pub fn propagate(
    accepted: &mut Vec<Candidate>,
    shorts: Vec<ShortHit>,
    blocked: &[(Field, Range<usize>)],
    may_yield: impl Fn(&Candidate) -> bool,
    yields: impl Fn(&Candidate, &ShortHit) -> bool,
) {
    // Text order key: title first, then start. Every lookup below is a binary search, so a
    // document with many short forms and full names stays O(n log n).
    let key = |f: Field, pos: usize| (f, pos);
    let mut full: rustc_hash::FxHashMap<&Referent, Vec<(Field, usize)>> = Default::default();
    for c in accepted.iter() {
        if matches!(
            c.referent,
            Referent::Known(_)
                | Referent::Unlisted(EntityType::Person | EntityType::Organization, _)
        ) {
            full.entry(&c.referent)
                .or_default()
                .push(key(c.field, c.orig.start));
        }
    }
    for v in full.values_mut() {
        v.sort_unstable();
    }
    let mut spans: [std::collections::BTreeMap<usize, usize>; 2] = Default::default();
    for c in accepted.iter() {
        spans[c.field.index()].insert(c.orig.start, c.orig.end);
    }
    for (f, r) in blocked {
        let field = &mut spans[f.index()];
        if field
            .range(..r.end)
            .next_back()
            .is_none_or(|(_, &end)| end <= r.start)
        {
            field.insert(r.start, r.end);
        }
    }
    // Accepted mentions that may give way to a short form, by (field, span).
    let yielding: rustc_hash::FxHashMap<(Field, Range<usize>), usize> = accepted
        .iter()
        .enumerate()
        .filter(|(_, c)| may_yield(c))
        .map(|(i, c)| ((c.field, c.orig.clone()), i))
        .collect();
    let mut replaced: Vec<(usize, Candidate)> = Vec::new();
    let mut added = Vec::new();
    let mut merged: rustc_hash::FxHashMap<*const [Referent], Vec<Placed>> = Default::default();
    for s in shorts {
        let field = &mut spans[s.field.index()];
        let mut replaces = None;
        if field
            .range(..s.orig.end)
            .next_back()
            .is_some_and(|(_, &end)| end > s.orig.start)
        {
            replaces = yielding
                .get(&(s.field, s.orig.clone()))
                .filter(|&&i| yields(&accepted[i], &s));
            if replaces.is_none() {
                continue;
            }
        }
        let here = key(s.field, s.orig.start);
        // The full mentions of all the options in text order, built once per list of options.
        let merged = merged.entry(Rc::as_ptr(&s.options)).or_insert_with(|| {
            let mut m: Vec<Placed> = s
                .options
                .iter()
                .filter_map(|opt| full.get_key_value(opt))
                .flat_map(|(r, list)| list.iter().map(move |k| (*k, *r)))
                .collect();
            m.sort_by_key(|(k, _)| *k);
            m
        });
        let i = merged.partition_point(|(k, _)| *k < here);
        let before = i.checked_sub(1).map(|j| merged[j]);
        let after = merged.get(i).copied();
        if let Some((_, target)) = before.or(after) {
            let c = s.into_candidate(target.clone());
            match replaces {
                Some(&i) => replaced.push((i, c)),
                None => {
                    field.insert(c.orig.start, c.orig.end);
                    added.push(c);
                }
            }
        }
    }
    for (i, c) in replaced {
        accepted[i] = c;
    }
    accepted.extend(added);
    sort_in_text_order(accepted);
}

/// Salience in [0, 1] from frequency (half), position of the first mention (0.3) and presence
/// in the title or headline (0.2).
pub fn salience(mentions: usize, max_mentions: usize, first_pos: f64, in_title: bool) -> f64 {
    let freq = mentions as f64 / max_mentions.max(1) as f64;
    let s = 0.5 * freq + 0.3 * (1.0 - first_pos.clamp(0.0, 1.0)) + if in_title { 0.2 } else { 0.0 };
    (s.clamp(0.0, 1.0) * 1000.0).round() / 1000.0
}

/// Groups candidates by referent, keeping the first-seen order.
pub fn group(cands: Vec<Candidate>) -> Vec<(Referent, Vec<Candidate>)> {
    // Group numbers first, borrowing the referents; then the candidates move once.
    let mut index: rustc_hash::FxHashMap<&Referent, usize> = Default::default();
    let ids: Vec<usize> = cands
        .iter()
        .map(|c| {
            let next = index.len();
            *index.entry(&c.referent).or_insert(next)
        })
        .collect();
    let mut groups: Vec<Vec<Candidate>> = (0..index.len()).map(|_| Vec::new()).collect();
    for (c, g) in cands.into_iter().zip(ids) {
        groups[g].push(c);
    }
    groups
        .into_iter()
        .map(|v| (v[0].referent.clone(), v))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known(i: usize) -> Referent {
        Referent::Known(EntityId::from_index(i))
    }

    fn cand(start: usize, end: usize, r: Referent, prio: i32) -> Candidate {
        Candidate {
            field: Field::Text,
            norm: start..end,
            orig: start..end,
            referent: r,
            rule_id: "".into(),
            confidence: 0.9,
            priority: prio,
            role: String::new(),
        }
    }

    #[test]
    fn longer_then_priority() {
        let got = resolve_overlaps(vec![
            cand(0, 5, known(1), 0),
            cand(0, 9, known(2), 0),
            cand(10, 14, known(3), 0),
            cand(10, 14, known(4), 5),
        ]);
        let r: Vec<_> = got.iter().map(|c| c.referent.clone()).collect();
        assert_eq!(r, vec![known(2), known(4)]);
    }

    #[test]
    fn short_forms_link_to_nearest_full_name() {
        let kju = known(1);
        let kjd = Referent::Unlisted(EntityType::Person, "كيم جونغ داي".into());
        let mut acc = vec![cand(10, 20, kju.clone(), 0), cand(40, 50, kjd.clone(), 0)];
        let opts = vec![kju.clone(), kjd.clone()];
        let short = |s| ShortHit {
            field: Field::Text,
            norm: s..s + 3,
            orig: s..s + 3,
            options: opts.clone().into(),
            over_adjective: true,
        };
        propagate(
            &mut acc,
            vec![short(0), short(30), short(60), short(12)],
            &[],
            |_| false,
            |_, _| false,
        );
        let got: Vec<_> = acc
            .iter()
            .map(|c| (c.orig.start, c.referent.clone()))
            .collect();
        assert_eq!(
            got,
            vec![
                (0, kju.clone()),
                (10, kju.clone()),
                (30, kju),
                (40, kjd.clone()),
                (60, kjd)
            ]
        );
    }

    #[test]
    fn salience_range() {
        assert_eq!(salience(5, 5, 0.0, true), 1.0);
        assert_eq!(salience(1, 10, 1.0, false), 0.05);
    }
}
