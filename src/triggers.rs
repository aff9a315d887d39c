//! Trigger patterns for names no list knows.
//!
//! * **Title before a name**: a title or role ("وزير الدفاع", "President"), optionally followed by
//!   nationality adjectives, organizations, places and connector words ("الروسي", "باسم الكرملين",
//!   "السابق"), then one to four name words → PERSON (confidence 0.7), the role kept. When the
//!   name is already a gazetteer person, only the role is recorded.
//! * **Name, title** (apposition): "وقال كيم جونغ داي، عضو البرلمان" → PERSON (0.6); in English
//!   an article may stand before the title ("Jane Doe, a spokeswoman for the ministry").
//! * **Kinship word** then a name: "ابنته كيم جو آه" → PERSON (0.65).
//! * **Reporting verb** then an Arabic name that starts with a given name, then what was said:
//!   "وقال أحمد الحجار إن" → PERSON (0.55).
//! * **Given name** (English) then one to three capitalized words: "Maria Garcia said" → PERSON
//!   (0.6), unless an organization head word follows ("George Washington University").
//! * **Organization head** ("وزارة", "وكالة", "معهد") followed by one bare word and/or definite words
//!   and nationality adjectives: "معهد يونسي للدراسات الكورية الشمالية" → ORGANIZATION (0.6);
//!   English: a capitalized run that starts or ends with a head word ("Korean Central News Agency").
//!
//! Name words are never stop words, punctuation, numbers or parts of other entities; Arabic
//! names need at least two words (one word after a title is too often a common noun), and their
//! first word does not start with the article. A later word with the article follows عبد / أبو /
//! بن, or ends a name whose first word is a given name (`given_names`: "وزير الداخلية اللبناني
//! أحمد الحجار"). English name words are capitalized.

use std::ops::Range;

use crate::entities::{Candidate, Referent};
use crate::matcher::Hit;
use crate::model::{EntityType, Field};
use crate::rules::Patterns;
use crate::text::{arabic, NormText, TokenKind};

/// A nisba adjective that qualifies a title ("النائب الديمقراطي", "المتحدث العسكري"): a definite
/// word of five letters or more ending in ي or يه.
fn is_title_adjective(tok: &str) -> bool {
    tok.starts_with("ال") && tok.chars().count() >= 5 && (tok.ends_with('ي') || tok.ends_with("يه"))
}

/// Input of the trigger pass over one field.
pub struct Context<'a> {
    /// Normalized field text.
    pub nt: &'a NormText,
    /// Original field text.
    pub orig: &'a str,
    /// Which field.
    pub field: Field,
    /// Lexicons.
    pub patterns: &'a Patterns,
    /// Title hits in the field (payload: index into `patterns.titles`).
    pub title_hits: &'a [Hit],
    /// Kinship word hits (`patterns.kin`).
    pub kin_hits: &'a [Hit],
    /// Organization head word hits (`patterns.org_heads`).
    pub head_hits: &'a [Hit],
    /// Reporting verb hits (`patterns.speech_verbs`).
    pub speech_hits: &'a [Hit],
    /// Latin given name hits (`patterns.given_names`).
    pub given_hits: &'a [Hit],
}

/// Finds unlisted persons and organizations. `gaz` are the accepted gazetteer candidates of the
/// field in text order with their types; roles of known persons after a title are filled in.
pub fn find(cx: &Context, gaz: &mut [(Candidate, EntityType)]) -> Vec<Candidate> {
    let nt = cx.nt;
    let n = nt.tokens.len();
    let mut cover: Vec<Option<usize>> = vec![None; n];
    for (k, (c, _)) in gaz.iter().enumerate() {
        for t in token_span(nt, &c.norm) {
            if let Some(slot) = cover.get_mut(t) {
                *slot = Some(k);
            }
        }
    }
    let title_hits = cx.title_hits;
    let mut title_at: Vec<Option<usize>> = vec![None; n];
    for (h, hit) in title_hits.iter().enumerate() {
        for t in token_span(nt, &hit.norm) {
            if let Some(slot) = title_at.get_mut(t) {
                *slot = Some(h);
            }
        }
    }
    let words = Words {
        cx,
        cover: &cover,
        title_at: &title_at,
    };
    let mut out = Vec::new();

    for hit in title_hits {
        let rule_id = &cx.patterns.titles[hit.payload as usize].1;
        let mut j = last_token(nt, &hit.norm) + 1;
        let mut role_end = hit.norm.end;
        let mut known_person = None;
        // A title in construct form (no article on its last word: "محافظ", "مستشار") takes its
        // complement, up to four words: definite words ("محافظ البنك المركزي", "مستشار الرئيس"),
        // or construct nouns that end in one or in a known entity ("مدير مستشفى الشفاء"). A
        // title with the article ("الرئيس الأسد") is followed by the name itself.
        let construct = words.is_arabic_word(j - 1) && !words.has_article(j - 1);
        let after_title = j;
        let mut complement = 0;
        while j < n {
            if let Some(k) = cover[j] {
                match gaz[k].1 {
                    EntityType::Norp | EntityType::Organization | EntityType::Location => {
                        role_end = gaz[k].0.norm.end;
                        j = last_token(nt, &gaz[k].0.norm) + 1;
                        continue;
                    }
                    EntityType::Person => known_person = Some(k),
                    EntityType::Date => {}
                }
                break;
            }
            if let Some(t) = title_at[j] {
                role_end = title_hits[t].norm.end;
                j = last_token(nt, &title_hits[t].norm) + 1;
                continue;
            }
            if cx.patterns.connectors.contains(nt.token_text(j))
                || is_title_adjective(nt.token_text(j))
            {
                role_end = nt.tokens[j].norm.end;
                j += 1;
                continue;
            }
            if construct && complement < 4 {
                if words.has_article(j) && words.stop_free(j) {
                    role_end = nt.tokens[j].norm.end;
                    complement += 1;
                    j += 1;
                    continue;
                }
                // A chain of construct nouns right after the title ("مدير مستشفى الشفاء", "قائد
                // شرطة دبي") runs until a definite word or a known place, organization or
                // nationality, which then joins the role above. Never after a definite word:
                // there the name starts ("محافظ البنك المركزي حسن عبد الله").
                let mut k = j;
                while k < n && k - j < 3 && words.is_arabic_word(k) && !words.has_article(k) {
                    if !words.stop_free(k) {
                        break;
                    }
                    k += 1;
                }
                let ends_chain = j == after_title
                    && k > j
                    && k < n
                    && match cover[k] {
                        Some(e) => matches!(
                            gaz[e].1,
                            EntityType::Norp | EntityType::Organization | EntityType::Location
                        ),
                        None => words.has_article(k) && words.stop_free(k),
                    };
                if ends_chain {
                    role_end = nt.tokens[k - 1].norm.end;
                    complement += k - j;
                    j = k;
                    continue;
                }
            }
            // "المتحدث باسم الوزارة": after باسم, one definite common noun belongs to the role.
            if j > 0 && nt.token_text(j - 1) == "باسم" && words.has_article(j) && words.stop_free(j)
            {
                role_end = nt.tokens[j].norm.end;
                j += 1;
                continue;
            }
            break;
        }
        let role = cx.orig[nt.orig_range(cx.orig, hit.norm.start..role_end)].to_owned();
        if let Some(k) = known_person {
            if gaz[k].0.role.is_empty() {
                gaz[k].0.role = role;
            }
            continue;
        }
        if let Some(r) = words.name_forward(j) {
            out.push(words.person(r, rule_id, 0.7, role));
        }
    }

    // Apposition: name words, a comma, then a title ("Jane Doe, a spokeswoman for": an English
    // article may stand before the title).
    for hit in title_hits {
        let mut first = first_token(nt, &hit.norm);
        if first >= 3 && cx.patterns.articles.contains(nt.token_text(first - 1)) {
            first -= 1;
        }
        if first < 2 || nt.token_text(first - 1) != "," {
            continue;
        }
        if let Some(r) = words.name_backward(first - 2) {
            let rule_id = &cx.patterns.titles[hit.payload as usize].1;
            let role = cx.orig[nt.orig_range(cx.orig, hit.norm.clone())].to_owned();
            out.push(words.person(r, rule_id, 0.6, role));
        }
    }

    // A hit covering exactly one whole word token (after its clitic), not part of an entity.
    let word_at = |h: &Hit| {
        let i = nt.token_at(h.norm.start)?;
        let t = &nt.tokens[i];
        (h.norm.end == t.norm.end && cover[i].is_none() && t.kind == TokenKind::Word).then_some(i)
    };
    let mut is_kin = vec![false; n];
    for i in cx.kin_hits.iter().filter_map(word_at) {
        is_kin[i] = true;
        let role = cx.orig[nt.tokens[i].orig.clone()].to_owned();
        match cover.get(i + 1).copied().flatten() {
            Some(k) if gaz[k].1 == EntityType::Person => {
                if gaz[k].0.role.is_empty() {
                    gaz[k].0.role = role;
                }
            }
            _ => {
                if let Some(r) = words.name_forward(i + 1) {
                    out.push(words.person(r, "patterns.toml:kin", 0.65, role));
                }
            }
        }
    }
    // A reporting verb, then an Arabic name that starts with a given name, then what was said:
    // "وقال أحمد الحجار إن".
    for i in cx.speech_hits.iter().filter_map(word_at) {
        if let Some(r) = words.after_speech_verb(i) {
            out.push(words.person(r, "patterns.toml:speech_verbs", 0.55, String::new()));
        }
    }
    // A given name and one to three more capitalized words, without a title (English): "Maria
    // Garcia said". Not when an organization head word is part of the run or follows it ("Thomas
    // Jefferson University").
    let org_head = |k: usize| {
        k < n && words.capitalized(k) && cx.patterns.org_heads.contains(nt.token_text(k))
    };
    for i in cx.given_hits.iter().filter_map(word_at) {
        if !words.english_given_name(i) {
            continue;
        }
        if let Some(r) = words.name_forward(i).filter(|r| r.len() >= 2) {
            if !(r.start..=r.end).any(org_head) {
                out.push(words.person(r, "patterns.toml:given_names", 0.6, String::new()));
            }
        }
    }
    for h in cx.head_hits {
        let Some(i) = word_at(h).filter(|&i| !is_kin[i]) else {
            continue;
        };
        let clitic_len = h.norm.start - nt.tokens[i].norm.start;
        let found = if arabic::starts_arabic(nt.token_text(i)) {
            words.arabic_org(i, clitic_len)
        } else if clitic_len == 0 && words.capitalized(i) {
            words.english_org(i)
        } else {
            None
        };
        out.extend(found);
    }
    out
}

struct Words<'a, 'b> {
    cx: &'a Context<'b>,
    cover: &'a [Option<usize>],
    title_at: &'a [Option<usize>],
}

impl Words<'_, '_> {
    /// Whether token `i` may be part of a person's name.
    fn name_word(&self, i: usize) -> bool {
        let nt = self.cx.nt;
        let t = &nt.tokens[i];
        if t.kind != TokenKind::Word || self.cover[i].is_some() || self.title_at[i].is_some() {
            return false;
        }
        let text = nt.token_text(i);
        // "علي" (the name) and "على" (the preposition) fold to the same word; the original
        // spelling tells them apart.
        let ali = text == "علي" && self.cx.orig[t.orig.clone()].ends_with('ي');
        if text.chars().count() < 2
            || (self.stop(text) && !ali)
            || self.cx.patterns.kin.contains(text)
        {
            return false;
        }
        if arabic::starts_arabic(text) {
            true
        } else {
            self.capitalized(i)
        }
    }

    /// The name after the reporting verb at token `i` (see `speech_verbs` in patterns.toml).
    fn after_speech_verb(&self, i: usize) -> Option<Range<usize>> {
        let nt = self.cx.nt;
        let j = i + 1;
        if j >= nt.tokens.len()
            || !self.is_arabic_word(j)
            || !self.cx.patterns.given_names.contains(nt.token_text(j))
        {
            return None;
        }
        let r = self.name_forward(j).filter(|r| r.len() >= 2)?;
        let clitic_article = |k: usize| arabic::starts_with_clitic_article(nt.token_text(k));
        let said = r.end < nt.tokens.len() && self.cx.patterns.said.contains(nt.token_text(r.end));
        (said && !(r.start + 1..r.end).any(clitic_article)).then_some(r)
    }

    /// Whether token `i` is a capitalized Latin given name that no entity or title covers.
    fn english_given_name(&self, i: usize) -> bool {
        let nt = self.cx.nt;
        nt.tokens[i].kind == TokenKind::Word
            && self.cover[i].is_none()
            && self.title_at[i].is_none()
            && !arabic::starts_arabic(nt.token_text(i))
            && self.cx.patterns.given_names.contains(nt.token_text(i))
            && self.capitalized(i)
    }

    /// A word token that is not a stop word and not part of another entity or title.
    fn stop_free(&self, i: usize) -> bool {
        let t = &self.cx.nt.tokens[i];
        t.kind == TokenKind::Word
            && self.cover[i].is_none()
            && self.title_at[i].is_none()
            && !self.stop(self.cx.nt.token_text(i))
    }

    fn stop(&self, text: &str) -> bool {
        let sw = &self.cx.patterns.stopwords;
        clitic_lookup(sw, text).is_some()
    }

    fn capitalized(&self, i: usize) -> bool {
        self.cx.orig[self.cx.nt.tokens[i].orig.clone()]
            .chars()
            .next()
            .is_some_and(char::is_uppercase)
    }

    /// Arabic names need two words. A word with the article follows عبد / أبو / بن ("عبد الله"),
    /// or ends a name that starts with a given name ("أحمد الحجار", "محمد شياع السوداني"): "X
    /// العلاقات" after a title is a verb and its object far more often than a name.
    fn name_ok(&self, r: &Range<usize>) -> bool {
        let nt = self.cx.nt;
        let first = nt.token_text(r.start);
        if !arabic::starts_arabic(first) {
            return true;
        }
        let p = self.cx.patterns;
        let given = p.given_names.contains(first) || p.compound_heads.contains(first);
        r.len() >= 2
            && r.clone().all(|i| {
                !self.has_article(i)
                    || self.after_compound_head(i, r.start)
                    || (given && i > r.start && i + 1 == r.end)
            })
    }

    /// Whether token `i` (after `start`) follows the first half of a compound name ("عبد" الله,
    /// "بن" سلمان).
    fn after_compound_head(&self, i: usize, start: usize) -> bool {
        i > start
            && self
                .cx
                .patterns
                .name_links
                .contains(self.cx.nt.token_text(i - 1))
    }

    /// Whether token `i` is an Arabic word.
    fn is_arabic_word(&self, i: usize) -> bool {
        self.cx.nt.tokens[i].kind == TokenKind::Word
            && arabic::starts_arabic(self.cx.nt.token_text(i))
    }

    /// Whether token `i` starts with the article as written: ال with a bare alef. "إلكا" and
    /// "إلياس" (hamza under the alef) fold to the same letters but are names.
    fn has_article(&self, i: usize) -> bool {
        self.cx.orig[self.cx.nt.tokens[i].orig.clone()].starts_with("ال")
    }

    fn name_forward(&self, j: usize) -> Option<Range<usize>> {
        let n = self.cx.nt.tokens.len();
        let mut k = j;
        while k < n && k - j < 4 && self.name_word(k) {
            k += 1;
            // A family name or nisba with the article ends an Arabic name: "أحمد الحجار الوضع"
            // is a name and what follows it.
            if k - 1 > j
                && self.is_arabic_word(k - 1)
                && self.has_article(k - 1)
                && !self.after_compound_head(k - 1, j)
            {
                break;
            }
        }
        (k > j && self.name_ok(&(j..k))).then_some(j..k)
    }

    fn name_backward(&self, last: usize) -> Option<Range<usize>> {
        let mut k = last + 1;
        while k > 0 && last + 1 - k < 4 && self.name_word(k - 1) {
            k -= 1;
        }
        (k <= last && self.name_ok(&(k..last + 1))).then_some(k..last + 1)
    }

    fn person(&self, r: Range<usize>, rule_id: &str, confidence: f64, role: String) -> Candidate {
        self.candidate(r, 0, EntityType::Person, rule_id, confidence, role)
    }

    fn candidate(
        &self,
        r: Range<usize>,
        skip: usize,
        ty: EntityType,
        rule_id: &str,
        confidence: f64,
        role: String,
    ) -> Candidate {
        let nt = self.cx.nt;
        let norm = nt.tokens[r.start].norm.start + skip..nt.tokens[r.end - 1].norm.end;
        let key = nt.text[norm.clone()].to_owned();
        Candidate {
            field: self.cx.field,
            orig: nt.orig_range(self.cx.orig, norm.clone()),
            norm,
            referent: Referent::Unlisted(ty, key),
            rule_id: rule_id.into(),
            confidence,
            priority: -1,
            role,
        }
    }

    /// "وزارة" + [one bare word] + definite words / nationality adjectives / places.
    fn arabic_org(&self, i: usize, clitic_len: usize) -> Option<Candidate> {
        let nt = self.cx.nt;
        let n = nt.tokens.len();
        let mut k = i + 1;
        while k < n && k - i <= 6 {
            if let Some(c) = self.cover[k] {
                let _ = c;
                break;
            }
            let t = &nt.tokens[k];
            let text = nt.token_text(k);
            if t.kind != TokenKind::Word || self.stop(text) || self.title_at[k].is_some() {
                break;
            }
            let definite = arabic::is_definite(text);
            if !(definite || k == i + 1) {
                break;
            }
            k += 1;
        }
        // Nationality adjectives and places right after belong to the name ("الروسية").
        if k > i + 1 {
            while k < n {
                match self.cover[k] {
                    Some(_) if self.cover_type_is_adjectival(k) => k += 1,
                    _ => break,
                }
            }
        }
        // A bare word right after the head ("معهد يونسي") needs a definite word after it.
        if k == i + 2 && !arabic::is_definite(nt.token_text(i + 1)) {
            return None;
        }
        if k <= i + 1 {
            return None;
        }
        let start = nt.tokens[i].norm.start + clitic_len;
        let phrase = &nt.text[start..nt.tokens[k - 1].norm.end];
        let generic = &self.cx.patterns.org_generic;
        if generic.contains(phrase) {
            return None;
        }
        Some(self.candidate(
            i..k,
            clitic_len,
            EntityType::Organization,
            "patterns.toml:organization",
            0.6,
            String::new(),
        ))
    }

    fn cover_type_is_adjectival(&self, k: usize) -> bool {
        // The token is covered by a gazetteer hit; adjectives are NORP words that start with ال.
        let text = self.cx.nt.token_text(k);
        text.starts_with("ال") && self.cover[k].is_some() && !self.stop(text)
    }

    /// A capitalized run around an English head word: "Korean Central News Agency", "Ministry of Defence".
    fn english_org(&self, i: usize) -> Option<Candidate> {
        let nt = self.cx.nt;
        let n = nt.tokens.len();
        let cap = |k: usize| {
            nt.tokens[k].kind == TokenKind::Word
                && self.cover[k].is_none()
                && self.capitalized(k)
                && !self.stop(nt.token_text(k))
        };
        let mut a = i;
        while a > 0 && i - a < 4 && cap(a - 1) {
            a -= 1;
        }
        let mut b = i + 1;
        while b < n && b - i < 6 {
            if cap(b) || (self.cover[b].is_some() && self.capitalized(b)) {
                b += 1;
            } else if self.cx.patterns.org_connectors.contains(nt.token_text(b))
                && b + 1 < n
                && (cap(b + 1) || self.cover[b + 1].is_some() && self.capitalized(b + 1))
            {
                b += 2;
            } else {
                break;
            }
        }
        (b - a >= 2).then(|| {
            self.candidate(
                a..b,
                0,
                EntityType::Organization,
                "patterns.toml:organization",
                0.6,
                String::new(),
            )
        })
    }
}

fn token_span(nt: &NormText, norm: &Range<usize>) -> Range<usize> {
    first_token(nt, norm)..last_token(nt, norm) + 1
}

fn first_token(nt: &NormText, norm: &Range<usize>) -> usize {
    nt.token_at(norm.start).unwrap_or(0)
}

fn last_token(nt: &NormText, norm: &Range<usize>) -> usize {
    nt.token_at(norm.end.saturating_sub(1)).unwrap_or(0)
}

/// Looks `tok` up in `set` as it is, then without a leading proclitic (see
/// [`arabic::strip_proclitic`]; the rest has two letters or more). Returns the byte length of
/// the clitic that had to be removed.
pub fn clitic_lookup<S: std::hash::BuildHasher>(
    set: &std::collections::HashSet<String, S>,
    tok: &str,
) -> Option<usize> {
    arabic::strip_proclitic(tok, 2, |w| set.contains(w))
}
