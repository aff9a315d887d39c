//! Arabic orthography that several stages read, written once: the proclitics that may stand
//! before a word inside its token, the article, and what counts as Arabic script.
//!
//! Everything here works on *normalized* text (see [`super::fold`]): أ إ آ ٱ are ا, ى is ي, ة is
//! ه, so "وبالإمارات" reads و + ب + ال + امارات.
//!
//! | set | members | who reads it |
//! | --- | --- | --- |
//! | [`PROCLITICS`] | و ف ب ل ك and وب ول وك فب فل فك | every stage: before a name, a date, a trigger word |
//! | [`LIL_CLITICS`] | ل ول فل | before an ال word whose alef ل swallowed ("للكرملين") |
//! | [`is_article_prefix`] | ال and a proclitic + ال, لل ولل فلل | topic terms (which may be definite) |
//!
//! Known weakness: a word that starts with one of these letters is sometimes read as a clitic
//! plus a shorter word ("بابها" as ب + "ابها"); callers that look words up after a clitic demand
//! a minimum length of the rest.

/// Proclitic sequences that may stand before a word in the same token: the conjunctions و ف, the
/// prepositions ب ل ك, and a conjunction followed by a preposition. One letter first, so a
/// lookup that tries them in order prefers the longest rest ("ولبنان" is و + لبنان, not ول + بنان).
pub(crate) const PROCLITICS: [&str; 11] =
    ["و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك"];

/// The proclitics that end in ل: before them the article loses its alef ("ل" + "الكرملين" is
/// written "للكرملين").
pub(crate) const LIL_CLITICS: [&str; 3] = ["ل", "ول", "فل"];

/// What is left of `word` once an attached pronoun ("ضيفه" his guest, "بيتها", "كتابهم") or the
/// alef of tanween ("قفازا") is taken off: one stem per suffix the word ends with, longest suffix
/// first. Normalized (ة is ه, so a feminine noun also ends in one of these: callers check the
/// stem). The suffixes are listed by their last letter, so most words try none.
pub(crate) fn unsuffixed(word: &str) -> impl Iterator<Item = &str> {
    let suffixes: &[&str] = match word.chars().next_back() {
        Some('ا') => &["هما", "كما", "ها", "نا", "ا"],
        Some('م') => &["هم", "كم"],
        Some('ن') => &["هن", "كن"],
        Some('ه') => &["ه"],
        Some('ي') => &["ي"],
        _ => &[],
    };
    suffixes.iter().filter_map(move |s| word.strip_suffix(s))
}

/// The definite article as it appears in normalized text.
pub(crate) const ARTICLE: &str = "ال";

/// Whether `prefix` is empty or one of the [`PROCLITICS`].
pub(crate) fn is_proclitic(prefix: &str) -> bool {
    prefix.is_empty() || PROCLITICS.contains(&prefix)
}

/// Whether `prefix` is the article, alone or after a proclitic ("ال", "وال", "وبال"), or "لل" ولل
/// فلل (ل + the article whose alef was dropped).
pub(crate) fn is_article_prefix(prefix: &str) -> bool {
    match prefix.strip_suffix(ARTICLE) {
        // ل + ال is never written "لال".
        Some(clitic) => is_proclitic(clitic) && !clitic.ends_with('ل'),
        None => LIL_CLITICS.contains(&prefix.strip_suffix('ل').unwrap_or("-")),
    }
}

/// Whether a normalized word starts with a one-letter proclitic and the article: ب و ف ك + ال,
/// or "لل". After a reporting verb, a name word never does ("قال محمد للصحفيين إن": للصحفيين
/// is no name).
pub(crate) fn starts_with_clitic_article(word: &str) -> bool {
    ["لل", "بال", "وال", "فال", "كال"]
        .iter()
        .any(|p| word.starts_with(p))
}

/// Whether a normalized word is definite: it starts with the article, or with "لل" (ل + ال).
pub(crate) fn is_definite(word: &str) -> bool {
    word.starts_with(ARTICLE) || word.starts_with("لل")
}

/// Whether `c` is in the Arabic block (U+0600–U+06FF), the script of the text khabar folds.
pub(crate) fn is_arabic_char(c: char) -> bool {
    ('\u{0600}'..='\u{06FF}').contains(&c)
}

/// Whether `s` starts with an Arabic-block character (a normalized token is one script).
pub(crate) fn starts_arabic(s: &str) -> bool {
    s.chars().next().is_some_and(is_arabic_char)
}

/// Whether `s` contains any Arabic-block character (an original span may mix scripts).
pub(crate) fn contains_arabic(s: &str) -> bool {
    s.chars().any(is_arabic_char)
}

/// The byte length of the proclitic to strip from `word` so that the rest is accepted: the word
/// itself first (0), then without each of the [`PROCLITICS`] where the rest has
/// at least `min_rest` characters, in the order of [`PROCLITICS`] (the longest rest first).
/// `None` when nothing is accepted.
pub(crate) fn strip_proclitic(
    word: &str,
    min_rest: usize,
    accept: impl Fn(&str) -> bool,
) -> Option<usize> {
    if accept(word) {
        return Some(0);
    }
    if !word.starts_with(['و', 'ف', 'ب', 'ل', 'ك']) {
        return None;
    }
    PROCLITICS
        .into_iter()
        .find(|p| {
            word.strip_prefix(p)
                .is_some_and(|rest| rest.chars().count() >= min_rest && accept(rest))
        })
        .map(str::len)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsuffixed_takes_off_every_pronoun_and_the_tanween_alef() {
        let stems = |w| unsuffixed(w).collect::<Vec<_>>();
        assert_eq!(stems("بيتها"), ["بيت", "بيته"]);
        assert_eq!(stems("كتابهما"), ["كتاب", "كتابهم"]);
        assert_eq!(stems("ضيفه"), ["ضيف"]);
        assert_eq!(stems("بيوتكم"), ["بيوت"]);
        assert_eq!(stems("معهن"), ["مع"]);
        assert_eq!(stems("قفازا"), ["قفاز"]);
        assert_eq!(stems("كتابي"), ["كتاب"]);
        assert!(stems("كتاب").is_empty());
        assert!(stems("").is_empty());
    }

    #[test]
    fn article_prefixes_are_exactly_the_listed_ones() {
        let listed = [
            "ال", "وال", "فال", "بال", "كال", "وبال", "فبال", "وكال", "فكال", "لل", "ولل", "فلل",
        ];
        let letters = ["و", "ف", "ب", "ل", "ك", "ا"];
        let mut all = vec![String::new()];
        for _ in 0..4 {
            let next: Vec<String> = all
                .iter()
                .flat_map(|p| letters.iter().map(move |l| format!("{p}{l}")))
                .collect();
            all.extend(next);
        }
        for p in &all {
            assert_eq!(is_article_prefix(p), listed.contains(&p.as_str()), "{p:?}");
        }
    }

    #[test]
    fn strips_the_shortest_proclitic_that_leaves_an_accepted_word() {
        let known = |w: &str| matches!(w, "روسيا" | "بيت" | "لبنان" | "بنان");
        assert_eq!(strip_proclitic("ولبنان", 2, known), Some("و".len()));
        assert_eq!(strip_proclitic("روسيا", 2, known), Some(0));
        assert_eq!(strip_proclitic("وبروسيا", 2, known), Some("وب".len()));
        assert_eq!(strip_proclitic("لبيت", 2, known), Some("ل".len()));
        assert_eq!(strip_proclitic("لبيت", 4, known), None);
        assert_eq!(strip_proclitic("سروسيا", 2, known), None);
    }

    #[test]
    fn scripts() {
        assert!(starts_arabic("كيم Kim"));
        assert!(!starts_arabic("Kim كيم"));
        assert!(contains_arabic("Kim كيم"));
        assert!(!contains_arabic("Kim"));
    }
}
