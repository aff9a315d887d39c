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
//!
//! After a person found by any pass, و and a name, or names between commas closed by و and a
//! name, are more persons ("الوزير X ونادر حمشو": [`coordinated`]).

use std::ops::Range;

use super::words::{
    first_token, last_token, Words, CLITIC_GIVEN, COMMON, COMPOUND_HEAD, CURATED, FUNCTION, GIVEN,
    SHORT, SURNAME,
};
use crate::entities::{Candidate, Referent};
use crate::model::EntityType as Type;
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
            // "قرية أبو غوش", "مخيم أبو X": after a place-type noun the name is the place's.
            Some((r, _)) if w.after_place_prefix(r.start) => i = r.end,
            Some((r, skip)) if !r.clone().any(|k| taken[k]) => {
                let r = if skip == 0 {
                    w.extend_back(r, taken)
                } else {
                    r
                };
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

/// The most words an Arabic name read by the grammar has ("عطا الله عبد الرحيم حسن الخطيب").
const MAX_NAME_WORDS: usize = 6;

impl Words<'_, '_> {
    /// A name found by its structure, extended back over the listed given or family name before
    /// it ("سلوى عبد الرحيم حماد", "عطا الله عبد الرحيم حماد": the name starts at عبد, the first
    /// name before it): the word is on the name lists and no common or function word, has no
    /// article, is no verb, and follows no title (the title pass decides there). A name of two
    /// words ("عطا الله") comes along when its second word is الله / الدين.
    fn extend_back(&self, r: Range<usize>, taken: &[bool]) -> Range<usize> {
        let p = self.cx.patterns;
        let listed = |k: usize| {
            !taken[k]
                && self.is_arabic_word(k)
                && self.name_word(k)
                && !self.has_article(k)
                && self.is(k, GIVEN | SURNAME)
                && !self.is(k, COMMON | FUNCTION | SHORT)
                && !self.verb_like(k)
                && !self.line_break_before(k + 1)
                && (k == 0 || self.title_at[k - 1].is_none() && !self.after_place_prefix(k))
        };
        let i = r.start;
        let start = if i >= 1 && listed(i - 1) {
            i - 1
        } else if i >= 2
            && !taken[i - 1]
            && p.compound_tails.contains(self.cx.nt.token_text(i - 1))
            && listed(i - 2)
        {
            i - 2
        } else {
            i
        };
        if r.end - start > MAX_NAME_WORDS {
            return r;
        }
        start..r.end
    }

    /// Whether a line break stands between token `k - 1` and token `k`.
    fn line_break_before(&self, k: usize) -> bool {
        let nt = self.cx.nt;
        k > 0 && k < nt.tokens.len() && {
            let gap = nt.tokens[k - 1].orig.end..nt.tokens[k].orig.start;
            self.cx.orig[gap].contains('\n')
        }
    }
}

/// Speaker labels of dialogue, interviews and scripts: at the start of a sentence (the start of
/// the field, after . ! ? or a line break), one name word and a colon ("سامر: لا أعرف"), or the
/// kunya أم / أبو and a name word ("أم سامر: ..."): PERSON (0.6). The word has no article and is
/// a listed given or family name and no link word ("أبو:" alone is nobody's name); a common word
/// only when it is also a given name ("كريم"), a function word only when it is a curated given
/// name. Tokens in `taken` are left alone.
pub(super) fn speaker_labels(w: &Words, taken: &[bool], out: &mut Vec<Candidate>) {
    let nt = w.cx.nt;
    for colon in 1..w.len() {
        if nt.token_text(colon) != ":" {
            continue;
        }
        let i = colon - 1;
        let kunya = i >= 1
            && matches!(nt.token_text(i - 1), "ام" | "ابو")
            && w.is_arabic_word(i - 1)
            && w.cover[i - 1].is_none()
            && w.title_at[i - 1].is_none();
        let start = if kunya { i - 1 } else { i };
        if !taken[start..colon].contains(&true) && w.line_start(start) && w.label_name(i) {
            let rule = "grammar:arabic-speaker";
            out.push(w.person(start..colon, rule, 0.6, String::new()));
        }
    }
}

impl Words<'_, '_> {
    /// Whether token `i` starts a sentence: the first token, or after . ! ? (؟ folds to ?) or a
    /// line break.
    fn line_start(&self, i: usize) -> bool {
        let nt = self.cx.nt;
        i == 0
            || matches!(nt.token_text(i - 1), "." | "!" | "?")
            || self.cx.orig[nt.tokens[i - 1].orig.end..nt.tokens[i].orig.start].contains('\n')
    }

    /// Whether token `i` names a speaker alone (see [`speaker_labels`]).
    fn label_name(&self, i: usize) -> bool {
        let b = self.flags[i];
        self.is_arabic_word(i)
            && self.cover[i].is_none()
            && self.title_at[i].is_none()
            && !self.has_article(i)
            && self.cx.nt.token_text(i).chars().count() >= 3
            && b & (GIVEN | SURNAME) != 0
            && b & COMPOUND_HEAD == 0
            && !self
                .cx
                .patterns
                .name_links
                .contains(self.cx.nt.token_text(i))
            && (b & COMMON == 0 || b & GIVEN != 0)
            && (b & FUNCTION == 0 || b & CURATED != 0)
    }
}

/// Persons in coordination with a person found by the passes above ("الوزير X ونادر حمشو", "X،
/// Y وZ"): after an Arabic person of `out`, و (alone or attached) and a name, or a list of names
/// between commas that ends in و and a name, is read as more persons: PERSON (0.6). Only persons
/// start a list; tokens in `taken` are left alone (and the new names are marked taken).
pub(super) fn coordinated(w: &Words, taken: &mut [bool], out: &mut Vec<Candidate>) {
    let nt = w.cx.nt;
    let mut c = 0;
    while c < out.len() {
        let person = matches!(out[c].referent, Referent::Unlisted(EntityType::Person, _));
        let end = last_token(nt, &out[c].norm) + 1;
        c += 1;
        if !person || end >= w.len() || !w.is_arabic_word(end - 1) {
            continue;
        }
        // A person found above may close a list ("X، Y وZ" with "Z" read by the structure pass).
        let person_at = |k: usize| {
            out.iter().any(|c| {
                matches!(c.referent, Referent::Unlisted(EntityType::Person, _))
                    && first_token(nt, &c.norm) == k
            })
        };
        for (r, skip) in w.coordinated_after(end, taken, person_at) {
            for t in r.clone() {
                taken[t] = true;
            }
            let rule = "grammar:arabic-name-list";
            out.push(w.candidate(r, skip, EntityType::Person, rule, 0.6, String::new()));
        }
    }
}

impl Words<'_, '_> {
    /// The names coordinated with a person that ends before token `e`, and the bytes of the
    /// attached و before each: و and a name ("ونادر حمشو", "و نادر حمشو") and names after commas
    /// when و and a name close the list ("، Y وZ"). A member that overlaps `taken` ends the list.
    fn coordinated_after(
        &self,
        mut e: usize,
        taken: &[bool],
        person_at: impl Fn(usize) -> bool,
    ) -> Vec<(Range<usize>, usize)> {
        let nt = self.cx.nt;
        let n = self.len();
        let mut found = Vec::new();
        // Members after a comma not yet followed by a member with و.
        let mut open = 0;
        while e < n && found.len() < 8 {
            let comma = nt.token_text(e) == ",";
            if comma {
                e += 1;
            }
            if e >= n {
                break;
            }
            // "، وZ": the comma before و is the list's.
            let (start, waw) = match nt.token_text(e) {
                "و" => (e + 1, false),
                t if t.starts_with('و') => (e, true),
                _ if comma => (e, false),
                _ => break,
            };
            let comma = comma && start == e && !waw;
            if start < n && taken[start] {
                // A person found above closes the list.
                if !comma && person_at(start) {
                    open = 0;
                }
                break;
            }
            let Some(r) = self
                .coordinated_name(start, waw)
                .filter(|r| !r.clone().any(|k| taken[k]))
            else {
                break;
            };
            e = r.end;
            found.push((r, if waw { "و".len() } else { 0 }));
            open = if comma { open + 1 } else { 0 };
        }
        found.truncate(found.len() - open);
        found
    }

    /// A name coordinated with a person, starting at token `i` (after its attached و when `waw`):
    /// its first word is a name word that is no common or function word (a given name may also
    /// be a common word: "نادر"), no title, link, kinship word, organization head or place noun,
    /// has no article and reads as no verb; it goes on by the rules of the structure pass for a
    /// name that starts with a curated given name, and has two words or more.
    fn coordinated_name(&self, i: usize, waw: bool) -> Option<Range<usize>> {
        let p = self.cx.patterns;
        let n = self.len();
        if i >= n || !self.is_arabic_word(i) || !self.name_word(i) {
            return None;
        }
        let token = self.cx.nt.token_text(i);
        let (text, bits) = if waw {
            // "وصول", "وزير": a word listed whole is what it says, not و and a name.
            if self.flags[i] & !(CLITIC_GIVEN | SHORT) != 0 {
                return None;
            }
            let text = &token["و".len()..];
            (text, self.cx.names.of_word(text) | self.flags[i] & SHORT)
        } else {
            (token, self.flags[i])
        };
        let given = bits & GIVEN != 0;
        if text.chars().count() < 2
            || bits & FUNCTION != 0
            || bits & COMMON != 0 && !given
            || bits & SHORT != 0 && !given
            || text.starts_with(arabic::ARTICLE)
            || !waw && self.has_article(i)
            || self.common_text(text, bits)
            || verb_like_text(text, bits)
            || p.name_links.contains(text) && !p.compound_heads.contains(text)
            || p.kin.contains(text)
            || p.org_heads.contains(text)
            || p.place_prefixes.contains(text)
        {
            return None;
        }
        // An unlisted first word reads as a transliterated name ("وتيلرسون"): "واستعرض الجانبان"
        // is "and" and a verb.
        let compound = p.compound_heads.contains(text);
        if bits & (GIVEN | SURNAME) == 0 && !compound && !transliterated(text) {
            return None;
        }
        let k = if compound {
            if i + 1 < n && self.name_word(i + 1) && self.is_arabic_word(i + 1) {
                i + 2
            } else {
                return None;
            }
        } else {
            i + 1
        };
        let k = self.name_rest(i, k, true, false, bits & COMMON != 0);
        (k - i >= 2).then_some(i..k)
    }
}

impl Words<'_, '_> {
    /// The Arabic name that starts at token `i`, if one does, and the bytes of the normalized
    /// token before it: a given name with و ("خالد يوسف وأحمد حسن") or ل ("رسالة لأحمد حسن")
    /// starts a name after the proclitic, which stays out of the span.
    fn arabic_name_at(&self, i: usize) -> Option<(Range<usize>, usize)> {
        let nt = self.cx.nt;
        let p = self.cx.patterns;
        let n = self.len();
        // Only a given name, عبد / أبو, or و / ل and a given name start a name: the cheap test
        // first. ("waw" below stands for either proclitic: both are one letter of two bytes.)
        let waw = !self.is(i, GIVEN) && self.clitic_given(i);
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
        let k = if p.compound_heads.contains(text) {
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
        // A given name that no common word shares may go on with a word that reads as a
        // transliterated name ("دانييل بيمان").
        let foreign = !waw && k == i + 1 && first(GIVEN) && !first(COMMON | SHORT | FUNCTION);
        let k = self.name_rest(i, k, open, foreign, weak);
        // A common word that is a given name ("أمل") starts a name when a listed name, a family
        // name with the article, or a link and its complement ("أمل أبو زيد") follows.
        let strong_second = i + 1 < n
            && (self.is(i + 1, GIVEN | SURNAME)
                || self.nisba_at(i + 1)
                || self.initial_at(i + 1) && k >= i + 3
                || self.has_article(i + 1) && !self.is(i + 1, COMMON)
                || p.name_links.contains(nt.token_text(i + 1)) && k >= i + 3);
        if k - i < 2 || weak && !strong_second {
            return None;
        }
        Some((i..k, skip))
    }

    /// Where the name that starts at token `i` and has read its first word up to token `k` ends,
    /// by the rules of the structure pass (at most four words): `open` lets it go on with words on
    /// no list, `foreign` with one word that reads as transliterated; a `weak` first word takes no
    /// nisba.
    fn name_rest(
        &self,
        i: usize,
        mut k: usize,
        mut open: bool,
        foreign: bool,
        weak: bool,
    ) -> usize {
        let nt = self.cx.nt;
        let p = self.cx.patterns;
        let n = self.len();
        // Four name words at most, a compound ("عبد العزيز", "عطا الله", "بن حمد") counting as
        // one, and six words in all: "حسن مصطفى عبد العزيز الخطيب".
        let mut compounds = usize::from(k == i + 2);
        while k < n && k - i < (4 + compounds).min(MAX_NAME_WORDS) {
            let t = nt.token_text(k);
            // "نجيب جرجورة وسليمان أبو العز": a name word with و starts another name; "X وآخرون",
            // "X ويجلس": و and a word on no name list is "and" and what follows. A name never
            // runs on over a line break.
            if self.waw_break(k) || self.line_break_before(k) {
                break;
            }
            // "تشارلز ك. بارتلز": an initial (one letter and a dot) inside a name, which then
            // goes on with any name word.
            if self.initial_at(k)
                && k + 2 < n
                && self.name_word(k + 2)
                && !self.arabic_common(k + 2)
            {
                k += 2;
                open = true;
                continue;
            }
            if self.verb_like(k) {
                break;
            }
            // "عطا الله", "نور الدين": the second half of a compound continues the name.
            if p.compound_tails.contains(t) {
                k += 1;
                compounds += 1;
                continue;
            }
            if p.name_links.contains(t) {
                // بن / أبو / آل + its complement, which may carry the article: "أبو العز".
                if k + 2 <= MAX_NAME_WORDS + i
                    && k + 1 < n
                    && self.is_arabic_word(k + 1)
                    && !self.line_break_before(k + 1)
                    && (self.name_word(k + 1) || self.linked_place(k + 1, i))
                {
                    k += 2;
                    compounds += 1;
                    continue;
                }
                break;
            }
            if !self.is_arabic_word(k) || !self.name_word(k) || self.is(k, FUNCTION) {
                break;
            }
            let listed = self.is(k, GIVEN | SURNAME);
            // "نجيب قرداحي بالوفد": ب or ل with the article is a preposition and what follows,
            // never the next word of a name, even when the word is on no list (a transliterated
            // name may start with وال / فال: "والتر").
            if !listed && (t.starts_with("بال") || t.starts_with("لل")) {
                break;
            }
            if self.has_article(k) {
                // A family name or nisba ends the name; a common word does not belong to it.
                if listed || !self.is(k, COMMON) {
                    k += 1;
                }
                break;
            }
            if listed
                || open && !self.is(k, COMMON)
                || foreign && k == i + 1 && self.foreign_like(k)
            {
                k += 1;
            } else {
                break;
            }
        }
        // "محمود المصري": a nationality adjective after a name is a family name (nisba).
        if !weak
            && k < n
            && k - i < (4 + compounds).min(MAX_NAME_WORDS)
            && !self.has_article(k - 1)
            && self.nisba_at(k)
        {
            k += 1;
        }
        k
    }

    /// Whether token `k` is و and the next name ("وسليمان") or "and" and what follows ("X
    /// وآخرون"): a name read forward stops before it.
    pub(super) fn waw_break(&self, k: usize) -> bool {
        self.cx.nt.token_text(k).starts_with('و') && (self.clitic_given(k) || self.waw_word(k))
    }

    /// Whether token `k` is و or ل and a given name ("وسليمان", "لسليمان").
    fn clitic_given(&self, k: usize) -> bool {
        self.is(k, CLITIC_GIVEN)
    }
}

impl Words<'_, '_> {
    /// The name after an honorific ("السيد", "الدكتور": `honorifics` in patterns.toml) at token
    /// `j`, when the title pass reads none: its first word is any name word that is no common
    /// word, it ends at a family name with the article ("السيد وضاح الخطيب"), and one word is a
    /// name ("الدكتور قسيس", "الدكتور الخليدي": see below). A given name that is also a common or
    /// function word starts the name when a family name with the article follows it ("الحاج أمين
    /// الخطيب").
    pub(super) fn honorific_name(&self, j: usize) -> Option<Range<usize>> {
        let nt = self.cx.nt;
        let p = self.cx.patterns;
        let n = self.len();
        if j >= n || !self.is_arabic_word(j) {
            return None;
        }
        if !self.name_word(j) || self.arabic_common(j) {
            // "الحاج أمين الخطيب": a given name that is also a common or function word, then a
            // family name with the article.
            let given = self.is(j, GIVEN)
                && self.cover[j].is_none()
                && self.title_at[j].is_none()
                && !self.has_article(j)
                && !self.stop(nt.token_text(j));
            let family = j + 1 < n
                && self.is_arabic_word(j + 1)
                && self.name_word(j + 1)
                && self.has_article(j + 1)
                && !self.is(j + 1, COMMON)
                && !self.line_break_before(j + 1);
            return (given && family).then_some(j..j + 2);
        }
        let mut k = j + 1;
        let mut ended = self.has_article(j);
        while !ended && k < n && k - j < 4 {
            let t = nt.token_text(k);
            let compound = p.compound_tails.contains(t) || self.after_compound_head(k, j);
            if !self.is_arabic_word(k)
                || !(self.name_word(k) || self.linked_place(k, j))
                || self.arabic_common(k) && !compound
                || self.verb_like(k)
                || t.starts_with('و') && self.waw_word(k)
            {
                break;
            }
            // A family name with the article ends the name; "عبد الله", "نور الدين" go on.
            ended = self.has_article(k) && !compound;
            k += 1;
        }
        // One word is a name unless a title follows it (the name goes on past the title: "السيد
        // إبراهيم الشيخ X") or it has the article and is no nisba.
        let first = nt.token_text(j);
        let nisba = first.ends_with('ي') && first.chars().count() >= 5;
        let one =
            (!self.has_article(j) || nisba) && self.title_at.get(j + 1).is_none_or(Option::is_none);
        (k > j + 1 || one).then_some(j..k)
    }

    /// A name found after a title, its end settled: a link word without its complement is
    /// dropped ("محمد أحمد أبو" + a preposition), a nationality adjective right after it is its
    /// family name ("السيد ماهر المصري").
    pub(super) fn name_end(&self, mut r: Range<usize>) -> Range<usize> {
        let nt = self.cx.nt;
        while r.len() > 1
            && self.is_arabic_word(r.end - 1)
            && self
                .cx
                .patterns
                .name_links
                .contains(nt.token_text(r.end - 1))
        {
            r.end -= 1;
        }
        if self.is_arabic_word(r.start)
            && r.len() < 4
            && !self.has_article(r.end - 1)
            && self.nisba_at(r.end)
        {
            r.end += 1;
        }
        r
    }

    /// Whether token `k` is a nationality adjective with the article, a listed NORP of that one
    /// word ("المصري"): after a name it is a family name.
    fn nisba_at(&self, k: usize) -> bool {
        k < self.len()
            && self.is_arabic_word(k)
            && self.has_article(k)
            && self.cover[k].is_some_and(|e| {
                self.types[e] == Type::Norp
                    && (k == 0 || self.cover[k - 1] != Some(e))
                    && self.cover.get(k + 1).is_none_or(|&c| c != Some(e))
            })
    }

    /// Whether the name that starts at token `i` follows a place-type noun (`location.prefixes`:
    /// "قرية", "مخيم"), with or without a proclitic ("بقرية").
    pub(super) fn after_place_prefix(&self, i: usize) -> bool {
        i > 0
            && super::clitic_lookup(
                &self.cx.patterns.place_prefixes,
                self.cx.nt.token_text(i - 1),
            )
            .is_some()
    }

    /// Whether token `k` (which starts with و) is و and a word on no name list: "and" and what
    /// follows, never part of the name before it ("X وآخرون", "X ويجلس"). A word listed whole
    /// ("وليد", "وهبي") is a name.
    fn waw_word(&self, k: usize) -> bool {
        let t = self.cx.nt.token_text(k);
        t.strip_prefix('و')
            .is_some_and(|rest| rest.chars().count() >= 3)
            && !self.is(k, GIVEN | SURNAME)
    }

    /// Whether token `k` reads as a verb in the imperfect: a word on no list that starts with
    /// ي / ت / ن and a consonant ("يرتبك", "تستضيف"). A transliterated name starts with a long
    /// vowel after them ("تيلرسون", "ياماموتو"), ends in ة ("تنيرة": no verb does) or is listed.
    fn verb_like(&self, k: usize) -> bool {
        verb_like_text(self.cx.nt.token_text(k), self.flags[k])
    }

    /// Whether token `k` is an initial: one Arabic letter followed by a dot ("ك.").
    fn initial_at(&self, k: usize) -> bool {
        let nt = self.cx.nt;
        let mut chars = nt.token_text(k).chars();
        self.is_arabic_word(k)
            && chars.next().is_some()
            && chars.next().is_none()
            && k + 1 < self.len()
            && nt.token_text(k + 1) == "."
    }

    /// Whether token `k`, a word on no list, reads as a transliterated name: four letters or
    /// more, two of them long vowels (ا و ي) after the first letter ("بيمان", "جولدشتاين"),
    /// not a verb and no proclitic with the article.
    fn foreign_like(&self, k: usize) -> bool {
        let t = self.cx.nt.token_text(k);
        self.flags[k] == 0
            && self.is_arabic_word(k)
            && !self.has_article(k)
            && !arabic::starts_with_clitic_article(t)
            && !self.verb_like(k)
            && transliterated(t)
    }
}

/// [`Words::verb_like`] of a word `text` with the word-list `bits`.
fn verb_like_text(text: &str, bits: u8) -> bool {
    if bits & (GIVEN | SURNAME | CURATED) != 0 {
        return false;
    }
    let mut chars = text.chars();
    let (Some(a), Some(b)) = (chars.next(), chars.next()) else {
        return false;
    };
    let rest = chars.as_str();
    matches!(a, 'ي' | 'ت' | 'ن')
        && !matches!(b, 'ا' | 'و' | 'ي')
        && rest.chars().count() >= 2
        && !rest.ends_with('ه')
}

/// Whether a word on no list reads as transliterated: four letters or more, two of them long
/// vowels (ا و ي) after the first ("بيمان", "تيلرسون").
fn transliterated(text: &str) -> bool {
    text.chars().count() >= 4
        && text
            .chars()
            .skip(1)
            .filter(|c| matches!(c, 'ا' | 'و' | 'ي'))
            .count()
            >= 2
}
