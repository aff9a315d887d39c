//! `dates.toml`: month names of every system, weekdays, Hijri months, day words, relative words,
//! units, markers and context words → a validated [`DateLexicon`] (normalized first word →
//! entries). Plain data: the date engine (`crate::dates`) compiles it into its lookup table and
//! reads it with its grammar.

use std::collections::HashMap;

use serde::Deserialize;
use toml::Spanned;

use super::{line_of, parse_toml, RuleError, RuleFile};
use crate::text::normalize::normalize_form;

/// A unit of time that a relative word can qualify.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Unit {
    Day,
    Week,
    Month,
    Year,
    Night,
}

/// Direction of a relative word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Rel {
    Past,
    Next,
    Current,
    /// Relative to the story ("اليوم السابق"): no value.
    Anaphoric,
}

/// What a lexicon entry means. One surface form may have several meanings ("اليوم": day word and
/// unit; "العام": unit and year marker).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Meaning {
    Month {
        num: u8,
        ambiguous: bool,
        english: bool,
    },
    Hijri(u8),
    Weekday {
        num: u8,
        ambiguous: bool,
    },
    Day {
        offset: i8,
        alone: bool,
    },
    Unit(Unit),
    /// Relative word after a unit, weekday or month.
    After(Rel),
    /// Relative word before a unit, weekday or month (`Current` = this).
    Before(Rel),
    DayMarker,
    MonthMarker,
    YearMarker,
    Ad,
    Ah,
    Of,
    Decade(u8),
    Century(u8),
    /// A written-out day number ("السابع" = 7), only before "من" + month.
    Ordinal(u8),
    Prep,
    DayPart,
    YearLink,
    Count,
    YearUnitBlock,
    WeekdayBlockAfter,
    WeekdayBlockBefore,
    WeekdayCue,
    DecadeBlock,
}

impl Meaning {
    /// Whether a match can start with a word of this meaning (context words never start one).
    pub(crate) fn can_start(self) -> bool {
        !matches!(
            self,
            Meaning::After(_)
                | Meaning::Ad
                | Meaning::Ah
                | Meaning::Of
                | Meaning::Century(_)
                | Meaning::Prep
                | Meaning::DayPart
                | Meaning::YearLink
                | Meaning::Count
                | Meaning::YearUnitBlock
                | Meaning::WeekdayBlockAfter
                | Meaning::WeekdayBlockBefore
                | Meaning::WeekdayCue
                | Meaning::DecadeBlock
        )
    }
}

/// One surface form: the words after the first one, and the meaning.
#[derive(Clone, Debug)]
pub(crate) struct Entry {
    /// The normalized words after the first one.
    pub(crate) rest: Box<[String]>,
    /// What the form means.
    pub(crate) meaning: Meaning,
}

/// The validated `dates.toml`: normalized first word → the entries starting with it.
pub(crate) type DateLexicon = rustc_hash::FxHashMap<String, Vec<Entry>>;

type Names = Vec<Spanned<String>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    month: Vec<RawMonth>,
    #[serde(default)]
    hijri_month: Vec<RawNamed>,
    #[serde(default)]
    weekday: Vec<RawNamed>,
    #[serde(default)]
    ordinal_day: Vec<RawNamed>,
    #[serde(default)]
    day: Vec<RawDay>,
    #[serde(default)]
    decade: Vec<RawNamed>,
    #[serde(default)]
    century: Vec<RawNamed>,
    #[serde(default)]
    units: RawUnits,
    #[serde(default)]
    relative: RawRelative,
    #[serde(default)]
    markers: RawMarkers,
    #[serde(default)]
    context: RawContext,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMonth {
    number: Spanned<i64>,
    #[serde(default)]
    gregorian: Names,
    #[serde(default)]
    levantine: Names,
    #[serde(default)]
    maghrebi: Names,
    #[serde(default)]
    moroccan: Names,
    #[serde(default)]
    english: Names,
    #[serde(default)]
    ambiguous: Names,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNamed {
    number: Spanned<i64>,
    names: Names,
    #[serde(default)]
    ambiguous: Names,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDay {
    offset: Spanned<i64>,
    names: Names,
    #[serde(default = "yes")]
    alone: bool,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawUnits {
    #[serde(default)]
    day: Names,
    #[serde(default)]
    week: Names,
    #[serde(default)]
    month: Names,
    #[serde(default)]
    year: Names,
    #[serde(default)]
    night: Names,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawRelative {
    #[serde(default)]
    past: Names,
    #[serde(default)]
    next: Names,
    #[serde(default)]
    current: Names,
    #[serde(default)]
    anaphoric: Names,
    #[serde(default)]
    before_past: Names,
    #[serde(default)]
    before_next: Names,
    #[serde(default)]
    before_this: Names,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawMarkers {
    #[serde(default)]
    day: Names,
    #[serde(default)]
    month: Names,
    #[serde(default)]
    year: Names,
    #[serde(default)]
    ad: Names,
    #[serde(default)]
    ah: Names,
    #[serde(default)]
    of: Names,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawContext {
    #[serde(default)]
    prepositions: Names,
    #[serde(default)]
    day_parts: Names,
    #[serde(default)]
    year_links: Names,
    #[serde(default)]
    count_words: Names,
    #[serde(default)]
    year_unit_blocked_after: Names,
    #[serde(default)]
    weekday_blocked_after: Names,
    #[serde(default)]
    weekday_blocked_before: Names,
    #[serde(default)]
    weekday_cues_after: Names,
    #[serde(default)]
    decade_blocked_before: Names,
}

/// Collects entries and errors while reading the file.
struct Builder<'a> {
    path: &'a str,
    src: &'a str,
    lex: DateLexicon,
    errors: &'a mut Vec<RuleError>,
    /// (category, normalized form) → (number, line) of its first definition.
    numbered: HashMap<(&'static str, String), (i64, usize)>,
}

impl Builder<'_> {
    fn err(&mut self, at: usize, msg: String) {
        let line = line_of(self.src, at);
        self.errors.push(RuleError::new(self.path, line, msg));
    }

    /// Normalizes a name, reporting an empty one.
    fn norm(&mut self, name: &Spanned<String>) -> Option<String> {
        let n = normalize_form(name.get_ref());
        if n.is_empty() {
            self.err(
                name.span().start,
                format!("empty name {:?}", name.get_ref()),
            );
            return None;
        }
        Some(n)
    }

    fn insert(&mut self, form: &str, meaning: Meaning) {
        let mut words = form.split(' ');
        let first = words.next().unwrap_or_default().to_owned();
        let rest: Box<[String]> = words.map(str::to_owned).collect();
        let list = self.lex.entry(first).or_default();
        if !list.iter().any(|e| e.meaning == meaning && e.rest == rest) {
            list.push(Entry { rest, meaning });
        }
    }

    /// Adds plain names (no number).
    fn words(&mut self, names: &Names, meaning: Meaning) {
        for n in names {
            if let Some(form) = self.norm(n) {
                self.insert(&form, meaning);
            }
        }
    }

    /// Checks that a number is in range; reports it otherwise.
    fn number(
        &mut self,
        what: &str,
        n: &Spanned<i64>,
        range: std::ops::RangeInclusive<i64>,
    ) -> Option<i64> {
        let v = *n.get_ref();
        if range.contains(&v) {
            Some(v)
        } else {
            self.err(
                n.span().start,
                format!(
                    "{what} {v} out of range {}..={}",
                    range.start(),
                    range.end()
                ),
            );
            None
        }
    }

    /// Registers a name of a numbered category; a form given two numbers is an error.
    fn numbered_name(
        &mut self,
        category: &'static str,
        name: &Spanned<String>,
        num: Option<i64>,
    ) -> Option<String> {
        let form = self.norm(name)?;
        let Some(num) = num else { return Some(form) };
        let line = line_of(self.src, name.span().start);
        match self.numbered.get(&(category, form.clone())) {
            Some(&(other, other_line)) if other != num => {
                self.err(
                    name.span().start,
                    format!(
                        "{category} name {:?} is already {other} (line {other_line})",
                        name.get_ref()
                    ),
                );
                None
            }
            _ => {
                self.numbered.insert((category, form.clone()), (num, line));
                Some(form)
            }
        }
    }

    /// Normalized forms of `ambiguous`, checking each is one of `names`.
    fn ambiguous(&mut self, ambiguous: &Names, names: &[String]) -> Vec<String> {
        let mut out = Vec::new();
        for a in ambiguous {
            if let Some(f) = self.norm(a) {
                if names.contains(&f) {
                    out.push(f);
                } else {
                    self.err(
                        a.span().start,
                        format!(
                            "ambiguous name {:?} is not one of this entry's names",
                            a.get_ref()
                        ),
                    );
                }
            }
        }
        out
    }
}

/// Parses and validates `dates.toml`; every problem goes to `errors` as `path:line: message`
/// (the lexicon is then incomplete, and the rule set is refused).
pub(crate) fn parse(file: &RuleFile, src: &str, errors: &mut Vec<RuleError>) -> DateLexicon {
    let path = file.path.as_str();
    let Some(raw) = parse_toml::<RawFile>(path, src, errors) else {
        return DateLexicon::default();
    };
    let mut b = Builder {
        path,
        src,
        lex: DateLexicon::default(),
        errors,
        numbered: HashMap::new(),
    };
    // Always in this order: the order of a word's entries decides between equally long readings.
    b.months(&raw.month);
    b.numbered_lists(&raw);
    b.days(&raw.day);
    b.word_lists(&raw);
    b.lex
}

impl Builder<'_> {
    /// `[[month]]`: the names of every system, English names marked, `ambiguous` ones checked.
    fn months(&mut self, months: &[RawMonth]) {
        for m in months {
            let num = self.number("month number", &m.number, 1..=12);
            let mut forms = Vec::new();
            for (list, english) in [
                (&m.gregorian, false),
                (&m.levantine, false),
                (&m.maghrebi, false),
                (&m.moroccan, false),
                (&m.english, true),
            ] {
                for n in list {
                    if let Some(f) = self.numbered_name("month", n, num) {
                        forms.push((f, english));
                    }
                }
            }
            let plain: Vec<String> = forms.iter().map(|(f, _)| f.clone()).collect();
            let amb = self.ambiguous(&m.ambiguous, &plain);
            if let Some(num) = num {
                for (f, english) in forms {
                    let ambiguous = amb.contains(&f);
                    self.insert(
                        &f,
                        Meaning::Month {
                            num: num as u8,
                            ambiguous,
                            english,
                        },
                    );
                }
            }
        }
    }

    /// Hijri months, weekdays, decades, centuries and ordinal days: names with a number.
    fn numbered_lists(&mut self, raw: &RawFile) {
        for (category, list, range) in [
            ("hijri month", &raw.hijri_month, 1..=12),
            ("weekday", &raw.weekday, 1..=7),
            ("decade", &raw.decade, 0..=9),
            ("century", &raw.century, 10..=30),
            ("ordinal day", &raw.ordinal_day, 1..=31),
        ] {
            for m in list {
                let num = self.number(&format!("{category} number"), &m.number, range.clone());
                let mut forms = Vec::new();
                for n in &m.names {
                    if let Some(f) = self.numbered_name(category, n, num) {
                        forms.push(f);
                    }
                }
                let amb = self.ambiguous(&m.ambiguous, &forms);
                let Some(num) = num else { continue };
                let num = num as u8;
                for f in &forms {
                    let meaning = match category {
                        "hijri month" => Meaning::Hijri(num),
                        "weekday" => Meaning::Weekday {
                            num,
                            ambiguous: amb.contains(f),
                        },
                        "decade" => Meaning::Decade(num),
                        "ordinal day" => Meaning::Ordinal(num),
                        _ => Meaning::Century(num),
                    };
                    self.insert(f, meaning);
                }
            }
        }
    }

    /// `[[day]]`: day words with their offset from the reference.
    fn days(&mut self, days: &[RawDay]) {
        for d in days {
            let Some(offset) = self.number("day offset", &d.offset, -7..=7) else {
                continue;
            };
            self.words(
                &d.names,
                Meaning::Day {
                    offset: offset as i8,
                    alone: d.alone,
                },
            );
        }
    }

    /// Units, relative words, markers and context words: plain word lists.
    fn word_lists(&mut self, raw: &RawFile) {
        let u = &raw.units;
        for (names, unit) in [
            (&u.day, Unit::Day),
            (&u.week, Unit::Week),
            (&u.month, Unit::Month),
            (&u.year, Unit::Year),
            (&u.night, Unit::Night),
        ] {
            self.words(names, Meaning::Unit(unit));
        }
        let r = &raw.relative;
        for (names, m) in [
            (&r.past, Meaning::After(Rel::Past)),
            (&r.next, Meaning::After(Rel::Next)),
            (&r.current, Meaning::After(Rel::Current)),
            (&r.anaphoric, Meaning::After(Rel::Anaphoric)),
            (&r.before_past, Meaning::Before(Rel::Past)),
            (&r.before_next, Meaning::Before(Rel::Next)),
            (&r.before_this, Meaning::Before(Rel::Current)),
        ] {
            self.words(names, m);
        }
        let k = &raw.markers;
        for (names, m) in [
            (&k.day, Meaning::DayMarker),
            (&k.month, Meaning::MonthMarker),
            (&k.year, Meaning::YearMarker),
            (&k.ad, Meaning::Ad),
            (&k.ah, Meaning::Ah),
            (&k.of, Meaning::Of),
        ] {
            self.words(names, m);
        }
        let c = &raw.context;
        for (names, m) in [
            (&c.prepositions, Meaning::Prep),
            (&c.day_parts, Meaning::DayPart),
            (&c.year_links, Meaning::YearLink),
            (&c.count_words, Meaning::Count),
            (&c.year_unit_blocked_after, Meaning::YearUnitBlock),
            (&c.weekday_blocked_after, Meaning::WeekdayBlockAfter),
            (&c.weekday_blocked_before, Meaning::WeekdayBlockBefore),
            (&c.weekday_cues_after, Meaning::WeekdayCue),
            (&c.decade_blocked_before, Meaning::DecadeBlock),
        ] {
            self.words(names, m);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors_of(src: &str) -> Vec<RuleError> {
        let file = RuleFile {
            path: "dates.toml".to_owned(),
            bytes: src.as_bytes().to_vec(),
        };
        let mut errors = Vec::new();
        parse(&file, src, &mut errors);
        errors
    }

    #[test]
    fn the_default_file_is_valid() {
        let src = include_str!("../../rules/dates.toml");
        assert_eq!(errors_of(src), []);
    }

    #[test]
    fn validation_errors_have_lines() {
        let src = "[[month]]\nnumber = 1\ngregorian = [\"يناير\"]\n\n[[month]]\nnumber = 2\ngregorian = [\"يناير\", \"\"]\nambiguous = [\"x\"]\n\n[[month]]\nnumber = 13\n";
        let text: Vec<String> = errors_of(src).iter().map(ToString::to_string).collect();
        assert!(
            text.iter()
                .any(|e| e.starts_with("dates.toml:11:") && e.contains("out of range")),
            "{text:?}"
        );
        assert!(
            text.iter()
                .any(|e| e.starts_with("dates.toml:7:") && e.contains("already")),
            "{text:?}"
        );
        assert!(
            text.iter()
                .any(|e| e.starts_with("dates.toml:7:") && e.contains("empty")),
            "{text:?}"
        );
        assert!(
            text.iter()
                .any(|e| e.starts_with("dates.toml:8:") && e.contains("ambiguous")),
            "{text:?}"
        );

        let errs = errors_of("[units]\nweek = [\"الأسبوع\"]\nfortnight = [\"x\"]\n");
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].line, 3, "{errs:?}");
    }
}
