//! The normalized text: folded tokens separated by single spaces, with a map back to the original.

use std::ops::Range;

use super::fold::{self, Class};

/// What a token is made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// Contains at least one letter (may contain digits: "KN23").
    Word,
    /// ASCII digits only (after folding Arabic-Indic digits).
    Number,
    /// A single punctuation or symbol character.
    Punct,
}

/// One token of the normalized text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
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
/// of `text` knows the original byte offset of the character it came from.
#[derive(Clone, Debug, Default)]
pub struct NormText {
    /// The normalized text.
    pub text: String,
    /// For every byte of `text`: the byte offset in the original text of the character that
    /// produced it (for a separator: the offset where the separation happens).
    src: Vec<u32>,
    /// The tokens, in order.
    pub tokens: Vec<Token>,
    /// Letters per script, counted while folding (for language detection).
    pub scripts: Scripts,
}

/// Letters of the two scripts language detection weighs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Scripts {
    /// Arabic-script letters (Arabic, Arabic Supplement, Extended-A, presentation forms).
    pub arabic: usize,
    /// Latin letters (ASCII and Latin-1 to Latin Extended-B).
    pub latin: usize,
}

impl NormText {
    /// Normalizes `orig`. Texts longer than `u32::MAX` bytes are the caller's to refuse.
    pub fn new(orig: &str) -> NormText {
        let mut nt = NormText {
            text: String::with_capacity(orig.len() + 16),
            src: Vec::with_capacity(orig.len() + 16),
            tokens: Vec::with_capacity(orig.len() / 5 + 1),
            scripts: Scripts::default(),
        };
        let mut w = Word::default();
        let (ascii, arabic) = fast_tables();
        let bytes = orig.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            // Fast path: ASCII and the Arabic block (two-byte sequences D8..DB xx) come from
            // precomputed tables; everything else is decoded and folded one character at a time.
            let b = bytes[i];
            let fast = if b < 0x80 {
                Some((&ascii[usize::from(b)], 1))
            } else if b & 0xFC == 0xD8 {
                // A lead byte D8..DB is always followed by a continuation byte in valid UTF-8.
                let cp = (usize::from(b & 0x1F) << 6) | usize::from(bytes[i + 1] & 0x3F);
                Some((&arabic[cp - 0x600], 2))
            } else {
                None
            };
            match fast {
                Some((f, len)) if f.short || matches!(f.info.class, Class::Drop | Class::Space) => {
                    nt.step(&mut w, i, len, &f.info, Fold::Short(f.out));
                    i += len;
                }
                _ => {
                    let c = orig[i..].chars().next().expect("i is a char boundary");
                    nt.step_decoded(&mut w, i, c);
                    i += c.len_utf8();
                }
            }
        }
        nt.end_word(&mut w, orig.len());
        nt
    }

    /// [`NormText::step`] for a character outside the fast tables (kept out of line: the loop
    /// above stays small).
    #[inline(never)]
    fn step_decoded(&mut self, w: &mut Word, i: usize, c: char) {
        self.step(w, i, c.len_utf8(), &CharInfo::of(c), Fold::Of(c));
    }

    /// Takes the character at original byte `i` (`len` bytes, described by `info`, folding to
    /// `fold`).
    #[inline(always)]
    fn step(&mut self, w: &mut Word, i: usize, len: usize, info: &CharInfo, fold: Fold) {
        let push = |nt: &mut NormText| match fold {
            Fold::Short(f) => nt.push_short(f, i),
            Fold::Of(c) => nt.push_char(c, i),
        };
        match info.class {
            Class::Word => {
                w.begin(self.text.len(), i);
                w.has_letter |= info.letter;
                self.scripts.arabic += usize::from(info.script == SCRIPT_ARABIC);
                self.scripts.latin += usize::from(info.script == SCRIPT_LATIN);
                push(self);
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
                push(self);
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

    /// Appends a folded character of one or two bytes that comes from the character at
    /// `orig_at`.
    #[inline(always)]
    fn push_short(&mut self, f: char, orig_at: usize) {
        self.text.push(f);
        let at = orig_at as u32;
        if f.len_utf8() == 1 {
            self.src.push(at);
        } else {
            self.src.extend_from_slice(&[at, at]);
        }
    }

    fn push_char(&mut self, c: char, orig_at: usize) {
        let before = self.text.len();
        if !fold::push_folded(c, &mut self.text) {
            return;
        }
        let added = self.text.len() - before;
        self.src.extend(std::iter::repeat_n(orig_at as u32, added));
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
        self.text.push(' ');
        self.src.push(sep_at as u32);
    }

    /// Maps a byte range of the normalized text that starts and ends inside tokens back to the
    /// original text. The end covers the whole original character of the last normalized byte
    /// and the diacritics attached to it. `orig` must be the text this was built from.
    pub fn orig_range(&self, orig: &str, norm: Range<usize>) -> Range<usize> {
        debug_assert!(norm.start < norm.end && norm.end <= self.src.len());
        let start = self.src[norm.start] as usize;
        let last = self.src[norm.end - 1] as usize;
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

    /// The normalized byte offset where the token containing `pos` starts.
    pub fn token_start(&self, pos: usize) -> usize {
        self.text.as_bytes()[..pos]
            .iter()
            .rposition(|&b| b == b' ')
            .map_or(0, |p| p + 1)
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

/// The word being built: (normalized start, original start), where its last character ends
/// in the original, and whether it has a letter (else it is a number).
#[derive(Default)]
struct Word {
    start: Option<(usize, usize)>,
    orig_end: usize,
    has_letter: bool,
}

impl Word {
    #[inline(always)]
    fn begin(&mut self, norm_at: usize, orig_at: usize) {
        if self.start.is_none() {
            self.start = Some((norm_at, orig_at));
            self.has_letter = false;
        }
    }
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

/// How a character folds: to a known character of one or two bytes, or as
/// [`fold::push_folded`] says.
#[derive(Clone, Copy)]
enum Fold {
    Short(char),
    Of(char),
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

/// A character of the fast tables, computed once with [`CharInfo::of`] and
/// [`fold::push_folded`] so that the fast and the general path agree.
#[derive(Clone, Copy)]
struct Fast {
    info: CharInfo,
    /// The folded character, when the fold is one character of at most two bytes in UTF-8.
    out: char,
    /// Whether `out` holds the fold (else the general path handles the character).
    short: bool,
}

impl Fast {
    fn of(cp: u32) -> Fast {
        let c = char::from_u32(cp).expect("ASCII and the Arabic block are valid");
        let mut folded = String::new();
        fold::push_folded(c, &mut folded);
        let mut chars = folded.chars();
        let (out, short) = match (chars.next(), chars.next()) {
            (Some(f), None) if f.len_utf8() <= 2 => (f, true),
            _ => ('\0', false),
        };
        Fast {
            info: CharInfo::of(c),
            out,
            short,
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
        assert_eq!(nt.token_start(4), 3);
        assert_eq!(nt.token_at(4), Some(1));
        assert_eq!(nt.token_at(2), None);
        assert_eq!(normalize_form(" Kim  Jong-un "), "kim jong - un");
    }
}
