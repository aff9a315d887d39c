//! Character folds for matching, applied one original character at a time.
//!
//! The folds run in this order; each is *lossy* and used only to compare text, never for output:
//!
//! 1. **Drop** (the character disappears from the normalized text):
//!    Arabic harakat and Quranic marks U+064B–U+065F, superscript alef U+0670, U+06D6–U+06ED,
//!    tatweel U+0640, Latin combining accents U+0300–U+036F, and invisible format characters:
//!    ZWSP U+200B, ZWNJ U+200C, ZWJ U+200D, LRM U+200E, RLM U+200F, ALM U+061C, bidi embeddings and
//!    overrides U+202A–U+202E, isolates U+2066–U+2069, word joiner U+2060, BOM U+FEFF, soft hyphen U+00AD.
//! 2. **Arabic letters**: أ إ آ ٱ ٲ ٳ → ا; ى → ي; ة → ه; Persian/Urdu look-alikes ک ڪ → ك, ی ې → ي,
//!    ۀ ە ھ → ه.
//! 3. **Digits**: Arabic-Indic U+0660–U+0669 and Eastern Arabic-Indic U+06F0–U+06F9 → ASCII 0–9.
//! 4. **Punctuation variants**: Arabic comma, semicolon, question mark, percent → ASCII; all
//!    double quotes (« » “ ” „ ‟ ″) → `"`; single quotes and apostrophes (‘ ’ ‚ ‛ ′ ` ´) → `'`;
//!    dashes and minus (‐ ‑ ‒ – — ― − ﹘ ﹣ －) → `-`.
//! 5. **Latin**: accented letters lose their accents (canonical decomposition, marks dropped), then
//!    Unicode lowercase. Presentation forms (Arabic ligatures U+FB50–U+FDFF, U+FE70–U+FEFF,
//!    fullwidth U+FF00–U+FFEF) are replaced by their compatibility decomposition first.
//!
//! Every character then falls in one class: a *word* character (letters, digits, kept marks), a
//! *space* (any Unicode whitespace: separates words) or *punctuation* (everything else, emoji
//! included: each one is a word of its own).
//!
//! Known weaknesses: hamza seats on و and ي (ؤ ئ) are not folded, so "رئيس" and "رييس" differ;
//! Latin case folding is `char::to_lowercase`, which keeps ß and ligatures as they are.

/// How a character takes part in matching after folding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    /// Removed from the normalized text (diacritics, tatweel, invisible format characters).
    Drop,
    /// Part of a word.
    Word,
    /// Separates words.
    Space,
    /// A token of its own.
    Punct,
}

/// Whether `c` is removed from the normalized text (fold 1).
#[inline]
pub fn is_dropped(c: char) -> bool {
    matches!(c,
        '\u{064B}'..='\u{065F}'
        | '\u{0670}'
        | '\u{06D6}'..='\u{06ED}'
        | '\u{0640}'
        | '\u{0300}'..='\u{036F}'
        | '\u{200B}'..='\u{200F}'
        | '\u{061C}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'
        | '\u{2066}'..='\u{2069}'
        | '\u{FEFF}'
        | '\u{00AD}')
}

/// Whether `c` is a mark that belongs to the letter before it (so a span that ends on that letter
/// also covers the mark): Arabic harakat, superscript alef, tatweel, Latin combining accents.
#[inline]
pub fn is_attached_mark(c: char) -> bool {
    matches!(c,
        '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}' | '\u{0640}' | '\u{0300}'..='\u{036F}')
}

/// Combining marks of other scripts that stay inside words (they are not letters for
/// `char::is_alphanumeric`, but splitting a word at them would be wrong).
#[inline]
fn is_kept_mark(c: char) -> bool {
    matches!(c,
        '\u{0483}'..='\u{0489}'
        | '\u{0591}'..='\u{05C7}'
        | '\u{0610}'..='\u{061A}'
        | '\u{0900}'..='\u{0DFF}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE00}'..='\u{FE0F}'
        | '\u{FE20}'..='\u{FE2F}')
}

/// The class of an original character (decided before folding).
#[inline]
pub fn class_of(c: char) -> Class {
    if c.is_ascii() {
        return if c.is_ascii_alphanumeric() {
            Class::Word
        } else if c.is_ascii_whitespace() || c.is_ascii_control() {
            Class::Space
        } else {
            Class::Punct
        };
    }
    if is_dropped(c) {
        Class::Drop
    } else if c.is_alphanumeric() || is_kept_mark(c) {
        Class::Word
    } else if c.is_whitespace() || c.is_control() {
        Class::Space
    } else {
        Class::Punct
    }
}

/// Folds of one character to one character (folds 2–4), or `None` when the character is kept.
#[inline]
pub fn fold_simple(c: char) -> Option<char> {
    Some(match c {
        'أ' | 'إ' | 'آ' | 'ٱ' | 'ٲ' | 'ٳ' => 'ا',
        'ى' | 'ی' | 'ې' => 'ي',
        'ة' | 'ۀ' | 'ە' | 'ھ' => 'ه',
        'ک' | 'ڪ' => 'ك',
        '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x0660) as u8),
        '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
        '،' => ',',
        '؛' => ';',
        '؟' => '?',
        '٪' => '%',
        '\u{066B}' => '.',
        '\u{066C}' => ',',
        '«' | '»' | '“' | '”' | '„' | '‟' | '″' | '〝' | '〞' => '"',
        '‘' | '’' | '‚' | '‛' | '′' | '`' | '´' => '\'',
        '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' | '﹘' | '﹣' | '－' => '-',
        _ => return None,
    })
}

/// Appends the folded form of `c` (folds 2–5) to `out`. Returns false when `c` is dropped.
///
/// Most characters produce exactly one character; compatibility decompositions and some
/// lowercase mappings produce more.
#[inline]
pub fn push_folded(c: char, out: &mut String) -> bool {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return true;
    }
    if is_dropped(c) {
        return false;
    }
    if let Some(f) = fold_simple(c) {
        out.push(f);
        return true;
    }
    match c as u32 {
        // Latin-1 Supplement .. Latin Extended Additional: strip accents, then lowercase.
        0x00C0..=0x024F | 0x1E00..=0x1EFF => {
            let before = out.len();
            unicode_normalization::char::decompose_canonical(c, |d| {
                if !is_dropped(d) {
                    out.extend(d.to_lowercase());
                }
            });
            if out.len() == before {
                out.extend(c.to_lowercase());
            }
            true
        }
        // Presentation forms and fullwidth forms: compatibility decomposition, folded again.
        0xFB50..=0xFDFF | 0xFE70..=0xFEFE | 0xFF00..=0xFFEF => {
            let before = out.len();
            unicode_normalization::char::decompose_compatible(c, |d| {
                if d != c && !is_dropped(d) {
                    if let Some(f) = fold_simple(d) {
                        out.push(f);
                    } else {
                        out.extend(d.to_lowercase());
                    }
                }
            });
            if out.len() == before {
                out.push(c);
            }
            true
        }
        _ => {
            if c.is_uppercase() {
                out.extend(c.to_lowercase());
            } else {
                out.push(c);
            }
            true
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fold(s: &str) -> String {
        let mut out = String::new();
        for c in s.chars() {
            push_folded(c, &mut out);
        }
        out
    }

    /// One row per fold: (name, input, expected normalized output).
    const TABLE: &[(&str, &str, &str)] = &[
        ("fatha", "كَ", "ك"),
        ("shadda", "الرسميّة", "الرسميه"),
        ("tanwin", "نصرًا", "نصرا"),
        ("sukun", "مِنْ", "من"),
        ("superscript alef", "هٰذا", "هذا"),
        ("tatweel", "روسيـا", "روسيا"),
        ("alef hamza above", "أوكرانيا", "اوكرانيا"),
        ("alef hamza below", "إيران", "ايران"),
        ("alef madda", "آسيا", "اسيا"),
        ("alef wasla", "ٱلله", "الله"),
        ("alef maqsura", "موسى", "موسي"),
        ("ta marbuta", "كوريا الشمالية", "كوريا الشماليه"),
        ("persian kaf", "کيم", "كيم"),
        ("persian yeh", "روسی", "روسي"),
        ("heh goal", "ۀ", "ه"),
        ("arabic-indic digits", "٢٠٢٤", "2024"),
        ("eastern digits", "۱۹۵۰", "1950"),
        ("arabic comma", "،", ","),
        ("arabic question", "؟", "?"),
        ("guillemets", "«»", "\"\""),
        ("curly quotes", "“”", "\"\""),
        ("apostrophe", "Putin’s", "putin's"),
        ("en dash", "1950–1953", "1950-1953"),
        ("em dash", "—", "-"),
        ("zwnj", "a\u{200C}b", "ab"),
        ("zwj", "a\u{200D}b", "ab"),
        ("lrm", "\u{200E}x", "x"),
        ("rlm", "x\u{200F}", "x"),
        ("bom", "\u{FEFF}x", "x"),
        ("bidi isolate", "\u{2067}x\u{2069}", "x"),
        ("latin case", "KREMLIN", "kremlin"),
        ("latin accents", "Zélensky", "zelensky"),
        ("combining accent", "Ze\u{301}lensky", "zelensky"),
        ("lam-alef ligature", "\u{FEFB}", "لا"),
        ("fullwidth", "ＫＮ", "kn"),
        ("greek case", "ΑΒ", "αβ"),
    ];

    #[test]
    fn every_fold() {
        for (name, input, expected) in TABLE {
            assert_eq!(fold(input), *expected, "fold {name}");
        }
    }

    #[test]
    fn classes() {
        assert_eq!(class_of('ر'), Class::Word);
        assert_eq!(class_of('7'), Class::Word);
        assert_eq!(class_of(' '), Class::Space);
        assert_eq!(class_of('\u{00A0}'), Class::Space);
        assert_eq!(class_of('\n'), Class::Space);
        assert_eq!(class_of('،'), Class::Punct);
        assert_eq!(class_of('😀'), Class::Punct);
        assert_eq!(class_of('\u{064E}'), Class::Drop);
        assert_eq!(class_of('\u{0915}'), Class::Word);
    }
}
