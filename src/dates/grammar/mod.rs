//! The date grammar: every pattern tried at a token ([`Cx::best_at`]), the longest match kept.
//! A pattern reads tokens through [`Cx::lex`] (the longest lexicon entry of a meaning at a token,
//! in a [`View`]) and the number readers of [`numeric`]:
//!
//! | file | patterns |
//! | --- | --- |
//! | [`numeric`] | day and year numbers; 19/06/2024, years, year ranges, decades |
//! | [`weekday`] | weekdays, day words (أمس), relative units (الشهر الماضي) |
//! | [`month`] | day + month + year, month + year, a month alone or with a relative word; Hijri dates |

use jiff::civil::Date;

use super::keys::Keys;
use super::lookup::{Found, Lookups, View};
use crate::rules::dates::Meaning;
use crate::text::{NormText, TokenKind};

mod month;
mod numeric;
mod weekday;

/// A lexicon hit: the value the filter kept, the token after it, its start byte in the text.
struct Lx<T> {
    v: T,
    end: usize,
    start: usize,
}

/// A candidate match.
pub(super) struct Cand {
    /// Start byte in the normalized text.
    pub(super) start: usize,
    /// Index of the token after the match.
    pub(super) end: usize,
    pub(super) value: String,
    pub(super) rule: &'static str,
    pub(super) conf: f64,
}

/// One text being read.
pub(super) struct Cx<'a> {
    /// What every token reaches in the lexicon, and the tokens that could start a date.
    lookups: Lookups<'a>,
    nt: &'a NormText,
    keys: &'a Keys,
    /// The reference date of relative dates.
    r: Option<Date>,
}

impl<'a> Cx<'a> {
    pub(super) fn new(nt: &'a NormText, keys: &'a Keys, r: Option<Date>) -> Cx<'a> {
        Cx {
            lookups: Lookups::new(nt, keys),
            nt,
            keys,
            r,
        }
    }

    /// The tokens that could start a date, in order ([`Lookups::starts`]).
    pub(super) fn starts(&self) -> &[usize] {
        self.lookups.starts()
    }

    /// Every pattern at token `i`; the longest wins (the earlier pattern on a tie).
    pub(super) fn best_at(&self, i: usize) -> Option<Cand> {
        let cands = [
            self.numeric(i),
            self.weekday_phrase(i),
            self.month_date(i, true),
            self.hijri(i),
            self.relative_unit(i),
            self.day_word(i),
            self.year(i),
            self.decade(i),
        ];
        let mut best: Option<Cand> = None;
        for c in cands.into_iter().flatten() {
            if best.as_ref().is_none_or(|b| c.end > b.end) {
                best = Some(c);
            }
        }
        best
    }

    /// The end byte of a match whose last token is `end_tok - 1`.
    pub(super) fn norm_end(&self, end_tok: usize) -> usize {
        self.nt.tokens[end_tok - 1].norm.end
    }

    fn len(&self) -> usize {
        self.nt.tokens.len()
    }

    /// The text of token `i`.
    fn token(&self, i: usize) -> Option<&'a str> {
        let t = self.nt.tokens.get(i)?;
        Some(&self.nt.text[t.norm.clone()])
    }

    /// The text of token `i`, empty past the end.
    fn tok(&self, i: usize) -> &'a str {
        self.token(i).unwrap_or("")
    }

    /// The start byte of token `i`.
    fn tok_start(&self, i: usize) -> usize {
        self.nt.tokens[i].norm.start
    }

    /// The lexicon lists token `i` reaches (none past the end).
    fn found(&self, i: usize) -> &[Found<'a>] {
        self.lookups.found(i)
    }

    fn is_punct(&self, i: usize) -> bool {
        self.nt
            .tokens
            .get(i)
            .is_some_and(|t| t.kind == TokenKind::Punct)
    }

    /// Whether token `i` is punctuation or past the end (a boundary after a match).
    fn boundary(&self, i: usize) -> bool {
        i >= self.len() || self.is_punct(i)
    }

    /// Whether `i` is the first token or follows punctuation.
    fn boundary_before(&self, i: usize) -> bool {
        i == 0 || self.is_punct(i - 1)
    }

    /// The longest lexicon entry at token `i` whose meaning `f` keeps.
    fn lex<T>(&self, i: usize, view: View, f: impl Fn(Meaning) -> Option<T>) -> Option<Lx<T>> {
        let found = self.found(i);
        if found.is_empty() {
            return None;
        }
        let base = self.tok_start(i);
        let mut best: Option<Lx<T>> = None;
        for fd in found.iter().filter(|fd| fd.views & view.bit() != 0) {
            for e in fd.list {
                if fd.weak && matches!(e.meaning, Meaning::Day { .. }) {
                    continue;
                }
                let end = i + 1 + e.rest.len();
                if end > self.len() || best.as_ref().is_some_and(|b| b.end >= end) {
                    continue;
                }
                // The meaning first: it is cheaper than comparing the other words.
                let Some(v) = f(e.meaning) else {
                    continue;
                };
                if e.rest
                    .iter()
                    .enumerate()
                    .all(|(k, w)| self.tok(i + 1 + k) == w)
                {
                    best = Some(Lx {
                        v,
                        end,
                        start: base + fd.skip,
                    });
                }
            }
        }
        best
    }

    /// Whether token `i - 1` exists and has a meaning `f` keeps.
    fn prev_has(&self, i: usize, view: View, f: impl Fn(Meaning) -> bool) -> bool {
        i > 0 && self.has(i - 1, view, f)
    }

    fn has(&self, i: usize, view: View, f: impl Fn(Meaning) -> bool) -> bool {
        self.lex(i, view, |m| f(m).then_some(())).is_some()
    }
}
