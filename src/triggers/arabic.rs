//! Arabic names read from their structure, without a title: a given name and more name words
//! ("خليل السكاكيني", "محمد بن سلمان", "سليمان أبو العز"), and a name after a reporting verb
//! ("وقال أحمد الحجار إن").
//!
//! A name starts with a given name (or عبد / أبو and the word after it) and takes up to three
//! more words: given names, family names, any word that is on no list of common or function words
//! (a transliterated surname: "موغيريني"), a link word and its complement (بن / ابن / بنت / عبد /
//! أبو / آل + word, "محمد بن راشد آل مكتوم"), and at the end a word with the article (a family
//! name or nisba: "الحجار", "السكاكيني") unless it is a common word ("محمد الوضع"). It stops at
//! punctuation, numbers, listed entities and dates, titles, stop, function and common words. A
//! given name that is also a common word ("أمل", "نور") starts a name only when a given name or
//! family name follows it. One word alone is no name here.

use std::ops::Range;

use super::words::{
    Words, COMMON, COMPOUND_HEAD, CURATED, FUNCTION, GIVEN, SHORT, SURNAME, WAW_GIVEN,
};
use crate::entities::Candidate;
use crate::model::EntityType;
use crate::text::arabic;

/// A reporting verb, then an Arabic name that starts with a given name, then what was said:
/// PERSON (0.55).
pub(super) fn after_speech_verbs(w: &Words, out: &mut Vec<Candidate>) {
    for i in w.cx.speech_hits.iter().filter_map(|h| w.word_at(h)) {
        if let Some(r) = w.after_speech_verb(i) {
            out.push(w.person(r, "patterns.toml:speech_verbs", 0.55, String::new()));
        }
    }
}

impl Words<'_, '_> {
    /// The name after the reporting verb at token `i` (see `speech_verbs` in patterns.toml).
    pub(super) fn after_speech_verb(&self, i: usize) -> Option<Range<usize>> {
        let nt = self.cx.nt;
        let j = i + 1;
        if j >= nt.tokens.len() || !self.is_arabic_word(j) || !self.is(j, GIVEN) {
            return None;
        }
        let r = self.name_forward(j).filter(|r| r.len() >= 2)?;
        let clitic_article = |k: usize| arabic::starts_with_clitic_article(nt.token_text(k));
        let said = r.end < nt.tokens.len() && self.cx.patterns.said.contains(nt.token_text(r.end));
        (said && !(r.start + 1..r.end).any(clitic_article)).then_some(r)
    }
}

/// Names read from their structure alone (see the module docs): PERSON (0.6, 0.65 with three
/// words or more). Tokens in `taken` (found by an earlier pass) are left alone.
pub(super) fn by_structure(w: &Words, taken: &[bool], out: &mut Vec<Candidate>) {
    let mut i = 0;
    while i < w.len() {
        match (!taken[i]).then(|| w.arabic_name_at(i)).flatten() {
            Some((r, skip)) if !r.clone().any(|k| taken[k]) => {
                let confidence = if r.len() >= 3 { 0.65 } else { 0.6 };
                let c = w.candidate(
                    r.clone(),
                    skip,
                    EntityType::Person,
                    "grammar:arabic-name",
                    confidence,
                    String::new(),
                );
                out.push(c);
                i = r.end;
            }
            _ => i += 1,
        }
    }
}

impl Words<'_, '_> {
    /// The Arabic name that starts at token `i`, if one does, and the bytes of the normalized
    /// token before it: a given name with و ("خالد يوسف وأحمد حسن") starts a name after the و,
    /// which stays out of the span.
    fn arabic_name_at(&self, i: usize) -> Option<(Range<usize>, usize)> {
        let nt = self.cx.nt;
        let p = self.cx.patterns;
        let n = self.len();
        // Only a given name, عبد / أبو, or و and a given name start a name: the cheap test first.
        let waw = !self.is(i, GIVEN) && self.names_after_waw(i);
        if !self.is(i, GIVEN | COMPOUND_HEAD) && !waw {
            return None;
        }
        // Right after a title the title pass decides ("استقبل الرئيس عباس الوفد" is a surname and
        // the object, which it refuses).
        if !self.is_arabic_word(i)
            || !self.name_word(i)
            || self.has_article(i)
            || i > 0 && self.title_at[i - 1].is_some()
        {
            return None;
        }
        let token = nt.token_text(i);
        let (text, skip) = if waw {
            (&token["و".len()..], "و".len())
        } else {
            (token, 0)
        };
        let first = |bits: u8| {
            if waw {
                self.cx.names.of_word(text) & bits != 0 || self.is(i, bits & SHORT)
            } else {
                self.is(i, bits)
            }
        };
        // A link word never starts a name ("حمدان بن سعيد": not "بن سعيد" when حمدان is unknown).
        // The short form of a listed person that is no given name ("بوتين") never starts one.
        if first(SHORT) && !first(GIVEN)
            || p.name_links.contains(text) && !p.compound_heads.contains(text)
        {
            return None;
        }
        // The first name: a given name, or عبد / أبو and the word after it ("عبد الرحمن").
        let mut k = if p.compound_heads.contains(text) {
            if i + 1 < n && self.name_word(i + 1) && self.is_arabic_word(i + 1) {
                i + 2
            } else {
                return None;
            }
        } else if first(GIVEN) && !first(FUNCTION) {
            i + 1
        } else {
            return None;
        };
        // A given name that is also a common word needs a listed name or a family name with the
        // article after it; one that only the large list knows (transliterated names included)
        // is followed by listed names, not by any unlisted word.
        // So does one that is the short form of a listed person.
        let weak = k == i + 1 && first(COMMON | SHORT);
        let open = k > i + 1 || first(CURATED);
        while k < n && k - i < 4 {
            let t = nt.token_text(k);
            // "نجيب جرجورة وسليمان أبو العز": a name word with و starts another name.
            if t.starts_with('و') && self.names_after_waw(k) {
                break;
            }
            // "عطا الله", "نور الدين": the second half of a compound continues the name.
            if p.compound_tails.contains(t) {
                k += 1;
                continue;
            }
            if p.name_links.contains(t) {
                // بن / أبو / آل + its complement, which may carry the article: "أبو العز".
                if k + 1 < n
                    && self.is_arabic_word(k + 1)
                    && (self.name_word(k + 1) || self.linked_place(k + 1, i))
                {
                    k += 2;
                    continue;
                }
                break;
            }
            if !self.is_arabic_word(k) || !self.name_word(k) || self.is(k, FUNCTION) {
                break;
            }
            let listed = self.is(k, GIVEN | SURNAME);
            if self.has_article(k) {
                // A family name or nisba ends the name; a common word does not belong to it.
                if listed || !self.is(k, COMMON) {
                    k += 1;
                }
                break;
            }
            if listed || open && !self.is(k, COMMON) {
                k += 1;
            } else {
                break;
            }
        }
        // A common word that is a given name ("أمل") starts a name when a listed name, a family
        // name with the article, or a link and its complement ("أمل أبو زيد") follows.
        let strong_second = i + 1 < n
            && (self.is(i + 1, GIVEN | SURNAME)
                || self.has_article(i + 1) && !self.is(i + 1, COMMON)
                || p.name_links.contains(nt.token_text(i + 1)) && k >= i + 3);
        if k - i < 2 || weak && !strong_second {
            return None;
        }
        Some((i..k, skip))
    }

    /// Whether token `k`, which starts with و, is "and" + a given name ("وسليمان").
    fn names_after_waw(&self, k: usize) -> bool {
        self.is(k, WAW_GIVEN)
    }
}
