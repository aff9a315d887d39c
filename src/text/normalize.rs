//! The normalized text: folded tokens separated by single spaces, with a map back to the original.

use std::ops::Range;

use super::fold::{self, Class};

/// What a token is made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TokenKind {
    /// Contains at least one letter (may contain digits: "KN23").
    Word,
    /// ASCII digits only (after folding Arabic-Indic digits).
    Number,
    /// A single punctuation or symbol character.
    Punct,
}

/// One token of the normalized text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Token {
    /// Byte range in [`NormText::text`].
    pub norm: Range<usize>,
    /// Byte range in the original text (covers marks attached to its last letter).
    pub orig: Range<usize>,
    /// Word, number or punctuation.
    pub kind: TokenKind,
}

/// The original text folded for matching (see [`super::fold`]).
///
/// `text` holds the tokens joined by one ASCII space, and one more space after the last token, so
/// that a pattern written with a trailing space can only match at the end of a token. Every byte
/// of `text` knows the original byte offset of the character it came from, through a short list
/// of segments (see [`Segment`]) instead of one entry per byte.
#[derive(Clone, Debug, Default)]
pub(crate) struct NormText {
    /// The normalized text.
    pub text: String,
    /// Where the bytes of `text` come from, in order of `norm` (see [`Segment`]).
    segs: Vec<Segment>,
    /// For every block of [`BLOCK`] bytes of `text`: the index of the segment its first byte is
    /// in, so that a lookup scans a few segments instead of searching them all.
    block_seg: Vec<u32>,
    /// The tokens, in order.
    pub tokens: Vec<Token>,
    /// Letters per script, counted while folding (for language detection).
    pub scripts: Scripts,
}

/// A run of normalized bytes starting at `norm` that comes from the original text at `orig`.
///
/// In a *linear* segment every character folded to a character of the same UTF-8 length and
/// nothing was dropped in between, so byte `norm + k` comes from byte `orig + k` (most Arabic and
/// Latin words are one linear segment: أ → ا, ى → ي, ة → ه and A → a keep their length). In any
/// other segment (a fold that changes the length, a separator) every byte comes from the one
/// character at `orig`. Texts are shorter than 2³¹ bytes, so the flag fits in `orig`'s top bit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Segment {
    norm: u32,
    /// Original byte offset, with [`LINEAR`] set for a linear segment.
    orig: u32,
}

/// The flag of a linear [`Segment`].
const LINEAR: u32 = 1 << 31;

/// Bytes of normalized text per entry of [`NormText::block_seg`] (a token and a half of Arabic).
const BLOCK_BITS: u32 = 5;
const BLOCK: usize = 1 << BLOCK_BITS;

/// Letters of the two scripts language detection weighs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Scripts {
    /// Arabic-script letters (Arabic, Arabic Supplement, Extended-A, presentation forms).
    pub arabic: usize,
    /// Latin letters (ASCII and Latin-1 to Latin Extended-B).
    pub latin: usize,
}

impl NormText {
    /// Normalizes `orig`. Texts of 2³¹ bytes or more are the caller's to refuse.
    pub fn new(orig: &str) -> NormText {
        debug_assert!(orig.len() < LINEAR as usize);
        let mut nt = NormText {
            text: String::with_capacity(orig.len() + 16),
            segs: Vec::with_capacity(orig.len() / 6 + 4),
            block_seg: Vec::new(),
            tokens: Vec::with_capacity(orig.len() / 5 + 1),
            scripts: Scripts::default(),
        };
        let mut w = Word::default();
        // Whether the last segment is linear and ends where the next character would continue it.
        let mut linear_open = false;
        // Start of the run of characters that fold to themselves and are not yet copied: they go
        // to `text` in one copy, when the run ends.
        let mut run: Option<usize> = None;
        let flush = |nt: &mut NormText, run: &mut Option<usize>, end: usize| {
            if let Some(r) = run.take() {
                nt.text.push_str(&orig[r..end]);
            }
        };
        let (ascii, arabic) = fast_tables();
        let bytes = orig.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            // Fast path: ASCII and the Arabic block (two-byte sequences D8..DB xx) come from
            // precomputed tables; everything else is decoded and folded one character at a time.
            let b = bytes[i];
            let (f, len) = if b < 0x80 {
                (&ascii[usize::from(b)], 1)
            } else if b & 0xFC == 0xD8 {
                // A lead byte D8..DB is always followed by a continuation byte in valid UTF-8;
                // the low bits of both give the offset in the block (below 256, so the index
                // needs no check).
                let at = (usize::from(b & 0x03) << 6) | usize::from(bytes[i + 1] & 0x3F);
                (&arabic[at], 2)
            } else {
                flush(&mut nt, &mut run, i);
                let c = orig[i..].chars().next().expect("i is a char boundary");
                nt.step_decoded(&mut w, i, c);
                linear_open = false;
                i += c.len_utf8();
                continue;
            };
            // The hot path: a letter or digit that folds to a character of its own length.
            if f.kind == FastKind::Linear {
                if !linear_open {
                    flush(&mut nt, &mut run, i);
                    if w.start.is_none() {
                        w.start = Some((nt.text.len(), i));
                        w.has_letter = false;
                    }
                    nt.segs.push(Segment {
                        norm: nt.text.len() as u32,
                        orig: i as u32 | LINEAR,
                    });
                    linear_open = true;
                }
                w.has_letter |= f.letter;
                nt.scripts.arabic += usize::from(f.arabic);
                nt.scripts.latin += usize::from(f.latin);
                if f.same {
                    run.get_or_insert(i);
                } else {
                    flush(&mut nt, &mut run, i);
                    nt.text.push(f.out);
                }
                w.orig_end = i + len;
                i += len;
                // The rest of a run of linear Arabic letters, the bulk of Arabic text, read here
                // without the dispatch above (the same steps, the segment already open).
                while i + 1 < bytes.len() && bytes[i] & 0xFC == 0xD8 {
                    let at = (usize::from(bytes[i] & 0x03) << 6) | usize::from(bytes[i + 1] & 0x3F);
                    let g = &arabic[at];
                    if g.kind != FastKind::Linear {
                        break;
                    }
                    w.has_letter |= g.letter;
                    nt.scripts.arabic += usize::from(g.arabic);
                    if g.same {
                        run.get_or_insert(i);
                    } else {
                        flush(&mut nt, &mut run, i);
                        nt.text.push(g.out);
                    }
                    i += 2;
                    w.orig_end = i;
                }
                continue;
            }
            flush(&mut nt, &mut run, i);
            linear_open = false;
            match f.kind {
                FastKind::Drop => {
                    if f.attached && w.start.is_some() {
                        w.orig_end = i + len;
                    }
                }
                FastKind::Space => nt.end_word(&mut w, i),
                FastKind::Punct => {
                    nt.end_word(&mut w, i);
                    let ns = nt.text.len();
                    nt.segs.push(Segment {
                        norm: ns as u32,
                        orig: i as u32,
                    });
                    nt.text.push(f.out);
                    nt.close_token(ns, i..i + len, TokenKind::Punct, i + len);
                }
                FastKind::Linear | FastKind::General => {
                    let c = orig[i..].chars().next().expect("i is a char boundary");
                    nt.step_decoded(&mut w, i, c);
                }
            }
            i += len;
        }
        flush(&mut nt, &mut run, orig.len());
        nt.end_word(&mut w, orig.len());
        nt.index_blocks();
        nt
    }

    /// Fills [`NormText::block_seg`].
    fn index_blocks(&mut self) {
        let blocks = self.text.len().div_ceil(BLOCK);
        self.block_seg.reserve_exact(blocks);
        let mut at = 0;
        for b in 0..blocks {
            let pos = (b * BLOCK) as u32;
            while self.segs.get(at + 1).is_some_and(|s| s.norm <= pos) {
                at += 1;
            }
            self.block_seg.push(at as u32);
        }
    }

    /// Takes the character `c` at original byte `i`, outside the fast tables' hot path (kept out
    /// of line: the loop above stays small).
    #[inline(never)]
    fn step_decoded(&mut self, w: &mut Word, i: usize, c: char) {
        let len = c.len_utf8();
        let info = CharInfo::of(c);
        match info.class {
            Class::Word => {
                let ns = self.text.len();
                if w.start.is_none() {
                    w.start = Some((ns, i));
                    w.has_letter = false;
                }
                w.has_letter |= info.letter;
                self.scripts.arabic += usize::from(info.script == SCRIPT_ARABIC);
                self.scripts.latin += usize::from(info.script == SCRIPT_LATIN);
                if fold::push_folded(c, &mut self.text) {
                    self.segs.push(Segment {
                        norm: ns as u32,
                        orig: i as u32,
                    });
                }
                w.orig_end = i + len;
            }
            Class::Space => self.end_word(w, i),
            Class::Drop => {
                if info.attached && w.start.is_some() {
                    w.orig_end = i + len;
                }
            }
            Class::Punct => {
                self.end_word(w, i);
                let ns = self.text.len();
                if fold::push_folded(c, &mut self.text) {
                    self.segs.push(Segment {
                        norm: ns as u32,
                        orig: i as u32,
                    });
                }
                self.close_token(ns, i..i + len, TokenKind::Punct, i + len);
            }
        }
    }

    /// Closes the word being built, if any; `sep_at` is where the separation happens.
    #[inline]
    fn end_word(&mut self, w: &mut Word, sep_at: usize) {
        if let Some((ns, os)) = w.start.take() {
            let kind = if w.has_letter {
                TokenKind::Word
            } else {
                TokenKind::Number
            };
            self.close_token(ns, os..w.orig_end, kind, sep_at);
        }
    }

    fn close_token(&mut self, ns: usize, orig: Range<usize>, kind: TokenKind, sep_at: usize) {
        if self.text.len() == ns {
            return; // every character folded away
        }
        self.tokens.push(Token {
            norm: ns..self.text.len(),
            orig,
            kind,
        });
        self.segs.push(Segment {
            norm: self.text.len() as u32,
            orig: sep_at as u32,
        });
        self.text.push(' ');
    }

    /// The original byte offset of the character that produced normalized byte `pos`.
    fn src(&self, pos: usize) -> usize {
        let mut at = self.block_seg[pos >> BLOCK_BITS] as usize;
        while self
            .segs
            .get(at + 1)
            .is_some_and(|s| s.norm as usize <= pos)
        {
            at += 1;
        }
        let s = self.segs[at];
        if s.orig & LINEAR == 0 {
            return s.orig as usize;
        }
        (s.orig & !LINEAR) as usize + (pos - s.norm as usize)
    }

    /// Maps a byte range of the normalized text that starts and ends inside tokens back to the
    /// original text. The end covers the whole original character of the last normalized byte
    /// and the diacritics attached to it. `orig` must be the text this was built from.
    pub fn orig_range(&self, orig: &str, norm: Range<usize>) -> Range<usize> {
        debug_assert!(norm.start < norm.end && norm.end <= self.text.len());
        let start = char_start(orig, self.src(norm.start));
        let last = char_start(orig, self.src(norm.end - 1));
        let mut chars = orig[last..].chars();
        let mut end = last + chars.next().map_or(0, char::len_utf8);
        for c in chars {
            if fold::is_attached_mark(c) {
                end += c.len_utf8();
            } else {
                break;
            }
        }
        start..end
    }

    /// Index of the token that contains normalized byte `pos` (binary search).
    pub fn token_at(&self, pos: usize) -> Option<usize> {
        let i = self.tokens.partition_point(|t| t.norm.end <= pos);
        (i < self.tokens.len() && self.tokens[i].norm.start <= pos).then_some(i)
    }

    /// The normalized text of token `i`.
    pub fn token_text(&self, i: usize) -> &str {
        &self.text[self.tokens[i].norm.clone()]
    }
}

/// The start of the character of `s` that contains byte `at` (a byte of a linear segment may
/// sit inside a multi-byte character).
fn char_start(s: &str, mut at: usize) -> usize {
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The word being built: (normalized start, original start), where its last character ends
/// in the original, and whether it has a letter (else it is a number).
#[derive(Default)]
struct Word {
    start: Option<(usize, usize)>,
    orig_end: usize,
    has_letter: bool,
}

const SCRIPT_OTHER: u8 = 0;
const SCRIPT_ARABIC: u8 = 1;
const SCRIPT_LATIN: u8 = 2;

/// The script a word character counts for in [`Scripts`].
fn script_of(c: char) -> u8 {
    match c as u32 {
        0x41..=0x5A | 0x61..=0x7A | 0xC0..=0x24F => SCRIPT_LATIN,
        0x0621..=0x064A
        | 0x0671..=0x06D3
        | 0x0750..=0x077F
        | 0x08A0..=0x08C9
        | 0xFB50..=0xFDFB
        | 0xFE70..=0xFEFC => SCRIPT_ARABIC,
        _ => SCRIPT_OTHER,
    }
}

/// What normalization needs to know about a character besides its fold.
#[derive(Clone, Copy)]
struct CharInfo {
    class: Class,
    /// A word character that is not a digit.
    letter: bool,
    script: u8,
    /// A dropped mark that belongs to the letter before it.
    attached: bool,
}

impl CharInfo {
    fn of(c: char) -> CharInfo {
        CharInfo {
            class: fold::class_of(c),
            letter: !c.is_ascii_digit() && !is_indic_digit(c),
            script: script_of(c),
            attached: fold::is_attached_mark(c),
        }
    }
}

/// How the main loop takes a character of the fast tables.
#[derive(Clone, Copy, PartialEq, Eq)]
enum FastKind {
    /// A word character that folds to one character of the same UTF-8 length.
    Linear,
    /// Dropped.
    Drop,
    /// Separates words.
    Space,
    /// A punctuation character that folds to one character of at most two bytes.
    Punct,
    /// Anything else (a fold that changes the length or gives several characters): the general
    /// path.
    General,
}

/// A character of the fast tables, computed once with [`CharInfo::of`] and
/// [`fold::push_folded`] so that the fast and the general path agree.
#[derive(Clone, Copy)]
struct Fast {
    kind: FastKind,
    /// The folded character (for [`FastKind::Linear`] and [`FastKind::Punct`]).
    out: char,
    /// Whether `out` is the character itself (its bytes are copied as they are).
    same: bool,
    /// A word character that is not a digit.
    letter: bool,
    /// An Arabic letter (counted for language detection).
    arabic: bool,
    /// A Latin letter (counted for language detection).
    latin: bool,
    /// A dropped mark that belongs to the letter before it.
    attached: bool,
}

impl Fast {
    fn of(cp: u32) -> Fast {
        let c = char::from_u32(cp).expect("ASCII and the Arabic block are valid");
        let info = CharInfo::of(c);
        let mut folded = String::new();
        fold::push_folded(c, &mut folded);
        let mut chars = folded.chars();
        let (kind, out) = match (info.class, chars.next(), chars.next()) {
            (Class::Word, Some(f), None) if f.len_utf8() == c.len_utf8() => (FastKind::Linear, f),
            (Class::Drop, ..) => (FastKind::Drop, '\0'),
            (Class::Space, ..) => (FastKind::Space, '\0'),
            (Class::Punct, Some(f), None) if f.len_utf8() <= 2 => (FastKind::Punct, f),
            _ => (FastKind::General, '\0'),
        };
        Fast {
            kind,
            out,
            same: out == c,
            letter: info.letter,
            arabic: info.class == Class::Word && info.script == SCRIPT_ARABIC,
            latin: info.class == Class::Word && info.script == SCRIPT_LATIN,
            attached: info.attached,
        }
    }
}

/// The fast tables: ASCII, and the Arabic block U+0600–U+06FF.
fn fast_tables() -> &'static ([Fast; 128], [Fast; 256]) {
    static TABLES: std::sync::OnceLock<([Fast; 128], [Fast; 256])> = std::sync::OnceLock::new();
    TABLES.get_or_init(|| {
        (
            std::array::from_fn(|i| Fast::of(i as u32)),
            std::array::from_fn(|i| Fast::of(0x0600 + i as u32)),
        )
    })
}

fn is_indic_digit(c: char) -> bool {
    matches!(c, '\u{0660}'..='\u{0669}' | '\u{06F0}'..='\u{06F9}')
}

/// Normalizes a rule's surface form exactly as text is normalized: the tokens joined by one space,
/// without the trailing space.
pub fn normalize_form(form: &str) -> String {
    let mut t = NormText::new(form).text;
    t.pop();
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<(&str, TokenKind)> {
        let nt = NormText::new(s);
        let v: Vec<_> = nt
            .tokens
            .iter()
            .map(|t| (&s[t.orig.clone()], t.kind))
            .collect();
        v
    }

    #[test]
    fn tokens_and_spaces() {
        let nt = NormText::new("  وروسيا،  KN-23\n");
        assert_eq!(nt.text, "وروسيا , kn - 23 ");
        assert_eq!(
            toks("  وروسيا،  KN-23\n"),
            vec![
                ("وروسيا", TokenKind::Word),
                ("،", TokenKind::Punct),
                ("KN", TokenKind::Word),
                ("-", TokenKind::Punct),
                ("23", TokenKind::Number),
            ]
        );
    }

    #[test]
    fn diacritics_stay_inside_spans() {
        let s = "الرسميّة كيمٌ";
        let nt = NormText::new(s);
        assert_eq!(nt.text, "الرسميه كيم ");
        let r = nt.orig_range(s, 0..nt.tokens[0].norm.end);
        assert_eq!(&s[r], "الرسميّة");
        let t = &nt.tokens[1];
        assert_eq!(&s[nt.orig_range(s, t.norm.clone())], "كيمٌ");
        assert_eq!(&s[t.orig.clone()], "كيمٌ");
    }

    #[test]
    fn invisible_marks_stay_outside_spans() {
        let s = "\u{200F}روسيا\u{200F} x";
        let nt = NormText::new(s);
        let r = nt.orig_range(s, nt.tokens[0].norm.clone());
        assert_eq!(&s[r], "روسيا");
    }

    #[test]
    fn digits_and_numbers() {
        assert_eq!(
            toks("٢٠٢٤ 2024م"),
            vec![("٢٠٢٤", TokenKind::Number), ("2024م", TokenKind::Word)]
        );
        assert_eq!(NormText::new("٢٠٢٤").text, "2024 ");
    }

    #[test]
    fn emoji_is_a_token() {
        let s = "كيم😀بوتين";
        assert_eq!(
            toks(s),
            vec![
                ("كيم", TokenKind::Word),
                ("😀", TokenKind::Punct),
                ("بوتين", TokenKind::Word)
            ]
        );
    }

    #[test]
    fn only_dropped_chars() {
        let nt = NormText::new("\u{064E}\u{0640} \u{200F}");
        assert_eq!(nt.text, "");
        assert!(nt.tokens.is_empty());
    }

    #[test]
    fn token_lookup() {
        let nt = NormText::new("ab cd");
        assert_eq!(nt.token_at(4), Some(1));
        assert_eq!(nt.token_at(2), None);
        assert_eq!(normalize_form(" Kim  Jong-un "), "kim jong - un");
    }
}
