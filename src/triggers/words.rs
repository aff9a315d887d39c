//! What the trigger passes know about the tokens of a field: which are covered by listed
//! entities or titles, which are given names, surnames, function or common words; and how a name
//! is read forward or backward from a token.

use std::ops::Range;

use rustc_hash::FxHashMap;

use super::Context;
use crate::entities::{Candidate, Referent};
use crate::matcher::Hit;
use crate::model::EntityType;
use crate::rules::RuleSet;
use crate::text::{arabic, NormText, TokenKind};

/// A given name (`words/given_names.tsv`, `patterns.toml` given names, first words of listed people).
pub(super) const GIVEN: u8 = 1;
/// A family name (`words/surnames.tsv`).
pub(super) const SURNAME: u8 = 2;
/// A function word (`words/function_words.tsv`).
pub(super) const FUNCTION: u8 = 4;
/// A frequent word that is not a name (`words/common_words.tsv`).
pub(super) const COMMON: u8 = 8;
/// A given name of `patterns.toml` (curated, with the first words of listed people): a name
/// that starts with one may go on with any word that is on no list.
pub(super) const CURATED: u8 = 16;
/// A word that starts a compound name (`patterns.toml` `compound_heads`: عبد، أبو).
pub(super) const COMPOUND_HEAD: u8 = 64;
/// و or ل + a given name of three letters or more ("وسليمان", "لسليمان"): "and" or "to" before
/// a name.
pub(super) const CLITIC_GIVEN: u8 = 128;
/// The bits that say what a word starts rather than what it is.
const STARTS: u8 = COMPOUND_HEAD | CLITIC_GIVEN;

/// The word lists of the name grammar as one table: normalized word → its bits (`GIVEN`,
/// `SURNAME`, `FUNCTION`, `COMMON`, ..., and `CLITIC_GIVEN` for و / ل + a given name), so a token is
/// looked up once.
#[derive(Clone, Debug, Default)]
pub(crate) struct NameWords {
    flags: FxHashMap<Box<str>, u8>,
}

impl NameWords {
    /// Builds the table of a rule set.
    pub(crate) fn new(rules: &RuleSet) -> NameWords {
        let mut flags: FxHashMap<Box<str>, u8> = FxHashMap::default();
        let w = &rules.words;
        let lists = [
            (&w.given_names, GIVEN),
            (&rules.patterns.given_names, GIVEN | CURATED),
            (&w.surnames, SURNAME),
            (&w.function_words, FUNCTION),
            (&w.common_words, COMMON),
            (&rules.patterns.compound_heads, COMPOUND_HEAD),
        ];
        for (list, bit) in lists {
            for word in list {
                *flags.entry(word.as_str().into()).or_default() |= bit;
            }
        }
        let mut clitic_given: Vec<Box<str>> = Vec::new();
        for (word, bits) in &flags {
            if *bits & GIVEN != 0 && word.chars().count() >= 3 {
                clitic_given.push(format!("و{word}").into());
                if arabic::starts_arabic(word) {
                    clitic_given.push(format!("ل{word}").into());
                }
            }
        }
        for word in clitic_given {
            *flags.entry(word).or_default() |= CLITIC_GIVEN;
        }
        NameWords { flags }
    }

    /// The bits of a normalized word (0 for a word on no list).
    pub(super) fn of(&self, word: &str) -> u8 {
        self.flags.get(word).copied().unwrap_or(0)
    }

    /// The bits of a normalized Arabic or Latin word as it stands in a text: an Arabic word on no
    /// list that is a common word once a pronoun suffix or the alef of tanween is taken off
    /// ("ضيفه" = ضيف + ه, "قفازا") counts as common.
    pub(super) fn of_word(&self, word: &str) -> u8 {
        let bits = self.of(word);
        // The article and an attached pronoun never go together.
        if bits & !STARTS != 0 || !arabic::starts_arabic(word) || word.starts_with(arabic::ARTICLE)
        {
            return bits;
        }
        let stem_common = arabic::unsuffixed(word)
            .any(|stem| stem.chars().count() >= 3 && self.of(stem) & COMMON != 0);
        if stem_common {
            bits | COMMON
        } else {
            bits
        }
    }

    /// Whether a normalized word is a common or a function word: it does not stand for a name
    /// alone (a short form of a name found in the same document, say).
    pub(crate) fn is_common(&self, word: &str) -> bool {
        self.of(word) & (COMMON | FUNCTION) != 0
    }

    /// Whether a normalized word as it stands in a text reads as a common or function word and
    /// as no name ("كبيرا", "بابها" = باب + ها): a listed place inside it behind a proclitic
    /// ("ك" + بيرا, "ب" + ابها) is not what it says.
    pub(crate) fn reads_as_common(&self, word: &str) -> bool {
        let bits = self.of_word(word);
        bits & (COMMON | FUNCTION) != 0 && bits & (GIVEN | SURNAME) == 0
    }

    /// Whether a normalized word is a given name that is not also a common or function word: it
    /// may stand alone for a person named in full elsewhere in the document.
    pub(crate) fn is_given_name(&self, word: &str) -> bool {
        self.of(word) & (GIVEN | COMMON | FUNCTION) == GIVEN
    }
}

/// The tokens of one field as the passes see them.
pub(super) struct Words<'a, 'b> {
    pub cx: &'a Context<'b>,
    /// Token → index of the listed entity (or date) that covers it.
    pub cover: Vec<Option<usize>>,
    /// The type of every listed entity (or date) of the field, by index.
    pub types: Vec<EntityType>,
    /// Token → index of the title hit that covers it.
    pub title_at: Vec<Option<usize>>,
    /// Title hit → whether it is a family name instead: a capitalized one-word title right after
    /// a capitalized given name ("Ben Player", "Douglas Cardinal").
    pub title_in_name: Vec<bool>,
    /// Token → its word-list bits (0 for punctuation and numbers), with [`SHORT`] for the short
    /// form of a listed entity.
    pub flags: Vec<u8>,
}

/// The short form of a listed entity (not a word list: set from the lexicon's short-form hits).
pub(super) const SHORT: u8 = 32;

impl<'a, 'b> Words<'a, 'b> {
    /// Reads a field: `gaz` are its accepted listed candidates in text order.
    pub(super) fn new(cx: &'a Context<'b>, gaz: &[(Candidate, EntityType)]) -> Words<'a, 'b> {
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
        let mut flags: Vec<u8> = (0..n)
            .map(|i| match nt.tokens[i].kind {
                TokenKind::Word => cx.names.of_word(nt.token_text(i)),
                _ => 0,
            })
            .collect();
        let capitalized_latin = |i: usize| {
            nt.tokens[i].kind == TokenKind::Word
                && cx.orig[nt.tokens[i].orig.clone()]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_uppercase() && c.is_ascii())
        };
        let title_in_name: Vec<bool> = cx
            .title_hits
            .iter()
            .map(|hit| {
                let span = token_span(nt, &hit.norm);
                let i = span.start;
                span.len() == 1
                    && i > 0
                    && capitalized_latin(i)
                    && capitalized_latin(i - 1)
                    && flags[i - 1] & GIVEN != 0
                    && cover[i - 1].is_none()
            })
            .collect();
        let mut title_at: Vec<Option<usize>> = vec![None; n];
        for (h, hit) in cx.title_hits.iter().enumerate() {
            if title_in_name[h] {
                continue;
            }
            for t in token_span(nt, &hit.norm) {
                if let Some(slot) = title_at.get_mut(t) {
                    *slot = Some(h);
                }
            }
        }
        for h in cx.short_hits {
            for t in token_span(nt, &h.norm) {
                if let Some(f) = flags.get_mut(t) {
                    *f |= SHORT;
                }
            }
        }
        Words {
            cx,
            cover,
            types: gaz.iter().map(|(_, t)| *t).collect(),
            title_at,
            title_in_name,
            flags,
        }
    }

    /// Number of tokens.
    pub(super) fn len(&self) -> usize {
        self.cover.len()
    }

    /// The token a hit covers exactly (one whole word after its clitic) when no listed entity
    /// covers it.
    pub(super) fn word_at(&self, h: &Hit) -> Option<usize> {
        let nt = self.cx.nt;
        let i = nt.token_at(h.norm.start)?;
        let t = &nt.tokens[i];
        (h.norm.end == t.norm.end && self.cover[i].is_none() && t.kind == TokenKind::Word)
            .then_some(i)
    }

    /// Whether token `k` is a capitalized organization head word ("University", "Hospital").
    pub(super) fn org_head(&self, k: usize) -> bool {
        self.capitalized(k)
            && self
                .cx
                .patterns
                .org_heads
                .contains(self.cx.nt.token_text(k))
    }

    /// Whether token `i` has one of the word-list `bits`.
    pub(super) fn is(&self, i: usize, bits: u8) -> bool {
        self.flags.get(i).is_some_and(|f| f & bits != 0)
    }
}

impl Words<'_, '_> {
    /// Whether token `i` may be part of a person's name.
    pub(super) fn name_word(&self, i: usize) -> bool {
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
            // A capitalized English word is a name word even when it is also a function word
            // ("Young", "Will"); an Arabic one has no case to tell.
            || ((self.stop(text) || self.is(i, FUNCTION) && arabic::starts_arabic(text)) && !ali)
            || self.cx.patterns.kin.contains(text)
            // A preposition or conjunction with the article and a common word ("بالوفد",
            // "للتنظيم") is no name; a transliterated name is ("فالتونين", "والتر").
            || self.clitic_article_word(i)
        {
            return false;
        }
        if arabic::starts_arabic(text) {
            true
        } else {
            self.capitalized(i)
        }
    }

    /// A word token that is not a stop word and not part of another entity or title.
    pub(super) fn stop_free(&self, i: usize) -> bool {
        let t = &self.cx.nt.tokens[i];
        t.kind == TokenKind::Word
            && self.cover[i].is_none()
            && self.title_at[i].is_none()
            && !self.stop(self.cx.nt.token_text(i))
    }

    pub(super) fn stop(&self, text: &str) -> bool {
        let sw = &self.cx.patterns.stopwords;
        super::clitic_lookup(sw, text).is_some()
    }

    pub(super) fn capitalized(&self, i: usize) -> bool {
        self.cx.orig[self.cx.nt.tokens[i].orig.clone()]
            .chars()
            .next()
            .is_some_and(char::is_uppercase)
    }

    /// Arabic names need two words. A word with the article follows عبد / أبو / بن ("عبد الله"),
    /// or ends a name that starts with a given name ("أحمد الحجار", "محمد شياع السوداني"): "X
    /// العلاقات" after a title is a verb and its object far more often than a name.
    pub(super) fn name_ok(&self, r: &Range<usize>) -> bool {
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
    pub(super) fn after_compound_head(&self, i: usize, start: usize) -> bool {
        i > start
            && self
                .cx
                .patterns
                .name_links
                .contains(self.cx.nt.token_text(i - 1))
    }

    /// Whether token `i` is an Arabic word.
    pub(super) fn is_arabic_word(&self, i: usize) -> bool {
        self.cx.nt.tokens[i].kind == TokenKind::Word
            && arabic::starts_arabic(self.cx.nt.token_text(i))
    }

    /// Whether token `i` starts with the article as written: ال with a bare alef. "إلكا" and
    /// "إلياس" (hamza under the alef) fold to the same letters but are names.
    pub(super) fn has_article(&self, i: usize) -> bool {
        self.cx.orig[self.cx.nt.tokens[i].orig.clone()].starts_with("ال")
    }

    /// Whether Arabic token `i` reads as an ordinary word rather than a name: a common word on
    /// no name list ("سيارة", "مدرسة"), or a proclitic and such a word ("لاستقدام" = ل +
    /// استيراد, "لمنحه" = ل + منح + ه), or the preposition with the article ("للتنظيم"). Latin
    /// tokens are never (their case decides).
    pub(super) fn arabic_common(&self, i: usize) -> bool {
        self.common_text(self.cx.nt.token_text(i), self.flags[i])
    }

    /// [`Words::arabic_common`] of a word `text` with the word-list `bits`.
    pub(super) fn common_text(&self, text: &str, bits: u8) -> bool {
        if !arabic::starts_arabic(text) || bits & (GIVEN | SURNAME | CURATED) != 0 {
            return false;
        }
        if bits & COMMON != 0 || text.starts_with("لل") {
            return true;
        }
        let names = self.cx.names;
        arabic::strip_proclitic(text, 3, |rest| {
            rest != text && names.of_word(rest) & (GIVEN | SURNAME | COMMON) == COMMON
        })
        .is_some()
    }

    /// Whether Arabic token `i` is a proclitic, the article and a common word: "بالوفد" (ب +
    /// ال + وفد), "للتنظيم" (ل + ال + تنظيم). Listed names never are.
    fn clitic_article_word(&self, i: usize) -> bool {
        let text = self.cx.nt.token_text(i);
        if !arabic::starts_with_clitic_article(text) || self.is(i, GIVEN | SURNAME | CURATED) {
            return false;
        }
        // "لل" is ل + ال; the others are one letter and ال.
        let rest = text.strip_prefix("لل").unwrap_or_else(|| {
            let mut chars = text.chars();
            chars.next();
            chars.as_str().strip_prefix(arabic::ARTICLE).unwrap_or("")
        });
        rest.chars().count() >= 2 && {
            let names = self.cx.names;
            let common = |w: &str| names.of_word(w) & (GIVEN | SURNAME | COMMON) == COMMON;
            common(rest) || common(&format!("{}{rest}", arabic::ARTICLE))
        }
    }

    pub(super) fn name_forward(&self, j: usize) -> Option<Range<usize>> {
        let n = self.cx.nt.tokens.len();
        if j < n && self.arabic_common(j) {
            return None;
        }
        // An Arabic name stops before a common word ("الدكتور X مدرسة"), unless it completes a
        // compound ("عبد الله", "نور الدين").
        let compound = |k: usize| {
            self.after_compound_head(k, j)
                || self
                    .cx
                    .patterns
                    .compound_tails
                    .contains(self.cx.nt.token_text(k))
        };
        let mut k = j;
        // Four words, a compound ("عبد الهادي", "عطا الله") counting as one, six in all.
        let mut compounds = 0;
        while k < n
            && k - j < (4 + compounds).min(6)
            && (self.name_word(k) || self.linked_place(k, j))
            && (k == j || !self.arabic_common(k) || compound(k))
            // "الوزير X ونادر حمشو": و and the next name, or "and" and what follows.
            && (k == j || !self.waw_break(k))
        {
            k += 1;
            if k - 1 > j && compound(k - 1) {
                compounds += 1;
            }
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

    /// Whether token `k` is a one-word listed place right after a name link inside a name that
    /// starts at `start`: the place is part of the name ("محمد أبو سلمية", Salamiyah).
    pub(super) fn linked_place(&self, k: usize, start: usize) -> bool {
        let alone = |e: usize| {
            (k == 0 || self.cover[k - 1] != Some(e))
                && self.cover.get(k + 1).is_none_or(|&c| c != Some(e))
        };
        k > start
            && self
                .cx
                .patterns
                .name_links
                .contains(self.cx.nt.token_text(k - 1))
            && self.cover[k].is_some_and(|e| self.types[e] == EntityType::Location && alone(e))
    }

    pub(super) fn name_backward(&self, last: usize) -> Option<Range<usize>> {
        let nt = self.cx.nt;
        // An English initial ("James W. Hoyt") is part of the name.
        let initial = |k: usize| {
            k >= 2
                && nt.token_text(k - 1) == "."
                && self.cover[k - 2].is_none()
                && self.capitalized(k - 2)
                && nt.token_text(k - 2).len() == 1
                && nt
                    .token_text(k - 2)
                    .bytes()
                    .all(|b| b.is_ascii_alphabetic())
        };
        let mut k = last + 1;
        let mut words = 0;
        while k > 0 && words < 4 {
            if self.name_word(k - 1) {
                k -= 1;
            } else if k <= last && initial(k) && k >= 3 && self.name_word(k - 3) {
                k -= 2;
            } else {
                break;
            }
            words += 1;
        }
        (k <= last && self.name_ok(&(k..last + 1))).then_some(k..last + 1)
    }

    pub(super) fn person(
        &self,
        r: Range<usize>,
        rule_id: &str,
        confidence: f64,
        role: String,
    ) -> Candidate {
        self.candidate(r, 0, EntityType::Person, rule_id, confidence, role)
    }

    pub(super) fn candidate(
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
}

pub(super) fn token_span(nt: &NormText, norm: &Range<usize>) -> Range<usize> {
    first_token(nt, norm)..last_token(nt, norm) + 1
}

pub(super) fn first_token(nt: &NormText, norm: &Range<usize>) -> usize {
    nt.token_at(norm.start).unwrap_or(0)
}

pub(super) fn last_token(nt: &NormText, norm: &Range<usize>) -> usize {
    nt.token_at(norm.end.saturating_sub(1)).unwrap_or(0)
}
