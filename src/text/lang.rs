//! Language detection by script ratio, with an English function-word check for Latin text.

use super::{NormText, TokenKind};

/// Detects the language of a normalized text: `"ar"` when Arabic-script letters are at least as
/// many as Latin ones, `"en"` for Latin text with enough English `function_words` (or a short
/// headline), else `"und"`. Mixed text (Latin names like "KN-23" inside Arabic) is Arabic. The
/// letter counts come from folding and the words from the (lowercased) tokens, so the text is not
/// read again.
pub fn detect<S: std::hash::BuildHasher>(
    nt: &NormText,
    function_words: &std::collections::HashSet<String, S>,
) -> &'static str {
    let (arabic, latin) = (nt.scripts.arabic, nt.scripts.latin);
    if arabic == 0 && latin == 0 {
        return "und";
    }
    if arabic >= latin {
        return "ar";
    }
    let (mut words, mut hits) = (0usize, 0usize);
    for (i, _) in nt
        .tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| t.kind == TokenKind::Word)
        .take(2_000)
    {
        words += 1;
        if function_words.contains(nt.token_text(i)) {
            hits += 1;
        }
    }
    // English running text has about 40% function words; a headline has fewer.
    if words <= 12 || hits * 8 >= words {
        "en"
    } else {
        "und"
    }
}

#[cfg(test)]
mod tests {
    use super::{detect, NormText};

    fn detect_language(text: &str) -> &'static str {
        let words: std::collections::HashSet<String> = ["the", "of", "and", "in", "on", "with"]
            .map(String::from)
            .into();
        detect(&NormText::new(text), &words)
    }

    #[test]
    fn scripts() {
        assert_eq!(detect_language("التقى كيم جونغ أون بوتين في KN-23"), "ar");
        assert_eq!(
            detect_language("Kim Jong Un met Putin in the Russian Far East on Wednesday."),
            "en"
        );
        assert_eq!(detect_language("Der Präsident traf sich mit dem Kanzler und sprach über die Lage im Land heute Abend"), "und");
        assert_eq!(detect_language("12345 !!"), "und");
    }
}
