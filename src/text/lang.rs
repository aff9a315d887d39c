//! Language detection by script ratio, with an English function-word check for Latin text.

/// Detects the language of `text`: `"ar"` when Arabic-script letters are at least as many as
/// Latin ones, `"en"` for Latin text with enough English function words, else `"und"`.
/// Mixed text (Latin names like "KN-23" inside Arabic) is Arabic.
pub fn detect_language(text: &str) -> &'static str {
    let (mut arabic, mut latin) = (0usize, 0usize);
    for c in text.chars().take(4_000) {
        match c {
            '\u{0621}'..='\u{064A}'
            | '\u{0671}'..='\u{06D3}'
            | '\u{0750}'..='\u{077F}'
            | '\u{08A0}'..='\u{08C9}'
            | '\u{FB50}'..='\u{FDFB}'
            | '\u{FE70}'..='\u{FEFC}' => arabic += 1,
            c if c.is_ascii_alphabetic() || ('\u{00C0}'..='\u{024F}').contains(&c) => latin += 1,
            _ => {}
        }
    }
    if arabic == 0 && latin == 0 {
        return "und";
    }
    if arabic >= latin {
        return "ar";
    }
    const EN: &[&str] = &[
        "the", "of", "and", "to", "in", "a", "is", "was", "for", "on", "that", "with", "said",
        "by", "as", "at", "from", "his", "her", "it", "has", "have", "be", "are", "were", "an",
        "this",
    ];
    let (mut words, mut hits) = (0usize, 0usize);
    for w in text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .take(2_000)
    {
        words += 1;
        if EN.iter().any(|e| e.eq_ignore_ascii_case(w)) {
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
    use super::detect_language;

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
