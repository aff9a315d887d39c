//! English names read from capitalized words: a listed given name and one to three more
//! capitalized words ("Maria Garcia said"), and runs of capitalized words typed by their cues.
//!
//! A run is a maximal sequence of capitalized Latin words that no listed entity, date or title
//! covers, with initials ("J."), hyphens and lowercase name particles ("van", "de", "bin")
//! between them. A run's first word is dropped when it starts a sentence and is a function or
//! common word ("The", "But", "Yesterday"). A run is a PERSON when it holds no organization
//! head word or connector ("University", "of") and one of these holds, else it is left out
//! (a capitalized run with no cue is not guessed):
//! * it starts with a given name and has two to four words (a given name that is also a common
//!   word, "Will", "Mark", needs a family name that is no common word at the end: not "Will
//!   Power");
//! * it ends with a family name that is no common word and has two or three words, the first no
//!   common word;
//! * it has two or three words and a reporting verb stands right after or before it.

use std::ops::Range;

use rustc_hash::FxHashSet;

use super::words::{Words, COMMON, FUNCTION, GIVEN, SURNAME};
use crate::entities::Candidate;
use crate::model::EntityType;
use crate::text::{arabic, TokenKind};

/// A given name and one to three more capitalized words, without a title: "Maria Garcia said"
/// (PERSON, 0.6). Not when an organization head word is part of the run or follows it ("Thomas
/// Jefferson University").
pub(super) fn given_names(w: &Words, out: &mut Vec<Candidate>) {
    let cx = w.cx;
    let nt = cx.nt;
    let n = nt.tokens.len();
    let words = w;
    // A given name and one to three more capitalized words, without a title (English): "Maria
    // Garcia said". Not when an organization head word is part of the run or follows it ("Thomas
    // Jefferson University").
    let org_head = |k: usize| k < n && words.org_head(k);
    for i in cx.given_hits.iter().filter_map(|h| w.word_at(h)) {
        if !words.english_given_name(i) {
            continue;
        }
        if let Some(r) = words.name_forward(i).filter(|r| r.len() >= 2) {
            if !(r.start..=r.end).any(org_head) {
                out.push(words.person(r, "patterns.toml:given_names", 0.6, String::new()));
            }
        }
    }
}

/// Runs of capitalized words typed by their cues (see the module docs): PERSON (0.6 with a given
/// name, else 0.55). Tokens in `taken` are left alone.
pub(super) fn capitalized_runs(w: &Words, taken: &[bool], out: &mut Vec<Candidate>) {
    let n = w.len();
    let run_ends = std::cell::OnceCell::new();
    let mut i = 0;
    while i < n {
        if taken[i] || !w.cap_word(i) {
            i += 1;
            continue;
        }
        let run = w.run_from(i, taken);
        let next = run.end.max(i + 1);
        let mut r = run.clone();
        if w.sentence_start(r.start)
            && w.is(r.start, FUNCTION | COMMON)
            && !w.is(r.start, GIVEN | SURNAME)
        {
            r.start += 1;
        }
        // What the run is, by its strongest cue: "&" (a firm), capitals (an acronym), a place
        // head or prefix, a person's cue, then a place preposition before it.
        let found = if w.ampersand_name(&run) {
            Some((EntityType::Organization, "grammar:english-ampersand", 0.55))
        } else if run.len() == 1 && w.acronym(run.start) {
            Some((EntityType::Organization, super::ACRONYM_RULE, 0.5))
        } else if r.is_empty() {
            None
        } else if w.place_run(&r) {
            Some((EntityType::Location, "grammar:english-place", 0.55))
        } else if let Some(confidence) = w.person_run(&r, &run_ends) {
            Some((EntityType::Person, "grammar:english-name", confidence))
        } else if w.after_place_preposition(&r) {
            Some((EntityType::Location, "grammar:english-place", 0.55))
        } else {
            None
        };
        if let Some((ty, rule_id, confidence)) = found {
            let span = if ty == EntityType::Organization {
                run
            } else {
                r
            };
            out.push(w.candidate(span, 0, ty, rule_id, confidence, String::new()));
        }
        i = next;
    }
}

/// A listed place with a capitalized compass word or place prefix before it ("West Jersey",
/// "Lake Geneva") or a place head after it ("Reading Road"): the whole is one place (LOCATION,
/// 0.6, `grammar:english-place`). Its tokens become `taken`.
pub(super) fn extended_places(w: &Words, taken: &mut [bool], out: &mut Vec<Candidate>) {
    let nt = w.cx.nt;
    let p = w.cx.patterns;
    let n = w.len();
    let free_cap = |k: usize, taken: &[bool]| !taken[k] && w.cap_word(k);
    let mut i = 0;
    while i < n {
        let Some(e) = w.cover[i].filter(|&e| w.types[e] == EntityType::Location) else {
            i += 1;
            continue;
        };
        let mut end = i;
        while end < n && w.cover[end] == Some(e) {
            end += 1;
        }
        let before = |k: usize| {
            p.place_directions.contains(nt.token_text(k))
                || p.place_prefixes.contains(nt.token_text(k))
        };
        let start = if i > 0 && free_cap(i - 1, taken) && before(i - 1) {
            i - 1
        } else {
            i
        };
        let stop = if end < n && free_cap(end, taken) && p.place_heads.contains(nt.token_text(end))
        {
            end + 1
        } else {
            end
        };
        if start < i || stop > end {
            taken[start..stop].fill(true);
            out.push(w.candidate(
                start..stop,
                0,
                EntityType::Location,
                "grammar:english-place",
                0.6,
                String::new(),
            ));
        }
        i = end;
    }
}

impl Words<'_, '_> {
    /// Whether token `i` is a capitalized Latin word that no entity, date or title covers.
    fn cap_word(&self, i: usize) -> bool {
        let nt = self.cx.nt;
        i < self.len()
            && nt.tokens[i].kind == TokenKind::Word
            && self.cover[i].is_none()
            && self.title_at[i].is_none()
            && !arabic::starts_arabic(nt.token_text(i))
            && self.capitalized(i)
            && nt
                .token_text(i)
                .chars()
                .next()
                .is_some_and(char::is_alphabetic)
    }

    /// Whether token `i` is an acronym that names an organization: three to six capital letters
    /// ("NAACP"), no common or function word in capitals ("THE"), no name, no Roman numeral
    /// ("XIV"), no listed abbreviation of a common noun ("CEO"), not next to a number ("120
    /// MPH"), and in a line of running text (not an all-capitals headline or notice).
    pub(super) fn acronym(&self, i: usize) -> bool {
        let nt = self.cx.nt;
        let orig = &self.cx.orig[nt.tokens[i].orig.clone()];
        let number = |k: usize| k < self.len() && nt.tokens[k].kind == TokenKind::Number;
        (3..=6).contains(&orig.len())
            && orig.bytes().all(|b| b.is_ascii_uppercase())
            && !orig.bytes().all(|b| b"IVXLCDM".contains(&b))
            && !self.is(i, FUNCTION | COMMON | GIVEN | SURNAME)
            && !self.cx.patterns.not_acronyms.contains(nt.token_text(i))
            && !(i > 0 && number(i - 1) || number(i + 1))
            // "ITAR-Tass": part of a hyphenated name.
            && !(i > 0 && nt.token_text(i - 1) == "-" || i + 1 < self.len() && nt.token_text(i + 1) == "-")
            && self.running_text(i)
    }

    /// Whether a run joins names with "&" ("Procter & Gamble", "Barnes & Noble"): a firm's
    /// name. Each "&" stands between words of two letters or more ("R&D", "Q&A" are no names).
    fn ampersand_name(&self, r: &Range<usize>) -> bool {
        let nt = self.cx.nt;
        let long = |k: usize| nt.token_text(k).chars().count() >= 2;
        let mut amps = r.clone().filter(|&k| nt.token_text(k) == "&").peekable();
        amps.peek().is_some()
            && amps.all(|k| k > r.start && long(k - 1) && self.ampersand(k).is_some_and(long))
    }

    /// The words that end a pair of capitalized Latin words in the field ("Foner" of "Eric
    /// Foner"): a surname said alone next to a reporting verb was introduced so ("Foner said").
    fn capitalized_pair_ends(&self) -> FxHashSet<&str> {
        (1..self.len())
            .filter(|&k| self.cap_word(k) && self.cap_word(k - 1) && !self.sentence_start(k))
            .map(|k| self.cx.nt.token_text(k))
            .collect()
    }

    /// Whether token `k` is a word of six letters or more with a family-name ending
    /// (`surname_endings.en`: "Zyuganov", "Popescu").
    fn surname_ending(&self, k: usize) -> bool {
        let text = self.cx.nt.token_text(k);
        text.chars().count() >= 6
            && self
                .cx
                .patterns
                .surname_endings
                .iter()
                .any(|e| text.ends_with(e.as_str()))
    }

    /// Whether token `k` is an apostrophe between a one-letter capital ("O", "D") and a
    /// capitalized word: the inside of "O'Neill".
    fn o_apostrophe(&self, k: usize) -> bool {
        let nt = self.cx.nt;
        k > 0
            && k + 1 < self.len()
            // Normalization folds ’ and the like to '.
            && nt.token_text(k) == "'"
            && nt.token_text(k - 1).chars().count() == 1
            && self.cap_word(k - 1)
            && self.cap_word(k + 1)
    }

    /// If token `k` is an ampersand, "&" or as HTML escapes it in feeds ("&amp;"), the token
    /// after it.
    fn ampersand(&self, k: usize) -> Option<usize> {
        let nt = self.cx.nt;
        let text = |k: usize| (k < self.len()).then(|| nt.token_text(k));
        (text(k)? == "&").then(|| {
            if text(k + 1) == Some("amp") && text(k + 2) == Some(";") {
                k + 3
            } else {
                k + 1
            }
        })
    }

    /// Whether the line of token `i` is running text: within 80 characters either side (on its
    /// line), it has more lowercase than uppercase letters.
    fn running_text(&self, i: usize) -> bool {
        let orig = self.cx.orig;
        let span = &self.cx.nt.tokens[i].orig;
        let before = orig[..span.start]
            .chars()
            .rev()
            .take(80)
            .take_while(|&c| c != '\n');
        let after = orig[span.end..].chars().take(80).take_while(|&c| c != '\n');
        let (lower, upper) = before.chain(after).fold((0, 0), |(l, u), c| {
            (
                l + usize::from(c.is_lowercase()),
                u + usize::from(c.is_uppercase()),
            )
        });
        lower > upper
    }

    /// Whether tokens `i`, `i + 1` are an initial: one capital letter and a full stop ("J.").
    fn initial(&self, i: usize) -> bool {
        let nt = self.cx.nt;
        i + 1 < self.len()
            && self.cap_word(i)
            && nt.token_text(i).chars().count() == 1
            && nt.token_text(i + 1) == "."
    }

    /// The run of capitalized words from token `i` (see the module docs), as a token range.
    fn run_from(&self, i: usize, taken: &[bool]) -> Range<usize> {
        let nt = self.cx.nt;
        let free = |k: usize| k < self.len() && !taken[k];
        let mut k = i;
        let mut end = i;
        while free(k) {
            if self.initial(k) {
                k += 2;
                end = k;
            } else if self.cap_word(k) {
                k += 1;
                end = k;
            } else if self.o_apostrophe(k) && free(k + 1) {
                // "O'Neill", "D'Amato": the letter, the apostrophe and the name are one word.
                k += 1;
            } else if let Some(next) = (k > i)
                .then(|| self.ampersand(k))
                .flatten()
                .filter(|&next| free(next) && self.cap_word(next))
            {
                k = next;
            } else if k > i
                && (nt.token_text(k) == "-"
                    || self.cx.patterns.particles.contains(nt.token_text(k)))
                && free(k + 1)
                && self.cap_word(k + 1)
            {
                k += 1;
            } else {
                break;
            }
        }
        i..end
    }

    /// Whether token `i` starts a sentence: the first of the field, or after . ! ? : a quote or
    /// a line break.
    pub(super) fn sentence_start(&self, i: usize) -> bool {
        let nt = self.cx.nt;
        if i == 0 {
            return true;
        }
        let gap = &self.cx.orig[nt.tokens[i - 1].orig.end..nt.tokens[i].orig.start];
        gap.contains('\n')
            || matches!(
                nt.token_text(i - 1),
                "." | "!" | "?" | ":" | "\"" | "'" | "(" | "-"
            )
    }

    /// Whether a run of two words or more is a place by its words: it ends with a place head
    /// ("Lincoln Park") or starts with a place prefix ("Lake Michigan"), and holds no
    /// organization head.
    fn place_run(&self, r: &Range<usize>) -> bool {
        let nt = self.cx.nt;
        let p = self.cx.patterns;
        let text = |k: usize| nt.token_text(k);
        r.len() >= 2
            && !r.clone().any(|k| p.org_heads.contains(text(k)))
            && (p.place_heads.contains(text(r.end - 1)) || p.place_prefixes.contains(text(r.start)))
    }

    /// Whether a run of one to three words right after a lowercase place preposition ("in",
    /// "near") reads as a place: none of its words is a given name, common or function word or
    /// organization head (the caller has ruled out a person's cue).
    fn after_place_preposition(&self, r: &Range<usize>) -> bool {
        let nt = self.cx.nt;
        let p = self.cx.patterns;
        let text = |k: usize| nt.token_text(k);
        r.start > 0
            && r.len() <= 3
            && p.place_prepositions.contains(text(r.start - 1))
            && !self.capitalized(r.start - 1)
            && r.clone().all(|k| {
                nt.tokens[k].kind == TokenKind::Word
                    && text(k).chars().count() > 1
                    && !self.is(k, GIVEN | COMMON | FUNCTION)
                    && !p.org_heads.contains(text(k))
            })
    }

    /// The confidence of a capitalized run read as a person, if it is one.
    fn person_run<'t>(
        &'t self,
        r: &Range<usize>,
        run_ends: &std::cell::OnceCell<FxHashSet<&'t str>>,
    ) -> Option<f64> {
        let nt = self.cx.nt;
        let p = self.cx.patterns;
        let words: Vec<usize> = r
            .clone()
            .filter(|&k| {
                nt.tokens[k].kind == TokenKind::Word && nt.token_text(k).chars().count() > 1
            })
            .collect();
        let (&first, &last) = (words.first()?, words.last()?);
        let speech = |k: usize| k < self.len() && p.speech_verbs.contains(nt.token_text(k));
        // One word next to a reporting verb: "Halvorsen said", "said Halvorsen." A word in
        // capitals is left to the acronym rule.
        if words.len() == 1 && (r.len() == 1 || r.len() == 3 && self.o_apostrophe(r.start + 1)) {
            let text = &self.cx.orig[nt.tokens[first].orig.clone()];
            let clause_end = |k: usize| {
                k >= self.len() || matches!(nt.token_text(k), "." | "," | ";" | "!" | "?")
            };
            let one = text.chars().count() >= 3
                && !text.chars().all(char::is_uppercase)
                && !self.is(first, COMMON | FUNCTION)
                && !p.org_heads.contains(nt.token_text(first))
                && !p.place_heads.contains(nt.token_text(first))
                && (self.is(first, SURNAME | GIVEN)
                    || self.surname_ending(first)
                    || run_ends
                        .get_or_init(|| self.capitalized_pair_ends())
                        .contains(nt.token_text(first)))
                && (speech(r.end) || r.start > 0 && speech(r.start - 1) && clause_end(r.end));
            return one.then_some(0.5);
        }
        if !(2..=4).contains(&words.len())
            || r.clone().any(|k| p.place_heads.contains(nt.token_text(k)))
            || r.clone().any(|k| {
                p.org_heads.contains(nt.token_text(k))
                    || p.org_connectors.contains(nt.token_text(k))
            })
        {
            return None;
        }
        let family = !self.is(last, COMMON)
            && (self.is(last, SURNAME) || words.len() <= 3 && self.surname_ending(last));
        if self.is(first, GIVEN) && (!self.is(first, COMMON | FUNCTION) || family) {
            return Some(0.6);
        }
        if words.len() <= 3 && !self.is(first, COMMON | FUNCTION) {
            if family {
                return Some(0.55);
            }
            if speech(r.end) || r.start > 0 && speech(r.start - 1) {
                return Some(0.55);
            }
        }
        None
    }
    /// Whether token `i` is a capitalized Latin given name that no entity or title covers.
    pub(super) fn english_given_name(&self, i: usize) -> bool {
        let nt = self.cx.nt;
        nt.tokens[i].kind == TokenKind::Word
            && self.cover[i].is_none()
            && self.title_at[i].is_none()
            && !arabic::starts_arabic(nt.token_text(i))
            && self.cx.patterns.given_names.contains(nt.token_text(i))
            && self.capitalized(i)
    }
}
