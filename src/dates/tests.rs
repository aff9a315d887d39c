//! Runs the case table `tests/data/dates.toml` against `rules/dates.toml` (validation is tested
//! in `rules/dates.rs`).

use serde::Deserialize;

use super::DateEngine;
use crate::rules::dates::DateLexicon;
use crate::rules::RuleFile;
use crate::text::NormText;

const RULES: &str = include_str!("../../rules/dates.toml");
const CASES: &str = include_str!("../../tests/data/dates.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Cases {
    case: Vec<Case>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    text: String,
    #[serde(default)]
    reference: Option<String>,
    /// (span text, value) in text order; empty for negative cases.
    dates: Vec<(String, String)>,
}

/// The lexicon of `rules/dates.toml`.
pub(super) fn lexicon() -> DateLexicon {
    let file = RuleFile {
        path: "dates.toml".to_owned(),
        bytes: RULES.as_bytes().to_vec(),
    };
    let mut errors = Vec::new();
    let lexicon = crate::rules::dates::parse(&file, RULES, &mut errors);
    assert_eq!(errors, [], "rules/dates.toml");
    lexicon
}

/// Byte strings of every length up to 12, of every first byte (for the byte-level readers).
pub(super) fn byte_samples() -> Vec<Vec<u8>> {
    (0..=12)
        .flat_map(|len| {
            (0u8..=255).map(move |x| {
                (0..len)
                    .map(|k| x.wrapping_add((k as u8).wrapping_mul(37)))
                    .collect::<Vec<u8>>()
            })
        })
        .collect()
}

fn rules() -> DateEngine {
    DateEngine::new(&lexicon())
}

/// (span text, value) of every match.
fn run(
    rules: &DateEngine,
    text: &str,
    reference: Option<jiff::civil::Date>,
) -> Vec<(String, String)> {
    let nt = NormText::new(text);
    rules
        .find(&nt, reference)
        .into_iter()
        .map(|m| (text[nt.orig_range(text, m.norm)].to_owned(), m.value))
        .collect()
}

#[test]
fn case_table() {
    let rules = rules();
    let cases: Cases = toml::from_str(CASES).expect("tests/data/dates.toml");
    assert!(cases.case.len() >= 90, "only {} cases", cases.case.len());
    let mut failures = Vec::new();
    for (k, c) in cases.case.iter().enumerate() {
        let reference = c
            .reference
            .as_deref()
            .map(|r| r.parse::<jiff::civil::Date>().expect("reference date"));
        let got = run(&rules, &c.text, reference);
        if got != c.dates {
            failures.push(format!(
                "case {k}: {:?}\n   want {:?}\n   got  {:?}",
                c.text, c.dates, got
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.case.len(),
        failures.join("\n")
    );
}

#[test]
fn matches_are_sorted_and_disjoint() {
    let rules = rules();
    let text =
        "أمس الأربعاء 19/06/2024 يونيو/حزيران 2024 عام 2020 الشهر الماضي (1950-1953) والعام المقبل";
    let nt = NormText::new(text);
    let found = rules.find(&nt, Some(jiff::civil::date(2024, 7, 1)));
    assert_eq!(found.len(), 7);
    for w in found.windows(2) {
        assert!(w[0].norm.end <= w[1].norm.start);
    }
    for m in &found {
        assert!((0.0..=1.0).contains(&m.confidence));
        assert!(m.rule_id.starts_with("date/"));
        assert!(nt.text.is_char_boundary(m.norm.start) && nt.text.is_char_boundary(m.norm.end));
    }
}

#[test]
fn empty_rules_find_nothing() {
    let nt = NormText::new("أمس الأربعاء 2024");
    assert!(DateEngine::default().find(&nt, None).is_empty());
}

#[test]
fn edges_do_not_panic() {
    let rules = rules();
    let r = Some(jiff::civil::date(2024, 2, 29));
    for text in [
        "",
        " ",
        "،",
        "عام",
        "يوم",
        "يوم 19",
        "19 من",
        "June 19,",
        "يونيو (",
        "يونيو (حزيران",
        "2024-",
        "19/06/",
        "1950-",
        "الـ",
        "لل",
        "للـ",
        "أمس",
        "اليوم",
        "last",
        "هذا",
        "29 فبراير",
        "30 فبراير 2024",
        "31 ديسمبر 9999",
        "9999-12-31",
        "0000/00/00",
        "الأول من",
        "١٩٤٥-",
        "ذي الحجة 99999",
    ] {
        let nt = NormText::new(text);
        for m in rules.find(&nt, r) {
            assert!(
                m.norm.start < m.norm.end && m.norm.end <= nt.text.len(),
                "{text:?}"
            );
            let _ = nt.orig_range(text, m.norm);
        }
        let _ = rules.find(&nt, None);
    }
}

/// A number glued to proclitics and the article starts a date; a word with digits further in
/// does not ("KN23" is no day, "abcdefgh2024" no year).
#[test]
fn numbers_after_proclitics() {
    let rules = rules();
    let r = Some(jiff::civil::date(2024, 7, 1));
    for (text, want) in [
        ("وال19 يونيو 2024", vec![("ال19 يونيو 2024", "2024-06-19")]),
        ("بـ2024م", vec![("2024م", "2024")]),
        ("في وبـ2024،", vec![("2024", "2024")]),
        ("في abcdefgh2024،", vec![]),
        ("طائرات KN23 الكورية", vec![]),
    ] {
        let got = run(&rules, text, r);
        let want: Vec<(String, String)> = want
            .into_iter()
            .map(|(s, v)| (s.to_owned(), v.to_owned()))
            .collect();
        assert_eq!(got, want, "{text:?}");
    }
}
