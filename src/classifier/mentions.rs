//! Entity mentions of a document: the candidates of each field (gazetteer, dates, triggers) with
//! their overlaps resolved, then the readings that depend on the whole story (shared names,
//! clubs in sports stories), then document-level propagation of short forms; boilerplate last.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::ops::Range;
use std::rc::Rc;

use super::fields::{FieldText, Fields};
use super::lexicon::{Group, NameTarget};
use super::Classifier;
use crate::entities::{self, Candidate, DateKey, Referent, ShortHit};
use crate::model::{EntityType, Field};
use crate::rules::gazetteer::EntityId;
use crate::text::{arabic, NormText, TokenKind};
use crate::topics::Occurrence;
use crate::triggers;

/// IPTC top-level topic "sport".
const SPORT: &str = "medtop:15000000";
/// Summed weight of distinct sport terms from which a story is read as a sports story: the
/// weight at which terms alone emit the sport topic (`1 − e^−0.7 ≈ 0.5`).
const SPORT_STORY_WEIGHT: f64 = 0.7;

/// The accepted mentions of a document, in document order. `terms` are the topic term hits
/// outside boilerplate (a sports story is read from them); `reference` resolves relative dates.
pub(super) fn resolve(
    c: &Classifier,
    fields: &Fields,
    terms: &[(u32, Occurrence)],
    reference: Option<jiff::civil::Date>,
) -> Vec<Candidate> {
    let mut accepted: Vec<Candidate> = Vec::new();
    let named = named_with_short_forms(fields);
    for f in fields.iter() {
        accepted.extend(field_candidates(c, f, reference, &named));
    }
    c.shared.resolve(
        &c.rules,
        &mut accepted,
        |m| &fields.get(m.field).nt.text[m.norm.clone()],
        &c.entity_rule_ids,
    );
    let shorts = short_hits(c, fields, &accepted);
    let sport = std::cell::OnceCell::new();
    let is_sport = || *sport.get_or_init(|| sport_story(c, terms, &shorts));
    crate::context::clubs_over_cities(
        &mut accepted,
        &shorts,
        |id| c.rules.entity(id).entity_type,
        is_sport,
    );
    // A team named by its place and nickname makes the nickname a short form of it.
    let shorts = if teams(c, fields, &mut accepted, is_sport) {
        short_hits(c, fields, &accepted)
    } else {
        shorts
    };
    let blocked: Vec<(Field, Range<usize>)> = fields
        .iter()
        .flat_map(|f| {
            f.hits[Group::Names]
                .iter()
                .filter(|h| c.lexicon.name_target(h) == NameTarget::NotAName)
                .map(move |h| (f.field, f.nt.orig_range(f.orig, h.norm.clone())))
        })
        .collect();
    let type_of = |id: EntityId| c.rules.entity(id).entity_type;
    entities::propagate(
        &mut accepted,
        shorts,
        &blocked,
        |m| {
            matches!(
                m.entity_type(type_of),
                EntityType::Norp | EntityType::Location
            ) || &*m.rule_id == triggers::ACRONYM_RULE
        },
        |m, s| match m.entity_type(type_of) {
            // "BMC said" after "Brightwater Mining Corporation (BMC)": the defined acronym.
            _ if &*m.rule_id == triggers::ACRONYM_RULE => true,
            // "وأضاف السوداني" (the prime minister), not "الجيش السوداني".
            EntityType::Norp => s.over_adjective,
            // "برشلونة" in a story that names "نادي برشلونة": the club.
            EntityType::Location => s.options.iter().all(
                |o| matches!(o, Referent::Known(i) if type_of(*i) == EntityType::Organization),
            ),
            _ => false,
        },
    );
    accepted.retain(|m| !fields.get(m.field).in_boilerplate(&m.orig));
    accepted
}

/// The entities (by index) that some field of the document names by a full form, when any field
/// has a short-form hit (else empty): a short form means its entity only where the entity is
/// named (propagation links it then), so only there does it keep the name grammar from reading a
/// new name ("نجيب" is the short form of نجيب ميقاتي; "نجيب X" in a story that never names him
/// is just a name).
fn named_with_short_forms(fields: &Fields) -> HashSet<u32> {
    if fields.iter().all(|f| f.hits[Group::Shorts].is_empty()) {
        return HashSet::default();
    }
    fields
        .iter()
        .flat_map(|f| f.hits[Group::Names].iter().map(|h| h.payload))
        .collect()
}

/// Gazetteer, date and trigger candidates of one field, overlaps resolved. `named`: see
/// [`named_with_short_forms`].
fn field_candidates(
    c: &Classifier,
    f: &FieldText,
    reference: Option<jiff::civil::Date>,
    named: &HashSet<u32>,
) -> Vec<Candidate> {
    let mut cands: Vec<Candidate> = f.hits[Group::Names]
        .iter()
        .filter_map(|h| match c.lexicon.name_target(h) {
            NameTarget::Entity(id) => Some((h, id)),
            NameTarget::NotAName => None,
        })
        .filter(|&(h, id)| !h.clitic || clitic_split_holds(c, f, h, id))
        .map(|(h, id)| {
            let e = c.rules.entity(id);
            let short = !f.nt.text[h.norm.clone()].contains(' ') && h.norm.len() <= 6;
            Candidate {
                field: f.field,
                orig: f.nt.orig_range(f.orig, h.norm.clone()),
                norm: h.norm.clone(),
                referent: Referent::Known(id),
                rule_id: c.entity_rule_ids[id.index()].clone(),
                confidence: if h.clitic { 0.9 } else { 0.95 } - if short { 0.1 } else { 0.0 },
                priority: e.priority.clamp(-100, 100),
                role: String::new(),
            }
        })
        .collect();
    for d in c.dates.find(&f.nt, reference) {
        let key = if d.value.is_empty() {
            DateKey::Unresolved(f.nt.text[d.norm.clone()].to_owned())
        } else {
            DateKey::Value(d.value)
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
    let mut typed: Vec<(Candidate, EntityType)> = entities::resolve_overlaps(cands)
        .into_iter()
        .map(|m| {
            let t = m.entity_type(|id| c.rules.entity(id).entity_type);
            (m, t)
        })
        .collect();
    // Short forms of entities the document names (see above).
    let shorts: Vec<crate::matcher::Hit> = f.hits[Group::Shorts]
        .iter()
        .filter(|h| named.contains(&h.payload))
        .cloned()
        .collect();
    let cx = triggers::Context {
        nt: &f.nt,
        orig: f.orig,
        field: f.field,
        patterns: &c.rules.patterns,
        title_hits: &f.hits[Group::Titles],
        kin_hits: &f.hits[Group::Kin],
        head_hits: &f.hits[Group::Heads],
        speech_hits: &f.hits[Group::Speech],
        given_hits: &f.hits[Group::Given],
        short_hits: &shorts,
        names: &c.names,
    };
    let found = triggers::find(&cx, &mut typed);
    let mut all: Vec<Candidate> = typed.into_iter().map(|(m, _)| m).collect();
    if found.is_empty() {
        // Already resolved, in text order.
        return all;
    }
    all.extend(found);
    entities::resolve_overlaps(all)
}

/// Whether a listed one-word name found behind a proclitic ("بغزة" = ب + غزة) is one: not when
/// the whole word is a common word ("كبيرا" is no ك + بيرا, "بابها" no ب + ابها), and, for the lower tiers
/// of the generated lists (priority below 0: small towns, regions), not when the name is shorter
/// than four letters (a three-letter town is no split).
fn clitic_split_holds(
    c: &Classifier,
    f: &FieldText,
    h: &crate::matcher::Hit,
    id: EntityId,
) -> bool {
    let name = &f.nt.text[h.norm.clone()];
    // A name of several words behind a proclitic ("للأمم المتحدة") says what it is.
    let Some(t) = f.nt.token_at(h.norm.start).filter(|_| !name.contains(' ')) else {
        return true;
    };
    if c.names.reads_as_common(f.nt.token_text(t)) {
        return false;
    }
    c.rules.entity(id).priority >= 0 || name.chars().count() >= 4
}

/// Whether the words of the document (`terms`, outside boilerplate) speak for sport about as
/// strongly as it takes to emit the sport topic on terms alone. Terms that are short forms
/// ("برشلونة", a football term too) do not count: they are what is to be decided.
fn sport_story(c: &Classifier, terms: &[(u32, Occurrence)], shorts: &[ShortHit]) -> bool {
    let short_at: HashSet<(Field, usize)> =
        shorts.iter().map(|s| (s.field, s.orig.start)).collect();
    let hits = terms
        .iter()
        .filter(|(_, o)| !short_at.contains(&(o.field, o.orig.start)))
        .map(|(t, _)| *t);
    c.topics.term_weight_under(hits, SPORT) >= SPORT_STORY_WEIGHT
}

/// Rule of an unlisted team: a place and a nickname in a sports story.
const TEAM_RULE: &str = "grammar:team-in-sport-story";
/// Rule of a place that stands for its team next to a match word in a sports story.
const TEAM_CUE_RULE: &str = "patterns.toml:team_cues";

/// In a sports story, places that stand for teams become ORGANIZATION (0.6) mentions:
/// * a place and a capitalized plural nickname after it ("Cardiff Herons", "Swansea
///   Otters"), the span growing over the nickname;
/// * an Arabic place next to a match word (`team_cues`: "فاز المغرب", "مباراة مصر"), and the
///   place a link word (`team_links`: "على") or an attached و joins to it ("فاز المغرب على
///   مصر", "تعادل مصر وتونس"). English keeps "beat France" a LOCATION, as English corpora do.
///
/// Outside sports ("Geneva Conventions", "Oslo Accords") nothing changes (and nothing is read).
/// Returns whether a team was found.
fn teams(
    c: &Classifier,
    fields: &Fields,
    accepted: &mut [Candidate],
    is_sport: impl Fn() -> bool,
) -> bool {
    let type_of = |id: EntityId| c.rules.entity(id).entity_type;
    let p = &c.rules.patterns;
    let places = accepted
        .iter()
        .any(|m| m.entity_type(type_of) == EntityType::Location);
    if !places || !is_sport() {
        return false;
    }
    let taken: HashSet<(Field, usize)> = accepted.iter().map(|m| (m.field, m.norm.start)).collect();
    let mut found = false;
    // The field and last token of the team found last.
    let mut previous: Option<(Field, usize)> = None;
    for m in accepted.iter_mut() {
        if m.entity_type(type_of) != EntityType::Location {
            continue;
        }
        let f = fields.get(m.field);
        let nt = &f.nt;
        let (Some(first), Some(last)) = (
            nt.token_at(m.norm.start),
            m.norm.end.checked_sub(1).and_then(|p| nt.token_at(p)),
        ) else {
            continue;
        };
        // One or two capitalized Latin words, the last a plural of four letters or more, none a
        // stop word, a place word or part of another mention.
        let nickname_word = |k: usize| {
            k < nt.tokens.len()
                && nt.tokens[k].kind == TokenKind::Word
                && !taken.contains(&(m.field, nt.tokens[k].norm.start))
                && f.orig[nt.tokens[k].orig.clone()]
                    .chars()
                    .next()
                    .is_some_and(|ch| ch.is_uppercase() && !arabic::is_arabic_char(ch))
                && !p.stopwords.contains(nt.token_text(k))
                && !p.place_heads.contains(nt.token_text(k))
                && !p.org_heads.contains(nt.token_text(k))
        };
        let plural = |k: usize| {
            let w = nt.token_text(k);
            w.len() >= 4 && w.ends_with('s') && !w.ends_with("ss") && !p.events.contains(w)
        };
        let nickname = (last + 1..last + 3)
            .take_while(|&k| nickname_word(k))
            .filter(|&k| plural(k))
            .last();
        let text = |k: usize| nt.token_text(k);
        let after_team = |k: usize| previous == Some((m.field, k));
        let attached_waw =
            m.norm.start > nt.tokens[first].norm.start && text(first).starts_with('و');
        // A match word, behind a proclitic too ("وتعادل").
        let cue =
            |k: usize| arabic::strip_proclitic(text(k), 3, |w| p.team_cues.contains(w)).is_some();
        let cued = first.checked_sub(1).is_some_and(cue)
            || last + 1 < nt.tokens.len() && cue(last + 1)
            || first
                .checked_sub(2)
                .is_some_and(|b| p.team_links.contains(text(b + 1)) && after_team(b))
            || attached_waw && first.checked_sub(1).is_some_and(after_team);
        let (end, rule) = match nickname {
            Some(end) => (end, TEAM_RULE),
            None if cued && arabic::starts_arabic(text(last)) => (last, TEAM_CUE_RULE),
            None => continue,
        };
        let norm = m.norm.start..nt.tokens[end].norm.end;
        *m = Candidate {
            field: m.field,
            orig: nt.orig_range(f.orig, norm.clone()),
            referent: Referent::Unlisted(EntityType::Organization, nt.text[norm.clone()].into()),
            norm,
            rule_id: rule.into(),
            confidence: 0.6,
            priority: -1,
            role: String::new(),
        };
        previous = Some((m.field, end));
        found = true;
    }
    found
}

/// Short-form occurrences: gazetteer short forms, and the last word of unlisted persons' names.
fn short_hits(c: &Classifier, fields: &Fields, accepted: &[Candidate]) -> Vec<ShortHit> {
    let p = &c.rules.patterns;
    // The forms that name an unlisted entity again, with it.
    let mut forms: Vec<(&str, &Referent)> = Vec::new();
    for m in accepted {
        match &m.referent {
            Referent::Unlisted(EntityType::Organization, key) => {
                // A team is named again by its nickname: "the Herons" after "Cardiff Herons".
                if &*m.rule_id == TEAM_RULE {
                    if let Some((_, nick)) = key.rsplit_once(' ') {
                        forms.push((nick, &m.referent));
                    }
                }
                // An English organization is named again by its first word: "Smithsonian
                // Institution" ... "the Smithsonian" (not a head word: "University of Chicago").
                if let Some((first, _)) = key.split_once(' ') {
                    if first.chars().count() >= 3
                        && first.chars().all(|ch| ch.is_ascii_alphabetic())
                        && !p.stopwords.contains(first)
                        && !p.org_heads.contains(first)
                        && !c.names.is_common(first)
                        && !c.rules.form_owner.contains_key(&(first.to_owned(), false))
                    {
                        forms.push((first, &m.referent));
                    }
                }
            }
            Referent::Unlisted(EntityType::Person, key) => {
                // The given name alone names the person too ("عماد" after "عماد الخطيب"), when
                // it is on the given-name lists and is not also a common word. A link word
                // ("أبو" of "أبو X") names nobody alone.
                if let Some((first, _)) = key.split_once(' ') {
                    if first.chars().count() >= 3
                        && !p.stopwords.contains(first)
                        && !p.name_links.contains(first)
                        && c.names.is_given_name(first)
                    {
                        forms.push((first, &m.referent));
                    }
                }
                // The last word, or the one word of a name found after a title ("Governor
                // Halvorsen" ... "Halvorsen said"). A Latin short form must be capitalized where it
                // stands (see below); an Arabic one, which has no case, must not be a common
                // word ("محمد عوض عام" is no reason to read every "عام" as him).
                if let Some(last) = key.rsplit(' ').next() {
                    if last.chars().count() >= 3
                        && !p.stopwords.contains(last)
                        && !(arabic::starts_arabic(last) && c.names.is_common(last))
                    {
                        forms.push((last, &m.referent));
                    }
                }
            }
            _ => {}
        }
    }
    // An organization and its acronym in parentheses, "Carnegie Endowment for International
    // Peace (CEIP)": the acronym names it wherever it stands.
    let acronyms = acronyms(c, fields, accepted);
    forms.extend(acronyms.iter().map(|(form, r)| (form.as_str(), *r)));
    // One options list per form; a (form, referent) pair once, so that a form shared by many
    // names stays linear.
    let mut unlisted: HashMap<String, Vec<Referent>> = HashMap::default();
    let mut seen: HashSet<(&str, &Referent)> = HashSet::default();
    for (form, referent) in forms {
        if seen.insert((form, referent)) {
            unlisted
                .entry(form.to_owned())
                .or_default()
                .push(referent.clone());
        }
    }
    let unlisted: HashMap<String, Rc<[Referent]>> = unlisted
        .into_iter()
        .map(|(form, options)| (form, options.into()))
        .collect();
    let mut out = Vec::new();
    for f in fields.iter() {
        let hits = &f.hits[Group::Shorts];
        // Hits of one span (a short form shared by several people) are one occurrence.
        for group in hits.chunk_by(|a, b| a.norm == b.norm) {
            let options = group
                .iter()
                .map(|h| Referent::Known(EntityId::from_index(h.payload as usize)))
                .collect();
            push_capitalized(&mut out, short_hit(f, group[0].norm.clone(), options), f);
        }
        if unlisted.is_empty() {
            continue;
        }
        for (i, t) in f.nt.tokens.iter().enumerate() {
            let tok = f.nt.token_text(i);
            if let Some(clitic) = arabic::strip_proclitic(tok, 2, |w| unlisted.contains_key(w)) {
                let first = f.orig[t.orig.clone()].chars().next();
                if first.is_some_and(|ch| ch.is_alphabetic() && !arabic::is_arabic_char(ch))
                    && !first.is_some_and(char::is_uppercase)
                {
                    continue;
                }
                let options = Rc::clone(&unlisted[&tok[clitic..]]);
                let hit = short_hit(f, t.norm.start + clitic..t.norm.end, options);
                push_capitalized(&mut out, hit, f);
            }
        }
    }
    out
}

/// The acronyms defined right after an organization: its name, "(", two to eight capital Latin
/// letters, ")". An acronym that is a listed form or a function word is left to the lists.
fn acronyms<'a>(
    c: &Classifier,
    fields: &Fields,
    accepted: &'a [Candidate],
) -> Vec<(String, &'a Referent)> {
    let mut out = Vec::new();
    for m in accepted {
        let org = match &m.referent {
            Referent::Known(id) => c.rules.entity(*id).entity_type == EntityType::Organization,
            Referent::Unlisted(t, _) => *t == EntityType::Organization,
            Referent::Date(_) => false,
        };
        let Some(f) = fields.iter().find(|f| f.field == m.field).filter(|_| org) else {
            continue;
        };
        let nt = &f.nt;
        let Some(i) = nt.token_at(m.norm.end + 1) else {
            continue;
        };
        if i + 2 >= nt.tokens.len() || nt.token_text(i) != "(" || nt.token_text(i + 2) != ")" {
            continue;
        }
        let written = &f.orig[nt.tokens[i + 1].orig.clone()];
        let form = nt.token_text(i + 1);
        if (2..=8).contains(&written.len())
            && written.bytes().all(|b| b.is_ascii_uppercase())
            && !c.rules.patterns.stopwords.contains(form)
            && !c.rules.form_owner.contains_key(&(form.to_owned(), false))
        {
            out.push((form.to_owned(), &m.referent));
        }
    }
    out
}

/// Keeps a short-form occurrence unless it is a Latin word written in lower case: English
/// writes a surname capitalized, so "band" or "park" in running text is never the short form of
/// "X Band" or "Lincoln Park" (Arabic script has no case and always passes).
fn push_capitalized(out: &mut Vec<ShortHit>, hit: ShortHit, f: &FieldText) {
    let first = f.orig.get(hit.orig.clone()).and_then(|t| t.chars().next());
    if !first.is_some_and(|ch| ch.is_lowercase()) {
        out.push(hit);
    }
}

fn short_hit(f: &FieldText, norm: Range<usize>, options: Rc<[Referent]>) -> ShortHit {
    ShortHit {
        field: f.field,
        orig: f.nt.orig_range(f.orig, norm.clone()),
        over_adjective: not_after_definite(&f.nt, norm.start),
        norm,
        options,
    }
}

/// Whether the word at normalized byte `pos` does not follow a definite word: a nationality
/// adjective follows the noun it qualifies ("الجيش السوداني"), a surname used alone does not
/// ("وأضاف السوداني"). The first word of a text or after punctuation does not follow one either.
fn not_after_definite(nt: &NormText, pos: usize) -> bool {
    match nt.token_at(pos) {
        Some(i) if i > 0 => {
            let prev = &nt.tokens[i - 1];
            prev.kind == TokenKind::Punct || !nt.token_text(i - 1).starts_with(arabic::ARTICLE)
        }
        _ => true,
    }
}
