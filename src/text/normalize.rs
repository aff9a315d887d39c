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
}

impl NormText {
    /// Normalizes `orig`. Texts longer than `u32::MAX` bytes are the caller's to refuse.
    pub fn new(orig: &str) -> NormText {
        let mut nt = NormText {
            text: String::with_capacity(orig.len() + 16),
            src: Vec::with_capacity(orig.len() + 16),
            tokens: Vec::with_capacity(orig.len() / 5 + 1),
        };
        // Start of the word being built: (normalized start, original start).
        let mut word: Option<(usize, usize)> = None;
        let mut word_orig_end = 0usize;
        let mut word_has_letter = false;
        let table = arabic_table();
        for (i, c) in orig.char_indices() {
            // Fast path: ASCII and the Arabic block come from precomputed tables.
            let (class, fast) = match c as u32 {
                0..=0x7F => (fold::class_of(c), Some(c.to_ascii_lowercase())),
                cp @ 0x0600..=0x06FF => {
                    let e = table[(cp - 0x0600) as usize];
                    (e.0, e.1)
                }
                _ => (fold::class_of(c), None),
            };
            match class {
                Class::Drop => {
                    if word.is_some() && fold::is_attached_mark(c) {
                        word_orig_end = i + c.len_utf8();
                    }
                }
                Class::Word => {
                    if word.is_none() {
                        word = Some((nt.text.len(), i));
                        word_has_letter = false;
                    }
                    word_has_letter |= !c.is_ascii_digit() && !is_indic_digit(c);
                    match fast {
                        Some(f) => nt.push_one(f, i),
                        None => nt.push_char(c, i),
                    }
                    word_orig_end = i + c.len_utf8();
                }
                Class::Space | Class::Punct => {
                    if let Some((ns, os)) = word.take() {
                        let kind = if word_has_letter {
                            TokenKind::Word
                        } else {
                            TokenKind::Number
                        };
                        nt.close_token(ns, os..word_orig_end, kind, i);
                    }
                    if class == Class::Punct {
                        let ns = nt.text.len();
                        match fast {
                            Some(f) => nt.push_one(f, i),
                            None => nt.push_char(c, i),
                        }
                        nt.close_token(ns, i..i + c.len_utf8(), TokenKind::Punct, i + c.len_utf8());
                    }
                }
            }
        }
        if let Some((ns, os)) = word.take() {
            let kind = if word_has_letter {
                TokenKind::Word
            } else {
                TokenKind::Number
            };
            nt.close_token(ns, os..word_orig_end, kind, orig.len());
        }
        nt
    }

    #[inline]
    fn push_one(&mut self, f: char, orig_at: usize) {
        self.text.push(f);
        let at = orig_at as u32;
        match f.len_utf8() {
            1 => self.src.push(at),
            2 => self.src.extend_from_slice(&[at, at]),
            n => self.src.extend(std::iter::repeat_n(at, n)),
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

/// Class and single-character fold of every code point of the Arabic block U+0600–U+06FF,
/// computed once from [`fold::class_of`] and [`fold::push_folded`] so both paths agree.
fn arabic_table() -> &'static [(Class, Option<char>); 256] {
    static TABLE: std::sync::OnceLock<[(Class, Option<char>); 256]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = [(Class::Drop, None); 256];
        for (i, slot) in t.iter_mut().enumerate() {
            let c = char::from_u32(0x0600 + i as u32).expect("Arabic block is valid");
            let mut s = String::new();
            fold::push_folded(c, &mut s);
            let mut chars = s.chars();
            let single = match (chars.next(), chars.next()) {
                (Some(f), None) => Some(f),
                _ => None,
            };
            *slot = (fold::class_of(c), single);
        }
        t
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
