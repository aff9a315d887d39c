//! The date grammar: a left-to-right walk over tokens trying every pattern at each token and
//! keeping the longest match.

use jiff::civil::Date;

use super::lexicon::{Entry, Lexicon, Meaning, Rel, Unit};
use super::resolve::{
    add_days, add_months, iso_week, valid_day, weekday_after, weekday_before, weekday_near, ymd,
};
use crate::text::{NormText, TokenKind};

/// Proclitics that may stand before the first word of a date, longest first. [`Proclitics::of`]
/// reads them off a token without trying each; the tests check it against this list.
#[cfg(test)]
const CLITICS: [&str; 11] = ["وب", "ول", "فب", "فل", "وك", "فك", "و", "ف", "ب", "ل", "ك"];

/// How the first token of a lookup may carry proclitics.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum View {
    /// The token as it is.
    Exact,
    /// The first word of a span: proclitics before an ال word or a number, و/ف before any word
    /// of three letters or more, and "لل" for ل + ال (the span then starts at the second ل).
    Clitic,
    /// A context word: the token, or the token without a leading و/ف ("وفي").
    Lax,
}

/// A lexicon hit: the value the filter kept, the token after it, its start byte in the text.
struct Lx<T> {
    v: T,
    end: usize,
    start: usize,
}

/// A candidate match.
pub(super) struct Cand {
    /// Start byte in the normalized text.
    pub start: usize,
    /// Index of the token after the match.
    pub end: usize,
    pub value: String,
    pub rule: &'static str,
    pub conf: f64,
}

/// A year number: value, digit count, start byte, token after it, whether it is marked AH.
#[derive(Clone, Copy)]
struct YearTok {
    y: i64,
    digits: usize,
    start: usize,
    end: usize,
    marked: bool,
    ah: bool,
}

/// A lexicon list reachable from a token, looked up once per token ([`Cx::new`]).
struct Found<'a> {
    list: &'a [Entry],
    /// Bytes of proclitic skipped before the key.
    skip: usize,
    /// Reached by stripping a proclitic other than و/ف from a word without ال.
    weak: bool,
    /// The views that reach it (`VIEW_*` bits).
    views: u8,
}

const VIEW_EXACT: u8 = 1;
const VIEW_LAX: u8 = 2;
const VIEW_CLITIC: u8 = 4;

impl View {
    fn bit(self) -> u8 {
        match self {
            View::Exact => VIEW_EXACT,
            View::Lax => VIEW_LAX,
            View::Clitic => VIEW_CLITIC,
        }
    }
}

/// The lexicon keys in an open-addressing table probed with a key's first eight bytes and its
/// length (see [`head`]): a token that is no key, most of a text, costs one multiply and a slot
/// read or two, and no string is hashed or built (the Bloom filter and hash map it replaces
/// hashed every hit twice and built "ال" + word for "لل" words).
#[derive(Clone, Debug, Default)]
pub(super) struct Keys {
    /// Index + 1 into `keys`, 0 for an empty slot; a power of two at least four times the number
    /// of keys, so that a miss reads about 1.4 slots (linear probing).
    slots: Vec<u32>,
    /// `slots.len() == 1 << bits`.
    bits: u32,
    keys: Vec<Key>,
}

/// One lexicon key with its entries.
#[derive(Clone, Debug)]
struct Key {
    /// [`head`] of `text`.
    head: u64,
    text: Box<[u8]>,
    list: Vec<Entry>,
    /// Whether an entry can start a match ([`Meaning::can_start`]), so [`Cx::new`] need not look.
    starts: bool,
}

/// "ال", which [`Keys::get_al`] puts before a word without building the key.
const AL: &[u8] = "ال".as_bytes();

impl Keys {
    pub(super) fn new(lex: Lexicon) -> Keys {
        let bits = (4 * lex.len()).next_power_of_two().max(16).trailing_zeros();
        let mut t = Keys {
            slots: vec![0; 1 << bits],
            bits,
            keys: Vec::with_capacity(lex.len()),
        };
        for (text, list) in lex {
            let b = text.as_bytes();
            let mut h = t.slot(head(b), b.len());
            while t.slots[h] != 0 {
                h = (h + 1) & (t.slots.len() - 1);
            }
            t.keys.push(Key {
                head: head(b),
                text: b.into(),
                starts: list.iter().any(|e| e.meaning.can_start()),
                list,
            });
            t.slots[h] = t.keys.len() as u32;
        }
        t
    }

    pub(super) fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The first slot of a key of `len` bytes whose first eight are `head`.
    fn slot(&self, head: u64, len: usize) -> usize {
        let x = head ^ (len as u64).wrapping_mul(0xFF51_AFD7_ED55_8CCD);
        (x.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - self.bits)) as usize
    }

    /// The key of `len` bytes whose first eight (zero-padded) are `head` and whose bytes after
    /// the eighth are `tail`. Equal heads and lengths mean equal first eight bytes.
    #[inline]
    fn probe(&self, head: u64, len: usize, tail: &[u8]) -> Option<&Key> {
        let mask = self.slots.len().checked_sub(1)?;
        let mut h = self.slot(head, len);
        loop {
            let k = self.keys.get((self.slots[h] as usize).checked_sub(1)?)?;
            if k.head == head && k.text.len() == len && k.text.get(8..).unwrap_or_default() == tail
            {
                return Some(k);
            }
            h = (h + 1) & mask;
        }
    }

    /// The key `b`, whose [`head`] is `b_head`.
    #[inline]
    fn get_headed(&self, b: &[u8], b_head: u64) -> Option<&Key> {
        self.probe(b_head, b.len(), b.get(8..).unwrap_or_default())
    }

    #[inline]
    fn get(&self, b: &[u8]) -> Option<&Key> {
        self.get_headed(b, head(b))
    }

    /// The key "ال" + `rest`, without building it.
    fn get_al(&self, rest: &[u8]) -> Option<&Key> {
        // The article's four bytes, then the first four of `rest` (the others shift out).
        let head = head(AL) | head(rest) << 32;
        self.probe(
            head,
            AL.len() + rest.len(),
            rest.get(4..).unwrap_or_default(),
        )
    }
}

/// The first eight bytes of `b` as a little-endian number, zero-padded. A shorter slice is read
/// as two overlapping halves (bytes 0.. and ..len), which agree where they overlap: no loop for
/// the many short tokens.
fn head(b: &[u8]) -> u64 {
    let n = b.len();
    if let Some(h) = b.first_chunk::<8>() {
        return u64::from_le_bytes(*h);
    }
    let (lo, hi, k) = match (b.first_chunk::<4>(), b.first_chunk::<2>()) {
        (Some(lo), _) => (
            u64::from(u32::from_le_bytes(*lo)),
            u64::from(u32::from_le_bytes(
                b[n - 4..].try_into().unwrap_or_default(),
            )),
            n - 4,
        ),
        (None, Some(lo)) => (
            u64::from(u16::from_le_bytes(*lo)),
            u64::from(u16::from_le_bytes(
                b[n - 2..].try_into().unwrap_or_default(),
            )),
            n - 2,
        ),
        (None, None) => return b.first().map_or(0, |&x| u64::from(x)),
    };
    lo | hi << (8 * k)
}

/// The two UTF-8 bytes of a letter between U+0080 and U+07FF, as a big-endian number.
const fn utf8_pair(c: char) -> u16 {
    let c = c as u32;
    ((0xC0 | c >> 6) << 8 | (0x80 | c & 0x3F)) as u16
}

/// The two bytes of `b` at `k` as a big-endian number (0 past the end).
fn pair_at(b: &[u8], k: usize) -> u16 {
    match b.get(k..k + 2) {
        Some(&[x, y]) => u16::from_be_bytes([x, y]),
        _ => 0,
    }
}

const WAW: u16 = utf8_pair('و');
const FA: u16 = utf8_pair('ف');
const BA: u16 = utf8_pair('ب');
const LAM: u16 = utf8_pair('ل');
const KAF: u16 = utf8_pair('ك');

/// The proclitics a token starts with, read from its first six bytes: exactly the prefixes
/// `strip_prefix` would find among `CLITICS` (و ف ب ل ك, and و/ف + ب/ل/ك) and "لل"/"ولل"/"فلل",
/// without trying them one by one. Each of these letters is two bytes in UTF-8, and a lead byte
/// at offset 0 of a token starts a character, so comparing byte pairs compares letters.
#[derive(Clone, Copy, Default)]
struct Proclitics {
    /// The first letter is one of و ف ب ل ك.
    one: bool,
    /// The first letter is و or ف (a conjunction).
    conj: bool,
    /// The first two letters are و/ف + ب/ل/ك.
    two: bool,
    /// When the token starts with "لل", "ولل" or "فلل" (ل + ال with the alef dropped): the bytes
    /// before the second ل, where a span starts (2 or 4).
    lal: Option<usize>,
}

impl Proclitics {
    // Inlined: it runs for every token of a text.
    #[inline(always)]
    fn of(tok: &[u8]) -> Proclitics {
        let c1 = pair_at(tok, 0);
        if !matches!(c1, WAW | FA | BA | LAM | KAF) {
            return Proclitics::default();
        }
        let (c2, c3) = (pair_at(tok, 2), pair_at(tok, 4));
        let conj = matches!(c1, WAW | FA);
        Proclitics {
            one: true,
            conj,
            two: conj && matches!(c2, BA | LAM | KAF),
            lal: match (c1, c2, c3) {
                (LAM, LAM, _) => Some(2),
                (WAW | FA, LAM, LAM) => Some(4),
                _ => None,
            },
        }
    }
}

/// Appends to `out` every lexicon list that token `tok` (whose [`head`] is `tok_head`) reaches,
/// in the order the views look them up: the token itself, the token without و/ف (lax view), the
/// token without a two-letter then a one-letter proclitic, and "ال" + the word after
/// "لل"/"ولل"/"فلل" (clitic view). Returns whether one of them can start a match.
fn push_found<'a>(tok: &[u8], tok_head: u64, keys: &'a Keys, out: &mut Vec<Found<'a>>) -> bool {
    let mut starts = false;
    let mut push = |k: &'a Key, skip: usize, weak: bool, views: u8| {
        starts |= k.starts;
        out.push(Found {
            list: &k.list,
            skip,
            weak,
            views,
        });
    };
    if let Some(k) = keys.get_headed(tok, tok_head) {
        push(k, 0, false, VIEW_EXACT | VIEW_LAX | VIEW_CLITIC);
    }
    let p = Proclitics::of(tok);
    if !p.one {
        return starts;
    }
    // A word `r` after a proclitic counts for the clitic view when it starts with ال, is a
    // number or has three letters or more; `Some(al)` then says whether it starts with ال or is
    // a number. `weak`: the key was reached by stripping a proclitic other than و/ف from a word
    // that does not start with ال; day words are then refused ("لامس" is "touched", not ل + أمس).
    let clitic = |r: &[u8]| {
        let al = r.starts_with(AL) || all_digits(r);
        let letters = || r.iter().filter(|&&b| b & 0xC0 != 0x80).count();
        (al || letters() >= 3).then_some(al)
    };
    let r1 = &tok[2..];
    let k1 = keys.get(r1);
    if let Some(k) = k1.filter(|_| p.conj) {
        push(k, 2, false, VIEW_LAX);
    }
    if p.two {
        let r2 = &tok[4..];
        if let Some((k, al)) = keys.get(r2).and_then(|k| Some((k, clitic(r2)?))) {
            push(k, 4, !al, VIEW_CLITIC);
        }
    }
    if let Some(k) = k1 {
        if let Some(al) = clitic(r1) {
            push(k, 2, !(al || p.conj), VIEW_CLITIC);
        }
    }
    if let Some(skip) = p.lal {
        let rest = &tok[skip + LAM_LEN..];
        if let Some(k) = (!rest.is_empty()).then(|| keys.get_al(rest)).flatten() {
            push(k, skip, false, VIEW_CLITIC);
        }
    }
    starts
}

/// Bytes of ل in UTF-8.
const LAM_LEN: usize = "ل".len();

/// One text being read.
pub(super) struct Cx<'a> {
    /// Every lexicon list the views of each token reach, token after token (lookups done once,
    /// not per rule); token `i` has `found[at[i]..at[i + 1]]`.
    found: Vec<Found<'a>>,
    at: Vec<usize>,
    /// The tokens that could start a date, in order ([`Cx::starts`]).
    starts: Vec<usize>,
    nt: &'a NormText,
    keys: &'a Keys,
    r: Option<Date>,
}

/// Whether the word `w` (eight bytes, see [`head`]) holds an ASCII digit: a byte is a digit when
/// `byte ^ 0x30` is below 10, and `(x - 10·ONES) & !x & 0x80·ONES` is non-zero exactly when some
/// byte of `x` is below 10 (the "hasless" test of Bit Twiddling Hacks). Zero padding is no digit.
fn digit_in(w: u64) -> bool {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    let x = w ^ (0x30 * ONES);
    x.wrapping_sub(10 * ONES) & !x & (0x80 * ONES) != 0
}

fn all_digits(s: impl AsRef<[u8]>) -> bool {
    let s = s.as_ref();
    !s.is_empty() && s.iter().all(u8::is_ascii_digit)
}

impl<'a> Cx<'a> {
    pub(super) fn new(nt: &'a NormText, keys: &'a Keys, r: Option<Date>) -> Cx<'a> {
        let n = nt.tokens.len();
        // Room for a hit every four tokens: about one token in seven reaches the lexicon in news.
        let mut found = Vec::with_capacity(n / 4);
        let mut at = Vec::with_capacity(n + 1);
        let mut starts = Vec::with_capacity(n / 16);
        at.push(0);
        for (i, t) in nt.tokens.iter().enumerate() {
            // Bytes: the lookups compare bytes, and a token range is on character boundaries.
            let tok = &nt.text.as_bytes()[t.norm.clone()];
            let head = head(tok);
            // A lexicon word (with or without clitics) that can start a match, or a digit among
            // the first eight bytes: every number pattern reads its digits at most six bytes into
            // the token (after a proclitic and ال: "وال19"). Punctuation never starts one.
            let start = push_found(tok, head, keys, &mut found) || digit_in(head);
            if start && t.kind != TokenKind::Punct {
                starts.push(i);
            }
            at.push(found.len());
        }
        Cx {
            found,
            at,
            starts,
            nt,
            keys,
            r,
        }
    }

    pub(super) fn len(&self) -> usize {
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

    /// The lexicon lists token `i` reaches (none past the end).
    fn found(&self, i: usize) -> &[Found<'a>] {
        match self.at.get(i..i + 2) {
            Some(&[s, e]) => &self.found[s..e],
            _ => &[],
        }
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

    pub(super) fn norm_end(&self, end_tok: usize) -> usize {
        self.nt.tokens[end_tok - 1].norm.end
    }

    /// The tokens that could start a date, in order: not punctuation, and a lexicon word (with
    /// or without clitics) that can start a match or a number (a digit among its first eight
    /// bytes). The others cannot, so [`DateRules::find`](super::DateRules::find) skips them.
    pub(super) fn starts(&self) -> &[usize] {
        &self.starts
    }

    /// The longest lexicon entry at token `i` whose meaning `f` keeps.
    fn lex<T>(&self, i: usize, view: View, f: impl Fn(Meaning) -> Option<T>) -> Option<Lx<T>> {
        let found = self.found(i);
        if found.is_empty() {
            return None;
        }
        let base = self.nt.tokens[i].norm.start;
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
        // The first entry of CLITICS that leaves a number: a one-letter proclitic (two bytes)
        // before a digit, or a two-letter one; at most one of them does.
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
    fn day_at(&self, i: usize, first: bool) -> Option<(u8, usize, usize)> {
        let tok = self.token(i)?;
        let base = self.nt.tokens[i].norm.start;
        let (skip, rest) = match self.strip_for_number(i, first) {
            Some(x) => x,
            None => {
                let p = if first {
                    ["ال", "وال", "بال", "فال"]
                        .iter()
                        .find(|p| tok.starts_with(**p))?
                } else {
                    &"ال"
                };
                let r = tok.strip_prefix(p)?;
                (p.len() - "ال".len(), r)
            }
        };
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let suffix = &rest[digits..];
        if !(1..=2).contains(&digits) || !matches!(suffix, "" | "st" | "nd" | "rd" | "th") {
            return None;
        }
        let d: u8 = rest[..digits].parse().ok()?;
        (1..=31).contains(&d).then_some((d, base + skip, i + 1))
    }

    /// A day before a month: a number ("19", "الـ19"), optionally followed by "من"/"of", or a
    /// written-out ordinal that must be followed by "من" ("السابع من"). Returns (day, start, token
    /// after the day and its "من").
    fn day_before_month(&self, i: usize, first: bool) -> Option<(u8, usize, usize)> {
        let of = |k: usize| {
            self.lex(k, View::Exact, |m| (m == Meaning::Of).then_some(()))
                .map(|o| o.end)
        };
        if let Some((d, s, e)) = self.day_at(i, first) {
            return Some((d, s, of(e).unwrap_or(e)));
        }
        let view = if first { View::Clitic } else { View::Exact };
        let o = self.lex(i, view, |m| match m {
            Meaning::Ordinal(d) => Some(d),
            _ => None,
        })?;
        Some((o.v, o.start, of(o.end)?))
    }

    /// A year number of 3-4 digits at token `i`, with an optional AD/AH mark glued ("2024م",
    /// "1445هـ") or as the next token ("1445 هـ").
    fn year_at(&self, i: usize, first: bool) -> Option<YearTok> {
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
        let start = self.nt.tokens[i].norm.start + skip;
        let mut yt = YearTok {
            y,
            digits,
            start,
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

    /// 19/06/2024, 2024-06-19, 19-06-2024, 19.06.2024 (day first when both could be the month).
    fn numeric(&self, i: usize) -> Option<Cand> {
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
        let start = self.nt.tokens[i].norm.start + skip;
        Some(Cand {
            start,
            end: i + 5,
            value: format!("{y:04}-{m:02}-{d:02}"),
            rule: "date/numeric",
            conf: 0.95,
        })
    }

    /// [يوم|اليوم|أمس|غدا|last|next] weekday [الماضي|المقبل|السابق] [, day month year].
    fn weekday_phrase(&self, i: usize) -> Option<Cand> {
        #[derive(Clone, Copy, PartialEq)]
        enum Lead {
            None,
            Day(i8),
            Marker,
            Rel(Rel),
        }
        let mut lead = Lead::None;
        let mut j = i;
        let mut start = None;
        if let Some(l) = self.lex(i, View::Clitic, |m| match m {
            Meaning::Day { offset, .. } => Some(Lead::Day(offset)),
            Meaning::DayMarker => Some(Lead::Marker),
            Meaning::Before(r) if r != Rel::Anaphoric => Some(Lead::Rel(r)),
            _ => None,
        }) {
            if self.has(l.end, View::Exact, |m| matches!(m, Meaning::Weekday { .. })) {
                lead = l.v;
                j = l.end;
                start = Some(l.start);
            }
        }
        let view = if lead == Lead::None {
            View::Clitic
        } else {
            View::Exact
        };
        let w = self.lex(j, view, |m| match m {
            Meaning::Weekday { num, ambiguous } => Some((num, ambiguous)),
            _ => None,
        })?;
        let (num, ambiguous) = w.v;
        let start = start.unwrap_or(w.start);
        let mut end = w.end;
        let mut rel = match lead {
            Lead::Rel(r) => Some(r),
            _ => None,
        };
        if rel.is_none() {
            if let Some(r) = self.lex(end, View::Exact, |m| match m {
                Meaning::After(r) => Some(r),
                _ => None,
            }) {
                rel = Some(r.v);
                end = r.end;
            }
        }
        if lead == Lead::None {
            let blocked = self.prev_has(i, View::Lax, |m| m == Meaning::WeekdayBlockAfter)
                || self.has(w.end, View::Exact, |m| m == Meaning::WeekdayBlockBefore);
            if blocked {
                return None;
            }
        }
        if ambiguous && lead == Lead::None && rel.is_none() {
            let cue = self.boundary_before(i)
                || self.boundary(end)
                || self.has(end, View::Exact, |m| m == Meaning::WeekdayCue)
                || self.prev_has(i, View::Exact, |m| matches!(m, Meaning::Weekday { .. }));
            if !cue {
                return None;
            }
        }
        let conf = match (lead, rel, ambiguous) {
            (Lead::None, None, true) => 0.7,
            (Lead::None, None, false) => 0.8,
            _ => 0.9,
        };
        // "يوم الخميس 27 يوليو 2023": the calendar date is the value.
        let k = if self.tok(end) == "," { end + 1 } else { end };
        if let Some(c) = self
            .month_date(k, false)
            .filter(|c| c.rule == "date/day-month")
        {
            return Some(Cand {
                start,
                end: c.end,
                value: c.value,
                rule: "date/weekday-date",
                conf: 0.95,
            });
        }
        let value = match self.r {
            None => None,
            Some(r) => match (rel, lead) {
                (Some(Rel::Anaphoric), _) => None,
                (Some(Rel::Past), _) => weekday_before(r, num, true),
                (Some(Rel::Next), _) => weekday_after(r, num, true),
                (_, Lead::Day(0)) => weekday_before(r, num, false),
                (_, Lead::Day(o)) if o < 0 => weekday_before(r, num, true),
                (_, Lead::Day(_)) => weekday_after(r, num, true),
                _ => weekday_near(r, num),
            },
        };
        Some(Cand {
            start,
            end,
            value: value.map(ymd).unwrap_or_default(),
            rule: "date/weekday",
            conf,
        })
    }

    /// أمس، يوم أمس، غدا، yesterday, today; "اليوم" only after a part of the day ("صباح اليوم").
    fn day_word(&self, i: usize) -> Option<Cand> {
        let l = self.lex(i, View::Clitic, |m| match m {
            Meaning::Day { offset, alone } => Some((offset, alone)),
            _ => None,
        })?;
        let (offset, alone) = l.v;
        if !alone && !self.prev_has(i, View::Lax, |m| m == Meaning::DayPart) {
            return None;
        }
        let value = self
            .r
            .and_then(|r| add_days(r, i64::from(offset)))
            .map(ymd)
            .unwrap_or_default();
        Some(Cand {
            start: l.start,
            end: l.end,
            value,
            rule: "date/day-word",
            conf: 0.85,
        })
    }

    /// الشهر الماضي، الأسبوع المقبل، العام الجاري، اليوم السابق، هذا العام، last week, next year.
    fn relative_unit(&self, i: usize) -> Option<Cand> {
        let unit = |m: Meaning| match m {
            Meaning::Unit(u) => Some(u),
            _ => None,
        };
        let (start, end, u, rel) = if let Some(b) = self.lex(i, View::Clitic, |m| match m {
            Meaning::Before(r) => Some(r),
            _ => None,
        }) {
            let un = self
                .lex(b.end, View::Exact, unit)
                .filter(|u| u.v != Unit::Day)?;
            (b.start, un.end, un.v, b.v)
        } else {
            let un = self.lex(i, View::Clitic, unit)?;
            let r = self.lex(un.end, View::Exact, |m| match m {
                Meaning::After(r) => Some(r),
                _ => None,
            })?;
            if un.v == Unit::Year && self.prev_has(i, View::Lax, |m| m == Meaning::YearUnitBlock) {
                return None;
            }
            (un.start, r.end, un.v, r.v)
        };
        let value = match (self.r, rel) {
            (None, _) | (_, Rel::Anaphoric) => String::new(),
            (Some(r), rel) => {
                let delta = match rel {
                    Rel::Past => -1,
                    Rel::Next => 1,
                    _ => 0,
                };
                match u {
                    Unit::Day | Unit::Night => add_days(r, delta).map(ymd).unwrap_or_default(),
                    Unit::Week => add_days(r, 7 * delta).map(iso_week).unwrap_or_default(),
                    Unit::Month => {
                        let (y, m) = add_months(i64::from(r.year()), i64::from(r.month()), delta);
                        format!("{y:04}-{m:02}")
                    }
                    Unit::Year => format!("{:04}", i64::from(r.year()) + delta),
                }
            }
        };
        Some(Cand {
            start,
            end,
            value,
            rule: "date/relative",
            conf: 0.85,
        })
    }

    /// [يوم] [19 [من]] [شهر] month [/month | (month)] [19] [, 2024 | من عام 2024 | من العام الماضي |
    /// الماضي | هذا العام]; English "last June", "June 19, 2024", "19th of June".
    fn month_date(&self, i: usize, first: bool) -> Option<Cand> {
        let month = |m: Meaning| match m {
            Meaning::Month {
                num,
                ambiguous,
                english,
            } => Some((num, ambiguous, english)),
            _ => None,
        };
        let fv = |started: bool| {
            if first && !started {
                View::Clitic
            } else {
                View::Exact
            }
        };
        let mut j = i;
        let mut start: Option<usize> = None;
        let mut day: Option<u8> = None;
        let mut pre_rel: Option<Rel> = None;
        let mut marker = false;
        // يوم + day number
        if let Some(m) = self.lex(j, fv(false), |m| (m == Meaning::DayMarker).then_some(())) {
            if self.day_at(m.end, false).is_some() {
                start = Some(m.start);
                j = m.end;
            }
        }
        if let Some((d, s, k)) = self.day_before_month(j, first && start.is_none()) {
            if self.lex(k, View::Exact, month).is_some()
                || (self.has(k, View::Exact, |m| m == Meaning::MonthMarker) && k + 1 < self.len())
            {
                day = Some(d);
                start.get_or_insert(s);
                j = k;
            } else if start.is_some() {
                return None;
            }
        }
        if day.is_none() && start.is_none() {
            if let Some(b) = self.lex(j, fv(false), |m| match m {
                Meaning::Before(r) if r != Rel::Anaphoric => Some(r),
                _ => None,
            }) {
                if self.lex(b.end, View::Exact, month).is_some() {
                    pre_rel = Some(b.v);
                    start = Some(b.start);
                    j = b.end;
                }
            }
        }
        if let Some(mm) = self.lex(j, fv(start.is_some()), |m| {
            (m == Meaning::MonthMarker).then_some(())
        }) {
            if self.lex(mm.end, View::Exact, month).is_some() {
                marker = true;
                start.get_or_insert(mm.start);
                j = mm.end;
            }
        }
        let m = self.lex(j, fv(start.is_some()), month)?;
        let start = start.unwrap_or(m.start);
        let (num, mut ambiguous, english) = m.v;
        j = m.end;
        // A pair with another name of the same month.
        let mut paired = false;
        let same = |k: usize| self.lex(k, View::Exact, month).filter(|m2| m2.v.0 == num);
        if matches!(self.tok(j), "/" | "-") {
            if let Some(m2) = same(j + 1) {
                paired = true;
                j = m2.end;
            }
        } else if self.tok(j) == "(" {
            if let Some(m2) = same(j + 1).filter(|m2| self.tok(m2.end) == ")") {
                paired = true;
                j = m2.end + 1;
            }
        }
        if paired {
            ambiguous = false;
        }
        // English: June 19, Jan. 15
        let mut day_after = false;
        if day.is_none() && english {
            let k = if self.tok(j) == "." && !paired {
                j + 1
            } else {
                j
            };
            if let Some((d, _, e)) = self.day_at(k, false) {
                if !self.has(e, View::Exact, |m| m == Meaning::Count) {
                    day = Some(d);
                    day_after = true;
                    j = e;
                }
            }
        }
        // Tail: a year, a relative year, or a relative word.
        let mut year: Option<i64> = None;
        let mut year_off: Option<i64> = None;
        let mut rel = pre_rel;
        let plain_year = |k: usize| {
            self.year_at(k, false)
                .filter(|y| y.digits == 4 && !y.ah && (1000..=2100).contains(&y.y))
                .filter(|y| !self.has(y.end, View::Exact, |m| m == Meaning::Count))
        };
        let rel_year = |k: usize| -> Option<(i64, usize)> {
            let after = |m: Meaning| match m {
                Meaning::After(r) if r != Rel::Anaphoric => Some(r),
                Meaning::Before(r) if r != Rel::Anaphoric => Some(r),
                _ => None,
            };
            let off = |r: Rel| match r {
                Rel::Past => -1,
                Rel::Next => 1,
                _ => 0,
            };
            let is_year = |m: Meaning| m == Meaning::Unit(Unit::Year);
            if let Some(u) = self.lex(k, View::Exact, |m| is_year(m).then_some(())) {
                let r = self.lex(u.end, View::Exact, |m| {
                    if matches!(m, Meaning::After(_)) {
                        after(m)
                    } else {
                        None
                    }
                })?;
                return Some((off(r.v), r.end));
            }
            let b = self.lex(k, View::Exact, |m| {
                if matches!(m, Meaning::Before(_)) {
                    after(m)
                } else {
                    None
                }
            })?;
            let u = self.lex(b.end, View::Exact, |m| is_year(m).then_some(()))?;
            Some((off(b.v), u.end))
        };
        let k = if day_after && self.tok(j) == "," {
            j + 1
        } else {
            j
        };
        let marked = self
            .lex(k, View::Exact, |m| (m == Meaning::YearMarker).then_some(()))
            .map(|l| l.end);
        if let Some(y) = plain_year(k).or_else(|| marked.and_then(plain_year)) {
            year = Some(y.y);
            j = y.end;
        } else if let Some(of) = self.lex(j, View::Exact, |m| (m == Meaning::Of).then_some(())) {
            let k = self
                .lex(of.end, View::Exact, |m| {
                    (m == Meaning::YearMarker).then_some(())
                })
                .map_or(of.end, |l| l.end);
            if let Some(y) = plain_year(k) {
                year = Some(y.y);
                j = y.end;
            } else if let Some((o, e)) = rel_year(of.end) {
                year_off = Some(o);
                j = e;
            }
        } else if let Some(r) = self.lex(j, View::Exact, |m| match m {
            Meaning::After(r) if r != Rel::Anaphoric => Some(r),
            _ => None,
        }) {
            rel = Some(r.v);
            j = r.end;
        } else if let Some((o, e)) = rel_year(j) {
            year_off = Some(o);
            j = e;
        }
        let dated = day.is_some() || year.is_some() || year_off.is_some() || rel.is_some();
        if ambiguous && !dated && !paired && !marker {
            let prep = self.prev_has(i, View::Lax, |m| m == Meaning::Prep);
            if !(prep && self.boundary(j)) {
                return None;
            }
        }
        if english
            && !dated
            && !paired
            && !marker
            && !self.prev_has(i, View::Lax, |m| m == Meaning::Prep)
        {
            return None;
        }
        if let Some(d) = day {
            if !valid_day(year, num, d) {
                return None;
            }
        }
        let y = match (year, self.r) {
            (Some(y), _) => Some(y),
            (None, None) => None,
            (None, Some(r)) => {
                let (ry, rm) = (i64::from(r.year()), i64::from(r.month()));
                let m = i64::from(num);
                Some(match (year_off, rel) {
                    (Some(o), _) => ry + o,
                    (None, Some(Rel::Past)) => ry - i64::from(m >= rm),
                    (None, Some(Rel::Next)) => ry + i64::from(m <= rm),
                    _ => ry,
                })
            }
        };
        let value = match (y, day) {
            (Some(y), Some(d)) if valid_day(Some(y), num, d) => format!("{y:04}-{num:02}-{d:02}"),
            (Some(_), Some(_)) => String::new(),
            (Some(y), None) => format!("{y:04}-{num:02}"),
            (None, _) => String::new(),
        };
        let conf = if year.is_some() {
            0.95
        } else if dated || paired {
            0.9
        } else if ambiguous {
            0.7
        } else {
            0.8
        };
        let rule = if day.is_some() {
            "date/day-month"
        } else {
            "date/month"
        };
        Some(Cand {
            start,
            end: j,
            value,
            rule,
            conf,
        })
    }

    /// [19] [شهر] رمضان [1445 [هـ]]: needs a day or a year. Value `AH1445-09-19`.
    fn hijri(&self, i: usize) -> Option<Cand> {
        let hijri = |m: Meaning| match m {
            Meaning::Hijri(n) => Some(n),
            _ => None,
        };
        let mut j = i;
        let mut start = None;
        let mut day = None;
        if let Some((d, s, k)) = self.day_before_month(i, true) {
            if self.lex(k, View::Exact, hijri).is_some() {
                day = Some(d);
                start = Some(s);
                j = k;
            }
        }
        let view = if start.is_some() {
            View::Exact
        } else {
            View::Clitic
        };
        if let Some(mm) = self.lex(j, view, |m| (m == Meaning::MonthMarker).then_some(())) {
            if self.lex(mm.end, View::Exact, hijri).is_some() {
                start.get_or_insert(mm.start);
                j = mm.end;
            }
        }
        let view = if start.is_some() {
            View::Exact
        } else {
            View::Clitic
        };
        let m = self.lex(j, view, hijri)?;
        let start = start.unwrap_or(m.start);
        j = m.end;
        let marked = self
            .lex(j, View::Exact, |m| (m == Meaning::YearMarker).then_some(()))
            .map_or(j, |l| l.end);
        let year = self
            .year_at(marked, false)
            .filter(|y| ((1..=1600).contains(&y.y) && !y.marked) || y.ah);
        if let Some(y) = year {
            j = y.end;
        }
        if day.is_none() && year.is_none() {
            return None;
        }
        if day.is_some_and(|d| d > 30) {
            return None;
        }
        let value = match (year, day) {
            (Some(y), Some(d)) => format!("AH{:04}-{m:02}-{d:02}", y.y, m = m.v),
            (Some(y), None) => format!("AH{:04}-{:02}", y.y, m.v),
            (None, _) => String::new(),
        };
        Some(Cand {
            start,
            end: j,
            value,
            rule: "date/hijri",
            conf: 0.9,
        })
    }

    /// عام 2020، 2024م، 1445 هـ، 1950-1953, and bare years 1900-2099 in a date context.
    fn year(&self, i: usize) -> Option<Cand> {
        let marker = self.lex(i, View::Clitic, |m| {
            (m == Meaning::YearMarker).then_some(())
        });
        let y1 = match &marker {
            Some(mk) => self.year_at(mk.end, false)?,
            None => self.year_at(i, true)?,
        };
        let start = marker.as_ref().map_or(y1.start, |m| m.start);
        let first_tok = marker.as_ref().map_or(i, |m| m.end);
        if y1.ah {
            let v = format!("AH{:04}", y1.y);
            return Some(Cand {
                start,
                end: y1.end,
                value: v,
                rule: "date/year",
                conf: 0.9,
            });
        }
        if y1.digits != 4 && !y1.marked {
            return None;
        }
        let lo = if marker.is_some() || y1.marked {
            100
        } else {
            1900
        };
        let in_range = |y: i64| (lo..=2100).contains(&y);
        // A range 1950-1953, 2022/2023.
        if !y1.marked && matches!(self.tok(y1.end), "-" | "/") {
            if let Some(y2) = self.year_at(y1.end + 1, false) {
                let chain =
                    matches!(self.tok(y2.end), "-" | "/") && all_digits(self.tok(y2.end + 1));
                let ok = y2.digits == 4 && y1.y < y2.y && y2.y - y1.y <= 100 && !y2.ah && !chain;
                if ok && (1000..=2100).contains(&y1.y) && (1000..=2100).contains(&y2.y) {
                    let v = format!("{:04}/{:04}", y1.y, y2.y);
                    return Some(Cand {
                        start,
                        end: y2.end,
                        value: v,
                        rule: "date/year-range",
                        conf: 0.9,
                    });
                }
            }
        }
        if !in_range(y1.y) {
            return None;
        }
        let conf = if marker.is_some() || y1.marked {
            0.95
        } else {
            0.75
        };
        let done = |end: usize| {
            Some(Cand {
                start,
                end,
                value: format!("{:04}", y1.y),
                rule: "date/year",
                conf,
            })
        };
        if marker.is_some() || y1.marked {
            return done(y1.end);
        }
        // Bare year: a count ("2000 جندي") is never a year.
        let end = y1.end;
        if self.has(end, View::Exact, |m| m == Meaning::Count) {
            return None;
        }
        let prev_prep = first_tok > 0 && self.has(first_tok - 1, View::Lax, |m| m == Meaning::Prep);
        let round = y1.y % 100 == 0;
        let after_ok = !round
            || self.boundary(end)
            || self.has(end, View::Exact, |m| matches!(m, Meaning::After(_)));
        let in_parens = first_tok > 0 && self.tok(first_tok - 1) == "(" && self.tok(end) == ")";
        let link = |k: usize| self.has(k, View::Exact, |m| m == Meaning::YearLink);
        // First of a pair: "2014 و2016", "2014 إلى 2016".
        let pair_first = (link(end) && self.is_year_like(end + 1))
            || (self.tok(end).starts_with('و')
                && self
                    .year_at(end, true)
                    .is_some_and(|y| y.digits == 4 && y.start > self.nt.tokens[end].norm.start));
        // Second of a pair.
        let glued_and = y1.start > self.nt.tokens[i].norm.start && self.tok(i).starts_with('و');
        let pair_second = (glued_and && i > 0 && self.is_year_like(i - 1))
            || (i >= 2 && link(i - 1) && self.is_year_like(i - 2));
        if (prev_prep && after_ok) || in_parens || pair_first || pair_second {
            return done(end);
        }
        None
    }

    /// الثمانينيات [القرن الماضي], 1990s.
    fn decade(&self, i: usize) -> Option<Cand> {
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
        let value = format!("{}X", &digits[..3]);
        Some(Cand {
            start: self.nt.tokens[i].norm.start,
            end: i + 1,
            value,
            rule: "date/decade",
            conf: 0.85,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: &str = include_str!("../../rules/dates.toml");

    /// The lookups of the former `Cx::new`: every entry of `CLITICS`, "لل", "ولل" and "فلل"
    /// tried with `strip_prefix`, each candidate key built as a `String`.
    fn reference<'a>(tok: &str, keys: &'a Keys) -> Vec<Found<'a>> {
        let mut v = Vec::new();
        let mut push = |key: &str, skip: usize, weak: bool, views: u8| {
            if let Some(k) = keys.get(key.as_bytes()) {
                v.push(Found {
                    list: &k.list,
                    skip,
                    weak,
                    views,
                });
            }
        };
        push(tok, 0, false, VIEW_EXACT | VIEW_LAX | VIEW_CLITIC);
        for c in ["و", "ف"] {
            if let Some(r) = tok.strip_prefix(c) {
                push(r, c.len(), false, VIEW_LAX);
            }
        }
        for c in CLITICS {
            let Some(r) = tok.strip_prefix(c) else {
                continue;
            };
            let strong = r.starts_with("ال") || all_digits(r) || c == "و" || c == "ف";
            if r.starts_with("ال") || all_digits(r) || r.chars().count() >= 3 {
                push(r, c.len(), !strong, VIEW_CLITIC);
            }
        }
        for pre in ["لل", "ولل", "فلل"] {
            if let Some(r) = tok.strip_prefix(pre).filter(|r| !r.is_empty()) {
                push(&format!("ال{r}"), pre.len() - "ل".len(), false, VIEW_CLITIC);
            }
        }
        v
    }

    fn same(a: &[Found], b: &[Found]) -> bool {
        a.len() == b.len()
            && a.iter().zip(b).all(|(x, y)| {
                std::ptr::eq(x.list, y.list)
                    && (x.skip, x.weak, x.views) == (y.skip, y.weak, y.views)
            })
    }

    /// Every proclitic combination before every key (and a few other words) reaches the same
    /// lexicon lists, in the same order, as trying each proclitic with `strip_prefix`.
    #[test]
    fn proclitics_match_strip_prefix() {
        let lex = super::super::lexicon::build("dates.toml", RULES).expect("dates.toml");
        let mut words: Vec<String> = lex.keys().cloned().collect();
        let keys = Keys::new(lex);
        words.extend(
            ["", "ا", "ال", "ل", "لل", "19", "2024", "abc", "امس", "بين"].map(String::from),
        );
        let letters = ["", "و", "ف", "ب", "ل", "ك", "ا", "ال", "لل"];
        let mut checked = 0;
        for a in letters {
            for b in letters {
                for c in ["", "و", "ل", "ال"] {
                    for w in &words {
                        let tok = format!("{a}{b}{c}{w}");
                        let mut got = Vec::new();
                        let h = head(tok.as_bytes());
                        let starts = push_found(tok.as_bytes(), h, &keys, &mut got);
                        let want = reference(&tok, &keys);
                        assert!(same(&got, &want), "{tok:?}");
                        let can_start = |f: &Found| f.list.iter().any(|e| e.meaning.can_start());
                        assert_eq!(starts, want.iter().any(can_start), "{tok:?}");
                        checked += usize::from(!want.is_empty());
                    }
                }
            }
        }
        assert!(checked > 1000, "{checked}");
    }

    /// The table finds every key with its entries, "ال" + word like the built key, and nothing
    /// else (prefixes, extensions and other words of the same length and head).
    #[test]
    fn keys_find_exactly_the_lexicon() {
        let lex = super::super::lexicon::build("dates.toml", RULES).expect("dates.toml");
        let keys = Keys::new(lex.clone());
        assert!(Keys::default().get(b"x").is_none() && Keys::default().get_al(b"x").is_none());
        let mut probes: Vec<String> = lex.keys().cloned().collect();
        for k in lex.keys() {
            probes.extend([format!("{k}x"), format!("{k}\0"), format!("x{k}")]);
            probes.extend(k.char_indices().map(|(i, _)| k[..i].to_owned()));
            let mut b = k.clone().into_bytes();
            *b.last_mut().expect("non-empty") ^= 1;
            probes.extend(String::from_utf8(b).ok());
        }
        for p in &probes {
            let got = keys.get(p.as_bytes());
            assert_eq!(
                got.map(|k| &k.text[..]),
                lex.get_key_value(p).map(|(k, _)| k.as_bytes())
            );
            if let (Some(k), Some(list)) = (got, lex.get(p)) {
                assert!(k
                    .list
                    .iter()
                    .map(|e| e.meaning)
                    .eq(list.iter().map(|e| e.meaning)));
            }
            if let Some(rest) = p.strip_prefix("ال") {
                let al = keys.get_al(rest.as_bytes()).map(|k| &k.text[..]);
                assert_eq!(al, got.map(|k| &k.text[..]), "{p:?}");
            }
        }
    }

    #[test]
    fn heads_and_digits() {
        let naive_head = |b: &[u8]| {
            let mut h = [0u8; 8];
            let n = b.len().min(8);
            h[..n].copy_from_slice(&b[..n]);
            u64::from_le_bytes(h)
        };
        let samples: Vec<Vec<u8>> = (0..=12)
            .flat_map(|len| {
                (0u8..=255).map(move |x| {
                    (0..len)
                        .map(|k| x.wrapping_add((k as u8).wrapping_mul(37)))
                        .collect::<Vec<u8>>()
                })
            })
            .collect();
        for b in &samples {
            let h = head(b);
            assert_eq!(h, naive_head(b), "{b:?}");
            let first = &b[..b.len().min(8)];
            assert_eq!(digit_in(h), first.iter().any(u8::is_ascii_digit), "{b:?}");
        }
        for x in 0u8..=255 {
            for k in 0..8 {
                let mut w = [b'a'; 8];
                w[k] = x;
                assert_eq!(
                    digit_in(u64::from_le_bytes(w)),
                    x.is_ascii_digit(),
                    "{x} at {k}"
                );
            }
        }
    }
}
