//! Organizations read from their head word: "وزارة الدفاع الروسية", "معهد يونسي للدراسات الكورية
//! الشمالية", "Korean Central News Agency", "Ministry of Defence".

use super::words::{Words, COMMON, FUNCTION};
use crate::entities::Candidate;
use crate::model::EntityType;
use crate::text::{arabic, TokenKind};

/// An organization head word and what follows (Arabic) or surrounds it (English): ORGANIZATION (0.6).
pub(super) fn from_heads(w: &Words, is_kin: &[bool], out: &mut Vec<Candidate>) {
    let cx = w.cx;
    let nt = cx.nt;
    let words = w;
    for h in cx.head_hits {
        // An abbreviated head ("Inc.", "Corp.") covers its word and the period after it.
        let dotted = || {
            let i = nt.token_at(h.norm.start)?;
            let period = nt.tokens.get(i + 1)?;
            (h.norm.start == nt.tokens[i].norm.start
                && h.norm.end == period.norm.end
                && nt.token_text(i + 1) == "."
                && w.cover[i].is_none())
            .then_some(i)
        };
        let (head, abbreviated) = match w.word_at(h) {
            Some(i) => (Some(i), false),
            None => (dotted(), true),
        };
        let Some(i) = head.filter(|&i| !is_kin[i]) else {
            continue;
        };
        let clitic_len = h.norm.start - nt.tokens[i].norm.start;
        let found = if arabic::starts_arabic(nt.token_text(i)) {
            words.arabic_org(i, clitic_len)
        } else if clitic_len == 0 && words.capitalized(i) {
            words.english_org(i, abbreviated)
        } else {
            None
        };
        out.extend(found);
    }
}

impl Words<'_, '_> {
    /// "وزارة" + [one bare word] + definite words / nationality adjectives / places.
    pub(super) fn arabic_org(&self, i: usize, clitic_len: usize) -> Option<Candidate> {
        let nt = self.cx.nt;
        let n = nt.tokens.len();
        let mut k = i + 1;
        // A place right after the head names the body: "بلدية نابلس", "جريدة فلسطين", "جامعة
        // بيرزيت". The place's mention becomes part of the organization's.
        if let Some(e) = self.cover.get(k).copied().flatten() {
            if self.types[e] == EntityType::Location {
                while k < n && self.cover[k] == Some(e) {
                    k += 1;
                }
                while k < n && self.cover[k].is_some() && self.cover_type_is_adjectival(k) {
                    k += 1;
                }
                return Some(self.org(i..k, clitic_len));
            }
        }
        while k < n && k - i <= 6 {
            if self.cover[k].is_some() {
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
        // A bare word right after the head ("معهد يونسي") needs a definite word after it, unless
        // it is on no list of common or function words (a proper name: "شركة أرامكو").
        if k == i + 2
            && !arabic::is_definite(nt.token_text(i + 1))
            && (self.is(i + 1, COMMON | FUNCTION) || !arabic::starts_arabic(nt.token_text(i + 1)))
        {
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
        Some(self.org(i..k, clitic_len))
    }

    /// An organization of tokens `r`, less the clitic of its first token.
    fn org(&self, r: std::ops::Range<usize>, clitic_len: usize) -> Candidate {
        self.candidate(
            r,
            clitic_len,
            EntityType::Organization,
            "patterns.toml:organization",
            0.6,
            String::new(),
        )
    }

    pub(super) fn cover_type_is_adjectival(&self, k: usize) -> bool {
        // The token is covered by a gazetteer hit; adjectives are NORP words that start with ال.
        let text = self.cx.nt.token_text(k);
        text.starts_with("ال") && self.cover[k].is_some() && !self.stop(text)
    }

    /// A capitalized run around an English head word: "Korean Central News Agency", "Ministry of
    /// Defence". An abbreviated head ("Acme Widgets Inc.") ends the name with its period.
    pub(super) fn english_org(&self, i: usize, abbreviated: bool) -> Option<Candidate> {
        let nt = self.cx.nt;
        let n = nt.tokens.len();
        let cap = |k: usize| {
            nt.tokens[k].kind == TokenKind::Word
                && self.cover[k].is_none()
                && self.capitalized(k)
                && !self.stop(nt.token_text(k))
        };
        // A capitalized place, nationality or organization belongs to the name ("Swiss National
        // Bank", "Montreal Hockey Club"); a date does not ("Club on May 5").
        let covered = |k: usize| {
            self.cover[k].is_some_and(|e| self.types[e] != EntityType::Date) && self.capitalized(k)
        };
        let standalone = self.cx.patterns.org_standalone.contains(nt.token_text(i));
        let mut a = i;
        // A company form of three letters or fewer, or abbreviated, may stand after a comma:
        // "Acme Widgets, Inc.", "Benton, Ltd".
        let company_form = abbreviated || nt.token_text(i).chars().count() <= 3;
        if company_form && i >= 2 && nt.token_text(i - 1) == "," && cap(i - 2) {
            a = i - 1;
        }
        let before = a;
        while a > 0 && before - a < 4 && (cap(a - 1) || covered(a - 1)) {
            a -= 1;
        }
        // An ordinal starts a unit's name: "82nd Airborne Division", "65th Air Division".
        let ordinal = |k: usize| {
            let t = nt.token_text(k);
            let digits = t.bytes().take_while(u8::is_ascii_digit).count();
            digits > 0 && matches!(&t[digits..], "st" | "nd" | "rd" | "th" | "d")
        };
        if a > 0 && a < i && ordinal(a - 1) {
            a -= 1;
        }
        // Before a standalone head only a listed place or organization belongs to the name
        // ("Texas Legislature"); an adjective qualifies it ("the Republican Legislature", "a new Cabinet").
        while standalone
            && a < i
            && !self.cover[a].is_some_and(|e| {
                matches!(
                    self.types[e],
                    EntityType::Location | EntityType::Organization
                )
            })
        {
            a += 1;
        }
        if a < i
            && self.sentence_start(a)
            && self.is(a, FUNCTION | COMMON)
            && self.cover[a].is_none()
        {
            a += 1;
        }
        let mut b = if abbreviated { i + 2 } else { i + 1 };
        while !abbreviated && b < n && b - i < 6 {
            if cap(b) || covered(b) {
                b += 1;
            } else if self.cx.patterns.org_connectors.contains(nt.token_text(b))
                && b + 1 < n
                && (cap(b + 1) || covered(b + 1))
            {
                b += 2;
            } else if b == i + 1
                && self.cx.patterns.org_connectors.contains(nt.token_text(b))
                && b + 2 < n
                && self.cx.patterns.articles.contains(nt.token_text(b + 1))
                && (cap(b + 2) || covered(b + 2))
            {
                // "Army of the Potomac", "Bank of the West": right after the head only
                b += 3;
            } else {
                break;
            }
        }
        // "the Politburo", "Cabinet officials": a standalone head is a name by itself.
        let alone = b - a == 1 && !abbreviated && standalone;
        (b - a >= 2 && (a < i || !abbreviated) || alone).then(|| {
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
