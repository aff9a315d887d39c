//! Numbers: the day and year readers the other patterns use, and the patterns made of numbers
//! (19/06/2024, years, year ranges, decades).

use super::{Cand, Cx};
use crate::dates::lookup::{all_digits, Proclitics, View};
use crate::dates::resolve::valid_day;
use crate::rules::dates::Meaning;
use crate::text::arabic::ARTICLE;

/// The proclitics read before the article of a day number at the start of a span ("والـ19",
/// "بالـ19", "فالـ19"): a subset of the [`PROCLITICS`](crate::text::arabic::PROCLITICS). The
/// others (ل ك and the two-letter ones) are not read there: no case has needed them, and reading
/// them would change which numbers start a date.
const DAY_ARTICLE_CLITICS: [&str; 3] = ["و", "ب", "ف"];

/// The conjunction "and" glued to the second year of a pair ("2014 و2016").
const AND: char = 'و';

/// A year number: value, digit count, start byte, token after it, whether it is marked AH.
#[derive(Clone, Copy)]
pub(super) struct YearTok {
    pub(super) y: i64,
    pub(super) digits: usize,
    pub(super) start: usize,
    pub(super) end: usize,
    /// Marked AD or AH ("2024م", "1445 هـ").
    pub(super) marked: bool,
    pub(super) ah: bool,
}

impl<'a> Cx<'a> {
    /// Splits proclitics off a token for a number: (bytes skipped, rest).
    fn strip_for_number(&self, i: usize, first: bool) -> Option<(usize, &'a str)> {
        let tok = self.token(i)?;
        let digit_at = |k: usize| tok.as_bytes().get(k).is_some_and(u8::is_ascii_digit);
        if digit_at(0) {
            return Some((0, tok));
        }
        if !first {
            return None;
        }
        // The proclitic that leaves a number: a one-letter one (two bytes) before a digit, or a
        // two-letter one; at most one of them does.
        let p = Proclitics::of(tok.as_bytes());
        let skip = if p.one && digit_at(2) {
            2
        } else if p.two && digit_at(4) {
            4
        } else {
            return None;
        };
        Some((skip, &tok[skip..]))
    }

    /// A day number 1-31 at token `i`: "19", "19th", "الـ19" (→ "ال19"). Returns (day, start, end).
    pub(super) fn day_at(&self, i: usize, first: bool) -> Option<(u8, usize, usize)> {
        let tok = self.token(i)?;
        let (skip, rest) = match self.strip_for_number(i, first) {
            Some(x) => x,
            None => strip_article(tok, first)?,
        };
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let suffix = &rest[digits..];
        if !(1..=2).contains(&digits) || !matches!(suffix, "" | "st" | "nd" | "rd" | "th") {
            return None;
        }
        let d: u8 = rest[..digits].parse().ok()?;
        (1..=31)
            .contains(&d)
            .then_some((d, self.tok_start(i) + skip, i + 1))
    }

    /// A year number of 3-4 digits at token `i`, with an optional AD/AH mark glued ("2024م",
    /// "1445هـ") or as the next token ("1445 هـ").
    pub(super) fn year_at(&self, i: usize, first: bool) -> Option<YearTok> {
        let (skip, rest) = self.strip_for_number(i, first)?;
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if !(3..=4).contains(&digits) {
            return None;
        }
        let y: i64 = rest[..digits].parse().ok()?;
        let suffix = &rest[digits..];
        let mark = |m: Meaning| match m {
            Meaning::Ad => Some(false),
            Meaning::Ah => Some(true),
            _ => None,
        };
        let mut yt = YearTok {
            y,
            digits,
            start: self.tok_start(i) + skip,
            end: i + 1,
            marked: false,
            ah: false,
        };
        if !suffix.is_empty() {
            let ah = self
                .keys
                .get(suffix.as_bytes())?
                .list
                .iter()
                .find(|e| e.rest.is_empty())
                .and_then(|e| mark(e.meaning))?;
            yt.marked = true;
            yt.ah = ah;
        } else if let Some(l) = self.lex(i + 1, View::Exact, mark) {
            yt.marked = true;
            yt.ah = l.v;
            yt.end = l.end;
        }
        Some(yt)
    }

    fn is_year_like(&self, i: usize) -> bool {
        self.year_at(i, false).is_some_and(|y| y.digits == 4)
    }

    /// 19/06/2024, 2024-06-19, 19-06-2024, 19.06.2024 (day first when both could be the month).
    pub(super) fn numeric(&self, i: usize) -> Option<Cand> {
        let (skip, a) = self.strip_for_number(i, true)?;
        let sep = self.tok(i + 1);
        if !matches!(sep, "/" | "-" | ".") || self.tok(i + 3) != sep || !all_digits(a) {
            return None;
        }
        let (b, c) = (self.tok(i + 2), self.tok(i + 4));
        if !all_digits(b) || !all_digits(c) {
            return None;
        }
        // Not part of a longer chain (phone numbers, versions).
        if (self.tok(i + 5) == sep && all_digits(self.tok(i + 6)))
            || (i >= 2 && self.tok(i - 1) == sep && all_digits(self.tok(i - 2)))
        {
            return None;
        }
        let n = |s: &str| s.parse::<i64>().ok();
        let (y, m, d) = if a.len() == 4 && b.len() <= 2 && c.len() <= 2 {
            (n(a)?, n(b)?, n(c)?)
        } else if c.len() == 4 && a.len() <= 2 && b.len() <= 2 {
            let (a, b) = (n(a)?, n(b)?);
            if b > 12 && a <= 12 {
                (n(c)?, a, b)
            } else {
                (n(c)?, b, a)
            }
        } else {
            return None;
        };
        if !(1000..=2100).contains(&y)
            || !(1..=12).contains(&m)
            || !valid_day(Some(y), m as u8, d.clamp(0, 99) as u8)
        {
            return None;
        }
        Some(Cand {
            start: self.tok_start(i) + skip,
            end: i + 5,
            value: format!("{y:04}-{m:02}-{d:02}"),
            rule: "date/numeric",
            conf: 0.95,
        })
    }

    /// عام 2020، 2024م، 1445 هـ، 1950-1953, and bare years 1900-2099 in a date context.
    pub(super) fn year(&self, i: usize) -> Option<Cand> {
        let marker = self.lex(i, View::Clitic, |m| {
            (m == Meaning::YearMarker).then_some(())
        });
        let y1 = match &marker {
            Some(mk) => self.year_at(mk.end, false)?,
            None => self.year_at(i, true)?,
        };
        let start = marker.as_ref().map_or(y1.start, |m| m.start);
        if y1.ah {
            return Some(Cand {
                start,
                end: y1.end,
                value: format!("AH{:04}", y1.y),
                rule: "date/year",
                conf: 0.9,
            });
        }
        if y1.digits != 4 && !y1.marked {
            return None;
        }
        if let Some(range) = self.year_range(start, y1) {
            return Some(range);
        }
        let marked = marker.is_some() || y1.marked;
        let lo = if marked { 100 } else { 1900 };
        if !(lo..=2100).contains(&y1.y) || !(marked || self.bare_year(i, y1)) {
            return None;
        }
        Some(Cand {
            start,
            end: y1.end,
            value: format!("{:04}", y1.y),
            rule: "date/year",
            conf: if marked { 0.95 } else { 0.75 },
        })
    }

    /// A range 1950-1953, 2022/2023 from the unmarked year `y1`, the span starting at `start`.
    fn year_range(&self, start: usize, y1: YearTok) -> Option<Cand> {
        if y1.marked || !matches!(self.tok(y1.end), "-" | "/") {
            return None;
        }
        let y2 = self.year_at(y1.end + 1, false)?;
        let chain = matches!(self.tok(y2.end), "-" | "/") && all_digits(self.tok(y2.end + 1));
        let ok = y2.digits == 4 && y1.y < y2.y && y2.y - y1.y <= 100 && !y2.ah && !chain;
        if !(ok && (1000..=2100).contains(&y1.y) && (1000..=2100).contains(&y2.y)) {
            return None;
        }
        Some(Cand {
            start,
            end: y2.end,
            value: format!("{:04}/{:04}", y1.y, y2.y),
            rule: "date/year-range",
            conf: 0.9,
        })
    }

    /// Whether the bare year `y1` at token `i` is a year: never before a count ("2000 جندي");
    /// after a time preposition (a round number then also needs a boundary or a relative word
    /// after it), in parentheses, or one of a pair ("2014 و2016", "2014 إلى 2016").
    fn bare_year(&self, i: usize, y1: YearTok) -> bool {
        let end = y1.end;
        if self.has(end, View::Exact, |m| m == Meaning::Count) {
            return false;
        }
        let prev_prep = self.prev_has(i, View::Lax, |m| m == Meaning::Prep);
        let round = y1.y % 100 == 0;
        let after_ok = !round
            || self.boundary(end)
            || self.has(end, View::Exact, |m| matches!(m, Meaning::After(_)));
        let in_parens = i > 0 && self.tok(i - 1) == "(" && self.tok(end) == ")";
        let link = |k: usize| self.has(k, View::Exact, |m| m == Meaning::YearLink);
        // First of a pair.
        let pair_first = (link(end) && self.is_year_like(end + 1))
            || (self.tok(end).starts_with(AND)
                && self
                    .year_at(end, true)
                    .is_some_and(|y| y.digits == 4 && y.start > self.tok_start(end)));
        // Second of a pair.
        let glued_and = y1.start > self.tok_start(i) && self.tok(i).starts_with(AND);
        let pair_second = (glued_and && i > 0 && self.is_year_like(i - 1))
            || (i >= 2 && link(i - 1) && self.is_year_like(i - 2));
        (prev_prep && after_ok) || in_parens || pair_first || pair_second
    }

    /// الثمانينيات [القرن الماضي], 1990s.
    pub(super) fn decade(&self, i: usize) -> Option<Cand> {
        if let Some(d) = self.lex(i, View::Clitic, |m| match m {
            Meaning::Decade(n) => Some(n),
            _ => None,
        }) {
            let c = self.lex(d.end, View::Exact, |m| match m {
                Meaning::Century(c) => Some(c),
                _ => None,
            });
            let end = c.as_ref().map_or(d.end, |c| c.end);
            if self.has(end, View::Exact, |m| m == Meaning::DecadeBlock) {
                return None;
            }
            let value = match (c, d.v) {
                (Some(c), n) => format!("{}{n}X", c.v),
                (None, n @ 3..=9) => format!("19{n}X"),
                (None, _) => String::new(),
            };
            return Some(Cand {
                start: d.start,
                end,
                value,
                rule: "date/decade",
                conf: 0.85,
            });
        }
        let t = self.tok(i);
        let digits = t
            .strip_suffix('s')
            .filter(|d| d.len() == 4 && all_digits(d) && d.ends_with('0'))?;
        let y: i64 = digits.parse().ok()?;
        if !(1000..=2090).contains(&y) {
            return None;
        }
        Some(Cand {
            start: self.tok_start(i),
            end: i + 1,
            value: format!("{}X", &digits[..3]),
            rule: "date/decade",
            conf: 0.85,
        })
    }
}

/// Splits the article (and at the start of a span, one of [`DAY_ARTICLE_CLITICS`]) off a
/// token for a day number ("الـ19" is "ال19"): (bytes before the article, rest).
#[inline]
fn strip_article(tok: &str, first: bool) -> Option<(usize, &str)> {
    if let Some(rest) = tok.strip_prefix(ARTICLE) {
        return Some((0, rest));
    }
    if !first {
        return None;
    }
    DAY_ARTICLE_CLITICS
        .iter()
        .find_map(|c| Some((c.len(), tok.strip_prefix(c)?.strip_prefix(ARTICLE)?)))
}
