//! Reading a token's proclitics and looking it up: every lexicon list a token reaches, through the
//! three ways ([`View`]s) the grammar reads a token, found once per token of a text
//! ([`Lookups::new`]) rather than once per pattern.
//!
//! The proclitics are those of [`crate::text::arabic`]; [`Proclitics::of`] reads them off the
//! token's first three letters as byte pairs instead of trying each, and a test checks it against
//! the shared sets.

use super::keys::{head, Key, Keys};
use crate::rules::dates::Entry;
use crate::text::arabic::ARTICLE;
use crate::text::{NormText, TokenKind};

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

const VIEW_EXACT: u8 = 1;
const VIEW_LAX: u8 = 2;
const VIEW_CLITIC: u8 = 4;

impl View {
    /// The bit of this view in [`Found::views`].
    pub(super) fn bit(self) -> u8 {
        match self {
            View::Exact => VIEW_EXACT,
            View::Lax => VIEW_LAX,
            View::Clitic => VIEW_CLITIC,
        }
    }
}

/// A lexicon list reachable from a token.
pub(super) struct Found<'a> {
    pub(super) list: &'a [Entry],
    /// Bytes of proclitic skipped before the key.
    pub(super) skip: usize,
    /// Reached by stripping a proclitic other than و/ف from a word without ال.
    pub(super) weak: bool,
    /// The views that reach it ([`View::bit`]s).
    pub(super) views: u8,
}

/// The conjunctions among the [`PROCLITICS`](crate::text::arabic::PROCLITICS), the subset that
/// differs for dates: the only proclitics stripped from a context word (the lax view: "وفي" is
/// في), and the only ones before which a word without the article is no weak reading. The
/// prepositions ب ل ك glue to verbs' look-alikes too: "لامس" is "touched", not ل + أمس, so a day
/// word reached through them is refused. The byte-pair reading ([`Proclitics::of`]) holds the
/// set as `conj`; the tests check it against this list.
#[cfg(test)]
const CONJUNCTIONS: [&str; 2] = ["و", "ف"];

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

// The letters of the proclitics.
const WAW: u16 = utf8_pair('و');
const FA: u16 = utf8_pair('ف');
const BA: u16 = utf8_pair('ب');
const LAM: u16 = utf8_pair('ل');
const KAF: u16 = utf8_pair('ك');

/// Bytes of ل in UTF-8.
const LAM_LEN: usize = "ل".len();

/// The proclitics a token starts with, read from its first six bytes: exactly the prefixes
/// `strip_prefix` would find among the [`PROCLITICS`](crate::text::arabic::PROCLITICS) (و ف ب ل
/// ك, and و/ف + ب/ل/ك) and the [`LIL_CLITICS`](crate::text::arabic::LIL_CLITICS) + ل ("لل",
/// "ولل", "فلل"), without trying them one by one. Each of these letters is two bytes in UTF-8,
/// and a lead byte at offset 0 of a token starts a character, so comparing byte pairs compares
/// letters.
#[derive(Clone, Copy, Default)]
pub(super) struct Proclitics {
    /// The first letter is one of و ف ب ل ك.
    pub(super) one: bool,
    /// The first letter is one of the conjunctions و ف.
    conj: bool,
    /// The first two letters are و/ف + ب/ل/ك.
    pub(super) two: bool,
    /// When the token starts with "لل", "ولل" or "فلل" (ل + ال with the alef dropped): the bytes
    /// before the second ل, where a span starts (2 or 4).
    lal: Option<usize>,
}

impl Proclitics {
    // Inlined: it runs for every token of a text.
    #[inline(always)]
    pub(super) fn of(tok: &[u8]) -> Proclitics {
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
        let al = r.starts_with(ARTICLE.as_bytes()) || all_digits(r);
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

/// Whether the word `w` (eight bytes, see [`head`]) holds an ASCII digit: a byte is a digit when
/// `byte ^ 0x30` is below 10, and `(x - 10·ONES) & !x & 0x80·ONES` is non-zero exactly when some
/// byte of `x` is below 10 (the "hasless" test of Bit Twiddling Hacks). Zero padding is no digit.
fn digit_in(w: u64) -> bool {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    let x = w ^ (0x30 * ONES);
    x.wrapping_sub(10 * ONES) & !x & (0x80 * ONES) != 0
}

/// Whether `s` is a non-empty run of ASCII digits.
pub(super) fn all_digits(s: impl AsRef<[u8]>) -> bool {
    let s = s.as_ref();
    !s.is_empty() && s.iter().all(u8::is_ascii_digit)
}

/// The lookups of one text.
pub(super) struct Lookups<'a> {
    /// Every lexicon list the views of each token reach, token after token; token `i` has
    /// `found[at[i]..at[i + 1]]`.
    found: Vec<Found<'a>>,
    at: Vec<usize>,
    /// The tokens that could start a date, in order ([`Lookups::starts`]).
    starts: Vec<usize>,
}

impl<'a> Lookups<'a> {
    /// Looks every token of `nt` up in `keys`.
    pub(super) fn new(nt: &NormText, keys: &'a Keys) -> Lookups<'a> {
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
        Lookups { found, at, starts }
    }

    /// The lexicon lists token `i` reaches (none past the end).
    #[inline]
    pub(super) fn found(&self, i: usize) -> &[Found<'a>] {
        match self.at.get(i..i + 2) {
            Some(&[s, e]) => &self.found[s..e],
            _ => &[],
        }
    }

    /// The tokens that could start a date, in order: not punctuation, and a lexicon word (with
    /// or without clitics) that can start a match or a number (a digit among its first eight
    /// bytes). The others cannot, so [`DateEngine::find`](super::DateEngine::find) skips them.
    pub(super) fn starts(&self) -> &[usize] {
        &self.starts
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates::tests::{byte_samples, lexicon};
    use crate::text::arabic::{LIL_CLITICS, PROCLITICS};

    /// The lookups of the former per-token loop: every one of the shared [`PROCLITICS`] and
    /// [`LIL_CLITICS`] + ل tried with `strip_prefix`, each candidate key built as a `String`.
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
        for c in CONJUNCTIONS {
            if let Some(r) = tok.strip_prefix(c) {
                push(r, c.len(), false, VIEW_LAX);
            }
        }
        // Longest first, the order in which `push_found` strips them.
        let mut clitics = PROCLITICS;
        clitics.sort_by_key(|c| std::cmp::Reverse(c.len()));
        for c in clitics {
            let Some(r) = tok.strip_prefix(c) else {
                continue;
            };
            let al = r.starts_with(ARTICLE) || all_digits(r);
            let strong = al || CONJUNCTIONS.contains(&c);
            if al || r.chars().count() >= 3 {
                push(r, c.len(), !strong, VIEW_CLITIC);
            }
        }
        for c in LIL_CLITICS {
            let lil = format!("{c}ل");
            if let Some(r) = tok.strip_prefix(lil.as_str()).filter(|r| !r.is_empty()) {
                push(&format!("{ARTICLE}{r}"), c.len(), false, VIEW_CLITIC);
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
        let lex = lexicon();
        let keys = Keys::new(&lex);
        let mut words: Vec<String> = lex.keys().cloned().collect();
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

    /// [`digit_in`] of a [`head`] says whether the first eight bytes hold a digit.
    #[test]
    fn digits() {
        for b in &byte_samples() {
            let first = &b[..b.len().min(8)];
            assert_eq!(
                digit_in(head(b)),
                first.iter().any(u8::is_ascii_digit),
                "{b:?}"
            );
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
